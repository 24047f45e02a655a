#!/bin/bash
# kill -9 of a job runner in the middle of its work, then a new runner.
# A CSV import writes each batch of 100 rows in one transaction with the
# job's progress: after the kill the rows stored are exactly the batches
# recorded, none half written, and the job, still claimed by the dead
# runner, is taken over when its lease (a minute without a heartbeat)
# runs out and finishes with every row once. A mass send records each
# message 'sending' before the relay sees it and 'sent' after: after the
# kill and a restart nothing is lost, and the one message that may have
# been in flight goes again with the same Message-ID, so every recipient
# has exactly one message. The service runner's mail queue and the
# automation runner's webhook deliveries keep the same promise, and the
# reports runner's analytics steps each commit whole or not at all.
. "$(dirname "$0")/lib.sh"
IP=127.0.10.$(( $$ % 50 + 160 ))
RUN=$$
PW='killed in the middle 10'
ROWS=5000 MAILS=150
[ "$FULL" = 1 ] && ROWS=20000 MAILS=400
SINK_PORT=$(( CRM_E2E_PORT + 1000 ))
SINK_PID= RECV_PID= HOLD_PID=
cleanup() {
	[ -n "$HOLD_PID" ] && kill "$HOLD_PID" 2>/dev/null
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
	[ -n "$RECV_PID" ] && kill "$RECV_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
new_admin rk
me=$($SQL -e "SELECT id FROM users WHERE email = 'rk-$RUN@example.com'")
# kill9_when MODULE 'TEST' [runner args...]: starts the module's runner and
# kills it with -9 as soon as TEST holds (12 s at most).
kill9_when() {
	local m=$1 test=$2 pid
	shift 2
	start_runner "$m" "$@"
	pid=$(cat "$V/run/crm-$m-jobs.pid")
	for _ in $(seq 600); do eval "$test" && break; sleep 0.02; done
	kill -9 "$pid"
	rm -f "$V/run/crm-$m-jobs.pid"
}

# --- The import --------------------------------------------------------
{
	echo "Name,Email"
	for i in $(seq 1 "$ROWS"); do echo "Kill $i $RUN,kill-$i-$RUN@example.com"; done
} > "$TMP/kill.csv"
stop_runner customers
curl -s -b "$TMP/rk" "$BASE/customers/imports" -o "$TMP/up.html"
T=$(csrf_of "$TMP/up.html")
fetch -b "$TMP/rk" -F "csrf_token=$T" -F "file=@$TMP/kill.csv;type=text/csv" "$BASE/customers/imports"
job=$(grep -i '^location:' "$TMP/h" | sed 's|.*/customers/imports/||' | tr -d '\r')
fetch -b "$TMP/rk" -d "csrf_token=$T" -d col0=name -d col1=email -d duplicates=create -d start=1 "$BASE/customers/imports/$job"
[ "$STATUS" = 303 ] && ok "runner kill: an import of $ROWS rows is queued" || fail "runner kill: the import did not start: $STATUS"
kill9_when customers '[ "$($SQL -e "SELECT rows_done FROM imports WHERE id = $job")" -ge 100 ]'
sleep 0.2
read -r status done created < <($SQL -e "SELECT status, rows_done, rows_created FROM imports WHERE id = $job")
stored=$($SQL -e "SELECT COUNT(*) FROM contacts WHERE email_norm LIKE 'kill-%-$RUN@example.com'")
if [ "$status" = running ] && [ "$done" -gt 0 ] && [ "$done" -lt "$ROWS" ] && [ $((done % 100)) = 0 ] &&
    [ "$stored" = "$done" ] && [ "$created" = "$done" ]; then
	ok "runner kill: killed with -9 after $done of $ROWS rows: $stored stored, whole batches only"
else
	fail "runner kill: after the kill: status $status, $done done, $created created, $stored stored"
fi
start_runner customers
if [ "$FULL" = 1 ]; then
	# The real lease: the job is taken over a minute after its last batch.
	wait_s=90
else
	# The short form does not wait the minute: the lease is made to have
	# run out, as if the minute had passed.
	$SQL -e "UPDATE imports SET heartbeat_at = heartbeat_at - INTERVAL 61 SECOND WHERE id = $job"
	wait_s=60
fi
t0=$(now)
for _ in $(seq $((wait_s * 10))); do
	case $($SQL -e "SELECT status FROM imports WHERE id = $job") in done|failed|cancelled) break;; esac
	sleep 0.1
done
read -r status done created < <($SQL -e "SELECT status, rows_done, rows_created FROM imports WHERE id = $job")
n=$($SQL -e "SELECT CONCAT(COUNT(*), '/', COUNT(DISTINCT email_norm)) FROM contacts WHERE email_norm LIKE 'kill-%-$RUN@example.com'")
if [ "$status" = done ] && [ "$done" = "$ROWS" ] && [ "$created" = "$ROWS" ] && [ "$n" = "$ROWS/$ROWS" ]; then
	ok "runner kill: a new runner took the import over and finished it in $(elapsed "$t0" "$(now)") s: $ROWS rows, each once"
else
	fail "runner kill: after the restart: status $status, $done done, $created created, contacts $n"
fi
grep -q "import $job: resumed from row $((stored + 2))" "$V/log/crm-customers-jobs.log" &&
	ok "runner kill: ... resumed right after the last whole batch (row $((stored + 2)))" ||
	fail "runner kill: no resume from row $((stored + 2)) in the log: $(grep "import $job" "$V/log/crm-customers-jobs.log" | tail -2 | tr '\n' ' ')"
[ "$($SQL -e "SELECT COUNT(*) FROM import_problems WHERE import_id = $job")" = 0 ] &&
	ok "runner kill: ... with no problem rows" || fail "runner kill: the import has problem rows"

# --- The mass send -----------------------------------------------------
set_setting() { $SQL -e "UPDATE settings SET value = '$2' WHERE name = '$1'"; }
set_setting smtp_relay "127.0.0.1:$SINK_PORT"
set_setting public_url "https://crm-$RUN.example.com"
set_setting marketing_from "news-$RUN@example.com"
set_setting marketing_rate_per_minute 100000
mkdir -p "$TMP/mail"
: > "$TMP/sink.log"
python3 "$TOP/tests/e2e/marketing_sink.py" 127.0.0.1 "$SINK_PORT" "$TMP/sink.log" --save "$TMP/mail" --delay 0.01 >"$TMP/sink.out" 2>&1 &
SINK_PID=$!
for _ in $(seq 100); do grep -q ready "$TMP/sink.out" 2>/dev/null && break; sleep 0.05; done
camp=$($SQL -e "INSERT INTO campaigns (name, type, status, currency, owner_id) VALUES ('Kill $RUN', 'email', 'active', 'USD', $me); SELECT LAST_INSERT_ID()")
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, consent_email, owner_id)
	SELECT 'M', CONCAT('n', seq), CONCAT('M n', seq), CONCAT('m', seq, '-$RUN@example.org'), CONCAT('m', seq, '-$RUN@example.org'), 1, $me FROM seq_1_to_$MAILS;
	INSERT INTO campaign_members (campaign_id, contact_id) SELECT $camp, id FROM contacts WHERE email_norm LIKE 'm%-$RUN@example.org'"
curl -s -b "$TMP/rk" "$BASE/marketing/templates/new" -o "$TMP/t.html"
fetch -b "$TMP/rk" --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" --data-urlencode "name=Kill $RUN" \
	--data-urlencode "subject=Hello {{contact.first_name}}" --data-urlencode "body_html=<p>Hi {{contact.first_name}}</p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>" \
	--data-urlencode "body_text=Hi {{contact.first_name}} {{unsubscribe_url}}" "$BASE/marketing/templates"
tpl=$(grep -i '^location:' "$TMP/h" | sed 's|.*/marketing/templates/||; s|?.*||' | tr -d '\r')
stop_runner marketing
curl -s -b "$TMP/rk" "$BASE/marketing/campaigns/$camp/send" -o "$TMP/t.html"
fetch -b "$TMP/rk" --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" -d "template_id=$tpl" "$BASE/marketing/campaigns/$camp/send"
send=$(grep -i '^location:' "$TMP/h" | sed 's|.*/marketing/sends/||; s|?.*||' | tr -d '\r')
[ "$STATUS" = 303 ] && [ -n "$send" ] && ok "runner kill: a send to $MAILS members is queued" || fail "runner kill: the send: $STATUS $(head -c 200 "$TMP/b")"
# --stale 2: a message left 'sending' by a dead runner is taken again
# after 2 s instead of the default two minutes.
kill9_when marketing '[ "$(wc -l < "$TMP/sink.log")" -ge $((MAILS / 3)) ]' --stale 2
got=$(wc -l < "$TMP/sink.log")
inflight=$($SQL -e "SELECT COUNT(*) FROM campaign_messages WHERE send_id = $send AND status = 'sending'")
[ "$got" -gt 0 ] && [ "$got" -lt "$MAILS" ] && [ "$inflight" -le 1 ] &&
	ok "runner kill: the send's runner killed with -9 after $got of $MAILS messages ($inflight in flight)" ||
	fail "runner kill: send kill: $got delivered, $inflight in flight"
start_runner marketing --stale 2
for _ in $(seq 600); do [ "$($SQL -e "SELECT status FROM campaign_sends WHERE id = $send")" = done ] && break; sleep 0.1; done
[ "$($SQL -e "SELECT CONCAT(status, '|', sent, '|', failed) FROM campaign_sends WHERE id = $send")" = "done|$MAILS|0" ] &&
	ok "runner kill: after a restart the send is done: $MAILS sent" ||
	fail "runner kill: after the restart: $($SQL -e "SELECT status, sent, failed FROM campaign_sends WHERE id = $send")"
grep "crm.mkt.$send\." "$TMP/sink.log" | sort -u > "$TMP/uniq"
ids=$(cut -f1 "$TMP/uniq" | sort -u | wc -l)
rcpts=$(cut -f2 "$TMP/uniq" | sort -u | wc -l)
twice=$(cut -f2 "$TMP/uniq" | sort | uniq -d | wc -l)
[ "$ids" = "$MAILS" ] && [ "$rcpts" = "$MAILS" ] && [ "$twice" = 0 ] &&
	ok "runner kill: none lost: each of the $MAILS recipients has exactly one message (one Message-ID each)" ||
	fail "runner kill: $ids Message-IDs for $rcpts recipients, $twice recipients with two different messages"
extra=$(( $(grep -c "crm.mkt.$send\." "$TMP/sink.log") - MAILS ))
[ "$extra" -le 1 ] && ok "runner kill: none doubled: $extra delivered again (at most the one in flight, same Message-ID)" ||
	fail "runner kill: $extra messages delivered twice"

# --- The service mail queue --------------------------------------------
# The same promise from crm-service's runner: each message is marked
# sending with a heartbeat before the relay sees it; a message whose
# heartbeat stopped (the runner died) goes again with its Message-ID.
MAILQ=$MAILS
stop_runner service
first=$($SQL -e "SELECT COALESCE(MAX(id), 0) + 1 FROM mail_queue")
$SQL -e "INSERT INTO mail_queue (to_addr, subject, body)
	SELECT CONCAT('q', seq, '-$RUN@example.org'), CONCAT('Queue ', seq), 'A reply' FROM seq_1_to_$MAILQ"
kill9_when service '[ "$(grep -c "crm.mail." "$TMP/sink.log")" -ge $((MAILQ / 3)) ]'
got=$(grep -c "crm.mail." "$TMP/sink.log")
inflight=$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE id >= $first AND status = 'sending'")
[ "$got" -gt 0 ] && [ "$got" -lt "$MAILQ" ] && [ "$inflight" -le 1 ] &&
	ok "runner kill: the service mail runner killed with -9 after $got of $MAILQ messages ($inflight in flight)" ||
	fail "runner kill: mail queue kill: $got delivered, $inflight in flight"
# A dead runner's message is taken again after two minutes without a
# heartbeat; the short form ages the heartbeat instead of waiting.
[ "$FULL" = 1 ] || $SQL -e "UPDATE mail_queue SET heartbeat_at = heartbeat_at - INTERVAL 121 SECOND
	WHERE id >= $first AND status = 'sending'"
start_runner service
for _ in $(seq 1800); do
	[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE id >= $first AND status <> 'sent'")" = 0 ] && break
	sleep 0.1
done
grep "crm.mail." "$TMP/sink.log" | grep -- "-$RUN@example.org" | sort -u > "$TMP/quniq"
ids=$(cut -f1 "$TMP/quniq" | sort -u | wc -l)
rcpts=$(cut -f2 "$TMP/quniq" | sort -u | wc -l)
twice=$(cut -f2 "$TMP/quniq" | sort | uniq -d | wc -l)
extra=$(( $(grep "crm.mail." "$TMP/sink.log" | grep -c -- "-$RUN@example.org") - MAILQ ))
[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE id >= $first AND status = 'sent'")" = "$MAILQ" ] &&
    [ "$ids" = "$MAILQ" ] && [ "$rcpts" = "$MAILQ" ] && [ "$twice" = 0 ] &&
	ok "runner kill: after a restart the mail queue is sent: each of $MAILQ recipients has one message" ||
	fail "runner kill: mail queue after the restart: $ids Message-IDs for $rcpts recipients, $twice with two"
[ "$extra" -le 1 ] && ok "runner kill: ... $extra delivered again (at most the one in flight, same Message-ID)" ||
	fail "runner kill: mail queue: $extra messages delivered twice"

kill "$SINK_PID"
SINK_PID=
# --- The webhook deliveries --------------------------------------------
# Deliveries queued for a hook that listens to nothing else. Each delivery is claimed (a lease), posted outside any transaction, then
# recorded. After a kill -9 the one in flight comes due again when its
# lease runs out and goes with the same delivery id; none is lost.
HOOKS=300
[ "$FULL" = 1 ] && HOOKS=1000
: > "$TMP/hooks.jsonl"
python3 "$TOP/tests/e2e/automation_webhooks_receiver.py" 127.0.0.1 0 "$TMP/hooks.jsonl" 0.01 >"$TMP/recv.out" 2>&1 &
RECV_PID=$!
for _ in $(seq 100); do grep -q ready "$TMP/recv.out" 2>/dev/null && break; sleep 0.05; done
RECV_PORT=$(sed -n 's/^ready \([0-9]*\)$/\1/p' "$TMP/recv.out")
stop_runner automation
hook=$($SQL -e "INSERT INTO webhooks (name, url, events, secret, enabled, created_by)
	VALUES ('Kill $RUN', 'http://127.0.0.1:$RECV_PORT/ok/kill-$RUN', 'fault.test', REPEAT('k', 64), TRUE, $me);
	SELECT LAST_INSERT_ID()")
$SQL -e "INSERT INTO webhook_deliveries (webhook_id, event, payload)
	SELECT $hook, 'fault.test', JSON_OBJECT('event', 'fault.test', 'n', seq) FROM seq_1_to_$HOOKS"
kill9_when automation '[ "$(wc -l < "$TMP/hooks.jsonl")" -ge $((HOOKS / 3)) ]'
got=$(wc -l < "$TMP/hooks.jsonl")
done_=$($SQL -e "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $hook AND status = 'delivered'")
[ "$got" -gt 0 ] && [ "$got" -lt "$HOOKS" ] && [ $((got - done_)) -le 1 ] &&
	ok "runner kill: the webhook runner killed with -9 after $got of $HOOKS deliveries ($done_ recorded)" ||
	fail "runner kill: webhook kill: $got received, $done_ recorded"
# The short form does not wait out the lease (the timeout twice and half a
# minute): the claimed delivery is made due, as if that time had passed.
[ "$FULL" = 1 ] || $SQL -e "UPDATE webhook_deliveries SET next_at = NOW() WHERE webhook_id = $hook AND status = 'pending'"
start_runner automation
for _ in $(seq 1200); do
	[ "$($SQL -e "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $hook AND status <> 'delivered'")" = 0 ] && break
	sleep 0.1
done
python3 - "$TMP/hooks.jsonl" "$HOOKS" > "$TMP/hooks.txt" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
by_n = {}
for r in rows:
    by_n.setdefault(json.loads(r["body"]).get("n"), set()).add(r["delivery"])
ns = set(by_n)
print(len(ns), len(rows) - len(ns), sum(1 for v in by_n.values() if len(v) > 1))
PY
read -r distinct again ids_differ < "$TMP/hooks.txt"
[ "$distinct" = "$HOOKS" ] && [ "$($SQL -e "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $hook AND status = 'delivered'")" = "$HOOKS" ] &&
	ok "runner kill: after a restart all $HOOKS webhook deliveries arrived, none lost" ||
	fail "runner kill: webhooks after the restart: $distinct of $HOOKS arrived"
[ "$again" -le 1 ] && [ "$ids_differ" = 0 ] &&
	ok "runner kill: ... $again delivered twice (at most the one in flight, with its delivery id)" ||
	fail "runner kill: webhooks: $again delivered twice, $ids_differ under two delivery ids"
kill "$RECV_PID" 2>/dev/null
RECV_PID=
$SQL -e "DELETE FROM webhooks WHERE id = $hook"

# --- The analytics run ------------------------------------------------
# Each step replaces its results in one transaction and records its
# progress after it. A second connection holds customer_segments
# (LOCK TABLES ... WRITE), so the runner stops inside the segments step's
# transaction, after it has already rewritten every score's segment and
# after the rfm step has committed: kill -9 there. The half-done step must
# leave nothing, the rfm step's results stay, a new runner marks the run
# failed when its heartbeat is older than --stale, and a new run finishes
# (the dead runner's GET_LOCK went with its connection).
base=$($SQL -e "SELECT value FROM settings WHERE name = 'base_currency'")
$SQL -e "INSERT INTO accounts (name, owner_id) SELECT CONCAT('Scored ', seq, ' rk$RUN'), $me FROM seq_1_to_300;
	INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, status)
	SELECT CONCAT('RK-$RUN-', a.id, '-', s.seq), a.id, '$base', UTC_DATE() - INTERVAL ((a.id * 7 + s.seq * 13) % 400) DAY,
		(a.id % 97) * 10 + s.seq, 0, (a.id % 97) * 10 + s.seq, (a.id % 97) * 10 + s.seq, $me, 'confirmed'
	FROM accounts a JOIN seq_1_to_3 s ON s.seq <= 1 + a.id % 3 WHERE a.name LIKE 'Scored % rk$RUN'"
stop_runner reports
$CTL analytics rfm segments >/dev/null 2>&1 || fail "runner kill: crmctl analytics rfm segments before the run"
sleep 1.1       # computed_at counts whole seconds
# Marks no run would write, so a step that changed anything outside its
# transaction shows even when it would compute the same segments again.
$SQL -e "UPDATE customer_scores SET segment = 99; UPDATE customer_segments SET traits = 'before rk$RUN'"
segs_before=$($SQL -e "SELECT MD5(GROUP_CONCAT(CONCAT_WS(':', segment, customers, recency_days, orders, revenue, tickets, traits) ORDER BY segment)) FROM customer_segments")
members_before=$($SQL -e "SELECT MD5(GROUP_CONCAT(CONCAT(account_id, ':', IFNULL(segment, '-')) ORDER BY account_id)) FROM customer_scores")
scored_at=$($SQL -e "SELECT MAX(computed_at) FROM customer_scores")
$SQL -e "LOCK TABLES customer_segments WRITE; SELECT SLEEP(120) AS hold_rk$RUN" >/dev/null 2>&1 &
HOLD_PID=$!
for _ in $(seq 100); do
	holder=$($SQL -e "SELECT id FROM information_schema.processlist WHERE info LIKE '%hold_rk$RUN%' AND info NOT LIKE '%processlist%'")
	[ -n "$holder" ] && break
	sleep 0.05
done
run=$($SQL -e "INSERT INTO analytics_runs (steps, steps_total, requested_by) VALUES ('rfm,segments', 2, $me); SELECT LAST_INSERT_ID()")
start_runner reports --stale 2
for _ in $(seq 300); do
	stuck=$($SQL -e "SELECT id FROM information_schema.processlist WHERE info LIKE 'DELETE FROM customer_segments%'")
	[ -n "$stuck" ] && break
	sleep 0.05
done
rpid=$(cat "$V/run/crm-reports-jobs.pid")
kill -9 "$rpid"
rm -f "$V/run/crm-reports-jobs.pid"
read -r status done_ step < <($SQL -e "SELECT status, steps_done, current_step FROM analytics_runs WHERE id = $run")
[ -n "$stuck" ] && [ "$status $done_ $step" = "running 1 segments" ] &&
	ok "runner kill: the analytics runner killed with -9 inside the segments step's transaction (rfm done)" ||
	fail "runner kill: analytics kill: run $status, $done_ steps done, at '$step', connection ${stuck:-not found}"
# The holder goes; the dead runner's statement then runs on in the server
# and finds no client to commit it.
[ -n "$holder" ] && $SQL -e "KILL $holder" 2>/dev/null
kill "$HOLD_PID" 2>/dev/null
wait "$HOLD_PID" 2>/dev/null
HOLD_PID=
for _ in $(seq 200); do
	[ -z "$($SQL -e "SELECT id FROM information_schema.processlist WHERE id = ${stuck:-0}")" ] && break
	sleep 0.05
done
[ "$($SQL -e "SELECT MD5(GROUP_CONCAT(CONCAT_WS(':', segment, customers, recency_days, orders, revenue, tickets, traits) ORDER BY segment)) FROM customer_segments")" = "$segs_before" ] &&
    [ "$($SQL -e "SELECT MD5(GROUP_CONCAT(CONCAT(account_id, ':', IFNULL(segment, '-')) ORDER BY account_id)) FROM customer_scores")" = "$members_before" ] &&
	ok "runner kill: ... the half-done segments step left nothing: segments and every customer's segment as before" ||
	fail "runner kill: the killed segments step changed the segments or the customers' segments"
[ "$($SQL -e "SELECT COUNT(DISTINCT computed_at) FROM customer_scores")" = 1 ] &&
    [ "$($SQL -e "SELECT MAX(computed_at) > '$scored_at' FROM customer_scores")" = 1 ] &&
	ok "runner kill: ... the rfm step before it stands whole (every score from the killed run)" ||
	fail "runner kill: customer_scores after the kill: $($SQL -e "SELECT COUNT(DISTINCT computed_at), MAX(computed_at) FROM customer_scores")"
start_runner reports --stale 2
for _ in $(seq 150); do
	[ "$($SQL -e "SELECT status FROM analytics_runs WHERE id = $run")" = failed ] && break
	sleep 0.1
done
[ "$($SQL -e "SELECT CONCAT(status, '|', error) FROM analytics_runs WHERE id = $run")" = "failed|The worker stopped before the run finished." ] &&
	ok "runner kill: a new runner marks the killed run failed once its heartbeat is 2 s old" ||
	fail "runner kill: the killed run: $($SQL -e "SELECT status, error FROM analytics_runs WHERE id = $run")"
curl -s -b "$TMP/rk" "$BASE/reports/analytics" -o "$TMP/an.html"
fetch -b "$TMP/rk" --data-urlencode "csrf_token=$(csrf_of "$TMP/an.html")" -d step=rfm -d step=segments "$BASE/reports/analytics/runs"
again=$(grep -io '^location: .*/reports/analytics/runs/[0-9]*' "$TMP/h" | grep -o '[0-9]*$')
for _ in $(seq 300); do
	case $($SQL -e "SELECT status FROM analytics_runs WHERE id = ${again:-0}") in done|failed) break;; esac
	sleep 0.1
done
[ -n "$again" ] && [ "$($SQL -e "SELECT CONCAT(status, '|', steps_done) FROM analytics_runs WHERE id = $again")" = "done|2" ] &&
    [ "$($SQL -e "SELECT SUM(customers) FROM customer_segments")" = "$($SQL -e "SELECT COUNT(*) FROM customer_scores WHERE segment IS NOT NULL")" ] &&
	ok "runner kill: ... and a run queued from the page afterwards finishes, every scored customer in a segment" ||
	fail "runner kill: the run after the kill: $($SQL -e "SELECT status, steps_done, error FROM analytics_runs WHERE id = ${again:-0}")"
stop_runner reports
start_runner reports

# The stack's own runners again, as they were.
stop_runner marketing
stop_runner customers
stop_runner automation
stop_runner service
start_runner marketing
start_runner customers
start_runner automation
start_runner service
