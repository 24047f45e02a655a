/* crmctl demo, orders: two years of orders (and this month's so far) with
 * a growing trend and a seasonal pattern (a year-end peak, a summer dip),
 * so the trend forecast has something real to fit; their lines priced by
 * crm_line_amounts and total_base from the totals at the book's rate.
 * Most delivered orders are invoiced, numbered without gaps per year from
 * invoice_counters, and most invoices are paid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "demo_sales.h"
#include "extern.h"

#define CHUNK 1000

/* Relative sales per month of the year, January first. */
static const double season[12] = { 0.85, 0.80, 0.95, 1.00, 1.00, 0.90, 0.78, 0.82, 1.05, 1.10, 1.25, 1.45 };
static const char *const methods[] = { "Bank transfer", "Card", "支付宝 Alipay", "微信支付 WeChat Pay" };

struct order {
	long long id, t, account, owner, subtotal, tax, total, delivered;
	int foreign, cancelled;
};

struct oline {
	long long order, product, qty, price, discount, tax_bp;
	struct crm_line_amounts a;
	int position;
};

struct order_job {
	struct demo_sales *d;
	struct order *orders;
	long from, to;
	struct demo_rows *o, *l, *inv, *pay;
	struct oline *lines;
};

static int
by_time(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

static long long
first_of_month(int ym)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = ym / 12 - 1900;
	tm.tm_mon = ym % 12;
	tm.tm_mday = 1;
	return (long long)timegm(&tm);
}

/* When each order was placed, oldest first: a month drawn by weight, then
 * a moment in it (this month's only up to now). */
static void
order_times(struct demo_sales *d, long long *t, long n)
{
	double w[25], total = 0.0;
	int now_ym, j;
	long i;
	time_t now = (time_t)d->now;
	struct tm tm;

	gmtime_r(&now, &tm);
	now_ym = (tm.tm_year + 1900) * 12 + tm.tm_mon;
	d->first_month = now_ym - 24;
	for (j = 0; j < 25; j++) {
		long long start = first_of_month(d->first_month + j), end = first_of_month(d->first_month + j + 1);

		w[j] = (1.0 + 0.6 * j / 23.0) * season[(d->first_month + j) % 12];
		if (j == 24)
			w[j] *= (double)(d->now - start) / (double)(end - start);
		total += w[j];
	}
	for (i = 0; i < n; i++) {
		double r = randombytes_uniform(1000000) / 1e6 * total;
		long long start, span;

		for (j = 0; j < 24 && r >= w[j]; j++)
			r -= w[j];
		start = first_of_month(d->first_month + j);
		span = (j == 24 ? d->now : first_of_month(d->first_month + j + 1)) - start;
		t[i] = start + (long long)randombytes_uniform((uint32_t)(span > 1 ? span : 1));
	}
	qsort(t, (size_t)n, sizeof(*t), by_time);
}

/* Half the accounts buy (the even ones), and a third of those stop on a
 * day of the two years drawn from their id, so the churn model has
 * something to find: an order that falls to another account, or to a
 * customer after that day, goes to another. */
static int
not_buying(long long account, long long t, long long now)
{
	return account % 2 != 0 || (account % 3 == 0 && t > now - (30 + (account * 7919) % 600) * DEMO_DAY);
}

static enum crm_err
one_order(struct order_job *j, long i, size_t *nlines)
{
	struct demo_sales *d = j->d;
	struct order *o = &j->orders[i];
	long long shipped = 0, cancelled = 0, base;
	char number[32], day[16], d1[16], d2[16], d3[16], stamp[24];
	int which = randombytes_uniform(100), book, n = 1 + (int)randombytes_uniform(4), k;

	book = which < 75 ? DEMO_BOOK_STANDARD : which < 92 ? DEMO_BOOK_WHOLESALE : DEMO_BOOK_FOREIGN;
	o->id = d->next_order + i + 1;
	o->subtotal = o->tax = o->total = o->delivered = 0;
	o->cancelled = 0;
	o->account = demo_account(d);
	for (k = 0; k < 16 && not_buying(o->account, o->t, d->now); k++)
		o->account = demo_account(d);
	o->owner = demo_seller(d);
	o->foreign = book == DEMO_BOOK_FOREIGN;
	for (k = 0; k < n; k++) {
		struct oline *l = &j->lines[(*nlines)++];
		struct demo_line dl;

		if (demo_line(d, book, 12, randombytes_uniform(5) ? 0 : 500, &dl) != 0)
			return CRM_EINVAL;
		l->order = o->id;
		l->position = k + 1;
		l->product = dl.p->id;
		l->qty = dl.qty;
		l->price = dl.price;
		l->discount = dl.discount_bp;
		l->tax_bp = dl.p->tax_bp;
		l->a = dl.a;
		o->subtotal += dl.a.net;
		o->tax += dl.a.tax;
		o->total += dl.a.total;
	}
	base = o->total;
	if (o->foreign && crm_muldiv(o->total, 100000000, d->rate, &base) != 0)
		return CRM_EINVAL;
	if (randombytes_uniform(100) < 4) {
		o->cancelled = 1;
		cancelled = o->t + (long long)randombytes_uniform(3) * DEMO_DAY;
		cancelled = cancelled > d->now ? o->t : cancelled;
	} else {
		shipped = o->t + (1 + (long long)randombytes_uniform(4)) * DEMO_DAY;
		o->delivered = shipped + (1 + (long long)randombytes_uniform(6)) * DEMO_DAY;
		if (o->delivered > d->now)
			o->delivered = 0;
		if (shipped > d->now)
			shipped = 0;
	}
	snprintf(number, sizeof(number), "SO-%.4s-%05lld", demo_day(day, o->t), o->id);
	demo_i64(j->o, o->id);
	demo_str(j->o, number);
	demo_i64(j->o, o->account);
	demo_str(j->o, o->foreign ? d->foreign : d->base);
	demo_str(j->o, o->cancelled ? "cancelled" : o->delivered ? "delivered" : shipped ? "shipped" : "confirmed");
	demo_str(j->o, day);
	demo_str(j->o, shipped ? demo_day(d1, shipped) : NULL);
	demo_str(j->o, o->delivered ? demo_day(d2, o->delivered) : NULL);
	demo_str(j->o, cancelled ? demo_day(d3, cancelled) : NULL);
	demo_money(j->o, o->subtotal);
	demo_money(j->o, o->tax);
	demo_money(j->o, o->total);
	demo_money(j->o, base);
	demo_i64(j->o, o->owner);
	demo_str(j->o, demo_stamp(stamp, o->t));
	if (!o->cancelled) {
		time_t tt = (time_t)o->t;
		struct tm tm;

		gmtime_r(&tt, &tm);
		k = (tm.tm_year + 1900) * 12 + tm.tm_mon - d->first_month;
		if (k >= 0 && k < 25)
			d->month_total[k] += base;
	}
	return demo_row_end(j->o);
}

static enum crm_err
send_line(struct demo_rows *r, const struct oline *l)
{
	demo_i64(r, l->order);
	demo_i64(r, l->position);
	demo_i64(r, l->product);
	demo_str(r, "");
	demo_decimal(r, l->qty, CRM_QTY_SCALE);
	demo_money(r, l->price);
	demo_decimal(r, l->discount, CRM_PERCENT_SCALE);
	demo_decimal(r, l->tax_bp, CRM_PERCENT_SCALE);
	demo_money(r, l->a.net);
	demo_money(r, l->a.tax);
	demo_money(r, l->a.total);
	return demo_row_end(r);
}

static enum crm_err
orders_tx(struct crm_db *db, void *arg)
{
	struct order_job *j = arg;
	size_t n = 0, k;
	enum crm_err e;
	long i;

	(void)db;
	demo_rows_reset(j->o);
	demo_rows_reset(j->l);
	for (i = j->from; i < j->to; i++)
		if ((e = one_order(j, i, &n)) != CRM_OK)
			return e;
	if ((e = demo_rows_flush(j->o)) != CRM_OK)
		return e;
	for (k = 0; k < n; k++)
		if ((e = send_line(j->l, &j->lines[k])) != CRM_OK)
			return e;
	return demo_rows_flush(j->l);
}

static int
by_delivery(const void *a, const void *b)
{
	const struct order *x = *(const struct order *const *)a, *y = *(const struct order *const *)b;

	if (x->delivered != y->delivered)
		return (x->delivered > y->delivered) - (x->delivered < y->delivered);
	return (x->id > y->id) - (x->id < y->id);
}

struct payment {
	long long invoice, amount, on, user;
};

/* Invoices for most delivered orders in the order of delivery, each
 * year's numbers going on from its counter; payments for most of them. */
static enum crm_err
invoices_tx(struct crm_db *db, void *arg)
{
	struct order_job *j = arg;
	struct demo_sales *d = j->d;
	long n = d->sz->orders, i, ninv = 0, npay = 0;
	struct order **due = crm_xcalloc((size_t)(n ? n : 1), sizeof(*due));
	struct payment *pays = crm_xcalloc((size_t)(n ? n : 1), sizeof(*pays));
	long long last[3000 - 1970];
	int touched[3000 - 1970];
	struct crm_db_bind b[2];
	json_t *rows = NULL, *row;
	enum crm_err e;
	size_t k;
	int y;

	memset(last, 0, sizeof(last));
	memset(touched, 0, sizeof(touched));
	demo_rows_reset(j->inv);
	demo_rows_reset(j->pay);
	if ((e = crm_db_rows(db, STMT_DEMO_COUNTERS, NULL, 0, &rows)) != CRM_OK)
		goto out;
	json_array_foreach(rows, k, row) {
		y = (int)json_integer_value(json_object_get(row, "year"));
		if (y >= 1970 && y < 3000)
			last[y - 1970] = json_integer_value(json_object_get(row, "last_number"));
	}
	json_decref(rows);
	for (i = 0; i < n; i++)
		if (j->orders[i].delivered && randombytes_uniform(100) < 92)
			due[ninv++] = &j->orders[i];
	qsort(due, (size_t)ninv, sizeof(*due), by_delivery);
	for (i = 0; i < ninv; i++) {
		struct order *o = due[i];
		long long id = d->next_invoice + i + 1, issued = o->delivered, age = d->now - issued, paid = 0;
		char number[32], day[16], dueon[16];
		unsigned r = randombytes_uniform(100);

		demo_day(day, issued);
		y = atoi(day);
		if (y < 1970 || y >= 3000) {
			e = CRM_EINVAL;
			goto out;
		}
		touched[y - 1970] = 1;
		snprintf(number, sizeof(number), "INV-%04d-%06lld", y, ++last[y - 1970]);
		if ((age > 45 * DEMO_DAY && r < 85) || (age > 10 * DEMO_DAY && r < 45))
			paid = o->total;
		else if (age > 10 * DEMO_DAY && r < 90)
			paid = o->total / 2;
		if (paid > 0) {
			long long on = issued + (3 + (long long)randombytes_uniform(38)) * DEMO_DAY;

			pays[npay].invoice = id;
			pays[npay].amount = paid;
			pays[npay].on = on > d->now ? d->now : on;
			pays[npay++].user = o->owner;
		}
		demo_i64(j->inv, id);
		demo_str(j->inv, number);
		demo_i64(j->inv, y);
		demo_i64(j->inv, last[y - 1970]);
		demo_i64(j->inv, o->id);
		demo_i64(j->inv, o->account);
		demo_str(j->inv, o->foreign ? d->foreign : d->base);
		demo_str(j->inv, day);
		demo_str(j->inv, demo_day(dueon, issued + 30 * DEMO_DAY));
		demo_money(j->inv, o->subtotal);
		demo_money(j->inv, o->tax);
		demo_money(j->inv, o->total);
		demo_money(j->inv, paid);
		demo_str(j->inv, paid == 0 ? "unpaid" : paid < o->total ? "partly_paid" : "paid");
		demo_i64(j->inv, o->owner);
		if ((e = demo_row_end(j->inv)) != CRM_OK)
			goto out;
	}
	if ((e = demo_rows_flush(j->inv)) != CRM_OK)
		goto out;
	for (i = 0; i < npay; i++) {
		char day[16], ref[32];

		snprintf(ref, sizeof(ref), "PAY-%lld", pays[i].invoice);
		demo_i64(j->pay, pays[i].invoice);
		demo_money(j->pay, pays[i].amount);
		demo_str(j->pay, demo_day(day, pays[i].on));
		demo_str(j->pay, DEMO_PICK(methods));
		demo_str(j->pay, ref);
		demo_i64(j->pay, pays[i].user);
		if ((e = demo_row_end(j->pay)) != CRM_OK)
			goto out;
	}
	if ((e = demo_rows_flush(j->pay)) != CRM_OK)
		goto out;
	for (y = 0; y < 3000 - 1970; y++) {
		if (!touched[y])
			continue;
		crm_db_bind_i64(&b[0], y + 1970);
		crm_db_bind_i64(&b[1], last[y]);
		if ((e = crm_db_exec(db, STMT_DEMO_COUNTER_PUT, b, 2, NULL, NULL)) != CRM_OK)
			goto out;
	}
out:
	free(due);
	free(pays);
	return e;
}

enum crm_err
demo_orders(struct demo_sales *d)
{
	struct order_job j;
	long long *t;
	enum crm_err e = CRM_OK;
	long n = d->sz->orders, i;

	memset(&j, 0, sizeof(j));
	j.d = d;
	j.orders = crm_xcalloc((size_t)(n ? n : 1), sizeof(*j.orders));
	t = crm_xcalloc((size_t)(n ? n : 1), sizeof(*t));
	order_times(d, t, n);
	for (i = 0; i < n; i++)
		j.orders[i].t = t[i];
	free(t);
	j.o = demo_rows_new(d->db, STMT_DEMO_ORDER_1, STMT_DEMO_ORDER_N, 15);
	j.l = demo_rows_new(d->db, STMT_DEMO_ORDER_LINE_1, STMT_DEMO_ORDER_LINE_N, 11);
	j.inv = demo_rows_new(d->db, STMT_DEMO_INVOICE_1, STMT_DEMO_INVOICE_N, 15);
	j.pay = demo_rows_new(d->db, STMT_DEMO_PAYMENT_1, STMT_DEMO_PAYMENT_N, 6);
	j.lines = crm_xcalloc((size_t)CHUNK * 4, sizeof(*j.lines));
	for (i = 0; i < n && e == CRM_OK; i += CHUNK) {
		j.from = i;
		j.to = i + CHUNK < n ? i + CHUNK : n;
		e = crm_db_tx(d->db, orders_tx, &j);
	}
	if (e == CRM_OK && n > 0)
		e = crm_db_tx(d->db, invoices_tx, &j);
	free(j.o);
	free(j.l);
	free(j.inv);
	free(j.pay);
	free(j.lines);
	free(j.orders);
	return e;
}
