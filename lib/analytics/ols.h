/* A seasonal least squares forecast of a monthly series: ordinary least
 * squares (GSL's gsl_multifit_linear) of
 *     y_t = b0 + b1 t + sum over modelled months m of d_m [month(t) = m]
 * with t = 0 for the first month, projected ahead with 95% prediction
 * intervals. The reference is the textbook regression, as numpy/scipy
 * compute it (tests/analytics/check_forecast.sh checks it against
 * scikit-learn's LinearRegression on the same design):
 *   - the month-of-year terms: January is the base, and a month from
 *     February to December gets its dummy term only when the history holds
 *     it at least twice. Two years or more give all 11 terms (p = 13);
 *     between 13 and 23 months only the months seen twice get one (the
 *     others join January in the base), and under 13 months there is no
 *     seasonal term at all: a term fitted to a single month would fit it
 *     exactly, tell nothing about next year and eat a degree of freedom;
 *   - s^2 = RSS / (n - p), the standard errors sqrt(s^2 [(X'X)^-1]_jj),
 *     R^2 = 1 - RSS / TSS (1 when the series never varies);
 *   - the interval at a month with design row x0 (past or future) is
 *     yhat +- t_{0.975, n-p} sqrt(s^2 (1 + x0' (X'X)^-1 x0)), the t
 *     quantile from gsl_cdf_tdist_Pinv; (X'X)^-1 by Cholesky.
 * At least 3 months (one residual degree of freedom) are needed. Doubles
 * throughout: callers round what they store. */
#ifndef CRM_OLS_H
#define CRM_OLS_H

#include <stddef.h>

#include "crm.h"

#define CRM_OLS_MAX_P 13
#define CRM_OLS_MIN_N 3

struct crm_ols {
	size_t n;               /* months fitted */
	size_t p;               /* parameters: intercept, trend, month terms */
	int first_moy;          /* month of year of y[0]: 0 is January */
	/* Column k's month of year (1..11, February..December) for k >= 2;
	 * columns 0 and 1 are the intercept and the trend. */
	int col_moy[CRM_OLS_MAX_P];
	double coef[CRM_OLS_MAX_P];
	double se[CRM_OLS_MAX_P];
	double xtx_inv[CRM_OLS_MAX_P * CRM_OLS_MAX_P];
	double rss, tss;
	double sigma2;          /* residual variance s^2 */
	double r2;
	double tq;              /* t_{0.975, n - p} */
};

/* Fits y[0..n-1], monthly figures from the month of year first_moy
 * (0..11). CRM_EINVAL when n < CRM_OLS_MIN_N, first_moy is out of range, a
 * figure is not finite, or the design is singular. */
enum crm_err crm_ols_fit(const double *y, size_t n, int first_moy, struct crm_ols *);

/* Month t's design row into x[0..p-1] (t = 0 is y[0]; t >= n projects). */
void crm_ols_row(const struct crm_ols *, size_t t, double *x);

/* The prediction at month t and its 95% interval. */
void crm_ols_predict(const struct crm_ols *, size_t t, double *yhat, double *lower, double *upper);

#endif
