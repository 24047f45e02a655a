/* crm-automation's commands: crm-automation [--config FILE] jobs. The job
 * runner is one process that takes turns at its parts (rules, webhooks,
 * notifications, mailboxes): a part runs when its interval has passed, or
 * at once again while it still finds work. A failing part is logged and
 * recorded for the automation page, and the others go on. */
#include <getopt.h>
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

/* One turn at every part that is due. Returns the work done. */
static long long
turn(struct crm_db *db, const struct crm_conf *conf, time_t *next)
{
	const struct automation_part *p;
	long long total = 0;
	char err[500];
	size_t i;
	int work;

	for (p = automation_parts, i = 0; p->name != NULL && i < MAX_PARTS; p++, i++) {
		if (crm_runner_stopping)
			break;
		if (now_s() < next[i])
			continue;
		err[0] = '\0';
		work = p->tick(db, conf, err, sizeof(err));
		if (work < 0) {
			crm_log(CRM_LOG_WARN, "automation %s: %s", p->name, err[0] ? err : "failed");
			next[i] = now_s() + p->every_seconds;
		} else {
			next[i] = work > 0 ? 0 : now_s() + p->every_seconds;
			total += work;
		}
		/* With the database gone this fails too, and the part's own
		 * failure is already logged. */
		crm_events_tick(db, p->name, work >= 0, work, work < 0 ? err : "");
	}
	return total;
}

static int
jobs(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pidfile", required_argument, NULL, 'p' },
		{ "once", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	time_t next[MAX_PARTS] = { 0 };
	const char *pidfile = NULL;
	int ch, once = 0;

	optind = 0;        /* 0: glibc starts afresh after the server's own parse */
	while ((ch = getopt_long(argc, argv, "p:o", opts, NULL)) != -1) {
		if (ch == 'p')
			pidfile = optarg;
		else if (ch == 'o')
			once = 1;
		else
			return 2;
	}
	if (pidfile != NULL && crm_runner_pidfile(pidfile) != 0)
		return 1;
	crm_runner_catch_stop();
	crm_log(CRM_LOG_INFO, "automation runner started");
	while (!crm_runner_stopping) {
		/* --once: every part once, then as long as any finds work. */
		if (turn(db, conf, next) > 0)
			continue;
		if (once)
			break;
		sleep(1);               /* a signal ends it early */
	}
	crm_log(CRM_LOG_INFO, "automation runner stopped");
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
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
