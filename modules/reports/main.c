/* crm-reports: dashboards per role, the report builder, and the pages of
 * the analytics (scores, segments, models, forecasts, recommendations,
 * data quality) that `crmctl analytics` and this module's job runner
 * compute. One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
	/* dashboards: a dashboard per role, each as charts, tables and CSV */
	{ "GET", "/reports", "reports.read", reports_home, "reports/dashboard" },

	/* analytics: runs and their progress, segments */
	{ "GET", "/reports/analytics", "reports.read", reports_analytics, "reports/analytics" },
	{ "POST", "/reports/analytics/runs", "reports.analytics", reports_analytics_run_start, "reports/analytics" },
	{ "GET", "/reports/analytics/runs/:id", "reports.read", reports_analytics_run_show, "reports/analytics_run" },

	/* @@routes-churn: churn risk and lead scoring */
	{ "GET", "/reports/churn", "reports.read", reports_churn, "reports/churn" },
	{ "GET", "/reports/leads", "reports.read", reports_leads, "reports/leads" },
	/* @@routes-forecast: the sales forecast and sentiment */
	/* @@routes-baskets: recommendations and data quality */
	/* @@routes-builder: the report builder and saved reports */
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
