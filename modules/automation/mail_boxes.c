/* The mailboxes' admin pages: the list, the form, and one mailbox with
 * what each poll did and what became of each message, a connection test
 * and "read now". The password is written by the form and read only to
 * log in (the test here, the runner in mail_poll.c): no page, API answer,
 * audit row or log line carries it, and the form never echoes it back. */
#include <stdio.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_imap.h"
#include "crm_valid.h"
#include "extern.h"

#define TEST_TIMEOUT 10         /* seconds: the admin is waiting */

static const char *const purposes[] = { "support", "timeline", NULL };

struct box {
	struct crm_ctx *c;
	long long id;
	const char *name, *url, *username, *password, *purpose, *support_address;
	long long poll_seconds;
	int enabled;
	json_t *before;
};

/* What is shown and audited of a mailbox: everything but the password. */
static json_t *
box_json(const struct box *m)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:I}", "name", m->name, "url", m->url, "username", m->username,
	    "purpose", m->purpose, "support_address", m->support_address, "enabled", m->enabled,
	    "poll_seconds", (json_int_t)m->poll_seconds);
}

static void
purpose_flags(json_t *row)
{
	const char *p = json_string_value(json_object_get(row, "purpose"));

	json_object_set_new(row, "is_support", json_boolean(p && strcmp(p, "support") == 0));
	json_object_set_new(row, "is_timeline", json_boolean(p && strcmp(p, "timeline") == 0));
}

int
automation_mailboxes(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	const char *after = crm_ctx_query(c, "after_id");
	long long after_id = 0;
	json_t *rows = NULL, *row;
	size_t i;

	if (after != NULL && !crm_valid_id(after, &after_id))
		return 400;
	crm_db_bind_i64(&b[0], after_id);
	if (crm_db_rows(c->db, STMT_MAIL_BOXES, b, 1, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row)
		purpose_flags(row);
	crm_ctx_next_page(c, rows, "/automation/mailboxes", NULL, NULL);
	json_object_set_new(c->view, "mailboxes", rows);
	automation_nav(c, "mailboxes");
	automation_flash(c);
	return 200;
}

/* The form's view: the mailbox as typed or stored, never its password. */
static int
form(struct crm_ctx *c, json_t *mailbox, int editing)
{
	purpose_flags(mailbox);
	json_object_del(mailbox, "password");
	json_object_set_new(c->view, "mailbox", mailbox);
	json_object_set_new(c->view, "editing", json_boolean(editing));
	json_object_set_new(c->view, "action", json_string(editing ? crm_arena_printf(c->arena,
	    "/automation/mailboxes/%lld", (long long)json_integer_value(json_object_get(mailbox, "id"))) :
	    "/automation/mailboxes"));
	automation_nav(c, "mailboxes");
	return 200;
}

int
automation_mailbox_new(struct crm_ctx *c)
{
	return form(c, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:i}", "name", "", "url", "imaps://", "username", "",
	    "purpose", "support", "support_address", "", "enabled", 1, "poll_seconds", 300), 0);
}

static json_t *
load(struct crm_ctx *c, long long id, int *status)
{
	return crm_ctx_record(c, STMT_MAIL_BOX_GET, id, 0, status);
}

int
automation_mailbox_edit(struct crm_ctx *c)
{
	int status;
	json_t *row = load(c, crm_ctx_id(c, "id"), &status);

	return row ? form(c, row, 1) : status;
}

static int
read_form(struct crm_ctx *c, struct box *m, int creating)
{
	const char *poll = crm_ctx_form_str(c, "poll_seconds");

	m->name = crm_ctx_form_str(c, "name");
	m->url = crm_ctx_form_str(c, "url");
	m->username = crm_ctx_form_str(c, "username");
	m->password = crm_ctx_form_str(c, "password");
	m->purpose = crm_ctx_form_str(c, "purpose");
	m->support_address = crm_ctx_form_str(c, "support_address");
	m->enabled = crm_ctx_form(c, "enabled") != NULL;
	if (!crm_valid_text(m->name, 1, 100, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 100 characters."));
	if (!crm_imap_url_ok(m->url))
		crm_ctx_field_error(c, "url", N_("Enter an IMAP address such as imaps://mail.example.com/INBOX."));
	if (!crm_valid_text(m->username, 1, 200, 0))
		crm_ctx_field_error(c, "username", N_("Enter the user name, up to 200 characters."));
	/* Left empty on the edit form: the stored password stays. */
	if ((creating || *m->password) && !crm_valid_text(m->password, 1, 500, 0))
		crm_ctx_field_error(c, "password", N_("Enter the password, up to 500 characters."));
	if (!crm_valid_oneof(m->purpose, purposes))
		crm_ctx_field_error(c, "purpose", N_("Choose what the mailbox is for."));
	if (*m->support_address && (!crm_valid_email(m->support_address) || strlen(m->support_address) > 254))
		crm_ctx_field_error(c, "support_address", N_("Enter an e-mail address, or leave it empty."));
	if (!crm_valid_id(poll, &m->poll_seconds) || m->poll_seconds < 30 || m->poll_seconds > 86400)
		crm_ctx_field_error(c, "poll_seconds", N_("Enter a number of seconds from 30 to 86400."));
	return crm_ctx_has_errors(c);
}

static int
refused(struct crm_ctx *c, struct box *m, int status)
{
	json_t *typed = box_json(m);

	json_object_set_new(typed, "id", json_integer(m->id));
	/* The typed number as it was, even when it was not one. */
	json_object_set_new(typed, "poll_seconds", json_string(crm_ctx_form_str(c, "poll_seconds")));
	form(c, typed, m->id > 0);
	return crm_ctx_status(c, status);
}

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct box *m = arg;
	struct crm_db_bind b[9];
	uint64_t id = 0;
	enum crm_err e;
	json_t *after;

	crm_db_bind_str(&b[0], m->name, (size_t)-1);
	crm_db_bind_str(&b[1], m->url, (size_t)-1);
	crm_db_bind_str(&b[2], m->username, (size_t)-1);
	crm_db_bind_str(&b[3], m->password, (size_t)-1);
	crm_db_bind_str(&b[4], m->purpose, (size_t)-1);
	crm_db_bind_str(&b[5], m->support_address, (size_t)-1);
	crm_db_bind_i64(&b[6], m->enabled);
	crm_db_bind_i64(&b[7], m->poll_seconds);
	crm_db_bind_i64(&b[8], m->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_MAIL_BOX_CREATE, b, 9, NULL, &id)) != CRM_OK)
		return e;
	m->id = (long long)id;
	after = box_json(m);
	json_object_set_new(after, "password_set", json_true());
	return crm_ctx_audit(m->c, "create", "mailbox", m->id, NULL, after);
}

int
automation_mailbox_create(struct crm_ctx *c)
{
	struct box m;
	enum crm_err e;

	memset(&m, 0, sizeof(m));
	m.c = c;
	if (read_form(c, &m, 1))
		return refused(c, &m, 422);
	if ((e = crm_db_tx(c->db, create_tx, &m)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another mailbox has this name."));
		return refused(c, &m, 409);
	}
	return e == CRM_OK ? crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/automation/mailboxes/%lld?done=created", m.id)) : 500;
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct box *m = arg;
	struct crm_db_bind b[8];
	enum crm_err e;
	json_t *before, *after;

	crm_db_bind_str(&b[0], m->name, (size_t)-1);
	crm_db_bind_str(&b[1], m->url, (size_t)-1);
	crm_db_bind_str(&b[2], m->username, (size_t)-1);
	crm_db_bind_str(&b[3], m->purpose, (size_t)-1);
	crm_db_bind_str(&b[4], m->support_address, (size_t)-1);
	crm_db_bind_i64(&b[5], m->enabled);
	crm_db_bind_i64(&b[6], m->poll_seconds);
	crm_db_bind_i64(&b[7], m->id);
	if ((e = crm_db_exec(db, STMT_MAIL_BOX_UPDATE, b, 8, NULL, NULL)) != CRM_OK)
		return e;
	before = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "name", json_object_get(m->before, "name"),
	    "url", json_object_get(m->before, "url"), "username", json_object_get(m->before, "username"),
	    "purpose", json_object_get(m->before, "purpose"),
	    "support_address", json_object_get(m->before, "support_address"),
	    "enabled", json_object_get(m->before, "enabled"), "poll_seconds", json_object_get(m->before, "poll_seconds"));
	after = box_json(m);
	if (*m->password) {
		crm_db_bind_str(&b[0], m->password, (size_t)-1);
		crm_db_bind_i64(&b[1], m->id);
		if ((e = crm_db_exec(db, STMT_MAIL_BOX_PASSWORD, b, 2, NULL, NULL)) != CRM_OK)
			return e;
		/* That it changed, never what to. */
		json_object_set_new(after, "password_changed", json_true());
	}
	return crm_ctx_audit(m->c, "update", "mailbox", m->id, before, after);
}

int
automation_mailbox_update(struct crm_ctx *c)
{
	struct box m;
	int status;
	enum crm_err e;

	memset(&m, 0, sizeof(m));
	m.c = c;
	m.id = crm_ctx_id(c, "id");
	if ((m.before = load(c, m.id, &status)) == NULL)
		return status;
	if (read_form(c, &m, 0))
		return refused(c, &m, 422);
	if ((e = crm_db_tx(c->db, update_tx, &m)) == CRM_ECONFLICT) {
		crm_ctx_field_error(c, "name", N_("Another mailbox has this name."));
		return refused(c, &m, 409);
	}
	return e == CRM_OK ? crm_ctx_redirect(c, 303, crm_arena_printf(c->arena,
	    "/automation/mailboxes/%lld?done=saved", m.id)) : 500;
}

/* Older rows of a log, newest first: before=<id> pages back. */
static int
log_rows(struct crm_ctx *c, size_t stmt, long long id, const char *param, const char *key, json_t **out)
{
	struct crm_db_bind b[2];
	const char *before = crm_ctx_query(c, param);
	long long before_id = 0;
	json_t *rows = NULL;

	if (before != NULL && !crm_valid_id(before, &before_id))
		return 400;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], before_id > 0 ? before_id : (1LL << 62));
	if (crm_db_rows(c->db, stmt, b, 2, &rows) != CRM_OK)
		return 500;
	if (json_array_size(rows) > 50) {
		json_object_set_new(c->view, key, json_string(crm_ctx_url(c,
		    crm_arena_printf(c->arena, "/automation/mailboxes/%lld", id), param,
		    crm_arena_printf(c->arena, "%lld", (long long)json_integer_value(json_object_get(
		    json_array_get(rows, 49), "id"))), NULL)));
		json_array_remove(rows, 50);
	}
	*out = rows;
	return 0;
}

static int
show(struct crm_ctx *c, long long id)
{
	json_t *box, *polls = NULL, *messages = NULL, *row;
	int status;
	size_t i;

	if ((box = load(c, id, &status)) == NULL)
		return status;
	if ((status = log_rows(c, STMT_MAIL_POLLS, id, "polls_before", "polls_next_url", &polls)) != 0 ||
	    (status = log_rows(c, STMT_MAIL_MESSAGES, id, "messages_before", "messages_next_url", &messages)) != 0)
		return status;
	purpose_flags(box);
	json_array_foreach(messages, i, row)
		json_object_set_new(row, crm_arena_printf(c->arena, "is_%s",
		    json_string_value(json_object_get(row, "outcome"))), json_true());
	json_object_set_new(c->view, "mailbox", box);
	json_object_set_new(c->view, "polls", polls);
	json_object_set_new(c->view, "messages", messages);
	automation_nav(c, "mailboxes");
	automation_flash(c);
	return 200;
}

int
automation_mailbox_show(struct crm_ctx *c)
{
	return show(c, crm_ctx_id(c, "id"));
}

/* Logs in and asks for the mailbox's status, here and now: the admin
 * sees at once whether the address, the user and the password work. */
int
automation_mailbox_test(struct crm_ctx *c)
{
	struct crm_db_bind b[1];
	struct crm_imap *imap;
	json_t *row = NULL;
	long long id = crm_ctx_id(c, "id");
	unsigned long long v = 0, next = 0;
	char err[300] = "";
	int st, ok = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], id);
	if (id <= 0 || (e = crm_db_row(c->db, STMT_MAIL_BOX_SECRET, b, 1, &row)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	imap = crm_imap_open(json_string_value(json_object_get(row, "url")),
	    json_string_value(json_object_get(row, "username")), json_string_value(json_object_get(row, "password")),
	    TEST_TIMEOUT);
	json_object_clear(row);
	if (imap == NULL)
		snprintf(err, sizeof(err), "%s", crm_ctx_text(c, N_("The address is not a usable IMAP URL.")));
	else
		ok = crm_imap_status(imap, &v, &next, err, sizeof(err)) == CRM_OK;
	crm_imap_close(imap);
	if ((st = show(c, id)) != 200)
		return st;
	json_object_set_new(c->view, "test", ok ? json_pack("{s:b,s:I,s:I}", "ok", 1,
	    "uidvalidity", (json_int_t)v, "messages_next", (json_int_t)next) : json_pack("{s:b,s:s}", "ok", 0, "error", err));
	return ok ? 200 : crm_ctx_status(c, 422);
}

struct poll {
	struct crm_ctx *c;
	long long id;
};

static enum crm_err
poll_tx(struct crm_db *db, void *arg)
{
	struct poll *p = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], p->id);
	if ((e = crm_db_exec(db, STMT_MAIL_BOX_POLL_NOW, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(p->c, "poll", "mailbox", p->id, NULL, NULL);
}

/* Makes the mailbox due now: the runner reads it on its next turn. */
int
automation_mailbox_poll(struct crm_ctx *c)
{
	struct poll p = { c, crm_ctx_id(c, "id") };
	int status;

	if (load(c, p.id, &status) == NULL)
		return status;
	if (crm_db_tx(c->db, poll_tx, &p) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/automation/mailboxes/%lld?done=mail_poll", p.id));
}
