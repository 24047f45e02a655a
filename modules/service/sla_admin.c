/* SLA settings: the policy per priority (targets in business minutes on
 * a calendar) and the working calendars (zone, hours per weekday,
 * holidays). An admin's short lists; every change is audited. */
#include <stdio.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_bizhours.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const weekdays[8] = { "", N_("Monday"), N_("Tuesday"), N_("Wednesday"),
	N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday") };

static int
page(struct crm_ctx *c, const char *new_name, const char *new_zone)
{
	json_t *policies = NULL, *cals = NULL, *p, *cal;
	size_t i, k;

	if (crm_db_rows(c->db, STMT_SLA_POLICIES, NULL, 0, &policies) != CRM_OK ||
	    crm_db_rows(c->db, STMT_SLA_CALENDARS, NULL, 0, &cals) != CRM_OK ||
	    service_sla_recalc_view(c) != CRM_OK)
		return 500;
	json_array_foreach(policies, i, p) {
		json_t *opts = json_array();
		json_int_t mine = json_integer_value(json_object_get(p, "calendar_id"));

		json_array_foreach(cals, k, cal)
			json_array_append_new(opts, json_pack("{s:O,s:O,s:b}", "id", json_object_get(cal, "id"),
			    "name", json_object_get(cal, "name"), "selected", json_integer_value(json_object_get(cal, "id")) == mine));
		json_object_set_new(p, "calendar_options", opts);
	}
	json_object_set_new(c->view, "policies", policies);
	json_object_set_new(c->view, "calendars", cals);
	json_object_set_new(c->view, "new_name", json_string(new_name ? new_name : ""));
	json_object_set_new(c->view, "new_zone", json_string(new_zone ? new_zone : "UTC"));
	service_nav(c, "sla");
	service_flash(c);
	return 200;
}

static int
refused(int st, struct crm_ctx *c, int status)
{
	return st == 200 ? crm_ctx_status(c, status) : st;
}

int
service_sla(struct crm_ctx *c)
{
	return page(c, NULL, NULL);
}

/* ---- policies ---- */

struct policy {
	struct crm_ctx *c;
	long long id, calendar_id, first, resolution;
	const char *name;
	int active;
	json_t *before;
};

/* A whole number of minutes, 1 to a year; -1 when not. */
static long long
form_minutes(struct crm_ctx *c, const char *name)
{
	long long v;

	return crm_valid_id(crm_ctx_form_str(c, name), &v) && v <= 525600 ? v : -1;
}

static json_t *
policy_json(const struct policy *p)
{
	return json_pack("{s:s,s:I,s:I,s:I,s:b}", "name", p->name, "first_response_minutes", (json_int_t)p->first,
	    "resolution_minutes", (json_int_t)p->resolution, "calendar_id", (json_int_t)p->calendar_id, "active", p->active);
}

static enum crm_err
policy_tx(struct crm_db *db, void *arg)
{
	struct policy *p = arg;
	struct crm_db_bind b[6];
	json_t *before = json_object();
	enum crm_err e;

	crm_db_bind_str(&b[0], p->name, (size_t)-1);
	crm_db_bind_i64(&b[1], p->first);
	crm_db_bind_i64(&b[2], p->resolution);
	crm_db_bind_i64(&b[3], p->calendar_id);
	crm_db_bind_i64(&b[4], p->active);
	crm_db_bind_i64(&b[5], p->id);
	if ((e = crm_db_exec(db, STMT_SLA_POLICY_UPDATE, b, 6, NULL, NULL)) != CRM_OK)
		return e;
	json_object_update(before, p->before);
	json_object_del(before, "id");
	json_object_del(before, "priority");
	return crm_ctx_audit(p->c, "update", "sla_policy", p->id, before, policy_json(p));
}

int
service_sla_policy_update(struct crm_ctx *c)
{
	struct policy p;
	int status;
	enum crm_err e;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.id = crm_ctx_id(c, "id");
	if ((p.before = service_load(c, STMT_SLA_POLICY_GET, p.id, 0, &status)) == NULL)
		return status;
	p.name = crm_ctx_form_str(c, "name");
	p.first = form_minutes(c, "first_response_minutes");
	p.resolution = form_minutes(c, "resolution_minutes");
	p.active = crm_ctx_form(c, "active") != NULL;
	if (!crm_valid_id(crm_ctx_form_str(c, "calendar_id"), &p.calendar_id))
		p.calendar_id = -1;
	if (!crm_valid_text(p.name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (p.first < 0)
		crm_ctx_field_error(c, "first_response_minutes", N_("Enter a whole number of minutes from 1 to 525600."));
	if (p.resolution < 0)
		crm_ctx_field_error(c, "resolution_minutes", N_("Enter a whole number of minutes from 1 to 525600."));
	else if (p.first > p.resolution)
		crm_ctx_field_error(c, "resolution_minutes", N_("The resolution target cannot be shorter than the first response target."));
	if (p.calendar_id < 0)
		crm_ctx_field_error(c, "calendar_id", N_("Choose a calendar from the list."));
	if (crm_ctx_has_errors(c))
		return refused(page(c, NULL, NULL), c, 422);
	if ((e = crm_db_tx(c->db, policy_tx, &p)) == CRM_EINVAL) {
		crm_ctx_field_error(c, "calendar_id", N_("Choose a calendar from the list."));
		return refused(page(c, NULL, NULL), c, 422);
	}
	return e == CRM_OK ? crm_ctx_redirect(c, 303, "/service/sla?done=saved") : 500;
}

/* ---- calendars ---- */

struct calendar {
	struct crm_ctx *c;
	long long id;
	const char *name, *zone;
	const char *hours[8];           /* as typed, per ISO weekday */
	struct crm_bizhours *cal;       /* the hours parsed */
	json_t *before;
};

static int
hhmm(const char *s, int *minutes, const char **end)
{
	int h, m, n = 0;

	if (sscanf(s, " %2d:%2d%n", &h, &m, &n) != 2 || n == 0 || h < 0 || m < 0 || m > 59 ||
	    h > 24 || (h == 24 && m > 0))
		return 0;
	*minutes = h * 60 + m;
	*end = s + n;
	return 1;
}

/* "09:00-12:00, 13:00-17:00" into the day's spans; "" is closed. */
static int
parse_hours(struct crm_bizhours *b, int wd, const char *s)
{
	int o, cl;

	while (*s == ' ')
		s++;
	while (*s != '\0') {
		if (!hhmm(s, &o, &s) || *s++ != '-' || !hhmm(s, &cl, &s) || !crm_biz_add_span(b, wd, o, cl))
			return 0;
		while (*s == ' ')
			s++;
		if (*s == ',')
			s++;
		else if (*s != '\0')
			return 0;
		while (*s == ' ')
			s++;
	}
	return 1;
}

static char *
hours_text(struct crm_ctx *c, const struct crm_bizhours *b, int wd)
{
	struct crm_buf t;
	int i;

	crm_buf_init(&t, c->arena, 64);
	for (i = 0; i < b->nspans[wd]; i++)
		crm_buf_printf(&t, "%s%02d:%02d-%02d:%02d", i ? ", " : "", b->spans[wd][i].opens / 60,
		    b->spans[wd][i].opens % 60, b->spans[wd][i].closes / 60, b->spans[wd][i].closes % 60);
	return crm_arena_strndup(c->arena, t.data ? t.data : "", t.len);
}

static int
calendar_page(struct crm_ctx *c, json_t *cal, const struct calendar *typed)
{
	struct crm_db_bind b[1];
	json_t *hours = NULL, *holidays = NULL, *days = json_array(), *row;
	struct crm_bizhours *bh = crm_arena_alloc(c->arena, sizeof(*bh));
	size_t i;
	int wd, oh, om, ch, cm;

	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(cal, "id")));
	if (bh == NULL || crm_db_rows(c->db, STMT_SLA_HOURS, b, 1, &hours) != CRM_OK ||
	    crm_db_rows(c->db, STMT_SLA_HOLIDAYS, b, 1, &holidays) != CRM_OK)
		return 500;
	crm_biz_init(bh, NULL);
	json_array_foreach(hours, i, row)
		if (sscanf(json_string_value(json_object_get(row, "opens")), "%d:%d", &oh, &om) == 2 &&
		    sscanf(json_string_value(json_object_get(row, "closes")), "%d:%d", &ch, &cm) == 2)
			crm_biz_add_span(bh, (int)json_integer_value(json_object_get(row, "weekday")), oh * 60 + om, ch * 60 + cm);
	for (wd = 1; wd <= 7; wd++)
		json_array_append_new(days, json_pack("{s:i,s:s,s:s,s:o}", "weekday", wd,
		    "label", crm_ctx_text(c, weekdays[wd]),
		    "hours", typed ? typed->hours[wd] : hours_text(c, bh, wd),
		    "error", json_boolean(json_object_get(json_object_get(c->view, "errors"),
		    crm_arena_printf(c->arena, "hours_%d", wd)) != NULL)));
	if (typed) {
		json_object_set_new(cal, "name", json_string(typed->name));
		json_object_set_new(cal, "time_zone", json_string(typed->zone));
	}
	json_object_set_new(c->view, "calendar", cal);
	json_object_set_new(c->view, "days", days);
	json_object_set_new(c->view, "holidays", holidays);
	service_nav(c, "sla");
	service_flash(c);
	return 200;
}

int
service_sla_calendar(struct crm_ctx *c)
{
	int status;
	json_t *cal = service_load(c, STMT_SLA_CALENDAR_GET, crm_ctx_id(c, "id"), 0, &status);

	return cal ? calendar_page(c, cal, NULL) : status;
}

static int
read_calendar(struct crm_ctx *c, struct calendar *k, int with_hours)
{
	int wd;

	k->name = crm_ctx_form_str(c, "name");
	k->zone = crm_ctx_form_str(c, "time_zone");
	if (!crm_valid_text(k->name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (!crm_valid_time_zone(k->zone))
		crm_ctx_field_error(c, "time_zone", N_("Enter a time zone such as Europe/Berlin or Asia/Shanghai."));
	if (!with_hours)
		return crm_ctx_has_errors(c);
	if ((k->cal = crm_arena_alloc(c->arena, sizeof(*k->cal))) == NULL)
		return 1;
	crm_biz_init(k->cal, k->zone);
	for (wd = 1; wd <= 7; wd++) {
		k->hours[wd] = crm_ctx_form_str(c, crm_arena_printf(c->arena, "hours_%d", wd));
		if (strlen(k->hours[wd]) > 100 || !parse_hours(k->cal, wd, k->hours[wd]))
			crm_ctx_field_error(c, crm_arena_printf(c->arena, "hours_%d", wd),
			    N_("Enter opening hours such as 09:00-12:00, 13:00-17:00, in order and not overlapping, or leave empty for closed."));
	}
	return crm_ctx_has_errors(c);
}

static enum crm_err
calendar_create_tx(struct crm_db *db, void *arg)
{
	struct calendar *k = arg;
	struct crm_db_bind b[2];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], k->name, (size_t)-1);
	crm_db_bind_str(&b[1], k->zone, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_SLA_CALENDAR_CREATE, b, 2, NULL, &id)) != CRM_OK)
		return e;
	k->id = (long long)id;
	return crm_ctx_audit(k->c, "create", "business_calendar", k->id, NULL,
	    json_pack("{s:s,s:s}", "name", k->name, "time_zone", k->zone));
}

int
service_sla_calendar_create(struct crm_ctx *c)
{
	struct calendar k;
	enum crm_err e;

	memset(&k, 0, sizeof(k));
	k.c = c;
	if (read_calendar(c, &k, 0))
		return refused(page(c, k.name, k.zone), c, 422);
	if ((e = crm_db_tx(c->db, calendar_create_tx, &k)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another calendar has this name."));
		return refused(page(c, k.name, k.zone), c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/sla/calendars/%lld?done=created", k.id));
}

static enum crm_err
calendar_update_tx(struct crm_db *db, void *arg)
{
	struct calendar *k = arg;
	struct crm_db_bind b[4];
	json_t *after = json_pack("{s:s,s:s}", "name", k->name, "time_zone", k->zone), *hours = json_object();
	char o[8], cl[8];
	unsigned op, cs;
	enum crm_err e;
	int wd, i;

	crm_db_bind_str(&b[0], k->name, (size_t)-1);
	crm_db_bind_str(&b[1], k->zone, (size_t)-1);
	crm_db_bind_i64(&b[2], k->id);
	if ((e = crm_db_exec(db, STMT_SLA_CALENDAR_UPDATE, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], k->id);
	if ((e = crm_db_exec(db, STMT_SLA_HOURS_CLEAR, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	for (wd = 1; wd <= 7; wd++) {
		for (i = 0; i < k->cal->nspans[wd]; i++) {
			/* 0..1440 minutes, as crm_biz_add_span checked. */
			op = (unsigned)k->cal->spans[wd][i].opens % 1441, cs = (unsigned)k->cal->spans[wd][i].closes % 1441;
			snprintf(o, sizeof(o), "%02u:%02u", op / 60, op % 60);
			snprintf(cl, sizeof(cl), "%02u:%02u", cs / 60, cs % 60);
			crm_db_bind_i64(&b[1], wd);
			crm_db_bind_str(&b[2], o, (size_t)-1);
			crm_db_bind_str(&b[3], cl, (size_t)-1);
			if ((e = crm_db_exec(db, STMT_SLA_HOURS_ADD, b, 4, NULL, NULL)) != CRM_OK)
				return e;
		}
		json_object_set_new(hours, crm_arena_printf(k->c->arena, "%d", wd), json_string(hours_text(k->c, k->cal, wd)));
	}
	json_object_set_new(after, "hours", hours);
	return crm_ctx_audit(k->c, "update", "business_calendar", k->id, json_pack("{s:O,s:O}",
	    "name", json_object_get(k->before, "name"), "time_zone", json_object_get(k->before, "time_zone")), after);
}

int
service_sla_calendar_update(struct crm_ctx *c)
{
	struct calendar k;
	int status;
	enum crm_err e;

	memset(&k, 0, sizeof(k));
	k.c = c;
	k.id = crm_ctx_id(c, "id");
	if ((k.before = service_load(c, STMT_SLA_CALENDAR_GET, k.id, 0, &status)) == NULL)
		return status;
	if (read_calendar(c, &k, 1))
		return refused(calendar_page(c, k.before, &k), c, 422);
	if ((e = crm_db_tx(c->db, calendar_update_tx, &k)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another calendar has this name."));
		return refused(calendar_page(c, k.before, &k), c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/sla/calendars/%lld?done=saved", k.id));
}

/* ---- holidays ---- */

struct holiday {
	struct crm_ctx *c;
	long long calendar_id;
	const char *day, *name;
	uint64_t affected;
};

static enum crm_err
holiday_add_tx(struct crm_db *db, void *arg)
{
	struct holiday *h = arg;
	struct crm_db_bind b[3];
	enum crm_err e;

	crm_db_bind_i64(&b[0], h->calendar_id);
	crm_db_bind_str(&b[1], h->day, (size_t)-1);
	crm_db_bind_str(&b[2], h->name, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_SLA_HOLIDAY_ADD, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(h->c, "holiday_add", "business_calendar", h->calendar_id, NULL,
	    json_pack("{s:s,s:s}", "day", h->day, "name", h->name));
}

static enum crm_err
holiday_delete_tx(struct crm_db *db, void *arg)
{
	struct holiday *h = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_i64(&b[0], h->calendar_id);
	crm_db_bind_str(&b[1], h->day, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_SLA_HOLIDAY_DELETE, b, 2, &h->affected, NULL)) != CRM_OK)
		return e;
	if (h->affected == 0)
		return CRM_ENOTFOUND;
	return crm_ctx_audit(h->c, "holiday_remove", "business_calendar", h->calendar_id,
	    json_pack("{s:s}", "day", h->day), NULL);
}

static int
holiday_change(struct crm_ctx *c, int add)
{
	struct holiday h;
	json_t *cal;
	int status;
	int32_t d;
	enum crm_err e;

	memset(&h, 0, sizeof(h));
	h.c = c;
	h.calendar_id = crm_ctx_id(c, "id");
	if ((cal = service_load(c, STMT_SLA_CALENDAR_GET, h.calendar_id, 0, &status)) == NULL)
		return status;
	h.day = crm_ctx_form_str(c, "day");
	h.name = crm_ctx_form_str(c, "name");
	if (!crm_biz_date(h.day, &d) || strlen(h.day) != 10)
		crm_ctx_field_error(c, "day", N_("Enter a date as YYYY-MM-DD."));
	if (add && !crm_valid_text(h.name, 0, 100, 0))
		crm_ctx_field_error(c, "holiday_name", N_("Enter a name of up to 100 characters."));
	if (crm_ctx_has_errors(c))
		return refused(calendar_page(c, cal, NULL), c, 422);
	e = crm_db_tx(c->db, add ? holiday_add_tx : holiday_delete_tx, &h);
	if (e == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "day", N_("This day is already a holiday."));
		return refused(calendar_page(c, cal, NULL), c, 409);
	}
	if (e == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/sla/calendars/%lld?done=saved", h.calendar_id));
}

int
service_sla_holiday_add(struct crm_ctx *c)
{
	return holiday_change(c, 1);
}

int
service_sla_holiday_delete(struct crm_ctx *c)
{
	return holiday_change(c, 0);
}
