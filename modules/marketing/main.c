/* crm-marketing: segments and target lists, campaigns and their results,
 * e-mail templates and mass sends, tracked links and QR codes, consent.
 * One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
	/* home.c */
	{ "GET", "/marketing", "marketing.read", marketing_home, "marketing/home" },

	/* segments: segments, target lists, list import */
	{ "GET", "/marketing/segments", "marketing.read", marketing_segments, "marketing/segments" },
	{ "GET", "/marketing/segments/new", "marketing.write", marketing_segment_new, "marketing/segment_form" },
	{ "POST", "/marketing/segments", "marketing.write", marketing_segment_create, "marketing/segment_form" },
	{ "POST", "/marketing/segments/count", "marketing.read", marketing_segment_count, NULL },
	{ "GET", "/marketing/segments/:id", "marketing.read", marketing_segment_show, "marketing/segment" },
	{ "GET", "/marketing/segments/:id/edit", "marketing.write", marketing_segment_edit, "marketing/segment_form" },
	{ "POST", "/marketing/segments/:id", "marketing.write", marketing_segment_update, "marketing/segment_form" },
	{ "POST", "/marketing/segments/:id/delete", "marketing.write", marketing_segment_delete, NULL },
	{ "POST", "/marketing/segments/:id/freeze", "marketing.write", marketing_segment_freeze, "marketing/segment" },
	{ "POST", "/marketing/segments/:id/campaign", "marketing.write", marketing_segment_campaign, "marketing/segment" },
	{ "GET", "/marketing/lists", "marketing.read", marketing_lists, "marketing/segment_lists" },
	{ "POST", "/marketing/lists", "marketing.write", marketing_list_create, "marketing/segment_lists" },
	{ "GET", "/marketing/lists/import", "marketing.write", marketing_list_import_form, "marketing/segment_import" },
	{ "POST", "/marketing/lists/import", "marketing.write", marketing_list_import, "marketing/segment_import" },
	{ "GET", "/marketing/lists/:id", "marketing.read", marketing_list_show, "marketing/segment_list" },
	{ "POST", "/marketing/lists/:id/delete", "marketing.write", marketing_list_delete, NULL },
	{ "POST", "/marketing/lists/:id/members", "marketing.write", marketing_list_member_add, "marketing/segment_list" },
	{ "POST", "/marketing/lists/:id/members/:contact_id/delete", "marketing.write", marketing_list_member_remove, NULL },

	/* campaigns: the module's start page, campaigns, members, results */

	/* email: templates, sends, unsubscribing, bounces */

	/* links: tracked links, the open pixel, QR codes */

	/* consent: consent records, a contact's data export and erasure */
};

static const struct crm_module module = {
	"marketing", routes, CRM_NELEM(routes), marketing_stmts, STMT__MAX,
	marketing_command, MARKETING_COMMAND_USAGE,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
