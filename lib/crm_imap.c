/* IMAP with libcurl; see crm_imap.h. One easy handle per mailbox poll, so
 * libcurl keeps one connection (and one login) for the STATUS, the
 * SEARCH and every FETCH of the poll. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "crm_imap.h"

#define MAX_MAILBOX 200
#define MAX_HOST 253

struct crm_imap {
	CURL *h;
	char base[MAX_HOST + 32];       /* imaps://host:port/ */
	char mailbox[MAX_MAILBOX + 1];
	char curl_err[CURL_ERROR_SIZE];
};

static int
mailbox_char(int c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == '&' || c == ',' || c == '+';
}

/* Splits url into scheme (5 = imaps), host, port and mailbox; 0 when it
 * is not one crm_imap_url_ok accepts. */
static int
split(const char *url, int *tls, char *host, long *port, char *mailbox)
{
	const char *p, *h;
	size_t n;

	if (strncmp(url, "imaps://", 8) == 0)
		*tls = 1, p = url + 8;
	else if (strncmp(url, "imap://", 7) == 0)
		*tls = 0, p = url + 7;
	else
		return 0;
	for (h = p; isalnum((unsigned char)*p) || *p == '.' || *p == '-'; p++)
		;
	if ((n = (size_t)(p - h)) == 0 || n > MAX_HOST || *h == '.' || *h == '-')
		return 0;
	memcpy(host, h, n);
	host[n] = '\0';
	*port = *tls ? 993 : 143;
	if (*p == ':') {
		char *end;

		if (!isdigit((unsigned char)p[1]))
			return 0;
		*port = strtol(p + 1, &end, 10);
		if (*port < 1 || *port > 65535 || end - p > 6)
			return 0;
		p = end;
	}
	if (*p++ != '/')
		return 0;
	for (n = 0; p[n]; n++)
		if (!mailbox_char((unsigned char)p[n]) || n >= MAX_MAILBOX)
			return 0;
	if (n == 0 || p[0] == '/' || p[n - 1] == '/')
		return 0;
	memcpy(mailbox, p, n + 1);
	return 1;
}

int
crm_imap_url_ok(const char *url)
{
	char host[MAX_HOST + 1], mailbox[MAX_MAILBOX + 1];
	long port;
	int tls;

	return url != NULL && strlen(url) < 500 && split(url, &tls, host, &port, mailbox);
}

struct crm_imap *
crm_imap_open(const char *url, const char *user, const char *password, long timeout_s)
{
	struct crm_imap *m;
	char host[MAX_HOST + 1];
	long port;
	int tls;

	if (url == NULL || strlen(url) >= 500)
		return NULL;
	m = crm_xcalloc(1, sizeof(*m));
	if (!split(url, &tls, host, &port, m->mailbox) || (m->h = curl_easy_init()) == NULL) {
		free(m);
		return NULL;
	}
	snprintf(m->base, sizeof(m->base), "%s://%s:%ld/", tls ? "imaps" : "imap", host, port);
	curl_easy_setopt(m->h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(m->h, CURLOPT_USERNAME, user);
	curl_easy_setopt(m->h, CURLOPT_PASSWORD, password);
	/* STARTTLS when a plain imap:// server offers it; imaps:// is TLS
	 * from the start. Certificates are always verified. */
	curl_easy_setopt(m->h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(m->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(m->h, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s : 10L);
	curl_easy_setopt(m->h, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(m->h, CURLOPT_ERRORBUFFER, m->curl_err);
	return m;
}

void
crm_imap_close(struct crm_imap *m)
{
	if (m == NULL)
		return;
	curl_easy_cleanup(m->h);
	free(m);
}

struct sink {
	struct crm_buf *b;
	size_t max;
	int over;
};

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (s->b->len + n > s->max) {
		s->over = 1;
		return 0;       /* libcurl stops with CURLE_WRITE_ERROR */
	}
	crm_buf_add(s->b, data, n);
	return n;
}

static enum crm_err
run(struct crm_imap *m, const char *url, const char *command, struct crm_buf *out, size_t max,
    char *err, size_t errlen)
{
	struct sink s = { out, max, 0 };
	CURLcode rc;

	m->curl_err[0] = '\0';
	curl_easy_setopt(m->h, CURLOPT_URL, url);
	curl_easy_setopt(m->h, CURLOPT_CUSTOMREQUEST, command);
	curl_easy_setopt(m->h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(m->h, CURLOPT_WRITEDATA, &s);
	rc = curl_easy_perform(m->h);
	curl_easy_setopt(m->h, CURLOPT_CUSTOMREQUEST, NULL);
	if (rc == CURLE_OK)
		return CRM_OK;
	if (s.over) {
		snprintf(err, errlen, "larger than %zu bytes", max);
		return CRM_ETOOBIG;
	}
	snprintf(err, errlen, "%s", m->curl_err[0] ? m->curl_err : curl_easy_strerror(rc));
	if (rc == CURLE_REMOTE_FILE_NOT_FOUND)
		return CRM_ENOTFOUND;
	return rc == CURLE_LOGIN_DENIED ? CRM_EINVAL : CRM_EIO;
}

/* The number after key in s ("UIDVALIDITY 123"), 0 when absent. */
static unsigned long long
number_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	if (p == NULL || !isdigit((unsigned char)p[strlen(key)]))
		return 0;
	return strtoull(p + strlen(key), NULL, 10);
}

enum crm_err
crm_imap_status(struct crm_imap *m, unsigned long long *uidvalidity, unsigned long long *uidnext,
    char *err, size_t errlen)
{
	char command[MAX_MAILBOX + 64];
	struct crm_buf b;
	enum crm_err e;

	crm_buf_init(&b, NULL, 256);
	/* The mailbox's characters need no escaping (split() allows none
	 * that would), so quoting is enough. */
	snprintf(command, sizeof(command), "STATUS \"%s\" (UIDVALIDITY UIDNEXT)", m->mailbox);
	if ((e = run(m, m->base, command, &b, 64 * 1024, err, errlen)) == CRM_OK) {
		*uidvalidity = number_after(b.data, "UIDVALIDITY ");
		*uidnext = number_after(b.data, "UIDNEXT ");
		if (*uidvalidity == 0) {
			snprintf(err, errlen, "the server sent no UIDVALIDITY for %s", m->mailbox);
			e = CRM_EIO;
		}
	}
	crm_buf_release(&b);
	return e;
}

static int
cmp_uid(const void *x, const void *y)
{
	unsigned long long a = *(const unsigned long long *)x, b = *(const unsigned long long *)y;

	return a < b ? -1 : a > b;
}

enum crm_err
crm_imap_search(struct crm_imap *m, unsigned long long uidvalidity, unsigned long long after_uid,
    unsigned long long *uids, size_t max, size_t *n, int *more, char *err, size_t errlen)
{
	char url[sizeof(m->base) + MAX_MAILBOX + 40], command[64];
	struct crm_buf b;
	const char *p;
	enum crm_err e;
	size_t found = 0;

	*n = 0;
	*more = 0;
	crm_buf_init(&b, NULL, 1024);
	snprintf(url, sizeof(url), "%s%s;UIDVALIDITY=%llu", m->base, m->mailbox, uidvalidity);
	snprintf(command, sizeof(command), "UID SEARCH UID %llu:*", after_uid + 1);
	if ((e = run(m, url, command, &b, 8L * 1024 * 1024, err, errlen)) != CRM_OK) {
		crm_buf_release(&b);
		return e;
	}
	/* "* SEARCH 4 5 9": n:* always names the newest message, even when
	 * its UID is below n, so each is compared with after_uid. The lowest
	 * max are kept: older mail first. */
	for (p = strstr(b.data, "* SEARCH"); p != NULL && (p = strpbrk(p, "0123456789\r\n")) != NULL &&
	    isdigit((unsigned char)*p);) {
		unsigned long long uid = strtoull(p, (char **)&p, 10);

		if (uid <= after_uid)
			continue;
		found++;
		if (*n < max)
			uids[(*n)++] = uid;
		else {
			size_t hi = 0, i;

			for (i = 1; i < max; i++)
				if (uids[i] > uids[hi])
					hi = i;
			if (max > 0 && uid < uids[hi])
				uids[hi] = uid;
		}
	}
	qsort(uids, *n, sizeof(*uids), cmp_uid);
	*more = found > *n;
	crm_buf_release(&b);
	return CRM_OK;
}

enum crm_err
crm_imap_fetch(struct crm_imap *m, unsigned long long uidvalidity, unsigned long long uid, size_t max,
    struct crm_buf *out, char *err, size_t errlen)
{
	char url[sizeof(m->base) + MAX_MAILBOX + 80];

	snprintf(url, sizeof(url), "%s%s;UIDVALIDITY=%llu/;UID=%llu", m->base, m->mailbox, uidvalidity, uid);
	return run(m, url, NULL, out, max, err, errlen);
}
