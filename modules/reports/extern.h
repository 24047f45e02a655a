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
	/* forecast.c, sentiment.c, sentiment_labels.c */
	STMT_FORECAST_ROWS,
	STMT_MODEL_GET,
	STMT_SENT_MONTHS,
	STMT_SENT_AGENTS,
	STMT_SENT_ACCOUNT,
	STMT_SENT_ACCOUNT_TREND,
	STMT_SENT_RECENT,
	STMT_SENT_RECENT_ACCOUNT,
	STMT_LABELS_LIST,
	STMT_LABEL_GET,
	STMT_LABEL_BY_SOURCE,
	STMT_LABEL_INSERT,
	STMT_LABEL_UPDATE,
	STMT_LABEL_DELETE,
	STMT_LABEL_SOURCE_MESSAGE,
	STMT_LABEL_SOURCE_CSAT,
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
/* @@decls-forecast */
/* forecast.c */
int reports_forecast(struct crm_ctx *);
/* sentiment.c */
int reports_sentiment(struct crm_ctx *);
/* sentiment_labels.c */
int reports_sentiment_labels(struct crm_ctx *);
int reports_sentiment_label_create(struct crm_ctx *);
int reports_sentiment_label_update(struct crm_ctx *);
int reports_sentiment_label_delete(struct crm_ctx *);
/* The three labels in order, with the one matching selected (forms). */
json_t *reports_sentiment_label_options(struct crm_ctx *, const char *selected);
/* @@decls-baskets */
/* @@decls-builder */

/* commands.c: crm-reports jobs (the analytics runs queued from the page) */
int reports_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
#define REPORTS_COMMAND_USAGE "jobs [--pidfile FILE] [--once] [--stale SECONDS]"

#endif
