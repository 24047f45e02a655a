/* Accounts: list, create, show and edit. Who reaches which account is
 * decided in SQL (stmts.c SCOPE); a record out of reach is simply not
 * found. Fields a role may not read are removed from the view, which is
 * also the API answer; fields it may not change keep their value. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_table.h"
#include "crm_valid.h"
#include "extern.h"
#include "records.h"

#define ENTITY "accounts"

/* Money for people: "$1,250,000.50", "CN¥1,250,000.50", in the user's
 * language; the exact decimal stays in annual_revenue for programs. NULL
 * for no revenue. */
static json_t *
revenue_text(struct crm_ctx *c, const json_t *revenue, const json_t *currency)
{
	const char *cur = json_string_value(currency);
	struct crm_buf b;

	if (json_string_value(revenue) == NULL)
		return NULL;
	crm_buf_init(&b, c->arena, 32);
	crm_i18n_format_money(&b, c->lang, json_string_value(revenue), cur ? cur : "USD");
	return json_string(b.data);
}

/* The list's revenue texts: null in a row without a revenue. */
static void
money_text(struct crm_ctx *c, json_t *table)
{
	json_t *columns = crm_table_columns(table), *rows = crm_table_rows(table), *row, *text;
	int revenue = crm_table_col(columns, "annual_revenue"), currency, at;
	size_t i;

	if (revenue < 0)
		return;
	currency = crm_table_col(columns, "currency");
	at = crm_table_add_col(columns, "annual_revenue_text");
	json_array_foreach(rows, i, row)
		if ((text = revenue_text(c, crm_table_cell(row, revenue), crm_table_cell(row, currency))) != NULL)
			crm_table_set_new(row, at, text);
}

static void
revenue_flags(struct crm_ctx *c)
{
	json_object_set_new(c->view, "show_revenue", json_boolean(!crm_auth_field_hidden(c->user,
	    ENTITY, "annual_revenue")));
	json_object_set_new(c->view, "revenue_readonly", json_boolean(crm_auth_field_readonly(c->user,
	    ENTITY, "annual_revenue")));
}

/* The exact total when it is cheap: the maintained counter, shown only
 * for a list with no filter that the user sees all of. */
static void
total(struct crm_ctx *c, const char *entity, const struct list_filters *f)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	if (strcmp(c->user->scope, "all") != 0 || *f->q || *f->owner || *f->city || *f->tag ||
	    *f->from || *f->to || f->account_id || f->after_id || f->cf_id)
		return;
	crm_db_bind_str(&b[0], entity, (size_t)-1);
	if (crm_db_row(c->db, STMT_COUNT_GET, b, 1, &row) == CRM_OK)
		json_object_set(c->view, "total", json_object_get(row, "live"));
}

size_t
accounts_bind_list(struct crm_ctx *c, const struct list_filters *f, struct crm_db_bind *b)
{
	return customers_bind_list(c, f, b, 0);
}

int
customers_accounts(struct crm_ctx *c)
{
	struct list_filters f;
	struct crm_db_bind b[30];
	size_t n;
	json_t *rows = NULL;
	const char *keep[7];
	int bad;

	if ((bad = customers_list_filters(c, &f)) != 0)
		return bad;
	n = accounts_bind_list(c, &f, b);
	if (crm_db_table(c->db, customers_sort_stmt(f.sort, c->api ? STMT_ACCOUNTS_BY_NAME :
	    STMT_ACCOUNTS_BRIEF_BY_NAME), b, n, &rows) != CRM_OK)
		return 500;
	keep[0] = f.q, keep[1] = f.owner, keep[2] = f.city, keep[3] = f.tag;
	keep[4] = f.from, keep[5] = f.to, keep[6] = "";
	customers_next_page(c, rows, "/customers", keep, f.sort);
	crm_auth_strip_fields(c->user, ENTITY, rows);
	money_text(c, rows);
	json_object_set_new(c->view, "accounts", rows);
	customers_filters_view(c, &f, "/customers");
	if (customers_views_load(c, "account") != CRM_OK)
		return 500;
	total(c, "account", &f);
	revenue_flags(c);
	customers_nav(c, "accounts");
	return 200;
}

/* The submitted fields, checked; errors go into the view. */
struct account_form {
	const char *name, *industry, *size, *website, *phone, *street, *city, *region, *postcode,
	    *country, *revenue, *notes, *tags;
};

static int
valid_money(const char *s)
{
	size_t i, dot = 0, after = 0, digits = 0;

	if (s == NULL || *s == '\0')
		return 1;
	for (i = 0; s[i]; i++) {
		if (s[i] == '.' && !dot)
			dot = 1;
		else if (s[i] >= '0' && s[i] <= '9') {
			digits++;
			if (dot && ++after > 2)
				return 0;
		} else
			return 0;
	}
	return digits > 0 && digits <= 15;
}

static const char *
form_value(struct crm_ctx *c, const char *field, json_t *before)
{
	const char *v = crm_ctx_form(c, field);

	/* A field this role may not change keeps what it had. */
	if (before != NULL && crm_auth_field_readonly(c->user, ENTITY, field)) {
		v = json_string_value(json_object_get(before, field));
		return v ? v : "";
	}
	return v ? v : "";
}

static int
valid_country(const char *s)
{
	return *s == '\0' || (strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z');
}

static const char *const sizes[] = { "", "1-10", "11-50", "51-200", "201-1000", "1001+", NULL };

static void
read_form(struct crm_ctx *c, struct account_form *f, json_t *before)
{
	f->name = form_value(c, "name", before);
	f->industry = form_value(c, "industry", before);
	f->size = form_value(c, "size", before);
	f->website = form_value(c, "website", before);
	f->phone = form_value(c, "phone", before);
	f->street = form_value(c, "street", before);
	f->city = form_value(c, "city", before);
	f->region = form_value(c, "region", before);
	f->postcode = form_value(c, "postcode", before);
	f->country = form_value(c, "country", before);
	f->revenue = form_value(c, "annual_revenue", before);
	f->notes = form_value(c, "notes", before);
	f->tags = form_value(c, "tags", before);
	if (!crm_valid_text(f->name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter the company's name (up to 200 characters)."));
	if (!crm_valid_text(f->industry, 0, 100, 0))
		crm_ctx_field_error(c, "industry", N_("Keep the industry under 100 characters."));
	if (!crm_valid_oneof(f->size, sizes))
		crm_ctx_field_error(c, "size", N_("Choose a size from the list."));
	if (!crm_valid_text(f->website, 0, 255, 0) || strpbrk(f->website, " <>\"'"))
		crm_ctx_field_error(c, "website", N_("Enter a web address such as example.com."));
	if (!crm_valid_text(f->phone, 0, 50, 0))
		crm_ctx_field_error(c, "phone", N_("Keep the phone number under 50 characters."));
	if (!crm_valid_text(f->street, 0, 200, 0))
		crm_ctx_field_error(c, "street", N_("Keep the street under 200 characters."));
	if (!crm_valid_text(f->city, 0, 100, 0))
		crm_ctx_field_error(c, "city", N_("Keep the city under 100 characters."));
	if (!crm_valid_text(f->region, 0, 100, 0))
		crm_ctx_field_error(c, "region", N_("Keep the region under 100 characters."));
	if (!crm_valid_text(f->postcode, 0, 20, 0))
		crm_ctx_field_error(c, "postcode", N_("Keep the postcode under 20 characters."));
	if (!valid_country(f->country))
		crm_ctx_field_error(c, "country", N_("Enter a two-letter country code such as CN or US."));
	if (!valid_money(f->revenue))
		crm_ctx_field_error(c, "annual_revenue", N_("Enter an amount such as 1250000 or 1250000.50."));
	if (!crm_valid_text(f->notes, 0, 10000, 1))
		crm_ctx_field_error(c, "notes", N_("Keep the notes under 10,000 characters."));
	if (!crm_tags_valid(f->tags))
		crm_ctx_field_error(c, "tags", N_("Separate tags with commas; each up to 50 characters, 20 at most."));
}

static void
bind_form(struct crm_db_bind *b, const struct account_form *f)
{
	crm_db_bind_str(&b[0], f->name, (size_t)-1);
	crm_db_bind_str(&b[1], f->industry, (size_t)-1);
	crm_db_bind_str(&b[2], f->size, (size_t)-1);
	crm_db_bind_str(&b[3], f->website, (size_t)-1);
	crm_db_bind_str(&b[4], f->phone, (size_t)-1);
	crm_db_bind_str(&b[5], f->street, (size_t)-1);
	crm_db_bind_str(&b[6], f->city, (size_t)-1);
	crm_db_bind_str(&b[7], f->region, (size_t)-1);
	crm_db_bind_str(&b[8], f->postcode, (size_t)-1);
	crm_db_bind_str(&b[9], f->country, (size_t)-1);
	crm_db_bind_str(&b[10], f->revenue && *f->revenue ? f->revenue : NULL, (size_t)-1);
	crm_db_bind_str(&b[11], f->notes, (size_t)-1);
}

static json_t *
form_json(const struct account_form *f)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name", f->name,
	    "industry", f->industry, "size", f->size, "website", f->website, "phone", f->phone,
	    "street", f->street, "city", f->city, "region", f->region, "postcode", f->postcode,
	    "country", f->country, "notes", f->notes, "tags", f->tags);

	json_object_set_new(o, "annual_revenue", f->revenue && *f->revenue ?
	    json_string(f->revenue) : json_null());
	return o;
}

static void
size_options(struct crm_ctx *c, json_t *account)
{
	const char *current = json_string_value(json_object_get(account, "size"));
	json_t *opts = json_array();
	size_t i;

	for (i = 1; sizes[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:b}", "value", sizes[i],
		    "selected", current && strcmp(current, sizes[i]) == 0));
	json_object_set_new(c->view, "sizes", opts);
}

int
customers_account_new(struct crm_ctx *c)
{
	json_t *account = json_object();

	json_object_set_new(c->view, "account", account);
	size_options(c, account);
	revenue_flags(c);
	customers_nav(c, "accounts");
	return customers_custom_show(c, "account", account) == CRM_OK ? 200 : 500;
}

struct create {
	struct crm_ctx *c;
	struct account_form f;
	uint64_t id;
	struct custom_values *cv;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct create *cr = arg;
	struct crm_db_bind b[13];
	enum crm_err e;

	bind_form(b, &cr->f);
	crm_db_bind_i64(&b[12], cr->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_ACCOUNT_CREATE, b, 13, NULL, &cr->id)) != CRM_OK ||
	    (e = crm_tags_save(db, "account", (long long)cr->id, cr->f.tags)) != CRM_OK ||
	    (e = customers_custom_save(db, cr->cv, (long long)cr->id)) != CRM_OK ||
	    (e = customers_count_add(db, "account", 1)) != CRM_OK)
		return e;
	return crm_ctx_audit(cr->c, "create", "account", (long long)cr->id, NULL,
	    customers_custom_audit(cr->cv, NULL, form_json(&cr->f)));
}

int
customers_account_create(struct crm_ctx *c)
{
	struct create cr = { c, { 0 }, 0, NULL };

	read_form(c, &cr.f, NULL);
	if ((cr.cv = customers_custom_read(c, "account", 0)) == NULL)
		return 500;
	if (crm_auth_field_readonly(c->user, ENTITY, "annual_revenue"))
		cr.f.revenue = "";
	if (crm_ctx_has_errors(c)) {
		customers_account_new(c);
		json_object_set_new(c->view, "account", form_json(&cr.f));
		size_options(c, json_object_get(c->view, "account"));
		customers_custom_keep(json_object_get(c->view, "account"), cr.cv);
		if (customers_custom_show(c, "account", json_object_get(c->view, "account")) != CRM_OK)
			return 500;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, create_tx, &cr) != CRM_OK)
		return 500;
	customers_index(c, "account", (long long)cr.id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/accounts/%llu?done=created",
	    (unsigned long long)cr.id));
}

static int
show_view(struct crm_ctx *c, json_t *account)
{
	long long id = json_integer_value(json_object_get(account, "id"));
	struct crm_db_bind b[1];
	json_t *contacts = NULL;
	int status;

	crm_db_bind_i64(&b[0], id);
	if (crm_db_rows(c->db, STMT_ACCOUNT_CONTACTS, b, 1, &contacts) != CRM_OK ||
	    customers_timeline(c, STMT_TIMELINE_ACCOUNT, id,
	    crm_arena_printf(c->arena, "/customers/accounts/%lld", id)) != CRM_OK)
		return 500;
	if (json_array_size(contacts) > 50) {
		json_array_remove(contacts, 50);
		json_object_set_new(c->view, "more_contacts", json_true());
	}
	json_object_set_new(c->view, "contacts", contacts);
	if ((status = record_show_common(c, &account_kind, account)) != 200)
		return status;
	{
		json_t *text = revenue_text(c, json_object_get(account, "annual_revenue"),
		    json_object_get(account, "currency"));

		if (text != NULL)
			json_object_set_new(account, "annual_revenue_text", text);
	}
	if (customers_custom_show(c, "account", account) != CRM_OK ||
	    customers_account_sales(c, id) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "account", account);
	json_object_set_new(c->view, "parent", json_pack("{s:s,s:I}", "kind", "account_id",
	    "id", (json_int_t)id));
	size_options(c, account);
	revenue_flags(c);
	customers_nav(c, "accounts");
	return 200;
}

int
customers_account_page(struct crm_ctx *c, long long id)
{
	int status;
	json_t *rec = record_load(c, &account_kind, id, crm_auth_can(c->user, "customers.delete"), &status);

	return status ? status : show_view(c, rec);
}

int
customers_account_show(struct crm_ctx *c)
{
	return customers_account_page(c, crm_ctx_id(c, "id"));
}

struct update {
	struct crm_ctx *c;
	long long id;
	struct account_form f;
	json_t *before;
	struct custom_values *cv;
};

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct update *u = arg;
	struct crm_db_bind b[18];
	enum crm_err e;

	bind_form(b, &u->f);
	crm_db_bind_i64(&b[12], u->id);
	bind_scope(u->c, b + 13);
	if ((e = crm_db_exec(db, STMT_ACCOUNT_UPDATE, b, 18, NULL, NULL)) != CRM_OK ||
	    (e = crm_tags_save(db, "account", u->id, u->f.tags)) != CRM_OK ||
	    (e = customers_custom_save(db, u->cv, u->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(u->c, "update", "account", u->id, u->before,
	    customers_custom_audit(u->cv, u->before, form_json(&u->f)));
}

int
customers_account_update(struct crm_ctx *c)
{
	struct update u = { c, crm_ctx_id(c, "id"), { 0 }, NULL, NULL };
	int status;

	u.before = record_load(c, &account_kind, u.id, 0, &status);
	if (status)
		return status;
	if (json_is_null(json_object_get(u.before, "tags")))
		json_object_set_new(u.before, "tags", json_string(""));
	read_form(c, &u.f, u.before);
	if ((u.cv = customers_custom_read(c, "account", u.id)) == NULL)
		return 500;
	if (crm_ctx_has_errors(c)) {
		json_t *shown = json_deep_copy(u.before);

		json_object_update(shown, form_json(&u.f));
		customers_custom_keep(shown, u.cv);
		if (show_view(c, shown) != 200)
			return 500;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, update_tx, &u) != CRM_OK)
		return 500;
	customers_index(c, "account", u.id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/accounts/%lld?done=saved", u.id));
}

int
customers_account_reassign(struct crm_ctx *c)
{
	return record_reassign(c, &account_kind);
}

int
customers_account_delete(struct crm_ctx *c)
{
	return record_delete(c, &account_kind);
}

int
customers_account_restore(struct crm_ctx *c)
{
	return record_restore(c, &account_kind);
}
