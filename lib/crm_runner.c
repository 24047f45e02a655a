/* Job runners as daemons: see crm_runner.h. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm_log.h"
#include "crm_runner.h"

#define MAX_OPTS 8              /* a runner's own options */

volatile sig_atomic_t crm_runner_stopping;
/* The self-pipe: the handler writes a byte, so a sleep that starts after
 * the signal came still sees it (a flag alone would be checked, then
 * slept through). */
static int wake[2] = { -1, -1 };

static void
on_stop(int sig)
{
	int saved = errno;

	(void)sig;
	crm_runner_stopping = 1;
	if (wake[1] >= 0 && write(wake[1], "s", 1) < 0) {
		/* Full: a byte is waiting already, which is all it takes. */
	}
	errno = saved;
}

void
crm_runner_catch_stop(void)
{
	struct sigaction sa;
	char junk[64];

	if (wake[0] < 0 && pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		crm_log(CRM_LOG_WARN, "no wake-up pipe (%s): a stop may wait out one sleep", strerror(errno));
		wake[0] = wake[1] = -1;
	}
	/* Armed afresh: a stop already dealt with wakes no one. */
	while (!crm_runner_stopping && wake[0] >= 0 && read(wake[0], junk, sizeof(junk)) > 0)
		;
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

int
crm_runner_sleep(double seconds)
{
	struct pollfd p = { .fd = wake[0], .events = POLLIN };
	int ms = seconds <= 0 ? 0 : seconds >= 86400 ? 86400000 : (int)(seconds * 1000 + 0.5);

	if (crm_runner_stopping)
		return 1;
	/* EINTR: a signal came, a stop or another; either way the caller
	 * looks at the time and the flag again. */
	poll(&p, wake[0] >= 0 ? 1 : 0, ms);
	return crm_runner_stopping != 0;
}

void
crm_runner_fail(struct crm_runner *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
}

int
crm_runner_fault(struct crm_runner_fault *f, const char *what, int ok, const char *err)
{
	if (ok) {
		if (f->count > 0)
			crm_log(CRM_LOG_INFO, "%s: working again after %ld failed %s", what, f->count,
			    f->count == 1 ? "try" : "tries");
		f->count = 0;
		return 1;
	}
	if (f->count++ == 0)
		crm_log(CRM_LOG_ERROR, "%s: %s (said once until it works again)", what, err);
	return 0;
}

int
crm_runner_options(struct crm_runner *r, int argc, char **argv)
{
	struct option opts[MAX_OPTS + 3];
	char shorts[2 * MAX_OPTS + 8] = "p:o";
	size_t n = 0, k, s = strlen(shorts);
	int ch;

	memset(opts, 0, sizeof(opts));
	opts[0] = (struct option){ "pidfile", required_argument, NULL, 'p' };
	opts[1] = (struct option){ "once", no_argument, NULL, 'o' };
	/* A runner's own numbers, each with its first letter as a short
	 * option ("-s" for "--stale"). */
	for (k = 0; r->opts != NULL && r->opts[k].name != NULL && k < MAX_OPTS; k++, n++) {
		opts[2 + k] = (struct option){ r->opts[k].name, required_argument, NULL, 256 + (int)k };
		if (strchr(shorts, r->opts[k].name[0]) == NULL) {
			shorts[s++] = r->opts[k].name[0];
			shorts[s++] = ':';
			shorts[s] = '\0';
			opts[2 + k].val = r->opts[k].name[0];
		}
	}
	optind = 0;        /* 0: glibc starts afresh after the server's own parse */
	while ((ch = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (ch == 'p') {
			r->pidfile = optarg;
			continue;
		}
		if (ch == 'o') {
			r->once = 1;
			continue;
		}
		for (k = 0; k < n; k++)
			if (ch == opts[2 + k].val)
				break;
		if (k == n)
			return 2;       /* getopt said what */
		{
			const struct crm_runner_opt *o = &r->opts[k];
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' || v < o->min) {
				fprintf(stderr, "%s: --%s wants a whole number of at least %ld, not \"%s\"\n",
				    argv[0], o->name, o->min, optarg);
				return 2;
			}
			*o->value = v;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", argv[0], argv[optind]);
		return 2;
	}
	return 0;
}

int
crm_runner_run(struct crm_runner *r)
{
	enum crm_runner_pass p = CRM_RUNNER_IDLE;
	double pause;

	if (r->idle <= 0)
		r->idle = 1;
	if (r->retry <= 0)
		r->retry = 5;
	if (r->pidfile != NULL && crm_runner_pidfile(r->pidfile) != 0)
		return 1;
	crm_runner_catch_stop();
	crm_log(CRM_LOG_INFO, "%s started", r->name);
	while (!crm_runner_stopping) {
		r->error[0] = '\0';
		r->wait = r->idle;
		p = r->pass(r);
		crm_runner_fault(&r->fault, r->name, p != CRM_RUNNER_FAILED,
		    r->error[0] ? r->error : "a pass failed (see above)");
		if (p == CRM_RUNNER_BUSY)
			continue;
		if (r->once && (p == CRM_RUNNER_IDLE || p == CRM_RUNNER_FAILED))
			break;
		pause = p == CRM_RUNNER_FAILED ? r->retry : p == CRM_RUNNER_PACED &&
		    r->wait < r->idle ? r->wait : r->idle;
		crm_runner_sleep(pause);
	}
	crm_log(CRM_LOG_INFO, "%s stopped", r->name);
	if (r->pidfile != NULL)
		unlink(r->pidfile);
	return r->once && p == CRM_RUNNER_FAILED ? 1 : 0;
}

int
crm_runner_main(struct crm_runner *r, int argc, char **argv)
{
	int rc = crm_runner_options(r, argc, argv);

	return rc != 0 ? rc : crm_runner_run(r);
}
