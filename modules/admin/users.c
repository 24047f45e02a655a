/* Users: the list, create, edit, deactivate, reset a password, end a
 * user's sessions, lift a sign-in lock. Every change is audited in the
 * transaction that makes it. */
#include <string.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_password.h"
#include "crm_valid.h"
#include "extern.h"

static const char *const languages[] = { "en", "zh_CN", NULL };

static const struct crm_done done_messages[] = {
	{ "created", N_("The user was created.") },
	{ "saved", N_("Your changes were saved.") },
	{ "sessions", N_("Every session of this user was ended.") },
	{ "unlocked", N_("The account was unlocked.") },
	{ "role_created", N_("The role was created. Tick its permissions below.") },
	{ "password", N_("Your password was changed. Other devices were signed out.") },
	{ "revoked", N_("The token was revoked.") },
	{ "2fa_on", N_("Two-factor sign-in is on.") },
	{ "team_created", N_("The team was created.") },
	{ "2fa_off", N_("Two-factor sign-in is off.") },
	{ "field_created", N_("The field was added to the form.") },
	{ "field_deleted", N_("The field was deleted; its values are kept.") },
	{ "field_restored", N_("The field is in use again.") },
};

void
admin_done_message(struct crm_ctx *c)
{
	crm_ctx_done_flash(c, done_messages, CRM_NELEM(done_messages));
}

int
admin_users(struct crm_ctx *c)
{
	const char *after_name = crm_ctx_query(c, "after_name");
	long long after_id = 0;
	struct crm_db_bind b[2];
	json_t *rows = NULL;

	if (!crm_valid_id(crm_ctx_query(c, "after_id"), &after_id))
		after_id = 0;
	crm_db_bind_str(&b[0], after_name ? after_name : "", (size_t)-1);
	crm_db_bind_i64(&b[1], after_id);
	if (crm_db_rows(c->db, STMT_USERS_PAGE, b, 2, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		json_t *last = json_array_get(rows, 49);

		const char *url = crm_ctx_url(c, "/admin/users",
		    "after_name", json_string_value(json_object_get(last, "name")),
		    "after_id", crm_arena_printf(c->arena, "%lld",
		    (long long)json_integer_value(json_object_get(last, "id"))), NULL);

		json_array_remove(rows, 50);
		json_object_set_new(c->view, "next_url", json_string(url));
	}
	crm_ctx_localise_dates(c, rows, "last_login_at");
	json_object_set_new(c->view, "users", rows);
	json_object_set_new(c->view, "title", json_string("Users"));
	crm_ctx_nav_here(c, "admin");
	admin_done_message(c);
	return 200;
}

/* Roles and teams for the form's select boxes, the current one marked. */
static int
form_choices(struct crm_ctx *c, long long role_id, long long team_id)
{
	json_t *roles = NULL, *teams = NULL, *r;
	size_t i;

	if (crm_db_rows(c->db, STMT_ROLES_ALL, NULL, 0, &roles) != CRM_OK ||
	    crm_db_rows(c->db, STMT_TEAMS_ALL, NULL, 0, &teams) != CRM_OK)
		return -1;
	json_array_foreach(roles, i, r)
		if (json_integer_value(json_object_get(r, "id")) == role_id)
			json_object_set_new(r, "selected", json_true());
	json_array_foreach(teams, i, r)
		if (json_integer_value(json_object_get(r, "id")) == team_id)
			json_object_set_new(r, "selected", json_true());
	json_object_set_new(c->view, "roles", roles);
	json_object_set_new(c->view, "teams", teams);
	json_object_set_new(c->view, "languages", json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b}]",
	    "code", "en", "name", "English", "selected", 1, "code", "zh_CN", "name", "简体中文",
	    "selected", 0));
	crm_ctx_nav_here(c, "admin");
	return 0;
}

static void
mark_language(struct crm_ctx *c, const char *lang)
{
	json_t *l;
	size_t i;

	json_array_foreach(json_object_get(c->view, "languages"), i, l)
		json_object_set_new(l, "selected", json_boolean(lang &&
		    strcmp(json_string_value(json_object_get(l, "code")), lang) == 0));
}

int
admin_user_new(struct crm_ctx *c)
{
	if (form_choices(c, 0, 0) != 0)
		return 500;
	json_object_set_new(c->view, "title", json_string("New user"));
	json_object_set_new(c->view, "user", json_pack("{s:s,s:s,s:b}", "time_zone", "UTC",
	    "language", "en", "active", 1));
	json_object_set_new(c->view, "new", json_true());
	return 200;
}

/* The submitted fields, checked; errors go into the view. */
struct user_form {
	const char *email, *name, *language, *time_zone;
	long long role_id, team_id;
	int active;
};

static void
read_form(struct crm_ctx *c, struct user_form *f, int with_email)
{
	const char *team = crm_ctx_form(c, "team_id");

	memset(f, 0, sizeof(*f));
	f->email = crm_ctx_form(c, "email");
	f->name = crm_ctx_form(c, "name");
	f->language = crm_ctx_form(c, "language");
	f->time_zone = crm_ctx_form(c, "time_zone");
	f->active = crm_ctx_form(c, "active") != NULL;
	if (with_email && !crm_valid_email(f->email))
		crm_ctx_field_error(c, "email", N_("Enter an e-mail address such as name@example.com."));
	if (!crm_valid_text(f->name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (!crm_valid_oneof(f->language, languages))
		crm_ctx_field_error(c, "language", N_("Choose a language from the list."));
	if (!crm_valid_time_zone(f->time_zone))
		crm_ctx_field_error(c, "time_zone", N_("Enter a time zone such as Europe/Berlin or Asia/Shanghai."));
	if (!crm_valid_id(crm_ctx_form(c, "role_id"), &f->role_id))
		crm_ctx_field_error(c, "role_id", N_("Choose a role."));
	if (team && *team && !crm_valid_id(team, &f->team_id))
		crm_ctx_field_error(c, "team_id", N_("Choose a team from the list."));
}

struct user_create {
	struct crm_ctx *c;
	struct user_form f;
	char password[21];
	uint64_t id;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct user_create *u = arg;
	char hash[128];
	struct crm_db_bind b[8];
	enum crm_err e;

	if (crm_password_hash(u->password, hash) != CRM_OK)
		return CRM_EIO;
	crm_db_bind_str(&b[0], u->f.email, (size_t)-1);
	crm_db_bind_str(&b[1], u->f.name, (size_t)-1);
	crm_db_bind_str(&b[2], hash, (size_t)-1);
	crm_db_bind_i64(&b[3], u->f.role_id);
	crm_db_bind_id(&b[4], u->f.team_id);
	crm_db_bind_str(&b[5], u->f.language, (size_t)-1);
	crm_db_bind_str(&b[6], u->f.time_zone, (size_t)-1);
	crm_db_bind_i64(&b[7], u->f.active);
	if ((e = crm_db_exec(db, STMT_USER_CREATE, b, 8, NULL, &u->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(u->c, "create", "user", (long long)u->id, NULL,
	    json_pack("{s:s,s:s,s:I,s:I,s:s,s:s,s:b}", "email", u->f.email, "name", u->f.name,
	    "role_id", (json_int_t)u->f.role_id, "team_id", (json_int_t)u->f.team_id,
	    "language", u->f.language, "time_zone", u->f.time_zone, "active", u->f.active));
}

/* Shows the form again with what was typed and why it was refused. */
static int
form_again(struct crm_ctx *c, struct user_form *f, int is_new, int status)
{
	if (form_choices(c, f->role_id, f->team_id) != 0)
		return 500;
	mark_language(c, f->language);
	json_object_set_new(c->view, "user", json_pack("{s:s?,s:s?,s:s?,s:s?,s:b}",
	    "email", f->email, "name", f->name, "language", f->language,
	    "time_zone", f->time_zone, "active", f->active));
	if (is_new)
		json_object_set_new(c->view, "new", json_true());
	json_object_set_new(c->view, "title", json_string(is_new ? "New user" : "Edit user"));
	c->template = "admin/user_form";
	return crm_ctx_status(c, status);
}

int
admin_user_create(struct crm_ctx *c)
{
	struct user_create u;
	enum crm_err e;

	memset(&u, 0, sizeof(u));
	u.c = c;
	read_form(c, &u.f, 1);
	if (crm_ctx_has_errors(c))
		return form_again(c, &u.f, 1, 422);
	crm_password_generate(u.password);
	e = crm_db_tx(c->db, create_tx, &u);
	if (e == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "email", N_("A user with this e-mail address exists already."));
		return form_again(c, &u.f, 1, 409);
	}
	if (e == CRM_EINVAL) {
		crm_ctx_field_error(c, "role_id", N_("Choose a role and team from the lists."));
		return form_again(c, &u.f, 1, 422);
	}
	if (e != CRM_OK)
		return 500;
	/* The first password is shown once, to the admin who hands it over. */
	c->template = "admin/user_password";
	json_object_set_new(c->view, "title", json_string("User created"));
	json_object_set_new(c->view, "user", json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u.id,
	    "email", u.f.email, "name", u.f.name));
	json_object_set_new(c->view, "password", json_string(u.password));
	json_object_set_new(c->view, "created", json_true());
	sodium_memzero(u.password, sizeof(u.password));
	return 201;
}

static json_t *
load_user(struct crm_ctx *c, long long id, enum crm_err *e)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], id);
	*e = crm_db_row(c->db, STMT_USER_GET, b, 1, &row);
	return row;
}

/* The user of the route's :id, or the status to answer with (404, 500). */
static int
find_user(struct crm_ctx *c, long long id, json_t **user)
{
	enum crm_err e;

	if (id == 0)
		return 404;
	*user = load_user(c, id, &e);
	if (e == CRM_ENOTFOUND)
		return 404;
	return e == CRM_OK ? 0 : 500;
}

int
admin_user_show(struct crm_ctx *c)
{
	json_t *user = NULL;
	int st;

	if ((st = find_user(c, crm_ctx_id(c, "id"), &user)) != 0)
		return st;
	if (form_choices(c, json_integer_value(json_object_get(user, "role_id")),
	    json_integer_value(json_object_get(user, "team_id"))) != 0)
		return 500;
	mark_language(c, json_string_value(json_object_get(user, "language")));
	json_object_set_new(c->view, "user", user);
	json_object_set_new(c->view, "title", json_string("Edit user"));
	admin_done_message(c);
	return 200;
}

struct user_update {
	struct crm_ctx *c;
	struct user_form f;
	long long id;
	json_t *before;
};

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct user_update *u = arg;
	struct crm_db_bind b[7];
	enum crm_err e;

	crm_db_bind_str(&b[0], u->f.name, (size_t)-1);
	crm_db_bind_i64(&b[1], u->f.role_id);
	crm_db_bind_id(&b[2], u->f.team_id);
	crm_db_bind_str(&b[3], u->f.language, (size_t)-1);
	crm_db_bind_str(&b[4], u->f.time_zone, (size_t)-1);
	crm_db_bind_i64(&b[5], u->f.active);
	crm_db_bind_i64(&b[6], u->id);
	if ((e = crm_db_exec(db, STMT_USER_UPDATE, b, 7, NULL, NULL)) != CRM_OK)
		return e;
	/* A deactivated user is signed out everywhere at once. */
	if (!u->f.active && (e = crm_auth_end_user_sessions(db, u->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(u->c, "update", "user", u->id, u->before,
	    json_pack("{s:s,s:I,s:I,s:s,s:s,s:b}", "name", u->f.name,
	    "role_id", (json_int_t)u->f.role_id, "team_id", (json_int_t)u->f.team_id,
	    "language", u->f.language, "time_zone", u->f.time_zone, "active", u->f.active));
}

int
admin_user_update(struct crm_ctx *c)
{
	struct user_update u;
	enum crm_err e;

	memset(&u, 0, sizeof(u));
	u.c = c;
	if ((u.id = crm_ctx_id(c, "id")) == 0)
		return 404;
	u.before = load_user(c, u.id, &e);
	if (e == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	read_form(c, &u.f, 0);
	/* An admin cannot lock themselves out by accident: another admin
	 * changes their role or deactivates them. */
	if (u.id == c->user->user_id && !u.f.active)
		crm_ctx_field_error(c, "active", N_("You cannot deactivate your own account."));
	if (u.id == c->user->user_id && u.f.role_id != c->user->role_id)
		crm_ctx_field_error(c, "role_id", N_("You cannot change your own role."));
	if (crm_ctx_has_errors(c)) {
		u.f.email = json_string_value(json_object_get(u.before, "email"));
		json_object_set_new(c->view, "user_id", json_integer(u.id));
		return form_again(c, &u.f, 0, 422);
	}
	json_object_set_new(u.before, "team_id", json_integer(json_integer_value(
	    json_object_get(u.before, "team_id"))));
	e = crm_db_tx(c->db, update_tx, &u);
	if (e == CRM_EINVAL) {
		crm_ctx_field_error(c, "role_id", N_("Choose a role and team from the lists."));
		return form_again(c, &u.f, 0, 422);
	}
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/admin/users/%lld?done=saved", u.id));
}

struct user_action {
	struct crm_ctx *c;
	long long id;
	char password[21];
	const char *email;
};

static enum crm_err
password_tx(struct crm_db *db, void *arg)
{
	struct user_action *a = arg;
	struct crm_db_bind b[2];
	char hash[128];
	enum crm_err e;

	if (crm_password_hash(a->password, hash) != CRM_OK)
		return CRM_EIO;
	crm_db_bind_str(&b[0], hash, (size_t)-1);
	crm_db_bind_i64(&b[1], a->id);
	if ((e = crm_db_exec(db, STMT_USER_SET_PASSWORD, b, 2, NULL, NULL)) != CRM_OK ||
	    (e = crm_auth_end_user_sessions(db, a->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "password.reset", "user", a->id, NULL, NULL);
}

int
admin_user_password(struct crm_ctx *c)
{
	struct user_action a = { c, crm_ctx_id(c, "id"), "", NULL };
	json_t *user = NULL;
	int st;

	if ((st = find_user(c, a.id, &user)) != 0)
		return st;
	crm_password_generate(a.password);
	if (crm_db_tx(c->db, password_tx, &a) != CRM_OK)
		return 500;
	c->template = "admin/user_password";
	json_object_set_new(c->view, "title", json_string("New password"));
	json_object_set_new(c->view, "user", user);
	json_object_set_new(c->view, "password", json_string(a.password));
	crm_ctx_nav_here(c, "admin");
	sodium_memzero(a.password, sizeof(a.password));
	return 200;
}

static enum crm_err
end_sessions_tx(struct crm_db *db, void *arg)
{
	struct user_action *a = arg;
	enum crm_err e;

	if ((e = crm_auth_end_user_sessions(db, a->id)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "sessions.end", "user", a->id, NULL, NULL);
}

int
admin_user_end_sessions(struct crm_ctx *c)
{
	struct user_action a = { c, crm_ctx_id(c, "id"), "", NULL };
	json_t *user = NULL;
	int st;

	if ((st = find_user(c, a.id, &user)) != 0)
		return st;
	if (crm_db_tx(c->db, end_sessions_tx, &a) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/admin/users/%lld?done=sessions", a.id));
}

static enum crm_err
unlock_tx(struct crm_db *db, void *arg)
{
	struct user_action *a = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], a->id);
	if ((e = crm_db_exec(db, STMT_USER_UNLOCK, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], crm_arena_printf(a->c->arena, "user:%s", a->email), (size_t)-1);
	if ((e = crm_db_exec(db, STMT_THROTTLE_CLEAR, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "unlock", "user", a->id, NULL, NULL);
}

int
admin_user_unlock(struct crm_ctx *c)
{
	struct user_action a = { c, crm_ctx_id(c, "id"), "", NULL };
	json_t *user = NULL;
	int st;

	if ((st = find_user(c, a.id, &user)) != 0)
		return st;
	a.email = json_string_value(json_object_get(user, "email"));
	if (crm_db_tx(c->db, unlock_tx, &a) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/admin/users/%lld?done=unlocked", a.id));
}
