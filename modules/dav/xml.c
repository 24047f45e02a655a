/* WebDAV's XML: request bodies read with libxml2 (no DTD, no network,
 * no entities), answers written by hand with every text escaped. */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "crm_escape.h"
#include "crm_req.h"
#include "extern.h"

static void
doc_free(void *doc)
{
	xmlFreeDoc(doc);
}

static int
is(const xmlNode *n, const char *ns, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0 && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *
child(const xmlNode *n, const char *ns, const char *name)
{
	const xmlNode *k;

	for (k = n ? n->children : NULL; k; k = k->next)
		if (is(k, ns, name))
			return k;
	return NULL;
}

/* An element's text, copied to the arena. */
static const char *
text_of(struct crm_ctx *c, const xmlNode *n)
{
	xmlChar *s = xmlNodeGetContent(n);
	const char *out = crm_arena_strdup(c->arena, s ? (const char *)s : "");

	xmlFree(s);
	return out;
}

static int
hex(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
	    ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* An href as a decoded path: "http://host" dropped, %XX decoded; NULL
 * when it is not a valid one (it then matches no resource). */
static const char *
href_path(struct crm_ctx *c, const char *h)
{
	char *out, *o;

	if (strncmp(h, "http://", 7) == 0 || strncmp(h, "https://", 8) == 0) {
		h = strchr(strstr(h, "//") + 2, '/');
		if (h == NULL)
			return NULL;
	}
	o = out = crm_arena_alloc(c->arena, strlen(h) + 1);
	for (; *h; h++) {
		if (*h == '%') {
			int hi = hex(h[1]), lo = hi < 0 ? -1 : hex(h[2]);

			if (lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			*o++ = (char)(hi * 16 + lo);
			h += 2;
		} else
			*o++ = *h;
	}
	*o = '\0';
	return crm_utf8_valid(out, strlen(out)) ? out : NULL;
}

/* 20261129T100000Z into "2026-11-29 10:00:00"; 0 when malformed. */
static int
utc_of(const char *v, char out[20])
{
	size_t i;

	if (v == NULL || strlen(v) != 16 || v[8] != 'T' || v[15] != 'Z')
		return 0;
	for (i = 0; i < 15; i++)
		if (i != 8 && (v[i] < '0' || v[i] > '9'))
			return 0;
	snprintf(out, 20, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s", v, v + 4, v + 6, v + 9, v + 11, v + 13);
	return 1;
}

/* The filter of a calendar-query: the component asked for and its
 * time-range, wherever they sit in the comp-filter tree. */
static int
filters(const xmlNode *n, struct dav_query *q, int level)
{
	const xmlNode *k;

	if (level > 8)
		return 400;
	for (k = n->children; k; k = k->next) {
		if (is(k, DAV_NS_CAL, "comp-filter") && level == 1) {
			xmlChar *name = xmlGetProp(k, (const xmlChar *)"name");

			if (name && strcmp((const char *)name, "VTODO") == 0)
				q->comp_todo = 1;
			else if (name && strcmp((const char *)name, "VEVENT") == 0)
				q->comp_todo = 0;
			xmlFree(name);
		}
		if (is(k, DAV_NS_CAL, "time-range")) {
			xmlChar *s = xmlGetProp(k, (const xmlChar *)"start");
			xmlChar *e = xmlGetProp(k, (const xmlChar *)"end");
			int bad = (s && !utc_of((const char *)s, q->range_start)) ||
			    (e && !utc_of((const char *)e, q->range_end));

			xmlFree(s);
			xmlFree(e);
			if (bad)
				return 400;
		}
		if (k->type == XML_ELEMENT_NODE && filters(k, q, level + 1) != 0)
			return 400;
	}
	return 0;
}

/* <CR:filter test="anyof|allof"><CR:prop-filter name="EMAIL"><CR:text-match
 * match-type="contains" negate-condition="yes">ann</CR:text-match>... */
static int
card_filters(struct crm_ctx *c, const xmlNode *filter, struct dav_query *q)
{
	xmlChar *test = xmlGetProp(filter, (const xmlChar *)"test");
	const xmlNode *k, *tm;

	q->match_all = test != NULL && strcmp((const char *)test, "allof") == 0;
	xmlFree(test);
	for (k = filter->children; k; k = k->next) {
		struct dav_match *m;
		xmlChar *v;

		if (!is(k, DAV_NS_CARD, "prop-filter"))
			continue;
		if (q->nmatches == DAV_MAX_MATCHES)
			return 400;
		m = &q->matches[q->nmatches++];
		v = xmlGetProp(k, (const xmlChar *)"name");
		m->prop = crm_arena_strdup(c->arena, v ? (const char *)v : "");
		xmlFree(v);
		m->type = "contains";
		if ((tm = child(k, DAV_NS_CARD, "text-match")) == NULL) {
			m->negate = child(k, DAV_NS_CARD, "is-not-defined") != NULL;
			continue;
		}
		m->text = text_of(c, tm);
		if ((v = xmlGetProp(tm, (const xmlChar *)"match-type")) != NULL)
			m->type = crm_arena_strdup(c->arena, (const char *)v);
		xmlFree(v);
		v = xmlGetProp(tm, (const xmlChar *)"negate-condition");
		m->negate = v != NULL && strcmp((const char *)v, "yes") == 0;
		xmlFree(v);
	}
	return 0;
}

int
dav_query_read(struct crm_ctx *c, struct dav_query *q)
{
	const char *depth = crm_ctx_env(c, "HTTP_DEPTH");
	const xmlNode *root, *prop, *k;
	xmlDoc *doc;
	size_t n = 0;

	memset(q, 0, sizeof(*q));
	q->comp_todo = -1;
	q->depth = depth == NULL || strcmp(depth, "infinity") == 0 ? 2 :
	    strcmp(depth, "0") == 0 ? 0 : strcmp(depth, "1") == 0 ? 1 : -1;
	if (q->depth < 0)
		return 400;
	if (c->body.len == 0) {
		q->allprop = 1;
		return 0;
	}
	if (c->body_type == NULL || (strcmp(c->body_type, "application/xml") != 0 &&
	    strcmp(c->body_type, "text/xml") != 0))
		return 415;
	doc = xmlReadMemory(c->body.data, (int)c->body.len, "dav.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc == NULL)
		return 400;
	crm_arena_cleanup(c->arena, doc_free, doc);
	/* A DTD can only be an attack here (entity expansion). */
	if (doc->intSubset != NULL || (root = xmlDocGetRootElement(doc)) == NULL || root->ns == NULL)
		return 400;
	if (is(root, DAV_NS, "propfind")) {
		if (child(root, DAV_NS, "allprop"))
			q->allprop = 1;
		else if (child(root, DAV_NS, "propname"))
			q->propname = 1;
	} else if (is(root, DAV_NS_CAL, "calendar-query") || is(root, DAV_NS_CAL, "calendar-multiget") ||
	    is(root, DAV_NS_CARD, "addressbook-query") || is(root, DAV_NS_CARD, "addressbook-multiget") ||
	    is(root, DAV_NS, "sync-collection")) {
		q->report = crm_arena_strdup(c->arena, (const char *)root->name);
	} else
		return 501;
	if ((prop = child(root, DAV_NS, "prop")) != NULL) {
		for (k = prop->children; k; k = k->next)
			if (k->type == XML_ELEMENT_NODE)
				n++;
		q->props = crm_arena_alloc(c->arena, (n + 1) * sizeof(*q->props));
		for (k = prop->children; k; k = k->next) {
			if (k->type != XML_ELEMENT_NODE)
				continue;
			q->props[q->nprops].ns = crm_arena_strdup(c->arena,
			    k->ns ? (const char *)k->ns->href : "");
			q->props[q->nprops].name = crm_arena_strdup(c->arena, (const char *)k->name);
			q->nprops++;
		}
	} else if (!q->propname && q->report == NULL)
		q->allprop = 1;
	for (n = 0, k = root->children; k; k = k->next)
		if (is(k, DAV_NS, "href"))
			n++;
	q->hrefs = crm_arena_alloc(c->arena, (n + 1) * sizeof(*q->hrefs));
	for (k = root->children; k; k = k->next) {
		const char *h;

		if (is(k, DAV_NS, "href") && (h = href_path(c, text_of(c, k))) != NULL)
			q->hrefs[q->nhrefs++] = h;
	}
	if ((k = child(root, DAV_NS, "sync-token")) != NULL)
		q->sync_token = text_of(c, k);
	if ((k = child(root, DAV_NS_CAL, "filter")) != NULL && filters(k, q, 0) != 0)
		return 400;
	if ((k = child(root, DAV_NS_CARD, "filter")) != NULL && card_filters(c, k, q) != 0)
		return 400;
	return 0;
}

void
dav_xml_text(struct crm_buf *b, const char *s)
{
	const char *cr;

	/* A CR would reach the client as a bare LF (XML 2.11): iCalendar
	 * and vCard lines end in CRLF, so it goes as a reference. */
	while ((cr = strchr(s, '\r')) != NULL) {
		crm_escape_html(b, s, (size_t)(cr - s));
		crm_buf_puts(b, "&#13;");
		s = cr + 1;
	}
	crm_escape_html(b, s, strlen(s));
}

void
dav_ms_begin(struct crm_buf *b)
{
	crm_buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\""
	    " xmlns:C=\"" DAV_NS_CAL "\" xmlns:CR=\"" DAV_NS_CARD "\" xmlns:CS=\"" DAV_NS_CS "\">\n");
}

void
dav_ms_end(struct crm_buf *b, const char *sync_token)
{
	if (sync_token != NULL) {
		crm_buf_puts(b, "<D:sync-token>");
		dav_xml_text(b, sync_token);
		crm_buf_puts(b, "</D:sync-token>\n");
	}
	crm_buf_puts(b, "</D:multistatus>\n");
}

/* An empty element of any namespace: the prefixes above for ours. */
static void
empty_element(struct crm_buf *b, const struct dav_prop *p)
{
	const char *prefix = strcmp(p->ns, DAV_NS) == 0 ? "D" : strcmp(p->ns, DAV_NS_CAL) == 0 ? "C" :
	    strcmp(p->ns, DAV_NS_CARD) == 0 ? "CR" : strcmp(p->ns, DAV_NS_CS) == 0 ? "CS" : NULL;

	if (prefix != NULL) {
		crm_buf_printf(b, "<%s:", prefix);
		dav_xml_text(b, p->name);
		crm_buf_puts(b, "/>");
		return;
	}
	crm_buf_puts(b, "<X:");
	dav_xml_text(b, p->name);
	crm_buf_puts(b, " xmlns:X=\"");
	dav_xml_text(b, p->ns);
	crm_buf_puts(b, "\"/>");
}

void
dav_ms_response(struct crm_buf *b, const struct dav_query *q, struct dav_res *r)
{
	struct crm_buf ok, missing;
	size_t i, n = q->allprop || q->propname ? dav_nallprops : q->nprops;
	const struct dav_prop *list = q->allprop || q->propname ? dav_allprops : q->props;

	crm_buf_init(&ok, r->c->arena, 512);
	crm_buf_init(&missing, r->c->arena, 64);
	for (i = 0; i < n; i++) {
		size_t mark = ok.len;

		if (!dav_prop_write(r, &list[i], &ok)) {
			ok.len = mark;
			ok.data[mark] = '\0';
			/* allprop lists what there is, not what there is not. */
			if (!q->allprop && !q->propname)
				empty_element(&missing, &list[i]);
		} else if (q->propname) {
			ok.len = mark;
			ok.data[mark] = '\0';
			empty_element(&ok, &list[i]);
		}
	}
	crm_buf_puts(b, "<D:response><D:href>");
	dav_xml_text(b, r->href);
	crm_buf_puts(b, "</D:href>");
	if (ok.len)
		crm_buf_printf(b, "<D:propstat><D:prop>%s</D:prop>"
		    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat>", ok.data);
	if (missing.len)
		crm_buf_printf(b, "<D:propstat><D:prop>%s</D:prop>"
		    "<D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>", missing.data);
	/* No props asked for: a response still holds a propstat or a status. */
	if (ok.len == 0 && missing.len == 0)
		crm_buf_puts(b, "<D:status>HTTP/1.1 200 OK</D:status>");
	crm_buf_puts(b, "</D:response>\n");
}

void
dav_ms_status(struct crm_buf *b, const char *href, int status)
{
	crm_buf_puts(b, "<D:response><D:href>");
	dav_xml_text(b, href);
	crm_buf_printf(b, "</D:href><D:status>HTTP/1.1 %d %s</D:status></D:response>\n", status,
	    crm_http_reason(status));
}

int
dav_error(struct crm_ctx *c, int status, const char *ns, const char *condition)
{
	c->raw.len = 0;
	crm_buf_printf(&c->raw, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<D:error xmlns:D=\"DAV:\" xmlns:X=\"%s\"><X:%s/></D:error>\n", ns, condition);
	c->content_type = "application/xml; charset=utf-8";
	return crm_ctx_status(c, status);
}

int
dav_multistatus(struct crm_ctx *c)
{
	c->content_type = "application/xml; charset=utf-8";
	return crm_ctx_status(c, 207);
}
