/* crm-marketing's commands: crm-marketing [--config FILE] <command>. */
#include <stdio.h>
#include <string.h>

#include "extern.h"

int
marketing_command(struct crm_db *db, const struct crm_conf *conf, int argc, char **argv)
{
	(void)conf;
	if (strcmp(argv[0], "jobs") == 0)
		return marketing_jobs(db, argc, argv);
	fprintf(stderr, "crm-marketing: unknown command %s\nusage: crm-marketing [--config FILE] %s\n",
	    argv[0], MARKETING_COMMAND_USAGE);
	return 2;
}
