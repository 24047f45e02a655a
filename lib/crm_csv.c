/* CSV writer for exports and streaming reader (over libcsv) for imports. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "crm_csv.h"
#include "crm_req.h"

/* Bytes handed to libcsv per call: how far it runs on after a callback
 * stops it, since csv_parse cannot be stopped from inside. */
#define SLICE_MAX (64 * 1024)
#define FILE_CHUNK (64 * 1024)

static const char bom[] = "\xEF\xBB\xBF";

/*
 * Writer.
 */

/* [+-]digits[.digits]: what a spreadsheet reads as a number, never as a
 * formula, so phone numbers and negative amounts keep their sign. */
static int
is_number(const char *s)
{
	size_t digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	return digits > 0 && *s == '\0';
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void
crm_csv_field(struct crm_buf *b, const char *value, int first)
{
	size_t n, i, start;
	int guard, quote;

	if (value == NULL)
		value = "";
	if (!first)
		crm_buf_putc(b, ',');
	n = strlen(value);
	guard = n > 0 && strchr("=+-@\t\r", value[0]) != NULL &&
	    !is_number(value);
	/* Spaces at either end are quoted because many readers trim them
	 * from bare fields. */
	quote = guard || strpbrk(value, ",\"\r\n") != NULL ||
	    (n > 0 && (is_blank(value[0]) || is_blank(value[n - 1])));
	if (!quote) {
		crm_buf_add(b, value, n);
		return;
	}
	crm_buf_reserve(b, n + 4);
	crm_buf_putc(b, '"');
	if (guard)
		crm_buf_putc(b, '\'');
	/* Copy spans; each quote ends one span and starts the next, so it
	 * is written twice. */
	for (start = 0, i = 0; i < n; i++)
		if (value[i] == '"') {
			crm_buf_add(b, value + start, i + 1 - start);
			start = i;
		}
	crm_buf_add(b, value + start, n - start);
	crm_buf_putc(b, '"');
}

void
crm_csv_end_row(struct crm_buf *b)
{
	crm_buf_add(b, "\r\n", 2);
}

void
crm_csv_bom(struct crm_buf *b)
{
	crm_buf_add(b, bom, 3);
}

/*
 * Reader.
 */

struct crm_csv_reader {
	struct csv_parser p;
	int (*row_cb)(void *, size_t, char **, size_t);
	void *arg;
	size_t max_fields;
	size_t max_field_bytes;
	size_t row;             /* the row being read, from 1 */
	char *text;             /* its fields so far, each NUL-terminated */
	size_t text_len;
	size_t text_cap;
	size_t *off;            /* where each field starts in text */
	char **fields;          /* built from off when the row ends */
	size_t nfields;
	size_t fields_cap;
	int bom;                /* BOM bytes matched so far; -1 once past it */
	int stopped;            /* by the callback */
	int finished;
	enum crm_err err;       /* the first error; it sticks */
	char msg[96];
};

static void fail(struct crm_csv_reader *, enum crm_err, const char *, ...)
    CRM_PRINTF(3, 4);

static void
fail(struct crm_csv_reader *r, enum crm_err e, const char *fmt, ...)
{
	va_list ap;

	if (r->err != CRM_OK)
		return;
	r->err = e;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}

static int
busy(const struct crm_csv_reader *r)
{
	return r->stopped || r->err != CRM_OK;
}

static void
too_long(struct crm_csv_reader *r)
{
	fail(r, CRM_ETOOBIG, "row %zu: a field is longer than %zu bytes",
	    r->row, r->max_field_bytes);
}

/* libcsv's field callback: check the field, keep a copy until the row ends. */
static void
on_field(void *s, size_t len, void *data)
{
	struct crm_csv_reader *r = data;
	size_t need;

	if (busy(r))
		return;
	if (r->nfields == r->max_fields) {
		fail(r, CRM_ETOOBIG, "row %zu: more than %zu columns",
		    r->row, r->max_fields);
		return;
	}
	if (len > r->max_field_bytes) {
		too_long(r);
		return;
	}
	/* A NUL would silently cut the field short for the callback. */
	if (memchr(s, '\0', len) != NULL) {
		fail(r, CRM_EINVAL, "row %zu: a NUL byte in a field", r->row);
		return;
	}
	if (!crm_utf8_valid(s, len)) {
		fail(r, CRM_EINVAL, "not UTF-8 text at row %zu", r->row);
		return;
	}
	if (r->nfields == r->fields_cap) {
		r->fields_cap = r->fields_cap ? r->fields_cap * 2 : 16;
		if (r->fields_cap > r->max_fields)
			r->fields_cap = r->max_fields;
		r->off = crm_xrealloc(r->off, r->fields_cap * sizeof(*r->off));
		r->fields = crm_xrealloc(r->fields,
		    r->fields_cap * sizeof(*r->fields));
	}
	need = r->text_len + len + 1;
	if (need > r->text_cap) {
		while (r->text_cap < need)
			r->text_cap = r->text_cap ? r->text_cap * 2 : 256;
		r->text = crm_xrealloc(r->text, r->text_cap);
	}
	memcpy(r->text + r->text_len, s, len);
	r->text[r->text_len + len] = '\0';
	r->off[r->nfields++] = r->text_len;
	r->text_len += len + 1;
}

/* libcsv's row callback; c is the terminator, or -1 at the end of input. */
static void
on_row(int c, void *data)
{
	struct crm_csv_reader *r = data;
	size_t i;

	(void)c;
	if (busy(r))
		return;
	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->text + r->off[i];
	if (r->row_cb(r->arg, r->row, r->fields, r->nfields) != 0)
		r->stopped = 1;
	r->row++;
	r->nfields = 0;
	r->text_len = 0;
}

/*
 * libcsv hands over a field only once it ends, growing its buffer until
 * then. So the input goes in slices short enough that libcsv's count for the
 * open field (its text, plus a closing quote it may be holding back) can
 * reach max_field_bytes + 2, which means the text is over the limit, only
 * at a slice's last byte. The error is then seen at the byte that caused it,
 * however the caller chunked the input, and the buffer never grows more than
 * one step past the limit.
 */
static void
parse(struct crm_csv_reader *r, const unsigned char *s, size_t len)
{
	size_t n, limit, done;

	while (len > 0 && !busy(r)) {
		n = len < SLICE_MAX ? len : SLICE_MAX;
		limit = r->max_field_bytes + 2 - r->p.entry_pos;
		if (n > limit)
			n = limit;
		done = csv_parse(&r->p, s, n, on_field, on_row, r);
		if (busy(r))
			return;
		if (done < n || csv_error(&r->p) != CSV_SUCCESS) {
			if (csv_error(&r->p) == CSV_EPARSE)
				fail(r, CRM_EINVAL, "row %zu: misplaced quote",
				    r->row);
			else
				fail(r, CRM_ETOOBIG, "row %zu: %s", r->row,
				    csv_strerror(csv_error(&r->p)));
			return;
		}
		if (r->p.entry_pos > r->max_field_bytes + 1) {
			too_long(r);
			return;
		}
		s += n;
		len -= n;
	}
}

/* Nothing ever counts as a space: libcsv would otherwise trim spaces and
 * tabs around unquoted fields, which RFC 4180 keeps. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

struct crm_csv_reader *
crm_csv_reader_new(int (*row_cb)(void *, size_t, char **, size_t), void *arg,
    size_t max_fields, size_t max_field_bytes)
{
	struct crm_csv_reader *r = crm_xcalloc(1, sizeof(*r));

	/* STRICT rejects stray quotes, STRICT_FINI an open quote at the end,
	 * APPEND_NULL gives NUL-terminated fields. */
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		abort();
	csv_set_realloc_func(&r->p, crm_xrealloc);
	csv_set_free_func(&r->p, free);
	csv_set_space_func(&r->p, no_space);
	/* libcsv grows its buffer linearly, by this step; its default of 128
	 * would mean 512 reallocs for one 64 KiB field. */
	csv_set_blk_size(&r->p, 1024);
	r->row_cb = row_cb;
	r->arg = arg;
	r->max_fields = max_fields;
	/* The slice arithmetic above must not wrap. */
	r->max_field_bytes = max_field_bytes < SIZE_MAX - 2 ?
	    max_field_bytes : SIZE_MAX - 2;
	r->row = 1;
	return r;
}

enum crm_err
crm_csv_feed(struct crm_csv_reader *r, const void *data, size_t len)
{
	const unsigned char *s = data;

	if (r->finished) {
		fail(r, CRM_EINVAL, "input after the end");
		return r->err;
	}
	/* The BOM may come a byte at a time; what matched of it is replayed
	 * when the next byte shows it was text after all. */
	while (r->bom >= 0 && len > 0 && !busy(r)) {
		if (*s == (unsigned char)bom[r->bom]) {
			s++;
			len--;
			if (++r->bom == 3)
				r->bom = -1;
		} else {
			parse(r, (const unsigned char *)bom, (size_t)r->bom);
			r->bom = -1;
		}
	}
	parse(r, s, len);
	return r->stopped ? CRM_OK : r->err;
}

enum crm_err
crm_csv_finish(struct crm_csv_reader *r)
{
	if (r->finished)
		return r->stopped ? CRM_OK : r->err;
	if (r->bom > 0)
		parse(r, (const unsigned char *)bom, (size_t)r->bom);
	r->bom = -1;
	r->finished = 1;
	if (busy(r))
		return r->stopped ? CRM_OK : r->err;
	if (csv_fini(&r->p, on_field, on_row, r) != 0 && !busy(r))
		fail(r, CRM_EINVAL, "unterminated quoted field at row %zu", r->row);
	return r->stopped ? CRM_OK : r->err;
}

void
crm_csv_reader_free(struct crm_csv_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->p);
	free(r->text);
	free(r->off);
	free(r->fields);
	free(r);
}

const char *
crm_csv_reader_error(const struct crm_csv_reader *r)
{
	return r->msg;
}

enum crm_err
crm_csv_read_file(const char *path, int (*row_cb)(void *, size_t, char **, size_t),
    void *arg, size_t max_fields, size_t max_field_bytes, char *err,
    size_t errlen)
{
	struct crm_csv_reader *r = NULL;
	char *chunk = NULL;
	ssize_t n;
	enum crm_err e;
	int fd;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		e = errno == ENOENT ? CRM_ENOTFOUND : CRM_EIO;
		if (err != NULL)
			snprintf(err, errlen, "cannot open the file: %s",
			    strerror(errno));
		return e;
	}
	r = crm_csv_reader_new(row_cb, arg, max_fields, max_field_bytes);
	chunk = crm_xmalloc(FILE_CHUNK);
	for (;;) {
		if ((n = read(fd, chunk, FILE_CHUNK)) == -1) {
			if (errno == EINTR)
				continue;
			e = CRM_EIO;
			if (err != NULL)
				snprintf(err, errlen, "cannot read the file: %s",
				    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if ((e = crm_csv_feed(r, chunk, (size_t)n)) != CRM_OK)
			goto err;
		if (r->stopped)
			break;
	}
	if ((e = crm_csv_finish(r)) != CRM_OK)
		goto err;
	goto out;
err:
	if (err != NULL)
		snprintf(err, errlen, "%s", crm_csv_reader_error(r));
out:
	free(chunk);
	crm_csv_reader_free(r);
	close(fd);
	return e;
}
