/* CSV writer and streaming reader. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crm_buf.h"
#include "crm_csv.h"

/* Rows as text, "row:field|field\n", so a whole parse compares in one go. */
struct rows {
	struct crm_buf out;
	size_t stop_at;         /* the callback stops after this row; 0: never */
	size_t calls;
};

struct result {
	enum crm_err e;
	char msg[128];
};

static int
collect(void *arg, size_t row_no, char **fields, size_t nfields)
{
	struct rows *r = arg;
	size_t i;

	r->calls++;
	crm_buf_printf(&r->out, "%zu:", row_no);
	for (i = 0; i < nfields; i++) {
		if (i > 0)
			crm_buf_putc(&r->out, '|');
		crm_buf_puts(&r->out, fields[i]);
	}
	crm_buf_putc(&r->out, '\n');
	return r->stop_at != 0 && row_no >= r->stop_at;
}

static void
rows_init(struct rows *r, size_t stop_at)
{
	memset(r, 0, sizeof(*r));
	crm_buf_init(&r->out, NULL, 256);
	r->stop_at = stop_at;
}

/* Feeds len bytes in chunks of `chunk` (0: all at once), then finishes. */
static struct result
parse_chunked(const char *in, size_t len, size_t chunk, size_t max_fields,
    size_t max_bytes, struct rows *r)
{
	struct crm_csv_reader *rd;
	struct result res;
	size_t off, n;

	rd = crm_csv_reader_new(collect, r, max_fields, max_bytes);
	res.e = CRM_OK;
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	for (off = 0; off < len && res.e == CRM_OK; off += n) {
		n = len - off < chunk ? len - off : chunk;
		res.e = crm_csv_feed(rd, in + off, n);
	}
	if (res.e == CRM_OK)
		res.e = crm_csv_finish(rd);
	snprintf(res.msg, sizeof(res.msg), "%s", crm_csv_reader_error(rd));
	crm_csv_reader_free(rd);
	return res;
}

/* Parses a string whole with roomy limits; returns the rows as text. */
static char *
parse_str(const char *in, struct result *res)
{
	struct rows r;

	rows_init(&r, 0);
	*res = parse_chunked(in, strlen(in), 0, 64, 1024, &r);
	return r.out.data;
}

static void
assert_parses(const char *in, const char *want)
{
	struct result res;
	char *got = parse_str(in, &res);

	assert_int_equal(res.e, CRM_OK);
	assert_string_equal(res.msg, "");
	assert_string_equal(got, want);
	free(got);
}

static void
assert_fails(const char *in, size_t max_fields, size_t max_bytes,
    enum crm_err e, const char *msg)
{
	struct rows r;
	struct result res;

	rows_init(&r, 0);
	res = parse_chunked(in, strlen(in), 0, max_fields, max_bytes, &r);
	assert_int_equal(res.e, e);
	assert_string_equal(res.msg, msg);
	crm_buf_release(&r.out);
	/* The same error, found at the same place, a byte at a time. */
	rows_init(&r, 0);
	res = parse_chunked(in, strlen(in), 1, max_fields, max_bytes, &r);
	assert_int_equal(res.e, e);
	assert_string_equal(res.msg, msg);
	crm_buf_release(&r.out);
}

/*
 * Writer.
 */

/* One field, written as the first of its row. */
static char *
field(const char *v)
{
	struct crm_buf b;

	crm_buf_init(&b, NULL, 16);
	crm_csv_field(&b, v, 1);
	return b.data;
}

static void
assert_field(const char *v, const char *want)
{
	char *got = field(v);

	assert_string_equal(got, want);
	free(got);
}

static void
test_write_quoting(void **state)
{
	(void)state;
	assert_field("plain", "plain");
	assert_field("", "");
	assert_field(NULL, "");
	assert_field("a,b", "\"a,b\"");
	assert_field("say \"hi\"", "\"say \"\"hi\"\"\"");
	assert_field("\"", "\"\"\"\"");
	assert_field("line1\nline2", "\"line1\nline2\"");
	assert_field("line1\r\nline2", "\"line1\r\nline2\"");
	assert_field(" lead", "\" lead\"");
	assert_field("trail ", "\"trail \"");
	assert_field("trail\t", "\"trail\t\"");
	assert_field("in side", "in side");
	assert_field("it's", "it's");
}

static void
test_write_formula_guard(void **state)
{
	(void)state;
	assert_field("=SUM(1)", "\"'=SUM(1)\"");
	assert_field("@cmd", "\"'@cmd\"");
	assert_field("-1+1", "\"'-1+1\"");
	assert_field("+1-1", "\"'+1-1\"");
	assert_field("=HYPERLINK(\"http://x\",\"y\")",
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	assert_field("\tcmd", "\"'\tcmd\"");
	assert_field("\rcmd", "\"'\rcmd\"");
	assert_field("-", "\"'-\"");
	assert_field("+", "\"'+\"");
	assert_field("-1e5", "\"'-1e5\"");
	assert_field("+86 138 1234 5678", "\"'+86 138 1234 5678\"");
	/* Numbers keep their sign: amounts and phone numbers. */
	assert_field("-12.50", "-12.50");
	assert_field("+8613812345678", "+8613812345678");
	assert_field("-5", "-5");
	assert_field("-.5", "-.5");
	assert_field("12", "12");
	/* Only the first byte matters. */
	assert_field("a=1", "a=1");
	assert_field("1-2", "1-2");
}

static void
test_write_rows(void **state)
{
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, NULL, 16);
	crm_csv_bom(&b);
	crm_csv_field(&b, "姓名", 1);
	crm_csv_field(&b, "电话", 0);
	crm_csv_end_row(&b);
	crm_csv_field(&b, "张伟", 1);
	crm_csv_field(&b, "北京,朝阳区", 0);
	crm_csv_field(&b, NULL, 0);
	crm_csv_end_row(&b);
	assert_int_equal(b.len, strlen(b.data));
	assert_string_equal(b.data, "\xEF\xBB\xBF姓名,电话\r\n"
	    "张伟,\"北京,朝阳区\",\r\n");
	crm_buf_release(&b);
}

/*
 * Reader.
 */

static void
test_read_simple(void **state)
{
	(void)state;
	assert_parses("name,phone,city\nAnn,123,Paris\nBo,,\n",
	    "1:name|phone|city\n2:Ann|123|Paris\n3:Bo||\n");
	assert_parses("", "");
	assert_parses("one\n", "1:one\n");
	/* Blank lines are skipped, and not counted. */
	assert_parses("a\n\n\nb\n", "1:a\n2:b\n");
	/* Spaces in bare fields are data. */
	assert_parses(" a , b \n", "1: a | b \n");
	assert_parses("张伟,北京\n", "1:张伟|北京\n");
}

static void
test_read_quoted(void **state)
{
	(void)state;
	assert_parses("\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",\"\"\nnext\n",
	    "1:a,b|say \"hi\"|l1\nl2|\n2:next\n");
	assert_parses("\"cr\r\nlf\"\r\n", "1:cr\r\nlf\n");
	assert_parses("\"\"\"\"\n", "1:\"\n");
}

static void
test_read_line_endings(void **state)
{
	(void)state;
	assert_parses("a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n");
	assert_parses("a,b\nc,d\n", "1:a|b\n2:c|d\n");
	assert_parses("a,b\r\nc,d\ne\r\n", "1:a|b\n2:c|d\n3:e\n");
	/* The last row needs no line ending. */
	assert_parses("a,b\r\nc,d", "1:a|b\n2:c|d\n");
	assert_parses("a,\"b\"", "1:a|b\n");
	assert_parses("a,", "1:a|\n");
}

static void
test_read_bom(void **state)
{
	(void)state;
	assert_parses("\xEF\xBB\xBFname,phone\n1,2\n", "1:name|phone\n2:1|2\n");
	assert_parses("\xEF\xBB\xBF", "");
	assert_parses("\xEF\xBB\xBF\"q\"\n", "1:q\n");
	/* Only at the very start. */
	assert_parses("a\n\xEF\xBB\xBF" "b\n", "1:a\n2:\xEF\xBB\xBF" "b\n");
	/* Half a BOM is not text. */
	assert_fails("\xEF\xBB", 64, 1024, CRM_EINVAL, "not UTF-8 text at row 1");
	assert_fails("\xEF\xBBx\n", 64, 1024, CRM_EINVAL,
	    "not UTF-8 text at row 1");
}

static void
test_read_stop(void **state)
{
	static const char in[] = "h\n1\n2\n3\n4\"bad\n";
	struct rows r;
	struct result res;
	size_t chunk;

	(void)state;
	for (chunk = 0; chunk <= 3; chunk++) {
		rows_init(&r, 2);
		res = parse_chunked(in, strlen(in), chunk, 64, 1024, &r);
		/* Stopping is the callback's choice, not an error, and what
		 * follows (here a stray quote) is never looked at. */
		assert_int_equal(res.e, CRM_OK);
		assert_string_equal(res.msg, "");
		assert_int_equal(r.calls, 2);
		assert_string_equal(r.out.data, "1:h\n2:1\n");
		crm_buf_release(&r.out);
	}
	/* A stop on the last row, delivered by finish. */
	rows_init(&r, 1);
	res = parse_chunked("x,y", 3, 0, 64, 1024, &r);
	assert_int_equal(res.e, CRM_OK);
	assert_string_equal(r.out.data, "1:x|y\n");
	crm_buf_release(&r.out);
}

static void
test_read_limits(void **state)
{
	(void)state;
	assert_fails("a,b,c\n1,2,3,4\n", 3, 1024, CRM_ETOOBIG,
	    "row 2: more than 3 columns");
	assert_fails("a,b,c\n1,2,3,\n", 3, 1024, CRM_ETOOBIG,
	    "row 2: more than 3 columns");
	assert_fails("a\nb\n123456789\n", 3, 8, CRM_ETOOBIG,
	    "row 3: a field is longer than 8 bytes");
	assert_fails("a\nb\n\"123456789\"\n", 3, 8, CRM_ETOOBIG,
	    "row 3: a field is longer than 8 bytes");
	assert_fails("a\n123456789", 3, 8, CRM_ETOOBIG,
	    "row 2: a field is longer than 8 bytes");
	/* Found while the field is still open. */
	assert_fails("a\n\"123456789012", 3, 8, CRM_ETOOBIG,
	    "row 2: a field is longer than 8 bytes");
	/* Eight bytes is allowed, however they are quoted. */
	{
		struct rows r;
		struct result res;
		static const char in[] = "12345678,\"1234567\"\"\",\"12,\"\"\"\"56\"\n";

		rows_init(&r, 0);
		res = parse_chunked(in, strlen(in), 1, 3, 8, &r);
		assert_int_equal(res.e, CRM_OK);
		assert_string_equal(r.out.data,
		    "1:12345678|1234567\"|12,\"\"56\n");
		crm_buf_release(&r.out);
	}
}

static void
test_read_big_field(void **state)
{
	struct rows r;
	struct result res;
	size_t n = 1024 * 1024, i;
	char *in = malloc(n + 2);

	(void)state;
	assert_non_null(in);
	in[0] = '"';
	memset(in + 1, 'x', n);
	in[n + 1] = '"';
	for (i = 0; i < 2; i++) {
		rows_init(&r, 0);
		res = parse_chunked(in, n + 2, i ? 4096 : 0, 4, 65536, &r);
		assert_int_equal(res.e, CRM_ETOOBIG);
		assert_string_equal(res.msg,
		    "row 1: a field is longer than 65536 bytes");
		assert_int_equal(r.calls, 0);
		crm_buf_release(&r.out);
	}
	free(in);
}

static void
test_read_bad_text(void **state)
{
	(void)state;
	assert_fails("a\nb\nc\nd\ne,\xff\n", 64, 1024, CRM_EINVAL,
	    "not UTF-8 text at row 5");
	/* An overlong '/', a surrogate, a cut-off 张. */
	assert_fails("\xC0\xAF\n", 64, 1024, CRM_EINVAL, "not UTF-8 text at row 1");
	assert_fails("x\n\"\xED\xA0\x80\"\n", 64, 1024, CRM_EINVAL,
	    "not UTF-8 text at row 2");
	assert_fails("x\n\xE5\xBC\n", 64, 1024, CRM_EINVAL,
	    "not UTF-8 text at row 2");
	/* A GBK-encoded 张伟, as a Chinese Excel saves "CSV" by default. */
	assert_fails("name\n\xD5\xC5\xCE\xB0\n", 64, 1024, CRM_EINVAL,
	    "not UTF-8 text at row 2");
	{
		static const char nul[] = "a\nb\0c\n";
		struct rows r;
		struct result res;

		rows_init(&r, 0);
		res = parse_chunked(nul, sizeof(nul) - 1, 0, 64, 1024, &r);
		assert_int_equal(res.e, CRM_EINVAL);
		assert_string_equal(res.msg, "row 2: a NUL byte in a field");
		crm_buf_release(&r.out);
	}
}

static void
test_read_bad_quotes(void **state)
{
	(void)state;
	assert_fails("a\n\"open,b\nc\n", 64, 1024, CRM_EINVAL,
	    "unterminated quoted field at row 2");
	assert_fails("a\"b\n", 64, 1024, CRM_EINVAL, "row 1: misplaced quote");
	assert_fails("x\n\"a\"b\n", 64, 1024, CRM_EINVAL,
	    "row 2: misplaced quote");
	assert_fails("x\n\"a\" ,b\n", 64, 1024, CRM_EINVAL,
	    "row 2: misplaced quote");
}

static void
test_read_bytewise(void **state)
{
	static const char in[] = "\xEF\xBB\xBF姓名,\"电话\",备注\r\n"
	    "张伟,+8613812345678,\"说 \"\"你好\"\"\r\n第二行\"\r\n"
	    "\n"
	    "Ann,\"\",\" x \"\n"
	    "last,row,\"no newline\"";
	struct rows whole, bytes, threes;
	struct result a, b, c;

	(void)state;
	rows_init(&whole, 0);
	rows_init(&bytes, 0);
	rows_init(&threes, 0);
	a = parse_chunked(in, strlen(in), 0, 8, 64, &whole);
	b = parse_chunked(in, strlen(in), 1, 8, 64, &bytes);
	c = parse_chunked(in, strlen(in), 3, 8, 64, &threes);
	assert_int_equal(a.e, CRM_OK);
	assert_int_equal(b.e, CRM_OK);
	assert_int_equal(c.e, CRM_OK);
	assert_string_equal(whole.out.data, "1:姓名|电话|备注\n"
	    "2:张伟|+8613812345678|说 \"你好\"\r\n第二行\n"
	    "3:Ann|| x \n"
	    "4:last|row|no newline\n");
	assert_string_equal(bytes.out.data, whole.out.data);
	assert_string_equal(threes.out.data, whole.out.data);
	crm_buf_release(&whole.out);
	crm_buf_release(&bytes.out);
	crm_buf_release(&threes.out);
}

static void
test_round_trip(void **state)
{
	static const char *const vals[] = {
		"a,b", "say \"hi\"", "l1\r\nl2", "l1\nl2", " lead", "trail ",
		"张伟", "", "-12.50", "+8613812345678", "\"", "\"\"", ",",
		"北京,\"朝阳\"\n区", "plain",
	};
	struct crm_buf b, want;
	struct rows r;
	struct result res;
	size_t i, row;

	(void)state;
	crm_buf_init(&b, NULL, 64);
	crm_buf_init(&want, NULL, 64);
	crm_csv_bom(&b);
	for (row = 1; row <= 3; row++) {
		crm_buf_printf(&want, "%zu:", row);
		for (i = 0; i < CRM_NELEM(vals); i++) {
			crm_csv_field(&b, vals[i], i == 0);
			crm_buf_printf(&want, "%s%s", i ? "|" : "", vals[i]);
		}
		/* The formula guard is one-way: the apostrophe stays. */
		crm_csv_field(&b, "=1+1", 0);
		crm_buf_puts(&want, "|'=1+1\n");
		crm_csv_end_row(&b);
	}
	for (i = 0; i < 3; i++) {
		rows_init(&r, 0);
		res = parse_chunked(b.data, b.len, i == 0 ? 0 : i == 1 ? 1 : 7,
		    32, 64, &r);
		assert_int_equal(res.e, CRM_OK);
		assert_string_equal(r.out.data, want.data);
		crm_buf_release(&r.out);
	}
	crm_buf_release(&b);
	crm_buf_release(&want);
}

static void
test_read_file(void **state)
{
	char path[] = "/tmp/test_crm_csv.XXXXXX", err[128];
	struct rows r;
	struct crm_buf b;
	enum crm_err e;
	size_t i;
	int fd;

	(void)state;
	/* Enough rows to cross several 64 KiB chunks. */
	crm_buf_init(&b, NULL, 64);
	crm_csv_bom(&b);
	for (i = 1; i <= 20000; i++) {
		crm_csv_field(&b, "张伟", 1);
		crm_buf_printf(&b, ",%zu,\"a\r\nb\"\r\n", i);
	}
	assert_true(b.len > 3 * 65536);
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	close(fd);

	rows_init(&r, 0);
	e = crm_csv_read_file(path, collect, &r, 3, 64, err, sizeof(err));
	assert_int_equal(e, CRM_OK);
	assert_string_equal(err, "");
	assert_int_equal(r.calls, 20000);
	assert_non_null(strstr(r.out.data, "\n20000:张伟|20000|a\r\nb\n"));
	assert_true(strncmp(r.out.data, "1:张伟|1|a\r\nb\n",
	    strlen("1:张伟|1|a\r\nb\n")) == 0);
	crm_buf_release(&r.out);

	rows_init(&r, 10);
	e = crm_csv_read_file(path, collect, &r, 3, 64, err, sizeof(err));
	assert_int_equal(e, CRM_OK);
	assert_int_equal(r.calls, 10);
	crm_buf_release(&r.out);

	rows_init(&r, 0);
	e = crm_csv_read_file(path, collect, &r, 2, 64, err, sizeof(err));
	assert_int_equal(e, CRM_ETOOBIG);
	assert_string_equal(err, "row 1: more than 2 columns");
	assert_int_equal(r.calls, 0);
	crm_buf_release(&r.out);

	unlink(path);
	rows_init(&r, 0);
	e = crm_csv_read_file(path, collect, &r, 3, 64, err, sizeof(err));
	assert_int_equal(e, CRM_ENOTFOUND);
	assert_non_null(strstr(err, "cannot open"));
	assert_int_equal(r.calls, 0);
	crm_buf_release(&r.out);
	crm_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_quoting),
		cmocka_unit_test(test_write_formula_guard),
		cmocka_unit_test(test_write_rows),
		cmocka_unit_test(test_read_simple),
		cmocka_unit_test(test_read_quoted),
		cmocka_unit_test(test_read_line_endings),
		cmocka_unit_test(test_read_bom),
		cmocka_unit_test(test_read_stop),
		cmocka_unit_test(test_read_limits),
		cmocka_unit_test(test_read_big_field),
		cmocka_unit_test(test_read_bad_text),
		cmocka_unit_test(test_read_bad_quotes),
		cmocka_unit_test(test_read_bytewise),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
