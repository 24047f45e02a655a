/* What the customers handlers share: the scope binds, navigation, the
 * "done" flash, link fields, tags, counters, list filters and paging. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_table.h"
#include "crm_valid.h"
#include "extern.h"

void
bind_scope(struct crm_ctx *c, struct crm_db_bind *b)
{
	crm_auth_bind_scope(c->user, b);
}

void
customers_nav(struct crm_ctx *c, const char *current)
{
	crm_ctx_nav_here(c, "customers");
	json_object_set_new(c->view, "can_write", json_boolean(crm_auth_can(c->user, "customers.write")));
	json_object_set_new(c->view, "can_delete", json_boolean(crm_auth_can(c->user, "customers.delete")));
	json_object_set_new(c->view, "can_import", json_boolean(crm_auth_can(c->user, "customers.import")));
	json_object_set_new(c->view, crm_arena_join(c->arena, "sub_", current, NULL), json_true());
}

static const struct crm_done done_messages[] = {
	{ "created", N_("The record was created.") },
	{ "saved", N_("Your changes were saved.") },
	{ "deleted", N_("The record was moved to the trash.") },
	{ "restored", N_("The record was restored.") },
	{ "logged", N_("The activity was added.") },
	{ "task-done", N_("The task is done.") },
	{ "task-open", N_("The task is open again.") },
	{ "activity-deleted", N_("The activity was deleted.") },
	{ "merged", N_("The contacts were merged into this one.") },
	{ "import-queued", N_("The import has started; this page follows its progress.") },
	{ "import-cancelled", N_("The import was cancelled. Rows imported before it stopped stay.") },
};

void
customers_flash(struct crm_ctx *c)
{
	crm_ctx_done_flash(c, done_messages, CRM_NELEM(done_messages));
}

long long
customers_ref(struct crm_ctx *c, const char *value, size_t by_id, size_t by_name, int scoped,
    const char **error)
{
	struct crm_db_bind b[6];
	const char *hash;
	json_t *rows = NULL;
	long long id = 0;
	enum crm_err e;

	*error = NULL;
	if (value == NULL || *value == '\0')
		return 0;
	/* "Acme Ltd #42": the autocomplete's pick; the id decides. */
	if ((hash = strrchr(value, '#')) != NULL && crm_valid_id(hash + 1, &id)) {
		crm_db_bind_i64(&b[0], id);
		if (scoped)
			bind_scope(c, b + 1);
		e = crm_db_rows(c->db, by_id, b, scoped ? 6 : 1, &rows);
	} else {
		crm_db_bind_str(&b[0], value, (size_t)-1);
		if (scoped)
			bind_scope(c, b + 1);
		e = crm_db_rows(c->db, by_name, b, scoped ? 6 : 1, &rows);
	}
	if (e != CRM_OK) {
		*error = N_("The search for that record failed; try again.");
		return 0;
	}
	if (json_array_size(rows) == 0) {
		*error = N_("Nothing by that name; pick one from the suggestions.");
		return 0;
	}
	if (json_array_size(rows) > 1) {
		*error = N_("More than one has that name; pick one from the suggestions.");
		return 0;
	}
	return json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
}

enum crm_err
customers_count_add(struct crm_db *db, const char *entity, long long delta)
{
	struct crm_db_bind b[2];

	crm_db_bind_i64(&b[0], delta);
	crm_db_bind_str(&b[1], entity, (size_t)-1);
	return crm_db_exec(db, STMT_COUNT_ADD, b, 2, NULL, NULL);
}

static const char *
query_or_empty(struct crm_ctx *c, const char *name)
{
	const char *v = crm_ctx_query(c, name);

	return v ? v : "";
}

/* Reads and checks the list's query string: 400 for nonsense, else 0. */
int
customers_list_filters(struct crm_ctx *c, struct list_filters *f)
{
	static const char *const sorts[] = { "name", "city", "newest", NULL };
	const char *account = query_or_empty(c, "account_id");

	memset(f, 0, sizeof(*f));
	f->q = query_or_empty(c, "q");
	f->owner = query_or_empty(c, "owner");
	f->city = query_or_empty(c, "city");
	f->tag = query_or_empty(c, "tag");
	f->from = query_or_empty(c, "from");
	f->to = query_or_empty(c, "to");
	f->sort = query_or_empty(c, "sort");
	f->after_a = query_or_empty(c, "after_a");
	f->after_b = query_or_empty(c, "after_b");
	f->cf = query_or_empty(c, "cf");
	f->cv = query_or_empty(c, "cv");
	if ((*f->cf && !crm_valid_id(f->cf, &f->cf_id)) || !crm_valid_text(f->cv, 0, 500, 0))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if (f->cf_id == 0)
		f->cv = "";
	if (*f->sort == '\0')
		f->sort = "name";
	if (!crm_valid_text(f->q, 0, 100, 0) || !crm_valid_text(f->city, 0, 100, 0) ||
	    !crm_valid_text(f->tag, 0, 50, 0) || !crm_valid_text(f->after_a, 0, 300, 0) ||
	    !crm_valid_text(f->after_b, 0, 300, 0) || !crm_valid_oneof(f->sort, sorts))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if ((*f->from && !crm_valid_date(f->from)) || (*f->to && !crm_valid_date(f->to)))
		return crm_ctx_fail(c, 400, N_("Enter dates as YYYY-MM-DD."));
	if (*account && !crm_valid_id(account, &f->account_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if (*f->owner) {
		const char *error;

		f->owner_id = customers_ref(c, f->owner, STMT_USER_ACTIVE, STMT_USER_BY_NAME, 0, &error);
		if (error != NULL)
			return crm_ctx_fail(c, 400, error);
	}
	if (!crm_ctx_after_id(c, &f->after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if (strcmp(f->sort, "newest") == 0 && f->after_id != 0 && !crm_valid_datetime(f->after_a))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	return 0;
}

/* In the order of ACCOUNT_FILTERS and CONTACT_FILTERS (stmts.c): the
 * scope, the name prefix, owner, account (contacts only), city, tag,
 * created from and to, then the keyset. */
size_t
customers_bind_list(struct crm_ctx *c, const struct list_filters *f, struct crm_db_bind *b,
    int by_account)
{
	size_t n = 5;

	bind_scope(c, b);
	crm_db_bind_str(&b[n++], f->q, (size_t)-1);
	crm_db_bind_str(&b[n++], f->q, (size_t)-1);
	crm_db_bind_i64(&b[n++], f->owner_id);
	crm_db_bind_i64(&b[n++], f->owner_id);
	if (by_account) {
		crm_db_bind_i64(&b[n++], f->account_id);
		crm_db_bind_i64(&b[n++], f->account_id);
	}
	crm_db_bind_str(&b[n++], f->city, (size_t)-1);
	crm_db_bind_str(&b[n++], f->city, (size_t)-1);
	crm_db_bind_str(&b[n++], f->tag, (size_t)-1);
	crm_db_bind_str(&b[n++], f->tag, (size_t)-1);
	crm_db_bind_str(&b[n++], f->from, (size_t)-1);
	crm_db_bind_str(&b[n++], f->from, (size_t)-1);
	crm_db_bind_str(&b[n++], f->to, (size_t)-1);
	crm_db_bind_str(&b[n++], f->to, (size_t)-1);
	crm_db_bind_i64(&b[n++], f->cf_id);
	crm_db_bind_i64(&b[n++], f->cf_id);
	crm_db_bind_str(&b[n++], f->cv, (size_t)-1);
	crm_db_bind_str(&b[n++], f->cv, (size_t)-1);
	/* A number field's value compares as a number: "42.0" finds 42. */
	if (*f->cv && customers_custom_number(c->arena, f->cv, NULL))
		crm_db_bind_double(&b[n++], strtod(f->cv, NULL));
	else
		crm_db_bind_null(&b[n++]);
	return n + customers_bind_keyset(f, b + n);
}

size_t
customers_bind_keyset(const struct list_filters *f, struct crm_db_bind *b)
{
	if (strcmp(f->sort, "city") == 0) {
		crm_db_bind_str(&b[0], f->after_a, (size_t)-1);
		crm_db_bind_str(&b[1], f->after_a, (size_t)-1);
		crm_db_bind_str(&b[2], f->after_b, (size_t)-1);
		crm_db_bind_str(&b[3], f->after_b, (size_t)-1);
		crm_db_bind_i64(&b[4], f->after_id);
		return 5;
	}
	if (strcmp(f->sort, "newest") == 0) {
		crm_db_bind_i64(&b[0], f->after_id == 0);
		crm_db_bind_str(&b[1], f->after_id ? f->after_a : "", (size_t)-1);
		crm_db_bind_str(&b[2], f->after_id ? f->after_a : "", (size_t)-1);
		crm_db_bind_i64(&b[3], f->after_id);
		return 4;
	}
	crm_db_bind_str(&b[0], f->after_a, (size_t)-1);
	crm_db_bind_str(&b[1], f->after_a, (size_t)-1);
	crm_db_bind_i64(&b[2], f->after_id);
	return 3;
}

void
customers_filters_view(struct crm_ctx *c, const struct list_filters *f, const char *path)
{
	json_t *filters = json_object();
	const char *query = crm_ctx_url(c, "", "q", f->q, "owner", f->owner, "city", f->city, "tag", f->tag,
	    "from", f->from, "to", f->to, "account_id", f->account_id ?
	    crm_arena_printf(c->arena, "%lld", f->account_id) : "", "cf", f->cf, "cv", f->cv, "sort", f->sort, NULL);

	json_object_set_new(c->view, "list_path", json_string(path));
	json_object_set_new(c->view, "list_query", json_string(*query == '?' ? query + 1 : query));
	json_object_set_new(c->view, "export_url", json_string(crm_ctx_url(c,
	    strcmp(path, "/customers") == 0 ? "/customers/accounts/export.csv" : "/customers/contacts/export.csv",
	    "q", f->q, "owner", f->owner, "city", f->city, "tag", f->tag, "from", f->from, "to", f->to,
	    "account_id", f->account_id ? crm_arena_printf(c->arena, "%lld", f->account_id) : "",
	    "cf", f->cf, "cv", f->cv, "sort", f->sort, NULL)));
	json_object_set_new(c->view, "filters", filters);
	/* Set one by one, not with json_pack: every list page shows the
	 * filters, and parsing the format cost more than the setting. */
	json_object_set_new_nocheck(filters, "q", json_string(f->q));
	json_object_set_new_nocheck(filters, "owner", json_string(f->owner));
	json_object_set_new_nocheck(filters, "city", json_string(f->city));
	json_object_set_new_nocheck(filters, "tag", json_string(f->tag));
	json_object_set_new_nocheck(filters, "from", json_string(f->from));
	json_object_set_new_nocheck(filters, "to", json_string(f->to));
	json_object_set_new_nocheck(filters, "sort", json_string(f->sort));
	json_object_set_new_nocheck(filters, "sort_name", json_boolean(strcmp(f->sort, "name") == 0));
	json_object_set_new_nocheck(filters, "sort_city", json_boolean(strcmp(f->sort, "city") == 0));
	json_object_set_new_nocheck(filters, "sort_newest", json_boolean(strcmp(f->sort, "newest") == 0));
	if (f->account_id)
		json_object_set_new_nocheck(filters, "account_id", json_integer(f->account_id));
	json_object_set_new_nocheck(filters, "cv", json_string(f->cv));
	if (customers_custom_filter_view(c, strcmp(path, "/customers") == 0 ? "account" : "contact", f) != CRM_OK)
		json_object_set_new(c->view, "custom_filters", json_array());
}

void
customers_next_page(struct crm_ctx *c, json_t *rows, const char *path,
    const char *const *keep, const char *sort)
{
	const char *name_col = strcmp(path, "/customers/contacts") == 0 ? "full_name" : "name";
	const char *a, *b = "";

	if (crm_table_size(rows) <= 50)
		return;
	if (strcmp(sort, "city") == 0) {
		a = json_string_value(crm_table_get(rows, 49, "city"));
		b = json_string_value(crm_table_get(rows, 49, name_col));
	} else if (strcmp(sort, "newest") == 0)
		a = json_string_value(crm_table_get(rows, 49, "created_at"));
	else
		a = json_string_value(crm_table_get(rows, 49, name_col));
	json_object_set_new(c->view, "next_url", json_string(crm_ctx_url(c, path,
	    "q", keep[0], "owner", keep[1], "city", keep[2], "tag", keep[3], "from", keep[4],
	    "to", keep[5], "account_id", keep[6], "cf", query_or_empty(c, "cf"), "cv", query_or_empty(c, "cv"),
	    "sort", sort, "after_a", a ? a : "", "after_b", b ? b : "",
	    "after_id", crm_arena_printf(c->arena, "%lld",
	    (long long)json_integer_value(crm_table_get(rows, 49, "id"))), NULL)));
	json_array_remove(crm_table_rows(rows), 50);
}

/* The statement for a sort: by name, city or newest come in that order
 * after the first. */
size_t
customers_sort_stmt(const char *sort, size_t by_name)
{
	if (strcmp(sort, "city") == 0)
		return by_name + 1;
	if (strcmp(sort, "newest") == 0)
		return by_name + 2;
	return by_name;
}
