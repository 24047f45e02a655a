/* Activities on an account or a contact: notes, calls, meetings, e-mails
 * logged by hand, and tasks. The record's page shows them newest first
 * (the timeline, paged by keyset on (at, id)); "My tasks" lists a user's
 * open tasks, overdue first. Times are typed in the user's zone and kept
 * in UTC. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"
#include "records.h"

static const char *const kinds[] = { "note", "call", "meeting", "email", "task", NULL };

static void
kind_flags(json_t *rows)
{
	json_t *row;
	size_t i, k;

	json_array_foreach(rows, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));

		char key[16];

		for (k = 0; kind && kinds[k]; k++)
			if (strcmp(kind, kinds[k]) == 0) {
				snprintf(key, sizeof(key), "is_%s", kinds[k]);
				json_object_set_new(row, key, json_true());
			}
	}
}

enum crm_err
customers_timeline(struct crm_ctx *c, size_t stmt, long long id, const char *path)
{
	const char *before = crm_ctx_query(c, "before_at");
	long long before_id = 0;
	struct crm_db_bind b[5];
	json_t *rows = NULL, *last;
	enum crm_err e;
	int first;

	first = !crm_valid_id(crm_ctx_query(c, "before_id"), &before_id) ||
	    !crm_valid_datetime(before);
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], first);
	crm_db_bind_str(&b[2], first ? "" : before, (size_t)-1);
	crm_db_bind_str(&b[3], first ? "" : before, (size_t)-1);
	crm_db_bind_i64(&b[4], first ? 0 : before_id);
	if ((e = crm_db_rows(c->db, stmt, b, 5, &rows)) != CRM_OK)
		return e;
	if (json_array_size(rows) > 20) {
		last = json_array_get(rows, 19);
		json_object_set_new(c->view, "timeline_next", json_string(crm_ctx_url(c, path,
		    "before_at", json_string_value(json_object_get(last, "at")),
		    "before_id", crm_arena_printf(c->arena, "%lld",
		    (long long)json_integer_value(json_object_get(last, "id"))), NULL)));
		json_array_remove(rows, 20);
	}
	kind_flags(rows);
	crm_ctx_localise_dates(c, rows, "at");
	crm_ctx_localise_dates(c, rows, "ends_at");
	crm_ctx_localise_dates(c, rows, "done_at");
	json_object_set_new(c->view, "timeline", rows);
	json_object_set_new(c->view, "kinds", json_pack("[s,s,s,s,s]", "note", "call", "meeting",
	    "email", "task"));
	return CRM_OK;
}

/* A path on this site under /customers/ to go back to after a change;
 * anything else (another host, a scheme) goes to the task list. */
static const char *
back_to(struct crm_ctx *c)
{
	const char *back = crm_ctx_form(c, "back");

	if (back && strncmp(back, "/customers", 10) == 0 && !strstr(back, "//") &&
	    !strpbrk(back, "\\\r\n") && strlen(back) < 300)
		return back;
	return "/customers/tasks";
}

static const char *
with_done(struct crm_ctx *c, const char *path, const char *done)
{
	return crm_arena_printf(c->arena, "%s%sdone=%s", path, strchr(path, '?') ? "&" : "?", done);
}

struct activity {
	struct crm_ctx *c;
	const char *kind, *subject, *body, *assignee;
	char at[20], ends_at[20];
	long long account_id, contact_id, assignee_id;
	uint64_t id;
	json_t *before;
	int done;
};

/* The record the activity hangs on, which the user must reach: its page
 * is also where a refused form is shown again. */
static int
read_parent(struct crm_ctx *c, struct activity *a, const struct record_kind **kind, long long *id)
{
	json_t *rec;
	int status;

	if (crm_valid_id(crm_ctx_form(c, "contact_id"), id)) {
		*kind = &contact_kind;
		if ((rec = record_load(c, &contact_kind, *id, 0, &status)) == NULL)
			return status;
		a->contact_id = *id;
		a->account_id = json_integer_value(json_object_get(rec, "account_id"));
		return 0;
	}
	if (crm_valid_id(crm_ctx_form(c, "account_id"), id)) {
		*kind = &account_kind;
		if ((rec = record_load(c, &account_kind, *id, 0, &status)) == NULL)
			return status;
		a->account_id = *id;
		return 0;
	}
	return crm_ctx_fail(c, 422, N_("Say which account or contact the activity is for."));
}

static void
read_form(struct crm_ctx *c, struct activity *a)
{
	const char *at = crm_ctx_form(c, "at"), *ends = crm_ctx_form(c, "ends_at"), *error = NULL;
	const char *zone = c->user->time_zone;

	a->kind = crm_ctx_form(c, "kind");
	a->subject = crm_ctx_form(c, "subject");
	a->body = crm_ctx_form(c, "body");
	a->assignee = crm_ctx_form(c, "assignee");
	if (a->kind == NULL || !crm_valid_oneof(a->kind, kinds)) {
		a->kind = "note";
		crm_ctx_field_error(c, "kind", N_("Choose what kind of activity this is."));
	}
	if (a->subject == NULL || !crm_valid_text(a->subject, 1, 200, 0))
		crm_ctx_field_error(c, "subject", N_("Enter a subject (up to 200 characters)."));
	if (a->body != NULL && !crm_valid_text(a->body, 0, 10000, 1))
		crm_ctx_field_error(c, "body", N_("Keep the text under 10,000 characters."));
	/* Notes, calls and e-mails happened now unless told otherwise; a
	 * meeting needs its start and a task its due time. */
	if (at == NULL || *at == '\0') {
		if (strcmp(a->kind, "meeting") == 0 || strcmp(a->kind, "task") == 0)
			crm_ctx_field_error(c, "at", N_("Enter when: a date and a time."));
		else {
			time_t now = time(NULL);
			struct tm tm;

			strftime(a->at, sizeof(a->at), "%Y-%m-%d %H:%M:%S", gmtime_r(&now, &tm));
		}
	} else if (!crm_valid_datetime(at) || !crm_i18n_local_to_utc(at, zone, a->at))
		crm_ctx_field_error(c, "at", N_("Enter when: a date and a time."));
	if (ends && *ends && (!crm_valid_datetime(ends) ||
	    !crm_i18n_local_to_utc(ends, zone, a->ends_at) || strcmp(a->ends_at, a->at) < 0))
		crm_ctx_field_error(c, "ends_at", N_("The end must be a date and time after the start."));
	a->assignee_id = c->user->user_id;
	if (a->assignee && *a->assignee) {
		a->assignee_id = customers_ref(c, a->assignee, STMT_USER_ACTIVE, STMT_USER_BY_NAME, 0, &error);
		if (error)
			crm_ctx_field_error(c, "assignee", error);
	}
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct activity *a = arg;
	struct crm_db_bind b[9];
	enum crm_err e;

	crm_db_bind_str(&b[0], a->kind, (size_t)-1);
	crm_db_bind_str(&b[1], a->subject, (size_t)-1);
	crm_db_bind_str(&b[2], a->body && *a->body ? a->body : NULL, (size_t)-1);
	if (a->account_id)
		crm_db_bind_i64(&b[3], a->account_id);
	else
		crm_db_bind_null(&b[3]);
	if (a->contact_id)
		crm_db_bind_i64(&b[4], a->contact_id);
	else
		crm_db_bind_null(&b[4]);
	crm_db_bind_str(&b[5], a->at, (size_t)-1);
	crm_db_bind_str(&b[6], *a->ends_at ? a->ends_at : NULL, (size_t)-1);
	crm_db_bind_i64(&b[7], a->assignee_id);
	crm_db_bind_i64(&b[8], a->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_ACTIVITY_CREATE, b, 9, NULL, &a->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "create", "activity", (long long)a->id, NULL,
	    json_pack("{s:s,s:s,s:I,s:I}", "kind", a->kind, "subject", a->subject,
	    "account_id", (json_int_t)a->account_id, "contact_id", (json_int_t)a->contact_id));
}

int
customers_activity_create(struct crm_ctx *c)
{
	struct activity a;
	const struct record_kind *kind = NULL;
	long long parent = 0;
	int status;

	memset(&a, 0, sizeof(a));
	a.c = c;
	if ((status = read_parent(c, &a, &kind, &parent)) != 0)
		return status;
	read_form(c, &a);
	if (crm_ctx_has_errors(c)) {
		/* The record's page again, with the typed activity and the
		 * messages next to its fields. */
		json_object_set_new(c->view, "activity", json_pack("{s:s,s:s,s:s,s:s,s:s}",
		    "kind", a.kind, "subject", a.subject ? a.subject : "", "body", a.body ? a.body : "",
		    "at", crm_ctx_form(c, "at") ? crm_ctx_form(c, "at") : "",
		    "assignee", a.assignee ? a.assignee : ""));
		json_object_set_new(json_object_get(c->view, "activity"),
		    crm_arena_printf(c->arena, "is_%s", a.kind), json_true());
		c->template = kind == &contact_kind ? "customers/contact" : "customers/account";
		status = kind == &contact_kind ? customers_contact_page(c, parent) :
		    customers_account_page(c, parent);
		return status == 200 ? crm_ctx_status(c, 422) : status;
	}
	if (crm_db_tx(c->db, create_tx, &a) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, with_done(c, crm_arena_printf(c->arena, "%s/%lld", kind->path,
	    parent), "logged"));
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	const struct crm_identity *u = c->user;
	struct crm_db_bind b[7];
	json_t *row = NULL;
	enum crm_err e;

	*status = 0;
	if (id == 0) {
		*status = 404;
		return NULL;
	}
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], u->user_id);
	crm_db_bind_str(&b[2], u->scope, (size_t)-1);
	crm_db_bind_i64(&b[3], u->user_id);
	crm_db_bind_str(&b[4], u->scope, (size_t)-1);
	crm_db_bind_i64(&b[5], u->team_id);
	crm_db_bind_i64(&b[6], u->team_id);
	if ((e = crm_db_row(c->db, STMT_ACTIVITY_GET, b, 7, &row)) != CRM_OK)
		*status = e == CRM_ENOTFOUND ? 404 : 500;
	return row;
}

static enum crm_err
done_tx(struct crm_db *db, void *arg)
{
	struct activity *a = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_i64(&b[0], a->done);
	crm_db_bind_i64(&b[1], (long long)a->id);
	if ((e = crm_db_exec(db, STMT_ACTIVITY_DONE, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, a->done ? "done" : "reopen", "activity", (long long)a->id,
	    NULL, NULL);
}

int
customers_activity_done(struct crm_ctx *c)
{
	struct activity a;
	const char *done = crm_ctx_form(c, "done");
	int status;

	memset(&a, 0, sizeof(a));
	a.c = c;
	a.id = (uint64_t)crm_ctx_id(c, "id");
	if ((a.before = load(c, (long long)a.id, &status)) == NULL)
		return status;
	if (strcmp(json_string_value(json_object_get(a.before, "kind")), "task") != 0)
		return crm_ctx_fail(c, 409, N_("Only a task can be done."));
	a.done = done == NULL || strcmp(done, "0") != 0;
	if (crm_db_tx(c->db, done_tx, &a) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, with_done(c, back_to(c), a.done ? "task-done" : "task-open"));
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct activity *a = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], (long long)a->id);
	if ((e = crm_db_exec(db, STMT_ACTIVITY_DELETE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "delete", "activity", (long long)a->id, NULL, NULL);
}

int
customers_activity_delete(struct crm_ctx *c)
{
	struct activity a;
	int status;

	memset(&a, 0, sizeof(a));
	a.c = c;
	a.id = (uint64_t)crm_ctx_id(c, "id");
	if ((a.before = load(c, (long long)a.id, &status)) == NULL)
		return status;
	if (crm_db_tx(c->db, delete_tx, &a) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, with_done(c, back_to(c), "activity-deleted"));
}

int
customers_tasks(struct crm_ctx *c)
{
	const char *after = crm_ctx_query(c, "after_at");
	long long after_id = 0;
	struct crm_db_bind b[4];
	json_t *rows = NULL, *last;

	if (!crm_valid_id(crm_ctx_query(c, "after_id"), &after_id) || !crm_valid_datetime(after))
		after = "1000-01-01 00:00:00", after_id = 0;
	crm_db_bind_i64(&b[0], c->user->user_id);
	crm_db_bind_str(&b[1], after, (size_t)-1);
	crm_db_bind_str(&b[2], after, (size_t)-1);
	crm_db_bind_i64(&b[3], after_id);
	if (crm_db_rows(c->db, STMT_MY_TASKS, b, 4, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		last = json_array_get(rows, 49);
		json_object_set_new(c->view, "next_url", json_string(crm_ctx_url(c, "/customers/tasks",
		    "after_at", json_string_value(json_object_get(last, "at")),
		    "after_id", crm_arena_printf(c->arena, "%lld",
		    (long long)json_integer_value(json_object_get(last, "id"))), NULL)));
		json_array_remove(rows, 50);
	}
	crm_ctx_localise_dates(c, rows, "at");
	json_object_set_new(c->view, "tasks", rows);
	customers_flash(c);
	customers_nav(c, "tasks");
	return 200;
}
