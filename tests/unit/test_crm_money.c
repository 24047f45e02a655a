/* Exact decimals: parsing, formatting, rounding, a priced line. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "crm_money.h"

static void
parses_money(void **state)
{
	long long v = 7;

	(void)state;
	assert_int_equal(crm_money_parse("1234", &v), 0);
	assert_int_equal(v, 123400);
	assert_int_equal(crm_money_parse("0.07", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(crm_money_parse("-12.5", &v), 0);
	assert_int_equal(v, -1250);
	assert_int_equal(crm_money_parse("9999999999999.99", &v), 0);
	assert_int_equal(v, 999999999999999LL);
	v = 7;
	assert_int_equal(crm_money_parse("10000000000000", &v), -1);
	assert_int_equal(crm_money_parse("1.234", &v), -1);
	assert_int_equal(crm_money_parse("1,234", &v), -1);
	assert_int_equal(crm_money_parse("1.", &v), -1);
	assert_int_equal(crm_money_parse(".5", &v), -1);
	assert_int_equal(crm_money_parse("", &v), -1);
	assert_int_equal(crm_money_parse("-", &v), -1);
	assert_int_equal(crm_money_parse("1e3", &v), -1);
	assert_int_equal(crm_money_parse(" 1", &v), -1);
	assert_int_equal(crm_money_parse("1.2.3", &v), -1);
	assert_int_equal(crm_money_parse(NULL, &v), -1);
	assert_int_equal(v, 7);
}

static void
formats(void **state)
{
	char buf[CRM_DECIMAL_MAX];

	(void)state;
	assert_string_equal(crm_money_format(buf, 123450), "1234.50");
	assert_string_equal(crm_money_format(buf, -5), "-0.05");
	assert_string_equal(crm_money_format(buf, 0), "0.00");
	assert_string_equal(crm_decimal_format(buf, 1500, CRM_QTY_SCALE), "1.500");
	assert_string_equal(crm_decimal_format(buf, 42, 0), "42");
	assert_string_equal(crm_decimal_format(buf, LLONG_MIN, 2), "-92233720368547758.08");
}

static void
rounds_half_away_from_zero(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(crm_muldiv(5, 1, 10, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(crm_muldiv(-5, 1, 10, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(crm_muldiv(4, 1, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(crm_muldiv(15, 1, -10, &v), 0);
	assert_int_equal(v, -2);
	assert_int_equal(crm_muldiv(1, 1, 0, &v), -1);
	assert_int_equal(crm_muldiv(LLONG_MAX, 4, 2, &v), -1);
	/* 128-bit intermediate: no overflow on the way. */
	assert_int_equal(crm_muldiv(LLONG_MAX, 1000, 1000, &v), 0);
	assert_int_equal(v, LLONG_MAX);
}

static void
prices_a_line(void **state)
{
	struct crm_line_amounts a;
	long long v;

	(void)state;
	/* 3 x 19.99, 10 % off, 20 % tax. */
	assert_int_equal(crm_line_amounts(3000, 1999, 1000, 2000, &a), 0);
	assert_int_equal(a.gross, 5997);
	assert_int_equal(a.discount, 600);     /* 599.7 */
	assert_int_equal(a.net, 5397);
	assert_int_equal(a.tax, 1079);         /* 1079.4 */
	assert_int_equal(a.total, 6476);
	/* 2.5 kg at 0.33: 0.825 rounds up to 0.83; 7.5 % of it is 0.06225. */
	assert_int_equal(crm_line_amounts(2500, 33, 0, 750, &a), 0);
	assert_int_equal(a.gross, 83);
	assert_int_equal(a.tax, 6);
	assert_int_equal(a.total, 89);
	assert_int_equal(crm_line_amounts(LLONG_MAX, LLONG_MAX, 0, 0, &a), -1);
	/* 100.00 at 7.1234 per unit of the base. */
	assert_int_equal(crm_money_convert(10000, 712340000, &v), 0);
	assert_int_equal(v, 71234);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_money),
		cmocka_unit_test(formats),
		cmocka_unit_test(rounds_half_away_from_zero),
		cmocka_unit_test(prices_a_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
