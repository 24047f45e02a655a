#!/bin/bash
# Notifications: each kind arrives once, from real changes (a record
# created for someone else or given to them, @mentions in a ticket note
# and an activity's text, a quote approved) and from the runner's scans
# (a task due, a ticket near its SLA), never for one's own doing; the
# count in the layout; /notifications/unread with its ETag, the 304 to a
# matching If-None-Match, and that it costs no query beyond the session
# lookup (the server's Questions counter over a burst); the list, opening
# one (read, then on to the record), mark all read; the digest queued into
# mail_queue once; and the bell updating in a browser.
. "$(dirname "$0")/lib.sh"
IP=127.0.72.$(( $$ % 250 + 1 ))
RUN=$$
PW='bells ring for news 7'

for who in ada:admin sam:sales sue:support; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-$RUN@example.com'"; }
ada=$(uid ada) sam=$(uid sam) sue=$(uid sue)
setting() { $SQL -e "SELECT value FROM settings WHERE name = '$1'"; }
set_setting() { $SQL -e "UPDATE settings SET value = '$2' WHERE name = '$1'"; }
OLD_HOUR=$(setting notify_digest_hour)
trap 'set_setting notify_digest_hour "$OLD_HOUR"; rm -rf "$TMP"' EXIT

until_ok() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do eval "$*" && return 0; sleep 0.3; done
	return 1
}
# count USER KIND ENTITY ID: that user's notifications of a kind on a record.
count() { $SQL -e "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = '$2' AND entity = '$3' AND entity_id = $4"; }
unread() { $SQL -e "SELECT notify_unread FROM users WHERE id = $1"; }

fetch -b "$TMP/ada" "$BASE/customers/contacts/new"
T=$(csrf_of "$TMP/b")
fetch -b "$TMP/sam" "$BASE/notifications"
ST=$(csrf_of "$TMP/b")
expect_status "notifications: a signed-in user opens the page" 200 -b "$TMP/sam" "$BASE/notifications"
expect_body "notifications: ... with nothing yet" 'Nothing to tell you yet'
expect_valid_html "notifications: the empty page is valid HTML"
expect_status "notifications: signed out, the page sends to sign-in" 303 "$BASE/notifications"
expect_status "notifications: signed out, the count is refused" 303 "$BASE/notifications/unread"

# 1. Assigned: a contact given to sam by ada.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d first_name=Given -d "last_name=Away$RUN" "$BASE/customers/contacts"
contact=$($SQL -e "SELECT id FROM contacts WHERE last_name = 'Away$RUN'")
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d owner_id=$sam "$BASE/customers/contacts/$contact/owner"
[ "$STATUS" = 303 ] && ok "notifications: ada gives a contact to sam" || fail "notifications: reassign: $STATUS $(head -c 200 "$TMP/b")"
until_ok 20 '[ "$(count $sam assigned contact $contact)" = 1 ]' && ok "notifications: sam is told it was assigned to him" ||
	fail "notifications: no assigned notification"
row=$($SQL -e "SELECT CONCAT(title, '|', actor_id, '|', read_at IS NULL) FROM notifications WHERE user_id = $sam AND kind = 'assigned'")
[ "$row" = "Given Away$RUN|$ada|1" ] && ok "notifications: ... with the record's name and who did it" || fail "notifications: assigned row: $row"
[ "$($SQL -e "SELECT COUNT(*) FROM notifications WHERE user_id = $ada AND kind <> 'webhook'")" = 0 ] &&
	ok "notifications: ada is not told of her own doing" || fail "notifications: ada told of her own change"

# A task created for sam by ada (the activity's audit row has no
# assignee: it is read from the record).
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d kind=task -d contact_id=$contact --data-urlencode "subject=Call back $RUN" \
	-d at=2030-01-01T09:00 --data-urlencode "assignee=sam $RUN #$sam" "$BASE/customers/activities"
task=$($SQL -e "SELECT id FROM activities WHERE subject = 'Call back $RUN'")
[ -n "$task" ] && until_ok 20 '[ "$(count $sam assigned activity $task)" = 1 ]' &&
	ok "notifications: a task created for sam by ada tells sam" || fail "notifications: task assigned ($STATUS, task $task)"

# 2. Mentions: a ticket note naming sam by his address's local part and
# sue by her full name, ada herself, and an e-mail address (no mention).
$SQL -e "INSERT INTO tickets (subject, status, owner_id) VALUES ('Mention me $RUN', 'open', $ada)"
ticket=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Mention me $RUN'")
curl -s -b "$TMP/ada" "$BASE/service/tickets/$ticket" -o "$TMP/t.html"
STATUS=$(curl -s -b "$TMP/ada" -o "$TMP/b" -w '%{http_code}' -F "csrf_token=$(csrf_of "$TMP/t.html")" -F kind=internal \
	--form-string "body=@sam-$RUN please look, and @sue $RUN. @ada-$RUN too; mail x@sam-$RUN.example.com" "$BASE/service/tickets/$ticket/messages")
[ "$STATUS" = 303 ] && ok "notifications: ada writes a note with mentions" || fail "notifications: note: $STATUS"
until_ok 20 '[ "$(count $sam mention ticket $ticket)" = 1 ] && [ "$(count $sue mention ticket $ticket)" = 1 ]' &&
	ok "notifications: @local-part and @Full Name each tell their user once" ||
	fail "notifications: mentions: sam $(count $sam mention ticket $ticket) sue $(count $sue mention ticket $ticket)"
[ "$(count $ada mention ticket $ticket)" = 0 ] && ok "notifications: mentioning oneself tells nobody" || fail "notifications: self mention"
# An activity note's text.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d kind=note -d contact_id=$contact --data-urlencode "subject=Heads up $RUN" \
	--data-urlencode "body=Met them today (@sue-$RUN: follow up)" "$BASE/customers/activities"
note=$($SQL -e "SELECT id FROM activities WHERE subject = 'Heads up $RUN'")
[ -n "$note" ] && until_ok 20 '[ "$(count $sue mention activity $note)" = 1 ]' &&
	ok "notifications: a mention in an activity note tells its user" || fail "notifications: activity mention ($STATUS)"

# 3. A quote approved: its owner is told.
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Quoted $RUN', $sam)"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Quoted $RUN'")
$SQL -e "INSERT INTO price_books (name) VALUES ('Book $RUN')"
book=$($SQL -e "SELECT id FROM price_books WHERE name = 'Book $RUN'")
$SQL -e "INSERT INTO quotes (number, account_id, price_book_id, currency, valid_until, owner_id, title, status, max_discount)
	VALUES ('NQ-$RUN', $acc, $book, 'USD', '2031-01-01', $sam, 'Big deal', 'pending_approval', 40.00)"
quote=$($SQL -e "SELECT id FROM quotes WHERE number = 'NQ-$RUN'")
curl -s -b "$TMP/ada" "$BASE/sales/quotes/$quote" -o "$TMP/q.html"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$(csrf_of "$TMP/q.html")" -d "note=Fine $RUN" "$BASE/sales/quotes/$quote/approve"
[ "$STATUS" = 303 ] && ok "notifications: ada approves sam's quote" || fail "notifications: approve: $STATUS $(head -c 300 "$TMP/b")"
until_ok 20 '[ "$(count $sam quote_approved quote $quote)" = 1 ]' && ok "notifications: sam is told his quote was approved" ||
	fail "notifications: no quote_approved"

# 4. The scans: a task due in half an hour and a ticket whose first
# response falls due in ten minutes (written straight to the tables: the
# scans read the due times, not the audit log).
$SQL -e "INSERT INTO activities (kind, subject, at, assignee_id, created_by) VALUES ('task', 'Due soon $RUN', UTC_TIMESTAMP() + INTERVAL 30 MINUTE, $sam, $sam)"
due=$($SQL -e "SELECT id FROM activities WHERE subject = 'Due soon $RUN'")
$SQL -e "INSERT INTO activities (kind, subject, at, assignee_id, created_by) VALUES ('task', 'Far off $RUN', UTC_TIMESTAMP() + INTERVAL 3 HOUR, $sam, $sam),
	('task', 'Done already $RUN', UTC_TIMESTAMP() + INTERVAL 10 MINUTE, $sam, $sam)"
$SQL -e "UPDATE activities SET done_at = UTC_TIMESTAMP() WHERE subject = 'Done already $RUN'"
$SQL -e "INSERT INTO tickets (subject, status, owner_id, first_response_due, resolution_due) VALUES
	('SLA soon $RUN', 'open', $sam, UTC_TIMESTAMP() + INTERVAL 10 MINUTE, UTC_TIMESTAMP() + INTERVAL 2 DAY),
	('SLA later $RUN', 'open', $sam, UTC_TIMESTAMP() + INTERVAL 5 HOUR, UTC_TIMESTAMP() + INTERVAL 2 DAY)"
sla=$($SQL -e "SELECT id FROM tickets WHERE subject = 'SLA soon $RUN'")
until_ok 30 '[ "$(count $sam task_due activity $due)" = 1 ]' && ok "notifications: a task due within the hour is announced" ||
	fail "notifications: no task_due"
until_ok 30 '[ "$(count $sam sla_warning ticket $sla)" = 1 ]' && ok "notifications: a ticket near its first-response due time is announced" ||
	fail "notifications: no sla_warning"
[ "$($SQL -e "SELECT COUNT(*) FROM notifications n JOIN activities a ON a.id = n.entity_id AND n.entity = 'activity'
	WHERE n.kind = 'task_due' AND a.subject IN ('Far off $RUN', 'Done already $RUN')")" = 0 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM notifications n JOIN tickets t ON t.id = n.entity_id AND n.entity = 'ticket'
	WHERE n.kind = 'sla_warning' AND t.subject = 'SLA later $RUN'")" = 0 ] &&
	ok "notifications: tasks not due soon or done, and tickets not near breach, are not" || fail "notifications: scans too wide"
# Several passes later, still once each.
sleep 6
n=$($SQL -e "SELECT COUNT(*) FROM notifications WHERE user_id = $sam")
[ "$n" = 6 ] && [ "$(count $sam task_due activity $due)" = 1 ] && [ "$(count $sam sla_warning ticket $sla)" = 1 ] &&
	ok "notifications: each arrived once (6 for sam after several passes: 2 assigned, a mention, a quote, a task, an SLA)" ||
	fail "notifications: sam has $n: $($SQL -e "SELECT GROUP_CONCAT(kind) FROM notifications WHERE user_id = $sam")"
# A task moved to a new due time is announced again.
$SQL -e "UPDATE activities SET at = at + INTERVAL 5 MINUTE WHERE id = $due"
until_ok 20 '[ "$(count $sam task_due activity $due)" = 2 ]' && ok "notifications: a task whose due time moves is announced again" ||
	fail "notifications: moved task"

# 5. The count: in the layout, and the cheap endpoint.
N=$(unread $sam)
V=$($SQL -e "SELECT notify_version FROM users WHERE id = $sam")
fetch -b "$TMP/sam" "$BASE/notifications"
grep -q "id=\"bell-count\" data-n=\"$N\">$N<" "$TMP/b" && grep -q "data-version=\"$V\"" "$TMP/b" &&
	ok "notifications: the layout's bell shows the unread count ($N)" || fail "notifications: bell: $(grep -o 'id="bell-count"[^<]*' "$TMP/b")"
expect_valid_html "notifications: the list is valid HTML"
[ "$(grep -c 'class="unread"' "$TMP/b")" = "$N" ] && ok "notifications: the list shows them unread" || fail "notifications: unread rows"
fetch -b "$TMP/sue" "$BASE/customers"
grep -q "id=\"bell-count\" data-n=\"$(unread $sue)\"" "$TMP/b" && ok "notifications: ... on another module's pages too" ||
	fail "notifications: bell on /customers"
fetch -b "$TMP/sam" "$BASE/notifications/unread"
[ "$STATUS" = 200 ] && grep -qx "{\"unread\":$N}" "$TMP/b" && grep -qi "^ETag: \"n$V\"" "$TMP/h" &&
	ok "notifications: /notifications/unread answers {\"unread\":$N} with ETag \"n$V\"" ||
	fail "notifications: unread: $STATUS $(cat "$TMP/b") $(grep -i etag "$TMP/h")"
rm -f "$TMP/b"
fetch -b "$TMP/sam" -H "If-None-Match: \"n$V\"" "$BASE/notifications/unread"
[ "$STATUS" = 304 ] && [ ! -s "$TMP/b" ] && ok "notifications: ... and 304 with no body to a matching If-None-Match" ||
	fail "notifications: conditional: $STATUS, body $(wc -c <"$TMP/b") bytes: $(head -c 100 "$TMP/b")"
expect_status "notifications: an old ETag gets the count" 200 -b "$TMP/sam" -H "If-None-Match: \"n$((V - 1))\"" "$BASE/notifications/unread"

# No query of its own: a burst of conditional requests moves the server's
# Questions counter by about one per request (the session lookup), and a
# burst of the list (several queries each) by more; the runners' own
# traffic is measured over an idle second alongside.
questions() { $SQL -e "SHOW GLOBAL STATUS LIKE 'Questions'" | cut -f2; }
burst() { # URL: 100 requests on one connection
	local args=() i
	for i in $(seq 1 100); do args+=(-o /dev/null "$1"); done
	curl -s -b "$TMP/sam" -H "If-None-Match: \"n$V\"" -w '%{http_code}\n' "${args[@]}" >"$TMP/codes"
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
q0=$(questions); sleep 2; q1=$(questions); idle=$((q1 - q0))      # the others' traffic in 2 s
t0=$(ms); q0=$(questions); burst "$BASE/notifications/unread"; q1=$(questions); t1=$(ms); cheap=$((q1 - q0))
noise=$(( idle * (t1 - t0) / 2000 + 1 ))
[ "$(sort -u "$TMP/codes" | tr -d '\n')" = 304 ] || fail "notifications: the conditional burst was not all 304"
q0=$(questions); burst "$BASE/notifications"; q1=$(questions); list=$((q1 - q0))
[ "$(sort -u "$TMP/codes" | tr -d '\n')" = 200 ] || fail "notifications: the list burst was not all 200: $(sort "$TMP/codes" | uniq -c | tr '\n' ' ')"
fetch -b "$TMP/sam" -H "If-None-Match: \"n$V\"" "$BASE/notifications/unread"
echo "# questions: others' $idle in 2 s, so about $noise during the burst; 100 conditional counts $cheap, 100 lists $list"
[ "$STATUS" = 304 ] && [ "$cheap" -le $((100 + 2 + noise * 2 + 5)) ] && [ "$list" -ge $((cheap + 150)) ] &&
	ok "notifications: 100 conditional requests cost about 100 queries (the session lookups): $cheap, a list 100 costs $list" ||
	fail "notifications: query cost: conditional $cheap, list $list, idle $idle"

# 6. Opening one: read, on to its record; mark all read.
id=$($SQL -e "SELECT id FROM notifications WHERE user_id = $sam AND kind = 'quote_approved'")
fetch -b "$TMP/sam" --data-urlencode "csrf_token=$ST" "$BASE/notifications/$id/open"
[ "$STATUS" = 303 ] && grep -qi "^Location: /sales/quotes/$quote" "$TMP/h" && ok "notifications: opening one goes to its record" ||
	fail "notifications: open: $STATUS $(grep -i location "$TMP/h")"
[ "$($SQL -e "SELECT read_at IS NOT NULL FROM notifications WHERE id = $id")" = 1 ] && [ "$(unread $sam)" = $((N - 1)) ] &&
	ok "notifications: ... and marks it read (count $((N - 1)))" || fail "notifications: read: $(unread $sam)"
fetch -b "$TMP/sam" -H "If-None-Match: \"n$V\"" "$BASE/notifications/unread"
[ "$STATUS" = 200 ] && grep -qx "{\"unread\":$((N - 1))}" "$TMP/b" && ok "notifications: ... and the count's ETag moved" ||
	fail "notifications: after read: $STATUS $(cat "$TMP/b")"
id=$($SQL -e "SELECT id FROM notifications WHERE user_id = $sam AND kind = 'assigned' AND entity = 'activity'")
fetch -b "$TMP/sam" --data-urlencode "csrf_token=$ST" "$BASE/notifications/$id/open"
[ "$STATUS" = 303 ] && grep -qi "^Location: /customers/contacts/$contact" "$TMP/h" &&
	ok "notifications: an activity's notification opens its contact's page" || fail "notifications: activity open: $(grep -i location "$TMP/h")"
other=$($SQL -e "SELECT id FROM notifications WHERE user_id = $sue LIMIT 1")
expect_status "notifications: another user's notification is 404" 404 -b "$TMP/sam" --data-urlencode "csrf_token=$ST" \
	"$BASE/notifications/$other/open"
expect_status "notifications: a POST without the form token is refused" 403 -b "$TMP/sam" -d x=1 "$BASE/notifications/read"
fetch -b "$TMP/sam" --data-urlencode "csrf_token=$ST" "$BASE/notifications/read"
[ "$STATUS" = 303 ] && [ "$(unread $sam)" = 0 ] && [ "$($SQL -e "SELECT COUNT(*) FROM notifications WHERE user_id = $sam AND read_at IS NULL")" = 0 ] &&
	ok "notifications: mark all read" || fail "notifications: read all: $STATUS $(unread $sam)"
fetch -b "$TMP/sam" "$BASE/api/v1/notifications"
[ "$STATUS" = 200 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["notifications"])==7 and all(n["is_read"] for n in d["notifications"]) else 1)' "$TMP/b" &&
	ok "notifications: the JSON API lists them, read" || fail "notifications: API: $STATUS $(head -c 200 "$TMP/b")"

# 7. The digest: sue asks for it; her unread ones are queued once.
fetch -b "$TMP/sue" "$BASE/notifications"
fetch -b "$TMP/sue" --data-urlencode "csrf_token=$(csrf_of "$TMP/b")" -d digest=1 "$BASE/notifications/digest"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT notify_digest FROM users WHERE id = $sue")" = 1 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND entity_id = $sue AND changes LIKE '%notify_digest%'")" = 1 ] &&
	ok "notifications: sue asks for the daily digest (audited)" ||
	fail "notifications: digest setting: $STATUS"
# In her language: the digest is written in it.
$SQL -e "UPDATE users SET language = 'zh_CN' WHERE id = $sue"
set_setting notify_digest_hour 0
until_ok 20 '[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE to_addr = '"'sue-$RUN@example.com'"'")" = 1 ]' &&
	ok "notifications: the digest is queued into mail_queue" || fail "notifications: no digest mail"
body=$($SQL -e "SELECT CONCAT(subject, '|', body) FROM mail_queue WHERE to_addr = 'sue-$RUN@example.com'")
echo "$body" | grep -q "^你的 CRM 未读通知: 2|你好 sue $RUN," && echo "$body" | grep -q "有人提到了你: Mention me $RUN" &&
	echo "$body" | grep -q "有人提到了你: Heads up $RUN" && echo "$body" | grep -q "/notifications" &&
	ok "notifications: ... in her language, listing her unread notifications and the page's address" || fail "notifications: digest body: $body"
[ "$($SQL -e "SELECT COUNT(*) FROM notifications WHERE user_id = $sue AND emailed_at IS NULL")" = 0 ] &&
	ok "notifications: ... which are marked as mailed" || fail "notifications: not marked mailed"
sleep 6
[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'sue-$RUN@example.com'")" = 1 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'sam-$RUN@example.com'")" = 0 ] &&
	ok "notifications: one digest a day, and none for who did not ask" || fail "notifications: digest repeated"

# 8. The bell in a browser: it updates from the conditional request.
if [ -d "$TOP/tests/e2e/node_modules/playwright-core" ]; then
	(cd "$TOP/tests/e2e" && CRM_E2E_DIR="$CRM_E2E_DIR" CRM_E2E_DBUSER=$(id -un) node automation_notifications_browser.mjs "$TMP/sam" "$sam" "$RUN")
else
	fail "notifications: playwright-core is missing (sh scripts/deps.sh)"
fi
