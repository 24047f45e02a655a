#!/bin/bash
# Recommendations and data quality (issue 8): `crmctl analytics baskets
# quality` over products, orders and records this script makes with known
# structure: a pair always bought together (and one of its products also
# alone), a triple, a product no one buys with another, a cancelled order
# that must not count; then the stored rules and cosines against the
# figures those baskets imply, the pages, the API, the suggestions on a
# contact page and a quote page, and the quality counts as they move when
# records with bad e-mails, phones, countries and duplicates appear.
. "$(dirname "$0")/lib.sh"
IP=127.0.73.$(( $$ % 250 + 1 ))   # its own client address: nginx limits sign-ins per address
RUN=$$
PY=${CRM_PYTHON:-/usr/bin/python3}
PW='baskets of products 8'
echo "$PW" | $CTL user add --email "bea-bk$RUN@example.com" --name "bea bk$RUN" --role admin --password-stdin >/dev/null
echo "$PW" | $CTL user add --email "sam-bk$RUN@example.com" --name "sam bk$RUN" --role sales --password-stdin >/dev/null
signin "$TMP/bea" "bea-bk$RUN@example.com"
signin "$TMP/sam" "sam-bk$RUN@example.com"
BEA=$($SQL -e "SELECT id FROM users WHERE email = 'bea-bk$RUN@example.com'")
SAM=$($SQL -e "SELECT id FROM users WHERE email = 'sam-bk$RUN@example.com'")
base=$($SQL -e "SELECT value FROM settings WHERE name = 'base_currency'")

# Six products; 69 accounts, one order each (order k on account k):
#   1..30 P1 P2   31..40 P1   41..60 P3 P4 P5   61..68 P6   69 P1 P6, cancelled.
for p in 1 2 3 4 5 6; do
	$SQL -e "INSERT INTO products (sku, name, list_price) VALUES ('BK-$RUN-$p', 'Basket product $p bk$RUN', 10)"
done
prod() { $SQL -e "SELECT id FROM products WHERE sku = 'BK-$RUN-$1'"; }
P1=$(prod 1) P2=$(prod 2) P3=$(prod 3) P4=$(prod 4) P5=$(prod 5) P6=$(prod 6)
$SQL -e "INSERT INTO accounts (name, owner_id, website, country) SELECT CONCAT('Basket ', s.seq, ' bk$RUN'), $BEA,
	'example.com', 'GB' FROM seq_1_to_69 s"
$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, status)
	SELECT CONCAT('BK-$RUN-', s.seq), a.id, '$base', UTC_DATE(), 10, 0, 10, 10, $BEA, IF(s.seq = 69, 'cancelled', 'delivered')
	FROM seq_1_to_69 s JOIN accounts a ON a.name = CONCAT('Basket ', s.seq, ' bk$RUN')"
line() { # PRODUCT FIRST LAST: a line of PRODUCT on orders FIRST..LAST
	$SQL -e "INSERT INTO order_lines (order_id, position, product_id, quantity, unit_price, net, tax, total)
		SELECT o.id, $1, $1, 1, 10, 10, 0, 10 FROM orders o
		WHERE o.number LIKE 'BK-$RUN-%' AND CAST(SUBSTRING_INDEX(o.number, '-', -1) AS UNSIGNED) BETWEEN $2 AND $3"
}
line "$P1" 1 40; line "$P2" 1 30; line "$P3" 41 60; line "$P4" 41 60; line "$P5" 41 60; line "$P6" 61 69; line "$P1" 69 69
# The same product twice on one order is still one basket item.
line "$P2" 5 5
acc() { $SQL -e "SELECT id FROM accounts WHERE name = 'Basket $1 bk$RUN'"; }

out=$($CTL analytics baskets quality)
case $out in "baskets: "*" baskets of "*"quality: "*" fields of "*) ok "baskets: crmctl analytics baskets quality ($(echo "$out" | tr '\n' ' '))" ;;
	*) fail "baskets: crmctl analytics: $out" ;; esac

# The baskets: every order not cancelled with a line; our products' counts are ours alone.
N=$($SQL -e "SELECT COUNT(DISTINCT o.id) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.status <> 'cancelled'")
[ "$($SQL -e "SELECT rows_used FROM analytics_models WHERE name = 'baskets'")" = "$N" ] &&
	ok "baskets: the model counts the $N baskets (cancelled orders left out)" || fail "baskets: model rows $($SQL -e "SELECT rows_used FROM analytics_models WHERE name = 'baskets'") for $N baskets"
rule() { # ANTECEDENT CONSEQUENT: support confidence lift, or nothing
	$SQL -e "SELECT CONCAT_WS(' ', support, confidence, lift) FROM association_rules WHERE antecedent = '$1' AND consequent_id = $2"
}
# close GOT WANT...: each figure within 1e-9
close() {
	"$PY" -c 'import sys; g = sys.argv[1].split(); w = [eval(x) for x in sys.argv[2:]]
sys.exit(0 if len(g) == len(w) and all(abs(float(a) - b) <= 1e-9 for a, b in zip(g, w)) else 1)' "$@"
}
got=$(rule "$P2" "$P1")
close "$got" "30/$N" "1" "30*$N/(30*40)" && ok "baskets: P2 => P1: support 30/N, confidence 1, lift N/40 ($got)" || fail "baskets: P2 => P1 is '$got'"
got=$(rule "$P1" "$P2")
close "$got" "30/$N" "30/40" "30*$N/(40*30)" && ok "baskets: P1 => P2: confidence 0.75 (P1 also alone; its cancelled order not counted)" || fail "baskets: P1 => P2 is '$got'"
got=$(rule "$P3,$P4" "$P5")
close "$got" "20/$N" "1" "20*$N/(20*20)" && ok "baskets: the triple's rule P3, P4 => P5 ($got)" || fail "baskets: P3,P4 => P5 is '$got'"
[ -z "$($SQL -e "SELECT 1 FROM association_rules WHERE consequent_id = $P6 OR antecedent = '$P6'")" ] &&
	ok "baskets: no rule for a product never bought with another (its cancelled order with P1 ignored)" || fail "baskets: a rule names P6"
# The stored order is the rule order: lift, confidence, support, then items.
bad=$($SQL -e "SELECT COUNT(*) FROM association_rules a JOIN association_rules b ON b.id = a.id + 1
	WHERE b.lift > a.lift OR (b.lift = a.lift AND (b.confidence > a.confidence OR (b.confidence = a.confidence AND b.support > a.support)))")
[ "$bad" = 0 ] && ok "baskets: rules stored in rank order (id = rank)" || fail "baskets: $bad rules out of order"
# Cosine over accounts: P1 has 40 buyers, P2 30, all P2's buyers bought P1.
sim() { $SQL -e "SELECT CONCAT_WS(' ', rank_no, similar_id, cosine) FROM product_similar WHERE product_id = $1 ORDER BY rank_no" | tr '\n' ' '; }
got=$(sim "$P1")
case $got in "1 $P2 "*) close "$(echo "$got" | cut -d' ' -f3)" "30/(40*30)**0.5" && ok "baskets: P1's most similar product is P2, cosine 30/sqrt(40*30)" || fail "baskets: P1 similar $got" ;;
	*) fail "baskets: P1's similar products are '$got'" ;; esac
got=$(sim "$P3")
[ "$got" = "1 $P4 1 2 $P5 1 " ] && ok "baskets: P3's similar products are P4 then P5 (equal cosine 1, by id)" || fail "baskets: P3 similar '$got'"
[ -z "$(sim "$P6")" ] && ok "baskets: a product no one buys with another has no similar products" || fail "baskets: P6 similar '$(sim "$P6")'"

# The recommendations page: the rules as words, a product's similar products.
fetch -b "$TMP/bea" "$BASE/reports/recommendations"
[ "$STATUS" = 200 ] && ok "baskets: GET /reports/recommendations" || fail "baskets: recommendations status $STATUS"
expect_valid_html "baskets: the recommendations page is valid HTML"
expect_body "baskets: the page says what the rules were computed from" "id=\"baskets-summary\">[^<]*$N baskets"
grep -q 'href="/reports/recommendations" aria-current="page"' "$TMP/b" && grep -q 'href="/reports/quality"' "$TMP/b" &&
	ok "baskets: the subnav links both pages" || fail "baskets: the subnav lacks its links"
# The triple's rule on its page (ids are ranks; a page is 50, after_id the rank before it).
id=$($SQL -e "SELECT id FROM association_rules WHERE antecedent = '$P3,$P4' AND consequent_id = $P5")
if [ -n "$id" ]; then
	[ "$id" -gt 50 ] && fetch -b "$TMP/bea" "$BASE/reports/recommendations?after_id=$(( (id - 1) / 50 * 50 ))"
	grep -A1 "id=\"rule-$id\"" "$TMP/b" | grep -q "Customers who bought <a[^>]*>Basket product 3 bk$RUN</a> and <a[^>]*>Basket product 4 bk$RUN</a> also bought <a[^>]*>Basket product 5 bk$RUN</a>" &&
		ok "baskets: 'customers who bought P3 and P4 also bought P5' (rule $id)" || fail "baskets: rule $id not written out: $(grep -A1 "id=\"rule-$id\"" "$TMP/b")"
else
	fail "baskets: the triple's rule is not stored"
fi
fetch -b "$TMP/bea" "$BASE/reports/recommendations?product_id=$P3"
expect_body "baskets: ?product_id= shows the product" "id=\"product-name\">Basket product 3 bk$RUN"
expect_body "baskets: ... its similar products with their cosine" "id=\"similar-$P4\"><td class=\"num\">1</td>.*1.000"
expect_body "baskets: ... the list to choose from marks it" "<option value=\"$P3\" selected>"
expect_status "baskets: a product id that is not a number is a 400" 400 -b "$TMP/bea" "$BASE/reports/recommendations?product_id=x1"
expect_status "baskets: a product that does not exist is a 404" 404 -b "$TMP/bea" "$BASE/reports/recommendations?product_id=999999999"
fetch -b "$TMP/bea" "$BASE/api/v1/reports/recommendations?product_id=$P1"
"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); p = d["product"]
sys.exit(0 if p["similar"][0]["similar_id"] == int(sys.argv[2]) and d["model"]["metrics"]["baskets"] == int(sys.argv[3]) else 1)' \
	"$TMP/b" "$P2" "$N" 2>/dev/null && ok "baskets: the API answers the same view (model, product, similar)" || fail "baskets: API $(head -c 300 "$TMP/b")"
expect_status "baskets: signed out, the page asks to sign in" 303 "$BASE/reports/recommendations"

# "Customers who bought this also bought": account 35 bought P1 alone.
$SQL -e "INSERT INTO contacts (full_name, last_name, account_id, owner_id) VALUES ('Buyer bk$RUN', 'Buyer', $(acc 35), $BEA)"
CT=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Buyer bk$RUN'")
fetch -b "$TMP/bea" "$BASE/customers/contacts/$CT"
grep -A3 'id="also-bought"' "$TMP/b" | grep -q "id=\"also-bought-$P2\"" && ! grep -q "id=\"also-bought-$P1\"" "$TMP/b" &&
	ok "baskets: the contact page suggests P2 to an account that bought P1, never P1 itself" || fail "baskets: contact suggestions: $(grep -A3 'id="also-bought"' "$TMP/b")"
first=$(grep -o 'id="also-bought-[0-9]*"' "$TMP/b" | head -1)
[ "$first" = "id=\"also-bought-$P2\"" ] && ok "baskets: ... P2 is the first suggestion (the strongest rule)" || fail "baskets: first suggestion is $first"
$SQL -e "INSERT INTO contacts (full_name, last_name, owner_id) VALUES ('Nobody bk$RUN', 'Nobody', $BEA)"
fetch -b "$TMP/bea" "$BASE/customers/contacts/$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Nobody bk$RUN'")"
[ "$STATUS" = 200 ] && ! grep -q 'id="also-bought"' "$TMP/b" && ok "baskets: a contact without an account gets no suggestions" || fail "baskets: contact without account: $STATUS"
# A quote with P3 and P4 on it: P5 (their rule), not P3 or P4.
book=$($SQL -e "SELECT id FROM price_books WHERE is_default LIMIT 1")
$SQL -e "INSERT INTO quotes (number, account_id, price_book_id, currency, valid_until, owner_id)
	VALUES ('BKQ-$RUN', $(acc 35), $book, '$base', UTC_DATE() + INTERVAL 30 DAY, $BEA)"
QT=$($SQL -e "SELECT id FROM quotes WHERE number = 'BKQ-$RUN'")
$SQL -e "INSERT INTO quote_lines (quote_id, position, product_id, quantity, unit_price, net, tax, total)
	VALUES ($QT, 1, $P3, 1, 10, 10, 0, 10), ($QT, 2, $P4, 1, 10, 10, 0, 10)"
fetch -b "$TMP/bea" "$BASE/sales/quotes/$QT"
first=$(grep -o 'id="also-bought-[0-9]*"' "$TMP/b" | head -1)
[ "$STATUS" = 200 ] && [ "$first" = "id=\"also-bought-$P5\"" ] && ! grep -qE "id=\"also-bought-($P3|$P4)\"" "$TMP/b" &&
	ok "baskets: the quote page suggests P5 for a quote of P3 and P4, and neither of those" || fail "baskets: quote suggestions: $STATUS $(grep -A3 'id="also-bought"' "$TMP/b")"
fetch -b "$TMP/bea" "$BASE/api/v1/sales/quotes/$QT"
grep -q "\"also_bought\": *\[{\"id\": *$P5" "$TMP/b" && ok "baskets: ... and so does the quote's API answer" || fail "baskets: quote API: $(grep -o '"also_bought".\{0,80\}' "$TMP/b")"

# Data quality: the counts move by exactly the bad records added.
snapshot() { $SQL -e "SELECT entity, field, missing, invalid, duplicate FROM data_quality ORDER BY entity, field" > "$1"; }
$CTL analytics quality >/dev/null
snapshot "$TMP/q0"
phone() { printf '+447%09d' $(( (RUN * 10 + $1) % 1000000000 )); }
$SQL -e "INSERT INTO accounts (name, owner_id, website, country) VALUES
	('Dup bk$RUN', $BEA, 'example.com', 'DE'), ('Dup bk$RUN', $BEA, 'not a site', 'de')"
QA=$($SQL -e "SELECT MIN(id) FROM accounts WHERE name = 'Dup bk$RUN'")
# A deleted account is no account's problem, but a contact still on it is.
$SQL -e "INSERT INTO accounts (name, owner_id, website, country, deleted_at) VALUES ('Gone bk$RUN', $BEA, 'example.com', 'DE', UTC_TIMESTAMP())"
GONE=$($SQL -e "SELECT id FROM accounts WHERE name = 'Gone bk$RUN'")
contact() { # NAME EMAIL EMAIL_NORM PHONE PHONE_E164 COUNTRY [ACCOUNT]
	$SQL -e "INSERT INTO contacts (full_name, last_name, account_id, owner_id, email, email_norm, phone, phone_e164, country)
		VALUES ('$1 bk$RUN', '$1', ${7:-$QA}, $BEA, '$2', '$3', '$4', '$5', '$6')"
}
contact Bademail 'not-an-email' '' "$(phone 1)" "$(phone 1)" GB
contact Noemail '' '' "$(phone 2)" "$(phone 2)" GB
contact Dupone "Dup-bk$RUN@example.com" "dup-bk$RUN@example.com" "$(phone 3)" "$(phone 3)" GB
contact Duptwo "dup-bk$RUN@example.com" "dup-bk$RUN@example.com" "$(phone 4)" "$(phone 4)" GB
contact Badphone "ok-bk$RUN@example.com" "ok-bk$RUN@example.com" 'call me' '' zz
contact Orphan "orphan-bk$RUN@example.com" "orphan-bk$RUN@example.com" "$(phone 7)" "$(phone 7)" GB "$GONE"
lead() { # NAME EMAIL EMAIL_NORM PHONE PHONE_E164 COMPANY
	$SQL -e "INSERT INTO leads (full_name, owner_id, email, email_norm, phone, phone_e164, company, country)
		VALUES ('$1 bk$RUN', $BEA, '$2', NULLIF('$3', ''), '$4', NULLIF('$5', ''), '$6', 'FR')"
}
lead Badlead 'bad@' '' 'abc' '' ''
lead Dupleadone "lead-bk$RUN@example.com" "lead-bk$RUN@example.com" "$(phone 5)" "$(phone 5)" Acme
lead Dupleadtwo "lead-bk$RUN@example.com" "lead-bk$RUN@example.com" "$(phone 6)" "$(phone 6)" Acme
$CTL analytics quality >/dev/null
snapshot "$TMP/q1"
# entity field missing invalid duplicate: what the records above add
want="accounts country 0 1 0
accounts name 0 0 2
accounts website 0 1 0
contacts account 0 1 0
contacts country 0 1 0
contacts email 1 1 2
contacts phone 0 1 0
leads company 1 0 0
leads country 0 0 0
leads email 0 1 2
leads phone 0 1 0"
delta=$(paste "$TMP/q0" "$TMP/q1" | awk '$1 == $6 && $2 == $7 {print $1, $2, $8 - $3, $9 - $4, $10 - $5}')
[ "$delta" = "$want" ] && ok "baskets: quality counts rise by exactly the missing, invalid and duplicate values added (11 fields)" ||
	fail "baskets: quality deltas:
$(diff <(echo "$want") <(echo "$delta"))"

# The page: counts, the chart of the worst fields, and links to fix the records.
fetch -b "$TMP/bea" "$BASE/reports/quality"
[ "$STATUS" = 200 ] && ok "baskets: GET /reports/quality" || fail "baskets: quality status $STATUS"
expect_valid_html "baskets: the quality page is valid HTML"
expect_body "baskets: the worst fields as a chart" 'id="chart-quality"'
n=$($SQL -e "SELECT duplicate FROM data_quality WHERE entity = 'accounts' AND field = 'name'")
grep -A1 'id="quality-accounts-name"' "$TMP/b" | grep -q "quality-duplicate\">$n<" && ok "baskets: the table shows each count ($n duplicate account names)" || fail "baskets: accounts name row: $(grep -A1 'id="quality-accounts-name"' "$TMP/b")"
# Each example link leads to the record's form, and the record has the problem.
link=$(grep -o 'href="/customers/contacts/[0-9]*#contact-form" class="fix-link" id="fix-contacts-email-invalid-[0-9]*"' "$TMP/b" | head -1)
cid=$(echo "$link" | sed 's/.*invalid-//; s/"$//')
if [ -n "$cid" ]; then
	fetch -b "$TMP/bea" "$BASE/customers/contacts/$cid"
	[ "$STATUS" = 200 ] && grep -q 'id="contact-form"' "$TMP/b" && ok "baskets: an invalid e-mail's link opens the contact's edit form" || fail "baskets: fix link $cid: $STATUS"
else
	fail "baskets: no link for an invalid contact e-mail"
fi
fetch -b "$TMP/bea" "$BASE/api/v1/reports/quality"
"$PY" - "$TMP/b" "$BEA" > "$TMP/ex" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["fields"]:
    for p in f["problem_list"]:
        for x in p["examples"]:
            print(f["entity"], f["field"], p["problem"], x["id"], x["url"])
PY
[ -s "$TMP/ex" ] && ok "baskets: the API lists each problem's examples ($(wc -l < "$TMP/ex") in all)" || fail "baskets: the API has no examples: $(head -c 300 "$TMP/b")"
# Our own records show up wherever fewer than 20 had the problem before.
missing=""
while read -r entity field problem rec; do
	before=$(awk -v e="$entity" -v f="$field" -v p="$problem" '$1 == e && $2 == f {print (p == "missing" ? $3 : p == "invalid" ? $4 : $5)}' "$TMP/q0")
	[ "$before" -lt 20 ] || continue
	grep -q "^$entity $field $problem $rec " "$TMP/ex" || missing="$missing $entity/$field/$problem/$rec"
done <<EOF
contacts email invalid $($SQL -e "SELECT id FROM contacts WHERE full_name = 'Bademail bk$RUN'")
contacts email missing $($SQL -e "SELECT id FROM contacts WHERE full_name = 'Noemail bk$RUN'")
contacts email duplicate $($SQL -e "SELECT id FROM contacts WHERE full_name = 'Duptwo bk$RUN'")
contacts phone invalid $($SQL -e "SELECT id FROM contacts WHERE full_name = 'Badphone bk$RUN'")
leads email invalid $($SQL -e "SELECT id FROM leads WHERE full_name = 'Badlead bk$RUN'")
leads phone invalid $($SQL -e "SELECT id FROM leads WHERE full_name = 'Badlead bk$RUN'")
accounts name duplicate $QA
contacts account invalid $($SQL -e "SELECT id FROM contacts WHERE full_name = 'Orphan bk$RUN'")
EOF
[ -z "$missing" ] && ok "baskets: the records made bad here are among the examples (where the first 20 reach them)" || fail "baskets: examples lack$missing"
grep -q "^leads email invalid [0-9]* /sales/leads/[0-9]*#lead-form$" "$TMP/ex" && grep -q "^accounts [a-z]* [a-z]* [0-9]* /customers/accounts/[0-9]*#account-form$" "$TMP/ex" &&
	ok "baskets: leads link to /sales/leads/:id, accounts to /customers/accounts/:id" || fail "baskets: example links: $(head -3 "$TMP/ex")"
# A sales rep sees the counts but only the examples of records that are theirs.
fetch -b "$TMP/sam" "$BASE/reports/quality"
[ "$STATUS" = 200 ] && ! grep -q 'class="fix-link"' "$TMP/b" && grep -q 'id="quality-contacts-email"' "$TMP/b" &&
	ok "baskets: a rep who owns none of them sees the counts and no record's link" || fail "baskets: sam's quality page: $STATUS $(grep -c fix-link "$TMP/b") links"
expect_status "baskets: signed out, the quality page asks to sign in" 303 "$BASE/reports/quality"
