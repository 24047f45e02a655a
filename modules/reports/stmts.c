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
};
