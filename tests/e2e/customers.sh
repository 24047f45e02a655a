#!/bin/bash
# Accounts and record-level access: what a role reaches is decided in SQL,
# so another owner's account is "not found", in pages and in the API; a
# reassigned account moves with its owner; field rules hide and freeze.
. "$(dirname "$0")/lib.sh"
IP=127.0.4.$(( $$ % 250 + 1 ))
RUN=$$
PW='accounts are ours 7'

for who in ann:sales bob:sales mia:manager ron:read-only; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*}" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
# Ann and Mia share a team; Bob is alone.
$SQL -e "INSERT INTO teams (name) VALUES ('East $RUN');
	UPDATE users SET team_id = (SELECT id FROM teams WHERE name = 'East $RUN') WHERE email IN ('ann-$RUN@example.com', 'mia-$RUN@example.com')"

curl -s -b "$TMP/ann" "$BASE/customers/accounts/new" -o "$TMP/new.html"
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$(csrf_of "$TMP/new.html")" --data-urlencode "name=上海 Acme $RUN" \
	-d "industry=Retail&city=Shanghai&annual_revenue=1250000.50" "$BASE/customers/accounts"
[ "$STATUS" = 303 ] && ok "customers: a sales user creates an account" || fail "customers: create: $STATUS $(head -c 300 "$TMP/b")"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = '上海 Acme $RUN'")
expect_status "customers: the owner opens it" 200 -b "$TMP/ann" "$BASE/customers/accounts/$acc"
expect_body "customers: its page shows the name" "上海 Acme $RUN"
expect_status "customers: another sales user gets 404, not 403: the record is out of reach" 404 -b "$TMP/bob" "$BASE/customers/accounts/$acc"
expect_status "customers: ... through the API too" 404 -b "$TMP/bob" "$BASE/api/v1/customers/accounts/$acc"
fetch -b "$TMP/bob" "$BASE/api/v1/customers?q=%E4%B8%8A%E6%B5%B7%20Acme%20$RUN"
grep -q '"accounts":\[\]' "$TMP/b" && ok "customers: and it is not in his list" || fail "customers: bob's list: $(head -c 200 "$TMP/b")"
expect_status "customers: the team's manager reaches it" 200 -b "$TMP/mia" "$BASE/customers/accounts/$acc"
expect_status "customers: read-only reaches it" 200 -b "$TMP/ron" "$BASE/customers/accounts/$acc"
curl -s -b "$TMP/ron" "$BASE/customers/accounts/$acc" -o "$TMP/ro.html"
expect_status "customers: read-only cannot change it" 403 -b "$TMP/ron" --data-urlencode "csrf_token=$(csrf_of "$TMP/ro.html")" -d name=x "$BASE/customers/accounts/$acc"
curl -s -b "$TMP/bob" "$BASE/customers" -o "$TMP/bl.html"
expect_status "customers: a guessed id cannot be changed by someone out of reach" 404 -b "$TMP/bob" \
	--data-urlencode "csrf_token=$(csrf_of "$TMP/bl.html")" -d "name=Hijacked" "$BASE/customers/accounts/$acc"

curl -s -b "$TMP/ann" "$BASE/customers/accounts/$acc" -o "$TMP/a.html"
expect_status "customers: a bad amount is refused with 422" 422 -b "$TMP/ann" --data-urlencode "csrf_token=$(csrf_of "$TMP/a.html")" \
	-d "name=Acme&annual_revenue=12,5" "$BASE/customers/accounts/$acc"
expect_body "customers: ... with the message next to the field" 'field-error">Enter an amount'
expect_body "customers: ... and the input kept" 'value="12,5"'

bob=$($SQL -e "SELECT id FROM users WHERE email = 'bob-$RUN@example.com'")
expect_status "customers: the owner gives the account to Bob" 303 -b "$TMP/ann" --data-urlencode "csrf_token=$(csrf_of "$TMP/a.html")" \
	-d "owner_id=$bob" "$BASE/customers/accounts/$acc/owner"
expect_status "customers: now Bob reaches it" 200 -b "$TMP/bob" "$BASE/customers/accounts/$acc"
expect_status "customers: and Ann no longer does" 404 -b "$TMP/ann" "$BASE/customers/accounts/$acc"
fetch -b "$TMP/bob" "$BASE/customers/accounts/$acc"
grep -q '<code>reassign</code>: owner_id' "$TMP/b" && grep -q '<code>create</code>' "$TMP/b" &&
	ok "customers: the account's page shows its own history" || fail "customers: history: $(grep -o '<ul class="history".*' "$TMP/b" | head -c 300)"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'account' AND entity_id = $acc")
[ "$n" -ge 2 ] && ok "customers: create and reassign are in the audit log ($n rows)" || fail "customers: audit rows $n"

# Field rules: revenue hidden from sales, in the page and the API.
$SQL -e "INSERT INTO role_field_rules (role_id, entity, field, access) SELECT id, 'accounts', 'annual_revenue', 'hidden' FROM roles WHERE name = 'sales'"
signin "$TMP/bob2" "bob-$RUN@example.com"
fetch -b "$TMP/bob2" "$BASE/api/v1/customers/accounts/$acc"
if [ "$STATUS" = 200 ] && ! grep -q annual_revenue "$TMP/b"; then ok "customers: a hidden field is absent from the API"; else fail "customers: hidden field: $STATUS $(head -c 300 "$TMP/b")"; fi
fetch -b "$TMP/bob2" "$BASE/customers/accounts/$acc"
if ! grep -q 'Annual revenue' "$TMP/b"; then ok "customers: ... and from the page"; else fail "customers: hidden field on the page"; fi
fetch -b "$TMP/ron" "$BASE/api/v1/customers/accounts/$acc"
grep -q '"annual_revenue":"1250000.50"' "$TMP/b" && ok "customers: other roles still see it, as an exact decimal" || fail "customers: revenue for read-only: $(head -c 300 "$TMP/b")"
grep -q '"annual_revenue_text":"\$1,250,000.50"' "$TMP/b" && ok "customers: and as money in the base currency, formatted for people" || fail "customers: money text: $(grep -o '"annual_revenue_text":"[^"]*"' "$TMP/b")"
$SQL -e "DELETE FROM role_field_rules WHERE entity = 'accounts'"
