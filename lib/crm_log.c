/* Log lines: "crm-admin[pid] level req=ID message". Each line is written
 * with one write(2) so lines from several workers never interleave. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm_log.h"

static char program[64] = "crm";
static char request_id[64];
/* Cached: getpid() is a system call, and this is printed per request.
 * Every process calls crm_log_init after exec, so it is always its own. */
static int pid;

static const char *const level_names[CRM_LOG__MAX] = {
	"error",        /* CRM_LOG_ERROR */
	"warn",         /* CRM_LOG_WARN */
	"info",         /* CRM_LOG_INFO */
};
_Static_assert(CRM_NELEM(level_names) == CRM_LOG__MAX, "level_names");

void
crm_log_init(const char *name)
{
	snprintf(program, sizeof(program), "%s", name);
	pid = (int)getpid();
}

void
crm_log_request_id(const char *id)
{
	snprintf(request_id, sizeof(request_id), "%s", id ? id : "");
}

static void
emit(const char *line, size_t n)
{
	ssize_t w;

	while (n > 0 && (w = write(STDERR_FILENO, line, n)) > 0) {
		line += w;
		n -= (size_t)w;
	}
}

void
crm_log(enum crm_log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "%s[%d] %s%s%s ", program, pid,
	    level_names[level < CRM_LOG__MAX ? level : CRM_LOG_ERROR],
	    request_id[0] ? " req=" : "", request_id);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	emit(line, (size_t)n);
}

void
crm_log_access(const char *method, const char *path, int status, long usec,
    size_t arena_bytes)
{
	char line[1024];
	int n;

	/* The path is cut, never the fields after it, so a log reader can
	 * always find the status and the time. */
	n = snprintf(line, sizeof(line), "%s[%d] access req=%s %s %.600s %d %ldus arena=%zu\n",
	    program, pid, request_id, method, path, status, usec, arena_bytes);
	if (n > 0)
		emit(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}
