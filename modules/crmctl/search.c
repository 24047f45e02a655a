/* crmctl search rebuild: makes the search indexes (the customers' records'
 * and the knowledge base's) whole again from the InnoDB records: after a
 * bulk load, and nightly (a Mroonga table does not roll back with a
 * transaction, and a crash between a record's commit and its index row
 * leaves the index behind; see 006_search.sql). Searches keep working
 * meanwhile, with fewer hits until it is done. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "extern.h"

int
crmctl_search_rebuild(struct crm_db *db)
{
	static const size_t steps[] = { STMT_SEARCH_CLEAR, STMT_SEARCH_DROP_INDEX, STMT_SEARCH_CONTACTS,
		STMT_SEARCH_ACCOUNTS, STMT_SEARCH_INDEX, STMT_SEARCH_KB_CLEAR, STMT_SEARCH_KB };
	struct timespec t0, t1;
	uint64_t rows = 0, articles = 0, n;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < CRM_NELEM(steps); i++) {
		n = 0;
		if (crm_db_exec(db, steps[i], NULL, 0, &n, NULL) != CRM_OK) {
			fprintf(stderr, "crmctl: search rebuild: %s\n", crm_db_error(db));
			return 1;
		}
		if (steps[i] == STMT_SEARCH_CONTACTS || steps[i] == STMT_SEARCH_ACCOUNTS)
			rows += n;
		if (steps[i] == STMT_SEARCH_KB)
			articles = n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("search index rebuilt: %llu records and %llu articles in %.1f s\n", (unsigned long long)rows,
	    (unsigned long long)articles,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

int
crmctl_search(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	(void)conf;
	if (argc != 1 || strcmp(argv[0], "rebuild") != 0) {
		fprintf(stderr, "usage: crmctl search rebuild\n");
		return 2;
	}
	return crmctl_search_rebuild(db);
}
