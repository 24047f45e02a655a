/* The import job: reads the file, and writes each batch of rows in one
 * transaction with the job's progress, so a stopped runner resumes after the
 * last whole batch and a cancel never leaves half of one. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "crm_audit.h"
#include "crm_runner.h"
#include "crm_csv.h"
#include "crm_i18n.h"
#include "crm_log.h"
#include "extern.h"
#include "import.h"



struct seen {
	long long id, account_id;
	const char *email, *phone, *mobile, *name;
};

/* A row's custom values ({"cf_<id>": value}, none empty). */
static enum crm_err
put_custom(struct import_job *j, long long id, json_t *values)
{
	const char *key;
	json_t *v;
	enum crm_err e;

	json_object_foreach(values, key, v)
		if ((e = customers_custom_put(j->db, "contact", id, import_custom_field(j->custom, key),
		    json_string_value(v))) != CRM_OK)
			return e;
	return CRM_OK;
}

/* What happens to one row of a batch. */
enum fate { FATE_REFUSED, FATE_CREATE, FATE_UPDATE, FATE_SKIP };

static void
outcome_reset(struct import_outcome *o)
{
	json_decref(o->updated_ids);
	json_decref(o->created_ids);
	json_decref(o->new_accounts);
	memset(o, 0, sizeof(*o));
	o->updated_ids = json_array();
	o->created_ids = json_array();
	o->new_accounts = json_object();
}

static const char *
str_or_null(const char *s)
{
	return s != NULL && *s ? s : NULL;
}

/* The account named in the row: known, found, or created for the importer. */
static enum crm_err
account_for(struct import_job *j, struct import_outcome *o, const char *name, long long *id)
{
	struct crm_db_bind b[13];
	json_t *row = NULL, *known;
	uint64_t new_id;
	enum crm_err e;
	size_t i;

	*id = 0;
	if (*name == '\0')
		return CRM_OK;
	if ((known = json_object_get(j->accounts, name)) != NULL ||
	    (known = json_object_get(o->new_accounts, name)) != NULL) {
		*id = json_integer_value(known);
		return CRM_OK;
	}
	crm_db_bind_str(&b[0], name, (size_t)-1);
	e = crm_db_row(j->db, STMT_JOB_ACCOUNT, b, 1, &row);
	if (e == CRM_OK) {
		*id = json_integer_value(json_object_get(row, "id"));
		json_decref(row);
		json_object_set_new(j->accounts, name, json_integer(*id));
		return CRM_OK;
	}
	if (e != CRM_ENOTFOUND)
		return e;
	for (i = 1; i < 12; i++)
		crm_db_bind_str(&b[i], "", 0);
	crm_db_bind_null(&b[10]);       /* annual revenue */
	crm_db_bind_null(&b[11]);       /* notes */
	crm_db_bind_i64(&b[12], j->user_id);
	if ((e = crm_db_exec(j->db, STMT_ACCOUNT_CREATE, b, 13, NULL, &new_id)) != CRM_OK ||
	    (e = customers_count_add(j->db, "account", 1)) != CRM_OK)
		return e;
	*id = (long long)new_id;
	json_object_set_new(o->new_accounts, name, json_integer(*id));
	return CRM_OK;
}

static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && *a && strcmp(a, b) == 0;
}

static int
duplicates(const struct seen *s, const struct crm_contact_form *f)
{
	return same(s->email, f->email_norm) ||
	    same(s->phone, f->phone_e164) || same(s->phone, f->mobile_e164) ||
	    same(s->mobile, f->phone_e164) || same(s->mobile, f->mobile_e164) ||
	    (f->account_id && s->account_id == f->account_id && s->name != NULL &&
	    strcasecmp(s->name, f->full) == 0);
}

/* The live contacts any row of the batch may duplicate, in one query. */
static enum crm_err
existing(struct import_job *j, struct crm_contact_form *f, const enum fate *fate, size_t n,
    struct seen **out, size_t *nout)
{
	struct crm_db_bind *b = crm_arena_calloc(j->arena, 700, sizeof(*b));
	json_t *rows = NULL, *r;
	enum crm_err e;
	size_t i;

	for (i = 0; i < 700; i++)
		crm_db_bind_null(&b[i]);
	for (i = 0; i < n; i++) {
		if (fate[i] != FATE_CREATE)
			continue;
		crm_db_bind_str(&b[i], str_or_null(f[i].email_norm), (size_t)-1);
		crm_db_bind_str(&b[100 + i], str_or_null(f[i].phone_e164), (size_t)-1);
		crm_db_bind_str(&b[200 + i], str_or_null(f[i].mobile_e164), (size_t)-1);
		crm_db_bind_str(&b[300 + i], str_or_null(f[i].phone_e164), (size_t)-1);
		crm_db_bind_str(&b[400 + i], str_or_null(f[i].mobile_e164), (size_t)-1);
		if (f[i].account_id) {
			crm_db_bind_i64(&b[500 + i], f[i].account_id);
			crm_db_bind_str(&b[600 + i], f[i].full, (size_t)-1);
		}
	}
	if ((e = crm_db_rows(j->db, STMT_JOB_DUPLICATES, b, 700, &rows)) != CRM_OK)
		return e;
	*nout = json_array_size(rows);
	*out = crm_arena_calloc(j->arena, *nout + 1, sizeof(**out));
	json_array_foreach(rows, i, r) {
		struct seen *s = &(*out)[i];

		s->id = json_integer_value(json_object_get(r, "id"));
		s->account_id = json_integer_value(json_object_get(r, "account_id"));
		s->email = crm_arena_strdup(j->arena, json_string_value(json_object_get(r, "email_norm")) ?: "");
		s->phone = crm_arena_strdup(j->arena, json_string_value(json_object_get(r, "phone_e164")) ?: "");
		s->mobile = crm_arena_strdup(j->arena, json_string_value(json_object_get(r, "mobile_e164")) ?: "");
		s->name = crm_arena_strdup(j->arena, json_string_value(json_object_get(r, "full_name")) ?: "");
	}
	json_decref(rows);
	return CRM_OK;
}

static enum crm_err
problem(struct import_job *j, const struct import_row *r, json_t *problems, long long duplicate_of)
{
	struct crm_db_bind b[5];
	json_t *raw = json_array();
	char *p, *rs;
	enum crm_err e;
	size_t i;

	for (i = 0; i < r->nfields; i++)
		json_array_append_new(raw, json_string(r->fields[i]));
	p = json_dumps(problems, JSON_COMPACT);
	rs = json_dumps(raw, JSON_COMPACT);
	crm_db_bind_i64(&b[0], j->id);
	crm_db_bind_i64(&b[1], r->line);
	crm_db_bind_str(&b[2], p, (size_t)-1);
	if (duplicate_of)
		crm_db_bind_i64(&b[3], duplicate_of);
	else
		crm_db_bind_null(&b[3]);
	crm_db_bind_str(&b[4], rs, (size_t)-1);
	e = crm_db_exec(j->db, STMT_JOB_PROBLEM, b, 5, NULL, NULL);
	import_json_text_free(p);
	import_json_text_free(rs);
	json_decref(raw);
	return e;
}

static enum crm_err
update_contact(struct import_job *j, long long id, const struct crm_contact_form *f, int has_consent_email,
    int has_consent_phone)
{
	struct crm_db_bind b[20];

	if (f->account_id)
		crm_db_bind_i64(&b[0], f->account_id);
	else
		crm_db_bind_null(&b[0]);
	crm_db_bind_str(&b[1], f->title, (size_t)-1);
	crm_db_bind_str(&b[2], f->email, (size_t)-1);
	crm_db_bind_str(&b[3], f->email_norm, (size_t)-1);
	crm_db_bind_str(&b[4], f->email2, (size_t)-1);
	crm_db_bind_str(&b[5], f->phone, (size_t)-1);
	crm_db_bind_str(&b[6], f->phone_e164, (size_t)-1);
	crm_db_bind_str(&b[7], f->mobile, (size_t)-1);
	crm_db_bind_str(&b[8], f->mobile_e164, (size_t)-1);
	crm_db_bind_str(&b[9], f->street, (size_t)-1);
	crm_db_bind_str(&b[10], f->city, (size_t)-1);
	crm_db_bind_str(&b[11], f->region, (size_t)-1);
	crm_db_bind_str(&b[12], f->postcode, (size_t)-1);
	crm_db_bind_str(&b[13], f->country, (size_t)-1);
	crm_db_bind_str(&b[14], str_or_null(f->birthday), (size_t)-1);
	crm_db_bind_str(&b[15], f->source, (size_t)-1);
	if (has_consent_email)
		crm_db_bind_i64(&b[16], f->consent_email);
	else
		crm_db_bind_null(&b[16]);
	if (has_consent_phone)
		crm_db_bind_i64(&b[17], f->consent_phone);
	else
		crm_db_bind_null(&b[17]);
	crm_db_bind_str(&b[18], f->notes, (size_t)-1);
	crm_db_bind_i64(&b[19], id);
	return crm_db_exec(j->db, STMT_JOB_CONTACT_UPDATE, b, 20, NULL, NULL);
}

static int
mapped(const struct import_job *j, const char *field)
{
	size_t i;

	for (i = 0; i < json_array_size(j->mapping); i++)
		if (strcmp(json_string_value(json_array_get(j->mapping, i)), field) == 0)
			return 1;
	return 0;
}

/* Inserts rows[0..n-1] with one multi-row INSERT of `per` rows (stmt). */
static enum crm_err
insert_many(struct import_job *j, size_t stmt, size_t per, struct crm_contact_form **rows, long long *ids)
{
	struct crm_db_bind *b = crm_arena_calloc(j->arena, per * (CRM_CONTACT_BINDS + 1), sizeof(*b));
	uint64_t id;
	enum crm_err e;
	size_t k;

	for (k = 0; k < per; k++) {
		crm_contact_bind(b + k * (CRM_CONTACT_BINDS + 1), rows[k]);
		crm_db_bind_i64(&b[k * (CRM_CONTACT_BINDS + 1) + CRM_CONTACT_BINDS], j->user_id);
	}
	if ((e = crm_db_exec(j->db, stmt, b, per * (CRM_CONTACT_BINDS + 1), NULL, &id)) != CRM_OK)
		return e;
	for (k = 0; k < per; k++)
		ids[k] = (long long)id + (long long)k;
	return CRM_OK;
}

/* Inserts the rows to create: 100 or 10 rows a statement while the server
 * hands out consecutive ids (innodb_autoinc_lock_mode 0 or 1), the rest
 * one by one. ids[k] gets each row's id. */
static enum crm_err
insert_contacts(struct import_job *j, struct crm_contact_form **rows, size_t n, long long *ids)
{
	struct crm_db_bind b[CRM_CONTACT_BINDS + 1];
	uint64_t id;
	enum crm_err e;
	size_t k = 0;

	for (; j->consecutive_ids && n - k >= IMPORT_BATCH; k += IMPORT_BATCH)
		if ((e = insert_many(j, STMT_JOB_CONTACTS_INSERT, IMPORT_BATCH, rows + k, ids + k)) != CRM_OK)
			return e;
	for (; j->consecutive_ids && n - k >= 10; k += 10)
		if ((e = insert_many(j, STMT_JOB_CONTACTS_INSERT10, 10, rows + k, ids + k)) != CRM_OK)
			return e;
	for (; k < n; k++) {
		crm_contact_bind(b, rows[k]);
		crm_db_bind_i64(&b[CRM_CONTACT_BINDS], j->user_id);
		if ((e = crm_db_exec(j->db, STMT_CONTACT_CREATE, b, CRM_CONTACT_BINDS + 1, NULL, &id)) != CRM_OK)
			return e;
		ids[k] = (long long)id;
	}
	return CRM_OK;
}

/* One batch: every row checked, duplicates looked up once, each row given
 * its fate, the new ones inserted together; progress and the audit row
 * commit with them. */
static enum crm_err
batch_tx(struct crm_db *db, void *arg)
{
	struct import_job *j = arg;
	struct import_outcome *o = &j->outcome;
	struct crm_contact_form *f = crm_arena_calloc(j->arena, j->n, sizeof(*f));
	struct crm_contact_form **creates = crm_arena_calloc(j->arena, j->n, sizeof(*creates));
	enum fate *fate = crm_arena_calloc(j->arena, j->n, sizeof(*fate));
	long long *dup = crm_arena_calloc(j->arena, j->n, sizeof(*dup));
	/* A duplicate of an earlier row of the batch: that row's index + 1. */
	size_t *dup_row = crm_arena_calloc(j->arena, j->n, sizeof(*dup_row));
	size_t *create_at = crm_arena_calloc(j->arena, j->n, sizeof(*create_at));
	long long *ids = crm_arena_calloc(j->arena, j->n, sizeof(*ids));
	struct seen *old = NULL, *batch = crm_arena_calloc(j->arena, j->n, sizeof(*batch));
	size_t *batch_row = crm_arena_calloc(j->arena, j->n, sizeof(*batch_row));
	size_t nold = 0, nbatch = 0, ncreate = 0, i, k;
	struct crm_audit_actor actor = { j->user_id, "", 0 };
	int dedupe = strcmp(j->duplicates, "create") != 0;
	enum crm_err e;
	json_t **problems = crm_arena_calloc(j->arena, j->n, sizeof(*problems)), *after;
	json_t **custom = crm_arena_calloc(j->arena, j->n, sizeof(*custom));

	(void)db;
	outcome_reset(o);
	for (i = 0; i < j->n; i++) {
		problems[i] = json_array();
		custom[i] = json_object();
		fate[i] = FATE_REFUSED;
		if (import_row_read(j->arena, j->mapping, j->country, j->custom, j->rows[i].fields,
		    j->rows[i].nfields, &f[i], problems[i], custom[i]) == 0) {
			if ((e = account_for(j, o, f[i].account, &f[i].account_id)) != CRM_OK)
				goto out;
			fate[i] = FATE_CREATE;
		}
	}
	if (dedupe && (e = existing(j, f, fate, j->n, &old, &nold)) != CRM_OK)
		goto out;
	for (i = 0; i < j->n; i++) {
		if (fate[i] == FATE_REFUSED)
			continue;
		for (k = 0; dedupe && k < nold && !dup[i]; k++)
			if (duplicates(&old[k], &f[i]))
				dup[i] = old[k].id;
		for (k = 0; dedupe && k < nbatch && !dup[i] && !dup_row[i]; k++)
			if (duplicates(&batch[k], &f[i]))
				dup_row[i] = batch_row[k] + 1;
		if (dup[i] || dup_row[i]) {
			fate[i] = strcmp(j->duplicates, "skip") == 0 ? FATE_SKIP : FATE_UPDATE;
			continue;
		}
		create_at[i] = ncreate;
		creates[ncreate++] = &f[i];
		batch_row[nbatch] = i;
		batch[nbatch++] = (struct seen){ 0, f[i].account_id, f[i].email_norm, f[i].phone_e164,
		    f[i].mobile_e164, f[i].full };
	}
	if (ncreate && (e = insert_contacts(j, creates, ncreate, ids)) != CRM_OK)
		goto out;
	for (i = 0; i < j->n; i++) {
		long long of = dup[i] ? dup[i] : dup_row[i] ? ids[create_at[dup_row[i] - 1]] : 0;

		switch (fate[i]) {
		case FATE_REFUSED:
			o->failed++;
			if ((e = problem(j, &j->rows[i], problems[i], 0)) != CRM_OK)
				goto out;
			break;
		case FATE_SKIP:
			o->skipped++;
			json_array_append_new(problems[i], json_pack("[ss]", "",
			    N_("A contact with this e-mail, phone or name is already there.")));
			if ((e = problem(j, &j->rows[i], problems[i], of)) != CRM_OK)
				goto out;
			break;
		case FATE_UPDATE:
			if ((e = update_contact(j, of, &f[i], mapped(j, "consent_email"),
			    mapped(j, "consent_phone"))) != CRM_OK ||
			    (e = crm_tags_add(j->db, "contact", of, f[i].tags)) != CRM_OK ||
			    (e = put_custom(j, of, custom[i])) != CRM_OK)
				goto out;
			o->updated++;
			json_array_append_new(o->updated_ids, json_integer(of));
			break;
		case FATE_CREATE: {
			long long id = ids[create_at[i]];

			if ((*f[i].tags && (e = crm_tags_add(j->db, "contact", id, f[i].tags)) != CRM_OK) ||
			    (e = put_custom(j, id, custom[i])) != CRM_OK)
				goto out;
			o->created++;
			if (o->first_id == 0)
				o->first_id = id;
			o->last_id = id;
			json_array_append_new(o->created_ids, json_integer(id));
			break;
		}
		}
	}
	{
		struct crm_db_bind b[6];

		crm_db_bind_i64(&b[0], j->rows_read);
		crm_db_bind_i64(&b[1], o->created);
		crm_db_bind_i64(&b[2], o->updated);
		crm_db_bind_i64(&b[3], o->skipped);
		crm_db_bind_i64(&b[4], o->failed);
		crm_db_bind_i64(&b[5], j->id);
		if ((e = crm_db_exec(j->db, STMT_JOB_PROGRESS, b, 6, NULL, NULL)) != CRM_OK ||
		    (o->created && (e = customers_count_add(j->db, "contact", o->created)) != CRM_OK))
			goto out;
	}
	after = json_pack("{s:I,s:I,s:O,s:O,s:I,s:I}", "from_row", (json_int_t)j->rows[0].line,
	    "to_row", (json_int_t)j->rows[j->n - 1].line, "created", o->created_ids,
	    "updated", o->updated_ids, "skipped", (json_int_t)o->skipped, "failed", (json_int_t)o->failed);
	e = crm_audit_write(j->db, &actor, "import", "import", j->id, NULL, after);
	json_decref(after);
out:
	for (i = 0; i < j->n; i++) {
		json_decref(problems[i]);
		json_decref(custom[i]);
	}
	return e;
}

/* After the commit: the search index (Mroonga is not transactional) and
 * the account names learnt. */
static void
after_commit(struct import_job *j)
{
	struct import_outcome *o = &j->outcome;
	struct crm_db_bind b[2];
	const char *name;
	json_t *v;
	size_t i;

	if (o->created) {
		crm_db_bind_i64(&b[0], o->first_id);
		crm_db_bind_i64(&b[1], o->last_id);
		if (crm_db_exec(j->db, STMT_SEARCH_PUT_CONTACT_RANGE, b, 2, NULL, NULL) != CRM_OK)
			crm_log(CRM_LOG_WARN, "import %lld: search index: %s", j->id, crm_db_error(j->db));
	}
	json_array_foreach(o->updated_ids, i, v) {
		crm_db_bind_i64(&b[0], json_integer_value(v));
		if (crm_db_exec(j->db, STMT_SEARCH_PUT_CONTACT, b, 1, NULL, NULL) != CRM_OK)
			crm_log(CRM_LOG_WARN, "import %lld: search index: %s", j->id, crm_db_error(j->db));
	}
	json_object_foreach(o->new_accounts, name, v) {
		crm_db_bind_i64(&b[0], json_integer_value(v));
		if (crm_db_exec(j->db, STMT_SEARCH_PUT_ACCOUNT, b, 1, NULL, NULL) != CRM_OK)
			crm_log(CRM_LOG_WARN, "import %lld: search index: %s", j->id, crm_db_error(j->db));
	}
	json_object_update(j->accounts, o->new_accounts);
	j->created += o->created;
	j->updated += o->updated;
	j->skipped += o->skipped;
	j->failed += o->failed;
}

/* Before each batch: has the user cancelled, or is the runner stopping? */
static int
should_stop(struct import_job *j)
{
	struct crm_db_bind b[1];
	json_t *row = NULL;
	const char *status;
	int stop = 0;

	if (crm_runner_stopping) {
		j->stop = IMPORT_STOP_RUNNER;
		return 1;
	}
	crm_db_bind_i64(&b[0], j->id);
	if (crm_db_row(j->db, STMT_JOB_STATUS, b, 1, &row) != CRM_OK) {
		snprintf(j->error, sizeof(j->error), "reading the job: %s", crm_db_error(j->db));
		j->stop = IMPORT_STOP_FAILED;
		return 1;
	}
	status = json_string_value(json_object_get(row, "status"));
	if (status != NULL && strcmp(status, "cancelling") == 0) {
		j->stop = IMPORT_STOP_CANCELLED;
		stop = 1;
	}
	json_decref(row);
	return stop;
}

static int
flush(struct import_job *j)
{
	if (j->n == 0)
		return 0;
	if (should_stop(j))
		return 1;
	if (crm_db_tx(j->db, batch_tx, j) != CRM_OK) {
		snprintf(j->error, sizeof(j->error), "rows %lld to %lld: %s", j->rows[0].line,
		    j->rows[j->n - 1].line, crm_db_error(j->db));
		j->stop = IMPORT_STOP_FAILED;
		return 1;
	}
	after_commit(j);
	j->n = 0;
	crm_arena_reset(j->arena);
	return 0;
}

static int
on_row(void *arg, size_t row_no, char **fields, size_t nfields)
{
	struct import_job *j = arg;
	struct import_row *r;
	size_t i;

	if (row_no == 1)
		return 0;       /* the headings */
	if (++j->rows_read <= j->resume_after)
		return 0;
	r = &j->rows[j->n++];
	r->line = (long long)row_no;
	r->nfields = nfields;
	r->fields = crm_arena_calloc(j->arena, nfields + 1, sizeof(char *));
	for (i = 0; i < nfields; i++)
		r->fields[i] = crm_arena_strdup(j->arena, fields[i]);
	if (j->n == IMPORT_BATCH)
		return flush(j);
	return 0;
}

enum crm_err
import_job_run(struct import_job *j, const char *path)
{
	char err[200];
	enum crm_err e;

	j->arena = crm_arena_new(64 * 1024);
	j->accounts = json_object();
	j->rows_read = 0;
	e = crm_csv_read_file(path, on_row, j, IMPORT_MAX_COLUMNS, IMPORT_MAX_FIELD, err, sizeof(err));
	if (e != CRM_OK && j->stop == 0) {
		snprintf(j->error, sizeof(j->error), "%s", err);
		j->stop = IMPORT_STOP_FAILED;
	}
	if (j->stop == 0)
		flush(j);
	outcome_reset(&j->outcome);
	json_decref(j->outcome.updated_ids);
	json_decref(j->outcome.created_ids);
	json_decref(j->outcome.new_accounts);
	json_decref(j->accounts);
	crm_arena_free(j->arena);
	return j->stop == 0 ? CRM_OK : CRM_EIO;
}
