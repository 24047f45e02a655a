/* Quotas: what each seller should sell per month, a year at a time in a
 * grid of users by months. Everyone with sales.read sees the users their
 * scope reaches (a seller their own row); setting them needs
 * sales.quote.approve, the permission of those who approve their
 * sellers' discounts (managers, admins): quotas are the same people's
 * call. An empty cell removes that month's quota. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

/* The year asked for: ?year= (or the form's), this year by default. */
static int
year_of(const char *v, int *year)
{
	long long y;

	if (*v == '\0') {
		*year = sales_month_now() / 12;
		return 0;
	}
	if (!crm_valid_id(v, &y) || y < 2000 || y > 2200)
		return -1;
	*year = (int)y;
	return 0;
}

struct quota_grid {
	json_t *users;          /* the users in reach, each with cells[12] */
	long long (*cents)[12]; /* per user, -1 for none */
	size_t n;
};

/* The users in reach and their quotas of the year. */
static int
load_grid(struct crm_ctx *c, int year, struct quota_grid *g)
{
	struct crm_db_bind b[7];
	json_t *rows = NULL, *row;
	size_t i, k;

	sales_bind_scope(c, b);
	if (crm_db_rows(c->db, STMT_QUOTA_USERS, b, 5, &g->users) != CRM_OK)
		return 500;
	g->n = json_array_size(g->users);
	g->cents = crm_arena_alloc(c->arena, (g->n ? g->n : 1) * sizeof(*g->cents));
	for (i = 0; i < g->n; i++)
		for (k = 0; k < 12; k++)
			g->cents[i][k] = -1;
	crm_db_bind_str(&b[0], sales_month_first(c, year * 12), (size_t)-1);
	crm_db_bind_str(&b[1], sales_month_first(c, year * 12 + 12), (size_t)-1);
	sales_bind_scope(c, b + 2);
	if (crm_db_rows(c->db, STMT_QUOTAS_YEAR, b, 7, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, k, row) {
		long long uid = json_integer_value(json_object_get(row, "user_id"));
		long long m = json_integer_value(json_object_get(row, "m")), v;
		json_t *u;

		if (m < 1 || m > 12 ||
		    crm_money_parse(json_string_value(json_object_get(row, "amount")), &v) != 0)
			continue;
		json_array_foreach(g->users, i, u)
			if (json_integer_value(json_object_get(u, "id")) == uid)
				g->cents[i][m - 1] = v;
	}
	return 200;
}

static const char *
cell_name(struct crm_ctx *c, long long uid, int m)
{
	return crm_arena_printf(c->arena, "q_%lld_%d", uid, m + 1);
}

/* The view: the grid with the saved amounts, or with what was typed when
 * a form comes back with errors. */
static int
grid_page(struct crm_ctx *c, int year, struct quota_grid *g, int typed)
{
	const char *base = sales_base_currency(c);
	json_t *errors = json_object_get(c->view, "errors"), *months = json_array(), *totals = json_array();
	long long month_total[12] = { 0 }, all = 0;
	char buf[CRM_DECIMAL_MAX];
	json_t *u;
	size_t i;
	int m;

	for (m = 0; m < 12; m++)
		json_array_append_new(months, json_pack("{s:s}", "month", sales_month_text(c, year * 12 + m)));
	json_array_foreach(g->users, i, u) {
		long long uid = json_integer_value(json_object_get(u, "id")), total = 0;
		json_t *cells = json_array();

		for (m = 0; m < 12; m++) {
			const char *name = cell_name(c, uid, m), *err;
			json_t *cell = json_pack("{s:s,s:s}", "name", name,
			    "month", sales_month_text(c, year * 12 + m));

			if (typed)
				json_object_set_new(cell, "amount", json_string(crm_ctx_form_str(c, name)));
			else
				json_object_set_new(cell, "amount", json_string(g->cents[i][m] < 0 ? "" :
				    crm_money_format(buf, g->cents[i][m])));
			if ((err = json_string_value(json_object_get(errors, name))) != NULL)
				json_object_set_new(cell, "error", json_string(err));
			if (g->cents[i][m] >= 0) {
				total += g->cents[i][m];
				month_total[m] += g->cents[i][m];
			}
			json_array_append_new(cells, cell);
		}
		all += total;
		json_object_set_new(u, "cells", cells);
		json_object_set_new(u, "total", json_string(crm_money_format(buf, total)));
		json_object_set_new(u, "total_text", json_string(sales_money(c, buf, base)));
	}
	for (m = 0; m < 12; m++) {
		crm_money_format(buf, month_total[m]);
		json_array_append_new(totals, json_pack("{s:s,s:s}", "total", buf,
		    "total_text", sales_money(c, buf, base)));
	}
	crm_money_format(buf, all);
	json_object_set_new(c->view, "year", json_integer(year));
	json_object_set_new(c->view, "prev_year", json_integer(year - 1));
	json_object_set_new(c->view, "next_year", json_integer(year + 1));
	json_object_set_new(c->view, "months", months);
	json_object_set_new(c->view, "users", g->users);
	json_object_set_new(c->view, "month_totals", totals);
	json_object_set_new(c->view, "total", json_string(buf));
	json_object_set_new(c->view, "total_text", json_string(sales_money(c, buf, base)));
	json_object_set_new(c->view, "base_currency", json_string(base));
	json_object_set_new(c->view, "can_edit_quotas",
	    json_boolean(crm_auth_can(c->user, "sales.quote.approve")));
	sales_nav(c, "quotas");
	sales_flash(c);
	return 200;
}

int
sales_quotas(struct crm_ctx *c)
{
	struct quota_grid g;
	int year, st;

	if (year_of(crm_ctx_query_str(c, "year"), &year) != 0)
		return crm_ctx_fail(c, 400, N_("Choose a year from 2000 to 2200."));
	memset(&g, 0, sizeof(g));
	if ((st = load_grid(c, year, &g)) != 200)
		return st;
	return grid_page(c, year, &g, 0);
}

struct quota_save {
	struct crm_ctx *c;
	int year;
	struct quota_grid *g;
	long long (*want)[12];  /* -1: no quota */
};

static json_t *
months_json(struct crm_ctx *c, int year, const long long *cents)
{
	char buf[CRM_DECIMAL_MAX];
	json_t *o = json_object();
	int m;

	for (m = 0; m < 12; m++)
		if (cents[m] >= 0)
			json_object_set_new(o, sales_month_text(c, year * 12 + m),
			    json_string(crm_money_format(buf, cents[m])));
	return o;
}

/* Writes the cells that changed, and one audit row per user whose
 * quotas did. */
static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct quota_save *s = arg;
	struct crm_db_bind b[3];
	char buf[CRM_DECIMAL_MAX];
	enum crm_err e;
	size_t i;
	int m;

	for (i = 0; i < s->g->n; i++) {
		long long uid = json_integer_value(json_object_get(json_array_get(s->g->users, i), "id"));
		int changed = 0;

		for (m = 0; m < 12; m++) {
			if (s->want[i][m] == s->g->cents[i][m])
				continue;
			changed = 1;
			crm_db_bind_i64(&b[0], uid);
			crm_db_bind_str(&b[1], sales_month_first(s->c, s->year * 12 + m), (size_t)-1);
			if (s->want[i][m] < 0)
				e = crm_db_exec(db, STMT_QUOTA_DROP, b, 2, NULL, NULL);
			else {
				crm_db_bind_str(&b[2], crm_money_format(buf, s->want[i][m]), (size_t)-1);
				e = crm_db_exec(db, STMT_QUOTA_PUT, b, 3, NULL, NULL);
			}
			if (e != CRM_OK)
				return e;
		}
		if (changed && (e = crm_ctx_audit(s->c, "update", "quota", uid,
		    months_json(s->c, s->year, s->g->cents[i]), months_json(s->c, s->year, s->want[i]))) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

/* Saves the grid of one year. Only cells of users in reach are read;
 * a cell left out of the form keeps its quota. */
int
sales_quotas_save(struct crm_ctx *c)
{
	struct quota_grid g;
	struct quota_save s;
	size_t i;
	int year, st, m;

	if (year_of(crm_ctx_form_str(c, "year"), &year) != 0)
		return crm_ctx_fail(c, 422, N_("Choose a year from 2000 to 2200."));
	memset(&g, 0, sizeof(g));
	if ((st = load_grid(c, year, &g)) != 200)
		return st;
	s.c = c;
	s.year = year;
	s.g = &g;
	s.want = crm_arena_alloc(c->arena, (g.n ? g.n : 1) * sizeof(*s.want));
	for (i = 0; i < g.n; i++) {
		long long uid = json_integer_value(json_object_get(json_array_get(g.users, i), "id"));

		for (m = 0; m < 12; m++) {
			const char *name = cell_name(c, uid, m), *v = crm_ctx_form(c, name);
			long long cents;

			s.want[i][m] = g.cents[i][m];
			if (v == NULL)
				continue;
			if (*v == '\0')
				s.want[i][m] = -1;
			else if (crm_money_parse(v, &cents) != 0 || cents < 0)
				crm_ctx_field_error(c, name, N_("Enter an amount such as 25000 or 12500.50."));
			else
				s.want[i][m] = cents;
		}
	}
	if (crm_ctx_has_errors(c)) {
		if ((st = grid_page(c, year, &g, 1)) != 200)
			return st;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, save_tx, &s) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/quotas?year=%d&done=quotas-saved", year));
}
