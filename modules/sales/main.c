/* crm-sales: products and prices, leads, the pipeline, quotes, orders,
 * invoices and the forecast. One section per area; each area's handlers
 * live in their own files (extern.h says which). */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
	/* Products, price books, exchange rates: products.c, prices.c */
	{ "GET", "/sales", "sales.read", sales_products, "sales/products" },
	{ "GET", "/sales/products", "sales.read", sales_products, "sales/products" },
	{ "GET", "/sales/products/new", "sales.products", sales_product_new, "sales/product_form" },
	{ "POST", "/sales/products", "sales.products", sales_product_create, "sales/product_form" },
	{ "GET", "/sales/products/:id", "sales.read", sales_product_show, "sales/product" },
	{ "POST", "/sales/products/:id", "sales.products", sales_product_update, "sales/product" },
	{ "GET", "/sales/price-books", "sales.read", sales_price_books, "sales/price_books" },
	{ "POST", "/sales/price-books", "sales.products", sales_price_book_create, "sales/price_books" },
	{ "GET", "/sales/price-books/:id", "sales.read", sales_price_book_show, "sales/price_book" },
	{ "POST", "/sales/price-books/:id", "sales.products", sales_price_book_update, "sales/price_book" },
	{ "POST", "/sales/price-books/:id/prices", "sales.products", sales_price_set, "sales/price_book" },
	{ "GET", "/sales/rates", "sales.read", sales_rates, "sales/rates" },
	{ "POST", "/sales/rates", "admin.settings", sales_rate_set, "sales/rates" },

	/* Leads, web-to-lead forms, assignment rules: leads*.c */

	/* Pipelines, opportunities, the board: pipeline*.c, opportunities.c */

	/* Quotes, orders, invoices, payments: quotes*.c, orders.c, invoices.c */

	/* Quotas and the forecast: forecast*.c */
	{ "GET", "/sales/forecast", "sales.read", sales_forecast, "sales/forecast" },
	{ "GET", "/sales/quotas", "sales.read", sales_quotas, "sales/quotas" },
	{ "POST", "/sales/quotas", "sales.quote.approve", sales_quotas_save, "sales/quotas" },
};

static const struct crm_module module = {
	"sales", routes, CRM_NELEM(routes), sales_stmts, STMT__MAX, NULL, NULL,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
