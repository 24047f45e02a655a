#!/bin/sh
# make bench, part four: the sales screens at 100,000 opportunities. The
# kanban board (the default pipeline, every owner, this month and the
# next) and a quote's page, each against a bare fcgi2 program that runs
# the same SQL (captured from MariaDB's general log for one request of
# our page) and prints as many bytes; then the board filtered to one
# owner. The database is kept in var/bench-sales between runs: the first
# run loads it (BENCH_OPPORTUNITIES, default 100000) and says how long
# that took.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-sales
PORT=${CRM_BENCH_PORT3:-18092}
OPPS=${BENCH_OPPORTUNITIES:-100000}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-3}

. "$TOP/scripts/bench-lib.sh"
bench_stack sales

have=$($SQL -e "SELECT COUNT(*) FROM opportunities")
if [ "$have" -lt "$OPPS" ]; then
	echo "loading $((OPPS - have)) demo opportunities (with accounts, products, leads, quotes and orders)..."
	t0=$(date +%s)
	$CTL demo --accounts 20000 --contacts 40000 --activities 1 --leads 20000 \
		--opportunities "$((OPPS - have))" --quotes 20000 --orders 20000
	echo "loaded in $(( $(date +%s) - t0 )) s"
fi
echo "database: $($SQL -e "SELECT COUNT(*) FROM opportunities") opportunities" \
	"($($SQL -e "SELECT COUNT(*) FROM opportunities o JOIN pipeline_stages s ON s.id = o.stage_id WHERE s.kind = 'open'") open)," \
	"$($SQL -e "SELECT COUNT(*) FROM quotes") quotes, $($SQL -e "SELECT COUNT(*) FROM orders") orders," \
	"$($SQL -e "SELECT COUNT(*) FROM users") users"

# A read-only user sees every deal (scope all): the board's worst case.
PW='a hundred thousand deals 1'
echo "$PW" | $CTL user add --email benchsales@example.com --name Bench --role read-only \
	--password-stdin >/dev/null 2>&1 || true
bench_signin benchsales@example.com "$PW"

# The quote with the most lines; the owner with the most open deals.
QUOTE=$($SQL -e "SELECT quote_id FROM quote_lines GROUP BY quote_id ORDER BY COUNT(*) DESC, quote_id LIMIT 1")
OWNER=$($SQL -e "SELECT owner_id FROM opportunities GROUP BY owner_id ORDER BY COUNT(*) DESC LIMIT 1")
BOARD_URL=/sales
QUOTE_URL=/sales/quotes/$QUOTE
OWNER_URL="/sales?owner=$OWNER"

board_bytes=$(capture "$BOARD_URL" "$V/board.sql")
cards=$(grep -o 'id="deal-[0-9]*"' "$V/page.html" | wc -l)
quote_bytes=$(capture "$QUOTE_URL" "$V/quote.sql")
qlines=$($SQL -e "SELECT COUNT(*) FROM quote_lines WHERE quote_id = $QUOTE")
echo "board: $board_bytes bytes, $cards cards, $(wc -l < "$V/board.sql") statements;" \
	"quote page ($qlines lines): $quote_bytes bytes, $(wc -l < "$V/quote.sql") statements"

bench_bare board "$V/board.sql" "$board_bytes" quote "$V/quote.sql" "$quote_bytes"

RESULTS=$V/results.txt
: > "$RESULTS"
echo "wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds, through nginx, signed in"
printf '%5s %-12s %12s %10s\n' round target "req/s" p99
for r in $(seq "$ROUNDS"); do
	run board "$BOARD_URL" "$COOKIE"
	run bare-board /bench/board
	run quote "$QUOTE_URL" "$COOKIE"
	run bare-quote /bench/quote
	run board-owner "$OWNER_URL" "$COOKIE"
done
# One connection: the time one user waits for each.
r=1
wrk -t1 -c1 -d"${DURATION}s" --latency -H "$COOKIE" "$BASE$BOARD_URL" > "$V/wrk-board-1.txt" 2>&1
wrk -t1 -c1 -d"${DURATION}s" --latency -H "$COOKIE" "$BASE$QUOTE_URL" > "$V/wrk-quote-1.txt" 2>&1

printf 'median req/s: board %s (bare, same SQL %s); quote page %s (bare %s); board of one owner %s\n' \
	"$(rps board)" "$(rps bare-board)" "$(rps quote)" "$(rps bare-quote)" "$(rps board-owner)"
printf 'board / bare fcgi2 with its SQL: %.2fx  (goal: at least 0.85x)\n' "$(ratio board bare-board)"
printf 'quote page / bare fcgi2 with its SQL: %.2fx  (goal: at least 0.85x)\n' "$(ratio quote bare-quote)"
printf 'one user at a time: board p50 %s, p99 %s; quote page p50 %s, p99 %s\n' \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-board-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-board-1.txt")" \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-quote-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-quote-1.txt")"
