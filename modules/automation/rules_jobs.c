/* The runner's parts for rules: "rules" reads the audit log from the
 * 'rules' cursor and runs the rules each change concerns, in the
 * transaction that moves the cursor; "timers" fires the rules on dates.
 * The engine is lib/crm_rule_run.c; here each pass gets an arena of its
 * own, which jansson allocates from, freed when the pass ends. */
#include <stdio.h>

#include "crm_events.h"
#include "crm_rule.h"
#include "extern.h"

/* Events per pass: the part runs again at once while it finds work. */
#define RULES_BATCH 100

int
automation_rules_tick(struct crm_db *db, const struct crm_conf *conf, char *err, size_t errlen)
{
	struct crm_arena *a = crm_arena_new(16384);
	size_t done = 0;
	enum crm_err e;

	(void)conf;
	crm_arena_json_use(a);
	e = crm_events_run(db, "rules", RULES_BATCH, crm_rule_on_event, a, &done);
	crm_arena_json_use(NULL);
	crm_arena_free(a);
	if (e != CRM_OK) {
		snprintf(err, errlen, "reading changes: %s", crm_err_str(e));
		return -1;
	}
	return (int)done;
}

int
automation_timers_tick(struct crm_db *db, const struct crm_conf *conf, char *err, size_t errlen)
{
	struct crm_arena *a = crm_arena_new(16384);
	long long work = 0;
	enum crm_err e;

	(void)conf;
	crm_arena_json_use(a);
	e = crm_rule_timers(db, a, &work);
	crm_arena_json_use(NULL);
	crm_arena_free(a);
	if (e != CRM_OK) {
		snprintf(err, errlen, "time rules: %s", crm_err_str(e));
		return -1;
	}
	return (int)work;
}
