/* libFuzzer target for crm_segment_compile_text: any bytes either compile
 * or fail with an error message, and a compiled expression is made only
 * of the registry's fragments: it never holds a quote the registry did not
 * write, so no byte of the input reaches the SQL text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct crm_arena *arena;

static const struct crm_segment_custom custom[] = {
	{ 1, "contact", "text" },
	{ 2, "account", "number" },
	{ 3, "contact", "date" },
};

/* Counts the '?' placeholders outside quoted literals, and fails on a
 * literal other than the registry's ('', '%', 'contact', ...). */
static size_t
placeholders(const char *sql)
{
	static const char *const literals[] = { "''", "'%'", "'contact'", "'account'", "'cancelled'", NULL };
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
		} else {
			sql++;
		}
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_segment_sql out;
	struct crm_segment_error err;
	json_t *def = NULL;
	enum crm_err e;

	if (arena == NULL)
		arena = crm_arena_new(16 * 1024);
	e = crm_segment_compile_text(arena, (const char *)data, size, custom, 3, &def, &out, &err);
	if (e == CRM_OK) {
		if (out.where == NULL || out.nconditions == 0 || out.nconditions > CRM_SEGMENT_MAX_CONDITIONS ||
		    placeholders(out.where) != out.nbinds)
			abort();
	} else if (err.msgid == NULL || out.where != NULL) {
		abort();
	}
	json_decref(def);
	crm_arena_reset(arena);
	return 0;
}
