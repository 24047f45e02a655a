/* libFuzzer target for the incoming-mail reader. Whatever the message,
 * crm_mime_parse returns; what it returns is within its limits and is
 * valid UTF-8 without control characters (the database's strict mode
 * would refuse anything else), and the HTML stripper does the same on
 * the raw bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_mime.h"
#include "crm_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
text_ok(const char *s, size_t max, int multiline)
{
	size_t len, i;

	if (s == NULL)
		abort();
	len = strlen(s);
	if (len > max || !crm_utf8_valid(s, len))
		abort();
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && !(multiline && (s[i] == '\n' || s[i] == '\t')))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_arena *a = crm_arena_new(4096);
	struct crm_mime_msg m;
	char err[200], *html;
	size_t i;

	if (crm_mime_parse(a, (const char *)data, size, 64, &m, err, sizeof(err)) == CRM_OK) {
		text_ok(m.from_addr, 254 * 3, 0);
		text_ok(m.from_name, 200 * 3, 0);
		text_ok(m.subject, 998, 0);
		text_ok(m.message_id, 250, 0);
		text_ok(m.body, CRM_MIME_MAX_BODY, 1);
		if (m.nrefs > CRM_MIME_MAX_IDS || m.natt > CRM_MIME_MAX_ATTACHMENTS)
			abort();
		for (i = 0; i < m.nrefs; i++)
			text_ok(m.refs[i], 250, 0);
		for (i = 0; i < m.natt; i++) {
			text_ok(m.att[i].filename, 255, 0);
			text_ok(m.att[i].content_type, 100, 0);
			if (strchr(m.att[i].filename, '/') != NULL || (m.att[i].data != NULL && m.att[i].size > 64))
				abort();
		}
	}
	html = crm_mime_html_text(a, (const char *)data, size);
	if (html == NULL || strlen(html) > size)
		abort();
	text_ok(crm_mime_clean(a, html, strlen(html), 1000, 1000, 1, NULL), 1000, 1);
	crm_arena_free(a);
	return 0;
}
