/* crmctl demo: the live accounts' ids, loaded once, to pick from. Ids
 * have gaps wherever accounts were deleted, so a number drawn between the
 * lowest and the highest id may name no account (a foreign key error) or
 * a deleted one; a pick from the loaded ids is always a live account, at
 * the cost of one pass over the primary key per run, not one per row. */
#include <stdlib.h>

#include <sodium.h>

#include "demo.h"
#include "extern.h"

enum crm_err
demo_ids_accounts(struct crm_db *db, struct demo_ids *ids)
{
	struct crm_db_bind b;
	json_t *rows = NULL, *row;
	long long after = 0;
	size_t cap = 0, i;
	enum crm_err e;

	ids->v = NULL;
	ids->n = 0;
	for (;;) {
		crm_db_bind_i64(&b, after);
		if ((e = crm_db_rows(db, STMT_DEMO_ACCOUNT_PAGE, &b, 1, &rows)) != CRM_OK)
			return e;
		if (json_array_size(rows) == 0)
			break;
		json_array_foreach(rows, i, row) {
			if (ids->n == cap) {
				cap = cap ? cap * 2 : 1024;
				ids->v = crm_xrealloc(ids->v, cap * sizeof(*ids->v));
			}
			after = ids->v[ids->n++] = json_integer_value(json_object_get(row, "id"));
		}
		json_decref(rows);
		rows = NULL;
	}
	json_decref(rows);
	return CRM_OK;
}

long long
demo_ids_pick(const struct demo_ids *ids)
{
	return ids->n ? ids->v[randombytes_uniform((uint32_t)ids->n)] : 0;
}

void
demo_ids_free(struct demo_ids *ids)
{
	free(ids->v);
	ids->v = NULL;
	ids->n = 0;
}
