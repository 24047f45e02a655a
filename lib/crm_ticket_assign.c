/* The ticket assignment rules (crm_ticket_assign.h). */
#include <string.h>

#include "crm_ticket_assign.h"

/* A category of 0 matches no row, so only rules for any category apply. */
static const char RULE_MATCH[] = "SELECT id, team_id, method, last_user_id FROM ticket_rules"
    " FORCE INDEX (ticket_rules_order) WHERE active AND (category_id IS NULL OR category_id = ?)"
    " ORDER BY position, id LIMIT 1 FOR UPDATE";
/* The next active member after the pointer, else the first. */
static const char RULE_NEXT_MEMBER[] = "SELECT id FROM users WHERE team_id = ? AND active"
    " ORDER BY id > ? DESC, id LIMIT 1";
/* Each member's open tickets: one agent's range on tickets_owner. */
static const char RULE_LEAST_OPEN[] = "SELECT u.id, (SELECT COUNT(*) FROM tickets t FORCE INDEX (tickets_owner)"
    " WHERE t.owner_id = u.id AND t.status IN ('new', 'open', 'pending') AND t.deleted_at IS NULL)"
    " AS open_tickets FROM users u WHERE u.team_id = ? AND u.active ORDER BY open_tickets, u.id LIMIT 1";
static const char RULE_POINTER[] = "UPDATE ticket_rules SET last_user_id = ? WHERE id = ?";
static const char TICKET_ASSIGN[] = "UPDATE tickets SET owner_id = ?, team_id = ? WHERE id = ?";

enum crm_err
crm_ticket_assign(struct crm_db *db, long long ticket_id, long long category_id, struct crm_ticket_assignment *out)
{
	struct crm_db_bind b[3];
	json_t *rule = NULL, *pick = NULL;
	long long team, last, owner;
	enum crm_err e;
	int round_robin;

	memset(out, 0, sizeof(*out));
	crm_db_bind_i64(&b[0], category_id);
	if ((e = crm_db_row_sql(db, RULE_MATCH, b, 1, &rule)) == CRM_ENOTFOUND)
		return CRM_OK;
	if (e != CRM_OK)
		return e;
	team = json_integer_value(json_object_get(rule, "team_id"));
	last = json_integer_value(json_object_get(rule, "last_user_id"));
	round_robin = strcmp(json_string_value(json_object_get(rule, "method")), "round_robin") == 0;
	crm_db_bind_i64(&b[0], team);
	crm_db_bind_i64(&b[1], last);
	e = crm_db_row_sql(db, round_robin ? RULE_NEXT_MEMBER : RULE_LEAST_OPEN, b, round_robin ? 2 : 1, &pick);
	if (e == CRM_ENOTFOUND) {
		e = CRM_OK;     /* an empty team: the ticket waits unassigned */
		goto out;
	}
	if (e != CRM_OK)
		goto out;
	owner = json_integer_value(json_object_get(pick, "id"));
	crm_db_bind_i64(&b[0], owner);
	if (round_robin) {
		crm_db_bind_i64(&b[1], json_integer_value(json_object_get(rule, "id")));
		if ((e = crm_db_exec_sql(db, RULE_POINTER, b, 2, NULL, NULL)) != CRM_OK)
			goto out;
	}
	crm_db_bind_i64(&b[1], team);
	crm_db_bind_i64(&b[2], ticket_id);
	if ((e = crm_db_exec_sql(db, TICKET_ASSIGN, b, 3, NULL, NULL)) != CRM_OK)
		goto out;
	out->owner_id = owner;
	out->team_id = team;
	out->rule_id = json_integer_value(json_object_get(rule, "id"));
out:
	json_decref(pick);
	json_decref(rule);
	return e;
}

json_t *
crm_ticket_assign_json(const struct crm_ticket_assignment *a)
{
	return json_pack("{s:I,s:I,s:I}", "owner_id", (json_int_t)a->owner_id, "team_id", (json_int_t)a->team_id,
	    "rule_id", (json_int_t)a->rule_id);
}
