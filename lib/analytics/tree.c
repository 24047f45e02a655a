/* The entropy decision tree (tree.h). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/tree.h"

#define FEATURE_THRESHOLD 1e-7

struct grow {
	const double *x;
	const int *y;
	size_t d;
	struct crm_tree_opt opt;
	struct crm_tree *t;
	size_t cap;
	struct pair { double v; int y; } *pairs;
};

/* n times the entropy in bits of a node with pos of n rows label 1. */
static double
weighted_entropy(double pos, double n)
{
	double h = 0.0, p;

	if (n <= 0.0)
		return 0.0;
	p = pos / n;
	if (p > 0.0)
		h -= p * log2(p);
	if (p < 1.0)
		h -= (1.0 - p) * log2(1.0 - p);
	return n * h;
}

static int
by_value(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return (x->v > y->v) - (x->v < y->v);
}

static int
new_node(struct grow *g)
{
	if (g->t->nnodes == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->t->nodes = crm_xrealloc(g->t->nodes, g->cap * sizeof(*g->t->nodes));
	}
	return (int)g->t->nnodes++;
}

/* The best split of rows idx[0..n): its feature (-1: none) and threshold. */
static int
best_split(struct grow *g, const size_t *idx, size_t n, size_t npos, double *threshold)
{
	size_t f, i, lpos, minleaf = g->opt.min_samples_leaf;
	double best = -INFINITY, proxy, t;
	int bestf = -1;

	for (f = 0; f < g->d; f++) {
		for (i = 0; i < n; i++)
			g->pairs[i] = (struct pair){ g->x[idx[i] * g->d + f], g->y[idx[i]] };
		qsort(g->pairs, n, sizeof(*g->pairs), by_value);
		if (g->pairs[n - 1].v <= g->pairs[0].v + FEATURE_THRESHOLD)
			continue;               /* constant here */
		lpos = 0;
		for (i = 1; i < n; i++) {
			lpos += (size_t)g->pairs[i - 1].y;
			/* i rows go left; only between distinct values. */
			if (g->pairs[i].v <= g->pairs[i - 1].v + FEATURE_THRESHOLD)
				continue;
			if (i < minleaf || n - i < minleaf)
				continue;
			proxy = -weighted_entropy((double)lpos, (double)i) -
			    weighted_entropy((double)(npos - lpos), (double)(n - i));
			if (proxy > best) {
				best = proxy;
				bestf = (int)f;
				t = g->pairs[i - 1].v / 2.0 + g->pairs[i].v / 2.0;
				if (t == g->pairs[i].v || isinf(t))
					t = g->pairs[i - 1].v;
				*threshold = t;
			}
		}
	}
	return bestf;
}

static int
grow(struct grow *g, size_t *idx, size_t n, unsigned depth)
{
	struct crm_tree_node *node;
	size_t i, npos = 0, nleft;
	double threshold = 0.0, h;
	int id = new_node(g), f, l, r;

	for (i = 0; i < n; i++)
		npos += (size_t)g->y[idx[i]];
	node = &g->t->nodes[id];
	*node = (struct crm_tree_node){ -1, 0.0, -1, -1, -1, n, npos };
	h = weighted_entropy((double)npos, (double)n) / (double)n;
	if (depth >= g->opt.max_depth || n < 2 || n < 2 * g->opt.min_samples_leaf || h <= DBL_EPSILON ||
	    (f = best_split(g, idx, n, npos, &threshold)) < 0) {
		g->t->nodes[id].leaf = (int)g->t->nleaves++;
		return id;
	}
	/* Rows at or below the threshold first. */
	for (i = 0, nleft = 0; i < n; i++)
		if (g->x[idx[i] * g->d + (size_t)f] <= threshold) {
			size_t s = idx[nleft];

			idx[nleft++] = idx[i];
			idx[i] = s;
		}
	l = grow(g, idx, nleft, depth + 1);
	r = grow(g, idx + nleft, n - nleft, depth + 1);
	node = &g->t->nodes[id];        /* the array may have moved */
	node->feature = f;
	node->threshold = threshold;
	node->left = l;
	node->right = r;
	return id;
}

enum crm_err
crm_tree_fit(const double *x, const int *y, size_t n, size_t d, const struct crm_tree_opt *opt,
    struct crm_tree *t)
{
	struct grow g;
	size_t *idx, i, j;

	memset(t, 0, sizeof(*t));
	if (n == 0 || d == 0 || opt->max_depth < 1 || opt->max_depth > 64 || opt->min_samples_leaf < 1)
		return CRM_EINVAL;
	for (i = 0; i < n; i++) {
		if (y[i] != 0 && y[i] != 1)
			return CRM_EINVAL;
		for (j = 0; j < d; j++)
			if (!isfinite(x[i * d + j]))
				return CRM_EINVAL;
	}
	g = (struct grow){ x, y, d, *opt, t, 0, NULL };
	t->d = d;
	g.pairs = crm_xmalloc(n * sizeof(*g.pairs));
	idx = crm_xmalloc(n * sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = i;
	grow(&g, idx, n, 0);
	free(idx);
	free(g.pairs);
	return CRM_OK;
}

static const struct crm_tree_node *
leaf_of(const struct crm_tree *t, const double *row)
{
	const struct crm_tree_node *node = &t->nodes[0];

	while (node->feature >= 0)
		node = &t->nodes[row[node->feature] <= node->threshold ? node->left : node->right];
	return node;
}

int
crm_tree_leaf(const struct crm_tree *t, const double *row)
{
	return leaf_of(t, row)->leaf;
}

double
crm_tree_predict(const struct crm_tree *t, const double *row)
{
	const struct crm_tree_node *node = leaf_of(t, row);

	return node->n > 0 ? (double)node->n_pos / (double)node->n : 0.0;
}

struct walk {
	const struct crm_tree *t;
	const struct crm_tree_feature *features;
	struct crm_tree_rule *rules;
	double *lo, *hi;        /* per feature: rows have lo < x <= hi */
};

static char *
conditions(const struct walk *w)
{
	char *text = crm_xstrdup(""), part[400];
	size_t j, len;
	int has_lo, has_hi;

	for (j = 0; j < w->t->d; j++) {
		has_lo = w->lo[j] > -INFINITY;
		has_hi = w->hi[j] < INFINITY;
		if (!has_lo && !has_hi)
			continue;
		if (w->features[j].negated != NULL)
			snprintf(part, sizeof(part), "%s", has_lo ? w->features[j].name : w->features[j].negated);
		else if (has_lo && has_hi)
			snprintf(part, sizeof(part), "%.6g < %s <= %.6g", w->lo[j], w->features[j].name, w->hi[j]);
		else if (has_lo)
			snprintf(part, sizeof(part), "%s > %.6g", w->features[j].name, w->lo[j]);
		else
			snprintf(part, sizeof(part), "%s <= %.6g", w->features[j].name, w->hi[j]);
		len = strlen(text);
		text = crm_xrealloc(text, len + strlen(part) + 6);
		sprintf(text + len, "%s%s", len > 0 ? " and " : "", part);
	}
	return text;
}

static void
walk(struct walk *w, int id)
{
	const struct crm_tree_node *node = &w->t->nodes[id];
	double was;

	if (node->feature < 0) {
		struct crm_tree_rule *r = &w->rules[node->leaf];

		r->conditions = conditions(w);
		r->lo = crm_xmalloc(w->t->d * sizeof(*r->lo));
		r->hi = crm_xmalloc(w->t->d * sizeof(*r->hi));
		memcpy(r->lo, w->lo, w->t->d * sizeof(*r->lo));
		memcpy(r->hi, w->hi, w->t->d * sizeof(*r->hi));
		r->count = node->n;
		r->share = node->n > 0 ? (double)node->n_pos / (double)node->n : 0.0;
		return;
	}
	was = w->hi[node->feature];
	if (node->threshold < was)
		w->hi[node->feature] = node->threshold;
	walk(w, node->left);
	w->hi[node->feature] = was;
	was = w->lo[node->feature];
	if (node->threshold > was)
		w->lo[node->feature] = node->threshold;
	walk(w, node->right);
	w->lo[node->feature] = was;
}

void
crm_tree_rules(const struct crm_tree *t, const struct crm_tree_feature *features, struct crm_tree_rule *rules)
{
	struct walk w = { t, features, rules, NULL, NULL };
	size_t j;

	if (t->nnodes == 0)
		return;
	w.lo = crm_xmalloc(t->d * sizeof(*w.lo));
	w.hi = crm_xmalloc(t->d * sizeof(*w.hi));
	for (j = 0; j < t->d; j++) {
		w.lo[j] = -INFINITY;
		w.hi[j] = INFINITY;
	}
	walk(&w, 0);
	free(w.lo);
	free(w.hi);
}

void
crm_tree_rules_free(struct crm_tree_rule *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rules[i].conditions);
		free(rules[i].lo);
		free(rules[i].hi);
	}
}

void
crm_tree_free(struct crm_tree *t)
{
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}
