/* What a campaign aims at: target lists and segments, added and removed
 * on its page, and "fill members", which puts every target's contacts (a
 * segment's current members through its compiled conditions) into
 * campaign_members in one transaction, each contact once, with the
 * campaign's kept member count moved by exactly the rows added. */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "extern.h"

struct target {
	struct crm_ctx *c;
	long long campaign_id, list_id, segment_id, target_id;
	long long added;
};

static enum crm_err
add_tx(struct crm_db *db, void *arg)
{
	struct target *t = arg;
	struct crm_db_bind b[2];
	uint64_t n = 0, id = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], t->campaign_id);
	crm_db_bind_i64(&b[1], t->list_id ? t->list_id : t->segment_id);
	if ((e = crm_db_exec(db, t->list_id ? STMT_CAMPAIGN_TARGET_ADD_LIST : STMT_CAMPAIGN_TARGET_ADD_SEGMENT,
	    b, 2, &n, &id)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ECONFLICT;
	return crm_ctx_audit(t->c, "target_add", "campaign", t->campaign_id, NULL,
	    t->list_id ? json_pack("{s:I}", "list_id", (json_int_t)t->list_id) :
	    json_pack("{s:I}", "segment_id", (json_int_t)t->segment_id));
}

/* The campaign's page again, with what was wrong beside the forms. */
static int
again(struct crm_ctx *c, int status, const char *message)
{
	int st;

	crm_ctx_field_error(c, "target", message);
	if ((st = marketing_campaign_show(c)) != 200)
		return st;
	return crm_ctx_status(c, status);
}

int
marketing_campaign_target_add(struct crm_ctx *c)
{
	struct target t;
	const char *list = crm_ctx_form_str(c, "list_id"), *segment = crm_ctx_form_str(c, "segment_id");
	int status;
	enum crm_err e;

	memset(&t, 0, sizeof(t));
	t.c = c;
	t.campaign_id = crm_ctx_id(c, "id");
	if (marketing_campaign_load(c, t.campaign_id, &status) == NULL)
		return status;
	if (*list != '\0' && *segment == '\0') {
		if (!crm_valid_id(list, &t.list_id) ||
		    marketing_load(c, STMT_CAMPAIGN_LIST_GET, t.list_id, 1, &status) == NULL)
			return again(c, 422, N_("Choose a target list or a segment."));
	} else if (*segment != '\0' && *list == '\0') {
		if (!crm_valid_id(segment, &t.segment_id) ||
		    marketing_load(c, STMT_CAMPAIGN_SEGMENT_GET, t.segment_id, 1, &status) == NULL)
			return again(c, 422, N_("Choose a target list or a segment."));
	} else
		return again(c, 422, N_("Choose a target list or a segment."));
	if ((e = crm_db_tx(c->db, add_tx, &t)) == CRM_ECONFLICT)
		return again(c, 409, N_("The campaign has this target already."));
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/marketing/campaigns/%lld?done=target_added#targets", t.campaign_id));
}

static enum crm_err
remove_tx(struct crm_db *db, void *arg)
{
	struct target *t = arg;
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], t->target_id);
	crm_db_bind_i64(&b[1], t->campaign_id);
	if ((e = crm_db_row(db, STMT_CAMPAIGN_TARGET_GET, b, 2, &row)) != CRM_OK)
		return e;
	if ((e = crm_db_exec(db, STMT_CAMPAIGN_TARGET_DELETE, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(t->c, "target_remove", "campaign", t->campaign_id, json_pack("{s:O,s:O}",
	    "list_id", json_object_get(row, "list_id"), "segment_id", json_object_get(row, "segment_id")), NULL);
}

int
marketing_campaign_target_remove(struct crm_ctx *c)
{
	struct target t;
	int status;
	enum crm_err e;

	memset(&t, 0, sizeof(t));
	t.c = c;
	t.campaign_id = crm_ctx_id(c, "id");
	t.target_id = crm_ctx_id(c, "target_id");
	if (marketing_campaign_load(c, t.campaign_id, &status) == NULL)
		return status;
	if ((e = crm_db_tx(c->db, remove_tx, &t)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/marketing/campaigns/%lld?done=target_removed#targets", t.campaign_id));
}

static enum crm_err
fill_tx(struct crm_db *db, void *arg)
{
	struct target *t = arg;
	struct crm_db_bind b[2];
	json_t *row = NULL, *targets = NULL, *one;
	uint64_t n;
	size_t i;
	enum crm_err e;

	t->added = 0;
	/* The campaign's row first: two fills at once queue here, so the
	 * second adds nothing twice and the count stays exact. */
	crm_db_bind_i64(&b[0], t->campaign_id);
	if ((e = crm_db_row(db, STMT_CAMPAIGN_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	if ((e = crm_db_rows(db, STMT_CAMPAIGN_TARGETS, b, 1, &targets)) != CRM_OK)
		return e;
	json_array_foreach(targets, i, one) {
		if (json_is_integer(json_object_get(one, "segment_id"))) {
			long long id = json_integer_value(json_object_get(one, "segment_id")), size;

			/* Bounded as freezing is: a page adds at most
			 * SEGMENT_COUNT_CAP members of a segment. */
			if ((e = marketing_segment_size(t->c, id, &size)) != CRM_OK)
				return e;
			if (size < 0 || size > SEGMENT_COUNT_CAP)
				return CRM_ETOOBIG;
			n = 0;
			if ((e = marketing_segment_into_campaign(t->c, db, id, t->campaign_id, &n)) != CRM_OK)
				return e;
			t->added += (long long)n;
			continue;
		}
		n = 0;
		crm_db_bind_i64(&b[0], t->campaign_id);
		crm_db_bind_i64(&b[1], json_integer_value(json_object_get(one, "list_id")));
		if ((e = crm_db_exec(db, STMT_CAMPAIGN_FILL_LIST, b, 2, &n, NULL)) != CRM_OK)
			return e;
		t->added += (long long)n;
	}
	crm_db_bind_i64(&b[0], t->added);
	crm_db_bind_i64(&b[1], t->campaign_id);
	if ((e = crm_db_exec(db, STMT_CAMPAIGN_MEMBERS_ADD, b, 2, NULL, NULL)) != CRM_OK ||
	    (t->added > 0 && (e = marketing_attribution_request(db, t->campaign_id)) != CRM_OK))
		return e;
	return crm_ctx_audit(t->c, "fill", "campaign", t->campaign_id,
	    json_pack("{s:O}", "members", json_object_get(row, "members")),
	    json_pack("{s:I}", "members", (json_int_t)(json_integer_value(json_object_get(row, "members")) + t->added)));
}

int
marketing_campaign_fill(struct crm_ctx *c)
{
	struct target t;
	int status;
	enum crm_err e;

	memset(&t, 0, sizeof(t));
	t.c = c;
	t.campaign_id = crm_ctx_id(c, "id");
	if (marketing_campaign_load(c, t.campaign_id, &status) == NULL)
		return status;
	if ((e = crm_db_tx(c->db, fill_tx, &t)) == CRM_ENOTFOUND)
		return 404;
	if (e == CRM_ETOOBIG || e == CRM_EINVAL)
		return again(c, 422, e == CRM_EINVAL ?
		    N_("A segment target's conditions no longer hold (a custom field was switched off): edit the segment.") :
		    N_("A segment target has more than 100,000 members, or could not be counted in time: a page fills at most 100,000 at once. Narrow the segment, or split it."));
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/campaigns/%lld?done=filled&added=%lld",
	    t.campaign_id, t.added));
}
