/* The runner's "notifications" part. From the event stream (cursor
 * 'notifications'): a record given to someone (created for them by
 * another, or its owner or assignee changed to them), a mention in a note
 * (@name), a quote approved (its owner). Then the scans (tasks due, SLA
 * near breach, notify_scan.c) and the daily digest (notify_digest.c).
 *
 * Mentions: "@" at the start of the text or after a character that is
 * not a letter, digit or one of "._-+" (so an e-mail address is not a
 * mention), followed by either the part of a user's e-mail address before
 * its @ ("@sam.lee") or their full name of one to three words ("@Sam Lee",
 * matched without regard to case). Ticket notes and replies and activity
 * notes (an activity's text) are read. */
#include <stdio.h>
#include <string.h>

#include "crm_events.h"
#include "crm_notify.h"
#include "extern.h"

enum {
	EVENTS_PER_PASS = 200,
	MAX_MENTIONS = 10,              /* per note: past this it is a mailing list */
	MAX_NAME = 200,
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

static int
word_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	    ch == '.' || ch == '_' || ch == '-' || ch == '+';
}

/* The text after "@": its first word (letters, digits, "._-+" and any
 * non-ASCII letter), then the first two and three words. */
static void
candidates(const char *p, char w1[MAX_NAME], char w2[MAX_NAME], char w3[MAX_NAME], char local[MAX_NAME])
{
	char *outs[3] = { w1, w2, w3 };
	size_t i = 0, k, words = 0, li = 0;

	w1[0] = w2[0] = w3[0] = local[0] = '\0';
	while (words < 3 && i < MAX_NAME - 1) {
		size_t start = i;

		while (i < MAX_NAME - 1 && p[i] != '\0' && ((unsigned char)p[i] >= 0x80 || word_char((unsigned char)p[i])))
			i++;
		if (i == start)
			break;
		/* A name does not end with sentence punctuation: "@Sam." */
		k = i;
		while (k > start && (p[k - 1] == '.' || p[k - 1] == '-'))
			k--;
		memcpy(outs[words], p, k);
		outs[words][k] = '\0';
		if (words == 0) {
			/* LIKE's own characters in an address part are literal. */
			for (li = 0, k = 0; p[k] != '\0' && k < i && li < MAX_NAME - 3; k++) {
				if (p[k] == '%' || p[k] == '_' || p[k] == '\\')
					local[li++] = '\\';
				local[li++] = p[k];
			}
			while (li > 0 && (local[li - 1] == '.' || local[li - 1] == '-'))
				li--;
			local[li] = '\0';
		}
		words++;
		if (p[i] != ' ')
			break;
		i++;
	}
	for (k = words; k < 3; k++)
		outs[k][0] = '\0';
}

static enum crm_err
mentions(struct crm_db *db, const struct crm_event *ev, json_t *rec, const char *text)
{
	long long told[MAX_MENTIONS];
	size_t ntold = 0, i, k;
	const char *p;
	enum crm_err e;

	for (p = strchr(text, '@'); p != NULL && ntold < MAX_MENTIONS; p = strchr(p + 1, '@')) {
		char w1[MAX_NAME], w2[MAX_NAME], w3[MAX_NAME], local[MAX_NAME];
		struct crm_db_bind b[4];
		json_t *users = NULL, *u;

		if (p > text && word_char((unsigned char)p[-1]))
			continue;
		candidates(p + 1, w1, w2, w3, local);
		if (local[0] == '\0')
			continue;
		crm_db_bind_str(&b[0], local, (size_t)-1);
		crm_db_bind_str(&b[1], w1, (size_t)-1);
		crm_db_bind_str(&b[2], w2[0] ? w2 : w1, (size_t)-1);
		crm_db_bind_str(&b[3], w3[0] ? w3 : w1, (size_t)-1);
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
