/* The signed-out home page. */
#include "extern.h"

int
admin_home(struct crm_ctx *c)
{
	static const struct {
		const char *name, *summary;
	} modules[] = {
		{ "Customers", "Accounts, contacts and every activity with them, on one page." },
		{ "Sales", "Leads, the pipeline, quotes, orders and the forecast." },
		{ "Service", "Tickets with service levels, satisfaction and a knowledge base." },
		{ "Marketing", "Segments, campaigns and tracked links." },
		{ "Reports", "Dashboards and analytics: RFM, churn, forecast." },
		{ "Admin", "Users, roles, audit log and settings." },
	};
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < CRM_NELEM(modules); i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "name", modules[i].name,
		    "summary", modules[i].summary));
	json_object_set_new(c->view, "modules", list);
	json_object_set_new(c->view, "title", json_string("Welcome"));
	json_object_set_new(c->view, "nav_home", json_true());
	return 200;
}
