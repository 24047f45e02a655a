/* crmctl demo: what the account and people generators share. */
#ifndef CRMCTL_DEMO_H
#define CRMCTL_DEMO_H

#include "crm_db.h"

/* demo_ids.c: live account ids to pick from (ids have gaps). */
struct demo_ids {
	long long *v;
	size_t n;
};
enum crm_err demo_ids_accounts(struct crm_db *, struct demo_ids *);
long long demo_ids_pick(const struct demo_ids *);       /* 0 when there is none */
void demo_ids_free(struct demo_ids *);

struct demo_people {
	long long *owners;
	size_t nowners;
	const struct demo_ids *accounts;
	unsigned activities;            /* at most this many per contact */
	long from, to;
};

enum crm_err demo_people_batch(struct crm_db *, void *);

/* How much sales demo data to make (crmctl demo's flags). */
struct demo_sizes {
	long leads, opportunities, quotes, orders, tickets;
};

/* demo_sales.c: sellers, catalogue, leads and quotas; then the deals,
 * quotes and orders of demo_deals.c and demo_orders.c. */
int demo_sales(struct crm_db *, const struct demo_sizes *);
/* demo_service.c: a support team, tickets with threads and satisfaction
 * answers, and knowledge base articles. */
int demo_service(struct crm_db *, long tickets);
/* demo_marketing.c: campaigns with members from the last `contacts`
 * contacts (this run's), a segment, a list, a template, consents. */
int demo_marketing(struct crm_db *, long campaigns, long contacts);
/* demo_automation.c: a few enabled rules. */
int demo_automation(struct crm_db *);

/* demo_rows.c: many rows per INSERT. A table has a statement for one row
 * and one for DEMO_ROWS rows; values are added column by column (strings
 * are copied), demo_row_end sends a full batch, demo_rows_flush the rest
 * one row at a time. */
#define DEMO_ROWS 50
#define DEMO_MAX_COLS 24
struct demo_rows {
	struct crm_db *db;
	size_t one, many;
	int cols, n, col;
	unsigned long sent;
	size_t used;
	struct crm_db_bind b[DEMO_ROWS * DEMO_MAX_COLS];
	char text[DEMO_ROWS * DEMO_MAX_COLS * 128];
};
struct demo_rows *demo_rows_new(struct crm_db *, size_t one, size_t many, int cols);
void demo_rows_reset(struct demo_rows *);
void demo_i64(struct demo_rows *, long long);
void demo_str(struct demo_rows *, const char *);        /* NULL: SQL NULL */
void demo_money(struct demo_rows *, long long cents);
void demo_decimal(struct demo_rows *, long long v, int scale);
enum crm_err demo_row_end(struct demo_rows *);
enum crm_err demo_rows_flush(struct demo_rows *);

/* Random helpers: 0..n-1, and a pick from an array. */
#define DEMO_PICK(a) (a[randombytes_uniform(CRM_NELEM(a))])
/* "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS" of a time in UTC. */
char *demo_day(char buf[16], long long t);
char *demo_stamp(char buf[24], long long t);

#endif
