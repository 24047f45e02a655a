/* Converting a lead, in one step and one transaction: an account (new, or
 * the one the form offered as a duplicate), a contact (likewise, matched
 * on the normalised e-mail), optionally an opportunity in the default
 * pipeline's first open stage (/work/brief-stages.md: the stage's
 * probability and a history row), the lead marked qualified with links
 * to what it became, its activities moved onto the contact (lead_id
 * kept), and an audit row for each record. A lead converts once: the
 * lead's row is locked first, so two tries at once end in one 409. */
#include <string.h>

#include "crm_audit.h"
#include "crm_log.h"
#include "crm_money.h"
#include "crm_valid.h"
#include "extern.h"

struct convert {
	struct crm_ctx *c;
	long long lead_id, account_id, contact_id, opportunity_id;
	int new_account, new_contact, with_opportunity;
	const char *account_name, *opp_name, *close_date;
	char amount[CRM_DECIMAL_MAX];
	json_t *lead;
};

static const char *
str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

/* A choice of "new" or the id of a record the user reaches. */
static int
choice(struct crm_ctx *c, const char *field, size_t stmt, long long *id, int *is_new)
{
	const char *v = crm_ctx_form_str(c, field);
	struct crm_db_bind b[6];
	json_t *row = NULL;

	*id = 0;
	*is_new = strcmp(v, "new") == 0;
	if (*is_new)
		return 1;
	if (!crm_valid_id(v, id))
		return 0;
	crm_db_bind_i64(&b[0], *id);
	sales_bind_scope(c, b + 1);
	return crm_db_row(c->db, stmt, b, 6, &row) == CRM_OK;
}

static enum crm_err
account_tx(struct convert *cv, long long owner)
{
	struct crm_db_bind b[5];
	uint64_t id = 0;
	enum crm_err e;
	json_t *l = cv->lead;

	crm_db_bind_str(&b[0], cv->account_name, (size_t)-1);
	crm_db_bind_str(&b[1], str(l, "phone"), (size_t)-1);
	crm_db_bind_str(&b[2], str(l, "city"), (size_t)-1);
	crm_db_bind_str(&b[3], str(l, "country"), (size_t)-1);
	crm_db_bind_i64(&b[4], owner);
	if ((e = crm_db_exec(cv->c->db, STMT_LEAD_ACCOUNT_CREATE, b, 5, NULL, &id)) != CRM_OK)
		return e;
	cv->account_id = (long long)id;
	crm_db_bind_str(&b[0], "account", (size_t)-1);
	if ((e = crm_db_exec(cv->c->db, STMT_LEAD_COUNT_ADD, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(cv->c, "create", "account", cv->account_id, NULL,
	    json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "name", cv->account_name, "phone", str(l, "phone"),
	    "city", str(l, "city"), "country", str(l, "country"), "owner_id", (json_int_t)owner,
	    "lead_id", (json_int_t)cv->lead_id));
}

static enum crm_err
contact_tx(struct convert *cv, long long owner)
{
	struct crm_db_bind b[13];
	uint64_t id = 0;
	enum crm_err e;
	json_t *l = cv->lead;

	crm_db_bind_i64(&b[0], cv->account_id);
	crm_db_bind_str(&b[1], str(l, "first_name"), (size_t)-1);
	crm_db_bind_str(&b[2], str(l, "last_name"), (size_t)-1);
	crm_db_bind_str(&b[3], str(l, "full_name"), (size_t)-1);
	crm_db_bind_str(&b[4], str(l, "title"), (size_t)-1);
	crm_db_bind_str(&b[5], str(l, "email"), (size_t)-1);
	crm_db_bind_str(&b[6], str(l, "email_norm"), (size_t)-1);
	crm_db_bind_str(&b[7], str(l, "phone"), (size_t)-1);
	crm_db_bind_str(&b[8], str(l, "phone_e164"), (size_t)-1);
	crm_db_bind_str(&b[9], str(l, "city"), (size_t)-1);
	crm_db_bind_str(&b[10], str(l, "country"), (size_t)-1);
	crm_db_bind_str(&b[11], str(l, "source"), (size_t)-1);
	crm_db_bind_i64(&b[12], owner);
	if ((e = crm_db_exec(cv->c->db, STMT_LEAD_CONTACT_CREATE, b, 13, NULL, &id)) != CRM_OK)
		return e;
	cv->contact_id = (long long)id;
	crm_db_bind_str(&b[0], "contact", (size_t)-1);
	if ((e = crm_db_exec(cv->c->db, STMT_LEAD_COUNT_ADD, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(cv->c, "create", "contact", cv->contact_id, NULL,
	    json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "full_name", str(l, "full_name"), "email", str(l, "email"),
	    "phone", str(l, "phone"), "account_id", (json_int_t)cv->account_id, "owner_id", (json_int_t)owner,
	    "lead_id", (json_int_t)cv->lead_id));
}

static enum crm_err
opportunity_tx(struct convert *cv, long long owner)
{
	struct crm_db_bind b[11];
	json_t *stage = NULL;
	uint64_t id = 0;
	long long stage_id, pipeline_id;
	enum crm_err e;

	if ((e = crm_db_row(cv->c->db, STMT_LEAD_FIRST_STAGE, NULL, 0, &stage)) != CRM_OK)
		return e;
	stage_id = json_integer_value(json_object_get(stage, "id"));
	pipeline_id = json_integer_value(json_object_get(stage, "pipeline_id"));
	crm_db_bind_str(&b[0], cv->opp_name, (size_t)-1);
	crm_db_bind_i64(&b[1], cv->account_id);
	crm_db_bind_i64(&b[2], cv->contact_id);
	crm_db_bind_i64(&b[3], pipeline_id);
	crm_db_bind_i64(&b[4], stage_id);
	crm_db_bind_str(&b[5], cv->amount, (size_t)-1);
	crm_db_bind_str(&b[6], str(stage, "probability"), (size_t)-1);
	crm_db_bind_str(&b[7], cv->close_date, (size_t)-1);
	crm_db_bind_str(&b[8], str(cv->lead, "source"), (size_t)-1);
	crm_db_bind_i64(&b[9], cv->lead_id);
	crm_db_bind_i64(&b[10], owner);
	if ((e = crm_db_exec(cv->c->db, STMT_LEAD_OPP_CREATE, b, 11, NULL, &id)) != CRM_OK)
		return e;
	cv->opportunity_id = (long long)id;
	crm_db_bind_i64(&b[0], cv->opportunity_id);
	crm_db_bind_i64(&b[1], stage_id);
	crm_db_bind_str(&b[2], cv->amount, (size_t)-1);
	crm_db_bind_i64(&b[3], cv->c->user->user_id);
	if ((e = crm_db_exec(cv->c->db, STMT_LEAD_OPP_HISTORY, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(cv->c, "create", "opportunity", cv->opportunity_id, NULL,
	    json_pack("{s:s,s:I,s:I,s:I,s:I,s:s,s:s,s:s,s:I,s:I}", "name", cv->opp_name,
	    "account_id", (json_int_t)cv->account_id, "contact_id", (json_int_t)cv->contact_id,
	    "pipeline_id", (json_int_t)pipeline_id, "stage_id", (json_int_t)stage_id, "amount", cv->amount,
	    "probability", str(stage, "probability"), "close_date", cv->close_date,
	    "lead_id", (json_int_t)cv->lead_id, "owner_id", (json_int_t)owner));
}

static enum crm_err
convert_tx(struct crm_db *db, void *arg)
{
	struct convert *cv = arg;
	struct crm_db_bind b[6];
	long long owner;
	enum crm_err e;

	cv->opportunity_id = 0;
	if (cv->new_account)
		cv->account_id = 0;
	if (cv->new_contact)
		cv->contact_id = 0;
	crm_db_bind_i64(&b[0], cv->lead_id);
	sales_bind_scope(cv->c, b + 1);
	if ((e = crm_db_row(db, STMT_LEAD_LOCK, b, 6, &cv->lead)) != CRM_OK)
		return e;
	if (json_is_string(json_object_get(cv->lead, "converted_at")))
		return CRM_ECONFLICT;
	owner = json_integer_value(json_object_get(cv->lead, "owner_id"));
	if (cv->new_account && (e = account_tx(cv, owner)) != CRM_OK)
		return e;
	if (cv->new_contact && (e = contact_tx(cv, owner)) != CRM_OK)
		return e;
	if (cv->with_opportunity && (e = opportunity_tx(cv, owner)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], cv->account_id);
	crm_db_bind_i64(&b[1], cv->contact_id);
	if (cv->opportunity_id)
		crm_db_bind_i64(&b[2], cv->opportunity_id);
	else
		crm_db_bind_null(&b[2]);
	crm_db_bind_i64(&b[3], cv->lead_id);
	if ((e = crm_db_exec(db, STMT_LEAD_CONVERTED, b, 4, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], cv->contact_id);
	crm_db_bind_i64(&b[1], cv->account_id);
	crm_db_bind_i64(&b[2], cv->lead_id);
	if ((e = crm_db_exec(db, STMT_LEAD_ACTIVITIES_MOVE, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(cv->c, "convert", "lead", cv->lead_id,
	    json_pack("{s:O,s:n,s:n,s:n}", "status", json_object_get(cv->lead, "status"),
	    "account_id", "contact_id", "opportunity_id"),
	    json_pack("{s:s,s:I,s:I,s:o}", "status", "qualified", "account_id", (json_int_t)cv->account_id,
	    "contact_id", (json_int_t)cv->contact_id, "opportunity_id",
	    cv->opportunity_id ? json_integer(cv->opportunity_id) : json_null()));
}

/* The customers search index learns of the new records after commit; a
 * failure is logged and left to the nightly `crmctl search rebuild`. */
static void
index_put(struct crm_ctx *c, size_t stmt, long long id)
{
	struct crm_db_bind b[1];

	crm_db_bind_i64(&b[0], id);
	if (crm_db_exec(c->db, stmt, b, 1, NULL, NULL) != CRM_OK)
		crm_log(CRM_LOG_WARN, "search index: record %lld not updated: %s", id, crm_db_error(c->db));
}

static json_t *
typed(struct crm_ctx *c)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "account", crm_ctx_form_str(c, "account"),
	    "account_name", crm_ctx_form_str(c, "account_name"), "contact", crm_ctx_form_str(c, "contact"),
	    "opportunity_name", crm_ctx_form_str(c, "opportunity_name"), "amount", crm_ctx_form_str(c, "amount"),
	    "close_date", crm_ctx_form_str(c, "close_date"), "currency", sales_base_currency(c),
	    "create_opportunity", crm_ctx_form(c, "create_opportunity") != NULL);
}

static int
again(struct crm_ctx *c, long long id, int status)
{
	int st = sales_lead_page(c, id, NULL, typed(c));

	return st != 200 ? st : crm_ctx_status(c, status);
}

int
sales_lead_convert(struct crm_ctx *c)
{
	struct convert cv;
	struct crm_db_bind b[6];
	json_t *lead = NULL;
	long long cents = 0;
	enum crm_err e;

	memset(&cv, 0, sizeof(cv));
	cv.c = c;
	cv.lead_id = crm_ctx_id(c, "id");
	crm_db_bind_i64(&b[0], cv.lead_id);
	sales_bind_scope(c, b + 1);
	if (cv.lead_id == 0 || (e = crm_db_row(c->db, STMT_LEAD_GET, b, 6, &lead)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	if (json_is_string(json_object_get(lead, "converted_at")))
		return crm_ctx_fail(c, 409, N_("This lead was converted already."));
	cv.account_name = crm_ctx_form_str(c, "account_name");
	cv.opp_name = crm_ctx_form_str(c, "opportunity_name");
	cv.close_date = crm_ctx_form_str(c, "close_date");
	cv.with_opportunity = crm_ctx_form(c, "create_opportunity") != NULL;
	if (!choice(c, "account", STMT_LEAD_ACCOUNT_REACHABLE, &cv.account_id, &cv.new_account))
		crm_ctx_field_error(c, "account", N_("Choose an account you can reach, or a new one."));
	else if (cv.new_account && !crm_valid_text(cv.account_name, 1, 200, 0))
		crm_ctx_field_error(c, "account_name", N_("Enter the new account's name, up to 200 characters."));
	if (!choice(c, "contact", STMT_LEAD_CONTACT_REACHABLE, &cv.contact_id, &cv.new_contact))
		crm_ctx_field_error(c, "contact", N_("Choose a contact you can reach, or a new one."));
	if (cv.with_opportunity) {
		if (!crm_valid_text(cv.opp_name, 1, 200, 0))
			crm_ctx_field_error(c, "opportunity_name", N_("Enter the opportunity's name, up to 200 characters."));
		if (crm_money_parse(crm_ctx_form_str(c, "amount"), &cents) != 0 || cents < 0)
			crm_ctx_field_error(c, "amount", N_("Enter an amount such as 1250 or 19.99."));
		if (!crm_valid_date(cv.close_date))
			crm_ctx_field_error(c, "close_date", N_("Enter the date as YYYY-MM-DD."));
		crm_money_format(cv.amount, cents);
	}
	if (crm_ctx_has_errors(c))
		return again(c, cv.lead_id, 422);
	e = crm_db_tx(c->db, convert_tx, &cv);
	if (e == CRM_ECONFLICT)
		return crm_ctx_fail(c, 409, N_("This lead was converted already."));
	if (e == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	if (cv.new_account)
		index_put(c, STMT_LEAD_SEARCH_PUT_ACCOUNT, cv.account_id);
	if (cv.new_contact)
		index_put(c, STMT_LEAD_SEARCH_PUT_CONTACT, cv.contact_id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/sales/leads/%lld?done=converted", cv.lead_id));
}
