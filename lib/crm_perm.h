/* Every permission a route can name, in one place: the role matrix shows
 * this list, and a module refuses to start if a route names another. */
#ifndef CRM_PERM_H
#define CRM_PERM_H

#include <stddef.h>

struct crm_perm {
	const char *name;       /* "customers.write" */
	const char *module;     /* "customers" */
	const char *label;      /* for the matrix, in English (translated there) */
};

extern const struct crm_perm crm_perms[];
extern const size_t crm_nperms;

/* True for a catalogued permission or one of the three audience names. */
int crm_perm_known(const char *name);

#endif
