/* The quote form: account, contact, price book, validity, terms and the
 * lines, read and checked, each line priced from the book and its
 * amounts computed here with crm_line_amounts, never trusted from the
 * browser.
 *
 * Prices: a line's unit price is the book's (sales_price_lookup). A user
 * who may approve quotes (sales.quote.approve) may type another unit
 * price on a line; anyone else sees no price field, and a price sent
 * anyway that differs from the book's is refused (422). Their save
 * prices every line from the book again, so a manager's price lasts until
 * someone without the permission saves the quote. The approver's form
 * shows each line's stored price: emptying it goes back to the book's. */
#include <string.h>
#include <time.h>

#include "crm_auth.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "quote_form.h"

/* "Name #12" (what the pickers fill in) or "12": the id, else 0. */
long long
sales_ref_id(const char *ref)
{
	const char *hash = strrchr(ref, '#');
	long long id = 0;

	if (hash != NULL && crm_valid_id(hash + 1, &id))
		return id;
	return crm_valid_id(ref, &id) ? id : 0;
}

const char *
sales_today(struct crm_ctx *c, long long plus_days)
{
	time_t t = time(NULL) + (time_t)(plus_days * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	return crm_arena_printf(c->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The product of a line: "Name #id", else a SKU. */
static json_t *
find_product(struct crm_ctx *c, const char *ref)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	long long id = 0;
	const char *hash = strrchr(ref, '#');

	if (hash == NULL || !crm_valid_id(hash + 1, &id)) {
		crm_db_bind_str(&b[0], ref, (size_t)-1);
		crm_db_bind_i64(&b[1], 0);
		if (crm_db_row(c->db, STMT_PRODUCT_BY_SKU, b, 2, &row) == CRM_OK)
			id = json_integer_value(json_object_get(row, "id"));
		else if (!crm_valid_id(ref, &id))
			return NULL;
	}
	crm_db_bind_i64(&b[0], id);
	if (crm_db_row(c->db, STMT_PRODUCT_GET, b, 1, &row) != CRM_OK)
		return NULL;
	return row;
}

static int
add(long long *sum, long long v)
{
	return __builtin_add_overflow(*sum, v, sum) ? -1 : 0;
}

/* One line; returns 0 when it was left empty, 1 when read (with or
 * without its error). */
static int
read_line(struct crm_ctx *c, struct quote_form *f, size_t i, struct quote_line *l)
{
	const char *err = NULL, *currency = NULL;
	long long book_price = 0;
	json_t *product;

	memset(l, 0, sizeof(*l));
	l->n = i;
	l->product = crm_ctx_form_str(c, crm_arena_printf(c->arena, "line_product_%zu", i));
	l->quantity = crm_ctx_form_str(c, crm_arena_printf(c->arena, "line_quantity_%zu", i));
	l->discount = crm_ctx_form_str(c, crm_arena_printf(c->arena, "line_discount_%zu", i));
	l->price = crm_ctx_form_str(c, crm_arena_printf(c->arena, "line_price_%zu", i));
	l->description = crm_ctx_form_str(c, crm_arena_printf(c->arena, "line_description_%zu", i));
	if (*l->product == '\0' && *l->quantity == '\0' && *l->description == '\0')
		return 0;
	if (!crm_valid_text(l->product, 1, 230, 0) || (product = find_product(c, l->product)) == NULL ||
	    !json_is_true(json_object_get(product, "active")))
		err = N_("Choose an active product.");
	else {
		l->product_id = json_integer_value(json_object_get(product, "id"));
		l->product_name = json_string_value(json_object_get(product, "name"));
		l->sku = json_string_value(json_object_get(product, "sku"));
		l->unit = json_string_value(json_object_get(product, "unit"));
	}
	if (err == NULL && (crm_decimal_parse(*l->quantity ? l->quantity : "1", CRM_QTY_SCALE, 12, &l->qty) != 0 ||
	    l->qty <= 0))
		err = N_("Enter a quantity above 0 with up to 3 decimals.");
	if (err == NULL && (crm_decimal_parse(*l->discount ? l->discount : "0", CRM_PERCENT_SCALE, 5, &l->disc) != 0 ||
	    l->disc < 0 || l->disc > 10000))
		err = N_("Enter a discount from 0 to 100 percent.");
	if (err == NULL && !crm_valid_text(l->description, 0, 500, 0))
		err = N_("Keep the line's text under 500 characters.");
	if (err == NULL && (f->book_id == 0 ||
	    sales_price_lookup(c, f->book_id, l->product_id, &book_price, &currency, &l->tax) != 0))
		err = N_("This product has no price in the price book (is there an exchange rate for its currency?).");
	if (err == NULL) {
		l->unit_price = book_price;
		if (*l->price != '\0') {
			long long typed;

			if (crm_money_parse(l->price, &typed) != 0 || typed < 0)
				err = N_("Enter a price such as 1250 or 19.99.");
			else if (typed != book_price && !crm_auth_can(c->user, "sales.quote.approve"))
				err = N_("Only a user who approves quotes may change a price.");
			else
				l->unit_price = typed;
		}
	}
	if (err == NULL && crm_line_amounts(l->qty, l->unit_price, l->disc, l->tax, &l->a) != 0)
		err = N_("This line's amount is too large.");
	if (err == NULL && (add(&f->subtotal, l->a.net) || add(&f->discount_total, l->a.discount) ||
	    add(&f->tax_total, l->a.tax) || add(&f->total, l->a.total)))
		err = N_("This line's amount is too large.");
	if (err != NULL) {
		l->error = crm_ctx_text(c, err);
		crm_ctx_field_error(c, "lines", N_("Some lines are not valid."));
	}
	if (l->disc > f->max_discount)
		f->max_discount = l->disc;
	return 1;
}

void
sales_quote_read_form(struct crm_ctx *c, struct quote_form *f)
{
	struct crm_db_bind b[6];
	json_t *row = NULL;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->account = crm_ctx_form_str(c, "account");
	f->contact = crm_ctx_form_str(c, "contact");
	f->book = crm_ctx_form_str(c, "price_book_id");
	f->title = crm_ctx_form_str(c, "title");
	f->valid_until = crm_ctx_form_str(c, "valid_until");
	f->terms = crm_ctx_form_str(c, "terms");
	f->opportunity = crm_ctx_form_str(c, "opportunity_id");
	if ((f->account_id = sales_ref_id(f->account)) != 0) {
		crm_db_bind_i64(&b[0], f->account_id);
		sales_bind_scope(c, b + 1);
		if (crm_db_row(c->db, STMT_QUOTE_ACCOUNT, b, 6, &row) != CRM_OK)
			f->account_id = 0;
	}
	if (f->account_id == 0)
		crm_ctx_field_error(c, "account", N_("Choose an account from the list."));
	if (*f->contact != '\0') {
		if ((f->contact_id = sales_ref_id(f->contact)) != 0) {
			crm_db_bind_i64(&b[0], f->contact_id);
			if (crm_db_row(c->db, STMT_QUOTE_CONTACT, b, 1, &row) != CRM_OK ||
			    json_integer_value(json_object_get(row, "account_id")) != f->account_id)
				f->contact_id = 0;
		}
		if (f->contact_id == 0)
			crm_ctx_field_error(c, "contact", N_("Choose a contact of the quote's account, or none."));
	}
	if (*f->opportunity != '\0' && !crm_valid_id(f->opportunity, &f->opportunity_id))
		crm_ctx_field_error(c, "account", N_("The deal this quote was for is not valid."));
	if (crm_valid_id(f->book, &f->book_id)) {
		crm_db_bind_i64(&b[0], f->book_id);
		if (crm_db_row(c->db, STMT_PRICE_BOOK_GET, b, 1, &row) != CRM_OK ||
		    !json_is_true(json_object_get(row, "active")))
			f->book_id = 0;
		else
			f->currency = json_string_value(json_object_get(row, "currency"));
	} else
		f->book_id = 0;
	if (f->book_id == 0)
		crm_ctx_field_error(c, "price_book_id", N_("Choose an active price book."));
	if (!crm_valid_text(f->title, 0, 200, 0))
		crm_ctx_field_error(c, "title", N_("Keep the title under 200 characters."));
	if (!crm_valid_date(f->valid_until) || strcmp(f->valid_until, sales_today(c, 0)) < 0)
		crm_ctx_field_error(c, "valid_until", N_("Enter a date from today on, such as 2026-12-31."));
	if (!crm_valid_text(f->terms, 0, 5000, 1))
		crm_ctx_field_error(c, "terms", N_("Keep the terms under 5000 characters."));
	for (i = 1; i <= QUOTE_MAX_LINES; i++)
		if (read_line(c, f, i, &f->lines[f->n]))
			f->n++;
	if (f->n == 0)
		crm_ctx_field_error(c, "lines", N_("Add at least one line."));
}

/* The form as typed, for showing it again with the errors. */
json_t *
sales_quote_typed(struct crm_ctx *c, const struct quote_form *f)
{
	json_t *q = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "account_ref", f->account,
	    "contact_ref", f->contact, "title", f->title, "valid_until", f->valid_until,
	    "terms", f->terms, "opportunity_id", f->opportunity);
	json_t *lines = json_array();
	size_t i;

	(void)c;
	json_object_set_new(q, "price_book_id", json_integer(f->book_id));
	for (i = 0; i < f->n; i++) {
		const struct quote_line *l = &f->lines[i];

		json_array_append_new(lines, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "product", l->product,
		    "quantity", l->quantity, "discount", l->discount, "price", l->price,
		    "description", l->description, "error", l->error));
	}
	json_object_set_new(q, "lines", lines);
	return q;
}

/* Numbers the rows 1..n and adds blank rows to fill in (three, up to the
 * most a quote holds). */
void
sales_quote_form_rows(json_t *lines)
{
	json_t *l;
	size_t i, blank;

	for (blank = 0; blank < 3 && json_array_size(lines) < QUOTE_MAX_LINES; blank++)
		json_array_append_new(lines, json_pack("{s:s,s:s,s:s,s:s,s:s}", "product", "",
		    "quantity", "", "discount", "", "price", "", "description", ""));
	json_array_foreach(lines, i, l)
		json_object_set_new(l, "n", json_integer((json_int_t)i + 1));
}

/* Binds one checked line for STMT_QUOTE_LINE_ADD (11 binds); the decimals
 * go into the arena, as a bind keeps a pointer. */
void
sales_quote_bind_line(struct crm_ctx *c, long long quote_id, const struct quote_line *l, int position,
    struct crm_db_bind *b)
{
	char buf[CRM_DECIMAL_MAX];

#define DEC(v, scale) crm_arena_strdup(c->arena, crm_decimal_format(buf, (v), (scale)))
	crm_db_bind_i64(&b[0], quote_id);
	crm_db_bind_i64(&b[1], position);
	crm_db_bind_i64(&b[2], l->product_id);
	crm_db_bind_str(&b[3], l->description, (size_t)-1);
	crm_db_bind_str(&b[4], DEC(l->qty, CRM_QTY_SCALE), (size_t)-1);
	crm_db_bind_str(&b[5], DEC(l->unit_price, CRM_MONEY_SCALE), (size_t)-1);
	crm_db_bind_str(&b[6], DEC(l->disc, CRM_PERCENT_SCALE), (size_t)-1);
	crm_db_bind_str(&b[7], DEC(l->tax, CRM_PERCENT_SCALE), (size_t)-1);
	crm_db_bind_str(&b[8], DEC(l->a.net, CRM_MONEY_SCALE), (size_t)-1);
	crm_db_bind_str(&b[9], DEC(l->a.tax, CRM_MONEY_SCALE), (size_t)-1);
	crm_db_bind_str(&b[10], DEC(l->a.total, CRM_MONEY_SCALE), (size_t)-1);
#undef DEC
}

/* An exact value as the decimal text a DECIMAL column takes, in the
 * arena (a bind keeps the pointer). */
const char *
sales_quote_money(struct crm_ctx *c, long long v, int scale)
{
	char buf[CRM_DECIMAL_MAX];

	return crm_arena_strdup(c->arena, crm_decimal_format(buf, v, scale));
}
