/* iCalendar (RFC 5545) feeds of meetings and tasks, published for calendar
 * clients to subscribe to. */
#ifndef CRM_ICAL_H
#define CRM_ICAL_H

#include "crm_buf.h"

/* UTF-8 strings; NULL or "" leaves the property out. Times are UTC as
 * MariaDB gives them, "YYYY-MM-DD HH:MM:SS" (fractional seconds allowed),
 * or a bare "YYYY-MM-DD" for an all-day item (written VALUE=DATE). */
struct crm_ical_item {
	const char *uid;        /* required: an item without one is left out */
	const char *summary;
	const char *description;
	const char *location;
	const char *start;      /* required for an event, optional for a todo */
	const char *end;        /* events; NULL for none */
	const char *due;        /* todos */
	int done;               /* todos: STATUS:COMPLETED, else NEEDS-ACTION */
	const char *stamp;      /* DTSTAMP, the last change; NULL or bad: now */
	const char *url;
	/* Events: a recurrence (RFC 5545 3.8.5), kept as a client sent it.
	 * rrule is an RRULE value, exdate UTC basic times comma-separated;
	 * with a zone (an IANA name) DTSTART and DTEND are written as local
	 * times in it (TZID=), so the series repeats at the same wall-clock
	 * time across daylight saving. NULL or "" for none. */
	const char *rrule;
	const char *exdate;
	const char *zone;
};

/* BEGIN:VCALENDAR, VERSION:2.0, PRODID:-//<prodid_name>//CRM <version>//EN,
 * CALSCALE:GREGORIAN, METHOD:PUBLISH and, unless calname is NULL or "",
 * X-WR-CALNAME, the name clients show for a subscription. */
void crm_ical_begin(struct crm_buf *, const char *prodid_name, const char *calname);
/*
 * A VEVENT or VTODO with UID, DTSTAMP, DTSTART, DTEND or DUE and STATUS,
 * SUMMARY, DESCRIPTION, LOCATION and URL: CRLF content lines folded at 75
 * octets with TEXT escaped (crm_fold.h), times in UTC basic format
 * (20261129T101500Z). A time that does not parse is left out, so an event
 * whose start does not parse is left out whole. An end (due) that is not
 * after the start, or not of the same kind (date or date-time), is left
 * out (for a todo it is the start that goes: the deadline matters more),
 * as RFC 5545 3.6.1 and 3.6.2 require.
 */
void crm_ical_event(struct crm_buf *, const struct crm_ical_item *);
void crm_ical_todo(struct crm_buf *, const struct crm_ical_item *);
/* END:VCALENDAR. */
void crm_ical_end(struct crm_buf *);

#endif
