/* k-means: well-separated blobs give back their true partition and exact
 * inertia, the inertia curve never rises with k, a seed reproduces a run
 * bit for bit, empty clusters and duplicate points are survived, bad
 * input is refused; the z-score and the generator behind the restarts. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analytics/kmeans.h"
#include "analytics/rng.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9 * (1.0 + fabs(b)))

/* Four blobs of 12 points in 2-D, each a fixed ring of offsets (radius
 * at most 2) around a corner of a square of side 100. */
#define BLOBS 4
#define PER 12
static const double corner[BLOBS][2] = { { 0, 0 }, { 100, 0 }, { 0, 100 }, { 100, 100 } };

static void
blobs(double *x, int *truth)
{
	int b, i;

	for (b = 0; b < BLOBS; b++)
		for (i = 0; i < PER; i++) {
			double r = 0.5 + 0.125 * i, a = 0.7 * i + b;

			x[(b * PER + i) * 2] = corner[b][0] + r * cos(a);
			x[(b * PER + i) * 2 + 1] = corner[b][1] + r * sin(a);
			truth[b * PER + i] = b;
		}
}

static void
finds_true_partition(void **state)
{
	double x[BLOBS * PER * 2], c[BLOBS * 2], mean[BLOBS][2] = { { 0 } }, want = 0.0;
	int truth[BLOBS * PER], lab[BLOBS * PER], b, i, j, seen[BLOBS] = { 0 };
	struct crm_kmeans_fit fit;
	struct crm_kmeans_opt opt = CRM_KMEANS_OPT_DEFAULT;

	(void)state;
	blobs(x, truth);
	for (i = 0; i < BLOBS * PER; i++) {
		mean[truth[i]][0] += x[i * 2] / PER;
		mean[truth[i]][1] += x[i * 2 + 1] / PER;
	}
	for (i = 0; i < BLOBS * PER; i++)
		want += pow(x[i * 2] - mean[truth[i]][0], 2) + pow(x[i * 2 + 1] - mean[truth[i]][1], 2);
	opt.seed = 7;
	assert_int_equal(crm_kmeans(x, BLOBS * PER, 2, BLOBS, &opt, lab, c, &fit), CRM_OK);
	/* One label per blob, a different one for each blob. */
	for (b = 0; b < BLOBS; b++) {
		for (i = 1; i < PER; i++)
			assert_int_equal(lab[b * PER + i], lab[b * PER]);
		assert_in_range(lab[b * PER], 0, BLOBS - 1);
		assert_int_equal(seen[lab[b * PER]]++, 0);
		j = lab[b * PER];
		NEAR(c[j * 2], mean[b][0]);
		NEAR(c[j * 2 + 1], mean[b][1]);
	}
	NEAR(fit.inertia, want);
	assert_in_range(fit.n_iter, 1, 300);
	assert_in_range(fit.best_init, 0, 9);
}

static void
curve_never_rises(void **state)
{
	double x[BLOBS * PER * 2], curve[8], mean[2] = { 0 }, total = 0.0;
	int truth[BLOBS * PER], i;
	struct crm_kmeans_opt opt = CRM_KMEANS_OPT_DEFAULT;

	(void)state;
	blobs(x, truth);
	assert_int_equal(crm_kmeans_curve(x, BLOBS * PER, 2, 8, &opt, curve), CRM_OK);
	for (i = 0; i < BLOBS * PER; i++) {
		mean[0] += x[i * 2] / (BLOBS * PER);
		mean[1] += x[i * 2 + 1] / (BLOBS * PER);
	}
	for (i = 0; i < BLOBS * PER; i++)
		total += pow(x[i * 2] - mean[0], 2) + pow(x[i * 2 + 1] - mean[1], 2);
	/* One cluster is the mean: the total sum of squares. */
	NEAR(curve[0], total);
	for (i = 1; i < 8; i++)
		assert_true(curve[i] <= curve[i - 1]);
	/* The elbow: four blobs take almost everything out. */
	assert_true(curve[3] < 0.01 * curve[2]);
	/* More clusters than points: each point its own, inertia 0. */
	assert_int_equal(crm_kmeans_curve(x, 3, 2, 5, &opt, curve), CRM_OK);
	NEAR(curve[2], 0.0);
	NEAR(curve[3], 0.0);
	NEAR(curve[4], 0.0);
	assert_true(curve[1] <= curve[0]);
}

static void
seed_reproduces(void **state)
{
	double x[BLOBS * PER * 2], c1[5 * 2], c2[5 * 2];
	int truth[BLOBS * PER], l1[BLOBS * PER], l2[BLOBS * PER];
	struct crm_kmeans_fit f1, f2;
	struct crm_kmeans_opt opt = { 3, 300, 1e-4, 12345 };

	(void)state;
	/* Five clusters for four blobs: the split depends on the draws. */
	blobs(x, truth);
	assert_int_equal(crm_kmeans(x, BLOBS * PER, 2, 5, &opt, l1, c1, &f1), CRM_OK);
	assert_int_equal(crm_kmeans(x, BLOBS * PER, 2, 5, &opt, l2, c2, &f2), CRM_OK);
	assert_memory_equal(l1, l2, sizeof l1);
	assert_memory_equal(c1, c2, sizeof c1);
	assert_memory_equal(&f1.inertia, &f2.inertia, sizeof f1.inertia);
	assert_int_equal(f1.n_iter, f2.n_iter);
	assert_int_equal(f1.best_init, f2.best_init);
}

/* Two distinct points, five copies each, in three clusters: k-means++
 * must pick a duplicate centre, which leaves a cluster empty; the empty
 * one takes a point and the run still ends with inertia 0. */
static void
empty_clusters_and_duplicates(void **state)
{
	double x[10 * 2], same[4 * 3], c[3 * 3];
	int lab[10], i;
	struct crm_kmeans_fit fit;

	(void)state;
	for (i = 0; i < 10; i++) {
		x[i * 2] = i < 5 ? 1.0 : 9.0;
		x[i * 2 + 1] = i < 5 ? -2.0 : 4.0;
	}
	assert_int_equal(crm_kmeans(x, 10, 2, 3, NULL, lab, c, &fit), CRM_OK);
	NEAR(fit.inertia, 0.0);
	for (i = 1; i < 10; i++) {
		assert_in_range(lab[i], 0, 2);
		if (i != 5)
			assert_int_equal(lab[i], lab[i < 5 ? 0 : 5]);
	}
	assert_int_not_equal(lab[0], lab[5]);
	for (i = 0; i < 3; i++)
		assert_true((c[i * 2] == 1.0 && c[i * 2 + 1] == -2.0) ||
		    (c[i * 2] == 9.0 && c[i * 2 + 1] == 4.0));
	/* Every point the same: two of three clusters start empty. */
	for (i = 0; i < 12; i++)
		same[i] = 3.5;
	assert_int_equal(crm_kmeans(same, 4, 3, 3, NULL, lab, c, &fit), CRM_OK);
	NEAR(fit.inertia, 0.0);
	for (i = 0; i < 9; i++)
		NEAR(c[i], 3.5);
}

static void
refuses_bad_input(void **state)
{
	double x[4] = { 0, 1, 2, 3 }, c[8], nan[2] = { 0, NAN }, curve[2];
	int lab[4];
	struct crm_kmeans_fit fit;
	struct crm_kmeans_opt opt = CRM_KMEANS_OPT_DEFAULT;

	(void)state;
	assert_int_equal(crm_kmeans(x, 0, 1, 1, NULL, lab, c, &fit), CRM_EINVAL);
	assert_int_equal(crm_kmeans(x, 4, 0, 1, NULL, lab, c, &fit), CRM_EINVAL);
	assert_int_equal(crm_kmeans(x, 4, 1, 0, NULL, lab, c, &fit), CRM_EINVAL);
	assert_int_equal(crm_kmeans(x, 4, 1, 5, NULL, lab, c, &fit), CRM_EINVAL);
	assert_int_equal(crm_kmeans(nan, 2, 1, 1, NULL, lab, c, &fit), CRM_EINVAL);
	opt.n_init = 0;
	assert_int_equal(crm_kmeans(x, 4, 1, 2, &opt, lab, c, &fit), CRM_EINVAL);
	opt.n_init = 1, opt.tol = -1.0;
	assert_int_equal(crm_kmeans(x, 4, 1, 2, &opt, lab, c, &fit), CRM_EINVAL);
	assert_int_equal(crm_kmeans_curve(x, 0, 1, 2, NULL, curve), CRM_EINVAL);
	/* k = n is allowed: every point its own cluster. */
	assert_int_equal(crm_kmeans(x, 4, 1, 4, NULL, lab, c, &fit), CRM_OK);
	NEAR(fit.inertia, 0.0);
}

static void
zscore_like_standard_scaler(void **state)
{
	/* Columns: 1..4, constant 7, and -10, 0, 10, 20. */
	double x[4 * 3] = { 1, 7, -10, 2, 7, 0, 3, 7, 10, 4, 7, 20 }, mean[3], sd[3];
	double bad[2] = { 1, INFINITY };

	(void)state;
	assert_int_equal(crm_kmeans_zscore(x, 4, 3, mean, sd), CRM_OK);
	NEAR(mean[0], 2.5);
	NEAR(sd[0], sqrt(1.25));
	NEAR(mean[1], 7.0);
	NEAR(sd[1], 0.0);
	NEAR(mean[2], 5.0);
	NEAR(sd[2], sqrt(125.0));
	NEAR(x[0], -1.5 / sqrt(1.25));
	NEAR(x[9], 1.5 / sqrt(1.25));
	NEAR(x[1], 0.0);
	NEAR(x[10], 0.0);
	NEAR(x[11], 15.0 / sqrt(125.0));
	assert_int_equal(crm_kmeans_zscore(x, 4, 3, NULL, NULL), CRM_OK);
	assert_int_equal(crm_kmeans_zscore(bad, 2, 1, NULL, NULL), CRM_EINVAL);
}

/* xoshiro256** seeded by splitmix64 from 42: the first three outputs as
 * the published algorithms give them, and the ranges of the helpers. */
static void
rng_sequence_and_ranges(void **state)
{
	struct crm_rng g;
	int i;

	(void)state;
	crm_rng_seed(&g, 42);
	assert_true(crm_rng_next(&g) == 0x15780b2e0c2ec716ULL);
	assert_true(crm_rng_next(&g) == 0x6104d9866d113a7eULL);
	assert_true(crm_rng_next(&g) == 0xae17533239e499a1ULL);
	for (i = 0; i < 10000; i++) {
		double u = crm_rng_uniform(&g);

		assert_true(u >= 0.0 && u < 1.0);
		assert_true(crm_rng_below(&g, 7) < 7);
	}
	assert_true(crm_rng_below(&g, 1) == 0);
}

/* The elbow: a curve that falls steeply to k = 3 and then flattens picks
 * 3; a straight line has no elbow beyond the first inner point; a flat
 * one picks a single cluster. */
static void
elbow_of_curves(void **state)
{
	static const double knee[] = { 1000, 500, 120, 100, 90, 85, 82, 80 };
	static const double straight[] = { 70, 60, 50, 40, 30, 20, 10, 0 };
	static const double flat[] = { 5, 5, 5, 5 };

	(void)state;
	assert_int_equal(crm_kmeans_elbow(knee, 8), 3);
	assert_int_equal(crm_kmeans_elbow(straight, 8), 2);
	assert_int_equal(crm_kmeans_elbow(flat, 4), 1);
	assert_int_equal(crm_kmeans_elbow(knee, 2), 2);
	assert_int_equal(crm_kmeans_elbow(knee, 1), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_true_partition),
		cmocka_unit_test(curve_never_rises),
		cmocka_unit_test(seed_reproduces),
		cmocka_unit_test(empty_clusters_and_duplicates),
		cmocka_unit_test(refuses_bad_input),
		cmocka_unit_test(zscore_like_standard_scaler),
		cmocka_unit_test(rng_sequence_and_ranges),
		cmocka_unit_test(elbow_of_curves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
