/* The rfm step: every account that has ordered gets its recency,
 * frequency and money, each scored 1 to 5 by quintile (analytics/rfm.c),
 * and its lifetime value: the revenue less the cost of serving it (its
 * tickets at the analytics_ticket_cost setting). Rows are upserted so the
 * other steps' columns survive a run of this step alone; an account that
 * no longer has an order loses its row. */
#include <stdio.h>
#include <stdlib.h>

#include "analytics/rfm.h"
#include "crm.h"
#include "crm_analytics.h"

/* Account order decides ties, as pandas' rank(method='first') does. */
static const char input_sql[] =
    "SELECT o.account_id, DATEDIFF(UTC_DATE(), MAX(o.ordered_on)) AS recency, COUNT(*) AS orders,"
    " SUM(o.total_base) AS revenue, IFNULL(MAX(t.tickets), 0) AS tickets"
    " FROM orders o LEFT JOIN (SELECT account_id, COUNT(*) AS tickets FROM tickets"
    "  WHERE deleted_at IS NULL AND account_id IS NOT NULL GROUP BY account_id) t ON t.account_id = o.account_id"
    " WHERE o.status <> 'cancelled' GROUP BY o.account_id ORDER BY o.account_id";
static const char stamp_sql[] = "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s') AS now,"
    " IFNULL((SELECT value FROM settings WHERE name = 'analytics_ticket_cost'), '0') AS ticket_cost";
static const char put_head[] = "INSERT INTO customer_scores (account_id, recency_days, orders, revenue, tickets,"
    " cost_to_serve, clv, r, f, m, computed_at) VALUES";
static const char put_tail[] = " ON DUPLICATE KEY UPDATE recency_days = VALUES(recency_days),"
    " orders = VALUES(orders), revenue = VALUES(revenue), tickets = VALUES(tickets),"
    " cost_to_serve = VALUES(cost_to_serve), clv = VALUES(clv), r = VALUES(r), f = VALUES(f), m = VALUES(m),"
    " computed_at = VALUES(computed_at)";
static const char gone_sql[] = "DELETE FROM customer_scores WHERE computed_at < ?";

struct rfm_put {
	json_t *rows;
	struct crm_rfm *rfm;
	double ticket_cost;
	const char *now;
	char (*cost)[32], (*clv)[32];
};

static void
bind_row(void *arg, size_t i, struct crm_db_bind *b)
{
	struct rfm_put *s = arg;
	json_t *row = json_array_get(s->rows, i);
	long long tickets = json_integer_value(json_object_get(row, "tickets"));
	double revenue = strtod(json_string_value(json_object_get(row, "revenue")), NULL);

	snprintf(s->cost[i], sizeof(s->cost[i]), "%.2f", (double)tickets * s->ticket_cost);
	snprintf(s->clv[i], sizeof(s->clv[i]), "%.2f", revenue - (double)tickets * s->ticket_cost);
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(row, "account_id")));
	crm_db_bind_i64(&b[1], json_integer_value(json_object_get(row, "recency")));
	crm_db_bind_i64(&b[2], json_integer_value(json_object_get(row, "orders")));
	crm_db_bind_str(&b[3], json_string_value(json_object_get(row, "revenue")), (size_t)-1);
	crm_db_bind_i64(&b[4], tickets);
	crm_db_bind_str(&b[5], s->cost[i], (size_t)-1);
	crm_db_bind_str(&b[6], s->clv[i], (size_t)-1);
	crm_db_bind_i64(&b[7], s->rfm[i].r);
	crm_db_bind_i64(&b[8], s->rfm[i].f);
	crm_db_bind_i64(&b[9], s->rfm[i].m);
	crm_db_bind_str(&b[10], s->now, (size_t)-1);
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct rfm_put *s = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	if ((e = crm_analytics_insert(db, put_head, put_tail, 11, json_array_size(s->rows), bind_row, s)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], s->now, (size_t)-1);
	return crm_db_exec_sql(db, gone_sql, b, 1, NULL, NULL);
}

enum crm_err
crm_analytics_rfm(struct crm_db *db, struct crm_analytics_out *out)
{
	struct rfm_put s = { 0 };
	json_t *stamp = NULL, *row;
	double *recency, *frequency, *money;
	size_t n, i;
	enum crm_err e;

	if ((e = crm_db_row_sql(db, stamp_sql, NULL, 0, &stamp)) != CRM_OK)
		return e;
	if ((e = crm_db_rows_sql(db, input_sql, NULL, 0, &s.rows)) != CRM_OK) {
		json_decref(stamp);
		return e;
	}
	s.now = json_string_value(json_object_get(stamp, "now"));
	s.ticket_cost = strtod(json_string_value(json_object_get(stamp, "ticket_cost")), NULL);
	n = json_array_size(s.rows);
	recency = crm_xmalloc((n + 1) * sizeof(*recency));
	frequency = crm_xmalloc((n + 1) * sizeof(*frequency));
	money = crm_xmalloc((n + 1) * sizeof(*money));
	s.rfm = crm_xmalloc((n + 1) * sizeof(*s.rfm));
	s.cost = crm_xmalloc((n + 1) * sizeof(*s.cost));
	s.clv = crm_xmalloc((n + 1) * sizeof(*s.clv));
	json_array_foreach(s.rows, i, row) {
		recency[i] = (double)json_integer_value(json_object_get(row, "recency"));
		frequency[i] = (double)json_integer_value(json_object_get(row, "orders"));
		money[i] = strtod(json_string_value(json_object_get(row, "revenue")), NULL);
	}
	if (n > 0 && crm_rfm(recency, frequency, money, n, s.rfm) != CRM_OK) {
		snprintf(out->error, sizeof(out->error), "An order holds a total that is not a number.");
		e = CRM_EINVAL;
	} else if ((e = crm_db_tx(db, put_tx, &s)) == CRM_OK)
		snprintf(out->summary, sizeof(out->summary), "%zu customers scored", n);
	free(recency);
	free(frequency);
	free(money);
	free(s.rfm);
	free(s.cost);
	free(s.clv);
	json_decref(s.rows);
	json_decref(stamp);
	return e;
}
