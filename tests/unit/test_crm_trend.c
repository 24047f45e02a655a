/* The trend fit: which terms the history length allows, exact recovery
 * of a known trend and season, plain simple regression against its closed
 * form, R squared and its adjusted form, projections. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "crm_trend.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-6 * (1.0 + fabs(b)))

static void
params_follow_history(void **state)
{
	(void)state;
	assert_int_equal(crm_trend_params(2), 0);
	assert_int_equal(crm_trend_params(3), 2);
	assert_int_equal(crm_trend_params(11), 2);
	assert_int_equal(crm_trend_params(12), 5);
	assert_int_equal(crm_trend_params(23), 5);
	assert_int_equal(crm_trend_params(24), 13);
	assert_int_equal(crm_trend_params(36), 13);
}

static void
refuses_too_little(void **state)
{
	struct crm_trend tr;
	double y[3] = { 1, 2, 3 };

	(void)state;
	assert_int_equal(crm_trend_fit(y, 2, 0, &tr), -1);
	assert_int_equal(crm_trend_fit(y, 3, 12, &tr), -1);
	assert_int_equal(crm_trend_fit(y, 3, -1, &tr), -1);
	assert_int_equal(crm_trend_fit(y, CRM_TREND_MAX_N + 1, 0, &tr), -1);
}

/* 30 months from March of 1000 + 25 t plus a known bump per month of
 * year: the fit gives those numbers back and R squared is 1. */
static void
recovers_trend_and_season(void **state)
{
	static const double bump[12] = { 0, 40, -30, 10, 55, -20, 5, 0, 90, -70, 15, 120 };
	struct crm_trend tr;
	double y[30];
	int t, k;

	(void)state;
	for (t = 0; t < 30; t++)
		y[t] = 1000.0 + 25.0 * t + bump[(2 + t) % 12];
	assert_int_equal(crm_trend_fit(y, 30, 2, &tr), 0);
	assert_int_equal(tr.p, 13);
	assert_int_equal(tr.season, CRM_TREND_MONTH);
	NEAR(tr.coef[0], 1000.0);
	NEAR(tr.coef[1], 25.0);
	for (k = 1; k < 12; k++)
		NEAR(tr.coef[1 + k], bump[k]);
	NEAR(tr.r2, 1.0);
	NEAR(tr.adj_r2, 1.0);
	/* Month 30 is September (2 + 30 = 32, 32 % 12 = 8), month 33 December. */
	NEAR(crm_trend_predict(&tr, 30), 1000.0 + 25.0 * 30 + bump[8]);
	NEAR(crm_trend_predict(&tr, 33), 1000.0 + 25.0 * 33 + bump[11]);
}

/* Fewer than 12 months: the trend alone, which is simple regression. */
static void
matches_simple_regression(void **state)
{
	static const double y[7] = { 12, 15, 11, 19, 22, 18, 25 };
	double sx = 0, sy = 0, sxx = 0, sxy = 0, b, a, sse = 0, sst = 0, mean, r2;
	struct crm_trend tr;
	int t;

	(void)state;
	for (t = 0; t < 7; t++) {
		sx += t, sy += y[t], sxx += (double)t * t, sxy += t * y[t];
	}
	b = (7 * sxy - sx * sy) / (7 * sxx - sx * sx);
	a = (sy - b * sx) / 7;
	mean = sy / 7;
	for (t = 0; t < 7; t++) {
		sse += (y[t] - a - b * t) * (y[t] - a - b * t);
		sst += (y[t] - mean) * (y[t] - mean);
	}
	r2 = 1 - sse / sst;
	assert_int_equal(crm_trend_fit(y, 7, 5, &tr), 0);
	assert_int_equal(tr.p, 2);
	assert_int_equal(tr.season, CRM_TREND_NONE);
	NEAR(tr.coef[0], a);
	NEAR(tr.coef[1], b);
	NEAR(tr.r2, r2);
	NEAR(tr.adj_r2, 1 - (1 - r2) * 6 / 5);
	assert_true(tr.r2 < 1.0 && tr.r2 > 0.5);
	NEAR(crm_trend_predict(&tr, 9), a + 9 * b);
}

/* 12 to 23 months: quarter dummies; a pure quarterly pattern is fitted
 * exactly, whatever the month the history starts in. */
static void
quarters_in_between(void **state)
{
	static const double q[4] = { 0, 300, -100, 50 };
	struct crm_trend tr;
	double y[18];
	int t;

	(void)state;
	for (t = 0; t < 18; t++)
		y[t] = 500.0 - 4.0 * t + q[((7 + t) % 12) / 3];
	assert_int_equal(crm_trend_fit(y, 18, 7, &tr), 0);
	assert_int_equal(tr.p, 5);
	assert_int_equal(tr.season, CRM_TREND_QUARTER);
	NEAR(tr.coef[1], -4.0);
	NEAR(tr.coef[2], 300.0);
	NEAR(tr.coef[3], -100.0);
	NEAR(tr.coef[4], 50.0);
	NEAR(tr.r2, 1.0);
	NEAR(crm_trend_predict(&tr, 20), 500.0 - 80.0 + q[(27 % 12) / 3]);
}

/* Totals that never vary explain nothing and miss nothing. */
static void
flat_history(void **state)
{
	double y[5] = { 7, 7, 7, 7, 7 };
	struct crm_trend tr;

	(void)state;
	assert_int_equal(crm_trend_fit(y, 5, 0, &tr), 0);
	NEAR(tr.coef[0], 7.0);
	NEAR(tr.coef[1], 0.0);
	NEAR(tr.r2, 1.0);
	NEAR(crm_trend_predict(&tr, 11), 7.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(params_follow_history),
		cmocka_unit_test(refuses_too_little),
		cmocka_unit_test(recovers_trend_and_season),
		cmocka_unit_test(matches_simple_regression),
		cmocka_unit_test(quarters_in_between),
		cmocka_unit_test(flat_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
