/* Held-out split, ROC AUC and accuracy (metrics.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/metrics.h"
#include "analytics/rng.h"

size_t
crm_metrics_split(size_t n, double test_share, uint64_t seed, unsigned char *is_test)
{
	struct crm_rng g;
	size_t *order, i, j, t, ntest;

	if (n == 0)
		return 0;
	ntest = (size_t)ceil(test_share * (double)n);
	if (ntest > n)
		ntest = n;
	order = crm_xmalloc(n * sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = i;
	crm_rng_seed(&g, seed);
	/* Fisher-Yates over the first ntest places is enough. */
	for (i = 0; i < ntest; i++) {
		j = i + (size_t)crm_rng_below(&g, (uint64_t)(n - i));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	memset(is_test, 0, n);
	for (i = 0; i < ntest; i++)
		is_test[order[i]] = 1;
	free(order);
	return ntest;
}

struct scored {
	double s;
	int y;
};

static int
by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	return (x->s > y->s) - (x->s < y->s);
}

double
crm_metrics_auc(const double *score, const int *y, size_t n)
{
	struct scored *r;
	double pos = 0.0, neg = 0.0, ranksum = 0.0, rank;
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		pos += y[i] == 1;
		neg += y[i] != 1;
	}
	if (pos == 0.0 || neg == 0.0)
		return NAN;
	r = crm_xmalloc(n * sizeof(*r));
	for (i = 0; i < n; i++)
		r[i] = (struct scored){ score[i], y[i] == 1 };
	qsort(r, n, sizeof(*r), by_score);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && r[j].s == r[i].s; j++)
			;
		/* Ranks i+1..j share their mean. */
		rank = ((double)(i + 1) + (double)j) / 2.0;
		for (k = i; k < j; k++)
			if (r[k].y)
				ranksum += rank;
	}
	free(r);
	return (ranksum - pos * (pos + 1.0) / 2.0) / (pos * neg);
}

double
crm_metrics_accuracy(const double *p, const int *y, size_t n)
{
	size_t i, right = 0;

	if (n == 0)
		return NAN;
	for (i = 0; i < n; i++)
		right += (p[i] > 0.5) == (y[i] == 1);
	return (double)right / (double)n;
}
