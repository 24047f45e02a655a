/* Custom fields: the admin defines extra fields for accounts and contacts
 * (text, number, date, or a choice from a list). A field's entity and type
 * are fixed once it exists, since its values are stored typed; its label,
 * choices and position can change. Deleting deactivates: the field leaves
 * the forms, pages, API and filters, and its values are kept for a
 * restore. Every change is audited in the transaction that makes it.
 * sql/migrations/009_custom_fields.sql has the tables; the customers
 * module's custom.c uses them. */
#include <ctype.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

#define MAX_CHOICES 100

static const char *const entities[] = { "account", "contact", NULL };
static const char *const types[] = { "text", "number", "date", "choice", NULL };

static const struct {
	const char *value, *label;
} entity_labels[] = {
	{ "account", N_("Accounts") },
	{ "contact", N_("Contacts") },
}, type_labels[] = {
	{ "text", N_("Text") },
	{ "number", N_("Number") },
	{ "date", N_("Date") },
	{ "choice", N_("Choice from a list") },
};

/* What was submitted for a field, checked. */
struct field_form {
	const char *entity, *label, *type, *choices_text, *position_text;
	json_t *choices;        /* JSON array of strings, or NULL */
	long long position;
};

static const char *
form_or_empty(struct crm_ctx *c, const char *name)
{
	const char *v = crm_ctx_form(c, name);

	return v ? v : "";
}

/* The choices typed one per line (or sent by a program as a JSON array):
 * trimmed, blank lines dropped, each 1..100 characters, no repeats. */
static json_t *
parse_choices(const char *text)
{
	json_t *list = json_array(), *v;
	const char *p = text, *end;
	size_t i, n;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '[') {
		json_t *in = json_loads(p, 0, NULL);

		if (!json_is_array(in)) {
			json_decref(in);
			json_decref(list);
			return NULL;
		}
		json_array_foreach(in, i, v) {
			if (!json_is_string(v)) {
				json_decref(in);
				json_decref(list);
				return NULL;
			}
			json_array_append(list, v);
		}
		json_decref(in);
	} else {
		for (; *p; p = *end ? end + 1 : end) {
			end = p + strcspn(p, "\r\n");
			while (p < end && isspace((unsigned char)*p))
				p++;
			n = (size_t)(end - p);
			while (n > 0 && isspace((unsigned char)p[n - 1]))
				n--;
			if (n > 0)
				json_array_append_new(list, json_stringn(p, n));
		}
	}
	if (json_array_size(list) == 0 || json_array_size(list) > MAX_CHOICES) {
		json_decref(list);
		return NULL;
	}
	json_array_foreach(list, i, v) {
		size_t k;

		if (!crm_valid_text(json_string_value(v), 1, 100, 0)) {
			json_decref(list);
			return NULL;
		}
		for (k = 0; k < i; k++)
			if (strcmp(json_string_value(json_array_get(list, k)), json_string_value(v)) == 0) {
				json_decref(list);
				return NULL;
			}
	}
	return list;
}

/* Reads and checks the form; errors go into the view. With existing set
 * (an edit), the entity and type are the field's own. */
static void
read_form(struct crm_ctx *c, struct field_form *f, json_t *existing)
{
	memset(f, 0, sizeof(*f));
	f->entity = existing ? json_string_value(json_object_get(existing, "entity")) :
	    form_or_empty(c, "entity");
	f->type = existing ? json_string_value(json_object_get(existing, "type")) :
	    form_or_empty(c, "type");
	f->label = form_or_empty(c, "label");
	f->choices_text = form_or_empty(c, "choices");
	f->position_text = form_or_empty(c, "position");
	if (!crm_valid_oneof(f->entity, entities))
		crm_ctx_field_error(c, "entity", N_("Choose accounts or contacts."));
	if (!crm_valid_text(f->label, 1, 100, 0))
		crm_ctx_field_error(c, "label", N_("Enter a label of up to 100 characters."));
	if (!crm_valid_oneof(f->type, types))
		crm_ctx_field_error(c, "type", N_("Choose a type from the list."));
	if (*f->position_text && strcmp(f->position_text, "0") != 0 &&
	    (!crm_valid_id(f->position_text, &f->position) || f->position > 9999))
		crm_ctx_field_error(c, "position", N_("Enter a position from 0 to 9999."));
	if (f->type && strcmp(f->type, "choice") == 0) {
		f->choices = parse_choices(f->choices_text);
		if (f->choices == NULL)
			crm_ctx_field_error(c, "choices", N_("Enter 1 to 100 different choices, one per line, each up to 100 characters."));
	}
}

static const char *
label_of(struct crm_ctx *c, const char *value, int entity)
{
	size_t i;

	if (entity) {
		for (i = 0; i < CRM_NELEM(entity_labels); i++)
			if (strcmp(entity_labels[i].value, value) == 0)
				return crm_ctx_text(c, entity_labels[i].label);
	} else {
		for (i = 0; i < CRM_NELEM(type_labels); i++)
			if (strcmp(type_labels[i].value, value) == 0)
				return crm_ctx_text(c, type_labels[i].label);
	}
	return value;
}

/* The choices as the textarea shows them: one per line. */
static const char *
choices_lines(struct crm_ctx *c, const char *json)
{
	json_t *list = json ? json_loads(json, 0, NULL) : NULL, *v;
	struct crm_buf b;
	size_t i;

	crm_buf_init(&b, c->arena, 64);
	crm_buf_puts(&b, "");
	json_array_foreach(list, i, v) {
		if (i > 0)
			crm_buf_puts(&b, "\n");
		crm_buf_puts(&b, json_string_value(v));
	}
	json_decref(list);
	return b.data;
}

static json_t *
options(struct crm_ctx *c, const char *const *values, const char *current, int entity)
{
	json_t *opts = json_array();
	size_t i;

	for (i = 0; values[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", values[i],
		    "label", label_of(c, values[i], entity), "selected", current && strcmp(current, values[i]) == 0));
	return opts;
}

/* The page: every field, grouped by entity, and the form for a new one.
 * edit_id names the row a refused edit came from (its typed values are
 * shown again); typed_new is the refused new field. */
static int
fields_view(struct crm_ctx *c, long long edit_id, const struct field_form *typed_new)
{
	json_t *rows = NULL, *row, *groups = json_array();
	size_t i, k;

	if (crm_db_rows(c->db, STMT_CUSTOM_FIELDS_ALL, NULL, 0, &rows) != CRM_OK)
		return 500;
	for (k = 0; entities[k]; k++) {
		json_t *list = json_array();

		json_array_foreach(rows, i, row) {
			long long id = json_integer_value(json_object_get(row, "id"));
			const char *type = json_string_value(json_object_get(row, "type"));

			if (strcmp(json_string_value(json_object_get(row, "entity")), entities[k]) != 0)
				continue;
			json_object_set_new(row, "type_label", json_string(label_of(c, type, 0)));
			json_object_set_new(row, "is_choice", json_boolean(strcmp(type, "choice") == 0));
			json_object_set_new(row, "choices_text", json_string(choices_lines(c,
			    json_string_value(json_object_get(row, "choices")))));
			json_object_set_new(row, "choices", json_loads(json_is_string(json_object_get(row,
			    "choices")) ? json_string_value(json_object_get(row, "choices")) : "null", 0, NULL));
			if (id == edit_id) {
				json_object_set_new(row, "editing", json_true());
				json_object_set_new(row, "label", json_string(form_or_empty(c, "label")));
				json_object_set_new(row, "choices_text", json_string(form_or_empty(c, "choices")));
				json_object_set_new(row, "position", json_string(form_or_empty(c, "position")));
			}
			json_array_append(list, row);
		}
		json_array_append_new(groups, json_pack("{s:s,s:s,s:o}", "entity", entities[k],
		    "label", label_of(c, entities[k], 1), "fields", list));
	}
	json_decref(rows);
	json_object_set_new(c->view, "groups", groups);
	json_object_set_new(c->view, "new", json_pack("{s:s,s:s,s:s,s:o,s:o}",
	    "label", typed_new ? typed_new->label : "",
	    "choices", typed_new ? typed_new->choices_text : "",
	    "position", typed_new ? typed_new->position_text : "",
	    "entities", options(c, entities, typed_new ? typed_new->entity : "contact", 1),
	    "types", options(c, types, typed_new ? typed_new->type : "text", 0)));
	if (typed_new != NULL)
		json_object_set_new(c->view, "creating", json_true());
	json_object_set_new(c->view, "title", json_string("Custom fields"));
	crm_ctx_nav_here(c, "admin");
	return 200;
}

int
admin_custom_fields(struct crm_ctx *c)
{
	admin_done_message(c);
	return fields_view(c, 0, NULL);
}

static json_t *
field_json(const struct field_form *f)
{
	return json_pack("{s:s,s:s,s:s,s:O?,s:I}", "entity", f->entity, "label", f->label,
	    "type", f->type, "choices", f->choices, "position", (json_int_t)f->position);
}

struct change {
	struct crm_ctx *c;
	struct field_form f;
	long long id;
	json_t *before;
	int active;
};

static void
bind_choices(struct crm_db_bind *b, const struct field_form *f)
{
	/* jansson allocates from the request arena: nothing to free. */
	crm_db_bind_str(b, f->choices ? json_dumps(f->choices, JSON_COMPACT) : NULL, (size_t)-1);
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[5];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->f.entity, (size_t)-1);
	crm_db_bind_str(&b[1], ch->f.label, (size_t)-1);
	crm_db_bind_str(&b[2], ch->f.type, (size_t)-1);
	bind_choices(&b[3], &ch->f);
	crm_db_bind_i64(&b[4], ch->f.position);
	if ((e = crm_db_exec(db, STMT_CUSTOM_FIELD_CREATE, b, 5, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	return crm_ctx_audit(ch->c, "create", "custom_field", ch->id, NULL, field_json(&ch->f));
}

int
admin_custom_field_create(struct crm_ctx *c)
{
	struct change ch;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	read_form(c, &ch.f, NULL);
	if (crm_ctx_has_errors(c)) {
		int st = fields_view(c, 0, &ch.f);

		json_decref(ch.f.choices);
		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	if (crm_db_tx(c->db, create_tx, &ch) != CRM_OK) {
		json_decref(ch.f.choices);
		return 500;
	}
	json_decref(ch.f.choices);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/admin/fields?done=field_created#field-%lld",
	    ch.id));
}

/* The field by its :id, or NULL with the status to answer. */
static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	enum crm_err e;

	*status = 0;
	if (id == 0) {
		*status = 404;
		return NULL;
	}
	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row(c->db, STMT_CUSTOM_FIELD_GET, b, 1, &row)) != CRM_OK)
		*status = e == CRM_ENOTFOUND ? 404 : 500;
	return row;
}

/* The definition as the audit log keeps it. */
static json_t *
stored_json(json_t *row)
{
	const char *choices = json_string_value(json_object_get(row, "choices"));

	return json_pack("{s:O,s:O,s:O,s:o,s:O}", "entity", json_object_get(row, "entity"),
	    "label", json_object_get(row, "label"), "type", json_object_get(row, "type"),
	    "choices", choices ? json_loads(choices, 0, NULL) : json_null(),
	    "position", json_object_get(row, "position"));
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[4];
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->f.label, (size_t)-1);
	bind_choices(&b[1], &ch->f);
	crm_db_bind_i64(&b[2], ch->f.position);
	crm_db_bind_i64(&b[3], ch->id);
	if ((e = crm_db_exec(db, STMT_CUSTOM_FIELD_UPDATE, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "custom_field", ch->id, stored_json(ch->before),
	    field_json(&ch->f));
}

int
admin_custom_field_update(struct crm_ctx *c)
{
	struct change ch;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	read_form(c, &ch.f, ch.before);
	if (crm_ctx_has_errors(c)) {
		int st = fields_view(c, ch.id, NULL);

		json_decref(ch.f.choices);
		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	e = crm_db_tx(c->db, update_tx, &ch);
	json_decref(ch.f.choices);
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/admin/fields?done=saved#field-%lld", ch.id));
}

static enum crm_err
active_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->active);
	crm_db_bind_i64(&b[1], ch->id);
	if ((e = crm_db_exec(db, STMT_CUSTOM_FIELD_ACTIVE, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, ch->active ? "restore" : "delete", "custom_field", ch->id,
	    json_pack("{s:O}", "active", json_object_get(ch->before, "active")),
	    json_pack("{s:b}", "active", ch->active));
}

static int
set_active(struct crm_ctx *c, int active)
{
	struct change ch;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	ch.active = active;
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	if (json_is_true(json_object_get(ch.before, "active")) == active)
		return crm_ctx_fail(c, 409, active ? N_("The field is already in use.") :
		    N_("The field was already deleted."));
	if (crm_db_tx(c->db, active_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, active ? "/admin/fields?done=field_restored" :
	    "/admin/fields?done=field_deleted");
}

int
admin_custom_field_delete(struct crm_ctx *c)
{
	return set_active(c, 0);
}

int
admin_custom_field_restore(struct crm_ctx *c)
{
	return set_active(c, 1);
}
