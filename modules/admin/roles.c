/* Roles and the permission matrix: every catalogued permission against
 * every role, ticked and saved in one form. The admin role holds '*' and
 * is shown, not edited, so no one can take the last admin's rights away. */
#include <stdio.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_perm.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const scopes[] = { "own", "team", "all", NULL };

static int
has(json_t *grants, long long role_id, const char *perm)
{
	json_t *g;
	size_t i;

	json_array_foreach(grants, i, g)
		if (json_integer_value(json_object_get(g, "role_id")) == role_id) {
			const char *p = json_string_value(json_object_get(g, "permission"));

			if (strcmp(p, "*") == 0 || strcmp(p, perm) == 0)
				return 1;
		}
	return 0;
}

static int
holds_star(json_t *grants, long long role_id)
{
	json_t *g;
	size_t i;

	json_array_foreach(grants, i, g)
		if (json_integer_value(json_object_get(g, "role_id")) == role_id &&
		    strcmp(json_string_value(json_object_get(g, "permission")), "*") == 0)
			return 1;
	return 0;
}

/* The matrix view: rows are permissions, cells one per role. */
static int
matrix_view(struct crm_ctx *c)
{
	json_t *roles = NULL, *grants = NULL, *rows = json_array(), *r, *rules = NULL;
	size_t i, k;

	if (crm_db_rows(c->db, STMT_ROLES_ALL, NULL, 0, &roles) != CRM_OK ||
	    crm_db_rows(c->db, STMT_ROLE_PERMS_ALL, NULL, 0, &grants) != CRM_OK)
		return 500;
	json_array_foreach(roles, k, r) {
		long long id = json_integer_value(json_object_get(r, "id"));
		const char *scope = json_string_value(json_object_get(r, "scope"));
		json_t *opts = json_array();
		size_t j;

		json_object_set_new(r, "everything", json_boolean(holds_star(grants, id)));
		for (j = 0; scopes[j]; j++)
			json_array_append_new(opts, json_pack("{s:s,s:b}", "value", scopes[j],
			    "selected", strcmp(scope, scopes[j]) == 0));
		json_object_set_new(r, "scopes", opts);
	}
	for (i = 0; i < crm_nperms; i++) {
		json_t *cells = json_array();

		json_array_foreach(roles, k, r) {
			long long id = json_integer_value(json_object_get(r, "id"));

			json_array_append_new(cells, json_pack("{s:I,s:s,s:b,s:b}", "role_id",
			    (json_int_t)id, "permission", crm_perms[i].name,
			    "granted", has(grants, id, crm_perms[i].name),
			    "fixed", holds_star(grants, id)));
		}
		json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:o}", "name", crm_perms[i].name,
		    "module", crm_perms[i].module, "label", crm_ctx_text(c, crm_perms[i].label),
		    "cells", cells));
	}
	if (crm_db_rows(c->db, STMT_FIELD_RULES_ALL, NULL, 0, &rules) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "field_rules", rules);
	json_object_set_new(c->view, "roles", roles);
	json_object_set_new(c->view, "permissions", rows);
	json_object_set_new(c->view, "title", json_string("Roles and permissions"));
	crm_ctx_nav_here(c, "admin");
	c->template = "admin/roles";
	return 200;
}

int
admin_roles(struct crm_ctx *c)
{
	admin_done_message(c);
	return matrix_view(c);
}

struct matrix_save {
	struct crm_ctx *c;
	json_t *roles, *grants;
};

/* The permissions ticked for one role, in catalogue order. */
static json_t *
ticked(struct crm_ctx *c, long long role_id)
{
	json_t *list = json_array();
	char field[128];
	size_t i;

	for (i = 0; i < crm_nperms; i++) {
		snprintf(field, sizeof(field), "p_%lld_%s", role_id, crm_perms[i].name);
		if (crm_ctx_form(c, field) != NULL)
			json_array_append_new(list, json_string(crm_perms[i].name));
	}
	return list;
}

static json_t *
granted(json_t *grants, long long role_id)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < crm_nperms; i++)
		if (has(grants, role_id, crm_perms[i].name))
			json_array_append_new(list, json_string(crm_perms[i].name));
	return list;
}

static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct matrix_save *m = arg;
	struct crm_ctx *c = m->c;
	struct crm_db_bind b[3];
	json_t *r, *p;
	size_t k, i;
	enum crm_err e;
	char field[64];

	json_array_foreach(m->roles, k, r) {
		long long id = json_integer_value(json_object_get(r, "id"));
		const char *scope;
		json_t *now, *before;
		int twofa;

		if (holds_star(m->grants, id))
			continue;
		snprintf(field, sizeof(field), "scope_%lld", id);
		scope = crm_ctx_form(c, field);
		if (!crm_valid_oneof(scope, scopes))
			scope = json_string_value(json_object_get(r, "scope"));
		snprintf(field, sizeof(field), "twofa_%lld", id);
		twofa = crm_ctx_form(c, field) != NULL;
		now = ticked(c, id);
		before = granted(m->grants, id);
		crm_db_bind_i64(&b[0], id);
		if ((e = crm_db_exec(db, STMT_ROLE_PERMS_CLEAR, b, 1, NULL, NULL)) != CRM_OK)
			return e;
		json_array_foreach(now, i, p) {
			crm_db_bind_i64(&b[0], id);
			crm_db_bind_str(&b[1], json_string_value(p), (size_t)-1);
			if ((e = crm_db_exec(db, STMT_ROLE_PERM_ADD, b, 2, NULL, NULL)) != CRM_OK)
				return e;
		}
		crm_db_bind_str(&b[0], scope, (size_t)-1);
		crm_db_bind_i64(&b[1], twofa);
		crm_db_bind_i64(&b[2], id);
		if ((e = crm_db_exec(db, STMT_ROLE_SET_FLAGS, b, 3, NULL, NULL)) != CRM_OK)
			return e;
		if ((e = crm_ctx_audit(c, "update", "role", id,
		    json_pack("{s:o,s:O,s:O}", "permissions", before,
		    "scope", json_object_get(r, "scope"), "require_2fa", json_object_get(r, "require_2fa")),
		    json_pack("{s:o,s:s,s:b}", "permissions", now, "scope", scope,
		    "require_2fa", twofa))) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

int
admin_roles_save(struct crm_ctx *c)
{
	struct matrix_save m = { c, NULL, NULL };

	if (crm_db_rows(c->db, STMT_ROLES_ALL, NULL, 0, &m.roles) != CRM_OK ||
	    crm_db_rows(c->db, STMT_ROLE_PERMS_ALL, NULL, 0, &m.grants) != CRM_OK)
		return 500;
	if (crm_db_tx(c->db, save_tx, &m) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/admin/roles?done=saved");
}

struct role_new {
	struct crm_ctx *c;
	const char *name, *description, *scope;
	int twofa;
	uint64_t id;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct role_new *r = arg;
	struct crm_db_bind b[4];
	enum crm_err e;

	crm_db_bind_str(&b[0], r->name, (size_t)-1);
	crm_db_bind_str(&b[1], r->description, (size_t)-1);
	crm_db_bind_str(&b[2], r->scope, (size_t)-1);
	crm_db_bind_i64(&b[3], r->twofa);
	if ((e = crm_db_exec(db, STMT_ROLE_CREATE, b, 4, NULL, &r->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(r->c, "create", "role", (long long)r->id, NULL,
	    json_pack("{s:s,s:s,s:s,s:b}", "name", r->name, "description", r->description,
	    "scope", r->scope, "require_2fa", r->twofa));
}

int
admin_role_create(struct crm_ctx *c)
{
	struct role_new r = { c, crm_ctx_form(c, "name"), crm_ctx_form(c, "description"),
	    crm_ctx_form(c, "scope"), crm_ctx_form(c, "require_2fa") != NULL, 0 };
	enum crm_err e;
	int conflict = 0;
	size_t i;

	if (r.description == NULL)
		r.description = "";
	if (!crm_valid_text(r.name, 1, 64, 0))
		crm_ctx_field_error(c, "name", N_("Enter a role name of up to 64 characters."));
	for (i = 0; r.name && r.name[i]; i++)
		if (r.name[i] == ',' || r.name[i] == ':')
			crm_ctx_field_error(c, "name", N_("A role name may not contain commas or colons."));
	if (!crm_valid_text(r.description, 0, 255, 0))
		crm_ctx_field_error(c, "description", N_("Keep the description under 255 characters."));
	if (!crm_valid_oneof(r.scope, scopes))
		crm_ctx_field_error(c, "scope", N_("Choose whose records the role reaches."));
	if (!crm_ctx_has_errors(c)) {
		e = crm_db_tx(c->db, create_tx, &r);
		if (e == CRM_OK)
			return crm_ctx_redirect(c, 303, "/admin/roles?done=role_created");
		if (e != CRM_ECONFLICT)
			return 500;
		crm_ctx_field_error(c, "name", N_("A role with this name exists already."));
		conflict = 1;
	}
	json_object_set_new(c->view, "form", json_pack("{s:s?,s:s?}", "name", r.name,
	    "description", r.description));
	if (matrix_view(c) != 200)
		return 500;
	return crm_ctx_status(c, conflict ? 409 : 422);
}

/* Field rules: a role may be denied reading (hidden) or changing
 * (readonly) a named field of a record type; the identity carries them and
 * crm_auth_strip_fields removes hidden fields from pages, API and exports. */
static int
valid_name(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 64)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

struct field_rule {
	struct crm_ctx *c;
	long long role_id;
	const char *entity, *field, *access;
};

static enum crm_err
rule_set_tx(struct crm_db *db, void *arg)
{
	struct field_rule *f = arg;
	struct crm_db_bind b[4];
	enum crm_err e;

	crm_db_bind_i64(&b[0], f->role_id);
	crm_db_bind_str(&b[1], f->entity, (size_t)-1);
	crm_db_bind_str(&b[2], f->field, (size_t)-1);
	crm_db_bind_str(&b[3], f->access, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_FIELD_RULE_SET, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(f->c, "update", "role", f->role_id, NULL,
	    json_pack("{s:s}", "field_rule", crm_arena_printf(f->c->arena, "%s.%s:%s",
	    f->entity, f->field, f->access)));
}

static enum crm_err
rule_delete_tx(struct crm_db *db, void *arg)
{
	struct field_rule *f = arg;
	struct crm_db_bind b[3];
	enum crm_err e;

	crm_db_bind_i64(&b[0], f->role_id);
	crm_db_bind_str(&b[1], f->entity, (size_t)-1);
	crm_db_bind_str(&b[2], f->field, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_FIELD_RULE_DELETE, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(f->c, "update", "role", f->role_id,
	    json_pack("{s:s}", "field_rule", crm_arena_printf(f->c->arena, "%s.%s", f->entity,
	    f->field)), json_pack("{s:n}", "field_rule"));
}

static int
read_rule(struct crm_ctx *c, struct field_rule *f)
{
	static const char *const accesses[] = { "hidden", "readonly", NULL };

	f->c = c;
	f->entity = crm_ctx_form(c, "entity");
	f->field = crm_ctx_form(c, "field");
	f->access = crm_ctx_form(c, "access");
	if (!crm_valid_id(crm_ctx_form(c, "role_id"), &f->role_id))
		crm_ctx_field_error(c, "rule", N_("Choose a role."));
	if (!valid_name(f->entity) || !valid_name(f->field))
		crm_ctx_field_error(c, "rule", N_("Record type and field are lowercase names such as customers and revenue."));
	if (f->access != NULL && !crm_valid_oneof(f->access, accesses))
		crm_ctx_field_error(c, "rule", N_("Choose hidden or read-only."));
	return crm_ctx_has_errors(c) ? -1 : 0;
}

int
admin_field_rule_set(struct crm_ctx *c)
{
	struct field_rule f;
	enum crm_err e;

	if (read_rule(c, &f) == 0 && f.access != NULL) {
		e = crm_db_tx(c->db, rule_set_tx, &f);
		if (e == CRM_OK)
			return crm_ctx_redirect(c, 303, "/admin/roles?done=saved");
		if (e != CRM_EINVAL)
			return 500;
		crm_ctx_field_error(c, "rule", N_("Choose a role."));
	} else if (f.access == NULL)
		crm_ctx_field_error(c, "rule", N_("Choose hidden or read-only."));
	if (matrix_view(c) != 200)
		return 500;
	return crm_ctx_status(c, 422);
}

int
admin_field_rule_delete(struct crm_ctx *c)
{
	struct field_rule f;

	if (read_rule(c, &f) != 0)
		return crm_ctx_fail(c, 422, N_("Record type and field are lowercase names such as customers and revenue."));
	if (crm_db_tx(c->db, rule_delete_tx, &f) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/admin/roles?done=saved");
}
