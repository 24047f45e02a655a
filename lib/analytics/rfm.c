/* RFM quintiles (rfm.h gives the rule). A stable order by value, with
 * the input position breaking ties, is pandas' rank(method='first'). */
#include <math.h>
#include <stdlib.h>

#include "analytics/rfm.h"

struct ranked {
	double v;
	size_t i;
};

static int
by_value_then_position(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->v < y->v)
		return -1;
	if (x->v > y->v)
		return 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

int
crm_rfm_quintile(size_t rank, size_t n)
{
	if (rank <= 1 || n <= 1)
		return 1;
	return (int)((5 * (rank - 1) + (n - 2)) / (n - 1));
}

enum crm_err
crm_rfm_scores(const double *x, size_t n, unsigned char *score)
{
	struct ranked *r;
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return CRM_EINVAL;
	if (n == 0)
		return CRM_OK;
	r = crm_xmalloc(n * sizeof *r);
	for (i = 0; i < n; i++) {
		r[i].v = x[i];
		r[i].i = i;
	}
	qsort(r, n, sizeof *r, by_value_then_position);
	for (i = 0; i < n; i++)
		score[r[i].i] = (unsigned char)crm_rfm_quintile(i + 1, n);
	free(r);
	return CRM_OK;
}

enum crm_err
crm_rfm(const double *recency, const double *frequency, const double *monetary,
    size_t n, struct crm_rfm *out)
{
	unsigned char *s;
	enum crm_err rc;
	size_t i;

	if (n == 0)
		return CRM_OK;
	s = crm_xmalloc(3 * n);
	if ((rc = crm_rfm_scores(recency, n, s)) != CRM_OK ||
	    (rc = crm_rfm_scores(frequency, n, s + n)) != CRM_OK ||
	    (rc = crm_rfm_scores(monetary, n, s + 2 * n)) != CRM_OK)
		goto out;
	for (i = 0; i < n; i++) {
		out[i].r = (unsigned char)(6 - s[i]);
		out[i].f = s[n + i];
		out[i].m = s[2 * n + i];
	}
out:
	free(s);
	return rc;
}
