#!/bin/bash
# Ticket categories: everyone in service sees them, only an admin changes
# them; names are unique; the team for new tickets is kept per category.
. "$(dirname "$0")/lib.sh"
IP=127.0.14.$(( $$ % 250 + 1 ))
RUN=$$
PW='tickets need a category 4'
for who in ada:admin sid:support; do
	echo "$PW" | $CTL user add --email "${who%%:*}-sc$RUN@example.com" --name "${who%%:*} sc$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-sc$RUN@example.com"
done
$SQL -e "INSERT INTO teams (name) VALUES ('Desk sc$RUN')"
TEAM=$($SQL -e "SELECT id FROM teams WHERE name = 'Desk sc$RUN'")
post() { # JAR PATH args...
	jar=$1 path=$2
	shift 2
	curl -s -b "$TMP/$jar" "$BASE/service/categories" -o "$TMP/t.html"
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" "$@" "$BASE$path")
}
expect_status "service: support sees the categories" 200 -b "$TMP/sid" "$BASE/service/categories"
expect_body "service: ... the seeded ones" '>Billing<'
expect_valid_html "service: the categories page is valid HTML"
post sid /service/categories --data-urlencode "name=Returns sc$RUN"
[ "$STATUS" = 403 ] && ok "service: support may not add a category" || fail "service: support add: $STATUS"
post ada /service/categories --data-urlencode "name=Returns sc$RUN" -d team_id=$TEAM
[ "$STATUS" = 303 ] && ok "service: an admin adds a category" || fail "service: add: $STATUS $(head -c 200 "$TMP/b")"
CAT=$($SQL -e "SELECT id FROM ticket_categories WHERE name = 'Returns sc$RUN'")
[ "$($SQL -e "SELECT team_id FROM ticket_categories WHERE id = '$CAT'")" = "$TEAM" ] && ok "service: ... with its team" || fail "service: team not kept"
post ada /service/categories --data-urlencode "name=Returns sc$RUN"
[ "$STATUS" = 409 ] && ok "service: a name is unique" || fail "service: duplicate: $STATUS"
post ada /service/categories -d name= -d team_id=abc
[ "$STATUS" = 422 ] && grep -q 'Enter a name' "$TMP/b" && grep -q 'Choose a team' "$TMP/b" && ok "service: bad values are named" || fail "service: bad values: $STATUS"
post ada /service/categories --data-urlencode "name=Ghost sc$RUN" -d team_id=999999999
[ "$STATUS" = 422 ] && [ -z "$($SQL -e "SELECT id FROM ticket_categories WHERE name = 'Ghost sc$RUN'")" ] && ok "service: a team that does not exist is refused" || fail "service: ghost team: $STATUS"
post ada "/service/categories/$CAT" --data-urlencode "name=Returns and repairs sc$RUN" -d team_id=$TEAM
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(name, '|', team_id, '|', active) FROM ticket_categories WHERE id = $CAT")" = "Returns and repairs sc$RUN|$TEAM|0" ] &&
	ok "service: renamed, and inactive when unticked" || fail "service: update: $STATUS $($SQL -e "SELECT name, team_id, active FROM ticket_categories WHERE id = $CAT")"
expect_status "service: the admin's page keeps each row's team" 200 -b "$TMP/ada" "$BASE/service/categories"
grep -A5 "id=\"category-$CAT\"" "$TMP/b" | grep -q "value=\"$TEAM\" selected" && ok "service: ... chosen in its picker" || fail "service: team not selected in the row"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket_category' AND entity_id = $CAT")" = 2 ] && ok "service: both changes are audited" || fail "service: audit rows"
post ada /service/categories/999999999 --data-urlencode "name=x"
[ "$STATUS" = 404 ] && ok "service: a missing category is a 404" || fail "service: missing: $STATUS"
