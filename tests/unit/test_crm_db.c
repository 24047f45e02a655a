/* crm_db against the real MariaDB of the test stack (make check starts it
 * and sets CRM_TEST_CONF): types, errors, transactions, reconnection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm_db.h"
#include "crm_json_write.h"
#include "crm_table.h"

enum stmt {
	STMT_CREATE,
	STMT_DROP,
	STMT_INSERT,
	STMT_GET,
	STMT_ALL,
	STMT_TYPES,
	STMT_CONN_ID,
	STMT_KILL,
	STMT_BAD,
	STMT_LONG,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/* STMT_CREATE */
	"CREATE TABLE test_crm_db (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,"
	" name VARCHAR(20) NOT NULL UNIQUE, amount DECIMAL(12,2) NULL,"
	" active BOOLEAN NOT NULL DEFAULT TRUE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	/* STMT_DROP */
	"DROP TABLE IF EXISTS test_crm_db",
	/* STMT_INSERT */
	"INSERT INTO test_crm_db (name, amount) VALUES (?, ?)",
	/* STMT_GET */
	"SELECT id, name, amount, active FROM test_crm_db WHERE name = ?",
	/* STMT_ALL */
	"SELECT name FROM test_crm_db ORDER BY id",
	/* STMT_TYPES */
	"SELECT CAST(? AS SIGNED) AS i, 2.5e0 AS d, NULL AS n, CAST(18446744073709551615 AS UNSIGNED) AS u,"
	" NOW() AS t, 'x' AS s",
	/* STMT_CONN_ID */
	"SELECT CONNECTION_ID() AS id",
	/* STMT_KILL */
	"KILL CONNECTION ?",
	/* STMT_BAD */
	"SELECT no_such_column FROM test_crm_db",
	/* STMT_LONG */
	"SELECT CAST(? AS CHAR) AS a, CAST(? AS CHAR) AS b, 1 AS k UNION ALL SELECT ?, ?, 2"
	" UNION ALL SELECT ?, ?, 3",
};

static struct crm_conf conf;
static struct crm_db *db, *admin;

static int
setup(void **state)
{
	const char *path = getenv("CRM_TEST_CONF");
	char err[256];

	(void)state;
	if (path == NULL) {
		fprintf(stderr, "set CRM_TEST_CONF to a crm.conf with a database (make check does)\n");
		return -1;
	}
	if (crm_conf_load(&conf, path, err, sizeof(err)) != CRM_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (crm_db_open(&db, &conf, stmts, STMT__MAX) != CRM_OK ||
	    crm_db_open(&admin, &conf, stmts, STMT__MAX) != CRM_OK)
		return -1;
	crm_db_exec(db, STMT_DROP, NULL, 0, NULL, NULL);
	return crm_db_exec(db, STMT_CREATE, NULL, 0, NULL, NULL) == CRM_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	crm_db_exec(db, STMT_DROP, NULL, 0, NULL, NULL);
	crm_db_close(db);
	crm_db_close(admin);
	crm_conf_free(&conf);
	return 0;
}

static enum crm_err
insert(const char *name, const char *amount)
{
	struct crm_db_bind b[2];

	crm_db_bind_str(&b[0], name, (size_t)-1);
	crm_db_bind_str(&b[1], amount, (size_t)-1);
	return crm_db_exec(db, STMT_INSERT, b, 2, NULL, NULL);
}

static void
test_insert_and_read_back_types(void **state)
{
	struct crm_db_bind b[2];
	uint64_t affected = 0, id = 0;
	json_t *row = NULL;

	(void)state;
	crm_db_bind_str(&b[0], "客户 😀", (size_t)-1);
	crm_db_bind_str(&b[1], "1234.50", (size_t)-1);
	assert_int_equal(crm_db_exec(db, STMT_INSERT, b, 2, &affected, &id), CRM_OK);
	assert_int_equal(affected, 1);
	assert_true(id > 0);
	assert_int_equal(crm_db_row(db, STMT_GET, b, 1, &row), CRM_OK);
	assert_int_equal(json_integer_value(json_object_get(row, "id")), (json_int_t)id);
	assert_string_equal(json_string_value(json_object_get(row, "name")), "客户 😀");
	/* Money stays a decimal string: no binary floating point. */
	assert_string_equal(json_string_value(json_object_get(row, "amount")), "1234.50");
	assert_true(json_is_true(json_object_get(row, "active")));
	json_decref(row);
}

/* A table holds what the rows hold, cell for cell and in the same order,
 * and its JSON is the rows' JSON. */
static void
test_table_matches_rows(void **state)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL, *table = NULL, *cols, *row;
	struct crm_buf x, y;
	size_t i;

	(void)state;
	crm_db_bind_i64(&b[0], 7);
	assert_int_equal(crm_db_rows(db, STMT_TYPES, b, 1, &rows), CRM_OK);
	assert_int_equal(crm_db_table(db, STMT_TYPES, b, 1, &table), CRM_OK);
	assert_true(crm_table_is(table));
	assert_int_equal(crm_table_size(table), json_array_size(rows));
	cols = crm_table_columns(table);
	assert_int_equal(json_array_size(cols), 6);
	row = crm_table_row(table, 0);
	for (i = 0; i < json_array_size(cols); i++) {
		const char *name = json_string_value(json_array_get(cols, i));

		assert_true(json_equal(json_array_get(row, i), json_object_get(json_array_get(rows, 0), name)));
	}
	crm_buf_init(&x, NULL, 64);
	crm_buf_init(&y, NULL, 64);
	crm_json_write(&x, rows);
	crm_json_write(&y, table);
	assert_string_equal(x.data, y.data);
	crm_buf_release(&x);
	crm_buf_release(&y);
	json_decref(rows);
	json_decref(table);
	/* No row: an empty table, with its columns. */
	crm_db_bind_str(&b[0], "nobody", (size_t)-1);
	assert_int_equal(crm_db_table(db, STMT_GET, b, 1, &table), CRM_OK);
	assert_int_equal(crm_table_size(table), 0);
	assert_int_equal(crm_table_col(crm_table_columns(table), "amount"), 2);
	json_decref(table);
}

static void
test_scalar_types(void **state)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	(void)state;
	crm_db_bind_i64(&b[0], -42);
	assert_int_equal(crm_db_row(db, STMT_TYPES, b, 1, &row), CRM_OK);
	assert_int_equal(json_integer_value(json_object_get(row, "i")), -42);
	assert_true(json_real_value(json_object_get(row, "d")) == 2.5);
	assert_true(json_is_null(json_object_get(row, "n")));
	assert_string_equal(json_string_value(json_object_get(row, "u")), "18446744073709551615");
	assert_int_equal(strlen(json_string_value(json_object_get(row, "t"))), 19);
	assert_string_equal(json_string_value(json_object_get(row, "s")), "x");
	json_decref(row);
}

static void
test_errors_map_to_crm_err(void **state)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;

	(void)state;
	assert_int_equal(insert("dup", NULL), CRM_OK);
	assert_int_equal(insert("dup", NULL), CRM_ECONFLICT);
	assert_int_equal(insert("a name far too long for the column", NULL), CRM_EINVAL);
	assert_int_equal(insert("badmoney", "12x"), CRM_EINVAL);
	crm_db_bind_str(&b[0], "nobody", (size_t)-1);
	assert_int_equal(crm_db_row(db, STMT_GET, b, 1, &row), CRM_ENOTFOUND);
	assert_null(row);
	assert_int_equal(crm_db_exec(db, STMT_BAD, NULL, 0, NULL, NULL), CRM_EDB);
	/* Binding the wrong number of parameters is caught before the server. */
	assert_int_equal(crm_db_exec(db, STMT_INSERT, b, 1, NULL, NULL), CRM_EDB);
	assert_non_null(strstr(crm_db_error(db), "parameter count"));
	crm_db_bind_str(&b[1], NULL, 0);
	assert_int_equal(b[1].type, CRM_DB_NULL);
}

static enum crm_err
tx_two_then_fail(struct crm_db *d, void *arg)
{
	(void)d;
	(void)arg;
	if (insert("tx1", NULL) != CRM_OK || insert("tx2", NULL) != CRM_OK)
		return CRM_EDB;
	return CRM_EINVAL;      /* a validation failure after two writes */
}

static enum crm_err
tx_two(struct crm_db *d, void *arg)
{
	(void)d;
	(void)arg;
	if (insert("tx3", NULL) != CRM_OK)
		return CRM_EDB;
	return insert("tx4", NULL);
}

static int deadlocks_left;

static enum crm_err
tx_deadlock_once(struct crm_db *d, void *arg)
{
	int *runs = arg;

	(void)d;
	(*runs)++;
	if (insert("tx5", NULL) != CRM_OK)
		return CRM_EDB;
	return deadlocks_left-- > 0 ? CRM_EDEADLOCK : CRM_OK;
}

static size_t
count_rows(void)
{
	json_t *rows = NULL;
	size_t n;

	assert_int_equal(crm_db_rows(db, STMT_ALL, NULL, 0, &rows), CRM_OK);
	n = json_array_size(rows);
	json_decref(rows);
	return n;
}

static void
test_transactions(void **state)
{
	size_t before = count_rows();
	int runs = 0;

	(void)state;
	/* Nothing of a failed transaction remains: no half-written record. */
	assert_int_equal(crm_db_tx(db, tx_two_then_fail, NULL), CRM_EINVAL);
	assert_int_equal(count_rows(), before);
	assert_int_equal(crm_db_tx(db, tx_two, NULL), CRM_OK);
	assert_int_equal(count_rows(), before + 2);
	/* A deadlock victim is rolled back and run again from the start. */
	deadlocks_left = 1;
	assert_int_equal(crm_db_tx(db, tx_deadlock_once, &runs), CRM_OK);
	assert_int_equal(runs, 2);
	assert_int_equal(count_rows(), before + 3);
}

static long long
connection_id(struct crm_db *d)
{
	json_t *row = NULL;
	long long id;

	assert_int_equal(crm_db_row(d, STMT_CONN_ID, NULL, 0, &row), CRM_OK);
	id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	return id;
}

static void
kill_connection(long long id)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], id);
	assert_int_equal(crm_db_exec(admin, STMT_KILL, b, 1, NULL, NULL), CRM_OK);
	usleep(100000);
}

/* Loses its connection after a write, on the first attempt only. */
static enum crm_err
tx_killed_once(struct crm_db *d, void *arg)
{
	long long *id = arg;

	if (insert("tx6", NULL) != CRM_OK)
		return CRM_EDB;
	if (*id != 0) {
		kill_connection(*id);
		*id = 0;
	}
	return crm_db_exec(d, STMT_ALL, NULL, 0, NULL, NULL);
}

/* Loses it after its last statement: the COMMIT meets the loss. */
static enum crm_err
tx_killed_at_commit(struct crm_db *d, void *arg)
{
	(void)d;
	if (insert("tx7", NULL) != CRM_OK)
		return CRM_EDB;
	kill_connection(*(long long *)arg);
	return CRM_OK;
}

/* Ad-hoc statements: prepared once per text, cached, the oldest evicted,
 * values only ever bound, and prepared again after a reconnect. */
static void
test_adhoc_statements(void **state)
{
	const char *get = "SELECT name, amount FROM test_crm_db WHERE name = ? OR name = ?";
	struct crm_db_bind b[2];
	unsigned long trips;
	uint64_t affected = 0;
	json_t *rows = NULL, *row = NULL;
	char sql[CRM_DB_ADHOC_CACHE + 1][64];
	size_t i;

	(void)state;
	crm_db_bind_str(&b[0], "adhoc", (size_t)-1);
	crm_db_bind_str(&b[1], "7.25", (size_t)-1);
	assert_int_equal(crm_db_exec_sql(db, "INSERT INTO test_crm_db (name, amount) VALUES (?, ?)", b, 2,
	    &affected, NULL), CRM_OK);
	assert_int_equal(affected, 1);
	crm_db_bind_str(&b[1], "x' OR '1'='1", (size_t)-1);
	assert_int_equal(crm_db_rows_sql(db, get, b, 2, &rows), CRM_OK);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "amount")), "7.25");
	json_decref(rows);
	/* The same text again is the cached statement: one round trip. */
	trips = crm_db_round_trips(db);
	assert_int_equal(crm_db_row_sql(db, get, b, 2, &row), CRM_OK);
	assert_int_equal(crm_db_round_trips(db), trips + 1);
	json_decref(row);
	crm_db_bind_str(&b[0], "nobody", (size_t)-1);
	assert_int_equal(crm_db_row_sql(db, get, b, 2, &row), CRM_ENOTFOUND);
	/* More texts than slots: the cache stays at its size. */
	for (i = 0; i <= CRM_DB_ADHOC_CACHE; i++) {
		snprintf(sql[i], sizeof(sql[i]), "SELECT %zu + 1000 AS n", i);
		assert_int_equal(crm_db_row_sql(db, sql[i], NULL, 0, &row), CRM_OK);
		assert_int_equal(json_integer_value(json_object_get(row, "n")), (json_int_t)i + 1000);
		json_decref(row);
	}
	assert_int_equal(crm_db_adhoc_prepared(db), CRM_DB_ADHOC_CACHE);
	/* A bad text fails like a bad statement, and caches nothing. */
	assert_int_equal(crm_db_exec_sql(db, "SELECT no_such_column FROM test_crm_db", NULL, 0, NULL, NULL), CRM_EDB);
	assert_int_equal(crm_db_adhoc_prepared(db), CRM_DB_ADHOC_CACHE - 1);
	/* After the server drops the connection, the text is prepared again. */
	kill_connection(connection_id(db));
	crm_db_bind_str(&b[0], "adhoc", (size_t)-1);
	assert_int_equal(crm_db_row_sql(db, get, b, 2, &row), CRM_OK);
	assert_string_equal(json_string_value(json_object_get(row, "name")), "adhoc");
	json_decref(row);
}

static void
test_reconnects_outside_a_transaction_only(void **state)
{
	long long id = connection_id(db), id2;
	size_t before;

	(void)state;
	/* The server drops us between requests: the next read reconnects
	 * and is retried once, invisibly. */
	kill_connection(id);
	id2 = connection_id(db);
	assert_true(id2 != id);
	/* A transaction that lost its connection before its COMMIT died
	 * with it (the server rolled it back), so it runs again, once: one
	 * row, not two (a Galera node going down under it). */
	before = count_rows();
	id = connection_id(db);
	assert_int_equal(crm_db_tx(db, tx_killed_once, &id), CRM_OK);
	assert_int_equal(count_rows(), before + 1);
	/* Lost during the COMMIT nobody knows whether it happened: reported,
	 * never replayed. */
	before = count_rows();
	id = connection_id(db);
	assert_int_equal(crm_db_tx(db, tx_killed_at_commit, &id), CRM_EDBGONE);
	assert_int_equal(count_rows(), before);
	assert_true(crm_db_round_trips(db) > 0);
}

/* What the front door reads to answer 503 rather than 500: a loss counts
 * when it reaches the caller (inside a transaction), not when a read
 * reconnected invisibly; a server that is not there fails fast, once. */
static void
test_losses_are_counted(void **state)
{
	struct crm_conf gone_conf = conf;
	struct crm_db *nowhere = NULL;
	json_t *row = NULL;
	unsigned long before = crm_db_losses(db);
	long long id;

	(void)state;
	assert_int_equal(crm_db_losses(NULL), 0);
	kill_connection(connection_id(db));
	(void)connection_id(db);
	assert_int_equal(crm_db_losses(db), before + 1);        /* seen, then mended */
	id = connection_id(db);
	assert_int_equal(crm_db_tx(db, tx_killed_at_commit, &id), CRM_EDBGONE);
	assert_true(crm_db_losses(db) > before + 1);
	/* No server at all: one connect attempt per call, counted. */
	gone_conf.db_socket = "/nonexistent/mysql.sock";
	assert_int_equal(crm_db_open(&nowhere, &gone_conf, stmts, STMT__MAX), CRM_EDBGONE);
	crm_db_set_timeout(nowhere, 1);
	assert_int_equal(crm_db_row(nowhere, STMT_CONN_ID, NULL, 0, &row), CRM_EDBGONE);
	assert_int_equal(crm_db_losses(nowhere), 1);
	assert_false(crm_db_connected(nowhere));
	crm_db_close(nowhere);
}

/* An optional reference: an id, or NULL for none (0 or less). */
static void
test_bind_id(void **state)
{
	struct crm_db_bind b;

	(void)state;
	crm_db_bind_id(&b, 42);
	assert_int_equal(b.type, CRM_DB_I64);
	assert_int_equal(b.i, 42);
	crm_db_bind_id(&b, 0);
	assert_int_equal(b.type, CRM_DB_NULL);
	crm_db_bind_id(&b, -7);
	assert_int_equal(b.type, CRM_DB_NULL);
}

/* Values longer than a column's buffer (which starts at 256 bytes and
 * grows to the longest value it has held) come whole, in any row, with
 * the shorter values after them whole too; as rows and as a table. */
static void
test_long_values(void **state)
{
	struct crm_db_bind b[6];
	char *b300 = malloc(301), *e5000 = malloc(10001), *z60000 = malloc(60001);
	const char *want[3][2];
	json_t *rows = NULL, *table = NULL;
	size_t i, round;

	(void)state;
	memset(b300, 'b', 300);
	b300[300] = '\0';
	for (i = 0; i < 5000; i++)
		memcpy(e5000 + 2 * i, "\xc3\xa9", 2);   /* é */
	e5000[10000] = '\0';
	memset(z60000, 'z', 60000);
	z60000[60000] = '\0';
	for (round = 0; round < 2; round++) {
		/* Long after short, then short after long. */
		want[0][0] = round ? e5000 : "short";
		want[0][1] = round ? z60000 : b300;
		want[1][0] = round ? "x" : e5000;
		want[1][1] = round ? "" : "x";
		want[2][0] = round ? b300 : "y";
		want[2][1] = round ? "short" : z60000;
		for (i = 0; i < 6; i++)
			crm_db_bind_str(&b[i], want[i / 2][i % 2], (size_t)-1);
		assert_int_equal(crm_db_rows(db, STMT_LONG, b, 6, &rows), CRM_OK);
		assert_int_equal(json_array_size(rows), 3);
		assert_int_equal(crm_db_table(db, STMT_LONG, b, 6, &table), CRM_OK);
		assert_int_equal(crm_table_size(table), 3);
		for (i = 0; i < 3; i++) {
			json_t *row = json_array_get(rows, i);

			assert_int_equal(json_integer_value(json_object_get(row, "k")), (json_int_t)i + 1);
			assert_int_equal(json_string_length(json_object_get(row, "a")), strlen(want[i][0]));
			assert_string_equal(json_string_value(json_object_get(row, "a")), want[i][0]);
			assert_int_equal(json_string_length(json_object_get(row, "b")), strlen(want[i][1]));
			assert_string_equal(json_string_value(json_object_get(row, "b")), want[i][1]);
			assert_string_equal(json_string_value(crm_table_get(table, i, "a")), want[i][0]);
			assert_string_equal(json_string_value(crm_table_get(table, i, "b")), want[i][1]);
		}
		json_decref(rows);
		json_decref(table);
	}
	free(b300);
	free(e5000);
	free(z60000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_and_read_back_types),
		cmocka_unit_test(test_scalar_types),
		cmocka_unit_test(test_table_matches_rows),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_errors_map_to_crm_err),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_adhoc_statements),
		cmocka_unit_test(test_reconnects_outside_a_transaction_only),
		cmocka_unit_test(test_losses_are_counted),
		cmocka_unit_test(test_bind_id),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
