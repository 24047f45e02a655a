/* crmctl migrate: applies sql/migrations/NNN_name.sql in order, records
 * each in schema_migrations with its SHA-256, and refuses to go on when an
 * applied file has since been changed: a shipped migration is never edited. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crm_log.h"
#include "extern.h"

struct migration {
	unsigned version;
	char name[256];
	char checksum[65];
	char *sql;
	size_t len;
};

static int
by_version(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = crm_xmalloc((size_t)n + 1);
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

/* Reads every NNN_name.sql in dir, sorted by NNN. */
static int
load_dir(const char *dir, struct migration **out, size_t *count)
{
	struct migration *v = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL) {
		fprintf(stderr, "crmctl: migrations directory %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;
		size_t nl = strlen(nm);
		unsigned char hash[crypto_hash_sha256_BYTES];
		char path[4096];
		char *end;
		unsigned long ver;

		if (nl < 5 || strcmp(nm + nl - 4, ".sql") != 0)
			continue;
		ver = strtoul(nm, &end, 10);
		if (end == nm || *end != '_' || ver == 0 || nl >= sizeof(v->name)) {
			fprintf(stderr, "crmctl: %s/%s: a migration is named NNN_name.sql\n", dir, nm);
			goto fail;
		}
		for (i = 0; i < n; i++)
			if (v[i].version == ver) {
				fprintf(stderr, "crmctl: %s and %s share version %lu\n",
				    v[i].name, nm, ver);
				goto fail;
			}
		v = crm_xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		v[n].version = (unsigned)ver;
		snprintf(v[n].name, sizeof(v[n].name), "%s", nm);
		snprintf(path, sizeof(path), "%s/%s", dir, nm);
		if ((v[n].sql = slurp(path, &v[n].len)) == NULL) {
			fprintf(stderr, "crmctl: %s: %s\n", path, strerror(errno));
			n++;
			goto fail;
		}
		crypto_hash_sha256(hash, (unsigned char *)v[n].sql, v[n].len);
		sodium_bin2hex(v[n].checksum, sizeof(v[n].checksum), hash, sizeof(hash));
		n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), by_version);
	*out = v;
	*count = n;
	return 0;
fail:
	closedir(d);
	for (i = 0; i < n; i++)
		free(v[i].sql);
	free(v);
	return -1;
}

static int
lock(struct crm_db *db, int take)
{
	json_t *row = NULL;
	int ok;

	if (crm_db_row(db, take ? STMT_MIGRATE_LOCK : STMT_MIGRATE_UNLOCK, NULL, 0, &row) != CRM_OK)
		return -1;
	/* A one-digit result comes back as a JSON boolean (crm_db.h). */
	ok = json_is_true(json_object_get(row, take ? "got" : "released")) ||
	    json_integer_value(json_object_get(row, take ? "got" : "released")) == 1;
	json_decref(row);
	return ok ? 0 : -1;
}

static int
apply(struct crm_db *db, struct migration *files, size_t n, int status_only)
{
	json_t *applied = NULL, *row;
	size_t i, idx, done = 0;
	unsigned level = 0;
	int rc = 0;

	if (crm_db_exec(db, STMT_MIGRATIONS_CREATE, NULL, 0, NULL, NULL) != CRM_OK ||
	    crm_db_rows(db, STMT_MIGRATIONS_LIST, NULL, 0, &applied) != CRM_OK) {
		fprintf(stderr, "crmctl: schema_migrations: %s\n", crm_db_error(db));
		json_decref(applied);
		return 1;
	}
	/* Every applied migration must still be on disk, unchanged. */
	json_array_foreach(applied, idx, row) {
		unsigned ver = (unsigned)json_integer_value(json_object_get(row, "version"));
		const char *sum = json_string_value(json_object_get(row, "checksum"));

		level = ver;
		for (i = 0; i < n && files[i].version != ver; i++)
			;
		if (i == n) {
			fprintf(stderr, "crmctl: migration %u (%s) is applied but its file is missing\n",
			    ver, json_string_value(json_object_get(row, "name")));
			rc = 1;
		} else if (strcmp(files[i].checksum, sum) != 0) {
			fprintf(stderr, "crmctl: %s was changed after it was applied; "
			    "write a new migration instead\n", files[i].name);
			rc = 1;
		}
	}
	if (rc != 0 || status_only) {
		if (rc == 0)
			printf("schema at level %u; %zu of %zu migrations applied\n", level,
			    json_array_size(applied), n);
		json_decref(applied);
		return rc;
	}
	for (i = 0; i < n; i++) {
		struct crm_db_bind b[3];
		int seen = 0;

		json_array_foreach(applied, idx, row)
			if ((unsigned)json_integer_value(json_object_get(row, "version")) ==
			    files[i].version)
				seen = 1;
		if (seen)
			continue;
		if (files[i].version < level) {
			fprintf(stderr, "crmctl: %s is older than level %u but was never applied\n",
			    files[i].name, level);
			rc = 1;
			break;
		}
		printf("applying %s\n", files[i].name);
		if (crm_db_run_script(db, files[i].sql, files[i].len) != CRM_OK) {
			fprintf(stderr, "crmctl: %s failed: %s\n", files[i].name, crm_db_error(db));
			rc = 1;
			break;
		}
		crm_db_bind_i64(&b[0], files[i].version);
		crm_db_bind_str(&b[1], files[i].name, (size_t)-1);
		crm_db_bind_str(&b[2], files[i].checksum, 64);
		if (crm_db_exec(db, STMT_MIGRATIONS_INSERT, b, 3, NULL, NULL) != CRM_OK) {
			fprintf(stderr, "crmctl: recording %s: %s\n", files[i].name, crm_db_error(db));
			rc = 1;
			break;
		}
		level = files[i].version;
		done++;
	}
	json_decref(applied);
	if (rc == 0)
		printf("schema at level %u (%zu applied now)\n", level, done);
	return rc;
}

int
crmctl_migrate(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	const char *dir = conf->migrations;
	struct migration *files = NULL;
	size_t n = 0, i;
	int status_only = 0, rc;

	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--dir") == 0 && i + 1 < (size_t)argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--status") == 0)
			status_only = 1;
		else {
			fprintf(stderr, "usage: crmctl migrate [--dir DIR] [--status]\n");
			return 2;
		}
	}
	if (load_dir(dir, &files, &n) != 0)
		return 1;
	if (lock(db, 1) != 0) {
		fprintf(stderr, "crmctl: another migration holds the lock, or the database "
		    "cannot be reached: %s\n", crm_db_error(db));
		rc = 1;
	} else {
		rc = apply(db, files, n, status_only);
		lock(db, 0);
	}
	for (i = 0; i < n; i++)
		free(files[i].sql);
	free(files);
	return rc;
}
