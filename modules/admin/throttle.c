/* Sign-in throttling. The account key is whatever e-mail was typed,
 * whether or not such a user exists, so the delays say nothing about
 * which accounts are real. */
#include <string.h>

#include "extern.h"

enum crm_err
throttle_check(struct crm_ctx *c, const char *email, struct throttle *t)
{
	struct crm_db_bind b[2];
	json_t *rows = NULL, *row;
	enum crm_err e;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->account_key = crm_arena_printf(c->arena, "user:%s", email);
	t->address_key = crm_arena_printf(c->arena, "ip:%s", c->remote_addr ? c->remote_addr : "");
	crm_db_bind_str(&b[0], t->account_key, (size_t)-1);
	crm_db_bind_str(&b[1], t->address_key, (size_t)-1);
	if ((e = crm_db_rows(c->db, STMT_THROTTLE_GET, b, 2, &rows)) != CRM_OK)
		return e;
	json_array_foreach(rows, i, row) {
		long long wait = json_integer_value(json_object_get(row, "wait"));

		if (strcmp(json_string_value(json_object_get(row, "throttle_key")), t->account_key) == 0)
			t->account_failures = json_integer_value(json_object_get(row, "failures"));
		if (wait > t->wait_seconds)
			t->wait_seconds = wait;
	}
	return CRM_OK;
}

/* Counts a failure on both keys; at THROTTLE_LOCK_AFTER the real account,
 * if there is one, is locked until an admin unlocks it. */
enum crm_err
throttle_failed(struct crm_ctx *c, struct throttle *t, long long user_id)
{
	struct crm_db_bind b[3];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_str(&b[0], t->account_key, (size_t)-1);
	crm_db_bind_i64(&b[1], THROTTLE_ACCOUNT_AFTER);
	crm_db_bind_i64(&b[2], THROTTLE_ACCOUNT_AFTER);
	if ((e = crm_db_exec(c->db, STMT_THROTTLE_FAIL, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], t->address_key, (size_t)-1);
	crm_db_bind_i64(&b[1], THROTTLE_ADDRESS_AFTER);
	crm_db_bind_i64(&b[2], THROTTLE_ADDRESS_AFTER);
	if ((e = crm_db_exec(c->db, STMT_THROTTLE_FAIL, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], t->account_key, (size_t)-1);
	if ((e = crm_db_row(c->db, STMT_THROTTLE_FAILURES, b, 1, &row)) != CRM_OK)
		return e;
	t->account_failures = json_integer_value(json_object_get(row, "failures"));
	if (user_id != 0 && t->account_failures >= THROTTLE_LOCK_AFTER) {
		crm_db_bind_i64(&b[0], user_id);
		if ((e = crm_db_exec(c->db, STMT_USER_LOCK, b, 1, NULL, NULL)) != CRM_OK)
			return e;
	}
	return CRM_OK;
}

enum crm_err
throttle_passed(struct crm_ctx *c, const struct throttle *t)
{
	struct crm_db_bind b[1];

	crm_db_bind_str(&b[0], t->account_key, (size_t)-1);
	return crm_db_exec(c->db, STMT_THROTTLE_CLEAR, b, 1, NULL, NULL);
}
