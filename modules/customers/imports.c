/* CSV import screens: upload, the column mapping with a checked preview of
 * the first rows, the job's progress, cancel, and the CSV of the rows it
 * refused or skipped. The work itself is the job runner's (import_run.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_audit.h"
#include "crm_csv.h"
#include "crm_i18n.h"
#include "crm_log.h"
#include "crm_req.h"
#include "crm_valid.h"
#include "extern.h"
#include "import.h"

static const char *const modes[] = { "skip", "update", "create" };
static const char *const mode_labels[] = {
	N_("Skip the row (the problems file lists it)"),
	N_("Update that contact with the row's non-empty values"),
	N_("Create a new contact anyway"),
};

static int
valid_mode(const char *m)
{
	size_t i;

	for (i = 0; m != NULL && i < CRM_NELEM(modes); i++)
		if (strcmp(m, modes[i]) == 0)
			return 1;
	return 0;
}

/* JSON columns arrive as text. */
static void
parse_json_column(json_t *row, const char *name)
{
	const char *s = json_string_value(json_object_get(row, name));

	if (s != NULL)
		json_object_set_new(row, name, json_loads(s, 0, NULL) ?: json_null());
}

static void
decorate(struct crm_ctx *c, json_t *job)
{
	const char *status = json_string_value(json_object_get(job, "status"));
	json_int_t total = json_integer_value(json_object_get(job, "total_rows"));
	json_int_t done = json_integer_value(json_object_get(job, "rows_done"));
	json_int_t problems = json_integer_value(json_object_get(job, "rows_failed")) +
	    json_integer_value(json_object_get(job, "rows_skipped"));

	parse_json_column(job, "headers");
	parse_json_column(job, "mapping");
	json_object_set_new(job, "percent", json_integer(total ? done * 100 / total : 100));
	json_object_set_new(job, "is_mapping", json_boolean(strcmp(status, "mapping") == 0));
	json_object_set_new(job, "is_active", json_boolean(strcmp(status, "queued") == 0 ||
	    strcmp(status, "running") == 0 || strcmp(status, "cancelling") == 0));
	json_object_set_new(job, "has_problems", json_boolean(problems > 0));
	json_object_set_new(job, crm_arena_printf(c->arena, "status_%s", status), json_true());
	crm_ctx_localise_dates(c, job, "created_at");
}

int
customers_imports(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL, *r;
	size_t i;

	crm_db_bind_i64(&b[0], c->user->user_id);
	if (crm_db_rows(c->db, STMT_IMPORTS_MINE, b, 1, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, r) {
		decorate(c, r);
		json_object_del(r, "headers");
		json_object_del(r, "mapping");
	}
	json_object_set_new(c->view, "imports", rows);
	customers_flash(c);
	customers_nav(c, "imports");
	return 200;
}

struct upload {
	struct crm_ctx *c;
	const struct crm_param *file;
	json_t *headers;
	long long rows;
	uint64_t id;
	const char *kept;       /* the spool file, to remove if the commit fails */
	int no_room;            /* the spool is full */
};

static enum crm_err
upload_tx(struct crm_db *db, void *arg)
{
	struct upload *u = arg;
	struct crm_db_bind b[5];
	char *h = json_dumps(u->headers, JSON_COMPACT);
	const char *path;
	enum crm_err e;

	crm_db_bind_i64(&b[0], u->c->user->user_id);
	crm_db_bind_str(&b[1], u->file->filename, (size_t)-1);
	crm_db_bind_i64(&b[2], (long long)u->file->size);
	crm_db_bind_str(&b[3], h, (size_t)-1);
	crm_db_bind_i64(&b[4], u->rows);
	e = crm_db_exec(db, STMT_IMPORT_CREATE, b, 5, NULL, &u->id);
	import_json_text_free(h);
	if (e != CRM_OK)
		return e;
	path = import_path(u->c->arena, u->c->w->conf, (long long)u->id);
	if (crm_upload_keep(u->file->path, path) != 0) {
		u->no_room = errno == ENOSPC || errno == EDQUOT;
		crm_log(CRM_LOG_ERROR, "import: cannot move the upload to %s: %s", path, strerror(errno));
		return CRM_EIO;
	}
	u->kept = path;
	return CRM_OK;
}

int
customers_import_upload(struct crm_ctx *c)
{
	struct upload u = { c, crm_params_find(&c->form, "file"), NULL, 0, 0, NULL, 0 };
	char err[200];

	if (u.file == NULL || u.file->path == NULL || u.file->size == 0) {
		crm_ctx_field_error(c, "file", N_("Choose a CSV file to import."));
	} else if (crm_valid_text(u.file->filename, 1, 255, 0) == 0) {
		crm_ctx_field_error(c, "file", N_("Rename the file: its name is too long."));
	} else if (import_scan(u.file->path, &u.headers, &u.rows, err, sizeof(err)) != CRM_OK) {
		crm_ctx_field_error(c, "file", N_("This is not a CSV file in UTF-8 that can be read."));
		json_object_set_new(c->view, "file_detail", json_string(err));
	} else if (u.rows == 0) {
		crm_ctx_field_error(c, "file", N_("The file has headings but no rows under them."));
	}
	if (crm_ctx_has_errors(c)) {
		json_decref(u.headers);
		if (customers_imports(c) != 200)
			return 500;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, upload_tx, &u) != CRM_OK) {
		json_decref(u.headers);
		if (u.kept != NULL)
			unlink(u.kept);
		if (!u.no_room)
			return 500;
		/* The row was rolled back and nothing is left in the spool. */
		crm_ctx_field_error(c, "file", N_("The server has no room left to keep this file. Nothing was "
		    "imported: try again later, or tell your administrator."));
		if (customers_imports(c) != 200)
			return 500;
		return crm_ctx_status(c, 507);
	}
	json_decref(u.headers);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/imports/%llu",
	    (unsigned long long)u.id));
}

static json_t *
load_job(struct crm_ctx *c, long long id, int *status)
{
	struct crm_db_bind b[2];
	json_t *job = NULL, *custom = NULL;
	enum crm_err e;

	*status = 0;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], c->user->user_id);
	if ((e = crm_db_row(c->db, STMT_IMPORT_GET, b, 2, &job)) != CRM_OK) {
		*status = e == CRM_ENOTFOUND ? 404 : 500;
		return NULL;
	}
	decorate(c, job);
	/* The custom fields a column can fill: the API shows them too. */
	if (customers_custom_fields(c->db, "contact", &custom) != CRM_OK) {
		*status = 500;
		return NULL;
	}
	json_object_set_new(job, "custom_fields", custom);
	return job;
}

/* A field's name as the user reads it: built in (translated) or custom. */
static const char *
field_label(struct crm_ctx *c, json_t *custom, const char *name)
{
	json_t *field = import_custom_field(custom, name);
	size_t k;

	for (k = 0; k < import_nfields; k++)
		if (strcmp(name, import_fields[k].name) == 0)
			return crm_ctx_text(c, import_fields[k].label);
	return field ? json_string_value(json_object_get(field, "label")) : "";
}

/* The mapping for the screen: the one saved, else the last one this user
 * chose for the same headings, else guesses. */
static json_t *
mapping_for(struct crm_ctx *c, json_t *job)
{
	struct crm_db_bind b[1];
	json_t *last = NULL, *m;

	if (json_is_array(json_object_get(job, "mapping")))
		return json_incref(json_object_get(job, "mapping"));
	crm_db_bind_i64(&b[0], c->user->user_id);
	if (crm_db_row(c->db, STMT_IMPORT_LAST_MAPPING, b, 1, &last) == CRM_OK) {
		parse_json_column(last, "headers");
		parse_json_column(last, "mapping");
	}
	m = import_suggest(json_object_get(job, "headers"), json_object_get(last, "headers"),
	    json_object_get(last, "mapping"), json_object_get(job, "custom_fields"));
	json_decref(last);
	return m;
}

struct preview {
	struct crm_ctx *c;
	json_t *mapping, *rows, *custom;
	const char *country;
};

static int
preview_row(void *arg, size_t row_no, char **fields, size_t nfields)
{
	struct preview *p = arg;
	struct crm_contact_form f;
	json_t *problems = json_array(), *shown = json_array(), *cells = json_array(), *pr;
	json_t *custom_values = json_object();
	size_t i;

	if (row_no == 1)
		goto next;
	import_row_read(p->c->arena, p->mapping, p->country, p->custom, fields, nfields, &f, problems,
	    custom_values);
	for (i = 0; i < nfields; i++)
		json_array_append_new(cells, json_string(fields[i]));
	json_array_foreach(problems, i, pr) {
		const char *field = json_string_value(json_array_get(pr, 0));

		json_array_append_new(shown, json_pack("{s:s,s:s}",
		    "field", field_label(p->c, p->custom, field),
		    "message", crm_ctx_text(p->c, json_string_value(json_array_get(pr, 1)))));
	}
	json_array_append_new(p->rows, json_pack("{s:I,s:o,s:o,s:b}", "line", (json_int_t)row_no,
	    "cells", cells, "problems", shown, "ok", json_array_size(shown) == 0));
	cells = shown = NULL;
next:
	json_decref(custom_values);
	json_decref(problems);
	json_decref(shown);
	json_decref(cells);
	return row_no > IMPORT_PREVIEW;
}

static int
mapping_view(struct crm_ctx *c, json_t *job, json_t *mapping, const char *mode, const char *country)
{
	json_t *custom = json_object_get(job, "custom_fields"), *cf;
	struct preview p = { c, mapping, json_array(), custom, country };
	json_t *columns = json_array(), *h, *modes_view = json_array();
	const char *problem;
	char err[200];
	size_t i, k;

	json_array_foreach(json_object_get(job, "headers"), i, h) {
		const char *chosen = json_string_value(json_array_get(mapping, i)) ?: "";
		json_t *choices = json_array();

		for (k = 0; k < import_nfields; k++)
			json_array_append_new(choices, json_pack("{s:s,s:s,s:b}", "name", import_fields[k].name,
			    "label", crm_ctx_text(c, import_fields[k].label),
			    "selected", strcmp(chosen, import_fields[k].name) == 0));
		json_array_foreach(custom, k, cf) {
			const char *key = crm_arena_printf(c->arena, "cf_%lld",
			    (long long)json_integer_value(json_object_get(cf, "id")));

			json_array_append_new(choices, json_pack("{s:s,s:O,s:b}", "name", key,
			    "label", json_object_get(cf, "label"), "selected", strcmp(chosen, key) == 0));
		}
		json_array_append_new(columns, json_pack("{s:I,s:O,s:o,s:b}", "index", (json_int_t)i,
		    "heading", h, "choices", choices, "ignored", *chosen == '\0'));
	}
	for (i = 0; i < CRM_NELEM(modes); i++)
		json_array_append_new(modes_view, json_pack("{s:s,s:s,s:b}", "name", modes[i],
		    "label", crm_ctx_text(c, mode_labels[i]), "selected", strcmp(mode, modes[i]) == 0));
	json_object_set_new(c->view, "columns", columns);
	json_object_set_new(c->view, "modes", modes_view);
	json_object_set_new(c->view, "mapping", json_incref(mapping));
	json_object_set_new(c->view, "country", json_string(country));
	if ((problem = import_mapping_problem(mapping, json_array_size(json_object_get(job, "headers")),
	    custom)) != NULL)
		json_object_set_new(c->view, "mapping_problem", json_string(crm_ctx_text(c, problem)));
	else if (crm_csv_read_file(import_path(c->arena, c->w->conf, json_integer_value(json_object_get(job, "id"))),
	    preview_row, &p, IMPORT_MAX_COLUMNS, IMPORT_MAX_FIELD, err, sizeof(err)) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "import preview: %s", err);
		json_decref(p.rows);
		return 500;
	}
	json_object_set_new(c->view, "preview", p.rows);
	return 200;
}

int
customers_import_show(struct crm_ctx *c)
{
	int status;
	json_t *job = load_job(c, crm_ctx_id(c, "id"), &status), *mapping;

	if (job == NULL)
		return status;
	json_object_set_new(c->view, "job", job);
	if (json_is_true(json_object_get(job, "is_mapping"))) {
		mapping = mapping_for(c, job);
		status = mapping_view(c, job, mapping, json_string_value(json_object_get(job, "duplicates")),
		    json_string_value(json_object_get(job, "country")) ?: "");
		json_decref(mapping);
		if (status != 200)
			return status;
	}
	customers_flash(c);
	customers_nav(c, "imports");
	return 200;
}

/* The form posts col0..colN; the API may post mapping as a JSON array. */
static json_t *
posted_mapping(struct crm_ctx *c, size_t ncolumns)
{
	const char *s = crm_ctx_form(c, "mapping");
	json_t *m;
	size_t i;

	if (s != NULL && *s)
		return json_loads(s, 0, NULL) ?: json_array();
	m = json_array();
	for (i = 0; i < ncolumns; i++) {
		const char *v = crm_ctx_form(c, crm_arena_printf(c->arena, "col%zu", i));

		json_array_append_new(m, json_string(v != NULL && crm_utf8_valid(v, strlen(v)) ? v : ""));
	}
	return m;
}

int
customers_import_map(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *job = load_job(c, id, &status), *mapping;
	const char *mode = crm_ctx_form(c, "duplicates"), *problem;
	char *country = crm_arena_strdup(c->arena, crm_ctx_form(c, "country") ?: "");
	struct crm_db_bind b[5];
	char *m;
	int start = crm_ctx_form(c, "start") != NULL;

	if (job == NULL)
		return status;
	json_object_set_new(c->view, "job", job);
	if (!json_is_true(json_object_get(job, "is_mapping")))
		return crm_ctx_fail(c, 409, N_("This import has started already: its columns cannot change."));
	mapping = posted_mapping(c, json_array_size(json_object_get(job, "headers")));
	if (!valid_mode(mode))
		crm_ctx_field_error(c, "duplicates", N_("Choose what to do with duplicates."));
	if (!import_country_valid(country))
		crm_ctx_field_error(c, "country", N_("Enter a two-letter country code such as CN or US."));
	if ((problem = import_mapping_problem(mapping, json_array_size(json_object_get(job, "headers")),
	    json_object_get(job, "custom_fields"))) != NULL)
		crm_ctx_field_error(c, "mapping", problem);
	if (crm_ctx_has_errors(c)) {
		status = mapping_view(c, job, mapping, valid_mode(mode) ? mode : "skip",
		    import_country_valid(country) ? country : "");
		json_decref(mapping);
		customers_nav(c, "imports");
		return status == 200 ? crm_ctx_status(c, 422) : status;
	}
	m = json_dumps(mapping, JSON_COMPACT);
	json_decref(mapping);
	crm_db_bind_str(&b[0], m, (size_t)-1);
	crm_db_bind_str(&b[1], mode, (size_t)-1);
	crm_db_bind_str(&b[2], country, (size_t)-1);
	crm_db_bind_i64(&b[3], id);
	crm_db_bind_i64(&b[4], c->user->user_id);
	status = crm_db_exec(c->db, STMT_IMPORT_MAP, b, 5, NULL, NULL) == CRM_OK &&
	    (!start || crm_db_exec(c->db, STMT_IMPORT_QUEUE, b + 3, 2, NULL, NULL) == CRM_OK);
	import_json_text_free(m);
	if (!status)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/imports/%lld%s", id,
	    start ? "?done=import-queued" : ""));
}

int
customers_import_cancel(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	struct crm_db_bind b[2];
	uint64_t changed = 0;
	int status;
	json_t *job = load_job(c, id, &status);

	if (job == NULL)
		return status;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], c->user->user_id);
	if (crm_db_exec(c->db, STMT_IMPORT_CANCEL, b, 2, &changed, NULL) != CRM_OK)
		return 500;
	if (changed == 0)
		return crm_ctx_fail(c, 409, N_("This import has ended already."));
	/* Not started: no runner will open the file, so it goes now. A running
	 * job's runner removes it when it stops. */
	if (crm_db_row(c->db, STMT_JOB_STATUS, b, 1, &job) == CRM_OK &&
	    strcmp(json_string_value(json_object_get(job, "status")) ?: "", "cancelled") == 0)
		unlink(import_path(c->arena, c->w->conf, id));
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/imports/%lld?done=import-cancelled", id));
}

/* The refused and skipped rows, with the reason first and the row as it
 * was after it, so the file can be fixed and imported again. */
int
customers_import_problems(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id"), after = 0;
	struct crm_db_bind b[2];
	struct crm_buf out;
	char line[24];
	int status;
	json_t *job = load_job(c, id, &status), *rows = NULL, *r, *h, *pr;
	size_t i, k;

	if (job == NULL)
		return status;
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena,
	    "attachment; filename=\"import-%lld-problems.csv\"", id));
	crm_ctx_stream_start(c, "text/csv; charset=utf-8");
	/* Rows come from the heap, freed batch by batch (as exports do). */
	crm_arena_json_use(NULL);
	crm_buf_init(&out, NULL, 64 * 1024);
	crm_csv_bom(&out);
	crm_csv_field(&out, crm_ctx_text(c, N_("Row")), 1);
	crm_csv_field(&out, crm_ctx_text(c, N_("Problem")), 0);
	json_array_foreach(json_object_get(job, "headers"), i, h)
		crm_csv_field(&out, json_string_value(h), 0);
	crm_csv_end_row(&out);
	do {
		crm_db_bind_i64(&b[0], id);
		crm_db_bind_i64(&b[1], after);
		if (crm_db_rows(c->db, STMT_IMPORT_PROBLEMS, b, 2, &rows) != CRM_OK)
			break;  /* the answer is streaming: a cut file is all we can do */
		json_array_foreach(rows, i, r) {
			struct crm_buf why;
			json_t *problems, *raw;

			crm_buf_init(&why, NULL, 256);
			after = json_integer_value(json_object_get(r, "line"));
			parse_json_column(r, "problems");
			parse_json_column(r, "raw");
			problems = json_object_get(r, "problems");
			raw = json_object_get(r, "raw");
			json_array_foreach(problems, k, pr) {
				const char *label = field_label(c, json_object_get(job, "custom_fields"),
				    json_string_value(json_array_get(pr, 0)));

				if (k > 0)
					crm_buf_puts(&why, "; ");
				if (*label)
					crm_buf_printf(&why, "%s: ", label);
				crm_buf_puts(&why, crm_ctx_text(c, json_string_value(json_array_get(pr, 1))));
			}
			if (json_integer_value(json_object_get(r, "duplicate_of")))
				crm_buf_printf(&why, " (#%lld)", (long long)json_integer_value(json_object_get(r, "duplicate_of")));
			snprintf(line, sizeof(line), "%lld", after);
			crm_csv_field(&out, line, 1);
			crm_csv_field(&out, why.data, 0);
			json_array_foreach(raw, k, h)
				crm_csv_field(&out, json_string_value(h), 0);
			crm_csv_end_row(&out);
			crm_buf_release(&why);
		}
		crm_ctx_stream_write(c, out.data, out.len);
		crm_buf_clear(&out);
		i = json_array_size(rows);
		json_decref(rows);
		rows = NULL;
	} while (i == 1000);
	crm_buf_release(&out);
	crm_arena_json_use(c->arena);
	return 200;
}
