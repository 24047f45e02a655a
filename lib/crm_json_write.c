/* JSON text from a jansson value: see crm_json_write.h. */
#include <stdio.h>
#include <string.h>

#include "crm_json_write.h"

static void
write_string(struct crm_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, run = 0;

	crm_buf_reserve(out, n + 2);
	crm_buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		char esc[7];
		size_t k = 2;

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		crm_buf_add(out, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			k = 6;
		}
		crm_buf_add(out, esc, k);
	}
	crm_buf_add(out, s + run, n - run);
	crm_buf_putc(out, '"');
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

void
crm_json_write(struct crm_buf *out, const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;
	int first = 1;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
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
