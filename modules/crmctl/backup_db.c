/* crmctl backup and restore: tables, snapshots and checksums. A table's
 * name cannot be bound as a value, so CHECKSUM TABLE and COUNT(*) take it
 * quoted as an identifier; the names come from information_schema,
 * never from a request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "crm_buf.h"
#include "extern.h"

/* REPEATABLE READ whatever the server's default: the snapshot holds for
 * the whole transaction. */
static const char SNAPSHOT[] = "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;"
    " START TRANSACTION WITH CONSISTENT SNAPSHOT";
static const char END_SNAPSHOT[] = "COMMIT";
/* BLOCK_COMMIT waits for commits under way and blocks new ones, not
 * reads; lock_wait_timeout keeps a long DDL from stalling the backup
 * (it then goes on without the hold). */
static const char HOLD[] = "SET SESSION lock_wait_timeout = 10; BACKUP STAGE START; BACKUP STAGE BLOCK_COMMIT";
static const char RELEASE[] = "BACKUP STAGE END";
static const char CHECKSUM[] = "CHECKSUM TABLE ";
static const char COUNT[] = "SELECT COUNT(*) AS n FROM ";

json_t *
backup_tables(struct crm_db *db)
{
	json_t *rows = NULL;

	if (crm_db_rows(db, STMT_BACKUP_TABLES, NULL, 0, &rows) != CRM_OK) {
		fprintf(stderr, "crmctl: cannot list the tables: %s\n", crm_db_error(db));
		return NULL;
	}
	return rows;
}

enum crm_err
backup_snapshot(struct crm_db *db)
{
	return crm_db_run_script(db, SNAPSHOT, sizeof(SNAPSHOT) - 1);
}

enum crm_err
backup_end_snapshot(struct crm_db *db)
{
	return crm_db_run_script(db, END_SNAPSHOT, sizeof(END_SNAPSHOT) - 1);
}

enum crm_err
backup_hold_commits(struct crm_db *db)
{
	enum crm_err e = crm_db_run_script(db, HOLD, sizeof(HOLD) - 1);

	if (e != CRM_OK)
		backup_release_commits(db);
	return e;
}

enum crm_err
backup_release_commits(struct crm_db *db)
{
	return crm_db_run_script(db, RELEASE, sizeof(RELEASE) - 1);
}

int
backup_transactional(const char *engine)
{
	return strcmp(engine, "InnoDB") == 0;
}

static void
put_ident(struct crm_buf *b, const char *name)
{
	crm_buf_putc(b, '`');
	for (; *name; name++) {
		if (*name == '`')
			crm_buf_putc(b, '`');
		crm_buf_putc(b, *name);
	}
	crm_buf_putc(b, '`');
}

enum crm_err
backup_table_sum(struct crm_db *db, const char *table, long long *checksum, long long *rows)
{
	struct crm_buf b;
	json_t *row = NULL;
	enum crm_err e;

	crm_buf_init(&b, NULL, 128);
	crm_buf_puts(&b, CHECKSUM);
	put_ident(&b, table);
	e = crm_db_row_sql(db, b.data, NULL, 0, &row);
	if (e == CRM_OK) {
		json_t *v = json_object_get(row, "Checksum");

		/* NULL: the table went away under us. */
		if (!json_is_integer(v))
			e = CRM_ENOTFOUND;
		*checksum = json_integer_value(v);
		json_decref(row);
		row = NULL;
	}
	crm_buf_clear(&b);
	crm_buf_puts(&b, COUNT);
	put_ident(&b, table);
	if (e == CRM_OK && (e = crm_db_row_sql(db, b.data, NULL, 0, &row)) == CRM_OK) {
		*rows = json_integer_value(json_object_get(row, "n"));
		json_decref(row);
	}
	crm_buf_release(&b);
	return e;
}
