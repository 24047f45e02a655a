"""A CalDAV client for automation_dav.sh, with Debian's python3-caldav.

    automation_dav_client.py BASE EMAIL TOKEN COMMAND ARGS...

discover              principal and calendars found from /.well-known/caldav
create UID SUMMARY START END   a meeting (times as 2026-12-01T10:00:00Z)
task UID SUMMARY DUE  a task
show UID              "SUMMARY|DTSTART|DTEND" of the event, or "missing"
todo UID              "SUMMARY|STATUS" of the task, or "missing"
range START END       the UIDs of the events in a time range, one a line
delete UID            deletes the event

Each prints what it found on stdout and exits 1 with a reason on stderr
when the server does not behave.
"""
import sys
from datetime import datetime, timezone

import caldav
from caldav.lib import error


# What a phone sends: its own UID, times in UTC.
VCAL = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CRM tests//EN\r\nBEGIN:%s\r\n"
        "UID:%s\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:%s\r\n%s\r\nEND:%s\r\nEND:VCALENDAR\r\n")


def basic(s):
    return when(s).strftime("%Y%m%dT%H%M%SZ")


def when(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def calendars(client):
    principal = client.principal()
    events = tasks = None
    for cal in principal.calendars():
        comps = cal.get_supported_components()
        if "VEVENT" in comps:
            events = cal
        if "VTODO" in comps:
            tasks = cal
    if events is None or tasks is None:
        sys.exit("no events or no tasks calendar: %r" % principal.calendars())
    return principal, events, tasks


def stamp(v):
    return v.value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    base, email, token, command = sys.argv[1:5]
    args = sys.argv[5:]
    client = caldav.DAVClient(url=base + "/.well-known/caldav", username=email, password=token)
    principal, events, tasks = calendars(client)
    if command == "discover":
        print(principal.url.path)
        print(events.url.path)
        print(tasks.url.path)
    elif command == "create":
        uid, summary, start, end = args
        ev = events.save_event(VCAL % ("VEVENT", uid, summary,
            "DTSTART:%s\r\nDTEND:%s" % (basic(start), basic(end)), "VEVENT"))
        print(ev.url.path)
    elif command == "task":
        uid, summary, due = args
        t = tasks.save_todo(VCAL % ("VTODO", uid, summary, "DUE:" + basic(due), "VTODO"))
        print(t.url.path)
    elif command == "show":
        try:
            ev = events.event_by_uid(args[0])
        except error.NotFoundError:
            print("missing")
            return
        comp = ev.vobject_instance.vevent
        end = stamp(comp.dtend) if hasattr(comp, "dtend") else ""
        print("%s|%s|%s" % (comp.summary.value, stamp(comp.dtstart), end))
    elif command == "todo":
        try:
            t = tasks.todo_by_uid(args[0])
        except error.NotFoundError:
            print("missing")
            return
        comp = t.vobject_instance.vtodo
        print("%s|%s" % (comp.summary.value, comp.status.value))
    elif command == "range":
        for ev in events.date_search(start=when(args[0]), end=when(args[1]), expand=False):
            ev.load()
            print(ev.vobject_instance.vevent.uid.value)
    elif command == "delete":
        events.event_by_uid(args[0]).delete()
        print("deleted")
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
