/* The notification part's scans: tasks due within the hour (or overdue,
 * up to a day back) and tickets whose first response or resolution falls
 * due within notify_sla_minutes. Each reads an index on the due time and
 * skips what was already announced for that due time (once_key), so a pass
 * costs a few index pages however big the tables, and a task or a ticket
 * whose due time moves is announced again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_notify.h"
#include "crm_setting.h"
#include "extern.h"

struct found {
	json_t *rows;
	const char *kind, *entity, *owner, *title, *key;
	int added;
};

static enum crm_err
announce_tx(struct crm_db *db, void *arg)
{
	struct found *f = arg;
	json_t *r;
	size_t i;
	enum crm_err e;

	f->added = 0;
	json_array_foreach(f->rows, i, r) {
		struct crm_notify n = { json_integer_value(json_object_get(r, f->owner)), f->kind, f->entity,
		    json_integer_value(json_object_get(r, "id")), json_string_value(json_object_get(r, f->title)),
		    0, json_string_value(json_object_get(r, f->key)) };
		int added = 0;

		if ((e = crm_notify_add(db, &n, &added)) != CRM_OK)
			return e;
		f->added += added;
	}
	return CRM_OK;
}

static int
scan(struct crm_db *db, enum stmt stmt, const struct crm_db_bind *b, size_t nb, struct found *f,
    char *err, size_t errlen)
{
	enum crm_err e;

	if ((e = crm_db_rows(db, stmt, b, nb, &f->rows)) != CRM_OK ||
	    (json_array_size(f->rows) > 0 && (e = crm_db_tx(db, announce_tx, f)) != CRM_OK)) {
		snprintf(err, errlen, "%s scan: %s", f->kind, crm_err_str(e));
		json_decref(f->rows);
		return -1;
	}
	json_decref(f->rows);
	return f->added;
}

int
automation_notify_scan(struct crm_db *db, char *err, size_t errlen)
{
	struct crm_arena *a = crm_arena_new(1024);
	const char *v = crm_setting(db, a, "notify_sla_minutes", "30");
	struct found tasks = { NULL, CRM_NOTIFY_TASK_DUE, "activity", "assignee_id", "subject", "due", 0 };
	struct found first = { NULL, CRM_NOTIFY_SLA_WARNING, "ticket", "owner_id", "subject", "once_key", 0 };
	struct found resolution = first;
	struct crm_db_bind b[1];
	long minutes = strtol(v, NULL, 10);
	int n, total = 0;

	crm_arena_free(a);
	if (minutes <= 0 || minutes > 10080)
		minutes = 30;
	crm_db_bind_i64(&b[0], minutes);
	if ((n = scan(db, STMT_NJ_TASKS_DUE, NULL, 0, &tasks, err, errlen)) < 0)
		return -1;
	total += n;
	if ((n = scan(db, STMT_NJ_SLA_FIRST, b, 1, &first, err, errlen)) < 0)
		return -1;
	total += n;
	if ((n = scan(db, STMT_NJ_SLA_RESOLUTION, b, 1, &resolution, err, errlen)) < 0)
		return -1;
	return total + n;
}
