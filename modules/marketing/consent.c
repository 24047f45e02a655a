/* A contact's consent (/marketing/contacts/:id/consent): the current
 * flag per purpose, the history of grants and withdrawals with source,
 * note, who and when (newest first, paged by id), and the form recording
 * one through marketing_consent_set. The contact is reached within the
 * reader's scope of contacts, as in the customers module. Admins also see
 * the privacy card: the export and the erasure (privacy.c). */
#include <string.h>

#include "crm_valid.h"
#include "extern.h"

static const char *const purposes[] = { "email", "sms", "phone", NULL };
static const char *const purpose_labels[] = { N_("Marketing e-mail"), N_("SMS"), N_("Phone calls"), NULL };
static const char *const sources[] = { "staff", "form", "phone", "paper", "email", "import", NULL };
static const char *const source_labels[] = { N_("Recorded by staff"), N_("Web form"), N_("On the phone"),
	N_("On paper"), N_("By e-mail"), N_("Import"), NULL };
/* Sources written by the system, never chosen in the form. */
static const char *const system_sources[] = { "erasure", "unsubscribe_link", "api", NULL };
static const char *const system_source_labels[] = { N_("Data erased on request"), N_("Unsubscribe link"),
	N_("API"), NULL };

json_t *
marketing_consent_contact(struct crm_ctx *c, int *status)
{
	return marketing_load(c, STMT_CONSENT_CONTACT, crm_ctx_id(c, "id"), 1, status);
}

static const char *
label_of(struct crm_ctx *c, const char *const *codes, const char *const *labels, const char *code)
{
	size_t i;

	for (i = 0; code && codes[i]; i++)
		if (strcmp(codes[i], code) == 0)
			return crm_ctx_text(c, labels[i]);
	return code ? code : "";
}

static json_t *
options(struct crm_ctx *c, const char *const *codes, const char *const *labels, const char *chosen)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; codes[i]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", codes[i],
		    "label", crm_ctx_text(c, labels[i]), "selected", strcmp(codes[i], chosen) == 0));
	return a;
}

/* The page, for the contact ct; the form keeps what was typed. */
static int
page(struct crm_ctx *c, json_t *ct)
{
	long long id = json_integer_value(json_object_get(ct, "id"));
	const char *before = crm_ctx_query(c, "before_id");
	long long before_id = 0;
	struct crm_db_bind b[3];
	json_t *rows = NULL, *r, *now;
	size_t i;

	if (before != NULL && *before != '\0' && !crm_valid_id(before, &before_id))
		return 400;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], before_id);
	crm_db_bind_i64(&b[2], before_id);
	if (crm_db_rows(c->db, STMT_CONSENT_HISTORY, b, 3, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		json_object_set_new(c->view, "next", json_string(crm_ctx_url(c,
		    crm_arena_printf(c->arena, "/marketing/contacts/%lld/consent", id), "before_id",
		    crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(json_object_get(
		    json_array_get(rows, 49), "id"))), NULL)));
		json_array_remove(rows, 50);
	}
	crm_ctx_localise_dates(c, rows, "recorded_at");
	json_array_foreach(rows, i, r) {
		const char *src = json_string_value(json_object_get(r, "source"));

		json_object_set_new(r, "purpose_label", json_string(label_of(c, purposes, purpose_labels,
		    json_string_value(json_object_get(r, "purpose")))));
		json_object_set_new(r, "source_label", json_string(crm_valid_oneof(src, sources) ?
		    label_of(c, sources, source_labels, src) : label_of(c, system_sources, system_source_labels, src)));
	}
	now = json_array();
	for (i = 0; purposes[i]; i++)
		json_array_append_new(now, json_pack("{s:s,s:s,s:b}", "purpose", purposes[i],
		    "label", crm_ctx_text(c, purpose_labels[i]), "granted", json_is_true(json_object_get(ct,
		    crm_arena_printf(c->arena, "consent_%s", purposes[i])))));
	json_object_set_new(ct, "erased", json_boolean(json_string_length(json_object_get(ct, "erased_at")) > 0));
	json_object_set_new(c->view, "contact", json_incref(ct));
	json_object_set_new(c->view, "current", now);
	json_object_set_new(c->view, "history", rows);
	json_object_set_new(c->view, "purposes", options(c, purposes, purpose_labels,
	    crm_ctx_form_str(c, "purpose")[0] ? crm_ctx_form_str(c, "purpose") : "email"));
	json_object_set_new(c->view, "sources", options(c, sources, source_labels,
	    crm_ctx_form_str(c, "source")[0] ? crm_ctx_form_str(c, "source") : "staff"));
	json_object_set_new(c->view, "note", json_string(crm_ctx_form_str(c, "note")));
	json_object_set_new(c->view, "granted", json_boolean(strcmp(crm_ctx_form_str(c, "granted"), "0") != 0));
	marketing_nav(c, "consent");
	marketing_flash(c);
	return 200;
}

int
marketing_consent(struct crm_ctx *c)
{
	int status;
	json_t *ct = marketing_consent_contact(c, &status);

	if (ct == NULL)
		return status;
	return page(c, ct);
}

struct record {
	struct crm_ctx *c;
	long long id;
	const char *purpose, *source, *note;
	int granted;
};

static enum crm_err
record_tx(struct crm_db *db, void *arg)
{
	struct record *r = arg;

	return marketing_consent_set(r->c, db, r->id, r->purpose, r->granted, r->source, r->note);
}

int
marketing_consent_add(struct crm_ctx *c)
{
	int status;
	json_t *ct = marketing_consent_contact(c, &status);
	const char *granted = crm_ctx_form_str(c, "granted");
	struct record r;

	if (ct == NULL)
		return status;
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.id = json_integer_value(json_object_get(ct, "id"));
	r.purpose = crm_ctx_form_str(c, "purpose");
	r.source = crm_ctx_form_str(c, "source");
	r.note = crm_ctx_form_str(c, "note");
	r.granted = strcmp(granted, "1") == 0;
	if (!crm_valid_oneof(r.purpose, purposes))
		crm_ctx_field_error(c, "purpose", N_("Choose e-mail, SMS or phone."));
	if (!crm_valid_oneof(r.source, sources))
		crm_ctx_field_error(c, "source", N_("Choose where the consent came from."));
	if (strcmp(granted, "1") != 0 && strcmp(granted, "0") != 0)
		crm_ctx_field_error(c, "granted", N_("Choose granted or withdrawn."));
	if (!crm_valid_text(r.note, 0, 300, 0))
		crm_ctx_field_error(c, "note", N_("Keep the note under 300 characters, on one line."));
	/* Erased means nobody may be reached again: no new grant. */
	if (r.granted && json_string_length(json_object_get(ct, "erased_at")) > 0)
		crm_ctx_field_error(c, "granted", N_("This contact's data was erased: consent cannot be granted again."));
	if (crm_ctx_has_errors(c)) {
		if ((status = page(c, ct)) != 200)
			return status;
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, record_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/marketing/contacts/%lld/consent?done=consent-recorded", r.id));
}
