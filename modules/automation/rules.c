/* Rules: the list (on or off, when each last ran), switching one on or
 * off, deleting one, and the run logs: a rule's own and the recent runs
 * of all, newest first, paged by id. */
#include <stdint.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_i18n.h"
#include "crm_rule.h"
#include "crm_valid.h"
#include "extern.h"

static const char *
trigger_label(struct crm_ctx *c, const char *name)
{
	size_t i;

	for (i = 0; crm_rule_triggers[i] != NULL; i++)
		if (name != NULL && strcmp(crm_rule_triggers[i], name) == 0)
			return crm_ctx_text(c, crm_rule_trigger_label((enum crm_rule_trigger)i));
	return name != NULL ? name : "";
}

static const char *
entity_label(struct crm_ctx *c, const char *name)
{
	const struct crm_report_entity *e = crm_report_entity(name);

	return e != NULL ? crm_ctx_text(c, e->label) : name != NULL ? name : "";
}

/* A time rule's date, named as the catalogue names it. */
static void
date_label(struct crm_ctx *c, json_t *row)
{
	const struct crm_report_field *f = crm_report_field(crm_report_entity(json_string_value(json_object_get(row,
	    "entity"))), json_string_value(json_object_get(row, "date_field")));

	if (f != NULL)
		json_object_set_new(row, "date_label", json_string(crm_ctx_text(c, f->label)));
}

int
automation_rules(struct crm_ctx *c)
{
	const char *after = crm_ctx_query_str(c, "after");
	struct crm_db_bind b[3];
	long long after_id = 0;
	json_t *rows = NULL, *row;
	size_t i;

	if (!crm_valid_text(after, 0, 100, 0) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_str(&b[0], after, (size_t)-1);
	crm_db_bind_str(&b[1], after, (size_t)-1);
	crm_db_bind_i64(&b[2], after_id);
	if (crm_db_rows(c->db, STMT_RULES_LIST, b, 3, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "entity_label", json_string(entity_label(c,
		    json_string_value(json_object_get(row, "entity")))));
		json_object_set_new(row, "trigger_label", json_string(trigger_label(c,
		    json_string_value(json_object_get(row, "trigger_kind")))));
		date_label(c, row);
	}
	crm_ctx_localise_dates(c, rows, "last_run_at");
	crm_ctx_next_page(c, rows, "/automation/rules", "name", NULL);
	json_object_set_new(c->view, "rules", rows);
	automation_nav(c, "rules");
	automation_flash(c);
	return 200;
}

/* The rule of the address, or NULL with the status to answer. */
static json_t *
load(struct crm_ctx *c, int *status)
{
	json_t *row = crm_ctx_record(c, STMT_RULE_GET, crm_ctx_id(c, "id"), 0, status);

	if (row != NULL)
		*status = 0;
	return row;
}

struct toggle {
	struct crm_ctx *c;
	json_t *rule;
	long long id;
	int on;
};

static enum crm_err
toggle_tx(struct crm_db *db, void *arg)
{
	struct toggle *t = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_i64(&b[0], t->on);
	crm_db_bind_i64(&b[1], t->id);
	if ((e = crm_db_exec(db, STMT_RULE_ENABLE, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, t->on ? "enable" : "disable", "rule", t->id,
	    json_pack("{s:O}", "enabled", json_object_get(t->rule, "enabled")), json_pack("{s:b}", "enabled", t->on));
}

static int
toggle(struct crm_ctx *c, int on)
{
	struct toggle t;
	int status;

	if ((t.rule = load(c, &status)) == NULL)
		return status;
	t.c = c;
	t.on = on;
	t.id = json_integer_value(json_object_get(t.rule, "id"));
	if (crm_db_tx(c->db, toggle_tx, &t) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, on ? "/automation/rules?done=rule_enabled" :
	    "/automation/rules?done=rule_disabled");
}

int
automation_rule_enable(struct crm_ctx *c)
{
	return toggle(c, 1);
}

int
automation_rule_disable(struct crm_ctx *c)
{
	return toggle(c, 0);
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct toggle *t = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], t->id);
	if ((e = crm_db_exec(db, STMT_RULE_DELETE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, "delete", "rule", t->id, json_pack("{s:O,s:O,s:O}",
	    "name", json_object_get(t->rule, "name"), "definition", json_object_get(t->rule, "definition"),
	    "enabled", json_object_get(t->rule, "enabled")), NULL);
}

int
automation_rule_delete(struct crm_ctx *c)
{
	struct toggle t;
	int status;

	if ((t.rule = load(c, &status)) == NULL)
		return status;
	t.c = c;
	t.id = json_integer_value(json_object_get(t.rule, "id"));
	if (crm_db_tx(c->db, delete_tx, &t) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/automation/rules?done=deleted");
}

static const char *
action_label(struct crm_ctx *c, const char *type)
{
	size_t i;

	for (i = 0; crm_rule_action_types[i] != NULL; i++)
		if (type != NULL && strcmp(crm_rule_action_types[i], type) == 0)
			return crm_ctx_text(c, crm_rule_action_label((enum crm_rule_action_type)i));
	return type != NULL ? type : "";
}

/* Where a run's record is shown, by its audit name. */
static const struct {
	const char *entity, *path;
} record_pages[] = {
	{ "account", "/customers/accounts/" },
	{ "contact", "/customers/contacts/" },
	{ "lead", "/sales/leads/" },
	{ "opportunity", "/sales/opportunities/" },
	{ "order", "/sales/orders/" },
	{ "quote", "/sales/quotes/" },
	{ "ticket", "/service/tickets/" },
};

static void
record_url(struct crm_ctx *c, json_t *row)
{
	const char *entity = json_string_value(json_object_get(row, "entity"));
	size_t i;

	for (i = 0; entity != NULL && i < CRM_NELEM(record_pages); i++)
		if (strcmp(record_pages[i].entity, entity) == 0) {
			json_object_set_new(row, "record_url", json_string(crm_arena_printf(c->arena, "%s%lld", record_pages[i].path,
			    (long long)json_integer_value(json_object_get(row, "record_id")))));
			return;
		}
}

void
automation_runs_view(struct crm_ctx *c, json_t *rows)
{
	json_t *row, *actions, *a;
	size_t i, j;

	json_array_foreach(rows, i, row) {
		const char *text = json_string_value(json_object_get(row, "actions"));
		const char *status = json_string_value(json_object_get(row, "status"));
		const char *error = json_string_value(json_object_get(row, "error"));

		actions = text != NULL ? json_loads(text, 0, NULL) : NULL;
		if (!json_is_array(actions))
			actions = json_array();
		json_array_foreach(actions, j, a) {
			json_object_set_new(a, "label", json_string(action_label(c,
			    json_string_value(json_object_get(a, "type")))));
			json_object_set_new(a, "msg", json_string(crm_ctx_text(c,
			    json_string_value(json_object_get(a, "msg")) ? json_string_value(json_object_get(a, "msg")) : "")));
		}
		json_object_set_new(row, "actions", actions);
		json_object_set_new(row, "error", json_string(error != NULL && *error ? crm_ctx_text(c, error) : ""));
		json_object_set_new(row, "trigger_label", json_string(trigger_label(c,
		    json_string_value(json_object_get(row, "trigger_kind")))));
		json_object_set_new(row, crm_arena_printf(c->arena, "status_%s", status ? status : "done"), json_true());
		record_url(c, row);
	}
	crm_ctx_localise_dates(c, rows, "created_at");
}

/* ?after_id= of a newest-first log: the next page's ids are below it. */
static int
before_id(struct crm_ctx *c, long long *id)
{
	*id = INT64_MAX;
	return crm_ctx_after_id(c, id);
}

int
automation_rule_runs(struct crm_ctx *c)
{
	struct crm_db_bind b[2];
	json_t *rule, *rows = NULL;
	long long before;
	int status;

	if (!before_id(c, &before))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if ((rule = load(c, &status)) == NULL)
		return status;
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(rule, "id")));
	crm_db_bind_i64(&b[1], before);
	if (crm_db_rows(c->db, STMT_RULE_RUNS, b, 2, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, crm_arena_printf(c->arena, "/automation/rules/%lld/runs",
	    (long long)json_integer_value(json_object_get(rule, "id"))), NULL, NULL);
	automation_runs_view(c, rows);
	json_object_del(rule, "definition");
	json_object_set_new(rule, "entity_label", json_string(entity_label(c,
	    json_string_value(json_object_get(rule, "entity")))));
	json_object_set_new(rule, "trigger_label", json_string(trigger_label(c,
	    json_string_value(json_object_get(rule, "trigger_kind")))));
	json_object_set_new(c->view, "rule", rule);
	json_object_set_new(c->view, "runs", rows);
	automation_nav(c, "rules");
	return 200;
}

int
automation_rules_runs(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL;
	long long before;

	if (!before_id(c, &before))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_i64(&b[0], before);
	if (crm_db_rows(c->db, STMT_RULES_RECENT_RUNS, b, 1, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/automation/runs", NULL, NULL);
	automation_runs_view(c, rows);
	json_object_set_new(c->view, "runs", rows);
	json_object_set_new(c->view, "all", json_true());
	automation_nav(c, "runs");
	return 200;
}
