/* crmctl audit verify: walks the audit log in order, recomputing each
 * row's hash from its fields and the previous row's hash, and reports the
 * first broken link. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "crm_audit.h"
#include "extern.h"

static int
unhex(const char *hex, unsigned char out[32])
{
	size_t len;

	return hex != NULL && sodium_hex2bin(out, 32, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	    len == 32 ? 0 : -1;
}

static const char *
s_of(json_t *row, const char *k)
{
	const char *s = json_string_value(json_object_get(row, k));

	return s ? s : "";
}

static int
verify(struct crm_db *db)
{
	unsigned char prev[32] = { 0 }, stored_prev[32], stored[32], want[32];
	long long last = 0, rows = 0;
	struct crm_db_bind b[1];
	json_t *page = NULL, *row, *head = NULL;
	size_t i;

	for (;;) {
		crm_db_bind_i64(&b[0], last);
		if (crm_db_rows(db, STMT_AUDIT_PAGE, b, 1, &page) != CRM_OK) {
			fprintf(stderr, "crmctl: %s\n", crm_db_error(db));
			return 1;
		}
		if (json_array_size(page) == 0)
			break;
		json_array_foreach(page, i, row) {
			long long id = json_integer_value(json_object_get(row, "id"));

			if (unhex(s_of(row, "prev_hash"), stored_prev) != 0 ||
			    unhex(s_of(row, "hash"), stored) != 0) {
				printf("audit log broken at row %lld: unreadable hash\n", id);
				return 1;
			}
			if (memcmp(stored_prev, prev, 32) != 0) {
				printf("audit log broken at row %lld: it does not follow row %lld "
				    "(a row before it was removed or changed)\n", id, last);
				return 1;
			}
			crm_audit_hash(prev, s_of(row, "at"),
			    json_integer_value(json_object_get(row, "user_id")), s_of(row, "ip"),
			    s_of(row, "action"), s_of(row, "entity"),
			    json_integer_value(json_object_get(row, "entity_id")),
			    s_of(row, "changes"), want);
			if (memcmp(want, stored, 32) != 0) {
				printf("audit log broken at row %lld: its contents were changed\n", id);
				return 1;
			}
			memcpy(prev, stored, 32);
			last = id;
			rows++;
		}
		json_decref(page);
		page = NULL;
	}
	json_decref(page);
	if (crm_db_row(db, STMT_AUDIT_HEAD, NULL, 0, &head) != CRM_OK ||
	    json_integer_value(json_object_get(head, "last_id")) != last ||
	    unhex(s_of(head, "last_hash"), stored) != 0 || memcmp(stored, prev, 32) != 0) {
		printf("audit log broken after row %lld: rows at the end were removed\n", last);
		json_decref(head);
		return 1;
	}
	json_decref(head);
	printf("audit log intact: %lld rows\n", rows);
	return 0;
}

int
crmctl_audit(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	(void)conf;
	if (argc == 1 && strcmp(argv[0], "verify") == 0)
		return verify(db);
	fprintf(stderr, "usage: crmctl audit verify\n");
	return 2;
}
