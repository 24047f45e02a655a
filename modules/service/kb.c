/* The knowledge base's staff side: articles in Markdown under categories,
 * drafts until published (published_at is the first publication, kept
 * when an article goes back to draft and out again), the list with its
 * filters, the form, and the article as readers will see it.
 *
 * Each save rewrites the article's kb_search row right after the commit
 * (Mroonga does not roll back with InnoDB; 026_kb_search.sql). */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

struct article {
	struct crm_ctx *c;
	long long id, category_id;
	const char *title, *body, *status;
	json_t *before;
};

static json_t *
categories(struct crm_ctx *c, long long chosen)
{
	json_t *rows = NULL, *row;
	size_t i;

	if (crm_db_rows(c->db, STMT_KB_CATEGORIES, NULL, 0, &rows) != CRM_OK)
		return NULL;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "selected", json_boolean(json_integer_value(json_object_get(row, "id")) == chosen));
	return rows;
}

/* A LIKE pattern matching titles that start with the text as typed. */
static const char *
prefix_pattern(struct crm_ctx *c, const char *typed)
{
	struct crm_buf p;

	crm_buf_init(&p, c->arena, strlen(typed) + 2);
	for (; *typed; typed++) {
		if (*typed == '%' || *typed == '_' || *typed == '\\')
			crm_buf_putc(&p, '\\');
		crm_buf_putc(&p, *typed);
	}
	crm_buf_putc(&p, '%');
	return p.data;
}

static int
list_page(struct crm_ctx *c, const char *typed_category)
{
	const char *status = crm_ctx_query_str(c, "status"), *title = crm_ctx_query_str(c, "title");
	const char *cat = crm_ctx_query_str(c, "category_id"), *after = crm_ctx_query_str(c, "after");
	const char *after_title = crm_ctx_query_str(c, "after_title");
	struct crm_db_bind b[8];
	long long category_id = 0, after_id = 0;
	json_t *rows = NULL, *cats, *row;
	size_t i;

	if (*cat != '\0' && !crm_valid_id(cat, &category_id))
		return crm_ctx_fail(c, 400, N_("Choose a category from the list."));
	if (*status != '\0' && strcmp(status, "draft") != 0 && strcmp(status, "published") != 0)
		return crm_ctx_fail(c, 400, N_("Choose a status from the list."));
	if (*after != '\0' && !crm_valid_id(after, &after_id))
		return crm_ctx_fail(c, 400, N_("That page is not in the list."));
	if (!crm_valid_text(title, 0, 200, 0))
		return crm_ctx_fail(c, 400, N_("Keep the title under 200 characters."));
	crm_db_bind_i64(&b[0], category_id);
	crm_db_bind_i64(&b[1], category_id);
	crm_db_bind_str(&b[2], status, (size_t)-1);
	crm_db_bind_str(&b[3], status, (size_t)-1);
	crm_db_bind_str(&b[4], prefix_pattern(c, title), (size_t)-1);
	crm_db_bind_str(&b[5], after_title, (size_t)-1);
	crm_db_bind_str(&b[6], after_title, (size_t)-1);
	crm_db_bind_i64(&b[7], after_id);
	if (crm_db_rows(c->db, STMT_KB_LIST, b, 8, &rows) != CRM_OK || (cats = categories(c, category_id)) == NULL)
		return 500;
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "draft", json_boolean(strcmp(json_string_value(json_object_get(row, "status")),
		    "draft") == 0));
		json_object_set_new(row, "updated_at", json_string(crm_ctx_date(c,
		    json_string_value(json_object_get(row, "updated_at")), 0)));
	}
	if (json_array_size(rows) > 50) {
		json_t *last = json_array_get(rows, 49);

		json_object_set_new(c->view, "next_page", json_string(crm_ctx_url(c, "/service/kb",
		    "category_id", cat, "status", status, "title", title,
		    "after_title", json_string_value(json_object_get(last, "title")),
		    "after", crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(json_object_get(last, "id"))),
		    NULL)));
		json_array_remove(rows, 50);
	}
	json_object_set_new(c->view, "articles", rows);
	json_object_set_new(c->view, "categories", cats);
	json_object_set_new(c->view, "title", json_string(title));
	json_object_set_new(c->view, "is_draft", json_boolean(strcmp(status, "draft") == 0));
	json_object_set_new(c->view, "is_published", json_boolean(strcmp(status, "published") == 0));
	json_object_set_new(c->view, "new_category", json_string(typed_category ? typed_category : ""));
	service_nav(c, "kb");
	service_flash(c);
	return 200;
}

int
service_kb_list(struct crm_ctx *c)
{
	return list_page(c, NULL);
}

static enum crm_err
category_tx(struct crm_db *db, void *arg)
{
	struct article *a = arg;
	struct crm_db_bind b[1];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], a->title, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_KB_CATEGORY_CREATE, b, 1, NULL, &id)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "create", "kb_category", (long long)id, NULL, json_pack("{s:s}", "name", a->title));
}

static int
category_refused(struct crm_ctx *c, const char *name, int status)
{
	int st = list_page(c, name);

	return st == 200 ? crm_ctx_status(c, status) : st;
}

int
service_kb_category_create(struct crm_ctx *c)
{
	struct article a;
	enum crm_err e;

	memset(&a, 0, sizeof(a));
	a.c = c;
	a.title = crm_ctx_form_str(c, "name");
	if (!crm_valid_text(a.title, 1, 100, 0)) {
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
		return category_refused(c, a.title, 422);
	}
	if ((e = crm_db_tx(c->db, category_tx, &a)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another category has this name."));
		return category_refused(c, a.title, 409);
	}
	return e == CRM_OK ? crm_ctx_redirect(c, 303, "/service/kb?done=category") : 500;
}

/* The form, with what was typed (or the article's values). */
static int
form_page(struct crm_ctx *c, const struct article *a)
{
	json_t *cats = categories(c, a->category_id);

	if (cats == NULL)
		return 500;
	json_object_set_new(c->view, "article", json_pack("{s:I,s:s,s:s,s:b,s:b}", "id", (json_int_t)a->id,
	    "title", a->title ? a->title : "", "body", a->body ? a->body : "",
	    "published", a->status && strcmp(a->status, "published") == 0, "exists", a->id > 0));
	json_object_set_new(c->view, "categories", cats);
	service_nav(c, "kb");
	return 200;
}

int
service_kb_new(struct crm_ctx *c)
{
	struct article a;

	memset(&a, 0, sizeof(a));
	a.c = c;
	return form_page(c, &a);
}

static int
read_form(struct crm_ctx *c, struct article *a)
{
	const char *cat = crm_ctx_form_str(c, "category_id");

	a->title = crm_ctx_form_str(c, "title");
	a->body = crm_ctx_form_str(c, "body");
	a->status = crm_ctx_form_str(c, "status");
	a->category_id = 0;
	if (*a->status == '\0')
		a->status = "draft";
	if (!crm_valid_text(a->title, 1, 200, 0))
		crm_ctx_field_error(c, "title", N_("Enter a title of up to 200 characters."));
	if (!crm_valid_text(a->body, 1, 100000, 1))
		crm_ctx_field_error(c, "body", N_("Write the article, up to 100,000 characters."));
	if (strcmp(a->status, "draft") != 0 && strcmp(a->status, "published") != 0)
		crm_ctx_field_error(c, "status", N_("Choose a status from the list."));
	if (*cat != '\0' && strcmp(cat, "0") != 0 && !crm_valid_id(cat, &a->category_id))
		crm_ctx_field_error(c, "category_id", N_("Choose a category from the list."));
	return crm_ctx_has_errors(c);
}

static json_t *
article_json(const struct article *a)
{
	return json_pack("{s:s,s:s,s:I}", "title", a->title, "status", a->status, "category_id",
	    (json_int_t)a->category_id);
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct article *a = arg;
	struct crm_db_bind b[6];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_id(&b[0], a->category_id);
	crm_db_bind_str(&b[1], a->title, (size_t)-1);
	crm_db_bind_str(&b[2], a->body, (size_t)-1);
	crm_db_bind_str(&b[3], a->status, (size_t)-1);
	crm_db_bind_i64(&b[4], a->c->user->user_id);
	crm_db_bind_str(&b[5], a->status, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_KB_CREATE, b, 6, NULL, &id)) != CRM_OK)
		return e;
	a->id = (long long)id;
	return crm_ctx_audit(a->c, "create", "kb_article", a->id, NULL, article_json(a));
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct article *a = arg;
	struct crm_db_bind b[6];
	enum crm_err e;

	crm_db_bind_str(&b[0], a->status, (size_t)-1);
	crm_db_bind_id(&b[1], a->category_id);
	crm_db_bind_str(&b[2], a->title, (size_t)-1);
	crm_db_bind_str(&b[3], a->body, (size_t)-1);
	crm_db_bind_str(&b[4], a->status, (size_t)-1);
	crm_db_bind_i64(&b[5], a->id);
	if ((e = crm_db_exec(db, STMT_KB_UPDATE, b, 6, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "update", "kb_article", a->id, json_pack("{s:O,s:O,s:O}",
	    "title", json_object_get(a->before, "title"), "status", json_object_get(a->before, "status"),
	    "category_id", json_object_get(a->before, "category_id")), article_json(a));
}

/* After the commit: the article's row of the search index. A failure
 * here leaves the index behind the article until its next save; the
 * article itself is saved, so the user is not told otherwise. */
static void
index_article(struct crm_ctx *c, long long id)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], id);
	(void)crm_db_exec(c->db, STMT_KB_INDEX_PUT, b, 1, NULL, NULL);
}

static int
saved(struct crm_ctx *c, struct article *a, enum crm_err e, const char *done)
{
	if (e == CRM_EINVAL) {
		crm_ctx_field_error(c, "category_id", N_("Choose a category from the list."));
		e = form_page(c, a) == 200 ? crm_ctx_status(c, 422) : 500;
		return (int)e;
	}
	if (e != CRM_OK)
		return 500;
	index_article(c, a->id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/kb/%lld?done=%s", a->id,
	    strcmp(a->status, "published") == 0 ? "published" : done));
}

int
service_kb_create(struct crm_ctx *c)
{
	struct article a;

	memset(&a, 0, sizeof(a));
	a.c = c;
	if (read_form(c, &a)) {
		int st = form_page(c, &a);

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	return saved(c, &a, crm_db_tx(c->db, create_tx, &a), "created");
}

int
service_kb_update(struct crm_ctx *c)
{
	struct article a;
	int status;

	memset(&a, 0, sizeof(a));
	a.c = c;
	a.id = crm_ctx_id(c, "id");
	if ((a.before = service_load(c, STMT_KB_GET, a.id, 0, &status)) == NULL)
		return status;
	if (read_form(c, &a)) {
		int st = form_page(c, &a);

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	return saved(c, &a, crm_db_tx(c->db, update_tx, &a), "saved");
}

int
service_kb_edit(struct crm_ctx *c)
{
	struct article a;
	json_t *row;
	int status;

	memset(&a, 0, sizeof(a));
	a.c = c;
	a.id = crm_ctx_id(c, "id");
	if ((row = service_load(c, STMT_KB_GET, a.id, 0, &status)) == NULL)
		return status;
	a.title = json_string_value(json_object_get(row, "title"));
	a.body = json_string_value(json_object_get(row, "body"));
	a.status = json_string_value(json_object_get(row, "status"));
	a.category_id = json_integer_value(json_object_get(row, "category_id"));
	return form_page(c, &a);
}

int
service_kb_show(struct crm_ctx *c)
{
	json_t *row;
	int status;

	if ((row = service_load(c, STMT_KB_GET, crm_ctx_id(c, "id"), 0, &status)) == NULL)
		return status;
	json_object_set_new(row, "html", json_string(service_kb_html(c, json_string_value(json_object_get(row, "body")))));
	json_object_set_new(row, "draft", json_boolean(strcmp(json_string_value(json_object_get(row, "status")),
	    "draft") == 0));
	json_object_set_new(row, "published_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(row, "published_at")), 1)));
	json_object_set_new(row, "updated_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(row, "updated_at")), 1)));
	json_object_set_new(c->view, "article", row);
	service_nav(c, "kb");
	service_flash(c);
	return 200;
}
