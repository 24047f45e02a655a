/* Leads: interest not yet qualified. List (keyset, newest or best score
 * first), create, show (details, activities, history, the conversion
 * form), edit, reassign, and notes or calls logged on a lead. E-mail and
 * phone are stored as typed and normalised (lowercase, E.164) as the
 * customers module does, so conversion finds the same person. */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_phone.h"
#include "crm_valid.h"
#include "extern.h"

const char *const sales_lead_sources[] = { "web", "referral", "partner", "event", "advertising",
	"cold-call", "other", NULL };
static const char *const source_labels[] = { N_("Web"), N_("Referral"), N_("Partner"), N_("Event"),
	N_("Advertising"), N_("Cold call"), N_("Other"), NULL };
static const char *const statuses[] = { "new", "contacted", "qualified", "disqualified", NULL };
static const char *const status_labels[] = { N_("New"), N_("Contacted"), N_("Qualified"),
	N_("Disqualified"), NULL };
static const char *const sorts[] = { "newest", "score", NULL };
static const char *const sort_labels[] = { N_("Newest first"), N_("Best score first"), NULL };
const char *const sales_lead_form_fields[] = { "first_name", "last_name", "company", "title", "email",
	"phone", "city", "country", "message", NULL };
static const char *const field_labels[] = { N_("First name"), N_("Last name"), N_("Company"), N_("Title"),
	N_("E-mail"), N_("Phone"), N_("City"), N_("Country"), N_("Message"), NULL };

const char *
sales_lead_field_label(struct crm_ctx *c, const char *field)
{
	size_t i;

	for (i = 0; sales_lead_form_fields[i]; i++)
		if (strcmp(field, sales_lead_form_fields[i]) == 0)
			return crm_ctx_text(c, field_labels[i]);
	return field;
}

int
sales_lead_listed(const char *list, const char *field)
{
	size_t n = strlen(field);
	const char *p;

	/* An empty name or one holding the separator is never a field. */
	if (n == 0 || strchr(field, ',') != NULL)
		return 0;
	for (p = list; (p = strstr(p, field)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The audited fields: sales_lead_json's keys. */
static const char *const audited[] = { "first_name", "last_name", "full_name", "company", "title",
	"email", "phone", "city", "country", "source", "status", "disqualified_reason", "score",
	"message", "notes", NULL };

/* Latin words are matched whole (so "cto" is not found in "doctor"),
 * Chinese ones anywhere in the title. */
static const char *const senior_words[] = { "director", "head", "vp", "chief", "ceo", "cto", "cfo",
	"coo", "cio", "cmo", "president", "founder", "owner", "partner", "总监", "总裁", "总经理", "董事",
	"负责人", "创始人", NULL };
static const char *const manager_words[] = { "manager", "lead", "supervisor", "经理", "主管", NULL };
static const int source_weights[] = { 15, 25, 20, 15, 10, 5, 0 };

static int
title_has(const char *title, const char *const *words)
{
	char low[128], *w, *save = NULL;
	size_t i, n;

	for (n = 0; title[n] && n < sizeof(low) - 1; n++)
		low[n] = (char)(isalnum((unsigned char)title[n]) || (unsigned char)title[n] >= 0x80 ?
		    tolower((unsigned char)title[n]) : ' ');
	low[n] = '\0';
	for (i = 0; words[i]; i++)
		if ((unsigned char)words[i][0] >= 0x80 && strstr(title, words[i]) != NULL)
			return 1;
	for (w = strtok_r(low, " ", &save); w; w = strtok_r(NULL, " ", &save))
		for (i = 0; words[i]; i++)
			if (strcmp(w, words[i]) == 0)
				return 1;
	return 0;
}

/*
 * The score, 0..100, recomputed on every save: how much the lead tells
 * us and how warm its source is.
 *   a company named                                   +15
 *   an e-mail address                                 +10
 *   a phone number that makes sense (E.164)           +15
 *   a decision maker's title (director, head, VP,
 *     chief, CEO.., president, founder, owner,
 *     partner; 总监 总裁 总经理 董事 负责人 创始人)    +25
 *   else a manager's (manager, lead, supervisor;
 *     经理 主管)                                       +15
 *   the source: referral 25, partner 20, web 15,
 *     event 15, advertising 10, cold call 5, other 0
 *   a message of 20 characters or more                +10
 */
int
sales_lead_score(const struct lead_fields *f)
{
	int score = 0;
	size_t i;

	if (*f->company)
		score += 15;
	if (*f->email_norm)
		score += 10;
	if (*f->phone_e164)
		score += 15;
	if (title_has(f->title, senior_words))
		score += 25;
	else if (title_has(f->title, manager_words))
		score += 15;
	for (i = 0; sales_lead_sources[i]; i++)
		if (strcmp(f->source, sales_lead_sources[i]) == 0)
			score += source_weights[i];
	if (crm_valid_text(f->message, 20, 100000, 1))
		score += 10;
	return score > 100 ? 100 : score;
}

static const char *
full_name(struct crm_ctx *c, const char *first, const char *last)
{
	const char *p;
	int cjk = 0;

	if (*first == '\0')
		return last;
	if (*last == '\0')
		return first;
	/* Chinese names read family name first, with no space. */
	for (p = last; *p; p++)
		if ((unsigned char)*p >= 0xe3 && (unsigned char)*p <= 0xe9)
			cjk = 1;
	return cjk ? crm_arena_printf(c->arena, "%s%s", last, first) :
	    crm_arena_printf(c->arena, "%s %s", first, last);
}

static void
text(struct crm_ctx *c, const char *field, const char *v, size_t max, int multiline, const char *msgid)
{
	if (!crm_valid_text(v, 0, max, multiline))
		crm_ctx_field_error(c, field, msgid);
}

void
sales_lead_read(struct crm_ctx *c, struct lead_fields *f,
    const char *(*get)(void *, const char *), void *arg)
{
	char *country;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->first_name = get(arg, "first_name");
	f->last_name = get(arg, "last_name");
	f->company = get(arg, "company");
	f->title = get(arg, "title");
	f->email = get(arg, "email");
	f->phone = get(arg, "phone");
	f->city = get(arg, "city");
	country = crm_arena_strdup(c->arena, get(arg, "country"));
	for (i = 0; country[i]; i++)
		country[i] = (char)toupper((unsigned char)country[i]);
	f->country = country;
	f->source = get(arg, "source");
	f->status = get(arg, "status");
	f->reason = get(arg, "disqualified_reason");
	f->message = get(arg, "message");
	f->notes = get(arg, "notes");
	if (*f->status == '\0')
		f->status = "new";
	if (*f->source == '\0')
		f->source = "other";
	text(c, "first_name", f->first_name, 100, 0, N_("Keep the first name under 100 characters."));
	text(c, "last_name", f->last_name, 100, 0, N_("Keep the last name under 100 characters."));
	f->full_name = full_name(c, f->first_name, f->last_name);
	if (*f->full_name == '\0')
		crm_ctx_field_error(c, "last_name", N_("Enter a first or last name."));
	text(c, "company", f->company, 200, 0, N_("Keep the company under 200 characters."));
	text(c, "title", f->title, 100, 0, N_("Keep the title under 100 characters."));
	text(c, "city", f->city, 100, 0, N_("Keep the city under 100 characters."));
	text(c, "message", f->message, 5000, 1, N_("Keep the message under 5000 characters."));
	text(c, "notes", f->notes, 5000, 1, N_("Keep the notes under 5000 characters."));
	if (*country && (strlen(country) != 2 || !isupper((unsigned char)country[0]) ||
	    !isupper((unsigned char)country[1])))
		crm_ctx_field_error(c, "country", N_("Enter the country as two letters, such as CN or US."));
	if (*f->email && !crm_email_normalise(f->email, f->email_norm, sizeof(f->email_norm)))
		crm_ctx_field_error(c, "email", N_("Enter an e-mail address such as name@example.com."));
	if (!crm_valid_text(f->phone, 0, 50, 0))
		crm_ctx_field_error(c, "phone", N_("Keep the phone number under 50 characters."));
	else if (*f->phone && !crm_phone_e164(f->phone, f->country, f->phone_e164, sizeof(f->phone_e164)))
		crm_ctx_field_error(c, "phone", N_("Enter the number with its country code, such as +86 138 0013 8000, or set the country."));
	if (!crm_valid_oneof(f->source, sales_lead_sources))
		crm_ctx_field_error(c, "source", N_("Choose a source from the list."));
	if (!crm_valid_oneof(f->status, statuses))
		crm_ctx_field_error(c, "status", N_("Choose a status from the list."));
	if (strcmp(f->status, "disqualified") != 0)
		f->reason = "";
	else if (!crm_valid_text(f->reason, 1, 200, 0))
		crm_ctx_field_error(c, "disqualified_reason", N_("Say in up to 200 characters why the lead is disqualified."));
	f->score = sales_lead_score(f);
}

json_t *
sales_lead_json(const struct lead_fields *f)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s}",
	    "first_name", f->first_name, "last_name", f->last_name, "full_name", f->full_name,
	    "company", f->company, "title", f->title, "email", f->email, "phone", f->phone,
	    "city", f->city, "country", f->country, "source", f->source, "status", f->status,
	    "disqualified_reason", f->reason, "score", f->score, "message", f->message, "notes", f->notes);
}

/* The same fields of a stored lead, for the audit's before. */
static json_t *
stored_json(json_t *row)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; audited[i]; i++) {
		json_t *v = json_object_get(row, audited[i]);

		json_object_set_new(o, audited[i], v && !json_is_null(v) ? json_incref(v) : json_string(""));
	}
	return o;
}

static const char *
or_null(const char *s)
{
	return *s ? s : NULL;
}

void
sales_lead_bind(const struct lead_fields *f, struct crm_db_bind *b)
{
	crm_db_bind_str(&b[0], f->first_name, (size_t)-1);
	crm_db_bind_str(&b[1], f->last_name, (size_t)-1);
	crm_db_bind_str(&b[2], f->full_name, (size_t)-1);
	crm_db_bind_str(&b[3], f->company, (size_t)-1);
	crm_db_bind_str(&b[4], f->title, (size_t)-1);
	crm_db_bind_str(&b[5], f->email, (size_t)-1);
	crm_db_bind_str(&b[6], or_null(f->email_norm), (size_t)-1);
	crm_db_bind_str(&b[7], f->phone, (size_t)-1);
	crm_db_bind_str(&b[8], or_null(f->phone_e164), (size_t)-1);
	crm_db_bind_str(&b[9], f->city, (size_t)-1);
	crm_db_bind_str(&b[10], f->country, (size_t)-1);
	crm_db_bind_str(&b[11], f->source, (size_t)-1);
	crm_db_bind_str(&b[12], f->status, (size_t)-1);
	crm_db_bind_str(&b[13], f->reason, (size_t)-1);
	crm_db_bind_i64(&b[14], f->score);
	crm_db_bind_str(&b[15], f->message, (size_t)-1);
	crm_db_bind_str(&b[16], f->notes, (size_t)-1);
}

json_t *
sales_lead_options(struct crm_ctx *c, const char *const *values, const char *const *labels,
    const char *selected)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; values[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", values[i],
		    "label", crm_ctx_text(c, labels[i]), "selected", selected && strcmp(values[i], selected) == 0));
	return a;
}

static const char *
label_of(struct crm_ctx *c, const char *const *values, const char *const *labels, const char *v)
{
	size_t i;

	for (i = 0; v && values[i]; i++)
		if (strcmp(values[i], v) == 0)
			return crm_ctx_text(c, labels[i]);
	return v ? v : "";
}

static void
add_labels(struct crm_ctx *c, json_t *row)
{
	json_object_set_new(row, "status_label", json_string(label_of(c, statuses, status_labels,
	    json_string_value(json_object_get(row, "status")))));
	json_object_set_new(row, "source_label", json_string(label_of(c, sales_lead_sources, source_labels,
	    json_string_value(json_object_get(row, "source")))));
}

json_t *
sales_lead_users(struct crm_ctx *c, long long selected)
{
	json_t *rows = NULL, *row;
	size_t i;

	if (crm_db_rows(c->db, STMT_LEAD_USERS, NULL, 0, &rows) != CRM_OK)
		return json_array();
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "selected", json_boolean(json_integer_value(json_object_get(row, "id")) == selected));
	return rows;
}

static const char *
form_value(void *arg, const char *name)
{
	return crm_ctx_form_str(arg, name);
}

static int
valid_after(const char *sort, const char *after)
{
	size_t i;

	if (*after == '\0')
		return 1;
	if (strcmp(sort, "newest") == 0)
		return crm_valid_datetime(after);
	for (i = 0; after[i]; i++)
		if (!isdigit((unsigned char)after[i]) || i > 3)
			return 0;
	return 1;
}

int
sales_leads(struct crm_ctx *c)
{
	const char *status = crm_ctx_query_str(c, "status"), *source = crm_ctx_query_str(c, "source");
	const char *q = crm_ctx_query_str(c, "q"), *sort = crm_ctx_query_str(c, "sort"), *after = crm_ctx_query_str(c, "after");
	const char *owner_s = crm_ctx_query_str(c, "owner"), *after_s = crm_ctx_query(c, "after_id");
	static const char *const keep[] = { "status", "owner", "source", "q", "sort", NULL };
	long long owner = 0, after_id = 0;
	struct crm_db_bind b[19];
	json_t *rows = NULL, *row;
	size_t i;

	if (*sort == '\0')
		sort = "newest";
	if ((*status && !crm_valid_oneof(status, statuses)) ||
	    (*source && !crm_valid_oneof(source, sales_lead_sources)) ||
	    !crm_valid_oneof(sort, sorts) || !crm_valid_text(q, 0, 100, 0) ||
	    (*owner_s && !crm_valid_id(owner_s, &owner)) || !valid_after(sort, after) ||
	    (after_s && !crm_valid_id(after_s, &after_id)))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_str(&b[0], status, (size_t)-1);
	crm_db_bind_str(&b[1], status, (size_t)-1);
	crm_db_bind_i64(&b[2], owner);
	crm_db_bind_i64(&b[3], owner);
	crm_db_bind_str(&b[4], source, (size_t)-1);
	crm_db_bind_str(&b[5], source, (size_t)-1);
	for (i = 6; i < 10; i++)
		crm_db_bind_str(&b[i], q, (size_t)-1);
	sales_bind_scope(c, b + 10);
	crm_db_bind_str(&b[15], after, (size_t)-1);
	crm_db_bind_str(&b[16], after, (size_t)-1);
	crm_db_bind_str(&b[17], after, (size_t)-1);
	crm_db_bind_i64(&b[18], after_id);
	if (crm_db_rows(c->db, strcmp(sort, "score") == 0 ? STMT_LEADS_SCORE : STMT_LEADS_NEWEST,
	    b, 19, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/sales/leads", strcmp(sort, "score") == 0 ? "score" : "created_at", keep);
	json_array_foreach(rows, i, row)
		add_labels(c, row);
	crm_ctx_localise_dates(c, rows, "created_at");
	json_object_set_new(c->view, "leads", rows);
	json_object_set_new(c->view, "q", json_string(q));
	json_object_set_new(c->view, "statuses", sales_lead_options(c, statuses, status_labels, status));
	json_object_set_new(c->view, "sources", sales_lead_options(c, sales_lead_sources, source_labels, source));
	json_object_set_new(c->view, "sorts", sales_lead_options(c, sorts, sort_labels, sort));
	json_object_set_new(c->view, "users", sales_lead_users(c, owner));
	sales_nav(c, "leads");
	sales_flash(c);
	return 200;
}

static void
form_options(struct crm_ctx *c, json_t *lead)
{
	json_object_set_new(c->view, "statuses", sales_lead_options(c, statuses, status_labels,
	    json_string_value(json_object_get(lead, "status"))));
	json_object_set_new(c->view, "sources", sales_lead_options(c, sales_lead_sources, source_labels,
	    json_string_value(json_object_get(lead, "source"))));
}

static int
new_page(struct crm_ctx *c, json_t *lead, long long owner)
{
	form_options(c, lead);
	json_object_set_new(c->view, "lead", lead);
	json_object_set_new(c->view, "users", sales_lead_users(c, owner));
	sales_nav(c, "leads");
	return 200;
}

int
sales_lead_new(struct crm_ctx *c)
{
	return new_page(c, json_pack("{s:s,s:s}", "status", "new", "source", "other"), c->user->user_id);
}

struct change {
	struct crm_ctx *c;
	struct lead_fields f;
	long long id, owner;
	json_t *before;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[19];
	json_t *after = sales_lead_json(&ch->f);
	uint64_t id = 0;
	enum crm_err e;

	sales_lead_bind(&ch->f, b);
	crm_db_bind_i64(&b[17], ch->owner);
	crm_db_bind_null(&b[18]);
	if ((e = crm_db_exec(db, STMT_LEAD_CREATE, b, 19, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	json_object_set_new(after, "owner_id", json_integer(ch->owner));
	return crm_ctx_audit(ch->c, "create", "lead", ch->id, NULL, after);
}

/* The owner picked in a form: an active user, else 0 with a field error. */
static long long
owner_of(struct crm_ctx *c, const char *field)
{
	const char *v = crm_ctx_form_str(c, field);
	struct crm_db_bind b[1];
	json_t *row = NULL;
	long long id = 0;

	if (*v == '\0' && strcmp(field, "owner_id") == 0)
		return c->user->user_id;
	if (crm_valid_id(v, &id)) {
		crm_db_bind_i64(&b[0], id);
		if (crm_db_row(c->db, STMT_USER_ACTIVE, b, 1, &row) == CRM_OK)
			return id;
	}
	crm_ctx_field_error(c, field, N_("Choose an active user."));
	return 0;
}

int
sales_lead_create(struct crm_ctx *c)
{
	struct change ch;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	sales_lead_read(c, &ch.f, form_value, c);
	ch.owner = owner_of(c, "owner_id");
	if (crm_ctx_has_errors(c)) {
		json_t *typed = sales_lead_json(&ch.f);

		new_page(c, typed, ch.owner);
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, create_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/leads/%lld?done=created", ch.id));
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	return sales_load(c, STMT_LEAD_GET, id, 1, status);
}

/* Accounts and contacts the lead may already be, within the user's reach:
 * the conversion form offers them first. */
static enum crm_err
duplicates(struct crm_ctx *c, json_t *lead, json_t *convert)
{
	const char *company = json_string_value(json_object_get(lead, "company"));
	const char *email = json_string_value(json_object_get(lead, "email_norm"));
	const char *name = company && *company ? company : json_string_value(json_object_get(lead, "full_name"));
	struct crm_db_bind b[6];
	json_t *accounts = NULL, *contacts = NULL;
	enum crm_err e;

	crm_db_bind_str(&b[0], name, (size_t)-1);
	sales_bind_scope(c, b + 1);
	if ((e = crm_db_rows(c->db, STMT_LEAD_DUP_ACCOUNTS, b, 6, &accounts)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], email ? email : "", (size_t)-1);
	if ((e = crm_db_rows(c->db, STMT_LEAD_DUP_CONTACTS, b, 6, &contacts)) != CRM_OK)
		return e;
	json_object_set_new(c->view, "dup_accounts", accounts);
	json_object_set_new(c->view, "dup_contacts", contacts);
	/* The default choice: the first duplicate, else a new record. */
	if (json_object_get(convert, "account") == NULL)
		json_object_set_new(convert, "account", json_array_size(accounts) ?
		    json_string(crm_arena_printf(c->arena, "%lld",
		    (long long)json_integer_value(json_object_get(json_array_get(accounts, 0), "id")))) :
		    json_string("new"));
	if (json_object_get(convert, "contact") == NULL)
		json_object_set_new(convert, "contact", json_array_size(contacts) ?
		    json_string(crm_arena_printf(c->arena, "%lld",
		    (long long)json_integer_value(json_object_get(json_array_get(contacts, 0), "id")))) :
		    json_string("new"));
	return CRM_OK;
}

static void
mark_choice(json_t *rows, const char *chosen)
{
	long long id = 0;
	json_t *row;
	size_t i;

	if (chosen == NULL || !crm_valid_id(chosen, &id))
		id = 0;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "checked", json_boolean(json_integer_value(json_object_get(row, "id")) == id));
}

static int
is_new(json_t *convert, const char *key)
{
	const char *v = json_string_value(json_object_get(convert, key));

	return v != NULL && strcmp(v, "new") == 0;
}

int
sales_lead_page(struct crm_ctx *c, long long id, json_t *form, json_t *convert)
{
	struct crm_db_bind b[1];
	json_t *lead, *activities = NULL, *history = NULL;
	int status;

	if ((lead = load(c, id, &status)) == NULL)
		return status;
	add_labels(c, lead);
	json_object_set_new(lead, "converted", json_boolean(json_is_string(json_object_get(lead, "converted_at"))));
	json_object_set_new(lead, "disqualified", json_boolean(strcmp(json_string_value(json_object_get(lead,
	    "status")), "disqualified") == 0));
	crm_db_bind_i64(&b[0], id);
	if (crm_db_rows(c->db, STMT_LEAD_ACTIVITIES, b, 1, &activities) != CRM_OK)
		return 500;
	crm_ctx_localise_dates(c, activities, "at");
	if (crm_ctx_history(c, "lead", NULL, id, &history) != CRM_OK)
		return 500;
	if (form == NULL)
		form = json_deep_copy(lead);
	if (convert == NULL) {
		const char *company = json_string_value(json_object_get(lead, "company"));
		const char *name = company && *company ? company : json_string_value(json_object_get(lead, "full_name"));
		time_t t = time(NULL) + 30 * 86400;
		struct tm tm;
		char day[16];

		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		convert = json_pack("{s:s,s:s,s:s,s:s,s:b}", "account_name", name, "opportunity_name", name,
		    "amount", "0.00", "close_date", day, "create_opportunity", 1);
	}
	if (!json_is_true(json_object_get(lead, "converted")) && duplicates(c, lead, convert) != CRM_OK)
		return 500;
	mark_choice(json_object_get(c->view, "dup_accounts"), json_string_value(json_object_get(convert, "account")));
	mark_choice(json_object_get(c->view, "dup_contacts"), json_string_value(json_object_get(convert, "contact")));
	json_object_set_new(convert, "account_new", json_boolean(is_new(convert, "account")));
	json_object_set_new(convert, "contact_new", json_boolean(is_new(convert, "contact")));
	crm_ctx_localise_dates(c, history, "at");
	json_object_set_new(lead, "created_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(lead, "created_at")), 1)));
	json_object_set_new(lead, "converted_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(lead, "converted_at")), 1)));
	json_object_set_new(c->view, "lead", lead);
	json_object_set_new(c->view, "form", form);
	json_object_set_new(c->view, "convert", convert);
	json_object_set_new(c->view, "activities", activities);
	json_object_set_new(c->view, "history", history);
	sales_activity_form(c);
	json_object_set_new(c->view, "users", sales_lead_users(c,
	    json_integer_value(json_object_get(lead, "owner_id"))));
	json_object_set_new(c->view, "currency", json_string(sales_base_currency(c)));
	form_options(c, form);
	sales_nav(c, "leads");
	sales_flash(c);
	return 200;
}

int
sales_lead_show(struct crm_ctx *c)
{
	return sales_lead_page(c, crm_ctx_id(c, "id"), NULL, NULL);
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[23];
	uint64_t n = 0;
	enum crm_err e;

	sales_lead_bind(&ch->f, b);
	crm_db_bind_i64(&b[17], ch->id);
	sales_bind_scope(ch->c, b + 18);
	if ((e = crm_db_exec(db, STMT_LEAD_UPDATE, b, 23, &n, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "lead", ch->id, stored_json(ch->before), sales_lead_json(&ch->f));
}

int
sales_lead_update(struct crm_ctx *c)
{
	struct change ch;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	sales_lead_read(c, &ch.f, form_value, c);
	/* What a lead became stays true: a converted lead stays qualified. */
	if (json_is_string(json_object_get(ch.before, "converted_at")) && strcmp(ch.f.status, "qualified") != 0)
		crm_ctx_field_error(c, "status", N_("A converted lead stays qualified."));
	if (crm_ctx_has_errors(c)) {
		if ((status = sales_lead_page(c, ch.id, sales_lead_json(&ch.f), NULL)) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, update_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/leads/%lld?done=saved", ch.id));
}

static enum crm_err
reassign_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[7];
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->owner);
	crm_db_bind_i64(&b[1], ch->id);
	sales_bind_scope(ch->c, b + 2);
	if ((e = crm_db_exec(db, STMT_LEAD_REASSIGN, b, 7, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "reassign", "lead", ch->id,
	    json_pack("{s:O}", "owner_id", json_object_get(ch->before, "owner_id")),
	    json_pack("{s:I}", "owner_id", (json_int_t)ch->owner));
}

int
sales_lead_reassign(struct crm_ctx *c)
{
	struct change ch;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	ch.owner = owner_of(c, "new_owner_id");
	if (crm_ctx_has_errors(c)) {
		if ((status = sales_lead_page(c, ch.id, NULL, NULL)) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, reassign_tx, &ch) != CRM_OK)
		return 500;
	/* Given to someone out of the user's reach: back to the list. */
	if (ch.owner != c->user->user_id && strcmp(c->user->scope, "all") != 0)
		return crm_ctx_redirect(c, 303, "/sales/leads?done=reassigned");
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/leads/%lld?done=reassigned", ch.id));
}

/* The lead's page again, with what the activity form said was wrong. */
static int
lead_page(struct crm_ctx *c, long long id)
{
	return sales_lead_page(c, id, NULL, NULL);
}

int
sales_lead_activity(struct crm_ctx *c)
{
	static const struct sales_activity_target lead = {
		STMT_LEAD_ACTIVITY_ADD, "lead_id", "/sales/leads", lead_page,
	};
	long long id = crm_ctx_id(c, "id");
	int status;

	if (load(c, id, &status) == NULL)
		return status;
	return sales_activity_log(c, &lead, id);
}
