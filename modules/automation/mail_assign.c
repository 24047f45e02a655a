/* A mail ticket's owner: the service module's assignment rules
 * (modules/service/ticket_rules.c) with this module's statements, so a
 * ticket opened by mail reaches an agent as one from the web form does.
 * The first active rule for any category picks a member of its team,
 * round robin or the one with the fewest open tickets; no rule, or an
 * empty team, leaves the ticket waiting unassigned. Runs in the caller's
 * transaction, audited as the runner (user 0). */
#include <string.h>

#include "crm_audit.h"
#include "extern.h"

enum crm_err
automation_mail_assign(struct crm_db *db, long long ticket_id)
{
	static const struct crm_audit_actor runner = { 0, "", 0 };
	struct crm_db_bind b[3];
	json_t *rule = NULL, *pick = NULL;
	long long rule_id, team, last, owner;
	enum crm_err e;
	int round_robin;

	if ((e = crm_db_row(db, STMT_MAIL_RULE_MATCH, NULL, 0, &rule)) == CRM_ENOTFOUND)
		return CRM_OK;
	if (e != CRM_OK)
		return e;
	rule_id = json_integer_value(json_object_get(rule, "id"));
	team = json_integer_value(json_object_get(rule, "team_id"));
	last = json_integer_value(json_object_get(rule, "last_user_id"));
	round_robin = strcmp(json_string_value(json_object_get(rule, "method")), "round_robin") == 0;
	crm_db_bind_i64(&b[0], team);
	crm_db_bind_i64(&b[1], last);
	if ((e = crm_db_row(db, round_robin ? STMT_MAIL_RULE_NEXT_MEMBER : STMT_MAIL_RULE_LEAST_OPEN, b,
	    round_robin ? 2 : 1, &pick)) == CRM_ENOTFOUND)
		return CRM_OK;
	if (e != CRM_OK)
		return e;
	owner = json_integer_value(json_object_get(pick, "id"));
	if (round_robin) {
		crm_db_bind_i64(&b[0], owner);
		crm_db_bind_i64(&b[1], rule_id);
		if ((e = crm_db_exec(db, STMT_MAIL_RULE_POINTER, b, 2, NULL, NULL)) != CRM_OK)
			return e;
	}
	crm_db_bind_i64(&b[0], owner);
	crm_db_bind_i64(&b[1], team);
	crm_db_bind_i64(&b[2], ticket_id);
	if ((e = crm_db_exec(db, STMT_MAIL_TICKET_ASSIGN, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	return crm_audit_write(db, &runner, "assign", "ticket", ticket_id, json_pack("{s:n}", "owner_id"),
	    json_pack("{s:I,s:I,s:I}", "owner_id", (json_int_t)owner, "team_id", (json_int_t)team,
	    "rule_id", (json_int_t)rule_id));
}
