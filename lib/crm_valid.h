/* Validators for form and query values: each says yes or no, and the
 * handler names the field in its 422 answer. */
#ifndef CRM_VALID_H
#define CRM_VALID_H

#include <stddef.h>

#include "crm_http.h"

/* A positive database id in decimal, no sign, no leading zero. */
int crm_valid_id(const char *, long long *out);
/* A plausible address: one '@', a dot in the domain, no spaces or
 * controls, at most 254 bytes. Deliverability is the mail server's call. */
int crm_valid_email(const char *);
/* Text of min..max characters (UTF-8 code points, not bytes) with no
 * control characters other than newline and tab when multiline. */
int crm_valid_text(const char *, size_t min, size_t max, int multiline);
/* One of a NULL-terminated list. */
int crm_valid_oneof(const char *, const char *const *list);
/* An IANA time zone name that exists on this system. */
int crm_valid_time_zone(const char *);

/* A calendar date "2026-11-29" (years 1900..2200), and a date-time
 * "2026-11-29T14:30" or "2026-11-29 14:30:05" on it. */
int crm_valid_date(const char *);
int crm_valid_datetime(const char *);

/* The id in the route's ":name" part, or 0 (answer 404) when malformed. */
long long crm_ctx_id(struct crm_ctx *, const char *name);
/* Records a field error in the view ("errors": {field: message}),
 * translated into the request's language: mark the message with N_(). */
void crm_ctx_field_error(struct crm_ctx *, const char *field, const char *message);
int crm_ctx_has_errors(struct crm_ctx *);

#endif
