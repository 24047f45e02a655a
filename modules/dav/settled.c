/* The settled version: the highest dav_version below which every version
 * drawn belongs to a transaction that has ended, so a sync that reads up
 * to it and hands it out as its token never skips a change that commits
 * later (migration 052 tells how the gate row makes that knowable). */
#include <unistd.h>

#include "extern.h"

/* Tries at the gate before falling back on the last settled value, 1, 2
 * and 4 ms apart: a burst of short writes does not keep a sync on a stale
 * value, and a long one (an import's batch) costs it ~7 ms. */
#define GATE_TRIES 4

struct gate {
	long long settled;
	int taken;
};

static enum crm_err
take_tx(struct crm_db *db, void *arg)
{
	struct gate *g = arg;
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	if ((e = crm_db_row(db, STMT_GATE_TAKE, NULL, 0, &row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_OK : e;          /* a writer is in */
	/* No writer holds the gate, and none can draw until this commits:
	 * every version drawn so far is settled. */
	if ((e = crm_db_row(db, STMT_GATE_DRAWN, NULL, 0, &row)) != CRM_OK)
		return e;
	g->settled = json_integer_value(json_object_get(row, "v"));
	g->taken = 1;
	crm_db_bind_i64(&b[0], g->settled);
	crm_db_bind_i64(&b[1], g->settled);
	return crm_db_exec(db, STMT_GATE_KEEP, b, 2, NULL, NULL);
}

long long
dav_settled(struct crm_ctx *c)
{
	struct gate g;
	json_t *row = NULL;
	int i;

	for (i = 0; i < GATE_TRIES; i++) {
		g.settled = 0;
		g.taken = 0;
		if (crm_db_tx(c->db, take_tx, &g) != CRM_OK)
			return -1;
		if (g.taken)
			return g.settled;
		if (i + 1 < GATE_TRIES)
			usleep(1000u << i);
	}
	/* Writers kept the gate: the value the last sync to get in left. */
	if (crm_db_row(c->db, STMT_GATE_SAFE, NULL, 0, &row) != CRM_OK)
		return -1;
	return json_integer_value(json_object_get(row, "v"));
}
