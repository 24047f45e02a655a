/* Saved views: a user names the filters and sort of a list ("VIP in
 * Shanghai, newest first") and gets them back with one click. A view is
 * the list's query string, checked on save to hold only the list's own
 * filters; the list checks every value again when it is used. */
#include <string.h>

#include "crm_confcache.h"
#include "crm_req.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const entities[] = { "account", "contact", NULL };
static const char *const keys[] = { "q", "owner", "city", "tag", "from", "to", "sort", "account_id", NULL };

static const char *
list_path(const char *entity)
{
	return strcmp(entity, "account") == 0 ? "/customers" : "/customers/contacts";
}

enum crm_err
customers_views_load(struct crm_ctx *c, const char *entity)
{
	struct crm_db_bind b[2];
	json_t *rows = NULL, *row;
	enum crm_err e;
	size_t i;

	crm_db_bind_i64(&b[0], c->user->user_id);
	crm_db_bind_str(&b[1], entity, (size_t)-1);
	if ((e = crm_confcache_rows(c->db, STMT_VIEWS, b, 2, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "url", json_string(crm_arena_printf(c->arena, "%s?%s",
		    list_path(entity), json_string_value(json_object_get(row, "query")))));
	json_object_set_new(c->view, "views", rows);
	json_object_set_new(c->view, "view_entity", json_string(entity));
	return CRM_OK;
}

/* Only the list's own filters, each once. */
static int
valid_query(struct crm_ctx *c, const char *query)
{
	struct crm_req_limits lim;
	struct crm_params p;
	size_t i;

	crm_req_limits_default(&lim);
	lim.max_fields = 16;
	memset(&p, 0, sizeof(p));
	if (crm_parse_urlencoded(c->arena, query, strlen(query), &lim, &p) != CRM_OK)
		return 0;
	for (i = 0; i < p.n; i++)
		if (!crm_valid_oneof(p.v[i].name.data, keys))
			return 0;
	return 1;
}

int
customers_view_save(struct crm_ctx *c)
{
	const char *entity = crm_ctx_form(c, "entity"), *name = crm_ctx_form(c, "name");
	const char *query = crm_ctx_form(c, "query");
	struct crm_db_bind b[4];

	if (entity == NULL || !crm_valid_oneof(entity, entities))
		return crm_ctx_fail(c, 422, N_("Say which list the view is for."));
	if (name == NULL || !crm_valid_text(name, 1, 100, 0))
		return crm_ctx_fail(c, 422, N_("Name the view (up to 100 characters)."));
	if (query == NULL)
		query = "";
	if (*query == '?')
		query++;
	if (!crm_valid_text(query, 0, 1000, 0) || !valid_query(c, query))
		return crm_ctx_fail(c, 422, N_("A view keeps only the list's filters and sort."));
	crm_db_bind_i64(&b[0], c->user->user_id);
	crm_db_bind_str(&b[1], entity, (size_t)-1);
	crm_db_bind_str(&b[2], name, (size_t)-1);
	crm_db_bind_str(&b[3], query, (size_t)-1);
	if (crm_db_exec(c->db, STMT_VIEW_SAVE, b, 4, NULL, NULL) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, *query ? crm_arena_printf(c->arena, "%s?%s", list_path(entity),
	    query) : list_path(entity));
}

int
customers_view_delete(struct crm_ctx *c)
{
	struct crm_db_bind b[2];
	const char *entity = crm_ctx_form(c, "entity");
	uint64_t n = 0;

	crm_db_bind_i64(&b[0], crm_ctx_id(c, "id"));
	crm_db_bind_i64(&b[1], c->user->user_id);
	if (crm_db_exec(c->db, STMT_VIEW_DELETE, b, 2, &n, NULL) != CRM_OK)
		return 500;
	if (n == 0)
		return 404;
	return crm_ctx_redirect(c, 303, list_path(entity && crm_valid_oneof(entity, entities) ?
	    entity : "contact"));
}
