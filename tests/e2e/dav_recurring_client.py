"""A phone's recurring meeting over CalDAV, for dav_recurring.sh, with
Debian's python3-caldav (and python3-recurring-ical-events to expand it).

    dav_recurring_client.py BASE EMAIL TOKEN put UID SUMMARY RRULE EXDATE LOCATION
    dav_recurring_client.py BASE EMAIL TOKEN occurrences UID

put: a weekly meeting as a phone in Berlin sends it: its VTIMEZONE, and
DTSTART, DTEND and EXDATE (when not "-") in local time, starting Monday
2027-03-01 10:00 for an hour. occurrences: the event as the server gives
it back: "location: ...", "rrule: ...", then each occurrence in 2027 as
Berlin wall-clock time ("2027-03-01 Mon 10:00-11:00"), or "missing".
"""
import sys
from datetime import date
from zoneinfo import ZoneInfo

import caldav
import recurring_ical_events
from caldav.lib import error

VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n")


def text(s):
    return s.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def events_calendar(client):
    for cal in client.principal().calendars():
        if "VEVENT" in cal.get_supported_components():
            return cal
    sys.exit("no events calendar")


def main():
    base, email, token, command = sys.argv[1:5]
    args = sys.argv[5:]
    client = caldav.DAVClient(url=base + "/.well-known/caldav", username=email, password=token)
    events = events_calendar(client)
    if command == "put":
        uid, summary, rrule, exdate, location = args
        lines = ["UID:" + uid, "DTSTAMP:20261101T000000Z",
                 "DTSTART;TZID=Europe/Berlin:20270301T100000",
                 "DTEND;TZID=Europe/Berlin:20270301T110000",
                 "SUMMARY:" + text(summary)]
        if rrule != "-":
            lines.append("RRULE:" + rrule)
        if exdate != "-":
            lines.append("EXDATE;TZID=Europe/Berlin:" + exdate)
        if location != "-":
            lines.append("LOCATION:" + text(location))
        ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CRM tests//EN\r\n" + VTIMEZONE +
               "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
        print(events.save_event(ics).url.path)
    elif command == "occurrences":
        try:
            ev = events.event_by_uid(args[0])
        except error.NotFoundError:
            print("missing")
            return
        cal = ev.icalendar_instance
        for comp in cal.walk("VEVENT"):
            print("location: %s" % comp.get("LOCATION", ""))
            print("rrule: %s" % (comp.get("RRULE").to_ical().decode() if comp.get("RRULE") else ""))
        berlin = ZoneInfo("Europe/Berlin")
        for occ in recurring_ical_events.of(cal).between(date(2027, 1, 1), date(2028, 1, 1)):
            start = occ["DTSTART"].dt.astimezone(berlin)
            end = occ["DTEND"].dt.astimezone(berlin)
            print("%s-%s" % (start.strftime("%Y-%m-%d %a %H:%M"), end.strftime("%H:%M")))
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
