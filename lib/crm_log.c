/* Log lines: "crm-admin[pid] level req=ID message". Each line is written
 * with one write(2) so lines from several workers never interleave. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm_log.h"
#include "crm_num.h"

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
	size_t n = id ? strnlen(id, sizeof(request_id) - 1) : 0;

	memcpy(request_id, id ? id : "", n);
	request_id[n] = '\0';
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

/* The access line is put together by hand: snprintf's parsing of its
 * format cost a small page as much as its own route table. */
struct line {
	char *p;
	size_t n, cap;
};

static void
put(struct line *l, const char *s, size_t len)
{
	if (len > l->cap - l->n)
		len = l->cap - l->n;
	memcpy(l->p + l->n, s, len);
	l->n += len;
}

static void
put_str(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

static void
put_num(struct line *l, long long v)
{
	char d[24];

	put(l, d, crm_num_i64(d, v));
}

void
crm_log_access(const char *method, const char *path, int status, long usec,
    size_t arena_bytes)
{
	char buf[1024];
	struct line l = { buf, 0, sizeof(buf) - 1 };
	size_t plen = strlen(path);

	/* The path is cut, never the fields after it, so a log reader can
	 * always find the status and the time. */
	put_str(&l, program);
	put(&l, "[", 1);
	put_num(&l, pid);
	put_str(&l, "] access req=");
	put_str(&l, request_id);
	put(&l, " ", 1);
	put_str(&l, method);
	put(&l, " ", 1);
	put(&l, path, plen < 600 ? plen : 600);
	put(&l, " ", 1);
	put_num(&l, status);
	put(&l, " ", 1);
	put_num(&l, usec);
	put_str(&l, "us arena=");
	put_num(&l, (long long)arena_bytes);
	buf[l.n++] = '\n';
	emit(buf, l.n);
}
