/* The analytics run (issue 8): the batch side of the reports area. Each
 * step reads the records, runs one method of lib/analytics/ (pure C, no
 * database) and replaces that method's results in one transaction, so a
 * step that fails leaves the previous results standing.
 *
 * A run is a row of analytics_runs: queued by the admin page (the reports
 * job runner picks it up) or by `crmctl analytics` (which runs it there
 * and then); the worker moves steps_done as each step commits, which the
 * page draws as a progress bar. Step statements are written in each step's
 * file and run through crm_db_*_sql (prepared, values bound). */
#ifndef CRM_ANALYTICS_H
#define CRM_ANALYTICS_H

#include "crm_db.h"

/* What a step tells the admin: one line of what it did ("1,408 customers
 * scored") or, when it fails, why, in words for a person (the server's
 * error goes to the log, not here). */
struct crm_analytics_out {
	char summary[256];
	char error[256];
};

struct crm_analytics_step {
	const char *name;
	enum crm_err (*run)(struct crm_db *, struct crm_analytics_out *);
	const char *what;       /* a msgid for the admin page and crmctl help */
};

extern const struct crm_analytics_step crm_analytics_steps[];
extern const size_t crm_analytics_nsteps;

/* The step of that name, or NULL. */
const struct crm_analytics_step *crm_analytics_step(const char *name);

/* Queues a run of the comma-separated steps (NULL or "all": every step in
 * table order) for user_id (0: the command line). CRM_EINVAL on an
 * unknown step name. */
enum crm_err crm_analytics_queue(struct crm_db *, const char *steps, long long user_id,
    long long *run_id);

/* Runs a queued run's steps in order, recording progress after each; the
 * run ends 'done', or 'failed' at the first step that fails. When report
 * is not NULL it is told each step's outcome (crmctl prints them). Returns
 * CRM_OK when every step succeeded. CRM_ENOTFOUND: no such queued run (or
 * another worker claimed it first). */
enum crm_err crm_analytics_execute(struct crm_db *, long long run_id,
    void (*report)(const char *step, const struct crm_analytics_out *, double seconds, void *),
    void *report_arg);

/* One poll of the job runner: marks runs whose worker went quiet for
 * stale_seconds as failed, then executes the oldest queued run. Returns 1
 * when it ran one, 0 when there was none, -1 on a database error. */
int crm_analytics_next(struct crm_db *, long stale_seconds);

/* Inserts nrows rows of ncols values, CRM_ANALYTICS_BATCH rows a
 * statement, inside the caller's transaction: head is "INSERT INTO t (a,
 * b) VALUES", tail what follows the values ("" or " ON DUPLICATE KEY
 * UPDATE ..."); bind fills row's ncols binds, whose strings must live
 * until the call returns. Both texts come from code, never a request. */
#define CRM_ANALYTICS_BATCH 200
enum crm_err crm_analytics_insert(struct crm_db *, const char *head, const char *tail,
    size_t ncols, size_t nrows, void (*bind)(void *arg, size_t row, struct crm_db_bind *), void *arg);

/* Replaces the figures a trained model reports about itself (the
 * analytics_models row of name): rows it learnt from, and metrics. */
enum crm_err crm_analytics_model_put(struct crm_db *, const char *name, long long rows, json_t *metrics);
/* v with thousands grouped ("1,408") into out: summaries are read by
 * people. Returns out. */
char *crm_analytics_grouped(char *out, size_t size, size_t v);

/* The steps, each in its own file (lib/crm_analytics_<name>.c). */
enum crm_err crm_analytics_rfm(struct crm_db *, struct crm_analytics_out *);
enum crm_err crm_analytics_segments(struct crm_db *, struct crm_analytics_out *);
/* @@steps: helpers declare their steps here */
enum crm_err crm_analytics_churn(struct crm_db *, struct crm_analytics_out *);
enum crm_err crm_analytics_leads(struct crm_db *, struct crm_analytics_out *);
enum crm_err crm_analytics_forecast(struct crm_db *, struct crm_analytics_out *);
enum crm_err crm_analytics_sentiment(struct crm_db *, struct crm_analytics_out *);
enum crm_err crm_analytics_baskets(struct crm_db *, struct crm_analytics_out *);
enum crm_err crm_analytics_quality(struct crm_db *, struct crm_analytics_out *);

/* "Customers who bought these also bought", from the baskets step's rules
 * (by lift) and similar products (by cosine), for a JSON array of product
 * ids bound four times (the pages' statements use it: contact, quote).
 * The ids are bound rather than read by a subquery because MariaDB
 * materialises a CTE once per reference: with an account's hundred orders
 * that was four scans of them and seven temporary tables per page. */
#define CRM_SQL_ALSO_BOUGHT \
	"SELECT p.id, p.name, p.sku, FORMAT(MAX(c.lift), 2) AS lift, FORMAT(MAX(c.cosine), 2) AS similarity" \
	" FROM (SELECT r.consequent_id AS id, r.lift, NULL AS cosine FROM association_rules r" \
	"  WHERE JSON_CONTAINS(?, CAST(CAST(SUBSTRING_INDEX(r.antecedent, ',', 1) AS UNSIGNED) AS CHAR))" \
	"  AND JSON_CONTAINS(?, CAST(CAST(SUBSTRING_INDEX(r.antecedent, ',', -1) AS UNSIGNED) AS CHAR))" \
	"  UNION ALL SELECT s.similar_id, NULL, s.cosine" \
	"  FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) b" \
	"  JOIN product_similar s ON s.product_id = b.id) c" \
	" JOIN products p ON p.id = c.id WHERE p.active AND NOT JSON_CONTAINS(?, CAST(c.id AS CHAR))" \
	" GROUP BY p.id, p.name, p.sku ORDER BY MAX(c.lift) IS NULL, MAX(c.lift) DESC, MAX(c.cosine) DESC, p.id LIMIT 5"
#define CRM_ALSO_BOUGHT_BINDS 4

#endif
