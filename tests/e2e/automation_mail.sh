#!/bin/bash
# Mail in: a private dovecot (its own directory, port and passwd-file
# users) holds a support mailbox and a timeline mailbox; mail is put in
# with IMAP APPEND, and crm-automation jobs --once reads it. New mail
# becomes a ticket with its file, replies (by "[#id]" and by In-Reply-To)
# go onto the ticket's thread, known contacts' mail onto their timeline;
# unknown senders, automatic replies, the CRM's own mail and a broken
# message are logged and skipped; nothing is handled twice; the password
# shows up nowhere.
. "$(dirname "$0")/lib.sh"
IP=127.0.73.$(( $$ % 250 + 1 ))
RUN=$$
PW='mail comes in 73'
BOXPW="imap-secret-$RUN-xyzzy"
AUTO="$TOP/cgi-bin/crm-automation --config $CRM_E2E_DIR/crm.conf"
STACK_PIDF="$CRM_E2E_DIR/run/crm-automation-jobs.pid"

STACK_RUNNER=
cleanup() {
	# The dovecot goes: its mailboxes must not be read after the test.
	$SQL -e "UPDATE mailboxes SET enabled = FALSE WHERE name LIKE '%$RUN'" 2>/dev/null
	$SQL -e "UPDATE ticket_rules SET active = FALSE WHERE name = 'Mail rule $RUN'" 2>/dev/null
	dovecot_stop
	rm -rf "$TMP"
	if [ -n "$STACK_RUNNER" ]; then
		setsid $AUTO jobs --pidfile "$STACK_PIDF" </dev/null >>"$CRM_E2E_DIR/log/crm-automation-jobs.log" 2>&1 &
	fi
}
trap cleanup EXIT

# ---- dovecot (tests/e2e/dovecot.bash) ----
. "$(dirname "$0")/dovecot.bash"
dovecot_start support timeline || exit 0
ok "mail: a private dovecot answers on port $IMAP_PORT"

# msg FILE FROM SUBJECT [extra header lines...]: a plain message, CRLF.
msg() {
	f=$1 from=$2 subject=$3
	shift 3
	{
		printf 'From: %s\r\nTo: help%s@example.com\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s.%s@client.example>\r\n' \
			"$from" "$RUN" "$subject" "$(date -R)" "$(basename "$f")" "$RUN"
		for h in "$@"; do printf '%s\r\n' "$h"; done
		printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nBody of %s for %s.\r\n' "$(basename "$f")" "$RUN"
	} >"$f"
}

# ---- the stack's runner would race our --once runs ----
if [ -f "$STACK_PIDF" ] && kill -0 "$(cat "$STACK_PIDF")" 2>/dev/null; then
	kill -TERM "$(cat "$STACK_PIDF")"
	for _ in $(seq 1 100); do [ -f "$STACK_PIDF" ] || break; sleep 0.05; done
	STACK_RUNNER=1
fi
due() { $SQL -e "UPDATE mailboxes SET next_poll_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE name LIKE '%$RUN'"; }
# Every mailbox of this run read once more, now.
once() { due; $AUTO jobs --once >>"$TMP/runner.log" 2>&1; }

for who in ada:admin sid:support; do
	echo "$PW" | $CTL user add --email "${who%%:*}-am$RUN@example.com" --name "${who%%:*} am$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-am$RUN@example.com"
done
ADA=$($SQL -e "SELECT id FROM users WHERE email = 'ada-am$RUN@example.com'")
# post JAR PATH args...: a form POST with a fresh token.
post() {
	jar=$1 path=$2
	shift 2
	curl -s -b "$TMP/$jar" "$BASE/automation/mailboxes/new" -o "$TMP/t.html"
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' \
		--data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" "$@" "$BASE$path")
}
box_form() { # NAME USER PURPOSE [more curl args]
	name=$1 user=$2 purpose=$3
	shift 3
	post ada /automation/mailboxes --data-urlencode "name=$name" \
		--data-urlencode "url=imap://127.0.0.1:$IMAP_PORT/INBOX" --data-urlencode "username=$user" \
		--data-urlencode "password=$BOXPW" --data-urlencode "purpose=$purpose" \
		--data-urlencode "support_address=help$RUN@example.com" --data-urlencode "poll_seconds=300" \
		--data-urlencode "enabled=1" "$@"
}

# ---- permissions and the form ----
expect_status "mail: the list for an admin" 200 -b "$TMP/ada" "$BASE/automation/mailboxes"
expect_valid_html "mail: the list is valid HTML"
expect_status "mail: no list for a support agent" 403 -b "$TMP/sid" "$BASE/automation/mailboxes"
expect_status "mail: no form for a support agent" 403 -b "$TMP/sid" "$BASE/automation/mailboxes/new"
expect_status "mail: the new form" 200 -b "$TMP/ada" "$BASE/automation/mailboxes/new"
expect_valid_html "mail: the form is valid HTML"
STATUS=$(curl -s -b "$TMP/ada" -o "$TMP/b" -w '%{http_code}' --data-urlencode "name=x$RUN" "$BASE/automation/mailboxes")
if [ "$STATUS" = 403 ]; then ok "mail: a POST without a token is refused"; else fail "mail: no-token POST gave $STATUS"; fi

post ada /automation/mailboxes --data-urlencode "name=Bad $RUN" --data-urlencode "url=http://127.0.0.1/INBOX" \
	--data-urlencode "username=u" --data-urlencode "password=$BOXPW" --data-urlencode "purpose=support" \
	--data-urlencode "poll_seconds=300"
if [ "$STATUS" = 422 ] && grep -q 'id="error-url"' "$TMP/b"; then ok "mail: a non-IMAP URL is refused with a field error"
else fail "mail: bad URL gave $STATUS"; fi
if grep -q "$BOXPW" "$TMP/b"; then fail "mail: the refused form echoes the password"; else ok "mail: the refused form does not echo the password"; fi
post ada /automation/mailboxes --data-urlencode "name=Nopw $RUN" --data-urlencode "url=imap://127.0.0.1:$IMAP_PORT/INBOX" \
	--data-urlencode "username=u" --data-urlencode "purpose=support" --data-urlencode "poll_seconds=5"
if [ "$STATUS" = 422 ] && grep -q 'id="error-password"' "$TMP/b" && grep -q 'id="error-poll_seconds"' "$TMP/b"; then
	ok "mail: a missing password and a too short interval are refused"
else fail "mail: missing password gave $STATUS"; fi

box_form "Support $RUN" "support$RUN" support
SUP=$($SQL -e "SELECT id FROM mailboxes WHERE name = 'Support $RUN'")
if [ "$STATUS" = 303 ] && [ -n "$SUP" ]; then ok "mail: the support mailbox is created"; else fail "mail: create gave $STATUS"; fi
box_form "Timeline $RUN" "timeline$RUN" timeline
TL=$($SQL -e "SELECT id FROM mailboxes WHERE name = 'Timeline $RUN'")
[ -n "$TL" ] && ok "mail: the timeline mailbox is created" || fail "mail: no timeline mailbox"
box_form "Support $RUN" "support$RUN" support
[ "$STATUS" = 409 ] && ok "mail: a second mailbox of the same name is a conflict" || fail "mail: duplicate name gave $STATUS"

# ---- the connection test ----
curl -s -b "$TMP/ada" "$BASE/automation/mailboxes/$SUP" -o "$TMP/show.html"
STATUS=$(curl -s -b "$TMP/ada" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/show.html")" \
	"$BASE/automation/mailboxes/$SUP/test")
if [ "$STATUS" = 200 ] && grep -q 'The connection works' "$TMP/b"; then ok "mail: the connection test logs in"
else fail "mail: test gave $STATUS: $(grep -o 'test-result.*' "$TMP/b" | head -c 300)"; fi
cp "$TMP/b" "$TMP/pages.html"

# ---- a contact the timeline knows; the CRM's own address ----
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Acme $RUN', $ADA)"
ACC=$($SQL -e "SELECT id FROM accounts WHERE name = 'Acme $RUN'")
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, account_id, owner_id)
	VALUES ('Kim', 'Known$RUN', 'Kim Known$RUN', 'Kim.Known$RUN@Example.com', 'kim.known$RUN@example.com', $ACC, $ADA)"
KIM=$($SQL -e "SELECT id FROM contacts WHERE email_norm = 'kim.known$RUN@example.com'")
FROM_CRM=$($SQL -e "SELECT value FROM settings WHERE name = 'mail_from'")

# ---- a new ticket with a file ----
PDF="%PDF-1.4 attachment of $RUN"
{
	printf 'From: "Cora Customer" <cora%s@example.net>\r\nTo: help%s@example.com\r\n' "$RUN" "$RUN"
	printf 'Subject: =?UTF-8?B?%s?=\r\n' "$(printf 'Drucker kaputt %s ü' "$RUN" | base64 -w0)"
	printf 'Message-ID: <first.%s@client.example>\r\nMIME-Version: 1.0\r\n' "$RUN"
	printf 'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\n'
	printf 'Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
	printf 'The printer is broken, gr=FC=DFe %s.\r\n--XX\r\n' "$RUN"
	printf 'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="report %s.pdf"\r\n' "$RUN"
	printf 'Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--XX\r\n' "$(printf '%s' "$PDF" | base64 -w0)"
	printf 'Content-Type: application/x-msdownload\r\nContent-Disposition: attachment; filename="run.exe"\r\n\r\nMZ\r\n--XX--\r\n'
} >"$TMP/m1.eml"
deliver support "$TMP/m1.eml"
once
T1=$($SQL -e "SELECT id FROM tickets WHERE requester_email = 'cora$RUN@example.net' ORDER BY id LIMIT 1")
if [ -n "$T1" ] && [ "$($SQL -e "SELECT CONCAT(channel, '|', status, '|', subject, '|', requester_name) FROM tickets WHERE id = $T1")" = "email|new|Drucker kaputt $RUN ü|Cora Customer" ]; then
	ok "mail: a new mail opens an e-mail ticket with the decoded subject and sender"
else fail "mail: ticket: $($SQL -e "SELECT channel, status, subject, requester_name FROM tickets WHERE id = '${T1:-0}'")"; fi
if [ "$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ${T1:-0} AND kind = 'customer' AND body LIKE '%grüße $RUN%'")" = 1 ]; then
	ok "mail: the body, decoded to UTF-8, is the ticket's first customer message"
else fail "mail: first message: $($SQL -e "SELECT body FROM ticket_messages WHERE ticket_id = ${T1:-0}")"; fi
ATT=$($SQL -e "SELECT id FROM ticket_attachments WHERE ticket_id = ${T1:-0} AND filename = 'report $RUN.pdf' AND public")
if [ -n "$ATT" ]; then
	fetch -b "$TMP/ada" "$BASE/service/attachments/$ATT"
	if [ "$STATUS" = 200 ] && [ "$(cat "$TMP/b")" = "$PDF" ]; then ok "mail: the attachment downloads with its bytes"
	else fail "mail: download gave $STATUS: $(head -c 100 "$TMP/b")"; fi
else fail "mail: no attachment row"; fi
if [ "$($SQL -e "SELECT COUNT(*) FROM ticket_attachments WHERE ticket_id = ${T1:-0}")" = 1 ] &&
	$SQL -e "SELECT detail FROM mailbox_messages WHERE mailbox_id = $SUP AND ticket_id = ${T1:-0}" | grep -q 'run.exe (type not allowed)'; then
	ok "mail: a file of a type not allowed is left out, and the log says so"
else fail "mail: exe: $($SQL -e "SELECT detail FROM mailbox_messages WHERE mailbox_id = $SUP")"; fi
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket' AND entity_id = ${T1:-0} AND action = 'create' AND user_id IS NULL OR (entity = 'ticket' AND entity_id = ${T1:-0} AND action = 'create' AND user_id = 0)")" -ge 1 ] &&
	ok "mail: the new ticket is audited" || fail "mail: no audit row for the ticket"

# ---- replies: by subject reference, and by In-Reply-To a CRM message ----
$SQL -e "UPDATE tickets SET status = 'resolved', resolved_at = UTC_TIMESTAMP() WHERE id = $T1"
msg "$TMP/r1.eml" "cora$RUN@example.net" "Re: [#$T1] Drucker kaputt"
deliver support "$TMP/r1.eml"
$SQL -e "INSERT INTO mail_queue (to_addr, subject, body, ticket_id, status) VALUES ('cora$RUN@example.net', 'Re: [#$T1] x', 'y', $T1, 'sent')"
QID=$($SQL -e "SELECT MAX(id) FROM mail_queue WHERE ticket_id = $T1")
QCREATED=$($SQL -e "SELECT UNIX_TIMESTAMP(created_at) FROM mail_queue WHERE id = $QID")
msg "$TMP/r2.eml" "cora$RUN@example.net" "Re: your request" "In-Reply-To: <crm.mail.$QID.$QCREATED@example.com>"
deliver support "$TMP/r2.eml"
msg "$TMP/r3.eml" "someone$RUN@example.org" "Fwd: about it" "References: <other@x> <first.$RUN@client.example>"
deliver support "$TMP/r3.eml"
# A guessed number in the subject from a stranger opens a ticket of its own.
msg "$TMP/g1.eml" "mallory$RUN@example.org" "Re: [#$T1] let me in"
deliver support "$TMP/g1.eml"
# What must be skipped: an auto-reply, the CRM's own mail, a broken message.
msg "$TMP/s1.eml" "cora$RUN@example.net" "Out of office" "Auto-Submitted: auto-replied"
deliver support "$TMP/s1.eml"
msg "$TMP/s2.eml" "$FROM_CRM" "Re: [#$T1] loop"
deliver support "$TMP/s2.eml"
printf '\x01\x02\x03 not mail at all \xff\xfe\r\n' >"$TMP/s3.eml"
deliver support "$TMP/s3.eml"
msg "$TMP/n2.eml" "dora$RUN@example.net" "After the broken one"
deliver support "$TMP/n2.eml"
once
if [ "$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $T1 AND kind = 'customer'")" = 4 ]; then
	ok "mail: replies by [#id], by In-Reply-To a CRM message and by References go onto the ticket's thread"
else fail "mail: thread has $($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $T1") messages; log: $($SQL -e "SELECT uid, outcome, ticket_id, detail FROM mailbox_messages WHERE mailbox_id = $SUP")"; fi
[ "$($SQL -e "SELECT status FROM tickets WHERE id = $T1")" = open ] && ok "mail: a reply reopens a resolved ticket" ||
	fail "mail: status $($SQL -e "SELECT status FROM tickets WHERE id = $T1")"
$SQL -e "SELECT outcome, detail FROM mailbox_messages WHERE mailbox_id = $SUP ORDER BY uid" >"$TMP/log.txt"
grep -q 'skipped	an automatic reply' "$TMP/log.txt" && ok "mail: an auto-reply is skipped" || fail "mail: auto-reply: $(cat "$TMP/log.txt")"
grep -q "skipped	sent by the CRM's own address" "$TMP/log.txt" && ok "mail: the CRM's own mail is skipped" || fail "mail: own mail: $(cat "$TMP/log.txt")"
grep -q 'error	not a readable message' "$TMP/log.txt" && ok "mail: a malformed message is logged as an error" || fail "mail: malformed: $(cat "$TMP/log.txt")"
[ "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE requester_email = 'mallory$RUN@example.org'")" = 1 ] &&
	$SQL -e "SELECT detail FROM mailbox_messages WHERE mailbox_id = $SUP" | grep -q "\[#$T1\] in the subject, but not from its requester" &&
	ok "mail: a ticket number in a stranger's subject opens a new ticket" || fail "mail: stranger's [#id]: $(cat "$TMP/log.txt")"
[ "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE requester_email = 'dora$RUN@example.net'")" = 1 ] &&
	ok "mail: the message after the broken one is still handled" || fail "mail: no ticket after the broken message"
[ "$($SQL -e "SELECT CONCAT(seen, '/', tickets, '/', replies, '/', skipped, '/', errors) FROM mailbox_polls WHERE mailbox_id = $SUP ORDER BY id DESC LIMIT 1")" = "8/2/3/2/1" ] &&
	ok "mail: the poll log counts what the poll did" ||
	fail "mail: poll log: $($SQL -e "SELECT seen, tickets, replies, skipped, errors, error FROM mailbox_polls WHERE mailbox_id = $SUP")"

# ---- assignment, as the service module's rules do it ----
$SQL -e "INSERT INTO teams (name) VALUES ('Mail team $RUN')"
TEAM=$($SQL -e "SELECT id FROM teams WHERE name = 'Mail team $RUN'")
SID=$($SQL -e "SELECT id FROM users WHERE email = 'sid-am$RUN@example.com'")
$SQL -e "UPDATE users SET team_id = $TEAM WHERE id = $SID"
$SQL -e "INSERT INTO ticket_rules (position, name, category_id, team_id, method) VALUES (-100000, 'Mail rule $RUN', NULL, $TEAM, 'round_robin')"
msg "$TMP/a1.eml" "erin$RUN@example.net" "Assign me $RUN"
deliver support "$TMP/a1.eml"
once
$SQL -e "UPDATE ticket_rules SET active = FALSE WHERE name = 'Mail rule $RUN'"
[ "$($SQL -e "SELECT CONCAT(owner_id, '|', team_id) FROM tickets WHERE requester_email = 'erin$RUN@example.net'")" = "$SID|$TEAM" ] &&
	ok "mail: a new ticket is assigned by the ticket rules" ||
	fail "mail: assignment: $($SQL -e "SELECT owner_id, team_id FROM tickets WHERE requester_email = 'erin$RUN@example.net'")"

# ---- the timeline mailbox ----
msg "$TMP/k1.eml" "Kim Known <kim.known$RUN@example.com>" "Contract question $RUN"
deliver timeline "$TMP/k1.eml"
msg "$TMP/u1.eml" "stranger$RUN@example.org" "Hello from nowhere"
deliver timeline "$TMP/u1.eml"
once
if [ "$($SQL -e "SELECT CONCAT(kind, '|', account_id, '|', assignee_id) FROM activities WHERE contact_id = $KIM AND subject = 'Contract question $RUN' AND body LIKE '%Body of k1.eml%'")" = "email|$ACC|$ADA" ]; then
	ok "mail: a known contact's mail is an e-mail activity on their timeline and account"
else fail "mail: activity: $($SQL -e "SELECT kind, subject, account_id FROM activities WHERE contact_id = $KIM")"; fi
fetch -b "$TMP/ada" "$BASE/customers/contacts/$KIM"
expect_body "mail: the activity shows on the contact's page" "Contract question $RUN"
if $SQL -e "SELECT outcome, detail FROM mailbox_messages WHERE mailbox_id = $TL" | grep -q "skipped	unknown sender stranger$RUN@example.org"; then
	ok "mail: an unknown sender on the timeline mailbox is skipped with a log line"
else fail "mail: unknown: $($SQL -e "SELECT outcome, detail FROM mailbox_messages WHERE mailbox_id = $TL")"; fi

# ---- nothing twice: polls again, and a last_uid put back ----
T_BEFORE=$($SQL -e "SELECT COUNT(*) FROM tickets WHERE requester_email LIKE '%$RUN@example.%'")
M_BEFORE=$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $T1")
A_BEFORE=$($SQL -e "SELECT COUNT(*) FROM activities WHERE contact_id = $KIM")
L_BEFORE=$($SQL -e "SELECT COUNT(*) FROM mailbox_messages WHERE mailbox_id IN ($SUP, $TL)")
curl -s -b "$TMP/ada" "$BASE/automation/mailboxes/$SUP" -o "$TMP/show.html"
STATUS=$(curl -s -b "$TMP/ada" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/show.html")" \
	"$BASE/automation/mailboxes/$SUP/poll")
$SQL -e "UPDATE mailboxes SET next_poll_at = UTC_TIMESTAMP() + INTERVAL 1 HOUR WHERE id = $TL"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT next_poll_at <= UTC_TIMESTAMP() FROM mailboxes WHERE id = $SUP")" = 1 ] &&
	ok "mail: read now makes the mailbox due" || fail "mail: read now gave $STATUS"
$AUTO jobs --once >>"$TMP/runner.log" 2>&1
[ "$($SQL -e "SELECT next_poll_at > UTC_TIMESTAMP() FROM mailboxes WHERE id = $SUP")" = 1 ] &&
	ok "mail: the runner reads a due mailbox and sets its next time" || fail "mail: read now did not read"
$SQL -e "UPDATE mailboxes SET last_uid = 0 WHERE id IN ($SUP, $TL)"
once
if [ "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE requester_email LIKE '%$RUN@example.%'")" = "$T_BEFORE" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $T1")" = "$M_BEFORE" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM activities WHERE contact_id = $KIM")" = "$A_BEFORE" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM mailbox_messages WHERE mailbox_id IN ($SUP, $TL)")" = "$L_BEFORE" ] &&
	[ "$($SQL -e "SELECT last_uid FROM mailboxes WHERE id = $SUP")" = 10 ]; then
	ok "mail: nothing is handled twice, even with the last UID put back"
else fail "mail: handled again: tickets $T_BEFORE -> $($SQL -e "SELECT COUNT(*) FROM tickets WHERE requester_email LIKE '%$RUN@example.%'"), log $L_BEFORE -> $($SQL -e "SELECT COUNT(*) FROM mailbox_messages WHERE mailbox_id IN ($SUP, $TL)")"; fi
msg "$TMP/r4.eml" "cora$RUN@example.net" "Re: [#$T1] one more"
deliver support "$TMP/r4.eml"
once
[ "$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $T1")" = $((M_BEFORE + 1)) ] &&
	ok "mail: a later mail is read after the old ones" || fail "mail: later mail not threaded"
# Pending on the customer: a reply takes it back to open and restarts the SLA clock.
$SQL -e "UPDATE tickets SET status = 'pending', paused_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = $T1"
msg "$TMP/r5.eml" "Cora <cora$RUN@example.net>" "Re: [#$T1] here is what you asked for"
deliver support "$TMP/r5.eml"
once
[ "$($SQL -e "SELECT CONCAT(status, '|', paused_at IS NULL) FROM tickets WHERE id = $T1")" = "open|1" ] &&
	ok "mail: a reply to a pending ticket reopens it and resumes its SLA" ||
	fail "mail: pending reply: $($SQL -e "SELECT status, paused_at FROM tickets WHERE id = $T1")"

# ---- the pages, the API, a wrong password ----
expect_status "mail: the mailbox page" 200 -b "$TMP/ada" "$BASE/automation/mailboxes/$SUP"
expect_valid_html "mail: the mailbox page is valid HTML"
expect_body "mail: the page links the new ticket" "/service/tickets/$T1"
cat "$TMP/b" >>"$TMP/pages.html"
expect_status "mail: the edit form" 200 -b "$TMP/ada" "$BASE/automation/mailboxes/$SUP/edit"
cat "$TMP/b" >>"$TMP/pages.html"
expect_status "mail: the list" 200 -b "$TMP/ada" "$BASE/automation/mailboxes"
cat "$TMP/b" >>"$TMP/pages.html"
expect_status "mail: the API" 200 -b "$TMP/ada" "$BASE/api/v1/automation/mailboxes/$SUP"
expect_body "mail: the API gives the log" "\"outcome\": *\"reply\""
cat "$TMP/b" >>"$TMP/pages.html"
expect_status "mail: the API list" 200 -b "$TMP/ada" "$BASE/api/v1/automation/mailboxes"
cat "$TMP/b" >>"$TMP/pages.html"
expect_status "mail: no API for a support agent" 403 -b "$TMP/sid" "$BASE/api/v1/automation/mailboxes/$SUP"

curl -s -b "$TMP/ada" "$BASE/automation/mailboxes/$SUP/edit" -o "$TMP/t.html"
STATUS=$(curl -s -b "$TMP/ada" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" \
	--data-urlencode "name=Support $RUN" --data-urlencode "url=imap://127.0.0.1:$IMAP_PORT/INBOX" \
	--data-urlencode "username=support$RUN" --data-urlencode "password=" --data-urlencode "purpose=support" \
	--data-urlencode "support_address=help$RUN@example.com" --data-urlencode "poll_seconds=600" --data-urlencode "enabled=1" \
	"$BASE/automation/mailboxes/$SUP")
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(poll_seconds, '|', password = '$BOXPW') FROM mailboxes WHERE id = $SUP")" = "600|1" ] &&
	ok "mail: an edit with the password left empty keeps it" || fail "mail: edit gave $STATUS"
$SQL -e "UPDATE mailboxes SET password = 'wrong-$RUN' WHERE id = $TL"
curl -s -b "$TMP/ada" "$BASE/automation/mailboxes/$TL" -o "$TMP/show.html"
STATUS=$(curl -s -b "$TMP/ada" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/show.html")" \
	"$BASE/automation/mailboxes/$TL/test")
if [ "$STATUS" = 422 ] && grep -q 'The connection failed' "$TMP/b"; then ok "mail: a wrong password fails the test"
else fail "mail: wrong password test gave $STATUS"; fi
once
$SQL -e "SELECT error FROM mailbox_polls WHERE mailbox_id = $TL ORDER BY id DESC LIMIT 1" | grep -qi 'login' &&
	ok "mail: a failed login is on the poll log" || fail "mail: poll error: $($SQL -e "SELECT error FROM mailbox_polls WHERE mailbox_id = $TL ORDER BY id DESC LIMIT 1")"

# ---- the password, nowhere ----
grep -q "$BOXPW" "$TMP/pages.html" && fail "mail: the password is in a page or the API" || ok "mail: the password is in no page or API answer"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%$BOXPW%'")" = 0 ] &&
	ok "mail: the password is not in the audit log" || fail "mail: the password is in the audit log"
if grep -rqs -- "$BOXPW" "$CRM_E2E_DIR/log" "$TMP/runner.log"; then fail "mail: the password is in a log"; else ok "mail: the password is in no log"; fi
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'mailbox' AND entity_id = $SUP AND action = 'receive'")" = 12 ] &&
	ok "mail: each message handled is audited" || fail "mail: receive audit rows missing"
