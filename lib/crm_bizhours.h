/* Business hours: a working calendar (opening spans per ISO weekday in
 * local time, holidays, an IANA zone) and arithmetic on it, for SLA due
 * times. Pure computation: the caller loads the calendar. Instants are
 * unix seconds (UTC); local times go through the tz database as
 * crm_i18n reads it, so days of 23 or 25 hours come out right. */
#ifndef CRM_BIZHOURS_H
#define CRM_BIZHOURS_H

#include <stddef.h>
#include <stdint.h>

#define CRM_BIZ_SPANS 4                 /* spans a day at most */
#define CRM_BIZ_HOLIDAYS 1024           /* holidays a calendar keeps at most */

struct crm_biz_span {
	int opens, closes;              /* minutes after local midnight, 0..1440 */
};

struct crm_bizhours {
	char zone[65];                  /* "" is UTC */
	int nspans[8];                  /* [1] Monday .. [7] Sunday; [0] unused */
	struct crm_biz_span spans[8][CRM_BIZ_SPANS];    /* each day's, ascending */
	int32_t holidays[CRM_BIZ_HOLIDAYS];             /* local dates, days since 1970-01-01, ascending */
	size_t nholidays;
};

/* An empty calendar in zone (NULL: UTC): no hours, no holidays. */
void crm_biz_init(struct crm_bizhours *, const char *zone);
/* Adds a span [opens, closes) in minutes to an ISO weekday (1..7); 0 when
 * the day is full, the span is empty or out of the day, or it overlaps one
 * already there. Spans may be added in any order. */
int crm_biz_add_span(struct crm_bizhours *, int weekday, int opens, int closes);
/* Adds a holiday "YYYY-MM-DD"; 0 when malformed or the list is full.
 * Any order; duplicates are kept once. */
int crm_biz_add_holiday(struct crm_bizhours *, const char *date);
/* "YYYY-MM-DD" as days since 1970-01-01; 0 when not a real date. */
int crm_biz_date(const char *date, int32_t *day);

/* The instant minutes business minutes after start: *due. minutes <= 0
 * gives start itself. A due time that falls on a closing time stays
 * there (the work is due by closing, not at the next opening). 0 when the
 * calendar has no working time within ten years of start. */
int crm_biz_add(const struct crm_bizhours *, int64_t start, long minutes, int64_t *due);
/* The business minutes (rounded down) between two instants; 0 when to
 * is not after from. */
long crm_biz_between(const struct crm_bizhours *, int64_t from, int64_t to);

/* "YYYY-MM-DD HH:MM:SS" (UTC, as the database keeps it) <-> unix seconds. */
int crm_biz_parse_utc(const char *s, int64_t *t);
void crm_biz_format_utc(int64_t t, char out[20]);

#endif
