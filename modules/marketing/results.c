/* A campaign's results: how far its members got (one range of the
 * campaign_members_status index, grouped by status), the deals and
 * orders attributed to it (stmts.c says how), revenue, cost, ROI and the
 * cost of a lead and of a conversion, and the funnel chart drawn as SVG
 * numbers the template lays out. Money stays in exact cents throughout.
 *
 * What a 100,000-member campaign costs: the funnel reads 100,000 index
 * entries (about 12 ms); the attributed deals and orders are one row the
 * job runner keeps (attribution.c), since working them out takes, per
 * member, one contact lookup by primary key and two index lookups in
 * orders and two in opportunities: some 500,000 B-tree probes, about a
 * second, too much for each view of the page. */
#include <string.h>

#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

/* Funnel steps; status is the furthest a member got, so a step counts
 * every member at that status or past it. Only e-mail has opens and
 * clicks before a response: elsewhere (an event, a flyer) a response
 * says nothing about them, so those steps count their own status only
 * (the `email_only` statuses are left out). */
static const struct {
	const char *key, *label;
	const char *statuses[7];
	int email_only;         /* statuses from this index on count for e-mail only */
} steps[] = {
	{ "members", N_("Members"), { "targeted", "sent", "opened", "clicked", "responded", "converted", "unsubscribed" }, 0 },
	{ "reached", N_("Reached"), { "sent", "opened", "clicked", "responded", "converted", "unsubscribed", NULL }, 0 },
	{ "opened", N_("Opened"), { "opened", "clicked", "responded", "converted", NULL }, 2 },
	{ "clicked", N_("Clicked"), { "clicked", "responded", "converted", NULL }, 1 },
	{ "responded", N_("Responded"), { "responded", "converted", NULL }, 0 },
	{ "converted", N_("Converted"), { "converted", NULL }, 0 },
	{ "unsubscribed", N_("Unsubscribed"), { "unsubscribed", NULL }, 0 },
	{ "bounced", N_("Bounced"), { "bounced", NULL }, 0 },
};

#define CHART_LABEL 130         /* room for the step's name */
#define CHART_BAR 380           /* the widest bar */
#define CHART_ROW 30

static long long
count_of(json_t *by_status, const char *status)
{
	json_t *r;
	size_t i;

	json_array_foreach(by_status, i, r)
		if (strcmp(json_string_value(json_object_get(r, "status")), status) == 0)
			return json_integer_value(json_object_get(r, "n"));
	return 0;
}

/* The kept attribution: counts and amounts (cents), and when it was
 * worked out into r; all 0 and pending until the runner has done it. */
static enum crm_err
attributed(struct crm_ctx *c, long long id, json_t *r, long long *opps, long long *opp_cents, long long *orders,
    long long *revenue)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	enum crm_err e;

	*opps = *opp_cents = *orders = *revenue = 0;
	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row(c->db, STMT_ATTRIBUTION_GET, b, 1, &row)) == CRM_ENOTFOUND) {
		json_object_set_new(r, "attribution_pending", json_true());
		return CRM_OK;
	}
	if (e != CRM_OK)
		return e;
	*opps = json_integer_value(json_object_get(row, "opportunities"));
	*orders = json_integer_value(json_object_get(row, "orders"));
	if (crm_money_parse(json_string_value(json_object_get(row, "opportunity_amount")), opp_cents) != 0 ||
	    crm_money_parse(json_string_value(json_object_get(row, "revenue")), revenue) != 0)
		return CRM_EDB;
	if (json_is_true(json_object_get(row, "pending")) || json_integer_value(json_object_get(row, "pending")))
		json_object_set_new(r, "attribution_pending", json_true());
	if (json_is_string(json_object_get(row, "computed_at")))
		json_object_set_new(r, "attribution_at", json_string(crm_ctx_date(c,
		    json_string_value(json_object_get(row, "computed_at")), 1)));
	return CRM_OK;
}

/* The campaign's cost in the base currency, through the exchange rate
 * (units of the currency per unit of the base); 0 when none is known. */
static int
cost_in_base(struct crm_ctx *c, const char *currency, long long cost, long long *out)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	long long rate;

	if (strcmp(currency, marketing_campaign_base_currency(c)) == 0) {
		*out = cost;
		return 1;
	}
	crm_db_bind_str(&b[0], currency, (size_t)-1);
	if (crm_db_row(c->db, STMT_CAMPAIGN_RATE, b, 1, &row) != CRM_OK ||
	    crm_decimal_parse(json_string_value(json_object_get(row, "rate")), CRM_RATE_SCALE, 18, &rate) != 0 ||
	    rate <= 0)
		return 0;
	return crm_muldiv(cost, 100000000LL, rate, out) == 0;
}

static json_t *
chart(struct crm_ctx *c, const long long *v)
{
	json_t *bars = json_array();
	long long max = v[0] > 0 ? v[0] : 1;
	size_t i;

	for (i = 0; i < CRM_NELEM(steps); i++) {
		long long w = v[i] * CHART_BAR / max, pct = v[0] > 0 ? v[i] * 1000 / v[0] : 0;

		json_array_append_new(bars, json_pack("{s:s,s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:I}", "key", steps[i].key,
		    "label", crm_ctx_text(c, steps[i].label), "value", (json_int_t)v[i],
		    "percent", crm_arena_printf(c->arena, "%lld.%lld %%", pct / 10, pct % 10),
		    "y", (json_int_t)(i * CHART_ROW), "text_y", (json_int_t)(i * CHART_ROW + 19),
		    "x", (json_int_t)CHART_LABEL, "width", (json_int_t)(w > 0 ? w : 1),
		    "value_x", (json_int_t)(CHART_LABEL + (w > 0 ? w : 1) + 6)));
	}
	return json_pack("{s:o,s:I,s:I}", "bars", bars, "width", (json_int_t)(CHART_LABEL + CHART_BAR + 90),
	    "height", (json_int_t)(CRM_NELEM(steps) * CHART_ROW));
}

json_t *
marketing_campaign_figures(struct crm_ctx *c, json_t *campaign)
{
	long long id = json_integer_value(json_object_get(campaign, "id"));
	int email = strcmp(json_string_value(json_object_get(campaign, "type")), "email") == 0;
	const char *currency = json_string_value(json_object_get(campaign, "currency"));
	const char *base = marketing_campaign_base_currency(c);
	long long v[CRM_NELEM(steps)], opps, opp_cents, orders, revenue, cost, cost_base, x;
	struct crm_db_bind b[1];
	json_t *by_status = NULL, *r;
	size_t i, k;
	char buf[CRM_DECIMAL_MAX];

	r = json_object();
	crm_db_bind_i64(&b[0], id);
	if (crm_db_rows(c->db, STMT_CAMPAIGN_RESULT_STATUS, b, 1, &by_status) != CRM_OK ||
	    attributed(c, id, r, &opps, &opp_cents, &orders, &revenue) != CRM_OK ||
	    crm_money_parse(json_string_value(json_object_get(campaign, "actual_cost")), &cost) != 0)
		return NULL;
	for (i = 0; i < CRM_NELEM(steps); i++) {
		v[i] = 0;
		for (k = 0; k < CRM_NELEM(steps[i].statuses) && steps[i].statuses[k]; k++)
			if (email || steps[i].email_only == 0 || (int)k < steps[i].email_only)
				v[i] += count_of(by_status, steps[i].statuses[k]);
		/* Members: every status, bounced included. */
		if (i == 0)
			v[i] += count_of(by_status, "bounced");
		json_object_set_new(r, steps[i].key, json_integer(v[i]));
	}
	json_object_set_new(r, "chart", chart(c, v));
	json_object_set_new(r, "opportunities", json_integer(opps));
	json_object_set_new(r, "opportunity_amount", json_string(crm_money_format(buf, opp_cents)));
	json_object_set_new(r, "opportunity_amount_text", json_string(marketing_campaign_money(c, opp_cents, base)));
	json_object_set_new(r, "orders", json_integer(orders));
	json_object_set_new(r, "revenue", json_string(crm_money_format(buf, revenue)));
	json_object_set_new(r, "revenue_text", json_string(marketing_campaign_money(c, revenue, base)));
	json_object_set_new(r, "base_currency", json_string(base));
	json_object_set_new(r, "cost", json_string(crm_money_format(buf, cost)));
	json_object_set_new(r, "cost_text", json_string(marketing_campaign_money(c, cost, currency)));
	if (!cost_in_base(c, currency, cost, &cost_base)) {
		json_object_set_new(r, "no_rate", json_true());
		return r;
	}
	json_object_set_new(r, "cost_base", json_string(crm_money_format(buf, cost_base)));
	/* Shown beside the cost only when it had to be converted. */
	if (strcmp(currency, base) != 0)
		json_object_set_new(r, "cost_base_text", json_string(marketing_campaign_money(c, cost_base, base)));
	/* ROI as a percentage with two decimals: (revenue - cost) / cost. */
	if (cost_base > 0 && crm_muldiv(revenue - cost_base, 10000, cost_base, &x) == 0) {
		json_object_set_new(r, "roi", json_string(crm_decimal_format(buf, x, 2)));
		json_object_set_new(r, "roi_text", json_string(crm_arena_printf(c->arena, "%s %%",
		    crm_decimal_format(buf, x, 2))));
	}
	if (v[4] > 0 && crm_muldiv(cost_base, 1, v[4], &x) == 0) {
		json_object_set_new(r, "cost_per_lead", json_string(crm_money_format(buf, x)));
		json_object_set_new(r, "cost_per_lead_text", json_string(marketing_campaign_money(c, x, base)));
	}
	if (v[5] > 0 && crm_muldiv(cost_base, 1, v[5], &x) == 0) {
		json_object_set_new(r, "cost_per_conversion", json_string(crm_money_format(buf, x)));
		json_object_set_new(r, "cost_per_conversion_text", json_string(marketing_campaign_money(c, x, base)));
	}
	return r;
}

int
marketing_campaign_results(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *campaign = marketing_campaign_load(c, id, &status), *r;

	if (campaign == NULL)
		return status;
	if ((r = marketing_campaign_figures(c, campaign)) == NULL)
		return 500;
	json_object_set_new(c->view, "campaign_id", json_integer(id));
	json_object_set_new(c->view, "results", r);
	return 200;
}
