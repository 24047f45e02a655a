/* The segments step: k-means over every scored customer's behaviour
 * (log recency, orders, revenue and tickets, each standardised so no unit
 * outweighs another), k chosen at the elbow of the inertia curve for k =
 * 1..8. Segment 1 is the one with the highest typical revenue, so the
 * numbers keep their meaning from run to run; each is described by where
 * its centre sits against the average customer. Reads customer_scores, so
 * it runs after rfm. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/kmeans.h"
#include "crm.h"
#include "crm_analytics.h"

#define FEATURES 4              /* recency, orders, revenue, tickets */
#define KMAX 8
/* The curve is drawn from an even sample of at most this many customers:
 * its shape, not its last digit, chooses k. The final fit uses everyone. */
#define CURVE_SAMPLE 20000
/* A centre this many standard deviations from the mean earns a trait. */
#define TRAIT_Z 0.5

static const char input_sql[] =
    "SELECT account_id, recency_days, orders, revenue, tickets FROM customer_scores ORDER BY account_id";
static const char tmp_sql[] =
    "CREATE TEMPORARY TABLE IF NOT EXISTS analytics_segment_tmp"
    " (account_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, segment TINYINT UNSIGNED NOT NULL) ENGINE=MEMORY";
static const char tmp_clear_sql[] = "DELETE FROM analytics_segment_tmp";
static const char tmp_head[] = "INSERT INTO analytics_segment_tmp (account_id, segment) VALUES";
static const char apply_sql[] =
    "UPDATE customer_scores s LEFT JOIN analytics_segment_tmp t ON t.account_id = s.account_id"
    " SET s.segment = t.segment";
static const char clear_sql[] = "DELETE FROM customer_segments";
static const char put_head[] = "INSERT INTO customer_segments"
    " (segment, customers, recency_days, orders, revenue, tickets, traits) VALUES";
static const char model_sql[] =
    "REPLACE INTO analytics_models (name, trained_at, rows_used, metrics) VALUES ('segments', UTC_TIMESTAMP(), ?, ?)";

struct segments {
	json_t *rows;
	int *labels;            /* by row: 0..k-1 */
	int *rank;              /* cluster -> segment number - 1 */
	size_t k;
	size_t counts[KMAX];
	double centre[KMAX][FEATURES];  /* in the features' own units */
	char traits[KMAX][128];
	char *metrics;
};

static void
bind_member(void *arg, size_t i, struct crm_db_bind *b)
{
	struct segments *s = arg;

	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(json_array_get(s->rows, i), "account_id")));
	crm_db_bind_i64(&b[1], s->rank[s->labels[i]] + 1);
}

static void
bind_segment(void *arg, size_t j, struct crm_db_bind *b)
{
	struct segments *s = arg;
	size_t c;

	for (c = 0; c < s->k && (size_t)s->rank[c] != j; c++)
		;
	crm_db_bind_i64(&b[0], (long long)j + 1);
	crm_db_bind_i64(&b[1], (long long)s->counts[c]);
	crm_db_bind_double(&b[2], s->centre[c][0]);
	crm_db_bind_double(&b[3], s->centre[c][1]);
	crm_db_bind_double(&b[4], s->centre[c][2]);
	crm_db_bind_double(&b[5], s->centre[c][3]);
	crm_db_bind_str(&b[6], s->traits[c], (size_t)-1);
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct segments *s = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	if ((e = crm_db_exec_sql(db, tmp_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec_sql(db, tmp_clear_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_analytics_insert(db, tmp_head, "", 2, json_array_size(s->rows), bind_member, s)) != CRM_OK ||
	    (e = crm_db_exec_sql(db, apply_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec_sql(db, clear_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_analytics_insert(db, put_head, "", 7, s->k, bind_segment, s)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], (long long)json_array_size(s->rows));
	crm_db_bind_str(&b[1], s->metrics, (size_t)-1);
	return crm_db_exec_sql(db, model_sql, b, 2, NULL, NULL);
}

/* Where a centre stands: a word for each feature well above or below
 * the average ("recent" is a low recency in days). */
static void
describe(const double *z, char *out, size_t len)
{
	static const char *const high[FEATURES] = { "lapsed", "frequent", "high_value", "many_tickets" };
	static const char *const low[FEATURES] = { "recent", "occasional", "low_value", "few_tickets" };
	size_t m, used = 0;
	const char *word;

	out[0] = '\0';
	for (m = 0; m < FEATURES; m++) {
		word = z[m] > TRAIT_Z ? high[m] : z[m] < -TRAIT_Z ? low[m] : NULL;
		if (word != NULL && used + strlen(word) + 2 < len)
			used += (size_t)snprintf(out + used, len - used, "%s%s", used > 0 ? "," : "", word);
	}
}

static int
by_revenue_desc(const void *a, const void *b, void *arg)
{
	const struct segments *s = arg;
	int ca = *(const int *)a, cb = *(const int *)b;

	if (s->centre[ca][2] != s->centre[cb][2])
		return s->centre[ca][2] > s->centre[cb][2] ? -1 : 1;
	return ca - cb;
}

static enum crm_err
fit(struct segments *s, double *x, size_t n, struct crm_analytics_out *out)
{
	struct crm_kmeans_opt opt = CRM_KMEANS_OPT_DEFAULT;
	struct crm_kmeans_fit result;
	double mean[FEATURES], sd[FEATURES], curve[KMAX], *sample, *centres;
	size_t i, m, c, kmax, step, ns;
	int order[KMAX];
	json_t *metrics, *jcurve;

	if (crm_kmeans_zscore(x, n, FEATURES, mean, sd) != CRM_OK) {
		snprintf(out->error, sizeof(out->error), "A customer's figures are not numbers.");
		return CRM_EINVAL;
	}
	kmax = n < KMAX ? n : KMAX;
	step = n > CURVE_SAMPLE ? n / CURVE_SAMPLE : 1;
	ns = (n + step - 1) / step;
	sample = crm_xmalloc(ns * FEATURES * sizeof(double));
	for (i = 0; i < ns; i++)
		memcpy(sample + i * FEATURES, x + i * step * FEATURES, FEATURES * sizeof(double));
	opt.n_init = 3;
	if (crm_kmeans_curve(sample, ns, FEATURES, kmax, &opt, curve) != CRM_OK) {
		free(sample);
		return CRM_EINVAL;
	}
	free(sample);
	s->k = crm_kmeans_elbow(curve, kmax);
	opt.n_init = 10;
	centres = crm_xmalloc(s->k * FEATURES * sizeof(double));
	if (crm_kmeans(x, n, FEATURES, s->k, &opt, s->labels, centres, &result) != CRM_OK) {
		free(centres);
		return CRM_EINVAL;
	}
	for (i = 0; i < n; i++)
		s->counts[s->labels[i]]++;
	for (c = 0; c < s->k; c++) {
		/* Back from standardised logs to days, orders, money, tickets:
		 * the centre is a typical (geometric) customer of the segment. */
		for (m = 0; m < FEATURES; m++)
			s->centre[c][m] = expm1(centres[c * FEATURES + m] * sd[m] + mean[m]);
		describe(centres + c * FEATURES, s->traits[c], sizeof(s->traits[c]));
		order[c] = (int)c;
	}
	qsort_r(order, s->k, sizeof(int), by_revenue_desc, s);
	for (c = 0; c < s->k; c++)
		s->rank[order[c]] = (int)c;
	jcurve = json_array();
	for (c = 0; c < kmax; c++)
		json_array_append_new(jcurve, json_real(curve[c]));
	metrics = json_pack("{s:i, s:o, s:f, s:i, s:i, s:[ssss]}", "k", (int)s->k, "inertia_curve", jcurve,
	    "inertia", result.inertia, "n_iter", (int)result.n_iter, "curve_sample", (int)ns,
	    "features", "log recency", "log orders", "log revenue", "log tickets");
	s->metrics = json_dumps(metrics, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(metrics);
	free(centres);
	return CRM_OK;
}

enum crm_err
crm_analytics_segments(struct crm_db *db, struct crm_analytics_out *out)
{
	struct segments s;
	json_t *row;
	double *x;
	size_t n, i;
	enum crm_err e;

	memset(&s, 0, sizeof(s));
	if ((e = crm_db_rows_sql(db, input_sql, NULL, 0, &s.rows)) != CRM_OK)
		return e;
	n = json_array_size(s.rows);
	if (n < 2) {
		json_decref(s.rows);
		snprintf(out->summary, sizeof(out->summary), "fewer than 2 scored customers: nothing to segment");
		return CRM_OK;
	}
	x = crm_xmalloc(n * FEATURES * sizeof(double));
	s.labels = crm_xmalloc(n * sizeof(int));
	s.rank = crm_xmalloc(KMAX * sizeof(int));
	json_array_foreach(s.rows, i, row) {
		x[i * FEATURES + 0] = log1p(fmax(0.0, (double)json_integer_value(json_object_get(row, "recency_days"))));
		x[i * FEATURES + 1] = log1p((double)json_integer_value(json_object_get(row, "orders")));
		x[i * FEATURES + 2] = log1p(fmax(0.0, strtod(json_string_value(json_object_get(row, "revenue")), NULL)));
		x[i * FEATURES + 3] = log1p((double)json_integer_value(json_object_get(row, "tickets")));
	}
	if ((e = fit(&s, x, n, out)) == CRM_OK && (e = crm_db_tx(db, put_tx, &s)) == CRM_OK)
		snprintf(out->summary, sizeof(out->summary), "%zu customers in %zu segments", n, s.k);
	free(x);
	free(s.labels);
	free(s.rank);
	free(s.metrics);
	json_decref(s.rows);
	return e;
}
