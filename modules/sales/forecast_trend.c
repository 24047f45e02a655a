/* The trend forecast: order totals (total_base, cancelled orders left
 * out) per month over up to TREND_HISTORY complete months, from the first
 * month with an order, fitted by lib/crm_trend (a linear trend plus as
 * many seasonal terms as the history carries: crm_trend.h says which),
 * projected TREND_AHEAD months from this one. The chart is an SVG the
 * template draws from the geometry computed here. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crm_money.h"
#include "crm_trend.h"
#include "extern.h"

#define TREND_HISTORY 36
#define TREND_AHEAD 6

/* The chart's box and margins, in SVG user units. */
#define CH_W 720.0
#define CH_H 260.0
#define CH_LEFT 64.0
#define CH_RIGHT 12.0
#define CH_TOP 12.0
#define CH_BOTTOM 40.0

static const char *const month_terms[12] = { NULL, N_("February"), N_("March"), N_("April"),
	N_("May"), N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
	N_("November"), N_("December") };
static const char *const quarter_terms[4] = { NULL, N_("Second quarter"), N_("Third quarter"),
	N_("Fourth quarter") };

static long long
to_cents(double v)
{
	return llround(v * 100.0);
}

static json_t *
money_point(struct crm_ctx *c, const char *base, const char *month, long long cents)
{
	char buf[CRM_DECIMAL_MAX];

	crm_money_format(buf, cents);
	return json_pack("{s:s,s:s,s:s}", "month", month, "total", buf, "total_text", sales_money(c, buf, base));
}

static json_t *
coefficients(struct crm_ctx *c, const struct crm_trend *tr)
{
	json_t *out = json_array();
	int k;

	for (k = 0; k < tr->p; k++) {
		const char *term, *label;

		if (k == 0)
			term = "intercept", label = N_("Intercept");
		else if (k == 1)
			term = "trend", label = N_("Trend per month");
		else if (tr->season == CRM_TREND_MONTH)
			term = crm_arena_printf(c->arena, "m%d", k), label = month_terms[k - 1];
		else
			term = crm_arena_printf(c->arena, "q%d", k), label = quarter_terms[k - 1];
		json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "term", term,
		    "label", crm_ctx_text(c, label), "value", crm_arena_printf(c->arena, "%.2f", tr->coef[k])));
	}
	return out;
}

/* 1, 2 or 5 times a power of ten, at least raw. */
static double
nice_step(double raw)
{
	double p = pow(10.0, floor(log10(raw))), f = raw / p;

	return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * p;
}

static const char *
axis_label(struct crm_ctx *c, double v)
{
	double a = fabs(v);

	if (a >= 1e6)
		return crm_arena_printf(c->arena, "%.*fM", fmod(a, 1e6) == 0.0 ? 0 : 1, v / 1e6);
	if (a >= 1e3)
		return crm_arena_printf(c->arena, "%.*fk", fmod(a, 1e3) == 0.0 ? 0 : 1, v / 1e3);
	return crm_arena_printf(c->arena, "%.0f", v);
}

/* Actuals v[0..n-1] then projections v[n..count-1] from month first. */
static json_t *
chart(struct crm_ctx *c, const double *v, int n, int count, int first)
{
	double lo = 0.0, hi = 0.0, step, top, bottom, pw = CH_W - CH_LEFT - CH_RIGHT, ph = CH_H - CH_TOP - CH_BOTTOM;
	struct crm_buf actual, ahead;
	json_t *yt = json_array(), *xt = json_array();
	int i, every = (count + 7) / 8;

	for (i = 0; i < count; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	if (hi - lo < 1.0)
		hi = lo + 1.0;
	step = nice_step((hi - lo) / 4.0);
	top = ceil(hi / step) * step;
	bottom = floor(lo / step) * step;
#define X(i) (CH_LEFT + pw * (double)(i) / (double)(count - 1))
#define Y(val) (CH_TOP + ph * (top - (val)) / (top - bottom))
	crm_buf_init(&actual, c->arena, 512);
	crm_buf_init(&ahead, c->arena, 128);
	for (i = 0; i < count; i++) {
		if (i < n)
			crm_buf_printf(&actual, "%s%.1f,%.1f", i ? " " : "", X(i), Y(v[i]));
		if (i >= n - 1)
			crm_buf_printf(&ahead, "%s%.1f,%.1f", i > n - 1 ? " " : "", X(i), Y(v[i]));
		if (i % every == 0)
			json_array_append_new(xt, json_pack("{s:s,s:s}", "x", crm_arena_printf(c->arena, "%.1f", X(i)),
			    "label", sales_month_text(c, first + i)));
	}
	for (i = 0; bottom + i * step <= top + step / 2; i++)
		json_array_append_new(yt, json_pack("{s:s,s:s}", "y",
		    crm_arena_printf(c->arena, "%.1f", Y(bottom + i * step)), "label", axis_label(c, bottom + i * step)));
	return json_pack("{s:f,s:f,s:f,s:f,s:s,s:s,s:s,s:s,s:o,s:o,s:s}", "width", CH_W, "height", CH_H,
	    "left", CH_LEFT, "right", CH_W - CH_RIGHT,
	    "top", crm_arena_printf(c->arena, "%.1f", CH_TOP),
	    "base", crm_arena_printf(c->arena, "%.1f", CH_H - CH_BOTTOM),
	    "label_y", crm_arena_printf(c->arena, "%.1f", CH_H - CH_BOTTOM + 18.0),
	    "actual", actual.data, "xticks", xt, "yticks", yt, "forecast", ahead.data);
#undef X
#undef Y
}

json_t *
sales_forecast_trend(struct crm_ctx *c, int now, int *status)
{
	const char *base = sales_base_currency(c);
	struct crm_db_bind b[7];
	double y[TREND_HISTORY + TREND_AHEAD];
	long long cents[TREND_HISTORY];
	json_t *rows = NULL, *row, *out = json_object(), *actuals = json_array(), *ahead = json_array();
	struct crm_trend tr;
	int first = now, n, i;
	size_t k;

	*status = 500;
	crm_db_bind_str(&b[0], sales_month_first(c, now - TREND_HISTORY), (size_t)-1);
	crm_db_bind_str(&b[1], sales_month_first(c, now), (size_t)-1);
	sales_bind_scope(c, b + 2);
	if (crm_db_rows(c->db, STMT_FORECAST_ORDERS, b, 7, &rows) != CRM_OK)
		return NULL;
	memset(cents, 0, sizeof(cents));
	json_array_foreach(rows, k, row) {
		long long v;
		int ym;

		if (sales_month_parse(json_string_value(json_object_get(row, "month")), &ym) != 0 ||
		    crm_money_parse(json_string_value(json_object_get(row, "total")), &v) != 0 ||
		    ym < now - TREND_HISTORY || ym >= now)
			return NULL;
		cents[ym - (now - TREND_HISTORY)] = v;
		first = ym < first ? ym : first;
	}
	/* From the first month with an order: months before it are before
	 * the business (or its records), not months without sales. */
	n = now - first;
	for (i = 0; i < n; i++) {
		long long v = cents[first - (now - TREND_HISTORY) + i];

		y[i] = (double)v / 100.0;
		json_array_append_new(actuals, money_point(c, base, sales_month_text(c, first + i), v));
	}
	json_object_set_new(out, "months_used", json_integer(n));
	json_object_set_new(out, "actuals", actuals);
	json_object_set_new(out, "ahead", json_integer(TREND_AHEAD));
	if (n < 3 || crm_trend_fit(y, n, first % 12, &tr) != 0) {
		json_object_set_new(out, "fitted", json_false());
		*status = 200;
		return out;
	}
	for (i = 0; i < TREND_AHEAD; i++) {
		y[n + i] = crm_trend_predict(&tr, n + i);
		json_array_append_new(ahead, money_point(c, base, sales_month_text(c, now + i), to_cents(y[n + i])));
	}
	json_object_set_new(out, "fitted", json_true());
	json_object_set_new(out, "params", json_integer(tr.p));
	json_object_set_new(out, "season", json_string(tr.season == CRM_TREND_MONTH ? "month" :
	    tr.season == CRM_TREND_QUARTER ? "quarter" : "none"));
	json_object_set_new(out, "coefficients", coefficients(c, &tr));
	json_object_set_new(out, "r2", json_real(tr.r2));
	json_object_set_new(out, "adj_r2", json_real(tr.adj_r2));
	json_object_set_new(out, "r2_text", json_string(crm_arena_printf(c->arena, "%.4f", tr.r2)));
	json_object_set_new(out, "adj_r2_text", json_string(crm_arena_printf(c->arena, "%.4f", tr.adj_r2)));
	json_object_set_new(out, "projections", ahead);
	json_object_set_new(out, "chart", chart(c, y, n, n + TREND_AHEAD, first));
	*status = 200;
	return out;
}
