/* The signed-in user's own account: name, language and time zone, their
 * password, and personal API tokens (shown once, stored hashed). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_password.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const languages[] = { "en", "zh_CN", NULL };

static json_t *
load_account(struct crm_ctx *c, enum crm_err *e)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], c->user->user_id);
	*e = crm_db_row(c->db, STMT_ACCOUNT_GET, b, 1, &row);
	return row;
}

/* The page: profile, tokens; what the forms need. */
static int
account_view(struct crm_ctx *c, json_t *me)
{
	struct crm_db_bind b[1];
	json_t *tokens = NULL;
	const char *lang;

	crm_db_bind_i64(&b[0], c->user->user_id);
	if (crm_db_rows(c->db, STMT_TOKENS_MINE, b, 1, &tokens) != CRM_OK)
		return 500;
	json_object_del(me, "password_hash");
	lang = json_string_value(json_object_get(me, "language"));
	json_object_set_new(c->view, "me", me);
	json_object_set_new(c->view, "tokens", tokens);
	json_object_set_new(c->view, "languages", json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b}]",
	    "code", "en", "name", "English", "selected", lang && strcmp(lang, "en") == 0,
	    "code", "zh_CN", "name", "简体中文", "selected", lang && strcmp(lang, "zh_CN") == 0));
	json_object_set_new(c->view, "title", json_string("Your account"));
	c->template = "admin/account";
	return 200;
}

int
admin_account(struct crm_ctx *c)
{
	enum crm_err e;
	json_t *me = load_account(c, &e);

	if (e != CRM_OK)
		return 500;
	admin_done_message(c);
	return account_view(c, me);
}

struct account_update {
	struct crm_ctx *c;
	const char *name, *language, *time_zone;
	json_t *before;
};

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct account_update *u = arg;
	struct crm_db_bind b[4];
	enum crm_err e;

	crm_db_bind_str(&b[0], u->name, (size_t)-1);
	crm_db_bind_str(&b[1], u->language, (size_t)-1);
	crm_db_bind_str(&b[2], u->time_zone, (size_t)-1);
	crm_db_bind_i64(&b[3], u->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_ACCOUNT_UPDATE, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(u->c, "update", "user", u->c->user->user_id, u->before,
	    json_pack("{s:s,s:s,s:s}", "name", u->name, "language", u->language,
	    "time_zone", u->time_zone));
}

int
admin_account_update(struct crm_ctx *c)
{
	struct account_update u = { c, crm_ctx_form(c, "name"), crm_ctx_form(c, "language"),
	    crm_ctx_form(c, "time_zone"), NULL };
	enum crm_err e;

	u.before = load_account(c, &e);
	if (e != CRM_OK)
		return 500;
	if (!crm_valid_text(u.name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (!crm_valid_oneof(u.language, languages))
		crm_ctx_field_error(c, "language", N_("Choose a language from the list."));
	if (!crm_valid_time_zone(u.time_zone))
		crm_ctx_field_error(c, "time_zone", N_("Enter a time zone such as Europe/Berlin or Asia/Shanghai."));
	if (crm_ctx_has_errors(c)) {
		int st = account_view(c, json_deep_copy(u.before));

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	if (crm_db_tx(c->db, update_tx, &u) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/account?done=saved");
}

struct password_change {
	struct crm_ctx *c;
	char hash[128];
};

static enum crm_err
password_tx(struct crm_db *db, void *arg)
{
	struct password_change *p = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_str(&b[0], p->hash, (size_t)-1);
	crm_db_bind_i64(&b[1], p->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_USER_SET_PASSWORD, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], p->c->user->user_id);
	crm_db_bind_i64(&b[1], p->c->user->session_id);
	if ((e = crm_db_exec(db, STMT_SESSIONS_END_OTHERS, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(p->c, "password.change", "user", p->c->user->user_id, NULL, NULL);
}

int
admin_account_password(struct crm_ctx *c)
{
	const char *current = crm_ctx_form(c, "current_password");
	const char *next = crm_ctx_form(c, "new_password");
	const char *again = crm_ctx_form(c, "new_password_again");
	struct password_change p = { c, "" };
	const char *problem;
	enum crm_err e;
	json_t *me = load_account(c, &e);

	if (e != CRM_OK)
		return 500;
	if (current == NULL || !crm_password_verify(json_string_value(
	    json_object_get(me, "password_hash")), current))
		crm_ctx_field_error(c, "current_password", N_("That is not your current password."));
	else if (next == NULL || (problem = crm_password_problem(next, c->user->email,
	    c->user->name)) != NULL)
		crm_ctx_field_error(c, "new_password", next ? problem : N_("Enter a new password."));
	else if (again == NULL || strcmp(next, again) != 0)
		crm_ctx_field_error(c, "new_password_again", N_("The two new passwords differ."));
	if (crm_ctx_has_errors(c)) {
		int st = account_view(c, me);

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	if (crm_password_hash(next, p.hash) != CRM_OK || crm_db_tx(c->db, password_tx, &p) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/account?done=password");
}

struct token_new {
	struct crm_ctx *c;
	const char *name;
	long long days;
	char secret[CRM_AUTH_SECRET_LEN + 1];
	uint64_t id;
};

static enum crm_err
token_tx(struct crm_db *db, void *arg)
{
	struct token_new *t = arg;
	unsigned char hash[32];
	struct crm_db_bind b[5];
	enum crm_err e;

	crm_auth_hash(t->secret, CRM_AUTH_SECRET_LEN, hash);
	crm_db_bind_i64(&b[0], t->c->user->user_id);
	crm_db_bind_str(&b[1], t->name, (size_t)-1);
	crm_db_bind_blob(&b[2], hash, sizeof(hash));
	crm_db_bind_i64(&b[3], t->days);
	crm_db_bind_i64(&b[4], t->days);
	if ((e = crm_db_exec(db, STMT_TOKEN_CREATE, b, 5, NULL, &t->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, "create", "api_token", (long long)t->id, NULL,
	    json_pack("{s:s,s:I}", "name", t->name, "expires_in_days", (json_int_t)t->days));
}

int
admin_token_create(struct crm_ctx *c)
{
	static const char *const periods[] = { "0", "7", "30", "90", "365", NULL };
	struct token_new t;
	const char *days = crm_ctx_form(c, "days");
	enum crm_err e;
	json_t *me;

	memset(&t, 0, sizeof(t));
	t.c = c;
	t.name = crm_ctx_form(c, "name");
	if (!crm_valid_text(t.name, 1, 100, 0))
		crm_ctx_field_error(c, "token_name", N_("Name the token after what uses it, in up to 100 characters."));
	if (!crm_valid_oneof(days, periods))
		crm_ctx_field_error(c, "days", N_("Choose how long the token lasts."));
	me = load_account(c, &e);
	if (e != CRM_OK)
		return 500;
	if (crm_ctx_has_errors(c)) {
		int st = account_view(c, me);

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	t.days = atoll(days);
	crm_auth_new_secret(t.secret);
	if (crm_db_tx(c->db, token_tx, &t) != CRM_OK)
		return 500;
	/* Shown once, here: the database keeps only its hash. */
	json_object_set_new(c->view, "new_token", json_string(crm_arena_printf(c->arena,
	    "crm_%s", t.secret)));
	sodium_memzero(t.secret, sizeof(t.secret));
	return account_view(c, me) == 200 ? 201 : 500;
}

static enum crm_err
revoke_tx(struct crm_db *db, void *arg)
{
	struct crm_ctx *c = ((void **)arg)[0];
	long long id = *(long long *)((void **)arg)[1];
	struct crm_db_bind b[2];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], c->user->user_id);
	if ((e = crm_db_exec(db, STMT_TOKEN_REVOKE, b, 2, &n, NULL)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ENOTFOUND;
	return crm_ctx_audit(c, "revoke", "api_token", id, NULL, NULL);
}

int
admin_token_revoke(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	void *args[2] = { c, &id };
	enum crm_err e;

	if (id == 0)
		return 404;
	/* Another user's token, or one already revoked, is simply not found. */
	e = crm_db_tx(c->db, revoke_tx, args);
	if (e == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/account?done=revoked");
}
