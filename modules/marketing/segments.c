/* Segments: the list, the builder (new and edit), the segment's page with
 * its live count and a sample of members, the builder's JSON count,
 * freezing into a static target list, and filling a campaign. */
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "segment.h"

int
marketing_segments(struct crm_ctx *c)
{
	return segment_name_page(c, STMT_SEGMENTS, "updated_at", "/marketing/segments", "segments");
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	return marketing_load(c, STMT_SEGMENT_GET, id, 1, status);
}

/* A loaded segment's stored definition, parsed ({} when it is not JSON). */
static json_t *
def_of(json_t *seg)
{
	json_t *def = json_loads(json_string_value(json_object_get(seg, "conditions")), 0, NULL);

	return def ? def : json_object();
}

int
marketing_segment_new(struct crm_ctx *c)
{
	struct segment_form f;
	json_t *seg = json_pack("{s:s,s:s,s:s}", "name", "", "description", "", "conditions", "{}");

	segment_form_load(c, &f, seg);
	segment_form_view(c, &f, NULL);
	return 200;
}

int
marketing_segment_edit(struct crm_ctx *c)
{
	struct segment_form f;
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *seg = load(c, id, &status);

	if (seg == NULL)
		return status;
	segment_form_load(c, &f, seg);
	segment_form_view(c, &f, NULL);
	json_object_set_new(c->view, "segment", seg);
	return 200;
}

struct change {
	struct crm_ctx *c;
	struct segment_form f;
	long long id;
	json_t *before;
	const char *conditions;
};

static enum crm_err
name_free(struct crm_db *db, const char *name, long long id)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_str(&b[0], name, (size_t)-1);
	crm_db_bind_i64(&b[1], id);
	e = crm_db_row(db, STMT_SEGMENT_BY_NAME, b, 2, &row);
	if (e == CRM_ENOTFOUND)
		return CRM_OK;
	return e == CRM_OK ? CRM_ECONFLICT : e;
}

static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[4];
	uint64_t id = 0;
	enum crm_err e;

	if ((e = name_free(db, ch->f.name, ch->id)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], ch->f.name, (size_t)-1);
	crm_db_bind_str(&b[1], ch->f.description, (size_t)-1);
	crm_db_bind_str(&b[2], ch->conditions, (size_t)-1);
	if (ch->id == 0) {
		crm_db_bind_i64(&b[3], ch->c->user->user_id);
		if ((e = crm_db_exec(db, STMT_SEGMENT_CREATE, b, 4, NULL, &id)) != CRM_OK)
			return e;
		ch->id = (long long)id;
	} else {
		crm_db_bind_i64(&b[3], ch->id);
		if ((e = crm_db_exec(db, STMT_SEGMENT_UPDATE, b, 4, NULL, NULL)) != CRM_OK)
			return e;
	}
	return crm_ctx_audit(ch->c, ch->before ? "update" : "create", "segment", ch->id,
	    ch->before ? json_pack("{s:O,s:O,s:O}", "name", json_object_get(ch->before, "name"),
	    "description", json_object_get(ch->before, "description"),
	    "conditions", json_object_get(ch->before, "conditions")) : NULL,
	    json_pack("{s:s,s:s,s:s}", "name", ch->f.name, "description", ch->f.description,
	    "conditions", ch->conditions));
}

/* The builder posted: shown again after an add or remove button or a
 * count, or saved when the name and every condition are right. */
static int
save(struct crm_ctx *c, long long id, json_t *before)
{
	struct crm_segment_error err;
	struct crm_segment_sql q;
	struct change ch;
	long long count;
	enum crm_err e;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = id;
	ch.before = before;
	segment_form_read(c, &ch.f);
	if (before != NULL)
		json_object_set_new(c->view, "segment", json_incref(before));
	if (strcmp(ch.f.action, "edit") == 0) {
		segment_form_view(c, &ch.f, NULL);
		return 200;
	}
	e = segment_compile(c, ch.f.saved, &q, &err);
	if (e == CRM_EDB)
		return 500;
	if (strcmp(ch.f.action, "count") == 0) {
		segment_form_view(c, &ch.f, e == CRM_OK ? NULL : &err);
		if (e != CRM_OK)
			return crm_ctx_status(c, 422);
		if (segment_count(c, &q, &count) != CRM_OK)
			return 500;
		segment_count_view(c, c->view, count);
		json_object_set_new(c->view, "counted_now", json_true());
		return 200;
	}
	if (!crm_valid_text(ch.f.name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (!crm_valid_text(ch.f.description, 0, 2000, 1))
		crm_ctx_field_error(c, "description", N_("Keep the description under 2000 characters."));
	if (e != CRM_OK || crm_ctx_has_errors(c)) {
		segment_form_view(c, &ch.f, e == CRM_OK ? NULL : &err);
		return crm_ctx_status(c, 422);
	}
	ch.conditions = json_dumps(ch.f.saved, JSON_COMPACT);
	if ((e = crm_db_tx(c->db, save_tx, &ch)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another segment has this name."));
		segment_form_view(c, &ch.f, NULL);
		return crm_ctx_status(c, 409);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/segments/%lld?done=%s", ch.id,
	    before ? "saved" : "created"));
}

int
marketing_segment_create(struct crm_ctx *c)
{
	return save(c, 0, NULL);
}

int
marketing_segment_update(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *seg = load(c, id, &status);

	return seg ? save(c, id, seg) : status;
}

/* The segment's page: conditions in words, the live count (bounded, see
 * segment_run.c), 20 members, and the freeze and campaign forms. */
static int
page(struct crm_ctx *c, json_t *seg)
{
	struct crm_segment_error err;
	struct crm_segment_sql q;
	struct crm_db_bind b[5];
	json_t *def = json_loads(json_string_value(json_object_get(seg, "conditions")), 0, NULL);
	json_t *sample = NULL, *campaigns = NULL;
	long long count = -1;
	enum crm_err e;

	if (def == NULL)
		def = json_object();
	json_object_set_new(c->view, "summary", segment_summary(c, def));
	if ((e = segment_compile(c, def, &q, &err)) == CRM_EDB)
		return 500;
	if (e != CRM_OK) {
		/* A custom field it names was deactivated since. */
		json_object_set_new(c->view, "broken", json_string(segment_error_text(c, &err)));
		sample = json_array();
	} else if (segment_count(c, &q, &count) != CRM_OK || segment_sample(c, &q, &sample) != CRM_OK) {
		return 500;
	}
	segment_count_view(c, c->view, count);
	json_object_set_new(c->view, "sample", sample);
	/* After filling a campaign: how many were new to it. */
	if (crm_ctx_query(c, "added") && strspn(crm_ctx_query(c, "added"), "0123456789") == strlen(crm_ctx_query(c, "added")) &&
	    strlen(crm_ctx_query(c, "added")) < 10)
		json_object_set_new(c->view, "added", json_string(crm_ctx_query(c, "added")));
	marketing_bind_scope(c, b);
	if (crm_db_rows(c->db, STMT_SEGMENT_CAMPAIGNS, b, 5, &campaigns) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "campaigns", campaigns);
	if (json_object_get(c->view, "list_name") == NULL)
		json_object_set_new(c->view, "list_name", json_string(json_string_value(json_object_get(seg, "name"))));
	json_object_del(seg, "conditions");
	json_object_set_new(seg, "conditions", def);
	json_object_set_new(c->view, "segment", seg);
	marketing_nav(c, "segments");
	marketing_flash(c);
	return 200;
}

int
marketing_segment_show(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *seg = load(c, id, &status);

	if (seg == NULL)
		return status;
	crm_ctx_localise_dates(c, json_pack("[O]", seg), "updated_at");
	return page(c, seg);
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	if ((e = crm_db_exec(db, STMT_SEGMENT_DELETE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "delete", "segment", ch->id,
	    json_pack("{s:O}", "name", json_object_get(ch->before, "name")), NULL);
}

int
marketing_segment_delete(struct crm_ctx *c)
{
	struct change ch;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.id = crm_ctx_id(c, "id");
	if ((ch.before = load(c, ch.id, &status)) == NULL)
		return status;
	if (crm_db_tx(c->db, delete_tx, &ch) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/marketing/segments?done=deleted");
}

/* POST /marketing/segments/count: the builder's fields, answered with the
 * bounded count as JSON (for the builder's script), or 422 naming the
 * condition that is wrong. */
int
marketing_segment_count(struct crm_ctx *c)
{
	struct crm_segment_error err;
	struct crm_segment_sql q;
	struct segment_form f;
	long long count;
	enum crm_err e;

	segment_form_read(c, &f);
	if ((e = segment_compile(c, f.saved, &q, &err)) == CRM_EDB)
		return 500;
	if (e != CRM_OK) {
		const char *key = err.group && err.condition ? json_string_value(json_array_get(json_array_get(f.keys,
		    err.group - 1), err.condition - 1)) : NULL;

		json_object_set_new(c->view, "error", json_pack("{s:s,s:s?,s:s?}", "message",
		    segment_error_text(c, &err), "row", key, "field", err.field));
		return crm_ctx_status(c, 422);
	}
	if (segment_count(c, &q, &count) != CRM_OK)
		return 500;
	segment_count_view(c, c->view, count);
	return 200;
}

struct freeze {
	struct crm_ctx *c;
	struct crm_segment_sql q;
	json_t *seg;
	const char *name;
	long long list_id;
	uint64_t added;
};

static enum crm_err
freeze_tx(struct crm_db *db, void *arg)
{
	struct freeze *fz = arg;
	struct crm_db_bind b[5];
	json_t *row = NULL;
	uint64_t id = 0;
	enum crm_err e;

	crm_db_bind_str(&b[0], fz->name, (size_t)-1);
	if ((e = crm_db_row(db, STMT_LIST_BY_NAME, b, 1, &row)) == CRM_OK)
		return CRM_ECONFLICT;
	if (e != CRM_ENOTFOUND)
		return e;
	crm_db_bind_str(&b[1], crm_ctx_text(fz->c, N_("Frozen from a segment.")), (size_t)-1);
	crm_db_bind_str(&b[2], "segment", (size_t)-1);
	crm_db_bind_i64(&b[3], json_integer_value(json_object_get(fz->seg, "id")));
	crm_db_bind_i64(&b[4], fz->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_LIST_CREATE, b, 5, NULL, &id)) != CRM_OK)
		return e;
	fz->list_id = (long long)id;
	/* One INSERT ... SELECT: the list is the segment's members as of
	 * this transaction, all or none. */
	if ((e = segment_freeze_into(fz->c, db, &fz->q, fz->list_id, &fz->added)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], (long long)fz->added);
	crm_db_bind_i64(&b[1], fz->list_id);
	if ((e = crm_db_exec(db, STMT_LIST_COUNT, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(fz->c, "freeze", "target_list", fz->list_id, NULL, json_pack("{s:s,s:O,s:I}",
	    "name", fz->name, "segment_id", json_object_get(fz->seg, "id"), "members", (json_int_t)fz->added));
}

int
marketing_segment_freeze(struct crm_ctx *c)
{
	struct crm_segment_error err;
	struct freeze fz;
	long long count;
	int status;
	json_t *def;
	enum crm_err e;

	memset(&fz, 0, sizeof(fz));
	fz.c = c;
	if ((fz.seg = load(c, crm_ctx_id(c, "id"), &status)) == NULL)
		return status;
	fz.name = crm_ctx_form_str(c, "list_name");
	json_object_set_new(c->view, "list_name", json_string(fz.name));
	def = json_loads(json_string_value(json_object_get(fz.seg, "conditions")), 0, NULL);
	if (!crm_valid_text(fz.name, 1, 200, 0)) {
		crm_ctx_field_error(c, "list_name", N_("Enter a name of up to 200 characters."));
		return (status = page(c, fz.seg)) == 200 ? crm_ctx_status(c, 422) : status;
	}
	if (def == NULL || (e = segment_compile(c, def, &fz.q, &err)) != CRM_OK) {
		crm_ctx_field_error(c, "list_name", N_("The segment's conditions are not right: edit it first."));
		return (status = page(c, fz.seg)) == 200 ? crm_ctx_status(c, 422) : status;
	}
	/* Counted first (bounded): a page freezes at most SEGMENT_COUNT_CAP. */
	if (segment_count(c, &fz.q, &count) != CRM_OK)
		return 500;
	if (count < 0 || count > SEGMENT_COUNT_CAP) {
		crm_ctx_field_error(c, "list_name", count < 0 ?
		    N_("Counting this segment takes too long to freeze it here: narrow its conditions.") :
		    N_("This segment has more than 100,000 members: narrow its conditions to freeze it."));
		return (status = page(c, fz.seg)) == 200 ? crm_ctx_status(c, 422) : status;
	}
	if ((e = crm_db_tx(c->db, freeze_tx, &fz)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "list_name", N_("Another list has this name."));
		return (status = page(c, fz.seg)) == 200 ? crm_ctx_status(c, 409) : status;
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/lists/%lld?done=frozen", fz.list_id));
}

struct fill {
	struct crm_ctx *c;
	long long segment_id, campaign_id;
	uint64_t added;
};

static enum crm_err
fill_tx(struct crm_db *db, void *arg)
{
	struct fill *fl = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	if ((e = marketing_segment_into_campaign(fl->c, db, fl->segment_id, fl->campaign_id, &fl->added)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], (long long)fl->added);
	crm_db_bind_i64(&b[1], fl->campaign_id);
	if ((e = crm_db_exec(db, STMT_SEGMENT_CAMPAIGN_COUNT, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(fl->c, "target_segment", "campaign", fl->campaign_id, NULL,
	    json_pack("{s:I,s:I}", "segment_id", (json_int_t)fl->segment_id, "added", (json_int_t)fl->added));
}

/* POST /marketing/segments/:id/campaign: the segment's members become a
 * planned or active campaign's members ('targeted'). */
int
marketing_segment_campaign(struct crm_ctx *c)
{
	struct crm_segment_error err;
	struct crm_segment_sql q;
	struct crm_db_bind b[6];
	struct fill fl;
	json_t *seg, *campaign = NULL;
	long long count = -1;
	int status;
	enum crm_err e;

	memset(&fl, 0, sizeof(fl));
	fl.c = c;
	fl.segment_id = crm_ctx_id(c, "id");
	if ((seg = load(c, fl.segment_id, &status)) == NULL)
		return status;
	if (!crm_valid_id(crm_ctx_form_str(c, "campaign_id"), &fl.campaign_id)) {
		crm_ctx_field_error(c, "campaign_id", N_("Choose a planned or active campaign."));
		return (status = page(c, seg)) == 200 ? crm_ctx_status(c, 422) : status;
	}
	crm_db_bind_i64(&b[0], fl.campaign_id);
	marketing_bind_scope(c, b + 1);
	if ((e = crm_db_row(c->db, STMT_SEGMENT_CAMPAIGN_GET, b, 6, &campaign)) == CRM_ENOTFOUND) {
		crm_ctx_field_error(c, "campaign_id", N_("Choose a planned or active campaign."));
		return (status = page(c, seg)) == 200 ? crm_ctx_status(c, 422) : status;
	}
	if (e != CRM_OK)
		return 500;
	/* As for freezing: a page adds at most SEGMENT_COUNT_CAP members
	 * (a million took 12 s); a bigger segment goes in through the
	 * campaign's own targets. */
	if ((e = segment_compile(c, def_of(seg), &q, &err)) == CRM_OK && segment_count(c, &q, &count) != CRM_OK)
		return 500;
	if (e == CRM_OK && (count < 0 || count > SEGMENT_COUNT_CAP)) {
		crm_ctx_field_error(c, "campaign_id", count < 0 ?
		    N_("Counting this segment takes too long to add it here: narrow its conditions.") :
		    N_("This segment has more than 100,000 members: a page adds at most that many to a campaign."));
		return (status = page(c, seg)) == 200 ? crm_ctx_status(c, 422) : status;
	}
	if ((e = crm_db_tx(c->db, fill_tx, &fl)) == CRM_EINVAL) {
		crm_ctx_field_error(c, "campaign_id", N_("The segment's conditions are not right: edit it first."));
		return (status = page(c, seg)) == 200 ? crm_ctx_status(c, 422) : status;
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/marketing/segments/%lld?done=targeted&added=%llu",
	    fl.segment_id, (unsigned long long)fl.added));
}
