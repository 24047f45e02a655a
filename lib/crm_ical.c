/* iCalendar writer. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crm_fold.h"
#include "crm_i18n.h"
#include "crm_ical.h"

static int
present(const char *s)
{
	return s != NULL && s[0] != '\0';
}

void
crm_ical_begin(struct crm_buf *b, const char *prodid_name, const char *calname)
{
	struct crm_fold f;

	crm_buf_puts(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	crm_fold_begin(&f, b, "PRODID");
	crm_fold_raw(&f, "-//");
	crm_fold_text(&f, present(prodid_name) ? prodid_name : "crm");
	crm_fold_raw(&f, "//CRM " CRM_VERSION "//EN");
	crm_fold_end(&f);
	crm_buf_puts(b, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	if (present(calname))
		crm_fold_text_line(b, "X-WR-CALNAME", calname);
}

void
crm_ical_end(struct crm_buf *b)
{
	crm_buf_puts(b, "END:VCALENDAR\r\n");
}

/* NAME:20261129T101500Z for a date-time, NAME;VALUE=DATE:20261129 for a day. */
static void
put_time(struct crm_buf *b, const char *name, int kind, const char *basic)
{
	if (kind == CRM_FOLD_DATETIME)
		crm_buf_printf(b, "%s:%sZ\r\n", name, basic);
	else
		crm_buf_printf(b, "%s;VALUE=DATE:%s\r\n", name, basic);
}

/* NAME;TZID=zone:20261129T111500, the date-time basic (UTC) as local time
 * in zone; as put_time when there is no zone to write. */
static void
put_zoned(struct crm_buf *b, const char *name, int kind, const char *basic, const char *zone)
{
	char local[CRM_FOLD_DATE_MAX];
	struct tm tm;
	time_t t;

	if (kind != CRM_FOLD_DATETIME || !present(zone) || strlen(zone) > 64 ||
	    strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(zone)) {
		put_time(b, name, kind, basic);
		return;
	}
	memset(&tm, 0, sizeof(tm));
	if (sscanf(basic, "%4d%2d%2dT%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		put_time(b, name, kind, basic);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	t += crm_i18n_zone_offset(zone, (int64_t)t);
	gmtime_r(&t, &tm);
	strftime(local, sizeof(local), "%Y%m%dT%H%M%S", &tm);
	crm_buf_printf(b, "%s;TZID=%s:%s\r\n", name, zone, local);
}

/* UID and DTSTAMP, which every component needs (3.6.1, 3.6.2). */
static void
put_head(struct crm_buf *b, const char *component, const struct crm_ical_item *it)
{
	char stamp[CRM_FOLD_DATE_MAX];
	struct tm tm;
	time_t now;

	crm_buf_printf(b, "BEGIN:%s\r\n", component);
	crm_fold_text_line(b, "UID", it->uid);
	if (crm_fold_date(it->stamp, stamp) != CRM_FOLD_DATETIME) {
		/* Required, and meant as "when this copy was made" when the
		 * item has no change time of its own. */
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	}
	put_time(b, "DTSTAMP", CRM_FOLD_DATETIME, stamp);
}

static void
put_tail(struct crm_buf *b, const char *component, const struct crm_ical_item *it)
{
	if (present(it->summary))
		crm_fold_text_line(b, "SUMMARY", it->summary);
	if (present(it->description))
		crm_fold_text_line(b, "DESCRIPTION", it->description);
	if (present(it->location))
		crm_fold_text_line(b, "LOCATION", it->location);
	if (present(it->url))
		crm_fold_line(b, "URL", it->url);
	crm_buf_printf(b, "END:%s\r\n", component);
}

/* Whether the later time may stand beside the earlier: same kind, and
 * basic format sorts as text. */
static int
ordered(int k1, const char *t1, int k2, const char *t2)
{
	return k1 == k2 && strcmp(t1, t2) < 0;
}

void
crm_ical_event(struct crm_buf *b, const struct crm_ical_item *it)
{
	char start[CRM_FOLD_DATE_MAX], end[CRM_FOLD_DATE_MAX];
	int ks, ke;

	ks = crm_fold_date(it->start, start);
	if (!present(it->uid) || ks == 0)
		return;
	ke = crm_fold_date(it->end, end);
	if (ke != 0 && !ordered(ks, start, ke, end))
		ke = 0;
	put_head(b, "VEVENT", it);
	if (present(it->rrule)) {
		put_zoned(b, "DTSTART", ks, start, it->zone);
		if (ke != 0)
			put_zoned(b, "DTEND", ke, end, it->zone);
		crm_fold_line(b, "RRULE", it->rrule);
		if (present(it->exdate))
			crm_fold_line(b, "EXDATE", it->exdate);
	} else {
		put_time(b, "DTSTART", ks, start);
		if (ke != 0)
			put_time(b, "DTEND", ke, end);
	}
	put_tail(b, "VEVENT", it);
}

void
crm_ical_todo(struct crm_buf *b, const struct crm_ical_item *it)
{
	char start[CRM_FOLD_DATE_MAX], due[CRM_FOLD_DATE_MAX];
	int ks, kd;

	if (!present(it->uid))
		return;
	ks = crm_fold_date(it->start, start);
	kd = crm_fold_date(it->due, due);
	if (ks != 0 && kd != 0 && !ordered(ks, start, kd, due))
		ks = 0;
	put_head(b, "VTODO", it);
	if (ks != 0)
		put_time(b, "DTSTART", ks, start);
	if (kd != 0)
		put_time(b, "DUE", kd, due);
	crm_buf_puts(b, it->done ? "STATUS:COMPLETED\r\n" : "STATUS:NEEDS-ACTION\r\n");
	put_tail(b, "VTODO", it);
}
