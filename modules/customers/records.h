/* Accounts and contacts alike: one table of what differs between them. */
#ifndef CUSTOMERS_RECORDS_H
#define CUSTOMERS_RECORDS_H

#include "extern.h"

struct record_kind {
	const char *entity;     /* audit and tag entity: "account" */
	const char *rules;      /* field rules entity: "accounts" */
	const char *path;       /* "/customers/accounts" */
	size_t get, reassign, del, restore;
};

extern const struct record_kind account_kind, contact_kind;

/* The record within the user's scope, or NULL with *status 404 or 500. */
json_t *record_load(struct crm_ctx *, const struct record_kind *, long long id, int deleted_too,
    int *status);
int record_reassign(struct crm_ctx *, const struct record_kind *);
int record_delete(struct crm_ctx *, const struct record_kind *);
int record_restore(struct crm_ctx *, const struct record_kind *);
int record_show_common(struct crm_ctx *, const struct record_kind *, json_t *rec);

#endif
