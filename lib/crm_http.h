/* One request through the front door: parse, route, gate, dispatch, render,
 * respond. A handler sees a struct crm_ctx and returns an HTTP status. */
#ifndef CRM_HTTP_H
#define CRM_HTTP_H

#include <jansson.h>

#include "crm.h"
#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_conf.h"
#include "crm_db.h"
#include "crm_req.h"
#include "crm_i18n.h"
#include "crm_tmpl.h"

struct crm_ctx;

/* Permission names are "<module>.<action>" (crm_perm.c lists them all).
 * Three more name who may come rather than what they may do: */
#define CRM_PERM_PUBLIC "public"        /* anyone, signed in or not */
#define CRM_PERM_SIGNED_IN "signed-in"  /* any signed-in user: their own account */
#define CRM_PERM_SECOND_FACTOR "second-factor" /* signed in, 2FA code still due */
/* Anyone, posting from any site (a web-to-lead form pasted into another
 * site): no form token is asked, since the other site cannot have one,
 * and so the handler runs as nobody (c->user NULL) even when a session
 * cookie came along: a forged request gains no one's rights. The handler
 * must protect itself (a secret in the address, rate limits). */
#define CRM_PERM_CROSS_SITE "cross-site"

/* Who sent the request: from the session cookie or an API token. */
struct crm_identity {
	long long user_id;
	long long session_id;           /* 0 for an API token */
	long long token_id;             /* 0 for a session */
	long long role_id;
	long long team_id;              /* 0: no team */
	const char *email;
	const char *name;
	const char *language;
	const char *time_zone;
	const char *role;
	const char *scope;              /* own | team | all */
	const char *permissions;        /* comma-separated; "*" is all */
	const char *field_rules;        /* "entity.field:hidden|readonly,..." */
	int second_factor_ok;
	int totp_enabled;
	int require_2fa;
	/* From the user's row, which the session lookup reads anyway: the
	 * layout's unread count costs no query (crm_notify.h). */
	long long notify_unread;
	long long notify_version;
};

struct crm_route {
	/* GET, POST, PUT, PATCH, DELETE; and the WebDAV methods OPTIONS,
	 * PROPFIND, REPORT, PROPPATCH for a module that serves WebDAV. */
	const char *method;
	const char *pattern;    /* "/customers/:id/edit": ":name" matches one segment */
	const char *perm;       /* the permission the route needs */
	int (*handler)(struct crm_ctx *);
	const char *template;   /* "customers/show"; NULL for JSON-only routes */
};

struct crm_module {
	const char *name;       /* "admin": the binary is crm-admin */
	const struct crm_route *routes;
	size_t nroutes;
	const char *const *stmts;
	size_t nstmts;
	/* Optional: "crm-NAME [--config FILE] COMMAND ARG..." runs this with a
	 * connection prepared with stmts, instead of serving (a module's job
	 * runner, a one-off import). argv[0] is COMMAND. Returns the exit
	 * status. */
	int (*command)(struct crm_db *, const struct crm_conf *, int argc, char **argv);
	const char *command_usage;      /* lines for --help */
};

/* How the worker reads and writes: FastCGI streams or CGI's stdio. */
struct crm_io {
	char **envp;
	/* Returns bytes read, 0 at the end, -1 on error. */
	long (*read)(void *, char *, size_t);
	int (*write)(void *, const char *, size_t);
	void *arg;
};

/* What lives as long as the worker: shared by every request it serves. */
#define CRM_MAX_LANGS 8

/* How a module is served (crm_server_main_flags), for modules whose
 * clients are not browsers (CalDAV and CardDAV, crm-dav). */
enum crm_serve_flag {
	/* A body of any type (XML, text/calendar, text/vcard) reaches the
	 * handler in c->body with its media type in c->body_type, within
	 * max_body; forms are still parsed into c->form. */
	CRM_SERVE_RAW_BODY = 1 << 0,
	/* Who is asking comes only from "Authorization: Basic" (the user's
	 * e-mail and an API token), never from a cookie: a request without
	 * it, or with a wrong one, gets 401 and WWW-Authenticate, and
	 * failures count in the sign-in throttle. Not cookies, so no CSRF
	 * token is asked, as with Bearer tokens. */
	CRM_SERVE_BASIC_AUTH = 1 << 1,
};

struct crm_worker {
	const struct crm_module *module;
	const struct crm_conf *conf;
	struct crm_db *db;
	struct crm_tmpl_set *tmpl;      /* English: the templates as written */
	struct crm_i18n *i18n;
	/* One compiled set per language: translation happens at compile time. */
	const char *langs[CRM_MAX_LANGS];
	struct crm_tmpl_set *tmpl_lang[CRM_MAX_LANGS];
	size_t nlangs;
	struct crm_arena *arena;        /* the request arena, reset after each */
	long long started;              /* master start, unix seconds */
	long workers;                   /* how many workers the master keeps */
	unsigned flags;                 /* enum crm_serve_flag */
	unsigned long served;
};

struct crm_ctx {
	struct crm_worker *w;
	struct crm_arena *arena;
	struct crm_db *db;
	const struct crm_route *route;
	/* The request, validated before any handler runs. */
	const char *method;
	const char *path;               /* decoded; without the /api/v1 prefix */
	const char *request_id;
	const char *remote_addr;
	int https;
	int api;                        /* reached as /api/v1/...: answer JSON */
	struct crm_params query;
	struct crm_params form;         /* urlencoded or multipart body */
	struct crm_params cookies;
	struct crm_params path_params;  /* ":name" parts of the route */
	struct crm_str body;            /* any other body (application/json; any
	                                 * type with CRM_SERVE_RAW_BODY) */
	const char *body_type;          /* its media type, lowercase, no parameters */
	int throttled;                  /* Basic sign-in refused for a while */
	const char *authorization;      /* Authorization header */
	const char *user_agent;
	const char *accept_language;
	/* Who: NULL when signed out (crm_auth.c fills it). */
	struct crm_identity *user;
	/* The token forms must carry: the session's, or before sign-in the
	 * crm_csrf cookie's (double submit). */
	const char *csrf_token;
	const char *lang;               /* "en", "zh_CN" */
	/* The response. */
	const char *nav_here;           /* the main menu's current area, or NULL */
	int status;
	json_t *view;                   /* the view model, also the API answer */
	const char *template;           /* defaults to the route's */
	const char *location;           /* for redirects */
	const char *content_type;       /* for a raw body */
	struct crm_buf raw;             /* a raw body (SVG, CSV) when len > 0 */
	struct crm_buf headers;         /* extra header lines */
	const char *error_message;
	int status_with_view;           /* render the view even for a 4xx/5xx */
	const struct crm_io *io;
	int streamed;                   /* the answer went out as a stream */
};

const char *crm_ctx_path_param(struct crm_ctx *, const char *name);
const char *crm_ctx_query(struct crm_ctx *, const char *name);
const char *crm_ctx_form(struct crm_ctx *, const char *name);
/* The same, "" when the value is absent: what a form checks. */
const char *crm_ctx_query_str(struct crm_ctx *, const char *name);
const char *crm_ctx_form_str(struct crm_ctx *, const char *name);
void crm_ctx_header(struct crm_ctx *, const char *name, const char *value);
/* HttpOnly and SameSite=Lax always; Secure as crm.conf cookie_secure says.
 * max_age < 0: a session cookie; 0: delete it. */
void crm_ctx_cookie(struct crm_ctx *, const char *name, const char *value, long max_age);
/* Returns 303 (after a POST) or the given 3xx status, for a handler to return. */
int crm_ctx_redirect(struct crm_ctx *, int status, const char *location);
/* Answers with this status but renders the route's view as usual: a health
 * page that reports a fault with 503, a form shown again with 422. */
int crm_ctx_status(struct crm_ctx *, int status);
/* A UTC "YYYY-MM-DD HH:MM:SS" from the database, in the user's time zone
 * and language; NULL or "" gives "". */
const char *crm_ctx_date(struct crm_ctx *, const char *utc, int with_time);
/* Replaces the named datetime column of each row with its local form;
 * rows is a list of objects or a table (crm_table.h). A row without the
 * column, or with null in it, keeps it as it is. */
void crm_ctx_localise_dates(struct crm_ctx *, json_t *rows, const char *column);
/* The same into another column, "" where the first has none. */
void crm_ctx_localise_dates_as(struct crm_ctx *, json_t *rows, const char *column, const char *as);
/* A link: path, then "key", "value" pairs ending in NULL; values are
 * URL-escaped and empty ones left out ("/customers?q=a%20b&after_id=3"). */
const char *crm_ctx_url(struct crm_ctx *, const char *path, ...)
    __attribute__((sentinel));
/* A list's keyset paging (a page is 50 rows, fetched as 51): when there
 * is a 51st row it is dropped and next_url set from the 50th: path, the
 * current values of the query names in keep (NULL-terminated, or NULL),
 * then after=<its key column> when key is not NULL, and after_id=<its id>. */
void crm_ctx_next_page(struct crm_ctx *, json_t *rows, const char *path, const char *key,
    const char *const *keep);
/* ?after_id= of such a page: 1 when it is absent (*after_id untouched) or
 * an id, 0 when it is anything else. */
int crm_ctx_after_id(struct crm_ctx *, long long *after_id);
/* A streamed answer (an export of a million rows): the status line and
 * headers go out now, without a length, and the body follows in pieces;
 * the handler then returns 200 and nothing more is sent. A failure half
 * way can only be logged: the client sees a short body. */
void crm_ctx_stream_start(struct crm_ctx *, const char *content_type);
void crm_ctx_stream_write(struct crm_ctx *, const void *, size_t);
/* "?done=code" after a redirect: the matching message, marked with N_(),
 * becomes the page's flash in the request's language. */
struct crm_done {
	const char *code, *message;
};
void crm_ctx_done_flash(struct crm_ctx *, const struct crm_done *, size_t n);
/* The area of the main menu this page is in: "home", "customers",
 * "sales", "service", "marketing", "reports", "admin" or "health" (the
 * layout marks its link as the current page). */
void crm_ctx_nav_here(struct crm_ctx *, const char *area);
/* A message in the request's language (crm_i18n_text). */
const char *crm_ctx_text(struct crm_ctx *, const char *msgid);
/* A request header as the web server passes it ("HTTP_IF_MATCH"), or NULL. */
const char *crm_ctx_env(struct crm_ctx *, const char *name);
/* Sets the message shown on the error page (escaped), returns status. */
int crm_ctx_fail(struct crm_ctx *, int status, const char *message);

/* Serves one request read from io. Returns the HTTP status sent. */
int crm_http_serve(struct crm_worker *, const struct crm_io *);
/* The reason phrase of a status: "Not Found". */
const char *crm_http_reason(int status);

#endif
