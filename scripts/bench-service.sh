#!/bin/sh
# make bench, part five: the service screens at 500,000 tickets. An
# agent's queue page and a ticket's page (the one with the longest
# thread), each against a bare fcgi2 program that runs the same SQL
# (captured from MariaDB's general log for one request of our page) and
# prints as many bytes. The database is kept in var/bench-service between
# runs: the first run loads it (BENCH_TICKETS, default 500000) and says
# how long that took.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-service
PORT=${CRM_BENCH_PORT4:-18093}
TICKETS=${BENCH_TICKETS:-500000}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-3}

. "$TOP/scripts/bench-lib.sh"
bench_stack service

have=$($SQL -e "SELECT COUNT(*) FROM tickets")
if [ "$have" -lt "$TICKETS" ]; then
	echo "loading $((TICKETS - have)) demo tickets (with their threads, over 20,000 accounts)..."
	t0=$(date +%s)
	$CTL demo --accounts 20000 --contacts 40000 --activities 1 --leads 0 --opportunities 0 \
		--quotes 0 --orders 0 --tickets "$((TICKETS - have))"
	echo "loaded in $(( $(date +%s) - t0 )) s"
fi
echo "database: $($SQL -e "SELECT COUNT(*) FROM tickets") tickets" \
	"($($SQL -e "SELECT COUNT(*) FROM tickets WHERE status IN ('new', 'open', 'pending')") not finished)," \
	"$($SQL -e "SELECT COUNT(*) FROM ticket_messages") messages, $($SQL -e "SELECT COUNT(*) FROM users") users"

# A bench agent takes over the demo's busiest agent's tickets and team:
# their queue is the largest there is.
PW='half a million tickets 1'
echo "$PW" | $CTL user add --email benchservice@example.com --name Bench --role support \
	--password-stdin >/dev/null 2>&1 || true
ME=$($SQL -e "SELECT id FROM users WHERE email = 'benchservice@example.com'")
AGENT=$($SQL -e "SELECT owner_id FROM tickets WHERE owner_id IS NOT NULL AND owner_id <> $ME
	GROUP BY owner_id ORDER BY COUNT(*) DESC LIMIT 1")
if [ -n "$AGENT" ]; then
	$SQL -e "UPDATE users SET team_id = (SELECT team_id FROM users WHERE id = $AGENT) WHERE id = $ME;
		UPDATE tickets SET owner_id = $ME WHERE owner_id = $AGENT"
fi
EMAIL=benchservice@example.com
bench_signin "$EMAIL" "$PW"

# The agent's ticket with the longest thread.
TICKET=$($SQL -e "SELECT m.ticket_id FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
	WHERE t.owner_id = $ME GROUP BY m.ticket_id ORDER BY COUNT(*) DESC, m.ticket_id LIMIT 1")
QUEUE_URL=/service
TICKET_URL=/service/tickets/$TICKET
UNASSIGNED_URL="/service?queue=unassigned"

board_bytes=$(capture "$QUEUE_URL" "$V/board.sql")
quote_bytes=$(capture "$TICKET_URL" "$V/quote.sql")
qlines=$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $TICKET")
echo "queue page: $board_bytes bytes, $(wc -l < "$V/board.sql") statements;" \
	"ticket page ($qlines messages): $quote_bytes bytes, $(wc -l < "$V/quote.sql") statements"

bench_bare board "$V/board.sql" "$board_bytes" quote "$V/quote.sql" "$quote_bytes"

RESULTS=$V/results.txt
: > "$RESULTS"
echo "wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds, through nginx, signed in"
printf '%5s %-12s %12s %10s\n' round target "req/s" p99
for r in $(seq "$ROUNDS"); do
	run queue "$QUEUE_URL" "$COOKIE"
	run bare-queue /bench/board
	run ticket "$TICKET_URL" "$COOKIE"
	run bare-ticket /bench/quote
	run unassigned "$UNASSIGNED_URL" "$COOKIE"
done
# One connection: the time one user waits for each.
r=1
wrk -t1 -c1 -d"${DURATION}s" --latency -H "$COOKIE" "$BASE$QUEUE_URL" > "$V/wrk-board-1.txt" 2>&1
wrk -t1 -c1 -d"${DURATION}s" --latency -H "$COOKIE" "$BASE$TICKET_URL" > "$V/wrk-quote-1.txt" 2>&1

printf 'median req/s: queue %s (bare, same SQL %s); ticket page %s (bare %s); unassigned queue %s\n' \
	"$(rps queue)" "$(rps bare-queue)" "$(rps ticket)" "$(rps bare-ticket)" "$(rps unassigned)"
printf 'queue / bare fcgi2 with its SQL: %.2fx  (goal: at least 0.85x)\n' "$(ratio queue bare-queue)"
printf 'ticket page / bare fcgi2 with its SQL: %.2fx  (goal: at least 0.85x)\n' "$(ratio ticket bare-ticket)"
printf 'one user at a time: queue p50 %s, p99 %s; ticket page p50 %s, p99 %s\n' \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-board-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-board-1.txt")" \
	"$(awk '$1 == "50%" {print $2}' "$V/wrk-quote-1.txt")" "$(awk '$1 == "99%" {print $2}' "$V/wrk-quote-1.txt")"
