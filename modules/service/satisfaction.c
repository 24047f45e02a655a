/* Satisfaction results: the survey's average score and number of answers
 * per agent, per team and per category, month by month, for a range of
 * answer dates (by default this month and the eleven before). One query:
 * three groupings of the range read from the csat_created index. */
#include <string.h>
#include <time.h>

#include "crm_valid.h"
#include "extern.h"

static const char *
default_from(struct crm_ctx *c)
{
	time_t now = time(NULL);
	struct tm tm;
	int y, m;

	gmtime_r(&now, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1 - 11;
	if (m < 1) {
		m += 12;
		y--;
	}
	return crm_arena_printf(c->arena, "%04d-%02d-01", y, m);
}

static const char *
today(struct crm_ctx *c)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return crm_arena_printf(c->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int
service_satisfaction(struct crm_ctx *c)
{
	const char *from = crm_ctx_query_str(c, "from"), *to = crm_ctx_query_str(c, "to");
	json_t *rows = NULL, *row, *groups;
	struct crm_db_bind b[6];
	size_t i;
	int bad = 0;

	if (*from == '\0')
		from = default_from(c);
	if (*to == '\0')
		to = today(c);
	if (!crm_valid_date(from)) {
		crm_ctx_field_error(c, "from", N_("Enter a date as YYYY-MM-DD."));
		bad = 1;
	}
	if (!crm_valid_date(to) || (!bad && strcmp(to, from) < 0)) {
		crm_ctx_field_error(c, "to", N_("Enter a date as YYYY-MM-DD, not before the start."));
		bad = 1;
	}
	service_nav(c, "satisfaction");
	json_object_set_new(c->view, "range", json_pack("{s:s,s:s}", "from", from, "to", to));
	groups = json_pack("{s:[],s:[],s:[]}", "agent", "team", "category");
	json_object_set_new(c->view, "satisfaction", groups);
	if (bad)
		return crm_ctx_status(c, 422);
	for (i = 0; i < 6; i += 2) {
		crm_db_bind_str(&b[i], from, (size_t)-1);
		crm_db_bind_str(&b[i + 1], to, (size_t)-1);
	}
	if (crm_db_rows(c->db, STMT_CSAT_REPORT, b, 6, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		json_t *list = json_object_get(groups, json_string_value(json_object_get(row, "by_what")));
		const char *name = json_string_value(json_object_get(row, "name"));

		json_object_del(row, "by_what");
		if (name == NULL || *name == '\0')
			json_object_set_new(row, "name", json_string(crm_ctx_text(c, N_("(none)"))));
		if (list)
			json_array_append(list, row);
	}
	json_object_set_new(groups, "empty", json_boolean(json_array_size(rows) == 0));
	return 200;
}
