#!/bin/bash
# Identity through nginx: sign-in, the generic failure, throttling and the
# lock, sessions ending, CSRF, open redirects, API tokens, the audit chain.
. "$(dirname "$0")/lib.sh"
PW='id tests are fun 42'
IP=127.0.2.$(( $$ % 250 + 1 ))   # its own client address: nginx limits sign-ins per address
RUN=$$           # names unique to this run, so the test can run again

# signin JAR EMAIL PASSWORD [NEXT]: leaves the status in $STATUS, body in $TMP/b
signin() {
	curl -s -c "$1" -b "$1" --interface $IP "$BASE/login" -o "$TMP/form.html"
	fetch -c "$1" -b "$1" --interface $IP --data-urlencode "csrf_token=$(csrf_of "$TMP/form.html")" \
		--data-urlencode "email=$2" --data-urlencode "password=$3" --data-urlencode "next=${4:-/}" "$BASE/login"
}

# Earlier runs' failures from this address would throttle this one.
$SQL -e "DELETE FROM login_throttle WHERE throttle_key = 'ip:$IP'"
echo "$PW" | $CTL user add --email id-sales-$RUN@example.com --name "Ida Sales" --role sales --password-stdin >/dev/null
echo "$PW" | $CTL user add --email id-admin-$RUN@example.com --name "Ada Admin" --role admin --password-stdin >/dev/null

signin "$TMP/j1" id-sales-$RUN@example.com 'not the password'
[ "$STATUS" = 422 ] && ok "a wrong password is refused with 422" || fail "wrong password: $STATUS"
wrong=$(grep -o 'id="login-error">[^<]*' "$TMP/b")
signin "$TMP/j1" "nobody-here-$RUN@example.com" 'not the password'
unknown=$(grep -o 'id="login-error">[^<]*' "$TMP/b")
[ -n "$wrong" ] && [ "$wrong" = "$unknown" ] && ok "an unknown account gets the same message as a wrong password" ||
	fail "messages differ: [$wrong] [$unknown]"

signin "$TMP/j1" id-sales-$RUN@example.com "$PW" /admin/users
[ "$STATUS" = 303 ] && grep -qi '^Location: /admin/users' "$TMP/h" && ok "sign-in sends the user back where they were going" ||
	fail "sign-in: $STATUS $(grep -i location "$TMP/h")"
grep -qiE '^Set-Cookie: crm_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax' "$TMP/h" &&
	ok "the session cookie is HttpOnly and SameSite" || fail "cookie: $(grep -i set-cookie "$TMP/h")"
expect_status "a signed-in sales user may not see the user list" 403 -b "$TMP/j1" "$BASE/admin/users"
expect_status "the account page opens" 200 -b "$TMP/j1" "$BASE/account"
expect_body "the account page shows the user's name" 'value="Ida Sales"'

signin "$TMP/j2" id-sales-$RUN@example.com "$PW" '//evil.example/steal'
tr -d '\r' < "$TMP/h" | grep -qi '^Location: /$' && ok "no open redirect: //host becomes /" || fail "open redirect: $(grep -i location "$TMP/h")"
signin "$TMP/j4" id-sales-$RUN@example.com "$PW" 'https://evil.example/'
tr -d '\r' < "$TMP/h" | grep -qi '^Location: /$' && ok "no open redirect: an absolute URL becomes /" || fail "open redirect 2"

# CSRF: a state-changing request without the token, or with another's.
expect_status "a POST without the form token is refused" 403 -b "$TMP/j1" -d name=x -d days=7 "$BASE/account/tokens"
other=$(csrf_of "$TMP/form.html")
expect_status "a POST with another session's token is refused" 403 -b "$TMP/j1" --data-urlencode "csrf_token=$other" -d name=x -d days=7 "$BASE/account/tokens"

# API tokens: shown once, work as the user, stop working when revoked.
curl -s -b "$TMP/j1" "$BASE/account" -o "$TMP/acc.html"
fetch -b "$TMP/j1" --data-urlencode "csrf_token=$(csrf_of "$TMP/acc.html")" -d name=e2e-$RUN -d days=30 "$BASE/account/tokens"
token=$(grep -o 'id="new-token">[^<]*' "$TMP/b" | sed 's/.*>//')
case $token in crm_*) ok "a new API token is shown once" ;; *) fail "no token: $STATUS" ;; esac
expect_status "the token reads the API as its user" 200 -H "Authorization: Bearer $token" "$BASE/api/v1/account"
expect_body "the API answers as that user" "\"email\":\"id-sales-$RUN@example.com\""
expect_status "the token has only its user's permissions" 403 -H "Authorization: Bearer $token" "$BASE/api/v1/admin/users"
expect_body "API errors have the stable shape" '^\{"error":\{"status":403,"message":"[^"]+","request_id":"[0-9a-f]+"\}\}$'
expect_status "a token needs no form token for writes, and gets 405/404 like anyone" 404 -X POST -H "Authorization: Bearer $token" "$BASE/api/v1/account/tokens/999999/revoke"
[ "$($SQL -e "SELECT COUNT(*) FROM api_tokens WHERE name = 'e2e-$RUN' AND token_hash = UNHEX(SHA2(SUBSTRING('$token', 5), 256))")" = 1 ] &&
	ok "the database keeps only the token's SHA-256" || fail "token hash not as expected"
tid=$($SQL -e "SELECT id FROM api_tokens WHERE name = 'e2e-$RUN'")
curl -s -b "$TMP/j1" "$BASE/account" -o "$TMP/acc.html"
expect_status "revoking a token" 303 -b "$TMP/j1" --data-urlencode "csrf_token=$(csrf_of "$TMP/acc.html")" "$BASE/account/tokens/$tid/revoke"
expect_status "a revoked token is refused" 401 -H "Authorization: Bearer $token" "$BASE/api/v1/account"

# Throttling: from the third failure on, a growing wait (429 + Retry-After).
for i in 1 2 3; do signin "$TMP/j3" id-admin-$RUN@example.com "wrong $i"; done
# The waits double from one second; a slow machine may need a few tries to
# land inside one, but never more than five.
for i in 1 2 3 4 5; do
	signin "$TMP/j3" id-admin-$RUN@example.com "still wrong $i"
	[ "$STATUS" = 429 ] && break
done
[ "$STATUS" = 429 ] && grep -qi '^Retry-After: [0-9]' "$TMP/h" && ok "repeated failures make the next try wait (429, Retry-After)" ||
	fail "throttle: $STATUS"
# An address's failures are forgotten after a quiet hour: an office behind
# one address does not gather a day's typos into a lock-out.
$SQL -e "REPLACE INTO login_throttle (throttle_key, failures, blocked_until, updated_at)
	VALUES ('ip:$IP', 40, UTC_TIMESTAMP() - INTERVAL 2 HOUR, NOW() - INTERVAL 2 HOUR)"
signin "$TMP/jdecay" "nobody-$RUN@example.com" 'a typo'
signin "$TMP/jdecay" "nobody-$RUN@example.com" 'another typo'
[ "$STATUS" = 422 ] && [ "$($SQL -e "SELECT failures FROM login_throttle WHERE throttle_key = 'ip:$IP'")" = 2 ] &&
	ok "an address's old failures are forgotten after a quiet hour" ||
	fail "throttle decay: $STATUS $(grep -o '<h1>[^<]*' "$TMP/b"), $($SQL -e "SELECT failures FROM login_throttle WHERE throttle_key = 'ip:$IP'") failures"
$SQL -e "DELETE FROM login_throttle WHERE throttle_key IN ('ip:$IP', 'user:nobody-$RUN@example.com')"
# Ten failures lock the account (the waits are skipped here by ageing them).
$SQL -e "UPDATE login_throttle SET failures = 9, blocked_until = NULL WHERE throttle_key = 'user:id-admin-$RUN@example.com'"
signin "$TMP/j3" id-admin-$RUN@example.com 'wrong again'
signin "$TMP/j3" id-admin-$RUN@example.com "$PW"
[ "$STATUS" = 429 ] && grep -q 'account is locked' "$TMP/b" && ok "ten failures lock the account, even with the right password" ||
	fail "lock: $STATUS"
[ "$($SQL -e "SELECT locked FROM users WHERE email = 'id-admin-$RUN@example.com'")" = 1 ] && ok "the lock is on the user record" || fail "users.locked not set"
$CTL user unlock id-admin-$RUN@example.com >/dev/null
signin "$TMP/j3" id-admin-$RUN@example.com "$PW"
[ "$STATUS" = 303 ] && ok "an admin lifts the lock (crmctl user unlock)" || fail "unlock: $STATUS"

# An admin cannot demote or deactivate themselves by accident.
me=$($SQL -e "SELECT id FROM users WHERE email = 'id-admin-$RUN@example.com'")
ro=$($SQL -e "SELECT id FROM roles WHERE name = 'read-only'")
curl -s -b "$TMP/j3" "$BASE/admin/users/$me" -o "$TMP/me.html"
expect_status "an admin cannot change their own role" 422 -b "$TMP/j3" --data-urlencode "csrf_token=$(csrf_of "$TMP/me.html")" \
	-d "name=Ada&role_id=$ro&language=en&time_zone=UTC&active=1" "$BASE/admin/users/$me"
expect_status "... nor deactivate themselves" 422 -b "$TMP/j3" --data-urlencode "csrf_token=$(csrf_of "$TMP/me.html")" \
	-d "name=Ada&role_id=$($SQL -e "SELECT role_id FROM users WHERE id = $me")&language=en&time_zone=UTC" "$BASE/admin/users/$me"

# The main menu: the areas the role reaches and the one the page is in.
# A worker keeps a menu for each role and area. The workers take turns at
# accepting, so each home page is asked by the admin once and the sales
# user twice: every worker serves both from its kept menus, and neither
# may show the other's.
menu() { # JAR PATH: the page's main menu on one line
	curl -s -b "$1" "$BASE$2" | sed -n '/<nav class="nav"/,/<\/nav>/p' | tr -d '\n'
}
bad=
for i in 1 2 3 4; do
	m=$(menu "$TMP/j3" /)
	case $m in *'href="/" aria-current="page"'*'href="/reports">'*'href="/admin/users">'*) ;; *) bad="$bad admin/: $m" ;; esac
	for j in 1 2; do
		m=$(menu "$TMP/j1" /)
		case $m in *'>Admin</a>'*|*'aria-current="page">Status'*) bad="$bad sales/: $m" ;; esac
		case $m in *'href="/" aria-current="page"'*'href="/sales">'*) ;; *) bad="$bad sales/ home: $m" ;; esac
	done
	m=$(menu "$TMP/j3" /admin/health)
	case $m in *'href="/" aria-current'*) bad="$bad admin health: $m" ;; esac
	case $m in *'href="/admin/health" aria-current="page"'*) ;; *) bad="$bad admin health: $m" ;; esac
	m=$(menu "$TMP/j3" /admin/users)
	case $m in *'href="/admin/users" aria-current="page"'*) ;; *) bad="$bad admin users: $m" ;; esac
done
[ -z "$bad" ] && ok "the main menu shows each role its areas and marks the page's, kept or not" ||
	fail "main menu:$(echo "$bad" | cut -c1-600)"

# Sessions end: sign-out, and an admin ending all of a user's sessions.
uid=$($SQL -e "SELECT id FROM users WHERE email = 'id-sales-$RUN@example.com'")
curl -s -b "$TMP/j3" "$BASE/admin/users/$uid" -o "$TMP/u.html"
expect_status "an admin ends every session of a user" 303 -b "$TMP/j3" --data-urlencode "csrf_token=$(csrf_of "$TMP/u.html")" "$BASE/admin/users/$uid/sessions/end"
expect_status "the user's other browsers are signed out" 303 -b "$TMP/j1" "$BASE/account"
expect_status "... and their second browser too" 303 -b "$TMP/j2" "$BASE/account"
curl -s -b "$TMP/j3" "$BASE/account" -o "$TMP/a3.html"
expect_status "sign-out" 303 -b "$TMP/j3" -c "$TMP/j3" --data-urlencode "csrf_token=$(csrf_of "$TMP/a3.html")" "$BASE/logout"
expect_status "a signed-out cookie opens nothing" 303 -b "$TMP/j3" "$BASE/admin/users"

# The audit log has the story, and its chain holds.
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE action IN ('login', 'login.failed', 'logout', 'sessions.end', 'unlock')")
[ "$n" -ge 8 ] && ok "sign-in events are audited ($n rows)" || fail "audit rows: $n"
out=$($CTL audit verify)
echo "$out" | grep -q 'audit log intact' && ok "crmctl audit verify: $out" || fail "audit verify: $out"
ip3=$($SQL -e "SELECT ip FROM audit_log WHERE id = 3")
$SQL -e "UPDATE audit_log SET ip = '10.9.9.9' WHERE id = 3"
out=$($CTL audit verify); rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q 'broken at row 3' && ok "a changed audit row is found: $out" || fail "tamper: rc=$rc $out"
$SQL -e "UPDATE audit_log SET ip = '$ip3' WHERE id = 3"
