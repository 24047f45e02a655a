/* MariaDB access: one connection per worker, statements from the module's
 * constant table prepared once and cached, bound only with '?', rows
 * returned as jansson values (STYLE rules 19 and 20): objects, or for a
 * page's long lists a table of arrays (crm_table.h). */
#ifndef CRM_DB_H
#define CRM_DB_H

#include <stdint.h>

#include <jansson.h>

#include "crm.h"
#include "crm_conf.h"

struct crm_db;

enum crm_db_type {
	CRM_DB_NULL,
	CRM_DB_I64,
	CRM_DB_DOUBLE,
	CRM_DB_STR,
	CRM_DB_BLOB,    /* bytes for a BINARY/BLOB column: no charset conversion */
	CRM_DB_TYPE__MAX
};

struct crm_db_bind {
	enum crm_db_type type;
	long long i;
	double d;
	const char *s;
	size_t len;
};

void crm_db_bind_i64(struct crm_db_bind *, long long);
void crm_db_bind_double(struct crm_db_bind *, double);
/* len (size_t)-1 means strlen(s); a NULL s binds SQL NULL. */
void crm_db_bind_str(struct crm_db_bind *, const char *s, size_t len);
void crm_db_bind_null(struct crm_db_bind *);
/* A reference to another record: its id, or NULL for none (an id of 0 or
 * less, as forms and JSON leave an optional one). */
void crm_db_bind_id(struct crm_db_bind *, long long id);
void crm_db_bind_blob(struct crm_db_bind *, const void *, size_t len);

/* Connects with utf8mb4, strict SQL mode and UTC. stmts is the module's
 * statement table; statements are prepared on first use. [database] host
 * may name up to CRM_DB_MAX_HOSTS servers, comma-separated, each with an
 * optional :port: the first that answers is used, and the next when it
 * goes away. */
#define CRM_DB_MAX_HOSTS 8
enum crm_err crm_db_open(struct crm_db **, const struct crm_conf *,
    const char *const *stmts, size_t nstmts);
void crm_db_close(struct crm_db *);
/* The i-th server of [database] host; 0 when there are fewer. */
int crm_db_host_at(const struct crm_conf *, size_t i, char *host, size_t hostlen, unsigned *port);
/* How many servers the connection may use: 1 with [database] socket. */
size_t crm_db_host_count(const struct crm_conf *);
/* Which of them the connection is on (from 0); -1 before the first
 * connection. */
int crm_db_host_index(const struct crm_db *);

/* Runs a statement that returns no rows. affected and insert_id may be NULL. */
enum crm_err crm_db_exec(struct crm_db *, size_t stmt, const struct crm_db_bind *,
    size_t nbind, uint64_t *affected, uint64_t *insert_id);
/* Runs a query; *rows becomes an array of objects keyed by column name.
 * Integers become JSON integers, TINYINT(1) booleans, FLOAT/DOUBLE reals,
 * NULL null, binary strings lowercase hex, and everything else (DECIMAL
 * money included) strings. */
enum crm_err crm_db_rows(struct crm_db *, size_t stmt, const struct crm_db_bind *,
    size_t nbind, json_t **rows);
/* Like crm_db_rows, as a table (crm_table.h): the column names once and
 * each row an array of its cells, values as crm_db_rows makes them. For
 * the lists a page shows, where a row's keys would cost a hash insert
 * each. */
enum crm_err crm_db_table(struct crm_db *, size_t stmt, const struct crm_db_bind *,
    size_t nbind, json_t **table);
/* Like crm_db_rows for one row: CRM_ENOTFOUND when there is none. */
enum crm_err crm_db_row(struct crm_db *, size_t stmt, const struct crm_db_bind *,
    size_t nbind, json_t **row);

/* Statements whose text is put together at run time from fragments
 * written in code (a segment's conditions, lib/crm_segment.c): the text
 * MUST come from code, never from a request; every value goes in a bind.
 * Each is prepared on first use and kept per connection by its text in
 * a small cache; a new text past CRM_DB_ADHOC_CACHE closes the least
 * recently used statement. Otherwise as crm_db_exec/rows/row. The cache
 * holds more than a pass's worth: creating a ticket alone runs nine
 * (lib/crm_ticket_assign.c, lib/crm_ticket_sla.c), and the automation
 * runner's parts some thirty on one connection; a cycle longer than the
 * cache would prepare every one of them each time. */
#define CRM_DB_ADHOC_CACHE 64
enum crm_err crm_db_exec_sql(struct crm_db *, const char *sql, const struct crm_db_bind *,
    size_t nbind, uint64_t *affected, uint64_t *insert_id);
enum crm_err crm_db_rows_sql(struct crm_db *, const char *sql, const struct crm_db_bind *,
    size_t nbind, json_t **rows);
enum crm_err crm_db_row_sql(struct crm_db *, const char *sql, const struct crm_db_bind *,
    size_t nbind, json_t **row);
/* How many ad-hoc statements are prepared now: for tests. */
size_t crm_db_adhoc_prepared(const struct crm_db *);

/* Runs fn inside a transaction, committing when it returns CRM_OK and
 * rolling back otherwise. A deadlock or lock timeout reruns fn from the
 * start (up to three times); a lost connection is never retried inside a
 * transaction, so a write is never silently repeated. */
enum crm_err crm_db_tx(struct crm_db *, enum crm_err (*fn)(struct crm_db *, void *),
    void *arg);

/* Runs a script of several statements (a migration file): for crmctl
 * only, never with request data. */
enum crm_err crm_db_run_script(struct crm_db *, const char *sql, size_t len);

/* Bounds every wait on the server (connect, each read, each write) to
 * seconds, 0 for none, reconnecting so it applies at once. For workers:
 * a server that hangs gets a 503 after that long instead of a worker
 * stuck for good. */
void crm_db_set_timeout(struct crm_db *, unsigned seconds);

int crm_db_connected(struct crm_db *);
/* The server's last error, for the log: never shown to a user. */
const char *crm_db_error(struct crm_db *);
unsigned crm_db_errno(struct crm_db *);
/* Statements run since open: tests and benchmarks count round trips. */
unsigned long crm_db_round_trips(const struct crm_db *);
/* How many calls have failed with CRM_EDBGONE since open: a request that
 * saw this grow met a database that went away, whatever its handler made
 * of the error. 0 for no handle (tests serve without a database). */
unsigned long crm_db_losses(const struct crm_db *);

#endif
