/* The pipeline forecast: open deals by expected close month and owner,
 * three ways, against each owner's quota, and how right the forecast was
 * in the past months. A few aggregate queries; the arithmetic is exact in
 * C (cents as long long, probabilities and rates in basis points).
 *
 *   unweighted  the sum of the open deals' amounts
 *   weighted    the sum of amount x the deal's own probability
 *   historical  the sum of amount x the conversion rate of the deal's
 *               stage: of the deals that entered the stage and are closed
 *               now, the share that was won (rounded to a basis point);
 *               while fewer than FORECAST_MIN_CLOSED closed deals passed
 *               through a stage, its default probability stands in
 *   won         deals won with their close date in the month
 *   attainment  (won + weighted) / quota, when there is a quota
 *
 * Each cell (owner, month) sums amount x basis points exactly and rounds
 * once to the cent, half away from zero; totals add up the cells shown.
 *
 * Accuracy: for each of the last six complete months, the weighted
 * forecast as it stood at 00:00 UTC on its first day, rebuilt from the
 * stage history (the stage each deal closing in that month was in then,
 * its amount then, at that stage's probability, which entering a stage
 * sets), against what was won with a close date in the month. A deal's
 * expected close date is not versioned, so its current one places it. */
#include <stdlib.h>
#include <string.h>

#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

#define FORECAST_MIN_CLOSED 10
#define FORECAST_MAX_MONTHS 24
#define ACCURACY_MONTHS 6

struct cell {
	long long open, won, quota, deals;
	long long num_a, num_b;         /* cents x basis points */
	int has_quota;
};

struct owner {
	long long id;
	const char *name;
	struct cell *cells;
};

struct forecast {
	struct crm_ctx *c;
	int from, n, past;
	struct owner *owners;
	size_t nowners, cap;
	json_t *stages;                 /* with rate_bp per stage */
	long long past_num[ACCURACY_MONTHS], past_open[ACCURACY_MONTHS];
	long long past_won[ACCURACY_MONTHS], past_deals[ACCURACY_MONTHS];
};

/* acc += a * b, or -1 on overflow. */
static int
mac(long long *acc, long long a, long long b)
{
	long long p;

	if (__builtin_mul_overflow(a, b, &p) || __builtin_add_overflow(*acc, p, acc))
		return -1;
	return 0;
}

static struct owner *
owner_of(struct forecast *f, json_t *row)
{
	long long id = json_integer_value(json_object_get(row, "owner_id"));
	struct owner *o;
	size_t i;

	for (i = 0; i < f->nowners; i++)
		if (f->owners[i].id == id)
			return &f->owners[i];
	if (f->nowners == f->cap) {
		struct owner *more;

		f->cap = f->cap ? f->cap * 2 : 16;
		more = crm_arena_alloc(f->c->arena, f->cap * sizeof(*more));
		if (f->nowners)
			memcpy(more, f->owners, f->nowners * sizeof(*more));
		f->owners = more;
	}
	o = &f->owners[f->nowners++];
	o->id = id;
	o->name = json_string_value(json_object_get(row, "owner"));
	o->cells = crm_arena_alloc(f->c->arena, (size_t)f->n * sizeof(*o->cells));
	memset(o->cells, 0, (size_t)f->n * sizeof(*o->cells));
	return o;
}

static int
basis_points(const char *percent, long long *bp)
{
	return crm_decimal_parse(percent, CRM_PERCENT_SCALE, 5, bp);
}

/* Each open stage's rate for the historical forecast, in the view as
 * well so a reader sees where every figure comes from. */
static int
load_stages(struct forecast *f)
{
	json_t *row;
	size_t i;

	if (crm_db_rows(f->c->db, STMT_FORECAST_STAGES, NULL, 0, &f->stages) != CRM_OK)
		return 500;
	json_array_foreach(f->stages, i, row) {
		long long closed = json_integer_value(json_object_get(row, "closed"));
		long long won = json_integer_value(json_object_get(row, "won")), bp, rate;
		char buf[CRM_DECIMAL_MAX];
		int learned = closed >= FORECAST_MIN_CLOSED;

		if (basis_points(json_string_value(json_object_get(row, "probability")), &bp) != 0)
			return 500;
		if (!learned)
			rate = bp;
		else if (crm_muldiv(won, 10000, closed, &rate) != 0)
			return 500;
		json_object_set_new(row, "rate_bp", json_integer(rate));
		json_object_set_new(row, "rate", json_string(crm_decimal_format(buf, rate, CRM_PERCENT_SCALE)));
		json_object_set_new(row, "learned", json_boolean(learned));
	}
	return 200;
}

static long long
stage_rate(const struct forecast *f, long long stage_id, long long fallback)
{
	json_t *row;
	size_t i;

	json_array_foreach(f->stages, i, row)
		if (json_integer_value(json_object_get(row, "id")) == stage_id)
			return json_integer_value(json_object_get(row, "rate_bp"));
	return fallback;
}

static int
load_deals(struct forecast *f)
{
	struct crm_ctx *c = f->c;
	struct crm_db_bind b[9];
	json_t *rows = NULL, *row;
	size_t i;

	crm_db_bind_str(&b[0], sales_month_first(c, f->from), (size_t)-1);
	crm_db_bind_str(&b[1], sales_month_first(c, f->from + f->n), (size_t)-1);
	crm_db_bind_str(&b[2], sales_month_first(c, f->past), (size_t)-1);
	crm_db_bind_str(&b[3], sales_month_first(c, f->past + ACCURACY_MONTHS), (size_t)-1);
	sales_bind_scope(c, b + 4);
	if (crm_db_rows(c->db, STMT_FORECAST_DEALS, b, 9, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));
		long long amount, bp, deals = json_integer_value(json_object_get(row, "deals"));
		int ym, won = strcmp(kind, "won") == 0;

		if (sales_month_parse(json_string_value(json_object_get(row, "month")), &ym) != 0 ||
		    crm_money_parse(json_string_value(json_object_get(row, "amount")), &amount) != 0 ||
		    basis_points(json_string_value(json_object_get(row, "probability")), &bp) != 0)
			return 500;
		if (won && ym >= f->past && ym < f->past + ACCURACY_MONTHS)
			f->past_won[ym - f->past] += amount;
		if (ym >= f->from && ym < f->from + f->n) {
			struct cell *cl = &owner_of(f, row)->cells[ym - f->from];

			if (won) {
				cl->won += amount;
				continue;
			}
			cl->open += amount;
			cl->deals += deals;
			if (mac(&cl->num_a, amount, bp) != 0 || mac(&cl->num_b, amount,
			    stage_rate(f, json_integer_value(json_object_get(row, "stage_id")), bp)) != 0)
				return 500;
		}
	}
	return 200;
}

static int
load_quotas(struct forecast *f)
{
	struct crm_ctx *c = f->c;
	struct crm_db_bind b[7];
	json_t *rows = NULL, *row;
	size_t i;

	crm_db_bind_str(&b[0], sales_month_first(c, f->from), (size_t)-1);
	crm_db_bind_str(&b[1], sales_month_first(c, f->from + f->n), (size_t)-1);
	sales_bind_scope(c, b + 2);
	if (crm_db_rows(c->db, STMT_FORECAST_QUOTAS, b, 7, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		long long amount;
		int ym;

		if (sales_month_parse(json_string_value(json_object_get(row, "month")), &ym) != 0 ||
		    crm_money_parse(json_string_value(json_object_get(row, "amount")), &amount) != 0)
			return 500;
		if (ym >= f->from && ym < f->from + f->n) {
			struct cell *cl = &owner_of(f, row)->cells[ym - f->from];

			cl->quota = amount;
			cl->has_quota = 1;
		}
	}
	return 200;
}

static int
load_past(struct forecast *f)
{
	struct crm_ctx *c = f->c;
	struct crm_db_bind b[7];
	json_t *rows = NULL, *row;
	size_t i;

	crm_db_bind_str(&b[0], sales_month_first(c, f->past), (size_t)-1);
	crm_db_bind_str(&b[1], sales_month_first(c, f->past + ACCURACY_MONTHS - 1), (size_t)-1);
	sales_bind_scope(c, b + 2);
	if (crm_db_rows(c->db, STMT_FORECAST_PAST, b, 7, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		long long amount, bp;
		int ym;

		if (sales_month_parse(json_string_value(json_object_get(row, "month")), &ym) != 0 ||
		    crm_money_parse(json_string_value(json_object_get(row, "amount")), &amount) != 0 ||
		    basis_points(json_string_value(json_object_get(row, "probability")), &bp) != 0)
			return 500;
		if (ym < f->past || ym >= f->past + ACCURACY_MONTHS)
			continue;
		f->past_open[ym - f->past] += amount;
		f->past_deals[ym - f->past] += json_integer_value(json_object_get(row, "deals"));
		if (mac(&f->past_num[ym - f->past], amount, bp) != 0)
			return 500;
	}
	return 200;
}

/* What a cell shows, rounded. */
struct figures {
	long long deals, open, weighted, historical, won, quota;
	int has_quota;
};

static void
add_figures(struct figures *to, const struct figures *v)
{
	to->deals += v->deals;
	to->open += v->open;
	to->weighted += v->weighted;
	to->historical += v->historical;
	to->won += v->won;
	to->quota += v->quota;
	to->has_quota |= v->has_quota;
}

static void
put_money(struct crm_ctx *c, const char *base, json_t *o, const char *key, long long cents)
{
	char buf[CRM_DECIMAL_MAX];

	crm_money_format(buf, cents);
	json_object_set_new(o, key, json_string(buf));
	json_object_set_new(o, crm_arena_printf(c->arena, "%s_text", key), json_string(sales_money(c, buf, base)));
}

static json_t *
figures_json(struct crm_ctx *c, const char *base, const char *month, const struct figures *v)
{
	json_t *o = json_object();
	char buf[CRM_DECIMAL_MAX];
	long long att;

	if (month)
		json_object_set_new(o, "month", json_string(month));
	json_object_set_new(o, "deals", json_integer(v->deals));
	put_money(c, base, o, "unweighted", v->open);
	put_money(c, base, o, "weighted", v->weighted);
	put_money(c, base, o, "historical", v->historical);
	put_money(c, base, o, "won", v->won);
	if (v->has_quota) {
		put_money(c, base, o, "quota", v->quota);
		if (v->quota > 0 && crm_muldiv(v->won + v->weighted, 10000, v->quota, &att) == 0) {
			json_object_set_new(o, "attainment", json_string(crm_decimal_format(buf, att,
			    CRM_PERCENT_SCALE)));
			json_object_set_new(o, "attained", json_boolean(att >= 10000));
		}
	}
	return o;
}

static int
by_name(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;
	int d = strcmp(x->name ? x->name : "", y->name ? y->name : "");

	return d ? d : (x->id > y->id) - (x->id < y->id);
}

static int
build_view(struct forecast *f)
{
	struct crm_ctx *c = f->c;
	const char *base = sales_base_currency(c);
	struct figures *month_total = crm_arena_alloc(c->arena, (size_t)f->n * sizeof(*month_total));
	struct figures grand;
	json_t *owners = json_array(), *totals = json_array(), *months = json_array(), *acc = json_array();
	size_t i;
	int m;

	memset(month_total, 0, (size_t)f->n * sizeof(*month_total));
	memset(&grand, 0, sizeof(grand));
	if (f->nowners > 1)
		qsort(f->owners, f->nowners, sizeof(*f->owners), by_name);
	for (i = 0; i < f->nowners; i++) {
		struct owner *o = &f->owners[i];
		struct figures row;
		json_t *cells = json_array(), *oj;

		memset(&row, 0, sizeof(row));
		for (m = 0; m < f->n; m++) {
			struct cell *cl = &o->cells[m];
			struct figures v;

			memset(&v, 0, sizeof(v));
			v.deals = cl->deals;
			v.open = cl->open;
			v.won = cl->won;
			v.quota = cl->quota;
			v.has_quota = cl->has_quota;
			if (crm_muldiv(cl->num_a, 1, 10000, &v.weighted) != 0 ||
			    crm_muldiv(cl->num_b, 1, 10000, &v.historical) != 0)
				return 500;
			add_figures(&row, &v);
			add_figures(&month_total[m], &v);
			json_array_append_new(cells, figures_json(c, base, sales_month_text(c, f->from + m), &v));
		}
		add_figures(&grand, &row);
		oj = figures_json(c, base, NULL, &row);
		json_object_set_new(oj, "id", json_integer(o->id));
		json_object_set_new(oj, "name", json_string(o->name ? o->name : ""));
		json_object_set_new(oj, "cells", cells);
		json_array_append_new(owners, oj);
	}
	for (m = 0; m < f->n; m++) {
		json_array_append_new(months, json_pack("{s:s}", "month", sales_month_text(c, f->from + m)));
		json_array_append_new(totals, figures_json(c, base, sales_month_text(c, f->from + m), &month_total[m]));
	}
	for (m = 0; m < ACCURACY_MONTHS; m++) {
		long long fc, pct;
		json_t *o = json_object();
		char buf[CRM_DECIMAL_MAX];

		if (crm_muldiv(f->past_num[m], 1, 10000, &fc) != 0)
			return 500;
		json_object_set_new(o, "month", json_string(sales_month_text(c, f->past + m)));
		json_object_set_new(o, "deals", json_integer(f->past_deals[m]));
		put_money(c, base, o, "pipeline", f->past_open[m]);
		put_money(c, base, o, "forecast", fc);
		put_money(c, base, o, "won", f->past_won[m]);
		put_money(c, base, o, "difference", f->past_won[m] - fc);
		if (fc > 0 && crm_muldiv(f->past_won[m], 10000, fc, &pct) == 0)
			json_object_set_new(o, "won_share", json_string(crm_decimal_format(buf, pct,
			    CRM_PERCENT_SCALE)));
		json_array_append_new(acc, o);
	}
	json_object_set_new(c->view, "months", months);
	json_object_set_new(c->view, "owners", owners);
	json_object_set_new(c->view, "totals", totals);
	json_object_set_new(c->view, "total", figures_json(c, base, NULL, &grand));
	json_object_set_new(c->view, "accuracy", acc);
	json_object_set_new(c->view, "stages", f->stages);
	json_object_set_new(c->view, "min_closed", json_integer(FORECAST_MIN_CLOSED));
	return 200;
}

static json_t *
month_options(int selected)
{
	static const int choices[] = { 3, 6, 9, 12, 18, 24 };
	json_t *opts = json_array();
	size_t i;

	for (i = 0; i < CRM_NELEM(choices); i++)
		json_array_append_new(opts, json_pack("{s:i,s:b}", "value", choices[i],
		    "selected", choices[i] == selected));
	return opts;
}

/* ?from=YYYY-MM (this month by default) and ?months=1..24 (6). */
int
sales_forecast(struct crm_ctx *c)
{
	const char *from = crm_ctx_query_str(c, "from"), *months = crm_ctx_query_str(c, "months");
	struct forecast f;
	long long n = 6;
	json_t *trend;
	int now = sales_month_now(), st;

	memset(&f, 0, sizeof(f));
	f.c = c;
	f.from = now;
	if ((*from && sales_month_parse(from, &f.from) != 0) ||
	    (*months && (!crm_valid_id(months, &n) || n > FORECAST_MAX_MONTHS)))
		return crm_ctx_fail(c, 400, N_("Choose a month such as 2026-07 and 1 to 24 months."));
	f.n = (int)n;
	f.past = now - ACCURACY_MONTHS;
	if ((st = load_stages(&f)) != 200 || (st = load_deals(&f)) != 200 ||
	    (st = load_quotas(&f)) != 200 || (st = load_past(&f)) != 200 || (st = build_view(&f)) != 200)
		return st;
	if ((trend = sales_forecast_trend(c, now, &st)) == NULL)
		return st;
	json_object_set_new(c->view, "trend", trend);
	json_object_set_new(c->view, "from", json_string(sales_month_text(c, f.from)));
	json_object_set_new(c->view, "month_count", json_integer(f.n));
	json_object_set_new(c->view, "month_options", month_options(f.n));
	json_object_set_new(c->view, "base_currency", json_string(sales_base_currency(c)));
	sales_nav(c, "forecast");
	return 200;
}
