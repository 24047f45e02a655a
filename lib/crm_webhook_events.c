/* Which webhook events an audit row stands for (crm_webhook.h). The audit
 * log already says what changed (action, entity, before/after), so the
 * event types are read off it here rather than emitted by the modules:
 * every change any module makes reaches the hooks without a line of
 * theirs. */
#include <string.h>

#include "crm_webhook.h"

/* The records a hook hears of; anything else in the audit log (sign-ins,
 * settings, roles, templates) is the admin's business, not an event. */
static const char *const entities[] = {
	"account", "contact", "lead", "opportunity", "quote", "order", "invoice", "ticket",
	"activity", "product", "campaign", NULL
};

#define CRUD(e) e ".created", e ".updated", e ".deleted"
const char *const crm_webhook_event_types[] = {
	CRUD("account"), CRUD("contact"), CRUD("lead"), "lead.converted",
	CRUD("opportunity"), "opportunity.stage_changed", "opportunity.assigned",
	CRUD("quote"), "quote.sent", "quote.approved", "quote.rejected", "quote.accepted", "quote.declined",
	CRUD("order"), CRUD("invoice"), "invoice.paid",
	CRUD("ticket"), "ticket.assigned", "ticket.replied", "ticket.resolved",
	CRUD("activity"), "activity.completed",
	CRUD("product"), CRUD("campaign"),
	NULL
};
#undef CRUD

/* Actions that name their own event beside "<entity>.updated". */
static const struct {
	const char *entity, *action, *event;
} named[] = {
	{ "lead", "convert", "lead.converted" },
	{ "opportunity", "stage", "opportunity.stage_changed" },
	{ "opportunity", "reassign", "opportunity.assigned" },
	{ "quote", "send", "quote.sent" },
	{ "quote", "approve", "quote.approved" },
	{ "quote", "reject", "quote.rejected" },
	{ "quote", "accept", "quote.accepted" },
	{ "quote", "decline", "quote.declined" },
	{ "invoice", "payment", "invoice.paid" },
	{ "ticket", "assign", "ticket.assigned" },
	{ "ticket", "reassign", "ticket.assigned" },
	{ "ticket", "reply", "ticket.replied" },
	{ "activity", "done", "activity.completed" },
};

int
crm_webhook_event_known(const char *type)
{
	size_t i;

	for (i = 0; type != NULL && crm_webhook_event_types[i] != NULL; i++)
		if (strcmp(type, crm_webhook_event_types[i]) == 0)
			return 1;
	return 0;
}

/* The canonical (static) spelling of "<entity>.<what>". */
static const char *
type_of(const char *entity, const char *what)
{
	size_t i, n = strlen(entity);

	for (i = 0; crm_webhook_event_types[i] != NULL; i++) {
		const char *t = crm_webhook_event_types[i];

		if (strncmp(t, entity, n) == 0 && t[n] == '.' && strcmp(t + n + 1, what) == 0)
			return t;
	}
	return NULL;
}

static size_t
add(const char *out[CRM_WEBHOOK_MAX_EVENTS], size_t n, const char *type)
{
	size_t i;

	if (type == NULL || n >= CRM_WEBHOOK_MAX_EVENTS)
		return n;
	for (i = 0; i < n; i++)
		if (out[i] == type)
			return n;
	out[n] = type;
	return n + 1;
}

static const char *
after_str(json_t *changes, const char *field)
{
	json_t *a = json_object_get(changes, "after");

	return json_is_object(a) ? json_string_value(json_object_get(a, field)) : NULL;
}

static int
after_has(json_t *changes, const char *field)
{
	json_t *a = json_object_get(changes, "after");

	return json_is_object(a) && json_object_get(a, field) != NULL;
}

size_t
crm_webhook_events_of(const char *entity, const char *action, json_t *changes,
    const char *out[CRM_WEBHOOK_MAX_EVENTS])
{
	const char *status;
	size_t i, n = 0;

	if (entity == NULL || action == NULL)
		return 0;
	for (i = 0; entities[i] != NULL && strcmp(entities[i], entity) != 0; i++)
		;
	if (entities[i] == NULL)
		return 0;
	if (strcmp(action, "create") == 0)
		return add(out, n, type_of(entity, "created"));
	if (strcmp(action, "delete") == 0 || strcmp(action, "erase") == 0)
		return add(out, n, type_of(entity, "deleted"));
	/* Reading or exporting a record changes nothing. */
	if (strcmp(action, "export") == 0)
		return 0;
	n = add(out, n, type_of(entity, "updated"));
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strcmp(named[i].entity, entity) == 0 && strcmp(named[i].action, action) == 0)
			n = add(out, n, type_of(entity, named[i].event + strlen(entity) + 1));
	/* The same facts reached by a plain edit of the record. */
	if (strcmp(entity, "opportunity") == 0 && after_has(changes, "stage_id"))
		n = add(out, n, type_of(entity, "stage_changed"));
	if (strcmp(entity, "opportunity") == 0 && after_has(changes, "owner_id"))
		n = add(out, n, type_of(entity, "assigned"));
	if (strcmp(entity, "ticket") == 0 && after_has(changes, "owner_id") &&
	    !json_is_null(json_object_get(json_object_get(changes, "after"), "owner_id")))
		n = add(out, n, type_of(entity, "assigned"));
	status = after_str(changes, "status");
	if (status != NULL && strcmp(entity, "ticket") == 0 && strcmp(status, "resolved") == 0)
		n = add(out, n, type_of(entity, "resolved"));
	if (status != NULL && strcmp(entity, "quote") == 0 && strcmp(action, "update") == 0 &&
	    strcmp(status, "approved") == 0)
		n = add(out, n, type_of(entity, "approved"));
	return n;
}
