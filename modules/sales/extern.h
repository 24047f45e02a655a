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

	/* forecast */
	STMT_QUOTA_USERS,
	STMT_QUOTAS_YEAR,
	STMT_QUOTA_PUT,
	STMT_QUOTA_DROP,
	STMT_FORECAST_DEALS,
	STMT_FORECAST_QUOTAS,
	STMT_FORECAST_STAGES,
	STMT_FORECAST_PAST,
	STMT_FORECAST_ORDERS,

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

/* forecast */
/* quotas.c: each user's monthly quota, a year at a time. */
int sales_quotas(struct crm_ctx *);
int sales_quotas_save(struct crm_ctx *);
/* forecast.c: the pipeline forecast against quota, and its accuracy. */
int sales_forecast(struct crm_ctx *);
/* forecast_trend.c: the order history's trend, projected, and its chart. */
json_t *sales_forecast_trend(struct crm_ctx *, int this_month, int *status);
/* A month as a count (year * 12 + month - 1) and back to "YYYY-MM"; the
 * month of today in UTC. */
int sales_month_parse(const char *, int *ym);
const char *sales_month_text(struct crm_ctx *, int ym);
const char *sales_month_first(struct crm_ctx *, int ym);   /* "YYYY-MM-01" */
int sales_month_now(void);

#endif
