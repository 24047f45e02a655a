/* Recalculating due times: after a policy or calendar changes, every open
 * ticket's due times again from its creation, its pause brought in line
 * with its status, then the breaches marked. In batches of 200 tickets,
 * one transaction each, so a large queue does not hold locks for long. */
#include <string.h>

#include "crm_audit.h"
#include "extern.h"

struct batch {
	struct crm_ctx *c;
	json_t *rows;
	long long done;
	int last;
};

static enum crm_err
batch_tx(struct crm_db *db, void *arg)
{
	struct batch *bt = arg;
	json_t *row;
	size_t i;
	enum crm_err e;

	json_array_foreach(bt->rows, i, row) {
		long long id = json_integer_value(json_object_get(row, "id"));
		int pending = strcmp(json_string_value(json_object_get(row, "status")), "pending") == 0;
		int paused = json_is_true(json_object_get(row, "paused")) || json_integer_value(json_object_get(row, "paused"));

		/* The due times first, so that a pause ending is measured on
		 * the policy's calendar and moves them. */
		if ((e = service_sla_start(bt->c, db, id)) != CRM_OK && e != CRM_ENOTFOUND)
			return e;
		if (!pending && paused && (e = service_sla_resume(bt->c, db, id)) != CRM_OK)
			return e;
		if (pending && !paused && (e = service_sla_pause(bt->c, db, id)) != CRM_OK)
			return e;
	}
	if (!bt->last)
		return CRM_OK;
	if ((e = service_sla_breaches(db)) != CRM_OK)
		return e;
	return crm_ctx_audit(bt->c, "recalculate", "sla_policy", 0, NULL,
	    json_pack("{s:I}", "tickets", (json_int_t)(bt->done + (long long)json_array_size(bt->rows))));
}

int
service_sla_recalculate(struct crm_ctx *c)
{
	struct batch bt;
	struct crm_db_bind b[1];
	long long after = 0;

	memset(&bt, 0, sizeof(bt));
	bt.c = c;
	do {
		bt.rows = NULL;
		crm_db_bind_i64(&b[0], after);
		if (crm_db_rows(c->db, STMT_SLA_OPEN_TICKETS, b, 1, &bt.rows) != CRM_OK)
			return 500;
		bt.last = json_array_size(bt.rows) < 200;
		if (crm_db_tx(c->db, batch_tx, &bt) != CRM_OK)
			return 500;
		if (!bt.last)
			after = json_integer_value(json_object_get(json_array_get(bt.rows, 199), "id"));
		bt.done += (long long)json_array_size(bt.rows);
	} while (!bt.last);
	return crm_ctx_redirect(c, 303, "/service/sla?done=recalculated");
}
