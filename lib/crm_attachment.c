/* A ticket's attached files (crm_attachment.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "crm_attachment.h"

static const char ATTACHMENT_INSERT[] = "INSERT INTO ticket_attachments (ticket_id, message_id, filename,"
    " content_type, size, sha256, public, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static const struct { const char *ext, *type; } types[] = {
	{ "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" }, { "gif", "image/gif" },
	{ "webp", "image/webp" }, { "pdf", "application/pdf" }, { "txt", "text/plain" }, { "csv", "text/csv" },
	{ "log", "text/plain" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
};

const char *
crm_attachment_type(const char *filename)
{
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	size_t i;

	if (dot == NULL)
		return NULL;
	for (i = 0; i < CRM_NELEM(types); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

const char *
crm_attachment_path(struct crm_arena *a, const char *dir, long long id)
{
	return crm_arena_printf(a, "%s/%lld", dir, id);
}

enum crm_err
crm_attachment_insert(struct crm_db *db, const struct crm_attachment *f, uint64_t *id)
{
	struct crm_db_bind b[8];

	crm_db_bind_i64(&b[0], f->ticket_id);
	crm_db_bind_i64(&b[1], (long long)f->message_id);
	crm_db_bind_str(&b[2], f->filename, (size_t)-1);
	crm_db_bind_str(&b[3], f->content_type, (size_t)-1);
	crm_db_bind_i64(&b[4], (long long)f->size);
	crm_db_bind_blob(&b[5], f->sha256, 32);
	crm_db_bind_i64(&b[6], f->public != 0);
	if (f->created_by > 0)
		crm_db_bind_i64(&b[7], f->created_by);
	else
		crm_db_bind_null(&b[7]);
	return crm_db_exec_sql(db, ATTACHMENT_INSERT, b, 8, NULL, id);
}

int
crm_attachment_write(struct crm_arena *a, const char *dir, long long id, const unsigned char *data, size_t len)
{
	const char *path = crm_attachment_path(a, dir, id);
	const char *tmp = crm_arena_printf(a, "%s/.mail-%lld.tmp", dir, id);
	size_t off = 0;
	ssize_t n;
	int fd, ok = 1, saved;

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return -1;
	while (ok && off < len) {
		n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		off += ok ? (size_t)n : 0;
	}
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}
