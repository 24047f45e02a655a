/* Loading a template directory into a set at worker start. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm_tmpl.h"

#define EXT ".mustache"
#define EXTLEN (sizeof(EXT) - 1)
/* Deeper than any real template tree: stops a symlink loop. */
#define MAX_LEVELS 16

static enum crm_err
sys_fail(const char *path, char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return CRM_EIO;
}

static enum crm_err
read_file(const char *path, char **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	size_t got = 0;
	char *buf;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sys_fail(path, err, errlen);
	if (fstat(fd, &st) < 0) {
		enum crm_err e = sys_fail(path, err, errlen);

		close(fd);
		return e;
	}
	if ((unsigned long long)st.st_size > CRM_TMPL_MAX_SIZE) {
		close(fd);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: over %u bytes", path, CRM_TMPL_MAX_SIZE);
		return CRM_ETOOBIG;
	}
	buf = crm_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A file that shrank as we read it is loaded short. */
			if (n == 0)
				break;
			free(buf);
			sys_fail(path, err, errlen);
			close(fd);
			return CRM_EIO;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return CRM_OK;
}

static int
is_template(const char *name)
{
	size_t n = strlen(name);

	return n > EXTLEN && strcmp(name + n - EXTLEN, EXT) == 0;
}

static enum crm_err
load_file(struct crm_tmpl_set *s, const char *path, const char *rel, char *err,
    size_t errlen)
{
	size_t n = strlen(rel) - EXTLEN, len;
	char name[PATH_MAX], *src;
	enum crm_err e;

	memcpy(name, rel, n);
	name[n] = '\0';
	if ((e = read_file(path, &src, &len, err, errlen)) != CRM_OK)
		return e;
	e = crm_tmpl_set_add(s, name, src, len, err, errlen);
	free(src);
	return e;
}

static enum crm_err load_tree(struct crm_tmpl_set *, const char *root, const char *rel,
    int level, char *err, size_t errlen);

static enum crm_err
load_entry(struct crm_tmpl_set *s, const char *root, const char *rel, int level,
    const char *entry, char *err, size_t errlen)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct stat st;
	int n;

	n = snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", entry);
	if (n < 0 || (size_t)n >= sizeof(sub) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", root, sub) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return sys_fail(entry, err, errlen);
	}
	if (stat(path, &st) < 0)
		return sys_fail(path, err, errlen);
	if (S_ISDIR(st.st_mode))
		return load_tree(s, root, sub, level + 1, err, errlen);
	if (S_ISREG(st.st_mode) && is_template(entry))
		return load_file(s, path, sub, err, errlen);
	return CRM_OK;
}

/* Sorted, so that of several broken templates the same one is reported. */
static enum crm_err
load_tree(struct crm_tmpl_set *s, const char *root, const char *rel, int level,
    char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct dirent **list;
	enum crm_err e = CRM_OK;
	int i, n;

	if (level > MAX_LEVELS) {
		errno = ELOOP;
		return sys_fail(rel, err, errlen);
	}
	n = snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return sys_fail(root, err, errlen);
	}
	if ((n = scandir(path, &list, NULL, alphasort)) < 0)
		return sys_fail(path, err, errlen);
	for (i = 0; i < n; i++) {
		if (e == CRM_OK && list[i]->d_name[0] != '.')
			e = load_entry(s, root, rel, level, list[i]->d_name, err, errlen);
		free(list[i]);
	}
	free(list);
	return e;
}

enum crm_err
crm_tmpl_set_load_dir(struct crm_tmpl_set *s, const char *dir, char *err, size_t errlen)
{
	return load_tree(s, dir, "", 0, err, errlen);
}
