#!/bin/bash
# The sales pipeline: deals with product lines (exact amounts), their
# scope, refused input, stage moves through the plain form and the
# board's JSON endpoint (history rows, closing, the lost reason), the
# board's totals against SQL, the list, reassignment, and the pipeline
# admin (won/lost rule, stages in use, order).
. "$(dirname "$0")/lib.sh"
IP=127.0.9.$(( $$ % 250 + 1 ))
RUN=$$
PW='deals move on 2026'

for who in cat:sales dan:sales ada:admin; do
	echo "$PW" | $CTL user add --email "${who%%:*}-pl$RUN@example.com" --name "${who%%:*} pl$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-pl$RUN@example.com"
done
cat_id=$($SQL -e "SELECT id FROM users WHERE email = 'cat-pl$RUN@example.com'")
dan_id=$($SQL -e "SELECT id FROM users WHERE email = 'dan-pl$RUN@example.com'")
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Acme pl$RUN', $cat_id), ('Dancorp pl$RUN', $dan_id)"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Acme pl$RUN'")
dacc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Dancorp pl$RUN'")
$SQL -e "INSERT INTO contacts (full_name, last_name, account_id, owner_id) VALUES ('Ann pl$RUN', 'pl$RUN', $acc, $cat_id),
	('Dora pl$RUN', 'pl$RUN', $dacc, $dan_id)"
ct=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Ann pl$RUN'")
dct=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Dora pl$RUN'")
# Two products; the default price book sells the first below its list price.
$SQL -e "INSERT INTO products (sku, name, list_price) VALUES ('PL-A-$RUN', 'Widget pl$RUN', 1250.00), ('PL-B-$RUN', 'Gadget pl$RUN', 30.00)"
pa=$($SQL -e "SELECT id FROM products WHERE sku = 'PL-A-$RUN'")
pb=$($SQL -e "SELECT id FROM products WHERE sku = 'PL-B-$RUN'")
$SQL -e "INSERT INTO prices (price_book_id, product_id, price) SELECT id, $pa, 1000.00 FROM price_books WHERE is_default"
pipe=$($SQL -e "SELECT id FROM pipelines WHERE is_default")
stage_of() { $SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = ${2:-$pipe} AND name = '$1'"; }
first=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $pipe AND kind = 'open' ORDER BY position, id LIMIT 1")
won=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $pipe AND kind = 'won'")
lost=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $pipe AND kind = 'lost'")
opens=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $pipe AND kind = 'open' AND active ORDER BY position, id" | tr '\n' ' ')
second=$(echo $opens | cut -d' ' -f2)
third=$(echo $opens | cut -d' ' -f3)

# The form: "New deal" from an account fills it in.
curl -s -b "$TMP/cat" "$BASE/sales/opportunities/new?account_id=$acc" -o "$TMP/new.html"
grep -q "value=\"Acme pl$RUN #$acc\"" "$TMP/new.html" && ok "pipeline: a new deal from an account has the account filled in" ||
	fail "pipeline: account not filled in: $(grep -o 'id="account"[^>]*' "$TMP/new.html")"
T=$(csrf_of "$TMP/new.html")
cp "$TMP/new.html" "$TMP/b"
expect_valid_html "pipeline: the deal form is valid HTML"

# Create with two lines: the first priced from the default book (1000.00
# x 2 less 10 % = 1800.00), the second named by SKU at a typed price
# (3 x 19.99 = 59.97). The typed amount gives way to the lines' total.
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" --data-urlencode "name=Big deal pl$RUN" \
	--data-urlencode "account=Acme pl$RUN #$acc" --data-urlencode "contact=Ann pl$RUN #$ct" -d stage_id=$first \
	-d amount=5 -d close_date=2031-03-15 --data-urlencode "next_step=Call back" --data-urlencode "competitors=Initech" \
	--data-urlencode "product=Widget pl$RUN #$pa" -d quantity=2 -d unit_price= -d discount=10 \
	--data-urlencode "product=PL-B-$RUN" -d quantity=3 -d unit_price=19.99 -d discount= \
	-d product= -d quantity= -d unit_price= -d discount= "$BASE/sales/opportunities"
[ "$STATUS" = 303 ] && ok "pipeline: a sales user creates a deal with lines" || fail "pipeline: create: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b")"
opp=$($SQL -e "SELECT id FROM opportunities WHERE name = 'Big deal pl$RUN'")
row=$($SQL -e "SELECT amount, probability, owner_id, contact_id, closed_at IS NULL, (SELECT SUM(total) FROM opportunity_lines WHERE opportunity_id = $opp) FROM opportunities WHERE id = $opp")
[ "$row" = "$(printf '1859.97\t10.00\t%s\t%s\t1\t1859.97' "$cat_id" "$ct")" ] &&
	ok "pipeline: the amount is the exact sum of the lines, the probability the stage's" || fail "pipeline: stored as: $row"
lines=$($SQL -e "SELECT CONCAT(product_id, ':', quantity, ':', unit_price, ':', discount, ':', total) FROM opportunity_lines WHERE opportunity_id = $opp ORDER BY position" | tr '\n' ' ')
[ "$lines" = "$pa:2.000:1000.00:10.00:1800.00 $pb:3.000:19.99:0.00:59.97 " ] &&
	ok "pipeline: a blank unit price comes from the default price book" || fail "pipeline: lines: $lines"
h=$($SQL -e "SELECT CONCAT(stage_id, ':', left_at IS NULL, ':', amount, ':', user_id) FROM opportunity_stage_history WHERE opportunity_id = $opp")
[ "$h" = "$first:1:1859.97:$cat_id" ] && ok "pipeline: creating writes the first history row" || fail "pipeline: history: $h"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'opportunity' AND entity_id = $opp AND action = 'create'")
[ "$n" = 1 ] && ok "pipeline: ... and an audit row" || fail "pipeline: audit rows: $n"

fetch -b "$TMP/cat" "$BASE/sales/opportunities/$opp"
expect_body "pipeline: the deal's page shows its name" "id=\"deal-name\">Big deal pl$RUN"
expect_body "pipeline: ... its amount" 'data-amount="1859.97"'
expect_body "pipeline: ... a link to a new quote for it" "href=\"/sales/quotes/new\?opportunity_id=$opp\""
expect_body "pipeline: ... its stage history" 'id="stage-history"'
expect_body "pipeline: ... its lines, product named for the form" "value=\"Widget pl$RUN #$pa\""
expect_valid_html "pipeline: the deal's page is valid HTML"

# Scope: another sales user reaches none of it.
expect_status "pipeline: another sales user gets 404 for the deal" 404 -b "$TMP/dan" "$BASE/sales/opportunities/$opp"
curl -s -b "$TMP/dan" "$BASE/sales/opportunities" -o "$TMP/dl.html"
DT=$(csrf_of "$TMP/dl.html")
grep -q "Big deal pl$RUN" "$TMP/dl.html" && fail "pipeline: another's deal is in the list" || ok "pipeline: ... it is not in their list"
expect_status "pipeline: ... cannot edit it" 404 -b "$TMP/dan" --data-urlencode "csrf_token=$DT" -d name=x "$BASE/sales/opportunities/$opp"
expect_status "pipeline: ... cannot move it" 404 -b "$TMP/dan" --data-urlencode "csrf_token=$DT" -d stage_id=$second "$BASE/sales/opportunities/$opp/stage"
expect_status "pipeline: an admin sees it" 200 -b "$TMP/ada" "$BASE/sales/opportunities/$opp"
fetch -b "$TMP/dan" "$BASE/api/v1/sales/lookup/accounts?q=Acme%20pl$RUN"
grep -q "\"label\":\"Acme pl$RUN" "$TMP/b" && fail "pipeline: the account lookup shows another's account" || ok "pipeline: the account lookup keeps to the user's scope"
fetch -b "$TMP/cat" "$BASE/api/v1/sales/lookup/accounts?q=Acme%20pl$RUN"
expect_body "pipeline: ... and offers their own as Name #id" "\"value\":\"Acme pl$RUN #$acc\""

# Refused input: 422, the form again with the typed values, nothing written.
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d name= --data-urlencode "account=Dancorp pl$RUN #$dacc" \
	-d stage_id=$first -d close_date=2031-02-30 -d probability=150 -d amount=abc --data-urlencode "next_step=Keep me $RUN" "$BASE/sales/opportunities"
[ "$STATUS" = 422 ] && ok "pipeline: bad values are refused with 422" || fail "pipeline: bad values: $STATUS"
expect_body "pipeline: ... the name's message" 'field-error">Enter a name'
expect_body "pipeline: ... an account out of reach is not found" 'field-error">Nothing by that name'
expect_body "pipeline: ... the date's message" 'field-error">Enter the expected close date'
expect_body "pipeline: ... the probability's message" 'field-error">Enter a probability'
expect_body "pipeline: ... with the input kept" "value=\"Keep me $RUN\""
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" --data-urlencode "name=Bad lines pl$RUN" --data-urlencode "account=Acme pl$RUN #$acc" \
	--data-urlencode "contact=Dora pl$RUN #$dct" -d stage_id=$first -d close_date=2031-02-01 --data-urlencode "product=Widget pl$RUN #$pa" -d quantity=0 "$BASE/sales/opportunities"
[ "$STATUS" = 422 ] && grep -q 'id="error-lines"' "$TMP/b" && ok "pipeline: a line with quantity 0 is refused" || fail "pipeline: bad line: $STATUS"
expect_body "pipeline: ... and a contact of another account" 'field-error">Choose a contact of the deal'
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" --data-urlencode "name=Lost at birth pl$RUN" --data-urlencode "account=Acme pl$RUN #$acc" \
	-d stage_id=$lost -d close_date=2031-02-01 "$BASE/sales/opportunities"
[ "$STATUS" = 422 ] && ok "pipeline: a deal created lost needs a reason" || fail "pipeline: lost without reason on create: $STATUS"
n=$($SQL -e "SELECT COUNT(*) FROM opportunities WHERE owner_id = $cat_id AND name <> 'Big deal pl$RUN'")
[ "$n" = 0 ] && ok "pipeline: ... and nothing was written" || fail "pipeline: refused forms wrote $n deals"
fetch -b "$TMP/cat" -H "X-CSRF-Token: $T" -d name= "$BASE/api/v1/sales/opportunities"
[ "$STATUS" = 422 ] && grep -q '"errors":{' "$TMP/b" && ok "pipeline: the API's 422 names the bad fields" || fail "pipeline: API 422: $STATUS"

# Edit: new lines replace the old (1.5 x 100.10 = 150.15), and another
# stage through the form is a move: the old history row is closed.
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" --data-urlencode "name=Big deal v2 pl$RUN" \
	--data-urlencode "account=Acme pl$RUN #$acc" -d contact= -d stage_id=$second -d probability=10.00 -d close_date=2031-04-01 \
	--data-urlencode "product=Gadget pl$RUN #$pb" -d quantity=1.5 -d unit_price=100.10 -d discount=0 "$BASE/sales/opportunities/$opp"
[ "$STATUS" = 303 ] && ok "pipeline: the owner edits the deal" || fail "pipeline: edit: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b")"
sp=$($SQL -e "SELECT probability FROM pipeline_stages WHERE id = $second")
row=$($SQL -e "SELECT name, amount, stage_id, probability, contact_id IS NULL, (SELECT COUNT(*) FROM opportunity_lines WHERE opportunity_id = $opp) FROM opportunities WHERE id = $opp")
[ "$row" = "$(printf 'Big deal v2 pl%s\t150.15\t%s\t%s\t1\t1' "$RUN" "$second" "$sp")" ] &&
	ok "pipeline: ... amount 150.15 from its one line, the new stage's probability" || fail "pipeline: after edit: $row"
h=$($SQL -e "SELECT CONCAT(stage_id, ':', left_at IS NOT NULL, ':', amount) FROM opportunity_stage_history WHERE opportunity_id = $opp ORDER BY id" | tr '\n' ' ')
[ "$h" = "$first:1:1859.97 $second:0:150.15 " ] && ok "pipeline: ... the edit's move closed the old history row" || fail "pipeline: history after edit: $h"

# The plain form on a card moves it and goes back to the board.
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d stage_id=$third -d "back=/sales?owner=me" "$BASE/sales/opportunities/$opp/stage"
[ "$STATUS" = 303 ] && grep -qi '^location: .*/sales?owner=me' "$TMP/h" && ok "pipeline: the plain form moves the deal and returns to the board" ||
	fail "pipeline: plain move: $STATUS $(grep -i '^location' "$TMP/h")"
row=$($SQL -e "SELECT stage_id, probability = (SELECT probability FROM pipeline_stages WHERE id = $third) FROM opportunities WHERE id = $opp")
[ "$row" = "$(printf '%s\t1' "$third")" ] && ok "pipeline: ... to the new stage with its probability" || fail "pipeline: after plain move: $row"
h=$($SQL -e "SELECT COUNT(*), SUM(left_at IS NULL), MAX(IF(left_at IS NULL, stage_id, 0)) FROM opportunity_stage_history WHERE opportunity_id = $opp")
[ "$h" = "$(printf '3\t1\t%s' "$third")" ] && ok "pipeline: ... three history rows, only the current one open" || fail "pipeline: history: $h"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d stage_id=$third -d back=https://evil.example/ "$BASE/sales/opportunities/$opp/stage"
grep -qi '^location: .*evil' "$TMP/h" && fail "pipeline: the move went back to another site" || ok "pipeline: ... never back to another site"
n=$($SQL -e "SELECT COUNT(*) FROM opportunity_stage_history WHERE opportunity_id = $opp")
[ "$n" = 3 ] && ok "pipeline: ... and a move to the current stage writes nothing" || fail "pipeline: same-stage move wrote history: $n"

# Lost needs a reason, through the form and the JSON endpoint.
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d stage_id=$lost -d lost_reason= "$BASE/sales/opportunities/$opp/stage"
[ "$STATUS" = 422 ] && grep -q 'id="error-reason"' "$TMP/b" && ok "pipeline: moving to lost without a reason is refused" || fail "pipeline: lost without reason: $STATUS"
row=$($SQL -e "SELECT stage_id, (SELECT COUNT(*) FROM opportunity_stage_history WHERE opportunity_id = $opp) FROM opportunities WHERE id = $opp")
[ "$row" = "$(printf '%s\t3' "$third")" ] && ok "pipeline: ... and nothing changed" || fail "pipeline: after refused lost: $row"
fetch -b "$TMP/cat" -H "X-CSRF-Token: $T" -H 'Accept: application/json' -d stage_id=$lost "$BASE/api/v1/sales/opportunities/$opp/stage"
[ "$STATUS" = 422 ] && grep -q '"lost_reason":' "$TMP/b" && ok "pipeline: ... the JSON endpoint says why too" || fail "pipeline: JSON lost without reason: $STATUS $(head -c 200 "$TMP/b")"
fetch -b "$TMP/cat" -d stage_id=$won "$BASE/api/v1/sales/opportunities/$opp/stage"
[ "$STATUS" = 403 ] && ok "pipeline: the JSON endpoint wants the form token" || fail "pipeline: JSON move without token: $STATUS"

# The board's script: JSON in, the deal's place and the columns out.
fetch -b "$TMP/cat" -H "X-CSRF-Token: $T" -d stage_id=$won -d owner=me --data-urlencode "lost_reason=Best demo $RUN" "$BASE/api/v1/sales/opportunities/$opp/stage"
[ "$STATUS" = 200 ] && jq -e ".opportunity.moved == true and .opportunity.stage_id == $won" "$TMP/b" >/dev/null &&
	ok "pipeline: the JSON endpoint moves the deal to won" || fail "pipeline: JSON move: $STATUS $(head -c 300 "$TMP/b")"
jq -e "[.columns[] | select(.id == $won)][0].count >= 1" "$TMP/b" >/dev/null && ok "pipeline: ... and answers with the columns' totals" ||
	fail "pipeline: JSON move columns: $(head -c 300 "$TMP/b")"
row=$($SQL -e "SELECT closed_at IS NOT NULL, close_date = UTC_DATE(), probability FROM opportunities WHERE id = $opp")
[ "$row" = "$(printf '1\t1\t100.00')" ] && ok "pipeline: ... won closes it today at 100 %" || fail "pipeline: won: $row"
[ "$($SQL -e "SELECT CONCAT(won_reason, '|', lost_reason) FROM opportunities WHERE id = $opp")" = "Best demo $RUN|" ] &&
	ok "pipeline: ... keeping why it was won" || fail "pipeline: won reason: $($SQL -e "SELECT won_reason FROM opportunities WHERE id = $opp")"
expect_status "pipeline: the won deal's page" 200 -b "$TMP/cat" "$BASE/sales/opportunities/$opp"
expect_body "pipeline: ... says why it was won" "id=\"deal-won-reason\">Best demo $RUN<"
fetch -b "$TMP/cat" -H "X-CSRF-Token: $T" -d stage_id=$lost --data-urlencode "lost_reason=Budget cut $RUN" "$BASE/api/v1/sales/opportunities/$opp/stage"
row=$($SQL -e "SELECT stage_id, lost_reason, closed_at IS NOT NULL FROM opportunities WHERE id = $opp")
[ "$STATUS" = 200 ] && [ "$row" = "$(printf '%s\tBudget cut %s\t1' "$lost" "$RUN")" ] && ok "pipeline: lost with a reason keeps the reason" || fail "pipeline: lost: $STATUS $row"
fetch -b "$TMP/cat" "$BASE/sales/opportunities/$opp"
expect_body "pipeline: ... which the page shows" "id=\"deal-lost-reason\">Budget cut $RUN"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d stage_id=$second "$BASE/sales/opportunities/$opp/stage"
row=$($SQL -e "SELECT stage_id, closed_at IS NULL, lost_reason FROM opportunities WHERE id = $opp")
[ "$row" = "$(printf '%s\t1\t' "$second")" ] && ok "pipeline: reopening clears the close and the reason" || fail "pipeline: reopen: $row"
h=$($SQL -e "SELECT COUNT(*), SUM(left_at IS NULL), SUM(left_at IS NOT NULL AND left_at >= entered_at) FROM opportunity_stage_history WHERE opportunity_id = $opp")
[ "$h" = "$(printf '6\t1\t5')" ] && ok "pipeline: six history rows, each left one closed after it was entered" || fail "pipeline: history rows: $h"
fetch -b "$TMP/cat" "$BASE/sales/opportunities/$opp"
n=$(grep -o '<tr class="kind-' "$TMP/b" | wc -l)
[ "$n" = 6 ] && ok "pipeline: the page lists the six stage history rows" || fail "pipeline: page history rows: $n"

# A few more deals for the board and the list, straight into the database.
$SQL -e "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id)
	SELECT CONCAT('Bulk pl$RUN ', seq), $acc, $pipe, IF(seq % 2 = 0, $first, $second), 100.00 + seq / 100, 25.00,
	DATE_ADD('2031-05-01', INTERVAL seq DAY), $cat_id FROM seq_1_to_55"
$SQL -e "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id)
	VALUES ('Dan deal pl$RUN', $dacc, $pipe, $first, 777.77, 10.00, '2031-05-02', $dan_id)"

# The board's totals are SQL's, per column, for what the user reaches.
fetch -b "$TMP/cat" "$BASE/api/v1/sales"
[ "$STATUS" = 200 ] && ok "pipeline: the board answers as JSON too" || fail "pipeline: board JSON: $STATUS"
for s in $first $second; do
	want=$($SQL -e "SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(amount), 0)) FROM opportunities WHERE stage_id = $s AND deleted_at IS NULL AND owner_id = $cat_id")
	got=$(jq -r ".board.columns[] | select(.id == $s) | \"\(.count):\(.amount)\"" "$TMP/b")
	[ "$got" = "$want" ] && ok "pipeline: a sales user's board column $s totals $want, as SQL sums it" || fail "pipeline: column $s: $got, SQL $want"
done
want=$($SQL -e "SELECT CONCAT(COUNT(*), ':', SUM(amount), ':', ROUND(SUM(amount * probability) / 100, 2)) FROM opportunities WHERE stage_id = $first AND deleted_at IS NULL")
fetch -b "$TMP/ada" "$BASE/api/v1/sales"
got=$(jq -r ".board.columns[] | select(.id == $first) | \"\(.count):\(.amount):\(.weighted)\"" "$TMP/b")
[ "$got" = "$want" ] && ok "pipeline: an admin's board totals everyone's, weighted too" || fail "pipeline: admin column: $got, SQL $want"
# The JSON names the stages once, as the columns; a card has no list of
# its own (the page's move form has, for a user who may move deals).
[ "$(jq '[.board.columns[].cards[] | has("stages")] | any' "$TMP/b")" = false ] &&
    [ "$(jq '[.board.columns[].cards[]] | length' "$TMP/b")" -gt 0 ] &&
	ok "pipeline: the JSON board's cards carry no stage list of their own" || fail "pipeline: JSON cards with stages"
fetch -b "$TMP/ada" "$BASE/api/v1/sales?owner=dan%20pl$RUN%20%23$dan_id"
got=$(jq -r ".board.columns[] | select(.id == $first) | \"\(.count):\(.amount)\"" "$TMP/b")
[ "$got" = "1:777.77" ] && ok "pipeline: the owner filter keeps one owner's deals" || fail "pipeline: owner filter: $got"
fetch -b "$TMP/cat" "$BASE/sales"
expect_body "pipeline: the board has a card for the deal" "id=\"deal-$opp\""
expect_body "pipeline: ... with its plain move form" "id=\"move-$opp\""
expect_body "pipeline: ... whose list offers every column, its own selected" "<option value=\"$first\" selected>"
expect_body "pipeline: ... and a more link for a full column" "id=\"col-$first-more\""
n=$(grep -c 'class="deal"' "$TMP/b")
[ "$n" -le $(( $(echo $opens | wc -w) * 20 + 40 )) ] && ok "pipeline: ... at most 20 cards a column" || fail "pipeline: $n cards"
expect_valid_html "pipeline: the board is valid HTML"
fetch -b "$TMP/cat" "$BASE/sales?from=2031-05&to=2031-05"
got=$(grep -o "id=\"col-$first-count\">[0-9]*" "$TMP/b" | sed 's/.*>//')
want=$($SQL -e "SELECT COUNT(*) FROM opportunities WHERE stage_id = $first AND owner_id = $cat_id AND close_date BETWEEN '2031-05-01' AND '2031-05-31'")
[ "$got" = "$want" ] && ok "pipeline: the close month filter counts $want deals" || fail "pipeline: month filter: $got, SQL $want"
expect_status "pipeline: a bad month is a 400" 400 -b "$TMP/cat" "$BASE/sales?from=2031-13"
expect_status "pipeline: a board of no pipeline is a 404" 404 -b "$TMP/cat" "$BASE/sales/board/999999999"

# The list: filters and keyset pages.
fetch -b "$TMP/cat" "$BASE/sales/opportunities?stage_id=$first"
n=$(grep -c "Bulk pl$RUN" "$TMP/b")
[ "$n" = 27 ] && ok "pipeline: the list filters by stage" || fail "pipeline: stage filter: $n rows"
expect_valid_html "pipeline: the list is valid HTML"
fetch -b "$TMP/cat" "$BASE/sales/opportunities?from=2031-05&to=2031-06"
n=$(grep -c "Bulk pl$RUN" "$TMP/b")
next=$(grep -o 'id="next-page"' "$TMP/b" | head -1)
[ "$n" = 50 ] && [ -n "$next" ] && ok "pipeline: the list pages 50 at a time" || fail "pipeline: page 1: $n rows, next: $next"
url=$(grep -o 'href="[^"]*" id="next-page"' "$TMP/b" | sed 's/href="//;s/".*//;s/&amp;/\&/g')
fetch -b "$TMP/cat" "$BASE$url"
n=$(grep -c "Bulk pl$RUN" "$TMP/b")
[ "$n" = 5 ] && ok "pipeline: ... the next page has the other 5" || fail "pipeline: page 2: $n rows ($url)"
fetch -b "$TMP/cat" "$BASE/sales/opportunities?status=lost"
grep -q "Bulk pl$RUN" "$TMP/b" && fail "pipeline: open deals in the lost list" || ok "pipeline: the open/won/lost filter"
expect_status "pipeline: a bad list filter is a 400" 400 -b "$TMP/cat" "$BASE/sales/opportunities?status=maybe"

# Reassign: the admin gives the deal to dan; cat no longer reaches it.
curl -s -b "$TMP/ada" "$BASE/sales/opportunities/$opp" -o "$TMP/a.html"
AT=$(csrf_of "$TMP/a.html")
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "owner=nobody pl$RUN" "$BASE/sales/opportunities/$opp/owner"
[ "$STATUS" = 422 ] && ok "pipeline: reassigning to no one is refused" || fail "pipeline: bad reassign: $STATUS"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "owner=dan pl$RUN #$dan_id" "$BASE/sales/opportunities/$opp/owner"
o=$($SQL -e "SELECT owner_id FROM opportunities WHERE id = $opp")
[ "$STATUS" = 303 ] && [ "$o" = "$dan_id" ] && ok "pipeline: an admin reassigns the deal" || fail "pipeline: reassign: $STATUS $o"
expect_status "pipeline: ... the old owner gets 404" 404 -b "$TMP/cat" "$BASE/sales/opportunities/$opp"
expect_status "pipeline: ... the new one sees it" 200 -b "$TMP/dan" "$BASE/sales/opportunities/$opp"

# Pipeline admin.
expect_status "pipeline: a sales user may not manage pipelines" 403 -b "$TMP/cat" "$BASE/sales/pipelines"
curl -s -b "$TMP/ada" "$BASE/sales/pipelines" -o "$TMP/p.html"
cp "$TMP/p.html" "$TMP/b"
expect_valid_html "pipeline: the pipelines page is valid HTML"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Renewals pl$RUN" --data-urlencode "first_stage=Due pl$RUN" "$BASE/sales/pipelines"
p2=$($SQL -e "SELECT id FROM pipelines WHERE name = 'Renewals pl$RUN'")
k=$($SQL -e "SELECT GROUP_CONCAT(kind ORDER BY kind) FROM pipeline_stages WHERE pipeline_id = 0$p2")
[ "$STATUS" = 303 ] && [ "$k" = "open,won,lost" ] && ok "pipeline: a new pipeline starts with an open, a won and a lost stage" || fail "pipeline: new pipeline: $STATUS $k"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Renewals pl$RUN" "$BASE/sales/pipelines"
[ "$STATUS" = 409 ] && ok "pipeline: ... a second with the same name is a 409" || fail "pipeline: duplicate pipeline: $STATUS"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Quote pl$RUN" -d probability=40 -d kind=open "$BASE/sales/pipelines/$p2/stages"
q2=$(stage_of "Quote pl$RUN" $p2)
[ "$STATUS" = 303 ] && [ -n "$q2" ] && ok "pipeline: the admin adds a stage" || fail "pipeline: add stage: $STATUS"
fetch -b "$TMP/ada" "$BASE/sales/pipelines/$p2"
expect_body "pipeline: the pipeline's page lists the new stage" "id=\"stage-$q2\""
expect_valid_html "pipeline: the pipeline's page is valid HTML"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Won again pl$RUN" -d probability=100 -d kind=won "$BASE/sales/pipelines/$p2/stages"
n=$($SQL -e "SELECT COUNT(*) FROM pipeline_stages WHERE pipeline_id = $p2 AND kind = 'won'")
[ "$STATUS" = 422 ] && [ "$n" = 1 ] && ok "pipeline: a second won stage is refused" || fail "pipeline: second won: $STATUS, $n won"
expect_body "pipeline: ... saying why" 'exactly one won and one lost stage'
w2=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $p2 AND kind = 'won'")
l2=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $p2 AND kind = 'lost'")
d2=$(stage_of "Due pl$RUN" $p2)
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" -d name=Won -d probability=100 -d kind=open -d active=1 "$BASE/sales/pipeline-stages/$w2"
[ "$STATUS" = 422 ] && [ "$($SQL -e "SELECT kind FROM pipeline_stages WHERE id = $w2")" = won ] && ok "pipeline: the only won stage cannot become open" || fail "pipeline: won to open: $STATUS"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" -d name=Lost -d probability=0 -d kind=lost "$BASE/sales/pipeline-stages/$l2"
[ "$STATUS" = 422 ] && ok "pipeline: the lost stage cannot be deactivated" || fail "pipeline: deactivate lost: $STATUS"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Due pl$RUN" -d probability=15 -d kind=open -d active=1 "$BASE/sales/pipeline-stages/$q2"
[ "$STATUS" = 409 ] && ok "pipeline: two stages of a pipeline cannot share a name" || fail "pipeline: duplicate stage name: $STATUS"
# Every worker keeps the board's stages until the configuration changes:
# after a rename no worker may show the old name.
for _ in 1 2 3 4 5 6; do curl -s -b "$TMP/ada" -o /dev/null "$BASE/sales/board/$p2"; done
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Quoted pl$RUN" -d probability=45.5 -d kind=open -d active=1 "$BASE/sales/pipeline-stages/$q2"
row=$($SQL -e "SELECT name, probability FROM pipeline_stages WHERE id = $q2")
[ "$STATUS" = 303 ] && [ "$row" = "$(printf 'Quoted pl%s\t45.50' "$RUN")" ] && ok "pipeline: a stage is renamed with a new probability" || fail "pipeline: stage update: $STATUS $row"
fresh=0
for _ in 1 2 3 4 5 6; do curl -s -b "$TMP/ada" "$BASE/sales/board/$p2" | grep -q "Quoted pl$RUN" && fresh=$((fresh + 1)); done
[ "$fresh" = 6 ] && ok "pipeline: ... and every worker's board shows the new name at once" || fail "pipeline: $fresh of 6 boards show the renamed stage"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" -d direction=up "$BASE/sales/pipeline-stages/$q2/move"
order=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $p2 AND kind = 'open' ORDER BY position, id" | tr '\n' ' ')
[ "$STATUS" = 303 ] && [ "$order" = "$q2 $d2 " ] && ok "pipeline: a stage moves up" || fail "pipeline: reorder: $STATUS $order"
fetch -b "$TMP/ada" "$BASE/sales/board/$p2"
a=$(grep -o 'id="col-[0-9]*"' "$TMP/b" | tr '\n' ' ')
[ "$a" = "id=\"col-$q2\" id=\"col-$d2\" id=\"col-$w2\" id=\"col-$l2\" " ] && ok "pipeline: the board's columns follow the order, won and lost last" || fail "pipeline: columns: $a"
expect_body "pipeline: ... with a tab for each active pipeline, this one current" "id=\"pipeline-tab-$p2\" aria-current=\"page\""
expect_body "pipeline: ... and the default's tab" "id=\"pipeline-tab-$pipe\""

# A wide board: seven open stages, won and lost (the board reads its cards
# with a statement of twelve parts, not the six-part one of a short
# board); every column shows its deal, the last open one too.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Wide pl$RUN" --data-urlencode "first_stage=W1 pl$RUN" "$BASE/sales/pipelines"
p3=$($SQL -e "SELECT id FROM pipelines WHERE name = 'Wide pl$RUN'")
for i in 2 3 4 5 6 7; do
	fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=W$i pl$RUN" -d probability=$((i * 10)) -d kind=open "$BASE/sales/pipelines/$p3/stages"
done
$SQL -e "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id, closed_at)
	SELECT CONCAT('Wide ', s.name), $acc, $p3, s.id, 10.00, s.probability, IF(s.kind = 'open', '2031-01-01', UTC_DATE()), $cat_id,
	IF(s.kind = 'open', NULL, UTC_TIMESTAMP()) FROM pipeline_stages s WHERE s.pipeline_id = $p3"
fetch -b "$TMP/ada" "$BASE/sales/board/$p3"
cols=$(grep -o 'id="col-[0-9]*"' "$TMP/b" | wc -l)
deals=$(grep -o 'class="deal-name">Wide [^<]*' "$TMP/b" | wc -l)
[ "$STATUS" = 200 ] && [ "$cols" = 9 ] && [ "$deals" = 9 ] && grep -q "class=\"deal-name\">Wide W7 pl$RUN<" "$TMP/b" &&
	ok "pipeline: a board of nine columns shows every column's deal" || fail "pipeline: wide board: $STATUS, $cols columns, $deals deals"
$SQL -e "UPDATE pipelines SET active = FALSE WHERE id = $p3"

# A stage in use is never deleted; an unused one is.
$SQL -e "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id)
	VALUES ('Renewal pl$RUN', $acc, $p2, $q2, 10.00, 45.50, '2031-01-01', $cat_id)"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" "$BASE/sales/pipeline-stages/$q2/delete"
[ "$STATUS" = 409 ] && [ -n "$(stage_of "Quoted pl$RUN" $p2)" ] && ok "pipeline: a stage with deals cannot be deleted (409)" || fail "pipeline: delete in use: $STATUS"
expect_body "pipeline: ... with a message that says what to do" 'deactivate it'
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" "$BASE/sales/pipeline-stages/$w2/delete"
[ "$STATUS" = 409 ] && ok "pipeline: the won stage cannot be deleted" || fail "pipeline: delete won: $STATUS"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" "$BASE/sales/pipeline-stages/$d2/delete"
[ "$STATUS" = 303 ] && [ -z "$(stage_of "Due pl$RUN" $p2)" ] && ok "pipeline: an unused stage is deleted" || fail "pipeline: delete unused: $STATUS"
r2=$($SQL -e "SELECT id FROM opportunities WHERE name = 'Renewal pl$RUN'")
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d stage_id=$first "$BASE/sales/opportunities/$r2/stage"
[ "$STATUS" = 422 ] && [ "$($SQL -e "SELECT stage_id FROM opportunities WHERE id = $r2")" = "$q2" ] &&
	ok "pipeline: a deal cannot move to another pipeline's stage" || fail "pipeline: cross-pipeline move: $STATUS"

# A deactivated stage leaves the board, but its deals keep it when edited.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Quoted pl$RUN" -d probability=45.5 -d kind=open "$BASE/sales/pipeline-stages/$q2"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT active FROM pipeline_stages WHERE id = $q2")" = 0 ] && ok "pipeline: a stage in use can be deactivated" || fail "pipeline: deactivate: $STATUS"
fetch -b "$TMP/ada" "$BASE/sales/board/$p2"
grep -q "id=\"col-$q2\"" "$TMP/b" && fail "pipeline: an inactive stage is still a column" || ok "pipeline: ... it leaves the board"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" --data-urlencode "name=Renewal v2 pl$RUN" --data-urlencode "account=Acme pl$RUN #$acc" \
	-d stage_id=$q2 -d probability=45.50 -d close_date=2031-01-01 -d amount=10 "$BASE/sales/opportunities/$r2"
row=$($SQL -e "SELECT name, stage_id FROM opportunities WHERE id = $r2")
[ "$STATUS" = 303 ] && [ "$row" = "$(printf 'Renewal v2 pl%s\t%s' "$RUN" "$q2")" ] && ok "pipeline: ... and a deal in it is edited without moving" || fail "pipeline: edit in inactive stage: $STATUS $row"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" --data-urlencode "name=Renewal v3 pl$RUN" --data-urlencode "account=Acme pl$RUN #$acc" \
	-d stage_id=$first -d close_date=2031-01-01 "$BASE/sales/opportunities/$r2"
[ "$STATUS" = 422 ] && ok "pipeline: an edit cannot take a deal to another pipeline" || fail "pipeline: edit across pipelines: $STATUS"

# Another default pipeline changes /sales; the first is put back.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=Renewals pl$RUN" -d is_default=1 -d active=1 "$BASE/sales/pipelines/$p2"
fetch -b "$TMP/ada" "$BASE/sales"
grep -q "id=\"board-title\">Renewals pl$RUN" "$TMP/b" && [ "$($SQL -e "SELECT COUNT(*) FROM pipelines WHERE is_default")" = 1 ] &&
	ok "pipeline: /sales shows the default pipeline, of which there is one" || fail "pipeline: default board: $(grep -o 'board-title">[^<]*' "$TMP/b")"
n=$($SQL -e "SELECT name FROM pipelines WHERE id = $pipe")
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$AT" --data-urlencode "name=$n" -d is_default=1 -d active=1 "$BASE/sales/pipelines/$pipe"
[ "$($SQL -e "SELECT is_default FROM pipelines WHERE id = $pipe")" = 1 ] && ok "pipeline: ... and the old default back" || fail "pipeline: default not restored"

# After every create, edit, move, reassign and lead conversion above, the
# board's kept totals (triggers, 018_board_totals.sql) still agree with
# the deals, group by group, and a deleted deal leaves them.
drift=$($SQL -e "SELECT COUNT(*) FROM (SELECT stage_id, close_date - INTERVAL (DAYOFMONTH(close_date) - 1) DAY AS m, owner_id,
	COUNT(*) AS n, SUM(amount) AS a, SUM(amount * probability) AS w FROM opportunities WHERE deleted_at IS NULL
	GROUP BY 1, 2, 3) d
	LEFT JOIN opportunity_totals t ON t.stage_id = d.stage_id AND t.close_month = d.m AND t.owner_id = d.owner_id
	WHERE t.deals IS NULL OR t.deals <> d.n OR t.amount <> d.a OR t.weighted <> d.w")
[ "$drift" = 0 ] && ok "pipeline: the board's kept totals agree with the deals" || fail "pipeline: $drift total groups drifted"
[ "$($SQL -e "SELECT SUM(deals) FROM opportunity_totals")" = "$($SQL -e "SELECT COUNT(*) FROM opportunities WHERE deleted_at IS NULL")" ] &&
	ok "pipeline: ... and count every live deal once" || fail "pipeline: kept count differs"
stage=$($SQL -e "SELECT stage_id FROM opportunities WHERE id = $opp")
before=$($SQL -e "SELECT COALESCE(SUM(deals), 0) FROM opportunity_totals WHERE stage_id = $stage")
$SQL -e "UPDATE opportunities SET deleted_at = UTC_TIMESTAMP() WHERE id = $opp"
after=$($SQL -e "SELECT COALESCE(SUM(deals), 0) FROM opportunity_totals WHERE stage_id = $stage")
[ $((before - after)) = 1 ] && ok "pipeline: a deleted deal leaves its column's totals" || fail "pipeline: delete: $before -> $after"
$SQL -e "UPDATE opportunities SET deleted_at = NULL WHERE id = $opp"
[ "$($SQL -e "SELECT COALESCE(SUM(deals), 0) FROM opportunity_totals WHERE stage_id = $stage")" = "$before" ] &&
	ok "pipeline: ... and a restored one comes back" || fail "pipeline: restore did not count again"

# The stages' kept conversion counts (triggers, 020_stage_conversion.sql)
# agree with the history they summarise.
conversion_drift() {
	$SQL -e "SELECT COUNT(*) FROM (SELECT x.stage_id, COUNT(*) AS closed, SUM(x.won) AS won FROM (
		SELECT DISTINCT h.opportunity_id, h.stage_id, f.kind = 'won' AS won
		FROM opportunity_stage_history h JOIN opportunities t ON t.id = h.opportunity_id
		JOIN pipeline_stages f ON f.id = t.stage_id WHERE f.kind <> 'open' AND t.deleted_at IS NULL) x
		GROUP BY x.stage_id) d
		RIGHT JOIN stage_conversion c ON c.stage_id = d.stage_id
		WHERE COALESCE(d.closed, 0) <> c.closed OR COALESCE(d.won, 0) <> c.won"
}
[ "$(conversion_drift)" = 0 ] && ok "pipeline: the stages' kept conversion to won agrees with the history" ||
	fail "pipeline: stage_conversion drifted: $(conversion_drift) stages"
# A deal deleted for good takes its weight with it.
$SQL -e "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id, closed_at)
	SELECT 'Gone pl$RUN', account_id, pipeline_id, $won, 5, 100, close_date, owner_id, UTC_TIMESTAMP() FROM opportunities WHERE id = $opp"
gone=$($SQL -e "SELECT MAX(id) FROM opportunities WHERE name = 'Gone pl$RUN'")
$SQL -e "INSERT INTO opportunity_stage_history (opportunity_id, stage_id, entered_at, amount, user_id)
	SELECT $gone, $won, UTC_TIMESTAMP(), 5, owner_id FROM opportunities WHERE id = $gone"
w1=$($SQL -e "SELECT won FROM stage_conversion WHERE stage_id = $won")
$SQL -e "DELETE FROM opportunities WHERE id = $gone"
w2=$($SQL -e "SELECT won FROM stage_conversion WHERE stage_id = $won")
[ $((w1 - w2)) = 1 ] && [ "$(conversion_drift)" = 0 ] && ok "pipeline: ... and after a deal is deleted for good" || fail "pipeline: delete: won $w1 -> $w2, drift $(conversion_drift)"

# A note or a call on a deal: on the deal's timeline and its account's.
opp=$($SQL -e "SELECT MAX(id) FROM opportunities WHERE owner_id = $cat_id AND deleted_at IS NULL")
T2=$(curl -s -b "$TMP/cat" "$BASE/sales/opportunities/$opp" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T2" -d kind=call --data-urlencode "subject=Called about terms pl$RUN" -d body=ok "$BASE/sales/opportunities/$opp/activities"
[ "$STATUS" = 303 ] && ok "pipeline: a call is logged on the deal" || fail "pipeline: deal activity: $STATUS $(head -c 200 "$TMP/b")"
row=$($SQL -e "SELECT CONCAT(a.kind, '|', a.account_id = o.account_id, '|', a.done_at IS NOT NULL) FROM activities a JOIN opportunities o ON o.id = a.opportunity_id WHERE a.subject = 'Called about terms pl$RUN'")
[ "$row" = "call|1|1" ] && ok "pipeline: ... done, and on the deal's account too" || fail "pipeline: activity row: $row"
expect_status "pipeline: the deal page" 200 -b "$TMP/cat" "$BASE/sales/opportunities/$opp"
expect_body "pipeline: ... lists the call" "Called about terms pl$RUN"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T2" -d kind=visit -d subject= "$BASE/sales/opportunities/$opp/activities"
[ "$STATUS" = 422 ] && grep -q 'id="error-subject"' "$TMP/b" && ok "pipeline: a bad activity comes back with its errors" || fail "pipeline: bad activity: $STATUS"
other=$($SQL -e "SELECT MAX(id) FROM opportunities WHERE owner_id <> $cat_id AND deleted_at IS NULL")
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T2" -d kind=note -d subject=x "$BASE/sales/opportunities/$other/activities"
[ "$STATUS" = 404 ] && ok "pipeline: not on a deal out of reach" || fail "pipeline: foreign deal activity: $STATUS"
