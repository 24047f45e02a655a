/* Apriori, association rules and item cosine (basket.h). Items become
 * dense indices 0..m-1 in id order (so index order is id order); pair and
 * triple counts live in one open-addressing table keyed by the packed
 * indices, because a shop's pairs are sparse: most products are never
 * bought together. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/basket.h"

#define KEY_BITS 21
#define MAX_ITEMS ((size_t)1 << KEY_BITS)

struct counts {
	uint64_t *keys;         /* key + 1; 0 marks an empty slot */
	long long *vals;
	size_t cap, used;
};

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
counts_init(struct counts *t, size_t cap)
{
	t->cap = 64;
	while (t->cap < cap * 2)
		t->cap *= 2;
	t->keys = crm_xcalloc(t->cap, sizeof(*t->keys));
	t->vals = crm_xcalloc(t->cap, sizeof(*t->vals));
	t->used = 0;
}

static void
counts_free(struct counts *t)
{
	free(t->keys);
	free(t->vals);
}

static size_t
counts_slot(const struct counts *t, uint64_t key)
{
	size_t i = (size_t)mix(key) & (t->cap - 1);

	while (t->keys[i] != 0 && t->keys[i] != key + 1)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static void counts_add(struct counts *, uint64_t key, long long by);

static void
counts_grow(struct counts *t)
{
	struct counts n;
	size_t i;

	counts_init(&n, t->cap);
	for (i = 0; i < t->cap; i++)
		if (t->keys[i] != 0)
			counts_add(&n, t->keys[i] - 1, t->vals[i]);
	counts_free(t);
	*t = n;
}

static void
counts_add(struct counts *t, uint64_t key, long long by)
{
	size_t i;

	if ((t->used + 1) * 2 > t->cap)
		counts_grow(t);
	i = counts_slot(t, key);
	if (t->keys[i] == 0) {
		t->keys[i] = key + 1;
		t->used++;
	}
	t->vals[i] += by;
}

static long long
counts_get(const struct counts *t, uint64_t key)
{
	size_t i = counts_slot(t, key);

	return t->keys[i] != 0 ? t->vals[i] : 0;
}

static uint64_t
pack(size_t a, size_t b, size_t c)
{
	return ((uint64_t)a << (2 * KEY_BITS)) | ((uint64_t)b << KEY_BITS) | (uint64_t)c;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The sets as sorted, distinct dense indices (CSR again), and the ids. */
struct dense {
	size_t n, m;
	size_t *start, *idx;
	long long *ids;
};

static void
dense_free(struct dense *d)
{
	free(d->start);
	free(d->idx);
	free(d->ids);
}

static enum crm_err
dense_make(const struct crm_baskets *bs, struct dense *d)
{
	size_t total = bs->n > 0 ? bs->start[bs->n] - bs->start[0] : 0, i, k, o, m = 0;
	long long *tmp;

	memset(d, 0, sizeof(*d));
	d->n = bs->n;
	d->ids = crm_xmalloc((total + 1) * sizeof(*d->ids));
	for (i = 0; i < total; i++) {
		if (bs->items[bs->start[0] + i] < 0) {
			free(d->ids);
			d->ids = NULL;
			return CRM_EINVAL;
		}
		d->ids[i] = bs->items[bs->start[0] + i];
	}
	qsort(d->ids, total, sizeof(*d->ids), cmp_ll);
	for (i = 0; i < total; i++)
		if (m == 0 || d->ids[m - 1] != d->ids[i])
			d->ids[m++] = d->ids[i];
	d->m = m;
	if (m > MAX_ITEMS) {
		free(d->ids);
		d->ids = NULL;
		return CRM_ETOOBIG;
	}
	d->start = crm_xmalloc((bs->n + 1) * sizeof(*d->start));
	d->idx = crm_xmalloc((total + 1) * sizeof(*d->idx));
	tmp = crm_xmalloc((total + 1) * sizeof(*tmp));
	for (k = 0, o = 0; k < bs->n; k++) {
		size_t len = bs->start[k + 1] - bs->start[k], j, u = 0;

		memcpy(tmp, bs->items + bs->start[k], len * sizeof(*tmp));
		qsort(tmp, len, sizeof(*tmp), cmp_ll);
		d->start[k] = o;
		for (j = 0; j < len; j++) {
			long long *at;

			if (u > 0 && tmp[j] == tmp[j - 1])
				continue;
			at = bsearch(&tmp[j], d->ids, m, sizeof(*d->ids), cmp_ll);
			d->idx[o++] = (size_t)(at - d->ids);
			u++;
		}
	}
	d->start[bs->n] = o;
	free(tmp);
	return CRM_OK;
}

/* The support test of basket.h: the double quotient against the threshold. */
static int
frequent(long long count, size_t n, double min_support)
{
	return n > 0 && (double)count / (double)n >= min_support;
}

int
crm_basket_rule_cmp(const struct crm_basket_rule *a, const struct crm_basket_rule *b)
{
	size_t i;

	if (a->lift != b->lift)
		return a->lift > b->lift ? -1 : 1;
	if (a->confidence != b->confidence)
		return a->confidence > b->confidence ? -1 : 1;
	if (a->support != b->support)
		return a->support > b->support ? -1 : 1;
	for (i = 0; i < a->nantecedent && i < b->nantecedent; i++)
		if (a->antecedent[i] != b->antecedent[i])
			return a->antecedent[i] < b->antecedent[i] ? -1 : 1;
	if (a->nantecedent != b->nantecedent)
		return a->nantecedent < b->nantecedent ? -1 : 1;
	return (a->consequent > b->consequent) - (a->consequent < b->consequent);
}

static int
rule_qsort(const void *a, const void *b)
{
	return crm_basket_rule_cmp(a, b);
}

struct rules {
	struct crm_basket_rule *v;
	size_t n, cap;
	size_t nb;
	double min_confidence;
	const long long *ids;
	const long long *single;
};

/* X => y where X is x0 (and x1 when nx is 2), count(X), count(X u {y}). */
static void
rule_add(struct rules *r, const size_t *x, size_t nx, size_t y, long long cx, long long cxy)
{
	struct crm_basket_rule *u;
	double confidence = (double)cxy / (double)cx;

	if (confidence < r->min_confidence)
		return;
	if (r->n == r->cap)
		r->v = crm_xrealloc(r->v, (r->cap = r->cap ? r->cap * 2 : 256) * sizeof(*r->v));
	u = &r->v[r->n++];
	memset(u, 0, sizeof(*u));
	u->antecedent[0] = r->ids[x[0]];
	u->antecedent[1] = nx > 1 ? r->ids[x[1]] : 0;
	u->nantecedent = nx;
	u->consequent = r->ids[y];
	u->count = cxy;
	u->support = (double)cxy / (double)r->nb;
	u->confidence = confidence;
	/* Both products are exact in a double below 2^53: counts under 2^26. */
	u->lift = ((double)cxy * (double)r->nb) / ((double)cx * (double)r->single[y]);
}

enum crm_err
crm_basket_rules(const struct crm_baskets *bs, double min_support, double min_confidence,
    struct crm_basket_rule **out, size_t *nout, struct crm_basket_stats *stats)
{
	struct dense d;
	struct counts pairs, triples;
	struct rules r = { 0 };
	long long *single;
	size_t *fl, k, i, j, l, nf = 0, np = 0, nt = 0;
	enum crm_err e;

	*out = NULL;
	*nout = 0;
	if (!(min_support >= 0 && min_support <= 1) || !(min_confidence >= 0 && min_confidence <= 1))
		return CRM_EINVAL;
	if ((e = dense_make(bs, &d)) != CRM_OK)
		return e;
	single = crm_xcalloc(d.m + 1, sizeof(*single));
	for (k = 0; k < d.start[d.n]; k++)
		single[d.idx[k]]++;
	for (i = 0; i < d.m; i++)
		nf += frequent(single[i], d.n, min_support);

	/* Pairs of frequent items, then triples whose three pairs are frequent. */
	fl = crm_xmalloc((d.m + 1) * sizeof(*fl));
	counts_init(&pairs, 1024);
	counts_init(&triples, 1024);
	for (k = 0; k < d.n; k++) {
		size_t nfl = 0;

		for (i = d.start[k]; i < d.start[k + 1]; i++)
			if (frequent(single[d.idx[i]], d.n, min_support))
				fl[nfl++] = d.idx[i];
		for (i = 0; i < nfl; i++)
			for (j = i + 1; j < nfl; j++)
				counts_add(&pairs, pack(0, fl[i], fl[j]), 1);
	}
	for (k = 0; k < pairs.cap; k++)
		np += pairs.keys[k] != 0 && frequent(pairs.vals[k], d.n, min_support);
	for (k = 0; k < d.n && np > 0; k++) {
		size_t nfl = 0;

		for (i = d.start[k]; i < d.start[k + 1]; i++)
			if (frequent(single[d.idx[i]], d.n, min_support))
				fl[nfl++] = d.idx[i];
		for (i = 0; i < nfl; i++)
			for (j = i + 1; j < nfl; j++) {
				if (!frequent(counts_get(&pairs, pack(0, fl[i], fl[j])), d.n, min_support))
					continue;
				for (l = j + 1; l < nfl; l++)
					if (frequent(counts_get(&pairs, pack(0, fl[i], fl[l])), d.n, min_support) &&
					    frequent(counts_get(&pairs, pack(0, fl[j], fl[l])), d.n, min_support))
						counts_add(&triples, pack(fl[i], fl[j], fl[l]), 1);
			}
	}

	r.nb = d.n;
	r.min_confidence = min_confidence;
	r.ids = d.ids;
	r.single = single;
	for (k = 0; k < pairs.cap; k++) {
		size_t a, b;
		long long c = pairs.vals[k];

		if (pairs.keys[k] == 0 || !frequent(c, d.n, min_support))
			continue;
		a = (size_t)((pairs.keys[k] - 1) >> KEY_BITS) & (MAX_ITEMS - 1);
		b = (size_t)(pairs.keys[k] - 1) & (MAX_ITEMS - 1);
		rule_add(&r, &a, 1, b, single[a], c);
		rule_add(&r, &b, 1, a, single[b], c);
	}
	for (k = 0; k < triples.cap; k++) {
		size_t t[3], x[2];
		long long c = triples.vals[k];
		uint64_t key;

		if (triples.keys[k] == 0 || !frequent(c, d.n, min_support))
			continue;
		nt++;
		key = triples.keys[k] - 1;
		t[0] = (size_t)(key >> (2 * KEY_BITS)) & (MAX_ITEMS - 1);
		t[1] = (size_t)(key >> KEY_BITS) & (MAX_ITEMS - 1);
		t[2] = (size_t)key & (MAX_ITEMS - 1);
		for (i = 0; i < 3; i++) {
			size_t nx = 0;

			for (j = 0; j < 3; j++)
				if (j != i)
					x[nx++] = t[j];
			rule_add(&r, x, 2, t[i], counts_get(&pairs, pack(0, x[0], x[1])), c);
		}
	}
	if (r.n > 0)
		qsort(r.v, r.n, sizeof(*r.v), rule_qsort);
	if (stats != NULL) {
		stats->items = d.m;
		stats->frequent[0] = nf;
		stats->frequent[1] = np;
		stats->frequent[2] = nt;
	}
	*out = r.v;
	*nout = r.n;
	counts_free(&pairs);
	counts_free(&triples);
	free(fl);
	free(single);
	dense_free(&d);
	return CRM_OK;
}

static int
similar_qsort(const void *pa, const void *pb)
{
	const struct crm_basket_similar *a = pa, *b = pb;

	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	if (a->cosine != b->cosine)
		return a->cosine > b->cosine ? -1 : 1;
	return (a->similar > b->similar) - (a->similar < b->similar);
}

enum crm_err
crm_basket_cosine(const struct crm_baskets *cs, size_t top, struct crm_basket_similar **out, size_t *nout)
{
	struct dense d;
	struct counts co;
	struct crm_basket_similar *all, *v;
	long long *buyers;
	size_t k, i, j, n = 0, kept = 0, run = 0;
	enum crm_err e;

	*out = NULL;
	*nout = 0;
	if ((e = dense_make(cs, &d)) != CRM_OK)
		return e;
	buyers = crm_xcalloc(d.m + 1, sizeof(*buyers));
	counts_init(&co, 1024);
	for (k = 0; k < d.n; k++)
		for (i = d.start[k]; i < d.start[k + 1]; i++) {
			buyers[d.idx[i]]++;
			for (j = i + 1; j < d.start[k + 1]; j++)
				counts_add(&co, pack(0, d.idx[i], d.idx[j]), 1);
		}
	all = crm_xmalloc((2 * co.used + 1) * sizeof(*all));
	for (k = 0; k < co.cap; k++) {
		size_t a, b;
		double cosine;

		if (co.keys[k] == 0)
			continue;
		a = (size_t)((co.keys[k] - 1) >> KEY_BITS) & (MAX_ITEMS - 1);
		b = (size_t)(co.keys[k] - 1) & (MAX_ITEMS - 1);
		cosine = (double)co.vals[k] / sqrt((double)buyers[a] * (double)buyers[b]);
		all[n++] = (struct crm_basket_similar){ d.ids[a], d.ids[b], 0, cosine };
		all[n++] = (struct crm_basket_similar){ d.ids[b], d.ids[a], 0, cosine };
	}
	if (n > 0)
		qsort(all, n, sizeof(*all), similar_qsort);
	v = crm_xmalloc((n + 1) * sizeof(*v));
	for (k = 0; k < n; k++) {
		run = k > 0 && all[k].item == all[k - 1].item ? run + 1 : 0;
		if (run < top) {
			v[kept] = all[k];
			v[kept++].rank = (unsigned)run + 1;
		}
	}
	free(all);
	free(buyers);
	counts_free(&co);
	dense_free(&d);
	*out = v;
	*nout = kept;
	return CRM_OK;
}
