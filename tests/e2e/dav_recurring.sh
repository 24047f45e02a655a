#!/bin/bash
# A phone's recurring meeting survives a round trip through crm-dav: with
# python3-caldav a client in Berlin saves a weekly meeting (its own
# VTIMEZONE, local times, one occurrence deleted with an EXDATE, a
# LOCATION); read back, the series has the same occurrences at the same
# wall-clock time on both sides of the change to summer time, the deleted
# one stays deleted, and the place is there. The activity is the first
# occurrence in UTC. A change in the CRM keeps the series; the phone
# taking the recurrence off leaves one meeting.
. "$(dirname "$0")/lib.sh"
PY=${CRM_PYTHON:-/usr/bin/python3}
IP=127.0.50.$(( $$ % 200 + 20 ))
RUN=$$
PW='weekly meetings stay weekly 52'

echo "$PW" | $CTL user add --email "rec-$RUN@example.com" --name "Rec $RUN" --role sales \
	--password-stdin >/dev/null
signin "$TMP/jar" "rec-$RUN@example.com"
curl -s -b "$TMP/jar" "$BASE/account" -o "$TMP/account.html"
curl -s -b "$TMP/jar" -o "$TMP/token.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/account.html")" \
	-d name=phone -d days=30 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/token.html" | sed 's/.*>//')
[ -n "$TOKEN" ] || { fail "recurring: no API token"; exit 0; }
client() { "$PY" "$TOP/tests/e2e/dav_recurring_client.py" "$BASE" "rec-$RUN@example.com" "$TOKEN" "$@" 2>"$TMP/client.err"; }

UID_="weekly-$RUN@phone.example"
client put "$UID_" "Weekly $RUN" "FREQ=WEEKLY;BYDAY=MO;COUNT=6" 20270315T100000 "Room 5, second floor" >/dev/null ||
	fail "recurring: the client could not save: $(cat "$TMP/client.err")"
# The parts of a rule in one order: the client library may reorder them.
parts() { echo "$1" | tr ';' '\n' | sort | tr '\n' ';'; }
RULE="FREQ=WEEKLY;BYDAY=MO;COUNT=6"
row=$($SQL -e "SELECT CONCAT_WS('|', at, ends_at, dav_exdate, dav_zone, location) FROM activities WHERE dav_uid = '$UID_' AND deleted_at IS NULL")
rule=$($SQL -e "SELECT dav_rrule FROM activities WHERE dav_uid = '$UID_' AND deleted_at IS NULL")
[ "$row" = "2027-03-01 09:00:00|2027-03-01 10:00:00|20270315T090000Z|Europe/Berlin|Room 5, second floor" ] &&
	[ "$(parts "$rule")" = "$(parts "$RULE")" ] &&
	ok "recurring: stored as its first occurrence in UTC, with the rule, the deleted date, the zone and the place" ||
	fail "recurring: stored as '$row', rule '$rule'"

want="location: Room 5, second floor
2027-03-01 Mon 10:00-11:00
2027-03-08 Mon 10:00-11:00
2027-03-22 Mon 10:00-11:00
2027-03-29 Mon 10:00-11:00
2027-04-05 Mon 10:00-11:00"
got=$(client occurrences "$UID_")
[ "$(echo "$got" | grep -v '^rrule: ')" = "$want" ] && [ "$(parts "$(echo "$got" | sed -n 's/^rrule: //p')")" = "$(parts "$RULE")" ] &&
	ok "recurring: read back, the same occurrences at 10:00 Berlin time across the change to summer time, 15 March still deleted, the place kept" ||
	fail "recurring: read back: $(echo "$got" | tr '\n' '/') $(cat "$TMP/client.err")"

# The CRM renames it: still a series.
$SQL -e "UPDATE activities SET subject = 'Renamed $RUN' WHERE dav_uid = '$UID_'"
got=$(client occurrences "$UID_")
[ "$(echo "$got" | grep -c ' Mon 10:00-11:00')" = 5 ] && ok "recurring: a change in the CRM keeps the series" ||
	fail "recurring: after a CRM change: $(echo "$got" | tr '\n' '/')"

# The phone ends the recurrence: one meeting, no rule left behind.
client put "$UID_" "Once $RUN" - - - >/dev/null || fail "recurring: the client could not save again: $(cat "$TMP/client.err")"
row=$($SQL -e "SELECT CONCAT_WS('|', subject, IFNULL(dav_rrule, '-'), IFNULL(dav_exdate, '-'), IFNULL(location, '-')) FROM activities WHERE dav_uid = '$UID_' AND deleted_at IS NULL")
got=$(client occurrences "$UID_")
[ "$row" = "Once $RUN|-|-|-" ] && [ "$got" = "location: 
rrule: 
2027-03-01 Mon 10:00-11:00" ] && ok "recurring: without its rule it is one meeting again" ||
	fail "recurring: rule taken off: '$row' $(echo "$got" | tr '\n' '/')"

# Malformed: an RRULE with what no rule has is 400, nothing stored.
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:bad-%s@t\r\nDTSTART:20270301T100000Z\r\nRRULE:FREQ=DAILY;X=<script>\r\nSUMMARY:bad\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' "$RUN" > "$TMP/bad.ics"
REC_ID=$($SQL -e "SELECT id FROM users WHERE email = 'rec-$RUN@example.com'")
expect_status "recurring: a malformed RRULE is 400" 400 -u "rec-$RUN@example.com:$TOKEN" -H "Content-Type: text/calendar" \
	-X PUT --data-binary @"$TMP/bad.ics" "$BASE/dav/calendars/$REC_ID/events/bad-$RUN.ics"
[ "$($SQL -e "SELECT COUNT(*) FROM activities WHERE dav_uid = 'bad-$RUN@t'")" = 0 ] && ok "recurring: nothing stored for it" ||
	fail "recurring: the malformed event was stored"
