/* crm-sales: products and prices, leads, the pipeline, quotes, orders,
 * invoices and the forecast. One section per area; each area's handlers
 * live in their own files (extern.h says which). */
#include "crm_server.h"
#include "extern.h"
#include "crm_health.h"

static const struct crm_route routes[] = {
	/* For a load balancer or a monitor: can this instance work? */
	{ "GET", "/sales/health", CRM_PERM_PUBLIC, crm_health, NULL },
	/* Products, price books, exchange rates: products.c, prices.c */
	{ "GET", "/sales", "sales.read", sales_board, "sales/board" },
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
	{ "GET", "/sales/leads", "sales.read", sales_leads, "sales/leads" },
	{ "GET", "/sales/leads/new", "sales.write", sales_lead_new, "sales/lead_new" },
	{ "POST", "/sales/leads", "sales.write", sales_lead_create, "sales/lead_new" },
	{ "GET", "/sales/leads/:id", "sales.read", sales_lead_show, "sales/lead" },
	{ "POST", "/sales/leads/:id", "sales.write", sales_lead_update, "sales/lead" },
	{ "POST", "/sales/leads/:id/reassign", "sales.write", sales_lead_reassign, "sales/lead" },
	{ "POST", "/sales/leads/:id/activities", "sales.write", sales_lead_activity, "sales/lead" },
	{ "POST", "/sales/leads/:id/convert", "sales.write", sales_lead_convert, "sales/lead" },
	{ "GET", "/sales/lead-forms", "admin.settings", sales_lead_forms, "sales/lead_webforms" },
	{ "POST", "/sales/lead-forms", "admin.settings", sales_lead_form_create, "sales/lead_webforms" },
	{ "GET", "/sales/lead-forms/:id", "admin.settings", sales_lead_form_show, "sales/lead_webform" },
	{ "POST", "/sales/lead-forms/:id", "admin.settings", sales_lead_form_update, "sales/lead_webform" },
	{ "GET", "/sales/lead-rules", "admin.settings", sales_lead_rules, "sales/lead_rules" },
	{ "POST", "/sales/lead-rules", "admin.settings", sales_lead_rule_create, "sales/lead_rules" },
	{ "POST", "/sales/lead-rules/:id", "admin.settings", sales_lead_rule_update, "sales/lead_rules" },
	{ "POST", "/sales/lead-rules/:id/delete", "admin.settings", sales_lead_rule_delete, "sales/lead_rules" },
	/* Public: the page anyone opens; the POST comes from any site
	 * (lead_public.c says what protects it instead of the form token). */
	{ "GET", "/sales/forms/:token", CRM_PERM_PUBLIC, sales_form_page, "sales/lead_public" },
	{ "POST", "/sales/forms/:token", CRM_PERM_CROSS_SITE, sales_form_submit, "sales/lead_public" },

	/* Pipelines, opportunities, the board: pipeline*.c, opportunities.c */
	{ "GET", "/sales/board/:pipeline_id", "sales.read", sales_board, "sales/board" },
	{ "GET", "/sales/opportunities", "sales.read", sales_opportunities, "sales/opportunities" },
	{ "GET", "/sales/opportunities/new", "sales.write", sales_opportunity_new, "sales/opportunity_form" },
	{ "POST", "/sales/opportunities", "sales.write", sales_opportunity_create, "sales/opportunity_form" },
	{ "GET", "/sales/opportunities/:id", "sales.read", sales_opportunity_show, "sales/opportunity" },
	{ "POST", "/sales/opportunities/:id", "sales.write", sales_opportunity_update, "sales/opportunity" },
	{ "POST", "/sales/opportunities/:id/stage", "sales.write", sales_opportunity_stage, "sales/opportunity" },
	{ "POST", "/sales/opportunities/:id/owner", "sales.write", sales_opportunity_reassign, "sales/opportunity" },
	{ "POST", "/sales/opportunities/:id/activities", "sales.write", sales_opportunity_activity, "sales/opportunity" },
	{ "GET", "/sales/lookup/accounts", "sales.read", sales_lookup_accounts, NULL },
	{ "GET", "/sales/lookup/contacts", "sales.read", sales_lookup_contacts, NULL },
	{ "GET", "/sales/lookup/products", "sales.read", sales_lookup_products, NULL },
	{ "GET", "/sales/lookup/users", "sales.read", sales_lookup_users, NULL },
	{ "GET", "/sales/pipelines", "admin.settings", sales_pipelines, "sales/pipelines" },
	{ "POST", "/sales/pipelines", "admin.settings", sales_pipeline_create, "sales/pipelines" },
	{ "GET", "/sales/pipelines/:id", "admin.settings", sales_pipeline_show, "sales/pipeline" },
	{ "POST", "/sales/pipelines/:id", "admin.settings", sales_pipeline_update, "sales/pipeline" },
	{ "POST", "/sales/pipelines/:id/stages", "admin.settings", sales_stage_create, "sales/pipeline" },
	{ "POST", "/sales/pipeline-stages/:id", "admin.settings", sales_stage_update, "sales/pipeline" },
	{ "POST", "/sales/pipeline-stages/:id/delete", "admin.settings", sales_stage_delete, "sales/pipeline" },
	{ "POST", "/sales/pipeline-stages/:id/move", "admin.settings", sales_stage_reorder, "sales/pipeline" },

	/* Quotes, orders, invoices, payments: quotes*.c, orders.c, invoices.c */
	{ "GET", "/sales/quotes", "sales.read", sales_quotes, "sales/quotes" },
	{ "GET", "/sales/quotes/new", "sales.write", sales_quote_new, "sales/quote_form" },
	{ "GET", "/sales/quotes/products", "sales.write", sales_quote_products, NULL },
	{ "POST", "/sales/quotes", "sales.write", sales_quote_create, "sales/quote_form" },
	{ "GET", "/sales/quotes/:id", "sales.read", sales_quote_show, "sales/quote" },
	{ "GET", "/sales/quotes/:id/edit", "sales.write", sales_quote_edit, "sales/quote_form" },
	{ "POST", "/sales/quotes/:id", "sales.write", sales_quote_update, "sales/quote_form" },
	{ "POST", "/sales/quotes/:id/request-approval", "sales.write", sales_quote_request_approval, "sales/quote" },
	{ "POST", "/sales/quotes/:id/approve", "sales.quote.approve", sales_quote_approve, "sales/quote" },
	{ "POST", "/sales/quotes/:id/reject", "sales.quote.approve", sales_quote_reject, "sales/quote" },
	{ "POST", "/sales/quotes/:id/send", "sales.write", sales_quote_send, "sales/quote" },
	{ "POST", "/sales/quotes/:id/revise", "sales.write", sales_quote_revise, "sales/quote" },
	{ "GET", "/sales/quotes/:id/print", "sales.read", sales_quote_print, "sales/quote_print" },
	{ "GET", "/sales/quotes/:id/pdf", "sales.read", sales_quote_pdf, NULL },
	{ "GET", "/sales/q/:token", CRM_PERM_PUBLIC, sales_quote_public, "sales/quote_public" },
	{ "GET", "/sales/q/:token/pdf", CRM_PERM_PUBLIC, sales_quote_public_pdf, NULL },
	{ "POST", "/sales/q/:token/accept", CRM_PERM_PUBLIC, sales_quote_accept, "sales/quote_public" },
	{ "POST", "/sales/q/:token/decline", CRM_PERM_PUBLIC, sales_quote_decline, "sales/quote_public" },
	{ "GET", "/sales/orders", "sales.read", sales_orders, "sales/orders" },
	{ "GET", "/sales/orders/:id", "sales.read", sales_order_show, "sales/order" },
	{ "POST", "/sales/orders/:id/status", "sales.write", sales_order_status, "sales/order" },

	/* invoices: invoices.c, invoice_payments.c, invoice_public.c (the customer's link) */
	{ "GET", "/sales/invoices", "sales.read", sales_invoices, "sales/invoices" },
	{ "POST", "/sales/invoices", "sales.write", sales_invoice_issue, "sales/invoices" },
	{ "GET", "/sales/invoices/:id", "sales.read", sales_invoice_show, "sales/invoice" },
	{ "GET", "/sales/invoices/:id/print", "sales.read", sales_invoice_print, "sales/invoice_print" },
	{ "GET", "/sales/invoices/:id/pdf", "sales.read", sales_invoice_pdf, NULL },
	{ "POST", "/sales/invoices/:id/payments", "sales.write", sales_payment_create, "sales/invoice" },
	{ "POST", "/sales/invoices/:id/payments/:payment_id/delete", "sales.quote.approve", sales_payment_delete,
	    "sales/invoice" },
	{ "GET", "/sales/i/:token", CRM_PERM_PUBLIC, sales_invoice_public, "sales/invoice_public" },
	{ "GET", "/sales/i/:token/pdf", CRM_PERM_PUBLIC, sales_invoice_public_pdf, NULL },

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
