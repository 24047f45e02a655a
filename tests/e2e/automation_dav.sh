#!/bin/bash
# CalDAV and CardDAV (crm-dav) against real clients from Debian: with
# python3-caldav a phone's calendar finds the principal from
# /.well-known/caldav, creates a meeting that the CRM calendar page and
# the database show at the right time, sees the CRM's own changes (a
# meeting logged on a contact, a task done, a meeting deleted, all
# through the web forms) and deletes; with vdirsyncer an address book
# syncs both ways with a directory of .vcf files, and a sync with nothing
# changed moves nothing. Also: Basic authentication (401, wrong token,
# another's e-mail, throttling), scope (another's contact and calendar
# are 404), If-Match (412), malformed bodies (400, 415), CSRF (none asked
# of Basic; a cookie alone cannot PUT), sync-collection tokens, DELETE
# only with customers.delete, and the audit of every write.
. "$(dirname "$0")/lib.sh"
PY=${CRM_PYTHON:-/usr/bin/python3}
IP=127.0.74.$(( $$ % 200 + 1 ))
RUN=$$
PW='phones stay in sync 46'

for who in dav:sales other:sales boss:admin; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" \
		--role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
	curl -s -b "$TMP/${who%%:*}" "$BASE/account" -o "$TMP/account.html"
	curl -s -b "$TMP/${who%%:*}" -o "$TMP/token.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/account.html")" \
		-d name=phone -d days=30 "$BASE/account/tokens"
	grep -o 'id="new-token">[^<]*' "$TMP/token.html" | sed 's/.*>//' > "$TMP/token-${who%%:*}"
	[ -s "$TMP/token-${who%%:*}" ] || fail "dav: ${who%%:*} got no API token"
done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-$RUN@example.com'"; }
DAV=$(uid dav) OTHER=$(uid other) BOSS=$(uid boss)
EMAIL="dav-$RUN@example.com" TOKEN=$(cat "$TMP/token-dav")
AUTH=(-u "$EMAIL:$TOKEN")
client() { "$PY" "$TOP/tests/e2e/automation_dav_client.py" "$BASE" "$EMAIL" "$TOKEN" "$@" 2>"$TMP/client.err"; }
XML=(-H "Content-Type: application/xml; charset=utf-8")
ICS=(-H "Content-Type: text/calendar; charset=utf-8")
VCF=(-H "Content-Type: text/vcard; charset=utf-8")
audits() { $SQL -e "SELECT COUNT(*) FROM audit_log WHERE user_id = $1 AND entity = '$2' AND action = '$3'"; }

# --- Authentication -------------------------------------------------------
# Failures come from an address of their own (BAD), whose count in the
# throttle starts afresh: every failure counts against the address too.
BAD=(--interface 127.0.74.250)
$SQL -e "DELETE FROM login_throttle WHERE throttle_key = 'ip:127.0.74.250'"
expect_status "dav: PROPFIND without credentials is 401" 401 "${BAD[@]}" -X PROPFIND -H "Depth: 0" "$BASE/dav/"
expect_header "dav: the 401 asks for Basic" '^WWW-Authenticate: Basic realm="CRM"'
expect_status "dav: a wrong token is 401" 401 "${BAD[@]}" -X PROPFIND -H "Depth: 0" -u "$EMAIL:crm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$BASE/dav/"
expect_status "dav: the right token with another's e-mail is 401" 401 "${BAD[@]}" -X PROPFIND -H "Depth: 0" \
	-u "other-$RUN@example.com:$TOKEN" "$BASE/dav/"
expect_status "dav: the token without its crm_ prefix is the same token" 207 -X PROPFIND -H "Depth: 0" \
	-u "$EMAIL:${TOKEN#crm_}" "$BASE/dav/"
expect_status "dav: a session cookie alone is no one here" 401 "${BAD[@]}" -b "$TMP/dav" -X PROPFIND -H "Depth: 0" "$BASE/dav/"
expect_status "dav: OPTIONS needs no credentials and names the DAV classes" 200 -X OPTIONS "$BASE/dav/"
expect_header "dav: DAV header" '^DAV: 1, 3, calendar-access, addressbook'
# The sign-in throttle: failures count per account name (a made-up one,
# from an address of its own), and while a block is on, even the right
# token gets 429 with a wait, before any check.
for i in 1 2 3; do
	curl -s -o /dev/null --interface 127.0.74.250 -X PROPFIND -u "nobody-$RUN@example.com:wrong" "$BASE/dav/"
done
[ "$($SQL -e "SELECT failures FROM login_throttle WHERE throttle_key = 'user:nobody-$RUN@example.com'")" = 3 ] &&
	ok "dav: failures are counted in the sign-in throttle" || fail "dav: no throttle count for the failures"
$SQL -e "INSERT INTO login_throttle (throttle_key, failures, blocked_until) VALUES ('user:$EMAIL', 9, UTC_TIMESTAMP() + INTERVAL 1 HOUR)"
expect_status "dav: a blocked account gets 429, even with the right token" 429 -X PROPFIND -H "Depth: 0" "${AUTH[@]}" "$BASE/dav/"
expect_header "dav: with Retry-After" '^Retry-After: [0-9]+'
$SQL -e "DELETE FROM login_throttle WHERE throttle_key = 'user:$EMAIL'"
expect_status "dav: once the block is lifted the token works" 207 -X PROPFIND -H "Depth: 0" "${AUTH[@]}" "$BASE/dav/"

# --- CalDAV with python3-caldav -------------------------------------------
out=$(client discover)
[ "$(echo "$out" | sed -n 1p)" = "/dav/principals/$DAV/" ] &&
	[ "$(echo "$out" | sed -n 2p)" = "/dav/calendars/$DAV/events/" ] &&
	[ "$(echo "$out" | sed -n 3p)" = "/dav/calendars/$DAV/tasks/" ] &&
	ok "caldav: the client finds the principal and both calendars from /.well-known/caldav" ||
	fail "caldav: discovery: $out $(cat "$TMP/client.err")"

MEET="meet-$RUN@phone.example"
href=$(client create "$MEET" "Phone meeting $RUN" 2026-12-01T10:00:00Z 2026-12-01T11:30:00Z)
row=$($SQL -e "SELECT CONCAT_WS('|', kind, at, ends_at, dav_uid, created_by) FROM activities WHERE assignee_id = $DAV AND subject = 'Phone meeting $RUN' AND deleted_at IS NULL")
[ "$row" = "meeting|2026-12-01 10:00:00|2026-12-01 11:30:00|$MEET|$DAV" ] &&
	ok "caldav: a meeting created on the phone is an activity at the right time, its UID kept" ||
	fail "caldav: created meeting: '$row' (href $href) $(cat "$TMP/client.err")"
MEET_ID=$($SQL -e "SELECT id FROM activities WHERE dav_uid = '$MEET'")
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\nDTSTART:20261201T100000Z\r\nSUMMARY:dup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' "$MEET" > "$TMP/dup.ics"
expect_status "caldav: a second item with the same UID is 409" 409 -u "$EMAIL:$TOKEN" -H "Content-Type: text/calendar" -X PUT \
	--data-binary @"$TMP/dup.ics" "$BASE/dav/calendars/$DAV/events/dup-$RUN.ics"
expect_body "caldav: with no-uid-conflict" '<X:no-uid-conflict/>'
[ "$(audits "$DAV" activity create)" -ge 1 ] && ok "caldav: the create is audited" || fail "caldav: no audit of the create"
fetch -b "$TMP/dav" "$BASE/customers/calendar?view=month&date=2026-12-01"
[ "$STATUS" = 200 ] && expect_body "caldav: the meeting is on the CRM calendar page" "Phone meeting $RUN" ||
	fail "caldav: calendar page $STATUS"
[ "$(client show "$MEET")" = "Phone meeting $RUN|2026-12-01T10:00:00Z|2026-12-01T11:30:00Z" ] &&
	ok "caldav: the client reads the meeting back" || fail "caldav: show: $(client show "$MEET")"

# A meeting logged in the CRM, on a contact of the user's, through the form.
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, owner_id) VALUES ('Cal', 'Contact $RUN', 'Cal Contact $RUN', 'cal-$RUN@example.com', 'cal-$RUN@example.com', $DAV)"
CONTACT=$($SQL -e "SELECT id FROM contacts WHERE last_name = 'Contact $RUN'")
curl -s -b "$TMP/dav" "$BASE/customers/contacts/$CONTACT" -o "$TMP/contact.html"
CSRF=$(csrf_of "$TMP/contact.html")
code=$(curl -s -b "$TMP/dav" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$CSRF" \
	-d contact_id="$CONTACT" -d kind=meeting --data-urlencode "subject=CRM meeting $RUN" \
	-d at=2026-12-01T15:00 -d ends_at=2026-12-01T16:00 "$BASE/customers/activities")
CRM_ID=$($SQL -e "SELECT id FROM activities WHERE subject = 'CRM meeting $RUN'")
[ "$code" = 303 ] && client range 2026-12-01T00:00:00Z 2026-12-02T00:00:00Z | grep -qx "activity-$CRM_ID@crm" &&
	ok "caldav: a meeting logged in the CRM appears in the client's time range" ||
	fail "caldav: CRM meeting ($code, id $CRM_ID) not in range: $(client range 2026-12-01T00:00:00Z 2026-12-02T00:00:00Z)"
client range 2026-12-05T00:00:00Z 2026-12-06T00:00:00Z | grep -q . &&
	fail "caldav: a time range with nothing in it lists something" || ok "caldav: an empty time range lists nothing"

# A task from the phone, done in the CRM: the client sees it completed.
TASK="task-$RUN@phone.example"
client task "$TASK" "Call back $RUN" 2026-12-03T09:00:00Z >/dev/null
TASK_ID=$($SQL -e "SELECT id FROM activities WHERE dav_uid = '$TASK' AND kind = 'task'")
[ "$(client todo "$TASK")" = "Call back $RUN|NEEDS-ACTION" ] && ok "caldav: a task from the phone is open" ||
	fail "caldav: task: $(client todo "$TASK") $(cat "$TMP/client.err")"
calsync() { fetch -u "$EMAIL:$TOKEN" -H "Content-Type: application/xml" -X REPORT --data-binary "<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>$1</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>" "$BASE/dav/calendars/$DAV/tasks/"; }
calsync ""
CTOK=$(grep -o 'urn:crm:sync:[0-9]*' "$TMP/b")
code=$(curl -s -b "$TMP/dav" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$CSRF" -d done=1 \
	"$BASE/customers/activities/$TASK_ID/done")
calsync "$CTOK"
[ "$STATUS" = 207 ] && [ "$(grep -c '<D:response>' "$TMP/b")" = 1 ] && grep -q "/tasks/$TASK.ics\|/tasks/task-$RUN%40phone.example.ics" "$TMP/b" &&
	ok "caldav: sync-collection on the tasks calendar lists just the task done in the CRM" ||
	fail "caldav: calendar sync: $STATUS $(head -c 600 "$TMP/b")"
[ "$code" = 303 ] && [ "$(client todo "$TASK")" = "Call back $RUN|COMPLETED" ] &&
	ok "caldav: a task done in the CRM is completed in the client" || fail "caldav: done task: $code $(client todo "$TASK")"

# The phone's meeting deleted in the CRM: gone from the client, in the trash.
code=$(curl -s -b "$TMP/dav" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$CSRF" \
	"$BASE/customers/activities/$MEET_ID/delete")
[ "$code" = 303 ] && [ "$(client show "$MEET")" = missing ] &&
	ok "caldav: a meeting deleted in the CRM is gone from the client" || fail "caldav: CRM delete: $code $(client show "$MEET")"

# Deleted on the phone: to the trash, as the CRM deletes.
MEET2="meet2-$RUN@phone.example"
client create "$MEET2" "Second $RUN" 2026-12-02T08:00:00Z 2026-12-02T09:00:00Z >/dev/null
[ "$(client delete "$MEET2")" = deleted ] && [ "$(client show "$MEET2")" = missing ] &&
	[ "$($SQL -e "SELECT deleted_at IS NOT NULL FROM activities WHERE dav_uid = '$MEET2'")" = 1 ] &&
	[ "$(audits "$DAV" activity delete)" -ge 2 ] &&
	ok "caldav: deleted on the phone, the activity is in the trash and audited" || fail "caldav: client delete"

# Raw requests: ETags, preconditions, bad bodies, scope.
CAL="$BASE/dav/calendars/$DAV/events"
fetch "${AUTH[@]}" "$CAL/activity-$CRM_ID.ics"
ETAG=$(grep -i '^ETag:' "$TMP/h" | sed 's/^[^:]*: *//; s/\r$//')
[ "$STATUS" = 200 ] && grep -q "^UID:activity-$CRM_ID@crm" "$TMP/b" && grep -q '^DTSTART:' "$TMP/b" &&
	! grep -q '^METHOD:' "$TMP/b" && [ -n "$ETAG" ] &&
	ok "caldav: GET gives the iCalendar object with an ETag and no METHOD" || fail "caldav: GET $STATUS $ETAG"
ics() { printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;TZID=Asia/Shanghai:20261201T%s\r\nDURATION:PT45M\r\nSUMMARY:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' "$1" "$2" "$3"; }
ics "activity-$CRM_ID@crm" 153000 "Moved $RUN" > "$TMP/moved.ics"
expect_status "caldav: PUT with a stale If-Match is 412" 412 "${AUTH[@]}" "${ICS[@]}" -X PUT -H 'If-Match: "1-1"' \
	--data-binary @"$TMP/moved.ics" "$CAL/activity-$CRM_ID.ics"
expect_status "caldav: PUT with If-None-Match: * on an existing item is 412" 412 "${AUTH[@]}" "${ICS[@]}" -X PUT \
	-H 'If-None-Match: *' --data-binary @"$TMP/moved.ics" "$CAL/activity-$CRM_ID.ics"
expect_status "caldav: PUT with the current If-Match updates (no CSRF token for Basic)" 204 "${AUTH[@]}" "${ICS[@]}" \
	-X PUT -H "If-Match: $ETAG" --data-binary @"$TMP/moved.ics" "$CAL/activity-$CRM_ID.ics"
[ "$($SQL -e "SELECT CONCAT_WS('|', subject, at, ends_at, contact_id) FROM activities WHERE id = $CRM_ID")" = "Moved $RUN|2026-12-01 07:30:00|2026-12-01 08:15:00|$CONTACT" ] &&
	ok "caldav: the update is stored in UTC from its TZID, DURATION made an end, the contact kept" ||
	fail "caldav: update stored: $($SQL -e "SELECT CONCAT_WS('|', subject, at, ends_at, contact_id) FROM activities WHERE id = $CRM_ID")"
expect_status "caldav: the old ETag no longer matches" 412 "${AUTH[@]}" -X DELETE -H "If-Match: $ETAG" "$CAL/activity-$CRM_ID.ics"
expect_status "caldav: a cookie alone cannot PUT" 401 -b "$TMP/dav" "${ICS[@]}" -X PUT \
	--data-binary @"$TMP/moved.ics" "$CAL/activity-$CRM_ID.ics"
printf 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:no uid\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' > "$TMP/bad.ics"
expect_status "caldav: an event without UID or start is 400" 400 "${AUTH[@]}" "${ICS[@]}" -X PUT \
	--data-binary @"$TMP/bad.ics" "$CAL/bad-$RUN.ics"
expect_body "caldav: with a DAV error body" '<X:valid-calendar-data/>'
printf 'not a calendar at all' > "$TMP/junk.ics"
expect_status "caldav: junk is 400" 400 "${AUTH[@]}" "${ICS[@]}" -X PUT --data-binary @"$TMP/junk.ics" "$CAL/junk-$RUN.ics"
expect_status "caldav: a body that is not iCalendar is 415" 415 "${AUTH[@]}" -H "Content-Type: application/json" \
	-X PUT --data-binary '{"x":1}' "$CAL/json-$RUN.ics"
ics "late-$RUN" 100000 "Late" | sed 's/DURATION:PT45M/DTEND:20261130T100000Z/' > "$TMP/late.ics"
expect_status "caldav: an end before the start is 422" 422 "${AUTH[@]}" "${ICS[@]}" -X PUT \
	--data-binary @"$TMP/late.ics" "$CAL/late-$RUN.ics"
ics "todo-$RUN" 100000 "x" > "$TMP/event.ics"
expect_status "caldav: an event in the tasks calendar is refused" 403 "${AUTH[@]}" "${ICS[@]}" -X PUT \
	--data-binary @"$TMP/event.ics" "$BASE/dav/calendars/$DAV/tasks/x-$RUN.ics"
expect_status "caldav: malformed XML in a PROPFIND is 400" 400 "${AUTH[@]}" "${XML[@]}" -X PROPFIND -H "Depth: 1" \
	--data-binary '<D:propfind xmlns:D="DAV:"><D:prop>' "$CAL/"
expect_status "caldav: an XML body with a DTD is refused" 400 "${AUTH[@]}" "${XML[@]}" -X PROPFIND -H "Depth: 0" \
	--data-binary '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>' "$CAL/"
expect_status "caldav: another user's calendar is 404" 404 "${AUTH[@]}" -X PROPFIND -H "Depth: 1" \
	"$BASE/dav/calendars/$OTHER/events/"
$SQL -e "INSERT INTO activities (kind, subject, at, assignee_id, created_by) VALUES ('meeting', 'Not yours $RUN', '2026-12-01 12:00:00', $OTHER, $OTHER)"
NOT_MINE=$($SQL -e "SELECT id FROM activities WHERE subject = 'Not yours $RUN'")
expect_status "caldav: another user's meeting is 404" 404 "${AUTH[@]}" "$CAL/activity-$NOT_MINE.ics"
expect_status "caldav: and cannot be overwritten" 404 "${AUTH[@]}" "${ICS[@]}" -X PUT --data-binary @"$TMP/moved.ics" \
	"$CAL/activity-$NOT_MINE.ics"
fetch "${AUTH[@]}" "${XML[@]}" -X PROPFIND -H "Depth: 1" --data-binary \
	'<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><D:getetag/><CS:getctag/><D:sync-token/><D:x-unknown/></D:prop></D:propfind>' "$CAL/"
[ "$STATUS" = 207 ] && grep -q "activity-$CRM_ID.ics" "$TMP/b" && ! grep -q "activity-$NOT_MINE.ics" "$TMP/b" &&
	grep -q '<CS:getctag>[0-9]' "$TMP/b" && grep -q 'HTTP/1.1 404 Not Found' "$TMP/b" &&
	ok "caldav: PROPFIND depth 1 lists the user's items with ETags, the ctag, and 404 for unknown props" ||
	fail "caldav: PROPFIND depth 1: $STATUS $(head -c 600 "$TMP/b")"
multiget='<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>'
multiget="$multiget<D:href>/dav/calendars/$DAV/events/activity-$CRM_ID.ics</D:href><D:href>/dav/calendars/$DAV/events/activity-$NOT_MINE.ics</D:href></C:calendar-multiget>"
fetch "${AUTH[@]}" "${XML[@]}" -X REPORT --data-binary "$multiget" "$CAL/"
[ "$STATUS" = 207 ] && grep -q "SUMMARY:Moved $RUN" "$TMP/b" &&
	grep -q "activity-$NOT_MINE.ics</D:href><D:status>HTTP/1.1 404" "$TMP/b" &&
	ok "caldav: calendar-multiget returns the user's item and 404 for another's" || fail "caldav: multiget: $(head -c 600 "$TMP/b")"

# --- CardDAV with vdirsyncer ----------------------------------------------
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, phone, phone_e164, owner_id) VALUES ('Other', 'Person $RUN', 'Other Person $RUN', 'op-$RUN@example.com', 'op-$RUN@example.com', '', '', $OTHER)"
OTHER_CONTACT=$($SQL -e "SELECT id FROM contacts WHERE last_name = 'Person $RUN'")
$SQL -e "UPDATE contacts SET phone = '+86 138 0013 8000', phone_e164 = '+8613800138000', title = 'Buyer' WHERE id = $CONTACT"
mkdir -p "$TMP/vd/books"
cat > "$TMP/vd/config" <<EOF
[general]
status_path = "$TMP/vd/status/"

[pair book]
a = "crm"
b = "disk"
collections = ["from a"]

[storage crm]
type = "carddav"
url = "$BASE/"
username = "$EMAIL"
password = "$TOKEN"

[storage disk]
type = "filesystem"
path = "$TMP/vd/books/"
fileext = ".vcf"
EOF
vds() { vdirsyncer -c "$TMP/vd/config" "$@" >"$TMP/vd/out" 2>&1; }
yes | vds discover
vds sync
card=$(grep -l "^FN:Cal Contact $RUN" "$TMP"/vd/books/contacts/*.vcf 2>/dev/null | head -1)
[ -n "$card" ] && grep -q "^EMAIL:cal-$RUN@example.com" "$card" && grep -q '^TITLE:Buyer' "$card" &&
	! grep -rq "Person $RUN" "$TMP/vd/books" &&
	ok "carddav: vdirsyncer syncs the user's contacts to disk, not another's" ||
	fail "carddav: first sync: $(cat "$TMP/vd/out") $(ls "$TMP/vd/books/contacts" 2>&1)"
# Edited on disk: the CRM has the new e-mail and title; the phone as typed.
sed -i "s/^EMAIL:cal-$RUN@example.com/EMAIL:cal.new-$RUN@example.org/; s/^TITLE:Buyer/TITLE:Head buyer/" "$card"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:disk-%s\r\nFN:Bo Wang\r\nN:Wang;Bo %s;;;\r\nEMAIL;TYPE=INTERNET:bo-%s@example.com\r\nTEL;TYPE=CELL:+86 139 0000 %04d\r\nEND:VCARD\r\n' \
	"$RUN" "$RUN" "$RUN" $(( RUN % 10000 )) > "$TMP/vd/books/contacts/disk-$RUN.vcf"
vds sync
[ "$($SQL -e "SELECT CONCAT_WS('|', email, email_norm, title, phone) FROM contacts WHERE id = $CONTACT")" = "cal.new-$RUN@example.org|cal.new-$RUN@example.org|Head buyer|+86 138 0013 8000" ] &&
	ok "carddav: a contact edited in a .vcf file on disk changes in the CRM" ||
	fail "carddav: disk edit: $($SQL -e "SELECT CONCAT_WS('|', email, email_norm, title, phone) FROM contacts WHERE id = $CONTACT") $(cat "$TMP/vd/out")"
row=$($SQL -e "SELECT CONCAT_WS('|', full_name, owner_id, dav_uid, source) FROM contacts WHERE email = 'bo-$RUN@example.com'")
[ "$row" = "Bo $RUN Wang|$DAV|disk-$RUN|dav" ] && ok "carddav: a new card on disk is a new contact of the user's, its UID kept" ||
	fail "carddav: new card: '$row' $(cat "$TMP/vd/out")"
expect_status "carddav: a second card with the same UID is 409" 409 "${AUTH[@]}" "${VCF[@]}" -X PUT \
	--data-binary @"$TMP/vd/books/contacts/disk-$RUN.vcf" "$BASE/dav/addressbooks/$DAV/contacts/dup-$RUN.vcf"
expect_body "carddav: with no-uid-conflict" '<X:no-uid-conflict/>'
[ "$(audits "$DAV" contact update)" -ge 1 ] && [ "$(audits "$DAV" contact create)" -ge 1 ] &&
	ok "carddav: both writes are audited" || fail "carddav: audit"
fetch -b "$TMP/dav" "$BASE/customers/search?q=cal.new-$RUN"
grep -q "Cal Contact $RUN" "$TMP/b" && ok "carddav: the search box finds the contact by its new e-mail" ||
	fail "carddav: search after a DAV update: $STATUS"
vds sync
# A CRM edit through the contact form appears on disk.
curl -s -b "$TMP/dav" "$BASE/customers/contacts/$CONTACT" -o "$TMP/contact.html"
code=$(curl -s -b "$TMP/dav" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/contact.html")" \
	-d first_name=Cal -d "last_name=Contact $RUN" -d "email=crm-edit-$RUN@example.com" --data-urlencode "phone=+86 138 0013 8000" \
	-d "title=Director" "$BASE/customers/contacts/$CONTACT")
vds sync
grep -q "^EMAIL:crm-edit-$RUN@example.com" "$card" && grep -q '^TITLE:Director' "$card" &&
	ok "carddav: a CRM edit through the form appears on disk" || fail "carddav: CRM edit ($code): $(cat "$TMP/vd/out") $(cat "$card")"
vds sync
grep -q 'Copying' "$TMP/vd/out" && fail "carddav: a second sync with nothing changed transferred: $(cat "$TMP/vd/out")" ||
	ok "carddav: a second sync with nothing changed transfers nothing"

q='<CR:addressbook-query xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><CR:address-data/></D:prop>'
fetch "${AUTH[@]}" "${XML[@]}" -X REPORT -H "Depth: 1" --data-binary "$q<CR:filter><CR:prop-filter name=\"EMAIL\"><CR:text-match match-type=\"contains\">CRM-EDIT-$RUN</CR:text-match></CR:prop-filter></CR:filter></CR:addressbook-query>" "$BASE/dav/addressbooks/$DAV/contacts/"
[ "$STATUS" = 207 ] && [ "$(grep -c '<D:response>' "$TMP/b")" = 1 ] && grep -q "EMAIL:crm-edit-$RUN@example.com" "$TMP/b" &&
	ok "carddav: addressbook-query with an e-mail text-match returns just that card" ||
	fail "carddav: addressbook-query: $STATUS $(head -c 500 "$TMP/b")"

# sync-collection (RFC 6578): only what changed since the token.
BOOK="$BASE/dav/addressbooks/$DAV/contacts/"
sync() { fetch "${AUTH[@]}" "${XML[@]}" -X REPORT --data-binary "<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>$1</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>" "$BOOK"; }
# A book larger than one answer comes in pages: each truncated answer
# marks the collection 507 and gives the token to go on from (RFC 6578
# 3.6), as a client follows it.
sync ""
: > "$TMP/pages"
for _ in $(seq 1 2000); do
	cat "$TMP/b" >> "$TMP/pages"
	TOK=$(grep -o 'urn:crm:sync:[0-9]*' "$TMP/b")
	grep -q 'HTTP/1.1 507' "$TMP/b" || break
	sync "$TOK"
done
cp "$TMP/pages" "$TMP/b"
[ "$STATUS" = 207 ] && grep -q "contact-$CONTACT.vcf" "$TMP/b" && [ -n "$TOK" ] && ok "carddav: an initial sync lists the contacts and gives a token" ||
	fail "carddav: initial sync: $STATUS $(head -c 400 "$TMP/b")"
sync "$TOK"
! grep -q '<D:response>' "$TMP/b" && grep -q "$TOK" "$TMP/b" && ok "carddav: a sync with the token and no change lists nothing" ||
	fail "carddav: empty sync: $(head -c 400 "$TMP/b")"
$SQL -e "UPDATE contacts SET title = 'Changed $RUN' WHERE id = $CONTACT"
sync "$TOK"
[ "$(grep -c '<D:response>' "$TMP/b")" = 1 ] && grep -q "contact-$CONTACT.vcf" "$TMP/b" &&
	ok "carddav: after one change the sync lists just that contact" || fail "carddav: one change: $(head -c 600 "$TMP/b")"
TOK=$(grep -o 'urn:crm:sync:[0-9]*' "$TMP/b")
BO=$($SQL -e "SELECT id FROM contacts WHERE email = 'bo-$RUN@example.com'")
expect_status "carddav: DELETE without customers.delete is 403" 403 "${AUTH[@]}" -X DELETE "$BOOK/disk-$RUN.vcf"
expect_status "carddav: another user's contact is 404" 404 "${AUTH[@]}" "$BOOK/contact-$OTHER_CONTACT.vcf"
$SQL -e "UPDATE contacts SET owner_id = $BOSS WHERE id = $BO"
expect_status "carddav: an admin deletes a card: to the trash" 204 -u "boss-$RUN@example.com:$(cat "$TMP/token-boss")" \
	-X DELETE "$BASE/dav/addressbooks/$BOSS/contacts/disk-$RUN.vcf"
[ "$($SQL -e "SELECT deleted_at IS NOT NULL FROM contacts WHERE id = $BO")" = 1 ] && ok "carddav: the deleted contact is in the trash" ||
	fail "carddav: delete did not trash"
sync "$TOK"
grep -q "disk-$RUN.vcf</D:href><D:status>HTTP/1.1 404" "$TMP/b" && ok "carddav: the sync reports the contact gone (out of reach, then deleted)" ||
	fail "carddav: sync after delete: $(head -c 600 "$TMP/b")"
printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:bad-%s\r\nEMAIL:x@example.com\r\nEND:VCARD\r\n' "$RUN" > "$TMP/noname.vcf"
expect_status "carddav: a card without a name is 400" 400 "${AUTH[@]}" "${VCF[@]}" -X PUT --data-binary @"$TMP/noname.vcf" "$BOOK/noname-$RUN.vcf"
printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bad Mail\r\nEMAIL:not-an-address\r\nEND:VCARD\r\n' > "$TMP/badmail.vcf"
expect_status "carddav: a card with a bad e-mail address is 422" 422 "${AUTH[@]}" "${VCF[@]}" -X PUT --data-binary @"$TMP/badmail.vcf" "$BOOK/badmail-$RUN.vcf"
[ "$($SQL -e "SELECT COUNT(*) FROM contacts WHERE full_name = 'Bad Mail' AND owner_id = $DAV")" = 0 ] &&
	ok "carddav: nothing half-written" || fail "carddav: a refused card was stored"
expect_status "carddav: a card PUT with If-Match of a stale version is 412" 412 "${AUTH[@]}" "${VCF[@]}" -X PUT \
	-H 'If-Match: "1-1"' --data-binary @"$card" "$BOOK/contact-$CONTACT.vcf"
