/* CalDAV: the user's meetings and calls (events) and tasks, from the
 * activities they are assigned. A resource is named after its activity
 * ("activity-<id>.ics") unless a client created it under a name of its
 * own, which is kept with the client's UID. Deleting moves the activity
 * to the trash, as the CRM does. */
#include <stdio.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_dav.h"
#include "crm_ical.h"
#include "crm_valid.h"
#include "extern.h"

static const char *
str(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));

	return s ? s : "";
}

static long long
num(json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

const char *
caldav_name(struct crm_ctx *c, json_t *row)
{
	if (*str(row, "dav_name"))
		return str(row, "dav_name");
	return crm_arena_printf(c->arena, "activity-%lld.ics", num(row, "id"));
}

const char *
caldav_etag(struct crm_ctx *c, json_t *row)
{
	return crm_arena_printf(c->arena, "\"%lld-%lld\"", num(row, "id"), num(row, "dav_version"));
}

const char *
caldav_data(struct crm_ctx *c, json_t *row)
{
	struct crm_ical_item it;
	struct crm_buf b;

	crm_buf_init(&b, c->arena, 1024);
	memset(&it, 0, sizeof(it));
	it.uid = *str(row, "dav_uid") ? str(row, "dav_uid") :
	    crm_arena_printf(c->arena, "activity-%lld@crm", num(row, "id"));
	it.summary = str(row, "subject");
	it.description = str(row, "body");
	it.location = str(row, "location");
	it.stamp = str(row, "updated_at");
	crm_dav_ical_begin(&b);
	if (strcmp(str(row, "kind"), "task") == 0) {
		it.due = str(row, "at");
		it.done = *str(row, "done_at") != '\0';
		crm_ical_todo(&b, &it);
	} else {
		it.start = str(row, "at");
		it.end = str(row, "ends_at");
		it.rrule = str(row, "dav_rrule");
		it.exdate = str(row, "dav_exdate");
		it.zone = str(row, "dav_zone");
		crm_ical_event(&b, &it);
	}
	crm_ical_end(&b);
	return b.data;
}

/* The calendar's last settled version: a late commit below the last one
 * a client saw still moves it. */
long long
caldav_ctag(struct crm_ctx *c, long long settled)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], c->user->user_id);
	crm_db_bind_i64(&b[1], settled);
	if (settled < 0 || crm_db_row(c->db, STMT_CAL_CTAG, b, 2, &row) != CRM_OK)
		return 0;
	return num(row, "v");
}

static void
bind_kind(struct crm_db_bind *b, int todo)
{
	crm_db_bind_i64(&b[0], todo);
	crm_db_bind_i64(&b[1], todo);
}

static long long
id_of_name(const char *name)
{
	return dav_id_of_name(name, "activity-", ".ics");
}

json_t *
caldav_find(struct crm_ctx *c, int todo, const char *name, int *status)
{
	struct crm_db_bind b[4];
	long long id = id_of_name(name);
	json_t *row = NULL;
	enum crm_err e;

	if (id > 0) {
		crm_db_bind_i64(&b[0], id);
		crm_db_bind_i64(&b[1], c->user->user_id);
		bind_kind(b + 2, todo);
		e = crm_db_row(c->db, STMT_CAL_BY_ID, b, 4, &row);
	} else {
		crm_db_bind_i64(&b[0], c->user->user_id);
		crm_db_bind_str(&b[1], name, (size_t)-1);
		bind_kind(b + 2, todo);
		e = crm_db_row(c->db, STMT_CAL_BY_NAME, b, 4, &row);
	}
	*status = e == CRM_ENOTFOUND ? 404 : 500;
	return e == CRM_OK ? row : NULL;
}

/* Each row as a <response>; with calendar-data when it was asked for. */
static void
respond_rows(struct crm_ctx *c, int todo, const struct dav_query *q, json_t *rows, struct crm_buf *out)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		struct dav_res r;

		if (i == DAV_LIST_MAX)
			break;
		memset(&r, 0, sizeof(r));
		r.c = c;
		r.kind = DAV_CAL_OBJECT;
		r.todo = todo;
		r.row = row;
		r.href = dav_href(c, DAV_CAL_OBJECT, todo, caldav_name(c, row));
		dav_ms_response(out, q, &r);
	}
	if (json_array_size(rows) > DAV_LIST_MAX)
		dav_ms_status(out, dav_href(c, DAV_CALENDAR, todo, NULL), 507);
}

int
caldav_members(struct crm_ctx *c, int todo, const struct dav_query *q, struct crm_buf *out)
{
	struct crm_db_bind b[5];
	json_t *rows = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], c->user->user_id);
	bind_kind(b + 1, todo);
	if (q->range_start[0] || q->range_end[0]) {
		crm_db_bind_str(&b[3], q->range_end[0] ? q->range_end : "9999-12-31 23:59:59", (size_t)-1);
		crm_db_bind_str(&b[4], q->range_start[0] ? q->range_start : "1000-01-01 00:00:00", (size_t)-1);
		e = crm_db_rows(c->db, STMT_CAL_RANGE, b, 5, &rows);
	} else
		e = crm_db_rows(c->db, STMT_CAL_LIST, b, 3, &rows);
	if (e != CRM_OK)
		return 500;
	respond_rows(c, todo, q, rows, out);
	return 0;
}

int
caldav_multiget(struct crm_ctx *c, int todo, const struct dav_query *q, struct crm_buf *out)
{
	const char *prefix = dav_href(c, DAV_CALENDAR, todo, NULL), *ids, *names;
	struct crm_db_bind b[5];
	json_t *rows = NULL, *row, *found = json_object();
	size_t i;

	dav_multiget_keys(q, prefix, id_of_name, &ids, &names);
	crm_db_bind_i64(&b[0], c->user->user_id);
	bind_kind(b + 1, todo);
	crm_db_bind_str(&b[3], ids, (size_t)-1);
	crm_db_bind_str(&b[4], names, (size_t)-1);
	if (crm_db_rows(c->db, STMT_CAL_MULTI, b, 5, &rows) != CRM_OK)
		return 500;
	respond_rows(c, todo, q, rows, out);
	json_array_foreach(rows, i, row)
		json_object_set_new(found, caldav_name(c, row), json_true());
	for (i = 0; i < q->nhrefs; i++) {
		const char *name = dav_member_name(q->hrefs[i], prefix);

		if (name == NULL || json_object_get(found, name) == NULL)
			dav_ms_status(out, name ? dav_href(c, DAV_CAL_OBJECT, todo, name) : q->hrefs[i], 404);
	}
	return 0;
}

int
caldav_sync(struct crm_ctx *c, int todo, const struct dav_query *q, struct crm_buf *out)
{
	long long since = dav_sync_version(q->sync_token), last = since, settled = dav_settled(c);
	struct crm_db_bind b[5];
	json_t *rows = NULL, *row;
	size_t i;

	if (settled < 0)
		return 500;
	crm_db_bind_i64(&b[0], c->user->user_id);
	bind_kind(b + 1, todo);
	crm_db_bind_i64(&b[3], since);
	crm_db_bind_i64(&b[4], settled);
	if (crm_db_rows(c->db, STMT_CAL_CHANGES, b, 5, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		struct dav_res r;

		if (i == DAV_SYNC_MAX)
			break;
		last = num(row, "dav_version");
		if (json_is_true(json_object_get(row, "gone"))) {
			/* A first sync is told only of what there is. */
			if (since > 0)
				dav_ms_status(out, dav_href(c, DAV_CAL_OBJECT, todo, caldav_name(c, row)), 404);
			continue;
		}
		memset(&r, 0, sizeof(r));
		r.c = c;
		r.kind = DAV_CAL_OBJECT;
		r.todo = todo;
		r.row = row;
		r.href = dav_href(c, DAV_CAL_OBJECT, todo, caldav_name(c, row));
		dav_ms_response(out, q, &r);
	}
	if (json_array_size(rows) > DAV_SYNC_MAX)
		dav_ms_status(out, dav_href(c, DAV_CALENDAR, todo, NULL), 507);
	else if (json_array_size(rows) == 0)
		last = since > 0 ? since : caldav_ctag(c, settled);
	dav_ms_end(out, dav_sync_token(c, last));
	return dav_multistatus(c);
}

struct write {
	struct crm_ctx *c;
	struct crm_dav_event ev;
	const char *name, *kind, *subject;
	const char *rrule;      /* an event's recurrence, NULL for none */
	json_t *before;
	long long id;
	int created;
};

/* location, rrule, exdate, zone: a recurrence only for an event (a
 * recurring task is kept as its first occurrence). */
static void
bind_recurrence(struct crm_db_bind *b, const struct write *w)
{
	crm_db_bind_str(&b[0], *w->ev.location ? w->ev.location : NULL, (size_t)-1);
	crm_db_bind_str(&b[1], w->rrule, (size_t)-1);
	crm_db_bind_str(&b[2], w->rrule && *w->ev.exdate ? w->ev.exdate : NULL, (size_t)-1);
	crm_db_bind_str(&b[3], w->rrule && *w->ev.zone ? w->ev.zone : NULL, (size_t)-1);
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct write *w = arg;
	struct crm_ctx *c = w->c;
	const char *at = w->ev.todo ? (w->ev.due[0] ? w->ev.due : w->ev.start) : w->ev.start;
	const char *ends = w->ev.todo || !w->ev.end[0] ? NULL : w->ev.end;
	struct crm_db_bind b[14];
	uint64_t id = 0;
	enum crm_err e;
	json_t *after = json_pack("{s:s,s:s,s:s,s:b,s:s}", "kind", w->kind, "subject", w->subject,
	    "at", at, "done", w->ev.completed, "via", "dav");

	json_object_set_new(after, "ends_at", ends ? json_string(ends) : json_null());
	if (*w->ev.location)
		json_object_set_new(after, "location", json_string(w->ev.location));
	if (w->rrule != NULL)
		json_object_set_new(after, "repeats", json_string(w->rrule));
	if (w->before == NULL) {
		crm_db_bind_str(&b[0], w->kind, (size_t)-1);
		crm_db_bind_str(&b[1], w->subject, (size_t)-1);
		crm_db_bind_str(&b[2], *w->ev.description ? w->ev.description : NULL, (size_t)-1);
		crm_db_bind_str(&b[3], at, (size_t)-1);
		crm_db_bind_str(&b[4], ends, (size_t)-1);
		crm_db_bind_i64(&b[5], c->user->user_id);
		crm_db_bind_i64(&b[6], c->user->user_id);
		crm_db_bind_i64(&b[7], w->ev.completed);
		crm_db_bind_str(&b[8], w->name, (size_t)-1);
		crm_db_bind_str(&b[9], w->ev.uid, (size_t)-1);
		bind_recurrence(b + 10, w);
		if ((e = crm_db_exec(db, STMT_CAL_INSERT, b, 14, NULL, &id)) != CRM_OK)
			return e;
		w->id = (long long)id;
		w->created = 1;
		return crm_ctx_audit(c, "create", "activity", w->id, NULL, after);
	}
	crm_db_bind_str(&b[0], w->subject, (size_t)-1);
	crm_db_bind_str(&b[1], *w->ev.description ? w->ev.description : NULL, (size_t)-1);
	crm_db_bind_str(&b[2], at, (size_t)-1);
	crm_db_bind_str(&b[3], ends, (size_t)-1);
	crm_db_bind_i64(&b[4], w->ev.completed);
	bind_recurrence(b + 5, w);
	crm_db_bind_i64(&b[9], w->id);
	crm_db_bind_i64(&b[10], c->user->user_id);
	if ((e = crm_db_exec(db, STMT_CAL_UPDATE, b, 11, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(c, "update", "activity", w->id, json_pack("{s:s,s:s,s:O,s:b}",
	    "subject", str(w->before, "subject"), "at", str(w->before, "at"),
	    "ends_at", json_object_get(w->before, "ends_at"),
	    "done", *str(w->before, "done_at") != '\0'), after);
}

static int
calendar_type(const char *t)
{
	return t != NULL && strcmp(t, "text/calendar") == 0;
}

int
caldav_put(struct crm_ctx *c, const struct dav_target *t)
{
	struct write w;
	json_t *row;
	int st;

	memset(&w, 0, sizeof(w));
	w.c = c;
	w.name = t->name;
	if (!calendar_type(c->body_type))
		return dav_error(c, 415, DAV_NS_CAL, "supported-calendar-data");
	if (strlen(t->name) > 200 || !crm_valid_text(t->name, 1, 200, 0))
		return dav_error(c, 400, DAV_NS, "valid-resource-name");
	if ((row = caldav_find(c, t->todo, t->name, &st)) == NULL && st != 404)
		return st;
	/* A name of our own form that is not a record this user reaches:
	 * out of scope, or gone; never a new item, or it would later be
	 * read as that record's id. */
	if (row == NULL && id_of_name(t->name) > 0)
		return 404;
	if ((st = dav_preconditions(c, row ? caldav_etag(c, row) : NULL)) != 0)
		return st;
	switch (crm_dav_parse_ical(c->arena, c->body.data, c->body.len, c->user->time_zone, &w.ev)) {
	case CRM_OK:
		break;
	case CRM_ETOOBIG:
		return dav_error(c, 413, DAV_NS_CAL, "max-resource-size");
	default:
		return dav_error(c, 400, DAV_NS_CAL, "valid-calendar-data");
	}
	if (w.ev.todo != t->todo)
		return dav_error(c, 403, DAV_NS_CAL, "supported-calendar-component");
	/* The CRM's own rules for an activity (customers/activities.c). */
	w.subject = *w.ev.summary ? w.ev.summary : crm_ctx_text(c, N_("(no subject)"));
	if (!crm_valid_text(w.subject, 1, 200, 0) || !crm_valid_text(w.ev.description, 0, 10000, 1) ||
	    !crm_valid_text(w.ev.location, 0, 255, 1))
		return dav_error(c, 422, DAV_NS_CAL, "valid-calendar-object-resource");
	w.rrule = !w.ev.todo && *w.ev.rrule ? w.ev.rrule : NULL;
	if (w.ev.todo && !w.ev.due[0] && !w.ev.start[0])
		return dav_error(c, 422, DAV_NS_CAL, "valid-calendar-object-resource");
	if (!w.ev.todo && w.ev.end[0] && strcmp(w.ev.end, w.ev.start) < 0)
		return dav_error(c, 422, DAV_NS_CAL, "valid-calendar-object-resource");
	if (row == NULL) {
		struct crm_db_bind b[2];
		json_t *other = NULL;

		crm_db_bind_i64(&b[0], c->user->user_id);
		crm_db_bind_str(&b[1], w.ev.uid, (size_t)-1);
		if (crm_db_row(c->db, STMT_CAL_BY_UID, b, 2, &other) == CRM_OK)
			return dav_error(c, 409, DAV_NS_CAL, "no-uid-conflict");
		w.kind = t->todo ? "task" : "meeting";
	} else {
		w.before = row;
		w.id = num(row, "id");
		w.kind = str(row, "kind");
	}
	if (crm_db_tx(c->db, put_tx, &w) != CRM_OK)
		return 500;
	/* No ETag: what is stored is not byte for byte what was sent (RFC
	 * 4791 5.3.4), so the client fetches it again. */
	c->content_type = "text/plain; charset=utf-8";
	return w.created ? 201 : 204;
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct write *w = arg;
	struct crm_db_bind b[2];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], w->id);
	crm_db_bind_i64(&b[1], w->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_CAL_DELETE, b, 2, &n, NULL)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ENOTFOUND;
	return crm_ctx_audit(w->c, "delete", "activity", w->id, NULL, json_pack("{s:s}", "via", "dav"));
}

int
caldav_delete(struct crm_ctx *c, const struct dav_target *t)
{
	struct write w;
	json_t *row;
	int st;
	enum crm_err e;

	memset(&w, 0, sizeof(w));
	w.c = c;
	if ((row = caldav_find(c, t->todo, t->name, &st)) == NULL)
		return st;
	if ((st = dav_preconditions(c, caldav_etag(c, row))) != 0)
		return st;
	w.id = num(row, "id");
	if ((e = crm_db_tx(c->db, delete_tx, &w)) != CRM_OK)
		return e == CRM_ENOTFOUND ? 404 : 500;
	c->content_type = "text/plain; charset=utf-8";
	return 204;
}
