/* crmctl analytics: the batch side of the reports area, run by cron or a
 * timer. `rfm` scores every account that has ordered by recency,
 * frequency and money (lib/analytics/rfm.c: 1 to 5 by quintile) into
 * customer_scores, replaced whole in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics/rfm.h"
#include "extern.h"

struct scores {
	json_t *rows;
	struct crm_rfm *rfm;
};

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct scores *s = arg;
	struct crm_db_bind b[7];
	json_t *row;
	size_t i;
	enum crm_err e;

	if ((e = crm_db_exec(db, STMT_AN_RFM_CLEAR, NULL, 0, NULL, NULL)) != CRM_OK)
		return e;
	json_array_foreach(s->rows, i, row) {
		crm_db_bind_i64(&b[0], json_integer_value(json_object_get(row, "account_id")));
		crm_db_bind_i64(&b[1], json_integer_value(json_object_get(row, "recency")));
		crm_db_bind_i64(&b[2], json_integer_value(json_object_get(row, "orders")));
		crm_db_bind_str(&b[3], json_string_value(json_object_get(row, "revenue")), (size_t)-1);
		crm_db_bind_i64(&b[4], s->rfm[i].r);
		crm_db_bind_i64(&b[5], s->rfm[i].f);
		crm_db_bind_i64(&b[6], s->rfm[i].m);
		if ((e = crm_db_exec(db, STMT_AN_RFM_PUT, b, 7, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

int
crmctl_analytics_rfm(struct crm_db *db)
{
	struct scores s = { NULL, NULL };
	double *recency, *frequency, *money;
	struct timespec t0, t1;
	json_t *row;
	size_t n, i;
	int rc = 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (crm_db_rows(db, STMT_AN_RFM_INPUT, NULL, 0, &s.rows) != CRM_OK) {
		fprintf(stderr, "crmctl: analytics rfm: %s\n", crm_db_error(db));
		return 1;
	}
	n = json_array_size(s.rows);
	recency = crm_xmalloc((n + 1) * sizeof(*recency));
	frequency = crm_xmalloc((n + 1) * sizeof(*frequency));
	money = crm_xmalloc((n + 1) * sizeof(*money));
	s.rfm = crm_xmalloc((n + 1) * sizeof(*s.rfm));
	json_array_foreach(s.rows, i, row) {
		recency[i] = (double)json_integer_value(json_object_get(row, "recency"));
		frequency[i] = (double)json_integer_value(json_object_get(row, "orders"));
		money[i] = strtod(json_string_value(json_object_get(row, "revenue")), NULL);
	}
	if (n > 0 && crm_rfm(recency, frequency, money, n, s.rfm) != CRM_OK)
		fprintf(stderr, "crmctl: analytics rfm: the orders hold a value that is not a number\n");
	else if (crm_db_tx(db, put_tx, &s) != CRM_OK)
		fprintf(stderr, "crmctl: analytics rfm: %s\n", crm_db_error(db));
	else {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("rfm: %zu customers scored in %.1f s\n", n,
		    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		rc = 0;
	}
	free(recency);
	free(frequency);
	free(money);
	free(s.rfm);
	json_decref(s.rows);
	return rc;
}

int
crmctl_analytics(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	(void)conf;
	if (argc != 1 || strcmp(argv[0], "rfm") != 0) {
		fprintf(stderr, "usage: crmctl analytics rfm\n");
		return 2;
	}
	return crmctl_analytics_rfm(db);
}
