/* The analytics run: the step table, queueing, claiming and progress
 * (crm_analytics.h). One run at a time per database: a named lock keeps a
 * cron run and an admin's run from replacing the same results at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm.h"
#include "crm_analytics.h"
#include "crm_buf.h"
#include "crm_i18n.h"
#include "crm_log.h"

const struct crm_analytics_step crm_analytics_steps[] = {
	{ "rfm", crm_analytics_rfm, N_("Customer value: recency, frequency and money scores, lifetime value") },
	{ "segments", crm_analytics_segments, N_("Segmentation: k-means clusters of customers by behaviour") },
	/* @@step-table: helpers add their steps here, in run order */
	{ "churn", crm_analytics_churn, N_("Churn risk: a logistic model of who stops ordering, a probability per customer") },
	{ "leads", crm_analytics_leads, N_("Lead scoring: a decision tree of which leads convert, with the logistic alternative") },
	{ "forecast", crm_analytics_forecast, N_("Sales forecast: monthly revenue by least squares with trend and season, and prediction intervals") },
	{ "sentiment", crm_analytics_sentiment, N_("Sentiment: naive Bayes labels of customers' ticket messages and satisfaction comments") },
	{ "baskets", crm_analytics_baskets, N_("Recommendations: association rules over order baskets and similar products") },
	{ "quality", crm_analytics_quality, N_("Data quality: missing, invalid and duplicate values per field") },
};
const size_t crm_analytics_nsteps = CRM_NELEM(crm_analytics_steps);

#define RUNS_INSERT "INSERT INTO analytics_runs (steps, steps_total, requested_by) VALUES (?, ?, NULLIF(?, 0))"
#define RUNS_CLAIM "UPDATE analytics_runs SET status = 'running', started_at = UTC_TIMESTAMP(),"\
	" heartbeat_at = UTC_TIMESTAMP() WHERE id = ? AND status = 'queued'"
#define RUNS_STEPS "SELECT steps FROM analytics_runs WHERE id = ?"
#define RUNS_AT_STEP "UPDATE analytics_runs SET current_step = ?, heartbeat_at = UTC_TIMESTAMP() WHERE id = ?"
#define RUNS_STEP_DONE "UPDATE analytics_runs SET steps_done = steps_done + 1, heartbeat_at = UTC_TIMESTAMP(),"\
	" summary = CONCAT(IFNULL(summary, ''), ?, '\\n') WHERE id = ?"
#define RUNS_FAILED "UPDATE analytics_runs SET status = 'failed', error = ?, finished_at = UTC_TIMESTAMP() WHERE id = ?"
#define RUNS_DONE "UPDATE analytics_runs SET status = 'done', current_step = '', finished_at = UTC_TIMESTAMP() WHERE id = ?"
#define RUNS_STALE "UPDATE analytics_runs SET status = 'failed', error = 'The worker stopped before the run finished.',"\
	" finished_at = UTC_TIMESTAMP() WHERE status = 'running' AND heartbeat_at < UTC_TIMESTAMP() - INTERVAL ? SECOND"
#define RUNS_NEXT "SELECT id FROM analytics_runs FORCE INDEX (analytics_runs_status) WHERE status = 'queued' ORDER BY id LIMIT 1"
#define RUN_LOCK "SELECT GET_LOCK('crm_analytics', 0) AS got"
#define RUN_UNLOCK "SELECT RELEASE_LOCK('crm_analytics') AS released"

const struct crm_analytics_step *
crm_analytics_step(const char *name)
{
	size_t i;

	for (i = 0; i < crm_analytics_nsteps; i++)
		if (strcmp(crm_analytics_steps[i].name, name) == 0)
			return &crm_analytics_steps[i];
	return NULL;
}

enum crm_err
crm_analytics_queue(struct crm_db *db, const char *steps, long long user_id, long long *run_id)
{
	char list[200], name[33];
	struct crm_db_bind b[3];
	const char *p, *comma;
	size_t i, len, used = 0, n = 0;
	uint64_t id = 0;
	enum crm_err e;
	int wanted[64] = { 0 };

	if (steps == NULL || strcmp(steps, "all") == 0) {
		for (i = 0; i < crm_analytics_nsteps; i++)
			wanted[i] = 1;
	} else {
		for (p = steps; *p != '\0'; p = *comma == ',' ? comma + 1 : comma) {
			comma = strchr(p, ',');
			if (comma == NULL)
				comma = p + strlen(p);
			len = (size_t)(comma - p);
			if (len == 0 || len >= sizeof(name))
				return CRM_EINVAL;
			memcpy(name, p, len);
			name[len] = '\0';
			for (i = 0; i < crm_analytics_nsteps; i++)
				if (strcmp(crm_analytics_steps[i].name, name) == 0)
					break;
			if (i == crm_analytics_nsteps)
				return CRM_EINVAL;
			wanted[i] = 1;
		}
	}
	/* Always in table order: a later step reads what an earlier one
	 * stored (segments cluster the RFM figures). */
	for (i = 0; i < crm_analytics_nsteps; i++) {
		if (!wanted[i])
			continue;
		len = strlen(crm_analytics_steps[i].name);
		if (used + len + 2 > sizeof(list))
			return CRM_EINVAL;
		if (used > 0)
			list[used++] = ',';
		memcpy(list + used, crm_analytics_steps[i].name, len);
		used += len;
		n++;
	}
	if (n == 0)
		return CRM_EINVAL;
	list[used] = '\0';
	crm_db_bind_str(&b[0], list, used);
	crm_db_bind_i64(&b[1], (long long)n);
	crm_db_bind_i64(&b[2], user_id);
	if ((e = crm_db_exec_sql(db, RUNS_INSERT, b, 3, NULL, &id)) != CRM_OK)
		return e;
	if (run_id != NULL)
		*run_id = (long long)id;
	return CRM_OK;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static enum crm_err
run_steps(struct crm_db *db, long long run_id, const char *steps,
    void (*report)(const char *, const struct crm_analytics_out *, double, void *), void *report_arg)
{
	struct crm_analytics_out out;
	struct crm_db_bind b[2];
	const struct crm_analytics_step *step;
	struct timespec t0;
	char name[33], line[300];
	const char *p, *comma;
	size_t len;
	enum crm_err e;

	for (p = steps; *p != '\0'; p = *comma == ',' ? comma + 1 : comma) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		len = (size_t)(comma - p);
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, p, len);
		name[len] = '\0';
		memset(&out, 0, sizeof(out));
		if ((step = crm_analytics_step(name)) == NULL) {
			snprintf(out.error, sizeof(out.error), "There is no step called %s.", name);
			e = CRM_EINVAL;
		} else {
			crm_db_bind_str(&b[0], name, len);
			crm_db_bind_i64(&b[1], run_id);
			if ((e = crm_db_exec_sql(db, RUNS_AT_STEP, b, 2, NULL, NULL)) != CRM_OK)
				return e;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			e = step->run(db, &out);
			if (e != CRM_OK && out.error[0] == '\0')
				snprintf(out.error, sizeof(out.error), "The database failed; the log has the details.");
			if (report != NULL)
				report(name, &out, seconds_since(&t0), report_arg);
		}
		if (e != CRM_OK) {
			crm_log(CRM_LOG_ERROR, "analytics run %lld: %s: %s%s%s", run_id, name, out.error,
			    e == CRM_EDB || e == CRM_EDBGONE ? " " : "", e == CRM_EDB || e == CRM_EDBGONE ? crm_db_error(db) : "");
			snprintf(line, sizeof(line), "%s: %s", name, out.error);
			crm_db_bind_str(&b[0], line, (size_t)-1);
			crm_db_bind_i64(&b[1], run_id);
			crm_db_exec_sql(db, RUNS_FAILED, b, 2, NULL, NULL);
			return e;
		}
		snprintf(line, sizeof(line), "%s: %s", name, out.summary);
		crm_db_bind_str(&b[0], line, (size_t)-1);
		crm_db_bind_i64(&b[1], run_id);
		if ((e = crm_db_exec_sql(db, RUNS_STEP_DONE, b, 2, NULL, NULL)) != CRM_OK)
			return e;
	}
	crm_db_bind_i64(&b[0], run_id);
	return crm_db_exec_sql(db, RUNS_DONE, b, 1, NULL, NULL);
}

enum crm_err
crm_analytics_execute(struct crm_db *db, long long run_id,
    void (*report)(const char *, const struct crm_analytics_out *, double, void *), void *report_arg)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	uint64_t claimed = 0;
	enum crm_err e;
	char steps[201];

	if ((e = crm_db_row_sql(db, RUN_LOCK, NULL, 0, &row)) != CRM_OK)
		return e;
	/* A one-digit result comes back as a JSON boolean (crm_db.h). */
	if (!json_is_true(json_object_get(row, "got")) && json_integer_value(json_object_get(row, "got")) != 1) {
		json_decref(row);
		return CRM_ECONFLICT;
	}
	json_decref(row);
	row = NULL;
	crm_db_bind_i64(&b[0], run_id);
	if ((e = crm_db_exec_sql(db, RUNS_CLAIM, b, 1, &claimed, NULL)) == CRM_OK && claimed == 0)
		e = CRM_ENOTFOUND;
	if (e == CRM_OK && (e = crm_db_row_sql(db, RUNS_STEPS, b, 1, &row)) == CRM_OK) {
		snprintf(steps, sizeof(steps), "%s", json_string_value(json_object_get(row, "steps")));
		json_decref(row);
		row = NULL;
		e = run_steps(db, run_id, steps, report, report_arg);
	}
	if (crm_db_row_sql(db, RUN_UNLOCK, NULL, 0, &row) == CRM_OK)
		json_decref(row);
	return e;
}

int
crm_analytics_next(struct crm_db *db, long stale_seconds)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	long long id;
	enum crm_err e;

	crm_db_bind_i64(&b[0], stale_seconds);
	if (crm_db_exec_sql(db, RUNS_STALE, b, 1, NULL, NULL) != CRM_OK)
		return -1;
	if ((e = crm_db_row_sql(db, RUNS_NEXT, NULL, 0, &row)) == CRM_ENOTFOUND)
		return 0;
	if (e != CRM_OK)
		return -1;
	id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	crm_log(CRM_LOG_INFO, "analytics run %lld started", id);
	e = crm_analytics_execute(db, id, NULL, NULL);
	if (e == CRM_ECONFLICT)
		return 0;               /* another worker holds the lock: later */
	crm_log(CRM_LOG_INFO, "analytics run %lld %s", id, e == CRM_OK ? "done" : "failed");
	return e == CRM_EDB || e == CRM_EDBGONE ? -1 : 1;
}

enum crm_err
crm_analytics_insert(struct crm_db *db, const char *head, const char *tail, size_t ncols, size_t nrows,
    void (*bind)(void *, size_t, struct crm_db_bind *), void *arg)
{
	struct crm_db_bind *b;
	char *sql, *p;
	size_t done, k, i, j, len;
	enum crm_err e = CRM_OK;

	if (nrows == 0)
		return CRM_OK;
	len = strlen(head) + strlen(tail) + CRM_ANALYTICS_BATCH * (ncols * 3 + 4) + 1;
	sql = crm_xmalloc(len);
	b = crm_xmalloc(CRM_ANALYTICS_BATCH * ncols * sizeof(*b));
	for (done = 0; done < nrows && e == CRM_OK; done += k) {
		k = nrows - done < CRM_ANALYTICS_BATCH ? nrows - done : CRM_ANALYTICS_BATCH;
		p = sql + sprintf(sql, "%s", head);
		for (i = 0; i < k; i++) {
			*p++ = i == 0 ? ' ' : ',';
			*p++ = '(';
			for (j = 0; j < ncols; j++)
				p += sprintf(p, j == 0 ? "?" : ",?");
			*p++ = ')';
		}
		strcpy(p, tail);
		for (i = 0; i < k; i++)
			bind(arg, done + i, b + i * ncols);
		e = crm_db_exec_sql(db, sql, b, k * ncols, NULL, NULL);
	}
	free(sql);
	free(b);
	return e;
}

enum crm_err
crm_analytics_model_put(struct crm_db *db, const char *name, long long rows, json_t *metrics)
{
	static const char sql[] = "REPLACE INTO analytics_models (name, trained_at, rows_used, metrics)"
	    " VALUES (?, UTC_TIMESTAMP(), ?, ?)";
	struct crm_db_bind b[3];
	char *text = json_dumps(metrics, JSON_COMPACT);
	enum crm_err e;

	crm_db_bind_str(&b[0], name, (size_t)-1);
	crm_db_bind_i64(&b[1], rows);
	crm_db_bind_str(&b[2], text, (size_t)-1);
	e = crm_db_exec_sql(db, sql, b, 3, NULL, NULL);
	free(text);
	return e;
}

char *
crm_analytics_grouped(char *out, size_t size, size_t v)
{
	struct crm_buf b;

	crm_buf_init(&b, NULL, 32);
	crm_i18n_format_int(&b, "en", (long long)v);
	snprintf(out, size, "%.*s", (int)b.len, b.data);
	crm_buf_release(&b);
	return out;
}
