/* Webhook deliveries on the wire (crm_webhook.h): the secret, the
 * signature a receiver checks, and the POST itself with libcurl. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "crm_webhook.h"

void
crm_webhook_new_secret(char out[CRM_WEBHOOK_SECRET_LEN + 1])
{
	unsigned char raw[32];

	memcpy(out, "whsec_", 6);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out + 6, CRM_WEBHOOK_SECRET_LEN + 1 - 6, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void
crm_webhook_sign(const char *secret, long long timestamp, const char *body, size_t len,
    char out[CRM_WEBHOOK_SIGNATURE_LEN + 1])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char ts[24];
	int n = snprintf(ts, sizeof(ts), "%lld.", timestamp);

	/* The timestamp is signed with the body so that a captured request
	 * cannot be replayed later under a fresh X-CRM-Timestamp. */
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 64 + 1, mac, sizeof(mac));
}

int
crm_webhook_url_ok(const char *url)
{
	const char *host;
	size_t i, n;

	if (url == NULL || (n = strlen(url)) > 2000)
		return 0;
	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f)
			return 0;
	/* A host, not "http:///x" or "http://?a" or "http://user@". */
	return *host != '\0' && *host != '/' && *host != '?' && *host != '#' && *host != '@' &&
	    *host != ':';
}

struct sink {
	char *buf;
	size_t len, cap;
};

/* Keeps the start of the answer and drops the rest unread by us. */
static size_t
keep(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb, room = s->cap - s->len;

	if (room > 0) {
		memcpy(s->buf + s->len, data, n < room ? n : room);
		s->len += n < room ? n : room;
	}
	return n;
}

/* What the receiver said, cut to the column and made valid UTF-8: a cut
 * through a character loses its bytes, and a body that is not UTF-8 at
 * all keeps its ASCII. */
static void
excerpt(struct crm_webhook_result *r, const char *buf, size_t len)
{
	size_t i, n = len < sizeof(r->excerpt) - 1 ? len : sizeof(r->excerpt) - 1;
	json_t *probe;

	memcpy(r->excerpt, buf, n);
	r->excerpt[n] = '\0';
	for (i = 0; i < 4 && n > 0; i++) {
		if ((probe = json_stringn(r->excerpt, n)) != NULL) {
			json_decref(probe);
			r->excerpt[n] = '\0';
			return;
		}
		n--;
	}
	for (i = 0; r->excerpt[i] != '\0'; i++)
		if ((unsigned char)r->excerpt[i] >= 0x80)
			r->excerpt[i] = '?';
}

enum crm_err
crm_webhook_post(const char *url, const char *secret, const char *event, long long delivery_id,
    const char *body, size_t len, long timeout_s, struct crm_webhook_result *r)
{
	char sig[CRM_WEBHOOK_SIGNATURE_LEN + 1], line[160], curl_err[CURL_ERROR_SIZE] = "";
	char answer[sizeof(r->excerpt)];
	struct sink s = { answer, 0, sizeof(answer) - 1 };
	struct curl_slist *h = NULL;
	long long ts = (long long)time(NULL);
	CURLcode cc;
	CURL *cu;

	memset(r, 0, sizeof(*r));
	if ((cu = curl_easy_init()) == NULL) {
		snprintf(r->error, sizeof(r->error), "libcurl could not start");
		return CRM_EIO;
	}
	crm_webhook_sign(secret, ts, body, len, sig);
	h = curl_slist_append(h, "Content-Type: application/json");
	/* No "Expect: 100-continue" round trip for a small body. */
	h = curl_slist_append(h, "Expect:");
	snprintf(line, sizeof(line), "X-CRM-Event: %s", event);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-CRM-Delivery: %lld", delivery_id);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-CRM-Timestamp: %lld", ts);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-CRM-Signature: %s", sig);
	h = curl_slist_append(h, line);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(cu, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(cu, CURLOPT_USERAGENT, "CRM-Webhooks/" CRM_VERSION);
	curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(cu, CURLOPT_CONNECTTIMEOUT, timeout_s < 5 ? timeout_s : 5L);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(cu, CURLOPT_ERRORBUFFER, curl_err);
	cc = curl_easy_perform(cu);
	if (cc == CURLE_OK)
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &r->code);
	else
		snprintf(r->error, sizeof(r->error), "%s", curl_err[0] ? curl_err : curl_easy_strerror(cc));
	excerpt(r, answer, s.len);
	curl_slist_free_all(h);
	curl_easy_cleanup(cu);
	sodium_memzero(sig, sizeof(sig));
	if (cc != CURLE_OK)
		return CRM_EIO;
	if (r->code < 200 || r->code > 299) {
		snprintf(r->error, sizeof(r->error), "HTTP %ld%s", r->code,
		    r->code >= 300 && r->code < 400 ? " (redirects are not followed)" : "");
		return CRM_EIO;
	}
	return CRM_OK;
}
