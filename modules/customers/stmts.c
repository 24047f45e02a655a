/* Every SQL statement crm-customers runs (STYLE rule 19). Record-level
 * access is part of each statement: SCOPE(t) takes the role's scope, the
 * user's id and their team id, and matches only the records of table
 * alias t they reach (o is the owner joined from users). Lists page by
 * keyset, spelled out as ORs so the range optimiser walks the index. */
#include "crm_search.h"
#include "crm_analytics.h"
#include "extern.h"

#define IMPORT_COLUMNS "id, filename, file_size, headers, mapping, duplicates, country, status, total_rows," \
	" rows_done, rows_created, rows_updated, rows_skipped, rows_failed, error, created_at," \
	" started_at, finished_at"
#define DUP_COLUMNS "id, email_norm, phone_e164, mobile_e164, account_id, full_name FROM contacts"
#define Q10 "?,?,?,?,?,?,?,?,?,?"
#define Q100 Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10
/* One contact row of 23 values (CRM_CONTACT_BINDS and the owner), 100 times:
 * IMPORT_BATCH. */
#define CONTACTS_INSERT "INSERT INTO contacts (account_id, first_name, last_name, full_name," \
	" title, email, email2, phone, mobile, email_norm, phone_e164, mobile_e164, street, city," \
	" region, postcode, country, birthday, source, consent_email, consent_phone, notes, owner_id)" \
	" VALUES "
#define R1 "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define R10 R1 "," R1 "," R1 "," R1 "," R1 "," R1 "," R1 "," R1 "," R1 "," R1
#define R100 R10 "," R10 "," R10 "," R10 "," R10 "," R10 "," R10 "," R10 "," R10 "," R10

#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define TAGS(entity, t) \
	" (SELECT GROUP_CONCAT(g.name ORDER BY g.name SEPARATOR ', ') FROM tag_links l" \
	" JOIN tags g ON g.id = l.tag_id WHERE l.entity = '" entity "' AND l.record_id = " t ".id) AS tags"
#define HAS_TAG(entity, t) \
	" (? = '' OR EXISTS (SELECT 1 FROM tag_links l JOIN tags g ON g.id = l.tag_id" \
	" WHERE g.name = ? AND l.entity = '" entity "' AND l.record_id = " t ".id))"
/* One custom field's value (5 binds: field id twice, value twice, the
 * value as a number or NULL; an empty value matches any value of the
 * field). MariaDB turns the EXISTS into a materialised semi-join: the
 * field's records are read once from a (field_id, value_..., record_id)
 * key of custom_values, and the list still walks its order's index
 * (keyset paging as before), probing that set; failing that, each row is
 * one probe of the primary key, as the tag filter's. One statement per
 * page either way. */
#define HAS_CUSTOM(entity, t) \
	" (? = 0 OR EXISTS (SELECT 1 FROM custom_values v WHERE v.entity = '" entity "'" \
	" AND v.record_id = " t ".id AND v.field_id = ? AND (? = '' OR v.value_text = ? OR v.value_num = ?)))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define LIMIT " LIMIT 51"

/* Accounts. */
#define ACCOUNT_COLUMNS \
	"a.id, a.name, a.industry, a.size, a.website, a.phone, a.street, a.city, a.region," \
	" a.postcode, a.country, a.annual_revenue, a.notes, a.owner_id, o.name AS owner," \
	" " STAMP("a.created_at") " AS created_at, " STAMP("a.updated_at") " AS updated_at," \
	" " STAMP("a.deleted_at") " AS deleted_at," \
	" (SELECT value FROM settings WHERE name = 'base_currency') AS currency," TAGS("account", "a")
/* What the list page shows (the revenue with its currency), and the keys
 * of its pages; the API's list keeps every column. */
#define ACCOUNT_BRIEF_COLUMNS \
	"a.id, a.name, a.industry, a.phone, a.city, a.annual_revenue, a.owner_id, o.name AS owner," \
	" " STAMP("a.created_at") " AS created_at," \
	" (SELECT value FROM settings WHERE name = 'base_currency') AS currency," TAGS("account", "a")
#define ACCOUNT_FROM " FROM accounts a JOIN users o ON o.id = a.owner_id"
/* Lists walk the index of their order and stop at the 51st row: the
 * optimiser, which sees a handful of users, would rather start from them
 * and sort a million contacts. */
#define ACCOUNT_LIST_FROM(index) \
	" FROM accounts a FORCE INDEX (" index ") STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = a.owner_id"
/* 5 scope, then q (2), owner (2), city (2), tag (2), created from/to (4),
 * custom field (5). */
#define ACCOUNT_FILTERS \
	" WHERE a.deleted_at IS NULL AND" SCOPE("a") \
	" AND (? = '' OR a.name LIKE CONCAT(?, '%'))" \
	" AND (? = 0 OR a.owner_id = ?) AND (? = '' OR a.city = ?) AND" HAS_TAG("account", "a") \
	" AND (? = '' OR a.created_at >= ?) AND (? = '' OR a.created_at < ? + INTERVAL 1 DAY)" \
	" AND" HAS_CUSTOM("account", "a")

/* Contacts. */
#define CONTACT_COLUMNS \
	"c.id, c.account_id, a.name AS account, c.first_name, c.last_name, c.full_name, c.title," \
	" c.email, c.email2, c.phone, c.mobile, c.email_norm, c.phone_e164, c.mobile_e164, c.street, c.city," \
	" c.region, c.postcode, c.country, DATE_FORMAT(c.birthday, '%Y-%m-%d') AS birthday," \
	" c.source, c.consent_email, c.consent_phone, c.notes, c.owner_id, o.name AS owner," \
	" " STAMP("c.created_at") " AS created_at, " STAMP("c.updated_at") " AS updated_at," \
	" " STAMP("c.deleted_at") " AS deleted_at," TAGS("contact", "c")
/* What the list page shows, and the keys of its pages (name, city,
 * created_at): a third of CONTACT_COLUMNS, so a third of the cells to
 * read and build. The API's list keeps every column. */
#define CONTACT_BRIEF_COLUMNS \
	"c.id, c.account_id, a.name AS account, c.full_name, c.title, c.email, c.phone, c.city," \
	" c.owner_id, o.name AS owner, " STAMP("c.created_at") " AS created_at," TAGS("contact", "c")
/* A list by name, by city and newest first: three statements, numbered
 * from first on. */
#define ACCOUNT_LISTS(first, cols, limit) \
	[first] = "SELECT " cols ACCOUNT_LIST_FROM("accounts_name") ACCOUNT_FILTERS BY_NAME("a", "name") limit, \
	[first + 1] = "SELECT " cols ACCOUNT_LIST_FROM("accounts_city") ACCOUNT_FILTERS BY_CITY("a", "name") limit, \
	[first + 2] = "SELECT " cols ACCOUNT_LIST_FROM("accounts_created") ACCOUNT_FILTERS BY_NEWEST("a") limit
#define CONTACT_LISTS(first, cols, limit) \
	[first] = "SELECT " cols CONTACT_LIST_FROM("contacts_name") CONTACT_FILTERS BY_NAME("c", "full_name") limit, \
	[first + 1] = "SELECT " cols CONTACT_LIST_FROM("contacts_city") CONTACT_FILTERS BY_CITY("c", "full_name") limit, \
	[first + 2] = "SELECT " cols CONTACT_LIST_FROM("contacts_created") CONTACT_FILTERS BY_NEWEST("c") limit
#define CONTACT_FROM \
	" FROM contacts c JOIN users o ON o.id = c.owner_id LEFT JOIN accounts a ON a.id = c.account_id"
#define CONTACT_LIST_FROM(index) \
	" FROM contacts c FORCE INDEX (" index ") STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = c.owner_id" \
	" LEFT JOIN accounts a ON a.id = c.account_id"
/* 5 scope, then q (2), owner (2), account (2), city (2), tag (2), created (4),
 * custom field (5). */
#define CONTACT_FILTERS \
	" WHERE c.deleted_at IS NULL AND" SCOPE("c") \
	" AND (? = '' OR c.full_name LIKE CONCAT(?, '%'))" \
	" AND (? = 0 OR c.owner_id = ?) AND (? = 0 OR c.account_id = ?) AND (? = '' OR c.city = ?)" \
	" AND" HAS_TAG("contact", "c") \
	" AND (? = '' OR c.created_at >= ?) AND (? = '' OR c.created_at < ? + INTERVAL 1 DAY)" \
	" AND" HAS_CUSTOM("contact", "c")
#define CONTACT_SET \
	" account_id = ?, first_name = ?, last_name = ?, full_name = ?, title = ?, email = ?," \
	" email2 = ?, phone = ?, mobile = ?, email_norm = ?, phone_e164 = ?, mobile_e164 = ?," \
	" street = ?, city = ?, region = ?, postcode = ?, country = ?, birthday = ?, source = ?," \
	" consent_email = ?, consent_phone = ?, notes = ?"

/* Keysets, each after the filters: by name (2 binds), by city then name
 * (5), newest first (3: a first-page flag, then created and id). */
#define BY_NAME(t, col) \
	" AND (" t "." col " > ? OR (" t "." col " = ? AND " t ".id > ?))" \
	" ORDER BY " t "." col ", " t ".id"
#define BY_CITY(t, col) \
	" AND (" t ".city > ? OR (" t ".city = ? AND (" t "." col " > ? OR (" t "." col " = ?" \
	" AND " t ".id > ?))))" \
	" ORDER BY " t ".city, " t "." col ", " t ".id"
#define BY_NEWEST(t) \
	" AND (? = 1 OR " t ".created_at < ? OR (" t ".created_at = ? AND " t ".id < ?))" \
	" ORDER BY " t ".created_at DESC, " t ".id DESC"
/* Exports read the same lists a thousand rows at a time. */
#define EXPORT_LIMIT " LIMIT 1001"

#define ACTIVITY_COLUMNS \
	"t.id, t.kind, t.subject, t.body, t.account_id, t.contact_id, " STAMP("t.at") " AS at," \
	" " STAMP("t.ends_at") " AS ends_at, t.assignee_id, u.name AS assignee," \
	" " STAMP("t.done_at") " AS done_at, t.created_by"
/* An activity is reached through its contact or account: the owner of
 * the one it hangs on decides, and its assignee always reaches it (a
 * meeting made on a phone over CalDAV hangs on neither: only its
 * assignee, and the all scope, reach it). */
#define ACTIVITY_FROM \
	" FROM activities t JOIN users u ON u.id = t.assignee_id" \
	" LEFT JOIN contacts c ON c.id = t.contact_id LEFT JOIN accounts a ON a.id = t.account_id" \
	" LEFT JOIN users o ON o.id = COALESCE(c.owner_id, a.owner_id)"
#define ACTIVITY_SCOPE \
	" (t.assignee_id = ? OR ? = 'all' OR o.id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"

#define DUP_MEMBERS \
	" COUNT(*) AS n, JSON_ARRAYAGG(JSON_OBJECT('id', c.id, 'name', c.full_name, 'email', c.email," \
	" 'phone', c.phone, 'account', a.name, 'owner', o.name, 'created_at', " STAMP("c.created_at") \
	")) AS members, MIN(c.account_id) AS account_id, MIN(c.full_name) AS full_name"

#define SEARCH_SQL(filter) \
	"SELECT s.entity, s.id, COALESCE(c.full_name, ac.name) AS name, COALESCE(c.email, ac.website) AS email," \
	" COALESCE(NULLIF(c.phone, ''), c.mobile, ac.phone) AS phone, ca.name AS account, c.account_id," \
	" COALESCE(c.city, ac.city) AS city, o.name AS owner" \
	" FROM (SELECT entity, id, MATCH(body) AGAINST(? IN BOOLEAN MODE) AS score FROM search_index" \
	" WHERE MATCH(body) AGAINST(? IN BOOLEAN MODE)" filter \
	" ORDER BY MATCH(body) AGAINST(? IN BOOLEAN MODE) DESC LIMIT 51) s" \
	" LEFT JOIN contacts c ON s.entity = 1 AND c.id = s.id AND c.deleted_at IS NULL" \
	" LEFT JOIN accounts ca ON ca.id = c.account_id" \
	" LEFT JOIN accounts ac ON s.entity = 2 AND ac.id = s.id AND ac.deleted_at IS NULL" \
	" JOIN users o ON o.id = COALESCE(c.owner_id, ac.owner_id)" \
	" WHERE (? = 'all' OR o.id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))" \
	" ORDER BY s.score DESC, s.entity, s.id"

const char *const customers_stmts[STMT__MAX] = {
	/* Each list in its three orders, in customers_sort_stmt's order. */
	ACCOUNT_LISTS(STMT_ACCOUNTS_BY_NAME, ACCOUNT_COLUMNS, LIMIT),
	ACCOUNT_LISTS(STMT_ACCOUNTS_BRIEF_BY_NAME, ACCOUNT_BRIEF_COLUMNS, LIMIT),
	ACCOUNT_LISTS(STMT_ACCOUNTS_EXPORT_BY_NAME, ACCOUNT_COLUMNS, EXPORT_LIMIT),
	/* With its customer value, segment, churn risk and sentiment as the
	 * analytics (lib/crm_analytics.c) last worked them out. */
	[STMT_ACCOUNT_GET] = "SELECT " ACCOUNT_COLUMNS ", s.r AS rfm_r, s.f AS rfm_f, s.m AS rfm_m,"
	    " s.recency_days AS rfm_recency, s.orders AS rfm_orders, s.revenue AS rfm_revenue,"
	    " s.clv AS score_clv, s.cost_to_serve AS score_cost, s.segment AS score_segment,"
	    " CAST(ROUND(s.churn_probability * 100) AS SIGNED) AS score_churn, s.churn_probability IS NOT NULL AS has_churn,"
	    " CAST(ROUND(s.sentiment, 2) AS CHAR) AS score_sentiment,"
	    " " STAMP("s.computed_at") " AS rfm_at" ACCOUNT_FROM " LEFT JOIN customer_scores s ON s.account_id = a.id"
	    " WHERE a.id = ? AND (a.deleted_at IS NULL OR ? = 1) AND" SCOPE("a"),
	[STMT_ACCOUNT_CREATE] = "INSERT INTO accounts (name, industry, size, website, phone, street,"
	    " city, region, postcode, country, annual_revenue, notes, owner_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* The scope again, so a record out of reach is never changed even if
	 * its id is guessed. */
	[STMT_ACCOUNT_UPDATE] = "UPDATE accounts a JOIN users o ON o.id = a.owner_id SET a.name = ?,"
	    " a.industry = ?, a.size = ?, a.website = ?, a.phone = ?, a.street = ?, a.city = ?,"
	    " a.region = ?, a.postcode = ?, a.country = ?, a.annual_revenue = ?, a.notes = ?"
	    " WHERE a.id = ? AND a.deleted_at IS NULL AND" SCOPE("a"),
	[STMT_ACCOUNT_REASSIGN] = "UPDATE accounts a JOIN users o ON o.id = a.owner_id"
	    " SET a.owner_id = ? WHERE a.id = ? AND a.deleted_at IS NULL AND" SCOPE("a"),
	[STMT_ACCOUNT_DELETE] = "UPDATE accounts a JOIN users o ON o.id = a.owner_id"
	    " SET a.deleted_at = UTC_TIMESTAMP() WHERE a.id = ? AND a.deleted_at IS NULL AND" SCOPE("a"),
	[STMT_ACCOUNT_RESTORE] = "UPDATE accounts SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL",
	[STMT_ACCOUNTS_DELETED] = "SELECT a.id, a.name, o.name AS owner, " STAMP("a.deleted_at") " AS deleted_at"
	    ACCOUNT_FROM " WHERE a.deleted_at IS NOT NULL AND (a.deleted_at < ? OR (a.deleted_at = ? AND a.id < ?))"
	    " ORDER BY a.deleted_at DESC, a.id DESC" LIMIT,
	/* The contacts of an account on its page: the first 50 by name. */
	[STMT_ACCOUNT_CONTACTS] = "SELECT c.id, c.full_name, c.title, c.email, c.phone FROM contacts c"
	    " WHERE c.account_id = ? AND c.deleted_at IS NULL ORDER BY c.full_name, c.id" LIMIT,

	CONTACT_LISTS(STMT_CONTACTS_BY_NAME, CONTACT_COLUMNS, LIMIT),
	CONTACT_LISTS(STMT_CONTACTS_BRIEF_BY_NAME, CONTACT_BRIEF_COLUMNS, LIMIT),
	CONTACT_LISTS(STMT_CONTACTS_EXPORT_BY_NAME, CONTACT_COLUMNS, EXPORT_LIMIT),
	[STMT_CONTACT_GET] = "SELECT " CONTACT_COLUMNS CONTACT_FROM
	    " WHERE c.id = ? AND (c.deleted_at IS NULL OR ? = 1) AND" SCOPE("c"),
	[STMT_CONTACT_CREATE] = "INSERT INTO contacts SET" CONTACT_SET ", owner_id = ?",
	[STMT_CONTACT_UPDATE] = "UPDATE contacts c JOIN users o ON o.id = c.owner_id SET"
	    " c.account_id = ?, c.first_name = ?, c.last_name = ?, c.full_name = ?, c.title = ?,"
	    " c.email = ?, c.email2 = ?, c.phone = ?, c.mobile = ?, c.email_norm = ?, c.phone_e164 = ?,"
	    " c.mobile_e164 = ?, c.street = ?, c.city = ?, c.region = ?, c.postcode = ?, c.country = ?,"
	    " c.birthday = ?, c.source = ?, c.consent_email = ?, c.consent_phone = ?, c.notes = ?"
	    " WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	[STMT_CONTACT_REASSIGN] = "UPDATE contacts c JOIN users o ON o.id = c.owner_id"
	    " SET c.owner_id = ? WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	[STMT_CONTACT_DELETE] = "UPDATE contacts c JOIN users o ON o.id = c.owner_id"
	    " SET c.deleted_at = UTC_TIMESTAMP() WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	[STMT_CONTACT_RESTORE] = "UPDATE contacts SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL",
	[STMT_CONTACTS_DELETED] = "SELECT c.id, c.full_name AS name, o.name AS owner, "
	    STAMP("c.deleted_at") " AS deleted_at FROM contacts c JOIN users o ON o.id = c.owner_id"
	    " WHERE c.deleted_at IS NOT NULL AND (c.deleted_at < ? OR (c.deleted_at = ? AND c.id < ?))"
	    " ORDER BY c.deleted_at DESC, c.id DESC" LIMIT,

	/* An account the user reaches, by id: the link a contact form names. */
	[STMT_ACCOUNT_REACHABLE] = "SELECT a.id, a.name" ACCOUNT_FROM
	    " WHERE a.id = ? AND a.deleted_at IS NULL AND" SCOPE("a"),
	/* The same by exact name, two at most: a second one means "pick one". */
	[STMT_ACCOUNT_BY_NAME] = "SELECT a.id, a.name" ACCOUNT_FROM
	    " WHERE a.name = ? AND a.deleted_at IS NULL AND" SCOPE("a") " ORDER BY a.id LIMIT 2",
	/* Autocomplete: ten at most, by name prefix. */
	[STMT_LOOKUP_ACCOUNTS] = "SELECT a.id, a.name AS label" ACCOUNT_FROM
	    " WHERE a.name LIKE CONCAT(?, '%') AND a.deleted_at IS NULL AND" SCOPE("a")
	    " ORDER BY a.name, a.id LIMIT 10",
	[STMT_LOOKUP_CONTACTS] = "SELECT c.id, c.full_name AS label FROM contacts c"
	    " JOIN users o ON o.id = c.owner_id WHERE c.full_name LIKE CONCAT(?, '%')"
	    " AND c.deleted_at IS NULL AND" SCOPE("c") " ORDER BY c.full_name, c.id LIMIT 10",
	[STMT_LOOKUP_USERS] = "SELECT id, name AS label FROM users WHERE active AND name LIKE CONCAT(?, '%')"
	    " ORDER BY name, id LIMIT 10",
	[STMT_USER_ACTIVE] = "SELECT id, name FROM users WHERE id = ? AND active",
	[STMT_USER_BY_NAME] = "SELECT id, name FROM users WHERE name = ? AND active ORDER BY id LIMIT 2",

	/* Tags: the set is replaced whole on save. */
	[STMT_COUNT_ADD] = "UPDATE record_counts SET live = live + ? WHERE entity = ?",
	[STMT_COUNT_GET] = "SELECT live FROM record_counts WHERE entity = ?",

	/* Activities. Timelines page by (at, id) newest first. */
	[STMT_TIMELINE_ACCOUNT] = "SELECT " ACTIVITY_COLUMNS ", c.full_name AS contact"
	    " FROM activities t JOIN users u ON u.id = t.assignee_id LEFT JOIN contacts c ON c.id = t.contact_id"
	    " WHERE t.account_id = ? AND t.deleted_at IS NULL"
	    " AND (? = 1 OR t.at < ? OR (t.at = ? AND t.id < ?)) ORDER BY t.at DESC, t.id DESC LIMIT 21",
	[STMT_TIMELINE_CONTACT] = "SELECT " ACTIVITY_COLUMNS ", NULL AS contact"
	    " FROM activities t JOIN users u ON u.id = t.assignee_id"
	    " WHERE t.contact_id = ? AND t.deleted_at IS NULL"
	    " AND (? = 1 OR t.at < ? OR (t.at = ? AND t.id < ?)) ORDER BY t.at DESC, t.id DESC LIMIT 21",
	[STMT_ACTIVITY_CREATE] = "INSERT INTO activities (kind, subject, body, account_id, contact_id,"
	    " at, ends_at, assignee_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_ACTIVITY_GET] = "SELECT " ACTIVITY_COLUMNS ACTIVITY_FROM
	    " WHERE t.id = ? AND t.deleted_at IS NULL AND" ACTIVITY_SCOPE,
	[STMT_ACTIVITY_DONE] = "UPDATE activities SET done_at = IF(? = 1, UTC_TIMESTAMP(), NULL)"
	    " WHERE id = ? AND kind = 'task' AND deleted_at IS NULL",
	[STMT_ACTIVITY_DELETE] = "UPDATE activities SET deleted_at = UTC_TIMESTAMP()"
	    " WHERE id = ? AND deleted_at IS NULL",
	/* My tasks: open ones, overdue first (they sort first by due time). */
	[STMT_MY_TASKS] = "SELECT t.id, t.subject, " STAMP("t.at") " AS at, t.account_id, t.contact_id,"
	    " a.name AS account, c.full_name AS contact, t.at < UTC_TIMESTAMP() AS overdue"
	    " FROM activities t LEFT JOIN accounts a ON a.id = t.account_id"
	    " LEFT JOIN contacts c ON c.id = t.contact_id"
	    " WHERE t.assignee_id = ? AND t.kind = 'task' AND t.done_at IS NULL AND t.deleted_at IS NULL"
	    " AND (t.at > ? OR (t.at = ? AND t.id > ?)) ORDER BY t.at, t.id" LIMIT,
	/* The calendar: meetings, calls and task due dates between two
	 * instants, for one user or for everyone in a team. */
	[STMT_CALENDAR] = "SELECT t.id, t.kind, t.subject, " STAMP("t.at") " AS at, "
	    STAMP("t.ends_at") " AS ends_at, t.account_id, t.contact_id, u.name AS assignee,"
	    " t.done_at IS NOT NULL AS done FROM activities t JOIN users u ON u.id = t.assignee_id"
	    " WHERE t.kind IN ('meeting', 'call', 'task') AND t.deleted_at IS NULL"
	    " AND t.at >= ? AND t.at < ? AND (u.id = ? OR (? <> 0 AND u.team_id = ?))"
	    " ORDER BY t.at, t.id LIMIT 500",
	[STMT_FEED_USER] = "SELECT id, name FROM users WHERE calendar_token = ? AND active",
	[STMT_FEED_ITEMS] = "SELECT t.id, t.kind, t.subject, t.body, " STAMP("t.at") " AS at, "
	    STAMP("t.ends_at") " AS ends_at, " STAMP("t.done_at") " AS done_at, "
	    STAMP("t.updated_at") " AS updated_at, t.account_id, t.contact_id FROM activities t"
	    " WHERE t.assignee_id = ? AND t.kind IN ('meeting', 'call', 'task') AND t.deleted_at IS NULL"
	    " AND t.at >= UTC_TIMESTAMP() - INTERVAL 90 DAY ORDER BY t.at LIMIT 2000",
	[STMT_FEED_TOKEN_SET] = "UPDATE users SET calendar_token = ? WHERE id = ?",
	/* Likely duplicates, a group per key, keyset by the key: the same
	 * normalised e-mail, the same E.164 phone, or the same name in the
	 * same account (the collation ignores case and accents). */
	[STMT_DUPLICATES_EMAIL] = "SELECT c.email_norm AS dkey," DUP_MEMBERS CONTACT_LIST_FROM("contacts_email")
	    " WHERE c.deleted_at IS NULL AND c.email_norm <> '' AND c.email_norm > ? AND" SCOPE("c")
	    " GROUP BY c.email_norm HAVING COUNT(*) > 1 ORDER BY c.email_norm LIMIT 21",
	[STMT_DUPLICATES_PHONE] = "SELECT c.phone_e164 AS dkey," DUP_MEMBERS CONTACT_LIST_FROM("contacts_phone")
	    " WHERE c.deleted_at IS NULL AND c.phone_e164 <> '' AND c.phone_e164 > ? AND" SCOPE("c")
	    " GROUP BY c.phone_e164 HAVING COUNT(*) > 1 ORDER BY c.phone_e164 LIMIT 21",
	[STMT_DUPLICATES_NAME] = "SELECT CONCAT(c.account_id, ':', c.full_name) AS dkey," DUP_MEMBERS CONTACT_LIST_FROM("contacts_account")
	    " WHERE c.deleted_at IS NULL AND c.account_id IS NOT NULL"
	    " AND (c.account_id > ? OR (c.account_id = ? AND c.full_name > ?)) AND" SCOPE("c")
	    " GROUP BY c.account_id, c.full_name HAVING COUNT(*) > 1 ORDER BY c.account_id, c.full_name LIMIT 21",
	/* Merge: the survivor takes the chosen values; the other's related
	 * records move to it; the other goes to the trash, pointing at it. */
	[STMT_MERGE_SET] = "UPDATE contacts SET" CONTACT_SET " WHERE id = ? AND deleted_at IS NULL",
	[STMT_MERGE_ACTIVITIES] = "UPDATE activities SET contact_id = ? WHERE contact_id = ?",
	[STMT_MERGE_TAGS] = "INSERT IGNORE INTO tag_links (entity, record_id, tag_id)"
	    " SELECT 'contact', ?, tag_id FROM tag_links WHERE entity = 'contact' AND record_id = ?",
	/* The other's custom values fill the survivor's empty ones. */
	[STMT_MERGE_CUSTOM] = "INSERT IGNORE INTO custom_values (entity, record_id, field_id, value_text,"
	    " value_num, value_date) SELECT entity, ?, field_id, value_text, value_num, value_date"
	    " FROM custom_values WHERE entity = 'contact' AND record_id = ?",
	[STMT_MERGE_RETIRE] = "UPDATE contacts SET deleted_at = UTC_TIMESTAMP(), merged_into = ?"
	    " WHERE id = ? AND deleted_at IS NULL",
	[STMT_MERGED_INTO] = "SELECT merged_into FROM contacts WHERE id = ? AND merged_into IS NOT NULL",
	/* Saved views: a user's named list filters. */
	[STMT_VIEWS] = "SELECT id, name, query FROM saved_views WHERE user_id = ? AND entity = ?"
	    " ORDER BY name LIMIT 50",
	[STMT_VIEW_SAVE] = "INSERT INTO saved_views (user_id, entity, name, query) VALUES (?, ?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE query = VALUES(query)",
	[STMT_VIEW_DELETE] = "DELETE FROM saved_views WHERE id = ? AND user_id = ?",
	/* The search index, written after the record's transaction commits. */
	[STMT_SEARCH_PUT_CONTACT] = CRM_SEARCH_PUT CRM_SEARCH_CONTACT_ROWS " AND c.id = ?",
	[STMT_SEARCH_PUT_ACCOUNT] = CRM_SEARCH_PUT CRM_SEARCH_ACCOUNT_ROWS " AND a.id = ?",
	[STMT_SEARCH_PUT_ACCOUNT_CONTACTS] = CRM_SEARCH_PUT CRM_SEARCH_CONTACT_ROWS " AND c.account_id = ?",
	[STMT_SEARCH_DROP] = "DELETE FROM search_index WHERE entity = ? AND id = ?",
	/* The search: Mroonga finds and ranks (its fast ORDER BY ... LIMIT
	 * with the owner or team pushed down); the join shows only live
	 * records the user reaches now, whatever the index says. */
	[STMT_SEARCH_ALL] = SEARCH_SQL(""),
	[STMT_SEARCH_OWN] = SEARCH_SQL(" AND owner_id = ?"),
	[STMT_SEARCH_TEAM] = SEARCH_SQL(" AND team_id = ?"),
	/* An e-mail address is looked up in its own index: exact and fast,
	 * where the full-text index would intersect "example" and "com". */
	[STMT_SEARCH_EMAIL] = "SELECT 1 AS entity, c.id, c.full_name AS name, c.email,"
	    " COALESCE(NULLIF(c.phone, ''), c.mobile) AS phone, a.name AS account, c.account_id, c.city,"
	    " o.name AS owner" CONTACT_LIST_FROM("contacts_email")
	    " WHERE c.email_norm LIKE CONCAT(REPLACE(REPLACE(REPLACE(?, '\\\\', '\\\\\\\\'), '%', '\\\\%'),"
	    " '_', '\\\\_'), '%') AND c.deleted_at IS NULL AND" SCOPE("c")
	    " ORDER BY c.email_norm, c.id LIMIT 51",

	/* CSV imports: a user sees their own. */
	[STMT_IMPORT_CREATE] = "INSERT INTO imports (user_id, filename, file_size, headers, total_rows)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_IMPORT_GET] = "SELECT " IMPORT_COLUMNS " FROM imports WHERE id = ? AND user_id = ?",
	[STMT_IMPORTS_MINE] = "SELECT " IMPORT_COLUMNS " FROM imports WHERE user_id = ? ORDER BY id DESC LIMIT 20",
	[STMT_IMPORT_LAST_MAPPING] = "SELECT headers, mapping FROM imports"
	    " WHERE user_id = ? AND mapping IS NOT NULL ORDER BY id DESC LIMIT 1",
	[STMT_IMPORT_MAP] = "UPDATE imports SET mapping = ?, duplicates = ?, country = ?"
	    " WHERE id = ? AND user_id = ? AND status = 'mapping'",
	[STMT_IMPORT_QUEUE] = "UPDATE imports SET status = 'queued'"
	    " WHERE id = ? AND user_id = ? AND status = 'mapping'",
	/* finished_at first: MariaDB assigns left to right, so the second
	 * assignment would see the new status. */
	[STMT_IMPORT_CANCEL] = "UPDATE imports SET finished_at = IF(status = 'running', NULL, UTC_TIMESTAMP()),"
	    " status = IF(status = 'running', 'cancelling', 'cancelled')"
	    " WHERE id = ? AND user_id = ? AND status IN ('mapping', 'queued', 'running')",
	[STMT_IMPORT_PROBLEMS] = "SELECT line, problems, duplicate_of, raw FROM import_problems"
	    " WHERE import_id = ? AND line > ? ORDER BY line LIMIT 1000",

	/* The job runner. A running job whose heartbeat stopped a minute ago
	 * lost its runner: another takes it over. */
	[STMT_JOB_CLAIM] = "SELECT id FROM imports WHERE status = 'queued'"
	    " OR (status = 'running' AND heartbeat_at < UTC_TIMESTAMP() - INTERVAL 60 SECOND)"
	    " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[STMT_JOB_START] = "UPDATE imports SET status = 'running', heartbeat_at = UTC_TIMESTAMP(),"
	    " started_at = COALESCE(started_at, UTC_TIMESTAMP()) WHERE id = ?",
	[STMT_JOB_LOAD] = "SELECT id, user_id, headers, mapping, duplicates, country, rows_done FROM imports WHERE id = ?",
	[STMT_JOB_STATUS] = "SELECT status FROM imports WHERE id = ?",
	[STMT_JOB_PROGRESS] = "UPDATE imports SET rows_done = ?, rows_created = rows_created + ?,"
	    " rows_updated = rows_updated + ?, rows_skipped = rows_skipped + ?,"
	    " rows_failed = rows_failed + ?, heartbeat_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_JOB_FINISH] = "UPDATE imports SET status = ?, error = ?, finished_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_JOB_REQUEUE] = "UPDATE imports SET status = 'queued' WHERE id = ? AND status = 'running'",
	[STMT_JOB_PROBLEM] = "REPLACE INTO import_problems (import_id, line, problems, duplicate_of, raw)"
	    " VALUES (?, ?, ?, ?, ?)",
	/* Every live contact a batch may duplicate, in one query: by e-mail,
	 * by either phone against either phone, and by name in the same
	 * account (the caller compares names). Unused slots are NULL. */
	[STMT_JOB_DUPLICATES] = "SELECT " DUP_COLUMNS " WHERE email_norm IN (" Q100 ") AND deleted_at IS NULL"
	    " UNION SELECT " DUP_COLUMNS " WHERE phone_e164 IN (" Q100 "," Q100 ") AND deleted_at IS NULL"
	    " UNION SELECT " DUP_COLUMNS " WHERE mobile_e164 IN (" Q100 "," Q100 ") AND deleted_at IS NULL"
	    " UNION SELECT " DUP_COLUMNS " WHERE account_id IN (" Q100 ") AND full_name IN (" Q100 ")"
	    " AND deleted_at IS NULL",
	[STMT_JOB_ACCOUNT] = "SELECT id FROM accounts WHERE name = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
	[STMT_JOB_USER] = "SELECT id FROM users WHERE email = ? AND active",
	/* "update": the file's non-empty values replace the stored ones; the
	 * name, which matched, stays. */
	[STMT_JOB_CONTACT_UPDATE] = "UPDATE contacts SET account_id = COALESCE(?, account_id),"
	    " title = COALESCE(NULLIF(?, ''), title), email = COALESCE(NULLIF(?, ''), email),"
	    " email_norm = COALESCE(NULLIF(?, ''), email_norm), email2 = COALESCE(NULLIF(?, ''), email2),"
	    " phone = COALESCE(NULLIF(?, ''), phone), phone_e164 = COALESCE(NULLIF(?, ''), phone_e164),"
	    " mobile = COALESCE(NULLIF(?, ''), mobile), mobile_e164 = COALESCE(NULLIF(?, ''), mobile_e164),"
	    " street = COALESCE(NULLIF(?, ''), street), city = COALESCE(NULLIF(?, ''), city),"
	    " region = COALESCE(NULLIF(?, ''), region), postcode = COALESCE(NULLIF(?, ''), postcode),"
	    " country = COALESCE(NULLIF(?, ''), country), birthday = COALESCE(?, birthday),"
	    " source = COALESCE(NULLIF(?, ''), source), consent_email = COALESCE(?, consent_email),"
	    " consent_phone = COALESCE(?, consent_phone), notes = COALESCE(NULLIF(?, ''), notes)"
	    " WHERE id = ? AND deleted_at IS NULL",
	/* A whole batch in one statement (import_run.c insert_contacts). */
	[STMT_JOB_CONTACTS_INSERT] = CONTACTS_INSERT R100,
	[STMT_JOB_CONTACTS_INSERT10] = CONTACTS_INSERT R10,
	[STMT_JOB_AUTOINC] = "SELECT @@innodb_autoinc_lock_mode AS mode",
	[STMT_SEARCH_PUT_CONTACT_RANGE] = CRM_SEARCH_PUT CRM_SEARCH_CONTACT_RANGE,
	/* Custom fields: the entity's active ones in their order, each with
	 * one record's value (a range of custom_values' primary key). */
	[STMT_CUSTOM_FIELDS_OF] = "SELECT f.id, f.label, f.type, f.choices, v.value_text FROM custom_fields f"
	    " LEFT JOIN custom_values v ON v.entity = f.entity AND v.record_id = ? AND v.field_id = f.id"
	    " WHERE f.entity = ? AND f.active ORDER BY f.position, f.id LIMIT 200",
	[STMT_CUSTOM_FIELDS_FILTER] = "SELECT id, label FROM custom_fields WHERE entity = ? AND active"
	    " ORDER BY position, id LIMIT 200",
	[STMT_CUSTOM_VALUE_PUT] = "INSERT INTO custom_values (entity, record_id, field_id, value_text,"
	    " value_num, value_date) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
	    " value_text = VALUES(value_text), value_num = VALUES(value_num), value_date = VALUES(value_date)",
	[STMT_CUSTOM_VALUE_DROP] = "DELETE FROM custom_values WHERE entity = ? AND record_id = ? AND field_id = ?",
	/* account_sales.c: the account's sales in one round trip, each part
	 * walking its (account_id, date, id) key and stopping at its limit;
	 * 6 binds a part (the account, then SCOPE of the sales record). Money
	 * without a currency of its own is in the base currency. */
#define BASE_CURRENCY "(SELECT value FROM settings WHERE name = 'base_currency')"
	[STMT_ACCOUNT_SALES] = "(SELECT 'opportunity' AS kind, op.id, op.name AS label, s.name AS stage,"
	    " op.amount, " BASE_CURRENCY " AS currency, DATE_FORMAT(op.close_date, '%Y-%m-%d') AS on_date,"
	    " NULL AS status, NULL AS owed FROM opportunities op JOIN pipeline_stages s ON s.id = op.stage_id"
	    " JOIN users o ON o.id = op.owner_id WHERE op.account_id = ? AND op.deleted_at IS NULL"
	    " AND s.kind = 'open' AND" SCOPE("op") " ORDER BY op.close_date, op.id LIMIT 10)"
	    " UNION ALL (SELECT 'order', d.id, d.number, NULL, d.total, d.currency,"
	    " DATE_FORMAT(d.ordered_on, '%Y-%m-%d'), d.status, NULL FROM orders d JOIN users o ON o.id = d.owner_id"
	    " WHERE d.account_id = ? AND" SCOPE("d") " ORDER BY d.ordered_on DESC, d.id DESC LIMIT 5)"
	    " UNION ALL (SELECT 'invoice', i.id, i.number, NULL, i.total, i.currency,"
	    " DATE_FORMAT(i.issued_on, '%Y-%m-%d'),"
	    " CASE WHEN i.status <> 'paid' AND i.due_on < CURRENT_DATE THEN 'overdue' ELSE i.status END,"
	    " i.total - i.paid FROM invoices i JOIN users o ON o.id = i.owner_id"
	    " WHERE i.account_id = ? AND" SCOPE("i") " ORDER BY i.issued_on DESC, i.id DESC LIMIT 5)"
	    " UNION ALL (SELECT 'lifetime', NULL, NULL, NULL, COALESCE(SUM(d.total_base), 0), " BASE_CURRENCY ","
	    " NULL, NULL, NULL FROM orders d JOIN users o ON o.id = d.owner_id"
	    " WHERE d.account_id = ? AND d.status <> 'cancelled' AND" SCOPE("d") ")",
	/* contacts.c: "customers who bought this also bought": what the
	 * account has bought (one pass over its orders), then the suggestions
	 * for those products (as a JSON array, four times). */
	[STMT_CONTACT_BOUGHT] = "SELECT JSON_ARRAYAGG(DISTINCT l.product_id) AS ids FROM orders o"
	    " JOIN order_lines l ON l.order_id = o.id WHERE o.account_id = ? AND o.status <> 'cancelled'"
	    " AND l.product_id IS NOT NULL",
	[STMT_CONTACT_ALSO_BOUGHT] = CRM_SQL_ALSO_BOUGHT,
	/* search_follow.c. A window of the log (055_search_changes.sql): from
	 * the end of the last one to the newest change at least 5 s old (a
	 * transaction still open may yet commit an older one), and at most
	 * ten minutes of it at a time (from its first change, however old).
	 * Binds: the window's start, twice. */
	[STMT_FOLLOW_UPTO] = "SELECT DATE_FORMAT(MAX(at), '%Y-%m-%d %H:%i:%s.%f') AS upto FROM search_changes"
	    " WHERE at > ? AND at < NOW(6) - INTERVAL 5 SECOND"
	    " AND at <= (SELECT MIN(at) FROM search_changes WHERE at > ?) + INTERVAL 10 MINUTE",
	/* Then, for the records changed in (from, upto]: rows of records no
	 * longer live go, the others are written again. Binds: from, upto. */
	/* Multi-table, so that the log drives: MariaDB 10.11 runs a one-table
	 * DELETE ... IN (subquery) as a scan of the whole index. */
	[STMT_FOLLOW_DROP] = "DELETE s FROM search_changes l JOIN search_index s ON s.entity = l.entity"
	    " AND s.id = l.record_id LEFT JOIN contacts c ON l.entity = 1 AND c.id = l.record_id"
	    " AND c.deleted_at IS NULL LEFT JOIN accounts a ON l.entity = 2 AND a.id = l.record_id"
	    " AND a.deleted_at IS NULL WHERE l.at > ? AND l.at <= ? AND l.entity IN (1, 2)"
	    " AND c.id IS NULL AND a.id IS NULL",
	[STMT_FOLLOW_CONTACTS] = CRM_SEARCH_PUT CRM_SEARCH_CONTACT_CHANGED,
	[STMT_FOLLOW_ACCOUNTS] = CRM_SEARCH_PUT CRM_SEARCH_ACCOUNT_CHANGED,
	[STMT_FOLLOW_KB_DROP] = "DELETE k FROM search_changes l JOIN kb_search k ON k.article_id = l.record_id"
	    " LEFT JOIN kb_articles a ON a.id = l.record_id WHERE l.entity = 3 AND l.at > ? AND l.at <= ?"
	    " AND a.id IS NULL",
	[STMT_FOLLOW_KB] = "REPLACE INTO kb_search (article_id, published, title, body)"
	    " SELECT k.id, k.status = 'published', k.title, k.body FROM " CRM_SEARCH_CHANGED("3")
	    " STRAIGHT_JOIN kb_articles k ON k.id = l.record_id",
	/* A day of the log is kept: a node away longer needs a rebuild. */
	[STMT_FOLLOW_PRUNE] = "DELETE FROM search_changes WHERE at < NOW(6) - INTERVAL 1 DAY LIMIT 10000",
};
_Static_assert(CRM_NELEM(customers_stmts) == STMT__MAX, "customers_stmts");
