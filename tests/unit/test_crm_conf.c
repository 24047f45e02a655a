/* crm.conf loading: defaults, file, environment, and refusals that name
 * the bad key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm_conf.h"
#include "crm_db.h"

static char path[64];

static void
write_conf(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/crm-conf-test-%d.conf", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_defaults(void **state)
{
	struct crm_conf c;
	char err[256];

	(void)state;
	assert_int_equal(crm_conf_load(&c, NULL, err, sizeof(err)), CRM_OK);
	assert_int_equal(c.workers, 2);
	assert_int_equal(c.max_body, 16 << 20);
	assert_string_equal(c.db_name, "crm");
	assert_true(c.log_requests);
	crm_conf_free(&c);
}

static void
test_file_and_env(void **state)
{
	struct crm_conf c;
	char err[256];

	(void)state;
	write_conf("; comment\n[server]\nworkers = 4\nmax_body = 512K\n"
	    "[database]\nsocket = /run/x.sock\n[log]\nrequests = off\n");
	setenv("CRM_DATABASE_PASSWORD", "s3cret", 1);
	setenv("CRM_SERVER_WORKERS", "8", 1);
	assert_int_equal(crm_conf_load(&c, path, err, sizeof(err)), CRM_OK);
	assert_int_equal(c.workers, 8);
	assert_int_equal(c.max_body, 512 * 1024);
	assert_string_equal(c.db_socket, "/run/x.sock");
	assert_string_equal(c.db_password, "s3cret");
	assert_false(c.log_requests);
	unsetenv("CRM_DATABASE_PASSWORD");
	unsetenv("CRM_SERVER_WORKERS");
	crm_conf_free(&c);
	unlink(path);
}

static void
expect_refusal(const char *text, const char *needle)
{
	struct crm_conf c;
	char err[256];

	write_conf(text);
	assert_int_equal(crm_conf_load(&c, path, err, sizeof(err)), CRM_ECONFIG);
	if (strstr(err, needle) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, needle);
	crm_conf_free(&c);
	unlink(path);
}

static void
test_refusals_name_the_key(void **state)
{
	(void)state;
	expect_refusal("[server]\nworkerz = 2\n", "unknown key \"workerz\" in [server]");
	expect_refusal("[nope]\nx = 1\n", "unknown key \"x\" in [nope]");
	expect_refusal("[server]\nworkers = 0\n", "[server] workers = \"0\"");
	expect_refusal("[server]\nmax_body = 12Q\n", "max_body = \"12Q\": expected a size");
	expect_refusal("[log]\nrequests = maybe\n", "expected on or off");
	expect_refusal("[server]\ncookie_secure = sometimes\n", "cookie_secure");
	expect_refusal("[server\n", ":1:");
}

static void
test_missing_file(void **state)
{
	struct crm_conf c;
	char err[256];

	(void)state;
	assert_int_equal(crm_conf_load(&c, "/nonexistent/crm.conf", err, sizeof(err)), CRM_ECONFIG);
	assert_non_null(strstr(err, "/nonexistent/crm.conf: cannot read"));
	crm_conf_free(&c);
}

/* [database] host as a list of servers, each with its own port or the
 * [database] port. */
static void
test_host_list(void **state)
{
	struct crm_conf c;
	char err[256], host[256];
	unsigned port;

	(void)state;
	assert_int_equal(crm_conf_load(&c, NULL, err, sizeof(err)), CRM_OK);
	assert_int_equal(crm_db_host_at(&c, 0, host, sizeof(host), &port), 1);
	assert_string_equal(host, "localhost");
	assert_int_equal(port, 3306);
	assert_int_equal(crm_db_host_at(&c, 1, host, sizeof(host), &port), 0);
	assert_int_equal(crm_db_host_count(&c), 1);
	crm_conf_free(&c);
	write_conf("[database]\nhost = db1.example.com, 10.0.0.22:3307,[::1]:3308 ,, fe80::1\nport = 3310\n");
	assert_int_equal(crm_conf_load(&c, path, err, sizeof(err)), CRM_OK);
	assert_int_equal(crm_db_host_at(&c, 0, host, sizeof(host), &port), 1);
	assert_string_equal(host, "db1.example.com");
	assert_int_equal(port, 3310);
	assert_int_equal(crm_db_host_at(&c, 1, host, sizeof(host), &port), 1);
	assert_string_equal(host, "10.0.0.22");
	assert_int_equal(port, 3307);
	assert_int_equal(crm_db_host_at(&c, 2, host, sizeof(host), &port), 1);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 3308);
	assert_int_equal(crm_db_host_at(&c, 3, host, sizeof(host), &port), 1);
	assert_string_equal(host, "fe80::1");
	assert_int_equal(port, 3310);
	assert_int_equal(crm_db_host_at(&c, 4, host, sizeof(host), &port), 0);
	assert_int_equal(crm_db_host_count(&c), 4);
	crm_conf_free(&c);
	/* A socket is one server, whatever host says. */
	write_conf("[database]\nhost = db1, db2\nsocket = /run/mysqld/mysqld.sock\n");
	assert_int_equal(crm_conf_load(&c, path, err, sizeof(err)), CRM_OK);
	assert_int_equal(crm_db_host_count(&c), 1);
	crm_conf_free(&c);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file_and_env),
		cmocka_unit_test(test_refusals_name_the_key),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_host_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
