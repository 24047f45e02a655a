/* Seasonal least squares with prediction intervals (ols.h). GSL solves the
 * fit by SVD; (X'X)^-1 comes separately from a Cholesky factor so the
 * leverage of each month does not depend on how GSL scales its
 * covariance. */
#include <math.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>

#include "analytics/ols.h"

void
crm_ols_row(const struct crm_ols *f, size_t t, double *x)
{
	int moy = (int)((f->first_moy + t) % 12);
	size_t k;

	x[0] = 1.0;
	x[1] = (double)t;
	for (k = 2; k < f->p; k++)
		x[k] = f->col_moy[k] == moy ? 1.0 : 0.0;
}

/* Which months of year get a term: those from February on that the n
 * months starting at first_moy hold at least twice. */
static void
choose_terms(struct crm_ols *f)
{
	int seen[12] = { 0 }, m;
	size_t t;

	for (t = 0; t < f->n; t++)
		seen[(f->first_moy + t) % 12]++;
	f->p = 2;
	f->col_moy[0] = -1;
	f->col_moy[1] = -1;
	for (m = 1; m < 12; m++)
		if (seen[m] >= 2)
			f->col_moy[f->p++] = m;
}

static enum crm_err
solve(const double *y, struct crm_ols *f, gsl_matrix *X, gsl_vector *yv, gsl_vector *c,
    gsl_matrix *cov, gsl_matrix *xtx, gsl_multifit_linear_workspace *w)
{
	double x[CRM_OLS_MAX_P], chisq, mean = 0.0, e, fit;
	size_t t, j, k;

	for (t = 0; t < f->n; t++) {
		crm_ols_row(f, t, x);
		for (k = 0; k < f->p; k++)
			gsl_matrix_set(X, t, k, x[k]);
		gsl_vector_set(yv, t, y[t]);
		mean += y[t];
	}
	mean /= (double)f->n;
	if (gsl_multifit_linear(X, yv, c, cov, &chisq, w) != GSL_SUCCESS)
		return CRM_EINVAL;
	if (gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, X, X, 0.0, xtx) != GSL_SUCCESS ||
	    gsl_linalg_cholesky_decomp1(xtx) != GSL_SUCCESS || gsl_linalg_cholesky_invert(xtx) != GSL_SUCCESS)
		return CRM_EINVAL;
	for (j = 0; j < f->p; j++) {
		f->coef[j] = gsl_vector_get(c, j);
		for (k = 0; k < f->p; k++)
			f->xtx_inv[j * f->p + k] = gsl_matrix_get(xtx, j, k);
	}
	/* The residuals from the coefficients rather than chisq, so R^2 and
	 * the fitted values agree to the last bit. */
	f->rss = 0.0;
	f->tss = 0.0;
	for (t = 0; t < f->n; t++) {
		crm_ols_row(f, t, x);
		for (fit = 0.0, k = 0; k < f->p; k++)
			fit += f->coef[k] * x[k];
		e = y[t] - fit;
		f->rss += e * e;
		f->tss += (y[t] - mean) * (y[t] - mean);
	}
	f->sigma2 = f->rss / (double)(f->n - f->p);
	f->r2 = f->tss > 0.0 ? 1.0 - f->rss / f->tss : 1.0;
	for (j = 0; j < f->p; j++)
		f->se[j] = sqrt(f->sigma2 * f->xtx_inv[j * f->p + j]);
	f->tq = gsl_cdf_tdist_Pinv(0.975, (double)(f->n - f->p));
	return isfinite(f->tq) && isfinite(f->sigma2) ? CRM_OK : CRM_EINVAL;
}

enum crm_err
crm_ols_fit(const double *y, size_t n, int first_moy, struct crm_ols *f)
{
	gsl_multifit_linear_workspace *w;
	gsl_matrix *X, *cov, *xtx;
	gsl_vector *yv, *c;
	gsl_error_handler_t *old;
	enum crm_err e;
	size_t t;

	memset(f, 0, sizeof(*f));
	if (n < CRM_OLS_MIN_N || first_moy < 0 || first_moy > 11)
		return CRM_EINVAL;
	for (t = 0; t < n; t++)
		if (!isfinite(y[t]))
			return CRM_EINVAL;
	f->n = n;
	f->first_moy = first_moy;
	choose_terms(f);
	if (f->n <= f->p)
		return CRM_EINVAL;
	/* GSL's default handler aborts; a singular design is an answer here. */
	old = gsl_set_error_handler_off();
	X = gsl_matrix_alloc(n, f->p);
	cov = gsl_matrix_alloc(f->p, f->p);
	xtx = gsl_matrix_alloc(f->p, f->p);
	yv = gsl_vector_alloc(n);
	c = gsl_vector_alloc(f->p);
	w = gsl_multifit_linear_alloc(n, f->p);
	e = solve(y, f, X, yv, c, cov, xtx, w);
	gsl_multifit_linear_free(w);
	gsl_vector_free(c);
	gsl_vector_free(yv);
	gsl_matrix_free(xtx);
	gsl_matrix_free(cov);
	gsl_matrix_free(X);
	gsl_set_error_handler(old);
	return e;
}

void
crm_ols_predict(const struct crm_ols *f, size_t t, double *yhat, double *lower, double *upper)
{
	double x[CRM_OLS_MAX_P], v = 0.0, lev = 0.0, half;
	size_t j, k;

	crm_ols_row(f, t, x);
	for (j = 0; j < f->p; j++) {
		v += f->coef[j] * x[j];
		for (k = 0; k < f->p; k++)
			lev += x[j] * f->xtx_inv[j * f->p + k] * x[k];
	}
	half = f->tq * sqrt(f->sigma2 * (1.0 + lev));
	*yhat = v;
	*lower = v - half;
	*upper = v + half;
}
