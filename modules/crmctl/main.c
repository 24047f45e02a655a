/* crmctl: the admin's command line. Each command is a row here. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "crm_log.h"
#include "extern.h"

static const struct command {
	const char *name;
	int (*run)(struct crm_db *, const struct crm_conf *, int, char **);
	const char *help;
} commands[] = {
	{ "migrate", crmctl_migrate, "migrate [--dir DIR] [--status]   apply sql/migrations in order" },
	{ "user", crmctl_user, "user add --email E [--role R] ...  create a staff account; user unlock E" },
	{ "demo", crmctl_demo, "demo [--accounts N] [--contacts N] [--activities MAX] [--if-empty]\n"
	    "       [--leads N] [--opportunities N] [--quotes N] [--orders N] [--campaigns N]\n"
	    "                                    load realistic demo data" },
	{ "search", crmctl_search, "search rebuild                   rebuild the search index from the records" },
	{ "analytics", crmctl_analytics, "analytics [STEP ...|all|--list]  run the analytics (scores, segments, models) now" },
	{ "backup", crmctl_backup, "backup [--to DIR]                a consistent dump, the attachments and the spool, with a manifest" },
	{ "restore", crmctl_restore, "restore --from DIR [--force]     load a backup into an empty database and check it" },
	{ "audit", crmctl_audit, "audit verify                     check the audit log's hash chain" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: crmctl [--config FILE] COMMAND ...\n");
	for (i = 0; i < CRM_NELEM(commands); i++)
		fprintf(f, "  crmctl %s\n", commands[i].help);
	fprintf(f, "  crmctl version\n");
}

int
main(int argc, char **argv)
{
	const char *config = crm_conf_default_path();
	struct crm_conf conf;
	struct crm_db *db = NULL;
	char err[512];
	size_t i;
	int arg = 1, rc;

	crm_log_init("crmctl");
	if (argc > 2 && strcmp(argv[1], "--config") == 0) {
		config = argv[2];
		arg = 3;
	}
	if (arg >= argc || strcmp(argv[arg], "help") == 0 || strcmp(argv[arg], "--help") == 0) {
		usage(arg >= argc ? stderr : stdout);
		return arg >= argc ? 2 : 0;
	}
	if (strcmp(argv[arg], "version") == 0) {
		printf("crmctl %s\n", CRM_VERSION);
		return 0;
	}
	for (i = 0; i < CRM_NELEM(commands); i++)
		if (strcmp(argv[arg], commands[i].name) == 0)
			break;
	if (i == CRM_NELEM(commands)) {
		fprintf(stderr, "crmctl: unknown command %s\n", argv[arg]);
		usage(stderr);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "crmctl: libsodium failed to initialise\n");
		return 1;
	}
	if (crm_conf_load(&conf, config, err, sizeof(err)) != CRM_OK) {
		fprintf(stderr, "crmctl: %s\n", err);
		return 78;
	}
	if (crm_db_open(&db, &conf, crmctl_stmts, STMT__MAX) != CRM_OK) {
		fprintf(stderr, "crmctl: cannot connect to the database: %s\n", crm_db_error(db));
		crm_db_close(db);
		crm_conf_free(&conf);
		return 1;
	}
	rc = commands[i].run(db, &conf, argc - arg - 1, argv + arg + 1);
	crm_db_close(db);
	crm_conf_free(&conf);
	return rc;
}
