/* crmctl demo: many rows per INSERT (demo.h), so a hundred thousand deals
 * load in seconds rather than a round trip each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm_money.h"
#include "demo.h"

struct demo_rows *
demo_rows_new(struct crm_db *db, size_t one, size_t many, int cols)
{
	struct demo_rows *r = crm_xcalloc(1, sizeof(*r));

	if (cols > DEMO_MAX_COLS)
		abort();
	r->db = db;
	r->one = one;
	r->many = many;
	r->cols = cols;
	return r;
}

void
demo_rows_reset(struct demo_rows *r)
{
	r->n = 0;
	r->col = 0;
	r->used = 0;
}

static struct crm_db_bind *
next_bind(struct demo_rows *r)
{
	if (r->col >= r->cols)
		abort();        /* a generator added more columns than its table */
	return &r->b[r->n * r->cols + r->col++];
}

void
demo_i64(struct demo_rows *r, long long v)
{
	crm_db_bind_i64(next_bind(r), v);
}

void
demo_str(struct demo_rows *r, const char *s)
{
	struct crm_db_bind *b = next_bind(r);
	size_t len;

	if (s == NULL) {
		crm_db_bind_null(b);
		return;
	}
	len = strlen(s);
	if (r->used + len + 1 > sizeof(r->text))
		abort();        /* DEMO_ROWS rows of strings fit by far */
	memcpy(r->text + r->used, s, len + 1);
	crm_db_bind_str(b, r->text + r->used, len);
	r->used += len + 1;
}

void
demo_money(struct demo_rows *r, long long cents)
{
	char buf[CRM_DECIMAL_MAX];

	demo_str(r, crm_money_format(buf, cents));
}

void
demo_decimal(struct demo_rows *r, long long v, int scale)
{
	char buf[CRM_DECIMAL_MAX];

	demo_str(r, crm_decimal_format(buf, v, scale));
}

enum crm_err
demo_row_end(struct demo_rows *r)
{
	enum crm_err e;

	if (r->col != r->cols)
		abort();
	r->col = 0;
	if (++r->n < DEMO_ROWS)
		return CRM_OK;
	if ((e = crm_db_exec(r->db, r->many, r->b, (size_t)(DEMO_ROWS * r->cols), NULL, NULL)) != CRM_OK)
		return e;
	r->sent += DEMO_ROWS;
	demo_rows_reset(r);
	return CRM_OK;
}

enum crm_err
demo_rows_flush(struct demo_rows *r)
{
	enum crm_err e;
	int i;

	for (i = 0; i < r->n; i++) {
		if ((e = crm_db_exec(r->db, r->one, r->b + i * r->cols, (size_t)r->cols, NULL, NULL)) != CRM_OK)
			return e;
		r->sent++;
	}
	demo_rows_reset(r);
	return CRM_OK;
}

char *
demo_day(char buf[16], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 16, "%Y-%m-%d", &tm);
	return buf;
}

char *
demo_stamp(char buf[24], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 24, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}
