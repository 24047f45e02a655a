/* iCalendar writer: calendar, events, todos, escaping, folding, dates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crm_buf.h"
#include "crm_fold.h"
#include "crm_ical.h"
#include "folded_lines.h"

static void
test_calendar(void **state)
{
	struct crm_ical_item ev = {
		.uid = "event-42@crm.example",
		.summary = "Quarterly review",
		.description = "Bring the numbers",
		.location = "Room 3",
		.start = "2026-11-29 10:15:00",
		.end = "2026-11-29 11:00:00",
		.stamp = "2026-11-01 08:00:00",
		.url = "https://crm.example/events/42?a=1,2",
	};
	struct crm_ical_item todo = {
		.uid = "task-7@crm.example",
		.summary = "Send the quote",
		.due = "2026-12-01 17:00:00.000000",
		.stamp = "2026-11-02 09:30:00",
	};
	struct crm_buf b;
	char *unfolded;

	(void)state;
	crm_buf_init(&b, NULL, 0);
	crm_ical_begin(&b, "Example CRM", "Ann's meetings");
	crm_ical_event(&b, &ev);
	crm_ical_todo(&b, &todo);
	todo.uid = "task-8@crm.example";
	todo.done = 1;
	todo.start = "2026-11-20 09:00:00";
	todo.due = NULL;
	crm_ical_todo(&b, &todo);
	crm_ical_end(&b);
	unfolded = check_lines(b.data);
	assert_string_equal(b.data,
	    "BEGIN:VCALENDAR\r\n"
	    "VERSION:2.0\r\n"
	    "PRODID:-//Example CRM//CRM " CRM_VERSION "//EN\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "METHOD:PUBLISH\r\n"
	    "X-WR-CALNAME:Ann's meetings\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:event-42@crm.example\r\n"
	    "DTSTAMP:20261101T080000Z\r\n"
	    "DTSTART:20261129T101500Z\r\n"
	    "DTEND:20261129T110000Z\r\n"
	    "SUMMARY:Quarterly review\r\n"
	    "DESCRIPTION:Bring the numbers\r\n"
	    "LOCATION:Room 3\r\n"
	    "URL:https://crm.example/events/42?a=1,2\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VTODO\r\n"
	    "UID:task-7@crm.example\r\n"
	    "DTSTAMP:20261102T093000Z\r\n"
	    "DUE:20261201T170000Z\r\n"
	    "STATUS:NEEDS-ACTION\r\n"
	    "SUMMARY:Send the quote\r\n"
	    "END:VTODO\r\n"
	    "BEGIN:VTODO\r\n"
	    "UID:task-8@crm.example\r\n"
	    "DTSTAMP:20261102T093000Z\r\n"
	    "DTSTART:20261120T090000Z\r\n"
	    "STATUS:COMPLETED\r\n"
	    "SUMMARY:Send the quote\r\n"
	    "END:VTODO\r\n"
	    "END:VCALENDAR\r\n");
	free(unfolded);
	crm_buf_release(&b);
}

static void
test_all_day_and_defaults(void **state)
{
	struct crm_ical_item ev = {
		.uid = "day-1",
		.start = "2026-12-24",
		.end = "2026-12-26",
		.stamp = "2026-11-01 08:00:00",
	};
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, NULL, 0);
	crm_ical_begin(&b, NULL, "");
	crm_ical_event(&b, &ev);
	assert_string_equal(b.data,
	    "BEGIN:VCALENDAR\r\n"
	    "VERSION:2.0\r\n"
	    "PRODID:-//crm//CRM " CRM_VERSION "//EN\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "METHOD:PUBLISH\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:day-1\r\n"
	    "DTSTAMP:20261101T080000Z\r\n"
	    "DTSTART;VALUE=DATE:20261224\r\n"
	    "DTEND;VALUE=DATE:20261226\r\n"
	    "END:VEVENT\r\n");
	crm_buf_release(&b);
}

static void
test_escaping(void **state)
{
	struct crm_ical_item ev = {
		.uid = "e,1;x",
		.summary = "Call back; price, terms\\notes",
		.description = "line 1\nline 2\r\nline 3\rend\x07",
		.location = "Shanghai, 上海",
		.url = "https://x.example/\r\nATTENDEE:mailto:evil@example.com",
		.start = "2026-11-29 10:15:00",
		.stamp = "2026-11-01 08:00:00",
	};
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, NULL, 0);
	crm_ical_event(&b, &ev);
	assert_string_equal(b.data,
	    "BEGIN:VEVENT\r\n"
	    "UID:e\\,1\\;x\r\n"
	    "DTSTAMP:20261101T080000Z\r\n"
	    "DTSTART:20261129T101500Z\r\n"
	    "SUMMARY:Call back\\; price\\, terms\\\\notes\r\n"
	    "DESCRIPTION:line 1\\nline 2\\nline 3\\nend\r\n"
	    "LOCATION:Shanghai\\, 上海\r\n"
	    "URL:https://x.example/ATTENDEE:mailto:evil@example.com\r\n"
	    "END:VEVENT\r\n");
	crm_buf_release(&b);
}

static void
test_folding(void **state)
{
	struct crm_ical_item ev = {
		.uid = "fold-1",
		.start = "2026-11-29 10:15:00",
		.stamp = "2026-11-01 08:00:00",
	};
	struct crm_buf b, want;
	char *desc, *unfolded;
	size_t i;

	(void)state;
	/* Mixed widths shift the fold point across 1-, 2-, 3- and 4-byte
	 * characters and escapes. */
	desc = calloc(40, 32);
	assert_non_null(desc);
	for (i = 0; i < 40; i++)
		strcat(desc, i % 3 ? "会议纪要;é,ü\n𝄞x" : "ab\\c");
	ev.description = desc;
	ev.summary = "年度客户回访与续约谈判（华东区）：准备报价单、合同草案以及去年的服务记录";

	crm_buf_init(&b, NULL, 0);
	crm_ical_event(&b, &ev);
	unfolded = check_lines(b.data);

	crm_buf_init(&want, NULL, 0);
	crm_buf_puts(&want, "BEGIN:VEVENT\r\nUID:fold-1\r\nDTSTAMP:20261101T080000Z\r\n"
	    "DTSTART:20261129T101500Z\r\nSUMMARY:");
	crm_buf_puts(&want, ev.summary);
	crm_buf_puts(&want, "\r\nDESCRIPTION:");
	for (i = 0; i < 40; i++)
		crm_buf_puts(&want, i % 3 ? "会议纪要\\;é\\,ü\\n𝄞x" : "ab\\\\c");
	crm_buf_puts(&want, "\r\nEND:VEVENT\r\n");
	assert_string_equal(unfolded, want.data);
	/* The summary is over 75 octets, so it was folded. */
	assert_null(strstr(b.data, ev.summary));

	crm_buf_release(&want);
	crm_buf_release(&b);
	free(unfolded);
	free(desc);
}

static void
test_fold_boundary(void **state)
{
	char value[80];
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, NULL, 0);
	/* "X:" and 73 octets: exactly 75, no fold. */
	memset(value, 'a', 73);
	value[73] = '\0';
	crm_fold_line(&b, "X", value);
	assert_int_equal(b.len, 77);
	assert_null(strstr(b.data, "\r\n "));
	/* One more folds, and the continuation's space counts. */
	crm_buf_clear(&b);
	value[73] = 'b';
	value[74] = '\0';
	crm_fold_line(&b, "X", value);
	assert_int_equal(b.len, 75 + 3 + 1 + 2);
	assert_string_equal(b.data + 75, "\r\n b\r\n");
	/* A 3-byte character that would end at octet 76 moves down whole. */
	crm_buf_clear(&b);
	memcpy(value + 73, "中", 4);
	crm_fold_line(&b, "X", value);
	assert_string_equal(b.data + 75, "\r\n 中\r\n");
	/* So does an escape that would straddle the fold. */
	crm_buf_clear(&b);
	value[72] = ',';
	value[73] = '\0';
	crm_fold_text_line(&b, "X", value);
	assert_string_equal(b.data + 74, "\r\n \\,\r\n");
	crm_buf_release(&b);
}

static void
test_dates(void **state)
{
	char out[CRM_FOLD_DATE_MAX];

	(void)state;
	assert_int_equal(crm_fold_date("2026-11-29 10:15:00", out), CRM_FOLD_DATETIME);
	assert_string_equal(out, "20261129T101500");
	assert_int_equal(crm_fold_date("2026-11-29T23:59:60", out), CRM_FOLD_DATETIME);
	assert_string_equal(out, "20261129T235960");
	assert_int_equal(crm_fold_date("2026-11-29 10:15:00.123456", out), CRM_FOLD_DATETIME);
	assert_string_equal(out, "20261129T101500");
	assert_int_equal(crm_fold_date("2026-11-29", out), CRM_FOLD_DATE);
	assert_string_equal(out, "20261129");
	assert_int_equal(crm_fold_date("2024-02-29", out), CRM_FOLD_DATE);
	assert_int_equal(crm_fold_date("2000-02-29 00:00:00", out), CRM_FOLD_DATETIME);

	memset(out, 'z', sizeof(out));
	assert_int_equal(crm_fold_date("2023-02-29", out), 0);
	assert_string_equal(out, "");
	assert_int_equal(crm_fold_date("1900-02-29", out), 0);
	assert_int_equal(crm_fold_date("2026-04-31", out), 0);
	assert_int_equal(crm_fold_date("2026-13-01 00:00:00", out), 0);
	assert_int_equal(crm_fold_date("0000-00-00 00:00:00", out), 0);
	assert_int_equal(crm_fold_date("2026-11-29 24:00:00", out), 0);
	assert_int_equal(crm_fold_date("2026-11-29 10:60:00", out), 0);
	assert_int_equal(crm_fold_date("2026-11-29 10:15", out), 0);
	assert_string_equal(out, "");
	assert_int_equal(crm_fold_date("2026-11-29 10:15:00Z", out), 0);
	assert_int_equal(crm_fold_date("2026-11-29x", out), 0);
	assert_int_equal(crm_fold_date("2026-1-29", out), 0);
	assert_int_equal(crm_fold_date("20261129", out), 0);
	assert_int_equal(crm_fold_date("2026-11-2", out), 0);
	assert_int_equal(crm_fold_date("-026-11-29", out), 0);
	assert_int_equal(crm_fold_date("", out), 0);
	assert_int_equal(crm_fold_date(NULL, out), 0);
}

static void
test_bad_dates_skipped(void **state)
{
	struct crm_ical_item it = { .uid = "x-1", .summary = "s",
	    .stamp = "2026-11-01 08:00:00" };
	struct crm_buf b;
	const char *p;
	int events = 0;

	(void)state;
	crm_buf_init(&b, NULL, 0);

	/* An event with no start it could be placed at is left out whole. */
	it.start = "0000-00-00 00:00:00";
	crm_ical_event(&b, &it);
	it.start = "tomorrow";
	crm_ical_event(&b, &it);
	it.start = NULL;
	crm_ical_event(&b, &it);
	assert_int_equal(b.len, 0);

	/* So is anything without a UID. */
	it.uid = NULL;
	it.start = "2026-11-29 10:15:00";
	crm_ical_event(&b, &it);
	crm_ical_todo(&b, &it);
	it.uid = "";
	crm_ical_todo(&b, &it);
	assert_int_equal(b.len, 0);

	/* An end before the start, or of another kind, goes; the event stays. */
	it.uid = "x-2";
	it.end = "2026-11-29 09:00:00";
	crm_ical_event(&b, &it);
	it.end = "2026-11-29 10:15:00";
	crm_ical_event(&b, &it);
	it.end = "2026-11-30";
	crm_ical_event(&b, &it);
	it.end = "2026-11-31 10:00:00";
	crm_ical_event(&b, &it);
	assert_null(strstr(b.data, "DTEND"));
	for (p = b.data; (p = strstr(p, "DTSTART:20261129T101500Z\r\n")) != NULL; p++)
		events++;
	assert_int_equal(events, 4);

	/* A todo keeps its deadline over a start that is not before it. */
	crm_buf_clear(&b);
	it.end = NULL;
	it.due = "2026-11-28 10:00:00";
	crm_ical_todo(&b, &it);
	assert_null(strstr(b.data, "DTSTART"));
	assert_non_null(strstr(b.data, "\r\nDUE:20261128T100000Z\r\n"));
	/* A bad due is dropped, and the todo still written. */
	crm_buf_clear(&b);
	it.due = "2026-02-30 10:00:00";
	crm_ical_todo(&b, &it);
	assert_null(strstr(b.data, "DUE"));
	assert_non_null(strstr(b.data, "\r\nDTSTART:20261129T101500Z\r\n"));
	assert_non_null(strstr(b.data, "\r\nSTATUS:NEEDS-ACTION\r\n"));

	/* Without a usable stamp, DTSTAMP is the time of writing. */
	crm_buf_clear(&b);
	it.stamp = "2026-11-01";
	crm_ical_todo(&b, &it);
	p = strstr(b.data, "\r\nDTSTAMP:");
	assert_non_null(p);
	p += strlen("\r\nDTSTAMP:");
	assert_true(strspn(p, "0123456789") == 8 && p[8] == 'T' &&
	    strspn(p + 9, "0123456789") == 6 && strncmp(p + 15, "Z\r\n", 3) == 0);
	assert_true(strncmp(p, "2026", 4) >= 0);
	crm_buf_release(&b);
}

/* A recurrence: local times in its zone (summer time here), the rule and
 * the deleted dates as kept; without a rule, or with a zone that could not
 * be a TZID, times stay UTC. */
static void
test_recurrence(void **state)
{
	struct crm_ical_item ev = {
		.uid = "weekly@crm.example",
		.start = "2027-03-29 08:00:00",
		.end = "2027-03-29 09:00:00",
		.stamp = "2027-03-01 08:00:00",
		.rrule = "FREQ=WEEKLY;BYDAY=MO;COUNT=6",
		.exdate = "20270405T080000Z,20270412T080000Z",
		.zone = "Europe/Berlin",
	};
	struct crm_buf b;

	(void)state;
	crm_buf_init(&b, NULL, 0);
	crm_ical_event(&b, &ev);
	assert_non_null(strstr(b.data, "\r\nDTSTART;TZID=Europe/Berlin:20270329T100000\r\n"
	    "DTEND;TZID=Europe/Berlin:20270329T110000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6\r\n"
	    "EXDATE:20270405T080000Z,20270412T080000Z\r\n"));
	crm_buf_release(&b);
	ev.start = "2027-01-04 09:00:00";       /* winter: +01:00 */
	ev.end = NULL;
	crm_buf_init(&b, NULL, 0);
	crm_ical_event(&b, &ev);
	assert_non_null(strstr(b.data, "\r\nDTSTART;TZID=Europe/Berlin:20270104T100000\r\nRRULE:"));
	crm_buf_release(&b);
	ev.zone = "Europe/Berlin:X";
	crm_buf_init(&b, NULL, 0);
	crm_ical_event(&b, &ev);
	assert_non_null(strstr(b.data, "\r\nDTSTART:20270104T090000Z\r\nRRULE:"));
	crm_buf_release(&b);
	ev.zone = "Europe/Berlin";
	ev.rrule = NULL;
	crm_buf_init(&b, NULL, 0);
	crm_ical_event(&b, &ev);
	assert_non_null(strstr(b.data, "\r\nDTSTART:20270104T090000Z\r\n"));
	assert_null(strstr(b.data, "RRULE"));
	assert_null(strstr(b.data, "EXDATE"));
	crm_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_all_day_and_defaults),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_fold_boundary),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bad_dates_skipped),
		cmocka_unit_test(test_recurrence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
