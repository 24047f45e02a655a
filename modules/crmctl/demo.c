/* crmctl demo: realistic demo accounts in English and Chinese, spread
 * over the active users as owners, inserted in batches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "demo.h"
#include "extern.h"

#define BATCH 500

static const char *const en_first[] = { "Northwind", "Blue Harbor", "Summit", "Greenfield", "Redwood",
	"Silverline", "Brightpath", "Oakridge", "Riverstone", "Ironbridge", "Maple", "Crescent",
	"Harbor Point", "Evergreen", "Golden Gate", "Pinecrest", "Stonewall", "Clearwater" };
static const char *const en_last[] = { "Trading", "Logistics", "Foods", "Systems", "Consulting",
	"Manufacturing", "Health", "Media", "Energy", "Textiles", "Software", "Builders" };
static const char *const zh_first[] = { "华东", "长江", "东方", "恒通", "瑞丰", "中科", "新世纪",
	"金桥", "蓝天", "宏达", "天成", "鑫源" };
static const char *const zh_last[] = { "贸易有限公司", "物流有限公司", "食品有限公司", "科技有限公司",
	"咨询有限公司", "制造有限公司", "医疗器械有限公司", "传媒有限公司" };
static const char *const industries[] = { "Retail", "Logistics", "Food", "Software", "Consulting",
	"Manufacturing", "Healthcare", "Media", "Energy", "Construction" };
static const char *const cities[] = { "London", "Berlin", "New York", "Toronto", "Sydney", "上海",
	"北京", "深圳", "杭州", "成都", "Singapore", "Paris" };

#define PICK(a) (a[randombytes_uniform(CRM_NELEM(a))])

struct batch {
	long long *owners;
	size_t nowners;
	long from, to;
};

static enum crm_err
insert_batch(struct crm_db *db, void *arg)
{
	struct batch *bt = arg;
	struct crm_db_bind b[7];
	char name[256], web[128], phone[32], revenue[32];
	enum crm_err e;
	long i;

	for (i = bt->from; i < bt->to; i++) {
		int chinese = randombytes_uniform(3) == 0;

		if (chinese)
			snprintf(name, sizeof(name), "%s%s %ld", PICK(zh_first), PICK(zh_last), i + 1);
		else
			snprintf(name, sizeof(name), "%s %s %ld", PICK(en_first), PICK(en_last), i + 1);
		snprintf(web, sizeof(web), "www.example-%ld.com", i + 1);
		snprintf(phone, sizeof(phone), chinese ? "+86 21 %04u %04u" : "+1 555 %04u %04u",
		    randombytes_uniform(10000), randombytes_uniform(10000));
		snprintf(revenue, sizeof(revenue), "%u.00", 50000 + randombytes_uniform(50000000));
		crm_db_bind_str(&b[0], name, (size_t)-1);
		crm_db_bind_str(&b[1], PICK(industries), (size_t)-1);
		crm_db_bind_str(&b[2], web, (size_t)-1);
		crm_db_bind_str(&b[3], phone, (size_t)-1);
		crm_db_bind_str(&b[4], PICK(cities), (size_t)-1);
		crm_db_bind_str(&b[5], revenue, (size_t)-1);
		crm_db_bind_i64(&b[6], bt->owners[(size_t)i % bt->nowners]);
		if ((e = crm_db_exec(db, STMT_DEMO_ACCOUNT, b, 7, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

int
crmctl_demo(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	long accounts = 2000, contacts = -1, campaigns = 8, i;
	struct demo_sizes sales = { 300, 400, 150, 2500, 600 };
	unsigned activities = 3;
	struct demo_people pp;
	struct demo_ids live;
	int if_empty = 0, a;
	json_t *rows = NULL, *row;
	struct batch bt;
	size_t k;

	(void)conf;
	for (a = 0; a < argc; a++) {
		if (strcmp(argv[a], "--accounts") == 0 && a + 1 < argc)
			accounts = atol(argv[++a]);
		else if (strcmp(argv[a], "--contacts") == 0 && a + 1 < argc)
			contacts = atol(argv[++a]);
		else if (strcmp(argv[a], "--activities") == 0 && a + 1 < argc)
			activities = (unsigned)atoi(argv[++a]);
		else if (strcmp(argv[a], "--leads") == 0 && a + 1 < argc)
			sales.leads = atol(argv[++a]);
		else if (strcmp(argv[a], "--opportunities") == 0 && a + 1 < argc)
			sales.opportunities = atol(argv[++a]);
		else if (strcmp(argv[a], "--quotes") == 0 && a + 1 < argc)
			sales.quotes = atol(argv[++a]);
		else if (strcmp(argv[a], "--orders") == 0 && a + 1 < argc)
			sales.orders = atol(argv[++a]);
		else if (strcmp(argv[a], "--tickets") == 0 && a + 1 < argc)
			sales.tickets = atol(argv[++a]);
		else if (strcmp(argv[a], "--campaigns") == 0 && a + 1 < argc)
			campaigns = atol(argv[++a]);
		else if (strcmp(argv[a], "--if-empty") == 0)
			if_empty = 1;
		else {
			fprintf(stderr, "usage: crmctl demo [--accounts N] [--contacts N]"
			    " [--activities MAX] [--leads N] [--opportunities N] [--quotes N] [--orders N] [--tickets N]"
			    " [--campaigns N] [--if-empty]\n");
			return 2;
		}
	}
	if (sales.leads < 0 || sales.leads > 10000000 || sales.opportunities < 0 ||
	    sales.opportunities > 10000000 || sales.quotes < 0 || sales.quotes > 1000000 ||
	    sales.orders < 0 || sales.orders > 10000000 || sales.tickets < 0 || sales.tickets > 10000000) {
		fprintf(stderr, "crmctl: --leads, --opportunities, --orders and --tickets take 0 to 10000000,"
		    " --quotes 0 to 1000000\n");
		return 2;
	}
	if (campaigns < 0 || campaigns > 10000) {
		fprintf(stderr, "crmctl: --campaigns takes 0 to 10000\n");
		return 2;
	}
	if (contacts < 0)
		contacts = accounts * 5 / 2;
	if (accounts < 0 || accounts > 100000000 || contacts > 100000000 || activities > 20) {
		fprintf(stderr, "crmctl: --accounts and --contacts take 0 to 100000000,"
		    " --activities 0 to 20\n");
		return 2;
	}
	if (if_empty && crm_db_row(db, STMT_ACCOUNTS_ANY, NULL, 0, &row) == CRM_OK) {
		json_decref(row);
		printf("demo data is there already\n");
		return 0;
	}
	if (crm_db_rows(db, STMT_DEMO_OWNERS, NULL, 0, &rows) != CRM_OK || json_array_size(rows) == 0) {
		fprintf(stderr, "crmctl: no active user to own the demo data: add one first\n");
		json_decref(rows);
		return 1;
	}
	bt.nowners = json_array_size(rows);
	bt.owners = crm_xcalloc(bt.nowners, sizeof(*bt.owners));
	json_array_foreach(rows, k, row)
		bt.owners[k] = json_integer_value(json_object_get(row, "id"));
	json_decref(rows);
	for (i = 0; i < accounts; i += BATCH) {
		bt.from = i;
		bt.to = i + BATCH < accounts ? i + BATCH : accounts;
		if (crm_db_tx(db, insert_batch, &bt) != CRM_OK) {
			fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
			free(bt.owners);
			return 1;
		}
	}
	memset(&pp, 0, sizeof(pp));
	pp.owners = bt.owners;
	pp.nowners = bt.nowners;
	pp.activities = activities;
	if (demo_ids_accounts(db, &live) != CRM_OK) {
		fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
		free(bt.owners);
		return 1;
	}
	pp.accounts = &live;
	for (i = 0; i < contacts; i += BATCH) {
		pp.from = i;
		pp.to = i + BATCH < contacts ? i + BATCH : contacts;
		if (crm_db_tx(db, demo_people_batch, &pp) != CRM_OK) {
			fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
			free(bt.owners);
			demo_ids_free(&live);
			return 1;
		}
	}
	free(bt.owners);
	demo_ids_free(&live);
	if (crm_db_exec(db, STMT_DEMO_RECOUNT, NULL, 0, NULL, NULL) != CRM_OK) {
		fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
		return 1;
	}
	printf("added %ld demo accounts and %ld contacts\n", accounts, contacts);
	if (crmctl_search_rebuild(db) != 0)
		return 1;
	if (demo_sales(db, &sales) != 0)
		return 1;
	if (demo_service(db, sales.tickets) != 0 || demo_marketing(db, campaigns, contacts) != 0 ||
	    demo_automation(db) != 0)
		return 1;
	/* Scores, segments, models and forecasts, as the nightly run would
	 * leave them. */
	return crmctl_analytics_run(db, NULL);
}
