/* The permission catalogue. */
#include <string.h>

#include "crm.h"
#include "crm_http.h"
#include "crm_i18n.h"
#include "crm_perm.h"

const struct crm_perm crm_perms[] = {
	{ "customers.read", "customers", N_("See accounts, contacts and activities") },
	{ "customers.write", "customers", N_("Create and change accounts, contacts and activities") },
	{ "customers.delete", "customers", N_("Delete accounts and contacts") },
	{ "customers.import", "customers", N_("Import contacts from CSV files") },
	{ "sales.read", "sales", N_("See leads, deals, quotes and orders") },
	{ "sales.write", "sales", N_("Create and change leads, deals, quotes and orders") },
	{ "sales.quote.approve", "sales", N_("Approve quotes") },
	{ "sales.products", "sales", N_("Manage products and price books") },
	{ "service.read", "service", N_("See tickets and the knowledge base") },
	{ "service.write", "service", N_("Work on tickets and write articles") },
	{ "marketing.read", "marketing", N_("See segments and campaigns") },
	{ "marketing.write", "marketing", N_("Create segments and send campaigns") },
	{ "reports.read", "reports", N_("See dashboards and reports") },
	{ "reports.write", "reports", N_("Build, save and share reports") },
	{ "reports.analytics", "reports", N_("Run the analytics and correct their training data") },
	{ "automation.rules", "automation", N_("Build automation rules and read their log") },
	{ "automation.webhooks", "automation", N_("Manage webhooks and read their deliveries") },
	{ "automation.mail", "automation", N_("Manage the mailboxes the CRM reads") },
	{ "admin.users", "admin", N_("Manage users and teams") },
	{ "admin.roles", "admin", N_("Manage roles and permissions") },
	{ "admin.audit", "admin", N_("Read the audit log") },
	{ "admin.settings", "admin", N_("Change settings") },
};
const size_t crm_nperms = CRM_NELEM(crm_perms);

int
crm_perm_known(const char *name)
{
	size_t i;

	if (strcmp(name, CRM_PERM_PUBLIC) == 0 || strcmp(name, CRM_PERM_SIGNED_IN) == 0 ||
	    strcmp(name, CRM_PERM_SECOND_FACTOR) == 0 || strcmp(name, CRM_PERM_CROSS_SITE) == 0)
		return 1;
	for (i = 0; i < crm_nperms; i++)
		if (strcmp(crm_perms[i].name, name) == 0)
			return 1;
	return 0;
}
