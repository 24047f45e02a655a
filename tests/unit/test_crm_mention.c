/* Finding @mentions: what counts as one, and the words looked up. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crm_mention.h"

static void
test_local_part_and_names(void **state)
{
	struct crm_mention m[10];
	size_t n;

	(void)state;
	n = crm_mention_find("@sam.lee please look, and @Sue Wong. Thanks", m, 10);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].local, "sam.lee");
	assert_string_equal(m[0].words[0], "sam.lee");
	assert_string_equal(m[0].words[1], "sam.lee please");
	assert_string_equal(m[0].words[2], "sam.lee please look");
	assert_string_equal(m[1].local, "Sue");
	assert_string_equal(m[1].words[0], "Sue");
	assert_string_equal(m[1].words[1], "Sue Wong");
	assert_string_equal(m[1].words[2], "");
	/* Three words at most, and the sentence's full stop is not the name's. */
	n = crm_mention_find("cc @Anna Maria de Souza.", m, 10);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].words[2], "Anna Maria de");
	n = crm_mention_find("(@sam.)", m, 10);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].local, "sam");
}

static void
test_not_mentions(void **state)
{
	struct crm_mention m[10];

	(void)state;
	assert_int_equal(crm_mention_find("mail x@sam.example.com today", m, 10), 0);
	assert_int_equal(crm_mention_find("@ alone, @@, @. and @", m, 10), 0);
	assert_int_equal(crm_mention_find("", m, 10), 0);
	assert_int_equal(crm_mention_find(NULL, m, 10), 0);
	/* At most max. */
	assert_int_equal(crm_mention_find("@a @b @c @d", m, 2), 2);
}

static void
test_like_and_scripts(void **state)
{
	struct crm_mention m[10];

	(void)state;
	/* The address part is a LIKE prefix: its wildcards are escaped. */
	assert_int_equal(crm_mention_find("@a_b%c", m, 10), 1);
	assert_string_equal(m[0].local, "a\\_b");
	assert_string_equal(m[0].words[0], "a_b");
	/* After Chinese text, and a name in Chinese followed by a space. */
	assert_int_equal(crm_mention_find("请@张伟 看一下", m, 10), 1);
	assert_string_equal(m[0].words[0], "张伟");
	assert_string_equal(m[0].words[1], "张伟 看一下");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_part_and_names),
		cmocka_unit_test(test_not_mentions),
		cmocka_unit_test(test_like_and_scripts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
