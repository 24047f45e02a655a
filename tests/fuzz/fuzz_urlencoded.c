/* libFuzzer target for crm_parse_urlencoded. Whatever the input, the parser
 * returns; what it accepts is bounded, NUL-free UTF-8 that survives being
 * encoded and parsed again; what it rejects leaves nothing behind. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One arena for the whole run, reset per input, as in a worker. */
static struct crm_arena *arena;

static void
encode(struct crm_buf *b, const struct crm_str *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->data[i];
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };

		crm_buf_add(b, e, 3);
	}
}

static void
check(const struct crm_params *out, size_t n0, const struct crm_req_limits *lim)
{
	size_t i;

	if (out->n - n0 > lim->max_fields)
		abort();
	for (i = n0; i < out->n; i++) {
		const struct crm_param *p = &out->v[i];

		if (p->name.len > lim->max_name || p->value.len > lim->max_value ||
		    p->name.data[p->name.len] != '\0' ||
		    p->value.data[p->value.len] != '\0' ||
		    memchr(p->name.data, '\0', p->name.len) != NULL ||
		    memchr(p->value.data, '\0', p->value.len) != NULL ||
		    !crm_utf8_valid(p->name.data, p->name.len) ||
		    !crm_utf8_valid(p->value.data, p->value.len) ||
		    p->filename != NULL || p->path != NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_req_limits lim;
	struct crm_params out, again;
	struct crm_buf b;
	size_t i;
	enum crm_err e;

	if (arena == NULL)
		arena = crm_arena_new(16 * 1024);
	crm_req_limits_default(&lim);
	/* Small limits, so that they are reached. */
	lim.max_fields = 16;
	lim.max_name = 16;
	lim.max_value = 64;
	memset(&out, 0, sizeof(out));
	e = crm_parse_urlencoded(arena, (const char *)data, size, &lim, &out);
	if (e != CRM_OK) {
		if (out.n != 0 || (e != CRM_EINVAL && e != CRM_ETOOBIG))
			abort();
		crm_arena_reset(arena);
		return 0;
	}
	check(&out, 0, &lim);

	crm_buf_init(&b, arena, size * 3 + 16);
	for (i = 0; i < out.n; i++) {
		if (i > 0)
			crm_buf_putc(&b, '&');
		encode(&b, &out.v[i].name);
		crm_buf_putc(&b, '=');
		encode(&b, &out.v[i].value);
	}
	memset(&again, 0, sizeof(again));
	if (crm_parse_urlencoded(arena, b.data, b.len, &lim, &again) != CRM_OK ||
	    again.n != out.n)
		abort();
	for (i = 0; i < out.n; i++) {
		const struct crm_param *p = &out.v[i], *q = &again.v[i];

		if (p->name.len != q->name.len || p->value.len != q->value.len ||
		    memcmp(p->name.data, q->name.data, p->name.len) != 0 ||
		    memcmp(p->value.data, q->value.data, p->value.len) != 0)
			abort();
	}
	crm_arena_reset(arena);
	return 0;
}
