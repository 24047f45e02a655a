/* Escapers for HTML, URL, JS and CSV output contexts. */
#include <string.h>

#include "crm_escape.h"

static const char hex[] = "0123456789ABCDEF";

/* Which entity a byte needs (0: none), and the entities. */
static const unsigned char html_special[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct {
	char s[7];
	unsigned char n;
} html_entity[] = { { "", 0 }, { "&amp;", 5 }, { "&lt;", 4 }, { "&gt;", 4 }, { "&quot;", 6 }, { "&#39;", 5 } };

#ifdef __SSE2__
#include <emmintrin.h>

/* Which of 16 bytes need an entity, a bit each: '"' is 0x22, '&' and
 * '\'' are 0x26 and 0x27, '<' and '>' 0x3c and 0x3e, so three compares
 * find all five. */
static inline unsigned
specials16(__m128i v)
{
	__m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
	    _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)), _mm_set1_epi8('\'')),
	    _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)), _mm_set1_epi8('>'))));

	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* The first byte from p on that needs an entity, or end. */
static inline const unsigned char *
plain_run(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
	unsigned bits;

	while (end - p >= 16) {
		if ((bits = specials16(_mm_loadu_si128((const __m128i *)(const void *)p))) != 0)
			return p + __builtin_ctz(bits);
		p += 16;
	}
#endif
	/* The tail byte by byte: most values are shorter than 16 bytes,
	 * and copying one out to read it 16 at a time costs more. */
	while (p < end && html_special[*p] == 0)
		p++;
	return p;
}

/* Every page's text goes through here, so it copies runs of plain bytes
 * straight into room reserved beforehand. */
void
crm_escape_html(struct crm_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run;
	size_t room = n, k;
	char *out;

	/* Room for the worst case (every byte an entity of 6) when that is
	 * small; a long text is counted first instead. */
	if (n <= 4096) {
		room = n * 6;
	} else {
		for (run = p; run < end; run++)
			room += html_entity[html_special[*run]].n;
	}
	crm_buf_reserve(b, room);
	out = b->data + b->len;
	while (p < end) {
		run = p;
		p = plain_run(p, end);
		memcpy(out, run, (size_t)(p - run));
		out += p - run;
		if (p < end) {
			k = html_special[*p++];
			memcpy(out, html_entity[k].s, html_entity[k].n);
			out += html_entity[k].n;
		}
	}
	b->len = (size_t)(out - b->data);
	b->data[b->len] = '\0';
}

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

static void
escape_url(struct crm_buf *b, const char *s, size_t n, int keep_slash)
{
	size_t i;

	crm_buf_reserve(b, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (unreserved(c) || (keep_slash && c == '/')) {
			crm_buf_putc(b, c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			crm_buf_add(b, e, 3);
		}
	}
}

void
crm_escape_url_arg(struct crm_buf *b, const char *s, size_t n)
{
	escape_url(b, s, n, 0);
}

void
crm_escape_url_path(struct crm_buf *b, const char *s, size_t n)
{
	escape_url(b, s, n, 1);
}

void
crm_escape_js(struct crm_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '\\': crm_buf_puts(b, "\\\\"); break;
		case '"': crm_buf_puts(b, "\\\""); break;
		case '\n': crm_buf_puts(b, "\\n"); break;
		case '\r': crm_buf_puts(b, "\\r"); break;
		case '\t': crm_buf_puts(b, "\\t"); break;
		default:
			/* < > & ' and controls as \u escapes: the string cannot
			 * close a <script> element or an HTML attribute. */
			if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\'')
				crm_buf_printf(b, "\\u%04x", c);
			else
				crm_buf_putc(b, c);
		}
	}
}
