/* Assignment rules: who gets a new ticket nobody was given. An admin
 * keeps the list here; applying it is lib/crm_ticket_assign.c, which mail
 * tickets (the automation module) share. */
#include <string.h>

#include "crm_audit.h"
#include "crm_ticket_assign.h"
#include "crm_valid.h"
#include "extern.h"

enum crm_err
service_assign(struct crm_ctx *c, struct crm_db *db, long long ticket_id, long long category_id,
    long long *owner_id, long long *team_id)
{
	struct crm_ticket_assignment a;
	enum crm_err e;

	*owner_id = 0;
	if ((e = crm_ticket_assign(db, ticket_id, category_id, &a)) != CRM_OK || a.owner_id == 0)
		return e;
	*owner_id = a.owner_id;
	*team_id = a.team_id;
	return crm_ctx_audit(c, "assign", "ticket", ticket_id, json_pack("{s:n}", "owner_id"),
	    crm_ticket_assign_json(&a));
}

static int
page(struct crm_ctx *c)
{
	const char *after = crm_ctx_query_str(c, "after");
	json_t *rules = NULL, *cats = NULL, *teams = NULL, *r, *opts, *o;
	struct crm_db_bind b[3];
	long long after_id = 0;
	size_t i, k;

	if (!crm_valid_text(after, 0, 20, 0) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_str(&b[0], after, (size_t)-1);
	crm_db_bind_str(&b[1], after, (size_t)-1);
	crm_db_bind_i64(&b[2], after_id);
	if (crm_db_rows(c->db, STMT_RULES, b, 3, &rules) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TICKET_CATEGORIES, NULL, 0, &cats) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TEAMS, NULL, 0, &teams) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rules, "/service/rules", "sort_key", NULL);
	/* Each row's own pickers, with its choices marked. */
	json_array_foreach(rules, i, r) {
		opts = json_array();
		json_array_foreach(cats, k, o)
			json_array_append_new(opts, json_pack("{s:O,s:O,s:b}", "id", json_object_get(o, "id"),
			    "name", json_object_get(o, "name"),
			    "selected", json_equal(json_object_get(o, "id"), json_object_get(r, "category_id"))));
		json_object_set_new(r, "category_options", opts);
		opts = json_array();
		json_array_foreach(teams, k, o)
			json_array_append_new(opts, json_pack("{s:O,s:O,s:b}", "id", json_object_get(o, "id"),
			    "name", json_object_get(o, "name"),
			    "selected", json_equal(json_object_get(o, "id"), json_object_get(r, "team_id"))));
		json_object_set_new(r, "team_options", opts);
		json_object_set_new(r, "least_open", json_boolean(strcmp(json_string_value(json_object_get(r,
		    "method")), "least_open") == 0));
	}
	json_object_set_new(c->view, "rules", rules);
	json_object_set_new(c->view, "categories", cats);
	json_object_set_new(c->view, "teams", teams);
	service_nav(c, "rules");
	service_flash(c);
	return 200;
}

int
service_rules(struct crm_ctx *c)
{
	return page(c);
}

struct rule {
	struct crm_ctx *c;
	long long id, position, category_id, team_id;
	const char *name, *method;
	int active;
	json_t *before;
};

static long long
picked(struct crm_ctx *c, const char *name, size_t stmt)
{
	const char *v = crm_ctx_form_str(c, name);
	struct crm_db_bind b[1];
	json_t *row = NULL;
	long long id;

	if (*v == '\0' || strcmp(v, "0") == 0)
		return 0;
	if (!crm_valid_id(v, &id))
		return -1;
	crm_db_bind_i64(&b[0], id);
	return crm_db_row(c->db, stmt, b, 1, &row) == CRM_OK ? id : -1;
}

static int
read_form(struct crm_ctx *c, struct rule *r)
{
	static const char *const methods[] = { "round_robin", "least_open", NULL };
	const char *pos = crm_ctx_form_str(c, "position");
	long long p;

	r->name = crm_ctx_form_str(c, "name");
	r->method = crm_ctx_form_str(c, "method");
	r->category_id = picked(c, "category_id", STMT_TICKET_CATEGORY_GET);
	r->team_id = picked(c, "team_id", STMT_TICKET_TEAM_GET);
	if (strcmp(pos, "0") == 0 || *pos == '\0')
		r->position = 0;
	else if (crm_valid_id(pos, &p) && p <= 100000)
		r->position = p;
	else
		crm_ctx_field_error(c, "position", N_("Enter a position from 0 to 100000."));
	if (!crm_valid_text(r->name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (!crm_valid_oneof(r->method, methods))
		crm_ctx_field_error(c, "method", N_("Choose a method from the list."));
	if (r->category_id < 0)
		crm_ctx_field_error(c, "category_id", N_("Choose a category from the list."));
	if (r->team_id <= 0)
		crm_ctx_field_error(c, "team_id", N_("Choose a team from the list."));
	return crm_ctx_has_errors(c);
}

static json_t *
rule_json(const struct rule *r)
{
	return json_pack("{s:I,s:s,s:I,s:I,s:s,s:b}", "position", (json_int_t)r->position, "name", r->name,
	    "category_id", (json_int_t)r->category_id, "team_id", (json_int_t)r->team_id, "method", r->method,
	    "active", r->active);
}

static void
bind_rule(struct crm_db_bind *b, const struct rule *r)
{
	crm_db_bind_i64(&b[0], r->position);
	crm_db_bind_str(&b[1], r->name, (size_t)-1);
	if (r->category_id > 0)
		crm_db_bind_i64(&b[2], r->category_id);
	else
		crm_db_bind_null(&b[2]);
	crm_db_bind_i64(&b[3], r->team_id);
	crm_db_bind_str(&b[4], r->method, (size_t)-1);
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct rule *r = arg;
	struct crm_db_bind b[5];
	uint64_t id = 0;
	enum crm_err e;

	bind_rule(b, r);
	if ((e = crm_db_exec(db, STMT_RULE_CREATE, b, 5, NULL, &id)) != CRM_OK)
		return e;
	r->id = (long long)id;
	return crm_ctx_audit(r->c, "create", "ticket_rule", r->id, NULL, rule_json(r));
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct rule *r = arg;
	struct crm_db_bind b[7];
	enum crm_err e;

	bind_rule(b, r);
	crm_db_bind_i64(&b[5], r->active);
	crm_db_bind_i64(&b[6], r->id);
	if ((e = crm_db_exec(db, STMT_RULE_UPDATE, b, 7, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(r->c, "update", "ticket_rule", r->id, json_pack("{s:O,s:O,s:I,s:O,s:O,s:O}",
	    "position", json_object_get(r->before, "position"), "name", json_object_get(r->before, "name"),
	    "category_id", json_integer_value(json_object_get(r->before, "category_id")),
	    "team_id", json_object_get(r->before, "team_id"), "method", json_object_get(r->before, "method"),
	    "active", json_object_get(r->before, "active")), rule_json(r));
}

static int
refused(struct crm_ctx *c)
{
	int st = page(c);

	return st == 200 ? crm_ctx_status(c, 422) : st;
}

int
service_rule_create(struct crm_ctx *c)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.active = 1;
	if (read_form(c, &r))
		return refused(c);
	if (crm_db_tx(c->db, create_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/service/rules?done=created");
}

int
service_rule_update(struct crm_ctx *c)
{
	struct rule r;
	int status;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.id = crm_ctx_id(c, "id");
	if ((r.before = service_load(c, STMT_RULE_GET, r.id, 0, &status)) == NULL)
		return status;
	r.active = crm_ctx_form(c, "active") != NULL;
	if (read_form(c, &r))
		return refused(c);
	if (crm_db_tx(c->db, update_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/service/rules?done=saved");
}
