/* crm-service: private declarations, one section per area. */
#ifndef SERVICE_EXTERN_H
#define SERVICE_EXTERN_H

#include "crm_http.h"
#include "crm_setting.h"
#include "crm_ticket_sla.h"

enum stmt {
	/* common.c */

	/* categories.c */
	STMT_CATEGORIES,
	STMT_CATEGORY_GET,
	STMT_CATEGORY_CREATE,
	STMT_CATEGORY_UPDATE,
	STMT_TEAMS,

	/* tickets */
	STMT_TICKET_GET,
	STMT_TICKET_LOCK,
	STMT_TICKET_CREATE,
	STMT_TICKET_UPDATE,
	STMT_TICKET_ASSIGN,
	STMT_TICKET_REPLIED,
	STMT_TICKET_MESSAGES,
	STMT_TICKET_ATTACHMENTS,
	STMT_TICKET_MESSAGE_CREATE,
	STMT_TICKET_ATTACHMENT_GET,
	STMT_TICKET_CONTACT_BY_ID,
	STMT_TICKET_CONTACT_BY_NAME,
	STMT_TICKET_LOOKUP_CONTACTS,
	STMT_TICKET_ORDER_BY_ID,
	STMT_TICKET_ORDER_BY_NUMBER,
	STMT_TICKET_CATEGORIES,
	STMT_TICKET_CATEGORY_GET,
	STMT_TICKET_TEAM_GET,
	STMT_TICKET_AGENTS,
	STMT_TICKET_AGENT_GET,
	STMT_QUEUE_COUNTS,
	STMT_QUEUE_MINE,
	STMT_QUEUE_UNASSIGNED,
	STMT_QUEUE_TEAM,
	STMT_QUEUE_DUE,
	STMT_RULES,
	STMT_RULE_GET,
	STMT_RULE_CREATE,
	STMT_RULE_UPDATE,

	/* sla */
	STMT_SLA_CALENDARS,
	STMT_SLA_CALENDAR_GET,
	STMT_SLA_CALENDAR_CREATE,
	STMT_SLA_CALENDAR_UPDATE,
	STMT_SLA_HOURS,
	STMT_SLA_HOURS_CLEAR,
	STMT_SLA_HOURS_ADD,
	STMT_SLA_HOLIDAYS,
	STMT_SLA_HOLIDAY_ADD,
	STMT_SLA_HOLIDAY_DELETE,
	STMT_SLA_POLICIES,
	STMT_SLA_POLICY_GET,
	STMT_SLA_POLICY_UPDATE,
	STMT_SLA_PAUSE,
	STMT_SLA_BREACH_FIRST,
	STMT_SLA_BREACH_RESOLUTION,
	STMT_SLA_RECALC_SUPERSEDE,
	STMT_SLA_RECALC_QUEUE,
	STMT_SLA_RECALC_LATEST,
	STMT_SLA_RECALC_CLAIM,
	STMT_SLA_RECALC_ADVANCE,
	STMT_SLA_OPEN_TICKETS,
	STMT_SLA_BREACHES_BY_AGENT,
	STMT_SLA_BREACHES_BY_CATEGORY,
	STMT_SLA_BREACHES,
	STMT_SLA_TICKET_STATE,

	/* public */
	STMT_PUB_CATEGORIES,
	STMT_PUB_CATEGORY_ACTIVE,
	STMT_PUB_FORM_HIT,
	STMT_PUB_FORM_HITS,
	STMT_PUB_FORM_SWEEP,
	STMT_PUB_CONTACT_BY_EMAIL,
	STMT_PUB_ORDER_OF_ACCOUNT,
	STMT_PUB_TICKET_CREATE,
	STMT_PUB_MESSAGE_CREATE,
	STMT_PUB_TICKET_BY_TOKEN,
	STMT_PUB_MESSAGES,
	STMT_PUB_ATTACHMENTS,
	STMT_PUB_ATTACHMENT_GET,
	STMT_PUB_REOPEN,
	STMT_PUB_TICKET_GET,
	STMT_PUB_LINK_REVOKE,
	STMT_PUB_LINK_NEW,
	STMT_CSAT_ISSUE,
	STMT_CSAT_BY_TOKEN,
	STMT_CSAT_ANSWER,
	STMT_CSAT_REPORT,

	/* kb */
	STMT_KB_CATEGORIES,
	STMT_KB_CATEGORY_CREATE,
	STMT_KB_LIST,
	STMT_KB_GET,
	STMT_KB_CREATE,
	STMT_KB_UPDATE,
	STMT_KB_INDEX_PUT,
	STMT_KB_SEARCH,
	STMT_KB_PUBLISHED,

	/* mail */
	STMT_MAIL_QUEUE,
	STMT_MAIL_CLAIM,
	STMT_MAIL_START,
	STMT_MAIL_SENT,
	STMT_MAIL_FAILED,
	STMT_MAIL_LIST,
	STMT_MAIL_COUNTS,
	STMT_MAIL_GET,
	STMT_MAIL_RETRY,

	/* notify.c */
	STMT_NOTIFY_TICKET,

	STMT__MAX
};

extern const char *const service_stmts[STMT__MAX];

/* common.c: what every service handler shares. */
void service_bind_scope(struct crm_ctx *, struct crm_db_bind *);        /* 5 binds, as SCOPE() */
void service_nav(struct crm_ctx *, const char *current);
void service_flash(struct crm_ctx *);
/* The record of stmt whose id is bound first (then, when scoped, the
 * scope), or NULL with *status 404 or 500. */
json_t *service_load(struct crm_ctx *, size_t stmt, long long id, int scoped, int *status);

/* categories.c */
int service_categories(struct crm_ctx *);
int service_category_create(struct crm_ctx *);
int service_category_update(struct crm_ctx *);

/* tickets: tickets.c (create, edit), ticket_show.c (the page, reassign,
 * the contact lookup), ticket_thread.c (replies, notes), attachments.c
 * (their files), queues.c (GET /service), ticket_rules.c (assignment
 * rules). */
int service_queues(struct crm_ctx *);
int service_ticket_new(struct crm_ctx *);
int service_ticket_create(struct crm_ctx *);
int service_ticket_edit(struct crm_ctx *);
int service_ticket_update(struct crm_ctx *);
int service_ticket_show(struct crm_ctx *);
int service_ticket_reassign(struct crm_ctx *);
int service_ticket_message(struct crm_ctx *);
int service_attachment(struct crm_ctx *);
int service_lookup_contacts(struct crm_ctx *);
int service_rules(struct crm_ctx *);
int service_rule_create(struct crm_ctx *);
int service_rule_update(struct crm_ctx *);
/* The ticket page's view (ticket, thread, pickers) into c->view: 200,
 * 404 out of scope, 500. */
int service_ticket_page(struct crm_ctx *, long long id);
/* Gives each message (id, kind) of a thread its files (by message_id) and
 * is_internal: two queries for the whole thread, not one per message. */
void service_thread_files(json_t *messages, json_t *files);
/* attachments.c: the form's optional "file" field on its way to disk. */
struct service_file {
	const struct crm_param *part;   /* NULL: no file came */
	const char *type;               /* ours, by the name's extension */
	unsigned char sha[32];
	uint64_t id;
	const char *moved;              /* the stored file, to remove if the commit fails */
	int no_room;                    /* storing it failed: the disk is full */
};
/* 0 (a file or none), or 413/422 with a field error on "file", or 500. */
int service_file_check(struct crm_ctx *, struct service_file *);
/* Inside the caller's transaction: the row, its audit, then the file
 * moved into place, last. Public files show on the status link. */
enum crm_err service_file_store(struct crm_ctx *, struct crm_db *, struct service_file *, long long ticket_id,
    uint64_t message_id, int public);
/* After a failed transaction: removes the stored file, if it got there. */
void service_file_discard(struct service_file *);
/* After a failed transaction: discards the file, then 507 with a field
 * error on "file" when there was no room to store it (the caller shows
 * the form again), else 500. */
int service_file_failed(struct crm_ctx *, struct service_file *);
/* Sends the stored file of an attachment row (id, filename,
 * content_type) as a download: 200, 404 when it is gone, 500. */
int service_file_send(struct crm_ctx *, json_t *attachment);
/* Gives a new ticket without an assignee to the first matching active
 * rule's pick (lib/crm_ticket_assign.c), in the caller's transaction, and
 * audits it as the request's user. *owner_id 0 and *team_id unchanged when no rule matches or
 * the rule's team has no active member. category_id 0: none. */
enum crm_err service_assign(struct crm_ctx *, struct crm_db *, long long ticket_id, long long category_id,
    long long *owner_id, long long *team_id);

/* sla */
/* sla.c: stops a ticket's SLA clock (pending on the customer); setting
 * and resuming due times are crm_ticket_sla_start/_resume
 * (lib/crm_ticket_sla.h). Inside the caller's transaction; the caller
 * audits. */
enum crm_err service_sla_pause(struct crm_db *, long long ticket_id);
/* Marks tickets past due and not paused as breached (two UPDATEs); for
 * the ticket pages and the job runner. */
enum crm_err service_sla_breaches(struct crm_db *);
/* Adds first_response_left, resolution_left ("2 h 10 min", "overdue 35
 * min", business time), paused and breached to a ticket object holding
 * its columns as the database gives them (UTC stamps, not localised). */
void service_sla_view(struct crm_ctx *, json_t *ticket);
/* sla_admin.c: calendars and policies (admin.settings). */
int service_sla(struct crm_ctx *);
int service_sla_policy_update(struct crm_ctx *);
int service_sla_calendar_create(struct crm_ctx *);
int service_sla_calendar(struct crm_ctx *);
int service_sla_calendar_update(struct crm_ctx *);
int service_sla_holiday_add(struct crm_ctx *);
int service_sla_holiday_delete(struct crm_ctx *);
/* sla_recalc.c: every open ticket's due times again, after a change: the
 * page queues a run (POST /service/sla/recalculate), the job runner does
 * it in batches. */
int service_sla_recalculate(struct crm_ctx *);
/* One batch of the latest unfinished run: 1 when it did one, 0 when
 * there is nothing to do, -1 on a database error (logged). */
int service_sla_recalc_step(struct crm_db *);
/* The SLA page's view of the latest run (sla_recalc) into c->view. */
enum crm_err service_sla_recalc_view(struct crm_ctx *);
/* sla_report.c: breached tickets in a date range. */
int service_sla_breach_report(struct crm_ctx *);
/* sla.c: one ticket's SLA state and time left (for widgets and the API). */
int service_sla_ticket(struct crm_ctx *);

/* public: public_form.c (the customer's ticket form), public_link.c (the
 * status link, its reply, QR code; the staff's slip and link revoke/new),
 * csat.c (the survey), satisfaction.c (its results). */
int service_public_new(struct crm_ctx *);
int service_public_create(struct crm_ctx *);
int service_public_status(struct crm_ctx *);
int service_public_reply(struct crm_ctx *);
int service_public_qr(struct crm_ctx *);
int service_public_file(struct crm_ctx *);
int service_ticket_slip(struct crm_ctx *);
int service_link_revoke(struct crm_ctx *);
int service_link_new(struct crm_ctx *);
/* The customer's status link: settings public_url + /service/t/<token>. */
const char *service_public_link(struct crm_ctx *, const char *token);
/* Sets a resolved (or closed) ticket's survey link, a new secret with its
 * csat_days starting now, and audits it: call it inside the transaction
 * that resolves the ticket. CRM_ENOTFOUND when the ticket is not resolved
 * or closed, CRM_ECONFLICT when the survey was answered already. */
enum crm_err service_csat_issue(struct crm_ctx *, struct crm_db *, long long ticket_id);
int service_survey_send(struct crm_ctx *);
int service_survey(struct crm_ctx *);
int service_survey_answer(struct crm_ctx *);
int service_satisfaction(struct crm_ctx *);

/* kb: kb.c (staff pages), kb_search.c, kb_render.c, kb_public.c */
int service_kb_list(struct crm_ctx *);
int service_kb_new(struct crm_ctx *);
int service_kb_create(struct crm_ctx *);
int service_kb_show(struct crm_ctx *);
int service_kb_edit(struct crm_ctx *);
int service_kb_update(struct crm_ctx *);
int service_kb_category_create(struct crm_ctx *);
int service_kb_search(struct crm_ctx *);
int service_kb_suggest_page(struct crm_ctx *);
int service_help_list(struct crm_ctx *);
int service_help_show(struct crm_ctx *);
/* Published articles matching any of the subject's words, best first:
 * [{id, title, snippet, link}], at most max (the ticket page's box);
 * NULL on a database error. */
json_t *service_kb_suggest(struct crm_ctx *, const char *subject, size_t max);
/* Staff and public search: rows with a snippet; NULL on a database error.
 * *terms is 0 when the text has nothing searchable. */
json_t *service_kb_find(struct crm_ctx *, const char *q, int with_drafts, int *terms);
/* The article's Markdown as safe HTML (cmark, raw HTML and dangerous
 * URLs dropped), and a plain-text snippet near the first term. */
const char *service_kb_html(struct crm_ctx *, const char *markdown);
const char *service_kb_snippet(struct crm_ctx *, const char *body, const char *q);

/* mail */
/* Queues a message in the caller's transaction; CRM_EINVAL when the
 * address is not one or the subject holds a line break. */
enum crm_err service_mail_queue(struct crm_db *, const char *to, const char *subject, const char *body,
    long long ticket_id);
int service_mail(struct crm_ctx *);
int service_mail_test(struct crm_ctx *);
int service_mail_retry(struct crm_ctx *);
/* mail_jobs.c: crm-service jobs, the queue's runner. */
int service_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
#define SERVICE_COMMAND_USAGE "jobs [--pidfile FILE] [--once]"

/* notify.c: mail to the customer, queued in the caller's transaction. */
enum crm_err service_notify_reply(struct crm_ctx *, struct crm_db *, long long ticket_id, const char *reply);
enum crm_err service_notify_survey(struct crm_ctx *, struct crm_db *, long long ticket_id);

#endif
