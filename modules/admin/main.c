/* crm-admin: sign-in, users, roles, settings and the health page. */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
	{ "GET", "/", CRM_PERM_PUBLIC, admin_home, "admin/home" },
	{ "GET", "/admin/health", CRM_PERM_PUBLIC, admin_health, "admin/health" },
	{ "GET", "/login", CRM_PERM_PUBLIC, admin_login_form, "admin/login" },
	{ "POST", "/login", CRM_PERM_PUBLIC, admin_login, "admin/login" },
	{ "POST", "/logout", CRM_PERM_SIGNED_IN, admin_logout, NULL },
};

static const struct crm_module module = {
	"admin", routes, CRM_NELEM(routes), admin_stmts, STMT__MAX,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
