/* Logistic regression through liblinear (logit.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <linear.h>

#include "analytics/logit.h"

static void
quiet(const char *s)
{
	(void)s;
}

enum crm_err
crm_logit_fit(const double *x, const int *y, size_t n, size_t d, double C, struct crm_logit *m)
{
	struct feature_node *nodes, **rows;
	struct parameter param;
	struct problem prob;
	struct model *lm;
	double *labels, sign;
	size_t i, j, k = 0, pos = 0;

	memset(m, 0, sizeof(*m));
	if (n == 0 || d == 0 || n > (size_t)INT32_MAX || d + 1 > (size_t)INT32_MAX)
		return CRM_EINVAL;
	for (i = 0; i < n; i++) {
		if (y[i] != 0 && y[i] != 1)
			return CRM_EINVAL;
		pos += (size_t)y[i];
		for (j = 0; j < d; j++)
			if (!isfinite(x[i * d + j]))
				return CRM_EINVAL;
	}
	if (pos == 0 || pos == n)
		return CRM_EINVAL;
	set_print_string_function(quiet);
	nodes = crm_xmalloc(n * (d + 2) * sizeof(*nodes));
	rows = crm_xmalloc(n * sizeof(*rows));
	labels = crm_xmalloc(n * sizeof(*labels));
	for (i = 0; i < n; i++) {
		rows[i] = &nodes[k];
		for (j = 0; j < d; j++)
			if (x[i * d + j] != 0.0)
				nodes[k++] = (struct feature_node){ (int)j + 1, x[i * d + j] };
		nodes[k++] = (struct feature_node){ (int)d + 1, 1.0 };   /* the bias feature */
		nodes[k++] = (struct feature_node){ -1, 0.0 };
		labels[i] = (double)y[i];
	}
	prob = (struct problem){ (int)n, (int)d + 1, labels, rows, 1.0 };
	memset(&param, 0, sizeof(param));
	param.solver_type = L2R_LR;
	param.eps = CRM_LOGIT_EPS;
	param.C = C;
	if (check_parameter(&prob, &param) != NULL || (lm = train(&prob, &param)) == NULL) {
		free(nodes);
		free(rows);
		free(labels);
		return CRM_EINVAL;
	}
	/* liblinear's w decides for its first label, the first it met. */
	sign = lm->label[0] == 1 ? 1.0 : -1.0;
	m->d = d;
	m->w = crm_xmalloc(d * sizeof(*m->w));
	for (j = 0; j < d; j++)
		m->w[j] = sign * lm->w[j];
	m->intercept = sign * lm->w[d];
	free_and_destroy_model(&lm);
	free(nodes);
	free(rows);
	free(labels);
	return CRM_OK;
}

double
crm_logit_predict(const struct crm_logit *m, const double *row)
{
	double z = m->intercept;
	size_t j;

	for (j = 0; j < m->d; j++)
		z += m->w[j] * row[j];
	/* Either form overflows on one side only: pick the safe one. */
	if (z >= 0)
		return 1.0 / (1.0 + exp(-z));
	return exp(z) / (1.0 + exp(z));
}

void
crm_logit_free(struct crm_logit *m)
{
	free(m->w);
	memset(m, 0, sizeof(*m));
}

void
crm_logit_scale_fit(const double *x, size_t n, size_t d, double *mean, double *sd)
{
	size_t i, j;
	double s, v;

	for (j = 0; j < d; j++) {
		for (s = 0.0, i = 0; i < n; i++)
			s += x[i * d + j];
		mean[j] = n > 0 ? s / (double)n : 0.0;
		for (s = 0.0, i = 0; i < n; i++) {
			v = x[i * d + j] - mean[j];
			s += v * v;
		}
		sd[j] = n > 0 ? sqrt(s / (double)n) : 0.0;
		if (!(sd[j] > 1e-12 * (fabs(mean[j]) + 1.0)))
			sd[j] = 1.0;
	}
}

void
crm_logit_scale_apply(double *x, size_t n, size_t d, const double *mean, const double *sd)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < d; j++)
			x[i * d + j] = (x[i * d + j] - mean[j]) / sd[j];
}
