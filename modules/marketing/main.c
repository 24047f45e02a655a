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
