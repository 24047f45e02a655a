/* Folded, escaped content lines for vCard and iCalendar. */
#include <string.h>

#include "crm_fold.h"

/* Puts bytes that must stay together (a character, an escape) on the
 * current physical line, or folds first: CRLF, then a space that counts
 * towards the next line's 75 octets. */
static void
put_unit(struct crm_fold *f, const void *p, size_t n)
{
	if (f->col + n > CRM_FOLD_WIDTH) {
		crm_buf_add(f->buf, "\r\n ", 3);
		f->col = 1;
	}
	crm_buf_add(f->buf, p, n);
	f->col += n;
}

static int
is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Length of the well-formed UTF-8 sequence at s, 0 when malformed
 * (overlong, surrogate, past U+10FFFF, truncated by the NUL). */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned long cp;
	size_t i, n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

void
crm_fold_begin(struct crm_fold *f, struct crm_buf *b, const char *name_and_params)
{
	f->buf = b;
	f->col = 0;
	crm_fold_raw(f, name_and_params);
	put_unit(f, ":", 1);
}

void
crm_fold_raw(struct crm_fold *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, want;

	if (s == NULL)
		return;
	while (*p) {
		if (is_control(*p)) {
			p++;
			continue;
		}
		n = 1;
		if (*p == '\\' && p[1] != '\0' && !is_control(p[1]))
			n = 2;
		else if (*p >= 0xC0) {
			/* Trusted input, but a bad sequence must still end. */
			want = *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
			while (n < want && (p[n] & 0xC0) == 0x80)
				n++;
		}
		put_unit(f, p, n);
		p += n;
	}
}

void
crm_fold_text(struct crm_fold *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (s == NULL)
		return;
	while (*p) {
		switch (*p) {
		case '\\':
			put_unit(f, "\\\\", 2);
			p++;
			continue;
		case ';':
			put_unit(f, "\\;", 2);
			p++;
			continue;
		case ',':
			put_unit(f, "\\,", 2);
			p++;
			continue;
		case '\r':
			if (p[1] == '\n')
				p++;
			/* FALLTHROUGH */
		case '\n':
			put_unit(f, "\\n", 2);
			p++;
			continue;
		}
		if (is_control(*p)) {
			p++;
			continue;
		}
		if ((n = utf8_len(p)) == 0) {
			put_unit(f, "\xEF\xBF\xBD", 3);
			p++;
			continue;
		}
		put_unit(f, p, n);
		p += n;
	}
}

void
crm_fold_end(struct crm_fold *f)
{
	crm_buf_add(f->buf, "\r\n", 2);
	f->col = 0;
}

/* Reads exactly n digits into *v. */
static int
num(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/* Drops the separators of a checked date (and time): the digits are
 * copied, not printed, so no format has to prove they fit. */
static void
basic(char *out, const char *in, int with_time)
{
	memcpy(out, in, 4);
	memcpy(out + 4, in + 5, 2);
	memcpy(out + 6, in + 8, 2);
	if (!with_time) {
		out[8] = '\0';
		return;
	}
	out[8] = 'T';
	memcpy(out + 9, in + 11, 2);
	memcpy(out + 11, in + 14, 2);
	memcpy(out + 13, in + 17, 2);
	out[15] = '\0';
}

int
crm_fold_date(const char *in, char out[CRM_FOLD_DATE_MAX])
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, s, leap;
	const char *p;

	out[0] = '\0';
	if (in == NULL || !num(in, 4, &y) || in[4] != '-' || !num(in + 5, 2, &mo) ||
	    in[7] != '-' || !num(in + 8, 2, &d))
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y == 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap))
		return 0;
	if (in[10] == '\0') {
		basic(out, in, 0);
		return CRM_FOLD_DATE;
	}
	if ((in[10] != ' ' && in[10] != 'T') || !num(in + 11, 2, &h) || in[13] != ':' ||
	    !num(in + 14, 2, &mi) || in[16] != ':' || !num(in + 17, 2, &s))
		return 0;
	/* 60: RFC 5545 3.3.12 allows the leap second. */
	if (h > 23 || mi > 59 || s > 60)
		return 0;
	p = in + 19;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			continue;
	if (*p != '\0')
		return 0;
	basic(out, in, 1);
	return CRM_FOLD_DATETIME;
}

void
crm_fold_line(struct crm_buf *b, const char *name_and_params, const char *value)
{
	struct crm_fold f;

	crm_fold_begin(&f, b, name_and_params);
	crm_fold_raw(&f, value);
	crm_fold_end(&f);
}

void
crm_fold_text_line(struct crm_buf *b, const char *name_and_params, const char *text)
{
	struct crm_fold f;

	crm_fold_begin(&f, b, name_and_params);
	crm_fold_text(&f, text);
	crm_fold_end(&f);
}
