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

	/* links */

	/* consent */
};
_Static_assert(CRM_NELEM(marketing_stmts) == STMT__MAX, "marketing_stmts");
