/* A ticket's attached files, shared by the service module (uploads from
 * staff and customers) and the automation module (files of mail that
 * opens or answers a ticket): which files are kept (a size limit, and a
 * type from our allow-list by the file name's extension: the type we
 * serve is ours, never the one the sender claimed), their row, and how a
 * file is stored under the attachments directory (outside the web root,
 * named by its id). */
#ifndef CRM_ATTACHMENT_H
#define CRM_ATTACHMENT_H

#include <stddef.h>
#include <stdint.h>

#include "crm.h"
#include "crm_arena.h"
#include "crm_db.h"

#define CRM_ATTACHMENT_MAX (10L * 1024 * 1024)

/* The content type we serve a file of this name as; NULL when the
 * extension is not on the allow-list (or there is none). Pure. */
const char *crm_attachment_type(const char *filename);
/* Where attachment id lives under dir. */
const char *crm_attachment_path(struct crm_arena *, const char *dir, long long id);

struct crm_attachment {
	long long ticket_id;
	uint64_t message_id;
	const char *filename;
	const char *content_type;       /* from crm_attachment_type */
	size_t size;
	const unsigned char *sha256;    /* 32 bytes */
	int public;                     /* shown to the customer */
	long long created_by;           /* 0: nobody signed in (a customer, the mail runner) */
};

/* The attachment's row, in the caller's transaction; its id into *id.
 * The file is moved or written into place after every statement, so a
 * failed insert leaves no file. */
enum crm_err crm_attachment_insert(struct crm_db *, const struct crm_attachment *, uint64_t *id);
/* Writes len bytes as attachment id under dir, through a temporary name
 * renamed into place: a reader never sees half a file, and a failure
 * leaves none. 0, or -1 with errno. */
int crm_attachment_write(struct crm_arena *, const char *dir, long long id, const unsigned char *data, size_t len);

#endif
