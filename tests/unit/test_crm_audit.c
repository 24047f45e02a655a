/* Audit changes and the row hash the chain is built from. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "crm_audit.h"

static void
test_changes_keep_only_what_differs_and_no_secrets(void **state)
{
	json_t *before = json_pack("{s:s,s:s,s:i,s:s}", "name", "Ann", "email", "a@x.io", "role_id", 3,
	    "password_hash", "$argon2id$old");
	json_t *after = json_pack("{s:s,s:s,s:i,s:s}", "name", "Anne", "email", "a@x.io", "role_id", 3,
	    "password_hash", "$argon2id$new");
	json_t *ch = crm_audit_changes(before, after), *created;
	char *text;

	(void)state;
	text = json_dumps(ch, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"after\":{\"name\":\"Anne\"},\"before\":{\"name\":\"Ann\"}}");
	free(text);
	json_decref(ch);
	assert_null(crm_audit_changes(before, before));
	created = crm_audit_changes(NULL, after);
	assert_true(json_is_null(json_object_get(created, "before")));
	assert_null(json_object_get(json_object_get(created, "after"), "password_hash"));
	assert_non_null(json_object_get(json_object_get(created, "after"), "email"));
	json_decref(created);
	json_decref(before);
	json_decref(after);
}

static void
test_hash_binds_every_field_and_the_previous_row(void **state)
{
	unsigned char zero[32] = { 0 }, h[32], h2[32];

	(void)state;
	assert_true(sodium_init() >= 0);
	crm_audit_hash(zero, "2026-11-22 06:00:00.000001", 5, "127.0.0.1", "update", "user", 9,
	    "{}", h);
	crm_audit_hash(zero, "2026-11-22 06:00:00.000001", 5, "127.0.0.1", "update", "user", 9,
	    "{}", h2);
	assert_memory_equal(h, h2, 32);
	/* Change any one field, or the previous hash: a different hash. */
	crm_audit_hash(zero, "2026-11-22 06:00:00.000002", 5, "127.0.0.1", "update", "user", 9, "{}", h2);
	assert_memory_not_equal(h, h2, 32);
	crm_audit_hash(zero, "2026-11-22 06:00:00.000001", 6, "127.0.0.1", "update", "user", 9, "{}", h2);
	assert_memory_not_equal(h, h2, 32);
	crm_audit_hash(zero, "2026-11-22 06:00:00.000001", 5, "127.0.0.1", "update", "user", 91, "{}", h2);
	assert_memory_not_equal(h, h2, 32);
	/* Moving text between fields is not the same row either. */
	crm_audit_hash(zero, "2026-11-22 06:00:00.000001", 5, "127.0.0.1", "updateuser", "", 9, "{}", h2);
	assert_memory_not_equal(h, h2, 32);
	crm_audit_hash(h, "2026-11-22 06:00:00.000001", 5, "127.0.0.1", "update", "user", 9, "{}", h2);
	assert_memory_not_equal(h, h2, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes_keep_only_what_differs_and_no_secrets),
		cmocka_unit_test(test_hash_binds_every_field_and_the_previous_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
