/* Phone numbers to E.164, digits for partial matching, e-mail case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crm_phone.h"

/* The E.164 form of in, or "" when crm_phone_e164 says no. */
static const char *
e164(const char *in, const char *country)
{
	static char out[32];
	int ok;

	memset(out, 'z', sizeof(out));
	ok = crm_phone_e164(in, country, out, sizeof(out));
	assert_int_equal(ok, out[0] != '\0');
	return out;
}

static void
test_national(void **state)
{
	(void)state;
	assert_string_equal(e164("020 7946 0958", "GB"), "+442079460958");
	assert_string_equal(e164("010-12345678", "CN"), "+861012345678");
	assert_string_equal(e164("138 1234 5678", "CN"), "+8613812345678");
	assert_string_equal(e164("(415) 555-0100", "US"), "+14155550100");
	assert_string_equal(e164("1-415-555-0100", "US"), "+14155550100");
	assert_string_equal(e164("415.555.0100", "us"), "+14155550100");
	assert_string_equal(e164("(416) 555-0199", "CA"), "+14165550199");
	assert_string_equal(e164("2123 4567", "HK"), "+85221234567");
	assert_string_equal(e164("(02) 2345-6789", "TW"), "+886223456789");
	assert_string_equal(e164("03-1234-5678", "JP"), "+81312345678");
	assert_string_equal(e164("02-312-3456", "KR"), "+8223123456");
	assert_string_equal(e164("6123 4567", "SG"), "+6561234567");
	assert_string_equal(e164("(02) 9876 5432", "AU"), "+61298765432");
	assert_string_equal(e164("09 123 4567", "NZ"), "+6491234567");
	assert_string_equal(e164("030 1234567", "DE"), "+49301234567");
	assert_string_equal(e164("01 23 45 67 89", "FR"), "+33123456789");
	/* Italy has no trunk prefix: the 0 is part of the number. */
	assert_string_equal(e164("06 1234 5678", "IT"), "+390612345678");
	assert_string_equal(e164("912 345 678", "ES"), "+34912345678");
	assert_string_equal(e164("020-1234567", "NL"), "+31201234567");
	assert_string_equal(e164("08-123 456 78", "SE"), "+46812345678");
	assert_string_equal(e164("044 668 18 00", "CH"), "+41446681800");
	assert_string_equal(e164("022 1234 5678", "IN"), "+912212345678");
	assert_string_equal(e164("(11) 91234-5678", "BR"), "+5511912345678");
	assert_string_equal(e164("55 1234 5678", "MX"), "+525512345678");
	/* Russia's trunk prefix is 8. */
	assert_string_equal(e164("8 (495) 123-45-67", "RU"), "+74951234567");
}

static void
test_international(void **state)
{
	(void)state;
	assert_string_equal(e164("+44 20 7946 0958", NULL), "+442079460958");
	assert_string_equal(e164("+44 20 7946 0958", "CN"), "+442079460958");
	assert_string_equal(e164("0044 20 7946 0958", "FR"), "+442079460958");
	assert_string_equal(e164("0044 20 7946 0958", NULL), "+442079460958");
	assert_string_equal(e164("+44 (0)20 7946 0958", NULL), "+442079460958");
	assert_string_equal(e164("+44 020 7946 0958", NULL), "+442079460958");
	assert_string_equal(e164("+86 010 1234 5678", NULL), "+861012345678");
	assert_string_equal(e164("+39 06 1234 5678", NULL), "+390612345678");
	assert_string_equal(e164("011 44 20 7946 0958", "US"), "+442079460958");
	assert_string_equal(e164("0011 44 20 7946 0958", "AU"), "+442079460958");
	assert_string_equal(e164("010 1 415 555 0100", "JP"), "+14155550100");
	assert_string_equal(e164("810 44 20 7946 0958", "RU"), "+442079460958");
	assert_string_equal(e164("tel:+1-415-555-0100", NULL), "+14155550100");
	assert_string_equal(e164("  +1 415 555 0100  ", NULL), "+14155550100");
	/* As a Chinese input method types it. */
	assert_string_equal(e164("\xEF\xBC\x8B\xEF\xBC\x98\xEF\xBC\x96 "
	    "\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x8D"
	    "1234\xE3\x80\x80" "5678", NULL), "+8613812345678");
	assert_string_equal(e164("\xEF\xBC\x88" "010\xEF\xBC\x89" "12345678", "CN"),
	    "+861012345678");
	assert_string_equal(e164("+7 495 123\xE2\x80\x93" "45\xE2\x80\x93" "67", NULL),
	    "+74951234567");
	assert_string_equal(e164("+852 2123 4567", NULL), "+85221234567");
	assert_string_equal(e164("+420 212 345 678", NULL), "+420212345678");
}

static void
test_country_names(void **state)
{
	(void)state;
	assert_string_equal(e164("(415) 555-0100", "United States"), "+14155550100");
	assert_string_equal(e164("(415) 555-0100", "united  states"), "+14155550100");
	assert_string_equal(e164("(415) 555-0100", "U.S.A."), "+14155550100");
	assert_string_equal(e164("(415) 555-0100", "美国"), "+14155550100");
	assert_string_equal(e164("020 7946 0958", "United Kingdom"), "+442079460958");
	assert_string_equal(e164("020 7946 0958", "UK"), "+442079460958");
	assert_string_equal(e164("020 7946 0958", "英国"), "+442079460958");
	assert_string_equal(e164("010-12345678", "China"), "+861012345678");
	assert_string_equal(e164("010-12345678", "中国"), "+861012345678");
	assert_string_equal(e164("030 1234567", "germany"), "+49301234567");
	assert_string_equal(e164("030 1234567", "德国"), "+49301234567");
	assert_string_equal(e164("01 23 45 67 89", "法国"), "+33123456789");
	assert_string_equal(e164("03-1234-5678", "日本"), "+81312345678");
	assert_string_equal(e164("022 1234 5678", "India"), "+912212345678");
	assert_string_equal(e164("2123 4567", "香港"), "+85221234567");
	assert_string_equal(e164("020 7946 0958", " gb "), "+442079460958");
	/* No prefix and no country we know: no way to tell. */
	assert_string_equal(e164("020 7946 0958", "Atlantis"), "");
	assert_string_equal(e164("020 7946 0958", "ZZ"), "");
	assert_string_equal(e164("020 7946 0958", ""), "");
	assert_string_equal(e164("020 7946 0958", NULL), "");
}

static void
test_extensions(void **state)
{
	(void)state;
	assert_string_equal(e164("020 7946 0958 x123", "GB"), "+442079460958");
	assert_string_equal(e164("020 7946 0958 ext. 123", "GB"), "+442079460958");
	assert_string_equal(e164("020 7946 0958 Extension 9", "GB"), "+442079460958");
	assert_string_equal(e164("(415) 555-0100 EXT 12", "US"), "+14155550100");
	assert_string_equal(e164("+1 415 555 0100#4", NULL), "+14155550100");
	assert_string_equal(e164("010-12345678转123", "CN"), "+861012345678");
	assert_string_equal(e164("010-12345678 分机 123", "CN"), "+861012345678");
	assert_string_equal(e164("tel:+14155550100;ext=7", NULL), "+14155550100");
}

static void
test_rejects(void **state)
{
	char out[32], tiny[13];

	(void)state;
	assert_string_equal(e164("1-800-FLOWERS", "US"), "");
	assert_string_equal(e164("call 020 7946 0958", "GB"), "");
	assert_string_equal(e164("x123", "GB"), "");
	assert_string_equal(e164("12345", "CN"), "");           /* too short */
	assert_string_equal(e164("+44 1234", NULL), "");
	assert_string_equal(e164("+44 1234 5678 9012 3456", NULL), "");  /* too long */
	assert_string_equal(e164("+0 20 7946 0958", NULL), "");
	assert_string_equal(e164("+28 1234 5678", NULL), "");    /* unassigned */
	assert_string_equal(e164("+999 1234 5678", NULL), "");
	assert_string_equal(e164("+1 123 555 0100", NULL), "");  /* area code 1xx */
	assert_string_equal(e164("+1 415 055 0100", NULL), "");  /* exchange 0xx */
	assert_string_equal(e164("(415) 555-010", "US"), "");    /* nine digits */
	assert_string_equal(e164("++44 20 7946 0958", NULL), "");
	assert_string_equal(e164("44+20 7946 0958", "GB"), "");
	assert_string_equal(e164("", "GB"), "");
	assert_string_equal(e164("  - ", "GB"), "");
	assert_string_equal(e164("\xFF\xFE", "GB"), "");
	assert_string_equal(e164("1234567890123456789012345678901234567890", "GB"), "");
	assert_false(crm_phone_e164(NULL, "GB", out, sizeof(out)));
	assert_false(crm_phone_e164("020 7946 0958", "GB", NULL, 0));
	/* "+442079460958" is 13 bytes and its NUL a 14th. */
	memset(tiny, 'z', sizeof(tiny));
	assert_false(crm_phone_e164("020 7946 0958", "GB", tiny, sizeof(tiny)));
	assert_string_equal(tiny, "");
	assert_true(crm_phone_e164("020 7946 0958", "GB", out, 14));
}

static void
test_digits(void **state)
{
	char out[32], small[4];

	(void)state;
	assert_int_equal(crm_phone_digits("(415) 555-0100", out, sizeof(out)), 10);
	assert_string_equal(out, "4155550100");
	assert_int_equal(crm_phone_digits("+44 (0)20 7946 0958", out, sizeof(out)), 13);
	assert_string_equal(out, "4402079460958");
	assert_int_equal(crm_phone_digits("Fax: 020 7946 0958 ext 12", out, sizeof(out)), 11);
	assert_string_equal(out, "02079460958");
	assert_int_equal(crm_phone_digits("\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98", out,
	    sizeof(out)), 3);
	assert_string_equal(out, "138");
	assert_int_equal(crm_phone_digits("no number", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(crm_phone_digits(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* Like snprintf: the count is the whole, out the part that fits. */
	assert_int_equal(crm_phone_digits("415 555 0100", small, sizeof(small)), 10);
	assert_string_equal(small, "415");
	assert_int_equal(crm_phone_digits("415", NULL, 0), 3);
}

static void
test_email(void **state)
{
	char out[300], tiny[8], long_in[300];

	(void)state;
	assert_true(crm_email_normalise("  Ann.Lee+CRM@Example.COM \t", out, sizeof(out)));
	assert_string_equal(out, "ann.lee+crm@example.com");
	assert_true(crm_email_normalise("\xC2\xA0" "ann@example.com\xE3\x80\x80", out,
	    sizeof(out)));
	assert_string_equal(out, "ann@example.com");
	/* Non-ASCII is left as it is: only ASCII has one obvious lower case. */
	assert_true(crm_email_normalise("ZHANG@例子.中国", out, sizeof(out)));
	assert_string_equal(out, "zhang@例子.中国");
	assert_true(crm_email_normalise("first.last@sub.example.co.uk", out, sizeof(out)));
	assert_string_equal(out, "first.last@sub.example.co.uk");

	memset(out, 'z', sizeof(out));
	assert_false(crm_email_normalise("ann@example", out, sizeof(out)));
	assert_string_equal(out, "");
	assert_false(crm_email_normalise("ann lee@example.com", out, sizeof(out)));
	assert_false(crm_email_normalise("ann@@example.com", out, sizeof(out)));
	assert_false(crm_email_normalise("a@b@example.com", out, sizeof(out)));
	assert_false(crm_email_normalise("@example.com", out, sizeof(out)));
	assert_false(crm_email_normalise("ann@example.com\r\nBcc: x@y.z", out, sizeof(out)));
	assert_false(crm_email_normalise("ann@exam\x01ple.com", out, sizeof(out)));
	assert_false(crm_email_normalise("   ", out, sizeof(out)));
	assert_false(crm_email_normalise("", out, sizeof(out)));
	assert_false(crm_email_normalise(NULL, out, sizeof(out)));
	assert_false(crm_email_normalise("ann@example.com", NULL, 0));
	assert_false(crm_email_normalise("ann@example.com", tiny, sizeof(tiny)));
	assert_string_equal(tiny, "");

	/* 254 bytes is the limit, 255 is over. */
	memset(long_in, 'a', 250);
	memcpy(long_in + 242, "@example.com", 13);
	assert_int_equal(strlen(long_in), 254);
	assert_true(crm_email_normalise(long_in, out, sizeof(out)));
	memset(long_in, 'a', 250);
	memcpy(long_in + 243, "@example.com", 13);
	assert_false(crm_email_normalise(long_in, out, sizeof(out)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_national),
		cmocka_unit_test(test_international),
		cmocka_unit_test(test_country_names),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_email),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
