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

/* Event types: "<entity>.created|updated|deleted" for the main records,
 * and a few that name what happened (opportunity.stage_changed,
 * ticket.resolved, quote.approved, ...). The list a hook chooses from,
 * NULL-terminated, in the form's order. */
extern const char *const crm_webhook_event_types[];
int crm_webhook_event_known(const char *type);
/* The event types one audit row stands for (an update that resolves a
 * ticket is both ticket.updated and ticket.resolved): up to
 * CRM_WEBHOOK_MAX_EVENTS go into out, and the count is returned; 0 for
 * rows no hook hears of (sign-ins, settings, anything not a record). */
#define CRM_WEBHOOK_MAX_EVENTS 4
size_t crm_webhook_events_of(const char *entity, const char *action, json_t *changes,
    const char *out[CRM_WEBHOOK_MAX_EVENTS]);

/* A hook's secret: "whsec_" and 43 base64url characters (32 random bytes). */
#define CRM_WEBHOOK_SECRET_LEN 49
void crm_webhook_new_secret(char out[CRM_WEBHOOK_SECRET_LEN + 1]);
/* The X-CRM-Signature value, "sha256=" and the lowercase hex of
 * HMAC-SHA256(key: the secret as written, message: "<timestamp>.<body>"). */
#define CRM_WEBHOOK_SIGNATURE_LEN (7 + 64)
void crm_webhook_sign(const char *secret, long long timestamp, const char *body, size_t len,
    char out[CRM_WEBHOOK_SIGNATURE_LEN + 1]);
/* 1 for an absolute http:// or https:// address with a host, no spaces or
 * controls, at most 2000 bytes. */
int crm_webhook_url_ok(const char *url);

/* One attempt's outcome: the HTTP status (0 when none came back), the
 * start of the answer (valid UTF-8), and what went wrong otherwise. */
struct crm_webhook_result {
	long code;
	char excerpt[501];
	char error[301];
};
/* POSTs body to url as application/json with X-CRM-Event, X-CRM-Delivery,
 * X-CRM-Timestamp (now, unix seconds) and X-CRM-Signature; redirects are
 * not followed, only http and https are spoken. CRM_OK when the receiver
 * answered 2xx. */
enum crm_err crm_webhook_post(const char *url, const char *secret, const char *event,
    long long delivery_id, const char *body, size_t len, long timeout_s,
    struct crm_webhook_result *);

#endif
