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
	/* @@stmt-text-forecast */
	/* forecast.c: what the forecast step stored */
	[STMT_FORECAST_ROWS] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, actual, predicted, lower_bound, upper_bound"
	    " FROM sales_forecast ORDER BY month",
	[STMT_MODEL_GET] = "SELECT " STAMP("trained_at") " AS trained_at, rows_used, metrics"
	    " FROM analytics_models WHERE name = ?",
	/* sentiment.c: the last 12 months, each agent's last 6; sentiment is
	 * the mean of p_positive - p_negative, -1 to 1. */
	[STMT_SENT_MONTHS] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, COUNT(*) AS texts,"
	    " SUM(label = 'negative') AS negative, SUM(label = 'neutral') AS neutral, SUM(label = 'positive') AS positive"
	    " FROM sentiment_scores FORCE INDEX (sentiment_scores_month)"
	    " WHERE month >= UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY - INTERVAL 11 MONTH"
	    " GROUP BY month ORDER BY month",
	[STMT_SENT_AGENTS] = "SELECT s.agent_id, u.name, DATE_FORMAT(s.month, '%Y-%m') AS month, COUNT(*) AS texts,"
	    " AVG(s.p_positive - s.p_negative) AS sentiment FROM sentiment_scores s FORCE INDEX (sentiment_scores_month)"
	    " JOIN users u ON u.id = s.agent_id"
	    " WHERE s.month >= UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY - INTERVAL 5 MONTH"
	    " GROUP BY s.agent_id, u.name, s.month ORDER BY u.name, s.agent_id, s.month",
	[STMT_SENT_ACCOUNT] = "SELECT a.id, a.name, cs.sentiment FROM accounts a STRAIGHT_JOIN users o ON o.id = a.owner_id"
	    " LEFT JOIN customer_scores cs ON cs.account_id = a.id WHERE a.id = ? AND" SCOPE("a"),
	[STMT_SENT_ACCOUNT_TREND] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, COUNT(*) AS texts,"
	    " SUM(label = 'negative') AS negative, SUM(label = 'neutral') AS neutral, SUM(label = 'positive') AS positive,"
	    " AVG(p_positive - p_negative) AS sentiment FROM sentiment_scores FORCE INDEX (sentiment_scores_account)"
	    " WHERE account_id = ? GROUP BY month ORDER BY month",
#define SENT_TEXT_COLS "s.source, s.source_id, s.label, s.p_negative, s.p_positive, DATE_FORMAT(s.month, '%Y-%m') AS month,"\
	" s.account_id, IFNULL(a.name, '') AS account_name, IFNULL(u.name, '') AS agent_name,"\
	" COALESCE(m.ticket_id, c.ticket_id) AS ticket_id, COALESCE(m.body, c.comment, '') AS body,"\
	" l.id AS label_id, l.label AS labelled"
/* sentiment_labels is utf8mb4_unicode_ci, sentiment_scores the default. */
#define SENT_TEXT_JOINS " LEFT JOIN accounts a ON a.id = s.account_id LEFT JOIN users o ON o.id = a.owner_id"\
	" LEFT JOIN users u ON u.id = s.agent_id"\
	" LEFT JOIN ticket_messages m ON s.source = 'ticket_message' AND m.id = s.source_id"\
	" LEFT JOIN csat_responses c ON s.source = 'csat' AND c.ticket_id = s.source_id"\
	" LEFT JOIN sentiment_labels l ON l.source = s.source COLLATE utf8mb4_unicode_ci AND l.source_id = s.source_id"
	/* Texts of customers the reader may see, and those of no customer. */
	[STMT_SENT_RECENT] = "SELECT " SENT_TEXT_COLS " FROM sentiment_scores s FORCE INDEX (sentiment_scores_month)"
	    SENT_TEXT_JOINS " WHERE (s.account_id IS NULL OR" SCOPE("a") ")"
	    " ORDER BY s.month DESC, s.source DESC, s.source_id DESC LIMIT 20",
	[STMT_SENT_RECENT_ACCOUNT] = "SELECT " SENT_TEXT_COLS " FROM sentiment_scores s FORCE INDEX (sentiment_scores_account)"
	    SENT_TEXT_JOINS " WHERE s.account_id = ? ORDER BY s.month DESC, s.source DESC, s.source_id DESC LIMIT 20",
	/* sentiment_labels.c: the training text, newest first */
	[STMT_LABELS_LIST] = "SELECT l.id, l.body, l.label, l.source, l.source_id, IFNULL(u.name, '') AS labelled_by,"
	    " " STAMP("l.updated_at") " AS updated_at FROM sentiment_labels l LEFT JOIN users u ON u.id = l.labelled_by"
	    " WHERE (? = 0 OR l.id < ?) AND (? = '' OR l.label = ?) ORDER BY l.id DESC LIMIT 51",
	[STMT_LABEL_GET] = "SELECT id, body, label, source, source_id FROM sentiment_labels WHERE id = ? FOR UPDATE",
	[STMT_LABEL_BY_SOURCE] = "SELECT id, body, label, source, source_id FROM sentiment_labels"
	    " WHERE source = ? AND source_id = ? FOR UPDATE",
	[STMT_LABEL_INSERT] = "INSERT INTO sentiment_labels (body, label, source, source_id, labelled_by)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_LABEL_UPDATE] = "UPDATE sentiment_labels SET label = ?, labelled_by = ? WHERE id = ?",
	[STMT_LABEL_DELETE] = "DELETE FROM sentiment_labels WHERE id = ?",
	[STMT_LABEL_SOURCE_MESSAGE] = "SELECT body FROM ticket_messages WHERE id = ? AND kind = 'customer'",
	[STMT_LABEL_SOURCE_CSAT] = "SELECT comment AS body FROM csat_responses"
	    " WHERE ticket_id = ? AND comment IS NOT NULL AND comment <> ''",
	/* @@stmt-text-baskets */
	/* @@stmt-text-builder */
};
