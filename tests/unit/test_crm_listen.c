/* Listening sockets: unix and tcp, stale and live sockets, systemd's
 * LISTEN_FDS, and the log line formats. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm_listen.h"
#include "crm_log.h"

static void
test_unix_socket_mode_and_stale_file(void **state)
{
	char path[64], addr[80], err[256];
	struct stat st;
	int fd, fd2;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/crm-listen-%d.sock", (int)getpid());
	snprintf(addr, sizeof(addr), "unix:%s", path);
	fd = crm_listen_open(addr, 0660, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
	assert_true(crm_listen_is_socket(fd));
	/* A live listener is never taken over... */
	assert_int_equal(crm_listen_open(addr, 0660, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "another process is listening"));
	/* ...but the file a crashed one left behind is. */
	close(fd);
	fd2 = crm_listen_open(addr, 0600, err, sizeof(err));
	assert_true(fd2 >= 0);
	close(fd2);
	unlink(path);
}

static void
test_tcp_and_bad_addresses(void **state)
{
	char err[256];
	int fd;

	(void)state;
	fd = crm_listen_open("tcp:127.0.0.1:0", 0, err, sizeof(err));
	assert_true(fd >= 0);
	assert_true(crm_listen_is_socket(fd));
	close(fd);
	assert_int_equal(crm_listen_open("tcp:nohostport", 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "HOST:PORT"));
	assert_int_equal(crm_listen_open("http://x", 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unix:PATH or tcp:HOST:PORT"));
	assert_false(crm_listen_is_socket(STDERR_FILENO) && isatty(STDERR_FILENO));
}

static void
test_systemd_fds_only_for_this_pid(void **state)
{
	char pid[16];

	(void)state;
	setenv("LISTEN_FDS", "1", 1);
	setenv("LISTEN_PID", "1", 1);
	assert_int_equal(crm_listen_systemd(), -1);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("LISTEN_PID", pid, 1);
	assert_int_equal(crm_listen_systemd(), 3);
	/* Consumed: children never see them. */
	assert_null(getenv("LISTEN_FDS"));
	assert_int_equal(crm_listen_systemd(), -1);
}

/* What write_lines logs to standard error, read back into buf. */
static void
logged(void (*write_lines)(const void *), const void *arg, char *buf, size_t size)
{
	int p[2], saved;
	ssize_t n;

	assert_int_equal(pipe(p), 0);
	saved = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	crm_log_init("crm-test");
	write_lines(arg);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(p[1]);
	n = read(p[0], buf, size - 1);
	close(p[0]);
	assert_true(n > 0);
	buf[n] = '\0';
}

static void
some_lines(const void *arg)
{
	(void)arg;
	crm_log_request_id("abc123");
	crm_log(CRM_LOG_ERROR, "query failed: %d", 7);
	crm_log_access("GET", "/customers/1", 200, 812, 4096);
	crm_log_request_id(NULL);
	crm_log(CRM_LOG_INFO, "idle");
}

static void
test_log_lines(void **state)
{
	char buf[4096], want[256];

	(void)state;
	logged(some_lines, NULL, buf, sizeof(buf));
	snprintf(want, sizeof(want), "crm-test[%d] error req=abc123 query failed: 7\n"
	    "crm-test[%d] access req=abc123 GET /customers/1 200 812us arena=4096\n"
	    "crm-test[%d] info idle\n", (int)getpid(), (int)getpid(), (int)getpid());
	assert_string_equal(buf, want);
}

#define LONG_ID "0123456789012345678901234567890123456789012345678901234567890123456789"

static void
long_path_line(const void *path)
{
	crm_log_request_id(LONG_ID);
	crm_log_access("POST", path, 413, -1, 0);
	crm_log_request_id(NULL);
}

/* A long path is cut at 600 bytes, never the status, time and arena
 * after it; a request id longer than its room is cut too. */
static void
test_log_long_path(void **state)
{
	char buf[4096], path[2000], want[1024];

	(void)state;
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	logged(long_path_line, path, buf, sizeof(buf));
	snprintf(want, sizeof(want), "crm-test[%d] access req=%.63s POST %.600s 413 -1us arena=0\n",
	    (int)getpid(), LONG_ID, path);
	assert_string_equal(buf, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unix_socket_mode_and_stale_file),
		cmocka_unit_test(test_tcp_and_bad_addresses),
		cmocka_unit_test(test_systemd_fds_only_for_this_pid),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_log_long_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
