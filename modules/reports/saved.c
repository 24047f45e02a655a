/* Saved reports: the reader's list (their own and those shared with their
 * role), the builder (new, edit, preview), the report's page with its
 * chart and table, its CSV, and the writes, which only the owner makes.
 * A report neither the reader's nor shared with their role does not
 * exist for them (404). */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_valid.h"
#include "builder.h"

int
reports_saved(struct crm_ctx *c)
{
	const char *after = crm_ctx_query_str(c, "after");
	struct crm_db_bind b[8];
	long long after_id = 0;
	json_t *rows = NULL, *row;
	size_t i;

	if (!crm_valid_text(after, 0, 100, 0) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_i64(&b[0], c->user->user_id);
	crm_db_bind_i64(&b[4], c->user->role_id);
	for (i = 0; i < 8; i += 4) {
		crm_db_bind_str(&b[i + 1], after, (size_t)-1);
		crm_db_bind_str(&b[i + 2], after, (size_t)-1);
		crm_db_bind_i64(&b[i + 3], after_id);
	}
	if (crm_db_rows(c->db, STMT_SAVED_LIST, b, 8, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "mine", json_boolean(json_integer_value(json_object_get(row, "owner_id")) ==
		    c->user->user_id));
	crm_ctx_localise_dates(c, rows, "updated_at");
	crm_ctx_next_page(c, rows, "/reports/saved", "name", NULL);
	json_object_set_new(c->view, "reports", rows);
	reports_nav(c, "saved");
	reports_flash(c);
	return 200;
}

/* The report with this id, if the reader may see it; owner: only if it
 * is theirs (403 when it is only shared with them). */
static json_t *
load(struct crm_ctx *c, int owner, int *status)
{
	long long id = crm_ctx_id(c, "id");
	struct crm_db_bind b[3];
	json_t *row = NULL;
	enum crm_err e;

	*status = 404;
	if (id <= 0)
		return NULL;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], c->user->user_id);
	crm_db_bind_i64(&b[2], c->user->role_id);
	if ((e = crm_db_row(c->db, STMT_SAVED_GET, b, 3, &row)) != CRM_OK) {
		*status = e == CRM_ENOTFOUND ? 404 : 500;
		return NULL;
	}
	json_object_set_new(row, "mine", json_boolean(json_integer_value(json_object_get(row, "owner_id")) ==
	    c->user->user_id));
	if (owner && !json_is_true(json_object_get(row, "mine"))) {
		*status = crm_ctx_fail(c, 403, N_("Only the report's owner may change it."));
		return NULL;
	}
	*status = 0;
	json_object_set_new(row, "updated_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(row, "updated_at")), 1)));
	return row;
}

/* A GET's ?entity= starts the builder over on another entity. */
static void
entity_from_query(struct crm_ctx *c, struct builder_form *f)
{
	const char *entity = crm_ctx_query(c, "entity");
	const char *current = json_string_value(json_object_get(f->def, "entity"));

	if (entity == NULL || crm_report_entity(entity) == NULL)
		return;
	if (current == NULL || strcmp(entity, current) != 0)
		f->def = json_pack("{s:s,s:s}", "entity", entity, "measure", "count");
}

int
reports_saved_new(struct crm_ctx *c)
{
	struct builder_form f;

	memset(&f, 0, sizeof(f));
	f.name = "";
	f.def = json_pack("{s:s}", "measure", "count");
	entity_from_query(c, &f);
	return builder_form_view(c, &f);
}

int
reports_saved_edit(struct crm_ctx *c)
{
	struct builder_form f;
	int status;
	json_t *rep = load(c, 1, &status);

	if (rep == NULL)
		return status;
	builder_form_load(&f, rep);
	entity_from_query(c, &f);
	json_object_set_new(c->view, "report", rep);
	return builder_form_view(c, &f);
}

struct change {
	struct crm_ctx *c;
	struct builder_form f;
	long long id;
	json_t *before;
	const char *definition;
};

static void
bind_role(struct crm_db_bind *b, long long role)
{
	if (role > 0)
		crm_db_bind_i64(b, role);
	else
		crm_db_bind_null(b);
}

static json_t *
audited(const char *name, const char *definition, long long role)
{
	return json_pack("{s:s,s:s,s:o}", "name", name, "definition", definition, "shared_role_id",
	    role > 0 ? json_integer(role) : json_null());
}

static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[5];
	uint64_t id = 0, affected = 0;
	enum crm_err e;

	if (ch->id == 0) {
		crm_db_bind_i64(&b[0], ch->c->user->user_id);
		crm_db_bind_str(&b[1], ch->f.name, (size_t)-1);
		crm_db_bind_str(&b[2], ch->definition, (size_t)-1);
		bind_role(&b[3], ch->f.shared_role_id);
		if ((e = crm_db_exec(db, STMT_SAVED_CREATE, b, 4, NULL, &id)) != CRM_OK)
			return e;
		ch->id = (long long)id;
	} else {
		crm_db_bind_str(&b[0], ch->f.name, (size_t)-1);
		crm_db_bind_str(&b[1], ch->definition, (size_t)-1);
		bind_role(&b[2], ch->f.shared_role_id);
		crm_db_bind_i64(&b[3], ch->id);
		crm_db_bind_i64(&b[4], ch->c->user->user_id);
		if ((e = crm_db_exec(db, STMT_SAVED_UPDATE, b, 5, &affected, NULL)) != CRM_OK)
			return e;
	}
	return crm_ctx_audit(ch->c, ch->before ? "update" : "create", "saved_report", ch->id,
	    ch->before ? audited(json_string_value(json_object_get(ch->before, "name")),
	    json_string_value(json_object_get(ch->before, "definition")),
	    json_integer_value(json_object_get(ch->before, "shared_role_id"))) : NULL,
	    audited(ch->f.name, ch->definition, ch->f.shared_role_id));
}

/* The builder posted: previewed (the form again with the result), or
 * saved when the name, the role and the definition are right. */
static int
save(struct crm_ctx *c, long long id, json_t *before)
{
	struct crm_report_sql q;
	struct change ch;
	struct crm_db_bind b[1];
	json_t *role = NULL;
	int status, bad;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = id;
	ch.before = before;
	if ((status = builder_form_read(c, &ch.f)) != 0)
		return crm_ctx_fail(c, status, N_("The request is not a report."));
	if (before != NULL)
		json_object_set_new(c->view, "report", json_incref(before));
	bad = builder_compile(c, ch.f.def, &q) != CRM_OK;
	if (ch.f.preview) {
		if ((status = builder_form_view(c, &ch.f)) != 200)
			return status;
		if (bad)
			return crm_ctx_status(c, 422);
		if (builder_run_view(c, &q) != 0)
			return 500;
		json_object_set_new(c->view, "preview_csv_url", json_string(crm_ctx_url(c, "/reports/saved/csv",
		    "definition", json_dumps(ch.f.def, JSON_COMPACT), NULL)));
		return 200;
	}
	if (!crm_valid_text(ch.f.name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (ch.f.shared_role_id < 0) {
		crm_ctx_field_error(c, "shared_role_id", N_("Choose a role from the list."));
	} else if (ch.f.shared_role_id > 0) {
		crm_db_bind_i64(&b[0], ch.f.shared_role_id);
		if ((e = crm_db_row(c->db, STMT_SAVED_ROLE, b, 1, &role)) == CRM_ENOTFOUND)
			crm_ctx_field_error(c, "shared_role_id", N_("Choose a role from the list."));
		else if (e != CRM_OK)
			return 500;
	}
	if (bad || crm_ctx_has_errors(c)) {
		if ((status = builder_form_view(c, &ch.f)) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	ch.definition = json_dumps(ch.f.def, JSON_COMPACT | JSON_SORT_KEYS);
	if (crm_db_tx(c->db, save_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/reports/saved/%lld?done=%s", ch.id,
	    before ? "saved" : "created"));
}

int
reports_saved_create(struct crm_ctx *c)
{
	return save(c, 0, NULL);
}

int
reports_saved_update(struct crm_ctx *c)
{
	int status;
	json_t *rep = load(c, 1, &status);

	return rep ? save(c, json_integer_value(json_object_get(rep, "id")), rep) : status;
}

/* The stored definition, compiled for this reader; 403 when it reads
 * records or fields the reader's role may not see, and 422 when the
 * catalogue no longer has what it names. */
static int
compiled(struct crm_ctx *c, json_t *rep, json_t **def, struct crm_report_sql *q)
{
	struct crm_report_reader r = { c->user->scope, c->user->user_id, c->user->team_id };
	struct crm_report_error err;
	const char *text = json_string_value(json_object_get(rep, "definition"));
	size_t i;

	if (crm_report_compile_text(c->arena, text, strlen(text), &r, def, q, &err) != CRM_OK)
		return crm_ctx_fail(c, 422, err.msgid);
	if (!crm_auth_can(c->user, q->entity->perm))
		return crm_ctx_fail(c, 403, N_("Your role may not see these records."));
	for (i = 0; i < q->nused; i++)
		if (crm_auth_field_hidden(c->user, q->entity->rules, q->used[i]->name))
			return crm_ctx_fail(c, 403, N_("The report uses a field your role may not see."));
	return 0;
}

int
reports_saved_show(struct crm_ctx *c)
{
	struct crm_report_sql q;
	json_t *rep, *def = NULL;
	int status;

	if ((rep = load(c, 0, &status)) == NULL)
		return status;
	if ((status = compiled(c, rep, &def, &q)) != 0)
		return status;
	if (builder_run_view(c, &q) != 0)
		return 500;
	json_object_set_new(c->view, "summary", builder_summary(c, &q, def));
	json_object_set_new(rep, "definition", def);
	json_object_set_new(rep, "csv_url", json_sprintf("/reports/saved/%lld/csv",
	    (long long)json_integer_value(json_object_get(rep, "id"))));
	json_object_set_new(c->view, "report", rep);
	reports_nav(c, "saved");
	reports_flash(c);
	return 200;
}

int
reports_saved_csv(struct crm_ctx *c)
{
	struct crm_report_sql q;
	json_t *rep, *def = NULL;
	int status;

	if ((rep = load(c, 0, &status)) == NULL)
		return status;
	if ((status = compiled(c, rep, &def, &q)) != 0)
		return status;
	return builder_csv(c, &q, crm_arena_printf(c->arena, "report-%lld.csv",
	    (long long)json_integer_value(json_object_get(rep, "id"))));
}

/* An unsaved preview's CSV: the definition travels in the address. */
int
reports_saved_preview_csv(struct crm_ctx *c)
{
	const char *text = crm_ctx_query_str(c, "definition");
	struct crm_report_sql q;
	json_t *def = json_loads(text, JSON_REJECT_DUPLICATES, NULL);

	if (strlen(text) > CRM_REPORT_MAX_JSON || !json_is_object(def))
		return crm_ctx_fail(c, 422, N_("This is not a report definition."));
	if (builder_compile(c, def, &q) != CRM_OK)
		return crm_ctx_fail(c, 422, N_("This is not a report definition."));
	return builder_csv(c, &q, "report.csv");
}

struct removal {
	struct crm_ctx *c;
	json_t *before;
	long long id;
};

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct removal *r = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_i64(&b[0], r->id);
	crm_db_bind_i64(&b[1], r->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_SAVED_DELETE, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(r->c, "delete", "saved_report", r->id,
	    audited(json_string_value(json_object_get(r->before, "name")),
	    json_string_value(json_object_get(r->before, "definition")),
	    json_integer_value(json_object_get(r->before, "shared_role_id"))), NULL);
}

int
reports_saved_delete(struct crm_ctx *c)
{
	struct removal r;
	int status;

	if ((r.before = load(c, 1, &status)) == NULL)
		return status;
	r.c = c;
	r.id = json_integer_value(json_object_get(r.before, "id"));
	if (crm_db_tx(c->db, delete_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/reports/saved?done=deleted");
}
