/* The search log (055_search_changes.sql) replayed into the search index
 * of every server [database] host names, by the customers job runner. */
#ifndef SEARCH_FOLLOW_H
#define SEARCH_FOLLOW_H

#include "crm_conf.h"
#include "crm_db.h"

struct search_follow_server {
	struct crm_conf conf;   /* the runner's, with host this server alone */
	char host[300];
	struct crm_db *db;
	char done[32];          /* the log is applied up to here */
	int down;               /* the last pass could not reach it */
};

/* The runner's for as long as it runs (on its stack, not in a request's
 * arena). */
struct search_follow {
	size_t n;
	struct search_follow_server s[CRM_DB_MAX_HOSTS];
};

/* 0 when [database] names one server (or a socket): its index is written
 * by the modules themselves and nothing needs following; else 1. */
int search_follow_open(struct search_follow *, const struct crm_conf *);
/* One pass over every server: brings each reachable one's index up to
 * the log, a window at a time. Returns 1 when a window was left for the
 * next pass, else 0. A server that cannot be reached is left where it
 * was and caught up when it answers again. */
int search_follow_pass(struct search_follow *);
/* Closes its connections. */
void search_follow_close(struct search_follow *);
/* Drops the log's rows older than a day (any runner, any setup), 10,000
 * at most; returns 1 when there may be more. */
int search_follow_prune(struct crm_db *);

#endif
