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
# has exactly one message.
. "$(dirname "$0")/lib.sh"
IP=127.0.10.$(( $$ % 50 + 160 ))
RUN=$$
PW='killed in the middle 10'
ROWS=5000 MAILS=150
[ "$FULL" = 1 ] && ROWS=20000 MAILS=400
SINK_PORT=$(( CRM_E2E_PORT + 1000 ))
SINK_PID=
cleanup() {
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
new_admin rk
me=$($SQL -e "SELECT id FROM users WHERE email = 'rk-$RUN@example.com'")

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
start_runner customers
pid=$(cat "$V/run/crm-customers-jobs.pid")
for _ in $(seq 600); do
	[ "$($SQL -e "SELECT rows_done FROM imports WHERE id = $job")" -ge 100 ] && break
	sleep 0.02
done
kill -9 "$pid"
rm -f "$V/run/crm-customers-jobs.pid"
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
start_runner marketing --stale 2
pid=$(cat "$V/run/crm-marketing-jobs.pid")
for _ in $(seq 600); do [ "$(wc -l < "$TMP/sink.log")" -ge $((MAILS / 3)) ] && break; sleep 0.02; done
kill -9 "$pid"
rm -f "$V/run/crm-marketing-jobs.pid"
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
kill "$SINK_PID"
SINK_PID=
# The stack's own runners again, as they were.
stop_runner marketing
stop_runner customers
start_runner marketing
start_runner customers
