/* crmctl: private declarations. */
#ifndef CRMCTL_EXTERN_H
#define CRMCTL_EXTERN_H

#include "crm_conf.h"
#include "crm_db.h"

enum stmt {
	STMT_MIGRATIONS_CREATE,
	STMT_MIGRATIONS_LIST,
	STMT_MIGRATIONS_INSERT,
	STMT_MIGRATE_LOCK,
	STMT_MIGRATE_UNLOCK,
	STMT_USERS_ANY,
	STMT_USER_INSERT,
	STMT_USER_UNLOCK,
	STMT_THROTTLE_CLEAR,
	STMT_AUDIT_PAGE,
	STMT_AUDIT_HEAD,
	STMT_ACCOUNTS_ANY,
	STMT_DEMO_OWNERS,
	STMT_DEMO_ACCOUNT,
	STMT_DEMO_ACCOUNT_IDS,
	STMT_DEMO_CONTACT,
	STMT_DEMO_ACTIVITY,
	STMT_SEARCH_CLEAR,
	STMT_SEARCH_DROP_INDEX,
	STMT_SEARCH_CONTACTS,
	STMT_SEARCH_ACCOUNTS,
	STMT_SEARCH_INDEX,
	STMT_DEMO_RECOUNT,
	STMT__MAX
};

extern const char *const crmctl_stmts[STMT__MAX];

/* A command gets its arguments after its name and returns an exit status. */
int crmctl_migrate(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_user(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_audit(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_demo(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_search(struct crm_db *, const struct crm_conf *, int argc, char **argv);
int crmctl_search_rebuild(struct crm_db *);

#endif
