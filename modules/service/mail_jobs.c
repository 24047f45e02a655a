/* crm-service jobs: the mail queue's runner, which between messages also
 * does an SLA recalculation's batches (sla_recalc.c) and, once a minute,
 * flags tickets past their SLA due times. It claims one due message at
 * a time (runners sharing a database skip each other's locked rows),
 * marks it sending with a heartbeat and hands it to the relay outside any
 * transaction. A failure puts it back with a backoff; a runner killed
 * mid-send leaves a stale heartbeat, and the message is taken again. The
 * Message-ID comes from the row, so a message sent twice after such a
 * crash is still one message to the reader's mail program. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crm_log.h"
#include "crm_runner.h"
#include "crm_mail.h"
#include "extern.h"

enum {
	MAX_ATTEMPTS = 10,
	MAX_BACKOFF_MINUTES = 60,
	SEND_TIMEOUT = 30,              /* seconds; well inside STALE */
	STALE = 120,                    /* seconds without a heartbeat: the runner died */
};

static enum crm_err
claim_tx(struct crm_db *db, void *arg)
{
	json_t **row = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], STALE);
	if ((e = crm_db_row(db, STMT_MAIL_CLAIM, b, 1, row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_OK : e;
	crm_db_bind_i64(&b[0], json_integer_value(json_object_get(*row, "id")));
	return crm_db_exec(db, STMT_MAIL_START, b, 1, NULL, NULL);
}

static void
failed(struct crm_db *db, long long id, const char *error)
{
	struct crm_db_bind b[4];

	crm_db_bind_i64(&b[0], MAX_ATTEMPTS);
	crm_db_bind_i64(&b[1], MAX_BACKOFF_MINUTES);
	crm_db_bind_str(&b[2], error, (size_t)-1);
	crm_db_bind_i64(&b[3], id);
	if (crm_db_exec(db, STMT_MAIL_FAILED, b, 4, NULL, NULL) != CRM_OK)
		crm_log(CRM_LOG_ERROR, "mail %lld: cannot record the failure: %s", id, crm_db_error(db));
}

static void
deliver(struct crm_db *db, json_t *row, const char *relay, const char *from)
{
	struct crm_arena *a = crm_arena_new(8192);
	struct crm_db_bind b[1];
	struct crm_buf msg;
	struct crm_mail m;
	long long id = json_integer_value(json_object_get(row, "id"));
	char err[300] = "";

	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = json_string_value(json_object_get(row, "to_addr"));
	m.subject = json_string_value(json_object_get(row, "subject"));
	m.body = json_string_value(json_object_get(row, "body"));
	m.date = time(NULL);
	m.message_id = crm_arena_printf(a, "crm.mail.%lld.%lld", id,
	    (long long)json_integer_value(json_object_get(row, "created")));
	crm_buf_init(&msg, a, 4096);
	if (crm_mail_build(&msg, &m) != CRM_OK) {
		snprintf(err, sizeof(err), "the sender (%s) or the recipient is not a valid address", from);
		failed(db, id, err);
	} else if (crm_mail_send(relay, from, m.to, msg.data, msg.len, SEND_TIMEOUT, err, sizeof(err)) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "mail %lld: %s: %s", id, relay, err);
		failed(db, id, err);
	} else {
		crm_db_bind_i64(&b[0], id);
		if (crm_db_exec(db, STMT_MAIL_SENT, b, 1, NULL, NULL) != CRM_OK)
			crm_log(CRM_LOG_ERROR, "mail %lld: sent, but cannot record it: %s", id, crm_db_error(db));
		else
			crm_log(CRM_LOG_INFO, "mail %lld: sent to %s", id, m.to);
	}
	crm_arena_free(a);
}

/* One pass: 1 when a message was taken (sent or not), 0 when none is
 * due or there is no relay to send to, -1 when the database failed. */
static int
step(struct crm_runner *r, struct crm_db *db, int *warned)
{
	struct crm_arena *a = crm_arena_new(1024);
	const char *relay = crm_setting(db, a, "smtp_relay", ""), *from = crm_setting(db, a, "mail_from", "");
	json_t *row = NULL;
	int rc = 0;

	if (!crm_mail_relay_ok(relay)) {
		/* Mail waits in the queue; the admin page says why. */
		if (!*warned)
			crm_log(CRM_LOG_INFO, "no usable smtp_relay setting (\"%s\"): mail stays queued", relay);
		*warned = 1;
	} else if (crm_db_tx(db, claim_tx, &row) != CRM_OK) {
		crm_runner_fail(r, "claiming mail: %s", crm_db_error(db));
		rc = -1;
	} else if (row != NULL) {
		*warned = 0;
		deliver(db, row, relay, from);
		rc = 1;
	}
	json_decref(row);
	crm_arena_free(a);
	return rc;
}

struct jobs {
	struct crm_db *db;
	int warned;             /* "no relay" said once */
	time_t last_sweep;
};

/* A message, else an SLA recalculation's batch, else (once a minute, or
 * at the end of --once) the breach sweep. */
static enum crm_runner_pass
pass(struct crm_runner *r)
{
	struct jobs *j = r->arg;
	int rc, recalc;

	if ((rc = step(r, j->db, &j->warned)) == 1)
		return CRM_RUNNER_BUSY;
	/* Between messages: an SLA recalculation's batches, one at a time,
	 * so mail never waits behind a whole run. */
	if ((recalc = service_sla_recalc_step(j->db)) == 1)
		return CRM_RUNNER_BUSY;
	/* Between messages, once a minute: tickets past their due times are
	 * flagged as breached (two UPDATEs over tickets_due). */
	if (r->once || time(NULL) - j->last_sweep >= 60) {
		if (service_sla_breaches(j->db) != CRM_OK)
			crm_log(CRM_LOG_ERROR, "marking SLA breaches: %s", crm_db_error(j->db));
		j->last_sweep = time(NULL);
	}
	if (rc < 0 || recalc < 0) {
		if (recalc < 0 && r->error[0] == '\0')
			crm_runner_fail(r, "SLA recalculation failed");
		return CRM_RUNNER_FAILED;
	}
	return CRM_RUNNER_IDLE;
}

/* --once: every message due now, then exit (tests, cron). */
static int
jobs(struct crm_db *db, int argc, char **argv)
{
	struct jobs j;
	struct crm_runner r;

	memset(&j, 0, sizeof(j));
	j.db = db;
	memset(&r, 0, sizeof(r));
	r.name = "mail runner";
	r.pass = pass;
	r.arg = &j;
	return crm_runner_main(&r, argc, argv);
}

int
service_command(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	(void)conf;
	if (strcmp(argv[0], "jobs") == 0)
		return jobs(db, argc, argv);
	fprintf(stderr, "crm-service: unknown command %s\nusage: crm-service [--config FILE] %s\n",
	    argv[0], SERVICE_COMMAND_USAGE);
	return 2;
}
