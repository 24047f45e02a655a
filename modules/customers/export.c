/* CSV export of any list view (its filters and sort), streamed: rows are
 * read a thousand at a time by keyset and written out as they come, so a
 * million rows never sit in memory. Columns the role may not see are not
 * exported; every export is in the audit log. */
#include <stdio.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_csv.h"
#include "crm_log.h"
#include "extern.h"

#define BATCH 1000

struct export_kind {
	const char *entity, *rules, *filename, *name_col;
	size_t by_name;
	size_t (*bind)(struct crm_ctx *, const struct list_filters *, struct crm_db_bind *);
	const char *const *columns;
};

static const char *const account_columns[] = { "id", "name", "industry", "size", "website",
	"phone", "street", "city", "region", "postcode", "country", "annual_revenue", "tags", "owner",
	"created_at", "notes", NULL };
static const char *const contact_columns[] = { "id", "full_name", "first_name", "last_name",
	"title", "account_id", "account", "email", "email2", "phone", "mobile", "phone_e164",
	"mobile_e164", "street", "city", "region", "postcode", "country", "birthday", "source",
	"consent_email", "consent_phone", "tags", "owner", "created_at", "notes", NULL };

static const struct export_kind accounts = { "account", "accounts", "accounts.csv", "name",
	STMT_ACCOUNTS_EXPORT_BY_NAME, accounts_bind_list, account_columns };
static const struct export_kind contacts = { "contact", "contacts", "contacts.csv", "full_name",
	STMT_CONTACTS_EXPORT_BY_NAME, contacts_bind_list, contact_columns };

static void
cell(struct crm_buf *out, json_t *v, int first)
{
	char num[32];

	if (json_is_string(v))
		crm_csv_field(out, json_string_value(v), first);
	else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		crm_csv_field(out, num, first);
	} else if (json_is_boolean(v))
		crm_csv_field(out, json_is_true(v) ? "1" : "0", first);
	else
		crm_csv_field(out, "", first);
}

/* Copies a keyset value out of a row that is about to be freed. */
static void
keep(char *dst, size_t cap, json_t *row, const char *col)
{
	const char *v = json_string_value(json_object_get(row, col));

	snprintf(dst, cap, "%s", v ? v : "");
}

struct audit_export {
	struct crm_ctx *c;
	const char *entity;
	json_t *filters;
};

static enum crm_err
audit_tx(struct crm_db *db, void *arg)
{
	struct audit_export *a = arg;

	(void)db;
	return crm_ctx_audit(a->c, "export", a->entity, 0, NULL, a->filters);
}

static int
export(struct crm_ctx *c, const struct export_kind *k)
{
	struct list_filters f;
	struct crm_db_bind b[40];
	struct crm_buf out;
	char after_a[320], after_b[320];
	const char *shown[32];
	size_t ncols = 0, i, n, total = 0;
	json_t *rows, *row;
	int bad, more = 1;

	if ((bad = customers_list_filters(c, &f)) != 0)
		return bad;
	f.after_a = f.after_b = "", f.after_id = 0;
	for (i = 0; k->columns[i] && ncols < CRM_NELEM(shown); i++)
		if (!crm_auth_field_hidden(c->user, k->rules, k->columns[i]))
			shown[ncols++] = k->columns[i];
	{
		struct audit_export a = { c, k->entity, json_pack("{s:s,s:s,s:s,s:s,s:s}",
		    "q", f.q, "owner", f.owner, "city", f.city, "tag", f.tag, "sort", f.sort) };

		if (crm_db_tx(c->db, audit_tx, &a) != CRM_OK)
			return 500;
	}
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena,
	    "attachment; filename=\"%s\"", k->filename));
	crm_ctx_stream_start(c, "text/csv; charset=utf-8");
	/* Row data comes from the heap, freed batch by batch, not from the
	 * request arena that would hold all of it until the end. */
	crm_arena_json_use(NULL);
	crm_buf_init(&out, NULL, 64 * 1024);
	crm_csv_bom(&out);
	for (i = 0; i < ncols; i++)
		crm_csv_field(&out, shown[i], i == 0);
	crm_csv_end_row(&out);
	while (more) {
		rows = NULL;
		n = k->bind(c, &f, b);
		if (crm_db_rows(c->db, customers_sort_stmt(f.sort, k->by_name), b, n, &rows) != CRM_OK) {
			crm_log(CRM_LOG_ERROR, "export of %ss stopped after %zu rows", k->entity, total);
			json_decref(rows);
			break;
		}
		more = json_array_size(rows) > BATCH;
		json_array_foreach(rows, i, row) {
			size_t col;

			if (i == BATCH)
				break;
			for (col = 0; col < ncols; col++)
				cell(&out, json_object_get(row, shown[col]), col == 0);
			crm_csv_end_row(&out);
			if (out.len > 60 * 1024) {
				crm_ctx_stream_write(c, out.data, out.len);
				crm_buf_clear(&out);
			}
		}
		total += i;
		if (more) {
			row = json_array_get(rows, BATCH - 1);
			if (strcmp(f.sort, "city") == 0) {
				keep(after_a, sizeof(after_a), row, "city");
				keep(after_b, sizeof(after_b), row, k->name_col);
			} else if (strcmp(f.sort, "newest") == 0)
				keep(after_a, sizeof(after_a), row, "created_at");
			else
				keep(after_a, sizeof(after_a), row, k->name_col);
			f.after_a = after_a, f.after_b = after_b;
			f.after_id = json_integer_value(json_object_get(row, "id"));
		}
		json_decref(rows);
	}
	crm_ctx_stream_write(c, out.data, out.len);
	crm_buf_release(&out);
	crm_arena_json_use(c->arena);
	return 200;
}

int
customers_accounts_export(struct crm_ctx *c)
{
	return export(c, &accounts);
}

int
customers_contacts_export(struct crm_ctx *c)
{
	return export(c, &contacts);
}
