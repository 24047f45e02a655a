/* The audit log, newest first, filtered by who, what and when. Read-only:
 * no route changes or deletes a row. */
#include <string.h>

#include "crm_valid.h"
#include "extern.h"

static const char *
q(struct crm_ctx *c, const char *name)
{
	const char *v = crm_ctx_query(c, name);

	return v ? v : "";
}

static int
valid_date(const char *s)
{
	size_t i;

	if (*s == '\0')
		return 1;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/* The changed fields as rows: field, before, after (as JSON text). */
static json_t *
change_rows(const char *text)
{
	json_t *changes = json_loads(text ? text : "{}", 0, NULL), *rows = json_array();
	json_t *before, *after, *v;
	const char *k;

	if (changes == NULL)
		return rows;
	before = json_object_get(changes, "before");
	after = json_object_get(changes, "after");
	json_object_foreach(json_is_object(after) ? after : before, k, v) {
		json_t *old = json_object_get(before, k), *new = json_object_get(after, k);
		char *o = old ? json_dumps(old, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
		char *n = new ? json_dumps(new, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;

		json_array_append_new(rows, json_pack("{s:s,s:s?,s:s?}", "field", k,
		    "before", o, "after", n));
	}
	return rows;
}

int
admin_audit(struct crm_ctx *c)
{
	const char *entity = q(c, "entity"), *action = q(c, "action"), *user = q(c, "user");
	const char *from = q(c, "from"), *to = q(c, "to");
	long long before = 0, entity_id = 0;
	struct crm_db_bind b[13];
	json_t *rows = NULL, *row;
	size_t i;

	if (!crm_valid_id(crm_ctx_query(c, "before"), &before))
		before = (long long)9e18;
	if (*q(c, "entity_id") && !crm_valid_id(q(c, "entity_id"), &entity_id))
		return crm_ctx_fail(c, 400, N_("The record number is not valid."));
	if (!valid_date(from) || !valid_date(to))
		return crm_ctx_fail(c, 400, N_("Dates are written YYYY-MM-DD."));
	if (!crm_valid_text(entity, 0, 64, 0) || !crm_valid_text(action, 0, 32, 0) ||
	    !crm_valid_text(user, 0, 254, 0))
		return crm_ctx_fail(c, 400, N_("A filter is too long."));
	crm_db_bind_i64(&b[0], before);
	crm_db_bind_str(&b[1], entity, (size_t)-1);
	crm_db_bind_str(&b[2], entity, (size_t)-1);
	crm_db_bind_i64(&b[3], entity_id);
	crm_db_bind_i64(&b[4], entity_id);
	crm_db_bind_str(&b[5], action, (size_t)-1);
	crm_db_bind_str(&b[6], action, (size_t)-1);
	crm_db_bind_str(&b[7], user, (size_t)-1);
	crm_db_bind_str(&b[8], user, (size_t)-1);
	crm_db_bind_str(&b[9], from, (size_t)-1);
	crm_db_bind_str(&b[10], from, (size_t)-1);
	crm_db_bind_str(&b[11], to, (size_t)-1);
	crm_db_bind_str(&b[12], to, (size_t)-1);
	if (crm_db_rows(c->db, STMT_AUDIT_PAGE, b, 13, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		/* Values go into the link URL-escaped, then HTML-escaped by the
		 * template: each context its own escaper. */
		const char *url = crm_ctx_url(c, "/admin/audit", "before", crm_arena_printf(c->arena,
		    "%lld", (long long)json_integer_value(json_object_get(json_array_get(rows, 49), "id"))),
		    "user", user, "entity", entity, "entity_id", q(c, "entity_id"), "action", action,
		    "from", from, "to", to, NULL);

		json_array_remove(rows, 50);
		json_object_set_new(c->view, "next_url", json_string(url));
	}
	crm_ctx_localise_dates(c, rows, "at");
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "fields", change_rows(json_string_value(
		    json_object_get(row, "changes"))));
		json_object_del(row, "changes");
	}
	json_object_set_new(c->view, "entries", rows);
	json_object_set_new(c->view, "filter", json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "entity", entity,
	    "action", action, "user", user, "from", from, "to", to, "entity_id", (json_int_t)entity_id));
	json_object_set_new(c->view, "title", json_string("Audit log"));
	crm_ctx_nav_here(c, "admin");
	return 200;
}
