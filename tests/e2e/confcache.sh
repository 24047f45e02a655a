#!/bin/bash
# Each worker keeps roles' permissions and the settings while
# config_version holds (lib/crm_confcache.c): a change made anywhere (here
# straight in SQL, as another host's admin would) must count from the very
# next request on every worker, never after a delay.
. "$(dirname "$0")/lib.sh"
RUN=$$
IP=127.0.90.1
PW='config cache 2026 ok'
echo "$PW" | $CTL user add --email "cache$RUN@example.com" --name "Cache $RUN" --role sales \
	--password-stdin >/dev/null 2>&1
JAR=$TMP/jar
signin "$JAR" "cache$RUN@example.com"
SALES=$($SQL -e "SELECT id FROM roles WHERE name = 'sales'")

# status PATH: the answers of six requests in a row (two workers or more
# each see a few), one code if they all agree.
statuses() {
	for _ in 1 2 3 4 5 6; do
		curl -s -b "$JAR" -o /dev/null -w '%{http_code}\n' "$BASE$1"
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}
v0=$($SQL -e "SELECT version FROM config_version WHERE id = 1")
got=$(statuses /customers)
[ "$got" = 200 ] && ok "cache: a sales user reads /customers (every worker)" || fail "cache: /customers answers '$got'"

$SQL -e "DELETE FROM role_permissions WHERE role_id = $SALES AND permission = 'customers.read'"
v1=$($SQL -e "SELECT version FROM config_version WHERE id = 1")
[ "$v1" -gt "$v0" ] && ok "cache: taking a permission away moves config_version ($v0 -> $v1)" ||
	fail "cache: config_version did not move ($v0 -> $v1)"
got=$(statuses /customers)
$SQL -e "INSERT IGNORE INTO role_permissions (role_id, permission) VALUES ($SALES, 'customers.read')"
[ "$got" = 403 ] && ok "cache: ... and the next requests, on every worker, are refused" ||
	fail "cache: without customers.read /customers answers '$got'"
got=$(statuses /customers)
[ "$got" = 200 ] && ok "cache: given back, it counts at once" || fail "cache: given back, /customers answers '$got'"

# A setting a page shows: the forecast's base currency.
TOKEN_PAGE=$TMP/account.html
curl -s -b "$JAR" "$BASE/account" -o "$TOKEN_PAGE"
curl -s -b "$JAR" -o "$TMP/token.html" --data-urlencode "csrf_token=$(csrf_of "$TOKEN_PAGE")" \
	-d name=cache -d days=7 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/token.html" | sed 's/.*>//')
currency() {
	for _ in 1 2 3 4 5 6; do
		curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/sales/forecast" |
			python3 -c 'import json, sys; print(json.load(sys.stdin).get("base_currency"))'
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}
was=$($SQL -e "SELECT value FROM settings WHERE name = 'base_currency'")
first=$(currency)
[ "$first" = "$was" ] && ok "cache: the forecast shows the base currency $was" || fail "cache: forecast currency '$first', setting '$was'"
new=JPY
[ "$was" = JPY ] && new=EUR
$SQL -e "UPDATE settings SET value = '$new' WHERE name = 'base_currency'"
got=$(currency)
$SQL -e "UPDATE settings SET value = '$was' WHERE name = 'base_currency'"
[ "$got" = "$new" ] && ok "cache: a changed setting shows on the next requests of every worker" ||
	fail "cache: after the change the forecast shows '$got', wanted $new"
got=$(currency)
[ "$got" = "$was" ] && ok "cache: ... and so does changing it back" || fail "cache: changed back, it shows '$got'"
