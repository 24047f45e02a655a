/* Web-to-lead forms, for admins: which lead fields a form shows and
 * requires, the source it stamps, who gets its leads (the assignment
 * rules, else the default owner), what the sender sees afterwards. The
 * form's page shows its public address and an HTML snippet to paste into
 * another site, rendered from a template and shown escaped as text. */
#include <string.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_valid.h"
#include "extern.h"

struct webform {
	struct crm_ctx *c;
	long long id, owner_id;
	const char *name, *fields, *required, *source, *thanks, *redirect_url;
	int use_rules, active;
	json_t *before;
};

static const char *const source_labels[] = { N_("Web"), N_("Referral"), N_("Partner"), N_("Event"),
	N_("Advertising"), N_("Cold call"), N_("Other"), NULL };

/* Only an absolute http(s) address without spaces: it becomes a Location. */
static int
valid_redirect(const char *u)
{
	size_t i;

	if (*u == '\0')
		return 1;
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return 0;
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == '"' || u[i] == '<' || u[i] == '>' || u[i] == 0x7f)
			return 0;
	return i <= 500;
}

static void
read_webform(struct crm_ctx *c, struct webform *w)
{
	struct crm_buf shown, req;
	struct crm_db_bind b[1];
	json_t *row = NULL;
	size_t i;

	crm_buf_init(&shown, c->arena, 128);
	crm_buf_init(&req, c->arena, 128);
	for (i = 0; sales_lead_form_fields[i]; i++) {
		const char *f = sales_lead_form_fields[i];

		if (crm_ctx_form(c, crm_arena_printf(c->arena, "show_%s", f)) == NULL)
			continue;
		crm_buf_printf(&shown, "%s%s", shown.len ? "," : "", f);
		/* A field is required only where it is shown. */
		if (crm_ctx_form(c, crm_arena_printf(c->arena, "require_%s", f)) != NULL)
			crm_buf_printf(&req, "%s%s", req.len ? "," : "", f);
	}
	w->fields = shown.data;
	w->required = req.data;
	w->name = crm_ctx_form_str(c, "name");
	w->source = crm_ctx_form_str(c, "source");
	w->thanks = crm_ctx_form_str(c, "thanks");
	w->redirect_url = crm_ctx_form_str(c, "redirect_url");
	w->use_rules = crm_ctx_form(c, "use_rules") != NULL;
	w->active = crm_ctx_form(c, "active") != NULL;
	if (!crm_valid_text(w->name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (!sales_lead_listed(w->fields, "first_name") && !sales_lead_listed(w->fields, "last_name"))
		crm_ctx_field_error(c, "fields", N_("Show the first or the last name at least: a lead needs a name."));
	if (!crm_valid_oneof(w->source, sales_lead_sources))
		crm_ctx_field_error(c, "source", N_("Choose a source from the list."));
	if (!crm_valid_text(w->thanks, 0, 1000, 1))
		crm_ctx_field_error(c, "thanks", N_("Keep the message under 1000 characters."));
	if (!valid_redirect(w->redirect_url))
		crm_ctx_field_error(c, "redirect_url", N_("Enter an address starting with https:// or http://, or nothing."));
	if (crm_valid_id(crm_ctx_form_str(c, "owner_id"), &w->owner_id)) {
		crm_db_bind_i64(&b[0], w->owner_id);
		if (crm_db_row(c->db, STMT_USER_ACTIVE, b, 1, &row) != CRM_OK)
			w->owner_id = 0;
	} else
		w->owner_id = 0;
	if (w->owner_id == 0)
		crm_ctx_field_error(c, "owner_id", N_("Choose an active user."));
}

static json_t *
webform_json(const struct webform *w)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:b,s:s,s:s,s:b}", "name", w->name, "fields", w->fields,
	    "required", w->required, "source", w->source, "owner_id", (json_int_t)w->owner_id,
	    "use_rules", w->use_rules, "thanks", w->thanks, "redirect_url", w->redirect_url, "active", w->active);
}

/* The checkboxes: each field, shown and required or not. */
static json_t *
field_rows(struct crm_ctx *c, const char *fields, const char *required)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; sales_lead_form_fields[i]; i++) {
		const char *f = sales_lead_form_fields[i];

		json_array_append_new(a, json_pack("{s:s,s:s,s:b,s:b,s:b}", "name", f,
		    "label", sales_lead_field_label(c, f), "shown", sales_lead_listed(fields, f),
		    "required", sales_lead_listed(required, f), "is_message", strcmp(f, "message") == 0));
	}
	return a;
}

static void
form_view(struct crm_ctx *c, json_t *form)
{
	const char *fields = json_string_value(json_object_get(form, "fields"));
	const char *required = json_string_value(json_object_get(form, "required"));

	json_object_set_new(form, "field_rows", field_rows(c, fields ? fields : "", required ? required : ""));
	json_object_set_new(c->view, "sources", sales_lead_options(c, sales_lead_sources, source_labels,
	    json_string_value(json_object_get(form, "source"))));
	json_object_set_new(c->view, "users", sales_lead_users(c, json_integer_value(json_object_get(form, "owner_id"))));
	json_object_set_new(c->view, "webform", form);
	sales_nav(c, "lead_forms");
	sales_flash(c);
}

static int
list_page(struct crm_ctx *c, json_t *typed)
{
	json_t *forms = NULL;

	if (crm_db_rows(c->db, STMT_LEAD_FORMS, NULL, 0, &forms) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "webforms", forms);
	if (typed == NULL)
		typed = json_pack("{s:s,s:s,s:s,s:I,s:b,s:b}", "fields", "first_name,last_name,company,email,phone,message",
		    "required", "last_name,email", "source", "web", "owner_id", (json_int_t)c->user->user_id,
		    "use_rules", 1, "active", 1);
	form_view(c, typed);
	return 200;
}

int
sales_lead_forms(struct crm_ctx *c)
{
	return list_page(c, NULL);
}

static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct webform *w = arg;
	struct crm_db_bind b[11];
	char token[CRM_AUTH_SECRET_LEN + 1];
	unsigned char key[crypto_auth_KEYBYTES];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], w->name, (size_t)-1);
	crm_db_bind_str(&b[1], w->fields, (size_t)-1);
	crm_db_bind_str(&b[2], w->required, (size_t)-1);
	crm_db_bind_str(&b[3], w->source, (size_t)-1);
	crm_db_bind_i64(&b[4], w->owner_id);
	crm_db_bind_i64(&b[5], w->use_rules);
	crm_db_bind_str(&b[6], w->thanks, (size_t)-1);
	crm_db_bind_str(&b[7], w->redirect_url, (size_t)-1);
	crm_db_bind_i64(&b[8], w->active);
	if (w->id) {
		crm_db_bind_i64(&b[9], w->id);
		if ((e = crm_db_exec(db, STMT_LEAD_FORM_UPDATE, b, 10, NULL, NULL)) != CRM_OK)
			return e;
		return crm_ctx_audit(w->c, "update", "lead_form", w->id, w->before, webform_json(w));
	}
	/* The address's secret, and the key that signs each page's time. */
	crm_auth_new_secret(token);
	randombytes_buf(key, sizeof(key));
	crm_db_bind_str(&b[9], token, (size_t)-1);
	crm_db_bind_blob(&b[10], key, sizeof(key));
	e = crm_db_exec(db, STMT_LEAD_FORM_CREATE, b, 11, NULL, &id);
	sodium_memzero(key, sizeof(key));
	if (e != CRM_OK)
		return e;
	w->id = (long long)id;
	return crm_ctx_audit(w->c, "create", "lead_form", w->id, NULL, webform_json(w));
}

int
sales_lead_form_create(struct crm_ctx *c)
{
	struct webform w;

	memset(&w, 0, sizeof(w));
	w.c = c;
	read_webform(c, &w);
	if (crm_ctx_has_errors(c)) {
		int st = list_page(c, webform_json(&w));

		return st != 200 ? st : crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, save_tx, &w) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/lead-forms/%lld?done=created", w.id));
}

/* The snippet in the request's language, from its template. */
static const char *
snippet(struct crm_ctx *c, json_t *form, const char *action)
{
	const struct crm_tmpl_set *set = c->w->tmpl;
	json_t *view = json_object(), *fields = json_array(), *row;
	struct crm_buf out;
	size_t i;

	for (i = 0; i < c->w->nlangs; i++)
		if (c->lang && strcmp(c->w->langs[i], c->lang) == 0)
			set = c->w->tmpl_lang[i];
	json_array_foreach(json_object_get(form, "field_rows"), i, row)
		if (json_is_true(json_object_get(row, "shown")))
			json_array_append(fields, row);
	json_object_set_new(view, "action", json_string(action));
	json_object_set_new(view, "fields", fields);
	crm_buf_init(&out, c->arena, 2048);
	if (crm_tmpl_render(set, "sales/lead_snippet", view, &out) != CRM_OK)
		return "";
	return out.data;
}

static json_t *
load(struct crm_ctx *c, long long id)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], id);
	if (id == 0 || crm_db_row(c->db, STMT_LEAD_FORM_GET, b, 1, &row) != CRM_OK)
		return NULL;
	return row;
}

static int
show_page(struct crm_ctx *c, json_t *stored, json_t *typed)
{
	const char *action = crm_public_url(c->db, c->arena, crm_arena_printf(c->arena, "/sales/forms/%s",
	    json_string_value(json_object_get(stored, "token"))));

	json_object_set_new(stored, "public_url", json_string(action));
	json_object_set_new(stored, "field_rows", field_rows(c, json_string_value(json_object_get(stored, "fields")),
	    json_string_value(json_object_get(stored, "required"))));
	json_object_set_new(stored, "snippet", json_string(snippet(c, stored, action)));
	json_object_set_new(c->view, "stored", stored);
	form_view(c, typed ? typed : json_deep_copy(stored));
	return 200;
}

int
sales_lead_form_show(struct crm_ctx *c)
{
	json_t *stored = load(c, crm_ctx_id(c, "id"));

	return stored ? show_page(c, stored, NULL) : 404;
}

int
sales_lead_form_update(struct crm_ctx *c)
{
	struct webform w;
	json_t *stored;

	memset(&w, 0, sizeof(w));
	w.c = c;
	w.id = crm_ctx_id(c, "id");
	if ((stored = load(c, w.id)) == NULL)
		return 404;
	w.before = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "name", json_object_get(stored, "name"),
	    "fields", json_object_get(stored, "fields"), "required", json_object_get(stored, "required"),
	    "source", json_object_get(stored, "source"), "owner_id", json_object_get(stored, "owner_id"),
	    "use_rules", json_object_get(stored, "use_rules"), "thanks", json_object_get(stored, "thanks"),
	    "redirect_url", json_object_get(stored, "redirect_url"), "active", json_object_get(stored, "active"));
	read_webform(c, &w);
	if (crm_ctx_has_errors(c)) {
		int st = show_page(c, stored, webform_json(&w));

		return st != 200 ? st : crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, save_tx, &w) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/lead-forms/%lld?done=saved", w.id));
}
