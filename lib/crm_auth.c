/* Sessions, API tokens, permissions. The cookie and the token carry random
 * secrets; the database keeps only their SHA-256, so a leaked table signs
 * no one in. */
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "crm_auth.h"
#include "crm_confcache.h"
#include "crm_log.h"
#include "crm_req.h"
#include "crm_stmts.h"
#include "crm_table.h"

#define TOUCH_AFTER_SECONDS 60

void
crm_auth_new_secret(char out[CRM_AUTH_SECRET_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, CRM_AUTH_SECRET_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
crm_auth_token_ok(const char *t, size_t len)
{
	return t != NULL && strlen(t) == len &&
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == len;
}

void
crm_auth_hash(const char *secret, size_t len, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)secret, len);
}

static long long
int_of(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	if (json_is_boolean(v))
		return json_is_true(v);
	return json_integer_value(v);
}

/* The row of an identity statement (a session's or a token's), read on
 * every request: one row of a table (crm_table.h), its cells found by the
 * place of their column, which is looked up once a worker for each
 * statement. As an object it cost a hash insert a column and a hash
 * lookup a read. */
enum id_col {
	ID_USER_ID, ID_SESSION_ID, ID_TOKEN_ID, ID_ROLE_ID, ID_TEAM_ID, ID_EMAIL, ID_NAME,
	ID_LANGUAGE, ID_TIME_ZONE, ID_ROLE, ID_SCOPE, ID_TOTP_ENABLED, ID_REQUIRE_2FA,
	ID_NOTIFY_UNREAD, ID_NOTIFY_VERSION, ID_SECOND_FACTOR_OK, ID_CONFIG_VERSION,
	ID_IDLE_SECONDS, ID_CSRF_TOKEN, ID__N
};
static const char *const id_col_names[ID__N] = {
	"user_id", "session_id", "token_id", "role_id", "team_id", "email", "name",
	"language", "time_zone", "role", "scope", "totp_enabled", "require_2fa",
	"notify_unread", "notify_version", "second_factor_ok", "config_version",
	"idle_seconds", "csrf_token",
};

struct id_row {
	json_t *cells;
	const int *at;          /* each column's place; -1: the statement has none */
};

static json_t *
id_cell(const struct id_row *r, enum id_col k)
{
	return crm_table_cell(r->cells, r->at[k]);
}

static const char *
id_str(struct crm_ctx *c, const struct id_row *r, enum id_col k)
{
	const char *s = json_string_value(id_cell(r, k));

	return crm_arena_strdup(c->arena, s ? s : "");
}

static long long
id_int(const struct id_row *r, enum id_col k)
{
	json_t *v = id_cell(r, k);

	if (json_is_boolean(v))
		return json_is_true(v);
	return json_integer_value(v);
}

/* The request's identity from its session or token row; the role's
 * permissions and field rules come from the worker's cache while the
 * row's config_version holds (crm_confcache.h). */
static enum crm_err
identity_of(struct crm_ctx *c, const struct id_row *row)
{
	struct crm_identity *u = crm_arena_calloc(c->arena, 1, sizeof(*u));
	enum crm_err e;

	u->user_id = id_int(row, ID_USER_ID);
	u->session_id = id_int(row, ID_SESSION_ID);
	u->token_id = id_int(row, ID_TOKEN_ID);
	u->role_id = id_int(row, ID_ROLE_ID);
	u->team_id = id_int(row, ID_TEAM_ID);
	u->email = id_str(c, row, ID_EMAIL);
	u->name = id_str(c, row, ID_NAME);
	u->language = id_str(c, row, ID_LANGUAGE);
	u->time_zone = id_str(c, row, ID_TIME_ZONE);
	u->role = id_str(c, row, ID_ROLE);
	u->scope = id_str(c, row, ID_SCOPE);
	u->totp_enabled = (int)id_int(row, ID_TOTP_ENABLED);
	u->require_2fa = (int)id_int(row, ID_REQUIRE_2FA);
	u->notify_unread = id_int(row, ID_NOTIFY_UNREAD);
	u->notify_version = id_int(row, ID_NOTIFY_VERSION);
	u->second_factor_ok = u->token_id ? 1 : (int)id_int(row, ID_SECOND_FACTOR_OK);
	crm_confcache_request(id_int(row, ID_CONFIG_VERSION));
	if ((e = crm_confcache_role(c->db, c->arena, u->role_id, &u->permissions, &u->field_rules)) != CRM_OK)
		return e;
	c->user = u;
	return CRM_OK;
}

/* Looks a secret up with one of the two identity statements. */
static enum crm_err
lookup(struct crm_ctx *c, size_t stmt, const char *secret, struct id_row *row)
{
	static int places[2][ID__N], known[2];
	int k = stmt == CRM_STMT_TOKEN_GET;
	unsigned char hash[32];
	struct crm_db_bind b[1];
	json_t *t = NULL;
	enum crm_err e;
	size_t i;

	if (strlen(secret) != CRM_AUTH_SECRET_LEN)
		return CRM_ENOTFOUND;
	crm_auth_hash(secret, CRM_AUTH_SECRET_LEN, hash);
	crm_db_bind_blob(&b[0], hash, sizeof(hash));
	if ((e = crm_db_table(c->db, stmt, b, 1, &t)) != CRM_OK)
		return e;
	if (crm_table_size(t) == 0)
		return CRM_ENOTFOUND;
	/* The statement's text is fixed, and so is the order of its columns. */
	if (!known[k]) {
		for (i = 0; i < ID__N; i++)
			places[k][i] = crm_table_col(crm_table_columns(t), id_col_names[i]);
		known[k] = 1;
	}
	row->cells = crm_table_row(t, 0);
	row->at = places[k];
	return CRM_OK;
}

static void
touch(struct crm_ctx *c, size_t stmt, long long id, const struct id_row *row)
{
	struct crm_db_bind b[1];

	if (id_int(row, ID_IDLE_SECONDS) < TOUCH_AFTER_SECONDS)
		return;
	crm_db_bind_i64(&b[0], id);
	if (crm_db_exec(c->db, stmt, b, 1, NULL, NULL) != CRM_OK)
		crm_log(CRM_LOG_WARN, "could not refresh session or token %lld", id);
}

/* Sign-in throttling for Basic authentication, with the sign-in form's
 * table and thresholds (crm-admin's throttle.c): keys "user:<e-mail as
 * sent>" and "ip:<address>", growing delays once a key has failed
 * THROTTLE_*_AFTER times (counted afresh after a quiet hour). Unlike the form it never locks the account: a
 * phone left with a revoked token would lock its owner out of the web. */
#define THROTTLE_ACCOUNT_AFTER 3
#define THROTTLE_ADDRESS_AFTER 20

static const char throttle_wait_sql[] =
    "SELECT CAST(COALESCE(MAX(GREATEST(0, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), blocked_until))), 0)"
    " AS SIGNED) AS wait FROM login_throttle WHERE throttle_key IN (?, ?)";
static const char throttle_fail_sql[] =
    "INSERT INTO login_throttle (throttle_key, failures) VALUES (?, 1)"
    " ON DUPLICATE KEY UPDATE failures = IF(updated_at < NOW() - INTERVAL 1 HOUR"
    " AND COALESCE(blocked_until, 0) < UTC_TIMESTAMP(), 1, failures + 1),"
    " blocked_until = IF(failures >= ?, UTC_TIMESTAMP() + INTERVAL"
    " LEAST(POW(2, failures - ?), 900) SECOND, blocked_until)";
static const char throttle_clear_sql[] = "DELETE FROM login_throttle WHERE throttle_key = ?";

static enum crm_err
basic_failed(struct crm_ctx *c, const char *account, const char *address)
{
	struct crm_db_bind b[3];
	enum crm_err e;

	crm_db_bind_str(&b[0], account, (size_t)-1);
	crm_db_bind_i64(&b[1], THROTTLE_ACCOUNT_AFTER);
	crm_db_bind_i64(&b[2], THROTTLE_ACCOUNT_AFTER);
	if ((e = crm_db_exec_sql(c->db, throttle_fail_sql, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], address, (size_t)-1);
	crm_db_bind_i64(&b[1], THROTTLE_ADDRESS_AFTER);
	crm_db_bind_i64(&b[2], THROTTLE_ADDRESS_AFTER);
	return crm_db_exec_sql(c->db, throttle_fail_sql, b, 3, NULL, NULL);
}

/* "Authorization: Basic base64(email:token)": the token is one of the
 * user's API tokens (crm_ prefix optional), and the e-mail must be its
 * owner's. Anything wrong leaves c->user NULL, for the gate's 401. */
static enum crm_err
identify_basic(struct crm_ctx *c)
{
	const char *auth = c->authorization, *p;
	const char *account, *address;
	unsigned char raw[400];
	size_t rawlen = 0;
	struct crm_db_bind b[2];
	struct id_row id;
	json_t *row = NULL;
	char *email, *secret;
	enum crm_err e;

	if (auth == NULL || strncasecmp(auth, "Basic ", 6) != 0)
		return CRM_OK;
	for (p = auth + 6; *p == ' '; p++)
		;
	if (sodium_base642bin(raw, sizeof(raw) - 1, p, strlen(p), NULL, &rawlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || rawlen == 0)
		return CRM_OK;
	raw[rawlen] = '\0';
	email = crm_arena_strdup(c->arena, (const char *)raw);
	sodium_memzero(raw, sizeof(raw));
	if (strlen(email) != rawlen || (secret = strchr(email, ':')) == NULL)
		return CRM_OK;
	*secret++ = '\0';
	/* No address is that long or not UTF-8: it cannot match a user, and
	 * would not fit the throttle's key. */
	if (strlen(email) > 254 || !crm_utf8_valid(email, strlen(email)))
		return CRM_OK;
	if (strncmp(secret, "crm_", 4) == 0)
		secret += 4;
	account = crm_arena_printf(c->arena, "user:%s", email);
	address = crm_arena_printf(c->arena, "ip:%s", c->remote_addr ? c->remote_addr : "");
	crm_db_bind_str(&b[0], account, (size_t)-1);
	crm_db_bind_str(&b[1], address, (size_t)-1);
	if ((e = crm_db_row_sql(c->db, throttle_wait_sql, b, 2, &row)) != CRM_OK)
		return e;
	if (int_of(row, "wait") > 0) {
		c->throttled = 1;
		return CRM_OK;
	}
	e = crm_auth_token_ok(secret, CRM_AUTH_SECRET_LEN) ?
	    lookup(c, CRM_STMT_TOKEN_GET, secret, &id) : CRM_ENOTFOUND;
	if (e == CRM_OK && strcasecmp(id_str(c, &id, ID_EMAIL), email) != 0)
		e = CRM_ENOTFOUND;
	if (e == CRM_ENOTFOUND)
		return basic_failed(c, account, address);
	if (e != CRM_OK || (e = identity_of(c, &id)) != CRM_OK)
		return e;
	touch(c, CRM_STMT_TOKEN_TOUCH, c->user->token_id, &id);
	crm_db_bind_str(&b[0], account, (size_t)-1);
	return crm_db_exec_sql(c->db, throttle_clear_sql, b, 1, NULL, NULL);
}

enum crm_err
crm_auth_identify(struct crm_ctx *c)
{
	const char *auth = c->authorization, *cookie;
	struct id_row row;
	enum crm_err e;

	/* Until an identity says otherwise, the cache's version is unknown. */
	crm_confcache_request(0);
	/* WebDAV clients: Basic only; a cookie alone is no one. */
	if (c->w->flags & CRM_SERVE_BASIC_AUTH)
		return identify_basic(c);

	/* API clients: "Authorization: Bearer crm_<secret>" on /api/v1. */
	if (c->api && auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0) {
		const char *tok = auth + 7;

		if (strncmp(tok, "crm_", 4) == 0)
			tok += 4;
		e = lookup(c, CRM_STMT_TOKEN_GET, tok, &row);
		if (e == CRM_OK && (e = identity_of(c, &row)) == CRM_OK)
			touch(c, CRM_STMT_TOKEN_TOUCH, c->user->token_id, &row);
		/* A bad token is a signed-out request: the gate answers 401. */
		return e == CRM_ENOTFOUND ? CRM_OK : e;
	}
	c->csrf_token = crm_params_get(&c->cookies, CRM_AUTH_CSRF_COOKIE);
	if ((cookie = crm_params_get(&c->cookies, CRM_AUTH_SESSION_COOKIE)) == NULL)
		return CRM_OK;
	e = lookup(c, CRM_STMT_SESSION_GET, cookie, &row);
	if (e == CRM_ENOTFOUND) {
		/* Expired or ended elsewhere: drop the dead cookie. */
		crm_ctx_cookie(c, CRM_AUTH_SESSION_COOKIE, "", 0);
		return CRM_OK;
	}
	if (e != CRM_OK || (e = identity_of(c, &row)) != CRM_OK)
		return e;
	c->csrf_token = id_str(c, &row, ID_CSRF_TOKEN);
	touch(c, CRM_STMT_SESSION_TOUCH, c->user->session_id, &row);
	return CRM_OK;
}

enum crm_err
crm_auth_session_start(struct crm_ctx *c, long long user_id, int second_factor_ok)
{
	char secret[CRM_AUTH_SECRET_LEN + 1], csrf[CRM_AUTH_SECRET_LEN + 1];
	const char *ua = c->user_agent ? c->user_agent : "";
	unsigned char hash[32];
	struct crm_db_bind b[6];
	enum crm_err e;

	crm_auth_new_secret(secret);
	crm_auth_new_secret(csrf);
	crm_auth_hash(secret, CRM_AUTH_SECRET_LEN, hash);
	crm_db_bind_blob(&b[0], hash, sizeof(hash));
	crm_db_bind_i64(&b[1], user_id);
	crm_db_bind_str(&b[2], csrf, CRM_AUTH_SECRET_LEN);
	crm_db_bind_i64(&b[3], second_factor_ok);
	crm_db_bind_str(&b[4], c->remote_addr ? c->remote_addr : "", (size_t)-1);
	/* Cut on a character boundary is not needed: the column is utf8mb4
	 * and strict mode would refuse an over-long value, so cut in bytes
	 * at an ASCII-safe length; user agents are ASCII in practice. */
	crm_db_bind_str(&b[5], ua, strlen(ua) > 255 ? 255 : strlen(ua));
	if ((e = crm_db_exec(c->db, CRM_STMT_SESSION_INSERT, b, 6, NULL, NULL)) != CRM_OK)
		return e;
	crm_ctx_cookie(c, CRM_AUTH_SESSION_COOKIE, crm_arena_strdup(c->arena, secret), -1);
	/* The pre-sign-in token has done its work. */
	crm_ctx_cookie(c, CRM_AUTH_CSRF_COOKIE, "", 0);
	c->csrf_token = crm_arena_strdup(c->arena, csrf);
	sodium_memzero(secret, sizeof(secret));
	return CRM_OK;
}

enum crm_err
crm_auth_session_second_factor(struct crm_ctx *c)
{
	struct crm_db_bind b[1];

	if (c->user == NULL || c->user->session_id == 0)
		return CRM_EINVAL;
	crm_db_bind_i64(&b[0], c->user->session_id);
	return crm_db_exec(c->db, CRM_STMT_SESSION_SECOND_FACTOR, b, 1, NULL, NULL);
}

enum crm_err
crm_auth_session_end(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	enum crm_err e = CRM_OK;

	if (c->user != NULL && c->user->session_id != 0) {
		crm_db_bind_i64(&b[0], c->user->session_id);
		e = crm_db_exec(c->db, CRM_STMT_SESSION_END, b, 1, NULL, NULL);
	}
	crm_ctx_cookie(c, CRM_AUTH_SESSION_COOKIE, "", 0);
	return e;
}

enum crm_err
crm_auth_end_user_sessions(struct crm_db *db, long long user_id)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], user_id);
	return crm_db_exec(db, CRM_STMT_SESSION_END_USER, b, 1, NULL, NULL);
}

/* True when item appears in the comma-separated list. One strstr over
 * the list rather than a strchr and a compare an entry: a page asks a
 * dozen permissions (its route, the menus) of a list of forty. */
static int
in_list(const char *list, const char *item)
{
	size_t len = strlen(item);
	const char *p = list;

	if (list == NULL || len == 0)
		return 0;
	while ((p = strstr(p, item)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return 1;
		p++;
	}
	return 0;
}

int
crm_auth_can(const struct crm_identity *u, const char *perm)
{
	if (strcmp(perm, CRM_PERM_PUBLIC) == 0)
		return 1;
	if (u == NULL)
		return 0;
	if (strcmp(perm, CRM_PERM_SECOND_FACTOR) == 0)
		return !u->second_factor_ok;
	if (!u->second_factor_ok)
		return 0;
	if (strcmp(perm, CRM_PERM_SIGNED_IN) == 0)
		return 1;
	return in_list(u->permissions, "*") || in_list(u->permissions, perm);
}

static int
field_rule(const struct crm_identity *u, const char *entity, const char *field,
    const char *access)
{
	char rule[200];
	int n;

	if (u == NULL || u->field_rules == NULL || *u->field_rules == '\0')
		return 0;
	n = snprintf(rule, sizeof(rule), "%s.%s:%s", entity, field, access);
	return n > 0 && (size_t)n < sizeof(rule) && in_list(u->field_rules, rule);
}

int
crm_auth_field_hidden(const struct crm_identity *u, const char *entity, const char *field)
{
	return field_rule(u, entity, field, "hidden");
}

int
crm_auth_field_readonly(const struct crm_identity *u, const char *entity, const char *field)
{
	return field_rule(u, entity, field, "readonly") || field_rule(u, entity, field, "hidden");
}

void
crm_auth_strip_fields(const struct crm_identity *u, const char *entity, json_t *v)
{
	const char *key;
	json_t *val, *tmp;
	size_t i;

	if (u == NULL || u->field_rules == NULL || *u->field_rules == '\0')
		return;
	if (crm_table_is(v)) {
		json_t *columns = crm_table_columns(v);

		json_array_foreach(columns, i, val) {
			const char *name = json_string_value(val);

			if (name != NULL && crm_auth_field_hidden(u, entity, name))
				json_array_set_new(columns, i, json_null());
		}
		return;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, val)
			crm_auth_strip_fields(u, entity, val);
		return;
	}
	json_object_foreach_safe(v, tmp, key, val)
		if (crm_auth_field_hidden(u, entity, key))
			json_object_del(v, key);
}

const char *
crm_auth_form_token(struct crm_ctx *c)
{
	char secret[CRM_AUTH_SECRET_LEN + 1];

	if (c->csrf_token != NULL && strlen(c->csrf_token) == CRM_AUTH_SECRET_LEN)
		return c->csrf_token;
	crm_auth_new_secret(secret);
	c->csrf_token = crm_arena_strdup(c->arena, secret);
	crm_ctx_cookie(c, CRM_AUTH_CSRF_COOKIE, c->csrf_token, -1);
	return c->csrf_token;
}

void
crm_auth_bind_scope(const struct crm_identity *u, struct crm_db_bind *b)
{
	crm_db_bind_str(&b[0], u->scope, (size_t)-1);
	crm_db_bind_i64(&b[1], u->user_id);
	crm_db_bind_str(&b[2], u->scope, (size_t)-1);
	crm_db_bind_i64(&b[3], u->team_id);
	crm_db_bind_i64(&b[4], u->team_id);
}

json_t *
crm_ctx_record(struct crm_ctx *c, size_t stmt, long long id, int scoped, int *status)
{
	struct crm_db_bind b[6];
	json_t *row = NULL;
	enum crm_err e;

	*status = 404;
	if (id == 0)
		return NULL;
	crm_db_bind_i64(&b[0], id);
	if (scoped)
		crm_auth_bind_scope(c->user, b + 1);
	if ((e = crm_db_row(c->db, stmt, b, scoped ? 6 : 1, &row)) != CRM_OK) {
		*status = e == CRM_ENOTFOUND ? 404 : 500;
		return NULL;
	}
	return row;
}
