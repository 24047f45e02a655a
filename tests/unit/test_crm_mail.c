/* The outgoing message: headers, the RFC 2047 subject, folding, the
 * base64 body, and no way for a value to add a header. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crm_buf.h"
#include "crm_mail.h"

/* An independent decoder, so the test does not trust the encoder. */
static size_t
unbase64(const char *s, size_t n, unsigned char *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long acc = 0;
	size_t i, len = 0;
	int bits = 0;

	for (i = 0; i < n && s[i] != '='; i++) {
		const char *p = strchr(abc, s[i]);

		assert_non_null(p);
		acc = (acc << 6) | (unsigned long)(p - abc);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (unsigned char)(acc >> bits);
		}
	}
	return len;
}

static char *
build(const char *subject, const char *body, enum crm_err want)
{
	struct crm_mail m = { "desk@example.com", "ann@example.org", subject, body, 1795939541, "crm.mail.7.1", NULL, NULL, 0 };
	struct crm_buf b;

	crm_buf_init(&b, NULL, 0);
	assert_int_equal(crm_mail_build(&b, &m), want);
	return b.data;
}

/* Every line ends CRLF, none is longer than max, no bare CR or LF. */
static void
check_lines_max(const char *msg, long max)
{
	const char *p = msg, *nl;

	while (*p) {
		nl = strstr(p, "\r\n");
		assert_non_null(nl);
		assert_true(nl - p <= max);
		assert_null(memchr(p, '\n', (size_t)(nl - p)));
		assert_null(memchr(p, '\r', (size_t)(nl - p)));
		p = nl + 2;
	}
}

static void
check_lines(const char *msg)
{
	check_lines_max(msg, 78);
}

/* The Subject header unfolded and its encoded words decoded. */
static char *
subject_of(const char *msg)
{
	const char *p = strstr(msg, "\r\nSubject:"), *end;
	char *out = calloc(1, 2048);
	size_t len = 0;

	assert_non_null(p);
	p += strlen("\r\nSubject:");
	for (end = p; !(end[0] == '\r' && end[1] == '\n' && end[2] != ' '); end++)
		;
	while (p < end) {
		const char *w = strstr(p, "=?UTF-8?B?"), *q;

		if (w == NULL || w >= end)
			break;
		w += strlen("=?UTF-8?B?");
		q = strstr(w, "?=");
		assert_true(q - w <= 75);
		len += unbase64(w, (size_t)(q - w), (unsigned char *)out + len);
		p = q + 2;
	}
	return out;
}

static void
test_ascii_message(void **state)
{
	char *msg = build("Your ticket #42", "Hello,\nall fixed.\n", CRM_OK);

	(void)state;
	check_lines(msg);
	assert_non_null(strstr(msg, "From: <desk@example.com>\r\nTo: <ann@example.org>\r\nSubject: Your ticket #42\r\n"));
	assert_non_null(strstr(msg, "\r\nDate: Sun, 29 Nov 2026 08:05:41 +0000\r\n"));
	assert_non_null(strstr(msg, "\r\nMessage-ID: <crm.mail.7.1@example.com>\r\n"));
	assert_non_null(strstr(msg, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"));
	/* "Hello,\r\nall fixed.\r\n": the body in canonical form. */
	assert_non_null(strstr(msg, "\r\n\r\nSGVsbG8sDQphbGwgZml4ZWQuDQo=\r\n"));
	free(msg);
}

static void
test_chinese_subject(void **state)
{
	const char *s = "您的工单已更新：打印机无法连接网络，请重新启动后再试一次，谢谢您的耐心等待";
	char *msg = build(s, "你好", CRM_OK), *got;

	(void)state;
	check_lines(msg);
	assert_null(strstr(msg, "工单"));       /* no raw 8-bit header */
	assert_non_null(strstr(msg, "\r\nSubject: =?UTF-8?B?"));
	assert_non_null(strstr(msg, "?=\r\n =?UTF-8?B?"));    /* folded */
	got = subject_of(msg);
	assert_string_equal(got, s);
	free(got);
	/* Each word alone is whole characters: decoded separately they join. */
	assert_non_null(strstr(msg, "\r\n\r\n5L2g5aW9\r\n"));
	free(msg);
}

static void
test_long_ascii_subject_folds(void **state)
{
	char subject[400];
	char *msg;
	int i;

	(void)state;
	subject[0] = '\0';
	for (i = 0; i < 30; i++)
		strcat(subject, "printer ");
	strcat(subject, "end");
	msg = build(subject, "x", CRM_OK);
	check_lines(msg);
	assert_non_null(strstr(msg, "printer\r\n printer"));
	free(msg);
}

static void
test_long_body_lines(void **state)
{
	char body[3000];
	char *msg;

	(void)state;
	memset(body, 'a', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	msg = build("Long", body, CRM_OK);
	check_lines(msg);
	free(msg);
}

static void
test_no_injection(void **state)
{
	struct crm_mail m = { "desk@example.com", "ann@example.org", "Hi", "x", 0, "id1", NULL, NULL, 0 };
	struct crm_buf b;

	(void)state;
	assert_false(crm_mail_header_ok("Hi\r\nBcc: eve@example.com"));
	assert_false(crm_mail_header_ok("Hi\nBcc: eve@example.com"));
	assert_false(crm_mail_header_ok("Hi\rBcc: eve@example.com"));
	assert_true(crm_mail_header_ok("Hi\tthere 你好"));
	crm_buf_init(&b, NULL, 0);
	m.subject = "Hi\r\nBcc: eve@example.com";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	m.subject = "Hi";
	m.to = "ann@example.org\r\nBcc: eve@example.com";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	m.to = "<ann@example.org>";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	m.to = "ann@example.org";
	m.from = "desk@example.com>\r\nX: y";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	m.from = "desk@example.com";
	m.message_id = "a>\r\nX: y";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	assert_int_equal(b.len, 0);
	/* A line break in the body is only ever body text, base64-encoded. */
	m.message_id = "id1";
	m.body = "line\r\n.\r\nMAIL FROM:<x@y.z>\r\n";
	assert_int_equal(crm_mail_build(&b, &m), CRM_OK);
	assert_null(strstr(b.data, "MAIL FROM"));
	assert_null(strstr(b.data, "\r\n.\r\n"));
	crm_buf_release(&b);
}

/* Both parts, each base64 in its own Content-Type, between boundaries no
 * base64 text can hold; the caller's headers before MIME-Version. */
static void
test_alternative(void **state)
{
	static const struct crm_mail_header h[] = {
		{ "List-Unsubscribe", "<https://crm.example.com/u/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde>, "
		    "<mailto:unsubscribe@example.com?subject=unsubscribe>" },
		{ "List-Unsubscribe-Post", "List-Unsubscribe=One-Click" },
	};
	struct crm_mail m = { "news@example.com", "ann@example.org", "News", "Hi Ann\n", 1795939541, "crm.mkt.3.9",
		"<p>Hi <b>Ann</b></p>", h, 2 };
	struct crm_buf b;
	const char *p, *q;
	unsigned char dec[200];
	size_t n;

	(void)state;
	crm_buf_init(&b, NULL, 0);
	assert_int_equal(crm_mail_build(&b, &m), CRM_OK);
	/* The long URL cannot fold: its line passes 78, never 998. */
	check_lines_max(b.data, 998);
	assert_non_null(strstr(b.data, "\r\nList-Unsubscribe: <https://crm.example.com/u/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde>,\r\n"
	    " <mailto:unsubscribe@example.com?subject=unsubscribe>\r\n"));
	assert_non_null(strstr(b.data, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(b.data, "\r\nContent-Type: multipart/alternative;\r\n boundary=\"=_alt_crm.mkt.3.9\"\r\n\r\n"
	    "--=_alt_crm.mkt.3.9\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
	p = strstr(b.data, "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	assert_non_null(p);
	p = strstr(p, "\r\n\r\n") + 4;
	q = strstr(p, "\r\n--=_alt_crm.mkt.3.9--\r\n");
	assert_non_null(q);
	assert_string_equal(q, "\r\n--=_alt_crm.mkt.3.9--\r\n");
	n = unbase64(p, (size_t)(q - p), dec);
	assert_int_equal(n, strlen("<p>Hi <b>Ann</b></p>"));
	assert_memory_equal(dec, "<p>Hi <b>Ann</b></p>", n);
	/* The text part, canonical CRLF. */
	p = strstr(b.data, "Content-Transfer-Encoding: base64\r\n\r\n") + strlen("Content-Transfer-Encoding: base64\r\n\r\n");
	q = strstr(p, "\r\n--=_alt_");
	n = unbase64(p, (size_t)(q - p), dec);
	assert_memory_equal(dec, "Hi Ann\r\n", n);
	crm_buf_release(&b);
}

/* A caller's header cannot add another, nor replace one of the builder's. */
static void
test_header_injection(void **state)
{
	struct crm_mail_header h[1] = { { "List-Unsubscribe", "<https://x.example/u/a>" } };
	struct crm_mail m = { "news@example.com", "ann@example.org", "News", "x", 0, "id1", "<p>x</p>", h, 1 };
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, NULL, 0);
	h[0].value = "<https://x.example/u/a>\r\nBcc: eve@example.com";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	h[0].value = "<https://x.example/u/a>\nBcc: eve@example.com";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	h[0].value = "<https://x.example/u/\xe4\xbd\xa0>";    /* 8-bit: not without encoding */
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	h[0].value = "ok";
	h[0].name = "Bcc";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	h[0].name = "content-type";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	h[0].name = "X-A: b\r\nBcc";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	h[0].name = "X Y";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	h[0].name = "";
	assert_int_equal(crm_mail_build(&b, &m), CRM_EINVAL);
	assert_int_equal(b.len, 0);
	assert_true(crm_mail_header_name_ok("List-Unsubscribe-Post"));
	assert_false(crm_mail_header_name_ok("Message-ID"));
	/* An HTML part that looks like a boundary is only base64 text. */
	h[0].name = "X-Campaign";
	m.html = "</p>\r\n--=_alt_id1--\r\nBcc: eve@example.com\r\n";
	assert_int_equal(crm_mail_build(&b, &m), CRM_OK);
	assert_null(strstr(b.data, "Bcc"));
	assert_non_null(strstr(b.data, "\r\nX-Campaign: ok\r\n"));
	crm_buf_release(&b);
}

static void
test_relay(void **state)
{
	(void)state;
	assert_true(crm_mail_relay_ok("127.0.0.1:2525"));
	assert_true(crm_mail_relay_ok("mail.example.com"));
	assert_false(crm_mail_relay_ok(""));
	assert_false(crm_mail_relay_ok(":25"));
	assert_false(crm_mail_relay_ok("host:"));
	assert_false(crm_mail_relay_ok("host:99999"));
	assert_false(crm_mail_relay_ok("host:25/x"));
	assert_false(crm_mail_relay_ok("user@host:25"));
	assert_false(crm_mail_relay_ok("host/path"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_message),
		cmocka_unit_test(test_chinese_subject),
		cmocka_unit_test(test_long_ascii_subject_folds),
		cmocka_unit_test(test_long_body_lines),
		cmocka_unit_test(test_no_injection),
		cmocka_unit_test(test_alternative),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_relay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
