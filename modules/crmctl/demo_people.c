/* crmctl demo, people: contacts in English and Chinese (most in one of
 * the accounts, some on their own) and a few activities each, so every
 * screen has something realistic to show. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "crm_phone.h"
#include "extern.h"
#include "demo.h"

static const char *const en_given[] = { "Ann", "James", "Maria", "David", "Sarah", "Michael",
	"Emma", "Daniel", "Olivia", "Thomas", "Sophie", "Robert", "Laura", "Peter", "Grace" };
static const char *const en_family[] = { "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson",
	"Davis", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Lee" };
static const char *const zh_family[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周" };
static const char *const zh_family_py[] = { "wang", "li", "zhang", "liu", "chen", "yang", "huang",
	"zhao", "wu", "zhou" };
static const char *const zh_given[] = { "伟", "芳", "娜", "秀英", "敏", "静", "磊", "强", "洋", "艳",
	"勇", "军", "杰", "娟", "涛" };
static const char *const zh_given_py[] = { "wei", "fang", "na", "xiuying", "min", "jing", "lei",
	"qiang", "yang", "yan", "yong", "jun", "jie", "juan", "tao" };
static const char *const titles[] = { "CEO", "CFO", "Purchasing Manager", "Sales Director",
	"Office Manager", "Engineer", "采购经理", "总经理", "财务总监", "" };
static const char *const sources[] = { "Web", "Referral", "Trade show", "Cold call", "Partner" };
static const char *const en_cities[] = { "London", "Berlin", "New York", "Toronto", "Sydney",
	"Singapore", "Paris" };
static const char *const zh_cities[] = { "上海", "北京", "深圳", "杭州", "成都" };
static const char *const subjects[] = { "Introductory call", "Sent the price list",
	"Follow up on the quote", "Quarterly review", "Product demo", "电话回访", "发送报价单",
	"年度合同续签", "Lunch meeting", "Check delivery date" };
static const char *const kinds[] = { "note", "call", "meeting", "email", "task" };

#define PICK(a) (a[randombytes_uniform(CRM_NELEM(a))])

static enum crm_err
one_contact(struct crm_db *db, const struct demo_people *p, long i)
{
	struct crm_db_bind b[17];
	char first[64], last[64], full[128], email[128], phone[32], mobile[32], e164[20], m164[20];
	const char *city, *country;
	int chinese = randombytes_uniform(2) == 0;
	long long account = 0, owner = p->owners[(size_t)i % p->nowners];
	uint64_t id = 0;
	unsigned n, k;
	enum crm_err e;

	if (p->accounts->n > 0 && randombytes_uniform(10) < 8)
		account = demo_ids_pick(p->accounts);
	if (chinese) {
		k = randombytes_uniform(CRM_NELEM(zh_family));
		n = randombytes_uniform(CRM_NELEM(zh_given));
		snprintf(last, sizeof(last), "%s", zh_family[k]);
		snprintf(first, sizeof(first), "%s", zh_given[n]);
		snprintf(full, sizeof(full), "%s%s", last, first);
		snprintf(email, sizeof(email), "%s.%s%ld@example.cn", zh_given_py[n], zh_family_py[k], i + 1);
		snprintf(phone, sizeof(phone), "021 %04u %04u", randombytes_uniform(10000),
		    randombytes_uniform(10000));
		snprintf(mobile, sizeof(mobile), "138 %04u %04u", randombytes_uniform(10000),
		    randombytes_uniform(10000));
		city = PICK(zh_cities), country = "CN";
	} else {
		snprintf(first, sizeof(first), "%s", PICK(en_given));
		snprintf(last, sizeof(last), "%s", PICK(en_family));
		snprintf(full, sizeof(full), "%s %s", first, last);
		snprintf(email, sizeof(email), "%c.%s%ld@example.com", first[0], last, i + 1);
		snprintf(phone, sizeof(phone), "(415) 555-%04u", randombytes_uniform(10000));
		snprintf(mobile, sizeof(mobile), "+1 628 %03u %04u", 200 + randombytes_uniform(800),
		    randombytes_uniform(10000));
		city = PICK(en_cities), country = "US";
	}
	for (n = 0; email[n]; n++)
		if (email[n] >= 'A' && email[n] <= 'Z')
			email[n] = (char)(email[n] - 'A' + 'a');
	if (!crm_phone_e164(phone, country, e164, sizeof(e164)))
		e164[0] = '\0';
	if (!crm_phone_e164(mobile, country, m164, sizeof(m164)))
		m164[0] = '\0';
	if (account)
		crm_db_bind_i64(&b[0], account);
	else
		crm_db_bind_null(&b[0]);
	crm_db_bind_str(&b[1], first, (size_t)-1);
	crm_db_bind_str(&b[2], last, (size_t)-1);
	crm_db_bind_str(&b[3], full, (size_t)-1);
	crm_db_bind_str(&b[4], PICK(titles), (size_t)-1);
	crm_db_bind_str(&b[5], email, (size_t)-1);
	crm_db_bind_str(&b[6], phone, (size_t)-1);
	crm_db_bind_str(&b[7], mobile, (size_t)-1);
	crm_db_bind_str(&b[8], email, (size_t)-1);
	crm_db_bind_str(&b[9], e164, (size_t)-1);
	crm_db_bind_str(&b[10], m164, (size_t)-1);
	crm_db_bind_str(&b[11], city, (size_t)-1);
	crm_db_bind_str(&b[12], country, (size_t)-1);
	crm_db_bind_str(&b[13], PICK(sources), (size_t)-1);
	crm_db_bind_i64(&b[14], randombytes_uniform(2));
	crm_db_bind_i64(&b[15], owner);
	crm_db_bind_i64(&b[16], randombytes_uniform(60 * 24 * 365));
	if ((e = crm_db_exec(db, STMT_DEMO_CONTACT, b, 17, NULL, &id)) != CRM_OK)
		return e;
	/* A few activities, from two months ago to a month ahead. */
	for (k = randombytes_uniform(p->activities + 1); k > 0; k--) {
		const char *kind = PICK(kinds);
		long long minutes = (long long)randombytes_uniform(60 * 24 * 90) - 60 * 24 * 60;

		minutes -= minutes % 15;
		crm_db_bind_str(&b[0], kind, (size_t)-1);
		crm_db_bind_str(&b[1], PICK(subjects), (size_t)-1);
		if (account)
			crm_db_bind_i64(&b[2], account);
		else
			crm_db_bind_null(&b[2]);
		crm_db_bind_i64(&b[3], (long long)id);
		crm_db_bind_i64(&b[4], minutes);
		crm_db_bind_i64(&b[5], owner);
		crm_db_bind_i64(&b[6], owner);
		crm_db_bind_i64(&b[7], strcmp(kind, "task") == 0 && minutes < 0 && randombytes_uniform(2));
		if ((e = crm_db_exec(db, STMT_DEMO_ACTIVITY, b, 8, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

enum crm_err
demo_people_batch(struct crm_db *db, void *arg)
{
	const struct demo_people *p = arg;
	enum crm_err e;
	long i;

	for (i = p->from; i < p->to; i++)
		if ((e = one_contact(db, p, i)) != CRM_OK)
			return e;
	return CRM_OK;
}
