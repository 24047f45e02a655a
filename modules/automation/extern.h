/* crm-automation: private declarations, one section per area. */
#ifndef AUTOMATION_EXTERN_H
#define AUTOMATION_EXTERN_H

#include <stddef.h>

#include "crm_conf.h"
#include "crm_db.h"
#include "crm_http.h"

enum stmt {
	/* home.c */
	STMT_HOME_CURSORS,
	STMT_HOME_TICKS,

	/* @@stmts-rules */
	/* @@stmts-webhooks */
	/* @@stmts-mail */
	STMT__MAX
};
extern const char *const automation_stmts[STMT__MAX];

/* common.c */
void automation_nav(struct crm_ctx *, const char *current);
void automation_flash(struct crm_ctx *);

/* home.c */
int automation_home(struct crm_ctx *);

/* commands.c: the job runner. A part is one kind of background work; its
 * tick does what is due and returns the units of work done (a positive
 * count runs it again at once), or -1 with a reason for the admin in err. */
#define AUTOMATION_COMMAND_USAGE "jobs [--pidfile FILE] [--once]"
int automation_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
struct automation_part {
	const char *name;               /* automation_ticks.name */
	const char *what;               /* English, N_(): the home page's line */
	int every_seconds;              /* how often when there was nothing to do */
	int (*tick)(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
};

/* The runner's parts, ending with a NULL name. */
extern const struct automation_part automation_parts[];

/* @@decls-rules */
/* @@decls-webhooks */
/* @@decls-mail */

#endif
