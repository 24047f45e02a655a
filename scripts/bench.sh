#!/bin/sh
# make bench: wrk through the same nginx.conf against our pages, a bare
# fcgi2 program printing as many bytes, and nginx serving a static file of
# that size. Prints requests/s and p99 latency for each, and the ratios.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench
PORT=${CRM_BENCH_PORT:-18090}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
BASE=http://127.0.0.1:$PORT

sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true
CRM_LOG_REQUESTS=${CRM_LOG_REQUESTS:-on} sh scripts/stack.sh start "$V" "$PORT" >"$TOP/build/bench-stack.log" 2>&1 ||
	{ cat "$TOP/build/bench-stack.log"; exit 1; }
trap 'kill $(cat "$V/run/bare.pid" 2>/dev/null) 2>/dev/null; sh scripts/stack.sh stop "$V" >/dev/null 2>&1' EXIT

bytes=$(curl -s "$BASE/" | wc -c)
mkdir -p "$V/bench"
head -c "$bytes" /dev/zero | tr '\0' 'x' > "$V/bench/static.html"
rm -f "$V/run/bare.sock"
BARE_BYTES=$bytes spawn-fcgi -s "$V/run/bare.sock" -M 0666 -F 2 -P "$V/run/bare.pid" \
	-- "$TOP/build/bench/bare" >/dev/null
# The bench locations go into this stack's copy of nginx.conf only.
sed -i "s|        server_name localhost;|        server_name localhost;\n\
        location = /bench/bare { fastcgi_pass unix:$V/run/bare.sock; }\n\
        location = /bench/static.html { root bench; rewrite ^ /static.html break; }|" "$V/nginx.conf"
(cd "$V" && nginx -p "$V/" -c "$V/nginx.conf" -s reload)
sleep 0.5
# A signed-in session, to measure what checking it costs per request.
PW='a session to measure 1'
echo "$PW" | "$TOP/cgi-bin/crmctl" --config "$V/crm.conf" user add --email bench@example.com \
	--name Bench --role read-only --password-stdin >/dev/null 2>&1 || true  # exists from an earlier run
. "$TOP/scripts/bench-lib.sh"
bench_signin bench@example.com "$PW"

for u in / /admin/health /bench/bare /bench/static.html; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$u")
	[ "$code" = 200 ] || { echo "bench: $u answers $code" >&2; exit 1; }
done

# CPU time (user + system, in clock ticks) of the given processes.
ticks() {
	for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done |
		awk '{s += $1} END {print s + 0}'
}
HZ=$(getconf CLK_TCK)
MODULE_PIDS=$(pgrep -P "$(cat "$V/run/crm-admin.pid")" | tr '\n' ' ')
BARE_PIDS=$(cat "$V/run/bare.pid" | tr '\n' ' ')

# One wrk run: records requests/s, p99 and the program's CPU per request
# (user + system time of its processes over the requests wrk completed).
run() { # name path pids [header]
	t0=$(ticks $3)
	if [ -n "${4:-}" ]; then
		wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$4" "$BASE$2" > "$V/wrk-$1.txt" 2>&1
	else
		wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$BASE$2" > "$V/wrk-$1.txt" 2>&1
	fi
	t1=$(ticks $3)
	rps=$(awk '/^Requests\/sec/ {print $2}' "$V/wrk-$1.txt")
	n=$(awk '/requests in/ {print $1}' "$V/wrk-$1.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$V/wrk-$1.txt")
	cpu=$(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$HZ" 'BEGIN { if (n > 0 && b > a) printf "%.1f", (b - a) * 1e6 / hz / n; else print "-" }')
	if grep -qE 'Socket errors|Non-2xx' "$V/wrk-$1.txt"; then
		errs="$errs $1:$(grep -E 'Socket errors|Non-2xx' "$V/wrk-$1.txt" | tr '\n' ' ')"
	fi
	echo "$r $1 $rps $p99 $cpu" >> "$RESULTS"
	printf '%5s %-8s %12s %10s %10s\n' "$r" "$1" "$rps" "$p99" "$cpu"
}

# This machine is shared and noisy: a run can lose a third of its speed
# to a neighbour. The targets run in rounds, one after another, and each
# ratio is taken within a round (neighbouring runs share the noise); the
# median over the rounds is reported.
ROUNDS=${BENCH_ROUNDS:-5}
RESULTS=$V/bench-results.txt
: > "$RESULTS"
errs=""
echo "wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds, through nginx; pages of $bytes bytes; $(nproc) cores"
printf '%5s %-8s %12s %10s %10s\n' round target "req/s" p99 "CPU us/req"
for r in $(seq "$ROUNDS"); do
	run static /bench/static.html ""
	run bare /bench/bare "$BARE_PIDS"
	run home / "$MODULE_PIDS"
	run health /admin/health "$MODULE_PIDS"
	run session /admin/health "$MODULE_PIDS" "Cookie: crm_session=$SESSION"
done
[ -z "$errs" ] || echo "errors:$errs"
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio() { # a b: per-round a/b, median
	awk -v a="$1" -v b="$2" '$2 == a {x[$1] = $3} $2 == b {y[$1] = $3}
		END {for (r in x) if (y[r] > 0) print x[r] / y[r]}' "$RESULTS" | median
}
cpu() { awk -v t="$1" '$2 == t && $5 != "-" {print $5}' "$RESULTS" | median; }
rps() { awk -v t="$1" '$2 == t {print $3}' "$RESULTS" | median; }
echo
printf 'median req/s: static %s, bare %s, home %s, health %s, health signed in %s\n' \
	"$(rps static)" "$(rps bare)" "$(rps home)" "$(rps health)" "$(rps session)"
printf 'median CPU us per request: bare %s, home %s, health %s, health signed in %s\n' \
	"$(cpu bare)" "$(cpu home)" "$(cpu health)" "$(cpu session)"
printf 'bare fcgi2 / nginx static: %.2fx\n' "$(ratio bare static)"
printf 'home page / bare fcgi2:    %.2fx  (goal: at least 0.85x)\n' "$(ratio home bare)"
printf 'health / bare fcgi2:       %.2fx  (one query per request)\n' "$(ratio health bare)"
printf 'signed in / signed out:    %.2fx  (/admin/health: the session check is one more query)\n' "$(ratio session health)"
