/* Campaigns: the list (by status and type, newest first, a page at a
 * time), and the form that creates and edits one. Names are unique, as
 * the schema says; a deleted campaign keeps its name. */
#include <string.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "campaign_form.h"

void
campaign_rows_text(struct crm_ctx *c, json_t *rows)
{
	json_t *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		json_object_set_new(r, "type_label", json_string(campaign_type_label(c,
		    json_string_value(json_object_get(r, "type")))));
		json_object_set_new(r, "status_label", json_string(campaign_status_label(c,
		    json_string_value(json_object_get(r, "status")))));
	}
}

int
marketing_campaigns(struct crm_ctx *c)
{
	const char *status = crm_ctx_query_str(c, "status"), *type = crm_ctx_query_str(c, "type");
	static const char *const keep[] = { "status", "type", NULL };
	struct crm_db_bind b[11];
	long long after_id = 0;
	json_t *rows = NULL;

	if ((*status && !crm_valid_oneof(status, campaign_status_names)) ||
	    (*type && !crm_valid_oneof(type, campaign_type_names)) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_str(&b[0], status, (size_t)-1);
	crm_db_bind_str(&b[1], status, (size_t)-1);
	crm_db_bind_str(&b[2], type, (size_t)-1);
	crm_db_bind_str(&b[3], type, (size_t)-1);
	marketing_bind_scope(c, b + 4);
	crm_db_bind_i64(&b[9], after_id);
	crm_db_bind_i64(&b[10], after_id);
	if (crm_db_rows(c->db, STMT_CAMPAIGNS, b, 11, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/marketing/campaigns", NULL, keep);
	campaign_rows_text(c, rows);
	json_object_set_new(c->view, "campaigns", rows);
	json_object_set_new(c->view, "statuses", campaign_statuses(c, status, 1));
	json_object_set_new(c->view, "types", campaign_types(c, type, 1));
	marketing_nav(c, "campaigns");
	marketing_flash(c);
	return 200;
}

static int
form_page(struct crm_ctx *c, json_t *campaign)
{
	json_object_set_new(c->view, "types", campaign_types(c,
	    json_string_value(json_object_get(campaign, "type")), 0));
	json_object_set_new(c->view, "campaign", campaign);
	marketing_nav(c, "campaigns");
	return 200;
}

int
marketing_campaign_new(struct crm_ctx *c)
{
	return form_page(c, json_pack("{s:s,s:s,s:s,s:s,s:i}", "type", "email", "currency",
	    marketing_campaign_base_currency(c), "budget", "0.00", "actual_cost", "0.00", "attribution_days", 90));
}

struct change {
	struct crm_ctx *c;
	struct campaign_form f;
	long long id;
	json_t *before;
};

/* As stored: decimals formatted, empty dates NULL. */
static json_t *
stored_json(const struct campaign_form *f)
{
	char budget[CRM_DECIMAL_MAX], cost[CRM_DECIMAL_MAX];

	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "name", f->name, "type", f->type,
	    "objective", f->objective, "starts_on", f->starts_on, "ends_on", f->ends_on, "currency", f->currency,
	    "budget", crm_money_format(budget, f->budget_cents), "actual_cost", crm_money_format(cost, f->cost_cents),
	    "attribution_days", (json_int_t)f->days, "utm_suffix", f->utm_suffix);
}

static void
bind_form(struct crm_ctx *c, const struct campaign_form *f, struct crm_db_bind *b)
{
	char budget[CRM_DECIMAL_MAX], cost[CRM_DECIMAL_MAX];

	crm_db_bind_str(&b[0], f->name, (size_t)-1);
	crm_db_bind_str(&b[1], f->type, (size_t)-1);
	crm_db_bind_str(&b[2], f->objective, (size_t)-1);
	crm_db_bind_str(&b[3], *f->starts_on ? f->starts_on : NULL, (size_t)-1);
	crm_db_bind_str(&b[4], *f->ends_on ? f->ends_on : NULL, (size_t)-1);
	crm_db_bind_str(&b[5], f->currency, (size_t)-1);
	crm_db_bind_str(&b[6], crm_arena_strdup(c->arena, crm_money_format(budget, f->budget_cents)), (size_t)-1);
	crm_db_bind_str(&b[7], crm_arena_strdup(c->arena, crm_money_format(cost, f->cost_cents)), (size_t)-1);
	crm_db_bind_i64(&b[8], f->days);
	crm_db_bind_str(&b[9], f->utm_suffix, (size_t)-1);
}

static enum crm_err
name_free(struct change *ch)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->f.name, (size_t)-1);
	crm_db_bind_i64(&b[1], ch->id);
	e = crm_db_row(ch->c->db, STMT_CAMPAIGN_BY_NAME, b, 2, &row);
	if (e == CRM_ENOTFOUND)
		return CRM_OK;
	return e == CRM_OK ? CRM_ECONFLICT : e;
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[11];
	uint64_t id = 0;
	enum crm_err e;

	if ((e = name_free(ch)) != CRM_OK)
		return e;
	bind_form(ch->c, &ch->f, b);
	crm_db_bind_i64(&b[10], ch->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_CAMPAIGN_CREATE, b, 11, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	return crm_ctx_audit(ch->c, "create", "campaign", ch->id, NULL, stored_json(&ch->f));
}

int
marketing_campaign_create(struct crm_ctx *c)
{
	struct change ch;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	campaign_form_read(c, &ch.f);
	if (crm_ctx_has_errors(c)) {
		form_page(c, campaign_form_json(&ch.f));
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, create_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another campaign has this name."));
		form_page(c, campaign_form_json(&ch.f));
		return crm_ctx_status(c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/campaigns/%lld?done=created", ch.id));
}

int
marketing_campaign_edit(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *campaign = marketing_campaign_load(c, id, &status);

	if (campaign == NULL)
		return status;
	json_object_set_new(c->view, "editing", json_true());
	json_object_set_new(c->view, "campaign_id", json_integer(id));
	return form_page(c, campaign);
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[11];
	json_t *before = ch->before;
	enum crm_err e;

	if ((e = name_free(ch)) != CRM_OK)
		return e;
	bind_form(ch->c, &ch->f, b);
	crm_db_bind_i64(&b[10], ch->id);
	/* The dates or the window may have moved: attribution again. */
	if ((e = crm_db_exec(db, STMT_CAMPAIGN_UPDATE, b, 11, NULL, NULL)) != CRM_OK ||
	    (e = marketing_attribution_request(db, ch->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "campaign", ch->id, json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}",
	    "name", json_object_get(before, "name"), "type", json_object_get(before, "type"),
	    "objective", json_object_get(before, "objective"), "starts_on", json_object_get(before, "starts_on"),
	    "ends_on", json_object_get(before, "ends_on"), "currency", json_object_get(before, "currency"),
	    "budget", json_object_get(before, "budget"), "actual_cost", json_object_get(before, "actual_cost"),
	    "attribution_days", json_object_get(before, "attribution_days"),
	    "utm_suffix", json_object_get(before, "utm_suffix")), stored_json(&ch->f));
}

int
marketing_campaign_update(struct crm_ctx *c)
{
	struct change ch;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = marketing_campaign_load(c, ch.id, &status)) == NULL)
		return status;
	json_object_set_new(c->view, "editing", json_true());
	json_object_set_new(c->view, "campaign_id", json_integer(ch.id));
	campaign_form_read(c, &ch.f);
	if (crm_ctx_has_errors(c)) {
		form_page(c, campaign_form_json(&ch.f));
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, update_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another campaign has this name."));
		form_page(c, campaign_form_json(&ch.f));
		return crm_ctx_status(c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/campaigns/%lld?done=saved", ch.id));
}
