/* Every SQL statement crm-automation runs, one section per area. */
#include "extern.h"

#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"

const char *const automation_stmts[STMT__MAX] = {
	/* home.c: each consumer's place in the audit log, and how far behind
	 * the newest event it is (the audit log's primary key end, not a count). */
	[STMT_HOME_CURSORS] = "SELECT c.name, c.last_audit_id, c.events, " STAMP("c.updated_at") " AS moved_at,"
	    " CAST(GREATEST(IFNULL((SELECT MAX(id) FROM audit_log), 0) - c.last_audit_id, 0) AS SIGNED) AS behind"
	    " FROM automation_cursors c ORDER BY c.name",
	[STMT_HOME_TICKS] = "SELECT name, " STAMP("ticked_at") " AS ticked_at, ok, work, error,"
	    " CAST(TIMESTAMPDIFF(SECOND, ticked_at, UTC_TIMESTAMP()) AS SIGNED) AS seconds_ago"
	    " FROM automation_ticks ORDER BY name",

	/* @@sql-rules */
	/* rules.c, rules_form.c: the list by name; the run logs newest first,
	 * a rule's through its own index; the form's menus and the checks
	 * that what a rule names exists. */
	[STMT_RULES_LIST] = "SELECT r.id, r.name, r.entity, r.trigger_kind, r.enabled, r.runs,"
	    " IFNULL(JSON_VALUE(r.definition, '$.date_field'), '') AS date_field,"
	    " CAST(IFNULL(JSON_VALUE(r.definition, '$.offset_days'), 0) AS SIGNED) AS offset_days, "
	    "IFNULL(" STAMP("r.last_run_at") ", '') AS last_run_at FROM rules r FORCE INDEX (rules_name)"
	    " WHERE (r.name > ? OR (r.name = ? AND r.id > ?)) ORDER BY r.name, r.id LIMIT 51",
	[STMT_RULE_GET] = "SELECT id, name, entity, trigger_kind, definition, enabled, runs,"
	    " IFNULL(" STAMP("last_run_at") ", '') AS last_run_at, " STAMP("updated_at") " AS updated_at"
	    " FROM rules WHERE id = ?",
	[STMT_RULE_CREATE] = "INSERT INTO rules (name, entity, trigger_kind, definition, enabled, created_by)"
	    " VALUES (?, ?, ?, ?, ?, ?)",
	/* A changed rule reads its dates afresh (rule_timers still keeps
	 * each record from firing twice for one date). */
	[STMT_RULE_UPDATE] = "UPDATE rules SET name = ?, entity = ?, trigger_kind = ?, definition = ?, enabled = ?,"
	    " timer_through = NULL WHERE id = ?",
	[STMT_RULE_ENABLE] = "UPDATE rules SET enabled = ? WHERE id = ?",
	[STMT_RULE_DELETE] = "DELETE FROM rules WHERE id = ?",
	[STMT_RULE_RUNS] = "SELECT id, rule_id, IFNULL(audit_id, 0) AS audit_id, entity, record_id, record_name,"
	    " trigger_kind, depth, status, actions, error, " STAMP("created_at") " AS created_at"
	    " FROM rule_runs FORCE INDEX (rule_runs_rule) WHERE rule_id = ? AND id < ? ORDER BY id DESC LIMIT 51",
	[STMT_RULES_RECENT_RUNS] = "SELECT x.id, x.rule_id, r.name AS rule_name, IFNULL(x.audit_id, 0) AS audit_id,"
	    " x.entity, x.record_id, x.record_name, x.trigger_kind, x.depth, x.status, x.actions, x.error, "
	    STAMP("x.created_at") " AS created_at FROM rule_runs x JOIN rules r ON r.id = x.rule_id"
	    " WHERE x.id < ? ORDER BY x.id DESC LIMIT 51",
	[STMT_RULE_USER] = "SELECT id FROM users WHERE id = ? AND active = 1",
	[STMT_RULE_TEAM] = "SELECT id FROM teams WHERE id = ?",
	[STMT_RULE_TEMPLATE] = "SELECT id FROM email_templates WHERE id = ? AND deleted_at IS NULL",
	[STMT_RULE_WEBHOOK] = "SELECT id FROM webhooks WHERE id = ?",
	[STMT_RULE_USERS] = "SELECT id, name FROM users WHERE active = 1 ORDER BY name, id LIMIT 500",
	[STMT_RULE_TEAMS] = "SELECT id, name FROM teams ORDER BY name, id LIMIT 200",
	[STMT_RULE_TEMPLATES] = "SELECT id, name FROM email_templates FORCE INDEX (email_templates_name)"
	    " WHERE deleted_at IS NULL ORDER BY name LIMIT 500",
	[STMT_RULE_WEBHOOKS] = "SELECT id, name FROM webhooks ORDER BY name, id LIMIT 200",
	/* @@sql-webhooks */
	/* @@sql-mail */
};
