/* crm-automation: what happens by itself. Rules that react to changes and
 * dates, outbound webhooks, in-app notifications, and the mailboxes the CRM
 * reads; `crm-automation jobs` is the runner that does all of it, never a
 * page request. One section per area; extern.h says which files hold each. */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
	/* home.c: where the runner is in the event stream, and its parts */
	{ "GET", "/automation", "automation.rules", automation_home, "automation/home" },

	/* @@routes-rules: rules, their form and their run log */
	/* @@routes-webhooks: webhooks and their deliveries; notifications */
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
