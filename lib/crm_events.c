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

/* Events handled in one transaction: a commit costs a flush of the
 * redo log, which on a small host is most of an event's cost, so a pass
 * commits once per this many events. A failing event is then found by
 * handling the batch again one event per transaction. */
#define EVENTS_PER_TX 50

/* rows[first .. first + n) of a read, handled together. */
struct batch {
	const char *cursor;
	long long from;                 /* the cursor as read */
	json_t *rows;
	size_t first, n;
	crm_event_fn fn;
	void *arg;
	int taken;                      /* another runner moved the cursor first */
	long long failed_id;            /* the event whose handler failed */
};

static long long
int_at(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	return json_is_boolean(v) ? json_is_true(v) : json_integer_value(v);
}

static void
event_of(json_t *r, struct crm_event *ev)
{
	const char *text = json_string_value(json_object_get(r, "changes"));

	memset(ev, 0, sizeof(*ev));
	ev->id = int_at(r, "id");
	ev->at = json_string_value(json_object_get(r, "at"));
	ev->user_id = int_at(r, "user_id");
	ev->action = json_string_value(json_object_get(r, "action"));
	ev->entity = json_string_value(json_object_get(r, "entity"));
	ev->entity_id = int_at(r, "entity_id");
	ev->depth = (int)int_at(r, "depth");
	ev->changes = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_object(ev->changes)) {
		json_decref(ev->changes);
		ev->changes = json_object();
	}
}

/* The cursor moves first: its row lock makes a second runner wait here
 * and then find it moved, before it has done any work. */
static enum crm_err
handle(struct crm_db *db, void *arg)
{
	struct batch *bt = arg;
	struct crm_db_bind b[3];
	struct crm_event ev;
	uint64_t moved = 0;
	enum crm_err e;
	size_t i;

	bt->taken = 0;
	bt->failed_id = 0;
	crm_db_bind_i64(&b[0], int_at(json_array_get(bt->rows, bt->first + bt->n - 1), "id"));
	crm_db_bind_str(&b[1], bt->cursor, (size_t)-1);
	crm_db_bind_i64(&b[2], bt->from);
	if ((e = crm_db_exec_sql(db, CURSOR_MOVE, b, 3, &moved, NULL)) != CRM_OK)
		return e;
	if (moved == 0) {
		bt->taken = 1;
		return CRM_ECONFLICT;
	}
	for (i = bt->first; i < bt->first + bt->n; i++) {
		event_of(json_array_get(bt->rows, i), &ev);
		e = bt->fn(db, &ev, bt->arg);
		json_decref(ev.changes);
		if (e != CRM_OK) {
			bt->failed_id = ev.id;
			return e;
		}
	}
	return CRM_OK;
}

enum crm_err
crm_events_run(struct crm_db *db, const char *cursor, size_t max, crm_event_fn fn, void *arg,
    size_t *done)
{
	json_t *row = NULL, *rows = NULL;
	struct crm_db_bind b[2];
	struct batch bt;
	size_t i, k, n, total, handled = 0;
	enum crm_err e = CRM_OK;

	if (done)
		*done = 0;
	crm_db_bind_str(&b[0], cursor, (size_t)-1);
	if ((e = crm_db_row_sql(db, CURSOR_GET, b, 1, &row)) != CRM_OK)
		return e;
	memset(&bt, 0, sizeof(bt));
	bt.from = int_at(row, "last_audit_id");
	json_decref(row);
	crm_db_bind_i64(&b[0], bt.from);
	crm_db_bind_i64(&b[1], (long long)max);
	if ((e = crm_db_rows_sql(db, EVENTS_NEXT, b, 2, &rows)) != CRM_OK)
		return e;
	bt.cursor = cursor;
	bt.rows = rows;
	bt.fn = fn;
	bt.arg = arg;
	total = json_array_size(rows);
	for (i = 0; i < total; i += n) {
		n = total - i < EVENTS_PER_TX ? total - i : EVENTS_PER_TX;
		bt.first = i;
		bt.n = n;
		if ((e = crm_db_tx(db, handle, &bt)) == CRM_OK) {
			bt.from = int_at(json_array_get(rows, i + n - 1), "id");
			handled += n;
			continue;
		}
		/* A failure in a batch: again one by one, so the events before
		 * the failing one are done with and it alone comes again. */
		for (k = i; !bt.taken && n > 1 && k < i + n; k++) {
			bt.first = k;
			bt.n = 1;
			if ((e = crm_db_tx(db, handle, &bt)) != CRM_OK)
				break;
			bt.from = int_at(json_array_get(rows, k), "id");
			handled++;
		}
		if (e == CRM_OK)
			continue;
		if (bt.taken) {
			e = CRM_OK;     /* the other runner goes on from here */
			break;
		}
		crm_log(CRM_LOG_WARN, "%s: audit event %lld not handled (%s); it comes again next pass",
		    cursor, bt.failed_id ? bt.failed_id : int_at(json_array_get(rows, bt.first), "id"),
		    crm_err_str(e));
		break;
	}
	json_decref(rows);
	if (done)
		*done = handled;
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
