/* crm-customers jobs: the job runner, a daemon that claims queued imports
 * one at a time (several runners may share a database: a claim skips rows
 * another has locked). crm-customers import: one file in the foreground,
 * for an admin's shell and for make bench. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crm_log.h"
#include "crm_runner.h"
#include "extern.h"
#include "import.h"
#include "search_follow.h"

static enum crm_err
claim_tx(struct crm_db *db, void *arg)
{
	long long *id = arg;
	struct crm_db_bind b[1];
	json_t *row = NULL;
	enum crm_err e;

	*id = 0;
	if ((e = crm_db_row(db, STMT_JOB_CLAIM, NULL, 0, &row)) != CRM_OK)
		return e == CRM_ENOTFOUND ? CRM_OK : e;
	*id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	crm_db_bind_i64(&b[0], *id);
	return crm_db_exec(db, STMT_JOB_START, b, 1, NULL, NULL);
}

static void
finish(struct crm_db *db, long long id, const char *status, const char *error)
{
	struct crm_db_bind b[3];

	crm_db_bind_str(&b[0], status, (size_t)-1);
	crm_db_bind_str(&b[1], error, (size_t)-1);
	crm_db_bind_i64(&b[2], id);
	if (crm_db_exec(db, STMT_JOB_FINISH, b, 3, NULL, NULL) != CRM_OK)
		crm_log(CRM_LOG_ERROR, "import %lld: cannot record its end: %s", id, crm_db_error(db));
}

/* Runs a claimed job from where it stopped. Returns 0 when it ended
 * (done, cancelled or failed), 1 when the runner is stopping. */
static int
run(struct crm_db *db, const struct crm_conf *conf, long long id, const char *path)
{
	struct import_job j;
	struct crm_db_bind b[1];
	struct crm_arena *a = crm_arena_new(4096);
	json_t *row = NULL;
	int stopping = 0;

	memset(&j, 0, sizeof(j));
	crm_db_bind_i64(&b[0], id);
	if (crm_db_row(db, STMT_JOB_LOAD, b, 1, &row) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "import %lld: cannot load it: %s", id, crm_db_error(db));
		crm_arena_free(a);
		return 0;
	}
	j.db = db;
	j.id = id;
	j.user_id = json_integer_value(json_object_get(row, "user_id"));
	j.duplicates = crm_arena_strdup(a, json_string_value(json_object_get(row, "duplicates")));
	j.country = crm_arena_strdup(a, json_string_value(json_object_get(row, "country")) ?: "");
	j.resume_after = json_integer_value(json_object_get(row, "rows_done"));
	j.mapping = json_loads(json_string_value(json_object_get(row, "mapping")) ?: "null", 0, NULL);
	json_decref(row);
	row = NULL;
	if (customers_custom_fields(db, "contact", &j.custom) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "import %lld: cannot read the custom fields: %s", id, crm_db_error(db));
		json_decref(j.mapping);
		crm_arena_free(a);
		return 0;       /* claimed: a runner takes it over after a minute */
	}
	if (crm_db_row(db, STMT_JOB_AUTOINC, NULL, 0, &row) == CRM_OK)
		j.consecutive_ids = json_integer_value(json_object_get(row, "mode")) < 2;
	json_decref(row);
	if (path == NULL)
		path = import_path(a, conf, id);
	crm_log(CRM_LOG_INFO, "import %lld: %s from row %lld", id, j.resume_after ? "resumed" : "started",
	    j.resume_after + 2);
	if (!json_is_array(j.mapping)) {
		finish(db, id, "failed", "the job has no column mapping");
	} else if (import_job_run(&j, path) == CRM_OK) {
		finish(db, id, "done", "");
		crm_log(CRM_LOG_INFO, "import %lld: done: %lld created, %lld updated, %lld skipped, %lld refused",
		    id, j.created, j.updated, j.skipped, j.failed);
	} else if (j.stop == IMPORT_STOP_CANCELLED) {
		finish(db, id, "cancelled", "");
		crm_log(CRM_LOG_INFO, "import %lld: cancelled", id);
	} else if (j.stop == IMPORT_STOP_RUNNER) {
		/* Handed back: the next runner resumes after the last batch. */
		crm_db_bind_i64(&b[0], id);
		if (crm_db_exec(db, STMT_JOB_REQUEUE, b, 1, NULL, NULL) != CRM_OK)
			crm_log(CRM_LOG_ERROR, "import %lld: cannot queue it again: %s", id, crm_db_error(db));
		stopping = 1;
	} else {
		finish(db, id, "failed", j.error);
		crm_log(CRM_LOG_ERROR, "import %lld: failed: %s", id, j.error);
	}
	/* The spool file is kept only while the job may still need it. */
	if (!stopping && strcmp(path, import_path(a, conf, id)) == 0)
		unlink(path);
	json_decref(j.mapping);
	json_decref(j.custom);
	crm_arena_free(a);
	return stopping;
}

struct jobs {
	struct crm_db *db;
	const struct crm_conf *conf;
	struct search_follow *follow;   /* NULL on one server */
	time_t pruned;
};

/* Brings every server's search index up to the log, then claims one
 * queued import and runs it; several runners may share a database. */
static enum crm_runner_pass
pass(struct crm_runner *r)
{
	struct jobs *j = r->arg;
	long long id = 0;
	time_t now = time(NULL);
	int more = j->follow != NULL && search_follow_pass(j->follow);

	/* Once a minute, or at once while a day-old bulk load is going. */
	if (now - j->pruned >= 60) {
		j->pruned = search_follow_prune(j->db) ? 0 : now;
		more |= j->pruned == 0;
	}

	if (crm_db_tx(j->db, claim_tx, &id) != CRM_OK) {
		/* The database went away: try again shortly. */
		crm_runner_fail(r, "claiming a job: %s", crm_db_error(j->db));
		return CRM_RUNNER_FAILED;
	}
	if (id == 0)
		return more ? CRM_RUNNER_BUSY : CRM_RUNNER_IDLE;
	run(j->db, j->conf, id, NULL);
	return CRM_RUNNER_BUSY;
}

static int
jobs(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	struct jobs j = { db, conf, NULL, 0 };
	struct search_follow follow;
	struct crm_runner r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.name = "import runner";
	r.pass = pass;
	r.arg = &j;
	if ((rc = crm_runner_options(&r, argc, argv)) != 0)
		return rc;
	crm_log(CRM_LOG_INFO, "import spool: %s", conf->spool);
	if (search_follow_open(&follow, conf))
		j.follow = &follow;
	rc = crm_runner_run(&r);
	search_follow_close(&follow);
	return rc;
}

static int
import_file(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "duplicates", required_argument, NULL, 'd' },
		{ "country", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char *user = NULL, *mode = "skip", *problem, *base;
	char country[8] = "";
	struct crm_db_bind b[6];
	json_t *headers = NULL, *mapping, *row = NULL, *done = NULL, *custom = NULL;
	long long rows = 0, user_id;
	uint64_t id;
	char err[200], *h, *m;
	int ch, rc = 1;
	struct timespec t0, t1;

	optind = 0;        /* 0: glibc starts afresh after the server's own parse */
	while ((ch = getopt_long(argc, argv, "u:d:c:", opts, NULL)) != -1) {
		if (ch == 'u')
			user = optarg;
		else if (ch == 'd')
			mode = optarg;
		else if (ch == 'c' && strlen(optarg) < sizeof(country))
			strcpy(country, optarg);
		else
			return 2;
	}
	if (optind != argc - 1 || user == NULL || !import_country_valid(country) || (strcmp(mode, "skip") != 0 &&
	    strcmp(mode, "update") != 0 && strcmp(mode, "create") != 0)) {
		fprintf(stderr, "usage: crm-customers import FILE --user EMAIL [--duplicates skip|update|create]"
		    " [--country CC]\n");
		return 2;
	}
	crm_db_bind_str(&b[0], user, (size_t)-1);
	if (crm_db_row(db, STMT_JOB_USER, b, 1, &row) != CRM_OK) {
		fprintf(stderr, "crm-customers: no active user %s\n", user);
		return 1;
	}
	user_id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	if (import_scan(argv[optind], &headers, &rows, err, sizeof(err)) != CRM_OK) {
		fprintf(stderr, "crm-customers: %s: %s\n", argv[optind], err);
		return 1;
	}
	if (customers_custom_fields(db, "contact", &custom) != CRM_OK) {
		fprintf(stderr, "crm-customers: cannot read the custom fields: %s\n", crm_db_error(db));
		json_decref(headers);
		return 1;
	}
	mapping = import_suggest(headers, NULL, NULL, custom);
	if ((problem = import_mapping_problem(mapping, json_array_size(headers), custom)) != NULL) {
		fprintf(stderr, "crm-customers: %s: %s (headings are matched by name, such as"
		    " Name, E-mail, Phone, Company)\n", argv[optind], problem);
		goto out;
	}
	/* The job is recorded like one from the web, already running, so a
	 * runner leaves it alone and its problems can be downloaded. */
	base = strrchr(argv[optind], '/') ? strrchr(argv[optind], '/') + 1 : argv[optind];
	h = json_dumps(headers, JSON_COMPACT);
	m = json_dumps(mapping, JSON_COMPACT);
	crm_db_bind_i64(&b[0], user_id);
	crm_db_bind_str(&b[1], base, (size_t)-1);
	crm_db_bind_i64(&b[2], 0);
	crm_db_bind_str(&b[3], h, (size_t)-1);
	crm_db_bind_i64(&b[4], rows);
	ch = crm_db_exec(db, STMT_IMPORT_CREATE, b, 5, NULL, &id) == CRM_OK;
	if (ch) {
		crm_db_bind_str(&b[0], m, (size_t)-1);
		crm_db_bind_str(&b[1], mode, (size_t)-1);
		crm_db_bind_str(&b[2], country, (size_t)-1);
		crm_db_bind_i64(&b[3], (long long)id);
		crm_db_bind_i64(&b[4], user_id);
		ch = crm_db_exec(db, STMT_IMPORT_MAP, b, 5, NULL, NULL) == CRM_OK &&
		    crm_db_exec(db, STMT_JOB_START, b + 3, 1, NULL, NULL) == CRM_OK;
	}
	import_json_text_free(h);
	import_json_text_free(m);
	if (!ch) {
		fprintf(stderr, "crm-customers: cannot record the import: %s\n", crm_db_error(db));
		goto out;
	}
	crm_runner_catch_stop();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run(db, conf, (long long)id, argv[optind]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	crm_db_bind_i64(&b[0], (long long)id);
	crm_db_bind_i64(&b[1], user_id);
	if (crm_db_row(db, STMT_IMPORT_GET, b, 2, &done) != CRM_OK)
		goto out;
	printf("import %llu: %s, %lld rows: %lld created, %lld updated, %lld skipped, %lld refused in %.1f s\n",
	    (unsigned long long)id, json_string_value(json_object_get(done, "status")), rows,
	    (long long)json_integer_value(json_object_get(done, "rows_created")),
	    (long long)json_integer_value(json_object_get(done, "rows_updated")),
	    (long long)json_integer_value(json_object_get(done, "rows_skipped")),
	    (long long)json_integer_value(json_object_get(done, "rows_failed")),
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = strcmp(json_string_value(json_object_get(done, "status")), "done") == 0 ? 0 : 1;
out:
	json_decref(done);
	json_decref(custom);
	json_decref(mapping);
	json_decref(headers);
	return rc;
}

int
customers_command(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	if (strcmp(argv[0], "jobs") == 0)
		return jobs(db, conf, argc, argv);
	if (strcmp(argv[0], "import") == 0)
		return import_file(db, conf, argc, argv);
	fprintf(stderr, "crm-customers: unknown command %s\nusage: crm-customers [--config FILE] %s\n",
	    argv[0], CUSTOMERS_COMMAND_USAGE);
	return 2;
}
