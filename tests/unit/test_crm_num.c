/* crm_num against printf: the same digits at the edges and for many
 * random values; crm_num_decimal against strtod, to the bit. */
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
	static const long long v[] = { 0, 1, -1, 9, 10, -10, 11, 19, 90, 99, 100, 101, 109, 110, 999, 1000,
	    10000, 100000, 1000000, -1000001, 1234567890, -987654321, 999999999999999999LL, 1000000000000000000LL,
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

static void
same_as_strtod(const char *s)
{
	double want = strtod(s, NULL), got = crm_num_decimal(s);

	if (memcmp(&want, &got, sizeof(want)) != 0)
		fail_msg("crm_num_decimal(\"%s\") = %.17g, strtod: %.17g", s, got, want);
}

static void
test_decimal_edges(void **state)
{
	static const char *const v[] = { "0", "-0", "0.00", "-0.00", "1", "-1", "0.1", "0.3", "1.05",
	    "1234.50", "-1234.50", "999999999999999", "999999999999999.5", "9007199254740993",
	    "0.000000000000000000001", "0.0000000000000000000001", "0.00000000000000000000001",
	    "123456789012345678901234567890", "1.", ".5", "-.5", "", "-", ".", "1e3", "12a", " 12",
	    "1.2.3", "0000000000000000000000012.5", "-99999999999999.99", "3.14159265358979" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		same_as_strtod(v[i]);
}

static void
test_decimal_random(void **state)
{
	unsigned long long x = 2463534242ULL;
	char s[48];
	int i, k, n, at;

	(void)state;
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = 1 + (int)(x % 20);          /* digits, some past the fast path */
		at = (int)((x >> 8) % (unsigned)(n + 1));
		k = 0;
		if (x & (1ULL << 40))
			s[k++] = '-';
		for (int d = 0; d < n; d++) {
			if (d == at && d > 0)
				s[k++] = '.';
			s[k++] = (char)('0' + (x >> (12 + 2 * d % 48)) % 10);
		}
		s[k] = '\0';
		same_as_strtod(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_decimal_edges),
		cmocka_unit_test(test_decimal_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
