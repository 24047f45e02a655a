/* A ticket's SLA due times, shared by the service module (tickets opened
 * on the web, the customer form, recalculation) and the automation
 * module (tickets opened or reopened by mail), so a ticket keeps the same
 * due times whichever way it came in. The policy of the ticket's
 * priority gives targets in business minutes of its calendar; a ticket
 * taken off pending has its due times moved later by the business
 * minutes it waited. Each call runs in the caller's transaction, which
 * audits the change it belongs to. */
#ifndef CRM_TICKET_SLA_H
#define CRM_TICKET_SLA_H

#include "crm.h"
#include "crm_arena.h"
#include "crm_bizhours.h"
#include "crm_db.h"

/* The hours, holidays and time zone of a policy's calendar into b. */
enum crm_err crm_ticket_sla_calendar(struct crm_db *, long long policy_id, struct crm_bizhours *b);
/* Due times from the policy of the ticket's priority (none when no active
 * policy), lengthened by the minutes already paused; a first response
 * already given keeps the due time it was measured against.
 * CRM_ENOTFOUND when there is no such ticket. */
enum crm_err crm_ticket_sla_start(struct crm_arena *, struct crm_db *, long long ticket_id);
/* Takes a paused ticket off pause, moving its open due times later by the
 * business minutes paused; nothing for a ticket that is not paused. */
enum crm_err crm_ticket_sla_resume(struct crm_arena *, struct crm_db *, long long ticket_id);

#endif
