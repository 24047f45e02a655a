/* Reading a mailbox over IMAP with libcurl: the mailbox's UIDVALIDITY and
 * UIDNEXT (STATUS), the UIDs past the last one handled (UID SEARCH), and
 * one message by UID (a URL with ;UIDVALIDITY=..;UID=.., which libcurl
 * turns into SELECT and UID FETCH n BODY[]). Fetching BODY[] sets \Seen on
 * the server, which is the only mark the CRM leaves: what it has handled
 * is kept on its own side, by UIDVALIDITY and UID. */
#ifndef CRM_IMAP_H
#define CRM_IMAP_H

#include <stddef.h>

#include "crm.h"
#include "crm_buf.h"

/* 1 when url is imap:// or imaps://host[:port]/MAILBOX: a plain host
 * name or IPv4 address, no user or password in it (they are kept apart),
 * a mailbox of printable ASCII with no quote or backslash. */
int crm_imap_url_ok(const char *url);

struct crm_imap;
/* NULL when url is not crm_imap_url_ok or libcurl cannot start. The
 * password is handed to libcurl only; no error message contains it. */
struct crm_imap *crm_imap_open(const char *url, const char *user, const char *password, long timeout_s);
void crm_imap_close(struct crm_imap *);

enum crm_err crm_imap_status(struct crm_imap *, unsigned long long *uidvalidity,
    unsigned long long *uidnext, char *err, size_t errlen);
/* The UIDs greater than after_uid, ascending, at most max of them (the
 * lowest); *more is set when there were others. */
enum crm_err crm_imap_search(struct crm_imap *, unsigned long long uidvalidity,
    unsigned long long after_uid, unsigned long long *uids, size_t max, size_t *n, int *more,
    char *err, size_t errlen);
/* Appends the message to out. CRM_ETOOBIG when it has more than max
 * bytes; CRM_ENOTFOUND when the UID is gone or UIDVALIDITY changed. */
enum crm_err crm_imap_fetch(struct crm_imap *, unsigned long long uidvalidity,
    unsigned long long uid, size_t max, struct crm_buf *out, char *err, size_t errlen);

#endif
