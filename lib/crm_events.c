/* The audit log as an ordered stream of events for the automation's
 * consumers (crm_events.h). */
#include <string.h>

#include "crm_events.h"
#include "crm_log.h"

#define EVENTS_NEXT "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS at,"\
	" CAST(IFNULL(user_id, 0) AS SIGNED) AS user_id, action, entity,"\
	" CAST(IFNULL(entity_id, 0) AS SIGNED) AS entity_id, changes, depth"\
	" FROM audit_log WHERE id > ? ORDER BY id LIMIT ?"
#define CURSOR_GET "SELECT last_audit_id FROM automation_cursors WHERE name = ?"
/* Moves only from where the event was read: 0 rows means another runner
 * has handled it, and this transaction rolls back. */
#define CURSOR_MOVE "UPDATE automation_cursors SET last_audit_id = ?, events = events + 1"\
	" WHERE name = ? AND last_audit_id = ?"
#define CURSOR_LAG "SELECT c.last_audit_id, CAST(IFNULL((SELECT MAX(id) FROM audit_log), 0)"\
	" - c.last_audit_id AS SIGNED) AS behind FROM automation_cursors c WHERE c.name = ?"
#define TICK_PUT "INSERT INTO automation_ticks (name, ticked_at, ok, work, error)"\
	" VALUES (?, UTC_TIMESTAMP(), ?, ?, ?) ON DUPLICATE KEY UPDATE ticked_at = VALUES(ticked_at),"\
	" ok = VALUES(ok), work = VALUES(work), error = VALUES(error)"

struct one {
	const char *cursor;
	long long from;
	const struct crm_event *ev;
	crm_event_fn fn;
	void *arg;
	int taken;              /* another runner moved the cursor first */
};

static enum crm_err
handle(struct crm_db *db, void *arg)
{
	struct one *o = arg;
	struct crm_db_bind b[3];
	uint64_t moved = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], o->ev->id);
	crm_db_bind_str(&b[1], o->cursor, (size_t)-1);
	crm_db_bind_i64(&b[2], o->from);
	if ((e = crm_db_exec_sql(db, CURSOR_MOVE, b, 3, &moved, NULL)) != CRM_OK)
		return e;
	if (moved == 0) {
		o->taken = 1;
		return CRM_ECONFLICT;
	}
	return o->fn(db, o->ev, o->arg);
}

static long long
int_at(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	return json_is_boolean(v) ? json_is_true(v) : json_integer_value(v);
}

enum crm_err
crm_events_run(struct crm_db *db, const char *cursor, size_t max, crm_event_fn fn, void *arg,
    size_t *done)
{
	json_t *row = NULL, *rows = NULL, *r;
	struct crm_db_bind b[2];
	long long from;
	size_t i, n = 0;
	enum crm_err e;

	if (done)
		*done = 0;
	crm_db_bind_str(&b[0], cursor, (size_t)-1);
	if ((e = crm_db_row_sql(db, CURSOR_GET, b, 1, &row)) != CRM_OK)
		return e;
	from = int_at(row, "last_audit_id");
	json_decref(row);
	crm_db_bind_i64(&b[0], from);
	crm_db_bind_i64(&b[1], (long long)max);
	if ((e = crm_db_rows_sql(db, EVENTS_NEXT, b, 2, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, r) {
		struct crm_event ev;
		struct one o;
		const char *text = json_string_value(json_object_get(r, "changes"));

		memset(&ev, 0, sizeof(ev));
		ev.id = int_at(r, "id");
		ev.at = json_string_value(json_object_get(r, "at"));
		ev.user_id = int_at(r, "user_id");
		ev.action = json_string_value(json_object_get(r, "action"));
		ev.entity = json_string_value(json_object_get(r, "entity"));
		ev.entity_id = int_at(r, "entity_id");
		ev.depth = (int)int_at(r, "depth");
		ev.changes = text ? json_loads(text, 0, NULL) : NULL;
		if (!json_is_object(ev.changes)) {
			json_decref(ev.changes);
			ev.changes = json_object();
		}
		o.cursor = cursor;
		o.from = from;
		o.ev = &ev;
		o.fn = fn;
		o.arg = arg;
		o.taken = 0;
		e = crm_db_tx(db, handle, &o);
		json_decref(ev.changes);
		if (o.taken) {
			e = CRM_OK;     /* the other runner goes on from here */
			break;
		}
		if (e != CRM_OK) {
			crm_log(CRM_LOG_WARN, "%s: audit event %lld not handled (%s); it comes again next pass",
			    cursor, ev.id, crm_err_str(e));
			break;
		}
		from = ev.id;
		n++;
	}
	json_decref(rows);
	if (done)
		*done = n;
	return e;
}

enum crm_err
crm_events_lag(struct crm_db *db, const char *cursor, long long *last_id, long long *behind)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_str(&b[0], cursor, (size_t)-1);
	if ((e = crm_db_row_sql(db, CURSOR_LAG, b, 1, &row)) != CRM_OK)
		return e;
	*last_id = int_at(row, "last_audit_id");
	*behind = int_at(row, "behind");
	json_decref(row);
	return CRM_OK;
}

static json_t *
side(const struct crm_event *ev, const char *which, const char *field)
{
	json_t *o = json_object_get(ev->changes, which);

	return json_is_object(o) ? json_object_get(o, field) : NULL;
}

json_t *
crm_event_after(const struct crm_event *ev, const char *field)
{
	return side(ev, "after", field);
}

json_t *
crm_event_before(const struct crm_event *ev, const char *field)
{
	return side(ev, "before", field);
}

int
crm_event_changed(const struct crm_event *ev, const char *field)
{
	return side(ev, "after", field) != NULL;
}

enum crm_err
crm_events_tick(struct crm_db *db, const char *part, int ok, long long work, const char *error)
{
	struct crm_db_bind b[4];

	crm_db_bind_str(&b[0], part, (size_t)-1);
	crm_db_bind_i64(&b[1], ok ? 1 : 0);
	crm_db_bind_i64(&b[2], work < 0 ? 0 : work);
	crm_db_bind_str(&b[3], error ? error : "", (size_t)-1);
	return crm_db_exec_sql(db, TICK_PUT, b, 4, NULL, NULL);
}
