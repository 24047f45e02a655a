/* crmctl backup and restore: what the two share. A backup is a directory
 * crm-YYYYMMDDTHHMMSSZ holding crm.sql (mariadb-dump of one consistent
 * snapshot), attachments/ and spool/ (copies of the crm.conf
 * directories) and manifest.json, which lists every table with its row
 * count and CHECKSUM TABLE value and every file with its size and
 * SHA-256, so a restore can prove it got back what was saved. */
#ifndef CRMCTL_BACKUP_H
#define CRMCTL_BACKUP_H

#include <sys/types.h>

#include <jansson.h>
#include <sodium.h>

#include "crm_conf.h"
#include "crm_db.h"

#define BACKUP_FORMAT 1
#define BACKUP_DUMP "crm.sql"
#define BACKUP_MANIFEST "manifest.json"

/* backup_io.c: child programs, files, hashes. */

/* A defaults file (mode 0600 under conf->tmpdir) with the crm.conf
 * credentials for the MariaDB client programs, so the password is never
 * on a command line; path gets its name, to unlink when done. */
int backup_defaults_file(const struct crm_conf *, int host, char *path, size_t len);
/* Starts argv[0] from PATH with stdin from in_fd (-1: /dev/null) and
 * stdout into out_fd (-1: inherited); the pid, or -1 with a message. */
pid_t backup_spawn(char *const argv[], int in_fd, int out_fd);
/* Waits for pid: 0 when it exited 0, else -1 with a message naming what. */
int backup_wait(pid_t, const char *what);
/* SHA-256 of a file as 64 hex digits, and its size. 0, or -1 (errno). */
int backup_hash_file(const char *path, char hex[65], long long *size);
/* Copies src to dst (through dst.tmp, renamed), hashing what it copies. */
int backup_copy_file(const char *src, const char *dst, char hex[65], long long *size);
/* Every regular file under dir (recursively) as paths relative to it,
 * sorted; an empty array for a missing directory. NULL on error. */
json_t *backup_list_files(const char *dir);
/* mkdir -p with mode 0700 for each missing part. */
int backup_mkdirs(const char *path);
/* Links every file under dir into a hold, dir/.crmctl-backup-PID (a link
 * on the same filesystem costs no copy), so the files stay as they were
 * however the directory changes afterwards; its path goes into hold (""
 * when dir does not exist). Holds of backups that died are removed first.
 * 0, or -1 (errno) with no hold left behind. */
#define BACKUP_HOLD_PREFIX ".crmctl-backup-"
int backup_link_aside(const char *dir, char *hold, size_t len);
/* rm -rf; quiet when path does not exist. */
void backup_remove_tree(const char *path);
/* "a/b" into buf, or -1 when it does not fit. */
int backup_join(char *buf, size_t len, const char *a, const char *b);

/* backup_db.c: the database side. */

/* The database's tables, sequences and views: [{name, type, engine}]. */
json_t *backup_tables(struct crm_db *);
/* Starts a transaction with a consistent snapshot on this connection. */
enum crm_err backup_snapshot(struct crm_db *);
enum crm_err backup_end_snapshot(struct crm_db *);
/* Holds every commit on the server (BACKUP STAGE BLOCK_COMMIT, which
 * needs the RELOAD privilege) until backup_release_commits: two
 * snapshots started inside the hold see the same data. */
enum crm_err backup_hold_commits(struct crm_db *);
enum crm_err backup_release_commits(struct crm_db *);
/* CHECKSUM TABLE and COUNT(*) of one table, as the connection sees it. */
enum crm_err backup_table_sum(struct crm_db *, const char *table, long long *checksum, long long *rows);
/* Whether a table's engine keeps it in the snapshot (InnoDB does;
 * Mroonga, the search indexes' engine, does not). */
int backup_transactional(const char *engine);

#endif
