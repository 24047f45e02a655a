/* crm_i18n: catalogs built here with msgfmt, corrupt ones, negotiation,
 * number, money and date formatting (glibc's localtime_r as the oracle for
 * time zones), the real po/zh_CN.po and templates through the translator.
 *
 * Run from the repository root, as make does: the real catalog is
 * build/locale/zh_CN.mo, else po/zh_CN.po compiled here; the templates
 * are html/templates. Tests that need them skip when they are missing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "crm_buf.h"
#include "crm_i18n.h"
#include "crm_tmpl.h"

/* ---- helpers ---- */

static char tmpdir[200];   /* removed at the end of the run */
static int ndirs;

/* A fresh empty directory below tmpdir. */
static char *
new_dir(char *out, size_t n)
{
	snprintf(out, n, "%s/d%d", tmpdir, ndirs++);
	if (mkdir(out, 0700) != 0)
		fail_msg("mkdir %s", out);
	return out;
}

static void
rm_tree(const char *path)
{
	char sub[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(path);

	if (d == NULL) {
		unlink(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		rm_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

/* Compiles PO text into path with gettext's msgfmt, as make does. */
static void
msgfmt(const char *po, const char *path)
{
	char cmd[PATH_MAX + 64];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "msgfmt -o '%s' -", path);
	if ((p = popen(cmd, "w")) == NULL)
		fail_msg("popen %s", cmd);
	fputs(po, p);
	if (pclose(p) != 0)
		fail_msg("%s failed", cmd);
}

static unsigned char *
read_bytes(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static void
write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static const char PO_HEADER[] =
	"msgid \"\"\n"
	"msgstr \"\"\n"
	"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	"\"Plural-Forms: nplurals=1; plural=0;\\n\"\n\n";

/* Simplified Chinese with the kinds of entry msgfmt writes: plain,
 * fuzzy (left out), untranslated (left out), with a context and plural
 * (both not looked up yet). */
static const char PO_ZH[] =
	"msgid \"System status\"\nmsgstr \"系统状态\"\n\n"
	"msgid \"Hello\"\nmsgstr \"你好\"\n\n"
	"msgid \"Two\\nlines\"\nmsgstr \"两\\n行\"\n\n"
	"#, fuzzy\nmsgid \"Fuzzy\"\nmsgstr \"模糊\"\n\n"
	"msgid \"Untranslated\"\nmsgstr \"\"\n\n"
	"msgctxt \"menu\"\nmsgid \"Open\"\nmsgstr \"打开菜单\"\n\n"
	"msgid \"file\"\nmsgid_plural \"files\"\nmsgstr[0] \"文件\"\n\n";

static const char PO_FR[] = "msgid \"Hello\"\nmsgstr \"Bonjour\"\n\n";

/* A directory with zh_CN.mo and fr.mo, shared by the tests. */
static char catdir[256];
static struct crm_i18n *cat;            /* zh_CN and fr */
static struct crm_i18n *cat_zh;         /* zh_CN only */

static void
write_catalog(const char *dir, const char *lang, const char *body)
{
	char path[PATH_MAX], *po;
	size_t n = strlen(PO_HEADER) + strlen(body) + 1;

	po = malloc(n);
	assert_non_null(po);
	snprintf(po, n, "%s%s", PO_HEADER, body);
	snprintf(path, sizeof(path), "%s/%s.mo", dir, lang);
	msgfmt(po, path);
	free(po);
}

static struct crm_i18n *
load_ok(const char *dir)
{
	struct crm_i18n *i18n = NULL;
	char err[512] = "";

	if (crm_i18n_load(&i18n, dir, err, sizeof(err)) != CRM_OK)
		fail_msg("load %s: %s", dir, err);
	assert_non_null(i18n);
	return i18n;
}

static int
setup(void **state)
{
	char dir[256];
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_crm_i18n.XXXXXX", base ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	new_dir(catdir, sizeof(catdir));
	write_catalog(catdir, "zh_CN", PO_ZH);
	write_catalog(catdir, "fr", PO_FR);
	cat = load_ok(catdir);
	new_dir(dir, sizeof(dir));
	write_catalog(dir, "zh_CN", PO_ZH);
	cat_zh = load_ok(dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	crm_i18n_free(cat);
	crm_i18n_free(cat_zh);
	rm_tree(tmpdir);
	return 0;
}

/* Formatting results as C strings, for assert_string_equal. */
static char out[1 << 16];

static const char *
done(struct crm_buf *b)
{
	snprintf(out, sizeof(out), "%s", b->data);
	crm_buf_release(b);
	return out;
}

static const char *
fmt_int(const char *lang, long long v)
{
	struct crm_buf b;

	crm_buf_init(&b, NULL, 8);
	crm_i18n_format_int(&b, lang, v);
	return done(&b);
}

static const char *
fmt_money(const char *lang, const char *dec, const char *cur)
{
	struct crm_buf b;

	crm_buf_init(&b, NULL, 8);
	crm_i18n_format_money(&b, lang, dec, cur);
	return done(&b);
}

static const char *
fmt_date(const char *lang, const char *utc, const char *zone, int with_time)
{
	struct crm_buf b;

	crm_buf_init(&b, NULL, 8);
	crm_i18n_format_date(&b, lang, utc, zone, with_time);
	return done(&b);
}

/* ---- loading and lookup ---- */

static void
test_missing_dir_is_english(void **state)
{
	struct crm_i18n *i18n = NULL;
	const char *langs[4];
	char err[256] = "";

	(void)state;
	assert_int_equal(crm_i18n_load(&i18n, "/nonexistent/locale", err, sizeof(err)), CRM_OK);
	assert_non_null(i18n);
	assert_string_equal(crm_i18n_text(i18n, "zh_CN", "Hello"), "Hello");
	assert_string_equal(crm_i18n_negotiate(i18n, "zh-CN"), "en");
	assert_int_equal(crm_i18n_languages(i18n, langs, 4), 1);
	assert_string_equal(langs[0], "en");
	crm_i18n_free(i18n);
	/* NULL is English only, everywhere. */
	assert_string_equal(crm_i18n_text(NULL, "zh_CN", "Hello"), "Hello");
	assert_string_equal(crm_i18n_negotiate(NULL, "zh-CN"), "en");
	assert_null(crm_i18n_catalog(NULL, "zh_CN"));
	assert_string_equal(crm_i18n_tag(NULL, "zh_CN"), "en");
	crm_i18n_free(NULL);
}

static void
test_lookup(void **state)
{
	const char *msgid = "Not translated anywhere";

	(void)state;
	assert_string_equal(crm_i18n_text(cat, "zh_CN", "System status"), "系统状态");
	assert_string_equal(crm_i18n_text(cat, "zh_CN", "Hello"), "你好");
	assert_string_equal(crm_i18n_text(cat, "zh_CN", "Two\nlines"), "两\n行");
	assert_string_equal(crm_i18n_text(cat, "fr", "Hello"), "Bonjour");
	assert_string_equal(crm_i18n_text(cat, "en", "Hello"), "Hello");
	/* Fallbacks return the msgid itself, not a copy. */
	assert_ptr_equal(crm_i18n_text(cat, "zh_CN", msgid), msgid);
	assert_ptr_equal(crm_i18n_text(cat, "de", msgid), msgid);
	assert_ptr_equal(crm_i18n_text(cat, NULL, msgid), msgid);
	assert_null(crm_i18n_text(cat, "zh_CN", NULL));
	/* Language names are exact. */
	assert_string_equal(crm_i18n_text(cat, "zh_cn", "Hello"), "Hello");
	/* Fuzzy and untranslated entries fall back; so do context and
	 * plural entries, which plain lookups must not find. */
	assert_string_equal(crm_i18n_text(cat, "zh_CN", "Fuzzy"), "Fuzzy");
	assert_string_equal(crm_i18n_text(cat, "zh_CN", "Untranslated"), "Untranslated");
	assert_string_equal(crm_i18n_text(cat, "zh_CN", "Open"), "Open");
	assert_string_equal(crm_i18n_text(cat, "zh_CN", "menu\004Open"), "menu\004Open");
	assert_string_equal(crm_i18n_text(cat, "zh_CN", "file"), "file");
	/* The header entry is not a translation of "". */
	assert_string_equal(crm_i18n_text(cat, "zh_CN", ""), "");
}

static void
test_languages_and_tags(void **state)
{
	const char *langs[8];

	(void)state;
	assert_int_equal(crm_i18n_languages(cat, langs, 8), 3);
	assert_string_equal(langs[0], "en");
	assert_string_equal(langs[1], "fr");
	assert_string_equal(langs[2], "zh_CN");
	/* Too small an array: filled as far as it goes, the total returned. */
	langs[1] = NULL;
	assert_int_equal(crm_i18n_languages(cat, langs, 1), 3);
	assert_null(langs[1]);
	assert_int_equal(crm_i18n_languages(cat, NULL, 0), 3);
	assert_string_equal(crm_i18n_tag(cat, "zh_CN"), "zh-CN");
	assert_string_equal(crm_i18n_tag(cat, "fr"), "fr");
	assert_string_equal(crm_i18n_tag(cat, "en"), "en");
	assert_string_equal(crm_i18n_tag(cat, "xx"), "en");
	assert_non_null(crm_i18n_catalog(cat, "zh_CN"));
	assert_null(crm_i18n_catalog(cat, "en"));
}

/* Thousands of entries: the table grows and collides. */
static void
test_large_catalog(void **state)
{
	char dir[256], id[32], want[32];
	struct crm_i18n *i18n;
	struct crm_buf po;
	int i;

	(void)state;
	crm_buf_init(&po, NULL, 1 << 16);
	for (i = 0; i < 5000; i++)
		crm_buf_printf(&po, "msgid \"key %d\"\nmsgstr \"值 %d\"\n\n", i, i * 7);
	write_catalog(new_dir(dir, sizeof(dir)), "zh_CN", po.data);
	crm_buf_release(&po);
	i18n = load_ok(dir);
	for (i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "key %d", i);
		snprintf(want, sizeof(want), "值 %d", i * 7);
		assert_string_equal(crm_i18n_text(i18n, "zh_CN", id), want);
	}
	assert_string_equal(crm_i18n_text(i18n, "zh_CN", "key 5000"), "key 5000");
	crm_i18n_free(i18n);
}

/* The same catalog written by a big-endian machine loads the same. */
static void
test_big_endian_mo(void **state)
{
	char dir[256], path[PATH_MAX];
	struct crm_i18n *i18n;
	unsigned char *d, t;
	size_t n, i, k, words;

	(void)state;
	snprintf(path, sizeof(path), "%s/zh_CN.mo", catdir);
	d = read_bytes(path, &n);
	/* The header's 7 words, then both tables of n pairs. */
	words = 7 + 2 * 2 * (size_t)(d[8] | d[9] << 8 | d[10] << 16 | (size_t)d[11] << 24);
	for (i = 0; i < words && i * 4 + 4 <= n; i++)
		for (k = 0; k < 2; k++) {
			t = d[i * 4 + k];
			d[i * 4 + k] = d[i * 4 + 3 - k];
			d[i * 4 + 3 - k] = t;
		}
	snprintf(path, sizeof(path), "%s/zh_CN.mo", new_dir(dir, sizeof(dir)));
	write_bytes(path, d, n);
	free(d);
	i18n = load_ok(dir);
	assert_string_equal(crm_i18n_text(i18n, "zh_CN", "System status"), "系统状态");
	assert_string_equal(crm_i18n_text(i18n, "zh_CN", "Hello"), "你好");
	crm_i18n_free(i18n);
}

/* ---- corrupt catalogs ---- */

/* Loads data as dir/zh_CN.mo; returns the result, *err the message. */
static enum crm_err
load_bytes(const void *data, size_t n, char *err, size_t errlen)
{
	char dir[256], path[PATH_MAX];
	struct crm_i18n *i18n = (struct crm_i18n *)1;
	enum crm_err e;

	snprintf(path, sizeof(path), "%s/zh_CN.mo", new_dir(dir, sizeof(dir)));
	write_bytes(path, data, n);
	err[0] = '\0';
	e = crm_i18n_load(&i18n, dir, err, errlen);
	if (e == CRM_OK) {
		assert_non_null(i18n);
		crm_i18n_free(i18n);
	} else {
		assert_null(i18n);
	}
	unlink(path);
	rmdir(dir);
	return e;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
refused(const unsigned char *d, size_t n, const char *why)
{
	char err[512];

	if (load_bytes(d, n, err, sizeof(err)) != CRM_EINVAL)
		fail_msg("accepted a .mo that is %s", why);
	if (strstr(err, "zh_CN.mo: ") == NULL)
		fail_msg("%s: the message does not name the file: %s", why, err);
}

static void
test_corrupt_mo(void **state)
{
	char path[PATH_MAX];
	unsigned char *good, *d;
	uint32_t otab, ttab;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/zh_CN.mo", catdir);
	good = read_bytes(path, &n);
	d = malloc(n);
	assert_non_null(d);
	otab = get32(good + 12);
	ttab = get32(good + 16);

	refused(good, 0, "empty");
	refused(good, 10, "shorter than its header");
	refused(good, n / 2, "truncated in its strings");
	refused(good, n - 1, "missing its last byte");

	memcpy(d, good, n);
	put32(d, 0x12345678);
	refused(d, n, "of a bad magic number");

	memcpy(d, good, n);
	put32(d + 4, 2u << 16);
	refused(d, n, "of an unknown major revision");

	memcpy(d, good, n);
	put32(d + 8, 0x7fffffff);
	refused(d, n, "claiming 2^31 strings");

	memcpy(d, good, n);
	put32(d + 12, (uint32_t)n);
	refused(d, n, "with its msgid table past the end");

	memcpy(d, good, n);
	put32(d + 16, 0xfffffff0u);
	refused(d, n, "with its msgstr table offset near 2^32");

	memcpy(d, good, n);
	put32(d + otab + 8 + 4, 0xffffff00u);
	refused(d, n, "with a string offset out of range");

	memcpy(d, good, n);
	put32(d + ttab + 8, 0xffffffffu);
	refused(d, n, "with a string length out of range");

	/* A length one short leaves the string's last byte where its NUL
	 * should be. */
	memcpy(d, good, n);
	put32(d + ttab + 8, get32(good + ttab + 8) - 1);
	refused(d, n, "with an unterminated string");

	memcpy(d, good, n);
	d[get32(good + ttab + 8 + 4)] = 0xff;
	refused(d, n, "with a string that is not UTF-8");

	free(d);
	free(good);
}

/* Every truncation and every byte of the header and tables changed to a
 * few values: loading must answer OK or EINVAL, never read out of bounds
 * (the sanitizers and valgrind watch). */
static void
test_mangled_mo_never_crashes(void **state)
{
	static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	char path[PATH_MAX], err[512];
	unsigned char *good, *d;
	size_t n, i, v, tables;
	enum crm_err e;

	(void)state;
	snprintf(path, sizeof(path), "%s/zh_CN.mo", catdir);
	good = read_bytes(path, &n);
	d = malloc(n);
	assert_non_null(d);
	for (i = 0; i < n; i++) {
		e = load_bytes(good, i, err, sizeof(err));
		assert_true(e == CRM_EINVAL);
	}
	tables = get32(good + 16) + 8 * (size_t)get32(good + 8);
	for (i = 0; i < tables && i < n; i++)
		for (v = 0; v < sizeof(vals); v++) {
			memcpy(d, good, n);
			d[i] = d[i] == vals[v] ? (unsigned char)~vals[v] : vals[v];
			e = load_bytes(d, n, err, sizeof(err));
			assert_true(e == CRM_OK || e == CRM_EINVAL);
		}
	free(d);
	free(good);
}

static void
test_bad_directory_contents(void **state)
{
	char dir[256], path[PATH_MAX], err[512];
	struct crm_i18n *i18n = NULL;

	(void)state;
	/* A file name that is not a language. */
	new_dir(dir, sizeof(dir));
	write_catalog(dir, "not-a-language", PO_FR);
	assert_int_equal(crm_i18n_load(&i18n, dir, err, sizeof(err)), CRM_EINVAL);
	assert_null(i18n);
	assert_non_null(strstr(err, "not-a-language.mo"));

	/* Not UTF-8: msgfmt copies the charset, we convert nothing. */
	new_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/fr.mo", dir);
	msgfmt("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\n"
	    "msgid \"Hello\"\nmsgstr \"Bonjour\"\n", path);
	assert_int_equal(crm_i18n_load(&i18n, dir, err, sizeof(err)), CRM_EINVAL);
	assert_non_null(strstr(err, "charset"));

	/* Dot files and other extensions are not catalogs. */
	new_dir(dir, sizeof(dir));
	write_catalog(dir, ".zh_CN", PO_ZH);
	snprintf(path, sizeof(path), "%s/README", dir);
	write_bytes(path, "x", 1);
	i18n = load_ok(dir);
	assert_int_equal(crm_i18n_languages(i18n, NULL, 0), 1);
	crm_i18n_free(i18n);

	/* A file where the directory should be is an error, not English. */
	snprintf(path, sizeof(path), "%s/README", dir);
	i18n = NULL;
	assert_int_equal(crm_i18n_load(&i18n, path, err, sizeof(err)), CRM_EIO);
	assert_null(i18n);
	/* A catalog that cannot be read. */
	if (geteuid() != 0) {
		new_dir(dir, sizeof(dir));
		write_catalog(dir, "zh_CN", PO_ZH);
		snprintf(path, sizeof(path), "%s/zh_CN.mo", dir);
		chmod(path, 0);
		assert_int_equal(crm_i18n_load(&i18n, dir, err, sizeof(err)), CRM_EIO);
		assert_null(i18n);
	}
}

/* ---- negotiation ---- */

static void
negotiates(const struct crm_i18n *i18n, const char *header, const char *want)
{
	const char *got = crm_i18n_negotiate(i18n, header);

	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("Accept-Language \"%s\": got %s, want %s", header ? header : "(null)",
		    got ? got : "(null)", want);
}

static void
test_negotiate(void **state)
{
	(void)state;
	negotiates(cat_zh, "zh-CN,zh;q=0.9,en;q=0.8", "zh_CN");
	negotiates(cat_zh, "en-US,en;q=0.5", "en");
	negotiates(cat_zh, "fr", "en");
	negotiates(cat_zh, "", "en");
	negotiates(cat_zh, "*", "en");
	negotiates(cat_zh, ";;q=abc,,", "en");
	negotiates(cat_zh, NULL, "en");
	/* Simplified Chinese in its spellings. */
	negotiates(cat_zh, "zh", "zh_CN");
	negotiates(cat_zh, "zh-Hans", "zh_CN");
	negotiates(cat_zh, "zh-Hans-CN", "zh_CN");
	negotiates(cat_zh, "zh-SG", "zh_CN");
	negotiates(cat_zh, "ZH-cn", "zh_CN");
	negotiates(cat_zh, "zh-cmn-Hans-CN", "zh_CN");
	/* A picker's cookie holds the language name. */
	negotiates(cat_zh, "zh_CN", "zh_CN");
	negotiates(cat_zh, "en", "en");
	/* Traditional Chinese is not what zh_CN is. */
	negotiates(cat_zh, "zh-TW", "en");
	negotiates(cat_zh, "zh-HK", "en");
	negotiates(cat_zh, "zh-Hant", "en");
	negotiates(cat_zh, "zh-Hant-CN", "en");
	negotiates(cat_zh, "zh-Latn", "en");
	negotiates(cat_zh, "zh-TW,zh;q=0.8,en;q=0.5", "zh_CN");
	/* Weights: the best wins, a tie goes to the earlier, 0 refuses. */
	negotiates(cat_zh, "en;q=0.9, zh;q=0.95", "zh_CN");
	negotiates(cat_zh, "en, zh", "en");
	negotiates(cat_zh, "zh, en", "zh_CN");
	negotiates(cat_zh, "zh;q=0, en;q=0.1", "en");
	negotiates(cat_zh, "zh;q=0", "en");
	negotiates(cat_zh, "fr-CH, fr;q=0.9, zh;q=0.8, *;q=0.5", "zh_CN");
	negotiates(cat_zh, "zh-CN;q=0.5, *", "en");
	negotiates(cat_zh, "zh-CN ; q=0.5 ; level=1", "zh_CN");
	negotiates(cat_zh, "zh-CN;Q=1.000", "zh_CN");
	negotiates(cat_zh, "zh-CN;q=.5", "en");
	negotiates(cat_zh, "zh-CN;q=1.0001", "en");
	negotiates(cat_zh, "zh-CN;q=2", "en");
	negotiates(cat_zh, "zh-CN;q=-1", "en");
	negotiates(cat_zh, "zh-CN;q=0.5x", "en");
	negotiates(cat_zh, "zh-CN garbage", "en");
	negotiates(cat_zh, "zh--CN", "en");
	negotiates(cat_zh, "zh-", "en");
	negotiates(cat_zh, "-zh", "en");
	negotiates(cat_zh, "z", "en");
	negotiates(cat_zh, "en-US-x-very-long-private-use-subtag-list-here", "en");
	negotiates(cat_zh, "\xe4\xb8\xad\xe6\x96\x87, zh", "zh_CN");
	/* With fr loaded, other languages match too. */
	negotiates(cat, "fr", "fr");
	negotiates(cat, "fr-CA", "fr");
	negotiates(cat, "de, fr;q=0.3, zh-TW;q=0.9", "fr");
	negotiates(cat, "zh-CN;q=0.4, fr;q=0.3", "zh_CN");
}

/* Random bytes and random well-formed-looking lists: an answer is always
 * one of the languages. */
static void
test_negotiate_garbage(void **state)
{
	static const char alpha[] = "zhenfrZHCN-_;q=.,0123456789* \t\xff\x80";
	char buf[4096];
	unsigned long x = 12345;
	const char *got;
	size_t i, n;
	int round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		n = (size_t)(round % 97);
		for (i = 0; i < n; i++) {
			x = x * 6364136223846793005ul + 1442695040888963407ul;
			buf[i] = round % 2 ? alpha[(x >> 33) % (sizeof(alpha) - 1)] :
			    (char)((x >> 33) % 255 + 1);
		}
		buf[n] = '\0';
		got = crm_i18n_negotiate(cat, buf);
		assert_true(strcmp(got, "en") == 0 || strcmp(got, "fr") == 0 ||
		    strcmp(got, "zh_CN") == 0);
	}
	memset(buf, 'z', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	negotiates(cat, buf, "en");
	for (i = 0; i + 3 < sizeof(buf); i += 3)
		memcpy(buf + i, "zh,", 3);
	negotiates(cat, buf, "zh_CN");
}

/* ---- numbers and money ---- */

static void
test_format_int(void **state)
{
	(void)state;
	assert_string_equal(fmt_int("en", 0), "0");
	assert_string_equal(fmt_int("en", 999), "999");
	assert_string_equal(fmt_int("en", 1000), "1,000");
	assert_string_equal(fmt_int("en", 1234567), "1,234,567");
	assert_string_equal(fmt_int("en", -1234567), "-1,234,567");
	assert_string_equal(fmt_int("en", -999), "-999");
	assert_string_equal(fmt_int("zh_CN", 1234567), "1,234,567");
	assert_string_equal(fmt_int("zh_CN", 100000), "100,000");
	assert_string_equal(fmt_int(NULL, 12345), "12,345");
	assert_string_equal(fmt_int("en", LLONG_MAX), "9,223,372,036,854,775,807");
	assert_string_equal(fmt_int("en", LLONG_MIN), "-9,223,372,036,854,775,808");
}

static void
test_format_money(void **state)
{
	(void)state;
	assert_string_equal(fmt_money("en", "1234.50", "USD"), "$1,234.50");
	assert_string_equal(fmt_money("en", "-1234.50", "USD"), "-$1,234.50");
	assert_string_equal(fmt_money("en", "1234.50", "EUR"), "€1,234.50");
	assert_string_equal(fmt_money("en", "1234.50", "CNY"), "CN¥1,234.50");
	assert_string_equal(fmt_money("en", "1234.50", "GBP"), "£1,234.50");
	assert_string_equal(fmt_money("zh_CN", "1234.50", "CNY"), "¥1,234.50");
	assert_string_equal(fmt_money("zh_CN", "-1234.50", "CNY"), "-¥1,234.50");
	assert_string_equal(fmt_money("zh_CN", "1234.50", "USD"), "US$1,234.50");
	assert_string_equal(fmt_money("zh_CN", "1234.50", "EUR"), "€1,234.50");
	assert_string_equal(fmt_money("en", "1234.50", "CHF"), "1,234.50 CHF");
	assert_string_equal(fmt_money("zh_CN", "-1234.50", "CHF"), "-1,234.50 CHF");
	assert_string_equal(fmt_money("en", "1234.50", "usd"), "$1,234.50");
	assert_string_equal(fmt_money("en", "1234.50", NULL), "1,234.50");
	assert_string_equal(fmt_money("en", "1234.50", "US"), "1,234.50");
	assert_string_equal(fmt_money("en", "1234.50", "<b>"), "1,234.50");
	/* Padded to the minor unit; digits beyond it kept, zeros dropped. */
	assert_string_equal(fmt_money("en", "1234.5", "USD"), "$1,234.50");
	assert_string_equal(fmt_money("en", "1234", "USD"), "$1,234.00");
	assert_string_equal(fmt_money("en", "1.2345", "USD"), "$1.2345");
	assert_string_equal(fmt_money("en", "1.5000", "USD"), "$1.50");
	assert_string_equal(fmt_money("en", "1234.00", "JPY"), "¥1,234");
	assert_string_equal(fmt_money("zh_CN", "1234", "JPY"), "JP¥1,234");
	assert_string_equal(fmt_money("en", "1234.50", "JPY"), "¥1,234.5");
	assert_string_equal(fmt_money("en", "1.5", "BHD"), "1.500 BHD");
	assert_string_equal(fmt_money("en", "0.00", "USD"), "$0.00");
	assert_string_equal(fmt_money("en", "-0.00", "USD"), "$0.00");
	assert_string_equal(fmt_money("en", "+12", "USD"), "$12.00");
	assert_string_equal(fmt_money("en", "0001234.50", "USD"), "$1,234.50");
	assert_string_equal(fmt_money("en", "-0.01", "EUR"), "-€0.01");
	/* Beyond any double's precision, exact. */
	assert_string_equal(fmt_money("en", "12345678901234567890123.45", "USD"),
	    "$12,345,678,901,234,567,890,123.45");
	/* Malformed input is shown as it is. */
	assert_string_equal(fmt_money("en", "abc", "USD"), "abc");
	assert_string_equal(fmt_money("en", "12a", "USD"), "12a");
	assert_string_equal(fmt_money("en", "", "USD"), "");
	assert_string_equal(fmt_money("en", ".", "USD"), ".");
	assert_string_equal(fmt_money("en", "1.", "USD"), "1.");
	assert_string_equal(fmt_money("en", ".5", "USD"), ".5");
	assert_string_equal(fmt_money("en", "-", "USD"), "-");
	assert_string_equal(fmt_money("en", "1,234.50", "USD"), "1,234.50");
	assert_string_equal(fmt_money("en", "1e5", "USD"), "1e5");
	assert_string_equal(fmt_money("en", NULL, "USD"), "");
}

/* ---- dates ---- */

static void
test_format_date(void **state)
{
	(void)state;
	assert_string_equal(fmt_date("en", "2026-11-22 06:05:00", "Asia/Shanghai", 1),
	    "22 Nov 2026 14:05");
	assert_string_equal(fmt_date("zh_CN", "2026-11-22 06:05:00", "Asia/Shanghai", 1),
	    "2026年11月22日 14:05");
	assert_string_equal(fmt_date("en", "2026-11-22 06:05:00", "Asia/Shanghai", 0),
	    "22 Nov 2026");
	assert_string_equal(fmt_date("zh_CN", "2026-11-22 06:05:00", "Asia/Shanghai", 0),
	    "2026年11月22日");
	assert_string_equal(fmt_date("zh_CN", "2026-03-05 01:02:03", "Asia/Shanghai", 1),
	    "2026年3月5日 09:02");
	/* Into the next day, month and year; a leap day. */
	assert_string_equal(fmt_date("en", "2026-12-31 20:00:00", "Asia/Shanghai", 1),
	    "1 Jan 2027 04:00");
	assert_string_equal(fmt_date("en", "2024-02-28 20:00:00", "Asia/Shanghai", 1),
	    "29 Feb 2024 04:00");
	assert_string_equal(fmt_date("en", "2027-01-01 02:00:00", "America/New_York", 1),
	    "31 Dec 2026 21:00");
	/* Years before 1000 have no padding, hours and minutes always two digits. */
	assert_string_equal(fmt_date("en", "0999-05-06 07:08:09", "UTC", 1), "6 May 999 07:08");
	assert_string_equal(fmt_date("zh_CN", "0999-05-06 00:00:09", "UTC", 1), "999年5月6日 00:00");
	/* Fractions and a T are accepted. */
	assert_string_equal(fmt_date("en", "2026-11-22T06:05:59.999999", "Asia/Shanghai", 1),
	    "22 Nov 2026 14:05");
	assert_string_equal(fmt_date("en", "2026-11-22 06:05", "UTC", 1), "22 Nov 2026 06:05");
	/* A DATE is a day, not an instant: never shifted. */
	assert_string_equal(fmt_date("en", "2026-11-22", "Pacific/Kiritimati", 1), "22 Nov 2026");
	assert_string_equal(fmt_date("zh_CN", "2026-11-22", "America/New_York", 1),
	    "2026年11月22日");
	/* Other languages use the English form. */
	assert_string_equal(fmt_date("fr", "2026-11-22 06:05:00", "UTC", 1), "22 Nov 2026 06:05");
	/* Malformed input is shown as it is. */
	assert_string_equal(fmt_date("en", "0000-00-00 00:00:00", "UTC", 1), "0000-00-00 00:00:00");
	assert_string_equal(fmt_date("en", "2026-02-29 00:00:00", "UTC", 1), "2026-02-29 00:00:00");
	assert_string_equal(fmt_date("en", "2026-11-22 24:00:00", "UTC", 1), "2026-11-22 24:00:00");
	assert_string_equal(fmt_date("en", "2026-13-01", "UTC", 1), "2026-13-01");
	assert_string_equal(fmt_date("en", "2026-11-22 06:05:00Z", "UTC", 1), "2026-11-22 06:05:00Z");
	assert_string_equal(fmt_date("en", "2026-11-2", "UTC", 1), "2026-11-2");
	assert_string_equal(fmt_date("en", "yesterday", "UTC", 1), "yesterday");
	assert_string_equal(fmt_date("en", "", "UTC", 1), "");
	assert_string_equal(fmt_date("en", NULL, "UTC", 1), "");
}

static void
test_new_york_dst(void **state)
{
	const char *ny = "America/New_York";

	(void)state;
	/* 8 Mar 2026: 02:00 EST becomes 03:00 EDT at 07:00 UTC. */
	assert_string_equal(fmt_date("en", "2026-03-08 06:59:00", ny, 1), "8 Mar 2026 01:59");
	assert_string_equal(fmt_date("en", "2026-03-08 07:00:00", ny, 1), "8 Mar 2026 03:00");
	/* 1 Nov 2026: 02:00 EDT becomes 01:00 EST at 06:00 UTC. */
	assert_string_equal(fmt_date("en", "2026-11-01 05:59:00", ny, 1), "1 Nov 2026 01:59");
	assert_string_equal(fmt_date("en", "2026-11-01 06:00:00", ny, 1), "1 Nov 2026 01:00");
	assert_string_equal(fmt_date("zh_CN", "2026-07-04 16:00:00", ny, 1), "2026年7月4日 12:00");
	assert_string_equal(fmt_date("en", "2026-01-15 17:00:00", ny, 1), "15 Jan 2026 12:00");
	/* Before 2007 the rules differed (first Sunday of April). */
	assert_string_equal(fmt_date("en", "1990-04-01 12:00:00", ny, 1), "1 Apr 1990 08:00");
	assert_string_equal(fmt_date("en", "1990-03-20 12:00:00", ny, 1), "20 Mar 1990 07:00");
	/* Past the file's table: the footer's rule. */
	assert_string_equal(fmt_date("en", "2100-03-14 06:59:00", ny, 1), "14 Mar 2100 01:59");
	assert_string_equal(fmt_date("en", "2100-03-14 07:00:00", ny, 1), "14 Mar 2100 03:00");
	assert_string_equal(fmt_date("en", "2100-11-07 05:59:00", ny, 1), "7 Nov 2100 01:59");
	assert_string_equal(fmt_date("en", "2100-11-07 06:00:00", ny, 1), "7 Nov 2100 01:00");
	/* The southern hemisphere, also past the table. */
	assert_string_equal(fmt_date("en", "2026-01-15 00:00:00", "Australia/Sydney", 1),
	    "15 Jan 2026 11:00");
	assert_string_equal(fmt_date("en", "2026-07-15 00:00:00", "Australia/Sydney", 1),
	    "15 Jul 2026 10:00");
	assert_string_equal(fmt_date("en", "2100-01-15 00:00:00", "Australia/Sydney", 1),
	    "15 Jan 2100 11:00");
	assert_string_equal(fmt_date("en", "2100-07-15 00:00:00", "Australia/Sydney", 1),
	    "15 Jul 2100 10:00");
}

static void
test_bad_zones_are_utc(void **state)
{
	static const char *const bad[] = {
		NULL, "", "Nowhere/City", "../../etc/passwd", "/etc/localtime",
		"Asia/../Asia/Shanghai", "Asia//Shanghai", "Asia/Shanghai/", "America",
		"Asia/Shanghai\n", "Asia/Shang hai", "zone.tab", "tzdata.zi",
		"a-very-long-zone-name-that-is-much-longer-than-any-real-one-could-be-at-all",
	};
	size_t i;

	(void)state;
	for (i = 0; i < CRM_NELEM(bad); i++)
		if (strcmp(fmt_date("en", "2026-11-22 06:05:00", bad[i], 1), "22 Nov 2026 06:05") != 0)
			fail_msg("zone \"%s\": got %s", bad[i] ? bad[i] : "(null)", out);
	/* Asked again, from the cache of unknown zones. */
	assert_string_equal(fmt_date("en", "2026-11-22 06:05:00", "Nowhere/City", 1),
	    "22 Nov 2026 06:05");
	assert_string_equal(fmt_date("en", "2026-11-22 06:05:00", "Etc/GMT-14", 1),
	    "22 Nov 2026 20:05");
	assert_string_equal(fmt_date("en", "2026-11-22 06:05:00", "Asia/Kolkata", 1),
	    "22 Nov 2026 11:35");
}

/* glibc as the oracle: localtime_r under TZ, in this test only, against
 * our reading of the same zone files, every few days from 1901 to 2200
 * and at each transition found. The zones cover DST north and south,
 * half-hour and 45-minute offsets and DST, Ireland's negative DST, and
 * footers with rule times of 24, 25 or -1 hours. */
static const char *const oracle_zones[] = {
	"America/New_York", "Europe/London", "Europe/Dublin", "Australia/Sydney",
	"Australia/Lord_Howe", "Asia/Shanghai", "Asia/Kolkata", "America/St_Johns",
	"Pacific/Chatham", "America/Sao_Paulo", "Africa/Casablanca", "America/Nuuk",
	"Antarctica/Troll", "Pacific/Apia", "America/Santiago", "Asia/Jerusalem",
	"Asia/Tehran", "Europe/Moscow", "Pacific/Kiritimati", "America/Havana",
};

static const char *
glibc_date(time_t t)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static char buf[64];
	struct tm tm;

	assert_non_null(localtime_r(&t, &tm));
	snprintf(buf, sizeof(buf), "%d %s %d %02d:%02d", tm.tm_mday, mon[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
	return buf;
}

static long
glibc_offset(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_gmtoff;
}

static int
agrees(const char *zone, time_t t)
{
	char utc[32], want[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(utc, sizeof(utc), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(want, sizeof(want), "%s", glibc_date(t));
	if (strcmp(fmt_date("en", utc, zone, 1), want) != 0) {
		print_error("%s at %s UTC: got %s, glibc says %s\n", zone, utc, out, want);
		return 0;
	}
	return 1;
}

static void
test_zones_agree_with_glibc(void **state)
{
	const time_t from = -2177452800;        /* 1901-01-01 */
	const time_t to = 7258118400;           /* 2200-01-01 */
	const time_t step = 9 * 86400 + 3 * 3600 + 17 * 60;
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	char tz[128];
	time_t t, lo, hi, mid;
	size_t z;
	int bad = 0, checked = 0, transitions = 0;

	(void)state;
	for (z = 0; z < CRM_NELEM(oracle_zones) && bad < 10; z++) {
		snprintf(tz, sizeof(tz), "/usr/share/zoneinfo/%s", oracle_zones[z]);
		if (access(tz, R_OK) != 0)
			continue;
		snprintf(tz, sizeof(tz), ":%s", oracle_zones[z]);
		setenv("TZ", tz, 1);
		tzset();
		for (t = from; t < to && bad < 10; t += step) {
			bad += !agrees(oracle_zones[z], t);
			checked++;
			if (glibc_offset(t) == glibc_offset(t + step))
				continue;
			/* The exact second the offset changes. */
			for (lo = t, hi = t + step; hi - lo > 1;) {
				mid = lo + (hi - lo) / 2;
				if (glibc_offset(mid) == glibc_offset(t))
					lo = mid;
				else
					hi = mid;
			}
			bad += !agrees(oracle_zones[z], hi - 1) + !agrees(oracle_zones[z], hi);
			transitions++;
		}
	}
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
	assert_int_equal(bad, 0);
	assert_true(checked > 50000);
	assert_true(transitions > 1000);
}

/* ---- the real catalog and templates ---- */

static struct crm_i18n *
real_catalog(char *dir, size_t n)
{
	char path[PATH_MAX];

	if (access("build/locale/zh_CN.mo", R_OK) == 0) {
		snprintf(dir, n, "build/locale");
		return load_ok(dir);
	}
	if (access("po/zh_CN.po", R_OK) != 0)
		return NULL;
	new_dir(dir, n);
	snprintf(path, sizeof(path), "msgfmt --check -o '%s/zh_CN.mo' po/zh_CN.po", dir);
	assert_int_equal(system(path), 0);
	return load_ok(dir);
}

static void
test_real_catalog(void **state)
{
	struct crm_i18n *i18n;
	char dir[256];

	(void)state;
	if ((i18n = real_catalog(dir, sizeof(dir))) == NULL)
		fail_msg("the real templates or build/locale/zh_CN.mo are missing: run make from the top");
	assert_string_equal(crm_i18n_text(i18n, "zh_CN", "System status"), "系统状态");
	assert_string_equal(crm_i18n_text(i18n, "zh_CN", "Back to the home page"), "返回首页");
	assert_string_equal(crm_i18n_text(i18n, "zh_CN", "Database"), "数据库");
	assert_string_equal(crm_i18n_text(i18n, "en", "System status"), "System status");
	assert_string_equal(crm_i18n_negotiate(i18n, "zh-CN,zh;q=0.9,en;q=0.8"), "zh_CN");
	assert_string_equal(crm_i18n_tag(i18n, "zh_CN"), "zh-CN");
	crm_i18n_free(i18n);
}

static const char *
render(struct crm_tmpl_set *s, const char *name, const char *json)
{
	json_error_t jerr;
	json_t *view = json_loads(json, 0, &jerr);
	struct crm_buf b;

	assert_non_null(view);
	crm_buf_init(&b, NULL, 256);
	assert_int_equal(crm_tmpl_render(s, name, view, &b), CRM_OK);
	json_decref(view);
	return done(&b);
}

static void
add_template(struct crm_tmpl_set *s, const char *name, const char *src)
{
	char err[256] = "";

	if (crm_tmpl_set_add(s, name, src, strlen(src), err, sizeof(err)) != CRM_OK)
		fail_msg("%s: %s", name, err);
}

static void
test_template_translator(void **state)
{
	static const char src[] =
		"<h1>{{_ System status}}</h1><p>{{_  Hello\n}} {{name}}</p>{{_ Not in any catalog}}";
	struct crm_tmpl_set *zh = crm_tmpl_set_new(), *en = crm_tmpl_set_new();

	(void)state;
	crm_tmpl_set_translator(zh, crm_i18n_tmpl_translator,
	    (void *)crm_i18n_catalog(cat, "zh_CN"));
	crm_tmpl_set_translator(en, crm_i18n_tmpl_translator,
	    (void *)crm_i18n_catalog(cat, "en"));
	add_template(zh, "t", src);
	add_template(en, "t", src);
	assert_string_equal(render(zh, "t", "{\"name\": \"<李>\"}"),
	    "<h1>系统状态</h1><p>你好 &lt;李&gt;</p>Not in any catalog");
	assert_string_equal(render(en, "t", "{\"name\": \"Li\"}"),
	    "<h1>System status</h1><p>Hello Li</p>Not in any catalog");
	crm_tmpl_set_free(zh);
	crm_tmpl_set_free(en);
}

/* The real templates in Chinese: translated, and no tag left over. */
static void
test_real_templates_in_chinese(void **state)
{
	static const char health[] =
		"{\"ok\": true, \"status\": \"ok\", \"version\": \"0.1.0\", \"module\": \"admin\","
		" \"database\": {\"reachable\": true, \"migration_level\": 3, \"migrations_applied\": 3},"
		" \"uptime\": \"0d 00h 01m 00s\", \"workers\": 2, \"requests_served\": 5,"
		" \"app\": {\"name\": \"CRM\", \"version\": \"0.1.0\"}, \"page\": {\"lang_tag\": \"zh-CN\"}}";
	static const char error[] =
		"{\"status\": 404, \"title\": \"Not Found\", \"message\": \"x\","
		" \"page\": {\"request_id\": \"abc\"}, \"app\": {\"name\": \"CRM\"}}";
	struct crm_tmpl_set *s;
	struct crm_i18n *i18n;
	char dir[256], err[512] = "";
	const char *page;

	(void)state;
	if (access("html/templates/admin/health.mustache", R_OK) != 0 ||
	    (i18n = real_catalog(dir, sizeof(dir))) == NULL)
		fail_msg("the real templates or build/locale/zh_CN.mo are missing: run make from the top");
	s = crm_tmpl_set_new();
	crm_tmpl_set_translator(s, crm_i18n_tmpl_translator,
	    (void *)crm_i18n_catalog(i18n, "zh_CN"));
	if (crm_tmpl_set_load_dir(s, "html/templates", err, sizeof(err)) != CRM_OK)
		fail_msg("templates: %s", err);
	page = render(s, "admin/health", health);
	assert_non_null(strstr(page, "<title>系统状态 · CRM</title>"));
	assert_non_null(strstr(page, "<h1>系统状态</h1>"));
	assert_non_null(strstr(page, "所有系统运行正常"));
	assert_non_null(strstr(page, "<th scope=\"row\">数据库</th>"));
	assert_non_null(strstr(page, "3 (3 项已应用)"));
	assert_non_null(strstr(page, "<html lang=\"zh-CN\">"));
	assert_null(strstr(page, "{{"));
	assert_null(strstr(page, "System status"));
	page = render(s, "error", error);
	assert_non_null(strstr(page, "返回首页"));
	assert_non_null(strstr(page, "参考编号："));
	crm_tmpl_set_free(s);
	crm_i18n_free(i18n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_dir_is_english),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_languages_and_tags),
		cmocka_unit_test(test_large_catalog),
		cmocka_unit_test(test_big_endian_mo),
		cmocka_unit_test(test_corrupt_mo),
		cmocka_unit_test(test_mangled_mo_never_crashes),
		cmocka_unit_test(test_bad_directory_contents),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_negotiate_garbage),
		cmocka_unit_test(test_format_int),
		cmocka_unit_test(test_format_money),
		cmocka_unit_test(test_format_date),
		cmocka_unit_test(test_new_york_dst),
		cmocka_unit_test(test_bad_zones_are_utc),
		cmocka_unit_test(test_zones_agree_with_glibc),
		cmocka_unit_test(test_real_catalog),
		cmocka_unit_test(test_template_translator),
		cmocka_unit_test(test_real_templates_in_chinese),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
