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
	/* @@stmts-webhooks */
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
	STMT_MAIL_ATTACHMENT,
	STMT_MAIL_ACTIVITY,
	STMT_MAIL_RULE_MATCH,
	STMT_MAIL_RULE_NEXT_MEMBER,
	STMT_MAIL_RULE_LEAST_OPEN,
	STMT_MAIL_RULE_POINTER,
	STMT_MAIL_TICKET_ASSIGN,
	STMT_MAIL_SLA_TICKET,
	STMT_MAIL_SLA_POLICY_FOR,
	STMT_MAIL_SLA_POLICY_CALENDAR,
	STMT_MAIL_SLA_HOURS,
	STMT_MAIL_SLA_HOLIDAYS,
	STMT_MAIL_SLA_SET,
	STMT_MAIL_SLA_RESUME,
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
/* @@decls-webhooks */
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
/* mail_assign.c: a mail ticket's owner, by the service module's rules */
enum crm_err automation_mail_assign(struct crm_db *, long long ticket_id);
/* mail_sla.c: a mail ticket's SLA, as the service module sets it */
enum crm_err automation_mail_sla_start(struct crm_arena *, struct crm_db *, long long ticket_id);
enum crm_err automation_mail_sla_resume(struct crm_arena *, struct crm_db *, long long ticket_id);

#endif
