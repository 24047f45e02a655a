/* A campaign's members: a page at a time by contact id, all or of one
 * status, each with the time of every response; a response recorded by
 * hand (at an event, by phone); and the SMS export, the mobile numbers of
 * members who agreed to SMS, streamed as CSV. */
#include <string.h>

#include "crm_audit.h"
#include "crm_csv.h"
#include "crm_log.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const member_statuses[] = { "targeted", "sent", "opened", "clicked", "responded", "converted",
	"unsubscribed", "bounced", NULL };
static const char *const member_labels[] = { N_("Targeted"), N_("Sent"), N_("Opened"), N_("Clicked"),
	N_("Responded"), N_("Converted"), N_("Unsubscribed"), N_("Bounced"), NULL };
static const char *const stamps[] = { "added_at", "sent_at", "opened_at", "clicked_at", "responded_at",
	"converted_at", "unsubscribed_at", "bounced_at", NULL };

static const char *
member_label(struct crm_ctx *c, const char *status)
{
	size_t i;

	for (i = 0; member_statuses[i]; i++)
		if (strcmp(member_statuses[i], status) == 0)
			return crm_ctx_text(c, member_labels[i]);
	return status;
}

int
marketing_campaign_members(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id"), after_id = 0;
	const char *status = crm_ctx_query_str(c, "status");
	static const char *const keep[] = { "status", NULL };
	struct crm_db_bind b[8];
	json_t *campaign, *rows = NULL, *r, *opts = json_array();
	size_t i, n = 0;
	int st;

	if ((campaign = marketing_campaign_load(c, id, &st)) == NULL)
		return st;
	if ((*status && !crm_valid_oneof(status, member_statuses)) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_i64(&b[n++], id);
	if (*status)
		crm_db_bind_str(&b[n++], status, (size_t)-1);
	crm_db_bind_i64(&b[n++], after_id);
	marketing_bind_scope(c, b + n);
	if (crm_db_rows(c->db, *status ? STMT_CAMPAIGN_MEMBERS_BY_STATUS : STMT_CAMPAIGN_MEMBERS, b, n + 5,
	    &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, crm_arena_printf(c->arena, "/marketing/campaigns/%lld/members", id), NULL, keep);
	for (i = 0; stamps[i]; i++)
		crm_ctx_localise_dates(c, rows, stamps[i]);
	json_array_foreach(rows, i, r) {
		const char *s = json_string_value(json_object_get(r, "status"));

		json_object_set_new(r, "status_label", json_string(member_label(c, s)));
		/* What is left to record by hand: status only moves forward. */
		json_object_set_new(r, "can_respond", json_boolean(strcmp(s, "targeted") == 0 ||
		    strcmp(s, "sent") == 0 || strcmp(s, "opened") == 0 || strcmp(s, "clicked") == 0));
		json_object_set_new(r, "can_convert", json_boolean(json_is_true(json_object_get(r, "can_respond")) ||
		    strcmp(s, "responded") == 0));
	}
	json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", "", "label", crm_ctx_text(c, N_("Any")),
	    "selected", *status == '\0'));
	for (i = 0; member_statuses[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", member_statuses[i], "label",
		    crm_ctx_text(c, member_labels[i]), "selected", strcmp(status, member_statuses[i]) == 0));
	json_object_set_new(c->view, "campaign", campaign);
	json_object_set_new(c->view, "members", rows);
	json_object_set_new(c->view, "statuses", opts);
	json_object_set_new(c->view, "status", json_string(status));
	marketing_nav(c, "campaigns");
	marketing_flash(c);
	return 200;
}

struct response {
	struct crm_ctx *c;
	long long campaign_id, contact_id;
	const char *what;
};

static enum crm_err
response_tx(struct crm_db *db, void *arg)
{
	struct response *r = arg;
	struct crm_db_bind b[7];
	json_t *before = NULL, *after = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], r->campaign_id);
	crm_db_bind_i64(&b[1], r->contact_id);
	marketing_bind_scope(r->c, b + 2);
	if ((e = crm_db_row(db, STMT_CAMPAIGN_MEMBER_GET, b, 7, &before)) != CRM_OK)
		return e;
	if ((e = crm_db_exec(db, strcmp(r->what, "converted") == 0 ? STMT_CAMPAIGN_MEMBER_CONVERTED :
	    STMT_CAMPAIGN_MEMBER_RESPONDED, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = crm_db_row(db, STMT_CAMPAIGN_MEMBER_GET, b, 7, &after)) != CRM_OK)
		return e;
	json_object_del(before, "full_name");
	json_object_del(after, "full_name");
	return crm_ctx_audit(r->c, "response", "campaign", r->campaign_id,
	    json_pack("{s:I,s:O,s:O,s:O}", "contact_id", (json_int_t)r->contact_id, "status",
	    json_object_get(before, "status"), "responded_at", json_object_get(before, "responded_at"),
	    "converted_at", json_object_get(before, "converted_at")),
	    json_pack("{s:I,s:O,s:O,s:O}", "contact_id", (json_int_t)r->contact_id, "status",
	    json_object_get(after, "status"), "responded_at", json_object_get(after, "responded_at"),
	    "converted_at", json_object_get(after, "converted_at")));
}

int
marketing_campaign_response(struct crm_ctx *c)
{
	static const char *const whats[] = { "responded", "converted", NULL };
	struct response r = { c, crm_ctx_id(c, "id"), crm_ctx_id(c, "contact_id"), crm_ctx_form_str(c, "response") };
	int st;
	enum crm_err e;

	if (marketing_campaign_load(c, r.campaign_id, &st) == NULL)
		return st;
	if (r.contact_id == 0)
		return 404;
	if (!crm_valid_oneof(r.what, whats)) {
		/* The members' first page again, the reason above it. */
		crm_ctx_field_error(c, "response", N_("Choose responded or converted."));
		if ((st = marketing_campaign_members(c)) != 200)
			return st;
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, response_tx, &r)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/marketing/campaigns/%lld/members?done=response", r.campaign_id));
}

static enum crm_err
export_audit_tx(struct crm_db *db, void *arg)
{
	struct response *r = arg;

	(void)db;
	return crm_ctx_audit(r->c, "sms_export", "campaign", r->campaign_id, NULL, NULL);
}

int
marketing_campaign_sms_export(struct crm_ctx *c)
{
	struct response r = { c, crm_ctx_id(c, "id"), 0, "" };
	struct crm_db_bind b[7];
	struct crm_buf out;
	long long after = 0;
	size_t i, total = 0;
	json_t *rows, *row;
	int st, more = 1;

	if (marketing_campaign_load(c, r.campaign_id, &st) == NULL)
		return st;
	/* Who took which numbers is on record before the first byte goes. */
	if (crm_db_tx(c->db, export_audit_tx, &r) != CRM_OK)
		return 500;
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena,
	    "attachment; filename=\"campaign-%lld-sms.csv\"", r.campaign_id));
	crm_ctx_stream_start(c, "text/csv; charset=utf-8");
	/* Batches come from the heap, freed one by one, not from the request
	 * arena, which would hold a 100,000-member export to the end. */
	crm_arena_json_use(NULL);
	crm_buf_init(&out, NULL, 64 * 1024);
	crm_csv_bom(&out);
	crm_csv_field(&out, "name", 1);
	crm_csv_field(&out, "mobile", 0);
	crm_csv_end_row(&out);
	while (more) {
		rows = NULL;
		crm_db_bind_i64(&b[0], r.campaign_id);
		crm_db_bind_i64(&b[1], after);
		marketing_bind_scope(c, b + 2);
		if (crm_db_rows(c->db, STMT_CAMPAIGN_SMS_EXPORT, b, 7, &rows) != CRM_OK) {
			crm_log(CRM_LOG_ERROR, "sms export of campaign %lld stopped after %zu rows", r.campaign_id, total);
			json_decref(rows);
			break;
		}
		more = json_array_size(rows) > 1000;
		json_array_foreach(rows, i, row) {
			if (i == 1000)
				break;
			/* crm_csv_field quotes a leading = + - @ away from
			 * formulas, and leaves "+4930..." numbers alone. */
			crm_csv_field(&out, json_string_value(json_object_get(row, "full_name")), 1);
			crm_csv_field(&out, json_string_value(json_object_get(row, "mobile")), 0);
			crm_csv_end_row(&out);
			after = json_integer_value(json_object_get(row, "id"));
			if (out.len > 60 * 1024) {
				crm_ctx_stream_write(c, out.data, out.len);
				crm_buf_clear(&out);
			}
		}
		total += i;
		json_decref(rows);
	}
	crm_ctx_stream_write(c, out.data, out.len);
	crm_buf_release(&out);
	crm_arena_json_use(c->arena);
	return 200;
}
