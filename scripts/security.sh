#!/bin/sh
# make security: the long hostile-input run on a private stack of its own
# (port CRM_E2E_PORT + 9, so that it never meets make check's): sqlmap at
# level 3, risk 2 on every route with a parameter, signed in as a sales
# user, then the malformed requests. Results: build/security/.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/security
PORT=$(( ${CRM_E2E_PORT:-18080} + 9 ))
mkdir -p build/security
sh scripts/stack.sh stop "$V" >/dev/null 2>&1
rm -rf "$V"
export CRM_E2E_PORT=$PORT CRM_E2E_DIR=$V CRM_DEMO=no
if ! sh scripts/stack.sh start "$V" "$PORT" >build/security/stack.log 2>&1; then
	echo "FAIL - the security stack starts (see build/security/stack.log)"
	exit 1
fi
{
	bash tests/security/sqlmap.sh --full
	bash tests/security/malformed.sh
} 2>build/security/errors.log | tee build/security/results.txt
sh scripts/stack.sh stop "$V" >/dev/null 2>&1
passed=$(grep -c '^ok - ' build/security/results.txt)
failed=$(grep -c '^FAIL - ' build/security/results.txt)
echo "$passed passed, $failed failed (sqlmap's summary: build/security/sqlmap-full/summary.tsv)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
