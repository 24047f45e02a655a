/* Finding @mentions in text (crm_mention.h). */
#include <string.h>

#include "crm_mention.h"

/* What may come before the @ of an address: then it is not a mention.
 * ASCII only, so that "请@张伟" in Chinese text is one. */
static int
address_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	    ch == '.' || ch == '_' || ch == '-' || ch == '+';
}

/* What a local part or a name's word is made of: those, and any
 * non-ASCII byte (names in other scripts). */
static int
word_char(unsigned char ch)
{
	return address_char(ch) || ch >= 0x80;
}

/* Reads the words after "@" at p into m; 0 when there is none. */
static int
parse(const char *p, struct crm_mention *m)
{
	size_t i = 0, k, words = 0, li;

	memset(m, 0, sizeof(*m));
	while (words < 3) {
		size_t start = i, end;

		while (p[i] != '\0' && word_char((unsigned char)p[i]) && i - start < CRM_MENTION_MAX_NAME / 2)
			i++;
		if (i == start)
			break;
		end = i;
		while (end > start && (p[end - 1] == '.' || p[end - 1] == '-'))
			end--;
		if (end == start)
			break;
		if (words == 0) {
			for (k = start, li = 0; k < end && li < CRM_MENTION_MAX_NAME - 2; k++) {
				if (p[k] == '%' || p[k] == '_' || p[k] == '\\')
					m->local[li++] = '\\';
				m->local[li++] = p[k];
			}
			m->local[li] = '\0';
		}
		/* Words n: the text from the first word to the end of this one. */
		if (end < CRM_MENTION_MAX_NAME) {
			memcpy(m->words[words], p, end);
			m->words[words][end] = '\0';
		}
		words++;
		/* A name goes on after one space, not after punctuation. */
		if (end != i || p[i] != ' ')
			break;
		i++;
	}
	return words > 0;
}

size_t
crm_mention_find(const char *text, struct crm_mention *out, size_t max)
{
	const char *p;
	size_t n = 0;

	for (p = text ? strchr(text, '@') : NULL; p != NULL && n < max; p = strchr(p + 1, '@')) {
		if (p > text && address_char((unsigned char)p[-1]))
			continue;
		if (parse(p + 1, &out[n]))
			n++;
	}
	return n;
}
