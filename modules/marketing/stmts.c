/* Every SQL statement crm-marketing runs, one section per area. */
#include "extern.h"

#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define LIMIT " LIMIT 51"
/* segments: 100 placeholders (LIST_IMPORT_BATCH). */
#define SEGMENT_Q10 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
#define SEGMENT_Q100 SEGMENT_Q10 ", " SEGMENT_Q10 ", " SEGMENT_Q10 ", " SEGMENT_Q10 ", " SEGMENT_Q10 ", " \
	SEGMENT_Q10 ", " SEGMENT_Q10 ", " SEGMENT_Q10 ", " SEGMENT_Q10 ", " SEGMENT_Q10

const char *const marketing_stmts[STMT__MAX] = {
	/* common.c */
	[STMT_CONSENT_ADD] = "INSERT INTO consents (contact_id, purpose, granted, source, note, recorded_by)"
	    " VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_CONSENT_FLAG_EMAIL] = "UPDATE contacts SET consent_email = ? WHERE id = ?",
	[STMT_CONSENT_FLAG_SMS] = "UPDATE contacts SET consent_sms = ? WHERE id = ?",
	[STMT_CONSENT_FLAG_PHONE] = "UPDATE contacts SET consent_phone = ? WHERE id = ?",
	[STMT_LINK_BY_TARGET] = "SELECT token FROM tracked_links WHERE campaign_id = ? AND url_hash = ?",
	[STMT_LINK_CREATE] = "INSERT INTO tracked_links (campaign_id, token, url, url_hash, label) VALUES (?, ?, ?, ?, ?)",

	/* home.c: the latest few, newest first, by their own indexes. */
	[STMT_HOME_CAMPAIGNS] = "SELECT c.id, c.name, c.type, c.status, DATE_FORMAT(c.starts_on, '%Y-%m-%d') AS starts_on,"
	    " c.members FROM campaigns c FORCE INDEX (campaigns_status) STRAIGHT_JOIN users o ON o.id = c.owner_id"
	    " WHERE c.status = 'active' AND c.deleted_at IS NULL AND" SCOPE("c") " ORDER BY c.starts_on DESC, c.id DESC LIMIT 10",
	[STMT_HOME_SENDS] = "SELECT s.id, s.campaign_id, c.name AS campaign, s.status, s.total, s.sent, s.failed, s.skipped,"
	    " " STAMP("s.created_at") " AS created_at FROM campaign_sends s JOIN campaigns c ON c.id = s.campaign_id"
	    " STRAIGHT_JOIN users o ON o.id = c.owner_id WHERE c.deleted_at IS NULL AND" SCOPE("c")
	    " ORDER BY s.id DESC LIMIT 10",

	/* segments */
	/* Segments and lists by name, keyset-paged; few rows each. */
	[STMT_SEGMENTS] = "SELECT s.id, s.name, COALESCE(s.description, '') AS description, o.name AS owner,"
	    " " STAMP("s.updated_at") " AS updated_at FROM segments s STRAIGHT_JOIN users o ON o.id = s.owner_id"
	    " WHERE s.deleted_at IS NULL AND" SCOPE("s") " AND (s.name, s.id) > (?, ?) ORDER BY s.name, s.id" LIMIT,
	[STMT_SEGMENT_GET] = "SELECT s.id, s.name, COALESCE(s.description, '') AS description, s.conditions,"
	    " s.owner_id, o.name AS owner, " STAMP("s.updated_at") " AS updated_at FROM segments s"
	    " STRAIGHT_JOIN users o ON o.id = s.owner_id WHERE s.id = ? AND s.deleted_at IS NULL AND" SCOPE("s"),
	[STMT_SEGMENT_RAW] = "SELECT id, conditions FROM segments WHERE id = ? AND deleted_at IS NULL",
	[STMT_SEGMENT_BY_NAME] = "SELECT id FROM segments WHERE name = ? AND id <> ?",
	[STMT_SEGMENT_CREATE] = "INSERT INTO segments (name, description, conditions, owner_id) VALUES (?, ?, ?, ?)",
	[STMT_SEGMENT_UPDATE] = "UPDATE segments SET name = ?, description = ?, conditions = ? WHERE id = ?",
	/* The name is freed for a new segment; lists frozen from it keep it. */
	[STMT_SEGMENT_DELETE] = "UPDATE segments SET deleted_at = UTC_TIMESTAMP(),"
	    " name = CONCAT(LEFT(name, 160), ' (deleted ', id, ')') WHERE id = ?",
	[STMT_SEGMENT_CUSTOM_FIELDS] = "SELECT id, entity, type, label FROM custom_fields WHERE active"
	    " ORDER BY entity DESC, position, id",
	[STMT_SEGMENT_CAMPAIGNS] = "SELECT c.id, c.name FROM campaigns c STRAIGHT_JOIN users o ON o.id = c.owner_id"
	    " WHERE c.status IN ('planned', 'active') AND c.deleted_at IS NULL AND" SCOPE("c")
	    " ORDER BY c.name, c.id LIMIT 100",
	[STMT_SEGMENT_CAMPAIGN_GET] = "SELECT c.id, c.name FROM campaigns c STRAIGHT_JOIN users o ON o.id = c.owner_id"
	    " WHERE c.id = ? AND c.status IN ('planned', 'active') AND c.deleted_at IS NULL AND" SCOPE("c"),
	[STMT_SEGMENT_CAMPAIGN_COUNT] = "UPDATE campaigns SET members = members + ? WHERE id = ?",
	[STMT_LISTS] = "SELECT l.id, l.name, l.source, l.members, o.name AS owner, " STAMP("l.created_at") " AS created_at"
	    " FROM target_lists l STRAIGHT_JOIN users o ON o.id = l.owner_id WHERE l.deleted_at IS NULL AND" SCOPE("l")
	    " AND (l.name, l.id) > (?, ?) ORDER BY l.name, l.id" LIMIT,
	[STMT_LIST_GET] = "SELECT l.id, l.name, COALESCE(l.description, '') AS description, l.source, l.segment_id,"
	    " s.name AS segment, l.members, l.owner_id, o.name AS owner, " STAMP("l.created_at") " AS created_at"
	    " FROM target_lists l STRAIGHT_JOIN users o ON o.id = l.owner_id LEFT JOIN segments s ON s.id = l.segment_id"
	    " WHERE l.id = ? AND l.deleted_at IS NULL AND" SCOPE("l"),
	[STMT_LIST_BY_NAME] = "SELECT id FROM target_lists WHERE name = ?",
	[STMT_LIST_CREATE] = "INSERT INTO target_lists (name, description, source, segment_id, owner_id) VALUES (?, ?, ?, ?, ?)",
	[STMT_LIST_COUNT] = "UPDATE target_lists SET members = members + ? WHERE id = ?",
	[STMT_LIST_DELETE] = "UPDATE target_lists SET deleted_at = UTC_TIMESTAMP(),"
	    " name = CONCAT(LEFT(name, 160), ' (deleted ', id, ')') WHERE id = ?",
	/* A list's members by the primary key (list_id, contact_id), keyset
	 * on contact_id; contacts out of the reader's scope are left out. */
	[STMT_LIST_MEMBERS] = "SELECT c.id, c.full_name, c.email, c.city, a.name AS account, " STAMP("m.added_at")
	    " AS added_at FROM target_list_members m STRAIGHT_JOIN contacts c ON c.id = m.contact_id"
	    " STRAIGHT_JOIN users o ON o.id = c.owner_id LEFT JOIN accounts a ON a.id = c.account_id"
	    " WHERE m.list_id = ? AND m.contact_id > ? AND c.deleted_at IS NULL AND" SCOPE("c")
	    " ORDER BY m.contact_id" LIMIT,
	[STMT_LIST_CONTACT_BY_EMAIL] = "SELECT c.id, c.full_name FROM contacts c FORCE INDEX (contacts_email)"
	    " STRAIGHT_JOIN users o ON o.id = c.owner_id WHERE c.email_norm = ? AND c.deleted_at IS NULL"
	    " AND c.erased_at IS NULL AND" SCOPE("c") " ORDER BY c.id LIMIT 1",
	[STMT_LIST_CONTACT_GET] = "SELECT c.id, c.full_name FROM contacts c STRAIGHT_JOIN users o ON o.id = c.owner_id"
	    " WHERE c.id = ? AND c.deleted_at IS NULL AND c.erased_at IS NULL AND" SCOPE("c"),
	[STMT_LIST_MEMBER_ADD] = "INSERT IGNORE INTO target_list_members (list_id, contact_id) VALUES (?, ?)",
	[STMT_LIST_MEMBER_REMOVE] = "DELETE FROM target_list_members WHERE list_id = ? AND contact_id = ?",
	/* A CSV import matches LIST_IMPORT_BATCH addresses a statement, each
	 * a probe of contacts_email (list_import.c pads a short batch). */
	[STMT_LIST_IMPORT_FIND] = "SELECT DISTINCT c.email_norm FROM contacts c FORCE INDEX (contacts_email)"
	    " STRAIGHT_JOIN users o ON o.id = c.owner_id WHERE c.email_norm IN (" SEGMENT_Q100 ")"
	    " AND c.deleted_at IS NULL AND c.erased_at IS NULL AND" SCOPE("c"),
	[STMT_LIST_IMPORT_ADD] = "INSERT IGNORE INTO target_list_members (list_id, contact_id) SELECT ?, c.id"
	    " FROM contacts c FORCE INDEX (contacts_email) STRAIGHT_JOIN users o ON o.id = c.owner_id"
	    " WHERE c.email_norm IN (" SEGMENT_Q100 ") AND c.deleted_at IS NULL AND c.erased_at IS NULL AND" SCOPE("c"),

	/* campaigns */

	/* email */

	/* links */

	/* consent */
};
_Static_assert(CRM_NELEM(marketing_stmts) == STMT__MAX, "marketing_stmts");

/* segments: the frame of a segment's statements (segment_run.c). The
 * segment's own expression (lib/crm_segment.c, fixed fragments with
 * binds) goes between a head and SEGMENT_TAIL; these texts and that
 * expression are all code, never request text. Contacts within the
 * reader's scope, not deleted, not erased; binds: the head's, the 5 of
 * the scope, then the expression's. max_statement_time bounds what a
 * page can cost at a million contacts (see segment_run.c). */
#define SEGMENT_FROM " FROM contacts c STRAIGHT_JOIN users o ON o.id = c.owner_id LEFT JOIN accounts a ON a.id = c.account_id" \
	" WHERE c.deleted_at IS NULL AND c.erased_at IS NULL AND" SCOPE("c") " AND "
const char *const marketing_segment_sql[SEGMENT_SQL__MAX][2] = {
	[SEGMENT_SQL_COUNT] = { "SET STATEMENT max_statement_time = 5 FOR SELECT COUNT(*) AS n FROM (SELECT 1"
	    SEGMENT_FROM, " LIMIT 100001) t" },
	[SEGMENT_SQL_SAMPLE] = { "SET STATEMENT max_statement_time = 5 FOR SELECT c.id, c.full_name, c.email, c.city,"
	    " a.name AS account" SEGMENT_FROM, " ORDER BY c.id LIMIT 20" },
	[SEGMENT_SQL_FREEZE] = { "SET STATEMENT max_statement_time = 30 FOR INSERT INTO target_list_members"
	    " (list_id, contact_id) SELECT ?, c.id" SEGMENT_FROM, " ORDER BY c.id LIMIT 100000" },
	[SEGMENT_SQL_CAMPAIGN] = { "INSERT IGNORE INTO campaign_members (campaign_id, contact_id, status)"
	    " SELECT ?, c.id, 'targeted'" SEGMENT_FROM, "" },
};
