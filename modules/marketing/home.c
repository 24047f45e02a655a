/* GET /marketing: where a marketer starts: the campaigns running now and
 * the latest mass sends with their progress, each within the reader's
 * scope; two short queries by their own indexes. */
#include "extern.h"

int
marketing_home(struct crm_ctx *c)
{
	struct crm_db_bind b[5];
	json_t *campaigns = NULL, *sends = NULL;

	marketing_bind_scope(c, b);
	if (crm_db_rows(c->db, STMT_HOME_CAMPAIGNS, b, 5, &campaigns) != CRM_OK ||
	    crm_db_rows(c->db, STMT_HOME_SENDS, b, 5, &sends) != CRM_OK)
		return 500;
	crm_ctx_localise_dates(c, sends, "created_at");
	json_object_set_new(c->view, "campaigns", campaigns);
	json_object_set_new(c->view, "sends", sends);
	marketing_nav(c, "home");
	marketing_flash(c);
	return 200;
}
