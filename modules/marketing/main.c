/* crm-marketing: segments and target lists, campaigns and their results,
 * e-mail templates and mass sends, tracked links and QR codes, consent.
 * One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
	/* home.c */
	{ "GET", "/marketing", "marketing.read", marketing_home, "marketing/home" },

	/* segments: segments, target lists, list import */

	/* campaigns: the module's start page, campaigns, members, results */

	/* email: templates, sends, unsubscribing, bounces */

	/* links: tracked links, the open pixel, QR codes */
	{ "GET", "/r/:token", CRM_PERM_PUBLIC, marketing_link_redirect, NULL },
	{ "GET", "/r/o/:token", CRM_PERM_PUBLIC, marketing_open_pixel, NULL },
	{ "GET", "/marketing/campaigns/:id/links", "marketing.read", marketing_links, "marketing/links" },
	{ "POST", "/marketing/campaigns/:id/links", "marketing.write", marketing_link_add, "marketing/links" },
	{ "GET", "/marketing/campaigns/:id/links/:link_id/qr.svg", "marketing.read", marketing_link_qr_svg, NULL },
	{ "GET", "/marketing/campaigns/:id/links/:link_id/qr.png", "marketing.read", marketing_link_qr_png, NULL },

	/* consent: consent records, a contact's data export and erasure */
	{ "GET", "/marketing/contacts/:id/consent", "marketing.read", marketing_consent, "marketing/consent" },
	{ "POST", "/marketing/contacts/:id/consent", "marketing.write", marketing_consent_add, "marketing/consent" },
	{ "GET", "/marketing/contacts/:id/export", "admin.settings", marketing_contact_export, NULL },
	{ "POST", "/marketing/contacts/:id/erase", "admin.settings", marketing_contact_erase, "marketing/consent" },
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
