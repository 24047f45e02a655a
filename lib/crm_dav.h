/* What CalDAV and CardDAV clients send: one iCalendar object (RFC 5545)
 * with a VEVENT or a VTODO, or one vCard (RFC 6350, versions 3.0 and
 * 4.0), read into the fields the CRM keeps. Pure functions over
 * (buf, len, arena) that refuse malformed input (STYLE rule 10); the
 * writers are crm_ical.h and crm_vcard.h. */
#ifndef CRM_DAV_H
#define CRM_DAV_H

#include <stddef.h>

#include "crm.h"
#include "crm_arena.h"
#include "crm_buf.h"

#define CRM_DAV_MAX_LINES 5000  /* content lines in one object */
#define CRM_DAV_MAX_RRULE 500   /* characters of an RRULE */
#define CRM_DAV_MAX_EXDATES 1000

/* A VEVENT or VTODO. Times are UTC "YYYY-MM-DD HH:MM:SS", "" when absent. */
struct crm_dav_event {
	int todo;               /* VTODO, else VEVENT */
	const char *uid;        /* required */
	const char *summary;    /* "" when absent */
	const char *description;
	const char *location;
	char start[20];         /* DTSTART */
	char end[20];           /* DTEND, or DTSTART + DURATION */
	char due[20];           /* VTODO's DUE */
	int all_day;            /* DTSTART;VALUE=DATE: the day's midnight in zone */
	int completed;          /* STATUS:COMPLETED or a COMPLETED time */
	int recurring;          /* RRULE, RDATE or overridden instances */
	const char *rrule;      /* the first RRULE as sent, "" when none */
	const char *exdate;     /* EXDATE times as UTC basic format
	                         * (20261208T100000Z), comma-separated; "" */
	const char *zone;       /* the zone DTSTART was read in, "" for UTC:
	                         * a recurrence repeats in local time */
};

/*
 * Reads the first VEVENT or VTODO of a VCALENDAR. Times with a Z are UTC;
 * with a TZID that names a zone in /usr/share/zoneinfo, local to it; with
 * none (floating), or a TZID that is no such zone (a client's own
 * VTIMEZONE), local to zone (the user's). CRM_EINVAL for anything that is
 * not one well-formed object with a UID, a component, and times that
 * parse; CRM_ETOOBIG past CRM_DAV_MAX_LINES. An RRULE is kept as text, checked
 * only for its characters and length (CRM_DAV_MAX_RRULE); RDATE and
 * overridden instances (RECURRENCE-ID) are not kept.
 */
enum crm_err crm_dav_parse_ical(struct crm_arena *, const char *buf, size_t len,
    const char *zone, struct crm_dav_event *);

/* A vCard. Strings are "" when absent. */
struct crm_dav_card {
	const char *uid;
	const char *full_name;  /* FN */
	const char *family;     /* N: family;given;... */
	const char *given;
	const char *title;
	const char *org;
	const char *email;      /* the first EMAIL */
	const char *email2;     /* the second */
	const char *phone;      /* the first TEL that is not TYPE=cell */
	const char *mobile;     /* the first TEL;TYPE=cell */
};

/* Reads one BEGIN:VCARD .. END:VCARD; CRM_EINVAL without FN or N, or when
 * malformed. A tel: URI keeps only its number. */
enum crm_err crm_dav_parse_vcard(struct crm_arena *, const char *buf, size_t len,
    struct crm_dav_card *);

/* BEGIN:VCALENDAR, VERSION, PRODID for one calendar object resource: no
 * METHOD, which RFC 4791 4.1 forbids in a calendar collection. */
void crm_dav_ical_begin(struct crm_buf *);

#endif
