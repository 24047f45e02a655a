/* The public side of a web-to-lead form: its page (GET /sales/forms/:token)
 * and its submissions (POST, from that page or from the snippet pasted
 * into another site). The POST route is CRM_PERM_CROSS_SITE: another site
 * cannot carry our form token, so none is asked, and the handler runs as
 * nobody, so a forged POST gains no one's rights. What protects it
 * instead, in the order it is checked:
 *   - the address holds the form's random secret (crm_auth_new_secret);
 *   - a rate limit per client address and form (RATE_MAX POSTs in ten
 *     minutes, counted in lead_form_hits, before anything else): 429;
 *   - only the form's own fields are taken: anything else is a 422;
 *   - a honeypot field people never see must stay empty: 400;
 *   - the page carries a stamp, the time it was served signed with the
 *     form's key (crypto_auth); a POST without a valid stamp, or sooner
 *     than MIN_SECONDS after it (a script), gets the form back with what
 *     was typed and a fresh stamp (422), so a person sends it again and
 *     nothing is stored. A POST from the pasted snippet has no stamp:
 *     its sender confirms once on our page.
 * A lead made here is audited with no user (crm_ctx_audit writes NULL). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

#define HONEYPOT "website"
#define STAMP_FIELD "form_stamp"
#define MIN_SECONDS 3
#define MAX_SECONDS (24 * 3600)
#define RATE_MAX 5

static json_t *
load(struct crm_ctx *c)
{
	const char *token = crm_ctx_path_param(c, "token");
	struct crm_db_bind b[1];
	json_t *row = NULL;

	if (token == NULL || strlen(token) != 43)
		return NULL;
	crm_db_bind_str(&b[0], token, (size_t)-1);
	if (crm_db_row(c->db, STMT_LEAD_FORM_BY_TOKEN, b, 1, &row) != CRM_OK)
		return NULL;
	return row;
}

static int
stamp_mac(json_t *form, long long at, char hex[crypto_auth_BYTES * 2 + 1])
{
	const char *keyhex = json_string_value(json_object_get(form, "stamp_key"));
	unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	char msg[64];
	size_t len = 0;

	if (keyhex == NULL || sodium_hex2bin(key, sizeof(key), keyhex, strlen(keyhex), NULL, &len, NULL) != 0 ||
	    len != sizeof(key))
		return -1;
	snprintf(msg, sizeof(msg), "%lld:%lld", (long long)json_integer_value(json_object_get(form, "id")), at);
	crypto_auth(mac, (const unsigned char *)msg, strlen(msg), key);
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(hex, crypto_auth_BYTES * 2 + 1, mac, sizeof(mac));
	return 0;
}

static const char *
new_stamp(struct crm_ctx *c, json_t *form)
{
	char hex[crypto_auth_BYTES * 2 + 1];
	long long now = (long long)time(NULL);

	if (stamp_mac(form, now, hex) != 0)
		return "";
	return crm_arena_printf(c->arena, "%lld.%s", now, hex);
}

/* 1 when the stamp is ours and old enough, and not a day old. */
static int
stamp_ok(json_t *form, const char *stamp)
{
	char want[crypto_auth_BYTES * 2 + 1], *end;
	long long at = strtoll(stamp, &end, 10), now = (long long)time(NULL);

	if (*stamp == '\0' || *end != '.' || stamp_mac(form, at, want) != 0 || strlen(end + 1) != strlen(want) ||
	    sodium_memcmp(end + 1, want, strlen(want)) != 0)
		return 0;
	return now - at >= MIN_SECONDS && now - at <= MAX_SECONDS;
}

/* The page: the form's fields with what was typed. */
static int
page(struct crm_ctx *c, json_t *form)
{
	const char *fields = json_string_value(json_object_get(form, "fields"));
	const char *required = json_string_value(json_object_get(form, "required"));
	json_t *rows = json_array();
	size_t i;

	for (i = 0; sales_lead_form_fields[i]; i++) {
		const char *f = sales_lead_form_fields[i];

		if (!sales_lead_listed(fields, f))
			continue;
		json_array_append_new(rows, json_pack("{s:s,s:s,s:b,s:b,s:s}", "name", f,
		    "label", sales_lead_field_label(c, f), "required", sales_lead_listed(required, f),
		    "is_message", strcmp(f, "message") == 0, "value", crm_ctx_form_str(c, f)));
	}
	json_object_set_new(c->view, "webform", json_pack("{s:O,s:O,s:o,s:s}", "name", json_object_get(form, "name"),
	    "token", json_object_get(form, "token"), "fields", rows, "stamp", new_stamp(c, form)));
	c->template = "sales/lead_public";
	return 200;
}

int
sales_form_page(struct crm_ctx *c)
{
	json_t *form = load(c);

	return form ? page(c, form) : 404;
}

/* The value of a field the form shows; "" for any other. */
struct shown {
	struct crm_ctx *c;
	json_t *form;
};

static const char *
shown_value(void *arg, const char *name)
{
	struct shown *s = arg;

	if (strcmp(name, "source") == 0)
		return json_string_value(json_object_get(s->form, "source"));
	if (!sales_lead_listed(json_string_value(json_object_get(s->form, "fields")), name))
		return "";
	return crm_ctx_form_str(s->c, name);
}

/* Counts this POST; 1 when the address is over the limit. */
static int
over_limit(struct crm_ctx *c, long long form_id)
{
	const char *ip = c->remote_addr ? c->remote_addr : "";
	struct crm_db_bind b[2];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], form_id);
	crm_db_bind_str(&b[1], ip, (size_t)-1);
	if (crm_db_exec(c->db, STMT_LEAD_FORM_HIT, b, 2, NULL, NULL) != CRM_OK ||
	    crm_db_row(c->db, STMT_LEAD_FORM_HITS, b, 2, &row) != CRM_OK)
		return 1;
	/* The first POST of a window sweeps out a few old windows. */
	if (json_integer_value(json_object_get(row, "hits")) == 1)
		crm_db_exec(c->db, STMT_LEAD_FORM_SWEEP, NULL, 0, NULL, NULL);
	return json_integer_value(json_object_get(row, "hits")) > RATE_MAX;
}

struct submit {
	struct crm_ctx *c;
	json_t *form;
	struct lead_fields f;
	long long id, owner;
};

static enum crm_err
submit_tx(struct crm_db *db, void *arg)
{
	struct submit *s = arg;
	struct crm_db_bind b[19];
	json_t *after = sales_lead_json(&s->f);
	long long fallback = json_integer_value(json_object_get(s->form, "owner_id"));
	uint64_t id = 0;
	enum crm_err e;

	s->owner = fallback;
	if (json_is_true(json_object_get(s->form, "use_rules")) &&
	    (e = sales_lead_assign(db, s->f.country, s->f.city, fallback, &s->owner)) != CRM_OK)
		return e;
	sales_lead_bind(&s->f, b);
	crm_db_bind_i64(&b[17], s->owner);
	crm_db_bind_i64(&b[18], json_integer_value(json_object_get(s->form, "id")));
	if ((e = crm_db_exec(db, STMT_LEAD_CREATE, b, 19, NULL, &id)) != CRM_OK)
		return e;
	s->id = (long long)id;
	json_object_set_new(after, "owner_id", json_integer(s->owner));
	json_object_set_new(after, "form_id", json_incref(json_object_get(s->form, "id")));
	return crm_ctx_audit(s->c, "create", "lead", s->id, NULL, after);
}

int
sales_form_submit(struct crm_ctx *c)
{
	struct submit s;
	struct shown sh;
	const char *fields, *required, *redirect, *thanks;
	json_t *unknown = json_array();
	size_t i;

	memset(&s, 0, sizeof(s));
	s.c = c;
	if ((s.form = load(c)) == NULL)
		return 404;
	if (over_limit(c, json_integer_value(json_object_get(s.form, "id")))) {
		crm_ctx_header(c, "Retry-After", "600");
		return crm_ctx_fail(c, 429, N_("Too many forms were sent from your address. Try again in ten minutes."));
	}
	fields = json_string_value(json_object_get(s.form, "fields"));
	required = json_string_value(json_object_get(s.form, "required"));
	for (i = 0; i < c->form.n; i++) {
		const char *name = c->form.v[i].name.data;

		if (strcmp(name, HONEYPOT) != 0 && strcmp(name, STAMP_FIELD) != 0 && !sales_lead_listed(fields, name))
			json_array_append_new(unknown, json_string(name));
	}
	if (json_array_size(unknown)) {
		json_object_set_new(c->view, "unknown_fields", unknown);
		crm_ctx_field_error(c, "form", N_("The form was sent with fields it does not have."));
		page(c, s.form);
		return crm_ctx_status(c, 422);
	}
	if (*crm_ctx_form_str(c, HONEYPOT) != '\0')
		return crm_ctx_fail(c, 400, N_("The form could not be accepted."));
	if (!stamp_ok(s.form, crm_ctx_form_str(c, STAMP_FIELD))) {
		crm_ctx_field_error(c, "form", N_("Please check your details and send the form again."));
		page(c, s.form);
		return crm_ctx_status(c, 422);
	}
	sh.c = c;
	sh.form = s.form;
	sales_lead_read(c, &s.f, shown_value, &sh);
	s.f.status = "new";
	for (i = 0; sales_lead_form_fields[i]; i++)
		if (sales_lead_listed(required, sales_lead_form_fields[i]) && *crm_ctx_form_str(c, sales_lead_form_fields[i]) == '\0')
			crm_ctx_field_error(c, sales_lead_form_fields[i], N_("This field is required."));
	if (crm_ctx_has_errors(c)) {
		page(c, s.form);
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, submit_tx, &s) != CRM_OK)
		return 500;
	redirect = json_string_value(json_object_get(s.form, "redirect_url"));
	if (redirect && *redirect)
		return crm_ctx_redirect(c, 303, redirect);
	thanks = json_string_value(json_object_get(s.form, "thanks"));
	json_object_set_new(c->view, "webform", json_pack("{s:O,s:s}", "name", json_object_get(s.form, "name"),
	    "thanks", thanks && *thanks ? thanks : crm_ctx_text(c, N_("Thank you. We will be in touch soon."))));
	c->template = "sales/lead_thanks";
	return 200;
}
