/* Base32, HOTP, TOTP, otpauth:// URIs and recovery codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "crm_escape.h"
#include "crm_totp.h"

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* No 0/o, 1/l/i: the codes are read off paper and typed in a hurry. */
static const char recovery_alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
#define RECOVERY_SYMBOLS 12

static const char *const alg_names[] = { "SHA1", "SHA256", "SHA512" };
_Static_assert(CRM_NELEM(alg_names) == CRM_TOTP_SHA512 + 1, "alg_names");

/* libsodium wants sodium_init() before its CSPRNG is used; the call is
 * idempotent, so doing it here spares every caller the rule. */
static void
sodium_ready(void)
{
	if (sodium_init() < 0)
		abort();
}

static size_t
b32_encode(char *out, const unsigned char *in, size_t n)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[k++] = b32_alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[k++] = b32_alphabet[(acc << (5 - bits)) & 31];
	return k;
}

void
crm_totp_base32_encode(struct crm_buf *b, const void *p, size_t n)
{
	crm_buf_reserve(b, n / 5 * 8 + 8);
	b->len += b32_encode(b->data + b->len, p, n);
	b->data[b->len] = '\0';
}

static int
b32_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

enum crm_err
crm_totp_base32_decode(unsigned char *out, size_t cap, size_t *outlen,
    const char *s, size_t n)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t i, nsym = 0, npad = 0, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;

		if (c == ' ')
			continue;
		if (c == '=') {
			npad++;
			continue;
		}
		if (npad > 0 || (v = b32_value(c)) < 0)
			return CRM_EINVAL;
		nsym++;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (k == cap)
				return CRM_ETOOBIG;
			out[k++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* 1, 3 or 6 symbols in a block would end in a symbol holding no byte. */
	switch (nsym % 8) {
	case 1: case 3: case 6:
		return CRM_EINVAL;
	}
	if (npad > 0 && (npad >= 8 || (nsym + npad) % 8 != 0))
		return CRM_EINVAL;
	*outlen = k;
	return CRM_OK;
}

static const EVP_MD *
alg_md(enum crm_totp_alg alg)
{
	switch (alg) {
	case CRM_TOTP_SHA1: return EVP_sha1();
	case CRM_TOTP_SHA256: return EVP_sha256();
	case CRM_TOTP_SHA512: return EVP_sha512();
	}
	return NULL;
}

static int
totp_valid(const struct crm_totp *t)
{
	return alg_md(t->alg) != NULL && (t->digits == 6 || t->digits == 8) &&
	    t->keylen > 0 && t->keylen <= CRM_TOTP_KEY_MAX;
}

enum crm_err
crm_totp_init(struct crm_totp *t, const char *secret, enum crm_totp_alg alg,
    int digits)
{
	enum crm_err e;

	memset(t, 0, sizeof(*t));
	e = crm_totp_base32_decode(t->key, sizeof(t->key), &t->keylen,
	    secret, strlen(secret));
	t->alg = alg;
	t->digits = digits;
	if (e == CRM_OK && !totp_valid(t))
		e = CRM_EINVAL;
	if (e != CRM_OK)
		sodium_memzero(t, sizeof(*t));
	return e;
}

void
crm_totp_secret_new(char out[CRM_TOTP_SECRET_SIZE])
{
	unsigned char raw[CRM_TOTP_SECRET_BYTES];

	sodium_ready();
	randombytes_buf(raw, sizeof(raw));
	out[b32_encode(out, raw, sizeof(raw))] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

enum crm_err
crm_totp_hotp(const struct crm_totp *t, uint64_t counter,
    char code[CRM_TOTP_CODE_SIZE])
{
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0, off, i;
	uint32_t bin;

	if (!totp_valid(t))
		return CRM_EINVAL;
	for (i = 0; i < 8; i++)
		msg[i] = (unsigned char)(counter >> (56 - 8 * i));
	if (HMAC(alg_md(t->alg), t->key, (int)t->keylen, msg, sizeof(msg),
	    mac, &maclen) == NULL)
		return CRM_EIO;
	/* RFC 4226 5.3, dynamic truncation: 31 bits from an offset the MAC picks. */
	off = mac[maclen - 1] & 0x0f;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	    (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	sodium_memzero(mac, sizeof(mac));
	bin %= t->digits == 8 ? 100000000u : 1000000u;
	snprintf(code, CRM_TOTP_CODE_SIZE, "%0*u", t->digits, (unsigned)bin);
	return CRM_OK;
}

enum crm_err
crm_totp_code(const struct crm_totp *t, time_t when, char code[CRM_TOTP_CODE_SIZE])
{
	if (when < 0)
		return CRM_EINVAL;
	return crm_totp_hotp(t, (uint64_t)when / CRM_TOTP_PERIOD, code);
}

static int
code_well_formed(const char *code, int digits)
{
	int i;

	for (i = 0; i < digits; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return code[digits] == '\0';
}

enum crm_err
crm_totp_verify(const struct crm_totp *t, const char *code, time_t now,
    uint64_t *step)
{
	char want[CRM_TOTP_CODE_SIZE];
	uint64_t now_step, s, found = 0;
	int matched = 0;
	enum crm_err e;

	/* NULL: the form field was missing, as crm_params_get reports it. */
	if (code == NULL || !totp_valid(t) || now < 0 ||
	    !code_well_formed(code, t->digits))
		return CRM_EINVAL;
	now_step = (uint64_t)now / CRM_TOTP_PERIOD;
	/* Every step is tried, oldest first, so the latest match wins and a
	 * fresh code is never mistaken for an old step's. */
	for (s = now_step > 0 ? now_step - 1 : 0; s <= now_step + 1; s++) {
		if ((e = crm_totp_hotp(t, s, want)) != CRM_OK)
			return e;
		if (sodium_memcmp(want, code, (size_t)t->digits) == 0) {
			matched = 1;
			found = s;
		}
	}
	sodium_memzero(want, sizeof(want));
	if (!matched)
		return CRM_EINVAL;
	*step = found;
	return CRM_OK;
}

enum crm_err
crm_totp_uri(struct crm_buf *b, const struct crm_totp *t, const char *issuer,
    const char *account)
{
	int has_issuer = issuer != NULL && issuer[0] != '\0';

	if (!totp_valid(t) || account[0] == '\0' || strchr(account, ':') != NULL ||
	    (has_issuer && strchr(issuer, ':') != NULL))
		return CRM_EINVAL;
	crm_buf_puts(b, "otpauth://totp/");
	if (has_issuer) {
		crm_escape_url_arg(b, issuer, strlen(issuer));
		crm_buf_putc(b, ':');
	}
	crm_escape_url_arg(b, account, strlen(account));
	crm_buf_puts(b, "?secret=");
	crm_totp_base32_encode(b, t->key, t->keylen);
	if (has_issuer) {
		crm_buf_puts(b, "&issuer=");
		crm_escape_url_arg(b, issuer, strlen(issuer));
	}
	crm_buf_printf(b, "&algorithm=%s&digits=%d&period=%d",
	    alg_names[t->alg], t->digits, CRM_TOTP_PERIOD);
	return CRM_OK;
}

static void
recovery_one(char code[CRM_TOTP_RECOVERY_SIZE])
{
	size_t j, k;

	for (j = k = 0; j < RECOVERY_SYMBOLS; j++) {
		if (j > 0 && j % 4 == 0)
			code[k++] = '-';
		code[k++] = recovery_alphabet[randombytes_uniform(
		    sizeof(recovery_alphabet) - 1)];
	}
	code[k] = '\0';
}

void
crm_totp_recovery_new(char codes[][CRM_TOTP_RECOVERY_SIZE], size_t n)
{
	size_t i, j;

	sodium_ready();
	for (i = 0; i < n; i++) {
		recovery_one(codes[i]);
		/* A repeat is a 2^-59 event, but recovery_codes has a unique
		 * key on the hash and the insert must not fail over it. */
		for (j = 0; j < i; j++)
			if (strcmp(codes[i], codes[j]) == 0) {
				i--;
				break;
			}
	}
}

enum crm_err
crm_totp_recovery_normalise(char out[CRM_TOTP_RECOVERY_NORM_SIZE], const char *in)
{
	size_t k = 0;

	out[0] = '\0';
	if (in == NULL)         /* a missing form field */
		return CRM_EINVAL;
	for (; *in != '\0'; in++) {
		char c = *in;

		if (c == '-' || c == ' ' || c == '\t')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		/* strchr would accept the terminating NUL; *in is never one. */
		if (k == RECOVERY_SYMBOLS || strchr(recovery_alphabet, c) == NULL) {
			out[0] = '\0';
			return CRM_EINVAL;
		}
		out[k++] = c;
	}
	if (k != RECOVERY_SYMBOLS) {
		out[0] = '\0';
		return CRM_EINVAL;
	}
	out[k] = '\0';
	return CRM_OK;
}
