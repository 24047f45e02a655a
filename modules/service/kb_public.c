/* The help centre: published articles for anyone, signed in or not, on
 * pages of their own without the staff navigation. A draft does not exist
 * here (404), in the list, or in the search. */
#include <string.h>

#include "crm_valid.h"
#include "extern.h"

/* What a reader may see of an article: not its author or status. */
static const char *const shown[] = { "id", "title", "category", "published_at", "html", NULL };

int
service_help_list(struct crm_ctx *c)
{
	const char *q = crm_ctx_query_str(c, "q"), *after = crm_ctx_query_str(c, "after");
	const char *after_title = crm_ctx_query_str(c, "after_title");
	struct crm_db_bind b[3];
	long long after_id = 0;
	json_t *rows = NULL;
	int terms = 0;

	json_object_set_new(c->view, "q", json_string(q));
	if (*q != '\0') {
		if (!crm_valid_text(q, 1, 100, 0))
			return crm_ctx_fail(c, 400, N_("Keep the search under 100 characters."));
		if ((rows = service_kb_find(c, q, 0, &terms)) == NULL)
			return 500;
		json_object_set_new(c->view, "results", rows);
		json_object_set_new(c->view, "searched", json_true());
		json_object_set_new(c->view, "too_short", json_boolean(terms == 0));
		return 200;
	}
	if (*after != '\0' && !crm_valid_id(after, &after_id))
		return crm_ctx_fail(c, 400, N_("That page is not in the list."));
	crm_db_bind_str(&b[0], after_title, (size_t)-1);
	crm_db_bind_str(&b[1], after_title, (size_t)-1);
	crm_db_bind_i64(&b[2], after_id);
	if (crm_db_rows(c->db, STMT_KB_PUBLISHED, b, 3, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		json_t *last = json_array_get(rows, 49);

		json_object_set_new(c->view, "next_page", json_string(crm_ctx_url(c, "/service/help",
		    "after_title", json_string_value(json_object_get(last, "title")),
		    "after", crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(json_object_get(last, "id"))),
		    NULL)));
		json_array_remove(rows, 50);
	}
	crm_ctx_localise_dates(c, rows, "published_at");
	json_object_set_new(c->view, "articles", rows);
	return 200;
}

int
service_help_show(struct crm_ctx *c)
{
	json_t *row, *pub = json_object();
	const char *status;
	int st;
	size_t k;

	if ((row = service_load(c, STMT_KB_GET, crm_ctx_id(c, "id"), 0, &st)) == NULL)
		return st;
	status = json_string_value(json_object_get(row, "status"));
	if (status == NULL || strcmp(status, "published") != 0)
		return 404;
	json_object_set_new(row, "html", json_string(service_kb_html(c, json_string_value(json_object_get(row, "body")))));
	json_object_set_new(row, "published_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(row, "published_at")), 0)));
	for (k = 0; shown[k]; k++)
		if (json_object_get(row, shown[k]))
			json_object_set(pub, shown[k], json_object_get(row, shown[k]));
	json_object_set_new(c->view, "article", pub);
	return 200;
}
