/* The board: a pipeline's deals in one column per open stage, then won
 * and lost. One statement whatever the number of deals (the stages are
 * kept by each worker, crm_confcache.h): the columns' totals, GROUP BYs
 * over ranges of an index (never the rows), then the first cards of every
 * column by close date, one walk of the board index per column, joined in
 * one UNION. Won and lost show the
 * filter's close months (this month when none is chosen), so closed deals
 * of other months are never read; open columns show every close date
 * unless the filter names months. Each card carries a plain form that
 * moves it; html/static/js/board.js adds drag and drop on top. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm_auth.h"
#include "crm_confcache.h"
#include "crm_table.h"
#include "crm_valid.h"
#include "extern.h"

#define CARDS 20                /* per column; CARDS_PART reads one more */
#define CARD_BINDS 11

/* "2026-11" (1900..2200): writes its first day and the next month's. */
static int
month_range(const char *m, char *first, char *next)
{
	int y, mo;

	if (strlen(m) != 7 || m[4] != '-' || strspn(m, "0123456789") != 4 || strspn(m + 5, "0123456789") != 2)
		return -1;
	y = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
	mo = (m[5] - '0') * 10 + (m[6] - '0');
	if (y < 1900 || y > 2200 || mo < 1 || mo > 12)
		return -1;
	snprintf(first, 11, "%04d-%02d-01", y, mo);
	if (++mo > 12)
		mo = 1, y++;
	snprintf(next, 11, "%04d-%02d-01", y, mo);
	return 0;
}

int
sales_board_filter(struct crm_ctx *c, const char *(*get)(struct crm_ctx *, const char *),
    struct board_filter *f)
{
	char unused[11];
	const char *hash;

	memset(f, 0, sizeof(*f));
	f->owner = get(c, "owner");
	f->from = get(c, "from");
	f->to = get(c, "to");
	if (strcmp(f->owner, "me") == 0)
		f->owner_id = c->user->user_id;
	else if (*f->owner != '\0') {
		struct crm_db_bind b[1];
		json_t *rows = NULL;

		if (!crm_valid_text(f->owner, 1, 230, 0))
			return crm_ctx_fail(c, 400, N_("The board's filters are not valid."));
		if ((hash = strrchr(f->owner, '#')) != NULL && crm_valid_id(hash + 1, &f->owner_id))
			;
		else if (!crm_valid_id(f->owner, &f->owner_id)) {
			crm_db_bind_str(&b[0], f->owner, (size_t)-1);
			if (crm_db_rows(c->db, STMT_OPP_USER_BY_NAME, b, 1, &rows) != CRM_OK)
				return 500;
			if (json_array_size(rows) != 1)
				return crm_ctx_fail(c, 400, N_("No one by that name; pick an owner from the suggestions."));
			f->owner_id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
		}
	}
	strcpy(f->open_from, "1000-01-01");
	strcpy(f->open_to, "9999-12-31");
	if (*f->from == '\0' && *f->to == '\0') {
		time_t now = time(NULL);
		struct tm tm;
		char m[16];

		gmtime_r(&now, &tm);
		strftime(m, sizeof(m), "%Y-%m", &tm);
		month_range(m, f->closed_from, f->closed_to);
		return 0;
	}
	if (month_range(*f->from ? f->from : f->to, f->closed_from, unused) != 0 ||
	    month_range(*f->to ? f->to : f->from, unused, f->closed_to) != 0 ||
	    strcmp(f->closed_from, f->closed_to) >= 0)
		return crm_ctx_fail(c, 400, N_("Choose the close months as YYYY-MM, the first not after the last."));
	strcpy(f->open_from, f->closed_from);
	strcpy(f->open_to, f->closed_to);
	return 0;
}

/* The one owner whose deals the board shows, or 0 for more than one:
 * the owner filter, or the user when their scope is their own. Their
 * statements may start from the owner's deals. */
static long long
one_owner(const struct crm_ctx *c, const struct board_filter *f)
{
	if (f->owner_id != 0)
		return f->owner_id;
	return strcmp(c->user->scope, "own") == 0 ? c->user->user_id : 0;
}

/* Picks the pipeline's stages out of every pipeline's, and the tabs. */
static enum crm_err
stages(struct crm_ctx *c, struct board_filter *f, json_t **columns, json_t **tabs)
{
	struct crm_db_bind b[1];
	const json_t *rows = NULL;
	json_t *row;
	long long last = 0;
	enum crm_err e;
	size_t i;

	/* Every pipeline's stages, read where the cache keeps them: the page
	 * copies only its pipeline's, and the tabs' names. */
	crm_db_bind_i64(&b[0], f->pipeline_id);
	if ((e = crm_confcache_peek(c->db, STMT_BOARD_STAGES, b, 1, &rows)) != CRM_OK)
		return e;
	/* The default pipeline's rows come first. */
	if (f->pipeline_id == 0 && (row = json_array_get(rows, 0)) != NULL)
		f->pipeline_id = json_integer_value(json_object_get(row, "pipeline_id"));
	*columns = json_array();
	if (tabs)
		*tabs = json_array();
	for (i = 0; i < json_array_size(rows); i++) {
		long long p;

		row = json_array_get(rows, i);
		p = json_integer_value(json_object_get(row, "pipeline_id"));
		if (tabs && p != last && json_is_true(json_object_get(row, "pipeline_active")))
			json_array_append_new(*tabs, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)p,
			    "name", json_string_value(json_object_get(row, "pipeline")), "current", p == f->pipeline_id));
		last = p;
		if (p == f->pipeline_id && json_array_size(*columns) < SALES_BOARD_STAGES)
			json_array_append_new(*columns, json_deep_copy(row));
	}
	return json_array_size(*columns) ? CRM_OK : CRM_ENOTFOUND;
}

/* The totals' parameters (TOTALS_PART twice, 32 binds) for the columns:
 * the open stages, then won and lost. */
#define TOTAL_BINDS 32
static void
bind_totals(struct crm_ctx *c, const struct board_filter *f, json_t *columns, struct crm_db_bind *b)
{
	struct crm_db_bind *p = b;
	long long open[SALES_BOARD_STAGES], closed[2], owner = one_owner(c, f);
	size_t nopen = 0, nclosed = 0, i;
	json_t *col;

	memset(open, 0, sizeof(open));
	memset(closed, 0, sizeof(closed));
	json_array_foreach(columns, i, col) {
		long long id = json_integer_value(json_object_get(col, "id"));

		if (strcmp(json_string_value(json_object_get(col, "kind")), "open") == 0)
			open[nopen++] = id;
		else if (nclosed < 2)
			closed[nclosed++] = id;
	}
	for (i = 0; i < SALES_BOARD_STAGES; i++)
		crm_db_bind_i64(p++, open[i]);
	crm_db_bind_str(p++, f->open_from, (size_t)-1);
	crm_db_bind_str(p++, f->open_to, (size_t)-1);
	crm_db_bind_i64(p++, owner);
	crm_db_bind_i64(p++, owner);
	sales_bind_scope(c, p);
	p += 5;
	crm_db_bind_i64(p++, closed[0]);
	crm_db_bind_i64(p++, closed[1]);
	crm_db_bind_str(p++, f->closed_from, (size_t)-1);
	crm_db_bind_str(p++, f->closed_to, (size_t)-1);
	crm_db_bind_i64(p++, owner);
	crm_db_bind_i64(p++, owner);
	sales_bind_scope(c, p);
}

/* Puts each column's count, amount and weighted amount on it from the
 * rows of totals (at most one a stage). */
static void
apply_totals(struct crm_ctx *c, json_t *columns, json_t *totals)
{
	const char *base = sales_base_currency(c);
	json_t *row, *col;
	size_t i, k;

	json_array_foreach(columns, i, col) {
		long long id = json_integer_value(json_object_get(col, "id"));
		json_t *count = NULL;
		const char *amount = "0.00", *weighted = "0.00";

		json_array_foreach(totals, k, row)
			if (json_integer_value(json_object_get(row, "stage_id")) == id) {
				count = json_incref(json_object_get(row, "count"));
				amount = json_string_value(json_object_get(row, "amount"));
				weighted = json_string_value(json_object_get(row, "weighted"));
				break;
			}
		/* The keys are this file's ASCII, and the kinds the schema's
		 * ("open", "won", "lost"). */
		json_object_set_new_nocheck(col, "count", count ? count : json_integer(0));
		json_object_set_new_nocheck(col, "amount", json_string(amount));
		json_object_set_new_nocheck(col, "weighted", json_string(weighted));
		json_object_set_new_nocheck(col, "amount_text", json_string(sales_money(c, amount, base)));
		json_object_set_new_nocheck(col, "weighted_text", json_string(sales_money(c, weighted, base)));
		json_object_set_new(col, crm_arena_join(c->arena, "is_",
		    json_string_value(json_object_get(col, "kind")), (char *)NULL), json_true());
		json_object_del(col, "pipeline_active");
		json_object_del(col, "is_default");
	}
}

enum crm_err
sales_board_columns(struct crm_ctx *c, struct board_filter *f, json_t **columns, json_t **tabs)
{
	struct crm_db_bind b[TOTAL_BINDS];
	json_t *rows = NULL;
	enum crm_err e;

	if ((e = stages(c, f, columns, tabs)) != CRM_OK)
		return e;
	bind_totals(c, f, *columns, b);
	if ((e = crm_db_rows(c->db, one_owner(c, f) ? STMT_BOARD_TOTALS_OWNER : STMT_BOARD_TOTALS, b, TOTAL_BINDS,
	    &rows)) != CRM_OK)
		return e;
	apply_totals(c, *columns, rows);
	return CRM_OK;
}

/* The list of the deals behind a column's "more" link. */
static const char *
more_url(struct crm_ctx *c, const struct board_filter *f, long long stage_id, const char *kind)
{
	const char *from = f->from, *to = f->to;

	if (*from == '\0' && *to == '\0' && strcmp(kind, "open") != 0) {
		from = crm_arena_strndup(c->arena, f->closed_from, 7);
		to = from;
	}
	return crm_ctx_url(c, "/sales/opportunities", "stage_id", crm_arena_printf(c->arena, "%lld", stage_id),
	    "owner", f->owner, "from", from, "to", to, NULL);
}

/* The stages a card's plain form offers, its own selected. Every card of
 * a column shares its column's list: one list per column, not per card. */
static json_t *
stage_choices(json_t *columns, long long selected)
{
	json_t *opts = json_array(), *col;
	size_t i;

	json_array_foreach(columns, i, col) {
		json_t *opt = json_object();

		json_object_set(opt, "id", json_object_get(col, "id"));
		json_object_set(opt, "name", json_object_get(col, "name"));
		json_object_set_new(opt, "selected",
		    json_boolean(json_integer_value(json_object_get(col, "id")) == selected));
		json_array_append_new(opts, opt);
	}
	return opts;
}

/* The board in one statement: the totals, then every column's first
 * cards, hung on their columns (with the stages of their move form when
 * the page's user may move deals). The cards are read as a table
 * (crm_table.h), and each column's cards are a table of the same
 * columns. */
static enum crm_err
board(struct crm_ctx *c, const struct board_filter *f, json_t *columns)
{
	struct crm_db_bind b[TOTAL_BINDS + SALES_BOARD_STAGES * CARD_BINDS];
	json_t *table = NULL, *names, *rows, *totals, *row, *col = NULL;
	int id_at, stage_at, amount_at, stages_at = -1, text_at;
	json_t *lists[SALES_BOARD_STAGES], *choices[SALES_BOARD_STAGES];
	long long ids[SALES_BOARD_STAGES];
	const char *base = sales_base_currency(c);
	long long owner = one_owner(c, f);
	size_t i, k, ncols = json_array_size(columns), parts;
	int movable = !c->api && crm_auth_can(c->user, "sales.write");
	enum crm_err e;
	size_t stmt;

	if (ncols > SALES_BOARD_STAGES)
		ncols = SALES_BOARD_STAGES;
	/* A board of six columns or fewer asks the six-part statement. */
	parts = ncols <= SALES_BOARD_STAGES / 2 ? SALES_BOARD_STAGES / 2 : SALES_BOARD_STAGES;
	if (parts == SALES_BOARD_STAGES)
		stmt = owner ? STMT_BOARD_OWNER : STMT_BOARD;
	else
		stmt = owner ? STMT_BOARD6_OWNER : STMT_BOARD6;
	/* The page reads only the card columns it shows (its four statements
	 * follow the API's four in the same order: extern.h). */
	if (!c->api)
		stmt += STMT_BOARD_PAGE - STMT_BOARD;
	bind_totals(c, f, columns, b);
	for (i = 0; i < parts; i++) {
		struct crm_db_bind *p = b + TOTAL_BINDS + i * CARD_BINDS;
		json_t *one = i < ncols ? json_array_get(columns, i) : NULL;
		int open = one && strcmp(json_string_value(json_object_get(one, "kind")), "open") == 0;

		crm_db_bind_i64(&p[0], f->pipeline_id);
		crm_db_bind_i64(&p[1], one ? json_integer_value(json_object_get(one, "id")) : 0);
		crm_db_bind_str(&p[2], open ? f->open_from : f->closed_from, (size_t)-1);
		crm_db_bind_str(&p[3], open ? f->open_to : f->closed_to, (size_t)-1);
		crm_db_bind_i64(&p[4], owner);
		crm_db_bind_i64(&p[5], owner);
		sales_bind_scope(c, p + 6);
	}
	if ((e = crm_db_table(c->db, stmt, b, TOTAL_BINDS + parts * CARD_BINDS, &table)) != CRM_OK)
		return e;
	names = crm_table_columns(table);
	rows = crm_table_rows(table);
	id_at = crm_table_col(names, "id");
	stage_at = crm_table_col(names, "stage_id");
	amount_at = crm_table_col(names, "amount");
	/* The totals (a row a stage with deals: the totals' rows have a NULL
	 * id, the cards not) apart from the cards. */
	totals = json_array();
	json_array_foreach(rows, i, row)
		if (json_is_null(crm_table_cell(row, id_at)))
			json_array_append_new(totals, crm_table_object(names, row));
	apply_totals(c, columns, totals);
	json_decref(totals);
	/* The totals' columns are no part of a card. */
	crm_table_hide_col(names, "count");
	crm_table_hide_col(names, "weighted");
	if (movable)
		stages_at = crm_table_add_col(names, "stages");
	text_at = crm_table_add_col(names, "amount_text");
	for (i = 0; i < ncols; i++) {
		col = json_array_get(columns, i);
		ids[i] = json_integer_value(json_object_get(col, "id"));
		lists[i] = crm_table_new(names);
		json_object_set_new(col, "cards", lists[i]);
		choices[i] = NULL;
	}
	json_array_foreach(rows, i, row) {
		long long stage = json_integer_value(crm_table_cell(row, stage_at));

		if (json_is_null(crm_table_cell(row, id_at)))
			continue;
		for (k = 0; k < ncols && ids[k] != stage; k++)
			;
		if (k == ncols)
			continue;
		col = json_array_get(columns, k);
		if (crm_table_size(lists[k]) == CARDS) {
			json_object_set_new(col, "more_url", json_string(more_url(c, f, stage,
			    json_string_value(json_object_get(col, "kind")))));
			continue;
		}
		/* The move form's stages, for a page whose user may move
		 * deals (the JSON has them once, as the columns). */
		if (movable) {
			if (choices[k] == NULL)
				choices[k] = stage_choices(columns, stage);
			crm_table_set_new(row, stages_at, json_incref(choices[k]));
		}
		crm_table_set_new(row, text_at, json_string(sales_money(c,
		    json_string_value(crm_table_cell(row, amount_at)), base)));
		crm_table_append(lists[k], row);
	}
	for (i = 0; i < ncols; i++)
		json_decref(choices[i]);
	json_decref(table);
	return CRM_OK;
}

int
sales_board(struct crm_ctx *c)
{
	struct board_filter f;
	json_t *columns = NULL, *tabs = NULL;
	const char *pid = crm_ctx_path_param(c, "pipeline_id");
	long long want = 0;
	enum crm_err e;
	int st;

	if (pid != NULL && (want = crm_ctx_id(c, "pipeline_id")) == 0)
		return 404;
	if ((st = sales_board_filter(c, crm_ctx_query_str, &f)) != 0)
		return st;
	f.pipeline_id = want;
	if ((e = stages(c, &f, &columns, &tabs)) != CRM_OK)
		return e == CRM_ENOTFOUND ? 404 : 500;
	if (board(c, &f, columns) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "board", json_pack("{s:I,s:O,s:o,s:s,s:s,s:s,s:s,s:s}",
	    "pipeline_id", (json_int_t)f.pipeline_id,
	    "pipeline", json_object_get(json_array_get(columns, 0), "pipeline"),
	    "columns", columns, "owner", f.owner, "from", f.from, "to", f.to,
	    "closed_month", *f.from || *f.to ? "" : crm_arena_strndup(c->arena, f.closed_from, 7),
	    "back", crm_ctx_url(c, c->path, "owner", f.owner, "from", f.from, "to", f.to, NULL)));
	json_object_set_new(c->view, "pipeline_tabs", tabs);
	sales_nav(c, "board");
	sales_flash(c);
	return 200;
}
