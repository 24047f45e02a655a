/* A ticket's SLA due times (crm_ticket_sla.h). */
#include <stdio.h>
#include <string.h>

#include "crm_ticket_sla.h"

#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"

static const char SLA_HOURS[] = "SELECT weekday, TIME_FORMAT(opens, '%H:%i') AS opens,"
    " TIME_FORMAT(closes, '%H:%i') AS closes FROM business_hours WHERE calendar_id = ? ORDER BY weekday, opens";
static const char SLA_HOLIDAYS[] = "SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day FROM holidays"
    " WHERE calendar_id = ? ORDER BY day LIMIT 1024";
static const char SLA_POLICY_FOR[] = "SELECT p.id, p.first_response_minutes, p.resolution_minutes,"
    " p.calendar_id, c.time_zone FROM sla_policies p JOIN business_calendars c ON c.id = p.calendar_id"
    " WHERE p.priority = ? AND p.active";
static const char SLA_POLICY_CALENDAR[] = "SELECT p.calendar_id, c.time_zone FROM sla_policies p"
    " JOIN business_calendars c ON c.id = p.calendar_id WHERE p.id = ?";
/* The ticket's SLA columns, locked for the change that follows. */
static const char SLA_TICKET[] = "SELECT priority, sla_policy_id, " STAMP("created_at") " AS created_at, "
    STAMP("first_response_due") " AS first_response_due, " STAMP("resolution_due") " AS resolution_due, "
    STAMP("first_responded_at") " AS first_responded_at, " STAMP("paused_at") " AS paused_at, "
    STAMP("UTC_TIMESTAMP()") " AS now, paused_minutes FROM tickets WHERE id = ? AND deleted_at IS NULL FOR UPDATE";
static const char SLA_SET[] = "UPDATE tickets SET sla_policy_id = ?, first_response_due = ?, resolution_due = ?"
    " WHERE id = ?";
static const char SLA_RESUME[] = "UPDATE tickets SET paused_at = NULL, paused_minutes = paused_minutes + ?,"
    " first_response_due = ?, resolution_due = ? WHERE id = ? AND paused_at IS NOT NULL";

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
	if ((e = crm_db_rows_sql(db, SLA_HOURS, bind, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row) {
		const char *o = str(row, "opens"), *c = str(row, "closes");

		if (sscanf(o, "%d:%d", &oh, &om) == 2 && sscanf(c, "%d:%d", &ch, &cm) == 2)
			crm_biz_add_span(b, (int)json_integer_value(json_object_get(row, "weekday")),
			    oh * 60 + om, ch * 60 + cm);
	}
	json_decref(rows);
	rows = NULL;
	if ((e = crm_db_rows_sql(db, SLA_HOLIDAYS, bind, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row)
		crm_biz_add_holiday(b, json_string_value(json_object_get(row, "day")));
	json_decref(rows);
	return CRM_OK;
}

enum crm_err
crm_ticket_sla_calendar(struct crm_db *db, long long policy_id, struct crm_bizhours *b)
{
	struct crm_db_bind bind[1];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&bind[0], policy_id);
	if ((e = crm_db_row_sql(db, SLA_POLICY_CALENDAR, bind, 1, &row)) != CRM_OK)
		return e;
	e = load_calendar(db, json_integer_value(json_object_get(row, "calendar_id")), str(row, "time_zone"), b);
	json_decref(row);
	return e;
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

/* minutes business minutes after the stamp s, into *out; 0 when s is empty. */
static int
later(const struct crm_bizhours *b, const char *s, long minutes, int64_t *out)
{
	int64_t t;

	return crm_biz_parse_utc(s, &t) && crm_biz_add(b, t, minutes, out);
}

enum crm_err
crm_ticket_sla_start(struct crm_arena *a, struct crm_db *db, long long id)
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
	if ((e = crm_db_row_sql(db, SLA_TICKET, b, 1, &t)) != CRM_OK)
		return e;
	paused = (long)json_integer_value(json_object_get(t, "paused_minutes"));
	crm_db_bind_str(&b[0], str(t, "priority"), (size_t)-1);
	e = crm_db_row_sql(db, SLA_POLICY_FOR, b, 1, &p);
	if (e != CRM_OK && e != CRM_ENOTFOUND)
		goto out;
	if (e == CRM_OK) {
		if ((e = load_calendar(db, json_integer_value(json_object_get(p, "calendar_id")),
		    str(p, "time_zone"), cal)) != CRM_OK)
			goto out;
		/* Business minutes add up, so the minutes paused so far simply
		 * lengthen the targets. */
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
	e = crm_db_exec_sql(db, SLA_SET, b, 4, NULL, NULL);
out:
	json_decref(p);
	json_decref(t);
	return e;
}

enum crm_err
crm_ticket_sla_resume(struct crm_arena *a, struct crm_db *db, long long id)
{
	struct crm_bizhours *cal = crm_arena_alloc(a, sizeof(*cal));
	struct crm_db_bind b[4];
	json_t *t = NULL;
	int64_t from, now, fr = 0, res = 0;
	int fr_ok, res_ok;
	long minutes = 0;
	char fbuf[20], rbuf[20];
	enum crm_err e = CRM_OK;

	if (cal == NULL)
		return CRM_EIO;
	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row_sql(db, SLA_TICKET, b, 1, &t)) != CRM_OK)
		return e;
	if (*str(t, "paused_at") == '\0')
		goto out;
	/* No policy: nothing is added, on a calendar of no hours. */
	crm_biz_init(cal, "UTC");
	if (json_is_integer(json_object_get(t, "sla_policy_id"))) {
		if ((e = crm_ticket_sla_calendar(db, json_integer_value(json_object_get(t, "sla_policy_id")),
		    cal)) != CRM_OK)
			goto out;
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
	e = crm_db_exec_sql(db, SLA_RESUME, b, 4, NULL, NULL);
out:
	json_decref(t);
	return e;
}
