#!/bin/sh
# make security-xss: the whole XSS corpus through every text field, on a
# private stack (var/xss, port CRM_E2E_PORT + 11) so that its thousands of
# records land nowhere else. Prints "ok - ..." / "FAIL - ..." lines, then
# "N passed, N failed"; the log of every payload and where it went is
# var/xss/xss-report.txt.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
DIR=$TOP/var/xss
PORT=$(( ${CRM_E2E_PORT:-18080} + 11 ))
sh scripts/stack.sh stop "$DIR" >/dev/null 2>&1
rm -rf "$DIR"
mkdir -p "$DIR"
if ! CRM_DEMO=no sh scripts/stack.sh start "$DIR" "$PORT" >"$TOP/var/xss-stack.log" 2>&1; then
	echo "FAIL - xss: the stack starts (see var/xss-stack.log)"
	exit 1
fi
CRM_E2E_PORT=$PORT CRM_E2E_DIR=$DIR XSS_FULL=1 bash tests/security/xss.sh | tee "$TOP/var/xss-full.txt"
sh scripts/stack.sh stop "$DIR" >/dev/null 2>&1
passed=$(grep -c '^ok - ' "$TOP/var/xss-full.txt")
failed=$(grep -c '^FAIL - ' "$TOP/var/xss-full.txt")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
