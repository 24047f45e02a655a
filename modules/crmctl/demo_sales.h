/* crmctl demo, sales: what the sales generators share. */
#ifndef CRMCTL_DEMO_SALES_H
#define CRMCTL_DEMO_SALES_H

#include "crm_money.h"
#include "demo.h"

#define DEMO_DAY 86400LL

struct demo_product {
	long long id, list, wholesale, foreign, tax_bp;   /* prices in cents */
	const char *name;
};

struct demo_sales {
	struct crm_db *db;
	const struct demo_sizes *sz;
	long long now;                  /* unix seconds */
	long long *sellers;
	size_t nsellers;
	struct demo_ids accounts;       /* live ones, to pick from */
	struct demo_product *products;
	size_t nproducts;
	long long book_standard, book_wholesale, book_foreign;
	const char *base, *foreign;     /* currencies */
	long long rate;                 /* foreign units per base unit, scale 8 */
	long long pipeline_id;
	long long open_stage[8], open_bp[8], won_stage, lost_stage;
	int nopen;
	long long next_lead, next_opp, next_quote, next_order, next_invoice;
	long long *opp_account;         /* the account of each new deal */
	long long month_total[25];      /* base cents of the demo orders per month, oldest first */
	int first_month;                /* year * 12 + month - 1 of month_total[0] */
};

long long demo_seller(const struct demo_sales *);
long long demo_account(const struct demo_sales *);
/* A priced line from one of the books: fills quantity (scale 3), price,
 * discount and tax (basis points) and the amounts. */
struct demo_line {
	const struct demo_product *p;
	long long qty, price, discount_bp;
	struct crm_line_amounts a;
};
int demo_line(const struct demo_sales *, int book, long long max_qty, long long discount_bp,
    struct demo_line *);
enum { DEMO_BOOK_STANDARD, DEMO_BOOK_WHOLESALE, DEMO_BOOK_FOREIGN };

enum crm_err demo_deals(struct demo_sales *);
enum crm_err demo_quotes(struct demo_sales *);
enum crm_err demo_orders(struct demo_sales *);

#endif
