#!/bin/bash
# SIGHUP under load, every module: wrk through nginx against a page of the
# module (signed in; DAV with an API token) while its master is told to
# reload again and again, each reload waited for until a whole new set of
# workers serves. wrk must see no socket error and no answer but 2xx, the
# worker count must come back, and every worker must be new. The job
# runners ignore SIGHUP: each gets the same number and lives on.
. "$(dirname "$0")/lib.sh"
IP=127.0.10.$(( $$ % 50 + 10 ))
RUN=$$
PW='reload me ten times 10'
HUPS=2
[ "$FULL" = 1 ] && HUPS=10

new_admin hup
log_mark
COOKIE=$(cookie_header "$TMP/hup")
curl -s -b "$TMP/hup" "$BASE/account" -o "$TMP/account.html"
curl -s -b "$TMP/hup" -o "$TMP/token.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/account.html")" \
	-d name=fault -d days=30 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/token.html" | sed 's/.*>//')
BASIC=$(printf '%s' "hup-$RUN@example.com:$TOKEN" | base64 -w0)
# wrk speaks GET unless told: DAV's PROPFIND in a script of its own.
cat > "$TMP/propfind.lua" <<'LUA'
wrk.method = "PROPFIND"
wrk.headers["Depth"] = "0"
LUA

page_of() {
	case $1 in
	admin) echo /admin/users ;;
	customers) echo /customers/contacts ;;
	dav) echo /dav/ ;;
	*) echo "/$1" ;;
	esac
}

for m in $MODULES; do
	url=$BASE$(page_of "$m")
	if [ "$m" = dav ]; then
		args=(-s "$TMP/propfind.lua" -H "Authorization: Basic $BASIC")
		want=207
		st=$(curl -s -o /dev/null -w '%{http_code}' -X PROPFIND -H 'Depth: 0' -H "Authorization: Basic $BASIC" "$url")
	else
		args=(-H "Cookie: $COOKIE")
		want=200
		st=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
	fi
	# wrk counts a redirect to the sign-in page as a success: the page
	# must answer for real before the load means anything.
	if [ "$st" != "$want" ]; then
		fail "hup $m: $url answers $st before the test, wanted $want"
		continue
	fi
	master=$(master_of "$m")
	wait_workers "$master" 2
	first=$(workers_of "$master" | tr '\n' ' ')
	wrk -t1 -c8 -d60s "${args[@]}" "$url" >"$TMP/wrk-$m" 2>&1 &
	wrkpid=$!
	sleep 0.3
	reloads=0
	for _ in $(seq "$HUPS"); do
		old=$(workers_of "$master")
		kill -HUP "$master"
		# The reload is done when none of the old workers is left.
		for _ in $(seq 100); do
			cur=$(workers_of "$master")
			if [ "$(echo "$cur" | wc -l)" -eq 2 ] && [ -z "$(comm -12 <(echo "$old") <(echo "$cur"))" ]; then
				reloads=$((reloads + 1))
				break
			fi
			sleep 0.05
		done
	done
	sleep 0.3
	kill -INT $wrkpid
	wait $wrkpid
	reqs=$(wrk_requests "$TMP/wrk-$m")
	errs=$(wrk_errors "$TMP/wrk-$m")
	if [ -n "$reqs" ] && [ "$reqs" -gt 50 ] && [ "$errs" = 0 ]; then
		ok "hup $m: $HUPS SIGHUPs under load lose no request ($reqs requests, 0 errors)"
	else
		fail "hup $m: $errs failed of ${reqs:-no} requests: $(grep -E 'Socket|Non-2xx|requests in' "$TMP/wrk-$m" | tr '\n' ' ')"
	fi
	now_w=$(workers_of "$master" | tr '\n' ' ')
	if [ "$reloads" = "$HUPS" ] && [ "$(workers_of "$master" | wc -l)" = 2 ] && alive_pid "$master" &&
	    [ -z "$(comm -12 <(echo "$first" | tr ' ' '\n' | sort) <(echo "$now_w" | tr ' ' '\n' | sort) | grep .)" ]; then
		ok "hup $m: each reload replaced every worker ($reloads of $HUPS), 2 serve, same master"
	else
		fail "hup $m: $reloads of $HUPS reloads completed; workers before [$first] after [$now_w]"
	fi
done

# The job runners: SIGHUP is no reason to stop.
for m in $JOB_MODULES; do
	pid=$(cat "$V/run/crm-$m-jobs.pid" 2>/dev/null)
	for _ in $(seq "$HUPS"); do kill -HUP "$pid" 2>/dev/null; sleep 0.05; done
	sleep 0.2
	if alive_pid "$pid" && [ "$(cat "$V/run/crm-$m-jobs.pid" 2>/dev/null)" = "$pid" ]; then
		ok "hup $m jobs: the runner lives through $HUPS SIGHUPs"
	else
		fail "hup $m jobs: the runner died of SIGHUP"
		start_runner "$m"
	fi
done
# No worker crashed meanwhile.
if new_log_lines | grep 'killed by signal\|exited with status' >"$TMP/crashed"; then
	fail "hup: workers died: $(cat "$TMP/crashed" | tr '\n' ' ')"
else
	ok "hup: no worker crashed or exited early in any module"
fi
