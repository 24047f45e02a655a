/* Company settings and teams. Each setting is declared once here with its
 * validator; the form, the checks and the audit row all come from it. */
#include <stdlib.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const currencies[] = { "USD", "EUR", "GBP", "CNY", "JPY", "CHF", "CAD", "AUD", NULL };

enum setting {
	SETTING_COMPANY_NAME,
	SETTING_BASE_CURRENCY,
	SETTING_TIME_ZONE,
	SETTING_SMTP_RELAY,
	SETTING_SESSION_IDLE_MINUTES,
	SETTING_SESSION_MAX_HOURS,
	/* The sales documents and the quote rules. */
	SETTING_COMPANY_ADDRESS,
	SETTING_COMPANY_TAX_ID,
	SETTING_COMPANY_EMAIL,
	SETTING_COMPANY_PHONE,
	SETTING_PUBLIC_URL,
	SETTING_QUOTE_APPROVAL_DISCOUNT,
	SETTING_QUOTE_VALID_DAYS,
	SETTING__MAX
};

struct setting_def {
	const char *name;
	const char *label;
	const char *problem;    /* shown when the value is refused */
	int (*valid)(const char *);
};

static int
valid_company(const char *v)
{
	return crm_valid_text(v, 1, 200, 0);
}

static int
valid_currency(const char *v)
{
	return crm_valid_oneof(v, currencies);
}

static int
valid_relay(const char *v)
{
	/* Empty (mail is not sent) or host[:port], no spaces. */
	size_t i;

	for (i = 0; v[i]; i++)
		if (v[i] <= ' ' || v[i] == '/' || v[i] == '@')
			return 0;
	return crm_valid_text(v, 0, 255, 0);
}

static int
valid_range(const char *v, long lo, long hi)
{
	long long n;

	return crm_valid_id(v, &n) && n >= lo && n <= hi;
}

static int
valid_idle(const char *v)
{
	return valid_range(v, 5, 1440);
}

static int
valid_max(const char *v)
{
	return valid_range(v, 1, 720);
}

static int
valid_address(const char *v)
{
	return crm_valid_text(v, 0, 500, 1);
}

static int
valid_short(const char *v)
{
	return crm_valid_text(v, 0, 50, 0);
}

static int
valid_optional_email(const char *v)
{
	return *v == '\0' || crm_valid_email(v);
}

/* Where customers open their links: http(s)://host[:port][/path], no
 * spaces, no query. */
static int
valid_public_url(const char *v)
{
	size_t i;

	if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
		return 0;
	for (i = 0; v[i]; i++)
		if (v[i] <= ' ' || v[i] == '?' || v[i] == '#' || v[i] == '"' || v[i] == '<' || v[i] == '>')
			return 0;
	return crm_valid_text(v, 10, 255, 0);
}

static int
valid_percent(const char *v)
{
	long long bp;

	return crm_decimal_parse(v, CRM_PERCENT_SCALE, 5, &bp) == 0 && bp >= 0 && bp <= 10000;
}

static int
valid_days(const char *v)
{
	return valid_range(v, 1, 365);
}

static const struct setting_def settings[SETTING__MAX] = {
	{ "company_name", N_("Company name"), N_("Enter the company name (up to 200 characters)."), valid_company }, /* SETTING_COMPANY_NAME */
	{ "base_currency", N_("Base currency"), N_("Choose a currency from the list."), valid_currency }, /* SETTING_BASE_CURRENCY */
	{ "time_zone", N_("Company time zone"), N_("Enter a time zone such as Europe/Berlin or Asia/Shanghai."), crm_valid_time_zone }, /* SETTING_TIME_ZONE */
	{ "smtp_relay", N_("Outgoing mail relay (host:port)"), N_("Enter a host name and port, such as mail.example.com:587, or leave it empty."), valid_relay }, /* SETTING_SMTP_RELAY */
	{ "session_idle_minutes", N_("Sign out after minutes idle"), N_("Enter 5 to 1440 minutes."), valid_idle }, /* SETTING_SESSION_IDLE_MINUTES */
	{ "session_max_hours", N_("Sign out after hours in any case"), N_("Enter 1 to 720 hours."), valid_max }, /* SETTING_SESSION_MAX_HOURS */
	{ "company_address", N_("Company address (printed on quotes)"), N_("Keep the address under 500 characters."), valid_address }, /* SETTING_COMPANY_ADDRESS */
	{ "company_tax_id", N_("Company tax ID"), N_("Keep the tax ID under 50 characters."), valid_short }, /* SETTING_COMPANY_TAX_ID */
	{ "company_email", N_("Company e-mail"), N_("Enter an e-mail address, or leave it empty."), valid_optional_email }, /* SETTING_COMPANY_EMAIL */
	{ "company_phone", N_("Company phone"), N_("Keep the phone number under 50 characters."), valid_short }, /* SETTING_COMPANY_PHONE */
	{ "public_url", N_("Public address of the CRM (for customers' links)"), N_("Enter an address such as https://crm.example.com."), valid_public_url }, /* SETTING_PUBLIC_URL */
	{ "quote_approval_discount", N_("Quote discounts above this percentage need approval"), N_("Enter a percentage from 0 to 100, such as 15."), valid_percent }, /* SETTING_QUOTE_APPROVAL_DISCOUNT */
	{ "quote_valid_days", N_("Quotes are valid for days"), N_("Enter 1 to 365 days."), valid_days }, /* SETTING_QUOTE_VALID_DAYS */
};
_Static_assert(CRM_NELEM(settings) == SETTING__MAX, "settings");

/* The form's fields: name, label, current or submitted value. */
static int
settings_view(struct crm_ctx *c, int submitted)
{
	json_t *rows = NULL, *row, *fields = json_array(), *opts = json_array();
	size_t i, k;

	if (crm_db_rows(c->db, STMT_SETTINGS_ALL, NULL, 0, &rows) != CRM_OK)
		return 500;
	for (i = 0; i < SETTING__MAX; i++) {
		const char *value = submitted ? crm_ctx_form(c, settings[i].name) : NULL;

		json_array_foreach(rows, k, row)
			if (!submitted && strcmp(json_string_value(json_object_get(row, "name")),
			    settings[i].name) == 0)
				value = json_string_value(json_object_get(row, "value"));
		json_array_append_new(fields, json_pack("{s:s,s:s,s:s,s:b,s:b}", "name", settings[i].name,
		    "label", crm_ctx_text(c, settings[i].label), "value", value ? value : "",
		    "is_currency", i == SETTING_BASE_CURRENCY, "multiline", i == SETTING_COMPANY_ADDRESS));
		if (i == SETTING_BASE_CURRENCY)
			for (k = 0; currencies[k]; k++)
				json_array_append_new(opts, json_pack("{s:s,s:b}", "code", currencies[k],
				    "selected", value && strcmp(value, currencies[k]) == 0));
	}
	json_object_set_new(c->view, "fields", fields);
	json_object_set_new(c->view, "currencies", opts);
	json_object_set_new(c->view, "title", json_string("Settings"));
	crm_ctx_nav_here(c, "admin");
	return 200;
}

int
admin_settings(struct crm_ctx *c)
{
	admin_done_message(c);
	return settings_view(c, 0);
}

static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct crm_ctx *c = arg;
	json_t *rows = NULL, *row, *before = json_object(), *after = json_object();
	struct crm_db_bind b[2];
	enum crm_err e;
	size_t i, k;

	if ((e = crm_db_rows(db, STMT_SETTINGS_ALL, NULL, 0, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, k, row)
		json_object_set(before, json_string_value(json_object_get(row, "name")),
		    json_object_get(row, "value"));
	for (i = 0; i < SETTING__MAX; i++) {
		const char *v = crm_ctx_form(c, settings[i].name);

		crm_db_bind_str(&b[0], v, (size_t)-1);
		crm_db_bind_str(&b[1], settings[i].name, (size_t)-1);
		if ((e = crm_db_exec(db, STMT_SETTING_SET, b, 2, NULL, NULL)) != CRM_OK)
			return e;
		json_object_set_new(after, settings[i].name, json_string(v));
	}
	return crm_ctx_audit(c, "update", "settings", 0, before, after);
}

int
admin_settings_save(struct crm_ctx *c)
{
	size_t i;

	for (i = 0; i < SETTING__MAX; i++) {
		const char *v = crm_ctx_form(c, settings[i].name);

		if (v == NULL || !settings[i].valid(v))
			crm_ctx_field_error(c, settings[i].name, settings[i].problem);
	}
	if (crm_ctx_has_errors(c)) {
		int st = settings_view(c, 1);

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	if (crm_db_tx(c->db, save_tx, c) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/admin/settings?done=saved");
}

int
admin_teams(struct crm_ctx *c)
{
	json_t *teams = NULL;

	if (crm_db_rows(c->db, STMT_TEAMS_LIST, NULL, 0, &teams) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "teams", teams);
	json_object_set_new(c->view, "title", json_string("Teams"));
	crm_ctx_nav_here(c, "admin");
	admin_done_message(c);
	return 200;
}

struct team {
	struct crm_ctx *c;
	const char *name;
	long long id;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct team *t = arg;
	struct crm_db_bind b[1];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], t->name, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_TEAM_CREATE, b, 1, NULL, &id)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, "create", "team", (long long)id, NULL,
	    json_pack("{s:s}", "name", t->name));
}

static enum crm_err
rename_tx(struct crm_db *db, void *arg)
{
	struct team *t = arg;
	struct crm_db_bind b[2];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], t->name, (size_t)-1);
	crm_db_bind_i64(&b[1], t->id);
	if ((e = crm_db_exec(db, STMT_TEAM_RENAME, b, 2, &n, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, "update", "team", t->id, NULL, json_pack("{s:s}", "name", t->name));
}

static int
team_save(struct crm_ctx *c, long long id)
{
	struct team t = { c, crm_ctx_form(c, "name"), id };
	enum crm_err e;

	if (!crm_valid_text(t.name, 1, 100, 0)) {
		crm_ctx_field_error(c, "name", N_("Enter a team name of up to 100 characters."));
	} else {
		e = crm_db_tx(c->db, id ? rename_tx : create_tx, &t);
		if (e == CRM_OK)
			return crm_ctx_redirect(c, 303, id ? "/admin/teams?done=saved" :
			    "/admin/teams?done=team_created");
		if (e != CRM_ECONFLICT)
			return 500;
		crm_ctx_field_error(c, "name", N_("A team with this name exists already."));
	}
	if (admin_teams(c) != 200)
		return 500;
	return crm_ctx_status(c, crm_ctx_has_errors(c) ? 422 : 409);
}

int
admin_team_create(struct crm_ctx *c)
{
	return team_save(c, 0);
}

int
admin_team_rename(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");

	return id ? team_save(c, id) : 404;
}
