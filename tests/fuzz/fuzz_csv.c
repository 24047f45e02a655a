/* libFuzzer target for the streaming CSV reader. Whatever the input, the
 * reader returns; every row it delivers is within the limits and is UTF-8
 * text; and the input fed in two chunks, split at the first byte's value,
 * gives the same rows and the same error as the input fed whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_csv.h"
#include "crm_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Small limits, so that they are reached. */
#define MAX_FIELDS 8
#define MAX_BYTES 16

struct run {
	struct crm_buf rows;    /* what the callback saw, length-prefixed */
	size_t stop_at;         /* the callback stops after this row */
	size_t last;
};

static int
row(void *arg, size_t row_no, char **fields, size_t nfields)
{
	struct run *r = arg;
	size_t i, len;

	if (row_no != r->last + 1 || nfields == 0 || nfields > MAX_FIELDS)
		abort();
	r->last = row_no;
	crm_buf_printf(&r->rows, "%zu:%zu", row_no, nfields);
	for (i = 0; i < nfields; i++) {
		len = strlen(fields[i]);
		if (len > MAX_BYTES || !crm_utf8_valid(fields[i], len))
			abort();
		crm_buf_printf(&r->rows, ":%zu:", len);
		crm_buf_add(&r->rows, fields[i], len);
	}
	return row_no == r->stop_at;
}

static enum crm_err
run(struct run *r, const uint8_t *data, size_t size, size_t split,
    struct crm_buf *msg)
{
	struct crm_csv_reader *rd;
	enum crm_err e;

	rd = crm_csv_reader_new(row, r, MAX_FIELDS, MAX_BYTES);
	e = crm_csv_feed(rd, data, split);
	if (e == CRM_OK)
		e = crm_csv_feed(rd, data + split, size - split);
	if (e == CRM_OK)
		e = crm_csv_finish(rd);
	if ((e == CRM_OK) != (*crm_csv_reader_error(rd) == '\0') ||
	    (e != CRM_OK && e != CRM_EINVAL && e != CRM_ETOOBIG))
		abort();
	crm_buf_puts(msg, crm_csv_reader_error(rd));
	crm_csv_reader_free(rd);
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run whole, split;
	struct crm_buf m1, m2;
	size_t at = 0, stop_at = 0;
	enum crm_err e1, e2;

	if (size > 0) {
		at = data[0] < size ? data[0] : size;
		/* Sometimes the callback stops early, after row 1 to 3. */
		stop_at = data[size - 1] < 0x40 ? 1 + data[size - 1] % 3 : 0;
	}
	memset(&whole, 0, sizeof(whole));
	memset(&split, 0, sizeof(split));
	whole.stop_at = split.stop_at = stop_at;
	crm_buf_init(&whole.rows, NULL, 256);
	crm_buf_init(&split.rows, NULL, 256);
	crm_buf_init(&m1, NULL, 64);
	crm_buf_init(&m2, NULL, 64);
	e1 = run(&whole, data, size, size, &m1);
	e2 = run(&split, data, size, at, &m2);
	if (e1 != e2 || whole.rows.len != split.rows.len ||
	    memcmp(whole.rows.data, split.rows.data, whole.rows.len) != 0 ||
	    strcmp(m1.data, m2.data) != 0)
		abort();
	crm_buf_release(&whole.rows);
	crm_buf_release(&split.rows);
	crm_buf_release(&m1);
	crm_buf_release(&m2);
	return 0;
}
