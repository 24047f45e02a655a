/* What a module's job runner (crm-<module> jobs: CSV imports, the mail
 * queues, analytics, automation) needs to behave as a daemon, in one
 * place: its command line (--pidfile, --once and its own numbers), the pid
 * file, stopping cleanly on SIGTERM or SIGINT after the work in hand,
 * sleeping between passes without sleeping through a stop, and a failure
 * that repeats every few seconds (the database is down) logged once, not
 * every pass. A module writes one pass; crm_runner_run loops over it. */
#ifndef CRM_RUNNER_H
#define CRM_RUNNER_H

#include <signal.h>

#include "crm.h"

/* Set by SIGTERM and SIGINT once crm_runner_catch_stop has run; a long
 * pass (an import's batches) checks it between units of work. */
extern volatile sig_atomic_t crm_runner_stopping;
/* Also ignores SIGHUP, which would otherwise end the runner. */
void crm_runner_catch_stop(void);
/* Writes this process's id to path. Returns 0, or -1 after logging why. */
int crm_runner_pidfile(const char *path);
/* Sleeps up to seconds; returns at once when a stop signal came, even one
 * that came before the call. Returns 1 when stopping, else 0. */
int crm_runner_sleep(double seconds);

/* What one pass found. */
enum crm_runner_pass {
	CRM_RUNNER_FAILED = -1, /* crm_runner_fail said why: retry after r->retry */
	CRM_RUNNER_IDLE = 0,    /* nothing due: sleep r->idle; with --once, stop */
	CRM_RUNNER_BUSY = 1,    /* did some work: go again at once */
	CRM_RUNNER_PACED = 2,   /* work waits for its pace: sleep r->wait (at most
	                         * r->idle), then go on, --once or not */
};

/* A number option of a runner's own ("--stale SECONDS"): *value is set
 * when it is given, and must be at least min. */
struct crm_runner_opt {
	const char *name;
	long *value;
	long min;
};

/* A failure that may repeat each pass, logged when it starts and when it
 * ends rather than every time (crm_runner_fault). */
struct crm_runner_fault {
	long count;             /* failures in a row */
};

struct crm_runner {
	const char *name;       /* "import runner": in the log lines */
	enum crm_runner_pass (*pass)(struct crm_runner *);
	void *arg;              /* the module's own state */
	const struct crm_runner_opt *opts;      /* NULL, or ends with a NULL name */
	double idle;            /* seconds between idle passes: 1 unless set */
	double retry;           /* after a failed pass: 5 unless set */
	double wait;            /* a PACED pass sets it */
	int once;               /* --once: stop when a pass finds nothing to do */
	const char *pidfile;    /* --pidfile FILE */
	char error[512];        /* why the last pass failed */
	struct crm_runner_fault fault;
};

/*
 * Reads "jobs [--pidfile FILE] [--once] [--NAME N ...]" (argv[0] is the
 * command) into r. Returns 0, or 2 after printing what is wrong.
 */
int crm_runner_options(struct crm_runner *, int argc, char **argv);
/*
 * Writes the pid file, catches the stop signals and runs r->pass until a
 * stop signal (or, with --once, until a pass is idle or fails), then
 * removes the pid file. Exits 0; 1 when the pid file cannot be written or
 * a --once run ended on a failure.
 */
int crm_runner_run(struct crm_runner *);
/* crm_runner_options, then crm_runner_run: a module's whole `jobs`. */
int crm_runner_main(struct crm_runner *, int argc, char **argv);
/* Says why a pass failed (r->error); the pass then returns FAILED. */
void crm_runner_fail(struct crm_runner *, const char *fmt, ...) CRM_PRINTF(2, 3);
/*
 * Logs "what: err" when a failure starts, and "what: working again" when
 * ok comes after failures; stays quiet in between and while it works.
 * Returns ok.
 */
int crm_runner_fault(struct crm_runner_fault *, const char *what, int ok, const char *err);

#endif
