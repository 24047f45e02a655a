/* crmctl demo, deals: opportunities created over the last two years, each
 * walked through the default pipeline's open stages (a few days to six
 * weeks in each) until it was won, lost, or today came: the stage history
 * follows the shared convention (each row's left_at is the next row's
 * entered_at, the last row open; amount as it was then). Then quotes with
 * priced lines in every status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "demo_sales.h"
#include "extern.h"

#define CHUNK 2000

static const char *const deal_en[] = { "Office furniture refresh", "Laptop fleet renewal",
	"Managed print contract", "New branch fit-out", "Meeting rooms upgrade", "Annual supplies",
	"Monitor rollout", "Support contract" };
static const char *const deal_zh[] = { "办公家具采购", "笔记本电脑更新", "打印托管合同", "新分公司装修",
	"会议室升级", "年度办公用品", "显示器更换", "技术支持合同" };
static const char *const deal_sources[] = { "Web", "Referral", "Trade show", "Cold call", "Partner",
	"Existing customer" };
static const char *const lost_reasons[] = { "Price", "Went with a competitor", "No decision",
	"Timing", "预算削减" };
/* Of the deals leaving each open stage, the per cent that move on (from
 * the last: that are won); the rest are lost. */
static const unsigned advance[8] = { 62, 66, 70, 72, 75, 75, 75, 75 };

/* A stage history row, kept until its deal's row has gone out. */
struct step {
	long long opp, stage, in, out, amount, user;
};

struct deal_chunk {
	struct demo_sales *d;
	struct demo_rows *opp, *hist;
	struct step *steps;
	size_t nsteps;
	long from, to;
};

static enum crm_err
history_row(struct deal_chunk *ch, long long opp, long long stage, long long in, long long out,
    long long amount, long long user)
{
	struct step *st = &ch->steps[ch->nsteps++];

	st->opp = opp;
	st->stage = stage;
	st->in = in;
	st->out = out;
	st->amount = amount;
	st->user = user;
	return CRM_OK;
}

static enum crm_err
send_step(struct demo_rows *h, const struct step *st)
{
	char a[24], b[24];

	demo_i64(h, st->opp);
	demo_i64(h, st->stage);
	demo_str(h, demo_stamp(a, st->in));
	demo_str(h, st->out ? demo_stamp(b, st->out) : NULL);
	demo_money(h, st->amount);
	demo_i64(h, st->user);
	return demo_row_end(h);
}

/* An amount near the deal's final one, as it stood at an earlier stage. */
static long long
earlier(long long amount)
{
	return amount / 100 * (85 + (long long)randombytes_uniform(31)) / 100 * 100;
}

static enum crm_err
one_deal(struct deal_chunk *ch, long i)
{
	struct demo_sales *d = ch->d;
	long long id = d->next_opp + i + 1, owner = demo_seller(d), account = demo_account(d);
	long long created, t, amount, stage, bp, closed = 0, close;
	char name[160], day[16], stamp[24], cstamp[24];
	const char *lost = "";
	int s = 0, moves, zh = randombytes_uniform(3) == 0;
	unsigned k = randombytes_uniform(CRM_NELEM(deal_en));
	enum crm_err e;

	/* A third of the deals are recent, so the pipeline has open ones. */
	created = d->now - (long long)randombytes_uniform(randombytes_uniform(100) < 35 ? 120 * DEMO_DAY :
	    730 * DEMO_DAY) - DEMO_DAY;
	amount = (2000 + (long long)randombytes_uniform(148000)) * 100 + (long long)randombytes_uniform(100);
	t = created;
	for (;;) {
		long long dwell = (3 + (long long)randombytes_uniform(40)) * DEMO_DAY +
		    (long long)randombytes_uniform(DEMO_DAY);

		if (t + dwell > d->now) {
			/* Still open: expected to close from ten days ago to six months ahead. */
			stage = d->open_stage[s];
			bp = d->open_bp[s];
			close = d->now + ((long long)randombytes_uniform(190) - 10) * DEMO_DAY;
			if ((e = history_row(ch, id, stage, t, 0, amount, owner)) != CRM_OK)
				return e;
			break;
		}
		if ((e = history_row(ch, id, d->open_stage[s], t, t + dwell, earlier(amount), owner)) != CRM_OK)
			return e;
		t += dwell;
		moves = randombytes_uniform(100) < advance[s];
		if (moves && s + 1 < d->nopen) {
			s++;
			continue;
		}
		if (moves) {
			stage = d->won_stage;
			bp = 10000;
		} else {
			stage = d->lost_stage;
			bp = 0;
			lost = DEMO_PICK(lost_reasons);
		}
		closed = t;
		close = t;
		if ((e = history_row(ch, id, stage, t, 0, amount, owner)) != CRM_OK)
			return e;
		break;
	}
	d->opp_account[i] = account;
	snprintf(name, sizeof(name), "%s #%lld", zh ? deal_zh[k] : deal_en[k], id);
	demo_i64(ch->opp, id);
	demo_str(ch->opp, name);
	demo_i64(ch->opp, account);
	demo_i64(ch->opp, d->pipeline_id);
	demo_i64(ch->opp, stage);
	demo_money(ch->opp, amount);
	demo_decimal(ch->opp, bp, CRM_PERCENT_SCALE);
	demo_str(ch->opp, demo_day(day, close));
	demo_str(ch->opp, DEMO_PICK(deal_sources));
	demo_str(ch->opp, lost);
	demo_i64(ch->opp, owner);
	demo_str(ch->opp, closed ? demo_stamp(cstamp, closed) : NULL);
	demo_str(ch->opp, demo_stamp(stamp, created));
	return demo_row_end(ch->opp);
}

static enum crm_err
deal_chunk(struct crm_db *db, void *arg)
{
	struct deal_chunk *ch = arg;
	enum crm_err e;
	size_t k;
	long i;

	(void)db;
	demo_rows_reset(ch->opp);
	demo_rows_reset(ch->hist);
	ch->nsteps = 0;
	for (i = ch->from; i < ch->to; i++)
		if ((e = one_deal(ch, i)) != CRM_OK)
			return e;
	/* The deals first: their history rows point at them. */
	if ((e = demo_rows_flush(ch->opp)) != CRM_OK)
		return e;
	for (k = 0; k < ch->nsteps; k++)
		if ((e = send_step(ch->hist, &ch->steps[k])) != CRM_OK)
			return e;
	return demo_rows_flush(ch->hist);
}

enum crm_err
demo_deals(struct demo_sales *d)
{
	struct deal_chunk ch;
	enum crm_err e = CRM_OK;
	long i;

	memset(&ch, 0, sizeof(ch));
	ch.d = d;
	d->opp_account = crm_xcalloc((size_t)(d->sz->opportunities ? d->sz->opportunities : 1),
	    sizeof(*d->opp_account));
	ch.opp = demo_rows_new(d->db, STMT_DEMO_OPP_1, STMT_DEMO_OPP_N, 13);
	ch.hist = demo_rows_new(d->db, STMT_DEMO_HISTORY_1, STMT_DEMO_HISTORY_N, 6);
	/* A deal has a row per open stage and one for its end at most. */
	ch.steps = crm_xcalloc((size_t)CHUNK * (size_t)(d->nopen + 1), sizeof(*ch.steps));
	for (i = 0; i < d->sz->opportunities && e == CRM_OK; i += CHUNK) {
		ch.from = i;
		ch.to = i + CHUNK < d->sz->opportunities ? i + CHUNK : d->sz->opportunities;
		e = crm_db_tx(d->db, deal_chunk, &ch);
	}
	free(ch.opp);
	free(ch.hist);
	free(ch.steps);
	return e;
}

static const char *const quote_status[] = { "draft", "draft", "pending_approval", "approved",
	"rejected", "sent", "sent", "sent", "accepted", "accepted", "accepted", "declined", "expired",
	"expired" };
static const long long discounts[] = { 0, 0, 0, 500, 1000, 2000 };

struct qline {
	long long quote, product, qty, price, discount, tax_bp;
	struct crm_line_amounts a;
	int position;
};

static int
is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* One quote and its lines (kept in lines until the quotes are in). */
static enum crm_err
one_quote(struct demo_sales *d, struct demo_rows *r, long i, struct qline *lines, size_t *nlines)
{
	long long id = d->next_quote + i + 1, created, sent, sub = 0, disc = 0, tax = 0, total = 0, maxd = 0;
	long long opp = 0, account, book, owner = demo_seller(d);
	const char *status = DEMO_PICK(quote_status), *currency = d->base;
	char number[32], title[96], valid[16], a1[24], a2[24], a3[24], a4[24];
	int which = randombytes_uniform(10), n = 1 + (int)randombytes_uniform(5), k;
	int approved, needs;

	created = d->now - (long long)randombytes_uniform(365 * DEMO_DAY);
	if (is(status, "expired") && created + 30 * DEMO_DAY >= d->now)
		status = "sent";
	sent = created + DEMO_DAY;
	if (d->sz->opportunities > 0 && randombytes_uniform(10) < 7) {
		long o = (long)randombytes_uniform((uint32_t)d->sz->opportunities);

		opp = d->next_opp + o + 1;
		account = d->opp_account[o];
	} else
		account = demo_account(d);
	book = which < 7 ? DEMO_BOOK_STANDARD : which < 9 ? DEMO_BOOK_WHOLESALE : DEMO_BOOK_FOREIGN;
	if (book == DEMO_BOOK_FOREIGN)
		currency = d->foreign;
	needs = is(status, "pending_approval") || is(status, "rejected");
	for (k = 0; k < n; k++) {
		struct qline *l = &lines[(*nlines)++];
		struct demo_line dl;
		long long dbp = needs && k == 0 ? 2000 : DEMO_PICK(discounts);

		if (demo_line(d, (int)book, 25, dbp, &dl) != 0)
			return CRM_EINVAL;
		l->quote = id;
		l->position = k + 1;
		l->product = dl.p->id;
		l->qty = dl.qty;
		l->price = dl.price;
		l->discount = dbp;
		l->tax_bp = dl.p->tax_bp;
		l->a = dl.a;
		sub += dl.a.net;
		disc += dl.a.discount;
		tax += dl.a.tax;
		total += dl.a.total;
		maxd = dbp > maxd ? dbp : maxd;
	}
	/* Over the approval threshold (15 %), a quote is approved before it goes out. */
	approved = maxd > 1500 && !is(status, "draft") && !is(status, "pending_approval");
	snprintf(number, sizeof(number), "Q-%.4s-%05lld", demo_day(valid, created), id);
	snprintf(title, sizeof(title), "%s %lld", randombytes_uniform(3) ? "Quotation" : "报价单", id);
	demo_i64(r, id);
	demo_str(r, number);
	if (opp)
		demo_i64(r, opp);
	else
		demo_str(r, NULL);
	demo_i64(r, account);
	demo_i64(r, book == DEMO_BOOK_STANDARD ? d->book_standard : book == DEMO_BOOK_WHOLESALE ?
	    d->book_wholesale : d->book_foreign);
	demo_str(r, currency);
	demo_str(r, title);
	demo_str(r, status);
	demo_str(r, demo_day(valid, created + 30 * DEMO_DAY));
	demo_money(r, sub);
	demo_money(r, disc);
	demo_money(r, tax);
	demo_money(r, total);
	demo_decimal(r, maxd, CRM_PERCENT_SCALE);
	if (approved || is(status, "rejected")) {
		demo_i64(r, d->sellers[0]);
		demo_str(r, demo_stamp(a1, created + DEMO_DAY / 2));
	} else {
		demo_str(r, NULL);
		demo_str(r, NULL);
	}
	if (is(status, "sent") || is(status, "accepted") || is(status, "declined") || is(status, "expired"))
		demo_str(r, demo_stamp(a2, sent));
	else
		demo_str(r, NULL);
	if (is(status, "accepted")) {
		demo_str(r, demo_stamp(a3, sent + 3 * DEMO_DAY));
		demo_str(r, randombytes_uniform(2) ? "Grace Lee" : "张伟");
	} else {
		demo_str(r, NULL);
		demo_str(r, "");
	}
	demo_i64(r, owner);
	demo_str(r, demo_stamp(a4, created));
	return demo_row_end(r);
}

static enum crm_err
send_line(struct demo_rows *r, const struct qline *l)
{
	demo_i64(r, l->quote);
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

struct quote_job {
	struct demo_sales *d;
	struct demo_rows *q, *l;
	struct qline *lines;
};

static enum crm_err
quotes_tx(struct crm_db *db, void *arg)
{
	struct quote_job *j = arg;
	size_t n = 0, k;
	enum crm_err e;
	long i;

	(void)db;
	demo_rows_reset(j->q);
	demo_rows_reset(j->l);
	for (i = 0; i < j->d->sz->quotes; i++)
		if ((e = one_quote(j->d, j->q, i, j->lines, &n)) != CRM_OK)
			return e;
	if ((e = demo_rows_flush(j->q)) != CRM_OK)
		return e;
	for (k = 0; k < n; k++)
		if ((e = send_line(j->l, &j->lines[k])) != CRM_OK)
			return e;
	return demo_rows_flush(j->l);
}

enum crm_err
demo_quotes(struct demo_sales *d)
{
	struct quote_job j;
	enum crm_err e;

	j.d = d;
	j.q = demo_rows_new(d->db, STMT_DEMO_QUOTE_1, STMT_DEMO_QUOTE_N, 21);
	j.l = demo_rows_new(d->db, STMT_DEMO_QUOTE_LINE_1, STMT_DEMO_QUOTE_LINE_N, 11);
	j.lines = crm_xcalloc((size_t)(d->sz->quotes ? d->sz->quotes : 1) * 5, sizeof(*j.lines));
	e = crm_db_tx(d->db, quotes_tx, &j);
	free(j.q);
	free(j.l);
	free(j.lines);
	return e;
}
