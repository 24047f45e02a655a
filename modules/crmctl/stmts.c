/* Every SQL statement crmctl runs (STYLE rule 19). */
#include "crm_search.h"
#include "extern.h"

const char *const crmctl_stmts[STMT__MAX] = {
	/* STMT_MIGRATIONS_CREATE */
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT UNSIGNED NOT NULL PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL,"
	" checksum CHAR(64) NOT NULL,"
	" applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	/* STMT_MIGRATIONS_LIST */
	"SELECT version, name, checksum FROM schema_migrations ORDER BY version",
	/* STMT_MIGRATIONS_INSERT */
	"INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
	/* STMT_MIGRATE_LOCK: two crmctl runs never migrate at once. */
	"SELECT GET_LOCK('crm_migrate', 60) AS got",
	/* STMT_MIGRATE_UNLOCK */
	"SELECT RELEASE_LOCK('crm_migrate') AS released",
	/* STMT_USERS_ANY */
	"SELECT id FROM users LIMIT 1",
	/* STMT_USER_INSERT: the role by name; no row means no such role. */
	"INSERT INTO users (email, name, password_hash, role_id)"
	" SELECT ?, ?, ?, id FROM roles WHERE name = ?",
	/* STMT_USER_UNLOCK */
	"UPDATE users SET locked = FALSE WHERE email = ?",
	/* STMT_THROTTLE_CLEAR */
	"DELETE FROM login_throttle WHERE throttle_key = CONCAT('user:', ?)",
	/* STMT_AUDIT_PAGE: the chain in id order, a page at a time. */
	"SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS at, CAST(COALESCE(user_id, 0) AS SIGNED) AS user_id,"
	" ip, action, entity, CAST(COALESCE(entity_id, 0) AS SIGNED) AS entity_id, changes, prev_hash, hash"
	" FROM audit_log WHERE id > ? ORDER BY id LIMIT 1000",
	/* STMT_AUDIT_HEAD */
	"SELECT last_id, last_hash FROM audit_head WHERE id = 1",
	/* STMT_ACCOUNTS_ANY */
	"SELECT id FROM accounts LIMIT 1",
	/* STMT_DEMO_OWNERS */
	"SELECT id FROM users WHERE active ORDER BY id LIMIT 100",
	/* STMT_DEMO_ACCOUNT */
	"INSERT INTO accounts (name, industry, website, phone, city, annual_revenue, owner_id)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)",
	/* STMT_DEMO_ACCOUNT_IDS */
	"SELECT CAST(COALESCE(MIN(id), 0) AS SIGNED) AS lo, CAST(COALESCE(MAX(id), 0) AS SIGNED) AS hi"
	" FROM accounts",
	/* STMT_DEMO_CONTACT */
	"INSERT INTO contacts (account_id, first_name, last_name, full_name, title, email, phone, mobile,"
	" email_norm, phone_e164, mobile_e164, city, country, source, consent_email, owner_id, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP() - INTERVAL ? MINUTE)",
	/* STMT_DEMO_ACTIVITY */
	"INSERT INTO activities (kind, subject, account_id, contact_id, at, assignee_id, created_by, done_at)"
	" VALUES (?, ?, ?, ?, UTC_TIMESTAMP() + INTERVAL ? MINUTE, ?, ?,"
	" IF(? = 1, UTC_TIMESTAMP(), NULL))",
	/* STMT_SEARCH_CLEAR .. STMT_SEARCH_INDEX: a rebuild fills the table
	 * first and builds the full-text index once, about three times faster
	 * than indexing row by row. */
	"TRUNCATE TABLE search_index",
	"ALTER TABLE search_index DROP INDEX search_body",
	CRM_SEARCH_PUT CRM_SEARCH_CONTACT_ROWS,
	CRM_SEARCH_PUT CRM_SEARCH_ACCOUNT_ROWS,
	"ALTER TABLE search_index ADD FULLTEXT KEY search_body (body)"
	" COMMENT 'tokenizer \"TokenBigram\", normalizer \"NormalizerAuto\"'",
	/* STMT_DEMO_RECOUNT: the maintained counters, set once after a bulk load. */
	"UPDATE record_counts SET live = CASE entity"
	" WHEN 'account' THEN (SELECT COUNT(*) FROM accounts WHERE deleted_at IS NULL)"
	" WHEN 'contact' THEN (SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL) ELSE live END",
};
_Static_assert(CRM_NELEM(crmctl_stmts) == STMT__MAX, "crmctl_stmts");
