/* vCard 4.0 writer: properties, escaping, folding, fallbacks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_vcard.h"
#include "folded_lines.h"

static void
expect_card(const struct crm_vcard *v, const char *want)
{
	struct crm_buf b;
	char *unfolded;

	crm_buf_init(&b, NULL, 0);
	crm_vcard_write(&b, v);
	unfolded = check_lines(b.data);
	assert_string_equal(b.data, want);
	free(unfolded);
	crm_buf_release(&b);
}

static void
test_full_card(void **state)
{
	struct crm_vcard v = {
		.full_name = "Ann Lee",
		.family = "Lee",
		.given = "Ann",
		.org = "Example Ltd",
		.title = "Buyer",
		.emails = { "ann@example.com", NULL, "ann.lee@example.org" },
		.phones = { "020 7946 0958", "07700 900123", NULL },
		.phone_types = { "work", "CELL", NULL },
		.street = "1 High Street\nFlat 2",
		.city = "London",
		.postcode = "SW1A 1AA",
		.country = "United Kingdom",
		.birthday = "1980-04-15",
		.note = "Met at the fair",
		.url = "https://example.com/ann?a=1,2",
		.uid = "urn:uuid:0b4d1c5e-1f0e-4a3c-9e1a-5b2c7d8e9f00",
	};

	(void)state;
	expect_card(&v,
	    "BEGIN:VCARD\r\n"
	    "VERSION:4.0\r\n"
	    "FN:Ann Lee\r\n"
	    "N:Lee;Ann;;;\r\n"
	    "ORG:Example Ltd\r\n"
	    "TITLE:Buyer\r\n"
	    "EMAIL:ann@example.com\r\n"
	    "EMAIL:ann.lee@example.org\r\n"
	    "TEL;VALUE=uri;TYPE=work:tel:+442079460958\r\n"
	    "TEL;VALUE=uri;TYPE=cell:tel:+447700900123\r\n"
	    "ADR:;;1 High Street\\nFlat 2;London;;SW1A 1AA;United Kingdom\r\n"
	    "BDAY:19800415\r\n"
	    "NOTE:Met at the fair\r\n"
	    "URL:https://example.com/ann?a=1,2\r\n"
	    "UID:urn:uuid:0b4d1c5e-1f0e-4a3c-9e1a-5b2c7d8e9f00\r\n"
	    "END:VCARD\r\n");
}

static void
test_minimal_email(void **state)
{
	struct crm_vcard v = { .emails = { NULL, "ann@example.com", NULL } };

	(void)state;
	expect_card(&v,
	    "BEGIN:VCARD\r\n"
	    "VERSION:4.0\r\n"
	    "FN:ann@example.com\r\n"
	    "EMAIL:ann@example.com\r\n"
	    "END:VCARD\r\n");
}

static void
test_fallbacks(void **state)
{
	struct crm_vcard org = { .full_name = "", .org = "Acme; Sons, Ltd", .emails = { "a@b.cn" } };
	struct crm_vcard phone = { .phones = { "12345" } };
	struct crm_vcard empty = { 0 };

	(void)state;
	expect_card(&org,
	    "BEGIN:VCARD\r\n"
	    "VERSION:4.0\r\n"
	    "FN:Acme\\; Sons\\, Ltd\r\n"
	    "ORG:Acme\\; Sons\\, Ltd\r\n"
	    "EMAIL:a@b.cn\r\n"
	    "END:VCARD\r\n");
	/* A number we cannot place stays, as text. */
	expect_card(&phone,
	    "BEGIN:VCARD\r\n"
	    "VERSION:4.0\r\n"
	    "FN:12345\r\n"
	    "TEL;VALUE=text:12345\r\n"
	    "END:VCARD\r\n");
	/* FN is required even when there is nothing to put in it. */
	expect_card(&empty,
	    "BEGIN:VCARD\r\n"
	    "VERSION:4.0\r\n"
	    "FN:\r\n"
	    "END:VCARD\r\n");
}

static void
test_escaping(void **state)
{
	struct crm_vcard v = {
		.full_name = "张伟",
		.given = "伟",
		.family = "张",
		.note = "a,b;c\\d\r\ne\rf\ng\x01h\tz:y",
		/* Control characters in a URI or a type could start a property
		 * of the sender's choosing: they go. */
		.url = "https://x.example/\r\nEMAIL:evil@example.com",
		.phones = { "+86 138 1234 5678", "+86 10 1234 5678" },
		.phone_types = { "cell:evil", "home" },
		.uid = "customer-42;x",
		.birthday = "1990-02-30",
	};

	(void)state;
	expect_card(&v,
	    "BEGIN:VCARD\r\n"
	    "VERSION:4.0\r\n"
	    "FN:张伟\r\n"
	    "N:张;伟;;;\r\n"
	    "TEL;VALUE=uri:tel:+8613812345678\r\n"
	    "TEL;VALUE=uri;TYPE=home:tel:+861012345678\r\n"
	    "NOTE:a\\,b\\;c\\\\d\\ne\\nf\\ngh\tz:y\r\n"
	    "URL:https://x.example/EMAIL:evil@example.com\r\n"
	    "UID;VALUE=text:customer-42\\;x\r\n"
	    "END:VCARD\r\n");
}

static void
test_birthdays(void **state)
{
	struct crm_vcard v = { .full_name = "A" };
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, NULL, 0);
	v.birthday = "2000-02-29";
	crm_vcard_write(&b, &v);
	assert_non_null(strstr(b.data, "\r\nBDAY:20000229\r\n"));
	crm_buf_clear(&b);
	v.birthday = "1975-06-01 00:00:00";
	crm_vcard_write(&b, &v);
	assert_non_null(strstr(b.data, "\r\nBDAY:19750601\r\n"));
	crm_buf_clear(&b);
	v.birthday = "0000-00-00";
	crm_vcard_write(&b, &v);
	v.birthday = "1900-02-29";
	crm_vcard_write(&b, &v);
	v.birthday = "15/04/1980";
	crm_vcard_write(&b, &v);
	v.birthday = "1980-4-15";
	crm_vcard_write(&b, &v);
	assert_null(strstr(b.data, "BDAY"));
	crm_buf_release(&b);
}

static void
test_fold_chinese_note(void **state)
{
	static const char phrase[] = "客户在展会上表示，希望下季度扩大采购; 请跟进报价\\合同, 谢谢。\n";
	struct crm_vcard v = { .full_name = "王芳" };
	struct crm_arena *a;
	struct crm_buf b, want;
	char *note, *unfolded;
	size_t i, lines = 0;
	const char *p;

	(void)state;
	note = calloc(20, sizeof(phrase));
	assert_non_null(note);
	for (i = 0; i < 20; i++)
		strcat(note, phrase);
	v.note = note;

	/* The arena path of crm_buf, too. */
	a = crm_arena_new(4096);
	crm_buf_init(&b, a, 0);
	crm_vcard_write(&b, &v);
	unfolded = check_lines(b.data);
	for (p = b.data; (p = strstr(p, "\r\n ")) != NULL; p += 3)
		lines++;
	assert_true(lines > 20);

	/* Unfolded, the note is one line with the phrase escaped 20 times. */
	crm_buf_init(&want, NULL, 0);
	crm_buf_puts(&want, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:王芳\r\nNOTE:");
	for (i = 0; i < 20; i++)
		crm_buf_puts(&want, "客户在展会上表示，希望下季度扩大采购\\; 请跟进报价\\\\合同\\, 谢谢。\\n");
	crm_buf_puts(&want, "\r\nEND:VCARD\r\n");
	assert_string_equal(unfolded, want.data);

	crm_buf_release(&want);
	free(unfolded);
	free(note);
	crm_arena_free(a);
}

static void
test_bad_utf8(void **state)
{
	/* A lone continuation byte, a truncated sequence, an overlong '/',
	 * an encoded surrogate: each byte becomes U+FFFD. */
	struct crm_vcard v = { .full_name = "a\x80" "b\xE4\xB8" "c\xC0\xAF" "d\xED\xA0\x80" };

	(void)state;
	expect_card(&v,
	    "BEGIN:VCARD\r\n"
	    "VERSION:4.0\r\n"
	    "FN:a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD"
	    "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\r\n"
	    "END:VCARD\r\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_card),
		cmocka_unit_test(test_minimal_email),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_birthdays),
		cmocka_unit_test(test_fold_chinese_note),
		cmocka_unit_test(test_bad_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
