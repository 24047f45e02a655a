/* What the segment and list files share (segments.c, segment_form.c,
 * segment_run.c, lists.c, list_import.c). */
#ifndef MARKETING_SEGMENT_H
#define MARKETING_SEGMENT_H

#include "crm_segment.h"
#include "extern.h"

/* segment_run.c */
/* The active custom fields (id, entity, type, label), or NULL. */
json_t *segment_custom_fields(struct crm_ctx *);
/* Compiles a definition with the active custom fields. */
enum crm_err segment_compile(struct crm_ctx *, json_t *def, struct crm_segment_sql *, struct crm_segment_error *);
/* Members within c's scope, counted up to SEGMENT_COUNT_CAP + 1; *count
 * is -1 when the count ran out of time. */
enum crm_err segment_count(struct crm_ctx *, const struct crm_segment_sql *, long long *count);
/* The first 20 members by id (an empty array when out of time). */
enum crm_err segment_sample(struct crm_ctx *, const struct crm_segment_sql *, json_t **rows);
/* Inserts at most SEGMENT_COUNT_CAP members into a list, in the caller's
 * transaction. */
enum crm_err segment_freeze_into(struct crm_ctx *, struct crm_db *, const struct crm_segment_sql *, long long list_id,
    uint64_t *added);
/* counted, count, count_more and count_text ("100,000+") into an object. */
void segment_count_view(struct crm_ctx *, json_t *into, long long count);

/* lists.c: a page of segments or lists (stmt: the scope, then the
 * keyset after name and id) in the order stmt gives, by name, into
 * c->view[key]; key also names the subnav entry. */
int segment_name_page(struct crm_ctx *, size_t stmt, const char *date_column, const char *path, const char *key);

/* segment_form.c: the builder. */
struct segment_form {
	const char *name, *description;
	json_t *def;            /* what the form holds, blank rows included */
	json_t *saved;          /* def without blank rows and empty groups: what is stored */
	json_t *keys;           /* saved's [group][condition] -> the form row's key */
	const char *action;     /* "save", "count", or "edit" after an add/remove button */
};
/* Reads the posted builder (an add or remove button changes def). */
void segment_form_read(struct crm_ctx *, struct segment_form *);
/* Reads a stored definition into the form's shape. */
void segment_form_load(struct crm_ctx *, struct segment_form *, json_t *segment);
/* Puts the builder's view (menus, groups, rows, the error on its row). */
void segment_form_view(struct crm_ctx *, const struct segment_form *, const struct crm_segment_error *);
/* The conditions in words (field and operator labels), for the page. */
json_t *segment_summary(struct crm_ctx *, json_t *def);
/* The translated message of a compile error, naming its place. */
const char *segment_error_text(struct crm_ctx *, const struct crm_segment_error *);

#endif
