/* A webhook's JSON body: what happened (the event, when, who, to which
 * record, the changed fields) and the record as the API shows it, read by
 * primary key. The delivery id is added when it is sent, since one event
 * is queued for several hooks. */
#include <string.h>

#include "extern.h"

static const struct {
	const char *entity;
	enum stmt stmt;
} data_stmts[] = {
	{ "account", STMT_WJ_DATA_ACCOUNT },
	{ "contact", STMT_WJ_DATA_CONTACT },
	{ "lead", STMT_WJ_DATA_LEAD },
	{ "opportunity", STMT_WJ_DATA_OPPORTUNITY },
	{ "quote", STMT_WJ_DATA_QUOTE },
	{ "order", STMT_WJ_DATA_ORDER },
	{ "invoice", STMT_WJ_DATA_INVOICE },
	{ "ticket", STMT_WJ_DATA_TICKET },
	{ "activity", STMT_WJ_DATA_ACTIVITY },
};

/* The record now, or null: deleted, or an entity without a reader here
 * (a product, a campaign), whose changes still say what happened. */
static json_t *
record(struct crm_db *db, const char *entity, long long id)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	size_t i;

	for (i = 0; i < CRM_NELEM(data_stmts); i++) {
		if (strcmp(data_stmts[i].entity, entity) != 0)
			continue;
		crm_db_bind_i64(&b[0], id);
		if (id > 0 && crm_db_row(db, data_stmts[i].stmt, b, 1, &row) == CRM_OK)
			return row;
		break;
	}
	return json_null();
}

static json_t *
actor(struct crm_db *db, long long id)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	if (id <= 0)
		return json_null();
	crm_db_bind_i64(&b[0], id);
	if (crm_db_row(db, STMT_WJ_ACTOR, b, 1, &row) != CRM_OK)
		return json_pack("{s:I}", "id", (json_int_t)id);
	return row;
}

json_t *
automation_webhook_payload(struct crm_db *db, const char *event, const char *occurred_at,
    long long actor_id, const char *entity, long long entity_id, json_t *changes)
{
	/* "2026-11-29 14:30:05.123456" as RFC 3339 UTC. */
	char at[40];
	size_t n = occurred_at ? strlen(occurred_at) : 0;

	if (n >= 19 && n < sizeof(at) - 1) {
		memcpy(at, occurred_at, n);
		at[10] = 'T';
		at[n] = 'Z';
		at[n + 1] = '\0';
	} else
		at[0] = '\0';
	return json_pack("{s:s,s:s,s:o,s:s,s:o,s:o,s:o}", "event", event, "occurred_at", at,
	    "actor", actor(db, actor_id), "entity", entity,
	    "entity_id", entity_id > 0 ? json_integer(entity_id) : json_null(),
	    "changes", changes ? json_incref(changes) : json_object(), "data", record(db, entity, entity_id));
}
