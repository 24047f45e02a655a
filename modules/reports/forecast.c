/* GET /reports/forecast: the sales forecast the forecast step stored
 * (lib/crm_analytics_forecast.c): actual, fitted or predicted revenue per
 * month with its 95% interval as a line chart and a table, and the fit's
 * figures (R^2, residual standard deviation, months used, when it was
 * trained, each coefficient with its standard error). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_chart.h"
#include "crm_i18n.h"
#include "extern.h"

/* The terms as the step names them, in the page's words. */
static const struct {
	const char *term, *label;
} terms[] = {
	{ "intercept", N_("Intercept") }, { "trend", N_("Trend per month") },
	{ "February", N_("February") }, { "March", N_("March") }, { "April", N_("April") },
	{ "May", N_("May") }, { "June", N_("June") }, { "July", N_("July") }, { "August", N_("August") },
	{ "September", N_("September") }, { "October", N_("October") }, { "November", N_("November") },
	{ "December", N_("December") },
};

static const char *
term_label(struct crm_ctx *c, const char *term)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(terms); i++)
		if (term != NULL && strcmp(terms[i].term, term) == 0)
			return crm_ctx_text(c, terms[i].label);
	return term != NULL ? term : "";
}

static const char *
money(struct crm_ctx *c, double v)
{
	return reports_format_money(NULL, c->arena, v);
}

/* The model's figures, formatted for people; NULL when never trained. */
static json_t *
model_view(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	json_t *row = NULL, *m, *coef, *out, *list = json_array(), *k;
	size_t i;
	enum crm_err e;

	crm_db_bind_str(&b[0], "forecast", (size_t)-1);
	if ((e = crm_db_row(c->db, STMT_MODEL_GET, b, 1, &row)) == CRM_ENOTFOUND)
		return json_null();
	if (e != CRM_OK || (m = json_loads(json_string_value(json_object_get(row, "metrics")), 0, NULL)) == NULL)
		return NULL;
	coef = json_object_get(m, "coefficients");
	json_array_foreach(coef, i, k) {
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
		    "term", json_string_value(json_object_get(k, "term")),
		    "label", term_label(c, json_string_value(json_object_get(k, "term"))),
		    "value", crm_arena_printf(c->arena, "%.2f", json_real_value(json_object_get(k, "value"))),
		    "se", crm_arena_printf(c->arena, "%.2f", json_real_value(json_object_get(k, "se")))));
	}
	out = json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o}",
	    "trained_at", crm_ctx_date(c, json_string_value(json_object_get(row, "trained_at")), 1),
	    "months_used", json_integer_value(json_object_get(m, "months_used")),
	    "r2", crm_arena_printf(c->arena, "%.3f", json_real_value(json_object_get(m, "r2"))),
	    "residual_sd", money(c, json_real_value(json_object_get(m, "residual_sd"))),
	    "residual_sd_value", crm_arena_printf(c->arena, "%.2f", json_real_value(json_object_get(m, "residual_sd"))),
	    "seasonal_terms", json_integer_value(json_object_get(m, "seasonal_terms")),
	    "first_month", json_string_value(json_object_get(m, "first_month")),
	    "last_month", json_string_value(json_object_get(m, "last_month")),
	    "coefficients", list, "all_seasons", json_boolean(json_integer_value(json_object_get(m, "seasonal_terms")) == 11));
	return out;
}

static double
num(json_t *v)
{
	return json_is_string(v) ? strtod(json_string_value(v), NULL) : NAN;
}

int
reports_forecast(struct crm_ctx *c)
{
	json_t *rows = NULL, *row, *model;
	struct crm_chart_series s[4];
	struct crm_chart ch;
	const char **labels;
	double *v[4];
	size_t i, n, j;
	static const char *const cols[4] = { "actual", "predicted", "lower_bound", "upper_bound" };

	if (crm_db_rows(c->db, STMT_FORECAST_ROWS, NULL, 0, &rows) != CRM_OK || (model = model_view(c)) == NULL)
		return 500;
	n = json_array_size(rows);
	labels = crm_arena_alloc(c->arena, (n + 1) * sizeof(*labels));
	for (j = 0; j < 4; j++)
		v[j] = crm_arena_alloc(c->arena, (n + 1) * sizeof(double));
	json_array_foreach(rows, i, row) {
		labels[i] = json_string_value(json_object_get(row, "month"));
		for (j = 0; j < 4; j++)
			v[j][i] = num(json_object_get(row, cols[j]));
		json_object_set_new(row, "future", json_boolean(json_is_null(json_object_get(row, "actual"))));
		json_object_set_new(row, "actual_text", json_string(isnan(v[0][i]) ? "" : money(c, v[0][i])));
		json_object_set_new(row, "predicted_text", json_string(money(c, v[1][i])));
		json_object_set_new(row, "lower_text", json_string(money(c, v[2][i])));
		json_object_set_new(row, "upper_text", json_string(money(c, v[3][i])));
	}
	s[0] = (struct crm_chart_series){ crm_ctx_text(c, N_("Actual")), v[0], NULL, 0 };
	s[1] = (struct crm_chart_series){ crm_ctx_text(c, N_("Predicted")), v[1], NULL, 0 };
	s[2] = (struct crm_chart_series){ crm_ctx_text(c, N_("Lower bound (95%)")), v[2], NULL, 0 };
	s[3] = (struct crm_chart_series){ crm_ctx_text(c, N_("Upper bound (95%)")), v[3], NULL, 0 };
	ch = (struct crm_chart){ .kind = CRM_CHART_LINE, .id = "chart-forecast",
	    .title = crm_ctx_text(c, N_("Revenue per month: actual, predicted, and the lower and upper bounds")),
	    .labels = labels, .nlabels = n, .series = s, .nseries = 4,
	    .label_title = crm_ctx_text(c, N_("Month")), .format = reports_format_money };
	json_object_set_new(c->view, "chart", n > 0 ? crm_chart_view(c->arena, &ch) : json_null());
	json_object_set_new(c->view, "forecast", rows);
	json_object_set_new(c->view, "model", model);
	reports_nav(c, "forecast");
	reports_flash(c);
	return 200;
}
