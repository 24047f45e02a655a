/* Rules, the runner's half: an audit event or a due date, the rules it
 * concerns, their conditions asked of the database, and their actions,
 * all in the caller's transaction (the cursor's move, or a timer's), with
 * a rule_runs row per rule that matched. What an action writes is audited
 * one level deeper than what caused it, and past CRM_EVENTS_MAX_DEPTH a
 * change is only logged: rules that set a field back and forth stop.
 *
 * Memory: jansson must allocate from the arena given (crm_arena_json_use)
 * while these run; the caller frees the arena. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm_audit.h"
#include "crm_buf.h"
#include "crm_i18n.h"
#include "crm_log.h"
#include "crm_mail.h"
#include "crm_notify.h"
#include "crm_rule.h"
#include "crm_tmpl.h"
#include "crm_valid.h"
#include "crm_webhook.h"

#define RULES_OF "SELECT id, name, definition FROM rules FORCE INDEX (rules_event)"\
	" WHERE entity = ? AND trigger_kind = ? AND enabled = 1 ORDER BY id"
#define RULES_TIME "SELECT id, name, definition, IFNULL(DATE_FORMAT(timer_through, '%Y-%m-%d'), '') AS through,"\
	" DATE_FORMAT(UTC_DATE(), '%Y-%m-%d') AS today FROM rules FORCE INDEX (rules_time)"\
	" WHERE trigger_kind = 'time' AND enabled = 1 ORDER BY id"
#define MATCH_ADD "INSERT IGNORE INTO rule_matches (rule_id, record_id) VALUES (?, ?)"
#define MATCH_HAS "SELECT rule_id FROM rule_matches WHERE rule_id = ? AND record_id = ?"
#define MATCH_DROP "DELETE FROM rule_matches WHERE rule_id = ? AND record_id = ?"
#define TIMER_ADD "INSERT IGNORE INTO rule_timers (rule_id, record_id, date_value) VALUES (?, ?, ?)"
#define TIMER_THROUGH "UPDATE rules SET timer_through = ? WHERE id = ?"
#define RUN_ADD "INSERT INTO rule_runs (rule_id, audit_id, entity, record_id, record_name, trigger_kind, depth,"\
	" status, actions, error) VALUES (?, NULLIF(?, 0), ?, ?, LEFT(?, 300), ?, ?, ?, ?, LEFT(?, 500))"
/* A batch at a time, oldest first, through rule_runs_created. */
#define RUNS_PRUNE "DELETE FROM rule_runs WHERE created_at < UTC_TIMESTAMP() - INTERVAL ? DAY"\
	" ORDER BY created_at LIMIT 1000"
#define RULE_RAN "UPDATE rules SET runs = runs + 1, last_run_at = UTC_TIMESTAMP() WHERE id = ?"
#define USER_GET "SELECT id, name, email FROM users WHERE id = ? AND active = 1"
#define RR_GET "SELECT CAST(IFNULL(rr_last_user_id, 0) AS SIGNED) AS last FROM rules WHERE id = ? FOR UPDATE"
#define RR_NEXT "SELECT id FROM users WHERE team_id = ? AND active = 1 AND id > ? ORDER BY id LIMIT 1"
#define RR_SET "UPDATE rules SET rr_last_user_id = ? WHERE id = ?"
#define TEMPLATE_GET "SELECT subject, body_text FROM email_templates WHERE id = ? AND deleted_at IS NULL"
#define MAIL_QUEUE "INSERT INTO mail_queue (to_addr, subject, body, ticket_id, next_attempt_at)"\
	" VALUES (?, ?, ?, NULLIF(?, 0), UTC_TIMESTAMP())"
#define TASK_ADD "INSERT INTO activities (kind, subject, account_id, contact_id, lead_id, opportunity_id, at,"\
	" assignee_id, created_by) VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0),"\
	" UTC_TIMESTAMP() + INTERVAL ? DAY, ?, ?)"

#define TIMER_BATCH 100

/* One rule firing on one record. */
struct fire {
	struct crm_db *db;
	struct crm_arena *a;
	long long rule_id;
	const char *rule_name;
	const struct crm_rule *r;
	const struct crm_event *ev;     /* NULL for a date */
	const char *date;               /* a time rule's date */
	long long record_id;
	json_t *record;                 /* the record_sql row; NULL when gone */
	int depth;                      /* what the actions write */
	json_t *log;                    /* [{"type", "ok", "msg", "arg"}] */
	int failed;
};

static long long
int_of(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);

	return json_is_boolean(v) ? json_is_true(v) : json_integer_value(v);
}

static const char *
str_of(json_t *row, const char *key)
{
	const char *v = json_string_value(json_object_get(row, key));

	return v != NULL ? v : "";
}

/* An action's outcome for the run log: msg an English msgid (the log page
 * translates it), arg what it concerned. */
static enum crm_err
note(struct fire *f, enum crm_rule_action_type t, int ok, const char *msg, const char *arg)
{
	json_array_append_new(f->log, json_pack("{s:s,s:b,s:s,s:s}", "type", crm_rule_action_types[t], "ok", ok,
	    "msg", msg, "arg", arg != NULL ? arg : ""));
	if (!ok)
		f->failed = 1;
	return CRM_OK;
}

static enum crm_err
audit(struct fire *f, const char *action, const char *entity, long long id, json_t *before, json_t *after)
{
	struct crm_audit_actor who = { 0, "", f->depth };

	return crm_audit_write(f->db, &who, action, entity, id, before, after);
}

/* A user who is active: the row, or NULL. */
static enum crm_err
user_of(struct fire *f, long long id, json_t **row)
{
	struct crm_db_bind b[1];
	enum crm_err e;

	*row = NULL;
	if (id <= 0)
		return CRM_OK;
	crm_db_bind_i64(&b[0], id);
	e = crm_db_row_sql(f->db, USER_GET, b, 1, row);
	return e == CRM_ENOTFOUND ? CRM_OK : e;
}

/* "owner" or "user": whom a task, an e-mail or a notification is for. */
static long long
person(struct fire *f, const struct crm_rule_action *act)
{
	if (strcmp(act->to, "user") == 0)
		return act->user_id;
	return int_of(f->record, "owner_id");
}

static enum crm_err
set_field(struct fire *f, const struct crm_rule_action *act)
{
	const struct crm_rule_entity *info = f->r->info;
	struct crm_sqlbuild q;
	json_t *row = NULL, *before, *after;
	enum crm_err e;
	int number = act->field->type == CRM_REPORT_NUMBER;

	crm_sqlbuild_init(&q, f->a, 128);
	crm_sqlbuild_put(&q, "SELECT "), crm_sqlbuild_put(&q, act->field->name);
	crm_sqlbuild_put(&q, " AS v FROM "), crm_sqlbuild_put(&q, info->table), crm_sqlbuild_put(&q, " WHERE id = ? FOR UPDATE");
	crm_sqlbuild_i64(&q, f->record_id);
	if ((e = crm_db_row_sql(f->db, q.sql.data, q.b, q.nb, &row)) == CRM_ENOTFOUND)
		return note(f, act->type, 0, N_("The record is gone."), act->field->name);
	if (e != CRM_OK)
		return e;
	before = json_pack("{s:O}", act->field->name, json_object_get(row, "v"));
	after = number ? json_pack("{s:I}", act->field->name, (json_int_t)strtoll(act->value, NULL, 10)) :
	    json_pack("{s:s}", act->field->name, act->value);
	if (json_equal(json_object_get(before, act->field->name), json_object_get(after, act->field->name)))
		return note(f, act->type, 1, N_("The field already had this value."),
		    crm_arena_printf(f->a, "%s = %s", act->field->name, act->value));
	crm_sqlbuild_init(&q, f->a, 128);
	crm_sqlbuild_put(&q, "UPDATE "), crm_sqlbuild_put(&q, info->table), crm_sqlbuild_put(&q, " SET ");
	crm_sqlbuild_put(&q, act->field->name), crm_sqlbuild_put(&q, " = ? WHERE id = ?");
	if (number)
		crm_sqlbuild_i64(&q, strtoll(act->value, NULL, 10));
	else
		crm_sqlbuild_str(&q, act->value);
	crm_sqlbuild_i64(&q, f->record_id);
	if ((e = crm_db_exec_sql(f->db, q.sql.data, q.b, q.nb, NULL, NULL)) != CRM_OK ||
	    (e = audit(f, "update", info->audit, f->record_id, before, after)) != CRM_OK)
		return e;
	return note(f, act->type, 1, N_("Field set."), crm_arena_printf(f->a, "%s = %s", act->field->name, act->value));
}

/* The team member after the one who had the last record, round the team. */
static enum crm_err
round_robin(struct fire *f, long long team_id, long long *user_id)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	long long last;
	enum crm_err e;

	*user_id = 0;
	crm_db_bind_i64(&b[0], f->rule_id);
	if ((e = crm_db_row_sql(f->db, RR_GET, b, 1, &row)) != CRM_OK)
		return e;
	last = int_of(row, "last");
	crm_db_bind_i64(&b[0], team_id);
	crm_db_bind_i64(&b[1], last);
	e = crm_db_row_sql(f->db, RR_NEXT, b, 2, &row);
	if (e == CRM_ENOTFOUND && last > 0) {
		crm_db_bind_i64(&b[1], 0);
		e = crm_db_row_sql(f->db, RR_NEXT, b, 2, &row);
	}
	if (e == CRM_ENOTFOUND)
		return CRM_OK;
	if (e != CRM_OK)
		return e;
	*user_id = int_of(row, "id");
	crm_db_bind_i64(&b[0], *user_id);
	crm_db_bind_i64(&b[1], f->rule_id);
	return crm_db_exec_sql(f->db, RR_SET, b, 2, NULL, NULL);
}

static enum crm_err
assign(struct fire *f, const struct crm_rule_action *act)
{
	const struct crm_rule_entity *info = f->r->info;
	const char *col = info->owner_column;
	struct crm_sqlbuild q;
	json_t *row = NULL, *user = NULL;
	long long to = 0, was;
	enum crm_err e;

	if (strcmp(act->to, "user") == 0)
		to = act->user_id;
	else if (strcmp(act->to, "account_owner") == 0)
		to = int_of(f->record, "account_owner_id");
	else if ((e = round_robin(f, act->team_id, &to)) != CRM_OK)
		return e;
	if (to <= 0)
		return note(f, act->type, 0, strcmp(act->to, "team") == 0 ? N_("The team has no active user.") :
		    strcmp(act->to, "account_owner") == 0 ? N_("The record has no account.") : N_("The user is gone."), NULL);
	if ((e = user_of(f, to, &user)) != CRM_OK)
		return e;
	if (user == NULL)
		return note(f, act->type, 0, N_("The user is gone or inactive."), crm_arena_printf(f->a, "%lld", to));
	crm_sqlbuild_init(&q, f->a, 128);
	crm_sqlbuild_put(&q, "SELECT CAST(IFNULL("), crm_sqlbuild_put(&q, col), crm_sqlbuild_put(&q, ", 0) AS SIGNED) AS v FROM ");
	crm_sqlbuild_put(&q, info->table), crm_sqlbuild_put(&q, " WHERE id = ? FOR UPDATE");
	crm_sqlbuild_i64(&q, f->record_id);
	if ((e = crm_db_row_sql(f->db, q.sql.data, q.b, q.nb, &row)) == CRM_ENOTFOUND)
		return note(f, act->type, 0, N_("The record is gone."), NULL);
	if (e != CRM_OK)
		return e;
	if ((was = int_of(row, "v")) == to)
		return note(f, act->type, 1, N_("Already assigned to this user."), str_of(user, "name"));
	crm_sqlbuild_init(&q, f->a, 128);
	crm_sqlbuild_put(&q, "UPDATE "), crm_sqlbuild_put(&q, info->table), crm_sqlbuild_put(&q, " SET ");
	crm_sqlbuild_put(&q, col), crm_sqlbuild_put(&q, " = ? WHERE id = ?");
	crm_sqlbuild_i64(&q, to);
	crm_sqlbuild_i64(&q, f->record_id);
	if ((e = crm_db_exec_sql(f->db, q.sql.data, q.b, q.nb, NULL, NULL)) != CRM_OK)
		return e;
	/* Keep the record's row as the other actions see it. */
	json_object_set_new(f->record, "owner_id", json_integer(to));
	if ((e = audit(f, "assign", info->audit, f->record_id,
	    was > 0 ? json_pack("{s:I}", col, (json_int_t)was) : json_pack("{s:n}", col),
	    json_pack("{s:I}", col, (json_int_t)to))) != CRM_OK)
		return e;
	return note(f, act->type, 1, N_("Assigned."), str_of(user, "name"));
}

static void
bind_link(struct crm_db_bind *b, json_t *record, const char *key)
{
	crm_db_bind_i64(b, int_of(record, key));
}

static enum crm_err
task(struct fire *f, const struct crm_rule_action *act)
{
	struct crm_db_bind b[9];
	json_t *user = NULL;
	uint64_t id = 0;
	enum crm_err e;
	long long who = person(f, act);

	if ((e = user_of(f, who, &user)) != CRM_OK)
		return e;
	if (user == NULL)
		return note(f, act->type, 0, strcmp(act->to, "user") == 0 ? N_("The user is gone or inactive.") :
		    N_("The record has no owner."), act->subject);
	crm_db_bind_str(&b[0], act->kind, (size_t)-1);
	crm_db_bind_str(&b[1], act->subject, (size_t)-1);
	bind_link(&b[2], f->record, "account_id");
	bind_link(&b[3], f->record, "contact_id");
	bind_link(&b[4], f->record, "lead_id");
	bind_link(&b[5], f->record, "opportunity_id");
	crm_db_bind_i64(&b[6], act->due_days);
	crm_db_bind_i64(&b[7], who);
	crm_db_bind_i64(&b[8], who);
	if ((e = crm_db_exec_sql(f->db, TASK_ADD, b, 9, NULL, &id)) != CRM_OK)
		return e;
	if ((e = audit(f, "create", "activity", (long long)id, NULL, json_pack("{s:s,s:s,s:I,s:I,s:I}",
	    "kind", act->kind, "subject", act->subject, "assignee_id", (json_int_t)who, "rule_id",
	    (json_int_t)f->rule_id, "due_days", (json_int_t)act->due_days))) != CRM_OK)
		return e;
	return note(f, act->type, 1, N_("Created."), crm_arena_printf(f->a, "%s #%llu: %s", act->kind,
	    (unsigned long long)id, act->subject));
}

static enum crm_err
email(struct fire *f, const struct crm_rule_action *act)
{
	struct crm_db_bind b[4];
	struct crm_tmpl_set *set;
	struct crm_buf subject, body;
	json_t *tpl = NULL, *contact = NULL, *owner = NULL, *to_user = NULL, *view;
	const char *to;
	char err[200];
	size_t i;
	enum crm_err e;

	crm_db_bind_i64(&b[0], act->template_id);
	if ((e = crm_db_row_sql(f->db, TEMPLATE_GET, b, 1, &tpl)) == CRM_ENOTFOUND)
		return note(f, act->type, 0, N_("The e-mail template is gone."), crm_arena_printf(f->a, "%lld",
		    act->template_id));
	if (e != CRM_OK)
		return e;
	if (f->r->info->contact_sql != NULL) {
		crm_db_bind_i64(&b[0], f->record_id);
		if ((e = crm_db_row_sql(f->db, f->r->info->contact_sql, b, 1, &contact)) != CRM_OK &&
		    e != CRM_ENOTFOUND)
			return e;
	}
	if ((e = user_of(f, int_of(f->record, "owner_id"), &owner)) != CRM_OK)
		return e;
	if (strcmp(act->to, "contact") == 0) {
		/* The templates are marketing's: a contact gets one only with
		 * their consent, as from a campaign (an erased contact's consent
		 * is gone with them), except about their own ticket. */
		json_t *consent = json_object_get(contact, "consent_email");

		if (contact != NULL && !json_is_true(consent) && json_integer_value(consent) == 0)
			return note(f, act->type, 0, N_("The contact has not agreed to receive e-mail."), NULL);
		to = str_of(contact, "email");
	} else if (strcmp(act->to, "user") == 0) {
		if ((e = user_of(f, act->user_id, &to_user)) != CRM_OK)
			return e;
		to = str_of(to_user, "email");
	} else {
		to = str_of(owner, "email");
	}
	if (!crm_valid_email(to))
		return note(f, act->type, 0, N_("There is no e-mail address to send to."), NULL);
	view = json_pack("{s:o,s:o,s:{s:I,s:s},s:{s:s}}",
	    "contact", contact ? contact : json_object(), "owner", owner ? owner : json_object(),
	    "record", "id", (json_int_t)f->record_id, "name", str_of(f->record, "name"),
	    "rule", "name", f->rule_name);
	set = crm_tmpl_set_new();
	crm_tmpl_set_plain(set, 1);
	crm_buf_init(&subject, f->a, 256);
	crm_buf_init(&body, f->a, 2048);
	e = crm_tmpl_set_add(set, "s", str_of(tpl, "subject"), strlen(str_of(tpl, "subject")), err, sizeof(err));
	if (e == CRM_OK)
		e = crm_tmpl_set_add(set, "b", str_of(tpl, "body_text"), strlen(str_of(tpl, "body_text")), err,
		    sizeof(err));
	if (e == CRM_OK)
		e = crm_tmpl_render(set, "s", view, &subject);
	if (e == CRM_OK)
		e = crm_tmpl_render(set, "b", view, &body);
	crm_tmpl_set_free(set);
	if (e != CRM_OK)
		return note(f, act->type, 0, N_("The e-mail template does not render."), NULL);
	/* A merge field's line break would start a header of its own. */
	for (i = 0; i < subject.len; i++)
		if ((unsigned char)subject.data[i] < ' ' || subject.data[i] == 0x7f)
			subject.data[i] = ' ';
	if (subject.len > 300)
		subject.data[300] = '\0';
	crm_db_bind_str(&b[0], to, (size_t)-1);
	crm_db_bind_str(&b[1], subject.data, (size_t)-1);
	crm_db_bind_str(&b[2], body.data, (size_t)-1);
	crm_db_bind_i64(&b[3], strcmp(f->r->info->name, "tickets") == 0 ? f->record_id : 0);
	if ((e = crm_db_exec_sql(f->db, MAIL_QUEUE, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	return note(f, act->type, 1, N_("Queued."), to);
}

static const char *
once_key(struct fire *f)
{
	if (f->ev != NULL)
		return crm_arena_printf(f->a, "rule%lld:a%lld", f->rule_id, f->ev->id);
	return crm_arena_printf(f->a, "rule%lld:d%s", f->rule_id, f->date);
}

static enum crm_err
notify(struct fire *f, const struct crm_rule_action *act)
{
	struct crm_notify n;
	json_t *user = NULL;
	int added = 0;
	enum crm_err e;
	long long who = person(f, act);

	if ((e = user_of(f, who, &user)) != CRM_OK)
		return e;
	if (user == NULL)
		return note(f, act->type, 0, strcmp(act->to, "user") == 0 ? N_("The user is gone or inactive.") :
		    N_("The record has no owner."), NULL);
	memset(&n, 0, sizeof(n));
	n.user_id = who;
	n.kind = CRM_NOTIFY_RULE;
	n.entity = f->r->info->audit;
	n.entity_id = f->record_id;
	n.title = crm_arena_printf(f->a, "%s: %s", f->rule_name, str_of(f->record, "name"));
	n.once_key = once_key(f);
	if ((e = crm_notify_add(f->db, &n, &added)) != CRM_OK)
		return e;
	return note(f, act->type, 1, added ? N_("Notified.") : N_("Already notified."), str_of(user, "name"));
}

static json_t *
event_json(struct fire *f)
{
	if (f->ev == NULL)
		return json_pack("{s:s,s:s,s:i}", "trigger", "time", "date", f->date, "offset_days", f->r->offset_days);
	return json_pack("{s:s,s:I,s:s,s:s,s:s,s:I,s:I,s:i,s:O}", "trigger", crm_rule_triggers[f->r->trigger],
	    "audit_id", (json_int_t)f->ev->id, "at", f->ev->at ? f->ev->at : "", "action", f->ev->action,
	    "entity", f->ev->entity, "entity_id", (json_int_t)f->ev->entity_id, "user_id", (json_int_t)f->ev->user_id,
	    "depth", f->ev->depth, "changes", f->ev->changes);
}

static enum crm_err
webhook(struct fire *f, const struct crm_rule_action *act)
{
	json_t *payload = json_pack("{s:s,s:{s:I,s:s},s:o,s:s,s:O}", "type", "rule.fired",
	    "rule", "id", (json_int_t)f->rule_id, "name", f->rule_name, "event", event_json(f),
	    "entity", f->r->info->audit, "record", f->record ? f->record : json_null());
	enum crm_err e = crm_webhook_enqueue(f->db, act->webhook_id, "rule.fired", f->ev ? f->ev->id : 0, payload);

	if (e == CRM_ENOTFOUND)
		return note(f, act->type, 0, N_("The webhook is gone or switched off."),
		    crm_arena_printf(f->a, "%lld", act->webhook_id));
	if (e != CRM_OK)
		return e;
	return note(f, act->type, 1, N_("Queued."), crm_arena_printf(f->a, "%lld", act->webhook_id));
}

static enum crm_err
run_row(struct fire *f, const char *status, const char *error)
{
	struct crm_db_bind b[10];
	char *text = json_dumps(f->log, JSON_COMPACT);
	enum crm_err e;

	crm_db_bind_i64(&b[0], f->rule_id);
	crm_db_bind_i64(&b[1], f->ev ? f->ev->id : 0);
	crm_db_bind_str(&b[2], f->r->info->audit, (size_t)-1);
	crm_db_bind_i64(&b[3], f->record_id);
	crm_db_bind_str(&b[4], str_of(f->record, "name"), (size_t)-1);
	crm_db_bind_str(&b[5], crm_rule_triggers[f->r->trigger], (size_t)-1);
	crm_db_bind_i64(&b[6], f->ev ? f->ev->depth : 0);
	crm_db_bind_str(&b[7], status, (size_t)-1);
	crm_db_bind_str(&b[8], text != NULL ? text : "[]", (size_t)-1);
	crm_db_bind_str(&b[9], error, (size_t)-1);
	if ((e = crm_db_exec_sql(f->db, RUN_ADD, b, 10, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], f->rule_id);
	return crm_db_exec_sql(f->db, RULE_RAN, b, 1, NULL, NULL);
}

static enum crm_err
load_record(struct fire *f)
{
	struct crm_db_bind b[1];
	enum crm_err e;

	f->record = NULL;
	crm_db_bind_i64(&b[0], f->record_id);
	e = crm_db_row_sql(f->db, f->r->info->record_sql, b, 1, &f->record);
	if (e == CRM_ENOTFOUND) {
		f->record = NULL;
		return CRM_OK;
	}
	return e;
}

/* Runs the rule's actions in order and logs the run. */
static enum crm_err
fire(struct fire *f)
{
	size_t i;
	enum crm_err e = CRM_OK;

	f->log = json_array();
	if ((e = load_record(f)) != CRM_OK)
		return e;
	for (i = 0; i < f->r->nactions; i++) {
		const struct crm_rule_action *act = &f->r->actions[i];

		if (f->record == NULL && act->type != CRM_RULE_WEBHOOK) {
			note(f, act->type, 0, N_("The record is gone."), NULL);
			continue;
		}
		switch (act->type) {
		case CRM_RULE_SET_FIELD:
			e = set_field(f, act);
			break;
		case CRM_RULE_ASSIGN:
			e = assign(f, act);
			break;
		case CRM_RULE_TASK:
			e = task(f, act);
			break;
		case CRM_RULE_EMAIL:
			e = email(f, act);
			break;
		case CRM_RULE_NOTIFY:
			e = notify(f, act);
			break;
		case CRM_RULE_WEBHOOK:
			e = webhook(f, act);
			break;
		default:
			e = CRM_EINVAL;
		}
		if (e != CRM_OK)
			return e;
	}
	return run_row(f, f->failed ? "error" : "done", f->failed ? N_("An action failed.") : "");
}

/* 1 when the record matches the rule's conditions now. */
static enum crm_err
matches(struct fire *f, int *yes)
{
	struct crm_sqlbuild q;
	json_t *rows = NULL;
	enum crm_err e;

	*yes = 0;
	crm_sqlbuild_init(&q, f->a, 1024);
	if ((e = crm_rule_match_sql(f->r, &q, f->record_id)) != CRM_OK)
		return e;
	if ((e = crm_db_rows_sql(f->db, q.sql.data, q.b, q.nb, &rows)) != CRM_OK)
		return e;
	*yes = json_array_size(rows) > 0;
	return CRM_OK;
}

/* One rule and one event: whether it fires, and firing it. */
/* What one rule does about one event: decided for every rule of the
 * event before any acts, so one rule's action does not change what the
 * next one sees of the same change (it sees that as a change of its own,
 * one level deeper). */
struct plan {
	struct crm_rule r;
	struct fire f;
	enum { PLAN_NONE, PLAN_FIRE, PLAN_LOOP } what;
	struct plan *next;
};

/* The conditions are asked of the record as it is now, which may be
 * later than the event (the runner reads behind the writers): so a
 * record created matching counts as coming to match, and the edge is
 * kept in rule_matches rather than read from the event. */
static enum crm_err
decide(struct crm_db *db, struct crm_arena *a, json_t *row, const struct crm_event *ev, struct plan *p)
{
	struct crm_rule_error err;
	struct crm_db_bind b[2];
	struct fire *f = &p->f;
	const char *text = str_of(row, "definition");
	json_t *def = NULL, *had = NULL;
	uint64_t added = 0;
	int yes = 1;
	enum crm_err e;

	p->what = PLAN_NONE;
	f->db = db;
	f->a = a;
	f->rule_id = int_of(row, "id");
	f->rule_name = str_of(row, "name");
	f->ev = ev;
	f->record_id = ev->entity_id;
	f->depth = ev->depth + 1;
	f->r = &p->r;
	if (crm_rule_parse_text(a, text, strlen(text), &def, &p->r, &err) != CRM_OK) {
		/* The catalogue changed under a saved rule: logged, and the
		 * other rules go on. */
		crm_log(CRM_LOG_WARN, "rule %lld: its definition no longer compiles: %s", f->rule_id, err.msgid);
		return CRM_OK;
	}
	if (p->r.trigger != CRM_RULE_DELETE && (e = matches(f, &yes)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], f->rule_id);
	crm_db_bind_i64(&b[1], f->record_id);
	if (p->r.trigger == CRM_RULE_UPDATE) {
		if (!yes)
			return crm_db_exec_sql(db, MATCH_DROP, b, 2, NULL, NULL);
		if (ev->depth > CRM_EVENTS_MAX_DEPTH) {
			/* Past the limit the state stays as it was, and only
			 * what would have fired is logged. */
			if ((e = crm_db_rows_sql(db, MATCH_HAS, b, 2, &had)) != CRM_OK)
				return e;
			added = json_array_size(had) == 0;
		} else if ((e = crm_db_exec_sql(db, MATCH_ADD, b, 2, &added, NULL)) != CRM_OK) {
			return e;
		}
		if (added == 0)
			return CRM_OK;
	} else if (!yes) {
		return CRM_OK;
	}
	p->what = ev->depth > CRM_EVENTS_MAX_DEPTH ? PLAN_LOOP : PLAN_FIRE;
	return CRM_OK;
}

static enum crm_err
carry_out(struct plan *p)
{
	struct fire *f = &p->f;
	enum crm_err e;

	if (p->what == PLAN_FIRE)
		return fire(f);
	if (p->what != PLAN_LOOP)
		return CRM_OK;
	f->log = json_array();
	if ((e = load_record(f)) != CRM_OK)
		return e;
	crm_log(CRM_LOG_WARN, "rule %lld: not run on %s %lld: changed by rules %d deep (limit %d)",
	    f->rule_id, f->ev->entity, f->ev->entity_id, f->ev->depth, CRM_EVENTS_MAX_DEPTH);
	return run_row(f, "loop", N_("Not run: the change was made by a chain of rules past the depth limit, which stops rules that trigger each other in a loop."));
}

/* Decides for the enabled rules of the event's entity listening to one
 * trigger, adding each plan to *list. */
static enum crm_err
rules_of(struct crm_db *db, struct crm_arena *a, const struct crm_rule_entity *info, const struct crm_event *ev,
    enum crm_rule_trigger listen, struct plan ***tail)
{
	struct crm_db_bind b[2];
	json_t *rows = NULL, *row;
	size_t i;
	enum crm_err e;

	crm_db_bind_str(&b[0], info->name, (size_t)-1);
	crm_db_bind_str(&b[1], crm_rule_triggers[listen], (size_t)-1);
	if ((e = crm_db_rows_sql(db, RULES_OF, b, 2, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row) {
		struct plan *p = crm_arena_calloc(a, 1, sizeof(*p));

		if ((e = decide(db, a, row, ev, p)) != CRM_OK)
			return e;
		**tail = p;
		*tail = &p->next;
	}
	return CRM_OK;
}

enum crm_err
crm_rule_on_event(struct crm_db *db, const struct crm_event *ev, void *arg)
{
	struct crm_arena *a = arg;
	const struct crm_rule_entity *info = crm_rule_entity_audit(ev->entity);
	struct plan *list = NULL, **tail = &list, *p;
	enum crm_err e = CRM_OK;

	if (info == NULL || ev->entity_id <= 0 || ev->action == NULL)
		return CRM_OK;
	if (strcmp(ev->action, "delete") == 0) {
		e = rules_of(db, a, info, ev, CRM_RULE_DELETE, &tail);
	} else {
		if (strcmp(ev->action, "create") == 0)
			e = rules_of(db, a, info, ev, CRM_RULE_CREATE, &tail);
		if (e == CRM_OK)
			e = rules_of(db, a, info, ev, CRM_RULE_UPDATE, &tail);
	}
	for (p = list; e == CRM_OK && p != NULL; p = p->next)
		e = carry_out(p);
	return e;
}

/*
 * Time rules.
 */

/* ymd + days, as YYYY-MM-DD. */
static void
add_days(const char *ymd, int days, char out[11])
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(ymd, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
		snprintf(out, 11, "%s", "1970-01-01");
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

struct timer_one {
	struct fire f;
	const char *date;
};

static enum crm_err
timer_tx(struct crm_db *db, void *arg)
{
	struct timer_one *t = arg;
	struct crm_db_bind b[3];
	uint64_t added = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], t->f.rule_id);
	crm_db_bind_i64(&b[1], t->f.record_id);
	crm_db_bind_str(&b[2], t->date, (size_t)-1);
	if ((e = crm_db_exec_sql(db, TIMER_ADD, b, 3, &added, NULL)) != CRM_OK)
		return e;
	if (added == 0)
		return CRM_OK;          /* another runner fired it */
	return fire(&t->f);
}

static enum crm_err
timer_rule(struct crm_db *db, struct crm_arena *a, json_t *row, long long *work)
{
	struct crm_rule r;
	struct crm_rule_error err;
	struct crm_sqlbuild q;
	struct crm_db_bind b[2];
	const char *text = str_of(row, "definition"), *through = str_of(row, "through");
	json_t *def = NULL, *due = NULL, *d;
	char target[11], from[11], lower[11];
	long long rule_id = int_of(row, "id");
	size_t i;
	enum crm_err e;

	if (crm_rule_parse_text(a, text, strlen(text), &def, &r, &err) != CRM_OK || r.trigger != CRM_RULE_TIME) {
		crm_log(CRM_LOG_WARN, "rule %lld: its definition no longer compiles: %s", rule_id,
		    err.msgid ? err.msgid : "not a time rule");
		return CRM_OK;
	}
	/* "7 days before" (offset -7) is due when the date is 7 days ahead. */
	add_days(str_of(row, "today"), -r.offset_days, target);
	add_days(target, -CRM_RULE_CATCH_UP_DAYS, from);
	if (*through != '\0') {
		/* A day before where the last pass finished: a record whose
		 * date was set to yesterday after that pass is not lost. */
		add_days(through, -1, lower);
		if (strcmp(lower, from) > 0)
			memcpy(from, lower, sizeof(from));
	}
	if (strcmp(from, target) > 0)
		memcpy(from, target, sizeof(from));
	crm_sqlbuild_init(&q, a, 1024);
	if ((e = crm_rule_timer_sql(&r, &q, rule_id, from, target, TIMER_BATCH)) != CRM_OK)
		return e;
	if ((e = crm_db_rows_sql(db, q.sql.data, q.b, q.nb, &due)) != CRM_OK)
		return e;
	json_array_foreach(due, i, d) {
		struct timer_one t;

		memset(&t, 0, sizeof(t));
		t.f.db = db;
		t.f.a = a;
		t.f.rule_id = rule_id;
		t.f.rule_name = str_of(row, "name");
		t.f.r = &r;
		t.f.record_id = int_of(d, "id");
		t.f.date = t.date = str_of(d, "d");
		t.f.depth = 1;
		if ((e = crm_db_tx(db, timer_tx, &t)) != CRM_OK)
			return e;
		(*work)++;
	}
	if (json_array_size(due) < TIMER_BATCH && strcmp(through, target) != 0) {
		crm_db_bind_str(&b[0], target, (size_t)-1);
		crm_db_bind_i64(&b[1], rule_id);
		if ((e = crm_db_exec_sql(db, TIMER_THROUGH, b, 2, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

enum crm_err
crm_rule_timers(struct crm_db *db, struct crm_arena *a, long long *work)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL, *row;
	size_t i;
	enum crm_err e;

	*work = 0;
	crm_db_bind_i64(&b[0], CRM_RULE_KEEP_RUNS_DAYS);
	if ((e = crm_db_exec_sql(db, RUNS_PRUNE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = crm_db_rows_sql(db, RULES_TIME, NULL, 0, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row)
		if ((e = timer_rule(db, a, row, work)) != CRM_OK)
			return e;
	return CRM_OK;
}
