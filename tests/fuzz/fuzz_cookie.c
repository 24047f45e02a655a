/* libFuzzer target for crm_parse_cookies, and crm_parse_content_type on the
 * same bytes (both parse a request header). Accepted cookies are tokens and
 * cookie-octets within the limits and parse again the same when rejoined; a
 * rejected header leaves nothing behind; an accepted boundary is one
 * RFC 2046 allows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One arena for the whole run, reset per input, as in a worker. */
static struct crm_arena *arena;

static int
is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
is_cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7E && c != '"' && c != ',' && c != ';' && c != '\\';
}

static void
check_cookies(const struct crm_params *out, const struct crm_req_limits *lim)
{
	size_t i, j;

	if (out->n > lim->max_fields)
		abort();
	for (i = 0; i < out->n; i++) {
		const struct crm_param *p = &out->v[i];

		if (p->name.len == 0 || p->name.len > lim->max_name ||
		    p->value.len > lim->max_value ||
		    p->name.data[p->name.len] != '\0' ||
		    p->value.data[p->value.len] != '\0')
			abort();
		for (j = 0; j < p->name.len; j++)
			if (!is_tchar((unsigned char)p->name.data[j]))
				abort();
		for (j = 0; j < p->value.len; j++)
			if (!is_cookie_octet((unsigned char)p->value.data[j]))
				abort();
	}
}

static void
fuzz_cookies(const char *s, size_t size)
{
	struct crm_req_limits lim;
	struct crm_params out, again;
	struct crm_buf b;
	size_t i;
	enum crm_err e;

	crm_req_limits_default(&lim);
	lim.max_fields = 8;
	lim.max_name = 16;
	lim.max_value = 32;
	memset(&out, 0, sizeof(out));
	e = crm_parse_cookies(arena, s, size, &lim, &out);
	if (e != CRM_OK) {
		if (out.n != 0 || (e != CRM_EINVAL && e != CRM_ETOOBIG))
			abort();
		return;
	}
	check_cookies(&out, &lim);

	crm_buf_init(&b, arena, size + 16);
	for (i = 0; i < out.n; i++) {
		if (i > 0)
			crm_buf_puts(&b, "; ");
		crm_buf_add(&b, out.v[i].name.data, out.v[i].name.len);
		crm_buf_putc(&b, '=');
		crm_buf_add(&b, out.v[i].value.data, out.v[i].value.len);
	}
	memset(&again, 0, sizeof(again));
	if (crm_parse_cookies(arena, b.data, b.len, &lim, &again) != CRM_OK ||
	    again.n != out.n)
		abort();
	for (i = 0; i < out.n; i++)
		if (out.v[i].name.len != again.v[i].name.len ||
		    out.v[i].value.len != again.v[i].value.len ||
		    strcmp(out.v[i].name.data, again.v[i].name.data) != 0 ||
		    strcmp(out.v[i].value.data, again.v[i].value.data) != 0)
			abort();
}

static void
fuzz_content_type(const char *s, size_t size)
{
	struct crm_str mime, boundary;
	size_t i;

	if (crm_parse_content_type(arena, s, size, &mime, &boundary) != CRM_OK) {
		if (boundary.len != 0 || boundary.data == NULL || mime.data == NULL)
			abort();
		return;
	}
	if (mime.len == 0 || memchr(mime.data, '/', mime.len) == NULL ||
	    boundary.len > 70 || boundary.data[boundary.len] != '\0' ||
	    (boundary.len > 0 && boundary.data[boundary.len - 1] == ' '))
		abort();
	for (i = 0; i < mime.len; i++)
		if (mime.data[i] >= 'A' && mime.data[i] <= 'Z')
			abort();
	for (i = 0; i < boundary.len; i++) {
		unsigned char c = (unsigned char)boundary.data[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z') || (c != '\0' && strchr("'()+_,-./:=? ", c) != NULL)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (arena == NULL)
		arena = crm_arena_new(16 * 1024);
	fuzz_cookies((const char *)data, size);
	fuzz_content_type((const char *)data, size);
	crm_arena_reset(arena);
	return 0;
}
