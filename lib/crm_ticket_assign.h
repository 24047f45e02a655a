/* The ticket assignment rules, shared by the service module (tickets from
 * the web and the customer form) and the automation module (tickets from
 * mail), so a ticket reaches an agent the same way whichever way it came
 * in. Rules are tried in order (position, then id); the first whose
 * category matches (or that takes any) picks a member of its team, in
 * turn (round robin on the rule's pointer, under the rule row's lock) or
 * the one with the fewest open tickets (ties to the lowest id). No rule,
 * or an empty team, leaves the ticket waiting unassigned. */
#ifndef CRM_TICKET_ASSIGN_H
#define CRM_TICKET_ASSIGN_H

#include "crm.h"
#include "crm_db.h"

struct crm_ticket_assignment {
	long long owner_id;     /* 0: nobody was picked, and nothing was written */
	long long team_id;
	long long rule_id;
};

/* Picks and writes the ticket's owner and team, in the caller's
 * transaction; category_id 0 for a ticket without one. The caller audits
 * the assignment (as its own actor) when owner_id is set. */
enum crm_err crm_ticket_assign(struct crm_db *, long long ticket_id, long long category_id,
    struct crm_ticket_assignment *);
/* The audit row's "after" for an assignment. */
json_t *crm_ticket_assign_json(const struct crm_ticket_assignment *);

#endif
