/* What the customer hears, by e-mail through the queue (mail.c): an
 * agent's public reply with the status link, and the survey link when the
 * ticket is resolved. Both go in the transaction of what causes them, so
 * a reply is never saved without its mail or mailed without being saved.
 * A ticket without an address (a walk-in with no contact) sends nothing. */
#include <string.h>

#include "crm_valid.h"
#include "extern.h"

/* The address, subject and links of a ticket. */
static json_t *
ticket_of(struct crm_db *db, long long id)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], id);
	if (crm_db_row(db, STMT_NOTIFY_TICKET, b, 1, &row) != CRM_OK)
		return NULL;
	if (!crm_valid_email(json_string_value(json_object_get(row, "email"))))
		return NULL;
	return row;
}

static const char *
link_of(struct crm_ctx *c, const char *path, const char *token)
{
	return crm_public_url(c->db, c->arena, crm_arena_printf(c->arena, "%s%s", path, token));
}

enum crm_err
service_notify_reply(struct crm_ctx *c, struct crm_db *db, long long ticket_id, const char *reply)
{
	json_t *t = ticket_of(db, ticket_id);
	const char *token, *body;

	if (t == NULL)
		return CRM_OK;
	token = json_string_value(json_object_get(t, "public_token"));
	body = token ? crm_arena_printf(c->arena, "%s\n\n-- \n%s\n%s\n", reply,
	    crm_ctx_text(c, N_("Follow your request and reply here:")), link_of(c, "/service/t/", token)) :
	    crm_arena_printf(c->arena, "%s\n", reply);
	return service_mail_queue(db, json_string_value(json_object_get(t, "email")),
	    crm_arena_printf(c->arena, "Re: [#%lld] %s", ticket_id, json_string_value(json_object_get(t, "subject"))),
	    body, ticket_id);
}

enum crm_err
service_notify_survey(struct crm_ctx *c, struct crm_db *db, long long ticket_id)
{
	json_t *t = ticket_of(db, ticket_id);
	const char *token;

	if (t == NULL || (token = json_string_value(json_object_get(t, "csat_token"))) == NULL)
		return CRM_OK;
	return service_mail_queue(db, json_string_value(json_object_get(t, "email")),
	    crm_arena_printf(c->arena, "[#%lld] %s", ticket_id, crm_ctx_text(c, N_("How did we do?"))),
	    crm_arena_printf(c->arena, "%s\n\n%s\n", crm_ctx_text(c,
	    N_("Your request is resolved. One question, one minute: how did we do?")),
	    link_of(c, "/service/s/", token)), ticket_id);
}
