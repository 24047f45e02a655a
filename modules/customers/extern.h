/* crm-customers: private declarations. */
#ifndef CUSTOMERS_EXTERN_H
#define CUSTOMERS_EXTERN_H

#include "crm_http.h"
#include "crm_tags.h"

enum stmt {
	STMT_ACCOUNTS_BY_NAME,
	STMT_ACCOUNTS_BY_CITY,
	STMT_ACCOUNTS_NEWEST,
	STMT_ACCOUNTS_BRIEF_BY_NAME,
	STMT_ACCOUNTS_BRIEF_BY_CITY,
	STMT_ACCOUNTS_BRIEF_NEWEST,
	STMT_ACCOUNTS_EXPORT_BY_NAME,
	STMT_ACCOUNTS_EXPORT_BY_CITY,
	STMT_ACCOUNTS_EXPORT_NEWEST,
	STMT_ACCOUNT_GET,
	STMT_ACCOUNT_CREATE,
	STMT_ACCOUNT_UPDATE,
	STMT_ACCOUNT_REASSIGN,
	STMT_ACCOUNT_DELETE,
	STMT_ACCOUNT_RESTORE,
	STMT_ACCOUNTS_DELETED,
	STMT_ACCOUNT_CONTACTS,
	STMT_CONTACTS_BY_NAME,
	STMT_CONTACTS_BY_CITY,
	STMT_CONTACTS_NEWEST,
	STMT_CONTACTS_BRIEF_BY_NAME,
	STMT_CONTACTS_BRIEF_BY_CITY,
	STMT_CONTACTS_BRIEF_NEWEST,
	STMT_CONTACTS_EXPORT_BY_NAME,
	STMT_CONTACTS_EXPORT_BY_CITY,
	STMT_CONTACTS_EXPORT_NEWEST,
	STMT_CONTACT_GET,
	STMT_CONTACT_CREATE,
	STMT_CONTACT_UPDATE,
	STMT_CONTACT_REASSIGN,
	STMT_CONTACT_DELETE,
	STMT_CONTACT_RESTORE,
	STMT_CONTACTS_DELETED,
	STMT_ACCOUNT_REACHABLE,
	STMT_ACCOUNT_BY_NAME,
	STMT_LOOKUP_ACCOUNTS,
	STMT_LOOKUP_CONTACTS,
	STMT_LOOKUP_USERS,
	STMT_USER_ACTIVE,
	STMT_USER_BY_NAME,
	STMT_COUNT_ADD,
	STMT_COUNT_GET,
	STMT_TIMELINE_ACCOUNT,
	STMT_TIMELINE_CONTACT,
	STMT_ACTIVITY_CREATE,
	STMT_ACTIVITY_GET,
	STMT_ACTIVITY_DONE,
	STMT_ACTIVITY_DELETE,
	STMT_MY_TASKS,
	STMT_CALENDAR,
	STMT_FEED_USER,
	STMT_FEED_ITEMS,
	STMT_FEED_TOKEN_SET,
	STMT_DUPLICATES_EMAIL,
	STMT_DUPLICATES_PHONE,
	STMT_DUPLICATES_NAME,
	STMT_MERGE_SET,
	STMT_MERGE_ACTIVITIES,
	STMT_MERGE_TAGS,
	STMT_MERGE_CUSTOM,
	STMT_MERGE_RETIRE,
	STMT_MERGED_INTO,
	STMT_VIEWS,
	STMT_VIEW_SAVE,
	STMT_VIEW_DELETE,
	STMT_SEARCH_PUT_CONTACT,
	STMT_SEARCH_PUT_ACCOUNT,
	STMT_SEARCH_PUT_ACCOUNT_CONTACTS,
	STMT_SEARCH_DROP,
	STMT_SEARCH_ALL,
	STMT_SEARCH_OWN,
	STMT_SEARCH_TEAM,
	STMT_SEARCH_EMAIL,
	STMT_IMPORT_CREATE,
	STMT_IMPORT_GET,
	STMT_IMPORTS_MINE,
	STMT_IMPORT_LAST_MAPPING,
	STMT_IMPORT_MAP,
	STMT_IMPORT_QUEUE,
	STMT_IMPORT_CANCEL,
	STMT_IMPORT_PROBLEMS,
	STMT_JOB_CLAIM,
	STMT_JOB_START,
	STMT_JOB_LOAD,
	STMT_JOB_STATUS,
	STMT_JOB_PROGRESS,
	STMT_JOB_FINISH,
	STMT_JOB_REQUEUE,
	STMT_JOB_PROBLEM,
	STMT_JOB_DUPLICATES,
	STMT_JOB_ACCOUNT,
	STMT_JOB_USER,
	STMT_JOB_CONTACT_UPDATE,
	STMT_JOB_CONTACTS_INSERT,
	STMT_JOB_CONTACTS_INSERT10,
	STMT_JOB_AUTOINC,
	STMT_SEARCH_PUT_CONTACT_RANGE,
	STMT_CUSTOM_FIELDS_OF,
	STMT_CUSTOM_FIELDS_FILTER,
	STMT_CUSTOM_VALUE_PUT,
	STMT_CUSTOM_VALUE_DROP,
	/* account_sales.c */
	STMT_ACCOUNT_SALES,
	/* contacts.c: products the contact's account has not bought (reports' baskets) */
	STMT_CONTACT_BOUGHT,
	STMT_CONTACT_ALSO_BOUGHT,
	/* search_follow.c: the search log replayed into each node's index */
	STMT_FOLLOW_UPTO,
	STMT_FOLLOW_DROP,
	STMT_FOLLOW_CONTACTS,
	STMT_FOLLOW_ACCOUNTS,
	STMT_FOLLOW_KB_DROP,
	STMT_FOLLOW_KB,
	STMT_FOLLOW_PRUNE,
	STMT__MAX
};

extern const char *const customers_stmts[STMT__MAX];

/* common.c: what every handler here shares. */
void bind_scope(struct crm_ctx *, struct crm_db_bind *);        /* 5 binds */
void customers_nav(struct crm_ctx *, const char *current);
void customers_flash(struct crm_ctx *);
/* A link field typed as "Name #42" (what autocomplete fills in) or a bare
 * name: the id, or 0 with *error set to why not. */
long long customers_ref(struct crm_ctx *, const char *value, size_t by_id, size_t by_name, int scoped,
    const char **error);
enum crm_err customers_count_add(struct crm_db *, const char *entity, long long delta);
/* The list's page: drops the 51st row and sets next_url from the 50th. */
void customers_next_page(struct crm_ctx *, json_t *rows, const char *path,
    const char *const *keep, const char *sort);
/* The list filters shared by accounts and contacts, bound after the scope. */
struct list_filters {
	const char *q, *owner, *city, *tag, *from, *to, *sort;
	long long owner_id, account_id;
	const char *cf, *cv;            /* one custom field: its id and value */
	long long cf_id;
	const char *after_a, *after_b;
	long long after_id;
};
int customers_list_filters(struct crm_ctx *, struct list_filters *);
size_t customers_bind_keyset(const struct list_filters *, struct crm_db_bind *);
size_t customers_sort_stmt(const char *sort, size_t by_name);
size_t customers_bind_list(struct crm_ctx *, const struct list_filters *, struct crm_db_bind *,
    int by_account);
/* The binds of a list statement: scope, filters, keyset. */
size_t accounts_bind_list(struct crm_ctx *, const struct list_filters *, struct crm_db_bind *);
size_t contacts_bind_list(struct crm_ctx *, const struct list_filters *, struct crm_db_bind *);
void customers_filters_view(struct crm_ctx *, const struct list_filters *, const char *path);

int customers_accounts(struct crm_ctx *);
int customers_account_new(struct crm_ctx *);
int customers_account_create(struct crm_ctx *);
int customers_account_show(struct crm_ctx *);
int customers_account_page(struct crm_ctx *, long long id);
int customers_account_update(struct crm_ctx *);
int customers_account_reassign(struct crm_ctx *);
int customers_account_delete(struct crm_ctx *);
int customers_account_restore(struct crm_ctx *);
/* account_sales.c: the account's deals, orders and invoices for its page
 * ("sales" in the view), for users who may read sales. */
enum crm_err customers_account_sales(struct crm_ctx *, long long account_id);

int customers_contacts(struct crm_ctx *);
int customers_contact_new(struct crm_ctx *);
int customers_contact_create(struct crm_ctx *);
int customers_contact_show(struct crm_ctx *);
int customers_contact_page(struct crm_ctx *, long long id);
int customers_contact_update(struct crm_ctx *);
int customers_contact_reassign(struct crm_ctx *);
int customers_contact_delete(struct crm_ctx *);
int customers_contact_restore(struct crm_ctx *);
int customers_contact_vcard(struct crm_ctx *);
int customers_contact_qr(struct crm_ctx *);

int customers_trash(struct crm_ctx *);
int customers_duplicates(struct crm_ctx *);
int customers_merge_form(struct crm_ctx *);
int customers_merge(struct crm_ctx *);
int customers_accounts_export(struct crm_ctx *);
int customers_contacts_export(struct crm_ctx *);

/* activities.c */
enum crm_err customers_timeline(struct crm_ctx *, size_t stmt, long long id, const char *path);
int customers_activity_create(struct crm_ctx *);
int customers_activity_done(struct crm_ctx *);
int customers_activity_delete(struct crm_ctx *);
int customers_tasks(struct crm_ctx *);
int customers_calendar(struct crm_ctx *);
int customers_calendar_feed(struct crm_ctx *);
int customers_calendar_link(struct crm_ctx *);

/* search.c: the index follows each committed change; the search page. */
void customers_index(struct crm_ctx *, const char *entity, long long id);

/* imports.c */
int customers_imports(struct crm_ctx *);
int customers_import_upload(struct crm_ctx *);
int customers_import_show(struct crm_ctx *);
int customers_import_map(struct crm_ctx *);
int customers_import_cancel(struct crm_ctx *);
int customers_import_problems(struct crm_ctx *);
int customers_search(struct crm_ctx *);

/* custom.c: custom fields of accounts and contacts (entity "account" or
 * "contact"), as the form's cf_<id> fields. */
struct custom_values;
/* Reads and checks the active fields' values from the form; errors go
 * into the view under cf_<id>. id is the record's (0 for a new one); a
 * field the request does not send keeps its stored value. NULL when the
 * database fails. */
struct custom_values *customers_custom_read(struct crm_ctx *, const char *entity, long long id);
/* Writes what changed, in the caller's transaction. */
enum crm_err customers_custom_save(struct crm_db *, const struct custom_values *, long long id);
/* Adds the values to the audit row's after (and before, for an update)
 * as cf_<id>; returns after. */
json_t *customers_custom_audit(const struct custom_values *, json_t *before, json_t *after);
/* After a refused save: the form shows again what was typed. */
void customers_custom_keep(json_t *rec, const struct custom_values *);
/* rec.custom ({"<id>": value}, the API's) and the view's custom_fields
 * (the form's inputs, with any errors). */
enum crm_err customers_custom_show(struct crm_ctx *, const char *entity, json_t *rec);
/* A number as DECIMAL(21,6) keeps it; *canon its shortest form. */
int customers_custom_number(struct crm_arena *, const char *, const char **canon);
/* What is wrong with v for the field (an N_() msgid), or NULL; *canon is
 * the value to store. old: the record's value now, or NULL. */
const char *customers_custom_problem(struct crm_arena *, json_t *field, const char *v,
    const char *old, const char **canon);
/* The entity's active fields (id, label, type, choices), in their order. */
enum crm_err customers_custom_fields(struct crm_db *, const char *entity, json_t **fields);
/* Stores (or, for "", removes) one canonical value. */
enum crm_err customers_custom_put(struct crm_db *, const char *entity, long long id, json_t *field,
    const char *v);
/* The list's filter choices: the entity's active fields. */
enum crm_err customers_custom_filter_view(struct crm_ctx *, const char *entity, const struct list_filters *);

/* views.c: saved list views per user. */
enum crm_err customers_views_load(struct crm_ctx *, const char *entity);
int customers_view_save(struct crm_ctx *);
int customers_view_delete(struct crm_ctx *);

int customers_lookup_accounts(struct crm_ctx *);
int customers_lookup_contacts(struct crm_ctx *);
int customers_lookup_users(struct crm_ctx *);

#endif
