/* The search box's query builder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crm_search.h"

static const char *
q(struct crm_arena *a, const char *text, int *terms)
{
	struct crm_buf b;

	crm_buf_init(&b, a, 16);
	*terms = crm_search_query(&b, text);
	return b.data;
}

static void
test_terms(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	int n;

	(void)state;
	assert_string_equal(q(a, "Zhang WEI", &n), "*D+ zhang* wei*");
	assert_int_equal(n, 2);
	assert_string_equal(q(a, "张伟", &n), "*D+ \"张伟\"");
	assert_string_equal(q(a, "ann.lee@example.com", &n), "*D+ \"ann.lee@example.com\"");
	assert_string_equal(q(a, "  138  ", &n), "*D+ 138*");
	assert_int_equal(n, 1);
	/* No operator survives: quotes and backslashes go, the rest is quoted. */
	assert_string_equal(q(a, "-ann (x OR \"y\\", &n), "*D+ \"-ann\" \"(x\" or* \"y\"");
	assert_string_equal(q(a, "\"\" \\", &n), "*D+");
	assert_int_equal(n, 0);
	/* A lone Latin letter is not a search; a digit is. */
	assert_string_equal(q(a, "a", &n), "*D+");
	assert_int_equal(n, 0);
	assert_string_equal(q(a, "7", &n), "*D+ 7*");
	q(a, "a b c d e f g h i j k l", &n);
	assert_int_equal(n, 0);
	q(a, "aa bb cc dd ee ff gg hh ii jj", &n);
	assert_int_equal(n, CRM_SEARCH_MAX_TERMS);
	assert_string_equal(q(a, NULL, &n), "*D+");
	/* Words most companies share narrow nothing and cost the most. */
	assert_string_equal(q(a, "华东贸易有限公司", &n), "*D+ \"华东贸易\"");
	assert_string_equal(q(a, "有限公司", &n), "*D+ \"有限公司\"");
	assert_string_equal(q(a, "Northwind Trading Ltd", &n), "*D+ northwind* trading*");
	assert_string_equal(q(a, "Ltd", &n), "*D+");
	crm_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
