/* The runner's "notifications" part. From the event stream (cursor
 * 'notifications'): a record given to someone (created for them by
 * another, or its owner or assignee changed to them), a mention in a note
 * (@name), a quote approved (its owner). Then the scans (tasks due, SLA
 * near breach, notify_scan.c) and the daily digest (notify_digest.c).
 *
 * Mentions (lib/crm_mention.h) are read from ticket notes and replies and
 * from an activity's text; a name matches without regard to case (the
 * users table's collation). */
#include <stdio.h>
#include <string.h>

#include "crm_events.h"
#include "crm_mention.h"
#include "crm_notify.h"
#include "extern.h"

enum {
	EVENTS_PER_PASS = 200,
	MAX_MENTIONS = 10,              /* per note: past this it is a mailing list */
};

static const struct {
	const char *entity;
	enum stmt stmt;
} title_stmts[] = {
	{ "account", STMT_NJ_TITLE_ACCOUNT },
	{ "contact", STMT_NJ_TITLE_CONTACT },
	{ "lead", STMT_NJ_TITLE_LEAD },
	{ "opportunity", STMT_NJ_TITLE_OPPORTUNITY },
	{ "quote", STMT_NJ_TITLE_QUOTE },
	{ "order", STMT_NJ_TITLE_ORDER },
	{ "ticket", STMT_NJ_TITLE_TICKET },
	{ "activity", STMT_NJ_TITLE_ACTIVITY },
};

/* The record's title, owner (assignee) and text; NULL when the entity is
 * not one people are given, or the record is gone. */
static json_t *
record(struct crm_db *db, const struct crm_event *ev)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	size_t i;

	for (i = 0; i < CRM_NELEM(title_stmts); i++)
		if (strcmp(title_stmts[i].entity, ev->entity) == 0)
			break;
	if (i == CRM_NELEM(title_stmts) || ev->entity_id <= 0)
		return NULL;
	crm_db_bind_i64(&b[0], ev->entity_id);
	if (crm_db_row(db, title_stmts[i].stmt, b, 1, &row) != CRM_OK)
		return NULL;
	return row;
}

static const char *
title_of(json_t *rec)
{
	const char *t = json_string_value(json_object_get(rec, "title"));

	return t ? t : "";
}

static enum crm_err
tell(struct crm_db *db, const struct crm_event *ev, const char *kind, long long user_id, json_t *rec)
{
	char key[32];
	struct crm_notify n = { user_id, kind, ev->entity, ev->entity_id, title_of(rec), ev->user_id, key };

	/* One per audit row: the same person given the same record twice is
	 * told twice, and a replayed event adds nothing. */
	snprintf(key, sizeof(key), "audit:%lld", ev->id);
	return crm_notify_add(db, &n, NULL);
}

static long long
int_of(json_t *v)
{
	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

/* Assigned: the new owner named by the change, or for an activity
 * created for someone, its assignee. */
static enum crm_err
assigned(struct crm_db *db, const struct crm_event *ev, json_t *rec)
{
	int create = strcmp(ev->action, "create") == 0;
	long long to = int_of(crm_event_after(ev, "owner_id"));

	if (to == 0)
		to = int_of(crm_event_after(ev, "assignee_id"));
	/* An activity's audit row does not name its assignee; other records'
	 * creations name their owner, or are their creator's own, and their
	 * owner now may be a later change's (told by that change's row). */
	if (to == 0 && create && strcmp(ev->entity, "activity") == 0)
		to = int_of(json_object_get(rec, "owner_id"));
	if (to == 0 || (!create && !crm_event_changed(ev, "owner_id") && !crm_event_changed(ev, "assignee_id")))
		return CRM_OK;
	return tell(db, ev, CRM_NOTIFY_ASSIGNED, to, rec);
}

static enum crm_err
mentions(struct crm_db *db, const struct crm_event *ev, json_t *rec, const char *text)
{
	struct crm_mention found[MAX_MENTIONS];
	long long told[MAX_MENTIONS];
	size_t n = crm_mention_find(text, found, MAX_MENTIONS), ntold = 0, i, j, k;
	enum crm_err e;

	for (j = 0; j < n; j++) {
		const struct crm_mention *m = &found[j];
		struct crm_db_bind b[4];
		json_t *users = NULL, *u;

		crm_db_bind_str(&b[0], m->local, (size_t)-1);
		for (k = 0; k < 3; k++)
			crm_db_bind_str(&b[1 + k], m->words[k][0] ? m->words[k] : m->words[0], (size_t)-1);
		if ((e = crm_db_rows(db, STMT_NJ_MENTION, b, 4, &users)) != CRM_OK)
			return e;
		json_array_foreach(users, i, u) {
			long long id = int_of(json_object_get(u, "id"));

			for (k = 0; k < ntold && told[k] != id; k++)
				;
			if (k < ntold || ntold >= MAX_MENTIONS)
				continue;
			told[ntold++] = id;
			if ((e = tell(db, ev, CRM_NOTIFY_MENTION, id, rec)) != CRM_OK) {
				json_decref(users);
				return e;
			}
		}
		json_decref(users);
	}
	return CRM_OK;
}

/* The text of a ticket's note or reply (the audit row names the message). */
static enum crm_err
ticket_note(struct crm_db *db, const struct crm_event *ev, json_t *rec)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], int_of(crm_event_after(ev, "message_id")));
	crm_db_bind_i64(&b[1], ev->entity_id);
	if ((e = crm_db_row(db, STMT_NJ_TICKET_MESSAGE, b, 2, &row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_OK : e;
	e = mentions(db, ev, rec, json_string_value(json_object_get(row, "body")));
	json_decref(row);
	return e;
}

static enum crm_err
on_event(struct crm_db *db, const struct crm_event *ev, void *arg)
{
	const char *a = ev->action;
	json_t *rec;
	enum crm_err e = CRM_OK;

	(void)arg;
	if ((rec = record(db, ev)) == NULL)
		return CRM_OK;
	if (strcmp(a, "create") == 0 || strcmp(a, "assign") == 0 || strcmp(a, "reassign") == 0 ||
	    strcmp(a, "update") == 0)
		e = assigned(db, ev, rec);
	if (e == CRM_OK && strcmp(ev->entity, "ticket") == 0 && (strcmp(a, "note") == 0 || strcmp(a, "reply") == 0))
		e = ticket_note(db, ev, rec);
	if (e == CRM_OK && strcmp(ev->entity, "activity") == 0 && strcmp(a, "create") == 0)
		e = mentions(db, ev, rec, json_string_value(json_object_get(rec, "body")));
	if (e == CRM_OK && strcmp(ev->entity, "quote") == 0 && strcmp(a, "approve") == 0)
		e = tell(db, ev, CRM_NOTIFY_QUOTE_APPROVED, int_of(json_object_get(rec, "owner_id")), rec);
	json_decref(rec);
	return e;
}

int
automation_notifications_tick(struct crm_db *db, const struct crm_conf *conf, char *err, size_t errlen)
{
	size_t events = 0;
	int scanned, mailed;
	enum crm_err e;

	if ((e = crm_events_run(db, "notifications", EVENTS_PER_PASS, on_event, NULL, &events)) != CRM_OK) {
		snprintf(err, errlen, "events: %s", crm_err_str(e));
		return -1;
	}
	if ((scanned = automation_notify_scan(db, err, errlen)) < 0)
		return -1;
	if ((mailed = automation_notify_digest(db, conf, err, errlen)) < 0)
		return -1;
	/* The scans find the same rows until they are announced, so only the
	 * stream's events ask for another pass at once. */
	(void)scanned;
	(void)mailed;
	return (int)events;
}
