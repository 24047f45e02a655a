/* The calendar (day, week, month; mine or my team's) of meetings, calls
 * and task due dates, and each user's iCalendar feed. Days are the
 * user's local days: their bounds are turned into UTC for the query, and
 * each item is put on the local day it falls on. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm_auth.h"
#include "crm_ical.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

/* Date arithmetic on plain calendar days, through UTC so no zone's
 * daylight saving moves a day. */
static time_t
day_of(const char *ymd)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(ymd, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static void
ymd(time_t t, char out[11])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int
weekday_from_monday(time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	return (tm.tm_wday + 6) % 7;
}

/* The first and last day shown, and the dates of the previous and next
 * page, for the view around the given day. */
struct span {
	time_t first, last, prev, next;
	int month;
};

static void
span_of(const char *view, time_t day, struct span *s)
{
	struct tm tm;

	gmtime_r(&day, &tm);
	s->month = tm.tm_mon;
	if (strcmp(view, "day") == 0) {
		s->first = s->last = day;
		s->prev = day - 86400, s->next = day + 86400;
	} else if (strcmp(view, "week") == 0) {
		s->first = day - weekday_from_monday(day) * 86400;
		s->last = s->first + 6 * 86400;
		s->prev = day - 7 * 86400, s->next = day + 7 * 86400;
	} else {
		struct tm m = tm;
		time_t first_of_month, last_of_month;

		m.tm_mday = 1;
		first_of_month = timegm(&m);
		m.tm_mon += 1;
		last_of_month = timegm(&m) - 86400;
		s->first = first_of_month - weekday_from_monday(first_of_month) * 86400;
		s->last = last_of_month + (6 - weekday_from_monday(last_of_month)) * 86400;
		s->prev = first_of_month - 86400;
		s->next = last_of_month + 86400;
	}
}

int
customers_calendar(struct crm_ctx *c)
{
	static const char *const views[] = { "day", "week", "month", NULL };
	static const char *const whos[] = { "me", "team", NULL };
	const char *view = crm_ctx_query(c, "view"), *who = crm_ctx_query(c, "who");
	const char *date = crm_ctx_query(c, "date"), *zone = c->user->time_zone;
	char today[20], from[20], to[20], d[11];
	struct crm_db_bind b[5];
	json_t *rows = NULL, *weeks, *week = NULL, *row;
	struct span s;
	time_t day, t;
	size_t i;

	if (view == NULL || !crm_valid_oneof(view, views))
		view = "month";
	if (who == NULL || !crm_valid_oneof(who, whos))
		who = "me";
	{
		time_t now = time(NULL);
		struct tm tm;
		char utc[20];

		strftime(utc, sizeof(utc), "%Y-%m-%d %H:%M:%S", gmtime_r(&now, &tm));
		crm_i18n_utc_to_local(utc, zone, today);
		today[10] = '\0';
	}
	if (date == NULL || !crm_valid_date(date))
		date = today;
	day = day_of(date);
	span_of(view, day, &s);
	ymd(s.first, d);
	crm_i18n_local_to_utc(crm_arena_printf(c->arena, "%s 00:00:00", d), zone, from);
	ymd(s.last + 86400, d);
	crm_i18n_local_to_utc(crm_arena_printf(c->arena, "%s 00:00:00", d), zone, to);
	crm_db_bind_str(&b[0], from, (size_t)-1);
	crm_db_bind_str(&b[1], to, (size_t)-1);
	crm_db_bind_i64(&b[2], c->user->user_id);
	crm_db_bind_i64(&b[3], strcmp(who, "team") == 0 ? c->user->team_id : 0);
	crm_db_bind_i64(&b[4], c->user->team_id);
	if (crm_db_rows(c->db, STMT_CALENDAR, b, 5, &rows) != CRM_OK)
		return 500;
	/* Each item gets its local date and time. */
	json_array_foreach(rows, i, row) {
		char local[20];

		if (!crm_i18n_utc_to_local(json_string_value(json_object_get(row, "at")), zone, local))
			continue;
		json_object_set_new(row, "time", json_stringn(local + 11, 5));
		local[10] = '\0';
		json_object_set_new(row, "day", json_string(local));
		json_object_set_new(row, crm_arena_printf(c->arena, "is_%s",
		    json_string_value(json_object_get(row, "kind"))), json_true());
	}
	weeks = json_array();
	for (t = s.first; t <= s.last; t += 86400) {
		struct tm tm;
		json_t *items = json_array(), *cell;
		size_t j;

		ymd(t, d);
		gmtime_r(&t, &tm);
		if (week == NULL || weekday_from_monday(t) == 0) {
			week = json_pack("{s:[]}", "days");
			json_array_append_new(weeks, week);
		}
		json_array_foreach(rows, j, row)
			if (strcmp(json_string_value(json_object_get(row, "day")) ?
			    json_string_value(json_object_get(row, "day")) : "", d) == 0)
				json_array_append(items, row);
		cell = json_pack("{s:s,s:i,s:b,s:b,s:o}", "date", d, "day", tm.tm_mday,
		    "today", strcmp(d, today) == 0, "other_month", strcmp(view, "month") == 0 &&
		    tm.tm_mon != s.month, "items", items);
		json_array_append_new(json_object_get(week, "days"), cell);
	}
	ymd(s.prev, d);
	json_object_set_new(c->view, "prev_url", json_string(crm_ctx_url(c, "/customers/calendar",
	    "view", view, "who", who, "date", d, NULL)));
	ymd(s.next, d);
	json_object_set_new(c->view, "next_url", json_string(crm_ctx_url(c, "/customers/calendar",
	    "view", view, "who", who, "date", d, NULL)));
	json_object_set_new(c->view, "weeks", weeks);
	json_object_set_new(c->view, "items", rows);
	json_object_set_new(c->view, "calendar", json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b}",
	    "view", view, "who", who, "date", date, "is_day", strcmp(view, "day") == 0,
	    "is_week", strcmp(view, "week") == 0, "is_month", strcmp(view, "month") == 0,
	    "is_team", strcmp(who, "team") == 0, "has_team", c->user->team_id != 0));
	json_object_set_new(c->view, "title_date", json_string(crm_ctx_date(c, date, 0)));
	customers_nav(c, "calendar");
	return 200;
}

/* A new secret feed link: shown once, only its hash kept. Making a new
 * one ends the old one. */
int
customers_calendar_link(struct crm_ctx *c)
{
	char secret[CRM_AUTH_SECRET_LEN + 1], hex[65];
	unsigned char hash[32];
	struct crm_db_bind b[2];
	size_t i;

	crm_auth_new_secret(secret);
	crm_auth_hash(secret, strlen(secret), hash);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", hash[i]);
	crm_db_bind_str(&b[0], hex, 64);
	crm_db_bind_i64(&b[1], c->user->user_id);
	if (crm_db_exec(c->db, STMT_FEED_TOKEN_SET, b, 2, NULL, NULL) != CRM_OK)
		return 500;
	c->template = "customers/calendar_link";
	json_object_set_new(c->view, "feed_path", json_string(crm_arena_printf(c->arena,
	    "/customers/calendar/feed/%s.ics", secret)));
	customers_nav(c, "calendar");
	return 200;
}

int
customers_calendar_feed(struct crm_ctx *c)
{
	const char *token = crm_ctx_path_param(c, "token");
	char secret[128], hex[65];
	unsigned char hash[32];
	struct crm_db_bind b[1];
	json_t *user = NULL, *rows = NULL, *row;
	const char *dot;
	size_t i, n;
	enum crm_err e;

	if (token == NULL || (dot = strstr(token, ".ics")) == NULL || dot[4] != '\0' ||
	    (n = (size_t)(dot - token)) == 0 || n >= sizeof(secret))
		return 404;
	memcpy(secret, token, n);
	secret[n] = '\0';
	crm_auth_hash(secret, n, hash);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", hash[i]);
	crm_db_bind_str(&b[0], hex, 64);
	if ((e = crm_db_row(c->db, STMT_FEED_USER, b, 1, &user)) != CRM_OK)
		return e == CRM_ENOTFOUND ? 404 : 500;
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(user, "id")));
	if (crm_db_rows(c->db, STMT_FEED_ITEMS, b, 1, &rows) != CRM_OK)
		return 500;
	crm_ical_begin(&c->raw, "CRM", crm_arena_printf(c->arena, "CRM: %s",
	    json_string_value(json_object_get(user, "name"))));
	json_array_foreach(rows, i, row) {
		struct crm_ical_item it;
		long long id = json_integer_value(json_object_get(row, "id"));

		memset(&it, 0, sizeof(it));
		it.uid = crm_arena_printf(c->arena, "activity-%lld@crm", id);
		it.summary = json_string_value(json_object_get(row, "subject"));
		it.description = json_string_value(json_object_get(row, "body"));
		it.stamp = json_string_value(json_object_get(row, "updated_at"));
		if (strcmp(json_string_value(json_object_get(row, "kind")), "task") == 0) {
			it.due = json_string_value(json_object_get(row, "at"));
			it.done = json_is_string(json_object_get(row, "done_at"));
			crm_ical_todo(&c->raw, &it);
		} else {
			it.start = json_string_value(json_object_get(row, "at"));
			it.end = json_string_value(json_object_get(row, "ends_at"));
			crm_ical_event(&c->raw, &it);
		}
	}
	crm_ical_end(&c->raw);
	c->content_type = "text/calendar; charset=utf-8";
	return 200;
}
