/* Incoming mail: one RFC 5322 message read into what the CRM keeps of it
 * (sender, subject, threading headers, a plain-text body, attachments),
 * every string UTF-8 and copied into the caller's arena. The parsing is
 * GMime's (RFC 2045-2047 and 2231: folding, encoded words, multipart,
 * quoted-printable, base64, charsets); this file picks the body (text/plain
 * before text/html, which is stripped to text), sets the limits and makes
 * sure nothing it returns can upset the database: a hostile message gives
 * an error or a clipped result, never a crash. */
#ifndef CRM_MIME_H
#define CRM_MIME_H

#include <stddef.h>
#include <time.h>

#include "crm.h"
#include "crm_arena.h"

#define CRM_MIME_MAX_SIZE (32L * 1024 * 1024)   /* the raw message */
#define CRM_MIME_MAX_NESTING 64                 /* multipart or message parts */
#define CRM_MIME_MAX_ATTACHMENTS 20
#define CRM_MIME_MAX_BODY 60000                 /* bytes: a TEXT column, with room */
#define CRM_MIME_MAX_IDS 20                     /* Message-IDs read from References */

struct crm_mime_attachment {
	const char *filename;   /* UTF-8, no path: "" when the part had none */
	const char *content_type;       /* as the sender said, lower case */
	const unsigned char *data;      /* decoded; NULL when over max_attachment */
	size_t size;                    /* the decoded size, even when dropped */
};

struct crm_mime_msg {
	const char *from_addr;  /* the first From mailbox, "" when none */
	const char *from_name;
	const char *subject;    /* decoded, on one line */
	const char *message_id; /* without the angle brackets; "" when none */
	/* In-Reply-To then References (newest first), without brackets. */
	const char *refs[CRM_MIME_MAX_IDS];
	size_t nrefs;
	time_t date;            /* 0 when absent or unreadable */
	int auto_reply;         /* Auto-Submitted, Precedence bulk/junk/list/auto_reply, X-Autoreply */
	const char *body;       /* plain text, clipped to CRM_MIME_MAX_BODY */
	int body_clipped;
	struct crm_mime_attachment att[CRM_MIME_MAX_ATTACHMENTS];
	size_t natt;
	size_t att_dropped;     /* attachments past CRM_MIME_MAX_ATTACHMENTS */
};

/* Reads raw[0..len). Attachments larger than max_attachment keep their
 * name and size but no data. CRM_EINVAL with a reason in err (English,
 * for the log) when the message is too large, nested too deep, or not a
 * message at all. */
enum crm_err crm_mime_parse(struct crm_arena *, const char *raw, size_t len, size_t max_attachment,
    struct crm_mime_msg *, char *err, size_t errlen);

/* HTML to plain text: tags dropped (script and style with their
 * content), block ends as line breaks, entities decoded, blank runs
 * folded. Returns a new arena string. */
char *crm_mime_html_text(struct crm_arena *, const char *html, size_t len);

/* Valid UTF-8 without control characters other than tab and line feed
 * (bad bytes become U+FFFD, CR LF becomes LF), cut at max_bytes and
 * max_chars on a character boundary. Returns a new arena string. */
char *crm_mime_clean(struct crm_arena *, const char *s, size_t len, size_t max_bytes, size_t max_chars,
    int multiline, int *clipped);

#endif
