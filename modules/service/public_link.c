/* The customer's status link (/service/t/<token>, no sign-in): the
 * ticket's subject and status, the staff's public replies and the
 * customer's own messages (never internal notes), each with its files
 * (those of public replies and of the customer's messages, downloaded
 * through the link: /service/t/<token>/files/<id>), and a reply form with
 * an optional file (double-submit form token, as public forms have). A
 * reply to a ticket pending on the customer opens it again. A revoked
 * link, or a made-up one, is a 404, and so are its files.
 * The staff side: a printable repair slip with the link's QR code, and
 * revoking the link or issuing a new one (the old one then opens nothing),
 * each audited. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_qr.h"
#include "crm_valid.h"
#include "extern.h"

const char *
service_public_link(struct crm_ctx *c, const char *token)
{
	return crm_public_url(c->db, c->arena, crm_arena_printf(c->arena, "/service/t/%s", token));
}

static const char *
status_text(struct crm_ctx *c, const char *status)
{
	static const struct crm_done names[] = {
		{ "new", N_("Received") }, { "open", N_("Being worked on") },
		{ "pending", N_("Waiting for your answer") }, { "resolved", N_("Resolved") },
		{ "closed", N_("Closed") },
	};
	size_t i;

	for (i = 0; status && i < CRM_NELEM(names); i++)
		if (strcmp(status, names[i].code) == 0)
			return crm_ctx_text(c, names[i].message);
	return status ? status : "";
}

/* The ticket of the link in the address, or NULL: a 404. */
static json_t *
load(struct crm_ctx *c)
{
	const char *token = crm_ctx_path_param(c, "token");
	struct crm_db_bind b[1];
	json_t *row = NULL;

	if (!crm_auth_token_ok(token, CRM_AUTH_SECRET_LEN))
		return NULL;
	crm_db_bind_str(&b[0], token, (size_t)-1);
	if (crm_db_row(c->db, STMT_PUB_TICKET_BY_TOKEN, b, 1, &row) != CRM_OK)
		return NULL;
	return row;
}

static int
page(struct crm_ctx *c, json_t *t, const char *typed)
{
	struct crm_db_bind b[1];
	json_t *messages = NULL, *files = NULL;
	const char *status = json_string_value(json_object_get(t, "status"));

	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(t, "id")));
	if (crm_db_rows(c->db, STMT_PUB_MESSAGES, b, 1, &messages) != CRM_OK ||
	    crm_db_rows(c->db, STMT_PUB_ATTACHMENTS, b, 1, &files) != CRM_OK)
		return 500;
	service_thread_files(messages, files);
	crm_ctx_localise_dates(c, messages, "created_at");
	/* The customer sees the subject and status, not the ticket's internals. */
	json_object_set_new(c->view, "ticket", json_pack("{s:O,s:O,s:s,s:s,s:s,s:b,s:o}",
	    "id", json_object_get(t, "id"), "subject", json_object_get(t, "subject"),
	    "status", status, "status_text", status_text(c, status),
	    "created_at", crm_ctx_date(c, json_string_value(json_object_get(t, "created_at")), 1),
	    "can_reply", strcmp(status, "closed") != 0, "messages", messages));
	json_decref(files);
	json_object_set_new(c->view, "path", json_string(crm_arena_printf(c->arena, "/service/t/%s",
	    json_string_value(json_object_get(t, "public_token")))));
	json_object_set_new(c->view, "typed_body", json_string(typed ? typed : ""));
	service_flash(c);
	c->template = "service/public_status";
	return 200;
}

int
service_public_status(struct crm_ctx *c)
{
	json_t *t = load(c);

	return t ? page(c, t, NULL) : 404;
}

struct reply {
	struct crm_ctx *c;
	json_t *t;
	const char *body;
	struct service_file file;
	uint64_t reopened;
};

static enum crm_err
reply_tx(struct crm_db *db, void *arg)
{
	struct reply *r = arg;
	long long id = json_integer_value(json_object_get(r->t, "id"));
	struct crm_db_bind b[3];
	uint64_t message_id = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], id);
	crm_db_bind_str(&b[1], r->body, (size_t)-1);
	crm_db_bind_str(&b[2], json_string_value(json_object_get(r->t, "requester_name")), (size_t)-1);
	if ((e = crm_db_exec(db, STMT_PUB_MESSAGE_CREATE, b, 3, NULL, &message_id)) != CRM_OK ||
	    (e = crm_db_exec(db, STMT_PUB_REOPEN, b, 1, &r->reopened, NULL)) != CRM_OK)
		return e;
	if (r->reopened && (e = crm_ticket_sla_resume(r->c->arena, db, id)) != CRM_OK)
		return e;
	if ((e = crm_ctx_audit(r->c, "customer_reply", "ticket", id,
	    json_pack("{s:O}", "status", json_object_get(r->t, "status")),
	    json_pack("{s:s}", "status", r->reopened ? "open" : json_string_value(json_object_get(r->t, "status"))))) != CRM_OK)
		return e;
	return service_file_store(r->c, db, &r->file, id, message_id, 1);
}

int
service_public_reply(struct crm_ctx *c)
{
	struct reply r;
	int st, fst;

	memset(&r, 0, sizeof(r));
	r.c = c;
	if ((r.t = load(c)) == NULL)
		return 404;
	r.body = crm_ctx_form_str(c, "body");
	if (strcmp(json_string_value(json_object_get(r.t, "status")), "closed") == 0) {
		crm_ctx_field_error(c, "body", N_("This request is closed. Please open a new one."));
		st = page(c, r.t, r.body);
		return st == 200 ? crm_ctx_status(c, 409) : st;
	}
	if ((fst = service_file_check(c, &r.file)) == 500)
		return 500;
	if (!crm_valid_text(r.body, 1, 10000, 1))
		crm_ctx_field_error(c, "body", N_("Write your reply in up to 10000 characters."));
	if (crm_ctx_has_errors(c)) {
		st = page(c, r.t, r.body);
		return st == 200 ? crm_ctx_status(c, fst ? fst : 422) : st;
	}
	if (crm_db_tx(c->db, reply_tx, &r) != CRM_OK) {
		if ((fst = service_file_failed(c, &r.file)) != 507)
			return fst;
		st = page(c, r.t, r.body);
		return st == 200 ? crm_ctx_status(c, fst) : st;
	}
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/t/%s?done=replied",
	    json_string_value(json_object_get(r.t, "public_token"))));
}

/* A public file of the link's ticket; any other id is a 404. */
int
service_public_file(struct crm_ctx *c)
{
	json_t *t = load(c), *a = NULL;
	struct crm_db_bind b[2];
	long long id = crm_ctx_id(c, "id");

	if (t == NULL || id <= 0)
		return 404;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], json_integer_value(json_object_get(t, "id")));
	switch (crm_db_row(c->db, STMT_PUB_ATTACHMENT_GET, b, 2, &a)) {
	case CRM_OK:
		return service_file_send(c, a);
	case CRM_ENOTFOUND:
		return 404;
	default:
		return 500;
	}
}

int
service_public_qr(struct crm_ctx *c)
{
	json_t *t = load(c);

	if (t == NULL)
		return 404;
	if (crm_qr_svg(&c->raw, service_public_link(c, json_string_value(json_object_get(t, "public_token"))),
	    CRM_QR_MARGIN, crm_ctx_text(c, N_("QR code of the ticket's status link"))) != CRM_OK)
		return 500;
	c->content_type = "image/svg+xml";
	return 200;
}

int
service_ticket_slip(struct crm_ctx *c)
{
	int status;
	json_t *t = service_load(c, STMT_PUB_TICKET_GET, crm_ctx_id(c, "id"), 1, &status);
	const char *token;
	struct crm_buf qr;

	if (t == NULL)
		return status;
	token = json_string_value(json_object_get(t, "public_token"));
	if (token && !json_is_true(json_object_get(t, "revoked"))) {
		const char *link = service_public_link(c, token);

		crm_buf_init(&qr, c->arena, 4096);
		if (crm_qr_data_uri(&qr, link, crm_ctx_text(c, N_("QR code of the ticket's status link"))) != CRM_OK)
			return 500;
		json_object_set_new(t, "link", json_string(link));
		json_object_set_new(t, "qr", json_string(qr.data));
	}
	/* The secrets stay off the staff's view: the link says it all. */
	json_object_del(t, "public_token");
	json_object_set_new(t, "status_text", json_string(status_text(c,
	    json_string_value(json_object_get(t, "status")))));
	json_object_set_new(t, "created_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(t, "created_at")), 1)));
	json_object_set_new(c->view, "ticket", t);
	json_object_set_new(c->view, "can_write", json_boolean(crm_auth_can(c->user, "service.write")));
	service_flash(c);
	return 200;
}

struct relink {
	struct crm_ctx *c;
	long long id;
	int revoke;
	char token[CRM_AUTH_SECRET_LEN + 1];
};

static enum crm_err
relink_tx(struct crm_db *db, void *arg)
{
	struct relink *r = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	if (r->revoke) {
		crm_db_bind_i64(&b[0], r->id);
		e = crm_db_exec(db, STMT_PUB_LINK_REVOKE, b, 1, NULL, NULL);
	} else {
		crm_auth_new_secret(r->token);
		crm_db_bind_str(&b[0], r->token, (size_t)-1);
		crm_db_bind_i64(&b[1], r->id);
		e = crm_db_exec(db, STMT_PUB_LINK_NEW, b, 2, NULL, NULL);
	}
	if (e != CRM_OK)
		return e;
	return crm_ctx_audit(r->c, r->revoke ? "revoke_link" : "new_link", "ticket", r->id, NULL,
	    json_pack("{s:b}", "public_link", !r->revoke));
}

static int
relink(struct crm_ctx *c, int revoke)
{
	struct relink r;
	int status;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.revoke = revoke;
	r.id = crm_ctx_id(c, "id");
	if (service_load(c, STMT_PUB_TICKET_GET, r.id, 1, &status) == NULL)
		return status;
	if (crm_db_tx(c->db, relink_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/tickets/%lld/slip?done=%s", r.id,
	    revoke ? "link_revoked" : "link_new"));
}

int
service_link_revoke(struct crm_ctx *c)
{
	return relink(c, 1);
}

int
service_link_new(struct crm_ctx *c)
{
	return relink(c, 0);
}
