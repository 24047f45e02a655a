/* Running a segment: its conditions compiled by lib/crm_segment.c, put
 * between a statement head and tail of stmts.c, and run as an ad-hoc
 * prepared statement (crm_db_*_sql) with every value bound.
 *
 * What a page may cost is bounded, since at a million contacts a
 * condition the indexes cannot narrow (a spend over a year of orders)
 * is a probe per contact: the count stops at SEGMENT_COUNT_CAP + 1
 * members ("100,000+") and each statement carries a max_statement_time
 * (5 s for the count and the sample, 30 s for freezing at most
 * SEGMENT_COUNT_CAP members), after which the server stops it and the
 * page says the count took too long rather than hanging. */
#include <string.h>

#include "crm_segment.h"
#include "segment.h"

/* MariaDB's "max_statement_time exceeded". */
#define ER_STATEMENT_TIMEOUT 1969

json_t *
segment_custom_fields(struct crm_ctx *c)
{
	json_t *rows = NULL;

	if (crm_db_rows(c->db, STMT_SEGMENT_CUSTOM_FIELDS, NULL, 0, &rows) != CRM_OK)
		return NULL;
	return rows;
}

enum crm_err
segment_compile(struct crm_ctx *c, json_t *def, struct crm_segment_sql *q, struct crm_segment_error *err)
{
	struct crm_segment_custom *cf;
	json_t *rows = segment_custom_fields(c), *row;
	size_t i;

	memset(err, 0, sizeof(*err));
	if (rows == NULL)
		return CRM_EDB;
	cf = crm_arena_calloc(c->arena, json_array_size(rows) + 1, sizeof(*cf));
	json_array_foreach(rows, i, row) {
		cf[i].id = json_integer_value(json_object_get(row, "id"));
		cf[i].entity = crm_arena_strdup(c->arena, json_string_value(json_object_get(row, "entity")));
		cf[i].type = crm_arena_strdup(c->arena, json_string_value(json_object_get(row, "type")));
	}
	return crm_segment_compile(c->arena, def, cf, json_array_size(rows), q, err);
}

static const char *
text_of(struct crm_ctx *c, enum segment_sql k, const struct crm_segment_sql *q)
{
	return crm_arena_printf(c->arena, "%s%s%s", marketing_segment_sql[k][0], q->where, marketing_segment_sql[k][1]);
}

/* The head's binds, the scope's 5, then the conditions'. */
static struct crm_db_bind *
binds_of(struct crm_ctx *c, const struct crm_db_bind *head, size_t nhead, const struct crm_segment_sql *q,
    size_t *n)
{
	struct crm_db_bind *b = crm_arena_calloc(c->arena, nhead + 5 + q->nbinds, sizeof(*b));

	if (nhead > 0)
		memcpy(b, head, nhead * sizeof(*b));
	if (c->user != NULL) {
		marketing_bind_scope(c, b + nhead);
	} else {
		/* No one signed in (a job): every contact. */
		crm_db_bind_str(&b[nhead], "all", (size_t)-1);
		crm_db_bind_i64(&b[nhead + 1], 0);
		crm_db_bind_str(&b[nhead + 2], "all", (size_t)-1);
		crm_db_bind_i64(&b[nhead + 3], 0);
		crm_db_bind_i64(&b[nhead + 4], 0);
	}
	if (q->nbinds > 0)
		memcpy(b + nhead + 5, q->binds, q->nbinds * sizeof(*b));
	*n = nhead + 5 + q->nbinds;
	return b;
}

enum crm_err
segment_count(struct crm_ctx *c, const struct crm_segment_sql *q, long long *count)
{
	struct crm_db_bind *b;
	json_t *row = NULL;
	size_t n;
	enum crm_err e;

	*count = -1;
	b = binds_of(c, NULL, 0, q, &n);
	e = crm_db_row_sql(c->db, text_of(c, SEGMENT_SQL_COUNT, q), b, n, &row);
	if (e != CRM_OK)
		return crm_db_errno(c->db) == ER_STATEMENT_TIMEOUT ? CRM_OK : e;
	*count = json_integer_value(json_object_get(row, "n"));
	return CRM_OK;
}

enum crm_err
segment_sample(struct crm_ctx *c, const struct crm_segment_sql *q, json_t **rows)
{
	struct crm_db_bind *b;
	size_t n;
	enum crm_err e;

	b = binds_of(c, NULL, 0, q, &n);
	e = crm_db_rows_sql(c->db, text_of(c, SEGMENT_SQL_SAMPLE, q), b, n, rows);
	if (e != CRM_OK && crm_db_errno(c->db) == ER_STATEMENT_TIMEOUT) {
		*rows = json_array();
		return CRM_OK;
	}
	return e;
}

enum crm_err
segment_freeze_into(struct crm_ctx *c, struct crm_db *db, const struct crm_segment_sql *q, long long list_id,
    uint64_t *added)
{
	struct crm_db_bind head[1], *b;
	size_t n;

	crm_db_bind_i64(&head[0], list_id);
	b = binds_of(c, head, 1, q, &n);
	return crm_db_exec_sql(db, text_of(c, SEGMENT_SQL_FREEZE, q), b, n, added, NULL);
}

void
segment_count_view(struct crm_ctx *c, json_t *into, long long count)
{
	long long shown = count > SEGMENT_COUNT_CAP ? SEGMENT_COUNT_CAP : count;
	struct crm_buf t;

	/* Counted up to the cap and one more: past it only "100,000+". */
	crm_buf_init(&t, c->arena, 16);
	if (count >= 0)
		crm_i18n_format_int(&t, c->lang, shown);
	if (count > SEGMENT_COUNT_CAP)
		crm_buf_putc(&t, '+');
	json_object_set_new(into, "counted", json_boolean(count >= 0));
	json_object_set_new(into, "count", json_integer(shown));
	json_object_set_new(into, "count_more", json_boolean(count > SEGMENT_COUNT_CAP));
	json_object_set_new(into, "count_text", json_string(t.data));
}

enum crm_err
marketing_segment_into_campaign(struct crm_ctx *c, struct crm_db *db, long long segment_id, long long campaign_id,
    uint64_t *added)
{
	struct crm_db_bind head[1], *b;
	struct crm_segment_sql q;
	struct crm_segment_error err;
	json_t *seg = NULL, *def;
	size_t n;
	enum crm_err e;

	*added = 0;
	crm_db_bind_i64(&head[0], segment_id);
	if ((e = crm_db_row(db, STMT_SEGMENT_RAW, head, 1, &seg)) != CRM_OK)
		return e;
	def = json_loads(json_string_value(json_object_get(seg, "conditions")), 0, NULL);
	if (def == NULL || segment_compile(c, def, &q, &err) != CRM_OK)
		return CRM_EINVAL;
	crm_db_bind_i64(&head[0], campaign_id);
	b = binds_of(c, head, 1, &q, &n);
	return crm_db_exec_sql(db, text_of(c, SEGMENT_SQL_CAMPAIGN, &q), b, n, added, NULL);
}

enum crm_err
marketing_segment_size(struct crm_ctx *c, long long segment_id, long long *count)
{
	struct crm_db_bind b[1];
	struct crm_segment_sql q;
	struct crm_segment_error err;
	json_t *seg = NULL, *def;
	enum crm_err e;

	*count = -1;
	crm_db_bind_i64(&b[0], segment_id);
	if ((e = crm_db_row(c->db, STMT_SEGMENT_RAW, b, 1, &seg)) != CRM_OK)
		return e;
	def = json_loads(json_string_value(json_object_get(seg, "conditions")), 0, NULL);
	if (def == NULL || segment_compile(c, def, &q, &err) != CRM_OK)
		return CRM_EINVAL;
	return segment_count(c, &q, count);
}
