/* The sentiment model's training text (sentiment_labels): the list, newest
 * first a page at a time; adding a text with its label, or labelling a
 * scored text (source and source_id: the body is copied from the ticket
 * message or satisfaction comment, and labelling it again corrects the
 * label); correcting a label; removing a text. Each write is audited; the
 * next sentiment run learns from the result. */
#include <string.h>

#include "crm_audit.h"
#include "crm_i18n.h"
#include "crm_valid.h"
#include "extern.h"

#define LABEL_BODY_MAX 2000

static const char *const label_names[] = { "negative", "neutral", "positive", NULL };
static const char *const source_names[] = { "ticket_message", "csat", NULL };

/* Where a text came from, in words: the seed set, typed in by a person,
 * or a scored text (the template adds its number). */
static const char *
source_text(struct crm_ctx *c, const char *source, int by_person)
{
	if (source != NULL && strcmp(source, "ticket_message") == 0)
		return crm_ctx_text(c, N_("Ticket message"));
	if (source != NULL && strcmp(source, "csat") == 0)
		return crm_ctx_text(c, N_("Satisfaction comment"));
	return crm_ctx_text(c, by_person ? N_("Added by hand") : N_("Seed set"));
}

int
reports_sentiment_labels(struct crm_ctx *c)
{
	static const char *const keep[] = { "label", NULL };
	const char *label = crm_ctx_query_str(c, "label");
	struct crm_db_bind b[4];
	long long after_id = 0;
	json_t *rows = NULL, *row, *form;
	size_t i;

	if ((*label && !crm_valid_oneof(label, label_names)) ||
	    !crm_ctx_after_id(c, &after_id))
		return crm_ctx_fail(c, 400, N_("The list's filters are not valid."));
	crm_db_bind_i64(&b[0], after_id);
	crm_db_bind_i64(&b[1], after_id);
	crm_db_bind_str(&b[2], label, (size_t)-1);
	crm_db_bind_str(&b[3], label, (size_t)-1);
	if (crm_db_rows(c->db, STMT_LABELS_LIST, b, 4, &rows) != CRM_OK)
		return 500;
	crm_ctx_next_page(c, rows, "/reports/sentiment/labels", NULL, keep);
	crm_ctx_localise_dates(c, rows, "updated_at");
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "options", reports_sentiment_label_options(c,
		    json_string_value(json_object_get(row, "label"))));
		json_object_set_new(row, "source_text", json_string(source_text(c, json_string_value(json_object_get(row,
		    "source")), *json_string_value(json_object_get(row, "labelled_by")) != '\0')));
	}
	json_object_set_new(c->view, "labels", rows);
	json_object_set_new(c->view, "filter", reports_sentiment_label_options(c, label));
	/* The add form, as posted when it comes back with errors. */
	form = json_pack("{s:s, s:o}", "body", c->method[0] == 'P' ? crm_ctx_form_str(c, "body") : "",
	    "options", reports_sentiment_label_options(c, c->method[0] == 'P' ? crm_ctx_form_str(c, "label") : ""));
	json_object_set_new(c->view, "form", form);
	reports_nav(c, "sentiment");
	reports_flash(c);
	return 200;
}

/* The list again with the field errors recorded: a 422. */
static int
invalid(struct crm_ctx *c)
{
	crm_ctx_status(c, 422);
	return reports_sentiment_labels(c) == 200 ? 422 : 500;
}

struct label_write {
	struct crm_ctx *c;
	const char *body, *label, *source;
	long long source_id, id;
	int created;
};

static enum crm_err
create_tx(struct crm_db *db, void *arg)
{
	struct label_write *w = arg;
	struct crm_db_bind b[5];
	json_t *before = NULL, *after;
	uint64_t id = 0;
	enum crm_err e;

	if (w->source_id > 0) {
		crm_db_bind_str(&b[0], w->source, (size_t)-1);
		crm_db_bind_i64(&b[1], w->source_id);
		if ((e = crm_db_row(db, STMT_LABEL_BY_SOURCE, b, 2, &before)) != CRM_OK && e != CRM_ENOTFOUND)
			return e;
	}
	if (before != NULL) {
		/* Labelled before: this corrects it. */
		w->id = json_integer_value(json_object_get(before, "id"));
		crm_db_bind_str(&b[0], w->label, (size_t)-1);
		crm_db_bind_i64(&b[1], w->c->user->user_id);
		crm_db_bind_i64(&b[2], w->id);
		if ((e = crm_db_exec(db, STMT_LABEL_UPDATE, b, 3, NULL, NULL)) != CRM_OK)
			return e;
		after = json_deep_copy(before);
		json_object_set_new(after, "label", json_string(w->label));
		return crm_ctx_audit(w->c, "update", "sentiment_label", w->id, before, after);
	}
	crm_db_bind_str(&b[0], w->body, (size_t)-1);
	crm_db_bind_str(&b[1], w->label, (size_t)-1);
	crm_db_bind_str(&b[2], w->source, (size_t)-1);
	if (w->source_id > 0)
		crm_db_bind_i64(&b[3], w->source_id);
	else
		crm_db_bind_null(&b[3]);
	crm_db_bind_i64(&b[4], w->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_LABEL_INSERT, b, 5, NULL, &id)) != CRM_OK)
		return e;
	w->id = (long long)id;
	w->created = 1;
	after = json_pack("{s:s, s:s, s:s}", "body", w->body, "label", w->label, "source", w->source);
	if (w->source_id > 0)
		json_object_set_new(after, "source_id", json_integer(w->source_id));
	return crm_ctx_audit(w->c, "create", "sentiment_label", w->id, NULL, after);
}

/* POST /reports/sentiment/labels: body and label, or source, source_id
 * and label; from=sentiment returns to the sentiment page. */
int
reports_sentiment_label_create(struct crm_ctx *c)
{
	struct label_write w = { c, NULL, NULL, "seed", 0, 0, 0 };
	const char *source = crm_ctx_form_str(c, "source"), *from = crm_ctx_form_str(c, "from");
	struct crm_db_bind b[1];
	json_t *row = NULL;
	enum crm_err e;

	w.label = crm_ctx_form_str(c, "label");
	if (!crm_valid_oneof(w.label, label_names))
		crm_ctx_field_error(c, "label", N_("Choose negative, neutral or positive."));
	if (*from && strcmp(from, "sentiment") != 0)
		crm_ctx_field_error(c, "from", N_("Choose a page from the list."));
	if (*source) {
		if (!crm_valid_oneof(source, source_names))
			crm_ctx_field_error(c, "source", N_("Choose a ticket message or a satisfaction comment."));
		else if (!crm_valid_id(crm_ctx_form_str(c, "source_id"), &w.source_id))
			crm_ctx_field_error(c, "source_id", N_("Enter the number of the scored text."));
		else {
			w.source = source;
			crm_db_bind_i64(&b[0], w.source_id);
			e = crm_db_row(c->db, strcmp(source, "csat") == 0 ? STMT_LABEL_SOURCE_CSAT : STMT_LABEL_SOURCE_MESSAGE,
			    b, 1, &row);
			if (e == CRM_ENOTFOUND)
				crm_ctx_field_error(c, "source_id", N_("There is no customer text with that number."));
			else if (e != CRM_OK)
				return 500;
			else
				w.body = json_string_value(json_object_get(row, "body"));
		}
	} else {
		w.body = crm_ctx_form_str(c, "body");
		if (!crm_valid_text(w.body, 1, LABEL_BODY_MAX, 1))
			crm_ctx_field_error(c, "body", N_("Enter the text, up to 2,000 characters."));
	}
	if (crm_ctx_has_errors(c))
		return invalid(c);
	if (crm_db_tx(c->db, create_tx, &w) != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, *from ? "/reports/sentiment?done=labelled" : "/reports/sentiment/labels?done=labelled");
}

static enum crm_err
update_tx(struct crm_db *db, void *arg)
{
	struct label_write *w = arg;
	struct crm_db_bind b[3];
	json_t *before = NULL, *after;
	enum crm_err e;

	crm_db_bind_i64(&b[0], w->id);
	if ((e = crm_db_row(db, STMT_LABEL_GET, b, 1, &before)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[0], w->label, (size_t)-1);
	crm_db_bind_i64(&b[1], w->c->user->user_id);
	crm_db_bind_i64(&b[2], w->id);
	if ((e = crm_db_exec(db, STMT_LABEL_UPDATE, b, 3, NULL, NULL)) != CRM_OK)
		return e;
	after = json_deep_copy(before);
	json_object_set_new(after, "label", json_string(w->label));
	return crm_ctx_audit(w->c, "update", "sentiment_label", w->id, before, after);
}

/* POST /reports/sentiment/labels/:id: label, the corrected one. */
int
reports_sentiment_label_update(struct crm_ctx *c)
{
	struct label_write w = { c, NULL, NULL, NULL, 0, 0, 0 };
	enum crm_err e;

	if ((w.id = crm_ctx_id(c, "id")) <= 0)
		return 404;
	w.label = crm_ctx_form_str(c, "label");
	if (!crm_valid_oneof(w.label, label_names)) {
		crm_ctx_field_error(c, "label", N_("Choose negative, neutral or positive."));
		return invalid(c);
	}
	if ((e = crm_db_tx(c->db, update_tx, &w)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/reports/sentiment/labels?done=labelled");
}

static enum crm_err
delete_tx(struct crm_db *db, void *arg)
{
	struct label_write *w = arg;
	struct crm_db_bind b[1];
	json_t *before = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], w->id);
	if ((e = crm_db_row(db, STMT_LABEL_GET, b, 1, &before)) != CRM_OK ||
	    (e = crm_db_exec(db, STMT_LABEL_DELETE, b, 1, NULL, NULL)) != CRM_OK)
		return e;
	return crm_ctx_audit(w->c, "delete", "sentiment_label", w->id, before, NULL);
}

/* POST /reports/sentiment/labels/:id/delete */
int
reports_sentiment_label_delete(struct crm_ctx *c)
{
	struct label_write w = { c, NULL, NULL, NULL, 0, 0, 0 };
	enum crm_err e;

	if ((w.id = crm_ctx_id(c, "id")) <= 0)
		return 404;
	if ((e = crm_db_tx(c->db, delete_tx, &w)) == CRM_ENOTFOUND)
		return 404;
	if (e != CRM_OK)
		return 500;
	return crm_ctx_redirect(c, 303, "/reports/sentiment/labels?done=unlabelled");
}
