/* Ticket categories: what a ticket is about, and the team its new
 * tickets go to. An admin keeps the list; a category is never deleted,
 * since tickets keep pointing at it: deactivating takes it off the forms. */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

static int
page(struct crm_ctx *c, const char *typed_name)
{
	json_t *rows = NULL, *teams = NULL, *row, *team;
	size_t i, k;

	if (crm_db_rows(c->db, STMT_CATEGORIES, NULL, 0, &rows) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TEAMS, NULL, 0, &teams) != CRM_OK)
		return 500;
	/* Each row's own team picker, with its team chosen. */
	json_array_foreach(rows, i, row) {
		json_t *opts = json_array();
		json_int_t mine = json_integer_value(json_object_get(row, "team_id"));

		json_array_foreach(teams, k, team)
			json_array_append_new(opts, json_pack("{s:O,s:O,s:b}", "id", json_object_get(team, "id"),
			    "name", json_object_get(team, "name"),
			    "selected", json_integer_value(json_object_get(team, "id")) == mine));
		json_object_set_new(row, "team_options", opts);
	}
	json_object_set_new(c->view, "categories", rows);
	json_object_set_new(c->view, "teams", teams);
	json_object_set_new(c->view, "new_name", json_string(typed_name ? typed_name : ""));
	service_nav(c, "categories");
	service_flash(c);
	return 200;
}

int
service_categories(struct crm_ctx *c)
{
	return page(c, NULL);
}

struct change {
	struct crm_ctx *c;
	long long id, team_id;
	const char *name;
	int active;
	json_t *before;
};

/* The team picked, or 0 for none; -1 when it is not a team id. */
static long long
form_team(struct crm_ctx *c)
{
	const char *v = crm_ctx_form_str(c, "team_id");
	long long id;

	if (*v == '\0' || strcmp(v, "0") == 0)
		return 0;
	return crm_valid_id(v, &id) ? id : -1;
}

static json_t *
change_json(const struct change *ch)
{
	return json_pack("{s:s,s:I,s:b}", "name", ch->name, "team_id", (json_int_t)ch->team_id, "active", ch->active);
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[2];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	crm_db_bind_id(&b[1], ch->team_id);
	if ((e = crm_db_exec(db, STMT_CATEGORY_CREATE, b, 2, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	return crm_ctx_audit(ch->c, "create", "ticket_category", ch->id, NULL, change_json(ch));
}

static int
read_form(struct crm_ctx *c, struct change *ch)
{
	ch->name = crm_ctx_form_str(c, "name");
	ch->team_id = form_team(c);
	if (!crm_valid_text(ch->name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (ch->team_id < 0)
		crm_ctx_field_error(c, "team_id", N_("Choose a team from the list."));
	return crm_ctx_has_errors(c);
}

/* A refused change: the page again, with the status. */
static int
refused(struct crm_ctx *c, const char *name, int status)
{
	int st = page(c, name);

	return st == 200 ? crm_ctx_status(c, status) : st;
}

int
service_category_create(struct crm_ctx *c)
{
	struct change ch;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.active = 1;
	if (read_form(c, &ch))
		return refused(c, ch.name, 422);
	if ((e = crm_db_tx(c->db, create_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another category has this name."));
		return refused(c, ch.name, 409);
	}
	if (e == CRM_EINVAL) {
		crm_ctx_field_error(c, "team_id", N_("Choose a team from the list."));
		return refused(c, ch.name, 422);
	}
	return e == CRM_OK ? crm_ctx_redirect(c, 303, "/service/categories?done=created") : 500;
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[4];
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	crm_db_bind_id(&b[1], ch->team_id);
	crm_db_bind_i64(&b[2], ch->active);
	crm_db_bind_i64(&b[3], ch->id);
	if ((e = crm_db_exec(db, STMT_CATEGORY_UPDATE, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "ticket_category", ch->id, json_pack("{s:O,s:O,s:O}",
	    "name", json_object_get(ch->before, "name"), "team_id", json_object_get(ch->before, "team_id"),
	    "active", json_object_get(ch->before, "active")), change_json(ch));
}

int
service_category_update(struct crm_ctx *c)
{
	struct change ch;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = service_load(c, STMT_CATEGORY_GET, ch.id, 0, &status)) == NULL)
		return status;
	ch.active = crm_ctx_form(c, "active") != NULL;
	if (read_form(c, &ch))
		return refused(c, NULL, 422);
	if ((e = crm_db_tx(c->db, update_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another category has this name."));
		return refused(c, NULL, 409);
	}
	if (e == CRM_EINVAL) {
		crm_ctx_field_error(c, "team_id", N_("Choose a team from the list."));
		return refused(c, NULL, 422);
	}
	return e == CRM_OK ? crm_ctx_redirect(c, 303, "/service/categories?done=saved") : 500;
}
