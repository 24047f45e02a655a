# The one database the page benches share (sourced after bench_stack, with
# V=$TOP/var/bench-1m): a million contacts, ten million orders and half a
# million tickets, made by the demo generator and kept between runs. The
# first run loads it and says how long each part took; later runs only
# top up what is missing (BENCH_CONTACTS, BENCH_ORDERS, BENCH_TICKETS).
# A buffer pool that holds the working set of the big tables.
CRM_INNODB_BUFFER=${CRM_INNODB_BUFFER:-4G}
bench_db() {
	want_contacts=${BENCH_CONTACTS:-1000000}
	want_orders=${BENCH_ORDERS:-10000000}
	want_tickets=${BENCH_TICKETS:-500000}
	chunk=500000
	have=$($SQL -e "SELECT live FROM record_counts WHERE entity = 'contact'" 2>/dev/null || echo 0)
	have=${have:-0}
	if [ "$have" -lt "$want_contacts" ]; then
		echo "loading $((want_contacts - have)) demo contacts with their accounts, deals, quotes, tickets and campaigns..."
		t0=$(date +%s)
		$CTL demo --accounts $(((want_contacts - have) / 10)) --contacts "$((want_contacts - have))" --activities 2 \
			--leads 20000 --opportunities 50000 --quotes 5000 --orders 20000 --tickets 50000 --campaigns 8 >/dev/null
		echo "loaded in $(( $(date +%s) - t0 )) s (crmctl demo: one prepared INSERT per row, 500 rows a transaction)"
	fi
	have=$($SQL -e "SELECT COUNT(*) FROM orders")
	if [ "$have" -lt "$want_orders" ]; then
		echo "loading $((want_orders - have)) orders in bulk, $chunk a statement..."
		t0=$(date +%s)
		done_rows=$have
		while [ "$done_rows" -lt "$want_orders" ]; do
			n=$((want_orders - done_rows))
			[ "$n" -gt "$chunk" ] && n=$chunk
			# Accounts spread evenly, a seller each, dates over three
			# years, one order in twenty cancelled; the triggers that keep
			# the dashboards' totals fire for every row.
			$SQL <<SQL
SET @lo = (SELECT MIN(id) FROM accounts), @n = (SELECT COUNT(*) FROM accounts);
SET @base = (SELECT value FROM settings WHERE name = 'base_currency');
CREATE TEMPORARY TABLE sellers (k INT PRIMARY KEY, id BIGINT UNSIGNED)
  SELECT ROW_NUMBER() OVER (ORDER BY u.id) - 1 AS k, u.id FROM users u JOIN roles r ON r.id = u.role_id
  WHERE r.name IN ('sales', 'manager') AND u.active;
SET @s = (SELECT COUNT(*) FROM sellers);
CREATE TEMPORARY TABLE account_ids (k INT PRIMARY KEY, id BIGINT UNSIGNED)
  SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id FROM accounts;
INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, status)
SELECT CONCAT('BR-', $done_rows + q.seq), a.id, @base,
  UTC_DATE() - INTERVAL (($done_rows + q.seq) % 1095) DAY, 100 + ($done_rows + q.seq) % 900, 0,
  100 + ($done_rows + q.seq) % 900, 100 + ($done_rows + q.seq) % 900, s.id,
  IF(($done_rows + q.seq) % 20 = 0, 'cancelled', 'delivered')
FROM seq_1_to_$n q JOIN sellers s ON s.k = ($done_rows + q.seq) % @s
JOIN account_ids a ON a.k = (($done_rows + q.seq) * 7919) % @n;
SQL
			done_rows=$((done_rows + n))
			echo "  $done_rows orders ($(( $(date +%s) - t0 )) s)"
		done
		echo "loaded in $(( $(date +%s) - t0 )) s"
	fi
	have=$($SQL -e "SELECT COUNT(*) FROM tickets")
	if [ "$have" -lt "$want_tickets" ]; then
		echo "loading $((want_tickets - have)) demo tickets with their threads..."
		t0=$(date +%s)
		$CTL demo --accounts 0 --contacts 0 --activities 0 --leads 0 --opportunities 0 --quotes 0 \
			--orders 0 --tickets "$((want_tickets - have))" --campaigns 0 >/dev/null
		echo "loaded in $(( $(date +%s) - t0 )) s"
	fi
	echo "database: $($SQL -e "SELECT live FROM record_counts WHERE entity = 'contact'") contacts," \
		"$($SQL -e "SELECT live FROM record_counts WHERE entity = 'account'") accounts," \
		"$($SQL -e "SELECT COUNT(*) FROM orders") orders, $($SQL -e "SELECT COUNT(*) FROM tickets") tickets," \
		"$($SQL -e "SELECT COUNT(*) FROM opportunities") deals, $($SQL -e "SELECT COUNT(*) FROM quotes") quotes," \
		"$($SQL -e "SELECT COUNT(*) FROM activities") activities"
}
