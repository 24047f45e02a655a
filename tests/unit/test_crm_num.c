/* crm_num against printf: the same digits at the edges and for many
 * random values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crm_num.h"

static void
same_as_printf(long long v)
{
	char want[32], got[32];
	size_t n;

	snprintf(want, sizeof(want), "%lld", v);
	n = crm_num_i64(got, v);
	assert_string_equal(got, want);
	assert_int_equal(n, strlen(want));
	if (v >= 0) {
		n = crm_num_u64(got, (unsigned long long)v);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
	}
}

static void
test_edges(void **state)
{
	static const long long v[] = { 0, 1, -1, 9, 10, -10, 99, 100, 1234567890, -987654321,
	    LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	char got[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		same_as_printf(v[i]);
	assert_int_equal(crm_num_u64(got, ULLONG_MAX), 20);
	assert_string_equal(got, "18446744073709551615");
}

static void
test_random(void **state)
{
	unsigned long long x = 88172645463325252ULL;
	int i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		same_as_printf((long long)(x >> (i % 64)));
		same_as_printf(-(long long)(x >> (1 + i % 63)));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
