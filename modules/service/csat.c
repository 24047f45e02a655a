/* The satisfaction survey: a resolved ticket gets a survey link (a secret
 * of its own, /service/s/<token>) that lasts csat_days from when it was
 * sent; the customer gives a score of 1 to 5 and a comment, once. The
 * answer keeps the ticket's agent, team and category as they are then, so
 * later reassignment does not move old scores. */
#include <stdlib.h>
#include <string.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_valid.h"
#include "extern.h"

enum crm_err
service_csat_issue(struct crm_ctx *c, struct crm_db *db, long long ticket_id)
{
	char token[CRM_AUTH_SECRET_LEN + 1];
	struct crm_db_bind b[3];
	uint64_t changed = 0;
	enum crm_err e;

	crm_auth_new_secret(token);
	crm_db_bind_str(&b[0], token, (size_t)-1);
	crm_db_bind_i64(&b[1], ticket_id);
	crm_db_bind_i64(&b[2], ticket_id);
	if ((e = crm_db_exec(db, STMT_CSAT_ISSUE, b, 3, &changed, NULL)) != CRM_OK)
		return e;
	if (changed == 0)
		return CRM_ENOTFOUND;
	return crm_ctx_audit(c, "survey_sent", "ticket", ticket_id, NULL, json_pack("{s:b}", "survey", 1));
}

struct send {
	struct crm_ctx *c;
	long long id;
};

static enum crm_err
send_tx(struct crm_db *db, void *arg)
{
	struct send *s = arg;

	return service_csat_issue(s->c, db, s->id);
}

/* Staff: send the survey again (a new link, a new csat_days). */
int
service_survey_send(struct crm_ctx *c)
{
	struct send s;
	int status;
	enum crm_err e;

	s.c = c;
	s.id = crm_ctx_id(c, "id");
	if (service_load(c, STMT_PUB_TICKET_GET, s.id, 1, &status) == NULL)
		return status;
	if ((e = crm_db_tx(c->db, send_tx, &s)) == CRM_ENOTFOUND)
		return crm_ctx_fail(c, 409, N_("Only a resolved ticket without an answer gets the survey."));
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/tickets/%lld/slip?done=survey_sent",
	    s.id));
}

/* The ticket of the survey link in the address, or NULL: a 404. */
static json_t *
load(struct crm_ctx *c)
{
	const char *token = crm_ctx_path_param(c, "token");
	const char *days = crm_setting(c->db, c->arena, "csat_days", "7");
	struct crm_db_bind b[2];
	json_t *row = NULL;
	long long n = atoll(days);

	if (!crm_auth_token_ok(token, CRM_AUTH_SECRET_LEN))
		return NULL;
	crm_db_bind_i64(&b[0], n > 0 ? n : 7);
	crm_db_bind_str(&b[1], token, (size_t)-1);
	if (crm_db_row(c->db, STMT_CSAT_BY_TOKEN, b, 2, &row) != CRM_OK)
		return NULL;
	return row;
}

static int
is_set(json_t *t, const char *name)
{
	json_t *v = json_object_get(t, name);

	return json_is_true(v) || json_integer_value(v) != 0;
}

static int
page(struct crm_ctx *c, json_t *t)
{
	const char *typed = crm_ctx_form_str(c, "score");
	json_t *scores = json_array();
	int i;

	for (i = 1; i <= 5; i++)
		json_array_append_new(scores, json_pack("{s:i,s:b}", "score", i, "checked", typed[0] == '0' + i &&
		    typed[1] == '\0'));
	json_object_set_new(c->view, "survey", json_pack("{s:O,s:s,s:o,s:s,s:b,s:b}", "subject",
	    json_object_get(t, "subject"), "path", crm_arena_printf(c->arena, "/service/s/%s",
	    crm_ctx_path_param(c, "token")), "scores", scores, "comment", crm_ctx_form_str(c, "comment"),
	    "answered", is_set(t, "answered"), "expired", is_set(t, "expired")));
	c->template = "service/public_survey";
	return 200;
}

/* Refused: the page again, saying why, with the status. */
static int
refused(struct crm_ctx *c, json_t *t, int status)
{
	int st = page(c, t);

	return st == 200 ? crm_ctx_status(c, status) : st;
}

int
service_survey(struct crm_ctx *c)
{
	json_t *t = load(c);

	if (t == NULL)
		return 404;
	if (is_set(t, "answered"))
		return refused(c, t, 409);
	if (is_set(t, "expired"))
		return refused(c, t, 410);
	return page(c, t);
}

struct answer {
	struct crm_ctx *c;
	long long id, score;
	const char *comment;
};

static enum crm_err
answer_tx(struct crm_db *db, void *arg)
{
	struct answer *a = arg;
	struct crm_db_bind b[3];
	enum crm_err e;

	crm_db_bind_i64(&b[0], a->score);
	if (*a->comment)
		crm_db_bind_str(&b[1], a->comment, (size_t)-1);
	else
		crm_db_bind_null(&b[1]);
	crm_db_bind_i64(&b[2], a->id);
	if ((e = crm_db_exec(db, STMT_CSAT_ANSWER, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(a->c, "survey_answer", "ticket", a->id, NULL,
	    json_pack("{s:I}", "score", (json_int_t)a->score));
}

int
service_survey_answer(struct crm_ctx *c)
{
	struct answer a;
	json_t *t = load(c);
	const char *score;
	enum crm_err e;

	if (t == NULL)
		return 404;
	if (is_set(t, "answered"))
		return refused(c, t, 409);
	if (is_set(t, "expired"))
		return refused(c, t, 410);
	memset(&a, 0, sizeof(a));
	a.c = c;
	a.id = json_integer_value(json_object_get(t, "id"));
	score = crm_ctx_form_str(c, "score");
	a.comment = crm_ctx_form_str(c, "comment");
	if (!crm_valid_id(score, &a.score) || a.score < 1 || a.score > 5)
		crm_ctx_field_error(c, "score", N_("Choose a score from 1 to 5."));
	if (!crm_valid_text(a.comment, 0, 2000, 1))
		crm_ctx_field_error(c, "comment", N_("A comment has up to 2000 characters."));
	if (crm_ctx_has_errors(c))
		return refused(c, t, 422);
	/* Two answers at once: the primary key lets one in. */
	if ((e = crm_db_tx(c->db, answer_tx, &a)) == CRM_ECONFLICT) {
		json_object_set_new(t, "answered", json_true());
		return refused(c, t, 409);
	}
	if (e != CRM_OK)
		return 500;
	json_object_set_new(c->view, "survey", json_pack("{s:O,s:b}", "subject", json_object_get(t, "subject"),
	    "thanked", 1));
	c->template = "service/public_survey";
	return 200;
}
