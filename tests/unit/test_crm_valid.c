/* Validators. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crm_valid.h"

static void
test_ids(void **state)
{
	long long v = 0;

	(void)state;
	assert_true(crm_valid_id("1", &v));
	assert_int_equal(v, 1);
	assert_true(crm_valid_id("123456789012345678", &v));
	assert_false(crm_valid_id("0", &v));
	assert_false(crm_valid_id("01", &v));
	assert_false(crm_valid_id("-1", &v));
	assert_false(crm_valid_id("1e3", &v));
	assert_false(crm_valid_id("1234567890123456789", &v));
	assert_false(crm_valid_id("", &v));
	assert_false(crm_valid_id(NULL, &v));
}

static void
test_emails(void **state)
{
	(void)state;
	assert_true(crm_valid_email("ann@example.com"));
	assert_true(crm_valid_email("a.b+c@sub.example.co.uk"));
	assert_false(crm_valid_email("ann@example"));
	assert_false(crm_valid_email("@example.com"));
	assert_false(crm_valid_email("ann@@example.com"));
	assert_false(crm_valid_email("ann @example.com"));
	assert_false(crm_valid_email("ann@example.com\r\nBcc: x@y.z"));
	assert_false(crm_valid_email("<ann@example.com>"));
}

static void
test_text_and_lists(void **state)
{
	static const char *const langs[] = { "en", "zh_CN", NULL };

	(void)state;
	assert_true(crm_valid_text("张伟", 2, 2, 0));
	assert_false(crm_valid_text("张伟", 3, 10, 0));
	assert_false(crm_valid_text("a\nb", 1, 10, 0));
	assert_true(crm_valid_text("a\nb", 1, 10, 1));
	assert_false(crm_valid_text("a\x01", 1, 10, 1));
	assert_true(crm_valid_text(NULL, 0, 10, 0));
	assert_true(crm_valid_oneof("zh_CN", langs));
	assert_false(crm_valid_oneof("fr", langs));
	assert_true(crm_valid_time_zone("UTC"));
	assert_true(crm_valid_time_zone("Asia/Shanghai"));
	assert_false(crm_valid_time_zone("Mars/Base"));
	assert_false(crm_valid_time_zone("../../etc/passwd"));
	assert_false(crm_valid_time_zone("/etc/passwd"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_emails),
		cmocka_unit_test(test_text_and_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
