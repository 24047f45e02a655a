/* Price books, their prices, and the exchange rates that convert list
 * prices into a book's currency. A book without its own currency sells in
 * the base currency; exactly one book is the default that new quotes use. */
#include <string.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

/* The currencies the admin settings offer as base currency. */
static const char *const currencies[] = { "USD", "EUR", "GBP", "CNY", "JPY", "CHF", "CAD", "AUD", NULL };

static json_t *
currency_options(struct crm_ctx *c, const char *selected, int with_base)
{
	const char *base = sales_base_currency(c);
	json_t *opts = json_array();
	size_t i;

	for (i = 0; currencies[i]; i++)
		if (with_base || strcmp(currencies[i], base) != 0)
			json_array_append_new(opts, json_pack("{s:s,s:b}", "value", currencies[i],
			    "selected", selected && strcmp(selected, currencies[i]) == 0));
	return opts;
}

/* The book's currency as submitted: "" or the base currency mean none of
 * its own. Returns NULL when it is not one of the list. */
static const char *
form_currency(struct crm_ctx *c)
{
	const char *v = crm_ctx_form_str(c, "currency");

	if (*v == '\0' || strcmp(v, sales_base_currency(c)) == 0)
		return "";
	return crm_valid_oneof(v, currencies) ? v : NULL;
}

static int
books_page(struct crm_ctx *c, const char *typed_name)
{
	json_t *rows = NULL;

	if (crm_db_rows(c->db, STMT_PRICE_BOOKS, NULL, 0, &rows) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "price_books", rows);
	json_object_set_new(c->view, "new_name", json_string(typed_name ? typed_name : ""));
	json_object_set_new(c->view, "currencies", currency_options(c, crm_ctx_form_str(c, "currency"), 1));
	json_object_set_new(c->view, "base_currency", json_string(sales_base_currency(c)));
	sales_nav(c, "price_books");
	sales_flash(c);
	return 200;
}

int
sales_price_books(struct crm_ctx *c)
{
	return books_page(c, NULL);
}

struct book_change {
	struct crm_ctx *c;
	long long id;
	const char *name, *currency;
	int is_default, active;
	json_t *before;
};

static json_t *
book_json(const struct book_change *ch)
{
	return json_pack("{s:s,s:s?,s:b,s:b}", "name", ch->name,
	    "currency", *ch->currency ? ch->currency : NULL, "is_default", ch->is_default,
	    "active", ch->active);
}

static void
bind_currency(struct crm_db_bind *b, const char *currency)
{
	if (*currency)
		crm_db_bind_str(b, currency, (size_t)-1);
	else
		crm_db_bind_null(b);
}

static enum crm_err
book_create_tx(struct crm_db *db, void *arg)
{
	struct book_change *ch = arg;
	struct crm_db_bind b[3];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	bind_currency(&b[1], ch->currency);
	crm_db_bind_i64(&b[2], 0);
	if ((e = crm_db_exec(db, STMT_PRICE_BOOK_CREATE, b, 3, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	return crm_ctx_audit(ch->c, "create", "price_book", ch->id, NULL, book_json(ch));
}

int
sales_price_book_create(struct crm_ctx *c)
{
	struct book_change ch;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.name = crm_ctx_form_str(c, "name");
	ch.currency = form_currency(c);
	ch.active = 1;
	if (!crm_valid_text(ch.name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (ch.currency == NULL)
		crm_ctx_field_error(c, "currency", N_("Choose a currency from the list."));
	if (crm_ctx_has_errors(c)) {
		books_page(c, ch.name);
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, book_create_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another price book has this name."));
		books_page(c, ch.name);
		return crm_ctx_status(c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/price-books/%lld?done=created", ch.id));
}

static json_t *
load_book(struct crm_ctx *c, long long id, int *status)
{
	return sales_load(c, STMT_PRICE_BOOK_GET, id, 0, status);
}

/* The book's page: its settings, and its products (50 at a time, from a
 * name or SKU) each with the book's price or the list price it falls
 * back to. */
static int
book_page(struct crm_ctx *c, long long id, json_t *book)
{
	const char *q = crm_ctx_query_str(c, "q"), *after = crm_ctx_query_str(c, "after");
	const char *currency = json_string_value(json_object_get(book, "currency"));
	const char *base = sales_base_currency(c);
	static const char *const keep[] = { "q", NULL };
	struct crm_db_bind b[7];
	long long after_id = 0;
	json_t *rows = NULL, *row;
	size_t i;

	if (!crm_valid_text(q, 0, 100, 0) || !crm_valid_text(after, 0, 200, 0) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_str(&b[1], q, (size_t)-1);
	crm_db_bind_str(&b[2], q, (size_t)-1);
	crm_db_bind_str(&b[3], q, (size_t)-1);
	crm_db_bind_str(&b[4], after, (size_t)-1);
	crm_db_bind_str(&b[5], after, (size_t)-1);
	crm_db_bind_i64(&b[6], after_id);
	if (crm_db_rows(c->db, STMT_PRICE_BOOK_PRODUCTS, b, 7, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, crm_arena_printf(c->arena, "/sales/price-books/%lld", id), "name", keep);
	json_array_foreach(rows, i, row) {
		const char *price = json_string_value(json_object_get(row, "price"));

		json_object_set_new(row, "list_price_text", json_string(sales_money(c,
		    json_string_value(json_object_get(row, "list_price")), base)));
		if (price)
			json_object_set_new(row, "price_text", json_string(sales_money(c, price, currency)));
	}
	json_object_set_new(book, "products", rows);
	json_object_set_new(c->view, "price_book", book);
	json_object_set_new(c->view, "q", json_string(q));
	json_object_set_new(c->view, "base_currency", json_string(base));
	json_object_set_new(c->view, "foreign", json_boolean(strcmp(currency, base) != 0));
	json_object_set_new(c->view, "currencies", currency_options(c, currency, 1));
	sales_nav(c, "price_books");
	sales_flash(c);
	return 200;
}

int
sales_price_book_show(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *book = load_book(c, id, &status);

	return book ? book_page(c, id, book) : status;
}

static enum crm_err
book_update_tx(struct crm_db *db, void *arg)
{
	struct book_change *ch = arg;
	struct crm_db_bind b[5];
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	bind_currency(&b[1], ch->currency);
	crm_db_bind_i64(&b[2], ch->is_default);
	crm_db_bind_i64(&b[3], ch->active);
	crm_db_bind_i64(&b[4], ch->id);
	if ((e = crm_db_exec(db, STMT_PRICE_BOOK_UPDATE, b, 5, NULL, NULL)) != CRM_OK)
		return e;
	/* One default: making this one the default takes it from the other. */
	if (ch->is_default && (e = crm_db_exec(db, STMT_PRICE_BOOK_UNDEFAULT, b + 4, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "price_book", ch->id, json_pack("{s:O,s:O,s:O,s:O}",
	    "name", json_object_get(ch->before, "name"), "currency", json_object_get(ch->before, "own_currency"),
	    "is_default", json_object_get(ch->before, "is_default"), "active", json_object_get(ch->before, "active")),
	    book_json(ch));
}

int
sales_price_book_update(struct crm_ctx *c)
{
	struct book_change ch;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load_book(c, ch.id, &status)) == NULL)
		return status;
	ch.name = crm_ctx_form_str(c, "name");
	ch.currency = form_currency(c);
	/* The default book stays the default until another takes its place,
	 * and stays active. */
	ch.is_default = json_is_true(json_object_get(ch.before, "is_default")) ||
	    crm_ctx_form(c, "is_default") != NULL;
	ch.active = ch.is_default || crm_ctx_form(c, "active") != NULL;
	if (!crm_valid_text(ch.name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (ch.currency == NULL)
		crm_ctx_field_error(c, "currency", N_("Choose a currency from the list."));
	if (crm_ctx_has_errors(c)) {
		if ((status = book_page(c, ch.id, ch.before)) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, book_update_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another price book has this name."));
		if ((status = book_page(c, ch.id, ch.before)) != 200)
			return status;
		return crm_ctx_status(c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/price-books/%lld?done=saved", ch.id));
}

struct price_change {
	struct crm_ctx *c;
	long long book_id, product_id, cents;
	int drop;
	const char *before;
};

static enum crm_err
price_tx(struct crm_db *db, void *arg)
{
	struct price_change *ch = arg;
	struct crm_db_bind b[3];
	char price[CRM_DECIMAL_MAX];
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->book_id);
	crm_db_bind_i64(&b[1], ch->product_id);
	crm_db_bind_str(&b[2], crm_money_format(price, ch->cents), (size_t)-1);
	e = crm_db_exec(db, ch->drop ? STMT_PRICE_DROP : STMT_PRICE_PUT, b, ch->drop ? 2 : 3, NULL, NULL);
	if (e != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, ch->drop ? "delete" : "update", "price_book", ch->book_id,
	    json_pack("{s:I,s:s?}", "product_id", (json_int_t)ch->product_id, "price", ch->before),
	    json_pack("{s:I,s:s?}", "product_id", (json_int_t)ch->product_id,
	    "price", ch->drop ? NULL : price));
}

/* Sets (or, with an empty price, removes) one product's price in a book. */
int
sales_price_set(struct crm_ctx *c)
{
	struct price_change ch;
	struct crm_db_bind b[2];
	const char *price = crm_ctx_form_str(c, "price");
	json_t *book, *row = NULL;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.book_id = crm_ctx_id(c, "id");
	if ((book = load_book(c, ch.book_id, &status)) == NULL)
		return status;
	if (!crm_valid_id(crm_ctx_form_str(c, "product_id"), &ch.product_id))
		return crm_ctx_fail(c, 422, N_("Choose a product."));
	ch.drop = *price == '\0';
	if (!ch.drop && (crm_money_parse(price, &ch.cents) != 0 || ch.cents < 0))
		return crm_ctx_fail(c, 422, N_("Enter a price such as 1250 or 19.99."));
	crm_db_bind_i64(&b[0], ch.product_id);
	crm_db_bind_i64(&b[1], ch.book_id);
	if ((e = crm_db_row(c->db, STMT_PRICE_OF, b, 2, &row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? crm_ctx_fail(c, 422, N_("Choose a product.")) : 500;
	ch.before = json_string_value(json_object_get(row, "price"));
	if (crm_db_tx(c->db, price_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/price-books/%lld?done=%s#product-%lld",
	    ch.book_id, ch.drop ? "price-removed" : "price-saved", ch.product_id));
}

int
sales_price_lookup(struct crm_ctx *c, long long book_id, long long product_id,
    long long *cents, const char **currency, long long *tax_bp)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	const char *price, *rate;
	long long list, r;

	crm_db_bind_i64(&b[0], product_id);
	crm_db_bind_i64(&b[1], book_id);
	if (crm_db_row(c->db, STMT_PRICE_OF, b, 2, &row) != CRM_OK)
		return -1;
	*currency = json_string_value(json_object_get(row, "currency"));
	if (crm_decimal_parse(json_string_value(json_object_get(row, "tax_rate")), CRM_PERCENT_SCALE, 5,
	    tax_bp) != 0)
		return -1;
	if ((price = json_string_value(json_object_get(row, "price"))) != NULL)
		return crm_money_parse(price, cents);
	if (crm_money_parse(json_string_value(json_object_get(row, "list_price")), &list) != 0)
		return -1;
	if (json_is_null(json_object_get(row, "own_currency"))) {
		*cents = list;
		return 0;
	}
	if ((rate = json_string_value(json_object_get(row, "rate"))) == NULL ||
	    crm_decimal_parse(rate, CRM_RATE_SCALE, 18, &r) != 0)
		return -1;
	return crm_money_convert(list, r, cents);
}

static int
rates_page(struct crm_ctx *c)
{
	json_t *rows = NULL;

	if (crm_db_rows(c->db, STMT_RATES, NULL, 0, &rows) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "rates", rows);
	json_object_set_new(c->view, "base_currency", json_string(sales_base_currency(c)));
	json_object_set_new(c->view, "currencies", currency_options(c, crm_ctx_form_str(c, "currency"), 0));
	json_object_set_new(c->view, "typed_rate", json_string(crm_ctx_form_str(c, "rate")));
	sales_nav(c, "rates");
	sales_flash(c);
	return 200;
}

int
sales_rates(struct crm_ctx *c)
{
	return rates_page(c);
}

struct rate_change {
	struct crm_ctx *c;
	const char *currency, *rate;
	long long value;
	json_t *before;
};

static enum crm_err
rate_tx(struct crm_db *db, void *arg)
{
	struct rate_change *ch = arg;
	struct crm_db_bind b[2];
	char rate[CRM_DECIMAL_MAX];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->currency, (size_t)-1);
	if ((e = crm_db_row(db, STMT_RATE_GET, b, 1, &row)) != CRM_OK && e != CRM_ENOTFOUND)
		return e;
	crm_db_bind_str(&b[1], crm_decimal_format(rate, ch->value, CRM_RATE_SCALE), (size_t)-1);
	if ((e = crm_db_exec(db, STMT_RATE_PUT, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "exchange_rate", 0,
	    row ? json_pack("{s:s,s:O}", "currency", ch->currency, "rate", json_object_get(row, "rate")) : NULL,
	    json_pack("{s:s,s:s}", "currency", ch->currency, "rate", rate));
}

/* Sets the rate of one currency: how many of its units one unit of the
 * base currency buys. */
int
sales_rate_set(struct crm_ctx *c)
{
	struct rate_change ch;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.currency = crm_ctx_form_str(c, "currency");
	ch.rate = crm_ctx_form_str(c, "rate");
	if (!crm_valid_oneof(ch.currency, currencies) || strcmp(ch.currency, sales_base_currency(c)) == 0)
		crm_ctx_field_error(c, "currency", N_("Choose a currency other than the base currency."));
	if (crm_decimal_parse(ch.rate, CRM_RATE_SCALE, 18, &ch.value) != 0 || ch.value <= 0)
		crm_ctx_field_error(c, "rate", N_("Enter a rate above 0 with up to 8 decimals, such as 7.1234."));
	if (crm_ctx_has_errors(c)) {
		int st = rates_page(c);

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	if (crm_db_tx(c->db, rate_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/sales/rates?done=rate-saved");
}
