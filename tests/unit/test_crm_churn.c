/* The churn and lead-scoring methods on small cases whose answers
 * scikit-learn 1.x printed: roc_auc_score with tied scores,
 * LogisticRegression(solver='liblinear') coefficients, and
 * DecisionTreeClassifier(criterion='entropy') splits; then the seeded
 * split, the rule texts and the refusals. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analytics/logit.h"
#include "analytics/metrics.h"
#include "analytics/tree.h"

static void
auc_counts_ties_half(void **state)
{
	static const double s[] = { 0.1, 0.4, 0.35, 0.8, 0.4, 0.4 }, flat[] = { 0.5, 0.5, 0.5, 0.5 };
	static const int y[] = { 0, 0, 1, 1, 1, 0 }, y4[] = { 0, 1, 0, 1 }, one[] = { 1, 1, 1, 1 };

	(void)state;
	assert_true(fabs(crm_metrics_auc(s, y, 6) - 0.6666666666666667) < 1e-12);
	assert_true(fabs(crm_metrics_auc(flat, y4, 4) - 0.5) < 1e-12);
	assert_true(isnan(crm_metrics_auc(flat, one, 4)));
}

static void
accuracy_at_one_half(void **state)
{
	static const double p[] = { 0.5, 0.51, 0.2, 0.9 };
	static const int y[] = { 0, 1, 1, 1 };

	(void)state;
	/* 0.5 is label 0, as predict() decides. */
	assert_true(fabs(crm_metrics_accuracy(p, y, 4) - 0.75) < 1e-12);
	assert_true(isnan(crm_metrics_accuracy(p, y, 0)));
}

static void
split_is_seeded_and_a_quarter(void **state)
{
	unsigned char a[101], b[101], c[101];
	size_t i, n = 0, same = 0;

	(void)state;
	assert_int_equal(crm_metrics_split(101, 0.25, 7, a), 26);        /* ceil(25.25) */
	assert_int_equal(crm_metrics_split(101, 0.25, 7, b), 26);
	assert_int_equal(crm_metrics_split(101, 0.25, 8, c), 26);
	for (i = 0; i < 101; i++) {
		n += a[i];
		same += a[i] == c[i];
	}
	assert_int_equal(n, 26);
	assert_memory_equal(a, b, 101);
	assert_true(same < 101);                /* another seed, another split */
	assert_int_equal(crm_metrics_split(0, 0.25, 7, a), 0);
}

static void
logit_as_liblinear_in_sklearn(void **state)
{
	static const double x[] = { 0, 1, 1, 3, 2, 2, 3, 5, 4, 4, 5, 7, 6, 1, 7, 8, 8, 6, 9, 9 };
	static const int y[] = { 0, 0, 0, 1, 0, 1, 0, 1, 1, 1 }, same[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	struct crm_logit m;

	(void)state;
	assert_int_equal(crm_logit_fit(x, y, 10, 2, 1.0, &m), CRM_OK);
	assert_true(fabs(m.w[0] - -0.04393352) < 1e-4);
	assert_true(fabs(m.w[1] - 0.44130171) < 1e-4);
	assert_true(fabs(m.intercept - -1.19813331) < 1e-4);
	assert_true(fabs(crm_logit_predict(&m, x) - 0.31933455) < 1e-4);
	assert_true(fabs(crm_logit_predict(&m, x + 2) - 0.52044816) < 1e-4);
	crm_logit_free(&m);
	assert_int_equal(crm_logit_fit(x, same, 10, 2, 1.0, &m), CRM_EINVAL);
	assert_null(m.w);
}

static void
scale_as_standard_scaler(void **state)
{
	double x[] = { 1, 5, 3, 5, 5, 5 }, mean[2], sd[2];

	(void)state;
	crm_logit_scale_fit(x, 3, 2, mean, sd);
	assert_true(fabs(mean[0] - 3.0) < 1e-12 && fabs(sd[0] - sqrt(8.0 / 3.0)) < 1e-12);
	assert_true(fabs(mean[1] - 5.0) < 1e-12 && sd[1] == 1.0);      /* constant: sd 1 */
	crm_logit_scale_apply(x, 3, 2, mean, sd);
	assert_true(fabs(x[0] + x[4]) < 1e-12 && x[1] == 0.0 && x[2] == 0.0);
}

static void
tree_splits_as_sklearn(void **state)
{
	static const double x[] = { 1, 0, 2, 1, 3, 0, 4, 1, 5, 0, 6, 1, 7, 0, 8, 1 };
	static const int y[] = { 0, 0, 0, 1, 1, 1, 1, 1 };
	static const struct crm_tree_feature f[] = { { "size", NULL }, { "web form", "not web form" } };
	struct crm_tree_opt opt = { 2, 1 };
	struct crm_tree_rule r[4];
	struct crm_tree t;
	double row[2] = { 4.5, 0 };

	(void)state;
	assert_int_equal(crm_tree_fit(x, y, 8, 2, &opt, &t), CRM_OK);
	assert_int_equal(t.nodes[0].feature, 0);
	assert_true(t.nodes[0].threshold == 3.5);
	assert_int_equal(t.nleaves, 2);         /* both children are pure */
	assert_true(crm_tree_predict(&t, row) == 1.0);
	crm_tree_rules(&t, f, r);
	assert_string_equal(r[0].conditions, "size <= 3.5");
	assert_int_equal(r[0].count, 3);
	assert_true(r[1].share == 1.0);
	crm_tree_rules_free(r, 2);
	crm_tree_free(&t);
	/* Leaves of at least four rows move the threshold, as in sklearn. */
	opt.min_samples_leaf = 4;
	assert_int_equal(crm_tree_fit(x, y, 8, 2, &opt, &t), CRM_OK);
	assert_true(t.nodes[0].threshold == 4.5);
	assert_true(fabs(crm_tree_predict(&t, x) - 0.25) < 1e-12);
	crm_tree_free(&t);
}

static void
tree_rules_read_as_bounds(void **state)
{
	/* label 1 only for 3 <= size <= 6 and the web form */
	double x[40];
	int y[20], i;
	static const struct crm_tree_feature f[] = { { "size", NULL }, { "web form", "not web form" } };
	struct crm_tree_opt opt = { 3, 1 };
	struct crm_tree_rule r[8];
	struct crm_tree t;
	size_t k, found = 0;

	(void)state;
	for (i = 0; i < 20; i++) {
		x[2 * i] = i % 10;
		x[2 * i + 1] = i < 10;
		y[i] = i < 10 && i % 10 >= 3 && i % 10 <= 6;
	}
	assert_int_equal(crm_tree_fit(x, y, 20, 2, &opt, &t), CRM_OK);
	crm_tree_rules(&t, f, r);
	for (k = 0; k < t.nleaves; k++)
		if (r[k].share == 1.0) {
			assert_string_equal(r[k].conditions, "2.5 < size <= 6.5 and web form");
			assert_int_equal(r[k].count, 4);
			found++;
		}
	assert_int_equal(found, 1);
	crm_tree_rules_free(r, t.nleaves);
	crm_tree_free(&t);
}

static void
tree_refusals(void **state)
{
	static const double x[] = { 1, NAN };
	static const int y[] = { 0, 1 }, bad[] = { 0, 2 };
	struct crm_tree_opt opt = { 3, 1 }, zero = { 0, 1 };
	struct crm_tree t;

	(void)state;
	assert_int_equal(crm_tree_fit(x, y, 2, 1, &opt, &t), CRM_EINVAL);
	assert_int_equal(crm_tree_fit(x, bad, 1, 1, &opt, &t), CRM_OK);
	crm_tree_free(&t);
	assert_int_equal(crm_tree_fit(x, bad, 2, 1, &opt, &t), CRM_EINVAL);
	assert_int_equal(crm_tree_fit(x, y, 1, 1, &zero, &t), CRM_EINVAL);
	assert_int_equal(crm_tree_fit(x, y, 0, 1, &opt, &t), CRM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(auc_counts_ties_half),
		cmocka_unit_test(accuracy_at_one_half),
		cmocka_unit_test(split_is_seeded_and_a_quarter),
		cmocka_unit_test(logit_as_liblinear_in_sklearn),
		cmocka_unit_test(scale_as_standard_scaler),
		cmocka_unit_test(tree_splits_as_sklearn),
		cmocka_unit_test(tree_rules_read_as_bounds),
		cmocka_unit_test(tree_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
