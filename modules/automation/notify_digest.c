/* The daily digest: for each user who asked for one (users.notify_digest,
 * set on /notifications), once a day from notify_digest_hour (UTC), their
 * unread notifications not yet mailed go into the service module's
 * mail_queue as one plain-text message in the user's language, which
 * `crm-service jobs` sends. Nothing unread: no mail, but the day counts as
 * done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm_buf.h"
#include "crm_i18n.h"
#include "crm_log.h"
#include "crm_setting.h"
#include "extern.h"

struct digest {
	struct crm_arena *a;
	struct crm_i18n *i18n;          /* NULL: English */
	json_t *user;
	const char *link;
	int queued;
};

static const char *
text(struct digest *d, const char *msgid)
{
	const char *lang = json_string_value(json_object_get(d->user, "language"));

	return d->i18n ? crm_i18n_text(d->i18n, lang ? lang : "en", msgid) : msgid;
}

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
		crm_buf_printf(&body, "%s %s,\n\n%s\n\n", text(d, N_("Hello")),
		    json_string_value(json_object_get(d->user, "name")),
		    text(d, N_("What happened in the CRM that you have not read yet:")));
		json_array_foreach(items, i, it) {
			crm_buf_printf(&body, "- %s UTC  %s: %s\n", json_string_value(json_object_get(it, "created_at")),
			    text(d, automation_notify_kind(json_string_value(json_object_get(it, "kind")))),
			    json_string_value(json_object_get(it, "title")));
			last = json_integer_value(json_object_get(it, "id"));
		}
		crm_buf_printf(&body, "\n%s %s\n\n%s\n", text(d, N_("All of them:")), d->link,
		    text(d, N_("You get this mail once a day because you asked for it on that page, where it can be switched off.")));
		crm_db_bind_str(&b[0], json_string_value(json_object_get(d->user, "email")), (size_t)-1);
		crm_db_bind_str(&b[1], crm_arena_printf(d->a, "%s: %zu", text(d, N_("Your unread CRM notifications")),
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
automation_notify_digest(struct crm_db *db, const struct crm_conf *conf, char *err, size_t errlen)
{
	struct crm_arena *a = crm_arena_new(8192);
	long hour = strtol(crm_setting(db, a, "notify_digest_hour", "7"), NULL, 10);
	time_t now = time(NULL), since;
	struct crm_db_bind b[1];
	struct digest d;
	json_t *users = NULL, *u;
	char stamp[24], why[300];
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
	/* The translations are read only on the day's few passes that mail. */
	if (json_array_size(users) > 0 && conf != NULL &&
	    crm_i18n_load(&d.i18n, conf->locales, why, sizeof(why)) != CRM_OK) {
		crm_log(CRM_LOG_WARN, "digest: translations not read (%s): mailing in English", why);
		d.i18n = NULL;
	}
	d.link = crm_public_url(db, a, "/notifications");
	json_array_foreach(users, i, u) {
		d.user = u;
		if ((e = crm_db_tx(db, digest_tx, &d)) != CRM_OK) {
			snprintf(err, errlen, "digest for user %lld: %s",
			    (long long)json_integer_value(json_object_get(u, "id")), crm_err_str(e));
			queued = -1;
			break;
		}
		queued += d.queued;
	}
	json_decref(users);
	if (d.i18n != NULL)
		crm_i18n_free(d.i18n);
	crm_arena_free(a);
	return queued;
}
