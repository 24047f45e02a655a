/* crm-marketing: segments and target lists, campaigns and their results,
 * e-mail templates and mass sends, tracked links and QR codes, consent.
 * One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"
#include "crm_health.h"

static const struct crm_route routes[] = {
	/* For a load balancer or a monitor: can this instance work? */
	{ "GET", "/marketing/health", CRM_PERM_PUBLIC, crm_health, NULL },
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
	{ "GET", "/marketing/campaigns", "marketing.read", marketing_campaigns, "marketing/campaigns" },
	{ "GET", "/marketing/campaigns/new", "marketing.write", marketing_campaign_new, "marketing/campaign_form" },
	{ "POST", "/marketing/campaigns", "marketing.write", marketing_campaign_create, "marketing/campaign_form" },
	{ "GET", "/marketing/campaigns/compare", "marketing.read", marketing_campaign_compare, "marketing/campaign_compare" },
	{ "GET", "/marketing/campaigns/:id", "marketing.read", marketing_campaign_show, "marketing/campaign" },
	{ "GET", "/marketing/campaigns/:id/edit", "marketing.write", marketing_campaign_edit, "marketing/campaign_form" },
	{ "POST", "/marketing/campaigns/:id", "marketing.write", marketing_campaign_update, "marketing/campaign_form" },
	{ "POST", "/marketing/campaigns/:id/status", "marketing.write", marketing_campaign_status, "marketing/campaign" },
	{ "POST", "/marketing/campaigns/:id/delete", "marketing.write", marketing_campaign_delete, "marketing/campaign" },
	{ "POST", "/marketing/campaigns/:id/targets", "marketing.write", marketing_campaign_target_add, "marketing/campaign" },
	{ "POST", "/marketing/campaigns/:id/targets/:target_id/delete", "marketing.write", marketing_campaign_target_remove, "marketing/campaign" },
	{ "POST", "/marketing/campaigns/:id/fill", "marketing.write", marketing_campaign_fill, "marketing/campaign" },
	{ "GET", "/marketing/campaigns/:id/results", "marketing.read", marketing_campaign_results, NULL },
	{ "POST", "/marketing/campaigns/:id/results/refresh", "marketing.write", marketing_attribution_refresh, NULL },
	{ "GET", "/marketing/campaigns/:id/members", "marketing.read", marketing_campaign_members, "marketing/campaign_members" },
	{ "POST", "/marketing/campaigns/:id/members/:contact_id/response", "marketing.write", marketing_campaign_response, "marketing/campaign_members" },
	{ "GET", "/marketing/campaigns/:id/sms-export", "marketing.read", marketing_campaign_sms_export, NULL },

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
