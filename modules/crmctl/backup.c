/* crmctl backup [--to DIR]: mariadb-dump of one consistent snapshot
 * (writers wait only while it begins), the attachments and the spool, and a manifest that
 * lets a restore check every table and file.
 *
 * The manifest's checksums must describe the snapshot the dump read, but
 * that snapshot belongs to mariadb-dump's connection. So commits are held
 * (BACKUP STAGE BLOCK_COMMIT) from just before this program's own
 * snapshot until mariadb-dump has begun reading: both snapshots then see
 * the same data, and every InnoDB table is checked. Writers wait that
 * long, the time mariadb-dump takes to connect and start (milliseconds).
 * Without the RELOAD privilege there is no hold: a second snapshot is
 * taken just after the dump has begun, a table whose checksum is the same
 * in both was not written in between and is checked, and a table written
 * in that moment (a busy sessions table) is listed with no checksum. The
 * spool's files are linked aside inside the hold too, so a job's file
 * that is finished with (and deleted) while the dump runs is still in the
 * backup with the job's row. Tables outside InnoDB (Mroonga's search
 * indexes) are in no snapshot: they are summed before and after the whole
 * dump instead.
 *
 * Everything is written under a hidden temporary name and renamed at the
 * end, so a failed backup never looks like a complete one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "extern.h"

/* What mariadb-dump writes once its snapshot has begun: the first
 * table's definition comes after START TRANSACTION. */
#define DUMP_STARTED "CREATE TABLE"

struct table_sum {
	const char *name;
	int transactional, sequence, view;
	long long sum[2], rows[2];
	int ok[2];
	int changed;    /* not the same before and after: unchecked */
};

static int
usage(void)
{
	fprintf(stderr, "usage: crmctl backup [--to DIR]\n");
	return 2;
}

/* Sums every table on one side (0: before, 1: after), as db sees it;
 * which tables depends on whether db is a snapshot. */
static void
sum_side(struct crm_db *db, struct table_sum *t, size_t n, int side, int transactional)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].sequence || t[i].view || t[i].transactional != transactional)
			continue;
		t[i].ok[side] = backup_table_sum(db, t[i].name, &t[i].sum[side], &t[i].rows[side]) == CRM_OK;
	}
}

/* The second connection: it holds the commits while the dump begins, or
 * without a hold takes the after-snapshot. */
struct second {
	struct crm_db *db;
	int held;
	struct timespec t0;     /* when the hold began */
	long held_ms;           /* how long writers waited */
};

/* As soon as mariadb-dump has begun reading. */
static int
dump_started(struct second *s)
{
	struct timespec t1;

	if (s->held ? backup_release_commits(s->db) != CRM_OK : backup_snapshot(s->db) != CRM_OK) {
		fprintf(stderr, "crmctl: %s: %s\n", s->held ? "cannot release the commits" : "second snapshot",
		    crm_db_error(s->db));
		return -1;
	}
	if (s->held) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s->held_ms = (t1.tv_sec - s->t0.tv_sec) * 1000 + (t1.tv_nsec - s->t0.tv_nsec) / 1000000;
	}
	return 0;
}

/* Runs mariadb-dump into dir/crm.sql, hashing it as it comes, and calls
 * dump_started as soon as the dump has begun reading. */
static int
dump(const struct crm_conf *conf, struct second *db2, const char *dir, char hex[65], long long *size)
{
	char defaults[4096], opt[4200], path[4096], buf[65536], tail[sizeof(DUMP_STARTED)] = "";
	char *argv[] = { "mariadb-dump", opt, "--single-transaction", "--routines", "--triggers",
		"--events", "--hex-blob", "--no-tablespaces", "--skip-lock-tables", conf->db_name, NULL };
	crypto_hash_sha256_state st;
	int fds[2] = { -1, -1 }, out = -1, rc = -1, started = 0;
	pid_t pid = -1;
	ssize_t n;

	*size = 0;
	/* The dump reads the server the hold is on ([database] host may
	 * name several). */
	if (backup_defaults_file(conf, crm_db_host_index(db2->db), defaults, sizeof(defaults)) != 0)
		return -1;
	snprintf(opt, sizeof(opt), "--defaults-file=%s", defaults);
	if (backup_join(path, sizeof(path), dir, BACKUP_DUMP) != 0 ||
	    (out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		fprintf(stderr, "crmctl: cannot create %s/%s: %s\n", dir, BACKUP_DUMP, strerror(errno));
		goto out;
	}
	if (pipe2(fds, O_CLOEXEC) != 0) {
		fprintf(stderr, "crmctl: pipe: %s\n", strerror(errno));
		goto out;
	}
	if ((pid = backup_spawn(argv, -1, fds[1])) < 0)
		goto out;
	close(fds[1]);
	fds[1] = -1;
	crypto_hash_sha256_init(&st);
	for (;;) {
		if ((n = read(fds[0], buf, sizeof(buf) - 1)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "crmctl: reading mariadb-dump: %s\n", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (!started) {
			/* The marker may straddle two reads: keep the end of
			 * the last one in front. */
			char look[sizeof(tail) + sizeof(buf)];
			size_t tl = strlen(tail), keep;

			memcpy(look, tail, tl);
			memcpy(look + tl, buf, (size_t)n);
			look[tl + (size_t)n] = '\0';
			if (memmem(look, tl + (size_t)n, DUMP_STARTED, sizeof(DUMP_STARTED) - 1) != NULL) {
				if (dump_started(db2) != 0)
					goto out;
				started = 1;
			}
			keep = tl + (size_t)n < sizeof(tail) - 1 ? tl + (size_t)n : sizeof(tail) - 1;
			memcpy(tail, look + tl + (size_t)n - keep, keep);
			tail[keep] = '\0';
		}
		crypto_hash_sha256_update(&st, (unsigned char *)buf, (unsigned long long)n);
		*size += n;
		if (write(out, buf, (size_t)n) != n) {
			fprintf(stderr, "crmctl: writing %s: %s\n", path, strerror(errno));
			goto out;
		}
	}
	rc = backup_wait(pid, "mariadb-dump");
	pid = -1;
	if (rc == 0 && fsync(out) != 0) {
		fprintf(stderr, "crmctl: writing %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	/* An empty database: nothing marked the start, and now is after it. */
	if (rc == 0 && !started && dump_started(db2) != 0)
		rc = -1;
	if (rc == 0) {
		unsigned char h[crypto_hash_sha256_BYTES];

		crypto_hash_sha256_final(&st, h);
		sodium_bin2hex(hex, 65, h, sizeof(h));
	}
out:
	/* A dump that failed before it began must not leave commits held
	 * (the connection's end would release them too). */
	if (db2->held && !started)
		backup_release_commits(db2->db);
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	if (pid > 0)
		backup_wait(pid, "mariadb-dump");
	if (out >= 0 && close(out) != 0 && rc == 0) {
		fprintf(stderr, "crmctl: writing %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	unlink(defaults);
	return rc;
}

/* Copies a crm.conf directory into the backup as sub/, adding each file
 * to the manifest's list. */
static int
copy_dir(const char *from, const char *backup, const char *sub, json_t *files)
{
	char dst[4096], src[4096], rel[4096], hex[65];
	json_t *list = backup_list_files(from), *v;
	long long size;
	size_t i;

	if (list == NULL)
		return -1;
	json_array_foreach(list, i, v) {
		const char *name = json_string_value(v);
		char *slash;

		if (backup_join(src, sizeof(src), from, name) != 0 ||
		    backup_join(rel, sizeof(rel), sub, name) != 0 ||
		    backup_join(dst, sizeof(dst), backup, rel) != 0) {
			fprintf(stderr, "crmctl: %s/%s: name too long\n", from, name);
			json_decref(list);
			return -1;
		}
		if ((slash = strrchr(dst, '/')) != NULL) {
			*slash = '\0';
			if (backup_mkdirs(dst) != 0) {
				fprintf(stderr, "crmctl: cannot create %s: %s\n", dst, strerror(errno));
				json_decref(list);
				return -1;
			}
			*slash = '/';
		}
		if (backup_copy_file(src, dst, hex, &size) != 0) {
			/* A spool file finished with between the listing and
			 * the copy is no loss: its job is done. */
			if (errno == ENOENT)
				continue;
			fprintf(stderr, "crmctl: cannot copy %s: %s\n", src, strerror(errno));
			json_decref(list);
			return -1;
		}
		json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "path", rel, "bytes",
		    (json_int_t)size, "sha256", hex));
	}
	json_decref(list);
	return 0;
}

static json_t *
migration_level(struct crm_db *db)
{
	json_t *row = NULL;

	if (crm_db_row(db, STMT_BACKUP_LEVEL, NULL, 0, &row) != CRM_OK)
		return json_pack("{s:i, s:s}", "version", 0, "name", "");
	return row;
}

int
crmctl_backup(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	const char *to = ".";
	char name[64], tmp[4096], final[4096], path[4096], hex[65] = "", stamp[32], hold[4096] = "";
	struct second second = { 0 };
	struct crm_db *db2 = NULL;
	struct table_sum *t = NULL;
	json_t *tables = NULL, *manifest = NULL, *jt, *files, *row;
	size_t i, n = 0, unchecked = 0;
	long long dump_size = 0, total_rows = 0;
	time_t now = time(NULL);
	struct tm tm;
	int a, rc = 1, snap = 0;

	for (a = 0; a < argc; a++) {
		if (strcmp(argv[a], "--to") == 0 && a + 1 < argc)
			to = argv[++a];
		else
			return usage();
	}
	gmtime_r(&now, &tm);
	strftime(name, sizeof(name), "crm-%Y%m%dT%H%M%SZ", &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.partial", to, name) >= (int)sizeof(tmp) ||
	    backup_join(final, sizeof(final), to, name) != 0) {
		fprintf(stderr, "crmctl: --to %s: name too long\n", to);
		return 1;
	}
	if (access(final, F_OK) == 0) {
		fprintf(stderr, "crmctl: %s exists already\n", final);
		return 1;
	}
	if (backup_mkdirs(to) != 0 || mkdir(tmp, 0700) != 0) {
		fprintf(stderr, "crmctl: cannot create %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	if ((tables = backup_tables(db)) == NULL)
		goto out;
	n = json_array_size(tables);
	t = crm_xcalloc(n ? n : 1, sizeof(*t));
	json_array_foreach(tables, i, row) {
		const char *type = json_string_value(json_object_get(row, "type"));

		t[i].name = json_string_value(json_object_get(row, "name"));
		t[i].transactional = backup_transactional(json_string_value(json_object_get(row, "engine")));
		t[i].sequence = strcmp(type, "SEQUENCE") == 0;
		t[i].view = strcmp(type, "VIEW") == 0;
	}
	if (crm_db_open(&db2, conf, crmctl_stmts, STMT__MAX) != CRM_OK) {
		fprintf(stderr, "crmctl: cannot open a second connection: %s\n", crm_db_error(db2));
		goto out;
	}
	/* Checksums, hold and dump must see one server. */
	if (crm_db_host_index(db2) != crm_db_host_index(db)) {
		fprintf(stderr, "crmctl: the connections reached two different servers of [database] host;"
		    " run the backup again\n");
		goto out;
	}
	sum_side(db, t, n, 0, 0);
	second.db = db2;
	clock_gettime(CLOCK_MONOTONIC, &second.t0);
	if (!(second.held = backup_hold_commits(db2) == CRM_OK))
		fprintf(stderr, "crmctl: note: cannot hold commits while the dump begins (%s):"
		    " a table written in that moment will have no checksum\n", crm_db_error(db2));
	if (backup_snapshot(db) != CRM_OK) {
		fprintf(stderr, "crmctl: cannot start a snapshot: %s\n", crm_db_error(db));
		if (second.held)
			backup_release_commits(db2);
		goto out;
	}
	snap = 1;
	if (backup_link_aside(conf->spool, hold, sizeof(hold)) != 0)
		fprintf(stderr, "crmctl: note: cannot link the spool's files aside in %s (%s): they are copied"
		    " after the dump, and a job finished meanwhile will be missing its file\n", conf->spool, strerror(errno));
	if (dump(conf, &second, tmp, hex, &dump_size) != 0) {
		fprintf(stderr, "crmctl: backup failed: the database dump did not finish\n");
		goto out;
	}
	sum_side(db, t, n, 0, 1);
	if (second.held) {
		/* Same snapshot as the dump's: no second reading needed. */
		for (i = 0; i < n; i++)
			if (t[i].transactional) {
				t[i].sum[1] = t[i].sum[0];
				t[i].rows[1] = t[i].rows[0];
				t[i].ok[1] = t[i].ok[0];
			}
	} else {
		sum_side(db2, t, n, 1, 1);
	}
	sum_side(db, t, n, 1, 0);
	backup_end_snapshot(db);
	backup_end_snapshot(db2);
	snap = 0;

	manifest = json_pack("{s:i, s:s, s:s, s:s, s:o, s:{s:s, s:I, s:s}}", "format", BACKUP_FORMAT,
	    "crm_version", CRM_VERSION, "created_at", stamp, "database", conf->db_name,
	    "migration", migration_level(db), "dump", "file", BACKUP_DUMP, "bytes", (json_int_t)dump_size,
	    "sha256", hex);
	jt = json_array();
	json_object_set_new(manifest, "tables", jt);
	for (i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:s}", "name", t[i].name, "type", t[i].view ? "view" :
		    t[i].sequence ? "sequence" : "table");

		if (!t[i].view && !t[i].sequence) {
			if (!t[i].ok[0] || !t[i].ok[1]) {
				fprintf(stderr, "crmctl: cannot checksum table %s: %s\n", t[i].name,
				    crm_db_error(t[i].ok[0] ? db2 : db));
				json_decref(o);
				goto out;
			}
			if (t[i].sum[0] == t[i].sum[1] && t[i].rows[0] == t[i].rows[1]) {
				json_object_set_new(o, "rows", json_integer(t[i].rows[0]));
				json_object_set_new(o, "checksum", json_integer(t[i].sum[0]));
				total_rows += t[i].rows[0];
			} else {
				t[i].changed = 1;
				json_object_set_new(o, "checksum", json_null());
				json_object_set_new(o, "note", json_string("written while the backup began"));
				unchecked++;
			}
		}
		json_array_append_new(jt, o);
	}
	files = json_array();
	json_object_set_new(manifest, "files", files);
	/* Attachments are never changed or deleted once stored: copied now,
	 * every one the dump names is there. */
	if (copy_dir(conf->attachments, tmp, "attachments", files) != 0 ||
	    copy_dir(hold[0] ? hold : conf->spool, tmp, "spool", files) != 0)
		goto out;
	if (backup_join(path, sizeof(path), tmp, BACKUP_MANIFEST) != 0 ||
	    json_dump_file(manifest, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0) {
		fprintf(stderr, "crmctl: cannot write %s/%s\n", tmp, BACKUP_MANIFEST);
		goto out;
	}
	if (rename(tmp, final) != 0) {
		fprintf(stderr, "crmctl: cannot rename %s to %s: %s\n", tmp, final, strerror(errno));
		goto out;
	}
	printf("backup %s: %zu tables (%lld rows), %zu files, dump %lld bytes, sha256 %s\n", final, n,
	    total_rows, json_array_size(files), dump_size, hex);
	if (second.held)
		printf("commits were held for %ld ms while the dump began\n", second.held_ms);
	if (unchecked > 0) {
		printf("%zu tables were written while the backup began; the restore cannot check them:", unchecked);
		for (i = 0; i < n; i++)
			if (t[i].changed)
				printf(" %s", t[i].name);
		printf("\n");
	}
	rc = 0;
out:
	if (snap)
		backup_end_snapshot(db);
	if (db2 != NULL)
		crm_db_close(db2);
	if (hold[0])
		backup_remove_tree(hold);
	if (rc != 0)
		backup_remove_tree(tmp);
	json_decref(manifest);
	json_decref(tables);
	free(t);
	return rc;
}
