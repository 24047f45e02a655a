/* Every SQL statement crm-automation runs, one section per area. */
#include "extern.h"

#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"

const char *const automation_stmts[STMT__MAX] = {
	/* home.c: each consumer's place in the audit log, and how far behind
	 * the newest event it is (the audit log's primary key end, not a count). */
	[STMT_HOME_CURSORS] = "SELECT c.name, c.last_audit_id, c.events, " STAMP("c.updated_at") " AS moved_at,"
	    " CAST(GREATEST(IFNULL((SELECT MAX(id) FROM audit_log), 0) - c.last_audit_id, 0) AS SIGNED) AS behind"
	    " FROM automation_cursors c ORDER BY c.name",
	[STMT_HOME_TICKS] = "SELECT name, " STAMP("ticked_at") " AS ticked_at, ok, work, error,"
	    " CAST(TIMESTAMPDIFF(SECOND, ticked_at, UTC_TIMESTAMP()) AS SIGNED) AS seconds_ago"
	    " FROM automation_ticks ORDER BY name",

	/* @@sql-rules */
	/* @@sql-webhooks */
	/* @@sql-mail */
};
