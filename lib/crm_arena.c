/* Region allocator in the manner of nginx pools: bump allocation from
 * blocks, cleanups registered for non-memory resources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crm_arena.h"

#define ALIGN 16

struct block {
	struct block *next;
	size_t size;    /* usable bytes after the header */
	size_t used;
	_Alignas(ALIGN) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *arg;
};

struct crm_arena {
	struct block *head;     /* the current block */
	struct block *first;    /* kept across resets; the rest go back to malloc */
	struct cleanup *cleanups;
	size_t block_size;
	size_t total;
	void *last;             /* the latest allocation, for in-place realloc */
};

static struct block *
block_new(size_t size)
{
	struct block *b;

	if (size > SIZE_MAX - sizeof(*b)) {
		fprintf(stderr, "crm: arena block of %zu bytes\n", size);
		abort();
	}
	b = crm_xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct crm_arena *
crm_arena_new(size_t block_size)
{
	struct crm_arena *a = crm_xcalloc(1, sizeof(*a));

	if (block_size < 1024)
		block_size = 1024;
	a->block_size = block_size;
	a->head = a->first = block_new(block_size);
	return a;
}

/* The common case, room in the current block, where jansson's allocator
 * (every value of a view) can have it inline. NULL: no room. */
static inline void *
alloc_here(struct crm_arena *a, size_t n)
{
	struct block *b = a->head;
	size_t off = (b->used + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	void *p;

	if (n == 0 || off > b->size || n > b->size - off)
		return NULL;
	p = b->data + off;
	b->used = off + n;
	a->total += n;
	a->last = p;
	return p;
}

void *
crm_arena_alloc(struct crm_arena *a, size_t n)
{
	struct block *b = a->head, *nb;
	size_t sz;
	void *p;

	if (n == 0)
		n = 1;
	if ((p = alloc_here(a, n)) != NULL)
		return p;
	/* Large requests get a block of their own so they do not waste the
	 * remainder of the current one. */
	sz = n > a->block_size / 4 ? n : a->block_size;
	nb = block_new(sz);
	if (sz == n && b->size - b->used > 64) {
		/* Keep allocating from the current block after this. */
		nb->next = b->next;
		b->next = nb;
		nb->used = n;
		a->total += n;
		a->last = NULL;
		return nb->data;
	}
	nb->next = b;
	a->head = nb;
	return alloc_here(a, n);
}

void *
crm_arena_calloc(struct crm_arena *a, size_t nmemb, size_t size)
{
	size_t n;
	void *p;

	if (size && nmemb > SIZE_MAX / size) {
		fprintf(stderr, "crm: arena calloc overflow\n");
		abort();
	}
	n = nmemb * size;
	p = crm_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

void *
crm_arena_realloc(struct crm_arena *a, void *old, size_t old_size, size_t new_size)
{
	struct block *b = a->head;
	void *p;

	if (old == NULL)
		return crm_arena_alloc(a, new_size);
	if (new_size <= old_size)
		return old;
	if (old == a->last &&
	    (unsigned char *)old + new_size <= b->data + b->size) {
		b->used = (size_t)((unsigned char *)old - b->data) + new_size;
		a->total += new_size - old_size;
		return old;
	}
	p = crm_arena_alloc(a, new_size);
	memcpy(p, old, old_size);
	return p;
}

char *
crm_arena_strndup(struct crm_arena *a, const char *s, size_t n)
{
	char *p = crm_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
crm_arena_strdup(struct crm_arena *a, const char *s)
{
	return crm_arena_strndup(a, s, strlen(s));
}

char *
crm_arena_join(struct crm_arena *a, const char *first, ...)
{
	va_list ap;
	const char *s;
	size_t n = 0;
	char *out, *p;

	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		n += strlen(s);
	va_end(ap);
	p = out = crm_arena_alloc(a, n + 1);
	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *)) {
		size_t k = strlen(s);

		memcpy(p, s, k);
		p += k;
	}
	va_end(ap);
	*p = '\0';
	return out;
}

char *
crm_arena_vprintf(struct crm_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	p = crm_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
crm_arena_printf(struct crm_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = crm_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
crm_arena_cleanup(struct crm_arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup *c = crm_arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

static void
run_cleanups(struct crm_arena *a)
{
	/* A cleanup may not register another: the list is detached first. */
	struct cleanup *c = a->cleanups;

	a->cleanups = NULL;
	for (; c != NULL; c = c->next)
		c->fn(c->arg);
}

void
crm_arena_reset(struct crm_arena *a)
{
	struct block *b, *next;

	run_cleanups(a);
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (b != a->first)
			free(b);
	}
	a->head = a->first;
	a->first->next = NULL;
	a->first->used = 0;
	a->total = 0;
	a->last = NULL;
}

void
crm_arena_free(struct crm_arena *a)
{
	if (a == NULL)
		return;
	crm_arena_reset(a);
	free(a->first);
	free(a);
}

size_t
crm_arena_used(const struct crm_arena *a)
{
	return a->total;
}

static struct crm_arena *json_arena;

static void *
json_arena_malloc(size_t n)
{
	void *p;

	if (json_arena == NULL)
		return crm_xmalloc(n);
	return (p = alloc_here(json_arena, n)) != NULL ? p : crm_arena_alloc(json_arena, n);
}

static void
json_arena_free(void *p)
{
	if (json_arena == NULL)
		free(p);
}

void
crm_arena_json_use(struct crm_arena *a)
{
	static int installed;

	json_arena = a;
	if (!installed) {
		json_set_alloc_funcs(json_arena_malloc, json_arena_free);
		installed = 1;
	}
}

struct crm_arena *
crm_arena_json_current(void)
{
	return json_arena;
}
