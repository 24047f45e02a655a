/* A trend forecast of monthly totals: ordinary least squares (GSL's
 * gsl_multifit_linear) of y_t = b0 + b1 t + seasonal terms, projected a
 * few months ahead. Statistics, so doubles: callers round what they show.
 *
 * How many seasonal terms the history carries (parameters must stay
 * fewer than observations, and each term needs its season seen at least
 * twice to be more than an exact fit of one month):
 *   n >= 24 months: 11 month-of-year dummies (January is the base), p = 13
 *   12 <= n < 24:   3 quarter dummies (Q1 is the base), p = 5
 *   3 <= n < 12:    the linear trend alone, p = 2
 *   n < 3:          no fit. */
#ifndef CRM_TREND_H
#define CRM_TREND_H

#define CRM_TREND_MAX_N 240
#define CRM_TREND_MAX_P 13

enum crm_trend_season {
	CRM_TREND_NONE = 0,
	CRM_TREND_QUARTER = 4,
	CRM_TREND_MONTH = 12,
};

struct crm_trend {
	int n;                  /* observations */
	int p;                  /* parameters: intercept, trend, seasonal terms */
	int first_moy;          /* month of year of y[0]: 0 is January */
	enum crm_trend_season season;
	/* coef[0] intercept, coef[1] per month, coef[2 + k] the seasonal term
	 * of month (or quarter) k + 1 against the base one. */
	double coef[CRM_TREND_MAX_P];
	double sse, sst;
	double r2, adj_r2;      /* r2 is 1 when the totals never vary */
};

/* The number of parameters the rule above gives n months: 0 when too few. */
int crm_trend_params(int n);
/* Fits y[0..n-1], monthly totals from the month of year first_moy
 * (0..11). Returns 0, or -1 when n is out of 3..CRM_TREND_MAX_N or the
 * fit fails. */
int crm_trend_fit(const double *y, int n, int first_moy, struct crm_trend *);
/* The fitted value of month t (0 is y[0]; t >= n projects). */
double crm_trend_predict(const struct crm_trend *, int t);

#endif
