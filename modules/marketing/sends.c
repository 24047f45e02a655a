/* A campaign's mass send: the page that shows who will get the e-mail
 * and who is skipped and why, the start (the send and one message row per
 * member, queued or skipped, written in one transaction by one INSERT ...
 * SELECT, so a send exists whole or not at all), and the progress page
 * with pause, resume and cancel. The sending is crm-marketing jobs'
 * (send_jobs.c). */
#include <stdlib.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

static const struct crm_done reasons[] = {
	{ "no_consent", N_("No consent for marketing e-mail") },
	{ "unsubscribed", N_("Unsubscribed") },
	{ "bounced", N_("The address bounced") },
	{ "no_address", N_("No e-mail address") },
	{ "erased", N_("Contact erased or deleted") },
};

static const char *
reason_text(struct crm_ctx *c, const char *code)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(reasons); i++)
		if (strcmp(code, reasons[i].code) == 0)
			return crm_ctx_text(c, reasons[i].message);
	return code;
}

static int
form_page(struct crm_ctx *c, json_t *campaign, long long chosen)
{
	struct crm_db_bind b[5];
	json_t *templates = NULL, *audience = NULL, *history = NULL, *open = NULL, *row, *skipped = json_array();
	long long will = 0, skip = 0, id = json_integer_value(json_object_get(campaign, "id"));
	size_t i;

	marketing_bind_scope(c, b);
	if (crm_db_rows(c->db, STMT_SEND_TEMPLATES, b, 5, &templates) != CRM_OK)
		return 500;
	crm_db_bind_i64(&b[0], id);
	if (crm_db_rows(c->db, STMT_SEND_AUDIENCE, b, 1, &audience) != CRM_OK ||
	    crm_db_rows(c->db, STMT_SEND_HISTORY, b, 1, &history) != CRM_OK ||
	    crm_db_rows(c->db, STMT_SEND_OPEN, b, 1, &open) != CRM_OK)
		return 500;
	if (chosen == 0)
		chosen = json_integer_value(json_object_get(campaign, "template_id"));
	json_array_foreach(templates, i, row)
		json_object_set_new(row, "selected", json_boolean(json_integer_value(json_object_get(row, "id")) == chosen));
	json_array_foreach(audience, i, row) {
		const char *r = json_string_value(json_object_get(row, "reason"));
		long long n = json_integer_value(json_object_get(row, "n"));

		if (*r == '\0') {
			will = n;
			continue;
		}
		skip += n;
		json_array_append_new(skipped, json_pack("{s:s,s:s,s:I}", "reason", r, "label", reason_text(c, r),
		    "n", (json_int_t)n));
	}
	crm_ctx_localise_dates(c, history, "created_at");
	json_object_set_new(c->view, "campaign", campaign);
	json_object_set_new(c->view, "templates", templates);
	json_object_set_new(c->view, "audience", json_pack("{s:I,s:I,s:o}", "will_get", (json_int_t)will,
	    "skipped", (json_int_t)skip, "reasons", skipped));
	json_object_set_new(c->view, "sends", history);
	if (json_array_size(open) > 0)
		json_object_set(c->view, "open_send_id", json_object_get(json_array_get(open, 0), "id"));
	json_object_set_new(c->view, "can_start", json_boolean(json_array_size(open) == 0 && will > 0 &&
	    strcmp(json_string_value(json_object_get(campaign, "type")), "email") == 0));
	marketing_nav(c, "campaigns");
	return 200;
}

int
marketing_send_form(struct crm_ctx *c)
{
	json_t *campaign;
	int status;

	if ((campaign = marketing_load(c, STMT_SEND_CAMPAIGN, crm_ctx_id(c, "id"), 1, &status)) == NULL)
		return status;
	return form_page(c, campaign, 0);
}

struct start {
	struct crm_ctx *c;
	long long campaign_id, template_id, send_id, total, skipped, rate;
	int open;
};

static enum crm_err
start_tx(struct crm_db *db, void *arg)
{
	struct start *s = arg;
	struct crm_db_bind b[4];
	json_t *row = NULL;
	uint64_t id = 0, n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], s->campaign_id);
	if ((e = crm_db_row(db, STMT_SEND_OPEN, b, 1, &row)) == CRM_OK) {
		s->open = 1;
		return CRM_ECONFLICT;
	}
	if (e != CRM_ENOTFOUND)
		return e;
	crm_db_bind_i64(&b[0], s->campaign_id);
	crm_db_bind_i64(&b[1], s->template_id);
	crm_db_bind_i64(&b[2], s->rate);
	crm_db_bind_i64(&b[3], s->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_SEND_CREATE, b, 4, NULL, &id)) != CRM_OK)
		return e;
	s->send_id = (long long)id;
	crm_db_bind_i64(&b[0], s->send_id);
	crm_db_bind_i64(&b[1], s->campaign_id);
	if ((e = crm_db_exec(db, STMT_SEND_FILL, b, 2, &n, NULL)) != CRM_OK)
		return e;
	s->total = (long long)n;
	crm_db_bind_i64(&b[0], s->send_id);
	if ((e = crm_db_row(db, STMT_SEND_COUNT_SKIPPED, b, 1, &row)) != CRM_OK)
		return e;
	s->skipped = json_integer_value(json_object_get(row, "n"));
	crm_db_bind_i64(&b[0], s->total);
	crm_db_bind_i64(&b[1], s->skipped);
	crm_db_bind_i64(&b[2], s->send_id);
	if ((e = crm_db_exec(db, STMT_SEND_TOTALS, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(s->c, "send_start", "campaign", s->campaign_id, NULL, json_pack("{s:I,s:I,s:I,s:I,s:I}",
	    "send_id", (json_int_t)s->send_id, "template_id", (json_int_t)s->template_id, "total", (json_int_t)s->total,
	    "skipped", (json_int_t)s->skipped, "rate_per_minute", (json_int_t)s->rate));
}

int
marketing_send_start(struct crm_ctx *c)
{
	struct start s;
	struct crm_db_bind b[6];
	json_t *campaign, *tpl = NULL;
	const char *v = crm_ctx_form_str(c, "template_id");
	int status;
	enum crm_err e;

	memset(&s, 0, sizeof(s));
	s.c = c;
	s.campaign_id = crm_ctx_id(c, "id");
	if ((campaign = marketing_load(c, STMT_SEND_CAMPAIGN, s.campaign_id, 1, &status)) == NULL)
		return status;
	if (crm_valid_id(v, &s.template_id)) {
		crm_db_bind_i64(&b[0], s.template_id);
		marketing_bind_scope(c, b + 1);
		if ((e = crm_db_row(c->db, STMT_TPL_GET, b, 6, &tpl)) != CRM_OK && e != CRM_ENOTFOUND)
			return 500;
	}
	if (tpl == NULL)
		crm_ctx_field_error(c, "template_id", N_("Choose a template from the list."));
	if (strcmp(json_string_value(json_object_get(campaign, "type")), "email") != 0)
		crm_ctx_field_error(c, "template_id", N_("Only an e-mail campaign can be sent."));
	if (crm_ctx_has_errors(c)) {
		status = form_page(c, campaign, s.template_id);
		return status == 200 ? crm_ctx_status(c, 422) : status;
	}
	s.rate = atol(crm_setting(c->db, c->arena, "marketing_rate_per_minute", "600"));
	if (s.rate < 1)
		s.rate = 600;
	if ((e = crm_db_tx(c->db, start_tx, &s)) == CRM_ECONFLICT && s.open) {
		crm_ctx_field_error(c, "template_id", N_("This campaign is being sent already: pause or cancel that send first."));
		status = form_page(c, campaign, s.template_id);
		return status == 200 ? crm_ctx_status(c, 409) : status;
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/sends/%lld?done=send_started", s.send_id));
}

static int
progress_page(struct crm_ctx *c, json_t *send)
{
	struct crm_db_bind b[1];
	json_t *failures = NULL;
	const char *status = json_string_value(json_object_get(send, "status"));
	long long total = json_integer_value(json_object_get(send, "total")),
	    done = json_integer_value(json_object_get(send, "sent")) + json_integer_value(json_object_get(send, "failed")) +
	    json_integer_value(json_object_get(send, "skipped"));

	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(send, "id")));
	if (crm_db_rows(c->db, STMT_SEND_FAILURES, b, 1, &failures) != CRM_OK)
		return 500;
	json_object_set_new(send, "done_count", json_integer(done));
	json_object_set_new(send, "left", json_integer(total - done));
	json_object_set_new(send, "percent", json_integer(total > 0 ? done * 100 / total : 100));
	json_object_set_new(send, crm_arena_printf(c->arena, "is_%s", status), json_true());
	json_object_set_new(send, "can_pause", json_boolean(strcmp(status, "queued") == 0 || strcmp(status, "sending") == 0));
	json_object_set_new(send, "can_resume", json_boolean(strcmp(status, "paused") == 0));
	json_object_set_new(send, "can_cancel", json_boolean(strcmp(status, "queued") == 0 ||
	    strcmp(status, "sending") == 0 || strcmp(status, "paused") == 0));
	json_object_set_new(send, "created_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(send, "created_at")), 1)));
	json_object_set_new(send, "started_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(send, "started_at")), 1)));
	json_object_set_new(send, "finished_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(send, "finished_at")), 1)));
	json_object_set_new(c->view, "send", send);
	json_object_set_new(c->view, "failures", failures);
	marketing_nav(c, "campaigns");
	marketing_flash(c);
	return 200;
}

int
marketing_send_show(struct crm_ctx *c)
{
	json_t *send;
	int status;

	if ((send = marketing_load(c, STMT_SEND_GET, crm_ctx_id(c, "id"), 1, &status)) == NULL)
		return status;
	return progress_page(c, send);
}

struct control {
	struct crm_ctx *c;
	json_t *send;
	size_t stmt;
	const char *action;
	int changed;
};

static enum crm_err
control_tx(struct crm_db *db, void *arg)
{
	struct control *k = arg;
	struct crm_db_bind b[2];
	uint64_t n = 0;
	enum crm_err e;
	long long id = json_integer_value(json_object_get(k->send, "id"));

	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_exec(db, k->stmt, b, 1, &n, NULL)) != CRM_OK || n == 0)
		return e;
	k->changed = 1;
	/* A cancelled send's queued messages will never go: say so on each. */
	if (k->stmt == STMT_SEND_CANCEL) {
		if ((e = crm_db_exec(db, STMT_SEND_CANCEL_QUEUED, b, 1, &n, NULL)) != CRM_OK)
			return e;
		crm_db_bind_i64(&b[0], (long long)n);
		crm_db_bind_i64(&b[1], id);
		if ((e = crm_db_exec(db, STMT_SEND_CANCEL_COUNT, b, 2, NULL, NULL)) != CRM_OK)
			return e;
	}
	return crm_ctx_audit(k->c, k->action, "campaign_send", id, json_pack("{s:O}", "status",
	    json_object_get(k->send, "status")), json_pack("{s:I}", "campaign_id",
	    (json_int_t)json_integer_value(json_object_get(k->send, "campaign_id"))));
}

/* Pause, resume or cancel: the runner reads the send's status before each
 * message, so the one in flight finishes and no other starts. */
static int
control(struct crm_ctx *c, size_t stmt, const char *action, const char *done)
{
	struct control k = { c, NULL, stmt, action, 0 };
	int status;

	if ((k.send = marketing_load(c, STMT_SEND_GET, crm_ctx_id(c, "id"), 1, &status)) == NULL)
		return status;
	if (crm_db_tx(c->db, control_tx, &k) != CRM_OK)
		return 500;
	if (!k.changed) {
		crm_ctx_field_error(c, "status", N_("The send is not in a state that allows this."));
		status = progress_page(c, k.send);
		return status == 200 ? crm_ctx_status(c, 409) : status;
	}
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/sends/%lld?done=%s",
	    (long long)json_integer_value(json_object_get(k.send, "id")), done));
}

int
marketing_send_pause(struct crm_ctx *c)
{
	return control(c, STMT_SEND_PAUSE, "send_pause", "send_paused");
}

int
marketing_send_resume(struct crm_ctx *c)
{
	return control(c, STMT_SEND_RESUME, "send_resume", "send_resumed");
}

int
marketing_send_cancel(struct crm_ctx *c)
{
	return control(c, STMT_SEND_CANCEL, "send_cancel", "send_cancelled");
}
