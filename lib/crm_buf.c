/* Growable byte buffer backed by an arena or the heap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"

void
crm_buf_init(struct crm_buf *b, struct crm_arena *a, size_t cap)
{
	if (cap < 64)
		cap = 64;
	b->arena = a;
	b->cap = cap;
	b->len = 0;
	b->data = a ? crm_arena_alloc(a, cap) : crm_xmalloc(cap);
	b->data[0] = '\0';
}

void
crm_buf_grow(struct crm_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap = b->cap;

	if (need <= cap)
		return;
	if (cap == 0)
		cap = 64;       /* released, then used again */
	while (cap < need)
		cap *= 2;
	if (b->arena)
		b->data = crm_arena_realloc(b->arena, b->data, b->cap, cap);
	else
		b->data = crm_xrealloc(b->data, cap);
	b->cap = cap;
}

void
crm_buf_puts(struct crm_buf *b, const char *s)
{
	crm_buf_add(b, s, strlen(s));
}

void
crm_buf_vprintf(struct crm_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		crm_buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
crm_buf_printf(struct crm_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
crm_buf_clear(struct crm_buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

void
crm_buf_release(struct crm_buf *b)
{
	if (b->arena == NULL)
		free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
