/* Notifications and the counters on the user's row (crm_notify.h). */
#include <string.h>

#include "crm_notify.h"

#define NOTIFY_INSERT "INSERT IGNORE INTO notifications (user_id, kind, entity, entity_id, title,"\
	" actor_id, once_key) SELECT u.id, ?, ?, NULLIF(?, 0), LEFT(?, 300), NULLIF(?, 0), ?"\
	" FROM users u WHERE u.id = ? AND u.active"
#define NOTIFY_COUNT_UP "UPDATE users SET notify_unread = notify_unread + 1,"\
	" notify_version = notify_version + 1 WHERE id = ?"
#define NOTIFY_READ_ONE "UPDATE notifications SET read_at = UTC_TIMESTAMP()"\
	" WHERE id = ? AND user_id = ? AND read_at IS NULL"
#define NOTIFY_READ_ALL "UPDATE notifications FORCE INDEX (notifications_unread)"\
	" SET read_at = UTC_TIMESTAMP() WHERE user_id = ? AND read_at IS NULL"
/* Recounted from the index rather than decremented, so a count that ever
 * drifted is put right by the next read. */
#define NOTIFY_RECOUNT "UPDATE users SET notify_unread = (SELECT COUNT(*) FROM notifications"\
	" FORCE INDEX (notifications_unread) WHERE user_id = ? AND read_at IS NULL),"\
	" notify_version = notify_version + 1 WHERE id = ?"

enum crm_err
crm_notify_add(struct crm_db *db, const struct crm_notify *n, int *added)
{
	struct crm_db_bind b[7];
	uint64_t rows = 0;
	enum crm_err e;

	if (added)
		*added = 0;
	if (n->user_id <= 0 || n->user_id == n->actor_id)
		return CRM_OK;
	crm_db_bind_str(&b[0], n->kind, (size_t)-1);
	crm_db_bind_str(&b[1], n->entity ? n->entity : "", (size_t)-1);
	crm_db_bind_i64(&b[2], n->entity_id);
	crm_db_bind_str(&b[3], n->title ? n->title : "", (size_t)-1);
	crm_db_bind_i64(&b[4], n->actor_id);
	crm_db_bind_str(&b[5], n->once_key ? n->once_key : "", (size_t)-1);
	crm_db_bind_i64(&b[6], n->user_id);
	if ((e = crm_db_exec_sql(db, NOTIFY_INSERT, b, 7, &rows, NULL)) != CRM_OK || rows == 0)
		return e;
	crm_db_bind_i64(&b[0], n->user_id);
	if ((e = crm_db_exec_sql(db, NOTIFY_COUNT_UP, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	if (added)
		*added = 1;
	return CRM_OK;
}

enum crm_err
crm_notify_read(struct crm_db *db, long long user_id, long long id)
{
	struct crm_db_bind b[2];
	uint64_t rows = 0;
	enum crm_err e;

	if (id > 0) {
		crm_db_bind_i64(&b[0], id);
		crm_db_bind_i64(&b[1], user_id);
		e = crm_db_exec_sql(db, NOTIFY_READ_ONE, b, 2, &rows, NULL);
	} else {
		crm_db_bind_i64(&b[0], user_id);
		e = crm_db_exec_sql(db, NOTIFY_READ_ALL, b, 1, &rows, NULL);
	}
	if (e != CRM_OK || rows == 0)
		return e;
	crm_db_bind_i64(&b[0], user_id);
	crm_db_bind_i64(&b[1], user_id);
	return crm_db_exec_sql(db, NOTIFY_RECOUNT, b, 2, NULL, NULL);
}
