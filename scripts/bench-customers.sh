#!/bin/sh
# make bench, part two: the customers screens at a million contacts. The
# contact page (the customer 360: record, timeline, history) and the
# contact list, each against a bare fcgi2 program that runs the same SQL
# (captured from MariaDB's general log for one request of our page) and
# prints as many bytes; then the search box's latency over varied terms.
# The database is the benches' shared one in var/bench-1m
# (scripts/bench-db.sh).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-1m
PORT=${CRM_BENCH_PORT2:-18091}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-3}

. "$TOP/scripts/bench-lib.sh"
. "$TOP/scripts/bench-db.sh"
bench_stack customers

bench_db

# A signed-in sales manager sees everything (scope all would skip the
# scope test; read-only has scope all and is what a dashboard user has).
PW='a million contacts 1'
echo "$PW" | $CTL user add --email bench1m@example.com --name Bench --role read-only \
	--password-stdin >/dev/null 2>&1 || true
bench_signin bench1m@example.com "$PW"

CONTACT=$($SQL -e "SELECT MAX(contact_id) FROM activities")
CONTACT_URL=/customers/contacts/$CONTACT
LIST_URL=/customers/contacts

contact_bytes=$(capture "$CONTACT_URL" "$V/contact.sql")
list_bytes=$(capture "$LIST_URL" "$V/list.sql")
echo "contact page: $contact_bytes bytes, $(wc -l < "$V/contact.sql") statements; list page: $list_bytes bytes, $(wc -l < "$V/list.sql") statements"

# The bare programs, one per page, behind the same nginx.
bench_bare contact "$V/contact.sql" "$contact_bytes" list "$V/list.sql" "$list_bytes"

RESULTS=$V/results.txt
: > "$RESULTS"
echo "wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds, through nginx, signed in"
printf '%5s %-12s %12s %10s\n' round target "req/s" p99
for r in $(seq "$ROUNDS"); do
	run contact "$CONTACT_URL" "$COOKIE"
	run bare-contact /bench/contact
	run list "$LIST_URL" "$COOKIE"
	run bare-list /bench/list
done

# The search box: wrk walks a list of terms, one per request. Typical
# terms are what people type: names (Chinese and Latin), whole e-mail
# addresses, phone numbers, company names, taken from the data. Broad
# terms match a large share of a synthetic million (every Chinese contact
# here has a 138 mobile and an example.cn address): Groonga finds every
# match before ranking, so these show the worst case.
$SQL -e "SELECT c.full_name, c.email, REPLACE(c.mobile_e164, '+', ''), SUBSTRING_INDEX(a.name, ' ', 1)
	FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE c.id % 40009 = 17 LIMIT 24" |
	tr '\t' '\n' | grep -av '^NULL$' | awk 'NF' > "$V/terms-typical.txt"
printf '%s\n' 陈 example.cn 138 london 上海 有限公司 > "$V/terms-broad.txt"
lua_for() { # terms file
	{
		echo 'local terms = {'
		sed 's/\\/\\\\/g; s/"/\\"/g; s/^/  "/; s/$/",/' "$1"
		echo '}'
		cat <<'LUA'
local function enc(s)
	return (s:gsub("([^%w%-%._~])", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local i = 0
request = function()
	i = i % #terms + 1
	return wrk.format("GET", "/customers/search?q=" .. enc(terms[i]))
end
LUA
	} > "$2"
}
lua_for "$V/terms-typical.txt" "$V/search-typical.lua"
lua_for "$V/terms-broad.txt" "$V/search-broad.lua"
# One connection: the time one user waits; eight: what the host keeps up.
wrk -t1 -c1 -d"${DURATION}s" --latency -s "$V/search-typical.lua" -H "$COOKIE" "$BASE/" > "$V/wrk-search-1.txt" 2>&1
wrk -t2 -c8 -d"${DURATION}s" --latency -s "$V/search-typical.lua" -H "$COOKIE" "$BASE/" > "$V/wrk-search.txt" 2>&1
wrk -t2 -c8 -d"${DURATION}s" --latency -s "$V/search-broad.lua" -H "$COOKIE" "$BASE/" > "$V/wrk-search-broad.txt" 2>&1
printf 'median req/s: contact page %s (bare, same SQL %s); contact list %s (bare %s)\n' \
	"$(rps contact)" "$(rps bare-contact)" "$(rps list)" "$(rps bare-list)"
printf 'contact page / bare fcgi2 with its SQL: %.2fx  (goal: at least 0.85x)\n' "$(ratio contact bare-contact)"
printf 'contact list / bare fcgi2 with its SQL: %.2fx  (goal: at least 0.85x)\n' "$(ratio list bare-list)"
printf 'search, %s typical terms, one at a time: latency p50 %s, p99 %s (goal: well under 50 ms)\n' \
	"$(wc -l < "$V/terms-typical.txt")" \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-search-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-search-1.txt")"
printf 'search, %s typical terms, 8 connections: %s req/s, latency p50 %s, p99 %s\n' \
	"$(wc -l < "$V/terms-typical.txt")" "$(awk '/^Requests\/sec/ {print $2}' "$V/wrk-search.txt")" \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-search.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-search.txt")"
printf 'search, broad terms (%s): p50 %s, p99 %s (the worst case)\n' "$(tr '\n' ' ' < "$V/terms-broad.txt")" \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-search-broad.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-search-broad.txt")"
grep -E 'Non-2xx|Socket errors' "$V/wrk-search.txt" "$V/wrk-search-broad.txt" || true
