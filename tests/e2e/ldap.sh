#!/bin/bash
# Directory sign-in against the private slapd make check starts
# (scripts/ldap.sh): a bind as the user, the role from their groups, a
# local record kept in step, and no local password for directory accounts.
. "$(dirname "$0")/lib.sh"
IP=127.0.3.$(( $$ % 250 + 1 ))

if [ -z "${CRM_LDAP_URI:-}" ]; then
	fail "ldap: CRM_LDAP_URI is not set (make check starts a directory and sets it)"
	exit 0
fi
signin() { # jar login password
	curl -s -c "$1" -b "$1" --interface $IP "$BASE/login" -o "$TMP/form.html"
	fetch -c "$1" -b "$1" --interface $IP --data-urlencode "csrf_token=$(csrf_of "$TMP/form.html")" \
		--data-urlencode "email=$2" --data-urlencode "password=$3" "$BASE/login"
}

signin "$TMP/a" alice alice-password-1
[ "$STATUS" = 303 ] && ok "ldap: alice signs in with her directory password" || fail "ldap: alice: $STATUS"
row=$($SQL -e "SELECT r.name, u.password_hash FROM users u JOIN roles r ON r.id = u.role_id WHERE u.email = (SELECT email FROM users WHERE name LIKE 'Alice%' LIMIT 1)")
case $row in
"sales	!ldap") ok "ldap: her local record has the sales role from her group and no local password" ;;
*) fail "ldap: alice's record: [$row]" ;;
esac
expect_status "ldap: a sales member may not manage users" 403 -b "$TMP/a" "$BASE/admin/users"

signin "$TMP/b" bob bob-password-22
expect_status "ldap: bob of the admins group manages users" 200 -b "$TMP/b" "$BASE/admin/users"

signin "$TMP/c" carol carol-password-3
[ "$STATUS" = 422 ] && ok "ldap: a member of no mapped group is refused" || fail "ldap: carol: $STATUS"
signin "$TMP/d" alice wrong-password
[ "$STATUS" = 422 ] && ok "ldap: a wrong directory password is refused" || fail "ldap: wrong password: $STATUS"
signin "$TMP/e" 'alice)(uid=*' alice-password-1
[ "$STATUS" = 422 ] && ok "ldap: filter and DN injection in the name does not sign in" || fail "ldap: injection: $STATUS"
email=$($SQL -e "SELECT email FROM users WHERE name LIKE 'Alice%' LIMIT 1")
signin "$TMP/f" "$email" ''
[ "$STATUS" = 422 ] && ok "ldap: an empty password is refused, never an anonymous bind" || fail "ldap: empty password: $STATUS"
