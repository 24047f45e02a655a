/* The segment compiler: a definition's conditions become one boolean SQL
 * expression whose text is made only of the fragments below, and whose
 * values are all binds. A definition names fields and operators from
 * these tables; anything else is an error naming the condition. */
#include <stdio.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_i18n.h"
#include "crm_segment.h"
#include "crm_sqlbuild.h"
#include "crm_valid.h"

/* The registry. expr is a fixed SQL fragment: a column of c (contacts)
 * or a (the contact's account, LEFT JOINed), or for tags the tag_links
 * rows that belong to the record. */
struct field_def {
	struct crm_segment_field f;
	const char *expr;
};

static const struct field_def fields[] = {
	{ { "contact.full_name", N_("Contact: name"), CRM_SEGMENT_TEXT }, "c.full_name" },
	{ { "contact.email", N_("Contact: e-mail"), CRM_SEGMENT_TEXT }, "c.email_norm" },
	{ { "contact.title", N_("Contact: job title"), CRM_SEGMENT_TEXT }, "c.title" },
	{ { "contact.city", N_("Contact: city"), CRM_SEGMENT_TEXT }, "c.city" },
	{ { "contact.region", N_("Contact: region"), CRM_SEGMENT_TEXT }, "c.region" },
	{ { "contact.country", N_("Contact: country code"), CRM_SEGMENT_TEXT }, "c.country" },
	{ { "contact.source", N_("Contact: source"), CRM_SEGMENT_TEXT }, "c.source" },
	{ { "contact.created_at", N_("Contact: created"), CRM_SEGMENT_DATE }, "c.created_at" },
	{ { "contact.birthday", N_("Contact: birthday"), CRM_SEGMENT_DATE }, "c.birthday" },
	{ { "contact.consent_email", N_("Contact: consents to marketing e-mail"), CRM_SEGMENT_BOOL },
	    "c.consent_email" },
	{ { "contact.consent_sms", N_("Contact: consents to SMS"), CRM_SEGMENT_BOOL }, "c.consent_sms" },
	{ { "contact.has_email", N_("Contact: has an e-mail address"), CRM_SEGMENT_BOOL }, "c.email_norm <> ''" },
	{ { "contact.tag", N_("Contact: tag"), CRM_SEGMENT_TAG }, "c.id" },
	{ { "account.name", N_("Account: name"), CRM_SEGMENT_TEXT }, "a.name" },
	{ { "account.industry", N_("Account: industry"), CRM_SEGMENT_TEXT }, "a.industry" },
	{ { "account.size", N_("Account: size"), CRM_SEGMENT_TEXT }, "a.size" },
	{ { "account.city", N_("Account: city"), CRM_SEGMENT_TEXT }, "a.city" },
	{ { "account.country", N_("Account: country code"), CRM_SEGMENT_TEXT }, "a.country" },
	{ { "account.tag", N_("Account: tag"), CRM_SEGMENT_TAG }, "c.account_id" },
	{ { "activity.recent", N_("Activity with the contact"), CRM_SEGMENT_ACTIVITY }, NULL },
	{ { "orders.category", N_("Orders: bought a product of category"), CRM_SEGMENT_ORDER_CATEGORY }, NULL },
	{ { "orders.spend", N_("Orders: total spend"), CRM_SEGMENT_ORDER_SPEND }, NULL },
	{ { "orders.category_spend", N_("Orders: spend on a category"), CRM_SEGMENT_ORDER_CATEGORY_SPEND }, NULL },
	{ { "orders.count", N_("Orders: number of orders"), CRM_SEGMENT_ORDER_COUNT }, NULL },
	/* What the analytics (lib/crm_analytics*.c) stored for the account;
	 * an account they have not scored has none of these. */
	{ { "score.churn", N_("Analytics: churn risk (%)"), CRM_SEGMENT_SCORE }, "sc.churn_probability * 100" },
	{ { "score.segment", N_("Analytics: customer segment (1, 2, ...)"), CRM_SEGMENT_SCORE }, "sc.segment" },
	{ { "score.recency", N_("Analytics: RFM recency score (1-5)"), CRM_SEGMENT_SCORE }, "sc.r" },
	{ { "score.frequency", N_("Analytics: RFM frequency score (1-5)"), CRM_SEGMENT_SCORE }, "sc.f" },
	{ { "score.monetary", N_("Analytics: RFM money score (1-5)"), CRM_SEGMENT_SCORE }, "sc.m" },
	{ { "score.clv", N_("Analytics: lifetime value"), CRM_SEGMENT_SCORE }, "sc.clv" },
	{ { "score.sentiment", N_("Analytics: sentiment (-1 to 1)"), CRM_SEGMENT_SCORE }, "sc.sentiment" },
};

/* Orders are the account's: a contact's purchases are those of the
 * account they buy for (orders.contact_id is optional). Cancelled orders
 * do not count; spend is in the base currency (total_base, and a line's
 * share of it for a category).
 *
 * Tags, custom fields and orders are tested as membership of a set that
 * does not depend on the contact ("c.account_id IN (SELECT ...)"): the
 * server works the set out once, from the index its own condition
 * narrows (tag_links_tag, custom_values_text, orders_date), and each
 * contact costs one lookup in it, rather than running a subquery per
 * contact, which at a million contacts would outlast any page. A negated
 * test is "COALESCE(x, 0) NOT IN": the sets never hold NULL or 0, and a
 * contact without an account is in none of them. */
#define ORDERS_OF " FROM orders od WHERE od.status <> 'cancelled' AND od.ordered_on >= UTC_DATE() - INTERVAL ? DAY"
#define LINES_OF " FROM orders od JOIN order_lines ol ON ol.order_id = od.id" \
	" JOIN products p ON p.id = ol.product_id WHERE od.status <> 'cancelled'" \
	" AND od.ordered_on >= UTC_DATE() - INTERVAL ? DAY AND p.category = ?"
#define BY_ACCOUNT " GROUP BY od.account_id HAVING "

static const char *const ops_text[] = { "eq", "ne", "contains", "starts_with", "in", "is_empty", "not_empty", NULL };
static const char *const ops_date[] = { "eq", "gt", "lt", "between", "within_days", "is_empty", "not_empty", NULL };
static const char *const ops_bool[] = { "eq", NULL };
static const char *const ops_tag[] = { "eq", "ne", NULL };
static const char *const ops_activity[] = { "within_days", "none_within_days", NULL };
static const char *const ops_amount[] = { "gt", "lt", "between", NULL };
static const char *const ops_count[] = { "eq", "gt", "lt", "between", NULL };
static const char *const ops_number[] = { "eq", "ne", "gt", "lt", "between", "is_empty", "not_empty", NULL };

static const char *const *const kind_ops[CRM_SEGMENT_KIND__MAX] = {
	ops_text,       /* CRM_SEGMENT_TEXT */
	ops_date,       /* CRM_SEGMENT_DATE */
	ops_bool,       /* CRM_SEGMENT_BOOL */
	ops_tag,        /* CRM_SEGMENT_TAG */
	ops_activity,   /* CRM_SEGMENT_ACTIVITY */
	ops_tag,        /* CRM_SEGMENT_ORDER_CATEGORY */
	ops_amount,     /* CRM_SEGMENT_ORDER_SPEND */
	ops_amount,     /* CRM_SEGMENT_ORDER_CATEGORY_SPEND */
	ops_count,      /* CRM_SEGMENT_ORDER_COUNT */
	ops_text,       /* CRM_SEGMENT_CUSTOM_TEXT */
	ops_number,     /* CRM_SEGMENT_CUSTOM_NUMBER */
	ops_date,       /* CRM_SEGMENT_CUSTOM_DATE */
	ops_number,     /* CRM_SEGMENT_SCORE */
};
_Static_assert(CRM_NELEM(kind_ops) == CRM_SEGMENT_KIND__MAX, "kind_ops");

static const struct {
	const char *op, *label;
	int value;      /* 0: none, 1: one, 2: two (between) */
} op_defs[] = {
	{ "eq", N_("is"), 1 },
	{ "ne", N_("is not"), 1 },
	{ "contains", N_("contains"), 1 },
	{ "starts_with", N_("starts with"), 1 },
	{ "in", N_("is one of (comma-separated)"), 1 },
	{ "gt", N_("is over / after"), 1 },
	{ "lt", N_("is under / before"), 1 },
	{ "between", N_("is between"), 2 },
	{ "within_days", N_("within the last N days"), 1 },
	{ "none_within_days", N_("none within the last N days"), 1 },
	{ "is_empty", N_("is empty"), 0 },
	{ "not_empty", N_("is not empty"), 0 },
};

const struct crm_segment_field *
crm_segment_field_at(size_t i)
{
	return i < CRM_NELEM(fields) ? &fields[i].f : NULL;
}

const char *const *
crm_segment_ops(enum crm_segment_kind k)
{
	return k < CRM_SEGMENT_KIND__MAX ? kind_ops[k] : NULL;
}

static int
op_index(const char *op)
{
	size_t i;

	for (i = 0; op != NULL && i < CRM_NELEM(op_defs); i++)
		if (strcmp(op_defs[i].op, op) == 0)
			return (int)i;
	return -1;
}

const char *
crm_segment_op_label(const char *op)
{
	int i = op_index(op);

	return i < 0 ? NULL : op_defs[i].label;
}

int
crm_segment_op_takes_value(const char *op)
{
	int i = op_index(op);

	return i < 0 ? 0 : op_defs[i].value;
}

int
crm_segment_kind_takes_category(enum crm_segment_kind k)
{
	return k == CRM_SEGMENT_ORDER_CATEGORY_SPEND;
}

int
crm_segment_kind_takes_days(enum crm_segment_kind k)
{
	return k == CRM_SEGMENT_ORDER_CATEGORY || k == CRM_SEGMENT_ORDER_SPEND ||
	    k == CRM_SEGMENT_ORDER_CATEGORY_SPEND || k == CRM_SEGMENT_ORDER_COUNT;
}

/* The compiler's state: the text so far, the binds, and where it is. */
struct st {
	struct crm_arena *a;
	struct crm_sqlbuild q;          /* the text so far and its binds */
	struct crm_segment_error *err;
	json_t *cond;
};

static enum crm_err
fail(struct st *s, const char *msgid)
{
	s->err->msgid = msgid;
	return CRM_EINVAL;
}

/* A member of the condition as text: strings as they are, integers
 * written out; anything else (or absent) NULL. */
static const char *
member_text(struct st *s, const char *key)
{
	json_t *v = json_object_get(s->cond, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return crm_arena_printf(s->a, "%lld", (long long)json_integer_value(v));
	return NULL;
}

static enum crm_err
text_value(struct st *s, const char *key, const char **out)
{
	const char *v = member_text(s, key);

	if (v == NULL || !crm_valid_text(v, 1, CRM_SEGMENT_MAX_TEXT, 0))
		return fail(s, N_("Enter a value of up to 200 characters."));
	*out = v;
	return CRM_OK;
}

/* A decimal such as 1000, -5 or 99.95: bound as text and cast in SQL,
 * so no float rounding comes between the form and the comparison. */
static enum crm_err
number_value(struct st *s, const char *key, const char **out)
{
	const char *v = member_text(s, key), *p;
	size_t digits = 0, frac = 0;
	int dot = 0;

	if (v == NULL)
		return fail(s, N_("Enter a number such as 1000 or 99.5."));
	for (p = *v == '-' ? v + 1 : v; *p; p++) {
		if (*p == '.' && !dot && digits > 0)
			dot = 1;
		else if (*p >= '0' && *p <= '9')
			dot ? frac++ : digits++;
		else
			return fail(s, N_("Enter a number such as 1000 or 99.5."));
	}
	if (digits == 0 || digits > 15 || frac > 6 || (dot && frac == 0))
		return fail(s, N_("Enter a number such as 1000 or 99.5."));
	*out = v;
	return CRM_OK;
}

static enum crm_err
int_value(struct st *s, const char *key, long long min, long long max, const char *msgid, long long *out)
{
	const char *v = member_text(s, key), *p;
	long long n = 0;

	if (v == NULL || *v == '\0' || strlen(v) > 9)
		return fail(s, msgid);
	for (p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return fail(s, msgid);
		n = n * 10 + (*p - '0');
	}
	if (n < min || n > max)
		return fail(s, msgid);
	*out = n;
	return CRM_OK;
}

static enum crm_err
days_value(struct st *s, const char *key, long long *out)
{
	return int_value(s, key, 1, CRM_SEGMENT_MAX_DAYS, N_("Enter a number of days from 1 to 3650."), out);
}

static enum crm_err
date_value(struct st *s, const char *key, const char **out)
{
	const char *v = member_text(s, key);

	if (v == NULL || !crm_valid_date(v))
		return fail(s, N_("Enter a date as YYYY-MM-DD."));
	*out = v;
	return CRM_OK;
}

/* LIKE's own wildcards in a value match themselves. */
static const char *
like_escape(struct st *s, const char *v)
{
	struct crm_buf b;

	crm_buf_init(&b, s->a, strlen(v) + 8);
	for (; *v; v++) {
		if (*v == '%' || *v == '_' || *v == '\\')
			crm_buf_putc(&b, '\\');
		crm_buf_putc(&b, *v);
	}
	return b.data;
}

/* "in": a JSON array of texts, or one text of comma-separated values. */
static enum crm_err
in_list(struct st *s)
{
	json_t *v = json_object_get(s->cond, "value"), *item;
	const char *items[CRM_SEGMENT_MAX_IN];
	size_t n = 0, i;

	if (json_is_array(v)) {
		if (json_array_size(v) == 0 || json_array_size(v) > CRM_SEGMENT_MAX_IN)
			return fail(s, N_("Enter from 1 to 50 values, separated by commas."));
		json_array_foreach(v, i, item) {
			if (!json_is_string(item) || !crm_valid_text(json_string_value(item), 1, CRM_SEGMENT_MAX_TEXT, 0))
				return fail(s, N_("Enter from 1 to 50 values, separated by commas."));
			items[n++] = json_string_value(item);
		}
	} else if (json_is_string(v)) {
		const char *p = json_string_value(v);

		while (*p) {
			const char *end = strchr(p, ','), *q;
			size_t len;

			if (end == NULL)
				end = p + strlen(p);
			while (p < end && *p == ' ')
				p++;
			for (q = end; q > p && q[-1] == ' '; q--)
				;
			len = (size_t)(q - p);
			if (len > 0) {
				if (n == CRM_SEGMENT_MAX_IN)
					return fail(s, N_("Enter from 1 to 50 values, separated by commas."));
				items[n] = crm_arena_strndup(s->a, p, len);
				if (!crm_valid_text(items[n], 1, CRM_SEGMENT_MAX_TEXT, 0))
					return fail(s, N_("Enter from 1 to 50 values, separated by commas."));
				n++;
			}
			p = *end ? end + 1 : end;
		}
		if (n == 0)
			return fail(s, N_("Enter from 1 to 50 values, separated by commas."));
	} else {
		return fail(s, N_("Enter from 1 to 50 values, separated by commas."));
	}
	crm_sqlbuild_put(&s->q, " IN (");
	for (i = 0; i < n; i++) {
		crm_sqlbuild_put(&s->q, i ? ", ?" : "?");
		crm_sqlbuild_str(&s->q, items[i]);
	}
	crm_sqlbuild_put(&s->q, ")");
	return CRM_OK;
}

/* lhs compared by op with the condition's value(s): text. */
static enum crm_err
compare_text(struct st *s, const char *lhs, const char *op)
{
	const char *v;
	enum crm_err e;

	if (strcmp(op, "is_empty") == 0) {
		crm_sqlbuild_put(&s->q, "COALESCE("), crm_sqlbuild_put(&s->q, lhs), crm_sqlbuild_put(&s->q, ", '') = ''");
		return CRM_OK;
	}
	if (strcmp(op, "not_empty") == 0) {
		crm_sqlbuild_put(&s->q, lhs), crm_sqlbuild_put(&s->q, " <> ''");
		return CRM_OK;
	}
	crm_sqlbuild_put(&s->q, lhs);
	if (strcmp(op, "in") == 0)
		return in_list(s);
	if ((e = text_value(s, "value", &v)) != CRM_OK)
		return e;
	if (strcmp(op, "eq") == 0) {
		crm_sqlbuild_put(&s->q, " = ?");
	} else if (strcmp(op, "ne") == 0) {
		crm_sqlbuild_put(&s->q, " <> ?");
	} else if (strcmp(op, "contains") == 0) {
		crm_sqlbuild_put(&s->q, " LIKE CONCAT('%', ?, '%')");
		v = like_escape(s, v);
	} else {
		crm_sqlbuild_put(&s->q, " LIKE CONCAT(?, '%')");
		v = like_escape(s, v);
	}
	crm_sqlbuild_str(&s->q, v);
	return CRM_OK;
}

/* Dates compare by calendar day, whether the column is a DATE or a
 * DATETIME, and keep the column bare so an index on it can be used. */
static enum crm_err
compare_date(struct st *s, const char *lhs, const char *op)
{
	const char *v, *v2;
	long long days;
	enum crm_err e;

	if (strcmp(op, "is_empty") == 0 || strcmp(op, "not_empty") == 0) {
		crm_sqlbuild_put(&s->q, lhs), crm_sqlbuild_put(&s->q, op[0] == 'i' ? " IS NULL" : " IS NOT NULL");
		return CRM_OK;
	}
	if (strcmp(op, "within_days") == 0) {
		if ((e = days_value(s, "value", &days)) != CRM_OK)
			return e;
		crm_sqlbuild_put(&s->q, lhs), crm_sqlbuild_put(&s->q, " >= UTC_DATE() - INTERVAL ? DAY");
		crm_sqlbuild_i64(&s->q, days);
		return CRM_OK;
	}
	if ((e = date_value(s, "value", &v)) != CRM_OK)
		return e;
	if (strcmp(op, "gt") == 0) {
		crm_sqlbuild_put(&s->q, lhs), crm_sqlbuild_put(&s->q, " >= CAST(? AS DATE) + INTERVAL 1 DAY");
		crm_sqlbuild_str(&s->q, v);
	} else if (strcmp(op, "lt") == 0) {
		crm_sqlbuild_put(&s->q, lhs), crm_sqlbuild_put(&s->q, " < CAST(? AS DATE)");
		crm_sqlbuild_str(&s->q, v);
	} else {
		v2 = v;
		if (strcmp(op, "between") == 0 && (e = date_value(s, "value2", &v2)) != CRM_OK)
			return e;
		crm_sqlbuild_put(&s->q, "("), crm_sqlbuild_put(&s->q, lhs), crm_sqlbuild_put(&s->q, " >= CAST(? AS DATE) AND "), crm_sqlbuild_put(&s->q, lhs);
		crm_sqlbuild_put(&s->q, " < CAST(? AS DATE) + INTERVAL 1 DAY)");
		crm_sqlbuild_str(&s->q, v);
		crm_sqlbuild_str(&s->q, v2);
	}
	return CRM_OK;
}

/* Numbers: decimals cast in SQL, or whole counts bound as integers. */
static enum crm_err
compare_number(struct st *s, const char *lhs, const char *op, int whole)
{
	const char *ph = whole ? "?" : "CAST(? AS DECIMAL(21,6))";
	const char *v, *v2;
	long long n, n2;
	enum crm_err e;

	if (whole) {
		if ((e = int_value(s, "value", 0, 1000000000, N_("Enter a whole number."), &n)) != CRM_OK)
			return e;
	} else if ((e = number_value(s, "value", &v)) != CRM_OK) {
		return e;
	}
	crm_sqlbuild_put(&s->q, lhs);
	if (strcmp(op, "between") == 0) {
		crm_sqlbuild_put(&s->q, " BETWEEN "), crm_sqlbuild_put(&s->q, ph), crm_sqlbuild_put(&s->q, " AND "), crm_sqlbuild_put(&s->q, ph);
	} else {
		crm_sqlbuild_put(&s->q, strcmp(op, "eq") == 0 ? " = " : strcmp(op, "ne") == 0 ? " <> " :
		    strcmp(op, "gt") == 0 ? " > " : " < ");
		crm_sqlbuild_put(&s->q, ph);
	}
	whole ? crm_sqlbuild_i64(&s->q, n) : crm_sqlbuild_str(&s->q, v);
	if (strcmp(op, "between") == 0) {
		if (whole) {
			if ((e = int_value(s, "value2", 0, 1000000000, N_("Enter a whole number."), &n2)) != CRM_OK)
				return e;
			crm_sqlbuild_i64(&s->q, n2);
		} else {
			if ((e = number_value(s, "value2", &v2)) != CRM_OK)
				return e;
			crm_sqlbuild_str(&s->q, v2);
		}
	}
	return CRM_OK;
}

static enum crm_err
compare_bool(struct st *s, const char *expr)
{
	json_t *v = json_object_get(s->cond, "value");
	const char *t = json_is_string(v) ? json_string_value(v) : NULL;
	int yes;

	if (json_is_boolean(v))
		yes = json_is_true(v);
	else if (t != NULL && (strcmp(t, "true") == 0 || strcmp(t, "yes") == 0 || strcmp(t, "1") == 0))
		yes = 1;
	else if (t != NULL && (strcmp(t, "false") == 0 || strcmp(t, "no") == 0 || strcmp(t, "0") == 0))
		yes = 0;
	else
		return fail(s, N_("Choose yes or no."));
	crm_sqlbuild_put(&s->q, "("), crm_sqlbuild_put(&s->q, expr), crm_sqlbuild_put(&s->q, ") = ?");
	crm_sqlbuild_i64(&s->q, yes);
	return CRM_OK;
}

static const struct crm_segment_custom *
find_custom(const char *name, const struct crm_segment_custom *cf, size_t ncf)
{
	const char *p = name + strlen("custom.");
	long long id;
	size_t i;

	if (!crm_valid_id(p, &id))
		return NULL;
	for (i = 0; i < ncf; i++)
		if (cf[i].id == id)
			return &cf[i];
	return NULL;
}

/* The head of a set test: "rec IN (SELECT ", or for a negated one
 * "COALESCE(rec, 0) NOT IN (SELECT s.id FROM (SELECT DISTINCT ", the
 * set then being a derived table (DISTINCT keeps it from being merged
 * back) that the server makes once and probes by its key, where a bare
 * NOT IN (subquery) is run again for each contact. A plain IN is left
 * to the optimizer, which materialises the set and, when it is small,
 * goes from it to the contacts by their index. The caller writes
 * "x AS id FROM ..." and ends with what this returns. */
static const char *
member_of(struct st *s, const char *rec, int negate)
{
	if (!negate) {
		crm_sqlbuild_put(&s->q, rec), crm_sqlbuild_put(&s->q, " IN (SELECT ");
		return ")";
	}
	crm_sqlbuild_put(&s->q, "COALESCE("), crm_sqlbuild_put(&s->q, rec), crm_sqlbuild_put(&s->q, ", 0) NOT IN (SELECT s.id FROM (SELECT DISTINCT ");
	return ") s)";
}

/* A custom field's value lives in custom_values, one row per record and
 * field: the records with a matching value, from custom_values_text,
 * _num or _date (field_id, value, record_id). */
static enum crm_err
custom_condition(struct st *s, const struct crm_segment_custom *cf, enum crm_segment_kind k, const char *op)
{
	int account = strcmp(cf->entity, "account") == 0;
	const char *col = k == CRM_SEGMENT_CUSTOM_NUMBER ? "cv.value_num" :
	    k == CRM_SEGMENT_CUSTOM_DATE ? "cv.value_date" : "cv.value_text";
	int negate = strcmp(op, "is_empty") == 0 || strcmp(op, "ne") == 0;
	enum crm_err e = CRM_OK;
	const char *end = member_of(s, account ? "c.account_id" : "c.id", negate);

	crm_sqlbuild_put(&s->q, account ? "cv.record_id AS id FROM custom_values cv WHERE cv.entity = 'account'" :
	    "cv.record_id AS id FROM custom_values cv WHERE cv.entity = 'contact'");
	crm_sqlbuild_put(&s->q, " AND cv.field_id = ?");
	crm_sqlbuild_i64(&s->q, cf->id);
	if (strcmp(op, "is_empty") != 0 && strcmp(op, "not_empty") != 0) {
		crm_sqlbuild_put(&s->q, " AND ");
		if (k == CRM_SEGMENT_CUSTOM_NUMBER)
			e = compare_number(s, col, negate ? "eq" : op, 0);
		else if (k == CRM_SEGMENT_CUSTOM_DATE)
			e = compare_date(s, col, op);
		else
			e = compare_text(s, col, negate ? "eq" : op);
	}
	crm_sqlbuild_put(&s->q, end);
	return e;
}

/* Amounts and counts of orders are never negative. */
static enum crm_err
amount_value(struct st *s, const char *key, int whole, const char **text, long long *n)
{
	enum crm_err e;

	if (whole)
		return int_value(s, key, 0, 1000000000, N_("Enter a whole number."), n);
	if ((e = number_value(s, key, text)) != CRM_OK)
		return e;
	if (**text == '-')
		return fail(s, N_("Enter a number such as 1000 or 99.5."));
	*n = strspn(*text, "0.") == strlen(*text) ? 0 : 1;    /* zero or not */
	return CRM_OK;
}

/* The accounts whose orders in the window add up (agg) to op the
 * value(s). An account without orders adds up to 0, which no set below
 * holds: "under" and "between 0 and" are the complement of "at least"
 * and "over", so they take in contacts without orders (or account). */
static enum crm_err
orders_aggregate(struct st *s, enum crm_segment_kind k, const char *op)
{
	int whole = k == CRM_SEGMENT_ORDER_COUNT;
	const char *from = k == CRM_SEGMENT_ORDER_CATEGORY_SPEND ? LINES_OF : ORDERS_OF;
	const char *agg = k == CRM_SEGMENT_ORDER_SPEND ? "SUM(od.total_base)" :
	    k == CRM_SEGMENT_ORDER_COUNT ? "COUNT(*)" : "SUM(ol.net * od.total_base / NULLIF(od.total, 0))";
	const char *ph = whole ? "?" : "CAST(? AS DECIMAL(21,6))";
	const char *v = NULL, *v2 = NULL, *end;
	long long n = 0, n2 = 0;
	enum crm_err e;

	if ((e = amount_value(s, "value", whole, &v, &n)) != CRM_OK)
		return e;
	if (strcmp(op, "between") == 0 && (e = amount_value(s, "value2", whole, &v2, &n2)) != CRM_OK)
		return e;
	if (strcmp(op, "gt") == 0) {
		end = member_of(s, "c.account_id", 0);
		crm_sqlbuild_put(&s->q, "od.account_id AS id"), crm_sqlbuild_put(&s->q, from), crm_sqlbuild_put(&s->q, BY_ACCOUNT), crm_sqlbuild_put(&s->q, agg), crm_sqlbuild_put(&s->q, " > "), crm_sqlbuild_put(&s->q, ph);
	} else if (strcmp(op, "lt") == 0) {
		end = member_of(s, "c.account_id", 1);
		crm_sqlbuild_put(&s->q, "od.account_id AS id"), crm_sqlbuild_put(&s->q, from), crm_sqlbuild_put(&s->q, BY_ACCOUNT), crm_sqlbuild_put(&s->q, agg), crm_sqlbuild_put(&s->q, " >= "), crm_sqlbuild_put(&s->q, ph);
	} else if (strcmp(op, "eq") == 0 && n == 0) {
		/* No orders at all in the window. */
		end = member_of(s, "c.account_id", 1);
		crm_sqlbuild_put(&s->q, "od.account_id AS id"), crm_sqlbuild_put(&s->q, from);
	} else if (strcmp(op, "eq") == 0) {
		end = member_of(s, "c.account_id", 0);
		crm_sqlbuild_put(&s->q, "od.account_id AS id"), crm_sqlbuild_put(&s->q, from), crm_sqlbuild_put(&s->q, BY_ACCOUNT), crm_sqlbuild_put(&s->q, agg), crm_sqlbuild_put(&s->q, " = "), crm_sqlbuild_put(&s->q, ph);
	} else if (n == 0) {
		/* Between 0 and b: not over b. */
		end = member_of(s, "c.account_id", 1);
		crm_sqlbuild_put(&s->q, "od.account_id AS id"), crm_sqlbuild_put(&s->q, from), crm_sqlbuild_put(&s->q, BY_ACCOUNT), crm_sqlbuild_put(&s->q, agg), crm_sqlbuild_put(&s->q, " > "), crm_sqlbuild_put(&s->q, ph);
	} else {
		end = member_of(s, "c.account_id", 0);
		crm_sqlbuild_put(&s->q, "od.account_id AS id"), crm_sqlbuild_put(&s->q, from), crm_sqlbuild_put(&s->q, BY_ACCOUNT), crm_sqlbuild_put(&s->q, agg), crm_sqlbuild_put(&s->q, " BETWEEN ");
		crm_sqlbuild_put(&s->q, ph), crm_sqlbuild_put(&s->q, " AND "), crm_sqlbuild_put(&s->q, ph);
	}
	crm_sqlbuild_put(&s->q, end);
	/* The window's binds, then the comparison's. */
	if (strcmp(op, "eq") == 0 && n == 0)
		return CRM_OK;
	if (strcmp(op, "between") == 0 && n == 0) {
		whole ? crm_sqlbuild_i64(&s->q, n2) : crm_sqlbuild_str(&s->q, v2);
	} else {
		whole ? crm_sqlbuild_i64(&s->q, n) : crm_sqlbuild_str(&s->q, v);
		if (strcmp(op, "between") == 0)
			whole ? crm_sqlbuild_i64(&s->q, n2) : crm_sqlbuild_str(&s->q, v2);
	}
	return CRM_OK;
}

static enum crm_err
orders_condition(struct st *s, enum crm_segment_kind k, const char *op)
{
	const char *category = NULL, *end;
	long long days;
	enum crm_err e;

	if ((e = days_value(s, "days", &days)) != CRM_OK)
		return e;
	if (k == CRM_SEGMENT_ORDER_CATEGORY) {
		if ((e = text_value(s, "value", &category)) != CRM_OK)
			return e;
		end = member_of(s, "c.account_id", strcmp(op, "ne") == 0);
		crm_sqlbuild_put(&s->q, "od.account_id AS id" LINES_OF), crm_sqlbuild_put(&s->q, end);
		crm_sqlbuild_i64(&s->q, days);
		crm_sqlbuild_str(&s->q, category);
		return CRM_OK;
	}
	if (k == CRM_SEGMENT_ORDER_CATEGORY_SPEND) {
		const char *v = member_text(s, "category");

		if (v == NULL || !crm_valid_text(v, 1, CRM_SEGMENT_MAX_TEXT, 0))
			return fail(s, N_("Enter a product category."));
		category = v;
	}
	crm_sqlbuild_i64(&s->q, days);
	if (category != NULL)
		crm_sqlbuild_str(&s->q, category);
	return orders_aggregate(s, k, op);
}

static int
kind_has_op(enum crm_segment_kind k, const char *op)
{
	const char *const *o;

	for (o = kind_ops[k]; *o; o++)
		if (strcmp(*o, op) == 0)
			return 1;
	return 0;
}

static enum crm_err
condition(struct st *s, const struct crm_segment_custom *cf, size_t ncf)
{
	json_t *jf = json_object_get(s->cond, "field"), *jo = json_object_get(s->cond, "op");
	const struct crm_segment_custom *custom = NULL;
	const struct field_def *fd = NULL;
	enum crm_segment_kind k;
	const char *name, *op, *end;
	long long days;
	size_t i;
	enum crm_err e;

	if (!json_is_object(s->cond))
		return fail(s, N_("A condition must name a field and an operator."));
	if (!json_is_string(jf))
		return fail(s, N_("Unknown field."));
	name = json_string_value(jf);
	s->err->field = name;
	for (i = 0; i < CRM_NELEM(fields); i++)
		if (strcmp(fields[i].f.name, name) == 0)
			fd = &fields[i];
	if (fd != NULL) {
		k = fd->f.kind;
	} else if (strncmp(name, "custom.", 7) == 0 && (custom = find_custom(name, cf, ncf)) != NULL) {
		k = strcmp(custom->type, "number") == 0 ? CRM_SEGMENT_CUSTOM_NUMBER :
		    strcmp(custom->type, "date") == 0 ? CRM_SEGMENT_CUSTOM_DATE : CRM_SEGMENT_CUSTOM_TEXT;
	} else {
		return fail(s, N_("Unknown field."));
	}
	if (!json_is_string(jo) || !kind_has_op(k, op = json_string_value(jo)))
		return fail(s, N_("This operator does not apply to this field."));
	if (custom != NULL)
		return custom_condition(s, custom, k, op);
	switch (k) {
	case CRM_SEGMENT_TEXT:
		return compare_text(s, fd->expr, op);
	case CRM_SEGMENT_DATE:
		return compare_date(s, fd->expr, op);
	case CRM_SEGMENT_BOOL:
		return compare_bool(s, fd->expr);
	case CRM_SEGMENT_TAG: {
		const char *tag;

		if ((e = text_value(s, "value", &tag)) != CRM_OK)
			return e;
		/* tag_links_tag (tag_id, entity, record_id): the tag's records. */
		end = member_of(s, fd->expr, strcmp(op, "ne") == 0);
		crm_sqlbuild_put(&s->q, strcmp(fd->expr, "c.id") == 0 ?
		    "tl.record_id AS id FROM tags t JOIN tag_links tl ON tl.tag_id = t.id WHERE t.name = ? AND tl.entity = 'contact'" :
		    "tl.record_id AS id FROM tags t JOIN tag_links tl ON tl.tag_id = t.id WHERE t.name = ? AND tl.entity = 'account'");
		crm_sqlbuild_put(&s->q, end);
		crm_sqlbuild_str(&s->q, tag);
		return CRM_OK;
	}
	case CRM_SEGMENT_ACTIVITY:
		if ((e = days_value(s, "value", &days)) != CRM_OK)
			return e;
		/* activities_contact (contact_id, at, id): one range probe. */
		crm_sqlbuild_put(&s->q, strcmp(op, "none_within_days") == 0 ? "NOT EXISTS (" : "EXISTS (");
		crm_sqlbuild_put(&s->q, "SELECT 1 FROM activities ac WHERE ac.contact_id = c.id AND ac.deleted_at IS NULL"
		    " AND ac.at >= UTC_TIMESTAMP() - INTERVAL ? DAY AND ac.at <= UTC_TIMESTAMP())");
		crm_sqlbuild_i64(&s->q, days);
		return CRM_OK;
	case CRM_SEGMENT_SCORE: {
		/* The accounts with a matching score; "is not" and "is empty"
		 * are the complement, so they take in unscored accounts. */
		int negate = strcmp(op, "is_empty") == 0 || strcmp(op, "ne") == 0;

		end = member_of(s, "c.account_id", negate);
		crm_sqlbuild_put(&s->q, "sc.account_id AS id FROM customer_scores sc WHERE ");
		if (strcmp(op, "is_empty") == 0 || strcmp(op, "not_empty") == 0) {
			crm_sqlbuild_put(&s->q, fd->expr), crm_sqlbuild_put(&s->q, " IS NOT NULL");
			e = CRM_OK;
		} else {
			e = compare_number(s, fd->expr, negate ? "eq" : op, 0);
		}
		crm_sqlbuild_put(&s->q, end);
		return e;
	}
	default:
		return orders_condition(s, k, op);
	}
}

static int
match_any(json_t *obj, int *any)
{
	json_t *m = json_object_get(obj, "match");

	if (m == NULL) {
		*any = 0;
		return 1;
	}
	if (!json_is_string(m))
		return 0;
	*any = strcmp(json_string_value(m), "any") == 0;
	return *any || strcmp(json_string_value(m), "all") == 0;
}

enum crm_err
crm_segment_compile(struct crm_arena *a, json_t *def, const struct crm_segment_custom *cf, size_t ncf,
    struct crm_segment_sql *out, struct crm_segment_error *err)
{
	json_t *groups = json_object_get(def, "groups"), *g, *conds;
	size_t gi, ci, total = 0, written = 0;
	struct st s;
	int any, gany;
	enum crm_err e;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	memset(&s, 0, sizeof(s));
	s.a = a;
	s.err = err;
	crm_sqlbuild_init(&s.q, a, 256);
	if (!json_is_object(def) || !json_is_array(groups) || !match_any(def, &any))
		return fail(&s, N_("This is not a segment definition: groups of conditions matching all or any."));
	if (json_array_size(groups) > CRM_SEGMENT_MAX_GROUPS)
		return fail(&s, N_("Too many groups: a segment has at most 10."));
	json_array_foreach(groups, gi, g) {
		conds = json_object_get(g, "conditions");
		err->group = gi + 1;
		if (!json_is_object(g) || !json_is_array(conds) || !match_any(g, &gany))
			return fail(&s, N_("This is not a segment definition: groups of conditions matching all or any."));
		total += json_array_size(conds);
		if (total > CRM_SEGMENT_MAX_CONDITIONS)
			return fail(&s, N_("Too many conditions: a segment has at most 40."));
		if (json_array_size(conds) == 0)
			continue;
		crm_sqlbuild_put(&s.q, written++ ? (any ? " OR (" : " AND (") : "(");
		json_array_foreach(conds, ci, s.cond) {
			err->condition = ci + 1;
			err->field = NULL;
			if (ci > 0)
				crm_sqlbuild_put(&s.q, gany ? " OR " : " AND ");
			if ((e = condition(&s, cf, ncf)) != CRM_OK)
				return e;
		}
		crm_sqlbuild_put(&s.q, ")");
	}
	err->group = err->condition = 0;
	if (total == 0)
		return fail(&s, N_("Add at least one condition."));
	out->where = crm_arena_printf(a, "(%s)", s.q.sql.data);
	out->binds = s.q.b;
	out->nbinds = s.q.nb;
	out->nconditions = total;
	return CRM_OK;
}

enum crm_err
crm_segment_compile_text(struct crm_arena *a, const char *text, size_t len,
    const struct crm_segment_custom *cf, size_t ncf, json_t **def,
    struct crm_segment_sql *out, struct crm_segment_error *err)
{
	json_error_t je;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	*def = NULL;
	if (len > CRM_SEGMENT_MAX_JSON) {
		err->msgid = N_("Too many conditions: a segment has at most 40.");
		return CRM_ETOOBIG;
	}
	if ((*def = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		err->msgid = N_("This is not a segment definition: groups of conditions matching all or any.");
		return CRM_EINVAL;
	}
	return crm_segment_compile(a, *def, cf, ncf, out, err);
}
