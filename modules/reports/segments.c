/* The customer segments of the k-means step: each segment's size, its
 * typical customer and traits, the inertia curve that chose k, a scatter
 * of a sample of each; and a segment's customers, within the reader's
 * scope. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_chart.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

#define KMAX 8

static const struct {
	const char *key, *text;
} trait_words[] = {
	{ "recent", N_("recent") }, { "lapsed", N_("lapsed") },
	{ "frequent", N_("frequent") }, { "occasional", N_("occasional") },
	{ "high_value", N_("high spending") }, { "low_value", N_("low spending") },
	{ "many_tickets", N_("many tickets") }, { "few_tickets", N_("few tickets") },
};

const char *
reports_segment_traits(struct crm_ctx *c, const char *traits)
{
	char *out = crm_arena_alloc(c->arena, 512), key[32];
	const char *p, *comma, *word;
	size_t used = 0, len, i;

	out[0] = '\0';
	for (p = traits != NULL ? traits : ""; *p != '\0'; p = *comma == ',' ? comma + 1 : comma) {
		if ((comma = strchr(p, ',')) == NULL)
			comma = p + strlen(p);
		len = (size_t)(comma - p) < sizeof(key) ? (size_t)(comma - p) : sizeof(key) - 1;
		memcpy(key, p, len);
		key[len] = '\0';
		for (i = 0, word = NULL; i < CRM_NELEM(trait_words); i++)
			if (strcmp(trait_words[i].key, key) == 0)
				word = crm_ctx_text(c, trait_words[i].text);
		if (word != NULL && used + strlen(word) + 3 < 512)
			used += (size_t)snprintf(out + used, 512 - used, "%s%s", used > 0 ? ", " : "", word);
	}
	if (used == 0)
		return crm_ctx_text(c, N_("close to the average customer"));
	return out;
}

static void
add_curve(struct crm_ctx *c, json_t *charts, json_t *model)
{
	json_t *metrics = json_loads(json_string_value(json_object_get(model, "metrics")), 0, NULL);
	json_t *curve = json_object_get(metrics, "inertia_curve"), *v;
	struct crm_chart_series s;
	struct crm_chart ch;
	const char **labels;
	double *inertia;
	size_t i, n = json_array_size(curve);

	if (n == 0)
		return;
	labels = crm_arena_alloc(c->arena, n * sizeof(*labels));
	inertia = crm_arena_alloc(c->arena, n * sizeof(*inertia));
	json_array_foreach(curve, i, v) {
		labels[i] = crm_arena_printf(c->arena, "%zu", i + 1);
		inertia[i] = json_number_value(v);
	}
	s = (struct crm_chart_series){ crm_ctx_text(c, N_("Inertia")), inertia, NULL, 0 };
	ch = (struct crm_chart){ .kind = CRM_CHART_LINE, .id = "chart-inertia",
	    .title = crm_ctx_text(c, N_("Inertia by number of segments (the elbow chooses k)")),
	    .labels = labels, .nlabels = n, .series = &s, .nseries = 1,
	    .label_title = crm_ctx_text(c, N_("Segments (k)")), .format = reports_format_count };
	json_array_append_new(charts, crm_chart_view(c->arena, &ch));
	json_object_set(c->view, "k", json_object_get(metrics, "k"));
}

/* Recency against revenue (log-free: the table beside it has the
 * figures), one series per segment. */
static int
add_scatter(struct crm_ctx *c, json_t *charts, size_t k)
{
	struct crm_chart_series *series;
	json_t *rows = NULL, *row;
	double *x[KMAX], *y[KMAX];
	size_t n[KMAX] = { 0 }, i, seg;
	struct crm_chart ch;

	if (k == 0 || crm_db_rows(c->db, STMT_SEGMENT_SAMPLE, NULL, 0, &rows) != CRM_OK)
		return k == 0 ? 0 : -1;
	series = crm_arena_alloc(c->arena, k * sizeof(*series));
	for (seg = 0; seg < k; seg++) {
		x[seg] = crm_arena_alloc(c->arena, (json_array_size(rows) + 1) * sizeof(double));
		y[seg] = crm_arena_alloc(c->arena, (json_array_size(rows) + 1) * sizeof(double));
	}
	json_array_foreach(rows, i, row) {
		seg = (size_t)json_integer_value(json_object_get(row, "segment")) - 1;
		if (seg >= k)
			continue;
		x[seg][n[seg]] = (double)json_integer_value(json_object_get(row, "recency_days"));
		y[seg][n[seg]++] = strtod(json_string_value(json_object_get(row, "revenue")), NULL);
	}
	for (seg = 0; seg < k; seg++)
		series[seg] = (struct crm_chart_series){ crm_arena_printf(c->arena, "%s %zu",
		    crm_ctx_text(c, N_("Segment")), seg + 1), y[seg], x[seg], n[seg] };
	ch = (struct crm_chart){ .kind = CRM_CHART_SCATTER, .id = "chart-segments",
	    .title = crm_ctx_text(c, N_("Customers by days since their last order and revenue")),
	    .series = series, .nseries = k, .x_title = crm_ctx_text(c, N_("Days since the last order")),
	    .y_title = crm_ctx_text(c, N_("Revenue")), .format = reports_format_money,
	    .x_format = reports_format_count };
	json_array_append_new(charts, crm_chart_view(c->arena, &ch));
	return 0;
}

int
reports_segments(struct crm_ctx *c)
{
	json_t *segments = NULL, *model = NULL, *charts = json_array(), *seg;
	enum crm_err e;
	size_t i;

	if (crm_db_rows(c->db, STMT_SEGMENTS, NULL, 0, &segments) != CRM_OK)
		return 500;
	if ((e = crm_db_row(c->db, STMT_SEGMENT_MODEL, NULL, 0, &model)) != CRM_OK && e != CRM_ENOTFOUND)
		return 500;
	json_array_foreach(segments, i, seg) {
		json_object_set_new(seg, "traits_text", json_string(reports_segment_traits(c,
		    json_string_value(json_object_get(seg, "traits")))));
		json_object_set_new(seg, "recency_days", json_integer(lround(json_number_value(json_object_get(seg, "recency_days")))));
		json_object_set_new(seg, "orders", json_string(crm_arena_printf(c->arena, "%.1f",
		    json_number_value(json_object_get(seg, "orders")))));
		json_object_set_new(seg, "revenue", json_string(reports_format_money(NULL, c->arena,
		    json_number_value(json_object_get(seg, "revenue")))));
		json_object_set_new(seg, "tickets", json_string(crm_arena_printf(c->arena, "%.1f",
		    json_number_value(json_object_get(seg, "tickets")))));
	}
	if (model != NULL) {
		add_curve(c, charts, model);
		crm_ctx_localise_dates(c, json_pack("[O]", model), "trained_at");
		json_object_del(model, "metrics");
		json_object_set_new(c->view, "model", model);
	}
	if (add_scatter(c, charts, json_array_size(segments)) != 0)
		return 500;
	json_object_set_new(c->view, "segments", segments);
	json_object_set_new(c->view, "charts", charts);
	reports_nav(c, "segments");
	return 200;
}

int
reports_segment_show(struct crm_ctx *c)
{
	long long n = crm_ctx_id(c, "id"), after_id = 0;
	json_t *segments = NULL, *segment = NULL, *rows = NULL, *seg;
	struct crm_db_bind b[7];
	size_t i;

	if (n <= 0 || n > KMAX)
		return 404;
	if (!crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if (crm_db_rows(c->db, STMT_SEGMENTS, NULL, 0, &segments) != CRM_OK)
		return 500;
	json_array_foreach(segments, i, seg)
		if (json_integer_value(json_object_get(seg, "segment")) == n)
			segment = seg;
	if (segment == NULL)
		return 404;
	json_object_set_new(segment, "traits_text", json_string(reports_segment_traits(c,
	    json_string_value(json_object_get(segment, "traits")))));
	crm_db_bind_i64(&b[0], n);
	crm_db_bind_i64(&b[1], after_id);
	crm_auth_bind_scope(c->user, b + 2);
	if (crm_db_rows(c->db, STMT_SEGMENT_MEMBERS, b, 7, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, crm_arena_printf(c->arena, "/reports/segments/%lld", n), NULL, NULL);
	json_object_set(c->view, "segment", segment);
	json_object_set_new(c->view, "customers", rows);
	reports_nav(c, "segments");
	return 200;
}
