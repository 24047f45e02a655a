#!/bin/bash
# Tickets: create, edit with status transitions, reassign (audited), the
# thread (a public reply is the first response; notes stay internal),
# attachments (size and type limits, only for staff who see the ticket),
# the agent's queues with their counts and paging, and the assignment
# rules (round robin, fewest open tickets).
. "$(dirname "$0")/lib.sh"
IP=127.0.15.$(( $$ % 250 + 1 ))
RUN=$$
PW='tickets want answers 15'
$SQL -e "INSERT INTO teams (name) VALUES ('Desk tk$RUN'), ('Round tk$RUN'), ('Least tk$RUN')"
DESK=$($SQL -e "SELECT id FROM teams WHERE name = 'Desk tk$RUN'")
ROUND=$($SQL -e "SELECT id FROM teams WHERE name = 'Round tk$RUN'")
LEAST=$($SQL -e "SELECT id FROM teams WHERE name = 'Least tk$RUN'")
for who in ada:admin sam:support tom:support pg:support r1:support r2:support l1:support l2:support; do
	echo "$PW" | $CTL user add --email "${who%%:*}-tk$RUN@example.com" --name "${who%%:*} tk$RUN" --role "${who#*:}" --password-stdin >/dev/null
done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-tk$RUN@example.com'"; }
ADA=$(uid ada) SAM=$(uid sam) TOM=$(uid tom) PG=$(uid pg) R1=$(uid r1) R2=$(uid r2) L1=$(uid l1) L2=$(uid l2)
$SQL -e "UPDATE users SET team_id = $DESK WHERE id IN ($ADA, $SAM, $TOM, $PG);
	UPDATE users SET team_id = $ROUND WHERE id IN ($R1, $R2); UPDATE users SET team_id = $LEAST WHERE id IN ($L1, $L2)"
for who in ada sam tom pg; do signin "$TMP/$who" "$who-tk$RUN@example.com"; done
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, owner_id) VALUES ('Cora', 'Tk$RUN', 'Cora Tk$RUN', $ADA)"
CONTACT=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Cora Tk$RUN'")
$SQL -e "INSERT INTO ticket_categories (name) VALUES ('Round tk$RUN'), ('Least tk$RUN')"
CAT_RR=$($SQL -e "SELECT id FROM ticket_categories WHERE name = 'Round tk$RUN'")
CAT_LO=$($SQL -e "SELECT id FROM ticket_categories WHERE name = 'Least tk$RUN'")

# post JAR PATH curl-args...: with the form token of the JAR's queues page.
post() {
	jar=$1 path=$2
	shift 2
	curl -s -b "$TMP/$jar" "$BASE/service" -o "$TMP/t.html"
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" "$@" "$BASE$path")
}
upload() { # JAR TICKET curl-args...
	jar=$1 t=$2
	shift 2
	curl -s -b "$TMP/$jar" "$BASE/service" -o "$TMP/t.html"
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -w '%{http_code}' -F "csrf_token=$(csrf_of "$TMP/t.html")" "$@" "$BASE/service/tickets/$t/messages")
}
new_ticket() { # JAR curl-args...: leaves the new id in $T
	jar=$1
	shift
	# The first value of a field wins: the caller's, then these defaults.
	post "$jar" /service/tickets "$@" -d priority=normal -d channel=phone
	T=$(sed -n 's/^location: .*\/service\/tickets\/\([0-9]*\).*/\1/ip' "$TMP/h" | tr -d '\r')
}
col() { $SQL -e "SELECT $2 FROM tickets WHERE id = $1"; }

# Create, with a contact picked as "Name #id", tags and an assignee.
expect_status "tickets: the new ticket form" 200 -b "$TMP/ada" "$BASE/service/tickets/new"
expect_valid_html "tickets: ... is valid HTML"
new_ticket ada --data-urlencode "subject=Printer jams tk$RUN" --data-urlencode "description=It jams on page 2" \
	--data-urlencode "contact=Cora Tk$RUN #$CONTACT" -d priority=high -d channel=email -d owner_id=$ADA \
	--data-urlencode "tags=printer, urgent-ish"
[ "$STATUS" = 303 ] && [ -n "$T" ] && ok "tickets: an agent creates a ticket" || fail "tickets: create: $STATUS $(head -c 300 "$TMP/b")"
T1=$T
[ "$(col $T1 "CONCAT_WS('|', contact_id, priority, channel, status, owner_id)")" = "$CONTACT|high|email|new|$ADA" ] &&
	ok "tickets: ... with its contact, priority, channel, status new and assignee" || fail "tickets: stored $(col $T1 "CONCAT_WS('|', contact_id, priority, channel, status, owner_id)")"
[ "$($SQL -e "SELECT GROUP_CONCAT(g.name ORDER BY g.name) FROM tag_links l JOIN tags g ON g.id = l.tag_id WHERE l.entity = 'ticket' AND l.record_id = $T1")" = "printer,urgent-ish" ] &&
	ok "tickets: ... and its tags" || fail "tickets: tags not linked"
expect_status "tickets: the ticket page" 200 -b "$TMP/ada" "$BASE/service/tickets/$T1"
expect_body "tickets: ... shows the subject" "id=\"ticket-subject\">#$T1 Printer jams tk$RUN"
expect_body "tickets: ... the contact" "id=\"ticket-contact\"><a href=\"/customers/contacts/$CONTACT\">Cora Tk$RUN"
expect_valid_html "tickets: ... is valid HTML"
expect_status "tickets: the contact lookup is scoped and answers Name #id" 200 -b "$TMP/ada" "$BASE/api/v1/service/lookup/contacts?q=Cora%20Tk$RUN"
expect_body "tickets: ... with the pick's value" "\"value\": *\"Cora Tk$RUN #$CONTACT\""
fetch -b "$TMP/sam" "$BASE/api/v1/service/lookup/contacts?q=Cora%20Tk$RUN"
grep -q "#$CONTACT" "$TMP/b" && fail "tickets: an own-scope agent sees another's contact" || ok "tickets: ... and hides contacts out of scope"

# Bad input: named fields, nothing written.
before=$($SQL -e "SELECT COUNT(*) FROM tickets WHERE subject LIKE '%tk$RUN%'")
post ada /service/tickets -d subject= -d priority=huge -d channel=fax -d category_id=abc --data-urlencode "contact=Nobody tk$RUN" -d owner_id=999999999
[ "$STATUS" = 422 ] && grep -q 'Enter a subject' "$TMP/b" && grep -q 'Choose a priority' "$TMP/b" && grep -q 'Choose a channel' "$TMP/b" &&
	grep -q 'id="error-contact"' "$TMP/b" && grep -q 'id="error-owner"' "$TMP/b" && grep -q 'id="error-category"' "$TMP/b" &&
	ok "tickets: bad values are a 422 naming each field" || fail "tickets: bad values: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE subject LIKE '%tk$RUN%'")" = "$before" ] && ok "tickets: ... and nothing is written" || fail "tickets: a bad ticket was written"

# Edit: allowed transitions only, stamps resolved_at.
post ada "/service/tickets/$T1" --data-urlencode "subject=Printer jams badly tk$RUN" -d priority=urgent -d channel=email -d status=resolved \
	--data-urlencode "contact=Cora Tk$RUN #$CONTACT" -d tags=printer
[ "$STATUS" = 303 ] && [ "$(col $T1 "CONCAT_WS('|', subject, priority, status, resolved_at IS NOT NULL)")" = "Printer jams badly tk$RUN|urgent|resolved|1" ] &&
	ok "tickets: an edit saves and resolving stamps resolved_at" || fail "tickets: edit: $STATUS $(col $T1 "CONCAT_WS('|', subject, priority, status)")"
post ada "/service/tickets/$T1" --data-urlencode "subject=Printer jams badly tk$RUN" -d priority=urgent -d channel=email -d status=new
[ "$STATUS" = 422 ] && grep -q 'id="error-status"' "$TMP/b" && [ "$(col $T1 status)" = resolved ] &&
	ok "tickets: a transition back to new is refused (422)" || fail "tickets: bad transition: $STATUS $(col $T1 status)"
post ada "/service/tickets/$T1" --data-urlencode "subject=Printer jams badly tk$RUN" -d priority=urgent -d channel=email -d status=open
[ "$STATUS" = 303 ] && [ "$(col $T1 "CONCAT_WS('|', status, resolved_at IS NULL)")" = "open|1" ] && ok "tickets: a resolved ticket reopens" || fail "tickets: reopen: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM tag_links l WHERE l.entity = 'ticket' AND l.record_id = $T1")" = 0 ] &&
	ok "tickets: emptied tags are unlinked" || fail "tickets: tags kept after clearing"

# Thread: a note does not count as a response; a public reply does and opens a new ticket.
new_ticket ada --data-urlencode "subject=Thread tk$RUN" -d owner_id=$ADA
T2=$T
post ada "/service/tickets/$T2/messages" -d kind=internal --data-urlencode "body=Checked the logs tk$RUN"
[ "$STATUS" = 303 ] && [ "$(col $T2 "CONCAT_WS('|', status, first_responded_at IS NULL)")" = "new|1" ] &&
	ok "tickets: an internal note leaves the ticket new and unanswered" || fail "tickets: note: $STATUS $(col $T2 status)"
post ada "/service/tickets/$T2/messages" -d kind=public --data-urlencode "body=We are on it tk$RUN"
[ "$STATUS" = 303 ] && [ "$(col $T2 "CONCAT_WS('|', status, first_responded_at IS NOT NULL)")" = "open|1" ] &&
	ok "tickets: a public reply sets the first response and opens it" || fail "tickets: reply: $STATUS $(col $T2 status)"
FIRST=$(col $T2 first_responded_at)
sleep 1
post ada "/service/tickets/$T2/messages" -d kind=public --data-urlencode "body=Still on it tk$RUN"
[ "$(col $T2 first_responded_at)" = "$FIRST" ] && ok "tickets: a later reply keeps the first response time" || fail "tickets: first response moved"
[ "$($SQL -e "SELECT GROUP_CONCAT(kind ORDER BY id) FROM ticket_messages WHERE ticket_id = $T2")" = "internal,public,public" ] &&
	ok "tickets: the thread keeps kinds in order" || fail "tickets: thread kinds"
expect_status "tickets: the thread shows" 200 -b "$TMP/ada" "$BASE/service/tickets/$T2"
grep -q 'data-kind="internal"' "$TMP/b" && grep -q "Checked the logs tk$RUN" "$TMP/b" && ok "tickets: ... with the note marked internal" || fail "tickets: note not shown"
post ada "/service/tickets/$T2/messages" -d kind=shout -d body=
[ "$STATUS" = 422 ] && grep -q 'id="error-kind"' "$TMP/b" && grep -q 'id="error-body"' "$TMP/b" && ok "tickets: a bad message is a 422" || fail "tickets: bad message: $STATUS"

# Attachments.
printf 'line one tk%s\n' "$RUN" > "$TMP/notes.txt"
upload ada $T2 -F kind=internal -F "body=log attached" -F "file=@$TMP/notes.txt;type=text/html"
[ "$STATUS" = 303 ] && ok "tickets: a file is attached to a note" || fail "tickets: upload: $STATUS $(head -c 300 "$TMP/b")"
A=$($SQL -e "SELECT id FROM ticket_attachments WHERE ticket_id = $T2 ORDER BY id DESC LIMIT 1")
[ "$($SQL -e "SELECT CONCAT_WS('|', filename, content_type, size, LOWER(HEX(sha256))) FROM ticket_attachments WHERE id = '$A'")" = "notes.txt|text/plain|$(stat -c %s "$TMP/notes.txt")|$(sha256sum "$TMP/notes.txt" | cut -d' ' -f1)" ] &&
	ok "tickets: ... with its name, our type (not the browser's), size and sha256" || fail "tickets: attachment row $($SQL -e "SELECT filename, content_type, size FROM ticket_attachments WHERE id = '$A'")"
[ -f "$CRM_E2E_DIR/attachments/$A" ] && ok "tickets: ... stored on disk under its id" || fail "tickets: file not stored"
expect_status "tickets: the file comes back" 200 -b "$TMP/ada" "$BASE/service/attachments/$A"
cmp -s "$TMP/b" "$TMP/notes.txt" && ok "tickets: ... byte for byte" || fail "tickets: download differs"
expect_header "tickets: ... as a download" '^content-disposition: attachment; filename="notes.txt"'
expect_header "tickets: ... never sniffed" '^x-content-type-options: nosniff'
head -c 10485761 /dev/zero > "$TMP/big.txt"
upload ada $T2 -F kind=internal -F "body=too big" -F "file=@$TMP/big.txt"
[ "$STATUS" = 413 ] && grep -q 'id="error-file"' "$TMP/b" && ok "tickets: a file over 10 MB is a 413" || fail "tickets: big file: $STATUS"
printf 'MZ' > "$TMP/tool.exe"
upload ada $T2 -F kind=internal -F "body=a program" -F "file=@$TMP/tool.exe"
[ "$STATUS" = 422 ] && grep -q 'id="error-file"' "$TMP/b" && ok "tickets: a type off the list is a 422" || fail "tickets: exe: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $T2 AND body IN ('too big', 'a program')")" = 0 ] &&
	ok "tickets: ... and refused uploads leave no message" || fail "tickets: refused upload wrote a message"

# Scope: sam (support, own scope) cannot see tom's ticket or its files.
new_ticket tom --data-urlencode "subject=Tom's own tk$RUN" -d owner_id=$TOM
T3=$T
upload tom $T3 -F kind=public -F "body=photo" -F "file=@$TMP/notes.txt"
A3=$($SQL -e "SELECT id FROM ticket_attachments WHERE ticket_id = $T3")
[ "$($SQL -e "SELECT CONCAT(public, '|', (SELECT public FROM ticket_attachments WHERE id = '$A'))
	FROM ticket_attachments WHERE id = '$A3'")" = "1|0" ] && ok "tickets: a public reply's file is the customer's to see, a note's is not" || fail "tickets: public flags"
expect_status "tickets: another agent's ticket is a 404 for an own-scope agent" 404 -b "$TMP/sam" "$BASE/service/tickets/$T3"
expect_status "tickets: ... and so is its attachment" 404 -b "$TMP/sam" "$BASE/service/attachments/$A3"
expect_status "tickets: ... and its edit form" 404 -b "$TMP/sam" "$BASE/service/tickets/$T3/edit"
post sam "/service/tickets/$T3/messages" -d kind=public -d body=hi
[ "$STATUS" = 404 ] && ok "tickets: ... and a reply to it" || fail "tickets: out-of-scope reply: $STATUS"
expect_status "tickets: the owner sees the file" 200 -b "$TMP/tom" "$BASE/service/attachments/$A3"
expect_status "tickets: an admin sees every ticket" 200 -b "$TMP/ada" "$BASE/service/tickets/$T3"

# Reassign, audited; then the new owner's queue.
post tom "/service/tickets/$T3/reassign" -d owner_id=$SAM -d team_id=$DESK
[ "$STATUS" = 303 ] && [ "$(col $T3 "CONCAT_WS('|', owner_id, team_id)")" = "$SAM|$DESK" ] && ok "tickets: reassigned" || fail "tickets: reassign: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket' AND entity_id = $T3 AND action = 'reassign'")" = 1 ] &&
	ok "tickets: ... with an audit row" || fail "tickets: reassign not audited"
expect_status "tickets: now sam sees it" 200 -b "$TMP/sam" "$BASE/service/tickets/$T3"
post sam "/service/tickets/$T3/reassign" -d owner_id=999999999
[ "$STATUS" = 422 ] && [ "$(col $T3 owner_id)" = "$SAM" ] && ok "tickets: reassigning to nobody real is a 422" || fail "tickets: bad reassign: $STATUS"
[ "$($SQL -e "SELECT GROUP_CONCAT(DISTINCT action ORDER BY action) FROM audit_log WHERE entity = 'ticket' AND entity_id = $T2")" = "attach,create,note,reply" ] &&
	ok "tickets: creating, replies, notes and files are audited" || fail "tickets: audit $($SQL -e "SELECT GROUP_CONCAT(action) FROM audit_log WHERE entity = 'ticket' AND entity_id = $T2")"

# An own-scope agent keeps a contact they cannot see on their ticket, but
# cannot pick it anew.
new_ticket ada --data-urlencode "subject=Sam's customer tk$RUN" --data-urlencode "contact=Cora Tk$RUN #$CONTACT" -d owner_id=$SAM
T6=$T
post sam "/service/tickets/$T6" --data-urlencode "subject=Sam's customer again tk$RUN" --data-urlencode "contact=Cora Tk$RUN #$CONTACT" \
	-d priority=low -d channel=web -d status=pending
[ "$STATUS" = 303 ] && [ "$(col $T6 "CONCAT_WS('|', contact_id, status, channel)")" = "$CONTACT|pending|web" ] &&
	ok "tickets: an own-scope agent edits their ticket, keeping its contact" || fail "tickets: keep contact: $STATUS $(head -c 200 "$TMP/b")"
post sam "/service/tickets/$T6" --data-urlencode "subject=x tk$RUN" --data-urlencode "contact=Cora Tk$RUN" -d priority=low -d channel=web -d status=pending
[ "$STATUS" = 422 ] && grep -q 'id="error-contact"' "$TMP/b" && ok "tickets: ... but cannot pick a contact out of scope" || fail "tickets: out-of-scope contact: $STATUS"

# Queues: contents and counts.
expect_status "queues: sam's queues page" 200 -b "$TMP/sam" "$BASE/service"
expect_valid_html "queues: ... is valid HTML"
grep -q "id=\"queue-ticket-$T3\"" "$TMP/b" && ok "queues: my open tickets list the reassigned one" || fail "queues: mine lacks $T3"
[ "$(grep -o 'id="queue-count-mine" data-count="[0-9]*"' "$TMP/b" | grep -o '[0-9]*"$' | tr -d '"')" = "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE owner_id = $SAM AND status IN ('new','open','pending')")" ] &&
	ok "queues: ... and count them" || fail "queues: mine count"
new_ticket sam --data-urlencode "subject=Nobody's tk$RUN"
T4=$T
[ "$(col $T4 "IFNULL(owner_id, 'none')")" = none ] && ok "queues: a ticket without assignee or rule stays unassigned" || fail "queues: T4 owner $(col $T4 owner_id)"
expect_status "queues: the unassigned queue" 200 -b "$TMP/sam" "$BASE/service?queue=unassigned"
grep -q "id=\"queue-ticket-$T4\"" "$TMP/b" && ok "queues: ... lists it" || fail "queues: unassigned lacks $T4"
grep -q "id=\"queue-ticket-$T3\"" "$TMP/b" && fail "queues: an assigned ticket in unassigned" || ok "queues: ... and not assigned ones"
expect_status "tickets: an unassigned ticket is open to every agent" 200 -b "$TMP/tom" "$BASE/service/tickets/$T4"
new_ticket ada --data-urlencode "subject=Desk tk$RUN" -d owner_id=$TOM -d team_id=$DESK
T5=$T
expect_status "queues: the team queue" 200 -b "$TMP/ada" "$BASE/service?queue=team"
grep -q "id=\"queue-ticket-$T5\"" "$TMP/b" && ok "queues: ... lists the team's tickets for an all-scope agent" || fail "queues: team lacks $T5"
expect_status "queues: ... for an own-scope agent" 200 -b "$TMP/sam" "$BASE/service?queue=team"
grep -q "id=\"queue-ticket-$T5\"" "$TMP/b" && fail "queues: own scope sees tom's team ticket" || ok "queues: ... only those within the scope"
# T1 long past, so other tests' overdue tickets (real SLA due times)
# cannot push it off the queue's first page; T5 due within the window.
$SQL -e "UPDATE tickets SET status = 'open', resolution_due = UTC_TIMESTAMP() + INTERVAL 1 HOUR WHERE id = $T5;
	UPDATE tickets SET status = 'open', resolution_due = '2000-01-01 00:00:00' WHERE id = $T1;
	UPDATE tickets SET status = 'open', resolution_due = UTC_TIMESTAMP() + INTERVAL 10 HOUR WHERE id = $T2"
expect_status "queues: breaching soon" 200 -b "$TMP/ada" "$BASE/service?queue=due"
# Where each ticket stands in the whole due queue, walking its pages (other
# tests' overdue tickets may come first): one id per line, in order.
: > "$TMP/due"
url="/service?queue=due"
for _ in $(seq 1 40); do
	curl -s -b "$TMP/ada" "$BASE/api/v1$url" | python3 -c "
import json, sys
v = json.load(sys.stdin)
for t in v['tickets']: print(t['id'])
print('NEXT', v.get('next_page') or '')" > "$TMP/page"
	grep -v '^NEXT' "$TMP/page" >> "$TMP/due"
	url=$(sed -n 's/^NEXT //p' "$TMP/page")
	[ -n "$url" ] || break
done
pos() { grep -nx "$1" "$TMP/due" | cut -d: -f1; }
[ -n "$(pos $T5)" ] && [ -n "$(pos $T1)" ] && ok "queues: ... lists the ones due within 4 hours or past" || fail "queues: due lacks $T1/$T5"
[ -z "$(pos $T2)" ] && ok "queues: ... not the later ones" || fail "queues: due lists one due in 10 hours"
[ -n "$(pos $T1)" ] && [ -n "$(pos $T5)" ] && [ "$(pos $T1)" -lt "$(pos $T5)" ] && ok "queues: ... the most overdue first" || fail "queues: due order"
expect_status "queues: an unknown queue is a 400" 400 -b "$TMP/ada" "$BASE/service?queue=everything"
# Paging: 51 open tickets of pg's.
$SQL -e "INSERT INTO tickets (subject, owner_id, status) SELECT CONCAT('Page tk$RUN ', seq), $PG, 'open' FROM seq_1_to_51"
expect_status "queues: a full queue" 200 -b "$TMP/pg" "$BASE/service?queue=mine"
[ "$(grep -c 'id="queue-ticket-' "$TMP/b")" = 50 ] && grep -q 'id="queue-count-mine" data-count="51"' "$TMP/b" && ok "queues: ... shows 50 and counts 51" || fail "queues: page 1 $(grep -c 'id="queue-ticket-' "$TMP/b")"
NEXT=$(grep -o 'href="[^"]*" rel="next"' "$TMP/b" | sed 's/href="//;s/" rel="next"//;s/&amp;/\&/g')
expect_status "queues: the next page by keyset" 200 -b "$TMP/pg" "$BASE$NEXT"
[ "$(grep -c 'id="queue-ticket-' "$TMP/b")" = 1 ] && grep -q "Page tk$RUN 1<" "$TMP/b" && ok "queues: ... holds the oldest one" || fail "queues: page 2"

# Assignment rules: admin only; round robin; fewest open tickets.
post sam /service/rules -d name=x -d team_id=$ROUND -d method=round_robin
[ "$STATUS" = 403 ] && ok "rules: support may not add a rule" || fail "rules: support add: $STATUS"
post ada /service/rules -d name= -d team_id=abc -d method=coin
[ "$STATUS" = 422 ] && grep -q 'Enter a name' "$TMP/b" && grep -q 'Choose a method' "$TMP/b" && ok "rules: bad values are a 422" || fail "rules: bad: $STATUS"
post ada /service/rules --data-urlencode "name=Round tk$RUN" -d category_id=$CAT_RR -d team_id=$ROUND -d method=round_robin
[ "$STATUS" = 303 ] && ok "rules: an admin adds a round-robin rule" || fail "rules: add rr: $STATUS $(head -c 300 "$TMP/b")"
post ada /service/rules --data-urlencode "name=Least tk$RUN" -d category_id=$CAT_LO -d team_id=$LEAST -d method=least_open
RULE_LO=$($SQL -e "SELECT id FROM ticket_rules WHERE name = 'Least tk$RUN'")
got=
for i in 1 2 3; do
	new_ticket sam --data-urlencode "subject=RR $i tk$RUN" -d category_id=$CAT_RR
	got="$got$(col $T "CONCAT(owner_id, '/', team_id)") "
done
[ "$got" = "$R1/$ROUND $R2/$ROUND $R1/$ROUND " ] && ok "rules: round robin takes turns in the team" || fail "rules: round robin gave $got (wanted $R1 $R2 $R1)"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket' AND entity_id = $T AND action = 'assign'")" = 1 ] && ok "rules: ... and the assignment is audited" || fail "rules: assign not audited"
$SQL -e "INSERT INTO tickets (subject, owner_id, status) VALUES ('L1 a tk$RUN', $L1, 'open'), ('L1 b tk$RUN', $L1, 'pending'), ('L1 closed tk$RUN', $L1, 'closed')"
got=
for i in 1 2 3; do
	new_ticket sam --data-urlencode "subject=LO $i tk$RUN" -d category_id=$CAT_LO
	got="$got$(col $T owner_id) "
done
[ "$got" = "$L2 $L2 $L1 " ] && ok "rules: fewest open tickets, ties to the lowest id" || fail "rules: least open gave $got (wanted $L2 $L2 $L1)"
new_ticket sam --data-urlencode "subject=Picked tk$RUN" -d category_id=$CAT_LO -d owner_id=$TOM
[ "$(col $T owner_id)" = "$TOM" ] && ok "rules: an assignee given wins over the rules" || fail "rules: override"
post ada "/service/rules/$RULE_LO" --data-urlencode "name=Least tk$RUN" -d category_id=$CAT_LO -d team_id=$LEAST -d method=least_open
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT active FROM ticket_rules WHERE id = $RULE_LO")" = 0 ] && ok "rules: unticked, a rule is inactive" || fail "rules: update: $STATUS"
new_ticket sam --data-urlencode "subject=LO off tk$RUN" -d category_id=$CAT_LO
[ "$(col $T "IFNULL(owner_id, 'none')")" = none ] && ok "rules: ... and assigns no more" || fail "rules: inactive rule assigned $(col $T owner_id)"
expect_status "rules: the rules page" 200 -b "$TMP/ada" "$BASE/service/rules"
expect_valid_html "rules: ... is valid HTML"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket_rule' AND entity_id = $RULE_LO")" = 2 ] && ok "rules: changes are audited" || fail "rules: audit"
$SQL -e "UPDATE ticket_rules SET active = FALSE WHERE name LIKE '%tk$RUN'"
# Paging: 51 more (inactive) rules; following "Next page" lists every rule
# once, active ones first.
$SQL -e "INSERT INTO ticket_rules (position, name, team_id, method, active) SELECT seq, CONCAT('Pg tk$RUN ', seq), $ROUND, 'round_robin', FALSE FROM seq_1_to_51"
: > "$TMP/rules"
url=/service/rules
for _ in $(seq 1 400); do
	fetch -b "$TMP/ada" "$BASE$url"; [ "$STATUS" = 200 ] || break
	grep -o '<tr id="rule-[0-9]*"' "$TMP/b" | sed 's/[^0-9]//g' >> "$TMP/rules"
	url=$(grep -o 'href="[^"]*" id="next-page"' "$TMP/b" | sed 's/href="//;s/" id="next-page"//;s/&amp;/\&/g')
	[ -n "$url" ] || break
done
WANT=$($SQL -e "SELECT id FROM ticket_rules ORDER BY active DESC, position, id" | tr '\n' ' ')
GOT=$(tr '\n' ' ' < "$TMP/rules")
[ -n "$GOT" ] && [ "$GOT" = "$WANT" ] && ok "rules: the list pages by 50, every rule once, in order ($(wc -l < "$TMP/rules") rules)" || fail "rules: paging gave $(wc -l < "$TMP/rules") rows, not the $(echo "$WANT" | wc -w) in the table"
expect_status "rules: a forged cursor is a 400" 400 -b "$TMP/ada" "$BASE/service/rules?after=1&after_id=x"

# The queues' kept counts (028_ticket_counts.sql) agree with the tickets
# after every change above: created, reassigned, resolved, reopened.
KEPT=$($SQL -e "SET SESSION group_concat_max_len = 1000000; SELECT GROUP_CONCAT(CONCAT(team_id, ':', owner_id, '=', tickets) ORDER BY team_id, owner_id)
	FROM ticket_open_counts WHERE tickets <> 0")
REAL=$($SQL -e "SET SESSION group_concat_max_len = 1000000; SELECT GROUP_CONCAT(CONCAT(t, ':', o, '=', n) ORDER BY t, o) FROM (SELECT IFNULL(team_id, 0) AS t,
	IFNULL(owner_id, 0) AS o, COUNT(*) AS n FROM tickets WHERE status IN ('new', 'open', 'pending') AND deleted_at IS NULL
	GROUP BY 1, 2) x")
[ -n "$KEPT" ] && [ "$KEPT" = "$REAL" ] && ok "queues: the kept counts match the open tickets per team and agent" || fail "queues: kept counts $KEPT, real $REAL"
