/* Request-body parsers: query strings and urlencoded forms, cookies,
 * Content-Type, and streaming multipart/form-data. Each is a state machine
 * that stops at the first bad byte; everything it returns lives in the
 * arena it was given, and upload temp files die with that arena. */
#ifndef CRM_REQ_H
#define CRM_REQ_H

#include <stddef.h>

#include "crm.h"
#include "crm_arena.h"

struct crm_param {
	struct crm_str name;    /* NUL-terminated, never holds a NUL */
	struct crm_str value;   /* decoded, NUL-terminated; for a file part: empty */
	const char *filename;   /* multipart file part: the client's file name (basename only, validated UTF-8), else NULL */
	const char *content_type;       /* multipart part's Content-Type as sent, else NULL */
	const char *path;       /* multipart file part: temp file holding its bytes, else NULL */
	size_t size;            /* file part: its size in bytes */
};

/* Zero-initialise before the first use. */
struct crm_params {
	struct crm_param *v;
	size_t n, cap;
};

struct crm_req_limits {
	size_t max_fields;      /* per parse call: more fields → CRM_ETOOBIG */
	size_t max_name;        /* bytes in a decoded name → CRM_ETOOBIG */
	size_t max_value;       /* bytes in a decoded non-file value → CRM_ETOOBIG */
	size_t max_file;        /* bytes in one uploaded file → CRM_ETOOBIG */
	const char *tmpdir;     /* uploads stream to mkstemp files here; NULL: a file part is CRM_EINVAL */
};

/* 256 fields, 256-byte names, 64 KiB values, 16 MiB files, tmpdir "/tmp". */
void crm_req_limits_default(struct crm_req_limits *);

/* Appends a copy of *p; the strings it points to must outlive the params
 * (put them in the same arena), and value.data must be NUL-terminated. */
void crm_params_add(struct crm_arena *, struct crm_params *, const struct crm_param *);
/* The first value of `name`, NUL-terminated, or NULL. */
const char *crm_params_get(const struct crm_params *, const char *name);
const struct crm_param *crm_params_find(const struct crm_params *, const char *name);

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
int crm_utf8_valid(const char *, size_t);
/* Keeps an uploaded file (a multipart part's temp file) at path: a rename
 * when both are on one file system, else a copy (the new file 0600, never
 * over an existing one). Returns 0, or -1 with errno set. */
int crm_upload_keep(const char *from, const char *path);

/*
 * The parsers below leave `out` exactly as they found it when they fail, so a
 * handler never sees half a request.
 */

/* application/x-www-form-urlencoded and query strings: & separates (empty
 * pairs like "a=1&&b=2" are skipped), '+' is space, %XX must be two hex
 * digits else CRM_EINVAL, a decoded NUL byte is CRM_EINVAL, decoded names and
 * values must be valid UTF-8 else CRM_EINVAL; a name without '=' has an empty
 * value. */
enum crm_err crm_parse_urlencoded(struct crm_arena *, const char *, size_t,
    const struct crm_req_limits *, struct crm_params *);

/* Cookie header: "a=1; b=2"; names are RFC 6265 tokens, values cookie-octets
 * (optionally in double quotes, which are removed), no percent decoding; a
 * malformed pair is CRM_EINVAL. Whitespace is allowed around the ';' and at
 * either end, and so is one trailing ';'; an empty pair (";;") is not. */
enum crm_err crm_parse_cookies(struct crm_arena *, const char *, size_t,
    const struct crm_req_limits *, struct crm_params *);

/* Content-Type: "multipart/form-data; boundary=xyz" (boundary may be quoted;
 * parameters case-insensitive). mime is lowercased. boundary->len == 0 (and
 * data "") when absent. CRM_EINVAL on a malformed header, a repeated
 * boundary, or a boundary that is empty, longer than 70 bytes or with
 * characters RFC 2046 forbids. */
enum crm_err crm_parse_content_type(struct crm_arena *, const char *, size_t,
    struct crm_str *mime, struct crm_str *boundary);

/*
 * Streaming multipart/form-data (RFC 7578): feed the body in chunks of any
 * size (1 byte included); file parts (those whose Content-Disposition has a
 * filename) stream to a temp file, never held whole in memory; text parts are
 * collected up to max_value and, like urlencoded values, must be UTF-8
 * without NUL bytes. A part is added to `out` once its closing delimiter has
 * been read. finish returns CRM_EINVAL if the closing boundary never came.
 * Any malformed structure (missing CRLF after boundary, part without
 * Content-Disposition: form-data; name=..., header line over 1 KiB or more
 * than 16 part headers, bytes after close other than CRLF/transport padding
 * per RFC 2046) is CRM_EINVAL; limits are CRM_ETOOBIG; a temp file that
 * cannot be created or written is CRM_EIO. After an error, further feed
 * calls return the same error, nothing more is written, and `out` is back to
 * what it held before crm_multipart_new.
 *
 * A file input left empty arrives as filename="" and gives a file part with
 * filename "" and size 0; a filename of "." or "..", or with control
 * characters, is CRM_EINVAL. A backslash in a quoted parameter escapes only
 * '"' and '\' (browsers send "C:\dir\a.txt" unescaped); names and
 * filenames are not percent-decoded (browsers send '"' as %22).
 *
 * The boundary may not occur in content: "\r\n--boundary" followed by
 * anything but "--", transport padding or CRLF is CRM_EINVAL.
 *
 * A preamble before the first boundary is skipped (RFC 2046); a body that is
 * only "--boundary--" has no parts and is accepted, as browsers send it for
 * an empty form. An invalid boundary gives a parser whose every call returns
 * CRM_EINVAL. Temp files are created mode 0600 and unlinked at the arena
 * reset unless the handler renamed them away first.
 */
struct crm_multipart;
struct crm_multipart *crm_multipart_new(struct crm_arena *, const char *boundary,
    size_t boundary_len, const struct crm_req_limits *, struct crm_params *out);
enum crm_err crm_multipart_feed(struct crm_multipart *, const char *, size_t);
enum crm_err crm_multipart_finish(struct crm_multipart *);

#endif
