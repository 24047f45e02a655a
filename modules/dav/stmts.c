/* Every SQL statement crm-dav runs (STYLE rule 19). A calendar is the
 * user's own activities (assignee), found through (assignee_id, ...)
 * indexes; the address book is the contacts the role's scope reaches
 * (SCOPE, as crm-customers spells it). Changes are read by dav_version
 * (migration 046), so a sync reads only what changed, and only up to
 * the settled version (052, settled.c), so it skips nothing. */
#include "crm_search.h"
#include "extern.h"

#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
/* 2 binds: the tasks calendar (1) or the events one (0), twice. */
#define CAL_KIND \
	" ((? = 1 AND t.kind = 'task') OR (? = 0 AND t.kind IN ('meeting', 'call')))"
#define CAL_COLUMNS \
	"t.id, t.kind, t.subject, t.body, " STAMP("t.at") " AS at, " STAMP("t.ends_at") " AS ends_at," \
	" " STAMP("t.done_at") " AS done_at, " STAMP("t.updated_at") " AS updated_at," \
	" t.dav_version, t.dav_name, t.dav_uid, t.deleted_at IS NOT NULL AS gone," \
	" t.location, t.dav_rrule, t.dav_exdate, t.dav_zone"
#define CARD_COLUMNS \
	"c.id, c.first_name, c.last_name, c.full_name, c.title, c.email, c.email2, c.phone," \
	" c.mobile, c.phone_e164, c.mobile_e164, c.country, a.name AS org, c.owner_id, c.dav_version, c.dav_name, c.dav_uid," \
	" " STAMP("c.updated_at") " AS updated_at, c.deleted_at IS NOT NULL AS gone"
#define CARD_FROM \
	" FROM contacts c JOIN users o ON o.id = c.owner_id LEFT JOIN accounts a ON a.id = c.account_id"
/* JSON arrays of ids and of resource names: one statement for a multiget. */
#define IDS_OR_NAMES(t) \
	" (" t ".id IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j)" \
	" OR " t ".dav_name IN (SELECT n.name FROM JSON_TABLE(?, '$[*]' COLUMNS" \
	" (name VARCHAR(200) PATH '$')) n))"

const char *const dav_stmts[STMT__MAX] = {
	/* STMT_CAL_LIST: user, kind (2). */
	"SELECT " CAL_COLUMNS " FROM activities t FORCE INDEX (activities_dav_version)"
	" WHERE t.assignee_id = ? AND" CAL_KIND " AND t.deleted_at IS NULL"
	" ORDER BY t.dav_version LIMIT 5001",
	/* STMT_CAL_RANGE: user, kind (2), range end, range start (RFC 4791
	 * 9.9: starts before the end, ends after the start; an item without
	 * an end is an instant). */
	"SELECT " CAL_COLUMNS " FROM activities t FORCE INDEX (activities_calendar)"
	" WHERE t.assignee_id = ? AND" CAL_KIND " AND t.deleted_at IS NULL"
	" AND t.at < ? AND COALESCE(t.ends_at, t.at) >= ? ORDER BY t.at, t.id LIMIT 5001",
	/* STMT_CAL_CHANGES: user, kind (2), after version, up to the settled
	 * one (settled.c); gone ones too. */
	"SELECT " CAL_COLUMNS " FROM activities t FORCE INDEX (activities_dav_version)"
	" WHERE t.assignee_id = ? AND" CAL_KIND " AND t.dav_version > ? AND t.dav_version <= ?"
	" ORDER BY t.dav_version LIMIT 1001",
	/* STMT_CAL_CTAG: user, settled version; one end of an index. */
	"SELECT CAST(COALESCE(MAX(dav_version), 0) AS SIGNED) AS v FROM activities"
	" WHERE assignee_id = ? AND dav_version <= ?",
	/* STMT_CAL_BY_ID: id, user, kind (2). */
	"SELECT " CAL_COLUMNS " FROM activities t WHERE t.id = ? AND t.assignee_id = ? AND" CAL_KIND
	" AND t.deleted_at IS NULL",
	/* STMT_CAL_BY_NAME: user, name, kind (2). */
	"SELECT " CAL_COLUMNS " FROM activities t WHERE t.assignee_id = ? AND t.dav_name = ? AND" CAL_KIND
	" AND t.deleted_at IS NULL",
	/* STMT_CAL_BY_UID: user, uid: the UID is one item's in a user's calendars. */
	"SELECT t.id FROM activities t WHERE t.assignee_id = ? AND t.dav_uid = ? AND t.deleted_at IS NULL",
	/* STMT_CAL_MULTI: user, kind (2), ids, names. */
	"SELECT " CAL_COLUMNS " FROM activities t WHERE t.assignee_id = ? AND" CAL_KIND
	" AND t.deleted_at IS NULL AND" IDS_OR_NAMES("t") " LIMIT 5001",
	/* STMT_CAL_INSERT: ..., location, rrule, exdate, zone (052). */
	"INSERT INTO activities (kind, subject, body, at, ends_at, assignee_id, created_by, done_at,"
	" dav_name, dav_uid, location, dav_rrule, dav_exdate, dav_zone)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, IF(? = 1, UTC_TIMESTAMP(), NULL), ?, ?, ?, ?, ?, ?)",
	/* STMT_CAL_UPDATE: a done task keeps the time it was done. */
	"UPDATE activities SET subject = ?, body = ?, at = ?, ends_at = ?,"
	" done_at = IF(? = 1, COALESCE(done_at, UTC_TIMESTAMP()), NULL),"
	" location = ?, dav_rrule = ?, dav_exdate = ?, dav_zone = ?"
	" WHERE id = ? AND assignee_id = ? AND deleted_at IS NULL",
	/* STMT_CAL_DELETE: to the trash, as the CRM deletes activities. */
	"UPDATE activities SET deleted_at = UTC_TIMESTAMP() WHERE id = ? AND assignee_id = ?"
	" AND deleted_at IS NULL",
	/* STMT_CARD_LIST_ALL: every live contact, in version order. */
	"SELECT " CARD_COLUMNS " FROM contacts c FORCE INDEX (contacts_dav_version)"
	" STRAIGHT_JOIN users o ON o.id = c.owner_id LEFT JOIN accounts a ON a.id = c.account_id"
	" WHERE c.deleted_at IS NULL ORDER BY c.dav_version LIMIT 5001",
	/* STMT_CARD_LIST: scope (5); the owner's index serves own scope. */
	"SELECT " CARD_COLUMNS CARD_FROM " WHERE c.deleted_at IS NULL AND" SCOPE("c")
	" ORDER BY c.dav_version LIMIT 5001",
	/* STMT_CARD_CHANGES: scope (5) as a column, then after version, up
	 * to the settled one: a change that took a contact out of reach is
	 * reported as gone. */
	"SELECT " CARD_COLUMNS ", " SCOPE("c") " AS reach FROM contacts c FORCE INDEX (contacts_dav_version)"
	" STRAIGHT_JOIN users o ON o.id = c.owner_id LEFT JOIN accounts a ON a.id = c.account_id"
	" WHERE c.dav_version > ? AND c.dav_version <= ? ORDER BY c.dav_version LIMIT 1001",
	/* STMT_CARD_CTAG: settled version. */
	"SELECT CAST(COALESCE(MAX(dav_version), 0) AS SIGNED) AS v FROM contacts WHERE dav_version <= ?",
	/* STMT_CARD_BY_ID: id, scope (5). */
	"SELECT " CARD_COLUMNS CARD_FROM " WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	/* STMT_CARD_BY_NAME: name, scope (5). */
	"SELECT " CARD_COLUMNS CARD_FROM " WHERE c.dav_name = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	/* STMT_CARD_BY_UID: uid, scope (5): unique within what the user sees
	 * (two users may each add the same card to their own contacts). */
	"SELECT c.id FROM contacts c JOIN users o ON o.id = c.owner_id WHERE c.dav_uid = ?"
	" AND c.deleted_at IS NULL AND" SCOPE("c") " LIMIT 1",
	/* STMT_CARD_MULTI: ids, names, scope (5). */
	"SELECT " CARD_COLUMNS CARD_FROM " WHERE" IDS_OR_NAMES("c") " AND c.deleted_at IS NULL AND"
	SCOPE("c") " LIMIT 5001",
	/* STMT_CARD_INSERT */
	"INSERT INTO contacts (first_name, last_name, full_name, title, email, email_norm, phone,"
	" phone_e164, mobile, mobile_e164, source, owner_id, dav_name, dav_uid)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'dav', ?, ?, ?)",
	/* STMT_CARD_UPDATE: the fields a card carries; id, scope (5). */
	"UPDATE contacts c JOIN users o ON o.id = c.owner_id SET c.first_name = ?, c.last_name = ?,"
	" c.full_name = ?, c.title = ?, c.email = ?, c.email_norm = ?, c.phone = ?, c.phone_e164 = ?,"
	" c.mobile = ?, c.mobile_e164 = ? WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	/* STMT_CARD_DELETE: to the trash; id, scope (5). */
	"UPDATE contacts c JOIN users o ON o.id = c.owner_id SET c.deleted_at = UTC_TIMESTAMP()"
	" WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	/* STMT_COUNT_ADD */
	"UPDATE record_counts SET live = live + ? WHERE entity = 'contact'",
	/* STMT_SEARCH_PUT_CONTACT: after the commit, as crm-customers does. */
	CRM_SEARCH_PUT CRM_SEARCH_CONTACT_ROWS " AND c.id = ?",
	/* STMT_SEARCH_DROP */
	"DELETE FROM search_index WHERE entity = 1 AND id = ?",
	/* STMT_GATE_TAKE: none when a writer holds the gate (052); never waits. */
	"SELECT id FROM dav_sync_gate WHERE id = 1 FOR UPDATE SKIP LOCKED",
	/* STMT_GATE_DRAWN: the last version drawn (a sequence reads live,
	 * not from the transaction's snapshot). */
	"SELECT CAST(next_not_cached_value AS SIGNED) - 1 AS v FROM dav_version_seq",
	/* STMT_GATE_KEEP: settled (2); it only grows. */
	"UPDATE dav_sync_gate SET safe = ? WHERE id = 1 AND safe < ?",
	/* STMT_GATE_SAFE */
	"SELECT CAST(safe AS SIGNED) AS v FROM dav_sync_gate WHERE id = 1",
};
_Static_assert(CRM_NELEM(dav_stmts) == STMT__MAX, "dav_stmts");
