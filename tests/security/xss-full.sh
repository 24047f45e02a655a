#!/bin/sh
# make security-xss: the whole XSS corpus through every text field, on a
# private stack (var/xss, port CRM_E2E_PORT + 11) so that its thousands of
# records land nowhere else. Prints "ok - ..." / "FAIL - ..." lines, then
# "N passed, N failed"; the log of every payload and where it went is
# var/xss/xss-report.txt.
#
# The whole run takes hours on two cores (82 payload rounds of some
# 80 forms, each round a minute or two). XSS_SHARD=k/n runs the k-th of n
# shares of the rounds on a stack of its own (var/xss-k, port + 11 + k,
# var/xss-full-k.txt), so shares can run side by side or on different
# days; the n shares together are the whole run. Each prints a line a
# round and each finding as it comes.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
SHARD=${XSS_SHARD:-}
k=
if [ -n "$SHARD" ]; then
	k=${SHARD%%/*}
	case $SHARD in [0-9]*/[0-9]*) ;; *) echo "FAIL - xss: XSS_SHARD=$SHARD: want k/n"; exit 1 ;; esac
fi
DIR=$TOP/var/xss${k:+-$k}
PORT=$(( ${CRM_E2E_PORT:-18080} + 11 + ${k:-0} ))
OUT=$TOP/var/xss-full${k:+-$k}.txt
sh scripts/stack.sh stop "$DIR" >/dev/null 2>&1
rm -rf "$DIR"
mkdir -p "$DIR"
if ! CRM_DEMO=no sh scripts/stack.sh start "$DIR" "$PORT" >"$DIR.stack.log" 2>&1; then
	echo "FAIL - xss: the stack starts (see $DIR.stack.log)"
	exit 1
fi
CRM_E2E_PORT=$PORT CRM_E2E_DIR=$DIR XSS_FULL=1 XSS_SHARD=${SHARD:-1/1} bash tests/security/xss.sh | tee "$OUT"
sh scripts/stack.sh stop "$DIR" >/dev/null 2>&1
passed=$(grep -c '^ok - ' "$OUT")
failed=$(grep -c '^FAIL - ' "$OUT")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
