/* GET /reports/recommendations: what the baskets step found. The rules
 * in rank order as "customers who bought A (and B) also bought C" with
 * their support, confidence and lift, and for a product chosen from the
 * list (?product_id=) its most similar products and the rules that start
 * from it. */
#include <stdio.h>
#include <string.h>

#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

static const char *
percent(struct crm_ctx *c, double v)
{
	return crm_arena_printf(c->arena, "%.1f%%", v * 100);
}

/* The figures as words and the antecedent as one or two products. */
static void
rules_text(struct crm_ctx *c, json_t *rows)
{
	json_t *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		json_object_set_new(r, "support_text",
		    json_string(percent(c, json_real_value(json_object_get(r, "support")))));
		json_object_set_new(r, "confidence_text",
		    json_string(percent(c, json_real_value(json_object_get(r, "confidence")))));
		json_object_set_new(r, "lift_text", json_string(crm_arena_printf(c->arena, "%.2f",
		    json_real_value(json_object_get(r, "lift")))));
		json_object_set_new(r, "pair", json_boolean(json_is_integer(json_object_get(r, "b_id"))));
	}
}

static int
model_view(struct crm_ctx *c)
{
	json_t *row = NULL, *metrics;
	enum crm_err e = crm_db_row(c->db, STMT_BASKET_MODEL, NULL, 0, &row);

	if (e == CRM_ENOTFOUND)
		return 0;
	if (e != CRM_OK)
		return -1;
	metrics = json_loads(json_string_value(json_object_get(row, "metrics")), 0, NULL);
	if (metrics != NULL) {
		json_object_set_new(row, "min_support_text",
		    json_string(percent(c, json_number_value(json_object_get(metrics, "min_support")))));
		json_object_set_new(row, "min_confidence_text",
		    json_string(percent(c, json_number_value(json_object_get(metrics, "min_confidence")))));
		json_object_set_new(row, "metrics", metrics);
	}
	json_object_set_new(row, "trained_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(row, "trained_at")), 1)));
	json_object_set_new(c->view, "model", row);
	return 0;
}

/* The chosen product: its similar products and the rules from it. */
static int
product_view(struct crm_ctx *c, long long id)
{
	struct crm_db_bind b[3];
	json_t *product = NULL, *similar = NULL, *rules = NULL, *r;
	const char *text = crm_arena_printf(c->arena, "%lld", id);
	enum crm_err e;
	size_t i;

	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row(c->db, STMT_BASKET_PRODUCT, b, 1, &product)) == CRM_ENOTFOUND)
		return crm_ctx_fail(c, 404, N_("There is no such product."));
	if (e != CRM_OK || crm_db_rows(c->db, STMT_BASKET_SIMILAR, b, 1, &similar) != CRM_OK)
		return 500;
	crm_db_bind_str(&b[0], text, (size_t)-1);
	crm_db_bind_str(&b[1], text, (size_t)-1);
	crm_db_bind_str(&b[2], text, (size_t)-1);
	if (crm_db_rows(c->db, STMT_BASKET_PRODUCT_RULES, b, 3, &rules) != CRM_OK)
		return 500;
	json_array_foreach(similar, i, r)
		json_object_set_new(r, "cosine_text", json_string(crm_arena_printf(c->arena, "%.3f",
		    json_real_value(json_object_get(r, "cosine")))));
	rules_text(c, rules);
	json_object_set_new(product, "similar", similar);
	json_object_set_new(product, "rules", rules);
	json_object_set_new(c->view, "product", product);
	return 0;
}

int
reports_recommendations(struct crm_ctx *c)
{
	static const char *const keep[] = { "product_id", NULL };
	const char *pid = crm_ctx_query(c, "product_id"), *after = crm_ctx_query(c, "after_id");
	long long product_id = 0, after_id = 0;
	struct crm_db_bind b[1];
	json_t *rules = NULL, *products = NULL, *p;
	size_t i;
	int status;

	if ((pid != NULL && *pid != '\0' && !crm_valid_id(pid, &product_id)) ||
	    (after != NULL && !crm_valid_id(after, &after_id)))
		return crm_ctx_fail(c, 400, N_("The product or the page is not valid."));
	crm_db_bind_i64(&b[0], after_id);
	if (model_view(c) != 0 || crm_db_rows(c->db, STMT_BASKET_RULES, b, 1, &rules) != CRM_OK ||
	    crm_db_rows(c->db, STMT_BASKET_PRODUCTS, NULL, 0, &products) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rules, "/reports/recommendations", NULL, keep);
	rules_text(c, rules);
	json_array_foreach(products, i, p)
		if (json_integer_value(json_object_get(p, "id")) == product_id)
			json_object_set_new(p, "selected", json_true());
	json_object_set_new(c->view, "rules", rules);
	json_object_set_new(c->view, "products", products);
	if (product_id > 0 && (status = product_view(c, product_id)) != 0)
		return status;
	reports_nav(c, "recommendations");
	return 200;
}
