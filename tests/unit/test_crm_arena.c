/* Arena, growable buffer and escapers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_escape.h"

static int cleaned;

static void
count_cleanup(void *arg)
{
	cleaned += *(int *)arg;
}

static void
test_alloc_aligned_and_distinct(void **state)
{
	struct crm_arena *a = crm_arena_new(1024);
	char *p = crm_arena_alloc(a, 3), *q = crm_arena_alloc(a, 5);
	size_t i;

	(void)state;
	assert_true(((uintptr_t)p % 16) == 0);
	assert_true(((uintptr_t)q % 16) == 0);
	assert_ptr_not_equal(p, q);
	/* Far more than a block: large allocations get blocks of their own. */
	for (i = 0; i < 200; i++)
		memset(crm_arena_alloc(a, 700), (int)i, 700);
	memset(crm_arena_alloc(a, 100000), 1, 100000);
	assert_true(crm_arena_used(a) >= 200 * 700 + 100000);
	crm_arena_reset(a);
	assert_int_equal(crm_arena_used(a), 0);
	crm_arena_free(a);
}

static void
test_reset_keeps_the_first_block(void **state)
{
	struct crm_arena *a = crm_arena_new(4096);
	char *p1, *p2;

	(void)state;
	p1 = crm_arena_alloc(a, 16);
	crm_arena_alloc(a, 1 << 20);
	crm_arena_alloc(a, 3000);
	crm_arena_alloc(a, 3000);
	crm_arena_reset(a);
	p2 = crm_arena_alloc(a, 16);
	assert_ptr_equal(p1, p2);
	crm_arena_free(a);
}

static void
test_cleanups_run_once_latest_first(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	int one = 1, ten = 10;

	(void)state;
	cleaned = 0;
	crm_arena_cleanup(a, count_cleanup, &one);
	crm_arena_cleanup(a, count_cleanup, &ten);
	crm_arena_reset(a);
	assert_int_equal(cleaned, 11);
	crm_arena_reset(a);
	assert_int_equal(cleaned, 11);
	crm_arena_cleanup(a, count_cleanup, &one);
	crm_arena_free(a);
	assert_int_equal(cleaned, 12);
}

static void
test_realloc_grows_in_place_and_copies(void **state)
{
	struct crm_arena *a = crm_arena_new(4096);
	char *p = crm_arena_alloc(a, 8), *q;

	(void)state;
	memcpy(p, "abcdefg", 8);
	q = crm_arena_realloc(a, p, 8, 64);
	assert_ptr_equal(p, q);
	crm_arena_alloc(a, 1);
	q = crm_arena_realloc(a, p, 64, 128);
	assert_ptr_not_equal(p, q);
	assert_string_equal(q, "abcdefg");
	crm_arena_free(a);
}

static void
test_printf_and_strdup(void **state)
{
	struct crm_arena *a = crm_arena_new(0);

	(void)state;
	assert_string_equal(crm_arena_printf(a, "%s-%d", "x", 42), "x-42");
	assert_string_equal(crm_arena_join(a, "a", ": ", "", "bc", (char *)NULL), "a: bc");
	assert_string_equal(crm_arena_join(a, "", (char *)NULL), "");
	assert_string_equal(crm_arena_strndup(a, "hello", 3), "hel");
	crm_arena_free(a);
}

static void
test_buf_grows(void **state)
{
	struct crm_arena *a = crm_arena_new(0);
	struct crm_buf b;
	int i;

	(void)state;
	crm_buf_init(&b, a, 4);
	for (i = 0; i < 1000; i++)
		crm_buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "0,1,2,", 6);
	crm_buf_init(&b, NULL, 0);
	crm_buf_puts(&b, "heap");
	assert_string_equal(b.data, "heap");
	crm_buf_release(&b);
	crm_arena_free(a);
}

static const char *
esc(void (*fn)(struct crm_buf *, const char *, size_t), const char *in, struct crm_arena *a)
{
	struct crm_buf b;

	crm_buf_init(&b, a, 0);
	fn(&b, in, strlen(in));
	return b.data;
}

static void
test_escapers(void **state)
{
	struct crm_arena *a = crm_arena_new(0);

	(void)state;
	assert_string_equal(esc(crm_escape_html, "<a href=\"x\">Tom & 'Jerry'</a>", a),
	    "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
	assert_string_equal(esc(crm_escape_html, "中文 plain", a), "中文 plain");
	assert_string_equal(esc(crm_escape_url_arg, "a b&c=d/é", a), "a%20b%26c%3Dd%2F%C3%A9");
	assert_string_equal(esc(crm_escape_url_path, "a b/c", a), "a%20b/c");
	assert_string_equal(esc(crm_escape_js, "</script>\"\n'", a),
	    "\\u003c/script\\u003e\\\"\\n\\u0027");
	crm_arena_free(a);
}

/* The escaper against the plain byte-by-byte rule, on random texts of
 * every length around the point where it stops reserving the worst case,
 * appended to a buffer that already holds text. */
static void
test_escape_html_random(void **state)
{
	/* Besides the five, bytes one bit away from them: the escaper
	 * finds the five 16 at a time by masking a bit. */
	static const char alphabet[] = "ab<>&\"'\xe4\xb8\xad \n=?$#%(;~\xbc\xbe\xa6\xa2";
	struct crm_buf got, want;
	char *in = malloc(9000);
	size_t n, i, k;

	(void)state;
	srand(7);
	for (k = 0; k < 400; k++) {
		n = k < 300 ? (size_t)rand() % 64 : 4090 + (size_t)rand() % 4900;
		for (i = 0; i < n; i++)
			in[i] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		crm_buf_init(&got, NULL, 0);
		crm_buf_init(&want, NULL, 0);
		crm_buf_puts(&got, "head:");
		crm_buf_puts(&want, "head:");
		crm_escape_html(&got, in, n);
		for (i = 0; i < n; i++)
			crm_buf_puts(&want, in[i] == '&' ? "&amp;" : in[i] == '<' ? "&lt;" : in[i] == '>' ? "&gt;" :
			    in[i] == '"' ? "&quot;" : in[i] == '\'' ? "&#39;" : (char[]){ in[i], 0 });
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len + 1);
		crm_buf_release(&got);
		crm_buf_release(&want);
	}
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_aligned_and_distinct),
		cmocka_unit_test(test_reset_keeps_the_first_block),
		cmocka_unit_test(test_cleanups_run_once_latest_first),
		cmocka_unit_test(test_realloc_grows_in_place_and_copies),
		cmocka_unit_test(test_printf_and_strdup),
		cmocka_unit_test(test_buf_grows),
		cmocka_unit_test(test_escapers),
		cmocka_unit_test(test_escape_html_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
