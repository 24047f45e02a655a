/* What the marketing handlers share: scope binds, navigation, the "done"
 * flash, loading one record, public addresses, and the two writes every
 * area makes: consent records and tracked links. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "extern.h"

void
marketing_bind_scope(struct crm_ctx *c, struct crm_db_bind *b)
{
	crm_auth_bind_scope(c->user, b);
}

void
marketing_nav(struct crm_ctx *c, const char *current)
{
	crm_ctx_nav_here(c, "marketing");
	json_object_set_new(c->view, "can_write", json_boolean(crm_auth_can(c->user, "marketing.write")));
	json_object_set_new(c->view, "can_settings", json_boolean(crm_auth_can(c->user, "admin.settings")));
	json_object_set_new(c->view, crm_arena_printf(c->arena, "sub_%s", current), json_true());
}

static const struct crm_done done_messages[] = {
	{ "created", N_("The record was created.") },
	{ "saved", N_("Your changes were saved.") },
	{ "deleted", N_("The record was deleted.") },

	/* segments */
	{ "frozen", N_("The segment's members were copied into this new list.") },
	{ "targeted", N_("The segment's members were added to the campaign.") },
	{ "member_added", N_("The contact was added to the list.") },
	{ "member_removed", N_("The contact was taken off the list.") },

	/* campaigns */
	{ "status", N_("The campaign's status was changed.") },
	{ "target_added", N_("The target was added.") },
	{ "target_removed", N_("The target was removed.") },
	{ "filled", N_("The targets' contacts were added as members.") },
	{ "response", N_("The response was recorded.") },
	{ "attribution_requested", N_("The attribution is being worked out again in the background.") },

	/* email */
	{ "test_queued", N_("The test message is on its way to your address.") },
	{ "send_started", N_("The send has started: the messages go out in the background.") },
	{ "send_paused", N_("The send is paused.") },
	{ "send_resumed", N_("The send goes on.") },
	{ "send_cancelled", N_("The send is cancelled: no more messages go out.") },
	{ "bounce_recorded", N_("The bounce is recorded: later sends skip the address.") },

	/* links */
	{ "link-added", N_("The tracked link is ready.") },

	/* consent */
	{ "consent-recorded", N_("The consent was recorded.") },
	{ "contact-erased", N_("The contact's personal data was erased.") },
};

void
marketing_flash(struct crm_ctx *c)
{
	crm_ctx_done_flash(c, done_messages, CRM_NELEM(done_messages));
}

json_t *
marketing_load(struct crm_ctx *c, size_t stmt, long long id, int scoped, int *status)
{
	return crm_ctx_record(c, stmt, id, scoped, status);
}

const char *
marketing_public_url(struct crm_ctx *c, const char *path)
{
	return crm_public_url(c->db, c->arena, path);
}

enum crm_err
marketing_consent_set(struct crm_ctx *c, struct crm_db *db, long long contact_id, const char *purpose,
    int granted, const char *source, const char *note)
{
	struct crm_db_bind b[6];
	size_t flag;
	enum crm_err e;

	if (strcmp(purpose, "email") == 0)
		flag = STMT_CONSENT_FLAG_EMAIL;
	else if (strcmp(purpose, "sms") == 0)
		flag = STMT_CONSENT_FLAG_SMS;
	else if (strcmp(purpose, "phone") == 0)
		flag = STMT_CONSENT_FLAG_PHONE;
	else
		return CRM_EINVAL;
	crm_db_bind_i64(&b[0], contact_id);
	crm_db_bind_str(&b[1], purpose, (size_t)-1);
	crm_db_bind_i64(&b[2], granted != 0);
	crm_db_bind_str(&b[3], source, (size_t)-1);
	crm_db_bind_str(&b[4], note ? note : "", (size_t)-1);
	if (c->user != NULL)
		crm_db_bind_i64(&b[5], c->user->user_id);
	else
		crm_db_bind_null(&b[5]);
	if ((e = crm_db_exec(db, STMT_CONSENT_ADD, b, 6, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], granted != 0);
	crm_db_bind_i64(&b[1], contact_id);
	if ((e = crm_db_exec(db, flag, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(c, granted ? "consent_grant" : "consent_withdraw", "contact", contact_id, NULL,
	    json_pack("{s:s,s:s,s:s}", "purpose", purpose, "source", source, "note", note ? note : ""));
}

enum crm_err
marketing_link_get(struct crm_ctx *c, struct crm_db *db, long long campaign_id, const char *url,
    const char *label, char token[MARKETING_LINK_TOKEN_LEN + 1])
{
	unsigned char hash[32], raw[16];
	struct crm_db_bind b[5];
	json_t *row = NULL;
	enum crm_err e;

	crypto_hash_sha256(hash, (const unsigned char *)url, strlen(url));
	crm_db_bind_i64(&b[0], campaign_id);
	crm_db_bind_blob(&b[1], hash, sizeof(hash));
	if ((e = crm_db_row(db, STMT_LINK_BY_TARGET, b, 2, &row)) == CRM_OK) {
		snprintf(token, MARKETING_LINK_TOKEN_LEN + 1, "%s", json_string_value(json_object_get(row, "token")));
		return CRM_OK;
	}
	if (e != CRM_ENOTFOUND)
		return e;
	/* 128 random bits, base64url without padding: 22 characters. */
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, MARKETING_LINK_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crm_db_bind_i64(&b[0], campaign_id);
	crm_db_bind_str(&b[1], token, (size_t)-1);
	crm_db_bind_str(&b[2], url, (size_t)-1);
	crm_db_bind_blob(&b[3], hash, sizeof(hash));
	crm_db_bind_str(&b[4], label ? label : "", (size_t)-1);
	if ((e = crm_db_exec(db, STMT_LINK_CREATE, b, 5, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(c, "link_create", "campaign", campaign_id, NULL,
	    json_pack("{s:s,s:s}", "token", token, "url", url));
}
