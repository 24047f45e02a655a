/* Satisfaction results: the survey's average score and number of answers
 * per agent, per team and per category, month by month, for a range of
 * answer dates (by default this month and the eleven before), with the
 * trend of the average and of the answers as charts. One query: four
 * groupings of the range read from the csat_created index. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm_chart.h"
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

/* An average score as the tables print it: "4.00", "3.25". */
static const char *
score(void *arg, struct crm_arena *a, double v)
{
	char buf[40];

	(void)arg;
	return crm_arena_strdup(a, crm_chart_number(buf, v, 2));
}

/* The month rows (in month order): the average score as a line, the
 * answers as bars. */
static json_t *
trend(struct crm_ctx *c, json_t *months)
{
	size_t n = json_array_size(months), i;
	const char **labels = crm_arena_alloc(c->arena, (n + 1) * sizeof(*labels));
	double *average = crm_arena_alloc(c->arena, (n + 1) * sizeof(*average));
	double *answers = crm_arena_alloc(c->arena, (n + 1) * sizeof(*answers));
	struct crm_chart_series s_average = { crm_ctx_text(c, N_("Average score")), average, NULL, 0 };
	struct crm_chart_series s_answers = { crm_ctx_text(c, N_("Answers")), answers, NULL, 0 };
	struct crm_chart line = { .kind = CRM_CHART_LINE, .id = "satisfaction-trend",
	    .title = crm_ctx_text(c, N_("Average score by month")), .labels = labels, .nlabels = n,
	    .series = &s_average, .nseries = 1, .label_title = crm_ctx_text(c, N_("Month")), .format = score };
	struct crm_chart bars = { .kind = CRM_CHART_BAR, .id = "satisfaction-answers",
	    .title = crm_ctx_text(c, N_("Answers by month")), .labels = labels, .nlabels = n,
	    .series = &s_answers, .nseries = 1, .label_title = crm_ctx_text(c, N_("Month")) };
	json_t *m;

	if (labels == NULL || average == NULL || answers == NULL)
		return NULL;
	json_array_foreach(months, i, m) {
		const char *avg = json_string_value(json_object_get(m, "average"));

		labels[i] = json_string_value(json_object_get(m, "month"));
		average[i] = avg ? strtod(avg, NULL) : json_number_value(json_object_get(m, "average"));
		answers[i] = (double)json_integer_value(json_object_get(m, "answers"));
	}
	return json_pack("[o,o]", crm_chart_view(c->arena, &line), crm_chart_view(c->arena, &bars));
}

int
service_satisfaction(struct crm_ctx *c)
{
	const char *from = crm_ctx_query_str(c, "from"), *to = crm_ctx_query_str(c, "to");
	json_t *rows = NULL, *row, *groups, *charts;
	struct crm_db_bind b[8];
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
	groups = json_pack("{s:[],s:[],s:[],s:[]}", "agent", "team", "category", "month");
	json_object_set_new(c->view, "satisfaction", groups);
	if (bad)
		return crm_ctx_status(c, 422);
	for (i = 0; i < 8; i += 2) {
		crm_db_bind_str(&b[i], from, (size_t)-1);
		crm_db_bind_str(&b[i + 1], to, (size_t)-1);
	}
	if (crm_db_rows(c->db, STMT_CSAT_REPORT, b, 8, &rows) != CRM_OK)
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
	if (json_array_size(rows) > 0) {
		if ((charts = trend(c, json_object_get(groups, "month"))) == NULL)
			return 500;
		json_object_set_new(groups, "charts", charts);
	}
	return 200;
}
