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
};

_Static_assert(CRM_NELEM(service_stmts) == STMT__MAX, "service_stmts");
