/* Every SQL statement crmctl runs (STYLE rule 19). */
#include "crm_search.h"
#include "extern.h"

/* The sales demo's bulk inserts: one row's placeholders, and DEMO_ROWS
 * (50) of them in one statement. */
#define DEMO_R2(r) r "," r
#define DEMO_R10(r) DEMO_R2(r) "," DEMO_R2(r) "," DEMO_R2(r) "," DEMO_R2(r) "," DEMO_R2(r)
#define DEMO_MANY(r) DEMO_R10(r) "," DEMO_R10(r) "," DEMO_R10(r) "," DEMO_R10(r) "," DEMO_R10(r)
#define DEMO_INSERT_TICKET "INSERT INTO tickets (id, subject, description, contact_id, account_id," \
	" requester_name, requester_email, category_id, priority, status, channel, owner_id, team_id," \
	" first_responded_at, resolved_at, closed_at, public_token, csat_token, created_at) VALUES "
#define DEMO_ROW_TICKET "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_TMSG "INSERT INTO ticket_messages (ticket_id, kind, body, author_id, author_name, created_at) VALUES "
#define DEMO_ROW_TMSG "(?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_CSAT "INSERT INTO csat_responses (ticket_id, score, comment, agent_id, team_id, category_id," \
	" created_at) VALUES "
#define DEMO_ROW_CSAT "(?, ?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_LEAD "INSERT INTO leads (id, first_name, last_name, full_name, company, title, email," \
	" email_norm, phone, city, country, source, status, disqualified_reason, score, owner_id, created_at," \
	" converted_at) VALUES "
#define DEMO_ROW_LEAD "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_OPP "INSERT INTO opportunities (id, name, account_id, pipeline_id, stage_id, amount," \
	" probability, close_date, source, lost_reason, owner_id, closed_at, created_at) VALUES "
#define DEMO_ROW_OPP "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_HISTORY "INSERT INTO opportunity_stage_history (opportunity_id, stage_id, entered_at," \
	" left_at, amount, user_id) VALUES "
#define DEMO_ROW_HISTORY "(?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_QUOTE "INSERT INTO quotes (id, number, opportunity_id, account_id, price_book_id," \
	" currency, title, status, valid_until, subtotal, discount_total, tax_total, total, max_discount," \
	" approved_by, approved_at, sent_at, accepted_at, accepted_name, owner_id, created_at) VALUES "
#define DEMO_ROW_QUOTE "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define DEMO_LINE_COLUMNS " position, product_id, description, quantity, unit_price, discount, tax_rate," \
	" net, tax, total) VALUES "
#define DEMO_ROW_LINE "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_QUOTE_LINE "INSERT INTO quote_lines (quote_id," DEMO_LINE_COLUMNS
#define DEMO_INSERT_ORDER_LINE "INSERT INTO order_lines (order_id," DEMO_LINE_COLUMNS
#define DEMO_INSERT_ORDER "INSERT INTO orders (id, number, account_id, currency, status, ordered_on," \
	" shipped_on, delivered_on, cancelled_on, subtotal, tax_total, total, total_base, owner_id," \
	" created_at) VALUES "
#define DEMO_ROW_ORDER "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_INVOICE "INSERT INTO invoices (id, number, year, sequence, order_id, account_id," \
	" currency, issued_on, due_on, subtotal, tax_total, total, paid, status, owner_id) VALUES "
#define DEMO_ROW_INVOICE "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define DEMO_INSERT_PAYMENT "INSERT INTO payments (invoice_id, amount, paid_on, method, reference," \
	" created_by) VALUES "
#define DEMO_ROW_PAYMENT "(?, ?, ?, ?, ?, ?)"

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
	/* STMT_SEARCH_KB_CLEAR, STMT_SEARCH_KB: the knowledge base's own index
	 * (026_kb_search.sql), a few thousand rows at most, indexed as they go. */
	"TRUNCATE TABLE kb_search",
	"INSERT INTO kb_search (article_id, published, title, body)"
	" SELECT id, status = 'published', title, body FROM kb_articles",
	/* STMT_DEMO_RECOUNT: the maintained counters, set once after a bulk load. */
	"UPDATE record_counts SET live = CASE entity"
	" WHEN 'account' THEN (SELECT COUNT(*) FROM accounts WHERE deleted_at IS NULL)"
	" WHEN 'contact' THEN (SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL) ELSE live END",
	/* STMT_DEMO_SELLERS: who owns the sales demo: active users who sell. */
	"SELECT u.id FROM users u WHERE u.active AND EXISTS (SELECT 1 FROM role_permissions p"
	" WHERE p.role_id = u.role_id AND p.permission IN ('*', 'sales.write')) ORDER BY u.id LIMIT 100",
	/* STMT_DEMO_TEAM */
	"INSERT IGNORE INTO teams (name) VALUES (?)",
	/* STMT_DEMO_TEAM_ID */
	"SELECT id FROM teams WHERE name = ?",
	/* STMT_DEMO_USER: email, name, password hash, team, language, role. */
	"INSERT IGNORE INTO users (email, name, password_hash, role_id, team_id, language)"
	" SELECT ?, ?, ?, id, ?, ? FROM roles WHERE name = ?",
	/* STMT_DEMO_BASE_CURRENCY */
	"SELECT value FROM settings WHERE name = 'base_currency'",
	/* STMT_DEMO_PRODUCT */
	"INSERT IGNORE INTO products (sku, name, description, category, unit, list_price, tax_rate)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)",
	/* STMT_DEMO_PRODUCTS */
	"SELECT id, list_price, tax_rate FROM products WHERE sku LIKE 'DEMO-%' ORDER BY id",
	/* STMT_DEMO_BOOK */
	"INSERT IGNORE INTO price_books (name, currency) VALUES (?, ?)",
	/* STMT_DEMO_BOOKS: the default book, then the demo's two by name. */
	"SELECT (SELECT id FROM price_books WHERE is_default LIMIT 1) AS standard,"
	" (SELECT id FROM price_books WHERE name = ?) AS wholesale,"
	" (SELECT id FROM price_books WHERE name = ?) AS foreign_book",
	/* STMT_DEMO_PRICE */
	"INSERT IGNORE INTO prices (price_book_id, product_id, price) VALUES (?, ?, ?)",
	/* STMT_DEMO_RATE: an admin's rate stays. */
	"INSERT IGNORE INTO exchange_rates (currency, rate) VALUES (?, ?)",
	/* STMT_DEMO_STAGES: the default pipeline's stages in order. */
	"SELECT s.id, s.kind, s.probability, s.pipeline_id FROM pipeline_stages s"
	" JOIN pipelines p ON p.id = s.pipeline_id WHERE p.is_default AND s.active ORDER BY s.position, s.id",
	/* STMT_DEMO_NEXT_IDS: the demo numbers its rows itself, from here. */
	"SELECT CAST((SELECT COALESCE(MAX(id), 0) FROM opportunities) AS SIGNED) AS opportunity,"
	" CAST((SELECT COALESCE(MAX(id), 0) FROM quotes) AS SIGNED) AS quote,"
	" CAST((SELECT COALESCE(MAX(id), 0) FROM orders) AS SIGNED) AS orders,"
	" CAST((SELECT COALESCE(MAX(id), 0) FROM invoices) AS SIGNED) AS invoice,"
	" CAST((SELECT COALESCE(MAX(id), 0) FROM leads) AS SIGNED) AS lead",
	/* STMT_DEMO_COUNTERS */
	"SELECT CAST(year AS SIGNED) AS year, last_number FROM invoice_counters FOR UPDATE",
	/* STMT_DEMO_COUNTER_PUT */
	"INSERT INTO invoice_counters (year, last_number) VALUES (?, ?)"
	" ON DUPLICATE KEY UPDATE last_number = VALUES(last_number)",
	/* STMT_DEMO_SALES_COUNTERS: the numbers the module gives next quotes
	 * and orders (sales_counters) follow on from the demo's. */
	"INSERT INTO sales_counters (kind, year, last_number)"
	" SELECT kind, year, MAX(n) FROM ("
	" SELECT 'quote' AS kind, CAST(SUBSTRING(number, 3, 4) AS UNSIGNED) AS year,"
	" CAST(SUBSTRING_INDEX(number, '-', -1) AS UNSIGNED) AS n FROM quotes WHERE number REGEXP '^Q-[0-9]{4}-[0-9]+$'"
	" UNION ALL SELECT 'order', CAST(SUBSTRING(number, 4, 4) AS UNSIGNED),"
	" CAST(SUBSTRING_INDEX(number, '-', -1) AS UNSIGNED) FROM orders WHERE number REGEXP '^SO-[0-9]{4}-[0-9]+$') t"
	" GROUP BY kind, year ON DUPLICATE KEY UPDATE last_number = GREATEST(last_number, VALUES(last_number))",
	/* STMT_DEMO_QUOTA: a quota someone set stays. */
	"INSERT IGNORE INTO quotas (user_id, month, amount) VALUES (?, ?, ?)",
	/* STMT_DEMO_LEAD_1, _N */
	DEMO_INSERT_LEAD DEMO_ROW_LEAD,
	DEMO_INSERT_LEAD DEMO_MANY(DEMO_ROW_LEAD),
	/* STMT_DEMO_OPP_1, _N */
	DEMO_INSERT_OPP DEMO_ROW_OPP,
	DEMO_INSERT_OPP DEMO_MANY(DEMO_ROW_OPP),
	/* STMT_DEMO_HISTORY_1, _N */
	DEMO_INSERT_HISTORY DEMO_ROW_HISTORY,
	DEMO_INSERT_HISTORY DEMO_MANY(DEMO_ROW_HISTORY),
	/* STMT_DEMO_QUOTE_1, _N */
	DEMO_INSERT_QUOTE DEMO_ROW_QUOTE,
	DEMO_INSERT_QUOTE DEMO_MANY(DEMO_ROW_QUOTE),
	/* STMT_DEMO_QUOTE_LINE_1, _N */
	DEMO_INSERT_QUOTE_LINE DEMO_ROW_LINE,
	DEMO_INSERT_QUOTE_LINE DEMO_MANY(DEMO_ROW_LINE),
	/* STMT_DEMO_ORDER_1, _N */
	DEMO_INSERT_ORDER DEMO_ROW_ORDER,
	DEMO_INSERT_ORDER DEMO_MANY(DEMO_ROW_ORDER),
	/* STMT_DEMO_ORDER_LINE_1, _N */
	DEMO_INSERT_ORDER_LINE DEMO_ROW_LINE,
	DEMO_INSERT_ORDER_LINE DEMO_MANY(DEMO_ROW_LINE),
	/* STMT_DEMO_INVOICE_1, _N */
	DEMO_INSERT_INVOICE DEMO_ROW_INVOICE,
	DEMO_INSERT_INVOICE DEMO_MANY(DEMO_ROW_INVOICE),
	/* STMT_DEMO_PAYMENT_1, _N */
	DEMO_INSERT_PAYMENT DEMO_ROW_PAYMENT,
	DEMO_INSERT_PAYMENT DEMO_MANY(DEMO_ROW_PAYMENT),
	/* STMT_DEMO_SVC_AGENTS: the demo support team's agents. */
	"SELECT id FROM users WHERE team_id = ? AND active ORDER BY id",
	/* STMT_DEMO_SVC_CONTACTS: whom the demo tickets are from. */
	"SELECT id, account_id, full_name, COALESCE(email, '') AS email FROM contacts WHERE deleted_at IS NULL"
	" ORDER BY id DESC LIMIT 2000",
	/* STMT_DEMO_SVC_CATEGORIES */
	"SELECT id FROM ticket_categories WHERE active ORDER BY id",
	/* STMT_DEMO_SVC_NEXT: the demo numbers its tickets itself, from here. */
	"SELECT CAST(COALESCE(MAX(id), 0) AS SIGNED) AS id FROM tickets",
	/* STMT_DEMO_TICKET_1, _N */
	DEMO_INSERT_TICKET DEMO_ROW_TICKET,
	DEMO_INSERT_TICKET DEMO_MANY(DEMO_ROW_TICKET),
	/* STMT_DEMO_TMSG_1, _N */
	DEMO_INSERT_TMSG DEMO_ROW_TMSG,
	DEMO_INSERT_TMSG DEMO_MANY(DEMO_ROW_TMSG),
	/* STMT_DEMO_CSAT_1, _N */
	DEMO_INSERT_CSAT DEMO_ROW_CSAT,
	DEMO_INSERT_CSAT DEMO_MANY(DEMO_ROW_CSAT),
	/* STMT_DEMO_KB_CATEGORY */
	"INSERT IGNORE INTO kb_categories (name, position) VALUES (?, ?)",
	/* STMT_DEMO_KB_CATEGORY_ID */
	"SELECT id FROM kb_categories WHERE name = ?",
	/* STMT_DEMO_KB_ARTICLE: category, title, body, status (twice), author. */
	"INSERT INTO kb_articles (category_id, title, body, status, published_at, author_id)"
	" VALUES (?, ?, ?, ?, IF(? = 'published', UTC_TIMESTAMP(), NULL), ?)",
	/* STMT_DEMO_KB_SEARCH: the article in the knowledge base's search
	 * (026_kb_search.sql), as saving it from the page does. */
	"REPLACE INTO kb_search (article_id, published, title, body)"
	" SELECT id, status = 'published', title, body FROM kb_articles WHERE id = ?",
	/* STMT_DEMO_MK_CONTACTS: the contacts this run added are the last ones. */
	"SELECT CAST(COALESCE(MAX(id), 0) AS SIGNED) - ? AS lo FROM contacts",
	/* STMT_DEMO_MK_NEXT: names of this run's marketing rows end in it. */
	"SELECT CAST(COALESCE(MAX(id), 0) + 1 AS SIGNED) AS id FROM campaigns",
	/* STMT_DEMO_MK_TEMPLATE */
	"INSERT INTO email_templates (name, subject, body_html, body_text, owner_id) VALUES (?, ?, ?, ?, ?)",
	/* STMT_DEMO_MK_SEGMENT */
	"INSERT INTO segments (name, description, conditions, owner_id) VALUES (?, ?, ?, ?)",
	/* STMT_DEMO_MK_LIST: frozen from the segment. */
	"INSERT INTO target_lists (name, description, source, segment_id, owner_id) VALUES (?, ?, 'segment', ?, ?)",
	/* STMT_DEMO_MK_LIST_FILL: the segment's members (city is Berlin) now. */
	"INSERT IGNORE INTO target_list_members (list_id, contact_id)"
	" SELECT ?, id FROM contacts WHERE city = 'Berlin' AND deleted_at IS NULL",
	/* STMT_DEMO_MK_LIST_COUNT */
	"UPDATE target_lists SET members = (SELECT COUNT(*) FROM target_list_members WHERE list_id = ?) WHERE id = ?",
	/* STMT_DEMO_MK_CAMPAIGN */
	"INSERT INTO campaigns (name, type, status, objective, starts_on, ends_on, currency, budget, actual_cost,"
	" attribution_days, template_id, utm_suffix, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_DEMO_MK_TARGET_LIST */
	"INSERT INTO campaign_targets (campaign_id, list_id) VALUES (?, ?)",
	/* STMT_DEMO_MK_TARGET_SEGMENT */
	"INSERT INTO campaign_targets (campaign_id, segment_id) VALUES (?, ?)",
	/* STMT_DEMO_MK_TARGETED: a planned campaign's members, not reached yet. */
	"INSERT IGNORE INTO campaign_members (campaign_id, contact_id)"
	" SELECT ?, contact_id FROM target_list_members WHERE list_id = ?",
	/* STMT_DEMO_MK_MEMBERS: campaign; the thresholds of a random draw
	 * for bounced, unsubscribed, converted, responded, clicked, opened
	 * (the rest were only sent); the send time; e-mail only to those who
	 * agreed (flag); the first contact id and how many. Each step's time
	 * follows the one before it. */
	"INSERT IGNORE INTO campaign_members (campaign_id, contact_id, status, added_at, sent_at, opened_at,"
	" clicked_at, responded_at, converted_at, unsubscribed_at, bounced_at)"
	" SELECT y.campaign_id, y.id, y.st, y.s0 - INTERVAL 1 DAY, y.s0,"
	" IF(y.st IN ('opened', 'clicked', 'responded', 'converted', 'unsubscribed') AND y.opens, y.s0 + INTERVAL 3 HOUR, NULL),"
	" IF(y.st IN ('clicked', 'responded', 'converted') AND y.opens, y.s0 + INTERVAL 4 HOUR, NULL),"
	" IF(y.st IN ('responded', 'converted'), y.s0 + INTERVAL 2 DAY, NULL),"
	" IF(y.st = 'converted', y.s0 + INTERVAL 9 DAY, NULL),"
	" IF(y.st = 'unsubscribed', y.s0 + INTERVAL 5 HOUR, NULL),"
	" IF(y.st = 'bounced', y.s0 + INTERVAL 1 MINUTE, NULL)"
	" FROM (SELECT x.campaign_id, x.id, x.opens, CASE WHEN x.r < ? THEN 'bounced' WHEN x.r < ? THEN 'unsubscribed'"
	" WHEN x.r < ? THEN 'converted' WHEN x.r < ? THEN 'responded' WHEN x.r < ? THEN 'clicked'"
	" WHEN x.r < ? THEN 'opened' ELSE 'sent' END AS st,"
	" CAST(? AS DATETIME) + INTERVAL FLOOR(x.r2 * 86400) SECOND AS s0"
	" FROM (SELECT ? AS campaign_id, ? AS opens, c.id, RAND() AS r, RAND() AS r2 FROM contacts c"
	" WHERE (? = 0 OR c.consent_email) AND c.deleted_at IS NULL AND c.id > ? ORDER BY c.id LIMIT ?) x) y",
	/* STMT_DEMO_MK_COUNT: counted once after a bulk load. */
	"UPDATE campaigns SET members = (SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ?) WHERE id = ?",
	/* STMT_DEMO_MK_SMS_FLAG: half of this run's contacts who take e-mail
	 * and have a mobile number take SMS too. */
	"UPDATE contacts SET consent_sms = TRUE WHERE id > ? AND mobile <> '' AND consent_email AND MOD(id, 2) = 0",
	/* STMT_DEMO_MK_CONSENTS: purpose (twice), first contact id, purpose:
	 * the record behind each consent flag of this run's contacts. */
	"INSERT INTO consents (contact_id, purpose, granted, source, note, recorded_at)"
	" SELECT c.id, ?, TRUE, 'import', 'demo data', c.created_at FROM contacts c"
	" WHERE IF(? = 'sms', c.consent_sms, c.consent_email) AND c.id > ?"
	" AND NOT EXISTS (SELECT 1 FROM consents x WHERE x.contact_id = c.id AND x.purpose = ?)",
	/* STMT_DEMO_RULE: name, entity, trigger, definition; once per name, so
	 * a second demo run adds none. */
	"INSERT INTO rules (name, entity, trigger_kind, definition) SELECT ?, ?, ?, ? FROM DUAL"
	" WHERE NOT EXISTS (SELECT 1 FROM rules WHERE name = ?)",
	/* STMT_BACKUP_TABLES: what a backup holds and a restore checks. */
	"SELECT table_name AS name, table_type AS type, COALESCE(engine, '') AS engine"
	" FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name",
	/* STMT_BACKUP_LEVEL */
	"SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1",
	/* STMT_RESTORE_OBJECTS: a restore goes into an empty database. */
	"SELECT (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE())"
	" + (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = DATABASE())"
	" + (SELECT COUNT(*) FROM information_schema.events WHERE event_schema = DATABASE()) AS n",
	/* STMT_DEMO_ACCOUNT_PAGE: the live accounts' ids, a page at a time
	 * from the primary key, to pick from: ids have gaps (deleted
	 * accounts), so a number between the lowest and highest may be none. */
	"SELECT id FROM accounts WHERE id > ? AND deleted_at IS NULL ORDER BY id LIMIT 10000",
};
_Static_assert(CRM_NELEM(crmctl_stmts) == STMT__MAX, "crmctl_stmts");
