/* libFuzzer target for the CalDAV and CardDAV readers (crm_dav.c).
 * Whatever the input, they return; an accepted calendar has a UID of at
 * most 255 bytes and times that are "" or a UTC "YYYY-MM-DD HH:MM:SS";
 * and every string read is UTF-8 text. The
 * first byte picks the zone and the reader, so both see every input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm_arena.h"
#include "crm_dav.h"
#include "crm_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
text(const char *s)
{
	if (s == NULL || !crm_utf8_valid(s, strlen(s)))
		abort();
}

static void
stamp(const char *s)
{
	size_t n = strlen(s);

	if (n != 0 && (n != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
	    s[16] != ':'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const zones[] = { "UTC", "Asia/Shanghai", "America/New_York", "" };
	struct crm_arena *a;
	struct crm_dav_event ev;
	struct crm_dav_card card;

	if (size == 0)
		return 0;
	a = crm_arena_new(4096);
	if (crm_dav_parse_ical(a, (const char *)data + 1, size - 1, zones[data[0] % 4], &ev) == CRM_OK) {
		if (ev.uid[0] == '\0' || strlen(ev.uid) > 255)
			abort();
		text(ev.uid);
		text(ev.summary);
		text(ev.description);
		text(ev.location);
		stamp(ev.start);
		stamp(ev.end);
		stamp(ev.due);
		if (!ev.todo && ev.start[0] == '\0')
			abort();
	}
	if (crm_dav_parse_vcard(a, (const char *)data + 1, size - 1, &card) == CRM_OK) {
		text(card.uid);
		text(card.full_name);
		text(card.family);
		text(card.given);
		text(card.title);
		text(card.org);
		text(card.email);
		text(card.email2);
		text(card.phone);
		text(card.mobile);
	}
	crm_arena_free(a);
	return 0;
}
