/* crm-customers: accounts (contacts and activities follow). */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
	{ "GET", "/customers", "customers.read", customers_accounts, "customers/accounts" },
	{ "GET", "/customers/accounts/new", "customers.write", customers_account_new, "customers/account_form" },
	{ "POST", "/customers/accounts", "customers.write", customers_account_create, "customers/account_form" },
	{ "GET", "/customers/accounts/:id", "customers.read", customers_account_show, "customers/account" },
	{ "POST", "/customers/accounts/:id", "customers.write", customers_account_update, "customers/account" },
	{ "POST", "/customers/accounts/:id/owner", "customers.write", customers_account_reassign, NULL },
};

static const struct crm_module module = {
	"customers", routes, CRM_NELEM(routes), customers_stmts, STMT__MAX,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
