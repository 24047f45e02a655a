/* E-mail templates: a name, a subject, an HTML and a plain-text body,
 * all mustache with merge fields (email_merge.c). The list pages by
 * name; the form checks that each part compiles; the preview renders both
 * parts for a chosen contact (or a sample one); a test send renders them
 * the same way and queues the message to the signed-in user's own
 * address for crm-marketing jobs, so the page never waits for the relay. */
#include <stdio.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_phone.h"
#include "crm_valid.h"
#include "extern.h"

static const char example_html[] =
    "<p>Dear {{contact.first_name}},</p>\n<p>...</p>\n"
    "<p>{{owner.name}}</p>\n<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>\n";
static const char example_text[] = "Dear {{contact.first_name}},\n\n...\n\n{{owner.name}}\n\nUnsubscribe: {{unsubscribe_url}}\n";

int
marketing_templates(struct crm_ctx *c)
{
	struct crm_db_bind b[6];
	json_t *rows = NULL;
	const char *after = crm_ctx_query_str(c, "after");

	crm_db_bind_str(&b[0], after, (size_t)-1);
	marketing_bind_scope(c, b + 1);
	if (crm_db_rows(c->db, STMT_TPL_LIST, b, 6, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		json_object_set_new(c->view, "next_url", json_string(crm_ctx_url(c, "/marketing/templates", "after",
		    json_string_value(json_object_get(json_array_get(rows, 49), "name")), NULL)));
		json_array_remove(rows, 50);
	}
	crm_ctx_localise_dates(c, rows, "updated_at");
	json_object_set_new(c->view, "templates", rows);
	marketing_nav(c, "templates");
	marketing_flash(c);
	return 200;
}

/* The merge fields a template may use, custom fields included. */
static void
merge_fields(struct crm_ctx *c)
{
	static const char *const builtin[] = { "contact.first_name", "contact.last_name", "contact.full_name",
		"contact.title", "contact.email", "contact.phone", "contact.city", "contact.region", "contact.country",
		"account.name", "owner.name", "owner.email", "unsubscribe_url", NULL };
	json_t *fields = json_array(), *custom = NULL, *f;
	size_t i;

	for (i = 0; builtin[i]; i++)
		json_array_append_new(fields, json_pack("{s:s}", "tag", crm_arena_printf(c->arena, "{{%s}}", builtin[i])));
	if (crm_db_rows(c->db, STMT_TPL_CUSTOM_FIELDS, NULL, 0, &custom) == CRM_OK)
		json_array_foreach(custom, i, f)
			json_array_append_new(fields, json_pack("{s:s,s:O}", "tag", crm_arena_printf(c->arena,
			    "{{custom.%s}}", marketing_merge_key(c->arena, json_string_value(json_object_get(f, "label")))),
			    "label", json_object_get(f, "label")));
	json_object_set_new(c->view, "merge_fields", fields);
}

static int
form_page(struct crm_ctx *c, json_t *tpl)
{
	json_t *tests = NULL;
	struct crm_db_bind b[1];
	long long id = json_integer_value(json_object_get(tpl, "id"));

	if (id > 0) {
		crm_db_bind_i64(&b[0], id);
		if (crm_db_rows(c->db, STMT_TPL_TESTS, b, 1, &tests) != CRM_OK)
			return 500;
		crm_ctx_localise_dates(c, tests, "created_at");
		json_object_set_new(c->view, "tests", tests);
		json_object_set_new(tpl, "exists", json_true());
	}
	json_object_set_new(c->view, "template", tpl);
	json_object_set_new(c->view, "user_email", json_string(c->user->email));
	merge_fields(c);
	marketing_nav(c, "templates");
	marketing_flash(c);
	return 200;
}

int
marketing_template_new(struct crm_ctx *c)
{
	return form_page(c, json_pack("{s:s,s:s,s:s,s:s}", "name", "", "subject", "", "body_html", example_html,
	    "body_text", example_text));
}

int
marketing_template_show(struct crm_ctx *c)
{
	json_t *tpl;
	int status;

	if ((tpl = marketing_load(c, STMT_TPL_GET, crm_ctx_id(c, "id"), 1, &status)) == NULL)
		return status;
	return form_page(c, tpl);
}

struct change {
	struct crm_ctx *c;
	long long id;
	const char *name, *subject, *html, *text;
	json_t *before;
};

static json_t *
change_json(const struct change *ch)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "name", ch->name, "subject", ch->subject, "body_html", ch->html,
	    "body_text", ch->text);
}

/* Each part must compile, and the HTML part may not print a merge field
 * raw: {{{x}}} or {{&x}} would let a contact's name carry markup. */
static int
read_form(struct crm_ctx *c, struct change *ch)
{
	struct marketing_mail_tmpl t = { NULL, NULL };
	char err[300];

	ch->name = crm_ctx_form_str(c, "name");
	ch->subject = crm_ctx_form_str(c, "subject");
	ch->html = crm_ctx_form_str(c, "body_html");
	ch->text = crm_ctx_form_str(c, "body_text");
	if (!crm_valid_text(ch->name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (!crm_valid_text(ch->subject, 1, 300, 0))
		crm_ctx_field_error(c, "subject", N_("Enter a subject of up to 300 characters on one line."));
	if (!crm_valid_text(ch->html, 1, 200000, 1))
		crm_ctx_field_error(c, "body_html", N_("Enter an HTML body of up to 200000 characters."));
	else if (strstr(ch->html, "{{{") != NULL || strstr(ch->html, "{{&") != NULL)
		crm_ctx_field_error(c, "body_html", N_("Merge fields in the HTML body are always escaped: use {{name}}, not {{{name}}} or {{&name}}."));
	if (!crm_valid_text(ch->text, 1, 100000, 1))
		crm_ctx_field_error(c, "body_text", N_("Enter a plain-text body of up to 100000 characters."));
	if (crm_ctx_has_errors(c))
		return 1;
	if (marketing_mail_tmpl_compile(&t, ch->subject, ch->html, ch->text, err, sizeof(err)) != CRM_OK) {
		/* err names the part: "subject:1: ...", "html:3: ...", "text:2: ..." */
		crm_ctx_field_error(c, strncmp(err, "subject", 7) == 0 ? "subject" : strncmp(err, "html", 4) == 0 ?
		    "body_html" : "body_text", N_("This is not a valid template: a section is not closed, or a tag is not complete."));
		json_object_set_new(c->view, "template_error", json_string(err));
		return 1;
	}
	marketing_mail_tmpl_free(&t);
	return 0;
}

static int
refused(struct crm_ctx *c, const struct change *ch, int status)
{
	json_t *tpl = change_json(ch);
	int st;

	if (ch->id > 0)
		json_object_set_new(tpl, "id", json_integer(ch->id));
	st = form_page(c, tpl);
	return st == 200 ? crm_ctx_status(c, status) : st;
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[5];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	crm_db_bind_str(&b[1], ch->subject, (size_t)-1);
	crm_db_bind_str(&b[2], ch->html, (size_t)-1);
	crm_db_bind_str(&b[3], ch->text, (size_t)-1);
	crm_db_bind_i64(&b[4], ch->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_TPL_CREATE, b, 5, NULL, &id)) != CRM_OK)
		return e;
	ch->id = (long long)id;
	return crm_ctx_audit(ch->c, "create", "email_template", ch->id, NULL, change_json(ch));
}

int
marketing_template_create(struct crm_ctx *c)
{
	struct change ch;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	if (read_form(c, &ch))
		return refused(c, &ch, 422);
	if ((e = crm_db_tx(c->db, create_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another template has this name."));
		ch.id = 0;
		return refused(c, &ch, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/templates/%lld?done=created", ch.id));
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[5];
	enum crm_err e;

	crm_db_bind_str(&b[0], ch->name, (size_t)-1);
	crm_db_bind_str(&b[1], ch->subject, (size_t)-1);
	crm_db_bind_str(&b[2], ch->html, (size_t)-1);
	crm_db_bind_str(&b[3], ch->text, (size_t)-1);
	crm_db_bind_i64(&b[4], ch->id);
	if ((e = crm_db_exec(db, STMT_TPL_UPDATE, b, 5, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "update", "email_template", ch->id, json_pack("{s:O,s:O,s:O,s:O}",
	    "name", json_object_get(ch->before, "name"), "subject", json_object_get(ch->before, "subject"),
	    "body_html", json_object_get(ch->before, "body_html"), "body_text", json_object_get(ch->before, "body_text")),
	    change_json(ch));
}

int
marketing_template_update(struct crm_ctx *c)
{
	struct change ch;
	enum crm_err e;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = marketing_load(c, STMT_TPL_GET, ch.id, 1, &status)) == NULL)
		return status;
	if (read_form(c, &ch))
		return refused(c, &ch, 422);
	if ((e = crm_db_tx(c->db, update_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another template has this name."));
		return refused(c, &ch, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/templates/%lld?done=saved", ch.id));
}

/* The contact named by "contact" (an id or an address) within the
 * reader's scope, or a sample one when it is empty; NULL with *status. */
static json_t *
merge_row(struct crm_ctx *c, const char *who, int *status)
{
	struct crm_db_bind b[6];
	json_t *row = NULL;
	char norm[256];
	long long id;
	enum crm_err e;

	if (*who == '\0')
		return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)0,
		    "first_name", "Ann", "last_name", "Example", "full_name", "Ann Example", "title", "",
		    "email", "ann@example.com", "phone", "", "mobile", "", "street", "", "city", "Springfield",
		    "region", "", "postcode", "", "country", "", "account_name", "Example Ltd",
		    "owner_name", c->user->name, "owner_email", c->user->email);
	if (crm_valid_id(who, &id)) {
		crm_db_bind_i64(&b[0], id);
		marketing_bind_scope(c, b + 1);
		e = crm_db_row(c->db, STMT_MERGE_CONTACT_SCOPED, b, 6, &row);
	} else if (crm_email_normalise(who, norm, sizeof(norm))) {
		crm_db_bind_str(&b[0], norm, (size_t)-1);
		marketing_bind_scope(c, b + 1);
		e = crm_db_row(c->db, STMT_MERGE_CONTACT_BY_EMAIL, b, 6, &row);
	} else
		e = CRM_ENOTFOUND;
	if (e == CRM_ENOTFOUND) {
		crm_ctx_field_error(c, "contact", N_("No contact has this id or address."));
		*status = 422;
		return NULL;
	}
	*status = 500;
	return e == CRM_OK ? row : NULL;
}

static void
free_tmpl(void *arg)
{
	marketing_mail_tmpl_free(arg);
}

/* The template of the address rendered for the contact of "contact":
 * tpl and parts set, or an HTTP status. */
static int
render(struct crm_ctx *c, const char *who, json_t **tpl, struct marketing_mail_parts *parts, long long *contact_id)
{
	struct marketing_mail_tmpl *t = crm_arena_calloc(c->arena, 1, sizeof(*t));
	json_t *row;
	char err[300];
	int status;

	if ((*tpl = marketing_load(c, STMT_TPL_GET, crm_ctx_id(c, "id"), 1, &status)) == NULL)
		return status;
	if ((row = merge_row(c, who, &status)) == NULL)
		return status;
	*contact_id = json_integer_value(json_object_get(row, "id"));
	if (marketing_mail_tmpl_compile(t, json_string_value(json_object_get(*tpl, "subject")),
	    json_string_value(json_object_get(*tpl, "body_html")), json_string_value(json_object_get(*tpl, "body_text")),
	    err, sizeof(err)) != CRM_OK)
		return 500;
	crm_arena_cleanup(c->arena, free_tmpl, t);
	/* Not a real message: the address shows where the link goes. */
	if (marketing_mail_render(t, marketing_merge_view(c->db, c->arena, row,
	    marketing_public_url(c, "/u/preview")), c->arena, parts) != CRM_OK)
		return 500;
	return 200;
}

int
marketing_template_preview(struct crm_ctx *c)
{
	struct marketing_mail_parts p;
	const char *who = crm_ctx_query_str(c, "contact");
	json_t *tpl = NULL;
	long long contact_id = 0;
	int status;

	if ((status = render(c, who, &tpl, &p, &contact_id)) == 422) {
		if (tpl == NULL)
			return 404;
		json_object_set_new(c->view, "template", tpl);
		json_object_set_new(c->view, "contact", json_string(who));
		marketing_nav(c, "templates");
		return crm_ctx_status(c, 422);
	}
	if (status != 200)
		return status;
	json_object_del(tpl, "body_html");
	json_object_del(tpl, "body_text");
	json_object_set_new(c->view, "template", tpl);
	json_object_set_new(c->view, "contact", json_string(who));
	json_object_set_new(c->view, "sample", json_boolean(contact_id == 0));
	json_object_set_new(c->view, "preview", json_pack("{s:s,s:s,s:s}", "subject", p.subject, "html", p.html,
	    "text", p.text));
	marketing_nav(c, "templates");
	return 200;
}

struct test {
	struct crm_ctx *c;
	long long template_id, contact_id;
	struct marketing_mail_parts p;
};

static enum crm_err
test_tx(struct crm_db *db, void *arg)
{
	struct test *t = arg;
	struct crm_db_bind b[7];
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], t->template_id);
	if (t->contact_id > 0)
		crm_db_bind_i64(&b[1], t->contact_id);
	else
		crm_db_bind_null(&b[1]);
	crm_db_bind_str(&b[2], t->c->user->email, (size_t)-1);
	crm_db_bind_str(&b[3], t->p.subject, (size_t)-1);
	crm_db_bind_str(&b[4], t->p.html, (size_t)-1);
	crm_db_bind_str(&b[5], t->p.text, (size_t)-1);
	crm_db_bind_i64(&b[6], t->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_TPL_TEST_QUEUE, b, 7, NULL, &id)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, "test_send", "email_template", t->template_id, NULL, json_pack("{s:s,s:I,s:I}",
	    "to", t->c->user->email, "contact_id", (json_int_t)t->contact_id, "test_send_id", (json_int_t)id));
}

/* A test send to oneself: the user's own address, never a typed one, so
 * the form cannot mail anyone else. */
int
marketing_template_test(struct crm_ctx *c)
{
	struct test t = { c, 0, 0, { NULL, NULL, NULL } };
	json_t *tpl = NULL;
	int status;

	if ((status = render(c, crm_ctx_form_str(c, "contact"), &tpl, &t.p, &t.contact_id)) == 422) {
		if (tpl == NULL)
			return 404;
		status = form_page(c, tpl);
		return status == 200 ? crm_ctx_status(c, 422) : status;
	}
	if (status != 200)
		return status;
	t.template_id = json_integer_value(json_object_get(tpl, "id"));
	if (!crm_valid_email(c->user->email) || strlen(t.p.subject) > 300) {
		crm_ctx_field_error(c, "contact", N_("The message cannot be sent: the subject is too long or your address is not valid."));
		status = form_page(c, tpl);
		return status == 200 ? crm_ctx_status(c, 422) : status;
	}
	if (crm_db_tx(c->db, test_tx, &t) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/templates/%lld?done=test_queued",
	    t.template_id));
}
