/* Every SQL statement crm-service runs, one section per area. Tickets
 * belong to their agent (owner_id) for SCOPE(t), as records do elsewhere;
 * o is the owner joined from users. */
#include "extern.h"

#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define LIMIT " LIMIT 51"

const char *const service_stmts[STMT__MAX] = {
	/* common.c */

	/* categories.c: a short list, an admin's. */
	[STMT_CATEGORIES] = "SELECT c.id, c.name, c.team_id, t.name AS team, c.active FROM ticket_categories c"
	    " LEFT JOIN teams t ON t.id = c.team_id ORDER BY c.active DESC, c.name LIMIT 500",
	[STMT_CATEGORY_GET] = "SELECT id, name, team_id, active FROM ticket_categories WHERE id = ?",
	[STMT_CATEGORY_CREATE] = "INSERT INTO ticket_categories (name, team_id) VALUES (?, ?)",
	[STMT_CATEGORY_UPDATE] = "UPDATE ticket_categories SET name = ?, team_id = ?, active = ? WHERE id = ?",
	[STMT_TEAMS] = "SELECT id, name FROM teams ORDER BY name LIMIT 500",

	/* tickets */
	/* tickets: a ticket is the agent's (SCOPE) or nobody's yet: an
	 * unassigned ticket is open to every agent to pick up (TSCOPE). */
#define TSCOPE " (" SCOPE("t") " OR t.owner_id IS NULL)"
#define TICKET_TAGS \
	" (SELECT GROUP_CONCAT(g.name ORDER BY g.name SEPARATOR ', ') FROM tag_links l" \
	" JOIN tags g ON g.id = l.tag_id WHERE l.entity = 'ticket' AND l.record_id = t.id) AS tags"
	[STMT_TICKET_GET] = "SELECT t.id, t.subject, t.description, t.contact_id, c.full_name AS contact,"
	    " t.order_id, od.number AS order_number, t.category_id, cat.name AS category, t.priority, t.status,"
	    " t.channel, t.owner_id, o.name AS owner, t.team_id, tm.name AS team, t.requester_name,"
	    " t.requester_email, " STAMP("t.first_response_due") " AS first_response_due,"
	    " " STAMP("t.first_responded_at") " AS first_responded_at,"
	    " " STAMP("t.resolution_due") " AS resolution_due, " STAMP("t.created_at") " AS created_at,"
	    " t.sla_policy_id, " STAMP("t.paused_at") " AS paused_at, t.first_response_breached,"
	    " t.resolution_breached," TICKET_TAGS " FROM tickets t LEFT JOIN users o ON o.id = t.owner_id"
	    " LEFT JOIN contacts c ON c.id = t.contact_id LEFT JOIN orders od ON od.id = t.order_id"
	    " LEFT JOIN ticket_categories cat ON cat.id = t.category_id LEFT JOIN teams tm ON tm.id = t.team_id"
	    " WHERE t.id = ? AND t.deleted_at IS NULL AND" TSCOPE,
	[STMT_TICKET_LOCK] = "SELECT id, status, owner_id, team_id FROM tickets WHERE id = ? FOR UPDATE",
	[STMT_TICKET_CREATE] = "INSERT INTO tickets (subject, description, contact_id, account_id, order_id,"
	    " category_id, priority, channel, owner_id, team_id, created_by)"
	    " VALUES (?, ?, ?, (SELECT account_id FROM contacts WHERE id = ?), ?, ?, ?, ?, ?, ?, ?)",
	/* resolved_at/closed_at: 1 stamps now, 0 clears, 2 keeps. */
	[STMT_TICKET_UPDATE] = "UPDATE tickets SET subject = ?, description = ?, contact_id = ?,"
	    " account_id = (SELECT account_id FROM contacts WHERE id = ?), order_id = ?, category_id = ?,"
	    " priority = ?, channel = ?, status = ?,"
	    " resolved_at = CASE ? WHEN 1 THEN UTC_TIMESTAMP() WHEN 0 THEN NULL ELSE resolved_at END,"
	    " closed_at = CASE ? WHEN 1 THEN UTC_TIMESTAMP() WHEN 0 THEN NULL ELSE closed_at END WHERE id = ?",
	[STMT_TICKET_ASSIGN] = "UPDATE tickets SET owner_id = ?, team_id = ? WHERE id = ?",
	[STMT_TICKET_REPLIED] = "UPDATE tickets SET first_responded_at = COALESCE(first_responded_at, UTC_TIMESTAMP()),"
	    " status = IF(status = 'new', 'open', status) WHERE id = ?",
	/* One ticket's thread: its own index range, capped. */
	[STMT_TICKET_MESSAGES] = "SELECT m.id, m.kind, m.body, m.author_name, " STAMP("m.created_at") " AS created_at"
	    " FROM ticket_messages m WHERE m.ticket_id = ? ORDER BY m.id LIMIT 500",
	[STMT_TICKET_ATTACHMENTS] = "SELECT id, message_id, filename, content_type, size, public FROM ticket_attachments"
	    " WHERE ticket_id = ? ORDER BY id LIMIT 500",
	[STMT_TICKET_MESSAGE_CREATE] = "INSERT INTO ticket_messages (ticket_id, kind, body, author_id, author_name)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_TICKET_ATTACHMENT_GET] = "SELECT a.id, a.ticket_id, a.filename, a.content_type, a.size"
	    " FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id LEFT JOIN users o ON o.id = t.owner_id"
	    " WHERE a.id = ? AND t.deleted_at IS NULL AND" TSCOPE,
	[STMT_TICKET_CONTACT_BY_ID] = "SELECT c.id, c.full_name FROM contacts c JOIN users o ON o.id = c.owner_id"
	    " WHERE c.id = ? AND c.deleted_at IS NULL AND" SCOPE("c"),
	[STMT_TICKET_CONTACT_BY_NAME] = "SELECT c.id, c.full_name FROM contacts c JOIN users o ON o.id = c.owner_id"
	    " WHERE c.full_name = ? AND c.deleted_at IS NULL AND" SCOPE("c") " LIMIT 2",
	[STMT_TICKET_LOOKUP_CONTACTS] = "SELECT c.id, c.full_name AS label FROM contacts c"
	    " JOIN users o ON o.id = c.owner_id WHERE c.full_name LIKE CONCAT(?, '%')"
	    " AND c.deleted_at IS NULL AND" SCOPE("c") " ORDER BY c.full_name, c.id LIMIT 10",
	[STMT_TICKET_ORDER_BY_ID] = "SELECT id, number FROM orders WHERE id = ?",
	[STMT_TICKET_ORDER_BY_NUMBER] = "SELECT id, number FROM orders WHERE number = ?",
	[STMT_TICKET_CATEGORIES] = "SELECT id, name, team_id FROM ticket_categories WHERE active ORDER BY name LIMIT 500",
	[STMT_TICKET_CATEGORY_GET] = "SELECT id, name, team_id FROM ticket_categories WHERE id = ? AND active",
	[STMT_TICKET_TEAM_GET] = "SELECT id, name FROM teams WHERE id = ?",
	[STMT_TICKET_AGENTS] = "SELECT id, name FROM users WHERE active ORDER BY name, id LIMIT 500",
	[STMT_TICKET_AGENT_GET] = "SELECT id, name, team_id FROM users WHERE id = ? AND active",
	/* The first three from the kept counts (028_ticket_counts.sql), the
	 * team's under the ticket scope, with 0 for "unassigned"; the due one,
	 * which time changes, walks its index and stops after 100. Binds: me;
	 * team, scope (5); scope (5). */
	[STMT_QUEUE_COUNTS] = "SELECT"
	    " (SELECT CAST(IFNULL(SUM(tickets), 0) AS SIGNED) FROM ticket_open_counts WHERE owner_id = ?) AS mine,"
	    " (SELECT CAST(IFNULL(SUM(tickets), 0) AS SIGNED) FROM ticket_open_counts WHERE owner_id = 0) AS unassigned,"
	    " (SELECT CAST(IFNULL(SUM(k.tickets), 0) AS SIGNED) FROM ticket_open_counts k LEFT JOIN users o ON o.id = k.owner_id"
	    "   WHERE k.team_id = NULLIF(?, 0) AND (k.owner_id = 0 OR ? = 'all' OR k.owner_id = ?"
	    "   OR (? = 'team' AND ? <> 0 AND o.team_id = ?))) AS team,"
	    " (SELECT COUNT(*) FROM (SELECT 1 FROM tickets t FORCE INDEX (tickets_due)"
	    "   LEFT JOIN users o ON o.id = t.owner_id WHERE t.status IN ('new', 'open')"
	    "   AND t.resolution_due <= UTC_TIMESTAMP() + INTERVAL 4 HOUR AND t.deleted_at IS NULL AND" TSCOPE
	    "   LIMIT 101) x) AS due",
#define QUEUE_COLS "SELECT t.id, t.subject, t.status, t.priority, o.name AS owner, tm.name AS team," \
	" " STAMP("t.resolution_due") " AS resolution_due, " STAMP("t.created_at") " AS created_at FROM tickets t"
#define QUEUE_JOINS " LEFT JOIN users o ON o.id = t.owner_id LEFT JOIN teams tm ON tm.id = t.team_id"
	/* Newest first within the queue's index range; after: the last id. */
	[STMT_QUEUE_MINE] = QUEUE_COLS " FORCE INDEX (tickets_owner_open)" QUEUE_JOINS " WHERE t.owner_id = ?"
	    " AND t.is_open = 1 AND t.deleted_at IS NULL AND (? = 0 OR t.id < ?)"
	    " ORDER BY t.id DESC" LIMIT,
	[STMT_QUEUE_UNASSIGNED] = QUEUE_COLS " FORCE INDEX (tickets_owner_open)" QUEUE_JOINS " WHERE t.owner_id IS NULL"
	    " AND t.is_open = 1 AND t.deleted_at IS NULL AND (? = 0 OR t.id < ?)"
	    " ORDER BY t.id DESC" LIMIT,
	[STMT_QUEUE_TEAM] = QUEUE_COLS " FORCE INDEX (tickets_team_open)" QUEUE_JOINS " WHERE t.team_id = ?"
	    " AND t.is_open = 1 AND t.deleted_at IS NULL AND" TSCOPE " AND (? = 0 OR t.id < ?)"
	    " ORDER BY t.id DESC" LIMIT,
	/* Soonest due first; after: the last due time and id. */
	[STMT_QUEUE_DUE] = QUEUE_COLS " FORCE INDEX (tickets_due)" QUEUE_JOINS " WHERE t.status IN ('new', 'open')"
	    " AND t.resolution_due <= UTC_TIMESTAMP() + INTERVAL 4 HOUR AND t.deleted_at IS NULL AND" TSCOPE
	    " AND (? = '' OR (t.resolution_due, t.id) > (?, ?)) ORDER BY t.resolution_due, t.id" LIMIT,
	/* Assignment rules, active ones first in the order they apply; after:
	 * the last row's sort_key ("0.000012": inactive, then the position)
	 * and id. */
#define RULE_SORT "CONCAT(1 - r.active, '.', LPAD(r.position, 6, '0'))"
	[STMT_RULES] = "SELECT r.id, r.position, r.name, r.category_id, c.name AS category, r.team_id,"
	    " tm.name AS team, r.method, r.active, lu.name AS last_user, " RULE_SORT " AS sort_key"
	    " FROM ticket_rules r"
	    " LEFT JOIN ticket_categories c ON c.id = r.category_id JOIN teams tm ON tm.id = r.team_id"
	    " LEFT JOIN users lu ON lu.id = r.last_user_id"
	    " WHERE (? = '' OR (" RULE_SORT ", r.id) > (?, ?)) ORDER BY r.active DESC, r.position, r.id" LIMIT,
	[STMT_RULE_GET] = "SELECT id, position, name, category_id, team_id, method, active FROM ticket_rules WHERE id = ?",
	[STMT_RULE_CREATE] = "INSERT INTO ticket_rules (position, name, category_id, team_id, method)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_RULE_UPDATE] = "UPDATE ticket_rules SET position = ?, name = ?, category_id = ?, team_id = ?,"
	    " method = ?, active = ? WHERE id = ?",

	/* sla: calendars and policies are an admin's short lists. */
	[STMT_SLA_CALENDARS] = "SELECT id, name, time_zone, is_default FROM business_calendars ORDER BY name LIMIT 500",
	[STMT_SLA_CALENDAR_GET] = "SELECT id, name, time_zone, is_default FROM business_calendars WHERE id = ?",
	[STMT_SLA_CALENDAR_CREATE] = "INSERT INTO business_calendars (name, time_zone) VALUES (?, ?)",
	[STMT_SLA_CALENDAR_UPDATE] = "UPDATE business_calendars SET name = ?, time_zone = ? WHERE id = ?",
	[STMT_SLA_HOURS] = "SELECT weekday, TIME_FORMAT(opens, '%H:%i') AS opens, TIME_FORMAT(closes, '%H:%i') AS closes"
	    " FROM business_hours WHERE calendar_id = ? ORDER BY weekday, opens",
	[STMT_SLA_HOURS_CLEAR] = "DELETE FROM business_hours WHERE calendar_id = ?",
	[STMT_SLA_HOURS_ADD] = "INSERT INTO business_hours (calendar_id, weekday, opens, closes) VALUES (?, ?, ?, ?)",
	[STMT_SLA_HOLIDAYS] = "SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day, name FROM holidays WHERE calendar_id = ?"
	    " ORDER BY day LIMIT 1024",
	[STMT_SLA_HOLIDAY_ADD] = "INSERT INTO holidays (calendar_id, day, name) VALUES (?, ?, ?)",
	[STMT_SLA_HOLIDAY_DELETE] = "DELETE FROM holidays WHERE calendar_id = ? AND day = ?",
	[STMT_SLA_POLICIES] = "SELECT p.id, p.priority, p.name, p.first_response_minutes, p.resolution_minutes,"
	    " p.calendar_id, c.name AS calendar, p.active FROM sla_policies p"
	    " JOIN business_calendars c ON c.id = p.calendar_id"
	    " ORDER BY FIELD(p.priority, 'urgent', 'high', 'normal', 'low') LIMIT 10",
	[STMT_SLA_POLICY_GET] = "SELECT id, priority, name, first_response_minutes, resolution_minutes, calendar_id, active"
	    " FROM sla_policies WHERE id = ?",
	[STMT_SLA_POLICY_UPDATE] = "UPDATE sla_policies SET name = ?, first_response_minutes = ?, resolution_minutes = ?,"
	    " calendar_id = ?, active = ? WHERE id = ?",
	[STMT_SLA_PAUSE] = "UPDATE tickets SET paused_at = UTC_TIMESTAMP() WHERE id = ? AND paused_at IS NULL",
	/* Open tickets only, from the status index. */
	[STMT_SLA_BREACH_FIRST] = "UPDATE tickets SET first_response_breached = TRUE"
	    " WHERE status IN ('new', 'open') AND first_response_breached = FALSE AND first_responded_at IS NULL"
	    " AND paused_at IS NULL AND first_response_due < UTC_TIMESTAMP() AND deleted_at IS NULL",
	[STMT_SLA_BREACH_RESOLUTION] = "UPDATE tickets SET resolution_breached = TRUE"
	    " WHERE status IN ('new', 'open') AND resolution_breached = FALSE"
	    " AND paused_at IS NULL AND resolution_due < UTC_TIMESTAMP() AND deleted_at IS NULL",
	/* sla_recalc.c: a run per request, the runner's batches. */
	[STMT_SLA_RECALC_SUPERSEDE] = "UPDATE sla_recalc_runs SET finished_at = NOW(), superseded = TRUE"
	    " WHERE finished_at IS NULL",
	[STMT_SLA_RECALC_QUEUE] = "INSERT INTO sla_recalc_runs (requested_by, expected)"
	    " SELECT ?, CAST(IFNULL(SUM(tickets), 0) AS SIGNED) FROM ticket_open_counts",
	[STMT_SLA_RECALC_LATEST] = "SELECT r.id, " STAMP("r.requested_at") " AS requested_at, u.name AS requested_by,"
	    " " STAMP("r.finished_at") " AS finished_at, r.finished_at IS NULL AS running, r.superseded, r.expected,"
	    " r.tickets, r.started_at IS NOT NULL AS started FROM sla_recalc_runs r"
	    " LEFT JOIN users u ON u.id = r.requested_by ORDER BY r.id DESC LIMIT 1",
	[STMT_SLA_RECALC_CLAIM] = "SELECT id, after_id FROM sla_recalc_runs FORCE INDEX (sla_recalc_runs_open)"
	    " WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1 FOR UPDATE",
	[STMT_SLA_RECALC_ADVANCE] = "UPDATE sla_recalc_runs SET started_at = COALESCE(started_at, NOW()), after_id = ?,"
	    " tickets = tickets + ?, finished_at = IF(?, NOW(), NULL) WHERE id = ?",
	[STMT_SLA_OPEN_TICKETS] = "SELECT id, status, paused_at IS NOT NULL AS paused FROM tickets"
	    " WHERE id > ? AND status IN ('new', 'open', 'pending')"
	    " AND deleted_at IS NULL ORDER BY id LIMIT 200",
	/* The breach report: tickets created in [from, to) from their date
	 * index, within the reader's scope. */
	[STMT_SLA_BREACHES_BY_AGENT] = "SELECT t.owner_id, COALESCE(o.name, '') AS agent, COUNT(*) AS tickets,"
	    " CAST(SUM(t.first_response_breached) AS SIGNED) AS first_response, CAST(SUM(t.resolution_breached) AS SIGNED) AS resolution"
	    " FROM tickets t FORCE INDEX (tickets_created) LEFT JOIN users o ON o.id = t.owner_id"
	    " WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted_at IS NULL"
	    " AND (t.first_response_breached OR t.resolution_breached) AND" SCOPE("t")
	    " GROUP BY t.owner_id, o.name ORDER BY tickets DESC, agent LIMIT 500",
	[STMT_SLA_BREACHES_BY_CATEGORY] = "SELECT t.category_id, COALESCE(k.name, '') AS category, COUNT(*) AS tickets,"
	    " CAST(SUM(t.first_response_breached) AS SIGNED) AS first_response, CAST(SUM(t.resolution_breached) AS SIGNED) AS resolution"
	    " FROM tickets t FORCE INDEX (tickets_created) LEFT JOIN users o ON o.id = t.owner_id"
	    " LEFT JOIN ticket_categories k ON k.id = t.category_id"
	    " WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted_at IS NULL"
	    " AND (t.first_response_breached OR t.resolution_breached) AND" SCOPE("t")
	    " GROUP BY t.category_id, k.name ORDER BY tickets DESC, category LIMIT 500",
	[STMT_SLA_BREACHES] = "SELECT t.id, t.subject, t.priority, t.status, COALESCE(o.name, '') AS agent,"
	    " COALESCE(k.name, '') AS category, " STAMP("t.created_at") " AS created_at,"
	    " CONCAT(" STAMP("t.created_at") ", ',', t.id) AS page_key,"
	    " t.first_response_breached, t.resolution_breached"
	    " FROM tickets t FORCE INDEX (tickets_created) LEFT JOIN users o ON o.id = t.owner_id"
	    " LEFT JOIN ticket_categories k ON k.id = t.category_id"
	    " WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted_at IS NULL"
	    " AND (t.first_response_breached OR t.resolution_breached) AND" SCOPE("t")
	    " AND (? = '' OR t.created_at < ? OR (t.created_at = ? AND t.id < ?))"
	    " ORDER BY t.created_at DESC, t.id DESC" LIMIT,
	/* One ticket's SLA columns, within the reader's scope. */
	[STMT_SLA_TICKET_STATE] = "SELECT t.id, t.subject, t.priority, t.status, t.sla_policy_id, p.name AS policy,"
	    " " STAMP("t.first_response_due") " AS first_response_due, " STAMP("t.resolution_due") " AS resolution_due,"
	    " " STAMP("t.first_responded_at") " AS first_responded_at, " STAMP("t.paused_at") " AS paused_at,"
	    " t.paused_minutes, t.first_response_breached, t.resolution_breached"
	    " FROM tickets t LEFT JOIN users o ON o.id = t.owner_id LEFT JOIN sla_policies p ON p.id = t.sla_policy_id"
	    " WHERE t.id = ? AND t.deleted_at IS NULL AND" SCOPE("t"),

	/* public */
	/* public_form.c: the form's choices, its rate limit per address in
	 * ten-minute windows, and what a new ticket links to. */
	[STMT_PUB_CATEGORIES] = "SELECT id, name FROM ticket_categories WHERE active ORDER BY name LIMIT 500",
	[STMT_PUB_CATEGORY_ACTIVE] = "SELECT id FROM ticket_categories WHERE id = ? AND active",
	[STMT_PUB_FORM_HIT] = "INSERT INTO service_form_hits (ip, window_start, hits)"
	    " VALUES (?, FROM_UNIXTIME(UNIX_TIMESTAMP() DIV 600 * 600), 1)"
	    " ON DUPLICATE KEY UPDATE hits = hits + 1",
	[STMT_PUB_FORM_HITS] = "SELECT hits FROM service_form_hits WHERE ip = ?"
	    " AND window_start = FROM_UNIXTIME(UNIX_TIMESTAMP() DIV 600 * 600)",
	[STMT_PUB_FORM_SWEEP] = "DELETE FROM service_form_hits WHERE window_start < NOW() - INTERVAL 1 DAY LIMIT 100",
	[STMT_PUB_CONTACT_BY_EMAIL] = "SELECT id, account_id FROM contacts WHERE email_norm = ? AND deleted_at IS NULL"
	    " ORDER BY id LIMIT 1",
	/* An order is linked only when it is the matched contact's account's:
	 * the form must not tell strangers which order numbers exist. */
	[STMT_PUB_ORDER_OF_ACCOUNT] = "SELECT id FROM orders WHERE number = ? AND account_id = ?",
	[STMT_PUB_TICKET_CREATE] = "INSERT INTO tickets (subject, description, contact_id, account_id, order_id,"
	    " requester_name, requester_email, category_id, status, channel, created_by, public_token)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', 'web', NULL, ?)",
	[STMT_PUB_MESSAGE_CREATE] = "INSERT INTO ticket_messages (ticket_id, kind, body, author_id, author_name)"
	    " VALUES (?, 'customer', ?, NULL, ?)",

	/* public_link.c: what the customer sees, never internal notes. */
	[STMT_PUB_TICKET_BY_TOKEN] = "SELECT t.id, t.subject, t.status, t.requester_name, t.public_token,"
	    " " STAMP("t.created_at") " AS created_at FROM tickets t"
	    " WHERE t.public_token = ? AND t.public_revoked_at IS NULL AND t.deleted_at IS NULL",
	[STMT_PUB_MESSAGES] = "SELECT id, kind, kind = 'customer' AS mine, body, author_name, "
	    STAMP("created_at") " AS created_at FROM ticket_messages"
	    " WHERE ticket_id = ? AND kind IN ('public', 'customer') ORDER BY id LIMIT 500",
	[STMT_PUB_ATTACHMENTS] = "SELECT id, message_id, filename, content_type, size FROM ticket_attachments"
	    " WHERE ticket_id = ? AND public ORDER BY id LIMIT 100",
	[STMT_PUB_ATTACHMENT_GET] = "SELECT id, filename, content_type, size FROM ticket_attachments"
	    " WHERE id = ? AND ticket_id = ? AND public",
	[STMT_PUB_REOPEN] = "UPDATE tickets SET status = 'open' WHERE id = ? AND status = 'pending'",
	[STMT_PUB_TICKET_GET] = "SELECT t.id, t.subject, t.status, t.requester_name, t.requester_email,"
	    " t.public_token, t.public_revoked_at IS NOT NULL AS revoked, ct.full_name AS contact, a.name AS account,"
	    " " STAMP("t.created_at") " AS created_at, t.csat_token IS NOT NULL AS surveyed"
	    " FROM tickets t LEFT JOIN users o ON o.id = t.owner_id"
	    " LEFT JOIN contacts ct ON ct.id = t.contact_id LEFT JOIN accounts a ON a.id = t.account_id"
	    " WHERE t.id = ? AND t.deleted_at IS NULL AND" SCOPE("t"),
	[STMT_PUB_LINK_REVOKE] = "UPDATE tickets SET public_revoked_at = NOW() WHERE id = ? AND public_revoked_at IS NULL",
	[STMT_PUB_LINK_NEW] = "UPDATE tickets SET public_token = ?, public_revoked_at = NULL WHERE id = ?",

	/* csat.c: the survey link lasts csat_days from when it was sent. */
	[STMT_CSAT_ISSUE] = "UPDATE tickets SET csat_token = ?, csat_sent_at = NOW() WHERE id = ?"
	    " AND status IN ('resolved', 'closed') AND deleted_at IS NULL"
	    " AND NOT EXISTS (SELECT 1 FROM csat_responses r WHERE r.ticket_id = ?)",
	[STMT_CSAT_BY_TOKEN] = "SELECT t.id, t.subject, t.csat_sent_at + INTERVAL ? DAY < NOW() AS expired,"
	    " EXISTS (SELECT 1 FROM csat_responses r WHERE r.ticket_id = t.id) AS answered"
	    " FROM tickets t WHERE t.csat_token = ? AND t.deleted_at IS NULL",
	/* The agent, team and category as they are when the customer answers. */
	[STMT_CSAT_ANSWER] = "INSERT INTO csat_responses (ticket_id, score, comment, agent_id, team_id, category_id)"
	    " SELECT id, ?, ?, owner_id, team_id, category_id FROM tickets WHERE id = ?",

	/* satisfaction.c: one pass per grouping over the range, by month,
	 * from the csat_created index. */
	[STMT_CSAT_REPORT] = "SELECT 'agent' AS by_what, DATE_FORMAT(r.created_at, '%Y-%m') AS month,"
	    " COALESCE(u.name, '') AS name, COUNT(*) AS answers, ROUND(AVG(r.score), 2) AS average"
	    " FROM csat_responses r LEFT JOIN users u ON u.id = r.agent_id"
	    " WHERE r.created_at >= ? AND r.created_at < ? + INTERVAL 1 DAY GROUP BY month, r.agent_id, u.name"
	    " UNION ALL SELECT 'team', DATE_FORMAT(r.created_at, '%Y-%m') AS month, COALESCE(tm.name, ''),"
	    " COUNT(*), ROUND(AVG(r.score), 2) FROM csat_responses r LEFT JOIN teams tm ON tm.id = r.team_id"
	    " WHERE r.created_at >= ? AND r.created_at < ? + INTERVAL 1 DAY GROUP BY month, r.team_id, tm.name"
	    " UNION ALL SELECT 'category', DATE_FORMAT(r.created_at, '%Y-%m') AS month, COALESCE(c.name, ''),"
	    " COUNT(*), ROUND(AVG(r.score), 2) FROM csat_responses r LEFT JOIN ticket_categories c ON c.id = r.category_id"
	    " WHERE r.created_at >= ? AND r.created_at < ? + INTERVAL 1 DAY GROUP BY month, r.category_id, c.name"
	    " UNION ALL SELECT 'month' AS by_what, DATE_FORMAT(r.created_at, '%Y-%m') AS month, '', COUNT(*), ROUND(AVG(r.score), 2)"
	    " FROM csat_responses r WHERE r.created_at >= ? AND r.created_at < ? + INTERVAL 1 DAY GROUP BY month"
	    " ORDER BY by_what, month, name LIMIT 3000",

	/* kb: a knowledge base is hundreds of articles, not millions; lists
	 * still page by keyset on (title, id), which kb_articles' keys end in. */
	[STMT_KB_CATEGORIES] = "SELECT id, name FROM kb_categories ORDER BY position, name LIMIT 500",
	[STMT_KB_CATEGORY_CREATE] = "INSERT INTO kb_categories (name) VALUES (?)",
	[STMT_KB_LIST] = "SELECT a.id, a.title, a.status, c.name AS category, u.name AS author, "
	    STAMP("a.updated_at") " AS updated_at FROM kb_articles a"
	    " LEFT JOIN kb_categories c ON c.id = a.category_id JOIN users u ON u.id = a.author_id"
	    " WHERE (? = 0 OR a.category_id = ?) AND (? = '' OR a.status = ?) AND a.title LIKE ?"
	    " AND (a.title > ? OR (a.title = ? AND a.id > ?)) ORDER BY a.title, a.id" LIMIT,
	[STMT_KB_GET] = "SELECT a.id, a.category_id, c.name AS category, a.title, a.body, a.status, a.author_id,"
	    " u.name AS author, " STAMP("a.published_at") " AS published_at, " STAMP("a.updated_at") " AS updated_at"
	    " FROM kb_articles a LEFT JOIN kb_categories c ON c.id = a.category_id JOIN users u ON u.id = a.author_id"
	    " WHERE a.id = ?",
	/* published_at: the first time an article is published, kept after. */
	[STMT_KB_CREATE] = "INSERT INTO kb_articles (category_id, title, body, status, author_id, published_at)"
	    " VALUES (?, ?, ?, ?, ?, IF(? = 'published', NOW(), NULL))",
	[STMT_KB_UPDATE] = "UPDATE kb_articles SET published_at = IF(? = 'published', COALESCE(published_at, NOW()),"
	    " published_at), category_id = ?, title = ?, body = ?, status = ? WHERE id = ?",
	[STMT_KB_INDEX_PUT] = "REPLACE INTO kb_search (article_id, published, title, body)"
	    " SELECT id, status = 'published', title, body FROM kb_articles WHERE id = ?",
	/* Ranked in Mroonga, then each hit checked on the live article. */
	[STMT_KB_SEARCH] = "SELECT a.id, a.title, a.status, LEFT(a.body, 4000) AS body, c.name AS category, "
	    STAMP("a.published_at") " AS published_at"
	    " FROM (SELECT article_id, MATCH(title, body) AGAINST(? IN BOOLEAN MODE) AS score FROM kb_search"
	    " WHERE MATCH(title, body) AGAINST(? IN BOOLEAN MODE) AND (published = 1 OR ? = 1)"
	    " ORDER BY MATCH(title, body) AGAINST(? IN BOOLEAN MODE) DESC LIMIT ?) s"
	    " JOIN kb_articles a ON a.id = s.article_id LEFT JOIN kb_categories c ON c.id = a.category_id"
	    " WHERE (a.status = 'published' OR ? = 1) ORDER BY s.score DESC, a.id",
	[STMT_KB_PUBLISHED] = "SELECT a.id, a.title, c.name AS category, " STAMP("a.published_at") " AS published_at"
	    " FROM kb_articles a FORCE INDEX (kb_articles_status) LEFT JOIN kb_categories c ON c.id = a.category_id"
	    " WHERE a.status = 'published' AND (a.title > ? OR (a.title = ? AND a.id > ?))"
	    " ORDER BY a.title, a.id" LIMIT,

	/* mail: the runner walks mail_queue_due; next_attempt_at of a sent
	 * message is when it went, so the day's count is a range of that key. */
	[STMT_MAIL_QUEUE] = "INSERT INTO mail_queue (to_addr, subject, body, ticket_id, next_attempt_at)"
	    " VALUES (?, ?, ?, ?, UTC_TIMESTAMP())",
	[STMT_MAIL_CLAIM] = "SELECT id, to_addr, subject, body, attempts, UNIX_TIMESTAMP(created_at) AS created"
	    " FROM mail_queue WHERE (status = 'queued' AND next_attempt_at <= UTC_TIMESTAMP())"
	    " OR (status = 'sending' AND heartbeat_at < UTC_TIMESTAMP() - INTERVAL ? SECOND)"
	    " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[STMT_MAIL_START] = "UPDATE mail_queue SET status = 'sending', heartbeat_at = UTC_TIMESTAMP(),"
	    " attempts = attempts + 1 WHERE id = ?",
	[STMT_MAIL_SENT] = "UPDATE mail_queue SET status = 'sent', sent_at = UTC_TIMESTAMP(),"
	    " next_attempt_at = UTC_TIMESTAMP(), last_error = '' WHERE id = ? AND status = 'sending'",
	/* Backoff: 1, 2, 4 ... minutes after each failed attempt, at most the
	 * cap; after the last attempt the message is failed for an admin. */
	[STMT_MAIL_FAILED] = "UPDATE mail_queue SET status = IF(attempts >= ?, 'failed', 'queued'),"
	    " next_attempt_at = UTC_TIMESTAMP() + INTERVAL LEAST(1 << LEAST(GREATEST(attempts, 1) - 1, 20), ?) MINUTE,"
	    " last_error = LEFT(?, 500) WHERE id = ? AND status = 'sending'",
	[STMT_MAIL_LIST] = "SELECT id, to_addr, subject, status, attempts, ticket_id, last_error,"
	    " " STAMP("next_attempt_at") " AS next_attempt_at, " STAMP("sent_at") " AS sent_at,"
	    " " STAMP("created_at") " AS created_at, status = 'failed' AS can_retry"
	    " FROM mail_queue WHERE id < ? ORDER BY id DESC" LIMIT,
	[STMT_MAIL_COUNTS] = "SELECT status, COUNT(*) AS n FROM mail_queue FORCE INDEX (mail_queue_due)"
	    " WHERE status IN ('queued', 'sending', 'failed')"
	    " OR (status = 'sent' AND next_attempt_at >= UTC_TIMESTAMP() - INTERVAL 1 DAY) GROUP BY status",
	[STMT_MAIL_GET] = "SELECT id, status, attempts, to_addr FROM mail_queue WHERE id = ?",
	[STMT_MAIL_RETRY] = "UPDATE mail_queue SET status = 'queued', attempts = 0, next_attempt_at = UTC_TIMESTAMP()"
	    " WHERE id = ? AND status = 'failed'",

	/* notify.c: the customer's address (the contact's, else the one typed
	 * on the form) and the ticket's live links. */
	[STMT_NOTIFY_TICKET] = "SELECT t.subject, COALESCE(NULLIF(c.email, ''), t.requester_email) AS email,"
	    " IF(t.public_revoked_at IS NULL, t.public_token, NULL) AS public_token, t.csat_token"
	    " FROM tickets t LEFT JOIN contacts c ON c.id = t.contact_id WHERE t.id = ?",
};

_Static_assert(CRM_NELEM(service_stmts) == STMT__MAX, "service_stmts");
