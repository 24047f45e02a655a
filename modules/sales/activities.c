/* A note or a call logged on a lead or a deal: it happened now, so it is
 * done at once. A deal's activity is also its account's, so the account's
 * timeline in the customers module shows it. The caller has found the
 * record within the user's reach; this checks the form and writes the
 * activity with its audit row. */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const kinds[] = { "note", "call", NULL };
static const char *const kind_labels[] = { N_("Note"), N_("Call"), NULL };

void
sales_activity_form(struct crm_ctx *c)
{
	json_object_set_new(c->view, "activity_kinds", sales_lead_options(c, kinds, kind_labels,
	    crm_ctx_form_str(c, "kind")[0] ? crm_ctx_form_str(c, "kind") : "note"));
}

struct activity {
	struct crm_ctx *c;
	const struct sales_activity_target *t;
	long long record_id;
	const char *kind, *subject, *body;
	uint64_t id;
};

static enum crm_err
activity_tx(struct crm_db *db, void *arg)
{
	struct activity *a = arg;
	struct crm_db_bind b[6];
	enum crm_err e;

	crm_db_bind_str(&b[0], a->kind, (size_t)-1);
	crm_db_bind_str(&b[1], a->subject, (size_t)-1);
	crm_db_bind_str(&b[2], a->body, (size_t)-1);
	crm_db_bind_i64(&b[3], a->c->user->user_id);
	crm_db_bind_i64(&b[4], a->c->user->user_id);
	crm_db_bind_i64(&b[5], a->record_id);
	if ((e = crm_db_exec(db, a->t->insert, b, 6, NULL, &a->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "create", "activity", (long long)a->id, NULL,
	    json_pack("{s:s,s:s,s:s,s:I}", "kind", a->kind, "subject", a->subject, "body", a->body,
	    a->t->key, (json_int_t)a->record_id));
}

int
sales_activity_log(struct crm_ctx *c, const struct sales_activity_target *t, long long record_id)
{
	struct activity a;
	int status;

	memset(&a, 0, sizeof(a));
	a.c = c;
	a.t = t;
	a.record_id = record_id;
	a.kind = crm_ctx_form_str(c, "kind");
	a.subject = crm_ctx_form_str(c, "subject");
	a.body = crm_ctx_form_str(c, "body");
	if (!crm_valid_oneof(a.kind, kinds))
		crm_ctx_field_error(c, "kind", N_("Choose a note or a call."));
	if (!crm_valid_text(a.subject, 1, 200, 0))
		crm_ctx_field_error(c, "subject", N_("Enter a subject of up to 200 characters."));
	if (!crm_valid_text(a.body, 0, 5000, 1))
		crm_ctx_field_error(c, "body", N_("Keep the text under 5000 characters."));
	if (crm_ctx_has_errors(c)) {
		if ((status = t->page(c, record_id)) != 200)
			return status;
		json_object_set_new(c->view, "activity", json_pack("{s:s,s:s}", "subject", a.subject, "body", a.body));
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, activity_tx, &a) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "%s/%lld?done=activity-logged#activities",
	    t->path, record_id));
}
