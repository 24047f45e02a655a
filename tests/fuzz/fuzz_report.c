/* libFuzzer target for crm_report_compile_text: any bytes either compile
 * or fail with an error naming the part, and a compiled statement is made
 * only of the catalogue's fragments: its only quoted literals are the
 * catalogue's, its '?'s match the binds, and it has the one shape every
 * report has (a time limit in front, the row cap at the end). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct crm_arena *arena;

static size_t
placeholders(const char *sql)
{
	static const char *const literals[] = { "''", "'%'", "'all'", "'team'", "'yes'", "'no'", "'%Y-%m-%d'",
		"'%Y-%m'", "'%Y'", "'-Q'", NULL };
	size_t n = 0, i;

	while (*sql) {
		if (*sql == '?') {
			n++;
			sql++;
		} else if (*sql == '\'') {
			for (i = 0; literals[i]; i++)
				if (strncmp(sql, literals[i], strlen(literals[i])) == 0)
					break;
			if (literals[i] == NULL)
				abort();
			sql += strlen(literals[i]);
		} else if (*sql == ';' || *sql == '"' || *sql == '`' || *sql == '#' || (sql[0] == '-' && sql[1] == '-')) {
			abort();
		} else {
			sql++;
		}
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct crm_report_reader reader = { "own", 3, 0 };
	static const char head[] = "SET STATEMENT max_statement_time = " CRM_REPORT_TIME_LIMIT " FOR SELECT ";
	struct crm_report_sql out;
	struct crm_report_error err;
	json_t *def = NULL;
	size_t len;
	enum crm_err e;

	if (arena == NULL)
		arena = crm_arena_new(16 * 1024);
	e = crm_report_compile_text(arena, (const char *)data, size, &reader, &def, &out, &err);
	if (e == CRM_OK) {
		len = strlen(out.sql);
		if (strncmp(out.sql, head, sizeof(head) - 1) != 0 || len < 10 ||
		    strcmp(out.sql + len - 10, " LIMIT 501") != 0 || out.entity == NULL ||
		    out.ndims > CRM_REPORT_MAX_DIMS || placeholders(out.sql) != out.nbinds || out.nbinds < 5)
			abort();
	} else if (err.msgid == NULL || err.key == NULL || out.sql != NULL) {
		abort();
	}
	json_decref(def);
	crm_arena_reset(arena);
	return 0;
}
