/* A campaign's status moves one way, planned -> active -> completed, and
 * a deletion only hides it (its members, sends and clicks stay for the
 * results of other pages and for the audit). Both are audited. */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

struct move {
	struct crm_ctx *c;
	long long id;
	const char *from, *to;
};

static enum crm_err
status_tx(struct crm_db *db, void *arg)
{
	struct move *m = arg;
	struct crm_db_bind b[3];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], m->to, (size_t)-1);
	crm_db_bind_i64(&b[1], m->id);
	crm_db_bind_str(&b[2], m->from, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_CAMPAIGN_STATUS, b, 3, &n, NULL)) != CRM_OK)
		return e;
	/* Someone else moved it first. */
	if (n == 0)
		return CRM_ECONFLICT;
	return crm_ctx_audit(m->c, "status", "campaign", m->id, json_pack("{s:s}", "status", m->from),
	    json_pack("{s:s}", "status", m->to));
}

/* The campaign's page again, the reason beside the status button. */
static int
again(struct crm_ctx *c, int status, const char *message)
{
	int st;

	crm_ctx_field_error(c, "status", message);
	if ((st = marketing_campaign_show(c)) != 200)
		return st;
	return crm_ctx_status(c, status);
}

int
marketing_campaign_status(struct crm_ctx *c)
{
	struct move m = { c, crm_ctx_id(c, "id"), NULL, crm_ctx_form_str(c, "status") };
	int status;
	json_t *campaign = marketing_campaign_load(c, m.id, &status);
	enum crm_err e;

	if (campaign == NULL)
		return status;
	m.from = json_string_value(json_object_get(campaign, "status"));
	if (!((strcmp(m.from, "planned") == 0 && strcmp(m.to, "active") == 0) ||
	    (strcmp(m.from, "active") == 0 && strcmp(m.to, "completed") == 0)))
		return again(c, 409, N_("A campaign moves from planned to active to completed, one step at a time."));
	if ((e = crm_db_tx(c->db, status_tx, &m)) == CRM_ECONFLICT)
		return again(c, 409, N_("The campaign's status was changed meanwhile: reload the page."));
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/campaigns/%lld?done=status", m.id));
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct move *m = arg;
	struct crm_db_bind b[1];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], m->id);
	if ((e = crm_db_exec(db, STMT_CAMPAIGN_DELETE, b, 1, &n, NULL)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ENOTFOUND;
	return crm_ctx_audit(m->c, "delete", "campaign", m->id, NULL, NULL);
}

int
marketing_campaign_delete(struct crm_ctx *c)
{
	struct move m = { c, crm_ctx_id(c, "id"), NULL, NULL };
	int status;
	enum crm_err e;

	if (marketing_campaign_load(c, m.id, &status) == NULL)
		return status;
	if ((e = crm_db_tx(c->db, delete_tx, &m)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/marketing/campaigns?done=deleted");
}
