/* Apriori rules and item cosine (analytics/basket.c) on baskets small
 * enough to count by hand: the figures, the rule order's tie-breaks,
 * repeats within a basket, no baskets at all, and the refusals. The
 * large comparison with pandas is tests/analytics/check_baskets.sh. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "analytics/basket.h"

/* Five baskets: {7,9} three times (9 listed twice once), {7} once, {3}. */
static const long long items[] = { 9, 7, 7, 9, 9, 9, 7, 7, 3 };
static const size_t start[] = { 0, 2, 4, 7, 8, 9 };
static const struct crm_baskets five = { 5, start, items };

static void
rules_by_hand(void **state)
{
	struct crm_basket_rule *r;
	struct crm_basket_stats st;
	size_t n;

	(void)state;
	assert_int_equal(crm_basket_rules(&five, 0.4, 0.5, &r, &n, &st), CRM_OK);
	assert_int_equal(st.items, 3);
	assert_int_equal(st.frequent[0], 2);    /* 7 (4 of 5), 9 (3); 3 is 1 of 5 */
	assert_int_equal(st.frequent[1], 1);
	assert_int_equal(st.frequent[2], 0);
	assert_int_equal(n, 2);
	/* Same lift (5/4 both ways); 9 => 7 first by its confidence 1. */
	assert_int_equal(r[0].antecedent[0], 9);
	assert_int_equal(r[0].consequent, 7);
	assert_int_equal(r[0].count, 3);
	assert_true(r[0].support == 0.6 && r[0].confidence == 1.0 && r[0].lift == 1.25);
	assert_int_equal(r[1].antecedent[0], 7);
	assert_true(r[1].confidence == 0.75 && r[1].lift == r[0].lift);
	free(r);
	/* A confidence floor above 0.75 keeps only 9 => 7. */
	assert_int_equal(crm_basket_rules(&five, 0.4, 0.8, &r, &n, NULL), CRM_OK);
	assert_int_equal(n, 1);
	free(r);
}

static void
order_breaks_ties_by_items(void **state)
{
	struct crm_basket_rule a = { { 3, 0 }, 1, 9, 2, 0.5, 0.5, 2.0 }, b = a;

	(void)state;
	b.antecedent[1] = 4;
	b.nantecedent = 2;
	assert_true(crm_basket_rule_cmp(&a, &b) < 0);  /* (3,) before (3, 4) */
	b = a;
	b.consequent = 10;
	assert_true(crm_basket_rule_cmp(&a, &b) < 0);
	b.lift = 2.5;
	assert_true(crm_basket_rule_cmp(&a, &b) > 0);  /* higher lift first */
	assert_int_equal(crm_basket_rule_cmp(&a, &a), 0);
}

static void
cosine_by_hand(void **state)
{
	struct crm_basket_similar *s;
	size_t n;

	(void)state;
	/* As customers: 7 has 4 buyers, 9 has 3, all of 9's bought 7. */
	assert_int_equal(crm_basket_cosine(&five, 5, &s, &n), CRM_OK);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].item, 7);
	assert_int_equal(s[0].similar, 9);
	assert_int_equal(s[0].rank, 1);
	assert_true(fabs(s[0].cosine - 3 / sqrt(12.0)) < 1e-15);
	assert_int_equal(s[1].item, 9);
	free(s);
	/* top 0 keeps nothing. */
	assert_int_equal(crm_basket_cosine(&five, 0, &s, &n), CRM_OK);
	assert_int_equal(n, 0);
	free(s);
}

static void
nothing_and_refusals(void **state)
{
	static const size_t none_start[] = { 0 };
	static const struct crm_baskets none = { 0, none_start, items };
	static const long long bad_items[] = { 1, -2 };
	static const size_t bad_start[] = { 0, 2 };
	static const struct crm_baskets bad = { 1, bad_start, bad_items };
	struct crm_basket_rule *r;
	struct crm_basket_similar *s;
	size_t n;

	(void)state;
	assert_int_equal(crm_basket_rules(&none, 0.1, 0.1, &r, &n, NULL), CRM_OK);
	assert_int_equal(n, 0);
	free(r);
	assert_int_equal(crm_basket_cosine(&none, 5, &s, &n), CRM_OK);
	assert_int_equal(n, 0);
	free(s);
	assert_int_equal(crm_basket_rules(&bad, 0.1, 0.1, &r, &n, NULL), CRM_EINVAL);
	assert_int_equal(crm_basket_cosine(&bad, 5, &s, &n), CRM_EINVAL);
	assert_int_equal(crm_basket_rules(&five, 1.5, 0.1, &r, &n, NULL), CRM_EINVAL);
	assert_int_equal(crm_basket_rules(&five, 0.1, NAN, &r, &n, NULL), CRM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_by_hand),
		cmocka_unit_test(order_breaks_ties_by_items),
		cmocka_unit_test(cosine_by_hand),
		cmocka_unit_test(nothing_and_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
