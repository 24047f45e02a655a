/* libcrm: shared definitions for every file of the library and every module. */
#ifndef CRM_H
#define CRM_H

#include <stddef.h>
#include <stdint.h>

#define CRM_VERSION "0.1.0"

/* Every library call returns one of these; handlers map them to HTTP statuses. */
enum crm_err {
	CRM_OK = 0,
	CRM_EINVAL,     /* malformed input: a 400 */
	CRM_ETOOBIG,    /* input over a configured limit: a 413 */
	CRM_ENOTFOUND,  /* no such record, file or name: a 404 */
	CRM_ECONFLICT,  /* duplicate key, stale version: a 409 */
	CRM_EIO,        /* system call failed */
	CRM_EDB,        /* the database failed: a 500, logged with the request id */
	CRM_EDBGONE,    /* the database connection was lost */
	CRM_EDEADLOCK,  /* the transaction was chosen as a deadlock victim */
	CRM_ECONFIG,    /* a bad configuration value */
	CRM_ERR__MAX
};

const char *crm_err_str(enum crm_err);

/* A length-counted string: request data may hold NUL bytes. */
struct crm_str {
	size_t len;
	char *data;
};

#define CRM_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define CRM_NORETURN __attribute__((noreturn))
#define CRM_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that never fails: out of memory aborts the worker, and the
 * master forks a replacement (STYLE rule 6). */
void *crm_xmalloc(size_t);
void *crm_xcalloc(size_t, size_t);
void *crm_xrealloc(void *, size_t);
char *crm_xstrdup(const char *);

#endif
