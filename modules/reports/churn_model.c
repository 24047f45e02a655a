/* What the churn and lead-scoring pages read from a trained model: its
 * row of analytics_models with the metrics parsed, and the formats of its
 * figures. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_i18n.h"
#include "crm_valid.h"
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

/* A stored probability as the list's keyset: "", "0", "1" or "0." with up
 * to four digits (DECIMAL(5,4) as the database writes it). */
static int
valid_probability(const char *s)
{
	size_t i;

	if (*s == '\0' || strcmp(s, "1") == 0 || strcmp(s, "1.0000") == 0 || strcmp(s, "0") == 0)
		return 1;
	if (strncmp(s, "0.", 2) != 0 || strlen(s) > 6 || s[2] == '\0')
		return 0;
	for (i = 2; s[i]; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
reports_churn_page(struct crm_ctx *c, size_t stmt, const char *path, const char *key, json_t **rows)
{
	const char *after = crm_ctx_query_str(c, "after"), *after_s = crm_ctx_query(c, "after_id");
	struct crm_db_bind b[9];
	long long after_id = 0;

	if (!valid_probability(after) || (after_s != NULL && !crm_valid_id(after_s, &after_id)))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_str(&b[0], after, (size_t)-1);
	crm_db_bind_str(&b[1], after, (size_t)-1);
	crm_db_bind_str(&b[2], after, (size_t)-1);
	crm_db_bind_i64(&b[3], after_id);
	crm_auth_bind_scope(c->user, b + 4);
	if (crm_db_rows(c->db, stmt, b, 9, rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, *rows, path, key, NULL);
	json_object_set_new(c->view, "after", json_boolean(*after != '\0'));
	return 0;
}
