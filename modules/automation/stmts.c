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
	/* rules.c, rules_form.c: the list by name; the run logs newest first,
	 * a rule's through its own index; the form's menus and the checks
	 * that what a rule names exists. */
	[STMT_RULES_LIST] = "SELECT r.id, r.name, r.entity, r.trigger_kind, r.enabled, r.runs,"
	    " IFNULL(JSON_VALUE(r.definition, '$.date_field'), '') AS date_field,"
	    " CAST(IFNULL(JSON_VALUE(r.definition, '$.offset_days'), 0) AS SIGNED) AS offset_days, "
	    "IFNULL(" STAMP("r.last_run_at") ", '') AS last_run_at FROM rules r FORCE INDEX (rules_name)"
	    " WHERE (r.name > ? OR (r.name = ? AND r.id > ?)) ORDER BY r.name, r.id LIMIT 51",
	[STMT_RULE_GET] = "SELECT id, name, entity, trigger_kind, definition, enabled, runs,"
	    " IFNULL(" STAMP("last_run_at") ", '') AS last_run_at, " STAMP("updated_at") " AS updated_at"
	    " FROM rules WHERE id = ?",
	[STMT_RULE_CREATE] = "INSERT INTO rules (name, entity, trigger_kind, definition, enabled, created_by)"
	    " VALUES (?, ?, ?, ?, ?, ?)",
	/* A changed rule reads its dates afresh (rule_timers still keeps
	 * each record from firing twice for one date). */
	[STMT_RULE_UPDATE] = "UPDATE rules SET name = ?, entity = ?, trigger_kind = ?, definition = ?, enabled = ?,"
	    " timer_through = NULL WHERE id = ?",
	[STMT_RULE_ENABLE] = "UPDATE rules SET enabled = ? WHERE id = ?",
	[STMT_RULE_DELETE] = "DELETE FROM rules WHERE id = ?",
	[STMT_RULE_RUNS] = "SELECT id, rule_id, IFNULL(audit_id, 0) AS audit_id, entity, record_id, record_name,"
	    " trigger_kind, depth, status, actions, error, " STAMP("created_at") " AS created_at"
	    " FROM rule_runs FORCE INDEX (rule_runs_rule) WHERE rule_id = ? AND id < ? ORDER BY id DESC LIMIT 51",
	[STMT_RULES_RECENT_RUNS] = "SELECT x.id, x.rule_id, r.name AS rule_name, IFNULL(x.audit_id, 0) AS audit_id,"
	    " x.entity, x.record_id, x.record_name, x.trigger_kind, x.depth, x.status, x.actions, x.error, "
	    STAMP("x.created_at") " AS created_at FROM rule_runs x JOIN rules r ON r.id = x.rule_id"
	    " WHERE x.id < ? ORDER BY x.id DESC LIMIT 51",
	[STMT_RULE_USER] = "SELECT id FROM users WHERE id = ? AND active = 1",
	[STMT_RULE_TEAM] = "SELECT id FROM teams WHERE id = ?",
	[STMT_RULE_TEMPLATE] = "SELECT id FROM email_templates WHERE id = ? AND deleted_at IS NULL",
	[STMT_RULE_WEBHOOK] = "SELECT id FROM webhooks WHERE id = ?",
	[STMT_RULE_USERS] = "SELECT id, name FROM users WHERE active = 1 ORDER BY name, id LIMIT 500",
	[STMT_RULE_TEAMS] = "SELECT id, name FROM teams ORDER BY name, id LIMIT 200",
	[STMT_RULE_TEMPLATES] = "SELECT id, name FROM email_templates FORCE INDEX (email_templates_name)"
	    " WHERE deleted_at IS NULL ORDER BY name LIMIT 500",
	[STMT_RULE_WEBHOOKS] = "SELECT id, name FROM webhooks ORDER BY name, id LIMIT 200",
	/* @@sql-webhooks */
	/* webhooks.c: a short list (a few hooks), by name. The secret is
	 * never read here: only the runner and the rotate action touch it. */
	[STMT_HOOK_LIST] = "SELECT id, name, url, events, enabled, failures, disabled_reason,"
	    " " STAMP("updated_at") " AS updated_at FROM webhooks"
	    " WHERE (name, id) > (?, ?) ORDER BY name, id LIMIT 51",
	[STMT_HOOK_GET] = "SELECT id, name, url, events, enabled, failures, " STAMP("disabled_at") " AS disabled_at,"
	    " disabled_reason, " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at"
	    " FROM webhooks WHERE id = ?",
	[STMT_HOOK_CREATE] = "INSERT INTO webhooks (name, url, events, secret, enabled, created_by)"
	    " VALUES (?, ?, ?, ?, ?, ?)",
	/* Switching a hook on by hand forgets its failures, like the
	 * re-enable button. */
	[STMT_HOOK_UPDATE] = "UPDATE webhooks SET name = ?, url = ?, events = ?,"
	    " failures = IF(? AND NOT enabled, 0, failures),"
	    " disabled_at = IF(?, NULL, disabled_at), disabled_reason = IF(?, '', disabled_reason),"
	    " enabled = ? WHERE id = ?",
	[STMT_HOOK_SECRET_SET] = "UPDATE webhooks SET secret = ? WHERE id = ?",
	[STMT_HOOK_ENABLE] = "UPDATE webhooks SET enabled = TRUE, failures = 0, disabled_at = NULL,"
	    " disabled_reason = '' WHERE id = ? AND NOT enabled",
	[STMT_HOOK_DELETE] = "DELETE FROM webhooks WHERE id = ?",
	/* The delivery log, newest first, paged by id (webhook_deliveries_hook). */
	[STMT_HOOK_DELIVERIES] = "SELECT id, event, status, attempts, response_code, response_excerpt, error,"
	    " " STAMP("created_at") " AS created_at, " STAMP("next_at") " AS next_at,"
	    " " STAMP("delivered_at") " AS delivered_at FROM webhook_deliveries FORCE INDEX (webhook_deliveries_hook)"
	    " WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT 51",
	/* Redelivering sends the same body again as a new delivery (a new id
	 * in X-CRM-Delivery), keeping the old one's log as it was. */
	[STMT_HOOK_REDELIVER] = "INSERT INTO webhook_deliveries (webhook_id, event, audit_id, payload)"
	    " SELECT d.webhook_id, d.event, d.audit_id, d.payload FROM webhook_deliveries d"
	    " WHERE d.id = ? AND d.webhook_id = ?",

	/* webhook_jobs.c: the hooks that listen (a handful; read once a pass). */
	[STMT_WJ_HOOKS] = "SELECT id, events FROM webhooks WHERE enabled ORDER BY id",
	[STMT_WJ_ACTOR] = "SELECT id, name, email FROM users WHERE id = ?",
	/* webhook_payload.c: the record as the API shows it, by primary key;
	 * secrets (public links, survey tokens) left out. */
	[STMT_WJ_DATA_ACCOUNT] = "SELECT id, name, industry, size, website, phone, street, city, region, postcode,"
	    " country, annual_revenue, owner_id, " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at"
	    " FROM accounts WHERE id = ? AND deleted_at IS NULL",
	[STMT_WJ_DATA_CONTACT] = "SELECT id, account_id, first_name, last_name, full_name, title, email, phone, mobile,"
	    " city, country, source, owner_id, " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at"
	    " FROM contacts WHERE id = ? AND deleted_at IS NULL AND erased_at IS NULL",
	[STMT_WJ_DATA_LEAD] = "SELECT id, first_name, last_name, full_name, company, title, email, phone, city, country,"
	    " source, status, score, owner_id, account_id, contact_id, opportunity_id,"
	    " " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at"
	    " FROM leads WHERE id = ? AND deleted_at IS NULL",
	[STMT_WJ_DATA_OPPORTUNITY] = "SELECT o.id, o.name, o.account_id, o.contact_id, o.pipeline_id, o.stage_id,"
	    " s.name AS stage, o.amount, o.probability, " STAMP("o.close_date") " AS close_date, o.owner_id,"
	    " " STAMP("o.created_at") " AS created_at, " STAMP("o.updated_at") " AS updated_at"
	    " FROM opportunities o LEFT JOIN pipeline_stages s ON s.id = o.stage_id WHERE o.id = ? AND o.deleted_at IS NULL",
	[STMT_WJ_DATA_QUOTE] = "SELECT id, number, version, opportunity_id, account_id, contact_id, currency, title,"
	    " status, valid_until, subtotal, discount_total, tax_total, total, approved_by, owner_id,"
	    " " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at FROM quotes WHERE id = ?",
	[STMT_WJ_DATA_ORDER] = "SELECT id, number, quote_id, opportunity_id, account_id, contact_id, currency, status,"
	    " ordered_on, shipped_on, delivered_on, cancelled_on, subtotal, tax_total, total, owner_id,"
	    " " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at FROM orders WHERE id = ?",
	[STMT_WJ_DATA_INVOICE] = "SELECT id, number, order_id, account_id, currency, issued_on, due_on, subtotal,"
	    " tax_total, total, paid, status, owner_id, " STAMP("created_at") " AS created_at,"
	    " " STAMP("updated_at") " AS updated_at FROM invoices WHERE id = ?",
	[STMT_WJ_DATA_TICKET] = "SELECT id, subject, contact_id, account_id, order_id, category_id, priority, status,"
	    " channel, owner_id, team_id, " STAMP("first_response_due") " AS first_response_due,"
	    " " STAMP("resolution_due") " AS resolution_due, " STAMP("resolved_at") " AS resolved_at,"
	    " " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at"
	    " FROM tickets WHERE id = ? AND deleted_at IS NULL",
	[STMT_WJ_DATA_ACTIVITY] = "SELECT id, kind, subject, account_id, contact_id, lead_id, opportunity_id,"
	    " " STAMP("at") " AS at, " STAMP("ends_at") " AS ends_at, assignee_id, " STAMP("done_at") " AS done_at,"
	    " created_by, " STAMP("created_at") " AS created_at, " STAMP("updated_at") " AS updated_at"
	    " FROM activities WHERE id = ? AND deleted_at IS NULL",
	/* The next due delivery, claimed: a runner that holds it is skipped
	 * by the others, and the lease (next_at moved on by the send's
	 * timeout and more) makes a killed runner's delivery due again. The
	 * hook is read in a subquery so its row is not locked with it. */
	[STMT_WJ_CLAIM] = "SELECT d.id, d.webhook_id, d.event, d.payload, d.attempts"
	    " FROM webhook_deliveries d FORCE INDEX (webhook_deliveries_due)"
	    " WHERE d.status = 'pending' AND d.next_at <= UTC_TIMESTAMP()"
	    " AND EXISTS (SELECT 1 FROM webhooks w WHERE w.id = d.webhook_id AND w.enabled)"
	    " ORDER BY d.status, d.next_at, d.id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[STMT_WJ_START] = "UPDATE webhook_deliveries SET attempts = attempts + 1,"
	    " next_at = UTC_TIMESTAMP() + INTERVAL ? SECOND WHERE id = ?",
	/* Locked while a delivery's outcome is recorded: failures in a row are
	 * counted by one runner at a time. */
	[STMT_WJ_HOOK] = "SELECT id, name, failures, created_by FROM webhooks WHERE id = ? FOR UPDATE",
	[STMT_WJ_TARGET] = "SELECT url, secret FROM webhooks WHERE id = ?",
	[STMT_WJ_DELIVERED] = "UPDATE webhook_deliveries SET status = 'delivered', response_code = ?,"
	    " response_excerpt = ?, error = '', delivered_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_WJ_RETRY] = "UPDATE webhook_deliveries SET next_at = UTC_TIMESTAMP() + INTERVAL ? SECOND,"
	    " response_code = NULLIF(?, 0), response_excerpt = ?, error = ? WHERE id = ?",
	[STMT_WJ_GIVE_UP] = "UPDATE webhook_deliveries SET status = 'failed', response_code = NULLIF(?, 0),"
	    " response_excerpt = ?, error = ? WHERE id = ?",
	[STMT_WJ_HOOK_OK] = "UPDATE webhooks SET failures = 0 WHERE id = ? AND failures <> 0",
	[STMT_WJ_HOOK_FAILED] = "UPDATE webhooks SET failures = failures + 1 WHERE id = ?",
	[STMT_WJ_HOOK_DISABLE] = "UPDATE webhooks SET enabled = FALSE, disabled_at = UTC_TIMESTAMP(),"
	    " disabled_reason = ? WHERE id = ? AND enabled",
	/* Who hears that a hook was switched off: whoever may manage hooks. */
	[STMT_WJ_ADMINS] = "SELECT DISTINCT u.id FROM users u JOIN role_permissions p ON p.role_id = u.role_id"
	    " WHERE u.active AND p.permission IN ('automation.webhooks', '*') ORDER BY u.id LIMIT 200",

	/* The log keeps finished deliveries for webhook_keep_days, read by
	 * the due index (a finished row's next_at is its last attempt). */
	[STMT_WJ_PRUNE] = "DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed')"
	    " AND next_at < UTC_TIMESTAMP() - INTERVAL ? DAY ORDER BY status, next_at, id LIMIT 500",

	/* notifications.c: the reader's own, newest first (notifications_user). */
	[STMT_NOTE_LIST] = "SELECT n.id, n.kind, n.entity, n.entity_id, n.title, " STAMP("n.created_at") " AS created_at,"
	    " n.read_at IS NOT NULL AS is_read, COALESCE(a.name, '') AS actor"
	    " FROM notifications n FORCE INDEX (notifications_user) LEFT JOIN users a ON a.id = n.actor_id"
	    " WHERE n.user_id = ? AND n.id < ? ORDER BY n.id DESC LIMIT 51",
	[STMT_NOTE_GET] = "SELECT id, kind, entity, entity_id FROM notifications WHERE id = ? AND user_id = ?",
	[STMT_NOTE_DIGEST_GET] = "SELECT notify_digest FROM users WHERE id = ?",
	[STMT_NOTE_DIGEST_SET] = "UPDATE users SET notify_digest = ? WHERE id = ?",
	/* An activity has no page of its own: its contact's, else its account's. */
	[STMT_NOTE_ACTIVITY_HOME] = "SELECT CAST(IFNULL(contact_id, 0) AS SIGNED) AS contact_id, CAST(IFNULL(account_id, 0) AS SIGNED) AS account_id"
	    " FROM activities WHERE id = ?",

	/* notify_jobs.c: a record's name and who it belongs to, by key. */
	[STMT_NJ_TITLE_ACCOUNT] = "SELECT name AS title, owner_id, '' AS body FROM accounts WHERE id = ?",
	[STMT_NJ_TITLE_CONTACT] = "SELECT full_name AS title, owner_id, '' AS body FROM contacts WHERE id = ?",
	[STMT_NJ_TITLE_LEAD] = "SELECT full_name AS title, owner_id, '' AS body FROM leads WHERE id = ?",
	[STMT_NJ_TITLE_OPPORTUNITY] = "SELECT name AS title, owner_id, '' AS body FROM opportunities WHERE id = ?",
	[STMT_NJ_TITLE_QUOTE] = "SELECT CONCAT(number, ' ', title) AS title, owner_id, '' AS body FROM quotes WHERE id = ?",
	[STMT_NJ_TITLE_ORDER] = "SELECT number AS title, owner_id, '' AS body FROM orders WHERE id = ?",
	[STMT_NJ_TITLE_TICKET] = "SELECT subject AS title, owner_id, '' AS body FROM tickets WHERE id = ?",
	[STMT_NJ_TITLE_ACTIVITY] = "SELECT subject AS title, assignee_id AS owner_id, COALESCE(body, '') AS body"
	    " FROM activities WHERE id = ?",
	[STMT_NJ_TICKET_MESSAGE] = "SELECT body FROM ticket_messages WHERE id = ? AND ticket_id = ?",
	/* "@sam.lee" (the part of an address before the @) or "@Sam Lee"
	 * (a full name of one to three words); staff are few. */
	[STMT_NJ_MENTION] = "SELECT id FROM users WHERE active AND (email LIKE CONCAT(?, '@%') OR name = ? OR name = ?"
	    " OR name = ?) ORDER BY id LIMIT 5",
	/* notify_scan.c: tasks due within the hour or overdue by up to a
	 * day, not done, not yet announced for this due time (activities_due). */
	[STMT_NJ_TASKS_DUE] = "SELECT a.id, a.assignee_id, a.subject, " STAMP("a.at") " AS due"
	    " FROM activities a FORCE INDEX (activities_due)"
	    " WHERE a.kind = 'task' AND a.done_at IS NULL AND a.at > UTC_TIMESTAMP() - INTERVAL 1 DAY"
	    " AND a.at <= UTC_TIMESTAMP() + INTERVAL 1 HOUR AND a.deleted_at IS NULL"
	    " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = a.assignee_id AND n.kind = 'task_due'"
	    " AND n.entity = 'activity' AND n.entity_id = a.id AND n.once_key = " STAMP("a.at") ")"
	    " ORDER BY a.at, a.id LIMIT 200",
	/* Open tickets whose first response or resolution falls due within
	 * the next ? minutes and is not yet announced (indexes on the due). */
	[STMT_NJ_SLA_FIRST] = "SELECT t.id, t.owner_id, t.subject, CONCAT('first_response:', " STAMP("t.first_response_due") ") AS once_key"
	    " FROM tickets t FORCE INDEX (tickets_first_response_due)"
	    " WHERE t.status IN ('new', 'open') AND t.first_response_due > UTC_TIMESTAMP()"
	    " AND t.first_response_due <= UTC_TIMESTAMP() + INTERVAL ? MINUTE AND t.first_responded_at IS NULL"
	    " AND t.paused_at IS NULL AND t.owner_id IS NOT NULL AND t.deleted_at IS NULL"
	    " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = t.owner_id AND n.kind = 'sla_warning'"
	    " AND n.entity = 'ticket' AND n.entity_id = t.id"
	    " AND n.once_key = CONCAT('first_response:', " STAMP("t.first_response_due") "))"
	    " ORDER BY t.first_response_due, t.id LIMIT 200",
	[STMT_NJ_SLA_RESOLUTION] = "SELECT t.id, t.owner_id, t.subject, CONCAT('resolution:', " STAMP("t.resolution_due") ") AS once_key"
	    " FROM tickets t FORCE INDEX (tickets_due)"
	    " WHERE t.status IN ('new', 'open') AND t.resolution_due > UTC_TIMESTAMP()"
	    " AND t.resolution_due <= UTC_TIMESTAMP() + INTERVAL ? MINUTE"
	    " AND t.paused_at IS NULL AND t.owner_id IS NOT NULL AND t.deleted_at IS NULL"
	    " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = t.owner_id AND n.kind = 'sla_warning'"
	    " AND n.entity = 'ticket' AND n.entity_id = t.id"
	    " AND n.once_key = CONCAT('resolution:', " STAMP("t.resolution_due") "))"
	    " ORDER BY t.resolution_due, t.id LIMIT 200",
	/* notify_digest.c: who asked for a digest and has not had today's
	 * (the day starts at the digest hour, UTC), a few at a time. */
	[STMT_NJ_DIGEST_USERS] = "SELECT id, email, name, language FROM users FORCE INDEX (users_notify_digest)"
	    " WHERE notify_digest = TRUE AND (notify_digest_at IS NULL OR notify_digest_at < ?)"
	    " AND active ORDER BY id LIMIT 20",
	[STMT_NJ_DIGEST_ITEMS] = "SELECT n.id, n.kind, n.entity, n.entity_id, n.title, " STAMP("n.created_at") " AS created_at"
	    " FROM notifications n FORCE INDEX (notifications_digest)"
	    " WHERE n.user_id = ? AND n.emailed_at IS NULL AND n.read_at IS NULL ORDER BY n.id LIMIT 100",
	[STMT_NJ_DIGEST_QUEUE] = "INSERT INTO mail_queue (to_addr, subject, body) VALUES (?, ?, ?)",
	[STMT_NJ_DIGEST_MARK] = "UPDATE notifications FORCE INDEX (notifications_digest) SET emailed_at = UTC_TIMESTAMP()"
	    " WHERE user_id = ? AND emailed_at IS NULL AND read_at IS NULL AND id <= ?",
	[STMT_NJ_DIGEST_DONE] = "UPDATE users SET notify_digest_at = UTC_TIMESTAMP() WHERE id = ?",
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
	[STMT_MAIL_ACTIVITY] = "INSERT INTO activities (kind, subject, body, account_id, contact_id, at, assignee_id, done_at,"
	    " created_by) VALUES ('email', ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), ?)",
};
