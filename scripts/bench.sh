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
for u in / /admin/health /bench/bare /bench/static.html; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$u")
	[ "$code" = 200 ] || { echo "bench: $u answers $code" >&2; exit 1; }
done

run() { # name path
	wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$BASE$2" > "$V/wrk-$1.txt" 2>&1
	rps=$(awk '/^Requests\/sec/ {print $2}' "$V/wrk-$1.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$V/wrk-$1.txt")
	errs=$(grep -E 'Socket errors|Non-2xx' "$V/wrk-$1.txt" | tr '\n' ' ')
	printf '%-22s %12s %10s  %s\n' "$1" "$rps" "$p99" "$errs"
	eval "rps_$1=$rps"
}

echo "wrk -t2 -c$CONNS -d${DURATION}s through nginx; pages of $bytes bytes; $(nproc) cores"
printf '%-22s %12s %10s\n' target requests/s p99
run static /bench/static.html
run bare /bench/bare
run home /
run health /admin/health
# shellcheck disable=SC2154
awk -v s="$rps_static" -v b="$rps_bare" -v h="$rps_home" -v he="$rps_health" 'BEGIN {
	printf "bare fcgi2 / nginx static: %.2fx\n", b / s
	printf "home page / bare fcgi2:    %.2fx  (goal: at least 0.85x)\n", h / b
	printf "health / bare fcgi2:       %.2fx  (one query per request)\n", he / b
}'
