/* Region allocator: one per request, reset after it; one per worker lifetime. */
#ifndef CRM_ARENA_H
#define CRM_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include "crm.h"

struct crm_arena;

struct crm_arena *crm_arena_new(size_t block_size);
void *crm_arena_alloc(struct crm_arena *, size_t);
void *crm_arena_calloc(struct crm_arena *, size_t nmemb, size_t size);
/* Grows the most recent allocation in place when it can. */
void *crm_arena_realloc(struct crm_arena *, void *old, size_t old_size, size_t new_size);
char *crm_arena_strndup(struct crm_arena *, const char *, size_t);
char *crm_arena_strdup(struct crm_arena *, const char *);
char *crm_arena_printf(struct crm_arena *, const char *fmt, ...) CRM_PRINTF(2, 3);
/* The strings up to a NULL, end to end: printf's "%s%s" without parsing a
 * format, for the hot paths that build hundreds of labels a page. */
char *crm_arena_join(struct crm_arena *, const char *first, ...) __attribute__((sentinel));
char *crm_arena_vprintf(struct crm_arena *, const char *fmt, va_list)
    CRM_PRINTF(2, 0) __attribute__((nonnull(2)));
/* Runs fn(arg) at the next reset or free, latest registered first: closes
 * descriptors, frees result sets, unlinks upload temp files. */
void crm_arena_cleanup(struct crm_arena *, void (*fn)(void *), void *arg);
/* Runs the cleanups, keeps the first block, returns the rest to malloc. */
void crm_arena_reset(struct crm_arena *);
void crm_arena_free(struct crm_arena *);
size_t crm_arena_used(const struct crm_arena *);

/* While an arena is set, jansson allocates from it and json_decref frees
 * nothing: a request's view model dies with the request. NULL restores malloc. */
void crm_arena_json_use(struct crm_arena *);
/* The arena jansson allocates from now (NULL: malloc). */
struct crm_arena *crm_arena_json_current(void);

#endif
