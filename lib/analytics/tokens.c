/* The sentiment tokeniser (tokens.h). Words are lowercased into a small
 * buffer; CJK characters and bigrams are slices of the text itself, since
 * two adjacent characters are adjacent bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"
#include "analytics/tokens.h"

/* The code point at s (at most n bytes) and its length in *used; -1 and a
 * length of 1 for a byte that does not start a valid sequence. */
static long
decode(const unsigned char *s, size_t n, size_t *used)
{
	long cp;
	size_t k, need;

	*used = 1;
	if (s[0] < 0x80)
		return s[0];
	if ((s[0] & 0xe0) == 0xc0) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		need = 4;
		cp = s[0] & 0x07;
	} else
		return -1;
	if (need > n)
		return -1;
	for (k = 1; k < need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	/* Overlong forms and surrogates are not characters. */
	if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*used = need;
	return cp;
}

static int
is_cjk(long cp)
{
	return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf);
}

static int
is_word(long cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '\'';
}

size_t
crm_tokens(const char *text, size_t len, void (*emit)(void *, const char *, size_t), void *arg)
{
	const unsigned char *s = (const unsigned char *)text;
	char small[128], *word = small;
	size_t i = 0, used, wlen, cap = sizeof(small), count = 0, start, nchars, k;
	size_t at[2];
	long cp;

	while (i < len) {
		cp = decode(s + i, len - i, &used);
		if (is_word(cp)) {
			for (wlen = 0; i < len && is_word(s[i]); i++) {
				if (wlen == cap) {
					cap *= 2;
					word = word == small ? memcpy(crm_xmalloc(cap), small, wlen) : crm_xrealloc(word, cap);
				}
				word[wlen++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + ('a' - 'A') : s[i]);
			}
			emit(arg, word, wlen);
			count++;
		} else if (is_cjk(cp)) {
			/* The run's characters first, then its bigrams. */
			start = i;
			for (nchars = 0; i < len && is_cjk(decode(s + i, len - i, &used)); i += used, nchars++) {
				emit(arg, text + i, used);
				count++;
			}
			at[0] = start;
			for (k = 1; k < nchars; k++) {
				decode(s + at[0], len - at[0], &used);
				at[1] = at[0] + used;
				decode(s + at[1], len - at[1], &used);
				emit(arg, text + at[0], at[1] + used - at[0]);
				count++;
				at[0] = at[1];
			}
		} else
			i += used;
	}
	if (word != small)
		free(word);
	return count;
}
