/* What accounts and contacts do alike: load one within the user's scope,
 * reassign it, move it to the trash and back. Each change is audited in
 * its own transaction together with the maintained counter. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_valid.h"
#include "extern.h"
#include "records.h"

const struct record_kind account_kind = {
	"account", "accounts", "/customers/accounts", STMT_ACCOUNT_GET,
	STMT_ACCOUNT_REASSIGN, STMT_ACCOUNT_DELETE, STMT_ACCOUNT_RESTORE,
};
const struct record_kind contact_kind = {
	"contact", "contacts", "/customers/contacts", STMT_CONTACT_GET,
	STMT_CONTACT_REASSIGN, STMT_CONTACT_DELETE, STMT_CONTACT_RESTORE,
};

json_t *
record_load(struct crm_ctx *c, const struct record_kind *k, long long id, int deleted_too,
    int *status)
{
	struct crm_db_bind b[7];
	json_t *row = NULL;
	enum crm_err e;

	*status = 0;
	if (id == 0) {
		*status = 404;
		return NULL;
	}
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], deleted_too);
	bind_scope(c, b + 2);
	e = crm_db_row(c->db, k->get, b, 7, &row);
	if (e != CRM_OK)
		*status = e == CRM_ENOTFOUND ? 404 : 500;
	return row;
}

struct change {
	struct crm_ctx *c;
	const struct record_kind *k;
	long long id, owner;
	json_t *before;
};

static enum crm_err
reassign_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[7];
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->owner);
	crm_db_bind_i64(&b[1], ch->id);
	bind_scope(ch->c, b + 2);
	if ((e = crm_db_exec(db, ch->k->reassign, b, 7, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "reassign", ch->k->entity, ch->id,
	    json_pack("{s:O}", "owner_id", json_object_get(ch->before, "owner_id")),
	    json_pack("{s:I}", "owner_id", (json_int_t)ch->owner));
}

int
record_reassign(struct crm_ctx *c, const struct record_kind *k)
{
	struct change ch = { c, k, crm_ctx_id(c, "id"), 0, NULL };
	const char *error = NULL;
	int status;

	ch.before = record_load(c, k, ch.id, 0, &status);
	if (status)
		return status;
	ch.owner = customers_ref(c, crm_ctx_form(c, "owner"), STMT_USER_ACTIVE, STMT_USER_BY_NAME, 0,
	    &error);
	/* The API and the plain form may name the owner by id. */
	if (ch.owner == 0 && error == NULL && crm_valid_id(crm_ctx_form(c, "owner_id"), &ch.owner)) {
		struct crm_db_bind b[1];
		json_t *row = NULL;

		crm_db_bind_i64(&b[0], ch.owner);
		if (crm_db_row(c->db, STMT_USER_ACTIVE, b, 1, &row) != CRM_OK)
			ch.owner = 0;
	}
	if (ch.owner == 0)
		return crm_ctx_fail(c, 422, error ? error : N_("Choose who the record goes to."));
	if (crm_db_tx(c->db, reassign_tx, &ch) != CRM_OK)
		return 500;
	customers_index(c, k->entity, ch.id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "%s/%lld?done=saved", k->path, ch.id));
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[6];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	bind_scope(ch->c, b + 1);
	if ((e = crm_db_exec(db, ch->k->del, b, 6, &n, NULL)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ENOTFOUND;
	if ((e = customers_count_add(db, ch->k->entity, -1)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "delete", ch->k->entity, ch->id, NULL, NULL);
}

int
record_delete(struct crm_ctx *c, const struct record_kind *k)
{
	struct change ch = { c, k, crm_ctx_id(c, "id"), 0, NULL };
	int status;
	enum crm_err e;

	ch.before = record_load(c, k, ch.id, 0, &status);
	if (status)
		return status;
	e = crm_db_tx(c->db, delete_tx, &ch);
	if (e == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	customers_index(c, k->entity, ch.id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "%s/%lld?done=deleted", k->path, ch.id));
}

static enum crm_err
restore_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[1];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], ch->id);
	if ((e = crm_db_exec(db, ch->k->restore, b, 1, &n, NULL)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ECONFLICT;
	if ((e = customers_count_add(db, ch->k->entity, 1)) != CRM_OK)
		return e;
	return crm_ctx_audit(ch->c, "restore", ch->k->entity, ch->id, NULL, NULL);
}

int
record_restore(struct crm_ctx *c, const struct record_kind *k)
{
	struct change ch = { c, k, crm_ctx_id(c, "id"), 0, NULL };
	int status;
	enum crm_err e;

	ch.before = record_load(c, k, ch.id, 1, &status);
	if (status)
		return status;
	e = crm_db_tx(c->db, restore_tx, &ch);
	if (e == CRM_ECONFLICT)
		return crm_ctx_fail(c, 409, N_("The record is not in the trash."));
	if (e != CRM_OK)
		return 500;
	customers_index(c, k->entity, ch.id);
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "%s/%lld?done=restored", k->path, ch.id));
}

/* The record page's parts every kind has: dates in the user's zone, the
 * deleted state, the history, and the flash. */
int
record_show_common(struct crm_ctx *c, const struct record_kind *k, json_t *rec)
{
	json_t *history = NULL;
	static const char *const dates[] = { "created_at", "updated_at", "deleted_at" };
	size_t i;

	if (crm_ctx_history(c, k->entity, k->rules, json_integer_value(json_object_get(rec, "id")),
	    &history) != CRM_OK)
		return 500;
	json_object_set_new(c->view, "history", history);
	json_object_set_new(c->view, "record_path", json_string(crm_arena_printf(c->arena, "%s/%lld",
	    k->path, (long long)json_integer_value(json_object_get(rec, "id")))));
	json_object_set_new(c->view, "deleted", json_boolean(json_is_string(json_object_get(rec,
	    "deleted_at"))));
	for (i = 0; i < CRM_NELEM(dates); i++)
		if (json_is_string(json_object_get(rec, dates[i])))
			json_object_set_new(rec, dates[i], json_string(crm_ctx_date(c,
			    json_string_value(json_object_get(rec, dates[i])), 1)));
	crm_auth_strip_fields(c->user, k->rules, rec);
	customers_flash(c);
	return 200;
}
