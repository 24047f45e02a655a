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
