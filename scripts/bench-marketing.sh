#!/bin/sh
# make bench, part six: a mass e-mail of 100,000 messages. 100,000
# consenting contacts (crmctl demo, then consent and a unique address set
# with SQL) in one campaign; the send is started through the page (its
# 100,000 message rows written by one INSERT ... SELECT in the request's
# transaction, timed); crm-marketing jobs sends them to a local asyncio
# SMTP sink that records each Message-ID and recipient; the runner is
# killed with -9 half way and started again; then every message must have
# reached the sink, each recipient with one Message-ID, none lost and none
# doubled. The database is kept in var/bench-marketing between runs.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-marketing
PORT=${CRM_BENCH_PORT6:-18096}
SINK_PORT=${CRM_BENCH_SINK_PORT:-12519}
N=${BENCH_MESSAGES:-100000}
STALE=5
BASE=http://127.0.0.1:$PORT
CTL="$TOP/cgi-bin/crmctl --config $V/crm.conf"
MKT="$TOP/cgi-bin/crm-marketing --config $V/crm.conf"
PY=/usr/bin/python3

sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true
CRM_DEMO=no CRM_INNODB_BUFFER=${CRM_INNODB_BUFFER:-1G} sh scripts/stack.sh start "$V" "$PORT" \
	>"$TOP/build/bench-marketing-stack.log" 2>&1 || { cat "$TOP/build/bench-marketing-stack.log"; exit 1; }
SINK_PID= RUNNER_PID=
cleanup() {
	[ -n "$RUNNER_PID" ] && kill -9 "$RUNNER_PID" 2>/dev/null || true
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
	sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# The stack's own runner would take the send: this bench runs its own.
kill -TERM "$(cat "$V/run/crm-marketing-jobs.pid" 2>/dev/null)" 2>/dev/null || true
for _ in $(seq 1 100); do [ -f "$V/run/crm-marketing-jobs.pid" ] || break; sleep 0.05; done
SQL="mariadb --no-defaults -S $V/run/mysql.sock -u $(id -un) -N crm"

have=$($SQL -e "SELECT COUNT(*) FROM contacts")
if [ "$have" -lt "$N" ]; then
	echo "loading $((N - have)) demo contacts..."
	t0=$(date +%s)
	$CTL demo --accounts 5000 --contacts "$((N - have))" --activities 1 --leads 0 --opportunities 0 \
		--quotes 0 --orders 0 >/dev/null
	echo "loaded in $(( $(date +%s) - t0 )) s"
fi
# Each contact consenting, with an address of its own (so "each recipient
# once" means something), none bounced or erased.
$SQL -e "UPDATE contacts SET email = CONCAT('c', id, '@bench.example.org'), email_norm = CONCAT('c', id, '@bench.example.org'),
	consent_email = 1, email_bounced_at = NULL, erased_at = NULL, deleted_at = NULL"
$SQL -e "UPDATE settings SET value = '127.0.0.1:$SINK_PORT' WHERE name = 'smtp_relay';
	UPDATE settings SET value = 'https://crm.bench.example.org' WHERE name = 'public_url';
	UPDATE settings SET value = 'news@bench.example.org' WHERE name = 'marketing_from';
	UPDATE settings SET value = '1000000' WHERE name = 'marketing_rate_per_minute'"

PW='a hundred thousand letters 6'
echo "$PW" | $CTL user add --email benchmarketing@example.com --name Bench --role marketing \
	--password-stdin >/dev/null 2>&1 || true
ME=$($SQL -e "SELECT id FROM users WHERE email = 'benchmarketing@example.com'")
RUN=$(date +%s)
$SQL -e "INSERT INTO email_templates (name, subject, body_html, body_text, owner_id) VALUES ('Bench $RUN',
	'News for {{contact.first_name}}',
	'<html><body><p>Dear {{contact.full_name}} of {{account.name}},</p><p><a href=\"https://example.org/offer\">Offer</a> <a href=\"https://example.org/shop?x=1&amp;y=2\">Shop</a></p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>',
	'Dear {{contact.full_name}},\nOffer: https://example.org/offer\nUnsubscribe: {{unsubscribe_url}}\n', $ME)"
TPL=$($SQL -e "SELECT id FROM email_templates WHERE name = 'Bench $RUN'")
$SQL -e "INSERT INTO campaigns (name, type, status, currency, owner_id) VALUES ('Bench $RUN', 'email', 'active', 'USD', $ME)"
CAMP=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Bench $RUN'")
$SQL -e "INSERT INTO campaign_members (campaign_id, contact_id) SELECT $CAMP, id FROM contacts ORDER BY id LIMIT $N"
echo "database: $($SQL -e "SELECT COUNT(*) FROM contacts") contacts; campaign $CAMP with" \
	"$($SQL -e "SELECT COUNT(*) FROM campaign_members WHERE campaign_id = $CAMP") members"

# Signed in as a marketer; the send page, then the start.
JAR=$V/cookies
rm -f "$JAR"
curl -s -c "$JAR" -b "$JAR" "$BASE/login" -o "$V/login.html"
csrf() { grep -o 'name="csrf_token" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//;s/"$//'; }
curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "csrf_token=$(csrf "$V/login.html")" \
	--data-urlencode "email=benchmarketing@example.com" --data-urlencode "password=$PW" "$BASE/login"
t=$(curl -s -b "$JAR" -o "$V/send.html" -w '%{time_total}' "$BASE/marketing/campaigns/$CAMP/send")
echo "send page (who gets it, who is skipped, over $N members): $t s;" \
	"will get: $(grep -o 'id="will-get">[0-9]*' "$V/send.html" | sed 's/.*>//')"
out=$(curl -s -b "$JAR" -o /dev/null -D "$V/h" -w '%{http_code} %{time_total}' \
	--data-urlencode "csrf_token=$(csrf "$V/send.html")" -d "template_id=$TPL" "$BASE/marketing/campaigns/$CAMP/send")
SEND=$(grep -i '^location:' "$V/h" | sed 's|.*/marketing/sends/||; s|?.*||' | tr -d '\r')
[ "${out%% *}" = 303 ] && [ -n "$SEND" ] || { echo "bench: the send did not start: $out" >&2; exit 1; }
echo "start (the send and its $N message rows in one transaction): ${out#* } s;" \
	"$($SQL -e "SELECT CONCAT(total, ' rows, ', skipped, ' skipped') FROM campaign_sends WHERE id = $SEND")"

LOG=$V/sink.log
: > "$LOG"
$PY "$TOP/tests/e2e/marketing_sink.py" 127.0.0.1 "$SINK_PORT" "$LOG" > "$V/sink.out" 2>&1 &
SINK_PID=$!
for _ in $(seq 1 100); do grep -q ready "$V/sink.out" 2>/dev/null && break; sleep 0.05; done
sent() { $SQL -e "SELECT sent FROM campaign_sends WHERE id = $SEND"; }
now() { date +%s.%N; }

t0=$(now)
$MKT jobs --stale $STALE >>"$V/log/bench-runner.log" 2>&1 &
RUNNER_PID=$!
while [ "$(sent)" -lt $((N / 2)) ]; do sleep 0.2; done
kill -9 $RUNNER_PID
wait $RUNNER_PID 2>/dev/null || true
RUNNER_PID=
t1=$(now)
s1=$(sent)
inflight=$($SQL -e "SELECT COUNT(*) FROM campaign_messages WHERE send_id = $SEND AND status = 'sending'")
echo "killed -9 after $s1 recorded sent, $(wc -l < "$LOG") received by the sink, $inflight left 'sending'"
# A restarted runner takes the one in flight back once its heartbeat is
# older than --stale.
sleep $((STALE + 1))
t2=$(now)
$MKT jobs --stale $STALE >>"$V/log/bench-runner.log" 2>&1 &
RUNNER_PID=$!
while [ "$($SQL -e "SELECT status FROM campaign_sends WHERE id = $SEND")" != done ]; do sleep 0.2; done
t3=$(now)
kill -TERM $RUNNER_PID
wait $RUNNER_PID 2>/dev/null || true
RUNNER_PID=
sleep 0.5

echo "send: $($SQL -e "SELECT CONCAT(status, ', ', sent, ' sent, ', failed, ' failed') FROM campaign_sends WHERE id = $SEND")"
grep "crm.mkt.$SEND\." "$LOG" | sort -u > "$V/got.txt"
$SQL -e "SELECT id, to_addr FROM campaign_messages WHERE send_id = $SEND" |
	awk -v s="$SEND" '{ printf "<crm.mkt.%s.%s@bench.example.org>\t%s\n", s, $1, $2 }' | sort > "$V/want.txt"
deliveries=$(grep -c "crm.mkt.$SEND\." "$LOG")
ids=$(cut -f1 "$V/got.txt" | sort -u | wc -l)
rcpts=$(cut -f2 "$V/got.txt" | sort -u | wc -l)
doubled=$(cut -f2 "$V/got.txt" | sort | uniq -d | wc -l)
if cmp -s "$V/want.txt" "$V/got.txt"; then same=yes; else same=no; fi
awk -v n="$N" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v s1="$s1" 'BEGIN {
	printf "sending time %.1f s (%.1f before the kill, %.1f after the restart; the %d s stale wait left out)\n", (b - a) + (d - c), b - a, d - c, c - b
	printf "messages per second: %.0f (before the kill %.0f, after %.0f)\n", n / ((b - a) + (d - c)), s1 / (b - a), (n - s1) / (d - c)
}' </dev/null
echo "sink: $deliveries deliveries, $ids distinct Message-IDs, $rcpts recipients, $doubled recipients with two Message-IDs;" \
	"Message-ID/recipient pairs equal to the $N message rows: $same"
if [ "$ids" = "$N" ] && [ "$rcpts" = "$N" ] && [ "$doubled" = 0 ] && [ "$same" = yes ]; then
	echo "no message lost, none doubled ($((deliveries - N)) redelivered with the same Message-ID after the kill)"
else
	echo "FAIL: messages lost or doubled" >&2
	exit 1
fi
