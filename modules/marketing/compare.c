/* GET /marketing/campaigns/compare?id=1&id=2: two to five campaigns side
 * by side, one row per figure; with fewer, the latest campaigns to pick
 * from. Each campaign's results cost what its own page's do. */
#include <string.h>

#include "crm_valid.h"
#include "campaign_form.h"

#define COMPARE_MAX 5

static const struct {
	const char *key, *label;
} figures[] = {
	{ "members", N_("Members") },
	{ "reached", N_("Reached") },
	{ "opened", N_("Opened") },
	{ "clicked", N_("Clicked") },
	{ "responded", N_("Responded") },
	{ "converted", N_("Converted") },
	{ "unsubscribed", N_("Unsubscribed") },
	{ "bounced", N_("Bounced") },
	{ "opportunities", N_("Opportunities") },
	{ "orders", N_("Orders") },
	{ "revenue_text", N_("Revenue") },
	{ "cost_text", N_("Cost") },
	{ "roi_text", N_("ROI") },
	{ "cost_per_lead_text", N_("Cost per lead") },
	{ "cost_per_conversion_text", N_("Cost per conversion") },
};

static int
picker(struct crm_ctx *c)
{
	struct crm_db_bind b[11];
	json_t *rows = NULL;

	crm_db_bind_str(&b[0], "", 0);
	crm_db_bind_str(&b[1], "", 0);
	crm_db_bind_str(&b[2], "", 0);
	crm_db_bind_str(&b[3], "", 0);
	marketing_bind_scope(c, b + 4);
	crm_db_bind_i64(&b[9], 0);
	crm_db_bind_i64(&b[10], 0);
	if (crm_db_rows(c->db, STMT_CAMPAIGNS, b, 11, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50)
		json_array_remove(rows, 50);
	campaign_rows_text(c, rows);
	json_object_set_new(c->view, "choices", rows);
	return 200;
}

int
marketing_campaign_compare(struct crm_ctx *c)
{
	long long ids[COMPARE_MAX];
	json_t *cols = json_array(), *rows = json_array(), *campaign, *res, *row, *cells;
	size_t n = 0, i, k;
	int st;

	marketing_nav(c, "compare");
	for (i = 0; i < c->query.n; i++) {
		const struct crm_param *p = &c->query.v[i];

		if (strcmp(p->name.data, "id") != 0)
			continue;
		if (n == COMPARE_MAX)
			return crm_ctx_fail(c, 422, N_("Compare two to five campaigns."));
		if (!crm_valid_id(p->value.data, &ids[n]))
			return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
		for (k = 0; k < n && ids[k] != ids[n]; k++)
			;
		if (k == n)
			n++;
	}
	if (n < 2) {
		if (n == 1)
			json_object_set_new(c->view, "too_few", json_true());
		return picker(c);
	}
	for (i = 0; i < n; i++) {
		if ((campaign = marketing_campaign_load(c, ids[i], &st)) == NULL)
			return st;
		if ((res = marketing_campaign_figures(c, campaign)) == NULL)
			return 500;
		json_object_set_new(campaign, "type_label", json_string(campaign_type_label(c,
		    json_string_value(json_object_get(campaign, "type")))));
		json_object_set_new(campaign, "status_label", json_string(campaign_status_label(c,
		    json_string_value(json_object_get(campaign, "status")))));
		json_object_set_new(campaign, "results", res);
		json_array_append_new(cols, campaign);
	}
	for (k = 0; k < CRM_NELEM(figures); k++) {
		cells = json_array();
		json_array_foreach(cols, i, campaign) {
			json_t *v = json_object_get(json_object_get(campaign, "results"), figures[k].key);

			json_array_append_new(cells, json_pack("{s:s}", "value", json_is_integer(v) ?
			    crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(v)) :
			    json_is_string(v) ? json_string_value(v) : "—"));
		}
		row = json_pack("{s:s,s:s,s:o}", "key", figures[k].key, "label", crm_ctx_text(c, figures[k].label),
		    "cells", cells);
		json_array_append_new(rows, row);
	}
	json_object_set_new(c->view, "campaigns", cols);
	json_object_set_new(c->view, "figures", rows);
	return 200;
}
