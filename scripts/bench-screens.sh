#!/bin/sh
# make bench, the main screens: each module's busiest screen and its JSON
# twin at a million contacts, ten million orders and half a million
# tickets (scripts/bench-db.sh), through nginx with wrk, next to two
# references measured in the same rounds:
#   bare    a bare fcgi2 program (tests/bench/bare_sql.c) that runs the
#           same statements, prepared, and prints as many bytes;
#   static  nginx serving a file of the same size.
# For each: requests/s, p50, p99, and CPU microseconds per request of the
# program's processes and of MariaDB; then the ratios to the bare program
# (goal: req/s at least 0.85x, p99 at most 1.2x). Then each worker's
# resident memory after the run and the suite's footprint at rest.
# Writes the table to build/bench/screens.md as well.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-1m
PORT=${CRM_BENCH_PORT9:-18099}
DURATION=${BENCH_DURATION:-5}
CONNS=${BENCH_CONNECTIONS:-64}
ROUNDS=${BENCH_ROUNDS:-6}
OUTMD=$TOP/build/bench/screens.md

. "$TOP/scripts/bench-lib.sh"
. "$TOP/scripts/bench-db.sh"
bench_stack screens
bench_db | tee "$V/db-line.txt"
DB_LINE=$(grep '^database:' "$V/db-line.txt" | sed 's/^database: //')
WORKERS_NOTE="$(awk -F' *= *' '$1 == "workers" {print $2}' "$V/crm.conf") workers a module, the bare programs 2 processes each"

# The footprint at rest, before any request: proportional set size, so
# pages shared between a master and its workers count once.
pss() { # pids...
	for p in "$@"; do awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null; done |
		awk '{s += $1} END {printf "%.1f", s / 1024}'
}
ours_at_rest=$(pss $(pgrep -f "$TOP/cgi-bin/crm-" | tr '\n' ' '))
nginx_at_rest=$(pss $(pgrep -f "nginx.*-p $V/" | tr '\n' ' '))
db_at_rest=$(pss "$(cat "$V/run/mysql.pid")")

# Users: a read-only user sees every record (the largest lists); a support
# agent who took over the demo's busiest agent's tickets has the largest
# queue there is. Each signs in through the form and makes an API token.
PW='the main screens 2026'
token_for() { # cookie-header
	for _ in $(seq 30); do
		curl -s -H "$1" "$BASE/account" -o "$V/account.html"
		curl -s -H "$1" -o "$V/token.html" --data-urlencode "csrf_token=$(grep -o 'name="csrf_token" value="[^"]*"' \
			"$V/account.html" | head -1 | sed 's/.*value="//;s/"$//')" -d name=bench -d days=30 "$BASE/account/tokens"
		t=$(grep -o 'id="new-token">[^<]*' "$V/token.html" | sed 's/.*>//')
		[ -n "$t" ] || { echo "bench: no API token" >&2; exit 1; }
		# The database keys a token by the hash of what follows "crm_".
		plain_hash "${t#crm_}" && break
	done
	echo "Authorization: Bearer $t"
}
for u in screens-reader:read-only screens-agent:support; do
	echo "$PW" | $CTL user add --email "${u%%:*}@example.com" --name "Bench ${u%%:*}" --role "${u##*:}" \
		--password-stdin >/dev/null 2>&1 || true
done
ME=$($SQL -e "SELECT id FROM users WHERE email = 'screens-agent@example.com'")
AGENT=$($SQL -e "SELECT owner_id FROM tickets WHERE owner_id IS NOT NULL AND owner_id <> $ME
	GROUP BY owner_id ORDER BY COUNT(*) DESC LIMIT 1")
if [ -n "$AGENT" ]; then
	$SQL -e "UPDATE users SET team_id = (SELECT team_id FROM users WHERE id = $AGENT) WHERE id = $ME;
		UPDATE tickets SET owner_id = $ME WHERE owner_id = $AGENT"
fi
bench_signin screens-agent@example.com "$PW"
AGENT_COOKIE=$COOKIE
AGENT_TOKEN=$(token_for "$AGENT_COOKIE")
bench_signin screens-reader@example.com "$PW"
READER_COOKIE=$COOKIE
READER_TOKEN=$(token_for "$READER_COOKIE")

# The records: the contact with the most activities, a quote with the
# most lines, the agent's ticket with the longest thread, a search term
# that names one company's people.
CONTACT=$($SQL -e "SELECT contact_id FROM activities WHERE contact_id IS NOT NULL
	GROUP BY contact_id ORDER BY COUNT(*) DESC, contact_id LIMIT 1")
QUOTE=$($SQL -e "SELECT quote_id FROM quote_lines GROUP BY quote_id ORDER BY COUNT(*) DESC, quote_id LIMIT 1")
TICKET=$($SQL -e "SELECT m.ticket_id FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
	WHERE t.owner_id = $ME GROUP BY m.ticket_id ORDER BY COUNT(*) DESC, m.ticket_id LIMIT 1")
TERM=$($SQL -e "SELECT last_name FROM contacts WHERE id = $CONTACT")
TERM_Q=$(printf '%s' "$TERM" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')

# name  path  who (reader|agent)
cat > "$V/screens.txt" <<EOF
contact /customers/contacts/$CONTACT reader
search /customers/contacts?q=$TERM_Q reader
kanban /sales reader
quote /sales/quotes/$QUOTE reader
queue /service agent
ticket /service/tickets/$TICKET agent
dashboard /reports/dashboards/sales reader
EOF
echo "records: contact $CONTACT, search \"$TERM\", quote $QUOTE, ticket $TICKET"
# BENCH_SCREENS="kanban search": only those screens, for a quicker look at
# the ones being worked on.
if [ -n "${BENCH_SCREENS:-}" ]; then
	awk -v want=" $BENCH_SCREENS " 'index(want, " " $1 " ")' "$V/screens.txt" > "$V/screens.txt.new"
	mv "$V/screens.txt.new" "$V/screens.txt"
fi

# Capture each screen's statements and size, as a page and as JSON.
mkdir -p "$V/bench" "$(dirname "$OUTMD")"
bare_args=
while read -r name path who; do
	if [ "$who" = agent ]; then c=$AGENT_COOKIE t=$AGENT_TOKEN; else c=$READER_COOKIE t=$READER_TOKEN; fi
	b=$(capture "$path" "$V/$name.sql" "$c")
	bj=$(capture "/api/v1$path" "$V/$name-json.sql" "$t")
	echo "$name $b $(wc -l < "$V/$name.sql") $bj $(wc -l < "$V/$name-json.sql")" >> "$V/sizes.txt.new"
	head -c "$b" /dev/zero | tr '\0' 'x' > "$V/bench/static-$name.html"
	bare_args="$bare_args $name $V/$name.sql $b $name-json $V/$name-json.sql $bj"
done < "$V/screens.txt"
mv "$V/sizes.txt.new" "$V/sizes.txt"
# shellcheck disable=SC2086
bench_bare $bare_args
sed -i "s|        server_name localhost;|        server_name localhost;\n\
        location /bench/static- { root bench; rewrite ^/bench/(.*)\$ /\$1 break; }|" "$V/nginx.conf"
(cd "$V" && nginx -p "$V/" -c "$V/nginx.conf" -s reload)
sleep 0.5
while read -r name path who; do
	for u in "/bench/$name" "/bench/$name-json" "/bench/static-$name.html"; do
		code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$u")
		[ "$code" = 200 ] || { echo "bench: $u answers $code" >&2; exit 1; }
	done
done < "$V/screens.txt"

# CPU time (user + system, clock ticks) of the given processes.
ticks() {
	for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done |
		awk '{s += $1} END {print s + 0}'
}
HZ=$(getconf CLK_TCK)
DB_PID=$(cat "$V/run/mysql.pid")
module_pids() { # module
	m=$(cat "$V/run/crm-$1.pid")
	echo "$m $(pgrep -P "$m" | tr '\n' ' ')"
}
bare_pids() { # name
	cat "$V/run/bare-$1.pid" | tr '\n' ' '
	for p in $(cat "$V/run/bare-$1.pid"); do pgrep -P "$p" | tr '\n' ' '; done
}
module_of() { # path
	m=${1#/api/v1}
	m=${m#/}
	m=${m%%/*}
	m=${m%%\?*}
	echo "$m"
}

RESULTS=$V/screens-results.txt
: > "$RESULTS"
# measure NAME PATH PIDS [HEADER]: one wrk run; its line in RESULTS is
# round name req/s p50 p99 app-us db-us errors requests module.
measure() {
	a0=$(ticks $3)
	d0=$(ticks "$DB_PID")
	if [ -n "${4:-}" ]; then
		wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$4" "$BASE$2" > "$V/wrk-$1.txt" 2>&1
	else
		wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$BASE$2" > "$V/wrk-$1.txt" 2>&1
	fi
	a1=$(ticks $3)
	d1=$(ticks "$DB_PID")
	awk -v round="$r" -v name="$1" -v mod="$(module_of "$2")" -v a="$((a1 - a0))" -v d="$((d1 - d0))" -v hz="$HZ" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/requests in/ { n = $1 }
		/^Requests\/sec/ { rps = $2 }
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		/Socket errors|Non-2xx/ { err = 1 }
		END { printf "%s %s %s %.2f %.2f %.0f %.0f %s %d %s\n", round, name, rps, p50, p99,
			n ? a * 1e6 / hz / n : 0, n ? d * 1e6 / hz / n : 0, err ? "errors" : "-", n, mod }' \
		"$V/wrk-$1.txt" >> "$RESULTS"
	tail -1 "$RESULTS" | awk '{printf "%5s %-18s %10s %8s %8s %8s %8s %s\n", $1, $2, $3, $4, $5, $6, $7, $8}'
}

worker_rss() { # -> "module pid rss" lines
	for pidf in "$V"/run/crm-*.pid; do
		m=$(basename "$pidf" .pid)
		case $m in *-jobs) continue ;; esac
		for p in $(pgrep -P "$(cat "$pidf")"); do
			echo "$m $p $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status")"
		done
	done
}
# A warm-up pass, not recorded: the buffer pool holds what the screens
# read, and every worker has prepared its statements.
while read -r name path who; do
	if [ "$who" = agent ]; then c=$AGENT_COOKIE t=$AGENT_TOKEN; else c=$READER_COOKIE t=$READER_TOKEN; fi
	wrk -t2 -c"$CONNS" -d3s -H "$c" "$BASE$path" >/dev/null 2>&1
	wrk -t2 -c"$CONNS" -d3s -H "$t" "$BASE/api/v1$path" >/dev/null 2>&1
	wrk -t2 -c"$CONNS" -d3s "$BASE/bench/$name" >/dev/null 2>&1
	wrk -t2 -c"$CONNS" -d3s "$BASE/bench/$name-json" >/dev/null 2>&1
done < "$V/screens.txt"
worker_rss > "$V/rss-before.txt"

echo "wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds, through nginx"
printf '%5s %-18s %10s %8s %8s %8s %8s\n' round target "req/s" "p50 ms" "p99 ms" "app us" "db us"
for r in $(seq "$ROUNDS"); do
	while read -r name path who; do
		if [ "$who" = agent ]; then c=$AGENT_COOKIE t=$AGENT_TOKEN; else c=$READER_COOKIE t=$READER_TOKEN; fi
		mp=$(module_pids "$(module_of "$path")")
		# Each screen and its bare twin run back to back, and which goes
		# first alternates: ours, bare, bare, ours in odd rounds, the
		# other way round in even ones. On a shared machine the load
		# drifts from one run to the next, and this way neither side
		# always meets the later load.
		if [ $((r % 2)) -eq 1 ]; then
			measure "$name" "$path" "$mp" "$c"
			measure "$name-bare" "/bench/$name" "$(bare_pids "$name")"
			measure "$name-json-bare" "/bench/$name-json" "$(bare_pids "$name-json")"
			measure "$name-json" "/api/v1$path" "$mp" "$t"
		else
			measure "$name-bare" "/bench/$name" "$(bare_pids "$name")"
			measure "$name" "$path" "$mp" "$c"
			measure "$name-json" "/api/v1$path" "$mp" "$t"
			measure "$name-json-bare" "/bench/$name-json" "$(bare_pids "$name-json")"
		fi
		measure "$name-static" "/bench/static-$name.html" "$(pgrep -P "$(cat "$V/run/nginx.pid")" | tr '\n' ' ')"
	done < "$V/screens.txt"
done

# Medians over rounds of one column (3 req/s, 4 p50, 5 p99, 6 app, 7 db).
med() { # name column
	awk -v t="$1" -v c="$2" '$2 == t {print $c}' "$RESULTS" | median
}
ratio_of() { # a b column
	awk -v a="$1" -v b="$2" -v c="$3" '$2 == a {x[$1] = $c} $2 == b {y[$1] = $c}
		END {for (r in x) if (y[r] > 0) print x[r] / y[r]}' "$RESULTS" | median
}
# The lowest and the highest of the rounds' ratios: on a shared machine a
# round's figures move with the neighbours' load, and this shows by how
# much, next to the median.
spread_of() { # a b column
	awk -v a="$1" -v b="$2" -v c="$3" '$2 == a {x[$1] = $c} $2 == b {y[$1] = $c}
		END {for (r in x) if (y[r] > 0) print x[r] / y[r]}' "$RESULTS" |
		sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f–%.2f", lo, hi}'
}
{
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))," \
		"$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(mariadbd --version 2>/dev/null | awk '{print $3}')," \
		"$(nginx -v 2>&1 | sed 's/.*: //'), $WORKERS_NOTE;"
	echo "$DB_LINE."
	echo "\`BENCH_DURATION=$DURATION BENCH_ROUNDS=$ROUNDS sh scripts/bench-screens.sh\`: wrk -t2 -c$CONNS -d${DURATION}s through nginx, medians of $ROUNDS rounds."
	echo
	echo "| screen | bytes | stmts | req/s | p50 ms | p99 ms | app µs/req | db µs/req | bare req/s | bare p99 ms | bare db µs/req | static req/s | x bare req/s | rounds' x bare req/s | x bare p99 |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	while read -r name b s bj sj; do
		for kind in page json; do
			if [ $kind = page ]; then t=$name tb=$b ts=$s label=$name; else t=$name-json tb=$bj ts=$sj label="$name (JSON)"; fi
			printf '| %s | %s | %s | %.0f | %.2f | %.2f | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %s | %.2f |\n' \
				"$label" "$tb" "$ts" "$(med "$t" 3)" "$(med "$t" 4)" "$(med "$t" 5)" "$(med "$t" 6)" "$(med "$t" 7)" \
				"$(med "$t-bare" 3)" "$(med "$t-bare" 5)" "$(med "$t-bare" 7)" "$(med "$name-static" 3)" \
				"$(ratio_of "$t" "$t-bare" 3)" "$(spread_of "$t" "$t-bare" 3)" "$(ratio_of "$t" "$t-bare" 5)"
		done
	done < "$V/sizes.txt"
} > "$OUTMD"
echo
cat "$OUTMD"
echo "goal: x bare req/s at least 0.85, x bare p99 at most 1.2 (medians of $ROUNDS rounds)"
if awk '$8 == "errors" {e = 1} END {exit !e}' "$RESULTS"; then
	echo "runs with socket errors or non-2xx answers:"
	awk '$8 == "errors"' "$RESULTS"
fi

# Memory under a long run: each module's lightest screen until it has
# served 100,000 requests more (BENCH_SOAK requests; at most
# BENCH_SOAK_MAX seconds each), with its workers' resident size before and
# after. A worker that grows here leaks: valgrind and the sanitizer build
# say where.
SOAK=${BENCH_SOAK:-100000}
SOAK_MAX=${BENCH_SOAK_MAX:-300}
echo
echo "memory: $SOAK requests per module (at most ${SOAK_MAX}s), workers' resident KiB before -> after:"
for name in contact quote ticket dashboard; do
	line=$(awk -v n="$name" '$1 == n' "$V/screens.txt")
	[ -n "$line" ] || continue
	set -- $line
	path=$2
	if [ "$3" = agent ]; then c=$AGENT_COOKIE; else c=$READER_COOKIE; fi
	m=$(module_of "$path")
	rps_now=$(med "$name" 3)
	secs=$(awk -v n="$SOAK" -v r="$rps_now" -v m="$SOAK_MAX" 'BEGIN {s = r > 0 ? int(n / r) + 2 : m; print (s > m ? m : s)}')
	before=$(for p in $(pgrep -P "$(cat "$V/run/crm-$m.pid")"); do awk '/^VmRSS:/ {print $2}' "/proc/$p/status"; done | tr '\n' ' ')
	wrk -t2 -c"$CONNS" -d"${secs}s" -H "$c" "$BASE$path" > "$V/wrk-soak-$name.txt" 2>&1
	after=$(for p in $(pgrep -P "$(cat "$V/run/crm-$m.pid")"); do awk '/^VmRSS:/ {print $2}' "/proc/$p/status"; done | tr '\n' ' ')
	printf '  %-10s crm-%-10s %8s requests in %4ss: %s-> %s\n' "$name" "$m" \
		"$(awk '/requests in/ {print $1}' "$V/wrk-soak-$name.txt")" "$secs" "$before" "$after"
done

# Memory: each module's workers after every request above, and the whole
# suite at rest (measured before the first request).
echo
echo "resident memory of each worker after the warm-up and after the run (KiB), with the requests the run sent to the module:"
worker_rss > "$V/rss-after.txt"
awk 'NR == FNR {before[$2] = $3; next}
	{printf "  %-16s pid %-8s %6s -> %6s KiB\n", $1, $2, ($2 in before) ? before[$2] : "new", $3}' \
	"$V/rss-before.txt" "$V/rss-after.txt"
for m in $(awk '{print $1}' "$V/rss-after.txt" | sort -u); do
	printf '  %-16s %8s requests in the run\n' "$m" "$(awk -v m="${m#crm-}" '$10 == m {n += $9} END {print n + 0}' "$RESULTS")"
done
printf 'footprint at rest (PSS): our programs %s MiB, nginx %s MiB, MariaDB %s MiB (buffer pool %s)\n' \
	"$ours_at_rest" "$nginx_at_rest" "$db_at_rest" "$CRM_INNODB_BUFFER"
