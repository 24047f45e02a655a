/* Static target lists: the list of lists with the form for a new one, a
 * list's page with its members paged by keyset, adding a contact by
 * e-mail address, removing one, and deleting the list. members on the
 * list's row moves with each change, so no page counts. */
#include <string.h>

#include "crm_audit.h"
#include "crm_buf.h"
#include "crm_escape.h"
#include "crm_phone.h"
#include "crm_valid.h"
#include "segment.h"

int
segment_name_page(struct crm_ctx *c, size_t stmt, const char *date_column, const char *path, const char *key)
{
	const char *after = crm_ctx_query_str(c, "after");
	struct crm_db_bind b[7];
	long long after_id = 0;
	json_t *rows = NULL;

	if (!crm_valid_text(after, 0, 200, 0) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	marketing_bind_scope(c, b);
	crm_db_bind_str(&b[5], after, (size_t)-1);
	crm_db_bind_i64(&b[6], after_id);
	if (crm_db_rows(c->db, stmt, b, 7, &rows) != CRM_OK)
		return 500;
	crm_ctx_localise_dates(c, rows, date_column);
	crm_ctx_next_page(c, rows, path, "name", NULL);
	json_object_set_new(c->view, key, rows);
	marketing_nav(c, key);
	marketing_flash(c);
	return 200;
}

static int
lists_page(struct crm_ctx *c)
{
	return segment_name_page(c, STMT_LISTS, "created_at", "/marketing/lists", "lists");
}

int
marketing_lists(struct crm_ctx *c)
{
	return lists_page(c);
}

struct change {
	struct crm_ctx *c;
	const char *name, *description;
	long long id, contact_id;
	json_t *before;
	uint64_t changed;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[5];
	json_t *row = NULL;
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	if ((e = crm_db_row(db, STMT_LIST_BY_NAME, b, 1, &row)) == CRM_OK)
		return CRM_ECONFLICT;
	if (e != CRM_ENOTFOUND)
		return e;
	crm_db_bind_str(&b[1], ch->description, (size_t)-1);
	crm_db_bind_str(&b[2], "manual", (size_t)-1);
	crm_db_bind_null(&b[3]);
	crm_db_bind_i64(&b[4], ch->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_LIST_CREATE, b, 5, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	return crm_ctx_audit(ch->c, "create", "target_list", ch->id, NULL,
	    json_pack("{s:s,s:s}", "name", ch->name, "description", ch->description));
}

int
marketing_list_create(struct crm_ctx *c)
{
	struct change ch;
	enum crm_err e;
	int status, code = 422;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.name = crm_ctx_form_str(c, "name");
	ch.description = crm_ctx_form_str(c, "description");
	if (!crm_valid_text(ch.name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (!crm_valid_text(ch.description, 0, 2000, 1))
		crm_ctx_field_error(c, "description", N_("Keep the description under 2000 characters."));
	if (!crm_ctx_has_errors(c)) {
		if ((e = crm_db_tx(c->db, create_tx, &ch)) == CRM_OK)
			return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/lists/%lld?done=created",
			    ch.id));
		if (e != CRM_ECONFLICT)
			return 500;
		crm_ctx_field_error(c, "name", N_("Another list has this name."));
		code = 409;
	}
	json_object_set_new(c->view, "form", json_pack("{s:s,s:s}", "name", ch.name, "description", ch.description));
	if ((status = lists_page(c)) != 200)
		return status;
	return crm_ctx_status(c, code);
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	return marketing_load(c, STMT_LIST_GET, id, 1, status);
}

static int
list_page(struct crm_ctx *c, json_t *list)
{
	struct crm_db_bind b[7];
	long long after_id = 0;
	json_t *rows = NULL;

	if (!crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(list, "id")));
	crm_db_bind_i64(&b[1], after_id);
	marketing_bind_scope(c, b + 2);
	if (crm_db_rows(c->db, STMT_LIST_MEMBERS, b, 7, &rows) != CRM_OK)
		return 500;
	crm_ctx_localise_dates(c, rows, "added_at");
	crm_ctx_next_page(c, rows, crm_arena_printf(c->arena, "/marketing/lists/%lld",
	    (long long)json_integer_value(json_object_get(list, "id"))), NULL, NULL);
	crm_ctx_localise_dates(c, json_pack("[O]", list), "created_at");
	json_object_set_new(list, "manual", json_boolean(strcmp(json_string_value(json_object_get(list, "source")),
	    "manual") == 0));
	json_object_set_new(list, "frozen", json_boolean(strcmp(json_string_value(json_object_get(list, "source")),
	    "segment") == 0));
	json_object_set_new(list, "imported", json_boolean(strcmp(json_string_value(json_object_get(list, "source")),
	    "import") == 0));
	json_object_set_new(c->view, "list", list);
	json_object_set_new(c->view, "members", rows);
	marketing_nav(c, "lists");
	marketing_flash(c);
	return 200;
}

int
marketing_list_show(struct crm_ctx *c)
{
	int status;
	json_t *list = load(c, crm_ctx_id(c, "id"), &status);

	return list ? list_page(c, list) : status;
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	if ((e = crm_db_exec(db, STMT_LIST_DELETE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "delete", "target_list", ch->id, json_pack("{s:O,s:O}",
	    "name", json_object_get(ch->before, "name"), "members", json_object_get(ch->before, "members")), NULL);
}

/* The list goes (deleted_at set, its name freed); its member rows stay
 * for the campaigns and audit rows that point at it. */
int
marketing_list_delete(struct crm_ctx *c)
{
	struct change ch;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	if (crm_db_tx(c->db, delete_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/marketing/lists?done=deleted");
}

/* Adds (changed 1) or removes one member and moves the list's count. */
static enum crm_err
member_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[2];
	int adding = ch->name != NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	crm_db_bind_i64(&b[1], ch->contact_id);
	if ((e = crm_db_exec(db, adding ? STMT_LIST_MEMBER_ADD : STMT_LIST_MEMBER_REMOVE, b, 2, &ch->changed,
	    NULL)) != CRM_OK)
		return e;
	if (ch->changed == 0)
		return adding ? CRM_ECONFLICT : CRM_ENOTFOUND;
	crm_db_bind_i64(&b[0], adding ? 1 : -1);
	crm_db_bind_i64(&b[1], ch->id);
	if ((e = crm_db_exec(db, STMT_LIST_COUNT, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, adding ? "member_add" : "member_remove", "target_list", ch->id, NULL,
	    json_pack("{s:I}", "contact_id", (json_int_t)ch->contact_id));
}

static int
member_error(struct crm_ctx *c, json_t *list, const char *email, const char *message, int code)
{
	int status;

	crm_ctx_field_error(c, "email", message);
	json_object_set_new(c->view, "email", json_string(email));
	return (status = list_page(c, list)) == 200 ? crm_ctx_status(c, code) : status;
}

/* POST /marketing/lists/:id/members: a contact within the user's reach,
 * by e-mail address (or contact_id, for the API). */
int
marketing_list_member_add(struct crm_ctx *c)
{
	const char *email = crm_ctx_form_str(c, "email"), *cid = crm_ctx_form(c, "contact_id");
	struct crm_db_bind b[6];
	struct change ch;
	char norm[256];
	json_t *contact = NULL;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	if (cid != NULL) {
		if (!crm_valid_id(cid, &ch.contact_id))
			return member_error(c, ch.before, email, N_("No contact you can reach has this e-mail address."), 422);
		crm_db_bind_i64(&b[0], ch.contact_id);
		marketing_bind_scope(c, b + 1);
		e = crm_db_row(c->db, STMT_LIST_CONTACT_GET, b, 6, &contact);
	} else {
		if (!crm_email_normalise(email, norm, sizeof(norm)))
			return member_error(c, ch.before, email, N_("Enter an e-mail address such as ann@example.com."), 422);
		crm_db_bind_str(&b[0], norm, (size_t)-1);
		marketing_bind_scope(c, b + 1);
		e = crm_db_row(c->db, STMT_LIST_CONTACT_BY_EMAIL, b, 6, &contact);
	}
	if (e == CRM_ENOTFOUND)
		return member_error(c, ch.before, email, N_("No contact you can reach has this e-mail address."), 422);
	if (e != CRM_OK)
		return 500;
	ch.contact_id = json_integer_value(json_object_get(contact, "id"));
	ch.name = json_string_value(json_object_get(contact, "full_name"));
	if ((e = crm_db_tx(c->db, member_tx, &ch)) == CRM_ECONFLICT)
		return member_error(c, ch.before, email, N_("This contact is on the list already."), 409);
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/lists/%lld?done=member_added", ch.id));
}

int
marketing_list_member_remove(struct crm_ctx *c)
{
	struct change ch;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	if ((ch.contact_id = crm_ctx_id(c, "contact_id")) == 0)
		return 404;
	if ((e = crm_db_tx(c->db, member_tx, &ch)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/lists/%lld?done=member_removed", ch.id));
}
