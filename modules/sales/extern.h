/* crm-sales: private declarations, one section per area. */
#ifndef SALES_EXTERN_H
#define SALES_EXTERN_H

#include "crm_http.h"

enum stmt {
	/* common.c */
	STMT_SETTING,
	STMT_USER_ACTIVE,
	STMT_LOOKUP_USERS,

	/* products.c, prices.c */
	STMT_PRODUCTS,
	STMT_PRODUCT_GET,
	STMT_PRODUCT_BY_SKU,
	STMT_PRODUCT_CREATE,
	STMT_PRODUCT_UPDATE,
	STMT_PRODUCT_CATEGORIES,
	STMT_PRODUCT_PRICES,
	STMT_PRICE_BOOKS,
	STMT_PRICE_BOOK_GET,
	STMT_PRICE_BOOK_CREATE,
	STMT_PRICE_BOOK_UPDATE,
	STMT_PRICE_BOOK_UNDEFAULT,
	STMT_PRICE_BOOK_PRODUCTS,
	STMT_PRICE_PUT,
	STMT_PRICE_DROP,
	STMT_PRICE_OF,
	STMT_RATES,
	STMT_RATE_GET,
	STMT_RATE_PUT,

	/* leads */

	/* pipelines, opportunities, board */

	/* quotes, orders, invoices */
	STMT_QUOTES,
	STMT_QUOTE_GET,
	STMT_QUOTE_BY_TOKEN,
	STMT_QUOTE_LOCK,
	STMT_QUOTE_LINES,
	STMT_QUOTE_VERSIONS,
	STMT_QUOTE_COUNTER_BUMP,
	STMT_QUOTE_COUNTER_GET,
	STMT_QUOTE_CREATE,
	STMT_QUOTE_UPDATE,
	STMT_QUOTE_LINES_DROP,
	STMT_QUOTE_LINE_ADD,
	STMT_QUOTE_LINES_COPY,
	STMT_QUOTE_SET_STATUS,
	STMT_QUOTE_APPROVAL,
	STMT_QUOTE_SEND,
	STMT_QUOTE_REVISE,
	STMT_QUOTE_ACCEPT,
	STMT_QUOTE_DECLINE,
	STMT_QUOTE_ACCOUNT,
	STMT_QUOTE_CONTACT,
	STMT_QUOTE_BOOKS,
	STMT_QUOTE_PRODUCT_LOOKUP,
	STMT_QUOTE_OPP_PREFILL,
	STMT_QUOTE_OPP_LINES,
	STMT_QUOTE_OPP_LOCK,
	STMT_QUOTE_OPP_HISTORY_CLOSE,
	STMT_QUOTE_OPP_HISTORY_ADD,
	STMT_QUOTE_OPP_WIN,
	STMT_ORDERS,
	STMT_ORDER_GET,
	STMT_ORDER_LINES,
	STMT_ORDER_LOCK,
	STMT_ORDER_CREATE,
	STMT_ORDER_LINES_COPY,
	STMT_ORDER_SHIP,
	STMT_ORDER_DELIVER,
	STMT_ORDER_CANCEL,

	/* forecast */

	STMT__MAX
};

extern const char *const sales_stmts[STMT__MAX];

/* common.c: what every sales handler shares. */
void sales_bind_scope(struct crm_ctx *, struct crm_db_bind *);  /* 5 binds, as SCOPE() */
/* Marks the area and sub-page for the navigation, and what the user may do. */
void sales_nav(struct crm_ctx *, const char *current);
void sales_flash(struct crm_ctx *);
/* A setting's value from the settings table, or fallback. */
const char *sales_setting(struct crm_ctx *, const char *name, const char *fallback);
/* The form value, or "" when absent. */
const char *sales_form(struct crm_ctx *, const char *name);
const char *sales_query(struct crm_ctx *, const char *name);
/* Adds "<column>_text": the exact decimal in column as money in the
 * user's language ("$1,250.00", "¥1,250.00"), for each row; currency is
 * a column name or, when no row has it, a currency code. */
void sales_money_text(struct crm_ctx *, json_t *rows, const char *column, const char *currency);
/* One value of money for a view: the exact decimal and its text. */
const char *sales_money(struct crm_ctx *, const char *decimal, const char *currency);
/* The base currency (settings base_currency). */
const char *sales_base_currency(struct crm_ctx *);
/* The list's page: drops the 51st row and sets next_url from the 50th
 * (after_id and, with key, after=<key column of the 50th row>). */
void sales_next_page(struct crm_ctx *, json_t *rows, const char *path, const char *key,
    const char *const *keep);

/* products.c */
int sales_products(struct crm_ctx *);
int sales_product_new(struct crm_ctx *);
int sales_product_create(struct crm_ctx *);
int sales_product_show(struct crm_ctx *);
int sales_product_update(struct crm_ctx *);

/* prices.c: price books, their prices, exchange rates. */
int sales_price_books(struct crm_ctx *);
int sales_price_book_create(struct crm_ctx *);
int sales_price_book_show(struct crm_ctx *);
int sales_price_book_update(struct crm_ctx *);
int sales_price_set(struct crm_ctx *);
int sales_rates(struct crm_ctx *);
int sales_rate_set(struct crm_ctx *);
/* The price of a product in a book, in the book's currency: the book's
 * own price, else the list price converted at today's rate. Returns 0
 * with *cents set, or -1 (no such product, or no rate for the book's
 * currency). currency gets the book's currency. */
int sales_price_lookup(struct crm_ctx *, long long book_id, long long product_id,
    long long *cents, const char **currency, long long *tax_bp);

/* leads */

/* pipelines, opportunities, board */

/* quotes, orders, invoices */
/* quotes.c: list, new, create, show, edit while not frozen. */
int sales_quotes(struct crm_ctx *);
int sales_quote_new(struct crm_ctx *);
int sales_quote_create(struct crm_ctx *);
int sales_quote_show(struct crm_ctx *);
int sales_quote_edit(struct crm_ctx *);
int sales_quote_update(struct crm_ctx *);
int sales_quote_products(struct crm_ctx *);
/* The quote the user's scope reaches (STMT_QUOTE_GET), or NULL with the
 * status to answer. */
json_t *sales_quote_load(struct crm_ctx *, long long id, int *status);
/* Draft, approved or rejected: not yet frozen. */
int sales_quote_editable(json_t *quote);
/* A yes/no column: TRUE, or an integer that is not 0 (a comparison
 * comes back as an integer). */
int sales_flag(json_t *row, const char *key);
/* An admin: a role that holds every permission ("*"). */
int sales_user_is_admin(struct crm_ctx *);
/* quote_flow.c: approval, sending, revising. */
int sales_quote_request_approval(struct crm_ctx *);
int sales_quote_approve(struct crm_ctx *);
int sales_quote_reject(struct crm_ctx *);
int sales_quote_send(struct crm_ctx *);
int sales_quote_revise(struct crm_ctx *);
/* quote_public.c: the customer's link, acceptance, decline. */
int sales_quote_public(struct crm_ctx *);
int sales_quote_public_pdf(struct crm_ctx *);
int sales_quote_accept(struct crm_ctx *);
int sales_quote_decline(struct crm_ctx *);
/* quote_doc.c: the print page and the PDF. */
int sales_quote_print(struct crm_ctx *);
int sales_quote_pdf(struct crm_ctx *);
/* A quote's view for its pages and documents: the quote row (from
 * STMT_QUOTE_GET or STMT_QUOTE_BY_TOKEN) gets its lines, money texts,
 * dates and the verification link. Returns 0, or the status to answer. */
int sales_quote_view(struct crm_ctx *, json_t *quote);
const char *sales_quote_status_text(struct crm_ctx *, const char *status);
/* settings quote_approval_discount in basis points; whether the quote's
 * largest line discount is above it. */
long long sales_quote_threshold(struct crm_ctx *);
int sales_quote_needs_approval(struct crm_ctx *, json_t *quote);
/* quantity_text, discount_text, tax_rate_text and the money texts of
 * stored lines (a quote's or an order's). */
void sales_quote_lines_text(struct crm_ctx *, json_t *lines, const char *currency);
/* The customer's link: settings public_url + /sales/q/<token>. */
const char *sales_quote_link(struct crm_ctx *, const char *token);
/* The account's address lines, for the documents. */
const char *sales_quote_address(struct crm_ctx *, json_t *quote);
/* The quote as a PDF into c->raw (application/pdf). Returns the status. */
int sales_quote_pdf_of(struct crm_ctx *, json_t *quote);
/* The next number of a kind ("quote", "order") this year, in a
 * transaction: "Q-2026-00042". */
enum crm_err sales_next_number(struct crm_db *, const char *kind, const char *prefix,
    const char **number, struct crm_arena *);
/* orders.c */
int sales_orders(struct crm_ctx *);
int sales_order_show(struct crm_ctx *);
int sales_order_status(struct crm_ctx *);

/* forecast */

#endif
