/* JSON text from a jansson value: see crm_json_write.h. */
#include <stdio.h>
#include <string.h>

#include "crm_json_write.h"
#include "crm_kept.h"
#include "crm_table.h"

/* What a byte needs in a JSON string: 0 nothing, else the letter after
 * the backslash ('u' for \u00XX). */
static const unsigned char json_special[256] = {
	['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't', ['"'] = '"', ['\\'] = '\\',
	[0x00] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u', [0x05] = 'u', [0x06] = 'u',
	[0x07] = 'u', [0x0b] = 'u', [0x0e] = 'u', [0x0f] = 'u', [0x10] = 'u', [0x11] = 'u', [0x12] = 'u',
	[0x13] = 'u', [0x14] = 'u', [0x15] = 'u', [0x16] = 'u', [0x17] = 'u', [0x18] = 'u', [0x19] = 'u',
	[0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u', [0x1d] = 'u', [0x1e] = 'u', [0x1f] = 'u',
};

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The first byte from p on that needs a backslash, or end: 16 at a time
 * (a control byte, '"' or '\\'), then the tail byte by byte, as most
 * strings are short. */
static inline const unsigned char *
plain_run(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v),
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);

		if (bits != 0)
			return p + __builtin_ctz(bits);
		p += 16;
	}
#endif
	while (p < end && json_special[*p] == 0)
		p++;
	return p;
}

/* Every key and string of an API answer goes through here, so runs of
 * plain bytes are copied straight into room reserved beforehand. */
static void
write_string(struct crm_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run;
	size_t room = n + 2;
	char *o;

	/* The worst case (every byte \u00XX) when that is small; a long
	 * string is counted first instead. */
	if (n <= 4096) {
		room = n * 6 + 2;
	} else {
		for (run = p; run < end; run++)
			room += json_special[*run] == 0 ? 0 : json_special[*run] == 'u' ? 5 : 1;
	}
	crm_buf_reserve(out, room);
	o = out->data + out->len;
	*o++ = '"';
	while (p < end) {
		run = p;
		p = plain_run(p, end);
		memcpy(o, run, (size_t)(p - run));
		o += p - run;
		if (p == end)
			break;
		*o++ = '\\';
		if ((*o++ = (char)json_special[*p]) == 'u') {
			memcpy(o, "00", 2);
			o[2] = hex[*p >> 4];
			o[3] = hex[*p & 15];
			o += 4;
		}
		p++;
	}
	*o++ = '"';
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

/* As jansson writes a real (its strconv.c): %.17g, ".0" when that reads
 * as an integer, and the exponent without a plus sign or leading zeros. */
static void
write_real(struct crm_buf *out, double d)
{
	char num[64], *e, *digits, *nz;
	int n = snprintf(num, sizeof(num), "%.17g", d);

	if (n <= 0 || (size_t)n >= sizeof(num))
		return;
	if ((e = strchr(num, 'e')) != NULL) {
		digits = e + 1;
		if (*digits == '+')
			memmove(digits, digits + 1, strlen(digits));
		else if (*digits == '-')
			digits++;
		for (nz = digits; *nz == '0' && nz[1] != '\0'; nz++)
			;
		if (nz != digits)
			memmove(digits, nz, strlen(nz) + 1);
	} else if (strchr(num, '.') == NULL) {
		strcat(num, ".0");
	}
	crm_buf_puts(out, num);
}

static void
write_integer(struct crm_buf *out, json_int_t v)
{
	char num[24], *p = num + sizeof(num);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	crm_buf_add(out, p, (size_t)(num + sizeof(num) - p));
}

/* A table (crm_table.h) as the list of objects it stands for. Each
 * column's key, quoted and with its colon, is written once and copied
 * into every row. */
#define TABLE_KEYS 64
static void
write_table(struct crm_buf *out, const json_t *t)
{
	const json_t *columns = crm_table_columns(t), *rows = crm_table_rows(t), *row;
	size_t i, k, ncols = json_array_size(columns), at[TABLE_KEYS + 1];
	struct crm_buf keys;
	int quick = ncols <= TABLE_KEYS;

	crm_buf_init(&keys, out->arena, 256);
	for (k = 0; quick && k < ncols; k++) {
		const json_t *name = json_array_get(columns, k);

		at[k] = keys.len;
		if (json_is_string(name)) {
			write_string(&keys, json_string_value(name), json_string_length(name));
			crm_buf_putc(&keys, ':');
		}
	}
	at[ncols < TABLE_KEYS ? ncols : TABLE_KEYS] = keys.len;
	crm_buf_putc(out, '[');
	json_array_foreach(rows, i, row) {
		int first = 1;

		if (i > 0)
			crm_buf_putc(out, ',');
		crm_buf_putc(out, '{');
		for (k = 0; k < ncols; k++) {
			const json_t *name = json_array_get(columns, k);

			if (!json_is_string(name))
				continue;
			if (!first)
				crm_buf_putc(out, ',');
			first = 0;
			if (quick) {
				crm_buf_add(out, keys.data + at[k], at[k + 1] - at[k]);
			} else {
				write_string(out, json_string_value(name), json_string_length(name));
				crm_buf_putc(out, ':');
			}
			crm_json_write(out, crm_table_cell(row, (int)k));
		}
		crm_buf_putc(out, '}');
	}
	crm_buf_putc(out, ']');
	if (out->arena == NULL)
		crm_buf_release(&keys);
}

static void
write_object(struct crm_buf *out, const json_t *v)
{
	const char *key;
	json_t *item;
	int first = 1;

	if (crm_table_is(v)) {
		write_table(out, v);
		return;
	}
	crm_buf_putc(out, '{');
	json_object_foreach((json_t *)v, key, item) {
		if (!first)
			crm_buf_putc(out, ',');
		first = 0;
		write_string(out, key, strlen(key));
		crm_buf_putc(out, ':');
		crm_json_write(out, item);
	}
	crm_buf_putc(out, '}');
}

/* A value kept from one request to the next (crm_kept.h): its text from
 * an earlier request, else written and kept with it. kept_who is the
 * writer's name among those who keep outputs. */
static const char kept_who;

static void
write_kept(struct crm_buf *out, const json_t *v)
{
	size_t off = out->len, n;
	const char *s;
	int flags;

	if ((s = crm_kept_get(v, &kept_who, &n, &flags)) != NULL) {
		crm_buf_add(out, s, n);
		return;
	}
	write_object(out, v);
	crm_kept_put(v, &kept_who, out->data + off, out->len - off, 0);
}

void
crm_json_write(struct crm_buf *out, const json_t *v)
{
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (crm_kept_count > 0 && crm_kept_has(v))
			write_kept(out, v);
		else
			write_object(out, v);
		break;
	case JSON_ARRAY:
		crm_buf_putc(out, '[');
		json_array_foreach(v, i, item) {
			if (i > 0)
				crm_buf_putc(out, ',');
			crm_json_write(out, item);
		}
		crm_buf_putc(out, ']');
		break;
	case JSON_STRING:
		write_string(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		write_integer(out, json_integer_value(v));
		break;
	case JSON_REAL:
		write_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		crm_buf_add(out, "true", 4);
		break;
	case JSON_FALSE:
		crm_buf_add(out, "false", 5);
		break;
	case JSON_NULL:
		crm_buf_add(out, "null", 4);
		break;
	}
}
