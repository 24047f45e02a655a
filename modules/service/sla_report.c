/* The breach report: tickets created in a date range (the reader's local
 * dates) that missed a target, counted by agent and by category, and the
 * list newest first, paged by (created_at, id). Within the reader's scope. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm_bizhours.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

#define RANGE_DAYS 30

/* A local date as the UTC instant its day starts. */
static int
day_start(struct crm_ctx *c, int32_t day, char out[20])
{
	char local[20];

	crm_biz_format_utc((int64_t)day * 86400, local);
	local[10] = 'T';
	local[16] = '\0';
	return crm_i18n_local_to_utc(local, c->user && c->user->time_zone ? c->user->time_zone : "UTC", out);
}

static const char *
date_text(struct crm_ctx *c, int32_t day)
{
	char d[20];

	crm_biz_format_utc((int64_t)day * 86400, d);
	return crm_arena_strndup(c->arena, d, 10);
}

static void
bind_range(struct crm_ctx *c, struct crm_db_bind *b, const char *from, const char *to)
{
	crm_db_bind_str(&b[0], from, (size_t)-1);
	crm_db_bind_str(&b[1], to, (size_t)-1);
	service_bind_scope(c, &b[2]);
}

int
service_sla_breach_report(struct crm_ctx *c)
{
	struct crm_db_bind b[11];
	json_t *agents = NULL, *cats = NULL, *rows = NULL;
	const char *after = crm_ctx_query_str(c, "after"), *comma;
	char from_utc[20], to_utc[20], after_at[20] = "";
	int32_t from, to, today = (int32_t)((int64_t)time(NULL) / 86400);
	long long after_id = 0;

	if (*crm_ctx_query_str(c, "to") == '\0')
		to = today;
	else if (!crm_biz_date(crm_ctx_query_str(c, "to"), &to) || strlen(crm_ctx_query_str(c, "to")) != 10) {
		crm_ctx_field_error(c, "to", N_("Enter a date as YYYY-MM-DD."));
		to = today;
	}
	if (*crm_ctx_query_str(c, "from") == '\0')
		from = to - RANGE_DAYS;
	else if (!crm_biz_date(crm_ctx_query_str(c, "from"), &from) || strlen(crm_ctx_query_str(c, "from")) != 10) {
		crm_ctx_field_error(c, "from", N_("Enter a date as YYYY-MM-DD."));
		from = to - RANGE_DAYS;
	}
	if (from > to)
		crm_ctx_field_error(c, "from", N_("The start date must not be after the end date."));
	/* after=<created_at>,<id> from the previous page. */
	if (*after != '\0') {
		int64_t t;

		if ((comma = strchr(after, ',')) == NULL || comma - after != 19 ||
		    sscanf(comma + 1, "%lld", &after_id) != 1 || after_id <= 0)
			return crm_ctx_fail(c, 400, N_("The page link is not valid."));
		memcpy(after_at, after, 19);
		after_at[19] = '\0';
		if (!crm_biz_parse_utc(after_at, &t))
			return crm_ctx_fail(c, 400, N_("The page link is not valid."));
	}
	json_object_set_new(c->view, "from", json_string(date_text(c, from)));
	json_object_set_new(c->view, "to", json_string(date_text(c, to)));
	service_nav(c, "sla_breaches");
	if (crm_ctx_has_errors(c)) {
		json_object_set_new(c->view, "from", json_string(crm_ctx_query_str(c, "from")));
		json_object_set_new(c->view, "to", json_string(crm_ctx_query_str(c, "to")));
		return crm_ctx_status(c, 422);
	}
	if (!day_start(c, from, from_utc) || !day_start(c, to + 1, to_utc))
		return 500;
	bind_range(c, b, from_utc, to_utc);
	if (crm_db_rows(c->db, STMT_SLA_BREACHES_BY_AGENT, b, 7, &agents) != CRM_OK ||
	    crm_db_rows(c->db, STMT_SLA_BREACHES_BY_CATEGORY, b, 7, &cats) != CRM_OK)
		return 500;
	crm_db_bind_str(&b[7], after_at, (size_t)-1);
	crm_db_bind_str(&b[8], after_at, (size_t)-1);
	crm_db_bind_str(&b[9], after_at, (size_t)-1);
	crm_db_bind_i64(&b[10], after_id);
	if (crm_db_rows(c->db, STMT_SLA_BREACHES, b, 11, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		json_t *last = json_array_get(rows, 49);

		json_object_set_new(c->view, "next_url", json_string(crm_ctx_url(c, "/service/sla/breaches",
		    "from", date_text(c, from), "to", date_text(c, to),
		    "after", json_string_value(json_object_get(last, "page_key")), NULL)));
		json_array_remove(rows, 50);
	}
	crm_ctx_localise_dates(c, rows, "created_at");
	json_object_set_new(c->view, "by_agent", agents);
	json_object_set_new(c->view, "by_category", cats);
	json_object_set_new(c->view, "tickets", rows);
	return 200;
}
