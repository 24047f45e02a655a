/* Every SQL statement crm-automation runs, one section per area. */
#include "extern.h"

#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"

const char *const automation_stmts[STMT__MAX] = {
	/* home.c: each consumer's place in the audit log, and how far behind
	 * the newest event it is (the audit log's primary key end, not a count). */
	[STMT_HOME_CURSORS] = "SELECT c.name, c.last_audit_id, c.events, " STAMP("c.updated_at") " AS moved_at,"
	    " CAST(GREATEST(IFNULL((SELECT MAX(id) FROM audit_log), 0) - c.last_audit_id, 0) AS SIGNED) AS behind"
	    " FROM automation_cursors c ORDER BY c.name",
	[STMT_HOME_TICKS] = "SELECT name, " STAMP("ticked_at") " AS ticked_at, ok, work, error,"
	    " CAST(TIMESTAMPDIFF(SECOND, ticked_at, UTC_TIMESTAMP()) AS SIGNED) AS seconds_ago"
	    " FROM automation_ticks ORDER BY name",

	/* @@sql-rules */
	/* @@sql-webhooks */
	/* @@sql-mail */
	/* mail_boxes.c: the password is read by STMT_MAIL_BOX_SECRET and
	 * STMT_MAIL_BOX_RUN only, never by a statement that feeds a page. */
	[STMT_MAIL_BOXES] = "SELECT id, name, url, username, purpose, support_address, enabled, poll_seconds,"
	    " " STAMP("last_polled_at") " AS last_polled_at, last_error FROM mailboxes WHERE id > ? ORDER BY id LIMIT 51",
	[STMT_MAIL_BOX_GET] = "SELECT id, name, url, username, purpose, support_address, enabled, poll_seconds,"
	    " uidvalidity, last_uid, " STAMP("last_polled_at") " AS last_polled_at, " STAMP("next_poll_at") " AS next_poll_at,"
	    " last_error FROM mailboxes WHERE id = ?",
	[STMT_MAIL_BOX_SECRET] = "SELECT url, username, password FROM mailboxes WHERE id = ?",
	[STMT_MAIL_BOX_CREATE] = "INSERT INTO mailboxes (name, url, username, password, purpose, support_address, enabled,"
	    " poll_seconds, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_MAIL_BOX_UPDATE] = "UPDATE mailboxes SET name = ?, url = ?, username = ?, purpose = ?, support_address = ?,"
	    " enabled = ?, poll_seconds = ? WHERE id = ?",
	[STMT_MAIL_BOX_PASSWORD] = "UPDATE mailboxes SET password = ? WHERE id = ?",
	[STMT_MAIL_BOX_POLL_NOW] = "UPDATE mailboxes SET next_poll_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_MAIL_POLLS] = "SELECT id, " STAMP("polled_at") " AS polled_at, seen, tickets, replies, timeline, skipped,"
	    " errors, error FROM mailbox_polls WHERE mailbox_id = ? AND id < ? ORDER BY id DESC LIMIT 51",
	[STMT_MAIL_MESSAGES] = "SELECT id, uid, from_addr, subject, outcome, detail, ticket_id, activity_id,"
	    " " STAMP("created_at") " AS created_at FROM mailbox_messages WHERE mailbox_id = ? AND id < ?"
	    " ORDER BY id DESC LIMIT 51",

	/* mail_poll.c: the due mailbox from its index; a second runner skips
	 * the one being polled. */
	[STMT_MAIL_DUE] = "SELECT id FROM mailboxes FORCE INDEX (mailboxes_due) WHERE enabled AND"
	    " next_poll_at <= UTC_TIMESTAMP() ORDER BY next_poll_at LIMIT 1 FOR UPDATE SKIP LOCKED",
	[STMT_MAIL_CLAIM] = "UPDATE mailboxes SET next_poll_at = UTC_TIMESTAMP() + INTERVAL poll_seconds SECOND WHERE id = ?",
	[STMT_MAIL_BOX_RUN] = "SELECT id, url, username, password, purpose, support_address, uidvalidity, last_uid, created_by"
	    " FROM mailboxes WHERE id = ?",
	[STMT_MAIL_BOX_LOCK] = "SELECT uidvalidity, last_uid FROM mailboxes WHERE id = ? FOR UPDATE",
	/* A new UIDVALIDITY: the old UIDs mean nothing now (Message-IDs keep
	 * what was handled from being handled again). */
	[STMT_MAIL_BOX_RESET] = "UPDATE mailboxes SET uidvalidity = ?, last_uid = 0 WHERE id = ?",
	[STMT_MAIL_BOX_ADVANCE] = "UPDATE mailboxes SET last_uid = ? WHERE id = ? AND uidvalidity = ? AND last_uid < ?",
	[STMT_MAIL_BOX_AGAIN] = "UPDATE mailboxes SET next_poll_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_MAIL_BOX_POLLED] = "UPDATE mailboxes SET last_polled_at = UTC_TIMESTAMP(), last_error = ? WHERE id = ?",
	[STMT_MAIL_POLL_LOG] = "INSERT INTO mailbox_polls (mailbox_id, seen, tickets, replies, timeline, skipped, errors, error)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",

	/* mail_handle.c */
	[STMT_MAIL_MSG_LOG] = "INSERT INTO mailbox_messages (mailbox_id, uidvalidity, uid, message_id, from_addr, subject,"
	    " outcome, detail, ticket_id, activity_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_MAIL_MSG_SEEN_ID] = "SELECT id FROM mailbox_messages WHERE message_id = ? AND mailbox_id = ? LIMIT 1",
	[STMT_MAIL_MSG_SEEN_UID] = "SELECT id FROM mailbox_messages WHERE mailbox_id = ? AND uidvalidity = ? AND uid = ?",
	[STMT_MAIL_THREAD_BY_MSGID] = "SELECT ticket_id FROM mailbox_messages WHERE message_id = ? AND ticket_id IS NOT NULL"
	    " ORDER BY id DESC LIMIT 1",
	/* The service module's own Message-ID: crm.mail.<queue id>.<created>. */
	[STMT_MAIL_THREAD_BY_QUEUE] = "SELECT ticket_id FROM mail_queue WHERE id = ? AND UNIX_TIMESTAMP(created_at) = ?"
	    " AND ticket_id IS NOT NULL",
	[STMT_MAIL_TICKET_LOCK] = "SELECT t.id, t.status, t.requester_email,"
	    " IFNULL((SELECT c.email_norm FROM contacts c WHERE c.id = t.contact_id), '') AS contact_email"
	    " FROM tickets t WHERE t.id = ? AND t.deleted_at IS NULL FOR UPDATE",
	[STMT_MAIL_CONTACT_BY_EMAIL] = "SELECT id, account_id, owner_id FROM contacts FORCE INDEX (contacts_email)"
	    " WHERE email_norm = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
	[STMT_MAIL_TICKET_CREATE] = "INSERT INTO tickets (subject, description, contact_id, account_id, requester_name,"
	    " requester_email, status, channel, created_by, public_token) VALUES (?, ?, ?, ?, ?, ?, 'new', 'email', NULL, ?)",
	[STMT_MAIL_TICKET_MESSAGE] = "INSERT INTO ticket_messages (ticket_id, kind, body, author_id, author_name)"
	    " VALUES (?, 'customer', ?, NULL, ?)",
	[STMT_MAIL_TICKET_REOPEN] = "UPDATE tickets SET status = 'open', resolved_at = NULL WHERE id = ?"
	    " AND status IN ('pending', 'resolved')",
	[STMT_MAIL_ATTACHMENT] = "INSERT INTO ticket_attachments (ticket_id, message_id, filename, content_type, size, sha256,"
	    " public, created_by) VALUES (?, ?, ?, ?, ?, ?, TRUE, NULL)",
	[STMT_MAIL_ACTIVITY] = "INSERT INTO activities (kind, subject, body, account_id, contact_id, at, assignee_id, done_at,"
	    " created_by) VALUES ('email', ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), ?)",

	/* mail_assign.c: the service module's assignment rules; a mail
	 * ticket has no category, so only rules for any category apply. */
	[STMT_MAIL_RULE_MATCH] = "SELECT id, team_id, method, last_user_id FROM ticket_rules FORCE INDEX (ticket_rules_order)"
	    " WHERE active AND category_id IS NULL ORDER BY position, id LIMIT 1 FOR UPDATE",
	[STMT_MAIL_RULE_NEXT_MEMBER] = "SELECT id FROM users WHERE team_id = ? AND active ORDER BY id > ? DESC, id LIMIT 1",
	[STMT_MAIL_RULE_LEAST_OPEN] = "SELECT u.id, (SELECT COUNT(*) FROM tickets t FORCE INDEX (tickets_owner)"
	    " WHERE t.owner_id = u.id AND t.status IN ('new', 'open', 'pending') AND t.deleted_at IS NULL) AS open_tickets"
	    " FROM users u WHERE u.team_id = ? AND u.active ORDER BY open_tickets, u.id LIMIT 1",
	[STMT_MAIL_RULE_POINTER] = "UPDATE ticket_rules SET last_user_id = ? WHERE id = ?",
	[STMT_MAIL_TICKET_ASSIGN] = "UPDATE tickets SET owner_id = ?, team_id = ? WHERE id = ?",

	/* mail_sla.c: the service module's SLA statements, for mail tickets */
	[STMT_MAIL_SLA_TICKET] = "SELECT priority, sla_policy_id, " STAMP("created_at") " AS created_at,"
	    " " STAMP("first_response_due") " AS first_response_due, " STAMP("resolution_due") " AS resolution_due,"
	    " " STAMP("first_responded_at") " AS first_responded_at, " STAMP("paused_at") " AS paused_at,"
	    " paused_minutes, " STAMP("UTC_TIMESTAMP()") " AS now FROM tickets WHERE id = ? AND deleted_at IS NULL FOR UPDATE",
	[STMT_MAIL_SLA_POLICY_FOR] = "SELECT p.id, p.first_response_minutes, p.resolution_minutes, p.calendar_id, c.time_zone"
	    " FROM sla_policies p JOIN business_calendars c ON c.id = p.calendar_id WHERE p.priority = ? AND p.active",
	[STMT_MAIL_SLA_POLICY_CALENDAR] = "SELECT p.calendar_id, c.time_zone FROM sla_policies p"
	    " JOIN business_calendars c ON c.id = p.calendar_id WHERE p.id = ?",
	[STMT_MAIL_SLA_HOURS] = "SELECT weekday, TIME_FORMAT(opens, '%H:%i') AS opens, TIME_FORMAT(closes, '%H:%i') AS closes"
	    " FROM business_hours WHERE calendar_id = ? ORDER BY weekday, opens",
	[STMT_MAIL_SLA_HOLIDAYS] = "SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day FROM holidays WHERE calendar_id = ?"
	    " ORDER BY day LIMIT 1024",
	[STMT_MAIL_SLA_SET] = "UPDATE tickets SET sla_policy_id = ?, first_response_due = ?, resolution_due = ? WHERE id = ?",
	[STMT_MAIL_SLA_RESUME] = "UPDATE tickets SET paused_at = NULL, paused_minutes = paused_minutes + ?,"
	    " first_response_due = ?, resolution_due = ? WHERE id = ? AND paused_at IS NOT NULL",
};
