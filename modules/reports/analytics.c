/* The analytics page: what each step computes and when it last ran, the
 * models' figures, the latest runs, and a form that queues a run for the
 * reports job runner (crm-reports jobs); a run's own page follows its
 * progress. */
#include <stdio.h>
#include <string.h>

#include "crm_analytics.h"
#include "crm_audit.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

/* A run's view: its steps as a list and percent for the progress bar. */
static void
run_view(struct crm_ctx *c, json_t *run)
{
	long long total = json_integer_value(json_object_get(run, "steps_total"));
	long long done = json_integer_value(json_object_get(run, "steps_done"));
	const char *status = json_string_value(json_object_get(run, "status"));
	const char *summary = json_string_value(json_object_get(run, "summary"));
	json_t *lines = json_array();
	const char *p, *nl;

	json_object_set_new(run, "percent", json_integer(total > 0 ? done * 100 / total : 0));
	json_object_set_new(run, crm_arena_printf(c->arena, "is_%s", status != NULL ? status : "queued"), json_true());
	json_object_set_new(run, "active", json_boolean(status != NULL &&
	    (strcmp(status, "queued") == 0 || strcmp(status, "running") == 0)));
	for (p = summary != NULL ? summary : ""; *p != '\0'; p = *nl == '\n' ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (nl > p)
			json_array_append_new(lines, json_stringn(p, (size_t)(nl - p)));
	}
	json_object_set_new(run, "lines", lines);
}

static json_t *
steps_view(struct crm_ctx *c)
{
	json_t *steps = json_array(), *s;
	size_t i;

	for (i = 0; i < crm_analytics_nsteps; i++) {
		s = json_object();
		json_object_set_new(s, "name", json_string(crm_analytics_steps[i].name));
		json_object_set_new(s, "what", json_string(crm_ctx_text(c, crm_analytics_steps[i].what)));
		json_array_append_new(steps, s);
	}
	return steps;
}

int
reports_analytics(struct crm_ctx *c)
{
	json_t *runs = NULL, *models = NULL, *run;
	size_t i;

	if (crm_db_rows(c->db, STMT_RUNS_LATEST, NULL, 0, &runs) != CRM_OK ||
	    crm_db_rows(c->db, STMT_MODELS, NULL, 0, &models) != CRM_OK)
		return 500;
	json_array_foreach(runs, i, run)
		run_view(c, run);
	crm_ctx_localise_dates(c, runs, "requested_at");
	crm_ctx_localise_dates(c, runs, "finished_at");
	crm_ctx_localise_dates(c, models, "trained_at");
	json_object_set_new(c->view, "runs", runs);
	json_object_set_new(c->view, "models", models);
	json_object_set_new(c->view, "steps", steps_view(c));
	reports_nav(c, "analytics");
	reports_flash(c);
	return 200;
}

struct queue {
	struct crm_ctx *c;
	const char *steps;
	long long run_id;
};

static enum crm_err
queue_tx(struct crm_db *db, void *arg)
{
	struct queue *q = arg;
	json_t *after;
	enum crm_err e;

	if ((e = crm_analytics_queue(db, q->steps, q->c->user->user_id, &q->run_id)) != CRM_OK)
		return e;
	after = json_pack("{s:s}", "steps", q->steps);
	return crm_ctx_audit(q->c, "queue", "analytics_run", q->run_id, NULL, after);
}

/* POST /reports/analytics/runs: step=<name> for each step wanted (none:
 * all of them). A run already waiting or running is not queued twice:
 * the answer is that run's page. */
int
reports_analytics_run_start(struct crm_ctx *c)
{
	struct queue q = { c, NULL, 0 };
	char steps[200];
	size_t i, used = 0, len;
	json_t *active = NULL;
	enum crm_err e;

	for (i = 0; i < c->form.n; i++) {
		if (strcmp(c->form.v[i].name.data, "step") != 0)
			continue;
		len = c->form.v[i].value.len;
		if (crm_analytics_step(c->form.v[i].value.data) == NULL || used + len + 2 > sizeof(steps)) {
			crm_ctx_field_error(c, "step", N_("Choose steps from the list."));
			crm_ctx_status(c, 422);
			return reports_analytics(c) == 200 ? 422 : 500;
		}
		if (used > 0)
			steps[used++] = ',';
		memcpy(steps + used, c->form.v[i].value.data, len + 1);
		used += len;
	}
	q.steps = used > 0 ? steps : "all";
	if ((e = crm_db_row(c->db, STMT_RUN_ACTIVE, NULL, 0, &active)) == CRM_OK)
		return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/reports/analytics/runs/%lld",
		    (long long)json_integer_value(json_object_get(active, "id"))));
	if (e != CRM_ENOTFOUND || crm_db_tx(c->db, queue_tx, &q) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/reports/analytics/runs/%lld?done=queued", q.run_id));
}

int
reports_analytics_run_show(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	long long id = crm_ctx_id(c, "id");
	json_t *run = NULL;
	enum crm_err e;

	if (id <= 0)
		return 404;
	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_row(c->db, STMT_RUN_GET, b, 1, &run)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	run_view(c, run);
	json_object_set_new(run, "requested_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(run, "requested_at")), 1)));
	json_object_set_new(run, "started_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(run, "started_at")), 1)));
	json_object_set_new(run, "finished_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(run, "finished_at")), 1)));
	json_object_set_new(c->view, "run", run);
	/* While it runs the page reloads itself: no script needed. */
	if (json_is_true(json_object_get(run, "active")) && !c->api)
		crm_ctx_header(c, "Refresh", "2");
	reports_nav(c, "analytics");
	reports_flash(c);
	return 200;
}
