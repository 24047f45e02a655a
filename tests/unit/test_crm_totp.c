/* Base32, HOTP, TOTP, otpauth:// URIs and recovery codes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_totp.h"

/* RFC 6238 Appendix B's seeds: the SHA-1 one repeated to each hash's size. */
#define SEED20 "12345678901234567890"
#define SEED32 SEED20 "123456789012"
#define SEED64 SEED20 SEED20 SEED20 "1234"

static void
raw_totp(struct crm_totp *t, const char *key, enum crm_totp_alg alg, int digits)
{
	memset(t, 0, sizeof(*t));
	t->keylen = strlen(key);
	memcpy(t->key, key, t->keylen);
	t->alg = alg;
	t->digits = digits;
}

static void
test_rfc6238_vectors(void **state)
{
	static const struct {
		time_t when;
		const char *sha1, *sha256, *sha512;
	} v[] = {
		{ 59, "94287082", "46119246", "90693936" },
		{ 1111111109, "07081804", "68084774", "25091201" },
		{ 1111111111, "14050471", "67062674", "99943326" },
		{ 1234567890, "89005924", "91819424", "93441116" },
		{ 2000000000, "69279037", "90698825", "38618901" },
		{ 20000000000, "65353130", "77737706", "47863826" },
	};
	struct crm_totp t1, t256, t512;
	char code[CRM_TOTP_CODE_SIZE];
	size_t i;

	(void)state;
	assert_int_equal(strlen(SEED32), 32);
	assert_int_equal(strlen(SEED64), 64);
	raw_totp(&t1, SEED20, CRM_TOTP_SHA1, 8);
	raw_totp(&t256, SEED32, CRM_TOTP_SHA256, 8);
	raw_totp(&t512, SEED64, CRM_TOTP_SHA512, 8);
	for (i = 0; i < CRM_NELEM(v); i++) {
		assert_int_equal(crm_totp_code(&t1, v[i].when, code), CRM_OK);
		assert_string_equal(code, v[i].sha1);
		assert_int_equal(crm_totp_code(&t256, v[i].when, code), CRM_OK);
		assert_string_equal(code, v[i].sha256);
		assert_int_equal(crm_totp_code(&t512, v[i].when, code), CRM_OK);
		assert_string_equal(code, v[i].sha512);
	}
	/* The same seeds as base32, through crm_totp_init. */
	assert_int_equal(crm_totp_init(&t1, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
	    CRM_TOTP_SHA1, 8), CRM_OK);
	assert_int_equal(t1.keylen, 20);
	assert_int_equal(crm_totp_code(&t1, 1234567890, code), CRM_OK);
	assert_string_equal(code, "89005924");
	assert_int_equal(crm_totp_code(&t1, -1, code), CRM_EINVAL);
}

static void
test_rfc4226_hotp(void **state)
{
	static const char *const want[] = {
		"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489",
	};
	struct crm_totp t;
	char code[CRM_TOTP_CODE_SIZE];
	uint64_t i;

	(void)state;
	raw_totp(&t, SEED20, CRM_TOTP_SHA1, 6);
	for (i = 0; i < CRM_NELEM(want); i++) {
		assert_int_equal(crm_totp_hotp(&t, i, code), CRM_OK);
		assert_string_equal(code, want[i]);
	}
	t.digits = 7;
	assert_int_equal(crm_totp_hotp(&t, 0, code), CRM_EINVAL);
	t.digits = 6;
	t.alg = (enum crm_totp_alg)3;
	assert_int_equal(crm_totp_hotp(&t, 0, code), CRM_EINVAL);
	t.alg = CRM_TOTP_SHA1;
	t.keylen = 0;
	assert_int_equal(crm_totp_hotp(&t, 0, code), CRM_EINVAL);
}

static enum crm_err
decode(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	enum crm_err e;

	e = crm_totp_base32_decode((unsigned char *)out, cap, &n, in, strlen(in));
	if (e == CRM_OK)
		out[n] = '\0';
	return e;
}

static void
test_base32_rfc4648(void **state)
{
	static const struct {
		const char *raw, *padded, *bare;
	} v[] = {
		{ "", "", "" },
		{ "f", "MY======", "MY" },
		{ "fo", "MZXQ====", "MZXQ" },
		{ "foo", "MZXW6===", "MZXW6" },
		{ "foob", "MZXW6YQ=", "MZXW6YQ" },
		{ "fooba", "MZXW6YTB", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI======", "MZXW6YTBOI" },
	};
	struct crm_arena *a = crm_arena_new(0);
	struct crm_buf b;
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < CRM_NELEM(v); i++) {
		crm_buf_init(&b, a, 0);
		crm_totp_base32_encode(&b, v[i].raw, strlen(v[i].raw));
		assert_string_equal(b.data, v[i].bare);
		assert_int_equal(decode(v[i].padded, out, sizeof(out)), CRM_OK);
		assert_string_equal(out, v[i].raw);
		assert_int_equal(decode(v[i].bare, out, sizeof(out)), CRM_OK);
		assert_string_equal(out, v[i].raw);
	}
	/* Loose input: lower case, spaces as authenticator apps show them. */
	assert_int_equal(decode("mzxw 6ytb oi", out, sizeof(out)), CRM_OK);
	assert_string_equal(out, "foobar");
	assert_int_equal(decode(" MzXw6YtBoI====== ", out, sizeof(out)), CRM_OK);
	assert_string_equal(out, "foobar");
	assert_int_equal(decode("MZXW6YTB OI== ====", out, sizeof(out)), CRM_OK);
	assert_string_equal(out, "foobar");
	crm_arena_free(a);
}

static void
test_base32_refusals(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(decode("MZXW6YT1", out, sizeof(out)), CRM_EINVAL);  /* 1 */
	assert_int_equal(decode("MZXW6YT8", out, sizeof(out)), CRM_EINVAL);  /* 8 */
	assert_int_equal(decode("MZXW-6YTB", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MZXW6YTB\n", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("M", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MZX", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MZXW6Y", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MZXW6YTBM", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MY=", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MY=======", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MY======MY", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MZXW6YTB========", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("=", out, sizeof(out)), CRM_EINVAL);
	assert_int_equal(decode("MZXW6YTBOI", out, 5), CRM_ETOOBIG);
	assert_int_equal(decode("MZXW6YTBOI", out, 7), CRM_OK);
	assert_string_equal(out, "foobar");
}

static void
test_base32_round_trip(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	unsigned char raw[41], back[41];
	struct crm_buf b;
	size_t n, i, len;

	(void)state;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 37 + 11);
	for (n = 0; n <= sizeof(raw); n++) {
		crm_buf_init(&b, a, 0);
		crm_totp_base32_encode(&b, raw, n);
		assert_int_equal(b.len, (n * 8 + 4) / 5);
		assert_int_equal(crm_totp_base32_decode(back, n, &len, b.data, b.len),
		    CRM_OK);
		assert_int_equal(len, n);
		assert_memory_equal(back, raw, n);
	}
	crm_arena_free(a);
}

static void
test_init_refusals(void **state)
{
	struct crm_totp t;
	char big[CRM_TOTP_KEY_MAX / 5 * 8 + 16];

	(void)state;
	assert_int_equal(crm_totp_init(&t, "JBSWY3DPEHPK3PXP", CRM_TOTP_SHA1, 6), CRM_OK);
	assert_int_equal(t.keylen, 10);
	assert_int_equal(crm_totp_init(&t, "", CRM_TOTP_SHA1, 6), CRM_EINVAL);
	assert_int_equal(crm_totp_init(&t, "JBSWY3DP!", CRM_TOTP_SHA1, 6), CRM_EINVAL);
	assert_int_equal(crm_totp_init(&t, "JBSWY3DPEHPK3PXP", CRM_TOTP_SHA1, 7), CRM_EINVAL);
	assert_int_equal(crm_totp_init(&t, "JBSWY3DPEHPK3PXP", (enum crm_totp_alg)9, 6),
	    CRM_EINVAL);
	/* 65 bytes: 104 symbols. */
	memset(big, 'A', 104);
	big[104] = '\0';
	assert_int_equal(crm_totp_init(&t, big, CRM_TOTP_SHA512, 8), CRM_ETOOBIG);
	big[103] = '\0';        /* 103 symbols: 64 bytes and 3 spare bits */
	assert_int_equal(crm_totp_init(&t, big, CRM_TOTP_SHA512, 8), CRM_OK);
	assert_int_equal(t.keylen, 64);
}

/* 1111111111 is 1 s into step 37037037. */
#define NOW ((time_t)1111111111)
#define NOW_STEP 37037037u

static void
code_at(const struct crm_totp *t, time_t when, char code[CRM_TOTP_CODE_SIZE])
{
	assert_int_equal(crm_totp_code(t, when, code), CRM_OK);
}

static void
test_verify_window(void **state)
{
	struct crm_totp t;
	char code[CRM_TOTP_CODE_SIZE];
	uint64_t step;
	int d;

	(void)state;
	raw_totp(&t, SEED20, CRM_TOTP_SHA1, 6);
	for (d = -1; d <= 1; d++) {
		code_at(&t, NOW + d * CRM_TOTP_PERIOD, code);
		step = 0;
		assert_int_equal(crm_totp_verify(&t, code, NOW, &step), CRM_OK);
		assert_int_equal(step, NOW_STEP + d);
	}
	for (d = -2; d <= 2; d += 4) {
		code_at(&t, NOW + d * CRM_TOTP_PERIOD, code);
		assert_int_equal(crm_totp_verify(&t, code, NOW, &step), CRM_EINVAL);
	}
	/* The window is in steps, not seconds: 32 s back is two steps back... */
	code_at(&t, NOW - 32, code);
	assert_int_equal(crm_totp_verify(&t, code, NOW, &step), CRM_EINVAL);
	/* ...while 59 s back, from a step's last second, is one. */
	code_at(&t, NOW - 31, code);
	assert_int_equal(crm_totp_verify(&t, code, NOW + 28, &step), CRM_OK);
	assert_int_equal(step, NOW_STEP - 1);
	/* At the epoch there is no step -1. */
	code_at(&t, 0, code);
	assert_int_equal(crm_totp_verify(&t, code, 5, &step), CRM_OK);
	assert_int_equal(step, 0);
	assert_int_equal(crm_totp_verify(&t, code, -1, &step), CRM_EINVAL);
}

/* Two steps that share a code, found by search: the later one is reported,
 * so a user who spent the earlier can still log in with the later. */
static void
test_verify_reports_latest_step(void **state)
{
	struct crm_totp t;
	char code[CRM_TOTP_CODE_SIZE];
	uint64_t step;

	(void)state;
	raw_totp(&t, SEED20, CRM_TOTP_SHA1, 6);
	code_at(&t, (time_t)37353814 * CRM_TOTP_PERIOD, code);
	assert_string_equal(code, "137227");
	code_at(&t, (time_t)37353816 * CRM_TOTP_PERIOD, code);
	assert_string_equal(code, "137227");
	assert_int_equal(crm_totp_verify(&t, "137227", (time_t)37353815 * CRM_TOTP_PERIOD,
	    &step), CRM_OK);
	assert_int_equal(step, 37353816);
	code_at(&t, (time_t)37079356 * CRM_TOTP_PERIOD, code);
	assert_string_equal(code, "186519");
	assert_int_equal(crm_totp_verify(&t, "186519", (time_t)37079357 * CRM_TOTP_PERIOD + 29,
	    &step), CRM_OK);
	assert_int_equal(step, 37079357);
}

/* What a login handler does with the step verify reports. */
static int
login(const struct crm_totp *t, const char *code, time_t now, uint64_t *last)
{
	uint64_t step;

	if (crm_totp_verify(t, code, now, &step) != CRM_OK || step <= *last)
		return 0;
	*last = step;
	return 1;
}

static void
test_replay_refused(void **state)
{
	struct crm_totp t;
	char code[CRM_TOTP_CODE_SIZE], older[CRM_TOTP_CODE_SIZE], next[CRM_TOTP_CODE_SIZE];
	uint64_t last = 0;

	(void)state;
	raw_totp(&t, SEED20, CRM_TOTP_SHA1, 6);
	code_at(&t, NOW, code);
	code_at(&t, NOW - CRM_TOTP_PERIOD, older);
	code_at(&t, NOW + CRM_TOTP_PERIOD, next);
	assert_true(login(&t, code, NOW, &last));
	assert_int_equal(last, NOW_STEP);
	/* The same code again, in the same step and in the next. */
	assert_false(login(&t, code, NOW, &last));
	assert_false(login(&t, code, NOW + CRM_TOTP_PERIOD, &last));
	/* A code older than the one spent, though inside the window. */
	assert_false(login(&t, older, NOW, &last));
	/* The next step's code is fresh. */
	assert_true(login(&t, next, NOW + CRM_TOTP_PERIOD, &last));
	assert_int_equal(last, NOW_STEP + 1);
}

static void
test_malformed_codes_refused(void **state)
{
	static const char *const bad[] = {
		"", "12345", "1234567", "12a456", " 123456", "123456 ",
		"123 456", "+12345", "-12345", "0x1234", "12345\n",
		"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96",
	};
	struct crm_totp t;
	char code[CRM_TOTP_CODE_SIZE], longer[CRM_TOTP_CODE_SIZE + 1];
	uint64_t step;
	size_t i;

	(void)state;
	raw_totp(&t, SEED20, CRM_TOTP_SHA1, 6);
	for (i = 0; i < CRM_NELEM(bad); i++)
		assert_int_equal(crm_totp_verify(&t, bad[i], NOW, &step), CRM_EINVAL);
	assert_int_equal(crm_totp_verify(&t, NULL, NOW, &step), CRM_EINVAL);
	/* The right code with something after it. */
	code_at(&t, NOW, code);
	snprintf(longer, sizeof(longer), "%s0", code);
	assert_int_equal(crm_totp_verify(&t, longer, NOW, &step), CRM_EINVAL);
	/* The 6-digit tail of the 8-digit code is not accepted for 8 digits. */
	raw_totp(&t, SEED20, CRM_TOTP_SHA1, 8);
	code_at(&t, NOW, code);
	assert_string_equal(code, "14050471");
	assert_int_equal(crm_totp_verify(&t, "050471", NOW, &step), CRM_EINVAL);
	assert_int_equal(crm_totp_verify(&t, code, NOW, &step), CRM_OK);
	/* A wrong code of the right shape. */
	assert_int_equal(crm_totp_verify(&t, "14050470", NOW, &step), CRM_EINVAL);
}

static void
test_secret_new(void **state)
{
	char s1[CRM_TOTP_SECRET_SIZE], s2[CRM_TOTP_SECRET_SIZE];
	unsigned char raw[64];
	struct crm_totp t;
	size_t n;

	(void)state;
	crm_totp_secret_new(s1);
	crm_totp_secret_new(s2);
	assert_int_equal(strlen(s1), 32);
	assert_int_equal(strspn(s1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
	assert_string_not_equal(s1, s2);
	assert_int_equal(crm_totp_base32_decode(raw, sizeof(raw), &n, s1, 32), CRM_OK);
	assert_int_equal(n, CRM_TOTP_SECRET_BYTES);
	assert_int_equal(crm_totp_init(&t, s1, CRM_TOTP_SHA1, 6), CRM_OK);
}

static void
test_uri(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	struct crm_totp t;
	struct crm_buf b;

	(void)state;
	raw_totp(&t, SEED20, CRM_TOTP_SHA1, 6);
	crm_buf_init(&b, a, 0);
	assert_int_equal(crm_totp_uri(&b, &t, "Acme CRM", "zhang.wei@example.com"), CRM_OK);
	assert_string_equal(b.data,
	    "otpauth://totp/Acme%20CRM:zhang.wei%40example.com"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20CRM"
	    "&algorithm=SHA1&digits=6&period=30");

	raw_totp(&t, SEED32, CRM_TOTP_SHA256, 8);
	crm_buf_init(&b, a, 0);
	assert_int_equal(crm_totp_uri(&b, &t, "张 & Co/?", "w+1@x"), CRM_OK);
	assert_string_equal(b.data,
	    "otpauth://totp/%E5%BC%A0%20%26%20Co%2F%3F:w%2B1%40x"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"
	    "&issuer=%E5%BC%A0%20%26%20Co%2F%3F&algorithm=SHA256&digits=8&period=30");

	crm_buf_init(&b, a, 0);
	assert_int_equal(crm_totp_uri(&b, &t, NULL, "bob"), CRM_OK);
	assert_string_equal(b.data, "otpauth://totp/bob?secret="
	    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"
	    "&algorithm=SHA256&digits=8&period=30");

	crm_buf_init(&b, a, 0);
	assert_int_equal(crm_totp_uri(&b, &t, "Acme:CRM", "bob"), CRM_EINVAL);
	assert_int_equal(crm_totp_uri(&b, &t, "Acme", "bob:x"), CRM_EINVAL);
	assert_int_equal(crm_totp_uri(&b, &t, "Acme", ""), CRM_EINVAL);
	assert_int_equal(b.len, 0);
	crm_arena_free(a);
}

static void
test_recovery_codes(void **state)
{
	char codes[10][CRM_TOTP_RECOVERY_SIZE], norm[CRM_TOTP_RECOVERY_NORM_SIZE];
	const char *alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
	size_t i, j;

	(void)state;
	crm_totp_recovery_new(codes, CRM_NELEM(codes));
	for (i = 0; i < CRM_NELEM(codes); i++) {
		const char *c = codes[i];

		assert_int_equal(strlen(c), 14);
		for (j = 0; j < 14; j++)
			if (j == 4 || j == 9)
				assert_int_equal(c[j], '-');
			else
				assert_non_null(strchr(alphabet, c[j]));
		for (j = 0; j < i; j++)
			assert_string_not_equal(c, codes[j]);
		assert_int_equal(crm_totp_recovery_normalise(norm, c), CRM_OK);
		assert_int_equal(strlen(norm), 12);
		assert_memory_equal(norm, c, 4);
		assert_memory_equal(norm + 4, c + 5, 4);
		assert_memory_equal(norm + 8, c + 10, 4);
	}
}

static void
test_recovery_normalise(void **state)
{
	static const char *const good[] = {
		"k7qm-x2p9-vd4h", "K7QM-X2P9-VD4H", "k7qmx2p9vd4h", " k7qm x2p9 vd4h ",
		"k7-qm-x2-p9-vd-4h", "K7qM\tX2p9--vD4h", "k 7 q m x 2 p 9 v d 4 h",
	};
	static const char *const bad[] = {
		"", "----", "k7qm-x2p9-vd4", "k7qm-x2p9-vd4hh", "k7qm-x2p9-vd40",
		"k7qm-x2p9-vd4l", "k7qm-x2p9-vd4i", "k7qm-x2p9-vd4o", "k7qm-x2p9-vd41",
		"k7qm_x2p9_vd4h", "k7qm-x2p9-vd4h\n", "k7qm-x2p9-vd4\xc3\xa9",
		"k7qm-x2p9-vd4h-k7qm-x2p9-vd4h-k7qm",
	};
	char norm[CRM_TOTP_RECOVERY_NORM_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < CRM_NELEM(good); i++) {
		assert_int_equal(crm_totp_recovery_normalise(norm, good[i]), CRM_OK);
		assert_string_equal(norm, "k7qmx2p9vd4h");
	}
	for (i = 0; i < CRM_NELEM(bad); i++) {
		assert_int_equal(crm_totp_recovery_normalise(norm, bad[i]), CRM_EINVAL);
		assert_string_equal(norm, "");
	}
	assert_int_equal(crm_totp_recovery_normalise(norm, NULL), CRM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_rfc4226_hotp),
		cmocka_unit_test(test_base32_rfc4648),
		cmocka_unit_test(test_base32_refusals),
		cmocka_unit_test(test_base32_round_trip),
		cmocka_unit_test(test_init_refusals),
		cmocka_unit_test(test_verify_window),
		cmocka_unit_test(test_verify_reports_latest_step),
		cmocka_unit_test(test_replay_refused),
		cmocka_unit_test(test_malformed_codes_refused),
		cmocka_unit_test(test_secret_new),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_recovery_codes),
		cmocka_unit_test(test_recovery_normalise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
