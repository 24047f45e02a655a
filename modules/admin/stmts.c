/* Every SQL statement crm-admin runs (STYLE rule 19). */
#include "extern.h"

const char *const admin_stmts[STMT__MAX] = {
	/* STMT_HEALTH_MIGRATIONS: schema_migrations holds one row per file. */
	"SELECT COALESCE(MAX(version), 0) AS level, COUNT(*) AS applied "
	"FROM schema_migrations",
};
_Static_assert(CRM_NELEM(admin_stmts) == STMT__MAX, "admin_stmts");
