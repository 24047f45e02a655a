/* Every SQL statement crm-reports runs, one section per area. */
#include "extern.h"

/* Record scope, as the other modules bind it (crm_auth_bind_scope): all,
 * the reader's own, or their team's (o: the owner in users). */
#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"

const char *const reports_stmts[STMT__MAX] = {
	/* dashboards.c: each reads kept totals (opportunity_totals,
	 * order_month_totals, ticket_month_totals, ticket_open_counts), never
	 * the records themselves. */
	[STMT_DASH_PIPELINE] = "SELECT s.id, s.name, s.kind, IFNULL(SUM(t.deals), 0) AS deals,"
	    " IFNULL(SUM(t.amount), 0) AS amount FROM pipeline_stages s"
	    " JOIN pipelines p ON p.id = s.pipeline_id AND p.is_default"
	    " LEFT JOIN (opportunity_totals t STRAIGHT_JOIN users o ON o.id = t.owner_id)"
	    "  ON t.stage_id = s.id AND" SCOPE("t")
	    " WHERE s.active AND s.kind = 'open' GROUP BY s.id, s.name, s.kind, s.position ORDER BY s.position, s.id",

	/* analytics.c */
	[STMT_RUNS_LATEST] = "SELECT r.id, r.status, r.steps, r.steps_total, r.steps_done, r.current_step, r.summary,"
	    " r.error, " STAMP("r.requested_at") " AS requested_at, " STAMP("r.finished_at") " AS finished_at,"
	    " IFNULL(u.name, '') AS requested_by FROM analytics_runs r LEFT JOIN users u ON u.id = r.requested_by"
	    " ORDER BY r.id DESC LIMIT 10",
	[STMT_RUN_GET] = "SELECT r.id, r.status, r.steps, r.steps_total, r.steps_done, r.current_step, r.summary,"
	    " r.error, " STAMP("r.requested_at") " AS requested_at, " STAMP("r.started_at") " AS started_at, "
	    STAMP("r.finished_at") " AS finished_at, IFNULL(u.name, '') AS requested_by"
	    " FROM analytics_runs r LEFT JOIN users u ON u.id = r.requested_by WHERE r.id = ?",
	[STMT_RUN_ACTIVE] = "SELECT id FROM analytics_runs FORCE INDEX (analytics_runs_status)"
	    " WHERE status IN ('queued', 'running') ORDER BY id LIMIT 1",
	[STMT_MODELS] = "SELECT name, " STAMP("trained_at") " AS trained_at, rows_used, metrics"
	    " FROM analytics_models ORDER BY name",

	/* @@stmt-text-churn */
	/* churn.c, leads.c: the models' figures, then the riskiest customers
	 * and the likeliest open leads the reader may see, from the
	 * probability's index down. */
	[STMT_CHURN_MODEL] = "SELECT name, " STAMP("trained_at") " AS trained_at, rows_used, metrics"
	    " FROM analytics_models WHERE name = ?",
	[STMT_CHURN_RISKIEST] = "SELECT STRAIGHT_JOIN s.account_id AS id, a.name, s.churn_probability,"
	    " s.recency_days, s.orders, s.revenue, o.name AS owner"
	    " FROM customer_scores s FORCE INDEX (customer_scores_churn)"
	    " JOIN accounts a ON a.id = s.account_id JOIN users o ON o.id = a.owner_id"
	    " WHERE s.churn_probability IS NOT NULL AND"
	    " (? = '' OR s.churn_probability < ? OR (s.churn_probability = ? AND s.account_id < ?)) AND" SCOPE("a")
	    " ORDER BY s.churn_probability DESC, s.account_id DESC LIMIT 51",
	[STMT_LEADS_BEST] = "SELECT STRAIGHT_JOIN l.id, l.full_name, l.company, l.source, l.status,"
	    " s.tree_probability, s.logit_probability, s.rule_text, o.name AS owner"
	    " FROM lead_scores s FORCE INDEX (lead_scores_probability)"
	    " JOIN leads l ON l.id = s.lead_id JOIN users o ON o.id = l.owner_id"
	    " WHERE l.deleted_at IS NULL AND l.converted_at IS NULL AND l.status <> 'disqualified' AND"
	    " (? = '' OR s.tree_probability < ? OR (s.tree_probability = ? AND s.lead_id < ?)) AND" SCOPE("l")
	    " ORDER BY s.tree_probability DESC, s.lead_id DESC LIMIT 51",
	/* @@stmt-text-forecast */
	/* @@stmt-text-baskets */
	/* @@stmt-text-builder */
};
