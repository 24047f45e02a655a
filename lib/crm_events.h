/* What happened, for the automation: the audit log read in order by the
 * consumers that react to changes (rules, webhooks, notifications). Every
 * writer already appends its audit row in the same transaction as its
 * change, and the chain's head lock makes rows commit in id order, so a
 * consumer that remembers the last id it handled misses nothing and
 * needs no table of its own filled by the writers.
 *
 * Each consumer has a row in automation_cursors (migration 043). An event
 * is handled in one transaction together with the cursor's move, which
 * succeeds only from the position it was read at: a crash repeats the
 * event, never skips it, and two runners never both act on it. */
#ifndef CRM_EVENTS_H
#define CRM_EVENTS_H

#include <stddef.h>

#include <jansson.h>

#include "crm.h"
#include "crm_db.h"

/* Rules stop acting on changes deeper than this (crm_audit_actor.depth). */
#define CRM_EVENTS_MAX_DEPTH 5

struct crm_event {
	long long id;                   /* audit_log.id */
	const char *at;                 /* "YYYY-MM-DD HH:MM:SS.ffffff", UTC */
	long long user_id;              /* 0: nobody (a program, a rule, a public form) */
	const char *action;             /* "create", "update", "delete", "stage", ... */
	const char *entity;             /* "ticket", "contact", "opportunity", ... */
	long long entity_id;            /* 0: none */
	/* {"before": {...}, "after": {...}}: the changed fields of an update,
	 * a create's whole record in "after" (before null), a delete's in
	 * "before" when its writer kept one. Never NULL: {} when absent. */
	json_t *changes;
	int depth;
};

/* Handles one event inside the transaction that will move the cursor past
 * it. CRM_OK when the event is done with, its own failures recorded where
 * the consumer keeps them (a run log, a delivery row); any other error
 * rolls back and stops the pass, and the event comes again next pass. */
typedef enum crm_err (*crm_event_fn)(struct crm_db *, const struct crm_event *, void *arg);

/* Reads up to max events past the cursor and handles each. *done (may be
 * NULL) gets how many were handled. CRM_ENOTFOUND when the cursor does not
 * exist. */
enum crm_err crm_events_run(struct crm_db *, const char *cursor, size_t max,
    crm_event_fn, void *arg, size_t *done);

/* How far a cursor is behind the newest event: for the automation page. */
enum crm_err crm_events_lag(struct crm_db *, const char *cursor, long long *last_id,
    long long *behind);

/* A field's value after and before the change (changes.after[field],
 * changes.before[field]); NULL when the event does not carry the field. */
json_t *crm_event_after(const struct crm_event *, const char *field);
json_t *crm_event_before(const struct crm_event *, const char *field);
/* 1 when the event carries field in its "after" (an update changed it, a
 * create set it). */
int crm_event_changed(const struct crm_event *, const char *field);

/* Records that a part of the job runner finished a pass (automation_ticks):
 * ok, the units of work it did, and the error when not ok. */
enum crm_err crm_events_tick(struct crm_db *, const char *part, int ok, long long work,
    const char *error);

#endif
