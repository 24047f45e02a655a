#!/bin/sh
# Instructions a request for one page, from callgrind: one worker of
# crm-MODULE under valgrind, beside the running stack (make run), asked
# PATH N times straight over FastCGI by a signed-in user of the role
# PROFILE_ROLE (default admin; made on first use). Prints the instructions
# a request and the costliest functions; the profile is kept in
# build/profile/. Unlike wrk, the count does not move with the machine's
# load, so it compares two builds on a busy machine.
#
#   sh scripts/profile-page.sh sales /sales 20
#   PROFILE_ACCEPT=application/json sh scripts/profile-page.sh sales /api/v1/sales
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
M=${1:?usage: profile-page.sh MODULE PATH [N]}
P=${2:?usage: profile-page.sh MODULE PATH [N]}
N=${3:-20}
V=${CRM_DIR:-$TOP/var}
PORT=${CRM_PORT:-8080}
ROLE=${PROFILE_ROLE:-admin}
OUT=$TOP/build/profile
S=$OUT/$M.sock
. "$TOP/scripts/page-lib.sh"
rm -f "$S" "$OUT"/callgrind.out.*
page_signin
# Only the requests count: start-up is left out by collecting inside
# crm_http_serve only, the first preparing of statements by zeroing the
# counts after one request.
valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$OUT/callgrind.out.%p" \
	--toggle-collect=crm_http_serve "$TOP/cgi-bin/crm-$M" --config "$V/crm.conf" \
	--listen "unix:$S" --workers 1 >"$OUT/valgrind.log" 2>&1 &
vg=$!
page_wait "$S" $vg
ask() { page_ask "$S" "$P" "${PROFILE_ACCEPT:-text/html}" "$OUT/page.out"; }
ask
status=$(head -1 "$OUT/page.out" | tr -d '\r')
callgrind_control -z >/dev/null 2>&1
i=0
while [ $i -lt "$N" ]; do ask; i=$((i + 1)); done
kill $vg
wait $vg 2>/dev/null || true
f=$(ls -S "$OUT"/callgrind.out.* | head -1)
total=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
echo "$M $P: $status, $(($(wc -c < "$OUT/page.out"))) bytes with headers"
echo "instructions a request: $((total / N)) (callgrind, $N requests after the first; profile $f)"
callgrind_annotate --inclusive=yes "$f" 2>/dev/null | grep -E '^ *[0-9,]+ \( *[0-9.]+%\)  (/work|lib|modules|[?])' |
	grep -v 'crm_server_main\|main\.c:main\|crm_http_serve\|below main' | head -"${PROFILE_TOP:-15}"
