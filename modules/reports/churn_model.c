/* What the churn and lead-scoring pages read from a trained model: its
 * row of analytics_models with the metrics parsed, and the formats of its
 * figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

int
reports_churn_model(struct crm_ctx *c, const char *name, json_t **metrics)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	const char *text;
	enum crm_err e;

	*metrics = NULL;
	crm_db_bind_str(&b[0], name, (size_t)-1);
	if ((e = crm_db_row(c->db, STMT_CHURN_MODEL, b, 1, &row)) == CRM_ENOTFOUND) {
		json_object_set_new(c->view, "model", json_null());
		return 0;
	}
	if (e != CRM_OK)
		return -1;
	text = json_string_value(json_object_get(row, "metrics"));
	if (text == NULL || (*metrics = json_loads(text, 0, NULL)) == NULL || !json_is_object(*metrics))
		return -1;
	json_object_del(row, "metrics");
	json_object_set_new(row, "trained_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(row, "trained_at")), 1)));
	json_object_set(c->view, "model", row);
	return 1;
}

static double
number(json_t *v)
{
	if (json_is_string(v))
		return strtod(json_string_value(v), NULL);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *
reports_churn_percent(struct crm_ctx *c, json_t *share)
{
	double v = number(share);

	return isfinite(v) ? crm_arena_printf(c->arena, "%.0f%%", 100.0 * v) : "";
}

const char *
reports_churn_fixed(struct crm_ctx *c, json_t *v, int decimals)
{
	double d = number(v);

	return isfinite(d) ? crm_arena_printf(c->arena, "%.*f", decimals, d) : "";
}
