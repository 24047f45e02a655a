/* Two-factor sign-in with TOTP (RFC 6238): enrolment by QR code, one-time
 * recovery codes, and the second step of signing in. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_password.h"
#include "crm_qr.h"
#include "crm_totp.h"
#include "crm_valid.h"
#include "extern.h"

#define RECOVERY_CODES 10
#define ISSUER "CRM"

static json_t *
load_totp(struct crm_ctx *c, enum crm_err *e)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;

	crm_db_bind_i64(&b[0], c->user->user_id);
	*e = crm_db_row(c->db, STMT_TOTP_GET, b, 1, &row);
	return row;
}

/* Recovery codes are random (60 bits), so a fast keyed hash is enough;
 * the user id as key makes equal codes of two users hash apart. */
static void
recovery_hash(long long user_id, const char *normalised, unsigned char out[32])
{
	unsigned char key[crypto_generichash_KEYBYTES];

	memset(key, 0, sizeof(key));
	memcpy(key, &user_id, sizeof(user_id));
	crypto_generichash(out, 32, (const unsigned char *)normalised, strlen(normalised),
	    key, sizeof(key));
}

/* The enrolment view: the secret as a QR code (an SVG in a data: URI, which
 * the CSP allows as an image) and as text to type in by hand. */
static int
enrol_view(struct crm_ctx *c, const char *email, const char *secret)
{
	struct crm_totp t;
	struct crm_buf uri, qr;

	if (crm_totp_init(&t, secret, CRM_TOTP_SHA1, 6) != CRM_OK)
		return 500;
	crm_buf_init(&uri, c->arena, 256);
	crm_buf_init(&qr, c->arena, 8192);
	if (crm_totp_uri(&uri, &t, ISSUER, email) != CRM_OK ||
	    crm_qr_data_uri(&qr, uri.data, "Two-factor enrolment QR code") != CRM_OK) {
		sodium_memzero(&t, sizeof(t));
		return 500;
	}
	sodium_memzero(&t, sizeof(t));
	json_object_set_new(c->view, "qr", json_string(qr.data));
	json_object_set_new(c->view, "secret", json_string(secret));
	return 200;
}

int
admin_2fa_show(struct crm_ctx *c)
{
	char secret[CRM_TOTP_SECRET_SIZE];
	struct crm_db_bind b[2];
	enum crm_err e;
	json_t *row = load_totp(c, &e);
	const char *pending;

	if (e != CRM_OK)
		return 500;
	json_object_set_new(c->view, "title", json_string("Two-factor sign-in"));
	json_object_set_new(c->view, "required", json_boolean(c->user->require_2fa));
	if (json_is_true(json_object_get(row, "totp_enabled"))) {
		json_object_set_new(c->view, "enabled", json_true());
		admin_done_message(c);
		return 200;
	}
	/* One pending secret until it is confirmed, so reloading the page
	 * does not invalidate a code the phone already shows. */
	pending = json_string_value(json_object_get(row, "totp_secret"));
	if (pending == NULL) {
		crm_totp_secret_new(secret);
		crm_db_bind_str(&b[0], secret, (size_t)-1);
		crm_db_bind_i64(&b[1], c->user->user_id);
		if (crm_db_exec(c->db, STMT_TOTP_SET_PENDING, b, 2, NULL, NULL) != CRM_OK)
			return 500;
		pending = crm_arena_strdup(c->arena, secret);
		sodium_memzero(secret, sizeof(secret));
	}
	return enrol_view(c, json_string_value(json_object_get(row, "email")), pending);
}

struct enable {
	struct crm_ctx *c;
	uint64_t step;
	char codes[RECOVERY_CODES][CRM_TOTP_RECOVERY_SIZE];
};

static enum crm_err
enable_tx(struct crm_db *db, void *arg)
{
	struct enable *en = arg;
	long long id = en->c->user->user_id;
	struct crm_db_bind b[2];
	uint64_t n = 0;
	enum crm_err e;
	size_t i;

	crm_db_bind_i64(&b[0], (long long)en->step);
	crm_db_bind_i64(&b[1], id);
	if ((e = crm_db_exec(db, STMT_TOTP_ENABLE, b, 2, &n, NULL)) != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ECONFLICT;   /* enabled meanwhile, in another tab */
	crm_db_bind_i64(&b[0], id);
	if ((e = crm_db_exec(db, STMT_RECOVERY_CLEAR, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	crm_totp_recovery_new(en->codes, RECOVERY_CODES);
	for (i = 0; i < RECOVERY_CODES; i++) {
		char norm[CRM_TOTP_RECOVERY_NORM_SIZE];
		unsigned char hash[32];

		if (crm_totp_recovery_normalise(norm, en->codes[i]) != CRM_OK)
			return CRM_EINVAL;
		recovery_hash(id, norm, hash);
		crm_db_bind_i64(&b[0], id);
		crm_db_bind_blob(&b[1], hash, sizeof(hash));
		if ((e = crm_db_exec(db, STMT_RECOVERY_ADD, b, 2, NULL, NULL)) != CRM_OK)
			return e;
	}
	return crm_ctx_audit(en->c, "2fa.enable", "user", id, NULL, NULL);
}

/* Strips the space authenticator apps show in the middle of a code. */
static const char *
code_of(struct crm_ctx *c, const char *field)
{
	const char *in = crm_ctx_form(c, field);
	char *out;
	size_t i, n = 0;

	if (in == NULL)
		return NULL;
	out = crm_arena_alloc(c->arena, strlen(in) + 1);
	for (i = 0; in[i]; i++)
		if (in[i] != ' ' && in[i] != '-')
			out[n++] = in[i];
	out[n] = '\0';
	return out;
}

int
admin_2fa_enable(struct crm_ctx *c)
{
	struct enable en;
	struct crm_totp t;
	enum crm_err e;
	json_t *row = load_totp(c, &e), *codes;
	const char *secret;
	size_t i;

	if (e != CRM_OK)
		return 500;
	if (json_is_true(json_object_get(row, "totp_enabled")))
		return crm_ctx_redirect(c, 303, "/account/2fa");
	secret = json_string_value(json_object_get(row, "totp_secret"));
	if (secret == NULL)
		return crm_ctx_redirect(c, 303, "/account/2fa");
	memset(&en, 0, sizeof(en));
	en.c = c;
	if (crm_totp_init(&t, secret, CRM_TOTP_SHA1, 6) != CRM_OK)
		return 500;
	e = crm_totp_verify(&t, code_of(c, "code"), time(NULL), &en.step);
	sodium_memzero(&t, sizeof(t));
	json_object_set_new(c->view, "title", json_string("Two-factor sign-in"));
	if (e != CRM_OK) {
		crm_ctx_field_error(c, "code", N_("That code does not match. Check the time on your phone and try the next code."));
		if (enrol_view(c, json_string_value(json_object_get(row, "email")), secret) != 200)
			return 500;
		return crm_ctx_status(c, 422);
	}
	e = crm_db_tx(c->db, enable_tx, &en);
	if (e == CRM_ECONFLICT)
		return crm_ctx_redirect(c, 303, "/account/2fa");
	if (e != CRM_OK)
		return 500;
	codes = json_array();
	for (i = 0; i < RECOVERY_CODES; i++)
		json_array_append_new(codes, json_string(en.codes[i]));
	sodium_memzero(en.codes, sizeof(en.codes));
	json_object_set_new(c->view, "enabled", json_true());
	json_object_set_new(c->view, "recovery_codes", codes);
	return 200;
}

static enum crm_err
disable_tx(struct crm_db *db, void *arg)
{
	struct crm_ctx *c = arg;
	struct crm_db_bind b[1];
	enum crm_err e;

	crm_db_bind_i64(&b[0], c->user->user_id);
	if ((e = crm_db_exec(db, STMT_TOTP_DISABLE, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = crm_db_exec(db, STMT_RECOVERY_CLEAR, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(c, "2fa.disable", "user", c->user->user_id, NULL, NULL);
}

int
admin_2fa_disable(struct crm_ctx *c)
{
	enum crm_err e;
	json_t *row = load_totp(c, &e);

	if (e != CRM_OK)
		return 500;
	json_object_set_new(c->view, "title", json_string("Two-factor sign-in"));
	/* Turning protection off asks for the password: a session left open
	 * on a shared screen must not be enough. */
	if (!crm_password_verify(json_string_value(json_object_get(row, "password_hash")),
	    crm_ctx_form(c, "password") ? crm_ctx_form(c, "password") : "")) {
		json_object_set_new(c->view, "enabled", json_true());
		crm_ctx_field_error(c, "password", N_("That is not your password."));
		return crm_ctx_status(c, 422);
	}
	if (c->user->require_2fa) {
		json_object_set_new(c->view, "enabled", json_true());
		crm_ctx_field_error(c, "password", N_("Your role requires two-factor sign-in."));
		return crm_ctx_status(c, 422);
	}
	if (crm_db_tx(c->db, disable_tx, c) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/account?done=2fa_off");
}

int
admin_login_2fa_form(struct crm_ctx *c)
{
	json_object_set_new(c->view, "title", json_string("Two-factor sign-in"));
	json_object_set_new(c->view, "next", json_string(admin_safe_next(crm_ctx_query(c, "next"))));
	return 200;
}

struct second {
	struct crm_ctx *c;
	uint64_t step;
	int recovery;
	unsigned char hash[32];
	struct throttle t;
};

static enum crm_err
second_ok_tx(struct crm_db *db, void *arg)
{
	struct second *s = arg;
	long long id = s->c->user->user_id;
	struct crm_db_bind b[3];
	uint64_t n = 0;
	enum crm_err e;

	if (s->recovery) {
		crm_db_bind_i64(&b[0], id);
		crm_db_bind_blob(&b[1], s->hash, 32);
		e = crm_db_exec(db, STMT_RECOVERY_USE, b, 2, &n, NULL);
	} else {
		crm_db_bind_i64(&b[0], (long long)s->step);
		crm_db_bind_i64(&b[1], id);
		crm_db_bind_i64(&b[2], (long long)s->step);
		e = crm_db_exec(db, STMT_TOTP_USE_STEP, b, 3, &n, NULL);
	}
	if (e != CRM_OK)
		return e;
	if (n == 0)
		return CRM_ECONFLICT;   /* used already: a replay */
	if ((e = throttle_passed(s->c, &s->t)) != CRM_OK ||
	    (e = crm_auth_session_second_factor(s->c)) != CRM_OK)
		return e;
	return crm_ctx_audit(s->c, s->recovery ? "login.recovery_code" : "login", "user", id,
	    NULL, NULL);
}

static enum crm_err
second_failed_tx(struct crm_db *db, void *arg)
{
	struct second *s = arg;
	enum crm_err e;

	(void)db;
	if ((e = throttle_failed(s->c, &s->t, s->c->user->user_id)) != CRM_OK)
		return e;
	return crm_ctx_audit(s->c, "login.failed", "user", s->c->user->user_id, NULL,
	    json_pack("{s:s}", "step", "second factor"));
}

int
admin_login_2fa(struct crm_ctx *c)
{
	const char *code = code_of(c, "code");
	struct second s;
	struct crm_totp t;
	enum crm_err e;
	json_t *row = load_totp(c, &e);
	int ok = 0;

	if (e != CRM_OK)
		return 500;
	memset(&s, 0, sizeof(s));
	s.c = c;
	json_object_set_new(c->view, "title", json_string("Two-factor sign-in"));
	json_object_set_new(c->view, "next", json_string(admin_safe_next(crm_ctx_form(c, "next"))));
	if (throttle_check(c, c->user->email, &s.t) != CRM_OK)
		return 503;
	if (s.t.wait_seconds > 0 || s.t.account_failures >= THROTTLE_LOCK_AFTER) {
		crm_ctx_field_error(c, "code", N_("Too many failed attempts. Wait a while and try again."));
		return crm_ctx_status(c, 429);
	}
	if (code != NULL && strlen(code) == 6) {
		if (crm_totp_init(&t, json_string_value(json_object_get(row, "totp_secret")),
		    CRM_TOTP_SHA1, 6) == CRM_OK &&
		    crm_totp_verify(&t, code, time(NULL), &s.step) == CRM_OK &&
		    (long long)s.step > json_integer_value(json_object_get(row, "totp_last_step")))
			ok = 1;
		sodium_memzero(&t, sizeof(t));
	} else if (code != NULL) {
		char norm[CRM_TOTP_RECOVERY_NORM_SIZE];

		if (crm_totp_recovery_normalise(norm, code) == CRM_OK) {
			recovery_hash(c->user->user_id, norm, s.hash);
			s.recovery = ok = 1;
		}
	}
	if (ok) {
		e = crm_db_tx(c->db, second_ok_tx, &s);
		if (e == CRM_OK)
			return crm_ctx_redirect(c, 303, admin_safe_next(crm_ctx_form(c, "next")));
		if (e != CRM_ECONFLICT)
			return 500;
	}
	if (crm_db_tx(c->db, second_failed_tx, &s) != CRM_OK)
		return 500;
	crm_ctx_field_error(c, "code", N_("That code is not valid, or was used already."));
	return crm_ctx_status(c, 422);
}
