/* crm-reports: private declarations, one section per area. */
#ifndef REPORTS_EXTERN_H
#define REPORTS_EXTERN_H

#include "crm_http.h"
#include "crm_tmpl.h"

enum stmt {
	/* dashboards.c */
	STMT_DASH_PIPELINE,

	/* analytics.c: runs */
	STMT_RUNS_LATEST,
	STMT_RUN_GET,
	STMT_RUN_ACTIVE,
	STMT_MODELS,

	/* @@stmts-churn */
	/* @@stmts-forecast */
	/* @@stmts-baskets */
	/* @@stmts-builder */
	STMT_SAVED_LIST,
	STMT_SAVED_GET,
	STMT_SAVED_CREATE,
	STMT_SAVED_UPDATE,
	STMT_SAVED_DELETE,
	STMT_SAVED_ROLES,
	STMT_SAVED_ROLE,
	STMT__MAX
};
extern const char *const reports_stmts[STMT__MAX];

/* common.c */
/* Marks the reports area and sub-page current in the navigation and
 * says what the reader may do (can_write, can_analytics). */
void reports_nav(struct crm_ctx *, const char *current);
/* Turns ?done=<code> into the page's flash message. */
void reports_flash(struct crm_ctx *);
/* Formats a number for a chart's labels and tooltips: whole numbers
 * grouped ("12,345"), as crm_chart.h's format callback. */
const char *reports_format_count(void *arg, struct crm_arena *, double);
/* Money in the base currency, whole units ("12,345"). */
const char *reports_format_money(void *arg, struct crm_arena *, double);

/* dashboards.c */
int reports_home(struct crm_ctx *);

/* analytics.c */
int reports_analytics(struct crm_ctx *);
int reports_analytics_run_start(struct crm_ctx *);
int reports_analytics_run_show(struct crm_ctx *);

/* @@decls-churn */
/* @@decls-forecast */
/* @@decls-baskets */
/* @@decls-builder */
/* saved.c, saved_form.c, saved_run.c (builder.h holds what they share) */
int reports_saved(struct crm_ctx *);
int reports_saved_new(struct crm_ctx *);
int reports_saved_create(struct crm_ctx *);
int reports_saved_show(struct crm_ctx *);
int reports_saved_edit(struct crm_ctx *);
int reports_saved_update(struct crm_ctx *);
int reports_saved_delete(struct crm_ctx *);
int reports_saved_csv(struct crm_ctx *);
int reports_saved_preview_csv(struct crm_ctx *);

/* commands.c: crm-reports jobs (the analytics runs queued from the page) */
int reports_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
#define REPORTS_COMMAND_USAGE "jobs [--pidfile FILE] [--once] [--stale SECONDS]"

#endif
