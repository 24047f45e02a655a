/* crm-service: private declarations, one section per area. */
#ifndef SERVICE_EXTERN_H
#define SERVICE_EXTERN_H

#include "crm_http.h"

enum stmt {
	/* common.c */
	STMT_SETTING,

	/* categories.c */
	STMT_CATEGORIES,
	STMT_CATEGORY_GET,
	STMT_CATEGORY_CREATE,
	STMT_CATEGORY_UPDATE,
	STMT_TEAMS,

	/* tickets */

	/* sla */

	/* public */

	/* kb */

	/* mail */

	STMT__MAX
};

extern const char *const service_stmts[STMT__MAX];

/* common.c: what every service handler shares. */
void service_bind_scope(struct crm_ctx *, struct crm_db_bind *);        /* 5 binds, as SCOPE() */
void service_nav(struct crm_ctx *, const char *current);
void service_flash(struct crm_ctx *);
const char *service_setting(struct crm_ctx *, const char *name, const char *fallback);
const char *service_form(struct crm_ctx *, const char *name);
const char *service_query(struct crm_ctx *, const char *name);
/* The record of stmt whose id is bound first (then, when scoped, the
 * scope), or NULL with *status 404 or 500. */
json_t *service_load(struct crm_ctx *, size_t stmt, long long id, int scoped, int *status);

/* categories.c */
int service_categories(struct crm_ctx *);
int service_category_create(struct crm_ctx *);
int service_category_update(struct crm_ctx *);

/* tickets */

/* sla */

/* public */

/* kb */

/* mail */

#endif
