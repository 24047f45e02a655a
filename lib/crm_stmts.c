/* libcrm's SQL: sessions, API tokens and the audit chain. */
#include "crm.h"
#include "crm_stmts.h"

/* What a request needs to know about whoever sent it, in one round trip:
 * the user, the role, and the version of what the worker keeps of roles
 * and settings (lib/crm_confcache.c), which reads a role's permissions and
 * field rules (CRM_STMT_ROLE_RULES) only when it has moved. */
#define IDENTITY_COLUMNS \
	"u.id AS user_id, u.email, u.name, u.language, u.time_zone," \
	" u.role_id, u.team_id, u.totp_enabled, r.name AS role, r.scope, r.require_2fa," \
	" u.notify_unread, u.notify_version," \
	" (SELECT version FROM config_version WHERE id = 1) AS config_version"

#define SETTING_MINUTES(name) \
	"(SELECT CAST(value AS UNSIGNED) FROM settings WHERE name = '" name "')"

const char *const crm_lib_stmts[CRM_LIB_STMT__MAX] = {
	/* CRM_STMT_SESSION_GET */
	"SELECT s.id AS session_id, s.csrf_token, s.second_factor_ok,"
	" TIMESTAMPDIFF(SECOND, s.last_seen_at, UTC_TIMESTAMP()) AS idle_seconds, "
	IDENTITY_COLUMNS
	" FROM sessions s JOIN users u ON u.id = s.user_id JOIN roles r ON r.id = u.role_id"
	" WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > UTC_TIMESTAMP()"
	" AND s.idle_expires_at > UTC_TIMESTAMP() AND u.active AND NOT u.locked",
	/* CRM_STMT_SESSION_TOUCH */
	"UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(),"
	" idle_expires_at = LEAST(expires_at, UTC_TIMESTAMP() + INTERVAL "
	SETTING_MINUTES("session_idle_minutes") " MINUTE) WHERE id = ?",
	/* CRM_STMT_SESSION_INSERT */
	"INSERT INTO sessions (token_hash, user_id, csrf_token, second_factor_ok, ip, user_agent,"
	" last_seen_at, idle_expires_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(),"
	" UTC_TIMESTAMP() + INTERVAL " SETTING_MINUTES("session_idle_minutes") " MINUTE,"
	" UTC_TIMESTAMP() + INTERVAL " SETTING_MINUTES("session_max_hours") " HOUR)",
	/* CRM_STMT_SESSION_END */
	"UPDATE sessions SET ended_at = UTC_TIMESTAMP() WHERE id = ? AND ended_at IS NULL",
	/* CRM_STMT_SESSION_END_USER */
	"UPDATE sessions SET ended_at = UTC_TIMESTAMP() WHERE user_id = ? AND ended_at IS NULL",
	/* CRM_STMT_SESSION_SECOND_FACTOR */
	"UPDATE sessions SET second_factor_ok = TRUE WHERE id = ? AND ended_at IS NULL",
	/* CRM_STMT_TOKEN_GET */
	"SELECT t.id AS token_id, TIMESTAMPDIFF(SECOND, COALESCE(t.last_used_at, t.created_at),"
	" UTC_TIMESTAMP()) AS idle_seconds, "
	IDENTITY_COLUMNS
	" FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN roles r ON r.id = u.role_id"
	" WHERE t.token_hash = ? AND t.revoked_at IS NULL"
	" AND (t.expires_at IS NULL OR t.expires_at > UTC_TIMESTAMP()) AND u.active AND NOT u.locked",
	/* CRM_STMT_TOKEN_TOUCH */
	"UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP() WHERE id = ?",
	/* CRM_STMT_AUDIT_HEAD_LOCK: serialises writers so the chain never forks. */
	"SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE",
	/* CRM_STMT_AUDIT_INSERT */
	"INSERT INTO audit_log (at, user_id, ip, action, entity, entity_id, changes, prev_hash, hash, depth)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* CRM_STMT_AUDIT_HEAD_SET */
	"UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1",
	/* CRM_STMT_AUDIT_OF: one record's history, newest first (audit_entity index). */
	"SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%d %H:%i:%s') AS at, a.action, a.changes,"
	" u.name AS user_name FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
	" WHERE a.entity = ? AND a.entity_id = ? ORDER BY a.id DESC LIMIT 20",
	/* CRM_STMT_SETTING: one value of the settings table. */
	"SELECT value FROM settings WHERE name = ?",
	/* CRM_STMT_TAGS_CLEAR: entity, record. */
	"DELETE FROM tag_links WHERE entity = ? AND record_id = ?",
	/* CRM_STMT_TAG_ENSURE */
	"INSERT IGNORE INTO tags (name) VALUES (?)",
	/* CRM_STMT_TAG_LINK: entity, record, tag name. */
	"INSERT IGNORE INTO tag_links (entity, record_id, tag_id) SELECT ?, ?, id FROM tags WHERE name = ?",
	/* CRM_STMT_ROLE_RULES: role, role. */
	"SELECT (SELECT GROUP_CONCAT(permission SEPARATOR ',') FROM role_permissions WHERE role_id = ?) AS permissions,"
	" (SELECT GROUP_CONCAT(CONCAT(entity, '.', field, ':', access) SEPARATOR ',')"
	" FROM role_field_rules WHERE role_id = ?) AS field_rules",
	/* CRM_STMT_HEALTH: a table every module needs, read by primary key. */
	"SELECT version FROM config_version WHERE id = 1",
};
_Static_assert(CRM_NELEM(crm_lib_stmts) == CRM_LIB_STMT__MAX, "crm_lib_stmts");
