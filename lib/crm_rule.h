/* Rules: "when a record of this kind is created, comes to match these
 * conditions, is deleted, or reaches N days before or after one of its
 * dates, do these things". A rule's definition is structured JSON:
 *
 *   {"entity":"tickets","trigger":"update",
 *    "conditions":[{"field":"priority","op":"eq","value":"urgent"}],
 *    "actions":[{"type":"notify","to":"owner"},
 *               {"type":"task","kind":"call","subject":"Call back","due_days":1,"to":"owner"}]}
 *
 * entity names a row of the report builder's catalogue (crm_report.h),
 * and the conditions are its filters, compiled by the same code
 * (crm_report_filters) to prepared SQL. A time rule adds "date_field" (a
 * date of the entity with an index) and "offset_days" (negative: before
 * the date). The actions, in order:
 *
 *   set_field  {"field", "value"}: a field of the entity's whitelist below
 *   assign     {"to": "user" + "user_id" | "team" + "team_id" (round
 *              robin among the team's active users) | "account_owner"}
 *   task       {"kind": task|call|meeting, "subject", "due_days",
 *              "to": "owner" | "user" + "user_id"}: an activity on the record
 *   email      {"template_id", "to": "contact" | "owner" | "user" + "user_id"}:
 *              a marketing template, queued in the mail queue
 *   notify     {"to": "owner" | "user" + "user_id"}: an in-app notification
 *   webhook    {"webhook_id"}: the rule, the event and the record, queued
 *
 * crm_rule_parse checks the shape and everything the catalogue knows;
 * whether a user, team, template or hook exists is the caller's to check
 * (it needs the database), and the runner logs one that went away. The
 * runner's half is crm_rule_on_event and crm_rule_timers (crm_rule_run.c). */
#ifndef CRM_RULE_H
#define CRM_RULE_H

#include <stddef.h>

#include <jansson.h>

#include "crm.h"
#include "crm_arena.h"
#include "crm_db.h"
#include "crm_events.h"
#include "crm_report.h"
#include "crm_sqlbuild.h"

#define CRM_RULE_MAX_CONDITIONS 10
#define CRM_RULE_MAX_ACTIONS 10
#define CRM_RULE_MAX_OFFSET 365         /* days before or after a date */
#define CRM_RULE_MAX_DUE 365            /* a task's days until due */
#define CRM_RULE_MAX_JSON 16384
#define CRM_RULE_MAX_TEXT 200           /* a subject, a field's value */
/* A time rule reaches back this far for dates it has not seen: a new
 * rule, or a runner that was stopped for a few days. */
#define CRM_RULE_CATCH_UP_DAYS 7
/* The run log keeps this many days; the timers part drops older runs. */
#define CRM_RULE_KEEP_RUNS_DAYS 180

enum crm_rule_trigger {
	CRM_RULE_CREATE,
	/* The conditions become true: a record created matching, or
	 * changed to match after it did not. */
	CRM_RULE_UPDATE,
	CRM_RULE_DELETE,
	CRM_RULE_TIME,
	CRM_RULE_TRIGGER__MAX
};
/* "create", "update", "delete", "time"; NULL-terminated. */
extern const char *const crm_rule_triggers[];
const char *crm_rule_trigger_label(enum crm_rule_trigger);

enum crm_rule_action_type {
	CRM_RULE_SET_FIELD,
	CRM_RULE_ASSIGN,
	CRM_RULE_TASK,
	CRM_RULE_EMAIL,
	CRM_RULE_NOTIFY,
	CRM_RULE_WEBHOOK,
	CRM_RULE_ACTION__MAX
};
extern const char *const crm_rule_action_types[];
const char *crm_rule_action_label(enum crm_rule_action_type);

/* A field an action may set: its column, and what it may hold. */
struct crm_rule_settable {
	const char *name;               /* the column, as the audit log names it */
	const char *label;              /* English, N_() */
	enum crm_report_type type;      /* TEXT, CHOICE or NUMBER */
	const char *const *choices;     /* CHOICE */
	long long min, max;             /* NUMBER: whole numbers in [min, max] */
};

/* What the runner needs of an entity beyond the catalogue. */
struct crm_rule_entity {
	const char *name;               /* "tickets": the catalogue's */
	const char *audit;              /* "ticket": the audit log's */
	const char *table;
	const char *owner_column;       /* "owner_id"; activities: "assignee_id" */
	int has_account;                /* an account whose owner assign may choose */
	/* The record for the actions: id, name, owner_id, account_owner_id,
	 * and the links a task takes (account_id, contact_id, lead_id,
	 * opportunity_id), by id, deleted or not. */
	const char *record_sql;
	/* The person an e-mail "to contact" goes to: first_name, last_name,
	 * full_name, email; NULL when the entity has none. */
	const char *contact_sql;
	const struct crm_rule_settable *settable;
	size_t nsettable;
	const char *const *time_fields; /* the dates a time rule may use */
};

const struct crm_rule_entity *crm_rule_entity(const char *name);
/* The entity of an audit row's entity ("ticket"), NULL when rules do not
 * cover it. */
const struct crm_rule_entity *crm_rule_entity_audit(const char *audit);
const struct crm_rule_settable *crm_rule_settable(const struct crm_rule_entity *, const char *name);

struct crm_rule_action {
	enum crm_rule_action_type type;
	const struct crm_rule_settable *field;  /* set_field */
	const char *value;                      /* set_field */
	const char *to;                         /* "user", "team", "owner", "account_owner", "contact" */
	long long user_id, team_id, template_id, webhook_id;
	const char *kind, *subject;             /* task */
	int due_days;                           /* task */
};

struct crm_rule {
	const struct crm_report_entity *entity;
	const struct crm_rule_entity *info;
	enum crm_rule_trigger trigger;
	const struct crm_report_field *date_field;      /* time */
	int offset_days;                                /* time */
	json_t *conditions;                             /* borrowed from the definition */
	size_t nactions;
	struct crm_rule_action actions[CRM_RULE_MAX_ACTIONS];
};

/* What was wrong: key the form's part ("entity", "trigger", "date_field",
 * "offset_days", "conditions", "actions"), item the condition's or
 * action's place from 1 (0: none), msgid English, N_(). */
struct crm_rule_error {
	const char *key;
	size_t item;
	const char *msgid;
};

/* Checks def and fills rule; strings point into def (keep it). */
enum crm_err crm_rule_parse(struct crm_arena *, json_t *def, struct crm_rule *, struct crm_rule_error *);
enum crm_err crm_rule_parse_text(struct crm_arena *, const char *text, size_t len, json_t **def,
    struct crm_rule *, struct crm_rule_error *);

/* "SELECT x.id FROM <entity> WHERE <always> AND x.id = ? AND <conditions>"
 * with its binds, the id's first: one row when the record matches. */
enum crm_err crm_rule_match_sql(const struct crm_rule *, struct crm_sqlbuild *, long long record_id);
/* A time rule's records due in [from, to] (dates YYYY-MM-DD) not yet
 * fired for their date: id and d (the date), read as a range of the
 * date's index, at most limit. */
enum crm_err crm_rule_timer_sql(const struct crm_rule *, struct crm_sqlbuild *, long long rule_id,
    const char *from, const char *to, int limit);

/* The runner (crm_rule_run.c). Both take their memory from an arena
 * which jansson must be allocating from too (crm_arena_json_use): nothing
 * is released before the caller frees it. */
/* Handles one audit event for every enabled rule of its entity, inside
 * the transaction that moves the 'rules' cursor: a crm_event_fn whose arg
 * is the struct crm_arena. */
enum crm_err crm_rule_on_event(struct crm_db *, const struct crm_event *, void *arena);
/* One pass of the time rules: fires what is due, each record in a
 * transaction of its own, and drops runs older than
 * CRM_RULE_KEEP_RUNS_DAYS. *work gets how many records it fired for. */
enum crm_err crm_rule_timers(struct crm_db *, struct crm_arena *, long long *work);

#endif
