/* Saved reports: a question over one entity, kept as structured JSON in
 * saved_reports.definition and compiled to one grouped SELECT.
 *
 *   {"entity":"orders","measure":"sum","field":"total_base",
 *    "group_by":["status"],"bucket":"month","date_field":"ordered_on",
 *    "filters":[{"field":"status","op":"ne","value":"cancelled"}]}
 *
 * entity names a row of the catalogue in crm_report.c; measure is count,
 * sum or avg (sum and avg name a summable field); group_by holds up to two
 * groupable fields; bucket (day, week, month, quarter, year) over a date
 * field is a dimension of its own, taking one of the two places; filters
 * (at most CRM_REPORT_MAX_FILTERS) are combined with AND.
 *
 * The statement's text is made only of the catalogue's fragments, never of
 * the definition's text: every filter value is a bind. The reader's record
 * scope is part of every statement of an entity with an owner, bound as
 * the modules' lists bind it. The statement carries a time limit and
 * returns at most CRM_REPORT_MAX_ROWS + 1 rows (one more says "cut"). */
#ifndef CRM_REPORT_H
#define CRM_REPORT_H

#include <stddef.h>

#include <jansson.h>

#include "crm.h"
#include "crm_arena.h"
#include "crm_db.h"

#define CRM_REPORT_MAX_ROWS 500         /* groups shown; the query asks one more */
#define CRM_REPORT_MAX_FILTERS 10
#define CRM_REPORT_MAX_DIMS 2           /* group fields and the time bucket together */
#define CRM_REPORT_MAX_TEXT 200         /* characters of one filter value */
#define CRM_REPORT_MAX_DAYS 3650
#define CRM_REPORT_MAX_JSON 16384
#define CRM_REPORT_TIME_LIMIT "5"       /* seconds: max_statement_time */

enum crm_report_type {
	CRM_REPORT_TEXT,
	CRM_REPORT_CHOICE,      /* one of the field's choices */
	CRM_REPORT_NUMBER,
	CRM_REPORT_DATE,
	CRM_REPORT_BOOL,
	CRM_REPORT_TYPE__MAX
};

/* What a field may be used for. */
#define CRM_REPORT_GROUP 0x1
#define CRM_REPORT_SUM 0x2
#define CRM_REPORT_FILTER 0x4
#define CRM_REPORT_BUCKET 0x8   /* a date a time bucket may run over */

struct crm_report_field {
	const char *name;               /* "status": what a definition names */
	const char *label;              /* English, marked N_() */
	enum crm_report_type type;
	unsigned uses;                  /* CRM_REPORT_GROUP | ... */
	const char *expr;               /* the SQL fragment */
	const char *const *choices;     /* CHOICE: NULL-terminated */
	/* How its groups sort, when not by their text: an aggregate over the
	 * group (an ENUM's declared order, a stage's position); NULL: text. */
	const char *order;
};

/* How the reader's record scope reaches an entity's rows. */
enum crm_report_scope_kind {
	CRM_REPORT_SCOPE_OWNER,         /* the record's owner (o: users) */
	CRM_REPORT_SCOPE_TICKET,        /* the agent's, or nobody's yet */
	CRM_REPORT_SCOPE_ACTIVITY,      /* its assignee, or the owner of its contact or account */
	CRM_REPORT_SCOPE__MAX
};

struct crm_report_entity {
	const char *name;               /* "orders" */
	const char *label;              /* English, marked N_() */
	const char *perm;               /* the module permission that reads these records */
	const char *rules;              /* the field rules' entity name (crm_auth_field_hidden) */
	enum crm_report_scope_kind scope;
	const char *from;               /* " FROM ... WHERE <always>" */
	const char *scope_sql;          /* the scope test, with its '?'s */
	const struct crm_report_field *fields;
	size_t nfields;
};

/* The catalogue, for the builder's menus: NULL past the end. */
const struct crm_report_entity *crm_report_entity_at(size_t);
const struct crm_report_entity *crm_report_entity(const char *name);
const struct crm_report_field *crm_report_field(const struct crm_report_entity *, const char *name);
/* The operators of a type, NULL-terminated; an operator's label (English,
 * N_()), NULL when unknown; how many values it takes (0, 1, 2). */
const char *const *crm_report_ops(enum crm_report_type);
const char *crm_report_op_label(const char *op);
int crm_report_op_values(const char *op);
/* The buckets, NULL-terminated, and a bucket's label. */
extern const char *const crm_report_buckets[];
const char *crm_report_bucket_label(const char *bucket);
extern const char *const crm_report_measures[];
const char *crm_report_measure_label(const char *measure);

/* The reader, for the scope binds: "own", "team" or "all" (NULL: all). */
struct crm_report_reader {
	const char *scope;
	long long user_id, team_id;
};

/* What was wrong: key is the form's name of the part ("entity",
 * "measure", "field", "group_by", "bucket", "date_field", "filters"),
 * filter the filter's place from 1 (0: none); msgid English, N_(). */
struct crm_report_error {
	const char *key;
	size_t filter;
	const char *msgid;
};

struct crm_report_sql {
	const char *sql;                /* fragments only, never user text */
	struct crm_db_bind *binds;      /* into the arena and the definition */
	size_t nbinds;
	const struct crm_report_entity *entity;
	/* The dimensions in the result's order (columns d1, d2, then v): the
	 * bucket first when there is one. */
	size_t ndims;
	const struct crm_report_field *dims[CRM_REPORT_MAX_DIMS];
	const char *bucket;             /* NULL, or "month"... (dims[0] is its date) */
	const char *measure;            /* "count", "sum" or "avg" */
	const struct crm_report_field *measure_field;   /* NULL for count */
	/* Every field the definition names, once each: the caller checks
	 * them against the reader's field rules. */
	const struct crm_report_field *used[CRM_REPORT_MAX_DIMS + 1 + CRM_REPORT_MAX_FILTERS];
	size_t nused;
};

/* Compiles def into out from the arena; CRM_EINVAL with *err filled for
 * anything not in the catalogue, a value of the wrong shape, too many
 * filters or dimensions. Strings bound point into def (keep it). */
enum crm_err crm_report_compile(struct crm_arena *, json_t *def, const struct crm_report_reader *,
    struct crm_report_sql *out, struct crm_report_error *err);
/* The same from JSON text (at most CRM_REPORT_MAX_JSON bytes); *def gets
 * the parsed definition, to keep as long as out. */
enum crm_err crm_report_compile_text(struct crm_arena *, const char *text, size_t len,
    const struct crm_report_reader *, json_t **def, struct crm_report_sql *out,
    struct crm_report_error *err);

/* Appends " AND <filter>" to q for each filter of filters (a JSON array as
 * a definition's "filters"; NULL or null: none) over the entity's fields,
 * with the same fragments, operators and checks as a report: for other
 * compilers (the rules) to share this one. The count is the caller's to
 * limit. CRM_EINVAL with *err filled (key "filters"). */
struct crm_sqlbuild;
enum crm_err crm_report_filters(struct crm_sqlbuild *q, const struct crm_report_entity *,
    json_t *filters, struct crm_report_error *err);

/* The values of an entity's choice fields, each {label (translated),
 * values ("a, b, c")}: the help beside a form's filter rows. */
struct crm_ctx;
json_t *crm_report_choices_view(struct crm_ctx *, const struct crm_report_entity *);

#endif
