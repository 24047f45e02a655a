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

	/* sla */

	/* public */

	/* kb */

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
};

_Static_assert(CRM_NELEM(service_stmts) == STMT__MAX, "service_stmts");
