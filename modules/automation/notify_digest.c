/* The daily digest: for each user who asked for one (users.notify_digest,
 * set on /notifications), once a day from notify_digest_hour (UTC), their
 * unread notifications not yet mailed go into the service module's
 * mail_queue as one plain-text message, which `crm-service jobs` sends.
 * Nothing unread: no mail, but the day counts as done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm_buf.h"
#include "crm_setting.h"
#include "extern.h"

/* The digest's lines, by kind: the mail is English like the service
 * module's own notices (the runner has no reader's language). */
static const struct {
	const char *kind, *text;
} kinds[] = {
	{ "assigned", "Assigned to you" },
	{ "mention", "You were mentioned" },
	{ "task_due", "Task due" },
	{ "sla_warning", "SLA about to breach" },
	{ "quote_approved", "Quote approved" },
	{ "rule", "From a rule" },
	{ "mail", "Mail" },
	{ "webhook", "Webhook switched off" },
};

static const char *
kind_text(const char *kind)
{
	size_t i;

	for (i = 0; kind && i < CRM_NELEM(kinds); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].text;
	return "Notification";
}

struct digest {
	struct crm_arena *a;
	json_t *user;
	const char *link;
	int queued;
};

static enum crm_err
digest_tx(struct crm_db *db, void *arg)
{
	struct digest *d = arg;
	long long uid = json_integer_value(json_object_get(d->user, "id"));
	struct crm_db_bind b[3];
	json_t *items = NULL, *it;
	long long last = 0;
	struct crm_buf body;
	enum crm_err e;
	size_t i;

	d->queued = 0;
	crm_db_bind_i64(&b[0], uid);
	if ((e = crm_db_rows(db, STMT_NJ_DIGEST_ITEMS, b, 1, &items)) != CRM_OK)
		return e;
	if (json_array_size(items) > 0) {
		crm_buf_init(&body, d->a, 2048);
		crm_buf_printf(&body, "Hello %s,\n\nWhat happened in the CRM that you have not read yet:\n\n",
		    json_string_value(json_object_get(d->user, "name")));
		json_array_foreach(items, i, it) {
			crm_buf_printf(&body, "- %s UTC  %s: %s\n", json_string_value(json_object_get(it, "created_at")),
			    kind_text(json_string_value(json_object_get(it, "kind"))),
			    json_string_value(json_object_get(it, "title")));
			last = json_integer_value(json_object_get(it, "id"));
		}
		crm_buf_printf(&body, "\nAll of them: %s\n\nYou get this mail once a day because you asked for it"
		    " on that page, where it can be switched off.\n", d->link);
		crm_db_bind_str(&b[0], json_string_value(json_object_get(d->user, "email")), (size_t)-1);
		crm_db_bind_str(&b[1], crm_arena_printf(d->a, "Your CRM notifications: %zu unread",
		    json_array_size(items)), (size_t)-1);
		crm_db_bind_str(&b[2], body.data, body.len);
		if ((e = crm_db_exec(db, STMT_NJ_DIGEST_QUEUE, b, 3, NULL, NULL)) != CRM_OK)
			goto out;
		crm_db_bind_i64(&b[0], uid);
		crm_db_bind_i64(&b[1], last);
		if ((e = crm_db_exec(db, STMT_NJ_DIGEST_MARK, b, 2, NULL, NULL)) != CRM_OK)
			goto out;
		d->queued = 1;
	}
	crm_db_bind_i64(&b[0], uid);
	e = crm_db_exec(db, STMT_NJ_DIGEST_DONE, b, 1, NULL, NULL);
out:
	json_decref(items);
	return e;
}

int
automation_notify_digest(struct crm_db *db, char *err, size_t errlen)
{
	struct crm_arena *a = crm_arena_new(8192);
	long hour = strtol(crm_setting(db, a, "notify_digest_hour", "7"), NULL, 10);
	time_t now = time(NULL), since;
	struct crm_db_bind b[1];
	struct digest d;
	json_t *users = NULL, *u;
	char stamp[24];
	struct tm tm;
	enum crm_err e;
	int queued = 0;
	size_t i;

	/* The latest digest time that has come: today's, or yesterday's
	 * before the hour. A user last mailed before it is due. */
	gmtime_r(&now, &tm);
	if (hour < 0 || hour > 23)
		hour = 7;
	since = now - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) + hour * 3600;
	if (since > now)
		since -= 86400;
	gmtime_r(&since, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	crm_db_bind_str(&b[0], stamp, (size_t)-1);
	if ((e = crm_db_rows(db, STMT_NJ_DIGEST_USERS, b, 1, &users)) != CRM_OK) {
		snprintf(err, errlen, "digest: %s", crm_err_str(e));
		crm_arena_free(a);
		return -1;
	}
	memset(&d, 0, sizeof(d));
	d.a = a;
	d.link = crm_public_url(db, a, "/notifications");
	json_array_foreach(users, i, u) {
		d.user = u;
		if ((e = crm_db_tx(db, digest_tx, &d)) != CRM_OK) {
			snprintf(err, errlen, "digest for user %lld: %s",
			    (long long)json_integer_value(json_object_get(u, "id")), crm_err_str(e));
			json_decref(users);
			crm_arena_free(a);
			return -1;
		}
		queued += d.queued;
	}
	json_decref(users);
	crm_arena_free(a);
	return queued;
}
