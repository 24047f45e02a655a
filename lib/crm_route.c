/* Route matching over the module's table, in table order. */
#include <string.h>

#include "crm_buf.h"
#include "crm_route.h"

/* Matches one pattern against a path; on success adds the captured
 * segments to params (nothing is added on a mismatch). */
static int
match(const char *pat, const char *path, struct crm_arena *a,
    struct crm_params *params)
{
	struct crm_param caps[16];
	size_t ncaps = 0, i;

	while (*pat && *path) {
		if (*pat == ':') {
			const char *pend = strchr(pat, '/'), *send = strchr(path, '/');
			size_t plen = pend ? (size_t)(pend - pat) : strlen(pat);
			size_t slen = send ? (size_t)(send - path) : strlen(path);

			if (slen == 0 || ncaps == CRM_NELEM(caps))
				return 0;
			memset(&caps[ncaps], 0, sizeof(caps[0]));
			caps[ncaps].name.data = (char *)pat + 1;
			caps[ncaps].name.len = plen - 1;
			caps[ncaps].value.data = (char *)path;
			caps[ncaps].value.len = slen;
			ncaps++;
			pat += plen;
			path += slen;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	if (*pat != '\0' || *path != '\0')
		return 0;
	for (i = 0; i < ncaps && params != NULL; i++) {
		struct crm_param p = caps[i];

		p.name.data = crm_arena_strndup(a, p.name.data, p.name.len);
		p.value.data = crm_arena_strndup(a, p.value.data, p.value.len);
		crm_params_add(a, params, &p);
	}
	return 1;
}

enum crm_route_result
crm_route_match(const struct crm_route *routes, size_t n, const char *method,
    const char *path, struct crm_arena *a, struct crm_params *params,
    const struct crm_route **found, char **allow)
{
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	struct crm_buf methods;
	size_t i;
	int path_seen = 0;

	*found = NULL;
	for (i = 0; i < n; i++) {
		if (strcmp(routes[i].method, m) != 0)
			continue;
		if (match(routes[i].pattern, path, a, params)) {
			*found = &routes[i];
			return CRM_ROUTE_FOUND;
		}
	}
	crm_buf_init(&methods, a, 64);
	for (i = 0; i < n; i++) {
		if (!match(routes[i].pattern, path, a, NULL))
			continue;
		if (strstr(methods.data, routes[i].method) == NULL) {
			if (methods.len)
				crm_buf_puts(&methods, ", ");
			crm_buf_puts(&methods, routes[i].method);
			if (strcmp(routes[i].method, "GET") == 0)
				crm_buf_puts(&methods, ", HEAD");
		}
		path_seen = 1;
	}
	if (allow)
		*allow = methods.data;
	return path_seen ? CRM_ROUTE_NO_METHOD : CRM_ROUTE_NO_PATH;
}

int
crm_route_changes_state(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	    strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0 ||
	    strcmp(method, "PROPPATCH") == 0;
}

int
crm_route_has_body(const char *method)
{
	return crm_route_changes_state(method) || strcmp(method, "PROPFIND") == 0 ||
	    strcmp(method, "REPORT") == 0;
}

int
crm_route_known_method(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
	    strcmp(method, "OPTIONS") == 0 || crm_route_has_body(method);
}
