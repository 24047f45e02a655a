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
	{ "GET", "/marketing/templates", "marketing.read", marketing_templates, "marketing/email_templates" },
	{ "GET", "/marketing/templates/new", "marketing.write", marketing_template_new, "marketing/email_template" },
	{ "POST", "/marketing/templates", "marketing.write", marketing_template_create, "marketing/email_template" },
	{ "GET", "/marketing/templates/:id", "marketing.read", marketing_template_show, "marketing/email_template" },
	{ "POST", "/marketing/templates/:id", "marketing.write", marketing_template_update, "marketing/email_template" },
	{ "GET", "/marketing/templates/:id/preview", "marketing.read", marketing_template_preview, "marketing/email_preview" },
	{ "POST", "/marketing/templates/:id/test", "marketing.write", marketing_template_test, "marketing/email_template" },
	{ "GET", "/marketing/campaigns/:id/send", "marketing.read", marketing_send_form, "marketing/email_send" },
	{ "POST", "/marketing/campaigns/:id/send", "marketing.write", marketing_send_start, "marketing/email_send" },
	{ "GET", "/marketing/sends/:id", "marketing.read", marketing_send_show, "marketing/email_progress" },
	{ "POST", "/marketing/sends/:id/pause", "marketing.write", marketing_send_pause, "marketing/email_progress" },
	{ "POST", "/marketing/sends/:id/resume", "marketing.write", marketing_send_resume, "marketing/email_progress" },
	{ "POST", "/marketing/sends/:id/cancel", "marketing.write", marketing_send_cancel, "marketing/email_progress" },
	{ "GET", "/marketing/bounces", "marketing.write", marketing_bounces, "marketing/email_bounces" },
	{ "POST", "/marketing/bounces", "marketing.write", marketing_bounce_record, "marketing/email_bounces" },
	{ "GET", "/u/:token", CRM_PERM_PUBLIC, marketing_unsubscribe_page, "marketing/email_unsubscribe" },
	{ "POST", "/u/:token", CRM_PERM_CROSS_SITE, marketing_unsubscribe, "marketing/email_unsubscribe" },

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
