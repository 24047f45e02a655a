/* The segment builder as a plain HTML form: groups g<i> of condition rows
 * g<i>_c<j>_field/op/value/value2/category/days. Adding and removing a
 * row or a group are submit buttons that post the form and show it again
 * changed, so it works without JavaScript; the rows are renumbered on
 * each showing. What is stored is the structured definition of
 * lib/crm_segment.h, blank rows left out. */
#include <stdio.h>
#include <string.h>

#include "crm_valid.h"
#include "segment.h"

static const char *const cond_keys[] = { "field", "op", "value", "value2", "category", "days", NULL };

/* Every operator, in the menus' order; the compiler says which apply. */
static const char *const all_ops[] = {
	"eq", "ne", "contains", "starts_with", "in", "gt", "lt", "between", "within_days", "none_within_days",
	"is_empty", "not_empty", NULL,
};

static const char *
row_param(struct crm_ctx *c, int g, int k, const char *what)
{
	char name[64];

	if (k < 0)
		snprintf(name, sizeof(name), "g%d_%s", g, what);
	else
		snprintf(name, sizeof(name), "g%d_c%d_%s", g, k, what);
	return crm_ctx_form(c, name);
}

static json_t *
blank_condition(void)
{
	return json_pack("{s:s,s:s}", "field", "", "op", "eq");
}

static json_t *
blank_group(void)
{
	return json_pack("{s:s,s:[o]}", "match", "all", "conditions", blank_condition());
}

static const char *
match_of(const char *v)
{
	return v != NULL && strcmp(v, "any") == 0 ? "any" : "all";
}

/* def without blank rows, empty groups and empty members: what is stored
 * and compiled; keys maps its places back to the form's rows. */
static void
strip(struct segment_form *f)
{
	json_t *groups = json_array(), *g, *cond, *conds, *gkeys;
	const char *const *k;
	size_t gi, ci;

	f->keys = json_array();
	json_array_foreach(json_object_get(f->def, "groups"), gi, g) {
		conds = json_array();
		gkeys = json_array();
		json_array_foreach(json_object_get(g, "conditions"), ci, cond) {
			const char *field = json_string_value(json_object_get(cond, "field"));
			json_t *clean = json_object();

			if (field == NULL || *field == '\0') {
				json_decref(clean);
				continue;
			}
			for (k = cond_keys; *k; k++) {
				const char *v = json_string_value(json_object_get(cond, *k));

				if (v != NULL && *v != '\0')
					json_object_set_new(clean, *k, json_string(v));
			}
			json_array_append_new(conds, clean);
			json_array_append_new(gkeys, json_sprintf("g%zu_c%zu", gi, ci));
		}
		if (json_array_size(conds) == 0) {
			json_decref(conds);
			json_decref(gkeys);
			continue;
		}
		json_array_append_new(groups, json_pack("{s:s,s:o}", "match",
		    match_of(json_string_value(json_object_get(g, "match"))), "conditions", conds));
		json_array_append_new(f->keys, gkeys);
	}
	f->saved = json_pack("{s:s,s:o}", "match", match_of(json_string_value(json_object_get(f->def, "match"))),
	    "groups", groups);
}

void
segment_form_read(struct crm_ctx *c, struct segment_form *f)
{
	const char *remove = crm_ctx_form(c, "remove"), *add = crm_ctx_form(c, "add_condition");
	const char *text = crm_ctx_form(c, "conditions");
	json_t *groups = json_array();
	int g, k;

	/* A program may send the definition itself, as JSON text, instead
	 * of the rows (what GET .../:id answers in "segment.conditions"). */
	if (text != NULL) {
		const char *action = crm_ctx_form(c, "count") ? "count" : "save";
		json_t *def = json_loads(text, JSON_REJECT_DUPLICATES, NULL);

		segment_form_load(c, f, json_pack("{s:s,s:s,s:s}", "name", crm_ctx_form_str(c, "name"),
		    "description", crm_ctx_form_str(c, "description"), "conditions", text));
		f->action = action;
		if (!json_is_object(def)) {
			/* Not even JSON: the compiler says what it should be. */
			json_decref(f->saved);
			f->saved = json_null();
		}
		json_decref(def);
		return;
	}
	memset(f, 0, sizeof(*f));
	f->name = crm_ctx_form_str(c, "name");
	f->description = crm_ctx_form_str(c, "description");
	f->action = crm_ctx_form(c, "count") ? "count" : "save";
	/* One past each cap, so that going over it is an error, not a row
	 * silently left out. */
	for (g = 0; g <= CRM_SEGMENT_MAX_GROUPS; g++) {
		json_t *conds = json_array();
		char key[32];

		if (row_param(c, g, -1, "match") == NULL)
			continue;
		snprintf(key, sizeof(key), "g%d", g);
		if (remove != NULL && strcmp(remove, key) == 0) {
			json_decref(conds);
			f->action = "edit";
			continue;
		}
		for (k = 0; k <= CRM_SEGMENT_MAX_CONDITIONS; k++) {
			const char *const *ck;
			json_t *cond;

			if (row_param(c, g, k, "field") == NULL)
				continue;
			snprintf(key, sizeof(key), "g%d_c%d", g, k);
			if (remove != NULL && strcmp(remove, key) == 0) {
				f->action = "edit";
				continue;
			}
			cond = json_object();
			for (ck = cond_keys; *ck; ck++) {
				const char *v = row_param(c, g, k, *ck);

				json_object_set_new(cond, *ck, json_string(v != NULL ? v : ""));
			}
			json_array_append_new(conds, cond);
		}
		snprintf(key, sizeof(key), "g%d", g);
		if (add != NULL && strcmp(add, key) == 0) {
			json_array_append_new(conds, blank_condition());
			f->action = "edit";
		}
		json_array_append_new(groups, json_pack("{s:s,s:o}", "match",
		    match_of(row_param(c, g, -1, "match")), "conditions", conds));
	}
	if (crm_ctx_form(c, "add_group") != NULL && json_array_size(groups) < CRM_SEGMENT_MAX_GROUPS) {
		json_array_append_new(groups, blank_group());
		f->action = "edit";
	}
	if (json_array_size(groups) == 0)
		json_array_append_new(groups, blank_group());
	f->def = json_pack("{s:s,s:o}", "match", match_of(crm_ctx_form(c, "match")), "groups", groups);
	strip(f);
}

/* A stored value as the form's text: "in" lists joined by commas. */
static const char *
as_text(struct crm_ctx *c, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	if (json_is_array(v)) {
		struct crm_buf b;
		json_t *item;
		size_t i;

		crm_buf_init(&b, c->arena, 64);
		json_array_foreach(v, i, item)
			if (json_is_string(item)) {
				if (b.len > 0)
					crm_buf_puts(&b, ", ");
				crm_buf_puts(&b, json_string_value(item));
			}
		return b.data;
	}
	return "";
}

void
segment_form_load(struct crm_ctx *c, struct segment_form *f, json_t *segment)
{
	json_t *stored = json_loads(json_string_value(json_object_get(segment, "conditions")), 0, NULL);
	json_t *groups = json_array(), *g, *cond;
	size_t gi, ci;

	memset(f, 0, sizeof(*f));
	f->name = json_string_value(json_object_get(segment, "name"));
	f->description = json_string_value(json_object_get(segment, "description"));
	f->action = "edit";
	json_array_foreach(json_object_get(stored, "groups"), gi, g) {
		json_t *conds = json_array();

		json_array_foreach(json_object_get(g, "conditions"), ci, cond) {
			const char *const *k;
			json_t *row = json_object();

			for (k = cond_keys; *k; k++)
				json_object_set_new(row, *k, json_string(as_text(c, json_object_get(cond, *k))));
			json_array_append_new(conds, row);
		}
		json_array_append_new(groups, json_pack("{s:s,s:o}", "match",
		    match_of(json_string_value(json_object_get(g, "match"))), "conditions", conds));
	}
	if (json_array_size(groups) == 0)
		json_array_append_new(groups, blank_group());
	f->def = json_pack("{s:s,s:o}", "match", match_of(json_string_value(json_object_get(stored, "match"))),
	    "groups", groups);
	strip(f);
}

/* What a kind takes, for the builder's script: its operators, and
 * whether it reads the category and days inputs ("ops", "extra"). */
static json_t *
menu_item(struct crm_ctx *c, const char *name, const char *label, enum crm_segment_kind k)
{
	const char *const *op;
	struct crm_buf ops;

	crm_buf_init(&ops, c->arena, 64);
	for (op = crm_segment_ops(k); *op; op++)
		crm_buf_printf(&ops, "%s%s", ops.len ? " " : "", *op);
	return json_pack("{s:s,s:s,s:s,s:s}", "name", name, "label", label, "ops", ops.data, "extra",
	    crm_segment_kind_takes_category(k) ? "category days" : crm_segment_kind_takes_days(k) ? "days" : "");
}

/* The field menu: the registry, then the active custom fields. */
static json_t *
field_menu(struct crm_ctx *c, json_t *custom)
{
	const struct crm_segment_field *fd;
	json_t *menu = json_array(), *row;
	size_t i;

	for (i = 0; (fd = crm_segment_field_at(i)) != NULL; i++)
		json_array_append_new(menu, menu_item(c, fd->name, crm_ctx_text(c, fd->label), fd->kind));
	json_array_foreach(custom, i, row) {
		const char *type = json_string_value(json_object_get(row, "type"));
		int account = strcmp(json_string_value(json_object_get(row, "entity")), "account") == 0;

		json_array_append_new(menu, menu_item(c,
		    crm_arena_printf(c->arena, "custom.%lld", (long long)json_integer_value(json_object_get(row, "id"))),
		    crm_arena_printf(c->arena, "%s: %s", crm_ctx_text(c, account ? N_("Account field") : N_("Contact field")),
		    json_string_value(json_object_get(row, "label"))),
		    strcmp(type, "number") == 0 ? CRM_SEGMENT_CUSTOM_NUMBER : strcmp(type, "date") == 0 ?
		    CRM_SEGMENT_CUSTOM_DATE : CRM_SEGMENT_CUSTOM_TEXT));
	}
	return menu;
}

static json_t *
menu_with(json_t *menu, const char *key, const char *selected)
{
	json_t *copy = json_array(), *item;
	size_t i;

	json_array_foreach(menu, i, item) {
		json_t *one = json_copy(item);

		json_object_set_new(one, "selected", json_boolean(strcmp(json_string_value(json_object_get(item, key)),
		    selected) == 0));
		json_array_append_new(copy, one);
	}
	return copy;
}

const char *
segment_error_text(struct crm_ctx *c, const struct crm_segment_error *err)
{
	return crm_ctx_text(c, err->msgid ? err->msgid : N_("The segment could not be counted."));
}

void
segment_form_view(struct crm_ctx *c, const struct segment_form *f, const struct crm_segment_error *err)
{
	json_t *custom = segment_custom_fields(c), *fields, *ops = json_array(), *groups = json_array(), *g, *cond;
	const char *bad = NULL;
	size_t gi, ci, i;

	fields = field_menu(c, custom ? custom : json_array());
	for (i = 0; all_ops[i]; i++)
		json_array_append_new(ops, json_pack("{s:s,s:s}", "name", all_ops[i], "label",
		    crm_ctx_text(c, crm_segment_op_label(all_ops[i]))));
	/* The row an error names, by its place in what was compiled. */
	if (err != NULL && err->msgid != NULL && err->group > 0 && err->condition > 0)
		bad = json_string_value(json_array_get(json_array_get(f->keys, err->group - 1), err->condition - 1));
	json_array_foreach(json_object_get(f->def, "groups"), gi, g) {
		json_t *rows = json_array();

		json_array_foreach(json_object_get(g, "conditions"), ci, cond) {
			const char *key = crm_arena_printf(c->arena, "g%zu_c%zu", gi, ci);
			json_t *row = json_pack("{s:s,s:i,s:o,s:o}", "key", key, "n", (int)ci + 1,
			    "fields", menu_with(fields, "name", json_string_value(json_object_get(cond, "field"))),
			    "ops", menu_with(ops, "name", json_string_value(json_object_get(cond, "op"))));
			const char *const *k;

			for (k = cond_keys + 2; *k; k++)
				json_object_set(row, *k, json_object_get(cond, *k));
			if (bad != NULL && strcmp(bad, key) == 0)
				json_object_set_new(row, "error", json_string(segment_error_text(c, err)));
			json_array_append_new(rows, row);
		}
		json_array_append_new(groups, json_pack("{s:s,s:i,s:b,s:o}", "key",
		    crm_arena_printf(c->arena, "g%zu", gi), "n", (int)gi + 1,
		    "any", strcmp(json_string_value(json_object_get(g, "match")), "any") == 0, "conditions", rows));
	}
	json_object_set_new(c->view, "form", json_pack("{s:s,s:s,s:b,s:o}", "name", f->name ? f->name : "",
	    "description", f->description ? f->description : "",
	    "any", strcmp(json_string_value(json_object_get(f->def, "match")), "any") == 0, "groups", groups));
	json_object_set(c->view, "definition", f->saved);
	if (err != NULL && err->msgid != NULL && bad == NULL)
		crm_ctx_field_error(c, "conditions", err->msgid);
	else if (bad != NULL)
		crm_ctx_field_error(c, "conditions", N_("A condition is not right: see the marked row."));
	json_decref(fields);
	json_decref(ops);
	marketing_nav(c, "segments");
}

/* The conditions in words, for the segment's page. */
json_t *
segment_summary(struct crm_ctx *c, json_t *def)
{
	json_t *custom = segment_custom_fields(c), *fields = field_menu(c, custom ? custom : json_array());
	json_t *groups = json_array(), *g, *cond, *item;
	size_t gi, ci, i;

	json_array_foreach(json_object_get(def, "groups"), gi, g) {
		json_t *rows = json_array();

		json_array_foreach(json_object_get(g, "conditions"), ci, cond) {
			const char *field = json_string_value(json_object_get(cond, "field")), *label = field;
			const char *op = json_string_value(json_object_get(cond, "op")), *op_label;

			json_array_foreach(fields, i, item)
				if (field != NULL && strcmp(json_string_value(json_object_get(item, "name")), field) == 0)
					label = json_string_value(json_object_get(item, "label"));
			op_label = crm_segment_op_label(op);
			json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "field", label ? label : "",
			    "op", op_label ? crm_ctx_text(c, op_label) : (op ? op : ""),
			    "value", as_text(c, json_object_get(cond, "value")),
			    "value2", as_text(c, json_object_get(cond, "value2")),
			    "category", as_text(c, json_object_get(cond, "category")),
			    "days", as_text(c, json_object_get(cond, "days"))));
		}
		json_array_append_new(groups, json_pack("{s:i,s:b,s:o}", "n", (int)gi + 1, "any",
		    json_is_string(json_object_get(g, "match")) &&
		    strcmp(json_string_value(json_object_get(g, "match")), "any") == 0, "conditions", rows));
	}
	return json_pack("{s:b,s:o}", "any", json_is_string(json_object_get(def, "match")) &&
	    strcmp(json_string_value(json_object_get(def, "match")), "any") == 0, "groups", groups);
}
