/* The runner's "webhooks" part. First the event stream (cursor
 * 'webhooks'): each audit row that stands for events some enabled hook
 * listens to becomes one queued delivery per hook and event. Then the
 * due deliveries, rules' ones included: each is claimed in a short
 * transaction, posted outside any (a slow receiver holds no lock), and
 * its outcome recorded. A failure waits its turn in the back-off schedule
 * (settings webhook_retry_seconds), the last one gives up, and a hook
 * that fails webhook_disable_after times in a row is switched off with
 * the reason kept and its admins told. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_audit.h"
#include "crm_events.h"
#include "crm_log.h"
#include "crm_notify.h"
#include "crm_setting.h"
#include "crm_webhook.h"
#include "extern.h"

enum {
	EVENTS_PER_PASS = 200,
	DELIVERIES_PER_PASS = 20,
	MAX_SCHEDULE = 16,
};

struct schedule {
	long waits[MAX_SCHEDULE];       /* seconds after attempt 1, 2, ... */
	size_t n;                       /* attempts = n + 1 */
	long disable_after;
	long timeout;
	long keep_days;
};

static long
setting_long(struct crm_db *db, struct crm_arena *a, const char *name, long fallback, long min, long max)
{
	const char *v = crm_setting(db, a, name, "");
	char *end;
	long n = strtol(v, &end, 10);

	return *v == '\0' || *end != '\0' || n < min || n > max ? fallback : n;
}

static void
schedule_of(struct crm_db *db, struct crm_arena *a, struct schedule *s)
{
	const char *v = crm_setting(db, a, "webhook_retry_seconds", "60,300,1800,7200,43200");
	char *end;

	s->n = 0;
	while (*v != '\0' && s->n < MAX_SCHEDULE) {
		long w = strtol(v, &end, 10);

		if (end == v || w < 0)
			break;
		s->waits[s->n++] = w;
		v = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	s->disable_after = setting_long(db, a, "webhook_disable_after", 15, 1, 1000000);
	s->timeout = setting_long(db, a, "webhook_timeout_seconds", 10, 1, 60);
	s->keep_days = setting_long(db, a, "webhook_keep_days", 30, 1, 3650);
}

/* A hook and the event types it listens to, read once a pass. */
struct listening {
	json_t *hooks;
};

static int
listens(json_t *hook, const char *type)
{
	const char *list = json_string_value(json_object_get(hook, "events"));
	size_t n = strlen(type);
	const char *p;

	for (p = list; p != NULL && *p != '\0'; ) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && strncmp(p, type, n) == 0)
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static enum crm_err
on_event(struct crm_db *db, const struct crm_event *ev, void *arg)
{
	struct listening *l = arg;
	const char *types[CRM_WEBHOOK_MAX_EVENTS];
	size_t i, k, n = crm_webhook_events_of(ev->entity, ev->action, ev->changes, types);
	json_t *hook;
	enum crm_err e;

	for (k = 0; k < n; k++) {
		json_t *payload = NULL;

		json_array_foreach(l->hooks, i, hook) {
			if (!listens(hook, types[k]))
				continue;
			if (payload == NULL)
				payload = automation_webhook_payload(db, types[k], ev->at, ev->user_id,
				    ev->entity, ev->entity_id, ev->changes);
			e = crm_webhook_enqueue(db, json_integer_value(json_object_get(hook, "id")), types[k],
			    ev->id, payload);
			/* Switched off since the pass began: nothing to queue. */
			if (e != CRM_OK && e != CRM_ENOTFOUND) {
				json_decref(payload);
				return e;
			}
		}
		json_decref(payload);
	}
	return CRM_OK;
}

struct claim {
	json_t *row;
	long lease;
};

static enum crm_err
claim_tx(struct crm_db *db, void *arg)
{
	struct claim *cl = arg;
	struct crm_db_bind b[2];
	enum crm_err e;

	json_decref(cl->row);
	cl->row = NULL;
	if ((e = crm_db_row(db, STMT_WJ_CLAIM, NULL, 0, &cl->row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_OK : e;
	crm_db_bind_i64(&b[0], cl->lease);
	crm_db_bind_i64(&b[1], json_integer_value(json_object_get(cl->row, "id")));
	return crm_db_exec(db, STMT_WJ_START, b, 2, NULL, NULL);
}

struct outcome {
	json_t *delivery;
	const struct schedule *s;
	struct crm_webhook_result r;
	int ok;
	struct crm_arena *a;
};

static long long
id_of(json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

/* The hook went over its limit: switched off, the reason kept, an audit
 * row written and its admins (and whoever made it) told. */
static enum crm_err
disable(struct crm_db *db, struct outcome *o, json_t *hook)
{
	long long hook_id = id_of(hook, "id");
	const char *reason = crm_arena_printf(o->a, "%lld failed deliveries in a row; the last: %s",
	    (long long)id_of(hook, "failures") + 1, o->r.error);
	struct crm_audit_actor system = { 0, "", 0 };
	struct crm_db_bind b[2];
	json_t *admins = NULL, *u;
	uint64_t changed = 0;
	enum crm_err e;
	size_t i;

	crm_db_bind_str(&b[0], reason, (size_t)-1);
	crm_db_bind_i64(&b[1], hook_id);
	if ((e = crm_db_exec(db, STMT_WJ_HOOK_DISABLE, b, 2, &changed, NULL)) != CRM_OK || changed == 0)
		return e;
	crm_log(CRM_LOG_WARN, "webhook %lld switched off: %s", hook_id, reason);
	if ((e = crm_db_rows(db, STMT_WJ_ADMINS, NULL, 0, &admins)) != CRM_OK)
		return e;
	json_array_append_new(admins, json_pack("{s:I}", "id", (json_int_t)id_of(hook, "created_by")));
	json_array_foreach(admins, i, u) {
		struct crm_notify n = { id_of(u, "id"), "webhook", "webhook", hook_id,
		    json_string_value(json_object_get(hook, "name")), 0, "" };

		n.once_key = crm_arena_printf(o->a, "disabled:%lld", (long long)id_of(o->delivery, "id"));
		if ((e = crm_notify_add(db, &n, NULL)) != CRM_OK)
			break;
	}
	json_decref(admins);
	if (e != CRM_OK)
		return e;
	return crm_audit_write(db, &system, "disable", "webhook", hook_id,
	    json_pack("{s:b}", "enabled", 1), json_pack("{s:b,s:s}", "enabled", 0, "disabled_reason", reason));
}

static enum crm_err
record_tx(struct crm_db *db, void *arg)
{
	struct outcome *o = arg;
	long long id = id_of(o->delivery, "id"), hook_id = id_of(o->delivery, "webhook_id");
	long long attempts = id_of(o->delivery, "attempts") + 1;
	struct crm_db_bind b[5];
	json_t *hook = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], hook_id);
	if ((e = crm_db_row(db, STMT_WJ_HOOK, b, 1, &hook)) != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_OK : e;     /* deleted meanwhile */
	if (o->ok) {
		crm_db_bind_i64(&b[0], o->r.code);
		crm_db_bind_str(&b[1], o->r.excerpt, (size_t)-1);
		crm_db_bind_i64(&b[2], id);
		if ((e = crm_db_exec(db, STMT_WJ_DELIVERED, b, 3, NULL, NULL)) == CRM_OK) {
			crm_db_bind_i64(&b[0], hook_id);
			e = crm_db_exec(db, STMT_WJ_HOOK_OK, b, 1, NULL, NULL);
		}
		json_decref(hook);
		return e;
	}
	if ((size_t)attempts > o->s->n) {
		crm_db_bind_i64(&b[0], o->r.code);
		crm_db_bind_str(&b[1], o->r.excerpt, (size_t)-1);
		crm_db_bind_str(&b[2], o->r.error, (size_t)-1);
		crm_db_bind_i64(&b[3], id);
		e = crm_db_exec(db, STMT_WJ_GIVE_UP, b, 4, NULL, NULL);
	} else {
		crm_db_bind_i64(&b[0], o->s->waits[attempts - 1]);
		crm_db_bind_i64(&b[1], o->r.code);
		crm_db_bind_str(&b[2], o->r.excerpt, (size_t)-1);
		crm_db_bind_str(&b[3], o->r.error, (size_t)-1);
		crm_db_bind_i64(&b[4], id);
		e = crm_db_exec(db, STMT_WJ_RETRY, b, 5, NULL, NULL);
	}
	if (e == CRM_OK) {
		crm_db_bind_i64(&b[0], hook_id);
		e = crm_db_exec(db, STMT_WJ_HOOK_FAILED, b, 1, NULL, NULL);
	}
	if (e == CRM_OK && id_of(hook, "failures") + 1 >= o->s->disable_after)
		e = disable(db, o, hook);
	json_decref(hook);
	return e;
}

/* Sends one claimed delivery: the stored body with its delivery id. */
static int
deliver(struct crm_db *db, const struct schedule *s, json_t *row, char *err, size_t errlen)
{
	struct outcome o;
	struct crm_db_bind b[1];
	json_t *hook = NULL, *payload;
	const char *text = json_string_value(json_object_get(row, "payload"));
	long long id = id_of(row, "id");
	char *body;
	size_t len;
	enum crm_err e;

	memset(&o, 0, sizeof(o));
	o.delivery = row;
	o.s = s;
	o.a = crm_arena_new(4096);
	crm_db_bind_i64(&b[0], id_of(row, "webhook_id"));
	if ((e = crm_db_row(db, STMT_WJ_TARGET, b, 1, &hook)) != CRM_OK) {
		crm_arena_free(o.a);
		if (e == CRM_ENOTFOUND)
			return 0;
		snprintf(err, errlen, "webhook %lld: %s", id_of(row, "webhook_id"), crm_err_str(e));
		return -1;
	}
	payload = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_object(payload)) {
		json_decref(payload);
		payload = json_object();
	}
	json_object_set_new(payload, "id", json_integer(id));
	if (json_object_get(payload, "event") == NULL)
		json_object_set_new(payload, "event", json_string(json_string_value(json_object_get(row, "event"))));
	len = json_dumpb(payload, NULL, 0, JSON_COMPACT | JSON_SORT_KEYS);
	body = crm_arena_alloc(o.a, len + 1);
	json_dumpb(payload, body, len, JSON_COMPACT | JSON_SORT_KEYS);
	body[len] = '\0';
	json_decref(payload);
	o.ok = crm_webhook_post(json_string_value(json_object_get(hook, "url")),
	    json_string_value(json_object_get(hook, "secret")), json_string_value(json_object_get(row, "event")),
	    id, body, len, s->timeout, &o.r) == CRM_OK;
	json_decref(hook);
	e = crm_db_tx(db, record_tx, &o);
	crm_arena_free(o.a);
	if (e != CRM_OK) {
		snprintf(err, errlen, "delivery %lld: its outcome could not be recorded: %s", id, crm_err_str(e));
		return -1;
	}
	return 1;
}

int
automation_webhooks_tick(struct crm_db *db, const struct crm_conf *conf, char *err, size_t errlen)
{
	struct crm_arena *a = crm_arena_new(4096);
	struct listening l = { NULL };
	struct schedule s;
	struct claim cl = { NULL, 0 };
	size_t events = 0;
	int work = 0, i, r;
	enum crm_err e;

	(void)conf;
	schedule_of(db, a, &s);
	crm_arena_free(a);
	if ((e = crm_db_rows(db, STMT_WJ_HOOKS, NULL, 0, &l.hooks)) != CRM_OK) {
		snprintf(err, errlen, "the webhooks could not be read: %s", crm_err_str(e));
		return -1;
	}
	e = crm_events_run(db, "webhooks", EVENTS_PER_PASS, on_event, &l, &events);
	json_decref(l.hooks);
	if (e != CRM_OK) {
		snprintf(err, errlen, "events: %s", crm_err_str(e));
		return -1;
	}
	work += (int)events;
	/* The claim outlives the send by a margin: a runner killed mid-send
	 * leaves a delivery that comes due again. */
	cl.lease = s.timeout * 2 + 30;
	for (i = 0; i < DELIVERIES_PER_PASS; i++) {
		if ((e = crm_db_tx(db, claim_tx, &cl)) != CRM_OK) {
			snprintf(err, errlen, "claiming a delivery: %s", crm_err_str(e));
			json_decref(cl.row);
			return -1;
		}
		if (cl.row == NULL)
			break;
		r = deliver(db, &s, cl.row, err, errlen);
		json_decref(cl.row);
		cl.row = NULL;
		if (r < 0)
			return -1;
		work += r;
	}
	{
		struct crm_db_bind b[1];

		crm_db_bind_i64(&b[0], s.keep_days);
		if ((e = crm_db_exec(db, STMT_WJ_PRUNE, b, 1, NULL, NULL)) != CRM_OK) {
			snprintf(err, errlen, "pruning the delivery log: %s", crm_err_str(e));
			return -1;
		}
	}
	return work;
}
