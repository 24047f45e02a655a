/* What the quote pages, the customer's page and the documents share:
 * numbers, the verification link, and a quote's view (lines, money,
 * dates, what may happen next). */
#include <string.h>
#include <time.h>

#include "crm_auth.h"
#include "crm_money.h"
#include "extern.h"

enum crm_err
sales_next_number(struct crm_db *db, const char *kind, const char *prefix, const char **number,
    struct crm_arena *arena)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	struct tm tm;
	time_t now = time(NULL);
	enum crm_err e;

	/* The year in UTC, bound rather than read by each statement, so the
	 * bump and the read cannot straddle New Year. */
	gmtime_r(&now, &tm);
	crm_db_bind_str(&b[0], kind, (size_t)-1);
	crm_db_bind_i64(&b[1], tm.tm_year + 1900);
	if ((e = crm_db_exec(db, STMT_QUOTE_COUNTER_BUMP, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = crm_db_row(db, STMT_QUOTE_COUNTER_GET, b, 2, &row)) != CRM_OK)
		return e;
	*number = crm_arena_printf(arena, "%s-%d-%05lld", prefix, tm.tm_year + 1900,
	    (long long)json_integer_value(json_object_get(row, "last_number")));
	return CRM_OK;
}

const char *
sales_quote_link(struct crm_ctx *c, const char *token)
{
	return crm_public_url(c->db, c->arena, crm_arena_printf(c->arena, "/sales/q/%s", token));
}

/* A percentage for people: "10.00" as "10", "7.50" as "7.5". */
static const char *
percent_text(struct crm_ctx *c, const char *v)
{
	char *s;
	size_t n;

	if (v == NULL)
		return "";
	s = crm_arena_strdup(c->arena, v);
	if (strchr(s, '.') != NULL) {
		n = strlen(s);
		while (n > 0 && s[n - 1] == '0')
			s[--n] = '\0';
		if (n > 0 && s[n - 1] == '.')
			s[--n] = '\0';
	}
	return s;
}

/* "2.000" as "2", "2.500" as "2.5". */
static const char *
quantity_text(struct crm_ctx *c, const char *v)
{
	return percent_text(c, v);
}

static const char *const status_labels[][2] = {
	{ "draft", N_("Draft") },
	{ "pending_approval", N_("Waiting for approval") },
	{ "approved", N_("Approved") },
	{ "rejected", N_("Rejected") },
	{ "sent", N_("Sent") },
	{ "accepted", N_("Accepted") },
	{ "declined", N_("Declined") },
	{ "superseded", N_("Superseded") },
	{ "expired", N_("Expired") },
};

const char *
sales_quote_status_text(struct crm_ctx *c, const char *status)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(status_labels); i++)
		if (status && strcmp(status, status_labels[i][0]) == 0)
			return crm_ctx_text(c, status_labels[i][1]);
	return status ? status : "";
}

/* The threshold above which a line's discount needs a manager, in basis
 * points (settings quote_approval_discount, 15.00 when unset or bad). */
long long
sales_quote_threshold(struct crm_ctx *c)
{
	long long bp;

	if (crm_decimal_parse(crm_setting(c->db, c->arena, "quote_approval_discount", "15.00"), CRM_PERCENT_SCALE, 5,
	    &bp) != 0 || bp < 0)
		return 1500;
	return bp;
}

int
sales_quote_needs_approval(struct crm_ctx *c, json_t *quote)
{
	long long bp = 0;

	crm_decimal_parse(json_string_value(json_object_get(quote, "max_discount")), CRM_PERCENT_SCALE, 5, &bp);
	return bp > sales_quote_threshold(c);
}

void
sales_quote_lines_text(struct crm_ctx *c, json_t *lines, const char *currency)
{
	json_t *l;
	size_t i;

	json_array_foreach(lines, i, l) {
		json_object_set_new(l, "quantity_text", json_string(quantity_text(c,
		    json_string_value(json_object_get(l, "quantity")))));
		json_object_set_new(l, "discount_text", json_string(percent_text(c,
		    json_string_value(json_object_get(l, "discount")))));
		json_object_set_new(l, "tax_rate_text", json_string(percent_text(c,
		    json_string_value(json_object_get(l, "tax_rate")))));
		json_object_set_new(l, "has_discount", json_boolean(strcmp(json_string_value(
		    json_object_get(l, "discount")), "0.00") != 0));
	}
	sales_money_text(c, lines, "unit_price", currency);
	sales_money_text(c, lines, "net", currency);
	sales_money_text(c, lines, "tax", currency);
	sales_money_text(c, lines, "total", currency);
}

int
sales_quote_view(struct crm_ctx *c, json_t *q)
{
	const char *currency = json_string_value(json_object_get(q, "currency"));
	const char *status = json_string_value(json_object_get(q, "status"));
	const char *token = json_string_value(json_object_get(q, "public_token"));
	const char *money[] = { "subtotal", "discount_total", "tax_total", "total" };
	struct crm_db_bind b[1];
	json_t *lines = NULL;
	size_t i;

	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(q, "id")));
	if (crm_db_rows(c->db, STMT_QUOTE_LINES, b, 1, &lines) != CRM_OK)
		return 500;
	sales_quote_lines_text(c, lines, currency);
	json_object_set_new(q, "lines", lines);
	for (i = 0; i < CRM_NELEM(money); i++)
		json_object_set_new(q, crm_arena_printf(c->arena, "%s_text", money[i]), json_string(sales_money(c,
		    json_string_value(json_object_get(q, money[i])), currency)));
	json_object_set_new(q, "has_discount", json_boolean(strcmp(json_string_value(
	    json_object_get(q, "discount_total")), "0.00") != 0));
	json_object_set_new(q, "max_discount_text", json_string(percent_text(c,
	    json_string_value(json_object_get(q, "max_discount")))));
	json_object_set_new(q, "status_text", json_string(sales_quote_status_text(c, status)));
	json_object_set_new(q, crm_arena_printf(c->arena, "is_%s", status), json_true());
	json_object_set_new(q, "display_number", json_string(crm_arena_printf(c->arena, "%s v%lld",
	    json_string_value(json_object_get(q, "number")),
	    (long long)json_integer_value(json_object_get(q, "version")))));
	json_object_set_new(q, "valid_until_text", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(q, "valid_until")), 0)));
	json_object_set_new(q, "created_text", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(q, "created_at")), 0)));
	json_object_set_new(q, "sent_text", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(q, "sent_at")), 1)));
	json_object_set_new(q, "accepted_text", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(q, "accepted_at")), 1)));
	json_object_set_new(q, "approved_text", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(q, "approved_at")), 1)));
	json_object_set_new(q, "expired", json_boolean(sales_flag(q, "expired")));
	if (token != NULL)
		json_object_set_new(q, "link", json_string(sales_quote_link(c, token)));
	return 0;
}

int
sales_user_is_admin(struct crm_ctx *c)
{
	return c->user != NULL && c->user->permissions != NULL && strcmp(c->user->permissions, "*") == 0;
}

int
sales_flag(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0);
}
