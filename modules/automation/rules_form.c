/* A rule's form, which works without JavaScript: the records it watches
 * are chosen first (a small GET form, since the fields depend on them),
 * then the trigger, a date and days for a time rule, condition rows
 * c<i>_field/op/value/value2 as the report builder's filters, and action
 * rows a<i>_type plus the inputs each type reads. Blank rows are left
 * out; two more than are filled are always shown. What is stored is the
 * structured definition of lib/crm_rule.h; a program may post it as JSON:
 * {"name", "enabled", "definition"}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_i18n.h"
#include "crm_rule.h"
#include "crm_valid.h"
#include "extern.h"

#define BLANK_ROWS 2

struct rule_form {
	const char *name;
	int enabled;
	json_t *def;
};

static const char *
row_param(struct crm_ctx *c, char row, int i, const char *what)
{
	char name[32];

	snprintf(name, sizeof(name), "%c%d_%s", row, i, what);
	return crm_ctx_form(c, name);
}

/* A value as the form sent it: digits become a number, so the stored
 * definition is what a program would post. */
static void
set_value(json_t *obj, const char *key, const char *v, int keep_empty)
{
	long long n;

	if (v == NULL || (*v == '\0' && !keep_empty))
		return;
	if (strcmp(key, "value") != 0 && crm_valid_id(v, &n))
		json_object_set_new(obj, key, json_integer(n));
	else
		json_object_set_new(obj, key, json_string(v));
}

/* Which inputs of an action row each type reads. */
static const struct {
	const char *type;
	const char *const keys[6];
} action_inputs[] = {
	{ "set_field", { "field", "value", NULL } },
	{ "assign", { "to", "user_id", "team_id", NULL } },
	{ "task", { "kind", "subject", "due_days", "to", "user_id", NULL } },
	{ "email", { "template_id", "to", "user_id", NULL } },
	{ "notify", { "to", "user_id", NULL } },
	{ "webhook", { "webhook_id", NULL } },
};

static json_t *
action_row(struct crm_ctx *c, int i, const char *type)
{
	json_t *row = json_pack("{s:s}", "type", type);
	size_t t, k;

	for (t = 0; t < CRM_NELEM(action_inputs); t++) {
		if (strcmp(action_inputs[t].type, type) != 0)
			continue;
		for (k = 0; action_inputs[t].keys[k] != NULL; k++) {
			const char *key = action_inputs[t].keys[k];
			const char *v = row_param(c, 'a', i, key);

			/* "to" names whom: a user's or a team's id only counts
			 * for the choice that takes it. */
			if ((strcmp(key, "user_id") == 0 && strcmp(crm_ctx_form_str(c, crm_arena_printf(c->arena,
			    "a%d_to", i)), "user") != 0) || (strcmp(key, "team_id") == 0 &&
			    strcmp(crm_ctx_form_str(c, crm_arena_printf(c->arena, "a%d_to", i)), "team") != 0))
				continue;
			set_value(row, key, v, strcmp(key, "value") == 0);
		}
	}
	return row;
}

static int
read_json(struct crm_ctx *c, struct rule_form *f)
{
	json_t *body = json_loadb(c->body.data, c->body.len, JSON_REJECT_DUPLICATES, NULL), *v;

	if (!json_is_object(body))
		return 400;
	v = json_object_get(body, "name");
	f->name = json_is_string(v) ? json_string_value(v) : "";
	v = json_object_get(body, "enabled");
	f->enabled = v == NULL || json_is_true(v);
	f->def = json_object_get(body, "definition");
	f->def = f->def != NULL ? json_incref(f->def) : json_object();
	return 0;
}

static int
form_read(struct crm_ctx *c, struct rule_form *f)
{
	json_t *conds = json_array(), *actions = json_array();
	const char *trigger = crm_ctx_form_str(c, "trigger");
	int i;

	memset(f, 0, sizeof(f[0]));
	if (c->body.len > 0)
		return read_json(c, f);
	f->name = crm_ctx_form_str(c, "name");
	f->enabled = crm_ctx_form(c, "enabled") != NULL;
	f->def = json_object();
	set_value(f->def, "entity", crm_ctx_form(c, "entity"), 0);
	set_value(f->def, "trigger", trigger, 0);
	if (strcmp(trigger, "time") == 0) {
		set_value(f->def, "date_field", crm_ctx_form(c, "date_field"), 0);
		if (crm_ctx_form(c, "offset_days") != NULL && *crm_ctx_form(c, "offset_days") != '\0')
			json_object_set_new(f->def, "offset_days", json_string(crm_ctx_form(c, "offset_days")));
	}
	/* One row past each cap, so going over it is an error rather than a
	 * row silently left out. */
	for (i = 0; i <= CRM_RULE_MAX_CONDITIONS; i++) {
		const char *field = row_param(c, 'c', i, "field");
		json_t *row;

		if (field == NULL || *field == '\0')
			continue;
		row = json_pack("{s:s}", "field", field);
		set_value(row, "op", row_param(c, 'c', i, "op"), 0);
		set_value(row, "value", row_param(c, 'c', i, "value"), 0);
		set_value(row, "value2", row_param(c, 'c', i, "value2"), 0);
		json_array_append_new(conds, row);
	}
	json_object_set_new(f->def, "conditions", conds);
	for (i = 0; i <= CRM_RULE_MAX_ACTIONS; i++) {
		const char *type = row_param(c, 'a', i, "type");

		if (type != NULL && *type != '\0')
			json_array_append_new(actions, action_row(c, i, type));
	}
	json_object_set_new(f->def, "actions", actions);
	return 0;
}

/*
 * The view.
 */

static const char *
text_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return json_string_value(json_sprintf("%lld", (long long)json_integer_value(v)));
	return json_is_string(v) ? json_string_value(v) : "";
}

static json_t *
item(const char *name, const char *label, const char *selected)
{
	return json_pack("{s:s,s:s,s:b}", "name", name, "label", label, "selected", strcmp(name, selected) == 0);
}

/* A menu from rows {id, name} with one selected. */
static json_t *
id_menu(json_t *rows, const char *selected)
{
	json_t *menu = json_array(), *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *id = json_string_value(json_sprintf("%lld", (long long)json_integer_value(json_object_get(row, "id"))));

		json_array_append_new(menu, item(id, json_string_value(json_object_get(row, "name")), selected));
	}
	return menu;
}

static json_t *
condition_rows(struct crm_ctx *c, const struct crm_report_entity *e, json_t *conds, size_t bad)
{
	static const char *const ops[] = { "eq", "ne", "contains", "starts_with", "gt", "lt", "between",
		"within_days", "is_empty", "not_empty", NULL };
	json_t *rows = json_array(), *cd, *fields, *opm;
	size_t i, k, n = json_array_size(conds) + BLANK_ROWS;

	if (n > CRM_RULE_MAX_CONDITIONS)
		n = json_array_size(conds) > CRM_RULE_MAX_CONDITIONS ? json_array_size(conds) : CRM_RULE_MAX_CONDITIONS;
	for (i = 0; i < n; i++) {
		cd = json_array_get(conds, i);
		fields = json_array();
		for (k = 0; e != NULL && k < e->nfields; k++)
			if (e->fields[k].uses & CRM_REPORT_FILTER)
				json_array_append_new(fields, item(e->fields[k].name, crm_ctx_text(c, e->fields[k].label),
				    text_of(cd, "field")));
		opm = json_array();
		for (k = 0; ops[k] != NULL; k++)
			json_array_append_new(opm, item(ops[k], crm_ctx_text(c, crm_report_op_label(ops[k])), text_of(cd, "op")));
		json_array_append_new(rows, json_pack("{s:s,s:i,s:o,s:o,s:s,s:s,s:b}",
		    "key", crm_arena_printf(c->arena, "c%zu", i), "n", (int)i + 1, "fields", fields, "ops", opm,
		    "value", text_of(cd, "value"), "value2", text_of(cd, "value2"), "error", bad == i + 1));
	}
	return rows;
}

struct menus {
	json_t *users, *teams, *templates, *webhooks;
};

static json_t *
action_rows(struct crm_ctx *c, const struct crm_rule_entity *info, json_t *actions, size_t bad,
    const struct menus *m)
{
	static const char *const tos[] = { "owner", "user", "team", "account_owner", "contact", NULL };
	static const char *const to_labels[] = { N_("The record's owner"), N_("This user"),
		N_("Round robin in this team"), N_("The owner of the record's account"), N_("The record's contact") };
	static const char *const kinds[] = { "task", "call", "meeting", NULL };
	static const char *const kind_labels[] = { N_("Task"), N_("Call"), N_("Meeting") };
	json_t *rows = json_array(), *ac, *types, *tom, *kindm, *fields;
	size_t i, k, n = json_array_size(actions) + BLANK_ROWS;

	if (n > CRM_RULE_MAX_ACTIONS)
		n = json_array_size(actions) > CRM_RULE_MAX_ACTIONS ? json_array_size(actions) : CRM_RULE_MAX_ACTIONS;
	for (i = 0; i < n; i++) {
		ac = json_array_get(actions, i);
		types = json_array();
		for (k = 0; crm_rule_action_types[k] != NULL; k++)
			json_array_append_new(types, item(crm_rule_action_types[k],
			    crm_ctx_text(c, crm_rule_action_label((enum crm_rule_action_type)k)), text_of(ac, "type")));
		tom = json_array();
		for (k = 0; tos[k] != NULL; k++)
			json_array_append_new(tom, item(tos[k], crm_ctx_text(c, to_labels[k]), text_of(ac, "to")));
		kindm = json_array();
		for (k = 0; kinds[k] != NULL; k++)
			json_array_append_new(kindm, item(kinds[k], crm_ctx_text(c, kind_labels[k]), text_of(ac, "kind")));
		fields = json_array();
		for (k = 0; info != NULL && k < info->nsettable; k++)
			json_array_append_new(fields, item(info->settable[k].name, crm_ctx_text(c, info->settable[k].label),
			    text_of(ac, "field")));
		json_array_append_new(rows, json_pack("{s:s,s:i,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b}",
		    "key", crm_arena_printf(c->arena, "a%zu", i), "n", (int)i + 1, "types", types, "tos", tom,
		    "kinds", kindm, "fields", fields, "value", text_of(ac, "value"), "subject", text_of(ac, "subject"),
		    "due_days", text_of(ac, "due_days"),
		    "users", id_menu(m->users, text_of(ac, "user_id")), "teams", id_menu(m->teams, text_of(ac, "team_id")),
		    "templates", id_menu(m->templates, text_of(ac, "template_id")),
		    "webhooks", id_menu(m->webhooks, text_of(ac, "webhook_id")), "error", bad == i + 1));
	}
	return rows;
}

static int
form_view(struct crm_ctx *c, const struct rule_form *f)
{
	const char *entity = text_of(f->def, "entity");
	const struct crm_report_entity *e = crm_rule_entity(entity) ? crm_report_entity(entity) : NULL;
	const struct crm_rule_entity *info = e ? crm_rule_entity(entity) : NULL;
	json_t *entities = json_array(), *triggers = json_array(), *dates = json_array();
	json_int_t bad_c = json_integer_value(json_object_get(c->view, "bad_condition"));
	json_int_t bad_a = json_integer_value(json_object_get(c->view, "bad_action"));
	const struct crm_report_entity *ent;
	struct menus m;
	size_t i;

	memset(&m, 0, sizeof(m));
	if (crm_db_rows(c->db, STMT_RULE_USERS, NULL, 0, &m.users) != CRM_OK ||
	    crm_db_rows(c->db, STMT_RULE_TEAMS, NULL, 0, &m.teams) != CRM_OK ||
	    crm_db_rows(c->db, STMT_RULE_TEMPLATES, NULL, 0, &m.templates) != CRM_OK ||
	    crm_db_rows(c->db, STMT_RULE_WEBHOOKS, NULL, 0, &m.webhooks) != CRM_OK)
		return 500;
	for (i = 0; (ent = crm_report_entity_at(i)) != NULL; i++)
		if (crm_rule_entity(ent->name) != NULL)
			json_array_append_new(entities, item(ent->name, crm_ctx_text(c, ent->label), entity));
	for (i = 0; crm_rule_triggers[i] != NULL; i++)
		json_array_append_new(triggers, item(crm_rule_triggers[i],
		    crm_ctx_text(c, crm_rule_trigger_label((enum crm_rule_trigger)i)), text_of(f->def, "trigger")));
	for (i = 0; info != NULL && info->time_fields[i] != NULL; i++) {
		const struct crm_report_field *df = crm_report_field(e, info->time_fields[i]);

		if (df != NULL)
			json_array_append_new(dates, item(df->name, crm_ctx_text(c, df->label), text_of(f->def, "date_field")));
	}
	json_object_set_new(c->view, "form", json_pack("{s:s,s:b,s:s,s:s,s:b,s:o,s:o,s:s,s:o,s:o}",
	    "name", f->name ? f->name : "", "enabled", f->enabled, "entity", entity,
	    "entity_label", e != NULL ? crm_ctx_text(c, e->label) : "", "chosen", e != NULL,
	    "triggers", triggers, "date_fields", dates, "offset_days", text_of(f->def, "offset_days"),
	    "conditions", condition_rows(c, e, json_object_get(f->def, "conditions"), (size_t)bad_c),
	    "actions", action_rows(c, info, json_object_get(f->def, "actions"), (size_t)bad_a, &m)));
	json_object_set_new(c->view, "choices", crm_report_choices_view(c, e));
	json_object_set_new(c->view, "entities", entities);
	json_object_set(c->view, "definition", f->def);
	automation_nav(c, "rules");
	return 200;
}

/* A GET's ?entity= starts the form over on other records. */
static void
entity_from_query(struct crm_ctx *c, struct rule_form *f)
{
	const char *entity = crm_ctx_query(c, "entity");
	const char *current = json_string_value(json_object_get(f->def, "entity"));

	if (entity == NULL || crm_rule_entity(entity) == NULL)
		return;
	if (current == NULL || strcmp(entity, current) != 0)
		f->def = json_pack("{s:s,s:s}", "entity", entity, "trigger", "create");
}

static json_t *
load(struct crm_ctx *c, int *status)
{
	json_t *row = crm_ctx_record(c, STMT_RULE_GET, crm_ctx_id(c, "id"), 0, status);

	if (row != NULL)
		*status = 0;
	return row;
}

int
automation_rule_new(struct crm_ctx *c)
{
	struct rule_form f;

	memset(&f, 0, sizeof(f));
	f.name = "";
	f.enabled = 1;
	f.def = json_pack("{s:s}", "trigger", "create");
	entity_from_query(c, &f);
	return form_view(c, &f);
}

int
automation_rule_edit(struct crm_ctx *c)
{
	struct rule_form f;
	json_t *rule;
	int status;

	if ((rule = load(c, &status)) == NULL)
		return status;
	memset(&f, 0, sizeof(f));
	f.name = json_string_value(json_object_get(rule, "name"));
	f.enabled = json_is_true(json_object_get(rule, "enabled"));
	f.def = json_loads(json_string_value(json_object_get(rule, "definition")), 0, NULL);
	if (!json_is_object(f.def))
		f.def = json_object();
	entity_from_query(c, &f);
	json_object_del(rule, "definition");
	json_object_set_new(c->view, "rule", rule);
	return form_view(c, &f);
}

/*
 * Saving.
 */

/* What an action names must exist: its place from 1 with the message,
 * 0 when all do, -1 on a database error. */
static int
references(struct crm_ctx *c, const struct crm_rule *r, const char **msg)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	size_t i, k;
	enum crm_err e;

	for (i = 0; i < r->nactions; i++) {
		const struct crm_rule_action *a = &r->actions[i];
		const struct {
			long long id;
			size_t stmt;
			const char *msg;
		} refs[] = {
			{ a->to != NULL && strcmp(a->to, "user") == 0 ? a->user_id : 0, STMT_RULE_USER,
			    N_("Choose an active user.") },
			{ a->to != NULL && strcmp(a->to, "team") == 0 ? a->team_id : 0, STMT_RULE_TEAM, N_("Choose a team.") },
			{ a->template_id, STMT_RULE_TEMPLATE, N_("Choose an e-mail template.") },
			{ a->webhook_id, STMT_RULE_WEBHOOK, N_("Choose a webhook.") },
		};

		for (k = 0; k < CRM_NELEM(refs); k++) {
			if (refs[k].id <= 0)
				continue;
			crm_db_bind_i64(&b[0], refs[k].id);
			if ((e = crm_db_row(c->db, refs[k].stmt, b, 1, &row)) == CRM_ENOTFOUND) {
				*msg = refs[k].msg;
				return (int)i + 1;
			}
			if (e != CRM_OK)
				return -1;
		}
	}
	return 0;
}

struct change {
	struct crm_ctx *c;
	struct rule_form f;
	const struct crm_rule *r;
	long long id;
	json_t *before;
	const char *definition;
};

static json_t *
audited(const char *name, const char *definition, int enabled)
{
	return json_pack("{s:s,s:s,s:b}", "name", name, "definition", definition, "enabled", enabled);
}

static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[6];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->f.name, (size_t)-1);
	crm_db_bind_str(&b[1], ch->r->info->name, (size_t)-1);
	crm_db_bind_str(&b[2], crm_rule_triggers[ch->r->trigger], (size_t)-1);
	crm_db_bind_str(&b[3], ch->definition, (size_t)-1);
	crm_db_bind_i64(&b[4], ch->f.enabled);
	if (ch->id == 0) {
		crm_db_bind_i64(&b[5], ch->c->user->user_id);
		if ((e = crm_db_exec(db, STMT_RULE_CREATE, b, 6, NULL, &id)) != CRM_OK)
			return e;
		ch->id = (long long)id;
	} else {
		crm_db_bind_i64(&b[5], ch->id);
		if ((e = crm_db_exec(db, STMT_RULE_UPDATE, b, 6, NULL, NULL)) != CRM_OK)
			return e;
	}
	return crm_ctx_audit(ch->c, ch->before ? "update" : "create", "rule", ch->id,
	    ch->before ? audited(json_string_value(json_object_get(ch->before, "name")),
	    json_string_value(json_object_get(ch->before, "definition")),
	    json_is_true(json_object_get(ch->before, "enabled"))) : NULL,
	    audited(ch->f.name, ch->definition, ch->f.enabled));
}

static int
save(struct crm_ctx *c, long long id, json_t *before)
{
	struct crm_rule r;
	struct crm_rule_error err;
	struct change ch;
	const char *msg = NULL;
	int status, bad;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = id;
	ch.before = before;
	ch.r = &r;
	if ((status = form_read(c, &ch.f)) != 0)
		return crm_ctx_fail(c, status, N_("The request is not a rule."));
	if (before != NULL) {
		json_t *shown = json_deep_copy(before);

		json_object_del(shown, "definition");
		json_object_set_new(c->view, "rule", shown);
	}
	if (!crm_valid_text(ch.f.name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (json_dumpb(ch.f.def, NULL, 0, JSON_COMPACT) > CRM_RULE_MAX_JSON) {
		crm_ctx_field_error(c, "entity", N_("This definition is too long."));
		bad = 1;
	} else if ((bad = crm_rule_parse(c->arena, ch.f.def, &r, &err) != CRM_OK)) {
		const char *m = crm_ctx_text(c, err.msgid);

		if (err.item > 0)
			m = crm_arena_printf(c->arena, "%s %zu: %s", crm_ctx_text(c, strcmp(err.key, "actions") == 0 ?
			    N_("Action") : N_("Condition")), err.item, m);
		crm_ctx_field_error(c, err.key, m);
		if (err.item > 0)
			json_object_set_new(c->view, strcmp(err.key, "actions") == 0 ? "bad_action" : "bad_condition",
			    json_integer((json_int_t)err.item));
	} else if ((bad = references(c, &r, &msg)) != 0) {
		if (bad < 0)
			return 500;
		crm_ctx_field_error(c, "actions", crm_arena_printf(c->arena, "%s %d: %s", crm_ctx_text(c, N_("Action")),
		    bad, crm_ctx_text(c, msg)));
		json_object_set_new(c->view, "bad_action", json_integer(bad));
	}
	if (bad || crm_ctx_has_errors(c)) {
		if ((status = form_view(c, &ch.f)) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	ch.definition = json_dumps(ch.f.def, JSON_COMPACT | JSON_SORT_KEYS);
	if (crm_db_tx(c->db, save_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/automation/rules?done=%s&id=%lld",
	    before ? "saved" : "created", ch.id));
}

int
automation_rule_create(struct crm_ctx *c)
{
	return save(c, 0, NULL);
}

int
automation_rule_update(struct crm_ctx *c)
{
	json_t *rule;
	int status;

	if ((rule = load(c, &status)) == NULL)
		return status;
	return save(c, json_integer_value(json_object_get(rule, "id")), rule);
}
