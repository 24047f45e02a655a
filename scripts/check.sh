#!/bin/sh
# make check: every suite in turn, each line "ok - name" or "FAIL - name",
# then one summary line. Exits non-zero on any failure or a suite that ran
# nothing.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
OUT=$TOP/build/check
mkdir -p "$OUT"
LOG=$OUT/results.txt
: > "$LOG"
: > "$OUT/times.txt"
# Unit tests run from the sanitizer build; --valgrind runs the plain build
# under valgrind instead (the two cannot be combined).
VALGRIND=""
UNIT_DIR=build/asan/tests UNIT_KIND="ASan + UBSan"
if [ "${1:-}" = "--valgrind" ]; then
	VALGRIND="valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
	UNIT_DIR=build/plain/tests UNIT_KIND="plain, under valgrind"
	# Every module worker of the test stack runs under valgrind too.
	export CRM_WORKER_WRAPPER="valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --log-file=$OUT/valgrind-worker-%p.log"
	rm -f "$OUT"/valgrind-worker-*.log
fi
FUZZ_SMOKE=${FUZZ_SMOKE:-5}

say() { echo "$*" | tee -a "$LOG"; }
# Each suite's time, and each end-to-end script's in $OUT/times.txt, to
# see what keeps make check from being short.
suite() {
	now=$(date +%s)
	[ -n "${SUITE_T0:-}" ] && echo "# $SUITE_NAME took $((now - SUITE_T0)) s" | tee -a "$OUT/times.txt"
	SUITE_T0=$now SUITE_NAME=$*
	echo "== $*"
}

# A suite that printed no result at all is a failure too.
count_since() { tail -n +"$(( $1 + 1 ))" "$LOG" | grep -cE '^(ok|FAIL) - '; }

suite "static checks"
mark=$(wc -l < "$LOG")
sh scripts/codecheck.sh | tee -a "$LOG"
sh scripts/i18n-check.sh | tee -a "$LOG"
[ "$(count_since "$mark")" -gt 0 ] || say "FAIL - codecheck ran nothing"

suite "a private stack on its own ports: MariaDB, modules, nginx"
E2E=$TOP/var/check
sh scripts/stack.sh stop "$E2E" >/dev/null 2>&1
rm -rf "$E2E"
export CRM_E2E_PORT=${CRM_E2E_PORT:-18080} CRM_E2E_DIR=$E2E CRM_TEST_CONF=$E2E/crm.conf CRM_DEMO=no
# A private directory server for LDAP sign-in (scripts/ldap.sh).
LDAP_DIR=$TOP/var/check-ldap
sh scripts/ldap.sh stop "$LDAP_DIR" >/dev/null 2>&1
rm -rf "$LDAP_DIR"
export CRM_LDAP_URI=ldap://127.0.0.1:${CRM_LDAP_PORT:-13890} CRM_TEST_LDAP_URI=ldap://127.0.0.1:${CRM_LDAP_PORT:-13890}
export CRM_LDAP_ROLE_MAP="cn=admins,ou=groups,dc=example,dc=com=admin;cn=sales,ou=groups,dc=example,dc=com=sales"
if sh scripts/ldap.sh start "$LDAP_DIR" "${CRM_LDAP_PORT:-13890}" >"$OUT/ldap.log" 2>&1; then
	say "ok - the directory server starts"
else
	say "FAIL - the directory server starts (see $OUT/ldap.log)"
fi
stack_up=0
if sh scripts/stack.sh start "$E2E" "$CRM_E2E_PORT" >"$OUT/stack.log" 2>&1; then
	say "ok - the stack starts"
	stack_up=1
else
	say "FAIL - the stack starts (see $OUT/stack.log)"
	cat "$OUT/stack.log"
fi

suite "unit tests ($UNIT_KIND build)"
mark=$(wc -l < "$LOG")
for t in $UNIT_DIR/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	CMOCKA_MESSAGE_OUTPUT=TAP $VALGRIND "$t" >"$OUT/$name.tap" 2>"$OUT/$name.err"
	rc=$?
	sed -n -e "s/^ok [0-9]* - \(.*\)/ok - $name: \1/p" \
		-e "s/^not ok [0-9]* - \(.*\)/FAIL - $name: \1/p" "$OUT/$name.tap" | tee -a "$LOG"
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$OUT/$name.tap" | awk '{s+=$1} END {print s+0}')
	seen=$(grep -cE '^(not )?ok [0-9]' "$OUT/$name.tap")
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$OUT/$name.tap"; then
		say "FAIL - $name exited with $rc (see $OUT/$name.err)"
	elif [ "$plan" -ne "$seen" ]; then
		say "FAIL - $name planned $plan tests, ran $seen"
	fi
done
[ "$(count_since "$mark")" -gt 0 ] || say "FAIL - no unit tests ran"

suite "analytics against scikit-learn and pandas"
mark=$(wc -l < "$LOG")
sh tests/analytics/run.sh "$OUT/analytics" 2>"$OUT/analytics.err" | tee -a "$LOG"
[ "$(count_since "$mark")" -gt 0 ] || say "FAIL - the analytics reference check ran nothing (see $OUT/analytics.err)"

suite "end to end through nginx"
mark=$(wc -l < "$LOG")
if [ $stack_up -eq 1 ]; then
	for t in tests/e2e/*.sh; do
		t0=$(date +%s)
		bash "$t" 2>>"$OUT/e2e.err" | tee -a "$LOG"
		echo "# $t took $(( $(date +%s) - t0 )) s" >> "$OUT/times.txt"
	done
	if [ -d tests/e2e/node_modules/playwright-core ]; then
		node tests/e2e/browser.mjs 2>>"$OUT/e2e.err" | tee -a "$LOG"
	else
		say "FAIL - playwright-core is not installed (scripts/deps.sh)"
	fi
fi
[ "$(count_since "$mark")" -gt 0 ] || say "FAIL - no end-to-end tests ran"

# Hostile input against the same stack, before it stops: oversized and
# malformed requests, sqlmap's short form (make security: the full one),
# and the XSS crawl with one payload per field (make security-xss: all of
# them). The crawl runs after the other tests, whose pages it would
# otherwise fill with payload records. (A payload stage name once widened
# the board's cards until a drag began on the move list; the CSS keeps a
# card inside its column now, and browser.mjs checks that.)
suite "security"
mark=$(wc -l < "$LOG")
if [ $stack_up -eq 1 ]; then
	bash tests/security/xss.sh 2>>"$OUT/security.err" | tee -a "$LOG"
	bash tests/security/malformed.sh 2>>"$OUT/security.err" | tee -a "$LOG"
	SQLMAP_OUT=$OUT/sqlmap bash tests/security/sqlmap.sh 2>>"$OUT/security.err" | tee -a "$LOG"
fi
[ "$(count_since "$mark")" -gt 0 ] || say "FAIL - no security tests ran"
sh scripts/stack.sh stop "$E2E" >/dev/null 2>&1
sh scripts/ldap.sh stop "$LDAP_DIR" >/dev/null 2>&1
if [ -n "$VALGRIND" ]; then
	bad=$(grep -l 'ERROR SUMMARY: [1-9]\|Invalid\|uninitialised\|definitely lost' "$OUT"/valgrind-worker-*.log 2>/dev/null)
	if [ -z "$bad" ]; then say "ok - valgrind: no errors in $(ls "$OUT"/valgrind-worker-*.log 2>/dev/null | wc -l) worker logs"
	else say "FAIL - valgrind found errors in workers: $bad"; fi
fi

# Faults on a private stack of their own (CRM_E2E_PORT + 7), which they
# stop, kill and fill freely: tests/fault/run.sh starts and stops it.
suite "faults"
mark=$(wc -l < "$LOG")
bash tests/fault/run.sh 2>>"$OUT/fault.err" | tee -a "$LOG"
[ "$(count_since "$mark")" -gt 0 ] || say "FAIL - no fault tests ran (see $OUT/fault.err)"

# The scale-out layout (tests/cluster): three Galera nodes, two hosts of
# every module, a node and a host lost under load. Its own ports
# (CRM_CLUSTER_PORT, 18400 on) and a directory under /tmp it removes.
suite "cluster"
mark=$(wc -l < "$LOG")
CLUSTER_LOAD_SECONDS=${CLUSTER_LOAD_SECONDS:-12} bash tests/cluster/run.sh 2>>"$OUT/cluster.err" | tee -a "$LOG"
[ "$(count_since "$mark")" -gt 0 ] || say "FAIL - no cluster tests ran (see $OUT/cluster.err)"

suite "fuzz smoke (${FUZZ_SMOKE}s per target)"
mark=$(wc -l < "$LOG")
for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	corpus=$OUT/corpus/$name
	mkdir -p "$corpus"
	seeds=tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=""
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	if "$f" -max_total_time="$FUZZ_SMOKE" $dict -artifact_prefix="$OUT/" "$corpus" $seeds \
		>"$OUT/$name.log" 2>&1; then
		say "ok - $name: $(grep -o 'Done [0-9]* runs' "$OUT/$name.log" | tail -1)"
	else
		say "FAIL - $name (see $OUT/$name.log)"
	fi
done
[ "$(count_since "$mark")" -gt 0 ] || say "FAIL - no fuzz targets ran"

suite "summary"
passed=$(grep -c '^ok - ' "$LOG")
failed=$(grep -c '^FAIL - ' "$LOG")
if [ "$failed" -gt 0 ]; then
	echo
	echo "failures:"
	grep '^FAIL - ' "$LOG"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
