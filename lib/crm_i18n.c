/* Catalogs, language negotiation and locale formatting: see crm_i18n.h.
 *
 * Nothing here touches the C locale, TZ or gettext's globals: a worker
 * switches language and time zone from one request to the next, and
 * setlocale or setenv("TZ") per request would be slow and would leak one
 * request's settings into the next. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm_i18n.h"
#include "crm_num.h"

#define MO_MAGIC 0x950412deu
#define MO_HEADER 28
#define MO_MAX_SIZE (64u << 20)
#define LANG_MAX 15             /* "zh_Hans", "es_419" fit */
#define MAX_CATALOGS 64
#define RANGE_MAX 35            /* the longest language range we consider */

struct entry {
	uint32_t hash;
	const char *msgid;      /* NULL: an empty slot */
	const char *msgstr;
};

struct crm_i18n_catalog {
	char name[LANG_MAX + 1];        /* "zh_CN", from the file name */
	char tag[LANG_MAX + 1];         /* "zh-CN" */
	unsigned char *data;            /* the whole .mo: entries point into it */
	struct entry *tab;              /* open addressing, a power of two */
	size_t cap;
};

struct crm_i18n {
	struct crm_i18n_catalog *cat;   /* sorted by name */
	size_t ncat;
};

static enum crm_err fail(char *err, size_t errlen, enum crm_err e, const char *path,
    const char *fmt, ...) CRM_PRINTF(5, 6);

static enum crm_err
fail(char *err, size_t errlen, enum crm_err e, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (err == NULL || errlen == 0)
		return e;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", path, msg);
	return e;
}

/* Reads a whole regular file of at most max bytes, NUL-terminated for
 * safety. Returns 0 or an errno value; EFBIG when it is too large. */
static int
slurp(const char *path, size_t max, unsigned char **out, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0, size;
	ssize_t r;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno;
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return EINVAL;
	}
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		return EFBIG;
	}
	size = (size_t)st.st_size;
	buf = crm_xmalloc(size + 1);
	while (got < size) {
		r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {   /* an error, or the file shrank under us */
			e = r < 0 ? errno : EIO;
			free(buf);
			close(fd);
			return e;
		}
		got += (size_t)r;
	}
	close(fd);
	buf[size] = '\0';
	*out = buf;
	*len = size;
	return 0;
}

/* ---- catalogs ---- */

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;       /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static const char *
cat_lookup(const struct crm_i18n_catalog *c, const char *msgid)
{
	uint32_t h;
	size_t i;

	if (c == NULL || msgid == NULL)
		return NULL;
	h = hash_str(msgid);
	for (i = h & (c->cap - 1); c->tab[i].msgid != NULL; i = (i + 1) & (c->cap - 1))
		if (c->tab[i].hash == h && strcmp(c->tab[i].msgid, msgid) == 0)
			return c->tab[i].msgstr;
	return NULL;
}

static void
cat_insert(struct crm_i18n_catalog *c, const char *msgid, const char *msgstr)
{
	uint32_t h = hash_str(msgid);
	size_t i;

	for (i = h & (c->cap - 1); c->tab[i].msgid != NULL; i = (i + 1) & (c->cap - 1))
		if (c->tab[i].hash == h && strcmp(c->tab[i].msgid, msgid) == 0)
			return;         /* msgfmt writes no duplicates; keep the first */
	c->tab[i].hash = h;
	c->tab[i].msgid = msgid;
	c->tab[i].msgstr = msgstr;
}

/* Strings go into pages unescaped (template text), so a catalog must hold
 * well-formed UTF-8: no overlongs, surrogates or truncated sequences. */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;
	uint32_t cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			k = 1, cp = s[i] & 0x1f, min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			k = 2, cp = s[i] & 0x0f, min = 0x800;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			k = 3, cp = s[i] & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= k)
			return 0;
		for (j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* The header entry names the charset msgfmt copied from the .po; we serve
 * UTF-8 and convert nothing. No charset at all is taken as UTF-8. */
static int
charset_ok(const char *header)
{
	static const char *const ok[] = { "UTF-8", "utf8", "ASCII", "US-ASCII" };
	const char *p = strstr(header, "charset=");
	size_t n, i;

	if (p == NULL)
		return 1;
	p += 8;
	n = strcspn(p, " \t;\r\n");
	for (i = 0; i < CRM_NELEM(ok); i++)
		if (n == strlen(ok[i]) && strncasecmp(p, ok[i], n) == 0)
			return 1;
	return 0;
}

static uint32_t
mo_u32(const unsigned char *p, int big_endian)
{
	if (big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* String i of the table at off (already checked to lie in the file).
 * Returns NULL with *why set when it is out of range or unterminated. */
static const char *
mo_string(const unsigned char *d, size_t size, uint32_t off, uint32_t i, int be,
    uint32_t *len, const char **why)
{
	uint32_t at = mo_u32(d + off + (size_t)i * 8 + 4, be);

	*len = mo_u32(d + off + (size_t)i * 8, be);
	if ((uint64_t)at + *len + 1 > size) {
		*why = "out of range";
		return NULL;
	}
	if (d[at + *len] != '\0') {
		*why = "not NUL-terminated";
		return NULL;
	}
	return (const char *)d + at;
}

/* The GNU .mo format: a header of 32-bit words in the byte order of the
 * machine that wrote it, two tables of (length, offset) pairs for the
 * msgids and msgstrs, and the strings. gettext's own hash table is not
 * used: we build ours, so a corrupt one cannot mislead us. */
static enum crm_err
mo_parse(struct crm_i18n_catalog *c, size_t size, const char *path, char *err,
    size_t errlen)
{
	const unsigned char *d = c->data;
	const char *id, *str, *why = NULL;
	uint32_t n, otab, ttab, idlen, slen, i;
	int be;

	if (size < MO_HEADER)
		return fail(err, errlen, CRM_EINVAL, path, "truncated: %zu bytes", size);
	if (mo_u32(d, 0) == MO_MAGIC)
		be = 0;
	else if (mo_u32(d, 1) == MO_MAGIC)
		be = 1;
	else
		return fail(err, errlen, CRM_EINVAL, path, "not a GNU .mo file (bad magic)");
	if (mo_u32(d + 4, be) >> 16 > 1)
		return fail(err, errlen, CRM_EINVAL, path, "unsupported .mo revision %u",
		    (unsigned)(mo_u32(d + 4, be) >> 16));
	n = mo_u32(d + 8, be);
	otab = mo_u32(d + 12, be);
	ttab = mo_u32(d + 16, be);
	if ((uint64_t)otab + (uint64_t)n * 8 > size || (uint64_t)ttab + (uint64_t)n * 8 > size)
		return fail(err, errlen, CRM_EINVAL, path, "string table out of range");
	for (c->cap = 8; c->cap < (size_t)n * 2; c->cap *= 2)
		;
	c->tab = crm_xcalloc(c->cap, sizeof(*c->tab));
	for (i = 0; i < n; i++) {
		if ((id = mo_string(d, size, otab, i, be, &idlen, &why)) == NULL ||
		    (str = mo_string(d, size, ttab, i, be, &slen, &why)) == NULL)
			return fail(err, errlen, CRM_EINVAL, path, "string %u %s", i, why);
		if (!utf8_ok((const unsigned char *)id, idlen) ||
		    !utf8_ok((const unsigned char *)str, slen))
			return fail(err, errlen, CRM_EINVAL, path, "string %u is not UTF-8", i);
		if (idlen == 0) {
			if (!charset_ok(str))
				return fail(err, errlen, CRM_EINVAL, path, "charset is not UTF-8");
			continue;
		}
		/* Plural forms (msgid NUL msgid_plural) and contexts (msgctxt
		 * EOT msgid) are not used yet: a plain lookup must not find
		 * them. Untranslated entries fall back to the msgid. */
		if (memchr(id, '\0', idlen) || memchr(id, '\004', idlen) || slen == 0)
			continue;
		cat_insert(c, id, str);
	}
	return CRM_OK;
}

static enum crm_err
load_mo(struct crm_i18n_catalog *c, const char *path, char *err, size_t errlen)
{
	size_t size = 0;
	int e = slurp(path, MO_MAX_SIZE, &c->data, &size);

	if (e == EFBIG)
		return fail(err, errlen, CRM_EINVAL, path, "larger than %u bytes", MO_MAX_SIZE);
	if (e != 0)
		return fail(err, errlen, CRM_EIO, path, "%s", strerror(e));
	return mo_parse(c, size, path, err, errlen);
}

static int
is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_alnum(int c)
{
	return is_lower(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ll, lll, or either with _ and a region or script: zh_CN, zh_Hans, es_419. */
static int
lang_name_ok(const char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n && is_lower(s[i]))
		i++;
	if (i < 2 || i > 3)
		return 0;
	if (i == n)
		return 1;
	if (s[i] != '_')
		return 0;
	for (j = ++i; j < n && is_alnum(s[j]); j++)
		;
	return j == n && n - i >= 2 && n - i <= 4;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Names of the <lang>.mo files in dir, sorted so languages list in a
 * stable order. Returns how many, or -1 with err set. */
static int
list_catalogs(const char *dir, char names[][LANG_MAX + 1], char *err, size_t errlen,
    enum crm_err *e)
{
	struct dirent *de;
	DIR *d;
	size_t len;
	int n = 0;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;       /* no translations installed: English only */
		*e = fail(err, errlen, CRM_EIO, dir, "%s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".mo") != 0)
			continue;
		if (!lang_name_ok(de->d_name, len - 3)) {
			*e = fail(err, errlen, CRM_EINVAL, dir, "%s: the name is not a language "
			    "(ll or ll_CC)", de->d_name);
			closedir(d);
			return -1;
		}
		if (n == MAX_CATALOGS) {
			*e = fail(err, errlen, CRM_EINVAL, dir, "more than %d catalogs", MAX_CATALOGS);
			closedir(d);
			return -1;
		}
		memcpy(names[n], de->d_name, len - 3);
		names[n++][len - 3] = '\0';
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_name);
	return n;
}

enum crm_err
crm_i18n_load(struct crm_i18n **out, const char *dir, char *err, size_t errlen)
{
	char names[MAX_CATALOGS][LANG_MAX + 1], path[PATH_MAX];
	struct crm_i18n *i18n;
	struct crm_i18n_catalog *c;
	enum crm_err e = CRM_OK;
	int n, i, k;

	*out = NULL;
	if ((n = list_catalogs(dir, names, err, errlen, &e)) < 0)
		return e;
	i18n = crm_xcalloc(1, sizeof(*i18n));
	i18n->cat = crm_xcalloc((size_t)n, sizeof(*i18n->cat));
	for (i = 0; i < n; i++) {
		c = &i18n->cat[i18n->ncat++];
		strcpy(c->name, names[i]);
		for (k = 0; names[i][k]; k++)
			c->tag[k] = names[i][k] == '_' ? '-' : names[i][k];
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.mo", dir, names[i]) >= sizeof(path))
			e = fail(err, errlen, CRM_EINVAL, dir, "path too long");
		else
			e = load_mo(c, path, err, errlen);
		if (e != CRM_OK) {
			crm_i18n_free(i18n);
			return e;
		}
	}
	*out = i18n;
	return CRM_OK;
}

void
crm_i18n_free(struct crm_i18n *i18n)
{
	size_t i;

	if (i18n == NULL)
		return;
	for (i = 0; i < i18n->ncat; i++) {
		free(i18n->cat[i].data);
		free(i18n->cat[i].tab);
	}
	free(i18n->cat);
	free(i18n);
}

const struct crm_i18n_catalog *
crm_i18n_catalog(const struct crm_i18n *i18n, const char *lang)
{
	size_t i;

	if (i18n == NULL || lang == NULL)
		return NULL;
	for (i = 0; i < i18n->ncat; i++)
		if (strcmp(i18n->cat[i].name, lang) == 0)
			return &i18n->cat[i];
	return NULL;
}

const char *
crm_i18n_text(const struct crm_i18n *i18n, const char *lang, const char *msgid)
{
	const char *s = cat_lookup(crm_i18n_catalog(i18n, lang), msgid);

	return s != NULL ? s : msgid;
}

const char *
crm_i18n_tmpl_translator(void *catalog, const char *msgid)
{
	const char *s = cat_lookup(catalog, msgid);

	return s != NULL ? s : msgid;
}

size_t
crm_i18n_languages(const struct crm_i18n *i18n, const char **out, size_t max)
{
	size_t n = 0, i;

	if (max > 0)
		out[0] = "en";
	n++;
	for (i = 0; i18n != NULL && i < i18n->ncat; i++) {
		if (strcmp(i18n->cat[i].name, "en") == 0)
			continue;       /* an en.mo only rewords the msgids */
		if (n < max)
			out[n] = i18n->cat[i].name;
		n++;
	}
	return n;
}

const char *
crm_i18n_tag(const struct crm_i18n *i18n, const char *lang)
{
	const struct crm_i18n_catalog *c = crm_i18n_catalog(i18n, lang);

	return c != NULL ? c->tag : "en";
}

/* ---- negotiation ---- */

/* The loaded language whose name is name, ignoring case. */
static const char *
find_lang(const struct crm_i18n *i18n, const char *name)
{
	size_t i;

	for (i = 0; i18n != NULL && i < i18n->ncat; i++)
		if (strcasecmp(i18n->cat[i].name, name) == 0)
			return i18n->cat[i].name;
	return NULL;
}

/* Regions that write Chinese in traditional characters. */
static int
traditional_region(const char *region)
{
	return strcmp(region, "tw") == 0 || strcmp(region, "hk") == 0 ||
	    strcmp(region, "mo") == 0;
}

/* Chinese is matched on the script, not the region: a reader in Taiwan
 * wants traditional characters, which zh_CN is not, while Singapore
 * writes simplified ones like the mainland. */
static const char *
match_zh(const struct crm_i18n *i18n, const char *script, const char *region)
{
	static const char *const hans[] = { "zh_CN", "zh_SG", "zh_Hans", "zh" };
	static const char *const hant[] = { "zh_TW", "zh_HK", "zh_MO", "zh_Hant" };
	const char *const *list;
	const char *lang;
	char name[8];
	int trad;
	size_t i;

	if (*script)
		trad = strcmp(script, "hant") == 0;
	else
		trad = traditional_region(region);
	if (*script && !trad && strcmp(script, "hans") != 0)
		return NULL;    /* zh-Latn (pinyin) and the like */
	if (*region && traditional_region(region) == trad) {
		snprintf(name, sizeof(name), "zh_%s", region);
		if ((lang = find_lang(i18n, name)) != NULL)
			return lang;
	}
	list = trad ? hant : hans;
	for (i = 0; i < 4; i++)
		if ((lang = find_lang(i18n, list[i])) != NULL)
			return lang;
	return NULL;
}

/* The loaded language a range (RFC 4647 basic filtering, "en-US",
 * "zh-Hans-CN", also "zh_CN") asks for, or NULL. */
static const char *
match_range(const struct crm_i18n *i18n, const char *range, size_t n)
{
	char buf[RANGE_MAX + 1], name[RANGE_MAX + 2];
	const char *sub[4] = { "", "", "", "" }, *script = "", *region = "", *lang;
	size_t i, nsub = 0, len;

	if (n == 1 && range[0] == '*')
		return "en";
	for (i = 0; i < n; i++) {
		char ch = range[i];

		if (ch == '_')
			ch = '-';
		else if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		else if (ch != '-' && !is_alnum(ch))
			return NULL;
		buf[i] = ch;
	}
	buf[n] = '\0';
	/* Split at the hyphens; an empty subtag ("en--us") is malformed. */
	for (i = 0; i <= n; i++) {
		if (buf[i] != '-' && buf[i] != '\0')
			continue;
		if (i == 0 || buf[i - 1] == '\0')
			return NULL;
		buf[i] = '\0';
	}
	for (i = 0; i < n && nsub < 4; i += strlen(buf + i) + 1)
		sub[nsub++] = buf + i;
	len = strlen(sub[0]);
	if (len < 2 || len > 3)
		return NULL;
	for (i = 0; i < len; i++)
		if (!is_lower(sub[0][i]))
			return NULL;
	/* Skip an extended language subtag (zh-cmn-Hans); then a script
	 * has four letters and a region two letters or three digits. */
	for (i = 1; i < nsub; i++) {
		len = strlen(sub[i]);
		if (len == 3 && is_lower(sub[i][0]) && i == 1)
			continue;
		if (len == 4 && !*script && !*region)
			script = sub[i];
		else if ((len == 2 || len == 3) && !*region)
			region = sub[i];
	}
	if (strcmp(sub[0], "en") == 0)
		return (lang = find_lang(i18n, "en")) != NULL ? lang : "en";
	if (strcmp(sub[0], "zh") == 0)
		return match_zh(i18n, script, region);
	if (*region) {
		snprintf(name, sizeof(name), "%s_%s", sub[0], region);
		if ((lang = find_lang(i18n, name)) != NULL)
			return lang;
	}
	if ((lang = find_lang(i18n, sub[0])) != NULL)
		return lang;
	/* "pt" is happy with pt_BR when that is all there is. */
	len = strlen(sub[0]);
	for (i = 0; i18n != NULL && i < i18n->ncat; i++)
		if (strncmp(i18n->cat[i].name, sub[0], len) == 0 && i18n->cat[i].name[len] == '_')
			return i18n->cat[i].name;
	return NULL;
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
 * thousandths; -1 when malformed. */
static int
qvalue(const char *s, const char *end)
{
	int v, scale = 100, digits = 0;

	if (s >= end || (*s != '0' && *s != '1'))
		return -1;
	v = (*s++ - '0') * 1000;
	if (s < end && *s == '.')
		for (s++; s < end && *s >= '0' && *s <= '9'; s++) {
			if (++digits > 3)
				return -1;
			v += (*s - '0') * scale;
			scale /= 10;
		}
	return s == end && v <= 1000 ? v : -1;
}

/* Parses one element of the list, "range *( OWS ; OWS param )", between
 * s and end. Returns its weight in thousandths, -1 when malformed. */
static int
element(const char *s, const char *end, const char **range, size_t *rlen)
{
	const char *p;
	int q = 1000;

	while (s < end && is_ows(*s))
		s++;
	for (*range = s; s < end && (is_alnum(*s) || *s == '-' || *s == '_' || *s == '*'); s++)
		;
	*rlen = (size_t)(s - *range);
	if (*rlen == 0 || *rlen > RANGE_MAX)
		return -1;
	while (s < end && is_ows(*s))
		s++;
	while (s < end && *s == ';') {
		for (s++; s < end && is_ows(*s); s++)
			;
		for (p = s; p < end && *p != ';' && !is_ows(*p); p++)
			;
		if (p - s >= 2 && (*s == 'q' || *s == 'Q') && s[1] == '=') {
			if ((q = qvalue(s + 2, p)) < 0)
				return -1;
		}
		for (s = p; s < end && is_ows(*s); s++)
			;
	}
	return s == end ? q : -1;
}

const char *
crm_i18n_negotiate(const struct crm_i18n *i18n, const char *header)
{
	const char *p = header, *end, *range, *lang, *best = NULL;
	int q, bestq = 0;
	size_t rlen;

	if (header == NULL)
		return "en";
	for (;;) {
		end = p + strcspn(p, ",");
		q = element(p, end, &range, &rlen);
		/* Strictly greater: on a tie the earlier range wins. */
		if (q > bestq && (lang = match_range(i18n, range, rlen)) != NULL) {
			best = lang;
			bestq = q;
		}
		if (*end == '\0')
			break;
		p = end + 1;
	}
	return best != NULL ? best : "en";
}

/* ---- numbers and money ---- */

/* Both languages we format for group thousands with commas and write a
 * decimal point; one that does not (de: 1.234,50) would need these per
 * language. */
#define GROUP ','
#define POINT '.'

static int
is_zh(const char *lang)
{
	return lang != NULL && lang[0] == 'z' && lang[1] == 'h' && (lang[2] == '\0' || lang[2] == '_');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Appends n digits with a separator before every group of three from
 * the right. */
static void
put_grouped(struct crm_buf *b, const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			crm_buf_putc(b, GROUP);
		crm_buf_putc(b, d[i]);
	}
}

void
crm_i18n_format_int(struct crm_buf *b, const char *lang, long long v)
{
	/* Through unsigned, so that LLONG_MIN has a magnitude. */
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	char d[24];
	size_t n = crm_num_u64(d, u);

	(void)lang;
	if (v < 0)
		crm_buf_putc(b, '-');
	put_grouped(b, d, n);
}

/* Symbols as CLDR writes them in each language: Chinese readers know the
 * yuan as plain ¥ and need the dollar told apart, English ones the
 * reverse. A currency not listed is written as its code after the amount. */
static const struct currency {
	char code[4];
	unsigned char minor;    /* digits after the point (ISO 4217) */
	const char *en, *zh;
} currencies[] = {
	{ "BHD", 3, NULL, NULL },
	{ "CLP", 0, NULL, NULL },
	{ "CNY", 2, "CN¥", "¥" },
	{ "EUR", 2, "€", "€" },
	{ "GBP", 2, "£", "£" },
	{ "HKD", 2, "HK$", "HK$" },
	{ "ISK", 0, NULL, NULL },
	{ "JOD", 3, NULL, NULL },
	{ "JPY", 0, "¥", "JP¥" },
	{ "KRW", 0, "₩", "₩" },
	{ "KWD", 3, NULL, NULL },
	{ "OMR", 3, NULL, NULL },
	{ "TND", 3, NULL, NULL },
	{ "TWD", 2, "NT$", "NT$" },
	{ "USD", 2, "$", "US$" },
	{ "VND", 0, "₫", "₫" },
};

/* The currency code upper-cased into code, or "" when it is not three
 * letters; *cur is its table row or NULL. */
static void
currency_of(const char *s, char code[4], const struct currency **cur)
{
	size_t i;

	*cur = NULL;
	code[0] = '\0';
	if (s == NULL)
		return;
	for (i = 0; i < 3; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z') && !is_lower(s[i]))
			return;
	if (s[3] != '\0')
		return;
	for (i = 0; i < 3; i++)
		code[i] = is_lower(s[i]) ? (char)(s[i] - 'a' + 'A') : s[i];
	code[3] = '\0';
	/* Four bytes, NUL included, compared as one word: a board formats a
	 * hundred amounts. */
	for (i = 0; i < CRM_NELEM(currencies); i++) {
		if (memcmp(currencies[i].code, code, 4) == 0) {
			*cur = &currencies[i];
			break;
		}
	}
}

void
crm_i18n_format_money(struct crm_buf *b, const char *lang, const char *decimal,
    const char *currency)
{
	const struct currency *cur;
	const char *s = decimal, *ip, *fp = "", *sym;
	size_t il, fl = 0, minor, i;
	int neg = 0, zero, ok;
	char code[4];

	if (decimal == NULL)
		return;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (ip = s; is_digit(*s); s++)
		;
	il = (size_t)(s - ip);
	ok = il > 0;
	if (*s == '.') {
		for (fp = ++s; is_digit(*s); s++)
			;
		fl = (size_t)(s - fp);
		ok &= fl > 0;
	}
	if (!ok || *s != '\0') {
		crm_buf_puts(b, decimal);
		return;
	}
	currency_of(currency, code, &cur);
	minor = cur != NULL ? cur->minor : 2;
	sym = cur == NULL ? NULL : is_zh(lang) ? cur->zh : cur->en;
	while (il > 1 && *ip == '0')
		ip++, il--;
	while (fl > minor && fp[fl - 1] == '0')
		fl--;
	zero = il == 1 && *ip == '0';
	for (i = 0; i < fl; i++)
		zero &= fp[i] == '0';
	if (neg && !zero)       /* "-0.00" is no debt */
		crm_buf_putc(b, '-');
	if (sym != NULL)
		crm_buf_puts(b, sym);
	put_grouped(b, ip, il);
	if (fl > 0 || minor > 0) {
		crm_buf_putc(b, POINT);
		crm_buf_add(b, fp, fl);
		for (i = fl; i < minor; i++)
			crm_buf_putc(b, '0');
	}
	if (sym == NULL && code[0] != '\0') {
		crm_buf_putc(b, ' ');
		crm_buf_puts(b, code);
	}
}

/* ---- calendar arithmetic (proleptic Gregorian, any year) ---- */

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* ---- time zones ----
 *
 * The compiled zoneinfo files (TZif, RFC 8536) are read directly rather
 * than through setenv("TZ") + localtime_r: that would change process
 * state per call and make glibc stat, and on every switch re-read, the
 * zone file. A zone is read once and kept in a small cache: its
 * transition table, and the POSIX TZ rule of its footer for times past
 * the table's end. A tzdata upgrade reaches a worker when it restarts. */

#define TZ_DIR "/usr/share/zoneinfo"
#define TZ_NAME_MAX 64
#define TZ_CACHE 16
#define TZ_FILE_MAX (1u << 20)
#define TZ_RULE_MAX 128

struct tz_rule {
	char kind;              /* 'J': Jn, 'n': zero-based day, 'M': Mm.w.d */
	int day, month, week, wday;
	long secs;              /* local time of day of the change */
};

struct tz_posix {
	long std, dst;          /* UT offsets, seconds east of Greenwich */
	int has_dst;
	struct tz_rule start, end;
};

struct tz_zone {
	char name[TZ_NAME_MAX + 1];     /* "": a free slot */
	int ok;                 /* 0: not a zone, cached so as not to retry */
	unsigned long used;     /* the cache clock at the last use */
	int64_t *times;         /* transitions, ascending */
	unsigned char *types;   /* the type in force from each transition */
	size_t ntimes;
	long *offs;             /* the UT offset of each type */
	size_t ntypes;
	int has_footer;
	struct tz_posix footer;
};

static struct tz_zone tz_cache[TZ_CACHE];
static unsigned long tz_clock;

/* A path below TZ_DIR and nothing else: "Asia/Shanghai", "Etc/GMT+8". */
static int
tz_name_ok(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > TZ_NAME_MAX || s[0] == '/' || s[n - 1] == '/')
		return 0;
	for (i = 0; i < n; i++) {
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '+' && s[i] != '-' && s[i] != '/')
			return 0;
		if (s[i] == '/' && s[i + 1] == '/')
			return 0;
	}
	return 1;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads up to maxd digits as a number; NULL when there are none. */
static const char *
tz_num(const char *s, int maxd, long *v)
{
	int n = 0;

	for (*v = 0; n < maxd && is_digit(*s); n++)
		*v = *v * 10 + (*s++ - '0');
	return n > 0 ? s : NULL;
}

/* [+-]hh[:mm[:ss]], hours up to maxh, as seconds. */
static const char *
tz_hms(const char *s, long maxh, long *out)
{
	long h, m = 0, sec = 0, sign = 1;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if ((s = tz_num(s, 3, &h)) == NULL || h > maxh)
		return NULL;
	if (*s == ':') {
		if ((s = tz_num(s + 1, 2, &m)) == NULL || m > 59)
			return NULL;
		if (*s == ':' && ((s = tz_num(s + 1, 2, &sec)) == NULL || sec > 59))
			return NULL;
	}
	*out = sign * (h * 3600 + m * 60 + sec);
	return s;
}

/* An abbreviation: three or more letters, or <quoted> like <+08>. */
static const char *
tz_abbr(const char *s)
{
	const char *p = s;

	if (*p == '<') {
		for (p++; is_alnum(*p) || *p == '+' || *p == '-'; p++)
			;
		return *p == '>' && p - s >= 4 ? p + 1 : NULL;
	}
	while ((*p >= 'A' && *p <= 'Z') || is_lower(*p))
		p++;
	return p - s >= 3 ? p : NULL;
}

static const char *
tz_rule_parse(const char *s, struct tz_rule *r)
{
	long v, w, d;

	if (*s == 'J') {
		if ((s = tz_num(s + 1, 3, &v)) == NULL || v < 1 || v > 365)
			return NULL;
		r->kind = 'J';
		r->day = (int)v;
	} else if (*s == 'M') {
		if ((s = tz_num(s + 1, 2, &v)) == NULL || v < 1 || v > 12 || *s != '.' ||
		    (s = tz_num(s + 1, 1, &w)) == NULL || w < 1 || w > 5 || *s != '.' ||
		    (s = tz_num(s + 1, 1, &d)) == NULL || d > 6)
			return NULL;
		r->kind = 'M';
		r->month = (int)v;
		r->week = (int)w;
		r->wday = (int)d;
	} else {
		if ((s = tz_num(s, 3, &v)) == NULL || v > 365)
			return NULL;
		r->kind = 'n';
		r->day = (int)v;
	}
	r->secs = 7200;
	/* RFC 8536 allows -167..167 hours here (TZif v3). */
	if (*s == '/')
		s = tz_hms(s + 1, 167, &r->secs);
	return s;
}

/* "EST5EDT,M3.2.0,M11.1.0", "CST-8", "<+0330>-3:30": POSIX offsets count
 * west, ours east. */
static int
tz_posix_parse(const char *s, struct tz_posix *p)
{
	long v;

	memset(p, 0, sizeof(*p));
	if ((s = tz_abbr(s)) == NULL || (s = tz_hms(s, 24, &v)) == NULL)
		return 0;
	p->std = -v;
	if (*s == '\0')
		return 1;
	if ((s = tz_abbr(s)) == NULL)
		return 0;
	p->has_dst = 1;
	p->dst = p->std + 3600;
	if (*s != '\0' && *s != ',') {
		if ((s = tz_hms(s, 24, &v)) == NULL)
			return 0;
		p->dst = -v;
	}
	if (*s == '\0') {
		/* No rule: glibc, like POSIX's example, assumes the US one. */
		p->start = (struct tz_rule){ 'M', 0, 3, 2, 0, 7200 };
		p->end = (struct tz_rule){ 'M', 0, 11, 1, 0, 7200 };
		return 1;
	}
	if (*s++ != ',' || (s = tz_rule_parse(s, &p->start)) == NULL ||
	    *s++ != ',' || (s = tz_rule_parse(s, &p->end)) == NULL)
		return 0;
	return *s == '\0';
}

/* The day (since the epoch) a rule falls on in year y. */
static int64_t
tz_rule_day(const struct tz_rule *r, int64_t y)
{
	int64_t first;
	int wd, day;

	switch (r->kind) {
	case 'J':               /* 1..365, February 29 never counted */
		return days_from_civil(y, 1, 1) + r->day - 1 + (is_leap(y) && r->day >= 60);
	case 'n':
		return days_from_civil(y, 1, 1) + r->day;
	default:                /* day wday of week `week` of the month, 5: the last */
		first = days_from_civil(y, r->month, 1);
		wd = (int)(first + 4 - floor_div(first + 4, 7) * 7);    /* 1970-01-01: Thursday */
		day = 1 + (r->wday - wd + 7) % 7 + (r->week - 1) * 7;
		while (day > days_in_month(y, r->month))
			day -= 7;
		return first + day - 1;
	}
}

static long
tz_posix_offset(const struct tz_posix *p, int64_t t)
{
	int64_t y, start, end;
	int m, d;

	if (!p->has_dst)
		return p->std;
	civil_from_days(floor_div(t + p->std, 86400), &y, &m, &d);
	/* DST starts at a standard local time and ends at a daylight one. */
	start = tz_rule_day(&p->start, y) * 86400 + p->start.secs - p->std;
	end = tz_rule_day(&p->end, y) * 86400 + p->end.secs - p->dst;
	if (start < end)
		return t >= start && t < end ? p->dst : p->std;
	/* The southern hemisphere, or Ireland's winter "daylight" time. */
	return t >= end && t < start ? p->std : p->dst;
}

static void
tz_free_tables(struct tz_zone *z)
{
	free(z->times);
	free(z->types);
	free(z->offs);
	z->times = NULL;
	z->types = NULL;
	z->offs = NULL;
	z->ntimes = z->ntypes = 0;
	z->has_footer = 0;
}

/* Fills z from a TZif file: the 64-bit data of version 2 and later
 * (after a version 1 block we skip), else the 32-bit data of version 1. */
static int
tz_parse(struct tz_zone *z, const unsigned char *d, size_t n)
{
	uint64_t cnt[6], tsz = 4, off = 0, need, i;
	const unsigned char *p;
	char rule[TZ_RULE_MAX];
	const unsigned char *nl;

	if (n < 44 || memcmp(d, "TZif", 4) != 0)
		return 0;
	for (i = 0; i < 6; i++)
		cnt[i] = be32(d + 20 + 4 * i);
	/* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
	if (d[4] >= '2') {
		off = 44 + cnt[3] * 5 + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] + cnt[0];
		if (off + 44 > n || memcmp(d + off, "TZif", 4) != 0)
			return 0;
		for (i = 0; i < 6; i++)
			cnt[i] = be32(d + off + 20 + 4 * i);
		tsz = 8;
	}
	off += 44;
	need = cnt[3] * (tsz + 1) + cnt[4] * 6 + cnt[5] + cnt[2] * (tsz + 4) + cnt[1] + cnt[0];
	if (cnt[4] == 0 || cnt[4] > 256 || off + need > n)
		return 0;
	z->ntimes = (size_t)cnt[3];
	z->ntypes = (size_t)cnt[4];
	z->times = crm_xmalloc(z->ntimes * sizeof(*z->times));
	z->types = crm_xmalloc(z->ntimes);
	z->offs = crm_xmalloc(z->ntypes * sizeof(*z->offs));
	p = d + off;
	for (i = 0; i < z->ntimes; i++, p += tsz) {
		z->times[i] = tsz == 8 ? (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)) :
		    (int32_t)be32(p);
		if (i > 0 && z->times[i] <= z->times[i - 1])
			return 0;
	}
	for (i = 0; i < z->ntimes; i++)
		if ((z->types[i] = *p++) >= z->ntypes)
			return 0;
	for (i = 0; i < z->ntypes; i++, p += 6)
		z->offs[i] = (int32_t)be32(p);
	if (tsz == 8 && off + need < n && d[off + need] == '\n') {
		p = d + off + need + 1;
		nl = memchr(p, '\n', n - (size_t)(off + need) - 1);
		/* An empty footer says there is no rule: the last type stays. */
		if (nl != NULL && nl > p && (size_t)(nl - p) < sizeof(rule)) {
			memcpy(rule, p, (size_t)(nl - p));
			rule[nl - p] = '\0';
			z->has_footer = tz_posix_parse(rule, &z->footer);
		}
	}
	return 1;
}

static void
tz_load(struct tz_zone *z)
{
	char path[sizeof(TZ_DIR) + TZ_NAME_MAX + 1];
	unsigned char *data;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", TZ_DIR, z->name);
	if (slurp(path, TZ_FILE_MAX, &data, &len) != 0)
		return;
	if (!(z->ok = tz_parse(z, data, len)))
		tz_free_tables(z);
	free(data);
}

/* The cached zone, read on first use; the least recently used one makes
 * room. Unknown names are cached too, so a bad profile setting does not
 * cost a failed open per date on a page. */
static const struct tz_zone *
tz_get(const char *name)
{
	struct tz_zone *z, *victim = &tz_cache[0];
	size_t i;

	if (!tz_name_ok(name))
		return NULL;
	tz_clock++;
	for (i = 0; i < TZ_CACHE; i++) {
		z = &tz_cache[i];
		if (strcmp(z->name, name) == 0) {
			z->used = tz_clock;
			return z;
		}
		if (z->used < victim->used)
			victim = z;
	}
	tz_free_tables(victim);
	strcpy(victim->name, name);
	victim->used = tz_clock;
	victim->ok = 0;
	tz_load(victim);
	return victim;
}

/* Seconds to add to UTC time t for local time in zone name; 0 for UTC
 * and for anything that is not a readable zone. */
static long
tz_offset(const char *name, int64_t t)
{
	const struct tz_zone *z = tz_get(name);
	size_t lo, hi, mid;

	if (z == NULL || !z->ok)
		return 0;
	if (z->ntimes == 0)
		return z->has_footer ? tz_posix_offset(&z->footer, t) : z->offs[0];
	/* RFC 8536: before the first transition, type 0 applies. */
	if (t < z->times[0])
		return z->offs[0];
	if (t >= z->times[z->ntimes - 1] && z->has_footer)
		return tz_posix_offset(&z->footer, t);
	for (lo = 0, hi = z->ntimes; hi - lo > 1;) {
		mid = lo + (hi - lo) / 2;
		if (z->times[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->offs[z->types[lo]];
}

/* ---- dates ---- */

struct civil {
	int64_t year;
	int month, day, hour, min, sec;
};

static const char *
two(const char *s, int *v)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return NULL;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return s + 2;
}

/* "YYYY-MM-DD" (*has_time 0) or "YYYY-MM-DD HH:MM[:SS[.ffffff]]", also
 * with a T; a zero date or a 31st of February is malformed. */
static int
parse_datetime(const char *s, struct civil *c, int *has_time)
{
	int hi, lo;

	memset(c, 0, sizeof(*c));
	if ((s = two(s, &hi)) == NULL || (s = two(s, &lo)) == NULL || *s++ != '-' ||
	    (s = two(s, &c->month)) == NULL || *s++ != '-' || (s = two(s, &c->day)) == NULL)
		return 0;
	c->year = hi * 100 + lo;
	if (c->year < 1 || c->month < 1 || c->month > 12 || c->day < 1 ||
	    c->day > days_in_month(c->year, c->month))
		return 0;
	*has_time = *s != '\0';
	if (!*has_time)
		return 1;
	if ((*s != ' ' && *s != 'T') || (s = two(s + 1, &c->hour)) == NULL || *s++ != ':' ||
	    (s = two(s, &c->min)) == NULL)
		return 0;
	if (*s == ':' && (s = two(s + 1, &c->sec)) == NULL)
		return 0;
	if (*s == '.')
		for (s++; is_digit(*s); s++)
			;
	return *s == '\0' && c->hour < 24 && c->min < 60 && c->sec < 60;
}

/* A date's text is put together in place and added to the buffer at
 * once: a list page shows a hundred dates, and printf's parsing of its
 * format, then a call a byte, were most of their cost. */
struct date_text {
	char s[64];
	size_t n;
};

static void
text_add(struct date_text *d, const char *s, size_t n)
{
	memcpy(d->s + d->n, s, n);
	d->n += n;
}

/* A number in decimal, zero-padded to width. */
static void
text_number(struct date_text *d, int64_t v, int width)
{
	char r[24];
	int n = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		r[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	while (n < width)
		r[n++] = '0';
	if (v < 0)
		r[n++] = '-';
	while (n > 0)
		d->s[d->n++] = r[--n];
}

void
crm_i18n_format_date(struct crm_buf *b, const char *lang, const char *utc,
    const char *zone, int with_time)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct date_text d = { .n = 0 };
	struct civil c;
	int64_t t, days;
	int has_time;

	if (utc == NULL)
		return;
	if (!parse_datetime(utc, &c, &has_time)) {
		crm_buf_puts(b, utc);
		return;
	}
	if (has_time) {
		t = days_from_civil(c.year, c.month, c.day) * 86400 +
		    c.hour * 3600 + c.min * 60 + c.sec;
		t += tz_offset(zone, t);
		days = floor_div(t, 86400);
		t -= days * 86400;
		civil_from_days(days, &c.year, &c.month, &c.day);
		c.hour = (int)(t / 3600);
		c.min = (int)(t / 60 % 60);
	} else {
		with_time = 0;
	}
	if (is_zh(lang)) {
		text_number(&d, c.year, 1);
		text_add(&d, "年", strlen("年"));
		text_number(&d, c.month, 1);
		text_add(&d, "月", strlen("月"));
		text_number(&d, c.day, 1);
		text_add(&d, "日", strlen("日"));
	} else {
		text_number(&d, c.day, 1);
		text_add(&d, " ", 1);
		text_add(&d, mon[c.month - 1], 3);
		text_add(&d, " ", 1);
		text_number(&d, c.year, 1);
	}
	if (with_time) {
		text_add(&d, " ", 1);
		text_number(&d, c.hour, 2);
		text_add(&d, ":", 1);
		text_number(&d, c.min, 2);
	}
	crm_buf_add(b, d.s, d.n);
}

static void
civil_text(int64_t t, char sep, int with_sec, char out[20])
{
	int64_t days = floor_div(t, 86400), y;
	int m, d;
	unsigned hh, mm, ss, yy, mo, dd;

	t -= days * 86400;
	civil_from_days(days, &y, &m, &d);
	/* Bounded for the compiler's sake: 0..23, 0..59. */
	hh = (unsigned)(t / 3600) % 24, mm = (unsigned)(t / 60 % 60), ss = (unsigned)(t % 60);
	yy = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y), mo = (unsigned)m % 13, dd = (unsigned)d % 32;
	if (with_sec)
		snprintf(out, 20, "%04u-%02u-%02u%c%02u:%02u:%02u", yy, mo, dd, sep, hh, mm, ss);
	else
		snprintf(out, 20, "%04u-%02u-%02u%c%02u:%02u", yy, mo, dd, sep, hh, mm);
}

static int
civil_seconds(const char *s, int64_t *t)
{
	struct civil c;
	int has_time;

	if (s == NULL || !parse_datetime(s, &c, &has_time) || c.year < 1000 || c.year > 9999)
		return 0;
	*t = days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.min * 60 + c.sec;
	return 1;
}

int
crm_i18n_local_to_utc(const char *local, const char *zone, char out[20])
{
	int64_t t, off, off2;

	if (!civil_seconds(local, &t))
		return 0;
	/* The offset at the guessed instant, checked once more: near a change
	 * of offset the first guess can be an hour out. */
	off = tz_offset(zone, t);
	off2 = tz_offset(zone, t - off);
	civil_text(t - (off2 != off ? off2 : off), ' ', 1, out);
	return 1;
}

long
crm_i18n_zone_offset(const char *zone, int64_t t)
{
	return tz_offset(zone, t);
}

int
crm_i18n_utc_to_local(const char *utc, const char *zone, char out[20])
{
	int64_t t;

	if (!civil_seconds(utc, &t))
		return 0;
	civil_text(t + tz_offset(zone, t), 'T', 0, out);
	return 1;
}
