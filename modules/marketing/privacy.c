/* A contact's personal data on request (admin.settings: only those who
 * run the system answer such requests). The export is one JSON download
 * of every row the CRM holds about the contact; the erasure, confirmed by
 * typing the contact's number, anonymises them in one transaction while
 * the rows stay, so campaign members, orders, tickets and their sums
 * still count. Both take in the duplicates merged into the contact: a
 * merge leaves the other row in the trash with its own copy of the data
 * and its own tickets, orders and clicks. The audit log keeps its rows:
 * its hash chain would break, and the erasure itself is one of them. */
#include <string.h>
#include <time.h>

#include "crm_audit.h"
#include "crm_log.h"
#include "crm_valid.h"
#include "extern.h"

/* Each part of the export: its key and the statement, bound with the id. */
static const struct {
	const char *key;
	size_t stmt;
} parts[] = {
	{ "custom_fields", STMT_PRIV_CUSTOM },
	{ "tags", STMT_PRIV_TAGS },
	{ "activities", STMT_PRIV_ACTIVITIES },
	{ "tickets", STMT_PRIV_TICKETS },
	{ "leads", STMT_PRIV_LEADS },
	{ "opportunities", STMT_PRIV_OPPORTUNITIES },
	{ "quotes", STMT_PRIV_QUOTES },
	{ "orders", STMT_PRIV_ORDERS },
	{ "campaign_memberships", STMT_PRIV_MEMBERSHIPS },
	{ "campaign_messages", STMT_PRIV_MESSAGES },
	{ "link_clicks", STMT_PRIV_CLICKS },
	{ "consents", STMT_PRIV_CONSENTS },
	{ "audit_log", STMT_PRIV_AUDIT },
};

/* The contact and the duplicates merged into it, and into those, in
 * order: at most MERGED_MAX, which no real merge history comes near. */
#define MERGED_MAX 100

static enum crm_err
family(struct crm_db *db, long long id, long long *ids, size_t *n)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL, *r;
	enum crm_err e;
	size_t i, k;

	ids[0] = id;
	*n = 1;
	for (i = 0; i < *n; i++) {
		crm_db_bind_i64(&b[0], ids[i]);
		if ((e = crm_db_rows(db, STMT_PRIV_MERGED, b, 1, &rows)) != CRM_OK)
			return e;
		json_array_foreach(rows, k, r)
			if (*n < MERGED_MAX)
				ids[(*n)++] = json_integer_value(json_object_get(r, "id"));
	}
	return CRM_OK;
}

/* Each ticket gets its messages, which come in ticket order. */
static void
nest_messages(json_t *tickets, json_t *messages)
{
	json_t *t, *m;
	size_t i, j = 0;

	json_array_foreach(tickets, i, t) {
		json_int_t id = json_integer_value(json_object_get(t, "id"));
		json_t *mine = json_array();

		for (j = 0; j < json_array_size(messages); j++) {
			m = json_array_get(messages, j);
			if (json_integer_value(json_object_get(m, "ticket_id")) == id)
				json_array_append(mine, m);
		}
		json_object_set_new(t, "messages", mine);
	}
}

/* Everything about one contact row. */
static json_t *
export_one(struct crm_db *db, long long id)
{
	struct crm_db_bind b[1];
	json_t *out, *rows = NULL, *msgs = NULL;
	size_t i;

	crm_db_bind_i64(&b[0], id);
	if (crm_db_row(db, STMT_PRIV_CONTACT, b, 1, &rows) != CRM_OK)
		return NULL;
	out = json_object();
	json_object_set_new(out, "contact", rows);
	for (i = 0; i < CRM_NELEM(parts); i++) {
		if (crm_db_rows(db, parts[i].stmt, b, 1, &rows) != CRM_OK)
			return NULL;
		json_object_set_new(out, parts[i].key, rows);
	}
	if (crm_db_rows(db, STMT_PRIV_TICKET_MESSAGES, b, 1, &msgs) != CRM_OK)
		return NULL;
	nest_messages(json_object_get(out, "tickets"), msgs);
	/* audit_log.changes is JSON text: embedded as JSON, not a string. */
	json_array_foreach(json_object_get(out, "audit_log"), i, rows) {
		json_t *v = json_loads(json_string_value(json_object_get(rows, "changes")), 0, NULL);

		if (v != NULL)
			json_object_set_new(rows, "changes", v);
	}
	return out;
}

int
marketing_contact_export(struct crm_ctx *c)
{
	int status;
	json_t *ct = marketing_consent_contact(c, &status), *out, *merged, *one;
	long long ids[MERGED_MAX];
	char at[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t i, n;
	char *s;

	if (ct == NULL)
		return status;
	if (family(c->db, json_integer_value(json_object_get(ct, "id")), ids, &n) != CRM_OK ||
	    (out = export_one(c->db, ids[0])) == NULL)
		return 500;
	merged = json_array();
	for (i = 1; i < n; i++) {
		if ((one = export_one(c->db, ids[i])) == NULL)
			return 500;
		json_array_append_new(merged, one);
	}
	json_object_set_new(out, "merged_contacts", merged);
	strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S", gmtime_r(&now, &tm));
	json_object_set_new(out, "exported_at", json_string(at));
	n = json_dumpb(out, NULL, 0, JSON_INDENT(1) | JSON_SORT_KEYS);
	s = crm_arena_alloc(c->arena, n + 1);
	json_dumpb(out, s, n, JSON_INDENT(1) | JSON_SORT_KEYS);
	crm_buf_add(&c->raw, s, n);
	c->content_type = "application/json; charset=utf-8";
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena,
	    "attachment; filename=\"contact-%lld.json\"", ids[0]));
	return 200;
}

struct erase {
	struct crm_ctx *c;
	long long id;
	long long ids[MERGED_MAX];
	size_t n;
};

static enum crm_err
erase_tx(struct crm_db *db, void *arg)
{
	static const size_t steps[] = {
		STMT_ERASE_CONTACT, STMT_ERASE_CUSTOM, STMT_ERASE_TAGS, STMT_ERASE_CLICKS,
		STMT_ERASE_TICKETS, STMT_ERASE_TICKET_MESSAGES, STMT_ERASE_MAIL_QUEUE,
		STMT_ERASE_CAMPAIGN_MESSAGES, STMT_ERASE_LEADS, STMT_ERASE_CONSENT_NOTES,
		STMT_ERASE_IMPORT_PROBLEMS,
	};
	static const char *const purposes[] = { "email", "sms", "phone" };
	struct erase *er = arg;
	json_t *merged = json_array();
	struct crm_db_bind b[1];
	json_t *row = NULL;
	enum crm_err e;
	size_t i, k;

	crm_db_bind_i64(&b[0], er->id);
	if ((e = crm_db_row(db, STMT_ERASE_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	if (!json_is_null(json_object_get(row, "erased_at")))
		return CRM_ECONFLICT;
	if ((e = family(db, er->id, er->ids, &er->n)) != CRM_OK)
		return e;
	for (k = 0; k < er->n; k++) {
		crm_db_bind_i64(&b[0], er->ids[k]);
		for (i = 0; i < CRM_NELEM(steps); i++)
			if ((e = crm_db_exec(db, steps[i], b, 1, NULL, NULL)) != CRM_OK)
				return e;
	}
	/* The history says why nobody may be reached any more; each call
	 * also clears the contact's flag and audits the withdrawal. */
	for (i = 0; i < CRM_NELEM(purposes); i++)
		if ((e = marketing_consent_set(er->c, db, er->id, purposes[i], 0, "erasure", "")) != CRM_OK)
			return e;
	for (k = 1; k < er->n; k++)
		json_array_append_new(merged, json_integer(er->ids[k]));
	return crm_ctx_audit(er->c, "erase", "contact", er->id, NULL, json_pack("{s:b,s:o}", "erased", 1,
	    "merged_contacts", merged));
}

int
marketing_contact_erase(struct crm_ctx *c)
{
	int status;
	json_t *ct = marketing_consent_contact(c, &status);
	struct crm_db_bind b[1];
	struct erase er;
	enum crm_err e;

	if (ct == NULL)
		return status;
	er.c = c;
	er.id = json_integer_value(json_object_get(ct, "id"));
	if (strcmp(crm_ctx_form_str(c, "confirm"), crm_arena_printf(c->arena, "%lld", er.id)) != 0) {
		crm_ctx_field_error(c, "confirm", N_("Type the contact's number to confirm the erasure."));
		if ((status = marketing_consent(c)) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	if ((e = crm_db_tx(c->db, erase_tx, &er)) == CRM_ECONFLICT)
		return crm_ctx_fail(c, 409, N_("This contact's data was erased already."));
	if (e != CRM_OK)
		return 500;
	/* The search index is not transactional: its row follows the commit
	 * (merged duplicates, in the trash, have none to rewrite). */
	crm_db_bind_i64(&b[0], er.id);
	if (crm_db_exec(c->db, STMT_ERASE_SEARCH, b, 1, NULL, NULL) != CRM_OK)
		crm_log(CRM_LOG_ERROR, "contact %lld: search row not rewritten after erasure", er.id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/marketing/contacts/%lld/consent?done=contact-erased", er.id));
}
