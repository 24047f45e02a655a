/* Moving a deal between the stages of its pipeline, as brief-stages
 * says every part of the sales module does: in one transaction the
 * history row of the stage it leaves gets left_at, a row for the new
 * stage is added, and the deal takes the stage's probability and closes
 * (won: today) or opens again. The board's cards (plain form or drag and
 * drop through the API) and the deal's page post here. */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

enum crm_err
sales_stage_history(struct crm_ctx *c, long long opp_id, long long stage_id, const char *amount,
    int close_current)
{
	struct crm_db_bind b[4];
	enum crm_err e;

	crm_db_bind_i64(&b[0], opp_id);
	if (close_current && (e = crm_db_exec(c->db, STMT_HISTORY_CLOSE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[1], stage_id);
	crm_db_bind_str(&b[2], amount, (size_t)-1);
	crm_db_bind_i64(&b[3], c->user->user_id);
	return crm_db_exec(c->db, STMT_HISTORY_ADD, b, 4, NULL, NULL);
}

enum crm_err
sales_stage_move(struct crm_ctx *c, long long opp_id, long long stage_id, const char *kind,
    const char *reason, const char *amount)
{
	struct crm_db_bind b[8];
	enum crm_err e;

	if ((e = sales_stage_history(c, opp_id, stage_id, amount, 1)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], stage_id);
	crm_db_bind_str(&b[1], kind, (size_t)-1);
	crm_db_bind_str(&b[2], kind, (size_t)-1);
	crm_db_bind_str(&b[3], kind, (size_t)-1);
	crm_db_bind_str(&b[4], reason, (size_t)-1);
	crm_db_bind_str(&b[5], kind, (size_t)-1);
	crm_db_bind_str(&b[6], reason, (size_t)-1);
	crm_db_bind_i64(&b[7], opp_id);
	return crm_db_exec(c->db, STMT_OPP_MOVE, b, 8, NULL, NULL);
}

struct move {
	struct crm_ctx *c;
	long long id, stage_id, pipeline_id;
	const char *kind, *reason;
	int moved;
	json_t *before;
};

static enum crm_err
move_tx(struct crm_db *db, void *arg)
{
	struct move *m = arg;
	struct crm_db_bind b[6];
	json_t *row = NULL;
	enum crm_err e;

	(void)db;
	m->moved = 0;
	crm_db_bind_i64(&b[0], m->id);
	sales_bind_scope(m->c, b + 1);
	if ((e = crm_db_row(m->c->db, STMT_OPP_LOCK, b, 6, &row)) != CRM_OK)
		return e;
	m->before = row;
	if (json_integer_value(json_object_get(row, "pipeline_id")) != m->pipeline_id)
		return CRM_EINVAL;
	if (json_integer_value(json_object_get(row, "stage_id")) == m->stage_id)
		return CRM_OK;
	if ((e = sales_stage_move(m->c, m->id, m->stage_id, m->kind, m->reason,
	    json_string_value(json_object_get(row, "amount")))) != CRM_OK)
		return e;
	m->moved = 1;
	return crm_ctx_audit(m->c, "stage", "opportunity", m->id,
	    json_pack("{s:O,s:O,s:O,s:O}", "stage_id", json_object_get(row, "stage_id"),
	    "probability", json_object_get(row, "probability"), "lost_reason", json_object_get(row, "lost_reason"),
	    "won_reason", json_object_get(row, "won_reason")),
	    json_pack("{s:I,s:s,s:s}", "stage_id", (json_int_t)m->stage_id,
	    "lost_reason", strcmp(m->kind, "lost") == 0 ? m->reason : "",
	    "won_reason", strcmp(m->kind, "won") == 0 ? m->reason : ""));
}

/* Where the plain form goes back to: a sales page, never elsewhere. */
static const char *
back_to(struct crm_ctx *c, long long id)
{
	const char *back = crm_ctx_form_str(c, "back");

	if (strncmp(back, "/sales", 6) == 0 && strchr("/?", back[6]) && back[6] && strstr(back, "//") == NULL && strchr(back, '\\') == NULL &&
	    crm_valid_text(back, 1, 500, 0))
		return back;
	return crm_arena_printf(c->arena, "/sales/opportunities/%lld?done=moved", id);
}

/* A refused move: the deal's page with the reason field's message, and
 * the same view as the API's 422. The page is loaded for the API too, so
 * that a deal out of the reader's scope is a 404 there as well, never a
 * 422 about a record they may not see. */
static int
refuse(struct crm_ctx *c, struct move *m, const char *field, const char *msgid)
{
	int st;

	crm_ctx_field_error(c, field, msgid);
	c->template = "sales/opportunity";
	if ((st = sales_opportunity_page(c, m->id, NULL)) != 200)
		return st;
	json_object_set_new(c->view, "move_reason", json_string(m->reason));
	json_object_set_new(c->view, "move_stage_id", json_integer(m->stage_id));
	return crm_ctx_status(c, 422);
}

int
sales_opportunity_stage(struct crm_ctx *c)
{
	struct move m;
	struct crm_db_bind b[1];
	struct board_filter bf;
	json_t *st = NULL, *columns = NULL;
	enum crm_err e;

	memset(&m, 0, sizeof(m));
	m.c = c;
	if ((m.id = crm_ctx_id(c, "id")) == 0)
		return 404;
	m.reason = crm_ctx_form_str(c, "lost_reason");
	if (!crm_valid_id(crm_ctx_form_str(c, "stage_id"), &m.stage_id))
		return refuse(c, &m, "stage_id", N_("Choose a stage."));
	crm_db_bind_i64(&b[0], m.stage_id);
	if ((e = crm_db_row(c->db, STMT_STAGE_GET, b, 1, &st)) != CRM_OK || !json_is_true(json_object_get(st, "active")))
		return e == CRM_OK || e == CRM_ENOTFOUND ?
		    refuse(c, &m, "stage_id", N_("Choose a stage of the deal's pipeline from the list.")) : 500;
	m.pipeline_id = json_integer_value(json_object_get(st, "pipeline_id"));
	m.kind = crm_arena_strdup(c->arena, json_string_value(json_object_get(st, "kind")));
	if (!crm_valid_text(m.reason, 0, 200, 0))
		return refuse(c, &m, "lost_reason", N_("Keep the reason under 200 characters."));
	if (strcmp(m.kind, "lost") == 0 && *m.reason == '\0')
		return refuse(c, &m, "lost_reason", N_("Say why the deal was lost."));
	e = crm_db_tx(c->db, move_tx, &m);
	if (e == CRM_ENOTFOUND)
		return 404;
	if (e == CRM_EINVAL)
		return refuse(c, &m, "stage_id", N_("Choose a stage of the deal's pipeline from the list."));
	if (e != CRM_OK)
		return 500;
	if (!c->api)
		return crm_ctx_redirect(c, 303, back_to(c, m.id));
	/* The board's script gets the deal's new place and its columns'
	 * totals under the board's own filters. */
	json_object_set_new(c->view, "opportunity", json_pack("{s:I,s:I,s:s,s:b}", "id", (json_int_t)m.id,
	    "stage_id", (json_int_t)m.stage_id, "stage_kind", m.kind, "moved", m.moved));
	if (sales_board_filter(c, crm_ctx_form_str, &bf) != 0)
		return 400;
	bf.pipeline_id = m.pipeline_id;
	if (sales_board_columns(c, &bf, &columns, NULL) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "columns", columns);
	return 200;
}
