/* CSV import of contacts: the fields a column can fill, the reading of one
 * row into a contact (shared by the preview and the job runner), and the
 * runner itself. */
#ifndef CUSTOMERS_IMPORT_H
#define CUSTOMERS_IMPORT_H

#include <signal.h>

#include <jansson.h>

#include "crm_arena.h"
#include "crm_conf.h"
#include "crm_db.h"
#include "crm_contact_rules.h"

#define IMPORT_MAX_COLUMNS 64
#define IMPORT_MAX_FIELD 10000          /* bytes in one cell: the notes' limit */
#define IMPORT_BATCH 100                /* rows per transaction */
#define IMPORT_PREVIEW 10               /* rows the mapping screen checks */

struct import_field {
	const char *name;               /* "email"; "name" is first and last in one */
	const char *label;              /* N_() */
};
extern const struct import_field import_fields[];
extern const size_t import_nfields;
/* The field for a column heading ("E-mail", "手机", "Company"), or NULL. */
const char *import_guess(const char *heading);
/* A built-in field, or "cf_<id>" of one of custom (the active custom
 * fields of contacts, as customers_custom_fields gives them). */
int import_field_known(const char *name, json_t *custom);
/* The custom field "cf_<id>" names, or NULL. */
json_t *import_custom_field(json_t *custom, const char *name);

/* mapping: a JSON array, per column a field name or "". NULL when it is
 * fine, else the msgid of what is wrong with it. */
const char *import_mapping_problem(json_t *mapping, size_t ncolumns, json_t *custom);

/* One row, read through the mapping; country ("" for none) stands in for
 * a row without one; custom_out gets {"cf_<id>": value to store}. problems gets [field, msgid] pairs (the account is
 * not resolved here: f->account holds its name). Returns the number of
 * problems. */
size_t import_row_read(struct crm_arena *, json_t *mapping, const char *country, json_t *custom,
    char **fields, size_t nfields, struct crm_contact_form *f, json_t *problems, json_t *custom_out);
/* A default country as typed: "" or two letters, uppercased in place. */
int import_country_valid(char *);

/* Reads the whole file once: its headings, how many rows follow, and
 * whether it is CSV at all (err says why not). */
enum crm_err import_scan(const char *path, json_t **headers, long long *rows, char *err,
    size_t errlen);
/* A mapping for these headings: the user's last choice for the same
 * heading, else a guess from the heading's name. */
json_t *import_suggest(json_t *headers, json_t *last_headers, json_t *last_mapping, json_t *custom);

/* Frees what json_dumps returned with jansson's allocator, which is the
 * request arena in a handler and the heap in the runner. */
static inline void
import_json_text_free(char *s)
{
	json_free_t f;

	json_get_alloc_funcs(NULL, &f);
	f(s);
}

/* The spool file of an import. */
const char *import_path(struct crm_arena *, const struct crm_conf *, long long id);

/* One run of an import job (import_run.c). */
enum import_stop {
	IMPORT_STOP_NONE,
	IMPORT_STOP_CANCELLED,  /* the user cancelled: status cancelled */
	IMPORT_STOP_RUNNER,     /* the runner is stopping: queued again, resumes */
	IMPORT_STOP_FAILED,     /* error says why */
};

struct import_row {             /* as read, in the batch's arena */
	long long line;
	char **fields;
	size_t nfields;
};

struct import_outcome {         /* one batch's, recomputed if its transaction reruns */
	long long created, updated, skipped, failed;
	long long first_id, last_id;
	json_t *updated_ids, *created_ids, *new_accounts;
};

struct import_job {
	struct crm_db *db;
	long long id, user_id;
	json_t *mapping;
	json_t *custom;                 /* the active custom fields of contacts */
	const char *duplicates;         /* skip, update or create */
	const char *country;            /* for rows without one */
	int consecutive_ids;            /* a multi-row INSERT's ids are first..first+n-1 */
	long long resume_after;         /* data rows a previous run committed */
	/* What the run did. */
	long long rows_read, created, updated, skipped, failed;
	enum import_stop stop;
	char error[256];
	/* The run's own. */
	struct crm_arena *arena;        /* the batch's, reset after each */
	struct import_row rows[IMPORT_BATCH];
	size_t n;
	json_t *accounts;               /* name -> id, learnt as the file goes */
	struct import_outcome outcome;
};

/* Reads path and imports every row after resume_after; CRM_OK when the
 * file was read to its end, else j->stop says why not. */
enum crm_err import_job_run(struct import_job *, const char *path);

/* crm-customers COMMAND: "jobs" (the runner) and "import" (one file, in
 * the foreground). */
int customers_command(struct crm_db *, const struct crm_conf *, int argc, char **argv);
#define CUSTOMERS_COMMAND_USAGE \
	"jobs [--pidfile FILE] [--once] | import FILE --user EMAIL [--duplicates skip|update|create]\n" \
	"          [--country CC]"

#endif
