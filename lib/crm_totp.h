/* Two-factor building blocks: RFC 4648 base32, HOTP (RFC 4226), TOTP
 * (RFC 6238), the otpauth:// enrolment URI and recovery codes. Nothing here
 * touches the database: the caller stores the base32 secret, the last time
 * step the user spent, and hashes of the recovery codes. */
#ifndef CRM_TOTP_H
#define CRM_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "crm.h"
#include "crm_buf.h"

enum crm_totp_alg {
	CRM_TOTP_SHA1,          /* what every authenticator app supports */
	CRM_TOTP_SHA256,
	CRM_TOTP_SHA512,
};

#define CRM_TOTP_PERIOD 30              /* seconds per time step */
#define CRM_TOTP_KEY_MAX 64             /* bytes: RFC 6238's SHA-512 seed */
#define CRM_TOTP_SECRET_BYTES 20        /* 160 bits, as RFC 4226 recommends */
#define CRM_TOTP_SECRET_SIZE 33         /* its base32 form, plus NUL */
#define CRM_TOTP_CODE_SIZE 9            /* up to 8 digits, plus NUL */
#define CRM_TOTP_RECOVERY_SIZE 15       /* "k7qm-x2p9-vd4h", plus NUL */
#define CRM_TOTP_RECOVERY_NORM_SIZE 13  /* "k7qmx2p9vd4h", plus NUL */

/* One user's generator. It holds the raw key: wipe it with sodium_memzero()
 * when done. */
struct crm_totp {
	unsigned char key[CRM_TOTP_KEY_MAX];
	size_t keylen;          /* 1..CRM_TOTP_KEY_MAX */
	enum crm_totp_alg alg;
	int digits;             /* 6 or 8 */
};

/* Appends base32 of the bytes: upper case, no '=' padding. */
void crm_totp_base32_encode(struct crm_buf *, const void *, size_t);
/* Decodes base32 in either case, with or without '=' padding, ignoring
 * spaces. CRM_EINVAL on any other byte, on padding that is not at the end or
 * does not fill a block of 8, or on a length no encoder produces (1, 3 or 6
 * symbols in the last block); bits left over after the last whole byte are
 * ignored. CRM_ETOOBIG when the result would exceed cap bytes. */
enum crm_err crm_totp_base32_decode(unsigned char *out, size_t cap, size_t *outlen,
    const char *, size_t);

/* Fills *t from a base32 secret. CRM_EINVAL on bad base32, an empty key, an
 * unknown alg or digits other than 6 or 8; CRM_ETOOBIG over 64 bytes. */
enum crm_err crm_totp_init(struct crm_totp *t, const char *secret,
    enum crm_totp_alg, int digits);

/* A fresh secret: 20 bytes from libsodium's CSPRNG, in base32 (32 chars). */
void crm_totp_secret_new(char out[CRM_TOTP_SECRET_SIZE]);

/* The RFC 4226 code for a counter, zero-padded to t->digits. CRM_EINVAL
 * when *t is malformed, CRM_EIO if libcrypto fails. */
enum crm_err crm_totp_hotp(const struct crm_totp *t, uint64_t counter,
    char code[CRM_TOTP_CODE_SIZE]);
/* The RFC 6238 code at a Unix time (T0 = 0, 30 s steps). CRM_EINVAL also
 * for a time before 1970. */
enum crm_err crm_totp_code(const struct crm_totp *t, time_t when,
    char code[CRM_TOTP_CODE_SIZE]);

/*
 * Checks a code the user typed against the steps before, at and after
 * `now`, so a phone clock 30 s off still works. On CRM_OK *step is the
 * matching time step (the latest, should two steps share a code). The
 * caller must refuse the code when *step <= the step the user last spent,
 * and record the new one in the same statement that checks it ("UPDATE
 * users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", one
 * row changed) so two requests cannot both spend one code. CRM_EINVAL for
 * a NULL code, one that is not exactly t->digits ASCII digits, or one that
 * matches no step; nothing else is said, on purpose.
 */
enum crm_err crm_totp_verify(const struct crm_totp *t, const char *code,
    time_t now, uint64_t *step);

/* Appends the Key URI authenticator apps read from the enrolment QR code:
 * otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1
 * &digits=6&period=30, ISSUER and ACCOUNT percent-encoded (UTF-8 is fine).
 * issuer may be NULL or "" to leave it out. CRM_EINVAL, with nothing
 * appended, for an empty account, a ':' in either (apps split the label on
 * it) or a malformed *t. */
enum crm_err crm_totp_uri(struct crm_buf *, const struct crm_totp *t,
    const char *issuer, const char *account);

/* n recovery codes like "k7qm-x2p9-vd4h": 12 symbols from 31 that cannot be
 * mistaken for one another (no 0 o 1 l i), about 59 bits each, all
 * different. Store only a keyed hash of each code's normalised form. */
void crm_totp_recovery_new(char codes[][CRM_TOTP_RECOVERY_SIZE], size_t n);
/* The canonical form of a typed recovery code: dashes, spaces and tabs
 * dropped, letters lowercased. CRM_EINVAL unless that leaves exactly 12
 * symbols of the alphabet (or in is NULL). */
enum crm_err crm_totp_recovery_normalise(char out[CRM_TOTP_RECOVERY_NORM_SIZE],
    const char *in);

#endif
