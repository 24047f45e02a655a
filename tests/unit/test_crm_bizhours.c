/* Business hours: due times across weekends, holidays, two spans a day,
 * starts outside hours and at closing, DST changes in Europe/London, a
 * zone without DST, long targets, and the minutes between two instants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "crm_bizhours.h"

static struct crm_bizhours cal;

/* Monday to Friday, 09:00 to 17:00, in zone. */
static struct crm_bizhours *
office(const char *zone)
{
	int wd;

	crm_biz_init(&cal, zone);
	for (wd = 1; wd <= 5; wd++)
		assert_true(crm_biz_add_span(&cal, wd, 9 * 60, 17 * 60));
	return &cal;
}

static int64_t
at(const char *utc)
{
	int64_t t;

	assert_true(crm_biz_parse_utc(utc, &t));
	return t;
}

static void
due_is(const struct crm_bizhours *b, const char *start, long minutes, const char *want)
{
	int64_t due;
	char out[20];

	assert_true(crm_biz_add(b, at(start), minutes, &due));
	crm_biz_format_utc(due, out);
	assert_string_equal(out, want);
}

static void
across_weekend(void **state)
{
	(void)state;
	/* 2026-11-27 is a Friday. */
	due_is(office("UTC"), "2026-11-27 16:00:00", 120, "2026-11-30 10:00:00");
	due_is(&cal, "2026-11-27 09:00:00", 480, "2026-11-27 17:00:00");
	due_is(&cal, "2026-11-27 09:00:00", 481, "2026-11-30 09:01:00");
}

static void
across_holiday(void **state)
{
	(void)state;
	office("UTC");
	assert_true(crm_biz_add_holiday(&cal, "2026-11-30"));
	due_is(&cal, "2026-11-27 16:00:00", 120, "2026-12-01 10:00:00");
	/* Two holidays in a row, added out of order. */
	assert_true(crm_biz_add_holiday(&cal, "2026-12-02"));
	assert_true(crm_biz_add_holiday(&cal, "2026-12-01"));
	due_is(&cal, "2026-11-27 16:00:00", 120, "2026-12-03 10:00:00");
	assert_int_equal(cal.nholidays, 3);
	assert_true(crm_biz_add_holiday(&cal, "2026-12-01"));
	assert_int_equal(cal.nholidays, 3);
}

static void
start_outside_hours(void **state)
{
	(void)state;
	office("UTC");
	due_is(&cal, "2026-11-28 12:00:00", 60, "2026-11-30 10:00:00");  /* Saturday */
	due_is(&cal, "2026-11-30 07:00:00", 30, "2026-11-30 09:30:00");  /* before opening */
	due_is(&cal, "2026-12-01 20:00:00", 60, "2026-12-02 10:00:00");  /* after closing */
	due_is(&cal, "2026-11-29 23:59:59", 1, "2026-11-30 09:01:00");
}

static void
start_on_holiday(void **state)
{
	(void)state;
	office("UTC");
	assert_true(crm_biz_add_holiday(&cal, "2026-11-30"));
	due_is(&cal, "2026-11-30 11:00:00", 60, "2026-12-01 10:00:00");
	due_is(&cal, "2026-11-30 00:00:00", 480, "2026-12-01 17:00:00");
}

static void
at_closing(void **state)
{
	(void)state;
	office("UTC");
	/* Work that ends at closing is due at closing, not next morning. */
	due_is(&cal, "2026-11-27 16:00:00", 60, "2026-11-27 17:00:00");
	due_is(&cal, "2026-11-27 17:00:00", 1, "2026-11-30 09:01:00");
	due_is(&cal, "2026-11-26 17:00:00", 60, "2026-11-27 10:00:00");
	assert_int_equal(crm_biz_between(&cal, at("2026-11-27 17:00:00"), at("2026-11-30 09:00:00")), 0);
}

static void
zero_minutes(void **state)
{
	(void)state;
	office("UTC");
	due_is(&cal, "2026-11-28 12:00:00", 0, "2026-11-28 12:00:00");
	due_is(&cal, "2026-11-27 10:00:00", 0, "2026-11-27 10:00:00");
	due_is(&cal, "2026-11-27 10:00:00", -5, "2026-11-27 10:00:00");
}

static void
two_spans(void **state)
{
	int wd;

	(void)state;
	crm_biz_init(&cal, "UTC");
	for (wd = 1; wd <= 5; wd++) {
		/* The afternoon first: spans are kept in order whatever the order added. */
		assert_true(crm_biz_add_span(&cal, wd, 13 * 60, 17 * 60));
		assert_true(crm_biz_add_span(&cal, wd, 9 * 60, 12 * 60));
	}
	due_is(&cal, "2026-11-27 11:00:00", 120, "2026-11-27 14:00:00");
	due_is(&cal, "2026-11-27 12:30:00", 30, "2026-11-27 13:30:00");
	due_is(&cal, "2026-11-27 11:00:00", 60, "2026-11-27 12:00:00");
	due_is(&cal, "2026-11-27 16:00:00", 240, "2026-11-30 12:00:00");
	assert_int_equal(crm_biz_between(&cal, at("2026-11-27 08:00:00"), at("2026-11-27 18:00:00")), 420);
}

static void
dst_london(void **state)
{
	(void)state;
	office("Europe/London");
	/* BST ends on Sunday 2026-10-25: Friday 16:00 BST is 15:00 UTC,
	 * Monday 10:00 GMT is 10:00 UTC. */
	due_is(&cal, "2026-10-23 15:00:00", 120, "2026-10-26 10:00:00");
	assert_int_equal(crm_biz_between(&cal, at("2026-10-23 15:00:00"), at("2026-10-26 10:00:00")), 120);
	/* BST starts on Sunday 2026-03-29: Friday 16:00 GMT, Monday 10:00 BST = 09:00 UTC. */
	due_is(&cal, "2026-03-27 16:00:00", 120, "2026-03-30 09:00:00");
	assert_int_equal(crm_biz_between(&cal, at("2026-03-27 16:00:00"), at("2026-03-30 09:00:00")), 120);
	/* A whole summer day: 08:00 to 16:00 UTC. */
	due_is(&cal, "2026-07-01 07:00:00", 480, "2026-07-01 16:00:00");
	due_is(&cal, "2026-07-01 16:00:00", 1, "2026-07-02 08:01:00");
}

static void
shanghai(void **state)
{
	(void)state;
	office("Asia/Shanghai");
	/* UTC+8 all year: 09:00 is 01:00 UTC, 17:00 is 09:00 UTC. */
	due_is(&cal, "2026-11-23 01:00:00", 480, "2026-11-23 09:00:00");
	due_is(&cal, "2026-07-03 08:00:00", 120, "2026-07-06 02:00:00");
	/* Sunday 23:30 UTC is already Monday 07:30 in Shanghai. */
	due_is(&cal, "2026-11-29 23:30:00", 60, "2026-11-30 02:00:00");
	assert_int_equal(crm_biz_between(&cal, at("2026-11-22 16:00:00"), at("2026-11-23 02:00:00")), 60);
}

static void
long_targets(void **state)
{
	(void)state;
	office("UTC");
	/* Three working weeks from a Monday morning end on the third Friday's closing. */
	due_is(&cal, "2026-11-30 09:00:00", 3 * 2400, "2026-12-18 17:00:00");
	/* Two weeks over Christmas Day: the tenth working day is 4 January. */
	assert_true(crm_biz_add_holiday(&cal, "2026-12-25"));
	due_is(&cal, "2026-12-21 09:00:00", 4800, "2027-01-04 17:00:00");
	due_is(&cal, "2026-12-21 09:00:00", 52 * 2400, "2027-12-20 17:00:00");
}

static void
between_round_trips(void **state)
{
	static const long mins[] = { 1, 59, 60, 61, 479, 480, 481, 1000, 2400, 9999, 100000 };
	static const char *const starts[] = { "2026-10-23 15:00:00", "2026-03-27 16:00:00",
	    "2026-11-28 12:00:00", "2026-12-24 16:59:00", "2026-11-27 17:00:00" };
	size_t i, k;
	int64_t due;

	(void)state;
	office("Europe/London");
	assert_true(crm_biz_add_holiday(&cal, "2026-12-25"));
	for (k = 0; k < sizeof(starts) / sizeof(starts[0]); k++)
		for (i = 0; i < sizeof(mins) / sizeof(mins[0]); i++) {
			assert_true(crm_biz_add(&cal, at(starts[k]), mins[i], &due));
			assert_int_equal(crm_biz_between(&cal, at(starts[k]), due), mins[i]);
		}
	assert_int_equal(crm_biz_between(&cal, at("2026-11-30 10:00:00"), at("2026-11-30 09:00:00")), 0);
}

static void
whole_days(void **state)
{
	int wd;

	(void)state;
	crm_biz_init(&cal, "Europe/London");
	for (wd = 1; wd <= 7; wd++)
		assert_true(crm_biz_add_span(&cal, wd, 0, 1440));
	/* Around the clock, business time is plain time, even over a DST change. */
	due_is(&cal, "2026-10-24 20:00:00", 600, "2026-10-25 06:00:00");
	assert_int_equal(crm_biz_between(&cal, at("2026-10-24 20:00:00"), at("2026-10-25 06:00:00")), 600);
	due_is(&cal, "2026-11-28 08:00:00", 1, "2026-11-28 08:01:00");
}

static void
refuses_bad_input(void **state)
{
	int64_t due, t;
	int32_t d;

	(void)state;
	crm_biz_init(&cal, NULL);
	/* No working time at all: no due time rather than a loop. */
	assert_false(crm_biz_add(&cal, at("2026-11-27 09:00:00"), 1, &due));
	assert_false(crm_biz_add_span(&cal, 0, 60, 120));
	assert_false(crm_biz_add_span(&cal, 8, 60, 120));
	assert_false(crm_biz_add_span(&cal, 1, 120, 120));
	assert_false(crm_biz_add_span(&cal, 1, 120, 60));
	assert_false(crm_biz_add_span(&cal, 1, -1, 60));
	assert_false(crm_biz_add_span(&cal, 1, 60, 1441));
	assert_true(crm_biz_add_span(&cal, 1, 540, 720));
	assert_false(crm_biz_add_span(&cal, 1, 700, 800));    /* overlaps */
	assert_true(crm_biz_add_span(&cal, 1, 720, 780));     /* touches */
	assert_true(crm_biz_add_span(&cal, 1, 800, 810));
	assert_true(crm_biz_add_span(&cal, 1, 820, 830));
	assert_false(crm_biz_add_span(&cal, 1, 900, 910));    /* full */
	assert_false(crm_biz_add_holiday(&cal, "2026-02-29"));
	assert_true(crm_biz_add_holiday(&cal, "2028-02-29"));
	assert_false(crm_biz_add_holiday(&cal, "2026-13-01"));
	assert_false(crm_biz_add_holiday(&cal, "26-1-1"));
	assert_false(crm_biz_date(NULL, &d));
	assert_true(crm_biz_date("1970-01-02", &d));
	assert_int_equal(d, 1);
	assert_false(crm_biz_parse_utc("2026-11-27 24:00:00", &t));
	assert_false(crm_biz_parse_utc("2026-11-27", &t));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(across_weekend),
		cmocka_unit_test(across_holiday),
		cmocka_unit_test(start_outside_hours),
		cmocka_unit_test(start_on_holiday),
		cmocka_unit_test(at_closing),
		cmocka_unit_test(zero_minutes),
		cmocka_unit_test(two_spans),
		cmocka_unit_test(dst_london),
		cmocka_unit_test(shanghai),
		cmocka_unit_test(long_targets),
		cmocka_unit_test(between_round_trips),
		cmocka_unit_test(whole_days),
		cmocka_unit_test(refuses_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
