/* crmctl user add: creates a staff account from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

#define GENERATED_LEN 20

static void
generate_password(char *out, size_t len)
{
	/* No look-alikes (0/O, 1/l/I): it is read off a terminal once. */
	static const char alphabet[] =
	    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t i;

	for (i = 0; i + 1 < len; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[len - 1] = '\0';
}

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
	fprintf(stderr, "usage: crmctl user add --email EMAIL [--name NAME] [--admin]\n"
	    "                       [--password-stdin] [--if-none]\n"
	    "Without --password-stdin a password is generated and printed once.\n"
	    "--if-none does nothing when any user exists (for first-run scripts).\n");
}

int
crmctl_user(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	const char *email = NULL, *name = NULL;
	char password[256], hash[crypto_pwhash_STRBYTES];
	int admin = 0, from_stdin = 0, if_none = 0, i;
	struct crm_db_bind b[4];
	json_t *row = NULL;
	enum crm_err e;

	(void)conf;
	if (argc < 1 || strcmp(argv[0], "add") != 0) {
		usage();
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
			email = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--admin") == 0)
			admin = 1;
		else if (strcmp(argv[i], "--password-stdin") == 0)
			from_stdin = 1;
		else if (strcmp(argv[i], "--if-none") == 0)
			if_none = 1;
		else {
			usage();
			return 2;
		}
	}
	if (email == NULL || strchr(email, '@') == NULL || strlen(email) > 254) {
		fprintf(stderr, "crmctl: --email needs an e-mail address\n");
		return 2;
	}
	if (name == NULL)
		name = admin ? "Administrator" : email;
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
		if (read_password(password, sizeof(password)) != 0 || strlen(password) < 10) {
			fprintf(stderr, "crmctl: a password has at least 10 characters\n");
			return 2;
		}
	} else
		generate_password(password, GENERATED_LEN + 1);
	if (crypto_pwhash_str(hash, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "crmctl: out of memory hashing the password\n");
		return 1;
	}
	crm_db_bind_str(&b[0], email, (size_t)-1);
	crm_db_bind_str(&b[1], name, (size_t)-1);
	crm_db_bind_str(&b[2], hash, (size_t)-1);
	crm_db_bind_i64(&b[3], admin);
	e = crm_db_exec(db, STMT_USER_INSERT, b, 4, NULL, NULL);
	if (e == CRM_ECONFLICT) {
		fprintf(stderr, "crmctl: a user with e-mail %s exists already\n", email);
		return 1;
	}
	if (e != CRM_OK) {
		fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
		return 1;
	}
	printf("created %s%s\n", admin ? "administrator " : "user ", email);
	if (!from_stdin)
		printf("password: %s\n(shown once: store it now)\n", password);
	sodium_memzero(password, sizeof(password));
	return 0;
}
