#!/bin/bash
# The automation runner as an admin sees it: every part of crm-automation
# jobs reports its passes on /automation, and each consumer of the audit
# log (rules, webhooks, notifications) reads a change soon after it is
# made, outside the request that made it. Who may see the page.
. "$(dirname "$0")/lib.sh"
IP=127.0.75.$(( $$ % 250 + 1 ))
RUN=$$
PW='the runner reads the log 9'
for who in ada:admin max:manager sal:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-au$RUN@example.com" --name "${who%%:*} au$RUN" \
		--role "${who##*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-au$RUN@example.com"
done

expect_status "automation: an admin opens the runner page" 200 -b "$TMP/ada" "$BASE/automation"
expect_valid_html "automation: the runner page is valid HTML"
for part in rules timers webhooks notifications mail; do
	grep -q "id=\"part-$part\"" "$TMP/b" && ok "automation: the page lists the part $part" ||
		fail "automation: no part $part on the page"
done
expect_status "automation: a manager opens it too" 200 -b "$TMP/max" "$BASE/automation"
expect_status "automation: a seller may not" 403 -b "$TMP/sal" "$BASE/automation"
expect_status "automation: signed out, to the sign-in page" 303 "$BASE/automation"

# A change made through a page: every reader moves past its audit row by
# itself, and every part has finished a pass without an error.
curl -s -b "$TMP/ada" "$BASE/customers/accounts/new" -o "$TMP/form.html"
curl -s -b "$TMP/ada" -o /dev/null --data-urlencode "csrf_token=$(csrf_of "$TMP/form.html")" \
	--data-urlencode "name=Runner account $RUN" "$BASE/customers/accounts"
ACC=$($SQL -e "SELECT id FROM accounts WHERE name = 'Runner account $RUN'")
[ -n "$ACC" ] && ok "automation: an account made through the page" || fail "automation: the account was not made"
AID=$($SQL -e "SELECT MAX(id) FROM audit_log WHERE entity = 'account' AND entity_id = '${ACC:-0}'")
behind() { $SQL -e "SELECT COUNT(*) FROM automation_cursors WHERE last_audit_id < ${AID:-0}"; }
for _ in $(seq 1 150); do [ "$(behind)" = 0 ] && break; sleep 0.1; done
[ "$(behind)" = 0 ] && ok "automation: the rules, webhooks and notifications readers all read the change" ||
	fail "automation: $(behind) readers still behind audit row $AID"
busy() { $SQL -e "SELECT COUNT(*) FROM automation_ticks WHERE NOT ok OR ticked_at < UTC_TIMESTAMP() - INTERVAL 120 SECOND"; }
for _ in $(seq 1 100); do [ "$(busy)" = 0 ] && break; sleep 0.1; done
[ "$(busy)" = 0 ] && ok "automation: every part has finished a pass in the last two minutes, without an error" ||
	fail "automation: parts failing or stale: $($SQL -e "SELECT GROUP_CONCAT(name, ':', ok, ':', error) FROM automation_ticks WHERE NOT ok OR ticked_at < UTC_TIMESTAMP() - INTERVAL 120 SECOND")"

expect_status "automation: the runner page through the API" 200 -b "$TMP/ada" "$BASE/api/v1/automation"
python3 - "$TMP/b" "$AID" <<'PY' && ok "automation: the API gives each reader's place and each part's last pass" || fail "automation: the API's cursors or parts: $(head -c 300 "$TMP/b")"
import json, sys
v = json.load(open(sys.argv[1]))
cur = {c["name"]: c for c in v["cursors"]}
assert set(cur) == {"rules", "webhooks", "notifications"}, cur
assert all(c["last_audit_id"] >= int(sys.argv[2]) for c in cur.values()), cur
parts = {p["name"]: p for p in v["parts"]}
assert {"rules", "timers", "webhooks", "notifications", "mail"} <= set(parts), parts
assert all(p.get("ok") is True and not p.get("never") for p in parts.values()), parts
PY
