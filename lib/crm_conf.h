/* crm.conf: one INI file shared by every module and crmctl, with
 * CRM_<SECTION>_<KEY> environment overrides, validated at start. */
#ifndef CRM_CONF_H
#define CRM_CONF_H

#include "crm.h"

struct crm_conf {
	/* [server] */
	long workers;
	long max_body;          /* bytes of a request body */
	long max_fields;
	long max_file;          /* bytes of one uploaded file */
	long stop_timeout;      /* seconds a stopping worker may take */
	char *tmpdir;
	char *templates;        /* directory of *.mustache */
	char *locales;          /* directory of <lang>.mo */
	char *cookie_secure;    /* auto | on | off */
	/* [database] */
	char *db_host;
	long db_port;
	char *db_socket;
	char *db_name;
	char *db_user;
	char *db_password;
	char *migrations;       /* directory of NNN_name.sql */
	long db_timeout;        /* seconds a web request waits on the database; 0: no limit */
	long db_sync_wait;      /* Galera's wsrep_sync_wait for every connection; 0: off */
	/* [ldap]: optional sign-in against a directory */
	char *ldap_uri;
	char *ldap_user_dn;
	char *ldap_group_base;
	char *ldap_group_filter;
	char *ldap_role_map;
	long ldap_timeout;
	/* [jobs]: background work a module hands to its job runner */
	char *spool;            /* uploaded files waiting for a job (imports) */
	/* [service] */
	char *attachments;      /* ticket attachments, named by id; outside the web root */
	/* [log] */
	int log_requests;
	char *path;             /* the file read, or "(defaults)" */
};

/* Reads path (NULL: defaults only) and then the environment. On a bad file,
 * key or value returns CRM_ECONFIG with a message naming it in err. */
enum crm_err crm_conf_load(struct crm_conf *, const char *path, char *err, size_t errlen);
void crm_conf_free(struct crm_conf *);
/* The configuration file to use: --config, else $CRM_CONF, else /etc/crm/crm.conf. */
const char *crm_conf_default_path(void);

#endif
