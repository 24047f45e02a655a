/* The one search box over contacts and accounts (names, e-mails, phone
 * digits, companies; Chinese and Latin), and the index behind it: a
 * record's row is rewritten after each committed change. A failed index
 * write is logged, not shown: the record is saved, and `crmctl search
 * rebuild` (nightly) makes the index whole. */
#include <string.h>

#include "crm_log.h"
#include "crm_search.h"
#include "crm_valid.h"
#include "extern.h"

void
customers_index(struct crm_ctx *c, const char *entity, long long id)
{
	int contact = strcmp(entity, "contact") == 0;
	struct crm_db_bind b[2];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], id);
	e = crm_db_exec(c->db, contact ? STMT_SEARCH_PUT_CONTACT : STMT_SEARCH_PUT_ACCOUNT, b, 1, &n, NULL);
	/* No live record to put: it was deleted, and leaves the index. */
	if (e == CRM_OK && n == 0) {
		crm_db_bind_i64(&b[0], contact ? CRM_SEARCH_CONTACT : CRM_SEARCH_ACCOUNT);
		crm_db_bind_i64(&b[1], id);
		e = crm_db_exec(c->db, STMT_SEARCH_DROP, b, 2, NULL, NULL);
		crm_db_bind_i64(&b[0], id);
	}
	/* An account's name is in its contacts' rows too. */
	if (e == CRM_OK && !contact)
		e = crm_db_exec(c->db, STMT_SEARCH_PUT_ACCOUNT_CONTACTS, b, 1, NULL, NULL);
	if (e != CRM_OK)
		crm_log(CRM_LOG_WARN, "search index: %s %lld not updated: %s", entity, id,
		    crm_db_error(c->db));
}

static int
results(struct crm_ctx *c, json_t *rows)
{
	json_t *row;
	size_t i;

	if (json_array_size(rows) > 50) {
		json_array_remove(rows, 50);
		json_object_set_new(c->view, "more", json_true());
	}
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "is_contact", json_boolean(
		    json_integer_value(json_object_get(row, "entity")) == CRM_SEARCH_CONTACT));
	json_object_set_new(c->view, "results", rows);
	return 200;
}

int
customers_search(struct crm_ctx *c)
{
	const char *q = crm_ctx_query(c, "q");
	const struct crm_identity *u = c->user;
	struct crm_db_bind b[9];
	struct crm_buf query;
	json_t *rows = NULL;
	size_t n = 0, stmt = STMT_SEARCH_ALL;
	int terms;

	customers_nav(c, "search");
	if (q == NULL || *q == '\0') {
		json_object_set_new(c->view, "results", json_array());
		return 200;
	}
	if (!crm_valid_text(q, 1, 100, 0))
		return crm_ctx_fail(c, 400, N_("Keep the search under 100 characters."));
	json_object_set_new(c->view, "q", json_string(q));
	crm_buf_init(&query, c->arena, 128);
	if (strchr(q, '@') != NULL && strpbrk(q, " \t") == NULL) {
		size_t i;

		/* An address or its start: the e-mail index, lowercased as the
		 * index keeps it. */
		crm_buf_puts(&query, q);
		for (i = 0; i < query.len; i++)
			if (query.data[i] >= 'A' && query.data[i] <= 'Z')
				query.data[i] = (char)(query.data[i] + 32);
		crm_db_bind_str(&b[0], query.data, query.len);
		bind_scope(c, b + 1);
		if (crm_db_rows(c->db, STMT_SEARCH_EMAIL, b, 6, &rows) != CRM_OK)
			return 500;
		return results(c, rows);
	}
	if ((terms = crm_search_query(&query, q)) == 0) {
		json_object_set_new(c->view, "results", json_array());
		json_object_set_new(c->view, "too_short", json_true());
		return 200;
	}
	crm_db_bind_str(&b[n++], query.data, query.len);
	crm_db_bind_str(&b[n++], query.data, query.len);
	if (strcmp(u->scope, "own") == 0) {
		stmt = STMT_SEARCH_OWN;
		crm_db_bind_i64(&b[n++], u->user_id);
	} else if (strcmp(u->scope, "team") == 0 && u->team_id == 0) {
		stmt = STMT_SEARCH_OWN;
		crm_db_bind_i64(&b[n++], u->user_id);
	} else if (strcmp(u->scope, "team") == 0) {
		stmt = STMT_SEARCH_TEAM;
		crm_db_bind_i64(&b[n++], u->team_id);
	}
	crm_db_bind_str(&b[n++], query.data, query.len);
	bind_scope(c, b + n);
	n += 5;
	if (crm_db_rows(c->db, stmt, b, n, &rows) != CRM_OK)
		return 500;
	return results(c, rows);
}
