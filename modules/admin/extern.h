/* crm-admin: private declarations. */
#ifndef ADMIN_EXTERN_H
#define ADMIN_EXTERN_H

#include "crm_http.h"

enum stmt {
	STMT_HEALTH_MIGRATIONS,
	STMT_LOGIN_USER,
	STMT_THROTTLE_GET,
	STMT_THROTTLE_FAIL,
	STMT_THROTTLE_FAILURES,
	STMT_THROTTLE_CLEAR,
	STMT_USER_LOCK,
	STMT_USER_SIGNED_IN,
	STMT_USERS_PAGE,
	STMT_USER_GET,
	STMT_USER_CREATE,
	STMT_USER_UPDATE,
	STMT_USER_SET_PASSWORD,
	STMT_USER_UNLOCK,
	STMT_ROLES_ALL,
	STMT_TEAMS_ALL,
	STMT_ROLE_PERMS_ALL,
	STMT_ROLE_PERMS_CLEAR,
	STMT_ROLE_PERM_ADD,
	STMT_ROLE_CREATE,
	STMT_ROLE_SET_FLAGS,
	STMT_AUDIT_PAGE,
	STMT_ACCOUNT_GET,
	STMT_ACCOUNT_UPDATE,
	STMT_SESSIONS_END_OTHERS,
	STMT_TOKENS_MINE,
	STMT_TOKEN_CREATE,
	STMT_TOKEN_REVOKE,
	STMT_TOTP_GET,
	STMT_TOTP_SET_PENDING,
	STMT_TOTP_ENABLE,
	STMT_TOTP_DISABLE,
	STMT_TOTP_USE_STEP,
	STMT_RECOVERY_CLEAR,
	STMT_RECOVERY_ADD,
	STMT_RECOVERY_USE,
	STMT_SETTINGS_ALL,
	STMT_SETTING_SET,
	STMT_TEAMS_LIST,
	STMT_TEAM_CREATE,
	STMT_TEAM_RENAME,
	STMT_USER_SET_LANGUAGE,
	STMT_FIELD_RULES_ALL,
	STMT_FIELD_RULE_SET,
	STMT_FIELD_RULE_DELETE,
	STMT_LDAP_USER_UPSERT,
	STMT_CUSTOM_FIELDS_ALL,
	STMT_CUSTOM_FIELD_GET,
	STMT_CUSTOM_FIELD_CREATE,
	STMT_CUSTOM_FIELD_UPDATE,
	STMT_CUSTOM_FIELD_ACTIVE,
	STMT__MAX
};

extern const char *const admin_stmts[STMT__MAX];

/* Sign-in throttling (throttle.c): growing delays per account name and
 * per client address, and a lock on the account an admin can lift. */
#define THROTTLE_ACCOUNT_AFTER 3        /* failures before delays begin */
#define THROTTLE_ADDRESS_AFTER 20
#define THROTTLE_LOCK_AFTER 10          /* failures that lock an account */

struct throttle {
	const char *account_key;        /* "user:<email>" */
	const char *address_key;        /* "ip:<address>" */
	long long account_failures;
	long long wait_seconds;         /* > 0: refuse for now */
};

enum crm_err throttle_check(struct crm_ctx *, const char *email, struct throttle *);
enum crm_err throttle_failed(struct crm_ctx *, struct throttle *, long long user_id);
enum crm_err throttle_passed(struct crm_ctx *, const struct throttle *);

/* A local path to go back to after sign-in, or "/" (no open redirect). */
const char *admin_safe_next(const char *next);

int admin_home(struct crm_ctx *);
int admin_health(struct crm_ctx *);
int admin_login_form(struct crm_ctx *);
int admin_login(struct crm_ctx *);
int admin_logout(struct crm_ctx *);
int admin_users(struct crm_ctx *);
int admin_user_new(struct crm_ctx *);
int admin_user_create(struct crm_ctx *);
int admin_user_show(struct crm_ctx *);
int admin_user_update(struct crm_ctx *);
int admin_user_password(struct crm_ctx *);
int admin_user_end_sessions(struct crm_ctx *);
int admin_user_unlock(struct crm_ctx *);
int admin_roles(struct crm_ctx *);
int admin_roles_save(struct crm_ctx *);
int admin_role_create(struct crm_ctx *);
int admin_audit(struct crm_ctx *);
int admin_account(struct crm_ctx *);
int admin_account_update(struct crm_ctx *);
int admin_account_password(struct crm_ctx *);
int admin_token_create(struct crm_ctx *);
int admin_token_revoke(struct crm_ctx *);
int admin_2fa_show(struct crm_ctx *);
int admin_2fa_enable(struct crm_ctx *);
int admin_2fa_disable(struct crm_ctx *);
int admin_login_2fa_form(struct crm_ctx *);
int admin_login_2fa(struct crm_ctx *);
int admin_settings(struct crm_ctx *);
int admin_settings_save(struct crm_ctx *);
int admin_teams(struct crm_ctx *);
int admin_team_create(struct crm_ctx *);
int admin_team_rename(struct crm_ctx *);
int admin_language(struct crm_ctx *);
int admin_field_rule_set(struct crm_ctx *);
int admin_field_rule_delete(struct crm_ctx *);
/* fields.c: custom fields of accounts and contacts. */
int admin_custom_fields(struct crm_ctx *);
int admin_custom_field_create(struct crm_ctx *);
int admin_custom_field_update(struct crm_ctx *);
int admin_custom_field_delete(struct crm_ctx *);
int admin_custom_field_restore(struct crm_ctx *);

/* Sets "done" in the view from ?done=: a fixed message, never echoed text. */
void admin_done_message(struct crm_ctx *);

#endif
