/* k-means as scikit-learn's Lloyd with greedy k-means++ (kmeans.h gives
 * the rules). Each step follows sklearn's order of operations so that the
 * same data converge to the same kind of answer. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/kmeans.h"
#include "analytics/rng.h"

/* What one run needs besides the data, allocated once for all restarts. */
struct work {
	const double *x;
	size_t n, d, k;
	double *closest;        /* n: squared distance to the nearest centre */
	double *trial;          /* n: the same with a candidate centre added */
	double *cum;            /* n: running sum of closest */
	double *sums;           /* k * d */
	size_t *count;          /* k */
	double *old;            /* k * d: centres before the M-step */
	int *prev;              /* n: labels of the previous iteration */
	int *lab;               /* n */
	double *cen;            /* k * d */
};

static double
dist2(const double *a, const double *b, size_t d)
{
	double s = 0.0, t;
	size_t j;

	for (j = 0; j < d; j++) {
		t = a[j] - b[j];
		s += t * t;
	}
	return s;
}

/* The first i with cum[i] >= v (numpy's searchsorted, side left), at most
 * n - 1 as sklearn clips it: rounding may leave v past the last sum. */
static size_t
search(const double *cum, size_t n, double v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cum[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? lo : n - 1;
}

static void
plus_plus(struct work *w, struct crm_rng *g)
{
	size_t n = w->n, d = w->d, i, c, t, trials, best, cand[64];
	double pot, best_pot, *swap;

	/* 2 + ln k stays under 46 for any k a size_t can hold. */
	trials = 2 + (size_t)floor(log((double)w->k));
	best = (size_t)crm_rng_below(g, n);
	memcpy(w->cen, w->x + best * d, d * sizeof(double));
	pot = 0.0;
	for (i = 0; i < n; i++) {
		w->closest[i] = dist2(w->x + i * d, w->cen, d);
		pot += w->closest[i];
	}
	for (c = 1; c < w->k; c++) {
		double sum = 0.0;

		for (i = 0; i < n; i++) {
			sum += w->closest[i];
			w->cum[i] = sum;
		}
		/* sklearn draws every trial before it measures any. */
		for (t = 0; t < trials; t++)
			cand[t] = search(w->cum, n, crm_rng_uniform(g) * pot);
		best_pot = INFINITY;
		best = cand[0];
		for (t = 0; t < trials; t++) {
			double cpot = 0.0;

			for (i = 0; i < n; i++) {
				double dd = dist2(w->x + i * d, w->x + cand[t] * d, d);

				w->trial[i] = dd < w->closest[i] ? dd : w->closest[i];
				cpot += w->trial[i];
			}
			/* cum is free once the draws are made: it keeps the best. */
			if (t == 0 || cpot < best_pot) {
				best_pot = cpot;
				best = cand[t];
				swap = w->cum;
				w->cum = w->trial;
				w->trial = swap;
			}
		}
		swap = w->closest;
		w->closest = w->cum;
		w->cum = swap;
		pot = best_pot;
		memcpy(w->cen + c * d, w->x + best * d, d * sizeof(double));
	}
}

/* Each point to its nearest centre (the lower index on a tie); closest
 * keeps the distance for the empty-cluster rule. */
static void
assign(struct work *w)
{
	size_t i, j, n = w->n, d = w->d, k = w->k;

	for (i = 0; i < n; i++) {
		double best = INFINITY;
		int lab = 0;

		for (j = 0; j < k; j++) {
			double dd = dist2(w->x + i * d, w->cen + j * d, d);

			if (dd < best) {
				best = dd;
				lab = (int)j;
			}
		}
		w->lab[i] = lab;
		w->closest[i] = best;
	}
}

/* An empty cluster takes the farthest point from its own centre; the
 * point's old cluster gives it up. Labels change at the next assignment. */
static void
fill_empty(struct work *w)
{
	size_t n = w->n, d = w->d, j, i, m;

	for (j = 0; j < w->k; j++) {
		double far = -1.0;
		size_t at = 0, old;

		if (w->count[j] > 0)
			continue;
		for (i = 0; i < n; i++)
			if (w->closest[i] > far) {
				far = w->closest[i];
				at = i;
			}
		/* Taken: the next empty cluster looks for the next farthest. */
		w->closest[at] = -1.0;
		old = (size_t)w->lab[at];
		for (m = 0; m < d; m++) {
			w->sums[old * d + m] -= w->x[at * d + m];
			w->sums[j * d + m] = w->x[at * d + m];
		}
		w->count[old]--;
		w->count[j] = 1;
	}
}

/* New centres from the current labels; returns the summed squared shift. */
static double
update(struct work *w)
{
	size_t n = w->n, d = w->d, k = w->k, i, j, m;
	double shift = 0.0;

	memcpy(w->old, w->cen, k * d * sizeof(double));
	memset(w->sums, 0, k * d * sizeof(double));
	memset(w->count, 0, k * sizeof(size_t));
	for (i = 0; i < n; i++) {
		j = (size_t)w->lab[i];
		w->count[j]++;
		for (m = 0; m < d; m++)
			w->sums[j * d + m] += w->x[i * d + m];
	}
	fill_empty(w);
	for (j = 0; j < k; j++) {
		/* A cluster emptied by giving its point away keeps its centre. */
		if (w->count[j] == 0)
			continue;
		for (m = 0; m < d; m++)
			w->cen[j * d + m] = w->sums[j * d + m] / (double)w->count[j];
		shift += dist2(w->cen + j * d, w->old + j * d, d);
	}
	return shift;
}

static double
inertia(const struct work *w)
{
	double s = 0.0;
	size_t i;

	for (i = 0; i < w->n; i++)
		s += dist2(w->x + i * w->d, w->cen + (size_t)w->lab[i] * w->d, w->d);
	return s;
}

/* One restart: Lloyd from the k-means++ centres in w->cen. */
static unsigned
lloyd(struct work *w, unsigned max_iter, double tol)
{
	unsigned it;
	int strict = 0;
	size_t i;

	for (i = 0; i < w->n; i++)
		w->prev[i] = -1;
	for (it = 0; it < max_iter; it++) {
		double shift;

		assign(w);
		shift = update(w);
		if (memcmp(w->lab, w->prev, w->n * sizeof(int)) == 0) {
			strict = 1;
			break;
		}
		if (shift <= tol)
			break;
		memcpy(w->prev, w->lab, w->n * sizeof(int));
	}
	/* Otherwise the labels lag the centres by one update. */
	if (!strict)
		assign(w);
	return it < max_iter ? it + 1 : max_iter;
}

static int
all_finite(const double *x, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

/* sklearn's absolute tolerance: tol times the mean of the column variances. */
static double
abs_tol(const double *x, size_t n, size_t d, double tol)
{
	double mean, var, total = 0.0;
	size_t i, m;

	for (m = 0; m < d; m++) {
		mean = 0.0;
		for (i = 0; i < n; i++)
			mean += x[i * d + m];
		mean /= (double)n;
		var = 0.0;
		for (i = 0; i < n; i++)
			var += (x[i * d + m] - mean) * (x[i * d + m] - mean);
		total += var / (double)n;
	}
	return total / (double)d * tol;
}

enum crm_err
crm_kmeans(const double *x, size_t n, size_t d, size_t k,
    const struct crm_kmeans_opt *opt, int *labels, double *centres,
    struct crm_kmeans_fit *fit)
{
	static const struct crm_kmeans_opt defaults = CRM_KMEANS_OPT_DEFAULT;
	struct crm_rng g;
	struct work w;
	double tol, best = INFINITY, in;
	unsigned r, iters;

	if (opt == NULL)
		opt = &defaults;
	/* Labels are ints; sizes past SIZE_MAX bytes cannot be allocated. */
	if (n == 0 || d == 0 || k == 0 || k > n || k > (size_t)INT_MAX ||
	    n > SIZE_MAX / sizeof(double) / d ||
	    opt->n_init == 0 || opt->max_iter == 0 || !(opt->tol >= 0.0) ||
	    !all_finite(x, n * d))
		return CRM_EINVAL;
	tol = abs_tol(x, n, d, opt->tol);
	w.x = x, w.n = n, w.d = d, w.k = k;
	w.closest = crm_xmalloc(n * sizeof(double));
	w.trial = crm_xmalloc(n * sizeof(double));
	w.cum = crm_xmalloc(n * sizeof(double));
	w.sums = crm_xmalloc(k * d * sizeof(double));
	w.old = crm_xmalloc(k * d * sizeof(double));
	w.cen = crm_xmalloc(k * d * sizeof(double));
	w.count = crm_xmalloc(k * sizeof(size_t));
	w.prev = crm_xmalloc(n * sizeof(int));
	w.lab = crm_xmalloc(n * sizeof(int));
	crm_rng_seed(&g, opt->seed);
	for (r = 0; r < opt->n_init; r++) {
		plus_plus(&w, &g);
		iters = lloyd(&w, opt->max_iter, tol);
		in = inertia(&w);
		/* The first restart always counts, even at an infinite inertia. */
		if (r == 0 || in < best) {
			best = in;
			memcpy(labels, w.lab, n * sizeof(int));
			memcpy(centres, w.cen, k * d * sizeof(double));
			fit->inertia = in;
			fit->n_iter = iters;
			fit->best_init = r;
		}
	}
	free(w.closest);
	free(w.trial);
	free(w.cum);
	free(w.sums);
	free(w.old);
	free(w.cen);
	free(w.count);
	free(w.prev);
	free(w.lab);
	return CRM_OK;
}

enum crm_err
crm_kmeans_curve(const double *x, size_t n, size_t d, size_t kmax,
    const struct crm_kmeans_opt *opt, double *out)
{
	struct crm_kmeans_fit fit;
	enum crm_err rc = CRM_OK;
	double *centres;
	int *labels;
	size_t k;

	if (n == 0 || d == 0)
		return CRM_EINVAL;
	labels = crm_xmalloc(n * sizeof(int));
	centres = crm_xmalloc((kmax < n ? kmax : n) * d * sizeof(double));
	for (k = 1; k <= kmax; k++) {
		if (k > n) {
			out[k - 1] = 0.0;
			continue;
		}
		if ((rc = crm_kmeans(x, n, d, k, opt, labels, centres, &fit)) != CRM_OK)
			break;
		out[k - 1] = fit.inertia;
	}
	free(labels);
	free(centres);
	return rc;
}

enum crm_err
crm_kmeans_zscore(double *x, size_t n, size_t d, double *mean, double *sd)
{
	double mu, var, s;
	size_t i, m;

	if (!all_finite(x, n * d))
		return CRM_EINVAL;
	for (m = 0; m < d; m++) {
		mu = 0.0;
		for (i = 0; i < n; i++)
			mu += x[i * d + m];
		mu = n ? mu / (double)n : 0.0;
		var = 0.0;
		for (i = 0; i < n; i++)
			var += (x[i * d + m] - mu) * (x[i * d + m] - mu);
		s = n ? sqrt(var / (double)n) : 0.0;
		for (i = 0; i < n; i++)
			x[i * d + m] = s > 0.0 ? (x[i * d + m] - mu) / s : 0.0;
		if (mean)
			mean[m] = mu;
		if (sd)
			sd[m] = s;
	}
	return CRM_OK;
}

size_t
crm_kmeans_elbow(const double *inertia, size_t kmax)
{
	double first, last, span, x, y, line, dist, best = -1.0;
	size_t k, choice = 1;

	if (kmax < 3)
		return kmax < 2 ? 1 : 2;
	first = inertia[0];
	last = inertia[kmax - 1];
	span = first - last;
	if (!(span > 0.0))
		return 1;
	for (k = 2; k < kmax; k++) {
		x = (double)(k - 1) / (double)(kmax - 1);
		y = (first - inertia[k - 1]) / span;    /* 0 at k = 1, 1 at kmax */
		line = x;
		dist = y - line;
		if (dist > best) {
			best = dist;
			choice = k;
		}
	}
	return choice;
}
