/* crm-dav: CalDAV and CardDAV, its own program so an admin can scale or
 * restart phone sync on its own. Served with HTTP Basic authentication
 * (e-mail and API token) and raw bodies (XML, iCalendar, vCard);
 * extern.h describes the tree. Collections answer with and without
 * their trailing slash. OPTIONS is public: clients ask it before they
 * authenticate, and it says only which methods there are. */
#include "crm_server.h"
#include "extern.h"
#include "crm_health.h"

static const struct crm_route routes[] = {
	/* For a load balancer or a monitor: can this instance work? */
	{ "GET", "/dav/health", CRM_PERM_PUBLIC, crm_health, NULL },
	{ "OPTIONS", "/dav", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/principals/:user", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/principals/:user/", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/calendars/:user", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/calendars/:user/", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/calendars/:user/:calendar", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/calendars/:user/:calendar/", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/calendars/:user/:calendar/:name", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/addressbooks/:user", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/addressbooks/:user/", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/addressbooks/:user/:book", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/addressbooks/:user/:book/", CRM_PERM_PUBLIC, dav_options, NULL },
	{ "OPTIONS", "/dav/addressbooks/:user/:book/:name", CRM_PERM_PUBLIC, dav_options, NULL },

	/* tree.c: discovery and listings (Depth 0 or 1) */
	{ "PROPFIND", "/dav", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/principals/:user", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/principals/:user/", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/calendars/:user", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/calendars/:user/", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/calendars/:user/:calendar", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/calendars/:user/:calendar/", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/calendars/:user/:calendar/:name", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/addressbooks/:user", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/addressbooks/:user/", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/addressbooks/:user/:book", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/addressbooks/:user/:book/", "customers.read", dav_propfind, NULL },
	{ "PROPFIND", "/dav/addressbooks/:user/:book/:name", "customers.read", dav_propfind, NULL },

	/* queries, multigets and sync-collection on a collection */
	{ "REPORT", "/dav/calendars/:user/:calendar", "customers.read", dav_report, NULL },
	{ "REPORT", "/dav/calendars/:user/:calendar/", "customers.read", dav_report, NULL },
	{ "REPORT", "/dav/addressbooks/:user/:book", "customers.read", dav_report, NULL },
	{ "REPORT", "/dav/addressbooks/:user/:book/", "customers.read", dav_report, NULL },

	/* caldav.c: an event or a task */
	{ "GET", "/dav/calendars/:user/:calendar/:name", "customers.read", dav_get, NULL },
	{ "PUT", "/dav/calendars/:user/:calendar/:name", "customers.write", dav_put, NULL },
	{ "DELETE", "/dav/calendars/:user/:calendar/:name", "customers.write", dav_delete, NULL },

	/* carddav.c: a contact */
	{ "GET", "/dav/addressbooks/:user/:book/:name", "customers.read", dav_get, NULL },
	{ "PUT", "/dav/addressbooks/:user/:book/:name", "customers.write", dav_put, NULL },
	{ "DELETE", "/dav/addressbooks/:user/:book/:name", "customers.delete", dav_delete, NULL },
};

static const struct crm_module module = {
	"dav", routes, CRM_NELEM(routes), dav_stmts, STMT__MAX, NULL, NULL,
};

int
main(int argc, char **argv)
{
	return crm_server_main_flags(argc, argv, &module, CRM_SERVE_RAW_BODY | CRM_SERVE_BASIC_AUTH);
}
