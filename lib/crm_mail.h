/* Outgoing mail: one RFC 5322 message in UTF-8, text/plain alone or
 * multipart/alternative with an HTML part, and its delivery through an
 * SMTP relay with libcurl. */
#ifndef CRM_MAIL_H
#define CRM_MAIL_H

#include <stddef.h>
#include <time.h>

#include "crm.h"
#include "crm_buf.h"

/* A header of the caller's (List-Unsubscribe): name is letters, digits
 * and '-', not one the builder writes itself; value is printable ASCII
 * on one line, folded at spaces when long. */
struct crm_mail_header {
	const char *name;
	const char *value;
};

struct crm_mail {
	const char *from;       /* bare addresses: a@b.c */
	const char *to;
	const char *subject;    /* UTF-8; encoded per RFC 2047 when not ASCII */
	const char *body;       /* UTF-8 text; bare LF become CRLF */
	time_t date;
	const char *message_id; /* the part left of '@' in Message-ID */
	const char *html;       /* NULL: text/plain only; else multipart/alternative */
	const struct crm_mail_header *headers;
	size_t nheaders;
};

/* 1 when s may go into a header: no CR, LF or other control character. */
int crm_mail_header_ok(const char *s);
/* Appends the whole message to b, lines ending CRLF. CRM_EINVAL (and b
 * untouched) when a header value could inject a header. */
enum crm_err crm_mail_build(struct crm_buf *b, const struct crm_mail *m);
/* 1 when name may be a caller's header (see struct crm_mail_header). */
int crm_mail_header_name_ok(const char *name);
/* 1 when relay is host[:port] with a plain host name or IPv4 address. */
int crm_mail_relay_ok(const char *relay);
/* Sends the built message through relay (host[:port], port 25 by
 * default). CRM_OK, or an error with its reason in err. */
enum crm_err crm_mail_send(const char *relay, const char *from, const char *to,
    const char *msg, size_t len, long timeout_s, char *err, size_t errlen);
/* The same over one connection kept open between messages (a mass
 * send): libcurl reuses it while the relay keeps it, and opens a new one
 * when it has gone. */
struct crm_mail_session;
struct crm_mail_session *crm_mail_session_new(void);
enum crm_err crm_mail_session_send(struct crm_mail_session *, const char *relay, const char *from,
    const char *to, const char *msg, size_t len, long timeout_s, char *err, size_t errlen);
void crm_mail_session_free(struct crm_mail_session *);

#endif
