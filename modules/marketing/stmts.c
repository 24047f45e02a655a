/* Every SQL statement crm-marketing runs, one section per area. */
#include "extern.h"

#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define LIMIT " LIMIT 51"

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

	/* campaigns */

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

	/* consent */
};
_Static_assert(CRM_NELEM(marketing_stmts) == STMT__MAX, "marketing_stmts");
