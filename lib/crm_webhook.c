/* Webhook deliveries: queueing (crm_webhook.h). */
#include <stdlib.h>

#include "crm_webhook.h"

#define DELIVERY_QUEUE "INSERT INTO webhook_deliveries (webhook_id, event, audit_id, payload)"\
	" SELECT w.id, ?, NULLIF(?, 0), ? FROM webhooks w WHERE w.id = ? AND w.enabled"

enum crm_err
crm_webhook_enqueue(struct crm_db *db, long long webhook_id, const char *event, long long audit_id,
    json_t *payload)
{
	struct crm_db_bind b[4];
	json_free_t json_free;
	uint64_t rows = 0;
	enum crm_err e;
	char *text = json_dumps(payload, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (text == NULL)
		return CRM_EINVAL;
	crm_db_bind_str(&b[0], event, (size_t)-1);
	crm_db_bind_i64(&b[1], audit_id);
	crm_db_bind_str(&b[2], text, (size_t)-1);
	crm_db_bind_i64(&b[3], webhook_id);
	e = crm_db_exec_sql(db, DELIVERY_QUEUE, b, 4, &rows, NULL);
	/* json_dumps used jansson's allocator, which may be a request arena. */
	json_get_alloc_funcs(NULL, &json_free);
	json_free(text);
	if (e == CRM_OK && rows == 0)
		return CRM_ENOTFOUND;
	return e;
}
