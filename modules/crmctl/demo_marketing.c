/* crmctl demo, marketing: an e-mail template, a segment (contacts in
 * Berlin) and a target list frozen from it, campaigns of every type and
 * status with members drawn from this run's contacts and responses at
 * the rates such campaigns see (a few percent converting, more opening
 * e-mail), their budgets and costs, and the consent records behind the
 * contacts' consent flags (some of whom now take SMS too). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crm_money.h"
#include "demo.h"
#include "extern.h"

#define DAY 86400LL

static const struct {
	const char *type, *name, *objective;
	/* Cumulative thresholds of one random draw per member: bounced,
	 * unsubscribed, converted, responded, clicked, opened. */
	double rates[6];
	int opens;      /* e-mail: opens and clicks are tracked */
} kinds[] = {
	{ "email", "Spring newsletter", "Bring lapsed customers back with the spring range.",
	  { 0.02, 0.035, 0.05, 0.09, 0.18, 0.42 }, 1 },
	{ "event", "Customer day", "Meet our best customers and show the new service plans.",
	  { 0, 0, 0.08, 0.30, 0.30, 0.30 }, 0 },
	{ "sms", "春季促销短信", "提醒老客户参加春季促销。",
	  { 0.01, 0.03, 0.04, 0.07, 0.07, 0.07 }, 0 },
	{ "print", "Trade show flyer", "Flyers with a QR code to the offer page, handed out at the fair.",
	  { 0, 0, 0.02, 0.05, 0.05, 0.05 }, 0 },
	{ "web", "Website banner", "A banner on the home page for the new product line.",
	  { 0, 0, 0.015, 0.04, 0.04, 0.04 }, 0 },
	{ "email", "新品发布邮件", "向订阅客户介绍新产品。",
	  { 0.015, 0.03, 0.045, 0.08, 0.16, 0.38 }, 1 },
};

/* Oldest first: the first third completed, then active, then planned. */
static const char *
status_of(long i, long n)
{
	return i < n / 3 ? "completed" : i < 2 * n / 3 ? "active" : "planned";
}

struct mk {
	long campaigns, contacts;
	long long lo, run, owner, template_id, segment_id, list_id;
	long long now;
	char base[4];           /* the base currency: costs compare with revenue */
};

static enum crm_err
setup(struct crm_db *db, struct mk *m)
{
	struct crm_db_bind b[5];
	uint64_t id;
	enum crm_err e;
	char name[128], desc[160];

	snprintf(name, sizeof(name), "Newsletter (demo %lld)", m->run);
	crm_db_bind_str(&b[0], name, (size_t)-1);
	crm_db_bind_str(&b[1], "News for {{contact.first_name}}", (size_t)-1);
	/* The merge fields of the e-mail area (contact, account, owner,
	 * custom, unsubscribe_url). */
	crm_db_bind_str(&b[2], "<p>Dear {{contact.first_name}},</p><p>spring is here, and so is our new range."
	    " <a href=\"https://example.com/spring\">See the offers</a>.</p><p>{{owner.name}}</p>"
	    "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>", (size_t)-1);
	crm_db_bind_str(&b[3], "Dear {{contact.first_name}},\n\nspring is here, and so is our new range:"
	    " https://example.com/spring\n\n{{owner.name}}\n\nUnsubscribe: {{unsubscribe_url}}\n", (size_t)-1);
	crm_db_bind_i64(&b[4], m->owner);
	if ((e = crm_db_exec(db, STMT_DEMO_MK_TEMPLATE, b, 5, NULL, &id)) != CRM_OK)
		return e;
	m->template_id = (long long)id;
	snprintf(name, sizeof(name), "Contacts in Berlin (demo %lld)", m->run);
	crm_db_bind_str(&b[0], name, (size_t)-1);
	crm_db_bind_str(&b[1], "Everyone whose address is in Berlin.", (size_t)-1);
	crm_db_bind_str(&b[2], "{\"match\":\"all\",\"groups\":[{\"match\":\"all\",\"conditions\":"
	    "[{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"Berlin\"}]}]}", (size_t)-1);
	crm_db_bind_i64(&b[3], m->owner);
	if ((e = crm_db_exec(db, STMT_DEMO_MK_SEGMENT, b, 4, NULL, &id)) != CRM_OK)
		return e;
	m->segment_id = (long long)id;
	snprintf(name, sizeof(name), "Berlin, frozen (demo %lld)", m->run);
	snprintf(desc, sizeof(desc), "The segment's members when the demo froze it.");
	crm_db_bind_str(&b[0], name, (size_t)-1);
	crm_db_bind_str(&b[1], desc, (size_t)-1);
	crm_db_bind_i64(&b[2], m->segment_id);
	crm_db_bind_i64(&b[3], m->owner);
	if ((e = crm_db_exec(db, STMT_DEMO_MK_LIST, b, 4, NULL, &id)) != CRM_OK)
		return e;
	m->list_id = (long long)id;
	crm_db_bind_i64(&b[0], m->list_id);
	crm_db_bind_i64(&b[1], m->list_id);
	if ((e = crm_db_exec(db, STMT_DEMO_MK_LIST_FILL, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec(db, STMT_DEMO_MK_LIST_COUNT, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return CRM_OK;
}

static enum crm_err
consents(struct crm_db *db, struct mk *m)
{
	static const char *const purposes[] = { "email", "sms" };
	struct crm_db_bind b[4];
	enum crm_err e;
	size_t i;

	crm_db_bind_i64(&b[0], m->lo);
	if ((e = crm_db_exec(db, STMT_DEMO_MK_SMS_FLAG, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	for (i = 0; i < CRM_NELEM(purposes); i++) {
		crm_db_bind_str(&b[0], purposes[i], (size_t)-1);
		crm_db_bind_str(&b[1], purposes[i], (size_t)-1);
		crm_db_bind_i64(&b[2], m->lo);
		crm_db_bind_str(&b[3], purposes[i], (size_t)-1);
		if ((e = crm_db_exec(db, STMT_DEMO_MK_CONSENTS, b, 4, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

static enum crm_err
one_campaign(struct crm_db *db, struct mk *m, long i)
{
	size_t k = (size_t)i % CRM_NELEM(kinds);
	const char *status = status_of(i, m->campaigns);
	long long start, budget, cost, id, size, from;
	struct crm_db_bind b[15];
	char name[160], s1[16], s2[16], sent[24], money1[CRM_DECIMAL_MAX], money2[CRM_DECIMAL_MAX];
	uint64_t nid;
	enum crm_err e;
	int j;

	if (strcmp(status, "completed") == 0)
		start = m->now - (120 - 60 * i / (m->campaigns > 0 ? m->campaigns : 1)) * DAY;
	else if (strcmp(status, "active") == 0)
		start = m->now - (10 + randombytes_uniform(20)) * DAY;
	else
		start = m->now + (7 + randombytes_uniform(30)) * DAY;
	budget = (1 + (long long)randombytes_uniform(20)) * 1000 * 100;
	cost = strcmp(status, "completed") == 0 ? budget * (80 + randombytes_uniform(30)) / 100 :
	    strcmp(status, "active") == 0 ? budget / 2 : 0;
	snprintf(name, sizeof(name), "%s %lld-%ld", kinds[k].name, m->run, i + 1);
	crm_db_bind_str(&b[0], name, (size_t)-1);
	crm_db_bind_str(&b[1], kinds[k].type, (size_t)-1);
	crm_db_bind_str(&b[2], status, (size_t)-1);
	crm_db_bind_str(&b[3], kinds[k].objective, (size_t)-1);
	crm_db_bind_str(&b[4], demo_day(s1, start), (size_t)-1);
	crm_db_bind_str(&b[5], demo_day(s2, start + 30 * DAY), (size_t)-1);
	crm_db_bind_str(&b[6], m->base, (size_t)-1);
	crm_db_bind_str(&b[7], crm_money_format(money1, budget), (size_t)-1);
	crm_db_bind_str(&b[8], crm_money_format(money2, cost), (size_t)-1);
	crm_db_bind_i64(&b[9], 90);
	if (strcmp(kinds[k].type, "email") == 0)
		crm_db_bind_i64(&b[10], m->template_id);
	else
		crm_db_bind_null(&b[10]);
	crm_db_bind_str(&b[11], strcmp(kinds[k].type, "print") == 0 ? "utm_source=print&utm_medium=flyer" :
	    strcmp(kinds[k].type, "email") == 0 ? "utm_source=newsletter&utm_medium=email" : "", (size_t)-1);
	crm_db_bind_i64(&b[12], m->owner);
	if ((e = crm_db_exec(db, STMT_DEMO_MK_CAMPAIGN, b, 13, NULL, &nid)) != CRM_OK)
		return e;
	id = (long long)nid;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], m->list_id);
	if ((e = crm_db_exec(db, STMT_DEMO_MK_TARGET_LIST, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	if (i == 0) {
		crm_db_bind_i64(&b[1], m->segment_id);
		if ((e = crm_db_exec(db, STMT_DEMO_MK_TARGET_SEGMENT, b, 2, NULL, NULL)) != CRM_OK)
			return e;
	}
	if (strcmp(status, "planned") == 0) {
		crm_db_bind_i64(&b[1], m->list_id);
		if ((e = crm_db_exec(db, STMT_DEMO_MK_TARGETED, b, 2, NULL, NULL)) != CRM_OK)
			return e;
	} else {
		/* A few hundred of this run's contacts, from a random start. */
		size = 150 + randombytes_uniform(250);
		from = m->lo + randombytes_uniform((uint32_t)(m->contacts / 4 + 1));
		for (j = 0; j < 6; j++)
			crm_db_bind_double(&b[j], kinds[k].rates[j]);
		crm_db_bind_str(&b[6], demo_stamp(sent, start + DAY), (size_t)-1);
		crm_db_bind_i64(&b[7], id);
		crm_db_bind_i64(&b[8], kinds[k].opens);
		crm_db_bind_i64(&b[9], strcmp(kinds[k].type, "email") == 0);
		crm_db_bind_i64(&b[10], from);
		crm_db_bind_i64(&b[11], size);
		if ((e = crm_db_exec(db, STMT_DEMO_MK_MEMBERS, b, 12, NULL, NULL)) != CRM_OK)
			return e;
	}
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], id);
	return crm_db_exec(db, STMT_DEMO_MK_COUNT, b, 2, NULL, NULL);
}

static enum crm_err
load(struct crm_db *db, void *arg)
{
	struct mk *m = arg;
	enum crm_err e;
	long i;

	if ((e = consents(db, m)) != CRM_OK || m->campaigns == 0)
		return e;
	if ((e = setup(db, m)) != CRM_OK)
		return e;
	for (i = 0; i < m->campaigns; i++)
		if ((e = one_campaign(db, m, i)) != CRM_OK)
			return e;
	return CRM_OK;
}

int
demo_marketing(struct crm_db *db, long campaigns, long contacts)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	struct mk m;

	memset(&m, 0, sizeof(m));
	m.campaigns = campaigns;
	m.contacts = contacts;
	m.now = (long long)time(NULL);
	snprintf(m.base, sizeof(m.base), "USD");
	if (crm_db_row(db, STMT_DEMO_BASE_CURRENCY, NULL, 0, &row) == CRM_OK) {
		if (json_is_string(json_object_get(row, "value")))
			snprintf(m.base, sizeof(m.base), "%s", json_string_value(json_object_get(row, "value")));
		json_decref(row);
	}
	crm_db_bind_i64(&b[0], contacts);
	if (crm_db_row(db, STMT_DEMO_MK_CONTACTS, b, 1, &row) != CRM_OK)
		goto err;
	m.lo = json_integer_value(json_object_get(row, "lo"));
	json_decref(row);
	if (crm_db_row(db, STMT_DEMO_MK_NEXT, NULL, 0, &row) != CRM_OK)
		goto err;
	m.run = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	if (crm_db_row(db, STMT_DEMO_OWNERS, NULL, 0, &row) != CRM_OK)
		goto err;
	m.owner = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	if (crm_db_tx(db, load, &m) != CRM_OK)
		goto err;
	if (campaigns > 0)
		printf("added %ld campaigns with their members, a segment, a target list, an e-mail template"
		    " and consent records\n", campaigns);
	else
		printf("added consent records\n");
	return 0;
err:
	fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
	return 1;
}
