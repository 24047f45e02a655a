/* crm-automation: what happens by itself. Rules that react to changes and
 * dates, outbound webhooks, in-app notifications, and the mailboxes the CRM
 * reads; `crm-automation jobs` is the runner that does all of it, never a
 * page request. One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"
#include "crm_health.h"

static const struct crm_route routes[] = {
	/* For a load balancer or a monitor: can this instance work? */
	{ "GET", "/automation/health", CRM_PERM_PUBLIC, crm_health, NULL },
	/* home.c: where the runner is in the event stream, and its parts */
	{ "GET", "/automation", "automation.rules", automation_home, "automation/home" },

	/* @@routes-rules: rules, their form and their run log */
	{ "GET", "/automation/rules", "automation.rules", automation_rules, "automation/rules" },
	{ "GET", "/automation/rules/new", "automation.rules", automation_rule_new, "automation/rules_form" },
	{ "POST", "/automation/rules", "automation.rules", automation_rule_create, "automation/rules_form" },
	{ "GET", "/automation/rules/:id/edit", "automation.rules", automation_rule_edit, "automation/rules_form" },
	{ "POST", "/automation/rules/:id", "automation.rules", automation_rule_update, "automation/rules_form" },
	{ "POST", "/automation/rules/:id/enable", "automation.rules", automation_rule_enable, "automation/rules" },
	{ "POST", "/automation/rules/:id/disable", "automation.rules", automation_rule_disable, "automation/rules" },
	{ "POST", "/automation/rules/:id/delete", "automation.rules", automation_rule_delete, "automation/rules" },
	{ "GET", "/automation/rules/:id/runs", "automation.rules", automation_rule_runs, "automation/rules_runs" },
	{ "GET", "/automation/runs", "automation.rules", automation_rules_runs, "automation/rules_runs" },
	/* @@routes-webhooks: webhooks and their deliveries; notifications */
	{ "GET", "/automation/webhooks", "automation.webhooks", automation_webhooks, "automation/webhooks" },
	{ "GET", "/automation/webhooks/new", "automation.webhooks", automation_webhook_new, "automation/webhook_form" },
	{ "POST", "/automation/webhooks", "automation.webhooks", automation_webhook_create, "automation/webhook_form" },
	{ "GET", "/automation/webhooks/:id", "automation.webhooks", automation_webhook_show, "automation/webhook_show" },
	{ "GET", "/automation/webhooks/:id/edit", "automation.webhooks", automation_webhook_edit, "automation/webhook_form" },
	{ "POST", "/automation/webhooks/:id", "automation.webhooks", automation_webhook_update, "automation/webhook_form" },
	{ "POST", "/automation/webhooks/:id/delete", "automation.webhooks", automation_webhook_delete, NULL },
	{ "POST", "/automation/webhooks/:id/rotate", "automation.webhooks", automation_webhook_rotate, "automation/webhook_show" },
	{ "POST", "/automation/webhooks/:id/ping", "automation.webhooks", automation_webhook_ping, NULL },
	{ "POST", "/automation/webhooks/:id/enable", "automation.webhooks", automation_webhook_enable, NULL },
	{ "POST", "/automation/webhooks/:id/deliveries/:delivery/redeliver", "automation.webhooks",
	    automation_webhook_redeliver, NULL },
	{ "GET", "/notifications", CRM_PERM_SIGNED_IN, automation_notifications, "automation/notifications" },
	{ "GET", "/notifications/unread", CRM_PERM_SIGNED_IN, automation_notifications_unread, NULL },
	{ "POST", "/notifications/read", CRM_PERM_SIGNED_IN, automation_notifications_read_all, NULL },
	{ "POST", "/notifications/digest", CRM_PERM_SIGNED_IN, automation_notifications_digest, NULL },
	{ "POST", "/notifications/:id/open", CRM_PERM_SIGNED_IN, automation_notification_open, NULL },
	{ "POST", "/notifications/:id/read", CRM_PERM_SIGNED_IN, automation_notification_read, NULL },
	/* @@routes-mail: mailboxes read over IMAP */
	{ "GET", "/automation/mailboxes", "automation.mail", automation_mailboxes, "automation/mailboxes" },
	{ "GET", "/automation/mailboxes/new", "automation.mail", automation_mailbox_new, "automation/mailbox_form" },
	{ "POST", "/automation/mailboxes", "automation.mail", automation_mailbox_create, "automation/mailbox_form" },
	{ "GET", "/automation/mailboxes/:id", "automation.mail", automation_mailbox_show, "automation/mailbox" },
	{ "GET", "/automation/mailboxes/:id/edit", "automation.mail", automation_mailbox_edit, "automation/mailbox_form" },
	{ "POST", "/automation/mailboxes/:id", "automation.mail", automation_mailbox_update, "automation/mailbox_form" },
	{ "POST", "/automation/mailboxes/:id/test", "automation.mail", automation_mailbox_test, "automation/mailbox" },
	{ "POST", "/automation/mailboxes/:id/poll", "automation.mail", automation_mailbox_poll, "automation/mailbox" },
};

static const struct crm_module module = {
	"automation", routes, CRM_NELEM(routes), automation_stmts, STMT__MAX,
	automation_command, AUTOMATION_COMMAND_USAGE,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
