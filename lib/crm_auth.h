/* Who is asking, and may they: sessions in the database, API tokens,
 * permissions and field rules. */
#ifndef CRM_AUTH_H
#define CRM_AUTH_H

#include "crm_db.h"
#include "crm_http.h"

#define CRM_AUTH_SESSION_COOKIE "crm_session"
#define CRM_AUTH_CSRF_COOKIE "crm_csrf"
#define CRM_AUTH_SECRET_LEN 43          /* 32 random bytes, base64url */

/* Fills c->user from "Authorization: Bearer" (API paths only) or the
 * session cookie, and c->csrf_token; in a module served with
 * CRM_SERVE_BASIC_AUTH, only from "Authorization: Basic" (e-mail and API
 * token, failures throttled as sign-ins). A stale cookie is cleared. One query;
 * a second, at most once a minute, moves the idle expiry on. */
enum crm_err crm_auth_identify(struct crm_ctx *);
/* Signs user_id in: a new session and its cookie. With second_factor_ok
 * false the session reaches only the two-factor page. */
enum crm_err crm_auth_session_start(struct crm_ctx *, long long user_id,
    int second_factor_ok);
enum crm_err crm_auth_session_second_factor(struct crm_ctx *);
/* Signs out this session and clears the cookie. */
enum crm_err crm_auth_session_end(struct crm_ctx *);
/* Ends every session of a user, wherever it is in use. */
enum crm_err crm_auth_end_user_sessions(struct crm_db *, long long user_id);

int crm_auth_can(const struct crm_identity *, const char *perm);
/* The 5 binds of a statement's record-level access check, in the order
 * the modules' SCOPE(t) takes them: scope, user id, scope, team id twice:
 * "(? = 'all' OR t.owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))". */
void crm_auth_bind_scope(const struct crm_identity *, struct crm_db_bind *);
/* The row of stmt whose id is bound first (then, when scoped, the user's
 * scope as above), or NULL with *status 404 (no id, no such record, or
 * out of reach) or 500. */
json_t *crm_ctx_record(struct crm_ctx *, size_t stmt, long long id, int scoped, int *status);
int crm_auth_field_hidden(const struct crm_identity *, const char *entity,
    const char *field);
int crm_auth_field_readonly(const struct crm_identity *, const char *entity,
    const char *field);
/* Removes the fields the user may not read from a record (an object) or
 * from every record of an array. */
void crm_auth_strip_fields(const struct crm_identity *, const char *entity, json_t *);

/* A new random secret (session or API token), NUL-terminated. */
void crm_auth_new_secret(char out[CRM_AUTH_SECRET_LEN + 1]);
/* 1 when t is exactly len base64url characters, the shape of our secrets
 * (len CRM_AUTH_SECRET_LEN) and short link codes: anything else from an
 * address is not one of ours and is never looked up. */
int crm_auth_token_ok(const char *t, size_t len);
void crm_auth_hash(const char *secret, size_t len, unsigned char out[32]);
/* The CSRF token for forms on this page, creating the pre-sign-in cookie
 * when there is neither a session nor one already. */
const char *crm_auth_form_token(struct crm_ctx *);

#endif
