/* Job runners as daemons: see crm_runner.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm_log.h"
#include "crm_runner.h"

volatile sig_atomic_t crm_runner_stopping;

static void
on_stop(int sig)
{
	(void)sig;
	crm_runner_stopping = 1;
}

void
crm_runner_catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* A runner reads its settings from the database as it goes, so it
	 * has nothing to reload; but SIGHUP's default is to die, and systemd's
	 * Restart=on-failure counts a death by SIGHUP as a clean exit: one
	 * "reload everything" would have stopped imports and mail for good. */
	signal(SIGHUP, SIG_IGN);
}

int
crm_runner_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		crm_log(CRM_LOG_ERROR, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
