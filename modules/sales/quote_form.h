/* The quote form, shared by create and edit (quote_form.c). */
#ifndef SALES_QUOTE_FORM_H
#define SALES_QUOTE_FORM_H

#include "crm_money.h"
#include "extern.h"

#define QUOTE_MAX_LINES 50

struct quote_line {
	size_t n;                       /* the form's row number */
	const char *product, *quantity, *discount, *price, *description;    /* as typed */
	long long product_id, qty, disc, tax, unit_price;
	const char *product_name, *sku, *unit;
	struct crm_line_amounts a;
	const char *error;              /* translated; NULL when the line is good */
};

struct quote_form {
	const char *account, *contact, *book, *title, *valid_until, *terms, *opportunity;
	long long account_id, contact_id, book_id, opportunity_id;
	const char *currency;           /* the book's */
	struct quote_line lines[QUOTE_MAX_LINES];
	size_t n;
	long long subtotal, discount_total, tax_total, total, max_discount;
};

long long sales_ref_id(const char *ref);
/* Today (UTC) plus some days, "YYYY-MM-DD". */
const char *sales_today(struct crm_ctx *, long long plus_days);
void sales_quote_read_form(struct crm_ctx *, struct quote_form *);
json_t *sales_quote_typed(struct crm_ctx *, const struct quote_form *);
void sales_quote_form_rows(json_t *lines);
void sales_quote_bind_line(struct crm_ctx *, long long quote_id, const struct quote_line *,
    int position, struct crm_db_bind *);
const char *sales_quote_money(struct crm_ctx *, long long v, int scale);

#endif
