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

/* Words half the companies have: as search terms they match half the
 * index (Groonga finds every match before ranking) and narrow nothing. */
static const char *const latin_stop[] = { "ltd", "inc", "co", "llc", "gmbh", "limited", "corp", NULL };
static const char *const cjk_suffix[] = { "股份有限公司", "有限公司", "公司", "集团", NULL };

static int
latin_stopword(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; latin_stop[i]; i++) {
		if (strlen(latin_stop[i]) != n)
			continue;
		for (k = 0; k < n && (s[k] | 0x20) == latin_stop[i][k]; k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

/* "华东贸易有限公司" searches as "华东贸易". */
static size_t
without_suffix(const char *s, size_t n)
{
	size_t i, m;

	for (i = 0; cjk_suffix[i]; i++) {
		m = strlen(cjk_suffix[i]);
		if (n >= m && memcmp(s + n - m, cjk_suffix[i], m) == 0)
			return n > m ? n - m : n;       /* the suffix alone stays */
	}
	return n;
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
			if ((n < 2 && !(start[0] >= '0' && start[0] <= '9')) || latin_stopword(start, n))
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
		n = without_suffix(start, n);
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
