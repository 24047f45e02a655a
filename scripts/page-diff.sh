#!/bin/sh
# The same page from two builds: one worker of each (this checkout's and
# BASE's, another checkout built with make, for instance a git worktree of
# the commit before, each with its own templates), beside the dev stack
# (make run), asked the same path by the same signed-in user straight over
# FastCGI. The CSRF token, the request id and cookies are masked; the rest
# must be the same bytes. For a change that should not change what a page
# says: a faster template, a leaner view.
#
#   git worktree add ../base HEAD~3 && make -C ../base
#   sh scripts/page-diff.sh ../base sales /sales
#   PROFILE_ACCEPT=application/json sh scripts/page-diff.sh ../base sales /api/v1/sales
#
# Each is asked PAGE_DIFF_TIMES times (default 2), and every answer of
# this build is compared with the base's first. Prints "same" or the first
# lines of a diff (exit status 1).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BASE=$(cd "${1:?usage: page-diff.sh BASE MODULE PATH}" && pwd)
M=${2:?usage: page-diff.sh BASE MODULE PATH}
P=${3:?usage: page-diff.sh BASE MODULE PATH}
V=${CRM_DIR:-$TOP/var}
PORT=${CRM_PORT:-8080}
ROLE=${PROFILE_ROLE:-admin}
OUT=$TOP/build/page-diff
. "$TOP/scripts/page-lib.sh"
[ -x "$BASE/cgi-bin/crm-$M" ] || { echo "page-diff: $BASE/cgi-bin/crm-$M: build it first" >&2; exit 1; }
page_signin
for w in base this; do
	case $w in base) tree=$BASE ;; *) tree=$TOP ;; esac
	bin=$tree/cgi-bin/crm-$M
	# Each build with its own templates and translations.
	sed -E "s|^templates = .*|templates = $tree/html/templates|; s|^locales = .*|locales = $tree/build/locale|" \
		"$V/crm.conf" > "$OUT/$w.conf"
	rm -f "$OUT/$w.sock"
	"$bin" --config "$OUT/$w.conf" --listen "unix:$OUT/$w.sock" --workers 1 >"$OUT/$w.log" 2>&1 &
	pid=$!
	page_wait "$OUT/$w.sock" $pid
	# Asked PAGE_DIFF_TIMES times (default 2): a second answer comes
	# from what the worker kept from the first.
	i=1
	while [ $i -le "${PAGE_DIFF_TIMES:-2}" ]; do
		page_ask "$OUT/$w.sock" "$P" "${PROFILE_ACCEPT:-text/html}" "$OUT/$w.out.$i"
		sed -i -E 's/(csrf_token" value="|data-csrf=")[^"]*/\1X/g; s/"csrf_token":"[^"]*"/"csrf_token":"X"/g;
			s/^(Set-Cookie|X-Request-Id): .*//; s/(Reference: <code>)[0-9a-f]*/\1X/; s/"request_id":"[0-9a-f]*"/"request_id":"X"/g' "$OUT/$w.out.$i"
		i=$((i + 1))
	done
	kill $pid
	wait $pid 2>/dev/null || true
	mv "$OUT/$w.out.1" "$OUT/$w.out"
done
# Every later answer of this build is the base's first.
for f in "$OUT"/this.out.*; do
	[ -e "$f" ] || continue
	cmp -s "$OUT/base.out" "$f" || { echo "differs: $M $P (answer ${f##*.})"; diff "$OUT/base.out" "$f" |
		head -"${PAGE_DIFF_LINES:-20}"; exit 1; }
done
rm -f "$OUT"/base.out.* "$OUT"/this.out.*
status=$(head -1 "$OUT/this.out" | tr -d '\r')
if cmp -s "$OUT/base.out" "$OUT/this.out"; then
	echo "same: $M $P ($status, $(wc -c < "$OUT/this.out") bytes)"
else
	echo "differs: $M $P ($status)"
	diff "$OUT/base.out" "$OUT/this.out" | head -"${PAGE_DIFF_LINES:-20}"
	exit 1
fi
