/* GET /reports/sentiment: what the sentiment step found in customers'
 * ticket messages and satisfaction comments (lib/crm_analytics_sentiment.c):
 * the share of each label by month, each agent's (the ticket owner's)
 * monthly mean, one customer's trend (?account_id=), the latest scored
 * texts with a form to label each for training, and the model's figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm_auth.h"
#include "crm_chart.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

#define AGENT_MONTHS 6

static const char *const label_names[] = { "negative", "neutral", "positive", NULL };
static const char *const label_words[] = { N_("Negative"), N_("Neutral"), N_("Positive") };

static const char *
label_word(struct crm_ctx *c, const char *label)
{
	size_t i;

	for (i = 0; label_names[i] != NULL; i++)
		if (label != NULL && strcmp(label, label_names[i]) == 0)
			return crm_ctx_text(c, label_words[i]);
	return "";
}

json_t *
reports_sentiment_label_options(struct crm_ctx *c, const char *selected)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; label_names[i] != NULL; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", label_names[i],
		    "label", crm_ctx_text(c, label_words[i]), "selected", selected != NULL && strcmp(selected, label_names[i]) == 0));
	return list;
}

static const char *
percent(void *arg, struct crm_arena *a, double v)
{
	char buf[40];

	(void)arg;
	return crm_arena_printf(a, "%s%%", crm_chart_number(buf, v, 0));
}

/* A mean sentiment, -1 to 1, signed: "+0.42". */
static const char *
signed_score(void *arg, struct crm_arena *a, double v)
{
	char buf[40];

	(void)arg;
	return crm_arena_printf(a, "%s%s", v > 0.005 ? "+" : "", crm_chart_number(buf, v, 2));
}

static double
real_of(json_t *v)
{
	return json_is_string(v) ? strtod(json_string_value(v), NULL) : json_is_real(v) ? json_real_value(v) :
	    (double)json_integer_value(v);
}

/* The share of each label by month, as a stacked chart of percentages. */
static json_t *
months_chart(struct crm_ctx *c, json_t *rows, const char *id, const char *title)
{
	struct crm_chart_series s[3];
	struct crm_chart ch;
	const char **labels;
	double *v[3], texts;
	json_t *row;
	size_t i, n = json_array_size(rows), j;

	labels = crm_arena_alloc(c->arena, (n + 1) * sizeof(*labels));
	for (j = 0; j < 3; j++)
		v[j] = crm_arena_alloc(c->arena, (n + 1) * sizeof(double));
	json_array_foreach(rows, i, row) {
		labels[i] = json_string_value(json_object_get(row, "month"));
		texts = (double)json_integer_value(json_object_get(row, "texts"));
		for (j = 0; j < 3; j++)
			v[j][i] = texts > 0 ? 100.0 * real_of(json_object_get(row, label_names[j])) / texts : 0.0;
	}
	for (j = 0; j < 3; j++)
		s[j] = (struct crm_chart_series){ crm_ctx_text(c, label_words[j]), v[j], NULL, 0 };
	ch = (struct crm_chart){ .kind = CRM_CHART_STACKED, .id = id, .title = title, .labels = labels,
	    .nlabels = n, .series = s, .nseries = 3, .label_title = crm_ctx_text(c, N_("Month")), .format = percent };
	return crm_chart_view(c->arena, &ch);
}

/* Agents by name, one cell per month of the last AGENT_MONTHS. */
static json_t *
agents_view(struct crm_ctx *c, json_t *rows, json_t **months_out)
{
	char months[AGENT_MONTHS][16];
	json_t *agents = json_array(), *agent = NULL, *cells = NULL, *row, *months_json = json_array();
	long long current = -1, id;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int k, y, m;

	gmtime_r(&now, &tm);
	for (k = 0; k < AGENT_MONTHS; k++) {
		m = tm.tm_mon - (AGENT_MONTHS - 1 - k);
		y = tm.tm_year + 1900 + (m < 0 ? -1 : 0);
		snprintf(months[k], sizeof(months[k]), "%04d-%02d", y % 10000, (m + 12) % 12 + 1);
		json_array_append_new(months_json, json_string(months[k]));
	}
	json_array_foreach(rows, i, row) {
		id = json_integer_value(json_object_get(row, "agent_id"));
		if (id != current) {
			current = id;
			cells = json_array();
			for (k = 0; k < AGENT_MONTHS; k++)
				json_array_append_new(cells, json_pack("{s:s, s:s, s:I}", "month", months[k], "score", "", "texts",
				    (json_int_t)0));
			agent = json_pack("{s:I, s:s, s:o, s:I}", "agent_id", (json_int_t)id, "name",
			    json_string_value(json_object_get(row, "name")), "months", cells, "texts", (json_int_t)0);
			json_array_append_new(agents, agent);
		}
		for (k = 0; k < AGENT_MONTHS; k++)
			if (strcmp(months[k], json_string_value(json_object_get(row, "month"))) == 0) {
				json_t *cell = json_array_get(cells, (size_t)k);

				json_object_set_new(cell, "score", json_string(signed_score(NULL, c->arena,
				    real_of(json_object_get(row, "sentiment")))));
				json_object_set(cell, "texts", json_object_get(row, "texts"));
			}
		json_object_set_new(agent, "texts", json_integer(json_integer_value(json_object_get(agent, "texts")) +
		    json_integer_value(json_object_get(row, "texts"))));
	}
	*months_out = months_json;
	return agents;
}

static void
texts_view(struct crm_ctx *c, json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *label = json_string_value(json_object_get(row, "label"));
		const char *labelled = json_string_value(json_object_get(row, "labelled"));

		json_object_set_new(row, "label_text", json_string(label_word(c, label)));
		json_object_set_new(row, "labelled_text", json_string(labelled != NULL ? label_word(c, labelled) : ""));
		json_object_set_new(row, "is_csat", json_boolean(strcmp(json_string_value(json_object_get(row, "source")),
		    "csat") == 0));
		json_object_set_new(row, "options", reports_sentiment_label_options(c, labelled != NULL ? labelled : label));
	}
}

/* ?account_id=: that customer's trend and texts; 422 when the number is
 * not one of a customer the reader may see. 1 when shown, 0 when not
 * asked, -1 on a database error. */
static int
account_view(struct crm_ctx *c, json_t **texts)
{
	const char *q = crm_ctx_query(c, "account_id");
	struct crm_db_bind b[6];
	json_t *account = NULL, *trend = NULL, *row;
	long long id;
	size_t i;
	enum crm_err e;

	if (q == NULL || *q == '\0')
		return 0;
	json_object_set_new(c->view, "account_id", json_string(q));
	if (!crm_valid_id(q, &id)) {
		crm_ctx_field_error(c, "account_id", N_("Enter a customer number."));
		return 0;
	}
	crm_db_bind_i64(&b[0], id);
	crm_auth_bind_scope(c->user, b + 1);
	if ((e = crm_db_row(c->db, STMT_SENT_ACCOUNT, b, 6, &account)) == CRM_ENOTFOUND) {
		crm_ctx_field_error(c, "account_id", N_("There is no customer with that number that you may see."));
		return 0;
	}
	if (e != CRM_OK || crm_db_rows(c->db, STMT_SENT_ACCOUNT_TREND, b, 1, &trend) != CRM_OK ||
	    crm_db_rows(c->db, STMT_SENT_RECENT_ACCOUNT, b, 1, texts) != CRM_OK)
		return -1;
	json_array_foreach(trend, i, row)
		json_object_set_new(row, "score", json_string(signed_score(NULL, c->arena, real_of(json_object_get(row, "sentiment")))));
	if (!json_is_null(json_object_get(account, "sentiment")))
		json_object_set_new(account, "score", json_string(signed_score(NULL, c->arena,
		    real_of(json_object_get(account, "sentiment")))));
	json_object_set_new(account, "trend", trend);
	json_object_set_new(account, "chart", json_array_size(trend) > 0 ? months_chart(c, trend, "chart-sentiment-account",
	    crm_ctx_text(c, N_("This customer's texts by label and month"))) : json_null());
	json_object_set_new(c->view, "account", account);
	return 1;
}

static json_t *
model_view(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	json_t *row = NULL, *m;
	enum crm_err e;

	crm_db_bind_str(&b[0], "sentiment", (size_t)-1);
	if ((e = crm_db_row(c->db, STMT_MODEL_GET, b, 1, &row)) == CRM_ENOTFOUND)
		return json_null();
	if (e != CRM_OK || (m = json_loads(json_string_value(json_object_get(row, "metrics")), 0, NULL)) == NULL)
		return NULL;
	json_object_set_new(m, "trained_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(row, "trained_at")), 1)));
	json_object_set_new(m, "accuracy", json_string(crm_arena_printf(c->arena, "%.1f%%",
	    100.0 * real_of(json_object_get(m, "heldout_accuracy")))));
	return m;
}

int
reports_sentiment(struct crm_ctx *c)
{
	struct crm_db_bind b[5];
	json_t *months = NULL, *agents = NULL, *texts = NULL, *model, *agent_months = NULL;
	int shown;

	if ((shown = account_view(c, &texts)) < 0)
		return 500;
	if (shown == 0) {
		crm_auth_bind_scope(c->user, b);
		if (crm_db_rows(c->db, STMT_SENT_RECENT, b, 5, &texts) != CRM_OK)
			return 500;
	}
	if (crm_db_rows(c->db, STMT_SENT_MONTHS, NULL, 0, &months) != CRM_OK ||
	    crm_db_rows(c->db, STMT_SENT_AGENTS, NULL, 0, &agents) != CRM_OK || (model = model_view(c)) == NULL)
		return 500;
	texts_view(c, texts);
	json_object_set_new(c->view, "months", months);
	json_object_set_new(c->view, "chart", json_array_size(months) > 0 ? months_chart(c, months, "chart-sentiment",
	    crm_ctx_text(c, N_("Share of negative, neutral and positive texts by month"))) : json_null());
	json_object_set_new(c->view, "agents", agents_view(c, agents, &agent_months));
	json_object_set_new(c->view, "agent_months", agent_months);
	json_object_set_new(c->view, "texts", texts);
	json_object_set_new(c->view, "model", model);
	reports_nav(c, "sentiment");
	reports_flash(c);
	return crm_ctx_has_errors(c) ? crm_ctx_status(c, 422) : 200;
}
