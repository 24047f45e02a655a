/* Audit rows and their hash chain. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_auth.h"
#include "crm_stmts.h"

static const char *const secret_fields[] = { "password_hash", "totp_secret", "token_hash", "password" };

static int
is_secret(const char *key)
{
	size_t i;

	for (i = 0; i < CRM_NELEM(secret_fields); i++)
		if (strcmp(key, secret_fields[i]) == 0)
			return 1;
	return 0;
}

static json_t *
without_secrets(json_t *obj)
{
	json_t *out = json_object(), *v;
	const char *k;

	json_object_foreach(obj, k, v)
		if (!is_secret(k))
			json_object_set(out, k, v);
	return out;
}

json_t *
crm_audit_changes(json_t *before, json_t *after)
{
	json_t *b = json_object(), *a = json_object(), *v, *out;
	const char *k;

	if (before != NULL && !json_is_object(before))
		before = NULL;
	if (after != NULL && !json_is_object(after))
		after = NULL;
	if (before == NULL || after == NULL) {
		/* A create or a delete: the whole record, on its side. */
		json_decref(b);
		json_decref(a);
		out = json_object();
		json_object_set_new(out, "before", before ? without_secrets(before) : json_null());
		json_object_set_new(out, "after", after ? without_secrets(after) : json_null());
		return out;
	}
	json_object_foreach(after, k, v) {
		json_t *old = json_object_get(before, k);

		if (is_secret(k) || (old != NULL && json_equal(old, v)))
			continue;
		json_object_set(b, k, old ? old : json_null());
		json_object_set(a, k, v);
	}
	if (json_object_size(a) == 0) {
		json_decref(b);
		json_decref(a);
		return NULL;
	}
	return json_pack("{s:o,s:o}", "before", b, "after", a);
}

void
crm_audit_hash(const unsigned char prev[32], const char *at, long long user_id,
    const char *ip, const char *action, const char *entity, long long entity_id,
    const char *changes, unsigned char out[32])
{
	crypto_hash_sha256_state st;
	char num[48];

	/* Fields are separated by newlines; none of them may hold one except
	 * the JSON, which comes last, so the encoding is unambiguous. */
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, prev, 32);
	crypto_hash_sha256_update(&st, (const unsigned char *)at, strlen(at));
	snprintf(num, sizeof(num), "\n%lld\n", user_id);
	crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
	crypto_hash_sha256_update(&st, (const unsigned char *)ip, strlen(ip));
	crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)action, strlen(action));
	crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)entity, strlen(entity));
	snprintf(num, sizeof(num), "\n%lld\n", entity_id);
	crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
	crypto_hash_sha256_update(&st, (const unsigned char *)changes, strlen(changes));
	crypto_hash_sha256_final(&st, out);
}

static void
now_text(char out[64])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, 64, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
}

static int
unhex(const char *hex, unsigned char out[32])
{
	size_t len;

	return hex != NULL && sodium_hex2bin(out, 32, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	    len == 32 ? 0 : -1;
}

enum crm_err
crm_audit_write(struct crm_db *db, const struct crm_audit_actor *who, const char *action,
    const char *entity, long long entity_id, json_t *before, json_t *after)
{
	json_t *changes = crm_audit_changes(before, after), *head = NULL;
	unsigned char prev[32], hash[32];
	struct crm_db_bind b[10];
	const char *ip = who && who->ip ? who->ip : "";
	long long user_id = who ? who->user_id : 0;
	uint64_t id = 0;
	char at[64], *text;
	json_free_t json_free;
	enum crm_err e;

	if (changes == NULL)
		changes = json_object();
	text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(changes);
	if ((e = crm_db_row(db, CRM_STMT_AUDIT_HEAD_LOCK, NULL, 0, &head)) != CRM_OK)
		goto out;
	if (unhex(json_string_value(json_object_get(head, "last_hash")), prev) != 0) {
		e = CRM_EDB;
		goto out;
	}
	now_text(at);
	crm_audit_hash(prev, at, user_id, ip, action, entity, entity_id, text, hash);
	crm_db_bind_str(&b[0], at, (size_t)-1);
	if (user_id)
		crm_db_bind_i64(&b[1], user_id);
	else
		crm_db_bind_null(&b[1]);
	crm_db_bind_str(&b[2], ip, (size_t)-1);
	crm_db_bind_str(&b[3], action, (size_t)-1);
	crm_db_bind_str(&b[4], entity, (size_t)-1);
	if (entity_id)
		crm_db_bind_i64(&b[5], entity_id);
	else
		crm_db_bind_null(&b[5]);
	crm_db_bind_str(&b[6], text, (size_t)-1);
	crm_db_bind_blob(&b[7], prev, 32);
	crm_db_bind_blob(&b[8], hash, 32);
	crm_db_bind_i64(&b[9], who ? who->depth : 0);
	if ((e = crm_db_exec(db, CRM_STMT_AUDIT_INSERT, b, 10, NULL, &id)) != CRM_OK)
		goto out;
	crm_db_bind_i64(&b[0], (long long)id);
	crm_db_bind_blob(&b[1], hash, 32);
	e = crm_db_exec(db, CRM_STMT_AUDIT_HEAD_SET, b, 2, NULL, NULL);
out:
	json_decref(head);
	/* json_dumps used jansson's allocator, which may be the request arena. */
	json_get_alloc_funcs(NULL, &json_free);
	json_free(text);
	return e;
}

enum crm_err
crm_ctx_history(struct crm_ctx *c, const char *entity, const char *rules_entity,
    long long id, json_t **rows)
{
	struct crm_db_bind b[2];
	json_t *row;
	enum crm_err e;
	size_t i;

	crm_db_bind_str(&b[0], entity, (size_t)-1);
	crm_db_bind_i64(&b[1], id);
	if ((e = crm_db_rows(c->db, CRM_STMT_AUDIT_OF, b, 2, rows)) != CRM_OK)
		return e;
	json_array_foreach(*rows, i, row) {
		json_t *ch = json_loads(json_string_value(json_object_get(row, "changes")), 0, NULL);
		json_t *after = json_object_get(ch, "after"), *fields = json_array(), *v;
		const char *k;

		if (json_is_object(after))
			json_object_foreach(after, k, v)
				if (!crm_auth_field_hidden(c->user, rules_entity, k))
					json_array_append_new(fields, json_string(k));
		json_object_set_new(row, "fields", fields);
		json_object_del(row, "changes");
		json_object_set_new(row, "at", json_string(crm_ctx_date(c,
		    json_string_value(json_object_get(row, "at")), 1)));
	}
	return CRM_OK;
}

enum crm_err
crm_ctx_audit(struct crm_ctx *c, const char *action, const char *entity,
    long long entity_id, json_t *before, json_t *after)
{
	struct crm_audit_actor who = { c->user ? c->user->user_id : 0, c->remote_addr, 0 };

	return crm_audit_write(c->db, &who, action, entity, entity_id, before, after);
}
