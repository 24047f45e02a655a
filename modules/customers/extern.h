/* crm-customers: private declarations. */
#ifndef CUSTOMERS_EXTERN_H
#define CUSTOMERS_EXTERN_H

#include "crm_http.h"

enum stmt {
	STMT_ACCOUNTS_PAGE,
	STMT_ACCOUNT_GET,
	STMT_ACCOUNT_CREATE,
	STMT_ACCOUNT_UPDATE,
	STMT_ACCOUNT_REASSIGN,
	STMT_OWNERS,
	STMT__MAX
};

extern const char *const customers_stmts[STMT__MAX];

int customers_accounts(struct crm_ctx *);
int customers_account_new(struct crm_ctx *);
int customers_account_create(struct crm_ctx *);
int customers_account_show(struct crm_ctx *);
int customers_account_update(struct crm_ctx *);
int customers_account_reassign(struct crm_ctx *);

#endif
