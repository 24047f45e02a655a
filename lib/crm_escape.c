/* Escapers for HTML, URL, JS and CSV output contexts. */
#include <string.h>

#include "crm_escape.h"

static const char hex[] = "0123456789ABCDEF";

void
crm_escape_html(struct crm_buf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	crm_buf_reserve(b, n);
	for (i = 0; i < n; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		crm_buf_add(b, s + run, i - run);
		crm_buf_puts(b, rep);
		run = i + 1;
	}
	crm_buf_add(b, s + run, n - run);
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
