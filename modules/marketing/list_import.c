/* A target list from an uploaded CSV file: the column headed "email"
 * is matched to contacts' normalised addresses (within the user's
 * reach); the rows that match no contact come back with their numbers.
 * The whole file is one transaction: the list with every match, or
 * nothing. Addresses are matched LIST_IMPORT_BATCH a statement. */
#include <strings.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_csv.h"
#include "crm_phone.h"
#include "crm_valid.h"
#include "segment.h"

#define LIST_IMPORT_MAX_BYTES (2 * 1024 * 1024)
#define LIST_IMPORT_MAX_ROWS 20000
#define LIST_IMPORT_BATCH 100
#define LIST_IMPORT_SHOWN 1000          /* unmatched rows listed on the page */

int
marketing_list_import_form(struct crm_ctx *c)
{
	marketing_nav(c, "lists");
	return 200;
}

struct row {
	size_t line;
	const char *email;      /* as written */
	char norm[256];         /* "" when not an address */
};

struct import {
	struct crm_ctx *c;
	const char *name;
	long long email_col;    /* -1 until the header is read */
	int no_email, too_many;
	struct row *rows;
	size_t n, cap;
	/* The outcome. */
	long long list_id;
	uint64_t added;
	json_t *unmatched;
	size_t unmatched_n;
};

static int
on_row(void *arg, size_t row_no, char **fields, size_t nfields)
{
	struct import *im = arg;
	size_t i;

	if (im->email_col < 0) {
		for (i = 0; i < nfields; i++)
			if (strcasecmp(fields[i], "email") == 0 || strcasecmp(fields[i], "e-mail") == 0 ||
			    strcasecmp(fields[i], "email address") == 0 || strcasecmp(fields[i], "e-mail address") == 0)
				break;
		if (i == nfields) {
			im->no_email = 1;
			return 1;
		}
		im->email_col = (long long)i;
		return 0;
	}
	if (im->n == LIST_IMPORT_MAX_ROWS) {
		im->too_many = 1;
		return 1;
	}
	if (im->n == im->cap) {
		size_t cap = im->cap ? 2 * im->cap : 256;

		im->rows = crm_arena_realloc(im->c->arena, im->rows, im->cap * sizeof(*im->rows), cap * sizeof(*im->rows));
		im->cap = cap;
	}
	im->rows[im->n].line = row_no;
	im->rows[im->n].email = crm_arena_strdup(im->c->arena,
	    (size_t)im->email_col < nfields ? fields[im->email_col] : "");
	if (!crm_email_normalise(im->rows[im->n].email, im->rows[im->n].norm, sizeof(im->rows[im->n].norm)))
		im->rows[im->n].norm[0] = '\0';
	im->n++;
	return 0;
}

/* One batch of addresses: which match (into found), and their members in. */
static enum crm_err
batch(struct import *im, struct crm_db *db, const char **emails, size_t n, json_t *found)
{
	struct crm_db_bind b[1 + LIST_IMPORT_BATCH + 5];
	json_t *rows = NULL, *r;
	uint64_t added = 0;
	size_t i;
	enum crm_err e;

	crm_db_bind_i64(&b[0], im->list_id);
	/* A short batch repeats its first address in the spare places. */
	for (i = 0; i < LIST_IMPORT_BATCH; i++)
		crm_db_bind_str(&b[1 + i], emails[i < n ? i : 0], (size_t)-1);
	marketing_bind_scope(im->c, b + 1 + LIST_IMPORT_BATCH);
	if ((e = crm_db_rows(db, STMT_LIST_IMPORT_FIND, b + 1, LIST_IMPORT_BATCH + 5, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, r)
		json_object_set_new(found, json_string_value(json_object_get(r, "email_norm")), json_true());
	if ((e = crm_db_exec(db, STMT_LIST_IMPORT_ADD, b, LIST_IMPORT_BATCH + 6, &added, NULL)) != CRM_OK)
		return e;
	im->added += added;
	return CRM_OK;
}

static enum crm_err
import_tx(struct crm_db *db, void *arg)
{
	struct import *im = arg;
	const char *emails[LIST_IMPORT_BATCH];
	struct crm_db_bind b[5];
	json_t *row = NULL, *found = json_object();
	uint64_t id = 0;
	size_t i, k = 0;
	enum crm_err e;

	im->added = 0;
	im->unmatched = json_array();
	im->unmatched_n = 0;
	crm_db_bind_str(&b[0], im->name, (size_t)-1);
	if ((e = crm_db_row(db, STMT_LIST_BY_NAME, b, 1, &row)) == CRM_OK)
		return CRM_ECONFLICT;
	if (e != CRM_ENOTFOUND)
		return e;
	crm_db_bind_str(&b[1], crm_ctx_text(im->c, N_("Imported from a CSV file.")), (size_t)-1);
	crm_db_bind_str(&b[2], "import", (size_t)-1);
	crm_db_bind_null(&b[3]);
	crm_db_bind_i64(&b[4], im->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_LIST_CREATE, b, 5, NULL, &id)) != CRM_OK)
		return e;
	im->list_id = (long long)id;
	for (i = 0; i < im->n; i++) {
		if (im->rows[i].norm[0] == '\0')
			continue;
		emails[k++] = im->rows[i].norm;
		if (k == LIST_IMPORT_BATCH) {
			if ((e = batch(im, db, emails, k, found)) != CRM_OK)
				return e;
			k = 0;
		}
	}
	if (k > 0 && (e = batch(im, db, emails, k, found)) != CRM_OK)
		return e;
	for (i = 0; i < im->n; i++) {
		if (im->rows[i].norm[0] != '\0' && json_object_get(found, im->rows[i].norm) != NULL)
			continue;
		if (im->unmatched_n++ < LIST_IMPORT_SHOWN)
			json_array_append_new(im->unmatched, json_pack("{s:I,s:s}", "line", (json_int_t)im->rows[i].line,
			    "email", im->rows[i].email));
	}
	crm_db_bind_i64(&b[0], (long long)im->added);
	crm_db_bind_i64(&b[1], im->list_id);
	if ((e = crm_db_exec(db, STMT_LIST_COUNT, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(im->c, "import", "target_list", im->list_id, NULL, json_pack("{s:s,s:I,s:I,s:I}",
	    "name", im->name, "rows", (json_int_t)im->n, "members", (json_int_t)im->added,
	    "unmatched", (json_int_t)im->unmatched_n));
}

static int
again(struct crm_ctx *c, struct import *im, const char *field, const char *message, int status)
{
	crm_ctx_field_error(c, field, message);
	json_object_set_new(c->view, "form", json_pack("{s:s}", "name", im->name));
	marketing_nav(c, "lists");
	return crm_ctx_status(c, status);
}

int
marketing_list_import(struct crm_ctx *c)
{
	const struct crm_param *file = crm_params_find(&c->form, "file");
	struct import im;
	char err[256];
	enum crm_err e;

	memset(&im, 0, sizeof(im));
	im.c = c;
	im.name = crm_ctx_form_str(c, "name");
	im.email_col = -1;
	if (!crm_valid_text(im.name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (file == NULL || file->path == NULL || file->size == 0)
		return again(c, &im, "file", N_("Choose a CSV file with an email column."), 422);
	if (file->size > LIST_IMPORT_MAX_BYTES)
		return again(c, &im, "file", N_("The file is over 2 MB: split it into smaller files."), 413);
	if (crm_ctx_has_errors(c))
		return again(c, &im, "name", N_("Enter a name of up to 200 characters."), 422);
	e = crm_csv_read_file(file->path, on_row, &im, 256, 1000, err, sizeof(err));
	if (e == CRM_ETOOBIG || im.too_many)
		return again(c, &im, "file", N_("The file has more than 20,000 rows: split it into smaller files."), 413);
	if (e != CRM_OK) {
		json_object_set_new(c->view, "file_detail", json_string(err));
		return again(c, &im, "file", N_("This is not a CSV file in UTF-8 that can be read."), 422);
	}
	if (im.no_email || im.email_col < 0)
		return again(c, &im, "file", N_("The first row must have a column headed email."), 422);
	if (im.n == 0)
		return again(c, &im, "file", N_("The file has headings but no rows under them."), 422);
	if ((e = crm_db_tx(c->db, import_tx, &im)) == CRM_ECONFLICT)
		return again(c, &im, "name", N_("Another list has this name."), 409);
	if (e != CRM_OK)
		return 500;
	json_object_set_new(c->view, "result", json_pack("{s:I,s:s,s:I,s:I,s:I,s:o,s:b}",
	    "list_id", (json_int_t)im.list_id, "name", im.name, "rows", (json_int_t)im.n,
	    "members", (json_int_t)im.added, "unmatched_count", (json_int_t)im.unmatched_n,
	    "unmatched", im.unmatched, "unmatched_more", im.unmatched_n > LIST_IMPORT_SHOWN));
	marketing_nav(c, "lists");
	return 200;
}
