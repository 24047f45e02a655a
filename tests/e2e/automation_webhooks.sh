#!/bin/bash
# Webhooks: the admin's form (field errors for a bad address or event
# type), the secret shown once and never again (pages, API, audit log),
# deliveries of real changes to a local receiver with their headers and
# an HMAC-SHA256 signature checked here with python's hmac, the payload,
# retries with back-off against a receiver that fails once, giving up and
# switching a hook off against one that always fails (the reason shown,
# the admins notified), re-enabling, redirects not followed, redelivery,
# the test ping, the delivery log, secret rotation, and who may see it.
. "$(dirname "$0")/lib.sh"
IP=127.0.72.$(( $$ % 250 + 1 ))
RUN=$$
PW='webhooks sign their bodies 9'
PY=/usr/bin/python3
LOG="$TMP/received.jsonl"

for who in ada:admin sam:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
ada=$($SQL -e "SELECT id FROM users WHERE email = 'ada-$RUN@example.com'")

setting() { $SQL -e "SELECT value FROM settings WHERE name = '$1'"; }
set_setting() { $SQL -e "UPDATE settings SET value = '$2' WHERE name = '$1'"; }
OLD_RETRY=$(setting webhook_retry_seconds) OLD_DISABLE=$(setting webhook_disable_after)
RECV_PID=
cleanup() {
	[ -n "$RECV_PID" ] && kill "$RECV_PID" 2>/dev/null && wait "$RECV_PID" 2>/dev/null
	set_setting webhook_retry_seconds "$OLD_RETRY"
	set_setting webhook_disable_after "$OLD_DISABLE"
	# Hooks of this run stop listening, so later tests' changes queue nothing.
	$SQL -e "UPDATE webhooks SET enabled = FALSE WHERE name LIKE '% $RUN'"
	rm -rf "$TMP"
}
trap cleanup EXIT
# Back-off shortened to seconds: three waits, so four attempts in all.
set_setting webhook_retry_seconds '1,1,1'
set_setting webhook_disable_after 3

: >"$LOG"
# On a port of the system's choosing, so that nothing else is in the way.
$PY "$TOP/tests/e2e/automation_webhooks_receiver.py" 127.0.0.1 0 "$LOG" >"$TMP/recv.out" 2>&1 &
RECV_PID=$!
for _ in $(seq 1 100); do grep -q ready "$TMP/recv.out" 2>/dev/null && break; sleep 0.05; done
RECV_PORT=$(sed -n 's/^ready \([0-9]*\)$/\1/p' "$TMP/recv.out")
[ -n "$RECV_PORT" ] && ok "webhooks: the local receiver listens" || fail "webhooks: receiver: $(cat "$TMP/recv.out")"
RECV="http://127.0.0.1:$RECV_PORT"

# until_ok SECONDS 'SHELL TEST': evaluates the test afresh until it holds
# or the time is up (the runner ticks each second).
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do eval "$*" && return 0; sleep 0.3; done
	return 1
}
# received PATH-PREFIX: the requests the receiver got on paths under it.
received() { grep -c "\"path\": \"$1" "$LOG" 2>/dev/null; }

# 1. Who may: a sales user gets 403, the admin the list and the form.
expect_status "webhooks: a sales user may not open the list" 403 -b "$TMP/sam" "$BASE/automation/webhooks"
expect_status "webhooks: the admin opens the list" 200 -b "$TMP/ada" "$BASE/automation/webhooks"
expect_valid_html "webhooks: the list is valid HTML"
expect_status "webhooks: the admin opens the form" 200 -b "$TMP/ada" "$BASE/automation/webhooks/new"
expect_body "webhooks: ... which offers the event types written in code" 'value="opportunity.stage_changed"'
expect_valid_html "webhooks: the form is valid HTML"
T=$(csrf_of "$TMP/b")

# 2. Refused input: the form again with the field marked.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" --data-urlencode "name=Bad $RUN" -d url=ftp://example.com/x \
	-d events=contact.created -d enabled=1 "$BASE/automation/webhooks"
[ "$STATUS" = 422 ] && grep -q 'starts with http:// or https://' "$TMP/b" && ok "webhooks: an ftp:// address is refused (422)" ||
	fail "webhooks: ftp address: $STATUS"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" --data-urlencode "name=Bad $RUN" --data-urlencode "url=$RECV/ok/x" \
	-d events=contact.exploded "$BASE/automation/webhooks"
[ "$STATUS" = 422 ] && grep -q 'Choose event types from the list' "$TMP/b" && ok "webhooks: an unknown event type is refused (422)" ||
	fail "webhooks: unknown event: $STATUS"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" --data-urlencode "name=Bad $RUN" --data-urlencode "url=$RECV/ok/x" "$BASE/automation/webhooks"
[ "$STATUS" = 422 ] && grep -q 'Choose at least one event type' "$TMP/b" && ok "webhooks: no event type is refused (422)" ||
	fail "webhooks: no events: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM webhooks WHERE name = 'Bad $RUN'")" = 0 ] && ok "webhooks: ... and nothing was written" ||
	fail "webhooks: a refused hook was saved"
expect_status "webhooks: a POST without the form token is refused" 403 -b "$TMP/ada" --data-urlencode "name=X $RUN" \
	--data-urlencode "url=$RECV/ok/x" -d events=contact.created "$BASE/automation/webhooks"

# 3. Created: the secret shown once.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" --data-urlencode "name=Good $RUN" --data-urlencode "url=$RECV/ok/good" \
	-d events=contact.created -d events=contact.updated -d events=contact.deleted -d enabled=1 "$BASE/automation/webhooks"
SECRET=$(grep -o 'id="secret-value">[^<]*' "$TMP/b" | sed 's/.*>//')
HOOK=$($SQL -e "SELECT id FROM webhooks WHERE name = 'Good $RUN'")
[ "$STATUS" = 201 ] && [ -n "$HOOK" ] && [ "${#SECRET}" = 49 ] && [ "$($SQL -e "SELECT secret FROM webhooks WHERE id = $HOOK")" = "$SECRET" ] &&
	ok "webhooks: created, its page shows the secret once" || fail "webhooks: create: $STATUS hook=$HOOK secret=${#SECRET}"
expect_valid_html "webhooks: the page with the secret is valid HTML"
[ "$($SQL -e "SELECT events FROM webhooks WHERE id = $HOOK")" = "contact.created,contact.updated,contact.deleted" ] &&
	ok "webhooks: ... the chosen event types are kept in the list's order" || fail "webhooks: events: $($SQL -e "SELECT events FROM webhooks WHERE id = $HOOK")"
fetch -b "$TMP/ada" "$BASE/automation/webhooks/$HOOK"
[ "$STATUS" = 200 ] && ! grep -qF "$SECRET" "$TMP/b" && ! grep -q 'id="secret-value"' "$TMP/b" &&
	ok "webhooks: opened again, the page does not show the secret" || fail "webhooks: the secret is shown again: $STATUS"
fetch -b "$TMP/ada" "$BASE/api/v1/automation/webhooks/$HOOK"
[ "$STATUS" = 200 ] && ! grep -qF "$SECRET" "$TMP/b" && ! grep -q '"secret"' "$TMP/b" && grep -q "\"url\":\"$RECV/ok/good\"" "$TMP/b" &&
	ok "webhooks: the JSON API shows the hook without its secret" || fail "webhooks: API: $STATUS $(head -c 300 "$TMP/b")"
fetch -b "$TMP/ada" "$BASE/api/v1/automation/webhooks"
[ "$STATUS" = 200 ] && ! grep -qF "$SECRET" "$TMP/b" && ok "webhooks: ... and the list's API neither" || fail "webhooks: list API shows the secret"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'webhook' AND entity_id = $HOOK AND action = 'create'")" = 1 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%$SECRET%'")" = 0 ] &&
	ok "webhooks: the creation is audited, without the secret" || fail "webhooks: audit of the creation"
expect_status "webhooks: a sales user may not open a hook" 403 -b "$TMP/sam" "$BASE/automation/webhooks/$HOOK"
expect_status "webhooks: an unknown hook is 404" 404 -b "$TMP/ada" "$BASE/automation/webhooks/999999999"

# 4. A real change: a contact created through the customers module.
fetch -b "$TMP/ada" "$BASE/customers/contacts/new"
CT=$(csrf_of "$TMP/b")
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" -d first_name=Hook -d "last_name=Target$RUN" \
	-d "email=hook-$RUN@example.com" "$BASE/customers/contacts"
contact=$($SQL -e "SELECT id FROM contacts WHERE email = 'hook-$RUN@example.com'")
[ "$STATUS" = 303 ] && [ -n "$contact" ] && ok "webhooks: a contact is created" || fail "webhooks: contact create: $STATUS"
until_ok 20 'grep -q "contact.created" "$LOG"'  && ok "webhooks: ... and its event reaches the receiver" ||
	fail "webhooks: no delivery: $($SQL -e "SELECT status, error FROM webhook_deliveries WHERE webhook_id = $HOOK")"
# The request: headers, signature over "<timestamp>.<body>", payload.
$PY - "$LOG" "$SECRET" "$contact" "$ada" "$HOOK" >"$TMP/check.out" 2>&1 <<'PYEOF'
import hmac, hashlib, json, sys, time
log, secret, contact, ada, hook = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
reqs = [json.loads(l) for l in open(log) if l.strip()]
r = [q for q in reqs if q["event"] == "contact.created" and q["path"] == "/ok/good"][0]
def check(name, cond):
    print(("ok - " if cond else "FAIL - ") + "webhooks: " + name)
check("Content-Type is application/json", r["content_type"] == "application/json")
want = "sha256=" + hmac.new(secret, (r["timestamp"] + "." + r["body"]).encode(), hashlib.sha256).hexdigest()
check("X-CRM-Signature is HMAC-SHA256 of timestamp.body with the secret", hmac.compare_digest(want, r["signature"]))
wrong = "sha256=" + hmac.new(b"whsec_not-the-secret", (r["timestamp"] + "." + r["body"]).encode(), hashlib.sha256).hexdigest()
check("... which another secret does not give", wrong != r["signature"])
check("X-CRM-Timestamp is now", abs(int(r["timestamp"]) - time.time()) < 120)
p = json.loads(r["body"])
check("the payload's id is the X-CRM-Delivery header", str(p["id"]) == r["delivery"])
check("the payload names the event, the entity and the record",
      p["event"] == "contact.created" and p["entity"] == "contact" and p["entity_id"] == contact)
check("the payload has the actor", p["actor"]["id"] == ada and p["actor"]["name"].startswith("ada "))
check("the payload has the changes (the new record)", p["changes"]["after"]["email"].startswith("hook-"))
check("the payload has the record as the API shows it", p["data"]["id"] == contact and p["data"]["last_name"].startswith("Target"))
check("occurred_at is RFC 3339 UTC", p["occurred_at"].endswith("Z") and "T" in p["occurred_at"])
PYEOF
cat "$TMP/check.out"
row=$($SQL -e "SELECT CONCAT(status, '|', attempts, '|', response_code, '|', response_excerpt) FROM webhook_deliveries WHERE webhook_id = $HOOK AND event = 'contact.created'")
[ "$row" = "delivered|1|200|received" ] && ok "webhooks: the delivery log says delivered, 1 attempt, 200 and the answer" ||
	fail "webhooks: delivery row: $row"
fetch -b "$TMP/ada" "$BASE/automation/webhooks/$HOOK"
grep -q 'contact.created' "$TMP/b" && grep -q '>received<' "$TMP/b" && ok "webhooks: the hook's page shows the delivery log" ||
	fail "webhooks: log not shown"
DELIVERY=$($SQL -e "SELECT id FROM webhook_deliveries WHERE webhook_id = $HOOK AND event = 'contact.created'")

# An update and a delete each make their own event.
curl -s -b "$TMP/ada" "$BASE/customers/contacts/$contact/edit" -o "$TMP/edit.html"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" -d first_name=Hooked -d "last_name=Target$RUN" \
	-d "email=hook-$RUN@example.com" "$BASE/customers/contacts/$contact"
until_ok 20 "grep -q '\"event\": \"contact.updated\"' \"\$LOG\"" && ok "webhooks: an update is contact.updated" ||
	fail "webhooks: no contact.updated ($STATUS)"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/customers/contacts/$contact/delete"
until_ok 20 "grep -q '\"event\": \"contact.deleted\"' \"\$LOG\"" && ok "webhooks: a delete is contact.deleted" ||
	fail "webhooks: no contact.deleted ($STATUS)"
[ "$($SQL -e "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $HOOK AND event LIKE 'account.%'")" = 0 ] &&
	ok "webhooks: events the hook does not listen to queue nothing" || fail "webhooks: unasked events queued"

# 5. Redeliver: the same body under a new delivery id.
before=$(received /ok/good)
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/automation/webhooks/$HOOK/deliveries/$DELIVERY/redeliver"
[ "$STATUS" = 303 ] && until_ok 20 '[ "$(received /ok/good)" -gt "$before" ]' &&
	$PY -c 'import json,sys
reqs=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
c=[r for r in reqs if r["event"]=="contact.created"]
a,b=json.loads(c[0]["body"]),json.loads(c[-1]["body"])
sys.exit(0 if len(c)==2 and a["id"]!=b["id"] and a["data"]==b["data"] and a["changes"]==b["changes"] else 1)' "$LOG" &&
	ok "webhooks: redeliver sends the same event again as a new delivery" || fail "webhooks: redeliver: $STATUS"
expect_status "webhooks: redelivering another hook's delivery is 404" 404 -b "$TMP/ada" --data-urlencode "csrf_token=$CT" \
	"$BASE/automation/webhooks/$HOOK/deliveries/999999999/redeliver"

# 6. The test ping.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/automation/webhooks/$HOOK/ping"
[ "$STATUS" = 303 ] && until_ok 20 "grep -q '\"event\": \"ping\"' \"\$LOG\"" && ok "webhooks: the test ping is delivered" ||
	fail "webhooks: ping: $STATUS"

# 7. Rotating the secret: the new one shown once and used to sign.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/automation/webhooks/$HOOK/rotate"
NEW=$(grep -o 'id="secret-value">[^<]*' "$TMP/b" | sed 's/.*>//')
[ "$STATUS" = 200 ] && [ "${#NEW}" = 49 ] && [ "$NEW" != "$SECRET" ] && ok "webhooks: rotate shows a new secret once" ||
	fail "webhooks: rotate: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%$NEW%' OR changes LIKE '%$SECRET%'")" = 0 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'webhook' AND entity_id = $HOOK AND action = 'rotate_secret'")" = 1 ] &&
	ok "webhooks: the rotation is audited without either secret" || fail "webhooks: rotation audit"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/automation/webhooks/$HOOK/ping"
until_ok 20 '[ "$(grep -c "\"event\": \"ping\"" "$LOG")" -ge 2 ]' &&
	$PY -c 'import json,sys,hmac,hashlib
r=[json.loads(l) for l in open(sys.argv[1]) if l.strip() and "\"ping\"" in l][-1]
w="sha256="+hmac.new(sys.argv[2].encode(),(r["timestamp"]+"."+r["body"]).encode(),hashlib.sha256).hexdigest()
sys.exit(0 if w==r["signature"] else 1)' "$LOG" "$NEW" && ok "webhooks: ... and later deliveries are signed with it" ||
	fail "webhooks: not signed with the new secret"
if grep -rqF "$NEW" "$CRM_E2E_DIR/log/" 2>/dev/null || grep -rqF "$SECRET" "$CRM_E2E_DIR/log/" 2>/dev/null; then
	fail "webhooks: a secret is in the logs"
else ok "webhooks: no secret in the logs"; fi

# 8. Retries: a receiver that fails once, then takes it. (Each hook from
# here on hears only its own contact.)
$SQL -e "UPDATE webhooks SET enabled = FALSE WHERE id = $HOOK"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" --data-urlencode "name=Flaky $RUN" --data-urlencode "url=$RECV/flaky/$RUN" \
	-d events=contact.created -d enabled=1 "$BASE/automation/webhooks"
FLAKY=$($SQL -e "SELECT id FROM webhooks WHERE name = 'Flaky $RUN'")
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" -d first_name=Retry -d "last_name=Me$RUN" "$BASE/customers/contacts"
until_ok 30 '[ "$($SQL -e "SELECT status FROM webhook_deliveries WHERE webhook_id = $FLAKY")" = delivered ]' &&
	row=$($SQL -e "SELECT CONCAT(attempts, '|', response_code, '|', response_excerpt) FROM webhook_deliveries WHERE webhook_id = $FLAKY") &&
	[ "$row" = "2|200|received at last" ] && [ "$(received /flaky/$RUN)" = 2 ] &&
	ok "webhooks: a 500 is tried again after the back-off and delivered on the second attempt" ||
	fail "webhooks: retry: $($SQL -e "SELECT CONCAT(status, '|', attempts, '|', IFNULL(response_code, ''), '|', error) FROM webhook_deliveries WHERE webhook_id = $FLAKY")"
[ "$($SQL -e "SELECT failures FROM webhooks WHERE id = $FLAKY")" = 0 ] && ok "webhooks: ... and the success clears its failure count" ||
	fail "webhooks: failures not reset"

$SQL -e "UPDATE webhooks SET enabled = FALSE WHERE id = $FLAKY"

# 9. Always failing: given up after four attempts, switched off after
# three failures in a row, the reason shown, the admin told.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" --data-urlencode "name=Broken $RUN" --data-urlencode "url=$RECV/fail/$RUN" \
	-d events=contact.created -d enabled=1 "$BASE/automation/webhooks"
BROKEN=$($SQL -e "SELECT id FROM webhooks WHERE name = 'Broken $RUN'")
unread0=$($SQL -e "SELECT notify_unread FROM users WHERE id = $ada")
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" -d first_name=Broken -d "last_name=Sink$RUN" "$BASE/customers/contacts"
until_ok 30 '[ "$($SQL -e "SELECT enabled FROM webhooks WHERE id = $BROKEN")" = 0 ]' &&
	ok "webhooks: a hook failing three times in a row is switched off" ||
	fail "webhooks: not switched off: $($SQL -e "SELECT failures, enabled FROM webhooks WHERE id = $BROKEN")"
row=$($SQL -e "SELECT CONCAT(failures, '|', disabled_at IS NOT NULL, '|', disabled_reason) FROM webhooks WHERE id = $BROKEN")
[ "${row%%|*}" = 3 ] && echo "$row" | grep -q '|1|3 failed deliveries in a row; the last: HTTP 500' &&
	ok "webhooks: ... with the reason kept" || fail "webhooks: reason: $row"
row=$($SQL -e "SELECT CONCAT(status, '|', attempts, '|', response_code, '|', error, '|', response_excerpt) FROM webhook_deliveries WHERE webhook_id = $BROKEN")
[ "$row" = "pending|3|500|HTTP 500|always broken ☃" ] && ok "webhooks: the log keeps each attempt's code, error and answer (UTF-8)" ||
	fail "webhooks: broken delivery: $row"
[ "$($SQL -e "SELECT COUNT(*) FROM notifications WHERE user_id = $ada AND kind = 'webhook' AND entity_id = $BROKEN")" = 1 ] &&
	[ "$($SQL -e "SELECT notify_unread FROM users WHERE id = $ada")" -gt "$unread0" ] &&
	ok "webhooks: the admin gets a notification that it was switched off" || fail "webhooks: no admin notification"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'webhook' AND entity_id = $BROKEN AND action = 'disable'")" = 1 ] &&
	ok "webhooks: the switching off is audited" || fail "webhooks: no audit row for disable"
fetch -b "$TMP/ada" "$BASE/automation/webhooks/$BROKEN"
grep -q 'id="disabled-reason">3 failed deliveries in a row' "$TMP/b" && grep -q 'id="webhook-enable"' "$TMP/b" &&
	ok "webhooks: the hook's page says why it is off and offers to switch it on" || fail "webhooks: disabled page"
expect_valid_html "webhooks: the switched-off hook's page is valid HTML"
sleep 2
[ "$(received /fail/$RUN)" = 3 ] && ok "webhooks: a switched-off hook is not called" || fail "webhooks: called $(received /fail/$RUN) times"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/automation/webhooks/$BROKEN/ping"
[ "$STATUS" = 409 ] && ok "webhooks: a switched-off hook cannot be pinged (409)" || fail "webhooks: ping off: $STATUS"
# Switched on again: its waiting delivery goes on, and gives up at four.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/automation/webhooks/$BROKEN/enable"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(enabled, failures, disabled_reason) FROM webhooks WHERE id = $BROKEN")" = 10 ] &&
	ok "webhooks: re-enabled, its failures and reason are cleared" || fail "webhooks: enable: $STATUS"
until_ok 20 '[ "$($SQL -e "SELECT status FROM webhook_deliveries WHERE webhook_id = $BROKEN")" = failed ]' &&
	[ "$($SQL -e "SELECT attempts FROM webhook_deliveries WHERE webhook_id = $BROKEN")" = 4 ] &&
	ok "webhooks: a delivery is given up after its fourth attempt (three waits)" ||
	fail "webhooks: give up: $($SQL -e "SELECT status, attempts FROM webhook_deliveries WHERE webhook_id = $BROKEN")"

# 10. A redirect is an answer, not a place to go.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" --data-urlencode "name=Moved $RUN" --data-urlencode "url=$RECV/redirect/$RUN" \
	-d events=contact.created -d enabled=1 "$BASE/automation/webhooks"
MOVED=$($SQL -e "SELECT id FROM webhooks WHERE name = 'Moved $RUN'")
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/automation/webhooks/$MOVED/ping"
until_ok 20 '[ "$($SQL -e "SELECT attempts FROM webhook_deliveries WHERE webhook_id = $MOVED")" -ge 1 ]' &&
	[ "$(received /ok/$RUN)" = 0 ] && $SQL -e "SELECT error FROM webhook_deliveries WHERE webhook_id = $MOVED" | grep -q 'HTTP 302 (redirects are not followed)' &&
	ok "webhooks: a 302 is a failure, and the redirect is not followed" ||
	fail "webhooks: redirect: $($SQL -e "SELECT response_code, error FROM webhook_deliveries WHERE webhook_id = $MOVED") $(received /ok/$RUN)"

# 11. Editing: the form keeps the choices; the delivery log pages.
expect_status "webhooks: the edit form opens" 200 -b "$TMP/ada" "$BASE/automation/webhooks/$HOOK/edit"
grep -q 'value="contact.updated" checked' "$TMP/b" && ok "webhooks: ... with the hook's event types ticked" || fail "webhooks: edit form"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" --data-urlencode "name=Good $RUN" --data-urlencode "url=$RECV/ok/good" \
	-d events=contact.created "$BASE/automation/webhooks/$HOOK"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(enabled, '|', events) FROM webhooks WHERE id = $HOOK")" = "0|contact.created" ] &&
	ok "webhooks: saved: event types and the switch changed" || fail "webhooks: update: $STATUS"
$SQL -e "INSERT INTO webhook_deliveries (webhook_id, event, payload, status) SELECT $HOOK, 'contact.created', '{}', 'delivered' FROM seq_1_to_60"
fetch -b "$TMP/ada" "$BASE/automation/webhooks/$HOOK"
next=$(grep -o 'id="next-page" href="[^"]*\|href="[^"]*" id="next-page' "$TMP/b" | grep -o '/automation[^"]*' | sed 's/&amp;/\&/g')
[ "$(grep -c 'id="delivery-' "$TMP/b")" = 50 ] && [ -n "$next" ] && fetch -b "$TMP/ada" "$BASE$next" &&
	[ "$(grep -c 'id="delivery-' "$TMP/b")" -ge 10 ] && ok "webhooks: the delivery log pages by 50, newest first" ||
	fail "webhooks: paging: $(grep -c 'id="delivery-' "$TMP/b") next=$next"
# Finished deliveries older than webhook_keep_days (30) leave the log.
$SQL -e "INSERT INTO webhook_deliveries (webhook_id, event, payload, status, next_at) VALUES
	($HOOK, 'contact.updated', '{}', 'delivered', UTC_TIMESTAMP() - INTERVAL 40 DAY),
	($HOOK, 'contact.deleted', '{}', 'pending', UTC_TIMESTAMP() - INTERVAL 40 DAY)"
until_ok 20 '[ "$($SQL -e "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $HOOK AND next_at < UTC_TIMESTAMP() - INTERVAL 30 DAY")" = 1 ]' &&
	[ "$($SQL -e "SELECT status FROM webhook_deliveries WHERE webhook_id = $HOOK AND next_at < UTC_TIMESTAMP() - INTERVAL 30 DAY")" = pending ] &&
	ok "webhooks: old finished deliveries are pruned, a waiting one is kept" || fail "webhooks: pruning"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$CT" "$BASE/automation/webhooks/$MOVED/delete"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT COUNT(*) FROM webhooks WHERE id = $MOVED")" = 0 ] && ok "webhooks: a hook is deleted" ||
	fail "webhooks: delete: $STATUS"

# 12. Several runners never send one delivery twice: 40 queued at once,
# two more runners beside the stack's, each delivery received once.
$SQL -e "INSERT INTO webhooks (name, url, events, secret) VALUES ('Burst $RUN', '$RECV/ok/burst$RUN', 'contact.created', 'whsec_burst$RUN')"
BURST=$($SQL -e "SELECT id FROM webhooks WHERE name = 'Burst $RUN'")
$SQL -e "INSERT INTO webhook_deliveries (webhook_id, event, payload) SELECT $BURST, 'ping', '{\"event\":\"ping\"}' FROM seq_1_to_40"
AUTO="$TOP/cgi-bin/crm-automation --config $CRM_E2E_DIR/crm.conf"
$AUTO jobs --once >"$TMP/r1.log" 2>&1 &
r1=$!
$AUTO jobs --once >"$TMP/r2.log" 2>&1 &
r2=$!
wait $r1 $r2
until_ok 30 '[ "$($SQL -e "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $BURST AND status = '"'delivered'"'")" = 40 ]'
got=$(grep -c "\"path\": \"/ok/burst$RUN\"" "$LOG")
distinct=$(grep "\"path\": \"/ok/burst$RUN\"" "$LOG" | grep -o '"delivery": "[0-9]*"' | sort -u | wc -l)
[ "$got" = 40 ] && [ "$distinct" = 40 ] && [ "$($SQL -e "SELECT MAX(attempts) FROM webhook_deliveries WHERE webhook_id = $BURST")" = 1 ] &&
	ok "webhooks: three runners at once deliver 40 deliveries once each" || fail "webhooks: burst: $got received, $distinct distinct"
$SQL -e "UPDATE webhooks SET enabled = FALSE WHERE id = $BURST"

# 13. The runner's page lists the two parts, both working.
fetch -b "$TMP/ada" "$BASE/automation"
grep -A4 'id="part-webhooks"' "$TMP/b" | grep -q 'Working' && grep -A4 'id="part-notifications"' "$TMP/b" | grep -q 'Working' &&
	ok "webhooks: the automation page shows the webhooks and notifications parts working" ||
	fail "webhooks: parts on /automation: $(grep -A4 'id="part-webhooks"' "$TMP/b" | tr -d '\n' | head -c 300)"
