/* GET /reports: the dashboard for the reader's role. Every figure comes
 * from totals the database keeps as records change, so a dashboard costs
 * a handful of small index reads whatever the number of records. */
#include <stdlib.h>
#include <string.h>

#include "crm_auth.h"
#include "crm_chart.h"
#include "crm_i18n.h"
#include "extern.h"

/* Pipeline by stage: the open stages of the default pipeline with the
 * count and value of the deals the reader may see. */
static int
pipeline_chart(struct crm_ctx *c, json_t *charts)
{
	struct crm_db_bind b[5];
	json_t *rows = NULL, *row;
	struct crm_chart_series s;
	struct crm_chart ch;
	const char **labels;
	double *amount;
	size_t i, n;

	crm_auth_bind_scope(c->user, b);
	if (crm_db_rows(c->db, STMT_DASH_PIPELINE, b, 5, &rows) != CRM_OK)
		return -1;
	n = json_array_size(rows);
	labels = crm_arena_alloc(c->arena, (n + 1) * sizeof(*labels));
	amount = crm_arena_alloc(c->arena, (n + 1) * sizeof(*amount));
	json_array_foreach(rows, i, row) {
		labels[i] = json_string_value(json_object_get(row, "name"));
		amount[i] = strtod(json_string_value(json_object_get(row, "amount")), NULL);
	}
	s = (struct crm_chart_series){ crm_ctx_text(c, N_("Deal value")), amount, NULL, 0 };
	ch = (struct crm_chart){ .kind = CRM_CHART_FUNNEL, .id = "chart-pipeline",
	    .title = crm_ctx_text(c, N_("Pipeline by stage")), .labels = labels, .nlabels = n,
	    .series = &s, .nseries = 1, .label_title = crm_ctx_text(c, N_("Stage")),
	    .format = reports_format_money };
	json_array_append_new(charts, crm_chart_view(c->arena, &ch));
	return 0;
}

int
reports_home(struct crm_ctx *c)
{
	json_t *charts = json_array();

	if (pipeline_chart(c, charts) != 0)
		return 500;
	json_object_set_new(c->view, "charts", charts);
	reports_nav(c, "dashboard");
	reports_flash(c);
	return 200;
}
