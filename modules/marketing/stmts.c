/* Every SQL statement crm-marketing runs, one section per area. */
#include "crm_search.h"
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
