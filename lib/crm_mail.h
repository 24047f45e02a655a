/* Outgoing mail: one RFC 5322 text/plain message in UTF-8, and its
 * delivery through an SMTP relay with libcurl. */
#ifndef CRM_MAIL_H
#define CRM_MAIL_H

#include <stddef.h>
#include <time.h>

#include "crm.h"
#include "crm_buf.h"

struct crm_mail {
	const char *from;       /* bare addresses: a@b.c */
	const char *to;
	const char *subject;    /* UTF-8; encoded per RFC 2047 when not ASCII */
	const char *body;       /* UTF-8 text; bare LF become CRLF */
	time_t date;
	const char *message_id; /* the part left of '@' in Message-ID */
};

/* 1 when s may go into a header: no CR, LF or other control character. */
int crm_mail_header_ok(const char *s);
/* Appends the whole message to b, lines ending CRLF. CRM_EINVAL (and b
 * untouched) when a header value could inject a header. */
enum crm_err crm_mail_build(struct crm_buf *b, const struct crm_mail *m);
/* 1 when relay is host[:port] with a plain host name or IPv4 address. */
int crm_mail_relay_ok(const char *relay);
/* Sends the built message through relay (host[:port], port 25 by
 * default). CRM_OK, or an error with its reason in err. */
enum crm_err crm_mail_send(const char *relay, const char *from, const char *to,
    const char *msg, size_t len, long timeout_s, char *err, size_t errlen);

#endif
