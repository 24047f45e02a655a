/* GET /marketing/campaigns/:id: the campaign, its targets, its results
 * with the chart, the next status move, and the way to its members, its
 * tracked links and its mass e-mail (those two are other pages). */
#include <string.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "campaign_form.h"

static void
money_text(struct crm_ctx *c, json_t *campaign, const char *column)
{
	long long cents;

	if (crm_money_parse(json_string_value(json_object_get(campaign, column)), &cents) == 0)
		json_object_set_new(campaign, crm_arena_printf(c->arena, "%s_text", column), json_string(
		    marketing_campaign_money(c, cents, json_string_value(json_object_get(campaign, "currency")))));
}

static const char *
next_status(const char *status)
{
	if (strcmp(status, "planned") == 0)
		return "active";
	if (strcmp(status, "active") == 0)
		return "completed";
	return NULL;
}

int
marketing_campaign_show(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id"), added;
	struct crm_db_bind b[5];
	json_t *campaign, *results, *targets = NULL, *lists = NULL, *segments = NULL, *history = NULL, *one;
	const char *status, *next;
	int st;
	size_t i;

	if ((campaign = marketing_campaign_load(c, id, &st)) == NULL)
		return st;
	status = json_string_value(json_object_get(campaign, "status"));
	json_object_set_new(campaign, "type_label", json_string(campaign_type_label(c,
	    json_string_value(json_object_get(campaign, "type")))));
	json_object_set_new(campaign, "status_label", json_string(campaign_status_label(c, status)));
	json_object_set_new(campaign, "is_sms", json_boolean(strcmp(json_string_value(json_object_get(campaign,
	    "type")), "sms") == 0));
	money_text(c, campaign, "budget");
	money_text(c, campaign, "actual_cost");
	crm_db_bind_i64(&b[0], id);
	if ((results = marketing_campaign_figures(c, campaign)) == NULL ||
	    crm_db_rows(c->db, STMT_CAMPAIGN_TARGETS, b, 1, &targets) != CRM_OK)
		return 500;
	json_array_foreach(targets, i, one)
		json_object_set_new(one, "is_list", json_boolean(json_is_integer(json_object_get(one, "list_id"))));
	marketing_bind_scope(c, b);
	if (crm_db_rows(c->db, STMT_CAMPAIGN_LIST_CHOICES, b, 5, &lists) != CRM_OK ||
	    crm_db_rows(c->db, STMT_CAMPAIGN_SEGMENT_CHOICES, b, 5, &segments) != CRM_OK ||
	    crm_ctx_history(c, "campaign", NULL, id, &history) != CRM_OK)
		return 500;
	if ((next = next_status(status)) != NULL)
		json_object_set_new(c->view, "next_status", json_pack("{s:s,s:s}", "value", next,
		    "label", campaign_status_label(c, next)));
	if (crm_ctx_query(c, "added") && crm_valid_id(crm_ctx_query(c, "added"), &added))
		json_object_set_new(c->view, "fill", json_pack("{s:I}", "added", (json_int_t)added));
	json_object_set_new(c->view, "campaign", campaign);
	json_object_set_new(c->view, "results", results);
	json_object_set_new(c->view, "targets", targets);
	json_object_set_new(c->view, "lists", lists);
	json_object_set_new(c->view, "segments", segments);
	json_object_set_new(c->view, "history", history);
	marketing_nav(c, "campaigns");
	marketing_flash(c);
	return 200;
}
