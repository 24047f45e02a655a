/* Incoming mail: headers (encoded words, folding), the body picked from a
 * multipart (plain before HTML), transfer encodings and charsets,
 * attachments with RFC 2231 names, the automatic-reply headers, and the
 * limits a hostile message meets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crm_arena.h"
#include "crm_mime.h"

static struct crm_arena *a;

static int
setup(void **state)
{
	(void)state;
	a = crm_arena_new(4096);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	crm_arena_free(a);
	return 0;
}

static enum crm_err
parse(const char *raw, struct crm_mime_msg *m)
{
	char err[200] = "";

	return crm_mime_parse(a, raw, strlen(raw), 1024, m, err, sizeof(err));
}

static void
test_multipart(void **state)
{
	static const char raw[] =
	    "From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <Joerg@Example.COM>\r\n"
	    "To: support@example.com\r\n"
	    "Subject: [#12] the printer\r\n"
	    " is on fire\r\n"
	    "Message-ID: <abc.1@mail.example.com>\r\n"
	    "In-Reply-To: <crm.mail.7.1700000000@crm.example>\r\n"
	    "References: <first@x> <crm.mail.7.1700000000@crm.example>\r\n"
	    "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
	    "\r\n"
	    "--b1\r\n"
	    "Content-Type: multipart/alternative; boundary=\"b2\"\r\n"
	    "\r\n"
	    "--b2\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "\r\n"
	    "<p>HTML version</p>\r\n"
	    "--b2\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "\r\n"
	    "Plain version\r\nsecond line\r\n"
	    "--b2--\r\n"
	    "--b1\r\n"
	    "Content-Type: application/pdf\r\n"
	    "Content-Disposition: attachment;\r\n"
	    " filename*=UTF-8''..%2F..%2Fr%C3%A9sum%C3%A9.pdf\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "JVBERi0xLjQK\r\n"
	    "--b1--\r\n";
	struct crm_mime_msg m;

	(void)state;
	assert_int_equal(parse(raw, &m), CRM_OK);
	assert_string_equal(m.from_addr, "Joerg@Example.COM");
	assert_string_equal(m.from_name, "J\xc3\xb6rg M\xc3\xbcller");
	assert_string_equal(m.subject, "[#12] the printer is on fire");
	assert_string_equal(m.message_id, "abc.1@mail.example.com");
	assert_int_equal(m.nrefs, 3);
	assert_string_equal(m.refs[0], "crm.mail.7.1700000000@crm.example");
	assert_string_equal(m.refs[1], "crm.mail.7.1700000000@crm.example");
	assert_string_equal(m.refs[2], "first@x");
	assert_int_equal((long long)m.date, 1700000000LL);
	assert_int_equal(m.auto_reply, 0);
	assert_string_equal(m.body, "Plain version\nsecond line");
	assert_int_equal(m.natt, 1);
	assert_string_equal(m.att[0].filename, "r\xc3\xa9sum\xc3\xa9.pdf");
	assert_string_equal(m.att[0].content_type, "application/pdf");
	assert_int_equal(m.att[0].size, 9);
	assert_non_null(m.att[0].data);
	assert_memory_equal(m.att[0].data, "%PDF-1.4\n", 9);
}

static void
test_charsets(void **state)
{
	static const char raw[] =
	    "From: a@example.com\r\n"
	    "Subject: =?UTF-8?B?5L2g5aW9?= =?GB2312?B?1tDOxA==?= plain\r\n"
	    "Content-Type: text/plain; charset=iso-8859-1\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "Gr=FC=DFe, a long li=\r\nne\r\n";
	struct crm_mime_msg m;

	(void)state;
	assert_int_equal(parse(raw, &m), CRM_OK);
	assert_string_equal(m.subject, "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\xad\xe6\x96\x87 plain");
	assert_string_equal(m.body, "Gr\xc3\xbc\xc3\x9f" "e, a long line");
	assert_int_equal(m.natt, 0);
	assert_string_equal(m.message_id, "");
}

/* Raw 8-bit headers, as some Chinese mail programs still send them. */
static void
test_raw_headers(void **state)
{
	struct crm_mime_msg m;

	(void)state;
	assert_int_equal(parse("From: \xd5\xc5\xc8\xfd <zhang@example.cn>\r\nSubject: \xd6\xd0\xce\xc4 test\r\n"
	    "Content-Type: text/plain; charset=gbk\r\n\r\n\xd6\xd0\xce\xc4\r\n", &m), CRM_OK);
	assert_string_equal(m.from_name, "\xe5\xbc\xa0\xe4\xb8\x89");
	assert_string_equal(m.subject, "\xe4\xb8\xad\xe6\x96\x87 test");
	assert_string_equal(m.body, "\xe4\xb8\xad\xe6\x96\x87");
	assert_int_equal(parse("From: a@b.c\r\nSubject: caf\xe9\r\n\r\nx", &m), CRM_OK);
	assert_string_equal(m.subject, "caf\xc3\xa9");
}

static void
test_html_only(void **state)
{
	static const char raw[] =
	    "From: a@example.com\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "\r\n"
	    "<html><head><title>T</title><style>p{color:red}</style></head>"
	    "<body><p>Hello&nbsp;<b>world</b> &amp; &lt;you&gt; &#x4e2d;&#25991;</p>"
	    "<script>alert('x > y')</script><ul><li>one</li><li>two</li></ul>"
	    "<a href=\"x>y\">link</a><!-- hidden --> end</body></html>\r\n";
	struct crm_mime_msg m;

	(void)state;
	assert_int_equal(parse(raw, &m), CRM_OK);
	assert_string_equal(m.body, "Hello world & <you> \xe4\xb8\xad\xe6\x96\x87\n\n- one\n- two\nlink end");
}

static void
test_auto_reply(void **state)
{
	struct crm_mime_msg m;

	(void)state;
	assert_int_equal(parse("From: a@b.c\r\nAuto-Submitted: auto-replied\r\n\r\nx", &m), CRM_OK);
	assert_int_equal(m.auto_reply, 1);
	assert_int_equal(parse("From: a@b.c\r\nAuto-Submitted: no\r\n\r\nx", &m), CRM_OK);
	assert_int_equal(m.auto_reply, 0);
	assert_int_equal(parse("From: a@b.c\r\nPrecedence: bulk\r\n\r\nx", &m), CRM_OK);
	assert_int_equal(m.auto_reply, 1);
	assert_int_equal(parse("From: a@b.c\r\nPrecedence: first-class\r\n\r\nx", &m), CRM_OK);
	assert_int_equal(m.auto_reply, 0);
}

static void
test_limits(void **state)
{
	struct crm_mime_msg m;
	char *raw = malloc(20000), err[200];
	size_t i, o = 0;

	(void)state;
	o += (size_t)sprintf(raw + o, "From: a@b.c\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n");
	for (i = 1; i <= 100; i++)
		o += (size_t)sprintf(raw + o, "--b%zu\r\nContent-Type: multipart/mixed; boundary=b%zu\r\n\r\n",
		    i - 1, i);
	assert_int_equal(crm_mime_parse(a, raw, o, 1024, &m, err, sizeof(err)), CRM_EINVAL);
	assert_non_null(strstr(err, "more than"));
	/* At the limit it is read, the innermost text found. */
	o = (size_t)sprintf(raw, "From: a@b.c\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n");
	for (i = 1; i < CRM_MIME_MAX_NESTING; i++)
		o += (size_t)sprintf(raw + o, "--b%zu\r\nContent-Type: multipart/mixed; boundary=b%zu\r\n\r\n",
		    i - 1, i);
	o += (size_t)sprintf(raw + o, "--b%zu\r\nContent-Type: text/plain\r\n\r\ndeep\r\n", i - 1);
	assert_int_equal(crm_mime_parse(a, raw, o, 1024, &m, err, sizeof(err)), CRM_OK);
	assert_string_equal(m.body, "deep");
	/* Forwarded messages inside forwarded messages, the old header syntax. */
	o = (size_t)sprintf(raw, "From: a@b.c\r\n");
	for (i = 0; i < 100; i++)
		o += (size_t)sprintf(raw + o, "Content-Type : message/rfc822\r\n\r\nFrom: x@y.z\r\n");
	assert_int_equal(crm_mime_parse(a, raw, o, 1024, &m, err, sizeof(err)), CRM_EINVAL);
	/* A text that only mentions the types is a message like any other. */
	o = (size_t)sprintf(raw, "From: a@b.c\r\n\r\n");
	for (i = 0; i < 100; i++)
		o += (size_t)sprintf(raw + o, "multipart/mixed message/rfc822\r\n");
	assert_int_equal(crm_mime_parse(a, raw, o, 1024, &m, err, sizeof(err)), CRM_OK);
	free(raw);
	/* Too big to keep: its name and size stay, its bytes do not. */
	assert_int_equal(crm_mime_parse(a, "From: a@b.c\r\nContent-Type: application/pdf\r\n"
	    "Content-Disposition: attachment; filename=big.pdf\r\n\r\n0123456789abcdef",
	    strlen("From: a@b.c\r\nContent-Type: application/pdf\r\n"
	    "Content-Disposition: attachment; filename=big.pdf\r\n\r\n0123456789abcdef"), 8, &m, err, sizeof(err)),
	    CRM_OK);
	assert_int_equal(m.natt, 1);
	assert_string_equal(m.att[0].filename, "big.pdf");
	assert_int_equal(m.att[0].size, 16);
	assert_null(m.att[0].data);
	/* Not a message at all: refused with a reason, never a crash. */
	assert_int_equal(crm_mime_parse(a, "\x01\x02\xff", 3, 8, &m, err, sizeof(err)), CRM_EINVAL);
	assert_string_equal(err, "not a mail message");
}

static void
test_clean(void **state)
{
	int clipped = 0;

	(void)state;
	assert_string_equal(crm_mime_clean(a, "a\r\nb\rc\x01\x7f\xff" "d", 10, 100, 100, 1, NULL),
	    "a\nb\nc\xef\xbf\xbd" "d");
	assert_string_equal(crm_mime_clean(a, "a\nb\tc", 5, 100, 100, 0, NULL), "a b c");
	/* Clipped on a character, never inside one. */
	assert_string_equal(crm_mime_clean(a, "\xe4\xbd\xa0\xe5\xa5\xbd", 6, 5, 100, 0, &clipped), "\xe4\xbd\xa0");
	assert_int_equal(clipped, 1);
	assert_string_equal(crm_mime_clean(a, "abcdef", 6, 100, 3, 0, &clipped), "abc");
	/* An overlong '/' and a surrogate are not UTF-8. */
	assert_string_equal(crm_mime_clean(a, "\xc0\xaf\xed\xa0\x80", 5, 100, 100, 0, NULL),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_raw_headers),
		cmocka_unit_test(test_html_only),
		cmocka_unit_test(test_auto_reply),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_clean),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
