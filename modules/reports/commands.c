/* crm-reports' commands: crm-reports [--config FILE] jobs. The job runner
 * works through the analytics runs queued from the analytics page, one at
 * a time, and marks a run whose worker died as failed. */
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

struct jobs {
	struct crm_db *db;
	long stale;
};

/* The next queued analytics run (crm_analytics_next logs each run it works). */
static enum crm_runner_pass
pass(struct crm_runner *r)
{
	struct jobs *j = r->arg;
	int rc = crm_analytics_next(j->db, j->stale);

	if (rc < 0) {
		crm_runner_fail(r, "analytics: %s", crm_db_error(j->db));
		return CRM_RUNNER_FAILED;
	}
	return rc == 1 ? CRM_RUNNER_BUSY : CRM_RUNNER_IDLE;
}

static int
jobs(struct crm_db *db, int argc, char **argv)
{
	struct jobs j = { db, STALE_SECONDS };
	const struct crm_runner_opt opts[] = {
		{ "stale", &j.stale, 1 },
		{ NULL, NULL, 0 },
	};
	struct crm_runner r;

	memset(&r, 0, sizeof(r));
	r.name = "reports runner";
	r.pass = pass;
	r.arg = &j;
	r.opts = opts;
	return crm_runner_main(&r, argc, argv);
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
