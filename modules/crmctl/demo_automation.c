/* crmctl demo, automation: three rules a small business would start with,
 * enabled, so the runner acts on the demo's own changes from the first
 * minute: an urgent ticket tells its agent, a quote a week from expiry
 * gives its owner a call to make, and a won deal a thank-you task. Each
 * definition goes through the rule parser, as the admin form's would. */
#include <stdio.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_rule.h"
#include "demo.h"
#include "extern.h"

static const struct {
	const char *name, *definition;
} rules[] = {
	{ "Urgent tickets: tell the agent",
	  "{\"entity\":\"tickets\",\"trigger\":\"update\","
	  "\"conditions\":[{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"urgent\"}],"
	  "\"actions\":[{\"type\":\"notify\",\"to\":\"owner\"}]}" },
	{ "Quotes a week from expiry: a call for the owner",
	  "{\"entity\":\"quotes\",\"trigger\":\"time\",\"date_field\":\"valid_until\",\"offset_days\":-7,"
	  "\"conditions\":[{\"field\":\"status\",\"op\":\"eq\",\"value\":\"sent\"}],"
	  "\"actions\":[{\"type\":\"task\",\"kind\":\"call\",\"subject\":\"Call about the quote before it expires\","
	  "\"due_days\":2,\"to\":\"owner\"}]}" },
	{ "Won deals: a thank-you task",
	  "{\"entity\":\"opportunities\",\"trigger\":\"update\","
	  "\"conditions\":[{\"field\":\"stage_kind\",\"op\":\"eq\",\"value\":\"won\"}],"
	  "\"actions\":[{\"type\":\"task\",\"kind\":\"task\",\"subject\":\"Send a thank-you note\","
	  "\"due_days\":3,\"to\":\"owner\"}]}" },
};

int
demo_automation(struct crm_db *db)
{
	struct crm_arena *a = crm_arena_new(16384);
	struct crm_db_bind b[5];
	struct crm_rule rule;
	struct crm_rule_error err;
	json_t *def = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < CRM_NELEM(rules) && rc == 0; i++) {
		const char *text = rules[i].definition;

		if (crm_rule_parse_text(a, text, strlen(text), &def, &rule, &err) != CRM_OK) {
			fprintf(stderr, "crmctl: demo rule \"%s\": %s (%s)\n", rules[i].name, err.msgid,
			    err.key ? err.key : "");
			rc = 1;
		} else {
			crm_db_bind_str(&b[0], rules[i].name, (size_t)-1);
			crm_db_bind_str(&b[1], rule.entity->name, (size_t)-1);
			crm_db_bind_str(&b[2], crm_rule_triggers[rule.trigger], (size_t)-1);
			crm_db_bind_str(&b[3], text, (size_t)-1);
			crm_db_bind_str(&b[4], rules[i].name, (size_t)-1);
			if (crm_db_exec(db, STMT_DEMO_RULE, b, 5, NULL, NULL) != CRM_OK) {
				fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
				rc = 1;
			}
		}
		json_decref(def);
		def = NULL;
	}
	crm_arena_free(a);
	if (rc == 0)
		printf("added %zu automation rules\n", CRM_NELEM(rules));
	return rc;
}
