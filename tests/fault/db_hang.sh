#!/bin/bash
# MariaDB hung (SIGSTOP: a stalled disk, a frozen VM, a network that drops
# packets) rather than stopped: nothing refuses the connection, every
# answer just never comes. With [database] timeout = 2 a request waits
# that long at most per attempt and answers 503; no worker is stuck for
# good, none dies, and after SIGCONT every module answers 200 again by
# itself. (The short form uses timeout = 1.)
. "$(dirname "$0")/lib.sh"
IP=127.0.10.$(( $$ % 8 + 2 ))
RUN=$$
PW='the database hangs 10'
# A request can wait twice the limit (its statement, then one connect),
# so the hang lasts well beyond that.
HANG=5 LIMIT=1
[ "$FULL" = 1 ] && HANG=10 LIMIT=2

# Every module reloads (reads crm.conf again); done when each has two
# workers and none of the old ones.
reload_all() {
	for m in $MODULES; do workers_of "$(master_of "$m")"; done > "$TMP/old.workers"
	for m in $MODULES; do kill -HUP "$(master_of "$m")"; done
	for _ in $(seq 200); do
		done_n=0
		for m in $MODULES; do
			cur=$(workers_of "$(master_of "$m")")
			[ "$(echo "$cur" | wc -l)" = 2 ] && ! echo "$cur" | grep -qxFf "$TMP/old.workers" && done_n=$((done_n + 1))
		done
		[ "$done_n" = 8 ] && return 0
		sleep 0.05
	done
	fail "hang: the modules did not reload"
}
cp "$V/crm.conf" "$TMP/crm.conf.saved"
cleanup() {
	kill -CONT "$(cat "$V/run/mysql.pid")" 2>/dev/null
	if [ -f "$TMP/crm.conf.saved" ]; then
		cp "$TMP/crm.conf.saved" "$V/crm.conf"
		reload_all
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
sed -i "s/^\[database\]$/[database]\ntimeout = $LIMIT/" "$V/crm.conf"
reload_all

new_admin hang
COOKIE=$(cookie_header "$TMP/hang")
URLS="/customers/contacts /api/v1/sales /service /marketing /reports /automation /admin/users"
for u in $URLS; do
	st=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$u")
	[ "$st" = 200 ] || fail "hang: $u answers $st before the test"
done
pids_now() { for m in $MODULES; do echo "$m $(master_of "$m") $(workers_of "$(master_of "$m")" | tr '\n' ' ')"; done; }
pids_now > "$TMP/pids.before"
log_mark
probe() {
	while [ ! -f "$TMP/stop" ]; do
		for u in $URLS; do
			t=$(now)
			line=$(curl -s -m 60 -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: $COOKIE" "$BASE$u")
			echo "$t $(now) $line $u" >> "$TMP/probe"
		done
	done
}
: > "$TMP/probe"
probe &
prober=$!
sleep 0.5
db=$(cat "$V/run/mysql.pid")
kill -STOP "$db"
t_stop=$(now)
sleep "$HANG"
t_cont=$(now)      # taken first: whatever ends before it ended in the hang
kill -CONT "$db"
for _ in $(seq 300); do
	back=1
	for u in $URLS; do
		awk -v t="$t_cont" -v u="$u" '$1 >= t && $3 == 200 && $NF == u { f = 1 } END { exit !f }' "$TMP/probe" || { back=0; break; }
	done
	[ $back = 1 ] && break
	sleep 0.05
done
sleep 0.5
touch "$TMP/stop"
wait $prober

n503=$(awk '$3 == 503' "$TMP/probe" | wc -l)
others=$(awk '$3 != 200 && $3 != 503 { print $3, $NF }' "$TMP/probe" | sort | uniq -c | tr '\n' ';')
[ -z "$others" ] && [ "$n503" -gt 0 ] && ok "hang: $(wc -l < "$TMP/probe") probes over a ${HANG} s hang: only 200 and 503 ($n503 of them 503)" ||
	fail "hang: answers other than 200/503: $others ($n503 503s)"
inside=$(awk -v a="$t_stop" -v b="$t_cont" '$1 > a + 0.1 && $2 < b && $3 != 503' "$TMP/probe" | wc -l)
[ "$inside" = 0 ] && ok "hang: every request begun and ended while the server hung was a 503" ||
	fail "hang: $inside requests inside the hang were not 503: $(awk -v a="$t_stop" -v b="$t_cont" '$1 > a + 0.1 && $2 < b && $3 != 503 { print $1 - a, $2 - a, $3, $NF }' "$TMP/probe" | tr "\n" ";")"
slow=$(awk '$4 > m { m = $4 } END { print m + 0 }' "$TMP/probe")
# One attempt waits LIMIT seconds; a request that finds its connection
# dead tries once more to connect: at most twice the limit, and a little.
awk -v s="$slow" -v l="$LIMIT" 'BEGIN { exit !(s <= 2 * l + 1) }' &&
	ok "hang: no request waited longer than the timeout allows (the slowest $slow s, timeout $LIMIT s)" ||
	fail "hang: a request took $slow s with timeout = $LIMIT"
worst=$(awk -v t="$t_cont" '$2 > t && $3 != 200 { w = $2 - t } END { printf "%.3f", w + 0 }' "$TMP/probe")
missing=$(for u in $URLS; do
	awk -v t="$t_cont" -v u="$u" '$NF == u && $1 >= t && $3 == 200 { f = 1 } END { if (!f) print u }' "$TMP/probe"
done | tr '\n' ' ')
[ -z "$missing" ] && awk -v w="$worst" -v l="$LIMIT" 'BEGIN { exit !(w <= 2 * l + 2) }' &&
	ok "hang: after SIGCONT every module answers 200 again (the last failure ended $worst s after)" ||
	fail "hang: recovery: a failure $worst s after SIGCONT; no 200 since from: $missing"
pids_now > "$TMP/pids.after"
cmp -s "$TMP/pids.before" "$TMP/pids.after" && ! new_log_lines | grep -q 'killed by signal\|exited with status' &&
	ok "hang: no worker died or was replaced" ||
	fail "hang: processes changed: $(diff "$TMP/pids.before" "$TMP/pids.after" | grep '^[<>]' | tr '\n' ';')"
