/* Route matching: method + path pattern with ":name" segments. */
#ifndef CRM_ROUTE_H
#define CRM_ROUTE_H

#include "crm_http.h"

enum crm_route_result {
	CRM_ROUTE_FOUND,
	CRM_ROUTE_NO_PATH,      /* 404 */
	CRM_ROUTE_NO_METHOD,    /* 405: the path exists with other methods */
	CRM_ROUTE__MAX
};

/* Finds the route for method and path; fills params with the ":name" parts.
 * HEAD matches GET. For CRM_ROUTE_NO_METHOD, allow (if not NULL) receives
 * the comma-separated methods the path has, for the Allow header. */
enum crm_route_result crm_route_match(const struct crm_route *, size_t n,
    const char *method, const char *path, struct crm_arena *,
    struct crm_params *params, const struct crm_route **found, char **allow);
/* True for POST, PUT, PATCH, DELETE and PROPPATCH: they need a CSRF token. */
int crm_route_changes_state(const char *method);
/* True for the methods that carry a request body: those above, and
 * WebDAV's PROPFIND and REPORT, which only read. */
int crm_route_has_body(const char *method);
/* True for a method the front door knows at all; anything else is 405. */
int crm_route_known_method(const char *method);

#endif
