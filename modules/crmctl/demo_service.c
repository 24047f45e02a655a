/* crmctl demo, service: a support team, tickets from the demo contacts
 * over the last 90 days in every status with their threads (the
 * customer's message, replies and internal notes), satisfaction answers
 * for most resolved tickets, and a knowledge base in English and Chinese.
 * Due times are left to the SLA policies: Service -> SLA recalculates
 * them for open tickets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crm_auth.h"
#include "crm_password.h"
#include "demo.h"
#include "extern.h"

static const struct {
	const char *email, *name, *lang;
} agents[] = {
	{ "demo.amy.ward@example.com", "Amy Ward", "en" },
	{ "demo.liu.yang@example.com", "刘洋", "zh_CN" },
	{ "demo.omar.haddad@example.com", "Omar Haddad", "en" },
	{ "demo.zhao.min@example.com", "赵敏", "zh_CN" },
};

static const struct {
	const char *subject, *body;
} problems[] = {
	{ "Printer will not connect to Wi-Fi", "Since the update the office printer drops off the network every morning." },
	{ "打印机无法连接网络", "更新以后，办公室的打印机每天早上都连不上网络。" },
	{ "Invoice shows the wrong address", "Our new address is not on the last invoice; please send a corrected one." },
	{ "发票抬头有误", "上个月的发票抬头写错了，请重新开具。" },
	{ "Delivery is late", "The order was due on Monday and has not arrived." },
	{ "货物还没有送到", "订单上周就应该到了，现在还没有收到。" },
	{ "Screen flickers after repair", "The laptop came back from repair and the screen flickers." },
	{ "设备维修进度", "上周送修的笔记本电脑，请问现在进度如何？" },
	{ "Cannot sign in to the portal", "The password reset mail never arrives." },
	{ "Request a copy of the contract", "Could you send us a copy of our service contract?" },
};

static const char *const replies[] = {
	"Thank you, we are looking into it and will update you today.",
	"感谢您的反馈，我们正在处理，今天会给您答复。",
	"Could you send us a photo of the error message?",
	"请问能否提供一下错误提示的截图？",
	"We have sent a technician; the issue should be fixed now.",
	"问题已经处理好了，请您确认一下。",
};

static const char *const notes[] = {
	"Checked the firmware version: 2.1, needs 2.4.",
	"客户是重点客户，请优先处理。",
	"Asked the warehouse for the tracking number.",
};

static const char *const comments[] = {
	"Quick and friendly, thank you!", "服务很好，解决得很快。", "Took a while, but it works now.",
	"", "Nobody called me back.", "态度很好。",
};

static const struct {
	const char *category, *title, *body;
} articles[] = {
	{ "Printers", "Reconnect a printer to Wi-Fi",
	  "# Reconnect a printer to Wi-Fi\n\n1. Hold the **Wi-Fi** button for 5 seconds.\n"
	  "2. Choose the network on the printer's screen.\n3. Print a test page.\n\n"
	  "If it still drops off, update the firmware to *2.4* or later." },
	{ "Printers", "打印机无法连接网络怎么办",
	  "# 打印机无法连接网络\n\n- 重启打印机和路由器\n- 在打印机上重新选择无线网络\n"
	  "- 将固件升级到 **2.4** 以上\n" },
	{ "Billing", "Ask for a corrected invoice",
	  "Invoices are numbered without gaps, so we never change one: we issue a credit note "
	  "and a new invoice. Tell us the invoice number and what is wrong." },
	{ "Billing", "如何申请更正发票",
	  "请提供发票号码和需要更正的内容，我们会开具红字发票并重新开具正确的发票。" },
	{ "Delivery", "Track your delivery",
	  "Your order page shows the shipping date. The carrier's tracking number is in the "
	  "shipping e-mail.\n\n> Deliveries take 2 to 4 working days." },
	{ "Delivery", "查询物流进度", "订单发货后，您会收到包含运单号的邮件，可以在快递公司网站查询。" },
	{ "Repairs", "Send a device for repair",
	  "Print the repair slip from your ticket; its QR code lets you follow the repair "
	  "from your phone." },
	{ "Repairs", "Screen flickers after a repair", "Update the display driver, then restart. "
	  "If it goes on, reply to your ticket and we will collect the device." },
};

static const char *const priorities[] = { "low", "normal", "normal", "normal", "high", "urgent" };
static const char *const channels[] = { "phone", "email", "email", "web", "walk_in" };

static enum crm_err
add_agents(struct crm_db *db, void *arg)
{
	long long *team_id = arg;
	struct crm_db_bind b[6];
	char password[21], hash[128];
	json_t *row = NULL;
	enum crm_err e;
	size_t i;

	crm_db_bind_str(&b[0], "Demo support", (size_t)-1);
	if ((e = crm_db_exec(db, STMT_DEMO_TEAM, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_row(db, STMT_DEMO_TEAM_ID, b, 1, &row)) != CRM_OK)
		return e;
	*team_id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	/* Nobody knows this password: an admin sets one to try an agent. */
	crm_password_generate(password);
	if ((e = crm_password_hash(password, hash)) != CRM_OK)
		return e;
	for (i = 0; i < CRM_NELEM(agents); i++) {
		crm_db_bind_str(&b[0], agents[i].email, (size_t)-1);
		crm_db_bind_str(&b[1], agents[i].name, (size_t)-1);
		crm_db_bind_str(&b[2], hash, (size_t)-1);
		crm_db_bind_i64(&b[3], *team_id);
		crm_db_bind_str(&b[4], agents[i].lang, (size_t)-1);
		crm_db_bind_str(&b[5], "support", (size_t)-1);
		if ((e = crm_db_exec(db, STMT_DEMO_USER, b, 6, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

/* What one ticket's thread needs, kept between the two passes: the
 * tickets go in first, since their messages and answers refer to them. */
struct ticket {
	long long id, agent, category, created, responded, done_at;
	unsigned problem;
	int answered, finished;
	const char *name;
};

struct tickets {
	long n;
	long long next, team_id;
	json_t *agents, *contacts, *categories;
	struct demo_rows *t, *m, *s;
	struct ticket *list;
};

static long long
pick_id(json_t *rows)
{
	return json_integer_value(json_object_get(json_array_get(rows,
	    randombytes_uniform((uint32_t)json_array_size(rows))), "id"));
}

static void
secret_or_null(struct demo_rows *r, int want)
{
	char s[CRM_AUTH_SECRET_LEN + 1];

	if (!want) {
		demo_str(r, NULL);
		return;
	}
	crm_auth_new_secret(s);
	demo_str(r, s);
}

/* One ticket. Statuses: a tenth new, a quarter open, a tenth pending,
 * the rest resolved or closed. */
static enum crm_err
one_ticket(struct tickets *k, struct ticket *t, long long now)
{
	json_t *contact = json_array_get(k->contacts, randombytes_uniform((uint32_t)json_array_size(k->contacts)));
	unsigned r = randombytes_uniform(100);
	const char *status = r < 10 ? "new" : r < 35 ? "open" : r < 45 ? "pending" : r < 75 ? "resolved" : "closed";
	char s1[24], s2[24], s3[24], s4[24];

	t->created = now - (long long)randombytes_uniform(90 * 86400);
	t->agent = pick_id(k->agents);
	t->category = pick_id(k->categories);
	t->responded = t->created + 600 + randombytes_uniform(8 * 3600);
	t->done_at = t->responded + randombytes_uniform(3 * 86400);
	t->problem = randombytes_uniform(CRM_NELEM(problems));
	t->answered = strcmp(status, "new") != 0;
	t->finished = r >= 45;
	t->name = json_string_value(json_object_get(contact, "full_name"));
	if (t->responded > now)
		t->responded = now;
	if (t->done_at > now)
		t->done_at = now;
	demo_i64(k->t, t->id);
	demo_str(k->t, problems[t->problem].subject);
	demo_str(k->t, problems[t->problem].body);
	demo_i64(k->t, json_integer_value(json_object_get(contact, "id")));
	if (json_is_integer(json_object_get(contact, "account_id")))
		demo_i64(k->t, json_integer_value(json_object_get(contact, "account_id")));
	else
		demo_str(k->t, NULL);
	demo_str(k->t, t->name);
	demo_str(k->t, json_string_value(json_object_get(contact, "email")));
	demo_i64(k->t, t->category);
	demo_str(k->t, DEMO_PICK(priorities));
	demo_str(k->t, status);
	demo_str(k->t, DEMO_PICK(channels));
	if (t->answered)
		demo_i64(k->t, t->agent);
	else
		demo_str(k->t, NULL);
	demo_i64(k->t, k->team_id);
	demo_str(k->t, t->answered ? demo_stamp(s1, t->responded) : NULL);
	demo_str(k->t, t->finished ? demo_stamp(s2, t->done_at) : NULL);
	demo_str(k->t, strcmp(status, "closed") == 0 ?
	    demo_stamp(s3, t->done_at + 86400 < now ? t->done_at + 86400 : now) : NULL);
	secret_or_null(k->t, 1);
	secret_or_null(k->t, t->finished);
	demo_str(k->t, demo_stamp(s4, t->created));
	return demo_row_end(k->t);
}

static enum crm_err
message(struct tickets *k, long long ticket, const char *kind, const char *body, long long author,
    const char *name, long long at)
{
	char stamp[24];

	demo_i64(k->m, ticket);
	demo_str(k->m, kind);
	demo_str(k->m, body);
	if (author)
		demo_i64(k->m, author);
	else
		demo_str(k->m, NULL);
	demo_str(k->m, name);
	demo_str(k->m, demo_stamp(stamp, at));
	return demo_row_end(k->m);
}

/* Its thread: the customer's message, then replies and a note, and for
 * most finished tickets an answer to the survey, mostly good. */
static enum crm_err
one_thread(struct tickets *k, const struct ticket *t, long long now)
{
	unsigned j, n = t->answered ? 1 + randombytes_uniform(3) : 0;
	char stamp[24];
	enum crm_err e;

	if ((e = message(k, t->id, "customer", problems[t->problem].body, 0, t->name, t->created)) != CRM_OK)
		return e;
	for (j = 0; j < n; j++) {
		long long at = t->responded + (long long)j * (t->done_at - t->responded) / (n + 1);

		if (j == 1 && randombytes_uniform(2) == 0)
			e = message(k, t->id, "internal", DEMO_PICK(notes), t->agent, "", at);
		else
			e = message(k, t->id, "public", DEMO_PICK(replies), t->agent, "", at);
		if (e != CRM_OK)
			return e;
	}
	if (t->finished && randombytes_uniform(10) < 6) {
		unsigned score = randombytes_uniform(10);

		demo_i64(k->s, t->id);
		demo_i64(k->s, score < 5 ? 5 : score < 8 ? 4 : score < 9 ? 3 : 1 + randombytes_uniform(2));
		demo_str(k->s, DEMO_PICK(comments));
		demo_i64(k->s, t->agent);
		demo_i64(k->s, k->team_id);
		demo_i64(k->s, t->category);
		demo_str(k->s, demo_stamp(stamp, t->done_at + 3600 < now ? t->done_at + 3600 : now));
		if ((e = demo_row_end(k->s)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

static enum crm_err
add_tickets(struct crm_db *db, void *arg)
{
	struct tickets *k = arg;
	long long now = (long long)time(NULL);
	json_t *row = NULL;
	enum crm_err e;
	long i;

	demo_rows_reset(k->t);
	demo_rows_reset(k->m);
	demo_rows_reset(k->s);
	if ((e = crm_db_row(db, STMT_DEMO_SVC_NEXT, NULL, 0, &row)) != CRM_OK)
		return e;
	k->next = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	for (i = 0; i < k->n; i++) {
		k->list[i].id = k->next + i + 1;
		if ((e = one_ticket(k, &k->list[i], now)) != CRM_OK)
			return e;
	}
	if ((e = demo_rows_flush(k->t)) != CRM_OK)
		return e;
	for (i = 0; i < k->n; i++)
		if ((e = one_thread(k, &k->list[i], now)) != CRM_OK)
			return e;
	if ((e = demo_rows_flush(k->m)) != CRM_OK)
		return e;
	return demo_rows_flush(k->s);
}

static enum crm_err
add_articles(struct crm_db *db, void *arg)
{
	long long *author = arg;
	struct crm_db_bind b[6];
	json_t *row = NULL;
	uint64_t id = 0;
	enum crm_err e;
	size_t i;

	for (i = 0; i < CRM_NELEM(articles); i++) {
		const char *status = i % 4 == 3 ? "draft" : "published";

		crm_db_bind_str(&b[0], articles[i].category, (size_t)-1);
		crm_db_bind_i64(&b[1], (long long)i);
		if ((e = crm_db_exec(db, STMT_DEMO_KB_CATEGORY, b, 2, NULL, NULL)) != CRM_OK ||
		    (e = crm_db_row(db, STMT_DEMO_KB_CATEGORY_ID, b, 1, &row)) != CRM_OK)
			return e;
		crm_db_bind_i64(&b[0], json_integer_value(json_object_get(row, "id")));
		json_decref(row);
		crm_db_bind_str(&b[1], articles[i].title, (size_t)-1);
		crm_db_bind_str(&b[2], articles[i].body, (size_t)-1);
		crm_db_bind_str(&b[3], status, (size_t)-1);
		crm_db_bind_str(&b[4], status, (size_t)-1);
		crm_db_bind_i64(&b[5], *author);
		if ((e = crm_db_exec(db, STMT_DEMO_KB_ARTICLE, b, 6, NULL, &id)) != CRM_OK)
			return e;
		crm_db_bind_i64(&b[0], (long long)id);
		if ((e = crm_db_exec(db, STMT_DEMO_KB_SEARCH, b, 1, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

int
demo_service(struct crm_db *db, long tickets)
{
	struct tickets k;
	struct crm_db_bind b[1];
	long long author;
	int rc = 1;

	memset(&k, 0, sizeof(k));
	k.n = tickets;
	if (crm_db_tx(db, add_agents, &k.team_id) != CRM_OK)
		goto out;
	crm_db_bind_i64(&b[0], k.team_id);
	if (crm_db_rows(db, STMT_DEMO_SVC_AGENTS, b, 1, &k.agents) != CRM_OK ||
	    crm_db_rows(db, STMT_DEMO_SVC_CONTACTS, NULL, 0, &k.contacts) != CRM_OK ||
	    crm_db_rows(db, STMT_DEMO_SVC_CATEGORIES, NULL, 0, &k.categories) != CRM_OK)
		goto out;
	if (json_array_size(k.agents) == 0 || json_array_size(k.categories) == 0 ||
	    (json_array_size(k.contacts) == 0 && tickets > 0)) {
		fprintf(stderr, "crmctl: service demo: no agents, categories or contacts to use\n");
		goto out;
	}
	k.t = demo_rows_new(db, STMT_DEMO_TICKET_1, STMT_DEMO_TICKET_N, 19);
	k.m = demo_rows_new(db, STMT_DEMO_TMSG_1, STMT_DEMO_TMSG_N, 6);
	k.s = demo_rows_new(db, STMT_DEMO_CSAT_1, STMT_DEMO_CSAT_N, 7);
	k.list = crm_xcalloc((size_t)(tickets > 0 ? tickets : 1), sizeof(*k.list));
	author = json_integer_value(json_object_get(json_array_get(k.agents, 0), "id"));
	if (crm_db_tx(db, add_tickets, &k) != CRM_OK || crm_db_tx(db, add_articles, &author) != CRM_OK)
		goto out;
	printf("added %ld tickets with their threads, satisfaction answers and %zu articles\n", tickets,
	    CRM_NELEM(articles));
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "crmctl: service demo: %s\n", crm_db_error(db));
	json_decref(k.agents);
	json_decref(k.contacts);
	json_decref(k.categories);
	free(k.t);
	free(k.m);
	free(k.s);
	free(k.list);
	return rc;
}
