/* The customer's ticket form (GET/POST /service/new, no sign-in). It is
 * our own page, so its POST carries the form token (the crm_csrf cookie,
 * double submit); against scripts it has the web-to-lead form's defences
 * (modules/sales/lead_public.c), checked in this order:
 *   - a rate limit per client address (RATE_MAX POSTs in ten minutes,
 *     counted in service_form_hits before anything else): 429;
 *   - only the form's own fields are taken: anything else is a 422;
 *   - a honeypot field people never see must stay empty: 400;
 *   - a stamp, the time the page was served signed with the
 *     service_form_key setting (crypto_auth): without a valid one, or
 *     sooner than MIN_SECONDS after it, the form comes back with what was
 *     typed and a fresh stamp (422) and nothing is stored.
 * The ticket is the web channel's, new and created by nobody, with the
 * customer's optional file (public, as everything the customer sends);
 * the assignment rules pick its agent and its SLA starts, as for a ticket
 * staff open. Its audit rows have no user. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_phone.h"
#include "crm_valid.h"
#include "extern.h"

#define HONEYPOT "website"
#define STAMP_FIELD "form_stamp"
#define MIN_SECONDS 3
#define MAX_SECONDS (24 * 3600)
#define RATE_MAX 5

static const char *const fields[] = { "name", "email", "subject", "description", "category_id",
	"order_number", "file", NULL };

static int
stamp_mac(struct crm_ctx *c, long long at, char hex[crypto_auth_BYTES * 2 + 1])
{
	const char *keyhex = crm_setting(c->db, c->arena, "service_form_key", "");
	unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	char msg[32];
	size_t len = 0;

	if (sodium_hex2bin(key, sizeof(key), keyhex, strlen(keyhex), NULL, &len, NULL) != 0 || len != sizeof(key))
		return -1;
	snprintf(msg, sizeof(msg), "ticket:%lld", at);
	crypto_auth(mac, (const unsigned char *)msg, strlen(msg), key);
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(hex, crypto_auth_BYTES * 2 + 1, mac, sizeof(mac));
	return 0;
}

static const char *
new_stamp(struct crm_ctx *c)
{
	char hex[crypto_auth_BYTES * 2 + 1];
	long long now = (long long)time(NULL);

	if (stamp_mac(c, now, hex) != 0)
		return "";
	return crm_arena_printf(c->arena, "%lld.%s", now, hex);
}

/* 1 when the stamp is ours, old enough, and not a day old. */
static int
stamp_ok(struct crm_ctx *c, const char *stamp)
{
	char want[crypto_auth_BYTES * 2 + 1], *end;
	long long at = strtoll(stamp, &end, 10), now = (long long)time(NULL);

	if (*stamp == '\0' || *end != '.' || stamp_mac(c, at, want) != 0 || strlen(end + 1) != strlen(want) ||
	    sodium_memcmp(end + 1, want, strlen(want)) != 0)
		return 0;
	return now - at >= MIN_SECONDS && now - at <= MAX_SECONDS;
}

/* The form with what was typed and a fresh stamp. */
static int
page(struct crm_ctx *c)
{
	json_t *cats = NULL, *cat, *typed = json_object();
	const char *chosen = crm_ctx_form_str(c, "category_id");
	size_t i;

	if (crm_db_rows(c->db, STMT_PUB_CATEGORIES, NULL, 0, &cats) != CRM_OK)
		return 500;
	json_array_foreach(cats, i, cat)
		json_object_set_new(cat, "selected", json_boolean(*chosen && atoll(chosen) ==
		    json_integer_value(json_object_get(cat, "id"))));
	for (i = 0; fields[i]; i++)
		json_object_set_new(typed, fields[i], json_string(crm_ctx_form_str(c, fields[i])));
	json_object_set_new(c->view, "ticket_form", json_pack("{s:o,s:o,s:s}", "categories", cats,
	    "typed", typed, "stamp", new_stamp(c)));
	c->template = "service/public_new";
	return 200;
}

int
service_public_new(struct crm_ctx *c)
{
	return page(c);
}

/* Counts this POST; 1 when the address is over the limit. */
static int
over_limit(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	json_int_t hits;

	crm_db_bind_str(&b[0], c->remote_addr ? c->remote_addr : "", (size_t)-1);
	if (crm_db_exec(c->db, STMT_PUB_FORM_HIT, b, 1, NULL, NULL) != CRM_OK ||
	    crm_db_row(c->db, STMT_PUB_FORM_HITS, b, 1, &row) != CRM_OK)
		return 1;
	hits = json_integer_value(json_object_get(row, "hits"));
	/* The first POST of a window sweeps out a few old windows. */
	if (hits == 1)
		crm_db_exec(c->db, STMT_PUB_FORM_SWEEP, NULL, 0, NULL, NULL);
	return hits > RATE_MAX;
}

static int
known(const char *name)
{
	size_t i;

	if (strcmp(name, HONEYPOT) == 0 || strcmp(name, STAMP_FIELD) == 0 || strcmp(name, "csrf_token") == 0)
		return 1;
	for (i = 0; fields[i]; i++)
		if (strcmp(name, fields[i]) == 0)
			return 1;
	return 0;
}

struct ticket {
	struct crm_ctx *c;
	const char *name, *email, *subject, *description, *order_number;
	char email_norm[256];
	char token[CRM_AUTH_SECRET_LEN + 1];
	long long id, category_id, contact_id, account_id, order_id;
	struct service_file file;
};

/* The contact whose e-mail it is, and the order when it is theirs. */
static enum crm_err
match(struct crm_db *db, struct ticket *t)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_str(&b[0], t->email_norm, (size_t)-1);
	if ((e = crm_db_row(db, STMT_PUB_CONTACT_BY_EMAIL, b, 1, &row)) == CRM_ENOTFOUND)
		return CRM_OK;
	if (e != CRM_OK)
		return e;
	t->contact_id = json_integer_value(json_object_get(row, "id"));
	t->account_id = json_integer_value(json_object_get(row, "account_id"));
	if (*t->order_number == '\0' || t->account_id == 0)
		return CRM_OK;
	crm_db_bind_str(&b[0], t->order_number, (size_t)-1);
	crm_db_bind_i64(&b[1], t->account_id);
	if ((e = crm_db_row(db, STMT_PUB_ORDER_OF_ACCOUNT, b, 2, &row)) == CRM_OK)
		t->order_id = json_integer_value(json_object_get(row, "id"));
	return e == CRM_ENOTFOUND ? CRM_OK : e;
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct ticket *t = arg;
	struct crm_db_bind b[9];
	const char *body = t->description;
	long long owner = 0, team = 0;
	uint64_t id = 0, message_id = 0;
	enum crm_err e;

	t->contact_id = t->account_id = t->order_id = 0;
	if ((e = match(db, t)) != CRM_OK)
		return e;
	/* An order number that is not linked stays in the customer's words. */
	if (*t->order_number && t->order_id == 0)
		body = crm_arena_printf(t->c->arena, "%s\n\n%s: %s", t->description,
		    crm_ctx_text(t->c, N_("Order number")), t->order_number);
	crm_auth_new_secret(t->token);
	crm_db_bind_str(&b[0], t->subject, (size_t)-1);
	crm_db_bind_str(&b[1], body, (size_t)-1);
	crm_db_bind_id(&b[2], t->contact_id);
	crm_db_bind_id(&b[3], t->account_id);
	crm_db_bind_id(&b[4], t->order_id);
	crm_db_bind_str(&b[5], t->name, (size_t)-1);
	crm_db_bind_str(&b[6], t->email, (size_t)-1);
	crm_db_bind_i64(&b[7], t->category_id);
	crm_db_bind_str(&b[8], t->token, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_PUB_TICKET_CREATE, b, 9, NULL, &id)) != CRM_OK)
		return e;
	t->id = (long long)id;
	crm_db_bind_i64(&b[0], t->id);
	crm_db_bind_str(&b[1], body, (size_t)-1);
	crm_db_bind_str(&b[2], t->name, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_PUB_MESSAGE_CREATE, b, 3, NULL, &message_id)) != CRM_OK ||
	    (e = service_file_store(t->c, db, &t->file, t->id, message_id, 1)) != CRM_OK)
		return e;
	if ((e = service_assign(t->c, db, t->id, t->category_id, &owner, &team)) != CRM_OK ||
	    (e = crm_ticket_sla_start(t->c->arena, db, t->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, "create", "ticket", t->id, NULL, json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:s}",
	    "subject", t->subject, "requester_name", t->name, "requester_email", t->email,
	    "category_id", (json_int_t)t->category_id, "contact_id", (json_int_t)t->contact_id,
	    "order_id", (json_int_t)t->order_id, "channel", "web"));
}

static int
read_form(struct crm_ctx *c, struct ticket *t)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	const char *cat = crm_ctx_form_str(c, "category_id");

	t->name = crm_ctx_form_str(c, "name");
	t->email = crm_ctx_form_str(c, "email");
	t->subject = crm_ctx_form_str(c, "subject");
	t->description = crm_ctx_form_str(c, "description");
	t->order_number = crm_ctx_form_str(c, "order_number");
	if (!crm_valid_text(t->name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter your name, up to 200 characters."));
	if (!crm_valid_email(t->email) || !crm_email_normalise(t->email, t->email_norm, sizeof(t->email_norm)))
		crm_ctx_field_error(c, "email", N_("Enter a valid e-mail address."));
	if (!crm_valid_text(t->subject, 1, 200, 0))
		crm_ctx_field_error(c, "subject", N_("Enter a subject of up to 200 characters."));
	if (!crm_valid_text(t->description, 1, 10000, 1))
		crm_ctx_field_error(c, "description", N_("Describe the problem in up to 10000 characters."));
	if (!crm_valid_text(t->order_number, 0, 40, 0))
		crm_ctx_field_error(c, "order_number", N_("An order number has up to 40 characters."));
	if (!crm_valid_id(cat, &t->category_id))
		t->category_id = 0;
	if (t->category_id > 0) {
		crm_db_bind_i64(&b[0], t->category_id);
		if (crm_db_row(c->db, STMT_PUB_CATEGORY_ACTIVE, b, 1, &row) != CRM_OK)
			t->category_id = 0;
	}
	if (t->category_id == 0)
		crm_ctx_field_error(c, "category_id", N_("Choose what your request is about."));
	return crm_ctx_has_errors(c);
}

static int
again(struct crm_ctx *c, int status)
{
	int st = page(c);

	return st == 200 ? crm_ctx_status(c, status) : st;
}

int
service_public_create(struct crm_ctx *c)
{
	struct ticket t;
	json_t *unknown = json_array();
	size_t i;
	int st;

	memset(&t, 0, sizeof(t));
	t.c = c;
	if (over_limit(c)) {
		crm_ctx_header(c, "Retry-After", "600");
		return crm_ctx_fail(c, 429, N_("Too many forms were sent from your address. Try again in ten minutes."));
	}
	for (i = 0; i < c->form.n; i++)
		if (!known(c->form.v[i].name.data))
			json_array_append_new(unknown, json_string(c->form.v[i].name.data));
	if (json_array_size(unknown)) {
		json_object_set_new(c->view, "unknown_fields", unknown);
		crm_ctx_field_error(c, "form", N_("The form was sent with fields it does not have."));
		return again(c, 422);
	}
	if (*crm_ctx_form_str(c, HONEYPOT) != '\0')
		return crm_ctx_fail(c, 400, N_("The form could not be accepted."));
	if (!stamp_ok(c, crm_ctx_form_str(c, STAMP_FIELD))) {
		crm_ctx_field_error(c, "form", N_("Please check your details and send the form again."));
		return again(c, 422);
	}
	if ((st = service_file_check(c, &t.file)) == 500)
		return 500;
	if (read_form(c, &t) || st != 0)
		return again(c, st ? st : 422);
	if (crm_db_tx(c->db, create_tx, &t) != CRM_OK)
		return (st = service_file_failed(c, &t.file)) == 507 ? again(c, st) : st;
	json_object_set_new(c->view, "ticket", json_pack("{s:I,s:s,s:s}", "id", (json_int_t)t.id,
	    "subject", t.subject, "link", service_public_link(c, t.token)));
	c->template = "service/public_thanks";
	return 200;
}
