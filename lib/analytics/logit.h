/* L2-regularised logistic regression through liblinear (solver L2R_LR,
 * the trust-region Newton method on the primal), set up as scikit-learn's
 * LogisticRegression(solver='liblinear') sets it up, so both give the same
 * model on the same rows:
 *   - C = 1 and tol 1e-4 (scikit-learn's defaults, liblinear's eps);
 *   - the intercept as liblinear's bias feature of value 1
 *     (intercept_scaling=1), which is regularised with the weights, as
 *     scikit-learn's is;
 *   - labels 0 and 1; the probability is that of label 1 (predict_proba's
 *     second column), 1 / (1 + exp(-(w.x + b))).
 * Rows are x, n by d, row-major; the caller standardises them when the
 * coefficients are to be compared (crm_logit_scale_*). liblinear's
 * progress output is silenced once for the process. */
#ifndef CRM_LOGIT_H
#define CRM_LOGIT_H

#include <stddef.h>

#include "crm.h"

struct crm_logit {
	size_t d;
	double *w;              /* d coefficients, for label 1 */
	double intercept;
};

#define CRM_LOGIT_C 1.0
#define CRM_LOGIT_EPS 1e-4

/* Fits y (each 0 or 1) on x. CRM_EINVAL when n or d is 0, a value is not
 * finite, or the rows hold only one label (there is nothing to learn).
 * The model's w is allocated; crm_logit_free releases it. */
enum crm_err crm_logit_fit(const double *x, const int *y, size_t n, size_t d, double C,
    struct crm_logit *);
/* The probability of label 1 for one row of d values. */
double crm_logit_predict(const struct crm_logit *, const double *row);
void crm_logit_free(struct crm_logit *);

/* The column means and population standard deviations of x (n by d), as
 * StandardScaler learns them; a constant column gets sd 1 (scaled to 0,
 * not divided by 0), as StandardScaler does. */
void crm_logit_scale_fit(const double *x, size_t n, size_t d, double *mean, double *sd);
/* Standardises rows of x in place with those figures. */
void crm_logit_scale_apply(double *x, size_t n, size_t d, const double *mean, const double *sd);

#endif
