/* crm-marketing jobs: the mass-send runner, which also sends templates'
 * test messages.
 *
 * Each campaign message goes through three recorded states. The claim
 * (SELECT ... FOR UPDATE SKIP LOCKED, so runners sharing a database never
 * take the same row) marks it 'sending' with a heartbeat and commits
 * BEFORE the relay hears of it; only then is it rendered and handed to
 * the relay, outside any transaction; once the relay has accepted it,
 * 'sent' (with the send's count and the member's sent_at) is committed
 * at once, before anything else goes out. That same commit claims the
 * send's next message (one commit per message: the commit, not the relay,
 * is what limits a runner), so the next is again 'sending' before the
 * relay sees it. A runner hands the relay one message at a time and the
 * next only after the last one's outcome is committed, so a kill -9 can
 * leave at most the one message in flight unrecorded: the one whose relay
 * acceptance came in the moment before its 'sent' commit. Its row stays 'sending'; once the
 * heartbeat is older than --stale seconds (longer than a send may take)
 * a runner takes it again and sends it again with the same Message-ID,
 * derived from the row (crm.mkt.<send>.<message>), so the reader's mail
 * program sees one message. Every other message is either 'sent' (never
 * sent again) or 'queued'/'sending' before the relay saw it (sent once,
 * later): none is lost.
 *
 * A failure goes back to 'queued' with a backoff (1, 2, 4 ... minutes,
 * capped), and after MAX_ATTEMPTS it is 'failed', counted in the send. A
 * send is paced at its rate_per_minute; its status is read before each
 * message, so pausing or cancelling stops it after the one in flight. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "crm_log.h"
#include "crm_mail.h"
#include "crm_runner.h"
#include "crm_valid.h"
#include "extern.h"

enum {
	MAX_ATTEMPTS = 5,
	MAX_BACKOFF_MINUTES = 60,
	SEND_TIMEOUT = 30,              /* seconds; well inside the stale time */
	STALE = 120,                    /* seconds without a heartbeat: the runner died */
	MAX_SENDS = 32,
	LINK_CACHE = 256,               /* a send's links remembered, url -> token */
	SETTINGS_EVERY = 5,             /* seconds between reads of the settings */
};

struct link {
	const char *url;
	char token[MARKETING_LINK_TOKEN_LEN + 1];
};

/* A claimed message: 'sending' in the database, not yet at the relay. */
struct msg {
	long long id, contact_id;
	long attempts;                  /* this one included */
	char to[255];
	char token[44];
	int have;
};

/* A send being worked on: its compiled template and its links, kept
 * while it is active so each message costs no compile and no lookup;
 * and its next message, claimed in the commit that recorded the last. */
struct slot {
	long long id, campaign_id, template_id;
	long rate;
	double next_at;                 /* monotonic seconds: the next message may go */
	int ok;                         /* the template compiled */
	int seen;
	struct marketing_mail_tmpl t;
	struct crm_arena *a;            /* the link cache's strings */
	struct link links[LINK_CACHE];
	size_t nlinks;
	struct msg next;
};

struct runner {
	struct crm_db *db;
	struct crm_mail_session *smtp;
	struct crm_arena *settings_arena;
	const char *relay, *from, *public_url;
	double settings_at;
	double tests_at;                /* when the test queue was last empty */
	long stale;
	int warned;
	struct slot slots[MAX_SENDS];
	size_t nslots;
	double attribution_at;
	int quiet;                      /* --once: passes in a row with nothing due */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
settings(struct runner *r)
{
	const char *base;
	size_t n;

	if (r->relay != NULL && now() - r->settings_at < SETTINGS_EVERY)
		return;
	crm_arena_reset(r->settings_arena);
	r->relay = crm_setting(r->db, r->settings_arena, "smtp_relay", "");
	r->from = crm_setting(r->db, r->settings_arena, "marketing_from", "");
	base = crm_setting(r->db, r->settings_arena, "public_url", "");
	for (n = strlen(base); n > 0 && base[n - 1] == '/'; n--)
		;
	r->public_url = crm_arena_strndup(r->settings_arena, base, n);
	r->settings_at = now();
}

/* A message claimed for a send that is now paused, cancelled or left at
 * exit goes back as it was: queued, its attempt not counted. */
static void
release(struct crm_db *db, struct slot *s)
{
	struct crm_db_bind b[1];

	if (!s->next.have)
		return;
	crm_db_bind_i64(&b[0], s->next.id);
	if (crm_db_exec(db, STMT_JOB_RELEASE, b, 1, NULL, NULL) != CRM_OK)
		crm_log(CRM_LOG_ERROR, "message %lld: cannot put it back: %s (taken again when stale)", s->next.id,
		    crm_db_error(db));
	s->next.have = 0;
}

static void
slot_free(struct crm_db *db, struct slot *s)
{
	release(db, s);
	marketing_mail_tmpl_free(&s->t);
	crm_arena_free(s->a);
	memset(s, 0, sizeof(*s));
}

/* The slots follow the active sends: new ones compiled, gone ones freed. */
static enum crm_err
sync_slots(struct runner *r)
{
	struct crm_db_bind b[1];
	json_t *rows = NULL, *row, *tpl = NULL;
	size_t i, k;
	char err[300];

	if (crm_db_rows(r->db, STMT_JOB_SENDS, NULL, 0, &rows) != CRM_OK)
		return CRM_EIO;
	for (k = 0; k < r->nslots; k++)
		r->slots[k].seen = 0;
	json_array_foreach(rows, i, row) {
		long long id = json_integer_value(json_object_get(row, "id"));
		struct slot *s = NULL;

		for (k = 0; k < r->nslots && s == NULL; k++)
			if (r->slots[k].id == id)
				s = &r->slots[k];
		if (strcmp(json_string_value(json_object_get(row, "status")), "queued") == 0) {
			crm_db_bind_i64(&b[0], id);
			if (crm_db_exec(r->db, STMT_JOB_SEND_START, b, 1, NULL, NULL) != CRM_OK)
				return CRM_EIO;
			crm_log(CRM_LOG_INFO, "send %lld: started", id);
		}
		if (s == NULL) {
			if (r->nslots == MAX_SENDS)
				continue;
			s = &r->slots[r->nslots++];
			memset(s, 0, sizeof(*s));
			s->id = id;
			s->campaign_id = json_integer_value(json_object_get(row, "campaign_id"));
			s->template_id = json_integer_value(json_object_get(row, "template_id"));
			s->a = crm_arena_new(8192);
			s->next_at = now();
			crm_db_bind_i64(&b[0], s->template_id);
			if (crm_db_row(r->db, STMT_JOB_TEMPLATE, b, 1, &tpl) == CRM_OK &&
			    marketing_mail_tmpl_compile(&s->t, json_string_value(json_object_get(tpl, "subject")),
			    json_string_value(json_object_get(tpl, "body_html")),
			    json_string_value(json_object_get(tpl, "body_text")), err, sizeof(err)) == CRM_OK)
				s->ok = 1;
			else
				crm_log(CRM_LOG_ERROR, "send %lld: template %lld does not compile: %s", id, s->template_id, err);
		}
		s->rate = (long)json_integer_value(json_object_get(row, "rate_per_minute"));
		if (s->rate < 1)
			s->rate = 1;
		s->seen = 1;
	}
	/* Paused, cancelled or done: forgotten (and compiled again if resumed). */
	for (k = 0; k < r->nslots;)
		if (!r->slots[k].seen) {
			slot_free(r->db, &r->slots[k]);
			r->slots[k] = r->slots[--r->nslots];
		} else
			k++;
	return CRM_OK;
}

/* Claims the send's next due message into m (m->have 0: none), in the
 * caller's transaction. */
static enum crm_err
claim(struct crm_db *db, long long send_id, long stale, struct msg *m)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	enum crm_err e;

	m->have = 0;
	crm_db_bind_i64(&b[0], send_id);
	crm_db_bind_i64(&b[1], stale);
	/* A message whose runner died first: it was due before the others. */
	if ((e = crm_db_row(db, STMT_JOB_CLAIM_STALE, b, 2, &row)) == CRM_ENOTFOUND)
		e = crm_db_row(db, STMT_JOB_CLAIM, b, 1, &row);
	if (e != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_OK : e;
	m->id = json_integer_value(json_object_get(row, "id"));
	m->contact_id = json_integer_value(json_object_get(row, "contact_id"));
	m->attempts = (long)json_integer_value(json_object_get(row, "attempts")) + 1;
	snprintf(m->to, sizeof(m->to), "%s", json_string_value(json_object_get(row, "to_addr")));
	snprintf(m->token, sizeof(m->token), "%s", json_string_value(json_object_get(row, "token")));
	json_decref(row);
	crm_db_bind_i64(&b[0], m->id);
	if ((e = crm_db_exec(db, STMT_JOB_START, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	m->have = 1;
	return CRM_OK;
}

struct claim {
	struct slot *s;
	long stale;
};

static enum crm_err
claim_tx(struct crm_db *db, void *arg)
{
	struct claim *cl = arg;

	return claim(db, cl->s->id, cl->stale, &cl->s->next);
}

struct outcome {
	struct slot *s;
	long long id, contact_id;
	long attempts;
	const char *error;              /* NULL: sent */
	int permanent;
	long stale;
	int prefetch;                   /* claim the send's next in the same commit */
};

static enum crm_err record_outcome(struct crm_db *, struct outcome *);

static enum crm_err
outcome_tx(struct crm_db *db, void *arg)
{
	struct outcome *o = arg;
	enum crm_err e;

	o->s->next.have = 0;            /* a rerun after a deadlock starts afresh */
	if ((e = record_outcome(db, o)) != CRM_OK || !o->prefetch)
		return e;
	return claim(db, o->s->id, o->stale, &o->s->next);
}

static enum crm_err
record_outcome(struct crm_db *db, struct outcome *o)
{
	struct crm_db_bind b[3];
	uint64_t n = 0;
	enum crm_err e;

	if (o->error == NULL) {
		crm_db_bind_i64(&b[0], o->id);
		if ((e = crm_db_exec(db, STMT_JOB_SENT, b, 1, &n, NULL)) != CRM_OK || n == 0)
			return e;       /* n 0: taken as stale by another runner meanwhile */
		crm_db_bind_i64(&b[0], o->s->id);
		if ((e = crm_db_exec(db, STMT_JOB_SEND_SENT, b, 1, NULL, NULL)) != CRM_OK)
			return e;
		crm_db_bind_i64(&b[0], o->s->campaign_id);
		crm_db_bind_i64(&b[1], o->contact_id);
		return crm_db_exec(db, STMT_JOB_MEMBER_SENT, b, 2, NULL, NULL);
	}
	if (o->permanent || o->attempts >= MAX_ATTEMPTS) {
		crm_db_bind_str(&b[0], o->error, (size_t)-1);
		crm_db_bind_i64(&b[1], o->id);
		if ((e = crm_db_exec(db, STMT_JOB_FAIL, b, 2, &n, NULL)) != CRM_OK || n == 0)
			return e;
		crm_db_bind_str(&b[0], o->error, (size_t)-1);
		crm_db_bind_i64(&b[1], o->s->id);
		return crm_db_exec(db, STMT_JOB_SEND_FAILED, b, 2, NULL, NULL);
	}
	crm_db_bind_str(&b[0], o->error, (size_t)-1);
	crm_db_bind_i64(&b[1], MAX_BACKOFF_MINUTES);
	crm_db_bind_i64(&b[2], o->id);
	if ((e = crm_db_exec(db, STMT_JOB_RETRY, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], o->error, (size_t)-1);
	crm_db_bind_i64(&b[1], o->s->id);
	return crm_db_exec(db, STMT_JOB_SEND_ERROR, b, 2, NULL, NULL);
}

struct linker {
	struct runner *r;
	struct slot *s;
	struct crm_arena *a;
	const char *msg_token;
	int failed;
};

struct link_get {
	struct crm_ctx *c;
	long long campaign_id;
	const char *url;
	char *token;
};

static enum crm_err
link_tx(struct crm_db *db, void *arg)
{
	struct link_get *g = arg;

	return marketing_link_get(g->c, db, g->campaign_id, g->url, "", g->token);
}

/* <public_url>/r/<link>?m=<message>: the links helper's redirect, which
 * knows the campaign from the link and the contact from the message. Our
 * own addresses (/u/, /r/) are left as they are. */
static const char *
track(void *arg, const char *url)
{
	struct linker *l = arg;
	struct crm_ctx ctx;
	struct link_get g;
	char token[MARKETING_LINK_TOKEN_LEN + 1];
	size_t i, n = strlen(l->r->public_url);

	if (n > 0 && strncmp(url, l->r->public_url, n) == 0 && (strncmp(url + n, "/u/", 3) == 0 ||
	    strncmp(url + n, "/r/", 3) == 0))
		return NULL;
	if (strlen(url) > 2000)
		return NULL;
	for (i = 0; i < l->s->nlinks; i++)
		if (strcmp(l->s->links[i].url, url) == 0)
			return crm_arena_printf(l->a, "%s/r/%s?m=%s", l->r->public_url, l->s->links[i].token, l->msg_token);
	/* The link's creation is audited as the runner's (no user). */
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = l->r->db;
	ctx.arena = l->a;
	g.c = &ctx;
	g.campaign_id = l->s->campaign_id;
	g.url = url;
	g.token = token;
	if (crm_db_tx(l->r->db, link_tx, &g) != CRM_OK) {
		l->failed = 1;
		return NULL;
	}
	if (l->s->nlinks < LINK_CACHE) {
		l->s->links[l->s->nlinks].url = crm_arena_strdup(l->s->a, url);
		memcpy(l->s->links[l->s->nlinks].token, token, sizeof(token));
		l->s->nlinks++;
	}
	return crm_arena_printf(l->a, "%s/r/%s?m=%s", l->r->public_url, token, l->msg_token);
}

/* The pixel goes just before </body>, or at the end without one. */
static const char *
with_pixel(struct crm_arena *a, const char *html, const char *pixel)
{
	const char *p, *body = NULL;

	for (p = html; (p = strchr(p, '<')) != NULL; p++)
		if (strncasecmp(p, "</body", 6) == 0)
			body = p;
	if (body == NULL)
		return crm_arena_printf(a, "%s%s", html, pixel);
	return crm_arena_printf(a, "%.*s%s%s", (int)(body - html), html, pixel, body);
}

/* The message of row, built for its contact, into msg; NULL, or why it
 * cannot be built (then no attempt will do better). */
static const char *
build(struct runner *r, struct slot *s, const struct msg *row, struct crm_arena *a, struct crm_buf *msg)
{
	struct marketing_mail_parts p;
	struct crm_mail_header h[2];
	struct crm_db_bind b[1];
	struct crm_mail m;
	struct linker l = { r, s, a, row->token, 0 };
	json_t *contact = NULL;
	const char *unsub = crm_arena_printf(a, "%s/u/%s", r->public_url, l.msg_token);
	enum crm_err e;

	if (!s->ok)
		return "the template does not compile";
	crm_db_bind_i64(&b[0], row->contact_id);
	if ((e = crm_db_row(r->db, STMT_MERGE_CONTACT, b, 1, &contact)) != CRM_OK)
		return e == CRM_ENOTFOUND ? "the contact is gone" : "";
	if (marketing_mail_render(&s->t, marketing_merge_view(r->db, a, contact, unsub), a, &p) != CRM_OK)
		return "the template does not render";
	p.html = marketing_rewrite_links(a, p.html, 1, NULL, track, &l);
	p.text = marketing_rewrite_links(a, p.text, 0, NULL, track, &l);
	if (l.failed)
		return "";              /* the database: try again later */
	/* The unsubscribe link is in every message, whatever the template says. */
	if (strstr(p.text, unsub) == NULL)
		p.text = crm_arena_printf(a, "%s\n\n-- \nUnsubscribe: %s\n", p.text, unsub);
	if (strstr(p.html, unsub) == NULL)
		p.html = with_pixel(a, p.html, crm_arena_printf(a, "<p><a href=\"%s\">Unsubscribe</a></p>", unsub));
	p.html = with_pixel(a, p.html, crm_arena_printf(a, "<img src=\"%s/r/o/%s\" width=\"1\" height=\"1\" alt=\"\">",
	    r->public_url, l.msg_token));
	/* RFC 8058: the https address, posted to with
	 * List-Unsubscribe=One-Click, unsubscribes at once. */
	h[0].name = "List-Unsubscribe";
	h[0].value = crm_arena_printf(a, "<%s>", unsub);
	h[1].name = "List-Unsubscribe-Post";
	h[1].value = "List-Unsubscribe=One-Click";
	memset(&m, 0, sizeof(m));
	m.from = r->from;
	m.to = row->to;
	m.subject = p.subject;
	m.body = p.text;
	m.html = p.html;
	m.date = time(NULL);
	m.message_id = crm_arena_printf(a, "crm.mkt.%lld.%lld", s->id, row->id);
	m.headers = h;
	m.nheaders = 2;
	if (crm_mail_build(msg, &m) != CRM_OK)
		return "the sender, the recipient or a header is not valid";
	return NULL;
}

static void
record(struct runner *r, struct outcome *o)
{
	if (crm_db_tx(r->db, outcome_tx, o) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "message %lld: %s, but cannot record it: %s", o->id,
		    o->error ? o->error : "sent", crm_db_error(r->db));
		o->s->next.have = 0;
	}
}

/* One campaign message: claimed (or claimed already), built, sent,
 * recorded. 1 when one was taken, 0 when none is due, -1 when the
 * database failed. */
static int
one_message(struct runner *r, struct slot *s)
{
	struct crm_arena *a = crm_arena_new(16384);
	struct claim cl = { s, r->stale };
	struct outcome o;
	struct crm_db_bind b[1];
	struct crm_buf msg;
	struct msg m;
	json_t *pending = NULL;
	const char *why;
	char err[300] = "";
	int rc = 1;

	crm_arena_json_use(a);
	if (!s->next.have && crm_db_tx(r->db, claim_tx, &cl) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "send %lld: claiming: %s", s->id, crm_db_error(r->db));
		s->next.have = 0;
		rc = -1;
		goto out;
	}
	if (!s->next.have) {
		/* Nothing due: done when nothing is waiting for a retry either. */
		crm_db_bind_i64(&b[0], s->id);
		if (crm_db_rows(r->db, STMT_JOB_PENDING, b, 1, &pending) == CRM_OK && json_array_size(pending) == 0 &&
		    crm_db_exec(r->db, STMT_JOB_SEND_DONE, b, 1, NULL, NULL) == CRM_OK)
			crm_log(CRM_LOG_INFO, "send %lld: done", s->id);
		rc = 0;
		goto out;
	}
	m = s->next;
	s->next.have = 0;
	memset(&o, 0, sizeof(o));
	o.s = s;
	o.id = m.id;
	o.contact_id = m.contact_id;
	o.attempts = m.attempts;
	o.stale = r->stale;
	/* The next is claimed with this one's outcome only when it will go
	 * long before its heartbeat could look stale to another runner. */
	o.prefetch = 60.0 / s->rate < r->stale / 4.0 && !crm_runner_stopping;
	crm_buf_init(&msg, a, 8192);
	if ((why = build(r, s, &m, a, &msg)) != NULL) {
		o.error = *why ? why : "the database failed while building the message";
		o.permanent = *why != '\0';
	} else if (crm_mail_session_send(r->smtp, r->relay, r->from, m.to, msg.data, msg.len, SEND_TIMEOUT, err,
	    sizeof(err)) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "message %lld: %s: %s", o.id, r->relay, err);
		o.error = err;
	}
	/* The relay has it: recorded now, before anything else goes out. */
	record(r, &o);
out:
	crm_arena_json_use(NULL);
	crm_arena_free(a);
	return rc;
}

struct test_claim {
	long stale;
	json_t *row;
};

static enum crm_err
test_claim_tx(struct crm_db *db, void *arg)
{
	struct test_claim *cl = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], cl->stale);
	if ((e = crm_db_row(db, STMT_JOB_TEST_CLAIM, b, 1, &cl->row)) != CRM_OK) {
		cl->row = NULL;
		return e == CRM_ENOTFOUND ? CRM_OK : e;
	}
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(cl->row, "id")));
	return crm_db_exec(db, STMT_JOB_TEST_START, b, 1, NULL, NULL);
}

/* A template's test message, rendered when it was asked for. */
static int
one_test(struct runner *r)
{
	struct crm_arena *a = crm_arena_new(16384);
	struct test_claim cl = { r->stale, NULL };
	struct crm_db_bind b[4];
	struct crm_buf msg;
	struct crm_mail m;
	long long id;
	char err[300] = "";
	int rc = 1;

	crm_arena_json_use(a);
	if (crm_db_tx(r->db, test_claim_tx, &cl) != CRM_OK) {
		rc = -1;
		goto out;
	}
	if (cl.row == NULL) {
		rc = 0;
		goto out;
	}
	id = json_integer_value(json_object_get(cl.row, "id"));
	memset(&m, 0, sizeof(m));
	m.from = r->from;
	m.to = json_string_value(json_object_get(cl.row, "to_addr"));
	m.subject = json_string_value(json_object_get(cl.row, "subject"));
	m.body = json_string_value(json_object_get(cl.row, "body_text"));
	m.html = json_string_value(json_object_get(cl.row, "body_html"));
	m.date = time(NULL);
	m.message_id = crm_arena_printf(a, "crm.mkt.test.%lld", id);
	crm_buf_init(&msg, a, 8192);
	if (crm_mail_build(&msg, &m) != CRM_OK)
		snprintf(err, sizeof(err), "the sender (%s) or the recipient is not a valid address", r->from);
	else if (crm_mail_session_send(r->smtp, r->relay, r->from, m.to, msg.data, msg.len, SEND_TIMEOUT, err,
	    sizeof(err)) == CRM_OK) {
		crm_db_bind_i64(&b[0], id);
		if (crm_db_exec(r->db, STMT_JOB_TEST_SENT, b, 1, NULL, NULL) != CRM_OK)
			crm_log(CRM_LOG_ERROR, "test send %lld: sent, but cannot record it: %s", id, crm_db_error(r->db));
		goto out;
	}
	crm_db_bind_i64(&b[0], MAX_ATTEMPTS);
	crm_db_bind_i64(&b[1], MAX_BACKOFF_MINUTES);
	crm_db_bind_str(&b[2], err, (size_t)-1);
	crm_db_bind_i64(&b[3], id);
	if (crm_db_exec(r->db, STMT_JOB_TEST_FAILED, b, 4, NULL, NULL) != CRM_OK)
		crm_log(CRM_LOG_ERROR, "test send %lld: cannot record the failure: %s", id, crm_db_error(r->db));
out:
	crm_arena_json_use(NULL);
	crm_arena_free(a);
	return rc;
}

/* One pass: a test message, then the next message of the send whose
 * turn comes first. 1 when something was sent or tried, 0 when nothing is
 * due, 2 when a send waits for its pace (*wait: seconds until it may go),
 * -1 on a database error. */
static int
step(struct runner *r, double *wait)
{
	struct crm_arena *a = crm_arena_new(4096);
	struct slot *best = NULL;
	double t = now();
	size_t k;
	int rc = 0, any;

	*wait = 1;
	settings(r);
	if (!crm_mail_relay_ok(r->relay) || !crm_valid_email(r->from)) {
		if (!r->warned)
			crm_log(CRM_LOG_INFO, "no usable smtp_relay (\"%s\") or marketing_from (\"%s\"): mail stays queued",
			    r->relay, r->from);
		r->warned = 1;
		goto out;
	}
	r->warned = 0;
	/* Test sends: looked for once a second, not between every two
	 * messages of a mass send. */
	if (t - r->tests_at >= 1) {
		if ((rc = one_test(r)) != 0)
			goto out;
		r->tests_at = t;
	}
	crm_arena_json_use(a);
	any = sync_slots(r) == CRM_OK;
	crm_arena_json_use(NULL);
	if (!any) {
		rc = -1;
		goto out;
	}
	for (k = 0; k < r->nslots; k++)
		if (best == NULL || r->slots[k].next_at < best->next_at)
			best = &r->slots[k];
	if (best == NULL)
		goto out;
	if (best->next_at > t) {
		*wait = best->next_at - t;
		rc = 2;
		goto out;
	}
	if ((rc = one_message(r, best)) == 1) {
		/* Paced from its last turn, not from now: an even rate. A send
		 * that fell behind (after a pause) does not burst. */
		best->next_at += 60.0 / best->rate;
		if (best->next_at < t - 1)
			best->next_at = t;
	} else if (rc == 0) {
		/* Nothing due in it now (retries wait): look again in a second. */
		best->next_at = t + 1;
		for (k = 0, *wait = 1; k < r->nslots; k++)
			if (r->slots[k].next_at - t < *wait)
				*wait = r->slots[k].next_at - t;
		rc = 0;
	}
out:
	crm_arena_free(a);
	return rc;
}

/* A message, else (at most once a second; every pass with --once) a
 * campaign's attribution, when one needs working out. */
static enum crm_runner_pass
pass(struct crm_runner *cr)
{
	struct runner *r = cr->arg;
	double wait;
	int rc, attr;

	if ((rc = step(r, &wait)) == 1) {
		r->quiet = 0;
		return CRM_RUNNER_BUSY;
	}
	if (cr->once || now() - r->attribution_at >= 1) {
		r->attribution_at = now();
		if ((attr = marketing_attribution_step(r->db)) == 1 && cr->once)
			return CRM_RUNNER_BUSY;
		if (attr < 0)
			rc = -1;
	}
	if (rc < 0) {
		crm_runner_fail(cr, "sends: %s", crm_db_error(r->db));
		return CRM_RUNNER_FAILED;
	}
	/* --once: done when no send has anything due (each is looked at once
	 * more, as each pass looks at one). */
	if (cr->once && rc == 0)
		return ++r->quiet > (int)r->nslots + 1 ? CRM_RUNNER_IDLE : CRM_RUNNER_BUSY;
	/* Nothing due now, or a send waits for its pace. */
	cr->wait = wait;
	return CRM_RUNNER_PACED;
}

int
marketing_jobs(struct crm_db *db, int argc, char **argv)
{
	struct runner r;
	const struct crm_runner_opt opts[] = {
		{ "stale", &r.stale, 1 },
		{ NULL, NULL, 0 },
	};
	struct crm_runner cr;
	size_t k;
	int rc;

	memset(&r, 0, sizeof(r));
	r.db = db;
	r.stale = STALE;
	memset(&cr, 0, sizeof(cr));
	cr.name = "marketing runner";
	cr.pass = pass;
	cr.arg = &r;
	cr.opts = opts;
	if ((rc = crm_runner_options(&cr, argc, argv)) != 0)
		return rc;
	r.smtp = crm_mail_session_new();
	r.settings_arena = crm_arena_new(1024);
	rc = crm_runner_run(&cr);
	for (k = 0; k < r.nslots; k++)
		slot_free(db, &r.slots[k]);
	crm_mail_session_free(r.smtp);
	crm_arena_free(r.settings_arena);
	return rc;
}
