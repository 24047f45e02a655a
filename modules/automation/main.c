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
	/* @@routes-mail: mailboxes read over IMAP */
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
