/* crm-reports: private declarations, one section per area. */
#ifndef REPORTS_EXTERN_H
#define REPORTS_EXTERN_H

#include "crm_http.h"
#include "crm_tmpl.h"

enum stmt {
	/* dashboards.c */
	STMT_DASH_SALES,
	STMT_DASH_FORECAST,
	STMT_DASH_OPEN_TICKETS,
	STMT_DASH_TICKET_MONTHS,
	STMT_DASH_CSAT_MONTHS,
	STMT_DASH_SENTIMENT_MONTHS,
	STMT_DASH_CAMPAIGNS,
	STMT_DASH_TEAM,

	/* analytics.c: runs */
	STMT_RUNS_LATEST,
	STMT_RUN_GET,
	STMT_RUN_ACTIVE,
	STMT_MODELS,
	/* segments.c */
	STMT_SEGMENTS,
	STMT_SEGMENT_MODEL,
	STMT_SEGMENT_SAMPLE,
	STMT_SEGMENT_MEMBERS,

	/* @@stmts-churn */
	STMT_CHURN_MODEL,
	STMT_CHURN_RISKIEST,
	STMT_LEADS_BEST,
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
	STMT_BASKET_MODEL,
	STMT_BASKET_RULES,
	STMT_BASKET_PRODUCTS,
	STMT_BASKET_PRODUCT,
	STMT_BASKET_SIMILAR,
	STMT_BASKET_PRODUCT_RULES,
	STMT_QUALITY,
	STMT_QUALITY_EXAMPLES,
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
int reports_dashboard(struct crm_ctx *);
int reports_dashboard_csv(struct crm_ctx *);

/* analytics.c */
int reports_analytics(struct crm_ctx *);
int reports_analytics_run_start(struct crm_ctx *);
int reports_analytics_run_show(struct crm_ctx *);
/* segments.c */
/* The traits of a segment ("recent,frequent") in the reader's words. */
const char *reports_segment_traits(struct crm_ctx *, const char *traits);
int reports_segments(struct crm_ctx *);
int reports_segment_show(struct crm_ctx *);

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
/* The keyset page of a list by a stored probability (highest first):
 * ?after=<probability>&after_id=<id>, the reader's scope bound after the
 * four keyset binds (9 in all). 0, or the HTTP status to answer. */
int reports_churn_page(struct crm_ctx *, size_t stmt, const char *path, const char *key, json_t **rows);
/* A figure with two decimals ("0.81"); NULL: "". */
const char *reports_churn_fixed(struct crm_ctx *, json_t *v, int decimals);
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
/* baskets.c: the association rules and each product's similar products */
int reports_recommendations(struct crm_ctx *);
/* quality.c: missing, invalid and duplicate values with links to fix them */
int reports_quality(struct crm_ctx *);
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
