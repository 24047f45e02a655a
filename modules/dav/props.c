/* The properties each kind of resource has (RFC 4918 15, RFC 4791 5-6,
 * RFC 6352 6-7, RFC 5397, RFC 6578, and CalendarServer's getctag, which
 * clients still ask for before a sync). */
#include <string.h>

#include "crm_auth.h"
#include "extern.h"

const struct dav_prop dav_allprops[] = {
	{ DAV_NS, "resourcetype" },
	{ DAV_NS, "displayname" },
	{ DAV_NS, "current-user-principal" },
	{ DAV_NS, "principal-URL" },
	{ DAV_NS, "owner" },
	{ DAV_NS, "getetag" },
	{ DAV_NS, "getcontenttype" },
	{ DAV_NS, "sync-token" },
	{ DAV_NS_CS, "getctag" },
	{ DAV_NS_CAL, "calendar-home-set" },
	{ DAV_NS_CAL, "supported-calendar-component-set" },
	{ DAV_NS_CARD, "addressbook-home-set" },
};
const size_t dav_nallprops = CRM_NELEM(dav_allprops);

static int
is(const struct dav_prop *p, const char *ns, const char *name)
{
	return strcmp(p->ns, ns) == 0 && strcmp(p->name, name) == 0;
}

static int
collection(enum dav_kind k)
{
	return k != DAV_CAL_OBJECT && k != DAV_CARD;
}

static void
href_element(struct crm_buf *b, const char *element, const char *href)
{
	crm_buf_printf(b, "<%s><D:href>", element);
	dav_xml_text(b, href);
	crm_buf_printf(b, "</D:href></%s>", element);
}

static void
text_element(struct crm_buf *b, const char *element, const char *value)
{
	crm_buf_printf(b, "<%s>", element);
	dav_xml_text(b, value);
	crm_buf_printf(b, "</%s>", element);
}

int
dav_prop_write(struct dav_res *r, const struct dav_prop *p, struct crm_buf *b)
{
	struct crm_ctx *c = r->c;
	enum dav_kind k = r->kind;

	if (is(p, DAV_NS, "resourcetype")) {
		crm_buf_puts(b, "<D:resourcetype>");
		if (collection(k))
			crm_buf_puts(b, "<D:collection/>");
		if (k == DAV_PRINCIPAL)
			crm_buf_puts(b, "<D:principal/>");
		if (k == DAV_CALENDAR)
			crm_buf_puts(b, "<C:calendar/>");
		if (k == DAV_BOOK)
			crm_buf_puts(b, "<CR:addressbook/>");
		crm_buf_puts(b, "</D:resourcetype>");
		return 1;
	}
	if (is(p, DAV_NS, "current-user-principal")) {
		href_element(b, "D:current-user-principal", dav_href(c, DAV_PRINCIPAL, 0, NULL));
		return 1;
	}
	if (is(p, DAV_NS, "displayname") && collection(k)) {
		const char *name = k == DAV_CALENDAR ? (r->todo ? N_("CRM tasks") : N_("CRM meetings and calls")) :
		    k == DAV_BOOK ? N_("CRM contacts") : NULL;

		text_element(b, "D:displayname", name ? crm_ctx_text(c, name) : c->user->name);
		return 1;
	}
	if ((is(p, DAV_NS, "principal-URL") && k == DAV_PRINCIPAL) ||
	    (is(p, DAV_NS, "owner") && k != DAV_ROOT && collection(k))) {
		href_element(b, is(p, DAV_NS, "owner") ? "D:owner" : "D:principal-URL",
		    dav_href(c, DAV_PRINCIPAL, 0, NULL));
		return 1;
	}
	if (is(p, DAV_NS_CAL, "calendar-home-set") && k == DAV_PRINCIPAL) {
		href_element(b, "C:calendar-home-set", dav_href(c, DAV_CAL_HOME, 0, NULL));
		return 1;
	}
	if (is(p, DAV_NS_CARD, "addressbook-home-set") && k == DAV_PRINCIPAL) {
		href_element(b, "CR:addressbook-home-set", dav_href(c, DAV_BOOK_HOME, 0, NULL));
		return 1;
	}
	if (is(p, DAV_NS_CAL, "calendar-user-address-set") && k == DAV_PRINCIPAL) {
		href_element(b, "C:calendar-user-address-set",
		    crm_arena_printf(c->arena, "mailto:%s", c->user->email));
		return 1;
	}
	if (is(p, DAV_NS, "principal-collection-set") && k == DAV_PRINCIPAL) {
		href_element(b, "D:principal-collection-set", "/dav/principals/");
		return 1;
	}
	if (is(p, DAV_NS_CAL, "supported-calendar-component-set") && k == DAV_CALENDAR) {
		crm_buf_printf(b, "<C:supported-calendar-component-set><C:comp name=\"%s\"/>"
		    "</C:supported-calendar-component-set>", r->todo ? "VTODO" : "VEVENT");
		return 1;
	}
	if (is(p, DAV_NS_CARD, "supported-address-data") && k == DAV_BOOK) {
		crm_buf_puts(b, "<CR:supported-address-data><CR:address-data-type content-type=\"text/vcard\""
		    " version=\"4.0\"/><CR:address-data-type content-type=\"text/vcard\" version=\"3.0\"/>"
		    "</CR:supported-address-data>");
		return 1;
	}
	if (is(p, DAV_NS, "supported-report-set") && (k == DAV_CALENDAR || k == DAV_BOOK)) {
		crm_buf_printf(b, "<D:supported-report-set>"
		    "<D:supported-report><D:report><%s/></D:report></D:supported-report>"
		    "<D:supported-report><D:report><%s/></D:report></D:supported-report>"
		    "<D:supported-report><D:report><D:sync-collection/></D:report></D:supported-report>"
		    "</D:supported-report-set>",
		    k == DAV_CALENDAR ? "C:calendar-query" : "CR:addressbook-query",
		    k == DAV_CALENDAR ? "C:calendar-multiget" : "CR:addressbook-multiget");
		return 1;
	}
	if (is(p, DAV_NS, "current-user-privilege-set")) {
		crm_buf_puts(b, "<D:current-user-privilege-set><D:privilege><D:read/></D:privilege>");
		if (crm_auth_can(c->user, "customers.write"))
			crm_buf_puts(b, "<D:privilege><D:write/></D:privilege>"
			    "<D:privilege><D:write-content/></D:privilege>"
			    "<D:privilege><D:bind/></D:privilege>");
		if (k != DAV_BOOK && k != DAV_CARD ? crm_auth_can(c->user, "customers.write") :
		    crm_auth_can(c->user, "customers.delete"))
			crm_buf_puts(b, "<D:privilege><D:unbind/></D:privilege>");
		crm_buf_puts(b, "</D:current-user-privilege-set>");
		return 1;
	}
	if ((is(p, DAV_NS_CS, "getctag") || is(p, DAV_NS, "sync-token")) &&
	    (k == DAV_CALENDAR || k == DAV_BOOK)) {
		if (is(p, DAV_NS_CS, "getctag"))
			text_element(b, "CS:getctag", crm_arena_printf(c->arena, "%lld", r->ctag));
		else
			text_element(b, "D:sync-token", dav_sync_token(c, r->ctag));
		return 1;
	}
	if (is(p, DAV_NS, "getetag") && r->row != NULL) {
		text_element(b, "D:getetag", k == DAV_CARD ? carddav_etag(c, r->row) :
		    caldav_etag(c, r->row));
		return 1;
	}
	if (is(p, DAV_NS, "getcontenttype") && !collection(k)) {
		text_element(b, "D:getcontenttype", k == DAV_CARD ? "text/vcard; charset=utf-8" :
		    crm_arena_printf(c->arena, "text/calendar; charset=utf-8; component=%s",
		    r->todo ? "VTODO" : "VEVENT"));
		return 1;
	}
	if (is(p, DAV_NS_CAL, "calendar-data") && k == DAV_CAL_OBJECT && r->row != NULL) {
		text_element(b, "C:calendar-data", caldav_data(c, r->row));
		return 1;
	}
	if (is(p, DAV_NS_CARD, "address-data") && k == DAV_CARD && r->row != NULL) {
		text_element(b, "CR:address-data", carddav_data(c, r->row));
		return 1;
	}
	return 0;
}
