/* Deals (opportunities): the list, the form, the page and its changes.
 * A deal belongs to an account and an owner; the owner's scope decides
 * who reaches it (SCOPE("op")), and anything out of reach is a 404.
 * Stage changes follow brief-stages (stage_move.c), from the page's
 * form, the board, or an edit that picks another stage. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm_audit.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

#define BLANK_LINES 3

static const char *const statuses[] = { "all", "open", "won", "lost", NULL };
static const char *const status_labels[] = { N_("Open, won and lost"), N_("Open"), N_("Won"), N_("Lost"), NULL };

int
sales_opportunities(struct crm_ctx *c)
{
	static const char *const keep[] = { "owner", "stage_id", "from", "to", "status", NULL };
	const char *status = crm_ctx_query_str(c, "status"), *stage = crm_ctx_query_str(c, "stage_id");
	const char *after = crm_ctx_query_str(c, "after");
	struct board_filter f;
	struct crm_db_bind b[16];
	long long stage_id = 0, after_id = 0;
	json_t *rows = NULL, *opts = json_array();
	int st;
	size_t i;

	if (*status == '\0')
		status = "all";
	if (!crm_valid_oneof(status, statuses) || (*stage && !crm_valid_id(stage, &stage_id)) ||
	    (*after && !crm_valid_date(after)) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if ((st = sales_board_filter(c, crm_ctx_query_str, &f)) != 0)
		return st;
	if (*after == '\0')
		after = "1000-01-01";
	sales_bind_scope(c, b);
	crm_db_bind_i64(&b[5], f.owner_id);
	crm_db_bind_i64(&b[6], f.owner_id);
	crm_db_bind_i64(&b[7], stage_id);
	crm_db_bind_i64(&b[8], stage_id);
	crm_db_bind_str(&b[9], status, (size_t)-1);
	crm_db_bind_str(&b[10], status, (size_t)-1);
	crm_db_bind_str(&b[11], f.open_from, (size_t)-1);
	crm_db_bind_str(&b[12], f.open_to, (size_t)-1);
	crm_db_bind_str(&b[13], after, (size_t)-1);
	crm_db_bind_str(&b[14], after, (size_t)-1);
	crm_db_bind_i64(&b[15], after_id);
	if (crm_db_rows(c->db, STMT_OPPS, b, 16, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/sales/opportunities", "close_date", keep);
	sales_money_text(c, rows, "amount", sales_base_currency(c));
	json_object_set_new(c->view, "opportunities", rows);
	for (i = 0; statuses[i]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", statuses[i],
		    "label", crm_ctx_text(c, status_labels[i]), "selected", strcmp(statuses[i], status) == 0));
	json_object_set_new(c->view, "statuses", opts);
	json_object_set_new(c->view, "filter", json_pack("{s:s,s:s,s:s}", "owner", f.owner, "from", f.from,
	    "to", f.to));
	if (sales_opp_choices(c, stage_id, 0) != CRM_OK)
		return 500;
	sales_nav(c, "opportunities");
	sales_flash(c);
	return 200;
}

/* Form rows for the lines: the deal's, then a few blank ones. */
static void
add_blank_lines(json_t *form)
{
	json_t *lines = json_object_get(form, "lines");
	size_t i;

	if (!json_is_array(lines)) {
		lines = json_array();
		json_object_set_new(form, "lines", lines);
	}
	for (i = 0; i < BLANK_LINES; i++)
		json_array_append_new(lines, json_pack("{s:s,s:s,s:s,s:s}", "product_ref", "", "quantity", "",
		    "unit_price", "", "discount", ""));
}

static int
form_page(struct crm_ctx *c, json_t *form, long long stage_id)
{
	json_t *groups, *first;

	add_blank_lines(form);
	if (sales_opp_choices(c, stage_id, 0) != CRM_OK)
		return 500;
	/* No stage chosen yet: the default pipeline's first open stage. */
	groups = json_object_get(c->view, "pipelines");
	if (stage_id == 0 && (first = json_array_get(json_object_get(json_array_get(groups, 0), "stages"), 0)))
		json_object_set_new(first, "selected", json_true());
	json_object_set_new(c->view, "opportunity", form);
	json_object_set_new(c->view, "currency", json_string(sales_base_currency(c)));
	sales_nav(c, "opportunities");
	return 200;
}

int
sales_opportunity_new(struct crm_ctx *c)
{
	json_t *form = json_object();
	long long account = 0;
	time_t t = time(NULL) + 30 * 86400;
	struct tm tm;
	char date[16];

	/* "New deal" from an account fills the account in. */
	if (crm_valid_id(crm_ctx_query(c, "account_id"), &account)) {
		struct crm_db_bind b[6];
		json_t *row = NULL;

		crm_db_bind_i64(&b[0], account);
		sales_bind_scope(c, b + 1);
		if (crm_db_row(c->db, STMT_OPP_ACCOUNT_REACHABLE, b, 6, &row) == CRM_OK)
			json_object_set_new(form, "account_ref", json_string(crm_arena_printf(c->arena, "%s #%lld",
			    json_string_value(json_object_get(row, "name")), account)));
	}
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	json_object_set_new(form, "close_date", json_string(date));
	return form_page(c, form, 0);
}

struct change {
	struct crm_ctx *c;
	struct opp_form f;
	long long id;
	json_t *before;
	const char *owner;
	long long owner_id;
};

static const char *
money(struct crm_ctx *c, long long cents)
{
	char buf[CRM_DECIMAL_MAX];

	return crm_arena_strdup(c->arena, crm_money_format(buf, cents));
}

static const char *
percent(struct crm_ctx *c, long long bp)
{
	char buf[CRM_DECIMAL_MAX];

	return crm_arena_strdup(c->arena, crm_decimal_format(buf, bp, CRM_PERCENT_SCALE));
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct opp_form *f = &ch->f;
	struct crm_db_bind b[13];
	const char *amount = money(ch->c, f->amount_cents);
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], f->name, (size_t)-1);
	crm_db_bind_i64(&b[1], f->account_id);
	crm_db_bind_id(&b[2], f->contact_id);
	crm_db_bind_i64(&b[3], f->pipeline_id);
	crm_db_bind_i64(&b[4], f->stage_id);
	crm_db_bind_str(&b[5], amount, (size_t)-1);
	crm_db_bind_str(&b[6], percent(ch->c, f->probability_bp), (size_t)-1);
	crm_db_bind_str(&b[7], f->close_date, (size_t)-1);
	crm_db_bind_str(&b[8], f->next_step, (size_t)-1);
	crm_db_bind_str(&b[9], f->competitors, (size_t)-1);
	crm_db_bind_str(&b[10], strcmp(f->stage_kind, "lost") == 0 ? f->reason : "", (size_t)-1);
	crm_db_bind_i64(&b[11], ch->c->user->user_id);
	crm_db_bind_str(&b[12], f->stage_kind, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_OPP_CREATE, b, 13, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	if ((e = sales_opp_lines_save(ch->c, ch->id, f)) != CRM_OK ||
	    (e = sales_stage_history(ch->c, ch->id, f->stage_id, amount, 0)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "create", "opportunity", ch->id, NULL, sales_opp_json(ch->c, f));
}

int
sales_opportunity_create(struct crm_ctx *c)
{
	struct change ch;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	sales_opp_read(c, &ch.f, NULL);
	if (crm_ctx_has_errors(c)) {
		int st = form_page(c, sales_opp_typed(c, &ch.f), ch.f.stage_id);

		return st == 200 ? crm_ctx_status(c, 422) : st;
	}
	if (crm_db_tx(c->db, create_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/opportunities/%lld?done=created", ch.id));
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	return sales_load(c, STMT_OPP_GET, id, 1, status);
}

/* The edit form's values as stored. */
static json_t *
stored_form(struct crm_ctx *c, json_t *opp, json_t *lines)
{
	json_t *form = json_deep_copy(opp), *rows = json_array(), *l;
	size_t i;

	json_object_set_new(form, "account_ref", json_string(crm_arena_printf(c->arena, "%s #%lld",
	    json_string_value(json_object_get(opp, "account")),
	    (long long)json_integer_value(json_object_get(opp, "account_id")))));
	if (json_is_integer(json_object_get(opp, "contact_id")))
		json_object_set_new(form, "contact_ref", json_string(crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(opp, "contact")),
		    (long long)json_integer_value(json_object_get(opp, "contact_id")))));
	json_array_foreach(lines, i, l)
		json_array_append_new(rows, json_pack("{s:s,s:O,s:O,s:O}", "product_ref",
		    crm_arena_printf(c->arena, "%s #%lld", json_string_value(json_object_get(l, "product")),
		    (long long)json_integer_value(json_object_get(l, "product_id"))),
		    "quantity", json_object_get(l, "quantity"), "unit_price", json_object_get(l, "unit_price"),
		    "discount", json_object_get(l, "discount")));
	json_object_set_new(form, "lines", rows);
	return form;
}

static enum crm_err
page_rows(struct crm_ctx *c, size_t stmt, long long id, const char *key, json_t **rows)
{
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_rows(c->db, stmt, b, 1, rows)) != CRM_OK)
		return e;
	json_object_set_new(c->view, key, *rows);
	return CRM_OK;
}

static int
show(struct crm_ctx *c, long long id, json_t *opp, json_t *typed)
{
	const char *base = sales_base_currency(c);
	json_t *lines = NULL, *stages = NULL, *acts = NULL, *history = NULL, *l;
	size_t i;

	if (page_rows(c, STMT_OPP_LINES, id, "lines", &lines) != CRM_OK ||
	    page_rows(c, STMT_STAGE_HISTORY, id, "stage_history", &stages) != CRM_OK ||
	    page_rows(c, STMT_OPP_ACTIVITIES, id, "activities", &acts) != CRM_OK)
		return 500;
	sales_activity_form(c);
	json_array_foreach(lines, i, l) {
		json_object_set_new(l, "unit_price_text", json_string(sales_money(c,
		    json_string_value(json_object_get(l, "unit_price")), base)));
		json_object_set_new(l, "total_text", json_string(sales_money(c,
		    json_string_value(json_object_get(l, "total")), base)));
	}
	json_array_foreach(acts, i, l)
		json_object_set_new(l, "done", json_boolean(json_is_true(json_object_get(l, "done")) ||
		    json_integer_value(json_object_get(l, "done")) != 0));
	sales_money_text(c, stages, "amount", base);
	crm_ctx_localise_dates(c, stages, "entered_at");
	crm_ctx_localise_dates(c, stages, "left_at");
	crm_ctx_localise_dates(c, acts, "at");
	json_object_set_new(opp, "amount_text", json_string(sales_money(c,
	    json_string_value(json_object_get(opp, "amount")), base)));
	json_object_set_new(opp, crm_arena_printf(c->arena, "is_%s",
	    json_string_value(json_object_get(opp, "stage_kind"))), json_true());
	json_object_set_new(opp, "closed_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(opp, "closed_at")), 1)));
	if (crm_ctx_history(c, "opportunity", NULL, id, &history) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "history", history);
	if (sales_opp_choices(c, json_integer_value(json_object_get(opp, "stage_id")),
	    json_integer_value(json_object_get(opp, "pipeline_id"))) != CRM_OK)
		return 500;
	if (typed == NULL)
		typed = stored_form(c, opp, lines);
	add_blank_lines(typed);
	json_object_set_new(c->view, "opportunity", opp);
	json_object_set_new(c->view, "form", typed);
	json_object_set_new(c->view, "currency", json_string(base));
	sales_nav(c, "opportunities");
	sales_flash(c);
	return 200;
}

int
sales_opportunity_page(struct crm_ctx *c, long long id, json_t *typed)
{
	int status;
	json_t *opp = load(c, id, &status);

	return opp ? show(c, id, opp, typed) : status;
}

int
sales_opportunity_show(struct crm_ctx *c)
{
	return sales_opportunity_page(c, crm_ctx_id(c, "id"), NULL);
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct opp_form *f = &ch->f;
	struct crm_db_bind b[11];
	const char *amount = money(ch->c, f->amount_cents);
	json_t *row = NULL, *before;
	long long was_bp = 0, prob = f->probability_bp;
	int moved;
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	sales_bind_scope(ch->c, b + 1);
	if ((e = crm_db_row(db, STMT_OPP_LOCK, b, 6, &row)) != CRM_OK)
		return e;
	moved = json_integer_value(json_object_get(row, "stage_id")) != f->stage_id;
	crm_decimal_parse(json_string_value(json_object_get(row, "probability")), CRM_PERCENT_SCALE, 5, &was_bp);
	/* A new stage brings its probability, unless the user changed the
	 * deal's own in the same edit. */
	if (moved && (!f->probability_typed || f->probability_bp == was_bp))
		prob = f->stage_probability_bp;
	if (moved && (e = sales_stage_move(ch->c, ch->id, f->stage_id, f->stage_kind, f->reason, amount)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], f->name, (size_t)-1);
	crm_db_bind_i64(&b[1], f->account_id);
	crm_db_bind_id(&b[2], f->contact_id);
	crm_db_bind_str(&b[3], amount, (size_t)-1);
	crm_db_bind_str(&b[4], percent(ch->c, prob), (size_t)-1);
	crm_db_bind_i64(&b[5], moved && strcmp(f->stage_kind, "won") == 0);
	crm_db_bind_str(&b[6], f->close_date, (size_t)-1);
	crm_db_bind_str(&b[7], f->next_step, (size_t)-1);
	crm_db_bind_str(&b[8], f->competitors, (size_t)-1);
	crm_db_bind_str(&b[9], strcmp(f->stage_kind, "lost") == 0 ? f->reason : "", (size_t)-1);
	crm_db_bind_i64(&b[10], ch->id);
	if ((e = crm_db_exec(db, STMT_OPP_UPDATE, b, 11, NULL, NULL)) != CRM_OK ||
	    (e = sales_opp_lines_save(ch->c, ch->id, f)) != CRM_OK)
		return e;
	f->probability_bp = prob;
	before = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}",
	    "name", json_object_get(ch->before, "name"), "account_id", json_object_get(ch->before, "account_id"),
	    "contact_id", json_object_get(ch->before, "contact_id"), "stage_id", json_object_get(ch->before, "stage_id"),
	    "amount", json_object_get(ch->before, "amount"), "probability", json_object_get(ch->before, "probability"),
	    "close_date", json_object_get(ch->before, "close_date"),
	    "next_step", json_object_get(ch->before, "next_step"),
	    "competitors", json_object_get(ch->before, "competitors"),
	    "lost_reason", json_object_get(ch->before, "lost_reason"));
	return crm_ctx_audit(ch->c, "update", "opportunity", ch->id, before, sales_opp_json(ch->c, f));
}

int
sales_opportunity_update(struct crm_ctx *c)
{
	struct change ch;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	sales_opp_read(c, &ch.f, ch.before);
	if (crm_ctx_has_errors(c)) {
		if ((status = show(c, ch.id, ch.before, sales_opp_typed(c, &ch.f))) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, update_tx, &ch)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/opportunities/%lld?done=saved", ch.id));
}

static enum crm_err
owner_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[6];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	sales_bind_scope(ch->c, b + 1);
	if ((e = crm_db_row(db, STMT_OPP_LOCK, b, 6, &row)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], ch->owner_id);
	crm_db_bind_i64(&b[1], ch->id);
	if ((e = crm_db_exec(db, STMT_OPP_OWNER, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "reassign", "opportunity", ch->id,
	    json_pack("{s:O}", "owner_id", json_object_get(row, "owner_id")),
	    json_pack("{s:I}", "owner_id", (json_int_t)ch->owner_id));
}

/* Gives the deal to another active user, typed "Name #id" or by name. */
int
sales_opportunity_reassign(struct crm_ctx *c)
{
	struct change ch;
	struct crm_db_bind b[1];
	json_t *rows = NULL;
	const char *hash;
	int status;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	ch.owner = crm_ctx_form_str(c, "owner");
	if ((hash = strrchr(ch.owner, '#')) != NULL && crm_valid_id(hash + 1, &ch.owner_id)) {
		crm_db_bind_i64(&b[0], ch.owner_id);
		e = crm_db_rows(c->db, STMT_USER_ACTIVE, b, 1, &rows);
	} else {
		crm_db_bind_str(&b[0], ch.owner, (size_t)-1);
		e = crm_db_rows(c->db, STMT_OPP_USER_BY_NAME, b, 1, &rows);
	}
	if (e != CRM_OK)
		return 500;
	if (json_array_size(rows) != 1 || !crm_valid_text(ch.owner, 1, 230, 0)) {
		crm_ctx_field_error(c, "owner", N_("Pick an active user from the suggestions."));
		c->template = "sales/opportunity";
		if ((status = show(c, ch.id, ch.before, NULL)) != 200)
			return status;
		json_object_set_new(c->view, "typed_owner", json_string(ch.owner));
		return crm_ctx_status(c, 422);
	}
	ch.owner_id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	if ((e = crm_db_tx(c->db, owner_tx, &ch)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/opportunities/%lld?done=reassigned", ch.id));
}

static int
deal_page(struct crm_ctx *c, long long id)
{
	return sales_opportunity_page(c, id, NULL);
}

int
sales_opportunity_activity(struct crm_ctx *c)
{
	static const struct sales_activity_target deal = {
		STMT_OPP_ACTIVITY_ADD, "opportunity_id", "/sales/opportunities", deal_page,
	};
	long long id = crm_ctx_id(c, "id");
	int status;

	if (load(c, id, &status) == NULL)
		return status;
	return sales_activity_log(c, &deal, id);
}
