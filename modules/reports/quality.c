/* GET /reports/quality: what the quality step counted per entity and
 * field (missing, invalid and duplicate values), a chart of the worst
 * fields, and each problem's example records linked to the form where
 * they are fixed: the record's own page, whose form is the edit form. */
#include <stdlib.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_chart.h"
#include "crm_i18n.h"
#include "extern.h"

#define WORST 8         /* fields in the chart */

struct entity {
	const char *name, *label, *path, *form;
};

static const struct entity entities[] = {
	{ "accounts", N_("Accounts"), "/customers/accounts/", "account-form" },
	{ "contacts", N_("Contacts"), "/customers/contacts/", "contact-form" },
	{ "leads", N_("Leads"), "/sales/leads/", "lead-form" },
};

static const struct {
	const char *name, *label;
} field_labels[] = {
	{ "account", N_("Account") },
	{ "company", N_("Company") },
	{ "country", N_("Country") },
	{ "email", N_("E-mail") },
	{ "name", N_("Name") },
	{ "phone", N_("Phone") },
	{ "website", N_("Website") },
};

enum problem { PROBLEM_MISSING, PROBLEM_INVALID, PROBLEM_DUPLICATE, PROBLEM__MAX };
static const struct {
	const char *name, *label;
} problems[PROBLEM__MAX] = {
	{ "missing", N_("Missing") },           /* PROBLEM_MISSING */
	{ "invalid", N_("Invalid") },           /* PROBLEM_INVALID */
	{ "duplicate", N_("Duplicate") },       /* PROBLEM_DUPLICATE */
};

static const struct entity *
entity_of(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < CRM_NELEM(entities); i++)
		if (strcmp(entities[i].name, name) == 0)
			return &entities[i];
	return NULL;
}

static const char *
field_label(struct crm_ctx *c, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < CRM_NELEM(field_labels); i++)
		if (strcmp(field_labels[i].name, name) == 0)
			return crm_ctx_text(c, field_labels[i].label);
	return name;
}

static long long
total(json_t *f)
{
	return json_integer_value(json_object_get(f, "missing")) + json_integer_value(json_object_get(f, "invalid")) +
	    json_integer_value(json_object_get(f, "duplicate"));
}

/* Each field's problems, with their examples the reader may open. */
static void
fields_view(struct crm_ctx *c, json_t *fields, json_t *examples)
{
	json_t *f, *x;
	size_t i, j;
	enum problem p;

	json_array_foreach(fields, i, f) {
		const char *entity = json_string_value(json_object_get(f, "entity"));
		const char *field = json_string_value(json_object_get(f, "field"));
		const struct entity *en = entity_of(entity);
		int hidden = crm_auth_field_hidden(c->user, entity, field);
		json_t *list = json_array();

		json_object_set_new(f, "entity_label", json_string(en ? crm_ctx_text(c, en->label) : entity));
		json_object_set_new(f, "field_label", json_string(field_label(c, field)));
		json_object_set_new(f, "problems", json_integer(total(f)));
		for (p = PROBLEM_MISSING; p < PROBLEM__MAX; p++) {
			long long count = json_integer_value(json_object_get(f, problems[p].name));
			json_t *one, *ex = json_array();

			if (count == 0)
				continue;
			json_array_foreach(examples, j, x) {
				long long id = json_integer_value(json_object_get(x, "record_id"));

				if (strcmp(json_string_value(json_object_get(x, "entity")), entity) != 0 ||
				    strcmp(json_string_value(json_object_get(x, "field")), field) != 0 ||
				    strcmp(json_string_value(json_object_get(x, "problem")), problems[p].name) != 0)
					continue;
				one = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "value",
				    hidden ? "" : json_string_value(json_object_get(x, "value")),
				    "url", en ? crm_arena_printf(c->arena, "%s%lld#%s", en->path, id, en->form) : "");
				json_array_append_new(ex, one);
			}
			json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:o}", "problem", problems[p].name,
			    "label", crm_ctx_text(c, problems[p].label), "count", (json_int_t)count, "examples", ex));
		}
		json_object_set_new(f, "problem_list", list);
		json_object_set_new(f, "has_problems", json_boolean(json_array_size(list) > 0));
	}
}

static int
by_total(const void *a, const void *b)
{
	long long x = total(*(json_t *const *)a), y = total(*(json_t *const *)b);

	return (x < y) - (x > y);
}

/* The worst fields, most problems first, stacked by kind of problem. */
static json_t *
worst_chart(struct crm_ctx *c, json_t *fields)
{
	size_t n = json_array_size(fields), k = 0, i;
	json_t **sorted = crm_arena_alloc(c->arena, (n + 1) * sizeof(*sorted));
	const char **labels = crm_arena_alloc(c->arena, (WORST + 1) * sizeof(*labels));
	double *v[PROBLEM__MAX];
	struct crm_chart_series s[PROBLEM__MAX];
	struct crm_chart ch;
	enum problem p;

	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(fields, i);
	qsort(sorted, n, sizeof(*sorted), by_total);
	for (p = PROBLEM_MISSING; p < PROBLEM__MAX; p++)
		v[p] = crm_arena_alloc(c->arena, (WORST + 1) * sizeof(double));
	for (i = 0; i < n && k < WORST; i++) {
		if (total(sorted[i]) == 0)
			break;
		labels[k] = crm_arena_printf(c->arena, "%s: %s",
		    json_string_value(json_object_get(sorted[i], "entity_label")),
		    json_string_value(json_object_get(sorted[i], "field_label")));
		for (p = PROBLEM_MISSING; p < PROBLEM__MAX; p++)
			v[p][k] = (double)json_integer_value(json_object_get(sorted[i], problems[p].name));
		k++;
	}
	for (p = PROBLEM_MISSING; p < PROBLEM__MAX; p++)
		s[p] = (struct crm_chart_series){ crm_ctx_text(c, problems[p].label), v[p], NULL, 0 };
	ch = (struct crm_chart){ .kind = CRM_CHART_STACKED, .id = "chart-quality",
	    .title = crm_ctx_text(c, N_("The fields with the most problems")), .labels = labels, .nlabels = k,
	    .series = s, .nseries = PROBLEM__MAX, .label_title = crm_ctx_text(c, N_("Field")),
	    .format = reports_format_count };
	return crm_chart_view(c->arena, &ch);
}

int
reports_quality(struct crm_ctx *c)
{
	struct crm_db_bind b[15];
	json_t *fields = NULL, *examples = NULL;

	crm_auth_bind_scope(c->user, b);
	crm_auth_bind_scope(c->user, b + 5);
	crm_auth_bind_scope(c->user, b + 10);
	if (crm_db_rows(c->db, STMT_QUALITY, NULL, 0, &fields) != CRM_OK ||
	    crm_db_rows(c->db, STMT_QUALITY_EXAMPLES, b, 15, &examples) != CRM_OK)
		return 500;
	if (json_array_size(fields) > 0)
		json_object_set_new(c->view, "computed_at", json_string(crm_ctx_date(c,
		    json_string_value(json_object_get(json_array_get(fields, 0), "computed_at")), 1)));
	crm_ctx_localise_dates(c, fields, "computed_at");
	fields_view(c, fields, examples);
	json_object_set_new(c->view, "chart", worst_chart(c, fields));
	json_object_set_new(c->view, "fields", fields);
	reports_nav(c, "quality");
	return 200;
}
