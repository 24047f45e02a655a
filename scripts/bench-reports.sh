#!/bin/sh
# make bench, part seven: the dashboards at a million contacts and ten
# million orders. Each dashboard (sales, support, marketing, manager) is
# read by an admin, who sees every record (the worst case), first by one
# connection at a time (what one user waits: the goal is under 50 ms) and
# then by 32 at once; the statements one request runs are counted from
# MariaDB's general log. The database is the benches' shared one in
# var/bench-1m (scripts/bench-db.sh).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-1m
PORT=${CRM_BENCH_PORT7:-18097}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}

. "$TOP/scripts/bench-lib.sh"
. "$TOP/scripts/bench-db.sh"
bench_stack reports

bench_db

PW='ten million orders 1'
echo "$PW" | $CTL user add --email benchreports@example.com --name Bench --role admin \
	--password-stdin >/dev/null 2>&1 || true
bench_signin benchreports@example.com "$PW"

RESULTS=$V/results.txt
: > "$RESULTS"
r=1
printf '%-22s %10s %10s %10s %10s %11s\n' dashboard statements "1 user p50" "1 user p99" "$CONNS conns" "$CONNS p99"
for d in sales support marketing manager; do
	capture "/reports/dashboards/$d" "$V/$d.sql" >/dev/null
	wrk -t1 -c1 -d"${DURATION}s" --latency -H "$COOKIE" "$BASE/reports/dashboards/$d" > "$V/wrk-$d-1.txt" 2>&1
	run "$d" "/reports/dashboards/$d" "$COOKIE" >/dev/null
	printf '%-22s %10s %10s %10s %10s %11s\n' "$d" "$(wc -l < "$V/$d.sql")" \
		"$(awk '$1 == "50%" {print $2}' "$V/wrk-$d-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-$d-1.txt")" \
		"$(rps "$d")" "$(awk -v t="$d" '$2 == t {print $4}' "$RESULTS")"
done
capture /reports/dashboards/manager/csv "$V/csv.sql" >/dev/null
wrk -t1 -c1 -d"${DURATION}s" --latency -H "$COOKIE" "$BASE/reports/dashboards/manager/csv" > "$V/wrk-csv-1.txt" 2>&1
printf '%-22s %10s %10s %10s\n' "manager as CSV" "$(wc -l < "$V/csv.sql")" \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-csv-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-csv-1.txt")"
echo "goal: every dashboard under 50 ms for one user (p99 column)"
