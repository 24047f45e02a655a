/* Every SQL statement crm-reports runs, one section per area. */
#include "extern.h"

/* Record scope, as the other modules bind it (crm_auth_bind_scope): all,
 * the reader's own, or their team's (o: the owner in users). */
#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define SCOPE_USER(u) \
	" (? = 'all' OR " u ".id = ? OR (? = 'team' AND ? <> 0 AND " u ".team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define SEGMENT_SAMPLE(n) "(SELECT segment, recency_days, revenue FROM customer_scores"\
	" FORCE INDEX (customer_scores_segment) WHERE segment = " #n " ORDER BY segment, account_id LIMIT 150)"

const char *const reports_stmts[STMT__MAX] = {
	/* dashboards.c: each reads kept totals (opportunity_totals,
	 * order_month_totals, ticket_month_totals, ticket_open_counts), never
	 * the records themselves. */
	/* The sales dashboard's three charts in one statement (the forecast
	 * is kept by each worker): part 1 the open stages of the default
	 * pipeline with their amounts, part 2 the sellers in scope with a win
	 * or a quota this month, part 3 the order months from the first one;
	 * a and b their two figures. Binds: the scope; this month twice and
	 * the user scope; the first month and the scope. */
	[STMT_DASH_SALES] = "(SELECT 1 AS part, s.position AS ord, '' AS sort_name, s.id, s.name,"
	    " IFNULL(SUM(t.amount), 0) AS a, 0 AS b FROM pipeline_stages s"
	    " JOIN pipelines p ON p.id = s.pipeline_id AND p.is_default"
	    " LEFT JOIN (opportunity_totals t STRAIGHT_JOIN users o ON o.id = t.owner_id)"
	    "  ON t.stage_id = s.id AND" SCOPE("t")
	    " WHERE s.active AND s.kind = 'open' GROUP BY s.id, s.name, s.position)"
	    " UNION ALL (SELECT 2, 0, u.name, u.id, u.name, IFNULL(w.won, 0), IFNULL(q.amount, 0)"
	    " FROM users u LEFT JOIN (SELECT t.owner_id, SUM(t.amount) AS won FROM opportunity_totals t"
	    "  JOIN pipeline_stages s ON s.id = t.stage_id AND s.kind = 'won' WHERE t.close_month = ?"
	    "  GROUP BY t.owner_id) w ON w.owner_id = u.id"
	    " LEFT JOIN quotas q ON q.user_id = u.id AND q.month = ?"
	    " WHERE (w.won IS NOT NULL OR q.amount IS NOT NULL) AND" SCOPE_USER("u")
	    " ORDER BY u.name, u.id LIMIT 50)"
	    " UNION ALL (SELECT 3, 0, DATE_FORMAT(t.month, '%Y-%m'), 0, DATE_FORMAT(t.month, '%Y-%m'),"
	    " SUM(t.orders), SUM(t.revenue) FROM order_month_totals t STRAIGHT_JOIN users o ON o.id = t.owner_id"
	    " WHERE t.month >= ? AND" SCOPE("t") " GROUP BY t.month)"
	    " ORDER BY part, ord, sort_name, id",
	[STMT_DASH_FORECAST] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, actual, predicted, lower_bound, upper_bound"
	    " FROM sales_forecast WHERE month >= ? ORDER BY month",
	/* Open tickets per team; an unassigned ticket counts for everyone
	 * who may see the team's queue. */
	[STMT_DASH_OPEN_TICKETS] = "SELECT IFNULL(tm.name, '') AS team, SUM(t.tickets) AS tickets"
	    " FROM ticket_open_counts t LEFT JOIN users o ON o.id = t.owner_id LEFT JOIN teams tm ON tm.id = t.team_id"
	    " WHERE t.tickets > 0 AND (t.owner_id = 0 OR" SCOPE("t") ")"
	    " GROUP BY t.team_id, tm.name ORDER BY tm.name",
	/* Tickets opened per month and how many breached a target; staff who
	 * see their own or their team's records see their team's figures. */
	[STMT_DASH_TICKET_MONTHS] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, SUM(tickets) AS tickets,"
	    " SUM(breached) AS breached FROM ticket_month_totals"
	    " WHERE month >= ? AND (? = 'all' OR ? = 0 OR team_id = ?) GROUP BY month ORDER BY month",
	[STMT_DASH_CSAT_MONTHS] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, answers,"
	    " score_sum / NULLIF(answers, 0) AS score FROM csat_month_totals WHERE month >= ? ORDER BY month",
	[STMT_DASH_SENTIMENT_MONTHS] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, SUM(negative) AS negative,"
	    " SUM(neutral) AS neutral, SUM(positive) AS positive FROM sentiment_month_totals WHERE month >= ?"
	    " GROUP BY month ORDER BY month",
	/* The latest campaigns that ran, with what each cost and earned (the
	 * kept attribution) and how many messages reached someone. */
	[STMT_DASH_CAMPAIGNS] = "SELECT c.id, c.name, c.type, c.members, c.actual_cost,"
	    " IFNULL(a.orders, 0) AS orders, IFNULL(a.revenue, 0) AS revenue,"
	    " (SELECT IFNULL(SUM(x.sent), 0) FROM campaign_sends x WHERE x.campaign_id = c.id) AS reached"
	    " FROM campaigns c FORCE INDEX (campaigns_status) STRAIGHT_JOIN users o ON o.id = c.owner_id"
	    " LEFT JOIN campaign_attribution a ON a.campaign_id = c.id"
	    " WHERE c.status IN ('active', 'completed') AND c.deleted_at IS NULL AND" SCOPE("c")
	    " ORDER BY c.starts_on DESC, c.id DESC LIMIT 8",
	/* The team side by side: each seller's wins and quota this month, open
	 * pipeline, order revenue this month and open tickets (?: the month's
	 * first day, three times). */
	[STMT_DASH_TEAM] = "SELECT u.id, u.name,"
	    " IFNULL((SELECT SUM(t.amount) FROM opportunity_totals t FORCE INDEX (opportunity_totals_owner)"
	    "  JOIN pipeline_stages s ON s.id = t.stage_id WHERE t.owner_id = u.id AND s.kind = 'won'"
	    "  AND t.close_month = ?), 0) AS won,"
	    " IFNULL((SELECT q.amount FROM quotas q WHERE q.user_id = u.id AND q.month = ?), 0) AS quota,"
	    " IFNULL((SELECT SUM(t.amount) FROM opportunity_totals t FORCE INDEX (opportunity_totals_owner)"
	    "  JOIN pipeline_stages s ON s.id = t.stage_id WHERE t.owner_id = u.id AND s.kind = 'open'), 0) AS pipeline,"
	    " IFNULL((SELECT m.revenue FROM order_month_totals m WHERE m.owner_id = u.id AND m.month = ?), 0) AS revenue,"
	    " IFNULL((SELECT SUM(k.tickets) FROM ticket_open_counts k WHERE k.owner_id = u.id), 0) AS tickets"
	    " FROM users u WHERE u.active AND EXISTS (SELECT 1 FROM role_permissions p WHERE p.role_id = u.role_id"
	    " AND p.permission IN ('*', 'sales.write', 'service.write')) AND" SCOPE_USER("u")
	    " ORDER BY u.name, u.id LIMIT 50",

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
	/* Each model's figures are on its own page: the list needs none. */
	[STMT_MODELS] = "SELECT name, " STAMP("trained_at") " AS trained_at, rows_used"
	    " FROM analytics_models ORDER BY name",

	/* segments.c: at most 150 customers of each segment for the scatter,
	 * each segment read by its own index range. */
	[STMT_SEGMENTS] = "SELECT segment, customers, recency_days, orders, revenue, tickets, traits"
	    " FROM customer_segments ORDER BY segment",
	[STMT_SEGMENT_MODEL] = "SELECT " STAMP("trained_at") " AS trained_at, rows_used, metrics FROM analytics_models"
	    " WHERE name = 'segments'",
	[STMT_SEGMENT_SAMPLE] = SEGMENT_SAMPLE(1) " UNION ALL " SEGMENT_SAMPLE(2) " UNION ALL " SEGMENT_SAMPLE(3)
	    " UNION ALL " SEGMENT_SAMPLE(4) " UNION ALL " SEGMENT_SAMPLE(5) " UNION ALL " SEGMENT_SAMPLE(6)
	    " UNION ALL " SEGMENT_SAMPLE(7) " UNION ALL " SEGMENT_SAMPLE(8),
	[STMT_SEGMENT_MEMBERS] = "SELECT a.id, a.name, o.name AS owner, s.recency_days, s.orders, s.revenue, s.clv,"
	    " s.r, s.f, s.m, s.churn_probability FROM customer_scores s FORCE INDEX (customer_scores_segment)"
	    " STRAIGHT_JOIN accounts a ON a.id = s.account_id STRAIGHT_JOIN users o ON o.id = a.owner_id"
	    " WHERE s.segment = ? AND s.account_id > ? AND a.deleted_at IS NULL AND" SCOPE("a")
	    " ORDER BY s.account_id LIMIT 51",

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
	/* forecast.c: what the forecast step stored */
	[STMT_FORECAST_ROWS] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, actual, predicted, lower_bound, upper_bound"
	    " FROM sales_forecast ORDER BY month",
	[STMT_MODEL_GET] = "SELECT " STAMP("trained_at") " AS trained_at, rows_used, metrics"
	    " FROM analytics_models WHERE name = ?",
	/* sentiment.c: the last 12 months, each agent's last 6, from the
	 * totals the step keeps (042); sentiment is the mean of p_positive -
	 * p_negative, -1 to 1. */
	[STMT_SENT_MONTHS] = "SELECT DATE_FORMAT(month, '%Y-%m') AS month, SUM(texts) AS texts,"
	    " SUM(negative) AS negative, SUM(neutral) AS neutral, SUM(positive) AS positive"
	    " FROM sentiment_month_totals"
	    " WHERE month >= UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY - INTERVAL 11 MONTH"
	    " GROUP BY month ORDER BY month",
	[STMT_SENT_AGENTS] = "SELECT s.agent_id, u.name, DATE_FORMAT(s.month, '%Y-%m') AS month, s.texts,"
	    " s.sentiment_sum / s.texts AS sentiment FROM sentiment_month_totals s"
	    " JOIN users u ON u.id = s.agent_id"
	    " WHERE s.month >= UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY - INTERVAL 5 MONTH AND s.texts > 0"
	    " ORDER BY u.name, s.agent_id, s.month",
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
	/* baskets.c: the rules are at most a thousand rows, id their rank. */
	[STMT_BASKET_MODEL] = "SELECT " STAMP("trained_at") " AS trained_at, rows_used, metrics"
	    " FROM analytics_models WHERE name = 'baskets'",
#define RULE_COLUMNS "r.id, r.antecedent, r.consequent_id, r.support, r.confidence, r.lift," \
	" pa.id AS a_id, pa.name AS a_name, pb.id AS b_id, pb.name AS b_name, pc.name AS c_name" \
	" FROM association_rules r" \
	" JOIN products pa ON pa.id = CAST(SUBSTRING_INDEX(r.antecedent, ',', 1) AS UNSIGNED)" \
	" LEFT JOIN products pb ON LOCATE(',', r.antecedent) > 0" \
	"  AND pb.id = CAST(SUBSTRING_INDEX(r.antecedent, ',', -1) AS UNSIGNED)" \
	" JOIN products pc ON pc.id = r.consequent_id"
	[STMT_BASKET_RULES] = "SELECT " RULE_COLUMNS " WHERE r.id > ? ORDER BY r.id LIMIT 51",
	/* One row a product (rank 1), so the chooser costs a product each. */
	[STMT_BASKET_PRODUCTS] = "SELECT p.id, p.name, p.sku FROM product_similar s"
	    " JOIN products p ON p.id = s.product_id WHERE s.rank_no = 1 ORDER BY p.name, p.id LIMIT 500",
	[STMT_BASKET_PRODUCT] = "SELECT id, name, sku FROM products WHERE id = ?",
	[STMT_BASKET_SIMILAR] = "SELECT s.rank_no, s.similar_id, s.cosine, p.name, p.sku FROM product_similar s"
	    " JOIN products p ON p.id = s.similar_id WHERE s.product_id = ? ORDER BY s.rank_no",
	[STMT_BASKET_PRODUCT_RULES] = "SELECT " RULE_COLUMNS
	    " WHERE r.antecedent = CAST(? AS CHAR) OR r.antecedent LIKE CONCAT(?, ',%')"
	    " OR r.antecedent LIKE CONCAT('%,', ?) ORDER BY r.id LIMIT 20",
	/* quality.c: the examples of records out of the reader's reach are left out. */
	[STMT_QUALITY] = "SELECT entity, field, records, missing, invalid, duplicate, " STAMP("computed_at")
	    " AS computed_at FROM data_quality ORDER BY entity, field",
#define QUALITY_EXAMPLES(entity, table) "SELECT e.entity, e.field, e.problem, e.record_id, e.value" \
	" FROM data_quality_examples e JOIN " table " t ON t.id = e.record_id JOIN users o ON o.id = t.owner_id" \
	" WHERE e.entity = '" entity "' AND" SCOPE("t")
	[STMT_QUALITY_EXAMPLES] = QUALITY_EXAMPLES("contacts", "contacts") " UNION ALL "
	    QUALITY_EXAMPLES("accounts", "accounts") " UNION ALL " QUALITY_EXAMPLES("leads", "leads")
	    " ORDER BY entity, field, problem, record_id",
	/* @@stmt-text-builder */
	/* saved.c: the reader's reports and those shared with their role,
	 * each half walking its own index (owner or role, name, id) from the
	 * keyset and stopping at 51; the union is then put in order.
	 * Binds: user, after name twice, after id; role, the same three. */
	[STMT_SAVED_LIST] = "SELECT r.id, r.name, r.owner_id, u.name AS owner, IFNULL(ro.name, '') AS shared_role,"
	    " " STAMP("r.updated_at") " AS updated_at FROM ("
	    "(SELECT id FROM saved_reports FORCE INDEX (saved_reports_owner) WHERE owner_id = ?"
	    " AND (name > ? OR (name = ? AND id > ?)) ORDER BY name, id LIMIT 51) UNION"
	    " (SELECT id FROM saved_reports FORCE INDEX (saved_reports_role) WHERE shared_role_id = ?"
	    " AND (name > ? OR (name = ? AND id > ?)) ORDER BY name, id LIMIT 51)) k"
	    " JOIN saved_reports r ON r.id = k.id JOIN users u ON u.id = r.owner_id"
	    " LEFT JOIN roles ro ON ro.id = r.shared_role_id ORDER BY r.name, r.id LIMIT 51",
	/* One report, if the reader owns it or it is shared with their role:
	 * id, user, role. */
	[STMT_SAVED_GET] = "SELECT r.id, r.name, r.definition, r.owner_id, u.name AS owner, r.shared_role_id,"
	    " IFNULL(ro.name, '') AS shared_role, " STAMP("r.updated_at") " AS updated_at"
	    " FROM saved_reports r JOIN users u ON u.id = r.owner_id LEFT JOIN roles ro ON ro.id = r.shared_role_id"
	    " WHERE r.id = ? AND (r.owner_id = ? OR r.shared_role_id = ?)",
	[STMT_SAVED_CREATE] = "INSERT INTO saved_reports (owner_id, name, definition, shared_role_id) VALUES (?, ?, ?, ?)",
	/* Only the owner's: name, definition, role, id, owner. */
	[STMT_SAVED_UPDATE] = "UPDATE saved_reports SET name = ?, definition = ?, shared_role_id = ?"
	    " WHERE id = ? AND owner_id = ?",
	[STMT_SAVED_DELETE] = "DELETE FROM saved_reports WHERE id = ? AND owner_id = ?",
	[STMT_SAVED_ROLES] = "SELECT id, name FROM roles ORDER BY name",
	[STMT_SAVED_ROLE] = "SELECT id, name FROM roles WHERE id = ?",
};
