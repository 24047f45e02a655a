/* One message from a mailbox, handled in one transaction together with
 * its UID: the mailbox row is locked and its last UID moved on with the
 * ticket, reply or activity the message caused and the log row that
 * says so, so a crash before the commit leaves the message to the next
 * poll and a crash after it never handles it again. A support mailbox
 * threads a reply (the service module's "[#id]" in the subject, or a
 * Message-ID it sent or received in In-Reply-To or References) onto its
 * ticket and opens a ticket for anything else; a timeline mailbox logs
 * mail from known contacts as e-mail activities. Mail the CRM sent
 * itself and automatic replies are skipped, so two systems never answer
 * each other forever. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crm_attachment.h"
#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_log.h"
#include "crm_mime.h"
#include "crm_phone.h"
#include "crm_ticket_assign.h"
#include "crm_ticket_sla.h"
#include "crm_valid.h"
#include "extern.h"

static const struct crm_audit_actor runner = { 0, "", 0 };

struct job {
	struct crm_arena *a;
	const struct mail_box *box;
	unsigned long long uid;
	const char *raw;
	size_t len;
	const char *fetch_err;
	const char *store_err;  /* set when the handling itself failed */
	struct mail_result *r;
	struct crm_mime_msg m;
	int parsed;
	char perr[200];
	char email_norm[256];
	const char *subject;    /* clipped to the columns' 200 characters */
	const char *not_kept;   /* attachments left out, for the log */
	const char *io_err;     /* why a file could not be written */
	int no_room;            /* ... because the disk is full: try again later */
};

static void detail(struct job *, const char *fmt, ...) CRM_PRINTF(2, 3);

static void
detail(struct job *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->r->detail, sizeof(j->r->detail), fmt, ap);
	va_end(ap);
}

static void
not_kept(struct job *j, const char *name, const char *why)
{
	j->not_kept = crm_arena_printf(j->a, "%s%s%s (%s)", j->not_kept ? j->not_kept : "",
	    j->not_kept ? ", " : "", *name ? name : "?", why);
}

/* The message's files onto the ticket, as public files of the customer's
 * message. The files are written after every statement, as the service
 * module does: a failed insert leaves no file. */
static enum crm_err
attachments(struct crm_db *db, struct job *j, long long ticket_id, uint64_t message_id)
{
	long long ids[CRM_MIME_MAX_ATTACHMENTS];
	const char *type[CRM_MIME_MAX_ATTACHMENTS];
	struct crm_attachment row;
	unsigned char sha[32];
	uint64_t id;
	size_t i;
	enum crm_err e;

	for (i = 0; i < j->m.natt; i++) {
		const struct crm_mime_attachment *f = &j->m.att[i];

		ids[i] = 0;
		type[i] = *f->filename ? crm_attachment_type(f->filename) : NULL;
		if (type[i] == NULL) {
			not_kept(j, f->filename, "type not allowed");
			continue;
		}
		if (f->data == NULL || f->size > (size_t)CRM_ATTACHMENT_MAX) {
			not_kept(j, f->filename, "over 10 MB");
			continue;
		}
		if (f->size == 0) {
			not_kept(j, f->filename, "empty");
			continue;
		}
		crypto_hash_sha256(sha, f->data, f->size);
		row = (struct crm_attachment){
			.ticket_id = ticket_id, .message_id = message_id, .filename = f->filename,
			.content_type = type[i], .size = f->size, .sha256 = sha, .public = 1,
		};
		if ((e = crm_attachment_insert(db, &row, &id)) != CRM_OK)
			return e;
		ids[i] = (long long)id;
		if ((e = crm_audit_write(db, &runner, "attach", "ticket", ticket_id, NULL,
		    json_pack("{s:I,s:s,s:I,s:b}", "attachment_id", (json_int_t)id, "filename", f->filename,
		    "size", (json_int_t)f->size, "public", 1))) != CRM_OK)
			return e;
	}
	if (j->m.att_dropped > 0)
		not_kept(j, crm_arena_printf(j->a, "%zu more", j->m.att_dropped), "too many files");
	for (i = 0; i < j->m.natt; i++)
		if (ids[i] > 0 && crm_attachment_write(j->a, j->box->attachments, ids[i], j->m.att[i].data,
		    j->m.att[i].size) != 0) {
			int saved = errno;
			size_t k;

			/* The transaction goes back: so do the files written. */
			for (k = 0; k < i; k++)
				if (ids[k] > 0)
					unlink(crm_attachment_path(j->a, j->box->attachments, ids[k]));
			j->no_room = saved == ENOSPC || saved == EDQUOT;
			j->io_err = crm_arena_printf(j->a, "cannot write the attachment into %s: %s", j->box->attachments,
			    strerror(saved));
			crm_log(CRM_LOG_ERROR, "mailbox %lld: %s", j->box->id, j->io_err);
			return CRM_EIO;
		}
	return CRM_OK;
}

/* "[#123]" anywhere in the subject, as modules/service/notify.c writes it. */
static long long
subject_ref(const char *s)
{
	const char *p;
	long long id;
	char *end;

	for (p = strstr(s, "[#"); p != NULL; p = strstr(p + 2, "[#")) {
		if (p[2] < '1' || p[2] > '9')
			continue;
		errno = 0;
		id = strtoll(p + 2, &end, 10);
		if (errno == 0 && *end == ']' && end - (p + 2) <= 18)
			return id;
	}
	return 0;
}

/* The ticket a Message-ID belongs to: one the service module sent
 * (crm.mail.<queue id>.<created>@host, mail_jobs.c) or one a mailbox
 * received onto a ticket. */
static enum crm_err
ref_ticket(struct crm_db *db, const char *id, long long *ticket)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	long long qid, created;
	char tail;
	enum crm_err e;

	*ticket = 0;
	if (sscanf(id, "crm.mail.%lld.%lld%c", &qid, &created, &tail) == 3 && tail == '@' && qid > 0) {
		crm_db_bind_i64(&b[0], qid);
		crm_db_bind_i64(&b[1], created);
		e = crm_db_row(db, STMT_MAIL_THREAD_BY_QUEUE, b, 2, &row);
	} else {
		crm_db_bind_str(&b[0], id, (size_t)-1);
		e = crm_db_row(db, STMT_MAIL_THREAD_BY_MSGID, b, 1, &row);
	}
	if (e == CRM_OK)
		*ticket = json_integer_value(json_object_get(row, "ticket_id"));
	return e == CRM_ENOTFOUND ? CRM_OK : e;
}

/* The open ticket this message answers, locked; 0 when none. A closed
 * ticket is not reopened by mail (the service module's customer page
 * refuses that too): the message opens a new ticket. */
static enum crm_err
find_thread(struct crm_db *db, struct job *j, long long *ticket, const char **status)
{
	long long cand[1 + CRM_MIME_MAX_IDS];
	struct crm_db_bind b[1];
	json_t *row = NULL;
	size_t n = 0, i;
	int by_subject;
	enum crm_err e;

	*ticket = 0;
	if ((cand[0] = subject_ref(j->m.subject)) > 0)
		n++;
	by_subject = n > 0;
	for (i = 0; i < j->m.nrefs; i++) {
		if ((e = ref_ticket(db, j->m.refs[i], &cand[n])) != CRM_OK)
			return e;
		if (cand[n] > 0)
			n++;
	}
	for (i = 0; i < n; i++) {
		char requester[256];

		crm_db_bind_i64(&b[0], cand[i]);
		if ((e = crm_db_row(db, STMT_MAIL_TICKET_LOCK, b, 1, &row)) == CRM_ENOTFOUND)
			continue;
		if (e != CRM_OK)
			return e;
		/* A number in the subject is easy to guess: it threads only the
		 * requester's own mail. A Message-ID in In-Reply-To or References
		 * shows the sender had the ticket's mail, and threads anyone's. */
		if (i == 0 && by_subject && strcmp(j->email_norm, json_string_value(json_object_get(row, "contact_email"))) != 0 &&
		    (!crm_email_normalise(json_string_value(json_object_get(row, "requester_email")), requester,
		    sizeof(requester)) || strcmp(j->email_norm, requester) != 0)) {
			snprintf(j->r->detail, sizeof(j->r->detail), "[#%lld] in the subject, but not from its requester:"
			    " a new ticket", cand[i]);
			continue;
		}
		*status = crm_arena_strdup(j->a, json_string_value(json_object_get(row, "status")));
		if (strcmp(*status, "closed") == 0) {
			snprintf(j->r->detail, sizeof(j->r->detail), "ticket #%lld is closed: a new ticket", cand[i]);
			continue;
		}
		*ticket = cand[i];
		return CRM_OK;
	}
	return CRM_OK;
}

static const char *
sender_name(struct job *j)
{
	return *j->m.from_name ? crm_mime_clean(j->a, j->m.from_name, strlen(j->m.from_name), 800, 200, 0, NULL) :
	    j->m.from_addr;
}

static enum crm_err
contact_of(struct crm_db *db, struct job *j, json_t **row)
{
	struct crm_db_bind b[1];

	crm_db_bind_str(&b[0], j->email_norm, (size_t)-1);
	return crm_db_row(db, STMT_MAIL_CONTACT_BY_EMAIL, b, 1, row);
}

static enum crm_err
reply(struct crm_db *db, struct job *j, long long ticket, const char *status)
{
	struct crm_db_bind b[3];
	uint64_t message_id = 0, reopened = 0;
	enum crm_err e;

	crm_db_bind_i64(&b[0], ticket);
	crm_db_bind_str(&b[1], j->m.body, (size_t)-1);
	crm_db_bind_str(&b[2], sender_name(j), (size_t)-1);
	if ((e = crm_db_exec(db, STMT_MAIL_TICKET_MESSAGE, b, 3, NULL, &message_id)) != CRM_OK ||
	    (e = crm_db_exec(db, STMT_MAIL_TICKET_REOPEN, b, 1, &reopened, NULL)) != CRM_OK)
		return e;
	/* Off pending: the SLA clock runs again, as on the customer's page. */
	if (reopened && strcmp(status, "pending") == 0 &&
	    (e = crm_ticket_sla_resume(j->a, db, ticket)) != CRM_OK)
		return e;
	if ((e = crm_audit_write(db, &runner, "customer_reply", "ticket", ticket, json_pack("{s:s}", "status", status),
	    json_pack("{s:s,s:I,s:s}", "status", reopened ? "open" : status, "message_id", (json_int_t)message_id,
	    "channel", "email"))) != CRM_OK)
		return e;
	j->r->outcome = "reply";
	j->r->ticket_id = ticket;
	return attachments(db, j, ticket, message_id);
}

/* The owner by the service module's rules (lib/crm_ticket_assign.c): a
 * mail ticket has no category, so only rules for any category apply.
 * Audited as the runner. */
static enum crm_err
assign(struct crm_db *db, long long ticket_id)
{
	struct crm_ticket_assignment a;
	enum crm_err e;

	if ((e = crm_ticket_assign(db, ticket_id, 0, &a)) != CRM_OK || a.owner_id == 0)
		return e;
	return crm_audit_write(db, &runner, "assign", "ticket", ticket_id, json_pack("{s:n}", "owner_id"),
	    crm_ticket_assign_json(&a));
}

static enum crm_err
new_ticket(struct crm_db *db, struct job *j)
{
	struct crm_db_bind b[7];
	char token[CRM_AUTH_SECRET_LEN + 1];
	json_t *contact = NULL;
	long long contact_id = 0, account_id = 0;
	uint64_t id = 0, message_id = 0;
	const char *name = sender_name(j);
	enum crm_err e;

	/* The sender's contact when the address is known, as the public
	 * form matches it; otherwise the ticket keeps the requester's name
	 * and address, and an agent links a contact later. */
	if ((e = contact_of(db, j, &contact)) == CRM_OK) {
		contact_id = json_integer_value(json_object_get(contact, "id"));
		account_id = json_integer_value(json_object_get(contact, "account_id"));
	} else if (e != CRM_ENOTFOUND)
		return e;
	crm_auth_new_secret(token);
	crm_db_bind_str(&b[0], *j->subject ? j->subject : "(no subject)", (size_t)-1);
	crm_db_bind_str(&b[1], j->m.body, (size_t)-1);
	crm_db_bind_id(&b[2], contact_id);
	crm_db_bind_id(&b[3], account_id);
	crm_db_bind_str(&b[4], name, (size_t)-1);
	crm_db_bind_str(&b[5], j->m.from_addr, (size_t)-1);
	crm_db_bind_str(&b[6], token, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_MAIL_TICKET_CREATE, b, 7, NULL, &id)) != CRM_OK)
		return e;
	crm_db_bind_i64(&b[0], (long long)id);
	crm_db_bind_str(&b[1], j->m.body, (size_t)-1);
	crm_db_bind_str(&b[2], name, (size_t)-1);
	if ((e = crm_db_exec(db, STMT_MAIL_TICKET_MESSAGE, b, 3, NULL, &message_id)) != CRM_OK ||
	    (e = assign(db, (long long)id)) != CRM_OK ||
	    (e = crm_ticket_sla_start(j->a, db, (long long)id)) != CRM_OK)
		return e;
	if ((e = crm_audit_write(db, &runner, "create", "ticket", (long long)id, NULL,
	    json_pack("{s:s,s:s,s:s,s:I,s:s}", "subject", *j->subject ? j->subject : "(no subject)",
	    "requester_name", name, "requester_email", j->m.from_addr, "contact_id", (json_int_t)contact_id,
	    "channel", "email"))) != CRM_OK)
		return e;
	j->r->outcome = "ticket";
	j->r->ticket_id = (long long)id;
	return attachments(db, j, (long long)id, message_id);
}

static enum crm_err
timeline(struct crm_db *db, struct job *j)
{
	struct crm_db_bind b[7];
	json_t *contact = NULL;
	char at[32];
	time_t now = time(NULL), when = j->m.date;
	struct tm tm;
	long long owner;
	uint64_t id = 0;
	enum crm_err e;

	if ((e = contact_of(db, j, &contact)) == CRM_ENOTFOUND) {
		j->r->outcome = "skipped";
		detail(j, "unknown sender %s: no contact has this address", j->m.from_addr);
		return CRM_OK;
	}
	if (e != CRM_OK)
		return e;
	/* The Date header is the sender's word: one in the future or before
	 * e-mail existed is taken as now. */
	if (when <= 0 || when > now + 86400 || when < 315532800)
		when = now;
	gmtime_r(&when, &tm);
	strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S", &tm);
	owner = json_integer_value(json_object_get(contact, "owner_id"));
	crm_db_bind_str(&b[0], *j->subject ? j->subject : "(no subject)", (size_t)-1);
	crm_db_bind_str(&b[1], j->m.body, (size_t)-1);
	crm_db_bind_id(&b[2], json_integer_value(json_object_get(contact, "account_id")));
	crm_db_bind_i64(&b[3], json_integer_value(json_object_get(contact, "id")));
	crm_db_bind_str(&b[4], at, (size_t)-1);
	crm_db_bind_i64(&b[5], owner);
	crm_db_bind_i64(&b[6], owner);
	if ((e = crm_db_exec(db, STMT_MAIL_ACTIVITY, b, 7, NULL, &id)) != CRM_OK)
		return e;
	if ((e = crm_audit_write(db, &runner, "create", "activity", (long long)id, NULL,
	    json_pack("{s:s,s:s,s:O,s:O,s:s,s:I}", "kind", "email", "subject", *j->subject ? j->subject : "(no subject)",
	    "contact_id", json_object_get(contact, "id"), "account_id", json_object_get(contact, "account_id"),
	    "from", j->m.from_addr, "mailbox_id", (json_int_t)j->box->id))) != CRM_OK)
		return e;
	j->r->outcome = "timeline";
	j->r->activity_id = (long long)id;
	return CRM_OK;
}

/* Why the message is left alone, or NULL to handle it. */
static const char *
skip_reason(struct crm_db *db, struct job *j, enum crm_err *e)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;

	*e = CRM_OK;
	if (!crm_valid_email(j->m.from_addr) ||
	    !crm_email_normalise(j->m.from_addr, j->email_norm, sizeof(j->email_norm)))
		return "no usable sender address";
	if ((*j->box->mail_from && strcasecmp(j->m.from_addr, j->box->mail_from) == 0) ||
	    (*j->box->support_address && strcasecmp(j->m.from_addr, j->box->support_address) == 0))
		return "sent by the CRM's own address";
	if (j->m.auto_reply)
		return "an automatic reply or bulk mail";
	/* After a UIDVALIDITY change the same message comes again with a new
	 * UID: its Message-ID says it was handled. */
	if (*j->m.message_id) {
		crm_db_bind_str(&b[0], j->m.message_id, (size_t)-1);
		crm_db_bind_i64(&b[1], j->box->id);
		if ((*e = crm_db_row(db, STMT_MAIL_MSG_SEEN_ID, b, 2, &row)) == CRM_OK)
			return "already handled (the same Message-ID)";
		if (*e != CRM_ENOTFOUND)
			return NULL;
		*e = CRM_OK;
	}
	return NULL;
}

static enum crm_err
act(struct crm_db *db, struct job *j)
{
	const char *why, *status = "";
	long long ticket = 0;
	enum crm_err e;

	if (j->store_err != NULL) {
		j->r->outcome = "error";
		detail(j, "%s", j->store_err);
		return CRM_OK;
	}
	if (j->raw == NULL) {
		j->r->outcome = "skipped";
		detail(j, "not fetched: %s", j->fetch_err ? j->fetch_err : "");
		return CRM_OK;
	}
	if (!j->parsed) {
		j->r->outcome = "error";
		detail(j, "not a readable message: %s", j->perr);
		return CRM_OK;
	}
	if ((why = skip_reason(db, j, &e)) != NULL || e != CRM_OK) {
		j->r->outcome = "skipped";
		detail(j, "%s", why ? why : "");
		return e;
	}
	if (strcmp(j->box->purpose, "timeline") == 0)
		return timeline(db, j);
	if ((e = find_thread(db, j, &ticket, &status)) != CRM_OK)
		return e;
	return ticket > 0 ? reply(db, j, ticket, status) : new_ticket(db, j);
}

static enum crm_err
advance(struct crm_db *db, struct job *j)
{
	struct crm_db_bind b[4];

	crm_db_bind_i64(&b[0], (long long)j->uid);
	crm_db_bind_i64(&b[1], j->box->id);
	crm_db_bind_i64(&b[2], (long long)j->box->uidvalidity);
	crm_db_bind_i64(&b[3], (long long)j->uid);
	return crm_db_exec(db, STMT_MAIL_BOX_ADVANCE, b, 4, NULL, NULL);
}

static enum crm_err
handle_tx(struct crm_db *db, void *arg)
{
	struct job *j = arg;
	struct crm_db_bind b[10];
	json_t *row = NULL;
	enum crm_err e;

	j->r->outcome = NULL;
	j->r->ticket_id = j->r->activity_id = 0;
	j->r->detail[0] = '\0';
	j->not_kept = NULL;
	crm_db_bind_i64(&b[0], j->box->id);
	if ((e = crm_db_row(db, STMT_MAIL_BOX_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	/* Another runner got here first, or the mailbox was reset. */
	if ((unsigned long long)json_integer_value(json_object_get(row, "uidvalidity")) != j->box->uidvalidity ||
	    (unsigned long long)json_integer_value(json_object_get(row, "last_uid")) >= j->uid)
		return CRM_OK;
	/* Logged already, though last_uid was put back (by hand, or a
	 * restored backup): only moved past, never handled again. */
	crm_db_bind_i64(&b[1], (long long)j->box->uidvalidity);
	crm_db_bind_i64(&b[2], (long long)j->uid);
	if ((e = crm_db_row(db, STMT_MAIL_MSG_SEEN_UID, b, 3, &row)) == CRM_OK)
		return advance(db, j);
	if (e != CRM_ENOTFOUND)
		return e;
	if ((e = act(db, j)) != CRM_OK)
		return e;
	if (j->not_kept != NULL) {
		size_t n = strlen(j->r->detail);

		snprintf(j->r->detail + n, sizeof(j->r->detail) - n, "%sfiles not kept: %s", n ? "; " : "", j->not_kept);
	}
	crm_db_bind_i64(&b[0], j->box->id);
	crm_db_bind_i64(&b[1], (long long)j->box->uidvalidity);
	crm_db_bind_i64(&b[2], (long long)j->uid);
	crm_db_bind_str(&b[3], j->parsed ? j->m.message_id : "", (size_t)-1);
	crm_db_bind_str(&b[4], j->parsed ? j->m.from_addr : "", (size_t)-1);
	crm_db_bind_str(&b[5], j->parsed ? j->subject : "", (size_t)-1);
	crm_db_bind_str(&b[6], j->r->outcome, (size_t)-1);
	crm_db_bind_str(&b[7], crm_mime_clean(j->a, j->r->detail, strlen(j->r->detail), 1500, 500, 0, NULL),
	    (size_t)-1);
	crm_db_bind_id(&b[8], j->r->ticket_id);
	crm_db_bind_id(&b[9], j->r->activity_id);
	if ((e = crm_db_exec(db, STMT_MAIL_MSG_LOG, b, 10, NULL, NULL)) != CRM_OK)
		return e;
	if ((e = advance(db, j)) != CRM_OK)
		return e;
	return crm_audit_write(db, &runner, "receive", "mailbox", j->box->id, NULL,
	    json_pack("{s:I,s:s,s:I,s:I}", "uid", (json_int_t)j->uid, "outcome", j->r->outcome,
	    "ticket_id", (json_int_t)j->r->ticket_id, "activity_id", (json_int_t)j->r->activity_id));
}

enum crm_err
automation_mail_handle(struct crm_db *db, struct crm_arena *a, const struct mail_box *box,
    unsigned long long uid, const char *raw, size_t len, const char *fetch_err, struct mail_result *r)
{
	struct job j;
	enum crm_err e;

	memset(&j, 0, sizeof(j));
	j.a = a;
	j.box = box;
	j.uid = uid;
	j.raw = raw;
	j.len = len;
	j.fetch_err = fetch_err;
	j.r = r;
	if (raw != NULL) {
		j.parsed = crm_mime_parse(a, raw, len, CRM_ATTACHMENT_MAX, &j.m, j.perr, sizeof(j.perr)) == CRM_OK;
		j.subject = j.parsed ? crm_mime_clean(a, j.m.subject, strlen(j.m.subject), 800, 200, 0, NULL) : "";
	}
	if ((e = crm_db_tx(db, handle_tx, &j)) == CRM_OK || !crm_db_connected(db))
		return e;
	/* A full disk passes: the message waits for the next poll, which
	 * stores it whole once there is room (the poll stops here and says
	 * why). */
	if (j.no_room) {
		snprintf(r->detail, sizeof(r->detail), "%s", j.io_err);
		return CRM_EIO;
	}
	/* Anything else is logged as an error and passed over, so one message
	 * that cannot be stored never stops the mailbox; a lost database
	 * leaves it for the next poll. */
	j.store_err = crm_arena_printf(a, "could not be stored: %s", j.io_err ? j.io_err : crm_db_error(db));
	crm_log(CRM_LOG_ERROR, "mailbox %lld: message %llu %s", box->id, uid, j.store_err);
	return crm_db_tx(db, handle_tx, &j);
}
