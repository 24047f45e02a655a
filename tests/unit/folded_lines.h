/* For the tests of the writers that fold lines (iCalendar, vCard): checks
 * every physical line and unfolds them. Included after cmocka.h. */
#ifndef TEST_FOLDED_LINES_H
#define TEST_FOLDED_LINES_H

/* Whether s[0..n) is well-formed UTF-8, checked here independently of
 * the writer's own decoder. */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			len = 2;
			cp = s[i] & 0x1F;
		} else if ((s[i] & 0xF0) == 0xE0) {
			len = 3;
			cp = s[i] & 0x0F;
		} else if ((s[i] & 0xF8) == 0xF0) {
			len = 4;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Checks the physical lines of out (each at most 75 octets before its
 * CRLF, no bare CR or LF, each valid UTF-8 on its own, so no fold split a
 * character, and none ending inside a backslash escape) and returns the
 * unfolded text, to be freed.
 */
static char *
check_lines(const char *out)
{
	const char *p = out, *eol;
	char *unfolded = calloc(1, strlen(out) + 1);
	size_t n, u = 0, bs;

	assert_non_null(unfolded);
	while (*p) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		n = (size_t)(eol - p);
		assert_true(n <= 75);
		assert_null(memchr(p, '\r', n));
		assert_null(memchr(p, '\n', n));
		assert_true(utf8_ok((const unsigned char *)p, n));
		for (bs = 0; bs < n && p[n - 1 - bs] == '\\'; bs++)
			continue;
		assert_true(bs % 2 == 0);
		if (*p == ' ') {
			/* A continuation: unfolding removes CRLF and the space. */
			assert_true(u >= 2);
			u -= 2;
			memcpy(unfolded + u, p + 1, n - 1);
			u += n - 1;
		} else {
			memcpy(unfolded + u, p, n);
			u += n;
		}
		memcpy(unfolded + u, "\r\n", 2);
		u += 2;
		p = eol + 2;
	}
	unfolded[u] = '\0';
	return unfolded;
}

#endif
