/* Every SQL statement crm-admin runs (STYLE rule 19). */
#include "extern.h"

const char *const admin_stmts[STMT__MAX] = {
	/* STMT_HEALTH_MIGRATIONS: schema_migrations holds one row per file. */
	"SELECT COALESCE(MAX(version), 0) AS level, COUNT(*) AS applied "
	"FROM schema_migrations",
	/* STMT_LOGIN_USER */
	"SELECT id, name, password_hash, active, locked, totp_enabled FROM users WHERE email = ?",
	/* STMT_THROTTLE_GET */
	"SELECT throttle_key, failures,"
	" GREATEST(0, COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), blocked_until), 0)) AS wait"
	" FROM login_throttle WHERE throttle_key IN (?, ?)",
	/* STMT_THROTTLE_FAIL: from the threshold on, each failure doubles the
	 * wait, up to 15 minutes. In ON DUPLICATE KEY UPDATE the assignments
	 * run in order, so the second sees the incremented count. */
	"INSERT INTO login_throttle (throttle_key, failures) VALUES (?, 1)"
	" ON DUPLICATE KEY UPDATE failures = failures + 1,"
	" blocked_until = IF(failures >= ?, UTC_TIMESTAMP() + INTERVAL"
	" LEAST(POW(2, failures - ?), 900) SECOND, blocked_until)",
	/* STMT_THROTTLE_FAILURES */
	"SELECT failures FROM login_throttle WHERE throttle_key = ?",
	/* STMT_THROTTLE_CLEAR */
	"DELETE FROM login_throttle WHERE throttle_key = ?",
	/* STMT_USER_LOCK */
	"UPDATE users SET locked = TRUE WHERE id = ?",
	/* STMT_USER_SIGNED_IN */
	"UPDATE users SET last_login_at = UTC_TIMESTAMP() WHERE id = ?",
};
_Static_assert(CRM_NELEM(admin_stmts) == STMT__MAX, "admin_stmts");
