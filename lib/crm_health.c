/* Every module's /<module>/health (crm_health.h). */
#include <time.h>

#include "crm_db.h"
#include "crm_health.h"
#include "crm_stmts.h"

int
crm_health(struct crm_ctx *c)
{
	struct crm_worker *w = c->w;
	json_t *db = json_object(), *row = NULL;
	enum crm_err e;

	/* A statement on a table, not a ping: a Galera node cut off from the
	 * primary component accepts connections but refuses this. */
	e = crm_db_row(c->db, CRM_STMT_HEALTH, NULL, 0, &row);
	json_object_set_new(db, "reachable", json_boolean(e == CRM_OK));
	/* Which of [database] host it is on: anything but 1 means the first
	 * server is down or was lately. */
	if (e == CRM_OK && !w->conf->db_socket[0])
		json_object_set_new(db, "server", json_integer(crm_db_host_index(c->db) + 1));
	json_object_set_new(db, "servers", json_integer((json_int_t)crm_db_host_count(w->conf)));
	json_object_set_new(c->view, "ok", json_boolean(e == CRM_OK));
	json_object_set_new(c->view, "status", json_string(e == CRM_OK ? "ok" : "degraded"));
	json_object_set_new(c->view, "module", json_string(w->module->name));
	json_object_set_new(c->view, "version", json_string(CRM_VERSION));
	json_object_set_new(c->view, "database", db);
	json_object_set_new(c->view, "workers", json_integer(w->workers));
	json_object_set_new(c->view, "uptime_seconds", json_integer((long long)time(NULL) - w->started));
	json_object_set_new(c->view, "requests_served", json_integer((json_int_t)w->served));
	return e == CRM_OK ? 200 : crm_ctx_status(c, 503);
}
