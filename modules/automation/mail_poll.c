/* The runner's part "mail": each tick claims one due mailbox (its
 * next_poll_at moved on first, so a second runner takes another or none),
 * reads it over IMAP outside any transaction and hands each new message to
 * mail_handle.c, oldest first, a batch at a time. A mailbox with more
 * waiting is due again at once. Network and login failures are the
 * mailbox's, recorded on its poll log for the admin, and never stop the
 * other parts or mailboxes. */
#include <stdio.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_imap.h"
#include "crm_log.h"
#include "crm_mime.h"
#include "crm_setting.h"
#include "extern.h"

#define BATCH 25                /* messages per poll; more makes it due again at once */
#define IMAP_TIMEOUT 60         /* seconds per IMAP command, the fetch of a large message included */

struct counts {
	long long seen, tickets, replies, timeline, skipped, errors;
	char error[500];
};

static enum crm_err
claim_tx(struct crm_db *db, void *arg)
{
	long long *id = arg;
	struct crm_db_bind b[1];
	json_t *row = NULL;
	enum crm_err e;

	*id = 0;
	if ((e = crm_db_row(db, STMT_MAIL_DUE, NULL, 0, &row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_OK : e;
	*id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	crm_db_bind_i64(&b[0], *id);
	return crm_db_exec(db, STMT_MAIL_CLAIM, b, 1, NULL, NULL);
}

struct reset {
	long long id;
	unsigned long long uidvalidity;
};

static enum crm_err
reset_tx(struct crm_db *db, void *arg)
{
	struct reset *r = arg;
	struct crm_db_bind b[2];
	enum crm_err e;
	json_t *after;

	crm_db_bind_i64(&b[0], (long long)r->uidvalidity);
	crm_db_bind_i64(&b[1], r->id);
	if ((e = crm_db_exec(db, STMT_MAIL_BOX_RESET, b, 2, NULL, NULL)) != CRM_OK)
		return e;
	/* Outside any arena here: the audit row's values are ours to free. */
	after = json_pack("{s:I,s:I}", "uidvalidity", (json_int_t)r->uidvalidity, "last_uid", (json_int_t)0);
	e = crm_audit_write(db, &(struct crm_audit_actor){ 0, "", 0 }, "reset", "mailbox", r->id, NULL, after);
	json_decref(after);
	return e;
}

static void
count(struct counts *n, const char *outcome)
{
	if (outcome == NULL)
		return;
	n->seen++;
	if (strcmp(outcome, "ticket") == 0)
		n->tickets++;
	else if (strcmp(outcome, "reply") == 0)
		n->replies++;
	else if (strcmp(outcome, "timeline") == 0)
		n->timeline++;
	else if (strcmp(outcome, "skipped") == 0)
		n->skipped++;
	else
		n->errors++;
}

/* One message: fetched, then handled in its own arena. 0 to go on, -1 to
 * end the poll (the server or the database failed; the message is left
 * for the next poll). */
static int
one(struct crm_db *db, struct crm_imap *imap, const struct mail_box *box, unsigned long long uid, struct counts *n)
{
	struct crm_arena *a = crm_arena_new(64 * 1024);
	struct mail_result r;
	struct crm_buf raw;
	char err[300] = "";
	unsigned long long v = 0, next = 0;
	const char *fetch_err = NULL;
	enum crm_err e;
	int rc = 0;

	crm_buf_init(&raw, NULL, 64 * 1024);
	e = crm_imap_fetch(imap, box->uidvalidity, uid, CRM_MIME_MAX_SIZE, &raw, err, sizeof(err));
	if (e == CRM_ENOTFOUND || (e == CRM_OK && raw.len == 0)) {
		/* Gone since the search, or the whole mailbox was replaced: the
		 * next poll sees the new UIDVALIDITY and starts over. */
		if (crm_imap_status(imap, &v, &next, err, sizeof(err)) != CRM_OK || v != box->uidvalidity) {
			snprintf(n->error, sizeof(n->error), "the mailbox changed while it was read");
			rc = -1;
			goto done;
		}
		fetch_err = "gone from the mailbox before it was read";
	} else if (e == CRM_ETOOBIG)
		fetch_err = crm_arena_printf(a, "larger than %ld MB", CRM_MIME_MAX_SIZE / (1024 * 1024));
	else if (e != CRM_OK) {
		snprintf(n->error, sizeof(n->error), "fetching message %llu: %s", uid, err);
		rc = -1;
		goto done;
	}
	memset(&r, 0, sizeof(r));
	crm_arena_json_use(a);
	e = automation_mail_handle(db, a, box, uid, fetch_err ? NULL : raw.data, fetch_err ? 0 : raw.len, fetch_err, &r);
	crm_arena_json_use(NULL);
	if (e != CRM_OK) {
		snprintf(n->error, sizeof(n->error), "storing message %llu: %.400s", uid,
		    e == CRM_EIO && r.detail[0] ? r.detail : crm_db_error(db));
		rc = -1;
		goto done;
	}
	count(n, r.outcome);
	if (r.outcome != NULL)
		crm_log(CRM_LOG_INFO, "mailbox %lld: message %llu: %s%s%s", box->id, uid, r.outcome,
		    r.detail[0] ? ": " : "", r.detail);
done:
	crm_buf_release(&raw);
	crm_arena_free(a);
	return rc;
}

/* Reads the mailbox; n says what came of it. 1 when more mail waits. */
static int
read_box(struct crm_db *db, json_t *row, struct mail_box *box, struct counts *n)
{
	unsigned long long uids[BATCH], v = 0, next = 0, last = (unsigned long long)json_integer_value(
	    json_object_get(row, "last_uid"));
	struct crm_imap *imap;
	size_t k, i;
	int more = 0;

	imap = crm_imap_open(json_string_value(json_object_get(row, "url")),
	    json_string_value(json_object_get(row, "username")), json_string_value(json_object_get(row, "password")),
	    IMAP_TIMEOUT);
	if (imap == NULL) {
		snprintf(n->error, sizeof(n->error), "the mailbox's address is not a usable IMAP URL");
		return 0;
	}
	if (crm_imap_status(imap, &v, &next, n->error, sizeof(n->error)) != CRM_OK)
		goto done;
	if (v != box->uidvalidity) {
		struct reset r = { box->id, v };

		/* New, or replaced on the server: its UIDs start over. */
		if (crm_db_tx(db, reset_tx, &r) != CRM_OK) {
			snprintf(n->error, sizeof(n->error), "recording the mailbox's UIDVALIDITY: %s", crm_db_error(db));
			goto done;
		}
		crm_log(CRM_LOG_INFO, "mailbox %lld: UIDVALIDITY %llu (was %llu): reading from the start", box->id, v,
		    box->uidvalidity);
		box->uidvalidity = v;
		last = 0;
	}
	if (next > 0 && next <= last + 1)
		goto done;      /* nothing new: no SELECT, no SEARCH */
	if (crm_imap_search(imap, v, last, uids, BATCH, &k, &more, n->error, sizeof(n->error)) != CRM_OK)
		goto done;
	for (i = 0; i < k; i++)
		if (one(db, imap, box, uids[i], n) != 0) {
			more = 0;
			break;
		}
done:
	crm_imap_close(imap);
	return more;
}

static enum crm_err
log_tx(struct crm_db *db, void *arg)
{
	void **p = arg;
	const struct mail_box *box = p[0];
	const struct counts *n = p[1];
	struct crm_db_bind b[8];
	enum crm_err e;

	/* A poll that found nothing and failed at nothing only moves
	 * last_polled_at: the log keeps what happened, not the clock. */
	if (n->seen == 0 && n->error[0] == '\0')
		goto polled;
	crm_db_bind_i64(&b[0], box->id);
	crm_db_bind_i64(&b[1], n->seen);
	crm_db_bind_i64(&b[2], n->tickets);
	crm_db_bind_i64(&b[3], n->replies);
	crm_db_bind_i64(&b[4], n->timeline);
	crm_db_bind_i64(&b[5], n->skipped);
	crm_db_bind_i64(&b[6], n->errors);
	crm_db_bind_str(&b[7], n->error, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_MAIL_POLL_LOG, b, 8, NULL, NULL)) != CRM_OK)
		return e;
polled:
	crm_db_bind_str(&b[0], n->error, (size_t)-1);
	crm_db_bind_i64(&b[1], box->id);
	return crm_db_exec(db, STMT_MAIL_BOX_POLLED, b, 2, NULL, NULL);
}

/* Polls one mailbox. Returns the messages handled plus one (the poll is
 * work too), or -1 when the database failed. */
static int
poll_box(struct crm_db *db, const struct crm_conf *conf, long long id, char *err, size_t errlen)
{
	struct crm_arena *a = crm_arena_new(4096);
	struct crm_db_bind b[1];
	struct counts n;
	struct mail_box box;
	json_t *row = NULL;
	void *log[2];
	int more = 0, rc;

	memset(&n, 0, sizeof(n));
	crm_db_bind_i64(&b[0], id);
	if (crm_db_row(db, STMT_MAIL_BOX_RUN, b, 1, &row) != CRM_OK) {
		snprintf(err, errlen, "reading mailbox %lld: %s", id, crm_db_error(db));
		crm_arena_free(a);
		return -1;
	}
	memset(&box, 0, sizeof(box));
	box.id = id;
	box.created_by = json_integer_value(json_object_get(row, "created_by"));
	box.purpose = crm_arena_strdup(a, json_string_value(json_object_get(row, "purpose")));
	box.support_address = crm_arena_strdup(a, json_string_value(json_object_get(row, "support_address")));
	box.mail_from = crm_setting(db, a, "mail_from", "");
	box.attachments = conf->attachments;
	box.uidvalidity = (unsigned long long)json_integer_value(json_object_get(row, "uidvalidity"));
	more = read_box(db, row, &box, &n);
	json_decref(row);       /* the password goes with it */
	if (n.error[0])
		crm_log(CRM_LOG_WARN, "mailbox %lld: %s", id, n.error);
	log[0] = &box;
	log[1] = &n;
	rc = crm_db_tx(db, log_tx, log) == CRM_OK ? (int)n.seen + 1 : -1;
	if (rc > 0 && more && crm_db_exec(db, STMT_MAIL_BOX_AGAIN, b, 1, NULL, NULL) != CRM_OK)
		rc = -1;
	if (rc < 0)
		snprintf(err, errlen, "recording mailbox %lld's poll: %s", id, crm_db_error(db));
	crm_arena_free(a);
	return rc;
}

int
automation_mail_tick(struct crm_db *db, const struct crm_conf *conf, char *err, size_t errlen)
{
	long long id = 0;

	if (crm_db_tx(db, claim_tx, &id) != CRM_OK) {
		snprintf(err, errlen, "claiming a mailbox: %s", crm_db_error(db));
		return -1;
	}
	return id > 0 ? poll_box(db, conf, id, err, errlen) : 0;
}
