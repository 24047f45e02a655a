/* What a module's job runner (crm-<module> jobs: CSV imports, the mail
 * queue) needs to behave as a daemon: stop cleanly on SIGTERM or SIGINT
 * after the work in hand, and leave a pid file for the stack and systemd. */
#ifndef CRM_RUNNER_H
#define CRM_RUNNER_H

#include <signal.h>

/* Set by SIGTERM and SIGINT once crm_runner_catch_stop has run; the
 * runner checks it between units of work. */
extern volatile sig_atomic_t crm_runner_stopping;
/* Also ignores SIGHUP, which would otherwise end the runner. */
void crm_runner_catch_stop(void);
/* Writes this process's id to path. Returns 0, or -1 after logging why. */
int crm_runner_pidfile(const char *path);

#endif
