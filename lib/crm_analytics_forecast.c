/* The forecast step: order revenue per month (every owner's, from the
 * kept order_month_totals), complete months only and at most the last
 * 36, fitted by seasonal least squares (analytics/ols.h); sales_forecast
 * gets each past month (its actual figure, the fitted value and interval)
 * and the next CRM_FORECAST_AHEAD months (the prediction and its 95%
 * interval), replaced whole with the model's figures in
 * analytics_models('forecast'). A month inside the history without an
 * order counts as 0. Under CRM_FORECAST_MIN_MONTHS months the step says
 * so and leaves the previous forecast standing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/ols.h"
#include "crm.h"
#include "crm_analytics.h"

#define CRM_FORECAST_AHEAD 6
#define CRM_FORECAST_MIN_MONTHS 4

/* ago: 1 for last month, up to 36; this month is not complete. A month
 * whose orders were all deleted or cancelled keeps its row at 0 orders:
 * it must not start the history. */
static const char input_sql[] =
    "SELECT YEAR(month) AS y, MONTH(month) AS m,"
    " PERIOD_DIFF(DATE_FORMAT(UTC_DATE(), '%Y%m'), DATE_FORMAT(month, '%Y%m')) AS ago,"
    " SUM(revenue) AS revenue FROM order_month_totals"
    " WHERE month >= UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY - INTERVAL 36 MONTH"
    " AND month < UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY"
    " GROUP BY month HAVING SUM(orders) > 0 ORDER BY month";
static const char clear_sql[] = "DELETE FROM sales_forecast";
static const char put_head[] = "INSERT INTO sales_forecast (month, actual, predicted, lower_bound, upper_bound) VALUES";
static const char model_sql[] = "REPLACE INTO analytics_models (name, trained_at, rows_used, metrics)"
    " VALUES ('forecast', UTC_TIMESTAMP(), ?, ?)";

struct forecast_put {
	const struct crm_ols *fit;
	const double *y;
	int year0, month0;      /* the first month fitted, month 1..12 */
	size_t n;
	char (*text)[5][32];    /* per row: month, actual, predicted, lower, upper */
	const char *metrics;
};

static void
month_of(const struct forecast_put *s, size_t t, char *buf, size_t len)
{
	int k = s->month0 - 1 + (int)t;

	snprintf(buf, len, "%04d-%02d-01", s->year0 + k / 12, k % 12 + 1);
}

static void
bind_row(void *arg, size_t t, struct crm_db_bind *b)
{
	struct forecast_put *s = arg;
	double yhat, lo, hi;

	crm_ols_predict(s->fit, t, &yhat, &lo, &hi);
	month_of(s, t, s->text[t][0], sizeof(s->text[t][0]));
	snprintf(s->text[t][1], sizeof(s->text[t][1]), "%.2f", t < s->n ? s->y[t] : 0.0);
	snprintf(s->text[t][2], sizeof(s->text[t][2]), "%.2f", yhat);
	snprintf(s->text[t][3], sizeof(s->text[t][3]), "%.2f", lo);
	snprintf(s->text[t][4], sizeof(s->text[t][4]), "%.2f", hi);
	crm_db_bind_str(&b[0], s->text[t][0], (size_t)-1);
	crm_db_bind_str(&b[1], t < s->n ? s->text[t][1] : NULL, (size_t)-1);
	crm_db_bind_str(&b[2], s->text[t][2], (size_t)-1);
	crm_db_bind_str(&b[3], s->text[t][3], (size_t)-1);
	crm_db_bind_str(&b[4], s->text[t][4], (size_t)-1);
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct forecast_put *s = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	if ((e = crm_db_exec_sql(db, clear_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_analytics_insert(db, put_head, "", 5, s->n + CRM_FORECAST_AHEAD, bind_row, s)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], (long long)s->n);
	crm_db_bind_str(&b[1], s->metrics, (size_t)-1);
	return crm_db_exec_sql(db, model_sql, b, 2, NULL, NULL);
}

/* The fit's figures for the reports page: each coefficient with its
 * standard error, R^2, the residual standard deviation, the months. */
static char *
metrics_of(const struct forecast_put *s)
{
	static const char *const month_names[12] = { "January", "February", "March", "April", "May", "June",
	    "July", "August", "September", "October", "November", "December" };
	const struct crm_ols *f = s->fit;
	json_t *m, *coef = json_array();
	char first[16], last[16], *text;
	size_t k;

	for (k = 0; k < f->p; k++)
		json_array_append_new(coef, json_pack("{s:s, s:f, s:f}", "term",
		    k == 0 ? "intercept" : k == 1 ? "trend" : month_names[f->col_moy[k]],
		    "value", f->coef[k], "se", f->se[k]));
	month_of(s, 0, first, sizeof(first));
	month_of(s, s->n - 1, last, sizeof(last));
	m = json_pack("{s:o, s:f, s:f, s:f, s:I, s:I, s:I, s:s, s:s, s:I}", "coefficients", coef,
	    "r2", f->r2, "residual_sd", sqrt(f->sigma2), "residual_variance", f->sigma2,
	    "months_used", (json_int_t)s->n, "parameters", (json_int_t)f->p,
	    "seasonal_terms", (json_int_t)(f->p - 2), "first_month", first, "last_month", last,
	    "months_ahead", (json_int_t)CRM_FORECAST_AHEAD);
	text = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	return text;
}

enum crm_err
crm_analytics_forecast(struct crm_db *db, struct crm_analytics_out *out)
{
	struct forecast_put s = { 0 };
	struct crm_ols fit;
	json_t *rows = NULL, *row;
	double *y;
	size_t i, n, t;
	enum crm_err e;

	if ((e = crm_db_rows_sql(db, input_sql, NULL, 0, &rows)) != CRM_OK)
		return e;
	/* From the first month with an order to last month, gaps as 0. */
	n = json_array_size(rows) > 0 ? (size_t)json_integer_value(json_object_get(json_array_get(rows, 0), "ago")) : 0;
	if (n < CRM_FORECAST_MIN_MONTHS) {
		snprintf(out->summary, sizeof(out->summary), "%zu complete months of orders: the forecast needs at least %d,"
		    " so the previous one stands", n, CRM_FORECAST_MIN_MONTHS);
		json_decref(rows);
		return CRM_OK;
	}
	y = crm_xcalloc(n, sizeof(*y));
	json_array_foreach(rows, i, row) {
		t = n - (size_t)json_integer_value(json_object_get(row, "ago"));
		if (t < n)
			y[t] = strtod(json_string_value(json_object_get(row, "revenue")), NULL);
	}
	row = json_array_get(rows, 0);
	s.year0 = (int)json_integer_value(json_object_get(row, "y"));
	s.month0 = (int)json_integer_value(json_object_get(row, "m"));
	json_decref(rows);
	if (crm_ols_fit(y, n, s.month0 - 1, &fit) != CRM_OK) {
		snprintf(out->error, sizeof(out->error), "The monthly revenue could not be fitted.");
		free(y);
		return CRM_EINVAL;
	}
	s.fit = &fit;
	s.y = y;
	s.n = n;
	s.text = crm_xmalloc((n + CRM_FORECAST_AHEAD) * sizeof(*s.text));
	s.metrics = metrics_of(&s);
	if ((e = crm_db_tx(db, put_tx, &s)) == CRM_OK)
		snprintf(out->summary, sizeof(out->summary), "%zu months fitted (R\xc2\xb2 %.3f), %d months ahead forecast",
		    n, fit.r2, CRM_FORECAST_AHEAD);
	free((char *)s.metrics);
	free(s.text);
	free(y);
	return e;
}
