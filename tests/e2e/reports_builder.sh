#!/bin/bash
# The report builder: the form and its preview (table, chart, CSV), field
# errors (422) for every bad part, injection kept a value, saving and
# sharing with a role, who may see a report (owner, shared role: others
# 404), who may change it (the owner), the reader's record scope in the
# figures (own, team), counts and sums checked against SQL, the CSV equal
# to the table, the JSON API, CSRF, and the audit of every write.
. "$(dirname "$0")/lib.sh"
IP=127.0.74.$(( $$ % 250 + 1 ))
RUN=$$
PW='reports add it all up 8'

for who in sam:sales sue:sales max:manager mia:marketing sup:support; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-$RUN@example.com'"; }
sam=$(uid sam) sue=$(uid sue)
role() { $SQL -e "SELECT id FROM roles WHERE name = '$1'"; }
# sam and max are a team; sue is not in it.
$SQL -e "INSERT INTO teams (name) VALUES ('Builder team $RUN');
	UPDATE users SET team_id = LAST_INSERT_ID() WHERE email IN ('sam-$RUN@example.com', 'max-$RUN@example.com')"

# Records: one account, three orders of sam's and one of sue's.
ACC="BAcc $RUN"
$SQL -e "INSERT INTO accounts (name, owner_id, city) VALUES ('$ACC', $sam, 'Reportville')"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = '$ACC'")
order() {
	$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, status)
		VALUES ('RB-$RUN-$1', $acc, 'USD', '$2', $3, 0, $3, $3, $4, '$5')"
}
order 1 2026-01-15 100.50 "$sam" delivered
order 2 2026-02-10 200.25 "$sam" delivered
order 3 2026-02-11 50.00 "$sam" cancelled
order 4 2026-02-20 999.99 "$sue" shipped

# The table of a JSON answer, the HTML table, and a CSV, as tab-separated
# lines, so that each can be compared with the others and with SQL.
json_rows() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print("\n".join("\t".join(c["text"] for c in r["cells"]) for r in d["result"]["rows"]))' "$1"
}
html_rows() {
	python3 -c 'import re,sys,html
t = open(sys.argv[1], encoding="utf-8").read()
t = t[t.index("id=\"report-table\""):]
t = t[t.index("<tbody>"):t.index("</tbody>")]
for r in re.findall(r"<tr>(.*?)</tr>", t, re.S):
    print("\t".join(html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)))' "$1"
}
csv_rows() {
	python3 -c 'import csv,sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print("\n".join("\t".join(r) for r in rows[int(sys.argv[2]):]))' "$1" "${2:-1}"
}

curl -s -b "$TMP/sam" "$BASE/reports/saved/new" -o "$TMP/new.html"
T=$(csrf_of "$TMP/new.html")
grep -q 'id="report-entity-form"' "$TMP/new.html" && ! grep -q 'id="report-form"' "$TMP/new.html" &&
	ok "builder: a new report starts by choosing its records" || fail "builder: the entity chooser is missing"
fetch -b "$TMP/sam" "$BASE/reports/saved/new?entity=orders"
grep -q '<option value="total_base">' "$TMP/b" && grep -q '<option value="ordered_on">' "$TMP/b" &&
	! grep -q '<option value="priority">' "$TMP/b" &&
	ok "builder: the form offers the chosen entity's fields only" || fail "builder: orders' fields not offered"
expect_valid_html "builder: the form is valid HTML"
# A status's values, as the form lists them, are the column's, in its order.
enum=$($SQL -e "SELECT REPLACE(REPLACE(REPLACE(column_type, 'enum(', ''), ')', ''), CHAR(39), '') FROM information_schema.columns
	WHERE table_schema = DATABASE() AND table_name = 'orders' AND column_name = 'status'")
grep -q "<li>Status: ${enum//,/, }</li>" "$TMP/b" && ok "builder: the form lists the status's values, as the database has them" ||
	fail "builder: status values: $(grep -o '<li>Status:[^<]*' "$TMP/b") vs $enum"
T=$(csrf_of "$TMP/b")
cp "$TMP/b" "$TMP/form.html"
# sup (support) has no sales.read: orders are not on their menu.
fetch -b "$TMP/sup" "$BASE/reports/saved/new"
[ "$STATUS" = 403 ] && ok "builder: a role without reports.write gets no builder (403)" || fail "builder: support got $STATUS"

# The orders of the account, as the form posts them.
base_form() {
	echo "--data-urlencode csrf_token=$T -d entity=orders --data-urlencode f0_field=account -d f0_op=eq"
}
ACCQ="f0_value=$ACC"

# Preview: the result without saving.
fetch -b "$TMP/sam" $(base_form) --data-urlencode "$ACCQ" -d measure=sum -d field=total_base -d group1=status \
	-d "name=Sums $RUN" -d preview=1 "$BASE/reports/saved"
[ "$STATUS" = 200 ] && grep -q 'id="report-preview"' "$TMP/b" && grep -q 'chart chart-bar' "$TMP/b" &&
	ok "builder: a preview shows the result with a bar chart for one group" || fail "builder: preview: $STATUS"
[ "$(html_rows "$TMP/b")" = "$(printf 'delivered\t300.75\ncancelled\t50.00')" ] &&
	ok "builder: the preview's sums by status (in the status's own order) are sam's own orders only" || fail "builder: preview rows: $(html_rows "$TMP/b")"
[ "$($SQL -e "SELECT COUNT(*) FROM saved_reports WHERE name = 'Sums $RUN'")" = 0 ] &&
	ok "builder: ... and a preview stores nothing" || fail "builder: a preview stored a report"
expect_valid_html "builder: the preview is valid HTML"
cp "$TMP/b" "$TMP/preview.html"
csvurl=$(grep -o 'id="preview-csv"' "$TMP/preview.html" >/dev/null && grep -o 'href="/reports/saved/csv?definition=[^"]*"' "$TMP/preview.html" | sed 's/^href="//;s/"$//;s/&amp;/\&/g')
fetch -b "$TMP/sam" "$BASE$csvurl"
cp "$TMP/b" "$TMP/preview.csv"
[ "$STATUS" = 200 ] && [ "$(csv_rows "$TMP/preview.csv")" = "$(html_rows "$TMP/preview.html")" ] &&
	expect_header "builder: the preview's CSV is its table, as an attachment" 'Content-Disposition: attachment; filename="report.csv"' ||
	fail "builder: preview CSV: $STATUS $(head -c 200 "$TMP/preview.csv")"
expect_status "builder: a preview CSV of no definition is a 422" 422 -b "$TMP/sam" "$BASE/reports/saved/csv?definition=%7B%7D"

# A period: a line over the months.
fetch -b "$TMP/sam" $(base_form) --data-urlencode "$ACCQ" -d measure=sum -d field=total_base -d bucket=month \
	-d date_field=ordered_on -d preview=1 "$BASE/reports/saved"
[ "$STATUS" = 200 ] && grep -q 'chart chart-line' "$TMP/b" &&
	[ "$(html_rows "$TMP/b")" = "$(printf '2026-01\t100.50\n2026-02\t250.25')" ] &&
	ok "builder: by month, a line chart and the month's sums" || fail "builder: months: $STATUS $(html_rows "$TMP/b")"
fetch -b "$TMP/sam" $(base_form) --data-urlencode "$ACCQ" -d measure=count -d bucket=week -d date_field=ordered_on \
	-d group1=status -d preview=1 "$BASE/reports/saved"
[ "$(html_rows "$TMP/b")" = "$(printf '2026-01-12\tdelivered\t1\n2026-02-09\tdelivered\t1\n2026-02-09\tcancelled\t1')" ] &&
	ok "builder: by week (named by its Monday) and status, counted" || fail "builder: weeks: $(html_rows "$TMP/b")"

# Every bad part is a 422 with its field error, and nothing is stored.
bad() {
	name=$1 id=$2
	shift 2
	fetch -b "$TMP/sam" --data-urlencode "csrf_token=$T" "$@" -d "name=Bad $RUN" "$BASE/reports/saved"
	[ "$STATUS" = 422 ] && grep -q "id=\"error-$id\"" "$TMP/b" && ok "builder: 422 for $name" ||
		fail "builder: $name: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b" | head -3)"
}
bad "an unknown entity" entity -d entity=users -d measure=count
bad "an unknown measure" measure -d entity=orders -d measure=max
bad "a sum of nothing" field -d entity=orders -d measure=sum
bad "a sum of a text field" field -d entity=orders -d measure=sum -d field=status
bad "a field of another entity" group_by -d entity=orders -d measure=count -d group1=priority
bad "a group by an amount" group_by -d entity=orders -d measure=count -d group1=total_base
bad "two groups and a period" group_by -d entity=orders -d measure=count -d group1=status -d group2=owner \
	-d bucket=month -d date_field=ordered_on
bad "an unknown period" bucket -d entity=orders -d measure=count -d bucket=hour -d date_field=ordered_on
bad "a period over a text" date_field -d entity=orders -d measure=count -d bucket=month -d date_field=status
bad "an operator the field does not take" filters -d entity=orders -d measure=count -d f0_field=status -d f0_op=contains -d f0_value=x
bad "a status that does not exist" filters -d entity=orders -d measure=count -d f0_field=status -d f0_op=eq -d f0_value=lost
bad "a bad date" filters -d entity=orders -d measure=count -d f0_field=ordered_on -d f0_op=lt -d f0_value=2026-13-01
bad "a bad amount" filters -d entity=orders -d measure=count -d f0_field=total_base -d f0_op=gt -d f0_value=1e9
bad "SQL as a field name" filters -d entity=orders -d measure=count --data-urlencode "f0_field=status) OR (1=1" -d f0_op=eq -d f0_value=x
bad "SQL as an operator" filters -d entity=orders -d measure=count -d f0_field=account --data-urlencode "f0_op== ? OR 1=1 --" -d f0_value=x
bad "a name left empty" name -d entity=orders -d measure=count -d name=
bad "a name of 101 characters" name -d entity=orders -d measure=count -d "name=$(printf 'n%.0s' $(seq 101))"
bad "a role that does not exist" shared_role_id -d entity=orders -d measure=count -d shared_role_id=999999
grep -q 'value="999999"' "$TMP/b"; grep -q '<option value="orders" selected>' "$TMP/b" &&
	ok "builder: the form comes back with what was chosen" || fail "builder: the form lost its values"
[ "$($SQL -e "SELECT COUNT(*) FROM saved_reports WHERE name = 'Bad $RUN'")" = 0 ] &&
	ok "builder: ... and no bad report is stored" || fail "builder: a bad report was stored"
# A value that is SQL is only a value: nothing matches it.
fetch -b "$TMP/sam" --data-urlencode "csrf_token=$T" -d entity=orders -d measure=count -d f0_field=account -d f0_op=eq \
	--data-urlencode "f0_value=x' OR '1'='1" -d group1=status -d preview=1 "$BASE/reports/saved"
[ "$STATUS" = 200 ] && [ -z "$(html_rows "$TMP/b" | grep -v 'No records')" ] &&
	ok "builder: SQL typed as a value matches nothing" || fail "builder: injection value: $STATUS $(html_rows "$TMP/b" | head -3)"

# CSRF: a post without the form token is refused before anything runs.
expect_status "builder: saving without the form token is refused (403)" 403 -b "$TMP/sam" -d entity=orders \
	-d measure=count -d "name=NoToken $RUN" "$BASE/reports/saved"
[ "$($SQL -e "SELECT COUNT(*) FROM saved_reports WHERE name = 'NoToken $RUN'")" = 0 ] &&
	ok "builder: ... and nothing is stored" || fail "builder: stored without a token"

# Save: sums by status, not shared yet.
fetch -b "$TMP/sam" $(base_form) --data-urlencode "$ACCQ" -d measure=sum -d field=total_base -d group1=status \
	-d "name=Sums $RUN" -d shared_role_id= "$BASE/reports/saved"
r1=$($SQL -e "SELECT id FROM saved_reports WHERE name = 'Sums $RUN' AND owner_id = $sam")
[ "$STATUS" = 303 ] && [ -n "$r1" ] && grep -qi "^location: /reports/saved/$r1?done=created" "$TMP/h" &&
	ok "builder: sam saves the report" || fail "builder: save: $STATUS"
[ "$($SQL -e "SELECT CONCAT(JSON_VALUE(definition, '$.entity'), ' ', JSON_VALUE(definition, '$.field'), ' ',
	JSON_VALUE(definition, '$.filters[0].value'), ' ', IFNULL(shared_role_id, '-')) FROM saved_reports WHERE id = $r1")" = "orders total_base $ACC -" ] &&
	ok "builder: stored as its parts, not as SQL" || fail "builder: stored definition: $($SQL -e "SELECT definition FROM saved_reports WHERE id = $r1")"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'saved_report' AND entity_id = $r1 AND action = 'create' AND user_id = $sam")" = 1 ] &&
	ok "builder: the creation is audited" || fail "builder: no audit row for the creation"

# The report's page: chart and table; figures against SQL; the CSV.
fetch -b "$TMP/sam" "$BASE/reports/saved/$r1"
cp "$TMP/b" "$TMP/show.html"
[ "$STATUS" = 200 ] && grep -q 'chart chart-bar' "$TMP/show.html" && grep -q "Sums $RUN" "$TMP/show.html" &&
	ok "builder: the report's page shows its chart" || fail "builder: show: $STATUS"
expect_valid_html "builder: the report's page is valid HTML"
want=$($SQL -e "SELECT o.status, SUM(o.total_base) FROM orders o JOIN accounts a ON a.id = o.account_id
	WHERE a.name = '$ACC' AND o.owner_id = $sam GROUP BY o.status ORDER BY o.status")
[ "$(html_rows "$TMP/show.html")" = "$want" ] && ok "builder: the sums are SQL's over sam's own orders" ||
	fail "builder: sums $(html_rows "$TMP/show.html") vs $want"
fetch -b "$TMP/sam" "$BASE/api/v1/reports/saved/$r1"
[ "$STATUS" = 200 ] && [ "$(json_rows "$TMP/b")" = "$want" ] &&
	ok "builder: the API answers the same table" || fail "builder: API rows: $STATUS $(head -c 200 "$TMP/b")"
fetch -b "$TMP/sam" "$BASE/reports/saved/$r1/csv"
cp "$TMP/b" "$TMP/r1.csv"
[ "$STATUS" = 200 ] && [ "$(csv_rows "$TMP/r1.csv")" = "$(html_rows "$TMP/show.html")" ] &&
	[ "$(csv_rows "$TMP/r1.csv" 0 | sed -n 1p)" = "$(printf 'Status\tSum: Total in the base currency')" ] &&
	expect_header "builder: the CSV is the table with its headings, named after the report" \
	"Content-Disposition: attachment; filename=\"report-$r1.csv\"" || fail "builder: CSV: $STATUS $(head -c 200 "$TMP/r1.csv")"
expect_header "builder: ... as text/csv" 'Content-Type: text/csv'

# Two groups: owner and status, counted, shared with the manager role.
fetch -b "$TMP/sam" $(base_form) --data-urlencode "$ACCQ" -d measure=count -d group1=owner -d group2=status \
	-d "name=Counts $RUN" -d "shared_role_id=$(role manager)" "$BASE/reports/saved"
r2=$($SQL -e "SELECT id FROM saved_reports WHERE name = 'Counts $RUN'")
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT shared_role_id FROM saved_reports WHERE id = $r2")" = "$(role manager)" ] &&
	ok "builder: a report shared with the manager role" || fail "builder: share with managers: $STATUS"
fetch -b "$TMP/sam" "$BASE/reports/saved/$r2"
grep -q 'chart chart-stacked' "$TMP/b" && ok "builder: two groups draw stacked bars" || fail "builder: no stacked chart"
# max (manager, team scope, sam's team) sees it, with his team's orders.
fetch -b "$TMP/max" "$BASE/reports/saved/$r2"
want=$($SQL -e "SELECT u.name, o.status, COUNT(*) FROM orders o JOIN accounts a ON a.id = o.account_id JOIN users u ON u.id = o.owner_id
	WHERE a.name = '$ACC' AND u.team_id = (SELECT team_id FROM users WHERE id = $sam) GROUP BY u.name, o.status ORDER BY u.name, o.status")
[ "$STATUS" = 200 ] && [ "$(html_rows "$TMP/b")" = "$want" ] && [ "$(echo "$want" | wc -l)" = 2 ] &&
	ok "builder: a manager sees a report shared with his role, over his team's orders" ||
	fail "builder: max: $STATUS $(html_rows "$TMP/b") vs $want"
fetch -b "$TMP/max" "$BASE/reports/saved"
grep -q "/reports/saved/$r2\"" "$TMP/b" && ! grep -q "/reports/saved/$r1\"" "$TMP/b" &&
	ok "builder: his list holds the shared report and not the other" || fail "builder: max's list"
expect_status "builder: ... but he may not edit it (403)" 403 -b "$TMP/max" "$BASE/reports/saved/$r2/edit"

# Share the first with the sales role: sue sees it, with her own orders.
fetch -b "$TMP/sam" "$BASE/reports/saved/$r1/edit"
grep -q "value=\"Sums $RUN\"" "$TMP/b" && grep -q '<option value="status" selected>' "$TMP/b" &&
	ok "builder: the edit form holds the report" || fail "builder: edit form"
expect_valid_html "builder: the edit form is valid HTML"
fetch -b "$TMP/sam" $(base_form) --data-urlencode "$ACCQ" -d measure=sum -d field=total_base -d group1=status \
	-d "name=Sums $RUN" -d "shared_role_id=$(role sales)" "$BASE/reports/saved/$r1"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT shared_role_id FROM saved_reports WHERE id = $r1")" = "$(role sales)" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'saved_report' AND entity_id = $r1 AND action = 'update'")" = 1 ] &&
	ok "builder: the owner shares it with the sales role, audited" || fail "builder: share: $STATUS"
fetch -b "$TMP/sue" "$BASE/reports/saved/$r1"
want=$($SQL -e "SELECT o.status, SUM(o.total_base) FROM orders o JOIN accounts a ON a.id = o.account_id
	WHERE a.name = '$ACC' AND o.owner_id = $sue GROUP BY o.status ORDER BY o.status")
[ "$STATUS" = 200 ] && [ "$(html_rows "$TMP/b")" = "$want" ] && [ "$want" = "$(printf 'shipped\t999.99')" ] &&
	ok "builder: sue (sales) sees the shared report, over her own orders only" || fail "builder: sue: $STATUS $(html_rows "$TMP/b")"
fetch -b "$TMP/sue" "$BASE/reports/saved"
grep -q "/reports/saved/$r1\"" "$TMP/b" && ! grep -q "/reports/saved/$r2\"" "$TMP/b" &&
	ok "builder: sue's list holds the report shared with her role only" || fail "builder: sue's list"
expect_status "builder: sue may not edit sam's report (403)" 403 -b "$TMP/sue" "$BASE/reports/saved/$r1/edit"
curl -s -b "$TMP/sue" "$BASE/reports/saved" -o "$TMP/sue.html"
ST=$(csrf_of "$TMP/sue.html")
[ -z "$ST" ] && { curl -s -b "$TMP/sue" "$BASE/account" -o "$TMP/sue.html"; ST=$(csrf_of "$TMP/sue.html"); }
expect_status "builder: ... nor change it (403)" 403 -b "$TMP/sue" --data-urlencode "csrf_token=$ST" -d entity=orders \
	-d measure=count -d "name=Sue's now" "$BASE/reports/saved/$r1"
expect_status "builder: ... nor delete it (403)" 403 -b "$TMP/sue" --data-urlencode "csrf_token=$ST" "$BASE/reports/saved/$r1/delete"
[ "$($SQL -e "SELECT name FROM saved_reports WHERE id = $r1")" = "Sums $RUN" ] && ok "builder: ... and it is unchanged" ||
	fail "builder: sue changed sam's report"

# mia (marketing) is in neither role: the reports do not exist for her.
expect_status "builder: another role's user gets 404 for a report not shared with her" 404 -b "$TMP/mia" "$BASE/reports/saved/$r1"
expect_status "builder: ... and for its CSV" 404 -b "$TMP/mia" "$BASE/reports/saved/$r1/csv"
expect_status "builder: ... and its edit form" 404 -b "$TMP/mia" "$BASE/reports/saved/$r2/edit"
expect_status "builder: ... and through the API" 404 -b "$TMP/mia" "$BASE/api/v1/reports/saved/$r2"
fetch -b "$TMP/mia" "$BASE/reports/saved"
! grep -q "Sums $RUN\|Counts $RUN" "$TMP/b" && ok "builder: ... nor are they in her list" || fail "builder: mia lists sam's reports"

# The JSON API: a program posts the definition itself.
fetch -b "$TMP/sam" -H "X-CSRF-Token: $T" -H 'Content-Type: application/json' --data "{\"name\":\"Api $RUN\",
	\"shared_role_id\":$(role support),\"definition\":{\"entity\":\"orders\",\"measure\":\"avg\",\"field\":\"total_base\",
	\"filters\":[{\"field\":\"account\",\"op\":\"eq\",\"value\":\"$ACC\"},{\"field\":\"status\",\"op\":\"ne\",\"value\":\"cancelled\"}]}}" \
	"$BASE/api/v1/reports/saved"
r3=$($SQL -e "SELECT id FROM saved_reports WHERE name = 'Api $RUN'")
[ "$STATUS" = 303 ] && [ -n "$r3" ] && ok "builder: the API saves a definition posted as JSON" || fail "builder: API save: $STATUS $(head -c 200 "$TMP/b")"
fetch -b "$TMP/sam" "$BASE/api/v1/reports/saved/$r3"
[ "$(json_rows "$TMP/b")" = "$($SQL -e "SELECT ROUND(AVG(o.total_base), 2) FROM orders o JOIN accounts a ON a.id = o.account_id
	WHERE a.name = '$ACC' AND o.owner_id = $sam AND o.status <> 'cancelled'")" ] &&
	ok "builder: ... whose average is SQL's" || fail "builder: API average: $(json_rows "$TMP/b")"
fetch -b "$TMP/sam" -H "X-CSRF-Token: $T" -H 'Content-Type: application/json' \
	--data '{"name":"x","definition":{"entity":"orders","measure":"count","group_by":["x; DROP TABLE orders"]}}' \
	"$BASE/api/v1/reports/saved"
[ "$STATUS" = 422 ] && grep -q '"group_by"' "$TMP/b" && ok "builder: the API answers a bad definition with 422 and the error" ||
	fail "builder: API bad definition: $STATUS"
expect_status "builder: the API refuses a body that is not an object (400)" 400 -b "$TMP/sam" -H "X-CSRF-Token: $T" \
	-H 'Content-Type: application/json' --data '[1]' "$BASE/api/v1/reports/saved"
# Shared with support, whose role may not read orders: 403, not figures.
expect_status "builder: a reader whose role may not see orders gets 403" 403 -b "$TMP/sup" "$BASE/reports/saved/$r3"

# Delete: the owner's, audited, then gone.
fetch -b "$TMP/sam" --data-urlencode "csrf_token=$T" "$BASE/reports/saved/$r3/delete"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT COUNT(*) FROM saved_reports WHERE id = $r3")" = 0 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'saved_report' AND entity_id = $r3 AND action = 'delete'")" = 1 ] &&
	ok "builder: the owner deletes a report, audited" || fail "builder: delete: $STATUS"
expect_status "builder: a deleted report is not found" 404 -b "$TMP/sam" "$BASE/reports/saved/$r3"
expect_status "builder: deleting without the form token is refused" 403 -b "$TMP/sam" "$BASE/reports/saved/$r1/delete" -X POST
fetch -b "$TMP/sam" "$BASE/reports/saved"
grep -q "/reports/saved/$r1\"" "$TMP/b" && grep -q "/reports/saved/$r2\"" "$TMP/b" && grep -q 'aria-current="page">Saved reports' "$TMP/b" &&
	ok "builder: sam's list holds his reports under the subnav's Saved reports" || fail "builder: sam's list"
expect_valid_html "builder: the list is valid HTML"

# The list pages by keyset: 50 a page, then the rest.
$SQL -e "INSERT INTO saved_reports (owner_id, name, definition) SELECT $sue, CONCAT('Page $RUN ', LPAD(seq, 2, '0')),
	'{\"entity\":\"accounts\",\"measure\":\"count\"}' FROM seq_1_to_55"
fetch -b "$TMP/sue" "$BASE/reports/saved"
next=$(grep -o 'href="/reports/saved?[^"]*" id="next-page"' "$TMP/b" | sed 's/^href="//;s/" id=.*//;s/&amp;/\&/g')
[ "$(grep -c 'id="report-' "$TMP/b")" = 50 ] && [ -n "$next" ] && ok "builder: the list shows 50 reports and a next page" ||
	fail "builder: first page: $(grep -c 'id="report-' "$TMP/b") rows, next '$next'"
grep -o '<a href="/reports/saved/[0-9]*">[^<]*' "$TMP/b" > "$TMP/page1"
fetch -b "$TMP/sue" "$BASE$next"
grep -o '<a href="/reports/saved/[0-9]*">[^<]*' "$TMP/b" > "$TMP/page2"
# Sue's 55 and sam's shared one (others' runs may share more with sales):
# all on the two pages, none twice, the second page in name order after the first.
[ "$(cat "$TMP/page1" "$TMP/page2" | grep -c " $RUN")" = 56 ] &&
	[ "$(cat "$TMP/page1" "$TMP/page2" | sort | uniq -d | wc -l)" = 0 ] &&
	[ "$(sed 's/.*">//' "$TMP/page1" | tail -1)" \< "$(sed 's/.*">//' "$TMP/page2" | head -1)" ] &&
	ok "builder: ... and the next page the rest, none twice" || fail "builder: second page: $(wc -l < "$TMP/page2") rows"

# At most 500 groups: 501 cities are cut, and the page says so.
$SQL -e "INSERT INTO accounts (name, owner_id, city) SELECT CONCAT('Cap $RUN ', seq), $sam, CONCAT('Capcity ', LPAD(seq, 3, '0'))
	FROM seq_1_to_501"
fetch -b "$TMP/sam" --data-urlencode "csrf_token=$T" -d entity=accounts -d measure=count -d group1=city -d f0_field=name \
	-d f0_op=starts_with --data-urlencode "f0_value=Cap $RUN " -d preview=1 "$BASE/reports/saved"
[ "$STATUS" = 200 ] && [ "$(html_rows "$TMP/b" | wc -l)" = 500 ] && grep -q 'id="report-truncated"' "$TMP/b" &&
	[ "$(html_rows "$TMP/b" | tail -1)" = "$(printf 'Capcity 500\t1')" ] &&
	ok "builder: a report stops at 500 groups and says it was cut" || fail "builder: cap: $STATUS $(html_rows "$TMP/b" | wc -l) rows"
# A bad filter row is marked in the form.
fetch -b "$TMP/sam" --data-urlencode "csrf_token=$T" -d entity=accounts -d measure=count -d f0_field=city -d f0_op=is_empty \
	-d f1_field=created_at -d f1_op=eq -d f1_value=yesterday -d preview=1 "$BASE/reports/saved"
[ "$STATUS" = 422 ] && grep -q 'id="filter-f1" class="row-error"' "$TMP/b" && ! grep -q 'id="filter-f0" class="row-error"' "$TMP/b" &&
	grep -q 'Filter 2: Enter a date as YYYY-MM-DD.' "$TMP/b" && ok "builder: the filter in error is the one marked" ||
	fail "builder: filter row error: $STATUS"
