/* LDAP sign-in with OpenLDAP's libldap: one connection per attempt, bound as
 * the user, so the directory's own password policy and ACLs decide. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include <ldap.h>

#include "crm_ldap.h"

#define LOGIN_MAX 256   /* longer is no login name; refuse before the network */

static const char hex[] = "0123456789abcdef";

static void
put_hex(struct crm_buf *b, unsigned char c)
{
	char e[3] = { '\\', hex[c >> 4], hex[c & 15] };

	crm_buf_add(b, e, 3);
}

void
crm_ldap_escape_dn_value(struct crm_buf *b, const char *s)
{
	size_t i, n = strlen(s);

	crm_buf_reserve(b, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (strchr(",+\"\\<>;=", c) != NULL ||
		    (i == 0 && (c == '#' || c == ' ')) || (i == n - 1 && c == ' ')) {
			crm_buf_putc(b, '\\');
			crm_buf_putc(b, c);
		} else if (c < 0x20 || c == 0x7f) {
			/* Legal raw, but a control byte in a DN only ever
			 * confuses logs and other parsers. */
			put_hex(b, c);
		} else {
			crm_buf_putc(b, c);
		}
	}
}

void
crm_ldap_escape_filter(struct crm_buf *b, const char *s)
{
	size_t n = strlen(s);

	crm_buf_reserve(b, n);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '*' || c == '(' || c == ')' || c == '\\')
			put_hex(b, c);
		else
			crm_buf_putc(b, c);
	}
}

static void CRM_PRINTF(3, 4)
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static size_t
count_placeholders(const char *tmpl)
{
	size_t n = 0;

	while ((tmpl = strstr(tmpl, "%s")) != NULL) {
		n++;
		tmpl += 2;
	}
	return n;
}

/* The templates are configuration, not format strings: a '%' elsewhere in
 * a DN is literal, and printf must never see them. */
static void
substitute(struct crm_buf *b, const char *tmpl, const char *value,
    void (*escape)(struct crm_buf *, const char *))
{
	const char *p = strstr(tmpl, "%s");

	crm_buf_add(b, tmpl, (size_t)(p - tmpl));
	escape(b, value);
	crm_buf_puts(b, p + 2);
}

/* Steps *p over one ';'-separated role_map entry (a "\;" inside a DN does
 * not separate); returns 0 at the end of the map. */
static int
next_entry(const char **p, const char **entry, size_t *n)
{
	const char *s = *p;
	size_t i;

	if (*s == '\0')
		return 0;
	for (i = 0; s[i] != '\0' && s[i] != ';'; i++)
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
	*entry = s;
	*n = i;
	*p = s[i] == ';' ? s + i + 1 : s + i;
	return 1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A heap copy of [b, e) without surrounding blanks; NULL when blank. */
static char *
dup_trimmed(const char *b, const char *e)
{
	char *s;

	while (b < e && is_space(*b))
		b++;
	while (e > b && is_space(e[-1]))
		e--;
	if (b == e)
		return NULL;
	s = memcpy(crm_xmalloc((size_t)(e - b) + 1), b, (size_t)(e - b));
	s[e - b] = '\0';
	return s;
}

/* Splits one "group DN=role" entry at its last '=': a DN has '=' in every
 * RDN, a role name has none. Returns 1 for a blank entry (a trailing ';'),
 * -1 for one without both halves, 0 with both in heap copies. */
static int
split_role_entry(const char *s, size_t n, char **dn, char **role)
{
	const char *eq;
	size_t i;

	for (i = 0; i < n && is_space(s[i]); i++)
		continue;
	if (i == n)
		return 1;
	if ((eq = memrchr(s, '=', n)) == NULL)
		return -1;
	*dn = dup_trimmed(s, eq);
	*role = dup_trimmed(eq + 1, s + n);
	if (*dn == NULL || *role == NULL || strchr(*dn, '=') == NULL) {
		free(*dn);
		free(*role);
		return -1;
	}
	return 0;
}

/* A DN in one canonical spelling (LDAPv3, escapes normalised) for
 * comparison; NULL when it does not parse. Free with ldap_memfree. */
static char *
normalize_dn(const char *dn)
{
	char *out = NULL;

	if (ldap_dn_normalize(dn, LDAP_DN_FORMAT_LDAPV3, &out, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return NULL;
	return out;
}

static enum crm_err
check_role_map(const char *map, char *err, size_t errlen)
{
	const char *p = map, *s;
	size_t n, entries = 0;

	while (next_entry(&p, &s, &n)) {
		char *dn, *role, *norm;
		int rc = split_role_entry(s, n, &dn, &role);

		if (rc == 1)
			continue;
		if (rc != 0) {
			set_err(err, errlen, "[ldap] role_map: \"%.*s\": expected group DN=role",
			    (int)n, s);
			return CRM_ECONFIG;
		}
		norm = normalize_dn(dn);
		if (norm == NULL)
			set_err(err, errlen, "[ldap] role_map: \"%s\" is not a DN", dn);
		else
			entries++;
		free(dn);
		free(role);
		if (norm == NULL)
			return CRM_ECONFIG;
		ldap_memfree(norm);
	}
	if (entries == 0) {
		set_err(err, errlen, "[ldap] role_map: no group maps to a role, so nobody could sign in");
		return CRM_ECONFIG;
	}
	return CRM_OK;
}

enum crm_err
crm_ldap_config_check(const struct crm_ldap_config *c, char *err, size_t errlen)
{
	if (c->uri == NULL || c->uri[0] == '\0')
		return CRM_OK;
	if (strncmp(c->uri, "ldap://", 7) != 0 && strncmp(c->uri, "ldaps://", 8) != 0) {
		set_err(err, errlen, "[ldap] uri = \"%s\": expected ldap://host:port or ldaps://host:port", c->uri);
		return CRM_ECONFIG;
	}
	if (c->user_dn == NULL || count_placeholders(c->user_dn) != 1) {
		set_err(err, errlen, "[ldap] user_dn = \"%s\": expected exactly one %%s for the login name",
		    c->user_dn ? c->user_dn : "");
		return CRM_ECONFIG;
	}
	if (c->group_filter == NULL || count_placeholders(c->group_filter) != 1 ||
	    c->group_filter[0] != '(') {
		set_err(err, errlen, "[ldap] group_filter = \"%s\": expected a (filter) with exactly one %%s for the user DN",
		    c->group_filter ? c->group_filter : "");
		return CRM_ECONFIG;
	}
	if (c->group_base == NULL || c->group_base[0] == '\0') {
		set_err(err, errlen, "[ldap] group_base is empty");
		return CRM_ECONFIG;
	}
	if (c->timeout < 1 || c->timeout > 300) {
		set_err(err, errlen, "[ldap] timeout = %ld: expected 1 to 300 seconds", c->timeout);
		return CRM_ECONFIG;
	}
	return check_role_map(c->role_map ? c->role_map : "", err, errlen);
}

/* An LDAP failure for the log: the result text and the server's own words. */
static enum crm_err
ldap_fail(LDAP *ld, int rc, const char *what, char *err, size_t errlen)
{
	char *diag = NULL;

	if (ld != NULL)
		ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
	set_err(err, errlen, "ldap: %s: %s%s%s", what, ldap_err2string(rc),
	    diag && *diag ? ": " : "", diag && *diag ? diag : "");
	ldap_memfree(diag);
	return CRM_EIO;
}

static enum crm_err
open_ld(const struct crm_ldap_config *c, LDAP **out, char *err, size_t errlen)
{
	struct timeval tv = { c->timeout, 0 };
	int version = LDAP_VERSION3, rc;
	LDAP *ld = NULL;

	*out = NULL;
	rc = ldap_initialize(&ld, c->uri);
	if (rc != LDAP_SUCCESS)
		return ldap_fail(NULL, rc, c->uri, err, errlen);
	/* The network timeout bounds connect(); LDAP_OPT_TIMEOUT bounds every
	 * synchronous call, so a server that accepts and then says nothing
	 * cannot hold a worker either. Referrals would be chased with an
	 * anonymous rebind, never what a sign-in wants. */
	if ((rc = ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version)) != LDAP_OPT_SUCCESS ||
	    (rc = ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv)) != LDAP_OPT_SUCCESS ||
	    (rc = ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv)) != LDAP_OPT_SUCCESS ||
	    (rc = ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF)) != LDAP_OPT_SUCCESS) {
		ldap_unbind_ext_s(ld, NULL, NULL);
		set_err(err, errlen, "ldap: %s: cannot set connection options", c->uri);
		return CRM_EIO;
	}
	*out = ld;
	return CRM_OK;
}

static enum crm_err
bind_user(LDAP *ld, const char *uri, const char *dn, const char *password,
    char *err, size_t errlen)
{
	struct berval cred;
	int rc;

	cred.bv_val = (char *)password;
	cred.bv_len = strlen(password);
	rc = ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	switch (rc) {
	case LDAP_SUCCESS:
		return CRM_OK;
	/* Which of login or password was wrong is the directory's secret. */
	case LDAP_INVALID_CREDENTIALS:
	case LDAP_INVALID_DN_SYNTAX:
	case LDAP_NO_SUCH_OBJECT:
	case LDAP_INAPPROPRIATE_AUTH:
		set_err(err, errlen, "wrong login name or password");
		return CRM_EINVAL;
	default:
		return ldap_fail(ld, rc, uri, err, errlen);
	}
}

/* The first value of attr, or "" when the entry has none. */
static char *
first_value(LDAP *ld, LDAPMessage *entry, const char *attr)
{
	struct berval **v = ldap_get_values_len(ld, entry, attr);
	char *s;

	if (v == NULL || v[0] == NULL) {
		ldap_value_free_len(v);
		return crm_xstrdup("");
	}
	s = crm_xmalloc(v[0]->bv_len + 1);
	memcpy(s, v[0]->bv_val, v[0]->bv_len);
	s[v[0]->bv_len] = '\0';
	ldap_value_free_len(v);
	return s;
}

static enum crm_err
read_entry(LDAP *ld, const struct crm_ldap_config *c, const char *dn,
    struct crm_ldap_user *out, char *err, size_t errlen)
{
	char *attrs[] = { "cn", "mail", NULL };
	struct timeval tv = { c->timeout, 0 };
	LDAPMessage *res = NULL, *entry;
	char *edn;
	int rc;

	rc = ldap_search_ext_s(ld, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0,
	    NULL, NULL, &tv, 1, &res);
	if (rc != LDAP_SUCCESS) {
		ldap_msgfree(res);
		return ldap_fail(ld, rc, "reading the signed-in user's entry", err, errlen);
	}
	entry = ldap_first_entry(ld, res);
	edn = entry ? ldap_get_dn(ld, entry) : NULL;
	if (edn == NULL) {
		ldap_msgfree(res);
		set_err(err, errlen, "ldap: the signed-in user cannot read their own entry %s", dn);
		return CRM_EIO;
	}
	out->dn = crm_xstrdup(edn);
	ldap_memfree(edn);
	out->name = first_value(ld, entry, "cn");
	out->email = first_value(ld, entry, "mail");
	ldap_msgfree(res);
	return CRM_OK;
}

/* The normalised DNs of the user's groups, NULL-terminated, in *groups. */
static enum crm_err
search_groups(LDAP *ld, const struct crm_ldap_config *c, const char *user_dn,
    char ***groups, char *err, size_t errlen)
{
	char *attrs[] = { LDAP_NO_ATTRS, NULL };
	struct timeval tv = { c->timeout, 0 };
	LDAPMessage *res = NULL, *e;
	struct crm_buf filter;
	size_t n = 0;
	char **g;
	int rc, count;

	crm_buf_init(&filter, NULL, 128);
	substitute(&filter, c->group_filter, user_dn, crm_ldap_escape_filter);
	rc = ldap_search_ext_s(ld, c->group_base, LDAP_SCOPE_SUBTREE, filter.data, attrs, 0,
	    NULL, NULL, &tv, 0, &res);
	crm_buf_release(&filter);
	/* A partial answer still names groups; a role from those is sound. */
	if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
		ldap_msgfree(res);
		return ldap_fail(ld, rc, "searching the user's groups", err, errlen);
	}
	if ((count = ldap_count_entries(ld, res)) < 0)
		count = 0;
	g = crm_xcalloc((size_t)count + 1, sizeof(*g));
	for (e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
		char *dn = ldap_get_dn(ld, e);

		if (dn != NULL && (g[n] = normalize_dn(dn)) != NULL)
			n++;
		ldap_memfree(dn);
	}
	g[n] = NULL;
	ldap_msgfree(res);
	*groups = g;
	return CRM_OK;
}

static void
free_groups(char **g)
{
	size_t i;

	for (i = 0; g != NULL && g[i] != NULL; i++)
		ldap_memfree(g[i]);
	free(g);
}

static int
in_groups(char *const *groups, const char *dn)
{
	char *norm = normalize_dn(dn);
	int found = 0;

	/* Case-blind: cn, ou and dc, what groups are named by, all compare
	 * without case in the standard schema. */
	for (; norm != NULL && *groups != NULL && !found; groups++)
		found = strcasecmp(*groups, norm) == 0;
	ldap_memfree(norm);
	return found;
}

/* The role of the first role_map entry whose group is among groups. */
static char *
map_role(const char *map, char *const *groups)
{
	const char *p = map, *s;
	char *found = NULL, *dn, *role;
	size_t n;

	while (found == NULL && next_entry(&p, &s, &n)) {
		if (split_role_entry(s, n, &dn, &role) != 0)
			continue;
		if (in_groups(groups, dn))
			found = role;
		else
			free(role);
		free(dn);
	}
	return found;
}

static enum crm_err
sign_in(LDAP *ld, const struct crm_ldap_config *c, const char *login,
    const char *password, struct crm_ldap_user *out, char *err, size_t errlen)
{
	struct crm_buf dn;
	char **groups = NULL;
	enum crm_err e;

	crm_buf_init(&dn, NULL, 128);
	substitute(&dn, c->user_dn, login, crm_ldap_escape_dn_value);
	e = bind_user(ld, c->uri, dn.data, password, err, errlen);
	if (e == CRM_OK)
		e = read_entry(ld, c, dn.data, out, err, errlen);
	crm_buf_release(&dn);
	if (e == CRM_OK)
		e = search_groups(ld, c, out->dn, &groups, err, errlen);
	if (e == CRM_OK) {
		out->role = map_role(c->role_map, groups);
		if (out->role == NULL) {
			set_err(err, errlen, "%s is in no group that [ldap] role_map maps to a role",
			    out->dn);
			e = CRM_ENOTFOUND;
		}
	}
	free_groups(groups);
	return e;
}

enum crm_err
crm_ldap_authenticate(const struct crm_ldap_config *c, const char *login,
    const char *password, struct crm_ldap_user *out, char *err, size_t errlen)
{
	enum crm_err e;
	LDAP *ld;

	memset(out, 0, sizeof(*out));
	if (errlen > 0)
		err[0] = '\0';
	if (c->uri == NULL || c->uri[0] == '\0') {
		set_err(err, errlen, "LDAP sign-in is off: [ldap] uri is empty");
		return CRM_ECONFIG;
	}
	if ((e = crm_ldap_config_check(c, err, errlen)) != CRM_OK)
		return e;
	/* RFC 4513 5.1.2: a DN with an empty password is an unauthenticated
	 * bind, which some servers answer with success. Refuse it here. */
	if (login == NULL || login[0] == '\0' || strlen(login) > LOGIN_MAX ||
	    password == NULL || password[0] == '\0') {
		set_err(err, errlen, "wrong login name or password");
		return CRM_EINVAL;
	}
	if ((e = open_ld(c, &ld, err, errlen)) != CRM_OK)
		return e;
	e = sign_in(ld, c, login, password, out, err, errlen);
	ldap_unbind_ext_s(ld, NULL, NULL);
	if (e != CRM_OK && e != CRM_ENOTFOUND)
		crm_ldap_user_free(out);
	return e;
}

void
crm_ldap_user_free(struct crm_ldap_user *u)
{
	free(u->dn);
	free(u->name);
	free(u->email);
	free(u->role);
	memset(u, 0, sizeof(*u));
}
