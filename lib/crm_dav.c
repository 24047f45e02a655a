/* iCalendar and vCard readers for CalDAV and CardDAV. Both formats are
 * content lines (RFC 5545 3.1, RFC 6350 3.2): folded lines are unfolded
 * first, then each is NAME *(;PARAM) : VALUE, with an optional "group."
 * before a vCard name. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "crm_dav.h"
#include "crm_i18n.h"
#include "crm_req.h"

struct line {
	char *name;     /* upper case, group removed */
	char *params;   /* ";..." as sent, or "" */
	char *value;
};

struct lines {
	struct line *v;
	size_t n;
};

static int
name_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '-';
}

/* One logical line: [group.]NAME, params up to the first ':' outside
 * quotes, then the value. */
static enum crm_err
split_line(char *s, struct line *l)
{
	char *p = s;
	int quoted = 0;

	while (name_char(*p))
		p++;
	if (*p == '.' && p > s) {
		s = ++p;
		while (name_char(*p))
			p++;
	}
	if (p == s || (*p != ';' && *p != ':'))
		return CRM_EINVAL;
	l->name = s;
	if (*p == ':') {
		*p = '\0';
		l->params = p;
	} else {
		*p++ = '\0';
		l->params = p;
		for (; *p && (quoted || *p != ':'); p++) {
			if (*p == '"')
				quoted = !quoted;
			else if ((unsigned char)*p < 0x20 && *p != '\t')
				return CRM_EINVAL;
		}
		if (*p != ':')
			return CRM_EINVAL;
		*p = '\0';
	}
	l->value = p + 1;
	for (p = l->name; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	for (p = l->value; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return CRM_EINVAL;
	return CRM_OK;
}

/* Unfolds CRLF (or bare LF) followed by a space or a tab, and splits. */
static enum crm_err
read_lines(struct crm_arena *a, const char *buf, size_t len, struct lines *out)
{
	char *text = crm_arena_alloc(a, len + 1), *cur;
	size_t i, n = 0, cap = 64, start;
	enum crm_err e;

	if (len == 0 || memchr(buf, '\0', len) != NULL || !crm_utf8_valid(buf, len))
		return CRM_EINVAL;
	out->v = crm_arena_alloc(a, cap * sizeof(*out->v));
	out->n = 0;
	for (i = 0; i < len; i++) {
		if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
			continue;
		if (buf[i] == '\n' && i + 1 < len && (buf[i + 1] == ' ' || buf[i + 1] == '\t')) {
			i++;    /* a fold: the break and one white space go */
			continue;
		}
		if (buf[i] == '\r')
			return CRM_EINVAL;
		text[n++] = buf[i];
	}
	text[n] = '\0';
	for (start = 0, cur = text; start < n; ) {
		char *nl = strchr(cur, '\n');
		size_t l = nl ? (size_t)(nl - cur) : strlen(cur);

		cur[l] = '\0';
		if (l > 0) {
			if (out->n == CRM_DAV_MAX_LINES)
				return CRM_ETOOBIG;
			if (out->n == cap) {
				struct line *v = crm_arena_alloc(a, 2 * cap * sizeof(*v));

				memcpy(v, out->v, cap * sizeof(*v));
				out->v = v;
				cap *= 2;
			}
			if ((e = split_line(cur, &out->v[out->n])) != CRM_OK)
				return e;
			out->n++;
		}
		start += l + 1;
		cur += l + 1;
	}
	return out->n ? CRM_OK : CRM_EINVAL;
}

/* A parameter's value ("TZID", "VALUE", "TYPE"), quotes removed, or NULL.
 * vCard 3.0's bare "CELL" (TYPE left out) counts as TYPE=CELL. */
static const char *
param(struct crm_arena *a, const char *params, const char *name)
{
	size_t nl = strlen(name);
	const char *p = params;

	while (p && *p) {
		const char *end = p;
		int quoted = 0;

		while (*end && (quoted || *end != ';')) {
			if (*end == '"')
				quoted = !quoted;
			end++;
		}
		if ((size_t)(end - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t vl = (size_t)(end - v);

			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
				v++, vl -= 2;
			return crm_arena_strndup(a, v, vl);
		}
		if (strcmp(name, "TYPE") == 0 && memchr(p, '=', (size_t)(end - p)) == NULL)
			return crm_arena_strndup(a, p, (size_t)(end - p));
		p = *end ? end + 1 : NULL;
	}
	return NULL;
}

/* TEXT (RFC 5545 3.3.11): \n \N \, \; \\ unescaped. */
static const char *
text(struct crm_arena *a, const char *v)
{
	char *out = crm_arena_alloc(a, strlen(v) + 1), *o = out;

	for (; *v; v++) {
		if (*v == '\\' && v[1]) {
			v++;
			*o++ = (*v == 'n' || *v == 'N') ? '\n' : *v;
		} else
			*o++ = *v;
	}
	*o = '\0';
	return out;
}

/* The i-th ';'-separated component of a compound value, unescaped. */
static const char *
component(struct crm_arena *a, const char *v, int i)
{
	const char *p = v, *end;

	for (; i > 0; i--) {
		while (*p && !(*p == ';' && (p == v || p[-1] != '\\')))
			p++;
		if (*p == '\0')
			return "";
		p++;
	}
	for (end = p; *end && !(*end == ';' && (end == p || end[-1] != '\\')); end++)
		;
	return text(a, crm_arena_strndup(a, p, (size_t)(end - p)));
}

static int
zone_exists(const char *tzid)
{
	char path[160];
	size_t n = strlen(tzid);

	if (n == 0 || n > 64 || strstr(tzid, "..") || tzid[0] == '/' ||
	    strspn(tzid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != n)
		return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tzid);
	return access(path, R_OK) == 0;
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* DATE (YYYYMMDD) or DATE-TIME (YYYYMMDDTHHMMSS[Z]) into UTC; *used (when
 * not NULL) is the zone it was read in, "UTC" for a Z. */
static int
when_in(struct crm_arena *a, const struct line *l, const char *zone, char out[20], int *date_only,
    const char **used)
{
	const char *v = l->value, *tzid = param(a, l->params, "TZID");
	char local[20];
	struct tm tm;
	size_t n = strlen(v);

	*date_only = 0;
	if (n == 8 && digits(v, 8)) {
		*date_only = 1;
		snprintf(local, sizeof(local), "%.4s-%.2s-%.2sT00:00:00", v, v + 4, v + 6);
	} else if ((n == 15 || (n == 16 && v[15] == 'Z')) && digits(v, 8) && v[8] == 'T' &&
	    digits(v + 9, 6)) {
		snprintf(local, sizeof(local), "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", v, v + 4, v + 6,
		    v + 9, v + 11, v + 13);
		if (n == 16)
			zone = "UTC";
		else if (tzid != NULL && zone_exists(tzid))
			zone = tzid;
	} else
		return 0;
	memset(&tm, 0, sizeof(tm));
	/* Reject 20261399: the zone conversion would roll it over. */
	if (sscanf(local, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60 || tm.tm_year < 1900 || tm.tm_year > 9999)
		return 0;
	{
		struct tm chk = tm;

		chk.tm_year -= 1900;
		chk.tm_mon -= 1;
		timegm(&chk);
		if (chk.tm_mday != tm.tm_mday)
			return 0;
	}
	if (used != NULL)
		*used = zone;
	return crm_i18n_local_to_utc(local, zone, out);
}

static int
when(struct crm_arena *a, const struct line *l, const char *zone, char out[20], int *date_only)
{
	return when_in(a, l, zone, out, date_only, NULL);
}

/* An RRULE's value (RFC 5545 3.3.10), such as FREQ=WEEKLY;BYDAY=MO, in
 * upper case (its names and values are case-insensitive); NULL unless only
 * what may appear in one is there. */
static const char *
rrule_of(struct crm_arena *a, const char *v)
{
	char *u = crm_arena_strdup(a, v), *p;
	size_t n = strlen(u);

	for (p = u; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	if (n <= 5 || n > CRM_DAV_MAX_RRULE || strncmp(u, "FREQ=", 5) != 0 ||
	    strspn(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=;,:+-") != n)
		return NULL;
	return u;
}

/* Each time of an EXDATE line, as UTC basic format, onto list. */
static int
exdates(struct crm_arena *a, const struct line *l, const char *zone, struct crm_buf *list, int *count)
{
	char *v = crm_arena_strdup(a, l->value), *save = NULL, *t, utc[20];
	struct line one = *l;
	int date_only;

	for (t = strtok_r(v, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		one.value = t;
		if (++*count > CRM_DAV_MAX_EXDATES || !when(a, &one, zone, utc, &date_only))
			return 0;
		crm_buf_printf(list, "%s%.4s%.2s%.2sT%.2s%.2s%.2sZ", list->len ? "," : "", utc, utc + 5,
		    utc + 8, utc + 11, utc + 14, utc + 17);
	}
	return 1;
}

/* DURATION (RFC 5545 3.3.6) in seconds: [+]P nW or P[nD][T[nH][nM][nS]]. */
static long long
duration(const char *v)
{
	long long total = 0, n;
	int in_time = 0, any = 0;

	if (*v == '+')
		v++;
	if (*v++ != 'P')
		return -1;
	while (*v) {
		if (*v == 'T') {
			in_time = 1;
			v++;
			continue;
		}
		for (n = 0; *v >= '0' && *v <= '9'; v++) {
			n = n * 10 + (*v - '0');
			if (n > 100000000)
				return -1;
		}
		switch (*v) {
		case 'W': total += n * 604800; break;
		case 'D': total += n * 86400; break;
		case 'H': if (!in_time) return -1; total += n * 3600; break;
		case 'M': if (!in_time) return -1; total += n * 60; break;
		case 'S': if (!in_time) return -1; total += n; break;
		default: return -1;
		}
		any = 1;
		v++;
	}
	return any ? total : -1;
}

static int
add_seconds(const char *utc, long long secs, char out[20])
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(utc, "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) + (time_t)secs;
	gmtime_r(&t, &tm);
	if (tm.tm_year + 1900 > 9999)
		return 0;
	return strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm) == 19;
}

enum crm_err
crm_dav_parse_ical(struct crm_arena *a, const char *buf, size_t len, const char *zone,
    struct crm_dav_event *ev)
{
	struct lines ls;
	enum crm_err e;
	size_t i;
	int depth = 0, in_item = 0, seen_item = 0, date_only, have_end = 0, nexdates = 0;
	long long dur = -1;
	const char *start_zone = "UTC";
	struct crm_buf ex;

	memset(ev, 0, sizeof(*ev));
	ev->uid = ev->summary = ev->description = ev->location = ev->rrule = "";
	crm_buf_init(&ex, a, 64);
	if ((e = read_lines(a, buf, len, &ls)) != CRM_OK)
		return e;
	if (strcmp(ls.v[0].name, "BEGIN") != 0 || strcasecmp(ls.v[0].value, "VCALENDAR") != 0 ||
	    strcmp(ls.v[ls.n - 1].name, "END") != 0 || strcasecmp(ls.v[ls.n - 1].value, "VCALENDAR") != 0)
		return CRM_EINVAL;
	for (i = 0; i < ls.n; i++) {
		const struct line *l = &ls.v[i];

		if (strcmp(l->name, "BEGIN") == 0) {
			if (++depth > 8)
				return CRM_EINVAL;
			if (depth == 2 && (strcasecmp(l->value, "VEVENT") == 0 ||
			    strcasecmp(l->value, "VTODO") == 0)) {
				int todo = strcasecmp(l->value, "VTODO") == 0;

				/* Further instances (RECURRENCE-ID overrides) of the
				 * same item: only the first is kept. */
				if (seen_item) {
					if (todo != ev->todo)
						return CRM_EINVAL;
					ev->recurring = 1;
				} else {
					in_item = 1;
					ev->todo = todo;
				}
			}
			continue;
		}
		if (strcmp(l->name, "END") == 0) {
			if (depth == 2 && in_item) {
				in_item = 0;
				seen_item = 1;
			}
			if (--depth < 0)
				return CRM_EINVAL;
			if (depth == 0 && i != ls.n - 1)
				return CRM_EINVAL;
			continue;
		}
		if (!in_item || depth != 2)
			continue;
		if (strcmp(l->name, "UID") == 0)
			ev->uid = text(a, l->value);
		else if (strcmp(l->name, "SUMMARY") == 0)
			ev->summary = text(a, l->value);
		else if (strcmp(l->name, "DESCRIPTION") == 0)
			ev->description = text(a, l->value);
		else if (strcmp(l->name, "LOCATION") == 0)
			ev->location = text(a, l->value);
		else if (strcmp(l->name, "DTSTART") == 0) {
			if (!when_in(a, l, zone, ev->start, &date_only, &start_zone))
				return CRM_EINVAL;
			ev->all_day = date_only;
		} else if (strcmp(l->name, "DTEND") == 0) {
			if (!when(a, l, zone, ev->end, &date_only))
				return CRM_EINVAL;
			have_end = 1;
		} else if (strcmp(l->name, "DUE") == 0) {
			if (!when(a, l, zone, ev->due, &date_only))
				return CRM_EINVAL;
		} else if (strcmp(l->name, "DURATION") == 0) {
			if ((dur = duration(l->value)) < 0)
				return CRM_EINVAL;
		} else if (strcmp(l->name, "STATUS") == 0) {
			ev->completed = strcasecmp(l->value, "COMPLETED") == 0;
		} else if (strcmp(l->name, "COMPLETED") == 0) {
			ev->completed = 1;
		} else if (strcmp(l->name, "RRULE") == 0) {
			const char *r = rrule_of(a, l->value);

			if (r == NULL)
				return CRM_EINVAL;
			if (!ev->rrule[0])
				ev->rrule = r;
			ev->recurring = 1;
		} else if (strcmp(l->name, "EXDATE") == 0) {
			if (!exdates(a, l, zone, &ex, &nexdates))
				return CRM_EINVAL;
		} else if (strcmp(l->name, "RDATE") == 0)
			ev->recurring = 1;
	}
	ev->exdate = ex.len ? ex.data : "";
	ev->zone = start_zone == NULL || strcmp(start_zone, "UTC") == 0 ? "" : crm_arena_strdup(a, start_zone);
	if (depth != 0 || !seen_item || ev->uid[0] == '\0' || strlen(ev->uid) > 255)
		return CRM_EINVAL;
	if (!ev->todo && ev->start[0] == '\0')
		return CRM_EINVAL;      /* RFC 5545 3.6.1: required in a calendar collection */
	if (!have_end && dur >= 0 && ev->start[0] && !add_seconds(ev->start, dur, ev->end))
		return CRM_EINVAL;
	return CRM_OK;
}

enum crm_err
crm_dav_parse_vcard(struct crm_arena *a, const char *buf, size_t len, struct crm_dav_card *card)
{
	struct lines ls;
	enum crm_err e;
	size_t i;
	int have_name = 0;

	memset(card, 0, sizeof(*card));
	card->uid = card->full_name = card->family = card->given = card->title = card->org = "";
	card->email = card->email2 = card->phone = card->mobile = "";
	if ((e = read_lines(a, buf, len, &ls)) != CRM_OK)
		return e;
	if (strcmp(ls.v[0].name, "BEGIN") != 0 || strcasecmp(ls.v[0].value, "VCARD") != 0 ||
	    strcmp(ls.v[ls.n - 1].name, "END") != 0 || strcasecmp(ls.v[ls.n - 1].value, "VCARD") != 0)
		return CRM_EINVAL;
	for (i = 1; i + 1 < ls.n; i++) {
		const struct line *l = &ls.v[i];

		if (strcmp(l->name, "BEGIN") == 0 || strcmp(l->name, "END") == 0)
			return CRM_EINVAL;      /* one card, not nested or several */
		if (strcmp(l->name, "UID") == 0)
			card->uid = text(a, l->value);
		else if (strcmp(l->name, "FN") == 0) {
			card->full_name = text(a, l->value);
			have_name = 1;
		} else if (strcmp(l->name, "N") == 0) {
			card->family = component(a, l->value, 0);
			card->given = component(a, l->value, 1);
			have_name = 1;
		} else if (strcmp(l->name, "TITLE") == 0)
			card->title = text(a, l->value);
		else if (strcmp(l->name, "ORG") == 0)
			card->org = component(a, l->value, 0);
		else if (strcmp(l->name, "EMAIL") == 0) {
			const char *v = text(a, l->value);

			if (strncasecmp(v, "mailto:", 7) == 0)
				v += 7;
			if (card->email[0] == '\0')
				card->email = v;
			else if (card->email2[0] == '\0')
				card->email2 = v;
		} else if (strcmp(l->name, "TEL") == 0) {
			const char *type = param(a, l->params, "TYPE"), *v = l->value;
			int cell = type != NULL && (strcasestr(type, "cell") != NULL);

			if (strncasecmp(v, "tel:", 4) == 0)
				v += 4;
			else
				v = text(a, v);
			if (cell && card->mobile[0] == '\0')
				card->mobile = v;
			else if (!cell && card->phone[0] == '\0')
				card->phone = v;
		}
	}
	if (!have_name || strlen(card->uid) > 255)
		return CRM_EINVAL;
	return CRM_OK;
}

void
crm_dav_ical_begin(struct crm_buf *b)
{
	crm_buf_puts(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CRM//CRM " CRM_VERSION
	    "//EN\r\nCALSCALE:GREGORIAN\r\n");
}
