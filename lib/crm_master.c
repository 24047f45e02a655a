/* The master loop. Workers are fork+exec'd from the binary on disk, so a
 * reload (SIGHUP) picks up a new build as well as new templates and
 * configuration. Old workers are told to stop only once every new worker
 * has reported ready; a new build that fails to start leaves the old
 * workers serving. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crm.h"
#include "crm_log.h"
#include "crm_master.h"

#define MAX_SLOTS 1024
#define RELOAD_TIMEOUT_MS 30000
#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 30000
#define SHORT_LIFE_MS 5000

struct slot {
	pid_t pid;
	unsigned gen;
	int ready;
	int ready_fd;           /* read end of the readiness pipe, or -1 */
	int retiring;
	long long started_ms;
};

struct master {
	const struct crm_master_opts *o;
	char self[4096];
	struct slot slots[MAX_SLOTS];
	size_t nslots;
	unsigned gen;           /* the generation that should be serving */
	unsigned prev_gen;      /* the one serving while a reload is under way */
	int reloading;
	long long reload_deadline;
	int stopping;
	long long stop_deadline;
	long long backoff_ms;
	long long next_spawn_ms;
	int ever_ready;
	int exit_code;
	long long started;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
find_self(struct master *m)
{
	ssize_t n = readlink("/proc/self/exe", m->self, sizeof(m->self) - 1);
	const char *del = " (deleted)";
	size_t dl = strlen(del);

	if (n <= 0)
		return -1;
	m->self[n] = '\0';
	/* Replaced on disk since we started: exec the new file at that path. */
	if ((size_t)n > dl && strcmp(m->self + n - dl, del) == 0)
		m->self[n - dl] = '\0';
	return 0;
}

static int
drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		fprintf(stderr, "no such user: %s\n", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		fprintf(stderr, "cannot become %s: %s\n", user, strerror(errno));
		return -1;
	}
	return 0;
}

/* Execs the binary on disk. CRM_WORKER_WRAPPER ("valgrind --quiet ...")
 * puts a tool in front of each worker: make valgrind runs the end-to-end
 * tests that way. */
static void
exec_self(struct master *m)
{
	const char *wrap = getenv("CRM_WORKER_WRAPPER");
	char *args[64], *copy, *tok, *save = NULL;
	size_t n = 0, i;

	if (wrap == NULL || *wrap == '\0') {
		execv(m->self, m->o->argv);
		return;
	}
	copy = crm_xstrdup(wrap);
	for (tok = strtok_r(copy, " ", &save); tok && n < 32; tok = strtok_r(NULL, " ", &save))
		args[n++] = tok;
	args[n++] = m->self;
	for (i = 1; m->o->argv[i] && n < CRM_NELEM(args) - 1; i++)
		args[n++] = m->o->argv[i];
	args[n] = NULL;
	execvp(args[0], args);
}

static CRM_NORETURN void
exec_worker(struct master *m, int ready_w)
{
	char buf[32];
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A worker must not outlive its master. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (m->o->user && getuid() == 0 && drop_privileges(m->o->user) != 0)
		_exit(CRM_MASTER_EXIT_CONFIG);
	fcntl(m->o->listen_fd, F_SETFD, 0);
	fcntl(ready_w, F_SETFD, 0);
	snprintf(buf, sizeof(buf), "%d", m->o->listen_fd);
	setenv("CRM_WORKER_FD", buf, 1);
	snprintf(buf, sizeof(buf), "%d", ready_w);
	setenv("CRM_READY_FD", buf, 1);
	snprintf(buf, sizeof(buf), "%lld", m->started);
	setenv("CRM_MASTER_START", buf, 1);
	snprintf(buf, sizeof(buf), "%ld", m->o->workers);
	setenv("CRM_WORKERS", buf, 1);
	exec_self(m);
	fprintf(stderr, "exec %s: %s\n", m->self, strerror(errno));
	_exit(127);
}

static void
spawn(struct master *m)
{
	struct slot *s;
	int p[2];
	pid_t pid;

	if (m->nslots == MAX_SLOTS)
		return;
	if (pipe2(p, O_CLOEXEC) != 0) {
		crm_log(CRM_LOG_ERROR, "pipe: %s", strerror(errno));
		return;
	}
	if ((pid = fork()) < 0) {
		crm_log(CRM_LOG_ERROR, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		exec_worker(m, p[1]);
	}
	close(p[1]);
	s = &m->slots[m->nslots++];
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->gen = m->gen;
	s->ready_fd = p[0];
	s->started_ms = now_ms();
}

static size_t
count_gen(const struct master *m, unsigned gen, int ready_only)
{
	size_t i, n = 0;

	for (i = 0; i < m->nslots; i++)
		if (m->slots[i].gen == gen && (!ready_only || m->slots[i].ready))
			n++;
	return n;
}

static void
signal_where(struct master *m, int sig, int (*pick)(const struct master *, const struct slot *))
{
	size_t i;

	for (i = 0; i < m->nslots; i++)
		if (pick(m, &m->slots[i]))
			kill(m->slots[i].pid, sig);
}

static int
pick_older(const struct master *m, const struct slot *s)
{
	return s->gen != m->gen;
}

static int
pick_current(const struct master *m, const struct slot *s)
{
	return s->gen == m->gen;
}

static int
pick_all(const struct master *m, const struct slot *s)
{
	(void)m;
	(void)s;
	return 1;
}

static void
retire_older(struct master *m)
{
	size_t i;

	for (i = 0; i < m->nslots; i++)
		if (m->slots[i].gen != m->gen)
			m->slots[i].retiring = 1;
	signal_where(m, SIGTERM, pick_older);
	if (m->reloading)
		crm_log(CRM_LOG_INFO, "reload: generation %u serving; old workers finishing", m->gen);
	m->reloading = 0;
}

static void
abort_reload(struct master *m, const char *why)
{
	crm_log(CRM_LOG_ERROR, "reload failed (%s): the previous workers keep serving", why);
	signal_where(m, SIGTERM, pick_current);
	m->gen = m->prev_gen;
	m->reloading = 0;
}

static void
start_stop(struct master *m)
{
	if (m->stopping)
		return;
	m->stopping = 1;
	m->stop_deadline = now_ms() + m->o->stop_timeout * 1000;
	signal_where(m, SIGTERM, pick_all);
}

static void
reaped(struct master *m, size_t i, int status)
{
	struct slot s = m->slots[i];
	long long lived = now_ms() - s.started_ms;
	int config_exit = WIFEXITED(status) && WEXITSTATUS(status) == CRM_MASTER_EXIT_CONFIG;

	if (s.ready_fd >= 0)
		close(s.ready_fd);
	m->slots[i] = m->slots[--m->nslots];
	if (m->stopping || s.retiring || s.gen != m->gen)
		return;
	if (WIFSIGNALED(status))
		crm_log(CRM_LOG_ERROR, "worker %d killed by signal %d", (int)s.pid, WTERMSIG(status));
	else
		crm_log(CRM_LOG_ERROR, "worker %d exited with status %d", (int)s.pid,
		    WEXITSTATUS(status));
	if (!s.ready && config_exit) {
		if (m->reloading) {
			abort_reload(m, "a new worker could not start");
			return;
		}
		if (!m->ever_ready) {
			crm_log(CRM_LOG_ERROR, "workers cannot start; stopping");
			m->exit_code = CRM_MASTER_EXIT_CONFIG;
			start_stop(m);
			return;
		}
	}
	if (lived < SHORT_LIFE_MS)
		m->backoff_ms = m->backoff_ms ? m->backoff_ms * 2 : BACKOFF_FIRST_MS;
	else
		m->backoff_ms = 0;
	if (m->backoff_ms > BACKOFF_MAX_MS)
		m->backoff_ms = BACKOFF_MAX_MS;
	m->next_spawn_ms = now_ms() + m->backoff_ms;
}

static void
reap_all(struct master *m)
{
	int status;
	pid_t pid;
	size_t i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (i = 0; i < m->nslots; i++)
			if (m->slots[i].pid == pid) {
				reaped(m, i, status);
				break;
			}
}

static void
read_ready(struct master *m, int fd)
{
	size_t i;
	char c;

	for (i = 0; i < m->nslots; i++) {
		struct slot *s = &m->slots[i];

		if (s->ready_fd != fd)
			continue;
		if (read(fd, &c, 1) == 1) {
			s->ready = 1;
			m->ever_ready = 1;
		}
		close(fd);
		s->ready_fd = -1;
	}
	if (m->reloading && count_gen(m, m->gen, 1) >= (size_t)m->o->workers)
		retire_older(m);
}

static void
on_signal(struct master *m, int sig)
{
	switch (sig) {
	case SIGCHLD:
		reap_all(m);
		break;
	case SIGHUP:
		if (m->stopping)
			break;
		crm_log(CRM_LOG_INFO, "reload: starting generation %u", m->gen + 1);
		if (!m->reloading)
			m->prev_gen = m->gen;
		else
			signal_where(m, SIGTERM, pick_current);
		m->gen++;
		m->reloading = 1;
		m->reload_deadline = now_ms() + RELOAD_TIMEOUT_MS;
		m->next_spawn_ms = 0;
		m->backoff_ms = 0;
		break;
	default:
		crm_log(CRM_LOG_INFO, "stopping: workers finish their requests");
		start_stop(m);
	}
}

static int
write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f);
}

int
crm_master_run(const struct crm_master_opts *o)
{
	static struct master m;
	struct pollfd pfd[MAX_SLOTS + 1];
	sigset_t set;
	int sfd;

	memset(&m, 0, sizeof(m));
	m.o = o;
	m.gen = 1;
	m.started = (long long)time(NULL);
	if (find_self(&m) != 0) {
		crm_log(CRM_LOG_ERROR, "cannot find my own binary: %s", strerror(errno));
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0) {
		crm_log(CRM_LOG_ERROR, "signalfd: %s", strerror(errno));
		return 1;
	}
	if (o->pidfile && write_pidfile(o->pidfile) != 0) {
		crm_log(CRM_LOG_ERROR, "%s: %s", o->pidfile, strerror(errno));
		return 1;
	}
	crm_log(CRM_LOG_INFO, "master %d: %ld workers from %s", (int)getpid(), o->workers, m.self);

	for (;;) {
		long long now = now_ms(), timeout = 1000;
		struct signalfd_siginfo si;
		size_t i, n = 0, want = (size_t)o->workers;

		if (m.stopping) {
			if (m.nslots == 0)
				break;
			if (now >= m.stop_deadline) {
				crm_log(CRM_LOG_WARN, "workers did not stop in time; killing them");
				signal_where(&m, SIGKILL, pick_all);
				m.stop_deadline = now + 1000;
			}
		} else {
			if (m.reloading && now >= m.reload_deadline)
				abort_reload(&m, "new workers were not ready in time");
			if (count_gen(&m, m.gen, 0) < want && now >= m.next_spawn_ms)
				while (count_gen(&m, m.gen, 0) < want && m.nslots < MAX_SLOTS)
					spawn(&m);
			if (count_gen(&m, m.gen, 0) < want)
				timeout = m.next_spawn_ms - now;
		}

		pfd[n].fd = sfd;
		pfd[n++].events = POLLIN;
		for (i = 0; i < m.nslots; i++)
			if (m.slots[i].ready_fd >= 0) {
				pfd[n].fd = m.slots[i].ready_fd;
				pfd[n++].events = POLLIN;
			}
		if (timeout < 0)
			timeout = 0;
		if (poll(pfd, n, (int)timeout) < 0 && errno != EINTR)
			crm_log(CRM_LOG_ERROR, "poll: %s", strerror(errno));
		for (i = 1; i < n; i++)
			if (pfd[i].revents)
				read_ready(&m, pfd[i].fd);
		if (pfd[0].revents & POLLIN)
			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				on_signal(&m, (int)si.ssi_signo);
				/* One read per wakeup keeps the loop simple; the
				 * descriptor stays readable if more are queued. */
				break;
			}
	}
	if (o->unix_path)
		unlink(o->unix_path);
	if (o->pidfile)
		unlink(o->pidfile);
	crm_log(CRM_LOG_INFO, "master %d stopped", (int)getpid());
	return m.exit_code;
}
