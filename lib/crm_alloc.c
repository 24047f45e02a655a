/* Allocation that never returns NULL: running out of memory ends the worker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"

static CRM_NORETURN void
oom(size_t n)
{
	fprintf(stderr, "crm: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
crm_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
crm_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom(nmemb * size);
	return p;
}

void *
crm_xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

char *
crm_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(crm_xmalloc(n), s, n);
}

static const char *const err_names[CRM_ERR__MAX] = {
	"ok",                       /* CRM_OK */
	"invalid input",            /* CRM_EINVAL */
	"input too large",          /* CRM_ETOOBIG */
	"not found",                /* CRM_ENOTFOUND */
	"conflict",                 /* CRM_ECONFLICT */
	"system error",             /* CRM_EIO */
	"database error",           /* CRM_EDB */
	"database connection lost", /* CRM_EDBGONE */
	"deadlock",                 /* CRM_EDEADLOCK */
	"configuration error",      /* CRM_ECONFIG */
};
_Static_assert(CRM_NELEM(err_names) == CRM_ERR__MAX, "err_names");

const char *
crm_err_str(enum crm_err e)
{
	return (unsigned)e < CRM_ERR__MAX ? err_names[e] : "unknown error";
}
