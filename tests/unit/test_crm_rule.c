/* Rules, the pure half: the entities and their whitelists against the
 * report catalogue, valid definitions parsed into actions, every kind of
 * bad definition refused with its part and place, and the SQL of a
 * rule's conditions and of its dates made of fragments with every value
 * a bind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "crm_rule.h"

static struct crm_arena *arena;
static struct crm_rule rule;
static struct crm_rule_error err;
static json_t *last;    /* the latest definition: rule's strings point into it */

static enum crm_err
parse(const char *text)
{
	json_decref(last);
	return crm_rule_parse_text(arena, text, strlen(text), &last, &rule, &err);
}

static void
expect_ok(const char *text)
{
	if (parse(text) != CRM_OK)
		fail_msg("%s: %s (%s %zu)", text, err.msgid, err.key, err.item);
}

static void
expect_error(const char *text, const char *key, size_t item)
{
	if (parse(text) == CRM_OK)
		fail_msg("accepted: %s", text);
	assert_non_null(err.msgid);
	if (strcmp(err.key, key) != 0 || err.item != item)
		fail_msg("%s: %s %zu (%s), wanted %s %zu", text, err.key, err.item, err.msgid, key, item);
}

static void
test_catalogue(void **state)
{
	const char *const names[] = { "accounts", "contacts", "leads", "opportunities", "orders", "tickets",
		"activities", "quotes" };
	const char *const audits[] = { "account", "contact", "lead", "opportunity", "order", "ticket", "activity",
		"quote" };
	size_t i, k;

	(void)state;
	for (i = 0; i < CRM_NELEM(names); i++) {
		const struct crm_rule_entity *e = crm_rule_entity(names[i]);
		const struct crm_report_entity *re = crm_report_entity(names[i]);

		assert_non_null(e);
		assert_non_null(re);
		assert_ptr_equal(crm_rule_entity_audit(audits[i]), e);
		assert_non_null(e->record_sql);
		/* A time rule's dates are dates of the catalogue. */
		for (k = 0; e->time_fields[k] != NULL; k++) {
			const struct crm_report_field *f = crm_report_field(re, e->time_fields[k]);

			assert_non_null(f);
			assert_int_equal(f->type, CRM_REPORT_DATE);
		}
		assert_true(k > 0);
		for (k = 0; k < e->nsettable; k++)
			assert_ptr_equal(crm_rule_settable(e, e->settable[k].name), &e->settable[k]);
	}
	assert_null(crm_rule_entity_audit("user"));
	assert_null(crm_rule_entity_audit(NULL));
	assert_null(crm_rule_entity("campaign_members"));
	/* Quotes are in the report catalogue too, with their expiry. */
	assert_non_null(crm_report_field(crm_report_entity("quotes"), "valid_until"));
	for (i = 0; i < CRM_RULE_TRIGGER__MAX; i++)
		assert_non_null(crm_rule_trigger_label((enum crm_rule_trigger)i));
	for (i = 0; i < CRM_RULE_ACTION__MAX; i++)
		assert_non_null(crm_rule_action_label((enum crm_rule_action_type)i));
	assert_null(crm_rule_trigger_label(CRM_RULE_TRIGGER__MAX));
}

static void
test_valid(void **state)
{
	(void)state;
	expect_ok("{\"entity\":\"tickets\",\"trigger\":\"update\","
	    "\"conditions\":[{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"urgent\"}],"
	    "\"actions\":[{\"type\":\"set_field\",\"field\":\"priority\",\"value\":\"high\"},"
	    "{\"type\":\"assign\",\"to\":\"team\",\"team_id\":\"7\"},"
	    "{\"type\":\"task\",\"kind\":\"call\",\"subject\":\"Ring\",\"due_days\":2,\"to\":\"user\",\"user_id\":3},"
	    "{\"type\":\"email\",\"template_id\":5,\"to\":\"contact\"},"
	    "{\"type\":\"notify\"},{\"type\":\"webhook\",\"webhook_id\":9}]}");
	assert_int_equal(rule.trigger, CRM_RULE_UPDATE);
	assert_string_equal(rule.info->table, "tickets");
	assert_int_equal(rule.nactions, 6);
	assert_int_equal(rule.actions[0].type, CRM_RULE_SET_FIELD);
	assert_string_equal(rule.actions[0].field->name, "priority");
	assert_string_equal(rule.actions[0].value, "high");
	assert_int_equal(rule.actions[1].team_id, 7);
	assert_int_equal(rule.actions[2].user_id, 3);
	assert_int_equal(rule.actions[2].due_days, 2);
	assert_string_equal(rule.actions[2].kind, "call");
	assert_int_equal(rule.actions[3].template_id, 5);
	/* Whom, when not said, is the record's owner. */
	assert_string_equal(rule.actions[4].to, "owner");
	assert_int_equal(rule.actions[5].webhook_id, 9);

	expect_ok("{\"entity\":\"quotes\",\"trigger\":\"time\",\"date_field\":\"valid_until\",\"offset_days\":-7,"
	    "\"actions\":[{\"type\":\"notify\",\"to\":\"owner\"}]}");
	assert_int_equal(rule.trigger, CRM_RULE_TIME);
	assert_int_equal(rule.offset_days, -7);
	assert_string_equal(rule.date_field->name, "valid_until");

	expect_ok("{\"entity\":\"leads\",\"trigger\":\"create\",\"actions\":[{\"type\":\"set_field\",\"field\":\"score\","
	    "\"value\":\"40\"},{\"type\":\"set_field\",\"field\":\"source\",\"value\":\"\"}]}");
	assert_string_equal(rule.actions[0].value, "40");
	assert_string_equal(rule.actions[1].value, "");
	expect_ok("{\"entity\":\"contacts\",\"trigger\":\"delete\",\"conditions\":[],\"actions\":[{\"type\":\"webhook\","
	    "\"webhook_id\":1}]}");
}

static void
test_errors(void **state)
{
	char big[CRM_RULE_MAX_JSON + 64];

	(void)state;
	expect_error("[1]", "entity", 0);
	expect_error("{\"entity\":\"users\",\"trigger\":\"create\"}", "entity", 0);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"extra\":1}", "entity", 0);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"often\"}", "trigger", 0);
	expect_error("{\"entity\":\"tickets\",\"trigger\":7}", "trigger", 0);
	expect_error("{\"entity\":\"quotes\",\"trigger\":\"time\",\"actions\":[{\"type\":\"notify\"}]}", "date_field", 0);
	expect_error("{\"entity\":\"quotes\",\"trigger\":\"time\",\"date_field\":\"total\",\"actions\":[{\"type\":\"notify\"}]}",
	    "date_field", 0);
	expect_error("{\"entity\":\"contacts\",\"trigger\":\"time\",\"date_field\":\"birthday\",\"actions\":[{\"type\":\"notify\"}]}",
	    "date_field", 0);
	expect_error("{\"entity\":\"quotes\",\"trigger\":\"time\",\"date_field\":\"valid_until\",\"offset_days\":366,"
	    "\"actions\":[{\"type\":\"notify\"}]}", "offset_days", 0);
	expect_error("{\"entity\":\"quotes\",\"trigger\":\"time\",\"date_field\":\"valid_until\",\"offset_days\":\"1x\","
	    "\"actions\":[{\"type\":\"notify\"}]}", "offset_days", 0);
	expect_error("{\"entity\":\"quotes\",\"trigger\":\"create\",\"date_field\":\"valid_until\","
	    "\"actions\":[{\"type\":\"notify\"}]}", "date_field", 0);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"conditions\":{},\"actions\":[{\"type\":\"notify\"}]}",
	    "conditions", 0);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"conditions\":[{\"field\":\"priority\",\"op\":\"eq\","
	    "\"value\":\"low\"},{\"field\":\"nope\",\"op\":\"eq\",\"value\":\"1\"}],\"actions\":[{\"type\":\"notify\"}]}",
	    "conditions", 2);
	expect_error("{\"entity\":\"contacts\",\"trigger\":\"delete\",\"conditions\":[{\"field\":\"city\",\"op\":\"eq\","
	    "\"value\":\"x\"}],\"actions\":[{\"type\":\"notify\"}]}", "conditions", 0);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\"}", "actions", 0);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"notify\"},{\"type\":\"explode\"}]}",
	    "actions", 2);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"notify\",\"sql\":\"x\"}]}",
	    "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"set_field\",\"field\":\"status\","
	    "\"value\":\"closed\"}]}", "actions", 1);
	expect_error("{\"entity\":\"orders\",\"trigger\":\"create\",\"actions\":[{\"type\":\"set_field\",\"field\":\"status\","
	    "\"value\":\"shipped\"}]}", "actions", 1);
	expect_error("{\"entity\":\"leads\",\"trigger\":\"create\",\"actions\":[{\"type\":\"set_field\",\"field\":\"score\","
	    "\"value\":\"1001\"}]}", "actions", 1);
	expect_error("{\"entity\":\"accounts\",\"trigger\":\"create\",\"actions\":[{\"type\":\"set_field\",\"field\":\"size\","
	    "\"value\":\"a value much longer than twenty\"}]}", "actions", 1);
	expect_error("{\"entity\":\"contacts\",\"trigger\":\"delete\",\"actions\":[{\"type\":\"set_field\",\"field\":\"title\","
	    "\"value\":\"x\"}]}", "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"assign\",\"to\":\"user\"}]}",
	    "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"assign\",\"to\":\"team\","
	    "\"team_id\":0}]}", "actions", 1);
	expect_error("{\"entity\":\"leads\",\"trigger\":\"create\",\"actions\":[{\"type\":\"assign\",\"to\":\"account_owner\"}]}",
	    "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"task\",\"kind\":\"note\","
	    "\"subject\":\"x\"}]}", "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"task\",\"kind\":\"task\","
	    "\"subject\":\"\"}]}", "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"task\",\"kind\":\"task\","
	    "\"subject\":\"x\",\"due_days\":400}]}", "actions", 1);
	expect_error("{\"entity\":\"accounts\",\"trigger\":\"create\",\"actions\":[{\"type\":\"email\",\"template_id\":1,"
	    "\"to\":\"contact\"}]}", "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"email\",\"to\":\"owner\"}]}",
	    "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"notify\",\"to\":\"team\"}]}",
	    "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"webhook\",\"webhook_id\":\"-3\"}]}",
	    "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"webhook\",\"webhook_id\":\"-\"}]}",
	    "actions", 1);
	expect_error("{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"notify\"},{\"type\":\"notify\"},"
	    "{\"type\":\"notify\"},{\"type\":\"notify\"},{\"type\":\"notify\"},{\"type\":\"notify\"},{\"type\":\"notify\"},"
	    "{\"type\":\"notify\"},{\"type\":\"notify\"},{\"type\":\"notify\"},{\"type\":\"notify\"}]}", "actions", 0);
	expect_error("{\"entity\":\"tickets\",\"entity\":\"leads\"}", "entity", 0);
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = '{';
	big[sizeof(big) - 2] = '}';
	json_decref(last);
	assert_int_equal(crm_rule_parse_text(arena, big, strlen(big), &last, &rule, &err), CRM_ETOOBIG);
}

static void
test_match_sql(void **state)
{
	struct crm_sqlbuild q;
	const char *evil = "x'); DROP TABLE tickets; --";
	char text[256];

	(void)state;
	snprintf(text, sizeof(text), "{\"entity\":\"tickets\",\"trigger\":\"update\",\"conditions\":["
	    "{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"urgent\"},{\"field\":\"subject\",\"op\":\"contains\","
	    "\"value\":\"%s\"}],\"actions\":[{\"type\":\"notify\"}]}", evil);
	expect_ok(text);
	crm_sqlbuild_init(&q, arena, 256);
	assert_int_equal(crm_rule_match_sql(&rule, &q, 42), CRM_OK);
	assert_string_equal(q.sql.data, "SELECT x.id FROM tickets x LEFT JOIN users o ON o.id = x.owner_id"
	    " LEFT JOIN ticket_categories tc ON tc.id = x.category_id WHERE x.deleted_at IS NULL AND x.id = ?"
	    " AND x.priority = ? AND x.subject LIKE CONCAT('%', ?, '%')");
	assert_null(strstr(q.sql.data, "DROP"));
	assert_int_equal(q.nb, 3);
	assert_int_equal(q.b[0].type, CRM_DB_I64);
	assert_int_equal(q.b[0].i, 42);
	assert_string_equal(q.b[1].s, "urgent");
	assert_string_equal(q.b[2].s, evil);
}

static void
test_timer_sql(void **state)
{
	struct crm_sqlbuild q;

	(void)state;
	expect_ok("{\"entity\":\"quotes\",\"trigger\":\"time\",\"date_field\":\"valid_until\",\"offset_days\":-7,"
	    "\"conditions\":[{\"field\":\"status\",\"op\":\"eq\",\"value\":\"sent\"}],\"actions\":[{\"type\":\"notify\"}]}");
	crm_sqlbuild_init(&q, arena, 256);
	assert_int_equal(crm_rule_timer_sql(&rule, &q, 5, "2026-01-01", "2026-01-08", 100), CRM_OK);
	assert_string_equal(q.sql.data, "SELECT x.id, DATE_FORMAT(x.valid_until, '%Y-%m-%d') AS d FROM quotes x"
	    " STRAIGHT_JOIN users o ON o.id = x.owner_id LEFT JOIN accounts ac ON ac.id = x.account_id WHERE 1"
	    " AND x.valid_until >= CAST(? AS DATE) AND x.valid_until < CAST(? AS DATE) + INTERVAL 1 DAY"
	    " AND NOT EXISTS (SELECT 1 FROM rule_timers t WHERE t.rule_id = ? AND t.record_id = x.id"
	    " AND t.date_value = DATE(x.valid_until)) AND x.status = ? ORDER BY x.valid_until, x.id LIMIT ?");
	assert_int_equal(q.nb, 5);
	assert_string_equal(q.b[0].s, "2026-01-01");
	assert_string_equal(q.b[1].s, "2026-01-08");
	assert_int_equal(q.b[2].i, 5);
	assert_string_equal(q.b[3].s, "sent");
	assert_int_equal(q.b[4].i, 100);
	/* Only a time rule has dates. */
	expect_ok("{\"entity\":\"quotes\",\"trigger\":\"create\",\"actions\":[{\"type\":\"notify\"}]}");
	crm_sqlbuild_init(&q, arena, 256);
	assert_int_equal(crm_rule_timer_sql(&rule, &q, 5, "2026-01-01", "2026-01-08", 100), CRM_EINVAL);
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
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_match_sql),
		cmocka_unit_test(test_timer_sql),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
