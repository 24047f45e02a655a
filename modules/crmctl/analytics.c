/* crmctl analytics: the batch side of the reports area, run by cron or a
 * timer. Each step (lib/crm_analytics.h) replaces its results in one
 * transaction; the run is recorded in analytics_runs like one the admin
 * starts from the analytics page, so that page shows cron's runs too. */
#include <stdio.h>
#include <string.h>

#include "crm_analytics.h"
#include "extern.h"

static void
print_step(const char *step, const struct crm_analytics_out *out, double seconds, void *arg)
{
	(void)arg;
	if (out->error[0] != '\0')
		fprintf(stderr, "crmctl: analytics %s: %s\n", step, out->error);
	else
		printf("%s: %s in %.1f s\n", step, out->summary, seconds);
	fflush(stdout);
}

int
crmctl_analytics_run(struct crm_db *db, const char *steps)
{
	long long run = 0;
	enum crm_err e;

	if ((e = crm_analytics_queue(db, steps, 0, &run)) == CRM_EINVAL) {
		fprintf(stderr, "crmctl: analytics: no such step in %s (crmctl analytics --list)\n", steps);
		return 2;
	}
	if (e == CRM_OK)
		e = crm_analytics_execute(db, run, print_step, NULL);
	if (e == CRM_ECONFLICT) {
		fprintf(stderr, "crmctl: analytics: another run is in progress; run %lld waits its turn"
		    " for the reports job runner\n", run);
		return 1;
	}
	if (e == CRM_EDB || e == CRM_EDBGONE)
		fprintf(stderr, "crmctl: analytics: %s\n", crm_db_error(db));
	return e == CRM_OK ? 0 : 1;
}

int
crmctl_analytics(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	char steps[200];
	size_t used = 0, len;
	int i;

	(void)conf;
	if (argc == 1 && strcmp(argv[0], "--list") == 0) {
		for (i = 0; (size_t)i < crm_analytics_nsteps; i++)
			printf("%-10s %s\n", crm_analytics_steps[i].name, crm_analytics_steps[i].what);
		return 0;
	}
	if (argc == 0 || (argc == 1 && strcmp(argv[0], "all") == 0))
		return crmctl_analytics_run(db, NULL);
	for (i = 0; i < argc; i++) {
		len = strlen(argv[i]);
		if (crm_analytics_step(argv[i]) == NULL || used + len + 2 > sizeof(steps)) {
			fprintf(stderr, "crmctl: analytics: unknown step %s\nusage: crmctl analytics [STEP ...|all|--list]\n",
			    argv[i]);
			return 2;
		}
		if (used > 0)
			steps[used++] = ',';
		memcpy(steps + used, argv[i], len + 1);
		used += len;
	}
	return crmctl_analytics_run(db, steps);
}
