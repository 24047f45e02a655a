/* SLA due times: the policy of a ticket's priority gives targets in
 * business minutes of its calendar; pausing (pending on the customer)
 * moves the due times later by the business minutes paused. These run in
 * the caller's transaction, which audits the change they belong to. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm_bizhours.h"
#include "crm_valid.h"
#include "extern.h"

/* The calendar's hours and holidays into b. */
static enum crm_err
load_calendar(struct crm_db *db, long long calendar_id, const char *zone, struct crm_bizhours *b)
{
	struct crm_db_bind bind[1];
	json_t *rows = NULL, *row;
	enum crm_err e;
	size_t i;
	int oh, om, ch, cm;

	crm_biz_init(b, zone);
	crm_db_bind_i64(&bind[0], calendar_id);
	if ((e = crm_db_rows(db, STMT_SLA_HOURS, bind, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row) {
		const char *o = json_string_value(json_object_get(row, "opens"));
		const char *c = json_string_value(json_object_get(row, "closes"));

		if (o && c && sscanf(o, "%d:%d", &oh, &om) == 2 && sscanf(c, "%d:%d", &ch, &cm) == 2)
			crm_biz_add_span(b, (int)json_integer_value(json_object_get(row, "weekday")),
			    oh * 60 + om, ch * 60 + cm);
	}
	json_decref(rows);
	rows = NULL;
	if ((e = crm_db_rows(db, STMT_SLA_HOLIDAYS, bind, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row)
		crm_biz_add_holiday(b, json_string_value(json_object_get(row, "day")));
	json_decref(rows);
	return CRM_OK;
}

static enum crm_err
policy_calendar(struct crm_db *db, long long policy_id, struct crm_bizhours *b)
{
	struct crm_db_bind bind[1];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&bind[0], policy_id);
	if ((e = crm_db_row(db, STMT_SLA_POLICY_CALENDAR, bind, 1, &row)) != CRM_OK)
		return e;
	e = load_calendar(db, json_integer_value(json_object_get(row, "calendar_id")),
	    json_string_value(json_object_get(row, "time_zone")), b);
	json_decref(row);
	return e;
}

static json_t *
load_ticket(struct crm_db *db, long long id)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], id);
	return crm_db_row(db, STMT_SLA_TICKET, b, 1, &row) == CRM_OK ? row : NULL;
}

static const char *
str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

static void
bind_stamp(struct crm_db_bind *b, int ok, int64_t t, char buf[20])
{
	if (!ok) {
		crm_db_bind_null(b);
		return;
	}
	crm_biz_format_utc(t, buf);
	crm_db_bind_str(b, buf, (size_t)-1);
}

/* b business minutes after the stamp s: into *out; 0 when s is empty. */
static int
later(const struct crm_bizhours *b, const char *s, long minutes, int64_t *out)
{
	int64_t t;

	return crm_biz_parse_utc(s, &t) && crm_biz_add(b, t, minutes, out);
}

enum crm_err
service_sla_start(struct crm_arena *a, struct crm_db *db, long long id)
{
	struct crm_bizhours *cal = crm_arena_alloc(a, sizeof(*cal));
	struct crm_db_bind b[4];
	json_t *t, *p = NULL;
	int64_t fr = 0, res = 0;
	int fr_ok = 0, res_ok = 0;
	long paused;
	char fbuf[20], rbuf[20];
	enum crm_err e;

	if (cal == NULL)
		return CRM_EIO;
	if ((t = load_ticket(db, id)) == NULL)
		return CRM_ENOTFOUND;
	paused = (long)json_integer_value(json_object_get(t, "paused_minutes"));
	crm_db_bind_str(&b[0], str(t, "priority"), (size_t)-1);
	e = crm_db_row(db, STMT_SLA_POLICY_FOR, b, 1, &p);
	if (e != CRM_OK && e != CRM_ENOTFOUND)
		return e;
	if (e == CRM_OK) {
		if ((e = load_calendar(db, json_integer_value(json_object_get(p, "calendar_id")),
		    str(p, "time_zone"), cal)) != CRM_OK)
			return e;
		/* Business minutes add up, so the minutes paused so far simply
		 * lengthen the targets. A first response already given keeps the
		 * due time it was measured against. */
		if (*str(t, "first_responded_at") != '\0' && *str(t, "first_response_due") != '\0')
			fr_ok = crm_biz_parse_utc(str(t, "first_response_due"), &fr);
		else
			fr_ok = later(cal, str(t, "created_at"),
			    (long)json_integer_value(json_object_get(p, "first_response_minutes")) + paused, &fr);
		res_ok = later(cal, str(t, "created_at"),
		    (long)json_integer_value(json_object_get(p, "resolution_minutes")) + paused, &res);
		crm_db_bind_i64(&b[0], json_integer_value(json_object_get(p, "id")));
	} else
		crm_db_bind_null(&b[0]);
	bind_stamp(&b[1], fr_ok, fr, fbuf);
	bind_stamp(&b[2], res_ok, res, rbuf);
	crm_db_bind_i64(&b[3], id);
	return crm_db_exec(db, STMT_SLA_TICKET_SET, b, 4, NULL, NULL);
}

enum crm_err
service_sla_pause(struct crm_db *db, long long id)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], id);
	return crm_db_exec(db, STMT_SLA_PAUSE, b, 1, NULL, NULL);
}

enum crm_err
service_sla_resume(struct crm_arena *a, struct crm_db *db, long long id)
{
	struct crm_bizhours *cal = crm_arena_alloc(a, sizeof(*cal));
	struct crm_db_bind b[4];
	json_t *t;
	int64_t from, now, fr = 0, res = 0;
	int fr_ok, res_ok;
	long minutes = 0;
	char fbuf[20], rbuf[20];
	enum crm_err e;

	if (cal == NULL)
		return CRM_EIO;
	if ((t = load_ticket(db, id)) == NULL)
		return CRM_ENOTFOUND;
	if (*str(t, "paused_at") == '\0')
		return CRM_OK;
	if (json_is_integer(json_object_get(t, "sla_policy_id"))) {
		if ((e = policy_calendar(db, json_integer_value(json_object_get(t, "sla_policy_id")), cal)) != CRM_OK)
			return e;
		if (crm_biz_parse_utc(str(t, "paused_at"), &from) && crm_biz_parse_utc(str(t, "now"), &now))
			minutes = crm_biz_between(cal, from, now);
	}
	fr_ok = crm_biz_parse_utc(str(t, "first_response_due"), &fr);
	if (fr_ok && *str(t, "first_responded_at") == '\0')
		fr_ok = crm_biz_add(cal, fr, minutes, &fr);
	res_ok = later(cal, str(t, "resolution_due"), minutes, &res);
	crm_db_bind_i64(&b[0], minutes);
	bind_stamp(&b[1], fr_ok, fr, fbuf);
	bind_stamp(&b[2], res_ok, res, rbuf);
	crm_db_bind_i64(&b[3], id);
	return crm_db_exec(db, STMT_SLA_RESUME, b, 4, NULL, NULL);
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
	    policy_calendar(c->db, json_integer_value(json_object_get(ticket, "sla_policy_id")), cal) != CRM_OK)
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
