/* The report compiler: a definition becomes one grouped SELECT whose text
 * is made only of the catalogue's fragments below and whose values are all
 * binds. A definition names an entity, fields and operators of these
 * tables; anything else is an error naming the part. */
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_i18n.h"
#include "crm_report.h"
#include "crm_sqlbuild.h"
#include "crm_valid.h"

/*
 * The catalogue. Each entity's rows are x, its owner (when it has one) o
 * in users, as the lists of its module join them; from ends in the
 * conditions every list of the entity has (not deleted). A field's expr
 * reads only those tables. A choice is an ENUM column declared in the
 * order of its choices: "+ 0", its index, sorts its groups as records move
 * through them (new, contacted, qualified...).
 */

#define G CRM_REPORT_GROUP
#define S CRM_REPORT_SUM
#define F CRM_REPORT_FILTER
#define B CRM_REPORT_BUCKET

/* The modules' SCOPE(t) (crm_auth_bind_scope's 5 binds). */
#define SCOPE(t) " (? = 'all' OR " t ".owner_id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))"

static const char *const lead_status[] = { "new", "contacted", "qualified", "disqualified", NULL };
static const char *const stage_kind[] = { "open", "won", "lost", NULL };
static const char *const order_status[] = { "confirmed", "shipped", "delivered", "cancelled", NULL };
static const char *const ticket_status[] = { "new", "open", "pending", "resolved", "closed", NULL };
static const char *const ticket_priority[] = { "low", "normal", "high", "urgent", NULL };
static const char *const ticket_channel[] = { "phone", "email", "web", "walk_in", NULL };
static const char *const activity_kind[] = { "note", "call", "meeting", "email", "task", NULL };
static const char *const member_status[] = { "targeted", "sent", "opened", "clicked", "responded", "converted",
	"unsubscribed", "bounced", NULL };
static const char *const quote_status[] = { "draft", "pending_approval", "approved", "rejected", "sent", "accepted",
	"declined", "superseded", "expired", NULL };
static const char *const campaign_type[] = { "email", "sms", "event", "print", "web", NULL };

static const struct crm_report_field account_fields[] = {
	{ "name", N_("Name"), CRM_REPORT_TEXT, F, "x.name", NULL, NULL },
	{ "industry", N_("Industry"), CRM_REPORT_TEXT, G | F, "x.industry", NULL, NULL },
	{ "size", N_("Size"), CRM_REPORT_TEXT, G | F, "x.size", NULL, NULL },
	{ "city", N_("City"), CRM_REPORT_TEXT, G | F, "x.city", NULL, NULL },
	{ "region", N_("Region"), CRM_REPORT_TEXT, G | F, "x.region", NULL, NULL },
	{ "country", N_("Country code"), CRM_REPORT_TEXT, G | F, "x.country", NULL, NULL },
	{ "owner", N_("Owner"), CRM_REPORT_TEXT, G | F, "o.name", NULL, NULL },
	{ "annual_revenue", N_("Annual revenue"), CRM_REPORT_NUMBER, S | F, "x.annual_revenue", NULL, NULL },
	{ "created_at", N_("Created"), CRM_REPORT_DATE, B | F, "x.created_at", NULL, NULL },
};

static const struct crm_report_field contact_fields[] = {
	{ "full_name", N_("Name"), CRM_REPORT_TEXT, F, "x.full_name", NULL, NULL },
	{ "title", N_("Job title"), CRM_REPORT_TEXT, G | F, "x.title", NULL, NULL },
	{ "city", N_("City"), CRM_REPORT_TEXT, G | F, "x.city", NULL, NULL },
	{ "region", N_("Region"), CRM_REPORT_TEXT, G | F, "x.region", NULL, NULL },
	{ "country", N_("Country code"), CRM_REPORT_TEXT, G | F, "x.country", NULL, NULL },
	{ "source", N_("Source"), CRM_REPORT_TEXT, G | F, "x.source", NULL, NULL },
	{ "owner", N_("Owner"), CRM_REPORT_TEXT, G | F, "o.name", NULL, NULL },
	{ "consent_email", N_("Consents to marketing e-mail"), CRM_REPORT_BOOL, G | F, "x.consent_email", NULL, NULL },
	{ "created_at", N_("Created"), CRM_REPORT_DATE, B | F, "x.created_at", NULL, NULL },
	{ "birthday", N_("Birthday"), CRM_REPORT_DATE, B | F, "x.birthday", NULL, NULL },
};

static const struct crm_report_field lead_fields[] = {
	{ "company", N_("Company"), CRM_REPORT_TEXT, G | F, "x.company", NULL, NULL },
	{ "status", N_("Status"), CRM_REPORT_CHOICE, G | F, "x.status", lead_status, "MIN(x.status + 0)" },
	{ "source", N_("Source"), CRM_REPORT_TEXT, G | F, "x.source", NULL, NULL },
	{ "city", N_("City"), CRM_REPORT_TEXT, G | F, "x.city", NULL, NULL },
	{ "country", N_("Country code"), CRM_REPORT_TEXT, G | F, "x.country", NULL, NULL },
	{ "owner", N_("Owner"), CRM_REPORT_TEXT, G | F, "o.name", NULL, NULL },
	{ "score", N_("Score"), CRM_REPORT_NUMBER, S | F, "x.score", NULL, NULL },
	{ "created_at", N_("Created"), CRM_REPORT_DATE, B | F, "x.created_at", NULL, NULL },
	{ "converted_at", N_("Converted"), CRM_REPORT_DATE, B | F, "x.converted_at", NULL, NULL },
};

static const struct crm_report_field opportunity_fields[] = {
	{ "name", N_("Name"), CRM_REPORT_TEXT, F, "x.name", NULL, NULL },
	{ "stage", N_("Stage"), CRM_REPORT_TEXT, G | F, "s.name", NULL, "MIN(s.position)" },
	{ "stage_kind", N_("Open, won or lost"), CRM_REPORT_CHOICE, G | F, "s.kind", stage_kind, "MIN(s.kind + 0)" },
	{ "source", N_("Source"), CRM_REPORT_TEXT, G | F, "x.source", NULL, NULL },
	{ "account", N_("Account"), CRM_REPORT_TEXT, G | F, "ac.name", NULL, NULL },
	{ "owner", N_("Owner"), CRM_REPORT_TEXT, G | F, "o.name", NULL, NULL },
	{ "amount", N_("Amount"), CRM_REPORT_NUMBER, S | F, "x.amount", NULL, NULL },
	{ "probability", N_("Probability"), CRM_REPORT_NUMBER, S | F, "x.probability", NULL, NULL },
	{ "close_date", N_("Close date"), CRM_REPORT_DATE, B | F, "x.close_date", NULL, NULL },
	{ "created_at", N_("Created"), CRM_REPORT_DATE, B | F, "x.created_at", NULL, NULL },
	{ "closed_at", N_("Closed"), CRM_REPORT_DATE, B | F, "x.closed_at", NULL, NULL },
};

static const struct crm_report_field order_fields[] = {
	{ "number", N_("Number"), CRM_REPORT_TEXT, F, "x.number", NULL, NULL },
	{ "status", N_("Status"), CRM_REPORT_CHOICE, G | F, "x.status", order_status, "MIN(x.status + 0)" },
	{ "currency", N_("Currency"), CRM_REPORT_TEXT, G | F, "x.currency", NULL, NULL },
	{ "account", N_("Account"), CRM_REPORT_TEXT, G | F, "ac.name", NULL, NULL },
	{ "owner", N_("Owner"), CRM_REPORT_TEXT, G | F, "o.name", NULL, NULL },
	{ "total_base", N_("Total in the base currency"), CRM_REPORT_NUMBER, S | F, "x.total_base", NULL, NULL },
	{ "subtotal", N_("Subtotal"), CRM_REPORT_NUMBER, S | F, "x.subtotal", NULL, NULL },
	{ "tax_total", N_("Tax"), CRM_REPORT_NUMBER, S | F, "x.tax_total", NULL, NULL },
	{ "ordered_on", N_("Ordered on"), CRM_REPORT_DATE, B | F, "x.ordered_on", NULL, NULL },
	{ "shipped_on", N_("Shipped on"), CRM_REPORT_DATE, B | F, "x.shipped_on", NULL, NULL },
	{ "delivered_on", N_("Delivered on"), CRM_REPORT_DATE, B | F, "x.delivered_on", NULL, NULL },
};

static const struct crm_report_field ticket_fields[] = {
	{ "subject", N_("Subject"), CRM_REPORT_TEXT, F, "x.subject", NULL, NULL },
	{ "status", N_("Status"), CRM_REPORT_CHOICE, G | F, "x.status", ticket_status, "MIN(x.status + 0)" },
	{ "priority", N_("Priority"), CRM_REPORT_CHOICE, G | F, "x.priority", ticket_priority, "MIN(x.priority + 0)" },
	{ "channel", N_("Channel"), CRM_REPORT_CHOICE, G | F, "x.channel", ticket_channel, "MIN(x.channel + 0)" },
	{ "category", N_("Category"), CRM_REPORT_TEXT, G | F, "tc.name", NULL, NULL },
	{ "owner", N_("Agent"), CRM_REPORT_TEXT, G | F, "o.name", NULL, NULL },
	{ "is_open", N_("Open"), CRM_REPORT_BOOL, G | F, "x.is_open", NULL, NULL },
	{ "resolution_breached", N_("Resolution SLA breached"), CRM_REPORT_BOOL, G | F, "x.resolution_breached", NULL, NULL },
	{ "hours_to_resolve", N_("Hours to resolve"), CRM_REPORT_NUMBER, S | F,
	    "TIMESTAMPDIFF(MINUTE, x.created_at, x.resolved_at) / 60", NULL, NULL },
	{ "created_at", N_("Created"), CRM_REPORT_DATE, B | F, "x.created_at", NULL, NULL },
	{ "resolved_at", N_("Resolved"), CRM_REPORT_DATE, B | F, "x.resolved_at", NULL, NULL },
};

static const struct crm_report_field activity_fields[] = {
	{ "subject", N_("Subject"), CRM_REPORT_TEXT, F, "x.subject", NULL, NULL },
	{ "kind", N_("Kind"), CRM_REPORT_CHOICE, G | F, "x.kind", activity_kind, "MIN(x.kind + 0)" },
	{ "assignee", N_("Assignee"), CRM_REPORT_TEXT, G | F, "u.name", NULL, NULL },
	{ "done", N_("Done"), CRM_REPORT_BOOL, G | F, "x.done_at IS NOT NULL", NULL, NULL },
	{ "at", N_("When"), CRM_REPORT_DATE, B | F, "x.at", NULL, NULL },
	{ "created_at", N_("Created"), CRM_REPORT_DATE, B | F, "x.created_at", NULL, NULL },
};

/* Quotes: added for the rules ("7 days before a quote expires"), which
 * also gives the report builder its quotes. */
static const struct crm_report_field quote_fields[] = {
	{ "number", N_("Number"), CRM_REPORT_TEXT, F, "x.number", NULL, NULL },
	{ "title", N_("Title"), CRM_REPORT_TEXT, F, "x.title", NULL, NULL },
	{ "status", N_("Status"), CRM_REPORT_CHOICE, G | F, "x.status", quote_status, "MIN(x.status + 0)" },
	{ "currency", N_("Currency"), CRM_REPORT_TEXT, G | F, "x.currency", NULL, NULL },
	{ "account", N_("Account"), CRM_REPORT_TEXT, G | F, "ac.name", NULL, NULL },
	{ "owner", N_("Owner"), CRM_REPORT_TEXT, G | F, "o.name", NULL, NULL },
	{ "total", N_("Total"), CRM_REPORT_NUMBER, S | F, "x.total", NULL, NULL },
	{ "valid_until", N_("Valid until"), CRM_REPORT_DATE, B | F, "x.valid_until", NULL, NULL },
	{ "created_at", N_("Created"), CRM_REPORT_DATE, B | F, "x.created_at", NULL, NULL },
};

static const struct crm_report_field member_fields[] = {
	{ "campaign", N_("Campaign"), CRM_REPORT_TEXT, G | F, "cp.name", NULL, NULL },
	{ "campaign_type", N_("Campaign type"), CRM_REPORT_CHOICE, G | F, "cp.type", campaign_type, "MIN(cp.type + 0)" },
	{ "status", N_("Status"), CRM_REPORT_CHOICE, G | F, "x.status", member_status, "MIN(x.status + 0)" },
	{ "owner", N_("Campaign owner"), CRM_REPORT_TEXT, G | F, "o.name", NULL, NULL },
	{ "added_at", N_("Added"), CRM_REPORT_DATE, B | F, "x.added_at", NULL, NULL },
	{ "sent_at", N_("Sent"), CRM_REPORT_DATE, B | F, "x.sent_at", NULL, NULL },
	{ "opened_at", N_("Opened"), CRM_REPORT_DATE, B | F, "x.opened_at", NULL, NULL },
	{ "converted_at", N_("Converted"), CRM_REPORT_DATE, B | F, "x.converted_at", NULL, NULL },
};

#define E(arr) arr, CRM_NELEM(arr)

/* Scopes as the entity's own lists test them: customers' accounts and
 * contacts, sales' leads, deals and orders (the owner), service's tickets
 * (the agent's, or nobody's yet: open to every agent), customers'
 * activities (the assignee's, or reached through the owner of the
 * contact or account it hangs on), and marketing's campaign members
 * (through their campaign's owner). */
static const struct crm_report_entity entities[] = {
	{ "accounts", N_("Accounts"), "customers.read", "accounts", CRM_REPORT_SCOPE_OWNER,
	    " FROM accounts x STRAIGHT_JOIN users o ON o.id = x.owner_id WHERE x.deleted_at IS NULL",
	    SCOPE("x"), E(account_fields) },
	{ "contacts", N_("Contacts"), "customers.read", "contacts", CRM_REPORT_SCOPE_OWNER,
	    " FROM contacts x STRAIGHT_JOIN users o ON o.id = x.owner_id WHERE x.deleted_at IS NULL"
	    " AND x.erased_at IS NULL", SCOPE("x"), E(contact_fields) },
	{ "leads", N_("Leads"), "sales.read", "leads", CRM_REPORT_SCOPE_OWNER,
	    " FROM leads x STRAIGHT_JOIN users o ON o.id = x.owner_id WHERE x.deleted_at IS NULL",
	    SCOPE("x"), E(lead_fields) },
	{ "opportunities", N_("Deals"), "sales.read", "opportunities", CRM_REPORT_SCOPE_OWNER,
	    " FROM opportunities x STRAIGHT_JOIN users o ON o.id = x.owner_id"
	    " JOIN pipeline_stages s ON s.id = x.stage_id LEFT JOIN accounts ac ON ac.id = x.account_id"
	    " WHERE x.deleted_at IS NULL", SCOPE("x"), E(opportunity_fields) },
	{ "orders", N_("Orders"), "sales.read", "orders", CRM_REPORT_SCOPE_OWNER,
	    " FROM orders x STRAIGHT_JOIN users o ON o.id = x.owner_id LEFT JOIN accounts ac ON ac.id = x.account_id"
	    " WHERE 1", SCOPE("x"), E(order_fields) },
	{ "tickets", N_("Tickets"), "service.read", "tickets", CRM_REPORT_SCOPE_TICKET,
	    " FROM tickets x LEFT JOIN users o ON o.id = x.owner_id"
	    " LEFT JOIN ticket_categories tc ON tc.id = x.category_id WHERE x.deleted_at IS NULL",
	    " (" SCOPE("x") " OR x.owner_id IS NULL)", E(ticket_fields) },
	{ "activities", N_("Activities"), "customers.read", "activities", CRM_REPORT_SCOPE_ACTIVITY,
	    " FROM activities x JOIN users u ON u.id = x.assignee_id"
	    " LEFT JOIN contacts c ON c.id = x.contact_id LEFT JOIN accounts a ON a.id = x.account_id"
	    " LEFT JOIN users o ON o.id = COALESCE(c.owner_id, a.owner_id) WHERE x.deleted_at IS NULL",
	    " (x.assignee_id = ? OR ? = 'all' OR o.id = ? OR (? = 'team' AND ? <> 0 AND o.team_id = ?))",
	    E(activity_fields) },
	{ "quotes", N_("Quotes"), "sales.read", "quotes", CRM_REPORT_SCOPE_OWNER,
	    " FROM quotes x STRAIGHT_JOIN users o ON o.id = x.owner_id LEFT JOIN accounts ac ON ac.id = x.account_id"
	    " WHERE 1", SCOPE("x"), E(quote_fields) },
	{ "campaign_members", N_("Campaign members"), "marketing.read", "campaign_members", CRM_REPORT_SCOPE_OWNER,
	    " FROM campaign_members x JOIN campaigns cp ON cp.id = x.campaign_id"
	    " STRAIGHT_JOIN users o ON o.id = cp.owner_id WHERE cp.deleted_at IS NULL",
	    SCOPE("cp"), E(member_fields) },
};

static const char *const ops_text[] = { "eq", "ne", "contains", "starts_with", "is_empty", "not_empty", NULL };
static const char *const ops_choice[] = { "eq", "ne", NULL };
static const char *const ops_number[] = { "eq", "ne", "gt", "lt", "between", "is_empty", "not_empty", NULL };
static const char *const ops_date[] = { "eq", "gt", "lt", "between", "within_days", "is_empty", "not_empty", NULL };
static const char *const ops_bool[] = { "eq", NULL };

static const char *const *const type_ops[CRM_REPORT_TYPE__MAX] = {
	ops_text,       /* CRM_REPORT_TEXT */
	ops_choice,     /* CRM_REPORT_CHOICE */
	ops_number,     /* CRM_REPORT_NUMBER */
	ops_date,       /* CRM_REPORT_DATE */
	ops_bool,       /* CRM_REPORT_BOOL */
};
_Static_assert(CRM_NELEM(type_ops) == CRM_REPORT_TYPE__MAX, "type_ops");

static const struct {
	const char *op, *label;
	int values;
} op_defs[] = {
	{ "eq", N_("is"), 1 },
	{ "ne", N_("is not"), 1 },
	{ "contains", N_("contains"), 1 },
	{ "starts_with", N_("starts with"), 1 },
	{ "gt", N_("is over / after"), 1 },
	{ "lt", N_("is under / before"), 1 },
	{ "between", N_("is between"), 2 },
	{ "within_days", N_("within the last N days"), 1 },
	{ "is_empty", N_("is empty"), 0 },
	{ "not_empty", N_("is not empty"), 0 },
};

const char *const crm_report_buckets[] = { "day", "week", "month", "quarter", "year", NULL };
static const char *const bucket_labels[] = { N_("Day"), N_("Week"), N_("Month"), N_("Quarter"), N_("Year") };
/* Each bucket's text, around the date's expression: sorted as text, the
 * periods come in time order. A week is named by its Monday. Periods are
 * of the dates as stored, which for a DATETIME is UTC (as the modules'
 * date filters read them). */
static const char *const bucket_sql[][3] = {
	{ "DATE_FORMAT(", ", '%Y-%m-%d')", NULL },
	{ "DATE_FORMAT(", " - INTERVAL WEEKDAY(", ") DAY, '%Y-%m-%d')" },
	{ "DATE_FORMAT(", ", '%Y-%m')", NULL },
	{ "CONCAT(YEAR(", "), '-Q', QUARTER(", "))" },
	{ "DATE_FORMAT(", ", '%Y')", NULL },
};
_Static_assert(CRM_NELEM(bucket_labels) + 1 == CRM_NELEM(crm_report_buckets), "bucket_labels");
_Static_assert(CRM_NELEM(bucket_sql) + 1 == CRM_NELEM(crm_report_buckets), "bucket_sql");

const char *const crm_report_measures[] = { "count", "sum", "avg", NULL };
static const char *const measure_labels[] = { N_("Count"), N_("Sum"), N_("Average") };
_Static_assert(CRM_NELEM(measure_labels) + 1 == CRM_NELEM(crm_report_measures), "measure_labels");

static int
index_of(const char *const *list, const char *v)
{
	int i;

	for (i = 0; v != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], v) == 0)
			return i;
	return -1;
}

const struct crm_report_entity *
crm_report_entity_at(size_t i)
{
	return i < CRM_NELEM(entities) ? &entities[i] : NULL;
}

const struct crm_report_entity *
crm_report_entity(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < CRM_NELEM(entities); i++)
		if (strcmp(entities[i].name, name) == 0)
			return &entities[i];
	return NULL;
}

const struct crm_report_field *
crm_report_field(const struct crm_report_entity *e, const char *name)
{
	size_t i;

	for (i = 0; e != NULL && name != NULL && i < e->nfields; i++)
		if (strcmp(e->fields[i].name, name) == 0)
			return &e->fields[i];
	return NULL;
}

const char *const *
crm_report_ops(enum crm_report_type t)
{
	return t < CRM_REPORT_TYPE__MAX ? type_ops[t] : NULL;
}

static int
op_index(const char *op)
{
	size_t i;

	for (i = 0; op != NULL && i < CRM_NELEM(op_defs); i++)
		if (strcmp(op_defs[i].op, op) == 0)
			return (int)i;
	return -1;
}

const char *
crm_report_op_label(const char *op)
{
	int i = op_index(op);

	return i < 0 ? NULL : op_defs[i].label;
}

int
crm_report_op_values(const char *op)
{
	int i = op_index(op);

	return i < 0 ? 0 : op_defs[i].values;
}

const char *
crm_report_bucket_label(const char *bucket)
{
	int i = index_of(crm_report_buckets, bucket);

	return i < 0 ? NULL : bucket_labels[i];
}

const char *
crm_report_measure_label(const char *measure)
{
	int i = index_of(crm_report_measures, measure);

	return i < 0 ? NULL : measure_labels[i];
}

/*
 * The compiler.
 */

struct st {
	struct crm_arena *a;
	struct crm_sqlbuild q;          /* the text so far and its binds */
	struct crm_report_error *err;
	struct crm_report_sql *out;
	json_t *filter;
};

static enum crm_err
fail(struct st *s, const char *key, const char *msgid)
{
	s->err->key = key;
	s->err->msgid = msgid;
	return CRM_EINVAL;
}

static void
use(struct st *s, const struct crm_report_field *f)
{
	size_t i;

	for (i = 0; i < s->out->nused; i++)
		if (s->out->used[i] == f)
			return;
	if (s->out->nused < CRM_NELEM(s->out->used))
		s->out->used[s->out->nused++] = f;
}

/* A filter's member as text: strings as they are, integers written out. */
static const char *
member_text(struct st *s, const char *key)
{
	json_t *v = json_object_get(s->filter, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return crm_arena_printf(s->a, "%lld", (long long)json_integer_value(v));
	return NULL;
}

/* A decimal such as 1000, -5 or 99.95, bound as text and cast in SQL so
 * no float rounding comes between the form and the comparison. */
static int
decimal_ok(const char *v)
{
	size_t digits = 0, frac = 0;
	int dot = 0;

	if (v == NULL)
		return 0;
	for (v = *v == '-' ? v + 1 : v; *v; v++) {
		if (*v == '.' && !dot && digits > 0)
			dot = 1;
		else if (*v >= '0' && *v <= '9')
			dot ? frac++ : digits++;
		else
			return 0;
	}
	return digits > 0 && digits <= 15 && frac <= 6 && !(dot && frac == 0);
}

static enum crm_err
value_of(struct st *s, const struct crm_report_field *f, const char *op, const char *key, const char **out)
{
	const char *v = member_text(s, key);
	const char *p;

	if (strcmp(op, "within_days") == 0) {
		long long n = 0;

		if (v == NULL || *v == '\0' || strlen(v) > 4)
			return fail(s, "filters", N_("Enter a number of days from 1 to 3650."));
		for (p = v; *p; p++) {
			if (*p < '0' || *p > '9')
				return fail(s, "filters", N_("Enter a number of days from 1 to 3650."));
			n = n * 10 + (*p - '0');
		}
		if (n < 1 || n > CRM_REPORT_MAX_DAYS)
			return fail(s, "filters", N_("Enter a number of days from 1 to 3650."));
		*out = v;
		return CRM_OK;
	}
	switch (f->type) {
	case CRM_REPORT_NUMBER:
		if (!decimal_ok(v))
			return fail(s, "filters", N_("Enter a number such as 1000 or 99.5."));
		break;
	case CRM_REPORT_DATE:
		if (v == NULL || !crm_valid_date(v))
			return fail(s, "filters", N_("Enter a date as YYYY-MM-DD."));
		break;
	case CRM_REPORT_CHOICE:
		if (index_of(f->choices, v) < 0)
			return fail(s, "filters", N_("Choose one of the field's values."));
		break;
	default:
		if (v == NULL || !crm_valid_text(v, 1, CRM_REPORT_MAX_TEXT, 0))
			return fail(s, "filters", N_("Enter a value of up to 200 characters."));
	}
	*out = v;
	return CRM_OK;
}

/* LIKE's own wildcards in a value match themselves. */
static const char *
like_escape(struct st *s, const char *v)
{
	struct crm_buf b;

	crm_buf_init(&b, s->a, strlen(v) + 8);
	for (; *v; v++) {
		if (*v == '%' || *v == '_' || *v == '\\')
			crm_buf_putc(&b, '\\');
		crm_buf_putc(&b, *v);
	}
	return b.data;
}

static enum crm_err
filter_bool(struct st *s, const struct crm_report_field *f)
{
	json_t *v = json_object_get(s->filter, "value");
	const char *t = json_is_string(v) ? json_string_value(v) : NULL;
	int yes;

	if (json_is_boolean(v))
		yes = json_is_true(v);
	else if (t != NULL && (strcmp(t, "yes") == 0 || strcmp(t, "true") == 0 || strcmp(t, "1") == 0))
		yes = 1;
	else if (t != NULL && (strcmp(t, "no") == 0 || strcmp(t, "false") == 0 || strcmp(t, "0") == 0))
		yes = 0;
	else
		return fail(s, "filters", N_("Choose yes or no."));
	crm_sqlbuild_put(&s->q, " AND ("), crm_sqlbuild_put(&s->q, f->expr), crm_sqlbuild_put(&s->q, ") = ?");
	crm_sqlbuild_i64(&s->q, yes);
	return CRM_OK;
}

/* Dates compare by calendar day, whether the column is a DATE or a
 * DATETIME, and keep the column bare so an index on it can be used. */
static void
filter_date(struct st *s, const char *e, const char *op, const char *v, const char *v2)
{
	if (strcmp(op, "within_days") == 0) {
		crm_sqlbuild_put(&s->q, " AND "), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " >= UTC_DATE() - INTERVAL ? DAY");
		crm_sqlbuild_i64(&s->q, strtoll(v, NULL, 10));
	} else if (strcmp(op, "gt") == 0) {
		crm_sqlbuild_put(&s->q, " AND "), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " >= CAST(? AS DATE) + INTERVAL 1 DAY");
		crm_sqlbuild_str(&s->q, v);
	} else if (strcmp(op, "lt") == 0) {
		crm_sqlbuild_put(&s->q, " AND "), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " < CAST(? AS DATE)");
		crm_sqlbuild_str(&s->q, v);
	} else {
		crm_sqlbuild_put(&s->q, " AND "), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " >= CAST(? AS DATE) AND "), crm_sqlbuild_put(&s->q, e);
		crm_sqlbuild_put(&s->q, " < CAST(? AS DATE) + INTERVAL 1 DAY");
		crm_sqlbuild_str(&s->q, v);
		crm_sqlbuild_str(&s->q, v2 != NULL ? v2 : v);
	}
}

static enum crm_err
filter(struct st *s, const struct crm_report_entity *ent)
{
	json_t *jf = json_object_get(s->filter, "field"), *jo = json_object_get(s->filter, "op");
	const struct crm_report_field *f;
	const char *op, *v = NULL, *v2 = NULL, *e;
	int nv;
	enum crm_err err;

	if (!json_is_object(s->filter))
		return fail(s, "filters", N_("A filter must name a field and an operator."));
	f = json_is_string(jf) ? crm_report_field(ent, json_string_value(jf)) : NULL;
	if (f == NULL || !(f->uses & CRM_REPORT_FILTER))
		return fail(s, "filters", N_("Unknown field."));
	op = json_is_string(jo) ? json_string_value(jo) : NULL;
	if (index_of(type_ops[f->type], op) < 0)
		return fail(s, "filters", N_("This operator does not apply to this field."));
	use(s, f);
	if (f->type == CRM_REPORT_BOOL)
		return filter_bool(s, f);
	e = f->expr;
	if (strcmp(op, "is_empty") == 0 || strcmp(op, "not_empty") == 0) {
		int empty = op[0] == 'i';

		crm_sqlbuild_put(&s->q, " AND ");
		if (f->type == CRM_REPORT_TEXT)
			crm_sqlbuild_put(&s->q, "IFNULL("), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, empty ? ", '') = ''" : ", '') <> ''");
		else
			crm_sqlbuild_put(&s->q, "("), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, empty ? ") IS NULL" : ") IS NOT NULL");
		return CRM_OK;
	}
	nv = crm_report_op_values(op);
	if ((err = value_of(s, f, op, "value", &v)) != CRM_OK)
		return err;
	if (nv == 2 && (err = value_of(s, f, op, "value2", &v2)) != CRM_OK)
		return err;
	if (f->type == CRM_REPORT_DATE) {
		filter_date(s, e, op, v, v2);
		return CRM_OK;
	}
	if (f->type == CRM_REPORT_NUMBER) {
		const char *ph = "CAST(? AS DECIMAL(21,6))";

		crm_sqlbuild_put(&s->q, " AND ");
		if (strcmp(op, "ne") == 0)
			crm_sqlbuild_put(&s->q, "NOT ("), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " <=> "), crm_sqlbuild_put(&s->q, ph), crm_sqlbuild_put(&s->q, ")");
		else if (strcmp(op, "between") == 0)
			crm_sqlbuild_put(&s->q, "("), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, ") BETWEEN "), crm_sqlbuild_put(&s->q, ph), crm_sqlbuild_put(&s->q, " AND "), crm_sqlbuild_put(&s->q, ph);
		else
			crm_sqlbuild_put(&s->q, "("), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, strcmp(op, "eq") == 0 ? ") = " : strcmp(op, "gt") == 0 ? ") > " : ") < "),
			    crm_sqlbuild_put(&s->q, ph);
		crm_sqlbuild_str(&s->q, v);
		if (v2 != NULL)
			crm_sqlbuild_str(&s->q, v2);
		return CRM_OK;
	}
	/* Text and choices. "is not" keeps the records without a value. */
	crm_sqlbuild_put(&s->q, " AND ");
	if (strcmp(op, "eq") == 0) {
		crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " = ?");
	} else if (strcmp(op, "ne") == 0) {
		crm_sqlbuild_put(&s->q, "NOT ("), crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " <=> ?)");
	} else if (strcmp(op, "contains") == 0) {
		crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " LIKE CONCAT('%', ?, '%')");
		v = like_escape(s, v);
	} else {
		crm_sqlbuild_put(&s->q, e), crm_sqlbuild_put(&s->q, " LIKE CONCAT(?, '%')");
		v = like_escape(s, v);
	}
	crm_sqlbuild_str(&s->q, v);
	return CRM_OK;
}

/* The reader's scope, in the order the entity's scope test takes it. */
static void
scope(struct st *s, const struct crm_report_entity *ent, const struct crm_report_reader *r)
{
	const char *sc = r != NULL && r->scope != NULL ? r->scope : "all";
	long long uid = r != NULL ? r->user_id : 0, tid = r != NULL ? r->team_id : 0;

	crm_sqlbuild_put(&s->q, " AND"), crm_sqlbuild_put(&s->q, ent->scope_sql);
	if (ent->scope == CRM_REPORT_SCOPE_ACTIVITY)
		crm_sqlbuild_i64(&s->q, uid);
	crm_sqlbuild_str(&s->q, sc);
	crm_sqlbuild_i64(&s->q, uid);
	crm_sqlbuild_str(&s->q, sc);
	crm_sqlbuild_i64(&s->q, tid);
	crm_sqlbuild_i64(&s->q, tid);
}

static enum crm_err
filters_of(struct st *s, const struct crm_report_entity *ent, json_t *filters)
{
	enum crm_err e;
	size_t i;

	json_array_foreach(filters, i, s->filter) {
		s->err->filter = i + 1;
		if ((e = filter(s, ent)) != CRM_OK)
			return e;
	}
	s->err->filter = 0;
	return CRM_OK;
}

enum crm_err
crm_report_filters(struct crm_sqlbuild *q, const struct crm_report_entity *ent, json_t *filters,
    struct crm_report_error *err)
{
	struct crm_report_sql out;
	enum crm_err e;
	struct st s;

	memset(&out, 0, sizeof(out));
	memset(err, 0, sizeof(*err));
	memset(&s, 0, sizeof(s));
	s.a = q->a;
	s.err = err;
	s.out = &out;
	if (filters != NULL && !json_is_null(filters) && !json_is_array(filters))
		return fail(&s, "filters", N_("A filter must name a field and an operator."));
	/* The builder is the caller's: taken, added to, given back. */
	s.q = *q;
	e = filters_of(&s, ent, filters);
	*q = s.q;
	return e;
}

static const char *const top_keys[] = { "entity", "measure", "field", "group_by", "bucket", "date_field", "filters",
	NULL };

/* A member that may be absent, null or "": NULL then. */
static int
optional_string(json_t *def, const char *key, const char **out)
{
	json_t *v = json_object_get(def, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 1;
	if (!json_is_string(v))
		return 0;
	if (json_string_length(v) > 0)
		*out = json_string_value(v);
	return 1;
}

/* A dimension's expression: text as it is ("" for none), yes and no for
 * a boolean, and a bucket's period. */
static void
dimension(struct st *s, const struct crm_report_field *f, int bucket)
{
	if (bucket >= 0) {
		crm_sqlbuild_put(&s->q, bucket_sql[bucket][0]), crm_sqlbuild_put(&s->q, f->expr), crm_sqlbuild_put(&s->q, bucket_sql[bucket][1]);
		if (bucket_sql[bucket][2] != NULL)
			crm_sqlbuild_put(&s->q, f->expr), crm_sqlbuild_put(&s->q, bucket_sql[bucket][2]);
	} else if (f->type == CRM_REPORT_BOOL) {
		crm_sqlbuild_put(&s->q, "IF("), crm_sqlbuild_put(&s->q, f->expr), crm_sqlbuild_put(&s->q, ", 'yes', 'no')");
	} else {
		crm_sqlbuild_put(&s->q, "IFNULL("), crm_sqlbuild_put(&s->q, f->expr), crm_sqlbuild_put(&s->q, ", '')");
	}
}

enum crm_err
crm_report_compile(struct crm_arena *a, json_t *def, const struct crm_report_reader *r,
    struct crm_report_sql *out, struct crm_report_error *err)
{
	const struct crm_report_entity *ent;
	const struct crm_report_field *f;
	const char *name, *measure, *field, *bucket, *date_field, *key;
	json_t *groups, *filters, *v;
	size_t i;
	int bi = -1;
	enum crm_err e;
	struct st s;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	memset(&s, 0, sizeof(s));
	s.a = a;
	s.err = err;
	s.out = out;
	crm_sqlbuild_init(&s.q, a, 1024);
	if (!json_is_object(def))
		return fail(&s, "entity", N_("This is not a report definition."));
	json_object_foreach(def, key, v)
		if (index_of(top_keys, key) < 0)
			return fail(&s, "entity", N_("This is not a report definition."));
	if (!optional_string(def, "entity", &name) || (ent = crm_report_entity(name)) == NULL)
		return fail(&s, "entity", N_("Choose what the report counts."));
	out->entity = ent;

	if (!optional_string(def, "measure", &measure) || index_of(crm_report_measures, measure) < 0)
		return fail(&s, "measure", N_("Choose count, sum or average."));
	out->measure = measure;
	if (!optional_string(def, "field", &field))
		return fail(&s, "field", N_("Choose a field to add up."));
	if (strcmp(measure, "count") == 0) {
		if (field != NULL)
			return fail(&s, "field", N_("A count adds up no field."));
	} else {
		f = crm_report_field(ent, field);
		if (f == NULL || !(f->uses & CRM_REPORT_SUM))
			return fail(&s, "field", N_("Choose a field to add up."));
		out->measure_field = f;
		use(&s, f);
	}

	if (!optional_string(def, "bucket", &bucket) || !optional_string(def, "date_field", &date_field))
		return fail(&s, "bucket", N_("Choose a period and the date it runs over."));
	if (bucket != NULL) {
		if ((bi = index_of(crm_report_buckets, bucket)) < 0)
			return fail(&s, "bucket", N_("Choose a period: day, week, month, quarter or year."));
		f = crm_report_field(ent, date_field);
		if (f == NULL || !(f->uses & CRM_REPORT_BUCKET))
			return fail(&s, "date_field", N_("Choose the date the period runs over."));
		out->bucket = crm_report_buckets[bi];
		out->dims[out->ndims++] = f;
		use(&s, f);
	} else if (date_field != NULL) {
		return fail(&s, "bucket", N_("Choose a period for the date."));
	}

	groups = json_object_get(def, "group_by");
	if (groups != NULL && !json_is_null(groups)) {
		if (!json_is_array(groups))
			return fail(&s, "group_by", N_("Choose up to two fields to group by."));
		json_array_foreach(groups, i, v) {
			if (out->ndims == CRM_REPORT_MAX_DIMS)
				return fail(&s, "group_by", N_("A report groups by at most two things, a period counting as one."));
			f = json_is_string(v) ? crm_report_field(ent, json_string_value(v)) : NULL;
			if (f == NULL || !(f->uses & CRM_REPORT_GROUP))
				return fail(&s, "group_by", N_("This field cannot group the report."));
			if (out->ndims == 1 && out->dims[0] == f)
				return fail(&s, "group_by", N_("Group by two different fields."));
			out->dims[out->ndims++] = f;
			use(&s, f);
		}
	}

	filters = json_object_get(def, "filters");
	if (filters != NULL && !json_is_null(filters) && !json_is_array(filters))
		return fail(&s, "filters", N_("This is not a report definition."));
	if (json_array_size(filters) > CRM_REPORT_MAX_FILTERS)
		return fail(&s, "filters", N_("A report has at most 10 filters."));

	/* SELECT d1, d2, v FROM ... WHERE <always> AND <scope> AND <filters>. */
	crm_sqlbuild_put(&s.q, "SET STATEMENT max_statement_time = " CRM_REPORT_TIME_LIMIT " FOR SELECT ");
	for (i = 0; i < out->ndims; i++) {
		dimension(&s, out->dims[i], i == 0 ? bi : -1);
		crm_sqlbuild_put(&s.q, i == 0 ? " AS d1, " : " AS d2, ");
	}
	if (out->measure_field == NULL)
		crm_sqlbuild_put(&s.q, "COUNT(*)");
	else if (strcmp(measure, "sum") == 0)
		crm_sqlbuild_put(&s.q, "IFNULL(SUM("), crm_sqlbuild_put(&s.q, out->measure_field->expr), crm_sqlbuild_put(&s.q, "), 0)");
	else
		crm_sqlbuild_put(&s.q, "ROUND(AVG("), crm_sqlbuild_put(&s.q, out->measure_field->expr), crm_sqlbuild_put(&s.q, "), 2)");
	crm_sqlbuild_put(&s.q, " AS v");
	crm_sqlbuild_put(&s.q, ent->from);
	scope(&s, ent, r);
	if (bi >= 0)
		crm_sqlbuild_put(&s.q, " AND "), crm_sqlbuild_put(&s.q, out->dims[0]->expr), crm_sqlbuild_put(&s.q, " IS NOT NULL");
	if ((e = filters_of(&s, ent, filters)) != CRM_OK)
		return e;
	if (out->ndims > 0)
		crm_sqlbuild_put(&s.q, out->ndims == 1 ? " GROUP BY d1 ORDER BY " : " GROUP BY d1, d2 ORDER BY ");
	for (i = 0; i < out->ndims; i++) {
		if (i > 0)
			crm_sqlbuild_put(&s.q, ", ");
		if (out->dims[i]->order != NULL && !(i == 0 && bi >= 0))
			crm_sqlbuild_put(&s.q, out->dims[i]->order), crm_sqlbuild_put(&s.q, ", ");
		crm_sqlbuild_put(&s.q, i == 0 ? "d1" : "d2");
	}
	crm_sqlbuild_put(&s.q, " LIMIT 501");
	_Static_assert(CRM_REPORT_MAX_ROWS == 500, "LIMIT is CRM_REPORT_MAX_ROWS + 1");
	out->sql = s.q.sql.data;
	out->binds = s.q.b;
	out->nbinds = s.q.nb;
	return CRM_OK;
}

enum crm_err
crm_report_compile_text(struct crm_arena *a, const char *text, size_t len, const struct crm_report_reader *r,
    json_t **def, struct crm_report_sql *out, struct crm_report_error *err)
{
	json_error_t je;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	*def = NULL;
	if (len > CRM_REPORT_MAX_JSON) {
		err->key = "entity";
		err->msgid = N_("This definition is too long.");
		return CRM_ETOOBIG;
	}
	if ((*def = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		err->key = "entity";
		err->msgid = N_("This is not a report definition.");
		return CRM_EINVAL;
	}
	return crm_report_compile(a, *def, r, out, err);
}
