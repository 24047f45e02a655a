/* Every SQL statement crm-marketing runs, one section per area. */
#include "crm_search.h"
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
#define CAMPAIGN_COLUMNS "c.id, c.name, c.type, c.status, COALESCE(c.objective, '') AS objective," \
	" COALESCE(DATE_FORMAT(c.starts_on, '%Y-%m-%d'), '') AS starts_on," \
	" COALESCE(DATE_FORMAT(c.ends_on, '%Y-%m-%d'), '') AS ends_on, c.currency, c.budget, c.actual_cost," \
	" c.attribution_days, c.utm_suffix, c.members, c.owner_id, o.name AS owner_name, " STAMP("c.created_at") " AS created_at"
	/* Newest first by the primary key: campaigns are few (thousands), and
	 * the filters are whole-value matches on that short walk. */
	[STMT_CAMPAIGNS] = "SELECT " CAMPAIGN_COLUMNS " FROM campaigns c FORCE INDEX (PRIMARY)"
	    " STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = c.owner_id"
	    " WHERE c.deleted_at IS NULL AND (? = '' OR c.status = ?) AND (? = '' OR c.type = ?) AND" SCOPE("c")
	    " AND (? = 0 OR c.id < ?) ORDER BY c.id DESC" LIMIT,
	[STMT_CAMPAIGN_GET] = "SELECT " CAMPAIGN_COLUMNS " FROM campaigns c STRAIGHT_JOIN users o ON o.id = c.owner_id"
	    " WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	/* What a change checks, locked until the transaction ends. */
	[STMT_CAMPAIGN_LOCK] = "SELECT id, status, members FROM campaigns WHERE id = ? AND deleted_at IS NULL FOR UPDATE",
	[STMT_CAMPAIGN_BY_NAME] = "SELECT id FROM campaigns WHERE name = ? AND id <> ?",
	[STMT_CAMPAIGN_CREATE] = "INSERT INTO campaigns (name, type, objective, starts_on, ends_on, currency, budget,"
	    " actual_cost, attribution_days, utm_suffix, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_CAMPAIGN_UPDATE] = "UPDATE campaigns SET name = ?, type = ?, objective = ?, starts_on = ?, ends_on = ?,"
	    " currency = ?, budget = ?, actual_cost = ?, attribution_days = ?, utm_suffix = ? WHERE id = ?",
	[STMT_CAMPAIGN_STATUS] = "UPDATE campaigns SET status = ? WHERE id = ? AND status = ?",
	[STMT_CAMPAIGN_DELETE] = "UPDATE campaigns SET deleted_at = UTC_TIMESTAMP() WHERE id = ? AND deleted_at IS NULL",
	[STMT_CAMPAIGN_MEMBERS_ADD] = "UPDATE campaigns SET members = members + ? WHERE id = ?",
	[STMT_CAMPAIGN_RATE] = "SELECT rate FROM exchange_rates WHERE currency = ?",
	[STMT_CAMPAIGN_TARGETS] = "SELECT t.id, t.list_id, t.segment_id, l.name AS list_name, l.members AS list_members,"
	    " s.name AS segment_name FROM campaign_targets t LEFT JOIN target_lists l ON l.id = t.list_id"
	    " LEFT JOIN segments s ON s.id = t.segment_id WHERE t.campaign_id = ? ORDER BY t.id",
	[STMT_CAMPAIGN_LIST_CHOICES] = "SELECT l.id, l.name, l.members FROM target_lists l"
	    " STRAIGHT_JOIN users o ON o.id = l.owner_id WHERE l.deleted_at IS NULL AND" SCOPE("l")
	    " ORDER BY l.name, l.id LIMIT 200",
	[STMT_CAMPAIGN_SEGMENT_CHOICES] = "SELECT s.id, s.name FROM segments s"
	    " STRAIGHT_JOIN users o ON o.id = s.owner_id WHERE s.deleted_at IS NULL AND" SCOPE("s")
	    " ORDER BY s.name, s.id LIMIT 200",
	[STMT_CAMPAIGN_LIST_GET] = "SELECT l.id, l.name FROM target_lists l STRAIGHT_JOIN users o ON o.id = l.owner_id"
	    " WHERE l.id = ? AND l.deleted_at IS NULL AND" SCOPE("l"),
	[STMT_CAMPAIGN_SEGMENT_GET] = "SELECT s.id, s.name FROM segments s STRAIGHT_JOIN users o ON o.id = s.owner_id"
	    " WHERE s.id = ? AND s.deleted_at IS NULL AND" SCOPE("s"),
	[STMT_CAMPAIGN_TARGET_ADD_LIST] = "INSERT IGNORE INTO campaign_targets (campaign_id, list_id) VALUES (?, ?)",
	[STMT_CAMPAIGN_TARGET_ADD_SEGMENT] = "INSERT IGNORE INTO campaign_targets (campaign_id, segment_id) VALUES (?, ?)",
	[STMT_CAMPAIGN_TARGET_GET] = "SELECT id, list_id, segment_id FROM campaign_targets WHERE id = ? AND campaign_id = ?",
	[STMT_CAMPAIGN_TARGET_DELETE] = "DELETE FROM campaign_targets WHERE id = ? AND campaign_id = ?",
	/* A live list's live contacts, each once: the primary key skips
	 * members the campaign has already. */
	[STMT_CAMPAIGN_FILL_LIST] = "INSERT IGNORE INTO campaign_members (campaign_id, contact_id)"
	    " SELECT ?, m.contact_id FROM target_lists l STRAIGHT_JOIN target_list_members m ON m.list_id = l.id"
	    " STRAIGHT_JOIN contacts ct ON ct.id = m.contact_id"
	    " WHERE l.id = ? AND l.deleted_at IS NULL AND ct.deleted_at IS NULL AND ct.erased_at IS NULL",
#define MEMBER_COLUMNS "m.contact_id AS id, ct.full_name, ct.email, ct.mobile, m.status," \
	" " STAMP("m.added_at") " AS added_at, " STAMP("m.sent_at") " AS sent_at, " STAMP("m.opened_at") " AS opened_at," \
	" " STAMP("m.clicked_at") " AS clicked_at, " STAMP("m.responded_at") " AS responded_at," \
	" " STAMP("m.converted_at") " AS converted_at, " STAMP("m.unsubscribed_at") " AS unsubscribed_at," \
	" " STAMP("m.bounced_at") " AS bounced_at"
	/* By contact id within the campaign: the primary key, or with a
	 * status the campaign_members_status index (campaign, status,
	 * contact); contacts are read in the reader's scope. */
	[STMT_CAMPAIGN_MEMBERS] = "SELECT " MEMBER_COLUMNS " FROM campaign_members m FORCE INDEX (PRIMARY)"
	    " STRAIGHT_JOIN contacts ct FORCE INDEX (PRIMARY) ON ct.id = m.contact_id"
	    " STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = ct.owner_id"
	    " WHERE m.campaign_id = ? AND m.contact_id > ? AND" SCOPE("ct") " ORDER BY m.contact_id" LIMIT,
	[STMT_CAMPAIGN_MEMBERS_BY_STATUS] = "SELECT " MEMBER_COLUMNS " FROM campaign_members m"
	    " FORCE INDEX (campaign_members_status)"
	    " STRAIGHT_JOIN contacts ct FORCE INDEX (PRIMARY) ON ct.id = m.contact_id"
	    " STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = ct.owner_id"
	    " WHERE m.campaign_id = ? AND m.status = ? AND m.contact_id > ? AND" SCOPE("ct")
	    " ORDER BY m.contact_id" LIMIT,
	[STMT_CAMPAIGN_MEMBER_GET] = "SELECT m.contact_id, ct.full_name, m.status, " STAMP("m.responded_at") " AS responded_at,"
	    " " STAMP("m.converted_at") " AS converted_at FROM campaign_members m"
	    " STRAIGHT_JOIN contacts ct ON ct.id = m.contact_id STRAIGHT_JOIN users o ON o.id = ct.owner_id"
	    " WHERE m.campaign_id = ? AND m.contact_id = ? AND" SCOPE("ct") " FOR UPDATE",
	/* status is the furthest step: a response never moves it back, and
	 * never over an unsubscribe or a bounce. */
	[STMT_CAMPAIGN_MEMBER_RESPONDED] = "UPDATE campaign_members SET responded_at = COALESCE(responded_at, UTC_TIMESTAMP()),"
	    " status = IF(status IN ('targeted', 'sent', 'opened', 'clicked'), 'responded', status)"
	    " WHERE campaign_id = ? AND contact_id = ?",
	[STMT_CAMPAIGN_MEMBER_CONVERTED] = "UPDATE campaign_members SET responded_at = COALESCE(responded_at, UTC_TIMESTAMP()),"
	    " converted_at = COALESCE(converted_at, UTC_TIMESTAMP()),"
	    " status = IF(status IN ('targeted', 'sent', 'opened', 'clicked', 'responded'), 'converted', status)"
	    " WHERE campaign_id = ? AND contact_id = ?",
	/* Members who agreed to SMS and have a mobile number, 1000 at a time. */
	[STMT_CAMPAIGN_SMS_EXPORT] = "SELECT m.contact_id AS id, ct.full_name,"
	    " IF(ct.mobile_e164 <> '', ct.mobile_e164, ct.mobile) AS mobile"
	    " FROM campaign_members m FORCE INDEX (PRIMARY)"
	    " STRAIGHT_JOIN contacts ct FORCE INDEX (PRIMARY) ON ct.id = m.contact_id"
	    " STRAIGHT_JOIN users o FORCE INDEX (PRIMARY) ON o.id = ct.owner_id"
	    " WHERE m.campaign_id = ? AND m.contact_id > ? AND m.status NOT IN ('unsubscribed', 'bounced')"
	    " AND ct.consent_sms AND ct.mobile <> '' AND ct.deleted_at IS NULL AND ct.erased_at IS NULL"
	    " AND" SCOPE("ct") " ORDER BY m.contact_id LIMIT 1001",
	/* One range of the campaign_members_status index: at 100,000 members
	 * about 100,000 index entries, read in a few tens of milliseconds. */
	[STMT_CAMPAIGN_RESULT_STATUS] = "SELECT m.status, COUNT(*) AS n FROM campaign_members m"
	    " FORCE INDEX (campaign_members_status) WHERE m.campaign_id = ? GROUP BY m.status",
	/* Orders of a member's account, or with the member as contact,
	 * created within attribution_days of the member's message (or of the
	 * campaign's start), each counted once however many members it
	 * matches. Driven from the campaign's members, so it costs one
	 * contact and two order index lookups per member, not a scan of
	 * orders. */
#define BY_ACCOUNT " STRAIGHT_JOIN contacts ct ON ct.id = m.contact_id", "x.account_id = ct.account_id"
#define BY_CONTACT "", "x.contact_id = m.contact_id"
#define ATTRIBUTED(...) ATTRIBUTED_(__VA_ARGS__)
#define ATTRIBUTED_(t, idx, join, on) \
	" SELECT x.id, x." t " FROM campaign_members m STRAIGHT_JOIN campaigns c ON c.id = m.campaign_id" \
	join " STRAIGHT_JOIN " idx " x ON " on \
	" WHERE m.campaign_id = ? AND x.created_at >= COALESCE(m.sent_at, c.starts_on)" \
	" AND x.created_at < COALESCE(m.sent_at, c.starts_on) + INTERVAL c.attribution_days DAY"
	[STMT_CAMPAIGN_RESULT_ORDERS] = "SELECT COUNT(*) AS n, COALESCE(SUM(a.total_base), 0) AS amount FROM ("
	    ATTRIBUTED("total_base", "orders", BY_ACCOUNT) " AND x.status <> 'cancelled'"
	    " UNION" ATTRIBUTED("total_base", "orders", BY_CONTACT) " AND x.status <> 'cancelled'"
	    ") a",
	[STMT_CAMPAIGN_RESULT_OPPORTUNITIES] = "SELECT COUNT(*) AS n, COALESCE(SUM(a.amount), 0) AS amount FROM ("
	    ATTRIBUTED("amount", "opportunities", BY_ACCOUNT) " AND x.deleted_at IS NULL"
	    " UNION" ATTRIBUTED("amount", "opportunities", BY_CONTACT) " AND x.deleted_at IS NULL"
	    ") a",

	/* attribution.c: kept by the job runner (035_campaign_attribution.sql). */
	[STMT_ATTRIBUTION_GET] = "SELECT orders, revenue, opportunities, opportunity_amount, " STAMP("computed_at") " AS computed_at,"
	    " computed_at IS NULL OR requested_at >= computed_at AS pending FROM campaign_attribution WHERE campaign_id = ?",
	[STMT_ATTRIBUTION_REQUEST] = "INSERT INTO campaign_attribution (campaign_id, requested_at) VALUES (?, UTC_TIMESTAMP(6))"
	    " ON DUPLICATE KEY UPDATE requested_at = UTC_TIMESTAMP(6)",
	/* Never worked out or asked for first, then the stalest whose window
	 * (to its end date, or today without one, plus attribution_days)
	 * was still open when it was last worked out. */
	[STMT_ATTRIBUTION_NEXT] = "SELECT c.id FROM campaigns c LEFT JOIN campaign_attribution a ON a.campaign_id = c.id"
	    " WHERE c.deleted_at IS NULL AND (a.computed_at IS NULL OR a.requested_at >= a.computed_at"
	    " OR (a.computed_at < UTC_TIMESTAMP() - INTERVAL 15 MINUTE"
	    " AND a.computed_at < COALESCE(c.ends_on, UTC_DATE()) + INTERVAL c.attribution_days + 1 DAY))"
	    " ORDER BY a.computed_at IS NULL OR a.requested_at >= a.computed_at DESC, a.computed_at, c.id LIMIT 1",
	[STMT_ATTRIBUTION_NOW] = "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f') AS now",
	[STMT_ATTRIBUTION_SAVE] = "INSERT INTO campaign_attribution (campaign_id, orders, revenue, opportunities,"
	    " opportunity_amount, computed_at) VALUES (?, ?, ?, ?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE"
	    /* Two runners at once: the later start wins, whichever ends last. */
	    " orders = IF(VALUES(computed_at) >= IFNULL(computed_at, VALUES(computed_at)), VALUES(orders), orders),"
	    " revenue = IF(VALUES(computed_at) >= IFNULL(computed_at, VALUES(computed_at)), VALUES(revenue), revenue),"
	    " opportunities = IF(VALUES(computed_at) >= IFNULL(computed_at, VALUES(computed_at)),"
	    " VALUES(opportunities), opportunities),"
	    " opportunity_amount = IF(VALUES(computed_at) >= IFNULL(computed_at, VALUES(computed_at)),"
	    " VALUES(opportunity_amount), opportunity_amount),"
	    " computed_at = GREATEST(IFNULL(computed_at, VALUES(computed_at)), VALUES(computed_at))",

	/* email */
	/* templates.c: the list by name (its unique key), keyset paged. */
	[STMT_TPL_LIST] = "SELECT t.id, t.name, t.subject, o.name AS owner, " STAMP("t.updated_at") " AS updated_at"
	    " FROM email_templates t FORCE INDEX (email_templates_name) STRAIGHT_JOIN users o ON o.id = t.owner_id"
	    " WHERE t.deleted_at IS NULL AND t.name > ? AND" SCOPE("t") " ORDER BY t.name" LIMIT,
	[STMT_TPL_GET] = "SELECT t.id, t.name, t.subject, t.body_html, t.body_text, t.owner_id, o.name AS owner"
	    " FROM email_templates t JOIN users o ON o.id = t.owner_id WHERE t.id = ? AND t.deleted_at IS NULL AND"
	    SCOPE("t"),
	[STMT_TPL_CREATE] = "INSERT INTO email_templates (name, subject, body_html, body_text, owner_id) VALUES (?, ?, ?, ?, ?)",
	[STMT_TPL_UPDATE] = "UPDATE email_templates SET name = ?, subject = ?, body_html = ?, body_text = ? WHERE id = ?",
	[STMT_TPL_CUSTOM_FIELDS] = "SELECT id, label FROM custom_fields FORCE INDEX (custom_fields_entity)"
	    " WHERE entity = 'contact' AND active ORDER BY position, id",
	[STMT_TPL_TESTS] = "SELECT id, to_addr, status, last_error, " STAMP("created_at") " AS created_at"
	    " FROM email_test_sends FORCE INDEX (email_test_sends_template) WHERE template_id = ? ORDER BY id DESC LIMIT 5",
	[STMT_TPL_TEST_QUEUE] = "INSERT INTO email_test_sends (template_id, contact_id, to_addr, subject, body_html,"
	    " body_text, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
	/* email_merge.c: one contact's merge fields, and its custom values. */
#define MERGE_COLS "SELECT ct.id, ct.first_name, ct.last_name, ct.full_name, ct.title, ct.email, ct.phone," \
	" ct.mobile, ct.street, ct.city, ct.region, ct.postcode, ct.country, COALESCE(a.name, '') AS account_name," \
	" o.name AS owner_name, o.email AS owner_email FROM contacts ct JOIN users o ON o.id = ct.owner_id" \
	" LEFT JOIN accounts a ON a.id = ct.account_id"
	[STMT_MERGE_CONTACT] = MERGE_COLS " WHERE ct.id = ?",
	[STMT_MERGE_CONTACT_SCOPED] = MERGE_COLS " WHERE ct.id = ? AND ct.deleted_at IS NULL AND" SCOPE("ct"),
	[STMT_MERGE_CONTACT_BY_EMAIL] = MERGE_COLS " WHERE ct.email_norm = ? AND ct.deleted_at IS NULL AND" SCOPE("ct")
	    " ORDER BY ct.id LIMIT 1",
	[STMT_MERGE_CUSTOM] = "SELECT f.label, v.value_text FROM custom_values v JOIN custom_fields f ON f.id = v.field_id"
	    " WHERE v.entity = 'contact' AND v.record_id = ? AND f.active ORDER BY f.position, f.id",

	/* sends.c */
	[STMT_SEND_CAMPAIGN] = "SELECT c.id, c.name, c.type, c.status, c.template_id, c.members FROM campaigns c"
	    " JOIN users o ON o.id = c.owner_id WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	[STMT_SEND_TEMPLATES] = "SELECT t.id, t.name FROM email_templates t FORCE INDEX (email_templates_name)"
	    " STRAIGHT_JOIN users o ON o.id = t.owner_id WHERE t.deleted_at IS NULL AND" SCOPE("t")
	    " ORDER BY t.name LIMIT 200",
	/* Why a member gets nothing, in this order; '' is "will get it". A
	 * bounce counts for every contact with the address; an unsubscribe
	 * from any campaign counts until consent is given again. */
#define SKIP_REASON "CASE WHEN ct.deleted_at IS NOT NULL OR ct.erased_at IS NOT NULL THEN 'erased'" \
	" WHEN ct.email = '' THEN 'no_address'" \
	" WHEN ct.email_bounced_at IS NOT NULL OR (ct.email_norm <> '' AND EXISTS (SELECT 1 FROM contacts b" \
	" WHERE b.email_norm = ct.email_norm AND b.email_bounced_at IS NOT NULL)) THEN 'bounced'" \
	" WHEN m.unsubscribed_at IS NOT NULL OR (NOT ct.consent_email AND EXISTS (SELECT 1 FROM campaign_members u" \
	" WHERE u.contact_id = ct.id AND u.unsubscribed_at IS NOT NULL)) THEN 'unsubscribed'" \
	" WHEN NOT ct.consent_email THEN 'no_consent' ELSE '' END"
	[STMT_SEND_AUDIENCE] = "SELECT x.reason, COUNT(*) AS n FROM (SELECT " SKIP_REASON " AS reason"
	    " FROM campaign_members m JOIN contacts ct ON ct.id = m.contact_id WHERE m.campaign_id = ?) x GROUP BY x.reason",
	[STMT_SEND_OPEN] = "SELECT id FROM campaign_sends FORCE INDEX (campaign_sends_campaign) WHERE campaign_id = ?"
	    " AND status IN ('queued', 'sending', 'paused') LIMIT 1",
	[STMT_SEND_HISTORY] = "SELECT s.id, s.status, s.total, s.sent, s.failed, s.skipped, t.name AS template,"
	    " " STAMP("s.created_at") " AS created_at FROM campaign_sends s FORCE INDEX (campaign_sends_campaign)"
	    " JOIN email_templates t ON t.id = s.template_id WHERE s.campaign_id = ? ORDER BY s.id DESC LIMIT 10",
	[STMT_SEND_CREATE] = "INSERT INTO campaign_sends (campaign_id, template_id, rate_per_minute, requested_by)"
	    " VALUES (?, ?, ?, ?)",
	/* Every member's row at once, so the send exists whole or not at all:
	 * 256 random bits per token, base64url as the links take it. */
	[STMT_SEND_FILL] = "INSERT INTO campaign_messages (send_id, campaign_id, contact_id, to_addr, token, status,"
	    " skip_reason) SELECT ?, x.campaign_id, x.contact_id, x.email,"
	    " REPLACE(REPLACE(LEFT(TO_BASE64(RANDOM_BYTES(32)), 43), '+', '-'), '/', '_'),"
	    " IF(x.reason = '', 'queued', 'skipped'), x.reason FROM (SELECT m.campaign_id, m.contact_id, ct.email,"
	    " " SKIP_REASON " AS reason FROM campaign_members m JOIN contacts ct ON ct.id = m.contact_id"
	    " WHERE m.campaign_id = ?) x ORDER BY x.contact_id",
	[STMT_SEND_COUNT_SKIPPED] = "SELECT COUNT(*) AS n FROM campaign_messages FORCE INDEX (campaign_messages_due)"
	    " WHERE send_id = ? AND status = 'skipped'",
	[STMT_SEND_TOTALS] = "UPDATE campaign_sends SET total = ?, skipped = ? WHERE id = ?",
	[STMT_SEND_GET] = "SELECT s.id, s.campaign_id, c.name AS campaign, s.template_id, t.name AS template, s.status,"
	    " s.rate_per_minute, s.total, s.sent, s.failed, s.skipped, s.last_error, " STAMP("s.created_at") " AS created_at,"
	    " " STAMP("s.started_at") " AS started_at, " STAMP("s.finished_at") " AS finished_at"
	    " FROM campaign_sends s JOIN campaigns c ON c.id = s.campaign_id JOIN users o ON o.id = c.owner_id"
	    " JOIN email_templates t ON t.id = s.template_id WHERE s.id = ? AND" SCOPE("c"),
	[STMT_SEND_FAILURES] = "SELECT id, to_addr, attempts, last_error FROM campaign_messages"
	    " FORCE INDEX (campaign_messages_due) WHERE send_id = ? AND status = 'failed' ORDER BY next_attempt_at, id LIMIT 20",
	[STMT_SEND_PAUSE] = "UPDATE campaign_sends SET status = 'paused' WHERE id = ? AND status IN ('queued', 'sending')",
	[STMT_SEND_RESUME] = "UPDATE campaign_sends SET status = IF(started_at IS NULL, 'queued', 'sending')"
	    " WHERE id = ? AND status = 'paused'",
	[STMT_SEND_CANCEL] = "UPDATE campaign_sends SET status = 'cancelled', finished_at = UTC_TIMESTAMP()"
	    " WHERE id = ? AND status IN ('queued', 'sending', 'paused')",
	/* What a cancelled send had not sent yet: skipped, and counted so. */
	[STMT_SEND_CANCEL_QUEUED] = "UPDATE campaign_messages FORCE INDEX (campaign_messages_due)"
	    " SET status = 'skipped', skip_reason = 'cancelled' WHERE send_id = ? AND status = 'queued'",
	[STMT_SEND_CANCEL_COUNT] = "UPDATE campaign_sends SET skipped = skipped + ? WHERE id = ?",

	/* send_jobs.c */
	[STMT_JOB_SENDS] = "SELECT id, campaign_id, template_id, status, rate_per_minute FROM campaign_sends"
	    " FORCE INDEX (campaign_sends_status) WHERE status IN ('queued', 'sending') ORDER BY status, id LIMIT 32",
	[STMT_JOB_SEND_START] = "UPDATE campaign_sends SET status = 'sending', started_at = COALESCE(started_at, UTC_TIMESTAMP())"
	    " WHERE id = ? AND status = 'queued'",
	[STMT_JOB_TEMPLATE] = "SELECT subject, body_html, body_text FROM email_templates WHERE id = ?",
#define JOB_COLS "SELECT id, contact_id, to_addr, token, attempts FROM campaign_messages FORCE INDEX (campaign_messages_due)"
	[STMT_JOB_CLAIM_STALE] = JOB_COLS " WHERE send_id = ? AND status = 'sending'"
	    " AND heartbeat_at < UTC_TIMESTAMP() - INTERVAL ? SECOND ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[STMT_JOB_CLAIM] = JOB_COLS " WHERE send_id = ? AND status = 'queued' AND next_attempt_at <= UTC_TIMESTAMP()"
	    " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[STMT_JOB_START] = "UPDATE campaign_messages SET status = 'sending', heartbeat_at = UTC_TIMESTAMP(),"
	    " attempts = attempts + 1 WHERE id = ?",
	[STMT_JOB_RELEASE] = "UPDATE campaign_messages SET status = 'queued', attempts = attempts - 1"
	    " WHERE id = ? AND status = 'sending'",
	[STMT_JOB_SENT] = "UPDATE campaign_messages SET status = 'sent', sent_at = UTC_TIMESTAMP(), last_error = ''"
	    " WHERE id = ? AND status = 'sending'",
	[STMT_JOB_SEND_SENT] = "UPDATE campaign_sends SET sent = sent + 1 WHERE id = ?",
	[STMT_JOB_MEMBER_SENT] = "UPDATE campaign_members SET sent_at = COALESCE(sent_at, UTC_TIMESTAMP()),"
	    " status = IF(status = 'targeted', 'sent', status) WHERE campaign_id = ? AND contact_id = ?",
	/* Backoff: 1, 2, 4 ... minutes after each failed attempt, at most the cap. */
	[STMT_JOB_RETRY] = "UPDATE campaign_messages SET status = 'queued', last_error = LEFT(?, 500),"
	    " next_attempt_at = UTC_TIMESTAMP() + INTERVAL LEAST(1 << LEAST(GREATEST(attempts, 1) - 1, 20), ?) MINUTE"
	    " WHERE id = ? AND status = 'sending'",
	[STMT_JOB_FAIL] = "UPDATE campaign_messages SET status = 'failed', last_error = LEFT(?, 500)"
	    " WHERE id = ? AND status = 'sending'",
	[STMT_JOB_SEND_FAILED] = "UPDATE campaign_sends SET failed = failed + 1, last_error = LEFT(?, 500) WHERE id = ?",
	[STMT_JOB_SEND_ERROR] = "UPDATE campaign_sends SET last_error = LEFT(?, 500) WHERE id = ?",
	[STMT_JOB_PENDING] = "SELECT id FROM campaign_messages FORCE INDEX (campaign_messages_due)"
	    " WHERE send_id = ? AND status IN ('queued', 'sending') LIMIT 1",
	[STMT_JOB_SEND_DONE] = "UPDATE campaign_sends SET status = 'done', finished_at = UTC_TIMESTAMP()"
	    " WHERE id = ? AND status = 'sending'",
	[STMT_JOB_TEST_CLAIM] = "SELECT id, to_addr, subject, body_html, body_text, attempts FROM email_test_sends"
	    " WHERE (status = 'queued' AND next_attempt_at <= UTC_TIMESTAMP())"
	    " OR (status = 'sending' AND heartbeat_at < UTC_TIMESTAMP() - INTERVAL ? SECOND)"
	    " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[STMT_JOB_TEST_START] = "UPDATE email_test_sends SET status = 'sending', heartbeat_at = UTC_TIMESTAMP(),"
	    " attempts = attempts + 1 WHERE id = ?",
	[STMT_JOB_TEST_SENT] = "UPDATE email_test_sends SET status = 'sent', sent_at = UTC_TIMESTAMP(), last_error = ''"
	    " WHERE id = ? AND status = 'sending'",
	[STMT_JOB_TEST_FAILED] = "UPDATE email_test_sends SET status = IF(attempts >= ?, 'failed', 'queued'),"
	    " next_attempt_at = UTC_TIMESTAMP() + INTERVAL LEAST(1 << LEAST(GREATEST(attempts, 1) - 1, 20), ?) MINUTE,"
	    " last_error = LEFT(?, 500) WHERE id = ? AND status = 'sending'",

	/* unsubscribe.c, bounces.c */
	[STMT_UNSUB_BY_TOKEN] = "SELECT m.id, m.campaign_id, m.contact_id, m.to_addr, ct.consent_email,"
	    " cm.unsubscribed_at IS NOT NULL AS unsubscribed, c.name AS campaign FROM campaign_messages m"
	    " JOIN contacts ct ON ct.id = m.contact_id JOIN campaigns c ON c.id = m.campaign_id"
	    " LEFT JOIN campaign_members cm ON cm.campaign_id = m.campaign_id AND cm.contact_id = m.contact_id"
	    " WHERE m.token = ?",
	[STMT_UNSUB_MEMBER] = "UPDATE campaign_members SET unsubscribed_at = UTC_TIMESTAMP(), status = 'unsubscribed'"
	    " WHERE campaign_id = ? AND contact_id = ? AND unsubscribed_at IS NULL",
	[STMT_BOUNCE_BY_TOKEN] = "SELECT m.id, m.campaign_id, m.contact_id, m.to_addr, m.status, ct.email_norm"
	    " FROM campaign_messages m JOIN contacts ct ON ct.id = m.contact_id WHERE m.token = ?",
	/* The latest message to any contact with the address. */
	[STMT_BOUNCE_BY_ADDRESS] = "SELECT m.id, m.campaign_id, m.contact_id, m.to_addr, m.status, ct.email_norm"
	    " FROM contacts ct FORCE INDEX (contacts_email) JOIN campaign_messages m ON m.contact_id = ct.id"
	    " WHERE ct.email_norm = ? ORDER BY m.id DESC LIMIT 1",
	[STMT_BOUNCE_MESSAGE] = "UPDATE campaign_messages SET status = 'bounced' WHERE id = ? AND status = 'sent'",
	[STMT_BOUNCE_CONTACTS] = "UPDATE contacts SET email_bounced_at = UTC_TIMESTAMP()"
	    " WHERE email_norm = ? AND email_bounced_at IS NULL",
	[STMT_BOUNCE_CONTACT] = "UPDATE contacts SET email_bounced_at = UTC_TIMESTAMP() WHERE id = ? AND email_bounced_at IS NULL",
	[STMT_BOUNCE_MEMBER] = "UPDATE campaign_members SET bounced_at = COALESCE(bounced_at, UTC_TIMESTAMP()),"
	    " status = 'bounced' WHERE campaign_id = ? AND contact_id = ?",

	/* links */
	/* links_public.c: a click or an open, by its unique token. */
	[STMT_R_LINK] = "SELECT l.id, l.campaign_id, l.url, c.utm_suffix FROM tracked_links l"
	    " JOIN campaigns c ON c.id = l.campaign_id WHERE l.token = ?",
	[STMT_R_MESSAGE] = "SELECT id, contact_id FROM campaign_messages WHERE token = ? AND campaign_id = ?",
	[STMT_R_CLICK_ADD] = "INSERT INTO link_clicks (link_id, campaign_id, contact_id, message_id, user_agent)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_R_LINK_COUNT] = "UPDATE tracked_links SET clicks = clicks + 1 WHERE id = ?",
	/* A member's status only moves forward: a click after a reply, an
	 * unsubscribe or a bounce leaves that status as it is. */
	[STMT_R_MEMBER_CLICKED] = "UPDATE campaign_members SET clicked_at = COALESCE(clicked_at, UTC_TIMESTAMP()),"
	    " status = IF(status IN ('targeted', 'sent', 'opened'), 'clicked', status)"
	    " WHERE campaign_id = ? AND contact_id = ?",
	[STMT_O_MESSAGE] = "SELECT id, campaign_id, contact_id FROM campaign_messages WHERE token = ?",
	[STMT_O_MESSAGE_OPENED] = "UPDATE campaign_messages SET opened_at = UTC_TIMESTAMP() WHERE id = ? AND opened_at IS NULL",
	[STMT_O_MEMBER_OPENED] = "UPDATE campaign_members SET opened_at = COALESCE(opened_at, UTC_TIMESTAMP()),"
	    " status = IF(status IN ('targeted', 'sent'), 'opened', status)"
	    " WHERE campaign_id = ? AND contact_id = ?",
	/* links.c */
	[STMT_LINKS_CAMPAIGN] = "SELECT c.id, c.name, c.type, c.status, c.utm_suffix FROM campaigns c"
	    " JOIN users o ON o.id = c.owner_id WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	/* A campaign has a handful of links: its own range of the unique key. */
	[STMT_LINKS_LIST] = "SELECT l.id, l.token, l.url, l.label, l.clicks, " STAMP("l.created_at") " AS created_at"
	    " FROM tracked_links l WHERE l.campaign_id = ? AND l.id > ? ORDER BY l.id" LIMIT,
	[STMT_LINKS_ONE] = "SELECT l.id, l.token, l.label, c.type FROM tracked_links l"
	    " JOIN campaigns c ON c.id = l.campaign_id JOIN users o ON o.id = c.owner_id"
	    " WHERE l.id = ? AND l.campaign_id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),

	/* consent */
	/* consent.c: contacts belong to their owner, as in the customers module. */
	[STMT_CONSENT_CONTACT] = "SELECT ct.id, ct.full_name, ct.email, ct.consent_email, ct.consent_sms, ct.consent_phone,"
	    " " STAMP("ct.erased_at") " AS erased_at FROM contacts ct JOIN users o ON o.id = ct.owner_id"
	    " WHERE ct.id = ? AND ct.deleted_at IS NULL AND" SCOPE("ct"),
	[STMT_CONSENT_HISTORY] = "SELECT k.id, k.purpose, k.granted, k.source, k.note, " STAMP("k.recorded_at") " AS recorded_at,"
	    " COALESCE(u.name, '') AS recorded_by FROM consents k LEFT JOIN users u ON u.id = k.recorded_by"
	    " WHERE k.contact_id = ? AND (? = 0 OR k.id < ?) ORDER BY k.id DESC" LIMIT,
	/* privacy.c: the export, every table that names the contact, each by
	 * its contact index (InnoDB made one for every foreign key). */
	[STMT_PRIV_CONTACT] = "SELECT ct.*, a.name AS account FROM contacts ct LEFT JOIN accounts a ON a.id = ct.account_id"
	    " WHERE ct.id = ?",
	[STMT_PRIV_CUSTOM] = "SELECT f.label, f.type, v.value_text, v.value_num, v.value_date FROM custom_values v"
	    " JOIN custom_fields f ON f.id = v.field_id WHERE v.entity = 'contact' AND v.record_id = ? ORDER BY f.position, f.id",
	[STMT_PRIV_TAGS] = "SELECT t.name FROM tag_links l JOIN tags t ON t.id = l.tag_id"
	    " WHERE l.entity = 'contact' AND l.record_id = ? ORDER BY t.name",
	[STMT_PRIV_ACTIVITIES] = "SELECT id, kind, subject, body, at, ends_at, done_at, created_at, deleted_at FROM activities"
	    " WHERE contact_id = ? ORDER BY at, id",
	[STMT_PRIV_TICKETS] = "SELECT id, subject, description, requester_name, requester_email, status, channel, created_at,"
	    " resolved_at, closed_at, deleted_at FROM tickets WHERE contact_id = ? ORDER BY created_at, id",
	[STMT_PRIV_TICKET_MESSAGES] = "SELECT m.ticket_id, m.kind, m.author_name, m.body, m.created_at FROM tickets t"
	    " JOIN ticket_messages m ON m.ticket_id = t.id WHERE t.contact_id = ? ORDER BY m.ticket_id, m.id",
	[STMT_PRIV_LEADS] = "SELECT id, full_name, company, title, email, phone, city, country, source, status, message, notes,"
	    " created_at, converted_at FROM leads WHERE contact_id = ? ORDER BY id",
	[STMT_PRIV_OPPORTUNITIES] = "SELECT id, name, amount, close_date, created_at FROM opportunities WHERE contact_id = ? ORDER BY id",
	[STMT_PRIV_QUOTES] = "SELECT id, number, version, title, status, currency, total, valid_until, created_at FROM quotes"
	    " WHERE contact_id = ? ORDER BY id",
	[STMT_PRIV_ORDERS] = "SELECT id, number, status, currency, total, ordered_on, created_at FROM orders"
	    " WHERE contact_id = ? ORDER BY id",
	[STMT_PRIV_MEMBERSHIPS] = "SELECT m.campaign_id, c.name AS campaign, m.status, m.added_at, m.sent_at, m.opened_at,"
	    " m.clicked_at, m.responded_at, m.converted_at, m.unsubscribed_at, m.bounced_at FROM campaign_members m"
	    " JOIN campaigns c ON c.id = m.campaign_id WHERE m.contact_id = ? ORDER BY m.campaign_id",
	[STMT_PRIV_MESSAGES] = "SELECT campaign_id, to_addr, status, sent_at, opened_at FROM campaign_messages"
	    " WHERE contact_id = ? ORDER BY id",
	[STMT_PRIV_CLICKS] = "SELECT k.campaign_id, l.url, k.clicked_at, k.user_agent FROM link_clicks k"
	    " JOIN tracked_links l ON l.id = k.link_id WHERE k.contact_id = ? ORDER BY k.id",
	[STMT_PRIV_CONSENTS] = "SELECT purpose, granted, source, note, recorded_at FROM consents WHERE contact_id = ? ORDER BY id",
	[STMT_PRIV_AUDIT] = "SELECT l.at, l.action, COALESCE(u.name, '') AS by_user, l.changes FROM audit_log l"
	    " LEFT JOIN users u ON u.id = l.user_id WHERE l.entity = 'contact' AND l.entity_id = ? ORDER BY l.id",
	/* The duplicates merged into a contact (034's index). */
	[STMT_PRIV_MERGED] = "SELECT id FROM contacts WHERE merged_into = ? ORDER BY id LIMIT 100",
	/* The erasure: every place the customers, sales, service and marketing
	 * modules keep a contact's personal data, emptied in one transaction;
	 * the rows stay, so counts and sums do. */
	[STMT_ERASE_LOCK] = "SELECT id, erased_at FROM contacts WHERE id = ? FOR UPDATE",
	[STMT_ERASE_CONTACT] = "UPDATE contacts SET first_name = '', last_name = CONCAT('Erased contact ', id),"
	    " full_name = CONCAT('Erased contact ', id), title = '', email = '', email2 = '', phone = '', mobile = '',"
	    " email_norm = '', phone_e164 = '', mobile_e164 = '', street = '', city = '', region = '', postcode = '',"
	    " country = '', birthday = NULL, source = '', notes = NULL, consent_email = FALSE, consent_sms = FALSE,"
	    " consent_phone = FALSE, erased_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_ERASE_CUSTOM] = "DELETE FROM custom_values WHERE entity = 'contact' AND record_id = ?",
	[STMT_ERASE_TAGS] = "DELETE FROM tag_links WHERE entity = 'contact' AND record_id = ?",
	[STMT_ERASE_CLICKS] = "UPDATE link_clicks SET user_agent = '' WHERE contact_id = ?",
	[STMT_ERASE_TICKETS] = "UPDATE tickets SET requester_name = '', requester_email = '' WHERE contact_id = ?",
	/* The customer's own messages carry the name they wrote under. */
	[STMT_ERASE_TICKET_MESSAGES] = "UPDATE tickets t JOIN ticket_messages m ON m.ticket_id = t.id SET m.author_name = ''"
	    " WHERE t.contact_id = ? AND m.kind = 'customer'",
	[STMT_ERASE_MAIL_QUEUE] = "UPDATE tickets t JOIN mail_queue q ON q.ticket_id = t.id SET q.to_addr = ''"
	    " WHERE t.contact_id = ?",
	[STMT_ERASE_CAMPAIGN_MESSAGES] = "UPDATE campaign_messages SET to_addr = '' WHERE contact_id = ?",
	[STMT_ERASE_LEADS] = "UPDATE leads SET first_name = '', last_name = CONCAT('Erased contact ', contact_id),"
	    " full_name = CONCAT('Erased contact ', contact_id), title = '', email = '', email_norm = NULL, phone = '',"
	    " phone_e164 = NULL, city = '', message = NULL, notes = NULL WHERE contact_id = ?",
	[STMT_ERASE_CONSENT_NOTES] = "UPDATE consents SET note = '' WHERE contact_id = ?",
	/* A skipped row of an import kept the person's data as read. */
	[STMT_ERASE_IMPORT_PROBLEMS] = "DELETE FROM import_problems WHERE duplicate_of = ?",
	/* After the commit (Mroonga does not roll back): the search row made
	 * again from the anonymised contact. */
	[STMT_ERASE_SEARCH] = CRM_SEARCH_PUT CRM_SEARCH_CONTACT_ROWS " AND c.id = ?",
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
