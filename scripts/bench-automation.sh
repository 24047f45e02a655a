#!/bin/sh
# make bench, part eight: the automation at a million contacts.
# - The bell: /notifications/unread answered 304 from the user's row the
#   session lookup reads anyway (the statements one request runs are
#   counted from MariaDB's general log), and the notifications page of a
#   user with 10,000 of them.
# - The job runner: how many changes a second the rules, webhooks and
#   notifications readers get through, with three rules on contacts, over
#   changes to 20,000 contacts (crm-automation jobs --once, timed).
# - Phone sync: CalDAV/CardDAV requests a client repeats all day, by an
#   admin who sees every contact: the address book's PROPFIND (its ctag
#   and sync token) and a sync-collection REPORT when nothing changed.
# The database is the benches' shared one in var/bench-1m
# (scripts/bench-db.sh; BENCH_AUTOMATION_DIR to use another).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=${BENCH_AUTOMATION_DIR:-$TOP/var/bench-1m}
PORT=${CRM_BENCH_PORT8:-18098}
EVENTS=${BENCH_EVENTS:-20000}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}

. "$TOP/scripts/bench-lib.sh"
. "$TOP/scripts/bench-db.sh"
bench_stack automation

bench_db
echo "audit rows: $($SQL -e "SELECT COUNT(*) FROM audit_log")"

PW='automation at a million 8'
echo "$PW" | $CTL user add --email bench-auto@example.com --name 'Bench Auto' --role admin \
	--password-stdin >/dev/null 2>&1 || true
bench_signin bench-auto@example.com "$PW"
ME=$($SQL -e "SELECT id FROM users WHERE email = 'bench-auto@example.com'")

# wrk_run NAME PATH [wrk options]: one run, its req/s and p99 printed.
wrk_run() {
	name=$1 path=$2
	shift 2
	wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$@" "$BASE$path" > "$V/wrk-$name.txt" 2>&1
	rps=$(awk '/^Requests\/sec/ {print $2}' "$V/wrk-$name.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$V/wrk-$name.txt")
	errs=$(grep -E 'Socket errors|Non-2xx' "$V/wrk-$name.txt" | tr '\n' ' ' || true)
	printf '%-26s %10s req/s  p99 %8s  %s\n' "$name" "$rps" "$p99" "$errs"
}
# statements PATH [curl options]: how many statements one request runs.
statements() {
	path=$1
	shift
	$SQL -e "SET GLOBAL log_output = 'FILE'; SET GLOBAL general_log_file = '$V/log/general.log'; SET GLOBAL general_log = 1"
	n=$(wc -l < "$V/log/general.log" 2>/dev/null || echo 0)
	curl -s -o /dev/null -H "$COOKIE" "$@" "$BASE$path"
	$SQL -e "SET GLOBAL general_log = 0"
	tail -n +"$((n + 1))" "$V/log/general.log" | awk -F'\t' '/ Execute\t/' | wc -l
}

echo
echo "== the bell and the notifications page (wrk -t2 -c$CONNS -d${DURATION}s, signed in)"
$SQL -e "DELETE FROM notifications WHERE user_id = $ME;
	INSERT INTO notifications (user_id, kind, entity, entity_id, title, once_key)
	SELECT $ME, 'assigned', 'contact', id, full_name, 'bench' FROM contacts ORDER BY id LIMIT 10000;
	UPDATE users SET notify_unread = 10000, notify_version = notify_version + 1 WHERE id = $ME"
VER=$($SQL -e "SELECT notify_version FROM users WHERE id = $ME")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$COOKIE" -H "If-None-Match: \"n$VER\"" "$BASE/notifications/unread")
[ "$code" = 304 ] || { echo "bench: the unread count answered $code to its own ETag" >&2; exit 1; }
echo "statements per request: unread 304: $(statements /notifications/unread -H "If-None-Match: \"n$VER\""), " \
	"unread 200: $(statements /notifications/unread), page: $(statements /notifications)" \
	"(the session lookup is one of each)"
wrk_run unread-304 /notifications/unread -H "$COOKIE" -H "If-None-Match: \"n$VER\""
wrk_run unread-200 /notifications/unread -H "$COOKIE"
wrk_run notifications-page /notifications -H "$COOKIE"
$SQL -e "DELETE FROM notifications WHERE user_id = $ME; UPDATE users SET notify_unread = 0 WHERE id = $ME"

echo
echo "== the job runner: $EVENTS changes to contacts, three rules on contacts"
# The stack's runner is stopped so the pass below is timed alone.
kill "$(cat "$V/run/crm-automation-jobs.pid")" 2>/dev/null || true
for _ in $(seq 1 50); do [ -f "$V/run/crm-automation-jobs.pid" ] || break; sleep 0.1; done
$SQL -e "DELETE FROM rules WHERE name LIKE 'Bench rule %';
	INSERT INTO rules (name, entity, trigger_kind, definition) VALUES
	('Bench rule 1', 'contacts', 'update', '{\"entity\":\"contacts\",\"trigger\":\"update\",
	  \"conditions\":[{\"field\":\"city\",\"op\":\"eq\",\"value\":\"Shanghai\"}],\"actions\":[{\"type\":\"notify\",\"to\":\"owner\"}]}'),
	('Bench rule 2', 'contacts', 'update', '{\"entity\":\"contacts\",\"trigger\":\"update\",
	  \"conditions\":[{\"field\":\"title\",\"op\":\"starts_with\",\"value\":\"Bench\"},{\"field\":\"consent_email\",\"op\":\"eq\",\"value\":\"1\"}],
	  \"actions\":[{\"type\":\"notify\",\"to\":\"owner\"}]}'),
	('Bench rule 3', 'contacts', 'create', '{\"entity\":\"contacts\",\"trigger\":\"create\",\"actions\":[{\"type\":\"notify\",\"to\":\"owner\"}]}')"
# The changes: each contact's title, and its audit row as the contacts
# page would write it (outside the hash chain: `crmctl audit verify` on
# this bench database reports these rows, which no real writer makes).
FIRST=$($SQL -e "SELECT MIN(id) FROM contacts WHERE deleted_at IS NULL")
$SQL -e "UPDATE automation_cursors SET last_audit_id = (SELECT MAX(id) FROM audit_log);
	UPDATE contacts SET title = CONCAT('Bench ', id) WHERE id >= $FIRST AND deleted_at IS NULL ORDER BY id LIMIT $EVENTS;
	INSERT INTO audit_log (at, user_id, ip, action, entity, entity_id, changes, prev_hash, hash)
	SELECT UTC_TIMESTAMP(6), $ME, '127.0.0.1', 'update', 'contact', id,
	  JSON_OBJECT('before', JSON_OBJECT('title', ''), 'after', JSON_OBJECT('title', title)), REPEAT(CHAR(0), 32), REPEAT(CHAR(0), 32)
	FROM contacts WHERE id >= $FIRST AND deleted_at IS NULL ORDER BY id LIMIT $EVENTS"
t0=$(date +%s.%N)
"$TOP/cgi-bin/crm-automation" --config "$V/crm.conf" jobs --once 2>>"$V/log/bench-runner.log"
t1=$(date +%s.%N)
behind=$($SQL -e "SELECT IFNULL(SUM((SELECT MAX(id) FROM audit_log) - last_audit_id), 0) FROM automation_cursors")
runs=$($SQL -e "SELECT COUNT(*) FROM rule_runs r JOIN rules u ON u.id = r.rule_id WHERE u.name LIKE 'Bench rule %'")
awk -v n="$EVENTS" -v a="$t0" -v b="$t1" -v runs="$runs" -v behind="$behind" 'BEGIN {
	printf "%d changes read by rules, webhooks and notifications in %.1f s: %.0f changes/s;" \
	    " %d rule runs (each with its notification); %d changes left unread\n", n, b - a, n / (b - a), runs, behind }'
$SQL -e "DELETE FROM notifications WHERE kind = 'rule' AND created_at >= UTC_TIMESTAMP() - INTERVAL 1 HOUR;
	UPDATE users SET notify_unread = (SELECT COUNT(*) FROM notifications n WHERE n.user_id = users.id AND n.read_at IS NULL);
	DELETE FROM rules WHERE name LIKE 'Bench rule %'"
"$TOP/cgi-bin/crm-automation" --config "$V/crm.conf" jobs --pidfile "$V/run/crm-automation-jobs.pid" \
	>>"$V/log/crm-automation-jobs.log" 2>&1 &

echo
echo "== phone sync (wrk -t2 -c$CONNS -d${DURATION}s, HTTP Basic with an API token)"
curl -s -H "$COOKIE" "$BASE/account" -o "$V/account.html"
T=$(grep -o 'name="csrf_token" value="[^"]*"' "$V/account.html" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -H "$COOKIE" -o "$V/token.html" --data-urlencode "csrf_token=$T" -d name=bench -d days=7 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$V/token.html" | sed 's/.*>//')
[ -n "$TOKEN" ] || { echo "bench: no API token" >&2; exit 1; }
AUTH="Authorization: Basic $(printf '%s' "bench-auto@example.com:$TOKEN" | base64 -w0)"
BOOK=/dav/addressbooks/$ME/contacts/
PROPS='<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/><D:sync-token/></D:prop></D:propfind>'
code=$(curl -s -o "$V/propfind.xml" -w '%{http_code}' -X PROPFIND -H "$AUTH" -H 'Depth: 0' \
	-H 'Content-Type: application/xml' --data-binary "$PROPS" "$BASE$BOOK")
SYNC=$(grep -o 'urn:crm:sync:[0-9]*' "$V/propfind.xml" | head -1)
[ "$code" = 207 ] && [ -n "$SYNC" ] || { echo "bench: PROPFIND answered $code" >&2; exit 1; }
REPORT="<?xml version=\"1.0\"?><D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>$SYNC</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"
lua() { # METHOD BODY DEPTH
	cat <<LUA
wrk.method = "$1"
wrk.body = [[$2]]
wrk.headers["Content-Type"] = "application/xml"
wrk.headers["Depth"] = "$3"
LUA
}
lua PROPFIND "$PROPS" 0 > "$V/propfind.lua"
lua REPORT "$REPORT" 1 > "$V/report.lua"
wrk_run dav-propfind-book "$BOOK" -H "$AUTH" -s "$V/propfind.lua"
wrk_run dav-sync-unchanged "$BOOK" -H "$AUTH" -s "$V/report.lua"
t0=$(date +%s.%N)
code=$(curl -s -o "$V/first-page.xml" -w '%{http_code}' -X REPORT -H "$AUTH" -H 'Depth: 1' -H 'Content-Type: application/xml' \
	--data-binary '<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>' "$BASE$BOOK")
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$(grep -o '<D:response>' "$V/first-page.xml" | wc -l)" -v c="$code" 'BEGIN {
	printf "a first sync'\''s first page: %d cards in %.0f ms (status %s; the client asks again from its token)\n", n, (b - a) * 1000, c }'
