/* The trash: deleted accounts and contacts, newest first, for those who
 * may delete and restore them. */
#include "crm_valid.h"
#include "extern.h"

static enum crm_err
deleted(struct crm_ctx *c, size_t stmt, const char *key, const char *at_param, const char *id_param,
    json_t **rows)
{
	const char *at = crm_ctx_query(c, at_param);
	long long id = 0;
	struct crm_db_bind b[3];
	enum crm_err e;

	if (!crm_valid_id(crm_ctx_query(c, id_param), &id) || !crm_valid_datetime(at))
		at = "9999-12-31 00:00:00", id = 0x7fffffffffffffffLL;
	crm_db_bind_str(&b[0], at, (size_t)-1);
	crm_db_bind_str(&b[1], at, (size_t)-1);
	crm_db_bind_i64(&b[2], id);
	if ((e = crm_db_rows(c->db, stmt, b, 3, rows)) != CRM_OK)
		return e;
	if (json_array_size(*rows) > 50) {
		json_t *last = json_array_get(*rows, 49);

		json_object_set_new(c->view, crm_arena_printf(c->arena, "%s_next", key),
		    json_string(crm_ctx_url(c, "/customers/trash", at_param,
		    json_string_value(json_object_get(last, "deleted_at")), id_param,
		    crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(json_object_get(last, "id"))),
		    NULL)));
		json_array_remove(*rows, 50);
	}
	crm_ctx_localise_dates(c, *rows, "deleted_at");
	json_object_set_new(c->view, key, *rows);
	return CRM_OK;
}

int
customers_trash(struct crm_ctx *c)
{
	json_t *accounts = NULL, *contacts = NULL;

	if (deleted(c, STMT_ACCOUNTS_DELETED, "accounts", "a_at", "a_id", &accounts) != CRM_OK ||
	    deleted(c, STMT_CONTACTS_DELETED, "contacts", "c_at", "c_id", &contacts) != CRM_OK)
		return 500;
	customers_flash(c);
	customers_nav(c, "trash");
	return 200;
}
