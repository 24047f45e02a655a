/* Unsubscribing without signing in: /u/<message token>, the link in every
 * campaign e-mail and its List-Unsubscribe header. GET shows a page with
 * a button (a mail scanner that follows links unsubscribes no one); POST
 * unsubscribes, from that button or from a mail program's one-click
 * (RFC 8058: "List-Unsubscribe=One-Click" posted from anywhere, hence
 * CRM_PERM_CROSS_SITE, with the 256-bit token as the only key). It
 * withdraws the contact's consent to marketing e-mail (audited, as every
 * consent change is) and marks the campaign's member unsubscribed; doing
 * it twice changes nothing more. A made-up token is a 404. */
#include <string.h>

#include "crm_auth.h"
#include "extern.h"

static json_t *
load(struct crm_ctx *c)
{
	const char *token = crm_ctx_path_param(c, "token");
	struct crm_db_bind b[1];
	json_t *row = NULL;

	if (!crm_auth_token_ok(token, CRM_AUTH_SECRET_LEN))
		return NULL;
	crm_db_bind_str(&b[0], token, (size_t)-1);
	if (crm_db_row(c->db, STMT_UNSUB_BY_TOKEN, b, 1, &row) != CRM_OK)
		return NULL;
	return row;
}

/* What the page may show a stranger holding the link: the address the
 * mail went to, never the contact's other data. */
static int
page(struct crm_ctx *c, json_t *m, int done)
{
	json_object_set_new(c->view, "unsubscribe", json_pack("{s:O,s:O,s:b,s:s}", "to_addr",
	    json_object_get(m, "to_addr"), "campaign", json_object_get(m, "campaign"),
	    "done", done || (json_is_true(json_object_get(m, "unsubscribed")) &&
	    !json_is_true(json_object_get(m, "consent_email"))),
	    "path", crm_arena_printf(c->arena, "/u/%s", crm_ctx_path_param(c, "token"))));
	return 200;
}

int
marketing_unsubscribe_page(struct crm_ctx *c)
{
	json_t *m = load(c);

	if (m == NULL)
		return 404;
	return page(c, m, 0);
}

struct unsub {
	struct crm_ctx *c;
	json_t *m;
};

static enum crm_err
unsub_tx(struct crm_db *db, void *arg)
{
	struct unsub *u = arg;
	struct crm_db_bind b[2];
	long long contact = json_integer_value(json_object_get(u->m, "contact_id"));
	enum crm_err e;

	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(u->m, "campaign_id")));
	crm_db_bind_i64(&b[1], contact);
	if ((e = crm_db_exec(db, STMT_UNSUB_MEMBER, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	if (!json_is_true(json_object_get(u->m, "consent_email")) && json_is_true(json_object_get(u->m, "unsubscribed")))
		return CRM_OK;
	return marketing_consent_set(u->c, db, contact, "email", 0, "unsubscribe_link",
	    crm_arena_printf(u->c->arena, "campaign %lld, message %lld",
	    (long long)json_integer_value(json_object_get(u->m, "campaign_id")),
	    (long long)json_integer_value(json_object_get(u->m, "id"))));
}

int
marketing_unsubscribe(struct crm_ctx *c)
{
	struct unsub u = { c, load(c) };

	if (u.m == NULL)
		return 404;
	/* Already withdrawn and marked: nothing to write again. */
	if (json_is_true(json_object_get(u.m, "consent_email")) || !json_is_true(json_object_get(u.m, "unsubscribed")))
		if (crm_db_tx(c->db, unsub_tx, &u) != CRM_OK)
			return 500;
	return page(c, u.m, 1);
}
