/* GET /reports/churn: the churn model (lib/crm_analytics_churn.c) as the
 * reader sees it: how well it did on the customers it did not learn from
 * and when it was trained, what each feature weighs, how many customers
 * fall in each band of risk (kept with the model), and the riskiest
 * customers the reader may see, a page of 50 at a time. */
#include <ctype.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_chart.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

static const struct {
	const char *name, *label;
} features[] = {
	{ "recency", N_("Days since the last order") },
	{ "frequency", N_("Orders") },
	{ "spend_trend", N_("Spend trend (last 180 days against the 180 before)") },
	{ "tickets", N_("Tickets in the last year") },
	{ "csat", N_("Mean satisfaction score") },
};

static const char *const band_labels[] = { "0-20%", "20-40%", "40-60%", "60-80%", "80-100%" };

static void
model_view(struct crm_ctx *c, json_t *metrics)
{
	json_t *model = json_object_get(c->view, "model"), *coefs = json_array(), *coef, *bands;
	struct crm_chart_series s;
	struct crm_chart ch;
	double *counts;
	const char *name;
	size_t i, j;

	json_object_set_new(model, "auc", json_string(reports_churn_fixed(c, json_object_get(metrics, "auc"), 2)));
	json_object_set_new(model, "accuracy", json_string(reports_churn_percent(c, json_object_get(metrics, "accuracy"))));
	json_object_set_new(model, "churned_share", json_string(reports_churn_percent(c,
	    json_object_get(metrics, "churned_share"))));
	json_object_set(model, "cutoff", json_object_get(metrics, "cutoff"));
	json_object_set(model, "train_rows", json_object_get(metrics, "train_rows"));
	json_object_set(model, "test_rows", json_object_get(metrics, "test_rows"));
	json_object_set(model, "scored", json_object_get(metrics, "scored"));
	json_array_foreach(json_object_get(metrics, "coefficients"), i, coef) {
		double w = json_number_value(json_object_get(coef, "coefficient"));

		name = json_string_value(json_object_get(coef, "feature"));
		for (j = 0; j < CRM_NELEM(features) && (name == NULL || strcmp(features[j].name, name) != 0); j++)
			;
		json_array_append_new(coefs, json_pack("{s:s,s:s,s:s,s:b,s:b}", "feature", name ? name : "",
		    "label", j < CRM_NELEM(features) ? crm_ctx_text(c, features[j].label) : name ? name : "",
		    "coefficient", crm_arena_printf(c->arena, "%+.3f", w), "raises", w > 0, "lowers", w < 0));
	}
	json_object_set_new(model, "coefficients", coefs);
	bands = json_object_get(metrics, "bands");
	counts = crm_arena_alloc(c->arena, CRM_NELEM(band_labels) * sizeof(*counts));
	for (i = 0; i < CRM_NELEM(band_labels); i++)
		counts[i] = (double)json_integer_value(json_array_get(bands, i));
	s = (struct crm_chart_series){ crm_ctx_text(c, N_("Customers")), counts, NULL, 0 };
	ch = (struct crm_chart){ .kind = CRM_CHART_BAR, .id = "chart-churn-bands",
	    .title = crm_ctx_text(c, N_("Customers by churn probability")), .labels = band_labels,
	    .nlabels = CRM_NELEM(band_labels), .series = &s, .nseries = 1,
	    .label_title = crm_ctx_text(c, N_("Churn probability")), .format = reports_format_count };
	json_object_set_new(c->view, "chart", crm_chart_view(c->arena, &ch));
}

int
reports_churn(struct crm_ctx *c)
{
	json_t *metrics = NULL, *rows = NULL, *row;
	size_t i;
	int have, rc;

	if ((have = reports_churn_model(c, "churn", &metrics)) < 0)
		return 500;
	if (have)
		model_view(c, metrics);
	if ((rc = reports_churn_page(c, STMT_CHURN_RISKIEST, "/reports/churn", "churn_probability", &rows)) != 0)
		return rc;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "risk", json_string(reports_churn_percent(c, json_object_get(row, "churn_probability"))));
	json_object_set_new(c->view, "customers", rows);
	reports_nav(c, "churn");
	reports_flash(c);
	return 200;
}
