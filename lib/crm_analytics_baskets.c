/* The baskets step: the distinct products of each order that was not
 * cancelled make a basket; Apriori rules over the baskets and the cosine
 * of products over the accounts that bought them (analytics/basket.c)
 * replace association_rules (the top rules, id = rank) and
 * product_similar (each product's five nearest) in one transaction.
 *
 * The minimum support adapts to the data: a set must be in at least
 * MIN_BASKETS baskets (fewer is chance in a small shop) and in at least
 * MIN_SHARE of them (in a large one a fixed count would let millions of
 * rare pairs through, each a rule of no weight). Orders are read in
 * slices by id, so 10M orders never sit in one result set. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/basket.h"
#include "crm.h"
#include "crm_analytics.h"

#define MIN_BASKETS 5
#define MIN_SHARE 0.001
#define MIN_CONFIDENCE 0.1
#define RULES_KEPT 1000
#define SIMILAR_TOP 5
#define SLICE 20000     /* order ids a slice spans */

/* Orders are read by ranges of their key: a LIMIT after GROUP BY made
 * the server group everything past the start before stopping (0.2 s a
 * slice at two million orders, against 0.08 s for the range). */
static const char top_sql[] = "SELECT CAST(IFNULL(MAX(id), 0) AS SIGNED) AS top FROM orders";
static const char slice_sql[] = "SELECT o.id, o.account_id,"
    " CAST(GROUP_CONCAT(DISTINCT l.product_id SEPARATOR ',') AS CHAR) AS items"
    " FROM orders o JOIN order_lines l ON l.order_id = o.id"
    " WHERE o.id > ? AND o.id <= ? + 20000 AND o.status <> 'cancelled' GROUP BY o.id, o.account_id ORDER BY o.id";
static const char clear_rules_sql[] = "DELETE FROM association_rules";
static const char clear_similar_sql[] = "DELETE FROM product_similar";
static const char rule_head[] = "INSERT INTO association_rules (id, antecedent, consequent_id, support, confidence, lift) VALUES";
static const char similar_head[] = "INSERT INTO product_similar (product_id, rank_no, similar_id, cosine) VALUES";
static const char model_sql[] = "INSERT INTO analytics_models (name, trained_at, rows_used, metrics)"
    " VALUES ('baskets', UTC_TIMESTAMP(), ?, ?) ON DUPLICATE KEY UPDATE trained_at = VALUES(trained_at),"
    " rows_used = VALUES(rows_used), metrics = VALUES(metrics)";

/* An (account, product) pair: the customer x item matrix, one cell a row. */
struct cell {
	long long account, product;
};

struct loaded {
	size_t n, room, nitems, itemroom, ncells, cellroom;
	size_t *start;
	long long *items;
	struct cell *cells;
};

static void
load_free(struct loaded *l)
{
	free(l->start);
	free(l->items);
	free(l->cells);
}

static void
add_item(struct loaded *l, long long account, long long product)
{
	if (l->nitems == l->itemroom)
		l->items = crm_xrealloc(l->items, (l->itemroom = l->itemroom ? l->itemroom * 2 : 4096) * sizeof(*l->items));
	l->items[l->nitems++] = product;
	if (l->ncells == l->cellroom)
		l->cells = crm_xrealloc(l->cells, (l->cellroom = l->cellroom ? l->cellroom * 2 : 4096) * sizeof(*l->cells));
	l->cells[l->ncells++] = (struct cell){ account, product };
}

/* The orders with ids in (*after, *after + SLICE]; *after moves on. */
static enum crm_err
load_slice(struct crm_db *db, struct loaded *l, long long *after)
{
	struct crm_db_bind b[2];
	json_t *rows = NULL, *row;
	size_t i;
	enum crm_err e;

	crm_db_bind_i64(&b[0], *after);
	crm_db_bind_i64(&b[1], *after);
	if ((e = crm_db_rows_sql(db, slice_sql, b, 2, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row) {
		long long account = json_integer_value(json_object_get(row, "account_id"));
		const char *p = json_string_value(json_object_get(row, "items"));
		char *end;

		if (l->n + 1 >= l->room)
			l->start = crm_xrealloc(l->start, (l->room = l->room ? l->room * 2 : 4096) * sizeof(*l->start));
		l->start[l->n++] = l->nitems;
		for (; p != NULL && *p != '\0'; p = *end == ',' ? end + 1 : end) {
			long long id = strtoll(p, &end, 10);

			if (end == p)
				break;
			add_item(l, account, id);
		}
	}
	*after += SLICE;
	json_decref(rows);
	return CRM_OK;
}

static int
cell_cmp(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;

	if (a->account != b->account)
		return (a->account > b->account) - (a->account < b->account);
	return (a->product > b->product) - (a->product < b->product);
}

struct put {
	const struct crm_basket_rule *rules;
	size_t nrules;
	const struct crm_basket_similar *sim;
	size_t nsim;
	char (*ante)[48];
	const char *metrics;
	size_t baskets;
};

static void
bind_rule(void *arg, size_t i, struct crm_db_bind *b)
{
	struct put *s = arg;
	const struct crm_basket_rule *r = &s->rules[i];

	if (r->nantecedent == 2)
		snprintf(s->ante[i], sizeof(s->ante[i]), "%lld,%lld", r->antecedent[0], r->antecedent[1]);
	else
		snprintf(s->ante[i], sizeof(s->ante[i]), "%lld", r->antecedent[0]);
	crm_db_bind_i64(&b[0], (long long)i + 1);
	crm_db_bind_str(&b[1], s->ante[i], (size_t)-1);
	crm_db_bind_i64(&b[2], r->consequent);
	crm_db_bind_double(&b[3], r->support);
	crm_db_bind_double(&b[4], r->confidence);
	crm_db_bind_double(&b[5], r->lift);
}

static void
bind_similar(void *arg, size_t i, struct crm_db_bind *b)
{
	struct put *s = arg;

	crm_db_bind_i64(&b[0], s->sim[i].item);
	crm_db_bind_i64(&b[1], s->sim[i].rank);
	crm_db_bind_i64(&b[2], s->sim[i].similar);
	crm_db_bind_double(&b[3], s->sim[i].cosine);
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct put *s = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	if ((e = crm_db_exec_sql(db, clear_rules_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec_sql(db, clear_similar_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_analytics_insert(db, rule_head, "", 6, s->nrules, bind_rule, s)) != CRM_OK ||
	    (e = crm_analytics_insert(db, similar_head, "", 4, s->nsim, bind_similar, s)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], (long long)s->baskets);
	crm_db_bind_str(&b[1], s->metrics, (size_t)-1);
	return crm_db_exec_sql(db, model_sql, b, 2, NULL, NULL);
}

enum crm_err
crm_analytics_baskets(struct crm_db *db, struct crm_analytics_out *out)
{
	struct loaded l = { 0 };
	struct crm_baskets bs, cs;
	struct crm_basket_rule *rules = NULL;
	struct crm_basket_similar *sim = NULL;
	struct crm_basket_stats st = { 0 };
	struct put s = { 0 };
	size_t nrules = 0, nsim = 0, ncust = 0, i, *cstart = NULL;
	long long after = 0, top, *citems = NULL;
	double min_support;
	json_t *metrics;
	char *text;
	json_free_t json_free;
	enum crm_err e;

	if ((e = crm_db_row_sql(db, top_sql, NULL, 0, &metrics)) != CRM_OK)
		return e;
	top = json_integer_value(json_object_get(metrics, "top"));
	json_decref(metrics);
	while (after < top) {
		if ((e = load_slice(db, &l, &after)) != CRM_OK) {
			load_free(&l);
			return e;
		}
	}
	if (l.start == NULL)
		l.start = crm_xmalloc(sizeof(*l.start));
	l.start[l.n] = l.nitems;
	bs = (struct crm_baskets){ l.n, l.start, l.items };
	min_support = l.n > 0 ? fmax((double)MIN_BASKETS / (double)l.n, MIN_SHARE) : 1;
	if (min_support > 1)
		min_support = 1;
	if ((e = crm_basket_rules(&bs, min_support, MIN_CONFIDENCE, &rules, &nrules, &st)) != CRM_OK)
		goto out;

	/* The customer x item matrix: each account's distinct products. */
	if (l.ncells > 0)
		qsort(l.cells, l.ncells, sizeof(*l.cells), cell_cmp);
	cstart = crm_xmalloc((l.ncells + 1) * sizeof(*cstart));
	citems = crm_xmalloc((l.ncells + 1) * sizeof(*citems));
	for (i = 0; i < l.ncells; i++) {
		if (i == 0 || l.cells[i].account != l.cells[i - 1].account)
			cstart[ncust++] = i;
		citems[i] = l.cells[i].product;
	}
	cstart[ncust] = l.ncells;
	cs = (struct crm_baskets){ ncust, cstart, citems };
	if ((e = crm_basket_cosine(&cs, SIMILAR_TOP, &sim, &nsim)) != CRM_OK)
		goto out;

	metrics = json_pack("{s:f, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
	    "min_support", min_support, "min_baskets", (json_int_t)MIN_BASKETS,
	    "min_confidence", MIN_CONFIDENCE, "baskets", (json_int_t)l.n, "customers", (json_int_t)ncust,
	    "products", (json_int_t)st.items, "frequent_products", (json_int_t)st.frequent[0],
	    "frequent_pairs", (json_int_t)st.frequent[1], "frequent_triples", (json_int_t)st.frequent[2],
	    "rules", (json_int_t)nrules, "rules_kept", (json_int_t)(nrules < RULES_KEPT ? nrules : RULES_KEPT),
	    "similar", (json_int_t)nsim);
	text = json_dumps(metrics, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(metrics);
	s.rules = rules;
	s.nrules = nrules < RULES_KEPT ? nrules : RULES_KEPT;
	s.sim = sim;
	s.nsim = nsim;
	s.ante = crm_xmalloc((s.nrules + 1) * sizeof(*s.ante));
	s.metrics = text;
	s.baskets = l.n;
	if ((e = crm_db_tx(db, put_tx, &s)) == CRM_OK)
		snprintf(out->summary, sizeof(out->summary),
		    "%zu baskets of %zu products: %zu rules kept of %zu, %zu similar products", l.n, st.items,
		    s.nrules, nrules, nsim);
	free(s.ante);
	/* json_dumps used jansson's allocator, which may be an arena. */
	json_get_alloc_funcs(NULL, &json_free);
	json_free(text);
out:
	if (e == CRM_ETOOBIG)
		snprintf(out->error, sizeof(out->error), "Too many different products for the basket analysis.");
	free(rules);
	free(sim);
	free(cstart);
	free(citems);
	load_free(&l);
	return e;
}
