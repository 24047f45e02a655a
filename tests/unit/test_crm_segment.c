/* The segment compiler: the SQL text and binds of each field and
 * operator, the errors, and injection attempts in every value slot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "crm_segment.h"

static struct crm_arena *arena;

static const struct crm_segment_custom custom[] = {
	{ 7, "contact", "text" },
	{ 8, "contact", "number" },
	{ 9, "account", "date" },
	{ 10, "contact", "choice" },
};

static struct crm_segment_sql out;
static struct crm_segment_error err;
static json_t *last;    /* the latest definition: out's binds point into it */

/* Compiles one condition (JSON text of the condition object). */
static enum crm_err
one(const char *cond)
{
	char text[4096];

	snprintf(text, sizeof(text), "{\"match\":\"all\",\"groups\":[{\"match\":\"any\",\"conditions\":[%s]}]}", cond);
	json_decref(last);
	return crm_segment_compile_text(arena, text, strlen(text), custom, CRM_NELEM(custom), &last, &out, &err);
}

static void
expect(const char *cond, const char *where, size_t nbinds)
{
	enum crm_err e = one(cond);

	if (e != CRM_OK)
		fail_msg("%s: %s", cond, err.msgid);
	assert_string_equal(out.where, where);
	assert_int_equal(out.nbinds, nbinds);
}

static void
expect_error(const char *cond, const char *msgid)
{
	assert_int_equal(one(cond), CRM_EINVAL);
	assert_string_equal(err.msgid, msgid);
	assert_int_equal(err.group, 1);
	assert_int_equal(err.condition, 1);
}

static const char *
bind_s(size_t i)
{
	assert_true(i < out.nbinds);
	assert_int_equal(out.binds[i].type, CRM_DB_STR);
	return out.binds[i].s;
}

static long long
bind_i(size_t i)
{
	assert_true(i < out.nbinds);
	assert_int_equal(out.binds[i].type, CRM_DB_I64);
	return out.binds[i].i;
}

static void
test_text_fields(void **state)
{
	(void)state;
	expect("{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"Berlin\"}", "((c.city = ?))", 1);
	assert_string_equal(bind_s(0), "Berlin");
	expect("{\"field\":\"contact.country\",\"op\":\"ne\",\"value\":\"DE\"}", "((c.country <> ?))", 1);
	expect("{\"field\":\"contact.title\",\"op\":\"contains\",\"value\":\"50%_off\"}",
	    "((c.title LIKE CONCAT('%', ?, '%')))", 1);
	/* LIKE's wildcards in a value match themselves. */
	assert_string_equal(bind_s(0), "50\\%\\_off");
	expect("{\"field\":\"contact.source\",\"op\":\"starts_with\",\"value\":\"web\"}",
	    "((c.source LIKE CONCAT(?, '%')))", 1);
	expect("{\"field\":\"account.industry\",\"op\":\"in\",\"value\":\"Retail, Banking ,,Energy\"}",
	    "((a.industry IN (?, ?, ?)))", 3);
	assert_string_equal(bind_s(0), "Retail");
	assert_string_equal(bind_s(1), "Banking");
	assert_string_equal(bind_s(2), "Energy");
	expect("{\"field\":\"account.size\",\"op\":\"in\",\"value\":[\"1-10\",\"11-50\"]}", "((a.size IN (?, ?)))", 2);
	expect("{\"field\":\"account.name\",\"op\":\"is_empty\"}", "((COALESCE(a.name, '') = ''))", 0);
	expect("{\"field\":\"contact.email\",\"op\":\"not_empty\"}", "((c.email_norm <> ''))", 0);
}

static void
test_dates_and_flags(void **state)
{
	(void)state;
	expect("{\"field\":\"contact.created_at\",\"op\":\"eq\",\"value\":\"2026-03-01\"}",
	    "(((c.created_at >= CAST(? AS DATE) AND c.created_at < CAST(? AS DATE) + INTERVAL 1 DAY)))", 2);
	expect("{\"field\":\"contact.created_at\",\"op\":\"gt\",\"value\":\"2026-03-01\"}",
	    "((c.created_at >= CAST(? AS DATE) + INTERVAL 1 DAY))", 1);
	expect("{\"field\":\"contact.birthday\",\"op\":\"lt\",\"value\":\"1990-01-01\"}",
	    "((c.birthday < CAST(? AS DATE)))", 1);
	expect("{\"field\":\"contact.birthday\",\"op\":\"between\",\"value\":\"1980-01-01\",\"value2\":\"1989-12-31\"}",
	    "(((c.birthday >= CAST(? AS DATE) AND c.birthday < CAST(? AS DATE) + INTERVAL 1 DAY)))", 2);
	assert_string_equal(bind_s(1), "1989-12-31");
	expect("{\"field\":\"contact.created_at\",\"op\":\"within_days\",\"value\":30}",
	    "((c.created_at >= UTC_DATE() - INTERVAL ? DAY))", 1);
	assert_int_equal(bind_i(0), 30);
	expect("{\"field\":\"contact.birthday\",\"op\":\"is_empty\"}", "((c.birthday IS NULL))", 0);
	expect("{\"field\":\"contact.consent_email\",\"op\":\"eq\",\"value\":true}", "(((c.consent_email) = ?))", 1);
	assert_int_equal(bind_i(0), 1);
	expect("{\"field\":\"contact.has_email\",\"op\":\"eq\",\"value\":\"no\"}", "(((c.email_norm <> '') = ?))", 1);
	assert_int_equal(bind_i(0), 0);
}

/* A set: IN (SELECT ...), or for NOT IN a derived table made once. */
#define IN(rec) rec " IN (SELECT "
#define NOT_IN(rec) "COALESCE(" rec ", 0) NOT IN (SELECT s.id FROM (SELECT DISTINCT "
#define END ") s)"
#define END_IN ")"
#define TAGS_OF(e) "tl.record_id AS id FROM tags t JOIN tag_links tl ON tl.tag_id = t.id WHERE t.name = ? AND tl.entity = '" e "'"
#define ORDERS " FROM orders od WHERE od.status <> 'cancelled' AND od.ordered_on >= UTC_DATE() - INTERVAL ? DAY"
#define LINES " FROM orders od JOIN order_lines ol ON ol.order_id = od.id JOIN products p ON p.id = ol.product_id" \
	" WHERE od.status <> 'cancelled' AND od.ordered_on >= UTC_DATE() - INTERVAL ? DAY AND p.category = ?"
#define DEC "CAST(? AS DECIMAL(21,6))"

static void
test_tags_activity_orders(void **state)
{
	(void)state;
	/* Sets worked out once, not a subquery per contact. */
	expect("{\"field\":\"contact.tag\",\"op\":\"eq\",\"value\":\"VIP\"}", "((" IN("c.id") TAGS_OF("contact") END_IN "))", 1);
	expect("{\"field\":\"account.tag\",\"op\":\"ne\",\"value\":\"Churned\"}",
	    "((" NOT_IN("c.account_id") TAGS_OF("account") END "))", 1);
	expect("{\"field\":\"activity.recent\",\"op\":\"none_within_days\",\"value\":\"60\"}",
	    "((NOT EXISTS (SELECT 1 FROM activities ac WHERE ac.contact_id = c.id AND ac.deleted_at IS NULL"
	    " AND ac.at >= UTC_TIMESTAMP() - INTERVAL ? DAY AND ac.at <= UTC_TIMESTAMP())))", 1);
	assert_int_equal(bind_i(0), 60);
	expect("{\"field\":\"orders.category\",\"op\":\"eq\",\"value\":\"Printers\",\"days\":90}",
	    "((" IN("c.account_id") "od.account_id AS id" LINES END_IN "))", 2);
	assert_int_equal(bind_i(0), 90);
	assert_string_equal(bind_s(1), "Printers");
	expect("{\"field\":\"orders.category\",\"op\":\"ne\",\"value\":\"Printers\",\"days\":90}",
	    "((" NOT_IN("c.account_id") "od.account_id AS id" LINES END "))", 2);
	expect("{\"field\":\"orders.spend\",\"op\":\"gt\",\"value\":\"1000\",\"days\":365}",
	    "((" IN("c.account_id") "od.account_id AS id" ORDERS " GROUP BY od.account_id HAVING SUM(od.total_base) > " DEC END_IN "))", 2);
	assert_int_equal(bind_i(0), 365);
	assert_string_equal(bind_s(1), "1000");
	/* Under: not at least, so accounts without orders are in. */
	expect("{\"field\":\"orders.spend\",\"op\":\"lt\",\"value\":\"50.5\",\"days\":30}",
	    "((" NOT_IN("c.account_id") "od.account_id AS id" ORDERS
	    " GROUP BY od.account_id HAVING SUM(od.total_base) >= " DEC END "))", 2);
	/* The brief's own example: days, category, then the amount. */
	expect("{\"field\":\"orders.category_spend\",\"op\":\"gt\",\"value\":\"1000\",\"category\":\"Printers\",\"days\":90}",
	    "((" IN("c.account_id") "od.account_id AS id" LINES " GROUP BY od.account_id HAVING"
	    " SUM(ol.net * od.total_base / NULLIF(od.total, 0)) > " DEC END_IN "))", 3);
	assert_int_equal(bind_i(0), 90);
	assert_string_equal(bind_s(1), "Printers");
	assert_string_equal(bind_s(2), "1000");
	expect("{\"field\":\"orders.count\",\"op\":\"between\",\"value\":\"2\",\"value2\":5,\"days\":30}",
	    "((" IN("c.account_id") "od.account_id AS id" ORDERS " GROUP BY od.account_id HAVING COUNT(*) BETWEEN ? AND ?" END_IN "))", 3);
	assert_int_equal(bind_i(1), 2);
	assert_int_equal(bind_i(2), 5);
	/* Between 0 and 3: not over 3, so none at all counts too. */
	expect("{\"field\":\"orders.count\",\"op\":\"between\",\"value\":\"0\",\"value2\":3,\"days\":30}",
	    "((" NOT_IN("c.account_id") "od.account_id AS id" ORDERS " GROUP BY od.account_id HAVING COUNT(*) > ?" END "))", 2);
	assert_int_equal(bind_i(1), 3);
	expect("{\"field\":\"orders.count\",\"op\":\"eq\",\"value\":0,\"days\":30}",
	    "((" NOT_IN("c.account_id") "od.account_id AS id" ORDERS END "))", 1);
	expect("{\"field\":\"orders.count\",\"op\":\"eq\",\"value\":2,\"days\":30}",
	    "((" IN("c.account_id") "od.account_id AS id" ORDERS " GROUP BY od.account_id HAVING COUNT(*) = ?" END_IN "))", 2);
	expect_error("{\"field\":\"orders.spend\",\"op\":\"gt\",\"value\":\"-5\",\"days\":30}", "Enter a number such as 1000 or 99.5.");
}

#define VALUES_OF(e, rec) "cv.record_id AS id FROM custom_values cv WHERE cv.entity = '" e "' AND cv.field_id = ?"

static void
test_custom_fields(void **state)
{
	(void)state;
	expect("{\"field\":\"custom.7\",\"op\":\"eq\",\"value\":\"Gold\"}",
	    "((" IN("c.id") VALUES_OF("contact", "c.id") " AND cv.value_text = ?" END_IN "))", 2);
	assert_int_equal(bind_i(0), 7);
	assert_string_equal(bind_s(1), "Gold");
	expect("{\"field\":\"custom.8\",\"op\":\"between\",\"value\":\"1.5\",\"value2\":\"-2\"}",
	    "((" IN("c.id") VALUES_OF("contact", "c.id") " AND cv.value_num BETWEEN " DEC " AND " DEC END_IN "))", 3);
	expect("{\"field\":\"custom.8\",\"op\":\"ne\",\"value\":\"3\"}",
	    "((" NOT_IN("c.id") VALUES_OF("contact", "c.id") " AND cv.value_num = " DEC END "))", 2);
	expect("{\"field\":\"custom.9\",\"op\":\"within_days\",\"value\":\"7\"}",
	    "((" IN("c.account_id") VALUES_OF("account", "c.account_id") " AND cv.value_date >= UTC_DATE() - INTERVAL ? DAY" END_IN "))", 2);
	expect("{\"field\":\"custom.10\",\"op\":\"is_empty\"}",
	    "((" NOT_IN("c.id") VALUES_OF("contact", "c.id") END "))", 1);
}

static void
test_groups(void **state)
{
	const char *def = "{\"match\":\"any\",\"groups\":["
	    "{\"match\":\"all\",\"conditions\":[{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"Berlin\"},"
	    "{\"field\":\"contact.consent_email\",\"op\":\"eq\",\"value\":\"yes\"}]},"
	    "{\"conditions\":[]},"
	    "{\"match\":\"any\",\"conditions\":[{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"Paris\"},"
	    "{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"Lyon\"}]}]}";
	json_t *j = NULL;

	(void)state;
	assert_int_equal(crm_segment_compile_text(arena, def, strlen(def), NULL, 0, &j, &out, &err), CRM_OK);
	assert_string_equal(out.where, "((c.city = ? AND (c.consent_email) = ?) OR (c.city = ? OR c.city = ?))");
	assert_int_equal(out.nbinds, 4);
	assert_int_equal(out.nconditions, 4);
	assert_string_equal(bind_s(3), "Lyon");
	json_decref(j);
}

static void
test_errors(void **state)
{
	char big[8192];
	size_t i, n = 0;
	json_t *j = NULL;

	(void)state;
	expect_error("{\"field\":\"contact.password\",\"op\":\"eq\",\"value\":\"x\"}", "Unknown field.");
	assert_string_equal(err.field, "contact.password");
	expect_error("{\"field\":\"custom.99\",\"op\":\"eq\",\"value\":\"x\"}", "Unknown field.");
	expect_error("{\"field\":\"custom.7 OR 1=1\",\"op\":\"eq\",\"value\":\"x\"}", "Unknown field.");
	expect_error("{\"field\":\"contact.city\",\"op\":\"gt\",\"value\":\"x\"}",
	    "This operator does not apply to this field.");
	expect_error("{\"field\":\"contact.city\",\"op\":\"= 1 OR\",\"value\":\"x\"}",
	    "This operator does not apply to this field.");
	expect_error("{\"field\":\"contact.city\",\"op\":\"eq\"}", "Enter a value of up to 200 characters.");
	expect_error("{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":[1]}", "Enter a value of up to 200 characters.");
	expect_error("{\"field\":\"contact.birthday\",\"op\":\"eq\",\"value\":\"1990-02-30\"}", "Enter a date as YYYY-MM-DD.");
	expect_error("{\"field\":\"contact.created_at\",\"op\":\"within_days\",\"value\":\"0\"}",
	    "Enter a number of days from 1 to 3650.");
	expect_error("{\"field\":\"orders.spend\",\"op\":\"gt\",\"value\":\"1e3\",\"days\":30}",
	    "Enter a number such as 1000 or 99.5.");
	expect_error("{\"field\":\"orders.spend\",\"op\":\"gt\",\"value\":\"10\"}", "Enter a number of days from 1 to 3650.");
	expect_error("{\"field\":\"orders.category_spend\",\"op\":\"gt\",\"value\":\"10\",\"days\":9}",
	    "Enter a product category.");
	expect_error("{\"field\":\"contact.consent_email\",\"op\":\"eq\",\"value\":\"maybe\"}", "Choose yes or no.");
	expect_error("{\"field\":\"contact.city\",\"op\":\"in\",\"value\":\" , \"}",
	    "Enter from 1 to 50 values, separated by commas.");
	expect_error("\"contact.city\"", "A condition must name a field and an operator.");
	/* The second condition of the second group is the one named. */
	assert_int_equal(crm_segment_compile_text(arena, "{\"groups\":[{\"conditions\":[]},{\"conditions\":["
	    "{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"a\"},{\"field\":\"nope\",\"op\":\"eq\"}]}]}",
	    strlen("{\"groups\":[{\"conditions\":[]},{\"conditions\":["
	    "{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"a\"},{\"field\":\"nope\",\"op\":\"eq\"}]}]}"),
	    NULL, 0, &j, &out, &err), CRM_EINVAL);
	assert_int_equal(err.group, 2);
	assert_int_equal(err.condition, 2);
	json_decref(j);
	/* The whole definition. */
	assert_int_equal(crm_segment_compile_text(arena, "{\"groups\":[]}", 13, NULL, 0, &j, &out, &err), CRM_EINVAL);
	assert_string_equal(err.msgid, "Add at least one condition.");
	json_decref(j);
	assert_int_equal(crm_segment_compile_text(arena, "{\"match\":\"some\",\"groups\":[]}", 28, NULL, 0, &j,
	    &out, &err), CRM_EINVAL);
	json_decref(j);
	assert_int_equal(crm_segment_compile_text(arena, "not json", 8, NULL, 0, &j, &out, &err), CRM_EINVAL);
	assert_null(out.where);
	/* 51 conditions: too many. */
	n += (size_t)snprintf(big + n, sizeof(big) - n, "{\"groups\":[{\"conditions\":[");
	for (i = 0; i < CRM_SEGMENT_MAX_CONDITIONS + 1; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"x\"}",
		    i ? "," : "");
	n += (size_t)snprintf(big + n, sizeof(big) - n, "]}]}");
	assert_true(n < sizeof(big));
	assert_int_equal(crm_segment_compile_text(arena, big, n, NULL, 0, &j, &out, &err), CRM_EINVAL);
	assert_string_equal(err.msgid, "Too many conditions: a segment has at most 40.");
	json_decref(j);
}

/* tmpl with its one "%s" replaced by v. */
static void
fill(char *dst, size_t n, const char *tmpl, const char *v)
{
	const char *at = strstr(tmpl, "%s");

	assert_non_null(at);
	snprintf(dst, n, "%.*s%s%s", (int)(at - tmpl), tmpl, v, at + 2);
}

/* Every slot a value can take stays a bind: the text is the same as for
 * a harmless value, and the attack is found verbatim among the binds. */
static void
test_injection_stays_bound(void **state)
{
	static const char *const attack = "x') OR 1=1; DROP TABLE contacts; -- '\\\"";
	static const char *const templates[] = {
		"{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"%s\"}",
		"{\"field\":\"contact.city\",\"op\":\"in\",\"value\":[\"a\",\"%s\"]}",
		"{\"field\":\"contact.tag\",\"op\":\"eq\",\"value\":\"%s\"}",
		"{\"field\":\"orders.category\",\"op\":\"eq\",\"value\":\"%s\",\"days\":5}",
		"{\"field\":\"orders.category_spend\",\"op\":\"gt\",\"value\":\"5\",\"category\":\"%s\",\"days\":5}",
		"{\"field\":\"custom.7\",\"op\":\"eq\",\"value\":\"%s\"}",
		"{\"field\":\"custom.7\",\"op\":\"starts_with\",\"value\":\"%s\"}",
	};
	char cond[1024], plain[1024], where[2048];
	char escaped[256];
	size_t t, i, k = 0;
	int found;

	(void)state;
	/* The attack as a JSON string literal. */
	for (i = 0; attack[i]; i++) {
		if (attack[i] == '"' || attack[i] == '\\')
			escaped[k++] = '\\';
		escaped[k++] = attack[i];
	}
	escaped[k] = '\0';
	for (t = 0; t < CRM_NELEM(templates); t++) {
		fill(plain, sizeof(plain), templates[t], "harmless");
		assert_int_equal(one(plain), CRM_OK);
		snprintf(where, sizeof(where), "%s", out.where);
		fill(cond, sizeof(cond), templates[t], escaped);
		assert_int_equal(one(cond), CRM_OK);
		assert_string_equal(out.where, where);
		assert_null(strstr(out.where, "DROP"));
		for (found = 0, i = 0; i < out.nbinds; i++)
			if (out.binds[i].type == CRM_DB_STR && strstr(out.binds[i].s, "DROP TABLE") != NULL)
				found = 1;
		assert_true(found);
	}
	/* Slots that must be numbers refuse it outright. */
	snprintf(cond, sizeof(cond), "{\"field\":\"orders.spend\",\"op\":\"gt\",\"value\":\"%s\",\"days\":5}", escaped);
	assert_int_equal(one(cond), CRM_EINVAL);
	snprintf(cond, sizeof(cond), "{\"field\":\"orders.spend\",\"op\":\"gt\",\"value\":\"5\",\"days\":\"%s\"}", escaped);
	assert_int_equal(one(cond), CRM_EINVAL);
	snprintf(cond, sizeof(cond), "{\"field\":\"contact.birthday\",\"op\":\"eq\",\"value\":\"%s\"}", escaped);
	assert_int_equal(one(cond), CRM_EINVAL);
	snprintf(cond, sizeof(cond), "{\"field\":\"%s\",\"op\":\"eq\",\"value\":\"x\"}", escaped);
	assert_int_equal(one(cond), CRM_EINVAL);
	assert_string_equal(err.msgid, "Unknown field.");
}

static void
test_registry(void **state)
{
	const struct crm_segment_field *f;
	size_t i;

	(void)state;
	for (i = 0; (f = crm_segment_field_at(i)) != NULL; i++) {
		assert_non_null(crm_segment_ops(f->kind));
		assert_non_null(crm_segment_op_label(crm_segment_ops(f->kind)[0]));
	}
	assert_true(i >= 20);
	assert_null(crm_segment_op_label("drop"));
	assert_int_equal(crm_segment_op_takes_value("between"), 2);
	assert_int_equal(crm_segment_op_takes_value("is_empty"), 0);
	assert_true(crm_segment_kind_takes_days(CRM_SEGMENT_ORDER_SPEND));
	assert_true(crm_segment_kind_takes_category(CRM_SEGMENT_ORDER_CATEGORY_SPEND));
	assert_false(crm_segment_kind_takes_days(CRM_SEGMENT_TEXT));
}

/* The analytics' figures: a set of scored accounts; "is not" and "is
 * empty" the complement, which takes in accounts never scored. */
static void
test_scores(void **state)
{
	(void)state;
	expect("{\"field\":\"score.churn\",\"op\":\"gt\",\"value\":\"70\"}",
	    "((" IN("c.account_id") "sc.account_id AS id FROM customer_scores sc WHERE sc.churn_probability * 100 > "
	    DEC END_IN "))", 1);
	assert_string_equal(bind_s(0), "70");
	expect("{\"field\":\"score.segment\",\"op\":\"ne\",\"value\":\"2\"}",
	    "((" NOT_IN("c.account_id") "sc.account_id AS id FROM customer_scores sc WHERE sc.segment = " DEC END "))", 1);
	expect("{\"field\":\"score.sentiment\",\"op\":\"between\",\"value\":\"-1\",\"value2\":\"-0.25\"}",
	    "((" IN("c.account_id") "sc.account_id AS id FROM customer_scores sc WHERE sc.sentiment BETWEEN " DEC
	    " AND " DEC END_IN "))", 2);
	assert_string_equal(bind_s(1), "-0.25");
	expect("{\"field\":\"score.clv\",\"op\":\"is_empty\"}",
	    "((" NOT_IN("c.account_id") "sc.account_id AS id FROM customer_scores sc WHERE sc.clv IS NOT NULL" END "))", 0);
	expect_error("{\"field\":\"score.churn\",\"op\":\"contains\",\"value\":\"7\"}",
	    "This operator does not apply to this field.");
	expect_error("{\"field\":\"score.churn\",\"op\":\"gt\",\"value\":\"1; DROP TABLE users\"}",
	    "Enter a number such as 1000 or 99.5.");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_fields),
		cmocka_unit_test(test_dates_and_flags),
		cmocka_unit_test(test_tags_activity_orders),
		cmocka_unit_test(test_custom_fields),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_injection_stays_bound),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_scores),
	};
	int rc;

	arena = crm_arena_new(65536);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(last);
	crm_arena_free(arena);
	return rc;
}
