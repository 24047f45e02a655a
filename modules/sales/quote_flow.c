/* A quote's way out: approval when a line's discount is above settings
 * quote_approval_discount, sending (which freezes it and makes the
 * customer's link), and revising a sent quote into version n+1.
 *
 * Each step locks the quote row and checks its status again inside the
 * transaction, so two clicks or two users cannot both move it. Who may
 * approve: a holder of sales.quote.approve who reaches the quote, and not
 * its owner, unless an admin (a role holding "*"): an admin has no one to
 * ask. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_valid.h"
#include "quote_form.h"

struct step {
	struct crm_ctx *c;
	long long id, new_id;
	const char *note, *token, *why;     /* why: the refusal, marked N_() */
	int status;                         /* the refusal's HTTP status */
	long long days;
	int needs;
};

static enum crm_err
lock(struct crm_db *db, struct step *s, json_t **row)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], s->id);
	return crm_db_row(db, STMT_QUOTE_LOCK, b, 1, row);
}

static int
is(json_t *row, const char *status)
{
	return strcmp(json_string_value(json_object_get(row, "status")), status) == 0;
}

static enum crm_err
refuse(struct step *s, int status, const char *why)
{
	s->status = status;
	s->why = why;
	return CRM_ECONFLICT;
}

static enum crm_err
set_status(struct crm_db *db, struct step *s, json_t *row, const char *status)
{
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_str(&b[0], status, (size_t)-1);
	crm_db_bind_i64(&b[1], s->id);
	if ((e = crm_db_exec(db, STMT_QUOTE_SET_STATUS, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(s->c, "update", "quote", s->id,
	    json_pack("{s:O}", "status", json_object_get(row, "status")), json_pack("{s:s}", "status", status));
}

/* Runs fn on the quote of the route (which the user must reach), then
 * back to its page with done, or the refusal. */
static int
run(struct crm_ctx *c, struct step *s, enum crm_err (*fn)(struct crm_db *, void *), const char *done)
{
	json_t *q;
	int st;
	enum crm_err e;

	s->c = c;
	s->id = crm_ctx_id(c, "id");
	if ((q = sales_quote_load(c, s->id, &st)) == NULL)
		return st;
	s->needs = sales_quote_needs_approval(c, q);
	if ((e = crm_db_tx(c->db, fn, s)) == CRM_ECONFLICT)
		return s->why ? crm_ctx_fail(c, s->status, s->why) :
		    crm_ctx_fail(c, 409, N_("The quote was changed meanwhile: reload it."));
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/quotes/%lld?done=%s",
	    s->new_id ? s->new_id : s->id, done));
}

static enum crm_err
request_tx(struct crm_db *db, void *arg)
{
	struct step *s = arg;
	json_t *row = NULL;
	enum crm_err e;

	if ((e = lock(db, s, &row)) != CRM_OK)
		return e;
	if (!is(row, "draft") && !is(row, "rejected"))
		return refuse(s, 409, N_("Only a draft or a rejected quote can be put up for approval."));
	if (!s->needs)
		return refuse(s, 409, N_("No discount of this quote needs approval: send it."));
	return set_status(db, s, row, "pending_approval");
}

int
sales_quote_request_approval(struct crm_ctx *c)
{
	struct step s;

	memset(&s, 0, sizeof(s));
	return run(c, &s, request_tx, "approval-requested");
}

/* Approve (note optional) or reject (note required). */
static enum crm_err
decide(struct crm_db *db, struct step *s, const char *status)
{
	struct crm_db_bind b[4];
	json_t *row = NULL;
	enum crm_err e;

	if ((e = lock(db, s, &row)) != CRM_OK)
		return e;
	if (!is(row, "pending_approval") && !is(row, "draft"))
		return refuse(s, 409, N_("Only a quote waiting for approval can be approved or rejected."));
	if (!s->needs)
		return refuse(s, 409, N_("No discount of this quote needs approval."));
	if (json_integer_value(json_object_get(row, "owner_id")) == s->c->user->user_id &&
	    !sales_user_is_admin(s->c))
		return refuse(s, 403, N_("Someone else must approve your own quote."));
	crm_db_bind_str(&b[0], status, (size_t)-1);
	crm_db_bind_i64(&b[1], s->c->user->user_id);
	crm_db_bind_str(&b[2], s->note, (size_t)-1);
	crm_db_bind_i64(&b[3], s->id);
	if ((e = crm_db_exec(db, STMT_QUOTE_APPROVAL, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(s->c, status[0] == 'a' ? "approve" : "reject", "quote", s->id,
	    json_pack("{s:O}", "status", json_object_get(row, "status")),
	    json_pack("{s:s,s:I,s:s}", "status", status, "approved_by", (json_int_t)s->c->user->user_id,
	    "approval_note", s->note));
}

static enum crm_err
approve_tx(struct crm_db *db, void *arg)
{
	return decide(db, arg, "approved");
}

static enum crm_err
reject_tx(struct crm_db *db, void *arg)
{
	return decide(db, arg, "rejected");
}

int
sales_quote_approve(struct crm_ctx *c)
{
	struct step s;

	memset(&s, 0, sizeof(s));
	s.note = crm_ctx_form_str(c, "note");
	if (!crm_valid_text(s.note, 0, 500, 0)) {
		crm_ctx_field_error(c, "note", N_("Keep the note under 500 characters."));
		return crm_ctx_status(c, sales_quote_show(c) == 200 ? 422 : 404);
	}
	return run(c, &s, approve_tx, "quote-approved");
}

int
sales_quote_reject(struct crm_ctx *c)
{
	struct step s;

	memset(&s, 0, sizeof(s));
	s.note = crm_ctx_form_str(c, "note");
	if (!crm_valid_text(s.note, 1, 500, 0)) {
		crm_ctx_field_error(c, "note", N_("Say why the quote is rejected (up to 500 characters)."));
		return crm_ctx_status(c, sales_quote_show(c) == 200 ? 422 : 404);
	}
	return run(c, &s, reject_tx, "quote-rejected");
}

static enum crm_err
send_tx(struct crm_db *db, void *arg)
{
	struct step *s = arg;
	struct crm_ctx *c = s->c;
	struct crm_db_bind b[2];
	json_t *row = NULL, *rate = NULL;
	const char *currency;
	char token[CRM_AUTH_SECRET_LEN + 1];
	enum crm_err e;

	if ((e = lock(db, s, &row)) != CRM_OK)
		return e;
	if (!is(row, "draft") && !is(row, "approved"))
		return refuse(s, 409, N_("Only a draft or an approved quote can be sent."));
	if (is(row, "draft") && s->needs)
		return refuse(s, 409, N_("A discount of this quote is above the approval limit: a manager must approve it first."));
	if (sales_flag(row, "expired"))
		return refuse(s, 409, N_("The quote's validity has passed: edit the date first."));
	/* The order will need the rate to count the total in the base currency. */
	currency = json_string_value(json_object_get(row, "currency"));
	if (strcmp(currency, sales_base_currency(c)) != 0) {
		crm_db_bind_str(&b[0], currency, (size_t)-1);
		if ((e = crm_db_row(db, STMT_RATE_GET, b, 1, &rate)) == CRM_ENOTFOUND)
			return refuse(s, 409, N_("There is no exchange rate for the quote's currency: an admin must set one first."));
		if (e != CRM_OK)
			return e;
	}
	crm_auth_new_secret(token);
	s->token = crm_arena_strdup(c->arena, token);
	crm_db_bind_str(&b[0], s->token, (size_t)-1);
	crm_db_bind_i64(&b[1], s->id);
	if ((e = crm_db_exec(db, STMT_QUOTE_SEND, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	/* The token is a secret: the audit row says only that there is one. */
	return crm_ctx_audit(c, "send", "quote", s->id, json_pack("{s:O}", "status", json_object_get(row, "status")),
	    json_pack("{s:s,s:b}", "status", "sent", "link", 1));
}

int
sales_quote_send(struct crm_ctx *c)
{
	struct step s;

	memset(&s, 0, sizeof(s));
	return run(c, &s, send_tx, "quote-sent");
}

static enum crm_err
revise_tx(struct crm_db *db, void *arg)
{
	struct step *s = arg;
	struct crm_db_bind b[2];
	json_t *row = NULL;
	uint64_t id = 0;
	enum crm_err e;

	if ((e = lock(db, s, &row)) != CRM_OK)
		return e;
	if (!is(row, "sent") && !is(row, "declined"))
		return refuse(s, 409, N_("Only a sent or declined quote can be revised."));
	crm_db_bind_i64(&b[0], s->days);
	crm_db_bind_i64(&b[1], s->id);
	if ((e = crm_db_exec(db, STMT_QUOTE_REVISE, b, 2, NULL, &id)) != CRM_OK)
		return e == CRM_ECONFLICT ? refuse(s, 409, N_("This version was revised already.")) : e;
	s->new_id = (long long)id;
	crm_db_bind_i64(&b[0], s->new_id);
	crm_db_bind_i64(&b[1], s->id);
	if ((e = crm_db_exec(db, STMT_QUOTE_LINES_COPY, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = crm_ctx_audit(s->c, "create", "quote", s->new_id, NULL, json_pack("{s:O,s:I,s:I}",
	    "number", json_object_get(row, "number"),
	    "version", (json_int_t)json_integer_value(json_object_get(row, "version")) + 1,
	    "revises", (json_int_t)s->id))) != CRM_OK)
		return e;
	return set_status(db, s, row, "superseded");
}

int
sales_quote_revise(struct crm_ctx *c)
{
	struct step s;

	memset(&s, 0, sizeof(s));
	s.days = 30;
	crm_valid_id(crm_setting(c->db, c->arena, "quote_valid_days", "30"), &s.days);
	return run(c, &s, revise_tx, "quote-revised");
}
