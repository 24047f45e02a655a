/* Optional LDAP sign-in for intranets: a simple bind as the user, their
 * cn and mail, and a CRM role from the groups they belong to. */
#ifndef CRM_LDAP_H
#define CRM_LDAP_H

#include <stddef.h>

#include "crm.h"
#include "crm_buf.h"

struct crm_ldap_config {
	const char *uri;            /* ldap://127.0.0.1:3890 or ldaps://...; empty = LDAP off */
	const char *user_dn;        /* template with one %s for the escaped login name, e.g. "uid=%s,ou=people,dc=example,dc=com" */
	const char *group_base;     /* e.g. "ou=groups,dc=example,dc=com" */
	const char *group_filter;   /* with one %s for the escaped user DN, e.g. "(member=%s)" */
	const char *role_map;       /* "cn=sales,ou=groups,dc=example,dc=com=sales;cn=admins,ou=groups,dc=example,dc=com=admin" — group DN = CRM role name, ';'-separated, first match in this order wins */
	long timeout;               /* seconds */
};

/* Strings from crm_xmalloc; role NULL when no group maps. dn is the entry's
 * DN as the server stores it: use it, not the typed login, as the identity
 * (the directory may match "ALICE" or "alice " to uid=alice). name and email
 * are "" when the entry has no cn or mail. */
struct crm_ldap_user {
	char *dn;
	char *name;
	char *email;
	char *role;
};

/* Binds as the user with their password (an empty password is refused before
 * any network traffic: an anonymous bind must never count as success), reads
 * cn and mail from their entry, searches their groups, maps the first
 * matching group to a role.
 *   CRM_OK: out is filled, role set.
 *   CRM_EINVAL: wrong login name or password (generic).
 *   CRM_ENOTFOUND: bound but no group maps to a role (the caller refuses
 *     sign-in); out is filled with role NULL, for the audit log.
 *   CRM_EIO: server unreachable or other LDAP error (message in err).
 *   CRM_ECONFIG: LDAP is off (empty uri) or a template lacks its one %s.
 * Free out with crm_ldap_user_free after CRM_OK or CRM_ENOTFOUND; after any
 * other result it is zeroed, and freeing it is harmless. */
enum crm_err crm_ldap_authenticate(const struct crm_ldap_config *, const char *login,
    const char *password, struct crm_ldap_user *out, char *err, size_t errlen);
void crm_ldap_user_free(struct crm_ldap_user *);

/* CRM_ECONFIG with a message naming the bad setting, for checking crm.conf
 * at start rather than at the first sign-in. An empty uri is valid (off). */
enum crm_err crm_ldap_config_check(const struct crm_ldap_config *, char *err, size_t errlen);

/* Exposed for tests: */
/* Appends s escaped as an RFC 4514 attribute value, for one RDN of a DN. */
void crm_ldap_escape_dn_value(struct crm_buf *, const char *);
/* Appends s escaped as an RFC 4515 assertion value, for a search filter. */
void crm_ldap_escape_filter(struct crm_buf *, const char *);

#endif
