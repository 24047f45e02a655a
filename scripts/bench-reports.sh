#!/bin/sh
# make bench, part seven: the dashboards at a million contacts and ten
# million orders. Each dashboard (sales, support, marketing, manager) is
# read by an admin, who sees every record (the worst case), first by one
# connection at a time (what one user waits: the goal is under 50 ms) and
# then by 32 at once; the statements one request runs are counted from
# MariaDB's general log. The database is kept in var/bench-reports: the
# first run loads it (BENCH_CONTACTS, default 1000000, through crmctl demo;
# BENCH_ORDERS, default 10000000, in bulk through SQL with the triggers
# that keep the dashboards' totals firing for every row) and says how long
# that took.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-reports
PORT=${CRM_BENCH_PORT7:-18097}
CONTACTS=${BENCH_CONTACTS:-1000000}
ORDERS=${BENCH_ORDERS:-10000000}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
CHUNK=500000

. "$TOP/scripts/bench-lib.sh"
CRM_INNODB_BUFFER=${CRM_INNODB_BUFFER:-4G}
bench_stack reports

have=$($SQL -e "SELECT live FROM record_counts WHERE entity = 'contact'" 2>/dev/null || echo 0)
have=${have:-0}
if [ "$have" -lt "$CONTACTS" ]; then
	echo "loading $((CONTACTS - have)) demo contacts with their accounts, deals, tickets and campaigns..."
	t0=$(date +%s)
	$CTL demo --accounts $(((CONTACTS - have) / 10)) --contacts "$((CONTACTS - have))" --activities 1 \
		--leads 20000 --opportunities 50000 --quotes 5000 --orders 20000 --tickets 50000 --campaigns 8 >/dev/null
	echo "loaded in $(( $(date +%s) - t0 )) s"
fi
have=$($SQL -e "SELECT COUNT(*) FROM orders")
if [ "$have" -lt "$ORDERS" ]; then
	echo "loading $((ORDERS - have)) orders in bulk, $CHUNK a statement..."
	t0=$(date +%s)
	done_rows=$have
	while [ "$done_rows" -lt "$ORDERS" ]; do
		n=$((ORDERS - done_rows))
		[ "$n" -gt "$CHUNK" ] && n=$CHUNK
		# Accounts spread evenly, a seller each, dates over three years,
		# one order in twenty cancelled.
		$SQL <<EOF
SET @lo = (SELECT MIN(id) FROM accounts), @n = (SELECT COUNT(*) FROM accounts);
SET @base = (SELECT value FROM settings WHERE name = 'base_currency');
CREATE TEMPORARY TABLE sellers (k INT PRIMARY KEY, id BIGINT UNSIGNED)
  SELECT ROW_NUMBER() OVER (ORDER BY u.id) - 1 AS k, u.id FROM users u JOIN roles r ON r.id = u.role_id
  WHERE r.name IN ('sales', 'manager') AND u.active;
SET @s = (SELECT COUNT(*) FROM sellers);
INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, status)
SELECT CONCAT('BR-', $done_rows + q.seq), @lo + ((($done_rows + q.seq) * 7919) % @n), @base,
  UTC_DATE() - INTERVAL (($done_rows + q.seq) % 1095) DAY, 100 + ($done_rows + q.seq) % 900, 0,
  100 + ($done_rows + q.seq) % 900, 100 + ($done_rows + q.seq) % 900, s.id,
  IF(($done_rows + q.seq) % 20 = 0, 'cancelled', 'delivered')
FROM seq_1_to_$n q JOIN sellers s ON s.k = ($done_rows + q.seq) % @s;
EOF
		done_rows=$((done_rows + n))
		echo "  $done_rows orders ($(( $(date +%s) - t0 )) s)"
	done
	echo "loaded in $(( $(date +%s) - t0 )) s"
fi
echo "database: $($SQL -e "SELECT live FROM record_counts WHERE entity = 'contact'") contacts," \
	"$($SQL -e "SELECT COUNT(*) FROM accounts") accounts, $($SQL -e "SELECT COUNT(*) FROM orders") orders," \
	"$($SQL -e "SELECT COUNT(*) FROM opportunities") deals, $($SQL -e "SELECT COUNT(*) FROM tickets") tickets," \
	"$($SQL -e "SELECT COUNT(*) FROM csat_responses") satisfaction answers;" \
	"kept totals: $($SQL -e "SELECT COUNT(*) FROM order_month_totals") order month rows," \
	"$($SQL -e "SELECT COUNT(*) FROM opportunity_totals") deal rows"

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
