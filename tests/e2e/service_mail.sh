#!/bin/bash
# Outgoing mail: queued in a request, sent by crm-service jobs through the
# relay in the settings, to a local SMTP sink. An absent relay loses
# nothing: the message waits with a backoff and goes once when it is back.
. "$(dirname "$0")/lib.sh"
IP=127.0.19.$(( $$ % 250 + 1 ))
RUN=$$
PW='mail goes out later 5'
PY=/usr/bin/python3     # the system's, with python3-aiosmtpd
SVC="$TOP/cgi-bin/crm-service --config $CRM_E2E_DIR/crm.conf"
STACK_PIDF="$CRM_E2E_DIR/run/crm-service-jobs.pid"
OLD_RELAY=$($SQL -e "SELECT value FROM settings WHERE name = 'smtp_relay'")
SINK_PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SINK_PID=
HELD=

sink_start() { # DIR
	$PY "$TOP/tests/e2e/smtp_sink.py" 127.0.0.1 "$SINK_PORT" "$1" >"$TMP/sink.log" 2>&1 &
	SINK_PID=$!
	for _ in $(seq 1 100); do grep -q ready "$TMP/sink.log" 2>/dev/null && return; sleep 0.05; done
	fail "mail: the SMTP sink did not start: $(cat "$TMP/sink.log")"
}
sink_stop() {
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
	SINK_PID=
}
stack_runner() {
	setsid $SVC jobs --pidfile "$STACK_PIDF" </dev/null >>"$CRM_E2E_DIR/log/crm-service-jobs.log" 2>&1 &
}
cleanup() {
	sink_stop
	$SQL -e "UPDATE settings SET value = '$OLD_RELAY' WHERE name = 'smtp_relay'"
	[ -n "$HELD" ] && $SQL -e "UPDATE mail_queue SET next_attempt_at = UTC_TIMESTAMP() WHERE id IN ($HELD) AND status = 'queued'"
	[ -n "$STACK_RUNNER" ] && stack_runner
	rm -rf "$TMP"
}
trap cleanup EXIT
relay() { $SQL -e "UPDATE settings SET value = '$1' WHERE name = 'smtp_relay'"; }
once() { $SVC jobs --once >>"$TMP/runner.log" 2>&1; }
col() { $SQL -e "SELECT $2 FROM mail_queue WHERE id = $1"; }

# The stack's own runner would race this script's --once runs: it is
# stopped here and started again at the end.
STACK_RUNNER=
if [ -f "$STACK_PIDF" ] && kill -0 "$(cat "$STACK_PIDF")" 2>/dev/null; then
	kill -TERM "$(cat "$STACK_PIDF")"
	for _ in $(seq 1 100); do [ -f "$STACK_PIDF" ] || break; sleep 0.05; done
	STACK_RUNNER=1
fi
# Mail other tests left queued (make check runs them all on one database)
# is held back until the end: the sink must get this script's mail only.
HELD=$($SQL -e "SELECT IFNULL(GROUP_CONCAT(id), '') FROM mail_queue WHERE status = 'queued'")
[ -n "$HELD" ] && $SQL -e "UPDATE mail_queue SET next_attempt_at = UTC_TIMESTAMP() + INTERVAL 1 DAY WHERE id IN ($HELD)"

for who in ada:admin sid:support; do
	echo "$PW" | $CTL user add --email "${who%%:*}-sm$RUN@example.com" --name "${who%%:*} sm$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-sm$RUN@example.com"
done
post() { # JAR PATH args...
	jar=$1 path=$2
	shift 2
	curl -s -b "$TMP/$jar" "$BASE/service/mail" -o "$TMP/t.html"
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" "$@" "$BASE$path")
}
# queue SUBJECT: a test message from the admin page; its id in $ID.
queue() {
	post ada /service/mail --data-urlencode "to=ann-sm$RUN@example.org" --data-urlencode "subject=$1" \
		--data-urlencode "body=$2"
	ID=$($SQL -e "SELECT MAX(id) FROM mail_queue WHERE to_addr = 'ann-sm$RUN@example.org'")
}
# A message as the sink saved it: the headers decoded, then the body.
decode() {
	$PY - "$1" <<'PY'
import email, email.header, email.policy, sys
raw = open(sys.argv[1], "rb").read()
m = email.message_from_bytes(raw, policy=email.policy.default)
print("crlf:%s" % (b"\n" not in raw.replace(b"\r\n", b"")))
for h in ("From", "To", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Message-ID", "Date"):
    print("%s:%s" % (h, m[h]))
print("raw-subject-ascii:%s" % all(b < 128 for b in raw.split(b"\r\n\r\n")[0]))
print("body:" + m.get_content().replace("\r\n", "\n").replace("\n", "|"))
PY
}

relay "127.0.0.1:$SINK_PORT"
mkdir -p "$TMP/in1"
sink_start "$TMP/in1"

# Who may see it.
expect_status "mail: support may not see the mail queue" 403 -b "$TMP/sid" "$BASE/service/mail"
post sid /service/mail --data-urlencode "to=x@example.org" -d subject=x -d body=x
[ "$STATUS" = 403 ] && ok "mail: support may not queue a test message" || fail "mail: support queue: $STATUS"
expect_status "mail: an admin sees the queue" 200 -b "$TMP/ada" "$BASE/service/mail"
expect_valid_html "mail: the queue page is valid HTML"
expect_body "mail: ... and the relay in use" "127.0.0.1:$SINK_PORT"

# Queued in the request, not sent by it.
SUBJ="工单 #$RUN 已更新：打印机无法连接网络，请重新启动后再试一次"
queue "$SUBJ" "您好，
您的工单已经处理完毕。
Line three $RUN."
[ "$STATUS" = 303 ] && ok "mail: an admin queues a test message" || fail "mail: queue: $STATUS $(head -c 300 "$TMP/b")"
[ "$(col "$ID" "CONCAT(status, '|', attempts)")" = "queued|0" ] && ok "mail: ... it waits in the queue" || fail "mail: queued row: $(col "$ID" status)"
[ "$(ls "$TMP/in1" | grep -c eml)" = 0 ] && ok "mail: ... and the request did not send it" || fail "mail: the request sent mail"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'mail_test' AND changes LIKE '%ann-sm$RUN%'")" -ge 1 ] &&
	ok "mail: the test message is audited" || fail "mail: no audit row"

# Header injection: a line break in the subject never reaches the queue.
n0=$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'ann-sm$RUN@example.org'")
post ada /service/mail --data-urlencode "to=ann-sm$RUN@example.org" --data-urlencode "subject=$(printf 'Hi\r\nBcc: eve-sm%s@example.org' $RUN)" -d body=x
[ "$STATUS" = 422 ] && grep -q 'one line' "$TMP/b" && ok "mail: a subject with CRLF is refused" || fail "mail: CRLF subject: $STATUS"
post ada /service/mail --data-urlencode "to=$(printf 'ann-sm%s@example.org\r\nBcc: eve@example.org' $RUN)" -d subject=Hi -d body=x
[ "$STATUS" = 422 ] && grep -q 'Enter an e-mail address' "$TMP/b" && ok "mail: an address with CRLF is refused" || fail "mail: CRLF address: $STATUS"
post ada /service/mail --data-urlencode "to=ann-sm$RUN@example.org" --data-urlencode "subject=$(printf 'Hi\nBcc: eve@example.org')" -d body=x
[ "$STATUS" = 422 ] && ok "mail: a subject with a bare LF is refused" || fail "mail: LF subject: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'ann-sm$RUN@example.org'")" = "$n0" ] &&
	ok "mail: ... and none of them was queued" || fail "mail: a refused message was queued"
[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE to_addr LIKE '%eve%' OR subject LIKE '%Bcc%'")" = 0 ] &&
	ok "mail: no Bcc anywhere in the queue" || fail "mail: injected row"

# Delivered by the runner, with the headers right.
once && ok "mail: crm-service jobs --once exits 0" || fail "mail: the runner failed: $(tail -3 "$TMP/runner.log")"
[ "$(col "$ID" "CONCAT(status, '|', attempts, '|', sent_at IS NOT NULL)")" = "sent|1|1" ] &&
	ok "mail: the message is marked sent" || fail "mail: after the run: $(col "$ID" "CONCAT(status, '|', last_error)")"
[ "$(ls "$TMP/in1" | grep -c eml)" = 1 ] && ok "mail: the sink got one message" || fail "mail: the sink got $(ls "$TMP/in1")"
decode "$TMP/in1/1.eml" > "$TMP/m1"
FROM=$($SQL -e "SELECT value FROM settings WHERE name = 'mail_from'")
grep -qx "crlf:True" "$TMP/m1" && ok "mail: every line ends CRLF" || fail "mail: bare LF in the message"
grep -qx "From:$FROM" "$TMP/m1" && grep -qxF "From: <$FROM>"$'\r' "$TMP/in1/1.eml" && ok "mail: From is the mail_from setting" || fail "mail: From: $(grep ^From "$TMP/m1")"
grep -qx "To:ann-sm$RUN@example.org" "$TMP/m1" && grep -qxF "To: <ann-sm$RUN@example.org>"$'\r' "$TMP/in1/1.eml" && ok "mail: To is the recipient" || fail "mail: To: $(grep ^To "$TMP/m1")"
grep -qxF "Subject:$SUBJ" "$TMP/m1" && ok "mail: the Chinese subject decodes to what was queued" || fail "mail: subject: $(grep ^Subject "$TMP/m1")"
grep -qx "raw-subject-ascii:True" "$TMP/m1" && grep -q "^Subject: =?UTF-8?B?" "$TMP/in1/1.eml" &&
	ok "mail: ... sent RFC 2047-encoded, the headers all ASCII" || fail "mail: raw 8-bit header"
grep -q "^ =?UTF-8?B?" "$TMP/in1/1.eml" && ok "mail: ... and folded" || fail "mail: the long subject is not folded"
grep -qxF "body:您好，|您的工单已经处理完毕。|Line three $RUN." "$TMP/m1" && ok "mail: the body decodes to what was queued" || fail "mail: body: $(grep ^body "$TMP/m1")"
grep -qxF "Content-Type: text/plain; charset=UTF-8"$'\r' "$TMP/in1/1.eml" && grep -qx "MIME-Version:1.0" "$TMP/m1" &&
	grep -qx "Content-Transfer-Encoding:base64" "$TMP/m1" && ok "mail: MIME headers" || fail "mail: MIME: $(grep -i ^Content "$TMP/m1")"
grep -q "^Message-ID:<crm.mail.$ID\.[0-9]*@" "$TMP/m1" && ok "mail: Message-ID names the queued row" || fail "mail: $(grep ^Message-ID "$TMP/m1")"
grep -qE "^Date:[A-Z][a-z]{2}, [0-9]+ [A-Z][a-z]{2} 20[0-9]{2} [0-9:]{8} \+0000$" "$TMP/m1" && ok "mail: Date is RFC 5322" || fail "mail: $(grep ^Date "$TMP/m1")"
[ "$(cat "$TMP/in1/1.env")" = "$FROM
ann-sm$RUN@example.org" ] && ok "mail: the envelope sender and recipient" || fail "mail: envelope: $(cat "$TMP/in1/1.env")"

# The relay is down: retried later with a backoff, nothing lost.
sink_stop
queue "Outage $RUN" "Waiting for the relay"
once
[ "$(col "$ID" "CONCAT(status, '|', attempts)")" = "queued|1" ] && ok "mail: with the relay down the message stays queued" || fail "mail: down: $(col "$ID" "CONCAT(status, '|', attempts)")"
[ -n "$(col "$ID" last_error)" ] && ok "mail: ... with the error kept: $(col "$ID" last_error | head -c 60)" || fail "mail: no last_error"
d=$(col "$ID" "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), next_attempt_at)")
[ "$d" -ge 50 ] && [ "$d" -le 61 ] && ok "mail: ... the next attempt in a minute" || fail "mail: first backoff $d s"
once
[ "$(col "$ID" attempts)" = 1 ] && ok "mail: a runner before then leaves it alone" || fail "mail: retried early: $(col "$ID" attempts)"
$SQL -e "UPDATE mail_queue SET next_attempt_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = $ID"
once
d=$(col "$ID" "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), next_attempt_at)")
[ "$(col "$ID" attempts)" = 2 ] && [ "$d" -ge 110 ] && [ "$d" -le 121 ] && ok "mail: the second failure waits two minutes" || fail "mail: second backoff: $(col "$ID" attempts) $d s"
$SQL -e "UPDATE mail_queue SET attempts = 7, next_attempt_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = $ID"
once
d=$(col "$ID" "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), next_attempt_at)")
[ "$d" -ge 3590 ] && [ "$d" -le 3601 ] && ok "mail: the backoff is capped at an hour" || fail "mail: eighth backoff $d s"
expect_status "mail: the page during the outage" 200 -b "$TMP/ada" "$BASE/service/mail"
grep -A8 "id=\"mail-$ID\"" "$TMP/b" | grep -qi "connect" && ok "mail: ... shows the message's last error" || fail "mail: no error on the page"
[ "$(grep -o '<dd id="count-queued">[0-9]*' "$TMP/b" | grep -o '[0-9]*$')" -ge 1 ] && ok "mail: ... and counts it queued" || fail "mail: queued count"

# The relay is back: delivered once, not twice.
mkdir -p "$TMP/in2"
sink_start "$TMP/in2"
$SQL -e "UPDATE mail_queue SET next_attempt_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = $ID"
once
once
[ "$(col "$ID" status)" = sent ] && [ "$(col "$ID" last_error)" = "" ] && ok "mail: after the outage it is sent" || fail "mail: after: $(col "$ID" status)"
[ "$(grep -l "Outage $RUN" "$TMP"/in2/*.eml 2>/dev/null | wc -l)" = 1 ] && ok "mail: ... exactly once" || fail "mail: delivered $(grep -l "Outage $RUN" "$TMP"/in2/*.eml 2>/dev/null | wc -l) times"

# A runner killed mid-send: its message is taken again once the heartbeat
# is stale, not before.
$SQL -e "INSERT INTO mail_queue (to_addr, subject, body, status, attempts, heartbeat_at) VALUES
	('ann-sm$RUN@example.org', 'Stale $RUN', 'x', 'sending', 1, UTC_TIMESTAMP() - INTERVAL 10 MINUTE),
	('ann-sm$RUN@example.org', 'Busy $RUN', 'x', 'sending', 1, UTC_TIMESTAMP())"
once
[ "$($SQL -e "SELECT status FROM mail_queue WHERE subject = 'Stale $RUN'")" = sent ] && ok "mail: a message whose runner died is sent again" || fail "mail: stale row not taken"
[ "$($SQL -e "SELECT status FROM mail_queue WHERE subject = 'Busy $RUN'")" = sending ] && ok "mail: ... one in another runner's hands is left alone" || fail "mail: a live send was taken"

# The last attempt fails: an admin sends it again.
sink_stop
queue "Hopeless $RUN" "x"
$SQL -e "UPDATE mail_queue SET attempts = 9 WHERE id = $ID"
once
[ "$(col "$ID" "CONCAT(status, '|', attempts)")" = "failed|10" ] && ok "mail: after ten attempts it is failed" || fail "mail: cap: $(col "$ID" "CONCAT(status, '|', attempts)")"
expect_status "mail: the page with a failed message" 200 -b "$TMP/ada" "$BASE/service/mail"
grep -A12 "id=\"mail-$ID\"" "$TMP/b" | grep -q "action=\"/service/mail/$ID/retry\"" && ok "mail: ... offers to send it again" || fail "mail: no retry button"
[ "$(grep -o '<dd id="count-failed">[0-9]*' "$TMP/b" | grep -o '[0-9]*$')" -ge 1 ] && ok "mail: ... and counts it failed" || fail "mail: failed count"
post sid "/service/mail/$ID/retry"
[ "$STATUS" = 403 ] && [ "$(col "$ID" status)" = failed ] && ok "mail: support may not retry" || fail "mail: support retry: $STATUS"
post ada "/service/mail/$ID/retry"
[ "$STATUS" = 303 ] && [ "$(col "$ID" "CONCAT(status, '|', attempts, '|', next_attempt_at <= UTC_TIMESTAMP())")" = "queued|0|1" ] &&
	ok "mail: retry now queues it again, due at once" || fail "mail: retry: $STATUS $(col "$ID" "CONCAT(status, '|', attempts)")"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'mail_queue' AND entity_id = $ID AND action = 'retry'")" = 1 ] &&
	ok "mail: ... audited" || fail "mail: retry not audited"
post ada "/service/mail/$ID/retry"
[ "$STATUS" = 409 ] && ok "mail: a message that is not failed is not retried" || fail "mail: retry queued: $STATUS"
post ada /service/mail/999999999999/retry
[ "$STATUS" = 404 ] && ok "mail: retry of a missing message is a 404" || fail "mail: missing: $STATUS"

# No relay set: mail waits, and the page says why.
relay ""
once
[ "$(col "$ID" "CONCAT(status, '|', attempts)")" = "queued|0" ] && ok "mail: without a relay the message waits untouched" || fail "mail: no relay: $(col "$ID" "CONCAT(status, '|', attempts)")"
expect_status "mail: the page without a relay" 200 -b "$TMP/ada" "$BASE/service/mail"
expect_body "mail: ... says mail stays queued" 'id="no-relay"'

# The daemon: it sends what is due and a TERM stops it.
relay "127.0.0.1:$SINK_PORT"
mkdir -p "$TMP/in3"
sink_start "$TMP/in3"
$SVC jobs --pidfile "$TMP/jobs.pid" >>"$TMP/runner.log" 2>&1 &
for _ in $(seq 1 100); do [ "$(col "$ID" status)" = sent ] && break; sleep 0.1; done
[ "$(col "$ID" status)" = sent ] && ok "mail: the runner daemon sends the retried message" || fail "mail: daemon: $(col "$ID" status)"
kill -TERM "$(cat "$TMP/jobs.pid" 2>/dev/null)" 2>/dev/null
for _ in $(seq 1 50); do [ -f "$TMP/jobs.pid" ] || break; sleep 0.1; done
[ ! -f "$TMP/jobs.pid" ] && ok "mail: ... and stops on TERM" || fail "mail: the daemon did not stop"

# The JSON API and the next page.
expect_status "mail: the queue as JSON" 200 -b "$TMP/ada" -H 'Accept: application/json' "$BASE/api/v1/service/mail"
$PY -c 'import json,sys; d = json.load(open(sys.argv[1])); assert "failed" in d["counts"] and isinstance(d["mail"], list)' "$TMP/b" 2>/dev/null &&
	ok "mail: ... with its counts and rows" || fail "mail: JSON: $(head -c 200 "$TMP/b")"
expect_status "mail: a bad page key is a 400" 400 -b "$TMP/ada" "$BASE/service/mail?after_id=abc"
$SQL -e "UPDATE mail_queue SET status = 'sent' WHERE to_addr = 'ann-sm$RUN@example.org' AND status = 'sending'"
