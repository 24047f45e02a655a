/* The report builder as a plain HTML form: the entity is chosen first
 * (a small GET form, since every other menu depends on it), then the
 * measure, up to two groups, a period over a date, and filter rows
 * f<i>_field/op/value/value2. What is stored is the structured definition
 * of lib/crm_report.h, blank parts left out; a program may post that
 * definition itself as JSON. */
#include <stdio.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_valid.h"
#include "builder.h"

static void
set_text(json_t *obj, const char *key, const char *v)
{
	if (v != NULL && *v != '\0')
		json_object_set_new(obj, key, json_string(v));
}

static const char *
form_param(struct crm_ctx *c, int i, const char *what)
{
	char name[32];

	snprintf(name, sizeof(name), "f%d_%s", i, what);
	return crm_ctx_form(c, name);
}

static long long
role_id_of(const char *v)
{
	long long id = 0;

	if (v == NULL || *v == '\0' || !crm_valid_id(v, &id))
		return v != NULL && *v != '\0' ? -1 : 0;
	return id;
}

/* A JSON body: {"name", "shared_role_id", "definition", "preview"}. */
static int
read_json(struct crm_ctx *c, struct builder_form *f)
{
	json_t *body = json_loadb(c->body.data, c->body.len, JSON_REJECT_DUPLICATES, NULL), *v;

	if (!json_is_object(body))
		return 400;
	v = json_object_get(body, "name");
	f->name = json_is_string(v) ? json_string_value(v) : "";
	v = json_object_get(body, "shared_role_id");
	f->shared_role_id = json_is_integer(v) ? (json_integer_value(v) > 0 ? json_integer_value(v) : -1) :
	    json_is_string(v) ? role_id_of(json_string_value(v)) : v == NULL || json_is_null(v) ? 0 : -1;
	f->def = json_object_get(body, "definition");
	f->def = f->def != NULL ? json_incref(f->def) : json_object();
	f->preview = json_is_true(json_object_get(body, "preview"));
	return 0;
}

int
builder_form_read(struct crm_ctx *c, struct builder_form *f)
{
	const char *measure = crm_ctx_form_str(c, "measure");
	json_t *groups = json_array(), *filters = json_array();
	int i;

	memset(f, 0, sizeof(*f));
	if (c->body.len > 0)
		return read_json(c, f);
	f->name = crm_ctx_form_str(c, "name");
	f->shared_role_id = role_id_of(crm_ctx_form(c, "shared_role_id"));
	f->preview = crm_ctx_form(c, "preview") != NULL;
	f->def = json_object();
	set_text(f->def, "entity", crm_ctx_form(c, "entity"));
	set_text(f->def, "measure", measure);
	/* The menu keeps its choice when the measure becomes a count. */
	if (strcmp(measure, "count") != 0)
		set_text(f->def, "field", crm_ctx_form(c, "field"));
	if (*crm_ctx_form_str(c, "group1") != '\0')
		json_array_append_new(groups, json_string(crm_ctx_form_str(c, "group1")));
	if (*crm_ctx_form_str(c, "group2") != '\0')
		json_array_append_new(groups, json_string(crm_ctx_form_str(c, "group2")));
	json_object_set_new(f->def, "group_by", groups);
	set_text(f->def, "bucket", crm_ctx_form(c, "bucket"));
	if (*crm_ctx_form_str(c, "bucket") != '\0')
		set_text(f->def, "date_field", crm_ctx_form(c, "date_field"));
	/* One row past the cap, so going over it is an error rather than a
	 * filter silently left out. */
	for (i = 0; i <= CRM_REPORT_MAX_FILTERS; i++) {
		const char *field = form_param(c, i, "field");
		json_t *row;

		if (field == NULL || *field == '\0')
			continue;
		row = json_pack("{s:s}", "field", field);
		set_text(row, "op", form_param(c, i, "op"));
		set_text(row, "value", form_param(c, i, "value"));
		set_text(row, "value2", form_param(c, i, "value2"));
		json_array_append_new(filters, row);
	}
	json_object_set_new(f->def, "filters", filters);
	return 0;
}

void
builder_form_load(struct builder_form *f, json_t *report)
{
	json_t *role = json_object_get(report, "shared_role_id");

	memset(f, 0, sizeof(*f));
	f->name = json_string_value(json_object_get(report, "name"));
	f->shared_role_id = json_is_integer(role) ? json_integer_value(role) : 0;
	f->def = json_loads(json_string_value(json_object_get(report, "definition")), 0, NULL);
	if (!json_is_object(f->def))
		f->def = json_object();
}

static const char *
filter_error(struct crm_ctx *c, const struct crm_report_error *err)
{
	if (err->filter == 0)
		return crm_ctx_text(c, err->msgid);
	return crm_arena_printf(c->arena, "%s %zu: %s", crm_ctx_text(c, N_("Filter")), err->filter,
	    crm_ctx_text(c, err->msgid));
}

enum crm_err
builder_compile(struct crm_ctx *c, json_t *def, struct crm_report_sql *q)
{
	struct crm_report_reader r = { c->user->scope, c->user->user_id, c->user->team_id };
	struct crm_report_error err;
	size_t i;

	if (crm_report_compile(c->arena, def, &r, q, &err) != CRM_OK) {
		crm_ctx_field_error(c, err.key, filter_error(c, &err));
		/* The form's rows are the definition's filters, in order. */
		if (err.filter > 0)
			json_object_set_new(c->view, "bad_filter", json_integer((json_int_t)err.filter));
		return CRM_EINVAL;
	}
	if (!crm_auth_can(c->user, q->entity->perm)) {
		crm_ctx_field_error(c, "entity", N_("Your role may not see these records."));
		return CRM_EINVAL;
	}
	for (i = 0; i < q->nused; i++)
		if (crm_auth_field_hidden(c->user, q->entity->rules, q->used[i]->name)) {
			crm_ctx_field_error(c, "entity", N_("The report uses a field your role may not see."));
			return CRM_EINVAL;
		}
	return CRM_OK;
}

static const char *
def_text(json_t *def, const char *key)
{
	const char *v = json_string_value(json_object_get(def, key));

	return v != NULL ? v : "";
}

static json_t *
item(const char *name, const char *label, const char *selected)
{
	return json_pack("{s:s,s:s,s:b}", "name", name, "label", label, "selected", strcmp(name, selected) == 0);
}

/* The entity's fields that may be used (uses), for a select. */
static json_t *
field_menu(struct crm_ctx *c, const struct crm_report_entity *e, unsigned uses, const char *selected)
{
	json_t *menu = json_array();
	size_t i;

	for (i = 0; e != NULL && i < e->nfields; i++)
		if (e->fields[i].uses & uses)
			json_array_append_new(menu, item(e->fields[i].name, crm_ctx_text(c, e->fields[i].label), selected));
	return menu;
}

static json_t *
list_menu(struct crm_ctx *c, const char *const *names, const char *(*label)(const char *), const char *selected)
{
	json_t *menu = json_array();
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		json_array_append_new(menu, item(names[i], crm_ctx_text(c, label(names[i])), selected));
	return menu;
}

static json_t *
filter_rows(struct crm_ctx *c, const struct crm_report_entity *e, json_t *filters)
{
	static const char *const ops[] = { "eq", "ne", "contains", "starts_with", "gt", "lt", "between",
		"within_days", "is_empty", "not_empty", NULL };
	json_t *rows = json_array(), *fl, *row;
	size_t i, n = json_array_size(filters) + BUILDER_BLANK_FILTERS;
	json_int_t bad = json_integer_value(json_object_get(c->view, "bad_filter"));

	if (n > CRM_REPORT_MAX_FILTERS)
		n = CRM_REPORT_MAX_FILTERS;
	if (json_array_size(filters) > n)
		n = json_array_size(filters);
	for (i = 0; i < n; i++) {
		fl = json_array_get(filters, i);
		row = json_pack("{s:s,s:i,s:o,s:o,s:s,s:s,s:b}",
		    "key", crm_arena_printf(c->arena, "f%zu", i), "n", (int)i + 1,
		    "fields", field_menu(c, e, CRM_REPORT_FILTER, def_text(fl, "field")),
		    "ops", list_menu(c, ops, crm_report_op_label, def_text(fl, "op")),
		    "value", json_is_integer(json_object_get(fl, "value")) ? crm_arena_printf(c->arena, "%lld",
		    (long long)json_integer_value(json_object_get(fl, "value"))) : def_text(fl, "value"),
		    "value2", json_is_integer(json_object_get(fl, "value2")) ? crm_arena_printf(c->arena, "%lld",
		    (long long)json_integer_value(json_object_get(fl, "value2"))) : def_text(fl, "value2"),
		    "error", bad == (json_int_t)i + 1);
		json_array_append_new(rows, row);
	}
	return rows;
}

int
builder_form_view(struct crm_ctx *c, const struct builder_form *f)
{
	const char *entity = def_text(f->def, "entity");
	const struct crm_report_entity *e = crm_report_entity(entity);
	json_t *groups = json_object_get(f->def, "group_by"), *entities = json_array(), *roles = NULL, *row;
	const char *g1 = json_is_string(json_array_get(groups, 0)) ? json_string_value(json_array_get(groups, 0)) : "";
	const char *g2 = json_is_string(json_array_get(groups, 1)) ? json_string_value(json_array_get(groups, 1)) : "";
	const struct crm_report_entity *ent;
	size_t i;

	for (i = 0; (ent = crm_report_entity_at(i)) != NULL; i++)
		if (crm_auth_can(c->user, ent->perm))
			json_array_append_new(entities, item(ent->name, crm_ctx_text(c, ent->label), entity));
	if (crm_db_rows(c->db, STMT_SAVED_ROLES, NULL, 0, &roles) != CRM_OK)
		return 500;
	json_array_foreach(roles, i, row)
		json_object_set_new(row, "selected", json_boolean(json_integer_value(json_object_get(row, "id")) ==
		    f->shared_role_id));
	json_object_set_new(c->view, "form", json_pack("{s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "name", f->name ? f->name : "", "entity", entity,
	    "entity_label", e != NULL ? crm_ctx_text(c, e->label) : "", "chosen", e != NULL,
	    "measures", list_menu(c, crm_report_measures, crm_report_measure_label, def_text(f->def, "measure")),
	    "sum_fields", field_menu(c, e, CRM_REPORT_SUM, def_text(f->def, "field")),
	    "group1", field_menu(c, e, CRM_REPORT_GROUP, g1),
	    "group2", field_menu(c, e, CRM_REPORT_GROUP, g2),
	    "buckets", list_menu(c, crm_report_buckets, crm_report_bucket_label, def_text(f->def, "bucket")),
	    "date_fields", field_menu(c, e, CRM_REPORT_BUCKET, def_text(f->def, "date_field")),
	    "filters", filter_rows(c, e, json_object_get(f->def, "filters"))));
	json_object_set_new(c->view, "choices", crm_report_choices_view(c, e));
	json_object_set_new(c->view, "entities", entities);
	json_object_set_new(c->view, "roles", roles);
	json_object_set(c->view, "definition", f->def);
	reports_nav(c, "saved");
	return 200;
}
