/* A table: a list of records that share their keys, held as the keys once
 * and each record as an array of values in their order.
 *
 * Why. A list page's rows were jansson objects, one hash table a row and a
 * hash insert a cell, then a hash lookup for every name the template asked
 * of a row: on the sales board that was a third of the worker's
 * instructions. A table costs an array append a cell, and the template
 * finds a name's place among the columns once for the whole list.
 *
 * What it looks like. A jansson object of exactly two members,
 *
 *     {"$columns": ["id", "name", ...], "$rows": [[1, "Ann", ...], ...]}
 *
 * so it goes wherever a view value goes. The template layer (crm_tmpl)
 * treats it as the list of objects it stands for: a section over it
 * repeats once a row, {{name}} inside is the row's cell, an inverted
 * section is shown when it has no row. The JSON writer (crm_json_write)
 * writes it as that list of objects, so an API answer does not change.
 * A dotted name does not reach into its rows ({{list.0.name}}).
 *
 * A column's name may be null: the column is hidden, as if its cells were
 * not there (a statement's column a page does not show). A row shorter
 * than the columns has null in the cells it lacks.
 *
 * Tables of several lists may share one "$columns" array (the board's
 * columns of cards): a column added to one is added to all. */
#ifndef CRM_TABLE_H
#define CRM_TABLE_H

#include <stddef.h>

#include <jansson.h>

/* A new table with these columns (a reference taken) and no row. */
json_t *crm_table_new(json_t *columns);
/* Whether v is a table. */
int crm_table_is(const json_t *v);
json_t *crm_table_columns(const json_t *t);
json_t *crm_table_rows(const json_t *t);
size_t crm_table_size(const json_t *t);
/* The i-th row (an array), NULL past the last. */
json_t *crm_table_row(const json_t *t, size_t i);
/* Appends a row (a reference taken). */
void crm_table_append(json_t *t, json_t *row);

/* The place of a column among columns, -1 when there is none of that name
 * (or it is hidden). */
int crm_table_col(const json_t *columns, const char *name);
/* The place of a column, added at the end when there is none. */
int crm_table_add_col(json_t *columns, const char *name);
/* Hides a column, if there is one of that name. */
void crm_table_hide_col(json_t *columns, const char *name);

/* A row as the object it stands for (its visible columns), for code that
 * wants one of a table's few rows by name. */
json_t *crm_table_object(const json_t *columns, const json_t *row);

/* The cell of a row's column by name: NULL when there is no such row or
 * column. For a few cells; a loop over rows finds the column once. */
json_t *crm_table_get(const json_t *t, size_t row, const char *name);

/* A row's cell: NULL for col -1, json null past the row's end. */
json_t *crm_table_cell(const json_t *row, int col);
/* Sets a row's cell, steals v; a short row is filled with nulls first. */
void crm_table_set_new(json_t *row, int col, json_t *v);

#endif
