/* Every SQL statement crm-service runs, one section per area. Tickets
 * belong to their agent (owner_id) for SCOPE(t), as records do elsewhere;
 * o is the owner joined from users. */
#include "extern.h"

#define SCOPE(t) \
	" (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"
#define STAMP(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define LIMIT " LIMIT 51"

const char *const service_stmts[STMT__MAX] = {
	/* common.c */
	[STMT_SETTING] = "SELECT value FROM settings WHERE name = ?",

	/* categories.c: a short list, an admin's. */
	[STMT_CATEGORIES] = "SELECT c.id, c.name, c.team_id, t.name AS team, c.active FROM ticket_categories c"
	    " LEFT JOIN teams t ON t.id = c.team_id ORDER BY c.active DESC, c.name LIMIT 500",
	[STMT_CATEGORY_GET] = "SELECT id, name, team_id, active FROM ticket_categories WHERE id = ?",
	[STMT_CATEGORY_CREATE] = "INSERT INTO ticket_categories (name, team_id) VALUES (?, ?)",
	[STMT_CATEGORY_UPDATE] = "UPDATE ticket_categories SET name = ?, team_id = ?, active = ? WHERE id = ?",
	[STMT_TEAMS] = "SELECT id, name FROM teams ORDER BY name LIMIT 500",

	/* tickets */

	/* sla: calendars and policies are an admin's short lists. */
	[STMT_SLA_CALENDARS] = "SELECT id, name, time_zone, is_default FROM business_calendars ORDER BY name LIMIT 500",
	[STMT_SLA_CALENDAR_GET] = "SELECT id, name, time_zone, is_default FROM business_calendars WHERE id = ?",
	[STMT_SLA_CALENDAR_CREATE] = "INSERT INTO business_calendars (name, time_zone) VALUES (?, ?)",
	[STMT_SLA_CALENDAR_UPDATE] = "UPDATE business_calendars SET name = ?, time_zone = ? WHERE id = ?",
	[STMT_SLA_HOURS] = "SELECT weekday, TIME_FORMAT(opens, '%H:%i') AS opens, TIME_FORMAT(closes, '%H:%i') AS closes"
	    " FROM business_hours WHERE calendar_id = ? ORDER BY weekday, opens",
	[STMT_SLA_HOURS_CLEAR] = "DELETE FROM business_hours WHERE calendar_id = ?",
	[STMT_SLA_HOURS_ADD] = "INSERT INTO business_hours (calendar_id, weekday, opens, closes) VALUES (?, ?, ?, ?)",
	[STMT_SLA_HOLIDAYS] = "SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day, name FROM holidays WHERE calendar_id = ?"
	    " ORDER BY day LIMIT 1024",
	[STMT_SLA_HOLIDAY_ADD] = "INSERT INTO holidays (calendar_id, day, name) VALUES (?, ?, ?)",
	[STMT_SLA_HOLIDAY_DELETE] = "DELETE FROM holidays WHERE calendar_id = ? AND day = ?",
	[STMT_SLA_POLICIES] = "SELECT p.id, p.priority, p.name, p.first_response_minutes, p.resolution_minutes,"
	    " p.calendar_id, c.name AS calendar, p.active FROM sla_policies p"
	    " JOIN business_calendars c ON c.id = p.calendar_id"
	    " ORDER BY FIELD(p.priority, 'urgent', 'high', 'normal', 'low') LIMIT 10",
	[STMT_SLA_POLICY_GET] = "SELECT id, priority, name, first_response_minutes, resolution_minutes, calendar_id, active"
	    " FROM sla_policies WHERE id = ?",
	[STMT_SLA_POLICY_UPDATE] = "UPDATE sla_policies SET name = ?, first_response_minutes = ?, resolution_minutes = ?,"
	    " calendar_id = ?, active = ? WHERE id = ?",
	[STMT_SLA_POLICY_FOR] = "SELECT p.id, p.first_response_minutes, p.resolution_minutes, p.calendar_id, c.time_zone"
	    " FROM sla_policies p JOIN business_calendars c ON c.id = p.calendar_id WHERE p.priority = ? AND p.active",
	[STMT_SLA_POLICY_CALENDAR] = "SELECT p.calendar_id, c.time_zone FROM sla_policies p"
	    " JOIN business_calendars c ON c.id = p.calendar_id WHERE p.id = ?",
	/* A ticket's SLA columns, locked for the change that follows. */
	[STMT_SLA_TICKET] = "SELECT id, priority, status, " STAMP("created_at") " AS created_at, sla_policy_id, "
	    STAMP("first_response_due") " AS first_response_due, " STAMP("resolution_due") " AS resolution_due, "
	    STAMP("first_responded_at") " AS first_responded_at, " STAMP("paused_at") " AS paused_at, "
	    STAMP("UTC_TIMESTAMP()") " AS now, paused_minutes FROM tickets WHERE id = ? AND deleted_at IS NULL FOR UPDATE",
	[STMT_SLA_TICKET_SET] = "UPDATE tickets SET sla_policy_id = ?, first_response_due = ?, resolution_due = ? WHERE id = ?",
	[STMT_SLA_PAUSE] = "UPDATE tickets SET paused_at = UTC_TIMESTAMP() WHERE id = ? AND paused_at IS NULL",
	[STMT_SLA_RESUME] = "UPDATE tickets SET paused_at = NULL, paused_minutes = paused_minutes + ?,"
	    " first_response_due = ?, resolution_due = ? WHERE id = ? AND paused_at IS NOT NULL",
	/* Open tickets only, from the status index. */
	[STMT_SLA_BREACH_FIRST] = "UPDATE tickets SET first_response_breached = TRUE"
	    " WHERE status IN ('new', 'open') AND first_response_breached = FALSE AND first_responded_at IS NULL"
	    " AND paused_at IS NULL AND first_response_due < UTC_TIMESTAMP() AND deleted_at IS NULL",
	[STMT_SLA_BREACH_RESOLUTION] = "UPDATE tickets SET resolution_breached = TRUE"
	    " WHERE status IN ('new', 'open') AND resolution_breached = FALSE"
	    " AND paused_at IS NULL AND resolution_due < UTC_TIMESTAMP() AND deleted_at IS NULL",
	[STMT_SLA_OPEN_TICKETS] = "SELECT id, status, paused_at IS NOT NULL AS paused FROM tickets WHERE id > ? AND status IN ('new', 'open', 'pending')"
	    " AND deleted_at IS NULL ORDER BY id LIMIT 200",
	/* The breach report: tickets created in [from, to) from their date
	 * index, within the reader's scope. */
	[STMT_SLA_BREACHES_BY_AGENT] = "SELECT t.owner_id, COALESCE(o.name, '') AS agent, COUNT(*) AS tickets,"
	    " CAST(SUM(t.first_response_breached) AS SIGNED) AS first_response, CAST(SUM(t.resolution_breached) AS SIGNED) AS resolution"
	    " FROM tickets t FORCE INDEX (tickets_created) LEFT JOIN users o ON o.id = t.owner_id"
	    " WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted_at IS NULL"
	    " AND (t.first_response_breached OR t.resolution_breached) AND" SCOPE("t")
	    " GROUP BY t.owner_id, o.name ORDER BY tickets DESC, agent LIMIT 500",
	[STMT_SLA_BREACHES_BY_CATEGORY] = "SELECT t.category_id, COALESCE(k.name, '') AS category, COUNT(*) AS tickets,"
	    " CAST(SUM(t.first_response_breached) AS SIGNED) AS first_response, CAST(SUM(t.resolution_breached) AS SIGNED) AS resolution"
	    " FROM tickets t FORCE INDEX (tickets_created) LEFT JOIN users o ON o.id = t.owner_id"
	    " LEFT JOIN ticket_categories k ON k.id = t.category_id"
	    " WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted_at IS NULL"
	    " AND (t.first_response_breached OR t.resolution_breached) AND" SCOPE("t")
	    " GROUP BY t.category_id, k.name ORDER BY tickets DESC, category LIMIT 500",
	[STMT_SLA_BREACHES] = "SELECT t.id, t.subject, t.priority, t.status, COALESCE(o.name, '') AS agent,"
	    " COALESCE(k.name, '') AS category, " STAMP("t.created_at") " AS created_at,"
	    " CONCAT(" STAMP("t.created_at") ", ',', t.id) AS page_key,"
	    " t.first_response_breached, t.resolution_breached"
	    " FROM tickets t FORCE INDEX (tickets_created) LEFT JOIN users o ON o.id = t.owner_id"
	    " LEFT JOIN ticket_categories k ON k.id = t.category_id"
	    " WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted_at IS NULL"
	    " AND (t.first_response_breached OR t.resolution_breached) AND" SCOPE("t")
	    " AND (? = '' OR t.created_at < ? OR (t.created_at = ? AND t.id < ?))"
	    " ORDER BY t.created_at DESC, t.id DESC" LIMIT,
	/* One ticket's SLA columns, within the reader's scope. */
	[STMT_SLA_TICKET_STATE] = "SELECT t.id, t.subject, t.priority, t.status, t.sla_policy_id, p.name AS policy,"
	    " " STAMP("t.first_response_due") " AS first_response_due, " STAMP("t.resolution_due") " AS resolution_due,"
	    " " STAMP("t.first_responded_at") " AS first_responded_at, " STAMP("t.paused_at") " AS paused_at,"
	    " t.paused_minutes, t.first_response_breached, t.resolution_breached"
	    " FROM tickets t LEFT JOIN users o ON o.id = t.owner_id LEFT JOIN sla_policies p ON p.id = t.sla_policy_id"
	    " WHERE t.id = ? AND t.deleted_at IS NULL AND" SCOPE("t"),

	/* public */

	/* kb */

	/* mail */
};

_Static_assert(CRM_NELEM(service_stmts) == STMT__MAX, "service_stmts");
