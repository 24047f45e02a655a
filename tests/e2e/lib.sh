# Helpers for the end-to-end shell tests: each check prints one line,
# "ok - name" or "FAIL - name" with what was seen instead.
BASE="http://127.0.0.1:${CRM_E2E_PORT:-18080}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CTL="$TOP/cgi-bin/crmctl --config $CRM_E2E_DIR/crm.conf"
SQL="mariadb --no-defaults -S $CRM_E2E_DIR/run/mysql.sock -u $(id -un) -N crm"

ok() { echo "ok - $*"; }
fail() { echo "FAIL - $*"; }

# fetch [curl args...] URL: leaves status in $STATUS, headers in $TMP/h, body in $TMP/b
fetch() {
	STATUS=$(curl -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' "$@")
}

expect_status() {
	name=$1 want=$2
	shift 2
	fetch "$@"
	if [ "$STATUS" = "$want" ]; then ok "$name"; else fail "$name: status $STATUS, wanted $want"; fi
}

expect_body() {
	name=$1 pattern=$2
	if grep -qE -- "$pattern" "$TMP/b"; then ok "$name"; else fail "$name: body lacks /$pattern/: $(head -c 300 "$TMP/b")"; fi
}

expect_header() {
	name=$1 pattern=$2
	if grep -qiE -- "$pattern" "$TMP/h"; then ok "$name"; else fail "$name: headers lack /$pattern/"; fi
}

# HTML5 through tidy: errors fail, warnings are allowed.
expect_valid_html() {
	name=$1
	# tidy exits 1 for warnings (its HTML5 list lacks aria-current) and
	# 2 for errors.
	tidy -q -e --show-warnings no "$TMP/b" >"$TMP/tidy" 2>&1
	if [ $? -lt 2 ]; then ok "$name"; else fail "$name: $(head -5 "$TMP/tidy")"; fi
}

# The form token in a saved page.
csrf_of() { grep -o 'name="csrf_token" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//;s/"$//'; }

# signin JAR EMAIL: through the sign-in form with the script's $PW, from
# its own loopback address $IP (nginx limits sign-ins per address).
signin() {
	curl -s -c "$1" -b "$1" --interface $IP "$BASE/login" -o "$TMP/form.html"
	curl -s -c "$1" -b "$1" --interface $IP -o /dev/null --data-urlencode "csrf_token=$(csrf_of "$TMP/form.html")" \
		--data-urlencode "email=$2" --data-urlencode "password=$PW" "$BASE/login"
}
