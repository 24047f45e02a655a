/* Rules, the pure half: the entities rules cover, what an action may set,
 * and the definition's checks and compilation (crm_rule.h). */
#include <stdlib.h>
#include <string.h>

#include "crm_i18n.h"
#include "crm_rule.h"
#include "crm_valid.h"

const char *const crm_rule_triggers[] = { "create", "update", "delete", "time", NULL };
static const char *const trigger_labels[] = {
	N_("When a record is created"),                 /* CRM_RULE_CREATE */
	N_("When a record comes to match the conditions (created or changed)"), /* CRM_RULE_UPDATE */
	N_("When a record is deleted"),                 /* CRM_RULE_DELETE */
	N_("Days before or after a date"),              /* CRM_RULE_TIME */
};
_Static_assert(CRM_NELEM(trigger_labels) == CRM_RULE_TRIGGER__MAX, "trigger_labels");
_Static_assert(CRM_NELEM(crm_rule_triggers) == CRM_RULE_TRIGGER__MAX + 1, "crm_rule_triggers");

const char *const crm_rule_action_types[] = { "set_field", "assign", "task", "email", "notify", "webhook", NULL };
static const char *const action_labels[] = {
	N_("Set a field"),                      /* CRM_RULE_SET_FIELD */
	N_("Assign"),                           /* CRM_RULE_ASSIGN */
	N_("Create a task or activity"),        /* CRM_RULE_TASK */
	N_("Send an e-mail from a template"),   /* CRM_RULE_EMAIL */
	N_("Notify a user"),                    /* CRM_RULE_NOTIFY */
	N_("Call a webhook"),                   /* CRM_RULE_WEBHOOK */
};
_Static_assert(CRM_NELEM(action_labels) == CRM_RULE_ACTION__MAX, "action_labels");
_Static_assert(CRM_NELEM(crm_rule_action_types) == CRM_RULE_ACTION__MAX + 1, "crm_rule_action_types");

/*
 * The entities. What an action may set is a short list per entity, of
 * fields whose change has no side effects elsewhere (a ticket's status
 * moves its SLA clocks and an order's its dates, so neither is here).
 */

static const char *const lead_status[] = { "new", "contacted", "qualified", "disqualified", NULL };
static const char *const ticket_priority[] = { "low", "normal", "high", "urgent", NULL };

#define T CRM_REPORT_TEXT
static const struct crm_rule_settable account_set[] = {
	{ "industry", N_("Industry"), T, NULL, 0, 100 },
	{ "size", N_("Size"), T, NULL, 0, 20 },
	{ "region", N_("Region"), T, NULL, 0, 100 },
};
static const struct crm_rule_settable contact_set[] = {
	{ "title", N_("Job title"), T, NULL, 0, 100 },
	{ "source", N_("Source"), T, NULL, 0, 50 },
};
static const struct crm_rule_settable lead_set[] = {
	{ "status", N_("Status"), CRM_REPORT_CHOICE, lead_status, 0, 0 },
	{ "source", N_("Source"), T, NULL, 0, 50 },
	{ "score", N_("Score"), CRM_REPORT_NUMBER, NULL, 0, 1000 },
};
static const struct crm_rule_settable opportunity_set[] = {
	{ "next_step", N_("Next step"), T, NULL, 0, 200 },
	{ "source", N_("Source"), T, NULL, 0, 50 },
	{ "probability", N_("Probability"), CRM_REPORT_NUMBER, NULL, 0, 100 },
};
static const struct crm_rule_settable ticket_set[] = {
	{ "priority", N_("Priority"), CRM_REPORT_CHOICE, ticket_priority, 0, 0 },
};
static const struct crm_rule_settable activity_set[] = {
	{ "subject", N_("Subject"), T, NULL, 1, 200 },
};
static const struct crm_rule_settable quote_set[] = {
	{ "title", N_("Title"), T, NULL, 0, 200 },
};
#undef T

/* Each has an index (sql/migrations/044_rules.sql and before). */
static const char *const account_dates[] = { "created_at", NULL };
static const char *const contact_dates[] = { "created_at", NULL };
static const char *const lead_dates[] = { "created_at", "converted_at", NULL };
static const char *const opportunity_dates[] = { "close_date", "created_at", "closed_at", NULL };
static const char *const order_dates[] = { "ordered_on", "shipped_on", "delivered_on", NULL };
static const char *const ticket_dates[] = { "created_at", "resolved_at", NULL };
static const char *const activity_dates[] = { "at", "created_at", NULL };
static const char *const quote_dates[] = { "valid_until", "created_at", NULL };

#define LINKS(acc, con, lead, opp) ", " acc " AS account_id, " con " AS contact_id, " lead " AS lead_id, " \
	opp " AS opportunity_id"
#define CONTACT_OF(t) "SELECT c.first_name, c.last_name, c.full_name, c.email, c.consent_email FROM " t " x" \
	" JOIN contacts c ON c.id = x.contact_id WHERE x.id = ?"
#define S(arr) arr, CRM_NELEM(arr)

static const struct crm_rule_entity entities[] = {
	{ "accounts", "account", "accounts", "owner_id", 0,
	    "SELECT x.id, x.name, x.owner_id, x.owner_id AS account_owner_id" LINKS("x.id", "NULL", "NULL", "NULL")
	    " FROM accounts x WHERE x.id = ?", NULL, S(account_set), account_dates },
	{ "contacts", "contact", "contacts", "owner_id", 1,
	    "SELECT x.id, x.full_name AS name, x.owner_id, a.owner_id AS account_owner_id"
	    LINKS("x.account_id", "x.id", "NULL", "NULL")
	    " FROM contacts x LEFT JOIN accounts a ON a.id = x.account_id WHERE x.id = ?",
	    "SELECT x.first_name, x.last_name, x.full_name, x.email, x.consent_email FROM contacts x WHERE x.id = ?",
	    S(contact_set), contact_dates },
	{ "leads", "lead", "leads", "owner_id", 0,
	    "SELECT x.id, x.full_name AS name, x.owner_id, NULL AS account_owner_id"
	    LINKS("NULL", "NULL", "x.id", "NULL") " FROM leads x WHERE x.id = ?",
	    "SELECT x.first_name, x.last_name, x.full_name, x.email FROM leads x WHERE x.id = ?",
	    S(lead_set), lead_dates },
	{ "opportunities", "opportunity", "opportunities", "owner_id", 1,
	    "SELECT x.id, x.name, x.owner_id, a.owner_id AS account_owner_id"
	    LINKS("x.account_id", "x.contact_id", "NULL", "x.id")
	    " FROM opportunities x LEFT JOIN accounts a ON a.id = x.account_id WHERE x.id = ?",
	    CONTACT_OF("opportunities"), S(opportunity_set), opportunity_dates },
	{ "orders", "order", "orders", "owner_id", 1,
	    "SELECT x.id, x.number AS name, x.owner_id, a.owner_id AS account_owner_id"
	    LINKS("x.account_id", "x.contact_id", "NULL", "x.opportunity_id")
	    " FROM orders x LEFT JOIN accounts a ON a.id = x.account_id WHERE x.id = ?",
	    CONTACT_OF("orders"), NULL, 0, order_dates },
	{ "tickets", "ticket", "tickets", "owner_id", 1,
	    "SELECT x.id, x.subject AS name, x.owner_id, a.owner_id AS account_owner_id"
	    LINKS("x.account_id", "x.contact_id", "NULL", "NULL")
	    " FROM tickets x LEFT JOIN accounts a ON a.id = x.account_id WHERE x.id = ?",
	    /* The requester's address when the ticket has no contact. The
	     * requester wrote to us about this ticket: mail about it is
	     * service, not marketing, and needs no marketing consent. */
	    "SELECT IFNULL(c.first_name, '') AS first_name, IFNULL(c.last_name, '') AS last_name,"
	    " IFNULL(c.full_name, x.requester_name) AS full_name,"
	    " IF(IFNULL(c.email, '') = '', x.requester_email, c.email) AS email, TRUE AS consent_email"
	    " FROM tickets x LEFT JOIN contacts c ON c.id = x.contact_id WHERE x.id = ?",
	    S(ticket_set), ticket_dates },
	{ "activities", "activity", "activities", "assignee_id", 1,
	    "SELECT x.id, x.subject AS name, x.assignee_id AS owner_id, a.owner_id AS account_owner_id"
	    LINKS("x.account_id", "x.contact_id", "x.lead_id", "x.opportunity_id")
	    " FROM activities x LEFT JOIN accounts a ON a.id = x.account_id WHERE x.id = ?",
	    CONTACT_OF("activities"), S(activity_set), activity_dates },
	{ "quotes", "quote", "quotes", "owner_id", 1,
	    "SELECT x.id, CONCAT(x.number, IF(x.title = '', '', CONCAT(' ', x.title))) AS name, x.owner_id,"
	    " a.owner_id AS account_owner_id" LINKS("x.account_id", "x.contact_id", "NULL", "x.opportunity_id")
	    " FROM quotes x LEFT JOIN accounts a ON a.id = x.account_id WHERE x.id = ?",
	    CONTACT_OF("quotes"), S(quote_set), quote_dates },
};

static int
index_of(const char *const *list, const char *v)
{
	int i;

	for (i = 0; list != NULL && v != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], v) == 0)
			return i;
	return -1;
}

const char *
crm_rule_trigger_label(enum crm_rule_trigger t)
{
	return t < CRM_RULE_TRIGGER__MAX ? trigger_labels[t] : NULL;
}

const char *
crm_rule_action_label(enum crm_rule_action_type t)
{
	return t < CRM_RULE_ACTION__MAX ? action_labels[t] : NULL;
}

const struct crm_rule_entity *
crm_rule_entity(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < CRM_NELEM(entities); i++)
		if (strcmp(entities[i].name, name) == 0)
			return &entities[i];
	return NULL;
}

const struct crm_rule_entity *
crm_rule_entity_audit(const char *audit)
{
	size_t i;

	for (i = 0; audit != NULL && i < CRM_NELEM(entities); i++)
		if (strcmp(entities[i].audit, audit) == 0)
			return &entities[i];
	return NULL;
}

const struct crm_rule_settable *
crm_rule_settable(const struct crm_rule_entity *e, const char *name)
{
	size_t i;

	for (i = 0; e != NULL && name != NULL && i < e->nsettable; i++)
		if (strcmp(e->settable[i].name, name) == 0)
			return &e->settable[i];
	return NULL;
}

/*
 * The definition.
 */

static enum crm_err
fail(struct crm_rule_error *err, const char *key, size_t item, const char *msgid)
{
	err->key = key;
	err->item = item;
	err->msgid = msgid;
	return CRM_EINVAL;
}

/* A member that may be absent, null or "": NULL then. */
static int
opt_string(json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 1;
	if (!json_is_string(v))
		return 0;
	if (json_string_length(v) > 0)
		*out = json_string_value(v);
	return 1;
}

/* A whole number given as a number or as its digits (a form's text);
 * absent, null or "": 0 with *given 0. 0 on anything else. */
static int
opt_int(json_t *o, const char *key, long long *out, int *given)
{
	json_t *v = json_object_get(o, key);
	const char *s, *p;
	char *end;

	*out = 0;
	*given = 0;
	if (v == NULL || json_is_null(v))
		return 1;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		*given = 1;
		return 1;
	}
	if (!json_is_string(v))
		return 0;
	s = json_string_value(v);
	if (*s == '\0')
		return 1;
	if (strlen(s) > 18)
		return 0;
	for (p = *s == '-' ? s + 1 : s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	if (p == s || (p == s + 1 && *s == '-'))
		return 0;
	*out = strtoll(s, &end, 10);
	*given = 1;
	return 1;
}

/* An id that must be there: a positive whole number. */
static int
need_id(json_t *o, const char *key, long long *out)
{
	int given;

	return opt_int(o, key, out, &given) && given && *out > 0;
}

static const char *const action_keys[] = { "type", "field", "value", "to", "user_id", "team_id", "kind", "subject",
	"due_days", "template_id", "webhook_id", NULL };
static const char *const task_kinds[] = { "task", "call", "meeting", NULL };

static enum crm_err
value_for(const struct crm_rule_settable *f, json_t *o, struct crm_arena *a, const char **out)
{
	json_t *v = json_object_get(o, "value");
	long long n;
	int given;

	if (f->type == CRM_REPORT_NUMBER) {
		if (!opt_int(o, "value", &n, &given) || !given || n < f->min || n > f->max)
			return CRM_EINVAL;
		*out = crm_arena_printf(a, "%lld", n);
		return CRM_OK;
	}
	*out = json_is_string(v) ? json_string_value(v) : v == NULL || json_is_null(v) ? "" : NULL;
	if (*out == NULL)
		return CRM_EINVAL;
	if (f->type == CRM_REPORT_CHOICE)
		return index_of(f->choices, *out) >= 0 ? CRM_OK : CRM_EINVAL;
	return crm_valid_text(*out, (size_t)f->min, (size_t)f->max, 0) ? CRM_OK : CRM_EINVAL;
}

static enum crm_err
action(struct crm_arena *a, struct crm_rule *r, json_t *o, size_t n, struct crm_rule_action *act,
    struct crm_rule_error *err)
{
	const char *type, *key, *to;
	long long due;
	json_t *v;
	int t, given;

	memset(act, 0, sizeof(*act));
	if (!json_is_object(o) || !opt_string(o, "type", &type) || (t = index_of(crm_rule_action_types, type)) < 0)
		return fail(err, "actions", n, N_("Choose what the action does."));
	json_object_foreach(o, key, v)
		if (index_of(action_keys, key) < 0)
			return fail(err, "actions", n, N_("This is not a rule's action."));
	act->type = (enum crm_rule_action_type)t;
	if (!opt_string(o, "to", &to))
		return fail(err, "actions", n, N_("Choose who the action is for."));
	act->to = to;
	switch (act->type) {
	case CRM_RULE_SET_FIELD:
	case CRM_RULE_ASSIGN:
		if (r->trigger == CRM_RULE_DELETE)
			return fail(err, "actions", n, N_("A deleted record cannot be changed: choose another action."));
		break;
	default:
		break;
	}
	switch (act->type) {
	case CRM_RULE_SET_FIELD:
		if (!opt_string(o, "field", &key) || (act->field = crm_rule_settable(r->info, key)) == NULL)
			return fail(err, "actions", n, r->info->nsettable == 0 ?
			    N_("No field of these records may be set by a rule.") : N_("Choose a field the rule may set."));
		if (value_for(act->field, o, a, &act->value) != CRM_OK)
			return fail(err, "actions", n, act->field->type == CRM_REPORT_CHOICE ?
			    N_("Choose one of the field's values.") : act->field->type == CRM_REPORT_NUMBER ?
			    N_("Enter a whole number in the field's range.") : N_("The value is too long for the field."));
		break;
	case CRM_RULE_ASSIGN:
		if (to == NULL)
			return fail(err, "actions", n, N_("Choose who the record is assigned to."));
		if (strcmp(to, "user") == 0) {
			if (!need_id(o, "user_id", &act->user_id))
				return fail(err, "actions", n, N_("Choose a user."));
		} else if (strcmp(to, "team") == 0) {
			if (!need_id(o, "team_id", &act->team_id))
				return fail(err, "actions", n, N_("Choose a team."));
		} else if (strcmp(to, "account_owner") == 0) {
			if (!r->info->has_account)
				return fail(err, "actions", n, N_("These records have no account."));
		} else {
			return fail(err, "actions", n, N_("Choose who the record is assigned to."));
		}
		break;
	case CRM_RULE_TASK:
		if (!opt_string(o, "kind", &act->kind) || index_of(task_kinds, act->kind) < 0)
			return fail(err, "actions", n, N_("Choose a task, a call or a meeting."));
		if (!opt_string(o, "subject", &act->subject) || act->subject == NULL ||
		    !crm_valid_text(act->subject, 1, CRM_RULE_MAX_TEXT, 0))
			return fail(err, "actions", n, N_("Enter a subject of up to 200 characters."));
		if (!opt_int(o, "due_days", &due, &given) || due < 0 || due > CRM_RULE_MAX_DUE)
			return fail(err, "actions", n, N_("Enter the days until it is due, from 0 to 365."));
		act->due_days = (int)due;
		goto person;
	case CRM_RULE_EMAIL:
		if (!need_id(o, "template_id", &act->template_id))
			return fail(err, "actions", n, N_("Choose an e-mail template."));
		if (to != NULL && strcmp(to, "contact") == 0) {
			if (r->info->contact_sql == NULL)
				return fail(err, "actions", n, N_("These records have no contact to write to."));
			break;
		}
		goto person;
	case CRM_RULE_NOTIFY:
	person:
		if (to == NULL || strcmp(to, "owner") == 0) {
			act->to = "owner";
		} else if (strcmp(to, "user") == 0) {
			if (!need_id(o, "user_id", &act->user_id))
				return fail(err, "actions", n, N_("Choose a user."));
		} else {
			return fail(err, "actions", n, N_("Choose who the action is for."));
		}
		break;
	case CRM_RULE_WEBHOOK:
		if (!need_id(o, "webhook_id", &act->webhook_id))
			return fail(err, "actions", n, N_("Choose a webhook."));
		break;
	default:
		return fail(err, "actions", n, N_("Choose what the action does."));
	}
	return CRM_OK;
}

static const char *const top_keys[] = { "entity", "trigger", "date_field", "offset_days", "conditions", "actions",
	NULL };

enum crm_err
crm_rule_parse(struct crm_arena *a, json_t *def, struct crm_rule *r, struct crm_rule_error *err)
{
	struct crm_report_error rerr;
	struct crm_sqlbuild q;
	const char *name, *key, *df;
	json_t *actions, *v;
	long long off;
	int t, given;
	size_t i;

	memset(r, 0, sizeof(*r));
	memset(err, 0, sizeof(*err));
	if (!json_is_object(def))
		return fail(err, "entity", 0, N_("This is not a rule's definition."));
	json_object_foreach(def, key, v)
		if (index_of(top_keys, key) < 0)
			return fail(err, "entity", 0, N_("This is not a rule's definition."));
	if (!opt_string(def, "entity", &name) || (r->info = crm_rule_entity(name)) == NULL ||
	    (r->entity = crm_report_entity(name)) == NULL)
		return fail(err, "entity", 0, N_("Choose the records the rule watches."));
	if (!opt_string(def, "trigger", &name) || (t = index_of(crm_rule_triggers, name)) < 0)
		return fail(err, "trigger", 0, N_("Choose when the rule runs."));
	r->trigger = (enum crm_rule_trigger)t;

	if (!opt_string(def, "date_field", &df))
		return fail(err, "date_field", 0, N_("Choose one of the records' dates."));
	if (!opt_int(def, "offset_days", &off, &given))
		return fail(err, "offset_days", 0, N_("Enter a number of days from -365 to 365."));
	if (r->trigger == CRM_RULE_TIME) {
		if (index_of(r->info->time_fields, df) < 0 || (r->date_field = crm_report_field(r->entity, df)) == NULL)
			return fail(err, "date_field", 0, N_("Choose one of the records' dates."));
		if (off < -CRM_RULE_MAX_OFFSET || off > CRM_RULE_MAX_OFFSET)
			return fail(err, "offset_days", 0, N_("Enter a number of days from -365 to 365."));
		r->offset_days = (int)off;
	} else if (df != NULL || off != 0) {
		return fail(err, "date_field", 0, N_("Only a rule on a date has a date and days."));
	}

	r->conditions = json_object_get(def, "conditions");
	if (r->conditions != NULL && !json_is_null(r->conditions) && !json_is_array(r->conditions))
		return fail(err, "conditions", 0, N_("This is not a rule's definition."));
	if (json_array_size(r->conditions) > CRM_RULE_MAX_CONDITIONS)
		return fail(err, "conditions", 0, N_("A rule has at most 10 conditions."));
	if (r->trigger == CRM_RULE_DELETE && json_array_size(r->conditions) > 0)
		return fail(err, "conditions", 0, N_("A rule on deletion has no conditions: the record is gone."));
	/* Compiled once here so a bad condition is the form's error, not
	 * the runner's. */
	crm_sqlbuild_init(&q, a, 512);
	if (crm_report_filters(&q, r->entity, r->conditions, &rerr) != CRM_OK)
		return fail(err, "conditions", rerr.filter, rerr.msgid);

	actions = json_object_get(def, "actions");
	if (actions != NULL && !json_is_null(actions) && !json_is_array(actions))
		return fail(err, "actions", 0, N_("This is not a rule's definition."));
	if (json_array_size(actions) == 0)
		return fail(err, "actions", 0, N_("A rule needs at least one action."));
	if (json_array_size(actions) > CRM_RULE_MAX_ACTIONS)
		return fail(err, "actions", 0, N_("A rule has at most 10 actions."));
	json_array_foreach(actions, i, v) {
		enum crm_err e = action(a, r, v, i + 1, &r->actions[i], err);

		if (e != CRM_OK)
			return e;
		r->nactions++;
	}
	return CRM_OK;
}

enum crm_err
crm_rule_parse_text(struct crm_arena *a, const char *text, size_t len, json_t **def, struct crm_rule *r,
    struct crm_rule_error *err)
{
	memset(r, 0, sizeof(*r));
	memset(err, 0, sizeof(*err));
	*def = NULL;
	if (len > CRM_RULE_MAX_JSON) {
		fail(err, "entity", 0, N_("This definition is too long."));
		return CRM_ETOOBIG;
	}
	if ((*def = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return fail(err, "entity", 0, N_("This is not a rule's definition."));
	return crm_rule_parse(a, *def, r, err);
}

enum crm_err
crm_rule_match_sql(const struct crm_rule *r, struct crm_sqlbuild *q, long long record_id)
{
	struct crm_report_error rerr;

	crm_sqlbuild_put(q, "SELECT x.id");
	crm_sqlbuild_put(q, r->entity->from);
	crm_sqlbuild_put(q, " AND x.id = ?");
	crm_sqlbuild_i64(q, record_id);
	return crm_report_filters(q, r->entity, r->conditions, &rerr);
}

enum crm_err
crm_rule_timer_sql(const struct crm_rule *r, struct crm_sqlbuild *q, long long rule_id, const char *from,
    const char *to, int limit)
{
	struct crm_report_error rerr;
	const char *e;
	enum crm_err err;

	if (r->trigger != CRM_RULE_TIME || r->date_field == NULL)
		return CRM_EINVAL;
	e = r->date_field->expr;
	/* The bare column, so its index gives the range. */
	crm_sqlbuild_put(q, "SELECT x.id, DATE_FORMAT("), crm_sqlbuild_put(q, e), crm_sqlbuild_put(q, ", '%Y-%m-%d') AS d");
	crm_sqlbuild_put(q, r->entity->from);
	crm_sqlbuild_put(q, " AND "), crm_sqlbuild_put(q, e), crm_sqlbuild_put(q, " >= CAST(? AS DATE)");
	crm_sqlbuild_str(q, from);
	crm_sqlbuild_put(q, " AND "), crm_sqlbuild_put(q, e), crm_sqlbuild_put(q, " < CAST(? AS DATE) + INTERVAL 1 DAY");
	crm_sqlbuild_str(q, to);
	crm_sqlbuild_put(q, " AND NOT EXISTS (SELECT 1 FROM rule_timers t WHERE t.rule_id = ? AND t.record_id = x.id"
	    " AND t.date_value = DATE("), crm_sqlbuild_put(q, e), crm_sqlbuild_put(q, "))");
	crm_sqlbuild_i64(q, rule_id);
	if ((err = crm_report_filters(q, r->entity, r->conditions, &rerr)) != CRM_OK)
		return err;
	crm_sqlbuild_put(q, " ORDER BY "), crm_sqlbuild_put(q, e), crm_sqlbuild_put(q, ", x.id LIMIT ?");
	crm_sqlbuild_i64(q, limit);
	return CRM_OK;
}
