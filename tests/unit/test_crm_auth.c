/* Permissions, field rules and secrets, without a database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "crm_auth.h"
#include "crm_json_write.h"
#include "crm_table.h"

static struct crm_identity
who(const char *perms, const char *rules, int second)
{
	struct crm_identity u;

	memset(&u, 0, sizeof(u));
	u.user_id = 7;
	u.permissions = perms;
	u.field_rules = rules;
	u.second_factor_ok = second;
	return u;
}

static void
test_permissions(void **state)
{
	struct crm_identity sales = who("customers.read,customers.write,sales.read", "", 1);
	struct crm_identity admin = who("*", "", 1);
	struct crm_identity pending = who("*", "", 0);

	(void)state;
	assert_true(crm_auth_can(NULL, CRM_PERM_PUBLIC));
	assert_false(crm_auth_can(NULL, CRM_PERM_SIGNED_IN));
	assert_false(crm_auth_can(NULL, "customers.read"));
	assert_true(crm_auth_can(&sales, "customers.write"));
	assert_true(crm_auth_can(&sales, CRM_PERM_SIGNED_IN));
	assert_false(crm_auth_can(&sales, "admin.users"));
	/* A prefix or a longer name is not the permission. */
	assert_false(crm_auth_can(&sales, "customers"));
	assert_false(crm_auth_can(&sales, "customers.read.all"));
	assert_false(crm_auth_can(&sales, "sales.rea"));
	assert_false(crm_auth_can(&sales, "ales.read"));
	assert_false(crm_auth_can(&sales, "read,customers.write"));
	assert_false(crm_auth_can(&sales, ""));
	/* Found inside a longer name first, then whole. */
	assert_true(crm_auth_can(&(struct crm_identity){ .permissions = "presales.read,sales.read",
	    .second_factor_ok = 1 }, "sales.read"));
	assert_false(crm_auth_can(&(struct crm_identity){ .permissions = "presales.read,sales.readers",
	    .second_factor_ok = 1 }, "sales.read"));
	assert_false(crm_auth_can(&(struct crm_identity){ .permissions = "", .second_factor_ok = 1 },
	    "sales.read"));
	/* "*" is all only as a whole entry. */
	assert_false(crm_auth_can(&(struct crm_identity){ .permissions = "sales.*",
	    .second_factor_ok = 1 }, "sales.read"));
	assert_true(crm_auth_can(&admin, "admin.settings"));
	/* Half signed in (code still due): only the second-factor page. */
	assert_false(crm_auth_can(&pending, "admin.settings"));
	assert_false(crm_auth_can(&pending, CRM_PERM_SIGNED_IN));
	assert_true(crm_auth_can(&pending, CRM_PERM_SECOND_FACTOR));
	assert_false(crm_auth_can(&admin, CRM_PERM_SECOND_FACTOR));
}

static void
test_field_rules_strip_pages_and_api(void **state)
{
	struct crm_identity u = who("*", "customers.revenue:hidden,customers.phone:readonly", 1);
	json_t *rec = json_pack("{s:i,s:s,s:s,s:s}", "id", 1, "name", "Acme", "revenue", "1000.00",
	    "phone", "555");
	json_t *list = json_pack("[O,O]", rec, rec);

	(void)state;
	assert_true(crm_auth_field_hidden(&u, "customers", "revenue"));
	assert_false(crm_auth_field_hidden(&u, "customers", "phone"));
	assert_true(crm_auth_field_readonly(&u, "customers", "phone"));
	assert_true(crm_auth_field_readonly(&u, "customers", "revenue"));
	assert_false(crm_auth_field_hidden(&u, "deals", "revenue"));
	crm_auth_strip_fields(&u, "customers", rec);
	assert_null(json_object_get(rec, "revenue"));
	assert_non_null(json_object_get(rec, "phone"));
	crm_auth_strip_fields(&u, "customers", list);
	assert_null(json_object_get(json_array_get(list, 0), "revenue"));
	assert_null(json_object_get(json_array_get(list, 1), "revenue"));
	json_decref(rec);
	json_decref(list);
	/* A table (a list page's rows) hides the column: its JSON has no such
	 * key in any row, and its template finds none. */
	{
		json_t *cols = json_pack("[s,s,s]", "id", "revenue", "phone"), *t = crm_table_new(cols), *row;
		struct crm_buf b;

		crm_table_append(t, row = json_pack("[i,s,s]", 1, "1000.00", "555"));
		json_decref(row);
		crm_auth_strip_fields(&u, "customers", t);
		assert_int_equal(crm_table_col(cols, "revenue"), -1);
		assert_int_equal(crm_table_col(cols, "phone"), 2);
		crm_buf_init(&b, NULL, 64);
		crm_json_write(&b, t);
		assert_string_equal(b.data, "[{\"id\":1,\"phone\":\"555\"}]");
		crm_buf_release(&b);
		json_decref(t);
		json_decref(cols);
	}
}

static void
test_secrets(void **state)
{
	char a[CRM_AUTH_SECRET_LEN + 1], b[CRM_AUTH_SECRET_LEN + 1];
	unsigned char h1[32], h2[32];
	size_t i;

	(void)state;
	assert_int_equal(sodium_init() >= 0, 1);
	crm_auth_new_secret(a);
	crm_auth_new_secret(b);
	assert_int_equal(strlen(a), CRM_AUTH_SECRET_LEN);
	assert_string_not_equal(a, b);
	for (i = 0; a[i]; i++)
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", a[i]));
	crm_auth_hash(a, strlen(a), h1);
	crm_auth_hash(a, strlen(a), h2);
	assert_memory_equal(h1, h2, 32);
	crm_auth_hash(b, strlen(b), h2);
	assert_memory_not_equal(h1, h2, 32);
	/* The shape of a secret in an address: exactly its length, base64url. */
	assert_true(crm_auth_token_ok(a, CRM_AUTH_SECRET_LEN));
	assert_false(crm_auth_token_ok(a, CRM_AUTH_SECRET_LEN - 1));
	assert_false(crm_auth_token_ok(NULL, CRM_AUTH_SECRET_LEN));
	assert_true(crm_auth_token_ok("Ab-_09", 6));
	assert_false(crm_auth_token_ok("Ab-_0=", 6));
	assert_false(crm_auth_token_ok("Ab/_09", 6));
	assert_false(crm_auth_token_ok("Ab%2F9", 6));
	assert_false(crm_auth_token_ok("", 6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_field_rules_strip_pages_and_api),
		cmocka_unit_test(test_secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
