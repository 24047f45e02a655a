/* Password policy and argon2id hashing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "crm_password.h"

static void
test_policy(void **state)
{
	(void)state;
	assert_non_null(crm_password_problem("short", NULL, NULL));
	assert_non_null(crm_password_problem("aaaaaaaaaaaa", NULL, NULL));
	assert_non_null(crm_password_problem("Password123", NULL, NULL));
	assert_non_null(crm_password_problem("qwertyuiop", NULL, NULL));
	assert_non_null(crm_password_problem("my-jane.doe-pass", "jane.doe@example.com", NULL));
	assert_non_null(crm_password_problem("Jane Doe Smith", NULL, "jane doe smith"));
	assert_null(crm_password_problem("correct horse battery", "jane@example.com", "Jane"));
	assert_null(crm_password_problem("长城长城长城长城长城", NULL, NULL));
}

static void
test_hash_and_verify(void **state)
{
	char hash[128], pw[21];

	(void)state;
	assert_true(sodium_init() >= 0);
	assert_int_equal(crm_password_hash("correct horse battery", hash), CRM_OK);
	assert_memory_equal(hash, "$argon2id$", 10);
	assert_true(crm_password_verify(hash, "correct horse battery"));
	assert_false(crm_password_verify(hash, "correct horse batterY"));
	/* No account: the same work, and never a yes. */
	assert_false(crm_password_verify(NULL, "correct horse battery"));
	assert_false(crm_password_verify("not a hash", "x"));
	crm_password_generate(pw);
	assert_int_equal(strlen(pw), 20);
	assert_null(strpbrk(pw, "0O1lI"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_hash_and_verify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
