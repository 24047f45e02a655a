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

	/* sla */

	/* public */

	/* kb */

	/* mail */
};

_Static_assert(CRM_NELEM(service_stmts) == STMT__MAX, "service_stmts");
