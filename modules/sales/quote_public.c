/* The customer's side of a sent quote, behind its secret link
 * (/sales/q/<token>, no sign-in): the quote on a page of its own without
 * the staff navigation, its PDF, and accepting (by typing a name) or
 * declining it. The forms are CSRF-checked like any other: a visitor
 * without a session gets the crm_csrf cookie with the page and sends it
 * back in the form (double submit).
 *
 * Accepting, in one transaction: the quote is marked accepted (once: a
 * second try is 409; after valid_until, 410), the order is made from its
 * lines and totals with the total in the base currency, and an open deal
 * it came from moves to its pipeline's won stage as brief-stages says,
 * each with its audit row. Nobody is signed in, so the audit rows have no
 * user and the customer's address; the deal's stage history names the
 * quote's owner, since that column needs a user. */
#include <string.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "crm_auth.h"
#include "quote_form.h"

static json_t *
load(struct crm_ctx *c)
{
	const char *token = crm_ctx_path_param(c, "token");
	struct crm_db_bind b[1];
	json_t *row = NULL;

	if (!crm_auth_token_ok(token, CRM_AUTH_SECRET_LEN))
		return NULL;
	crm_db_bind_str(&b[0], token, (size_t)-1);
	if (crm_db_row(c->db, STMT_QUOTE_BY_TOKEN, b, 1, &row) != CRM_OK)
		return NULL;
	return row;
}

/* What the customer may see: the document, not the internals (owner,
 * approval, margins). */
static const char *const shown[] = { "number", "version", "display_number", "title", "status",
	"status_text", "currency", "valid_until", "valid_until_text", "terms", "account_name",
	"account_street", "account_city", "account_region", "account_postcode", "account_country",
	"contact_name", "subtotal", "subtotal_text", "discount_total", "discount_total_text", "has_discount",
	"tax_total", "tax_total_text", "total", "total_text", "accepted_name", "accepted_text", "sent_text",
	"link", "expired", NULL };
static const char *const shown_line[] = { "position", "sku", "product_name", "unit", "description",
	"quantity", "quantity_text", "unit_price", "unit_price_text", "discount", "discount_text",
	"has_discount", "tax_rate", "tax_rate_text", "net", "net_text", "total", "total_text", NULL };

static int
page(struct crm_ctx *c, json_t *q)
{
	const char *status = json_string_value(json_object_get(q, "status"));
	const char *token = crm_ctx_path_param(c, "token");
	json_t *pub = json_object(), *lines = json_array(), *l;
	int st, expired;
	size_t i, k;

	if ((st = sales_quote_view(c, q)) != 0)
		return st;
	for (k = 0; shown[k]; k++)
		if (json_object_get(q, shown[k]))
			json_object_set(pub, shown[k], json_object_get(q, shown[k]));
	json_array_foreach(json_object_get(q, "lines"), i, l) {
		json_t *one = json_object();

		for (k = 0; shown_line[k]; k++)
			if (json_object_get(l, shown_line[k]))
				json_object_set(one, shown_line[k], json_object_get(l, shown_line[k]));
		json_array_append_new(lines, one);
	}
	json_object_set_new(pub, "lines", lines);
	json_object_set_new(pub, "customer_address", json_string(sales_quote_address(c, q)));
	expired = sales_flag(q, "expired");
	json_object_set_new(pub, crm_arena_printf(c->arena, "is_%s", status), json_true());
	json_object_set_new(pub, "open", json_boolean(strcmp(status, "sent") == 0 && !expired));
	json_object_set_new(pub, "lapsed", json_boolean(strcmp(status, "sent") == 0 && expired));
	json_object_set_new(pub, "path", json_string(crm_arena_printf(c->arena, "/sales/q/%s", token)));
	json_object_set_new(c->view, "quote", pub);
	json_object_set_new(c->view, "company", json_pack("{s:s,s:s,s:s,s:s,s:s}",
	    "name", crm_setting(c->db, c->arena, "company_name", ""), "address", crm_setting(c->db, c->arena, "company_address", ""),
	    "tax_id", crm_setting(c->db, c->arena, "company_tax_id", ""), "email", crm_setting(c->db, c->arena, "company_email", ""),
	    "phone", crm_setting(c->db, c->arena, "company_phone", "")));
	json_object_set_new(c->view, "typed_name", json_string(crm_ctx_form_str(c, "accepted_name")));
	sales_flash(c);
	return 200;
}

int
sales_quote_public(struct crm_ctx *c)
{
	json_t *q = load(c);

	return q ? page(c, q) : 404;
}

int
sales_quote_public_pdf(struct crm_ctx *c)
{
	json_t *q = load(c);

	return q ? sales_quote_pdf_of(c, q) : 404;
}

/* The page again with a problem and its status: a refusal the customer
 * can read, on the same clean page. */
static int
problem(struct crm_ctx *c, json_t *q, int status, const char *why)
{
	int st;

	if ((st = page(c, json_deep_copy(q))) != 200)
		return st;
	json_object_set_new(c->view, "problem", json_string(crm_ctx_text(c, why)));
	return crm_ctx_status(c, status);
}

struct accept {
	struct crm_ctx *c;
	long long id, order_id;
	const char *name, *base, *number;
	int status;
	const char *why;
	int decline;
};

static enum crm_err
refuse(struct accept *a, int status, const char *why)
{
	a->status = status;
	a->why = why;
	return CRM_ECONFLICT;
}

/* total in the base currency: rate is units of the quote's currency per
 * unit of the base, so divide by it. */
static enum crm_err
total_base(struct crm_db *db, struct accept *a, json_t *row, const char **out)
{
	const char *currency = json_string_value(json_object_get(row, "currency"));
	const char *total = json_string_value(json_object_get(row, "total"));
	struct crm_db_bind b[1];
	json_t *rate = NULL;
	long long cents, r, base;
	enum crm_err e;

	if (strcmp(currency, a->base) == 0) {
		*out = total;
		return CRM_OK;
	}
	crm_db_bind_str(&b[0], currency, (size_t)-1);
	if ((e = crm_db_row(db, STMT_RATE_GET, b, 1, &rate)) != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_EINVAL : e;
	if (crm_money_parse(total, &cents) != 0 ||
	    crm_decimal_parse(json_string_value(json_object_get(rate, "rate")), CRM_RATE_SCALE, 18, &r) != 0 ||
	    r <= 0 || crm_muldiv(cents, 100000000LL, r, &base) != 0)
		return CRM_EINVAL;
	*out = sales_quote_money(a->c, base, CRM_MONEY_SCALE);
	return CRM_OK;
}

/* The deal, when it is still open, moves to its pipeline's won stage. */
static enum crm_err
win_deal(struct crm_db *db, struct accept *a, json_t *quote)
{
	json_t *opp = NULL;
	struct crm_db_bind b[4];
	long long id = json_integer_value(json_object_get(quote, "opportunity_id"));
	enum crm_err e;

	if (id == 0)
		return CRM_OK;
	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row(db, STMT_QUOTE_OPP_LOCK, b, 1, &opp)) == CRM_ENOTFOUND)
		return CRM_OK;
	if (e != CRM_OK)
		return e;
	if (strcmp(json_string_value(json_object_get(opp, "kind")), "open") != 0)
		return CRM_OK;
	if ((e = crm_db_exec(db, STMT_QUOTE_OPP_HISTORY_CLOSE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[1], json_integer_value(json_object_get(opp, "won_id")));
	crm_db_bind_str(&b[2], json_string_value(json_object_get(opp, "amount")), (size_t)-1);
	crm_db_bind_i64(&b[3], json_integer_value(json_object_get(quote, "owner_id")));
	if ((e = crm_db_exec(db, STMT_QUOTE_OPP_HISTORY_ADD, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(opp, "won_id")));
	crm_db_bind_str(&b[1], json_string_value(json_object_get(opp, "won_probability")), (size_t)-1);
	crm_db_bind_i64(&b[2], id);
	if ((e = crm_db_exec(db, STMT_QUOTE_OPP_WIN, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "update", "opportunity", id,
	    json_pack("{s:O,s:O}", "stage_id", json_object_get(opp, "stage_id"),
	    "probability", json_object_get(opp, "probability")),
	    json_pack("{s:O,s:O,s:I}", "stage_id", json_object_get(opp, "won_id"),
	    "probability", json_object_get(opp, "won_probability"), "quote_id", (json_int_t)a->id));
}

static enum crm_err
accept_tx(struct crm_db *db, void *arg)
{
	struct accept *a = arg;
	struct crm_ctx *c = a->c;
	struct crm_db_bind b[3];
	json_t *row = NULL;
	const char *status, *base_total = NULL;
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], a->id);
	if ((e = crm_db_row(db, STMT_QUOTE_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	status = json_string_value(json_object_get(row, "status"));
	if (strcmp(status, "accepted") == 0)
		return refuse(a, 409, N_("This quote was accepted already."));
	if (strcmp(status, "sent") != 0)
		return refuse(a, 409, N_("This quote can no longer be answered."));
	if (sales_flag(row, "expired"))
		return refuse(a, 410, N_("This quote has expired: ask us for a new one."));
	if (a->decline) {
		if ((e = crm_db_exec(db, STMT_QUOTE_DECLINE, b, 1, NULL, NULL)) != CRM_OK)
			return e;
		return crm_ctx_audit(c, "decline", "quote", a->id, json_pack("{s:s}", "status", status),
		    json_pack("{s:s}", "status", "declined"));
	}
	crm_db_bind_str(&b[0], a->name, (size_t)-1);
	crm_db_bind_str(&b[1], c->remote_addr ? c->remote_addr : "", (size_t)-1);
	crm_db_bind_i64(&b[2], a->id);
	if ((e = crm_db_exec(db, STMT_QUOTE_ACCEPT, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = crm_ctx_audit(c, "accept", "quote", a->id, json_pack("{s:s}", "status", status),
	    json_pack("{s:s,s:s,s:s}", "status", "accepted", "accepted_name", a->name,
	    "accepted_ip", c->remote_addr ? c->remote_addr : ""))) != CRM_OK)
		return e;
	if ((e = total_base(db, a, row, &base_total)) != CRM_OK)
		return e;
	if ((e = sales_next_number(db, "order", "SO", &a->number, c->arena)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], a->number, (size_t)-1);
	crm_db_bind_str(&b[1], base_total, (size_t)-1);
	crm_db_bind_i64(&b[2], a->id);
	if ((e = crm_db_exec(db, STMT_ORDER_CREATE, b, 3, NULL, &id)) != CRM_OK)
		return e == CRM_ECONFLICT ? refuse(a, 409, N_("This quote was accepted already.")) : e;
	a->order_id = (long long)id;
	crm_db_bind_i64(&b[0], a->order_id);
	crm_db_bind_i64(&b[1], a->id);
	if ((e = crm_db_exec(db, STMT_ORDER_LINES_COPY, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = crm_ctx_audit(c, "create", "order", a->order_id, NULL, json_pack("{s:s,s:I,s:O,s:O,s:s}",
	    "number", a->number, "quote_id", (json_int_t)a->id, "currency", json_object_get(row, "currency"),
	    "total", json_object_get(row, "total"), "total_base", base_total))) != CRM_OK)
		return e;
	return win_deal(db, a, row);
}

static int
answer(struct crm_ctx *c, int decline)
{
	json_t *q = load(c);
	struct accept a;
	enum crm_err e;

	if (q == NULL)
		return 404;
	memset(&a, 0, sizeof(a));
	a.c = c;
	a.id = json_integer_value(json_object_get(q, "id"));
	a.decline = decline;
	a.base = sales_base_currency(c);
	a.name = crm_ctx_form_str(c, "accepted_name");
	if (!decline && !crm_valid_text(a.name, 2, 200, 0)) {
		crm_ctx_field_error(c, "accepted_name", N_("Type your full name to accept the quote."));
		return problem(c, q, 422, N_("Type your full name to accept the quote."));
	}
	if ((e = crm_db_tx(c->db, accept_tx, &a)) == CRM_ECONFLICT && a.why)
		return problem(c, q, a.status, a.why);
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/q/%s?done=%s",
	    crm_ctx_path_param(c, "token"), decline ? "quote-declined" : "quote-accepted"));
}

int
sales_quote_accept(struct crm_ctx *c)
{
	return answer(c, 0);
}

int
sales_quote_decline(struct crm_ctx *c)
{
	return answer(c, 1);
}
