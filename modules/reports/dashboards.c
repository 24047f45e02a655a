/* The dashboards: one per role (sales, support, marketing, manager), each
 * a few charts with their figures as tables, and the same tables as one
 * CSV. Every figure comes from totals the database keeps as records
 * change (opportunity_totals, order_month_totals, ticket_month_totals,
 * ticket_open_counts, campaign_attribution, sales_forecast) or from a
 * short index range, so a dashboard costs a handful of small reads
 * whatever the number of records. GET /reports shows the reader's own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm_auth.h"
#include "crm_chart.h"
#include "crm_confcache.h"
#include "crm_csv.h"
#include "crm_i18n.h"
#include "crm_num.h"
#include "crm_table.h"
#include "extern.h"

#define MONTHS 12               /* the trend charts' span, this month included */
#define AHEAD 6                 /* forecast months shown after this one */

struct dash {
	struct crm_ctx *c;
	json_t *charts, *figures;
	int year, month;                /* this month (UTC) */
	char this_month[32];            /* "2026-11-01" */
	char first_month[32];           /* MONTHS - 1 months before it */
	const char *labels[MONTHS + AHEAD + 1];  /* "2026-11"... from first_month */
};

static const struct dashboard {
	const char *name, *title, *perm, *perm2;
	int (*build)(struct dash *);
} dashboards[];

/* A figure shown large above the charts: label and formatted value. */
static void
figure(struct dash *d, const char *id, const char *label, const char *value)
{
	json_array_append_new(d->figures, json_pack("{s:s, s:s, s:s}", "id", id, "label",
	    crm_ctx_text(d->c, label), "value", value));
}

static double
num(const json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	/* DECIMAL columns come as strings: a dashboard reads about a
	 * hundred, so the quick reader (crm_num.h) rather than strtod. */
	if (json_is_string(v))
		return crm_num_decimal(json_string_value(v));
	return json_number_value(v);
}

static void
chart(struct dash *d, enum crm_chart_kind kind, const char *id, const char *title, const char *label_title,
    const char *const *labels, size_t n, const struct crm_chart_series *s, size_t ns, crm_chart_format_fn fmt)
{
	struct crm_chart ch = { .kind = kind, .id = id, .title = crm_ctx_text(d->c, title), .labels = labels,
	    .nlabels = n, .series = s, .nseries = ns, .label_title = crm_ctx_text(d->c, label_title),
	    .format = fmt };

	json_array_append_new(d->charts, crm_chart_view_memo(d->c->arena, &ch));
}

/* The index of "YYYY-MM" among the month labels, or -1. */
static int
month_index(struct dash *d, const char *month, int n)
{
	int i;

	for (i = 0; month != NULL && i < n; i++)
		if (strcmp(d->labels[i], month) == 0)
			return i;
	return -1;
}

static double *
zeros(struct dash *d, size_t n)
{
	double *v = crm_arena_alloc(d->c->arena, (n + 1) * sizeof(double));

	memset(v, 0, (n + 1) * sizeof(double));
	return v;
}

static int
rows(struct dash *d, size_t stmt, struct crm_db_bind *b, size_t nb, json_t **out)
{
	return crm_db_rows(d->c->db, stmt, b, nb, out) == CRM_OK ? 0 : -1;
}

/* The rows of one part of a statement that joins several (a column
 * "part" numbering them), in the statement's order. */
static json_t *
part_of(json_t *all, long long part)
{
	json_t *out = json_array(), *row;
	size_t i;

	json_array_foreach(all, i, row)
		if (json_integer_value(json_object_get(row, "part")) == part)
			json_array_append(out, row);
	return out;
}

/* sales: pipeline by stage, won this month against quota per seller,
 * order revenue by month (one statement), and the forecast with its
 * interval. */
static int
sales(struct dash *d)
{
	struct crm_ctx *c = d->c;
	struct crm_db_bind b[18];
	json_t *all = NULL, *r = NULL, *row;
	const json_t *forecast = NULL, *frow;
	const char **names;
	double *amount, *won, *quota, *revenue, *actual, *pred, *lo, *hi, pipeline = 0, twon = 0, tquota = 0;
	struct crm_chart_series s[4];
	size_t i, n;
	int k;

	crm_auth_bind_scope(c->user, b);
	crm_db_bind_str(&b[5], d->this_month, (size_t)-1);
	crm_db_bind_str(&b[6], d->this_month, (size_t)-1);
	crm_auth_bind_scope(c->user, b + 7);
	crm_db_bind_str(&b[12], d->first_month, (size_t)-1);
	crm_auth_bind_scope(c->user, b + 13);
	if (rows(d, STMT_DASH_SALES, b, 18, &all) != 0)
		return -1;

	r = part_of(all, 1);
	n = json_array_size(r);
	names = crm_arena_alloc(c->arena, (n + 1) * sizeof(*names));
	amount = zeros(d, n);
	json_array_foreach(r, i, row) {
		names[i] = json_string_value(json_object_get(row, "name"));
		pipeline += amount[i] = num(row, "a");
	}
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Deal value")), amount, NULL, 0 };
	chart(d, CRM_CHART_FUNNEL, "chart-pipeline", N_("Pipeline by stage"), N_("Stage"), names, n, s, 1,
	    reports_format_money);

	r = part_of(all, 2);
	n = json_array_size(r);
	names = crm_arena_alloc(c->arena, (n + 1) * sizeof(*names));
	won = zeros(d, n);
	quota = zeros(d, n);
	json_array_foreach(r, i, row) {
		names[i] = json_string_value(json_object_get(row, "name"));
		twon += won[i] = num(row, "a");
		tquota += quota[i] = num(row, "b");
	}
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Won this month")), won, NULL, 0 };
	s[1] = (struct crm_chart_series){ crm_ctx_text(c, N_("Quota")), quota, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-won-quota", N_("Won this month against quota"), N_("Seller"), names, n, s, 2,
	    reports_format_money);
	figure(d, "figure-won", N_("Won this month"), reports_format_money(NULL, c->arena, twon));
	figure(d, "figure-quota", N_("Quota this month"), reports_format_money(NULL, c->arena, tquota));
	figure(d, "figure-attainment", N_("Of quota"), tquota > 0 ?
	    crm_arena_printf(c->arena, "%.0f%%", 100.0 * twon / tquota) : "-");
	figure(d, "figure-pipeline", N_("Open pipeline"), reports_format_money(NULL, c->arena, pipeline));

	r = part_of(all, 3);
	revenue = zeros(d, MONTHS);
	json_array_foreach(r, i, row)
		if ((k = month_index(d, json_string_value(json_object_get(row, "name")), MONTHS)) >= 0)
			revenue[k] = num(row, "b");
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Order revenue")), revenue, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-order-months", N_("Order revenue by month"), N_("Month"), d->labels, MONTHS,
	    s, 1, reports_format_money);

	/* The forecast is the company's: the model is fitted to all orders. */
	crm_db_bind_str(&b[0], d->first_month, (size_t)-1);
	/* Read in place: the cache's own rows, no copy a request. */
	if (crm_confcache_peek(c->db, STMT_DASH_FORECAST, b, 1, &forecast) != CRM_OK)
		return -1;
	if (json_array_size(forecast) > 0) {
		actual = zeros(d, MONTHS + AHEAD);
		pred = zeros(d, MONTHS + AHEAD);
		lo = zeros(d, MONTHS + AHEAD);
		hi = zeros(d, MONTHS + AHEAD);
		json_array_foreach(forecast, i, frow) {
			if ((k = month_index(d, json_string_value(json_object_get(frow, "month")), MONTHS + AHEAD)) < 0)
				continue;
			actual[k] = num(frow, "actual");
			pred[k] = num(frow, "predicted");
			lo[k] = num(frow, "lower_bound");
			hi[k] = num(frow, "upper_bound");
		}
		s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Actual")), actual, NULL, 0 };
		s[1] = (struct crm_chart_series){ crm_ctx_text(c, N_("Forecast")), pred, NULL, 0 };
		s[2] = (struct crm_chart_series){ crm_ctx_text(c, N_("Lower bound (95%)")), lo, NULL, 0 };
		s[3] = (struct crm_chart_series){ crm_ctx_text(c, N_("Upper bound (95%)")), hi, NULL, 0 };
		chart(d, CRM_CHART_LINE, "chart-forecast", N_("Sales forecast"), N_("Month"), d->labels,
		    MONTHS + AHEAD, s, 4, reports_format_money);
	}
	return 0;
}

static const char *
format_score(void *arg, struct crm_arena *a, double v)
{
	char buf[40];

	(void)arg;
	return crm_arena_strdup(a, crm_chart_number(buf, v, 2));
}

/* support: open tickets per team, tickets and SLA breaches by month, and
 * the satisfaction trend. */
static int
support(struct dash *d)
{
	struct crm_ctx *c = d->c;
	struct crm_db_bind b[5];
	json_t *r = NULL, *row;
	const char **names;
	double *open, *within, *breached, *score, *answers, total = 0, tbreached = 0, ttickets = 0;
	struct crm_chart_series s[2];
	size_t i, n;
	int k;

	crm_auth_bind_scope(c->user, b);
	if (rows(d, STMT_DASH_OPEN_TICKETS, b, 5, &r) != 0)
		return -1;
	n = json_array_size(r);
	names = crm_arena_alloc(c->arena, (n + 1) * sizeof(*names));
	open = zeros(d, n);
	json_array_foreach(r, i, row) {
		names[i] = json_string_value(json_object_get(row, "team"));
		if (names[i][0] == '\0')
			names[i] = crm_ctx_text(c, N_("No team"));
		total += open[i] = num(row, "tickets");
	}
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Open tickets")), open, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-open-tickets", N_("Open tickets by team"), N_("Team"), names, n, s, 1,
	    reports_format_count);
	figure(d, "figure-open-tickets", N_("Open tickets"), reports_format_count(NULL, c->arena, total));

	crm_db_bind_str(&b[0], d->first_month, (size_t)-1);
	crm_db_bind_str(&b[1], c->user->scope, (size_t)-1);
	crm_db_bind_i64(&b[2], c->user->team_id);
	crm_db_bind_i64(&b[3], c->user->team_id);
	if (rows(d, STMT_DASH_TICKET_MONTHS, b, 4, &r) != 0)
		return -1;
	within = zeros(d, MONTHS);
	breached = zeros(d, MONTHS);
	json_array_foreach(r, i, row)
		if ((k = month_index(d, json_string_value(json_object_get(row, "month")), MONTHS)) >= 0) {
			breached[k] = num(row, "breached");
			within[k] = num(row, "tickets") - breached[k];
			ttickets += num(row, "tickets");
			tbreached += breached[k];
		}
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Within target")), within, NULL, 0 };
	s[1] = (struct crm_chart_series){ crm_ctx_text(c, N_("Breached a target")), breached, NULL, 0 };
	chart(d, CRM_CHART_STACKED, "chart-sla", N_("Tickets opened and SLA breaches by month"), N_("Month"),
	    d->labels, MONTHS, s, 2, reports_format_count);
	figure(d, "figure-breach-rate", N_("Breached a target (12 months)"), ttickets > 0 ?
	    crm_arena_printf(c->arena, "%.1f%%", 100.0 * tbreached / ttickets) : "-");

	crm_db_bind_str(&b[0], d->first_month, (size_t)-1);
	if (rows(d, STMT_DASH_CSAT_MONTHS, b, 1, &r) != 0)
		return -1;
	score = zeros(d, MONTHS);
	answers = zeros(d, MONTHS);
	json_array_foreach(r, i, row)
		if ((k = month_index(d, json_string_value(json_object_get(row, "month")), MONTHS)) >= 0) {
			score[k] = num(row, "score");
			answers[k] = num(row, "answers");
		}
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Average score (1-5)")), score, NULL, 0 };
	chart(d, CRM_CHART_LINE, "chart-csat", N_("Customer satisfaction by month"), N_("Month"), d->labels, MONTHS,
	    s, 1, format_score);
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Answers")), answers, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-csat-answers", N_("Satisfaction answers by month"), N_("Month"), d->labels,
	    MONTHS, s, 1, reports_format_count);

	/* What customers wrote, as the sentiment step labelled it. */
	crm_db_bind_str(&b[0], d->first_month, (size_t)-1);
	if (rows(d, STMT_DASH_SENTIMENT_MONTHS, b, 1, &r) != 0)
		return -1;
	if (json_array_size(r) > 0) {
		double *neg = zeros(d, MONTHS), *neu = zeros(d, MONTHS), *pos = zeros(d, MONTHS);
		struct crm_chart_series t[3];

		json_array_foreach(r, i, row)
			if ((k = month_index(d, json_string_value(json_object_get(row, "month")), MONTHS)) >= 0) {
				neg[k] = num(row, "negative");
				neu[k] = num(row, "neutral");
				pos[k] = num(row, "positive");
			}
		t[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Negative")), neg, NULL, 0 };
		t[1] = (struct crm_chart_series){ crm_ctx_text(c, N_("Neutral")), neu, NULL, 0 };
		t[2] = (struct crm_chart_series){ crm_ctx_text(c, N_("Positive")), pos, NULL, 0 };
		chart(d, CRM_CHART_STACKED, "chart-sentiment", N_("What customers wrote, by sentiment and month"),
		    N_("Month"), d->labels, MONTHS, t, 3, reports_format_count);
	}
	return 0;
}

/* marketing: what the latest campaigns reached, cost and earned. */
static int
marketing(struct dash *d)
{
	struct crm_ctx *c = d->c;
	struct crm_db_bind b[5];
	json_t *r = NULL, *row;
	const char **names;
	double *reached, *orders, *revenue, *cost, trevenue = 0, tcost = 0;
	struct crm_chart_series s[2];
	size_t i, n;

	crm_auth_bind_scope(c->user, b);
	if (rows(d, STMT_DASH_CAMPAIGNS, b, 5, &r) != 0)
		return -1;
	n = json_array_size(r);
	names = crm_arena_alloc(c->arena, (n + 1) * sizeof(*names));
	reached = zeros(d, n);
	orders = zeros(d, n);
	revenue = zeros(d, n);
	cost = zeros(d, n);
	json_array_foreach(r, i, row) {
		names[i] = json_string_value(json_object_get(row, "name"));
		reached[i] = num(row, "reached");
		orders[i] = num(row, "orders");
		trevenue += revenue[i] = num(row, "revenue");
		tcost += cost[i] = num(row, "actual_cost");
	}
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Reached")), reached, NULL, 0 };
	s[1] = (struct crm_chart_series){ crm_ctx_text(c, N_("Orders")), orders, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-campaign-reach", N_("Campaigns: reached and orders"), N_("Campaign"),
	    names, n, s, 2, reports_format_count);
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Revenue")), revenue, NULL, 0 };
	s[1] = (struct crm_chart_series){ crm_ctx_text(c, N_("Cost")), cost, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-campaign-roi", N_("Campaigns: revenue and cost"), N_("Campaign"),
	    names, n, s, 2, reports_format_money);
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Revenue")), revenue, NULL, 0 };
	chart(d, CRM_CHART_PIE, "chart-campaign-share", N_("Share of campaign revenue"), N_("Campaign"),
	    names, n, s, 1, reports_format_money);
	figure(d, "figure-campaign-revenue", N_("Campaign revenue"), reports_format_money(NULL, c->arena, trevenue));
	figure(d, "figure-campaign-cost", N_("Campaign cost"), reports_format_money(NULL, c->arena, tcost));
	figure(d, "figure-campaign-roi", N_("Return on cost"), tcost > 0 ?
	    crm_arena_printf(c->arena, "%.0f%%", 100.0 * (trevenue - tcost) / tcost) : "-");
	return 0;
}

/* manager: the team side by side. */
static int
manager(struct dash *d)
{
	struct crm_ctx *c = d->c;
	struct crm_db_bind b[8];
	json_t *r = NULL, *row;
	const char **names;
	double *won, *quota, *pipeline, *revenue, *tickets;
	struct crm_chart_series s[3];
	struct crm_chart sc;
	size_t i, n;

	crm_db_bind_str(&b[0], d->this_month, (size_t)-1);
	crm_db_bind_str(&b[1], d->this_month, (size_t)-1);
	crm_db_bind_str(&b[2], d->this_month, (size_t)-1);
	crm_auth_bind_scope(c->user, b + 3);
	if (rows(d, STMT_DASH_TEAM, b, 8, &r) != 0)
		return -1;
	n = json_array_size(r);
	names = crm_arena_alloc(c->arena, (n + 1) * sizeof(*names));
	won = zeros(d, n);
	quota = zeros(d, n);
	pipeline = zeros(d, n);
	revenue = zeros(d, n);
	tickets = zeros(d, n);
	json_array_foreach(r, i, row) {
		names[i] = json_string_value(json_object_get(row, "name"));
		won[i] = num(row, "won");
		quota[i] = num(row, "quota");
		pipeline[i] = num(row, "pipeline");
		revenue[i] = num(row, "revenue");
		tickets[i] = num(row, "tickets");
	}
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Won this month")), won, NULL, 0 };
	s[1] = (struct crm_chart_series){ crm_ctx_text(c, N_("Quota")), quota, NULL, 0 };
	s[2] = (struct crm_chart_series){ crm_ctx_text(c, N_("Open pipeline")), pipeline, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-team-sales", N_("Team: won, quota and open pipeline"), N_("Person"),
	    names, n, s, 3, reports_format_money);
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Order revenue this month")), revenue, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-team-orders", N_("Team: order revenue this month"), N_("Person"),
	    names, n, s, 1, reports_format_money);
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Open tickets")), tickets, NULL, 0 };
	chart(d, CRM_CHART_BAR, "chart-team-tickets", N_("Team: open tickets"), N_("Person"), names, n, s, 1,
	    reports_format_count);
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("People")), won, pipeline, n };
	sc = (struct crm_chart){ .kind = CRM_CHART_SCATTER, .id = "chart-team-scatter",
	    .title = crm_ctx_text(c, N_("Team: open pipeline against won this month")), .series = s, .nseries = 1,
	    .x_title = crm_ctx_text(c, N_("Open pipeline")), .y_title = crm_ctx_text(c, N_("Won this month")),
	    .format = reports_format_money, .x_format = reports_format_money };
	json_array_append_new(d->charts, crm_chart_view_memo(c->arena, &sc));
	return 0;
}

static const struct dashboard dashboards[] = {
	{ "sales", N_("Sales dashboard"), "sales.read", NULL, sales },
	{ "support", N_("Support dashboard"), "service.read", NULL, support },
	{ "marketing", N_("Marketing dashboard"), "marketing.read", NULL, marketing },
	{ "manager", N_("Manager dashboard"), "sales.read", "service.read", manager },
};

static int
may_see(struct crm_ctx *c, const struct dashboard *db)
{
	return crm_auth_can(c->user, db->perm) && (db->perm2 == NULL || crm_auth_can(c->user, db->perm2));
}

/* The reader's own: the dashboard named as their role, else the manager's
 * for whoever may see it (admins, managers), else the first they may. */
static const struct dashboard *
own_dashboard(struct crm_ctx *c)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(dashboards); i++)
		if (c->user->role != NULL && strcmp(c->user->role, dashboards[i].name) == 0 && may_see(c, &dashboards[i]))
			return &dashboards[i];
	if (may_see(c, &dashboards[3]))
		return &dashboards[3];
	for (i = 0; i < CRM_NELEM(dashboards); i++)
		if (may_see(c, &dashboards[i]))
			return &dashboards[i];
	return NULL;
}

static void
months(struct dash *d)
{
	time_t now = time(NULL);
	struct tm tm;
	int i, y, m;

	gmtime_r(&now, &tm);
	d->year = tm.tm_year + 1900;
	d->month = tm.tm_mon + 1;
	snprintf(d->this_month, sizeof(d->this_month), "%04d-%02d-01", d->year, d->month);
	for (i = 0; i < MONTHS + AHEAD; i++) {
		m = d->month - (MONTHS - 1) + i;
		y = d->year;
		while (m < 1) {
			m += 12;
			y--;
		}
		while (m > 12) {
			m -= 12;
			y++;
		}
		d->labels[i] = crm_arena_printf(d->c->arena, "%04d-%02d", y, m);
		if (i == 0)
			snprintf(d->first_month, sizeof(d->first_month), "%04d-%02d-01", y, m);
	}
}

/* Builds the dashboard into the view: 0, or an HTTP status. */
static int
build(struct crm_ctx *c, const struct dashboard *db, struct dash *d)
{
	json_t *tabs = json_array();
	size_t i;

	if (db == NULL)
		return 404;
	if (!may_see(c, db))
		return 403;
	memset(d, 0, sizeof(*d));
	d->c = c;
	d->charts = json_array();
	d->figures = json_array();
	months(d);
	if (db->build(d) != 0)
		return 500;
	for (i = 0; i < CRM_NELEM(dashboards); i++)
		if (may_see(c, &dashboards[i]))
			json_array_append_new(tabs, json_pack("{s:s, s:s, s:b}", "name", dashboards[i].name,
			    "title", crm_ctx_text(c, dashboards[i].title), "current", &dashboards[i] == db));
	json_object_set_new(c->view, "dashboard", json_pack("{s:s, s:s}", "name", db->name,
	    "title", crm_ctx_text(c, db->title)));
	json_object_set_new(c->view, "dashboards", tabs);
	json_object_set_new(c->view, "figures", d->figures);
	json_object_set_new(c->view, "charts", d->charts);
	return 0;
}

static const struct dashboard *
named(struct crm_ctx *c)
{
	const char *name = crm_ctx_path_param(c, "name");
	size_t i;

	for (i = 0; name != NULL && i < CRM_NELEM(dashboards); i++)
		if (strcmp(dashboards[i].name, name) == 0)
			return &dashboards[i];
	return NULL;
}

static int
show(struct crm_ctx *c, const struct dashboard *db)
{
	struct dash d;
	int rc;

	if (db == NULL && own_dashboard(c) == NULL)
		return crm_ctx_fail(c, 403, N_("None of the dashboards shows what your role may see."));
	if ((rc = build(c, db != NULL ? db : own_dashboard(c), &d)) != 0)
		return rc;
	reports_nav(c, "dashboard");
	reports_flash(c);
	return 200;
}

int
reports_home(struct crm_ctx *c)
{
	return show(c, NULL);
}

int
reports_dashboard(struct crm_ctx *c)
{
	const struct dashboard *db = named(c);

	return db == NULL ? 404 : show(c, db);
}

/* Every chart's table, one after another: its title on a line of its
 * own, its headings, its rows, and a blank line. */
int
reports_dashboard_csv(struct crm_ctx *c)
{
	const struct dashboard *db = named(c);
	json_t *ch, *table, *head, *rows, *cells;
	struct dash d;
	size_t i, j, k;
	int rc;

	if ((rc = build(c, db, &d)) != 0)
		return rc;
	crm_buf_init(&c->raw, c->arena, 4096);
	crm_csv_bom(&c->raw);
	/* The head, the rows and each row's cells are tables (crm_chart.h). */
	json_array_foreach(d.charts, i, ch) {
		table = json_object_get(ch, "table");
		head = json_object_get(table, "head");
		rows = json_object_get(table, "rows");
		crm_csv_field(&c->raw, json_string_value(json_object_get(table, "caption")), 1);
		crm_csv_end_row(&c->raw);
		for (j = 0; j < crm_table_size(head); j++)
			crm_csv_field(&c->raw, json_is_true(crm_table_get(head, j, "share")) ?
			    crm_ctx_text(c, N_("Share")) : json_is_true(crm_table_get(head, j, "of_first")) ?
			    crm_ctx_text(c, N_("Of the first step")) :
			    json_string_value(crm_table_get(head, j, "text")), j == 0);
		crm_csv_end_row(&c->raw);
		for (j = 0; j < crm_table_size(rows); j++) {
			cells = crm_table_get(rows, j, "cells");
			for (k = 0; k < crm_table_size(cells); k++)
				crm_csv_field(&c->raw, json_string_value(crm_table_get(cells, k, "text")), k == 0);
			crm_csv_end_row(&c->raw);
		}
		crm_csv_end_row(&c->raw);
	}
	c->content_type = "text/csv; charset=utf-8";
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena,
	    "attachment; filename=\"dashboard-%s-%04d-%02d.csv\"", db->name, d.year, d.month));
	return 200;
}
