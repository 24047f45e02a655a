/* Accounts: list, create, show and edit, reassign. Who reaches which
 * account is decided in SQL (stmts.c SCOPE); a record out of reach is
 * simply not found. Fields a role may not read are removed from the view,
 * which is also the API answer; fields it may not change keep their value. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_valid.h"
#include "extern.h"

#define ENTITY "accounts"

/* The five binds of SCOPE. */
static void
bind_scope(struct crm_ctx *c, struct crm_db_bind *b)
{
	const struct crm_identity *u = c->user;

	crm_db_bind_str(&b[0], u->scope, (size_t)-1);
	crm_db_bind_i64(&b[1], u->user_id);
	crm_db_bind_str(&b[2], u->scope, (size_t)-1);
	crm_db_bind_i64(&b[3], u->team_id);
	crm_db_bind_i64(&b[4], u->team_id);
}

/* Money for people: "$1,250,000.50", "CN¥1,250,000.50", in the user's
 * language; the exact decimal stays in annual_revenue for programs. */
static void
money_text(struct crm_ctx *c, json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *v = json_string_value(json_object_get(row, "annual_revenue"));
		const char *cur = json_string_value(json_object_get(row, "currency"));
		struct crm_buf b;

		if (v == NULL)
			continue;
		crm_buf_init(&b, c->arena, 32);
		crm_i18n_format_money(&b, c->lang, v, cur ? cur : "USD");
		json_object_set_new(row, "annual_revenue_text", json_string(b.data));
	}
}

static void
nav(struct crm_ctx *c)
{
	json_object_set_new(c->view, "nav_customers", json_true());
	json_object_set_new(c->view, "can_write", json_boolean(crm_auth_can(c->user, "customers.write")));
}

int
customers_accounts(struct crm_ctx *c)
{
	const char *q = crm_ctx_query(c, "q"), *after_name = crm_ctx_query(c, "after_name");
	long long after_id = 0;
	struct crm_db_bind b[9];
	json_t *rows = NULL;

	if (q == NULL)
		q = "";
	if (!crm_valid_text(q, 0, 100, 0))
		return crm_ctx_fail(c, 400, N_("The search is too long."));
	if (!crm_valid_id(crm_ctx_query(c, "after_id"), &after_id))
		after_id = 0;
	bind_scope(c, b);
	crm_db_bind_str(&b[5], after_name ? after_name : "", (size_t)-1);
	crm_db_bind_i64(&b[6], after_id);
	crm_db_bind_str(&b[7], q, (size_t)-1);
	crm_db_bind_str(&b[8], q, (size_t)-1);
	if (crm_db_rows(c->db, STMT_ACCOUNTS_PAGE, b, 9, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		json_t *last = json_array_get(rows, 49);
		const char *url = crm_ctx_url(c, "/customers", "q", q,
		    "after_name", json_string_value(json_object_get(last, "name")),
		    "after_id", crm_arena_printf(c->arena, "%lld",
		    (long long)json_integer_value(json_object_get(last, "id"))), NULL);

		json_array_remove(rows, 50);
		json_object_set_new(c->view, "next_url", json_string(url));
	}
	crm_auth_strip_fields(c->user, ENTITY, rows);
	money_text(c, rows);
	json_object_set_new(c->view, "accounts", rows);
	json_object_set_new(c->view, "q", json_string(q));
	json_object_set_new(c->view, "show_revenue", json_boolean(!crm_auth_field_hidden(c->user,
	    ENTITY, "annual_revenue")));
	nav(c);
	return 200;
}

/* The submitted fields, checked; errors go into the view. */
struct account_form {
	const char *name, *industry, *website, *phone, *city, *revenue, *notes;
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
	if (before != NULL && crm_auth_field_readonly(c->user, ENTITY, field))
		return json_string_value(json_object_get(before, field));
	return v ? v : "";
}

static void
read_form(struct crm_ctx *c, struct account_form *f, json_t *before)
{
	f->name = form_value(c, "name", before);
	f->industry = form_value(c, "industry", before);
	f->website = form_value(c, "website", before);
	f->phone = form_value(c, "phone", before);
	f->city = form_value(c, "city", before);
	f->revenue = form_value(c, "annual_revenue", before);
	f->notes = form_value(c, "notes", before);
	if (!crm_valid_text(f->name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter the company's name (up to 200 characters)."));
	if (!crm_valid_text(f->industry, 0, 100, 0))
		crm_ctx_field_error(c, "industry", N_("Keep the industry under 100 characters."));
	if (!crm_valid_text(f->website, 0, 255, 0) || strpbrk(f->website, " <>\"'"))
		crm_ctx_field_error(c, "website", N_("Enter a web address such as example.com."));
	if (!crm_valid_text(f->phone, 0, 50, 0))
		crm_ctx_field_error(c, "phone", N_("Keep the phone number under 50 characters."));
	if (!crm_valid_text(f->city, 0, 100, 0))
		crm_ctx_field_error(c, "city", N_("Keep the city under 100 characters."));
	if (!valid_money(f->revenue))
		crm_ctx_field_error(c, "annual_revenue", N_("Enter an amount such as 1250000 or 1250000.50."));
	if (!crm_valid_text(f->notes, 0, 10000, 1))
		crm_ctx_field_error(c, "notes", N_("Keep the notes under 10,000 characters."));
}

static void
bind_form(struct crm_db_bind *b, const struct account_form *f)
{
	crm_db_bind_str(&b[0], f->name, (size_t)-1);
	crm_db_bind_str(&b[1], f->industry, (size_t)-1);
	crm_db_bind_str(&b[2], f->website, (size_t)-1);
	crm_db_bind_str(&b[3], f->phone, (size_t)-1);
	crm_db_bind_str(&b[4], f->city, (size_t)-1);
	crm_db_bind_str(&b[5], f->revenue && *f->revenue ? f->revenue : NULL, (size_t)-1);
	crm_db_bind_str(&b[6], f->notes, (size_t)-1);
}

static json_t *
form_json(const struct account_form *f)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:s}", "name", f->name, "industry", f->industry,
	    "website", f->website, "phone", f->phone, "city", f->city,
	    "annual_revenue", f->revenue && *f->revenue ? f->revenue : NULL, "notes", f->notes);
}

int
customers_account_new(struct crm_ctx *c)
{
	json_object_set_new(c->view, "account", json_object());
	json_object_set_new(c->view, "show_revenue", json_boolean(!crm_auth_field_hidden(c->user,
	    ENTITY, "annual_revenue")));
	nav(c);
	return 200;
}

struct create {
	struct crm_ctx *c;
	struct account_form f;
	uint64_t id;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct create *cr = arg;
	struct crm_db_bind b[8];
	enum crm_err e;

	bind_form(b, &cr->f);
	crm_db_bind_i64(&b[7], cr->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_ACCOUNT_CREATE, b, 8, NULL, &cr->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(cr->c, "create", "account", (long long)cr->id, NULL, form_json(&cr->f));
}

int
customers_account_create(struct crm_ctx *c)
{
	struct create cr = { c, { 0 }, 0 };

	read_form(c, &cr.f, NULL);
	if (crm_auth_field_readonly(c->user, ENTITY, "annual_revenue"))
		cr.f.revenue = "";
	if (crm_ctx_has_errors(c)) {
		json_object_set_new(c->view, "account", form_json(&cr.f));
		customers_account_new(c);
		json_object_set_new(c->view, "account", form_json(&cr.f));
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, create_tx, &cr) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/accounts/%llu?done=created",
	    (unsigned long long)cr.id));
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	struct crm_db_bind b[6];
	json_t *row = NULL;
	enum crm_err e;

	*status = 0;
	if (id == 0) {
		*status = 404;
		return NULL;
	}
	crm_db_bind_i64(&b[0], id);
	bind_scope(c, b + 1);
	e = crm_db_row(c->db, STMT_ACCOUNT_GET, b, 6, &row);
	if (e != CRM_OK)
		*status = e == CRM_ENOTFOUND ? 404 : 500;
	return row;
}

static int
show_view(struct crm_ctx *c, json_t *account)
{
	json_t *owners = NULL, *o;
	long long owner = json_integer_value(json_object_get(account, "owner_id"));
	const char *done = crm_ctx_query(c, "done");
	size_t i;

	json_t *history = NULL;

	if (crm_db_rows(c->db, STMT_OWNERS, NULL, 0, &owners) != CRM_OK ||
	    crm_ctx_history(c, "account", ENTITY, json_integer_value(json_object_get(account, "id")),
	    &history) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "history", history);
	json_array_foreach(owners, i, o)
		json_object_set_new(o, "selected", json_boolean(
		    json_integer_value(json_object_get(o, "id")) == owner));
	json_object_set_new(account, "created_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(account, "created_at")), 1)));
	json_object_set_new(account, "updated_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(account, "updated_at")), 1)));
	crm_auth_strip_fields(c->user, ENTITY, account);
	{
		json_t *one = json_pack("[O]", account);

		money_text(c, one);
	}
	json_object_set_new(c->view, "account", account);
	json_object_set_new(c->view, "owners", owners);
	json_object_set_new(c->view, "show_revenue", json_boolean(!crm_auth_field_hidden(c->user,
	    ENTITY, "annual_revenue")));
	json_object_set_new(c->view, "revenue_readonly", json_boolean(crm_auth_field_readonly(c->user,
	    ENTITY, "annual_revenue")));
	if (done && strcmp(done, "created") == 0)
		json_object_set_new(c->view, "flash", json_pack("{s:s,s:s}", "kind", "ok",
		    "message", crm_ctx_text(c, N_("The account was created."))));
	else if (done && strcmp(done, "saved") == 0)
		json_object_set_new(c->view, "flash", json_pack("{s:s,s:s}", "kind", "ok",
		    "message", crm_ctx_text(c, N_("Your changes were saved."))));
	nav(c);
	return 200;
}

int
customers_account_show(struct crm_ctx *c)
{
	int status;
	json_t *account = load(c, crm_ctx_id(c, "id"), &status);

	return status ? status : show_view(c, account);
}

struct update {
	struct crm_ctx *c;
	long long id;
	struct account_form f;
	json_t *before;
	long long owner;
};

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct update *u = arg;
	struct crm_db_bind b[13];
	uint64_t n = 0;
	enum crm_err e;

	bind_form(b, &u->f);
	crm_db_bind_i64(&b[7], u->id);
	bind_scope(u->c, b + 8);
	if ((e = crm_db_exec(db, STMT_ACCOUNT_UPDATE, b, 13, &n, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(u->c, "update", "account", u->id, u->before, form_json(&u->f));
}

int
customers_account_update(struct crm_ctx *c)
{
	struct update u = { c, crm_ctx_id(c, "id"), { 0 }, NULL, 0 };
	int status;

	u.before = load(c, u.id, &status);
	if (status)
		return status;
	read_form(c, &u.f, u.before);
	if (crm_ctx_has_errors(c)) {
		json_t *shown = json_deep_copy(u.before), *typed = form_json(&u.f);

		json_object_update(shown, typed);
		if (show_view(c, shown) != 200)
			return 500;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, update_tx, &u) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/accounts/%lld?done=saved", u.id));
}

static enum crm_err
reassign_tx(struct crm_db *db, void *arg)
{
	struct update *u = arg;
	struct crm_db_bind b[7];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], u->owner);
	crm_db_bind_i64(&b[1], u->id);
	bind_scope(u->c, b + 2);
	if ((e = crm_db_exec(db, STMT_ACCOUNT_REASSIGN, b, 7, &n, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(u->c, "reassign", "account", u->id,
	    json_pack("{s:O}", "owner_id", json_object_get(u->before, "owner_id")),
	    json_pack("{s:I}", "owner_id", (json_int_t)u->owner));
}

int
customers_account_reassign(struct crm_ctx *c)
{
	struct update u = { c, crm_ctx_id(c, "id"), { 0 }, NULL, 0 };
	int status;
	enum crm_err e;

	u.before = load(c, u.id, &status);
	if (status)
		return status;
	if (!crm_valid_id(crm_ctx_form(c, "owner_id"), &u.owner))
		return crm_ctx_fail(c, 422, N_("Choose who the account goes to."));
	e = crm_db_tx(c->db, reassign_tx, &u);
	if (e == CRM_EINVAL)
		return crm_ctx_fail(c, 422, N_("Choose who the account goes to."));
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/accounts/%lld?done=saved", u.id));
}
