/* MariaDB Connector/C wrapper: the only file that binds parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include <sodium.h>

#include "crm_db.h"
#include "crm_log.h"
#include "crm_stmts.h"
#include "crm_table.h"

/* A deadlock victim, or on Galera a transaction that lost certification to
 * another node's (the audit chain's head row is written by every audited
 * change): each is run again, after a pause that grows and is jittered so
 * that two losers do not meet again. */
#define TX_ATTEMPTS 5
/* Statement ids of the ad-hoc cache's slots, past libcrm's own. */
#define ADHOC_BASE 200000

struct crm_db {
	MYSQL *my;
	const struct crm_conf *conf;
	const char *const *sql;
	MYSQL_STMT **stmts;
	size_t nstmts;
	MYSQL_STMT *lib[CRM_LIB_STMT__MAX];     /* libcrm's own statements */
	/* Ad-hoc statements (crm_db_*_sql), found by their text; the least
	 * recently used one makes room for a new one. */
	struct {
		char *sql;
		MYSQL_STMT *st;
		unsigned long used;
	} adhoc[CRM_DB_ADHOC_CACHE];
	unsigned long adhoc_clock;
	int in_tx;
	unsigned last_errno;
	char last_error[512];
	unsigned long round_trips;
	unsigned long losses;   /* times a call failed for want of a connection */
	unsigned timeout;       /* crm_db_set_timeout; 0: the library's own */
	/* Parameter binds, reused across statements: only the fields set
	 * below are ever written, so no call needs to clear the array. */
	MYSQL_BIND *pbind;
	size_t pcap;
	/* Result column buffers, reused across queries. */
	MYSQL_BIND *rbind;
	unsigned long *rlen;
	my_bool *rnull, *rerr;
	char **rbuf;
	size_t rcap;    /* columns the arrays above can hold */
	size_t *rbufcap;
	/* [database] host may name several servers (a Galera cluster's
	 * nodes): the one connected to, and when each was last given up. */
	int host;
	size_t nhosts;		/* crm_db_host_count at open */
	time_t host_down[CRM_DB_MAX_HOSTS];
};

void
crm_db_bind_i64(struct crm_db_bind *b, long long v)
{
	memset(b, 0, sizeof(*b));
	b->type = CRM_DB_I64;
	b->i = v;
}

void
crm_db_bind_double(struct crm_db_bind *b, double v)
{
	memset(b, 0, sizeof(*b));
	b->type = CRM_DB_DOUBLE;
	b->d = v;
}

void
crm_db_bind_str(struct crm_db_bind *b, const char *s, size_t len)
{
	memset(b, 0, sizeof(*b));
	if (s == NULL) {
		b->type = CRM_DB_NULL;
		return;
	}
	b->type = CRM_DB_STR;
	b->s = s;
	b->len = len == (size_t)-1 ? strlen(s) : len;
}

void
crm_db_bind_blob(struct crm_db_bind *b, const void *p, size_t len)
{
	memset(b, 0, sizeof(*b));
	b->type = CRM_DB_BLOB;
	b->s = p;
	b->len = len;
}

void
crm_db_bind_null(struct crm_db_bind *b)
{
	memset(b, 0, sizeof(*b));
	b->type = CRM_DB_NULL;
}

void
crm_db_bind_id(struct crm_db_bind *b, long long id)
{
	if (id > 0)
		crm_db_bind_i64(b, id);
	else
		crm_db_bind_null(b);
}

static void
save_error(struct crm_db *db, unsigned no, const char *msg)
{
	db->last_errno = no;
	snprintf(db->last_error, sizeof(db->last_error), "%s", msg ? msg : "");
}

static int
is_gone(unsigned no)
{
	/* ER_SERVER_SHUTDOWN: a statement that meets the server stopping;
	 * the connection is closed right after. */
	return no == CR_SERVER_GONE_ERROR || no == CR_SERVER_LOST ||
	    no == ER_CONNECTION_KILLED || no == ER_SERVER_SHUTDOWN ||
	    no == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT */ ||
	    /* A Galera node that is not part of the primary component (cut
	     * off, or still joining) refuses statements with "WSREP has not
	     * yet prepared node for application use": another node can
	     * answer. */
	    no == ER_UNKNOWN_COM_ERROR;
}

static enum crm_err
map_errno(unsigned no)
{
	switch (no) {
	case 0:
		return CRM_OK;
	case ER_DUP_ENTRY:
	case ER_ROW_IS_REFERENCED_2:
		return CRM_ECONFLICT;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		return CRM_EDEADLOCK;
	case ER_DATA_TOO_LONG:
	case WARN_DATA_TRUNCATED:
	case ER_BAD_NULL_ERROR:
	case ER_TRUNCATED_WRONG_VALUE:
	case ER_CONSTRAINT_FAILED:
	case ER_WARN_DATA_OUT_OF_RANGE:
	case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
	case ER_NO_REFERENCED_ROW_2:
		return CRM_EINVAL;
	default:
		return is_gone(no) ? CRM_EDBGONE : CRM_EDB;
	}
}

static void
drop_statements(struct crm_db *db)
{
	size_t i;

	for (i = 0; i < db->nstmts; i++)
		if (db->stmts[i] != NULL) {
			mysql_stmt_close(db->stmts[i]);
			db->stmts[i] = NULL;
		}
	for (i = 0; i < CRM_LIB_STMT__MAX; i++)
		if (db->lib[i] != NULL) {
			mysql_stmt_close(db->lib[i]);
			db->lib[i] = NULL;
		}
	/* The texts stay: they are prepared again on the new connection. */
	for (i = 0; i < CRM_DB_ADHOC_CACHE; i++)
		if (db->adhoc[i].st != NULL) {
			mysql_stmt_close(db->adhoc[i].st);
			db->adhoc[i].st = NULL;
		}
}

/* The cache slot and SQL text of a statement id, module or libcrm. */
static MYSQL_STMT **
slot_of(struct crm_db *db, size_t idx, const char **sql)
{
	if (idx >= CRM_STMT_LIB && idx < CRM_STMT__END) {
		*sql = crm_lib_stmts[idx - CRM_STMT_LIB];
		return &db->lib[idx - CRM_STMT_LIB];
	}
	if (idx >= ADHOC_BASE && idx < ADHOC_BASE + CRM_DB_ADHOC_CACHE &&
	    db->adhoc[idx - ADHOC_BASE].sql != NULL) {
		*sql = db->adhoc[idx - ADHOC_BASE].sql;
		return &db->adhoc[idx - ADHOC_BASE].st;
	}
	if (idx < db->nstmts) {
		*sql = db->sql[idx];
		return &db->stmts[idx];
	}
	return NULL;
}

/* The i-th server of [database] host ("db1, db2:3307"; the port defaults
 * to [database] port). 0 when there is none. */
int
crm_db_host_at(const struct crm_conf *c, size_t i, char *host, size_t hostlen, unsigned *port)
{
	const char *p = c->db_host, *end, *colon;
	size_t n;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return 0;
		for (end = p; *end && *end != ',' && *end != ' ' && *end != '\t'; end++)
			;
		if (i-- == 0)
			break;
		p = end;
	}
	/* host:port; an IPv6 address ([::1]:3306 or a bare ::1) keeps its colons. */
	colon = memchr(p, ':', (size_t)(end - p));
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));

		p++;
		colon = close && close + 1 < end && close[1] == ':' ? close + 1 : NULL;
		n = (size_t)((close ? close : end) - p);
	} else if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1))) {
		colon = NULL;
		n = (size_t)(end - p);
	} else {
		n = (size_t)((colon ? colon : end) - p);
	}
	if (n >= hostlen)
		n = hostlen - 1;
	memcpy(host, p, n);
	host[n] = '\0';
	*port = colon ? (unsigned)strtoul(colon + 1, NULL, 10) : (unsigned)c->db_port;
	return 1;
}

/* How many servers [database] host names (1 with a socket, which is one
 * server whatever host says). */
size_t
crm_db_host_count(const struct crm_conf *c)
{
	char host[256];
	unsigned port;
	size_t n = 0;

	if (c->db_socket[0])
		return 1;
	while (n < CRM_DB_MAX_HOSTS && crm_db_host_at(c, n, host, sizeof(host), &port))
		n++;
	return n ? n : 1;
}

/* One value of SHOW ... LIKE 'name' ("" when the server has none). */
static void
show_value(MYSQL *my, const char *query, char *out, size_t len)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	*out = '\0';
	if (mysql_query(my, query) != 0 || (res = mysql_store_result(my)) == NULL)
		return;
	if ((row = mysql_fetch_row(res)) != NULL && row[1] != NULL)
		snprintf(out, len, "%s", row[1]);
	mysql_free_result(res);
}

/* Whether the server can take statements: any server without Galera, or
 * a Galera node in the primary component. A node cut off from it accepts
 * connections, but refuses statements (1047) or, with wsrep_sync_wait,
 * holds each read until it times out (1205). SHOW neither waits nor is
 * refused. */
static int
usable(MYSQL *my)
{
	char on[16], ready[16];

	show_value(my, "SHOW VARIABLES LIKE 'wsrep_on'", on, sizeof(on));
	if (strcmp(on, "ON") != 0)
		return 1;
	show_value(my, "SHOW STATUS LIKE 'wsrep_ready'", ready, sizeof(ready));
	return strcmp(ready, "ON") == 0;
}

/* Connects to host i; 0 on success. */
static int
connect_one(struct crm_db *db, size_t i)
{
	const struct crm_conf *c = db->conf;
	unsigned int timeout = 5;
	char init[256];
	char host[256];
	unsigned port = (unsigned)c->db_port;

	if (!c->db_socket[0] && !crm_db_host_at(c, i, host, sizeof(host), &port))
		return -1;
	/* sync_wait: on a Galera cluster whose hosts use different nodes, a
	 * read waits until its node has applied what any node committed
	 * before it, so a user reads their own write wherever it went. */
	snprintf(init, sizeof(init), "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,"
	    "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',"
	    "time_zone='+00:00'%s%.0ld", c->db_sync_wait > 0 ? ",wsrep_sync_wait=" : "",
	    c->db_sync_wait > 0 ? c->db_sync_wait : 0L);
	if ((db->my = mysql_init(NULL)) == NULL) {
		fprintf(stderr, "crm: out of memory in mysql_init\n");
		abort();
	}
	mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db->my, MYSQL_INIT_COMMAND, init);
	if (db->timeout > 0) {
		if (db->timeout < timeout)
			timeout = db->timeout;
		mysql_options(db->my, MYSQL_OPT_READ_TIMEOUT, &db->timeout);
		mysql_options(db->my, MYSQL_OPT_WRITE_TIMEOUT, &db->timeout);
	}
	mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	if (mysql_real_connect(db->my, c->db_socket[0] ? NULL : host,
	    c->db_user, c->db_password, c->db_name, port,
	    c->db_socket[0] ? c->db_socket : NULL, 0) == NULL) {
		save_error(db, mysql_errno(db->my), mysql_error(db->my));
		crm_log(CRM_LOG_ERROR, "database connect to %s failed: %s",
		    c->db_socket[0] ? c->db_socket : host, db->last_error);
		mysql_close(db->my);
		db->my = NULL;
		return -1;
	}
	/* Several servers: one that cannot take statements is passed over
	 * for the next (two SHOWs a connection, none a statement). */
	if (db->nhosts > 1 && !usable(db->my)) {
		save_error(db, ER_UNKNOWN_COM_ERROR, "the server is not in the cluster's primary component");
		crm_log(CRM_LOG_WARN, "database server %zu is not in the cluster's primary component;"
		    " trying the next", i + 1);
		mysql_close(db->my);
		db->my = NULL;
		return -1;
	}
	return 0;
}

/* Connects to the first server of [database] host that answers, in the
 * order given, so that every program writes through the same Galera node
 * while it is up (writes to two nodes at once can fail certification).
 * A server given up on in the last DB_HOST_RETRY seconds is tried last:
 * a host that is off would otherwise cost each reconnect its timeout. */
#define DB_HOST_RETRY 10
static enum crm_err
connect_db(struct crm_db *db)
{
	time_t now = time(NULL);
	size_t i, nhosts = db->nhosts;
	int pass;

	if (db->my != NULL) {
		drop_statements(db);
		mysql_close(db->my);
		db->my = NULL;
	}
	db->in_tx = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nhosts; i++) {
			int recent = now - db->host_down[i] < DB_HOST_RETRY;

			if (recent != pass)
				continue;
			if (connect_one(db, i) == 0) {
				if (db->host >= 0 && db->host != (int)i && nhosts > 1)
					crm_log(CRM_LOG_WARN, "database: now on server %zu of %zu", i + 1, nhosts);
				db->host = (int)i;
				return CRM_OK;
			}
			db->host_down[i] = now;
		}
	return CRM_EDBGONE;
}

/* The connection failed under a statement: the server is given up on for
 * a while and the next one tried. */
static enum crm_err
reconnect(struct crm_db *db)
{
	if (db->host >= 0 && db->host < CRM_DB_MAX_HOSTS)
		db->host_down[db->host] = time(NULL);
	return connect_db(db);
}

/* After a lock wait timeout (1205): whether it came from a Galera node
 * that is no longer in the primary component, when there is another
 * server to go to. */
static int
cut_off(struct crm_db *db)
{
	return db->last_errno == ER_LOCK_WAIT_TIMEOUT && db->my != NULL && db->nhosts > 1 &&
	    !usable(db->my);
}

enum crm_err
crm_db_open(struct crm_db **out, const struct crm_conf *conf,
    const char *const *stmts, size_t nstmts)
{
	struct crm_db *db = crm_xcalloc(1, sizeof(*db));

	db->conf = conf;
	db->sql = stmts;
	db->nstmts = nstmts;
	db->stmts = crm_xcalloc(nstmts ? nstmts : 1, sizeof(*db->stmts));
	db->host = -1;
	db->nhosts = crm_db_host_count(conf);
	*out = db;
	/* A worker starts even when the database is down, so the health page
	 * can say so; every query tries to connect again. */
	return connect_db(db);
}

void
crm_db_close(struct crm_db *db)
{
	size_t i;

	if (db == NULL)
		return;
	drop_statements(db);
	if (db->my)
		mysql_close(db->my);
	for (i = 0; i < CRM_DB_ADHOC_CACHE; i++)
		free(db->adhoc[i].sql);
	for (i = 0; i < db->rcap; i++)
		free(db->rbuf[i]);
	free(db->pbind);
	free(db->rbind);
	free(db->rlen);
	free(db->rnull);
	free(db->rerr);
	free(db->rbuf);
	free(db->rbufcap);
	free(db->stmts);
	free(db);
}

void
crm_db_set_timeout(struct crm_db *db, unsigned seconds)
{
	if (seconds == db->timeout)
		return;
	db->timeout = seconds;
	if (db->my != NULL)
		connect_db(db);
}

int
crm_db_host_index(const struct crm_db *db)
{
	return db->host;
}

int
crm_db_connected(struct crm_db *db)
{
	return db->my != NULL;
}

const char *
crm_db_error(struct crm_db *db)
{
	return db->last_error;
}

unsigned
crm_db_errno(struct crm_db *db)
{
	return db->last_errno;
}

unsigned long
crm_db_round_trips(const struct crm_db *db)
{
	return db->round_trips;
}

unsigned long
crm_db_losses(const struct crm_db *db)
{
	return db != NULL ? db->losses : 0;
}

/* Every failure for want of a connection goes through here, so the front
 * door can tell a database that went away (503) from a bug (500). */
static enum crm_err
gone(struct crm_db *db)
{
	db->losses++;
	return CRM_EDBGONE;
}

static enum crm_err
stmt_fail(struct crm_db *db, size_t idx, MYSQL_STMT *st)
{
	unsigned no = mysql_stmt_errno(st);

	save_error(db, no, mysql_stmt_error(st));
	if (is_gone(no))
		db->losses++;
	if (no != ER_DUP_ENTRY)
		crm_log(CRM_LOG_ERROR, "statement %zu: %u %s", idx, no, db->last_error);
	return map_errno(no);
}

static enum crm_err
prepare(struct crm_db *db, size_t idx, MYSQL_STMT **out)
{
	const char *sql = NULL;
	MYSQL_STMT **slot = slot_of(db, idx, &sql), *st;

	if (slot == NULL) {
		save_error(db, 0, "no such statement");
		crm_log(CRM_LOG_ERROR, "statement %zu out of range", idx);
		return CRM_EDB;
	}
	if (*slot != NULL) {
		*out = *slot;
		return CRM_OK;
	}
	if (db->my == NULL && connect_db(db) != CRM_OK)
		return gone(db);
	if ((st = mysql_stmt_init(db->my)) == NULL) {
		fprintf(stderr, "crm: out of memory in mysql_stmt_init\n");
		abort();
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		enum crm_err e = stmt_fail(db, idx, st);

		mysql_stmt_close(st);
		return e;
	}
	*slot = st;
	*out = st;
	return CRM_OK;
}

static enum crm_err
bind_params(struct crm_db *db, size_t idx, MYSQL_STMT *st,
    const struct crm_db_bind *b, size_t n)
{
	MYSQL_BIND *mb;
	enum crm_err e = CRM_OK;
	size_t i;

	if (n != mysql_stmt_param_count(st)) {
		save_error(db, 0, "parameter count mismatch");
		crm_log(CRM_LOG_ERROR, "statement %zu: %zu parameters bound, %lu expected",
		    idx, n, mysql_stmt_param_count(st));
		return CRM_EDB;
	}
	if (n > db->pcap) {
		db->pbind = crm_xrealloc(db->pbind, n * sizeof(*db->pbind));
		memset(db->pbind + db->pcap, 0, (n - db->pcap) * sizeof(*db->pbind));
		db->pcap = n;
	}
	mb = db->pbind;
	for (i = 0; i < n; i++) {
		mb[i].buffer_length = 0;
		switch (b[i].type) {
		case CRM_DB_I64:
			mb[i].buffer_type = MYSQL_TYPE_LONGLONG;
			mb[i].buffer = (void *)&b[i].i;
			break;
		case CRM_DB_DOUBLE:
			mb[i].buffer_type = MYSQL_TYPE_DOUBLE;
			mb[i].buffer = (void *)&b[i].d;
			break;
		case CRM_DB_STR:
		case CRM_DB_BLOB:
			mb[i].buffer_type = b[i].type == CRM_DB_BLOB ?
			    MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
			mb[i].buffer = (void *)b[i].s;
			/* length stays NULL: with no length pointer
			 * buffer_length is the data length. */
			mb[i].buffer_length = b[i].len;
			break;
		case CRM_DB_NULL:
		case CRM_DB_TYPE__MAX:
			mb[i].buffer_type = MYSQL_TYPE_NULL;
			mb[i].buffer = NULL;
			break;
		}
	}
	/* mysql_stmt_bind_param copies the array itself but keeps its
	 * pointers: buffers point into the caller's binds, which live until
	 * the statement has run. */
	if (n > 0 && mysql_stmt_bind_param(st, mb) != 0)
		e = stmt_fail(db, idx, st);
	return e;
}

/* Prepares, binds and executes, reconnecting once when the server went
 * away outside a transaction. On success *out is the executed statement. */
static enum crm_err
run(struct crm_db *db, size_t idx, const struct crm_db_bind *b, size_t n,
    MYSQL_STMT **out)
{
	MYSQL_STMT *st = NULL;
	enum crm_err e;
	int attempt, deadlocks = 0;

	for (attempt = 0; attempt < 2; attempt++) {
		/* Not connected when called: prepare has just tried to connect
		 * and failed, and a second try at once would only double the
		 * wait (the connect timeout) of a request during an outage. */
		int was_connected = db->my != NULL;

		if ((e = prepare(db, idx, &st)) == CRM_OK &&
		    (e = bind_params(db, idx, st, b, n)) == CRM_OK) {
			db->round_trips++;
			if (mysql_stmt_execute(st) == 0) {
				*out = st;
				return CRM_OK;
			}
			if (mysql_stmt_errno(st) == ER_NEED_REPREPARE) {
				const char *sql;

				mysql_stmt_close(st);
				*slot_of(db, idx, &sql) = NULL;
				continue;
			}
			e = stmt_fail(db, idx, st);
		}
		/* A read held until it timed out by a Galera node cut off from
		 * the cluster (wsrep_sync_wait): the next server answers it. */
		if (e == CRM_EDEADLOCK && !db->in_tx && cut_off(db)) {
			if (reconnect(db) != CRM_OK)
				return gone(db);
			continue;
		}
		/* A statement on its own (autocommit) that lost a deadlock or,
		 * on Galera, certification (after the server's own retry) took
		 * nothing with it: run it again. */
		if (e == CRM_EDEADLOCK && !db->in_tx && deadlocks++ < 3) {
			attempt--;
			usleep((5000u << deadlocks) + randombytes_uniform(5000));
			continue;
		}
		if (e != CRM_EDBGONE)
			return e;
		if (!was_connected)
			return e;       /* counted by prepare */
		if (db->in_tx) {
			/* The transaction is gone with the connection; the
			 * caller must not believe any of it happened. */
			reconnect(db);
			return gone(db);
		}
		crm_log(CRM_LOG_WARN, "database connection lost; reconnecting");
		if (reconnect(db) != CRM_OK)
			return gone(db);
	}
	return e;
}

enum crm_err
crm_db_exec(struct crm_db *db, size_t idx, const struct crm_db_bind *b, size_t n,
    uint64_t *affected, uint64_t *insert_id)
{
	MYSQL_STMT *st = NULL;
	enum crm_err e;

	if ((e = run(db, idx, b, n, &st)) != CRM_OK)
		return e;
	if (affected)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id)
		*insert_id = mysql_stmt_insert_id(st);
	/* A statement with a result set must be drained before the next. */
	mysql_stmt_free_result(st);
	return CRM_OK;
}

static void
grow_result(struct crm_db *db, size_t ncols)
{
	size_t i, old = db->rcap;

	if (ncols <= old)
		return;
	db->rbind = crm_xrealloc(db->rbind, ncols * sizeof(*db->rbind));
	db->rlen = crm_xrealloc(db->rlen, ncols * sizeof(*db->rlen));
	db->rnull = crm_xrealloc(db->rnull, ncols * sizeof(*db->rnull));
	db->rerr = crm_xrealloc(db->rerr, ncols * sizeof(*db->rerr));
	db->rbuf = crm_xrealloc(db->rbuf, ncols * sizeof(*db->rbuf));
	db->rbufcap = crm_xrealloc(db->rbufcap, ncols * sizeof(*db->rbufcap));
	for (i = old; i < ncols; i++) {
		db->rbufcap[i] = 256;
		db->rbuf[i] = crm_xmalloc(256);
	}
	db->rcap = ncols;
}

static int
is_integer_type(enum enum_field_types t)
{
	return t == MYSQL_TYPE_TINY || t == MYSQL_TYPE_SHORT ||
	    t == MYSQL_TYPE_LONG || t == MYSQL_TYPE_LONGLONG ||
	    t == MYSQL_TYPE_INT24 || t == MYSQL_TYPE_YEAR;
}

static json_t *
column_value(struct crm_db *db, const MYSQL_FIELD *f, size_t i)
{
	if (db->rnull[i])
		return json_null();
	if (is_integer_type(f->type)) {
		long long v = *(long long *)db->rbuf[i];

		/* BOOLEAN columns (TINYINT(1)) and boolean expressions such
		 * as "x IS NULL AS gone" (display width 1) become JSON
		 * booleans, so templates can test them. */
		if (f->length == 1 && f->type != MYSQL_TYPE_YEAR)
			return json_boolean(v != 0);
		if ((f->flags & UNSIGNED_FLAG) && v < 0) {
			char s[24];

			snprintf(s, sizeof(s), "%llu", (unsigned long long)v);
			return json_string(s);
		}
		return json_integer(v);
	}
	if (f->type == MYSQL_TYPE_FLOAT || f->type == MYSQL_TYPE_DOUBLE)
		return json_real(*(double *)db->rbuf[i]);
	if (f->charsetnr == 63 && f->type != MYSQL_TYPE_NEWDECIMAL &&
	    f->type != MYSQL_TYPE_DATETIME && f->type != MYSQL_TYPE_DATE &&
	    f->type != MYSQL_TYPE_TIMESTAMP && f->type != MYSQL_TYPE_TIME) {
		/* Binary bytes (hashes) as hex: JSON strings must be UTF-8. */
		static const char hex[] = "0123456789abcdef";
		size_t n = db->rlen[i], k;
		char *h = crm_xmalloc(2 * n + 1);
		json_t *v;

		for (k = 0; k < n; k++) {
			h[2 * k] = hex[(unsigned char)db->rbuf[i][k] >> 4];
			h[2 * k + 1] = hex[(unsigned char)db->rbuf[i][k] & 15];
		}
		v = json_stringn_nocheck(h, 2 * n);
		free(h);
		return v;
	}
	return json_stringn_nocheck(db->rbuf[i], db->rlen[i]);
}

/* The row just fetched had values longer than their buffers: each such
 * buffer grows to its value, which is read again, and stays that size
 * for the rows and statements after. */
static enum crm_err
fetch_long(struct crm_db *db, size_t idx, MYSQL_STMT *st, size_t ncols)
{
	size_t i;
	int rebind = 0;

	for (i = 0; i < ncols; i++) {
		MYSQL_BIND *rb = &db->rbind[i];

		if (!db->rerr[i] || rb->buffer_type != MYSQL_TYPE_STRING)
			continue;
		db->rbufcap[i] = db->rlen[i] + 1;
		db->rbuf[i] = crm_xrealloc(db->rbuf[i], db->rbufcap[i]);
		rb->buffer = db->rbuf[i];
		rb->buffer_length = db->rbufcap[i];
		if (mysql_stmt_fetch_column(st, rb, (unsigned)i, 0) != 0)
			return stmt_fail(db, idx, st);
		db->rerr[i] = 0;
		rebind = 1;
	}
	/* The statement reads the next rows into the new buffers. */
	if (rebind && mysql_stmt_bind_result(st, db->rbind) != 0)
		return stmt_fail(db, idx, st);
	return CRM_OK;
}

/* Rows as objects into rows; or, with columns (a table's, crm_table.h),
 * their names there once and each row as an array of its cells. */
static enum crm_err
fetch_rows(struct crm_db *db, size_t idx, MYSQL_STMT *st, json_t *rows, json_t *columns, int one)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	MYSQL_FIELD *fields;
	size_t ncols, i;
	enum crm_err e = CRM_OK;
	int rc;

	if (meta == NULL) {
		save_error(db, 0, "statement returns no rows");
		crm_log(CRM_LOG_ERROR, "statement %zu returns no rows", idx);
		return CRM_EDB;
	}
	/* Store the whole result: lists are keyset-paged and short, and the
	 * connection is free again at once. The buffers are the worker's,
	 * grown to the longest value each column has had (longer ones are
	 * caught as truncated): asking the library for each column's
	 * max_length instead is a pass over every cell of the result. */
	if (mysql_stmt_store_result(st) != 0) {
		mysql_free_result(meta);
		return stmt_fail(db, idx, st);
	}
	ncols = mysql_num_fields(meta);
	fields = mysql_fetch_fields(meta);
	grow_result(db, ncols);
	memset(db->rbind, 0, ncols * sizeof(*db->rbind));
	for (i = 0; i < ncols; i++) {
		MYSQL_BIND *rb = &db->rbind[i];

		if (is_integer_type(fields[i].type)) {
			rb->buffer_type = MYSQL_TYPE_LONGLONG;
			rb->is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
			rb->buffer_length = sizeof(long long);
		} else if (fields[i].type == MYSQL_TYPE_FLOAT ||
		    fields[i].type == MYSQL_TYPE_DOUBLE) {
			rb->buffer_type = MYSQL_TYPE_DOUBLE;
			rb->buffer_length = sizeof(double);
		} else {
			rb->buffer_type = MYSQL_TYPE_STRING;
			rb->buffer_length = db->rbufcap[i];
		}
		rb->buffer = db->rbuf[i];
		rb->length = &db->rlen[i];
		rb->is_null = &db->rnull[i];
		rb->error = &db->rerr[i];
	}
	if (mysql_stmt_bind_result(st, db->rbind) != 0) {
		e = stmt_fail(db, idx, st);
		goto out;
	}
	if (columns != NULL) {
		for (i = 0; i < ncols; i++)
			json_array_append_new(columns,
			    json_stringn_nocheck(fields[i].name, fields[i].name_length));
	}
	while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
		json_t *row;

		if (rc == MYSQL_DATA_TRUNCATED && (e = fetch_long(db, idx, st, ncols)) != CRM_OK)
			goto out;

		if (columns != NULL) {
			row = json_array();
			for (i = 0; i < ncols; i++)
				json_array_append_new(row, column_value(db, &fields[i], i));
		} else {
			row = json_object();
			for (i = 0; i < ncols; i++)
				json_object_setn_new_nocheck(row, fields[i].name, fields[i].name_length,
				    column_value(db, &fields[i], i));
		}
		json_array_append_new(rows, row);
		if (one)
			break;
	}
	if (rc == 1)
		e = stmt_fail(db, idx, st);
out:
	mysql_free_result(meta);
	mysql_stmt_free_result(st);
	return e;
}

enum crm_err
crm_db_rows(struct crm_db *db, size_t idx, const struct crm_db_bind *b, size_t n,
    json_t **rows)
{
	MYSQL_STMT *st = NULL;
	enum crm_err e;

	*rows = json_array();
	if ((e = run(db, idx, b, n, &st)) != CRM_OK)
		return e;
	return fetch_rows(db, idx, st, *rows, NULL, 0);
}

enum crm_err
crm_db_table(struct crm_db *db, size_t idx, const struct crm_db_bind *b, size_t n,
    json_t **table)
{
	MYSQL_STMT *st = NULL;
	enum crm_err e;
	json_t *columns = json_array();

	*table = crm_table_new(columns);
	json_decref(columns);
	if ((e = run(db, idx, b, n, &st)) != CRM_OK)
		return e;
	return fetch_rows(db, idx, st, crm_table_rows(*table), crm_table_columns(*table), 0);
}

enum crm_err
crm_db_row(struct crm_db *db, size_t idx, const struct crm_db_bind *b, size_t n,
    json_t **row)
{
	MYSQL_STMT *st = NULL;
	json_t *rows = json_array();
	enum crm_err e;

	*row = NULL;
	if ((e = run(db, idx, b, n, &st)) != CRM_OK ||
	    (e = fetch_rows(db, idx, st, rows, NULL, 1)) != CRM_OK) {
		json_decref(rows);
		return e;
	}
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return CRM_ENOTFOUND;
	}
	*row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return CRM_OK;
}

/* The slot id of sql in the ad-hoc cache, taking the least recently used
 * slot (its statement closed) when sql is not there yet. */
static size_t
adhoc_slot(struct crm_db *db, const char *sql)
{
	size_t i, pick = 0;

	for (i = 0; i < CRM_DB_ADHOC_CACHE; i++) {
		if (db->adhoc[i].sql != NULL && strcmp(db->adhoc[i].sql, sql) == 0) {
			db->adhoc[i].used = ++db->adhoc_clock;
			return ADHOC_BASE + i;
		}
		if (db->adhoc[i].used < db->adhoc[pick].used)
			pick = i;
	}
	if (db->adhoc[pick].st != NULL)
		mysql_stmt_close(db->adhoc[pick].st);
	free(db->adhoc[pick].sql);
	db->adhoc[pick].sql = crm_xstrdup(sql);
	db->adhoc[pick].st = NULL;
	db->adhoc[pick].used = ++db->adhoc_clock;
	return ADHOC_BASE + pick;
}

enum crm_err
crm_db_exec_sql(struct crm_db *db, const char *sql, const struct crm_db_bind *b, size_t n,
    uint64_t *affected, uint64_t *insert_id)
{
	return crm_db_exec(db, adhoc_slot(db, sql), b, n, affected, insert_id);
}

enum crm_err
crm_db_rows_sql(struct crm_db *db, const char *sql, const struct crm_db_bind *b, size_t n,
    json_t **rows)
{
	return crm_db_rows(db, adhoc_slot(db, sql), b, n, rows);
}

enum crm_err
crm_db_row_sql(struct crm_db *db, const char *sql, const struct crm_db_bind *b, size_t n,
    json_t **row)
{
	return crm_db_row(db, adhoc_slot(db, sql), b, n, row);
}

size_t
crm_db_adhoc_prepared(const struct crm_db *db)
{
	size_t i, n = 0;

	for (i = 0; i < CRM_DB_ADHOC_CACHE; i++)
		n += db->adhoc[i].st != NULL;
	return n;
}

static enum crm_err
tx_call(struct crm_db *db, int (*fn)(MYSQL *), const char *what)
{
	if (db->my == NULL && connect_db(db) != CRM_OK)
		return gone(db);
	db->round_trips++;
	if (fn(db->my) != 0) {
		unsigned no = mysql_errno(db->my);

		save_error(db, no, mysql_error(db->my));
		crm_log(CRM_LOG_ERROR, "%s: %u %s", what, no, db->last_error);
		if (is_gone(no)) {
			reconnect(db);
			return gone(db);
		}
		return map_errno(no);
	}
	return CRM_OK;
}

static int
begin(MYSQL *my)
{
	return mysql_autocommit(my, 0);
}

static int
end_commit(MYSQL *my)
{
	return mysql_commit(my) || mysql_autocommit(my, 1);
}

static int
end_rollback(MYSQL *my)
{
	return mysql_rollback(my) || mysql_autocommit(my, 1);
}

enum crm_err
crm_db_tx(struct crm_db *db, enum crm_err (*fn)(struct crm_db *, void *), void *arg)
{
	enum crm_err e = CRM_EDB;
	int attempt;

	for (attempt = 0; attempt < TX_ATTEMPTS; attempt++) {
		int at_commit = 0;

		if ((e = tx_call(db, begin, "begin")) != CRM_OK)
			return e;
		db->in_tx = 1;
		e = fn(db, arg);
		if (e == CRM_OK) {
			at_commit = 1;
			e = tx_call(db, end_commit, "commit");
		}
		if (e != CRM_OK && db->my != NULL && db->in_tx)
			tx_call(db, end_rollback, "rollback");
		db->in_tx = 0;
		/* Lost before the COMMIT was sent, the transaction died with its
		 * connection and can run again on the server reconnected to (a
		 * Galera node going down). Lost during the COMMIT, nobody knows
		 * whether it happened: the caller says so. */
		if (e == CRM_EDBGONE && !at_commit && db->my != NULL) {
			crm_log(CRM_LOG_WARN, "transaction lost with its connection; attempt %d of %d",
			    attempt + 1, TX_ATTEMPTS);
			continue;
		}
		if (e != CRM_EDEADLOCK)
			return e;
		if (cut_off(db)) {
			if (reconnect(db) != CRM_OK)
				return gone(db);
			continue;
		}
		crm_log(CRM_LOG_WARN, "transaction deadlocked; attempt %d of %d",
		    attempt + 1, TX_ATTEMPTS);
		usleep((5000u << attempt) + randombytes_uniform(5000));
	}
	return e;
}

enum crm_err
crm_db_run_script(struct crm_db *db, const char *sql, size_t len)
{
	enum crm_err e = CRM_OK;
	int rc;

	if (db->my == NULL && connect_db(db) != CRM_OK)
		return gone(db);
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	db->round_trips++;
	rc = mysql_real_query(db->my, sql, (unsigned long)len);
	/* Every result must be consumed, and the first failing statement
	 * stops the rest: its error is the one to report. */
	for (;;) {
		MYSQL_RES *res;

		if (rc != 0) {
			save_error(db, mysql_errno(db->my), mysql_error(db->my));
			e = map_errno(db->last_errno);
			if (e == CRM_OK)
				e = CRM_EDB;
			break;
		}
		if ((res = mysql_store_result(db->my)) != NULL)
			mysql_free_result(res);
		if ((rc = mysql_next_result(db->my)) == -1) {
			rc = 0;
			break;
		}
	}
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return e;
}
