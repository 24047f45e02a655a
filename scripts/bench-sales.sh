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
BASE=http://127.0.0.1:$PORT
CTL="$TOP/cgi-bin/crmctl --config $V/crm.conf"

sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true
CRM_DEMO=no CRM_INNODB_BUFFER=${CRM_INNODB_BUFFER:-1G} sh scripts/stack.sh start "$V" "$PORT" \
	>"$TOP/build/bench-sales-stack.log" 2>&1 || { cat "$TOP/build/bench-sales-stack.log"; exit 1; }
trap 'kill $(cat "$V/run/bare-sql.pid" 2>/dev/null) 2>/dev/null || true; sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true' EXIT
SQL="mariadb --no-defaults -S $V/run/mysql.sock -u $(id -un) -N crm"

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
JAR=$V/cookies
rm -f "$JAR"
curl -s -c "$JAR" -b "$JAR" "$BASE/login" -o "$V/login.html"
T=$(grep -o 'name="csrf_token" value="[^"]*"' "$V/login.html" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "csrf_token=$T" \
	--data-urlencode "email=benchsales@example.com" --data-urlencode "password=$PW" "$BASE/login"
SESSION=$(awk '$6 == "crm_session" {print $7}' "$JAR")
[ -n "$SESSION" ] || { echo "bench: could not sign in" >&2; exit 1; }
COOKIE="Cookie: crm_session=$SESSION"

# The quote with the most lines; the owner with the most open deals.
QUOTE=$($SQL -e "SELECT quote_id FROM quote_lines GROUP BY quote_id ORDER BY COUNT(*) DESC, quote_id LIMIT 1")
OWNER=$($SQL -e "SELECT owner_id FROM opportunities GROUP BY owner_id ORDER BY COUNT(*) DESC LIMIT 1")
BOARD_URL=/sales
QUOTE_URL=/sales/quotes/$QUOTE
OWNER_URL="/sales?owner=$OWNER"

capture() { # url file
	$SQL -e "SET GLOBAL log_output = 'FILE'; SET GLOBAL general_log_file = '$V/log/general.log'; SET GLOBAL general_log = 1"
	n=$(wc -l < "$V/log/general.log" 2>/dev/null || echo 0)
	code=$(curl -s -H "$COOKIE" -o "$V/page.html" -w '%{http_code}' "$BASE$1")
	$SQL -e "SET GLOBAL general_log = 0"
	[ "$code" = 200 ] || { echo "bench: $1 answered $code" >&2; exit 1; }
	tail -n +"$((n + 1))" "$V/log/general.log" | awk -F'\t' '/ Execute\t/ {print $NF}' |
		grep -av '^UPDATE\|^INSERT\|^DELETE\|^REPLACE' > "$2" || true
	[ -s "$2" ] || { echo "bench: no SQL captured for $1" >&2; exit 1; }
	wc -c < "$V/page.html"
}
board_bytes=$(capture "$BOARD_URL" "$V/board.sql")
cards=$(grep -o 'id="deal-[0-9]*"' "$V/page.html" | wc -l)
quote_bytes=$(capture "$QUOTE_URL" "$V/quote.sql")
qlines=$($SQL -e "SELECT COUNT(*) FROM quote_lines WHERE quote_id = $QUOTE")
echo "board: $board_bytes bytes, $cards cards, $(wc -l < "$V/board.sql") statements;" \
	"quote page ($qlines lines): $quote_bytes bytes, $(wc -l < "$V/quote.sql") statements"

start_bare() { # name sqlfile bytes
	rm -f "$V/run/bare-$1.sock"
	BARE_SQL=$2 BARE_BYTES=$3 BARE_DB_USER=$(id -un) BARE_DB_NAME=crm BARE_DB_SOCKET=$V/run/mysql.sock \
		spawn-fcgi -s "$V/run/bare-$1.sock" -M 0666 -F 2 -P "$V/run/bare-$1.pid" \
		-- "$TOP/build/bench/bare_sql" >/dev/null
	cat "$V/run/bare-$1.pid" >> "$V/run/bare-sql.pid"
}
: > "$V/run/bare-sql.pid"
start_bare board "$V/board.sql" "$board_bytes"
start_bare quote "$V/quote.sql" "$quote_bytes"
sed -i "s|        server_name localhost;|        server_name localhost;\n\
        location = /bench/board { fastcgi_pass unix:$V/run/bare-board.sock; }\n\
        location = /bench/quote { fastcgi_pass unix:$V/run/bare-quote.sock; }|" "$V/nginx.conf"
(cd "$V" && nginx -p "$V/" -c "$V/nginx.conf" -s reload)
sleep 0.5

RESULTS=$V/results.txt
: > "$RESULTS"
run() { # name path [header]
	if [ -n "${3:-}" ]; then
		wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$3" "$BASE$2" > "$V/wrk-$1.txt" 2>&1
	else
		wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$BASE$2" > "$V/wrk-$1.txt" 2>&1
	fi
	rps=$(awk '/^Requests\/sec/ {print $2}' "$V/wrk-$1.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$V/wrk-$1.txt")
	if grep -qE 'Socket errors|Non-2xx' "$V/wrk-$1.txt"; then
		echo "errors in $1: $(grep -E 'Socket errors|Non-2xx' "$V/wrk-$1.txt" | tr '\n' ' ')"
	fi
	echo "$r $1 $rps $p99" >> "$RESULTS"
	printf '%5s %-12s %12s %10s\n' "$r" "$1" "$rps" "$p99"
}
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

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio() {
	awk -v a="$1" -v b="$2" '$2 == a {x[$1] = $3} $2 == b {y[$1] = $3}
		END {for (r in x) if (y[r] > 0) print x[r] / y[r]}' "$RESULTS" | median
}
rps() { awk -v t="$1" '$2 == t {print $3}' "$RESULTS" | median; }
echo
printf 'median req/s: board %s (bare, same SQL %s); quote page %s (bare %s); board of one owner %s\n' \
	"$(rps board)" "$(rps bare-board)" "$(rps quote)" "$(rps bare-quote)" "$(rps board-owner)"
printf 'board / bare fcgi2 with its SQL: %.2fx  (goal: at least 0.85x)\n' "$(ratio board bare-board)"
printf 'quote page / bare fcgi2 with its SQL: %.2fx  (goal: at least 0.85x)\n' "$(ratio quote bare-quote)"
printf 'one user at a time: board p50 %s, p99 %s; quote page p50 %s, p99 %s\n' \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-board-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-board-1.txt")" \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-quote-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-quote-1.txt")"
