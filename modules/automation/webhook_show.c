/* One webhook: its settings, why it was switched off, its delivery log
 * (newest first, paged by id), and what an admin does from here: rotate
 * the secret (the new one shown once), send a test ping, switch it back
 * on, redeliver one delivery. */
#include <string.h>
#include <time.h>

#include "crm_audit.h"
#include "crm_valid.h"
#include "crm_webhook.h"
#include "extern.h"

int
automation_webhook_page(struct crm_ctx *c, long long id, const char *secret, const char *flash)
{
	const char *before_q = crm_ctx_query(c, "after_id");
	long long before = 0;
	struct crm_db_bind b[2];
	json_t *hook, *rows = NULL, *row, *list;
	int status;
	size_t i;

	if (before_q != NULL && !crm_valid_id(before_q, &before))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	if ((hook = automation_webhook_by_id(c, id, &status)) == NULL)
		return status;
	crm_db_bind_i64(&b[0], id);
	crm_db_bind_i64(&b[1], before > 0 ? before : (long long)(~0ULL >> 1));
	if (crm_db_rows(c->db, STMT_HOOK_DELIVERIES, b, 2, &rows) != CRM_OK)
		return 500;
	json_array_foreach(rows, i, row) {
		const char *st = json_string_value(json_object_get(row, "status"));

		json_object_set_new(row, crm_arena_printf(c->arena, "is_%s", st ? st : "pending"), json_true());
	}
	crm_ctx_localise_dates(c, rows, "created_at");
	crm_ctx_localise_dates(c, rows, "next_at");
	crm_ctx_localise_dates(c, rows, "delivered_at");
	crm_ctx_next_page(c, rows, crm_arena_printf(c->arena, "/automation/webhooks/%lld", id), NULL, NULL);
	list = json_array();
	{
		const char *ev = json_string_value(json_object_get(hook, "events"));

		while (ev != NULL && *ev != '\0') {
			const char *comma = strchr(ev, ',');
			size_t n = comma ? (size_t)(comma - ev) : strlen(ev);

			json_array_append_new(list, json_stringn(ev, n));
			ev = comma ? comma + 1 : NULL;
		}
	}
	json_object_set_new(hook, "event_list", list);
	json_object_set_new(hook, "disabled_at", json_string(crm_ctx_date(c,
	    json_string_value(json_object_get(hook, "disabled_at")), 1)));
	json_object_set_new(c->view, "hook", hook);
	json_object_set_new(c->view, "deliveries", rows);
	if (secret != NULL)
		json_object_set_new(c->view, "new_secret", json_string(secret));
	automation_nav(c, "webhooks");
	automation_flash(c);
	if (flash != NULL)
		json_object_set_new(c->view, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		    crm_ctx_text(c, flash)));
	return 200;
}

int
automation_webhook_show(struct crm_ctx *c)
{
	return automation_webhook_page(c, crm_ctx_id(c, "id"), NULL, NULL);
}

struct act {
	struct crm_ctx *c;
	long long id, delivery;
	char secret[CRM_WEBHOOK_SECRET_LEN + 1];
	int changed;
};

static enum crm_err
rotate_tx(struct crm_db *db, void *arg)
{
	struct act *a = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	crm_db_bind_str(&b[0], a->secret, (size_t)-1);
	crm_db_bind_i64(&b[1], a->id);
	if ((e = crm_db_exec(db, STMT_HOOK_SECRET_SET, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	/* That it changed, never what to. */
	return crm_ctx_audit(a->c, "rotate_secret", "webhook", a->id, NULL, NULL);
}

/* Loads the hook of the route (404 when there is none) into a. */
static int
start(struct crm_ctx *c, struct act *a)
{
	int status;
	json_t *hook = automation_webhook_load(c, &status);

	memset(a, 0, sizeof(*a));
	a->c = c;
	if (hook == NULL)
		return status;
	a->id = json_integer_value(json_object_get(hook, "id"));
	return 0;
}

int
automation_webhook_rotate(struct crm_ctx *c)
{
	struct act a;
	int status;

	if ((status = start(c, &a)) != 0)
		return status;
	crm_webhook_new_secret(a.secret);
	if (crm_db_tx(c->db, rotate_tx, &a) != CRM_OK)
		return 500;
	c->template = "automation/webhook_show";
	return automation_webhook_page(c, a.id, a.secret,
	    N_("The secret was replaced. Copy the new one now: it is not shown again."));
}

static enum crm_err
ping_tx(struct crm_db *db, void *arg)
{
	struct act *a = arg;
	char at[32];
	time_t now = time(NULL);
	struct tm tm;
	enum crm_err e;

	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	e = crm_webhook_enqueue(db, a->id, "ping", 0, json_pack("{s:s,s:s,s:{s:I,s:s},s:s,s:I,s:{},s:n}",
	    "event", "ping", "occurred_at", at, "actor", "id", (json_int_t)a->c->user->user_id,
	    "name", a->c->user->name, "entity", "webhook", "entity_id", (json_int_t)a->id, "changes", "data"));
	if (e == CRM_ENOTFOUND) {
		a->changed = 0;
		return CRM_OK;
	}
	a->changed = 1;
	if (e != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "ping", "webhook", a->id, NULL, NULL);
}

int
automation_webhook_ping(struct crm_ctx *c)
{
	struct act a;
	int status;

	if ((status = start(c, &a)) != 0)
		return status;
	if (crm_db_tx(c->db, ping_tx, &a) != CRM_OK)
		return 500;
	if (!a.changed)
		return crm_ctx_fail(c, 409, N_("The webhook is switched off: switch it on before testing it."));
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/automation/webhooks/%lld?done=pinged", a.id));
}

static enum crm_err
enable_tx(struct crm_db *db, void *arg)
{
	struct act *a = arg;
	struct crm_db_bind b[1];
	uint64_t n = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], a->id);
	if ((e = crm_db_exec(db, STMT_HOOK_ENABLE, b, 1, &n, NULL)) != CRM_OK || n == 0)
		return e;
	a->changed = 1;
	return crm_ctx_audit(a->c, "enable", "webhook", a->id, json_pack("{s:b}", "enabled", 0),
	    json_pack("{s:b}", "enabled", 1));
}

int
automation_webhook_enable(struct crm_ctx *c)
{
	struct act a;
	int status;

	if ((status = start(c, &a)) != 0)
		return status;
	if (crm_db_tx(c->db, enable_tx, &a) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/automation/webhooks/%lld?done=%s", a.id,
	    a.changed ? "enabled" : "saved"));
}

static enum crm_err
redeliver_tx(struct crm_db *db, void *arg)
{
	struct act *a = arg;
	struct crm_db_bind b[2];
	uint64_t n = 0, new_id = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], a->delivery);
	crm_db_bind_i64(&b[1], a->id);
	if ((e = crm_db_exec(db, STMT_HOOK_REDELIVER, b, 2, &n, &new_id)) != CRM_OK || n == 0)
		return e;
	a->changed = 1;
	return crm_ctx_audit(a->c, "redeliver", "webhook", a->id, NULL,
	    json_pack("{s:I,s:I}", "delivery_id", (json_int_t)a->delivery, "new_delivery_id", (json_int_t)new_id));
}

int
automation_webhook_redeliver(struct crm_ctx *c)
{
	struct act a;
	int status;

	if ((status = start(c, &a)) != 0)
		return status;
	if ((a.delivery = crm_ctx_id(c, "delivery")) <= 0)
		return 404;
	if (crm_db_tx(c->db, redeliver_tx, &a) != CRM_OK)
		return 500;
	if (!a.changed)
		return 404;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/automation/webhooks/%lld?done=redelivered", a.id));
}
