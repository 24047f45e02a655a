/* Growable byte buffer in an arena (or on the heap when the arena is NULL).
 * A struct passed by pointer rather than redis' reassigned sds: the arena
 * owns the storage, so there is nothing for the caller to reassign or free. */
#ifndef CRM_BUF_H
#define CRM_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "crm.h"
#include "crm_arena.h"

struct crm_buf {
	char *data;     /* always NUL-terminated after len */
	size_t len;
	size_t cap;
	struct crm_arena *arena;        /* NULL: heap, release with crm_buf_release */
};

void crm_buf_init(struct crm_buf *, struct crm_arena *, size_t cap);
/* Makes room for extra more bytes and the NUL: crm_buf_reserve. */
void crm_buf_grow(struct crm_buf *, size_t extra);
void crm_buf_puts(struct crm_buf *, const char *);
void crm_buf_printf(struct crm_buf *, const char *fmt, ...) CRM_PRINTF(2, 3);
void crm_buf_vprintf(struct crm_buf *, const char *fmt, va_list) CRM_PRINTF(2, 0);
void crm_buf_clear(struct crm_buf *);
void crm_buf_release(struct crm_buf *);

/* Inline, as crm_buf_add and crm_buf_putc: a page is written a few
 * bytes at a time, a thousand times or more, and the room is nearly
 * always there already. */
static inline void
crm_buf_reserve(struct crm_buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		crm_buf_grow(b, extra);
}

static inline void
crm_buf_add(struct crm_buf *b, const void *p, size_t n)
{
	crm_buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* One byte. */
static inline void
crm_buf_putc(struct crm_buf *b, int c)
{
	if (b->len + 2 > b->cap)
		crm_buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

#endif
