/* The search log replayed into each server's own index (search_follow.h).
 *
 * On a Galera cluster the Mroonga tables stay on the node that wrote them,
 * while search_changes, InnoDB, reaches every node with the record's own
 * transaction. So each runner keeps one connection per server and, for
 * each, how far into the log that server's index is known to be written.
 * Every runner follows every server: two runners only write the same rows
 * twice. A runner starts from the start of the log (a day), so a node that
 * was away less than a day is caught up by any runner that starts. */
#include <stdio.h>
#include <string.h>

#include "crm_log.h"
#include "extern.h"
#include "search_follow.h"

/* STMT_FOLLOW_PRUNE's LIMIT. */
#define FOLLOW_PRUNE_ROWS 10000

/* Far enough back for a log that keeps a day. */
#define FOLLOW_START "1000-01-01 00:00:00.000000"

int
search_follow_open(struct search_follow *f, const struct crm_conf *conf)
{
	char host[256];
	unsigned port;
	size_t n = crm_db_host_count(conf), i;

	memset(f, 0, sizeof(*f));
	if (n < 2)
		return 0;
	f->n = n;
	for (i = 0; i < n; i++) {
		struct search_follow_server *s = &f->s[i];

		crm_db_host_at(conf, i, host, sizeof(host), &port);
		snprintf(s->host, sizeof(s->host), strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
		s->conf = *conf;
		s->conf.db_host = s->host;
		snprintf(s->done, sizeof(s->done), "%s", FOLLOW_START);
	}
	crm_log(CRM_LOG_INFO, "search: following the search log into the index of %zu servers", n);
	return 1;
}

/* The records changed in (s->done, upto]: their rows written again on this
 * server, and the rows of those gone removed. */
static enum crm_err
apply(struct crm_db *db, void *arg)
{
	const char *const *w = arg;
	static const size_t stmts[] = { STMT_FOLLOW_DROP, STMT_FOLLOW_CONTACTS, STMT_FOLLOW_ACCOUNTS,
		STMT_FOLLOW_KB_DROP, STMT_FOLLOW_KB };
	struct crm_db_bind b[2];
	enum crm_err e;
	size_t i;

	crm_db_bind_str(&b[0], w[0], (size_t)-1);
	crm_db_bind_str(&b[1], w[1], (size_t)-1);
	for (i = 0; i < CRM_NELEM(stmts); i++)
		if ((e = crm_db_exec(db, stmts[i], b, 2, NULL, NULL)) != CRM_OK)
			return e;
	return CRM_OK;
}

/* One window on one server: 1 when it applied one, 0 when the server is
 * up to date, -1 when it could not be reached. */
static int
follow_one(struct search_follow_server *s)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	const char *upto;
	const char *window[2];
	enum crm_err e;
	int rc = 0;

	if (s->db == NULL && crm_db_open(&s->db, &s->conf, customers_stmts, STMT__MAX) != CRM_OK) {
		crm_db_close(s->db);
		s->db = NULL;
		return -1;
	}
	crm_db_bind_str(&b[0], s->done, (size_t)-1);
	crm_db_bind_str(&b[1], s->done, (size_t)-1);
	if (crm_db_row(s->db, STMT_FOLLOW_UPTO, b, 2, &row) != CRM_OK)
		return -1;
	upto = json_string_value(json_object_get(row, "upto"));
	if (upto != NULL) {
		window[0] = s->done;
		window[1] = upto;
		/* Mroonga does not roll back: the transaction only keeps the
		 * window's statements on one connection, in one piece. */
		if ((e = crm_db_tx(s->db, apply, (void *)window)) == CRM_OK) {
			snprintf(s->done, sizeof(s->done), "%s", upto);
			rc = 1;
		} else {
			crm_log(CRM_LOG_ERROR, "search: %s: %s", s->host, crm_db_error(s->db));
			rc = e == CRM_EDBGONE ? -1 : 0;
		}
	}
	json_decref(row);
	return rc;
}

int
search_follow_pass(struct search_follow *f)
{
	size_t i;
	int more = 0;

	for (i = 0; i < f->n; i++) {
		struct search_follow_server *s = &f->s[i];
		int rc = follow_one(s);

		if (rc < 0 && !s->down)
			crm_log(CRM_LOG_WARN, "search: %s cannot be reached; its index is caught up when it can",
			    s->host);
		else if (rc >= 0 && s->down)
			crm_log(CRM_LOG_INFO, "search: %s answers again; catching its index up from %s",
			    s->host, s->done);
		s->down = rc < 0;
		more |= rc > 0;
	}
	return more;
}

void
search_follow_close(struct search_follow *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		crm_db_close(f->s[i].db);
		f->s[i].db = NULL;
	}
	f->n = 0;
}

int
search_follow_prune(struct crm_db *db)
{
	uint64_t gone = 0;

	if (crm_db_exec(db, STMT_FOLLOW_PRUNE, NULL, 0, &gone, NULL) != CRM_OK) {
		crm_log(CRM_LOG_WARN, "search: pruning the search log: %s", crm_db_error(db));
		return 0;
	}
	return gone == FOLLOW_PRUNE_ROWS;
}
