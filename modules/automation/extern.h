/* crm-automation: private declarations, one section per area. */
#ifndef AUTOMATION_EXTERN_H
#define AUTOMATION_EXTERN_H

#include <stddef.h>

#include "crm_conf.h"
#include "crm_db.h"
#include "crm_http.h"

enum stmt {
	/* home.c */
	STMT_HOME_CURSORS,
	STMT_HOME_TICKS,

	/* @@stmts-rules */
	STMT_RULES_LIST,
	STMT_RULE_GET,
	STMT_RULE_CREATE,
	STMT_RULE_UPDATE,
	STMT_RULE_ENABLE,
	STMT_RULE_DELETE,
	STMT_RULE_RUNS,
	STMT_RULES_RECENT_RUNS,
	STMT_RULE_USER,
	STMT_RULE_TEAM,
	STMT_RULE_TEMPLATE,
	STMT_RULE_WEBHOOK,
	STMT_RULE_USERS,
	STMT_RULE_TEAMS,
	STMT_RULE_TEMPLATES,
	STMT_RULE_WEBHOOKS,
	/* @@stmts-webhooks */
	/* webhooks.c, webhook_show.c: the admin pages */
	STMT_HOOK_LIST,
	STMT_HOOK_GET,
	STMT_HOOK_CREATE,
	STMT_HOOK_UPDATE,
	STMT_HOOK_SECRET_SET,
	STMT_HOOK_ENABLE,
	STMT_HOOK_DELETE,
	STMT_HOOK_DELIVERIES,
	STMT_HOOK_REDELIVER,
	/* webhook_jobs.c, webhook_payload.c: the runner */
	STMT_WJ_HOOKS,
	STMT_WJ_ACTOR,
	STMT_WJ_DATA_ACCOUNT,
	STMT_WJ_DATA_CONTACT,
	STMT_WJ_DATA_LEAD,
	STMT_WJ_DATA_OPPORTUNITY,
	STMT_WJ_DATA_QUOTE,
	STMT_WJ_DATA_ORDER,
	STMT_WJ_DATA_INVOICE,
	STMT_WJ_DATA_TICKET,
	STMT_WJ_DATA_ACTIVITY,
	STMT_WJ_CLAIM,
	STMT_WJ_START,
	STMT_WJ_HOOK,
	STMT_WJ_TARGET,
	STMT_WJ_DELIVERED,
	STMT_WJ_RETRY,
	STMT_WJ_GIVE_UP,
	STMT_WJ_HOOK_OK,
	STMT_WJ_HOOK_FAILED,
	STMT_WJ_HOOK_DISABLE,
	STMT_WJ_ADMINS,
	STMT_WJ_PRUNE,
	/* notifications.c: the list, reading, the digest setting */
	STMT_NOTE_LIST,
	STMT_NOTE_GET,
	STMT_NOTE_DIGEST_GET,
	STMT_NOTE_DIGEST_SET,
	STMT_NOTE_ACTIVITY_HOME,
	/* notify_jobs.c, notify_scan.c, notify_digest.c: the runner */
	STMT_NJ_TITLE_ACCOUNT,
	STMT_NJ_TITLE_CONTACT,
	STMT_NJ_TITLE_LEAD,
	STMT_NJ_TITLE_OPPORTUNITY,
	STMT_NJ_TITLE_QUOTE,
	STMT_NJ_TITLE_ORDER,
	STMT_NJ_TITLE_TICKET,
	STMT_NJ_TITLE_ACTIVITY,
	STMT_NJ_TICKET_MESSAGE,
	STMT_NJ_MENTION,
	STMT_NJ_TASKS_DUE,
	STMT_NJ_SLA_FIRST,
	STMT_NJ_SLA_RESOLUTION,
	STMT_NJ_DIGEST_USERS,
	STMT_NJ_DIGEST_ITEMS,
	STMT_NJ_DIGEST_QUEUE,
	STMT_NJ_DIGEST_MARK,
	STMT_NJ_DIGEST_DONE,
	/* @@stmts-mail */
	STMT_MAIL_BOXES,
	STMT_MAIL_BOX_GET,
	STMT_MAIL_BOX_SECRET,
	STMT_MAIL_BOX_CREATE,
	STMT_MAIL_BOX_UPDATE,
	STMT_MAIL_BOX_PASSWORD,
	STMT_MAIL_BOX_POLL_NOW,
	STMT_MAIL_POLLS,
	STMT_MAIL_MESSAGES,
	STMT_MAIL_DUE,
	STMT_MAIL_CLAIM,
	STMT_MAIL_BOX_RUN,
	STMT_MAIL_BOX_LOCK,
	STMT_MAIL_BOX_RESET,
	STMT_MAIL_BOX_ADVANCE,
	STMT_MAIL_BOX_AGAIN,
	STMT_MAIL_BOX_POLLED,
	STMT_MAIL_POLL_LOG,
	STMT_MAIL_MSG_LOG,
	STMT_MAIL_MSG_SEEN_ID,
	STMT_MAIL_MSG_SEEN_UID,
	STMT_MAIL_THREAD_BY_MSGID,
	STMT_MAIL_THREAD_BY_QUEUE,
	STMT_MAIL_TICKET_LOCK,
	STMT_MAIL_CONTACT_BY_EMAIL,
	STMT_MAIL_TICKET_CREATE,
	STMT_MAIL_TICKET_MESSAGE,
	STMT_MAIL_TICKET_REOPEN,
	STMT_MAIL_ACTIVITY,
	STMT__MAX
};
extern const char *const automation_stmts[STMT__MAX];

/* common.c */
void automation_nav(struct crm_ctx *, const char *current);
void automation_flash(struct crm_ctx *);

/* home.c */
int automation_home(struct crm_ctx *);

/* commands.c: the job runner. A part is one kind of background work; its
 * tick does what is due and returns the units of work done (a positive
 * count runs it again at once), or -1 with a reason for the admin in err. */
#define AUTOMATION_COMMAND_USAGE "jobs [--pidfile FILE] [--once]"
int automation_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
struct automation_part {
	const char *name;               /* automation_ticks.name */
	const char *what;               /* English, N_(): the home page's line */
	int every_seconds;              /* how often when there was nothing to do */
	int (*tick)(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
};

/* The runner's parts, ending with a NULL name. */
extern const struct automation_part automation_parts[];

/* @@decls-rules */
/* rules.c: the list, enable and disable, delete, the run logs */
int automation_rules(struct crm_ctx *);
int automation_rule_enable(struct crm_ctx *);
int automation_rule_disable(struct crm_ctx *);
int automation_rule_delete(struct crm_ctx *);
int automation_rule_runs(struct crm_ctx *);
int automation_rules_runs(struct crm_ctx *);
/* rules_form.c: the form, new and edit, and its writes */
int automation_rule_new(struct crm_ctx *);
int automation_rule_edit(struct crm_ctx *);
int automation_rule_create(struct crm_ctx *);
int automation_rule_update(struct crm_ctx *);
/* rules_jobs.c: the runner's parts */
int automation_rules_tick(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
int automation_timers_tick(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
/* The run log's rows made readable: labels and messages translated. */
void automation_runs_view(struct crm_ctx *, json_t *rows);
/* @@decls-webhooks */
/* webhooks.c: the list, the form, the writes */
int automation_webhooks(struct crm_ctx *);
int automation_webhook_new(struct crm_ctx *);
int automation_webhook_create(struct crm_ctx *);
int automation_webhook_edit(struct crm_ctx *);
int automation_webhook_update(struct crm_ctx *);
int automation_webhook_delete(struct crm_ctx *);
/* webhook_show.c: one hook, its delivery log and its actions */
int automation_webhook_show(struct crm_ctx *);
int automation_webhook_rotate(struct crm_ctx *);
int automation_webhook_ping(struct crm_ctx *);
int automation_webhook_enable(struct crm_ctx *);
int automation_webhook_redeliver(struct crm_ctx *);
json_t *automation_webhook_load(struct crm_ctx *, int *status);
json_t *automation_webhook_by_id(struct crm_ctx *, long long id, int *status);
/* The hook's page for id; secret (or NULL) shown this once, with flash
 * (an N_() message, or NULL). */
int automation_webhook_page(struct crm_ctx *, long long id, const char *secret, const char *flash);
/* webhook_payload.c: an event's JSON body (without its delivery id) */
json_t *automation_webhook_payload(struct crm_db *, const char *event, const char *occurred_at,
    long long actor_id, const char *entity, long long entity_id, json_t *changes);
/* webhook_jobs.c, notify_jobs.c: the runner's parts */
int automation_webhooks_tick(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
int automation_notifications_tick(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
/* notify_scan.c, notify_digest.c: the notification part's scans */
int automation_notify_scan(struct crm_db *, char *err, size_t errlen);
int automation_notify_digest(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
/* notifications.c */
int automation_notifications(struct crm_ctx *);
int automation_notification_open(struct crm_ctx *);
int automation_notification_read(struct crm_ctx *);
int automation_notifications_read_all(struct crm_ctx *);
int automation_notifications_unread(struct crm_ctx *);
int automation_notifications_digest(struct crm_ctx *);
/* A notification kind's name, an N_() msgid ("Task due"). */
const char *automation_notify_kind(const char *kind);
/* @@decls-mail */
/* mail_boxes.c: the mailboxes' admin pages */
int automation_mailboxes(struct crm_ctx *);
int automation_mailbox_new(struct crm_ctx *);
int automation_mailbox_create(struct crm_ctx *);
int automation_mailbox_show(struct crm_ctx *);
int automation_mailbox_edit(struct crm_ctx *);
int automation_mailbox_update(struct crm_ctx *);
int automation_mailbox_test(struct crm_ctx *);
int automation_mailbox_poll(struct crm_ctx *);
/* mail_poll.c: the runner's part "mail", one due mailbox per tick */
int automation_mail_tick(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
/* mail_handle.c: one fetched message, in one transaction with its UID */
struct mail_box {
	long long id, created_by;
	const char *purpose;            /* "support" or "timeline" */
	const char *support_address, *mail_from;        /* the loop guard's own addresses */
	const char *attachments;        /* [service] attachments */
	unsigned long long uidvalidity;
};
struct mail_result {
	const char *outcome;            /* mailbox_messages.outcome; NULL: already handled */
	long long ticket_id, activity_id;
	char detail[500];
};
/* raw NULL: the fetch failed with fetch_err (too big: skipped). */
enum crm_err automation_mail_handle(struct crm_db *, struct crm_arena *, const struct mail_box *,
    unsigned long long uid, const char *raw, size_t len, const char *fetch_err, struct mail_result *);

#endif
