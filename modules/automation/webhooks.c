/* Webhooks, the admin's side: the list, the form (name, address, the
 * event types from the list written in code, on or off) and its writes.
 * The secret is made here and shown once, on the page the create answers
 * with (webhook_show.c); no page, API answer or audit row holds it after. */
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_valid.h"
#include "crm_webhook.h"
#include "extern.h"

int
automation_webhooks(struct crm_ctx *c)
{
	const char *after = crm_ctx_query_str(c, "after");
	struct crm_db_bind b[2];
	long long after_id = 0;
	json_t *rows = NULL, *row;
	size_t i;

	if (!crm_valid_text(after, 0, 200, 0) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_str(&b[0], after, (size_t)-1);
	crm_db_bind_i64(&b[1], after_id);
	if (crm_db_rows(c->db, STMT_HOOK_LIST, b, 2, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		const char *ev = json_string_value(json_object_get(row, "events"));
		json_int_t n = *ev ? 1 : 0;

		for (; *ev; ev++)
			n += *ev == ',';
		json_object_set_new(row, "event_count", json_integer(n));
		json_object_set_new(row, "failing", json_boolean(json_integer_value(json_object_get(row, "failures")) > 0));
	}
	crm_ctx_localise_dates(c, rows, "updated_at");
	crm_ctx_next_page(c, rows, "/automation/webhooks", "name", NULL);
	json_object_set_new(c->view, "webhooks", rows);
	automation_nav(c, "webhooks");
	automation_flash(c);
	return 200;
}

/* The form's event list with the chosen ones ticked. */
static json_t *
event_choices(const char *chosen)
{
	json_t *list = json_array();
	size_t i, n;

	for (i = 0; crm_webhook_event_types[i] != NULL; i++) {
		const char *t = crm_webhook_event_types[i], *p;
		int on = 0;

		n = strlen(t);
		for (p = chosen; p && (p = strstr(p, t)) != NULL; p += n)
			if ((p == chosen || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
				on = 1;
		json_array_append_new(list, json_pack("{s:s,s:b}", "type", t, "checked", on));
	}
	return list;
}

static int
form_view(struct crm_ctx *c, json_t *hook, const char *events)
{
	json_object_set_new(c->view, "hook", hook);
	json_object_set_new(c->view, "event_types", event_choices(events));
	automation_nav(c, "webhooks");
	return 200;
}

int
automation_webhook_new(struct crm_ctx *c)
{
	return form_view(c, json_pack("{s:s,s:s,s:b}", "name", "", "url", "https://", "enabled", 1), "");
}

json_t *
automation_webhook_load(struct crm_ctx *c, int *status)
{
	return automation_webhook_by_id(c, crm_ctx_id(c, "id"), status);
}

json_t *
automation_webhook_by_id(struct crm_ctx *c, long long id, int *status)
{
	json_t *row = crm_ctx_record(c, STMT_HOOK_GET, id, 0, status);

	if (row != NULL)
		*status = 0;
	return row;
}

int
automation_webhook_edit(struct crm_ctx *c)
{
	int status;
	json_t *hook = automation_webhook_load(c, &status);

	if (hook == NULL)
		return status;
	json_object_set_new(c->view, "editing", json_true());
	return form_view(c, hook, json_string_value(json_object_get(hook, "events")));
}

struct change {
	struct crm_ctx *c;
	long long id;
	json_t *before;
	const char *name, *url, *events;
	int enabled;
	char secret[CRM_WEBHOOK_SECRET_LEN + 1];
};

static json_t *
audited(const char *name, const char *url, const char *events, int enabled)
{
	return json_pack("{s:s,s:s,s:s,s:b}", "name", name, "url", url, "events", events, "enabled", enabled);
}

static enum crm_err
save_tx(struct crm_db *db, void *arg)
{
	struct change *ch = arg;
	struct crm_db_bind b[8];
	uint64_t id = 0;
	enum crm_err e;

	if (ch->before == NULL) {
		crm_db_bind_str(&b[0], ch->name, (size_t)-1);
		crm_db_bind_str(&b[1], ch->url, (size_t)-1);
		crm_db_bind_str(&b[2], ch->events, (size_t)-1);
		crm_db_bind_str(&b[3], ch->secret, (size_t)-1);
		crm_db_bind_i64(&b[4], ch->enabled);
		crm_db_bind_i64(&b[5], ch->c->user->user_id);
		if ((e = crm_db_exec(db, STMT_HOOK_CREATE, b, 6, NULL, &id)) != CRM_OK)
			return e;
		ch->id = (long long)id;
	} else {
		crm_db_bind_str(&b[0], ch->name, (size_t)-1);
		crm_db_bind_str(&b[1], ch->url, (size_t)-1);
		crm_db_bind_str(&b[2], ch->events, (size_t)-1);
		crm_db_bind_i64(&b[3], ch->enabled);
		crm_db_bind_i64(&b[4], ch->enabled);
		crm_db_bind_i64(&b[5], ch->enabled);
		crm_db_bind_i64(&b[6], ch->enabled);
		crm_db_bind_i64(&b[7], ch->id);
		if ((e = crm_db_exec(db, STMT_HOOK_UPDATE, b, 8, NULL, NULL)) != CRM_OK)
			return e;
	}
	/* The secret is not in the audit row: only that the hook has one. */
	return crm_ctx_audit(ch->c, ch->before ? "update" : "create", "webhook", ch->id,
	    ch->before ? audited(json_string_value(json_object_get(ch->before, "name")),
	    json_string_value(json_object_get(ch->before, "url")),
	    json_string_value(json_object_get(ch->before, "events")),
	    json_is_true(json_object_get(ch->before, "enabled"))) : NULL,
	    audited(ch->name, ch->url, ch->events, ch->enabled));
}

/* The chosen event types, in the list's order, comma-separated; an
 * unknown one is a 422 on the field. */
static const char *
chosen_events(struct crm_ctx *c)
{
	struct crm_buf out;
	size_t i, k;

	for (i = 0; i < c->form.n; i++)
		if (strcmp(c->form.v[i].name.data, "events") == 0 && !crm_webhook_event_known(c->form.v[i].value.data)) {
			crm_ctx_field_error(c, "events", N_("Choose event types from the list."));
			return "";
		}
	crm_buf_init(&out, c->arena, 256);
	for (k = 0; crm_webhook_event_types[k] != NULL; k++)
		for (i = 0; i < c->form.n; i++)
			if (strcmp(c->form.v[i].name.data, "events") == 0 &&
			    strcmp(c->form.v[i].value.data, crm_webhook_event_types[k]) == 0) {
				if (out.len > 0)
					crm_buf_puts(&out, ",");
				crm_buf_puts(&out, crm_webhook_event_types[k]);
				break;
			}
	return out.len > 0 ? out.data : "";
}

static int
save(struct crm_ctx *c, json_t *before)
{
	struct change ch;
	int status;

	memset(&ch, 0, sizeof(ch));
	ch.c = c;
	ch.before = before;
	ch.id = before ? json_integer_value(json_object_get(before, "id")) : 0;
	ch.name = crm_ctx_form_str(c, "name");
	ch.url = crm_ctx_form_str(c, "url");
	ch.enabled = crm_ctx_form(c, "enabled") != NULL;
	ch.events = chosen_events(c);
	if (!crm_valid_text(ch.name, 1, 200, 0))
		crm_ctx_field_error(c, "name", N_("Enter a name of up to 200 characters."));
	if (!crm_webhook_url_ok(ch.url))
		crm_ctx_field_error(c, "url", N_("Enter an address that starts with http:// or https://."));
	if (!crm_ctx_has_errors(c) && ch.events[0] == '\0')
		crm_ctx_field_error(c, "events", N_("Choose at least one event type."));
	if (crm_ctx_has_errors(c)) {
		json_t *hook = audited(ch.name, ch.url, ch.events, ch.enabled);

		if (before != NULL) {
			json_object_set(hook, "id", json_object_get(before, "id"));
			json_object_set_new(c->view, "editing", json_true());
		}
		form_view(c, hook, ch.events);
		return crm_ctx_status(c, 422);
	}
	if (before == NULL)
		crm_webhook_new_secret(ch.secret);
	if (crm_db_tx(c->db, save_tx, &ch) != CRM_OK)
		return 500;
	if (before != NULL)
		return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/automation/webhooks/%lld?done=saved", ch.id));
	/* Created: the hook's page with its secret, this once. */
	c->template = "automation/webhook_show";
	json_object_clear(c->view);
	status = automation_webhook_page(c, ch.id, ch.secret,
	    N_("The webhook was created. Copy its secret now: it is not shown again."));
	return status == 200 ? crm_ctx_status(c, 201) : status;
}

int
automation_webhook_create(struct crm_ctx *c)
{
	return save(c, NULL);
}

int
automation_webhook_update(struct crm_ctx *c)
{
	int status;
	json_t *hook = automation_webhook_load(c, &status);

	return hook ? save(c, hook) : status;
}

struct removal {
	struct crm_ctx *c;
	json_t *before;
	long long id;
};

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct removal *r = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], r->id);
	if ((e = crm_db_exec(db, STMT_HOOK_DELETE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(r->c, "delete", "webhook", r->id,
	    audited(json_string_value(json_object_get(r->before, "name")),
	    json_string_value(json_object_get(r->before, "url")),
	    json_string_value(json_object_get(r->before, "events")),
	    json_is_true(json_object_get(r->before, "enabled"))), NULL);
}

int
automation_webhook_delete(struct crm_ctx *c)
{
	struct removal r;
	int status;

	r.c = c;
	if ((r.before = automation_webhook_load(c, &status)) == NULL)
		return status;
	r.id = json_integer_value(json_object_get(r.before, "id"));
	if (crm_db_tx(c->db, delete_tx, &r) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/automation/webhooks?done=deleted");
}
