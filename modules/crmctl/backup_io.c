/* crmctl backup and restore: the MariaDB client programs as children
 * (no shell, the password in a 0600 defaults file), and files copied and
 * hashed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backup.h"

extern char **environ;

int
backup_join(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s/%s", a, b);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* An option file value in double quotes: the client programs read \\ and
 * \" as escapes there, and # or ; inside quotes as text. */
static void
put_value(FILE *f, const char *key, const char *v)
{
	fprintf(f, "%s=\"", key);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		fputc(*v, f);
	}
	fputs("\"\n", f);
}

int
backup_defaults_file(const struct crm_conf *c, int host, char *path, size_t len)
{
	char name[256];
	unsigned port;
	FILE *f;
	int fd;

	if (!c->db_socket[0] && !crm_db_host_at(c, host > 0 ? (size_t)host : 0, name, sizeof(name), &port)) {
		fprintf(stderr, "crmctl: [database] host names no server\n");
		return -1;
	}

	if (backup_join(path, len, c->tmpdir, "crmctl-my-XXXXXX") != 0) {
		fprintf(stderr, "crmctl: tmpdir %s: name too long\n", c->tmpdir);
		return -1;
	}
	/* mkstemp makes the file 0600: nobody else reads the password. */
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "crmctl: cannot make a file in tmpdir %s: %s\n", c->tmpdir, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		return -1;
	}
	fputs("[client]\n", f);
	put_value(f, "user", c->db_user);
	put_value(f, "password", c->db_password);
	if (c->db_socket[0])
		put_value(f, "socket", c->db_socket);
	else {
		put_value(f, "host", name);
		fprintf(f, "port=%u\n", port);
	}
	put_value(f, "default-character-set", "utf8mb4");
	if (fclose(f) != 0) {
		fprintf(stderr, "crmctl: writing %s: %s\n", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

pid_t
backup_spawn(char *const argv[], int in_fd, int out_fd)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	if (in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "crmctl: cannot run %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

int
backup_wait(pid_t pid, const char *what)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "crmctl: waiting for %s: %s\n", what, strerror(errno));
			return -1;
		}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		fprintf(stderr, "crmctl: %s failed (exit status %d)\n", what, WEXITSTATUS(st));
	else
		fprintf(stderr, "crmctl: %s was killed by signal %d\n", what, WTERMSIG(st));
	return -1;
}

static void
hex_of(crypto_hash_sha256_state *st, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_final(st, h);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* Reads src (and writes dst_fd, unless -1) to the end, hashing. */
static int
pump(int src, int dst_fd, char hex[65], long long *size)
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536];
	ssize_t n;

	crypto_hash_sha256_init(&st);
	*size = 0;
	for (;;) {
		if ((n = read(src, buf, sizeof(buf))) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
		*size += n;
		if (dst_fd >= 0) {
			ssize_t off = 0, w;

			while (off < n) {
				if ((w = write(dst_fd, buf + off, (size_t)(n - off))) < 0) {
					if (errno == EINTR)
						continue;
					return -1;
				}
				off += w;
			}
		}
	}
	hex_of(&st, hex);
	return 0;
}

int
backup_hash_file(const char *path, char hex[65], long long *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc, saved;

	if (fd < 0)
		return -1;
	rc = pump(fd, -1, hex, size);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
backup_copy_file(const char *src, const char *dst, char hex[65], long long *size)
{
	char tmp[4096];
	int in, out, rc, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", dst) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0) {
		saved = errno;
		close(in);
		errno = saved;
		return -1;
	}
	rc = pump(in, out, hex, size);
	/* The copy is whole on disk before it takes its name. */
	if (rc == 0)
		rc = fsync(out);
	saved = errno;
	close(in);
	if (close(out) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tmp, dst) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0)
		unlink(tmp);
	errno = saved;
	return rc;
}

/* nftw passes no argument to its callback: the walk in progress. */
static json_t *walk_list;
static size_t walk_root;

static int
walk_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	/* A backup's hold (backup_link_aside) is not part of the directory;
	 * the directory itself (level 0) has no relative name. */
	if (ftw->level > 0 && strncmp(path + walk_root, BACKUP_HOLD_PREFIX, sizeof(BACKUP_HOLD_PREFIX) - 1) == 0)
		return 0;
	if (type == FTW_F)
		json_array_append_new(walk_list, json_string(path + walk_root));
	else if (type == FTW_DNR || type == FTW_NS)
		return -1;
	return 0;
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

json_t *
backup_list_files(const char *dir)
{
	json_t *list = json_array(), *sorted, **v;
	struct stat sb;
	size_t i, n;

	if (stat(dir, &sb) != 0 && errno == ENOENT)
		return list;
	walk_list = list;
	walk_root = strlen(dir) + 1;
	/* FTW_PHYS: a symlink is not followed out of the directory. */
	if (nftw(dir, walk_one, 16, FTW_PHYS) != 0) {
		fprintf(stderr, "crmctl: cannot read %s: %s\n", dir, strerror(errno));
		json_decref(list);
		return NULL;
	}
	n = json_array_size(list);
	v = crm_xcalloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_array_get(list, i);
	qsort(v, n, sizeof(*v), by_string);
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	json_decref(list);
	return sorted;
}

int
backup_mkdirs(const char *path)
{
	char buf[4096], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int
remove_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void
backup_remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Holds left by a backup that died: their pid is gone. */
static void
remove_dead_holds(const char *dir)
{
	char path[4096];
	struct dirent *d;
	DIR *dp = opendir(dir);
	long pid;

	if (dp == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, BACKUP_HOLD_PREFIX, sizeof(BACKUP_HOLD_PREFIX) - 1) != 0)
			continue;
		pid = strtol(d->d_name + sizeof(BACKUP_HOLD_PREFIX) - 1, NULL, 10);
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		if (backup_join(path, sizeof(path), dir, d->d_name) == 0)
			backup_remove_tree(path);
	}
	closedir(dp);
}

int
backup_link_aside(const char *dir, char *hold, size_t len)
{
	char src[4096], dst[4096], *slash;
	json_t *list = NULL, *v;
	struct stat sb;
	size_t i;

	hold[0] = '\0';
	if (stat(dir, &sb) != 0 && errno == ENOENT)
		return 0;
	remove_dead_holds(dir);
	if (snprintf(hold, len, "%s/%s%ld", dir, BACKUP_HOLD_PREFIX, (long)getpid()) >= (int)len ||
	    mkdir(hold, 0700) != 0) {
		hold[0] = '\0';
		return -1;
	}
	if ((list = backup_list_files(dir)) == NULL)
		goto fail;
	json_array_foreach(list, i, v) {
		if (backup_join(src, sizeof(src), dir, json_string_value(v)) != 0 ||
		    backup_join(dst, sizeof(dst), hold, json_string_value(v)) != 0) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		if ((slash = strrchr(dst, '/')) != NULL && slash > dst + strlen(hold)) {
			*slash = '\0';
			if (backup_mkdirs(dst) != 0)
				goto fail;
			*slash = '/';
		}
		/* A file finished with since the listing is no loss. */
		if (link(src, dst) != 0 && errno != ENOENT)
			goto fail;
	}
	json_decref(list);
	return 0;
fail:
	i = (size_t)errno;
	json_decref(list);
	backup_remove_tree(hold);
	hold[0] = '\0';
	errno = (int)i;
	return -1;
}
