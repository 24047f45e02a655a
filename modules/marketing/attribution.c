/* A campaign's attributed opportunities and orders, kept in
 * campaign_attribution (035_campaign_attribution.sql says why and when):
 * the job runner works them out, one campaign a step, with the two
 * statements results.c used to run on each view; the page reads one row
 * and may ask for a fresh one. */
#include "crm_audit.h"
#include "crm_log.h"
#include "crm_valid.h"
#include "extern.h"

enum crm_err
marketing_attribution_request(struct crm_db *db, long long campaign_id)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], campaign_id);
	return crm_db_exec(db, STMT_ATTRIBUTION_REQUEST, b, 1, NULL, NULL);
}

struct refresh {
	struct crm_ctx *c;
	long long id;
};

static enum crm_err
refresh_tx(struct crm_db *db, void *arg)
{
	struct refresh *r = arg;
	enum crm_err e;

	if ((e = marketing_attribution_request(db, r->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(r->c, "attribution_refresh", "campaign", r->id, NULL, NULL);
}

int
marketing_attribution_refresh(struct crm_ctx *c)
{
	struct refresh r = { c, crm_ctx_id(c, "id") };
	int status;

	if (marketing_campaign_load(c, r.id, &status) == NULL)
		return status;
	if (crm_db_tx(c->db, refresh_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/campaigns/%lld?done=attribution_requested",
	    r.id));
}

/* One attributed set (count and amount) of campaign id. */
static enum crm_err
attributed(struct crm_db *db, size_t stmt, long long id, json_t **row)
{
	struct crm_db_bind b[2];

	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], id);
	return crm_db_row(db, stmt, b, 2, row);
}

int
marketing_attribution_step(struct crm_db *db)
{
	struct crm_arena *a = crm_arena_new(4096);
	json_t *next = NULL, *now = NULL, *orders = NULL, *opps = NULL;
	struct crm_db_bind b[6];
	long long id;
	enum crm_err e;
	int rc = 0;

	crm_arena_json_use(a);
	if ((e = crm_db_row(db, STMT_ATTRIBUTION_NEXT, NULL, 0, &next)) == CRM_ENOTFOUND)
		goto out;
	id = json_integer_value(json_object_get(next, "id"));
	/* Stamped with when it started, by the server's clock in
	 * microseconds, so a request made while it ran is later than it and
	 * is worked out again. */
	if (e != CRM_OK || (e = crm_db_row(db, STMT_ATTRIBUTION_NOW, NULL, 0, &now)) != CRM_OK ||
	    (e = attributed(db, STMT_CAMPAIGN_RESULT_ORDERS, id, &orders)) != CRM_OK ||
	    (e = attributed(db, STMT_CAMPAIGN_RESULT_OPPORTUNITIES, id, &opps)) != CRM_OK) {
		rc = -1;
		goto out;
	}
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], json_integer_value(json_object_get(orders, "n")));
	crm_db_bind_str(&b[2], json_string_value(json_object_get(orders, "amount")), (size_t)-1);
	crm_db_bind_i64(&b[3], json_integer_value(json_object_get(opps, "n")));
	crm_db_bind_str(&b[4], json_string_value(json_object_get(opps, "amount")), (size_t)-1);
	crm_db_bind_str(&b[5], json_string_value(json_object_get(now, "now")), (size_t)-1);
	if ((e = crm_db_exec(db, STMT_ATTRIBUTION_SAVE, b, 6, NULL, NULL)) != CRM_OK) {
		rc = -1;
		goto out;
	}
	rc = 1;
out:
	if (rc < 0)
		crm_log(CRM_LOG_ERROR, "campaign attribution: %s", crm_db_error(db));
	crm_arena_json_use(NULL);
	crm_arena_free(a);
	return rc;
}
