/* Contacts: people, in an account or on their own. List, create, show
 * (the customer 360 page: details, timeline, history, a QR code of the
 * vCard), edit and the vCard download. E-mail and phone are stored as
 * typed and also normalised (lowercase, E.164), which is what duplicate
 * detection and search match on. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_qr.h"
#include "crm_table.h"
#include "crm_valid.h"
#include "crm_vcard.h"
#include "crm_contact_rules.h"
#include "crm_analytics.h"
#include "extern.h"
#include "records.h"

#define ENTITY "contacts"

size_t
contacts_bind_list(struct crm_ctx *c, const struct list_filters *f, struct crm_db_bind *b)
{
	return customers_bind_list(c, f, b, 1);
}

int
customers_contacts(struct crm_ctx *c)
{
	struct list_filters f;
	struct crm_db_bind b[32];
	size_t n;
	json_t *rows = NULL;
	const char *keep[7];
	int bad;

	if ((bad = customers_list_filters(c, &f)) != 0)
		return bad;
	n = contacts_bind_list(c, &f, b);
	if (crm_db_table(c->db, customers_sort_stmt(f.sort, c->api ? STMT_CONTACTS_BY_NAME :
	    STMT_CONTACTS_BRIEF_BY_NAME), b, n, &rows) != CRM_OK)
		return 500;
	keep[0] = f.q, keep[1] = f.owner, keep[2] = f.city, keep[3] = f.tag;
	keep[4] = f.from, keep[5] = f.to;
	keep[6] = f.account_id ? crm_arena_printf(c->arena, "%lld", f.account_id) : "";
	customers_next_page(c, rows, "/customers/contacts", keep, f.sort);
	crm_auth_strip_fields(c->user, ENTITY, rows);
	json_object_set_new(c->view, "contacts", rows);
	customers_filters_view(c, &f, "/customers/contacts");
	if (customers_views_load(c, "contact") != CRM_OK)
		return 500;
	customers_nav(c, "contacts");
	return 200;
}

struct form_source {
	struct crm_ctx *c;
	json_t *before;
};

/* A field the role may not change keeps its stored value, whatever was
 * posted. */
static const char *
form_get(void *arg, const char *field)
{
	struct form_source *fs = arg;
	const char *v = crm_ctx_form(fs->c, field);

	if (fs->before != NULL && crm_auth_field_readonly(fs->c->user, ENTITY, field)) {
		json_t *old = json_object_get(fs->before, field);

		if (json_is_boolean(old))
			return json_is_true(old) ? "1" : "";
		v = json_string_value(old);
	}
	return v ? v : "";
}

static void
form_problem(void *arg, const char *field, const char *msgid)
{
	struct form_source *fs = arg;

	crm_ctx_field_error(fs->c, field, msgid);
}

static void
read_form(struct crm_ctx *c, struct crm_contact_form *f, json_t *before)
{
	struct form_source fs = { c, before };
	const struct crm_contact_source src = { form_get, form_problem, &fs, c->arena };
	const char *error = NULL;

	crm_contact_check(f, &src);
	f->account = form_get(&fs, "account");
	f->account_id = customers_ref(c, f->account, STMT_ACCOUNT_REACHABLE, STMT_ACCOUNT_BY_NAME, 1,
	    &error);
	if (error != NULL)
		crm_ctx_field_error(c, "account", error);
}

int
customers_contact_new(struct crm_ctx *c)
{
	json_t *contact = json_object();
	long long account = 0;

	/* "New contact" from an account's page fills the account in. */
	if (crm_valid_id(crm_ctx_query(c, "account_id"), &account)) {
		struct crm_db_bind b[6];
		json_t *row = NULL;

		crm_db_bind_i64(&b[0], account);
		bind_scope(c, b + 1);
		if (crm_db_row(c->db, STMT_ACCOUNT_REACHABLE, b, 6, &row) == CRM_OK)
			json_object_set_new(contact, "account_ref", json_string(crm_arena_printf(c->arena,
			    "%s #%lld", json_string_value(json_object_get(row, "name")), account)));
	}
	json_object_set_new(c->view, "contact", contact);
	customers_nav(c, "contacts");
	return customers_custom_show(c, "contact", contact) == CRM_OK ? 200 : 500;
}

/* What the form shows again after a refused save: what was typed. */
static json_t *
typed(const struct crm_contact_form *f)
{
	json_t *o = crm_contact_json(f);

	json_object_set_new(o, "account_ref", json_string(f->account));
	json_object_set_new(o, "birthday", json_string(f->birthday));
	return o;
}

struct create {
	struct crm_ctx *c;
	struct crm_contact_form f;
	uint64_t id;
	struct custom_values *cv;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct create *cr = arg;
	struct crm_db_bind b[23];
	enum crm_err e;

	crm_contact_bind(b, &cr->f);
	crm_db_bind_i64(&b[22], cr->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_CONTACT_CREATE, b, 23, NULL, &cr->id)) != CRM_OK ||
	    (e = crm_tags_save(db, "contact", (long long)cr->id, cr->f.tags)) != CRM_OK ||
	    (e = customers_custom_save(db, cr->cv, (long long)cr->id)) != CRM_OK ||
	    (e = customers_count_add(db, "contact", 1)) != CRM_OK)
		return e;
	return crm_ctx_audit(cr->c, "create", "contact", (long long)cr->id, NULL,
	    customers_custom_audit(cr->cv, NULL, crm_contact_json(&cr->f)));
}

int
customers_contact_create(struct crm_ctx *c)
{
	struct create cr;

	memset(&cr, 0, sizeof(cr));
	cr.c = c;
	read_form(c, &cr.f, NULL);
	if ((cr.cv = customers_custom_read(c, "contact", 0)) == NULL)
		return 500;
	if (crm_ctx_has_errors(c)) {
		customers_contact_new(c);
		json_object_set_new(c->view, "contact", typed(&cr.f));
		customers_custom_keep(json_object_get(c->view, "contact"), cr.cv);
		if (customers_custom_show(c, "contact", json_object_get(c->view, "contact")) != CRM_OK)
			return 500;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, create_tx, &cr) != CRM_OK)
		return 500;
	customers_index(c, "contact", (long long)cr.id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/contacts/%llu?done=created",
	    (unsigned long long)cr.id));
}

/* The vCard of a contact as its page shows it (fields the role may not
 * see are already gone). */
static void
vcard_of(struct crm_buf *out, json_t *ct)
{
	struct crm_vcard v;

	memset(&v, 0, sizeof(v));
	v.full_name = json_string_value(json_object_get(ct, "full_name"));
	v.family = json_string_value(json_object_get(ct, "last_name"));
	v.given = json_string_value(json_object_get(ct, "first_name"));
	v.org = json_string_value(json_object_get(ct, "account"));
	v.title = json_string_value(json_object_get(ct, "title"));
	v.emails[0] = json_string_value(json_object_get(ct, "email"));
	v.emails[1] = json_string_value(json_object_get(ct, "email2"));
	v.phones[0] = json_string_value(json_object_get(ct, "phone_e164"));
	v.phone_types[0] = "work";
	v.phones[1] = json_string_value(json_object_get(ct, "mobile_e164"));
	v.phone_types[1] = "cell";
	v.street = json_string_value(json_object_get(ct, "street"));
	v.city = json_string_value(json_object_get(ct, "city"));
	v.region = json_string_value(json_object_get(ct, "region"));
	v.postcode = json_string_value(json_object_get(ct, "postcode"));
	v.country = json_string_value(json_object_get(ct, "country"));
	v.birthday = json_string_value(json_object_get(ct, "birthday"));
	crm_vcard_write(out, &v);
}

static int
show_view(struct crm_ctx *c, json_t *ct)
{
	long long id = json_integer_value(json_object_get(ct, "id"));
	int status;

	if (customers_timeline(c, STMT_TIMELINE_CONTACT, id,
	    crm_arena_printf(c->arena, "/customers/contacts/%lld", id)) != CRM_OK)
		return 500;
	if ((status = record_show_common(c, &contact_kind, ct)) != 200)
		return status;
	if (customers_custom_show(c, "contact", ct) != CRM_OK)
		return 500;
	if (!json_is_string(json_object_get(ct, "account_ref")) && json_is_integer(json_object_get(ct, "account_id")))
		json_object_set_new(ct, "account_ref", json_string(crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(ct, "account")),
		    (long long)json_integer_value(json_object_get(ct, "account_id")))));
	json_object_set_new(c->view, "contact", ct);
	json_object_set_new(c->view, "parent", json_pack("{s:s,s:I}", "kind", "contact_id",
	    "id", (json_int_t)id));
	customers_nav(c, "contacts");
	return 200;
}

int
customers_contact_page(struct crm_ctx *c, long long id)
{
	int status;
	json_t *rec = record_load(c, &contact_kind, id, crm_auth_can(c->user, "customers.delete"), &status);

	return status ? status : show_view(c, rec);
}

int
customers_contact_show(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status = customers_contact_page(c, id);
	struct crm_db_bind b[CRM_ALSO_BOUGHT_BINDS];
	json_t *row = NULL, *account;
	const char *ids = NULL;
	size_t i;

	/* What the contact's account might buy next (reports, issue 8): what
	 * it has bought, then what goes with that (two cheap reads, not one
	 * that reads the account's orders four times). */
	if (status == 200) {
		account = json_object_get(json_object_get(c->view, "contact"), "account_id");
		if (json_is_integer(account)) {
			crm_db_bind_i64(&b[0], json_integer_value(account));
			if (crm_db_row(c->db, STMT_CONTACT_BOUGHT, b, 1, &row) != CRM_OK)
				return 500;
			if (json_is_string(json_object_get(row, "ids")))
				ids = crm_arena_strdup(c->arena, json_string_value(json_object_get(row, "ids")));
			json_decref(row);
			row = NULL;
		}
		if (ids != NULL) {
			for (i = 0; i < CRM_ALSO_BOUGHT_BINDS; i++)
				crm_db_bind_str(&b[i], ids, (size_t)-1);
			if (crm_db_rows(c->db, STMT_CONTACT_ALSO_BOUGHT, b, CRM_ALSO_BOUGHT_BINDS, &row) != CRM_OK)
				return 500;
		}
		json_object_set_new(c->view, "also_bought", row != NULL ? row : json_array());
	}
	/* A contact merged away: its old link leads to the survivor. */
	if (status != 404)
		return status;
	crm_db_bind_i64(&b[0], id);
	if (crm_db_row(c->db, STMT_MERGED_INTO, b, 1, &row) != CRM_OK)
		return 404;
	return crm_ctx_redirect(c, 301, crm_arena_printf(c->arena, "/customers/contacts/%lld",
	    (long long)json_integer_value(json_object_get(row, "merged_into"))));
}

/* The QR code of the vCard, for adding the contact to a phone: an image
 * of its own, so the page does not pay for encoding it. Past what a QR code holds (a long address) it is a 404 and
 * the page shows the download link alone. */
int
customers_contact_qr(struct crm_ctx *c)
{
	int status;
	json_t *ct = record_load(c, &contact_kind, crm_ctx_id(c, "id"), 0, &status);
	struct crm_buf card;

	if (status)
		return status;
	crm_auth_strip_fields(c->user, ENTITY, ct);
	crm_buf_init(&card, c->arena, 512);
	vcard_of(&card, ct);
	if (crm_qr_svg(&c->raw, card.data, CRM_QR_MARGIN, crm_ctx_text(c,
	    N_("QR code of the contact's vCard"))) != CRM_OK)
		return 404;
	c->content_type = "image/svg+xml";
	return 200;
}

int
customers_contact_vcard(struct crm_ctx *c)
{
	int status;
	json_t *ct = record_load(c, &contact_kind, crm_ctx_id(c, "id"), 0, &status);

	if (status)
		return status;
	crm_auth_strip_fields(c->user, ENTITY, ct);
	vcard_of(&c->raw, ct);
	c->content_type = "text/vcard; charset=utf-8";
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena,
	    "attachment; filename=\"contact-%lld.vcf\"", (long long)json_integer_value(json_object_get(ct, "id"))));
	return 200;
}

struct update {
	struct crm_ctx *c;
	long long id;
	struct crm_contact_form f;
	json_t *before;
	struct custom_values *cv;
};

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct update *u = arg;
	struct crm_db_bind b[28];
	enum crm_err e;

	crm_contact_bind(b, &u->f);
	crm_db_bind_i64(&b[22], u->id);
	bind_scope(u->c, b + 23);
	if ((e = crm_db_exec(db, STMT_CONTACT_UPDATE, b, 28, NULL, NULL)) != CRM_OK ||
	    (e = crm_tags_save(db, "contact", u->id, u->f.tags)) != CRM_OK ||
	    (e = customers_custom_save(db, u->cv, u->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(u->c, "update", "contact", u->id, u->before,
	    customers_custom_audit(u->cv, u->before, crm_contact_json(&u->f)));
}

int
customers_contact_update(struct crm_ctx *c)
{
	struct update u;
	int status;

	memset(&u, 0, sizeof(u));
	u.c = c;
	u.id = crm_ctx_id(c, "id");
	u.before = record_load(c, &contact_kind, u.id, 0, &status);
	if (status)
		return status;
	if (json_is_null(json_object_get(u.before, "tags")))
		json_object_set_new(u.before, "tags", json_string(""));
	read_form(c, &u.f, u.before);
	if ((u.cv = customers_custom_read(c, "contact", u.id)) == NULL)
		return 500;
	if (crm_ctx_has_errors(c)) {
		json_t *shown = json_deep_copy(u.before);

		json_object_update(shown, typed(&u.f));
		customers_custom_keep(shown, u.cv);
		if (show_view(c, shown) != 200)
			return 500;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, update_tx, &u) != CRM_OK)
		return 500;
	customers_index(c, "contact", u.id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/customers/contacts/%lld?done=saved", u.id));
}

int
customers_contact_reassign(struct crm_ctx *c)
{
	return record_reassign(c, &contact_kind);
}

int
customers_contact_delete(struct crm_ctx *c)
{
	return record_delete(c, &contact_kind);
}

int
customers_contact_restore(struct crm_ctx *c)
{
	return record_restore(c, &contact_kind);
}
