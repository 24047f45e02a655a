/* The account's sales on its page (the customer 360): open deals, the
 * latest orders and invoices, and the lifetime order total, each linking
 * into /sales. One statement (stmts.c STMT_ACCOUNT_SALES: a UNION ALL
 * with a kind column and a limit per kind), only for users who may read
 * sales, and only the sales records their scope reaches. */
#include <string.h>

#include "crm_auth.h"
#include "extern.h"

static const struct {
	const char *value, *label;
} status_labels[] = {
	{ "confirmed", N_("Confirmed") },
	{ "shipped", N_("Shipped") },
	{ "delivered", N_("Delivered") },
	{ "cancelled", N_("Cancelled") },
	{ "unpaid", N_("Unpaid") },
	{ "partly_paid", N_("Partly paid") },
	{ "paid", N_("Paid") },
	{ "overdue", N_("Overdue") },
};

static const char *
money(struct crm_ctx *c, json_t *row, const char *column)
{
	const char *v = json_string_value(json_object_get(row, column));
	const char *cur = json_string_value(json_object_get(row, "currency"));
	struct crm_buf b;

	if (v == NULL)
		return "";
	crm_buf_init(&b, c->arena, 32);
	crm_i18n_format_money(&b, c->lang, v, cur ? cur : "USD");
	return b.data;
}

static void
status_text(struct crm_ctx *c, json_t *row)
{
	const char *st = json_string_value(json_object_get(row, "status"));
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < CRM_NELEM(status_labels); i++)
		if (strcmp(st, status_labels[i].value) == 0)
			json_object_set_new(row, "status_text", json_string(crm_ctx_text(c, status_labels[i].label)));
	json_object_set_new(row, "overdue", json_boolean(strcmp(st, "overdue") == 0));
}

enum crm_err
customers_account_sales(struct crm_ctx *c, long long account_id)
{
	struct crm_db_bind b[24];
	json_t *rows = NULL, *row, *sales;
	json_t *opps = json_array(), *orders = json_array(), *invoices = json_array();
	enum crm_err e;
	size_t i;

	if (!crm_auth_can(c->user, "sales.read"))
		return CRM_OK;
	for (i = 0; i < 4; i++) {
		crm_db_bind_i64(&b[i * 6], account_id);
		bind_scope(c, b + i * 6 + 1);
	}
	if ((e = crm_db_rows(c->db, STMT_ACCOUNT_SALES, b, 24, &rows)) != CRM_OK)
		return e;
	sales = json_object();
	json_array_foreach(rows, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));

		json_object_set_new(row, "amount_text", json_string(money(c, row, "amount")));
		json_object_set_new(row, "owed_text", json_string(money(c, row, "owed")));
		status_text(c, row);
		if (strcmp(kind, "opportunity") == 0)
			json_array_append(opps, row);
		else if (strcmp(kind, "order") == 0)
			json_array_append(orders, row);
		else if (strcmp(kind, "invoice") == 0)
			json_array_append(invoices, row);
		else
			json_object_set_new(sales, "lifetime_text", json_string(money(c, row, "amount")));
	}
	json_object_set_new(sales, "opportunities", opps);
	json_object_set_new(sales, "orders", orders);
	json_object_set_new(sales, "invoices", invoices);
	json_object_set_new(c->view, "sales", sales);
	return CRM_OK;
}
