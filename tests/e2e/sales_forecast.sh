#!/bin/bash
# The forecast and quotas: a known set of deals, stage history and orders
# (tests/e2e/sales_forecast_oracle.py makes them and computes every figure
# on its own: exact cents for the pipeline three ways, quota attainment,
# the accuracy of a past month from the history, exact least squares for
# the trend), checked against /api/v1/sales/forecast as each role sees it;
# the quota grid, who may change it, and what it refuses.
. "$(dirname "$0")/lib.sh"
RUN=$$
PW='forecasts are guesses 9'
ORACLE="python3 $(dirname "$0")/sales_forecast_oracle.py"

# Sellers ana and ben and their manager boss in one team; cal sells alone;
# adm sees everything. Each signs in from its own loopback address.
TEAM_ID=$($SQL -e "INSERT INTO teams (name) VALUES ('Forecast $RUN'); SELECT LAST_INSERT_ID()")
n=0
for who in adm:admin boss:manager ana:sales ben:sales cal:sales; do
	n=$((n + 1))
	u=${who%%:*}
	echo "$PW" | $CTL user add --email "$u-$RUN@example.com" --name "$u $RUN" --role "${who#*:}" --password-stdin >/dev/null
	IP=127.0.12.$(( (RUN + n) % 250 + 1 ))
	signin "$TMP/$u" "$u-$RUN@example.com"
	eval "${u}_id=\$(\$SQL -e \"SELECT id FROM users WHERE email = '$u-$RUN@example.com'\")"
done
$SQL -e "UPDATE users SET team_id = $TEAM_ID WHERE id IN ($boss_id, $ana_id, $ben_id)"

# A pipeline of the test's own, so the stage conversion it learns comes
# from these deals alone.
$SQL -e "INSERT INTO pipelines (name) VALUES ('Forecast $RUN')"
PIPE=$($SQL -e "SELECT id FROM pipelines WHERE name = 'Forecast $RUN'")
$SQL -e "INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind) VALUES
	($PIPE, 'S1', 1, 10.00, 'open'), ($PIPE, 'S2', 2, 40.00, 'open'), ($PIPE, 'S3', 3, 70.00, 'open'),
	($PIPE, 'Won', 4, 100.00, 'won'), ($PIPE, 'Lost', 5, 0.00, 'lost')"
st() { $SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $PIPE AND name = '$1'"; }
ACCOUNT=$($SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Forecast $RUN', $adm_id); SELECT LAST_INSERT_ID()")
MONTH=$(date -u +%Y-%m)
# The quota months: next month for ana, this month for ben (their years
# may differ in December).
read -r NEXT NEXT_YEAR NEXT_M THIS_YEAR THIS_M <<<"$(python3 -c "
y, m = map(int, '$MONTH'.split('-')); n = y * 12 + m
print('%04d-%02d' % (n // 12, n % 12 + 1), n // 12, n % 12 + 1, y, m)")"
cat > "$TMP/ids.json" <<JSON
{"run": "$RUN", "month": "$MONTH", "pipeline": $PIPE, "account": $ACCOUNT,
 "users": {"adm": $adm_id, "boss": $boss_id, "ana": $ana_id, "ben": $ben_id, "cal": $cal_id},
 "stages": {"S1": $(st S1), "S2": $(st S2), "S3": $(st S3), "W": $(st Won), "L": $(st Lost)},
 "quotas": [["ana", "$NEXT", "10000.00"], ["ben", "$MONTH", "20000.00"]]}
JSON
$ORACLE make "$TMP/ids.json" "$TMP/rows.sql" && $SQL < "$TMP/rows.sql"
n=$($SQL -e "SELECT COUNT(*) FROM opportunities WHERE name LIKE 'FC $RUN %'")
[ "$n" = 26 ] && ok "forecast: the test's 26 deals are in" || fail "forecast: $n deals inserted, wanted 26"

# Quotas: a seller sees their own row and cannot change it.
fetch -b "$TMP/ana" "$BASE/sales/quotas?year=$NEXT_YEAR"
[ "$STATUS" = 200 ] && ok "quotas: a seller sees the quota page" || fail "quotas: seller page: $STATUS"
expect_valid_html "quotas: the page is valid HTML"
expect_body "quotas: ... in the sales navigation" 'href="/sales/quotas" aria-current="page"'
grep -q "ana $RUN" "$TMP/b" && ! grep -q "ben $RUN" "$TMP/b" && ! grep -q '<input name="q_' "$TMP/b" &&
	ok "quotas: ... with only their own row, and nothing to edit" || fail "quotas: a seller's grid shows others or inputs"
T=$(csrf_of "$TMP/b")
expect_status "quotas: a seller may not set quotas" 403 -b "$TMP/ana" --data-urlencode "csrf_token=$T" \
	-d year="$NEXT_YEAR" -d "q_${ana_id}_$NEXT_M=99999" "$BASE/sales/quotas"
fetch -b "$TMP/boss" "$BASE/sales/quotas?year=$NEXT_YEAR"
T=$(csrf_of "$TMP/b")
grep -q "name=\"q_${ana_id}_1\"" "$TMP/b" && grep -q "name=\"q_${ben_id}_12\"" "$TMP/b" &&
	! grep -q "name=\"q_${cal_id}_" "$TMP/b" && ok "quotas: a manager edits the team's grid, twelve months each" ||
	fail "quotas: the manager's grid lacks the team or shows cal"
expect_status "quotas: a save without the form token is refused" 403 -b "$TMP/boss" -d year="$NEXT_YEAR" \
	-d "q_${ana_id}_$NEXT_M=1" "$BASE/sales/quotas"
fetch -b "$TMP/boss" --data-urlencode "csrf_token=$T" -d year="$NEXT_YEAR" -d "q_${ana_id}_$NEXT_M=10000.00" \
	-d "q_${ben_id}_1=12,5" -d "q_${ben_id}_2=-5" "$BASE/sales/quotas"
[ "$STATUS" = 422 ] && ok "quotas: amounts that are not money are refused with 422" || fail "quotas: bad amounts: $STATUS"
expect_body "quotas: ... next to the cell" 'name="q_'"$ben_id"'_1" value="12,5"[^>]*><span class="field-error">'
n=$($SQL -e "SELECT COUNT(*) FROM quotas WHERE user_id IN ($ana_id, $ben_id)")
[ "$n" = 0 ] && ok "quotas: ... and none of the grid was saved" || fail "quotas: a refused grid saved $n quotas"
fetch -b "$TMP/boss" --data-urlencode "csrf_token=$T" -d year="$NEXT_YEAR" -d "q_${ana_id}_$NEXT_M=10000.00" \
	-d "q_${ana_id}_$(( NEXT_M % 12 + 1 ))=777" -d "q_${cal_id}_$NEXT_M=5000" "$BASE/sales/quotas"
[ "$STATUS" = 303 ] && ok "quotas: a manager saves the grid" || fail "quotas: save: $STATUS $(head -c 300 "$TMP/b")"
v=$($SQL -e "SELECT amount FROM quotas WHERE user_id = $ana_id AND month = '$NEXT-01'")
[ "$v" = 10000.00 ] && ok "quotas: ... exactly" || fail "quotas: ana's quota is '$v'"
n=$($SQL -e "SELECT COUNT(*) FROM quotas WHERE user_id = $cal_id")
[ "$n" = 0 ] && ok "quotas: ... and a user outside the team is left alone" || fail "quotas: cal got $n quotas from boss"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'quota' AND entity_id = $ana_id AND user_id = $boss_id")
[ "$n" = 1 ] && ok "quotas: ... with one audit row for the seller" || fail "quotas: $n audit rows"
# Emptying a cell removes that month's quota; the others stay.
fetch -b "$TMP/boss" --data-urlencode "csrf_token=$T" -d year="$NEXT_YEAR" -d "q_${ana_id}_$(( NEXT_M % 12 + 1 ))=" \
	"$BASE/sales/quotas"
n=$($SQL -e "SELECT COUNT(*) FROM quotas WHERE user_id = $ana_id")
[ "$STATUS" = 303 ] && [ "$n" = 1 ] && ok "quotas: an empty cell removes the quota, the rest stays" ||
	fail "quotas: emptying: $STATUS, $n quotas left"
fetch -b "$TMP/boss" "$BASE/sales/quotas?year=$THIS_YEAR"
fetch -b "$TMP/boss" --data-urlencode "csrf_token=$(csrf_of "$TMP/b")" -d year="$THIS_YEAR" \
	-d "q_${ben_id}_$THIS_M=20000" "$BASE/sales/quotas"
fetch -b "$TMP/boss" "$BASE/api/v1/sales/quotas?year=$THIS_YEAR"
python3 -c "
import json, sys
v = json.load(open('$TMP/b'))
ids = [u['id'] for u in v['users']]
ben = [u for u in v['users'] if u['id'] == $ben_id][0]
sys.exit(0 if $ana_id in ids and $cal_id not in ids and ben['cells'][$THIS_M - 1]['amount'] == '20000.00' else 1)" &&
	ok "quotas: the API gives the team's grid with ben's quota" || fail "quotas: API grid: $(head -c 300 "$TMP/b")"
# The whole grid saved as a browser sends it: twelve fields a seller, more
# than a form's 256 once there are 22 sellers (there are at least 30 here).
$SQL -e "INSERT INTO users (email, name, password_hash, role_id)
	SELECT CONCAT('grid-', seq, '-$RUN@example.com'), CONCAT('grid ', seq, ' $RUN'), '!', r.id
	FROM seq_1_to_30 JOIN roles r ON r.name = 'sales'"
grid_id=$($SQL -e "SELECT id FROM users WHERE email = 'grid-1-$RUN@example.com'")
fetch -b "$TMP/adm" "$BASE/sales/quotas?year=$NEXT_YEAR"
python3 - "$TMP/b" "$grid_id" 1 > "$TMP/grid.txt" <<'PY'
import html, re, sys, urllib.parse
page = open(sys.argv[1], encoding='utf-8').read()
fields = [(n, html.unescape(v)) for n, v in re.findall(r'<input name="(q_\d+_\d+)"[^>]*value="([^"]*)"', page)]
fields = [(n, '4321.00' if n == 'q_%s_%s' % (sys.argv[2], sys.argv[3]) else v) for n, v in fields]
sys.stdout.write(urllib.parse.urlencode(fields))
PY
cells=$(tr '&' '\n' < "$TMP/grid.txt" | grep -c '^q_')
fetch -b "$TMP/adm" --data-urlencode "csrf_token=$(csrf_of "$TMP/b")" -d year="$NEXT_YEAR" --data-binary "@$TMP/grid.txt" \
	-H 'Content-Type: application/x-www-form-urlencoded' "$BASE/sales/quotas"
v=$($SQL -e "SELECT amount FROM quotas WHERE user_id = $grid_id AND month = '$NEXT_YEAR-01-01'")
[ "$STATUS" = 303 ] && [ "$cells" -ge 360 ] && [ "$v" = 4321.00 ] &&
	ok "quotas: the whole grid of $cells cells saves in one form" || fail "quotas: whole grid ($cells cells): $STATUS, the cell holds '$v'"
$SQL -e "UPDATE users SET active = FALSE WHERE email LIKE 'grid-%-$RUN@example.com'"
expect_status "quotas: a year out of range is refused" 400 -b "$TMP/boss" "$BASE/sales/quotas?year=1999"

# The forecast as each role sees it: the oracle checks every figure.
for who in ana boss adm cal; do
	fetch -b "$TMP/$who" "$BASE/api/v1/sales/forecast?from=$MONTH&months=3"
	if [ "$STATUS" = 200 ]; then
		cp "$TMP/b" "$TMP/view-$who.json"
		$ORACLE check "$TMP/ids.json" "$who" "$TMP/view-$who.json"
	else
		fail "forecast: $who gets $STATUS"
	fi
done
fetch -b "$TMP/ben" "$BASE/api/v1/sales/forecast"
python3 - "$TMP/b" <<PY && ok "forecast: by default six months from this one" || fail "forecast: default window: $(head -c 200 "$TMP/b")"
import json, sys
v = json.load(open(sys.argv[1]))
sys.exit(0 if [m["month"] for m in v["months"]][:1] == ["$MONTH"] and len(v["months"]) == 6 else 1)
PY
# ben's 15 months of orders: the quarter terms.
cp "$TMP/b" "$TMP/view-ben.json"
python3 -c "
import json, sys
sys.path.insert(0, '$(dirname "$0")')
import sales_forecast_oracle as o
o.trend(json.load(open('$TMP/ids.json')), 'ben', json.load(open('$TMP/view-ben.json'))['trend'])"

# The page: the same figures in HTML, the chart as inline SVG.
fetch -b "$TMP/ana" "$BASE/sales/forecast?from=$MONTH&months=3"
[ "$STATUS" = 200 ] && ok "forecast: the page" || fail "forecast: page: $STATUS"
expect_valid_html "forecast: the page is valid HTML"
expect_body "forecast: ... in the sales navigation" 'href="/sales/forecast" aria-current="page"'
expect_body "forecast: ... with the chart's dashed projection" '<polyline points="[0-9., ]+" fill="none" stroke="#dc2626" stroke-width="2" stroke-dasharray="6 4"/>'
expect_body "forecast: ... and month labels on its axis" "text-anchor=\"middle\"[^>]*>$(python3 -c "
y, m = map(int, '$MONTH'.split('-')); n = y * 12 + m - 1 - 30; print('%04d-%02d' % (n // 12, n % 12 + 1))")<"
sed -n '/<svg/,/<\/svg>/p' "$TMP/b" > "$TMP/svg"
[ -s "$TMP/svg" ] && ! grep -qiE '<script|on[a-z]+=' "$TMP/svg" && ok "forecast: ... drawn without any script" ||
	fail "forecast: the chart is missing or scripted"
expect_body "forecast: ... with ana's weighted figure in her language's money" '\$975\.05'
for bad in "months=0" "months=25" "from=2026-13" "from=26-01" "from=2026-%201" "months=six"; do
	expect_status "forecast: $bad is refused" 400 -b "$TMP/ana" "$BASE/sales/forecast?$bad"
done
expect_status "forecast: signed out, to the sign-in page" 303 "$BASE/sales/forecast"
