/* crm.conf loading and validation. Every key is declared once in a table;
 * an unknown key is an error, so a typo never silently falls back. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "crm_conf.h"

enum conf_type {
	CONF_INT,       /* a whole number */
	CONF_SIZE,      /* a byte count with optional K, M or G */
	CONF_BOOL,      /* on/off, yes/no, true/false, 1/0 */
	CONF_STR,
	CONF_TYPE__MAX
};

struct conf_key {
	const char *section;
	const char *name;
	enum conf_type type;
	size_t offset;
	const char *def;
	long min, max;          /* for numbers */
};

#define OFF(f) offsetof(struct crm_conf, f)

enum conf_key_id {
	KEY_WORKERS, KEY_MAX_BODY, KEY_MAX_FIELDS, KEY_MAX_FILE, KEY_STOP_TIMEOUT,
	KEY_TMPDIR, KEY_TEMPLATES, KEY_LOCALES, KEY_COOKIE_SECURE,
	KEY_DB_HOST, KEY_DB_PORT, KEY_DB_SOCKET, KEY_DB_NAME, KEY_DB_USER,
	KEY_DB_PASSWORD, KEY_MIGRATIONS, KEY_DB_TIMEOUT, KEY_DB_SYNC_WAIT, KEY_LDAP_URI, KEY_LDAP_USER_DN, KEY_LDAP_GROUP_BASE,
	KEY_LDAP_GROUP_FILTER, KEY_LDAP_ROLE_MAP, KEY_LDAP_TIMEOUT, KEY_JOBS_SPOOL, KEY_SERVICE_ATTACHMENTS, KEY_LOG_REQUESTS,
	KEY__MAX
};

static const struct conf_key keys[KEY__MAX] = {
	{ "server", "workers", CONF_INT, OFF(workers), "2", 1, 256 },                   /* KEY_WORKERS */
	{ "server", "max_body", CONF_SIZE, OFF(max_body), "16M", 1024, 1L << 31 },       /* KEY_MAX_BODY */
	{ "server", "max_fields", CONF_INT, OFF(max_fields), "8192", 1, 100000 },         /* KEY_MAX_FIELDS */
	{ "server", "max_file", CONF_SIZE, OFF(max_file), "16M", 1024, 1L << 31 },       /* KEY_MAX_FILE */
	{ "server", "stop_timeout", CONF_INT, OFF(stop_timeout), "30", 1, 3600 },        /* KEY_STOP_TIMEOUT */
	{ "server", "tmpdir", CONF_STR, OFF(tmpdir), "/tmp", 0, 0 },                     /* KEY_TMPDIR */
	{ "server", "templates", CONF_STR, OFF(templates), "/usr/local/share/crm/templates", 0, 0 }, /* KEY_TEMPLATES */
	{ "server", "locales", CONF_STR, OFF(locales), "/usr/local/share/crm/locale", 0, 0 }, /* KEY_LOCALES */
	{ "server", "cookie_secure", CONF_STR, OFF(cookie_secure), "auto", 0, 0 },       /* KEY_COOKIE_SECURE */
	{ "database", "host", CONF_STR, OFF(db_host), "localhost", 0, 0 },               /* KEY_DB_HOST */
	{ "database", "port", CONF_INT, OFF(db_port), "3306", 0, 65535 },                /* KEY_DB_PORT */
	{ "database", "socket", CONF_STR, OFF(db_socket), "", 0, 0 },                    /* KEY_DB_SOCKET */
	{ "database", "name", CONF_STR, OFF(db_name), "crm", 0, 0 },                     /* KEY_DB_NAME */
	{ "database", "user", CONF_STR, OFF(db_user), "crm", 0, 0 },                     /* KEY_DB_USER */
	{ "database", "password", CONF_STR, OFF(db_password), "", 0, 0 },                /* KEY_DB_PASSWORD */
	{ "database", "migrations", CONF_STR, OFF(migrations), "/usr/local/share/crm/migrations", 0, 0 }, /* KEY_MIGRATIONS */
	{ "database", "timeout", CONF_INT, OFF(db_timeout), "30", 0, 3600 },            /* KEY_DB_TIMEOUT */
	{ "database", "sync_wait", CONF_INT, OFF(db_sync_wait), "0", 0, 15 },            /* KEY_DB_SYNC_WAIT */
	{ "ldap", "uri", CONF_STR, OFF(ldap_uri), "", 0, 0 },                            /* KEY_LDAP_URI */
	{ "ldap", "user_dn", CONF_STR, OFF(ldap_user_dn), "uid=%s,ou=people,dc=example,dc=com", 0, 0 }, /* KEY_LDAP_USER_DN */
	{ "ldap", "group_base", CONF_STR, OFF(ldap_group_base), "ou=groups,dc=example,dc=com", 0, 0 }, /* KEY_LDAP_GROUP_BASE */
	{ "ldap", "group_filter", CONF_STR, OFF(ldap_group_filter), "(member=%s)", 0, 0 }, /* KEY_LDAP_GROUP_FILTER */
	{ "ldap", "role_map", CONF_STR, OFF(ldap_role_map), "", 0, 0 },                  /* KEY_LDAP_ROLE_MAP */
	{ "ldap", "timeout", CONF_INT, OFF(ldap_timeout), "5", 1, 60 },                  /* KEY_LDAP_TIMEOUT */
	{ "jobs", "spool", CONF_STR, OFF(spool), "/var/lib/crm/spool", 0, 0 },             /* KEY_JOBS_SPOOL */
	{ "service", "attachments", CONF_STR, OFF(attachments), "/var/lib/crm/attachments", 0, 0 }, /* KEY_SERVICE_ATTACHMENTS */
	{ "log", "requests", CONF_BOOL, OFF(log_requests), "on", 0, 1 },                 /* KEY_LOG_REQUESTS */
};
_Static_assert(CRM_NELEM(keys) == KEY__MAX, "keys");

struct load_state {
	struct crm_conf *conf;
	char *err;
	size_t errlen;
	const char *origin;     /* file path or "environment" */
	int failed;
};

static int
parse_long(const char *v, enum conf_type type, long *out)
{
	char *end;
	long n, mul = 1;

	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || errno != 0)
		return -1;
	if (type == CONF_SIZE && *end != '\0') {
		switch (toupper((unsigned char)*end)) {
		case 'K': mul = 1L << 10; break;
		case 'M': mul = 1L << 20; break;
		case 'G': mul = 1L << 30; break;
		default: return -1;
		}
		end++;
	}
	if (*end != '\0' || n < 0 || n > LONG_MAX / mul)
		return -1;
	*out = n * mul;
	return 0;
}

static int
parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t i;

	for (i = 0; i < CRM_NELEM(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

/* Sets one key; on error writes a message that names the key and value. */
static int
set_key(struct load_state *st, const struct conf_key *k, const char *v)
{
	char *base = (char *)st->conf + k->offset;
	long n;
	int b;

	switch (k->type) {
	case CONF_INT:
	case CONF_SIZE:
		if (parse_long(v, k->type, &n) != 0 || n < k->min || n > k->max) {
			snprintf(st->err, st->errlen,
			    "%s: [%s] %s = \"%s\": expected a %s from %ld to %ld",
			    st->origin, k->section, k->name, v,
			    k->type == CONF_SIZE ? "size (e.g. 512K, 16M)" : "whole number",
			    k->min, k->max);
			return -1;
		}
		*(long *)base = n;
		break;
	case CONF_BOOL:
		if (parse_bool(v, &b) != 0) {
			snprintf(st->err, st->errlen,
			    "%s: [%s] %s = \"%s\": expected on or off",
			    st->origin, k->section, k->name, v);
			return -1;
		}
		*(int *)base = b;
		break;
	case CONF_STR:
		free(*(char **)base);
		*(char **)base = crm_xstrdup(v);
		break;
	case CONF_TYPE__MAX:
		return -1;
	}
	return 0;
}

static int
ini_cb(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *st = user;
	size_t i;

	if (st->failed)
		return 0;
	for (i = 0; i < KEY__MAX; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			break;
	if (i == KEY__MAX) {
		snprintf(st->err, st->errlen, "%s: unknown key \"%s\" in [%s]",
		    st->origin, name, section);
		st->failed = 1;
		return 0;
	}
	if (set_key(st, &keys[i], value) != 0) {
		st->failed = 1;
		return 0;
	}
	return 1;
}

static int
check_cookie_secure(struct load_state *st)
{
	const char *v = st->conf->cookie_secure;

	if (strcmp(v, "auto") && strcmp(v, "on") && strcmp(v, "off")) {
		snprintf(st->err, st->errlen,
		    "[server] cookie_secure = \"%s\": expected auto, on or off", v);
		return -1;
	}
	return 0;
}

enum crm_err
crm_conf_load(struct crm_conf *c, const char *path, char *err, size_t errlen)
{
	struct load_state st = { c, err, errlen, path, 0 };
	char env[128];
	size_t i, j;
	int rc;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	st.origin = "defaults";
	for (i = 0; i < KEY__MAX; i++)
		if (set_key(&st, &keys[i], keys[i].def) != 0)
			return CRM_ECONFIG;

	if (path != NULL) {
		st.origin = path;
		if (access(path, R_OK) != 0) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			return CRM_ECONFIG;
		}
		rc = ini_parse(path, ini_cb, &st);
		if (rc != 0) {
			if (!st.failed)
				snprintf(err, errlen, "%s:%d: not a valid line", path, rc);
			else if (rc > 0) {
				char msg[512];

				snprintf(msg, sizeof(msg), "%s", err);
				snprintf(err, errlen, "%s:%d: %s", path, rc,
				    msg + strlen(path) + 2);
			}
			return CRM_ECONFIG;
		}
	}

	/* CRM_DATABASE_PASSWORD and friends: secrets stay out of files. */
	st.origin = "environment";
	for (i = 0; i < KEY__MAX; i++) {
		const char *v;

		snprintf(env, sizeof(env), "CRM_%s_%s", keys[i].section, keys[i].name);
		for (j = 0; env[j]; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		if ((v = getenv(env)) != NULL && set_key(&st, &keys[i], v) != 0)
			return CRM_ECONFIG;
	}
	if (check_cookie_secure(&st) != 0)
		return CRM_ECONFIG;
	c->path = crm_xstrdup(path ? path : "(defaults)");
	return CRM_OK;
}

void
crm_conf_free(struct crm_conf *c)
{
	size_t i;

	for (i = 0; i < KEY__MAX; i++)
		if (keys[i].type == CONF_STR)
			free(*(char **)((char *)c + keys[i].offset));
	free(c->path);
	memset(c, 0, sizeof(*c));
}

const char *
crm_conf_default_path(void)
{
	const char *p = getenv("CRM_CONF");

	return p && *p ? p : "/etc/crm/crm.conf";
}
