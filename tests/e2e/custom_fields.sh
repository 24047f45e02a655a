#!/bin/bash
# Custom fields: an admin defines them (each type; bad definitions are
# refused with 422), contacts and accounts take their values through the
# form and the API (bad values refused with the message next to the
# field), the page and the API show them, a list filters on one, the
# search box finds a text value, and a deleted field leaves the form.
. "$(dirname "$0")/lib.sh"
IP=127.0.6.$(( $$ % 250 + 1 ))
RUN=$$
PW='custom fields fit 7'
# A word of letters only: the search index splits letters from digits.
WORD=hob$(echo $RUN | tr 0-9 a-j)

for who in cfa:admin cfs:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done

# The admin screen: linked from the admin navigation, forms carry the token.
fetch -b "$TMP/cfa" "$BASE/admin/fields"
[ "$STATUS" = 200 ] && ok "custom fields: the admin opens Admin → Custom fields" || fail "custom fields: /admin/fields: $STATUS"
expect_body "custom fields: ... linked from the admin navigation" 'href="/admin/fields"'
expect_valid_html "custom fields: the admin page is valid HTML"
T=$(csrf_of "$TMP/b")
expect_status "custom fields: a sales user may not open it" 403 -b "$TMP/cfs" "$BASE/admin/fields"
expect_status "custom fields: a definition without the form token is refused" 403 -b "$TMP/cfa" \
	-d entity=contact -d label=x -d type=text "$BASE/admin/fields"

define() { # entity label type [choices]
	fetch -b "$TMP/cfa" --data-urlencode "csrf_token=$T" -d "entity=$1" --data-urlencode "label=$2" -d "type=$3" \
		--data-urlencode "choices=${4:-}" -d position=5 "$BASE/admin/fields"
}
define contact "Hobby $RUN" text
[ "$STATUS" = 303 ] && ok "custom fields: a text field is defined" || fail "custom fields: text field: $STATUS $(grep -o 'field-error">[^<]*' "$TMP/b")"
define contact "Shoe size $RUN" number
[ "$STATUS" = 303 ] && ok "custom fields: a number field is defined" || fail "custom fields: number field: $STATUS"
define contact "Met on $RUN" date
[ "$STATUS" = 303 ] && ok "custom fields: a date field is defined" || fail "custom fields: date field: $STATUS"
define contact "Tier $RUN" choice "$(printf 'Gold\nSilver\n\n  Bronze  ')"
[ "$STATUS" = 303 ] && ok "custom fields: a choice field is defined" || fail "custom fields: choice field: $STATUS"
define account "Region code $RUN" text
[ "$STATUS" = 303 ] && ok "custom fields: an account field is defined" || fail "custom fields: account field: $STATUS"
fid() { $SQL -e "SELECT id FROM custom_fields WHERE label = '$1 $RUN'"; }
HOBBY=$(fid Hobby) SHOE=$(fid "Shoe size") MET=$(fid "Met on") TIER=$(fid Tier) REGION=$(fid "Region code")
ch=$($SQL -e "SELECT choices FROM custom_fields WHERE id = $TIER")
[ "$ch" = '["Gold","Silver","Bronze"]' ] && ok "custom fields: choices are stored trimmed, blank lines dropped" || fail "custom fields: choices stored as $ch"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'custom_field' AND action = 'create' AND entity_id IN ($HOBBY, $SHOE, $MET, $TIER, $REGION)")
[ "$n" = 5 ] && ok "custom fields: each definition is audited" || fail "custom fields: $n audit rows for 5 definitions"

# Bad definitions: 422, the message next to the field, the input kept.
define contact "" text
[ "$STATUS" = 422 ] && ok "custom fields: a field without a label is refused with 422" || fail "custom fields: no label: $STATUS"
expect_body "custom fields: ... saying why" 'field-error">Enter a label'
define contact "Kind $RUN" colour
[ "$STATUS" = 422 ] && grep -q 'field-error">Choose a type' "$TMP/b" && ok "custom fields: an unknown type is refused with 422" ||
	fail "custom fields: unknown type: $STATUS"
expect_body "custom fields: ... with the label kept" "value=\"Kind $RUN\""
define contact "Level $RUN" choice ""
[ "$STATUS" = 422 ] && grep -q 'field-error">Enter 1 to 100 different choices' "$TMP/b" &&
	ok "custom fields: a choice field without choices is refused with 422" || fail "custom fields: no choices: $STATUS"
define contact "Level $RUN" choice "$(printf 'A\nA')"
[ "$STATUS" = 422 ] && ok "custom fields: repeated choices are refused" || fail "custom fields: repeated choices: $STATUS"
define lead "Level $RUN" text
[ "$STATUS" = 422 ] && ok "custom fields: an unknown entity is refused" || fail "custom fields: unknown entity: $STATUS"
fetch -b "$TMP/cfa" --data-urlencode "csrf_token=$T" -d "label=" -d position=x "$BASE/admin/fields/$HOBBY"
[ "$STATUS" = 422 ] && grep -q 'field-error">Enter a position' "$TMP/b" && ok "custom fields: a bad edit is refused with 422 in its row" ||
	fail "custom fields: bad edit: $STATUS"
n=$($SQL -e "SELECT COUNT(*) FROM custom_fields WHERE label LIKE 'Level $RUN' OR label LIKE 'Kind $RUN'")
[ "$n" = 0 ] && ok "custom fields: ... and nothing was written" || fail "custom fields: refused definitions wrote $n rows"
# Every worker keeps the list filter's fields until the configuration
# changes: after a new label no worker may show the old one.
for _ in 1 2 3 4 5 6; do curl -s -b "$TMP/cfa" -o /dev/null "$BASE/customers/contacts"; done
fetch -b "$TMP/cfa" --data-urlencode "csrf_token=$T" -d "label=Hobbies $RUN" -d position=1 "$BASE/admin/fields/$HOBBY"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(label, '/', position) FROM custom_fields WHERE id = $HOBBY")" = "Hobbies $RUN/1" ] &&
	ok "custom fields: the label and position are changed" || fail "custom fields: edit: $STATUS"
fresh=0
for _ in 1 2 3 4 5 6; do curl -s -b "$TMP/cfa" "$BASE/customers/contacts" | grep -q ">Hobbies $RUN</option>" && fresh=$((fresh + 1)); done
[ "$fresh" = 6 ] && ok "custom fields: ... and every worker's contact list filter shows the new label at once" ||
	fail "custom fields: $fresh of 6 contact lists show the new label"

# The contact form shows each field with the input its type needs.
fetch -b "$TMP/cfs" "$BASE/customers/contacts/new"
expect_body "custom fields: the contact form has the text field" "<input id=\"cf_$HOBBY\" name=\"cf_$HOBBY\" maxlength=\"500\""
expect_body "custom fields: ... the number field" "id=\"cf_$SHOE\" name=\"cf_$SHOE\" inputmode=\"decimal\""
expect_body "custom fields: ... the date field" "id=\"cf_$MET\" name=\"cf_$MET\" type=\"date\""
expect_body "custom fields: ... and a select for the choice" "<select id=\"cf_$TIER\" name=\"cf_$TIER\">.*<option value=\"Silver\">Silver"
expect_valid_html "custom fields: the contact form is valid HTML"
grep -q "cf_$REGION" "$TMP/b" && fail "custom fields: an account field is on the contact form" || ok "custom fields: ... and not the account's field"
T2=$(csrf_of "$TMP/b")

# Bad values: 422 with the message next to the field, input kept.
fetch -b "$TMP/cfs" --data-urlencode "csrf_token=$T2" -d first_name=Val -d "last_name=Bad $RUN" \
	-d "cf_$SHOE=twelve" -d "cf_$MET=2026-02-30" -d "cf_$TIER=Platinum" \
	--data-urlencode "cf_$HOBBY=$(head -c 501 /dev/zero | tr '\0' x)" "$BASE/customers/contacts"
[ "$STATUS" = 422 ] && ok "custom fields: bad values are refused with 422" || fail "custom fields: bad values: $STATUS"
expect_body "custom fields: ... the number's message" "id=\"error-cf_$SHOE\">Enter a number"
expect_body "custom fields: ... the date's" "id=\"error-cf_$MET\">Enter the date as YYYY-MM-DD"
expect_body "custom fields: ... the choice's" "id=\"error-cf_$TIER\">Choose one of the listed values"
expect_body "custom fields: ... the text's (over 500 characters)" "id=\"error-cf_$HOBBY\">Keep it under 500"
expect_body "custom fields: ... with the input kept" "name=\"cf_$SHOE\" inputmode=\"decimal\" value=\"twelve\""
n=$($SQL -e "SELECT COUNT(*) FROM contacts WHERE last_name = 'Bad $RUN'")
[ "$n" = 0 ] && ok "custom fields: ... and nothing written" || fail "custom fields: a refused form wrote $n contacts"

# Create with values; the page and the audit log have them.
fetch -b "$TMP/cfs" --data-urlencode "csrf_token=$T2" -d first_name=Vera -d "last_name=Custom $RUN" \
	--data-urlencode "cf_$HOBBY=Falconry $WORD" -d "cf_$SHOE=042.50" -d "cf_$MET=2026-03-01" -d "cf_$TIER=Silver" \
	"$BASE/customers/contacts"
[ "$STATUS" = 303 ] && ok "custom fields: a contact is created with custom values" || fail "custom fields: create: $STATUS $(grep -o 'field-error"[^<]*' "$TMP/b")"
ct=$($SQL -e "SELECT id FROM contacts WHERE last_name = 'Custom $RUN'")
row=$($SQL -e "SELECT GROUP_CONCAT(CONCAT(field_id, '=', value_text, '/', COALESCE(value_num, ''), '/', COALESCE(value_date, '')) ORDER BY field_id SEPARATOR ' ') FROM custom_values WHERE entity = 'contact' AND record_id = $ct")
want="$HOBBY=Falconry $WORD// $SHOE=42.5/42.500000/ $MET=2026-03-01//2026-03-01 $TIER=Silver//"
[ "$row" = "$want" ] && ok "custom fields: values are stored typed (the number as 42.5)" || fail "custom fields: stored: $row, wanted $want"
fetch -b "$TMP/cfs" "$BASE/customers/contacts/$ct"
expect_body "custom fields: the record page shows the text value" "name=\"cf_$HOBBY\" maxlength=\"500\" value=\"Falconry $WORD\""
expect_body "custom fields: ... the number" "name=\"cf_$SHOE\" inputmode=\"decimal\" value=\"42.5\""
expect_body "custom fields: ... the date" "name=\"cf_$MET\" type=\"date\" value=\"2026-03-01\""
expect_body "custom fields: ... and the choice selected" "<option value=\"Silver\" selected>Silver"
expect_valid_html "custom fields: the contact page is valid HTML"
a=$($SQL -e "SELECT JSON_UNQUOTE(JSON_EXTRACT(changes, '$.after.cf_$TIER')) FROM audit_log WHERE entity = 'contact' AND entity_id = $ct AND action = 'create'")
[ "$a" = Silver ] && ok "custom fields: the create is audited with the custom values" || fail "custom fields: audit after: $a"

# Update: a changed value is saved and audited; one left out keeps its value.
fetch -b "$TMP/cfs" --data-urlencode "csrf_token=$T2" -d first_name=Vera -d "last_name=Custom $RUN" \
	-d "cf_$TIER=Gold" -d "cf_$SHOE=" "$BASE/customers/contacts/$ct"
[ "$STATUS" = 303 ] && ok "custom fields: the contact is updated" || fail "custom fields: update: $STATUS $(grep -o 'field-error"[^<]*' "$TMP/b")"
row=$($SQL -e "SELECT GROUP_CONCAT(CONCAT(field_id, '=', value_text) ORDER BY field_id SEPARATOR ' ') FROM custom_values WHERE entity = 'contact' AND record_id = $ct")
[ "$row" = "$HOBBY=Falconry $WORD $MET=2026-03-01 $TIER=Gold" ] && ok "custom fields: ... changed, cleared, and untouched values as sent" || fail "custom fields: after update: $row"
ch=$($SQL -e "SELECT JSON_UNQUOTE(JSON_EXTRACT(changes, '$.before.cf_$TIER')), JSON_UNQUOTE(JSON_EXTRACT(changes, '$.after.cf_$TIER')) FROM audit_log WHERE entity = 'contact' AND entity_id = $ct AND action = 'update' ORDER BY id DESC LIMIT 1")
[ "$ch" = "$(printf 'Silver\tGold')" ] && ok "custom fields: the update is audited before and after" || fail "custom fields: update audit: $ch"
fetch -b "$TMP/cfs" --data-urlencode "csrf_token=$T2" -d first_name=Vera -d "last_name=Custom $RUN" \
	-d "cf_$MET=tomorrow" "$BASE/customers/contacts/$ct"
[ "$STATUS" = 422 ] && grep -q "id=\"error-cf_$MET\">Enter the date" "$TMP/b" && grep -q "value=\"tomorrow\"" "$TMP/b" &&
	ok "custom fields: a bad value on the record page is refused with 422, input kept" || fail "custom fields: bad update: $STATUS"

# The API: custom values out as "custom", in as cf_<id>.
curl -s -b "$TMP/cfs" "$BASE/account" -o "$TMP/acct.html"
curl -s -b "$TMP/cfs" -o "$TMP/tok.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/acct.html")" -d name=e2e -d days=7 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/tok.html" | sed 's/.*>//')
fetch -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/customers/contacts/$ct"
expect_body "custom fields: the API returns the text value under custom" "\"custom\":\\{[^}]*\"$HOBBY\":\"Falconry $WORD\""
expect_body "custom fields: ... the choice" "\"$TIER\":\"Gold\""
expect_body "custom fields: ... and a cleared one as null" "\"$SHOE\":null"
fetch -H "Authorization: Bearer $TOKEN" -d first_name=Api -d "last_name=Custom $RUN" -d "cf_$SHOE=-7.25" -d "cf_$TIER=Bronze" \
	"$BASE/api/v1/customers/contacts"
[ "$STATUS" = 303 ] && ok "custom fields: the API creates a contact with custom values" || fail "custom fields: API create: $STATUS $(head -c 300 "$TMP/b")"
api=$($SQL -e "SELECT id FROM contacts WHERE first_name = 'Api' AND last_name = 'Custom $RUN'")
fetch -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/customers/contacts/$api"
expect_body "custom fields: ... and gives a number back as a JSON number" "\"$SHOE\":-7.25[,}]"
fetch -H "Authorization: Bearer $TOKEN" -d first_name=Api -d "cf_$TIER=Wood" "$BASE/api/v1/customers/contacts"
[ "$STATUS" = 422 ] && grep -q "\"cf_$TIER\":\"Choose one" "$TMP/b" && ok "custom fields: the API's 422 names the bad custom field" ||
	fail "custom fields: API 422: $STATUS $(head -c 300 "$TMP/b")"

# The list filter: one custom field's value, in the user's scope.
fetch -b "$TMP/cfs" "$BASE/customers/contacts?cf=$TIER&cv=Gold"
[ "$STATUS" = 200 ] && grep -q "Vera Custom $RUN" "$TMP/b" && ! grep -q "Api Custom $RUN" "$TMP/b" &&
	ok "custom fields: the contact list filters on a choice value" || fail "custom fields: filter Gold: $STATUS"
expect_body "custom fields: ... and the filter form offers the field" "<option value=\"$TIER\" selected>Tier $RUN"
fetch -b "$TMP/cfs" "$BASE/customers/contacts?cf=$SHOE&cv=-7.250"
grep -q "Api Custom $RUN" "$TMP/b" && ! grep -q "Vera Custom $RUN" "$TMP/b" && ok "custom fields: ... on a number, compared as a number" ||
	fail "custom fields: number filter"
fetch -b "$TMP/cfs" "$BASE/api/v1/customers/contacts?cf=$HOBBY&cv=falconry%20${WORD^^}"
grep -q "Vera" "$TMP/b" && ! grep -q '"first_name":"Api"' "$TMP/b" && ok "custom fields: ... on a text value, case aside, through the API" || fail "custom fields: text filter: $(head -c 200 "$TMP/b")"
fetch -b "$TMP/cfs" "$BASE/customers/contacts?cf=$TIER"
grep -q "Vera Custom $RUN" "$TMP/b" && grep -q "Api Custom $RUN" "$TMP/b" && ok "custom fields: ... any value of the field when none is given" || fail "custom fields: any-value filter"
expect_status "custom fields: a nonsense field id is a 400" 400 -b "$TMP/cfs" "$BASE/customers/contacts?cf=abc&cv=x"

# The search box finds a custom text value.
fetch -b "$TMP/cfs" "$BASE/customers/search?q=$WORD"
expect_body "custom fields: the search finds the contact by its custom text" "Vera Custom $RUN"

# Accounts take custom values too.
fetch -b "$TMP/cfs" --data-urlencode "csrf_token=$T2" -d "name=Custom Co $RUN" -d "cf_$REGION=NW-$RUN" "$BASE/customers/accounts"
[ "$STATUS" = 303 ] && ok "custom fields: an account is created with a custom value" || fail "custom fields: account create: $STATUS"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Custom Co $RUN'")
fetch -b "$TMP/cfs" "$BASE/customers/accounts/$acc"
expect_body "custom fields: ... and its page shows it" "name=\"cf_$REGION\" maxlength=\"500\" value=\"NW-$RUN\""
fetch -b "$TMP/cfs" "$BASE/customers?cf=$REGION&cv=NW-$RUN"
grep -q "Custom Co $RUN" "$TMP/b" && ok "custom fields: the account list filters on it" || fail "custom fields: account filter"

# A choice taken off the list stays on the records that have it, until changed.
fetch -b "$TMP/cfa" --data-urlencode "csrf_token=$T" -d "label=Tier $RUN" --data-urlencode "choices=$(printf 'Silver\nBronze')" "$BASE/admin/fields/$TIER"
[ "$STATUS" = 303 ] && ok "custom fields: the admin edits the choices" || fail "custom fields: edit choices: $STATUS"
fetch -b "$TMP/cfs" "$BASE/customers/contacts/$ct"
expect_body "custom fields: ... a record keeps its retired choice, shown selected" "<option value=\"Gold\" selected>Gold"
fetch -b "$TMP/cfs" --data-urlencode "csrf_token=$T2" -d first_name=Vera -d "last_name=Custom $RUN" -d "cf_$TIER=Gold" "$BASE/customers/contacts/$ct"
[ "$STATUS" = 303 ] && ok "custom fields: ... and saving the record unchanged is allowed" || fail "custom fields: retired choice save: $STATUS"
fetch -b "$TMP/cfs" --data-urlencode "csrf_token=$T2" -d first_name=Api -d "last_name=Custom $RUN" -d "cf_$TIER=Gold" "$BASE/customers/contacts/$api"
[ "$STATUS" = 422 ] && ok "custom fields: ... but no other record may take it" || fail "custom fields: retired choice on another: $STATUS"

# A deleted field leaves the form and the API; its values stay.
expect_status "custom fields: deleting a field without the token is refused" 403 -b "$TMP/cfa" -X POST "$BASE/admin/fields/$HOBBY/delete"
fetch -b "$TMP/cfa" --data-urlencode "csrf_token=$T" "$BASE/admin/fields/$HOBBY/delete"
[ "$STATUS" = 303 ] && ok "custom fields: the admin deletes a field" || fail "custom fields: delete: $STATUS"
fetch -b "$TMP/cfs" "$BASE/customers/contacts/new"
grep -q "cf_$HOBBY" "$TMP/b" && fail "custom fields: a deleted field is still on the form" || ok "custom fields: ... it leaves the form"
fetch -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/customers/contacts/$ct"
grep -q "\"$HOBBY\":" "$TMP/b" && fail "custom fields: a deleted field is still in the API" || ok "custom fields: ... and the API"
n=$($SQL -e "SELECT COUNT(*) FROM custom_values WHERE field_id = $HOBBY")
[ "$n" = 1 ] && ok "custom fields: ... and its values are kept" || fail "custom fields: $n values kept"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'custom_field' AND entity_id = $HOBBY AND action = 'delete'")
[ "$n" = 1 ] && ok "custom fields: ... and the deletion is audited" || fail "custom fields: delete audit rows: $n"
fetch -b "$TMP/cfa" --data-urlencode "csrf_token=$T" "$BASE/admin/fields/$HOBBY/restore"
fetch -b "$TMP/cfs" "$BASE/customers/contacts/$ct"
expect_body "custom fields: a restored field is back with its value" "value=\"Falconry $WORD\""
# Leave the shared stack's forms as they were.
for f in $HOBBY $SHOE $MET $TIER $REGION; do $SQL -e "UPDATE custom_fields SET active = FALSE WHERE id = $f"; done
