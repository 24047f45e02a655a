/* Creating and editing a ticket: what it is about, for whom, how urgent,
 * and where it stands. A status moves only along the allowed transitions;
 * a new ticket without an assignee goes through the assignment rules. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "crm_tags.h"
#include "extern.h"

static const char *const priorities[] = { "low", "normal", "high", "urgent", NULL };
static const char *const channels[] = { "phone", "email", "web", "walk_in", NULL };
static const char *const statuses[] = { "new", "open", "pending", "resolved", "closed", NULL };

/* Where a status may go next (staying put is always allowed): a closed
 * ticket only reopens; nothing goes back to "new". */
static int
transition_ok(const char *from, const char *to)
{
	static const struct { const char *from, *to; } ok[] = {
		{ "new", "open" }, { "new", "pending" }, { "new", "resolved" }, { "new", "closed" },
		{ "open", "pending" }, { "open", "resolved" }, { "open", "closed" },
		{ "pending", "open" }, { "pending", "resolved" }, { "pending", "closed" },
		{ "resolved", "open" }, { "resolved", "closed" },
		{ "closed", "open" },
	};
	size_t i;

	if (strcmp(from, to) == 0)
		return 1;
	for (i = 0; i < CRM_NELEM(ok); i++)
		if (strcmp(ok[i].from, from) == 0 && strcmp(ok[i].to, to) == 0)
			return 1;
	return 0;
}

struct ticket_form {
	const char *subject, *description, *contact, *order, *priority, *channel, *status, *tags, *owner;
	long long contact_id, order_id, category_id, owner_id, team_id;
	long long kept_contact_id;      /* editing: the ticket's contact, kept without a scope check */
};

/* The id after the last '#' of "Name #12", else 0. */
static long long
hash_id(const char *v)
{
	const char *h = strrchr(v, '#');
	long long id;

	return h && crm_valid_id(h + 1, &id) ? id : 0;
}

static long long
form_id(struct crm_ctx *c, const char *name, int *bad)
{
	const char *v = crm_ctx_form_str(c, name);
	long long id;

	if (*v == '\0' || strcmp(v, "0") == 0)
		return 0;
	if (crm_valid_id(v, &id))
		return id;
	*bad = 1;
	return 0;
}

/* The contact typed as "Name #id" or an exact name, within the user's
 * scope: one the user cannot see is "not found". */
static long long
form_contact(struct crm_ctx *c, const char *v)
{
	struct crm_db_bind b[6];
	json_t *rows = NULL;
	long long id = hash_id(v);

	if (id != 0)
		crm_db_bind_i64(&b[0], id);
	else
		crm_db_bind_str(&b[0], v, (size_t)-1);
	service_bind_scope(c, b + 1);
	if (crm_db_rows(c->db, id ? STMT_TICKET_CONTACT_BY_ID : STMT_TICKET_CONTACT_BY_NAME, b, 6, &rows) != CRM_OK ||
	    json_array_size(rows) == 0) {
		crm_ctx_field_error(c, "contact", N_("Nothing by that name; pick one from the suggestions."));
		return 0;
	}
	if (json_array_size(rows) > 1) {
		crm_ctx_field_error(c, "contact", N_("More than one has that name; pick one from the suggestions."));
		return 0;
	}
	return json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
}

static long long
form_order(struct crm_ctx *c, const char *v)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	long long id = hash_id(v);

	if (id == 0 && crm_valid_id(v, &id) == 0)
		id = 0;
	if (id != 0)
		crm_db_bind_i64(&b[0], id);
	else
		crm_db_bind_str(&b[0], v, (size_t)-1);
	if (crm_db_row(c->db, id ? STMT_TICKET_ORDER_BY_ID : STMT_TICKET_ORDER_BY_NUMBER, b, 1, &row) != CRM_OK) {
		crm_ctx_field_error(c, "order", N_("No order has that number."));
		return 0;
	}
	return json_integer_value(json_object_get(row, "id"));
}

static int
exists(struct crm_ctx *c, size_t stmt, long long id, json_t **row)
{
	struct crm_db_bind b[1];
	json_t *r = NULL;

	crm_db_bind_i64(&b[0], id);
	if (crm_db_row(c->db, stmt, b, 1, &r) != CRM_OK)
		return 0;
	if (row)
		*row = r;
	return 1;
}

/* Reads and checks the form; creating also reads the assignee and team.
 * Returns nonzero when a field is wrong (errors are in the view). */
static int
read_form(struct crm_ctx *c, struct ticket_form *f, int creating)
{
	int bad_cat = 0, bad_team = 0, bad_owner = 0;
	json_t *cat = NULL;

	f->subject = crm_ctx_form_str(c, "subject");
	f->description = crm_ctx_form_str(c, "description");
	f->contact = crm_ctx_form_str(c, "contact");
	f->order = crm_ctx_form_str(c, "order");
	f->priority = crm_ctx_form_str(c, "priority");
	f->channel = crm_ctx_form_str(c, "channel");
	f->status = creating ? "new" : crm_ctx_form_str(c, "status");
	f->tags = crm_ctx_form_str(c, "tags");
	f->category_id = form_id(c, "category_id", &bad_cat);
	if (!crm_valid_text(f->subject, 1, 200, 0))
		crm_ctx_field_error(c, "subject", N_("Enter a subject of up to 200 characters."));
	if (!crm_valid_text(f->description, 0, 20000, 1))
		crm_ctx_field_error(c, "description", N_("Keep the description under 20000 characters."));
	/* An agent may keep a contact outside their own scope on a ticket
	 * they can see; picking a new one goes through the scope. */
	if (*f->contact != '\0' && f->kept_contact_id != 0 && hash_id(f->contact) == f->kept_contact_id)
		f->contact_id = f->kept_contact_id;
	else if (*f->contact != '\0')
		f->contact_id = form_contact(c, f->contact);
	if (*f->order != '\0')
		f->order_id = form_order(c, f->order);
	if (!crm_valid_oneof(f->priority, priorities))
		crm_ctx_field_error(c, "priority", N_("Choose a priority from the list."));
	if (!crm_valid_oneof(f->channel, channels))
		crm_ctx_field_error(c, "channel", N_("Choose a channel from the list."));
	if (!crm_valid_oneof(f->status, statuses))
		crm_ctx_field_error(c, "status", N_("Choose a status from the list."));
	if (bad_cat || (f->category_id && !exists(c, STMT_TICKET_CATEGORY_GET, f->category_id, &cat)))
		crm_ctx_field_error(c, "category_id", N_("Choose a category from the list."));
	if (!crm_tags_valid(f->tags))
		crm_ctx_field_error(c, "tags", N_("Use up to 20 tags of up to 50 characters, separated by commas."));
	if (!creating)
		return crm_ctx_has_errors(c);
	f->owner_id = form_id(c, "owner_id", &bad_owner);
	f->team_id = form_id(c, "team_id", &bad_team);
	if (bad_owner || (f->owner_id && !exists(c, STMT_TICKET_AGENT_GET, f->owner_id, NULL)))
		crm_ctx_field_error(c, "owner_id", N_("Choose an active user from the list."));
	if (bad_team || (f->team_id && !exists(c, STMT_TICKET_TEAM_GET, f->team_id, NULL)))
		crm_ctx_field_error(c, "team_id", N_("Choose a team from the list."));
	/* No team picked: the category's, where its new tickets go. */
	if (f->team_id == 0 && cat != NULL)
		f->team_id = json_integer_value(json_object_get(cat, "team_id"));
	return crm_ctx_has_errors(c);
}

static json_t *
form_json(const struct ticket_form *f)
{
	return json_pack("{s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s}", "subject", f->subject,
	    "description", f->description, "contact_id", (json_int_t)f->contact_id,
	    "order_id", (json_int_t)f->order_id, "category_id", (json_int_t)f->category_id,
	    "priority", f->priority, "channel", f->channel, "status", f->status, "tags", f->tags);
}

/* Marks the option whose id is the form's value of key. */
static void
mark(json_t *rows, json_t *values, const char *key)
{
	const char *v = json_string_value(json_object_get(values, key));
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		char id[24];

		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(row, "id")));
		json_object_set_new(row, "selected", json_boolean(v && strcmp(v, id) == 0));
	}
}

/* The pickers and the values to show in the form. */
static int
form_page(struct crm_ctx *c, json_t *values, long long id)
{
	json_t *cats = NULL, *teams = NULL, *agents = NULL;

	if (crm_db_rows(c->db, STMT_TICKET_CATEGORIES, NULL, 0, &cats) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TEAMS, NULL, 0, &teams) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TICKET_AGENTS, NULL, 0, &agents) != CRM_OK)
		return 500;
	mark(cats, values, "category_id");
	mark(teams, values, "team_id");
	mark(agents, values, "owner_id");
	json_object_set_new(c->view, "categories", cats);
	json_object_set_new(c->view, "teams", teams);
	json_object_set_new(c->view, "agents", agents);
	json_object_set_new(c->view, "form", values);
	json_object_set_new(c->view, "editing", json_boolean(id != 0));
	json_object_set_new(c->view, "ticket_id", json_integer(id));
	json_object_set_new(c->view, "action", json_string(id ? crm_arena_printf(c->arena, "/service/tickets/%lld", id) :
	    "/service/tickets"));
	service_nav(c, "tickets");
	return 200;
}

/* The typed values back, with the picks marked for the template. */
static json_t *
typed(struct crm_ctx *c)
{
	static const char *const names[] = { "subject", "description", "contact", "order", "priority", "channel",
		"status", "tags", "category_id", "owner_id", "team_id", NULL };
	json_t *v = json_object();
	size_t i;

	for (i = 0; names[i]; i++) {
		const char *x = crm_ctx_form_str(c, names[i]);

		json_object_set_new(v, names[i], json_string(x));
		json_object_set_new(v, crm_arena_printf(c->arena, "%s_%s", names[i], x), json_true());
	}
	return v;
}

static int
refused(struct crm_ctx *c, long long id, int status)
{
	int st = form_page(c, typed(c), id);

	return st == 200 ? crm_ctx_status(c, status) : st;
}

int
service_ticket_new(struct crm_ctx *c)
{
	json_t *v = json_pack("{s:s,s:s,s:b,s:b}", "priority", "normal", "channel", "phone",
	    "priority_normal", 1, "channel_phone", 1);

	return form_page(c, v, 0);
}

struct create {
	struct crm_ctx *c;
	struct ticket_form f;
	uint64_t id;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct create *cr = arg;
	struct ticket_form *f = &cr->f;
	struct crm_db_bind b[11];
	enum crm_err e;
	json_t *after;

	crm_db_bind_str(&b[0], f->subject, (size_t)-1);
	crm_db_bind_str(&b[1], f->description, (size_t)-1);
	crm_db_bind_id(&b[2], f->contact_id);
	crm_db_bind_id(&b[3], f->contact_id);
	crm_db_bind_id(&b[4], f->order_id);
	crm_db_bind_id(&b[5], f->category_id);
	crm_db_bind_str(&b[6], f->priority, (size_t)-1);
	crm_db_bind_str(&b[7], f->channel, (size_t)-1);
	crm_db_bind_id(&b[8], f->owner_id);
	crm_db_bind_id(&b[9], f->team_id);
	crm_db_bind_i64(&b[10], cr->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_TICKET_CREATE, b, 11, NULL, &cr->id)) != CRM_OK)
		return e;
	if ((e = crm_tags_save(db, "ticket", (long long)cr->id, f->tags)) != CRM_OK ||
	    (e = crm_ticket_sla_start(cr->c->arena, db, (long long)cr->id)) != CRM_OK)
		return e;
	after = form_json(f);
	json_object_set_new(after, "owner_id", json_integer(f->owner_id));
	json_object_set_new(after, "team_id", json_integer(f->team_id));
	if ((e = crm_ctx_audit(cr->c, "create", "ticket", (long long)cr->id, NULL, after)) != CRM_OK)
		return e;
	if (f->owner_id == 0)
		return service_assign(cr->c, db, (long long)cr->id, f->category_id, &f->owner_id, &f->team_id);
	return CRM_OK;
}

int
service_ticket_create(struct crm_ctx *c)
{
	struct create cr;
	enum crm_err e;

	memset(&cr, 0, sizeof(cr));
	cr.c = c;
	if (read_form(c, &cr.f, 1))
		return refused(c, 0, 422);
	if ((e = crm_db_tx(c->db, create_tx, &cr)) == CRM_EINVAL) {
		crm_ctx_field_error(c, "subject", N_("A linked record has just gone; check the form and try again."));
		return refused(c, 0, 422);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/tickets/%lld?done=created",
	    (long long)cr.id));
}

/* The ticket as the form shows it: links typed the way pickers fill them. */
static json_t *
values_of(struct crm_ctx *c, json_t *t)
{
	json_t *v = json_object();
	const char *keys[] = { "subject", "description", "priority", "channel", "status", "tags" };
	size_t i;

	for (i = 0; i < CRM_NELEM(keys); i++) {
		const char *x = json_string_value(json_object_get(t, keys[i]));

		json_object_set_new(v, keys[i], json_string(x ? x : ""));
		json_object_set_new(v, crm_arena_printf(c->arena, "%s_%s", keys[i], x ? x : ""), json_true());
	}
	if (json_integer_value(json_object_get(t, "contact_id")))
		json_object_set_new(v, "contact", json_string(crm_arena_printf(c->arena, "%s #%lld",
		    json_string_value(json_object_get(t, "contact")),
		    (long long)json_integer_value(json_object_get(t, "contact_id")))));
	if (json_integer_value(json_object_get(t, "order_id")))
		json_object_set(v, "order", json_object_get(t, "order_number"));
	json_object_set_new(v, "category_id", json_string(crm_arena_printf(c->arena, "%lld",
	    (long long)json_integer_value(json_object_get(t, "category_id")))));
	return v;
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	return service_load(c, STMT_TICKET_GET, id, 1, status);
}

int
service_ticket_edit(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	int status;
	json_t *t;

	if ((t = load(c, id, &status)) == NULL)
		return status;
	return form_page(c, values_of(c, t), id);
}

struct update {
	struct crm_ctx *c;
	struct ticket_form f;
	long long id;
	json_t *before;
	int bad_transition;
};

/* 1 stamps now, 0 clears, 2 keeps (STMT_TICKET_UPDATE). */
static long long
stamp(const char *from, const char *to, const char *state)
{
	if (strcmp(to, state) == 0)
		return strcmp(from, state) == 0 ? 2 : 1;
	if (strcmp(to, "resolved") == 0 || strcmp(to, "closed") == 0)
		return 2;
	return 0;
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct update *u = arg;
	struct ticket_form *f = &u->f;
	struct crm_db_bind b[12];
	json_t *row = NULL, *before;
	const char *from;
	enum crm_err e;

	/* The status now, under the row's lock: two agents' edits cannot
	 * both take a transition from the same state. */
	crm_db_bind_i64(&b[0], u->id);
	if ((e = crm_db_row(db, STMT_TICKET_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	from = json_string_value(json_object_get(row, "status"));
	if (!transition_ok(from, f->status)) {
		u->bad_transition = 1;
		return CRM_ECONFLICT;
	}
	crm_db_bind_str(&b[0], f->subject, (size_t)-1);
	crm_db_bind_str(&b[1], f->description, (size_t)-1);
	crm_db_bind_id(&b[2], f->contact_id);
	crm_db_bind_id(&b[3], f->contact_id);
	crm_db_bind_id(&b[4], f->order_id);
	crm_db_bind_id(&b[5], f->category_id);
	crm_db_bind_str(&b[6], f->priority, (size_t)-1);
	crm_db_bind_str(&b[7], f->channel, (size_t)-1);
	crm_db_bind_str(&b[8], f->status, (size_t)-1);
	crm_db_bind_i64(&b[9], stamp(from, f->status, "resolved"));
	crm_db_bind_i64(&b[10], stamp(from, f->status, "closed"));
	crm_db_bind_i64(&b[11], u->id);
	if ((e = crm_db_exec(db, STMT_TICKET_UPDATE, b, 12, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = crm_tags_save(db, "ticket", u->id, f->tags)) != CRM_OK)
		return e;
	/* Pending on the customer stops the SLA clock; leaving it restarts
	 * it, moving the due times by the business time it waited. */
	if (strcmp(f->status, "pending") == 0 && strcmp(from, "pending") != 0)
		e = service_sla_pause(db, u->id);
	else if (strcmp(from, "pending") == 0 && strcmp(f->status, "pending") != 0)
		e = crm_ticket_sla_resume(u->c->arena, db, u->id);
	if (e != CRM_OK)
		return e;
	/* Resolved now: the customer is asked how it went (once per ticket;
	 * a ticket answered before keeps its answer). */
	if (strcmp(f->status, "resolved") == 0 && strcmp(from, "resolved") != 0) {
		if ((e = service_csat_issue(u->c, db, u->id)) == CRM_OK)
			e = service_notify_survey(u->c, db, u->id);
		if (e != CRM_OK && e != CRM_ENOTFOUND)
			return e;
	}
	before = json_pack("{s:O,s:O,s:I,s:I,s:I,s:O,s:O,s:s,s:O}", "subject", json_object_get(u->before, "subject"),
	    "description", json_object_get(u->before, "description"),
	    "contact_id", json_integer_value(json_object_get(u->before, "contact_id")),
	    "order_id", json_integer_value(json_object_get(u->before, "order_id")),
	    "category_id", json_integer_value(json_object_get(u->before, "category_id")),
	    "priority", json_object_get(u->before, "priority"), "channel", json_object_get(u->before, "channel"),
	    "status", from, "tags", json_object_get(u->before, "tags"));
	if (json_is_null(json_object_get(before, "description")))
		json_object_set_new(before, "description", json_string(""));
	if (json_is_null(json_object_get(before, "tags")))
		json_object_set_new(before, "tags", json_string(""));
	return crm_ctx_audit(u->c, "update", "ticket", u->id, before, form_json(f));
}

int
service_ticket_update(struct crm_ctx *c)
{
	struct update u;
	int status;
	enum crm_err e;

	memset(&u, 0, sizeof(u));
	u.c = c;
	u.id = crm_ctx_id(c, "id");
	if ((u.before = load(c, u.id, &status)) == NULL)
		return status;
	u.f.kept_contact_id = json_integer_value(json_object_get(u.before, "contact_id"));
	if (read_form(c, &u.f, 0))
		return refused(c, u.id, 422);
	if ((e = crm_db_tx(c->db, update_tx, &u)) == CRM_ECONFLICT && u.bad_transition) {
		crm_ctx_field_error(c, "status", N_("A ticket cannot move to that status from where it is now."));
		return refused(c, u.id, 422);
	}
	if (e == CRM_EINVAL) {
		crm_ctx_field_error(c, "subject", N_("A linked record has just gone; check the form and try again."));
		return refused(c, u.id, 422);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/tickets/%lld?done=saved", u.id));
}
