/* RFM quintiles against what pandas' qcut of rank(method='first') gives
 * (the expected rows were printed by pandas 1.5): few customers, ties in
 * input order, recency reversed, and the refusals. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "analytics/rfm.h"

static void
fewer_than_five_spread_like_pandas(void **state)
{
	static const int want[8][9] = {
		{ 1, 5 },
		{ 1, 3, 5 },
		{ 1, 2, 4, 5 },
		{ 1, 2, 3, 4, 5 },
		{ 1, 1, 2, 3, 4, 5 },
		{ 1, 1, 2, 3, 4, 5, 5 },
		{ 1, 1, 2, 3, 3, 4, 5, 5 },
		{ 1, 1, 2, 2, 3, 4, 4, 5, 5 },
	};
	size_t n, r;

	(void)state;
	for (n = 2; n <= 9; n++)
		for (r = 1; r <= n; r++)
			assert_int_equal(crm_rfm_quintile(r, n), want[n - 2][r - 1]);
}

static void
ties_rank_in_input_order(void **state)
{
	static const double same[10] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 };
	static const unsigned char same_want[10] = { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 };
	static const double some[5] = { 3, 1, 3, 2, 3 };
	static const unsigned char some_want[5] = { 3, 1, 4, 2, 5 };
	static const double money[7] = { 0.5, 99.9, 12.0, 12.0, 3.25, 0.5, 40 };
	static const unsigned char money_want[7] = { 1, 5, 3, 4, 2, 1, 5 };
	unsigned char s[10];

	(void)state;
	assert_int_equal(crm_rfm_scores(same, 10, s), CRM_OK);
	assert_memory_equal(s, same_want, 10);
	assert_int_equal(crm_rfm_scores(some, 5, s), CRM_OK);
	assert_memory_equal(s, some_want, 5);
	assert_int_equal(crm_rfm_scores(money, 7, s), CRM_OK);
	assert_memory_equal(s, money_want, 7);
}

/* 100 equal values still fill each quintile with exactly 20. */
static void
ties_never_unbalance_quintiles(void **state)
{
	double x[100];
	unsigned char s[100];
	int count[6] = { 0 }, i;

	(void)state;
	for (i = 0; i < 100; i++)
		x[i] = i < 70 ? 1.0 : 2.0;
	assert_int_equal(crm_rfm_scores(x, 100, s), CRM_OK);
	for (i = 0; i < 100; i++)
		count[s[i]]++;
	assert_int_equal(count[0], 0);
	for (i = 1; i <= 5; i++)
		assert_int_equal(count[i], 20);
}

/* Most recent scores 5; labels [5..1] on the ascending rank, so of two
 * equally recent customers the earlier scores higher. */
static void
recency_reversed(void **state)
{
	static const double rec[7] = { 10, 1, 30, 5, 20, 5, 1 };
	static const double freq[7] = { 2, 0, 7, 7, 1, 0, 3 };
	static const double mon[7] = { 0.5, 99.9, 12.0, 12.0, 3.25, 0.5, 40 };
	static const unsigned char r[7] = { 2, 5, 1, 4, 1, 3, 5 };
	static const unsigned char f[7] = { 3, 1, 5, 5, 2, 1, 4 };
	static const unsigned char m[7] = { 1, 5, 3, 4, 2, 1, 5 };
	struct crm_rfm out[7];
	int i;

	(void)state;
	assert_int_equal(crm_rfm(rec, freq, mon, 7, out), CRM_OK);
	for (i = 0; i < 7; i++) {
		assert_int_equal(out[i].r, r[i]);
		assert_int_equal(out[i].f, f[i]);
		assert_int_equal(out[i].m, m[i]);
	}
}

static void
one_none_and_refusals(void **state)
{
	double one = 3.0, bad[3] = { 1.0, NAN, 2.0 }, inf[2] = { INFINITY, 1.0 };
	struct crm_rfm out[3] = { { 0, 0, 0 } };
	unsigned char s[3];

	(void)state;
	assert_int_equal(crm_rfm(&one, &one, &one, 1, out), CRM_OK);
	assert_int_equal(out[0].r, 5);
	assert_int_equal(out[0].f, 1);
	assert_int_equal(out[0].m, 1);
	assert_int_equal(crm_rfm(NULL, NULL, NULL, 0, NULL), CRM_OK);
	assert_int_equal(crm_rfm_scores(bad, 3, s), CRM_EINVAL);
	assert_int_equal(crm_rfm_scores(inf, 2, s), CRM_EINVAL);
	assert_int_equal(crm_rfm(bad, bad, bad, 3, out), CRM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fewer_than_five_spread_like_pandas),
		cmocka_unit_test(ties_rank_in_input_order),
		cmocka_unit_test(ties_never_unbalance_quintiles),
		cmocka_unit_test(recency_reversed),
		cmocka_unit_test(one_none_and_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
