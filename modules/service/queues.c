/* GET /service: the agent's queues. Four tabs with their counts (one
 * statement: three kept counts, exact, and the due one bounded at 100, see
 * STMT_QUEUE_COUNTS) and the chosen queue's tickets, paged by keyset. */
#include <stdio.h>
#include <string.h>

#include "crm_num.h"
#include "crm_table.h"
#include "crm_valid.h"
#include "extern.h"

struct queue {
	const char *name, *label;
	size_t stmt;
	long long cap;          /* a count above it shows as "cap+"; 0: exact */
};

static const struct queue queues[] = {
	{ "mine", N_("My open tickets"), STMT_QUEUE_MINE, 0 },
	{ "unassigned", N_("Unassigned"), STMT_QUEUE_UNASSIGNED, 0 },
	{ "team", N_("My team's"), STMT_QUEUE_TEAM, 0 },
	{ "due", N_("Breaching soon"), STMT_QUEUE_DUE, 100 },
};

static json_t *
counts(struct crm_ctx *c)
{
	struct crm_db_bind b[12];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], c->user->user_id);
	crm_db_bind_i64(&b[1], c->user->team_id);
	service_bind_scope(c, b + 2);
	service_bind_scope(c, b + 7);
	if (crm_db_row(c->db, STMT_QUEUE_COUNTS, b, 12, &row) != CRM_OK)
		return NULL;
	return row;
}

/* A queue's tab: its name, label and count, "100+" past a cap. Built by
 * hand rather than with json_pack, which parses its format on every call:
 * that was 3% of the page. */
static json_t *
tab(struct crm_ctx *c, const struct queue *q, json_int_t count, int current)
{
	json_t *t = json_object();
	char text[32];
	size_t n = crm_num_i64(text, q->cap && count > q->cap ? q->cap : count);

	if (q->cap && count > q->cap)
		text[n++] = '+';
	json_object_set_new_nocheck(t, "name", json_string_nocheck(q->name));
	json_object_set_new_nocheck(t, "label", json_string(crm_ctx_text(c, q->label)));
	json_object_set_new_nocheck(t, "count", json_integer(count));
	json_object_set_new_nocheck(t, "count_text", json_stringn_nocheck(text, n));
	json_object_set_new_nocheck(t, "current", json_boolean(current));
	return t;
}

/* The list's binds: the queue's own, the scope where it applies, then
 * the keyset. */
static size_t
binds(struct crm_ctx *c, const struct queue *q, struct crm_db_bind *b, long long after_id, const char *after_due)
{
	size_t n = 0;

	if (q->stmt == STMT_QUEUE_MINE)
		crm_db_bind_i64(&b[n++], c->user->user_id);
	if (q->stmt == STMT_QUEUE_TEAM)
		crm_db_bind_i64(&b[n++], c->user->team_id);
	if (q->stmt == STMT_QUEUE_TEAM || q->stmt == STMT_QUEUE_DUE) {
		service_bind_scope(c, b + n);
		n += 5;
	}
	if (q->stmt == STMT_QUEUE_DUE) {
		crm_db_bind_str(&b[n++], after_due, (size_t)-1);
		crm_db_bind_str(&b[n++], after_due, (size_t)-1);
	} else {
		crm_db_bind_i64(&b[n++], after_id);
	}
	crm_db_bind_i64(&b[n++], after_id);
	return n;
}

/* The next page's link from the 50th row: its id, and for the due queue
 * its due time too. */
static const char *
next_link(struct crm_ctx *c, const struct queue *q, json_t *rows)
{
	char id[24];

	if (crm_table_size(rows) <= 50)
		return NULL;
	json_array_remove(crm_table_rows(rows), 50);
	snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(crm_table_get(rows, 49, "id")));
	if (q->stmt == STMT_QUEUE_DUE)
		return crm_ctx_url(c, "/service", "queue", q->name, "after_due",
		    json_string_value(crm_table_get(rows, 49, "resolution_due")), "after", id, NULL);
	return crm_ctx_url(c, "/service", "queue", q->name, "after", id, NULL);
}

int
service_queues(struct crm_ctx *c)
{
	const char *name = crm_ctx_query_str(c, "queue"), *after = crm_ctx_query_str(c, "after");
	const char *after_due = crm_ctx_query_str(c, "after_due"), *next = NULL;
	const struct queue *q = &queues[0];
	struct crm_db_bind b[10];
	json_t *count, *tabs = json_array(), *rows = NULL;
	long long after_id = 0;
	size_t i, n;

	for (i = 0; i < CRM_NELEM(queues); i++)
		if (strcmp(name, queues[i].name) == 0)
			q = &queues[i];
	if (*name != '\0' && strcmp(name, q->name) != 0)
		return crm_ctx_fail(c, 400, N_("There is no such queue."));
	if ((*after != '\0' && !crm_valid_id(after, &after_id)) ||
	    (*after_due != '\0' && (!crm_valid_datetime(after_due) || after_id == 0)))
		return crm_ctx_fail(c, 400, N_("That page link is not valid."));
	if ((count = counts(c)) == NULL)
		return 500;
	for (i = 0; i < CRM_NELEM(queues); i++)
		json_array_append_new(tabs, tab(c, &queues[i],
		    json_integer_value(json_object_get(count, queues[i].name)), &queues[i] == q));
	/* No team: nothing is the team's, and no query need say so. */
	if (q->stmt == STMT_QUEUE_TEAM && c->user->team_id == 0) {
		rows = json_array();
	} else {
		n = binds(c, q, b, after_id, after_due);
		if (crm_db_table(c->db, q->stmt, b, n, &rows) != CRM_OK)
			return 500;
		next = next_link(c, q, rows);
		crm_ctx_localise_dates_as(c, rows, "resolution_due", "due");
		crm_ctx_localise_dates(c, rows, "created_at");
	}
	json_object_set_new(c->view, "tabs", tabs);
	json_object_set_new(c->view, "counts", count);
	json_object_set_new(c->view, "queue", json_string(q->name));
	json_object_set_new(c->view, "queue_label", json_string(crm_ctx_text(c, q->label)));
	json_object_set_new(c->view, "tickets", rows);
	json_object_set_new(c->view, "empty", json_boolean(!crm_table_is(rows) || crm_table_size(rows) == 0));
	if (next != NULL)
		json_object_set_new(c->view, "next_page", json_string(next));
	service_nav(c, "queues");
	service_flash(c);
	return 200;
}
