/* Tables of rows that share their keys: see crm_table.h. */
#include <string.h>

#include "crm_table.h"

#define COLUMNS "$columns"
#define ROWS "$rows"

json_t *
crm_table_new(json_t *columns)
{
	json_t *t = json_object();

	json_object_set_new_nocheck(t, COLUMNS, json_incref(columns));
	json_object_set_new_nocheck(t, ROWS, json_array());
	return t;
}

/* A table's two members, found by their order (crm_table_new puts them
 * so): cheaper than a hash lookup for every look at a table. */
static json_t *
member(const json_t *t, int second)
{
	void *it = json_object_iter((json_t *)t);

	if (second)
		it = json_object_iter_next((json_t *)t, it);
	return it != NULL ? json_object_iter_value(it) : NULL;
}

int
crm_table_is(const json_t *v)
{
	void *it;

	if (!json_is_object(v) || json_object_size(v) != 2)
		return 0;
	it = json_object_iter((json_t *)v);
	if (strcmp(json_object_iter_key(it), COLUMNS) != 0)
		return 0;
	it = json_object_iter_next((json_t *)v, it);
	return strcmp(json_object_iter_key(it), ROWS) == 0 && json_is_array(json_object_iter_value(it));
}

json_t *
crm_table_columns(const json_t *t)
{
	return member(t, 0);
}

json_t *
crm_table_rows(const json_t *t)
{
	return member(t, 1);
}

size_t
crm_table_size(const json_t *t)
{
	return json_array_size(crm_table_rows(t));
}

json_t *
crm_table_row(const json_t *t, size_t i)
{
	return json_array_get(crm_table_rows(t), i);
}

void
crm_table_append(json_t *t, json_t *row)
{
	json_array_append(crm_table_rows(t), row);
}

int
crm_table_col(const json_t *columns, const char *name)
{
	size_t i, n = json_array_size(columns);

	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(columns, i));

		if (s != NULL && strcmp(s, name) == 0)
			return (int)i;
	}
	return -1;
}

int
crm_table_add_col(json_t *columns, const char *name)
{
	int i = crm_table_col(columns, name);

	if (i >= 0)
		return i;
	json_array_append_new(columns, json_string(name));
	return (int)json_array_size(columns) - 1;
}

void
crm_table_hide_col(json_t *columns, const char *name)
{
	int i = crm_table_col(columns, name);

	if (i >= 0)
		json_array_set_new(columns, (size_t)i, json_null());
}

json_t *
crm_table_get(const json_t *t, size_t row, const char *name)
{
	json_t *r = crm_table_row(t, row);

	return r != NULL ? crm_table_cell(r, crm_table_col(crm_table_columns(t), name)) : NULL;
}

json_t *
crm_table_object(const json_t *columns, const json_t *row)
{
	json_t *o = json_object();
	size_t i, n = json_array_size(columns);

	for (i = 0; i < n; i++) {
		const char *name = json_string_value(json_array_get(columns, i));

		if (name != NULL)
			json_object_set_nocheck(o, name, crm_table_cell(row, (int)i));
	}
	return o;
}

json_t *
crm_table_cell(const json_t *row, int col)
{
	json_t *v;

	if (col < 0)
		return NULL;
	v = json_array_get(row, (size_t)col);
	return v != NULL ? v : json_null();
}

void
crm_table_set_new(json_t *row, int col, json_t *v)
{
	if (col < 0) {
		json_decref(v);
		return;
	}
	while (json_array_size(row) < (size_t)col)
		json_array_append_new(row, json_null());
	if (json_array_size(row) == (size_t)col)
		json_array_append_new(row, v);
	else
		json_array_set_new(row, (size_t)col, v);
}
