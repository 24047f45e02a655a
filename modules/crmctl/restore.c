/* crmctl restore --from DIR [--force]: a backup (backup.c) back into the
 * crm.conf database and directories. Everything that can be checked
 * before the first write is checked first: the dump and every file
 * against the manifest's sizes and SHA-256 (a damaged or truncated
 * backup is refused untouched), and an empty target (a database with
 * tables, or directories with files, only with --force). After loading,
 * every table's CHECKSUM TABLE and row count and every file's hash are
 * compared with the manifest, and the result is said. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "crm_buf.h"
#include "extern.h"

static int
usage(void)
{
	fprintf(stderr, "usage: crmctl restore --from DIR [--force]\n");
	return 2;
}

/* The directory a manifest path ("attachments/12") goes back to, and the
 * rest of the path; NULL for a path this version does not know. */
static const char *
target_of(const struct crm_conf *conf, const char *rel, const char **rest)
{
	if (strncmp(rel, "attachments/", 12) == 0) {
		*rest = rel + 12;
		return conf->attachments;
	}
	if (strncmp(rel, "spool/", 6) == 0) {
		*rest = rel + 6;
		return conf->spool;
	}
	return NULL;
}

/* Every file of the backup as the manifest says: 0, or -1 saying which. */
static int
check_backup(const char *from, json_t *m)
{
	/* Only the prefixes matter here, not where they go. */
	static const struct crm_conf names = { .attachments = "", .spool = "" };
	json_t *d = json_object_get(m, "dump"), *f;
	const char *want = json_string_value(json_object_get(d, "sha256"));
	long long bytes = json_integer_value(json_object_get(d, "bytes")), size;
	char path[4096], hex[65];
	size_t i;

	if (want == NULL || backup_join(path, sizeof(path), from, BACKUP_DUMP) != 0) {
		fprintf(stderr, "crmctl: refusing to restore: the manifest names no dump\n");
		return -1;
	}
	if (backup_hash_file(path, hex, &size) != 0) {
		fprintf(stderr, "crmctl: refusing to restore: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (size != bytes || strcmp(hex, want) != 0) {
		fprintf(stderr, "crmctl: refusing to restore: %s is damaged or truncated: it has %lld bytes"
		    " with sha256 %s, the manifest says %lld bytes with sha256 %s\n", path, size, hex, bytes, want);
		return -1;
	}
	json_array_foreach(json_object_get(m, "files"), i, f) {
		const char *rel = json_string_value(json_object_get(f, "path")), *rest = "";

		want = json_string_value(json_object_get(f, "sha256"));
		bytes = json_integer_value(json_object_get(f, "bytes"));
		if (rel == NULL || want == NULL || target_of(&names, rel, &rest) == NULL ||
		    strstr(rel, "..") != NULL || backup_join(path, sizeof(path), from, rel) != 0) {
			fprintf(stderr, "crmctl: refusing to restore: the manifest lists a file %s outside"
			    " attachments/ and spool/\n", rel ? rel : "(no name)");
			return -1;
		}
		if (backup_hash_file(path, hex, &size) != 0) {
			fprintf(stderr, "crmctl: refusing to restore: %s: %s\n", path, strerror(errno));
			return -1;
		}
		if (size != bytes || strcmp(hex, want) != 0) {
			fprintf(stderr, "crmctl: refusing to restore: %s is damaged: it has %lld bytes with"
			    " sha256 %s, the manifest says %lld bytes with sha256 %s\n", path, size, hex, bytes, want);
			return -1;
		}
	}
	return 0;
}

/* 0 when the target holds nothing a restore would overwrite. */
static int
check_target(struct crm_db *db, const struct crm_conf *conf, int force)
{
	json_t *row = NULL, *l;
	long long objects;
	size_t na, ns;

	if (crm_db_row(db, STMT_RESTORE_OBJECTS, NULL, 0, &row) != CRM_OK) {
		fprintf(stderr, "crmctl: cannot read the database %s: %s\n", conf->db_name, crm_db_error(db));
		return -1;
	}
	objects = json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	if ((l = backup_list_files(conf->attachments)) == NULL)
		return -1;
	na = json_array_size(l);
	json_decref(l);
	if ((l = backup_list_files(conf->spool)) == NULL)
		return -1;
	ns = json_array_size(l);
	json_decref(l);
	if (force || (objects == 0 && na == 0 && ns == 0))
		return 0;
	if (objects > 0)
		fprintf(stderr, "crmctl: refusing to restore: the database %s is not empty (%lld tables,"
		    " routines or events)\n", conf->db_name, objects);
	if (na > 0)
		fprintf(stderr, "crmctl: refusing to restore: the attachments directory %s holds %zu files\n",
		    conf->attachments, na);
	if (ns > 0)
		fprintf(stderr, "crmctl: refusing to restore: the spool directory %s holds %zu files\n",
		    conf->spool, ns);
	fprintf(stderr, "crmctl: restore into an empty database and directories, or pass --force to"
	    " replace the database (files of the same name are overwritten)\n");
	return -1;
}

/* --force: the database dropped and made again, empty. Its name is an
 * identifier from crm.conf, quoted, never request text. */
static int
empty_database(struct crm_db *db, const struct crm_conf *conf)
{
	struct crm_buf b;
	const char *p;
	int q, rc;

	crm_buf_init(&b, NULL, 256);
	for (q = 0; q < 3; q++) {
		crm_buf_puts(&b, q == 0 ? "DROP DATABASE `" : q == 1 ? "; CREATE DATABASE `" : "; USE `");
		for (p = conf->db_name; *p; p++) {
			if (*p == '`')
				crm_buf_putc(&b, '`');
			crm_buf_putc(&b, *p);
		}
		crm_buf_putc(&b, '`');
		if (q == 1)
			crm_buf_puts(&b, " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
	}
	rc = crm_db_run_script(db, b.data, b.len) == CRM_OK ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "crmctl: cannot empty the database %s: %s\n", conf->db_name, crm_db_error(db));
	crm_buf_release(&b);
	return rc;
}

static int
load_dump(struct crm_db *db, const struct crm_conf *conf, const char *from)
{
	char defaults[4096], opt[4200], path[4096];
	char *argv[] = { "mariadb", opt, "--batch", conf->db_name, NULL };
	int in, rc = -1;
	pid_t pid;

	if (backup_join(path, sizeof(path), from, BACKUP_DUMP) != 0 ||
	    (in = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "crmctl: %s/%s: %s\n", from, BACKUP_DUMP, strerror(errno));
		return -1;
	}
	if (backup_defaults_file(conf, crm_db_host_index(db), defaults, sizeof(defaults)) == 0) {
		snprintf(opt, sizeof(opt), "--defaults-file=%s", defaults);
		if ((pid = backup_spawn(argv, in, -1)) > 0)
			rc = backup_wait(pid, "loading the dump with mariadb");
		unlink(defaults);
	}
	close(in);
	return rc;
}

static int
restore_files(const struct crm_conf *conf, const char *from, json_t *m, size_t *nfiles)
{
	char src[4096], dst[4096], hex[65];
	json_t *f;
	long long size;
	size_t i;

	json_array_foreach(json_object_get(m, "files"), i, f) {
		const char *rel = json_string_value(json_object_get(f, "path")), *rest = "", *dir;
		char *slash;

		if ((dir = target_of(conf, rel, &rest)) == NULL ||
		    backup_join(src, sizeof(src), from, rel) != 0 || backup_join(dst, sizeof(dst), dir, rest) != 0)
			return -1;
		if ((slash = strrchr(dst, '/')) != NULL) {
			*slash = '\0';
			if (backup_mkdirs(dst) != 0) {
				fprintf(stderr, "crmctl: cannot create %s: %s\n", dst, strerror(errno));
				return -1;
			}
			*slash = '/';
		}
		if (backup_copy_file(src, dst, hex, &size) != 0) {
			fprintf(stderr, "crmctl: cannot copy %s to %s: %s\n", src, dst, strerror(errno));
			return -1;
		}
		if (strcmp(hex, json_string_value(json_object_get(f, "sha256"))) != 0) {
			fprintf(stderr, "crmctl: %s changed while it was copied\n", src);
			return -1;
		}
	}
	*nfiles = i;
	return 0;
}

/* Every table of the manifest against the restored database. */
static int
verify_tables(struct crm_db *db, json_t *m)
{
	json_t *have = backup_tables(db), *t, *h;
	size_t i, j, checked = 0, unchecked = 0, other = 0, bad = 0;

	if (have == NULL)
		return -1;
	json_array_foreach(json_object_get(m, "tables"), i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));
		json_t *want = json_object_get(t, "checksum");
		long long sum = 0, rows = 0;
		int found = 0;

		json_array_foreach(have, j, h)
			if (strcmp(json_string_value(json_object_get(h, "name")), name) == 0)
				found = 1;
		if (!found) {
			fprintf(stderr, "crmctl: table %s is missing after the restore\n", name);
			bad++;
		} else if (strcmp(json_string_value(json_object_get(t, "type")), "table") != 0)
			other++;
		else if (!json_is_integer(want))
			unchecked++;
		else if (backup_table_sum(db, name, &sum, &rows) != CRM_OK) {
			fprintf(stderr, "crmctl: cannot checksum %s: %s\n", name, crm_db_error(db));
			bad++;
		} else if (sum != json_integer_value(want) ||
		    rows != json_integer_value(json_object_get(t, "rows"))) {
			fprintf(stderr, "crmctl: table %s differs from the backup: %lld rows with checksum %lld,"
			    " the manifest says %lld rows with checksum %lld\n", name, rows, sum,
			    (long long)json_integer_value(json_object_get(t, "rows")),
			    (long long)json_integer_value(want));
			bad++;
		} else
			checked++;
	}
	json_decref(have);
	if (bad > 0) {
		fprintf(stderr, "crmctl: restore failed verification: %zu tables differ from the backup\n", bad);
		return -1;
	}
	printf("verified: %zu tables match the backup's CHECKSUM TABLE and row counts", checked);
	if (other > 0)
		printf("; %zu sequences and views are there", other);
	printf("\n");
	if (unchecked > 0) {
		printf("not verified: %zu tables written while the backup began:", unchecked);
		json_array_foreach(json_object_get(m, "tables"), i, t)
			if (json_is_null(json_object_get(t, "checksum")))
				printf(" %s", json_string_value(json_object_get(t, "name")));
		printf("\n");
	}
	return 0;
}

int
crmctl_restore(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	const char *from = NULL;
	char path[4096];
	json_error_t jerr;
	json_t *m, *level;
	size_t nfiles = 0;
	int a, force = 0, rc = 1;

	for (a = 0; a < argc; a++) {
		if (strcmp(argv[a], "--from") == 0 && a + 1 < argc)
			from = argv[++a];
		else if (strcmp(argv[a], "--force") == 0)
			force = 1;
		else
			return usage();
	}
	if (from == NULL)
		return usage();
	if (backup_join(path, sizeof(path), from, BACKUP_MANIFEST) != 0 ||
	    (m = json_load_file(path, 0, &jerr)) == NULL) {
		fprintf(stderr, "crmctl: refusing to restore: %s is not a complete backup: %s: %s\n", from,
		    BACKUP_MANIFEST, jerr.text);
		return 1;
	}
	if (json_integer_value(json_object_get(m, "format")) != BACKUP_FORMAT) {
		fprintf(stderr, "crmctl: refusing to restore: %s is in a backup format this crmctl does not know\n",
		    path);
		goto out;
	}
	if (check_backup(from, m) != 0 || check_target(db, conf, force) != 0)
		goto out;
	printf("backup %s of %s: the dump and %zu files match the manifest\n", from,
	    json_string_value(json_object_get(m, "created_at")), json_array_size(json_object_get(m, "files")));
	if (force && empty_database(db, conf) != 0)
		goto out;
	if (load_dump(db, conf, from) != 0) {
		fprintf(stderr, "crmctl: restore failed while loading the dump: the database %s is incomplete;"
		    " fix the cause and run the restore again with --force\n", conf->db_name);
		goto out;
	}
	if (restore_files(conf, from, m, &nfiles) != 0)
		goto out;
	printf("restored the database %s and %zu files (their sha256 match)\n", conf->db_name, nfiles);
	if (verify_tables(db, m) != 0)
		goto out;
	level = json_object_get(m, "migration");
	printf("the schema is at migration %lld (%s) as backed up: run crmctl migrate if this"
	    " installation is newer\n", (long long)json_integer_value(json_object_get(level, "version")),
	    json_string_value(json_object_get(level, "name")));
	rc = 0;
out:
	json_decref(m);
	return rc;
}
