/* iCalendar and vCard readers for CalDAV and CardDAV: what real clients
 * send (folded lines, TZIDs, DURATION, vCard 3.0 and 4.0, groups, quoted
 * parameters) and what must be refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crm_arena.h"
#include "crm_buf.h"
#include "crm_dav.h"
#include "crm_ical.h"
#include "crm_vcard.h"

static struct crm_arena *arena;

static int
setup(void **state)
{
	(void)state;
	arena = crm_arena_new(16384);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	crm_arena_free(arena);
	return 0;
}

static enum crm_err
ical(const char *text, const char *zone, struct crm_dav_event *ev)
{
	return crm_dav_parse_ical(arena, text, strlen(text), zone, ev);
}

static enum crm_err
vcard(const char *text, struct crm_dav_card *card)
{
	return crm_dav_parse_vcard(arena, text, strlen(text), card);
}

#define CAL(body) "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" body "END:VCALENDAR\r\n"

static void
test_event_utc(void **state)
{
	struct crm_dav_event ev;

	(void)state;
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:abc@phone\r\nDTSTAMP:20261101T000000Z\r\n"
	    "DTSTART:20261201T100000Z\r\nDTEND:20261201T113000Z\r\nSUMMARY:Meet Ann\\, Bo\\; and \\\\ co\r\n"
	    "DESCRIPTION:Line one\\nLine two\r\nLOCATION:Room 1\r\nEND:VEVENT\r\n"), "Asia/Shanghai", &ev), CRM_OK);
	assert_false(ev.todo);
	assert_string_equal(ev.uid, "abc@phone");
	assert_string_equal(ev.summary, "Meet Ann, Bo; and \\ co");
	assert_string_equal(ev.description, "Line one\nLine two");
	assert_string_equal(ev.location, "Room 1");
	assert_string_equal(ev.start, "2026-12-01 10:00:00");
	assert_string_equal(ev.end, "2026-12-01 11:30:00");
	assert_false(ev.recurring);
}

static void
test_event_zones(void **state)
{
	struct crm_dav_event ev;

	(void)state;
	/* A TZID that is a real zone; DURATION instead of DTEND. */
	assert_int_equal(ical(CAL("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\n"
	    "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nEND:STANDARD\r\n"
	    "END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:z1\r\nDTSTART;TZID=Asia/Shanghai:20261201T153000\r\n"
	    "DURATION:PT1H15M\r\nSUMMARY:x\r\nEND:VEVENT\r\n"), "UTC", &ev), CRM_OK);
	assert_string_equal(ev.start, "2026-12-01 07:30:00");
	assert_string_equal(ev.end, "2026-12-01 08:45:00");
	/* Floating time, and a TZID that is no zone (Outlook's names): the
	 * user's zone. */
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:z2\r\nDTSTART:20260701T090000\r\n"
	    "END:VEVENT\r\n"), "Europe/London", &ev), CRM_OK);
	assert_string_equal(ev.start, "2026-07-01 08:00:00");
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:z3\r\n"
	    "DTSTART;TZID=\"W. Europe Standard Time\":20260701T090000\r\nEND:VEVENT\r\n"), "Europe/Berlin", &ev), CRM_OK);
	assert_string_equal(ev.start, "2026-07-01 07:00:00");
	/* An all-day event: the day's midnight in the user's zone; P1D. */
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:z4\r\nDTSTART;VALUE=DATE:20261224\r\n"
	    "DURATION:P1D\r\nEND:VEVENT\r\n"), "Asia/Shanghai", &ev), CRM_OK);
	assert_true(ev.all_day);
	assert_string_equal(ev.start, "2026-12-23 16:00:00");
	assert_string_equal(ev.end, "2026-12-24 16:00:00");
	/* A path in a TZID is never read as a file. */
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:z5\r\nDTSTART;TZID=../../etc/passwd:20260701T090000\r\n"
	    "END:VEVENT\r\n"), "UTC", &ev), CRM_OK);
	assert_string_equal(ev.start, "2026-07-01 09:00:00");
}

static void
test_folding_and_lf(void **state)
{
	struct crm_dav_event ev;

	(void)state;
	/* Folded with a space and with a tab; bare LF line ends. */
	assert_int_equal(ical("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:fold\nSUMMARY:A long\n  summary \n\tfolded\n"
	    "DTSTART:20261201T100000Z\nEND:VEVENT\nEND:VCALENDAR\n", "UTC", &ev), CRM_OK);
	assert_string_equal(ev.summary, "A long summary folded");
}

static void
test_todo(void **state)
{
	struct crm_dav_event ev;

	(void)state;
	assert_int_equal(ical(CAL("BEGIN:VTODO\r\nUID:t1\r\nSUMMARY:Call back\r\nDUE:20261203T090000Z\r\n"
	    "STATUS:COMPLETED\r\nCOMPLETED:20261202T080000Z\r\nEND:VTODO\r\n"), "UTC", &ev), CRM_OK);
	assert_true(ev.todo);
	assert_true(ev.completed);
	assert_string_equal(ev.due, "2026-12-03 09:00:00");
	assert_string_equal(ev.start, "");
	assert_int_equal(ical(CAL("BEGIN:VTODO\r\nUID:t2\r\nSUMMARY:Open\r\nSTATUS:NEEDS-ACTION\r\n"
	    "END:VTODO\r\n"), "UTC", &ev), CRM_OK);
	assert_false(ev.completed);
}

static void
test_recurring(void **state)
{
	struct crm_dav_event ev;

	(void)state;
	/* An RRULE, then an overridden instance: the first is kept. */
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:r1\r\nSUMMARY:Weekly\r\nDTSTART:20261201T100000Z\r\n"
	    "RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:r1\r\nRECURRENCE-ID:20261208T100000Z\r\n"
	    "SUMMARY:Moved\r\nDTSTART:20261208T110000Z\r\nEND:VEVENT\r\n"), "UTC", &ev), CRM_OK);
	assert_true(ev.recurring);
	assert_string_equal(ev.summary, "Weekly");
	assert_string_equal(ev.start, "2026-12-01 10:00:00");
	assert_string_equal(ev.rrule, "FREQ=WEEKLY");
	assert_string_equal(ev.exdate, "");
	assert_string_equal(ev.zone, "");
	/* In a zone: the rule (in upper case) and the deleted dates in UTC,
	 * from a TZID and from a Z; the zone DTSTART was read in. */
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:r2\r\nDTSTART;TZID=Europe/Berlin:20270301T100000\r\n"
	    "RRULE:freq=weekly;byday=MO;count=6\r\nEXDATE;TZID=Europe/Berlin:20270315T100000,20270329T100000\r\n"
	    "EXDATE:20270405T080000Z\r\nEND:VEVENT\r\n"), "UTC", &ev), CRM_OK);
	assert_string_equal(ev.start, "2027-03-01 09:00:00");
	assert_string_equal(ev.rrule, "FREQ=WEEKLY;BYDAY=MO;COUNT=6");
	assert_string_equal(ev.exdate, "20270315T090000Z,20270329T080000Z,20270405T080000Z");
	assert_string_equal(ev.zone, "Europe/Berlin");
	/* Floating: read in the user's zone, which is the series' zone. */
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:r3\r\nDTSTART:20270301T100000\r\n"
	    "RRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\n"), "Asia/Shanghai", &ev), CRM_OK);
	assert_string_equal(ev.zone, "Asia/Shanghai");
	assert_string_equal(ev.start, "2027-03-01 02:00:00");
	/* What no rule has, or a bad EXDATE, refuses the whole object. */
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:r4\r\nDTSTART:20270301T100000Z\r\n"
	    "RRULE:FREQ=DAILY;X=<b>\r\nEND:VEVENT\r\n"), "UTC", &ev), CRM_EINVAL);
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:r5\r\nDTSTART:20270301T100000Z\r\n"
	    "RRULE:COUNT=2\r\nEND:VEVENT\r\n"), "UTC", &ev), CRM_EINVAL);
	assert_int_equal(ical(CAL("BEGIN:VEVENT\r\nUID:r6\r\nDTSTART:20270301T100000Z\r\n"
	    "RRULE:FREQ=DAILY\r\nEXDATE:2027-03-02\r\nEND:VEVENT\r\n"), "UTC", &ev), CRM_EINVAL);
}

static void
test_ical_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"not a calendar",
		CAL(""),                                                        /* no item */
		CAL("BEGIN:VEVENT\r\nDTSTART:20261201T100000Z\r\nEND:VEVENT\r\n"),     /* no UID */
		CAL("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"),                 /* event without start */
		CAL("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261301T100000Z\r\nEND:VEVENT\r\n"),    /* month 13 */
		CAL("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260231T100000Z\r\nEND:VEVENT\r\n"),    /* 31 February */
		CAL("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026-12-01\r\nEND:VEVENT\r\n"),
		CAL("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\nDURATION:1H\r\nEND:VEVENT\r\n"),
		CAL("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\n"),   /* unclosed */
		CAL("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\nEND:VEVENT\r\nBEGIN:VTODO\r\n"
		    "UID:y\r\nEND:VTODO\r\n"),                                  /* two kinds */
		CAL("BEGIN:VEVENT\r\nno colon here\r\nEND:VEVENT\r\n"),
		CAL("BEGIN:VEVENT\r\nUID:x\rDTSTART:20261201T100000Z\r\nEND:VEVENT\r\n"),   /* bare CR */
		"BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n",
		CAL("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\nEND:VEVENT\r\n") "BEGIN:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:\xff\xfe\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	};
	struct crm_dav_event ev;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ical(bad[i], "UTC", &ev) == CRM_OK)
			fail_msg("accepted bad calendar %zu", i);
	}
	/* A NUL inside. */
	assert_int_not_equal(crm_dav_parse_ical(arena, "BEGIN:VCALENDAR\0\r\n", 18, "UTC", &ev), CRM_OK);
}

static void
test_too_many_lines(void **state)
{
	struct crm_dav_event ev;
	struct crm_buf b;
	int i;

	(void)state;
	crm_buf_init(&b, arena, 1024);
	crm_buf_puts(&b, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\n");
	for (i = 0; i < CRM_DAV_MAX_LINES; i++)
		crm_buf_puts(&b, "X-A:b\r\n");
	crm_buf_puts(&b, "END:VEVENT\r\nEND:VCALENDAR\r\n");
	assert_int_equal(crm_dav_parse_ical(arena, b.data, b.len, "UTC", &ev), CRM_ETOOBIG);
}

/* What we write, we read back. */
static void
test_ical_round_trip(void **state)
{
	struct crm_ical_item it = { .uid = "activity-7@crm", .summary = "Review, Q4; \"plan\"",
	    .description = "Bring\nslides", .start = "2026-12-01 10:00:00", .end = "2026-12-01 11:00:00",
	    .stamp = "2026-11-29 10:00:00" };
	struct crm_dav_event ev;
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, arena, 512);
	crm_dav_ical_begin(&b);
	crm_ical_event(&b, &it);
	crm_ical_end(&b);
	assert_null(strstr(b.data, "METHOD:"));
	assert_int_equal(crm_dav_parse_ical(arena, b.data, b.len, "UTC", &ev), CRM_OK);
	assert_string_equal(ev.uid, it.uid);
	assert_string_equal(ev.summary, it.summary);
	assert_string_equal(ev.description, it.description);
	assert_string_equal(ev.start, it.start);
	assert_string_equal(ev.end, it.end);
}

static void
test_vcard4(void **state)
{
	struct crm_dav_card card;

	(void)state;
	assert_int_equal(vcard("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:1\r\nFN:Ann Lee\r\n"
	    "N:Lee;Ann;;;\r\nTITLE:Buyer\\, EMEA\r\nORG:Example Ltd;Sales\r\nEMAIL;PREF=1:ann@example.com\r\n"
	    "EMAIL:ann@example.org\r\nTEL;VALUE=uri;TYPE=\"work,voice\":tel:+86-10-1234-5678\r\n"
	    "TEL;VALUE=uri;TYPE=cell:tel:+8613800138000\r\nEND:VCARD\r\n", &card), CRM_OK);
	assert_string_equal(card.uid, "urn:uuid:1");
	assert_string_equal(card.full_name, "Ann Lee");
	assert_string_equal(card.family, "Lee");
	assert_string_equal(card.given, "Ann");
	assert_string_equal(card.title, "Buyer, EMEA");
	assert_string_equal(card.org, "Example Ltd");
	assert_string_equal(card.email, "ann@example.com");
	assert_string_equal(card.email2, "ann@example.org");
	assert_string_equal(card.phone, "+86-10-1234-5678");
	assert_string_equal(card.mobile, "+8613800138000");
}

static void
test_vcard3(void **state)
{
	struct crm_dav_card card;

	(void)state;
	/* vCard 3.0 as older phones write it: groups, bare types, folding,
	 * an escaped ';' inside a name part. */
	assert_int_equal(vcard("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Wang\\;Li;Bo;;;\r\nFN:Bo Wang\r\n"
	    "item1.EMAIL;type=INTERNET;type=pref:bo@exam\r\n ple.com\r\nTEL;CELL:+86 139 0000 0001\r\n"
	    "TEL;TYPE=WORK,VOICE:010 1234 5678\r\nEND:VCARD\r\n", &card), CRM_OK);
	assert_string_equal(card.family, "Wang;Li");
	assert_string_equal(card.given, "Bo");
	assert_string_equal(card.email, "bo@example.com");
	assert_string_equal(card.mobile, "+86 139 0000 0001");
	assert_string_equal(card.phone, "010 1234 5678");
	assert_string_equal(card.uid, "");
}

static void
test_vcard_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:x@example.com\r\nEND:VCARD\r\n",   /* no name */
		"BEGIN:VCARD\r\nFN:x\r\n",                                             /* unclosed */
		"BEGIN:VCARD\r\nFN:x\r\nBEGIN:VCARD\r\nFN:y\r\nEND:VCARD\r\nEND:VCARD\r\n",
		"BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:y\r\nEND:VCARD\r\n",
		"BEGIN:VCARD\r\n;FN:x\r\nEND:VCARD\r\n",
		"BEGIN:VCARD\r\nFN;X=\"unclosed:x\r\nEND:VCARD\r\n",
		"BEGIN:VCALENDAR\r\nFN:x\r\nEND:VCALENDAR\r\n",
	};
	struct crm_dav_card card;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vcard(bad[i], &card) == CRM_OK)
			fail_msg("accepted bad card %zu", i);
}

static void
test_vcard_round_trip(void **state)
{
	struct crm_vcard v = { .full_name = "李娜", .family = "李", .given = "娜", .title = "经理; 销售",
	    .emails = { "li@example.com" }, .phones = { "+86 10 1234 5678", "+86 138 0013 8000" },
	    .phone_types = { "work", "cell" }, .uid = "urn:crm:contact:9" };
	struct crm_dav_card card;
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, arena, 512);
	crm_vcard_write(&b, &v);
	assert_int_equal(crm_dav_parse_vcard(arena, b.data, b.len, &card), CRM_OK);
	assert_string_equal(card.full_name, "李娜");
	assert_string_equal(card.family, "李");
	assert_string_equal(card.given, "娜");
	assert_string_equal(card.title, "经理; 销售");
	assert_string_equal(card.email, "li@example.com");
	assert_string_equal(card.phone, "+861012345678");
	assert_string_equal(card.mobile, "+8613800138000");
	assert_string_equal(card.uid, "urn:crm:contact:9");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_utc),
		cmocka_unit_test(test_event_zones),
		cmocka_unit_test(test_folding_and_lf),
		cmocka_unit_test(test_todo),
		cmocka_unit_test(test_recurring),
		cmocka_unit_test(test_ical_refused),
		cmocka_unit_test(test_too_many_lines),
		cmocka_unit_test(test_ical_round_trip),
		cmocka_unit_test(test_vcard4),
		cmocka_unit_test(test_vcard3),
		cmocka_unit_test(test_vcard_refused),
		cmocka_unit_test(test_vcard_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
