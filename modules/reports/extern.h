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
	STMT_CHURN_MODEL,
	STMT_CHURN_RISKIEST,
	STMT_LEADS_BEST,
	/* @@stmts-forecast */
	/* @@stmts-baskets */
	/* @@stmts-builder */
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
/* churn.c: churn risk; leads.c: lead scoring; churn_model.c: what both read
 * from a trained model */
int reports_churn(struct crm_ctx *);
int reports_leads(struct crm_ctx *);
/* The metrics of analytics_models(name) with trained_at localised, into
 * view's "model"; 0 when there is none yet (model null), -1 on a failure. */
int reports_churn_model(struct crm_ctx *, const char *name, json_t **metrics);
/* A share 0..1 as a whole percentage ("72%"); NULL or not a number: "". */
const char *reports_churn_percent(struct crm_ctx *, json_t *share);
/* A figure with two decimals ("0.81"); NULL: "". */
const char *reports_churn_fixed(struct crm_ctx *, json_t *v, int decimals);
/* @@decls-forecast */
/* @@decls-baskets */
/* @@decls-builder */

/* commands.c: crm-reports jobs (the analytics runs queued from the page) */
int reports_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
#define REPORTS_COMMAND_USAGE "jobs [--pidfile FILE] [--once] [--stale SECONDS]"

#endif
