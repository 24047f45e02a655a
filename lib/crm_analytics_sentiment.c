/* The sentiment step: multinomial naive Bayes (analytics/bayes.h) trained
 * on sentiment_labels (seeded by migration 038, then added to and
 * corrected by an admin on /reports/sentiment), then every ticket message
 * the customer wrote (ticket_messages.kind = 'customer') and every
 * satisfaction comment gets its label and probabilities in
 * sentiment_scores, replaced whole. Each account's customer_scores row
 * gets the mean of p_positive - p_negative over its texts (NULL without
 * any); an account the rfm step has not scored has no row to carry it.
 *
 * The accuracy reported is that of a model trained on four fifths of the
 * labels and tested on every fifth (by id), so it says how well the model
 * labels text it has not seen; the model that scores is then trained on
 * all of them. A text without a single token the model knows is neutral
 * (its probabilities stay the priors). Texts are read a page at a time by id, so memory stays
 * bounded whatever the number of messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/bayes.h"
#include "crm.h"
#include "crm_analytics.h"

#define SENTIMENT_PAGE 2000     /* as the LIMIT of the two text queries */
#define SENTIMENT_HOLDOUT 5     /* every 5th label is held out */

static const char labels_sql[] = "SELECT body, label FROM sentiment_labels ORDER BY id";
static const char clear_sql[] = "DELETE FROM sentiment_scores";
/* The ticket's owner is the agent; a deleted ticket's messages are not
 * scored. */
static const char messages_sql[] =
    "SELECT m.id, m.body, t.account_id, t.owner_id AS agent_id,"
    " DATE_FORMAT(m.created_at, '%Y-%m-01') AS month FROM ticket_messages m"
    " JOIN tickets t ON t.id = m.ticket_id AND t.deleted_at IS NULL"
    " WHERE m.id > ? AND m.kind = 'customer' ORDER BY m.id LIMIT 2000";
static const char csat_sql[] =
    "SELECT c.ticket_id AS id, c.comment AS body, t.account_id, IFNULL(c.agent_id, t.owner_id) AS agent_id,"
    " DATE_FORMAT(c.created_at, '%Y-%m-01') AS month FROM csat_responses c"
    " JOIN tickets t ON t.id = c.ticket_id AND t.deleted_at IS NULL"
    " WHERE c.ticket_id > ? AND c.comment IS NOT NULL AND c.comment <> ''"
    " ORDER BY c.ticket_id LIMIT 2000";
static const char put_head[] = "INSERT INTO sentiment_scores (source, source_id, account_id, agent_id, month,"
    " label, p_negative, p_positive) VALUES";
static const char accounts_sql[] =
    "UPDATE customer_scores cs LEFT JOIN (SELECT account_id, ROUND(AVG(p_positive - p_negative), 4) AS s"
    "  FROM sentiment_scores WHERE account_id IS NOT NULL GROUP BY account_id) x ON x.account_id = cs.account_id"
    " SET cs.sentiment = x.s";
/* The trend the pages read (042), from the scores just written. */
static const char months_clear_sql[] = "DELETE FROM sentiment_month_totals";
static const char months_sql[] =
    "INSERT INTO sentiment_month_totals (month, agent_id, texts, negative, neutral, positive, sentiment_sum)"
    " SELECT month, IFNULL(agent_id, 0), COUNT(*), SUM(label = 'negative'), SUM(label = 'neutral'),"
    " SUM(label = 'positive'), SUM(p_positive - p_negative) FROM sentiment_scores GROUP BY month, IFNULL(agent_id, 0)";
static const char model_sql[] = "REPLACE INTO analytics_models (name, trained_at, rows_used, metrics)"
    " VALUES ('sentiment', UTC_TIMESTAMP(), ?, ?)";

struct sentiment_run {
	struct crm_bayes model;
	const char *source;
	json_t *rows;
	char (*p)[2][16];
	const char **label;
	size_t scored[2], by_class[CRM_BAYES__N];
	json_t *metrics;
	long long labels;
};

static void
bind_row(void *arg, size_t i, struct crm_db_bind *b)
{
	struct sentiment_run *s = arg;
	json_t *row = json_array_get(s->rows, i), *v;

	crm_db_bind_str(&b[0], s->source, (size_t)-1);
	crm_db_bind_i64(&b[1], json_integer_value(json_object_get(row, "id")));
	if (json_is_integer(v = json_object_get(row, "account_id")))
		crm_db_bind_i64(&b[2], json_integer_value(v));
	else
		crm_db_bind_null(&b[2]);
	if (json_is_integer(v = json_object_get(row, "agent_id")))
		crm_db_bind_i64(&b[3], json_integer_value(v));
	else
		crm_db_bind_null(&b[3]);
	crm_db_bind_str(&b[4], json_string_value(json_object_get(row, "month")), (size_t)-1);
	crm_db_bind_str(&b[5], s->label[i], (size_t)-1);
	crm_db_bind_str(&b[6], s->p[i][0], (size_t)-1);
	crm_db_bind_str(&b[7], s->p[i][1], (size_t)-1);
}

/* Scores one source's texts, a page at a time. */
static enum crm_err
score_source(struct crm_db *db, struct sentiment_run *s, const char *sql, size_t which)
{
	struct crm_db_bind b[1];
	double prob[CRM_BAYES__N];
	const char *body;
	long long after = 0;
	json_t *row;
	size_t i, n, known;
	enum crm_bayes_class cls;
	enum crm_err e;

	s->p = crm_xmalloc(SENTIMENT_PAGE * sizeof(*s->p));
	s->label = crm_xmalloc(SENTIMENT_PAGE * sizeof(*s->label));
	do {
		crm_db_bind_i64(&b[0], after);
		if ((e = crm_db_rows_sql(db, sql, b, 1, &s->rows)) != CRM_OK)
			break;
		n = json_array_size(s->rows);
		json_array_foreach(s->rows, i, row) {
			body = json_string_value(json_object_get(row, "body"));
			cls = crm_bayes_predict(&s->model, body != NULL ? body : "", body != NULL ? strlen(body) : 0, prob, &known);
			/* No word the model knows (another language, only a
			 * number): the priors alone would pick a side at random. */
			if (known == 0)
				cls = CRM_BAYES_NEUTRAL;
			s->label[i] = crm_bayes_class_name(cls);
			s->by_class[cls]++;
			snprintf(s->p[i][0], sizeof(s->p[i][0]), "%.4f", prob[CRM_BAYES_NEGATIVE]);
			snprintf(s->p[i][1], sizeof(s->p[i][1]), "%.4f", prob[CRM_BAYES_POSITIVE]);
			after = json_integer_value(json_object_get(row, "id"));
		}
		e = crm_analytics_insert(db, put_head, "", 8, n, bind_row, s);
		s->scored[which] += n;
		json_decref(s->rows);
		s->rows = NULL;
	} while (e == CRM_OK && n == SENTIMENT_PAGE);
	free(s->p);
	free(s->label);
	return e;
}

static enum crm_err
score_tx(struct crm_db *db, void *arg)
{
	struct sentiment_run *s = arg;
	struct crm_db_bind b[2];
	enum crm_err e;
	char *metrics;

	memset(s->scored, 0, sizeof(s->scored));
	memset(s->by_class, 0, sizeof(s->by_class));
	if ((e = crm_db_exec_sql(db, clear_sql, NULL, 0, NULL, NULL)) != CRM_OK)
		return e;
	s->source = "ticket_message";
	if ((e = score_source(db, s, messages_sql, 0)) != CRM_OK)
		return e;
	s->source = "csat";
	if ((e = score_source(db, s, csat_sql, 1)) != CRM_OK)
		return e;
	if ((e = crm_db_exec_sql(db, accounts_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec_sql(db, months_clear_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec_sql(db, months_sql, NULL, 0, NULL, NULL)) != CRM_OK)
		return e;
	json_object_set_new(s->metrics, "ticket_messages", json_integer((json_int_t)s->scored[0]));
	json_object_set_new(s->metrics, "csat_comments", json_integer((json_int_t)s->scored[1]));
	json_object_set_new(s->metrics, "scored_negative", json_integer((json_int_t)s->by_class[0]));
	json_object_set_new(s->metrics, "scored_neutral", json_integer((json_int_t)s->by_class[1]));
	json_object_set_new(s->metrics, "scored_positive", json_integer((json_int_t)s->by_class[2]));
	metrics = json_dumps(s->metrics, JSON_COMPACT);
	crm_db_bind_i64(&b[0], s->labels);
	crm_db_bind_str(&b[1], metrics, (size_t)-1);
	e = crm_db_exec_sql(db, model_sql, b, 2, NULL, NULL);
	free(metrics);
	return e;
}

/* Trains on every label but each SENTIMENT_HOLDOUT-th and counts how many
 * of those it gets right; then trains the final model on them all. */
static enum crm_err
train(struct sentiment_run *s, json_t *labels, size_t *tested, size_t *right, size_t *per_class)
{
	struct crm_bayes held;
	enum crm_bayes_class pred;
	double prob[CRM_BAYES__N];
	size_t known;
	const char *body;
	json_t *row;
	size_t i;
	int cls;

	crm_bayes_init(&held, 1.0);
	crm_bayes_init(&s->model, 1.0);
	*tested = *right = 0;
	json_array_foreach(labels, i, row) {
		body = json_string_value(json_object_get(row, "body"));
		if ((cls = crm_bayes_class_of(json_string_value(json_object_get(row, "label")))) < 0 || body == NULL)
			continue;
		per_class[cls]++;
		crm_bayes_add(&s->model, body, strlen(body), (enum crm_bayes_class)cls);
		if (i % SENTIMENT_HOLDOUT != SENTIMENT_HOLDOUT - 1)
			crm_bayes_add(&held, body, strlen(body), (enum crm_bayes_class)cls);
	}
	if (crm_bayes_finish(&held) == CRM_OK) {
		json_array_foreach(labels, i, row) {
			body = json_string_value(json_object_get(row, "body"));
			if (i % SENTIMENT_HOLDOUT != SENTIMENT_HOLDOUT - 1 || body == NULL)
				continue;
			cls = crm_bayes_class_of(json_string_value(json_object_get(row, "label")));
			(*tested)++;
			pred = crm_bayes_predict(&held, body, strlen(body), prob, &known);
			*right += (int)(known == 0 ? CRM_BAYES_NEUTRAL : pred) == cls;
		}
	}
	crm_bayes_free(&held);
	return crm_bayes_finish(&s->model);
}

enum crm_err
crm_analytics_sentiment(struct crm_db *db, struct crm_analytics_out *out)
{
	struct sentiment_run s = { 0 };
	size_t tested, right, per_class[CRM_BAYES__N] = { 0 };
	json_t *labels = NULL;
	double accuracy;
	enum crm_err e;

	if ((e = crm_db_rows_sql(db, labels_sql, NULL, 0, &labels)) != CRM_OK)
		return e;
	s.labels = (long long)json_array_size(labels);
	if (train(&s, labels, &tested, &right, per_class) != CRM_OK) {
		json_decref(labels);
		crm_bayes_free(&s.model);
		snprintf(out->error, sizeof(out->error), "There is no labelled text to learn from.");
		return CRM_EINVAL;
	}
	json_decref(labels);
	accuracy = tested > 0 ? (double)right / (double)tested : 0.0;
	/* The counts of scored texts join these once scored, in the same
	 * transaction. */
	s.metrics = json_pack("{s:I, s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:f}", "labels", (json_int_t)s.labels,
	    "heldout_texts", (json_int_t)tested, "heldout_right", (json_int_t)right, "heldout_accuracy", accuracy,
	    "labels_negative", (json_int_t)per_class[0], "labels_neutral", (json_int_t)per_class[1],
	    "labels_positive", (json_int_t)per_class[2], "vocabulary", (json_int_t)s.model.nvocab, "alpha", 1.0);
	e = crm_db_tx(db, score_tx, &s);
	json_decref(s.metrics);
	if (e == CRM_OK)
		snprintf(out->summary, sizeof(out->summary), "trained on %lld labelled texts (held-out accuracy %.1f%% on %zu),"
		    " %zu ticket messages and %zu satisfaction comments scored: %zu negative, %zu neutral, %zu positive",
		    s.labels, 100.0 * accuracy, tested, s.scored[0], s.scored[1], s.by_class[0], s.by_class[1], s.by_class[2]);
	crm_bayes_free(&s.model);
	return e;
}
