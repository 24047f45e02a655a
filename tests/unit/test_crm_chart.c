/* crm_chart: the geometry of every kind on small known data (exact
 * coordinates), nice ticks, pie arcs closing the circle, empty, zero,
 * negative and huge data, labels kept as data, every number finite; then
 * each kind rendered through the real partials/chart template, checked as
 * well-formed XML with the table holding every figure.
 *
 * Runs from the repository root (make does); the templates are read from
 * $CRM_TEMPLATE_DIR, else html/templates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_chart.h"
#include "crm_table.h"
#include "crm_tmpl.h"

static struct crm_arena *arena;

static int
setup(void **state)
{
	(void)state;
	arena = crm_arena_new(0);
	crm_arena_json_use(arena);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	crm_arena_json_use(NULL);
	crm_arena_free(arena);
	arena = NULL;
	return 0;
}

/* ---- helpers ---- */

/* The model's lists are tables (crm_table.h). */
static const char *
get(json_t *m, const char *list, size_t i, const char *key)
{
	const char *s = json_string_value(crm_table_get(json_object_get(m, list), i, key));

	if (s == NULL)
		fail_msg("%s[%zu].%s is missing", list, i, key);
	return s;
}

static size_t
count(json_t *m, const char *list)
{
	return crm_table_size(json_object_get(m, list));
}

#define RECT(m, i, X, Y, W, H) do { \
	assert_string_equal(get(m, "rects", i, "x"), X); \
	assert_string_equal(get(m, "rects", i, "y"), Y); \
	assert_string_equal(get(m, "rects", i, "width"), W); \
	assert_string_equal(get(m, "rects", i, "height"), H); \
} while (0)

/* The text whose content is t, or -1. */
static long
text_index(json_t *m, const char *t)
{
	size_t i;

	for (i = 0; i < count(m, "texts"); i++)
		if (strcmp(get(m, "texts", i, "text"), t) == 0)
			return (long)i;
	return -1;
}

static const char *
cell(json_t *m, size_t row, size_t col)
{
	json_t *cells = crm_table_get(json_object_get(json_object_get(m, "table"), "rows"), row, "cells");
	const char *s = json_string_value(crm_table_get(cells, col, "text"));

	if (s == NULL)
		fail_msg("table cell %zu,%zu is missing", row, col);
	return s;
}

static size_t
rows(json_t *m)
{
	return crm_table_size(json_object_get(json_object_get(m, "table"), "rows"));
}

static int
finite_number(const char *s)
{
	char *end;
	double v;

	if (*s == '\0')
		return 0;
	v = strtod(s, &end);
	return *end == '\0' && isfinite(v);
}

/* Path data: only M L A Z, spaces and numbers, every number finite. */
static int
path_ok(const char *d)
{
	const char *p = d;

	while (*p) {
		if (*p == ' ' || *p == 'M' || *p == 'L' || *p == 'A' || *p == 'Z') {
			p++;
			continue;
		}
		if (*p == '-' || (*p >= '0' && *p <= '9')) {
			char *end;
			double v = strtod(p, &end);

			if (end == p || !isfinite(v) || (*end != ' ' && *end != '\0'))
				return 0;
			p = end;
			continue;
		}
		return 0;
	}
	return 1;
}

/* Walks the model: every geometry string is a finite number, every path
 * is clean; returns how many were checked. */
static size_t
check_numbers(json_t *j)
{
	static const char *const keys[] = { "x", "y", "width", "height", "cx", "cy", "r", "x1", "y1", "x2",
		"y2", "tx", "ty", "stroke_width", "centre_x", "centre_y" };
	const char *k;
	json_t *v;
	size_t i, n = 0;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			n += check_numbers(v);
		return n;
	}
	if (crm_table_is(j)) {
		json_array_foreach(crm_table_rows(j), i, v) {
			json_t *o = crm_table_object(crm_table_columns(j), v);

			n += check_numbers(o);
			json_decref(o);
		}
		return n;
	}
	if (!json_is_object(j))
		return 0;
	json_object_foreach(j, k, v) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(k, keys[i]) == 0) {
				if (!json_is_string(v) || !finite_number(json_string_value(v)))
					fail_msg("%s is not a finite number: %s", k,
					    json_is_string(v) ? json_string_value(v) : "(not a string)");
				n++;
			}
		if (strcmp(k, "d") == 0) {
			if (!json_is_string(v) || !path_ok(json_string_value(v)))
				fail_msg("bad path data: %s", json_string_value(v));
			n++;
		}
		n += check_numbers(v);
	}
	return n;
}

static json_t *
view(enum crm_chart_kind kind, const char *const *labels, size_t nlabels, const struct crm_chart_series *s,
    size_t ns)
{
	struct crm_chart c = { .kind = kind, .title = "T", .labels = labels, .nlabels = nlabels, .series = s,
		.nseries = ns };
	json_t *m = crm_chart_view(arena, &c);

	assert_non_null(m);
	check_numbers(m);
	return m;
}

/* ---- numbers and ticks ---- */

static void
test_number(void **state)
{
	char b[40];

	(void)state;
	assert_string_equal(crm_chart_number(b, 0, 2), "0.00");
	assert_string_equal(crm_chart_number(b, 12.5, 2), "12.50");
	assert_string_equal(crm_chart_number(b, -3.25, 2), "-3.25");
	assert_string_equal(crm_chart_number(b, -0.001, 2), "0.00");
	assert_string_equal(crm_chart_number(b, 0.999, 2), "1.00");
	assert_string_equal(crm_chart_number(b, 1.25, 1), "1.3");
	assert_string_equal(crm_chart_number(b, 42, 0), "42");
	assert_string_equal(crm_chart_number(b, 1.05, 2), "1.05");
	assert_string_equal(crm_chart_number(b, -7.007, 3), "-7.007");
	assert_string_equal(crm_chart_number(b, 100.5, 6), "100.500000");
	assert_string_equal(crm_chart_number(b, NAN, 2), "0.00");
	assert_string_equal(crm_chart_number(b, INFINITY, 0), "0");
	assert_string_equal(crm_chart_number(b, -INFINITY, 0), "0");
	assert_string_equal(crm_chart_number(b, 1e300, 2), "1000000000000000.00");
	assert_string_equal(crm_chart_number(b, -DBL_MAX, 0), "-1000000000000000");
	assert_string_equal(crm_chart_number(b, 0.5, 9), "0.500000");
}

static void
test_ticks(void **state)
{
	static const struct {
		double lo, hi, alo, ahi, step;
		int n;
	} t[] = {
		{ 0, 20, 0, 20, 5, 5 },
		{ 0, 97, 0, 100, 20, 6 },
		{ 0, 1, 0, 1, 0.2, 6 },
		{ -3, 7, -4, 8, 2, 7 },
		{ 0, 0.03, 0, 0.03, 0.01, 4 },
		{ 0, 1e15, 0, 1e15, 2e14, 6 },
		{ 0, 3, 0, 3, 1, 4 },
		{ 0, 4, 0, 4, 1, 5 },
		{ -10, 5, -10, 5, 5, 4 },
		{ 0, 1234567, 0, 1500000, 500000, 4 },
		{ 5, 5, 5, 10, 1, 6 },
		{ 0, 0, 0, 1, 0.2, 6 },
	};
	double alo, ahi, step;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int n = crm_chart_ticks(t[i].lo, t[i].hi, 5, &alo, &ahi, &step);

		if (n != t[i].n || fabs(alo - t[i].alo) > 1e-9 * (1 + fabs(t[i].alo)) ||
		    fabs(ahi - t[i].ahi) > 1e-9 * (1 + fabs(t[i].ahi)) || fabs(step - t[i].step) > 1e-12 * (1 + t[i].step))
			fail_msg("ticks(%g, %g): got %d from %g to %g by %g, want %d from %g to %g by %g", t[i].lo,
			    t[i].hi, n, alo, ahi, step, t[i].n, t[i].alo, t[i].ahi, t[i].step);
	}
	/* Non-finite ends do not reach the arithmetic. */
	assert_true(crm_chart_ticks(NAN, INFINITY, 5, &alo, &ahi, &step) >= 2);
	assert_true(isfinite(alo) && isfinite(ahi) && isfinite(step) && step > 0);
}

/* ---- geometry of each kind ---- */

static void
test_bar(void **state)
{
	static const char *const labels[] = { "A", "B" };
	static const double v[] = { 10, 20 };
	struct crm_chart_series s = { "Won", v, NULL, 0 };
	json_t *m;
	long t;

	(void)state;
	m = view(CRM_CHART_BAR, labels, 2, &s, 1);
	assert_string_equal(json_string_value(json_object_get(m, "kind")), "bar");
	assert_false(json_is_true(json_object_get(m, "empty")));
	assert_string_equal(json_string_value(json_object_get(m, "width")), "640.00");
	assert_string_equal(json_string_value(json_object_get(m, "height")), "320.00");
	/* Plot 56..624 x 16..288; axis 0..20 by 5; bands of 284, bars 80 %. */
	assert_int_equal(count(m, "rects"), 2);
	RECT(m, 0, "84.40", "152.00", "227.20", "136.00");
	RECT(m, 1, "368.40", "16.00", "227.20", "272.00");
	assert_string_equal(get(m, "rects", 0, "fill"), "#2457c5");
	assert_string_equal(get(m, "rects", 1, "title"), "B: 20");
	/* Five ticks, grid lines and labels right-aligned left of the plot. */
	assert_int_equal(count(m, "grid"), 5);
	assert_string_equal(get(m, "grid", 1, "y1"), "220.00");
	assert_string_equal(get(m, "grid", 1, "x2"), "624.00");
	t = text_index(m, "15");
	assert_true(t >= 0);
	assert_string_equal(get(m, "texts", (size_t)t, "x"), "50.00");
	assert_string_equal(get(m, "texts", (size_t)t, "y"), "88.00");
	assert_string_equal(get(m, "texts", (size_t)t, "anchor"), "end");
	/* Category labels under the bands' middles, value labels on top. */
	t = text_index(m, "B");
	assert_string_equal(get(m, "texts", (size_t)t, "x"), "482.00");
	assert_string_equal(get(m, "texts", (size_t)t, "y"), "306.00");
	t = text_index(m, "20");
	assert_true(t >= 0);
	/* "20" is a tick too: the value label is the later one. */
	assert_string_equal(get(m, "texts", count(m, "texts") - 1, "text"), "20");
	assert_string_equal(get(m, "texts", count(m, "texts") - 1, "x"), "482.00");
	assert_string_equal(get(m, "texts", count(m, "texts") - 1, "y"), "12.00");
	assert_int_equal(count(m, "legend"), 0);
	/* The table. */
	assert_int_equal(rows(m), 2);
	assert_string_equal(cell(m, 0, 0), "A");
	assert_string_equal(cell(m, 1, 1), "20");
}

static void
test_grouped_bars(void **state)
{
	static const char *const labels[] = { "A", "B" };
	static const double v1[] = { 1, 2 }, v2[] = { 3, 4.5 };
	struct crm_chart_series s[2] = { { "One", v1, NULL, 0 }, { "Two", v2, NULL, 0 } };
	json_t *m;

	(void)state;
	m = view(CRM_CHART_BAR, labels, 2, s, 2);
	/* A legend row: plot 16..264; axis 0..5 by 1; bars 227.2 / 2. */
	assert_int_equal(count(m, "rects"), 4);
	RECT(m, 0, "84.40", "214.40", "113.60", "49.60");
	RECT(m, 1, "198.00", "115.20", "113.60", "148.80");
	RECT(m, 3, "482.00", "40.80", "113.60", "223.20");
	assert_string_equal(get(m, "rects", 1, "fill"), "#e69f00");
	assert_string_equal(get(m, "rects", 3, "title"), "Two: B: 4.50");
	assert_int_equal(count(m, "legend"), 2);
	assert_string_equal(get(m, "legend", 0, "name"), "One");
	assert_string_equal(get(m, "legend", 0, "x"), "56.00");
	assert_string_equal(get(m, "legend", 0, "ty"), "312.00");
	assert_string_equal(get(m, "legend", 1, "x"), "109.00");
	assert_string_equal(cell(m, 1, 2), "4.50");
}

static void
test_stacked(void **state)
{
	static const char *const labels[] = { "A", "B" };
	static const double v1[] = { 10, 5 }, v2[] = { 10, -5 };
	struct crm_chart_series s[2] = { { "s1", v1, NULL, 0 }, { "s2", v2, NULL, 0 } };
	json_t *m;
	long t;

	(void)state;
	m = view(CRM_CHART_STACKED, labels, 2, s, 2);
	/* Axis -5..20 over 264..16; A stacks 0-10-20, B 0-5 up and 0..-5 down. */
	assert_int_equal(count(m, "rects"), 4);
	RECT(m, 0, "112.80", "115.20", "170.40", "99.20");
	RECT(m, 1, "112.80", "16.00", "170.40", "99.20");
	RECT(m, 2, "396.80", "164.80", "170.40", "49.60");
	RECT(m, 3, "396.80", "214.40", "170.40", "49.60");
	assert_int_equal(count(m, "grid"), 6);
	/* The zero line is the second axis line. */
	assert_string_equal(get(m, "axes", 1, "y1"), "214.40");
	/* Totals over the stacks. */
	t = text_index(m, "0");
	assert_true(t >= 0);
	assert_string_equal(get(m, "texts", count(m, "texts") - 2, "text"), "20");
	assert_string_equal(get(m, "texts", count(m, "texts") - 2, "y"), "12.00");
	assert_string_equal(get(m, "texts", count(m, "texts") - 1, "text"), "0");
	assert_string_equal(get(m, "texts", count(m, "texts") - 1, "y"), "160.80");
	assert_string_equal(cell(m, 1, 2), "-5");
}

static void
test_line(void **state)
{
	static const char *const labels[] = { "A", "B", "C" };
	static const double v[] = { 0, 10, 5 }, w[] = { -3, 7, 1 };
	struct crm_chart_series s[2] = { { "L", v, NULL, 0 }, { "M", w, NULL, 0 } };
	json_t *m;

	(void)state;
	m = view(CRM_CHART_LINE, labels, 3, s, 1);
	assert_int_equal(count(m, "paths"), 1);
	assert_string_equal(get(m, "paths", 0, "d"), "M150.67 288.00 L340.00 16.00 L529.33 152.00");
	assert_string_equal(get(m, "paths", 0, "fill"), "none");
	assert_string_equal(get(m, "paths", 0, "stroke"), "#2457c5");
	assert_int_equal(count(m, "circles"), 3);
	assert_string_equal(get(m, "circles", 1, "cx"), "340.00");
	assert_string_equal(get(m, "circles", 1, "cy"), "16.00");
	assert_string_equal(get(m, "circles", 2, "title"), "C: 5");
	assert_int_equal(count(m, "rects"), 0);

	/* Below zero, the axis starts at the data's nice minimum: -5..10 by 5
	 * over 264..16 with the legend row. */
	m = view(CRM_CHART_LINE, labels, 3, s, 2);
	assert_int_equal(count(m, "paths"), 2);
	assert_int_equal(count(m, "grid"), 4);
	assert_string_equal(get(m, "grid", 0, "y1"), "264.00");
	assert_string_equal(get(m, "texts", 0, "text"), "-5");
	assert_string_equal(get(m, "paths", 1, "d"), "M150.67 230.93 L340.00 65.60 L529.33 164.80");
	assert_string_equal(get(m, "axes", 1, "y1"), "181.33");
	assert_int_equal(count(m, "legend"), 2);
}

static void
test_funnel(void **state)
{
	static const char *const labels[] = { "Members", "Opened", "Clicked", "Bought" };
	static const double v[] = { 100, 50, 25, 0 };
	struct crm_chart_series s = { "People", v, NULL, 0 };
	json_t *m, *head;

	(void)state;
	m = view(CRM_CHART_FUNNEL, labels, 4, &s, 1);
	/* Bars centred on 320 within 128..512, rows of 68. */
	assert_int_equal(count(m, "rects"), 4);
	RECT(m, 0, "128.00", "22.80", "384.00", "54.40");
	RECT(m, 1, "224.00", "90.80", "192.00", "54.40");
	RECT(m, 2, "272.00", "158.80", "96.00", "54.40");
	RECT(m, 3, "320.00", "226.80", "0.00", "54.40");
	assert_true(text_index(m, "50 (50.0 %)") >= 0);
	assert_true(text_index(m, "0 (0.0 %)") >= 0);
	assert_string_equal(get(m, "texts", 0, "text"), "Members");
	assert_string_equal(get(m, "texts", 0, "x"), "120.00");
	assert_string_equal(get(m, "texts", 0, "anchor"), "end");
	assert_string_equal(get(m, "texts", 1, "x"), "520.00");
	assert_string_equal(get(m, "texts", 1, "y"), "54.00");
	/* The table: step, figure, share of the first step. */
	head = json_object_get(json_object_get(m, "table"), "head");
	assert_int_equal(crm_table_size(head), 3);
	assert_true(json_is_true(crm_table_get(head, 2, "of_first")));
	assert_string_equal(cell(m, 2, 1), "25");
	assert_string_equal(cell(m, 2, 2), "25.0 %");
	assert_string_equal(cell(m, 3, 2), "0.0 %");
}

/* Parses "M cx cy L x0 y0 A r r 0 large 1 x1 y1 Z". */
static void
slice(const char *d, double *x0, double *y0, int *large, double *x1, double *y1)
{
	double cx, cy, r1, r2;
	int rot, sweep;

	if (sscanf(d, "M%lf %lf L%lf %lf A%lf %lf %d %d %d %lf %lf Z", &cx, &cy, x0, y0, &r1, &r2, &rot, large,
	    &sweep, x1, y1) != 11)
		fail_msg("not a slice: %s", d);
	assert_int_equal(sweep, 1);
	assert_true(fabs(cx - 160) < 1e-9 && fabs(cy - 160) < 1e-9 && fabs(r1 - 128) < 1e-9);
}

static void
test_pie(void **state)
{
	static const char *const labels[] = { "a", "b", "c" };
	static const double v[] = { 1, 1, 2 };
	struct crm_chart_series s = { "N", v, NULL, 0 };
	json_t *m;

	(void)state;
	m = view(CRM_CHART_PIE, labels, 3, &s, 1);
	/* Centre (160, 160), radius 128, from the top clockwise. */
	assert_int_equal(count(m, "paths"), 3);
	assert_string_equal(get(m, "paths", 0, "d"), "M160.00 160.00 L160.00 32.00 A128.00 128.00 0 0 1 288.00 160.00 Z");
	assert_string_equal(get(m, "paths", 1, "d"), "M160.00 160.00 L288.00 160.00 A128.00 128.00 0 0 1 160.00 288.00 Z");
	assert_string_equal(get(m, "paths", 2, "d"), "M160.00 160.00 L160.00 288.00 A128.00 128.00 0 0 1 160.00 32.00 Z");
	assert_string_equal(get(m, "paths", 2, "fill"), "#009e73");
	assert_string_equal(get(m, "paths", 0, "title"), "a: 1 (25.0 %)");
	assert_true(text_index(m, "50.0 %") >= 0);
	assert_int_equal(count(m, "legend"), 3);
	assert_string_equal(get(m, "legend", 2, "name"), "c");
	assert_string_equal(cell(m, 2, 2), "50.0 %");
	assert_int_equal(count(m, "grid"), 0);
}

/* Many uneven slices: each starts where the last ended, the last ends
 * where the first began, the angles add up to the full circle, and the
 * large-arc flag is set exactly for slices over half. */
static void
test_pie_closes(void **state)
{
	static const char *const labels[] = { "a", "b", "c", "d", "e", "f" };
	static const double v[] = { 3, 0.5, 1.25, 7, 0.01, 2 }, big[] = { 3, 1 };
	struct crm_chart_series s = { "N", v, NULL, 0 };
	double x0, y0, x1, y1, px = 0, py = 0, fx = 0, fy = 0, sum = 0, total = 13.76;
	json_t *m;
	size_t i;
	int large;

	(void)state;
	m = view(CRM_CHART_PIE, labels, 6, &s, 1);
	assert_int_equal(count(m, "paths"), 6);
	for (i = 0; i < 6; i++) {
		double a0, a1, da;

		slice(get(m, "paths", i, "d"), &x0, &y0, &large, &x1, &y1);
		if (i == 0)
			fx = x0, fy = y0;
		else
			assert_true(fabs(x0 - px) < 1e-9 && fabs(y0 - py) < 1e-9);
		a0 = atan2(x0 - 160, 160 - y0);
		a1 = atan2(x1 - 160, 160 - y1);
		da = a1 - a0;
		while (da <= 0)
			da += 2 * M_PI;
		/* Two decimals of a 128 radius: within a hundredth of a degree. */
		assert_true(fabs(da - 2 * M_PI * v[i] / total) < 2e-4);
		assert_int_equal(large, v[i] / total > 0.5);
		sum += da;
		px = x1, py = y1;
	}
	assert_true(fabs(px - fx) < 1e-9 && fabs(py - fy) < 1e-9);
	assert_true(fabs(sum - 2 * M_PI) < 1e-3);
	/* The sliver of 0.01 has no share written on it; the table has it. */
	assert_int_equal(count(m, "texts"), 5);
	assert_string_equal(cell(m, 4, 2), "0.1 %");

	s.values = big;
	m = view(CRM_CHART_PIE, labels, 2, &s, 1);
	slice(get(m, "paths", 0, "d"), &x0, &y0, &large, &x1, &y1);
	assert_int_equal(large, 1);
	assert_string_equal(get(m, "paths", 0, "d"), "M160.00 160.00 L160.00 32.00 A128.00 128.00 0 1 1 32.00 160.00 Z");
	slice(get(m, "paths", 1, "d"), &x0, &y0, &large, &x1, &y1);
	assert_int_equal(large, 0);
}

static void
test_pie_whole(void **state)
{
	static const char *const labels[] = { "none", "all", "neg" };
	static const double v[] = { 0, 5, -2 };
	struct crm_chart_series s = { "N", v, NULL, 0 };
	json_t *m;
	long t;

	(void)state;
	m = view(CRM_CHART_PIE, labels, 3, &s, 1);
	/* One slice of 100 %: a full circle as two half arcs. */
	assert_int_equal(count(m, "paths"), 1);
	assert_string_equal(get(m, "paths", 0, "d"),
	    "M160.00 32.00 A128.00 128.00 0 1 1 160.00 288.00 A128.00 128.00 0 1 1 160.00 32.00 Z");
	t = text_index(m, "100.0 %");
	assert_true(t >= 0);
	assert_string_equal(get(m, "texts", (size_t)t, "x"), "160.00");
	assert_int_equal(count(m, "legend"), 3);
	/* The negative figure is in the table as it is, with no share. */
	assert_string_equal(cell(m, 2, 1), "-2");
	assert_string_equal(cell(m, 2, 2), "0.0 %");
	assert_string_equal(cell(m, 1, 2), "100.0 %");
}

static void
test_scatter(void **state)
{
	static const double x[] = { 1, 3 }, y[] = { 2, 4 };
	struct crm_chart_series s = { "Deals", y, x, 2 };
	struct crm_chart c = { .kind = CRM_CHART_SCATTER, .title = "S", .series = &s, .nseries = 1,
		.label_title = "Series", .x_title = "Days", .y_title = "Amount" };
	json_t *m, *head;

	(void)state;
	m = crm_chart_view(arena, &c);
	check_numbers(m);
	/* x 0..3 by 1 over 56..624, y 0..4 by 1 over 288..16. */
	assert_int_equal(count(m, "circles"), 2);
	assert_string_equal(get(m, "circles", 0, "cx"), "245.33");
	assert_string_equal(get(m, "circles", 0, "cy"), "152.00");
	assert_string_equal(get(m, "circles", 1, "cx"), "624.00");
	assert_string_equal(get(m, "circles", 1, "cy"), "16.00");
	assert_string_equal(get(m, "circles", 0, "title"), "1: 2");
	/* Five horizontal and four vertical grid lines. */
	assert_int_equal(count(m, "grid"), 9);
	assert_string_equal(get(m, "grid", 6, "x1"), "245.33");
	head = json_object_get(json_object_get(m, "table"), "head");
	assert_string_equal(json_string_value(crm_table_get(head, 1, "text")), "Days");
	assert_int_equal(rows(m), 2);
	assert_string_equal(cell(m, 1, 0), "Deals");
	assert_string_equal(cell(m, 1, 1), "3");
	assert_string_equal(cell(m, 1, 2), "4");
}

/* ---- edge cases ---- */

static void
assert_empty(json_t *m)
{
	assert_true(json_is_true(json_object_get(m, "empty")));
	assert_int_equal(count(m, "rects"), 0);
	assert_int_equal(count(m, "paths"), 0);
	assert_int_equal(count(m, "circles"), 0);
	assert_int_equal(count(m, "texts"), 0);
	assert_string_equal(json_string_value(json_object_get(m, "centre_x")), "320.00");
}

static void
test_empty_and_zero(void **state)
{
	static const char *const labels[] = { "A", "B" };
	static const double zero[] = { 0, 0 }, neg[] = { -1, -2 };
	struct crm_chart_series z = { "Z", zero, NULL, 0 }, nz = { "Z", neg, NULL, 0 }, none = { "P", zero, zero, 0 };
	int k;

	(void)state;
	for (k = 0; k < CRM_CHART__MAX; k++) {
		struct crm_chart c = { .kind = (enum crm_chart_kind)k, .title = "E" };
		json_t *m = crm_chart_view(arena, &c);

		check_numbers(m);
		assert_empty(m);
		assert_int_equal(rows(m), 0);
		/* Labels without figures, figures without labels. */
		m = view((enum crm_chart_kind)k, labels, 2, NULL, 0);
		assert_empty(m);
		m = view((enum crm_chart_kind)k, NULL, 0, &z, 1);
		assert_empty(m);
		/* All zero: empty, but the table lists the zeros. */
		m = view((enum crm_chart_kind)k, labels, 2, k == CRM_CHART_SCATTER ? &none : &z, 1);
		assert_empty(m);
		if (k != CRM_CHART_SCATTER) {
			assert_int_equal(rows(m), 2);
			assert_string_equal(cell(m, 1, 1), "0");
		}
	}
	/* A pie or a funnel of negatives only has nothing to draw. */
	assert_empty(view(CRM_CHART_PIE, labels, 2, &nz, 1));
	assert_empty(view(CRM_CHART_FUNNEL, labels, 2, &nz, 1));
	/* A funnel whose first step is 0 shows no percentages. */
	{
		static const double v[] = { 0, 4 };
		struct crm_chart_series f = { "F", v, NULL, 0 };
		json_t *m = view(CRM_CHART_FUNNEL, labels, 2, &f, 1);

		assert_false(json_is_true(json_object_get(m, "empty")));
		assert_string_equal(cell(m, 1, 2), "");
		assert_true(text_index(m, "4") >= 0);
	}
}

static void
test_negative_bars(void **state)
{
	static const char *const labels[] = { "A", "B" };
	static const double v[] = { -10, 5 };
	struct crm_chart_series s = { "Net", v, NULL, 0 };
	json_t *m;

	(void)state;
	m = view(CRM_CHART_BAR, labels, 2, &s, 1);
	/* Axis -10..5 by 5 over 288..16: zero at 106.67; a negative bar hangs
	 * from it, its label below its end. */
	assert_int_equal(count(m, "grid"), 4);
	RECT(m, 0, "84.40", "106.67", "227.20", "181.33");
	RECT(m, 1, "368.40", "16.00", "227.20", "90.67");
	assert_string_equal(get(m, "axes", 1, "y1"), "106.67");
	assert_string_equal(get(m, "texts", count(m, "texts") - 2, "text"), "-10");
	assert_string_equal(get(m, "texts", count(m, "texts") - 2, "y"), "302.00");
}

static void
test_huge_values(void **state)
{
	static const char *const labels[] = { "a", "b", "c", "d", "e" };
	static const double v[] = { 1e300, INFINITY, NAN, -1e20, DBL_MAX }, w[] = { DBL_MAX, DBL_MAX, -DBL_MAX, 1,
		1e15 };
	struct crm_chart_series s[2] = { { "x", v, w, 5 }, { "y", w, v, 5 } };
	int k;

	(void)state;
	for (k = 0; k < CRM_CHART__MAX; k++) {
		json_t *m = view((enum crm_chart_kind)k, labels, 5, s, 2);
		char *dump = json_dumps(m, 0);

		assert_true(check_numbers(m) > 10);
		assert_false(json_is_true(json_object_get(m, "empty")));
		assert_null(strstr(dump, "nan"));
		assert_null(strstr(dump, "inf"));     /* arena memory: nothing to free */
	}
	/* Very large but sensible figures keep their nice ticks. */
	{
		static const double big[] = { 2.5e12, 7.5e12 };
		struct crm_chart_series b = { "b", big, NULL, 0 };
		json_t *m = view(CRM_CHART_BAR, labels, 2, &b, 1);

		assert_string_equal(get(m, "texts", 4, "text"), "8000000000000");
		assert_string_equal(cell(m, 1, 1), "7500000000000");
	}
}

/* Thirty days: every fifth label fits under the axis, figures too wide
 * for a band are left to the markers' titles and the table; a pie of
 * twenty slices takes a second legend column. */
static void
test_crowded(void **state)
{
	const char *labels[30];
	double v[30];
	struct crm_chart_series s = { "Daily", v, NULL, 0 };
	json_t *m;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 30; i++) {
		labels[i] = crm_arena_printf(arena, "2026-11-%02zu", i + 1);
		v[i] = 1000.5 + (double)i;
	}
	m = view(CRM_CHART_LINE, labels, 30, &s, 1);
	assert_int_equal(count(m, "circles"), 30);
	for (i = 0; i < count(m, "texts"); i++)
		n += strcmp(get(m, "texts", i, "class"), "chart-label") == 0;
	assert_int_equal(n, 6);
	assert_true(text_index(m, "2026-11-06") >= 0);
	assert_true(text_index(m, "2026-11-02") < 0);
	assert_true(text_index(m, "1000.50") < 0);
	assert_string_equal(get(m, "circles", 0, "title"), "2026-11-01: 1000.50");
	assert_int_equal(rows(m), 30);
	assert_string_equal(cell(m, 29, 1), "1029.50");

	m = view(CRM_CHART_PIE, labels, 20, &s, 1);
	assert_int_equal(count(m, "legend"), 20);
	assert_string_equal(get(m, "legend", 14, "x"), "336.00");
	assert_string_equal(get(m, "legend", 14, "ty"), "310.00");
	assert_string_equal(get(m, "legend", 15, "x"), "496.00");
	assert_string_equal(get(m, "legend", 15, "ty"), "30.00");
}

static void
test_labels_stay_data(void **state)
{
	static const char *const labels[] = { "<b>&\"'x", "{{y}}" };
	static const double v[] = { 1, 2 };
	struct crm_chart_series s = { "<script>", v, NULL, 0 };
	struct crm_chart c = { .kind = CRM_CHART_BAR, .id = "a\"b", .title = "Q&A <1>", .labels = labels,
		.nlabels = 2, .series = &s, .nseries = 1, .label_title = "It's" };
	json_t *m;

	(void)state;
	m = crm_chart_view(arena, &c);
	assert_string_equal(json_string_value(json_object_get(m, "title")), "Q&A <1>");
	assert_string_equal(json_string_value(json_object_get(m, "id")), "a\"b");
	assert_true(text_index(m, "<b>&\"'x") >= 0);
	assert_true(text_index(m, "{{y}}") >= 0);
	assert_string_equal(get(m, "rects", 0, "title"), "<b>&\"'x: 1");
	assert_string_equal(cell(m, 0, 0), "<b>&\"'x");
	assert_string_equal(json_string_value(crm_table_get(json_object_get(json_object_get(m, "table"), "head"),
	    1, "text")), "<script>");
}

static const char *
dollars(void *arg, struct crm_arena *a, double v)
{
	char b[40];

	(void)arg;
	return crm_arena_printf(a, "$%s", crm_chart_number(b, v, 2));
}

static void
test_format(void **state)
{
	static const char *const labels[] = { "A" };
	static const double v[] = { 3 };
	struct crm_chart_series s = { "S", v, NULL, 0 };
	struct crm_chart c = { .kind = CRM_CHART_BAR, .labels = labels, .nlabels = 1, .series = &s, .nseries = 1,
		.format = dollars, .width = 400, .height = 200 };
	json_t *m;

	(void)state;
	m = crm_chart_view(arena, &c);
	check_numbers(m);
	assert_string_equal(json_string_value(json_object_get(m, "width")), "400.00");
	assert_string_equal(get(m, "texts", 0, "text"), "$0.00");
	assert_true(text_index(m, "$3.00") >= 0);
	assert_string_equal(cell(m, 0, 1), "$3.00");
	assert_string_equal(get(m, "rects", 0, "title"), "A: $3.00");
	/* Fractional steps print the decimals that tell them apart. */
	{
		static const double f[] = { 0.03 };
		struct crm_chart_series t = { "S", f, NULL, 0 };
		json_t *n = view(CRM_CHART_BAR, labels, 1, &t, 1);

		assert_string_equal(get(n, "texts", 1, "text"), "0.01");
		assert_string_equal(cell(n, 0, 1), "0.03");
	}
}

/* Figures too long for the usual margin ("$150000000.00") widen it, so
 * no tick label runs off the left edge, and the bars start after it. */
static void
test_wide_ticks(void **state)
{
	static const char *const labels[] = { "A", "B" };
	static const double v[] = { 150000000, 90000000 };
	struct crm_chart_series s = { "S", v, NULL, 0 };
	struct crm_chart c = { .kind = CRM_CHART_BAR, .labels = labels, .nlabels = 2, .series = &s, .nseries = 1,
		.format = dollars };
	json_t *m;
	double left;
	size_t i;

	(void)state;
	m = crm_chart_view(arena, &c);
	check_numbers(m);
	left = strtod(get(m, "axes", 0, "x1"), NULL);
	assert_true(left > 56);
	for (i = 0; i < count(m, "texts"); i++)
		if (strcmp(get(m, "texts", i, "anchor"), "end") == 0)
			assert_true(strtod(get(m, "texts", i, "x"), NULL) >= 6.5 * (double)strlen(get(m, "texts", i, "text")));
	assert_true(strtod(get(m, "rects", 0, "x"), NULL) > left);
}

/* ---- through the template ---- */

/* A tiny XML well-formedness check of the rendered fragment: tags balance,
 * attributes are quoted, & starts an entity; returns 0 or fails. */
static void
check_xml(const char *s)
{
	const char *stack[256];
	size_t depth = 0, len[256];
	const char *p = s;

	while (*p) {
		if (*p == '&') {
			const char *e = strchr(p, ';');

			if (e == NULL || e - p > 8 || strspn(p + 1, "#abcdefghijklmnopqrstuvwxyz0123456789") !=
			    (size_t)(e - p - 1))
				fail_msg("bad entity at %.20s", p);
			p = e + 1;
			continue;
		}
		if (*p == '>')
			fail_msg("stray > at %.20s", p);
		if (*p != '<') {
			p++;
			continue;
		}
		if (p[1] == '/') {
			size_t n = strcspn(p + 2, ">");

			if (depth == 0 || n != len[depth - 1] || strncmp(p + 2, stack[depth - 1], n) != 0)
				fail_msg("unbalanced close tag at %.30s", p);
			depth--;
			p += n + 3;
			continue;
		}
		{
			size_t n = strcspn(p + 1, " />\n");
			const char *q = p + 1 + n;

			/* Attributes: name="value" with no < or raw quote inside. */
			while (*q && *q != '>' && !(*q == '/' && q[1] == '>')) {
				if (*q == '"') {
					const char *e = strchr(q + 1, '"');

					if (e == NULL || memchr(q + 1, '<', (size_t)(e - q - 1)))
						fail_msg("bad attribute at %.30s", q);
					q = e;
				}
				q++;
			}
			if (*q == '\0')
				fail_msg("unclosed tag at %.30s", p);
			if (*q == '/') {
				p = q + 2;
				continue;
			}
			if (depth == 256)
				fail_msg("too deep");
			stack[depth] = p + 1;
			len[depth++] = n;
			p = q + 1;
		}
	}
	if (depth != 0)
		fail_msg("%zu tags left open, the last %.*s", depth, (int)len[depth - 1], stack[depth - 1]);
}

static int
have_xmllint(void)
{
	return system("command -v xmllint >/dev/null 2>&1") == 0;
}

static void
xmllint(const char *s)
{
	char path[] = "/tmp/crm_chart_XXXXXX", cmd[256];
	int fd = mkstemp(path);
	FILE *f;
	int rc;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "<root>%s</root>\n", s);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
	rc = system(cmd);
	unlink(path);
	if (rc != 0)
		fail_msg("xmllint refuses the chart:\n%s", s);
}

/* Every figure of the model's table appears, escaped, in the table part. */
static void
check_table(json_t *m, const char *html)
{
	const char *table = strstr(html, "<table class=\"chart-table\">");
	json_t *rows_of = json_object_get(json_object_get(m, "table"), "rows"), *cells;
	size_t i, j;

	assert_non_null(table);
	for (i = 0; i < crm_table_size(rows_of); i++)
		for (j = 0, cells = crm_table_get(rows_of, i, "cells"); j < crm_table_size(cells); j++) {
			const char *t = json_string_value(crm_table_get(cells, j, "text"));
			char want[256];

			if (*t == '\0')
				continue;
			if (strchr(t, '<') || strchr(t, '&') || strchr(t, '"') || strchr(t, '\''))
				continue;       /* checked escaped by test_render_escapes */
			snprintf(want, sizeof(want), ">%s</t", t);
			if (strstr(table, want) == NULL)
				fail_msg("the table lacks %s", t);
		}
}

static struct crm_tmpl_set *
templates(void)
{
	const char *dir = getenv("CRM_TEMPLATE_DIR") ? getenv("CRM_TEMPLATE_DIR") : "html/templates";
	struct crm_tmpl_set *s = crm_tmpl_set_new();
	char err[256] = "";

	if (crm_tmpl_set_load_dir(s, dir, err, sizeof(err)) != CRM_OK)
		fail_msg("%s: %s", dir, err);
	assert_true(crm_tmpl_set_has(s, "partials/chart"));
	return s;
}

static char *
render(struct crm_tmpl_set *s, json_t *m)
{
	struct crm_buf b;

	crm_buf_init(&b, arena, 4096);
	assert_int_equal(crm_tmpl_render(s, "partials/chart", m, &b), CRM_OK);
	return b.data;
}

static void
test_render_every_kind(void **state)
{
	static const char *const labels[] = { "Jan", "Feb", "Mar", "Apr" };
	static const double a[] = { 12, 30.5, 0, 7 }, b[] = { 4, -3, 8, 1 };
	struct crm_chart_series s[2] = { { "Won", a, b, 4 }, { "Lost", b, a, 4 } };
	struct crm_tmpl_set *t = templates();
	int lint = have_xmllint(), k;

	(void)state;
	for (k = 0; k < CRM_CHART__MAX; k++) {
		struct crm_chart c = { .kind = (enum crm_chart_kind)k, .id = "c1", .title = "Deals", .labels = labels,
			.nlabels = 4, .series = s, .nseries = 2, .label_title = "Month" };
		json_t *m = crm_chart_view(arena, &c);
		const char *html = render(t, m);

		check_numbers(m);
		check_xml(html);
		if (lint)
			xmllint(html);
		check_table(m, html);
		assert_non_null(strstr(html, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
		assert_non_null(strstr(html, "role=\"img\" aria-label=\"Deals\""));
		assert_non_null(strstr(html, "<title>Deals</title>"));
		assert_non_null(strstr(html, "<caption>Deals</caption>"));
		assert_non_null(strstr(html, k == CRM_CHART_SCATTER ? "<th scope=\"row\">Lost</th>" :
		    "<th scope=\"row\">Feb</th>"));
		assert_non_null(strstr(html, " id=\"c1\""));
		assert_null(strstr(html, "No data"));
		assert_null(strstr(html, "nan"));
		assert_null(strstr(html, "inf"));
		assert_null(strstr(html, "{{"));
		if (k == CRM_CHART_PIE)
			assert_non_null(strstr(html, ">Share</th>"));
		if (k == CRM_CHART_FUNNEL)
			assert_non_null(strstr(html, ">Of the first step</th>"));
	}
	/* An empty chart says so, and a page's own keys do not leak in. */
	{
		struct crm_chart c = { .kind = CRM_CHART_BAR, .title = "None" };
		json_t *m = crm_chart_view(arena, &c), *page = json_pack("{s:s,s:b,s:o}", "id", "page-id",
		    "empty", 0, "chart", m);
		struct crm_buf out;
		char *html;

		crm_buf_init(&out, arena, 1024);
		static const char page_src[] = "{{#chart}}{{>partials/chart}}{{/chart}}";
		char err[256] = "";

		assert_int_equal(crm_tmpl_set_add(t, "page", page_src, strlen(page_src), err, sizeof(err)), CRM_OK);
		assert_int_equal(crm_tmpl_render(t, "page", page, &out), CRM_OK);
		html = out.data;
		check_xml(html);
		if (lint)
			xmllint(html);
		assert_non_null(strstr(html, ">No data</text>"));
		assert_null(strstr(html, "page-id"));
	}
	crm_tmpl_set_free(t);
}

static void
test_render_escapes(void **state)
{
	static const char *const labels[] = { "<b>&\"'x" };
	static const double v[] = { 1 };
	struct crm_chart_series s = { "<i>", v, NULL, 0 };
	struct crm_tmpl_set *t = templates();
	int k;

	(void)state;
	for (k = 0; k < CRM_CHART__MAX; k++) {
		struct crm_chart c = { .kind = (enum crm_chart_kind)k, .id = "x\"y", .title = "Q&A <1>",
			.labels = labels, .nlabels = 1, .series = &s, .nseries = 1, .label_title = "<th>" };
		const char *html;

		s.x = v;
		s.n = 1;
		html = render(t, crm_chart_view(arena, &c));
		check_xml(html);
		assert_null(strstr(html, "<b>"));
		assert_null(strstr(html, "<i>"));
		assert_null(strstr(html, "<th>"));
		assert_non_null(strstr(html, "aria-label=\"Q&amp;A &lt;1&gt;\""));
		assert_non_null(strstr(html, "id=\"x&quot;y\""));
		assert_non_null(strstr(html, k == CRM_CHART_SCATTER ? "&lt;i&gt;" : "&lt;b&gt;&amp;&quot;&#39;x"));
	}
	crm_tmpl_set_free(t);
}

/* ---- the memo (crm_chart_memo.c) ---- */

static const char *
money(void *arg, struct crm_arena *a, double v)
{
	char buf[40];

	(void)arg;
	return crm_arena_join(a, "$", crm_chart_number(buf, v, 0), (char *)NULL);
}

/* The same inputs, wherever they live, give the kept model, equal to one
 * made afresh; any input changed gives another, also equal to one made
 * afresh; a chart with a format argument is never kept. */
static void
test_memo_same_inputs(void **state)
{
	static const char *const labels[] = { "Jan", "Feb", "Mar" };
	char title[32], label[8];
	const char *labels2[3];
	double v[3] = { 12, 30, 18 }, v2[3];
	struct crm_chart_series s = { "Won", v, NULL, 0 }, s2;
	struct crm_chart ch = { .kind = CRM_CHART_BAR, .id = "c1", .title = "Won", .labels = labels,
	    .nlabels = 3, .series = &s, .nseries = 1, .label_title = "Month", .format = money };
	struct crm_chart ch2;
	json_t *a, *b, *fresh;
	int arg = 0;

	(void)state;
	a = crm_chart_view_memo(arena, &ch);
	fresh = crm_chart_view(arena, &ch);
	assert_true(json_equal(a, fresh));

	/* Equal inputs in other memory. */
	memcpy(v2, v, sizeof(v));
	strcpy(title, "Won");
	strcpy(label, "Feb");
	labels2[0] = "Jan", labels2[1] = label, labels2[2] = "Mar";
	s2 = (struct crm_chart_series){ "Won", v2, NULL, 0 };
	ch2 = ch;
	ch2.title = title;
	ch2.labels = labels2;
	ch2.series = &s2;
	b = crm_chart_view_memo(arena, &ch2);
	assert_ptr_equal(a, b);

	/* One value, one label, the title, the format: each another model. */
	v2[1] = 31;
	b = crm_chart_view_memo(arena, &ch2);
	assert_ptr_not_equal(a, b);
	assert_true(json_equal(b, crm_chart_view(arena, &ch2)));
	assert_string_equal(cell(b, 1, 1), "$31");
	v2[1] = 30;
	assert_ptr_equal(crm_chart_view_memo(arena, &ch2), a);
	strcpy(label, "Fev");
	assert_ptr_not_equal(crm_chart_view_memo(arena, &ch2), a);
	strcpy(label, "Feb");
	strcpy(title, "Lost");
	assert_ptr_not_equal(crm_chart_view_memo(arena, &ch2), a);
	strcpy(title, "Won");
	ch2.format = NULL;
	b = crm_chart_view_memo(arena, &ch2);
	assert_ptr_not_equal(b, a);
	assert_string_equal(cell(b, 1, 1), "30");
	ch2.format = money;
	ch2.kind = CRM_CHART_LINE;
	assert_ptr_not_equal(crm_chart_view_memo(arena, &ch2), a);
	ch2.kind = CRM_CHART_BAR;
	assert_ptr_equal(crm_chart_view_memo(arena, &ch2), a);

	ch2.format_arg = &arg;
	assert_ptr_not_equal(crm_chart_view_memo(arena, &ch2), crm_chart_view_memo(arena, &ch2));
	crm_chart_memo_clear();
}

/* More charts than the table holds: the oldest goes, and one pushed out
 * in a request stays whole until that request's arena is reset (the
 * sanitizer build and valgrind see a use after free, or a leak, here). */
static void
test_memo_eviction(void **state)
{
	static const char *const labels[] = { "a", "b" };
	double v[40][2];
	struct crm_chart_series s[40];
	struct crm_chart ch[40];
	json_t *first, *again;
	char *before, *after;
	int i;

	(void)state;
	for (i = 0; i < 40; i++) {
		v[i][0] = i;
		v[i][1] = i + 1;
		s[i] = (struct crm_chart_series){ "n", v[i], NULL, 0 };
		ch[i] = (struct crm_chart){ .kind = CRM_CHART_BAR, .title = "t", .labels = labels, .nlabels = 2,
		    .series = &s[i], .nseries = 1 };
	}
	first = crm_chart_view_memo(arena, &ch[0]);
	before = json_dumps(first, JSON_SORT_KEYS);
	for (i = 1; i < 40; i++)
		assert_ptr_not_equal(crm_chart_view_memo(arena, &ch[i]), first);
	/* Pushed out, still readable in this request. */
	after = json_dumps(first, JSON_SORT_KEYS);
	assert_string_equal(before, after);
	again = crm_chart_view_memo(arena, &ch[0]);
	assert_ptr_not_equal(again, first);
	assert_true(json_equal(again, first));
	/* The latest are still kept. */
	assert_ptr_equal(crm_chart_view_memo(arena, &ch[39]), crm_chart_view_memo(arena, &ch[39]));
	crm_arena_reset(arena);
	assert_ptr_equal(crm_chart_view_memo(arena, &ch[39]), crm_chart_view_memo(arena, &ch[39]));
	crm_chart_memo_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grouped_bars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stacked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_funnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pie_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pie_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scatter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_bars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crowded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labels_stay_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wide_ticks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_every_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memo_same_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memo_eviction, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
