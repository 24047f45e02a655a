/* crm-customers: accounts, contacts and their activities. */
#include "crm_server.h"
#include "extern.h"
#include "import.h"
#include "crm_health.h"

static const struct crm_route routes[] = {
	/* For a load balancer or a monitor: can this instance work? */
	{ "GET", "/customers/health", CRM_PERM_PUBLIC, crm_health, NULL },
	{ "GET", "/customers", "customers.read", customers_accounts, "customers/accounts" },
	{ "GET", "/customers/accounts/new", "customers.write", customers_account_new, "customers/account_form" },
	{ "POST", "/customers/accounts", "customers.write", customers_account_create, "customers/account_form" },
	{ "GET", "/customers/accounts/export.csv", "customers.read", customers_accounts_export, NULL },
	{ "GET", "/customers/accounts/:id", "customers.read", customers_account_show, "customers/account" },
	{ "POST", "/customers/accounts/:id", "customers.write", customers_account_update, "customers/account" },
	{ "POST", "/customers/accounts/:id/owner", "customers.write", customers_account_reassign, NULL },
	{ "POST", "/customers/accounts/:id/delete", "customers.delete", customers_account_delete, NULL },
	{ "POST", "/customers/accounts/:id/restore", "customers.delete", customers_account_restore, NULL },

	{ "GET", "/customers/contacts", "customers.read", customers_contacts, "customers/contacts" },
	{ "GET", "/customers/contacts/new", "customers.write", customers_contact_new, "customers/contact_form" },
	{ "POST", "/customers/contacts", "customers.write", customers_contact_create, "customers/contact_form" },
	{ "GET", "/customers/contacts/merge", "customers.delete", customers_merge_form, "customers/merge" },
	{ "POST", "/customers/contacts/merge", "customers.delete", customers_merge, "customers/merge" },
	{ "GET", "/customers/contacts/export.csv", "customers.read", customers_contacts_export, NULL },
	{ "GET", "/customers/contacts/:id", "customers.read", customers_contact_show, "customers/contact" },
	{ "POST", "/customers/contacts/:id", "customers.write", customers_contact_update, "customers/contact" },
	{ "GET", "/customers/contacts/:id/qr.svg", "customers.read", customers_contact_qr, NULL },
	{ "GET", "/customers/contacts/:id/vcard", "customers.read", customers_contact_vcard, NULL },
	{ "POST", "/customers/contacts/:id/owner", "customers.write", customers_contact_reassign, NULL },
	{ "POST", "/customers/contacts/:id/delete", "customers.delete", customers_contact_delete, NULL },
	{ "POST", "/customers/contacts/:id/restore", "customers.delete", customers_contact_restore, NULL },

	{ "POST", "/customers/activities", "customers.write", customers_activity_create, NULL },
	{ "POST", "/customers/activities/:id/done", "customers.write", customers_activity_done, NULL },
	{ "POST", "/customers/activities/:id/delete", "customers.write", customers_activity_delete, NULL },
	{ "GET", "/customers/tasks", "customers.read", customers_tasks, "customers/tasks" },
	{ "GET", "/customers/calendar", "customers.read", customers_calendar, "customers/calendar" },
	{ "POST", "/customers/calendar/link", "customers.read", customers_calendar_link, "customers/calendar_link" },
	{ "GET", "/customers/calendar/feed/:token", CRM_PERM_PUBLIC, customers_calendar_feed, NULL },

	{ "POST", "/customers/views", "customers.read", customers_view_save, NULL },
	{ "POST", "/customers/views/:id/delete", "customers.read", customers_view_delete, NULL },
	{ "GET", "/customers/search", "customers.read", customers_search, "customers/search" },
	{ "GET", "/customers/duplicates", "customers.delete", customers_duplicates, "customers/duplicates" },
	{ "GET", "/customers/trash", "customers.delete", customers_trash, "customers/trash" },
	{ "GET", "/customers/imports", "customers.import", customers_imports, "customers/imports" },
	{ "POST", "/customers/imports", "customers.import", customers_import_upload, "customers/imports" },
	{ "GET", "/customers/imports/:id", "customers.import", customers_import_show, "customers/import" },
	{ "POST", "/customers/imports/:id", "customers.import", customers_import_map, "customers/import" },
	{ "POST", "/customers/imports/:id/cancel", "customers.import", customers_import_cancel, NULL },
	{ "GET", "/customers/imports/:id/problems.csv", "customers.import", customers_import_problems, NULL },
	{ "GET", "/customers/lookup/accounts", "customers.read", customers_lookup_accounts, NULL },
	{ "GET", "/customers/lookup/contacts", "customers.read", customers_lookup_contacts, NULL },
	{ "GET", "/customers/lookup/users", "customers.read", customers_lookup_users, NULL },
};

static const struct crm_module module = {
	"customers", routes, CRM_NELEM(routes), customers_stmts, STMT__MAX,
	customers_command, CUSTOMERS_COMMAND_USAGE,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
