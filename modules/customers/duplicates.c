/* Duplicates: likely duplicate contacts in groups (same e-mail, same
 * phone, same name in the same account), and the merge: the user picks
 * the surviving value field by field; the survivor takes them, every
 * related record moves to it, and the other goes to the trash pointing
 * at it, all in one transaction with the merge in the audit log. */
#include <stdlib.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_valid.h"
#include "extern.h"
#include "records.h"

int
customers_duplicates(struct crm_ctx *c)
{
	static const char *const kinds[] = { "email", "phone", "name", NULL };
	const char *kind = crm_ctx_query(c, "kind"), *after = crm_ctx_query(c, "after");
	struct crm_db_bind b[8];
	json_t *rows = NULL, *row;
	size_t i, n = 0, stmt;

	if (kind == NULL || *kind == '\0')
		kind = "email";
	if (!crm_valid_oneof(kind, kinds) || (after && !crm_valid_text(after, 0, 400, 0)))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if (after == NULL)
		after = "";
	if (strcmp(kind, "name") == 0) {
		/* after is "account_id:name" */
		const char *colon = strchr(after, ':');
		long long account = colon ? atoll(after) : 0;

		crm_db_bind_i64(&b[n++], account);
		crm_db_bind_i64(&b[n++], account);
		crm_db_bind_str(&b[n++], colon ? colon + 1 : "", (size_t)-1);
		stmt = STMT_DUPLICATES_NAME;
	} else {
		crm_db_bind_str(&b[n++], after, (size_t)-1);
		stmt = strcmp(kind, "phone") == 0 ? STMT_DUPLICATES_PHONE : STMT_DUPLICATES_EMAIL;
	}
	bind_scope(c, b + n);
	if (crm_db_rows(c->db, stmt, b, n + 5, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 20) {
		json_t *last = json_array_get(rows, 19);

		json_object_set_new(c->view, "next_url", json_string(crm_ctx_url(c, "/customers/duplicates",
		    "kind", kind, "after", json_string_value(json_object_get(last, "dkey")), NULL)));
		json_array_remove(rows, 20);
	}
	/* The members come as one JSON text per group; the first two are
	 * offered for merging, oldest first as the likely survivor. */
	json_array_foreach(rows, i, row) {
		json_t *members = json_loads(json_string_value(json_object_get(row, "members")), 0, NULL);

		if (members == NULL)
			members = json_array();
		crm_ctx_localise_dates(c, members, "created_at");
		json_object_set_new(row, "members", members);
		json_object_set_new(row, "merge_url", json_string(crm_arena_printf(c->arena,
		    "/customers/contacts/merge?a=%lld&b=%lld",
		    (long long)json_integer_value(json_object_get(json_array_get(members, 0), "id")),
		    (long long)json_integer_value(json_object_get(json_array_get(members, 1), "id")))));
	}
	json_object_set_new(c->view, "groups", rows);
	json_object_set_new(c->view, "kind", json_pack("{s:s,s:b,s:b,s:b}", "name", kind,
	    "email", strcmp(kind, "email") == 0, "phone", strcmp(kind, "phone") == 0,
	    "by_name", strcmp(kind, "name") == 0));
	customers_flash(c);
	customers_nav(c, "duplicates");
	return 200;
}

/* The fields a merge chooses between: each a group of columns that go
 * together (a normalised form with what was typed). */
static const struct merge_field {
	const char *key, *label;
	const char *columns[6];
} merge_fields[] = {
	{ "name", N_("Name"), { "full_name", "first_name", "last_name" } },
	{ "title", N_("Title"), { "title" } },
	{ "account", N_("Account"), { "account_id", "account" } },
	{ "email", N_("E-mail"), { "email", "email_norm" } },
	{ "email2", N_("Other e-mail"), { "email2" } },
	{ "phone", N_("Phone"), { "phone", "phone_e164" } },
	{ "mobile", N_("Mobile"), { "mobile", "mobile_e164" } },
	{ "address", N_("Address"), { "street", "city", "region", "postcode", "country" } },
	{ "birthday", N_("Birthday"), { "birthday" } },
	{ "source", N_("Source"), { "source" } },
	{ "consent", N_("Consent"), { "consent_email", "consent_phone" } },
	{ "notes", N_("Notes"), { "notes" } },
};

static const char *
shown_value(struct crm_ctx *c, json_t *rec, const struct merge_field *f)
{
	struct crm_buf b;
	size_t i;

	if (strcmp(f->key, "consent") == 0)
		return crm_arena_printf(c->arena, "%s / %s",
		    crm_ctx_text(c, json_is_true(json_object_get(rec, "consent_email")) ? N_("yes") : N_("no")),
		    crm_ctx_text(c, json_is_true(json_object_get(rec, "consent_phone")) ? N_("yes") : N_("no")));
	/* Shown as people read them: the account's name, the full name. */
	if (strcmp(f->key, "account") == 0 || strcmp(f->key, "name") == 0) {
		const char *v = json_string_value(json_object_get(rec,
		    strcmp(f->key, "account") == 0 ? "account" : "full_name"));

		return v ? v : "";
	}
	crm_buf_init(&b, c->arena, 64);
	for (i = 0; i < CRM_NELEM(f->columns) && f->columns[i]; i++) {
		const char *v = json_string_value(json_object_get(rec, f->columns[i]));

		if (v && *v) {
			if (b.len)
				crm_buf_puts(&b, " ");
			crm_buf_puts(&b, v);
		}
	}
	return b.data;
}

struct merge {
	struct crm_ctx *c;
	long long a, b;
	json_t *ra, *rb, *merged, *picks;
};

static int
load_pair(struct crm_ctx *c, struct merge *m, const char *pa, const char *pb)
{
	int status;

	if (!crm_valid_id(pa, &m->a) || !crm_valid_id(pb, &m->b) || m->a == m->b)
		return crm_ctx_fail(c, 400, N_("Choose two different contacts to merge."));
	if ((m->ra = record_load(c, &contact_kind, m->a, 0, &status)) == NULL ||
	    (m->rb = record_load(c, &contact_kind, m->b, 0, &status)) == NULL)
		return status;
	return 0;
}

int
customers_merge_form(struct crm_ctx *c)
{
	struct merge m;
	json_t *fields = json_array();
	size_t i;
	int status;

	memset(&m, 0, sizeof(m));
	customers_nav(c, "duplicates");
	/* Reached without a pair: say where pairs come from. */
	if (crm_ctx_query(c, "a") == NULL && crm_ctx_query(c, "b") == NULL) {
		json_object_set_new(c->view, "choose", json_true());
		return 200;
	}
	if ((status = load_pair(c, &m, crm_ctx_query(c, "a"), crm_ctx_query(c, "b"))) != 0)
		return status;
	crm_auth_strip_fields(c->user, "contacts", m.ra);
	crm_auth_strip_fields(c->user, "contacts", m.rb);
	for (i = 0; i < CRM_NELEM(merge_fields); i++) {
		const char *va = shown_value(c, m.ra, &merge_fields[i]);
		const char *vb = shown_value(c, m.rb, &merge_fields[i]);

		json_array_append_new(fields, json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}",
		    "key", merge_fields[i].key, "label", crm_ctx_text(c, merge_fields[i].label),
		    "a", va, "b", vb, "same", strcmp(va, vb) == 0, "prefer_b", *va == '\0' && *vb != '\0'));
	}
	json_object_set_new(c->view, "a", m.ra);
	json_object_set_new(c->view, "b", m.rb);
	json_object_set_new(c->view, "fields", fields);
	customers_nav(c, "duplicates");
	return 200;
}

static void
bind_value(struct crm_db_bind *b, json_t *v)
{
	if (json_is_integer(v))
		crm_db_bind_i64(b, json_integer_value(v));
	else if (json_is_boolean(v))
		crm_db_bind_i64(b, json_is_true(v));
	else if (json_is_string(v))
		crm_db_bind_str(b, json_string_value(v), (size_t)-1);
	else
		crm_db_bind_null(b);
}

/* CONTACT_SET's 22 columns, in order. */
static const char *const set_columns[] = { "account_id", "first_name", "last_name", "full_name",
	"title", "email", "email2", "phone", "mobile", "email_norm", "phone_e164", "mobile_e164",
	"street", "city", "region", "postcode", "country", "birthday", "source", "consent_email",
	"consent_phone", "notes" };

static enum crm_err
merge_tx(struct crm_db *db, void *arg)
{
	struct merge *m = arg;
	struct crm_db_bind b[23];
	uint64_t n = 0;
	size_t i;
	enum crm_err e;

	for (i = 0; i < CRM_NELEM(set_columns); i++)
		bind_value(&b[i], json_object_get(m->merged, set_columns[i]));
	crm_db_bind_i64(&b[22], m->a);
	if ((e = crm_db_exec(db, STMT_MERGE_SET, b, 23, &n, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], m->a);
	crm_db_bind_i64(&b[1], m->b);
	if ((e = crm_db_exec(db, STMT_MERGE_ACTIVITIES, b, 2, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec(db, STMT_MERGE_TAGS, b, 2, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec(db, STMT_MERGE_CUSTOM, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	/* Opportunities, quotes and tickets will move here too as those
	 * modules land: one UPDATE each, in this same transaction. */
	if ((e = crm_db_exec(db, STMT_MERGE_RETIRE, b, 2, &n, NULL)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ECONFLICT;   /* merged or deleted meanwhile */
	if ((e = customers_count_add(db, "contact", -1)) != CRM_OK ||
	    (e = crm_ctx_audit(m->c, "merge", "contact", m->a, NULL,
	    json_pack("{s:I,s:O}", "merged", (json_int_t)m->b, "picks", m->picks))) != CRM_OK)
		return e;
	return crm_ctx_audit(m->c, "merged-into", "contact", m->b, NULL,
	    json_pack("{s:I}", "survivor", (json_int_t)m->a));
}

int
customers_merge(struct crm_ctx *c)
{
	struct merge m;
	size_t i, k;
	int status;
	enum crm_err e;

	memset(&m, 0, sizeof(m));
	m.c = c;
	if ((status = load_pair(c, &m, crm_ctx_form(c, "a"), crm_ctx_form(c, "b"))) != 0)
		return status;
	m.merged = json_deep_copy(m.ra);
	m.picks = json_object();
	for (i = 0; i < CRM_NELEM(merge_fields); i++) {
		const struct merge_field *f = &merge_fields[i];
		const char *pick = crm_ctx_form(c, f->key);
		int from_b = pick && strcmp(pick, "b") == 0;

		/* A field the role may not change or see keeps the survivor's. */
		for (k = 0; k < CRM_NELEM(f->columns) && f->columns[k]; k++)
			if (crm_auth_field_readonly(c->user, "contacts", f->columns[k]) ||
			    crm_auth_field_hidden(c->user, "contacts", f->columns[k]))
				from_b = 0;
		json_object_set_new(m.picks, f->key, json_string(from_b ? "b" : "a"));
		for (k = 0; from_b && k < CRM_NELEM(f->columns) && f->columns[k]; k++)
			json_object_set(m.merged, f->columns[k], json_object_get(m.rb, f->columns[k]));
	}
	e = crm_db_tx(c->db, merge_tx, &m);
	if (e == CRM_ECONFLICT)
		return crm_ctx_fail(c, 409, N_("One of the contacts was changed meanwhile; look again."));
	if (e != CRM_OK)
		return 500;
	customers_index(c, "contact", m.a);
	customers_index(c, "contact", m.b);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/contacts/%lld?done=merged", m.a));
}
