/* The quality step: per entity and field, how many live records lack a
 * value, hold one that breaks the rule the forms apply, or share it with
 * another record, with up to EXAMPLES record ids of each for the report's
 * links; data_quality and data_quality_examples are replaced whole.
 *
 * At 1M contacts the step reads each table once: one aggregate query per
 * table counts every field's missing and invalid values and keeps the
 * first examples (GROUP_CONCAT ... LIMIT), and one GROUP BY per duplicate
 * check walks the normalised column's index (contacts_email,
 * contacts_phone, accounts_name, leads_email). The rules are those of
 * the forms: crm_valid_email written as a regular expression (one '@',
 * a dot in the domain after its first character and not last, none of
 * < > , ; " or spaces and controls, 3..254 bytes); a phone is invalid
 * when it is given but crm_phone_e164 could not make it E.164 (the
 * stored *_e164 is empty) nor is it written as +digits (rows written
 * around the forms, by an import or the demo data, have no *_e164); a
 * country must be two capital letters (ISO 3166 alpha-2, as the forms
 * ask); a website a host with a dot and no spaces or quotes. Example
 * values travel as hex so no separator can break them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm.h"
#include "crm_analytics.h"

#define EXAMPLES 20

#define BAD_CHARS "<>,;\"[:space:][:cntrl:]"
#define EMAIL_OK(col) "(LENGTH(" col ") BETWEEN 3 AND 254 AND " col " REGEXP" \
	" '^[^@" BAD_CHARS "]+@[^@" BAD_CHARS "]+[.][^@." BAD_CHARS "]+$')"
#define COUNTRY_OK(col) "(CAST(" col " AS BINARY) REGEXP '^[A-Z]{2}$')"
/* Normalised when saved, or at least written in international form. */
#define PHONE_OK(col, e164) "(IFNULL(" e164 ", '') <> '' OR" \
	" REGEXP_REPLACE(" col ", '[ ().-]', '') REGEXP '^[+][1-9][0-9]{7,14}$')"
#define WEBSITE_OK(col) "(" col " REGEXP '^[^[:space:]<>\"\\']+[.][^[:space:]<>\"\\']+$')"
/* One problem of one field: its count and its first examples (id:hex). */
#define PROBLEM(alias, cond, value) \
	", COUNT(IF(" cond ", 1, NULL)) AS " alias \
	", GROUP_CONCAT(IF(" cond ", CONCAT(t.id, ':', HEX(" value ")), NULL) SEPARATOR ',' LIMIT 20) AS " alias "_ex"
/* Records sharing a value: the groups of more than one, walked by index
 * where there is one. A record has one value, so it is in one group. */
#define DUPLICATES(table, hint, key, value, live) \
	"SELECT CAST(IFNULL(SUM(d.n), 0) AS SIGNED) AS n, GROUP_CONCAT(d.ex SEPARATOR ',' LIMIT 20) AS ex" \
	" FROM (SELECT COUNT(*) AS n, GROUP_CONCAT(CONCAT(t.id, ':', HEX(" value ")) ORDER BY t.id SEPARATOR ','" \
	" LIMIT 20) AS ex FROM " table " t" hint " WHERE " key " <> '' AND " live \
	" GROUP BY " key " HAVING COUNT(*) > 1) d"

#define CONTACT_LIVE "t.deleted_at IS NULL AND t.merged_into IS NULL AND t.erased_at IS NULL"
#define ACCOUNT_LIVE "t.deleted_at IS NULL"
#define LEAD_LIVE "t.deleted_at IS NULL"

static const char contacts_sql[] = "SELECT COUNT(*) AS records"
    PROBLEM("email_missing", "t.email = ''", "t.email")
    PROBLEM("email_invalid", "t.email <> '' AND NOT " EMAIL_OK("t.email"), "t.email")
    PROBLEM("phone_missing", "t.phone = ''", "t.phone")
    PROBLEM("phone_invalid", "t.phone <> '' AND NOT " PHONE_OK("t.phone", "t.phone_e164"), "t.phone")
    PROBLEM("account_missing", "t.account_id IS NULL", "''")
    PROBLEM("account_invalid", "a.deleted_at IS NOT NULL", "a.name")
    PROBLEM("country_missing", "t.country = ''", "t.country")
    PROBLEM("country_invalid", "t.country <> '' AND NOT " COUNTRY_OK("t.country"), "t.country")
    " FROM contacts t LEFT JOIN accounts a ON a.id = t.account_id WHERE " CONTACT_LIVE;
static const char accounts_sql[] = "SELECT COUNT(*) AS records"
    PROBLEM("name_missing", "TRIM(t.name) = ''", "t.name")
    PROBLEM("website_missing", "t.website = ''", "t.website")
    PROBLEM("website_invalid", "t.website <> '' AND NOT " WEBSITE_OK("t.website"), "t.website")
    PROBLEM("country_missing", "t.country = ''", "t.country")
    PROBLEM("country_invalid", "t.country <> '' AND NOT " COUNTRY_OK("t.country"), "t.country")
    " FROM accounts t WHERE " ACCOUNT_LIVE;
static const char leads_sql[] = "SELECT COUNT(*) AS records"
    PROBLEM("email_missing", "t.email = ''", "t.email")
    PROBLEM("email_invalid", "t.email <> '' AND NOT " EMAIL_OK("t.email"), "t.email")
    PROBLEM("phone_missing", "t.phone = ''", "t.phone")
    PROBLEM("phone_invalid", "t.phone <> '' AND NOT " PHONE_OK("t.phone", "t.phone_e164"), "t.phone")
    PROBLEM("company_missing", "TRIM(t.company) = ''", "t.company")
    PROBLEM("country_missing", "t.country = ''", "t.country")
    PROBLEM("country_invalid", "t.country <> '' AND NOT " COUNTRY_OK("t.country"), "t.country")
    " FROM leads t WHERE " LEAD_LIVE;

static const char contacts_email_dup[] = DUPLICATES("contacts", " FORCE INDEX (contacts_email)", "t.email_norm", "t.email", CONTACT_LIVE);
static const char contacts_phone_dup[] = DUPLICATES("contacts", " FORCE INDEX (contacts_phone)", "t.phone_e164", "t.phone", CONTACT_LIVE);
static const char accounts_name_dup[] = DUPLICATES("accounts", " FORCE INDEX (accounts_name)", "t.name", "t.name", ACCOUNT_LIVE);
static const char leads_email_dup[] = DUPLICATES("leads", " FORCE INDEX (leads_email)", "t.email_norm", "t.email", LEAD_LIVE);
static const char leads_phone_dup[] = DUPLICATES("leads", "", "t.phone_e164", "t.phone", LEAD_LIVE);

static const char stamp_sql[] = "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s') AS now";
static const char clear_sql[] = "DELETE FROM data_quality";
static const char clear_examples_sql[] = "DELETE FROM data_quality_examples";
static const char put_head[] = "INSERT INTO data_quality (entity, field, records, missing, invalid, duplicate,"
    " computed_at) VALUES";
static const char example_head[] = "INSERT INTO data_quality_examples (entity, field, problem, record_id, value) VALUES";

/* The fields, in the report's order: each names its columns in its
 * table's aggregate row (field_missing, field_invalid) and its duplicate
 * query, if it has one. */
struct field {
	const char *entity, *field;
	const char *table_sql;
	int invalid;            /* has a validity rule */
	const char *dup_sql;
};

static const struct field fields[] = {
	{ "contacts", "email", contacts_sql, 1, contacts_email_dup },
	{ "contacts", "phone", contacts_sql, 1, contacts_phone_dup },
	{ "contacts", "account", contacts_sql, 1, NULL },
	{ "contacts", "country", contacts_sql, 1, NULL },
	{ "accounts", "name", accounts_sql, 0, accounts_name_dup },
	{ "accounts", "website", accounts_sql, 1, NULL },
	{ "accounts", "country", accounts_sql, 1, NULL },
	{ "leads", "email", leads_sql, 1, leads_email_dup },
	{ "leads", "phone", leads_sql, 1, leads_phone_dup },
	{ "leads", "company", leads_sql, 0, NULL },
	{ "leads", "country", leads_sql, 1, NULL },
};
#define NFIELDS CRM_NELEM(fields)

enum problem { PROBLEM_MISSING, PROBLEM_INVALID, PROBLEM_DUPLICATE, PROBLEM__MAX };
static const char *const problem_names[PROBLEM__MAX] = {
	"missing",      /* PROBLEM_MISSING */
	"invalid",      /* PROBLEM_INVALID */
	"duplicate",    /* PROBLEM_DUPLICATE */
};

struct example {
	size_t field;
	enum problem problem;
	long long id;
	char value[256];
};

struct tally {
	long long records, count[NFIELDS][PROBLEM__MAX];
	struct example *ex;
	size_t nex, exroom;
	const char *now;
};

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "id:HEX,id:HEX,...": the first EXAMPLES become examples of the problem. */
static void
take_examples(struct tally *t, size_t field, enum problem p, const char *list)
{
	const char *s = list;
	size_t taken = 0;

	while (s != NULL && *s != '\0' && taken < EXAMPLES) {
		struct example *x;
		char *end;
		long long id = strtoll(s, &end, 10);
		size_t o = 0;

		if (end == s || *end != ':')
			return;
		if (t->nex == t->exroom)
			t->ex = crm_xrealloc(t->ex, (t->exroom = t->exroom ? t->exroom * 2 : 64) * sizeof(*t->ex));
		x = &t->ex[t->nex++];
		x->field = field;
		x->problem = p;
		x->id = id;
		for (s = end + 1; hexval(s[0]) >= 0 && hexval(s[1]) >= 0; s += 2)
			if (o + 1 < sizeof(x->value))
				x->value[o++] = (char)(hexval(s[0]) * 16 + hexval(s[1]));
		/* The column holds 254 characters: cut at 254 bytes, never
		 * through a character (value[254] is then its first cut byte). */
		if (o > 254)
			for (o = 254; o > 0 && ((unsigned char)x->value[o] & 0xC0) == 0x80; o--)
				;
		x->value[o] = '\0';
		if (*s == ',')
			s++;
		taken++;
	}
}

static enum crm_err
read_table(struct crm_db *db, struct tally *t, const char *sql, long long *records)
{
	json_t *row = NULL;
	size_t f;
	enum crm_err e;

	if ((e = crm_db_row_sql(db, sql, NULL, 0, &row)) != CRM_OK)
		return e;
	*records = json_integer_value(json_object_get(row, "records"));
	for (f = 0; f < NFIELDS; f++) {
		char key[80];
		enum problem p;

		if (fields[f].table_sql != sql)
			continue;
		for (p = PROBLEM_MISSING; p <= PROBLEM_INVALID; p++) {
			if (p == PROBLEM_INVALID && !fields[f].invalid)
				continue;
			snprintf(key, sizeof(key), "%s_%s", fields[f].field, problem_names[p]);
			t->count[f][p] = json_integer_value(json_object_get(row, key));
			snprintf(key, sizeof(key), "%s_%s_ex", fields[f].field, problem_names[p]);
			take_examples(t, f, p, json_string_value(json_object_get(row, key)));
		}
	}
	json_decref(row);
	return CRM_OK;
}

static enum crm_err
read_duplicates(struct crm_db *db, struct tally *t, size_t f)
{
	json_t *row = NULL;
	enum crm_err e;

	if ((e = crm_db_row_sql(db, fields[f].dup_sql, NULL, 0, &row)) != CRM_OK)
		return e;
	t->count[f][PROBLEM_DUPLICATE] = json_integer_value(json_object_get(row, "n"));
	take_examples(t, f, PROBLEM_DUPLICATE, json_string_value(json_object_get(row, "ex")));
	json_decref(row);
	return CRM_OK;
}

struct put {
	struct tally *t;
	long long records[NFIELDS];
};

static void
bind_field(void *arg, size_t i, struct crm_db_bind *b)
{
	struct put *s = arg;

	crm_db_bind_str(&b[0], fields[i].entity, (size_t)-1);
	crm_db_bind_str(&b[1], fields[i].field, (size_t)-1);
	crm_db_bind_i64(&b[2], s->records[i]);
	crm_db_bind_i64(&b[3], s->t->count[i][PROBLEM_MISSING]);
	crm_db_bind_i64(&b[4], s->t->count[i][PROBLEM_INVALID]);
	crm_db_bind_i64(&b[5], s->t->count[i][PROBLEM_DUPLICATE]);
	crm_db_bind_str(&b[6], s->t->now, (size_t)-1);
}

static void
bind_example(void *arg, size_t i, struct crm_db_bind *b)
{
	struct put *s = arg;
	const struct example *x = &s->t->ex[i];

	crm_db_bind_str(&b[0], fields[x->field].entity, (size_t)-1);
	crm_db_bind_str(&b[1], fields[x->field].field, (size_t)-1);
	crm_db_bind_str(&b[2], problem_names[x->problem], (size_t)-1);
	crm_db_bind_i64(&b[3], x->id);
	crm_db_bind_str(&b[4], x->value, (size_t)-1);
}

static enum crm_err
put_tx(struct crm_db *db, void *arg)
{
	struct put *s = arg;
	enum crm_err e;

	if ((e = crm_db_exec_sql(db, clear_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec_sql(db, clear_examples_sql, NULL, 0, NULL, NULL)) != CRM_OK ||
	    (e = crm_analytics_insert(db, put_head, "", 7, NFIELDS, bind_field, s)) != CRM_OK)
		return e;
	return crm_analytics_insert(db, example_head, "", 5, s->t->nex, bind_example, s);
}

enum crm_err
crm_analytics_quality(struct crm_db *db, struct crm_analytics_out *out)
{
	static const char *const tables[] = { contacts_sql, accounts_sql, leads_sql };
	struct tally t = { 0 };
	struct put s = { &t, { 0 } };
	json_t *stamp = NULL;
	long long records[CRM_NELEM(tables)], problems = 0;
	size_t f, k;
	enum crm_err e;

	if ((e = crm_db_row_sql(db, stamp_sql, NULL, 0, &stamp)) != CRM_OK)
		return e;
	t.now = json_string_value(json_object_get(stamp, "now"));
	for (k = 0; k < CRM_NELEM(tables); k++)
		if ((e = read_table(db, &t, tables[k], &records[k])) != CRM_OK)
			goto out;
	for (f = 0; f < NFIELDS; f++) {
		if (fields[f].dup_sql != NULL && (e = read_duplicates(db, &t, f)) != CRM_OK)
			goto out;
		for (k = 0; k < CRM_NELEM(tables); k++)
			if (fields[f].table_sql == tables[k])
				s.records[f] = records[k];
		problems += t.count[f][PROBLEM_MISSING] + t.count[f][PROBLEM_INVALID] + t.count[f][PROBLEM_DUPLICATE];
	}
	if ((e = crm_db_tx(db, put_tx, &s)) == CRM_OK)
		snprintf(out->summary, sizeof(out->summary), "%zu fields of %lld contacts, %lld accounts and %lld leads"
		    " checked: %lld problems", NFIELDS, records[0], records[1], records[2], problems);
out:
	free(t.ex);
	json_decref(stamp);
	return e;
}
