/* crm-reports' commands: crm-reports [--config FILE] jobs. The job runner
 * works through the analytics runs queued from the analytics page, one at
 * a time, and marks a run whose worker died as failed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_analytics.h"
#include "crm_log.h"
#include "crm_runner.h"
#include "extern.h"

/* A worker records its progress after every step; a step that takes
 * longer than this on a very large database only needs a larger --stale. */
#define STALE_SECONDS 3600

static int
jobs(struct crm_db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pidfile", required_argument, NULL, 'p' },
		{ "once", no_argument, NULL, 'o' },
		{ "stale", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *pidfile = NULL;
	long stale = STALE_SECONDS;
	int ch, once = 0, rc;

	optind = 0;        /* 0: glibc starts afresh after the server's own parse */
	while ((ch = getopt_long(argc, argv, "p:os:", opts, NULL)) != -1) {
		if (ch == 'p')
			pidfile = optarg;
		else if (ch == 'o')
			once = 1;
		else if (ch == 's' && atol(optarg) > 0)
			stale = atol(optarg);
		else
			return 2;
	}
	if (pidfile != NULL && crm_runner_pidfile(pidfile) != 0)
		return 1;
	crm_runner_catch_stop();
	crm_log(CRM_LOG_INFO, "reports runner started");
	while (!crm_runner_stopping) {
		rc = crm_analytics_next(db, stale);
		if (rc == 1)
			continue;
		if (once)
			break;
		sleep(rc < 0 ? 5 : 1);          /* a signal ends it early */
	}
	crm_log(CRM_LOG_INFO, "reports runner stopped");
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}

int
reports_command(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	(void)conf;
	if (strcmp(argv[0], "jobs") == 0)
		return jobs(db, argc, argv);
	fprintf(stderr, "crm-reports: unknown command %s\nusage: crm-reports [--config FILE] %s\n",
	    argv[0], REPORTS_COMMAND_USAGE);
	return 2;
}
