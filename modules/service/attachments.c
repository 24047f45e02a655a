/* A ticket's files, for staff and customer alike: checking an upload
 * against the rules mail attachments share (lib/crm_attachment.c: size,
 * and a type from our allow-list by the file name's extension: the type
 * we serve is ours, never the one the browser claimed), storing it under
 * [service] attachments, outside the web root, named by its id, and
 * sending it back, always as a download.
 * A file on a public reply or a customer's reply is public: the status
 * link lists it. A file on an internal note never leaves the staff side. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crm_attachment.h"
#include "crm_audit.h"
#include "crm_log.h"
#include "crm_valid.h"
#include "crm_req.h"
#include "extern.h"

static int
sha256_file(const char *path, unsigned char out[32])
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
	close(fd);
	if (n < 0)
		return -1;
	crypto_hash_sha256_final(&st, out);
	return 0;
}

static const char *
stored_path(struct crm_ctx *c, long long id)
{
	return crm_attachment_path(c->arena, c->w->conf->attachments, id);
}

int
service_file_check(struct crm_ctx *c, struct service_file *f)
{
	memset(f, 0, sizeof(*f));
	f->part = crm_params_find(&c->form, "file");
	if (f->part != NULL && (f->part->path == NULL || f->part->filename == NULL || *f->part->filename == '\0'))
		f->part = NULL;         /* the file input left empty */
	if (f->part == NULL)
		return 0;
	if ((long)f->part->size > CRM_ATTACHMENT_MAX) {
		crm_ctx_field_error(c, "file", N_("Attach a file of up to 10 MB."));
		return 413;
	}
	if (f->part->size == 0)
		crm_ctx_field_error(c, "file", N_("The file is empty."));
	else if (!crm_valid_text(f->part->filename, 1, 255, 0) || (f->type = crm_attachment_type(f->part->filename)) == NULL)
		crm_ctx_field_error(c, "file", N_("Attach an image, a PDF, a text file or an office document."));
	else if (sha256_file(f->part->path, f->sha) != 0) {
		crm_log(CRM_LOG_ERROR, "service: cannot read the upload %s: %s", f->part->path, strerror(errno));
		return 500;
	}
	return crm_ctx_has_errors(c) ? 422 : 0;
}

enum crm_err
service_file_store(struct crm_ctx *c, struct crm_db *db, struct service_file *f, long long ticket_id,
    uint64_t message_id, int public)
{
	struct crm_attachment row;
	enum crm_err e;

	if (f->part == NULL)
		return CRM_OK;
	row = (struct crm_attachment){
		.ticket_id = ticket_id, .message_id = message_id, .filename = f->part->filename,
		.content_type = f->type, .size = f->part->size, .sha256 = f->sha, .public = public,
		.created_by = c->user != NULL ? c->user->user_id : 0,
	};
	if ((e = crm_attachment_insert(db, &row, &f->id)) != CRM_OK)
		return e;
	if ((e = crm_ctx_audit(c, "attach", "ticket", ticket_id, NULL, json_pack("{s:I,s:s,s:I,s:b}",
	    "attachment_id", (json_int_t)f->id, "filename", f->part->filename,
	    "size", (json_int_t)f->part->size, "public", public != 0))) != CRM_OK)
		return e;
	/* Last, after every statement: a failed insert leaves no file, and a
	 * deadlock reruns the transaction before the file has moved. */
	f->moved = stored_path(c, (long long)f->id);
	if (crm_upload_keep(f->part->path, f->moved) != 0) {
		f->no_room = errno == ENOSPC || errno == EDQUOT;
		crm_log(CRM_LOG_ERROR, "service: cannot store the attachment at %s: %s", f->moved, strerror(errno));
		f->moved = NULL;
		return CRM_EIO;
	}
	return CRM_OK;
}

void
service_file_discard(struct service_file *f)
{
	if (f->moved != NULL)
		unlink(f->moved);
	f->moved = NULL;
}

int
service_file_failed(struct crm_ctx *c, struct service_file *f)
{
	service_file_discard(f);
	if (!f->no_room)
		return 500;
	crm_ctx_field_error(c, "file", N_("The server has no room left to keep this file. Nothing was saved: "
	    "try again later, or send the message without it."));
	return 507;
}

/* Content-Disposition's filename: the name without quotes, backslashes or
 * anything outside printable ASCII, which the header cannot carry as is. */
static const char *
header_filename(struct crm_ctx *c, const char *name)
{
	char *out = crm_arena_printf(c->arena, "%s", name);
	char *p;

	for (p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == '"' || *p == '\\')
			*p = '_';
	return out;
}

int
service_file_send(struct crm_ctx *c, json_t *a)
{
	long long id = json_integer_value(json_object_get(a, "id"));
	struct stat sb;
	int fd;
	ssize_t n;

	if ((fd = open(stored_path(c, id), O_RDONLY | O_CLOEXEC)) < 0) {
		crm_log(CRM_LOG_ERROR, "service: attachment %lld: %s", id, strerror(errno));
		return 404;
	}
	if (fstat(fd, &sb) != 0 || sb.st_size > CRM_ATTACHMENT_MAX) {
		close(fd);
		return 500;
	}
	crm_buf_init(&c->raw, c->arena, (size_t)sb.st_size + 1);
	while (c->raw.len < (size_t)sb.st_size &&
	    (n = read(fd, c->raw.data + c->raw.len, (size_t)sb.st_size - c->raw.len)) > 0)
		c->raw.len += (size_t)n;
	close(fd);
	if (c->raw.len != (size_t)sb.st_size)
		return 500;
	c->raw.data[c->raw.len] = '\0';
	c->content_type = json_string_value(json_object_get(a, "content_type"));
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena, "attachment; filename=\"%s\"",
	    header_filename(c, json_string_value(json_object_get(a, "filename")))));
	crm_ctx_header(c, "X-Content-Type-Options", "nosniff");
	crm_ctx_header(c, "Cache-Control", "private, no-store");
	return 200;
}

int
service_attachment(struct crm_ctx *c)
{
	json_t *a;
	int status;

	if ((a = service_load(c, STMT_TICKET_ATTACHMENT_GET, crm_ctx_id(c, "id"), 1, &status)) == NULL)
		return status;
	return service_file_send(c, a);
}
