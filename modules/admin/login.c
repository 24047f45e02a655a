/* Sign-in and sign-out. One generic message for an unknown account and a
 * wrong password; delays that grow with failures; a lock an admin lifts. */
#include <ctype.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_ldap.h"
#include "crm_log.h"
#include "crm_password.h"
#include "extern.h"

#define WRONG N_("Wrong e-mail or password.")
#define LOCKED N_("This account is locked after too many failed sign-ins. An administrator can unlock it.")

const char *
admin_safe_next(const char *next)
{
	size_t i;

	/* Only a path on this site: "/x", never "//host" or "/\host", and
	 * nothing that could end the header line. */
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (i = 0; next[i]; i++)
		if ((unsigned char)next[i] < 0x20 || next[i] == 0x7f)
			return "/";
	return next;
}

static char *
normalise_email(struct crm_ctx *c, const char *in)
{
	size_t n, i;
	char *out;

	while (*in == ' ' || *in == '\t')
		in++;
	n = strlen(in);
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	out = crm_arena_strndup(c->arena, in, n > 254 ? 254 : n);
	for (i = 0; out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

static void
form_view(struct crm_ctx *c, const char *email, const char *error)
{
	json_object_set_new(c->view, "title", json_string("Sign in"));
	json_object_set_new(c->view, "email", json_string(email ? email : ""));
	json_object_set_new(c->view, "next", json_string(admin_safe_next(
	    crm_ctx_form(c, "next") ? crm_ctx_form(c, "next") : crm_ctx_query(c, "next"))));
	if (error)
		json_object_set_new(c->view, "error", json_string(crm_ctx_text(c, error)));
}

int
admin_login_form(struct crm_ctx *c)
{
	if (c->user != NULL && c->user->second_factor_ok)
		return crm_ctx_redirect(c, 303, admin_safe_next(crm_ctx_query(c, "next")));
	c->template = "admin/login";
	form_view(c, "", NULL);
	return 200;
}

struct attempt {
	struct throttle t;
	const char *email;
	json_t *user;           /* NULL: no such account */
	int ok;
};

static long long
user_id_of(json_t *user)
{
	return user ? json_integer_value(json_object_get(user, "id")) : 0;
}

static enum crm_err
record_failure(struct crm_db *db, void *arg)
{
	struct crm_ctx *c = ((void **)arg)[0];
	struct attempt *a = ((void **)arg)[1];
	enum crm_err e;

	(void)db;
	if ((e = throttle_failed(c, &a->t, user_id_of(a->user))) != CRM_OK)
		return e;
	return crm_ctx_audit(c, "login.failed", "user", user_id_of(a->user), NULL,
	    json_pack("{s:s}", "email", a->email));
}

static enum crm_err
record_success(struct crm_db *db, void *arg)
{
	struct crm_ctx *c = ((void **)arg)[0];
	struct attempt *a = ((void **)arg)[1];
	long long id = user_id_of(a->user);
	int totp = json_is_true(json_object_get(a->user, "totp_enabled"));
	struct crm_db_bind b[1];
	struct crm_audit_actor who = { id, c->remote_addr, 0 };
	enum crm_err e;

	crm_db_bind_i64(&b[0], id);
	if ((e = throttle_passed(c, &a->t)) != CRM_OK ||
	    (e = crm_db_exec(db, STMT_USER_SIGNED_IN, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = crm_auth_session_start(c, id, !totp)) != CRM_OK)
		return e;
	return crm_audit_write(db, &who, totp ? "login.password" : "login", "user", id,
	    NULL, NULL);
}

/* The directory decides for names it may own: any name when there is no
 * local account, and the accounts it made ('!ldap'). */
static int
use_directory(struct crm_ctx *c, json_t *user)
{
	const char *hash;

	if (c->w->conf->ldap_uri[0] == '\0')
		return 0;
	if (user == NULL)
		return 1;
	hash = json_string_value(json_object_get(user, "password_hash"));
	return hash != NULL && strcmp(hash, "!ldap") == 0;
}

static enum crm_err
provision(struct crm_db *db, void *arg)
{
	struct crm_ctx *c = ((void **)arg)[0];
	struct crm_ldap_user *lu = ((void **)arg)[1];
	const char *email = ((void **)arg)[2];
	struct crm_db_bind b[3];

	(void)c;
	crm_db_bind_str(&b[0], email, (size_t)-1);
	crm_db_bind_str(&b[1], lu->name[0] ? lu->name : email, (size_t)-1);
	crm_db_bind_str(&b[2], lu->role, (size_t)-1);
	return crm_db_exec(db, STMT_LDAP_USER_UPSERT, b, 3, NULL, NULL);
}

/* Signs in against the directory; on success the local record is created
 * or brought up to date (name, role from the groups) and a->user set.
 * Returns 0 to go on (a->ok says how it went), or a status to answer. */
static int
directory_sign_in(struct crm_ctx *c, struct attempt *a, const char *pw)
{
	const struct crm_conf *conf = c->w->conf;
	struct crm_ldap_config lc = { conf->ldap_uri, conf->ldap_user_dn, conf->ldap_group_base,
	    conf->ldap_group_filter, conf->ldap_role_map, conf->ldap_timeout };
	struct crm_ldap_user lu;
	struct crm_db_bind b[1];
	const char *email, *hash;
	void *args[3];
	char err[256];
	enum crm_err e;

	memset(&lu, 0, sizeof(lu));
	e = crm_ldap_authenticate(&lc, a->email, pw, &lu, err, sizeof(err));
	if (e == CRM_EIO || e == CRM_ECONFIG) {
		crm_log(CRM_LOG_ERROR, "ldap: %s", err);
		return crm_ctx_fail(c, 503, N_("The sign-in directory cannot be reached. Try again in a minute."));
	}
	if (e != CRM_OK) {
		/* Wrong password, or right password and no mapped group: both
		 * are refused alike, and logged with the reason. */
		if (e == CRM_ENOTFOUND)
			crm_log(CRM_LOG_WARN, "ldap: %s has no group that maps to a role", lu.dn);
		crm_ldap_user_free(&lu);
		a->ok = 0;
		return 0;
	}
	email = crm_arena_strdup(c->arena, lu.email[0] ? lu.email : a->email);
	args[0] = c;
	args[1] = &lu;
	args[2] = (void *)email;
	e = crm_db_tx(c->db, provision, args);
	crm_ldap_user_free(&lu);
	if (e != CRM_OK)
		return e == CRM_EINVAL ? crm_ctx_fail(c, 503, N_("The role the directory names does not exist here.")) : 503;
	crm_db_bind_str(&b[0], email, (size_t)-1);
	a->user = NULL;
	if (crm_db_row(c->db, STMT_LOGIN_USER, b, 1, &a->user) != CRM_OK)
		return 503;
	hash = json_string_value(json_object_get(a->user, "password_hash"));
	a->ok = hash != NULL && strcmp(hash, "!ldap") == 0;
	return 0;
}

int
admin_login(struct crm_ctx *c)
{
	const char *pw = crm_ctx_form(c, "password"), *next;
	struct attempt a;
	struct crm_db_bind b[1];
	void *args[2] = { c, &a };
	enum crm_err e;

	memset(&a, 0, sizeof(a));
	c->template = "admin/login";
	a.email = normalise_email(c, crm_ctx_form(c, "email") ? crm_ctx_form(c, "email") : "");
	if (a.email[0] == '\0' || pw == NULL || pw[0] == '\0') {
		form_view(c, a.email, N_("Enter your e-mail address and password."));
		return crm_ctx_status(c, 422);
	}
	if ((e = throttle_check(c, a.email, &a.t)) != CRM_OK)
		return 503;
	if (a.t.account_failures >= THROTTLE_LOCK_AFTER) {
		form_view(c, a.email, LOCKED);
		return crm_ctx_status(c, 429);
	}
	if (a.t.wait_seconds > 0) {
		form_view(c, a.email, N_("Too many failed sign-ins. Wait a little and try again."));
		json_object_set_new(c->view, "wait_seconds", json_integer(a.t.wait_seconds));
		crm_ctx_header(c, "Retry-After", crm_arena_printf(c->arena, "%lld", a.t.wait_seconds));
		return crm_ctx_status(c, 429);
	}
	crm_db_bind_str(&b[0], a.email, (size_t)-1);
	e = crm_db_row(c->db, STMT_LOGIN_USER, b, 1, &a.user);
	if (e != CRM_OK && e != CRM_ENOTFOUND)
		return 503;
	if (use_directory(c, a.user)) {
		int st = directory_sign_in(c, &a, pw);

		if (st != 0)
			return st;
	} else
		a.ok = crm_password_verify(a.user ? json_string_value(json_object_get(a.user,
		    "password_hash")) : NULL, pw);
	if (a.ok && (!json_is_true(json_object_get(a.user, "active")) ||
	    json_is_true(json_object_get(a.user, "locked"))))
		a.ok = 0;
	if (!a.ok) {
		if (crm_db_tx(c->db, record_failure, args) != CRM_OK)
			return 503;
		form_view(c, a.email, a.t.account_failures >= THROTTLE_LOCK_AFTER ? LOCKED : WRONG);
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, record_success, args) != CRM_OK)
		return 503;
	next = admin_safe_next(crm_ctx_form(c, "next"));
	if (json_is_true(json_object_get(a.user, "totp_enabled")))
		return crm_ctx_redirect(c, 303, crm_ctx_url(c, "/login/2fa", "next", next, NULL));
	return crm_ctx_redirect(c, 303, next);
}

static enum crm_err
record_logout(struct crm_db *db, void *arg)
{
	struct crm_ctx *c = arg;
	enum crm_err e;

	(void)db;
	if (c->user != NULL &&
	    (e = crm_ctx_audit(c, "logout", "user", c->user->user_id, NULL, NULL)) != CRM_OK)
		return e;
	return crm_auth_session_end(c);
}

int
admin_logout(struct crm_ctx *c)
{
	if (crm_db_tx(c->db, record_logout, c) != CRM_OK)
		return 503;
	return crm_ctx_redirect(c, 303, "/login");
}
