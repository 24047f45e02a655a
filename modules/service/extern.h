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
	STMT_SLA_POLICY_FOR,
	STMT_SLA_POLICY_CALENDAR,
	STMT_SLA_TICKET,
	STMT_SLA_TICKET_SET,
	STMT_SLA_PAUSE,
	STMT_SLA_RESUME,
	STMT_SLA_BREACH_FIRST,
	STMT_SLA_BREACH_RESOLUTION,
	STMT_SLA_OPEN_TICKETS,
	STMT_SLA_BREACHES_BY_AGENT,
	STMT_SLA_BREACHES_BY_CATEGORY,
	STMT_SLA_BREACHES,
	STMT_SLA_TICKET_STATE,

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

/* tickets */

/* sla */
/* sla.c: due times on the policy of the ticket's priority, in business
 * minutes of the policy's calendar. Run inside the caller's transaction;
 * the caller audits. */
enum crm_err service_sla_start(struct crm_ctx *, struct crm_db *, long long ticket_id);
enum crm_err service_sla_pause(struct crm_ctx *, struct crm_db *, long long ticket_id);
enum crm_err service_sla_resume(struct crm_ctx *, struct crm_db *, long long ticket_id);
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
/* sla_recalc.c: every open ticket's due times again, after a change. */
int service_sla_recalculate(struct crm_ctx *);
/* sla_report.c: breached tickets in a date range. */
int service_sla_breach_report(struct crm_ctx *);
/* sla.c: one ticket's SLA state and time left (for widgets and the API). */
int service_sla_ticket(struct crm_ctx *);

/* public */

/* kb */

/* mail */

#endif
