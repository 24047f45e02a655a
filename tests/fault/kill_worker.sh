#!/bin/bash
# kill -9 a worker under load: the master forks a replacement, and at most
# the one request that worker held fails (a FastCGI worker serves one
# request at a time; those waiting in the socket's backlog belong to no
# worker and go to the others). Afterwards the worker count is back and
# the module serves.
. "$(dirname "$0")/lib.sh"
IP=127.0.10.$(( $$ % 50 + 60 ))
RUN=$$
PW='one worker fewer 10'
KILLS=2
[ "$FULL" = 1 ] && KILLS=5

new_admin kw
COOKIE=$(cookie_header "$TMP/kw")
for m in customers service; do
	url=$BASE/$m
	[ "$m" = customers ] && url=$BASE/customers/contacts
	st=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
	[ "$st" = 200 ] || { fail "kill worker $m: $url answers $st before the test"; continue; }
	master=$(master_of "$m")
	wait_workers "$master" 2
	wrk -t1 -c16 -d60s -H "Cookie: $COOKIE" "$url" >"$TMP/wrk-$m" 2>&1 &
	wrkpid=$!
	sleep 0.5
	replaced=0 victims=""
	for _ in $(seq "$KILLS"); do
		victim=$(workers_of "$master" | head -1)
		victims="$victims $victim"
		kill -9 "$victim"
		# Replaced: two workers again, the victim not among them.
		for _ in $(seq 100); do
			if [ "$(workers_of "$master" | wc -l)" -eq 2 ] && ! workers_of "$master" | grep -qx "$victim"; then
				replaced=$((replaced + 1))
				break
			fi
			sleep 0.05
		done
		sleep 0.3
	done
	kill -INT $wrkpid
	wait $wrkpid
	reqs=$(wrk_requests "$TMP/wrk-$m")
	errs=$(wrk_errors "$TMP/wrk-$m")
	if [ -n "$reqs" ] && [ "$reqs" -gt 50 ] && [ "$errs" -le "$KILLS" ]; then
		ok "kill worker $m: $KILLS workers killed with -9 under load: $errs of $reqs requests failed (at most $KILLS, one each)"
	else
		fail "kill worker $m: $errs failed of ${reqs:-no} requests for $KILLS kills: $(grep -E 'Socket|Non-2xx' "$TMP/wrk-$m" | tr '\n' ' ')"
	fi
	if [ "$replaced" = "$KILLS" ] && wait_workers "$master" 2 && alive_pid "$master"; then
		ok "kill worker $m: the master replaced each one; 2 workers serve"
	else
		fail "kill worker $m: $replaced of $KILLS replaced; workers now: $(workers_of "$master" | tr '\n' ' ')"
	fi
	n=0
	for v in $victims; do grep -q "worker $v killed by signal 9" "$V/log/crm-$m.log" && n=$((n + 1)); done
	[ "$n" = "$KILLS" ] && ok "kill worker $m: the log names each killed worker" ||
		fail "kill worker $m: $n of $KILLS kills in the log"
	expect_status "kill worker $m: the module serves afterwards" 200 -H "Cookie: $COOKIE" "$url"
done
