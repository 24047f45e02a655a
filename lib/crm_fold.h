/* Content lines shared by the vCard (RFC 6350) and iCalendar (RFC 5545)
 * writers, so the two cannot drift apart: NAME;PARAMS:VALUE, CRLF-ended,
 * folded so that no physical line passes 75 octets, plus the one date
 * syntax both use. A fold never splits a UTF-8 sequence or a backslash
 * escape: the RFCs allow both, but clients mangle the first and some
 * choke on the second. */
#ifndef CRM_FOLD_H
#define CRM_FOLD_H

#include "crm_buf.h"

#define CRM_FOLD_WIDTH 75       /* octets per physical line, CRLF not counted */

/* A content line being written: built piece by piece so that compound
 * values (N, ADR) escape each component without a scratch buffer. */
struct crm_fold {
	struct crm_buf *buf;
	size_t col;             /* octets already on the current physical line */
};

/* Starts a line with the property name and parameters, then ':'. */
void crm_fold_begin(struct crm_fold *, struct crm_buf *, const char *name_and_params);
/* Appends a value that is not TEXT (a URI, a date, separators between
 * components) as it is, except that control characters other than tab
 * are dropped: a CR or LF here would start a property of the caller's
 * choosing. */
void crm_fold_raw(struct crm_fold *, const char *);
/* Appends TEXT: backslash, ';' and ',' get a backslash, a line break (LF,
 * CR or CRLF) becomes \n, other controls but tab are dropped and malformed
 * UTF-8 becomes U+FFFD, so the output is always valid UTF-8. */
void crm_fold_text(struct crm_fold *, const char *);
/* Ends the line with CRLF. */
void crm_fold_end(struct crm_fold *);

/* Both RFCs write dates in ISO 8601 basic format. Converts MariaDB's
 * "YYYY-MM-DD" to "YYYYMMDD" and returns CRM_FOLD_DATE, or "YYYY-MM-DD
 * HH:MM:SS" (a 'T' for the space and fractional seconds are accepted, the
 * fraction dropped) to "YYYYMMDDTHHMMSS" and returns CRM_FOLD_DATETIME;
 * the caller adds the 'Z' where the value is UTC. Returns 0 with out
 * empty for anything else, including days that do not exist and
 * MariaDB's zero date. */
#define CRM_FOLD_DATE 1
#define CRM_FOLD_DATETIME 2
#define CRM_FOLD_DATE_MAX 16    /* "YYYYMMDDTHHMMSS" and its NUL */
int crm_fold_date(const char *in, char out[CRM_FOLD_DATE_MAX]);

/* One whole line with a value already escaped or not TEXT. */
void crm_fold_line(struct crm_buf *, const char *name_and_params, const char *value);
/* One whole line with a TEXT value, escaped here. */
void crm_fold_text_line(struct crm_buf *, const char *name_and_params, const char *text);

#endif
