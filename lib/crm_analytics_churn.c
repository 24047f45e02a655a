/* The churn step: a logistic model of "this customer will not order
 * again" (analytics/logit.h) learnt from the past and applied today.
 *
 * The features of an account that has ordered, as of a day D: days since
 * its latest order on or before D (recency), its orders up to D
 * (frequency), its spend trend (revenue of the 180 days up to D against
 * the 180 before them, as (recent - before) / (recent + before), so -1 is
 * "stopped spending" and 1 "only just started"), its tickets in the year
 * up to D, and the mean satisfaction score of those tickets' surveys (a
 * customer without one gets the mean of the others).
 *
 * Training rows are the accounts' features as of a cutoff 180 days ago,
 * labelled 1 when the account has not ordered since: exactly what the
 * model is asked today, shifted back. A quarter of them are held out
 * (seeded, analytics/metrics.h) for the AUC and accuracy; the features
 * are standardised on the rest, so the stored coefficients compare.
 * Then every account with an order gets today's probability in
 * customer_scores.churn_probability, whose rows the rfm step makes (it
 * runs first). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/logit.h"
#include "analytics/metrics.h"
#include "crm.h"
#include "crm_analytics.h"

#define NFEAT 5
#define CHURN_SEED 8
#define MIN_ROWS 10
#define CHURN_BANDS 5

static const char *const feature_names[NFEAT] = {
	"recency", "frequency", "spend_trend", "tickets", "csat",
};

/* The features of every account with an order on or before ? (the first
 * seven binds are that day), and whether it ordered after it. */
static const char features_sql[] =
    "SELECT o.account_id, DATEDIFF(?, MAX(IF(o.ordered_on <= ?, o.ordered_on, NULL))) AS recency,"
    " SUM(o.ordered_on <= ?) AS orders,"
    " SUM(IF(o.ordered_on <= ? AND o.ordered_on > ? - INTERVAL 180 DAY, o.total_base, 0)) AS recent,"
    " SUM(IF(o.ordered_on <= ? - INTERVAL 180 DAY AND o.ordered_on > ? - INTERVAL 360 DAY, o.total_base, 0))"
    "  AS before_,"
    " SUM(o.ordered_on > ?) AS later, IFNULL(MAX(t.tickets), 0) AS tickets, MAX(t.csat) AS csat"
    " FROM orders o LEFT JOIN (SELECT k.account_id, COUNT(*) AS tickets, AVG(c.score) AS csat"
    "  FROM tickets k LEFT JOIN csat_responses c ON c.ticket_id = k.id AND DATE(c.created_at) <= ?"
    "  WHERE k.deleted_at IS NULL AND k.account_id IS NOT NULL AND DATE(k.created_at) <= ?"
    "   AND DATE(k.created_at) > ? - INTERVAL 365 DAY GROUP BY k.account_id) t ON t.account_id = o.account_id"
    " WHERE o.status <> 'cancelled' GROUP BY o.account_id HAVING orders > 0 ORDER BY o.account_id";
#define FEATURES_BINDS 11
static const char days_sql[] = "SELECT DATE_FORMAT(UTC_DATE(), '%Y-%m-%d') AS today,"
    " DATE_FORMAT(UTC_DATE() - INTERVAL 180 DAY, '%Y-%m-%d') AS cutoff";
static const char clear_sql[] = "UPDATE customer_scores SET churn_probability = NULL";

/* A figure of a row: DECIMAL sums arrive as strings, counts as integers. */
static double
num(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	if (json_is_integer(v))
		return (double)json_integer_value(v);
	if (json_is_real(v))
		return json_real_value(v);
	if (json_is_string(v))
		return strtod(json_string_value(v), NULL);
	return NAN;
}

struct table {
	json_t *rows;
	size_t n;
	double *x;              /* n by NFEAT */
	int *y;                 /* ordered after the day: 0; not: 1 */
	long long *account;
};

static enum crm_err
features(struct crm_db *db, const char *day, struct table *t)
{
	struct crm_db_bind b[FEATURES_BINDS];
	double recent, before, csat_sum = 0.0, csat_n = 0.0, *row;
	json_t *r;
	size_t i;
	enum crm_err e;

	for (i = 0; i < FEATURES_BINDS; i++)
		crm_db_bind_str(&b[i], day, (size_t)-1);
	if ((e = crm_db_rows_sql(db, features_sql, b, FEATURES_BINDS, &t->rows)) != CRM_OK)
		return e;
	t->n = json_array_size(t->rows);
	t->x = crm_xmalloc((t->n + 1) * NFEAT * sizeof(*t->x));
	t->y = crm_xmalloc((t->n + 1) * sizeof(*t->y));
	t->account = crm_xmalloc((t->n + 1) * sizeof(*t->account));
	json_array_foreach(t->rows, i, r) {
		row = t->x + i * NFEAT;
		recent = num(r, "recent");
		before = num(r, "before_");
		t->account[i] = json_integer_value(json_object_get(r, "account_id"));
		row[0] = num(r, "recency");
		row[1] = num(r, "orders");
		row[2] = recent + before > 0.0 ? (recent - before) / (recent + before) : 0.0;
		row[3] = num(r, "tickets");
		row[4] = num(r, "csat");
		if (!isnan(row[4])) {
			csat_sum += row[4];
			csat_n += 1.0;
		}
		t->y[i] = num(r, "later") > 0.0 ? 0 : 1;
	}
	for (i = 0; i < t->n; i++)
		if (isnan(t->x[i * NFEAT + 4]))
			t->x[i * NFEAT + 4] = csat_n > 0.0 ? csat_sum / csat_n : 0.0;
	return CRM_OK;
}

static void
table_free(struct table *t)
{
	json_decref(t->rows);
	free(t->x);
	free(t->y);
	free(t->account);
}

struct churn_put {
	struct table *today;
	double *p;
	json_t *metrics;
	size_t train_rows;
};

/* UPDATE ... JOIN a derived table of (account, probability) pairs: one
 * statement per CRM_ANALYTICS_BATCH accounts. */
static enum crm_err
put_probabilities(struct crm_db *db, const struct churn_put *s)
{
	static const char head[] = "UPDATE customer_scores s JOIN (";
	static const char first[] = "SELECT ? AS account_id, ? AS p";
	static const char more[] = " UNION ALL SELECT ?, ?";
	static const char tail[] = ") v ON v.account_id = s.account_id SET s.churn_probability = v.p";
	struct crm_db_bind *b;
	char *sql, *q, (*text)[16];
	size_t done, k, i, n = s->today->n;
	enum crm_err e = CRM_OK;

	sql = crm_xmalloc(sizeof(head) + sizeof(first) + CRM_ANALYTICS_BATCH * sizeof(more) + sizeof(tail));
	b = crm_xmalloc(2 * CRM_ANALYTICS_BATCH * sizeof(*b));
	text = crm_xmalloc(CRM_ANALYTICS_BATCH * sizeof(*text));
	for (done = 0; done < n && e == CRM_OK; done += k) {
		k = n - done < CRM_ANALYTICS_BATCH ? n - done : CRM_ANALYTICS_BATCH;
		q = sql + sprintf(sql, "%s%s", head, first);
		for (i = 1; i < k; i++)
			q += sprintf(q, "%s", more);
		strcpy(q, tail);
		for (i = 0; i < k; i++) {
			snprintf(text[i], sizeof(text[i]), "%.4f", s->p[done + i]);
			crm_db_bind_i64(&b[2 * i], s->today->account[done + i]);
			crm_db_bind_str(&b[2 * i + 1], text[i], (size_t)-1);
		}
		e = crm_db_exec_sql(db, sql, b, 2 * k, NULL, NULL);
	}
	free(sql);
	free(b);
	free(text);
	return e;
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct churn_put *s = arg;
	enum crm_err e;

	if ((e = crm_db_exec_sql(db, clear_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = put_probabilities(db, s)) != CRM_OK)
		return e;
	return crm_analytics_model_put(db, "churn", (long long)s->train_rows, s->metrics);
}

static json_t *
figure(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* Learns the model from the cutoff's rows: metrics gets its figures. */
static enum crm_err
learn(const struct table *t, const char *cutoff, struct crm_logit *m, double *mean, double *sd,
    json_t *metrics, struct crm_analytics_out *out)
{
	unsigned char *is_test = crm_xmalloc(t->n + 1);
	double *x = crm_xmalloc((t->n + 1) * NFEAT * sizeof(*x)), *p, auc, acc;
	int *y = crm_xmalloc((t->n + 1) * sizeof(*y)), *ty;
	size_t i, ntest, ntrain = 0, churned = 0, k = 0;
	json_t *coefs;
	enum crm_err e;

	ntest = crm_metrics_split(t->n, CRM_METRICS_TEST_SHARE, CHURN_SEED, is_test);
	for (i = 0; i < t->n; i++) {
		churned += (size_t)t->y[i];
		if (is_test[i])
			continue;
		memcpy(x + ntrain * NFEAT, t->x + i * NFEAT, NFEAT * sizeof(*x));
		y[ntrain++] = t->y[i];
	}
	for (i = 0, k = 0; i < ntrain; i++)
		k += (size_t)y[i];
	if (k == 0 || k == ntrain) {
		snprintf(out->summary, sizeof(out->summary), "not trained: the customers who had ordered by %s"
		    " all did the same since (all ordered again, or none did); the previous model and"
		    " probabilities stand", cutoff);
		free(is_test);
		free(x);
		free(y);
		return CRM_ENOTFOUND;
	}
	k = 0;
	crm_logit_scale_fit(x, ntrain, NFEAT, mean, sd);
	crm_logit_scale_apply(x, ntrain, NFEAT, mean, sd);
	if ((e = crm_logit_fit(x, y, ntrain, NFEAT, CRM_LOGIT_C, m)) != CRM_OK) {
		snprintf(out->error, sizeof(out->error), "A customer's figures are not numbers: the churn model"
		    " cannot learn from them.");
		free(is_test);
		free(x);
		free(y);
		return e;
	}
	/* The held-out rows, scored by the model of the others. */
	p = crm_xmalloc((ntest + 1) * sizeof(*p));
	ty = crm_xmalloc((ntest + 1) * sizeof(*ty));
	for (i = 0; i < t->n; i++) {
		double row[NFEAT];

		if (!is_test[i])
			continue;
		memcpy(row, t->x + i * NFEAT, sizeof(row));
		crm_logit_scale_apply(row, 1, NFEAT, mean, sd);
		p[k] = crm_logit_predict(m, row);
		ty[k++] = t->y[i];
	}
	auc = crm_metrics_auc(p, ty, k);
	acc = crm_metrics_accuracy(p, ty, k);
	coefs = json_array();
	for (i = 0; i < NFEAT; i++)
		json_array_append_new(coefs, json_pack("{s:s,s:f,s:f,s:f}", "feature", feature_names[i],
		    "coefficient", m->w[i], "mean", mean[i], "sd", sd[i]));
	json_object_set_new(metrics, "auc", figure(auc));
	json_object_set_new(metrics, "accuracy", figure(acc));
	json_object_set_new(metrics, "cutoff", json_string(cutoff));
	json_object_set_new(metrics, "rows", json_integer((json_int_t)t->n));
	json_object_set_new(metrics, "train_rows", json_integer((json_int_t)ntrain));
	json_object_set_new(metrics, "test_rows", json_integer((json_int_t)ntest));
	json_object_set_new(metrics, "churned_share", json_real((double)churned / (double)t->n));
	json_object_set_new(metrics, "intercept", json_real(m->intercept));
	json_object_set_new(metrics, "coefficients", coefs);
	free(is_test);
	free(x);
	free(y);
	free(p);
	free(ty);
	return CRM_OK;
}

/* How many customers fall in each fifth of the probability (0-20%, ...,
 * 80-100%), kept with the model so the page's chart reads five numbers
 * rather than count every customer per request. */
static json_t *
bands(const double *p, size_t n)
{
	json_int_t count[CHURN_BANDS] = { 0 };
	json_t *a = json_array();
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		/* As stored: the page's list shows the rounded figure. */
		k = (int)floor(round(p[i] * 10000.0) / 10000.0 * CHURN_BANDS);
		count[k < 0 ? 0 : k >= CHURN_BANDS ? CHURN_BANDS - 1 : k]++;
	}
	for (k = 0; k < CHURN_BANDS; k++)
		json_array_append_new(a, json_integer(count[k]));
	return a;
}

enum crm_err
crm_analytics_churn(struct crm_db *db, struct crm_analytics_out *out)
{
	struct table past = { 0 }, now = { 0 };
	struct churn_put s = { 0 };
	struct crm_logit m = { 0 };
	double mean[NFEAT], sd[NFEAT], row[NFEAT];
	json_t *days = NULL;
	const char *today, *cutoff;
	char count[32];
	size_t i;
	enum crm_err e;

	if ((e = crm_db_row_sql(db, days_sql, NULL, 0, &days)) != CRM_OK)
		return e;
	today = json_string_value(json_object_get(days, "today"));
	cutoff = json_string_value(json_object_get(days, "cutoff"));
	s.metrics = json_object();
	if ((e = features(db, cutoff, &past)) != CRM_OK || (e = features(db, today, &now)) != CRM_OK)
		goto out;
	/* Too little to learn from is no failure (a new or small CRM): the
	 * run goes on, and the previous model and probabilities stand. */
	if (past.n < MIN_ROWS) {
		snprintf(out->summary, sizeof(out->summary), "not trained: only %zu customers had ordered by %s"
		    " (%d needed); the previous model and probabilities stand", past.n, cutoff, MIN_ROWS);
		goto out;
	}
	if ((e = learn(&past, cutoff, &m, mean, sd, s.metrics, out)) != CRM_OK) {
		if (e == CRM_ENOTFOUND)
			e = CRM_OK;
		goto out;
	}
	s.today = &now;
	s.train_rows = past.n;
	s.p = crm_xmalloc((now.n + 1) * sizeof(*s.p));
	for (i = 0; i < now.n; i++) {
		memcpy(row, now.x + i * NFEAT, sizeof(row));
		crm_logit_scale_apply(row, 1, NFEAT, mean, sd);
		s.p[i] = crm_logit_predict(&m, row);
	}
	json_object_set_new(s.metrics, "scored", json_integer((json_int_t)now.n));
	json_object_set_new(s.metrics, "bands", bands(s.p, now.n));
	if ((e = crm_db_tx(db, put_tx, &s)) == CRM_OK) {
		double auc = json_real_value(json_object_get(s.metrics, "auc"));

		crm_analytics_grouped(count, sizeof(count), now.n);
		if (json_is_real(json_object_get(s.metrics, "auc")))
			snprintf(out->summary, sizeof(out->summary), "%s customers scored, AUC %.2f", count, auc);
		else
			snprintf(out->summary, sizeof(out->summary), "%s customers scored (too few held out for an AUC)",
			    count);
	}
out:
	crm_logit_free(&m);
	free(s.p);
	table_free(&past);
	table_free(&now);
	json_decref(s.metrics);
	json_decref(days);
	return e;
}
