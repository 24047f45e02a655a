/* SLA due times: the policy of a ticket's priority gives targets in
 * business minutes of its calendar (lib/crm_ticket_sla.c sets and resumes
 * them, for mail tickets too); pausing (pending on the customer) stops
 * the clock, and resuming moves the due times later by the business
 * minutes paused. These run in the caller's transaction, which audits
 * the change they belong to. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm_bizhours.h"
#include "crm_ticket_sla.h"
#include "crm_valid.h"
#include "extern.h"

static const char *
str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

enum crm_err
service_sla_pause(struct crm_db *db, long long id)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], id);
	return crm_db_exec(db, STMT_SLA_PAUSE, b, 1, NULL, NULL);
}

enum crm_err
service_sla_breaches(struct crm_db *db)
{
	enum crm_err e;

	if ((e = crm_db_exec(db, STMT_SLA_BREACH_FIRST, NULL, 0, NULL, NULL)) != CRM_OK)
		return e;
	return crm_db_exec(db, STMT_SLA_BREACH_RESOLUTION, NULL, 0, NULL, NULL);
}

/* "2 h 10 min", "35 min", "overdue 35 min". */
static const char *
left_text(struct crm_ctx *c, long minutes)
{
	long m = minutes < 0 ? -minutes : minutes;
	const char *d = m >= 60 ? crm_arena_printf(c->arena, "%ld %s %ld %s", m / 60, crm_ctx_text(c, N_("h")),
	    m % 60, crm_ctx_text(c, N_("min"))) : crm_arena_printf(c->arena, "%ld %s", m, crm_ctx_text(c, N_("min")));

	return minutes < 0 ? crm_arena_printf(c->arena, "%s %s", crm_ctx_text(c, N_("overdue")), d) : d;
}

/* Business minutes from now (or from the pause, which stops the clock)
 * to due; negative when past. */
static int
minutes_left(const struct crm_bizhours *cal, const char *due, int64_t now, long *out)
{
	int64_t d;

	if (!crm_biz_parse_utc(due, &d))
		return 0;
	*out = d >= now ? crm_biz_between(cal, now, d) : -crm_biz_between(cal, d, now);
	return 1;
}

void
service_sla_view(struct crm_ctx *c, json_t *ticket)
{
	struct crm_bizhours *cal = crm_arena_alloc(c->arena, sizeof(*cal));
	const char *status = str(ticket, "status");
	int closed = strcmp(status, "resolved") == 0 || strcmp(status, "closed") == 0;
	int64_t now = (int64_t)time(NULL);
	long m;

	json_object_set_new(ticket, "paused", json_boolean(*str(ticket, "paused_at") != '\0'));
	json_object_set_new(ticket, "breached", json_boolean(json_is_true(json_object_get(ticket, "first_response_breached")) ||
	    json_is_true(json_object_get(ticket, "resolution_breached")) ||
	    json_integer_value(json_object_get(ticket, "first_response_breached")) ||
	    json_integer_value(json_object_get(ticket, "resolution_breached"))));
	json_object_set_new(ticket, "first_response_left", json_string(""));
	json_object_set_new(ticket, "resolution_left", json_string(""));
	if (cal == NULL || closed || !json_is_integer(json_object_get(ticket, "sla_policy_id")) ||
	    crm_ticket_sla_calendar(c->db, json_integer_value(json_object_get(ticket, "sla_policy_id")), cal) != CRM_OK)
		return;
	crm_biz_parse_utc(str(ticket, "paused_at"), &now);
	if (*str(ticket, "first_responded_at") == '\0' && minutes_left(cal, str(ticket, "first_response_due"), now, &m))
		json_object_set_new(ticket, "first_response_left", json_string(left_text(c, m)));
	if (minutes_left(cal, str(ticket, "resolution_due"), now, &m))
		json_object_set_new(ticket, "resolution_left", json_string(left_text(c, m)));
}

int
service_sla_ticket(struct crm_ctx *c)
{
	int status;
	json_t *t = service_load(c, STMT_SLA_TICKET_STATE, crm_ctx_id(c, "id"), 1, &status);

	if (t == NULL)
		return status;
	service_sla_view(c, t);
	json_object_set_new(t, "first_response_due_local", json_string(crm_ctx_date(c, str(t, "first_response_due"), 1)));
	json_object_set_new(t, "resolution_due_local", json_string(crm_ctx_date(c, str(t, "resolution_due"), 1)));
	json_object_set_new(c->view, "ticket", t);
	service_nav(c, "sla_breaches");
	return 200;
}
