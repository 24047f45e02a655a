/* The signed-out home page. */
#include "extern.h"

int
admin_home(struct crm_ctx *c)
{
	static const struct {
		const char *name, *summary;
	} modules[] = {
		{ N_("Customers"), N_("Accounts, contacts and every activity with them, on one page.") },
		{ N_("Sales"), N_("Leads, the pipeline, quotes, orders and the forecast.") },
		{ N_("Service"), N_("Tickets with service levels, satisfaction and a knowledge base.") },
		{ N_("Marketing"), N_("Segments, campaigns and tracked links.") },
		{ N_("Reports"), N_("Dashboards and analytics: RFM, churn, forecast.") },
		{ N_("Admin"), N_("Users, roles, audit log and settings.") },
	};
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < CRM_NELEM(modules); i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "name",
		    crm_ctx_text(c, modules[i].name), "summary", crm_ctx_text(c, modules[i].summary)));
	json_object_set_new(c->view, "modules", list);
	json_object_set_new(c->view, "title", json_string(crm_ctx_text(c, N_("Welcome"))));
	crm_ctx_nav_here(c, "home");
	return 200;
}
