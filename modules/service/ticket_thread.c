/* A ticket's thread: public replies (the first one is the first response
 * and opens a new ticket) and internal notes, each with an optional file.
 * Files live on disk under [service] attachments, outside the web root,
 * named by their id, and come back only through GET /service/attachments/:id
 * to staff who can see the ticket, always as a download. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crm_audit.h"
#include "crm_log.h"
#include "crm_valid.h"
#include "crm_req.h"
#include "extern.h"

#define MAX_ATTACHMENT (10L * 1024 * 1024)

/* The allow-list, by the file name's extension: the type we serve is
 * ours, never the one the browser claimed. */
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

static const char *
type_of(const char *filename)
{
	const char *dot = strrchr(filename, '.');
	size_t i;

	if (dot == NULL)
		return NULL;
	for (i = 0; i < CRM_NELEM(types); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

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
	return crm_arena_printf(c->arena, "%s/%lld", c->w->conf->attachments, id);
}

struct message {
	struct crm_ctx *c;
	long long ticket_id;
	const char *kind, *body, *type;
	const struct crm_param *file;
	unsigned char sha[32];
	uint64_t id, file_id;
	const char *moved;      /* the stored file, to remove if the commit fails */
};

static enum crm_err
message_tx(struct crm_db *db, void *arg)
{
	struct message *m = arg;
	struct crm_db_bind b[7];
	json_t *row = NULL;
	enum crm_err e;

	crm_db_bind_i64(&b[0], m->ticket_id);
	if ((e = crm_db_row(db, STMT_TICKET_LOCK, b, 1, &row)) != CRM_OK)
		return e;
	crm_db_bind_str(&b[1], m->kind, (size_t)-1);
	crm_db_bind_str(&b[2], m->body, (size_t)-1);
	crm_db_bind_i64(&b[3], m->c->user->user_id);
	crm_db_bind_str(&b[4], m->c->user->name ? m->c->user->name : "", (size_t)-1);
	if ((e = crm_db_exec(db, STMT_TICKET_MESSAGE_CREATE, b, 5, NULL, &m->id)) != CRM_OK)
		return e;
	/* A public reply is the first response, and work has started; the
	 * customer gets it by mail. */
	if (strcmp(m->kind, "public") == 0 &&
	    ((e = crm_db_exec(db, STMT_TICKET_REPLIED, b, 1, NULL, NULL)) != CRM_OK ||
	    (e = service_notify_reply(m->c, db, m->ticket_id, m->body)) != CRM_OK))
		return e;
	if ((e = crm_ctx_audit(m->c, strcmp(m->kind, "public") == 0 ? "reply" : "note", "ticket", m->ticket_id, NULL,
	    json_pack("{s:I,s:s}", "message_id", (json_int_t)m->id, "kind", m->kind))) != CRM_OK)
		return e;
	if (m->file == NULL)
		return CRM_OK;
	crm_db_bind_i64(&b[1], (long long)m->id);
	crm_db_bind_str(&b[2], m->file->filename, (size_t)-1);
	crm_db_bind_str(&b[3], m->type, (size_t)-1);
	crm_db_bind_i64(&b[4], (long long)m->file->size);
	crm_db_bind_blob(&b[5], m->sha, sizeof(m->sha));
	crm_db_bind_i64(&b[6], m->c->user->user_id);
	if ((e = crm_db_exec(db, STMT_TICKET_ATTACHMENT_CREATE, b, 7, NULL, &m->file_id)) != CRM_OK)
		return e;
	if ((e = crm_ctx_audit(m->c, "attach", "ticket", m->ticket_id, NULL, json_pack("{s:I,s:s,s:I}",
	    "attachment_id", (json_int_t)m->file_id, "filename", m->file->filename,
	    "size", (json_int_t)m->file->size))) != CRM_OK)
		return e;
	/* Last, after every statement: a failed insert leaves no file, and a
	 * deadlock reruns the function before the file has moved. */
	m->moved = stored_path(m->c, (long long)m->file_id);
	if (crm_upload_keep(m->file->path, m->moved) != 0) {
		crm_log(CRM_LOG_ERROR, "service: cannot store the attachment at %s: %s", m->moved, strerror(errno));
		m->moved = NULL;
		return CRM_EIO;
	}
	return CRM_OK;
}

static int
refused(struct crm_ctx *c, long long id, int status)
{
	int st = service_ticket_page(c, id);

	json_object_set_new(c->view, "reply", json_pack("{s:s,s:s}", "body", crm_ctx_form_str(c, "body"),
	    "kind", crm_ctx_form_str(c, "kind")));
	return st == 200 ? crm_ctx_status(c, status) : st;
}

int
service_ticket_message(struct crm_ctx *c)
{
	static const char *const kinds[] = { "public", "internal", NULL };
	struct message m;
	int status;
	enum crm_err e;

	memset(&m, 0, sizeof(m));
	m.c = c;
	m.ticket_id = crm_ctx_id(c, "id");
	if (service_load(c, STMT_TICKET_GET, m.ticket_id, 1, &status) == NULL)
		return status;
	m.kind = crm_ctx_form_str(c, "kind");
	m.body = crm_ctx_form_str(c, "body");
	m.file = crm_params_find(&c->form, "file");
	if (m.file != NULL && (m.file->path == NULL || m.file->filename == NULL || *m.file->filename == '\0'))
		m.file = NULL;          /* the file input left empty */
	if (!crm_valid_oneof(m.kind, kinds))
		crm_ctx_field_error(c, "kind", N_("Choose a reply or an internal note."));
	if (!crm_valid_text(m.body, 1, 20000, 1))
		crm_ctx_field_error(c, "body", N_("Write a message of up to 20000 characters."));
	if (m.file != NULL && (long)m.file->size > MAX_ATTACHMENT) {
		crm_ctx_field_error(c, "file", N_("Attach a file of up to 10 MB."));
		return refused(c, m.ticket_id, 413);
	}
	if (m.file != NULL && m.file->size == 0)
		crm_ctx_field_error(c, "file", N_("The file is empty."));
	else if (m.file != NULL && (!crm_valid_text(m.file->filename, 1, 255, 0) ||
	    (m.type = type_of(m.file->filename)) == NULL))
		crm_ctx_field_error(c, "file", N_("Attach an image, a PDF, a text file or an office document."));
	if (crm_ctx_has_errors(c))
		return refused(c, m.ticket_id, 422);
	if (m.file != NULL && sha256_file(m.file->path, m.sha) != 0)
		return 500;
	if ((e = crm_db_tx(c->db, message_tx, &m)) != CRM_OK) {
		if (m.moved != NULL)
			unlink(m.moved);
		return 500;
	}
	return crm_ctx_redirect(c, 303, crm_arena_printf(c->arena, "/service/tickets/%lld?done=%s#message-%llu",
	    m.ticket_id, strcmp(m.kind, "public") == 0 ? "replied" : "noted", (unsigned long long)m.id));
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
service_attachment(struct crm_ctx *c)
{
	long long id = crm_ctx_id(c, "id");
	struct stat sb;
	json_t *a;
	int status, fd;
	ssize_t n;

	if ((a = service_load(c, STMT_TICKET_ATTACHMENT_GET, id, 1, &status)) == NULL)
		return status;
	if ((fd = open(stored_path(c, id), O_RDONLY | O_CLOEXEC)) < 0) {
		crm_log(CRM_LOG_ERROR, "service: attachment %lld: %s", id, strerror(errno));
		return 404;
	}
	if (fstat(fd, &sb) != 0 || sb.st_size > MAX_ATTACHMENT) {
		close(fd);
		return 500;
	}
	crm_buf_init(&c->raw, c->arena, (size_t)sb.st_size + 1);
	while ((n = read(fd, c->raw.data + c->raw.len, (size_t)sb.st_size - c->raw.len)) > 0)
		c->raw.len += (size_t)n;
	close(fd);
	if (n < 0)
		return 500;
	c->raw.data[c->raw.len] = '\0';
	c->content_type = json_string_value(json_object_get(a, "content_type"));
	crm_ctx_header(c, "Content-Disposition", crm_arena_printf(c->arena, "attachment; filename=\"%s\"",
	    header_filename(c, json_string_value(json_object_get(a, "filename")))));
	crm_ctx_header(c, "X-Content-Type-Options", "nosniff");
	crm_ctx_header(c, "Cache-Control", "private, no-store");
	return 200;
}
