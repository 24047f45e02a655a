/* An article's Markdown as HTML, and a snippet of it for search results.
 *
 * cmark 0.30 renders safely unless asked not to (CMARK_OPT_UNSAFE, never
 * passed here): raw HTML blocks and inline tags become an "omitted"
 * comment, and link and image URLs with javascript:, vbscript:, file: or
 * data: (other than data:image/png, gif, jpeg or webp) become empty. So
 * its output is the one piece of raw HTML the kb and help templates
 * print, and tests/e2e/service_kb.sh posts the inputs that would get
 * through if it were not. */
#include <string.h>

#include <cmark.h>

#include "extern.h"

/* cmark escapes < > & and " but leaves ' as it is in text. Its own markup
 * quotes attributes with ", so every ' in its output comes from the
 * article: written as &#39;, as the templates write it (STYLE rule 15), so
 * no apostrophe of an author's reaches the page raw in any context. */
static const char *
apostrophes(struct crm_ctx *c, const char *html)
{
	struct crm_buf out;
	const char *p, *q;

	if (strchr(html, '\'') == NULL)
		return html;
	crm_buf_init(&out, c->arena, strlen(html) + 64);
	for (p = html; (q = strchr(p, '\'')) != NULL; p = q + 1) {
		crm_buf_add(&out, p, (size_t)(q - p));
		crm_buf_puts(&out, "&#39;");
	}
	crm_buf_puts(&out, p);
	return out.data;
}

const char *
service_kb_html(struct crm_ctx *c, const char *markdown)
{
	char *html;

	html = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	if (html == NULL)
		return "";
	/* cmark allocates with its own allocator: released with the request. */
	crm_arena_cleanup(c->arena, cmark_get_default_mem_allocator()->free, html);
	return apostrophes(c, html);
}

/* Markdown's marks, which would read as noise in a line of plain text. */
static int
markup(unsigned char ch)
{
	return ch == '#' || ch == '*' || ch == '_' || ch == '`' || ch == '>' || ch == '[' || ch == ']' ||
	    ch == '<' || ch == '|' || ch == '~';
}

/* The first term of the query, lowercased when Latin, for finding where
 * in the body the snippet starts. */
static const char *
first_term(struct crm_ctx *c, const char *q, size_t *n)
{
	const char *p = q, *start;

	while (*p == ' ' || *p == '\t')
		p++;
	start = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*n = (size_t)(p - start);
	return crm_arena_strndup(c->arena, start, *n);
}

static int
same_blind(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

#define SNIPPET_BEFORE 60
#define SNIPPET_LEN 200

const char *
service_kb_snippet(struct crm_ctx *c, const char *body, const char *q)
{
	size_t len = strlen(body), n = 0, at = 0, start, end, i;
	const char *term = first_term(c, q ? q : "", &n);
	struct crm_buf out;
	int space = 0, in_tag = 0;

	if (n > 0)
		for (i = 0; i + n <= len; i++)
			if (same_blind(body + i, term, n)) {
				at = i;
				break;
			}
	start = at > SNIPPET_BEFORE ? at - SNIPPET_BEFORE : 0;
	/* Never start or end inside a UTF-8 sequence. */
	while (start > 0 && ((unsigned char)body[start] & 0xC0) == 0x80)
		start--;
	end = start + SNIPPET_LEN < len ? start + SNIPPET_LEN : len;
	while (end < len && ((unsigned char)body[end] & 0xC0) == 0x80)
		end++;
	crm_buf_init(&out, c->arena, SNIPPET_LEN + 8);
	if (start > 0)
		crm_buf_puts(&out, "… ");
	for (i = start; i < end; i++) {
		unsigned char ch = (unsigned char)body[i];

		/* Raw HTML is not shown on the page either. */
		if (ch == '<')
			in_tag = 1;
		if (in_tag) {
			in_tag = ch != '>';
			continue;
		}
		if (markup(ch))
			continue;
		if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
			space = out.len > 0;
			continue;
		}
		if (space)
			crm_buf_putc(&out, ' ');
		space = 0;
		crm_buf_putc(&out, (char)ch);
	}
	if (end < len)
		crm_buf_puts(&out, " …");
	return out.data ? out.data : "";
}
