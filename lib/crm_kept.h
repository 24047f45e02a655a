/* Values a worker keeps from one request to the next and never changes
 * while it keeps them (crm_chart_memo's chart models), and what the
 * template layer and the JSON writer made of each: the bytes of a section
 * rendered over it, its JSON text. A page that shows a kept value again
 * copies those bytes instead of making them again.
 *
 * Why here and not in the chart memo: the template layer and the JSON
 * writer know nothing of charts, and the memo knows nothing of templates.
 * This is where they meet: a value is known by its address while it is
 * kept, and its keeper says when it stops being kept, before freeing it,
 * so an address used again by another value never finds the first's
 * bytes.
 *
 * A worker serves one request at a time: plain static tables. */
#ifndef CRM_KEPT_H
#define CRM_KEPT_H

#include <stddef.h>

#include <jansson.h>

/* Nonzero while any value is kept: the callers' quick test, so pages
 * without one pay a load and a branch. */
extern unsigned crm_kept_count;

/* v will not change until crm_kept_drop(v). Returns 0, or -1 when the
 * table is full (v is then simply not kept). */
int crm_kept_add(const json_t *v);
/* Forgets v and frees what was made of it. */
void crm_kept_drop(const json_t *v);

/* Whether v is kept. */
int crm_kept_has(const json_t *v);
/* The bytes made of v by who (a template's op, the JSON writer) with
 * *flags as they were given, or NULL. */
const char *crm_kept_get(const json_t *v, const void *who, size_t *len, int *flags);
/* Keeps len bytes made of v by who (copied), if v is kept. */
void crm_kept_put(const json_t *v, const void *who, const char *s, size_t len, int flags);
/* Forgets every output, keeping the values: a set of templates is freed
 * and its ops' addresses may come back as other ops. */
void crm_kept_forget_outputs(void);

#endif
