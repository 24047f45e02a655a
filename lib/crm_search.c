/* The search box's text as a Mroonga boolean-mode query. Mroonga's own
 * parser fails on an unbalanced parenthesis and treats a leading '-' as
 * "not", so no user text reaches it unquoted unless it is plain letters
 * and digits. */
#include <string.h>

#include "crm_search.h"

static int
plain_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
			return 0;
	}
	return 1;
}

int
crm_search_query(struct crm_buf *out, const char *text)
{
	const char *p = text ? text : "", *start;
	size_t n, i, kept;
	int terms = 0;

	crm_buf_puts(out, "*D+");
	while (*p && terms < CRM_SEARCH_MAX_TERMS) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		n = (size_t)(p - start);
		if (n == 0)
			break;
		if (plain_word(start, n)) {
			/* One Latin letter matches half the table: not a search. */
			if (n < 2 && !(start[0] >= '0' && start[0] <= '9'))
				continue;
			/* Lowercase: the index is case-blind, and "OR" would be an
			 * operator. */
			crm_buf_putc(out, ' ');
			for (i = 0; i < n; i++)
				crm_buf_putc(out, start[i] >= 'A' && start[i] <= 'Z' ? start[i] + 32 : start[i]);
			crm_buf_putc(out, '*');
			terms++;
			continue;
		}
		kept = 0;
		crm_buf_puts(out, " \"");
		for (i = 0; i < n; i++)
			if (start[i] != '"' && start[i] != '\\') {
				crm_buf_putc(out, start[i]);
				kept++;
			}
		if (kept == 0) {
			out->len -= 2;
			out->data[out->len] = '\0';
			continue;
		}
		crm_buf_putc(out, '"');
		terms++;
	}
	return terms;
}
