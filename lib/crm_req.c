/* Request parsers: explicit state machines in the manner of nginx's
 * ngx_http_parse.c, each stopping at the first byte that cannot belong. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm_buf.h"
#include "crm_req.h"

#define BOUNDARY_MAX    70      /* RFC 2046 §5.1.1 */
#define MP_LINE_MAX     1024    /* one part header line, CRLF excluded */
#define MP_HEADERS_MAX  16
/* Uploads are written through this buffer so that a body fed in tiny
 * chunks does not cost a write(2) per chunk. */
#define MP_WBUF         (64 * 1024)

void
crm_req_limits_default(struct crm_req_limits *l)
{
	l->max_fields = 256;
	l->max_name = 256;
	l->max_value = 64 * 1024;
	l->max_file = 16 * 1024 * 1024;
	l->tmpdir = "/tmp";
}

/* Character classes, ASCII only: the C library's depend on the locale. */

static int
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* RFC 9110 §5.6.2 tchar. */
static int
is_tchar(unsigned char c)
{
	if (is_alnum(c))
		return 1;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
	case '+': case '-': case '.': case '^': case '_': case '`': case '|':
	case '~':
		return 1;
	}
	return 0;
}

/* RFC 6265 §4.1.1 cookie-octet: no CTLs, whitespace, DQUOTE, comma,
 * semicolon or backslash. */
static int
is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2B) ||
	    (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B) ||
	    (c >= 0x5D && c <= 0x7E);
}

/* RFC 9110 §5.6.4 qdtext. */
static int
is_qdtext(unsigned char c)
{
	return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) ||
	    (c >= 0x5D && c <= 0x7E) || c >= 0x80;
}

/* RFC 9110 §5.5 field-vchar, SP and HTAB: a header line holds no other
 * control character. */
static int
is_field_byte(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7F);
}

/* RFC 2046 §5.1.1 bcharsnospace. */
static int
is_bchar(unsigned char c)
{
	if (is_alnum(c))
		return 1;
	switch (c) {
	case '\'': case '(': case ')': case '+': case '_': case ',': case '-':
	case '.': case '/': case ':': case '=': case '?':
		return 1;
	}
	return 0;
}

static int
is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Case-insensitive comparison with a lowercase literal. */
static int
ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || lower((unsigned char)s[i]) != (unsigned char)lit[i])
			return 0;
	return lit[n] == '\0';
}

/*
 * UTF-8, one byte at a time, so that streamed and percent-decoded text is
 * checked as it arrives. The ranges are those of Unicode table 3-7: the
 * narrow second-byte ranges after E0, ED, F0 and F4 are what exclude
 * overlongs, surrogates and code points above U+10FFFF.
 */
struct utf8 {
	unsigned char need;     /* continuation bytes still due */
	unsigned char lo, hi;   /* the range the next one must fall in */
};

static int
utf8_step(struct utf8 *u, unsigned char c)
{
	if (u->need > 0) {
		if (c < u->lo || c > u->hi)
			return 0;
		u->need--;
		u->lo = 0x80;
		u->hi = 0xBF;
		return 1;
	}
	if (c < 0x80)
		return 1;
	u->lo = 0x80;
	u->hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		u->need = 1;
	} else if (c == 0xE0) {
		u->need = 2;
		u->lo = 0xA0;
	} else if (c == 0xED) {
		u->need = 2;
		u->hi = 0x9F;
	} else if (c >= 0xE1 && c <= 0xEF) {
		u->need = 2;
	} else if (c == 0xF0) {
		u->need = 3;
		u->lo = 0x90;
	} else if (c == 0xF4) {
		u->need = 3;
		u->hi = 0x8F;
	} else if (c >= 0xF1 && c <= 0xF3) {
		u->need = 3;
	} else {
		return 0;
	}
	return 1;
}

int
crm_utf8_valid(const char *s, size_t n)
{
	struct utf8 u = { 0, 0x80, 0xBF };
	size_t i;

	for (i = 0; i < n; i++)
		if (!utf8_step(&u, (unsigned char)s[i]))
			return 0;
	return u.need == 0;
}

void
crm_params_add(struct crm_arena *a, struct crm_params *ps, const struct crm_param *p)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;

		ps->v = crm_arena_realloc(a, ps->v, ps->cap * sizeof(*ps->v),
		    cap * sizeof(*ps->v));
		ps->cap = cap;
	}
	ps->v[ps->n++] = *p;
}

const struct crm_param *
crm_params_find(const struct crm_params *ps, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].name.len == len &&
		    (len == 0 || memcmp(ps->v[i].name.data, name, len) == 0))
			return &ps->v[i];
	return NULL;
}

const char *
crm_params_get(const struct crm_params *ps, const char *name)
{
	const struct crm_param *p = crm_params_find(ps, name);

	return p ? p->value.data : NULL;
}

/*
 * application/x-www-form-urlencoded
 */

enum dec_state {
	DEC_PLAIN,
	DEC_PCT1,       /* after '%' */
	DEC_PCT2        /* after '%' and one hex digit */
};

/* The decoder of one name or value. */
struct dec {
	char *out;
	size_t len, max;
	struct utf8 u;
	enum dec_state state;
	unsigned char hi;
};

/* A decoded byte is checked before it is counted against the limit, so the
 * error is the one of the first offending byte. */
static enum crm_err
dec_put(struct dec *d, unsigned char c)
{
	if (c == '\0' || !utf8_step(&d->u, c))
		return CRM_EINVAL;
	if (d->len == d->max)
		return CRM_ETOOBIG;
	d->out[d->len++] = (char)c;
	return CRM_OK;
}

static enum crm_err
dec_byte(struct dec *d, unsigned char c)
{
	int v;

	switch (d->state) {
	case DEC_PLAIN:
		if (c == '%') {
			d->state = DEC_PCT1;
			return CRM_OK;
		}
		return dec_put(d, c == '+' ? ' ' : c);
	case DEC_PCT1:
		if ((v = hexval(c)) < 0)
			return CRM_EINVAL;
		d->hi = (unsigned char)v;
		d->state = DEC_PCT2;
		return CRM_OK;
	case DEC_PCT2:
		if ((v = hexval(c)) < 0)
			return CRM_EINVAL;
		d->state = DEC_PLAIN;
		return dec_put(d, (unsigned char)(d->hi << 4 | v));
	}
	return CRM_EINVAL;
}

/* A name or value may not end inside "%XX" or a UTF-8 sequence. */
static enum crm_err
dec_end(struct dec *d, struct crm_str *s)
{
	if (d->state != DEC_PLAIN || d->u.need != 0)
		return CRM_EINVAL;
	d->out[d->len] = '\0';
	s->data = d->out;
	s->len = d->len;
	return CRM_OK;
}

static void
dec_init(struct dec *d, char *out, size_t max)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
	d->max = max;
}

/* One non-empty "name[=value]" between separators. */
static enum crm_err
urlencoded_pair(struct crm_arena *a, const char *p, const char *end,
    const struct crm_req_limits *lim, struct crm_params *out)
{
	struct crm_param prm;
	struct dec d;
	size_t n = (size_t)(end - p), cap = n + 2;
	int in_name = 1;
	enum crm_err e;

	/* Decoding never lengthens and the limits cap what is kept, so the
	 * buffer (name, NUL, value, NUL) needs the smaller of the two. */
	if (lim->max_name < n && lim->max_value < n - lim->max_name)
		cap = lim->max_name + lim->max_value + 2;
	memset(&prm, 0, sizeof(prm));
	dec_init(&d, crm_arena_alloc(a, cap), lim->max_name);
	for (; p < end; p++) {
		if (in_name && *p == '=') {
			if ((e = dec_end(&d, &prm.name)) != CRM_OK)
				return e;
			dec_init(&d, d.out + d.len + 1, lim->max_value);
			in_name = 0;
		} else if ((e = dec_byte(&d, (unsigned char)*p)) != CRM_OK) {
			return e;
		}
	}
	if ((e = dec_end(&d, in_name ? &prm.name : &prm.value)) != CRM_OK)
		return e;
	if (in_name) {
		/* The name's NUL doubles as the empty value. */
		prm.value.data = prm.name.data + prm.name.len;
		prm.value.len = 0;
	}
	crm_params_add(a, out, &prm);
	return CRM_OK;
}

enum crm_err
crm_parse_urlencoded(struct crm_arena *a, const char *s, size_t len,
    const struct crm_req_limits *lim, struct crm_params *out)
{
	const char *p, *end, *amp;
	size_t n0 = out->n, fields = 0;
	enum crm_err e = CRM_OK;

	if (len == 0)
		return CRM_OK;
	for (p = s, end = s + len; p < end; p = amp < end ? amp + 1 : end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;
		if (fields++ == lim->max_fields) {
			e = CRM_ETOOBIG;
			break;
		}
		if ((e = urlencoded_pair(a, p, amp, lim, out)) != CRM_OK)
			break;
	}
	if (e != CRM_OK)
		out->n = n0;
	return e;
}

/*
 * Cookie header (RFC 6265 §4.2.1, with whitespace tolerated around ';')
 */

enum ck_state {
	CK_START,       /* OWS before the first pair */
	CK_PAIR,        /* OWS after ';' */
	CK_NAME,
	CK_VALUE_START, /* after '=' */
	CK_VALUE,
	CK_QVALUE,      /* inside double quotes */
	CK_AFTER        /* OWS after a value */
};

static void
cookie_add(struct crm_arena *a, struct crm_params *out, const char *name,
    size_t name_len, const char *value, size_t value_len)
{
	struct crm_param prm;

	memset(&prm, 0, sizeof(prm));
	prm.name.data = crm_arena_strndup(a, name, name_len);
	prm.name.len = name_len;
	prm.value.data = crm_arena_strndup(a, value, value_len);
	prm.value.len = value_len;
	crm_params_add(a, out, &prm);
}

static enum crm_err
cookies(struct crm_arena *a, const char *s, size_t len,
    const struct crm_req_limits *lim, struct crm_params *out)
{
	enum ck_state state = CK_START;
	const char *name = s, *value = s;
	size_t i, fields = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (state) {
		case CK_START:
		case CK_PAIR:
			if (is_ows(c))
				break;
			if (!is_tchar(c))
				return CRM_EINVAL;
			if (fields++ == lim->max_fields || lim->max_name == 0)
				return CRM_ETOOBIG;
			name = s + i;
			state = CK_NAME;
			break;
		case CK_NAME:
			if (c == '=') {
				value = s + i + 1;
				state = CK_VALUE_START;
				break;
			}
			if (!is_tchar(c))
				return CRM_EINVAL;
			if ((size_t)(s + i - name) == lim->max_name)
				return CRM_ETOOBIG;
			break;
		case CK_VALUE_START:
		case CK_VALUE:
			if (state == CK_VALUE_START && c == '"') {
				value = s + i + 1;
				state = CK_QVALUE;
				break;
			}
			state = CK_VALUE;
			if (c == ';' || is_ows(c)) {
				cookie_add(a, out, name, (size_t)(value - 1 - name),
				    value, (size_t)(s + i - value));
				state = c == ';' ? CK_PAIR : CK_AFTER;
				break;
			}
			if (!is_cookie_octet(c))
				return CRM_EINVAL;
			if ((size_t)(s + i - value) == lim->max_value)
				return CRM_ETOOBIG;
			break;
		case CK_QVALUE:
			if (c == '"') {
				/* The name ends two bytes before the value: '=' and '"'. */
				cookie_add(a, out, name, (size_t)(value - 2 - name),
				    value, (size_t)(s + i - value));
				state = CK_AFTER;
				break;
			}
			if (!is_cookie_octet(c))
				return CRM_EINVAL;
			if ((size_t)(s + i - value) == lim->max_value)
				return CRM_ETOOBIG;
			break;
		case CK_AFTER:
			if (c == ';')
				state = CK_PAIR;
			else if (!is_ows(c))
				return CRM_EINVAL;
			break;
		}
	}
	switch (state) {
	case CK_START:
	case CK_PAIR:
	case CK_AFTER:
		return CRM_OK;
	case CK_VALUE_START:
	case CK_VALUE:
		cookie_add(a, out, name, (size_t)(value - 1 - name), value,
		    (size_t)(s + len - value));
		return CRM_OK;
	case CK_NAME:
	case CK_QVALUE:
		break;
	}
	return CRM_EINVAL;
}

enum crm_err
crm_parse_cookies(struct crm_arena *a, const char *s, size_t len,
    const struct crm_req_limits *lim, struct crm_params *out)
{
	size_t n0 = out->n;
	enum crm_err e = cookies(a, s, len, lim, out);

	if (e != CRM_OK)
		out->n = n0;
	return e;
}

/*
 * Header values with parameters: Content-Type, Content-Disposition
 */

struct hparam {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

/* How a backslash inside a quoted value is read. */
enum qmode {
	Q_STRICT,       /* RFC 9110 quoted-pair */
	/* Browsers send a backslash as itself (IE's "C:\dir\a.txt") and a
	 * quote as %22 (WHATWG form encoding), while other clients (Go) escape
	 * both with a backslash: only \" and \\ are escapes. */
	Q_BROWSER
};

enum hp_state {
	HP_SEMI,        /* OWS before ';' */
	HP_OWS,         /* OWS after ';' */
	HP_NAME,
	HP_VALUE,       /* after '=' */
	HP_TOKEN,
	HP_QUOTED,
	HP_QPAIR        /* after a backslash in a quoted value */
};

/*
 * Reads the next `OWS ";" OWS [ name "=" ( token / quoted-string ) ]`
 * (RFC 9110 §5.6.6, which allows empty parameters). Returns 1 with *hp set,
 * 0 at the end of the value, -1 if malformed. A quoted value is unquoted
 * into scratch, which must hold end - *pp bytes and is reused by the next
 * call.
 */
static int
next_param(const char **pp, const char *end, struct hparam *hp, char *scratch,
    enum qmode mode)
{
	enum hp_state state = HP_SEMI;
	const char *p;
	size_t n = 0;

	for (p = *pp; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		switch (state) {
		case HP_SEMI:
			if (c == ';')
				state = HP_OWS;
			else if (!is_ows(c))
				return -1;
			break;
		case HP_OWS:
			if (is_ows(c) || c == ';')
				break;
			if (!is_tchar(c))
				return -1;
			hp->name = p;
			state = HP_NAME;
			break;
		case HP_NAME:
			if (c == '=') {
				hp->name_len = (size_t)(p - hp->name);
				state = HP_VALUE;
			} else if (!is_tchar(c)) {
				return -1;
			}
			break;
		case HP_VALUE:
			if (c == '"') {
				state = HP_QUOTED;
				break;
			}
			if (!is_tchar(c))
				return -1;
			hp->value = p;
			state = HP_TOKEN;
			break;
		case HP_TOKEN:
			if (is_tchar(c))
				break;
			hp->value_len = (size_t)(p - hp->value);
			*pp = p;
			return 1;
		case HP_QUOTED:
			if (c == '"') {
				hp->value = scratch;
				hp->value_len = n;
				*pp = p + 1;
				return 1;
			}
			if (c == '\\') {
				if (mode == Q_STRICT) {
					state = HP_QPAIR;
					break;
				}
				if (p + 1 < end && (p[1] == '"' || p[1] == '\\'))
					p++;
				scratch[n++] = *p;
				break;
			}
			if (!is_qdtext(c))
				return -1;
			scratch[n++] = (char)c;
			break;
		case HP_QPAIR:
			if (!is_field_byte(c))
				return -1;
			scratch[n++] = (char)c;
			state = HP_QUOTED;
			break;
		}
	}
	*pp = p;
	switch (state) {
	case HP_SEMI:
	case HP_OWS:
		return 0;
	case HP_TOKEN:
		hp->value_len = (size_t)(p - hp->value);
		return 1;
	case HP_NAME:
	case HP_VALUE:
	case HP_QUOTED:
	case HP_QPAIR:
		break;
	}
	return -1;
}

static int
boundary_valid(const char *b, size_t n)
{
	size_t i;

	if (n == 0 || n > BOUNDARY_MAX || b[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++)
		if (!is_bchar((unsigned char)b[i]) && b[i] != ' ')
			return 0;
	return 1;
}

/* type "/" subtype *( OWS ";" OWS [ parameter ] ). The lowercased type is
 * stored when mime is not NULL, the boundary when boundary is not NULL;
 * other parameters are only checked for syntax. */
static enum crm_err
media_type(struct crm_arena *a, const char *s, size_t len, struct crm_str *mime,
    struct crm_str *boundary, char *scratch)
{
	const char *p = s, *end = s + len, *type, *sub;
	struct hparam hp;
	int r, seen = 0;
	size_t i;

	while (p < end && is_ows((unsigned char)*p))
		p++;
	for (type = p; p < end && is_tchar((unsigned char)*p); p++)
		continue;
	if (p == type || p == end || *p != '/')
		return CRM_EINVAL;
	for (sub = ++p; p < end && is_tchar((unsigned char)*p); p++)
		continue;
	if (p == sub)
		return CRM_EINVAL;
	if (mime != NULL) {
		mime->len = (size_t)(p - type);
		mime->data = crm_arena_strndup(a, type, mime->len);
		for (i = 0; i < mime->len; i++)
			mime->data[i] = (char)lower((unsigned char)mime->data[i]);
	}
	while ((r = next_param(&p, end, &hp, scratch, Q_STRICT)) > 0) {
		if (boundary == NULL || !ieq(hp.name, hp.name_len, "boundary"))
			continue;
		/* Two boundaries would let two parsers split one body two ways. */
		if (seen++ || !boundary_valid(hp.value, hp.value_len))
			return CRM_EINVAL;
		boundary->len = hp.value_len;
		boundary->data = crm_arena_strndup(a, hp.value, hp.value_len);
	}
	return r < 0 ? CRM_EINVAL : CRM_OK;
}

enum crm_err
crm_parse_content_type(struct crm_arena *a, const char *s, size_t len,
    struct crm_str *mime, struct crm_str *boundary)
{
	enum crm_err e;

	boundary->len = 0;
	boundary->data = crm_arena_strdup(a, "");
	mime->len = 0;
	mime->data = boundary->data;
	e = media_type(a, s, len, mime, boundary, crm_arena_alloc(a, len + 1));
	if (e != CRM_OK) {
		boundary->len = mime->len = 0;
		boundary->data[0] = '\0';
		mime->data = boundary->data;
	}
	return e;
}

/*
 * multipart/form-data (RFC 7578 over RFC 2046 §5.1)
 */

enum mp_state {
	MP_PREAMBLE,    /* skipped up to the first delimiter */
	MP_DELIM,       /* after "--boundary": "--", padding or CRLF */
	MP_CLOSE_DASH,  /* after "--boundary-" */
	MP_PADDING,     /* transport padding after a delimiter */
	MP_PADDING_LF,  /* CR seen, LF due */
	MP_HEADER,      /* a part header line */
	MP_HEADER_LF,
	MP_BODY,        /* part content, up to the next delimiter */
	MP_EPILOGUE,    /* after the close delimiter: padding and CRLFs only */
	MP_EPILOGUE_LF
};

/* An upload's temp file, closed and unlinked by the arena cleanup. */
struct upload {
	int fd;         /* -1 once the part is complete or has failed */
	char *path;
	dev_t dev;
	ino_t ino;
};

struct crm_multipart {
	struct crm_arena *arena;
	struct crm_params *out;
	struct crm_req_limits lim;
	size_t out_n0;          /* out->n before the first part, restored on error */
	size_t fields;
	enum crm_err err;       /* sticky: every later call returns it */
	enum mp_state state;
	char delim[4 + BOUNDARY_MAX];   /* "\r\n--" boundary */
	size_t delim_len;
	size_t match;           /* delimiter bytes matched at the end of the last chunk */

	/* The current part. */
	struct crm_param part;  /* name, filename, content_type so far */
	unsigned nheaders;
	int disposition;        /* a Content-Disposition was seen */
	size_t line_len;
	char line[MP_LINE_MAX];
	char scratch[MP_LINE_MAX];
	struct crm_buf text;    /* a text part's value */
	struct utf8 u;
	struct upload *file;    /* a file part's temp file, else NULL */
	size_t size;            /* a file part's bytes so far */
	char *wbuf;
	size_t wlen;
};

static void
upload_cleanup(void *arg)
{
	struct upload *u = arg;
	struct stat st;

	if (u->fd >= 0)
		close(u->fd);
	/* A handler that wants to keep the upload renames it: unlink the
	 * path only while it still names our file. */
	if (lstat(u->path, &st) == 0 && st.st_dev == u->dev && st.st_ino == u->ino)
		unlink(u->path);
}

static enum crm_err
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return CRM_EIO;
		p += w;
		n -= (size_t)w;
	}
	return CRM_OK;
}

static enum crm_err
upload_open(struct crm_multipart *mp)
{
	struct upload *u;
	struct stat st;
	int fd;

	if (mp->lim.tmpdir == NULL)
		return CRM_EINVAL;
	u = crm_arena_alloc(mp->arena, sizeof(*u));
	u->path = crm_arena_printf(mp->arena, "%s/crm-upload-XXXXXX", mp->lim.tmpdir);
	if ((fd = mkostemp(u->path, O_CLOEXEC)) < 0)
		return CRM_EIO;
	if (fstat(fd, &st) != 0) {
		close(fd);
		unlink(u->path);
		return CRM_EIO;
	}
	u->fd = fd;
	u->dev = st.st_dev;
	u->ino = st.st_ino;
	crm_arena_cleanup(mp->arena, upload_cleanup, u);
	mp->file = u;
	mp->size = 0;
	mp->wlen = 0;
	if (mp->wbuf == NULL)
		mp->wbuf = crm_arena_alloc(mp->arena, MP_WBUF);
	return CRM_OK;
}

static enum crm_err
upload_flush(struct crm_multipart *mp)
{
	enum crm_err e = write_all(mp->file->fd, mp->wbuf, mp->wlen);

	mp->wlen = 0;
	return e;
}

static enum crm_err
upload_data(struct crm_multipart *mp, const char *p, size_t n)
{
	enum crm_err e;

	if (n > mp->lim.max_file - mp->size)
		return CRM_ETOOBIG;
	mp->size += n;
	if (n <= MP_WBUF - mp->wlen) {
		memcpy(mp->wbuf + mp->wlen, p, n);
		mp->wlen += n;
		return CRM_OK;
	}
	if ((e = upload_flush(mp)) != CRM_OK)
		return e;
	if (n >= MP_WBUF)
		return write_all(mp->file->fd, p, n);
	memcpy(mp->wbuf, p, n);
	mp->wlen = n;
	return CRM_OK;
}

static enum crm_err
text_data(struct crm_multipart *mp, const char *p, size_t n)
{
	size_t room = mp->lim.max_value - mp->text.len, i;

	/* The bytes within the limit are checked first, so the error is the
	 * one of the first offending byte however the body was chunked. */
	for (i = 0; i < n && i < room; i++)
		if (p[i] == '\0' || !utf8_step(&mp->u, (unsigned char)p[i]))
			return CRM_EINVAL;
	if (n > room)
		return CRM_ETOOBIG;
	crm_buf_add(&mp->text, p, n);
	return CRM_OK;
}

static enum crm_err
part_data(struct crm_multipart *mp, const char *p, size_t n)
{
	if (mp->state == MP_PREAMBLE || n == 0)
		return CRM_OK;
	return mp->file ? upload_data(mp, p, n) : text_data(mp, p, n);
}

static enum crm_err
part_name(struct crm_multipart *mp, const char *s, size_t n)
{
	if (mp->part.name.data != NULL || !crm_utf8_valid(s, n))
		return CRM_EINVAL;
	if (n > mp->lim.max_name)
		return CRM_ETOOBIG;
	mp->part.name.data = crm_arena_strndup(mp->arena, s, n);
	mp->part.name.len = n;
	return CRM_OK;
}

/* Keeps only what follows the last '/' or '\': the directory a client
 * sent ("C:\dir\a.txt", "../../etc/passwd") is never ours to use. */
static enum crm_err
part_filename(struct crm_multipart *mp, const char *s, size_t n)
{
	size_t i, base = 0;

	if (mp->part.filename != NULL || !crm_utf8_valid(s, n))
		return CRM_EINVAL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F)
			return CRM_EINVAL;
		if (c == '/' || c == '\\')
			base = i + 1;
	}
	s += base;
	n -= base;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return CRM_EINVAL;
	mp->part.filename = crm_arena_strndup(mp->arena, s, n);
	return CRM_OK;
}

static enum crm_err
part_disposition(struct crm_multipart *mp, const char *p, const char *end)
{
	const char *type = p;
	struct hparam hp;
	enum crm_err e;
	int r;

	if (mp->disposition++)
		return CRM_EINVAL;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (!ieq(type, (size_t)(p - type), "form-data"))
		return CRM_EINVAL;
	while ((r = next_param(&p, end, &hp, mp->scratch, Q_BROWSER)) > 0) {
		/* RFC 7578 §4.2 forbids filename*: it is ignored like any
		 * other parameter. */
		if (ieq(hp.name, hp.name_len, "name"))
			e = part_name(mp, hp.value, hp.value_len);
		else if (ieq(hp.name, hp.name_len, "filename"))
			e = part_filename(mp, hp.value, hp.value_len);
		else
			e = CRM_OK;
		if (e != CRM_OK)
			return e;
	}
	return r < 0 ? CRM_EINVAL : CRM_OK;
}

static enum crm_err
part_content_type(struct crm_multipart *mp, const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (mp->part.content_type != NULL ||
	    media_type(mp->arena, p, n, NULL, NULL, mp->scratch) != CRM_OK)
		return CRM_EINVAL;
	mp->part.content_type = crm_arena_strndup(mp->arena, p, n);
	return CRM_OK;
}

/* A complete header line, "name: value". */
static enum crm_err
part_header(struct crm_multipart *mp)
{
	const char *p = mp->line, *end = p + mp->line_len, *name = p;
	size_t name_len;

	if (mp->nheaders++ == MP_HEADERS_MAX)
		return CRM_EINVAL;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	/* No space before the colon and no obs-fold continuation line
	 * (RFC 9112 §5.1, §5.2). */
	if (p == name || p == end || *p != ':')
		return CRM_EINVAL;
	name_len = (size_t)(p - name);
	for (p++; p < end && is_ows((unsigned char)*p); p++)
		continue;
	while (end > p && is_ows((unsigned char)end[-1]))
		end--;
	if (ieq(name, name_len, "content-disposition"))
		return part_disposition(mp, p, end);
	if (ieq(name, name_len, "content-type"))
		return part_content_type(mp, p, end);
	/* RFC 7578 §4.8: any other header field is ignored. */
	return CRM_OK;
}

static void
part_begin(struct crm_multipart *mp)
{
	memset(&mp->part, 0, sizeof(mp->part));
	memset(&mp->u, 0, sizeof(mp->u));
	mp->nheaders = 0;
	mp->disposition = 0;
	mp->line_len = 0;
	mp->file = NULL;
	mp->size = 0;
}

/* The blank line after the headers: the part's content follows. */
static enum crm_err
part_headers_end(struct crm_multipart *mp)
{
	enum crm_err e;

	if (mp->part.name.data == NULL)
		return CRM_EINVAL;
	if (mp->fields == mp->lim.max_fields)
		return CRM_ETOOBIG;
	mp->fields++;
	if (mp->part.filename != NULL) {
		if ((e = upload_open(mp)) != CRM_OK)
			return e;
	} else {
		crm_buf_init(&mp->text, mp->arena, 64);
	}
	mp->state = MP_BODY;
	mp->match = 0;
	return CRM_OK;
}

/* The delimiter after a part's content: the part is complete. */
static enum crm_err
part_end(struct crm_multipart *mp)
{
	struct crm_param prm = mp->part;
	enum crm_err e;
	int fd;

	if (mp->file != NULL) {
		if ((e = upload_flush(mp)) != CRM_OK)
			return e;
		/* Closed now, so a body of many files holds one descriptor. */
		fd = mp->file->fd;
		mp->file->fd = -1;
		if (close(fd) != 0)
			return CRM_EIO;
		prm.value.data = crm_arena_strdup(mp->arena, "");
		prm.value.len = 0;
		prm.path = mp->file->path;
		prm.size = mp->size;
		mp->file = NULL;
	} else {
		if (mp->u.need != 0)
			return CRM_EINVAL;
		prm.value.data = mp->text.data;
		prm.value.len = mp->text.len;
	}
	crm_params_add(mp->arena, mp->out, &prm);
	return CRM_OK;
}

static enum crm_err
mp_delim(struct crm_multipart *mp)
{
	enum crm_err e;

	if (mp->state == MP_BODY && (e = part_end(mp)) != CRM_OK)
		return e;
	mp->state = MP_DELIM;
	return CRM_OK;
}

/*
 * Passes content to the part up to the delimiter "\r\n--boundary". The
 * delimiter holds a CR only at its start, so a failed comparison resumes at
 * the next CR without backtracking and the scan is linear; and the bytes held
 * back at the end of a chunk are always a prefix of the delimiter, so the
 * carry is just a count of them.
 */
static enum crm_err
mp_scan(struct crm_multipart *mp, const char **pp, const char *end)
{
	const char *d = mp->delim, *p = *pp, *run, *cr;
	size_t m = mp->delim_len, k, avail;
	enum crm_err e;

	if (mp->match > 0) {
		for (k = mp->match; k < m && p < end && *p == d[k]; k++)
			p++;
		*pp = p;
		if (k == m) {
			mp->match = 0;
			return mp_delim(mp);
		}
		if (p == end) {
			mp->match = k;
			return CRM_OK;
		}
		/* Not the delimiter: the held-back bytes were content. */
		mp->match = 0;
		if ((e = part_data(mp, d, k)) != CRM_OK)
			return e;
	}
	run = p;
	while ((cr = memchr(p, '\r', (size_t)(end - p))) != NULL) {
		avail = (size_t)(end - cr);
		for (k = 0; k < m && k < avail && cr[k] == d[k]; k++)
			continue;
		if (k == m || k == avail) {
			if ((e = part_data(mp, run, (size_t)(cr - run))) != CRM_OK)
				return e;
			*pp = cr + k;
			if (k == m)
				return mp_delim(mp);
			mp->match = k;
			return CRM_OK;
		}
		p = cr + 1;
	}
	*pp = end;
	return part_data(mp, run, (size_t)(end - run));
}

/* Everything between the delimiters, one byte at a time: lines are short. */
static enum crm_err
mp_byte(struct crm_multipart *mp, unsigned char c)
{
	enum crm_err e;

	switch (mp->state) {
	case MP_DELIM:
	case MP_PADDING:
		if (mp->state == MP_DELIM && c == '-')
			mp->state = MP_CLOSE_DASH;
		else if (is_ows(c))
			mp->state = MP_PADDING;
		else if (c == '\r')
			mp->state = MP_PADDING_LF;
		else
			return CRM_EINVAL;
		return CRM_OK;
	case MP_CLOSE_DASH:
		if (c != '-')
			return CRM_EINVAL;
		mp->state = MP_EPILOGUE;
		return CRM_OK;
	case MP_PADDING_LF:
		if (c != '\n')
			return CRM_EINVAL;
		part_begin(mp);
		mp->state = MP_HEADER;
		return CRM_OK;
	case MP_HEADER:
		if (c == '\r') {
			mp->state = MP_HEADER_LF;
			return CRM_OK;
		}
		if (!is_field_byte(c) || mp->line_len == MP_LINE_MAX)
			return CRM_EINVAL;
		mp->line[mp->line_len++] = (char)c;
		return CRM_OK;
	case MP_HEADER_LF:
		if (c != '\n')
			return CRM_EINVAL;
		if (mp->line_len == 0)
			return part_headers_end(mp);
		e = part_header(mp);
		mp->line_len = 0;
		mp->state = MP_HEADER;
		return e;
	case MP_EPILOGUE:
		if (c == '\r')
			mp->state = MP_EPILOGUE_LF;
		else if (!is_ows(c))
			return CRM_EINVAL;
		return CRM_OK;
	case MP_EPILOGUE_LF:
		if (c != '\n')
			return CRM_EINVAL;
		mp->state = MP_EPILOGUE;
		return CRM_OK;
	case MP_PREAMBLE:
	case MP_BODY:
		break;
	}
	return CRM_EINVAL;
}

static enum crm_err
mp_fail(struct crm_multipart *mp, enum crm_err e)
{
	mp->err = e;
	mp->out->n = mp->out_n0;
	if (mp->file != NULL && mp->file->fd >= 0) {
		/* Nothing more reaches the disk; the cleanup unlinks the file. */
		close(mp->file->fd);
		mp->file->fd = -1;
	}
	return e;
}

struct crm_multipart *
crm_multipart_new(struct crm_arena *a, const char *boundary, size_t boundary_len,
    const struct crm_req_limits *lim, struct crm_params *out)
{
	struct crm_multipart *mp = crm_arena_calloc(a, 1, sizeof(*mp));

	mp->arena = a;
	mp->out = out;
	mp->out_n0 = out->n;
	mp->lim = *lim;
	if (lim->tmpdir != NULL)
		mp->lim.tmpdir = crm_arena_strdup(a, lim->tmpdir);
	mp->state = MP_PREAMBLE;
	if (!boundary_valid(boundary, boundary_len)) {
		mp->err = CRM_EINVAL;
		return mp;
	}
	memcpy(mp->delim, "\r\n--", 4);
	memcpy(mp->delim + 4, boundary, boundary_len);
	mp->delim_len = 4 + boundary_len;
	/* The body may open with "--boundary": as if a CRLF came before it. */
	mp->match = 2;
	return mp;
}

enum crm_err
crm_multipart_feed(struct crm_multipart *mp, const char *p, size_t n)
{
	const char *end;
	enum crm_err e = CRM_OK;

	if (mp->err != CRM_OK || n == 0)
		return mp->err;
	for (end = p + n; p < end && e == CRM_OK; ) {
		if (mp->state == MP_PREAMBLE || mp->state == MP_BODY)
			e = mp_scan(mp, &p, end);
		else
			e = mp_byte(mp, (unsigned char)*p++);
	}
	return e == CRM_OK ? CRM_OK : mp_fail(mp, e);
}

enum crm_err
crm_multipart_finish(struct crm_multipart *mp)
{
	if (mp->err != CRM_OK)
		return mp->err;
	if (mp->state != MP_EPILOGUE)
		return mp_fail(mp, CRM_EINVAL);
	return CRM_OK;
}

int
crm_upload_keep(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, ok = 1;

	if (rename(from, to) == 0)
		return 0;
	if (errno != EXDEV)
		return -1;
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		close(in);
		return -1;
	}
	while (ok && (n = read(in, buf, sizeof(buf))) != 0)
		ok = n > 0 && write(out, buf, (size_t)n) == n;
	ok = close(out) == 0 && ok;
	close(in);
	if (!ok)
		unlink(to);
	return ok ? 0 : -1;
}
