/* The front door (STYLE rule 12): every request passes the same checks in
 * the same order before a handler runs, and every response leaves through
 * respond() with the same security headers. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include <sodium.h>

#include "crm_auth.h"
#include "crm_escape.h"
#include "crm_valid.h"
#include "crm_confcache.h"
#include "crm_http.h"
#include "crm_json_write.h"
#include "crm_kept.h"
#include "crm_log.h"
#include "crm_num.h"
#include "crm_route.h"
#include "crm_table.h"

#define API_PREFIX "/api/v1"
#define READ_CHUNK 16384

static const char *const security_headers =
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: same-origin\r\n"
    "Cross-Origin-Opener-Policy: same-origin\r\n"
    "Content-Security-Policy: default-src 'self'; script-src 'self'; "
    "style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'\r\n";

const char *
crm_http_reason(int status)
{
	switch (status) {
	case 200: return N_("OK");
	case 201: return N_("Created");
	case 204: return N_("No Content");
	case 207: return N_("Multi-Status");
	case 301: return N_("Moved Permanently");
	case 302: return N_("Found");
	case 303: return N_("See Other");
	case 304: return N_("Not Modified");
	case 400: return N_("Bad Request");
	case 401: return N_("Unauthorized");
	case 403: return N_("Forbidden");
	case 404: return N_("Not Found");
	case 405: return N_("Method Not Allowed");
	case 409: return N_("Conflict");
	case 412: return N_("Precondition Failed");
	case 413: return N_("Content Too Large");
	case 415: return N_("Unsupported Media Type");
	case 422: return N_("Unprocessable Content");
	case 429: return N_("Too Many Requests");
	case 500: return N_("Internal Server Error");
	case 503: return N_("Service Unavailable");
	case 507: return N_("Insufficient Storage");
	default: return status < 400 ? "OK" : "Error";
	}
}

static const char *
env(const struct crm_io *io, const char *name)
{
	size_t n = strlen(name);
	char **e;

	/* The first byte before the call: a request asks a dozen names of
	 * twenty-odd parameters, and most differ there. */
	for (e = io->envp; e && *e; e++)
		if (**e == *name && strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static long long
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *
crm_ctx_env(struct crm_ctx *c, const char *name)
{
	return c->io ? env(c->io, name) : NULL;
}

const char *
crm_ctx_path_param(struct crm_ctx *c, const char *name)
{
	return crm_params_get(&c->path_params, name);
}

const char *
crm_ctx_query(struct crm_ctx *c, const char *name)
{
	return crm_params_get(&c->query, name);
}

const char *
crm_ctx_form(struct crm_ctx *c, const char *name)
{
	return crm_params_get(&c->form, name);
}

const char *
crm_ctx_query_str(struct crm_ctx *c, const char *name)
{
	const char *v = crm_params_get(&c->query, name);

	return v ? v : "";
}

const char *
crm_ctx_form_str(struct crm_ctx *c, const char *name)
{
	const char *v = crm_params_get(&c->form, name);

	return v ? v : "";
}

void
crm_ctx_header(struct crm_ctx *c, const char *name, const char *value)
{
	/* Header values come from our code, but never let one smuggle a
	 * second header in. */
	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) {
		crm_log(CRM_LOG_ERROR, "refused header %s with a line break", name);
		return;
	}
	crm_buf_printf(&c->headers, "%s: %s\r\n", name, value);
}

void
crm_ctx_cookie(struct crm_ctx *c, const char *name, const char *value, long max_age)
{
	const char *mode = c->w->conf->cookie_secure;
	int secure = strcmp(mode, "on") == 0 || (strcmp(mode, "auto") == 0 && c->https);
	char age[48] = "";

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	crm_ctx_header(c, "Set-Cookie", crm_arena_printf(c->arena,
	    "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value, age,
	    secure ? "; Secure" : ""));
}

int
crm_ctx_redirect(struct crm_ctx *c, int status, const char *location)
{
	c->location = location;
	return status;
}

const char *
crm_ctx_date(struct crm_ctx *c, const char *utc, int with_time)
{
	struct crm_buf b;

	if (utc == NULL || *utc == '\0')
		return "";
	crm_buf_init(&b, c->arena, 64);
	crm_i18n_format_date(&b, c->lang ? c->lang : "en", utc,
	    c->user && c->user->time_zone[0] ? c->user->time_zone : "UTC", with_time);
	return b.data;
}

/* A date's local form as a string value: ASCII, or the Chinese form's
 * characters, so jansson's UTF-8 check is spared. */
static json_t *
date_value(struct crm_ctx *c, const char *zone, const char *utc)
{
	struct crm_buf b;

	if (utc == NULL || *utc == '\0')
		return json_stringn_nocheck("", 0);
	crm_buf_init(&b, c->arena, 64);
	crm_i18n_format_date(&b, c->lang ? c->lang : "en", utc, zone, 1);
	return json_stringn_nocheck(b.data, b.len);
}

void
crm_ctx_localise_dates_as(struct crm_ctx *c, json_t *rows, const char *column, const char *as)
{
	const char *zone = c->user && c->user->time_zone[0] ? c->user->time_zone : "UTC";
	int in_place = strcmp(column, as) == 0;
	json_t *row;
	size_t i;

	if (crm_table_is(rows)) {
		json_t *cols = crm_table_columns(rows);
		int from = crm_table_col(cols, column), to;

		if (from < 0)
			return;
		to = in_place ? from : crm_table_add_col(cols, as);
		json_array_foreach(crm_table_rows(rows), i, row) {
			const char *v = json_string_value(crm_table_cell(row, from));

			if (v != NULL || !in_place)
				crm_table_set_new(row, to, date_value(c, zone, v));
		}
		return;
	}
	json_array_foreach(rows, i, row) {
		const char *v = json_string_value(json_object_get(row, column));

		if (v != NULL || !in_place)
			json_object_set_new(row, as, date_value(c, zone, v));
	}
}

void
crm_ctx_localise_dates(struct crm_ctx *c, json_t *rows, const char *column)
{
	crm_ctx_localise_dates_as(c, rows, column, column);
}

const char *
crm_ctx_url(struct crm_ctx *c, const char *path, ...)
{
	struct crm_buf url;
	const char *k, *v;
	char sep = '?';
	va_list ap;

	crm_buf_init(&url, c->arena, 128);
	crm_buf_puts(&url, path);
	va_start(ap, path);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (v == NULL || *v == '\0')
			continue;
		crm_buf_putc(&url, sep);
		crm_buf_puts(&url, k);
		crm_buf_putc(&url, '=');
		crm_escape_url_arg(&url, v, strlen(v));
		sep = '&';
	}
	va_end(ap);
	return url.data;
}

int
crm_ctx_after_id(struct crm_ctx *c, long long *after_id)
{
	const char *v = crm_ctx_query(c, "after_id");

	return v == NULL || crm_valid_id(v, after_id);
}

void
crm_ctx_next_page(struct crm_ctx *c, json_t *rows, const char *path, const char *key,
    const char *const *keep)
{
	struct crm_buf url;
	json_t *last;
	char sep = '?';
	size_t i;

	if (json_array_size(rows) <= 50)
		return;
	last = json_array_get(rows, 49);
	crm_buf_init(&url, c->arena, 128);
	crm_buf_puts(&url, path);
	/* keep: query names whose current values the next page keeps. */
	for (i = 0; keep && keep[i]; i++) {
		const char *v = crm_ctx_query(c, keep[i]);

		if (v == NULL || *v == '\0')
			continue;
		crm_buf_printf(&url, "%c%s=", sep, keep[i]);
		crm_escape_url_arg(&url, v, strlen(v));
		sep = '&';
	}
	if (key != NULL) {
		json_t *k = json_object_get(last, key);
		const char *v = json_is_string(k) ? json_string_value(k) :
		    crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(k));

		crm_buf_printf(&url, "%cafter=", sep);
		crm_escape_url_arg(&url, v, strlen(v));
		sep = '&';
	}
	crm_buf_printf(&url, "%cafter_id=%lld", sep,
	    (long long)json_integer_value(json_object_get(last, "id")));
	json_object_set_new(c->view, "next_url", json_string(url.data));
	json_array_remove(rows, 50);
}

const char *
crm_ctx_text(struct crm_ctx *c, const char *msgid)
{
	return crm_i18n_text(c->w->i18n, c->lang ? c->lang : "en", msgid);
}

int
crm_ctx_status(struct crm_ctx *c, int status)
{
	c->status_with_view = 1;
	return status;
}

int
crm_ctx_fail(struct crm_ctx *c, int status, const char *message)
{
	c->error_message = message;
	return status;
}

static const char *
default_message(int status)
{
	switch (status) {
	case 400: return N_("The request was malformed.");
	case 401: return N_("Please sign in.");
	case 403: return N_("You do not have permission to do that.");
	case 404: return N_("There is no such page.");
	case 405: return N_("That page does not accept this kind of request.");
	case 409: return N_("The record was changed by someone else, or already exists.");
	case 413: return N_("The request is too large.");
	case 415: return N_("The request body has a type this page does not accept.");
	case 422: return N_("Some of the values are not valid.");
	case 429: return N_("Too many attempts. Wait a while and try again.");
	case 503: return N_("The service is unavailable for a moment. Try again shortly.");
	case 507: return N_("The server has no room to store this just now. Try again later.");
	default: return N_("Something went wrong on our side. It has been logged.");
	}
}

/* Decodes the request path strictly. nginx passes DOCUMENT_URI already
 * decoded and normalised; another web server running us as CGI passes
 * REQUEST_URI, which we decode, or failing that SCRIPT_NAME and PATH_INFO. */
static enum crm_err
request_path(struct crm_ctx *c, const struct crm_io *io, const char **out)
{
	const char *p = env(io, "DOCUMENT_URI"), *q;
	struct crm_params tmp = { 0 };
	struct crm_req_limits lim;
	struct crm_buf b;
	size_t n, i;

	if (p == NULL && (p = env(io, "REQUEST_URI")) != NULL) {
		q = strchr(p, '?');
		n = q ? (size_t)(q - p) : strlen(p);
		/* The form decoder rejects bad percent-encodings, NUL and
		 * invalid UTF-8; '+', '&' and '=' are literal in a path, so
		 * they are escaped before it sees them. */
		crm_buf_init(&b, c->arena, n + 8);
		crm_buf_puts(&b, "p=");
		for (i = 0; i < n; i++) {
			if (p[i] == '+' || p[i] == '&' || p[i] == '=')
				crm_buf_printf(&b, "%%%02X", (unsigned char)p[i]);
			else
				crm_buf_putc(&b, p[i]);
		}
		crm_req_limits_default(&lim);
		lim.max_value = 4096;
		if (crm_parse_urlencoded(c->arena, b.data, b.len, &lim, &tmp) != CRM_OK ||
		    tmp.n != 1)
			return CRM_EINVAL;
		p = tmp.v[0].value.data;
	} else if (p == NULL) {
		const char *script = env(io, "SCRIPT_NAME"), *info = env(io, "PATH_INFO");

		p = crm_arena_printf(c->arena, "%s%s", script ? script : "", info ? info : "");
		if (*p == '\0')
			p = "/";
	}
	n = strlen(p);
	if (n == 0 || p[0] != '/' || n > 4096 || !crm_utf8_valid(p, n))
		return CRM_EINVAL;
	*out = p;
	return CRM_OK;
}

static int
status_of(enum crm_err e)
{
	switch (e) {
	case CRM_OK: return 200;
	case CRM_EINVAL: return 400;
	case CRM_ETOOBIG: return 413;
	case CRM_ENOTFOUND: return 404;
	case CRM_ECONFLICT: return 409;
	default: return 500;
	}
}

/* Fields of a query string or a cookie header: no page sends more, and
 * nginx's header buffers (8 KB) would refuse many more anyway. */
#define HEAD_MAX_FIELDS 256

static void
limits_of(const struct crm_conf *conf, struct crm_req_limits *lim)
{
	crm_req_limits_default(lim);
	lim->max_fields = (size_t)conf->max_fields;
	lim->max_file = (size_t)conf->max_file;
	lim->tmpdir = conf->tmpdir;
}

/* Reads and parses the body by its Content-Type. Bodies over max_body are
 * refused from CONTENT_LENGTH before a byte is read, and counted while
 * reading in case the length was absent. A well-formed type that no route
 * of the module reads sets *unsupported (a 415, not a malformed 400); an
 * upload that cannot be written to the temporary directory sets *disk (a
 * 507). */
static enum crm_err
read_body(struct crm_ctx *c, const struct crm_io *io, const struct crm_req_limits *lim,
    int *disk, int *unsupported)
{
	const char *cl = env(io, "CONTENT_LENGTH"), *ct = env(io, "CONTENT_TYPE");
	size_t max = (size_t)c->w->conf->max_body, total = 0, want;
	struct crm_str mime = { 0, NULL }, boundary = { 0, NULL };
	struct crm_multipart *mp = NULL;
	struct crm_buf body;
	enum crm_err e;
	char *chunk;
	long got;

	if (cl != NULL && *cl) {
		char *end;
		unsigned long long n = strtoull(cl, &end, 10);

		if (*end != '\0' || cl[0] == '-')
			return CRM_EINVAL;
		if (n > max)
			return CRM_ETOOBIG;
		if (n == 0)
			return CRM_OK;
		want = (size_t)n;
	} else {
		/* No length: only methods that carry a body read one, and a
		 * request with neither length nor type (curl -X POST) has none. */
		if (!crm_route_has_body(c->method) || ct == NULL || *ct == '\0')
			return CRM_OK;
		want = max + 1;
	}
	if (ct == NULL || *ct == '\0')
		ct = "application/octet-stream";
	if ((e = crm_parse_content_type(c->arena, ct, strlen(ct), &mime, &boundary)) != CRM_OK)
		return e;
	if (strcmp(mime.data, "multipart/form-data") == 0) {
		if (boundary.len == 0)
			return CRM_EINVAL;
		mp = crm_multipart_new(c->arena, boundary.data, boundary.len, lim, &c->form);
	} else if (strcmp(mime.data, "application/x-www-form-urlencoded") != 0 &&
	    strcmp(mime.data, "application/json") != 0 && !(c->w->flags & CRM_SERVE_RAW_BODY)) {
		*unsupported = 1;
		return CRM_EINVAL;
	}
	c->body_type = mime.data;

	crm_buf_init(&body, c->arena, mp ? 64 : (want < max ? want + 1 : 4096));
	chunk = crm_arena_alloc(c->arena, READ_CHUNK);
	while (total < want) {
		size_t n = want - total < READ_CHUNK ? want - total : READ_CHUNK;

		if ((got = io->read(io->arg, chunk, n)) < 0)
			return CRM_EIO;
		if (got == 0)
			break;
		total += (size_t)got;
		if (total > max)
			return CRM_ETOOBIG;
		if (mp) {
			/* CRM_EIO here is the upload's temporary file that could
			 * not be written (tmpdir full), not the client. */
			if ((e = crm_multipart_feed(mp, chunk, (size_t)got)) != CRM_OK) {
				*disk = e == CRM_EIO;
				return e;
			}
		} else
			crm_buf_add(&body, chunk, (size_t)got);
	}
	if (cl != NULL && *cl && total != want)
		return CRM_EINVAL;      /* the client stopped early */
	if (mp)
		return crm_multipart_finish(mp);
	if (strcmp(mime.data, "application/x-www-form-urlencoded") != 0) {
		c->body.data = body.data;
		c->body.len = body.len;
		return CRM_OK;
	}
	return crm_parse_urlencoded(c->arena, body.data, body.len, lim, &c->form);
}

/* Where a signed-out browser is sent: the sign-in page, which comes back
 * here (path and query) afterwards. */
static int
to_sign_in(struct crm_ctx *c, const struct crm_io *io)
{
	const char *qs = env(io, "QUERY_STRING");
	struct crm_buf next;

	crm_buf_init(&next, c->arena, 128);
	crm_buf_puts(&next, "/login?next=");
	crm_escape_url_arg(&next, c->path, strlen(c->path));
	if (qs && *qs) {
		crm_escape_url_arg(&next, "?", 1);
		crm_escape_url_arg(&next, qs, strlen(qs));
	}
	return crm_ctx_redirect(c, 303, next.data);
}

/* The permission gate: 0 to go on, else the status to answer with. */
static int
authorize(struct crm_ctx *c, const struct crm_io *io)
{
	const char *perm = c->route->perm;
	struct crm_identity *u = c->user;

	if (strcmp(perm, CRM_PERM_PUBLIC) == 0)
		return 0;
	if (strcmp(perm, CRM_PERM_CROSS_SITE) == 0) {
		c->user = NULL;
		return 0;
	}
	if (u == NULL && (c->w->flags & CRM_SERVE_BASIC_AUTH)) {
		crm_ctx_header(c, "WWW-Authenticate", "Basic realm=\"CRM\", charset=\"UTF-8\"");
		if (c->throttled) {
			crm_ctx_header(c, "Retry-After", "60");
			return 429;
		}
		return crm_ctx_fail(c, 401, N_("Send your e-mail address and an API token."));
	}
	if (u == NULL)
		return c->api ? crm_ctx_fail(c, 401, N_("Sign in, or send an API token.")) :
		    to_sign_in(c, io);
	if (strcmp(perm, CRM_PERM_SECOND_FACTOR) == 0)
		return u->second_factor_ok ? crm_ctx_redirect(c, 303, "/") : 0;
	if (!u->second_factor_ok)
		return c->api ? 401 : crm_ctx_redirect(c, 303, "/login/2fa");
	/* A role that requires two-factor sign-in: until it is set up, only
	 * the user's own account pages are open. */
	if (u->require_2fa && !u->totp_enabled && u->token_id == 0 &&
	    strcmp(perm, CRM_PERM_SIGNED_IN) != 0)
		return c->api ? crm_ctx_fail(c, 403, N_("Your role requires two-factor sign-in.")) :
		    crm_ctx_redirect(c, 303, "/account/2fa");
	return crm_auth_can(u, perm) ? 0 : 403;
}

/* A state-changing request must carry the form token: the session's, or
 * before sign-in the crm_csrf cookie's (double submit), in the csrf_token
 * field or the X-CSRF-Token header. API tokens are not cookies, so a
 * request that carries one cannot be forged by another site. */
static int
csrf_ok(struct crm_ctx *c, const struct crm_io *io)
{
	const char *sent = crm_ctx_form(c, "csrf_token");

	if (c->user != NULL && c->user->token_id != 0)
		return 1;
	if (sent == NULL)
		sent = env(io, "HTTP_X_CSRF_TOKEN");
	if (c->csrf_token == NULL || sent == NULL ||
	    strlen(sent) != strlen(c->csrf_token) || strlen(sent) != CRM_AUTH_SECRET_LEN)
		return 0;
	return sodium_memcmp(sent, c->csrf_token, strlen(sent)) == 0;
}

/* The admin pages a role reaches, each true or false, and "admin": the
 * link of the main menu's Admin (the first page reached), or false. */
static void
admin_pages(const struct crm_identity *u, json_t *nav)
{
	static const struct {
		const char *perm, *key, *url;
	} pages[] = {
		{ "admin.users", "admin_users", "/admin/users" },
		{ "admin.roles", "admin_roles", "/admin/roles" },
		{ "admin.audit", "admin_audit", "/admin/audit" },
		{ "admin.settings", "admin_settings", "/admin/settings" },
		/* In the reports module, but an admin looks for it here too. */
		{ "reports.analytics", "admin_analytics", NULL },
		/* In the automation module (crm-automation). */
		{ "automation.rules", "admin_automation", "/automation" },
		{ "automation.webhooks", "admin_webhooks", "/automation/webhooks" },
		{ "automation.mail", "admin_mailboxes", "/automation/mailboxes" },
	};
	const char *admin = NULL;
	size_t i;

	for (i = 0; i < CRM_NELEM(pages); i++) {
		int can = u != NULL && crm_auth_can(u, pages[i].perm);

		json_object_set_new_nocheck(nav, pages[i].key, json_boolean(can));
		if (can && admin == NULL)
			admin = pages[i].url;
	}
	json_object_set_new_nocheck(nav, "admin", admin ? json_string_nocheck(admin) : json_false());
}

/* The product's name and version: the same on every page. Like the
 * language menus below, kept for the worker's life (made with malloc,
 * not in a request's arena) and shared by reference with every page,
 * which only reads it. */
static json_t *
chrome_app(void)
{
	static json_t *app;
	struct crm_arena *a;

	if (app == NULL) {
		a = crm_arena_json_current();
		crm_arena_json_use(NULL);
		app = json_object();
		json_object_set_new_nocheck(app, "name", json_string_nocheck("CRM"));
		json_object_set_new_nocheck(app, "version", json_string(CRM_VERSION));
		crm_arena_json_use(a);
	}
	return json_incref(app);
}

/* The language menu, which changes only with the page's language: one
 * per language the module serves, else made afresh. */
static json_t *
chrome_languages(const struct crm_ctx *c, const char *lang)
{
	static json_t *menus[CRM_MAX_LANGS];
	struct crm_arena *a = NULL;
	size_t i, at = CRM_MAX_LANGS;
	json_t *langs;

	for (i = 0; i < c->w->nlangs && i < CRM_MAX_LANGS; i++)
		if (strcmp(c->w->langs[i], lang) == 0)
			at = i;
	if (at < CRM_MAX_LANGS && menus[at] != NULL)
		return json_incref(menus[at]);
	if (at < CRM_MAX_LANGS) {
		a = crm_arena_json_current();
		crm_arena_json_use(NULL);
	}
	langs = json_array();
	for (i = 0; i < c->w->nlangs; i++) {
		const char *code = c->w->langs[i];

		json_array_append_new(langs, json_pack("{s:s,s:s,s:s,s:b}", "code", code,
		    "tag", crm_i18n_tag(c->w->i18n, code),
		    "name", strcmp(code, "zh_CN") == 0 ? "简体中文" : strcmp(code, "en") == 0 ?
		    "English" : code, "current", strcmp(code, lang) == 0));
	}
	if (at < CRM_MAX_LANGS) {
		json_t *item;

		menus[at] = json_incref(langs);
		/* Each entry's button is copied from the page before. */
		json_array_foreach(langs, i, item)
			crm_kept_add(item);
		crm_arena_json_use(a);
	}
	return langs;
}

/* The main menu: the areas and admin pages the user reaches (each true
 * or false, so that a name the menu asks is never looked for in the
 * page's own view) and which area the page is in (here_<area>). The same
 * for every page of a role in an area: kept for the worker's life, one
 * for each permissions list and area, NAV_KEPT at most (then made afresh
 * each time), and known to the template layer (crm_kept.h), which copies
 * the menu it rendered before instead of rendering it again. */
#define NAV_KEPT 24
static json_t *
chrome_nav(const struct crm_identity *u, const char *here)
{
	static const char *const areas[][2] = {
		{ "customers", "customers.read" }, { "sales", "sales.read" }, { "service", "service.read" },
		{ "marketing", "marketing.read" }, { "reports", "reports.read" },
	};
	static const char *const heres[] = { "home", "customers", "sales", "service", "marketing",
		"reports", "admin", "health" };
	static struct {
		char *permissions;
		const char *here;
		json_t *nav;
	} kept[NAV_KEPT];
	const char *perms = u != NULL && u->permissions ? u->permissions : "";
	struct crm_arena *a = NULL;
	size_t i, slot = NAV_KEPT;
	const char *at = NULL;
	json_t *nav;

	for (i = 0; here != NULL && i < CRM_NELEM(heres); i++)
		if (strcmp(here, heres[i]) == 0)
			at = heres[i];
	for (i = 0; i < NAV_KEPT && kept[i].nav != NULL; i++)
		if (kept[i].here == at && strcmp(kept[i].permissions, perms) == 0)
			return json_incref(kept[i].nav);
	if (i < NAV_KEPT) {
		slot = i;
		a = crm_arena_json_current();
		crm_arena_json_use(NULL);
	}
	nav = json_object();
	for (i = 0; i < CRM_NELEM(areas); i++)
		json_object_set_new_nocheck(nav, areas[i][0], json_boolean(u != NULL &&
		    crm_auth_can(u, areas[i][1])));
	admin_pages(u, nav);
	for (i = 0; i < CRM_NELEM(heres); i++) {
		char key[32];

		snprintf(key, sizeof(key), "here_%s", heres[i]);
		json_object_set_new_nocheck(nav, key, json_boolean(heres[i] == at));
	}
	if (slot < NAV_KEPT) {
		kept[slot].permissions = crm_xstrdup(perms);
		kept[slot].here = at;
		kept[slot].nav = json_incref(nav);
		crm_kept_add(nav);
		crm_arena_json_use(a);
	}
	return nav;
}

void
crm_ctx_nav_here(struct crm_ctx *c, const char *area)
{
	c->nav_here = area;
}

/* What every page's layout needs: the product, the page, the user and
 * what they may reach, and the token for its forms. Keys are this
 * file's own ASCII, so they skip jansson's UTF-8 check. */
static void
add_page_chrome(struct crm_ctx *c)
{
	json_t *page = json_object();
	const char *lang = c->lang ? c->lang : "en";
	struct crm_identity *u = c->user;

	/* The module's name, the request id, the token and the language
	 * code are ASCII of our own making, and the user's strings come
	 * from the database as UTF-8: no check. The path may be anything. */
	json_object_set_new_nocheck(page, "module", json_string_nocheck(c->w->module->name));
	json_object_set_new_nocheck(page, "path", json_string(c->path ? c->path : "/"));
	json_object_set_new_nocheck(page, "request_id", json_string_nocheck(c->request_id));
	json_object_set_new_nocheck(page, "csrf_token", json_string_nocheck(crm_auth_form_token(c)));
	json_object_set_new_nocheck(page, "lang", json_string_nocheck(lang));
	if (u != NULL && u->second_factor_ok) {
		json_t *user = json_object();

		json_object_set_new_nocheck(user, "name", json_string_nocheck(u->name));
		json_object_set_new_nocheck(user, "email", json_string_nocheck(u->email));
		json_object_set_new_nocheck(user, "role", json_string_nocheck(u->role));
		json_object_set_new_nocheck(user, "unread", json_integer((json_int_t)u->notify_unread));
		json_object_set_new_nocheck(user, "notify_version", json_integer((json_int_t)u->notify_version));
		json_object_set_new_nocheck(page, "user", user);
	}
	json_object_set_new_nocheck(page, "nav", chrome_nav(u != NULL && u->second_factor_ok ? u : NULL,
	    c->nav_here));
	json_object_set_new_nocheck(page, "lang_tag", json_string(crm_i18n_tag(c->w->i18n, lang)));
	json_object_set_new_nocheck(page, "languages", chrome_languages(c, lang));
	json_object_set_new_nocheck(c->view, "app", chrome_app());
	json_object_set_new_nocheck(c->view, "page", page);
}

static void
put_number(struct crm_buf *b, long long v)
{
	char num[24];

	crm_buf_add(b, num, crm_num_i64(num, v));
}

static void
header_line(struct crm_buf *b, const char *name, const char *value)
{
	crm_buf_puts(b, name);
	crm_buf_puts(b, value);
	crm_buf_puts(b, "\r\n");
}

/* Writes the head and the body in one go. */
static void
respond(struct crm_ctx *c, const struct crm_io *io, const char *ctype,
    const char *body, size_t len)
{
	struct crm_buf out;

	/* The head only: the body goes out from where it was made, not
	 * copied behind the head (a board page is 120 KB). It is put
	 * together piece by piece: printf's parsing of its formats was a
	 * twentieth of a small page's own work. */
	crm_buf_init(&out, c->arena, 1024);
	crm_buf_puts(&out, "Status: ");
	put_number(&out, c->status);
	crm_buf_putc(&out, ' ');
	crm_buf_puts(&out, crm_http_reason(c->status));
	crm_buf_puts(&out, "\r\n");
	if (c->location)
		header_line(&out, "Location: ", c->location);
	if (ctype)
		header_line(&out, "Content-Type: ", ctype);
	crm_buf_puts(&out, security_headers);
	crm_buf_puts(&out, "Cache-Control: no-store\r\n");
	header_line(&out, "X-Request-Id: ", c->request_id);
	header_line(&out, "Content-Language: ", crm_i18n_tag(c->w->i18n, c->lang ? c->lang : "en"));
	crm_buf_puts(&out, "Vary: Accept-Language, Cookie\r\n");
	crm_buf_add(&out, c->headers.data, c->headers.len);
	if (body != NULL) {
		crm_buf_puts(&out, "Content-Length: ");
		put_number(&out, (long long)len);
		crm_buf_puts(&out, "\r\n\r\n");
	} else {
		crm_buf_puts(&out, "\r\n");
	}
	io->write(io->arg, out.data, out.len);
	if (body != NULL && len > 0 && strcmp(c->method, "HEAD") != 0)
		io->write(io->arg, body, len);
}

void
crm_ctx_done_flash(struct crm_ctx *c, const struct crm_done *table, size_t n)
{
	const char *code = crm_ctx_query(c, "done");
	size_t i;

	for (i = 0; code && i < n; i++)
		if (strcmp(code, table[i].code) == 0)
			json_object_set_new(c->view, "flash", json_pack("{s:s,s:s}", "kind", "ok",
			    "message", crm_ctx_text(c, table[i].message)));
}

void
crm_ctx_stream_start(struct crm_ctx *c, const char *content_type)
{
	c->status = 200;
	c->streamed = 1;
	respond(c, c->io, content_type, NULL, 0);
}

void
crm_ctx_stream_write(struct crm_ctx *c, const void *data, size_t len)
{
	if (len > 0 && strcmp(c->method, "HEAD") != 0)
		c->io->write(c->io->arg, data, len);
}

/* The compiled templates of the request's language. */
static const struct crm_tmpl_set *
templates(struct crm_ctx *c)
{
	size_t i;

	for (i = 0; c->lang && i < c->w->nlangs; i++)
		if (strcmp(c->w->langs[i], c->lang) == 0)
			return c->w->tmpl_lang[i];
	return c->w->tmpl;
}

static void
respond_error(struct crm_ctx *c, const struct crm_io *io, int status)
{
	const char *msg = crm_ctx_text(c, c->error_message ? c->error_message :
	    default_message(status));
	struct crm_buf b;

	c->status = status;
	crm_buf_init(&b, c->arena, 1024);
	if (c->api) {
		json_t *err = json_pack("{s:{s:i,s:s,s:s}}", "error", "status", status,
		    "message", msg, "request_id", c->request_id);
		char *s = json_dumps(err, JSON_COMPACT);

		respond(c, io, "application/json", s, strlen(s));
		return;
	}
	c->view = json_object();
	json_object_set_new(c->view, "status", json_integer(status));
	json_object_set_new(c->view, "title", json_string(crm_ctx_text(c, crm_http_reason(status))));
	json_object_set_new(c->view, "message", json_string(msg));
	add_page_chrome(c);
	if (crm_tmpl_render(templates(c), "error", c->view, &b) != CRM_OK) {
		/* Even without templates the user gets a readable page. */
		crm_buf_clear(&b);
		crm_buf_printf(&b, "<!DOCTYPE html><title>%d %s</title><h1>%d %s</h1><p>",
		    status, crm_http_reason(status), status, crm_http_reason(status));
		crm_escape_html(&b, msg, strlen(msg));
		crm_buf_puts(&b, "</p>");
	}
	respond(c, io, "text/html; charset=utf-8", b.data, b.len);
}

/* How large this route's answer was last time in this worker, so that the
 * next starts with room for it: a board page (about 120 KB) grew its
 * buffer four times from 8 KB, copying the page so far each time. A slot
 * a route and kind of answer, by where the route is in its table. */
#define SIZE_HINTS 128
static struct size_hint {
	const struct crm_route *route;
	int api;
	size_t size;
} size_hints[SIZE_HINTS];

static struct size_hint *
size_hint(const struct crm_ctx *c)
{
	return &size_hints[(((uintptr_t)c->route / sizeof(*c->route)) * 2 + (c->api != 0)) %
	    SIZE_HINTS];
}

static size_t
answer_room(const struct crm_ctx *c)
{
	const struct size_hint *h = size_hint(c);

	if (h->route == c->route && h->api == (c->api != 0) && h->size > 8192)
		return h->size + h->size / 8;
	return 8192;
}

static void
answered(const struct crm_ctx *c, size_t size)
{
	struct size_hint *h = size_hint(c);

	h->route = c->route;
	h->api = c->api != 0;
	h->size = size < 4u << 20 ? size : 4u << 20;
}

static void
respond_ok(struct crm_ctx *c, const struct crm_io *io)
{
	struct crm_buf b;
	const char *tmpl = c->template ? c->template : c->route->template;
	enum crm_err e;

	if (c->location) {
		respond(c, io, NULL, "", 0);
		return;
	}
	if (c->raw.len > 0 || c->content_type != NULL) {
		respond(c, io, c->content_type, c->raw.data, c->raw.len);
		return;
	}
	if (c->view == NULL)
		c->view = json_object();
	if (c->api || tmpl == NULL) {
		crm_buf_init(&b, c->arena, answer_room(c));
		crm_json_write(&b, c->view);
		answered(c, b.len);
		respond(c, io, "application/json", b.data, b.len);
		return;
	}
	add_page_chrome(c);
	crm_buf_init(&b, c->arena, answer_room(c));
	if ((e = crm_tmpl_render(templates(c), tmpl, c->view, &b)) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "template %s: %s", tmpl, crm_err_str(e));
		respond_error(c, io, 500);
		return;
	}
	answered(c, b.len);
	respond(c, io, "text/html; charset=utf-8", b.data, b.len);
}

static void
make_request_id(struct crm_ctx *c, const struct crm_io *io)
{
	const char *id = env(io, "REQUEST_ID");
	unsigned char r[8];
	char hex[17];

	if (id != NULL && *id && strlen(id) <= 64 && strspn(id,
	    "0123456789abcdefABCDEF-") == strlen(id)) {
		c->request_id = id;
		return;
	}
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));
	sodium_bin2hex(hex, sizeof(hex), r, sizeof(r));
	c->request_id = crm_arena_strdup(c->arena, hex);
}

/* The language to answer in: the signed-in user's own choice, else the
 * language cookie (the footer's picker), else the browser's. */
static const char *
choose_lang(struct crm_ctx *c)
{
	const char *want[2] = { c->user ? c->user->language : NULL,
	    crm_params_get(&c->cookies, "crm_lang") };
	size_t i, k;

	for (k = 0; k < CRM_NELEM(want); k++)
		for (i = 0; want[k] && i < c->w->nlangs; i++)
			if (strcmp(want[k], c->w->langs[i]) == 0)
				return c->w->langs[i];
	return crm_i18n_negotiate(c->w->i18n, c->accept_language);
}

/* Runs the checks and the handler; returns the status, with the response
 * described in c. Anything 400 and above is rendered by respond_error. */
static int
dispatch(struct crm_ctx *c, const struct crm_io *io)
{
	const struct crm_module *m = c->w->module;
	struct crm_req_limits lim, head;
	const char *qs, *cookie, *path;
	char *allow = NULL;
	int unsupported = 0;
	enum crm_err e;
	int disk = 0;

	if ((e = request_path(c, io, &path)) != CRM_OK)
		return crm_ctx_fail(c, 400, N_("The address is not valid."));
	if (strncmp(path, API_PREFIX "/", sizeof(API_PREFIX)) == 0) {
		c->api = 1;
		path += sizeof(API_PREFIX) - 1;
	}
	c->path = path;
	if (!crm_route_known_method(c->method))
		return 405;

	/* A query string or a cookie header takes at most HEAD_MAX_FIELDS;
	 * max_fields is for bodies, where the quota grid needs thousands. */
	limits_of(c->w->conf, &lim);
	head = lim;
	if (head.max_fields > HEAD_MAX_FIELDS)
		head.max_fields = HEAD_MAX_FIELDS;
	qs = env(io, "QUERY_STRING");
	if (qs && (e = crm_parse_urlencoded(c->arena, qs, strlen(qs), &head, &c->query)) != CRM_OK)
		return crm_ctx_fail(c, status_of(e), N_("The query string is not valid."));
	cookie = env(io, "HTTP_COOKIE");
	if (cookie && (e = crm_parse_cookies(c->arena, cookie, strlen(cookie), &head, &c->cookies)) != CRM_OK)
		return crm_ctx_fail(c, status_of(e), N_("A cookie is not valid."));
	c->lang = choose_lang(c);

	switch (crm_route_match(m->routes, m->nroutes, c->method, path, c->arena,
	    &c->path_params, &c->route, &allow)) {
	case CRM_ROUTE_FOUND:
		break;
	case CRM_ROUTE_NO_METHOD:
		crm_ctx_header(c, "Allow", allow);
		return 405;
	default:
		return 404;
	}
	/* Who is asking. With the database down a public page still works,
	 * signed out; anything else cannot be decided and says so. */
	if ((e = crm_auth_identify(c)) != CRM_OK) {
		c->user = NULL;
		if (strcmp(c->route->perm, CRM_PERM_PUBLIC) != 0)
			return crm_ctx_fail(c, 503, N_("The database cannot be reached. Try again in a minute."));
	}
	c->lang = choose_lang(c);
	{
		int st = authorize(c, io);

		if (st != 0)
			return st;
	}
	/* The body is read only for a known route the user may use, so a
	 * stranger cannot make us spool an upload. */
	if ((e = read_body(c, io, &lim, &disk, &unsupported)) != CRM_OK) {
		if (disk) {
			crm_log(CRM_LOG_ERROR, "cannot write an upload into %s: %s", lim.tmpdir, strerror(errno));
			return crm_ctx_fail(c, 507, N_("The server has no room to receive this file just now. "
			    "Try again later, or tell your administrator."));
		}
		if (unsupported)
			return 415;
		if (e == CRM_EIO)
			return crm_ctx_fail(c, 400, N_("The request body could not be read."));
		return crm_ctx_fail(c, status_of(e), e == CRM_ETOOBIG ?
		    N_("The request is larger than this server accepts.") :
		    N_("The request body is not valid."));
	}
	if (crm_route_changes_state(c->method) && strcmp(c->route->perm, CRM_PERM_CROSS_SITE) != 0 &&
	    !csrf_ok(c, io))
		return crm_ctx_fail(c, 403,
		    N_("The form has expired or did not come from this site. Reload the page and try again."));
	c->view = json_object();
	return c->route->handler(c);
}

int
crm_http_serve(struct crm_worker *w, const struct crm_io *io)
{
	struct crm_ctx ctx;
	long long t0 = now_usec();
	const char *https;
	unsigned long losses;
	size_t bytes;

	memset(&ctx, 0, sizeof(ctx));
	ctx.w = w;
	ctx.arena = w->arena;
	ctx.db = w->db;
	crm_arena_json_use(w->arena);
	/* Nothing the worker keeps counts until this request's identity says
	 * which version of it is current. */
	crm_confcache_request(0);
	crm_buf_init(&ctx.headers, ctx.arena, 256);
	crm_buf_init(&ctx.raw, ctx.arena, 64);
	ctx.method = env(io, "REQUEST_METHOD");
	if (ctx.method == NULL)
		ctx.method = "GET";
	ctx.remote_addr = env(io, "REMOTE_ADDR");
	ctx.authorization = env(io, "HTTP_AUTHORIZATION");
	ctx.user_agent = env(io, "HTTP_USER_AGENT");
	ctx.accept_language = env(io, "HTTP_ACCEPT_LANGUAGE");
	https = env(io, "HTTPS");
	ctx.https = https && strcasecmp(https, "on") == 0;
	make_request_id(&ctx, io);
	ctx.lang = crm_i18n_negotiate(w->i18n, ctx.accept_language);
	crm_log_request_id(ctx.request_id);

	ctx.io = io;
	losses = crm_db_losses(w->db);
	ctx.status = dispatch(&ctx, io);
	/* The database went away in the middle of the request: whatever the
	 * handler made of it (most answer 500), the truth is a 503 that says
	 * to try again, and the next request reconnects. */
	if (!ctx.streamed && ctx.status == 500 && crm_db_losses(w->db) != losses) {
		ctx.status = 503;
		ctx.status_with_view = 0;
		ctx.error_message = N_("The database cannot be reached. Try again in a minute.");
	}
	if (ctx.status == 503)
		crm_ctx_header(&ctx, "Retry-After", "5");
	if (ctx.streamed)
		;
	else if (ctx.status >= 400 && !ctx.status_with_view)
		respond_error(&ctx, io, ctx.status);
	else
		respond_ok(&ctx, io);

	bytes = crm_arena_used(ctx.arena);
	if (w->conf->log_requests)
		crm_log_access(ctx.method, ctx.path ? ctx.path : "-", ctx.status,
		    (long)(now_usec() - t0), bytes);
	crm_log_request_id(NULL);
	w->served++;
	crm_arena_json_use(NULL);
	crm_arena_reset(w->arena);
	return ctx.status;
}
