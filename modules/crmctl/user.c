/* crmctl user: create staff accounts and unlock them from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_password.h"
#include "extern.h"

static int
read_password(char *out, size_t len)
{
	size_t n;

	if (fgets(out, (int)len, stdin) == NULL)
		return -1;
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: crmctl user add --email EMAIL [--name NAME] [--role ROLE | --admin]\n"
	    "                       [--password-stdin] [--if-none]\n"
	    "       crmctl user unlock EMAIL\n"
	    "Roles: admin, manager, sales, support, marketing, read-only, or one an admin made.\n"
	    "Without --password-stdin a password is generated and printed once.\n"
	    "--if-none does nothing when any user exists (for first-run scripts).\n");
}

struct new_user {
	const char *email, *name, *role;
	char hash[128];
	uint64_t id;
	int no_role;
};

static enum crm_err
insert_user(struct crm_db *db, void *arg)
{
	struct new_user *u = arg;
	struct crm_db_bind b[4];
	uint64_t affected = 0;
	json_t *after;
	enum crm_err e;

	crm_db_bind_str(&b[0], u->email, (size_t)-1);
	crm_db_bind_str(&b[1], u->name, (size_t)-1);
	crm_db_bind_str(&b[2], u->hash, (size_t)-1);
	crm_db_bind_str(&b[3], u->role, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_USER_INSERT, b, 4, &affected, &u->id)) != CRM_OK)
		return e;
	if (affected == 0) {
		u->no_role = 1;
		return CRM_ENOTFOUND;
	}
	after = json_pack("{s:s,s:s,s:s,s:s}", "email", u->email, "name", u->name,
	    "role", u->role, "by", "crmctl");
	e = crm_audit_write(db, NULL, "create", "user", (long long)u->id, NULL, after);
	json_decref(after);
	return e;
}

static int
user_add(struct crm_db *db, int argc, char **argv)
{
	struct new_user u;
	char password[256];
	int from_stdin = 0, if_none = 0, i;
	const char *problem;
	json_t *row = NULL;
	enum crm_err e;

	memset(&u, 0, sizeof(u));
	u.role = "read-only";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
			u.email = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			u.name = argv[++i];
		else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			u.role = argv[++i];
		else if (strcmp(argv[i], "--admin") == 0)
			u.role = "admin";
		else if (strcmp(argv[i], "--password-stdin") == 0)
			from_stdin = 1;
		else if (strcmp(argv[i], "--if-none") == 0)
			if_none = 1;
		else {
			usage();
			return 2;
		}
	}
	if (u.email == NULL || strchr(u.email, '@') == NULL || strlen(u.email) > 254) {
		fprintf(stderr, "crmctl: --email needs an e-mail address\n");
		return 2;
	}
	if (u.name == NULL)
		u.name = strcmp(u.role, "admin") == 0 ? "Administrator" : u.email;
	if (if_none) {
		e = crm_db_row(db, STMT_USERS_ANY, NULL, 0, &row);
		json_decref(row);
		if (e == CRM_OK) {
			printf("a user exists already; no account created\n");
			return 0;
		}
		if (e != CRM_ENOTFOUND) {
			fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
			return 1;
		}
	}
	if (from_stdin) {
		if (read_password(password, sizeof(password)) != 0)
			password[0] = '\0';
		if ((problem = crm_password_problem(password, u.email, u.name)) != NULL) {
			fprintf(stderr, "crmctl: %s\n", problem);
			return 2;
		}
	} else
		crm_password_generate(password);
	if (crm_password_hash(password, u.hash) != CRM_OK) {
		fprintf(stderr, "crmctl: out of memory hashing the password\n");
		return 1;
	}
	e = crm_db_tx(db, insert_user, &u);
	if (e == CRM_ECONFLICT) {
		fprintf(stderr, "crmctl: a user with e-mail %s exists already\n", u.email);
		return 1;
	}
	if (u.no_role) {
		fprintf(stderr, "crmctl: there is no role named %s\n", u.role);
		return 2;
	}
	if (e != CRM_OK) {
		fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
		return 1;
	}
	printf("created %s %s\n", u.role, u.email);
	if (!from_stdin)
		printf("password: %s\n(shown once: store it now)\n", password);
	sodium_memzero(password, sizeof(password));
	return 0;
}

static int
user_unlock(struct crm_db *db, const char *email)
{
	struct crm_db_bind b[1];
	uint64_t n = 0;

	crm_db_bind_str(&b[0], email, (size_t)-1);
	if (crm_db_exec(db, STMT_USER_UNLOCK, b, 1, &n, NULL) != CRM_OK ||
	    crm_db_exec(db, STMT_THROTTLE_CLEAR, b, 1, NULL, NULL) != CRM_OK) {
		fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
		return 1;
	}
	printf("%s: sign-in failures cleared%s\n", email, n ? "; account unlocked" : "");
	return 0;
}

int
crmctl_user(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	(void)conf;
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return user_add(db, argc, argv);
	if (argc == 2 && strcmp(argv[0], "unlock") == 0)
		return user_unlock(db, argv[1]);
	usage();
	return 2;
}
