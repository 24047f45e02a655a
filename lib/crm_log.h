/* Logging to stderr, where systemd's journal or the run script collects it:
 * one line per request, and errors with the request id they belong to. */
#ifndef CRM_LOG_H
#define CRM_LOG_H

#include "crm.h"

enum crm_log_level {
	CRM_LOG_ERROR,
	CRM_LOG_WARN,
	CRM_LOG_INFO,
	CRM_LOG__MAX
};

/* The program name ("crm-admin") printed on every line. */
void crm_log_init(const char *program);
/* The request being served, or NULL between requests. */
void crm_log_request_id(const char *id);
void crm_log(enum crm_log_level, const char *fmt, ...) CRM_PRINTF(2, 3);
void crm_log_access(const char *method, const char *path, int status,
    long usec, size_t arena_bytes);

#endif
