/* Custom fields on accounts and contacts (defined under Admin → Custom
 * fields): read and checked from the form as cf_<id>, saved in the
 * record's transaction, audited with it as cf_<id>, shown on the form and
 * the page, and in the API as "custom": {"<id>": value}. The tables and
 * why they look as they do: sql/migrations/009_custom_fields.sql. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_confcache.h"
#include "crm_valid.h"
#include "extern.h"

struct custom_values {
	const char *entity;
	json_t *fields;         /* the active fields, each with its stored value_text */
	json_t *typed;          /* {"cf_<id>": what was submitted} */
	json_t *canon;          /* {"cf_<id>": the value to keep, "" for none} */
};

/* The active fields of entity, each with record id's value (none for 0). */
static enum crm_err
fields_of(struct crm_db *db, const char *entity, long long id, json_t **rows)
{
	struct crm_db_bind b[2];

	crm_db_bind_i64(&b[0], id);
	crm_db_bind_str(&b[1], entity, (size_t)-1);
	return crm_db_rows(db, STMT_CUSTOM_FIELDS_OF, b, 2, rows);
}

static const char *
key_of(struct crm_ctx *c, json_t *field)
{
	return crm_arena_printf(c->arena, "cf_%lld", (long long)json_integer_value(json_object_get(field, "id")));
}

static int
is_type(json_t *field, const char *type)
{
	return strcmp(json_string_value(json_object_get(field, "type")), type) == 0;
}

static int
is_choice_of(json_t *field, const char *v)
{
	const char *s = json_string_value(json_object_get(field, "choices"));
	json_t *list = s ? json_loads(s, 0, NULL) : NULL, *one;
	size_t i;

	json_array_foreach(list, i, one)
		if (json_is_string(one) && strcmp(json_string_value(one), v) == 0)
			return 1;
	return 0;
}

int
customers_custom_number(struct crm_arena *a, const char *s, const char **canon)
{
	const char *p = s, *int_start, *frac = NULL;
	size_t int_len, frac_len = 0;
	int neg = 0;

	if (*p == '-')
		neg = 1, p++;
	int_start = p;
	while (isdigit((unsigned char)*p))
		p++;
	int_len = (size_t)(p - int_start);
	if (*p == '.') {
		frac = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		frac_len = (size_t)(p - frac);
		if (frac_len == 0)
			return 0;
	}
	if (*p != '\0' || int_len == 0)
		return 0;
	/* What DECIMAL(21,6) holds: 15 digits before the point, 6 after. */
	while (int_len > 1 && *int_start == '0')
		int_start++, int_len--;
	while (frac_len > 0 && frac[frac_len - 1] == '0')
		frac_len--;
	if (int_len > 15 || frac_len > 6)
		return 0;
	if (int_len == 1 && *int_start == '0' && frac_len == 0)
		neg = 0;
	if (canon)
		*canon = crm_arena_printf(a, "%s%.*s%s%.*s", neg ? "-" : "", (int)int_len, int_start,
		    frac_len ? "." : "", (int)frac_len, frac_len ? frac : "");
	return 1;
}

const char *
customers_custom_problem(struct crm_arena *a, json_t *field, const char *v, const char *old,
    const char **canon)
{
	*canon = v;
	if (is_type(field, "text")) {
		if (!crm_valid_text(v, 0, 500, 0))
			return N_("Keep it under 500 characters, on one line.");
	} else if (is_type(field, "number")) {
		if (*v && !customers_custom_number(a, v, canon))
			return N_("Enter a number such as 42 or -3.5 (up to 15 digits, 6 after the point).");
	} else if (is_type(field, "date")) {
		if (*v && !crm_valid_date(v))
			return N_("Enter the date as YYYY-MM-DD.");
	} else if (*v && !is_choice_of(field, v) && !(old && strcmp(old, v) == 0)) {
		/* A value whose choice was since removed may stay as it is. */
		return N_("Choose one of the listed values.");
	}
	return NULL;
}

enum crm_err
customers_custom_fields(struct crm_db *db, const char *entity, json_t **fields)
{
	return fields_of(db, entity, 0, fields);
}

enum crm_err
customers_custom_put(struct crm_db *db, const char *entity, long long id, json_t *field,
    const char *v)
{
	struct crm_db_bind b[6];

	crm_db_bind_str(&b[0], entity, (size_t)-1);
	crm_db_bind_i64(&b[1], id);
	crm_db_bind_i64(&b[2], json_integer_value(json_object_get(field, "id")));
	if (*v == '\0')
		return crm_db_exec(db, STMT_CUSTOM_VALUE_DROP, b, 3, NULL, NULL);
	crm_db_bind_str(&b[3], v, (size_t)-1);
	crm_db_bind_str(&b[4], is_type(field, "number") ? v : NULL, (size_t)-1);
	crm_db_bind_str(&b[5], is_type(field, "date") ? v : NULL, (size_t)-1);
	return crm_db_exec(db, STMT_CUSTOM_VALUE_PUT, b, 6, NULL, NULL);
}

struct custom_values *
customers_custom_read(struct crm_ctx *c, const char *entity, long long id)
{
	struct custom_values *cv = crm_arena_calloc(c->arena, 1, sizeof(*cv));
	json_t *field;
	size_t i;

	cv->entity = entity;
	cv->typed = json_object();
	cv->canon = json_object();
	if (fields_of(c->db, entity, id, &cv->fields) != CRM_OK)
		return NULL;
	json_array_foreach(cv->fields, i, field) {
		const char *key = key_of(c, field);
		const char *old = json_string_value(json_object_get(field, "value_text"));
		const char *v = crm_ctx_form(c, key), *canon, *problem;

		/* A field the form or the program did not send keeps its value. */
		if (v == NULL)
			v = id && old ? old : "";
		json_object_set_new(cv->typed, key, json_string(v));
		if ((problem = customers_custom_problem(c->arena, field, v, old, &canon)) != NULL)
			crm_ctx_field_error(c, key, problem);
		json_object_set_new(cv->canon, key, json_string(canon));
	}
	return cv;
}

enum crm_err
customers_custom_save(struct crm_db *db, const struct custom_values *cv, long long id)
{
	json_t *field;
	size_t i;
	enum crm_err e;

	json_array_foreach(cv->fields, i, field) {
		long long fid = json_integer_value(json_object_get(field, "id"));
		const char *old = json_string_value(json_object_get(field, "value_text"));
		char key[32];
		const char *v;

		snprintf(key, sizeof(key), "cf_%lld", fid);
		v = json_string_value(json_object_get(cv->canon, key));
		if (v == NULL || strcmp(v, old ? old : "") == 0)
			continue;
		if ((e = customers_custom_put(db, cv->entity, id, field, v)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

json_t *
customers_custom_audit(const struct custom_values *cv, json_t *before, json_t *after)
{
	json_t *field;
	size_t i;

	json_array_foreach(cv->fields, i, field) {
		const char *old = json_string_value(json_object_get(field, "value_text"));
		char key[32];
		json_t *v;

		snprintf(key, sizeof(key), "cf_%lld", (long long)json_integer_value(json_object_get(field, "id")));
		v = json_object_get(cv->canon, key);
		/* A new record keeps only what it was given. */
		if (before == NULL && (v == NULL || *json_string_value(v) == '\0'))
			continue;
		if (before != NULL)
			json_object_set_new(before, key, json_string(old ? old : ""));
		json_object_set(after, key, v);
	}
	return after;
}

void
customers_custom_keep(json_t *rec, const struct custom_values *cv)
{
	json_object_set(rec, "custom_typed", cv->typed);
}

/* A value as the API gives it: a number as a JSON number. */
static json_t *
api_value(json_t *field, const char *v)
{
	if (v == NULL || *v == '\0')
		return json_null();
	if (is_type(field, "number"))
		return strchr(v, '.') ? json_real(strtod(v, NULL)) : json_integer(strtoll(v, NULL, 10));
	return json_string(v);
}

enum crm_err
customers_custom_show(struct crm_ctx *c, const char *entity, json_t *rec)
{
	json_t *rows = NULL, *field, *list = json_array(), *api = json_object();
	json_t *typed = json_object_get(rec, "custom_typed");
	json_t *errors = json_object_get(c->view, "errors");
	long long id = json_integer_value(json_object_get(rec, "id"));
	enum crm_err e;
	size_t i;

	if ((e = fields_of(c->db, entity, id, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, field) {
		const char *key = key_of(c, field);
		const char *stored = json_string_value(json_object_get(field, "value_text"));
		const char *v = typed ? json_string_value(json_object_get(typed, key)) : stored;
		const char *type = json_string_value(json_object_get(field, "type"));
		const char *s = json_string_value(json_object_get(field, "choices"));
		json_t *choices = s ? json_loads(s, 0, NULL) : NULL, *one, *opts = json_array();
		json_t *shown;
		size_t k;

		if (v == NULL)
			v = "";
		json_array_foreach(choices, k, one)
			json_array_append_new(opts, json_pack("{s:O,s:b}", "value", one,
			    "selected", json_is_string(one) && strcmp(json_string_value(one), v) == 0));
		if (*v && strcmp(type, "choice") == 0 && !is_choice_of(field, v))
			json_array_append_new(opts, json_pack("{s:s,s:b}", "value", v, "selected", 1));
		shown = json_pack("{s:O,s:s,s:O,s:s,s:s,s:o,s:b,s:b,s:b,s:b}",
		    "id", json_object_get(field, "id"), "name", key, "label", json_object_get(field, "label"), "type", type, "value", v,
		    "choices", opts, "is_text", strcmp(type, "text") == 0,
		    "is_number", strcmp(type, "number") == 0, "is_date", strcmp(type, "date") == 0,
		    "is_choice", strcmp(type, "choice") == 0);
		if (json_is_string(json_object_get(errors, key)))
			json_object_set(shown, "error", json_object_get(errors, key));
		json_array_append_new(list, shown);
		json_object_set_new(api, key + 3, api_value(field, stored));
	}
	json_object_del(rec, "custom_typed");
	json_object_set_new(rec, "custom", api);
	json_object_set_new(c->view, "custom_fields", list);
	return CRM_OK;
}

enum crm_err
customers_custom_filter_view(struct crm_ctx *c, const char *entity, const struct list_filters *f)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL, *row;
	enum crm_err e;
	size_t i;

	crm_db_bind_str(&b[0], entity, (size_t)-1);
	if ((e = crm_confcache_rows(c->db, STMT_CUSTOM_FIELDS_FILTER, b, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "selected", json_boolean(json_integer_value(json_object_get(row, "id")) ==
		    f->cf_id));
	json_object_set_new(c->view, "custom_filters", rows);
	return CRM_OK;
}
