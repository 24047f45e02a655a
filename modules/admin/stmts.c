/* Every SQL statement crm-admin runs (STYLE rule 19). */
#include "extern.h"

const char *const admin_stmts[STMT__MAX] = {
	/* STMT_HEALTH_MIGRATIONS: schema_migrations holds one row per file. */
	"SELECT CAST(COALESCE(MAX(version), 0) AS SIGNED) AS level, COUNT(*) AS applied "
	"FROM schema_migrations",
	/* STMT_LOGIN_USER */
	"SELECT id, name, password_hash, active, locked, totp_enabled FROM users WHERE email = ?",
	/* STMT_THROTTLE_GET */
	"SELECT throttle_key, failures,"
	" GREATEST(0, COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), blocked_until), 0)) AS wait"
	" FROM login_throttle WHERE throttle_key IN (?, ?)",
	/* STMT_THROTTLE_FAIL: from the threshold on, each failure doubles the
	 * wait, up to 15 minutes. A key quiet for an hour (and not blocked)
	 * starts again from one: an office behind one address would otherwise
	 * gather a day's typos into a lock-out. In ON DUPLICATE KEY UPDATE the
	 * assignments run in order, so the second sees the new count and the
	 * first the old updated_at. */
	"INSERT INTO login_throttle (throttle_key, failures) VALUES (?, 1)"
	" ON DUPLICATE KEY UPDATE failures = IF(updated_at < NOW() - INTERVAL 1 HOUR"
	" AND COALESCE(blocked_until, 0) < UTC_TIMESTAMP(), 1, failures + 1),"
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
	/* STMT_USERS_PAGE: keyset paging by name, id; one row more than
	 * shown tells whether there is a next page. */
	"SELECT u.id, u.email, u.name, u.active, u.locked, u.totp_enabled,"
	" r.name AS role, t.name AS team, u.last_login_at"
	" FROM users u JOIN roles r ON r.id = u.role_id LEFT JOIN teams t ON t.id = u.team_id"
	" WHERE (u.name, u.id) > (?, ?) ORDER BY u.name, u.id LIMIT 51",
	/* STMT_USER_GET */
	"SELECT u.id, u.email, u.name, u.language, u.time_zone, u.role_id, u.team_id,"
	" u.active, u.locked, u.totp_enabled, r.name AS role"
	" FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ?",
	/* STMT_USER_CREATE */
	"INSERT INTO users (email, name, password_hash, role_id, team_id, language, time_zone, active)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_USER_UPDATE */
	"UPDATE users SET name = ?, role_id = ?, team_id = ?, language = ?, time_zone = ?, active = ?"
	" WHERE id = ?",
	/* STMT_USER_SET_PASSWORD */
	"UPDATE users SET password_hash = ? WHERE id = ?",
	/* STMT_USER_UNLOCK */
	"UPDATE users SET locked = FALSE WHERE id = ?",
	/* STMT_ROLES_ALL */
	"SELECT id, name, description, scope, require_2fa, builtin FROM roles ORDER BY name",
	/* STMT_TEAMS_ALL */
	"SELECT id, name FROM teams ORDER BY name",
	/* STMT_ROLE_PERMS_ALL */
	"SELECT role_id, permission FROM role_permissions",
	/* STMT_ROLE_PERMS_CLEAR: '*' (the admin role) is never taken away here. */
	"DELETE FROM role_permissions WHERE role_id = ? AND permission <> '*'",
	/* STMT_ROLE_PERM_ADD */
	"INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
	/* STMT_ROLE_CREATE */
	"INSERT INTO roles (name, description, scope, require_2fa) VALUES (?, ?, ?, ?)",
	/* STMT_ROLE_SET_FLAGS */
	"UPDATE roles SET scope = ?, require_2fa = ? WHERE id = ?",
	/* STMT_AUDIT_PAGE: newest first, keyset by id; an empty filter is off. */
	"SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%d %H:%i:%s') AS at, a.ip, a.action, a.entity,"
	" a.entity_id, a.changes, u.name AS user_name, u.email AS user_email"
	" FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
	" WHERE a.id < ? AND (? = '' OR a.entity = ?) AND (? = 0 OR a.entity_id = ?)"
	" AND (? = '' OR a.action = ?) AND (? = '' OR u.email = ?)"
	" AND (? = '' OR a.at >= ?) AND (? = '' OR a.at < ? + INTERVAL 1 DAY)"
	" ORDER BY a.id DESC LIMIT 51",
	/* STMT_ACCOUNT_GET */
	"SELECT id, email, name, language, time_zone, totp_enabled, password_hash"
	" FROM users WHERE id = ?",
	/* STMT_ACCOUNT_UPDATE */
	"UPDATE users SET name = ?, language = ?, time_zone = ? WHERE id = ?",
	/* STMT_SESSIONS_END_OTHERS: a new password signs out every other device. */
	"UPDATE sessions SET ended_at = UTC_TIMESTAMP()"
	" WHERE user_id = ? AND id <> ? AND ended_at IS NULL",
	/* STMT_TOKENS_MINE */
	"SELECT id, name, DATE_FORMAT(created_at, '%Y-%m-%d') AS created,"
	" DATE_FORMAT(expires_at, '%Y-%m-%d') AS expires,"
	" DATE_FORMAT(last_used_at, '%Y-%m-%d %H:%i') AS last_used,"
	" revoked_at IS NOT NULL AS revoked,"
	" (expires_at IS NOT NULL AND expires_at <= UTC_TIMESTAMP()) AS expired"
	" FROM api_tokens WHERE user_id = ? ORDER BY id DESC LIMIT 100",
	/* STMT_TOKEN_CREATE: days 0 means no expiry. */
	"INSERT INTO api_tokens (user_id, name, token_hash, expires_at)"
	" VALUES (?, ?, ?, IF(? = 0, NULL, UTC_TIMESTAMP() + INTERVAL ? DAY))",
	/* STMT_TOKEN_REVOKE: only the owner's own token. */
	"UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP()"
	" WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
	/* STMT_TOTP_GET */
	"SELECT email, totp_secret, totp_enabled, totp_last_step, password_hash FROM users WHERE id = ?",
	/* STMT_TOTP_SET_PENDING: a secret waiting for its first code. */
	"UPDATE users SET totp_secret = ? WHERE id = ? AND NOT totp_enabled",
	/* STMT_TOTP_ENABLE */
	"UPDATE users SET totp_enabled = TRUE, totp_last_step = ? WHERE id = ? AND NOT totp_enabled",
	/* STMT_TOTP_DISABLE */
	"UPDATE users SET totp_enabled = FALSE, totp_secret = NULL, totp_last_step = 0 WHERE id = ?",
	/* STMT_TOTP_USE_STEP: a code is good once; of two requests racing
	 * with the same code only one moves the step on. */
	"UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
	/* STMT_RECOVERY_CLEAR */
	"DELETE FROM recovery_codes WHERE user_id = ?",
	/* STMT_RECOVERY_ADD */
	"INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
	/* STMT_RECOVERY_USE */
	"UPDATE recovery_codes SET used_at = UTC_TIMESTAMP()"
	" WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
	/* STMT_SETTINGS_ALL */
	"SELECT name, value FROM settings",
	/* STMT_SETTING_SET */
	"UPDATE settings SET value = ? WHERE name = ?",
	/* STMT_TEAMS_LIST */
	"SELECT t.id, t.name, COUNT(u.id) AS members FROM teams t"
	" LEFT JOIN users u ON u.team_id = t.id GROUP BY t.id, t.name ORDER BY t.name",
	/* STMT_TEAM_CREATE */
	"INSERT INTO teams (name) VALUES (?)",
	/* STMT_TEAM_RENAME */
	"UPDATE teams SET name = ? WHERE id = ?",
	/* STMT_USER_SET_LANGUAGE */
	"UPDATE users SET language = ? WHERE id = ?",
	/* STMT_FIELD_RULES_ALL */
	"SELECT f.role_id, r.name AS role, f.entity, f.field, f.access"
	" FROM role_field_rules f JOIN roles r ON r.id = f.role_id ORDER BY r.name, f.entity, f.field",
	/* STMT_FIELD_RULE_SET */
	"INSERT INTO role_field_rules (role_id, entity, field, access) VALUES (?, ?, ?, ?)"
	" ON DUPLICATE KEY UPDATE access = VALUES(access)",
	/* STMT_FIELD_RULE_DELETE */
	"DELETE FROM role_field_rules WHERE role_id = ? AND entity = ? AND field = ?",
	/* STMT_LDAP_USER_UPSERT: a directory user's local record, kept in step
	 * with the directory at each sign-in; '!ldap' is no password hash, so
	 * the account cannot sign in locally. A local account of the same
	 * e-mail is left as it is (and the sign-in refused). */
	"INSERT INTO users (email, name, password_hash, role_id)"
	" SELECT ?, ?, '!ldap', id FROM roles WHERE name = ?"
	" ON DUPLICATE KEY UPDATE"
	" name = IF(users.password_hash = '!ldap', VALUES(name), users.name),"
	" role_id = IF(users.password_hash = '!ldap', VALUES(role_id), users.role_id)",
	/* STMT_CUSTOM_FIELDS_ALL: custom fields, per entity, active ones
	 * first in their order (a few dozen rows at most). */
	"SELECT id, entity, label, type, choices, position, active FROM custom_fields"
	" ORDER BY entity, active DESC, position, id LIMIT 500",
	/* STMT_CUSTOM_FIELD_GET */
	"SELECT id, entity, label, type, choices, position, active FROM custom_fields WHERE id = ?",
	/* STMT_CUSTOM_FIELD_CREATE */
	"INSERT INTO custom_fields (entity, label, type, choices, position) VALUES (?, ?, ?, ?, ?)",
	/* STMT_CUSTOM_FIELD_UPDATE: entity and type never change (values are typed). */
	"UPDATE custom_fields SET label = ?, choices = ?, position = ? WHERE id = ?",
	/* STMT_CUSTOM_FIELD_ACTIVE: deactivate or bring back; values are kept. */
	"UPDATE custom_fields SET active = ? WHERE id = ?",
};
_Static_assert(CRM_NELEM(admin_stmts) == STMT__MAX, "admin_stmts");
