/* Pipelines and their stages, as an admin sets them up. Each pipeline
 * has exactly one won and one lost stage (a new pipeline gets them with
 * its first open stage) and at most SALES_BOARD_STAGES active ones. A
 * stage that a deal is or was in is never deleted (its history points at
 * it): the admin deactivates it or moves the deals first. Open stages
 * keep the order the admin gives them; won and lost come last. */
#include <string.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const kinds[] = { "open", "won", "lost", NULL };
static const char *const kind_labels[] = { N_("Open"), N_("Won"), N_("Lost"), NULL };

/* A yes/no column: a boolean or a number, as the server types it. */
static int
flag(const json_t *v)
{
	return json_is_true(v) || json_integer_value(v) != 0;
}

static json_t *
kind_options(struct crm_ctx *c, const char *selected)
{
	json_t *opts = json_array();
	size_t i;

	for (i = 0; kinds[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", kinds[i],
		    "label", crm_ctx_text(c, kind_labels[i]), "selected", selected && strcmp(selected, kinds[i]) == 0));
	return opts;
}

static int
list_page(struct crm_ctx *c, const char *typed)
{
	json_t *rows = NULL;

	if (crm_db_rows(c->db, STMT_PIPELINES, NULL, 0, &rows) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "pipelines", rows);
	json_object_set_new(c->view, "new_name", json_string(typed ? typed : ""));
	sales_nav(c, "pipelines");
	sales_flash(c);
	return 200;
}

int
sales_pipelines(struct crm_ctx *c)
{
	return list_page(c, NULL);
}

struct change {
	struct crm_ctx *c;
	long long id, stage_id;
	const char *name, *kind, *first_stage;
	long long probability_bp;
	int is_default, active, up;
	json_t *before;
	const char *problem;            /* the rule a change broke */
	int problem_status;
};

static const char *
percent(struct crm_ctx *c, long long bp)
{
	char buf[CRM_DECIMAL_MAX];

	return crm_arena_strdup(c->arena, crm_decimal_format(buf, bp, CRM_PERCENT_SCALE));
}

static enum crm_err
add_stage(struct change *ch, long long pipeline_id, const char *name, long long bp, const char *kind)
{
	struct crm_db_bind b[5];

	crm_db_bind_i64(&b[0], pipeline_id);
	crm_db_bind_str(&b[1], name, (size_t)-1);
	crm_db_bind_str(&b[2], percent(ch->c, bp), (size_t)-1);
	crm_db_bind_str(&b[3], kind, (size_t)-1);
	crm_db_bind_i64(&b[4], pipeline_id);
	return crm_db_exec(ch->c->db, STMT_STAGE_CREATE, b, 5, NULL, NULL);
}

static enum crm_err
pipeline_create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[1];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_PIPELINE_CREATE, b, 1, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	if ((e = add_stage(ch, ch->id, ch->first_stage, 1000, "open")) != CRM_OK ||
	    (e = add_stage(ch, ch->id, crm_ctx_text(ch->c, N_("Won")), 10000, "won")) != CRM_OK ||
	    (e = add_stage(ch, ch->id, crm_ctx_text(ch->c, N_("Lost")), 0, "lost")) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "create", "pipeline", ch->id, NULL,
	    json_pack("{s:s,s:s}", "name", ch->name, "first_stage", ch->first_stage));
}

int
sales_pipeline_create(struct crm_ctx *c)
{
	struct change ch;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.name = crm_ctx_form_str(c, "name");
	ch.first_stage = crm_ctx_form_str(c, "first_stage");
	if (*ch.first_stage == '\0')
		ch.first_stage = crm_ctx_text(c, N_("New"));
	if (!crm_valid_text(ch.name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (!crm_valid_text(ch.first_stage, 1, 100, 0))
		crm_ctx_field_error(c, "first_stage", N_("Enter a name of up to 100 characters."));
	if (crm_ctx_has_errors(c)) {
		list_page(c, ch.name);
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, pipeline_create_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another pipeline has this name."));
		list_page(c, ch.name);
		return crm_ctx_status(c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/pipelines/%lld?done=created", ch.id));
}

static json_t *
load(struct crm_ctx *c, size_t stmt, long long id, int *status)
{
	return sales_load(c, stmt, id, 0, status);
}

static int
pipeline_page(struct crm_ctx *c, long long id)
{
	struct crm_db_bind b[1];
	json_t *p, *stages = NULL, *s;
	int status;
	size_t i;

	if ((p = load(c, STMT_PIPELINE_GET, id, &status)) == NULL)
		return status;
	crm_db_bind_i64(&b[0], id);
	if (crm_db_rows(c->db, STMT_STAGES_OF, b, 1, &stages) != CRM_OK)
		return 500;
	json_array_foreach(stages, i, s) {
		const char *kind = json_string_value(json_object_get(s, "kind"));

		json_object_set_new(s, "kinds", kind_options(c, kind));
		json_object_set_new(s, "in_use", json_boolean(flag(json_object_get(s, "in_use"))));
		json_object_set_new(s, "is_open", json_boolean(strcmp(kind, "open") == 0));
	}
	json_object_set_new(p, "stages", stages);
	json_object_set_new(c->view, "pipeline", p);
	json_object_set_new(c->view, "kinds", kind_options(c, crm_ctx_form_str(c, "kind")));
	json_object_set_new(c->view, "typed", json_pack("{s:s,s:s}", "name", crm_ctx_form_str(c, "name"),
	    "probability", crm_ctx_form_str(c, "probability")));
	sales_nav(c, "pipelines");
	sales_flash(c);
	return 200;
}

int
sales_pipeline_show(struct crm_ctx *c)
{
	return pipeline_page(c, crm_ctx_id(c, "id"));
}

/* The page again with what went wrong: status 409 or 422. */
static int
refused(struct crm_ctx *c, long long pipeline_id, const char *field, const char *msgid, int status)
{
	int st;

	crm_ctx_field_error(c, field, msgid);
	c->template = "sales/pipeline";
	if ((st = pipeline_page(c, pipeline_id)) != 200)
		return st;
	return crm_ctx_status(c, status);
}

static enum crm_err
pipeline_update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[4];
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	crm_db_bind_i64(&b[1], ch->is_default);
	crm_db_bind_i64(&b[2], ch->active);
	crm_db_bind_i64(&b[3], ch->id);
	if ((e = crm_db_exec(db, STMT_PIPELINE_UPDATE, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	/* One default: this one takes it from the other. */
	if (ch->is_default && (e = crm_db_exec(db, STMT_PIPELINE_UNDEFAULT, b + 3, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "pipeline", ch->id,
	    json_pack("{s:O,s:O,s:O}", "name", json_object_get(ch->before, "name"),
	    "is_default", json_object_get(ch->before, "is_default"), "active", json_object_get(ch->before, "active")),
	    json_pack("{s:s,s:b,s:b}", "name", ch->name, "is_default", ch->is_default, "active", ch->active));
}

int
sales_pipeline_update(struct crm_ctx *c)
{
	struct change ch;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, STMT_PIPELINE_GET, ch.id, &status)) == NULL)
		return status;
	ch.name = crm_ctx_form_str(c, "name");
	/* The default stays the default (and active) until another takes
	 * its place. */
	ch.is_default = json_is_true(json_object_get(ch.before, "is_default")) || crm_ctx_form(c, "is_default");
	ch.active = ch.is_default || crm_ctx_form(c, "active") != NULL;
	if (!crm_valid_text(ch.name, 1, 100, 0))
		return refused(c, ch.id, "name", N_("Enter a name of up to 100 characters."), 422);
	if ((e = crm_db_tx(c->db, pipeline_update_tx, &ch)) == CRM_ECONFLICT)
		return refused(c, ch.id, "name", N_("Another pipeline has this name."), 409);
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/pipelines/%lld?done=saved", ch.id));
}

/* The rules, checked with the pipeline's stages locked: one won, one
 * lost, and room on the board. */
static enum crm_err
check_rules(struct change *ch, long long pipeline_id, long long except)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;
	long long won, lost, active;

	crm_db_bind_i64(&b[0], pipeline_id);
	crm_db_bind_i64(&b[1], except);
	if ((e = crm_db_row(ch->c->db, STMT_STAGE_KINDS, b, 2, &row)) != CRM_OK)
		return e;
	won = json_integer_value(json_object_get(row, "won")) + (strcmp(ch->kind, "won") == 0);
	lost = json_integer_value(json_object_get(row, "lost")) + (strcmp(ch->kind, "lost") == 0);
	active = json_integer_value(json_object_get(row, "active")) + (ch->active != 0);
	if (won != 1 || lost != 1) {
		ch->problem = N_("A pipeline has exactly one won and one lost stage: change the other one first.");
		return CRM_EINVAL;
	}
	if (ch->kind[0] != 'o' && !ch->active) {
		ch->problem = N_("The won and lost stages stay active.");
		return CRM_EINVAL;
	}
	if (active > SALES_BOARD_STAGES) {
		ch->problem = N_("A pipeline has at most 12 active stages; deactivate one first.");
		return CRM_EINVAL;
	}
	return CRM_OK;
}

static enum crm_err
stage_create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	enum crm_err e;

	(void)db;
	if ((e = check_rules(ch, ch->id, 0)) != CRM_OK ||
	    (e = add_stage(ch, ch->id, ch->name, ch->probability_bp, ch->kind)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "pipeline", ch->id, NULL, json_pack("{s:{s:s,s:s,s:s}}",
	    "stage_added", "name", ch->name, "kind", ch->kind, "probability", percent(ch->c, ch->probability_bp)));
}

/* The stage form's fields; returns 0 or the 422 already rendered. */
static int
read_stage(struct crm_ctx *c, struct change *ch, long long pipeline_id)
{
	const char *p = crm_ctx_form_str(c, "probability");

	ch->name = crm_ctx_form_str(c, "name");
	ch->kind = crm_ctx_form_str(c, "kind");
	if (*ch->kind == '\0')
		ch->kind = "open";
	if (!crm_valid_text(ch->name, 1, 100, 0))
		return refused(c, pipeline_id, "stage", N_("Enter a stage name of up to 100 characters."), 422);
	if (!crm_valid_oneof(ch->kind, kinds))
		return refused(c, pipeline_id, "stage", N_("Choose open, won or lost."), 422);
	if (crm_decimal_parse(p, CRM_PERCENT_SCALE, 5, &ch->probability_bp) != 0 || ch->probability_bp < 0 ||
	    ch->probability_bp > 10000)
		return refused(c, pipeline_id, "stage", N_("Enter a probability from 0 to 100 percent."), 422);
	return 0;
}

static int
stage_result(struct crm_ctx *c, struct change *ch, long long pipeline_id, enum crm_err e, const char *done)
{
	if (e == CRM_EINVAL)
		return refused(c, pipeline_id, "stage", ch->problem, 422);
	if (e == CRM_ECONFLICT)
		return refused(c, pipeline_id, "stage", N_("Another stage of this pipeline has this name."), 409);
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/pipelines/%lld?done=%s#stages",
	    pipeline_id, done));
}

int
sales_stage_create(struct crm_ctx *c)
{
	struct change ch;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	ch.active = 1;
	if ((ch.before = load(c, STMT_PIPELINE_GET, ch.id, &status)) == NULL)
		return status;
	if ((status = read_stage(c, &ch, ch.id)) != 0)
		return status;
	return stage_result(c, &ch, ch.id, crm_db_tx(c->db, stage_create_tx, &ch), "stage-added");
}

static enum crm_err
stage_update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[5];
	enum crm_err e;

	if ((e = check_rules(ch, json_integer_value(json_object_get(ch->before, "pipeline_id")), ch->stage_id))
	    != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	crm_db_bind_str(&b[1], percent(ch->c, ch->probability_bp), (size_t)-1);
	crm_db_bind_str(&b[2], ch->kind, (size_t)-1);
	crm_db_bind_i64(&b[3], ch->active);
	crm_db_bind_i64(&b[4], ch->stage_id);
	if ((e = crm_db_exec(db, STMT_STAGE_UPDATE, b, 5, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "pipeline_stage", ch->stage_id,
	    json_pack("{s:O,s:O,s:O,s:O}", "name", json_object_get(ch->before, "name"),
	    "probability", json_object_get(ch->before, "probability"), "kind", json_object_get(ch->before, "kind"),
	    "active", json_object_get(ch->before, "active")),
	    json_pack("{s:s,s:s,s:s,s:b}", "name", ch->name, "probability", percent(ch->c, ch->probability_bp),
	    "kind", ch->kind, "active", ch->active));
}

int
sales_stage_update(struct crm_ctx *c)
{
	struct change ch;
	long long pid;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.stage_id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, STMT_STAGE_GET, ch.stage_id, &status)) == NULL)
		return status;
	pid = json_integer_value(json_object_get(ch.before, "pipeline_id"));
	ch.active = crm_ctx_form(c, "active") != NULL;
	if ((status = read_stage(c, &ch, pid)) != 0)
		return status;
	return stage_result(c, &ch, pid, crm_db_tx(c->db, stage_update_tx, &ch), "saved");
}

static enum crm_err
stage_delete_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	if (strcmp(json_string_value(json_object_get(ch->before, "kind")), "open") != 0) {
		ch->problem = N_("A pipeline keeps its won and lost stages; rename them instead.");
		return CRM_ECONFLICT;
	}
	crm_db_bind_i64(&b[0], ch->stage_id);
	crm_db_bind_i64(&b[1], ch->stage_id);
	if ((e = crm_db_row(db, STMT_STAGE_IN_USE, b, 2, &row)) != CRM_OK)
		return e;
	if (flag(json_object_get(row, "in_use"))) {
		ch->problem = N_("Deals are or were in this stage, so it cannot be deleted: deactivate it, or move "
		    "its deals to another stage and keep it for their history.");
		return CRM_ECONFLICT;
	}
	if ((e = crm_db_exec(db, STMT_STAGE_DELETE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "delete", "pipeline_stage", ch->stage_id,
	    json_pack("{s:O,s:O}", "name", json_object_get(ch->before, "name"),
	    "pipeline_id", json_object_get(ch->before, "pipeline_id")), NULL);
}

int
sales_stage_delete(struct crm_ctx *c)
{
	struct change ch;
	long long pid;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.stage_id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, STMT_STAGE_GET, ch.stage_id, &status)) == NULL)
		return status;
	pid = json_integer_value(json_object_get(ch.before, "pipeline_id"));
	if ((e = crm_db_tx(c->db, stage_delete_tx, &ch)) == CRM_ECONFLICT && ch.problem)
		return refused(c, pid, "stage", ch.problem, 409);
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/pipelines/%lld?done=stage-deleted#stages",
	    pid));
}

static enum crm_err
stage_reorder_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[4];
	json_t *other = NULL;
	long long mine = json_integer_value(json_object_get(ch->before, "position")), theirs;
	enum crm_err e;

	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(ch->before, "pipeline_id")));
	crm_db_bind_i64(&b[1], mine);
	crm_db_bind_i64(&b[2], mine);
	crm_db_bind_i64(&b[3], ch->stage_id);
	if ((e = crm_db_row(db, ch->up ? STMT_STAGE_BEFORE : STMT_STAGE_AFTER, b, 4, &other)) == CRM_ENOTFOUND)
		return CRM_OK;          /* first or last already */
	if (e != CRM_OK)
		return e;
	theirs = json_integer_value(json_object_get(other, "position"));
	if (theirs == mine)
		theirs += ch->up ? -1 : 1;
	crm_db_bind_i64(&b[0], theirs);
	crm_db_bind_i64(&b[1], ch->stage_id);
	if ((e = crm_db_exec(db, STMT_STAGE_POSITION, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], mine);
	crm_db_bind_i64(&b[1], json_integer_value(json_object_get(other, "id")));
	if ((e = crm_db_exec(db, STMT_STAGE_POSITION, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "pipeline_stage", ch->stage_id,
	    json_pack("{s:I}", "position", (json_int_t)mine), json_pack("{s:I}", "position", (json_int_t)theirs));
}

/* Moves an open stage one place up or down among the open ones. */
int
sales_stage_reorder(struct crm_ctx *c)
{
	struct change ch;
	const char *dir = crm_ctx_form_str(c, "direction");
	long long pid;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.stage_id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, STMT_STAGE_GET, ch.stage_id, &status)) == NULL)
		return status;
	pid = json_integer_value(json_object_get(ch.before, "pipeline_id"));
	if (strcmp(dir, "up") != 0 && strcmp(dir, "down") != 0)
		return refused(c, pid, "stage", N_("Move a stage up or down."), 422);
	if (strcmp(json_string_value(json_object_get(ch.before, "kind")), "open") != 0)
		return refused(c, pid, "stage", N_("Won and lost always come after the open stages."), 422);
	ch.up = strcmp(dir, "up") == 0;
	return stage_result(c, &ch, pid, crm_db_tx(c->db, stage_reorder_tx, &ch), "saved");
}
