/* crm-admin: private declarations. */
#ifndef ADMIN_EXTERN_H
#define ADMIN_EXTERN_H

#include "crm_http.h"

enum stmt {
	STMT_HEALTH_MIGRATIONS,
	STMT__MAX
};

extern const char *const admin_stmts[STMT__MAX];

int admin_home(struct crm_ctx *);
int admin_health(struct crm_ctx *);

#endif
