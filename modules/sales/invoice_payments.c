/* Payments against an invoice. The invoice's paid amount and status
 * (unpaid, partly paid, paid) follow them in the same transaction, under
 * the invoice's row lock, so two payments recorded at once cannot both
 * fit into what was owed. Removing one is a correction for those who may
 * approve quotes. */
#include <string.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

struct payment {
	struct crm_ctx *c;
	long long invoice_id, payment_id;
	long long cents;
	const char *amount, *paid_on, *method, *reference;
	int over;               /* more than is owed: a 422 */
	long long owed;
};

static const char *
status_for(long long paid, long long total)
{
	if (paid <= 0)
		return "unpaid";
	return paid >= total ? "paid" : "partly_paid";
}

/* Locks the invoice and reads what it totals and what was paid. */
static enum crm_err
lock_invoice(struct crm_db *db, long long id, json_t **inv, long long *total, long long *paid)
{
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row(db, STMT_INVOICE_LOCK, b, 1, inv)) != CRM_OK)
		return e;
	if (crm_money_parse(json_string_value(json_object_get(*inv, "total")), total) != 0 ||
	    crm_money_parse(json_string_value(json_object_get(*inv, "paid")), paid) != 0)
		return CRM_EDB;
	return CRM_OK;
}

static enum crm_err
set_paid(struct crm_db *db, long long id, long long paid, long long total, char *text)
{
	struct crm_db_bind b[3];

	crm_db_bind_str(&b[0], crm_money_format(text, paid), (size_t)-1);
	crm_db_bind_str(&b[1], status_for(paid, total), (size_t)-1);
	crm_db_bind_i64(&b[2], id);
	return crm_db_exec(db, STMT_INVOICE_PAID_SET, b, 3, NULL, NULL);
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct payment *p = arg;
	struct crm_db_bind b[6];
	char paid_text[CRM_DECIMAL_MAX], amount[CRM_DECIMAL_MAX];
	long long total, paid;
	uint64_t id = 0;
	json_t *inv = NULL;
	enum crm_err e;

	p->over = 0;
	if ((e = lock_invoice(db, p->invoice_id, &inv, &total, &paid)) != CRM_OK)
		return e;
	if (p->cents > total - paid) {
		p->over = 1;
		p->owed = total - paid;
		return CRM_ECONFLICT;
	}
	crm_db_bind_i64(&b[0], p->invoice_id);
	crm_db_bind_str(&b[1], crm_money_format(amount, p->cents), (size_t)-1);
	crm_db_bind_str(&b[2], p->paid_on, (size_t)-1);
	crm_db_bind_str(&b[3], p->method, (size_t)-1);
	crm_db_bind_str(&b[4], p->reference, (size_t)-1);
	crm_db_bind_i64(&b[5], p->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_PAYMENT_CREATE, b, 6, NULL, &id)) != CRM_OK ||
	    (e = set_paid(db, p->invoice_id, paid + p->cents, total, paid_text)) != CRM_OK)
		return e;
	p->payment_id = (long long)id;
	return crm_ctx_audit(p->c, "payment", "invoice", p->invoice_id,
	    json_pack("{s:O,s:O}", "paid", json_object_get(inv, "paid"), "status", json_object_get(inv, "status")),
	    json_pack("{s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "paid", paid_text,
	    "status", status_for(paid + p->cents, total), "payment_id", (json_int_t)p->payment_id,
	    "amount", amount, "paid_on", p->paid_on, "method", p->method, "reference", p->reference));
}

static json_t *
typed(const struct payment *p)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "amount", p->amount, "paid_on", p->paid_on,
	    "method", p->method, "reference", p->reference);
}

int
sales_payment_create(struct crm_ctx *c)
{
	struct payment p;
	struct crm_db_bind b[1];
	json_t *today = NULL;
	int status;
	enum crm_err e;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.invoice_id = crm_ctx_id(c, "id");
	/* Out of the user's reach is not found, before anything is checked. */
	if (sales_invoice_load(c, p.invoice_id, NULL, &status) == NULL)
		return status;
	p.amount = crm_ctx_form_str(c, "amount");
	p.paid_on = crm_ctx_form_str(c, "paid_on");
	p.method = crm_ctx_form_str(c, "method");
	p.reference = crm_ctx_form_str(c, "reference");
	crm_db_bind_i64(&b[0], 0);
	if (crm_db_row(c->db, STMT_INVOICE_TODAY, b, 1, &today) != CRM_OK)
		return 500;
	if (crm_money_parse(p.amount, &p.cents) != 0 || p.cents <= 0)
		crm_ctx_field_error(c, "amount", N_("Enter an amount above 0 such as 1250 or 19.99."));
	/* A payment is recorded when it has arrived: never a future date. */
	if (!crm_valid_date(p.paid_on) ||
	    strcmp(p.paid_on, json_string_value(json_object_get(today, "today"))) > 0)
		crm_ctx_field_error(c, "paid_on", N_("Enter the date it was paid, today or before."));
	if (!crm_valid_oneof(p.method, sales_payment_methods))
		crm_ctx_field_error(c, "method", N_("Choose a method from the list."));
	if (!crm_valid_text(p.reference, 0, 100, 0))
		crm_ctx_field_error(c, "reference", N_("Keep the reference under 100 characters."));
	if (!crm_ctx_has_errors(c)) {
		if ((e = crm_db_tx(c->db, create_tx, &p)) == CRM_OK)
			return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
			    "/sales/invoices/%lld?done=payment-recorded#payments", p.invoice_id));
		if (!p.over)
			return e == CRM_ENOTFOUND ? 404 : 500;
		crm_ctx_field_error(c, "amount", N_("The amount is more than is still owed."));
	}
	if ((status = sales_invoice_page(c, p.invoice_id, typed(&p))) != 200)
		return status;
	return crm_ctx_status(c, 422);
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct payment *p = arg;
	struct crm_db_bind b[2];
	char paid_text[CRM_DECIMAL_MAX];
	long long total, paid, amount;
	json_t *inv = NULL, *pay = NULL;
	enum crm_err e;

	if ((e = lock_invoice(db, p->invoice_id, &inv, &total, &paid)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], p->payment_id);
	crm_db_bind_i64(&b[1], p->invoice_id);
	if ((e = crm_db_row(db, STMT_PAYMENT_GET, b, 2, &pay)) != CRM_OK)
		return e;
	if (crm_money_parse(json_string_value(json_object_get(pay, "amount")), &amount) != 0)
		return CRM_EDB;
	if ((e = crm_db_exec(db, STMT_PAYMENT_DELETE, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = set_paid(db, p->invoice_id, paid - amount, total, paid_text)) != CRM_OK)
		return e;
	json_object_set_new(pay, "payment_id", json_integer(p->payment_id));
	json_object_del(pay, "id");
	json_object_set(pay, "paid", json_object_get(inv, "paid"));
	json_object_set(pay, "status", json_object_get(inv, "status"));
	/* The payment's fields go from their values to null: the audit keeps
	 * what was removed. */
	return crm_ctx_audit(p->c, "payment_removed", "invoice", p->invoice_id, pay,
	    json_pack("{s:s,s:s,s:n,s:n,s:n,s:n,s:n}", "paid", paid_text, "status", status_for(paid - amount, total),
	    "payment_id", "amount", "paid_on", "method", "reference"));
}

int
sales_payment_delete(struct crm_ctx *c)
{
	struct payment p;
	int status;
	enum crm_err e;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.invoice_id = crm_ctx_id(c, "id");
	p.payment_id = crm_ctx_id(c, "payment_id");
	if (p.payment_id == 0 || sales_invoice_load(c, p.invoice_id, NULL, &status) == NULL)
		return p.payment_id == 0 ? 404 : status;
	if ((e = crm_db_tx(c->db, delete_tx, &p)) != CRM_OK)
		return e == CRM_ENOTFOUND ? 404 : 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/sales/invoices/%lld?done=payment-removed#payments", p.invoice_id));
}
