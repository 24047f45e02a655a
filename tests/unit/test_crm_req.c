/* Unit tests for lib/crm_req.c: hostile input first. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "crm_arena.h"
#include "crm_req.h"

/* A string literal as (pointer, length), embedded NULs included. */
#define S(x) (x), (sizeof(x) - 1)

struct fx {
	struct crm_arena *a;
	struct crm_arena *b;    /* for parses that are reset in a loop */
	struct crm_req_limits lim;
	struct crm_params out;
	char dir[64];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	fx->a = crm_arena_new(4096);
	fx->b = crm_arena_new(4096);
	crm_req_limits_default(&fx->lim);
	strcpy(fx->dir, "/tmp/test_crm_req.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	fx->lim.tmpdir = fx->dir;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	int r;

	crm_arena_free(fx->a);
	crm_arena_free(fx->b);
	/* Fails if an upload outlived its arena. */
	r = rmdir(fx->dir);
	free(fx);
	return r;
}

static size_t
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* The size of the only file in dir. */
static off_t
only_file_size(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	char path[512];
	off_t size = -1;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		assert_int_equal(size, -1);
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(stat(path, &st), 0);
		size = st.st_size;
	}
	closedir(d);
	return size;
}

static size_t
count_fds(void)
{
	return count_files("/proc/self/fd");
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void
assert_file(const char *path, const char *want, size_t want_len)
{
	size_t len;
	char *got = slurp(path, &len);

	assert_int_equal(len, want_len);
	if (len > 0)
		assert_memory_equal(got, want, len);
	free(got);
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * UTF-8
 */

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(crm_utf8_valid(S("")));
	assert_true(crm_utf8_valid(S("plain ascii")));
	assert_true(crm_utf8_valid(S("\0")));
	assert_true(crm_utf8_valid(S("中文 Ünïcödé")));
	assert_true(crm_utf8_valid(S("\xF0\x9F\x98\x80")));    /* U+1F600 */
	assert_true(crm_utf8_valid(S("\xF4\x8F\xBF\xBF")));    /* U+10FFFF */
	assert_true(crm_utf8_valid(S("\xED\x9F\xBF")));        /* U+D7FF */
	assert_true(crm_utf8_valid(S("\xEE\x80\x80")));        /* U+E000 */
	assert_true(crm_utf8_valid(S("\xE0\xA0\x80")));        /* U+0800 */
	assert_true(crm_utf8_valid(S("\xC2\x80")));            /* U+0080 */

	assert_false(crm_utf8_valid(S("\xC0\xAF")));           /* overlong '/' */
	assert_false(crm_utf8_valid(S("\xC1\xBF")));
	assert_false(crm_utf8_valid(S("\xE0\x80\xAF")));       /* overlong */
	assert_false(crm_utf8_valid(S("\xE0\x9F\xBF")));
	assert_false(crm_utf8_valid(S("\xF0\x80\x80\xAF")));   /* overlong */
	assert_false(crm_utf8_valid(S("\xF0\x8F\xBF\xBF")));
	assert_false(crm_utf8_valid(S("\xED\xA0\x80")));       /* U+D800 */
	assert_false(crm_utf8_valid(S("\xED\xBF\xBF")));       /* U+DFFF */
	assert_false(crm_utf8_valid(S("\xF4\x90\x80\x80")));   /* U+110000 */
	assert_false(crm_utf8_valid(S("\xF5\x80\x80\x80")));
	assert_false(crm_utf8_valid(S("\xF8\x88\x80\x80\x80")));       /* 5 bytes */
	assert_false(crm_utf8_valid(S("\xFC\x84\x80\x80\x80\x80")));   /* 6 bytes */
	assert_false(crm_utf8_valid(S("\xFE")));
	assert_false(crm_utf8_valid(S("\xFF")));
	assert_false(crm_utf8_valid(S("\x80")));               /* lone continuation */
	assert_false(crm_utf8_valid(S("a\xBF")));
	assert_false(crm_utf8_valid(S("\xE4\xB8")));           /* cut short */
	assert_false(crm_utf8_valid(S("\xC2")));
	assert_false(crm_utf8_valid(S("\xC2\x41")));
	assert_false(crm_utf8_valid(S("\xE4\xB8\xAD\xE4")));
}

/*
 * urlencoded
 */

static enum crm_err
url(struct fx *fx, const char *s, size_t len)
{
	return crm_parse_urlencoded(fx->a, s, len, &fx->lim, &fx->out);
}

static void
assert_param(const struct crm_param *p, const char *name, const char *value, size_t value_len)
{
	assert_int_equal(p->name.len, strlen(name));
	assert_string_equal(p->name.data, name);
	assert_int_equal(p->value.len, value_len);
	assert_memory_equal(p->value.data, value, value_len);
	assert_int_equal(p->value.data[value_len], '\0');
}

static void
test_urlencoded_basic(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(url(fx, S("a=1&b=hello+world&c=%41%42&d&e=&=f&g=x=y&h+i=%2b")), CRM_OK);
	assert_int_equal(fx->out.n, 8);
	assert_param(&fx->out.v[0], "a", S("1"));
	assert_param(&fx->out.v[1], "b", S("hello world"));
	assert_param(&fx->out.v[2], "c", S("AB"));
	assert_param(&fx->out.v[3], "d", S(""));
	assert_param(&fx->out.v[4], "e", S(""));
	assert_param(&fx->out.v[5], "", S("f"));
	assert_param(&fx->out.v[6], "g", S("x=y"));
	assert_param(&fx->out.v[7], "h i", S("+"));
	assert_null(fx->out.v[0].filename);
	assert_null(fx->out.v[0].path);
	assert_null(fx->out.v[0].content_type);
	assert_string_equal(crm_params_get(&fx->out, "b"), "hello world");
	assert_string_equal(crm_params_get(&fx->out, "d"), "");
	assert_null(crm_params_get(&fx->out, "zz"));
	assert_null(crm_params_get(&fx->out, "A"));
	assert_ptr_equal(crm_params_find(&fx->out, "c"), &fx->out.v[2]);
}

static void
test_urlencoded_empty_pairs(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(url(fx, NULL, 0), CRM_OK);
	assert_int_equal(url(fx, S("&&&")), CRM_OK);
	assert_int_equal(fx->out.n, 0);
	assert_int_equal(url(fx, S("&a=1&&b=2&")), CRM_OK);
	assert_int_equal(fx->out.n, 2);
	assert_string_equal(crm_params_get(&fx->out, "a"), "1");
	assert_string_equal(crm_params_get(&fx->out, "b"), "2");
}

static void
test_urlencoded_duplicates(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(url(fx, S("tag=a&tag=b&tag=c")), CRM_OK);
	assert_int_equal(fx->out.n, 3);
	assert_string_equal(crm_params_get(&fx->out, "tag"), "a");
	assert_string_equal(fx->out.v[2].value.data, "c");
	/* A second call appends: a query string, then a body. */
	assert_int_equal(url(fx, S("x=1")), CRM_OK);
	assert_int_equal(fx->out.n, 4);
}

static void
test_urlencoded_chinese(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(url(fx, S("name=%E5%BC%A0%E4%B8%89&note=%e4%bd%a0%e5%a5%bd+%E4%B8%96%E7%95%8C"
	    "&%E5%90%8D=raw%20&raw=中文")), CRM_OK);
	assert_string_equal(crm_params_get(&fx->out, "name"), "张三");
	assert_string_equal(crm_params_get(&fx->out, "note"), "你好 世界");
	assert_string_equal(crm_params_get(&fx->out, "名"), "raw ");
	assert_string_equal(crm_params_get(&fx->out, "raw"), "中文");
}

static void
test_urlencoded_bad(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
		{ S("%") }, { S("a=%") }, { S("a=%4") }, { S("a=%zz") },
		{ S("a=%4g") }, { S("a=%g4") }, { S("%=1") }, { S("a%4=1") },
		{ S("a=1&b=%") }, { S("a=% 1") }, { S("a=%+1") },
		{ S("a=%00") }, { S("a%00=1") }, { S("a=x%00y") }, { S("a=\0") },
		{ S("\0=1") },
		{ S("a=%C0%AF") }, { S("a=%c0%af") }, { S("a=\xC0\xAF") },
		{ S("a=%E0%80%AF") }, { S("a=%ED%A0%80") }, { S("a=\xED\xA0\x80") },
		{ S("a=%ED%BF%BF") }, { S("a=%F4%90%80%80") },
		{ S("a=%F8%88%80%80%80") }, { S("a=%FC%84%80%80%80%80") },
		{ S("a=%FF") }, { S("a=%80") }, { S("a=\xFF") },
		{ S("a=%E4%B8") }, { S("a=%E4%B8&b=%AD") }, { S("%E4%B8=%AD") },
		{ S("%C0%AF=1") },
	};
	size_t i;

	assert_int_equal(url(fx, S("keep=1")), CRM_OK);
	for (i = 0; i < CRM_NELEM(bad); i++) {
		print_message("bad urlencoded %zu\n", i);
		assert_int_equal(url(fx, bad[i].s, bad[i].len), CRM_EINVAL);
		/* Nothing of a failed parse stays. */
		assert_int_equal(fx->out.n, 1);
	}
	assert_int_equal(url(fx, S("a=1&b=2&c=%zz")), CRM_EINVAL);
	assert_int_equal(fx->out.n, 1);
	assert_string_equal(crm_params_get(&fx->out, "keep"), "1");
	assert_null(crm_params_get(&fx->out, "a"));
}

static void
test_urlencoded_limits(void **state)
{
	struct fx *fx = *state;
	size_t big = 1024 * 1024, i;
	char *s;

	fx->lim.max_fields = 3;
	fx->lim.max_name = 3;
	fx->lim.max_value = 3;
	assert_int_equal(url(fx, S("a&b&c")), CRM_OK);
	assert_int_equal(url(fx, S("a&&b&&c&&&")), CRM_OK);
	assert_int_equal(url(fx, S("a&b&c&d")), CRM_ETOOBIG);
	assert_int_equal(url(fx, S("abc=xyz")), CRM_OK);
	assert_int_equal(url(fx, S("%41%42%43=%41%42%43")), CRM_OK);
	assert_int_equal(url(fx, S("abcd=1")), CRM_ETOOBIG);
	assert_int_equal(url(fx, S("%41%42%43%44=1")), CRM_ETOOBIG);
	assert_int_equal(url(fx, S("a=abcd")), CRM_ETOOBIG);
	assert_int_equal(url(fx, S("a=%41%41%41%41")), CRM_ETOOBIG);
	assert_int_equal(url(fx, S("a=+++")), CRM_OK);
	assert_int_equal(url(fx, S("a=++++")), CRM_ETOOBIG);
	/* A bad byte before the limit is what is reported. */
	assert_int_equal(url(fx, S("a=%zzabcd")), CRM_EINVAL);
	assert_int_equal(url(fx, S("a=abcd%zz")), CRM_ETOOBIG);
	assert_int_equal(fx->out.n, 9);

	fx->lim.max_fields = 0;
	assert_int_equal(url(fx, S("a")), CRM_ETOOBIG);
	assert_int_equal(url(fx, S("&&")), CRM_OK);

	/* A megabyte value against the default 64 KiB limit. */
	crm_req_limits_default(&fx->lim);
	s = malloc(big);
	assert_non_null(s);
	memcpy(s, "v=", 2);
	for (i = 2; i < big; i++)
		s[i] = 'x';
	assert_int_equal(url(fx, s, big), CRM_ETOOBIG);
	assert_int_equal(url(fx, s, 2 + 64 * 1024), CRM_OK);
	assert_int_equal(fx->out.v[fx->out.n - 1].value.len, 64 * 1024);
	/* Many fields. */
	for (i = 0; i + 1 < big; i += 2) {
		s[i] = 'f';
		s[i + 1] = '&';
	}
	assert_int_equal(url(fx, s, 2 * 256), CRM_OK);
	assert_int_equal(url(fx, s, 2 * 257), CRM_ETOOBIG);
	assert_int_equal(url(fx, s, big), CRM_ETOOBIG);
	free(s);
}

/*
 * Cookies
 */

static enum crm_err
cookie(struct fx *fx, const char *s, size_t len)
{
	return crm_parse_cookies(fx->a, s, len, &fx->lim, &fx->out);
}

static void
test_cookies_basic(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(cookie(fx, S("SID=31d4d96e407aad42; lang=en-US")), CRM_OK);
	assert_int_equal(fx->out.n, 2);
	assert_param(&fx->out.v[0], "SID", S("31d4d96e407aad42"));
	assert_param(&fx->out.v[1], "lang", S("en-US"));

	fx->out.n = 0;
	assert_int_equal(cookie(fx, S("a=\"quoted\"; b=; c=%41+/:<>?@[]{}; $d!#=x=y; e=\"\"")), CRM_OK);
	assert_int_equal(fx->out.n, 5);
	assert_param(&fx->out.v[0], "a", S("quoted"));
	assert_param(&fx->out.v[1], "b", S(""));
	/* No percent decoding. */
	assert_param(&fx->out.v[2], "c", S("%41+/:<>?@[]{}"));
	assert_param(&fx->out.v[3], "$d!#", S("x=y"));
	assert_param(&fx->out.v[4], "e", S(""));

	/* Whitespace around separators, a trailing ';', duplicates. */
	fx->out.n = 0;
	assert_int_equal(cookie(fx, S("  a=1 ;b=2;\tc=3\t; a=4;  ")), CRM_OK);
	assert_int_equal(fx->out.n, 4);
	assert_string_equal(crm_params_get(&fx->out, "a"), "1");
	assert_string_equal(crm_params_get(&fx->out, "c"), "3");

	fx->out.n = 0;
	assert_int_equal(cookie(fx, S("")), CRM_OK);
	assert_int_equal(cookie(fx, S("   ")), CRM_OK);
	assert_int_equal(cookie(fx, S("a=")), CRM_OK);
	assert_int_equal(cookie(fx, S("a=\"\"")), CRM_OK);
	assert_int_equal(fx->out.n, 2);
}

static void
test_cookies_bad(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
		{ S("a=b c") }, { S("a b=1") }, { S("a =1") }, { S("a= 1") },
		{ S("a=1;;b=2") }, { S(";a=1") }, { S(";") }, { S("a") },
		{ S("a=1; b") }, { S("=1") }, { S("a=1; =2") },
		{ S("a=\x01") }, { S("a=\x7f") }, { S("a\x01=1") }, { S("a=1\r\n") },
		{ S("a=1\n b=2") }, { S("a=x,y") }, { S("a=x\\y") }, { S("a=\"x") },
		{ S("a=\"x\"y") }, { S("a=\"x y\"") }, { S("a=\"x\\\"\"") },
		{ S("a=x\"") }, { S("a\0=1") }, { S("a=\0") }, { S("a=\xC3\xA9") },
		{ S("\xC3\xA9=1") }, { S("a(b)=1") }, { S("a@b=1") }, { S("a=1 b=2") },
		{ S("a=1,b=2") },
	};
	size_t i;

	assert_int_equal(cookie(fx, S("keep=1")), CRM_OK);
	for (i = 0; i < CRM_NELEM(bad); i++) {
		print_message("bad cookie %zu\n", i);
		assert_int_equal(cookie(fx, bad[i].s, bad[i].len), CRM_EINVAL);
		assert_int_equal(fx->out.n, 1);
	}
	assert_int_equal(cookie(fx, S("a=1; b=2; c=x y")), CRM_EINVAL);
	assert_int_equal(fx->out.n, 1);
}

static void
test_cookies_limits(void **state)
{
	struct fx *fx = *state;

	fx->lim.max_fields = 2;
	fx->lim.max_name = 3;
	fx->lim.max_value = 3;
	assert_int_equal(cookie(fx, S("abc=xyz; b=\"xyz\"")), CRM_OK);
	assert_int_equal(cookie(fx, S("a=1; b=2; c=3")), CRM_ETOOBIG);
	assert_int_equal(cookie(fx, S("abcd=1")), CRM_ETOOBIG);
	assert_int_equal(cookie(fx, S("a=wxyz")), CRM_ETOOBIG);
	assert_int_equal(cookie(fx, S("a=\"wxyz\"")), CRM_ETOOBIG);
	assert_int_equal(fx->out.n, 2);
	fx->lim.max_name = 0;
	assert_int_equal(cookie(fx, S("a=1")), CRM_ETOOBIG);
}

/*
 * Content-Type
 */

static enum crm_err
ctype(struct fx *fx, const char *s, size_t len, struct crm_str *mime, struct crm_str *b)
{
	return crm_parse_content_type(fx->a, s, len, mime, b);
}

static void
test_content_type(void **state)
{
	struct fx *fx = *state;
	struct crm_str mime, b;
	char b70[100], b71[100];

	assert_int_equal(ctype(fx, S("multipart/form-data; boundary=xyz"), &mime, &b), CRM_OK);
	assert_string_equal(mime.data, "multipart/form-data");
	assert_int_equal(mime.len, 19);
	assert_string_equal(b.data, "xyz");
	assert_int_equal(b.len, 3);

	assert_int_equal(ctype(fx, S("Multipart/Form-Data;BOUNDARY=\"a b'()+_,-./:=?Z\"; charset=utf-8"),
	    &mime, &b), CRM_OK);
	assert_string_equal(mime.data, "multipart/form-data");
	assert_string_equal(b.data, "a b'()+_,-./:=?Z");

	assert_int_equal(ctype(fx, S("multipart/form-data; charset=\"x;y\" ; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW "),
	    &mime, &b), CRM_OK);
	assert_string_equal(b.data, "----WebKitFormBoundary7MA4YWxkTrZu0gW");

	/* A quoted-pair is unquoted. */
	assert_int_equal(ctype(fx, S("multipart/form-data; boundary=\"a\\bc\""), &mime, &b), CRM_OK);
	assert_string_equal(b.data, "abc");

	assert_int_equal(ctype(fx, S("application/x-www-form-urlencoded"), &mime, &b), CRM_OK);
	assert_string_equal(mime.data, "application/x-www-form-urlencoded");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");

	/* RFC 9110 allows empty parameters. */
	assert_int_equal(ctype(fx, S("text/html;;charset=UTF-8;"), &mime, &b), CRM_OK);
	assert_string_equal(mime.data, "text/html");

	memset(b70, 'a', 70);
	b70[70] = '\0';
	memset(b71, 'a', 71);
	b71[71] = '\0';
	{
		char hdr[200];

		snprintf(hdr, sizeof(hdr), "multipart/form-data; boundary=%s", b70);
		assert_int_equal(ctype(fx, hdr, strlen(hdr), &mime, &b), CRM_OK);
		assert_int_equal(b.len, 70);
		snprintf(hdr, sizeof(hdr), "multipart/form-data; boundary=%s", b71);
		assert_int_equal(ctype(fx, hdr, strlen(hdr), &mime, &b), CRM_EINVAL);
		assert_int_equal(b.len, 0);
	}
}

static void
test_content_type_bad(void **state)
{
	struct fx *fx = *state;
	struct crm_str mime, b;
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
		{ S("") }, { S("multipart") }, { S("multipart/") }, { S("/form-data") },
		{ S("multipart /form-data") }, { S("multipart/form-data boundary=x") },
		{ S("multipart/form-data; boundary") }, { S("multipart/form-data; boundary=") },
		{ S("multipart/form-data; boundary=\"\"") },
		{ S("multipart/form-data; boundary=\"abc \"") },
		{ S("multipart/form-data; boundary=\"a@b\"") },
		{ S("multipart/form-data; boundary=\"a\\\"b\"") },
		{ S("multipart/form-data; boundary=\"a\rb\"") },
		{ S("multipart/form-data; boundary=a=b") },
		{ S("multipart/form-data; boundary=a b") },
		{ S("multipart/form-data; boundary=\"ab") },
		{ S("multipart/form-data; boundary=x; boundary=x") },
		{ S("multipart/form-data; boundary=x; Boundary=y") },
		{ S("multipart/form-data; boundary=x\0") },
		{ S("multipart/form-data; =x") },
		{ S("text/html; charset=\"unterminated") },
		{ S("text/html; charset=a b") },
		{ S("text/html; charset=\"a\x01\"") },
		{ S("text/html\r\n") },
		{ S("text/h\xC3\xA9") },
	};
	size_t i;

	for (i = 0; i < CRM_NELEM(bad); i++) {
		print_message("bad content type %zu\n", i);
		assert_int_equal(ctype(fx, bad[i].s, bad[i].len, &mime, &b), CRM_EINVAL);
		assert_int_equal(b.len, 0);
	}
}

/*
 * multipart/form-data
 */

#define BND "XyZ"
#define CD "Content-Disposition: form-data; "

/* Parses body in chunks of `chunk` bytes (0: whole); checks that an error
 * sticks and leaves `out` as it was. */
static enum crm_err
mp_run(struct crm_arena *a, const struct crm_req_limits *lim, const char *body,
    size_t len, size_t chunk, struct crm_params *out)
{
	struct crm_multipart *mp = crm_multipart_new(a, S(BND), lim, out);
	size_t off, n0 = out->n;
	enum crm_err e = CRM_OK;

	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len && e == CRM_OK; off += chunk)
		e = crm_multipart_feed(mp, body + off, len - off < chunk ? len - off : chunk);
	if (e == CRM_OK)
		e = crm_multipart_finish(mp);
	if (e != CRM_OK) {
		assert_int_equal(out->n, n0);
		assert_int_equal(crm_multipart_feed(mp, S("--" BND "--\r\n")), e);
		assert_int_equal(crm_multipart_finish(mp), e);
		assert_int_equal(out->n, n0);
	}
	return e;
}

static enum crm_err
mp_whole(struct fx *fx, const char *body, size_t len)
{
	return mp_run(fx->a, &fx->lim, body, len, 0, &fx->out);
}

/* Every chunk size gives the same error, and leaves no file behind. */
static void
mp_expect_all_chunks(struct fx *fx, const char *body, size_t len, enum crm_err want)
{
	struct crm_params out;
	size_t chunk, files = count_files(fx->dir);

	for (chunk = 1; chunk <= len + 1; chunk++) {
		memset(&out, 0, sizeof(out));
		if (mp_run(fx->b, &fx->lim, body, len, chunk, &out) != want)
			fail_msg("chunk %zu: not %d", chunk, want);
		crm_arena_reset(fx->b);
		assert_int_equal(count_files(fx->dir), files);
	}
}

static void
assert_same_params(const struct crm_params *x, const struct crm_params *y)
{
	size_t i, xl, yl;

	assert_int_equal(x->n, y->n);
	for (i = 0; i < x->n; i++) {
		const struct crm_param *p = &x->v[i], *q = &y->v[i];

		assert_int_equal(p->name.len, q->name.len);
		assert_memory_equal(p->name.data, q->name.data, p->name.len + 1);
		assert_int_equal(p->value.len, q->value.len);
		assert_memory_equal(p->value.data, q->value.data, p->value.len + 1);
		assert_int_equal(p->filename == NULL, q->filename == NULL);
		if (p->filename)
			assert_string_equal(p->filename, q->filename);
		assert_int_equal(p->content_type == NULL, q->content_type == NULL);
		if (p->content_type)
			assert_string_equal(p->content_type, q->content_type);
		assert_int_equal(p->path == NULL, q->path == NULL);
		assert_int_equal(p->size, q->size);
		if (p->path) {
			char *xs = slurp(p->path, &xl), *ys = slurp(q->path, &yl);

			assert_int_equal(xl, p->size);
			assert_int_equal(yl, q->size);
			if (xl > 0)
				assert_memory_equal(xs, ys, xl);
			free(xs);
			free(ys);
		}
	}
}

static const char body_mixed[] =
    "This is the preamble, ignored.\r\n--XyY is not the boundary\r\n-\r\n"
    "--XyZ  \t\r\n"
    CD "name=\"title\"\r\n"
    "\r\n"
    "中文标题：你好，世界\r\n"
    "--XyZ\r\n"
    "content-disposition: FORM-DATA; name=\"empty\"\r\n"
    "X-Ignored: yes\r\n"
    "\r\n"
    "\r\n"
    "--XyZ\r\n"
    "Content-Type: text/plain; charset=\"utf-8\"\r\n"
    CD "filename=\"C:\\dir\\a.txt\"; name=\"doc\"\r\n"
    "\r\n"
    "line1\r\n--Xy\r\n--XY\r\r\n-\r\n\n--XyZ\n\r\n-- XyZ\r\r\r\n--X\r\n\r\n"
    "\r\n"
    "--XyZ\r\n"
    CD "name=\"bin\"; filename=\"../../etc/passwd\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\0\x01\xff\xfe\r\0\r\n\0--\r\n-"
    "\r\n"
    "--XyZ\r\n"
    CD "name=\"备注\"\r\n"
    "\r\n"
    "多行\r\n文本\r\n"
    "--XyZ\r\n"
    CD "name=\"none\"; filename=\"\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\r\n"
    "--XyZ--  \r\n\r\n";

static void
check_mixed(const struct crm_params *out)
{
	const struct crm_param *p;

	assert_int_equal(out->n, 6);
	assert_param(&out->v[0], "title", S("中文标题：你好，世界"));
	assert_null(out->v[0].filename);
	assert_null(out->v[0].path);
	assert_null(out->v[0].content_type);
	assert_param(&out->v[1], "empty", S(""));

	p = crm_params_find(out, "doc");
	assert_ptr_equal(p, &out->v[2]);
	assert_string_equal(p->filename, "a.txt");
	assert_string_equal(p->content_type, "text/plain; charset=\"utf-8\"");
	assert_param(p, "doc", S(""));
	assert_non_null(p->path);
	assert_int_equal(p->size, sizeof("line1\r\n--Xy\r\n--XY\r\r\n-\r\n\n--XyZ\n\r\n-- XyZ\r\r\r\n--X\r\n\r\n") - 1);
	assert_file(p->path, S("line1\r\n--Xy\r\n--XY\r\r\n-\r\n\n--XyZ\n\r\n-- XyZ\r\r\r\n--X\r\n\r\n"));

	p = &out->v[3];
	assert_param(p, "bin", S(""));
	assert_string_equal(p->filename, "passwd");
	assert_string_equal(p->content_type, "application/octet-stream");
	assert_file(p->path, S("\0\x01\xff\xfe\r\0\r\n\0--\r\n-"));

	assert_string_equal(crm_params_get(out, "备注"), "多行\r\n文本");

	p = &out->v[5];
	assert_param(p, "none", S(""));
	assert_string_equal(p->filename, "");
	assert_int_equal(p->size, 0);
	assert_file(p->path, S(""));
}

static void
test_multipart_basic(void **state)
{
	struct fx *fx = *state;
	size_t i;

	assert_int_equal(mp_whole(fx, S(body_mixed)), CRM_OK);
	check_mixed(&fx->out);
	/* The uploads are in tmpdir until the arena is reset. */
	assert_int_equal(count_files(fx->dir), 3);
	for (i = 0; i < fx->out.n; i++)
		if (fx->out.v[i].path != NULL) {
			assert_true(exists(fx->out.v[i].path));
			assert_memory_equal(fx->out.v[i].path, fx->dir, strlen(fx->dir));
		}
	crm_arena_reset(fx->a);
	assert_int_equal(count_files(fx->dir), 0);
}

/* Every chunk size from 1 byte to the whole body gives the same parts, so
 * the delimiter split at every possible offset is covered. */
static void
test_multipart_chunks(void **state)
{
	struct fx *fx = *state;
	struct crm_params out;
	size_t chunk, len = sizeof(body_mixed) - 1, files;

	assert_int_equal(mp_whole(fx, body_mixed, len), CRM_OK);
	files = count_files(fx->dir);
	for (chunk = 1; chunk <= len + 1; chunk++) {
		memset(&out, 0, sizeof(out));
		assert_int_equal(mp_run(fx->b, &fx->lim, body_mixed, len, chunk, &out), CRM_OK);
		check_mixed(&out);
		assert_same_params(&fx->out, &out);
		crm_arena_reset(fx->b);
		assert_int_equal(count_files(fx->dir), files);
	}
}

/* Chunks of uneven sizes, including empty ones. */
static void
test_multipart_uneven_chunks(void **state)
{
	struct fx *fx = *state;
	struct crm_multipart *m;
	size_t off = 0, len = sizeof(body_mixed) - 1, n, k = 0;

	m = crm_multipart_new(fx->a, S(BND), &fx->lim, &fx->out);
	while (off < len) {
		n = (k * 7919) % 13;    /* 0..12, zero included */
		if (n > len - off)
			n = len - off;
		assert_int_equal(crm_multipart_feed(m, body_mixed + off, n), CRM_OK);
		off += n;
		k++;
	}
	assert_int_equal(crm_multipart_feed(m, NULL, 0), CRM_OK);
	assert_int_equal(crm_multipart_finish(m), CRM_OK);
	assert_int_equal(crm_multipart_finish(m), CRM_OK);
	check_mixed(&fx->out);
}

static void
test_multipart_from_content_type(void **state)
{
	struct fx *fx = *state;
	struct crm_str mime, b;
	struct crm_multipart *m;
	static const char body[] =
	    "--a b:c\r\n" CD "name=x\r\n\r\n1\r\n--a b:c--";

	assert_int_equal(crm_parse_content_type(fx->a,
	    S("multipart/form-data; boundary=\"a b:c\""), &mime, &b), CRM_OK);
	m = crm_multipart_new(fx->a, b.data, b.len, &fx->lim, &fx->out);
	assert_int_equal(crm_multipart_feed(m, S(body)), CRM_OK);
	assert_int_equal(crm_multipart_finish(m), CRM_OK);
	assert_string_equal(crm_params_get(&fx->out, "x"), "1");
}

static void
test_multipart_empty_form(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(mp_whole(fx, S("--XyZ--\r\n")), CRM_OK);
	assert_int_equal(mp_whole(fx, S("--XyZ--")), CRM_OK);
	assert_int_equal(mp_whole(fx, S("preamble\r\n--XyZ-- \t\r\n \r\n\r\n")), CRM_OK);
	assert_int_equal(fx->out.n, 0);
}

static void
test_multipart_truncated(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
		{ S("") },
		{ S("only a preamble, no boundary at all") },
		{ S("only a preamble\r\n--XyZ") },
		{ S("--XyZ") },
		{ S("--XyZ\r") },
		{ S("--XyZ\r\n") },
		{ S("--XyZ\r\n" CD "name=\"a\"") },
		{ S("--XyZ\r\n" CD "name=\"a\"\r\n") },
		{ S("--XyZ\r\n" CD "name=\"a\"\r\n\r\n") },
		{ S("--XyZ\r\n" CD "name=\"a\"\r\n\r\nvalue") },
		{ S("--XyZ\r\n" CD "name=\"a\"\r\n\r\nvalue\r\n--XyZ") },
		{ S("--XyZ\r\n" CD "name=\"a\"\r\n\r\nvalue\r\n--XyZ\r\n") },
		{ S("--XyZ\r\n" CD "name=\"a\"\r\n\r\nvalue\r\n--XyZ-") },
		{ S("--XyZ\r\n" CD "name=\"a\"\r\n\r\nvalue\r\n--XyZ--\r") },
		{ S("--XyZ\r\n" CD "name=\"f\"; filename=\"f\"\r\n\r\ndata\r\n--Xy") },
	};
	size_t i;

	for (i = 0; i < CRM_NELEM(bad); i++) {
		print_message("truncated multipart %zu\n", i);
		mp_expect_all_chunks(fx, bad[i].s, bad[i].len, CRM_EINVAL);
	}
}

static void
test_multipart_malformed(void **state)
{
	struct fx *fx = *state;
	char line[1100], body[1300];
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
		/* No CRLF after the boundary. */
		{ S("--XyZX\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\n" CD "name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\rX" CD "name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ \rX") },
		{ S("--XyZ-x") },
		/* The boundary inside content. */
		{ S("--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZZ\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ-\r\n--XyZ--") },
		/* CR without LF, LF without CR, control bytes in headers. */
		{ S("--XyZ\r\n" CD "name=a\rX\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\n\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\n\r\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=\"a\0\"\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=\"a\x7f\"\r\n\r\n1\r\n--XyZ--") },
		/* Parts without a usable Content-Disposition. */
		{ S("--XyZ\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\nContent-Disposition: form-data;\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "filename=\"a.txt\"\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "Name=\"\xC0\xAF\"\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\nContent-Disposition: form-dataX; name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\nContent-Disposition: name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\nContent-Disposition: form-data name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=\"a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a b\r\n\r\n1\r\n--XyZ--") },
		/* Repeated headers and parameters. */
		{ S("--XyZ\r\n" CD "name=a\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a; name=b\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a; filename=b; filename=c\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\nContent-Type: a/b\r\ncontent-type: a/b\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\nContent-Type: garbage\r\n\r\n1\r\n--XyZ--") },
		/* Header syntax: obs-fold, space before the colon, no colon. */
		{ S("--XyZ\r\n" CD "\r\n name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\nContent-Disposition : form-data; name=a\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\nX-Header\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\n: x\r\n\r\n1\r\n--XyZ--") },
		/* Filenames that name no file. */
		{ S("--XyZ\r\n" CD "name=a; filename=\"..\"\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a; filename=\"x/.\"\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a; filename=\"a\tb\"\r\n\r\n1\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a; filename=\"\xED\xA0\x80.txt\"\r\n\r\n1\r\n--XyZ--") },
		/* Text parts follow the urlencoded rules. */
		{ S("--XyZ\r\n" CD "name=a\r\n\r\n\xC0\xAF\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\n\r\n\xE4\xB8\r\n--XyZ--") },
		{ S("--XyZ\r\n" CD "name=a\r\n\r\nx\0y\r\n--XyZ--") },
		/* Bytes after the close delimiter. */
		{ S("--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--\r\nepilogue") },
		{ S("--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--x") },
		{ S("--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--\r\r\n") },
		{ S("--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--\n") },
		{ S("--XyZ--\r\n--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--") },
	};
	size_t i, n, fixed;

	for (i = 0; i < CRM_NELEM(bad); i++) {
		print_message("malformed multipart %zu\n", i);
		mp_expect_all_chunks(fx, bad[i].s, bad[i].len, CRM_EINVAL);
	}

	/* A header line of 1024 bytes is accepted, 1025 is not. */
	memset(line, 'x', sizeof(line));
	memcpy(line, "X-Pad: ", 7);
	n = (size_t)snprintf(body, sizeof(body), "--XyZ\r\n%.*s\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--",
	    1024, line);
	assert_int_equal(mp_whole(fx, body, n), CRM_OK);
	n = (size_t)snprintf(body, sizeof(body), "--XyZ\r\n%.*s\r\n" CD "name=a\r\n\r\n1\r\n--XyZ--",
	    1025, line);
	mp_expect_all_chunks(fx, body, n, CRM_EINVAL);
	/* The same for a Content-Disposition line. */
	fixed = strlen(CD "name=\"\"");
	n = (size_t)snprintf(body, sizeof(body), "--XyZ\r\n" CD "name=\"%.*s\"\r\n\r\n1\r\n--XyZ--",
	    (int)(1024 - fixed), line + 7);
	fx->lim.max_name = 2000;
	assert_int_equal(mp_whole(fx, body, n), CRM_OK);
	n = (size_t)snprintf(body, sizeof(body), "--XyZ\r\n" CD "name=\"%.*s\"\r\n\r\n1\r\n--XyZ--",
	    (int)(1025 - fixed), line + 7);
	mp_expect_all_chunks(fx, body, n, CRM_EINVAL);
}

static void
test_multipart_header_count(void **state)
{
	struct fx *fx = *state;
	char body[1024];
	size_t n, i;

	for (n = 15; n <= 16; n++) {
		size_t len = (size_t)snprintf(body, sizeof(body), "--XyZ\r\n" CD "name=a\r\n");

		for (i = 0; i < n; i++)
			len += (size_t)snprintf(body + len, sizeof(body) - len, "X-H%zu: v\r\n", i);
		len += (size_t)snprintf(body + len, sizeof(body) - len, "\r\n1\r\n--XyZ--");
		if (n == 15)
			assert_int_equal(mp_whole(fx, body, len), CRM_OK);       /* 16 headers */
		else
			mp_expect_all_chunks(fx, body, len, CRM_EINVAL);  /* 17 */
	}
}

static void
test_multipart_filenames(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *header;
		const char *want;
	} cases[] = {
		{ "filename=\"C:\\dir\\a.txt\"", "a.txt" },
		{ "filename=\"../../etc/passwd\"", "passwd" },
		{ "filename=\"/etc/shadow\"", "shadow" },
		{ "filename=\"..\\..\\boot.ini\"", "boot.ini" },
		{ "filename=\"dir/\"", "" },
		{ "filename=\"报告 2024.pdf\"", "报告 2024.pdf" },
		{ "filename=plain.txt", "plain.txt" },
		{ "FILENAME=\"UPPER.TXT\"", "UPPER.TXT" },
		/* A browser sends " as %22 and keeps it so; Go escapes it. */
		{ "filename=\"a%22b.txt\"", "a%22b.txt" },
		{ "filename=\"a\\\"b.txt\"", "a\"b.txt" },
		{ "filename=\"C:\\\\dir\\\\c.txt\"", "c.txt" },
		{ "filename=\"...\"", "..." },
		{ "filename=\".htaccess\"", ".htaccess" },
		/* RFC 7578 §4.2: filename* is not used. */
		{ "filename=\"a.txt\"; filename*=UTF-8''evil.exe", "a.txt" },
	};
	char body[512];
	size_t i, n;

	for (i = 0; i < CRM_NELEM(cases); i++) {
		print_message("filename %zu\n", i);
		memset(&fx->out, 0, sizeof(fx->out));
		n = (size_t)snprintf(body, sizeof(body),
		    "--XyZ\r\n" CD "name=\"f\"; %s\r\n\r\ncontent\r\n--XyZ--\r\n", cases[i].header);
		assert_int_equal(mp_whole(fx, body, n), CRM_OK);
		assert_int_equal(fx->out.n, 1);
		assert_string_equal(fx->out.v[0].filename, cases[i].want);
		assert_int_equal(fx->out.v[0].size, 7);
		assert_file(fx->out.v[0].path, S("content"));
	}
	/* Only filename* is a text part. */
	memset(&fx->out, 0, sizeof(fx->out));
	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=f; filename*=UTF-8''x.txt\r\n\r\nv\r\n--XyZ--")), CRM_OK);
	assert_null(fx->out.v[0].filename);
	assert_null(fx->out.v[0].path);
	assert_string_equal(fx->out.v[0].value.data, "v");
}

static void
test_multipart_chinese(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=\"客户名称\"\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
	    "北京字节跳动科技有限公司 🚀\r\n--XyZ--\r\n")), CRM_OK);
	assert_string_equal(crm_params_get(&fx->out, "客户名称"), "北京字节跳动科技有限公司 🚀");
	assert_string_equal(fx->out.v[0].content_type, "text/plain; charset=UTF-8");
}

static void
test_multipart_limits(void **state)
{
	struct fx *fx = *state;
	static const char five[] =
	    "--XyZ\r\n" CD "name=a\r\n\r\n1\r\n"
	    "--XyZ\r\n" CD "name=b\r\n\r\n2\r\n"
	    "--XyZ\r\n" CD "name=c; filename=c\r\n\r\n3\r\n"
	    "--XyZ\r\n" CD "name=d\r\n\r\n4\r\n"
	    "--XyZ\r\n" CD "name=e\r\n\r\n5\r\n"
	    "--XyZ--\r\n";

	fx->lim.max_fields = 5;
	assert_int_equal(mp_whole(fx, S(five)), CRM_OK);
	assert_int_equal(fx->out.n, 5);
	fx->lim.max_fields = 4;
	mp_expect_all_chunks(fx, S(five), CRM_ETOOBIG);
	assert_int_equal(mp_whole(fx, S(five)), CRM_ETOOBIG);
	assert_int_equal(fx->out.n, 5);

	crm_req_limits_default(&fx->lim);
	fx->lim.tmpdir = fx->dir;
	fx->lim.max_name = 3;
	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=abc\r\n\r\n1\r\n--XyZ--")), CRM_OK);
	mp_expect_all_chunks(fx, S("--XyZ\r\n" CD "name=abcd\r\n\r\n1\r\n--XyZ--"), CRM_ETOOBIG);
	/* Two characters, but four bytes: the limit is in bytes. */
	mp_expect_all_chunks(fx, S("--XyZ\r\n" CD "name=\"中a\"\r\n\r\n1\r\n--XyZ--"), CRM_ETOOBIG);

	fx->lim.max_value = 4;
	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=v\r\n\r\n中a\r\n--XyZ--")), CRM_OK);
	mp_expect_all_chunks(fx, S("--XyZ\r\n" CD "name=v\r\n\r\n12345\r\n--XyZ--"), CRM_ETOOBIG);
	/* Value limits do not apply to files. */
	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=f; filename=f\r\n\r\n123456789\r\n--XyZ--")), CRM_OK);
	/* The first offending byte decides, whatever the chunking. */
	mp_expect_all_chunks(fx, S("--XyZ\r\n" CD "name=v\r\n\r\n1\xff" "2345\r\n--XyZ--"), CRM_EINVAL);
	mp_expect_all_chunks(fx, S("--XyZ\r\n" CD "name=v\r\n\r\n1234\xff\r\n--XyZ--"), CRM_ETOOBIG);

	fx->lim.max_file = 10;
	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=f; filename=f\r\n\r\n0123456789\r\n--XyZ--")), CRM_OK);
	assert_int_equal(fx->out.v[fx->out.n - 1].size, 10);
	mp_expect_all_chunks(fx, S("--XyZ\r\n" CD "name=f; filename=f\r\n\r\n0123456789A\r\n--XyZ--"),
	    CRM_ETOOBIG);
	/* Each file has its own budget. */
	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=f; filename=f\r\n\r\n0123456789\r\n"
	    "--XyZ\r\n" CD "name=g; filename=g\r\n\r\n0123456789\r\n--XyZ--")), CRM_OK);
}

/* A file over max_file: nothing past the limit reaches the disk, and
 * nothing at all after the error, nor into `out`. */
static void
test_multipart_nothing_after_error(void **state)
{
	struct fx *fx = *state;
	struct crm_multipart *m;
	static const char head[] =
	    "--XyZ\r\n" CD "name=t\r\n\r\nkept?\r\n"
	    "--XyZ\r\n" CD "name=f; filename=f.bin\r\n\r\n";
	char data[1000];
	size_t off, fds = count_fds();
	enum crm_err e = CRM_OK;

	assert_int_equal(url(fx, S("q=1")), CRM_OK);
	fx->lim.max_file = 100;
	memset(data, 'z', sizeof(data));
	m = crm_multipart_new(fx->a, S(BND), &fx->lim, &fx->out);
	assert_int_equal(crm_multipart_feed(m, S(head)), CRM_OK);
	assert_int_equal(fx->out.n, 2);   /* "t" is complete */
	assert_int_equal(count_files(fx->dir), 1);      /* exists during the parse */
	for (off = 0; off < sizeof(data) && e == CRM_OK; off += 10)
		e = crm_multipart_feed(m, data + off, 10);
	assert_int_equal(e, CRM_ETOOBIG);
	assert_int_equal(off, 110);     /* the eleventh chunk crossed the limit */
	assert_true(only_file_size(fx->dir) <= 100);
	off = (size_t)only_file_size(fx->dir);
	assert_int_equal(fx->out.n, 1);   /* back to what it was */
	assert_string_equal(crm_params_get(&fx->out, "q"), "1");
	assert_null(crm_params_get(&fx->out, "t"));
	/* Sticky, and still nothing is written. */
	assert_int_equal(crm_multipart_feed(m, data, sizeof(data)), CRM_ETOOBIG);
	assert_int_equal(crm_multipart_feed(m, S("\r\n--XyZ--\r\n")), CRM_ETOOBIG);
	assert_int_equal(crm_multipart_finish(m), CRM_ETOOBIG);
	assert_int_equal((size_t)only_file_size(fx->dir), off);
	assert_int_equal(fx->out.n, 1);
	/* The descriptor was closed at the error; the file goes at reset. */
	assert_int_equal(count_fds(), fds);
	crm_arena_reset(fx->a);
	assert_int_equal(count_files(fx->dir), 0);
}

/* Temp files exist while parsing and after finish, and are gone after the
 * arena reset; no descriptor is held once a part is complete. */
static void
test_multipart_temp_files(void **state)
{
	struct fx *fx = *state;
	struct crm_multipart *m;
	size_t fds = count_fds(), i;
	char body[64];
	char path[128];

	m = crm_multipart_new(fx->a, S(BND), &fx->lim, &fx->out);
	for (i = 0; i < 40; i++) {
		int n = snprintf(body, sizeof(body), "--XyZ\r\n" CD "name=f%zu; filename=f\r\n\r\n", i);

		assert_int_equal(crm_multipart_feed(m, body, (size_t)n), CRM_OK);
		assert_int_equal(count_files(fx->dir), i + 1);
		assert_int_equal(crm_multipart_feed(m, S("partial ")), CRM_OK);
		assert_int_equal(crm_multipart_feed(m, S("content\r\n")), CRM_OK);
	}
	assert_int_equal(crm_multipart_feed(m, S("--XyZ--")), CRM_OK);
	assert_int_equal(crm_multipart_finish(m), CRM_OK);
	assert_int_equal(fx->out.n, 40);
	assert_int_equal(count_fds(), fds);
	for (i = 0; i < 40; i++)
		assert_file(fx->out.v[i].path, S("partial content"));
	/* Copied: the arena's memory is gone after the reset. */
	snprintf(path, sizeof(path), "%s", fx->out.v[0].path);
	assert_true(exists(path));
	crm_arena_reset(fx->a);
	assert_false(exists(path));
	assert_int_equal(count_files(fx->dir), 0);

	/* An unfinished parse is cleaned up too. */
	memset(&fx->out, 0, sizeof(fx->out));
	m = crm_multipart_new(fx->a, S(BND), &fx->lim, &fx->out);
	assert_int_equal(crm_multipart_feed(m, S("--XyZ\r\n" CD "name=f; filename=f\r\n\r\nabc")), CRM_OK);
	assert_int_equal(count_files(fx->dir), 1);
	assert_int_equal(count_fds(), fds + 1);
	crm_arena_reset(fx->a);
	assert_int_equal(count_files(fx->dir), 0);
	assert_int_equal(count_fds(), fds);
}

/* A handler keeps an upload by renaming it; the reset leaves it alone. */
static void
test_multipart_keep_by_rename(void **state)
{
	struct fx *fx = *state;
	char kept[128];

	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=f; filename=f\r\n\r\nkeep me\r\n--XyZ--")), CRM_OK);
	snprintf(kept, sizeof(kept), "%s/kept", fx->dir);
	assert_int_equal(rename(fx->out.v[0].path, kept), 0);
	crm_arena_reset(fx->a);
	assert_file(kept, S("keep me"));
	assert_int_equal(unlink(kept), 0);
}

static void
test_multipart_tmpdir(void **state)
{
	struct fx *fx = *state;
	static const char file[] = "--XyZ\r\n" CD "name=f; filename=f\r\n\r\n1\r\n--XyZ--";

	fx->lim.tmpdir = NULL;
	assert_int_equal(mp_whole(fx, S("--XyZ\r\n" CD "name=t\r\n\r\n1\r\n--XyZ--")), CRM_OK);
	mp_expect_all_chunks(fx, S(file), CRM_EINVAL);
	fx->lim.tmpdir = "/nonexistent/crm-test";
	assert_int_equal(mp_whole(fx, S(file)), CRM_EIO);
}

static void
test_multipart_bad_boundary(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = {
		"", "a@b", "abc ", "a\r\nb",
		"12345678901234567890123456789012345678901234567890123456789012345678901",
	};
	struct crm_multipart *m;
	size_t i;

	for (i = 0; i < CRM_NELEM(bad); i++) {
		m = crm_multipart_new(fx->a, bad[i], strlen(bad[i]), &fx->lim, &fx->out);
		assert_int_equal(crm_multipart_feed(m, S("--x\r\n")), CRM_EINVAL);
		assert_int_equal(crm_multipart_finish(m), CRM_EINVAL);
	}
	m = crm_multipart_new(fx->a, NULL, 0, &fx->lim, &fx->out);
	assert_int_equal(crm_multipart_finish(m), CRM_EINVAL);
	/* 70 bytes, with inner spaces, is the most RFC 2046 allows. */
	m = crm_multipart_new(fx->a,
	    S("a b 5678901234567890123456789012345678901234567890123456789012345678()"),
	    &fx->lim, &fx->out);
	assert_int_equal(crm_multipart_feed(m,
	    S("--a b 5678901234567890123456789012345678901234567890123456789012345678()--")), CRM_OK);
	assert_int_equal(crm_multipart_finish(m), CRM_OK);
}

/* A megabyte upload whose content is full of near-delimiters, fed in odd
 * chunk sizes: the bytes come out intact. */
static void
test_multipart_large(void **state)
{
	struct fx *fx = *state;
	static const char head[] = "--XyZ\r\n" CD "name=big; filename=big.bin\r\n\r\n";
	static const char tail[] = "\r\n--XyZ--\r\n";
	static const char *const near[] = { "\r", "\r\n", "\r\n-", "\r\n--", "\r\n--X", "\r\n--Xy", "\r\n--XyY" };
	size_t size = 1024 * 1024, len, i, off, chunks[] = { 1, 3, 4096, 65535, 65536, 200000, 0 };
	char *body, *data;
	uint32_t x = 2463534242u;
	struct crm_params out;

	data = malloc(size);
	assert_non_null(data);
	for (i = 0; i < size; ) {
		/* xorshift32, masked so that no bit is shifted out. */
		x ^= (x & 0x7FFFF) << 13;
		x ^= x >> 17;
		x ^= (x & 0x7FFFFFF) << 5;
		if (x % 5 == 0) {
			const char *s = near[x % CRM_NELEM(near)];
			size_t n = strlen(s);

			if (n > size - i)
				n = size - i;
			memcpy(data + i, s, n);
			i += n;
		} else {
			/* Without 'Z' the delimiter cannot occur. */
			data[i++] = (char)((x >> 8) & 0xFF) == 'Z' ? 'z' : (char)(x >> 8);
		}
	}
	len = sizeof(head) - 1 + size + sizeof(tail) - 1;
	body = malloc(len);
	assert_non_null(body);
	memcpy(body, head, sizeof(head) - 1);
	memcpy(body + sizeof(head) - 1, data, size);
	memcpy(body + sizeof(head) - 1 + size, tail, sizeof(tail) - 1);

	for (i = 0; i < CRM_NELEM(chunks); i++) {
		memset(&out, 0, sizeof(out));
		assert_int_equal(mp_run(fx->b, &fx->lim, body, len, chunks[i], &out), CRM_OK);
		assert_int_equal(out.n, 1);
		assert_int_equal(out.v[0].size, size);
		assert_file(out.v[0].path, data, size);
		crm_arena_reset(fx->b);
	}
	/* Over the limit: the file stops at it. */
	fx->lim.max_file = size - 1;
	memset(&out, 0, sizeof(out));
	assert_int_equal(mp_run(fx->b, &fx->lim, body, len, 4096, &out), CRM_ETOOBIG);
	off = (size_t)only_file_size(fx->dir);
	assert_true(off < size);
	crm_arena_reset(fx->b);
	free(body);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_utf8),
		T(test_urlencoded_basic),
		T(test_urlencoded_empty_pairs),
		T(test_urlencoded_duplicates),
		T(test_urlencoded_chinese),
		T(test_urlencoded_bad),
		T(test_urlencoded_limits),
		T(test_cookies_basic),
		T(test_cookies_bad),
		T(test_cookies_limits),
		T(test_content_type),
		T(test_content_type_bad),
		T(test_multipart_basic),
		T(test_multipart_chunks),
		T(test_multipart_uneven_chunks),
		T(test_multipart_from_content_type),
		T(test_multipart_empty_form),
		T(test_multipart_truncated),
		T(test_multipart_malformed),
		T(test_multipart_header_count),
		T(test_multipart_filenames),
		T(test_multipart_chinese),
		T(test_multipart_limits),
		T(test_multipart_nothing_after_error),
		T(test_multipart_temp_files),
		T(test_multipart_keep_by_rename),
		T(test_multipart_tmpdir),
		T(test_multipart_bad_boundary),
		T(test_multipart_large),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
