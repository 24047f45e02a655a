/* In-app notifications (migration 043): a row per notification, and on the
 * user's row the unread count and a version that moves with every change,
 * which the session lookup reads anyway. So the layout shows the count with
 * no query of its own, and the count's conditional request (ETag: the
 * version) answers 304 without one either. Every change to a user's
 * notifications goes through here, to keep the two in step. */
#ifndef CRM_NOTIFY_H
#define CRM_NOTIFY_H

#include "crm.h"
#include "crm_db.h"

/* Kinds, as in the notifications.kind ENUM. */
#define CRM_NOTIFY_ASSIGNED "assigned"
#define CRM_NOTIFY_MENTION "mention"
#define CRM_NOTIFY_TASK_DUE "task_due"
#define CRM_NOTIFY_SLA_WARNING "sla_warning"
#define CRM_NOTIFY_QUOTE_APPROVED "quote_approved"
#define CRM_NOTIFY_RULE "rule"
#define CRM_NOTIFY_MAIL "mail"

struct crm_notify {
	long long user_id;              /* who is told */
	const char *kind;               /* CRM_NOTIFY_* */
	const char *entity;             /* "ticket", "activity", ... as in the audit log */
	long long entity_id;            /* 0: none */
	const char *title;              /* the record's name; cut to 300 characters */
	long long actor_id;             /* who caused it; 0: the system */
	/* "" or a key that makes it arrive once: a second notification with
	 * the same user, kind, record and key is dropped (a task's due date). */
	const char *once_key;
};

/* Adds one, inside the caller's transaction. *added (may be NULL) is 0
 * when once_key had already been used. A user is never told of their own
 * doing: actor_id == user_id adds nothing. */
enum crm_err crm_notify_add(struct crm_db *, const struct crm_notify *, int *added);
/* Marks one (id) or all (id 0) of a user's notifications read. */
enum crm_err crm_notify_read(struct crm_db *, long long user_id, long long id);

#endif
