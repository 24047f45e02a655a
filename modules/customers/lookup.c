/* Server-side autocomplete for fields that link to another record: ten
 * suggestions at most by name prefix, within the user's scope, never a
 * whole table. The page's script fills a <datalist> from the API form of
 * these routes; the value "Name #id" is what the forms accept. */
#include "crm_valid.h"
#include "extern.h"

static int
lookup(struct crm_ctx *c, size_t stmt, int scoped)
{
	const char *q = crm_ctx_query(c, "q");
	struct crm_db_bind b[6];
	json_t *rows = NULL, *row;
	size_t i;

	if (q == NULL || *q == '\0') {
		json_object_set_new(c->view, "items", json_array());
		return 200;
	}
	if (!crm_valid_text(q, 1, 100, 0))
		return crm_ctx_fail(c, 400, N_("Keep the search under 100 characters."));
	crm_db_bind_str(&b[0], q, (size_t)-1);
	if (scoped)
		bind_scope(c, b + 1);
	if (crm_db_rows(c->db, stmt, b, scoped ? 6 : 1, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "value", json_string(crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(row, "label")),
		    (long long)json_integer_value(json_object_get(row, "id")))));
	json_object_set_new(c->view, "items", rows);
	json_object_set_new(c->view, "q", json_string(q));
	return 200;
}

int
customers_lookup_accounts(struct crm_ctx *c)
{
	return lookup(c, STMT_LOOKUP_ACCOUNTS, 1);
}

int
customers_lookup_contacts(struct crm_ctx *c)
{
	return lookup(c, STMT_LOOKUP_CONTACTS, 1);
}

int
customers_lookup_users(struct crm_ctx *c)
{
	return lookup(c, STMT_LOOKUP_USERS, 0);
}
