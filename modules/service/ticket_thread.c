/* A ticket's thread: public replies (the first one is the first response
 * and opens a new ticket) and internal notes, each with an optional file
 * (attachments.c keeps it). */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

struct message {
	struct crm_ctx *c;
	long long ticket_id;
	const char *kind, *body;
	struct service_file file;
	uint64_t id;
};

static enum crm_err
message_tx(struct crm_db *db, void *arg)
{
	struct message *m = arg;
	struct crm_db_bind b[7];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], m->ticket_id);
	if ((e = crm_db_row(db, STMT_TICKET_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[1], m->kind, (size_t)-1);
	crm_db_bind_str(&b[2], m->body, (size_t)-1);
	crm_db_bind_i64(&b[3], m->c->user->user_id);
	crm_db_bind_str(&b[4], m->c->user->name ? m->c->user->name : "", (size_t)-1);
	if ((e = crm_db_exec(db, STMT_TICKET_MESSAGE_CREATE, b, 5, NULL, &m->id)) != CRM_OK)
		return e;
	/* A public reply is the first response, and work has started; the
	 * customer gets it by mail. */
	if (strcmp(m->kind, "public") == 0 &&
	    ((e = crm_db_exec(db, STMT_TICKET_REPLIED, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = service_notify_reply(m->c, db, m->ticket_id, m->body)) != CRM_OK))
		return e;
	if ((e = crm_ctx_audit(m->c, strcmp(m->kind, "public") == 0 ? "reply" : "note", "ticket", m->ticket_id, NULL,
	    json_pack("{s:I,s:s}", "message_id", (json_int_t)m->id, "kind", m->kind))) != CRM_OK)
		return e;
	/* The customer sees what came with a reply, never a note's file. */
	return service_file_store(m->c, db, &m->file, m->ticket_id, m->id, strcmp(m->kind, "public") == 0);
}

static int
refused(struct crm_ctx *c, long long id, int status)
{
	int st = service_ticket_page(c, id);

	json_object_set_new(c->view, "reply", json_pack("{s:s,s:s}", "body", crm_ctx_form_str(c, "body"),
	    "kind", crm_ctx_form_str(c, "kind")));
	return st == 200 ? crm_ctx_status(c, status) : st;
}

int
service_ticket_message(struct crm_ctx *c)
{
	static const char *const kinds[] = { "public", "internal", NULL };
	struct message m;
	int status;
	enum crm_err e;

	memset(&m, 0, sizeof(m));
	m.c = c;
	m.ticket_id = crm_ctx_id(c, "id");
	if (service_load(c, STMT_TICKET_GET, m.ticket_id, 1, &status) == NULL)
		return status;
	m.kind = crm_ctx_form_str(c, "kind");
	m.body = crm_ctx_form_str(c, "body");
	if (!crm_valid_oneof(m.kind, kinds))
		crm_ctx_field_error(c, "kind", N_("Choose a reply or an internal note."));
	if (!crm_valid_text(m.body, 1, 20000, 1))
		crm_ctx_field_error(c, "body", N_("Write a message of up to 20000 characters."));
	if ((status = service_file_check(c, &m.file)) == 500)
		return 500;
	if (status != 0 || crm_ctx_has_errors(c))
		return refused(c, m.ticket_id, status ? status : 422);
	if ((e = crm_db_tx(c->db, message_tx, &m)) != CRM_OK)
		return (status = service_file_failed(c, &m.file)) == 507 ? refused(c, m.ticket_id, status) : status;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/tickets/%lld?done=%s#message-%llu",
	    m.ticket_id, strcmp(m.kind, "public") == 0 ? "replied" : "noted", (unsigned long long)m.id));
}
