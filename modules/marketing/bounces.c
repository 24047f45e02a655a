/* Bounces, recorded by staff from the relay's reports: by the address, or
 * by the message's token (the ?m= of its links, the end of its
 * unsubscribe link). Every contact with the address gets email_bounced_at,
 * so later sends skip it (sends.c's skip reason 'bounced'); the latest
 * message to it is marked bounced, and its campaign member too. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_phone.h"
#include "crm_valid.h"
#include "extern.h"

static int
page(struct crm_ctx *c, const char *typed)
{
	json_object_set_new(c->view, "form", json_pack("{s:s}", "what", typed));
	marketing_nav(c, "bounces");
	marketing_flash(c);
	return 200;
}

int
marketing_bounces(struct crm_ctx *c)
{
	return page(c, "");
}

struct bounce {
	struct crm_ctx *c;
	const char *norm;
	json_t *m;              /* the latest message to the address, or NULL */
	uint64_t contacts;
};

static enum crm_err
bounce_tx(struct crm_db *db, void *arg)
{
	struct bounce *k = arg;
	struct crm_db_bind b[2];
	long long message_id = 0;
	enum crm_err e;

	if (*k->norm != '\0') {
		crm_db_bind_str(&b[0], k->norm, (size_t)-1);
		if ((e = crm_db_exec(db, STMT_BOUNCE_CONTACTS, b, 1, &k->contacts, NULL)) != CRM_OK)
			return e;
	}
	/* An address no contact has (or all marked already): nothing written. */
	if (k->m == NULL && k->contacts == 0)
		return CRM_ENOTFOUND;
	if (k->m != NULL) {
		message_id = json_integer_value(json_object_get(k->m, "id"));
		crm_db_bind_i64(&b[0], json_integer_value(json_object_get(k->m, "contact_id")));
		if ((e = crm_db_exec(db, STMT_BOUNCE_CONTACT, b, 1, NULL, NULL)) != CRM_OK)
			return e;
		crm_db_bind_i64(&b[0], message_id);
		if ((e = crm_db_exec(db, STMT_BOUNCE_MESSAGE, b, 1, NULL, NULL)) != CRM_OK)
			return e;
		crm_db_bind_i64(&b[0], json_integer_value(json_object_get(k->m, "campaign_id")));
		crm_db_bind_i64(&b[1], json_integer_value(json_object_get(k->m, "contact_id")));
		if ((e = crm_db_exec(db, STMT_BOUNCE_MEMBER, b, 2, NULL, NULL)) != CRM_OK)
			return e;
	}
	return crm_ctx_audit(k->c, "bounce", "email_address", message_id, NULL, json_pack("{s:s,s:I}",
	    "address", k->norm, "message_id", (json_int_t)message_id));
}

int
marketing_bounce_record(struct crm_ctx *c)
{
	struct bounce k = { c, "", NULL, 0 };
	const char *what = crm_ctx_form_str(c, "what");
	struct crm_db_bind b[1];
	char *norm = crm_arena_alloc(c->arena, 256);
	enum crm_err e;
	int st;

	if (strchr(what, '@') != NULL) {
		if (!crm_valid_email(what) || !crm_email_normalise(what, norm, 256))
			crm_ctx_field_error(c, "what", N_("Enter an e-mail address or a message's token."));
		else {
			k.norm = norm;
			crm_db_bind_str(&b[0], norm, (size_t)-1);
			if ((e = crm_db_row(c->db, STMT_BOUNCE_BY_ADDRESS, b, 1, &k.m)) != CRM_OK && e != CRM_ENOTFOUND)
				return 500;
		}
	} else if (strlen(what) == CRM_AUTH_SECRET_LEN) {
		crm_db_bind_str(&b[0], what, (size_t)-1);
		if ((e = crm_db_row(c->db, STMT_BOUNCE_BY_TOKEN, b, 1, &k.m)) != CRM_OK && e != CRM_ENOTFOUND)
			return 500;
		if (k.m == NULL)
			crm_ctx_field_error(c, "what", N_("No message has this token."));
		else
			k.norm = json_string_value(json_object_get(k.m, "email_norm"));
	} else
		crm_ctx_field_error(c, "what", N_("Enter an e-mail address or a message's token."));
	if (crm_ctx_has_errors(c)) {
		st = page(c, what);

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	if ((e = crm_db_tx(c->db, bounce_tx, &k)) == CRM_ENOTFOUND) {
		crm_ctx_field_error(c, "what", N_("No contact has this address, or it is marked bounced already."));
		st = page(c, what);
		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/marketing/bounces?done=bounce_recorded");
}
