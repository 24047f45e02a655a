/* Phone numbers to E.164 and e-mail addresses to one case. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crm_phone.h"
#include "crm_valid.h"

#define DIGITS_MAX 32           /* past E.164's 15, to tell "too long" apart */

/* Countries a number may be typed in without an international prefix. */
struct phone_country {
	const char *iso;        /* ISO 3166-1 alpha-2 */
	const char *cc;         /* calling code */
	const char *trunk;      /* national prefix dropped after the calling code */
	const char *idd;        /* international prefix besides the usual 00 */
};

static const struct phone_country countries[] = {
	{ "US", "1", "1", "011" },
	{ "CA", "1", "1", "011" },
	{ "GB", "44", "0", NULL },
	{ "IE", "353", "0", NULL },
	{ "CN", "86", "0", NULL },
	{ "HK", "852", NULL, NULL },
	{ "MO", "853", NULL, NULL },
	{ "TW", "886", "0", "002" },
	{ "JP", "81", "0", "010" },
	{ "KR", "82", "0", NULL },
	{ "SG", "65", NULL, NULL },
	{ "MY", "60", "0", NULL },
	{ "TH", "66", "0", NULL },
	{ "VN", "84", "0", NULL },
	{ "PH", "63", "0", NULL },
	{ "ID", "62", "0", NULL },
	{ "IN", "91", "0", NULL },
	{ "AU", "61", "0", "0011" },
	{ "NZ", "64", "0", NULL },
	{ "DE", "49", "0", NULL },
	{ "FR", "33", "0", NULL },
	{ "IT", "39", NULL, NULL },     /* the leading 0 is part of the number */
	{ "ES", "34", NULL, NULL },
	{ "PT", "351", NULL, NULL },
	{ "NL", "31", "0", NULL },
	{ "BE", "32", "0", NULL },
	{ "AT", "43", "0", NULL },
	{ "CH", "41", "0", NULL },
	{ "SE", "46", "0", NULL },
	{ "NO", "47", NULL, NULL },
	{ "DK", "45", NULL, NULL },
	{ "FI", "358", "0", NULL },
	{ "PL", "48", NULL, NULL },
	{ "RU", "7", "8", "810" },
	{ "TR", "90", "0", NULL },
	{ "IL", "972", "0", NULL },
	{ "AE", "971", "0", NULL },
	{ "SA", "966", "0", NULL },
	{ "ZA", "27", "0", NULL },
	{ "BR", "55", "0", NULL },
	{ "MX", "52", NULL, NULL },
	{ "AR", "54", "0", NULL },
};

/* Names people type in a country field. Compared ignoring case, spaces,
 * dots, dashes and apostrophes, so "U.S.A." and "new zealand" match. */
static const struct {
	const char *name;
	const char *iso;
} aliases[] = {
	{ "United States", "US" }, { "United States of America", "US" },
	{ "USA", "US" }, { "America", "US" }, { "美国", "US" },
	{ "Canada", "CA" }, { "加拿大", "CA" },
	{ "United Kingdom", "GB" }, { "UK", "GB" }, { "Great Britain", "GB" },
	{ "Britain", "GB" }, { "England", "GB" }, { "Scotland", "GB" },
	{ "Wales", "GB" }, { "Northern Ireland", "GB" }, { "英国", "GB" },
	{ "Ireland", "IE" }, { "爱尔兰", "IE" },
	{ "China", "CN" }, { "PRC", "CN" }, { "People's Republic of China", "CN" },
	{ "Mainland China", "CN" }, { "中国", "CN" }, { "中国大陆", "CN" },
	{ "中华人民共和国", "CN" },
	{ "Hong Kong", "HK" }, { "香港", "HK" }, { "中国香港", "HK" },
	{ "Macau", "MO" }, { "Macao", "MO" }, { "澳门", "MO" }, { "中国澳门", "MO" },
	{ "Taiwan", "TW" }, { "台湾", "TW" }, { "臺灣", "TW" }, { "中国台湾", "TW" },
	{ "Japan", "JP" }, { "日本", "JP" },
	{ "South Korea", "KR" }, { "Korea", "KR" }, { "Republic of Korea", "KR" },
	{ "韩国", "KR" }, { "南韩", "KR" },
	{ "Singapore", "SG" }, { "新加坡", "SG" },
	{ "Malaysia", "MY" }, { "马来西亚", "MY" },
	{ "Thailand", "TH" }, { "泰国", "TH" },
	{ "Vietnam", "VN" }, { "Viet Nam", "VN" }, { "越南", "VN" },
	{ "Philippines", "PH" }, { "菲律宾", "PH" },
	{ "Indonesia", "ID" }, { "印度尼西亚", "ID" }, { "印尼", "ID" },
	{ "India", "IN" }, { "印度", "IN" },
	{ "Australia", "AU" }, { "澳大利亚", "AU" }, { "澳洲", "AU" },
	{ "New Zealand", "NZ" }, { "新西兰", "NZ" },
	{ "Germany", "DE" }, { "Deutschland", "DE" }, { "德国", "DE" },
	{ "France", "FR" }, { "法国", "FR" },
	{ "Italy", "IT" }, { "意大利", "IT" },
	{ "Spain", "ES" }, { "西班牙", "ES" },
	{ "Portugal", "PT" }, { "葡萄牙", "PT" },
	{ "Netherlands", "NL" }, { "The Netherlands", "NL" }, { "Holland", "NL" },
	{ "荷兰", "NL" },
	{ "Belgium", "BE" }, { "比利时", "BE" },
	{ "Austria", "AT" }, { "奥地利", "AT" },
	{ "Switzerland", "CH" }, { "瑞士", "CH" },
	{ "Sweden", "SE" }, { "瑞典", "SE" },
	{ "Norway", "NO" }, { "挪威", "NO" },
	{ "Denmark", "DK" }, { "丹麦", "DK" },
	{ "Finland", "FI" }, { "芬兰", "FI" },
	{ "Poland", "PL" }, { "波兰", "PL" },
	{ "Russia", "RU" }, { "Russian Federation", "RU" }, { "俄罗斯", "RU" },
	{ "Turkey", "TR" }, { "Türkiye", "TR" }, { "土耳其", "TR" },
	{ "Israel", "IL" }, { "以色列", "IL" },
	{ "United Arab Emirates", "AE" }, { "UAE", "AE" }, { "阿联酋", "AE" },
	{ "Saudi Arabia", "SA" }, { "沙特阿拉伯", "SA" }, { "沙特", "SA" },
	{ "South Africa", "ZA" }, { "南非", "ZA" },
	{ "Brazil", "BR" }, { "Brasil", "BR" }, { "巴西", "BR" },
	{ "Mexico", "MX" }, { "México", "MX" }, { "墨西哥", "MX" },
	{ "Argentina", "AR" }, { "阿根廷", "AR" },
};

/* Assigned ITU-T E.164 calling codes (geographic and global services),
 * as ranges. Calling codes are prefix-free, so at most one length fits. */
static const struct {
	short lo, hi;
} codes[] = {
	{ 1, 1 }, { 7, 7 },
	{ 20, 20 }, { 27, 27 }, { 30, 34 }, { 36, 36 }, { 39, 41 }, { 43, 49 },
	{ 51, 58 }, { 60, 66 }, { 81, 82 }, { 84, 84 }, { 86, 86 }, { 90, 95 },
	{ 98, 98 },
	{ 211, 213 }, { 216, 216 }, { 218, 218 }, { 220, 258 }, { 260, 269 },
	{ 290, 291 }, { 297, 299 }, { 350, 359 }, { 370, 378 }, { 380, 383 },
	{ 385, 387 }, { 389, 389 }, { 420, 421 }, { 423, 423 }, { 500, 509 },
	{ 590, 599 }, { 670, 670 }, { 672, 683 }, { 685, 692 }, { 800, 800 },
	{ 808, 808 }, { 850, 850 }, { 852, 853 }, { 855, 856 }, { 870, 870 },
	{ 878, 878 }, { 880, 883 }, { 886, 886 }, { 888, 888 }, { 960, 968 },
	{ 970, 977 }, { 979, 979 }, { 992, 996 }, { 998, 998 },
};

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
name_skip(int c)
{
	return c == ' ' || c == '\t' || c == '.' || c == '-' || c == '\'' || c == '_';
}

/* Equal ignoring ASCII case and the punctuation people sprinkle in names. */
static int
name_eq(const char *a, const char *b)
{
	for (;;) {
		while (name_skip(*a))
			a++;
		while (name_skip(*b))
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

static const struct phone_country *
by_iso(const char *iso)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(countries); i++)
		if (name_eq(countries[i].iso, iso))
			return &countries[i];
	return NULL;
}

static const struct phone_country *
country_find(const char *country)
{
	const struct phone_country *pc;
	size_t i;

	if (country == NULL || country[0] == '\0')
		return NULL;
	if ((pc = by_iso(country)) != NULL)
		return pc;
	for (i = 0; i < CRM_NELEM(aliases); i++)
		if (name_eq(aliases[i].name, country))
			return by_iso(aliases[i].iso);
	return NULL;
}

/* Length of the assigned calling code that starts d, or 0. */
static size_t
calling_code_len(const char *d)
{
	size_t i, len;
	int v = 0;

	if (d[0] < '1' || d[0] > '9')
		return 0;
	for (len = 1; len <= 3 && d[len - 1] != '\0'; len++) {
		v = v * 10 + (d[len - 1] - '0');
		for (i = 0; i < CRM_NELEM(codes); i++)
			if (v >= codes[i].lo && v <= codes[i].hi)
				return len;
	}
	return 0;
}

enum tok {
	TOK_END,
	TOK_DIGIT,
	TOK_PLUS,
	TOK_SEP,        /* ignored: spaces, dashes, dots, slashes, parentheses */
	TOK_EXT,        /* an extension follows: the number ends here */
	TOK_OTHER
};

static int
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Reads one character at *sp, advances past it and classifies it; a digit
 * goes to *digit. ASCII first, then the full-width and typographic forms
 * that arrive from Chinese input methods and word processors. */
static enum tok
next_tok(const char **sp, char *digit)
{
	static const char *const seps[] = {
		"\xC2\xA0",             /* no-break space */
		"\xE3\x80\x80",         /* ideographic space */
		"\xEF\xBC\x88", "\xEF\xBC\x89", /* full-width ( ) */
		"\xEF\xBC\x8D", "\xEF\xBC\x8E", "\xEF\xBC\x8F", /* full-width - . / */
		"\xE2\x80\x90", "\xE2\x80\x91", "\xE2\x80\x92", /* hyphens, figure dash */
		"\xE2\x80\x93", "\xE2\x80\x94", /* en and em dash */
		"\xE2\x88\x92",         /* minus sign */
	};
	static const char *const exts[] = {
		"\xE8\xBD\xAC",                 /* 转 */
		"\xE5\x88\x86\xE6\x9C\xBA",     /* 分机 */
		"\xEF\xBC\x83",                 /* full-width # */
	};
	const char *s = *sp;
	unsigned char c = (unsigned char)*s;
	size_t i;

	if (c == '\0')
		return TOK_END;
	*sp = s + 1;
	if (c >= '0' && c <= '9') {
		*digit = (char)c;
		return TOK_DIGIT;
	}
	if (c == '+')
		return TOK_PLUS;
	if (strchr(" \t\r\n-./()[]", c) != NULL)
		return TOK_SEP;
	if (strchr("xX#,;", c) != NULL)
		return TOK_EXT;
	if (ascii_lower(c) == 'e' && ascii_lower((unsigned char)s[1]) == 'x' &&
	    ascii_lower((unsigned char)s[2]) == 't')
		return TOK_EXT;
	if (c < 0x80)
		return TOK_OTHER;
	/* Full-width digits U+FF10..U+FF19 and plus U+FF0B. */
	if (c == 0xEF && (unsigned char)s[1] == 0xBC) {
		unsigned char c2 = (unsigned char)s[2];

		if (c2 >= 0x90 && c2 <= 0x99) {
			*sp = s + 3;
			*digit = (char)('0' + c2 - 0x90);
			return TOK_DIGIT;
		}
		if (c2 == 0x8B) {
			*sp = s + 3;
			return TOK_PLUS;
		}
	}
	for (i = 0; i < CRM_NELEM(seps); i++)
		if (has_prefix(s, seps[i])) {
			*sp = s + strlen(seps[i]);
			return TOK_SEP;
		}
	for (i = 0; i < CRM_NELEM(exts); i++)
		if (has_prefix(s, exts[i]))
			return TOK_EXT;
	return TOK_OTHER;
}

/* The digits of a number up to its extension, and whether a '+' led it.
 * 0 for letters, a '+' after a digit, or more than DIGITS_MAX digits. */
static int
scan_number(const char *in, char *d, int *plus)
{
	const char *s = in;
	size_t n = 0;
	char digit = 0;

	*plus = 0;
	if (strncasecmp(s, "tel:", 4) == 0)
		s += 4;
	for (;;) {
		/* "+44 (0)20 ...": the trunk prefix shown for national callers. */
		if (n > 0 && has_prefix(s, "(0)")) {
			s += 3;
			continue;
		}
		switch (next_tok(&s, &digit)) {
		case TOK_END:
			d[n] = '\0';
			return n > 0;
		case TOK_DIGIT:
			if (n == DIGITS_MAX)
				return 0;
			d[n++] = digit;
			break;
		case TOK_PLUS:
			if (n > 0 || *plus)
				return 0;
			*plus = 1;
			break;
		case TOK_SEP:
			break;
		case TOK_EXT:
			/* Before any digit an 'x' is just a letter. */
			if (n == 0)
				return 0;
			d[n] = '\0';
			return 1;
		case TOK_OTHER:
			return 0;
		}
	}
}

static const struct phone_country *
by_calling_code(const char *cc, size_t len)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(countries); i++)
		if (strlen(countries[i].cc) == len && strncmp(countries[i].cc, cc, len) == 0)
			return &countries[i];
	return NULL;
}

int
crm_phone_e164(const char *in, const char *country, char *out, size_t outlen)
{
	char d[DIGITS_MAX + 1], num[DIGITS_MAX + 4];
	const struct phone_country *pc;
	const char *intl, *nat;
	size_t cclen, len;
	int plus;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (in == NULL || out == NULL || !scan_number(in, d, &plus))
		return 0;
	pc = country_find(country);
	if (plus)
		intl = d;
	else if (pc != NULL && pc->idd != NULL && has_prefix(d, pc->idd))
		intl = d + strlen(pc->idd);
	else if (has_prefix(d, "00"))
		intl = d + 2;
	else if (pc != NULL) {
		nat = d;
		if (pc->trunk != NULL && has_prefix(nat, pc->trunk))
			nat += strlen(pc->trunk);
		snprintf(num, sizeof(num), "%s%s", pc->cc, nat);
		intl = num;
	} else
		return 0;
	if (intl != num)
		snprintf(num, sizeof(num), "%s", intl);

	if ((cclen = calling_code_len(num)) == 0)
		return 0;
	/* "+44 020 ...", "0086 010 ...": national habit after the calling code.
	 * Only where 0 is the trunk prefix: Italian numbers keep theirs. */
	pc = by_calling_code(num, cclen);
	if (num[cclen] == '0' && pc != NULL && pc->trunk != NULL && strcmp(pc->trunk, "0") == 0)
		memmove(num + cclen, num + cclen + 1, strlen(num + cclen));
	len = strlen(num);
	if (len < 8 || len > 15)
		return 0;
	/* North America is the one plan where every number has one length,
	 * and neither area code nor exchange starts with 0 or 1. */
	if (num[0] == '1' && (len != 11 || num[1] < '2' || num[4] < '2'))
		return 0;
	if (len + 2 > outlen)
		return 0;
	out[0] = '+';
	memcpy(out + 1, num, len + 1);
	return 1;
}

int
crm_phone_digits(const char *in, char *out, size_t outlen)
{
	const char *s = in;
	size_t n = 0;
	char digit = 0;
	enum tok t;

	if (s != NULL) {
		while ((t = next_tok(&s, &digit)) != TOK_END) {
			if (t == TOK_EXT && n > 0)
				break;
			if (t != TOK_DIGIT)
				continue;
			if (n + 1 < outlen)
				out[n] = digit;
			n++;
		}
	}
	if (outlen > 0)
		out[n < outlen ? n : outlen - 1] = '\0';
	return (int)n;
}

/* Bytes of white space at s: ASCII, no-break space, ideographic space. */
static size_t
space_at(const char *s)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	if (has_prefix(s, "\xC2\xA0"))
		return 2;
	if (has_prefix(s, "\xE3\x80\x80"))
		return 3;
	return 0;
}

/* Bytes of white space ending just before e, not reaching before start. */
static size_t
space_before(const char *start, const char *e)
{
	size_t k;

	for (k = 1; k <= 3 && k <= (size_t)(e - start); k++)
		if (space_at(e - k) == k)
			return k;
	return 0;
}

int
crm_email_normalise(const char *in, char *out, size_t outlen)
{
	const char *e;
	size_t i, k, n;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (in == NULL || out == NULL)
		return 0;
	while ((k = space_at(in)) > 0)
		in += k;
	e = in + strlen(in);
	while ((k = space_before(in, e)) > 0)
		e -= k;
	n = (size_t)(e - in);
	if (n >= outlen)
		return 0;
	for (i = 0; i < n; i++)
		out[i] = (char)ascii_lower((unsigned char)in[i]);
	out[n] = '\0';
	if (!crm_valid_email(out)) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}
