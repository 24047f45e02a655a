/* /admin/health: what a monitor or an admin needs to know at a glance. */
#include <time.h>

#include "extern.h"

int
admin_health(struct crm_ctx *c)
{
	struct crm_worker *w = c->w;
	json_t *db = json_object(), *row = NULL;
	long long uptime = (long long)time(NULL) - w->started;
	enum crm_err e;

	e = crm_db_row(c->db, STMT_HEALTH_MIGRATIONS, NULL, 0, &row);
	json_object_set_new(db, "reachable", json_boolean(e == CRM_OK));
	if (e == CRM_OK) {
		json_object_set(db, "migration_level", json_object_get(row, "level"));
		json_object_set(db, "migrations_applied", json_object_get(row, "applied"));
	}
	json_object_set_new(c->view, "status", json_string(e == CRM_OK ? "ok" : "degraded"));
	json_object_set_new(c->view, "ok", json_boolean(e == CRM_OK));
	json_object_set_new(c->view, "database", db);
	json_object_set_new(c->view, "version", json_string(CRM_VERSION));
	json_object_set_new(c->view, "module", json_string(w->module->name));
	json_object_set_new(c->view, "uptime_seconds", json_integer(uptime));
	json_object_set_new(c->view, "uptime", json_string(crm_arena_printf(c->arena,
	    "%lldd %02lldh %02lldm %02llds", uptime / 86400, uptime / 3600 % 24,
	    uptime / 60 % 60, uptime % 60)));
	json_object_set_new(c->view, "workers", json_integer(w->workers));
	crm_ctx_nav_here(c, "health");
	json_object_set_new(c->view, "requests_served", json_integer((json_int_t)w->served));
	/* 503 lets a load balancer or monitor take the host out of service. */
	return e == CRM_OK ? 200 : crm_ctx_status(c, 503);
}
