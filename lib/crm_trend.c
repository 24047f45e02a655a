/* Least squares of monthly totals on a linear trend and seasonal dummies
 * (crm_trend.h says which). GSL solves by SVD, so a rank-deficient design
 * still gives the minimum-norm answer instead of garbage. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

#include "crm_trend.h"

int
crm_trend_params(int n)
{
	if (n >= 24)
		return 2 + 11;
	if (n >= 12)
		return 2 + 3;
	if (n >= 3)
		return 2;
	return 0;
}

static enum crm_trend_season
season_of(int p)
{
	return p == 13 ? CRM_TREND_MONTH : p == 5 ? CRM_TREND_QUARTER : CRM_TREND_NONE;
}

/* Row t of the design matrix into x[0..p-1]. */
static void
design_row(const struct crm_trend *tr, int t, double *x)
{
	int moy = (tr->first_moy + t) % 12, k, season;

	x[0] = 1.0;
	x[1] = (double)t;
	for (k = 2; k < tr->p; k++)
		x[k] = 0.0;
	season = tr->season == CRM_TREND_MONTH ? moy : tr->season == CRM_TREND_QUARTER ? moy / 3 : 0;
	if (season > 0)
		x[1 + season] = 1.0;
}

int
crm_trend_fit(const double *y, int n, int first_moy, struct crm_trend *tr)
{
	gsl_multifit_linear_workspace *w;
	gsl_matrix *X, *cov;
	gsl_vector *yv, *c;
	double x[CRM_TREND_MAX_P], mean = 0.0, chisq = 0.0;
	int t, k, rc;

	if (n < 3 || n > CRM_TREND_MAX_N || first_moy < 0 || first_moy > 11)
		return -1;
	tr->n = n;
	tr->p = crm_trend_params(n);
	tr->first_moy = first_moy;
	tr->season = season_of(tr->p);
	/* GSL's default handler aborts; we report through the return value. */
	gsl_set_error_handler_off();
	X = gsl_matrix_alloc((size_t)n, (size_t)tr->p);
	cov = gsl_matrix_alloc((size_t)tr->p, (size_t)tr->p);
	yv = gsl_vector_alloc((size_t)n);
	c = gsl_vector_alloc((size_t)tr->p);
	w = gsl_multifit_linear_alloc((size_t)n, (size_t)tr->p);
	for (t = 0; t < n; t++) {
		design_row(tr, t, x);
		for (k = 0; k < tr->p; k++)
			gsl_matrix_set(X, (size_t)t, (size_t)k, x[k]);
		gsl_vector_set(yv, (size_t)t, y[t]);
		mean += y[t];
	}
	mean /= n;
	rc = gsl_multifit_linear(X, yv, c, cov, &chisq, w);
	for (k = 0; k < CRM_TREND_MAX_P; k++)
		tr->coef[k] = k < tr->p && rc == GSL_SUCCESS ? gsl_vector_get(c, (size_t)k) : 0.0;
	gsl_multifit_linear_free(w);
	gsl_vector_free(c);
	gsl_vector_free(yv);
	gsl_matrix_free(cov);
	gsl_matrix_free(X);
	if (rc != GSL_SUCCESS)
		return -1;
	tr->sse = 0.0;
	tr->sst = 0.0;
	/* The residuals again from the coefficients, rather than chisq, so
	 * R squared and the predictions agree to the last bit. */
	for (t = 0; t < n; t++) {
		double e = y[t] - crm_trend_predict(tr, t);

		tr->sse += e * e;
		tr->sst += (y[t] - mean) * (y[t] - mean);
	}
	if (tr->sst > 0.0) {
		tr->r2 = 1.0 - tr->sse / tr->sst;
		tr->adj_r2 = 1.0 - (1.0 - tr->r2) * (double)(n - 1) / (double)(n - tr->p);
	} else {
		tr->r2 = 1.0;
		tr->adj_r2 = 1.0;
	}
	return 0;
}

double
crm_trend_predict(const struct crm_trend *tr, int t)
{
	double x[CRM_TREND_MAX_P], v = 0.0;
	int k;

	design_row(tr, t, x);
	for (k = 0; k < tr->p; k++)
		v += tr->coef[k] * x[k];
	return v;
}
