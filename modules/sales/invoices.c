/* Invoices: issued from an order (one per order, never for a cancelled
 * one), numbered without gaps per year; the list, the page and the print
 * page. Payments are invoice_payments.c, the customer's link and the PDF
 * invoice_public.c. */
#include <stdlib.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_qr.h"
#include "crm_valid.h"
#include "extern.h"

struct issue {
	struct crm_ctx *c;
	long long order_id;
	long long due_days;
	const char *problem;    /* why the order cannot be invoiced: a 409 */
	long long id;
	const char *number;
};

static enum crm_err
issue_tx(struct crm_db *db, void *arg)
{
	struct issue *is = arg;
	struct crm_db_bind b[13];
	json_t *today = NULL, *counter = NULL, *order = NULL, *reach = NULL, *dup = NULL;
	char token[CRM_AUTH_SECRET_LEN + 1];
	long long year, seq;
	uint64_t id = 0;
	enum crm_err e;

	is->problem = NULL;
	crm_db_bind_i64(&b[0], is->due_days);
	if ((e = crm_db_row(db, STMT_INVOICE_TODAY, b, 1, &today)) != CRM_OK)
		return e;
	year = json_integer_value(json_object_get(today, "year"));
	/* The year's counter first: every issuer queues here, so the checks
	 * below see the invoices issued before, and the numbers follow the
	 * order of commits. Making the row (once a year) takes the same lock. */
	crm_db_bind_i64(&b[0], year);
	if ((e = crm_db_exec(db, STMT_INVOICE_COUNTER_NEW, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_row(db, STMT_INVOICE_COUNTER_LOCK, b, 1, &counter)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], is->order_id);
	sales_bind_scope(is->c, b + 1);
	if ((e = crm_db_row(db, STMT_INVOICE_ORDER_REACH, b, 6, &reach)) != CRM_OK ||
	    (e = crm_db_row(db, STMT_INVOICE_ORDER_LOCK, b, 1, &order)) != CRM_OK)
		return e;
	if (strcmp(json_string_value(json_object_get(order, "status")), "cancelled") == 0) {
		is->problem = N_("The order was cancelled: it cannot be invoiced.");
		return CRM_ECONFLICT;
	}
	if ((e = crm_db_row(db, STMT_INVOICE_OF_ORDER, b, 1, &dup)) == CRM_OK) {
		is->problem = N_("The order has an invoice already.");
		return CRM_ECONFLICT;
	}
	if (e != CRM_ENOTFOUND)
		return e;
	seq = json_integer_value(json_object_get(counter, "last_number")) + 1;
	is->number = crm_arena_printf(is->c->arena, "INV-%lld-%06lld", year, seq);
	crm_auth_new_secret(token);
	crm_db_bind_i64(&b[0], seq);
	crm_db_bind_i64(&b[1], year);
	if ((e = crm_db_exec(db, STMT_INVOICE_COUNTER_SET, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], is->number, (size_t)-1);
	crm_db_bind_i64(&b[1], year);
	crm_db_bind_i64(&b[2], seq);
	crm_db_bind_i64(&b[3], is->order_id);
	crm_db_bind_i64(&b[4], json_integer_value(json_object_get(order, "account_id")));
	crm_db_bind_str(&b[5], json_string_value(json_object_get(order, "currency")), (size_t)-1);
	crm_db_bind_str(&b[6], json_string_value(json_object_get(today, "today")), (size_t)-1);
	crm_db_bind_str(&b[7], json_string_value(json_object_get(today, "due")), (size_t)-1);
	/* The amounts as the order has them, decimal text to decimal column. */
	crm_db_bind_str(&b[8], json_string_value(json_object_get(order, "subtotal")), (size_t)-1);
	crm_db_bind_str(&b[9], json_string_value(json_object_get(order, "tax_total")), (size_t)-1);
	crm_db_bind_str(&b[10], json_string_value(json_object_get(order, "total")), (size_t)-1);
	crm_db_bind_str(&b[11], token, (size_t)-1);
	crm_db_bind_i64(&b[12], json_integer_value(json_object_get(order, "owner_id")));
	if ((e = crm_db_exec(db, STMT_INVOICE_CREATE, b, 13, NULL, &id)) != CRM_OK)
		return e;
	is->id = (long long)id;
	return crm_ctx_audit(is->c, "create", "invoice", is->id, NULL, json_pack("{s:s,s:I,s:O,s:O,s:s,s:s,s:O}",
	    "number", is->number, "order_id", (json_int_t)is->order_id,
	    "order_number", json_object_get(order, "number"), "currency", json_object_get(order, "currency"),
	    "issued_on", json_string_value(json_object_get(today, "today")),
	    "due_on", json_string_value(json_object_get(today, "due")), "total", json_object_get(order, "total")));
}

/* Issues the invoice of an order: 404 for an order out of reach, 409 for
 * a cancelled one or one invoiced already. */
int
sales_invoice_issue(struct crm_ctx *c)
{
	struct issue is;
	const char *days = crm_setting(c->db, c->arena, "invoice_due_days", "30");
	char *end;
	enum crm_err e;

	memset(&is, 0, sizeof(is));
	is.c = c;
	if (!crm_valid_id(crm_ctx_form_str(c, "order_id"), &is.order_id))
		return crm_ctx_fail(c, 422, N_("Say which order to invoice."));
	is.due_days = strtoll(days, &end, 10);
	if (*end != '\0' || is.due_days < 0 || is.due_days > 3650)
		is.due_days = 30;
	e = crm_db_tx(c->db, issue_tx, &is);
	if (e == CRM_ENOTFOUND)
		return 404;
	if (e == CRM_ECONFLICT && is.problem != NULL)
		return crm_ctx_fail(c, 409, is.problem);
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/invoices/%lld?done=invoice-issued", is.id));
}

static const char *const statuses[] = { "", "unpaid", "partly_paid", "paid", "overdue", NULL };

static json_t *
status_options(struct crm_ctx *c, const char *selected)
{
	json_t *opts = json_array();
	size_t i;

	for (i = 0; statuses[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", statuses[i],
		    "label", i == 0 ? crm_ctx_text(c, N_("Any status")) : sales_invoice_status_text(c, statuses[i]),
		    "selected", strcmp(selected, statuses[i]) == 0));
	return opts;
}

/* A year as the filter takes it: "" or 2000..2200. */
static int
valid_year(const char *s, long long *year)
{
	*year = 0;
	if (*s == '\0')
		return 1;
	return strlen(s) == 4 && strspn(s, "0123456789") == 4 && (*year = atoll(s)) >= 2000 && *year <= 2200;
}

/* The list, newest first: status (overdue computed), account and year
 * filters; each row has its total and what is still owed. */
int
sales_invoices(struct crm_ctx *c)
{
	const char *status = crm_ctx_query_str(c, "status"), *account = crm_ctx_query_str(c, "account");
	const char *year_s = crm_ctx_query_str(c, "year"), *after = crm_ctx_query_str(c, "after");
	const char *after_id_s = crm_ctx_query_str(c, "after_id");
	static const char *const keep[] = { "status", "account", "year", NULL };
	long long account_id = 0, year, after_id = 0;
	struct crm_db_bind b[15];
	json_t *rows = NULL, *row;
	size_t i;

	if (!crm_valid_oneof(status, statuses) || (*account && !crm_valid_id(account, &account_id)) ||
	    !valid_year(year_s, &year) || (*after && !crm_valid_date(after)) ||
	    (*after_id_s && !crm_valid_id(after_id_s, &after_id)))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	sales_bind_scope(c, b);
	crm_db_bind_str(&b[5], status, (size_t)-1);
	crm_db_bind_str(&b[6], status, (size_t)-1);
	crm_db_bind_i64(&b[7], account_id);
	crm_db_bind_i64(&b[8], account_id);
	crm_db_bind_i64(&b[9], year);
	crm_db_bind_i64(&b[10], year);
	crm_db_bind_i64(&b[11], year);
	/* The first page starts after the end of time. */
	crm_db_bind_str(&b[12], *after ? after : "9999-12-31", (size_t)-1);
	crm_db_bind_str(&b[13], *after ? after : "9999-12-31", (size_t)-1);
	crm_db_bind_i64(&b[14], *after ? after_id : 0x7fffffffffffffffLL);
	if (crm_db_rows(c->db, STMT_INVOICES, b, 15, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/sales/invoices", "issued_on", keep);
	sales_money_text(c, rows, "total", "currency");
	sales_money_text(c, rows, "owed", "currency");
	json_array_foreach(rows, i, row) {
		const char *st = json_string_value(json_object_get(row, "status"));

		json_object_set_new(row, "status_text", json_string(sales_invoice_status_text(c, st)));
		json_object_set_new(row, "overdue", json_boolean(strcmp(st, "overdue") == 0));
		/* The customer's link is for the invoice's own page. */
		json_object_del(row, "public_token");
	}
	json_object_set_new(c->view, "invoices", rows);
	json_object_set_new(c->view, "statuses", status_options(c, status));
	json_object_set_new(c->view, "account", json_string(account));
	json_object_set_new(c->view, "year", json_string(year_s));
	json_object_set_new(c->view, "order_id", json_string(crm_ctx_form_str(c, "order_id")));
	sales_nav(c, "invoices");
	sales_flash(c);
	return 200;
}

static json_t *
method_options(struct crm_ctx *c, const char *selected)
{
	json_t *opts = json_array();
	size_t i;

	for (i = 0; sales_payment_methods[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", sales_payment_methods[i],
		    "label", sales_payment_method_text(c, sales_payment_methods[i]),
		    "selected", selected && strcmp(selected, sales_payment_methods[i]) == 0));
	return opts;
}

/* The invoice's page; typed is the payment form as submitted (shown
 * again with its errors), or NULL for the defaults: what is owed, today,
 * by bank transfer. */
int
sales_invoice_page(struct crm_ctx *c, long long id, json_t *typed)
{
	struct crm_db_bind b[1];
	json_t *inv, *history = NULL, *today = NULL;
	int status;

	if ((inv = sales_invoice_load(c, id, NULL, &status)) == NULL)
		return status;
	crm_db_bind_i64(&b[0], 0);
	if (crm_db_row(c->db, STMT_INVOICE_TODAY, b, 1, &today) != CRM_OK ||
	    crm_ctx_history(c, "invoice", NULL, id, &history) != CRM_OK)
		return 500;
	if (typed == NULL)
		typed = json_pack("{s:O,s:O,s:s,s:s}", "amount", json_object_get(inv, "owed"),
		    "paid_on", json_object_get(today, "today"), "method", "bank_transfer", "reference", "");
	json_object_set_new(typed, "methods", method_options(c,
	    json_string_value(json_object_get(typed, "method"))));
	json_object_set_new(c->view, "invoice", inv);
	json_object_set_new(c->view, "payment", typed);
	json_object_set_new(c->view, "history", history);
	sales_nav(c, "invoices");
	sales_flash(c);
	return 200;
}

int
sales_invoice_show(struct crm_ctx *c)
{
	return sales_invoice_page(c, crm_ctx_id(c, "id"), NULL);
}

/* The seller as the documents print it. */
json_t *
sales_company(struct crm_ctx *c)
{
	const char *p = crm_setting(c->db, c->arena, "company_address", "");
	json_t *lines = json_array();
	size_t n;

	/* One line of the address per line of the setting. */
	while (*p) {
		n = strcspn(p, "\r\n");
		if (n > 0)
			json_array_append_new(lines, json_stringn(p, n));
		p += n;
		p += strspn(p, "\r\n");
	}
	return json_pack("{s:s,s:o,s:s,s:s,s:s}", "name", crm_setting(c->db, c->arena, "company_name", ""),
	    "address", lines, "tax_id", crm_setting(c->db, c->arena, "company_tax_id", ""),
	    "email", crm_setting(c->db, c->arena, "company_email", ""), "phone", crm_setting(c->db, c->arena, "company_phone", ""));
}

/* A page to print or save: the document without the application around
 * it, with the QR code of the customer's link. */
int
sales_invoice_print(struct crm_ctx *c)
{
	struct crm_buf qr;
	json_t *inv;
	int status;

	if ((inv = sales_invoice_load(c, crm_ctx_id(c, "id"), NULL, &status)) == NULL)
		return status;
	crm_buf_init(&qr, c->arena, 4096);
	if (crm_qr_data_uri(&qr, json_string_value(json_object_get(inv, "public_url")),
	    crm_ctx_text(c, N_("QR code of the invoice's link"))) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "invoice", inv);
	json_object_set_new(c->view, "company", sales_company(c));
	json_object_set_new(c->view, "qr", json_string(qr.data));
	return 200;
}
