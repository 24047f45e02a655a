/* Business hours arithmetic. Each local day is turned into its working
 * spans as UTC intervals (converting each opening and closing through the
 * zone, since a DST change moves them), then walked day by day: simple,
 * and a year of days is a few thousand offset look-ups. */
#include <stdio.h>
#include <string.h>

#include "crm_bizhours.h"
#include "crm_i18n.h"

#define DAY 86400
#define WALK_DAYS (366 * 10)

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Howard Hinnant's days_from_civil. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

static int
month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

int
crm_biz_date(const char *s, int32_t *day)
{
	int y, m, d;

	if (s == NULL || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > month_days(y, m))
		return 0;
	*day = (int32_t)days_from_civil(y, m, d);
	return 1;
}

int
crm_biz_parse_utc(const char *s, int64_t *t)
{
	int32_t day;
	int hh, mm, ss;

	if (!crm_biz_date(s, &day) || (s[10] != ' ' && s[10] != 'T') || !digits(s + 11, 2, &hh) ||
	    s[13] != ':' || !digits(s + 14, 2, &mm) || s[16] != ':' || !digits(s + 17, 2, &ss) ||
	    hh > 23 || mm > 59 || ss > 59)
		return 0;
	*t = (int64_t)day * DAY + hh * 3600 + mm * 60 + ss;
	return 1;
}

void
crm_biz_format_utc(int64_t t, char out[20])
{
	int64_t days = floor_div(t, DAY), y;
	int m, d;
	unsigned s;

	civil_from_days(days, &y, &m, &d);
	s = (unsigned)(t - days * DAY) % DAY;
	snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y),
	    (unsigned)m % 13, (unsigned)d % 32, s / 3600 % 24, s / 60 % 60, s % 60);
}

void
crm_biz_init(struct crm_bizhours *b, const char *zone)
{
	memset(b, 0, sizeof(*b));
	if (zone != NULL)
		snprintf(b->zone, sizeof(b->zone), "%s", zone);
}

int
crm_biz_add_span(struct crm_bizhours *b, int wd, int opens, int closes)
{
	struct crm_biz_span *sp;
	int n, i, j;

	if (wd < 1 || wd > 7 || opens < 0 || closes > 1440 || opens >= closes || b->nspans[wd] >= CRM_BIZ_SPANS)
		return 0;
	sp = b->spans[wd];
	n = b->nspans[wd];
	for (i = 0; i < n; i++)
		if (opens < sp[i].closes && sp[i].opens < closes)
			return 0;
	for (i = 0; i < n && sp[i].opens < opens; i++)
		;
	for (j = n; j > i; j--)
		sp[j] = sp[j - 1];
	sp[i].opens = opens;
	sp[i].closes = closes;
	b->nspans[wd] = n + 1;
	return 1;
}

static int
is_holiday(const struct crm_bizhours *b, int64_t day)
{
	size_t lo = 0, hi = b->nholidays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->holidays[mid] == day)
			return 1;
		if (b->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
crm_biz_add_holiday(struct crm_bizhours *b, const char *date)
{
	int32_t day;
	size_t i;

	if (!crm_biz_date(date, &day))
		return 0;
	if (is_holiday(b, day))
		return 1;
	if (b->nholidays >= CRM_BIZ_HOLIDAYS)
		return 0;
	for (i = b->nholidays; i > 0 && b->holidays[i - 1] > day; i--)
		b->holidays[i] = b->holidays[i - 1];
	b->holidays[i] = day;
	b->nholidays++;
	return 1;
}

/* A local wall-clock second count as UTC: the offset at the guess,
 * checked once more as crm_i18n_local_to_utc does. */
static int64_t
local_to_utc(const struct crm_bizhours *b, int64_t local)
{
	long off = crm_i18n_zone_offset(b->zone, local);
	long off2 = crm_i18n_zone_offset(b->zone, local - off);

	return local - (off2 != off ? off2 : off);
}

static int64_t
local_day(const struct crm_bizhours *b, int64_t t)
{
	return floor_div(t + crm_i18n_zone_offset(b->zone, t), DAY);
}

static int
weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (ISO 4). */
	return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

/* Day day's working spans as UTC intervals; how many. */
static int
day_spans(const struct crm_bizhours *b, int64_t day, int64_t from[], int64_t to[])
{
	int wd = weekday(day), i;

	if (b->nspans[wd] == 0 || is_holiday(b, day))
		return 0;
	for (i = 0; i < b->nspans[wd]; i++) {
		from[i] = local_to_utc(b, day * DAY + b->spans[wd][i].opens * 60);
		to[i] = local_to_utc(b, day * DAY + b->spans[wd][i].closes * 60);
	}
	return b->nspans[wd];
}

int
crm_biz_add(const struct crm_bizhours *b, int64_t start, long minutes, int64_t *due)
{
	int64_t left = (int64_t)minutes * 60, from[CRM_BIZ_SPANS], to[CRM_BIZ_SPANS], day, lo;
	int n, i, k;

	if (minutes <= 0) {
		*due = start;
		return 1;
	}
	/* From the day before: a span of the previous local day may still run. */
	day = local_day(b, start) - 1;
	for (k = 0; k < WALK_DAYS; k++, day++) {
		n = day_spans(b, day, from, to);
		for (i = 0; i < n; i++) {
			if (to[i] <= start)
				continue;
			lo = from[i] > start ? from[i] : start;
			if (to[i] - lo >= left) {
				*due = lo + left;
				return 1;
			}
			left -= to[i] - lo;
		}
	}
	return 0;
}

long
crm_biz_between(const struct crm_bizhours *b, int64_t start, int64_t end)
{
	int64_t secs = 0, from[CRM_BIZ_SPANS], to[CRM_BIZ_SPANS], day, last, lo, hi;
	int n, i;

	if (end <= start)
		return 0;
	last = local_day(b, end);
	for (day = local_day(b, start) - 1; day <= last; day++) {
		n = day_spans(b, day, from, to);
		for (i = 0; i < n; i++) {
			lo = from[i] > start ? from[i] : start;
			hi = to[i] < end ? to[i] : end;
			if (hi > lo)
				secs += hi - lo;
		}
	}
	return (long)(secs / 60);
}
