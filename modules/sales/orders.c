/* Orders: what an accepted quote becomes (quote_public.c makes them).
 * An order moves confirmed → shipped → delivered, or from confirmed to
 * cancelled, each move dated; any other move is a conflict (409). Orders
 * are what invoices and the analytics build on, so one is never deleted
 * and its lines never change. */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "quote_form.h"

static const char *const statuses[] = { "confirmed", "shipped", "delivered", "cancelled", NULL };
static const char *const status_labels[] = { N_("Confirmed"), N_("Shipped"), N_("Delivered"),
	N_("Cancelled"), NULL };

/* The moves: from, to, the statement that makes it, the date column. */
static const struct move {
	const char *from, *to;
	enum stmt stmt;
	const char *column;
	const char *label;
} moves[] = {
	{ "confirmed", "shipped", STMT_ORDER_SHIP, "shipped_on", N_("Mark as shipped") },
	{ "shipped", "delivered", STMT_ORDER_DELIVER, "delivered_on", N_("Mark as delivered") },
	{ "confirmed", "cancelled", STMT_ORDER_CANCEL, "cancelled_on", N_("Cancel the order") },
};

static const char *
status_text(struct crm_ctx *c, const char *s)
{
	size_t i;

	for (i = 0; statuses[i]; i++)
		if (s && strcmp(s, statuses[i]) == 0)
			return crm_ctx_text(c, status_labels[i]);
	return s ? s : "";
}

#define KEYSET_TOP "9999-12-31"
#define KEYSET_TOP_ID 4611686018427387904LL

int
sales_orders(struct crm_ctx *c)
{
	const char *status = crm_ctx_query_str(c, "status"), *account = crm_ctx_query_str(c, "account");
	const char *month = crm_ctx_query_str(c, "month"), *after = crm_ctx_query_str(c, "after");
	static const char *const keep[] = { "status", "account", "month", NULL };
	const char *from = "1000-01-01", *to = "9999-12-01";
	long long account_id = 0, after_id = KEYSET_TOP_ID;
	struct crm_db_bind b[14];
	json_t *rows = NULL, *row, *opts = json_array();
	size_t i;

	if ((*status && !crm_valid_oneof(status, statuses)) || !crm_valid_text(account, 0, 230, 0) ||
	    (*account && (account_id = sales_ref_id(account)) == 0) ||
	    (*after && !crm_valid_date(after)) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if (*month) {
		/* "2026-11": the month's first day, and LAST_DAY() of it. */
		from = crm_arena_printf(c->arena, "%s-01", month);
		if (strlen(month) != 7 || !crm_valid_date(from))
			return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
		to = from;
	}
	if (*after == '\0')
		after = KEYSET_TOP;
	crm_db_bind_str(&b[0], status, (size_t)-1);
	crm_db_bind_str(&b[1], status, (size_t)-1);
	crm_db_bind_i64(&b[2], account_id);
	crm_db_bind_i64(&b[3], account_id);
	crm_db_bind_str(&b[4], from, (size_t)-1);
	crm_db_bind_str(&b[5], to, (size_t)-1);
	sales_bind_scope(c, b + 6);
	crm_db_bind_str(&b[11], after, (size_t)-1);
	crm_db_bind_str(&b[12], after, (size_t)-1);
	crm_db_bind_i64(&b[13], after_id);
	if (crm_db_rows(c->db, STMT_ORDERS, b, 14, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/sales/orders", "ordered_on", keep);
	sales_money_text(c, rows, "total", "currency");
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "status_text", json_string(status_text(c,
		    json_string_value(json_object_get(row, "status")))));
	for (i = 0; statuses[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", statuses[i],
		    "label", crm_ctx_text(c, status_labels[i]), "selected", strcmp(statuses[i], status) == 0));
	json_object_set_new(c->view, "orders", rows);
	json_object_set_new(c->view, "statuses", opts);
	json_object_set_new(c->view, "account", json_string(account));
	json_object_set_new(c->view, "month", json_string(month));
	sales_nav(c, "orders");
	sales_flash(c);
	return 200;
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	return sales_load(c, STMT_ORDER_GET, id, 1, status);
}

static int
order_page(struct crm_ctx *c, json_t *r)
{
	const char *currency = json_string_value(json_object_get(r, "currency"));
	const char *status = json_string_value(json_object_get(r, "status"));
	const char *money[] = { "subtotal", "tax_total", "total" };
	struct crm_db_bind b[1];
	json_t *lines = NULL, *next = json_array(), *history = NULL;
	long long id = json_integer_value(json_object_get(r, "id"));
	size_t i;

	crm_db_bind_i64(&b[0], id);
	if (crm_db_rows(c->db, STMT_ORDER_LINES, b, 1, &lines) != CRM_OK)
		return 500;
	sales_quote_lines_text(c, lines, currency);
	json_object_set_new(r, "lines", lines);
	for (i = 0; i < CRM_NELEM(money); i++)
		json_object_set_new(r, crm_arena_printf(c->arena, "%s_text", money[i]), json_string(sales_money(c,
		    json_string_value(json_object_get(r, money[i])), currency)));
	json_object_set_new(r, "total_base_text", json_string(sales_money(c,
	    json_string_value(json_object_get(r, "total_base")), sales_base_currency(c))));
	json_object_set_new(r, "foreign", json_boolean(strcmp(currency, sales_base_currency(c)) != 0));
	json_object_set_new(r, "status_text", json_string(status_text(c, status)));
	for (i = 0; i < CRM_NELEM(moves); i++)
		if (strcmp(moves[i].from, status) == 0)
			json_array_append_new(next, json_pack("{s:s,s:s}", "to", moves[i].to,
			    "label", crm_ctx_text(c, moves[i].label)));
	json_object_set_new(c->view, "moves", next);
	json_object_set_new(c->view, "today", json_string(sales_today(c, 0)));
	json_object_set_new(c->view, "order", r);
	if (crm_ctx_history(c, "order", NULL, id, &history) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "history", history);
	sales_nav(c, "orders");
	sales_flash(c);
	return 200;
}

int
sales_order_show(struct crm_ctx *c)
{
	int st;
	json_t *r = load(c, crm_ctx_id(c, "id"), &st);

	return r ? order_page(c, r) : st;
}

struct change {
	struct crm_ctx *c;
	long long id;
	const char *to, *on;
	const struct move *m;
};

static enum crm_err
status_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[2];
	json_t *row = NULL;
	uint64_t n = 0;
	size_t i;
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	if ((e = crm_db_row(db, STMT_ORDER_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	ch->m = NULL;
	for (i = 0; i < CRM_NELEM(moves); i++)
		if (strcmp(moves[i].from, json_string_value(json_object_get(row, "status"))) == 0 &&
		    strcmp(moves[i].to, ch->to) == 0)
			ch->m = &moves[i];
	if (ch->m == NULL)
		return CRM_ECONFLICT;
	/* A date before the order (or, delivering, before shipping) is a typo. */
	if (strcmp(ch->on, json_string_value(json_object_get(row, "ordered_on"))) < 0 ||
	    (json_is_string(json_object_get(row, "shipped_on")) &&
	    strcmp(ch->on, json_string_value(json_object_get(row, "shipped_on"))) < 0))
		return CRM_EINVAL;
	crm_db_bind_str(&b[0], ch->on, (size_t)-1);
	crm_db_bind_i64(&b[1], ch->id);
	if ((e = crm_db_exec(db, ch->m->stmt, b, 2, &n, NULL)) != CRM_OK)
		return e;
	if (n != 1)
		return CRM_ECONFLICT;
	return crm_ctx_audit(ch->c, "update", "order", ch->id, json_pack("{s:O}", "status",
	    json_object_get(row, "status")), json_pack("{s:s,s:s}", "status", ch->to, ch->m->column, ch->on));
}

int
sales_order_status(struct crm_ctx *c)
{
	struct change ch;
	json_t *r;
	int st;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((r = load(c, ch.id, &st)) == NULL)
		return st;
	ch.to = crm_ctx_form_str(c, "status");
	ch.on = crm_ctx_form_str(c, "on");
	if (*ch.on == '\0')
		ch.on = sales_today(c, 0);
	if (!crm_valid_oneof(ch.to, statuses))
		crm_ctx_field_error(c, "status", N_("Choose a status from the list."));
	if (!crm_valid_date(ch.on) || strcmp(ch.on, sales_today(c, 1)) > 0)
		crm_ctx_field_error(c, "on", N_("Enter a date up to today, such as 2026-11-29."));
	if (!crm_ctx_has_errors(c)) {
		if ((e = crm_db_tx(c->db, status_tx, &ch)) == CRM_ECONFLICT)
			return crm_ctx_fail(c, 409, N_("The order cannot move to that status from where it is."));
		if (e == CRM_EINVAL)
			crm_ctx_field_error(c, "on", N_("The date cannot be before the order's earlier dates."));
		else if (e != CRM_OK)
			return 500;
		else
			return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/orders/%lld?done=order-%s",
			    ch.id, ch.to));
	}
	if ((st = order_page(c, r)) != 200)
		return st;
	return crm_ctx_status(c, 422);
}
