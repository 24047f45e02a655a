/* The signed-in user's notifications: the list (newest first, paged by
 * id), opening one (read, then on to its record), marking all read, the
 * daily digest switch, and the unread count for the bell.
 *
 * The count's endpoint answers from the session lookup alone: the count
 * and a version that moves with every change are on the user's row,
 * which the framework reads to know who is asking. Its ETag is the
 * version, so a page that polls gets 304 and an empty body until
 * something changes, and no query of ours runs either way. */
#include <stdio.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_notify.h"
#include "crm_valid.h"
#include "extern.h"

static const struct {
	const char *kind, *text;
} kinds[] = {
	{ "assigned", N_("Assigned to you") },
	{ "mention", N_("You were mentioned") },
	{ "task_due", N_("Task due") },
	{ "sla_warning", N_("SLA about to breach") },
	{ "quote_approved", N_("Quote approved") },
	{ "rule", N_("From a rule") },
	{ "mail", N_("Mail") },
	{ "webhook", N_("Webhook switched off") },
};

const char *
automation_notify_kind(const char *kind)
{
	size_t i;

	for (i = 0; kind && i < CRM_NELEM(kinds); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].text;
	return kind ? kind : "";
}

static const char *
kind_text(struct crm_ctx *c, const char *kind)
{
	return crm_ctx_text(c, automation_notify_kind(kind));
}

int
automation_notifications(struct crm_ctx *c)
{
	const char *before_q = crm_ctx_query(c, "after_id");
	long long before = 0;
	struct crm_db_bind b[2];
	json_t *rows = NULL, *row, *digest = NULL;
	size_t i;

	if (before_q != NULL && !crm_valid_id(before_q, &before))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_i64(&b[0], c->user->user_id);
	crm_db_bind_i64(&b[1], before > 0 ? before : (long long)(~0ULL >> 1));
	if (crm_db_rows(c->db, STMT_NOTE_LIST, b, 2, &rows) != CRM_OK ||
	    crm_db_row(c->db, STMT_NOTE_DIGEST_GET, b, 1, &digest) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "kind_text", json_string(kind_text(c,
		    json_string_value(json_object_get(row, "kind")))));
	crm_ctx_localise_dates(c, rows, "created_at");
	crm_ctx_next_page(c, rows, "/notifications", NULL, NULL);
	json_object_set_new(c->view, "notifications", rows);
	json_object_set_new(c->view, "unread", json_integer(c->user->notify_unread));
	json_object_set_new(c->view, "digest", json_boolean(json_is_true(json_object_get(digest, "notify_digest"))));
	if (strcmp(crm_ctx_query_str(c, "done"), "digest") == 0)
		json_object_set_new(c->view, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		    crm_ctx_text(c, N_("Your changes were saved."))));
	return 200;
}

/* Where a notification's record is shown. */
static const char *
record_url(struct crm_ctx *c, const char *entity, long long id)
{
	static const struct {
		const char *entity, *path;
	} pages[] = {
		{ "account", "/customers/accounts/" },
		{ "contact", "/customers/contacts/" },
		{ "lead", "/sales/leads/" },
		{ "opportunity", "/sales/opportunities/" },
		{ "quote", "/sales/quotes/" },
		{ "order", "/sales/orders/" },
		{ "invoice", "/sales/invoices/" },
		{ "ticket", "/service/tickets/" },
		{ "webhook", "/automation/webhooks/" },
	};
	size_t i;

	for (i = 0; entity && id > 0 && i < CRM_NELEM(pages); i++)
		if (strcmp(pages[i].entity, entity) == 0)
			return crm_arena_printf(c->arena, "%s%lld", pages[i].path, id);
	/* Activities (tasks, notes) are shown on their contact's or account's
	 * page, and on the calendar. */
	if (entity && strcmp(entity, "activity") == 0) {
		struct crm_db_bind b[1];
		json_t *row = NULL;
		long long contact, account;

		crm_db_bind_i64(&b[0], id);
		if (crm_db_row(c->db, STMT_NOTE_ACTIVITY_HOME, b, 1, &row) != CRM_OK)
			return "/customers/calendar";
		contact = json_integer_value(json_object_get(row, "contact_id"));
		account = json_integer_value(json_object_get(row, "account_id"));
		if (contact > 0)
			return crm_arena_printf(c->arena, "/customers/contacts/%lld", contact);
		if (account > 0)
			return crm_arena_printf(c->arena, "/customers/accounts/%lld", account);
		return "/customers/calendar";
	}
	return "/notifications";
}

int
automation_notification_open(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	if (id <= 0)
		return 404;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], c->user->user_id);
	if ((e = crm_db_row(c->db, STMT_NOTE_GET, b, 2, &row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? 404 : 500;
	if (crm_notify_read(c->db, c->user->user_id, id) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, record_url(c, json_string_value(json_object_get(row, "entity")),
	    json_integer_value(json_object_get(row, "entity_id"))));
}

int
automation_notification_read(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	if (id <= 0)
		return 404;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], c->user->user_id);
	if ((e = crm_db_row(c->db, STMT_NOTE_GET, b, 2, &row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? 404 : 500;
	if (crm_notify_read(c->db, c->user->user_id, id) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/notifications");
}

int
automation_notifications_read_all(struct crm_ctx *c)
{
	if (crm_notify_read(c->db, c->user->user_id, 0) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/notifications");
}

struct digest {
	struct crm_ctx *c;
	int on;
};

static enum crm_err
digest_tx(struct crm_db *db, void *arg)
{
	struct digest *d = arg;
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;
	int was;

	crm_db_bind_i64(&b[0], d->c->user->user_id);
	if ((e = crm_db_row(db, STMT_NOTE_DIGEST_GET, b, 1, &row)) != CRM_OK)
		return e;
	was = json_is_true(json_object_get(row, "notify_digest"));
	json_decref(row);
	if (was == d->on)
		return CRM_OK;
	crm_db_bind_i64(&b[0], d->on);
	crm_db_bind_i64(&b[1], d->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_NOTE_DIGEST_SET, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(d->c, "update", "user", d->c->user->user_id, json_pack("{s:b}", "notify_digest", was),
	    json_pack("{s:b}", "notify_digest", d->on));
}

/* Reading one's notifications is not audited (it changes no record); the
 * digest is a setting of the user's, and is. */
int
automation_notifications_digest(struct crm_ctx *c)
{
	struct digest d = { c, strcmp(crm_ctx_form_str(c, "digest"), "1") == 0 };

	if (crm_db_tx(c->db, digest_tx, &d) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/notifications?done=digest");
}

/* The request's If-None-Match, from the FastCGI parameters. */
static const char *
if_none_match(struct crm_ctx *c)
{
	static const char name[] = "HTTP_IF_NONE_MATCH=";
	char **e;

	for (e = c->io ? c->io->envp : NULL; e && *e; e++)
		if (strncmp(*e, name, sizeof(name) - 1) == 0)
			return *e + sizeof(name) - 1;
	return NULL;
}

int
automation_notifications_unread(struct crm_ctx *c)
{
	const char *etag = crm_arena_printf(c->arena, "\"n%lld\"", c->user->notify_version);
	const char *inm = if_none_match(c);

	crm_ctx_header(c, "ETag", etag);
	if (inm != NULL && (strcmp(inm, etag) == 0 || (strncmp(inm, "W/", 2) == 0 && strcmp(inm + 2, etag) == 0))) {
		/* An empty raw body with a type: no view rendered, no body sent. */
		c->content_type = "application/json";
		return 304;
	}
	json_object_set_new(c->view, "unread", json_integer(c->user->notify_unread));
	return 200;
}
