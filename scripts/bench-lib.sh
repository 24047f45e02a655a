# What the page benches share (sourced by bench-customers.sh,
# bench-sales.sh and bench-service.sh): sign in, capture the SQL one
# request of a page runs, serve that SQL from a bare fcgi2 program behind
# the same nginx, run wrk, and take medians and ratios of the rounds.
# The caller sets TOP, V (the stack's directory), PORT, CONNS, DURATION
# and, before run, RESULTS and r (the round); bench_stack sets the rest.

# bench_stack NAME: a stack of its own in $V on $PORT, without demo data
# (each bench loads what it measures), stopped with the bare programs when
# the script ends; sets BASE, CTL and SQL.
bench_stack() {
	BASE=http://127.0.0.1:$PORT
	CTL="$TOP/cgi-bin/crmctl --config $V/crm.conf"
	SQL="mariadb --no-defaults -S $V/run/mysql.sock -u $(id -un) -N crm"
	sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true
	CRM_DEMO=no CRM_INNODB_BUFFER=${CRM_INNODB_BUFFER:-1G} sh scripts/stack.sh start "$V" "$PORT" \
		>"$TOP/build/bench-$1-stack.log" 2>&1 || { cat "$TOP/build/bench-$1-stack.log"; exit 1; }
	trap 'kill $(cat "$V/run/bare-sql.pid" 2>/dev/null) 2>/dev/null || true; sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true' EXIT
}

# plain_hash SECRET: whether the secret's SHA-256 (what the database keys
# sessions and tokens by, and what the general log shows as raw bytes)
# has no byte that would break a captured statement: a newline or return
# splits it across lines, a NUL ends it, a quote or backslash is escaped.
plain_hash() {
	python3 -c 'import hashlib, sys
sys.exit(1 if set(hashlib.sha256(sys.argv[1].encode()).digest()) & {0, 10, 13, 26, 39, 92} else 0)' "$1"
}

# bench_signin EMAIL PASSWORD: sets COOKIE for wrk and curl, with a
# session whose hash captures cleanly (plain_hash; a few tries at most).
bench_signin() {
	JAR=$V/cookies
	for _ in $(seq 30); do
		rm -f "$JAR"
		curl -s -c "$JAR" -b "$JAR" "$BASE/login" -o "$V/login.html"
		T=$(grep -o 'name="csrf_token" value="[^"]*"' "$V/login.html" | head -1 | sed 's/.*value="//;s/"$//')
		curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "csrf_token=$T" \
			--data-urlencode "email=$1" --data-urlencode "password=$2" "$BASE/login"
		SESSION=$(awk '$6 == "crm_session" {print $7}' "$JAR")
		[ -n "$SESSION" ] || { echo "bench: could not sign in" >&2; exit 1; }
		plain_hash "$SESSION" && break
	done
	COOKIE="Cookie: crm_session=$SESSION"
}

# capture URL FILE [HEADER]: the reads one request of the page runs (the
# session's idle refresh, at most once a minute, is left out) into FILE;
# prints the page's size. HEADER is the credential, $COOKIE unless given
# (an API token for the JSON twin). A page that does not answer 200 stops
# the bench.
capture() {
	# The log is on before the workers prepare anything: MariaDB writes an
	# Execute with its values only for statements prepared while logging.
	$SQL -e "SET GLOBAL log_output = 'FILE'; SET GLOBAL general_log_file = '$V/log/general.log'; SET GLOBAL general_log = 1"
	# The steady state: every worker has its statements prepared and the
	# role and settings it keeps (lib/crm_confcache.c) before the request
	# that is captured.
	for _ in 1 2 3 4 5 6 7 8; do curl -s -H "${3:-$COOKIE}" -o /dev/null "$BASE$1"; done
	n=$(wc -l < "$V/log/general.log" 2>/dev/null || echo 0)
	code=$(curl -s -H "${3:-$COOKIE}" -o "$V/page.html" -w '%{http_code}' "$BASE$1")
	$SQL -e "SET GLOBAL general_log = 0"
	[ "$code" = 200 ] || { echo "bench: $1 answered $code" >&2; exit 1; }
	# Only the connection that served the page: the job runners' passes
	# land in the same log. The request's first statement finds its
	# session or its API token.
	# A line is "<tabs> <thread> Execute<tab><statement>", or begins with
	# the time ("261130  7:16:49<tab>") when a new second starts; the
	# statement may hold tabs of its own (a bound hash's raw bytes).
	tail -n +"$((n + 1))" "$V/log/general.log" | LC_ALL=C awk '
		match($0, /^([0-9]+ +[0-9]+:[0-9]+:[0-9]+)?\t+ *[0-9]+ Execute\t/) {
			head = substr($0, 1, RLENGTH)
			sub(/^[^\t]*\t+ */, "", head)
			split(head, w, " ")
			sql = substr($0, RLENGTH + 1)
			if (thread == "" && sql ~ /^SELECT (s\.id AS session_id|t\.id AS token_id)/) thread = w[1]
			if (w[1] == thread) print sql
		}' |
		grep -av '^UPDATE\|^INSERT\|^DELETE\|^REPLACE' > "$2" || true
	[ -s "$2" ] || { echo "bench: no SQL captured for $1" >&2; exit 1; }
	wc -c < "$V/page.html"
}

# bench_bare NAME SQLFILE BYTES ...: a bare program per page, served at
# /bench/NAME by this stack's nginx (its copy of nginx.conf only).
bench_bare() {
	locations=
	: > "$V/run/bare-sql.pid"
	while [ $# -ge 3 ]; do
		rm -f "$V/run/bare-$1.sock"
		BARE_SQL=$2 BARE_BYTES=$3 BARE_DB_USER=$(id -un) BARE_DB_NAME=crm BARE_DB_SOCKET=$V/run/mysql.sock \
			spawn-fcgi -s "$V/run/bare-$1.sock" -M 0666 -F 2 -P "$V/run/bare-$1.pid" \
			-- "$TOP/build/bench/bare_sql" >/dev/null
		cat "$V/run/bare-$1.pid" >> "$V/run/bare-sql.pid"
		locations="$locations\n        location = /bench/$1 { fastcgi_pass unix:$V/run/bare-$1.sock; }"
		shift 3
	done
	sed -i "s|        server_name localhost;|        server_name localhost;$locations|" "$V/nginx.conf"
	(cd "$V" && nginx -p "$V/" -c "$V/nginx.conf" -s reload)
	sleep 0.5
}

# run NAME PATH [HEADER]: one wrk run, its line in RESULTS and on screen.
run() {
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

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# ratio A B: the median over rounds of A's req/s over B's.
ratio() {
	awk -v a="$1" -v b="$2" '$2 == a {x[$1] = $3} $2 == b {y[$1] = $3}
		END {for (r in x) if (y[r] > 0) print x[r] / y[r]}' "$RESULTS" | median
}
rps() { awk -v t="$1" '$2 == t {print $3}' "$RESULTS" | median; }
