/* Outgoing mail, the web side: helpers queue a message in their own
 * transaction (an agent's public reply, a survey), and an admin watches
 * the queue, sends a test message and puts a failed message back. The
 * sending is crm-service jobs' (mail_jobs.c), so a slow or absent relay
 * never holds up a request. */
#include <string.h>

#include "crm_audit.h"
#include "crm_mail.h"
#include "crm_valid.h"
#include "extern.h"

enum crm_err
service_mail_queue(struct crm_db *db, const char *to, const char *subject, const char *body,
    long long ticket_id)
{
	struct crm_db_bind b[4];

	/* A line break in the subject would start a header of its own. */
	if (!crm_valid_email(to) || !crm_mail_header_ok(subject) || strlen(subject) > 300 || body == NULL)
		return CRM_EINVAL;
	crm_db_bind_str(&b[0], to, (size_t)-1);
	crm_db_bind_str(&b[1], subject, (size_t)-1);
	crm_db_bind_str(&b[2], body, (size_t)-1);
	if (ticket_id > 0)
		crm_db_bind_i64(&b[3], ticket_id);
	else
		crm_db_bind_null(&b[3]);
	return crm_db_exec(db, STMT_MAIL_QUEUE, b, 4, NULL, NULL);
}

static int
page(struct crm_ctx *c, const char *to, const char *subject, const char *body)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL, *counts = NULL, *row, *by = json_object();
	const char *after = crm_ctx_query(c, "after_id"), *relay;
	long long after_id = 0;
	size_t i;

	if (after != NULL && !crm_valid_id(after, &after_id))
		return 400;
	crm_db_bind_i64(&b[0], after_id > 0 ? after_id : (1LL << 62));
	if (crm_db_rows(c->db, STMT_MAIL_LIST, b, 1, &rows) != CRM_OK ||
	    crm_db_rows(c->db, STMT_MAIL_COUNTS, NULL, 0, &counts) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		json_object_set_new(c->view, "next_url", json_string(crm_arena_printf(c->arena,
		    "/service/mail?after_id=%lld", (long long)json_integer_value(json_object_get(json_array_get(rows, 49),
		    "id")))));
		json_array_remove(rows, 50);
	}
	json_object_set_new(by, "queued", json_integer(0));
	json_object_set_new(by, "sending", json_integer(0));
	json_object_set_new(by, "failed", json_integer(0));
	json_object_set_new(by, "sent", json_integer(0));
	json_array_foreach(counts, i, row)
		json_object_set(by, json_string_value(json_object_get(row, "status")), json_object_get(row, "n"));
	json_decref(counts);
	json_array_foreach(rows, i, row)
		json_object_set_new(row, crm_arena_printf(c->arena, "is_%s",
		    json_string_value(json_object_get(row, "status"))), json_true());
	relay = crm_setting(c->db, c->arena, "smtp_relay", "");
	json_object_set_new(c->view, "mail", rows);
	json_object_set_new(c->view, "counts", by);
	json_object_set_new(c->view, "smtp_relay", json_string(relay));
	json_object_set_new(c->view, "no_relay", json_boolean(*relay == '\0'));
	json_object_set_new(c->view, "bad_relay", json_boolean(*relay != '\0' && !crm_mail_relay_ok(relay)));
	json_object_set_new(c->view, "mail_from", json_string(crm_setting(c->db, c->arena, "mail_from", "")));
	json_object_set_new(c->view, "form", json_pack("{s:s,s:s,s:s}", "to", to, "subject", subject,
	    "body", body));
	service_nav(c, "mail");
	service_flash(c);
	return 200;
}

int
service_mail(struct crm_ctx *c)
{
	return page(c, "", "", "");
}

struct test {
	struct crm_ctx *c;
	const char *to, *subject, *body;
};

static enum crm_err
test_tx(struct crm_db *db, void *arg)
{
	struct test *t = arg;
	enum crm_err e;

	if ((e = service_mail_queue(db, t->to, t->subject, t->body, 0)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, "create", "mail_test", 0, NULL, json_pack("{s:s,s:s}", "to", t->to,
	    "subject", t->subject));
}

/* A test message: what an admin sends after setting the relay. */
int
service_mail_test(struct crm_ctx *c)
{
	struct test t = { c, crm_ctx_form_str(c, "to"), crm_ctx_form_str(c, "subject"), crm_ctx_form_str(c, "body") };
	int st;

	if (!crm_valid_email(t.to))
		crm_ctx_field_error(c, "to", N_("Enter an e-mail address."));
	if (!crm_valid_text(t.subject, 1, 300, 0) || !crm_mail_header_ok(t.subject))
		crm_ctx_field_error(c, "subject", N_("Enter a subject of up to 300 characters on one line."));
	if (!crm_valid_text(t.body, 1, 20000, 1))
		crm_ctx_field_error(c, "body", N_("Enter a message of up to 20000 characters."));
	if (crm_ctx_has_errors(c) || crm_db_tx(c->db, test_tx, &t) == CRM_EINVAL) {
		if (!crm_ctx_has_errors(c))
			crm_ctx_field_error(c, "to", N_("Enter an e-mail address."));
		st = page(c, t.to, t.subject, t.body);
		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	return crm_ctx_redirect(c, 303, "/service/mail?done=mail_queued");
}

struct retry {
	struct crm_ctx *c;
	long long id;
	json_t *before;
	int changed;
};

static enum crm_err
retry_tx(struct crm_db *db, void *arg)
{
	struct retry *r = arg;
	struct crm_db_bind b[1];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], r->id);
	if ((e = crm_db_exec(db, STMT_MAIL_RETRY, b, 1, &n, NULL)) != CRM_OK || n == 0)
		return e;
	r->changed = 1;
	return crm_ctx_audit(r->c, "retry", "mail_queue", r->id, json_pack("{s:O,s:O}", "status",
	    json_object_get(r->before, "status"), "attempts", json_object_get(r->before, "attempts")),
	    json_pack("{s:s,s:i}", "status", "queued", "attempts", 0));
}

int
service_mail_retry(struct crm_ctx *c)
{
	struct retry r = { c, crm_ctx_id(c, "id"), NULL, 0 };
	int status;

	if ((r.before = service_load(c, STMT_MAIL_GET, r.id, 0, &status)) == NULL)
		return status;
	if (crm_db_tx(c->db, retry_tx, &r) != CRM_OK)
		return 500;
	if (!r.changed) {
		/* Only a failed message goes back: the others are on their way. */
		crm_ctx_field_error(c, "retry", N_("Only a failed message can be sent again."));
		status = page(c, "", "", "");
		return status == 200 ? crm_ctx_status(c, 409) : status;
	}
	return crm_ctx_redirect(c, 303, "/service/mail?done=mail_retry");
}
