/* GET /reports/leads: lead scoring (lib/crm_analytics_leads.c) as the
 * reader sees it: the decision tree's leaves as rules with the share of
 * their leads that converted, the logistic alternative's figures next to
 * the tree's, and the open leads the reader may see that the tree rates
 * likeliest to convert, a page of 50 at a time. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_buf.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

/* A rule's conditions in the reader's language from the parts the step
 * stored (crm_analytics_leads.c); the stored English text when a model
 * trained before the parts were kept has none. */
static const char *
conditions(struct crm_ctx *c, json_t *rule)
{
	json_t *parts = json_object_get(rule, "parts"), *p;
	struct crm_buf b;
	const char *op, *field, *name;
	char lo[48], hi[48];
	size_t i;

	if (!json_is_array(parts))
		return json_string_value(json_object_get(rule, "conditions"));
	crm_buf_init(&b, c->arena, 128);
	json_array_foreach(parts, i, p) {
		op = json_string_value(json_object_get(p, "op"));
		field = json_string_value(json_object_get(p, "field"));
		name = json_string_value(json_object_get(p, "name"));
		if (op == NULL)
			continue;
		if (i > 0)
			/* Its own msgid: a bare "and" is translated as in a range. */
			crm_buf_puts(&b, crm_ctx_text(c, N_(" and ")));
		snprintf(lo, sizeof(lo), "%g", json_number_value(json_object_get(p, "lo")));
		snprintf(hi, sizeof(hi), "%g", json_number_value(json_object_get(p, "hi")));
		if (field != NULL)
			crm_buf_printf(&b, "%s %s %s", crm_ctx_text(c, strcmp(field, "source") == 0 ? N_("source") :
			    N_("country")), strcmp(op, "is") == 0 ? "=" : "\xe2\x89\xa0",
			    json_string_value(json_object_get(p, "value")));
		else if (name == NULL)
			continue;
		else if (strcmp(op, "is") == 0)
			crm_buf_puts(&b, crm_ctx_text(c, name));
		else if (strcmp(op, "not") == 0)
			crm_buf_puts(&b, crm_ctx_text(c, json_string_value(json_object_get(p, "negated"))));
		else if (strcmp(op, "le") == 0)
			crm_buf_printf(&b, "%s \xe2\x89\xa4 %s", crm_ctx_text(c, name), hi);
		else if (strcmp(op, "gt") == 0)
			crm_buf_printf(&b, "%s > %s", crm_ctx_text(c, name), lo);
		else
			crm_buf_printf(&b, "%s < %s \xe2\x89\xa4 %s", lo, crm_ctx_text(c, name), hi);
	}
	return b.data != NULL ? b.data : "";
}

/* One model's figures: AUC and accuracy on the held-out leads. */
static json_t *
figures(struct crm_ctx *c, json_t *part)
{
	return json_pack("{s:s,s:s}", "auc", reports_churn_fixed(c, json_object_get(part, "auc"), 2),
	    "accuracy", reports_churn_percent(c, json_object_get(part, "accuracy")));
}

static void
model_view(struct crm_ctx *c, json_t *metrics)
{
	json_t *model = json_object_get(c->view, "model"), *tree = json_object_get(metrics, "tree");
	json_t *logit = json_object_get(metrics, "logit"), *rules = json_array(), *coefs = json_array(), *r, *t, *l;
	const char *cond;
	size_t i;

	json_array_foreach(json_object_get(tree, "rules"), i, r) {
		cond = conditions(c, r);
		json_array_append_new(rules, json_pack("{s:i,s:s,s:b,s:s,s:O}", "number", (int)i + 1,
		    "conditions", cond != NULL ? cond : "", "every", cond == NULL || *cond == '\0',
		    "share", reports_churn_percent(c, json_object_get(r, "share")), "count", json_object_get(r, "count")));
	}
	json_array_foreach(json_object_get(logit, "coefficients"), i, r) {
		double w = json_number_value(json_object_get(r, "coefficient"));

		const char *name = json_string_value(json_object_get(r, "feature"));

		/* The fixed features' names are msgids; a source or country
		 * value is data and stays as it is. */
		json_array_append_new(coefs, json_pack("{s:s,s:s,s:b,s:b}", "feature", name ? crm_ctx_text(c, name) : "",
		    "coefficient", crm_arena_printf(c->arena, "%+.3f", w), "raises", w > 0, "lowers", w < 0));
	}
	t = figures(c, tree);
	json_object_set(t, "max_depth", json_object_get(tree, "max_depth"));
	json_object_set(t, "min_leaf", json_object_get(tree, "min_leaf"));
	json_object_set_new(t, "rules", rules);
	l = figures(c, logit);
	json_object_set_new(l, "coefficients", coefs);
	json_object_set_new(model, "tree", t);
	json_object_set_new(model, "logit", l);
	json_object_set(model, "train_rows", json_object_get(metrics, "train_rows"));
	json_object_set(model, "test_rows", json_object_get(metrics, "test_rows"));
	json_object_set(model, "scored", json_object_get(metrics, "scored"));
	json_object_set_new(model, "converted_share", json_string(reports_churn_percent(c,
	    json_object_get(metrics, "converted_share"))));
}

int
reports_leads(struct crm_ctx *c)
{
	json_t *metrics = NULL, *rows = NULL, *row;
	size_t i;
	int have, rc;

	if ((have = reports_churn_model(c, "leads", &metrics)) < 0)
		return 500;
	if (have)
		model_view(c, metrics);
	if ((rc = reports_churn_page(c, STMT_LEADS_BEST, "/reports/leads", "tree_probability", &rows)) != 0)
		return rc;
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "tree_share", json_string(reports_churn_percent(c,
		    json_object_get(row, "tree_probability"))));
		json_object_set_new(row, "logit_share", json_string(reports_churn_percent(c,
		    json_object_get(row, "logit_probability"))));
	}
	json_object_set_new(c->view, "leads", rows);
	reports_nav(c, "leads");
	reports_flash(c);
	return 200;
}
