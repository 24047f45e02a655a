/* The job runners' loop: options, the pid file, --once, failures logged
 * once, and a stop signal that ends a sleep, even one that came just
 * before the sleep began. The stop tests come last: a stop is for good. */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm_log.h"
#include "crm_runner.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A scripted pass: returns script[n] in turn, then IDLE. */
struct script {
	const enum crm_runner_pass *steps;
	size_t nsteps, calls;
	double wait;
	char pidfile_seen[32];
};

static enum crm_runner_pass
scripted(struct crm_runner *r)
{
	struct script *s = r->arg;
	enum crm_runner_pass p = s->calls < s->nsteps ? s->steps[s->calls] : CRM_RUNNER_IDLE;
	FILE *f;

	if (s->calls++ == 0 && r->pidfile != NULL && (f = fopen(r->pidfile, "r")) != NULL) {
		if (fgets(s->pidfile_seen, sizeof(s->pidfile_seen), f) == NULL)
			s->pidfile_seen[0] = '\0';
		fclose(f);
	}
	if (p == CRM_RUNNER_FAILED)
		crm_runner_fail(r, "step %zu failed", s->calls);
	if (p == CRM_RUNNER_PACED)
		r->wait = s->wait;
	return p;
}

static int
parse(struct crm_runner *r, long *stale, const char *a1, const char *a2, const char *a3)
{
	char *argv[5] = { "jobs", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);
	static struct crm_runner_opt opts[2];

	opts[0] = (struct crm_runner_opt){ "stale", stale, 1 };
	opts[1] = (struct crm_runner_opt){ NULL, NULL, 0 };
	memset(r, 0, sizeof(*r));
	r->opts = opts;
	return crm_runner_options(r, argc, argv);
}

static void
test_options(void **state)
{
	struct crm_runner r;
	long stale = 7;
	FILE *saved;

	(void)state;
	assert_int_equal(parse(&r, &stale, "--once", "--pidfile", "/tmp/x.pid"), 0);
	assert_int_equal(r.once, 1);
	assert_string_equal(r.pidfile, "/tmp/x.pid");
	assert_int_equal(stale, 7);
	assert_int_equal(parse(&r, &stale, "--stale", "60", NULL), 0);
	assert_int_equal(stale, 60);
	assert_int_equal(r.once, 0);
	assert_null(r.pidfile);
	assert_int_equal(parse(&r, &stale, "-s", "90", "-o"), 0);
	assert_int_equal(stale, 90);
	assert_int_equal(r.once, 1);
	/* Refused, with a message: quiet stderr meanwhile. */
	saved = stderr;
	stderr = fopen("/dev/null", "w");
	assert_int_equal(parse(&r, &stale, "--stale", "0", NULL), 2);
	assert_int_equal(parse(&r, &stale, "--stale", "12x", NULL), 2);
	assert_int_equal(parse(&r, &stale, "--stale", NULL, NULL), 2);
	assert_int_equal(parse(&r, &stale, "--bogus", NULL, NULL), 2);
	assert_int_equal(parse(&r, &stale, "--once", "extra", NULL), 2);
	fclose(stderr);
	stderr = saved;
	assert_int_equal(stale, 90);
}

static void
test_once_goes_on_while_busy_and_keeps_a_pidfile(void **state)
{
	static const enum crm_runner_pass steps[] = { CRM_RUNNER_BUSY, CRM_RUNNER_BUSY, CRM_RUNNER_IDLE,
	    CRM_RUNNER_BUSY };
	struct script s = { steps, 4, 0, 0, "" };
	struct crm_runner r;
	char pidfile[64], pid[32];

	(void)state;
	snprintf(pidfile, sizeof(pidfile), "/tmp/test_crm_runner.%ld.pid", (long)getpid());
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	memset(&r, 0, sizeof(r));
	r.name = "test runner";
	r.pass = scripted;
	r.arg = &s;
	r.once = 1;
	r.pidfile = pidfile;
	assert_int_equal(crm_runner_run(&r), 0);
	assert_int_equal(s.calls, 3);           /* stopped at the first idle pass */
	assert_string_equal(s.pidfile_seen, pid);
	assert_int_equal(access(pidfile, F_OK), -1);
}

static void
test_once_ends_on_a_failure_with_status_1(void **state)
{
	static const enum crm_runner_pass steps[] = { CRM_RUNNER_BUSY, CRM_RUNNER_FAILED, CRM_RUNNER_BUSY };
	struct script s = { steps, 3, 0, 0, "" };
	struct crm_runner r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.name = "test runner";
	r.pass = scripted;
	r.arg = &s;
	r.once = 1;
	assert_int_equal(crm_runner_run(&r), 1);
	assert_int_equal(s.calls, 2);
	assert_string_equal(r.error, "step 2 failed");
}

static void
test_paced_waits_its_time_even_with_once(void **state)
{
	static const enum crm_runner_pass steps[] = { CRM_RUNNER_PACED, CRM_RUNNER_PACED, CRM_RUNNER_IDLE };
	struct script s = { steps, 3, 0, 0.15, "" };
	struct crm_runner r;
	double t0 = now(), took;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.name = "test runner";
	r.pass = scripted;
	r.arg = &s;
	r.once = 1;
	r.idle = 10;            /* a paced wait is its own, not the idle one */
	assert_int_equal(crm_runner_run(&r), 0);
	took = now() - t0;
	assert_int_equal(s.calls, 3);
	assert_true(took >= 0.28 && took < 2);
}

static void
test_a_failure_is_logged_once_and_its_end_once(void **state)
{
	struct crm_runner_fault f = { 0 };
	char path[64], line[512];
	FILE *in;
	int saved, said = 0, again = 0, lines = 0, i;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_crm_runner.%ld.log", (long)getpid());
	fflush(stderr);
	saved = dup(2);
	assert_true(freopen(path, "w", stderr) != NULL);
	for (i = 0; i < 5; i++)
		assert_int_equal(crm_runner_fault(&f, "test part", 0, "the database is down"), 0);
	assert_int_equal(crm_runner_fault(&f, "test part", 1, ""), 1);
	assert_int_equal(crm_runner_fault(&f, "test part", 1, ""), 1);
	assert_int_equal(crm_runner_fault(&f, "test part", 0, "down again"), 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	assert_non_null(in = fopen(path, "r"));
	while (fgets(line, sizeof(line), in) != NULL) {
		lines++;
		said += strstr(line, "test part: the database is down") != NULL;
		again += strstr(line, "test part: working again after 5 failed tries") != NULL;
	}
	fclose(in);
	unlink(path);
	assert_int_equal(said, 1);
	assert_int_equal(again, 1);
	assert_int_equal(lines, 3);             /* and "down again", once */
	assert_int_equal(f.count, 1);
}

/* A stop that comes during a long idle sleep ends it at once. */
static void
test_a_stop_ends_the_sleep(void **state)
{
	struct script s = { NULL, 0, 0, 0, "" };
	struct crm_runner r;
	double t0, took;
	pid_t child;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.name = "test runner";
	r.pass = scripted;
	r.arg = &s;
	r.idle = 30;
	crm_runner_catch_stop();        /* before the child can signal */
	if ((child = fork()) == 0) {
		usleep(300000);
		kill(getppid(), SIGTERM);
		_exit(0);
	}
	t0 = now();
	assert_int_equal(crm_runner_run(&r), 0);
	took = now() - t0;
	waitpid(child, NULL, 0);
	assert_true(crm_runner_stopping);
	assert_int_equal(s.calls, 1);
	assert_true(took < 5);
}

/* The race a flag alone loses: the signal lands after the flag was looked
 * at and before the sleep began (here: the flag is cleared again to stand
 * for that moment). The wake-up pipe still ends the sleep at once. */
static void
test_a_stop_just_before_the_sleep_is_not_slept_through(void **state)
{
	double t0;

	(void)state;
	crm_runner_stopping = 0;        /* the last test's stop, dealt with */
	crm_runner_catch_stop();
	t0 = now();
	crm_runner_sleep(0.2);          /* no stop pending: it sleeps */
	assert_true(now() - t0 >= 0.15);
	raise(SIGTERM);
	assert_true(crm_runner_stopping);
	crm_runner_stopping = 0;
	t0 = now();
	crm_runner_sleep(30);
	assert_true(now() - t0 < 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_once_goes_on_while_busy_and_keeps_a_pidfile),
		cmocka_unit_test(test_once_ends_on_a_failure_with_status_1),
		cmocka_unit_test(test_paced_waits_its_time_even_with_once),
		cmocka_unit_test(test_a_failure_is_logged_once_and_its_end_once),
		cmocka_unit_test(test_a_stop_ends_the_sleep),
		cmocka_unit_test(test_a_stop_just_before_the_sleep_is_not_slept_through),
	};

	crm_log_init("test_crm_runner");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
