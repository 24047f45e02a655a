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
	STMT_RULES_LIST,
	STMT_RULE_GET,
	STMT_RULE_CREATE,
	STMT_RULE_UPDATE,
	STMT_RULE_ENABLE,
	STMT_RULE_DELETE,
	STMT_RULE_RUNS,
	STMT_RULES_RECENT_RUNS,
	STMT_RULE_USER,
	STMT_RULE_TEAM,
	STMT_RULE_TEMPLATE,
	STMT_RULE_WEBHOOK,
	STMT_RULE_USERS,
	STMT_RULE_TEAMS,
	STMT_RULE_TEMPLATES,
	STMT_RULE_WEBHOOKS,
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
/* rules.c: the list, enable and disable, delete, the run logs */
int automation_rules(struct crm_ctx *);
int automation_rule_enable(struct crm_ctx *);
int automation_rule_disable(struct crm_ctx *);
int automation_rule_delete(struct crm_ctx *);
int automation_rule_runs(struct crm_ctx *);
int automation_rules_runs(struct crm_ctx *);
/* rules_form.c: the form, new and edit, and its writes */
int automation_rule_new(struct crm_ctx *);
int automation_rule_edit(struct crm_ctx *);
int automation_rule_create(struct crm_ctx *);
int automation_rule_update(struct crm_ctx *);
/* rules_jobs.c: the runner's parts */
int automation_rules_tick(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
int automation_timers_tick(struct crm_db *, const struct crm_conf *, char *err, size_t errlen);
/* The run log's rows made readable: labels and messages translated. */
void automation_runs_view(struct crm_ctx *, json_t *rows);
/* @@decls-webhooks */
/* @@decls-mail */

#endif
