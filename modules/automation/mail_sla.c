/* A mail ticket's SLA: the service module's rules (modules/service/sla.c)
 * with this module's statements, since a ticket opened or reopened by
 * mail must keep the same due times as one opened on the web. The policy
 * of the ticket's priority gives targets in business minutes of its
 * calendar; a reply that takes a ticket off pending moves the due times
 * later by the business minutes it waited. */
#include <stdio.h>
#include <string.h>

#include "crm_bizhours.h"
#include "extern.h"

static const char *
str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

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
	if ((e = crm_db_rows(db, STMT_MAIL_SLA_HOURS, bind, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row) {
		const char *o = str(row, "opens"), *c = str(row, "closes");

		if (sscanf(o, "%d:%d", &oh, &om) == 2 && sscanf(c, "%d:%d", &ch, &cm) == 2)
			crm_biz_add_span(b, (int)json_integer_value(json_object_get(row, "weekday")),
			    oh * 60 + om, ch * 60 + cm);
	}
	json_decref(rows);
	rows = NULL;
	if ((e = crm_db_rows(db, STMT_MAIL_SLA_HOLIDAYS, bind, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row)
		crm_biz_add_holiday(b, str(row, "day"));
	json_decref(rows);
	return CRM_OK;
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

static int
later(const struct crm_bizhours *b, const char *s, long minutes, int64_t *out)
{
	int64_t t;

	return crm_biz_parse_utc(s, &t) && crm_biz_add(b, t, minutes, out);
}

enum crm_err
automation_mail_sla_start(struct crm_arena *a, struct crm_db *db, long long id)
{
	struct crm_bizhours *cal = crm_arena_alloc(a, sizeof(*cal));
	struct crm_db_bind b[4];
	json_t *t = NULL, *p = NULL;
	int64_t fr = 0, res = 0;
	int fr_ok = 0, res_ok = 0;
	long paused;
	char fbuf[20], rbuf[20];
	enum crm_err e;

	if (cal == NULL)
		return CRM_EIO;
	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row(db, STMT_MAIL_SLA_TICKET, b, 1, &t)) != CRM_OK)
		return e;
	paused = (long)json_integer_value(json_object_get(t, "paused_minutes"));
	crm_db_bind_str(&b[0], str(t, "priority"), (size_t)-1);
	e = crm_db_row(db, STMT_MAIL_SLA_POLICY_FOR, b, 1, &p);
	if (e != CRM_OK && e != CRM_ENOTFOUND)
		return e;
	if (e == CRM_OK) {
		if ((e = load_calendar(db, json_integer_value(json_object_get(p, "calendar_id")),
		    str(p, "time_zone"), cal)) != CRM_OK)
			return e;
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
	return crm_db_exec(db, STMT_MAIL_SLA_SET, b, 4, NULL, NULL);
}

enum crm_err
automation_mail_sla_resume(struct crm_arena *a, struct crm_db *db, long long id)
{
	struct crm_bizhours *cal = crm_arena_alloc(a, sizeof(*cal));
	struct crm_db_bind b[4];
	json_t *t = NULL, *row = NULL;
	int64_t from, now, fr = 0, res = 0;
	int fr_ok, res_ok;
	long minutes = 0;
	char fbuf[20], rbuf[20];
	enum crm_err e;

	if (cal == NULL)
		return CRM_EIO;
	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row(db, STMT_MAIL_SLA_TICKET, b, 1, &t)) != CRM_OK)
		return e;
	if (*str(t, "paused_at") == '\0')
		return CRM_OK;
	crm_biz_init(cal, "UTC");
	if (json_is_integer(json_object_get(t, "sla_policy_id"))) {
		crm_db_bind_i64(&b[0], json_integer_value(json_object_get(t, "sla_policy_id")));
		if ((e = crm_db_row(db, STMT_MAIL_SLA_POLICY_CALENDAR, b, 1, &row)) != CRM_OK ||
		    (e = load_calendar(db, json_integer_value(json_object_get(row, "calendar_id")),
		    str(row, "time_zone"), cal)) != CRM_OK)
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
	return crm_db_exec(db, STMT_MAIL_SLA_RESUME, b, 4, NULL, NULL);
}
