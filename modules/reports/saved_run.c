/* Running a report: the compiled statement (lib/crm_report.c) as an
 * ad-hoc prepared statement (crm_db_rows_sql) with every value bound,
 * its rows turned into one table that the page, the chart, the API and
 * the CSV all share. The statement carries a time limit: a report the
 * indexes cannot answer in time says so instead of holding the server. */
#include <stdlib.h>
#include <string.h>

#include "crm_chart.h"
#include "crm_csv.h"
#include "builder.h"

/* MariaDB's "max_statement_time exceeded". */
#define ER_STATEMENT_TIMEOUT 1969
/* Series a two-way chart draws; the table keeps every one. */
#define CHART_MAX_SERIES 20

/* A column's heading: the field, or the period and its date. */
static const char *
dim_label(struct crm_ctx *c, const struct crm_report_sql *q, size_t i)
{
	if (i == 0 && q->bucket != NULL)
		return crm_arena_printf(c->arena, "%s: %s", crm_ctx_text(c, crm_report_bucket_label(q->bucket)),
		    crm_ctx_text(c, q->dims[0]->label));
	return crm_ctx_text(c, q->dims[i]->label);
}

static const char *
measure_label(struct crm_ctx *c, const struct crm_report_sql *q)
{
	if (q->measure_field == NULL)
		return crm_ctx_text(c, crm_report_measure_label(q->measure));
	return crm_arena_printf(c->arena, "%s: %s", crm_ctx_text(c, crm_report_measure_label(q->measure)),
	    crm_ctx_text(c, q->measure_field->label));
}

/* A group's value as shown: "(none)" for no value, yes and no in words. */
static const char *
dim_text(struct crm_ctx *c, const struct crm_report_sql *q, size_t i, json_t *v)
{
	const char *t = json_is_string(v) ? json_string_value(v) : "";

	if (*t == '\0')
		return crm_ctx_text(c, N_("(none)"));
	if (q->dims[i]->type == CRM_REPORT_BOOL && !(i == 0 && q->bucket != NULL))
		return crm_ctx_text(c, strcmp(t, "yes") == 0 ? N_("Yes") : N_("No"));
	return t;
}

static const char *
value_text(struct crm_ctx *c, json_t *v)
{
	if (json_is_integer(v))
		return crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(v));
	return json_is_string(v) ? json_string_value(v) : "";
}

/* Runs q: *rows the table's rows as [d1, d2, value] texts, *timed_out
 * when the server stopped it, *truncated past CRM_REPORT_MAX_ROWS. */
static int
run(struct crm_ctx *c, const struct crm_report_sql *q, json_t **table, int *timed_out, int *truncated)
{
	json_t *rows = NULL, *row;
	size_t i, d;

	*timed_out = *truncated = 0;
	*table = json_array();
	if (crm_db_rows_sql(c->db, q->sql, q->binds, q->nbinds, &rows) != CRM_OK) {
		if (crm_db_errno(c->db) != ER_STATEMENT_TIMEOUT)
			return 500;
		*timed_out = 1;
		return 0;
	}
	if (json_array_size(rows) > CRM_REPORT_MAX_ROWS) {
		*truncated = 1;
		json_array_remove(rows, CRM_REPORT_MAX_ROWS);
	}
	json_array_foreach(rows, i, row) {
		json_t *cells = json_array();

		for (d = 0; d < q->ndims; d++)
			json_array_append_new(cells, json_string(dim_text(c, q, d,
			    json_object_get(row, d == 0 ? "d1" : "d2"))));
		json_array_append_new(cells, json_string(value_text(c, json_object_get(row, "v"))));
		json_array_append_new(*table, cells);
	}
	return 0;
}

/* The position of label in labels[0..*n), added when new (up to max). */
static size_t
slot(const char **labels, size_t *n, size_t max, const char *label)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(labels[i], label) == 0)
			return i;
	if (*n == max)
		return max;
	labels[*n] = label;
	return (*n)++;
}

/* The chart that fits the shape: a line over periods, stacked bars for
 * two groups (grouped bars for averages, which do not add up), bars for
 * one group or none. */
static json_t *
chart_of(struct crm_ctx *c, const struct crm_report_sql *q, json_t *table)
{
	size_t n = json_array_size(table), nl = 0, ns = 0, i, l, s;
	const char **labels = crm_arena_calloc(c->arena, n + 1, sizeof(*labels));
	const char **names = crm_arena_calloc(c->arena, CHART_MAX_SERIES, sizeof(*names));
	struct crm_chart_series *series;
	struct crm_chart ch;
	double **values;
	json_t *cells;

	values = crm_arena_calloc(c->arena, CHART_MAX_SERIES, sizeof(*values));
	for (s = 0; s < CHART_MAX_SERIES; s++)
		values[s] = crm_arena_calloc(c->arena, n + 1, sizeof(**values));
	json_array_foreach(table, i, cells) {
		const char *label = q->ndims == 0 ? measure_label(c, q) : json_string_value(json_array_get(cells, 0));

		l = slot(labels, &nl, n, label);
		s = q->ndims == 2 ? slot(names, &ns, CHART_MAX_SERIES, json_string_value(json_array_get(cells, 1))) : 0;
		if (s < CHART_MAX_SERIES)
			values[s][l] = strtod(json_string_value(json_array_get(cells, q->ndims)), NULL);
	}
	if (q->ndims < 2) {
		ns = 1;
		names[0] = measure_label(c, q);
	}
	series = crm_arena_calloc(c->arena, ns, sizeof(*series));
	for (s = 0; s < ns; s++)
		series[s] = (struct crm_chart_series){ names[s], values[s], NULL, 0 };
	ch = (struct crm_chart){ .kind = q->bucket != NULL ? CRM_CHART_LINE : q->ndims == 2 &&
	    strcmp(q->measure, "avg") != 0 ? CRM_CHART_STACKED : CRM_CHART_BAR, .id = "report-chart",
	    .title = measure_label(c, q), .labels = labels, .nlabels = nl, .series = series, .nseries = ns,
	    .label_title = q->ndims > 0 ? dim_label(c, q, 0) : "",
	    .format = q->measure_field == NULL ? reports_format_count : NULL };
	return crm_chart_view(c->arena, &ch);
}

int
builder_run_view(struct crm_ctx *c, const struct crm_report_sql *q)
{
	json_t *table, *columns = json_array(), *rows = json_array(), *cells, *cell;
	int timed_out, truncated, status;
	size_t i, j;

	if ((status = run(c, q, &table, &timed_out, &truncated)) != 0)
		return status;
	for (i = 0; i < q->ndims; i++)
		json_array_append_new(columns, json_pack("{s:s,s:b}", "label", dim_label(c, q, i), "num", 0));
	json_array_append_new(columns, json_pack("{s:s,s:b}", "label", measure_label(c, q), "num", 1));
	json_array_foreach(table, i, cells) {
		json_t *out = json_array();

		json_array_foreach(cells, j, cell)
			json_array_append_new(out, json_pack("{s:O,s:b}", "text", cell, "num", j == q->ndims));
		json_array_append_new(rows, json_pack("{s:o}", "cells", out));
	}
	json_object_set_new(c->view, "result", json_pack("{s:o,s:o,s:i,s:b,s:b,s:b,s:i}", "columns", columns,
	    "rows", rows, "count", (int)json_array_size(table), "truncated", truncated, "timed_out", timed_out,
	    "empty", json_array_size(table) == 0, "max_rows", CRM_REPORT_MAX_ROWS));
	if (!timed_out)
		json_object_set_new(c->view, "chart", chart_of(c, q, table));
	return 0;
}

json_t *
builder_summary(struct crm_ctx *c, const struct crm_report_sql *q, json_t *def)
{
	json_t *dims = json_array(), *filters = json_array(), *fl;
	size_t i;

	for (i = 0; i < q->ndims; i++)
		json_array_append_new(dims, json_string(dim_label(c, q, i)));
	json_array_foreach(json_object_get(def, "filters"), i, fl) {
		const struct crm_report_field *f = crm_report_field(q->entity,
		    json_string_value(json_object_get(fl, "field")));
		const char *op = json_string_value(json_object_get(fl, "op"));
		json_t *v = json_object_get(fl, "value"), *v2 = json_object_get(fl, "value2");

		json_array_append_new(filters, json_pack("{s:s,s:s,s:s,s:s}", "field", f ? crm_ctx_text(c, f->label) : "",
		    "op", crm_ctx_text(c, crm_report_op_label(op)),
		    "value", json_is_boolean(v) ? crm_ctx_text(c, json_is_true(v) ? N_("Yes") : N_("No")) : value_text(c, v),
		    "value2", value_text(c, v2)));
	}
	return json_pack("{s:s,s:s,s:o,s:o}", "entity", crm_ctx_text(c, q->entity->label),
	    "measure", measure_label(c, q), "groups", dims, "filters", filters);
}

int
builder_csv(struct crm_ctx *c, const struct crm_report_sql *q, const char *filename)
{
	json_t *table, *cells, *cell;
	int timed_out, truncated, status;
	size_t i, j;

	if ((status = run(c, q, &table, &timed_out, &truncated)) != 0)
		return status;
	if (timed_out)
		return crm_ctx_fail(c, 503, N_("The report took too long: narrow it with filters."));
	crm_buf_init(&c->raw, c->arena, 4096);
	crm_csv_bom(&c->raw);
	for (i = 0; i < q->ndims; i++)
		crm_csv_field(&c->raw, dim_label(c, q, i), i == 0);
	crm_csv_field(&c->raw, measure_label(c, q), q->ndims == 0);
	crm_csv_end_row(&c->raw);
	json_array_foreach(table, i, cells) {
		json_array_foreach(cells, j, cell)
			crm_csv_field(&c->raw, json_string_value(cell), j == 0);
		crm_csv_end_row(&c->raw);
	}
	c->content_type = "text/csv; charset=utf-8";
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena, "attachment; filename=\"%s\"", filename));
	return 200;
}
