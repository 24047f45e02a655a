/* The per-worker cache of roles and settings: see crm_confcache.h. A
 * worker serves one request at a time, so plain static tables do. A value
 * read after the version it is kept under is at least that new (the
 * version moves in the change's own transaction), so a stale entry is only
 * ever read again, never served. */
#include <stdlib.h>
#include <string.h>

#include "crm.h"
#include "crm_confcache.h"
#include "crm_stmts.h"

#define ROLES 64
#define SETTINGS 64
#define STATEMENTS 32
/* A statement's parameters as a key; longer ones are not kept. */
#define KEY_MAX 256

static long long current;

static struct {
	long long role_id, version;
	char *permissions, *field_rules;
} roles[ROLES];
static size_t nroles;

static struct {
	char *name, *value; /* value NULL: not set */
	long long version;
} settings[SETTINGS];
static size_t nsettings;

static struct {
	size_t stmt, keylen;
	char key[KEY_MAX];
	long long version;
	json_t *rows;       /* malloc'd, never handed out: copies are */
} statements[STATEMENTS];
static size_t nstatements, victim;

void
crm_confcache_request(long long version)
{
	current = version;
}

long long
crm_confcache_version(void)
{
	return current;
}

static char *
dup_or_null(const char *s)
{
	return s ? crm_xstrdup(s) : NULL;
}

enum crm_err
crm_confcache_role(struct crm_db *db, struct crm_arena *arena, long long role_id,
    const char **permissions, const char **field_rules)
{
	struct crm_db_bind b[2];
	json_t *row = NULL;
	const char *p, *f;
	enum crm_err e;
	size_t i;

	for (i = 0; current > 0 && i < nroles; i++)
		if (roles[i].role_id == role_id && roles[i].version == current) {
			*permissions = crm_arena_strdup(arena, roles[i].permissions);
			*field_rules = crm_arena_strdup(arena, roles[i].field_rules);
			return CRM_OK;
		}
	crm_db_bind_i64(&b[0], role_id);
	crm_db_bind_i64(&b[1], role_id);
	if ((e = crm_db_row(db, CRM_STMT_ROLE_RULES, b, 2, &row)) != CRM_OK)
		return e;
	p = json_string_value(json_object_get(row, "permissions"));
	f = json_string_value(json_object_get(row, "field_rules"));
	*permissions = crm_arena_strdup(arena, p ? p : "");
	*field_rules = crm_arena_strdup(arena, f ? f : "");
	json_decref(row);
	if (current <= 0)
		return CRM_OK;
	for (i = 0; i < nroles && roles[i].role_id != role_id; i++)
		;
	if (i == nroles) {
		if (nroles == ROLES)
			return CRM_OK; /* more roles than places: read each time */
		nroles++;
	} else {
		free(roles[i].permissions);
		free(roles[i].field_rules);
	}
	roles[i].role_id = role_id;
	roles[i].version = current;
	roles[i].permissions = crm_xstrdup(*permissions);
	roles[i].field_rules = crm_xstrdup(*field_rules);
	return CRM_OK;
}

int
crm_confcache_setting_get(const char *name, const char **value)
{
	size_t i;

	for (i = 0; current > 0 && i < nsettings; i++)
		if (settings[i].version == current && strcmp(settings[i].name, name) == 0) {
			*value = settings[i].value;
			return 1;
		}
	return 0;
}

void
crm_confcache_setting_put(const char *name, const char *value)
{
	size_t i;

	if (current <= 0)
		return;
	for (i = 0; i < nsettings && strcmp(settings[i].name, name) != 0; i++)
		;
	if (i == nsettings) {
		if (nsettings == SETTINGS)
			return;
		settings[nsettings++].name = crm_xstrdup(name);
	} else {
		free(settings[i].value);
	}
	settings[i].value = dup_or_null(value);
	settings[i].version = current;
}

/* The parameters as bytes: each one's type, then its value. 0 when they
 * do not fit. */
static size_t
key_of(const struct crm_db_bind *b, size_t n, char *key)
{
	size_t i, used = 0, len;

	for (i = 0; i < n; i++) {
		int bytes = b[i].type == CRM_DB_STR || b[i].type == CRM_DB_BLOB;
		const void *v = bytes ? (const void *)b[i].s :
		    b[i].type == CRM_DB_DOUBLE ? (const void *)&b[i].d : (const void *)&b[i].i;

		len = bytes ? (b[i].s ? b[i].len : 0) :
		    b[i].type == CRM_DB_DOUBLE ? sizeof(b[i].d) : b[i].type == CRM_DB_NULL ? 0 : sizeof(b[i].i);
		if (used + 1 + sizeof(len) + len > KEY_MAX)
			return 0;
		key[used++] = (char)b[i].type;
		memcpy(key + used, &len, sizeof(len));
		used += sizeof(len);
		memcpy(key + used, v, len);
		used += len;
	}
	return used == 0 ? 1 : used;
}

/* The rows, the cache's own (*kept) or fetched into the request. */
static enum crm_err
cached_rows(struct crm_db *db, size_t stmt, const struct crm_db_bind *b, size_t n, json_t **rows,
    int *kept)
{
	struct crm_arena *arena;
	char key[KEY_MAX];
	size_t i, len;
	enum crm_err e;

	*kept = 0;
	if (current <= 0 || (len = key_of(b, n, key)) == 0)
		return crm_db_rows(db, stmt, b, n, rows);
	for (i = 0; i < nstatements; i++)
		if (statements[i].stmt == stmt && statements[i].keylen == len && memcmp(statements[i].key, key, len) == 0)
			break;
	if (i < nstatements && statements[i].version == current) {
		*rows = statements[i].rows;
		*kept = 1;
		return CRM_OK;
	}
	if ((e = crm_db_rows(db, stmt, b, n, rows)) != CRM_OK)
		return e;
	if (i == nstatements) {
		if (nstatements < STATEMENTS) {
			nstatements++;
		} else {
			/* Full (many users' saved views): an entry of an older
			 * version goes first, else each place in turn. */
			for (i = 0; i < STATEMENTS && statements[i].version == current; i++)
				;
			if (i == STATEMENTS)
				i = victim++ % STATEMENTS;
		}
	}
	/* The kept copy outlives the request: made and freed with malloc. */
	arena = crm_arena_json_current();
	crm_arena_json_use(NULL);
	json_decref(statements[i].rows);
	statements[i].rows = json_deep_copy(*rows);
	crm_arena_json_use(arena);
	statements[i].stmt = stmt;
	statements[i].keylen = len;
	memcpy(statements[i].key, key, len);
	statements[i].version = statements[i].rows ? current : 0;
	return CRM_OK;
}

enum crm_err
crm_confcache_rows(struct crm_db *db, size_t stmt, const struct crm_db_bind *b, size_t n, json_t **rows)
{
	enum crm_err e;
	int kept;

	if ((e = cached_rows(db, stmt, b, n, rows, &kept)) != CRM_OK)
		return e;
	/* The copy comes from the request's arena, which aborts rather than
	 * fail. Most lists kept are empty (no saved views, no custom fields),
	 * and a deep copy of nothing still cost a thousand instructions. */
	if (kept)
		*rows = json_array_size(*rows) == 0 ? json_array() : json_deep_copy(*rows);
	return CRM_OK;
}

enum crm_err
crm_confcache_peek(struct crm_db *db, size_t stmt, const struct crm_db_bind *b, size_t n,
    const json_t **rows)
{
	json_t *r = NULL;
	enum crm_err e;
	int kept;

	e = cached_rows(db, stmt, b, n, &r, &kept);
	*rows = r;
	return e;
}
