/* The report compiler: the SQL text and binds of valid definitions, every
 * invalid entity, measure, field, operator and bucket refused, and
 * injection attempts in every slot kept out of the text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "crm_report.h"

static struct crm_arena *arena;
static struct crm_report_sql out;
static struct crm_report_error err;
static json_t *last;    /* the latest definition: out's binds point into it */
static const struct crm_report_reader reader = { "team", 42, 7 };

static enum crm_err
compile(const char *text)
{
	json_decref(last);
	return crm_report_compile_text(arena, text, strlen(text), &reader, &last, &out, &err);
}

static void
expect_sql(const char *text, const char *sql, size_t nbinds)
{
	if (compile(text) != CRM_OK)
		fail_msg("%s: %s (%s)", text, err.msgid, err.key);
	assert_string_equal(out.sql, sql);
	assert_int_equal(out.nbinds, nbinds);
}

static void
expect_error(const char *text, const char *key, size_t filter, const char *msgid)
{
	if (compile(text) != CRM_EINVAL)
		fail_msg("accepted: %s", text);
	assert_non_null(err.msgid);
	assert_string_equal(err.key, key);
	assert_int_equal(err.filter, filter);
	if (msgid != NULL)
		assert_string_equal(err.msgid, msgid);
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

/* The scope's 5 binds from i: scope, user, scope, team, team. */
static void
expect_scope(size_t i)
{
	assert_string_equal(bind_s(i), "team");
	assert_int_equal(bind_i(i + 1), 42);
	assert_string_equal(bind_s(i + 2), "team");
	assert_int_equal(bind_i(i + 3), 7);
	assert_int_equal(bind_i(i + 4), 7);
}

#define HEAD "SET STATEMENT max_statement_time = 5 FOR SELECT "
#define OWNER_SCOPE(t) " AND (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"

static void
test_count_total(void **state)
{
	(void)state;
	expect_sql("{\"entity\":\"accounts\",\"measure\":\"count\"}",
	    HEAD "COUNT(*) AS v FROM accounts x STRAIGHT_JOIN users o ON o.id = x.owner_id WHERE x.deleted_at IS NULL"
	    OWNER_SCOPE("x") " LIMIT 501", 5);
	expect_scope(0);
	assert_int_equal(out.ndims, 0);
	assert_null(out.measure_field);
	assert_string_equal(out.entity->name, "accounts");
}

static void
test_sum_by_month_and_status(void **state)
{
	(void)state;
	expect_sql("{\"entity\":\"orders\",\"measure\":\"sum\",\"field\":\"total_base\",\"group_by\":[\"status\"],"
	    "\"bucket\":\"month\",\"date_field\":\"ordered_on\","
	    "\"filters\":[{\"field\":\"status\",\"op\":\"ne\",\"value\":\"cancelled\"},"
	    "{\"field\":\"total_base\",\"op\":\"gt\",\"value\":\"100.50\"}]}",
	    HEAD "DATE_FORMAT(x.ordered_on, '%Y-%m') AS d1, IFNULL(x.status, '') AS d2, IFNULL(SUM(x.total_base), 0) AS v"
	    " FROM orders x STRAIGHT_JOIN users o ON o.id = x.owner_id LEFT JOIN accounts ac ON ac.id = x.account_id"
	    " WHERE 1" OWNER_SCOPE("x") " AND x.ordered_on IS NOT NULL AND NOT (x.status <=> ?)"
	    " AND (x.total_base) > CAST(? AS DECIMAL(21,6)) GROUP BY d1, d2 ORDER BY d1, MIN(x.status + 0), d2 LIMIT 501", 7);
	expect_scope(0);
	assert_string_equal(bind_s(5), "cancelled");
	assert_string_equal(bind_s(6), "100.50");
	assert_int_equal(out.ndims, 2);
	assert_string_equal(out.dims[0]->name, "ordered_on");
	assert_string_equal(out.dims[1]->name, "status");
	assert_string_equal(out.bucket, "month");
	assert_string_equal(out.measure_field->name, "total_base");
	assert_int_equal(out.nused, 3);
}

static void
test_two_groups_avg(void **state)
{
	(void)state;
	expect_sql("{\"entity\":\"opportunities\",\"measure\":\"avg\",\"field\":\"amount\",\"group_by\":[\"stage\",\"owner\"]}",
	    HEAD "IFNULL(s.name, '') AS d1, IFNULL(o.name, '') AS d2, ROUND(AVG(x.amount), 2) AS v"
	    " FROM opportunities x STRAIGHT_JOIN users o ON o.id = x.owner_id"
	    " JOIN pipeline_stages s ON s.id = x.stage_id LEFT JOIN accounts ac ON ac.id = x.account_id"
	    " WHERE x.deleted_at IS NULL" OWNER_SCOPE("x") " GROUP BY d1, d2 ORDER BY MIN(s.position), d1, d2 LIMIT 501", 5);
}

static void
test_buckets(void **state)
{
	static const char *const want[][2] = {
		{ "day", "DATE_FORMAT(x.created_at, '%Y-%m-%d')" },
		{ "week", "DATE_FORMAT(x.created_at - INTERVAL WEEKDAY(x.created_at) DAY, '%Y-%m-%d')" },
		{ "month", "DATE_FORMAT(x.created_at, '%Y-%m')" },
		{ "quarter", "CONCAT(YEAR(x.created_at), '-Q', QUARTER(x.created_at))" },
		{ "year", "DATE_FORMAT(x.created_at, '%Y')" },
	};
	char def[256], sql[1024];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(def, sizeof(def), "{\"entity\":\"leads\",\"measure\":\"count\",\"bucket\":\"%s\","
		    "\"date_field\":\"created_at\"}", want[i][0]);
		snprintf(sql, sizeof(sql), HEAD "%s AS d1, COUNT(*) AS v FROM leads x STRAIGHT_JOIN users o ON"
		    " o.id = x.owner_id WHERE x.deleted_at IS NULL" OWNER_SCOPE("x") " AND x.created_at IS NOT NULL"
		    " GROUP BY d1 ORDER BY d1 LIMIT 501", want[i][1]);
		expect_sql(def, sql, 5);
	}
}

static void
test_scopes(void **state)
{
	(void)state;
	/* Tickets: the agent's, or nobody's. */
	expect_sql("{\"entity\":\"tickets\",\"measure\":\"count\",\"group_by\":[\"is_open\"]}",
	    HEAD "IF(x.is_open, 'yes', 'no') AS d1, COUNT(*) AS v FROM tickets x LEFT JOIN users o ON o.id = x.owner_id"
	    " LEFT JOIN ticket_categories tc ON tc.id = x.category_id WHERE x.deleted_at IS NULL"
	    " AND ( (? = 'all' OR x.owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?)) OR x.owner_id IS NULL)"
	    " GROUP BY d1 ORDER BY d1 LIMIT 501", 5);
	expect_scope(0);
	/* Activities: the assignee first, then the scope. */
	assert_int_equal(compile("{\"entity\":\"activities\",\"measure\":\"count\"}"), CRM_OK);
	assert_non_null(strstr(out.sql, " AND (x.assignee_id = ? OR ? = 'all' OR o.id = ? OR"
	    " (? = 'team' AND ? <> 0 AND o.team_id = ?)) LIMIT 501"));
	assert_int_equal(out.nbinds, 6);
	assert_int_equal(bind_i(0), 42);
	expect_scope(1);
	/* Campaign members: their campaign's owner. */
	assert_int_equal(compile("{\"entity\":\"campaign_members\",\"measure\":\"count\"}"), CRM_OK);
	assert_non_null(strstr(out.sql, OWNER_SCOPE("cp")));
	/* No reader: all. */
	json_decref(last);
	assert_int_equal(crm_report_compile_text(arena, "{\"entity\":\"contacts\",\"measure\":\"count\"}", 39, NULL,
	    &last, &out, &err), CRM_OK);
	assert_string_equal(bind_s(0), "all");
	assert_int_equal(bind_i(1), 0);
}

/* One filter on one entity: the fragment after the scope and its binds. */
static void
expect_filter(const char *entity, const char *filter, const char *fragment, size_t nbinds)
{
	char def[1024];

	snprintf(def, sizeof(def), "{\"entity\":\"%s\",\"measure\":\"count\",\"filters\":[%s]}", entity, filter);
	if (compile(def) != CRM_OK)
		fail_msg("%s: %s", def, err.msgid);
	if (strstr(out.sql, fragment) == NULL)
		fail_msg("%s: no \"%s\" in %s", filter, fragment, out.sql);
	if (out.nbinds != 5 + nbinds)
		fail_msg("%s: %zu binds", filter, out.nbinds);
}

static void
test_filters(void **state)
{
	(void)state;
	expect_filter("contacts", "{\"field\":\"city\",\"op\":\"eq\",\"value\":\"Berlin\"}", ") AND x.city = ? LIMIT", 1);
	assert_string_equal(bind_s(5), "Berlin");
	expect_filter("contacts", "{\"field\":\"city\",\"op\":\"ne\",\"value\":\"Berlin\"}", " AND NOT (x.city <=> ?)", 1);
	expect_filter("contacts", "{\"field\":\"title\",\"op\":\"contains\",\"value\":\"50%_off\\\\\"}",
	    " AND x.title LIKE CONCAT('%', ?, '%')", 1);
	assert_string_equal(bind_s(5), "50\\%\\_off\\\\");
	expect_filter("contacts", "{\"field\":\"title\",\"op\":\"starts_with\",\"value\":\"Head\"}",
	    " AND x.title LIKE CONCAT(?, '%')", 1);
	expect_filter("contacts", "{\"field\":\"region\",\"op\":\"is_empty\"}", " AND IFNULL(x.region, '') = ''", 0);
	expect_filter("contacts", "{\"field\":\"region\",\"op\":\"not_empty\"}", " AND IFNULL(x.region, '') <> ''", 0);
	expect_filter("contacts", "{\"field\":\"consent_email\",\"op\":\"eq\",\"value\":\"yes\"}",
	    " AND (x.consent_email) = ?", 1);
	assert_int_equal(bind_i(5), 1);
	expect_filter("contacts", "{\"field\":\"consent_email\",\"op\":\"eq\",\"value\":false}",
	    " AND (x.consent_email) = ?", 1);
	assert_int_equal(bind_i(5), 0);
	expect_filter("leads", "{\"field\":\"status\",\"op\":\"eq\",\"value\":\"qualified\"}", " AND x.status = ?", 1);
	expect_filter("leads", "{\"field\":\"score\",\"op\":\"between\",\"value\":\"10\",\"value2\":50}",
	    " AND (x.score) BETWEEN CAST(? AS DECIMAL(21,6)) AND CAST(? AS DECIMAL(21,6))", 2);
	assert_string_equal(bind_s(5), "10");
	assert_string_equal(bind_s(6), "50");
	expect_filter("leads", "{\"field\":\"score\",\"op\":\"ne\",\"value\":\"-5\"}",
	    " AND NOT (x.score <=> CAST(? AS DECIMAL(21,6)))", 1);
	expect_filter("leads", "{\"field\":\"score\",\"op\":\"is_empty\"}", " AND (x.score) IS NULL", 0);
	expect_filter("orders", "{\"field\":\"ordered_on\",\"op\":\"eq\",\"value\":\"2026-01-31\"}",
	    " AND x.ordered_on >= CAST(? AS DATE) AND x.ordered_on < CAST(? AS DATE) + INTERVAL 1 DAY", 2);
	assert_string_equal(bind_s(6), "2026-01-31");
	expect_filter("orders", "{\"field\":\"ordered_on\",\"op\":\"between\",\"value\":\"2026-01-01\","
	    "\"value2\":\"2026-03-31\"}",
	    " AND x.ordered_on >= CAST(? AS DATE) AND x.ordered_on < CAST(? AS DATE) + INTERVAL 1 DAY", 2);
	assert_string_equal(bind_s(6), "2026-03-31");
	expect_filter("orders", "{\"field\":\"ordered_on\",\"op\":\"gt\",\"value\":\"2026-01-01\"}",
	    " AND x.ordered_on >= CAST(? AS DATE) + INTERVAL 1 DAY", 1);
	expect_filter("orders", "{\"field\":\"ordered_on\",\"op\":\"lt\",\"value\":\"2026-01-01\"}",
	    " AND x.ordered_on < CAST(? AS DATE)", 1);
	expect_filter("orders", "{\"field\":\"shipped_on\",\"op\":\"within_days\",\"value\":30}",
	    " AND x.shipped_on >= UTC_DATE() - INTERVAL ? DAY", 1);
	assert_int_equal(bind_i(5), 30);
	/* (an activity's scope takes 6 binds, one more than the others') */
	expect_filter("activities", "{\"field\":\"done\",\"op\":\"eq\",\"value\":\"no\"}",
	    " AND (x.done_at IS NOT NULL) = ?", 2);
	assert_int_equal(bind_i(6), 0);
	/* Several filters: ANDed, binds in order. */
	expect_filter("tickets", "{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"high\"},"
	    "{\"field\":\"category\",\"op\":\"eq\",\"value\":\"Billing\"}",
	    " AND x.priority = ? AND tc.name = ? LIMIT 501", 2);
	assert_string_equal(bind_s(5), "high");
	assert_string_equal(bind_s(6), "Billing");
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("[]", "entity", 0, "This is not a report definition.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"sql\":\"x\"}", "entity", 0, NULL);
	expect_error("{\"measure\":\"count\"}", "entity", 0, "Choose what the report counts.");
	expect_error("{\"entity\":\"users\",\"measure\":\"count\"}", "entity", 0, NULL);
	expect_error("{\"entity\":\"Accounts\",\"measure\":\"count\"}", "entity", 0, NULL);
	expect_error("{\"entity\":7,\"measure\":\"count\"}", "entity", 0, NULL);
	expect_error("{\"entity\":\"accounts\"}", "measure", 0, "Choose count, sum or average.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"max\"}", "measure", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"field\":\"annual_revenue\"}", "field", 0,
	    "A count adds up no field.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"sum\"}", "field", 0, "Choose a field to add up.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"sum\",\"field\":\"city\"}", "field", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"avg\",\"field\":\"amount\"}", "field", 0, NULL);
	expect_error("{\"entity\":\"campaign_members\",\"measure\":\"sum\",\"field\":\"status\"}", "field", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":\"city\"}", "group_by", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"annual_revenue\"]}", "group_by", 0,
	    "This field cannot group the report.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"name\"]}", "group_by", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"created_at\"]}", "group_by", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"stage\"]}", "group_by", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"city\",\"city\"]}", "group_by", 0,
	    "Group by two different fields.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"city\",\"owner\",\"size\"]}",
	    "group_by", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"city\",\"owner\"],"
	    "\"bucket\":\"month\",\"date_field\":\"created_at\"}", "group_by", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"bucket\":\"hour\",\"date_field\":\"created_at\"}",
	    "bucket", 0, "Choose a period: day, week, month, quarter or year.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"bucket\":\"month\"}", "date_field", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"bucket\":\"month\",\"date_field\":\"city\"}",
	    "date_field", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"date_field\":\"created_at\"}", "bucket", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"bucket\":3}", "bucket", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":{}}", "filters", 0, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[1]}", "filters", 1, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"status\",\"op\":\"eq\","
	    "\"value\":\"x\"}]}", "filters", 1, "Unknown field.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"city\",\"op\":\"eq\","
	    "\"value\":\"a\"},{\"field\":\"city\",\"op\":\"gt\",\"value\":\"b\"}]}", "filters", 2,
	    "This operator does not apply to this field.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"city\",\"op\":\"like\","
	    "\"value\":\"a\"}]}", "filters", 1, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"city\"}]}", "filters", 1,
	    NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"city\",\"op\":\"eq\"}]}",
	    "filters", 1, "Enter a value of up to 200 characters.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"annual_revenue\","
	    "\"op\":\"gt\",\"value\":\"1e5\"}]}", "filters", 1, "Enter a number such as 1000 or 99.5.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"annual_revenue\","
	    "\"op\":\"between\",\"value\":\"1\",\"value2\":\"x\"}]}", "filters", 1, NULL);
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"created_at\","
	    "\"op\":\"eq\",\"value\":\"2026-02-30\"}]}", "filters", 1, "Enter a date as YYYY-MM-DD.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"created_at\","
	    "\"op\":\"within_days\",\"value\":\"0\"}]}", "filters", 1, "Enter a number of days from 1 to 3650.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"created_at\","
	    "\"op\":\"within_days\",\"value\":\"3651\"}]}", "filters", 1, NULL);
	expect_error("{\"entity\":\"leads\",\"measure\":\"count\",\"filters\":[{\"field\":\"status\",\"op\":\"eq\","
	    "\"value\":\"won\"}]}", "filters", 1, "Choose one of the field's values.");
	expect_error("{\"entity\":\"leads\",\"measure\":\"count\",\"filters\":[{\"field\":\"status\",\"op\":\"contains\","
	    "\"value\":\"new\"}]}", "filters", 1, NULL);
	expect_error("{\"entity\":\"contacts\",\"measure\":\"count\",\"filters\":[{\"field\":\"consent_email\","
	    "\"op\":\"eq\",\"value\":\"maybe\"}]}", "filters", 1, "Choose yes or no.");
	expect_error("{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[{\"field\":\"city\",\"op\":\"eq\","
	    "\"value\":\"a\\u0001b\"}]}", "filters", 1, NULL);
	{
		char def[2048] = "{\"entity\":\"accounts\",\"measure\":\"count\",\"filters\":[";
		int i;

		for (i = 0; i < 11; i++)
			strcat(def, i ? ",{\"field\":\"city\",\"op\":\"is_empty\"}" : "{\"field\":\"city\",\"op\":\"is_empty\"}");
		strcat(def, "]}");
		expect_error(def, "filters", 0, "A report has at most 10 filters.");
	}
	/* Not JSON, and too long. */
	assert_int_equal(compile("{\"entity\":"), CRM_EINVAL);
	assert_null(last);
	assert_int_equal(crm_report_compile_text(arena, "{}", CRM_REPORT_MAX_JSON + 1, &reader, &last, &out, &err),
	    CRM_ETOOBIG);
	assert_null(out.sql);
}

/* slot with its '@' replaced by v. */
static void
fill(char *buf, size_t size, const char *slot, const char *v)
{
	const char *at = strchr(slot, '@');

	assert_non_null(at);
	snprintf(buf, size, "%.*s%s%s", (int)(at - slot), slot, v, at + 1);
}

/* Every slot given SQL: names are refused, values bound as they are, and
 * no byte of any of them reaches the text. */
static void
test_injection(void **state)
{
	static const char *const evil[] = {
		"x'; DROP TABLE users; --", "x\" OR 1=1 --", "`owner_id`", "1) OR (1=1", "o.password_hash",
		"x.deleted_at IS NULL OR 1", "%' OR '%'='",
	};
	static const char *const slots[] = {
		"{\"entity\":\"@\",\"measure\":\"count\"}",
		"{\"entity\":\"orders\",\"measure\":\"@\"}",
		"{\"entity\":\"orders\",\"measure\":\"sum\",\"field\":\"@\"}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"group_by\":[\"@\"]}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"group_by\":[\"status\",\"@\"]}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"bucket\":\"@\",\"date_field\":\"ordered_on\"}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"bucket\":\"day\",\"date_field\":\"@\"}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"filters\":[{\"field\":\"@\",\"op\":\"eq\",\"value\":\"a\"}]}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"filters\":[{\"field\":\"account\",\"op\":\"@\",\"value\":\"a\"}]}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"filters\":[{\"field\":\"status\",\"op\":\"eq\",\"value\":\"@\"}]}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"filters\":[{\"field\":\"total_base\",\"op\":\"gt\",\"value\":\"@\"}]}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"filters\":[{\"field\":\"ordered_on\",\"op\":\"lt\",\"value\":\"@\"}]}",
		"{\"entity\":\"orders\",\"measure\":\"count\",\"filters\":[{\"field\":\"ordered_on\",\"op\":\"within_days\",\"value\":\"@\"}]}",
	};
	char def[1024], esc[128];
	size_t i, j, k, n;

	(void)state;
	for (i = 0; i < CRM_NELEM(evil); i++) {
		/* As a JSON string. */
		for (j = 0, n = 0; evil[i][j]; j++) {
			if (evil[i][j] == '"')
				esc[n++] = '\\';
			esc[n++] = evil[i][j];
		}
		esc[n] = '\0';
		for (j = 0; j < CRM_NELEM(slots); j++) {
			fill(def, sizeof(def), slots[j], esc);
			if (compile(def) == CRM_OK)
				fail_msg("accepted %s", def);
			assert_null(out.sql);
		}
		/* Text values are bound, verbatim or LIKE-escaped. */
		snprintf(def, sizeof(def), "{\"entity\":\"orders\",\"measure\":\"count\",\"filters\":["
		    "{\"field\":\"account\",\"op\":\"eq\",\"value\":\"%s\"},"
		    "{\"field\":\"owner\",\"op\":\"contains\",\"value\":\"%s\"},"
		    "{\"field\":\"currency\",\"op\":\"ne\",\"value\":\"%s\"}]}", esc, esc, esc);
		assert_int_equal(compile(def), CRM_OK);
		assert_null(strstr(out.sql, evil[i]));
		assert_null(strstr(out.sql, "DROP"));
		assert_null(strstr(out.sql, "1=1"));
		assert_string_equal(bind_s(5), evil[i]);
		assert_string_equal(bind_s(7), evil[i]);
		for (k = 0, n = 0; k < out.nbinds; k++)
			n += out.binds[k].type == CRM_DB_STR && out.binds[k].s != NULL &&
			    strstr(out.binds[k].s, "DROP") != NULL;
		assert_int_equal(n, strstr(evil[i], "DROP") ? 3 : 0);
	}
}

/* The catalogue holds together: every entity names its permission and
 * scope; every field has an expression, a choice its values, a type
 * operators; and a definition using every field of an entity compiles. */
static void
test_catalogue(void **state)
{
	const struct crm_report_entity *e;
	const struct crm_report_field *f;
	char def[8192], *p;
	size_t i, j;
	int sum, bucket;

	(void)state;
	for (i = 0; (e = crm_report_entity_at(i)) != NULL; i++) {
		assert_ptr_equal(crm_report_entity(e->name), e);
		assert_non_null(e->perm);
		assert_non_null(strstr(e->scope_sql, "?"));
		p = def + snprintf(def, sizeof(def), "{\"entity\":\"%s\",\"measure\":\"count\",\"filters\":[", e->name);
		sum = bucket = 0;
		for (j = 0; j < e->nfields; j++) {
			f = &e->fields[j];
			assert_non_null(f->expr);
			assert_non_null(crm_report_ops(f->type));
			assert_true(f->uses & CRM_REPORT_FILTER);
			assert_true((f->type == CRM_REPORT_CHOICE) == (f->choices != NULL));
			/* A choice's groups sort in its ENUM's order. */
			assert_true(f->type != CRM_REPORT_CHOICE || (f->order != NULL && strstr(f->order, " + 0)") != NULL));
			assert_true(!(f->uses & CRM_REPORT_BUCKET) || f->type == CRM_REPORT_DATE);
			assert_true(!(f->uses & CRM_REPORT_SUM) || f->type == CRM_REPORT_NUMBER);
			sum += (f->uses & CRM_REPORT_SUM) != 0;
			bucket += (f->uses & CRM_REPORT_BUCKET) != 0;
			if (f->type == CRM_REPORT_BOOL)
				p += sprintf(p, "%s{\"field\":\"%s\",\"op\":\"eq\",\"value\":true}", j ? "," : "", f->name);
			else if (f->type == CRM_REPORT_CHOICE)
				p += sprintf(p, "%s{\"field\":\"%s\",\"op\":\"ne\",\"value\":\"%s\"}", j ? "," : "",
				    f->name, f->choices[0]);
			else
				p += sprintf(p, "%s{\"field\":\"%s\",\"op\":\"not_empty\"}", j ? "," : "", f->name);
			if (j + 1 == CRM_REPORT_MAX_FILTERS)
				break;
		}
		strcpy(p, "]}");
		if (compile(def) != CRM_OK)
			fail_msg("%s: %s", def, err.msgid);
		assert_true(bucket > 0);
		(void)sum;
	}
	assert_null(crm_report_entity("nope"));
	assert_string_equal(crm_report_op_label("between"), "is between");
	assert_int_equal(crm_report_op_values("between"), 2);
	assert_int_equal(crm_report_op_values("is_empty"), 0);
	assert_null(crm_report_op_label("like"));
	assert_string_equal(crm_report_bucket_label("quarter"), "Quarter");
	assert_null(crm_report_bucket_label("hour"));
	assert_string_equal(crm_report_measure_label("avg"), "Average");
}

static int
setup(void **state)
{
	(void)state;
	arena = crm_arena_new(64 * 1024);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(last);
	crm_arena_free(arena);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_total),
		cmocka_unit_test(test_sum_by_month_and_status),
		cmocka_unit_test(test_two_groups_avg),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_catalogue),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
