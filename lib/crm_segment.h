/* Segments: a saved set of conditions over contacts, kept as structured
 * JSON and compiled to a boolean SQL expression with bound values.
 *
 *   {"match":"all","groups":[{"match":"any","conditions":[
 *     {"field":"contact.city","op":"eq","value":"Berlin"},
 *     {"field":"orders.category_spend","op":"gt","value":"1000",
 *      "category":"Printers","days":90}]}]}
 *
 * The expression's text is put together only from the fixed fragments of
 * the field registry in crm_segment.c, never from the definition's text:
 * every value, category, day count and custom field id becomes a bind.
 * It reads contacts as c and their account as a (LEFT JOIN accounts a ON
 * a.id = c.account_id), which the caller's statement provides. */
#ifndef CRM_SEGMENT_H
#define CRM_SEGMENT_H

#include <stddef.h>

#include <jansson.h>

#include "crm.h"
#include "crm_arena.h"
#include "crm_db.h"

/* 40 rows of 6 inputs, with the rest of the builder, stay within 256
 * fields: crm.conf's max_fields may be set as low as that. */
#define CRM_SEGMENT_MAX_CONDITIONS 40
#define CRM_SEGMENT_MAX_GROUPS 10
#define CRM_SEGMENT_MAX_IN 50           /* values of one "in" */
#define CRM_SEGMENT_MAX_TEXT 200        /* characters of one value */
#define CRM_SEGMENT_MAX_DAYS 3650
#define CRM_SEGMENT_MAX_JSON 65536

/* A custom field the definition may name as "custom.<id>": the caller
 * reads them from custom_fields (the compiler itself never queries). */
struct crm_segment_custom {
	long long id;
	const char *entity;     /* "contact" or "account" */
	const char *type;       /* "text", "number", "date" or "choice" */
};

/* What was wrong and where: group and condition count from 1 (0: the
 * definition as a whole); field is the name as written (user text, for
 * escaping where shown); msgid is English marked N_(), to translate. */
struct crm_segment_error {
	size_t group, condition;
	const char *field;
	const char *msgid;
};

struct crm_segment_sql {
	const char *where;              /* "(...)": the fragments, never user text */
	struct crm_db_bind *binds;      /* point into the arena and the definition */
	size_t nbinds;
	size_t nconditions;
};

/* Compiles a definition (a JSON object) into out, allocating from the
 * arena. CRM_EINVAL with *err filled for anything wrong: unknown field or
 * operator, a value of the wrong type, too many conditions or groups.
 * The strings bound point into def, which must outlive out. */
enum crm_err crm_segment_compile(struct crm_arena *, json_t *def,
    const struct crm_segment_custom *, size_t ncustom,
    struct crm_segment_sql *out, struct crm_segment_error *err);
/* The same from JSON text (at most CRM_SEGMENT_MAX_JSON bytes); *def
 * gets the parsed definition (keep it as long as out). */
enum crm_err crm_segment_compile_text(struct crm_arena *, const char *text, size_t len,
    const struct crm_segment_custom *, size_t ncustom, json_t **def,
    struct crm_segment_sql *out, struct crm_segment_error *err);

/* The registry, for the builder's menus. */
enum crm_segment_kind {
	CRM_SEGMENT_TEXT,
	CRM_SEGMENT_DATE,
	CRM_SEGMENT_BOOL,
	CRM_SEGMENT_TAG,
	CRM_SEGMENT_ACTIVITY,
	CRM_SEGMENT_ORDER_CATEGORY,
	CRM_SEGMENT_ORDER_SPEND,
	CRM_SEGMENT_ORDER_CATEGORY_SPEND,
	CRM_SEGMENT_ORDER_COUNT,
	CRM_SEGMENT_CUSTOM_TEXT,
	CRM_SEGMENT_CUSTOM_NUMBER,
	CRM_SEGMENT_CUSTOM_DATE,
	CRM_SEGMENT_SCORE,              /* a figure of the analytics (customer_scores) */
	CRM_SEGMENT_KIND__MAX
};

struct crm_segment_field {
	const char *name;       /* "contact.city" */
	const char *label;      /* English, marked N_() */
	enum crm_segment_kind kind;
};

/* The built-in fields (custom fields are "custom.<id>"), NULL past the end. */
const struct crm_segment_field *crm_segment_field_at(size_t);
/* The operators a kind takes, as a NULL-terminated list of names. */
const char *const *crm_segment_ops(enum crm_segment_kind);
/* An operator's label (English, marked N_()), or NULL when unknown. */
const char *crm_segment_op_label(const char *op);
/* Whether the operator takes no value, a second value (between), a day count. */
int crm_segment_op_takes_value(const char *op);
/* Whether the kind takes "category" and "days" beside the value. */
int crm_segment_kind_takes_category(enum crm_segment_kind);
int crm_segment_kind_takes_days(enum crm_segment_kind);

#endif
