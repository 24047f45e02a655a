#!/bin/bash
# SLAs: an admin keeps the calendars (zone, hours, holidays) and the
# policy per priority; due times run in business minutes of the policy's
# calendar, across weekends and holidays; a pending ticket's clock stops
# and the minutes paused move its due times; past-due tickets are marked
# breached and counted by agent and category in the breach report.
. "$(dirname "$0")/lib.sh"
IP=127.0.16.$(( $$ % 250 + 1 ))
RUN=$$
PW='due by tuesday morning 6'
for who in ada:admin sid:support sam:support; do
	echo "$PW" | $CTL user add --email "${who%%:*}-sla$RUN@example.com" --name "${who%%:*} sla$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-sla$RUN@example.com"
done
SID=$($SQL -e "SELECT id FROM users WHERE email = 'sid-sla$RUN@example.com'")
SAM=$($SQL -e "SELECT id FROM users WHERE email = 'sam-sla$RUN@example.com'")
ADA=$($SQL -e "SELECT id FROM users WHERE email = 'ada-sla$RUN@example.com'")
# The policies are shared: put them back as they were when done.
SAVED=$($SQL -e "SELECT GROUP_CONCAT(CONCAT_WS(',', id, QUOTE(name), first_response_minutes, resolution_minutes, calendar_id, active) SEPARATOR ';') FROM sla_policies")
restore() {
	echo "$SAVED" | tr ';' '\n' | while IFS=, read -r id name fr res cal act; do
		$SQL -e "UPDATE sla_policies SET name = $name, first_response_minutes = $fr, resolution_minutes = $res, calendar_id = $cal, active = $act WHERE id = $id"
	done
}
trap restore EXIT
post() { # JAR PATH args...
	jar=$1 path=$2
	shift 2
	curl -s -b "$TMP/$jar" "$BASE/service/sla/breaches" -o "$TMP/t.html"
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" "$@" "$BASE$path")
}
q() { $SQL -e "$1"; }

# ---- the admin screens ----
expect_status "sla: support may not see the SLA settings" 403 -b "$TMP/sid" "$BASE/service/sla"
expect_status "sla: an admin sees the SLA settings" 200 -b "$TMP/ada" "$BASE/service/sla"
expect_body "sla: ... with the policy per priority" 'id="policy-'
expect_valid_html "sla: the settings page is valid HTML"
post sid /service/sla/calendars --data-urlencode "name=Desk sla$RUN" -d time_zone=Europe/London
[ "$STATUS" = 403 ] && ok "sla: support may not add a calendar" || fail "sla: support calendar: $STATUS"
post ada /service/sla/calendars --data-urlencode "name=Desk sla$RUN" -d time_zone=Europe/London
CAL=$(q "SELECT id FROM business_calendars WHERE name = 'Desk sla$RUN'")
[ "$STATUS" = 303 ] && [ -n "$CAL" ] && ok "sla: an admin adds a calendar" || fail "sla: add calendar: $STATUS"
post ada /service/sla/calendars --data-urlencode "name=Desk sla$RUN" -d time_zone=UTC
[ "$STATUS" = 409 ] && ok "sla: a calendar's name is unique" || fail "sla: duplicate calendar: $STATUS"
post ada /service/sla/calendars --data-urlencode "name=Mars sla$RUN" -d time_zone=Mars/Olympus
[ "$STATUS" = 422 ] && grep -q 'Enter a time zone' "$TMP/b" && [ -z "$(q "SELECT id FROM business_calendars WHERE name = 'Mars sla$RUN'")" ] &&
	ok "sla: an unknown time zone is refused" || fail "sla: bad zone: $STATUS"
hours=()
for d in 1 2 3 4 5; do hours+=(--data-urlencode "hours_$d=09:00-12:00, 13:00-17:00"); done
post ada "/service/sla/calendars/$CAL" --data-urlencode "name=Desk sla$RUN" -d time_zone=Europe/London "${hours[@]}" -d hours_6=17:00-09:00
[ "$STATUS" = 422 ] && grep -q 'Enter opening hours' "$TMP/b" && [ "$(q "SELECT COUNT(*) FROM business_hours WHERE calendar_id = $CAL")" = 0 ] &&
	ok "sla: hours that close before they open are refused, nothing saved" || fail "sla: bad hours: $STATUS"
post ada "/service/sla/calendars/$CAL" --data-urlencode "name=Desk sla$RUN" -d time_zone=Europe/London "${hours[@]}" -d hours_6="10:00-12:00, 11:00-13:00"
[ "$STATUS" = 422 ] && ok "sla: overlapping spans are refused" || fail "sla: overlap: $STATUS"
# Shanghai has no DST: a local 16:00 is 08:00 UTC whatever the date.
post ada "/service/sla/calendars/$CAL" --data-urlencode "name=Desk sla$RUN" -d time_zone=Asia/Shanghai "${hours[@]}"
[ "$STATUS" = 303 ] && [ "$(q "SELECT time_zone FROM business_calendars WHERE id = $CAL")" = Asia/Shanghai ] && [ "$(q "SELECT GROUP_CONCAT(CONCAT(weekday, ' ', TIME_FORMAT(opens, '%H:%i'), '-', TIME_FORMAT(closes, '%H:%i')) ORDER BY weekday, opens) FROM business_hours WHERE calendar_id = $CAL AND weekday = 1")" = "1 09:00-12:00,1 13:00-17:00" ] &&
	[ "$(q "SELECT COUNT(*) FROM business_hours WHERE calendar_id = $CAL")" = 10 ] && ok "sla: two spans a day, Monday to Friday" || fail "sla: hours: $STATUS"
expect_status "sla: the calendar page" 200 -b "$TMP/ada" "$BASE/service/sla/calendars/$CAL"
expect_body "sla: ... shows the hours as saved" 'value="09:00-12:00, 13:00-17:00"'
expect_valid_html "sla: the calendar page is valid HTML"
# A Friday one to two weeks ahead, and the Monday after it a holiday.
FRIDAY=$(q "SELECT CURRENT_DATE + INTERVAL ((4 - WEEKDAY(CURRENT_DATE) + 7) % 7 + 7) DAY")
MONDAY=$(q "SELECT '$FRIDAY' + INTERVAL 3 DAY")
TUESDAY=$(q "SELECT '$FRIDAY' + INTERVAL 4 DAY")
WEDNESDAY=$(q "SELECT '$FRIDAY' + INTERVAL 5 DAY")
post ada "/service/sla/calendars/$CAL/holidays" -d day=$MONDAY --data-urlencode "name=Founders day"
[ "$STATUS" = 303 ] && [ "$(q "SELECT name FROM holidays WHERE calendar_id = $CAL AND day = '$MONDAY'")" = "Founders day" ] &&
	ok "sla: a holiday is added" || fail "sla: holiday: $STATUS"
post ada "/service/sla/calendars/$CAL/holidays" -d day=$MONDAY --data-urlencode "name=Again"
[ "$STATUS" = 409 ] && ok "sla: a day is a holiday once" || fail "sla: duplicate holiday: $STATUS"
post ada "/service/sla/calendars/$CAL/holidays" -d day=2026-02-30
[ "$STATUS" = 422 ] && grep -q 'Enter a date' "$TMP/b" && ok "sla: a date that does not exist is refused" || fail "sla: bad holiday: $STATUS"
post ada "/service/sla/calendars/$CAL/holidays" -d day=2030-01-01
post ada "/service/sla/calendars/$CAL/holidays/delete" -d day=2030-01-01
[ "$STATUS" = 303 ] && [ "$(q "SELECT COUNT(*) FROM holidays WHERE calendar_id = $CAL")" = 1 ] && ok "sla: a holiday is removed" || fail "sla: remove holiday: $STATUS"
post ada "/service/sla/calendars/$CAL/holidays/delete" -d day=2030-01-01
[ "$STATUS" = 404 ] && ok "sla: removing a day that is no holiday is a 404" || fail "sla: remove missing: $STATUS"
expect_status "sla: a missing calendar is a 404" 404 -b "$TMP/ada" "$BASE/service/sla/calendars/999999999"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'business_calendar' AND entity_id = $CAL")" = 5 ] && ok "sla: calendar changes are audited" || fail "sla: calendar audit rows"

# A calendar around the clock, for the pause arithmetic on real time.
post ada /service/sla/calendars --data-urlencode "name=Always sla$RUN" -d time_zone=UTC
ALWAYS=$(q "SELECT id FROM business_calendars WHERE name = 'Always sla$RUN'")
all=()
for d in 1 2 3 4 5 6 7; do all+=(-d "hours_$d=00:00-24:00"); done
post ada "/service/sla/calendars/$ALWAYS" --data-urlencode "name=Always sla$RUN" -d time_zone=UTC "${all[@]}"
[ "$STATUS" = 303 ] && [ "$(q "SELECT COUNT(*) FROM business_hours WHERE calendar_id = $ALWAYS AND closes = '24:00:00'")" = 7 ] &&
	ok "sla: a day may run to midnight" || fail "sla: whole days: $STATUS"

LOW=$(q "SELECT id FROM sla_policies WHERE priority = 'low'")
URGENT=$(q "SELECT id FROM sla_policies WHERE priority = 'urgent'")
AUDITED=$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'sla_policy' AND entity_id = $LOW")
post ada "/service/sla/policies/$LOW" -d name=Low -d first_response_minutes=0 -d resolution_minutes=600 -d calendar_id=$CAL -d active=1
[ "$STATUS" = 422 ] && grep -q 'whole number of minutes' "$TMP/b" && ok "sla: a target of 0 minutes is refused" || fail "sla: zero target: $STATUS"
post ada "/service/sla/policies/$LOW" -d name=Low -d first_response_minutes=700 -d resolution_minutes=600 -d calendar_id=$CAL -d active=1
[ "$STATUS" = 422 ] && grep -q 'cannot be shorter' "$TMP/b" && ok "sla: resolution before first response is refused" || fail "sla: order: $STATUS"
post ada "/service/sla/policies/$LOW" -d name=Low -d first_response_minutes=120 -d resolution_minutes=600 -d calendar_id=999999999 -d active=1
[ "$STATUS" = 422 ] && [ "$(q "SELECT calendar_id FROM sla_policies WHERE id = $LOW")" != 999999999 ] && ok "sla: a calendar that does not exist is refused" || fail "sla: ghost calendar: $STATUS"
post sid "/service/sla/policies/$LOW" -d name=Low -d first_response_minutes=120 -d resolution_minutes=600 -d calendar_id=$CAL -d active=1
[ "$STATUS" = 403 ] && ok "sla: support may not change a policy" || fail "sla: support policy: $STATUS"
post ada "/service/sla/policies/$LOW" --data-urlencode "name=Low sla$RUN" -d first_response_minutes=120 -d resolution_minutes=600 -d calendar_id=$CAL -d active=1
[ "$STATUS" = 303 ] && [ "$(q "SELECT CONCAT_WS('|', name, first_response_minutes, resolution_minutes, calendar_id, active) FROM sla_policies WHERE id = $LOW")" = "Low sla$RUN|120|600|$CAL|1" ] &&
	ok "sla: an admin edits a policy" || fail "sla: policy: $STATUS"
post ada "/service/sla/policies/$URGENT" -d name=Urgent -d first_response_minutes=60 -d resolution_minutes=240 -d calendar_id=$ALWAYS -d active=1
[ "$STATUS" = 303 ] && ok "sla: the urgent policy runs around the clock" || fail "sla: urgent policy: $STATUS"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'sla_policy' AND entity_id = $LOW")" = $((AUDITED + 1)) ] && ok "sla: the policy change is audited, the refused ones not" || fail "sla: policy audit"

# ---- due times ----
q "INSERT INTO ticket_categories (name) VALUES ('Late sla$RUN'), ('Other sla$RUN')"
KAT=$(q "SELECT id FROM ticket_categories WHERE name = 'Late sla$RUN'")
OTHER=$(q "SELECT id FROM ticket_categories WHERE name = 'Other sla$RUN'")
ticket() { # SUBJECT PRIORITY STATUS CREATED OWNER CATEGORY [extra columns] [extra values]
	q "INSERT INTO tickets (subject, priority, status, created_at, owner_id, category_id$7) VALUES ('$1 sla$RUN', '$2', '$3', $4, $5, $6$8)"
	q "SELECT id FROM tickets WHERE subject = '$1 sla$RUN'"
}
# That Friday at 16:00 in Shanghai: one hour left that day, Monday a holiday.
FRI=$(ticket Friday low open "'$FRIDAY 08:00:00'" $SID $KAT)
WAIT=$(ticket Waiting low pending "'$FRIDAY 08:00:00'" $SID $KAT)
# Friday 20 November 2026, 16:00 in Shanghai: long past due by now.
LATE=$(ticket Late low open "'2026-11-20 08:00:00'" $SID $KAT)
ANSWERED=$(ticket Answered low open "'2026-11-20 08:00:00'" $SAM $KAT ", first_responded_at" ", '2026-11-20 08:30:00'")
HELD=$(ticket Held low pending "'2026-11-20 08:00:00'" $SAM $OTHER ", paused_at" ", '2026-11-20 08:10:00'")
DONE=$(ticket Done low resolved "'2026-11-20 08:00:00'" $SAM $OTHER)
# Urgent, around the clock: created 30 minutes ago, paused for the last 20.
RESUMED=$(ticket Resumed urgent open "UTC_TIMESTAMP() - INTERVAL 30 MINUTE" $SAM $OTHER ", paused_at" ", UTC_TIMESTAMP() - INTERVAL 20 MINUTE")
post sid /service/sla/recalculate
[ "$STATUS" = 403 ] && ok "sla: support may not recalculate" || fail "sla: support recalculate: $STATUS"
# recalc: an admin asks, the job runner does it (whichever runner comes
# first: the stack's own, or this one-off that stops when nothing is left).
recalc() {
	post ada /service/sla/recalculate
	RECALC_STATUS=$STATUS
	"$TOP/cgi-bin/crm-service" --config "$CRM_E2E_DIR/crm.conf" jobs --once 2>>"$TMP/jobs.log"
	RECALC_RUN=$(q "SELECT CONCAT_WS('|', id, finished_at IS NOT NULL, superseded, tickets >= expected, after_id > 0) FROM sla_recalc_runs ORDER BY id DESC LIMIT 1")
}
recalc
[ "$RECALC_STATUS" = 303 ] && ok "sla: an admin queues the open tickets' recalculation" || fail "sla: recalculate: $RECALC_STATUS $(head -c 300 "$TMP/b")"
[ "${RECALC_RUN#*|}" = "1|0|1|1" ] && ok "sla: ... the job runner finishes it, every open ticket done" || fail "sla: recalculation run: $RECALC_RUN"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'recalculate' AND entity = 'sla_policy' AND user_id = $ADA")" -ge 1 ] &&
	ok "sla: ... the request audited" || fail "sla: recalculation not audited"
fetch -b "$TMP/ada" "$BASE/service/sla"
grep -q 'id="recalc-status" data-running="false"' "$TMP/b" && grep -q "Last recalculated" "$TMP/b" && ok "sla: ... and the SLA page says when it last ran" || fail "sla: recalculation status: $(grep -o 'id="recalc-status"[^>]*' "$TMP/b")"
due() { q "SELECT CONCAT_WS('|', IFNULL(first_response_due, '-'), IFNULL(resolution_due, '-')) FROM tickets WHERE id = $1"; }
# First response, 120 min: 16:00-17:00 Friday, the holiday Monday, 09:00-10:00
# Tuesday (02:00 UTC). Resolution, 600 min: 60 Friday, 420 Tuesday, 120
# Wednesday from 09:00, so 11:00 (03:00 UTC).
[ "$(due $FRI)" = "$TUESDAY 02:00:00|$WEDNESDAY 03:00:00" ] && ok "sla: a Friday afternoon's due times land on Tuesday and Wednesday, past the holiday" ||
	fail "sla: Friday due times: $(due $FRI)"
[ "$(q "SELECT sla_policy_id FROM tickets WHERE id = $FRI")" = "$LOW" ] && ok "sla: ... on the policy of its priority" || fail "sla: policy id"
[ "$(q "SELECT paused_at IS NOT NULL FROM tickets WHERE id = $WAIT")" = 1 ] && ok "sla: a pending ticket's clock is paused" || fail "sla: pending not paused"
[ "$(due $DONE)" = "-|-" ] && ok "sla: a resolved ticket is left alone" || fail "sla: resolved got due times: $(due $DONE)"
P=$(q "SELECT paused_minutes FROM tickets WHERE id = $RESUMED")
[ "$P" -ge 19 ] && [ "$P" -le 21 ] && [ "$(q "SELECT paused_at IS NULL FROM tickets WHERE id = $RESUMED")" = 1 ] &&
	ok "sla: an open ticket's pause ends, its $P minutes counted" || fail "sla: resume: paused_minutes $P"
[ "$(q "SELECT CONCAT(TIMESTAMPDIFF(MINUTE, created_at, first_response_due), '|', TIMESTAMPDIFF(MINUTE, created_at, resolution_due)) FROM tickets WHERE id = $RESUMED")" = "$((60 + P))|$((240 + P))" ] &&
	ok "sla: ... and both due times move later by them" || fail "sla: resumed due: $(due $RESUMED)"
# Answered, then paused 45 minutes: the first response's due time stays.
q "UPDATE tickets SET first_responded_at = UTC_TIMESTAMP(), paused_at = UTC_TIMESTAMP() - INTERVAL 45 MINUTE WHERE id = $RESUMED"
BEFORE=$(due $RESUMED)
recalc
P2=$(q "SELECT paused_minutes FROM tickets WHERE id = $RESUMED")
[ "$(q "SELECT first_response_due FROM tickets WHERE id = $RESUMED")" = "${BEFORE%%|*}" ] && [ "$P2" -ge $((P + 44)) ] && [ "$P2" -le $((P + 46)) ] &&
	[ "$(q "SELECT TIMESTAMPDIFF(MINUTE, created_at, resolution_due) FROM tickets WHERE id = $RESUMED")" = "$((240 + P2))" ] &&
	ok "sla: after a first response only the resolution moves" || fail "sla: second pause: $BEFORE -> $(due $RESUMED), $P2"

# ---- breaches ----
br() { q "SELECT CONCAT(first_response_breached, resolution_breached) FROM tickets WHERE id = $1"; }
[ "$(br $LATE)" = 11 ] && ok "sla: a ticket past both due times is breached twice" || fail "sla: late: $(br $LATE)"
[ "$(br $ANSWERED)" = 01 ] && ok "sla: an answered ticket breaches only its resolution" || fail "sla: answered: $(br $ANSWERED)"
[ "$(br $HELD)" = 00 ] && ok "sla: a paused ticket does not breach" || fail "sla: held: $(br $HELD)"
[ "$(br $FRI)" = 00 ] && ok "sla: a ticket not yet due does not breach" || fail "sla: friday: $(br $FRI)"
[ "$(q "SELECT due FROM (SELECT resolution_due AS due FROM tickets WHERE id = $LATE) x")" = "2026-11-24 03:00:00" ] && ok "sla: the late ticket was due Tuesday 11:00 in Shanghai" || fail "sla: late due: $(due $LATE)"

expect_status "sla: the breach report" 200 -b "$TMP/ada" "$BASE/service/sla/breaches?from=2026-11-01&to=2026-11-30"
expect_valid_html "sla: the breach report is valid HTML"
grep -q "<td>sid sla$RUN</td><td>1</td><td>1</td><td>1</td>" "$TMP/b" && ok "sla: counted by agent: sid 1 ticket, both missed" || fail "sla: by agent sid $(grep -o "<td>sid sla$RUN</td>.\{0,60\}" "$TMP/b")"
grep -q "<td>sam sla$RUN</td><td>1</td><td>0</td><td>1</td>" "$TMP/b" && ok "sla: ... sam 1 ticket, resolution missed" || fail "sla: by agent sam"
grep -q "<td>Late sla$RUN</td><td>2</td><td>1</td><td>2</td>" "$TMP/b" && ok "sla: counted by category" || fail "sla: by category"
grep -q "Other sla$RUN" "$TMP/b" && fail "sla: a category without breaches is listed" || ok "sla: a category without breaches is not listed"
grep -q "id=\"ticket-$LATE\"" "$TMP/b" && grep -q "id=\"ticket-$ANSWERED\"" "$TMP/b" && ok "sla: the breached tickets are listed" || fail "sla: list"
expect_status "sla: a narrower range" 200 -b "$TMP/ada" "$BASE/service/sla/breaches?from=2026-11-21&to=2026-11-30"
grep -q "id=\"ticket-$LATE\"" "$TMP/b" && fail "sla: a ticket outside the range is listed" || ok "sla: a ticket created before the range is left out"
expect_status "sla: support sees the report" 200 -b "$TMP/sid" "$BASE/service/sla/breaches?from=2026-11-01&to=2026-11-30"
grep -q "id=\"ticket-$ANSWERED\"" "$TMP/b" && fail "sla: support sees another agent's ticket" || ok "sla: ... only their own tickets"
expect_status "sla: a malformed date is refused" 422 -b "$TMP/ada" "$BASE/service/sla/breaches?from=2026-13-01"
expect_status "sla: a forged page link is refused" 400 -b "$TMP/ada" "$BASE/service/sla/breaches?after=x,1"

# Paging: 55 breached tickets of sid's, newest first, 50 a page.
q "INSERT INTO tickets (subject, priority, status, created_at, owner_id, category_id, resolution_breached)
   SELECT CONCAT('Bulk ', n, ' sla$RUN'), 'low', 'open', '2026-11-10 08:00:00' + INTERVAL n MINUTE, $SID, $OTHER, TRUE
   FROM (SELECT a.n * 10 + b.n AS n FROM (SELECT 0 n UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5) a,
         (SELECT 0 n UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) b) x
   WHERE n < 54"
expect_status "sla: the report for sid over 55 tickets" 200 -b "$TMP/sid" "$BASE/service/sla/breaches?from=2026-11-01&to=2026-11-30"
N1=$(grep -o 'id="ticket-[0-9]*"' "$TMP/b" | wc -l)
NEXT=$(grep -o 'href="[^"]*" rel="next"' "$TMP/b" | sed 's/href="//;s/" rel.*//;s/&amp;/\&/g')
[ "$N1" = 50 ] && [ -n "$NEXT" ] && ok "sla: 50 on the first page, and a next page" || fail "sla: first page $N1 next '$NEXT'"
grep -q "<td>sid sla$RUN</td><td>55</td><td>1</td><td>55</td>" "$TMP/b" && ok "sla: the counts cover the whole range, not the page" || fail "sla: counts over pages"
[ -n "$NEXT" ] && expect_status "sla: the next page" 200 -b "$TMP/sid" "$BASE$NEXT" || fail "sla: no next page link"
N2=$(grep -o 'id="ticket-[0-9]*"' "$TMP/b" | wc -l)
[ "$N2" = 5 ] && grep -q 'Bulk 0 sla' "$TMP/b" && ! grep -q 'rel="next"' "$TMP/b" && ok "sla: the last 5 on the second page, the oldest last" || fail "sla: second page $N2"

# ---- time left on a ticket ----
expect_status "sla: a ticket's SLA state" 200 -b "$TMP/ada" "$BASE/service/sla/tickets/$RESUMED"
expect_valid_html "sla: the ticket's SLA page is valid HTML"
LEFT=$(grep -o '<span id="resolution-left">[^<]*' "$TMP/b" | sed 's/.*>//')
# Due 240 + paused minutes after creation, 30 minutes ago: about 4 h 35 min.
echo "$LEFT" | grep -Eq '^4 h 3[0-9] min$' && grep -q '<span id="first-response-left"></span>' "$TMP/b" &&
	ok "sla: time left to resolve ($LEFT), none for the answered first response" || fail "sla: left '$LEFT'"
grep -q 'id="sla-clock">Running' "$TMP/b" && ok "sla: ... its clock running" || fail "sla: clock"
expect_status "sla: a late ticket's SLA state" 200 -b "$TMP/sid" "$BASE/service/sla/tickets/$LATE"
grep -Eq '<span id="resolution-left">overdue [0-9]+ h [0-9]+ min</span>' "$TMP/b" && grep -q 'id="sla-breached"' "$TMP/b" &&
	ok "sla: a late ticket shows overdue and breached" || fail "sla: overdue: $(grep -o '<span id="resolution-left">[^<]*' "$TMP/b")"
expect_status "sla: a paused ticket's SLA state" 200 -b "$TMP/ada" "$BASE/service/sla/tickets/$HELD"
grep -q 'id="sla-clock">Paused while pending' "$TMP/b" && ! grep -q 'id="sla-breached"' "$TMP/b" && ok "sla: ... paused, not breached" || fail "sla: paused state"
expect_status "sla: another agent's ticket is a 404 to support" 404 -b "$TMP/sid" "$BASE/service/sla/tickets/$ANSWERED"
