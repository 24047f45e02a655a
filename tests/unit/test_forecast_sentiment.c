/* The forecast and sentiment methods on small cases worked by hand: the
 * seasonal terms each history length gets (ols.h), a perfect fit's zero
 * residual, the tokeniser's words, characters and bigrams (including
 * malformed UTF-8), naive Bayes counts and ties; and a line chart that
 * breaks at a NaN (the forecast's future actuals). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "analytics/bayes.h"
#include "analytics/ols.h"
#include "analytics/tokens.h"
#include "crm_arena.h"
#include "crm_chart.h"
#include "crm_table.h"

static void
test_ols_terms(void **state)
{
	double y[40];
	struct crm_ols f;
	size_t t;

	(void)state;
	for (t = 0; t < 40; t++)
		y[t] = 100.0 + 3.0 * (double)t + (double)((t * 37) % 11);
	assert_int_equal(crm_ols_fit(y, 2, 0, &f), CRM_EINVAL);
	assert_int_equal(crm_ols_fit(y, 12, 0, &f), CRM_OK);
	assert_int_equal(f.p, 2);               /* no month seen twice */
	assert_int_equal(crm_ols_fit(y, 14, 0, &f), CRM_OK);
	assert_int_equal(f.p, 3);               /* January is the base: February only */
	assert_int_equal(f.col_moy[2], 1);
	assert_int_equal(crm_ols_fit(y, 14, 11, &f), CRM_OK);
	assert_int_equal(f.p, 3);               /* December, January twice: December's term */
	assert_int_equal(f.col_moy[2], 11);
	assert_int_equal(crm_ols_fit(y, 24, 5, &f), CRM_OK);
	assert_int_equal(f.p, 13);
	assert_int_equal(crm_ols_fit(y, 40, 0, &f), CRM_OK);
	assert_int_equal(f.p, 13);
	y[3] = NAN;
	assert_int_equal(crm_ols_fit(y, 40, 0, &f), CRM_EINVAL);
}

static void
test_ols_exact(void **state)
{
	double y[30], yhat, lo, hi;
	struct crm_ols f;
	size_t t;

	(void)state;
	/* A line with a December bump and nothing else: fitted exactly. */
	for (t = 0; t < 30; t++)
		y[t] = 50.0 + 2.0 * (double)t + ((t % 12) == 11 ? 40.0 : 0.0);
	assert_int_equal(crm_ols_fit(y, 30, 0, &f), CRM_OK);
	assert_true(fabs(f.coef[0] - 50.0) < 1e-9);
	assert_true(fabs(f.coef[1] - 2.0) < 1e-9);
	assert_true(fabs(f.coef[12] - 40.0) < 1e-9);
	assert_true(f.sigma2 < 1e-12);
	assert_true(fabs(f.r2 - 1.0) < 1e-12);
	crm_ols_predict(&f, 35, &yhat, &lo, &hi);
	assert_true(fabs(yhat - (50.0 + 70.0 + 40.0)) < 1e-8);
	assert_true(hi - lo < 1e-4);
}

struct collected {
	char text[512];
	size_t n;
};

static void
collect(void *arg, const char *tok, size_t len)
{
	struct collected *c = arg;
	size_t used = strlen(c->text);

	snprintf(c->text + used, sizeof(c->text) - used, "%s%.*s", c->n++ ? "|" : "", (int)len, tok);
}

static const char *
tokens_of(const char *s, struct collected *c)
{
	size_t n;

	memset(c, 0, sizeof(*c));
	n = crm_tokens(s, strlen(s), collect, c);
	assert_int_equal(n, c->n);
	return c->text;
}

static void
test_tokens(void **state)
{
	struct collected c;

	(void)state;
	assert_string_equal(tokens_of("Didn't WORK, 48h!", &c), "didn't|work|48h");
	assert_string_equal(tokens_of("非常失望", &c), "非|常|失|望|非常|常失|失望");
	assert_string_equal(tokens_of("好的，已经收到", &c), "好|的|好的|已|经|收|到|已经|经收|收到");
	assert_string_equal(tokens_of("OK谢谢", &c), "ok|谢|谢|谢谢");
	/* Other scripts and bad bytes separate; é is not an ASCII letter. */
	assert_string_equal(tokens_of("café \xff\xfe bad\xc3", &c), "caf|bad");
	assert_string_equal(tokens_of("", &c), "");
}

static void
test_bayes(void **state)
{
	struct crm_bayes m;
	double p[CRM_BAYES__N];
	const char *s;
	size_t known;

	(void)state;
	crm_bayes_init(&m, 1.0);
	assert_int_equal(crm_bayes_finish(&m), CRM_EINVAL);
	crm_bayes_add(&m, "bad bad", 7, CRM_BAYES_NEGATIVE);
	crm_bayes_add(&m, "ok", 2, CRM_BAYES_NEUTRAL);
	crm_bayes_add(&m, "good", 4, CRM_BAYES_POSITIVE);
	assert_int_equal(crm_bayes_finish(&m), CRM_OK);
	assert_int_equal(m.nvocab, 3);
	/* log P(bad | negative) = log((2 + 1) / (2 + 3)) */
	assert_true(fabs(m.logp[0 * CRM_BAYES__N + CRM_BAYES_NEGATIVE] - log(3.0 / 5.0)) < 1e-12);
	assert_int_equal(crm_bayes_predict(&m, "so bad", 6, p, NULL), CRM_BAYES_NEGATIVE);
	assert_true(fabs(p[0] + p[1] + p[2] - 1.0) < 1e-12);
	/* Unknown tokens only: the priors, all equal: the first class wins. */
	s = "unseen words";
	assert_int_equal(crm_bayes_predict(&m, s, strlen(s), p, &known), CRM_BAYES_NEGATIVE);
	assert_int_equal(known, 0);
	assert_true(fabs(p[0] - 1.0 / 3.0) < 1e-12);
	assert_int_equal(crm_bayes_predict(&m, "bad ok bad", 10, p, &known), CRM_BAYES_NEGATIVE);
	assert_int_equal(known, 3);
	assert_int_equal(crm_bayes_class_of("positive"), CRM_BAYES_POSITIVE);
	assert_int_equal(crm_bayes_class_of("happy"), -1);
	crm_bayes_free(&m);
}

static void
test_line_gap(void **state)
{
	static const char *const labels[] = { "a", "b", "c", "d" };
	const double actual[] = { 1, 2, NAN, NAN }, predicted[] = { 1, 2, 3, 4 };
	struct crm_chart_series s[2] = { { "actual", actual, NULL, 0 }, { "predicted", predicted, NULL, 0 } };
	struct crm_chart ch = { .kind = CRM_CHART_LINE, .labels = labels, .nlabels = 4, .series = s, .nseries = 2 };
	struct crm_arena *a = crm_arena_new(0);
	json_t *m, *rows;
	const char *d;

	(void)state;
	crm_arena_json_use(a);
	m = crm_chart_view(a, &ch);
	/* The model's lists are tables (crm_table.h). */
	assert_int_equal(crm_table_size(json_object_get(m, "circles")), 6);
	d = json_string_value(crm_table_get(json_object_get(m, "paths"), 0, "d"));
	assert_non_null(d);
	assert_null(strchr(d + 1, 'M'));        /* two points, one stroke */
	assert_int_equal(strchr(d, 'L') != NULL, 1);
	rows = json_object_get(json_object_get(m, "table"), "rows");
	assert_string_equal(json_string_value(crm_table_get(crm_table_get(rows, 2, "cells"), 1, "text")), "");
	assert_string_equal(json_string_value(crm_table_get(crm_table_get(rows, 2, "cells"), 2, "text")), "3");
	crm_arena_json_use(NULL);
	crm_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ols_terms),
		cmocka_unit_test(test_ols_exact),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_bayes),
		cmocka_unit_test(test_line_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
