/* crm-admin: sign-in, users, roles, settings and the health page. */
#include "crm_server.h"
#include "extern.h"

static const struct crm_route routes[] = {
	{ "GET", "/", CRM_PERM_PUBLIC, admin_home, "admin/home" },
	{ "GET", "/admin/health", CRM_PERM_PUBLIC, admin_health, "admin/health" },
	{ "POST", "/language", CRM_PERM_PUBLIC, admin_language, NULL },
	{ "GET", "/login", CRM_PERM_PUBLIC, admin_login_form, "admin/login" },
	{ "POST", "/login", CRM_PERM_PUBLIC, admin_login, "admin/login" },
	/* Public, so a half-signed-in session (code still due) can leave too. */
	{ "POST", "/logout", CRM_PERM_PUBLIC, admin_logout, NULL },
	{ "GET", "/admin/users", "admin.users", admin_users, "admin/users" },
	{ "GET", "/admin/users/new", "admin.users", admin_user_new, "admin/user_form" },
	{ "POST", "/admin/users", "admin.users", admin_user_create, "admin/user_form" },
	{ "GET", "/admin/users/:id", "admin.users", admin_user_show, "admin/user_form" },
	{ "POST", "/admin/users/:id", "admin.users", admin_user_update, "admin/user_form" },
	{ "POST", "/admin/users/:id/password", "admin.users", admin_user_password, "admin/user_password" },
	{ "POST", "/admin/users/:id/sessions/end", "admin.users", admin_user_end_sessions, NULL },
	{ "POST", "/admin/users/:id/unlock", "admin.users", admin_user_unlock, NULL },
	{ "GET", "/admin/roles", "admin.roles", admin_roles, "admin/roles" },
	{ "POST", "/admin/roles", "admin.roles", admin_roles_save, "admin/roles" },
	{ "POST", "/admin/roles/new", "admin.roles", admin_role_create, "admin/roles" },
	{ "POST", "/admin/roles/fields", "admin.roles", admin_field_rule_set, "admin/roles" },
	{ "POST", "/admin/roles/fields/delete", "admin.roles", admin_field_rule_delete, NULL },
	{ "GET", "/admin/audit", "admin.audit", admin_audit, "admin/audit" },
	{ "GET", "/account", CRM_PERM_SIGNED_IN, admin_account, "admin/account" },
	{ "POST", "/account", CRM_PERM_SIGNED_IN, admin_account_update, "admin/account" },
	{ "POST", "/account/password", CRM_PERM_SIGNED_IN, admin_account_password, "admin/account" },
	{ "POST", "/account/tokens", CRM_PERM_SIGNED_IN, admin_token_create, "admin/account" },
	{ "POST", "/account/tokens/:id/revoke", CRM_PERM_SIGNED_IN, admin_token_revoke, NULL },
	{ "GET", "/account/2fa", CRM_PERM_SIGNED_IN, admin_2fa_show, "admin/twofactor" },
	{ "POST", "/account/2fa", CRM_PERM_SIGNED_IN, admin_2fa_enable, "admin/twofactor" },
	{ "POST", "/account/2fa/disable", CRM_PERM_SIGNED_IN, admin_2fa_disable, "admin/twofactor" },
	{ "GET", "/admin/settings", "admin.settings", admin_settings, "admin/settings" },
	{ "POST", "/admin/settings", "admin.settings", admin_settings_save, "admin/settings" },
	{ "GET", "/admin/fields", "admin.settings", admin_custom_fields, "admin/fields" },
	{ "POST", "/admin/fields", "admin.settings", admin_custom_field_create, "admin/fields" },
	{ "POST", "/admin/fields/:id", "admin.settings", admin_custom_field_update, "admin/fields" },
	{ "POST", "/admin/fields/:id/delete", "admin.settings", admin_custom_field_delete, NULL },
	{ "POST", "/admin/fields/:id/restore", "admin.settings", admin_custom_field_restore, NULL },
	{ "GET", "/admin/teams", "admin.users", admin_teams, "admin/teams" },
	{ "POST", "/admin/teams", "admin.users", admin_team_create, "admin/teams" },
	{ "POST", "/admin/teams/:id", "admin.users", admin_team_rename, "admin/teams" },
	{ "GET", "/login/2fa", CRM_PERM_SECOND_FACTOR, admin_login_2fa_form, "admin/login_2fa" },
	{ "POST", "/login/2fa", CRM_PERM_SECOND_FACTOR, admin_login_2fa, "admin/login_2fa" },
};

static const struct crm_module module = {
	"admin", routes, CRM_NELEM(routes), admin_stmts, STMT__MAX, NULL, NULL,
};

int
main(int argc, char **argv)
{
	return crm_server_main(argc, argv, &module);
}
