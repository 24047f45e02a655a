/* The master process: holds the socket, keeps N workers, replaces crashed
 * ones with back-off, reloads on SIGHUP and stops on SIGTERM, never
 * closing the socket and never dropping a request in flight. */
#ifndef CRM_MASTER_H
#define CRM_MASTER_H

/* A worker that cannot start with this configuration exits with this
 * (sysexits' EX_CONFIG), so the master does not retry it forever. */
#define CRM_MASTER_EXIT_CONFIG 78

struct crm_master_opts {
	int listen_fd;
	long workers;
	long stop_timeout;      /* seconds */
	const char *pidfile;
	const char *unix_path;  /* removed at exit when we created it */
	int socket_mode;
	const char *user;       /* workers drop to this user */
	char **argv;            /* to exec workers from the current binary */
};

int crm_master_run(const struct crm_master_opts *);

#endif
