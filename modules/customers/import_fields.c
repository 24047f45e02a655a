/* What a CSV column can fill, how a heading is recognised, and how one row
 * becomes a contact through the mapping. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crm_i18n.h"
#include "crm_csv.h"
#include "crm_valid.h"
#include "extern.h"
#include "import.h"

const struct import_field import_fields[] = {
	{ "name", N_("Name (first and last)") },
	{ "first_name", N_("First name") },
	{ "last_name", N_("Last name") },
	{ "title", N_("Title") },
	{ "account", N_("Account") },
	{ "email", N_("E-mail") },
	{ "email2", N_("Second e-mail") },
	{ "phone", N_("Phone") },
	{ "mobile", N_("Mobile") },
	{ "street", N_("Street") },
	{ "city", N_("City") },
	{ "region", N_("Region") },
	{ "postcode", N_("Postcode") },
	{ "country", N_("Country") },
	{ "birthday", N_("Birthday") },
	{ "source", N_("Source") },
	{ "notes", N_("Notes") },
	{ "tags", N_("Tags") },
	{ "consent_email", N_("E-mail consent") },
	{ "consent_phone", N_("Phone consent") },
};
const size_t import_nfields = CRM_NELEM(import_fields);

/* Headings as exports from other CRMs, spreadsheets and Chinese address
 * books write them, compared lowercased without spaces, '_', '-' or '.'. */
static const struct {
	const char *heading, *field;
} aliases[] = {
	{ "name", "name" }, { "fullname", "name" }, { "contactname", "name" }, { "contact", "name" },
	{ "姓名", "name" }, { "联系人", "name" }, { "名称", "name" },
	{ "firstname", "first_name" }, { "givenname", "first_name" }, { "forename", "first_name" },
	{ "名", "first_name" }, { "名字", "first_name" },
	{ "lastname", "last_name" }, { "surname", "last_name" }, { "familyname", "last_name" },
	{ "姓", "last_name" }, { "姓氏", "last_name" },
	{ "title", "title" }, { "jobtitle", "title" }, { "position", "title" }, { "职位", "title" },
	{ "职务", "title" }, { "头衔", "title" },
	{ "account", "account" }, { "accountname", "account" }, { "company", "account" },
	{ "companyname", "account" }, { "organization", "account" }, { "organisation", "account" },
	{ "公司", "account" }, { "单位", "account" }, { "客户", "account" }, { "公司名称", "account" },
	{ "email", "email" }, { "mail", "email" }, { "emailaddress", "email" }, { "email1", "email" },
	{ "邮箱", "email" }, { "电子邮件", "email" }, { "电子邮箱", "email" },
	{ "email2", "email2" }, { "otheremail", "email2" }, { "secondemail", "email2" },
	{ "phone", "phone" }, { "telephone", "phone" }, { "tel", "phone" }, { "workphone", "phone" },
	{ "businessphone", "phone" }, { "officephone", "phone" }, { "电话", "phone" }, { "座机", "phone" },
	{ "mobile", "mobile" }, { "mobilephone", "mobile" }, { "cell", "mobile" }, { "cellphone", "mobile" },
	{ "手机", "mobile" }, { "手机号", "mobile" }, { "手机号码", "mobile" },
	{ "street", "street" }, { "address", "street" }, { "streetaddress", "street" },
	{ "mailingstreet", "street" }, { "地址", "street" }, { "街道", "street" },
	{ "city", "city" }, { "town", "city" }, { "mailingcity", "city" }, { "城市", "city" },
	{ "region", "region" }, { "state", "region" }, { "province", "region" }, { "county", "region" },
	{ "mailingstate", "region" }, { "省", "region" }, { "省份", "region" }, { "地区", "region" },
	{ "postcode", "postcode" }, { "zip", "postcode" }, { "zipcode", "postcode" },
	{ "postalcode", "postcode" }, { "mailingpostalcode", "postcode" }, { "邮编", "postcode" },
	{ "country", "country" }, { "countrycode", "country" }, { "mailingcountry", "country" },
	{ "国家", "country" },
	{ "birthday", "birthday" }, { "birthdate", "birthday" }, { "dateofbirth", "birthday" },
	{ "dob", "birthday" }, { "生日", "birthday" }, { "出生日期", "birthday" },
	{ "source", "source" }, { "leadsource", "source" }, { "来源", "source" },
	{ "notes", "notes" }, { "note", "notes" }, { "comments", "notes" }, { "description", "notes" },
	{ "备注", "notes" },
	{ "tags", "tags" }, { "tag", "tags" }, { "labels", "tags" }, { "标签", "tags" },
	{ "consentemail", "consent_email" }, { "emailconsent", "consent_email" },
	{ "emailoptin", "consent_email" },
	{ "consentphone", "consent_phone" }, { "phoneconsent", "consent_phone" },
};

const char *
import_guess(const char *heading)
{
	char key[64];
	size_t i, n = 0;

	for (; *heading && n < sizeof(key) - 1; heading++) {
		unsigned char ch = (unsigned char)*heading;

		if (ch == ' ' || ch == '_' || ch == '-' || ch == '.' || ch == '\t')
			continue;
		key[n++] = (char)tolower(ch);
	}
	key[n] = '\0';
	for (i = 0; i < CRM_NELEM(aliases); i++)
		if (strcmp(key, aliases[i].heading) == 0)
			return aliases[i].field;
	return NULL;
}

json_t *
import_custom_field(json_t *custom, const char *name)
{
	json_t *field;
	size_t i;

	char key[32];

	if (strncmp(name, "cf_", 3) != 0)
		return NULL;
	json_array_foreach(custom, i, field) {
		snprintf(key, sizeof(key), "cf_%lld", (long long)json_integer_value(json_object_get(field, "id")));
		if (strcmp(name, key) == 0)
			return field;
	}
	return NULL;
}

int
import_field_known(const char *name, json_t *custom)
{
	size_t i;

	for (i = 0; i < import_nfields; i++)
		if (strcmp(name, import_fields[i].name) == 0)
			return 1;
	return import_custom_field(custom, name) != NULL;
}

const char *
import_mapping_problem(json_t *mapping, size_t ncolumns, json_t *custom)
{
	size_t i, j;
	int named = 0;

	if (!json_is_array(mapping) || json_array_size(mapping) != ncolumns)
		return N_("Choose a field, or none, for every column.");
	for (i = 0; i < ncolumns; i++) {
		const char *f = json_string_value(json_array_get(mapping, i));

		if (f == NULL || (*f && !import_field_known(f, custom)))
			return N_("Choose a field, or none, for every column.");
		if (*f == '\0')
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(f, json_string_value(json_array_get(mapping, j))) == 0)
				return N_("Two columns fill the same field: choose one.");
		if (strcmp(f, "name") == 0 || strcmp(f, "first_name") == 0 || strcmp(f, "last_name") == 0)
			named = 1;
	}
	if (!named)
		return N_("Choose the column that holds the name.");
	return NULL;
}

struct row_source {
	struct crm_arena *arena;
	json_t *mapping;
	char **fields;
	size_t nfields;
	json_t *problems;
	const char *first, *last;       /* split from a "name" column */
	const char *country;            /* for a row without one */
};

static const char *
column(struct row_source *rs, const char *field)
{
	size_t i;

	for (i = 0; i < json_array_size(rs->mapping) && i < rs->nfields; i++)
		if (strcmp(json_string_value(json_array_get(rs->mapping, i)), field) == 0)
			return rs->fields[i];
	return NULL;
}

/* "yes", "true", "1", "y", "x", "是", "同意": anything else is no. */
static int
truthy(const char *v)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "x", "on", "是", "同意" };
	size_t i;

	for (i = 0; i < CRM_NELEM(yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	return 0;
}

static const char *
row_get(void *arg, const char *field)
{
	struct row_source *rs = arg;
	const char *v;

	if (strcmp(field, "first_name") == 0 && (v = column(rs, field)) == NULL)
		return rs->first;
	if (strcmp(field, "last_name") == 0 && (v = column(rs, field)) == NULL)
		return rs->last;
	if (strcmp(field, "country") == 0 && ((v = column(rs, field)) == NULL || *v == '\0'))
		return rs->country;
	if ((v = column(rs, field)) == NULL)
		return "";
	if (strncmp(field, "consent_", 8) == 0)
		return truthy(v) ? "1" : "";
	/* Spreadsheets write country codes as typed: "cn" is CN. */
	if (strcmp(field, "country") == 0 && strlen(v) == 2)
		return crm_arena_printf(rs->arena, "%c%c", toupper((unsigned char)v[0]),
		    toupper((unsigned char)v[1]));
	return v;
}

static void
row_problem(void *arg, const char *field, const char *msgid)
{
	struct row_source *rs = arg;

	json_array_append_new(rs->problems, json_pack("[ss]", field, msgid));
}

/* "Ann Lee" is Ann and Lee; one word, or a name in Chinese ("李娜",
 * "李 娜"), is kept whole as the family name, which it starts with. */
static void
split_name(struct row_source *rs, const char *name)
{
	const char *sp = strrchr(name, ' ');

	rs->first = "";
	rs->last = name;
	if (sp != NULL && sp != name && !crm_contact_has_cjk(name)) {
		rs->first = crm_arena_strndup(rs->arena, name, (size_t)(sp - name));
		rs->last = sp + 1;
	}
}

int
import_country_valid(char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (i == 2 || !isalpha((unsigned char)s[i]))
			return 0;
		s[i] = (char)toupper((unsigned char)s[i]);
	}
	return i == 0 || i == 2;
}

/* The custom fields' columns, checked as the form checks them. */
static void
custom_columns(struct row_source *rs, json_t *custom, json_t *out)
{
	size_t i;

	for (i = 0; i < json_array_size(rs->mapping) && i < rs->nfields; i++) {
		const char *key = json_string_value(json_array_get(rs->mapping, i)), *canon, *problem;
		json_t *field = import_custom_field(custom, key);

		if (field == NULL)
			continue;
		if ((problem = customers_custom_problem(rs->arena, field, rs->fields[i], NULL, &canon)) != NULL)
			row_problem(rs, key, problem);
		else if (*canon)
			json_object_set_new(out, key, json_string(canon));
	}
}

size_t
import_row_read(struct crm_arena *a, json_t *mapping, const char *country, json_t *custom,
    char **fields, size_t nfields, struct crm_contact_form *f, json_t *problems, json_t *custom_out)
{
	struct row_source rs = { a, mapping, fields, nfields, problems, "", "", country };
	const struct crm_contact_source src = { row_get, row_problem, &rs, a };
	const char *name = column(&rs, "name");
	size_t before = json_array_size(problems);

	memset(f, 0, sizeof(*f));
	if (name != NULL)
		split_name(&rs, name);
	crm_contact_check(f, &src);
	f->account = row_get(&rs, "account");
	if (!crm_valid_text(f->account, 0, 200, 0))
		row_problem(&rs, "account", N_("Keep the account name under 200 characters."));
	custom_columns(&rs, custom, custom_out);
	return json_array_size(problems) - before;
}

const char *
import_path(struct crm_arena *a, const struct crm_conf *conf, long long id)
{
	return crm_arena_printf(a, "%s/import-%lld.csv", conf->spool, id);
}

struct scan {
	json_t *headers;
	long long rows;
};

static int
scan_row(void *arg, size_t row_no, char **fields, size_t nfields)
{
	struct scan *s = arg;
	size_t i;

	if (row_no == 1) {
		s->headers = json_array();
		for (i = 0; i < nfields; i++)
			json_array_append_new(s->headers, json_string(fields[i]));
	} else {
		s->rows++;
	}
	return 0;
}

enum crm_err
import_scan(const char *path, json_t **headers, long long *rows, char *err, size_t errlen)
{
	struct scan s = { NULL, 0 };
	enum crm_err e;

	e = crm_csv_read_file(path, scan_row, &s, IMPORT_MAX_COLUMNS, IMPORT_MAX_FIELD, err, errlen);
	if (e == CRM_OK && s.headers == NULL) {
		snprintf(err, errlen, "the file is empty");
		e = CRM_EINVAL;
	}
	if (e != CRM_OK) {
		json_decref(s.headers);
		return e;
	}
	*headers = s.headers;
	*rows = s.rows;
	return CRM_OK;
}

/* A custom field whose label is the heading, as "cf_<id>". */
static const char *
guess_custom(json_t *custom, const char *heading)
{
	static char key[32];
	json_t *field;
	size_t i;

	json_array_foreach(custom, i, field)
		if (strcasecmp(heading, json_string_value(json_object_get(field, "label")) ?: "") == 0) {
			snprintf(key, sizeof(key), "cf_%lld", (long long)json_integer_value(json_object_get(field, "id")));
			return key;
		}
	return NULL;
}

json_t *
import_suggest(json_t *headers, json_t *last_headers, json_t *last_mapping, json_t *custom)
{
	json_t *mapping = json_array(), *h;
	size_t i, k;

	json_array_foreach(headers, i, h) {
		const char *heading = json_string_value(h), *field = NULL;

		for (k = 0; k < json_array_size(last_headers) && field == NULL; k++)
			if (strcmp(heading, json_string_value(json_array_get(last_headers, k)) ?: "") == 0)
				field = json_string_value(json_array_get(last_mapping, k));
		if (field == NULL || (*field && !import_field_known(field, custom)))
			field = import_guess(heading);
		if (field == NULL)
			field = guess_custom(custom, heading);
		/* A field already taken by an earlier column stays with it. */
		for (k = 0; field != NULL && *field && k < i; k++)
			if (strcmp(field, json_string_value(json_array_get(mapping, k))) == 0)
				field = NULL;
		json_array_append_new(mapping, json_string(field ? field : ""));
	}
	return mapping;
}
