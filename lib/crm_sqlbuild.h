/* SQL text put together from fragments written in code, with every value
 * a bind: what the segment compiler (crm_segment.c) and the report
 * compiler (crm_report.c) build. The text never holds a value; the binds
 * point at strings the caller keeps alive until the statement runs.
 * Memory comes from the arena given. */
#ifndef CRM_SQLBUILD_H
#define CRM_SQLBUILD_H

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_db.h"

struct crm_sqlbuild {
	struct crm_arena *a;
	struct crm_buf sql;
	struct crm_db_bind *b;
	size_t nb, capb;
};

void crm_sqlbuild_init(struct crm_sqlbuild *, struct crm_arena *, size_t text_cap);
/* Appends a fragment of SQL text: only ever a string written in code. */
void crm_sqlbuild_put(struct crm_sqlbuild *, const char *fragment);
/* Appends a bind for the next "?". */
void crm_sqlbuild_str(struct crm_sqlbuild *, const char *value);
void crm_sqlbuild_i64(struct crm_sqlbuild *, long long value);

#endif
