/* crm-service: private declarations, one section per area. */
#ifndef SERVICE_EXTERN_H
#define SERVICE_EXTERN_H

#include "crm_http.h"

enum stmt {
	/* common.c */
	STMT_SETTING,

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
	STMT_TICKET_ATTACHMENT_CREATE,
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
	STMT_TICKET_TAGS_CLEAR,
	STMT_TICKET_TAG_ENSURE,
	STMT_TICKET_TAG_LINK,
	STMT_QUEUE_COUNTS,
	STMT_QUEUE_MINE,
	STMT_QUEUE_UNASSIGNED,
	STMT_QUEUE_TEAM,
	STMT_QUEUE_DUE,
	STMT_RULES,
	STMT_RULE_GET,
	STMT_RULE_CREATE,
	STMT_RULE_UPDATE,
	STMT_RULE_MATCH,
	STMT_RULE_NEXT_MEMBER,
	STMT_RULE_LEAST_OPEN,
	STMT_RULE_POINTER,

	/* sla */

	/* public */

	/* kb */

	/* mail */

	STMT__MAX
};

extern const char *const service_stmts[STMT__MAX];

/* common.c: what every service handler shares. */
void service_bind_scope(struct crm_ctx *, struct crm_db_bind *);        /* 5 binds, as SCOPE() */
void service_nav(struct crm_ctx *, const char *current);
void service_flash(struct crm_ctx *);
const char *service_setting(struct crm_ctx *, const char *name, const char *fallback);
const char *service_form(struct crm_ctx *, const char *name);
const char *service_query(struct crm_ctx *, const char *name);
/* The record of stmt whose id is bound first (then, when scoped, the
 * scope), or NULL with *status 404 or 500. */
json_t *service_load(struct crm_ctx *, size_t stmt, long long id, int scoped, int *status);

/* categories.c */
int service_categories(struct crm_ctx *);
int service_category_create(struct crm_ctx *);
int service_category_update(struct crm_ctx *);

/* tickets: tickets.c (create, edit), ticket_show.c (the page, reassign,
 * the contact lookup), ticket_thread.c (replies, notes, attachments),
 * queues.c (GET /service), ticket_rules.c (assignment rules). */
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
/* Gives a new ticket without an assignee to the first matching active
 * rule's pick (round robin on the rule's row-locked pointer, or the team
 * member with the fewest open tickets), in the caller's transaction, and
 * audits it. *owner_id 0 and *team_id unchanged when no rule matches or
 * the rule's team has no active member. category_id 0: none. */
enum crm_err service_assign(struct crm_ctx *, struct crm_db *, long long ticket_id, long long category_id,
    long long *owner_id, long long *team_id);

/* sla */

/* public */

/* kb */

/* mail */

#endif
