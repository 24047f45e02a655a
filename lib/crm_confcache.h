/* What every request reads and an admin rarely changes: a role's
 * permissions and field rules, and the settings. Each worker keeps them
 * and reads them again only when config_version (migration 053, moved by
 * triggers in the same transaction as any change) differs from the one the
 * request's identity lookup read. Outside a signed-in request (public
 * pages, job runners, crmctl) the version is unknown and every read goes
 * to the database, as before. */
#ifndef CRM_CONFCACHE_H
#define CRM_CONFCACHE_H

#include "crm_arena.h"
#include "crm_db.h"

/* The version the request in hand read with its identity; 0 when it has
 * none (each request starts with 0). */
void crm_confcache_request(long long version);
long long crm_confcache_version(void);

/* The role's permissions ("a,b,*") and field rules ("entity.field:access,...")
 * copied into arena, from the cache or the database. */
enum crm_err crm_confcache_role(struct crm_db *, struct crm_arena *, long long role_id,
    const char **permissions, const char **field_rules);

/* A setting from the cache: 1 and *value (NULL when it is not set) when
 * the cache holds it at the current version, else 0. */
int crm_confcache_setting_get(const char *name, const char **value);
/* Keeps a setting read from the database at the current version. */
void crm_confcache_setting_put(const char *name, const char *value);

/* The rows of a statement that reads only tables whose changes move
 * config_version (roles, settings, pipelines and their stages, custom
 * fields: migrations 053 and 054), as crm_db_rows gives them: a copy in
 * the request's arena, which the caller may change, from the cache when
 * it holds the statement with the same parameters at the current
 * version, else from the database. */
enum crm_err crm_confcache_rows(struct crm_db *, size_t stmt, const struct crm_db_bind *, size_t n,
    json_t **rows);
/* As crm_confcache_rows, without the copy: the rows are the cache's own
 * (or, on a miss, the request's), to be read and never changed or kept
 * beyond the next call; copy what goes into a view. For a page that uses
 * a few of many rows (the board, one pipeline's stages of all of them). */
enum crm_err crm_confcache_peek(struct crm_db *, size_t stmt, const struct crm_db_bind *, size_t n,
    const json_t **rows);

#endif
