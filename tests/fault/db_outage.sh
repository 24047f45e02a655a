#!/bin/bash
# MariaDB stopped under load, then started again. Meanwhile every module
# answers 503 at once (no hang: the connect fails fast and is not tried
# twice in a request), with a readable page for a browser and a JSON error
# for /api/v1, and a write is refused whole; when the server is back each
# module answers 200 within two seconds, by itself (sessions, the
# statement cache and transactions work again on the new connection); no
# worker dies and the job runners live on.
. "$(dirname "$0")/lib.sh"
IP=127.0.10.$(( $$ % 50 + 110 ))
RUN=$$
PW='the database went away 10'
OUTAGE=3
[ "$FULL" = 1 ] && OUTAGE=10

new_admin out
COOKIE=$(cookie_header "$TMP/out")
URLS="/customers/contacts /api/v1/customers/contacts /sales /api/v1/sales /service /api/v1/service
/marketing /reports /automation /admin/users /api/v1/admin/users"
for u in $URLS; do
	st=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$u")
	[ "$st" = 200 ] || fail "outage: $u answers $st before the test"
done
pids_now() {
	for m in $MODULES; do echo "$m $(master_of "$m") $(workers_of "$(master_of "$m")" | tr '\n' ' ')"; done
	for m in $JOB_MODULES; do echo "$m-jobs $(cat "$V/run/crm-$m-jobs.pid" 2>/dev/null)"; done
}
# First the server ends every connection of the CRM (KILL, as a restart
# or wait_timeout would): each worker finds its connection gone at its
# next statement, reconnects, prepares again and answers that request.
$SQL -e "SELECT CONCAT('KILL CONNECTION ', id, ';') FROM information_schema.processlist WHERE user = 'crm'" > "$TMP/kill.sql"
nkill=$(wc -l < "$TMP/kill.sql")
$SQL < "$TMP/kill.sql" 2>/dev/null
bad=""
for u in $URLS $URLS; do
	st=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$u")
	[ "$st" = 200 ] || bad="$bad $u:$st"
done
[ "$nkill" -gt 0 ] && [ -z "$bad" ] && ok "outage: $nkill connections killed by the server: every request still answers 200 (reconnected in the request)" ||
	fail "outage: after KILL of $nkill connections:$bad"
pids_now > "$TMP/pids.before"
log_mark
curl -s -b "$TMP/out" "$BASE/customers/contacts/new" -o "$TMP/form.html"
T=$(csrf_of "$TMP/form.html")

# The prober: one request after another over the URLs, each line "start
# status seconds content-type url"; the first 503 of each kind is kept.
probe() {
	while [ ! -f "$TMP/stop" ]; do
		for u in $URLS; do
			t=$(now)
			line=$(curl -s -m 20 -o "$TMP/p.body" -w '%{http_code} %{time_total} %{content_type}' -H "Cookie: $COOKIE" "$BASE$u")
			echo "$t $(now) $line $u" >> "$TMP/probe"
			case $line in
			503*json*) [ -f "$TMP/503.json" ] || cp "$TMP/p.body" "$TMP/503.json" ;;
			503*html*) [ -f "$TMP/503.html" ] || cp "$TMP/p.body" "$TMP/503.html" ;;
			esac
		done
	done
}
: > "$TMP/probe"
probe &
prober=$!
wrk -t1 -c8 -d120s -H "Cookie: $COOKIE" "$BASE/customers/contacts" >"$TMP/wrk" 2>&1 &
wrkpid=$!
sleep 1
$MYSQLADMIN shutdown
t_down=$(now)
sleep 0.5
# A write while the database is away: refused, and nothing half done.
fetch -b "$TMP/out" --data-urlencode "csrf_token=$T" -d "first_name=Outage" -d "last_name=Writer$RUN" \
	-d "email=outage-$RUN@example.com" "$BASE/customers/contacts"
[ "$STATUS" = 503 ] && ok "outage: a form sent while the database is down gets 503" || fail "outage: POST during the outage: $STATUS"
sleep $OUTAGE
# The server is back somewhere between these two: starting, and answering
# a ping.
t_start=$(now)
sh "$TOP/scripts/stack.sh" start-db "$V" >/dev/null
t_up=$(now)
# Every URL answers 200 again (10 s at most), then a little more traffic.
for _ in $(seq 200); do
	back=1
	for u in $URLS; do
		awk -v t="$t_up" -v u="$u" '$1 >= t && $3 == 200 && $NF == u { f = 1 } END { exit !f }' "$TMP/probe" || { back=0; break; }
	done
	[ $back = 1 ] && break
	sleep 0.05
done
sleep 1
touch "$TMP/stop"
wait $prober
kill -INT $wrkpid
wait $wrkpid
down=$(elapsed "$t_down" "$t_up")

# Statuses: 200 before and after, 503 in between, nothing else ever.
others=$(awk '$3 != 200 && $3 != 503 { print $3, $NF }' "$TMP/probe" | sort | uniq -c | tr '\n' ';')
n503=$(awk '$3 == 503' "$TMP/probe" | wc -l)
total=$(wc -l < "$TMP/probe")
[ -z "$others" ] && [ "$n503" -gt 0 ] && ok "outage: $total probes over a ${down} s outage: only 200 and 503 ($n503 of them 503)" ||
	fail "outage: other answers than 200/503: $others ($n503 503s)"
grep -q 'The database cannot be reached' "$TMP/503.html" 2>/dev/null && grep -q '<h1>503' "$TMP/503.html" &&
	ok "outage: a browser gets a readable 503 page" || fail "outage: the 503 page: $(head -c 300 "$TMP/503.html" 2>/dev/null)"
grep -q '"error":{"status":503,"message":"The database cannot be reached' "$TMP/503.json" 2>/dev/null &&
	ok "outage: the API gets a JSON 503 error" || fail "outage: the API's 503: $(head -c 300 "$TMP/503.json" 2>/dev/null)"
inside=$(awk -v a="$t_down" -v b="$t_start" '$1 > a + 0.2 && $2 < b && $3 != 503' "$TMP/probe" | wc -l)
[ "$inside" = 0 ] && ok "outage: every request while the server was down was a 503" ||
	fail "outage: $inside requests during the outage were not 503: $(awk -v a="$t_down" -v b="$t_start" '$1 > a + 0.2 && $2 < b && $3 != 503' "$TMP/probe" | head -3 | tr '\n' ';')"
slow=$(awk '$4 > m { m = $4 } END { print m + 0 }' "$TMP/probe")
awk -v s="$slow" 'BEGIN { exit !(s < 1.0) }' && ok "outage: no request hung (the slowest took $slow s)" ||
	fail "outage: a request took $slow s"
# Recovery: how long after the server answered a ping any request still
# failed (0: none did), and every URL answered 200 since.
worst=$(awk -v t="$t_up" '$2 > t && $3 != 200 { w = $2 - t } END { printf "%.3f", w + 0 }' "$TMP/probe")
missing=$(for u in $URLS; do
	awk -v t="$t_up" -v u="$u" '$NF == u && $1 >= t && $3 == 200 { f = 1 } END { if (!f) print u }' "$TMP/probe"
done | tr '\n' ' ')
if [ -z "$missing" ] && awk -v w="$worst" 'BEGIN { exit !(w <= 2.0) }'; then
	ok "outage: every module answers 200 again within 2 s of the server's return (the last failure ended $worst s after)"
else
	fail "outage: recovery: a failure $worst s after the server's return; no 200 since from: $missing"
fi
if grep -q 'Socket errors' "$TMP/wrk"; then fail "outage: wrk saw socket errors: $(grep 'Socket errors' "$TMP/wrk")"
else ok "outage: under load ($(wrk_requests "$TMP/wrk") requests) no connection was dropped"; fi

# Nobody died: the same masters, workers and runners.
pids_now > "$TMP/pids.after"
if cmp -s "$TMP/pids.before" "$TMP/pids.after"; then
	ok "outage: no worker died: the same $(awk '{ n += NF - 1 } END { print n }' "$TMP/pids.after") processes before and after"
else
	fail "outage: processes changed: $(diff "$TMP/pids.before" "$TMP/pids.after" | grep '^[<>]' | tr '\n' ';')"
fi
if new_log_lines | grep 'killed by signal\|exited with status' >"$TMP/crashed"; then
	fail "outage: workers died: $(tr '\n' ' ' < "$TMP/crashed")"
else ok "outage: no worker crash in any module's log"; fi

# Nothing of the refused write, and a write works on the new connection.
[ "$($SQL -e "SELECT COUNT(*) FROM contacts WHERE last_name = 'Writer$RUN'")" = 0 ] &&
	ok "outage: the refused form left no record" || fail "outage: the refused form left a contact"
fetch -b "$TMP/out" --data-urlencode "csrf_token=$T" -d "first_name=After" -d "last_name=Writer$RUN" \
	-d "email=after-$RUN@example.com" "$BASE/customers/contacts"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT COUNT(*) FROM contacts WHERE last_name = 'Writer$RUN'")" = 1 ] &&
	ok "outage: afterwards the same session writes again (a transaction on the new connection)" ||
	fail "outage: a write after the outage: $STATUS"
