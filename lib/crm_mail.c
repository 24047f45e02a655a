/* Outgoing mail: the message as RFC 5322 and RFC 2045-2047 want it, and
 * libcurl's SMTP client to hand it to the relay. Every header value is
 * checked for CR and LF here, whatever the caller checked, so no value
 * can start a header of its own. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "crm_mail.h"
#include "crm_valid.h"

int
crm_mail_header_ok(const char *s)
{
	if (s == NULL)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < ' ' && *s != '\t')
			return 0;
		else if (*s == 0x7f)
			return 0;
	return 1;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64(struct crm_buf *b, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		crm_buf_putc(b, b64[s[i] >> 2]);
		crm_buf_putc(b, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		crm_buf_putc(b, b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		crm_buf_putc(b, b64[s[i + 2] & 63]);
	}
	if (n - i == 1) {
		crm_buf_putc(b, b64[s[i] >> 2]);
		crm_buf_putc(b, b64[(s[i] & 3) << 4]);
		crm_buf_puts(b, "==");
	} else if (n - i == 2) {
		crm_buf_putc(b, b64[s[i] >> 2]);
		crm_buf_putc(b, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		crm_buf_putc(b, b64[(s[i + 1] & 15) << 2]);
		crm_buf_putc(b, '=');
	}
}

static int
ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* An ASCII subject folded before a space so lines stay within 78. */
static void
subject_ascii(struct crm_buf *b, const char *s)
{
	size_t col = strlen("Subject: "), n;

	crm_buf_puts(b, "Subject: ");
	while (*s) {
		const char *sp = strchr(s + 1, ' ');

		n = sp ? (size_t)(sp - s) : strlen(s);
		if (col + n > 78 && col > strlen("Subject: ") && *s == ' ') {
			crm_buf_puts(b, "\r\n");
			col = 0;
		}
		crm_buf_add(b, s, n);
		col += n;
		s += n;
	}
	crm_buf_puts(b, "\r\n");
}

/* Encoded words of at most 36 bytes each (48 in base64: a line of 70 at
 * most), split only between UTF-8 characters, one per folded line. */
static void
subject_encoded(struct crm_buf *b, const char *s)
{
	size_t n = strlen(s);

	crm_buf_puts(b, "Subject:");
	while (n > 0) {
		size_t k = n < 36 ? n : 36;

		while (k < n && k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		if (k == 0)
			k = n < 36 ? n : 36;
		crm_buf_puts(b, " =?UTF-8?B?");
		base64(b, (const unsigned char *)s, k);
		crm_buf_puts(b, "?=");
		s += k;
		n -= k;
		if (n > 0)
			crm_buf_puts(b, "\r\n");
	}
	crm_buf_puts(b, "\r\n");
}

/* The body in canonical form (CRLF line ends), then base64 in lines of 76. */
static void
body_base64(struct crm_buf *b, const char *body)
{
	struct crm_buf canon, enc;
	size_t i;

	crm_buf_init(&canon, b->arena, strlen(body) + 64);
	for (; *body; body++) {
		if (*body == '\r' && body[1] == '\n')
			continue;
		if (*body == '\n' || *body == '\r')
			crm_buf_puts(&canon, "\r\n");
		else
			crm_buf_putc(&canon, *body);
	}
	crm_buf_init(&enc, b->arena, canon.len / 3 * 4 + 8);
	base64(&enc, (const unsigned char *)canon.data, canon.len);
	for (i = 0; i < enc.len; i += 76) {
		crm_buf_add(b, enc.data + i, enc.len - i < 76 ? enc.len - i : 76);
		crm_buf_puts(b, "\r\n");
	}
	if (b->arena == NULL) {
		crm_buf_release(&canon);
		crm_buf_release(&enc);
	}
}

static void
date(struct crm_buf *b, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
		"Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	crm_buf_printf(b, "Date: %s, %d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
	    months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int
message_id_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '_')
			return 0;
	return 1;
}

/* Headers the builder writes itself: a caller's copy would make two. */
static const char *const own_headers[] = {
	"From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
	"Content-Transfer-Encoding", "Sender", "Reply-To", "Return-Path", NULL
};

int
crm_mail_header_name_ok(const char *name)
{
	size_t i;

	if (name == NULL || *name == '\0' || strlen(name) > 60)
		return 0;
	for (i = 0; name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			return 0;
	for (i = 0; own_headers[i]; i++)
		if (strcasecmp(name, own_headers[i]) == 0)
			return 0;
	return 1;
}

static int
extra_header_ok(const struct crm_mail_header *h)
{
	return crm_mail_header_name_ok(h->name) && crm_mail_header_ok(h->value) && ascii(h->value) &&
	    strlen(h->value) <= 900 && strchr(h->value, '\t') == NULL;
}

/* "Name: value", folded before a space once a line would pass 78. The
 * first word stays on the header's line, however long (a URL cannot be
 * folded; lines stay within RFC 5322's 998 as values are at most 900):
 * some readers keep the space of a fold that opens a value. */
static void
extra_header(struct crm_buf *b, const struct crm_mail_header *h)
{
	const char *s = h->value;
	size_t col = strlen(h->name) + 2, n;

	crm_buf_printf(b, "%s: ", h->name);
	while (*s) {
		const char *sp = strchr(s + 1, ' ');

		n = sp ? (size_t)(sp - s) : strlen(s);
		if (col + n > 78 && *s == ' ') {
			crm_buf_puts(b, "\r\n");
			col = 0;
		}
		crm_buf_add(b, s, n);
		col += n;
		s += n;
	}
	crm_buf_puts(b, "\r\n");
}

/* The boundary starts "=_", which base64 text never holds, so no part
 * can end the multipart early whatever its text. */
static void
alternative(struct crm_buf *b, const struct crm_mail *m)
{
	crm_buf_printf(b, "Content-Type: multipart/alternative;\r\n boundary=\"=_alt_%s\"\r\n\r\n", m->message_id);
	crm_buf_printf(b, "--=_alt_%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", m->message_id);
	body_base64(b, m->body);
	crm_buf_printf(b, "--=_alt_%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", m->message_id);
	body_base64(b, m->html);
	crm_buf_printf(b, "--=_alt_%s--\r\n", m->message_id);
}

enum crm_err
crm_mail_build(struct crm_buf *b, const struct crm_mail *m)
{
	size_t i;

	if (!crm_valid_email(m->from) || !crm_valid_email(m->to) || !crm_mail_header_ok(m->subject) ||
	    !message_id_ok(m->message_id) || m->body == NULL || (m->nheaders > 0 && m->headers == NULL))
		return CRM_EINVAL;
	for (i = 0; i < m->nheaders; i++)
		if (!extra_header_ok(&m->headers[i]))
			return CRM_EINVAL;
	crm_buf_printf(b, "From: <%s>\r\nTo: <%s>\r\n", m->from, m->to);
	if (ascii(m->subject))
		subject_ascii(b, m->subject);
	else
		subject_encoded(b, m->subject);
	date(b, m->date);
	crm_buf_printf(b, "Message-ID: <%s@%s>\r\n", m->message_id, strchr(m->from, '@') + 1);
	for (i = 0; i < m->nheaders; i++)
		extra_header(b, &m->headers[i]);
	crm_buf_puts(b, "MIME-Version: 1.0\r\n");
	if (m->html != NULL) {
		alternative(b, m);
		return CRM_OK;
	}
	crm_buf_puts(b, "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
	body_base64(b, m->body);
	return CRM_OK;
}

int
crm_mail_relay_ok(const char *relay)
{
	const char *colon;
	size_t i;

	if (relay == NULL || *relay == '\0' || *relay == ':' || strlen(relay) > 200)
		return 0;
	colon = strchr(relay, ':');
	for (i = 0; relay + i != colon && relay[i]; i++)
		if (!isalnum((unsigned char)relay[i]) && relay[i] != '.' && relay[i] != '-')
			return 0;
	if (colon == NULL)
		return 1;
	if (colon[1] == '\0' || strlen(colon + 1) > 5)
		return 0;
	for (i = 1; colon[i]; i++)
		if (!isdigit((unsigned char)colon[i]))
			return 0;
	return atoi(colon + 1) > 0 && atoi(colon + 1) < 65536;
}

struct upload {
	const char *p;
	size_t left;
};

static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

struct crm_mail_session {
	CURL *h;
};

struct crm_mail_session *
crm_mail_session_new(void)
{
	struct crm_mail_session *s = calloc(1, sizeof(*s));

	if (s == NULL)
		abort();
	return s;
}

void
crm_mail_session_free(struct crm_mail_session *s)
{
	if (s == NULL)
		return;
	if (s->h != NULL)
		curl_easy_cleanup(s->h);
	free(s);
}

enum crm_err
crm_mail_send(const char *relay, const char *from, const char *to, const char *msg, size_t len,
    long timeout_s, char *err, size_t errlen)
{
	struct crm_mail_session s = { NULL };
	enum crm_err e;

	e = crm_mail_session_send(&s, relay, from, to, msg, len, timeout_s, err, errlen);
	if (s.h != NULL)
		curl_easy_cleanup(s.h);
	return e;
}

enum crm_err
crm_mail_session_send(struct crm_mail_session *s, const char *relay, const char *from, const char *to,
    const char *msg, size_t len, long timeout_s, char *err, size_t errlen)
{
	char url[256], addr[300], curl_err[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = NULL;
	struct upload u = { msg, len };
	CURL *h;
	CURLcode rc;

	if (!crm_mail_relay_ok(relay) || !crm_valid_email(from) || !crm_valid_email(to)) {
		snprintf(err, errlen, "bad relay or address");
		return CRM_EINVAL;
	}
	if (s->h == NULL && (s->h = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		return CRM_EIO;
	}
	h = s->h;
	snprintf(url, sizeof(url), "smtp://%s%s", relay, strchr(relay, ':') ? "" : ":25");
	snprintf(addr, sizeof(addr), "<%s>", to);
	rcpt = curl_slist_append(rcpt, addr);
	snprintf(addr, sizeof(addr), "<%s>", from);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s : 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
	/* The list is the transfer's; the handle and its connection stay. */
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(rcpt);
	if (rc != CURLE_OK) {
		/* A failed transfer may leave the connection half way through a
		 * dialogue: the next message starts on a new one. */
		curl_easy_cleanup(h);
		s->h = NULL;
	}
	return rc == CURLE_OK ? CRM_OK : CRM_EIO;
}
