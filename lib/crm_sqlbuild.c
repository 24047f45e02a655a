/* SQL text from code fragments and its binds (crm_sqlbuild.h). */
#include <string.h>

#include "crm_sqlbuild.h"

void
crm_sqlbuild_init(struct crm_sqlbuild *q, struct crm_arena *a, size_t text_cap)
{
	memset(q, 0, sizeof(*q));
	q->a = a;
	crm_buf_init(&q->sql, a, text_cap);
}

static struct crm_db_bind *
next_bind(struct crm_sqlbuild *q)
{
	if (q->nb == q->capb) {
		size_t cap = q->capb ? 2 * q->capb : 16;

		q->b = crm_arena_realloc(q->a, q->b, q->capb * sizeof(*q->b), cap * sizeof(*q->b));
		q->capb = cap;
	}
	return &q->b[q->nb++];
}

void
crm_sqlbuild_put(struct crm_sqlbuild *q, const char *fragment)
{
	crm_buf_puts(&q->sql, fragment);
}

void
crm_sqlbuild_str(struct crm_sqlbuild *q, const char *value)
{
	crm_db_bind_str(next_bind(q), value, (size_t)-1);
}

void
crm_sqlbuild_i64(struct crm_sqlbuild *q, long long value)
{
	crm_db_bind_i64(next_bind(q), value);
}
