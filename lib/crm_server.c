/* Command line, CGI mode and the worker loop. The master lives in
 * crm_master.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

#include "crm_ldap.h"
#include "crm_listen.h"
#include "crm_log.h"
#include "crm_master.h"
#include "crm_perm.h"
#include "crm_server.h"

extern char **environ;

static volatile sig_atomic_t worker_stop;
static int worker_listen_fd = -1;
static int worker_dummy_fd = -1;

/* SIGTERM in a worker: finish the request in hand, accept no other. The
 * listening descriptor is swapped for a socket that is not listening, so
 * an accept() that has not begun yet fails at once instead of waiting for
 * one more connection: the trick php-fpm uses. The handler restarts what
 * it interrupts (SA_RESTART): an accept() under way starts again on the
 * swapped descriptor and fails; a read of a request just accepted, of the
 * database or a write of the answer goes on. Without it, a reload that
 * came while libfcgi read a new request's first record dropped that
 * request (nginx: "Broken pipe while sending request to upstream"). */
static void
on_worker_term(int sig)
{
	int saved = errno;

	(void)sig;
	worker_stop = 1;
	if (worker_listen_fd >= 0 && worker_dummy_fd >= 0)
		dup2(worker_dummy_fd, worker_listen_fd);
	errno = saved;
}

static long
fcgi_read(void *arg, char *buf, size_t n)
{
	FCGX_Request *r = arg;

	return FCGX_GetStr(buf, (int)n, r->in);
}

static int
fcgi_write(void *arg, const char *buf, size_t n)
{
	FCGX_Request *r = arg;

	return FCGX_PutStr(buf, (int)n, r->out) == (int)n ? 0 : -1;
}

static long
cgi_read(void *arg, char *buf, size_t n)
{
	ssize_t got;

	(void)arg;
	do
		got = read(STDIN_FILENO, buf, n);
	while (got < 0 && errno == EINTR);
	return (long)got;
}

static int
cgi_write(void *arg, const char *buf, size_t n)
{
	ssize_t w;

	(void)arg;
	while (n > 0) {
		if ((w = write(STDOUT_FILENO, buf, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
worker_templates_free(struct crm_worker *w)
{
	size_t i;

	for (i = 0; i < w->nlangs; i++)
		if (w->tmpl_lang[i] != w->tmpl)
			crm_tmpl_set_free(w->tmpl_lang[i]);
	crm_tmpl_set_free(w->tmpl);
	crm_i18n_free(w->i18n);
	w->tmpl = NULL;
	w->i18n = NULL;
	w->nlangs = 0;
}

/* The catalogs, then the templates compiled once per language: a {{_ x}}
 * tag is translated at compile time and costs nothing per request. */
static int
load_templates(struct crm_worker *w, const struct crm_conf *conf, char *err, size_t errlen)
{
	struct crm_ldap_config lc = { conf->ldap_uri, conf->ldap_user_dn, conf->ldap_group_base,
	    conf->ldap_group_filter, conf->ldap_role_map, conf->ldap_timeout };
	char why[400];
	size_t i, n;

	/* A bad [ldap] section is found at start, not at the first sign-in. */
	if (crm_ldap_config_check(&lc, why, sizeof(why)) != CRM_OK) {
		snprintf(err, errlen, "[ldap]: %s", why);
		return -1;
	}

	if (crm_i18n_load(&w->i18n, conf->locales, why, sizeof(why)) != CRM_OK) {
		snprintf(err, errlen, "translations: %s", why);
		return -1;
	}
	n = crm_i18n_languages(w->i18n, w->langs, CRM_MAX_LANGS);
	w->nlangs = n < CRM_MAX_LANGS ? n : CRM_MAX_LANGS;
	for (i = 0; i < w->nlangs; i++) {
		struct crm_tmpl_set *t = crm_tmpl_set_new();
		const struct crm_i18n_catalog *cat = crm_i18n_catalog(w->i18n, w->langs[i]);

		if (cat != NULL)
			crm_tmpl_set_translator(t, crm_i18n_tmpl_translator, (void *)cat);
		w->tmpl_lang[i] = t;
		if (cat == NULL && w->tmpl == NULL)
			w->tmpl = t;
		if (crm_tmpl_set_load_dir(t, conf->templates, why, sizeof(why)) != CRM_OK) {
			snprintf(err, errlen, "templates (%s): %s", w->langs[i], why);
			return -1;
		}
	}
	if (w->tmpl == NULL) {
		snprintf(err, errlen, "templates: no English set");
		return -1;
	}
	return 0;
}

static unsigned serve_flags;    /* crm_server_main_flags */

/* Everything a worker holds for its lifetime: configuration, templates,
 * the database connection, the request arena. */
static int
worker_init(struct crm_worker *w, const struct crm_module *m,
    const struct crm_conf *conf)
{
	char err[512];

	memset(w, 0, sizeof(*w));
	/* Each request's memory goes back to the heap at its end. By
	 * default glibc would then give the top of the heap back to the
	 * kernel and map every block over 128 KB afresh, so the next
	 * request paid for system calls and page faults again: on the
	 * board, more CPU than its own code. A worker keeps what its
	 * largest request needed instead. */
#ifdef M_TRIM_THRESHOLD
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
	w->module = m;
	w->flags = serve_flags;
	w->conf = conf;
	if (sodium_init() < 0) {
		crm_log(CRM_LOG_ERROR, "libsodium failed to initialise");
		return -1;
	}
	if (load_templates(w, conf, err, sizeof(err)) != 0) {
		crm_log(CRM_LOG_ERROR, "%s", err);
		worker_templates_free(w);
		return -1;
	}
	/* A database that is down does not stop the worker: pages say so,
	 * and each request tries to reconnect. */
	crm_db_open(&w->db, conf, m->stmts, m->nstmts);
	crm_db_set_timeout(w->db, (unsigned)conf->db_timeout);
	w->arena = crm_arena_new(64 * 1024);
	w->workers = 1;
	w->started = (long long)time(NULL);
	return 0;
}

static void
worker_free(struct crm_worker *w)
{
	crm_db_close(w->db);
	worker_templates_free(w);
	crm_arena_free(w->arena);
}

static int
run_cgi(const struct crm_module *m, const struct crm_conf *conf)
{
	struct crm_worker w;
	struct crm_io io = { environ, cgi_read, cgi_write, NULL };

	if (worker_init(&w, m, conf) != 0) {
		static const char msg[] = "Status: 500 Internal Server Error\r\n"
		    "Content-Type: text/plain\r\n\r\nThe CRM could not start; see the server log.\n";

		cgi_write(NULL, msg, sizeof(msg) - 1);
		return 1;
	}
	crm_http_serve(&w, &io);
	worker_free(&w);
	return 0;
}

/* The worker: accept, serve, finish, until told to stop. */
static int
run_worker(const struct crm_module *m, const struct crm_conf *conf, int fd)
{
	struct crm_worker w;
	struct sigaction sa;
	FCGX_Request req;
	const char *s;
	int ready_fd = -1;

	if (FCGX_Init() != 0) {
		crm_log(CRM_LOG_ERROR, "FCGX_Init failed");
		return 1;
	}
	if (worker_init(&w, m, conf) != 0)
		return CRM_MASTER_EXIT_CONFIG;
	if ((s = getenv("CRM_MASTER_START")) != NULL)
		w.started = atoll(s);
	if ((s = getenv("CRM_WORKERS")) != NULL)
		w.workers = atol(s);
	if ((s = getenv("CRM_READY_FD")) != NULL)
		ready_fd = atoi(s);

	worker_listen_fd = fd;
	worker_dummy_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_worker_term;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	if (ready_fd >= 0) {
		/* Tell the master the new binary and templates are good. */
		if (write(ready_fd, "r", 1) != 1)
			crm_log(CRM_LOG_WARN, "could not signal readiness: %s", strerror(errno));
		close(ready_fd);
	}
	FCGX_InitRequest(&req, fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!worker_stop) {
		struct crm_io io;

		if (FCGX_Accept_r(&req) < 0) {
			if (worker_stop)
				break;
			if (errno == EINTR)
				continue;
			crm_log(CRM_LOG_ERROR, "accept failed: %s", strerror(errno));
			break;
		}
		io.envp = req.envp;
		io.read = fcgi_read;
		io.write = fcgi_write;
		io.arg = &req;
		crm_http_serve(&w, &io);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 0);
	worker_free(&w);
	return 0;
}

void
crm_server_print_routes(const struct crm_module *m)
{
	size_t i;

	for (i = 0; i < m->nroutes; i++)
		printf("%s %s %s %s\n", m->routes[i].method, m->routes[i].pattern,
		    m->routes[i].perm, m->routes[i].template ? m->routes[i].template : "-");
}

static void
usage(FILE *f, const char *prog, const struct crm_module *m)
{
	fprintf(f,
	    "usage: %s [--config FILE] [--listen unix:PATH|tcp:HOST:PORT] [--workers N]\n"
	    "          [--pidfile FILE] [--socket-mode MODE] [--user USER]\n"
	    "       %s --routes | --check | --version\n", prog, prog);
	if (m->command != NULL)
		fprintf(f, "       %s [--config FILE] %s\n", prog, m->command_usage);
	fprintf(f,
	    "Without --listen it uses a socket from systemd (LISTEN_FDS) or spawn-fcgi\n"
	    "(fd 0); with neither it answers one CGI request and exits.\n");
}

/* "crm-NAME COMMAND ...": the module's own command line. */
static int
run_command(const struct crm_module *m, const struct crm_conf *conf, int argc, char **argv)
{
	struct crm_db *db = NULL;
	int rc;

	if (sodium_init() < 0) {
		crm_log(CRM_LOG_ERROR, "libsodium failed to initialise");
		return 1;
	}
	if (crm_db_open(&db, conf, m->stmts, m->nstmts) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "cannot connect to the database: %s", crm_db_error(db));
		crm_db_close(db);
		return 1;
	}
	rc = m->command(db, conf, argc, argv);
	crm_db_close(db);
	return rc;
}

int
crm_server_main_flags(int argc, char **argv, const struct crm_module *m, unsigned flags)
{
	serve_flags = flags;
	return crm_server_main(argc, argv, m);
}

int
crm_server_main(int argc, char **argv, const struct crm_module *m)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "socket-mode", required_argument, NULL, 'm' },
		{ "user", required_argument, NULL, 'u' },
		{ "routes", no_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'k' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct crm_master_opts mo;
	struct crm_conf conf;
	const char *config = NULL, *listen_addr = NULL, *s;
	char prog[64], err[512];
	int ch, check = 0, fd, rc;
	long workers = 0;

	snprintf(prog, sizeof(prog), "crm-%s", m->name);
	crm_log_init(prog);
	memset(&mo, 0, sizeof(mo));
	mo.socket_mode = 0660;
	while ((ch = getopt_long(argc, argv, "+c:l:w:p:m:u:rkVh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'l': listen_addr = optarg; break;
		case 'w':
			workers = strtol(optarg, NULL, 10);
			if (workers < 1 || workers > 256) {
				fprintf(stderr, "%s: --workers takes 1 to 256\n", prog);
				return 2;
			}
			break;
		case 'p': mo.pidfile = optarg; break;
		case 'm': mo.socket_mode = (int)strtol(optarg, NULL, 8); break;
		case 'u': mo.user = optarg; break;
		case 'r': crm_server_print_routes(m); return 0;
		case 'k': check = 1; break;
		case 'V': printf("%s %s\n", prog, CRM_VERSION); return 0;
		case 'h': usage(stdout, prog, m); return 0;
		default: usage(stderr, prog, m); return 2;
		}
	}
	if (optind != argc && m->command == NULL) {
		usage(stderr, prog, m);
		return 2;
	}
	/* A route naming a permission nobody can be granted is a bug that
	 * would lock everyone out of it: refuse to start. */
	for (size_t i = 0; i < m->nroutes; i++)
		if (!crm_perm_known(m->routes[i].perm)) {
			crm_log(CRM_LOG_ERROR, "route %s %s names unknown permission \"%s\"",
			    m->routes[i].method, m->routes[i].pattern, m->routes[i].perm);
			return CRM_MASTER_EXIT_CONFIG;
		}
	if (config == NULL)
		config = crm_conf_default_path();
	if (crm_conf_load(&conf, config, err, sizeof(err)) != CRM_OK) {
		crm_log(CRM_LOG_ERROR, "%s", err);
		return CRM_MASTER_EXIT_CONFIG;
	}
	if (workers > 0)
		conf.workers = workers;
	if (optind != argc) {
		rc = run_command(m, &conf, argc - optind, argv + optind);
		crm_conf_free(&conf);
		return rc;
	}

	if (check) {
		struct crm_worker w;

		memset(&w, 0, sizeof(w));
		rc = load_templates(&w, &conf, err, sizeof(err)) == 0;
		if (!rc)
			fprintf(stderr, "%s: %s\n", prog, err);
		else
			printf("%s: configuration %s, templates %s and translations (%zu languages) are good\n",
			    prog, conf.path, conf.templates, w.nlangs);
		worker_templates_free(&w);
		crm_conf_free(&conf);
		return rc ? 0 : CRM_MASTER_EXIT_CONFIG;
	}

	/* Started by our own master: serve on the inherited socket. */
	if ((s = getenv("CRM_WORKER_FD")) != NULL) {
		fd = atoi(s);
		unsetenv("CRM_WORKER_FD");
		rc = run_worker(m, &conf, fd);
		crm_conf_free(&conf);
		return rc;
	}

	if (listen_addr != NULL) {
		if ((fd = crm_listen_open(listen_addr, mo.socket_mode, err, sizeof(err))) < 0) {
			crm_log(CRM_LOG_ERROR, "%s", err);
			crm_conf_free(&conf);
			return 1;
		}
		if (strncmp(listen_addr, "unix:", 5) == 0)
			mo.unix_path = listen_addr + 5;
	} else if ((fd = crm_listen_systemd()) < 0) {
		if (!crm_listen_is_socket(STDIN_FILENO)) {
			rc = run_cgi(m, &conf);
			crm_conf_free(&conf);
			return rc;
		}
		fd = STDIN_FILENO;      /* spawn-fcgi */
	}
	mo.listen_fd = fd;
	mo.workers = conf.workers;
	mo.stop_timeout = conf.stop_timeout;
	mo.argv = argv;
	rc = crm_master_run(&mo);
	crm_conf_free(&conf);
	return rc;
}
