/* crm-reports: dashboards per role, the report builder, and the pages of
 * the analytics (scores, segments, models, forecasts, recommendations,
 * data quality) that `crmctl analytics` and this module's job runner
 * compute. One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"
#include "crm_health.h"

static const struct crm_route routes[] = {
	/* For a load balancer or a monitor: can this instance work? */
	{ "GET", "/reports/health", CRM_PERM_PUBLIC, crm_health, NULL },
	/* dashboards: a dashboard per role, each as charts, tables and CSV */
	{ "GET", "/reports", "reports.read", reports_home, "reports/dashboard" },
	{ "GET", "/reports/dashboards/:name", "reports.read", reports_dashboard, "reports/dashboard" },
	{ "GET", "/reports/dashboards/:name/csv", "reports.read", reports_dashboard_csv, NULL },

	/* analytics: runs and their progress, segments */
	{ "GET", "/reports/analytics", "reports.read", reports_analytics, "reports/analytics" },
	{ "POST", "/reports/analytics/runs", "reports.analytics", reports_analytics_run_start, "reports/analytics" },
	{ "GET", "/reports/analytics/runs/:id", "reports.read", reports_analytics_run_show, "reports/analytics_run" },
	{ "GET", "/reports/segments", "reports.read", reports_segments, "reports/segments" },
	{ "GET", "/reports/segments/:id", "reports.read", reports_segment_show, "reports/segment" },

	/* @@routes-churn: churn risk and lead scoring */
	{ "GET", "/reports/churn", "reports.read", reports_churn, "reports/churn" },
	{ "GET", "/reports/leads", "reports.read", reports_leads, "reports/leads" },
	/* @@routes-forecast: the sales forecast and sentiment */
	{ "GET", "/reports/forecast", "reports.read", reports_forecast, "reports/forecast" },
	{ "GET", "/reports/sentiment", "reports.read", reports_sentiment, "reports/sentiment" },
	{ "GET", "/reports/sentiment/labels", "reports.analytics", reports_sentiment_labels, "reports/sentiment_labels" },
	{ "POST", "/reports/sentiment/labels", "reports.analytics", reports_sentiment_label_create, "reports/sentiment_labels" },
	{ "POST", "/reports/sentiment/labels/:id", "reports.analytics", reports_sentiment_label_update, "reports/sentiment_labels" },
	{ "POST", "/reports/sentiment/labels/:id/delete", "reports.analytics", reports_sentiment_label_delete, "reports/sentiment_labels" },
	/* @@routes-baskets: recommendations and data quality */
	{ "GET", "/reports/recommendations", "reports.read", reports_recommendations, "reports/recommendations" },
	{ "GET", "/reports/quality", "reports.read", reports_quality, "reports/quality" },
	/* @@routes-builder: the report builder and saved reports */
	{ "GET", "/reports/saved", "reports.read", reports_saved, "reports/saved" },
	{ "GET", "/reports/saved/new", "reports.write", reports_saved_new, "reports/saved_form" },
	{ "GET", "/reports/saved/csv", "reports.write", reports_saved_preview_csv, NULL },
	{ "POST", "/reports/saved", "reports.write", reports_saved_create, "reports/saved_form" },
	{ "GET", "/reports/saved/:id", "reports.read", reports_saved_show, "reports/saved_show" },
	{ "GET", "/reports/saved/:id/edit", "reports.write", reports_saved_edit, "reports/saved_form" },
	{ "GET", "/reports/saved/:id/csv", "reports.read", reports_saved_csv, NULL },
	{ "POST", "/reports/saved/:id", "reports.write", reports_saved_update, "reports/saved_form" },
	{ "POST", "/reports/saved/:id/delete", "reports.write", reports_saved_delete, "reports/saved_show" },
};

static const struct crm_module module = {
	"reports", routes, CRM_NELEM(routes), reports_stmts, STMT__MAX,
	reports_command, REPORTS_COMMAND_USAGE,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
