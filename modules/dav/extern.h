/* crm-dav: CalDAV (RFC 4791) and CardDAV (RFC 6352) for phones and
 * desktop clients, authenticated with HTTP Basic (e-mail and API token).
 *
 * The tree, for user U (any other U is 404):
 *   /dav/                          the entry point (current-user-principal)
 *   /dav/principals/U/             the principal: its two home sets
 *   /dav/calendars/U/              calendar home
 *   /dav/calendars/U/events/       meetings and calls (VEVENT)
 *   /dav/calendars/U/tasks/        tasks (VTODO)
 *   /dav/addressbooks/U/           address book home
 *   /dav/addressbooks/U/contacts/  the contacts U's role reaches
 * Two calendars rather than one with both components: clients that show
 * only events (or only tasks) per calendar all cope with that. */
#ifndef DAV_EXTERN_H
#define DAV_EXTERN_H

#include <stddef.h>

#include "crm_http.h"

enum stmt {
	STMT_CAL_LIST,
	STMT_CAL_RANGE,
	STMT_CAL_CHANGES,
	STMT_CAL_CTAG,
	STMT_CAL_BY_ID,
	STMT_CAL_BY_NAME,
	STMT_CAL_BY_UID,
	STMT_CAL_MULTI,
	STMT_CAL_INSERT,
	STMT_CAL_UPDATE,
	STMT_CAL_DELETE,
	STMT_CARD_LIST_ALL,
	STMT_CARD_LIST,
	STMT_CARD_CHANGES,
	STMT_CARD_CTAG,
	STMT_CARD_BY_ID,
	STMT_CARD_BY_NAME,
	STMT_CARD_BY_UID,
	STMT_CARD_MULTI,
	STMT_CARD_INSERT,
	STMT_CARD_UPDATE,
	STMT_CARD_DELETE,
	STMT_COUNT_ADD,
	STMT_SEARCH_PUT_CONTACT,
	STMT_SEARCH_DROP,
	STMT_GATE_TAKE,
	STMT_GATE_DRAWN,
	STMT_GATE_KEEP,
	STMT_GATE_SAFE,
	STMT__MAX
};
extern const char *const dav_stmts[STMT__MAX];

/* Most rows one answer lists; past it a 507 response says "ask again". */
#define DAV_LIST_MAX 5000
#define DAV_SYNC_MAX 1000

/* What a path names (tree.c). */
enum dav_kind {
	DAV_ROOT,
	DAV_PRINCIPAL,
	DAV_CAL_HOME,
	DAV_CALENDAR,
	DAV_CAL_OBJECT,
	DAV_BOOK_HOME,
	DAV_BOOK,
	DAV_CARD,
	DAV_KIND__MAX
};

struct dav_target {
	enum dav_kind kind;
	int todo;               /* the tasks calendar */
	const char *name;       /* an object's resource name */
};

/* A resource being described in a multistatus answer. */
struct dav_res {
	struct crm_ctx *c;
	enum dav_kind kind;
	int todo;
	const char *href;
	json_t *row;            /* an object's row */
	const char *data;       /* its iCalendar or vCard text, when asked for */
	long long ctag;         /* a collection's */
};

struct dav_prop {
	const char *ns, *name;
};

/* An addressbook-query's prop-filter: a property (FN, N, EMAIL, TEL,
 * TITLE, UID) with a text-match, or without one: the property is there. */
#define DAV_MAX_MATCHES 8
struct dav_match {
	const char *prop;
	const char *text;       /* NULL: defined */
	const char *type;       /* contains, equals, starts-with, ends-with */
	int negate;
};

/* A request body (xml.c). */
struct dav_query {
	struct dav_match matches[DAV_MAX_MATCHES];
	size_t nmatches;
	int match_all;          /* test="allof" */
	int allprop, propname;
	struct dav_prop *props;
	size_t nprops;
	const char *report;     /* the REPORT's element name */
	const char **hrefs;
	size_t nhrefs;
	char range_start[20], range_end[20];    /* UTC; "" when absent */
	const char *sync_token; /* NULL when absent */
	int comp_todo;          /* a comp-filter asked for VTODO (1), VEVENT (0), -1 none */
	int depth;              /* 0, 1 or infinity (2) */
};

#define DAV_NS "DAV:"
#define DAV_NS_CAL "urn:ietf:params:xml:ns:caldav"
#define DAV_NS_CARD "urn:ietf:params:xml:ns:carddav"
#define DAV_NS_CS "http://calendarserver.org/ns/"

/* xml.c: the body as XML (an empty body is allprop); 0 or a status. */
int dav_query_read(struct crm_ctx *, struct dav_query *);
void dav_ms_begin(struct crm_buf *);
void dav_ms_end(struct crm_buf *, const char *sync_token);
/* One <response> with the props asked for, those unknown in a 404 propstat. */
void dav_ms_response(struct crm_buf *, const struct dav_query *, struct dav_res *);
/* A <response> with just a status (sync: a member that is gone). */
void dav_ms_status(struct crm_buf *, const char *href, int status);
void dav_xml_text(struct crm_buf *, const char *);
/* Answers status with a DAV error body: <D:error><ns:cond/></D:error>. */
int dav_error(struct crm_ctx *, int status, const char *ns, const char *condition);
/* Sends the multistatus built in c->raw. */
int dav_multistatus(struct crm_ctx *);

/* tree.c */
int dav_target_of(struct crm_ctx *, struct dav_target *);
const char *dav_href(struct crm_ctx *, enum dav_kind, int todo, const char *name);
const char *dav_sync_token(struct crm_ctx *, long long version);
long long dav_sync_version(const char *token);
int dav_options(struct crm_ctx *);
int dav_propfind(struct crm_ctx *);
int dav_report(struct crm_ctx *);
int dav_get(struct crm_ctx *);
int dav_put(struct crm_ctx *);
int dav_delete(struct crm_ctx *);
/* props.c: writes one property's element; 0 when the resource has none. */
int dav_prop_write(struct dav_res *, const struct dav_prop *, struct crm_buf *);
extern const struct dav_prop dav_allprops[];
extern const size_t dav_nallprops;

/* settled.c: the highest version a sync may read up to and hand out (see
 * migration 052); -1 when the database failed. */
long long dav_settled(struct crm_ctx *);

/* caldav.c */
const char *caldav_name(struct crm_ctx *, json_t *row);
const char *caldav_etag(struct crm_ctx *, json_t *row);
const char *caldav_data(struct crm_ctx *, json_t *row);
long long caldav_ctag(struct crm_ctx *, long long settled);
json_t *caldav_find(struct crm_ctx *, int todo, const char *name, int *status);
int caldav_members(struct crm_ctx *, int todo, const struct dav_query *, struct crm_buf *);
int caldav_multiget(struct crm_ctx *, int todo, const struct dav_query *, struct crm_buf *);
int caldav_sync(struct crm_ctx *, int todo, const struct dav_query *, struct crm_buf *);
int caldav_put(struct crm_ctx *, const struct dav_target *);
int caldav_delete(struct crm_ctx *, const struct dav_target *);

/* carddav.c */
const char *carddav_name(struct crm_ctx *, json_t *row);
const char *carddav_etag(struct crm_ctx *, json_t *row);
const char *carddav_data(struct crm_ctx *, json_t *row);
long long carddav_ctag(struct crm_ctx *, long long settled);
json_t *carddav_find(struct crm_ctx *, const char *name, int *status);
int carddav_members(struct crm_ctx *, const struct dav_query *, struct crm_buf *);
int carddav_multiget(struct crm_ctx *, const struct dav_query *, struct crm_buf *);
int carddav_sync(struct crm_ctx *, const struct dav_query *, struct crm_buf *);
int carddav_put(struct crm_ctx *, const struct dav_target *);
int carddav_delete(struct crm_ctx *, const struct dav_target *);

/* tree.c: "<prefix><id><suffix>", our own resource names; 0 for others. */
long long dav_id_of_name(const char *name, const char *prefix, const char *suffix);
/* The last segment of a decoded href in the collection at prefix; NULL
 * for another collection's. */
const char *dav_member_name(const char *href, const char *prefix);
/* The hrefs of a multiget in the collection at prefix, as two JSON arrays:
 * the ids of our own names and the names clients chose. */
void dav_multiget_keys(const struct dav_query *, const char *prefix,
    long long (*id_of)(const char *), const char **ids, const char **names);

/* The If-Match / If-None-Match preconditions against an object's ETag
 * (NULL: it does not exist): 0 to go on, or 412. */
int dav_preconditions(struct crm_ctx *, const char *etag);

#endif
