/* Outbound webhooks (migration 043): events are queued as deliveries, one
 * per hook, and the automation job runner posts them, signed, retrying
 * with back-off, and switches a hook off after repeated failures. */
#ifndef CRM_WEBHOOK_H
#define CRM_WEBHOOK_H

#include <jansson.h>

#include "crm.h"
#include "crm_db.h"

/* Queues payload (the JSON body to send) for one hook, inside the
 * caller's transaction; audit_id 0 when no audit row caused it (a rule's
 * own call). CRM_ENOTFOUND when the hook is missing or switched off. */
enum crm_err crm_webhook_enqueue(struct crm_db *, long long webhook_id, const char *event,
    long long audit_id, json_t *payload);

/* @@webhook-api: the deliverer's part */

#endif
