#!/bin/bash
# Invoices: issued from an order with its amounts, one per order and never
# for a cancelled one, numbered without gaps (a rolled-back issue gives
# its number back, concurrent issues never share one), payments moving
# the status (partly paid, paid) and never beyond what is owed, overdue
# computed when read, removal of a payment as a correction, the record
# scope, the list's filters and keyset pages, the customer's link signed
# out, the PDF with its QR code, and the account page's sales.
. "$(dirname "$0")/lib.sh"
IP=127.0.11.$(( $$ % 250 + 1 ))
RUN=$$
PW='invoices get paid 2026'

for who in ada:admin mia:manager sam:sales tom:sales ro:read-only kim:marketing; do
	echo "$PW" | $CTL user add --email "${who%%:*}-i$RUN@example.com" --name "${who%%:*} i$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-i$RUN@example.com"
done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-i$RUN@example.com'"; }
SAM=$(uid sam) TOM=$(uid tom)
# token JAR: a form token of the user's session.
token() { curl -s -b "$TMP/$1" "$BASE/sales/invoices" -o "$TMP/t.html"; csrf_of "$TMP/t.html"; }
for w in ada mia sam tom ro; do eval "T_$w=\$(token $w)"; done
post() { # JAR PATH args...: status in $STATUS, Location in $LOC
	jar=$1 path=$2
	shift 2
	tok=T_$jar
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' \
		--data-urlencode "csrf_token=${!tok}" "$@" "$BASE$path")
	LOC=$(grep -i '^location:' "$TMP/h" | tr -d '\r' | sed 's/^[^:]*: //')
}
q() { $SQL -e "$1"; }

# What the tests sell: an account of Sam's, a product, and orders entered
# directly (orders come from accepted quotes elsewhere), each with two
# lines whose figures add up: 2.5 x 19.99 less 10 % plus 7.5 % tax, and
# 1 x 1000.00 plus 7.5 %.
ACC=$(q "INSERT INTO accounts (name, street, city, country, owner_id) VALUES ('Invoice Co $RUN', '1 Main St', 'Springfield', 'US', $SAM); SELECT LAST_INSERT_ID()")
PROD=$(q "INSERT INTO products (sku, name, unit, list_price, tax_rate) VALUES ('INV-$RUN', 'Widget $RUN', 'kg', 19.99, 7.5); SELECT LAST_INSERT_ID()")
order() { # OWNER [STATUS [ACCOUNT]]: prints the new order's id
	local id n
	n=$(q "SELECT COUNT(*) + 1 FROM orders WHERE number LIKE 'SO-I$RUN-%'")
	id=$(q "INSERT INTO orders (number, account_id, currency, status, ordered_on, subtotal, tax_total, total, total_base, owner_id)
		VALUES ('SO-I$RUN-$n', ${3:-$ACC}, 'USD', '${2:-confirmed}', CURRENT_DATE, 1044.98, 78.37, 1123.35, 1123.35, $1); SELECT LAST_INSERT_ID()")
	q "INSERT INTO order_lines (order_id, position, product_id, description, quantity, unit_price, discount, tax_rate, net, tax, total) VALUES
		($id, 1, $PROD, 'Blue', 2.5, 19.99, 10, 7.5, 44.98, 3.37, 48.35),
		($id, 2, $PROD, '', 1, 1000.00, 0, 7.5, 1000.00, 75.00, 1075.00)"
	echo "$id"
}
issue() { post "$1" /sales/invoices -d order_id="$2"; }
inv_of() { q "SELECT id FROM invoices WHERE order_id = $1"; }
# gapless: this year's sequences are 1..N, each once, and the counter says N.
gapless() {
	[ "$(q "SELECT CONCAT(COUNT(*), '|', COUNT(DISTINCT sequence), '|', COALESCE(MAX(sequence), 0), '|',
		(SELECT last_number FROM invoice_counters WHERE year = YEAR(CURRENT_DATE)))
		FROM invoices WHERE year = YEAR(CURRENT_DATE)")" = "$(q "SELECT CONCAT(c.n, '|', c.n, '|', c.n, '|', c.n)
		FROM (SELECT last_number AS n FROM invoice_counters WHERE year = YEAR(CURRENT_DATE)) c")" ]
}

# Issue from an order.
O1=$(order "$SAM")
issue sam "$O1"
I1=$(inv_of "$O1")
[ "$STATUS" = 303 ] && [ -n "$I1" ] && ok "a sales user issues the invoice of their order" || fail "issue: $STATUS $(head -c 300 "$TMP/b")"
case $LOC in */sales/invoices/$I1\?done=invoice-issued) ok "... and lands on the invoice" ;; *) fail "issue location: $LOC" ;; esac
[ "$(q "SELECT CONCAT(i.subtotal, '|', i.tax_total, '|', i.total, '|', i.currency, '|', i.account_id, '|', i.owner_id)
	FROM invoices i WHERE i.id = $I1")" = "1044.98|78.37|1123.35|USD|$ACC|$SAM" ] &&
	ok "the amounts, currency, account and owner are the order's" || fail "amounts: $(q "SELECT subtotal, tax_total, total FROM invoices WHERE id = $I1")"
[ "$(q "SELECT CONCAT(status, '|', paid, '|', issued_on = CURRENT_DATE, '|', due_on = CURRENT_DATE + INTERVAL 30 DAY)
	FROM invoices WHERE id = $I1")" = "unpaid|0.00|1|1" ] && ok "unpaid, issued today, due in the default 30 days" ||
	fail "dates: $(q "SELECT status, issued_on, due_on FROM invoices WHERE id = $I1")"
NUM1=$(q "SELECT number FROM invoices WHERE id = $I1")
[[ $NUM1 =~ ^INV-$(date -u +%Y)-[0-9]{6}$ ]] && [ "$NUM1" = "$(q "SELECT CONCAT('INV-', year, '-', LPAD(sequence, 6, '0')) FROM invoices WHERE id = $I1")" ] &&
	ok "the number is INV-<year>-<sequence of six digits> ($NUM1)" || fail "number: $NUM1"
TOK1=$(q "SELECT public_token FROM invoices WHERE id = $I1")
[[ $TOK1 =~ ^[A-Za-z0-9_-]{43}$ ]] && ok "a secret token for the customer's link" || fail "token: $TOK1"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND entity_id = $I1 AND action = 'create'")" = 1 ] &&
	ok "the issue is in the audit log" || fail "no audit row for the issue"
gapless && ok "the year's numbers have no gap" || fail "gap after the first issue"

# One invoice per order; never for a cancelled order; nothing for orders
# out of reach.
issue sam "$O1"
[ "$STATUS" = 409 ] && ok "a second invoice for the order is a conflict" || fail "second issue: $STATUS"
expect_body "... saying why" 'has an invoice already'
[ "$(q "SELECT COUNT(*) FROM invoices WHERE order_id = $O1")" = 1 ] && ok "... and the order still has one invoice" || fail "two invoices"
OC=$(order "$SAM" cancelled)
issue sam "$OC"
[ "$STATUS" = 409 ] && ok "a cancelled order cannot be invoiced" || fail "cancelled: $STATUS"
expect_body "... saying why" 'was cancelled'
[ -z "$(inv_of "$OC")" ] && ok "... and has no invoice" || fail "cancelled order got an invoice"
OT=$(order "$TOM")
issue sam "$OT"
[ "$STATUS" = 404 ] && ok "a sales user cannot invoice another owner's order (404)" || fail "foreign order: $STATUS"
issue sam 999999999
[ "$STATUS" = 404 ] && ok "an order that does not exist is 404" || fail "missing order: $STATUS"
issue sam "abc"
[ "$STATUS" = 422 ] && ok "an order id that is not one is 422" || fail "bad order id: $STATUS"
issue ro "$O1"
[ "$STATUS" = 403 ] && ok "a read-only user may not issue invoices" || fail "read-only issue: $STATUS"
[ -z "$(inv_of "$OT")" ] && ok "... and none of them issued anything" || fail "foreign order got an invoice"
gapless && ok "refused issues burn no number" || fail "a refused issue left a gap"

# A failure half way (the invoice's INSERT refused by a trigger) rolls the
# counter back with it: the number is not burnt.
OF=$(order "$SAM")
# (NULL into a NOT NULL column: the INSERT fails in strict mode.)
q "CREATE TRIGGER inv_fail_$RUN BEFORE INSERT ON invoices FOR EACH ROW
	SET NEW.currency = IF(NEW.order_id = $OF, NULL, NEW.currency)"
last=$(q "SELECT last_number FROM invoice_counters WHERE year = YEAR(CURRENT_DATE)")
issue sam "$OF"
q "DROP TRIGGER inv_fail_$RUN"
[ "$STATUS" = 500 ] && [ -z "$(inv_of "$OF")" ] && ok "an issue that fails half way leaves no invoice" || fail "failed issue: $STATUS"
gapless && ok "... and gives its number back (no gap)" || fail "failed issue burnt a number (counter $last -> $(q "SELECT last_number FROM invoice_counters WHERE year = YEAR(CURRENT_DATE)"))"
issue sam "$OF"
[ "$STATUS" = 303 ] && gapless && ok "the same order then gets the next number" || fail "reissue: $STATUS"

# Concurrent issues: six orders at once take six numbers, no gap, no
# duplicate; four issues of one order at once make one invoice.
CONC=""
for _ in 1 2 3 4 5 6; do CONC="$CONC $(order "$SAM")"; done
for o in $CONC; do
	curl -s -b "$TMP/sam" -o /dev/null -w '%{http_code}\n' --data-urlencode "csrf_token=$T_sam" -d order_id="$o" \
		"$BASE/sales/invoices" > "$TMP/conc-$o" &
done
wait
codes=$(cat "$TMP"/conc-* | sort | uniq -c | tr -s ' ')
[ "$codes" = " 6 303" ] && ok "six issues at once all succeed" || fail "concurrent issues: $codes"
ids=$(echo "$CONC" | tr -s ' ' ',' | sed 's/^,//')
[ "$(q "SELECT CONCAT(COUNT(*), '|', COUNT(DISTINCT number), '|', COUNT(DISTINCT sequence)) FROM invoices WHERE order_id IN ($ids)")" = "6|6|6" ] &&
	ok "... with six distinct numbers" || fail "concurrent numbers: $(q "SELECT number FROM invoices WHERE order_id IN ($ids)" | tr '\n' ' ')"
gapless && ok "... and the year's sequence has no gap and no duplicate" ||
	fail "gap or duplicate: $(q "SELECT GROUP_CONCAT(sequence ORDER BY sequence) FROM invoices WHERE year = YEAR(CURRENT_DATE)")"
O2=$(order "$SAM")
rm -f "$TMP"/same-*
for k in 1 2 3 4; do
	curl -s -b "$TMP/sam" -o /dev/null -w '%{http_code}\n' --data-urlencode "csrf_token=$T_sam" -d order_id="$O2" \
		"$BASE/sales/invoices" > "$TMP/same-$k" &
done
wait
codes=$(cat "$TMP"/same-* | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
[ "$codes" = " 1 303  3 409 " ] && [ "$(q "SELECT COUNT(*) FROM invoices WHERE order_id = $O2")" = 1 ] &&
	ok "four issues of one order at once make one invoice (the rest 409)" || fail "same order at once: $codes"

# The due days come from settings.
was=$(q "SELECT value FROM settings WHERE name = 'invoice_due_days'")
q "UPDATE settings SET value = '14' WHERE name = 'invoice_due_days'"
O3=$(order "$SAM")
issue sam "$O3"
q "UPDATE settings SET value = '$was' WHERE name = 'invoice_due_days'"
I3=$(inv_of "$O3")
[ "$(q "SELECT due_on = CURRENT_DATE + INTERVAL 14 DAY FROM invoices WHERE id = '$I3'")" = 1 ] &&
	ok "settings invoice_due_days sets the due date" || fail "due days: $(q "SELECT due_on FROM invoices WHERE id = '$I3'")"

# The invoice's page.
fetch -b "$TMP/sam" "$BASE/sales/invoices/$I1"
[ "$STATUS" = 200 ] && ok "the owner sees the invoice" || fail "page: $STATUS"
expect_valid_html "the invoice page is valid HTML"
expect_body "it shows the number" "id=\"invoice-number\">Invoice $NUM1<"
expect_body "it shows the total" 'id="invoice-total"><strong>\$1,123\.35<'
expect_body "it shows the lines from the order" "Widget $RUN: Blue.*2\.5 kg.*\\\$19\.99.*10 %.*7\.5 %.*\\\$44\.98"
expect_body "it shows the status" 'id="invoice-status">Unpaid<'
expect_body "it offers the payment form with what is owed" 'name="amount" inputmode="decimal" required value="1123\.35"'
expect_body "it links the customer's page" "href=\"[^\"]*/sales/i/$TOK1\""

# Payments: exact, more than owed refused, the status follows.
pay() { # JAR INVOICE AMOUNT [DATE [METHOD]]
	post "$1" "/sales/invoices/$2/payments" -d amount="$3" -d paid_on="${4:-$(date -u +%F)}" -d method="${5:-bank_transfer}" -d reference="R$RUN"
}
pay sam "$I1" 100.10
[ "$STATUS" = 303 ] && ok "a payment is recorded" || fail "pay: $STATUS $(grep -o 'field-error">[^<]*' "$TMP/b")"
pay sam "$I1" 0.20 "$(date -u +%F)" card
[ "$(q "SELECT CONCAT(status, '|', paid) FROM invoices WHERE id = $I1")" = "partly_paid|100.30" ] &&
	ok "two payments: partly paid, 100.30 exactly" || fail "partly: $(q "SELECT status, paid FROM invoices WHERE id = $I1")"
fetch -b "$TMP/sam" "$BASE/sales/invoices/$I1"
expect_body "the page says partly paid" 'id="invoice-status">Partly paid<'
expect_body "... and what is still owed" 'id="invoice-owed"><strong>\$1,023\.05<'
expect_body "... and lists the payments" 'Card.*\$0\.20'
np=$(q "SELECT COUNT(*) FROM payments WHERE invoice_id = $I1")
pay sam "$I1" 1023.06
[ "$STATUS" = 422 ] && ok "a payment of more than is owed is refused with 422" || fail "overpay: $STATUS"
expect_body "... saying so by the amount" 'field-error">The amount is more than is still owed'
expect_valid_html "... on a valid page"
for bad in 0 -5 1.999 abc; do
	pay sam "$I1" "$bad"
	[ "$STATUS" = 422 ] && ok "amount '$bad' is refused with 422" || fail "amount $bad: $STATUS"
done
pay sam "$I1" 1 2099-01-01
[ "$STATUS" = 422 ] && grep -q 'field-error">Enter the date it was paid' "$TMP/b" && ok "a payment dated in the future is refused" || fail "future date: $STATUS"
pay sam "$I1" 1 "$(date -u +%F)" barter
[ "$STATUS" = 422 ] && grep -q 'field-error">Choose a method' "$TMP/b" && ok "an unknown method is refused" || fail "method: $STATUS"
[ "$(q "SELECT COUNT(*) FROM payments WHERE invoice_id = $I1")" = "$np" ] && ok "... and none of them wrote a payment" || fail "a refused payment was written"
pay ro "$I1" 1
[ "$STATUS" = 403 ] && ok "a read-only user may not record payments" || fail "read-only pay: $STATUS"
pay sam "$I1" 1023.05 2026-01-15 cash
[ "$(q "SELECT CONCAT(status, '|', paid, '|', total - paid) FROM invoices WHERE id = $I1")" = "paid|1123.35|0.00" ] &&
	ok "paying what is owed makes it paid" || fail "paid: $(q "SELECT status, paid FROM invoices WHERE id = $I1")"
pay sam "$I1" 0.01
[ "$STATUS" = 422 ] && ok "nothing more can be paid on a paid invoice" || fail "pay paid: $STATUS"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND entity_id = $I1 AND action = 'payment'")" = 3 ] &&
	ok "each payment is in the audit log" || fail "payment audit rows: $(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND entity_id = $I1 AND action = 'payment'")"

# Removing a payment is a correction for approvers, audited.
P1=$(q "SELECT id FROM payments WHERE invoice_id = $I1 AND amount = 1023.05")
post sam "/sales/invoices/$I1/payments/$P1/delete"
[ "$STATUS" = 403 ] && ok "a sales user may not remove a payment (403)" || fail "sales remove: $STATUS"
post mia "/sales/invoices/$I1/payments/$P1/delete"
[ "$STATUS" = 404 ] && ok "a manager outside the owner's team does not find it (404)" || fail "manager remove: $STATUS"
post ada "/sales/invoices/$I1/payments/999999999/delete"
[ "$STATUS" = 404 ] && ok "removing a payment that is not the invoice's is 404" || fail "missing payment: $STATUS"
post ada "/sales/invoices/$I1/payments/$P1/delete"
[ "$STATUS" = 303 ] && [ -z "$(q "SELECT id FROM payments WHERE id = $P1")" ] && ok "an admin removes the payment" || fail "remove: $STATUS"
[ "$(q "SELECT CONCAT(status, '|', paid) FROM invoices WHERE id = $I1")" = "partly_paid|100.30" ] &&
	ok "... and the invoice is partly paid again" || fail "after remove: $(q "SELECT status, paid FROM invoices WHERE id = $I1")"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND entity_id = $I1 AND action = 'payment_removed'
	AND JSON_VALUE(changes, '$.before.amount') = '1023.05'")" = 1 ] && ok "... with the removed payment in the audit log" ||
	fail "remove audit: $(q "SELECT changes FROM audit_log WHERE entity = 'invoice' AND entity_id = $I1 ORDER BY id DESC LIMIT 1")"
fetch -b "$TMP/sam" "$BASE/sales/invoices/$I1"
expect_body "the history shows the payments and the removal" 'payment_removed.*payment'

# Overdue is computed when read: an unpaid invoice due yesterday.
I4=$(inv_of "$O3")
q "UPDATE invoices SET due_on = CURRENT_DATE - INTERVAL 1 DAY WHERE id IN ($I4, $I1)"
fetch -b "$TMP/sam" "$BASE/sales/invoices/$I4"
expect_body "an unpaid invoice past its due date shows overdue" 'id="invoice-status">Overdue<'
[ "$(q "SELECT status FROM invoices WHERE id = $I4")" = unpaid ] && ok "... while unpaid stays what is stored" || fail "stored overdue"
fetch -b "$TMP/sam" "$BASE/sales/invoices?status=overdue&account=$ACC"
grep -q "id=\"invoice-$I4\"" "$TMP/b" && grep -q "id=\"invoice-$I1\"" "$TMP/b" && ! grep -q "id=\"invoice-$(inv_of "$O2")\"" "$TMP/b" &&
	ok "the overdue filter lists unpaid and partly paid invoices past due, only those" || fail "overdue filter"
expect_body "... shown as overdue in the list" "badge badge-bad status-overdue\">Overdue<"
fetch -b "$TMP/sam" "$BASE/sales/invoices?status=unpaid&account=$ACC"
! grep -q "id=\"invoice-$I4\"" "$TMP/b" && grep -q "id=\"invoice-$(inv_of "$O2")\"" "$TMP/b" &&
	ok "the unpaid filter leaves the overdue ones out" || fail "unpaid filter"
I2=$(inv_of "$O2")
pay sam "$I2" 1123.35
q "UPDATE invoices SET due_on = CURRENT_DATE - INTERVAL 1 DAY WHERE id = $I2"
fetch -b "$TMP/sam" "$BASE/sales/invoices/$I2"
expect_body "a paid invoice past its due date is not overdue" 'id="invoice-status">Paid<'

# The list: totals and what is owed per row, filters, keyset pages.
fetch -b "$TMP/sam" "$BASE/sales/invoices?account=$ACC"
[ "$STATUS" = 200 ] && ok "the list answers" || fail "list: $STATUS"
expect_valid_html "the list is valid HTML"
expect_body "a row shows the total and what is still owed" "id=\"invoice-$I1\">.*\\\$1,123\\.35</td><td class=\"num\">\\\$1,023\\.05<"
expect_body "the list is in the sales navigation" 'href="/sales/invoices" aria-current="page"'
fetch -b "$TMP/sam" "$BASE/sales/invoices?account=$ACC&year=2001"
expect_body "a year without invoices lists none" 'No invoices match'
expect_status "a bad status filter is 400" 400 -b "$TMP/sam" "$BASE/sales/invoices?status=lost"
expect_status "a bad year is 400" 400 -b "$TMP/sam" "$BASE/sales/invoices?year=20x6"
# 55 invoices of another account in a far year (numbers of their own year, so
# this year's sequence is untouched): two pages, no row twice.
ACC2=$(q "INSERT INTO accounts (name, owner_id) VALUES ('Paged Co $RUN', $SAM); SELECT LAST_INSERT_ID()")
OP=$(order "$SAM" confirmed "$ACC2")
YR=$((2100 + RUN % 99))
q "INSERT INTO invoices (number, year, sequence, order_id, account_id, currency, issued_on, due_on, subtotal, tax_total, total, owner_id)
	SELECT CONCAT('INV-P$RUN-', seq), $YR, $RUN * 100 + seq, $OP, $ACC2, 'USD', MAKEDATE($YR, 1) + INTERVAL (seq DIV 2) DAY,
	MAKEDATE($YR, 1) + INTERVAL 40 DAY, 10, 0, 10, $SAM FROM seq_1_to_55"
fetch -b "$TMP/sam" "$BASE/sales/invoices?account=$ACC2&year=$YR"
p1=$(grep -o 'id="invoice-[0-9]*"' "$TMP/b" | sort -u)
[ "$(echo "$p1" | wc -l)" = 50 ] && ok "the first page has 50 invoices" || fail "page 1: $(echo "$p1" | wc -l)"
expect_body "... newest first" "INV-P$RUN-55<"
next=$(grep -o 'href="[^"]*" id="next-page"' "$TMP/b" | sed 's/href="//;s/" id.*//;s/&amp;/\&/g')
[ -n "$next" ] && ok "... and a link to the next page" || fail "no next page"
fetch -b "$TMP/sam" "$BASE$next"
p2=$(grep -o 'id="invoice-[0-9]*"' "$TMP/b" | sort -u)
[ "$(echo "$p2" | wc -l)" = 5 ] && [ -z "$(comm -12 <(echo "$p1") <(echo "$p2"))" ] &&
	ok "the second page has the other 5, none twice" || fail "page 2: $(echo "$p2" | wc -l)"
grep -q "INV-P$RUN-1<" "$TMP/b" && ok "... down to the oldest" || fail "oldest missing"

# Scope: Tom (sales) does not reach Sam's invoices; read-only sees all.
expect_status "another sales user gets 404 for the invoice" 404 -b "$TMP/tom" "$BASE/sales/invoices/$I1"
expect_status "... and for its print page" 404 -b "$TMP/tom" "$BASE/sales/invoices/$I1/print"
expect_status "... and for its PDF" 404 -b "$TMP/tom" "$BASE/sales/invoices/$I1/pdf"
pay tom "$I1" 1
[ "$STATUS" = 404 ] && ok "... and cannot pay into it (404)" || fail "tom pay: $STATUS"
fetch -b "$TMP/tom" "$BASE/sales/invoices?account=$ACC"
grep -q "id=\"invoice-$I1\"" "$TMP/b" && fail "Tom's list shows Sam's invoice" || ok "... nor is it in their list"
expect_status "a read-only user sees it" 200 -b "$TMP/ro" "$BASE/sales/invoices/$I1"
expect_status "the API answers the invoice as JSON" 200 -b "$TMP/sam" "$BASE/api/v1/sales/invoices/$I1"
expect_body "... with what is owed" '"owed":"1023\.05"'

# The print page and the PDF.
fetch -b "$TMP/sam" "$BASE/sales/invoices/$I1/print"
[ "$STATUS" = 200 ] && ok "the print page answers" || fail "print: $STATUS"
expect_valid_html "the print page is valid HTML"
expect_body "... with the number" "Invoice $NUM1<"
grep -q 'src="data:image/svg+xml;base64,' "$TMP/b" && ok "... and the QR code of the link" || fail "no QR on the print page"
LINK="$(q "SELECT TRIM(TRAILING '/' FROM value) FROM settings WHERE name = 'public_url'")/sales/i/$TOK1"
fetch -b "$TMP/sam" "$BASE/sales/invoices/$I1/pdf"
[ "$STATUS" = 200 ] && ok "the PDF answers" || fail "pdf: $STATUS"
expect_header "... as application/pdf" '^content-type: application/pdf'
cp "$TMP/b" "$TMP/inv.pdf"
pdftotext "$TMP/inv.pdf" "$TMP/inv.txt" 2>/dev/null
grep -q "$NUM1" "$TMP/inv.txt" && ok "the PDF has the invoice's number" || fail "pdf number: $(head -c 300 "$TMP/inv.txt")"
grep -q '\$1,123\.35' "$TMP/inv.txt" && ok "the PDF has the total" || fail "pdf total"
grep -q '\$1,023\.05' "$TMP/inv.txt" && ok "... and what is still owed" || fail "pdf owed"
grep -q "Widget $RUN: Blue" "$TMP/inv.txt" && ok "... and the lines" || fail "pdf lines"
pdftoppm -r 150 -png -f 1 -l 1 "$TMP/inv.pdf" "$TMP/page" 2>/dev/null
qr=$(zbarimg -q --raw "$TMP"/page*.png 2>/dev/null | head -1)
[ "$qr" = "$LINK" ] && ok "the PDF's QR code is the customer's link" || fail "qr: '$qr', wanted '$LINK'"

# The customer's link, signed out.
expect_status "the customer's link opens signed out" 200 "$BASE/sales/i/$TOK1"
expect_valid_html "... as a valid page"
expect_body "... with the number" "Invoice $NUM1<"
expect_body "... and the total" '\$1,123\.35'
grep -q "sam i$RUN" "$TMP/b" && fail "the customer's page names the owner" || ok "... and nothing of who keeps it in the CRM"
expect_status "its PDF opens signed out" 200 "$BASE/sales/i/$TOK1/pdf"
expect_header "... as application/pdf" '^content-type: application/pdf'
expect_status "a made-up token is 404" 404 "$BASE/sales/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_status "... and its PDF too" 404 "$BASE/sales/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/pdf"
expect_status "a token of the wrong shape is 404" 404 "$BASE/sales/i/short"

# The account's page shows its sales, to those who may read sales: an open
# deal of Sam's, a won one (closed: not listed) and Tom's (out of reach).
PL=$(q "INSERT INTO pipelines (name) VALUES ('Pipe $RUN'); SELECT LAST_INSERT_ID()")
ST_OPEN=$(q "INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind) VALUES ($PL, 'Proposal $RUN', 1, 40, 'open'); SELECT LAST_INSERT_ID()")
ST_WON=$(q "INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind) VALUES ($PL, 'Won $RUN', 2, 100, 'won'); SELECT LAST_INSERT_ID()")
for deal in "Open deal $RUN:$ST_OPEN:$SAM" "Won deal $RUN:$ST_WON:$SAM" "Toms deal $RUN:$ST_OPEN:$TOM"; do
	IFS=: read -r dname dstage downer <<< "$deal"
	q "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id)
		VALUES ('$dname', $ACC, $PL, $dstage, 5000.50, 40, '2027-03-31', $downer)"
done
OPP=$(q "SELECT id FROM opportunities WHERE name = 'Open deal $RUN'")
fetch -b "$TMP/sam" "$BASE/customers/accounts/$ACC"
[ "$STATUS" = 200 ] && ok "the account page answers" || fail "account page: $STATUS"
expect_valid_html "... as valid HTML"
expect_body "it lists the latest orders" "href=\"/sales/orders/[0-9]+\">SO-I$RUN-[0-9]+</a>"
NUM4=$(q "SELECT number FROM invoices WHERE id = $I4")
expect_body "... and the latest invoices with what is owed" "href=\"/sales/invoices/$I4\">$NUM4</a> · <span class=\"badge badge-bad\">Overdue</span> · owed \\\$1,123\\.35"
expect_body "... and the lifetime total of the orders they reach (cancelled ones left out)" "id=\"account-lifetime\">\\\$$(q "SELECT FORMAT(SUM(total_base), 2) FROM orders WHERE account_id = $ACC AND status <> 'cancelled' AND owner_id = $SAM")<"
expect_body "... and the open opportunities with stage, amount and close date" "href=\"/sales/opportunities/$OPP\">Open deal $RUN</a> · Proposal $RUN · \\\$5,000\\.50 · closes 2027-03-31"
grep -q "Won deal $RUN" "$TMP/b" && fail "a won deal is listed as open" || ok "... but not the won ones"
grep -q "Toms deal $RUN" "$TMP/b" && fail "another owner's deal is on a sales user's page" || ok "... nor those of another owner"
n_orders=$(grep -o 'href="/sales/orders/' "$TMP/b" | wc -l)
[ "$n_orders" = 5 ] && ok "... the latest five orders only" || fail "orders shown: $n_orders"
fetch -b "$TMP/kim" "$BASE/customers/accounts/$ACC"
[ "$STATUS" = 200 ] && ! grep -q 'id="account-sales"' "$TMP/b" && ok "a user without sales.read sees the account without its sales" ||
	fail "kim: $STATUS $(grep -c account-sales "$TMP/b")"
fetch -b "$TMP/ada" "$BASE/customers/accounts/$ACC"
grep -q "href=\"/sales/invoices/$I4\"" "$TMP/b" && ok "an admin sees the account's invoices" || fail "admin account invoices"
expect_body "... and a lifetime total with every owner's orders" "id=\"account-lifetime\">\\\$$(q "SELECT FORMAT(SUM(total_base), 2) FROM orders WHERE account_id = $ACC AND status <> 'cancelled'")<"

$CTL audit verify >/dev/null 2>&1 && ok "the audit chain verifies" || fail "audit verify failed"
