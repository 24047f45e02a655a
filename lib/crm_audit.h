/* The audit log: one row per change or sign-in event, written in the same
 * transaction as the change, each row's hash chained to the previous. */
#ifndef CRM_AUDIT_H
#define CRM_AUDIT_H

#include <jansson.h>

#include "crm_db.h"
#include "crm_http.h"

struct crm_audit_actor {
	long long user_id;      /* 0: nobody signed in (a failed sign-in) or crmctl */
	const char *ip;
	/* 0 for a person or a program; a rule acting on a change of depth n
	 * writes n + 1 (crm_events.h), which is how rules cannot loop. */
	int depth;
};

/* Appends a row. before and after are the record's fields (either may be
 * NULL for a create or delete); only fields that differ are kept, and
 * secrets (password_hash, totp_secret, token_hash) never are. Call it
 * inside the caller's transaction, as late as possible: it locks the
 * chain's head until commit. */
enum crm_err crm_audit_write(struct crm_db *, const struct crm_audit_actor *,
    const char *action, const char *entity, long long entity_id,
    json_t *before, json_t *after);
/* The same, with the actor taken from the request. */
enum crm_err crm_ctx_audit(struct crm_ctx *, const char *action, const char *entity,
    long long entity_id, json_t *before, json_t *after);

/* A record's own history for its page: the latest 20 rows, each with who,
 * when (in the user's zone) and the names of the changed fields, less those
 * the user's field rules hide for rules_entity. */
enum crm_err crm_ctx_history(struct crm_ctx *, const char *entity, const char *rules_entity,
    long long id, json_t **rows);

/* The hash of one row given the previous row's hash: what crmctl audit
 * verify recomputes. */
void crm_audit_hash(const unsigned char prev[32], const char *at, long long user_id,
    const char *ip, const char *action, const char *entity, long long entity_id,
    const char *changes, unsigned char out[32]);
/* The changes object kept for a before/after pair; NULL when nothing changed. */
json_t *crm_audit_changes(json_t *before, json_t *after);

#endif
