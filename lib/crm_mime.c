/* Incoming mail read with GMime; see crm_mime.h. GMime's objects live
 * only inside crm_mime_parse: what the caller gets is copied into its
 * arena, cleaned to valid UTF-8 and clipped, so the caller never frees
 * anything and a database in strict mode never refuses a string. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "crm_mime.h"

#define MAX_SUBJECT 998         /* bytes: one RFC 5322 line */
#define MAX_ID 250

/* ---- UTF-8 cleaning ---- */

/* The length of the valid UTF-8 sequence at s (1-4), 0 when invalid:
 * overlong forms, surrogates and code points past U+10FFFF are invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t len, unsigned *cp)
{
	size_t n, i;
	unsigned c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

char *
crm_mime_clean(struct crm_arena *a, const char *in, size_t len, size_t max_bytes, size_t max_chars,
    int multiline, int *clipped)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, chars = 0, n, cap;
	char *out;
	unsigned cp;

	if (clipped != NULL)
		*clipped = 0;
	if (in == NULL)
		len = 0;
	/* Each input byte gives at most three output bytes (U+FFFD). */
	cap = (len < max_bytes ? len : max_bytes) * 3 + 4;
	if (cap > max_bytes + 4)
		cap = max_bytes + 4;
	if ((out = crm_arena_alloc(a, cap)) == NULL)
		return NULL;
	while (i < len) {
		const char *put;
		size_t plen;
		char one;

		if ((n = utf8_seq(s + i, len - i, &cp)) == 0) {
			put = "\xef\xbf\xbd";
			plen = 3;
			n = 1;
		} else if (cp == '\r' && i + 1 < len && s[i + 1] == '\n') {
			i++;
			continue;
		} else if (cp == '\n' || cp == '\r' || cp == '\t') {
			one = multiline && cp != '\t' ? '\n' : (cp == '\t' && multiline ? '\t' : ' ');
			put = &one;
			plen = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			i += n;
			continue;
		} else {
			put = (const char *)s + i;
			plen = n;
		}
		if (o + plen > max_bytes || chars + 1 > max_chars) {
			if (clipped != NULL)
				*clipped = 1;
			break;
		}
		memcpy(out + o, put, plen);
		o += plen;
		chars++;
		i += n;
	}
	out[o] = '\0';
	return out;
}

/* ---- HTML to text ---- */

struct text {
	char *s;
	size_t len, cap;
};

static void
put(struct text *t, char c)
{
	if (c == ' ') {
		if (t->len == 0 || t->s[t->len - 1] == ' ' || t->s[t->len - 1] == '\n')
			return;
	} else if (c == '\n') {
		if (t->len > 0 && t->s[t->len - 1] == ' ')
			t->len--;
		if (t->len == 0 || (t->len >= 2 && t->s[t->len - 1] == '\n' && t->s[t->len - 2] == '\n'))
			return;
	}
	if (t->len + 1 < t->cap)
		t->s[t->len++] = c;
}

static void
put_cp(struct text *t, unsigned cp)
{
	char b[4];
	size_t n, i;

	if (cp == 0xa0 || cp == '\t' || cp == '\n' || cp == '\r')
		cp = ' ';
	if (cp < 0x20 || cp == 0x7f || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		put(t, (char)cp);
		return;
	}
	if (cp < 0x800)
		b[0] = (char)(0xc0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		b[0] = (char)(0xe0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		    b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	else
		b[0] = (char)(0xf0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
		    b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	for (i = 0; i < n; i++)
		put(t, b[i]);
}

/* An entity at s (after '&'): its length up to and with ';', 0 when it
 * is not one we know (the '&' then stays as it is). */
static size_t
entity(const char *s, size_t len, unsigned *cp)
{
	static const struct { const char *name; unsigned cp; } named[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
		{ "nbsp", 0xa0 }, { "copy", 0xa9 }, { "reg", 0xae }, { "hellip", 0x2026 },
		{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "euro", 0x20ac },
		{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	};
	size_t i, end;
	unsigned long v = 0;

	for (end = 0; end < len && end < 10 && s[end] != ';'; end++)
		;
	if (end == len || end == 10 || s[end] != ';' || end == 0)
		return 0;
	if (s[0] == '#') {
		int hex = end > 1 && (s[1] == 'x' || s[1] == 'X');

		for (i = hex ? 2 : 1; i < end; i++) {
			int d = hex ? (isxdigit((unsigned char)s[i]) ? (isdigit((unsigned char)s[i]) ? s[i] - '0' :
			    (tolower((unsigned char)s[i]) - 'a' + 10)) : -1) : (isdigit((unsigned char)s[i]) ? s[i] - '0' : -1);

			if (d < 0)
				return 0;
			v = v * (hex ? 16 : 10) + (unsigned long)d;
			if (v > 0x10ffff)
				v = 0xfffd;
		}
		if (i == (size_t)(hex ? 2 : 1))
			return 0;
		*cp = v == 0 ? 0xfffd : (unsigned)v;
		return end + 1;
	}
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strlen(named[i].name) == end && strncmp(s, named[i].name, end) == 0) {
			*cp = named[i].cp;
			return end + 1;
		}
	return 0;
}

/* The position after the end of what starts at s with needle ("-->",
 * "</script"), or len. */
static size_t
skip_past(const char *s, size_t len, size_t from, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = from; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return i + n;
	return len;
}

static int
tag_is(const char *name, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncasecmp(name, *list, n) == 0)
			return 1;
	return 0;
}

char *
crm_mime_html_text(struct crm_arena *a, const char *html, size_t len)
{
	static const char *const blocks[] = { "br", "p", "div", "tr", "table", "ul", "ol", "h1", "h2", "h3",
		"h4", "h5", "h6", "blockquote", "hr", "pre", "section", "article", "header", "footer", NULL };
	static const char *const hidden[] = { "script", "style", "head", "title", NULL };
	struct text t;
	size_t i = 0, n, nl;
	unsigned cp;

	/* Nothing grows: a tag or an entity is never shorter than its text. */
	t.cap = len + 8;
	t.len = 0;
	if ((t.s = crm_arena_alloc(a, t.cap)) == NULL)
		return NULL;
	while (i < len) {
		char c = html[i];

		if (c == '<') {
			size_t name, end;
			int closing = 0;

			if (i + 3 < len && strncmp(html + i, "<!--", 4) == 0) {
				i = skip_past(html, len, i + 4, "-->");
				continue;
			}
			name = i + 1;
			if (name < len && html[name] == '/')
				closing = 1, name++;
			for (nl = name; nl < len && isalnum((unsigned char)html[nl]); nl++)
				;
			/* A '>' inside a quoted attribute does not end the tag. */
			for (end = nl; end < len && html[end] != '>'; end++)
				if (html[end] == '"' || html[end] == '\'') {
					char q = html[end];

					for (end++; end < len && html[end] != q; end++)
						;
					if (end == len)
						break;
				}
			if (nl == name && !closing && (name >= len || html[name] != '!')) {
				put(&t, '<');   /* a lone '<' in text */
				i++;
				continue;
			}
			if (!closing && tag_is(html + name, nl - name, hidden)) {
				char stop[16];

				snprintf(stop, sizeof(stop), "</%.*s", (int)(nl - name), html + name);
				end = skip_past(html, len, end < len ? end : len, stop);
				end = skip_past(html, len, end, ">");
				i = end;
				continue;
			}
			if (tag_is(html + name, nl - name, blocks))
				put(&t, '\n');
			else if (!closing && nl - name == 2 && strncasecmp(html + name, "li", 2) == 0) {
				put(&t, '\n');
				put(&t, '-');
				put(&t, ' ');
			} else if (nl - name == 2 && (strncasecmp(html + name, "td", 2) == 0 ||
			    strncasecmp(html + name, "th", 2) == 0))
				put(&t, ' ');
			i = end < len ? end + 1 : len;
		} else if (c == '&' && (n = entity(html + i + 1, len - i - 1, &cp)) > 0) {
			put_cp(&t, cp);
			i += n + 1;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			put(&t, ' ');
			i++;
		} else {
			put(&t, c);
			i++;
		}
	}
	while (t.len > 0 && (t.s[t.len - 1] == ' ' || t.s[t.len - 1] == '\n'))
		t.len--;
	t.s[t.len] = '\0';
	return t.s;
}

/* ---- the message ---- */

static void
init_once(void)
{
	static int done;

	if (!done) {
		g_mime_init();
		done = 1;
	}
}

/* How many Content-Type headers open a container (multipart or message):
 * a bound on how deep GMime's parser can recurse. Text that merely
 * mentions "multipart/" is not counted. */
static size_t
containers(const char *s, size_t len)
{
	static const char key[] = "content-type";
	size_t i, j, k = 0, n = sizeof(key) - 1;

	for (i = 0; i + n <= len; i++) {
		if ((s[i] | 0x20) != 'c' || strncasecmp(s + i, key, n) != 0)
			continue;
		/* "Content-Type :" is the obsolete syntax, still read. */
		for (j = i + n; j < len && (s[j] == ' ' || s[j] == '\t'); j++)
			;
		if (j == len || s[j] != ':')
			continue;
		for (j++; j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n'); j++)
			;
		if ((j + 10 <= len && strncasecmp(s + j, "multipart/", 10) == 0) ||
		    (j + 8 <= len && strncasecmp(s + j, "message/", 8) == 0))
			k++;
		i = j - 1;
	}
	return k;
}

struct walk {
	struct crm_arena *a;
	struct crm_mime_msg *m;
	size_t max_attachment;
	char *plain, *html;     /* GMime's, g_free'd by the caller */
};

static const char *
clean1(struct crm_arena *a, const char *s, size_t max)
{
	return crm_mime_clean(a, s, s ? strlen(s) : 0, max, max, 0, NULL);
}

/* The last path element of a sender's file name: never a directory. */
static const char *
base_name(struct crm_arena *a, const char *name)
{
	const char *p, *slash = NULL;

	if (name == NULL)
		return "";
	for (p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			slash = p;
	return clean1(a, slash ? slash + 1 : name, 255);
}

static void
keep_attachment(struct walk *w, GMimePart *part, GMimeContentType *ct)
{
	struct crm_mime_attachment *att;
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *out;
	GByteArray *bytes;
	char *type;
	gint64 encoded;
	size_t i;

	if (w->m->natt >= CRM_MIME_MAX_ATTACHMENTS) {
		w->m->att_dropped++;
		return;
	}
	att = &w->m->att[w->m->natt++];
	memset(att, 0, sizeof(*att));
	att->filename = base_name(w->a, g_mime_part_get_filename(part));
	type = g_mime_content_type_get_mime_type(ct);
	att->content_type = clean1(w->a, type, 100);
	g_free(type);
	for (i = 0; att->content_type[i]; i++)
		((char *)att->content_type)[i] = (char)tolower((unsigned char)att->content_type[i]);
	if (content == NULL)
		return;
	/* A part that is too big by its encoded length (base64 counted as 3
	 * bytes for 4) is not decoded at all. */
	encoded = g_mime_stream_length(g_mime_data_wrapper_get_stream(content));
	if (encoded > 0 && g_mime_part_get_content_encoding(part) == GMIME_CONTENT_ENCODING_BASE64)
		encoded = encoded / 4 * 3;
	if (encoded > 0 && (size_t)encoded > w->max_attachment + 3) {
		att->size = (size_t)encoded;    /* about: it was not decoded */
		return;
	}
	out = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(content, out) >= 0) {
		bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
		att->size = bytes->len;
		if (bytes->len <= w->max_attachment) {
			unsigned char *d = crm_arena_alloc(w->a, bytes->len + 1);

			if (d != NULL) {
				memcpy(d, bytes->data, bytes->len);
				att->data = d;
			}
		}
	}
	g_object_unref(out);
}

static void
each_part(GMimeObject *parent, GMimeObject *obj, gpointer arg)
{
	struct walk *w = arg;
	GMimeContentType *ct;
	GMimePart *part;
	const char *filename;
	int text_plain, text_html, attachment;

	(void)parent;
	if (!GMIME_IS_PART(obj))
		return;         /* multiparts are walked into; forwarded messages are not kept */
	part = GMIME_PART(obj);
	ct = g_mime_object_get_content_type(obj);
	filename = g_mime_part_get_filename(part);
	text_plain = ct != NULL && g_mime_content_type_is_type(ct, "text", "plain");
	text_html = ct != NULL && g_mime_content_type_is_type(ct, "text", "html");
	attachment = g_mime_part_is_attachment(part) || (filename != NULL && *filename != '\0');
	if (!attachment && GMIME_IS_TEXT_PART(obj) && (text_plain || text_html)) {
		char **slot = text_plain ? &w->plain : &w->html;

		if (*slot == NULL)
			*slot = g_mime_text_part_get_text(GMIME_TEXT_PART(obj));
		return;
	}
	if (ct != NULL)
		keep_attachment(w, part, ct);
}

/* A Message-ID is ASCII without spaces (RFC 5322 msg-id); anything else
 * is not one, and is dropped rather than matched. */
static const char *
msg_id(struct crm_arena *a, const char *id)
{
	size_t i, n = id ? strlen(id) : 0;

	if (n == 0 || n > MAX_ID)
		return "";
	for (i = 0; i < n; i++)
		if ((unsigned char)id[i] <= 0x20 || (unsigned char)id[i] >= 0x7f)
			return "";
	return crm_arena_strndup(a, id, n);
}

static void
add_refs(struct crm_arena *a, struct crm_mime_msg *m, const char *header, int newest_first)
{
	GMimeReferences *refs;
	int n, i;

	if (header == NULL || (refs = g_mime_references_parse(NULL, header)) == NULL)
		return;
	n = g_mime_references_length(refs);
	for (i = 0; i < n && m->nrefs < CRM_MIME_MAX_IDS; i++) {
		const char *id = g_mime_references_get_message_id(refs, newest_first ? n - 1 - i : i);

		if (*(id = msg_id(a, id)) != '\0')
			m->refs[m->nrefs++] = id;
	}
	g_mime_references_free(refs);
}

static int
header_has(GMimeObject *o, const char *name, const char *const *values)
{
	const char *v = g_mime_object_get_header(o, name);

	if (v == NULL)
		return 0;
	if (values == NULL)
		return 1;
	while (*v == ' ' || *v == '\t')
		v++;
	for (; *values; values++)
		if (strncasecmp(v, *values, strlen(*values)) == 0)
			return 1;
	return 0;
}

static void
read_headers(struct crm_arena *a, GMimeMessage *msg, struct crm_mime_msg *m)
{
	static const char *const bulk[] = { "bulk", "junk", "list", "auto_reply", NULL };
	static const char *const auto_yes[] = { "auto-", NULL };
	GMimeObject *o = GMIME_OBJECT(msg);
	InternetAddressList *from = g_mime_message_get_from(msg);
	GDateTime *date = g_mime_message_get_date(msg);
	int i, n = from ? internet_address_list_length(from) : 0;

	m->from_addr = m->from_name = "";
	for (i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(from, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			m->from_addr = clean1(a, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), 254);
			m->from_name = clean1(a, internet_address_get_name(ia), 200);
			break;
		}
	}
	m->subject = clean1(a, g_mime_message_get_subject(msg), MAX_SUBJECT);
	m->message_id = msg_id(a, g_mime_message_get_message_id(msg));
	add_refs(a, m, g_mime_object_get_header(o, "In-Reply-To"), 0);
	add_refs(a, m, g_mime_object_get_header(o, "References"), 1);
	m->date = date != NULL ? (time_t)g_date_time_to_unix(date) : 0;
	/* RFC 3834: anything but "no" is automatic; Precedence and the
	 * vendors' own headers are what older responders send. */
	m->auto_reply = header_has(o, "Auto-Submitted", auto_yes) || header_has(o, "Precedence", bulk) ||
	    header_has(o, "X-Autoreply", NULL) || header_has(o, "X-Autorespond", NULL);
}

enum crm_err
crm_mime_parse(struct crm_arena *a, const char *raw, size_t len, size_t max_attachment,
    struct crm_mime_msg *m, char *err, size_t errlen)
{
	static const char *fallback[] = { "utf-8", "gb18030", "windows-1252", NULL };
	struct walk w;
	GMimeParserOptions *opts;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;

	memset(m, 0, sizeof(*m));
	m->from_addr = m->from_name = m->subject = m->message_id = m->body = "";
	if (len > (size_t)CRM_MIME_MAX_SIZE) {
		snprintf(err, errlen, "the message has %zu bytes, more than %ld", len, CRM_MIME_MAX_SIZE);
		return CRM_EINVAL;
	}
	/* GMime's parser recurses into each nested part: a message made of
	 * thousands of nested multiparts must not reach it. */
	if (containers(raw, len) > CRM_MIME_MAX_NESTING) {
		snprintf(err, errlen, "the message has more than %d multipart or message parts",
		    CRM_MIME_MAX_NESTING);
		return CRM_EINVAL;
	}
	init_once();
	stream = g_mime_stream_mem_new_with_buffer(raw, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_object_unref(stream);
	/* Raw 8-bit headers without a declared charset: UTF-8 when they are,
	 * else the Chinese national charset (a superset of GBK), else the
	 * Western one mail programs mean by Latin-1. */
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(opts, fallback);
	msg = g_mime_parser_construct_message(parser, opts);
	g_object_unref(parser);
	if (msg == NULL) {
		g_mime_parser_options_free(opts);
		snprintf(err, errlen, "not a mail message");
		return CRM_EINVAL;
	}
	read_headers(a, msg, m);
	memset(&w, 0, sizeof(w));
	w.a = a;
	w.m = m;
	w.max_attachment = max_attachment;
	g_mime_message_foreach(msg, each_part, &w);
	if (w.plain != NULL && strspn(w.plain, " \t\r\n") < strlen(w.plain))
		m->body = crm_mime_clean(a, w.plain, strlen(w.plain), CRM_MIME_MAX_BODY, CRM_MIME_MAX_BODY, 1,
		    &m->body_clipped);
	else if (w.html != NULL) {
		char *text = crm_mime_html_text(a, w.html, strlen(w.html));

		m->body = crm_mime_clean(a, text, text ? strlen(text) : 0, CRM_MIME_MAX_BODY, CRM_MIME_MAX_BODY, 1,
		    &m->body_clipped);
	}
	if (m->body == NULL)
		m->body = "";
	else {
		/* The blank lines and spaces a mail program leaves at the end. */
		char *end = (char *)m->body + strlen(m->body);

		while (end > m->body && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
	}
	g_free(w.plain);
	g_free(w.html);
	g_object_unref(msg);
	g_mime_parser_options_free(opts);
	if (m->from_addr == NULL || m->subject == NULL || m->message_id == NULL) {
		snprintf(err, errlen, "out of memory");
		return CRM_EIO;
	}
	return CRM_OK;
}
