/* CSV for exports and imports (RFC 4180). The writer appends row by row to a
 * buffer the caller flushes, so a million-row export never sits in memory;
 * the reader is fed in chunks and calls back once per row. */
#ifndef CRM_CSV_H
#define CRM_CSV_H

#include <stddef.h>

#include "crm.h"
#include "crm_buf.h"

/*
 * Writer.
 */

/* Appends one field, preceded by a comma unless first. NULL writes an empty
 * field. Quoted when it holds a comma, quote, CR or LF, or starts or ends
 * with a space or tab. A value starting with = + - @ TAB or CR is written
 * quoted with a leading apostrophe, so a spreadsheet shows it instead of
 * running it as a formula (OWASP "CSV injection"); a signed number such as
 * "-12.50" or "+8613812345678" is left alone. The apostrophe is not removed
 * on reading: the guard is one-way by design. */
void crm_csv_field(struct crm_buf *, const char *value, int first);
/* Appends CRLF. */
void crm_csv_end_row(struct crm_buf *);
/* Appends the UTF-8 byte order mark, without which Excel reads the file in
 * the local code page and garbles Chinese. Write it first, once. */
void crm_csv_bom(struct crm_buf *);

/*
 * Reader: a wrapper around libcsv in strict mode. A leading UTF-8 BOM is
 * skipped; rows end in CRLF, LF or CR; blank lines are skipped and not
 * counted; spaces around unquoted fields are kept, as RFC 4180 says. Rows
 * are numbered from 1, so row 1 is the header when there is one. Every field
 * must be UTF-8 without NUL bytes.
 */
struct crm_csv_reader;

/* row_cb is called once per row; fields[0..nfields-1] are NUL-terminated
 * and valid only during the call. It returns 0 to go on, nonzero to stop:
 * the reader then ignores the rest of its input and feed and finish return
 * CRM_OK, so a callback that stops on bad data keeps its reason in arg.
 *
 * A row of more than max_fields fields, or a field of more than
 * max_field_bytes bytes, is CRM_ETOOBIG. Never returns NULL. */
struct crm_csv_reader *crm_csv_reader_new(int (*row_cb)(void *arg, size_t row_no,
    char **fields, size_t nfields), void *arg, size_t max_fields,
    size_t max_field_bytes);
/* Parses the next chunk; chunks may split rows, quotes and UTF-8 sequences
 * anywhere. CRM_EINVAL for malformed CSV or text, CRM_ETOOBIG for a limit;
 * the first error sticks and crm_csv_reader_error explains it. */
enum crm_err crm_csv_feed(struct crm_csv_reader *, const void *data, size_t len);
/* Ends the input: delivers a last row that has no line ending, and reports
 * a quoted field left open. Call once, after the last feed. */
enum crm_err crm_csv_finish(struct crm_csv_reader *);
void crm_csv_reader_free(struct crm_csv_reader *);
/* Why the reader failed, in short English, e.g. "row 12: more than 64
 * columns" or "not UTF-8 text at row 5"; "" when it has not. */
const char *crm_csv_reader_error(const struct crm_csv_reader *);

/* Reads the file at path in 64 KiB chunks through a reader. On failure the
 * reason goes to err (unless NULL): CRM_ENOTFOUND or CRM_EIO for the file
 * itself, else as crm_csv_feed. */
enum crm_err crm_csv_read_file(const char *path, int (*row_cb)(void *arg,
    size_t row_no, char **fields, size_t nfields), void *arg, size_t max_fields,
    size_t max_field_bytes, char *err, size_t errlen);

#endif
