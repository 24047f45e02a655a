/* One invoice as its pages read it (the staff page, the print page, the
 * customer's link and the PDF): the invoice row, the order's lines, the
 * payments, and the texts people read, formatted once here so that every
 * page says the same. */
#include <string.h>

#include "crm_money.h"
#include "extern.h"

static const struct {
	const char *status, *label;
} status_labels[] = {
	{ "unpaid", N_("Unpaid") },
	{ "partly_paid", N_("Partly paid") },
	{ "paid", N_("Paid") },
	{ "overdue", N_("Overdue") },
};

static const struct {
	const char *method, *label;
} method_labels[] = {
	{ "bank_transfer", N_("Bank transfer") },
	{ "card", N_("Card") },
	{ "cash", N_("Cash") },
	{ "other", N_("Other") },
};

const char *const sales_payment_methods[] = { "bank_transfer", "card", "cash", "other", NULL };

const char *
sales_invoice_status_text(struct crm_ctx *c, const char *status)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(status_labels); i++)
		if (status && strcmp(status, status_labels[i].status) == 0)
			return crm_ctx_text(c, status_labels[i].label);
	return status ? status : "";
}

const char *
sales_payment_method_text(struct crm_ctx *c, const char *method)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(method_labels); i++)
		if (method && strcmp(method, method_labels[i].method) == 0)
			return crm_ctx_text(c, method_labels[i].label);
	return method ? method : "";
}

/* A DECIMAL without the zeros after its point that say nothing:
 * "2.500" is "2.5", "10.00" is "10". */
static const char *
trimmed(struct crm_ctx *c, const char *decimal)
{
	char *s;
	size_t n;

	if (decimal == NULL)
		return "";
	s = crm_arena_printf(c->arena, "%s", decimal);
	if (strchr(s, '.') == NULL)
		return s;
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	return s;
}

static const char *
str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

static void
money_field(struct crm_ctx *c, json_t *o, const char *key, const char *currency)
{
	json_object_set_new(o, crm_arena_printf(c->arena, "%s_text", key),
	    json_string(sales_money(c, str(o, key), currency)));
}

static void
lines_text(struct crm_ctx *c, json_t *lines, const char *currency)
{
	json_t *l;
	size_t i;

	json_array_foreach(lines, i, l) {
		const char *unit = str(l, "unit"), *discount = trimmed(c, str(l, "discount"));

		json_object_set_new(l, "quantity_text", json_string(*unit ?
		    crm_arena_printf(c->arena, "%s %s", trimmed(c, str(l, "quantity")), unit) :
		    trimmed(c, str(l, "quantity"))));
		json_object_set_new(l, "discount_text", json_string(strcmp(discount, "0") == 0 ? "" :
		    crm_arena_printf(c->arena, "%s %%", discount)));
		json_object_set_new(l, "tax_rate_text", json_string(crm_arena_printf(c->arena, "%s %%",
		    trimmed(c, str(l, "tax_rate")))));
		money_field(c, l, "unit_price", currency);
		money_field(c, l, "net", currency);
		money_field(c, l, "tax", currency);
		money_field(c, l, "total", currency);
	}
}

const char *
sales_invoice_link(struct crm_ctx *c, json_t *invoice)
{
	return crm_public_url(c->db, c->arena, crm_arena_printf(c->arena, "/sales/i/%s", str(invoice, "public_token")));
}

json_t *
sales_invoice_load(struct crm_ctx *c, long long id, const char *token, int *status)
{
	struct crm_db_bind b[6];
	json_t *inv = NULL, *lines = NULL, *payments = NULL, *p;
	const char *currency, *st;
	long long owed = 0;
	enum crm_err e;
	size_t i;

	*status = 404;
	if (token != NULL) {
		crm_db_bind_str(&b[0], token, (size_t)-1);
		e = crm_db_row(c->db, STMT_INVOICE_BY_TOKEN, b, 1, &inv);
	} else {
		if (id == 0)
			return NULL;
		crm_db_bind_i64(&b[0], id);
		sales_bind_scope(c, b + 1);
		e = crm_db_row(c->db, STMT_INVOICE_GET, b, 6, &inv);
	}
	if (e != CRM_OK) {
		*status = e == CRM_ENOTFOUND ? 404 : 500;
		return NULL;
	}
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(inv, "order_id")));
	crm_db_bind_i64(&b[1], json_integer_value(json_object_get(inv, "id")));
	if (crm_db_rows(c->db, STMT_INVOICE_LINES, b, 1, &lines) != CRM_OK ||
	    crm_db_rows(c->db, STMT_INVOICE_PAYMENTS, b + 1, 1, &payments) != CRM_OK) {
		*status = 500;
		return NULL;
	}
	currency = str(inv, "currency");
	st = str(inv, "status");
	money_field(c, inv, "subtotal", currency);
	money_field(c, inv, "tax_total", currency);
	money_field(c, inv, "total", currency);
	money_field(c, inv, "paid", currency);
	money_field(c, inv, "owed", currency);
	json_object_set_new(inv, "status_text", json_string(sales_invoice_status_text(c, st)));
	json_object_set_new(inv, "overdue", json_boolean(strcmp(st, "overdue") == 0));
	crm_money_parse(str(inv, "owed"), &owed);
	json_object_set_new(inv, "owes", json_boolean(owed > 0));
	lines_text(c, lines, currency);
	json_array_foreach(payments, i, p) {
		money_field(c, p, "amount", currency);
		json_object_set_new(p, "method_text", json_string(sales_payment_method_text(c, str(p, "method"))));
	}
	crm_ctx_localise_dates(c, payments, "created_at");
	json_object_set_new(inv, "lines", lines);
	json_object_set_new(inv, "payments", payments);
	json_object_set_new(inv, "public_url", json_string(sales_invoice_link(c, inv)));
	*status = 200;
	return inv;
}
