#!/bin/sh
# make bench, part eight: the whole analytics run (crmctl analytics, every
# step) on 200,000 ordering customers and 2,000,000 orders, next to
# scikit-learn and pandas doing the same methods on the same data
# (scripts/bench-analytics.py reads it from the database with the steps'
# own queries, then times each method alone). The database is kept in
# var/bench-analytics: the first run loads it (BENCH_CUSTOMERS,
# BENCH_ANALYTICS_ORDERS) and says how long that took.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-analytics
PORT=${CRM_BENCH_PORT8:-18098}
CUSTOMERS=${BENCH_CUSTOMERS:-200000}
ORDERS=${BENCH_ANALYTICS_ORDERS:-2000000}
PY=${CRM_PYTHON:-/usr/bin/python3}
CHUNK=500000

. "$TOP/scripts/bench-lib.sh"
CRM_INNODB_BUFFER=${CRM_INNODB_BUFFER:-2G}
bench_stack analytics

have=$($SQL -e "SELECT COUNT(*) FROM accounts")
if [ "$have" -lt "$CUSTOMERS" ]; then
	echo "loading $((CUSTOMERS - have)) demo accounts with a contact each, leads, tickets and satisfaction answers..."
	t0=$(date +%s)
	$CTL demo --accounts "$((CUSTOMERS - have))" --contacts "$((CUSTOMERS - have))" --activities 0 \
		--leads 20000 --opportunities 2000 --quotes 200 --orders 2000 --tickets 40000 --campaigns 0 >/dev/null
	echo "loaded in $(( $(date +%s) - t0 )) s"
fi
have=$($SQL -e "SELECT COUNT(*) FROM orders")
if [ "$have" -lt "$ORDERS" ]; then
	echo "loading $((ORDERS - have)) orders with two lines each, in bulk..."
	t0=$(date +%s)
	done_rows=$have
	while [ "$done_rows" -lt "$ORDERS" ]; do
		n=$((ORDERS - done_rows))
		[ "$n" -gt "$CHUNK" ] && n=$CHUNK
		# Customers of different habits: a few order often and most
		# seldom (the customer is drawn as N u^2), each last ordered 0 to
		# 400 days ago; products are bought in pairs.
		$SQL <<EOF
SET @lo = (SELECT MIN(id) FROM accounts), @n = (SELECT COUNT(*) FROM accounts);
SET @base = (SELECT value FROM settings WHERE name = 'base_currency');
SET @seller = (SELECT MIN(u.id) FROM users u JOIN roles r ON r.id = u.role_id WHERE r.name = 'sales');
CREATE TEMPORARY TABLE products_k (k INT PRIMARY KEY, id BIGINT UNSIGNED)
  SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id FROM products;
SET @p = (SELECT COUNT(*) FROM products_k);
INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, status)
SELECT CONCAT('BA-', x.n), @lo + x.c, @base, UTC_DATE() - INTERVAL ((x.c * 37) % 400 + x.n % (1 + x.c % 700)) DAY,
  x.amount, 0, x.amount, x.amount, @seller, 'delivered'
FROM (SELECT $done_rows + seq AS n, FLOOR(@n * POW(MOD(($done_rows + seq) * 0.6180339887, 1), 2)) AS c,
  20 + ((($done_rows + seq) * 2654435761) % 1000) AS amount FROM seq_1_to_$n) x;
INSERT INTO order_lines (order_id, position, product_id, quantity, unit_price, net, tax, total)
SELECT o.id, l.seq, p.id, 1, o.total_base / 2, o.total_base / 2, 0, o.total_base / 2
FROM orders o JOIN seq_1_to_2 l
JOIN products_k p ON p.k = IF(l.seq = 1, o.id % @p, (o.id % @p) DIV 2 * 2 + 1 - (o.id % @p) % 2)
WHERE o.number LIKE 'BA-%' AND o.id > (SELECT IFNULL(MAX(order_id), 0) FROM order_lines);
EOF
		done_rows=$((done_rows + n))
		echo "  $done_rows orders ($(( $(date +%s) - t0 )) s)"
	done
	echo "loaded in $(( $(date +%s) - t0 )) s"
fi
echo "database: $($SQL -e "SELECT COUNT(DISTINCT account_id) FROM orders") ordering customers," \
	"$($SQL -e "SELECT COUNT(*) FROM orders") orders, $($SQL -e "SELECT COUNT(*) FROM order_lines") order lines," \
	"$($SQL -e "SELECT COUNT(*) FROM leads") leads, $($SQL -e "SELECT COUNT(*) FROM tickets") tickets"

echo "crmctl analytics, every step (reading, computing and storing):"
t0=$(date +%s.%N)
$CTL analytics | tee "$V/ours.txt" | sed 's/^/  /'
t1=$(date +%s.%N)
printf '  whole run: %.1f s\n' "$(echo "$t1 - $t0" | bc)"
echo "scikit-learn and pandas on the same data (reading through the mariadb client and computing, timed apart):"
"$PY" "$TOP/scripts/bench-analytics.py" "$V/run/mysql.sock" "$(id -un)" | sed 's/^/  /'
