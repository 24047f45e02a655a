/* A deal's form: its fields, its product lines and the records it links
 * to, read and checked in one place for create and edit; the lookups
 * that fill the link fields' suggestions. Lines are priced exactly: a
 * blank unit price is the default price book's, and when a deal has
 * lines its amount is the sum of their net totals. */
#include <string.h>

#include "crm_confcache.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

#define MAX_LINES 50

/* A link typed as "Name #id" (the autocomplete's pick: the id decides)
 * or as an exact name. by_id and by_name take the value then extra
 * binds; more than one match by name asks the user to pick. */
static long long
ref(struct crm_ctx *c, const char *value, size_t by_id, size_t by_name, const struct crm_db_bind *extra,
    size_t nextra, int name_twice, const char **error)
{
	struct crm_db_bind b[8];
	const char *hash;
	json_t *rows = NULL;
	long long id = 0;
	size_t n = 1, stmt = by_name;

	*error = NULL;
	if ((hash = strrchr(value, '#')) != NULL && crm_valid_id(hash + 1, &id)) {
		crm_db_bind_i64(&b[0], id);
		stmt = by_id;
	} else {
		crm_db_bind_str(&b[0], value, (size_t)-1);
		if (name_twice) {
			crm_db_bind_str(&b[1], value, (size_t)-1);
			crm_db_bind_str(&b[2], value, (size_t)-1);
			n = 3;
		}
	}
	memcpy(b + n, extra, nextra * sizeof(*extra));
	if (crm_db_rows(c->db, stmt, b, n + nextra, &rows) != CRM_OK) {
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

/* Every value of a repeated form field, in the order sent. */
static const char **
all_of(struct crm_ctx *c, const char *name, size_t *n)
{
	const char **v = crm_arena_calloc(c->arena, c->form.n + 1, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < c->form.n; i++)
		if (strcmp(c->form.v[i].name.data, name) == 0)
			v[(*n)++] = c->form.v[i].value.data;
	return v;
}

static const char *
nth(const char **v, size_t n, size_t i)
{
	return i < n ? v[i] : "";
}

/* The price a line gets when none is typed: the default book's, in the
 * base currency; a book in another currency falls back to the list price
 * (a deal's amount is in the base currency). */
static int
default_price(struct crm_ctx *c, long long product_id, const char *list_price, long long *cents)
{
	json_t *book = NULL;
	const char *currency = NULL;
	long long tax_bp;

	if (crm_db_row(c->db, STMT_OPP_DEFAULT_BOOK, NULL, 0, &book) == CRM_OK &&
	    json_is_null(json_object_get(book, "own_currency")) &&
	    sales_price_lookup(c, json_integer_value(json_object_get(book, "id")), product_id, cents,
	    &currency, &tax_bp) == 0)
		return 0;
	return crm_money_parse(list_price, cents);
}

static void
read_lines(struct crm_ctx *c, struct opp_form *f)
{
	size_t np, nq, nu, nd, i;
	const char **prod = all_of(c, "product", &np), **qty = all_of(c, "quantity", &nq);
	const char **price = all_of(c, "unit_price", &nu), **disc = all_of(c, "discount", &nd);
	struct crm_db_bind b[1];
	int bad = 0;

	f->lines = crm_arena_calloc(c->arena, np + 1, sizeof(*f->lines));
	f->nlines = 0;
	for (i = 0; i < np; i++) {
		struct opp_line *l = &f->lines[f->nlines];
		const char *q = nth(qty, nq, i), *u = nth(price, nu, i), *d = nth(disc, nd, i);
		const char *error = NULL;
		struct crm_line_amounts amt;
		json_t *row = NULL;

		if (*prod[i] == '\0')
			continue;
		if (f->nlines == MAX_LINES) {
			crm_ctx_field_error(c, "lines", N_("A deal has at most 50 lines."));
			return;
		}
		f->nlines++;
		l->product = prod[i];
		l->product_id = ref(c, prod[i], STMT_OPP_PRODUCT_GET, STMT_OPP_PRODUCT_BY_NAME, NULL, 0, 1, &error);
		if (l->product_id == 0) {
			bad = 1;
			continue;
		}
		crm_db_bind_i64(&b[0], l->product_id);
		if (crm_db_row(c->db, STMT_OPP_PRODUCT_GET, b, 1, &row) != CRM_OK) {
			bad = 1;
			continue;
		}
		if (*q == '\0')
			q = "1";
		if (crm_decimal_parse(q, CRM_QTY_SCALE, 12, &l->qty_milli) != 0 || l->qty_milli <= 0) {
			bad = 1;
			continue;
		}
		if (*u == '\0') {
			if (default_price(c, l->product_id, json_string_value(json_object_get(row, "list_price")),
			    &l->price_cents) != 0) {
				bad = 1;
				continue;
			}
		} else if (crm_money_parse(u, &l->price_cents) != 0 || l->price_cents < 0) {
			bad = 1;
			continue;
		}
		if (*d == '\0')
			d = "0";
		if (crm_decimal_parse(d, CRM_PERCENT_SCALE, 5, &l->discount_bp) != 0 || l->discount_bp < 0 ||
		    l->discount_bp > 10000) {
			bad = 1;
			continue;
		}
		if (crm_line_amounts(l->qty_milli, l->price_cents, l->discount_bp, 0, &amt) != 0) {
			bad = 1;
			continue;
		}
		l->net_cents = amt.net;
	}
	if (bad)
		crm_ctx_field_error(c, "lines", N_("Each line needs a product from the list, a quantity above 0, "
		    "a price such as 19.99 (or none for the price book's) and a discount from 0 to 100 percent."));
}

/* The stage a deal goes to, which decides its pipeline. pipeline_only
 * (an edit) keeps the deal in its pipeline; current is its stage now. */
static void
read_stage(struct crm_ctx *c, struct opp_form *f, long long pipeline_only, long long current)
{
	struct crm_db_bind b[1];
	json_t *st = NULL;

	if (!crm_valid_id(f->stage, &f->stage_id)) {
		crm_ctx_field_error(c, "stage_id", N_("Choose a stage."));
		return;
	}
	crm_db_bind_i64(&b[0], f->stage_id);
	/* The stage the deal is in stays allowed when it was deactivated:
	 * saving other fields must not move it. */
	if (crm_db_row(c->db, STMT_STAGE_GET, b, 1, &st) != CRM_OK ||
	    ((!json_is_true(json_object_get(st, "active")) || !json_is_true(json_object_get(st, "pipeline_active"))) &&
	    f->stage_id != current) ||
	    (pipeline_only && json_integer_value(json_object_get(st, "pipeline_id")) != pipeline_only)) {
		crm_ctx_field_error(c, "stage_id", N_("Choose a stage of the deal's pipeline from the list."));
		f->stage_id = 0;
		return;
	}
	f->pipeline_id = json_integer_value(json_object_get(st, "pipeline_id"));
	f->stage_kind = crm_arena_strdup(c->arena, json_string_value(json_object_get(st, "kind")));
	crm_decimal_parse(json_string_value(json_object_get(st, "probability")), CRM_PERCENT_SCALE, 5,
	    &f->stage_probability_bp);
	if (!f->probability_typed)
		f->probability_bp = f->stage_probability_bp;
}

void
sales_opp_read(struct crm_ctx *c, struct opp_form *f, json_t *before)
{
	struct crm_db_bind b[6];
	const char *error = NULL;
	long long total = 0;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->name = crm_ctx_form_str(c, "name");
	f->account = crm_ctx_form_str(c, "account");
	f->contact = crm_ctx_form_str(c, "contact");
	f->amount = crm_ctx_form_str(c, "amount");
	f->probability = crm_ctx_form_str(c, "probability");
	f->close_date = crm_ctx_form_str(c, "close_date");
	f->next_step = crm_ctx_form_str(c, "next_step");
	f->competitors = crm_ctx_form_str(c, "competitors");
	f->reason = crm_ctx_form_str(c, "lost_reason");
	f->stage = crm_ctx_form_str(c, "stage_id");
	f->stage_kind = "open";
	if (!crm_valid_text(f->name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (*f->account == '\0' || !crm_valid_text(f->account, 1, 230, 0))
		crm_ctx_field_error(c, "account", N_("Choose the deal's account."));
	else {
		sales_bind_scope(c, b);
		f->account_id = ref(c, f->account, STMT_OPP_ACCOUNT_REACHABLE, STMT_OPP_ACCOUNT_BY_NAME, b, 5, 0, &error);
		if (error != NULL)
			crm_ctx_field_error(c, "account", error);
	}
	if (*f->contact != '\0' && f->account_id != 0) {
		crm_db_bind_i64(&b[0], f->account_id);
		f->contact_id = ref(c, f->contact, STMT_OPP_CONTACT_GET, STMT_OPP_CONTACT_BY_NAME, b, 1, 0, &error);
		if (error != NULL)
			crm_ctx_field_error(c, "contact", N_("Choose a contact of the deal's account, or none."));
	}
	if (*f->probability != '\0') {
		f->probability_typed = 1;
		if (crm_decimal_parse(f->probability, CRM_PERCENT_SCALE, 5, &f->probability_bp) != 0 ||
		    f->probability_bp < 0 || f->probability_bp > 10000)
			crm_ctx_field_error(c, "probability", N_("Enter a probability from 0 to 100 percent, or none for the stage's."));
	}
	read_stage(c, f, before ? json_integer_value(json_object_get(before, "pipeline_id")) : 0,
	    before ? json_integer_value(json_object_get(before, "stage_id")) : 0);
	if (!crm_valid_date(f->close_date))
		crm_ctx_field_error(c, "close_date", N_("Enter the expected close date as YYYY-MM-DD."));
	if (!crm_valid_text(f->next_step, 0, 200, 0))
		crm_ctx_field_error(c, "next_step", N_("Keep the next step under 200 characters."));
	if (!crm_valid_text(f->competitors, 0, 500, 0))
		crm_ctx_field_error(c, "competitors", N_("Keep the competitors under 500 characters."));
	if (!crm_valid_text(f->reason, 0, 200, 0))
		crm_ctx_field_error(c, "lost_reason", N_("Keep the reason under 200 characters."));
	else if (strcmp(f->stage_kind, "lost") == 0 && *f->reason == '\0')
		crm_ctx_field_error(c, "lost_reason", N_("Say why the deal was lost."));
	read_lines(c, f);
	if (f->nlines > 0) {
		for (i = 0; i < f->nlines; i++)
			total += f->lines[i].net_cents;
		f->amount_cents = total;
	} else if (*f->amount == '\0')
		f->amount_cents = 0;
	else if (crm_money_parse(f->amount, &f->amount_cents) != 0 || f->amount_cents < 0)
		crm_ctx_field_error(c, "amount", N_("Enter an amount such as 12500 or 99.50."));
}

static const char *
dec(struct crm_ctx *c, long long v, int scale)
{
	char buf[CRM_DECIMAL_MAX];

	return crm_arena_strdup(c->arena, crm_decimal_format(buf, v, scale));
}

/* What the audit keeps of a deal. */
json_t *
sales_opp_json(struct crm_ctx *c, const struct opp_form *f)
{
	json_t *lines = json_array();
	size_t i;

	for (i = 0; i < f->nlines; i++)
		json_array_append_new(lines, json_pack("{s:I,s:s,s:s,s:s,s:s}",
		    "product_id", (json_int_t)f->lines[i].product_id,
		    "quantity", dec(c, f->lines[i].qty_milli, CRM_QTY_SCALE),
		    "unit_price", dec(c, f->lines[i].price_cents, CRM_MONEY_SCALE),
		    "discount", dec(c, f->lines[i].discount_bp, CRM_PERCENT_SCALE),
		    "total", dec(c, f->lines[i].net_cents, CRM_MONEY_SCALE)));
	return json_pack("{s:s,s:I,s:I?,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "name", f->name,
	    "account_id", (json_int_t)f->account_id,
	    "contact_id", f->contact_id ? json_integer(f->contact_id) : NULL,
	    "stage_id", (json_int_t)f->stage_id,
	    "amount", dec(c, f->amount_cents, CRM_MONEY_SCALE),
	    "probability", dec(c, f->probability_bp, CRM_PERCENT_SCALE),
	    "close_date", f->close_date, "next_step", f->next_step, "competitors", f->competitors,
	    "lost_reason", strcmp(f->stage_kind, "lost") == 0 ? f->reason : "", "lines", lines);
}

/* The form shown again after a refusal: what was typed. */
json_t *
sales_opp_typed(struct crm_ctx *c, const struct opp_form *f)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name", f->name,
	    "account_ref", f->account, "contact_ref", f->contact, "amount", f->amount,
	    "probability", f->probability, "close_date", f->close_date, "next_step", f->next_step,
	    "competitors", f->competitors, "lost_reason", f->reason);
	json_t *lines = json_array();
	size_t np, nq, nu, nd, i;
	const char **prod = all_of(c, "product", &np), **qty = all_of(c, "quantity", &nq);
	const char **price = all_of(c, "unit_price", &nu), **disc = all_of(c, "discount", &nd);

	for (i = 0; i < np; i++)
		if (*prod[i] != '\0')
			json_array_append_new(lines, json_pack("{s:s,s:s,s:s,s:s}", "product_ref", prod[i],
			    "quantity", nth(qty, nq, i), "unit_price", nth(price, nu, i), "discount", nth(disc, nd, i)));
	json_object_set_new(o, "lines", lines);
	return o;
}

/* The stage picker: pipelines with their active stages, the deal's
 * selected. pipeline_only limits it to one pipeline (an edit). */
enum crm_err
sales_opp_choices(struct crm_ctx *c, long long stage_id, long long pipeline_only)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL, *row, *groups = json_array(), *group = NULL;
	long long current = -1;
	enum crm_err e;
	size_t i;

	crm_db_bind_i64(&b[0], stage_id);
	if ((e = crm_confcache_rows(c->db, STMT_STAGES_ALL, b, 1, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row) {
		long long p = json_integer_value(json_object_get(row, "pipeline_id"));

		if (pipeline_only && p != pipeline_only)
			continue;
		if (p != current) {
			group = json_pack("{s:I,s:O,s:[]}", "id", (json_int_t)p, "name",
			    json_object_get(row, "pipeline"), "stages");
			json_array_append_new(groups, group);
			current = p;
		}
		json_object_set_new(row, "selected", json_boolean(json_integer_value(json_object_get(row, "id")) ==
		    stage_id));
		json_array_append(json_object_get(group, "stages"), row);
	}
	json_object_set_new(c->view, "pipelines", groups);
	return CRM_OK;
}

/* Replaces the deal's lines with the form's, in the caller's transaction. */
enum crm_err
sales_opp_lines_save(struct crm_ctx *c, long long id, const struct opp_form *f)
{
	struct crm_db_bind b[7];
	enum crm_err e;
	size_t i;

	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_exec(c->db, STMT_OPP_LINES_CLEAR, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	for (i = 0; i < f->nlines; i++) {
		crm_db_bind_i64(&b[1], (long long)i + 1);
		crm_db_bind_i64(&b[2], f->lines[i].product_id);
		crm_db_bind_str(&b[3], dec(c, f->lines[i].qty_milli, CRM_QTY_SCALE), (size_t)-1);
		crm_db_bind_str(&b[4], dec(c, f->lines[i].price_cents, CRM_MONEY_SCALE), (size_t)-1);
		crm_db_bind_str(&b[5], dec(c, f->lines[i].discount_bp, CRM_PERCENT_SCALE), (size_t)-1);
		crm_db_bind_str(&b[6], dec(c, f->lines[i].net_cents, CRM_MONEY_SCALE), (size_t)-1);
		if ((e = crm_db_exec(c->db, STMT_OPP_LINE_ADD, b, 7, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

static int
lookup(struct crm_ctx *c, size_t stmt, int scoped, int twice)
{
	const char *q = crm_ctx_query(c, "q");
	struct crm_db_bind b[6];
	json_t *rows = NULL, *row;
	size_t i, n = 1;

	if (q == NULL || *q == '\0') {
		json_object_set_new(c->view, "items", json_array());
		return 200;
	}
	if (!crm_valid_text(q, 1, 100, 0))
		return crm_ctx_fail(c, 400, N_("Keep the search under 100 characters."));
	crm_db_bind_str(&b[0], q, (size_t)-1);
	if (twice)
		crm_db_bind_str(&b[n++], q, (size_t)-1);
	if (scoped) {
		sales_bind_scope(c, b + n);
		n += 5;
	}
	if (crm_db_rows(c->db, stmt, b, n, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "value", json_string(crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(row, "label")),
		    (long long)json_integer_value(json_object_get(row, "id")))));
	json_object_set_new(c->view, "items", rows);
	json_object_set_new(c->view, "q", json_string(q));
	return 200;
}

int
sales_lookup_accounts(struct crm_ctx *c)
{
	return lookup(c, STMT_OPP_LOOKUP_ACCOUNTS, 1, 0);
}

int
sales_lookup_contacts(struct crm_ctx *c)
{
	return lookup(c, STMT_OPP_LOOKUP_CONTACTS, 1, 0);
}

int
sales_lookup_products(struct crm_ctx *c)
{
	return lookup(c, STMT_OPP_LOOKUP_PRODUCTS, 0, 1);
}

int
sales_lookup_users(struct crm_ctx *c)
{
	return lookup(c, STMT_LOOKUP_USERS, 0, 0);
}
