/* Recalculating due times: after a policy or calendar changes, every open
 * ticket's due times again from its creation, its pause brought in line
 * with its status, then the breaches marked. The page only queues a run
 * (029_sla_recalc.sql says why); the job runner does it 200 tickets at a
 * time, each batch one transaction that moves the run's after_id with it,
 * so a batch is done once, whoever runs it and however often the runner
 * is stopped. */
#include <string.h>

#include "crm_audit.h"
#include "crm_log.h"
#include "extern.h"

#define BATCH 200

static enum crm_err
queue_tx(struct crm_db *db, void *arg)
{
	struct crm_ctx *c = arg;
	struct crm_db_bind b[1];
	uint64_t id = 0, superseded = 0;
	enum crm_err e;

	if ((e = crm_db_exec(db, STMT_SLA_RECALC_SUPERSEDE, NULL, 0, &superseded, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], c->user->user_id);
	if ((e = crm_db_exec(db, STMT_SLA_RECALC_QUEUE, b, 1, NULL, &id)) != CRM_OK)
		return e;
	return crm_ctx_audit(c, "recalculate", "sla_policy", 0, NULL,
	    json_pack("{s:I,s:b}", "run", (json_int_t)id, "superseded", superseded > 0));
}

int
service_sla_recalculate(struct crm_ctx *c)
{
	if (crm_db_tx(c->db, queue_tx, c) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/service/sla?done=recalc_queued");
}

enum crm_err
service_sla_recalc_view(struct crm_ctx *c)
{
	json_t *run = NULL;
	enum crm_err e = crm_db_row(c->db, STMT_SLA_RECALC_LATEST, NULL, 0, &run);

	if (e == CRM_ENOTFOUND)
		return CRM_OK;
	if (e != CRM_OK)
		return e;
	json_object_set_new(run, "requested_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(run, "requested_at")), 1)));
	json_object_set_new(run, "finished_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(run, "finished_at")), 1)));
	json_object_set_new(c->view, "recalc", run);
	return CRM_OK;
}

struct batch {
	struct crm_arena *arena;
	int found;              /* a run was there to work on */
	long long run, done;
	int last;
};

static enum crm_err
batch_tx(struct crm_db *db, void *arg)
{
	struct batch *bt = arg;
	struct crm_db_bind b[4];
	json_t *run = NULL, *rows = NULL, *row;
	size_t i;
	enum crm_err e;

	bt->found = 0;
	/* The run's row, locked: a second runner waits here, then sees the
	 * batch done. */
	if ((e = crm_db_row(db, STMT_SLA_RECALC_CLAIM, NULL, 0, &run)) == CRM_ENOTFOUND)
		return CRM_OK;
	if (e != CRM_OK)
		return e;
	bt->found = 1;
	bt->run = json_integer_value(json_object_get(run, "id"));
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(run, "after_id")));
	if ((e = crm_db_rows(db, STMT_SLA_OPEN_TICKETS, b, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row) {
		long long id = json_integer_value(json_object_get(row, "id"));
		int pending = strcmp(json_string_value(json_object_get(row, "status")), "pending") == 0;
		int paused = json_is_true(json_object_get(row, "paused")) || json_integer_value(json_object_get(row, "paused")) != 0;

		/* The due times first, so that a pause ending is measured on
		 * the policy's calendar and moves them. */
		if ((e = crm_ticket_sla_start(bt->arena, db, id)) != CRM_OK && e != CRM_ENOTFOUND)
			return e;
		if (!pending && paused && (e = crm_ticket_sla_resume(bt->arena, db, id)) != CRM_OK)
			return e;
		if (pending && !paused && (e = service_sla_pause(db, id)) != CRM_OK)
			return e;
	}
	bt->done = (long long)json_array_size(rows);
	bt->last = json_array_size(rows) < BATCH;
	if (bt->last && (e = service_sla_breaches(db)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], bt->done ? json_integer_value(json_object_get(json_array_get(rows, bt->done - 1), "id")) :
	    json_integer_value(json_object_get(run, "after_id")));
	crm_db_bind_i64(&b[1], bt->done);
	crm_db_bind_i64(&b[2], bt->last);
	crm_db_bind_i64(&b[3], bt->run);
	return crm_db_exec(db, STMT_SLA_RECALC_ADVANCE, b, 4, NULL, NULL);
}

int
service_sla_recalc_step(struct crm_db *db)
{
	struct batch bt;
	enum crm_err e;

	memset(&bt, 0, sizeof(bt));
	bt.arena = crm_arena_new(16384);
	e = crm_db_tx(db, batch_tx, &bt);
	crm_arena_free(bt.arena);
	if (e != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "SLA recalculation: %s", crm_db_error(db));
		return -1;
	}
	if (bt.found && bt.last)
		crm_log(CRM_LOG_INFO, "SLA recalculation %lld finished", bt.run);
	return bt.found;
}
