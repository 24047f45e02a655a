/* libFuzzer target for the streaming multipart parser. The first input byte
 * is the chunk size the rest is fed in (0: all at once), so delimiters split
 * across chunks are fuzzed too; the same body is then parsed whole, and the
 * two results must agree, error code and file contents included. Accepted
 * parts must respect the limits; after the arena reset, tmpdir must be
 * empty again. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm_arena.h"
#include "crm_req.h"

#define BOUNDARY "AaB03x"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One arena for the whole run, reset per input, as in a worker: a leaked
 * descriptor would soon exhaust the process's. */
static struct crm_arena *arena;
static char tmpdir[] = "/tmp/fuzz_multipart.XXXXXX";

static void
remove_tmpdir(void)
{
	rmdir(tmpdir);
}

static int
tmpdir_empty(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	int empty = 1;

	if (d == NULL)
		abort();
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

static enum crm_err
parse(const char *body, size_t len, size_t chunk, const struct crm_req_limits *lim,
    struct crm_params *out)
{
	struct crm_multipart *mp = crm_multipart_new(arena, BOUNDARY,
	    sizeof(BOUNDARY) - 1, lim, out);
	size_t off;
	enum crm_err e = CRM_OK;

	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len && e == CRM_OK; off += chunk)
		e = crm_multipart_feed(mp, body + off, len - off < chunk ? len - off : chunk);
	if (e == CRM_OK)
		e = crm_multipart_finish(mp);
	/* An error sticks and leaves nothing in out. */
	if (e != CRM_OK && (out->n != 0 || crm_multipart_feed(mp, "x", 1) != e ||
	    crm_multipart_finish(mp) != e || out->n != 0))
		abort();
	return e;
}

/* The bytes of a file, or NULL. */
static char *
slurp(const char *path, size_t size)
{
	FILE *f = fopen(path, "rb");
	char *p = malloc(size + 1);

	if (f == NULL || p == NULL || fread(p, 1, size + 1, f) != size)
		abort();
	fclose(f);
	return p;
}

static void
check(const struct crm_params *out, const struct crm_req_limits *lim)
{
	size_t i;

	if (out->n > lim->max_fields)
		abort();
	for (i = 0; i < out->n; i++) {
		const struct crm_param *p = &out->v[i];

		if (p->name.len > lim->max_name ||
		    !crm_utf8_valid(p->name.data, p->name.len) ||
		    memchr(p->name.data, '\0', p->name.len) != NULL ||
		    p->value.data[p->value.len] != '\0')
			abort();
		if (p->filename != NULL) {
			struct stat st;

			if (p->path == NULL || p->value.len != 0 || p->size > lim->max_file ||
			    strpbrk(p->filename, "/\\") != NULL ||
			    !crm_utf8_valid(p->filename, strlen(p->filename)) ||
			    stat(p->path, &st) != 0 || (size_t)st.st_size != p->size)
				abort();
		} else if (p->path != NULL || p->value.len > lim->max_value ||
		    !crm_utf8_valid(p->value.data, p->value.len) ||
		    memchr(p->value.data, '\0', p->value.len) != NULL) {
			abort();
		}
	}
}

static int
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
compare(const struct crm_params *x, const struct crm_params *y)
{
	size_t i;

	if (x->n != y->n)
		abort();
	for (i = 0; i < x->n; i++) {
		const struct crm_param *p = &x->v[i], *q = &y->v[i];

		if (p->name.len != q->name.len || p->value.len != q->value.len ||
		    memcmp(p->name.data, q->name.data, p->name.len) != 0 ||
		    memcmp(p->value.data, q->value.data, p->value.len) != 0 ||
		    !str_eq(p->filename, q->filename) ||
		    !str_eq(p->content_type, q->content_type) ||
		    (p->path == NULL) != (q->path == NULL) || p->size != q->size)
			abort();
		if (p->path != NULL) {
			char *a = slurp(p->path, p->size), *b = slurp(q->path, q->size);

			if (memcmp(a, b, p->size) != 0)
				abort();
			free(a);
			free(b);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_req_limits lim;
	struct crm_params chunked, whole;
	enum crm_err e1, e2;

	if (arena == NULL) {
		if (mkdtemp(tmpdir) == NULL)
			abort();
		atexit(remove_tmpdir);
		arena = crm_arena_new(16 * 1024);
	}
	if (size == 0)
		return 0;
	crm_req_limits_default(&lim);
	/* Small limits, so that they are reached. */
	lim.max_fields = 8;
	lim.max_name = 32;
	lim.max_value = 64;
	lim.max_file = 256;
	lim.tmpdir = tmpdir;

	memset(&chunked, 0, sizeof(chunked));
	memset(&whole, 0, sizeof(whole));
	e1 = parse((const char *)data + 1, size - 1, data[0], &lim, &chunked);
	e2 = parse((const char *)data + 1, size - 1, 0, &lim, &whole);
	if (e1 != e2)
		abort();
	if (e1 == CRM_OK) {
		check(&whole, &lim);
		compare(&whole, &chunked);
	}
	crm_arena_reset(arena);
	if (!tmpdir_empty())
		abort();
	return 0;
}
