/* Quotes: the list, the form (new, from a deal, edit while not frozen)
 * and the quote's page. A quote is editable as draft, approved or
 * rejected; saving puts it back to draft, since an approval was of the
 * old lines. Once sent it is frozen: quote_flow.c revises it instead. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_analytics.h"
#include "crm_buf.h"
#include "crm_valid.h"
#include "quote_form.h"

/* The list's filter. "expired" is not stored: a sent quote past
 * valid_until shows as expired on its pages and cannot be accepted. */
static const char *const statuses[] = { "draft", "pending_approval", "approved", "rejected", "sent",
	"accepted", "declined", "superseded", NULL };

/* Far enough in the future to start a newest-first keyset. */
#define KEYSET_TOP "9999-12-31 23:59:59"
#define KEYSET_TOP_ID 4611686018427387904LL

int
sales_quotes(struct crm_ctx *c)
{
	const char *status = crm_ctx_query_str(c, "status"), *owner = crm_ctx_query_str(c, "owner");
	const char *account = crm_ctx_query_str(c, "account"), *after = crm_ctx_query_str(c, "after");
	static const char *const keep[] = { "status", "owner", "account", NULL };
	long long owner_id = 0, account_id = 0, after_id = KEYSET_TOP_ID;
	struct crm_db_bind b[14];
	json_t *rows = NULL, *opts = json_array(), *row;
	size_t i;

	if ((*status && !crm_valid_oneof(status, statuses)) || !crm_valid_text(owner, 0, 230, 0) ||
	    !crm_valid_text(account, 0, 230, 0) || (*after && !crm_valid_datetime(after)) ||
	    (*owner && (owner_id = sales_ref_id(owner)) == 0) ||
	    (*account && (account_id = sales_ref_id(account)) == 0) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if (*after == '\0')
		after = KEYSET_TOP;
	crm_db_bind_str(&b[0], status, (size_t)-1);
	crm_db_bind_str(&b[1], status, (size_t)-1);
	crm_db_bind_i64(&b[2], owner_id);
	crm_db_bind_i64(&b[3], owner_id);
	crm_db_bind_i64(&b[4], account_id);
	crm_db_bind_i64(&b[5], account_id);
	sales_bind_scope(c, b + 6);
	crm_db_bind_str(&b[11], after, (size_t)-1);
	crm_db_bind_str(&b[12], after, (size_t)-1);
	crm_db_bind_i64(&b[13], after_id);
	if (crm_db_rows(c->db, STMT_QUOTES, b, 14, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/sales/quotes", "created_at", keep);
	sales_money_text(c, rows, "total", "currency");
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "status_text", json_string(sales_quote_status_text(c,
		    json_string_value(json_object_get(row, "status")))));
		json_object_set_new(row, "created_text", json_string(crm_ctx_date(c,
		    json_string_value(json_object_get(row, "created_at")), 0)));
	}
	for (i = 0; statuses[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", statuses[i],
		    "label", sales_quote_status_text(c, statuses[i]), "selected", strcmp(statuses[i], status) == 0));
	json_object_set_new(c->view, "quotes", rows);
	json_object_set_new(c->view, "statuses", opts);
	json_object_set_new(c->view, "owner", json_string(owner));
	json_object_set_new(c->view, "account", json_string(account));
	sales_nav(c, "quotes");
	sales_flash(c);
	return 200;
}

/* The active price books, the quote's selected. */
static void
books(struct crm_ctx *c, long long selected)
{
	json_t *rows = NULL, *row;
	size_t i;

	if (crm_db_rows(c->db, STMT_QUOTE_BOOKS, NULL, 0, &rows) != CRM_OK)
		rows = json_array();
	json_array_foreach(rows, i, row) {
		long long id = json_integer_value(json_object_get(row, "id"));

		json_object_set_new(row, "selected", json_boolean(selected ? id == selected :
		    json_is_true(json_object_get(row, "is_default"))));
	}
	json_object_set_new(c->view, "price_books", rows);
}

static int
form_page(struct crm_ctx *c, json_t *quote)
{
	json_t *lines = json_object_get(quote, "lines");

	if (!json_is_array(lines)) {
		lines = json_array();
		json_object_set_new(quote, "lines", lines);
	}
	sales_quote_form_rows(lines);
	books(c, json_integer_value(json_object_get(quote, "price_book_id")));
	json_object_set_new(c->view, "quote", quote);
	json_object_set_new(c->view, "may_price", json_boolean(crm_auth_can(c->user, "sales.quote.approve")));
	json_object_set_new(c->view, "max_lines", json_integer(QUOTE_MAX_LINES));
	sales_nav(c, "quotes");
	return 200;
}

/* A new quote, from scratch or from a deal (?opportunity_id=): its
 * account, contact and lines, priced from the book when saved. */
int
sales_quote_new(struct crm_ctx *c)
{
	const char *opp = crm_ctx_query(c, "opportunity_id");
	long long days = 30, opp_id;
	json_t *q, *row = NULL, *lines = NULL, *l;
	struct crm_db_bind b[6];
	size_t i;

	crm_valid_id(crm_setting(c->db, c->arena, "quote_valid_days", "30"), &days);
	q = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "account_ref", "", "contact_ref", "", "title", "",
	    "valid_until", sales_today(c, days), "terms", "", "opportunity_id", "");
	if (opp != NULL) {
		if (!crm_valid_id(opp, &opp_id))
			return 404;
		crm_db_bind_i64(&b[0], opp_id);
		sales_bind_scope(c, b + 1);
		if (crm_db_row(c->db, STMT_QUOTE_OPP_PREFILL, b, 6, &row) != CRM_OK)
			return 404;
		if (crm_db_rows(c->db, STMT_QUOTE_OPP_LINES, b, 1, &lines) != CRM_OK)
			return 500;
		json_object_set_new(q, "opportunity_id", json_string(opp));
		json_object_set(q, "opportunity_name", json_object_get(row, "name"));
		json_object_set(q, "title", json_object_get(row, "name"));
		json_object_set_new(q, "account_ref", json_string(crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(row, "account_name")),
		    (long long)json_integer_value(json_object_get(row, "account_id")))));
		if (json_is_string(json_object_get(row, "contact_name")))
			json_object_set_new(q, "contact_ref", json_string(crm_arena_printf(c->arena, "%s #%lld",
			    json_string_value(json_object_get(row, "contact_name")),
			    (long long)json_integer_value(json_object_get(row, "contact_id")))));
		json_array_foreach(lines, i, l) {
			json_object_set_new(l, "product", json_string(crm_arena_printf(c->arena, "%s #%lld",
			    json_string_value(json_object_get(l, "product_name")),
			    (long long)json_integer_value(json_object_get(l, "product_id")))));
			json_object_set_new(l, "price", json_string(""));
			json_object_set_new(l, "description", json_string(""));
		}
		json_object_set_new(q, "lines", lines);
	}
	return form_page(c, q);
}

struct change {
	struct crm_ctx *c;
	struct quote_form f;
	long long id;
	const char *number;
	json_t *before;
};

static json_t *
summary(const struct change *ch)
{
	struct crm_ctx *c = ch->c;

	return json_pack("{s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:I}", "number", ch->number,
	    "account_id", (json_int_t)ch->f.account_id, "contact_id", (json_int_t)ch->f.contact_id,
	    "price_book_id", (json_int_t)ch->f.book_id, "currency", ch->f.currency,
	    "valid_until", ch->f.valid_until,
	    "total", sales_quote_money(c, ch->f.total, CRM_MONEY_SCALE),
	    "max_discount", sales_quote_money(c, ch->f.max_discount, CRM_PERCENT_SCALE),
	    "lines", (json_int_t)ch->f.n);
}

static enum crm_err
add_lines(struct change *ch, struct crm_db *db)
{
	struct crm_db_bind b[11];
	enum crm_err e;
	size_t i;

	for (i = 0; i < ch->f.n; i++) {
		sales_quote_bind_line(ch->c, ch->id, &ch->f.lines[i], (int)i + 1, b);
		if ((e = crm_db_exec(db, STMT_QUOTE_LINE_ADD, b, 11, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

/* The quote's fields from valid_until on, shared by create and update:
 * valid_until, terms, the four sums and the largest discount. */
static void
bind_sums(struct change *ch, struct crm_db_bind *b)
{
	struct crm_ctx *c = ch->c;

	crm_db_bind_str(&b[0], ch->f.valid_until, (size_t)-1);
	crm_db_bind_str(&b[1], ch->f.terms, (size_t)-1);
	crm_db_bind_str(&b[2], sales_quote_money(c, ch->f.subtotal, CRM_MONEY_SCALE), (size_t)-1);
	crm_db_bind_str(&b[3], sales_quote_money(c, ch->f.discount_total, CRM_MONEY_SCALE), (size_t)-1);
	crm_db_bind_str(&b[4], sales_quote_money(c, ch->f.tax_total, CRM_MONEY_SCALE), (size_t)-1);
	crm_db_bind_str(&b[5], sales_quote_money(c, ch->f.total, CRM_MONEY_SCALE), (size_t)-1);
	crm_db_bind_str(&b[6], sales_quote_money(c, ch->f.max_discount, CRM_PERCENT_SCALE), (size_t)-1);
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[16];
	uint64_t id = 0;
	enum crm_err e;

	if ((e = sales_next_number(db, "quote", "Q", &ch->number, ch->c->arena)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], ch->number, (size_t)-1);
	crm_db_bind_id(&b[1], ch->f.opportunity_id);
	crm_db_bind_i64(&b[2], ch->f.account_id);
	crm_db_bind_id(&b[3], ch->f.contact_id);
	crm_db_bind_i64(&b[4], ch->f.book_id);
	crm_db_bind_str(&b[5], ch->f.currency, (size_t)-1);
	crm_db_bind_str(&b[6], ch->f.title, (size_t)-1);
	bind_sums(ch, b + 7);
	crm_db_bind_i64(&b[14], ch->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_QUOTE_CREATE, b, 15, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	if ((e = add_lines(ch, db)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "create", "quote", ch->id, NULL, summary(ch));
}

/* The deal a new quote is for must be one the user reaches. */
static int
opportunity_ok(struct crm_ctx *c, long long id)
{
	struct crm_db_bind b[6];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], id);
	sales_bind_scope(c, b + 1);
	return crm_db_row(c->db, STMT_QUOTE_OPP_PREFILL, b, 6, &row) == CRM_OK;
}

int
sales_quote_create(struct crm_ctx *c)
{
	struct change ch;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	sales_quote_read_form(c, &ch.f);
	if (ch.f.opportunity_id && !opportunity_ok(c, ch.f.opportunity_id))
		crm_ctx_field_error(c, "account", N_("The deal this quote was for is not valid."));
	if (crm_ctx_has_errors(c)) {
		form_page(c, sales_quote_typed(c, &ch.f));
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, create_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/quotes/%lld?done=created", ch.id));
}

/* The quote the user reaches, or NULL with the status to answer. */
json_t *
sales_quote_load(struct crm_ctx *c, long long id, int *status)
{
	return sales_load(c, STMT_QUOTE_GET, id, 1, status);
}

int
sales_quote_editable(json_t *q)
{
	const char *s = json_string_value(json_object_get(q, "status"));

	return strcmp(s, "draft") == 0 || strcmp(s, "approved") == 0 || strcmp(s, "rejected") == 0;
}

/* The suggestions for the products on lines: their ids as a JSON array,
 * bound as CRM_SQL_ALSO_BOUGHT asks. Returns 0, or 500. */
static int
also_bought(struct crm_ctx *c, json_t *lines, json_t **also)
{
	struct crm_db_bind b[CRM_ALSO_BOUGHT_BINDS];
	struct crm_buf ids;
	json_t *l, *p;
	size_t i;

	crm_buf_init(&ids, c->arena, 64);
	crm_buf_puts(&ids, "[");
	json_array_foreach(lines, i, l) {
		p = json_object_get(l, "product_id");
		if (json_is_integer(p))
			crm_buf_printf(&ids, "%s%lld", ids.len > 1 ? "," : "", (long long)json_integer_value(p));
	}
	crm_buf_puts(&ids, "]");
	if (ids.len == 2) {
		*also = json_array();
		return 0;
	}
	for (i = 0; i < CRM_ALSO_BOUGHT_BINDS; i++)
		crm_db_bind_str(&b[i], ids.data, ids.len);
	return crm_db_rows(c->db, STMT_QUOTE_ALSO_BOUGHT, b, CRM_ALSO_BOUGHT_BINDS, also) == CRM_OK ? 0 : 500;
}

int
sales_quote_show(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	json_t *q, *versions = NULL, *history = NULL, *also = NULL, *v;
	const char *status;
	int st, approver, owner, needs;
	size_t i;

	if ((q = sales_quote_load(c, crm_ctx_id(c, "id"), &st)) == NULL)
		return st;
	if ((st = sales_quote_view(c, q)) != 0)
		return st;
	status = json_string_value(json_object_get(q, "status"));
	crm_db_bind_str(&b[0], json_string_value(json_object_get(q, "number")), (size_t)-1);
	if (crm_db_rows(c->db, STMT_QUOTE_VERSIONS, b, 1, &versions) != CRM_OK)
		return 500;
	sales_money_text(c, versions, "total", "currency");
	json_array_foreach(versions, i, v) {
		json_object_set_new(v, "status_text", json_string(sales_quote_status_text(c,
		    json_string_value(json_object_get(v, "status")))));
		json_object_set_new(v, "current", json_boolean(json_integer_value(json_object_get(v, "id")) ==
		    json_integer_value(json_object_get(q, "id"))));
		json_object_set_new(v, "created_text", json_string(crm_ctx_date(c,
		    json_string_value(json_object_get(v, "created_at")), 1)));
	}
	json_object_set_new(q, "versions", versions);
	if (crm_ctx_history(c, "quote", NULL, json_integer_value(json_object_get(q, "id")), &history) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "history", history);
	/* What else the customer might take (reports, issue 8), for the
	 * products on the quote's lines, already loaded. */
	if ((st = also_bought(c, json_object_get(q, "lines"), &also)) != 0)
		return st;
	json_object_set_new(c->view, "also_bought", also);
	/* What the buttons offer; the routes check it all again. */
	needs = sales_quote_needs_approval(c, q);
	approver = crm_auth_can(c->user, "sales.quote.approve");
	owner = json_integer_value(json_object_get(q, "owner_id")) == c->user->user_id;
	json_object_set_new(q, "needs_approval", json_boolean(needs));
	json_object_set_new(c->view, "threshold", json_string(sales_quote_money(c, sales_quote_threshold(c),
	    CRM_PERCENT_SCALE)));
	if (crm_auth_can(c->user, "sales.write")) {
		int editable = sales_quote_editable(q);

		json_object_set_new(c->view, "can_edit", json_boolean(editable));
		json_object_set_new(c->view, "can_request", json_boolean(needs && (strcmp(status, "draft") == 0 ||
		    strcmp(status, "rejected") == 0)));
		json_object_set_new(c->view, "can_send", json_boolean((strcmp(status, "draft") == 0 && !needs) ||
		    strcmp(status, "approved") == 0));
		json_object_set_new(c->view, "can_revise", json_boolean(strcmp(status, "sent") == 0 ||
		    strcmp(status, "declined") == 0));
	}
	json_object_set_new(c->view, "may_decide", json_boolean(approver && needs &&
	    (strcmp(status, "pending_approval") == 0 || strcmp(status, "draft") == 0) &&
	    (!owner || sales_user_is_admin(c))));
	json_object_set_new(c->view, "quote", q);
	sales_nav(c, "quotes");
	sales_flash(c);
	return 200;
}

/* The stored quote in the form: "Name #id" references, the lines with
 * their prices for a user who may change them. */
int
sales_quote_edit(struct crm_ctx *c)
{
	json_t *q, *lines, *l, *form;
	int st;
	size_t i;

	if ((q = sales_quote_load(c, crm_ctx_id(c, "id"), &st)) == NULL)
		return st;
	if (!sales_quote_editable(q))
		return crm_ctx_fail(c, 409, N_("This quote is frozen: revise it to make a new version."));
	if ((st = sales_quote_view(c, q)) != 0)
		return st;
	lines = json_array();
	json_array_foreach(json_object_get(q, "lines"), i, l)
		json_array_append_new(lines, json_pack("{s:s,s:s,s:s,s:s,s:O}",
		    "product", crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(l, "product_name")),
		    (long long)json_integer_value(json_object_get(l, "product_id"))),
		    "quantity", json_string_value(json_object_get(l, "quantity_text")),
		    "discount", json_string_value(json_object_get(l, "discount_text")),
		    "price", crm_auth_can(c->user, "sales.quote.approve") ?
		    json_string_value(json_object_get(l, "unit_price")) : "",
		    "description", json_object_get(l, "description")));
	form = json_pack("{s:O,s:s,s:s,s:O,s:O,s:O,s:s,s:b}", "id", json_object_get(q, "id"),
	    "account_ref", crm_arena_printf(c->arena, "%s #%lld",
	    json_string_value(json_object_get(q, "account_name")),
	    (long long)json_integer_value(json_object_get(q, "account_id"))),
	    "contact_ref", json_is_string(json_object_get(q, "contact_name")) ?
	    crm_arena_printf(c->arena, "%s #%lld", json_string_value(json_object_get(q, "contact_name")),
	    (long long)json_integer_value(json_object_get(q, "contact_id"))) : "",
	    "title", json_object_get(q, "title"), "valid_until", json_object_get(q, "valid_until"),
	    "terms", json_is_string(json_object_get(q, "terms")) ? json_object_get(q, "terms") : json_string(""),
	    "display_number", json_string_value(json_object_get(q, "display_number")), "editing", 1);
	json_object_set(form, "price_book_id", json_object_get(q, "price_book_id"));
	json_object_set_new(form, "lines", lines);
	return form_page(c, form);
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[14];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	if ((e = crm_db_row(db, STMT_QUOTE_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	if (!sales_quote_editable(row))
		return CRM_ECONFLICT;
	crm_db_bind_i64(&b[0], ch->f.account_id);
	crm_db_bind_id(&b[1], ch->f.contact_id);
	crm_db_bind_i64(&b[2], ch->f.book_id);
	crm_db_bind_str(&b[3], ch->f.currency, (size_t)-1);
	crm_db_bind_str(&b[4], ch->f.title, (size_t)-1);
	bind_sums(ch, b + 5);
	crm_db_bind_i64(&b[12], ch->id);
	if ((e = crm_db_exec(db, STMT_QUOTE_UPDATE, b, 13, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], ch->id);
	if ((e = crm_db_exec(db, STMT_QUOTE_LINES_DROP, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = add_lines(ch, db)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "quote", ch->id, json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}",
	    "number", json_object_get(ch->before, "number"), "account_id", json_object_get(ch->before, "account_id"),
	    "contact_id", json_object_get(ch->before, "contact_id"),
	    "price_book_id", json_object_get(ch->before, "price_book_id"),
	    "currency", json_object_get(ch->before, "currency"), "valid_until", json_object_get(ch->before, "valid_until"),
	    "total", json_object_get(ch->before, "total"), "max_discount", json_object_get(ch->before, "max_discount")),
	    summary(ch));
}

int
sales_quote_update(struct crm_ctx *c)
{
	struct change ch;
	json_t *typed;
	int st;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = sales_quote_load(c, ch.id, &st)) == NULL)
		return st;
	if (!sales_quote_editable(ch.before))
		return crm_ctx_fail(c, 409, N_("This quote is frozen: revise it to make a new version."));
	ch.number = json_string_value(json_object_get(ch.before, "number"));
	sales_quote_read_form(c, &ch.f);
	/* The deal stays the one the quote was made for. */
	ch.f.opportunity_id = json_integer_value(json_object_get(ch.before, "opportunity_id"));
	if (crm_ctx_has_errors(c)) {
		typed = sales_quote_typed(c, &ch.f);
		json_object_set(typed, "id", json_object_get(ch.before, "id"));
		json_object_set_new(typed, "editing", json_true());
		json_object_set_new(typed, "display_number", json_string(crm_arena_printf(c->arena, "%s v%lld",
		    ch.number, (long long)json_integer_value(json_object_get(ch.before, "version")))));
		form_page(c, typed);
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, update_tx, &ch)) == CRM_ECONFLICT)
		return crm_ctx_fail(c, 409, N_("This quote is frozen: revise it to make a new version."));
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/quotes/%lld?done=saved", ch.id));
}

/* The line's product picker (JSON): "Name (SKU) #id". */
int
sales_quote_products(struct crm_ctx *c)
{
	const char *q = crm_ctx_query_str(c, "q");
	struct crm_db_bind b[2];
	json_t *rows = NULL, *row;
	size_t i;

	if (!crm_valid_text(q, 0, 100, 0))
		return crm_ctx_fail(c, 400, N_("Keep the search under 100 characters."));
	if (*q == '\0') {
		json_object_set_new(c->view, "items", json_array());
		return 200;
	}
	crm_db_bind_str(&b[0], q, (size_t)-1);
	crm_db_bind_str(&b[1], q, (size_t)-1);
	if (crm_db_rows(c->db, STMT_QUOTE_PRODUCT_LOOKUP, b, 2, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "value", json_string(crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(row, "label")),
		    (long long)json_integer_value(json_object_get(row, "id")))));
	json_object_set_new(c->view, "items", rows);
	return 200;
}
