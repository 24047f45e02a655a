# Helpers for the fault tests, on top of the end-to-end ones (tests/e2e/lib.sh:
# ok, fail, fetch, csrf_of, signin, $SQL, $CTL). Each test runs against the
# private stack tests/fault/run.sh starts, and may stop or kill any part of
# it, as long as it leaves it whole again.
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
V=$CRM_E2E_DIR
MODULES="admin customers sales service marketing reports automation dav"
JOB_MODULES="customers service marketing reports automation"
# CRM_FAULT_FULL=1 (make fault): the issue's figures; otherwise the short
# form make check runs, with every fault still exercised.
FULL=${CRM_FAULT_FULL:-0}
MYSQLADMIN="mariadb-admin --no-defaults -S $V/run/mysql.sock -u $(id -un)"

now() { date +%s.%N; }
# seconds between two now() values, to the millisecond
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
master_of() { cat "$V/run/crm-$1.pid" 2>/dev/null; }
workers_of() { pgrep -P "$1" | sort; }
# wait_workers MASTER COUNT: until the master has COUNT workers (10 s).
wait_workers() {
	for _ in $(seq 100); do
		[ "$(workers_of "$1" | wc -l)" -eq "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
alive_pid() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# cookie_header JAR: the jar's cookies as one Cookie header value, for wrk.
cookie_header() { awk '!/^# / && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$1"; }

# wrk_errors FILE: socket errors plus non-2xx/3xx answers in wrk's report.
wrk_errors() {
	awk '/Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
	     /Non-2xx or 3xx/ { n += $NF } END { print n + 0 }' "$1"
}
wrk_requests() { awk '/requests in/ { print $1 }' "$1"; }

# A private job runner in place of the stack's: stop_runner M, start_runner M.
stop_runner() {
	pidf="$V/run/crm-$1-jobs.pid"
	[ -f "$pidf" ] || return 0
	kill -TERM "$(cat "$pidf")" 2>/dev/null
	for _ in $(seq 200); do [ -f "$pidf" ] || return 0; sleep 0.05; done
	kill -9 "$(cat "$pidf")" 2>/dev/null
	rm -f "$pidf"
}
start_runner() { # MODULE [args...]
	m=$1
	shift
	setsid "$TOP/cgi-bin/crm-$m" --config "$V/crm.conf" jobs --pidfile "$V/run/crm-$m-jobs.pid" "$@" \
		</dev/null >>"$V/log/crm-$m-jobs.log" 2>&1 &
	for _ in $(seq 100); do [ -f "$V/run/crm-$m-jobs.pid" ] && return 0; sleep 0.05; done
	fail "crm-$m jobs did not start"
}

# new_admin NAME: an administrator of this run, signed in; its jar is $TMP/NAME.
new_admin() {
	echo "$PW" | $CTL user add --email "$1-$RUN@example.com" --name "$1 $RUN" --role admin --password-stdin >/dev/null
	signin "$TMP/$1" "$1-$RUN@example.com"
}

# log_mark: remembers how long every module log is; new_log_lines: what the
# module logs gained since (a test judges only what happened in it).
log_mark() {
	for m in $MODULES; do echo "$m $(stat -c %s "$V/log/crm-$m.log" 2>/dev/null || echo 0)"; done > "$TMP/log.mark"
}
new_log_lines() {
	while read -r m size; do
		tail -c +$((size + 1)) "$V/log/crm-$m.log" 2>/dev/null
	done < "$TMP/log.mark"
}
