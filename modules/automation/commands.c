/* crm-automation's commands: crm-automation [--config FILE] jobs. The job
 * runner is one process that takes turns at its parts (rules, webhooks,
 * notifications, mailboxes): a part runs when its interval has passed, or
 * at once again while it still finds work. A failing part is logged and
 * recorded for the automation page, and the others go on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crm_events.h"
#include "crm_i18n.h"
#include "crm_log.h"
#include "crm_runner.h"
#include "extern.h"

#define MAX_PARTS 16

const struct automation_part automation_parts[] = {
	/* @@parts-rules */
	{ "rules", N_("Runs the rules on each change to a record"), 1, automation_rules_tick },
	{ "timers", N_("Runs the rules on dates (days before or after)"), 60, automation_timers_tick },
	/* @@parts-webhooks */
	{ "webhooks", N_("Queues a delivery for each change a webhook listens to, and sends them, signed, retrying with back-off"),
	    2, automation_webhooks_tick },
	{ "notifications", N_("Tells users what concerns them: assignments, mentions, approved quotes, tasks due, SLA warnings, the daily digest"),
	    5, automation_notifications_tick },
	/* @@parts-mail */
	{ "mail", N_("Reads the mailboxes: support mail to tickets, contacts' mail to their timelines."), 5,
	    automation_mail_tick },
	{ NULL, NULL, 0, NULL },
};

static time_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The runner's state: when each part is next due, and each part's run of
 * failures (logged when it starts and when it ends). */
struct turns {
	struct crm_db *db;
	const struct crm_conf *conf;
	time_t next[MAX_PARTS];
	struct crm_runner_fault fault[MAX_PARTS];
};

/* One turn at every part that is due: busy while any finds work (--once:
 * every part once, then as long as any finds work). */
static enum crm_runner_pass
turn(struct crm_runner *r)
{
	const struct automation_part *p;
	struct turns *t = r->arg;
	long long total = 0;
	char err[500], what[64];
	size_t i;
	int work;

	for (p = automation_parts, i = 0; p->name != NULL && i < MAX_PARTS; p++, i++) {
		if (crm_runner_stopping)
			break;
		if (now_s() < t->next[i])
			continue;
		err[0] = '\0';
		work = p->tick(t->db, t->conf, err, sizeof(err));
		snprintf(what, sizeof(what), "automation %s", p->name);
		crm_runner_fault(&t->fault[i], what, work >= 0, err[0] ? err : "failed");
		if (work < 0)
			t->next[i] = now_s() + p->every_seconds;
		else {
			t->next[i] = work > 0 ? 0 : now_s() + p->every_seconds;
			total += work;
		}
		/* With the database gone this fails too, and the part's own
		 * failure is already logged. */
		crm_events_tick(t->db, p->name, work >= 0, work, work < 0 ? err : "");
	}
	return total > 0 ? CRM_RUNNER_BUSY : CRM_RUNNER_IDLE;
}

static int
jobs(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	struct turns t;
	struct crm_runner r;

	memset(&t, 0, sizeof(t));
	t.db = db;
	t.conf = conf;
	memset(&r, 0, sizeof(r));
	r.name = "automation runner";
	r.pass = turn;
	r.arg = &t;
	return crm_runner_main(&r, argc, argv);
}

int
automation_command(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	if (strcmp(argv[0], "jobs") == 0)
		return jobs(db, conf, argc, argv);
	fprintf(stderr, "crm-automation: unknown command %s\nusage: crm-automation [--config FILE] %s\n",
	    argv[0], AUTOMATION_COMMAND_USAGE);
	return 2;
}
