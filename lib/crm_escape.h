/* One escaper per output context (STYLE rule 16). Each appends to a buffer. */
#ifndef CRM_ESCAPE_H
#define CRM_ESCAPE_H

#include <stddef.h>

#include "crm_buf.h"

/* HTML text and attribute values: & < > " ' (the apostrophe as &#39;). */
void crm_escape_html(struct crm_buf *, const char *, size_t);
/* A query-string name or value: unreserved bytes kept, space as %20. */
void crm_escape_url_arg(struct crm_buf *, const char *, size_t);
/* A path segment: like an argument, but '/' is kept. */
void crm_escape_url_path(struct crm_buf *, const char *, size_t);
/* Inside a JavaScript or JSON string literal, safe within <script> too. */
void crm_escape_js(struct crm_buf *, const char *, size_t);

#endif
