/* The DAV tree: what a path names, and the methods over it. Every path
 * holds the user's id, and only the user's own is found: another user's
 * calendar is 404, as if it did not exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_escape.h"
#include "crm_valid.h"
#include "extern.h"

#define SYNC_PREFIX "urn:crm:sync:"

/* Splits "/dav/<area>/<user>/<collection>/<name>" and checks each part. */
int
dav_target_of(struct crm_ctx *c, struct dav_target *t)
{
	char *parts[6], *p = crm_arena_strdup(c->arena, c->path), *s;
	size_t n = 0;
	long long uid = 0;

	memset(t, 0, sizeof(*t));
	for (s = strtok(p, "/"); s && n < CRM_NELEM(parts); s = strtok(NULL, "/"))
		parts[n++] = s;
	if (n == 0 || strcmp(parts[0], "dav") != 0 || s != NULL)
		return 404;
	if (n == 1) {
		t->kind = DAV_ROOT;
		return 0;
	}
	if (n < 3 || !crm_valid_id(parts[2], &uid) || uid != c->user->user_id)
		return 404;
	if (strcmp(parts[1], "principals") == 0 && n == 3) {
		t->kind = DAV_PRINCIPAL;
		return 0;
	}
	if (strcmp(parts[1], "calendars") == 0) {
		if (n == 3) {
			t->kind = DAV_CAL_HOME;
			return 0;
		}
		if (strcmp(parts[3], "events") != 0 && strcmp(parts[3], "tasks") != 0)
			return 404;
		t->todo = strcmp(parts[3], "tasks") == 0;
		t->kind = n == 4 ? DAV_CALENDAR : DAV_CAL_OBJECT;
		t->name = n == 5 ? parts[4] : NULL;
		return n <= 5 ? 0 : 404;
	}
	if (strcmp(parts[1], "addressbooks") == 0) {
		if (n == 3) {
			t->kind = DAV_BOOK_HOME;
			return 0;
		}
		if (strcmp(parts[3], "contacts") != 0)
			return 404;
		t->kind = n == 4 ? DAV_BOOK : DAV_CARD;
		t->name = n == 5 ? parts[4] : NULL;
		return n <= 5 ? 0 : 404;
	}
	return 404;
}

/* A resource name as a path segment: percent-encoded, '/' included. */
static const char *
segment(struct crm_ctx *c, const char *name)
{
	struct crm_buf b;

	if (name == NULL)
		return "";
	crm_buf_init(&b, c->arena, strlen(name) * 3 + 1);
	crm_escape_url_arg(&b, name, strlen(name));
	return b.data;
}

const char *
dav_href(struct crm_ctx *c, enum dav_kind kind, int todo, const char *name)
{
	long long u = c->user ? c->user->user_id : 0;

	name = segment(c, name);
	switch (kind) {
	case DAV_ROOT: return "/dav/";
	case DAV_PRINCIPAL: return crm_arena_printf(c->arena, "/dav/principals/%lld/", u);
	case DAV_CAL_HOME: return crm_arena_printf(c->arena, "/dav/calendars/%lld/", u);
	case DAV_CALENDAR:
	case DAV_CAL_OBJECT:
		return crm_arena_printf(c->arena, "/dav/calendars/%lld/%s/%s", u,
		    todo ? "tasks" : "events", name);
	case DAV_BOOK_HOME: return crm_arena_printf(c->arena, "/dav/addressbooks/%lld/", u);
	default:
		return crm_arena_printf(c->arena, "/dav/addressbooks/%lld/contacts/%s", u, name);
	}
}

const char *
dav_sync_token(struct crm_ctx *c, long long version)
{
	return crm_arena_printf(c->arena, SYNC_PREFIX "%lld", version);
}

/* The version a token stands for; -1 when it is not one of ours. */
long long
dav_sync_version(const char *token)
{
	char *end;
	long long v;

	if (token == NULL || *token == '\0')
		return 0;
	if (strncmp(token, SYNC_PREFIX, sizeof(SYNC_PREFIX) - 1) != 0)
		return -1;
	token += sizeof(SYNC_PREFIX) - 1;
	if (*token < '0' || *token > '9')
		return -1;
	v = strtoll(token, &end, 10);
	return *end == '\0' && v >= 0 ? v : -1;
}

static void
dav_headers(struct crm_ctx *c)
{
	crm_ctx_header(c, "DAV", "1, 3, calendar-access, addressbook");
	crm_ctx_header(c, "Allow", "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT");
}

int
dav_options(struct crm_ctx *c)
{
	dav_headers(c);
	c->content_type = "text/plain; charset=utf-8";
	return 200;
}

/* The collection's own version, for getctag and sync-token; the settled
 * version is looked up once per request, when first needed. */
static long long
ctag_of(struct crm_ctx *c, enum dav_kind kind, long long *settled)
{
	if (kind != DAV_CALENDAR && kind != DAV_BOOK)
		return 0;
	if (*settled < 0)
		*settled = dav_settled(c);
	return kind == DAV_CALENDAR ? caldav_ctag(c, *settled) : carddav_ctag(c, *settled);
}

int
dav_propfind(struct crm_ctx *c)
{
	struct dav_target t;
	struct dav_query q;
	struct dav_res r;
	json_t *row = NULL;
	long long settled = -1;
	int st;

	if ((st = dav_target_of(c, &t)) != 0)
		return st;
	if ((st = dav_query_read(c, &q)) != 0)
		return st == 501 ? dav_error(c, 403, DAV_NS, "propfind-finite-depth") : st;
	if (q.depth == 2 && t.kind != DAV_CAL_OBJECT && t.kind != DAV_CARD)
		return dav_error(c, 403, DAV_NS, "propfind-finite-depth");
	if (t.kind == DAV_CAL_OBJECT && (row = caldav_find(c, t.todo, t.name, &st)) == NULL)
		return st;
	if (t.kind == DAV_CARD && (row = carddav_find(c, t.name, &st)) == NULL)
		return st;
	dav_headers(c);
	dav_ms_begin(&c->raw);
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.kind = t.kind;
	r.todo = t.todo;
	r.row = row;
	r.href = dav_href(c, t.kind, t.todo, row ? (t.kind == DAV_CARD ? carddav_name(c, row) :
	    caldav_name(c, row)) : NULL);
	if (t.kind == DAV_CALENDAR || t.kind == DAV_BOOK)
		r.ctag = ctag_of(c, t.kind, &settled);
	dav_ms_response(&c->raw, &q, &r);
	if (q.depth >= 1) {
		struct dav_res k = r;

		switch (t.kind) {
		case DAV_ROOT:
			k.kind = DAV_PRINCIPAL;
			k.href = dav_href(c, DAV_PRINCIPAL, 0, NULL);
			dav_ms_response(&c->raw, &q, &k);
			break;
		case DAV_CAL_HOME:
			for (k.todo = 0; k.todo <= 1; k.todo++) {
				k.kind = DAV_CALENDAR;
				k.href = dav_href(c, DAV_CALENDAR, k.todo, NULL);
				k.ctag = ctag_of(c, DAV_CALENDAR, &settled);
				dav_ms_response(&c->raw, &q, &k);
			}
			break;
		case DAV_BOOK_HOME:
			k.kind = DAV_BOOK;
			k.href = dav_href(c, DAV_BOOK, 0, NULL);
			k.ctag = ctag_of(c, DAV_BOOK, &settled);
			dav_ms_response(&c->raw, &q, &k);
			break;
		case DAV_CALENDAR:
			if ((st = caldav_members(c, t.todo, &q, &c->raw)) != 0)
				return st;
			break;
		case DAV_BOOK:
			if ((st = carddav_members(c, &q, &c->raw)) != 0)
				return st;
			break;
		default:
			break;
		}
	}
	dav_ms_end(&c->raw, NULL);
	return dav_multistatus(c);
}

int
dav_report(struct crm_ctx *c)
{
	struct dav_target t;
	struct dav_query q;
	int st;

	if ((st = dav_target_of(c, &t)) != 0)
		return st;
	if ((st = dav_query_read(c, &q)) != 0 || q.report == NULL)
		return st == 0 || st == 501 ? dav_error(c, 403, DAV_NS, "supported-report") : st;
	dav_ms_begin(&c->raw);
	if (strcmp(q.report, "sync-collection") == 0) {
		if (dav_sync_version(q.sync_token) < 0)
			return dav_error(c, 403, DAV_NS, "valid-sync-token");
		st = t.kind == DAV_CALENDAR ? caldav_sync(c, t.todo, &q, &c->raw) :
		    t.kind == DAV_BOOK ? carddav_sync(c, &q, &c->raw) :
		    dav_error(c, 403, DAV_NS, "supported-report");
		return st;
	}
	if (t.kind == DAV_CALENDAR && strcmp(q.report, "calendar-query") == 0) {
		/* A filter on the other component matches nothing here. */
		if (q.comp_todo >= 0 && q.comp_todo != t.todo)
			st = 0;
		else
			st = caldav_members(c, t.todo, &q, &c->raw);
	} else if (t.kind == DAV_CALENDAR && strcmp(q.report, "calendar-multiget") == 0)
		st = caldav_multiget(c, t.todo, &q, &c->raw);
	else if (t.kind == DAV_BOOK && strcmp(q.report, "addressbook-query") == 0)
		st = carddav_members(c, &q, &c->raw);
	else if (t.kind == DAV_BOOK && strcmp(q.report, "addressbook-multiget") == 0)
		st = carddav_multiget(c, &q, &c->raw);
	else
		return dav_error(c, 403, DAV_NS, "supported-report");
	if (st != 0)
		return st;
	dav_ms_end(&c->raw, NULL);
	return dav_multistatus(c);
}

int
dav_get(struct crm_ctx *c)
{
	struct dav_target t;
	json_t *row;
	int st;

	if ((st = dav_target_of(c, &t)) != 0)
		return st;
	if (t.kind == DAV_CAL_OBJECT) {
		if ((row = caldav_find(c, t.todo, t.name, &st)) == NULL)
			return st;
		crm_buf_puts(&c->raw, caldav_data(c, row));
		crm_ctx_header(c, "ETag", caldav_etag(c, row));
		c->content_type = "text/calendar; charset=utf-8";
		return 200;
	}
	if (t.kind == DAV_CARD) {
		if ((row = carddav_find(c, t.name, &st)) == NULL)
			return st;
		crm_buf_puts(&c->raw, carddav_data(c, row));
		crm_ctx_header(c, "ETag", carddav_etag(c, row));
		c->content_type = "text/vcard; charset=utf-8";
		return 200;
	}
	return 405;
}

int
dav_put(struct crm_ctx *c)
{
	struct dav_target t;
	int st;

	if ((st = dav_target_of(c, &t)) != 0)
		return st;
	if (t.kind == DAV_CAL_OBJECT)
		return caldav_put(c, &t);
	if (t.kind == DAV_CARD)
		return carddav_put(c, &t);
	return 405;
}

int
dav_delete(struct crm_ctx *c)
{
	struct dav_target t;
	int st;

	if ((st = dav_target_of(c, &t)) != 0)
		return st;
	if (t.kind == DAV_CAL_OBJECT)
		return caldav_delete(c, &t);
	if (t.kind == DAV_CARD)
		return carddav_delete(c, &t);
	return 405;
}

/* Our own names carry the id ("activity-<id>.ics"); any other was a
 * client's. */
long long
dav_id_of_name(const char *name, const char *prefix, const char *suffix)
{
	size_t np = strlen(prefix), ns = strlen(suffix), n = name ? strlen(name) : 0, i;
	long long id = 0;

	if (n <= np + ns || n - np - ns > 18 || strncmp(name, prefix, np) != 0 ||
	    strcmp(name + n - ns, suffix) != 0 || name[np] == '0')
		return 0;
	for (i = np; i < n - ns; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		id = id * 10 + (name[i] - '0');
	}
	return id;
}

const char *
dav_member_name(const char *href, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(href, prefix, n) != 0 || href[n] == '\0' || strchr(href + n, '/'))
		return NULL;
	return href + n;
}

void
dav_multiget_keys(const struct dav_query *q, const char *prefix,
    long long (*id_of)(const char *), const char **ids, const char **names)
{
	json_t *i = json_array(), *n = json_array();
	size_t k;

	for (k = 0; k < q->nhrefs; k++) {
		const char *name = dav_member_name(q->hrefs[k], prefix);
		long long id;

		if (name == NULL)
			continue;
		if ((id = id_of(name)) > 0)
			json_array_append_new(i, json_integer(id));
		else
			json_array_append_new(n, json_string(name));
	}
	*ids = json_dumps(i, JSON_COMPACT);
	*names = json_dumps(n, JSON_COMPACT);
}

/* RFC 7232 3.1 and 3.2, for one resource: "*" or a list of ETags. */
static int
etag_listed(const char *header, const char *etag)
{
	const char *p = header;
	size_t n = strlen(etag);

	if (strcmp(header, "*") == 0)
		return 1;
	while ((p = strstr(p, etag)) != NULL) {
		if ((p == header || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

int
dav_preconditions(struct crm_ctx *c, const char *etag)
{
	const char *match = crm_ctx_env(c, "HTTP_IF_MATCH");
	const char *none = crm_ctx_env(c, "HTTP_IF_NONE_MATCH");

	if (match != NULL && (etag == NULL || !etag_listed(match, etag)))
		return 412;
	if (none != NULL && etag != NULL && etag_listed(none, etag))
		return 412;
	return 0;
}
