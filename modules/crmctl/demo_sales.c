/* crmctl demo, sales: a sales team, a catalogue of products in English and
 * Chinese with a wholesale book and a book in a foreign currency, leads
 * in every status, then deals with two years of stage history, quotes,
 * orders with their invoices and payments (demo_deals.c, demo_orders.c),
 * and the sellers' quotas for this year and next. Rows are numbered here
 * (from the tables' highest ids) and inserted many at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crm_password.h"
#include "demo_sales.h"
#include "extern.h"

#define WHOLESALE "Wholesale"

static const struct {
	const char *email, *name, *role, *lang;
} team[] = {
	{ "demo.laura.king@example.com", "Laura King", "manager", "en" },
	{ "demo.chen.jing@example.com", "陈静", "sales", "zh_CN" },
	{ "demo.james.miller@example.com", "James Miller", "sales", "en" },
	{ "demo.wang.lei@example.com", "王磊", "sales", "zh_CN" },
	{ "demo.sophie.clark@example.com", "Sophie Clark", "sales", "en" },
};

/* 40 products in five categories: SKU, English and Chinese names, unit,
 * list price, tax rate. */
static const struct {
	const char *sku, *en, *zh, *category, *unit, *price, *tax;
} catalogue[] = {
	{ "DEMO-CH-01", "Ergonomic office chair", "人体工学办公椅", "Furniture", "each", "289.00", "13.00" },
	{ "DEMO-CH-02", "Executive leather chair", "行政真皮座椅", "Furniture", "each", "649.00", "13.00" },
	{ "DEMO-DK-01", "Standing desk 160 cm", "升降办公桌 160厘米", "Furniture", "each", "799.00", "13.00" },
	{ "DEMO-DK-02", "Meeting table for 8", "八人会议桌", "Furniture", "each", "1450.00", "13.00" },
	{ "DEMO-CB-01", "Steel filing cabinet", "钢制文件柜", "Furniture", "each", "239.50", "13.00" },
	{ "DEMO-CB-02", "Mobile pedestal", "移动矮柜", "Furniture", "each", "129.00", "13.00" },
	{ "DEMO-SF-01", "Reception sofa", "接待沙发", "Furniture", "each", "1190.00", "13.00" },
	{ "DEMO-BK-01", "Bookshelf, oak", "橡木书架", "Furniture", "each", "345.00", "13.00" },
	{ "DEMO-LP-01", "Laptop 14\" business", "14英寸商务笔记本电脑", "Computers", "each", "1099.00", "13.00" },
	{ "DEMO-LP-02", "Laptop 16\" workstation", "16英寸移动工作站", "Computers", "each", "2399.00", "13.00" },
	{ "DEMO-DT-01", "Desktop PC", "台式电脑", "Computers", "each", "849.00", "13.00" },
	{ "DEMO-MN-01", "Monitor 27\" 4K", "27英寸4K显示器", "Computers", "each", "379.00", "13.00" },
	{ "DEMO-MN-02", "Monitor 24\"", "24英寸显示器", "Computers", "each", "189.90", "13.00" },
	{ "DEMO-KB-01", "Wireless keyboard and mouse", "无线键鼠套装", "Computers", "set", "59.90", "13.00" },
	{ "DEMO-DS-01", "Docking station", "扩展坞", "Computers", "each", "219.00", "13.00" },
	{ "DEMO-TB-01", "Tablet 11\"", "11英寸平板电脑", "Computers", "each", "599.00", "13.00" },
	{ "DEMO-PR-01", "Laser printer", "激光打印机", "Printing", "each", "459.00", "13.00" },
	{ "DEMO-PR-02", "Colour multifunction printer", "彩色多功能一体机", "Printing", "each", "1290.00", "13.00" },
	{ "DEMO-TN-01", "Toner cartridge, black", "黑色硒鼓", "Printing", "each", "89.00", "13.00" },
	{ "DEMO-TN-02", "Toner set, colour", "彩色硒鼓套装", "Printing", "set", "259.00", "13.00" },
	{ "DEMO-PP-01", "Copy paper A4, box of 5 reams", "A4复印纸（5包/箱）", "Printing", "box", "27.50", "13.00" },
	{ "DEMO-PP-02", "Photo paper A4", "A4相纸", "Printing", "pack", "18.90", "13.00" },
	{ "DEMO-SC-01", "Document scanner", "文件扫描仪", "Printing", "each", "399.00", "13.00" },
	{ "DEMO-LB-01", "Label printer", "标签打印机", "Printing", "each", "149.00", "13.00" },
	{ "DEMO-SV-01", "Installation, per hour", "安装服务（每小时）", "Services", "hour", "85.00", "6.00" },
	{ "DEMO-SV-02", "On-site support, per day", "上门技术支持（每天）", "Services", "day", "640.00", "6.00" },
	{ "DEMO-SV-03", "Extended warranty, 3 years", "三年延保服务", "Services", "each", "149.00", "6.00" },
	{ "DEMO-SV-04", "Office move planning", "办公室搬迁规划", "Services", "each", "2500.00", "6.00" },
	{ "DEMO-SV-05", "Training session", "培训课程", "Services", "each", "450.00", "6.00" },
	{ "DEMO-SV-06", "Managed print, per month", "打印托管服务（每月）", "Services", "month", "390.00", "6.00" },
	{ "DEMO-SV-07", "Data migration", "数据迁移服务", "Services", "each", "1200.00", "6.00" },
	{ "DEMO-SV-08", "Network cabling, per point", "网络布线（每点）", "Services", "each", "65.00", "6.00" },
	{ "DEMO-SP-01", "Whiteboard 180 x 90", "白板 180×90", "Supplies", "each", "119.00", "13.00" },
	{ "DEMO-SP-02", "Desk lamp LED", "LED台灯", "Supplies", "each", "45.00", "13.00" },
	{ "DEMO-SP-03", "Notebooks, pack of 10", "笔记本（10本装）", "Supplies", "pack", "24.00", "13.00" },
	{ "DEMO-SP-04", "Gel pens, box of 50", "中性笔（50支/盒）", "Supplies", "box", "19.50", "13.00" },
	{ "DEMO-SP-05", "Coffee machine", "咖啡机", "Supplies", "each", "699.00", "13.00" },
	{ "DEMO-SP-06", "Water dispenser", "饮水机", "Supplies", "each", "229.00", "13.00" },
	{ "DEMO-SP-07", "Shredder", "碎纸机", "Supplies", "each", "179.00", "13.00" },
	{ "DEMO-SP-08", "First aid kit", "急救箱", "Supplies", "each", "39.90", "13.00" },
};

long long
demo_seller(const struct demo_sales *d)
{
	return d->sellers[randombytes_uniform((uint32_t)d->nsellers)];
}

long long
demo_account(const struct demo_sales *d)
{
	return demo_ids_pick(&d->accounts);
}

int
demo_line(const struct demo_sales *d, int book, long long max_qty, long long discount_bp,
    struct demo_line *l)
{
	l->p = &d->products[randombytes_uniform((uint32_t)d->nproducts)];
	l->qty = (1 + (long long)randombytes_uniform((uint32_t)max_qty)) * 1000;
	l->price = book == DEMO_BOOK_WHOLESALE ? l->p->wholesale : book == DEMO_BOOK_FOREIGN ?
	    l->p->foreign : l->p->list;
	l->discount_bp = discount_bp;
	return crm_line_amounts(l->qty, l->price, discount_bp, l->p->tax_bp, &l->a);
}

/* Four sellers and their manager in one team, unless there already. They
 * share one random password nobody knows: an admin sets theirs to use
 * them. */
static enum crm_err
add_team(struct crm_db *db, void *arg)
{
	struct crm_db_bind b[6];
	char password[21], hash[128];
	json_t *row = NULL;
	long long team_id;
	enum crm_err e;
	size_t i;

	(void)arg;
	crm_db_bind_str(&b[0], "Demo sales", (size_t)-1);
	if ((e = crm_db_exec(db, STMT_DEMO_TEAM, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_row(db, STMT_DEMO_TEAM_ID, b, 1, &row)) != CRM_OK)
		return e;
	team_id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	crm_password_generate(password);
	if ((e = crm_password_hash(password, hash)) != CRM_OK)
		return e;
	for (i = 0; i < CRM_NELEM(team); i++) {
		crm_db_bind_str(&b[0], team[i].email, (size_t)-1);
		crm_db_bind_str(&b[1], team[i].name, (size_t)-1);
		crm_db_bind_str(&b[2], hash, (size_t)-1);
		crm_db_bind_i64(&b[3], team_id);
		crm_db_bind_str(&b[4], team[i].lang, (size_t)-1);
		crm_db_bind_str(&b[5], team[i].role, (size_t)-1);
		if ((e = crm_db_exec(db, STMT_DEMO_USER, b, 6, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

static int
price_of(const char *s, int scale, long long *v)
{
	return s ? crm_decimal_parse(s, scale, 18, v) : -1;
}

/* The catalogue, a wholesale book at about 85 % of list, and a book in
 * the foreign currency with its own prices for half the products (the
 * rest falls back to the list price at the rate). */
static enum crm_err
add_catalogue(struct crm_db *db, void *arg)
{
	struct demo_sales *d = arg;
	struct crm_db_bind b[7];
	char buf[CRM_DECIMAL_MAX], foreign_name[64];
	json_t *rows = NULL, *row;
	enum crm_err e;
	size_t i;

	for (i = 0; i < CRM_NELEM(catalogue); i++) {
		int zh = i % 2;

		crm_db_bind_str(&b[0], catalogue[i].sku, (size_t)-1);
		crm_db_bind_str(&b[1], zh ? catalogue[i].zh : catalogue[i].en, (size_t)-1);
		crm_db_bind_str(&b[2], zh ? catalogue[i].en : catalogue[i].zh, (size_t)-1);
		crm_db_bind_str(&b[3], catalogue[i].category, (size_t)-1);
		crm_db_bind_str(&b[4], catalogue[i].unit, (size_t)-1);
		crm_db_bind_str(&b[5], catalogue[i].price, (size_t)-1);
		crm_db_bind_str(&b[6], catalogue[i].tax, (size_t)-1);
		if ((e = crm_db_exec(db, STMT_DEMO_PRODUCT, b, 7, NULL, NULL)) != CRM_OK)
			return e;
	}
	snprintf(foreign_name, sizeof(foreign_name), "Europe (%s)", d->foreign);
	crm_db_bind_str(&b[0], WHOLESALE, (size_t)-1);
	crm_db_bind_null(&b[1]);
	if ((e = crm_db_exec(db, STMT_DEMO_BOOK, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], foreign_name, (size_t)-1);
	crm_db_bind_str(&b[1], d->foreign, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_DEMO_BOOK, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], d->foreign, (size_t)-1);
	crm_db_bind_str(&b[1], crm_decimal_format(buf, d->rate, CRM_RATE_SCALE), (size_t)-1);
	if ((e = crm_db_exec(db, STMT_DEMO_RATE, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], WHOLESALE, (size_t)-1);
	crm_db_bind_str(&b[1], foreign_name, (size_t)-1);
	if ((e = crm_db_row(db, STMT_DEMO_BOOKS, b, 2, &row)) != CRM_OK)
		return e;
	d->book_standard = json_integer_value(json_object_get(row, "standard"));
	d->book_wholesale = json_integer_value(json_object_get(row, "wholesale"));
	d->book_foreign = json_integer_value(json_object_get(row, "foreign_book"));
	json_decref(row);
	if ((e = crm_db_rows(db, STMT_DEMO_PRODUCTS, NULL, 0, &rows)) != CRM_OK)
		return e;
	free(d->products);
	d->nproducts = json_array_size(rows);
	d->products = crm_xcalloc(d->nproducts ? d->nproducts : 1, sizeof(*d->products));
	json_array_foreach(rows, i, row) {
		struct demo_product *p = &d->products[i];

		p->id = json_integer_value(json_object_get(row, "id"));
		if (price_of(json_string_value(json_object_get(row, "list_price")), 2, &p->list) != 0 ||
		    price_of(json_string_value(json_object_get(row, "tax_rate")), 2, &p->tax_bp) != 0 ||
		    crm_muldiv(p->list, 85, 100, &p->wholesale) != 0 ||
		    crm_money_convert(p->list, d->rate, &p->foreign) != 0) {
			json_decref(rows);
			return CRM_EINVAL;
		}
		crm_db_bind_i64(&b[0], d->book_wholesale);
		crm_db_bind_i64(&b[1], p->id);
		crm_db_bind_str(&b[2], crm_money_format(buf, p->wholesale), (size_t)-1);
		if ((e = crm_db_exec(db, STMT_DEMO_PRICE, b, 3, NULL, NULL)) != CRM_OK)
			break;
		if (i % 2)
			continue;
		/* The foreign book's own price: rounded up to the whole unit. */
		p->foreign = (p->foreign + 99) / 100 * 100;
		crm_db_bind_i64(&b[0], d->book_foreign);
		crm_db_bind_str(&b[2], crm_money_format(buf, p->foreign), (size_t)-1);
		if ((e = crm_db_exec(db, STMT_DEMO_PRICE, b, 3, NULL, NULL)) != CRM_OK)
			break;
	}
	json_decref(rows);
	return e;
}

static const char *const given_en[] = { "Oliver", "Amelia", "Noah", "Isla", "Leo", "Ava", "Lucas",
	"Mia", "Ethan", "Chloe", "Henry", "Zoe" };
static const char *const family_en[] = { "Adams", "Baker", "Carter", "Evans", "Foster", "Green",
	"Hughes", "Morgan", "Parker", "Reed", "Turner", "Ward" };
static const char *const given_zh[] = { "晓明", "丽华", "建国", "海燕", "志强", "雪梅", "俊杰", "婷婷" };
static const char *const family_zh[] = { "王", "李", "张", "刘", "陈", "孙", "马", "朱" };
static const char *const companies[] = { "Acme Retail", "Bluewave Clinics", "Northgate Schools",
	"Harbor Logistics", "Pinnacle Law", "Orchid Hotels", "上海明珠餐饮有限公司", "深圳创新电子有限公司",
	"杭州绿源科技有限公司", "北京华信咨询有限公司", "Vertex Architects", "Cobalt Studios" };
static const char *const lead_titles[] = { "Office Manager", "IT Lead", "Facilities Director",
	"Purchasing", "行政主管", "采购经理", "总经理", "CFO" };
static const char *const lead_sources[] = { "Web", "Web form", "Referral", "Trade show", "Cold call",
	"Partner", "Advertising" };
static const char *const lead_status[] = { "new", "new", "new", "contacted", "contacted", "contacted",
	"qualified", "qualified", "qualified", "disqualified" };
static const char *const dq_reasons[] = { "No budget", "Went with a competitor", "Not the decision maker",
	"预算不足", "暂无需求" };
static const char *const lead_cities[] = { "London", "Manchester", "New York", "Chicago", "上海", "北京",
	"深圳", "杭州" };

struct lead_batch {
	struct demo_sales *d;
	struct demo_rows *r;
};

static enum crm_err
add_leads(struct crm_db *db, void *arg)
{
	struct lead_batch *lb = arg;
	struct demo_sales *d = lb->d;
	struct demo_rows *r = lb->r;
	char first[64], last[64], full[128], email[128], phone[32], stamp[24];
	enum crm_err e;
	long i;

	(void)db;
	demo_rows_reset(r);
	for (i = 0; i < d->sz->leads; i++) {
		int zh = randombytes_uniform(3) == 0, converted = 0;
		const char *status = DEMO_PICK(lead_status), *country = zh ? "CN" : "GB";
		const char *title = DEMO_PICK(lead_titles), *source = DEMO_PICK(lead_sources);
		unsigned k = randombytes_uniform(CRM_NELEM(family_en));
		long long created = d->now - (long long)randombytes_uniform(540 * DEMO_DAY);
		/* Lead scoring needs a pattern to find: a qualified lead from
		 * a web form or a referral mostly converts, more so with a
		 * senior title; most others end disqualified. */
		int good = strcmp(source, "Web form") == 0 || strcmp(source, "Referral") == 0;
		int senior = strcmp(title, "Facilities Director") == 0 || strcmp(title, "CFO") == 0 ||
		    strcmp(title, "总经理") == 0;

		if (strcmp(status, "qualified") == 0) {
			converted = (int)randombytes_uniform(100) < (good ? (senior ? 90 : 75) : (senior ? 25 : 8));
			if (!converted && !good && randombytes_uniform(3) != 0)
				status = "disqualified";
		}

		if (zh) {
			snprintf(last, sizeof(last), "%s", DEMO_PICK(family_zh));
			snprintf(first, sizeof(first), "%s", DEMO_PICK(given_zh));
			snprintf(full, sizeof(full), "%s%s", last, first);
			snprintf(email, sizeof(email), "lead%lld@example.cn", d->next_lead + i + 1);
			snprintf(phone, sizeof(phone), "+86 138 %04u %04u", randombytes_uniform(10000),
			    randombytes_uniform(10000));
		} else {
			snprintf(first, sizeof(first), "%s", DEMO_PICK(given_en));
			snprintf(last, sizeof(last), "%s", family_en[k]);
			snprintf(full, sizeof(full), "%s %s", first, last);
			snprintf(email, sizeof(email), "lead%lld@example.com", d->next_lead + i + 1);
			snprintf(phone, sizeof(phone), "+44 20 %04u %04u", randombytes_uniform(10000),
			    randombytes_uniform(10000));
		}
		demo_i64(r, d->next_lead + i + 1);
		demo_str(r, first);
		demo_str(r, last);
		demo_str(r, full);
		demo_str(r, DEMO_PICK(companies));
		demo_str(r, title);
		demo_str(r, email);
		demo_str(r, email);
		demo_str(r, phone);
		demo_str(r, zh ? lead_cities[4 + randombytes_uniform(4)] : lead_cities[randombytes_uniform(4)]);
		demo_str(r, country);
		demo_str(r, source);
		demo_str(r, status);
		demo_str(r, strcmp(status, "disqualified") == 0 ? DEMO_PICK(dq_reasons) : "");
		demo_i64(r, (long long)randombytes_uniform(101));
		demo_i64(r, demo_seller(d));
		demo_str(r, demo_stamp(stamp, created));
		demo_str(r, converted ? demo_stamp(stamp, created + 7 * DEMO_DAY < d->now ? created + 7 * DEMO_DAY :
		    d->now) : NULL);
		if ((e = demo_row_end(r)) != CRM_OK)
			return e;
	}
	return demo_rows_flush(r);
}

/* Each seller's quota for this year and next: their share of the demo
 * orders of the same month a year before (or of the latest year), grown
 * by a tenth a year, rounded to the thousand. */
static enum crm_err
add_quotas(struct crm_db *db, void *arg)
{
	struct demo_sales *d = arg;
	struct crm_db_bind b[3];
	char month[32], amount[CRM_DECIMAL_MAX];
	time_t now = (time_t)d->now;
	struct tm tm;
	enum crm_err e;
	int year, m, last = d->first_month + 23;
	size_t i;

	gmtime_r(&now, &tm);
	year = tm.tm_year + 1900;
	for (m = year * 12; m < year * 12 + 24; m++) {
		int src = last - ((last - m) % 12 + 12) % 12;        /* the same month in the data */
		long long cents = d->month_total[src - d->first_month], q;

		if (cents <= 0)
			cents = 6000000;
		if (crm_muldiv(cents, 110 + 10 * ((m - src) / 12), 100 * (long long)d->nsellers, &q) != 0)
			return CRM_EINVAL;
		q = (q + 99999) / 100000 * 100000;
		snprintf(month, sizeof(month), "%04d-%02d-01", m / 12, m % 12 + 1);
		for (i = 0; i < d->nsellers; i++) {
			crm_db_bind_i64(&b[0], d->sellers[i]);
			crm_db_bind_str(&b[1], month, (size_t)-1);
			crm_db_bind_str(&b[2], crm_money_format(amount, q), (size_t)-1);
			if ((e = crm_db_exec(db, STMT_DEMO_QUOTA, b, 3, NULL, NULL)) != CRM_OK)
				return e;
		}
	}
	return CRM_OK;
}

static int
load_setup(struct demo_sales *d)
{
	json_t *rows = NULL, *row;
	size_t i;

	if (crm_db_rows(d->db, STMT_DEMO_SELLERS, NULL, 0, &rows) != CRM_OK || json_array_size(rows) == 0) {
		json_decref(rows);
		fprintf(stderr, "crmctl: no active user who sells to own the sales demo\n");
		return -1;
	}
	d->nsellers = json_array_size(rows);
	d->sellers = crm_xcalloc(d->nsellers, sizeof(*d->sellers));
	json_array_foreach(rows, i, row)
		d->sellers[i] = json_integer_value(json_object_get(row, "id"));
	json_decref(rows);
	if (demo_ids_accounts(d->db, &d->accounts) != CRM_OK)
		return -1;
	if (d->accounts.n == 0) {
		fprintf(stderr, "crmctl: the sales demo needs accounts: run crmctl demo --accounts N first\n");
		return -1;
	}
	if (crm_db_rows(d->db, STMT_DEMO_STAGES, NULL, 0, &rows) != CRM_OK)
		return -1;
	json_array_foreach(rows, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));
		long long id = json_integer_value(json_object_get(row, "id"));

		d->pipeline_id = json_integer_value(json_object_get(row, "pipeline_id"));
		if (strcmp(kind, "won") == 0)
			d->won_stage = id;
		else if (strcmp(kind, "lost") == 0)
			d->lost_stage = id;
		else if (d->nopen < 8 && price_of(json_string_value(json_object_get(row, "probability")), 2,
		    &d->open_bp[d->nopen]) == 0)
			d->open_stage[d->nopen++] = id;
	}
	json_decref(rows);
	if (d->nopen == 0 || d->won_stage == 0 || d->lost_stage == 0) {
		fprintf(stderr, "crmctl: the default pipeline needs open, won and lost stages\n");
		return -1;
	}
	if (crm_db_row(d->db, STMT_DEMO_NEXT_IDS, NULL, 0, &row) != CRM_OK)
		return -1;
	d->next_opp = json_integer_value(json_object_get(row, "opportunity"));
	d->next_quote = json_integer_value(json_object_get(row, "quote"));
	d->next_order = json_integer_value(json_object_get(row, "orders"));
	d->next_invoice = json_integer_value(json_object_get(row, "invoice"));
	d->next_lead = json_integer_value(json_object_get(row, "lead"));
	json_decref(row);
	if (crm_db_row(d->db, STMT_DEMO_BASE_CURRENCY, NULL, 0, &row) == CRM_OK) {
		const char *v = json_string_value(json_object_get(row, "value"));

		d->base = crm_xstrdup(v ? v : "USD");
		json_decref(row);
	} else
		d->base = crm_xstrdup("USD");
	/* A euro book, unless the euro is the base: then a dollar one. */
	d->foreign = strcmp(d->base, "EUR") == 0 ? "USD" : "EUR";
	d->rate = strcmp(d->base, "EUR") == 0 ? 108500000 : 92150000;
	return 0;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int
demo_sales(struct crm_db *db, const struct demo_sizes *sz)
{
	struct demo_sales d;
	struct lead_batch lb;
	struct timespec t0;
	int rc = 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&d, 0, sizeof(d));
	d.db = db;
	d.sz = sz;
	d.now = (long long)time(NULL);
	lb.d = &d;
	lb.r = NULL;
	if (crm_db_tx(db, add_team, NULL) != CRM_OK ||
	    load_setup(&d) != 0)
		goto out;
	if (crm_db_tx(db, add_catalogue, &d) != CRM_OK || d.nproducts == 0)
		goto out;
	lb.r = demo_rows_new(db, STMT_DEMO_LEAD_1, STMT_DEMO_LEAD_N, 18);
	if (crm_db_tx(db, add_leads, &lb) != CRM_OK || demo_deals(&d) != CRM_OK ||
	    demo_quotes(&d) != CRM_OK || demo_orders(&d) != CRM_OK || crm_db_tx(db, add_quotas, &d) != CRM_OK ||
	    crm_db_exec(db, STMT_DEMO_SALES_COUNTERS, NULL, 0, NULL, NULL) != CRM_OK)
		goto out;
	printf("added %zu products, %ld leads, %ld opportunities, %ld quotes and %ld orders"
	    " with invoices in %.1f s\n", d.nproducts, sz->leads, sz->opportunities, sz->quotes,
	    sz->orders, seconds_since(&t0));
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "crmctl: sales demo: %s\n", crm_db_error(db));
	free(lb.r);
	free(d.sellers);
	free(d.products);
	free(d.opp_account);
	demo_ids_free(&d.accounts);
	free((char *)d.base);
	return rc;
}
