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
	[STMT_SETTING] = "SELECT value FROM settings WHERE name = ?",

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
#define OPEN_STATES " ('new', 'open', 'pending')"
#define TICKET_TAGS \
	" (SELECT GROUP_CONCAT(g.name ORDER BY g.name SEPARATOR ', ') FROM tag_links l" \
	" JOIN tags g ON g.id = l.tag_id WHERE l.entity = 'ticket' AND l.record_id = t.id) AS tags"
	[STMT_TICKET_GET] = "SELECT t.id, t.subject, t.description, t.contact_id, c.full_name AS contact,"
	    " t.order_id, od.number AS order_number, t.category_id, cat.name AS category, t.priority, t.status,"
	    " t.channel, t.owner_id, o.name AS owner, t.team_id, tm.name AS team, t.requester_name,"
	    " t.requester_email, " STAMP("t.first_response_due") " AS first_response_due,"
	    " " STAMP("t.first_responded_at") " AS first_responded_at,"
	    " " STAMP("t.resolution_due") " AS resolution_due, " STAMP("t.created_at") " AS created_at,"
	    TICKET_TAGS " FROM tickets t LEFT JOIN users o ON o.id = t.owner_id"
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
	[STMT_TICKET_ATTACHMENTS] = "SELECT id, message_id, filename, content_type, size FROM ticket_attachments"
	    " WHERE ticket_id = ? ORDER BY id LIMIT 500",
	[STMT_TICKET_MESSAGE_CREATE] = "INSERT INTO ticket_messages (ticket_id, kind, body, author_id, author_name)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_TICKET_ATTACHMENT_CREATE] = "INSERT INTO ticket_attachments (ticket_id, message_id, filename,"
	    " content_type, size, sha256, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
	[STMT_TICKET_TAGS_CLEAR] = "DELETE FROM tag_links WHERE entity = 'ticket' AND record_id = ?",
	[STMT_TICKET_TAG_ENSURE] = "INSERT IGNORE INTO tags (name) VALUES (?)",
	[STMT_TICKET_TAG_LINK] = "INSERT IGNORE INTO tag_links (entity, record_id, tag_id)"
	    " SELECT 'ticket', ?, id FROM tags WHERE name = ?",
	/* The queues' counts, each bounded twice: the queue's own index range
	 * (one agent's open tickets on tickets_owner; the unassigned open ones
	 * on the NULL prefix of tickets_owner; one team's open ones on
	 * tickets_team; the ones due within 4 hours on tickets_due's
	 * (status, resolution_due) range) and a LIMIT 1001 inside, so no count
	 * reads more than 1001 index entries however big the table grows: the
	 * page says "1000+" past that. Binds: me; team, scope (5); scope (5). */
	[STMT_QUEUE_COUNTS] = "SELECT"
	    " (SELECT COUNT(*) FROM (SELECT 1 FROM tickets t FORCE INDEX (tickets_owner) WHERE t.owner_id = ?"
	    "   AND t.status IN" OPEN_STATES " AND t.deleted_at IS NULL LIMIT 1001) x) AS mine,"
	    " (SELECT COUNT(*) FROM (SELECT 1 FROM tickets t FORCE INDEX (tickets_owner) WHERE t.owner_id IS NULL"
	    "   AND t.status IN" OPEN_STATES " AND t.deleted_at IS NULL LIMIT 1001) x) AS unassigned,"
	    " (SELECT COUNT(*) FROM (SELECT 1 FROM tickets t FORCE INDEX (tickets_team)"
	    "   LEFT JOIN users o ON o.id = t.owner_id WHERE t.team_id = ?"
	    "   AND t.status IN" OPEN_STATES " AND t.deleted_at IS NULL AND" TSCOPE " LIMIT 1001) x) AS team,"
	    " (SELECT COUNT(*) FROM (SELECT 1 FROM tickets t FORCE INDEX (tickets_due)"
	    "   LEFT JOIN users o ON o.id = t.owner_id WHERE t.status IN ('new', 'open')"
	    "   AND t.resolution_due <= UTC_TIMESTAMP() + INTERVAL 4 HOUR AND t.deleted_at IS NULL AND" TSCOPE
	    "   LIMIT 1001) x) AS due",
#define QUEUE_COLS "SELECT t.id, t.subject, t.status, t.priority, o.name AS owner, tm.name AS team," \
	" " STAMP("t.resolution_due") " AS resolution_due, " STAMP("t.created_at") " AS created_at FROM tickets t"
#define QUEUE_JOINS " LEFT JOIN users o ON o.id = t.owner_id LEFT JOIN teams tm ON tm.id = t.team_id"
	/* Newest first within the queue's index range; after: the last id. */
	[STMT_QUEUE_MINE] = QUEUE_COLS " FORCE INDEX (tickets_owner)" QUEUE_JOINS " WHERE t.owner_id = ?"
	    " AND t.status IN" OPEN_STATES " AND t.deleted_at IS NULL AND (? = 0 OR t.id < ?)"
	    " ORDER BY t.id DESC" LIMIT,
	[STMT_QUEUE_UNASSIGNED] = QUEUE_COLS " FORCE INDEX (tickets_owner)" QUEUE_JOINS " WHERE t.owner_id IS NULL"
	    " AND t.status IN" OPEN_STATES " AND t.deleted_at IS NULL AND (? = 0 OR t.id < ?)"
	    " ORDER BY t.id DESC" LIMIT,
	[STMT_QUEUE_TEAM] = QUEUE_COLS " FORCE INDEX (tickets_team)" QUEUE_JOINS " WHERE t.team_id = ?"
	    " AND t.status IN" OPEN_STATES " AND t.deleted_at IS NULL AND" TSCOPE " AND (? = 0 OR t.id < ?)"
	    " ORDER BY t.id DESC" LIMIT,
	/* Soonest due first; after: the last due time and id. */
	[STMT_QUEUE_DUE] = QUEUE_COLS " FORCE INDEX (tickets_due)" QUEUE_JOINS " WHERE t.status IN ('new', 'open')"
	    " AND t.resolution_due <= UTC_TIMESTAMP() + INTERVAL 4 HOUR AND t.deleted_at IS NULL AND" TSCOPE
	    " AND (? = '' OR (t.resolution_due, t.id) > (?, ?)) ORDER BY t.resolution_due, t.id" LIMIT,
	/* Assignment rules: a short list, an admin's. */
	[STMT_RULES] = "SELECT r.id, r.position, r.name, r.category_id, c.name AS category, r.team_id,"
	    " tm.name AS team, r.method, r.active, lu.name AS last_user FROM ticket_rules r"
	    " LEFT JOIN ticket_categories c ON c.id = r.category_id JOIN teams tm ON tm.id = r.team_id"
	    " LEFT JOIN users lu ON lu.id = r.last_user_id ORDER BY r.active DESC, r.position, r.id LIMIT 500",
	[STMT_RULE_GET] = "SELECT id, position, name, category_id, team_id, method, active FROM ticket_rules WHERE id = ?",
	[STMT_RULE_CREATE] = "INSERT INTO ticket_rules (position, name, category_id, team_id, method)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_RULE_UPDATE] = "UPDATE ticket_rules SET position = ?, name = ?, category_id = ?, team_id = ?,"
	    " method = ?, active = ? WHERE id = ?",
	/* The first matching rule, its row locked: two tickets created at
	 * once take turns on the round-robin pointer. */
	[STMT_RULE_MATCH] = "SELECT id, team_id, method, last_user_id FROM ticket_rules FORCE INDEX (ticket_rules_order)"
	    " WHERE active AND (category_id IS NULL OR category_id = ?) ORDER BY position, id LIMIT 1 FOR UPDATE",
	/* The next active member after the pointer, else the first. */
	[STMT_RULE_NEXT_MEMBER] = "SELECT id FROM users WHERE team_id = ? AND active ORDER BY id > ? DESC, id LIMIT 1",
	/* Each member's open tickets: one agent's range on tickets_owner. */
	[STMT_RULE_LEAST_OPEN] = "SELECT u.id, (SELECT COUNT(*) FROM tickets t FORCE INDEX (tickets_owner)"
	    " WHERE t.owner_id = u.id AND t.status IN" OPEN_STATES " AND t.deleted_at IS NULL) AS open_tickets"
	    " FROM users u WHERE u.team_id = ? AND u.active ORDER BY open_tickets, u.id LIMIT 1",
	[STMT_RULE_POINTER] = "UPDATE ticket_rules SET last_user_id = ? WHERE id = ?",

	/* sla */

	/* public */

	/* kb */

	/* mail */
};

_Static_assert(CRM_NELEM(service_stmts) == STMT__MAX, "service_stmts");
