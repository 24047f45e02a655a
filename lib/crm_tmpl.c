/* Mustache: a one-pass compiler to a flat op list, and a renderer that
 * walks it.
 *
 * Whitespace follows the spec: a non-interpolating tag alone on its line
 * takes the whole line with it, and a standalone partial indents every line
 * of the partial. The inheritance module adds parent and block pairs, whose
 * rules (from the spec's whitespace notes) are:
 *   - inside a parent, everything but argument blocks is ignored;
 *   - an argument block's open tag at the end of its line takes the line
 *     end with it, and the leading whitespace of the next line is its
 *     "intrinsic indentation", removed from every line of the argument;
 *   - a parent or parameter block pair is standalone when its open tag has
 *     only whitespace before it and its close tag only whitespace after it;
 *     an overriding argument is then indented like a partial.
 * Where the spec is silent: indentation skips empty lines; blocks inside a
 * section inside a parent are ignored with the section; and an argument
 * sees only the arguments of parents further out than the one passing it,
 * so {{$a}} inside the argument for a is not a loop.
 *
 * Sections whose body is ops [i + 1, end) make the op list a tree without
 * pointers, so a compiled template is two allocations: ops and a pool of
 * text and names. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_escape.h"
#include "crm_kept.h"
#include "crm_num.h"
#include "crm_table.h"
#include "crm_tmpl.h"

enum op_kind {
	OP_TEXT,        /* literal template text */
	OP_VAR,         /* {{x}}: escaped */
	OP_RAW,         /* {{{x}}}, {{&x}} */
	OP_SECTION,     /* {{#x}}: body is ops [i + 1, end) */
	OP_INVERTED,    /* {{^x}} */
	OP_PARTIAL,     /* {{>x}} */
	OP_PARENT,      /* {{<x}}: body is its argument blocks only */
	OP_BLOCK,       /* {{$x}}: a parameter, or an argument inside a parent */
};

#define F_DYNAMIC 1     /* partial, parent: {{>*x}}, the name is in the view */
#define F_STANDALONE 2  /* partial, parent: alone on its line, so indented */
#define F_INDENT 4      /* parameter block: an overriding argument is indented */
#define F_AT_BOL 8      /* ... and starts at the beginning of a line */
#define F_MEMO 16       /* section: its body has no partial, parent or block */

struct op {
	uint8_t kind;
	uint8_t flags;
	uint16_t nseg;          /* segments of a dotted name; 0 for {{.}} */
	uint32_t end;           /* ops with a body: the op after it */
	uint32_t str, len;      /* pool: text, or name with segments NUL-separated */
	uint32_t ind, indlen;   /* pool: indentation */
	uint32_t hash;          /* of a static partial, parent or block name */
};

struct tmpl {
	char *name;
	size_t namelen;
	uint32_t hash;
	struct op *ops;
	uint32_t nops;
	char *pool;
};

struct crm_tmpl_set {
	struct tmpl **tab;      /* open addressing; cap is a power of two */
	size_t cap, n;
	const char *(*tr)(void *, const char *);
	void *tr_arg;
	int plain;              /* {{x}} as {{{x}}}: a text/plain mail part */
};

#define MAX_DELIM 16
#define MAX_NAME 1024
#define MAX_POOL (UINT32_MAX / 2)
#define NO_OP UINT32_MAX

static uint32_t
hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;       /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* ---- compiler ---- */

struct frame {
	uint8_t kind;           /* OP_SECTION ... OP_BLOCK */
	uint8_t emit;           /* its op was emitted */
	uint8_t inner;          /* ops directly inside it are emitted */
	uint8_t dyn;
	uint8_t left;           /* only whitespace before the open tag */
	uint8_t alone;          /* the open tag is standalone */
	uint8_t dedent;         /* argument block: pushed its indentation */
	uint32_t op;
	const char *name;       /* for matching the close tag */
	size_t nlen;
	int line;
	size_t lead, leadlen;   /* source: indentation before the open tag */
	size_t intr, intrlen;   /* source: intrinsic indentation of a block */
	uint32_t lead_op;       /* parent: the text op ending with the lead */
};

struct dedent {
	size_t off, len;        /* source range of an argument's indentation */
};

struct parser {
	const struct crm_tmpl_set *set;
	const char *name, *src;
	size_t len, pos;
	char otag[MAX_DELIM], ctag[MAX_DELIM];
	size_t olen, clen;
	struct op *ops;
	size_t nops, opcap;
	size_t fence;           /* text after a section's end is not its body */
	char *pool;
	size_t plen, pcap;
	struct frame st[CRM_TMPL_MAX_NEST];
	int depth;
	struct dedent dd[CRM_TMPL_MAX_NEST];
	int ndd;
	int line;               /* the line number at lpos */
	size_t lpos;
	char *err;
	size_t errlen;
};

/* A tag as written: {{#name}}, {{{name}}}, {{=<% %>=}}. */
struct tag {
	size_t start, end;      /* the whole tag */
	int sigil;              /* '#', '^', '/', '!', '>', '<', '$', '=', '&', '_', or 0 */
	int dyn;                /* the name started with '*' */
	const char *name;       /* trimmed; after the '*' when dyn */
	size_t nlen;
};

static int
line_at(struct parser *p, size_t off)
{
	for (; p->lpos < off; p->lpos++)
		if (p->src[p->lpos] == '\n')
			p->line++;
	return p->line;
}

static int
fail(struct parser *p, int line, const char *fmt, ...) CRM_PRINTF(3, 4);

static int
fail(struct parser *p, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err != NULL && p->errlen > 0)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->name, line, msg);
	return -1;
}

static uint32_t
pool_add(struct parser *p, const char *s, size_t n)
{
	size_t off = p->plen;

	if (n > MAX_POOL - p->plen) {
		/* Sources are capped well below this, so only translations
		 * of gigabytes get here: as good as out of memory. */
		fprintf(stderr, "crm: template pool overflow\n");
		abort();
	}
	if (p->plen + n > p->pcap) {
		while (p->plen + n > p->pcap)
			p->pcap = p->pcap ? p->pcap * 2 : 256;
		p->pool = crm_xrealloc(p->pool, p->pcap);
	}
	if (n > 0)
		memcpy(p->pool + off, s, n);
	p->plen += n;
	return (uint32_t)off;
}

static struct op *
op_add(struct parser *p, int kind)
{
	struct op *o;

	if (p->nops == p->opcap) {
		p->opcap = p->opcap ? p->opcap * 2 : 32;
		p->ops = crm_xrealloc(p->ops, p->opcap * sizeof(*p->ops));
	}
	o = &p->ops[p->nops++];
	memset(o, 0, sizeof(*o));
	o->kind = (uint8_t)kind;
	return o;
}

static int
emitting(const struct parser *p)
{
	return p->depth == 0 || p->st[p->depth - 1].inner;
}

static void
text_add(struct parser *p, const char *s, size_t n)
{
	struct op *o;
	uint32_t off;

	if (n == 0)
		return;
	off = pool_add(p, s, n);
	/* Adjacent pieces (dedented lines, translations) make one op. */
	if (p->nops > p->fence) {
		o = &p->ops[p->nops - 1];
		if (o->kind == OP_TEXT && o->str + o->len == off) {
			o->len += (uint32_t)n;
			return;
		}
	}
	o = op_add(p, OP_TEXT);
	o->str = off;
	o->len = (uint32_t)n;
}

/* Skips the argument indentation in force at the line starting at off. */
static size_t
skip_dedent(const struct parser *p, size_t off, size_t lim)
{
	int i;

	for (i = 0; i < p->ndd; i++) {
		const char *ind = p->src + p->dd[i].off;
		size_t k;

		for (k = 0; k < p->dd[i].len && off < lim && p->src[off] == ind[k]; k++)
			off++;
	}
	return off;
}

/* Template text [a, b), without argument indentation at line starts. */
static void
flush(struct parser *p, size_t a, size_t b)
{
	const char *src = p->src;

	if (a >= b || !emitting(p))
		return;
	if (p->ndd == 0) {
		text_add(p, src + a, b - a);
		return;
	}
	while (a < b) {
		const char *nl;
		size_t e;

		if (a == 0 || src[a - 1] == '\n')
			a = skip_dedent(p, a, b);
		nl = memchr(src + a, '\n', b - a);
		e = nl != NULL ? (size_t)(nl - src) + 1 : b;
		text_add(p, src + a, e - a);
		a = e;
	}
}

/* The whitespace run at the start of the line at off, after dedenting. */
static void
indent_at(const struct parser *p, size_t off, size_t *start, size_t *len)
{
	size_t e;

	off = skip_dedent(p, off, p->len);
	for (e = off; e < p->len && is_blank(p->src[e]); e++)
		;
	*start = off;
	*len = e - off;
}

static void
set_indent(struct parser *p, struct op *o, size_t off, size_t n)
{
	uint32_t ind = pool_add(p, p->src + off, n);

	o->ind = ind;
	o->indlen = (uint32_t)n;
}

/* A dotted name as NUL-separated segments, so lookups need no copy. */
static void
set_path(struct parser *p, struct op *o, const struct tag *t)
{
	size_t i, nseg = 1;

	if (t->nlen == 1 && t->name[0] == '.') {
		o->str = pool_add(p, "", 1);
		o->nseg = 0;
		return;
	}
	o->str = pool_add(p, t->name, t->nlen);
	pool_add(p, "", 1);
	o->len = (uint32_t)t->nlen;
	for (i = 0; i < t->nlen; i++) {
		if (t->name[i] == '.') {
			p->pool[o->str + i] = '\0';
			nseg++;
		}
	}
	o->nseg = (uint16_t)nseg;
}

/* A partial, parent or block name: whole, with its hash; a dynamic one
 * is a dotted name to look up in the view. */
static void
set_name(struct parser *p, struct op *o, const struct tag *t)
{
	if (t->dyn) {
		o->flags |= F_DYNAMIC;
		set_path(p, o, t);
		return;
	}
	o->str = pool_add(p, t->name, t->nlen);
	pool_add(p, "", 1);
	o->len = (uint32_t)t->nlen;
	o->hash = hash_name(t->name, t->nlen);
}

static const char *
find_close(const struct parser *p, size_t from, char before)
{
	const char *s = p->src + from, *end = p->src + p->len;

	for (;;) {
		const char *hit = memmem(s, (size_t)(end - s), p->ctag, p->clen);

		if (hit == NULL)
			return NULL;
		if (before == 0)
			return hit;
		if (hit > p->src + from && hit[-1] == before)
			return hit - 1;
		s = hit + 1;
	}
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Reads the tag at start; the sigil comes right after the open delimiter. */
static int
read_tag(struct parser *p, size_t start, struct tag *t)
{
	size_t in = start + p->olen;
	const char *body, *close;
	int line = line_at(p, start);
	size_t n;

	memset(t, 0, sizeof(*t));
	t->start = start;
	t->sigil = in < p->len ? p->src[in] : 0;
	if (t->sigil == '_' && !(in + 1 < p->len && is_space(p->src[in + 1])))
		t->sigil = 0;           /* {{_x}} is a plain variable */
	if (t->sigil == 0 || strchr("#^/!><$=&{_", t->sigil) == NULL)
		t->sigil = 0;
	else
		in++;
	/* The close is searched after the sigil: with delimiters like
	 * {{=| #=}} the sigil of |#x# is also a close delimiter. */
	if (t->sigil == '{' || t->sigil == '=')
		close = find_close(p, in, t->sigil == '{' ? '}' : '=');
	else
		close = find_close(p, in, 0);
	if (close == NULL)
		return fail(p, line, "unclosed tag");
	t->end = (size_t)(close - p->src) + p->clen + (t->sigil == '{' || t->sigil == '=');
	body = p->src + in;
	n = (size_t)(close - body);
	trim(&body, &n);
	if (t->sigil == '!' || t->sigil == '=' || t->sigil == '_') {
		t->name = body;
		t->nlen = n;
		return 0;
	}
	if ((t->sigil == '>' || t->sigil == '<' || t->sigil == '$' || t->sigil == '/') &&
	    n > 0 && body[0] == '*' && t->sigil != '$') {
		t->dyn = 1;
		body++;
		n--;
		trim(&body, &n);
	}
	if (n == 0)
		return fail(p, line, "empty tag name");
	if (n > MAX_NAME)
		return fail(p, line, "tag name too long");
	t->name = body;
	t->nlen = n;
	return 0;
}

static int
set_delims(struct parser *p, const struct tag *t)
{
	const char *s = t->name, *end = t->name + t->nlen, *o, *c;
	size_t ol, cl;

	for (o = s; s < end && !is_space(*s); s++)
		;
	ol = (size_t)(s - o);
	while (s < end && is_space(*s))
		s++;
	for (c = s; s < end && !is_space(*s); s++)
		;
	cl = (size_t)(s - c);
	if (ol == 0 || cl == 0 || s != end || ol > MAX_DELIM || cl > MAX_DELIM ||
	    memchr(o, '=', ol) != NULL || memchr(c, '=', cl) != NULL)
		return fail(p, line_at(p, t->start), "bad delimiter change");
	memcpy(p->otag, o, ol);
	memcpy(p->ctag, c, cl);
	p->olen = ol;
	p->clen = cl;
	return 0;
}

/* Where the line around tag t starts and ends, and whether the tag has
 * only blanks on either side. */
struct line {
	size_t ls;              /* first blank before the tag */
	size_t next;            /* past the blanks and line end after it */
	int left, right;
};

static void
line_of(const struct parser *p, const struct tag *t, struct line *l)
{
	const char *src = p->src;
	size_t e = t->end;

	for (l->ls = t->start; l->ls > p->pos && is_blank(src[l->ls - 1]); l->ls--)
		;
	l->left = l->ls == 0 || src[l->ls - 1] == '\n';
	while (e < p->len && is_blank(src[e]))
		e++;
	l->right = 1;
	l->next = t->end;
	if (e == p->len)
		l->next = e;
	else if (src[e] == '\n')
		l->next = e + 1;
	else if (src[e] == '\r' && e + 1 < p->len && src[e + 1] == '\n')
		l->next = e + 2;
	else
		l->right = 0;
}

/* The usual rule: a tag alone on its line takes the line with it. */
static int
standalone(struct parser *p, const struct tag *t, const struct line *l)
{
	if (l->left && l->right) {
		flush(p, p->pos, l->ls);
		p->pos = l->next;
		return 1;
	}
	flush(p, p->pos, t->start);
	p->pos = t->end;
	return 0;
}

static struct frame *
top(struct parser *p)
{
	return p->depth > 0 ? &p->st[p->depth - 1] : NULL;
}

static struct frame *
push(struct parser *p, const struct tag *t, int kind)
{
	struct frame *up = top(p), *f;

	if (p->depth == CRM_TMPL_MAX_NEST) {
		fail(p, line_at(p, t->start), "sections nested too deeply");
		return NULL;
	}
	f = &p->st[p->depth++];
	memset(f, 0, sizeof(*f));
	f->kind = (uint8_t)kind;
	f->dyn = (uint8_t)t->dyn;
	f->name = t->name;
	f->nlen = t->nlen;
	f->line = line_at(p, t->start);
	f->lead_op = NO_OP;
	/* Only argument blocks count inside a parent. */
	if (up != NULL && up->kind == OP_PARENT)
		f->emit = kind == OP_BLOCK && up->emit;
	else
		f->emit = up == NULL || up->inner;
	f->inner = f->emit && kind != OP_PARENT;
	f->op = NO_OP;
	if (f->emit) {
		struct op *o = op_add(p, kind);

		f->op = (uint32_t)(p->nops - 1);
		if (kind == OP_SECTION || kind == OP_INVERTED)
			set_path(p, o, t);
		else
			set_name(p, o, t);
	}
	return f;
}

static int
interpolation(struct parser *p, const struct tag *t)
{
	struct op *o;

	flush(p, p->pos, t->start);
	p->pos = t->end;
	if (!emitting(p))
		return 0;
	o = op_add(p, t->sigil == 0 ? OP_VAR : OP_RAW);
	set_path(p, o, t);
	return 0;
}

static int
translation(struct parser *p, const struct tag *t)
{
	char *msgid;
	const char *s = NULL;

	flush(p, p->pos, t->start);
	p->pos = t->end;
	if (!emitting(p))
		return 0;
	msgid = crm_xmalloc(t->nlen + 1);
	memcpy(msgid, t->name, t->nlen);
	msgid[t->nlen] = '\0';
	if (p->set->tr != NULL)
		s = p->set->tr(p->set->tr_arg, msgid);
	if (s == NULL)
		s = msgid;
	text_add(p, s, strlen(s));
	free(msgid);
	return 0;
}

static int
partial(struct parser *p, const struct tag *t, const struct line *l)
{
	int alone = standalone(p, t, l);
	struct op *o;

	if (!emitting(p))
		return 0;
	o = op_add(p, OP_PARTIAL);
	set_name(p, o, t);
	if (alone) {
		size_t ind = skip_dedent(p, l->ls, t->start);

		o->flags |= F_STANDALONE;
		set_indent(p, o, ind, t->start - ind);
	}
	return 0;
}

static int
open_block(struct parser *p, const struct tag *t, const struct line *l)
{
	struct frame *up = top(p), *f;
	int alone;

	if (up != NULL && up->kind == OP_PARENT) {
		/* An argument: what precedes it in the parent is ignored. */
		flush(p, p->pos, t->start);
		p->pos = l->right ? l->next : t->end;
		if ((f = push(p, t, OP_BLOCK)) == NULL)
			return -1;
		if (l->right) {
			indent_at(p, l->next, &f->intr, &f->intrlen);
			p->dd[p->ndd].off = f->intr;
			p->dd[p->ndd].len = f->intrlen;
			p->ndd++;
			f->dedent = 1;
		}
		return 0;
	}
	/* A parameter: its indentation counts only if the pair turns out
	 * standalone, which its close tag tells. */
	alone = standalone(p, t, l);
	if ((f = push(p, t, OP_BLOCK)) == NULL)
		return -1;
	f->left = (uint8_t)l->left;
	f->alone = (uint8_t)alone;
	if (alone) {
		indent_at(p, l->next, &f->intr, &f->intrlen);
	} else if (l->left) {
		f->lead = skip_dedent(p, l->ls, t->start);
		f->leadlen = t->start - f->lead;
	}
	return 0;
}

static int
open_parent(struct parser *p, const struct tag *t, const struct line *l)
{
	size_t nops;
	struct frame *f;

	flush(p, p->pos, t->start);
	p->pos = t->end;
	nops = p->nops;
	if ((f = push(p, t, OP_PARENT)) == NULL)
		return -1;
	f->left = (uint8_t)l->left;
	f->alone = (uint8_t)(l->left && l->right);
	if (l->left) {
		f->lead = skip_dedent(p, l->ls, t->start);
		f->leadlen = t->start - f->lead;
		if (f->leadlen > 0 && nops > 0 && p->ops[nops - 1].kind == OP_TEXT)
			f->lead_op = (uint32_t)(nops - 1);
	}
	return 0;
}

static int
open_tag(struct parser *p, const struct tag *t, const struct line *l)
{
	switch (t->sigil) {
	case '<':
		return open_parent(p, t, l);
	case '$':
		return open_block(p, t, l);
	default:
		standalone(p, t, l);
		return push(p, t, t->sigil == '#' ? OP_SECTION : OP_INVERTED) ? 0 : -1;
	}
}

static void
close_parent(struct parser *p, struct frame *f, const struct tag *t, const struct line *l)
{
	struct op *o = f->emit ? &p->ops[f->op] : NULL;
	int pair = f->left && l->right;

	p->pos = pair ? l->next : t->end;
	if (o == NULL)
		return;
	if ((pair || f->alone) && f->lead_op != NO_OP)
		p->ops[f->lead_op].len -= (uint32_t)f->leadlen;
	if (pair) {
		o->flags |= F_STANDALONE;
		set_indent(p, o, f->lead, f->leadlen);
	}
}

static void
close_block(struct parser *p, struct frame *f, const struct tag *t, const struct line *l)
{
	struct frame *up = p->depth > 1 ? &p->st[p->depth - 2] : NULL;
	struct op *o;

	if (up != NULL && up->kind == OP_PARENT) {
		/* An argument ends like a template: trailing indentation goes. */
		flush(p, p->pos, l->left ? l->ls : t->start);
		p->pos = t->end;
		return;
	}
	standalone(p, t, l);
	if (!f->emit || !(f->left && l->right))
		return;
	/* A standalone pair: an overriding argument gets the indentation of
	 * the default content when the open tag had its own line, else that
	 * of the open tag. */
	o = &p->ops[f->op];
	o->flags |= F_INDENT;
	if (f->alone) {
		o->flags |= F_AT_BOL;
		set_indent(p, o, f->intr, f->intrlen);
	} else {
		set_indent(p, o, f->lead, f->leadlen);
	}
}

static int
sigil_of(const struct frame *f)
{
	switch (f->kind) {
	case OP_SECTION: return '#';
	case OP_INVERTED: return '^';
	case OP_PARENT: return '<';
	default: return '$';
	}
}

static int
close_tag(struct parser *p, const struct tag *t, const struct line *l)
{
	struct frame *f = top(p);
	int line = line_at(p, t->start);

	if (f == NULL)
		return fail(p, line, "unexpected {{/%s%.*s}}", t->dyn ? "*" : "",
		    (int)t->nlen, t->name);
	if (f->dyn != t->dyn || f->nlen != t->nlen || memcmp(f->name, t->name, t->nlen) != 0)
		return fail(p, line, "{{/%s%.*s}} closes {{%c%s%.*s}} of line %d",
		    t->dyn ? "*" : "", (int)t->nlen, t->name, sigil_of(f),
		    f->dyn ? "*" : "", (int)f->nlen, f->name, f->line);
	if (f->kind == OP_PARENT)
		close_parent(p, f, t, l);
	else if (f->kind == OP_BLOCK)
		close_block(p, f, t, l);
	else
		standalone(p, t, l);
	if (f->dedent)
		p->ndd--;
	if (f->emit)
		p->ops[f->op].end = (uint32_t)p->nops;
	p->fence = p->nops;
	p->depth--;
	return 0;
}

static int
tag(struct parser *p, const struct tag *t)
{
	struct line l;

	line_of(p, t, &l);
	switch (t->sigil) {
	case 0:
	case '&':
	case '{':
		return interpolation(p, t);
	case '_':
		return translation(p, t);
	case '!':
		standalone(p, t, &l);
		return 0;
	case '=':
		standalone(p, t, &l);
		return set_delims(p, t);
	case '>':
		return partial(p, t, &l);
	case '/':
		return close_tag(p, t, &l);
	default:
		return open_tag(p, t, &l);
	}
}

static int
parse(struct parser *p)
{
	while (p->pos < p->len) {
		const char *hit = memmem(p->src + p->pos, p->len - p->pos, p->otag, p->olen);
		struct tag t;

		if (hit == NULL)
			break;
		if (read_tag(p, (size_t)(hit - p->src), &t) < 0 || tag(p, &t) < 0)
			return -1;
	}
	if (p->depth > 0) {
		const struct frame *f = top(p);

		return fail(p, f->line, "unclosed {{%c%s%.*s}}", sigil_of(f),
		    f->dyn ? "*" : "", (int)f->nlen, f->name);
	}
	flush(p, p->pos, p->len);
	return 0;
}

/* A section whose body includes nothing renders the same bytes for the
 * same list whenever its names resolve inside the list's items: the
 * renderer may then copy its earlier output (see section()). */
static void
mark_memo(struct tmpl *t)
{
	uint32_t i, k;

	for (i = 0; i < t->nops; i++) {
		struct op *o = &t->ops[i];

		if (o->kind != OP_SECTION)
			continue;
		for (k = i + 1; k < o->end; k++)
			if (t->ops[k].kind == OP_PARTIAL || t->ops[k].kind == OP_PARENT ||
			    t->ops[k].kind == OP_BLOCK)
				break;
		if (k == o->end)
			o->flags |= F_MEMO;
	}
}

static struct tmpl *
compile(const struct crm_tmpl_set *set, const char *name, const char *src, size_t len,
    char *err, size_t errlen)
{
	struct parser *p = crm_xcalloc(1, sizeof(*p));
	struct tmpl *t = NULL;

	p->set = set;
	p->name = name;
	p->src = src;
	p->len = len;
	memcpy(p->otag, "{{", 2);
	memcpy(p->ctag, "}}", 2);
	p->olen = p->clen = 2;
	p->line = 1;
	p->err = err;
	p->errlen = errlen;
	if (parse(p) == 0) {
		t = crm_xcalloc(1, sizeof(*t));
		t->name = crm_xstrdup(name);
		t->namelen = strlen(name);
		t->hash = hash_name(name, t->namelen);
		t->ops = p->nops > 0 ? crm_xrealloc(p->ops, p->nops * sizeof(*p->ops)) : p->ops;
		t->nops = (uint32_t)p->nops;
		t->pool = p->pool;
		mark_memo(t);
		p->ops = NULL;
		p->pool = NULL;
	}
	free(p->ops);
	free(p->pool);
	free(p);
	return t;
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->ops);
	free(t->pool);
	free(t);
}

/* ---- the set ---- */

struct crm_tmpl_set *
crm_tmpl_set_new(void)
{
	struct crm_tmpl_set *s = crm_xcalloc(1, sizeof(*s));

	s->cap = 64;
	s->tab = crm_xcalloc(s->cap, sizeof(*s->tab));
	return s;
}

void
crm_tmpl_set_free(struct crm_tmpl_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->cap; i++)
		tmpl_free(s->tab[i]);
	free(s->tab);
	free(s);
	/* Outputs are known by their ops' addresses, which malloc may
	 * give to another set's ops now. */
	crm_kept_forget_outputs();
}

void
crm_tmpl_set_translator(struct crm_tmpl_set *s, const char *(*fn)(void *, const char *),
    void *arg)
{
	s->tr = fn;
	s->tr_arg = arg;
}

void
crm_tmpl_set_plain(struct crm_tmpl_set *s, int plain)
{
	s->plain = plain != 0;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t
slot(const struct crm_tmpl_set *s, const char *name, size_t n, uint32_t h)
{
	size_t i = h & (s->cap - 1);
	const struct tmpl *t;

	while ((t = s->tab[i]) != NULL) {
		if (t->hash == h && t->namelen == n && memcmp(t->name, name, n) == 0)
			break;
		i = (i + 1) & (s->cap - 1);
	}
	return i;
}

static const struct tmpl *
find(const struct crm_tmpl_set *s, const char *name, size_t n, uint32_t h)
{
	return s->tab[slot(s, name, n, h)];
}

static void
grow(struct crm_tmpl_set *s)
{
	struct tmpl **old = s->tab;
	size_t i, oldcap = s->cap;

	s->cap *= 2;
	s->tab = crm_xcalloc(s->cap, sizeof(*s->tab));
	for (i = 0; i < oldcap; i++)
		if (old[i] != NULL)
			s->tab[slot(s, old[i]->name, old[i]->namelen, old[i]->hash)] = old[i];
	free(old);
}

enum crm_err
crm_tmpl_set_add(struct crm_tmpl_set *s, const char *name, const char *src, size_t len,
    char *err, size_t errlen)
{
	struct tmpl *t;
	size_t i;

	if (len > CRM_TMPL_MAX_SIZE) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s:1: template over %u bytes", name,
			    CRM_TMPL_MAX_SIZE);
		return CRM_ETOOBIG;
	}
	if ((t = compile(s, name, src, len, err, errlen)) == NULL)
		return CRM_EINVAL;
	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	i = slot(s, t->name, t->namelen, t->hash);
	if (s->tab[i] != NULL)
		tmpl_free(s->tab[i]);
	else
		s->n++;
	s->tab[i] = t;
	return CRM_OK;
}

int
crm_tmpl_set_has(const struct crm_tmpl_set *s, const char *name)
{
	size_t n = strlen(name);

	return find(s, name, n, hash_name(name, n)) != NULL;
}

/* ---- rendering ---- */

/* A table being rendered (crm_table.h): its column names, and what each
 * name asked of its rows came to. Every row has the same columns, so a
 * name is a column of all or of none, and a name that is none finds the
 * same value further out for every row: each is worked out once a table.
 * A slot a tag, by where its op is (the ops of a template are one array);
 * a tag that meets another's slot works its answer out again. */
#define TABLE_SEEN 64            /* a power of two */
struct cols {
	const json_t *names;
	struct seen {
		const struct op *op;
		int col;                /* -1: not a column; then: */
		json_t *outer;          /* what was found further out */
		int reach;              /* the depth of the frame it was found in */
	} seen[TABLE_SEEN];
};

/* The context stack, the indentation and the parents' arguments in force
 * are lists linked through the C stack: rendering allocates nothing. */
struct ctx {
	json_t *v;              /* with cols, a table's row */
	const struct ctx *up;
	int depth;              /* 0 for the view */
	struct cols *cols;
};

struct indent {
	const char *s;
	size_t n;
	const struct indent *up;
};

struct args {
	const struct tmpl *t;
	const struct op *parent;        /* its body holds the argument blocks */
	const struct args *up;
};

/* A list section's output, kept in the output itself: a board repeats
 * one list of stages in each of its cards' forms. */
#define MEMO_SLOTS 16
struct memo {
	const struct op *op;
	const json_t *v;
	size_t off, len;
	int bol;                /* after it */
	int reach;              /* the outermost frame its names reached, from its items' */
};

struct render {
	const struct crm_tmpl_set *set;
	struct crm_buf *out;
	int depth;
	int bol;                /* at the start of a template line */
	/* The depth of the outermost frame a name was looked for in since a
	 * list began recording: when that is outside the list, its output
	 * depends on more than the list. */
	int reach;
	struct memo memo[MEMO_SLOTS];
	unsigned nmemo;
	unsigned blocks;        /* {{$x}} met so far: their output depends on the parents */
};

static enum crm_err render_ops(struct render *, const struct tmpl *, uint32_t from,
    uint32_t to, const struct ctx *, const struct indent *, const struct args *);

static void
put_indent(struct crm_buf *out, const struct indent *in)
{
	if (in == NULL)
		return;
	put_indent(out, in->up);
	crm_buf_add(out, in->s, in->n);
}

/* Indentation is owed at the start of each template line, before whatever
 * comes first on it; data never starts a line. */
static void
at_line(struct render *r, const struct indent *in)
{
	if (r->bol) {
		put_indent(r->out, in);
		r->bol = 0;
	}
}

static void
put_text(struct render *r, const struct indent *in, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (in == NULL) {
		crm_buf_add(r->out, s, n);
		r->bol = s[n - 1] == '\n';
		return;
	}
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl != NULL ? (size_t)(nl - s) + 1 : n;

		/* Empty lines stay empty rather than end in blanks. */
		if (s[0] == '\n' || (s[0] == '\r' && k == 2 && s[1] == '\n'))
			r->bol = 0;
		at_line(r, in);
		crm_buf_add(r->out, s, k);
		r->bol = nl != NULL;
		s += k;
		n -= k;
	}
}

/* Shortest text that reads back as the same double: 1.21, not 1.2099... */
static size_t
format_real(double d, char *buf, size_t size)
{
	int prec, n = 0;
	char *c;

	for (prec = 1; prec <= 17; prec++) {
		n = snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* A locale with a decimal comma must not leak into HTML or JSON. */
	for (c = buf; *c != '\0'; c++)
		if (*c == ',')
			*c = '.';
	return n > 0 ? (size_t)n : 0;
}

/* The text of a scalar, or NULL for null, objects and arrays. */
static const char *
value_text(const json_t *v, char *buf, size_t size, size_t *n)
{
	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		*n = json_string_length(v);
		return json_string_value(v);
	case JSON_INTEGER:
		*n = crm_num_i64(buf, json_integer_value(v));
		return buf;
	case JSON_REAL:
		*n = format_real(json_real_value(v), buf, size);
		return buf;
	case JSON_TRUE:
		*n = 4;
		return "true";
	case JSON_FALSE:
		*n = 5;
		return "false";
	default:
		return NULL;
	}
}

static int
truthy(const json_t *v)
{
	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
	case JSON_FALSE:
		return 0;
	case JSON_OBJECT:
		return !crm_table_is(v) || crm_table_size(v) > 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return 1;
	}
}

static json_t *
child(const json_t *v, const char *key)
{
	if (json_is_object(v))
		return json_object_get(v, key);
	if (json_is_array(v) && key[0] >= '0' && key[0] <= '9') {
		char *end;
		unsigned long i = strtoul(key, &end, 10);

		return *end == '\0' ? json_array_get(v, i) : NULL;
	}
	return NULL;
}

static struct seen *
seen_slot(struct cols *k, const struct op *o)
{
	return &k->seen[((uintptr_t)o / sizeof(*o)) & (TABLE_SEEN - 1)];
}

/* The first segment is searched down the context stack, the rest only in
 * what it found: {{a.b}} never falls back to an outer b. */
static json_t *
lookup(struct render *r, const struct tmpl *t, const struct op *o, const struct ctx *c)
{
	const char *seg = t->pool + o->str;
	size_t seglen;
	json_t *v = NULL;
	struct cols *table = NULL;      /* a table the name was no column of */
	int last = 0;
	uint16_t i;

	if (o->nseg == 0)
		return c->v;
	/* Most names in a table's rows are its columns, known since the
	 * first row: the cell at once. */
	if (c->cols != NULL && o->nseg == 1) {
		const struct seen *sn = seen_slot(c->cols, o);

		if (sn->op == o && sn->col >= 0) {
			if (c->depth < r->reach)
				r->reach = c->depth;
			v = json_array_get(c->v, (size_t)sn->col);
			return v != NULL ? v : json_null();
		}
	}
	/* The length saves a strlen on each frame the name is looked for in. */
	seglen = o->nseg == 1 ? o->len : strlen(seg);
	for (; c != NULL; c = c->up) {
		if (c->depth < r->reach)
			r->reach = c->depth;
		last = c->depth;
		if (c->cols != NULL) {
			struct seen *sn = seen_slot(c->cols, o);
			int seen = sn->op == o;
			int k = seen ? sn->col : crm_table_col(c->cols->names, seg);

			if (k >= 0) {
				v = crm_table_cell(c->v, k);
				if (!seen)
					*sn = (struct seen){ o, k, NULL, 0 };
				break;
			}
			if (seen) {
				v = sn->outer;
				last = sn->reach;
				if (last < r->reach)
					r->reach = last;
				break;
			}
			if (table == NULL)
				table = c->cols;
		} else if (json_is_object(c->v) && (v = json_object_getn(c->v, seg, seglen)) != NULL) {
			break;
		}
	}
	if (table != NULL)
		*seen_slot(table, o) = (struct seen){ o, -1, v, last };
	for (i = 1; i < o->nseg && v != NULL; i++) {
		seg += strlen(seg) + 1;
		v = child(v, seg);
	}
	return v;
}

static void
put_var(struct render *r, const struct tmpl *t, const struct op *o, const struct ctx *c,
    const struct indent *in)
{
	char buf[64];
	size_t n;
	const json_t *v = lookup(r, t, o, c);
	const char *s = value_text(v, buf, sizeof(buf), &n);

	at_line(r, in);
	if (s == NULL)
		return;
	/* Only a string can hold what HTML must not see: a number or a
	 * boolean is written as it is (a list prints hundreds of ids). */
	if (o->kind == OP_VAR && !r->set->plain && json_is_string(v))
		crm_escape_html(r->out, s, n);
	else
		crm_buf_add(r->out, s, n);
}

/* The output of this list section for this list, when it was kept
 * before; copied from where it was written. */
static int
memo_replay(struct render *r, const struct op *o, const json_t *v, int depth)
{
	unsigned i;

	for (i = 0; i < MEMO_SLOTS; i++) {
		const struct memo *m = &r->memo[i];

		if (m->op == o && m->v == v) {
			/* What it looked up, a list recorded around it has too. */
			if (depth + m->reach < r->reach)
				r->reach = depth + m->reach;
			crm_buf_reserve(r->out, m->len);
			memcpy(r->out->data + r->out->len, r->out->data + m->off, m->len);
			r->out->len += m->len;
			r->out->data[r->out->len] = '\0';
			r->bol = m->bol;
			return 1;
		}
	}
	return 0;
}

/* A section's body over a value kept from one request to the next
 * (crm_kept.h), outside any indentation: its bytes from an earlier
 * request, else rendered and, when no name was looked for outside the
 * value and no block was filled in, kept with it. Where lines start
 * changes nothing outside indentation; it is part of the key all the
 * same, as is where they start after. */
static enum crm_err
kept_body(struct render *r, const struct tmpl *t, const struct op *o, struct ctx *top,
    const struct args *a)
{
	uint32_t body = (uint32_t)(o - t->ops) + 1;
	size_t off = r->out->len, n;
	int outer = r->reach, reach, bol = r->bol, flags;
	unsigned blocks = r->blocks;
	const char *s;
	enum crm_err e;

	if ((s = crm_kept_get(top->v, o, &n, &flags)) != NULL && (flags >> 1) == bol) {
		crm_buf_add(r->out, s, n);
		r->bol = flags & 1;
		if (top->depth < r->reach)
			r->reach = top->depth;
		return CRM_OK;
	}
	r->reach = INT_MAX;
	e = render_ops(r, t, body, o->end, top, NULL, a);
	reach = r->reach;
	if (reach > outer)
		r->reach = outer;
	if (e == CRM_OK && reach >= top->depth && r->blocks == blocks)
		crm_kept_put(top->v, o, r->out->data + off, r->out->len - off, bol << 1 | r->bol);
	return e;
}

static enum crm_err
list(struct render *r, const struct tmpl *t, const struct op *o, json_t *v, struct ctx *top,
    const struct indent *in, const struct args *a)
{
	uint32_t body = (uint32_t)(o - t->ops) + 1;
	size_t i, n = json_array_size(v);
	enum crm_err e = CRM_OK;

	for (i = 0; i < n && e == CRM_OK; i++) {
		top->v = json_array_get(v, i);
		if (crm_kept_count > 0 && in == NULL && crm_kept_has(top->v))
			e = kept_body(r, t, o, top, a);
		else
			e = render_ops(r, t, body, o->end, top, in, a);
	}
	return e;
}

/* A table's rows, each looked into through the table's columns. */
static enum crm_err
table_list(struct render *r, const struct tmpl *t, const struct op *o, json_t *v,
    struct ctx *top, const struct indent *in, const struct args *a)
{
	uint32_t body = (uint32_t)(o - t->ops) + 1;
	json_t *rows = crm_table_rows(v);
	size_t i, n = json_array_size(rows);
	struct cols k = { 0 };
	enum crm_err e = CRM_OK;

	k.names = crm_table_columns(v);
	top->cols = &k;
	for (i = 0; i < n && e == CRM_OK; i++) {
		top->v = json_array_get(rows, i);
		e = render_ops(r, t, body, o->end, top, in, a);
	}
	return e;
}

/* A list section that includes nothing, outside any indentation (so
 * where lines start changes nothing): replayed if it can be, else
 * rendered and, when no name was looked for outside the list's items,
 * kept. Lists inside it are kept too. */
static enum crm_err
memo_list(struct render *r, const struct tmpl *t, const struct op *o, json_t *v,
    struct ctx *top, const struct args *a)
{
	struct memo *m;
	size_t off = r->out->len;
	int outer = r->reach, reach;
	enum crm_err e;

	if (memo_replay(r, o, v, top->depth))
		return CRM_OK;
	r->reach = INT_MAX;
	e = list(r, t, o, v, top, NULL, a);
	reach = r->reach;
	if (reach > outer)
		r->reach = outer;
	if (e != CRM_OK || reach < top->depth)
		return e;
	m = &r->memo[r->nmemo++ % MEMO_SLOTS];
	m->op = o;
	m->v = v;
	m->off = off;
	m->len = r->out->len - off;
	m->bol = r->bol;
	m->reach = reach == INT_MAX ? 0 : reach - top->depth;
	return CRM_OK;
}

static enum crm_err
section(struct render *r, const struct tmpl *t, const struct op *o, const struct ctx *c,
    const struct indent *in, const struct args *a)
{
	uint32_t body = (uint32_t)(o - t->ops) + 1;
	json_t *v = lookup(r, t, o, c);
	struct ctx top = { v, c, c->depth + 1, NULL };
	enum crm_err e = CRM_OK;

	if (crm_table_is(v))
		return table_list(r, t, o, v, &top, in, a);
	if (json_is_array(v)) {
		/* Only a list held in more than one place can be met again. */
		if ((o->flags & F_MEMO) && in == NULL && v->refcount > 1 && json_array_size(v) > 0)
			return memo_list(r, t, o, v, &top, a);
		return list(r, t, o, v, &top, in, a);
	}
	if (crm_kept_count > 0 && in == NULL && json_is_object(v) && crm_kept_has(v))
		return kept_body(r, t, o, &top, a);
	if (truthy(v))
		e = render_ops(r, t, body, o->end, &top, in, a);
	return e;
}

static const struct tmpl *
resolve(struct render *r, const struct tmpl *t, const struct op *o,
    const struct ctx *c)
{
	char buf[64];
	const char *name;
	size_t n;

	if (!(o->flags & F_DYNAMIC))
		return find(r->set, t->pool + o->str, o->len, o->hash);
	if ((name = value_text(lookup(r, t, o, c), buf, sizeof(buf), &n)) == NULL)
		return NULL;
	return find(r->set, name, n, hash_name(name, n));
}

/* {{>x}} and {{<x}}...{{/x}}: a standalone one indents the whole template
 * by its own indentation; an inline one indents nothing. */
static enum crm_err
include(struct render *r, const struct tmpl *t, const struct op *o, const struct ctx *c,
    const struct indent *in, const struct args *a)
{
	const struct tmpl *u = resolve(r, t, o, c);
	struct indent more;
	struct args args;
	enum crm_err e;

	if (u == NULL)
		return CRM_OK;
	if (r->depth >= CRM_TMPL_MAX_DEPTH)
		return CRM_EINVAL;
	if (o->flags & F_STANDALONE) {
		if (o->indlen > 0) {
			more.s = t->pool + o->ind;
			more.n = o->indlen;
			more.up = in;
			in = &more;
		}
		r->bol = 1;
	} else {
		at_line(r, in);
		in = NULL;
	}
	if (o->kind == OP_PARENT) {
		args.t = t;
		args.parent = o;
		args.up = a;
		a = &args;
	}
	r->depth++;
	e = render_ops(r, u, 0, u->nops, c, in, a);
	r->depth--;
	return e;
}

static const struct op *
argument(const struct args *f, const struct tmpl *t, const struct op *o)
{
	const struct op *b = f->parent + 1, *end = f->t->ops + f->parent->end;

	for (; b < end; b = f->t->ops + b->end)
		if (b->hash == o->hash && b->len == o->len &&
		    memcmp(f->t->pool + b->str, t->pool + o->str, o->len) == 0)
			return b;
	return NULL;
}

/* {{$x}}: the argument of the outermost parent that passes one, else the
 * default content. The argument can use blocks of parents further out
 * only, as if it had been pasted into the template. */
static enum crm_err
block(struct render *r, const struct tmpl *t, const struct op *o, const struct ctx *c,
    const struct indent *in, const struct args *a)
{
	const struct args *f, *from = NULL;
	const struct op *arg = NULL, *b;
	struct indent more;

	r->blocks++;
	for (f = a; f != NULL; f = f->up) {
		if ((b = argument(f, t, o)) != NULL) {
			arg = b;
			from = f;
		}
	}
	if (arg == NULL)
		return render_ops(r, t, (uint32_t)(o - t->ops) + 1, o->end, c, in, a);
	if (o->flags & F_INDENT) {
		if (o->indlen > 0) {
			more.s = t->pool + o->ind;
			more.n = o->indlen;
			more.up = in;
			in = &more;
		}
		if (o->flags & F_AT_BOL)
			r->bol = 1;
	}
	return render_ops(r, from->t, (uint32_t)(arg - from->t->ops) + 1, arg->end, c, in,
	    from->up);
}

static int
has_body(const struct op *o)
{
	return o->kind == OP_SECTION || o->kind == OP_INVERTED || o->kind == OP_PARENT ||
	    o->kind == OP_BLOCK;
}

static enum crm_err
render_ops(struct render *r, const struct tmpl *t, uint32_t from, uint32_t to,
    const struct ctx *c, const struct indent *in, const struct args *a)
{
	uint32_t i = from;
	enum crm_err e = CRM_OK;

	while (i < to && e == CRM_OK) {
		const struct op *o = &t->ops[i];

		switch (o->kind) {
		case OP_TEXT:
			put_text(r, in, t->pool + o->str, o->len);
			break;
		case OP_VAR:
		case OP_RAW:
			put_var(r, t, o, c, in);
			break;
		case OP_SECTION:
			e = section(r, t, o, c, in, a);
			break;
		case OP_INVERTED:
			if (!truthy(lookup(r, t, o, c)))
				e = render_ops(r, t, i + 1, o->end, c, in, a);
			break;
		case OP_PARTIAL:
		case OP_PARENT:
			e = include(r, t, o, c, in, a);
			break;
		case OP_BLOCK:
			e = block(r, t, o, c, in, a);
			break;
		}
		i = has_body(o) ? o->end : i + 1;
	}
	return e;
}

enum crm_err
crm_tmpl_render(const struct crm_tmpl_set *s, const char *name, json_t *view,
    struct crm_buf *out)
{
	size_t n = strlen(name);
	const struct tmpl *t = find(s, name, n, hash_name(name, n));
	struct render r = { .set = s, .out = out, .bol = 1, .reach = INT_MAX };
	struct ctx c = { view, NULL, 0, NULL };

	if (t == NULL)
		return CRM_ENOTFOUND;
	return render_ops(&r, t, 0, t->nops, &c, NULL, NULL);
}
