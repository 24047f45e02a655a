/* Assignment rules for new leads from web forms, edited by an admin. Each
 * rule narrows by country and/or city ('' matches any) and names a user
 * or a team whose active members take turns (round-robin by user id).
 * Rules are tried in position order; the first that can name an owner
 * wins (a team with no active member passes to the next rule); a lead no
 * rule takes goes to its form's default owner. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

enum crm_err
sales_lead_assign(struct crm_db *db, const char *country, const char *city, long long fallback,
    long long *owner)
{
	struct crm_db_bind b[2];
	json_t *rules = NULL, *rule, *row = NULL;
	enum crm_err e;
	size_t i;

	*owner = fallback;
	crm_db_bind_str(&b[0], country, (size_t)-1);
	crm_db_bind_str(&b[1], city, (size_t)-1);
	if ((e = crm_db_rows(db, STMT_LEAD_RULE_MATCH, b, 2, &rules)) != CRM_OK)
		return e;
	json_array_foreach(rules, i, rule) {
		long long id = json_integer_value(json_object_get(rule, "id"));
		json_t *user = json_object_get(rule, "user_id");

		if (json_is_integer(user)) {
			crm_db_bind_i64(&b[0], json_integer_value(user));
			if ((e = crm_db_row(db, STMT_USER_ACTIVE, b, 1, &row)) == CRM_ENOTFOUND)
				continue;
			if (e == CRM_OK)
				*owner = json_integer_value(user);
			return e;
		}
		/* The rule's row stays locked to commit: a second worker
		 * assigning at the same moment waits, then takes the next turn. */
		crm_db_bind_i64(&b[0], id);
		if ((e = crm_db_row(db, STMT_LEAD_RULE_LOCK, b, 1, &row)) != CRM_OK)
			return e;
		crm_db_bind_i64(&b[0], json_integer_value(json_object_get(rule, "team_id")));
		crm_db_bind_i64(&b[1], json_integer_value(json_object_get(row, "last_user_id")));
		if ((e = crm_db_row(db, STMT_LEAD_TEAM_NEXT, b, 2, &row)) == CRM_ENOTFOUND)
			continue;
		if (e != CRM_OK)
			return e;
		*owner = json_integer_value(json_object_get(row, "id"));
		crm_db_bind_i64(&b[0], *owner);
		crm_db_bind_i64(&b[1], id);
		return crm_db_exec(db, STMT_LEAD_RULE_TURN, b, 2, NULL, NULL);
	}
	return CRM_OK;
}

struct rule {
	struct crm_ctx *c;
	long long id, position, user_id, team_id;
	const char *name, *country, *city, *target;
	int active;
	json_t *before;
};

static void
read_rule(struct crm_ctx *c, struct rule *r)
{
	const char *pos = crm_ctx_form_str(c, "position");
	struct crm_db_bind b[1];
	json_t *row = NULL;
	char *country, *end;
	long long id = 0;
	size_t i;

	r->name = crm_ctx_form_str(c, "name");
	country = crm_arena_strdup(c->arena, crm_ctx_form_str(c, "country"));
	for (i = 0; country[i]; i++)
		country[i] = (char)toupper((unsigned char)country[i]);
	r->country = country;
	r->city = crm_ctx_form_str(c, "city");
	r->target = crm_ctx_form_str(c, "target");
	r->active = crm_ctx_form(c, "active") != NULL;
	r->position = strtoll(pos, &end, 10);
	if (*pos == '\0' || *end != '\0' || r->position < 0 || r->position > 100000)
		crm_ctx_field_error(c, "position", N_("Enter a position from 0 to 100000."));
	if (!crm_valid_text(r->name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (*country && (strlen(country) != 2 || !isupper((unsigned char)country[0]) ||
	    !isupper((unsigned char)country[1])))
		crm_ctx_field_error(c, "country", N_("Enter the country as two letters, such as CN or US."));
	if (!crm_valid_text(r->city, 0, 100, 0))
		crm_ctx_field_error(c, "city", N_("Keep the city under 100 characters."));
	/* "user:ID" or "team:ID". */
	if (strncmp(r->target, "user:", 5) == 0 && crm_valid_id(r->target + 5, &id)) {
		crm_db_bind_i64(&b[0], id);
		if (crm_db_row(c->db, STMT_USER_ACTIVE, b, 1, &row) == CRM_OK)
			r->user_id = id;
	} else if (strncmp(r->target, "team:", 5) == 0 && crm_valid_id(r->target + 5, &id)) {
		crm_db_bind_i64(&b[0], id);
		if (crm_db_row(c->db, STMT_LEAD_TEAM_GET, b, 1, &row) == CRM_OK)
			r->team_id = id;
	}
	if (r->user_id == 0 && r->team_id == 0)
		crm_ctx_field_error(c, "target", N_("Choose an active user or a team."));
}

static json_t *
rule_json(const struct rule *r)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:b}", "position", (json_int_t)r->position,
	    "name", r->name, "country", r->country, "city", r->city,
	    "user_id", r->user_id ? json_integer(r->user_id) : json_null(),
	    "team_id", r->team_id ? json_integer(r->team_id) : json_null(), "active", r->active);
}

/* Targets for a rule's select: users, then teams, the chosen one marked. */
static json_t *
targets(struct crm_ctx *c, const char *chosen)
{
	json_t *users = sales_lead_users(c, 0), *teams = NULL, *row, *out = json_object();
	size_t i;

	if (crm_db_rows(c->db, STMT_LEAD_TEAMS, NULL, 0, &teams) != CRM_OK)
		teams = json_array();
	json_array_foreach(users, i, row) {
		const char *v = crm_arena_printf(c->arena, "user:%lld", (long long)json_integer_value(json_object_get(row, "id")));

		json_object_set_new(row, "value", json_string(v));
		json_object_set_new(row, "selected", json_boolean(chosen && strcmp(chosen, v) == 0));
	}
	json_array_foreach(teams, i, row) {
		const char *v = crm_arena_printf(c->arena, "team:%lld", (long long)json_integer_value(json_object_get(row, "id")));

		json_object_set_new(row, "value", json_string(v));
		json_object_set_new(row, "selected", json_boolean(chosen && strcmp(chosen, v) == 0));
	}
	json_object_set_new(out, "users", users);
	json_object_set_new(out, "teams", teams);
	return out;
}

static int
rules_page(struct crm_ctx *c, json_t *typed)
{
	json_t *rules = NULL, *row;
	size_t i;

	if (crm_db_rows(c->db, STMT_LEAD_RULES, NULL, 0, &rules) != CRM_OK)
		return 500;
	json_array_foreach(rules, i, row) {
		json_t *u = json_object_get(row, "user_id");
		const char *t = json_is_integer(u) ?
		    crm_arena_printf(c->arena, "user:%lld", (long long)json_integer_value(u)) :
		    crm_arena_printf(c->arena, "team:%lld", (long long)json_integer_value(json_object_get(row, "team_id")));

		json_object_set_new(row, "targets", targets(c, t));
	}
	if (typed == NULL)
		typed = json_pack("{s:I,s:b}", "position", (json_int_t)(json_array_size(rules) + 1) * 10, "active", 1);
	json_object_set_new(typed, "targets", targets(c, json_string_value(json_object_get(typed, "target"))));
	json_object_set_new(c->view, "rules", rules);
	json_object_set_new(c->view, "rule", typed);
	sales_nav(c, "lead_rules");
	sales_flash(c);
	return 200;
}

int
sales_lead_rules(struct crm_ctx *c)
{
	return rules_page(c, NULL);
}

static json_t *
typed_rule(struct crm_ctx *c, const struct rule *r)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "position", crm_ctx_form_str(c, "position"), "name", r->name,
	    "country", r->country, "city", r->city, "target", r->target, "active", r->active);
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct rule *r = arg;
	struct crm_db_bind b[8];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], r->position);
	crm_db_bind_str(&b[1], r->name, (size_t)-1);
	crm_db_bind_str(&b[2], r->country, (size_t)-1);
	crm_db_bind_str(&b[3], r->city, (size_t)-1);
	if (r->user_id)
		crm_db_bind_i64(&b[4], r->user_id);
	else
		crm_db_bind_null(&b[4]);
	if (r->team_id)
		crm_db_bind_i64(&b[5], r->team_id);
	else
		crm_db_bind_null(&b[5]);
	crm_db_bind_i64(&b[6], r->active);
	if (r->id) {
		crm_db_bind_i64(&b[7], r->id);
		if ((e = crm_db_exec(db, STMT_LEAD_RULE_UPDATE, b, 8, NULL, NULL)) != CRM_OK)
			return e;
		return crm_ctx_audit(r->c, "update", "lead_rule", r->id, r->before, rule_json(r));
	}
	if ((e = crm_db_exec(db, STMT_LEAD_RULE_CREATE, b, 7, NULL, &id)) != CRM_OK)
		return e;
	r->id = (long long)id;
	return crm_ctx_audit(r->c, "create", "lead_rule", r->id, NULL, rule_json(r));
}

int
sales_lead_rule_create(struct crm_ctx *c)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.c = c;
	read_rule(c, &r);
	if (crm_ctx_has_errors(c)) {
		int st = rules_page(c, typed_rule(c, &r));

		return st != 200 ? st : crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, create_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/sales/lead-rules?done=rule-saved");
}

static json_t *
load_rule(struct crm_ctx *c, long long id)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], id);
	if (id == 0 || crm_db_row(c->db, STMT_LEAD_RULE_GET, b, 1, &row) != CRM_OK)
		return NULL;
	return json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "position", json_object_get(row, "position"),
	    "name", json_object_get(row, "name"), "country", json_object_get(row, "country"),
	    "city", json_object_get(row, "city"), "user_id", json_object_get(row, "user_id"),
	    "team_id", json_object_get(row, "team_id"), "active", json_object_get(row, "active"));
}

int
sales_lead_rule_update(struct crm_ctx *c)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.id = crm_ctx_id(c, "id");
	if ((r.before = load_rule(c, r.id)) == NULL)
		return 404;
	read_rule(c, &r);
	if (crm_ctx_has_errors(c)) {
		int st = rules_page(c, NULL);

		return st != 200 ? st : crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, create_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/sales/lead-rules?done=rule-saved");
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct rule *r = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], r->id);
	if ((e = crm_db_exec(db, STMT_LEAD_RULE_DELETE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(r->c, "delete", "lead_rule", r->id, r->before, NULL);
}

int
sales_lead_rule_delete(struct crm_ctx *c)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.id = crm_ctx_id(c, "id");
	if ((r.before = load_rule(c, r.id)) == NULL)
		return 404;
	if (crm_db_tx(c->db, delete_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/sales/lead-rules?done=rule-deleted");
}
