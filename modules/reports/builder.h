/* What the report builder's files share (saved.c: the pages and writes,
 * saved_form.c: the form and its menus, saved_run.c: running a report
 * into a table, a chart and CSV). */
#ifndef REPORTS_BUILDER_H
#define REPORTS_BUILDER_H

#include "crm_report.h"
#include "extern.h"

/* Filter rows the form shows: the definition's, then blank ones, up to
 * the compiler's cap. */
#define BUILDER_BLANK_FILTERS 3

/* saved_form.c */
struct builder_form {
	const char *name;
	long long shared_role_id;       /* 0: not shared; -1: not an id */
	json_t *def;                    /* the definition, blank parts left out */
	int preview;                    /* "Preview" rather than "Save" */
};
/* Reads the posted form, or a JSON body {"name", "shared_role_id",
 * "definition", "preview"}. Returns 0, or 400 for a JSON body that is
 * not an object. */
int builder_form_read(struct crm_ctx *, struct builder_form *);
/* Reads a stored report (a row of STMT_SAVED_GET) into the form. */
void builder_form_load(struct builder_form *, json_t *report);
/* Compiles the form's definition for the reader: CRM_EINVAL with the
 * field errors set (the entity's records or a field out of the reader's
 * reach included), CRM_OK with q filled. */
enum crm_err builder_compile(struct crm_ctx *, json_t *def, struct crm_report_sql *q);
/* Puts the form's view: the values, the menus of its entity, the roles. */
int builder_form_view(struct crm_ctx *, const struct builder_form *);

/* saved_run.c */
/* Runs q and puts "result" (columns, rows, truncated, timed_out) and
 * "chart" into the view. Returns 0 or 500. */
int builder_run_view(struct crm_ctx *, const struct crm_report_sql *);
/* The definition in words, for the report's page. */
json_t *builder_summary(struct crm_ctx *, const struct crm_report_sql *, json_t *def);
/* Runs q and answers its table as CSV named filename. */
int builder_csv(struct crm_ctx *, const struct crm_report_sql *, const char *filename);

#endif
