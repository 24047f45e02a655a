/* Settings by name: see crm_setting.h. */
#include <string.h>

#include "crm_confcache.h"
#include "crm_setting.h"
#include "crm_stmts.h"

const char *
crm_setting(struct crm_db *db, struct crm_arena *arena, const char *name, const char *fallback)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	const char *v;
	enum crm_err e;

	if (crm_confcache_setting_get(name, &v))
		return v ? crm_arena_strdup(arena, v) : fallback;
	crm_db_bind_str(&b[0], name, (size_t)-1);
	if ((e = crm_db_row(db, CRM_STMT_SETTING, b, 1, &row)) != CRM_OK) {
		if (e == CRM_ENOTFOUND)
			crm_confcache_setting_put(name, NULL);
		return fallback;
	}
	v = json_string_value(json_object_get(row, "value"));
	crm_confcache_setting_put(name, v);
	v = v ? crm_arena_strdup(arena, v) : fallback;
	/* Outside a request jansson allocates on the heap: the row goes. */
	json_decref(row);
	return v;
}

const char *
crm_public_url(struct crm_db *db, struct crm_arena *arena, const char *path)
{
	const char *base = crm_setting(db, arena, "public_url", "http://127.0.0.1:8080");
	size_t n = strlen(base);

	/* "https://crm.example.com/" and "https://crm.example.com" alike. */
	while (n > 0 && base[n - 1] == '/')
		n--;
	return crm_arena_printf(arena, "%.*s%s", (int)n, base, path);
}
