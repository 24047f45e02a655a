#!/bin/bash
# Quotes and orders: exact totals (checked against an independent
# computation), editing a draft, the approval rule, sending, the
# customer's link signed out, the PDF and its QR code, acceptance (the
# order, the deal won, the audit), revising, expiry, another currency,
# the order's status moves, and record scope.
. "$(dirname "$0")/lib.sh"
IP=127.0.10.$(( $$ % 250 + 1 ))
RUN=$$
PW='quotes are exact 2026'

# Users: a sales rep and their manager in one team, another rep outside
# it, an admin and a read-only user.
$SQL -e "INSERT INTO teams (name) VALUES ('Quotes $RUN')"
TEAM=$($SQL -e "SELECT id FROM teams WHERE name = 'Quotes $RUN'")
for who in sam:sales mia:manager sue:sales ada:admin rob:read-only; do
	echo "$PW" | $CTL user add --email "${who%%:*}-q$RUN@example.com" --name "${who%%:*} q$RUN" --role "${who#*:}" --password-stdin >/dev/null
done
$SQL -e "UPDATE users SET team_id = $TEAM WHERE email IN ('sam-q$RUN@example.com', 'mia-q$RUN@example.com')"
for who in sam mia sue ada rob; do signin "$TMP/$who" "$who-q$RUN@example.com"; done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-q$RUN@example.com'"; }
SAM=$(uid sam) MIA=$(uid mia) ADA=$(uid ada)

# The catalogue: two products, a book in the base currency with a price
# for one of them (the other sells at its list price), a CHF book.
$SQL -e "INSERT INTO products (sku, name, unit, list_price, tax_rate) VALUES
	('Q$RUN-A', 'Widget $RUN', 'each', 19.99, 7.50), ('Q$RUN-B', 'Service $RUN', 'hour', 85.00, 19.00),
	('Q$RUN-C', 'Old $RUN', 'each', 5.00, 0)"
PA=$($SQL -e "SELECT id FROM products WHERE sku = 'Q$RUN-A'")
PB=$($SQL -e "SELECT id FROM products WHERE sku = 'Q$RUN-B'")
PC=$($SQL -e "SELECT id FROM products WHERE sku = 'Q$RUN-C'")
$SQL -e "UPDATE products SET active = FALSE WHERE id = $PC"
$SQL -e "INSERT INTO price_books (name, currency) VALUES ('Q$RUN USD', NULL), ('Q$RUN CHF', 'CHF')"
BOOK=$($SQL -e "SELECT id FROM price_books WHERE name = 'Q$RUN USD'")
CHF=$($SQL -e "SELECT id FROM price_books WHERE name = 'Q$RUN CHF'")
$SQL -e "INSERT INTO prices (price_book_id, product_id, price) VALUES ($BOOK, $PA, 17.45), ($CHF, $PA, 16.10), ($CHF, $PB, 77.35)"
$SQL -e "INSERT INTO exchange_rates (currency, rate) VALUES ('CHF', 0.87654321) ON DUPLICATE KEY UPDATE rate = rate"
BASECUR=$($SQL -e "SELECT value FROM settings WHERE name = 'base_currency'")

# The customer and a deal in the default pipeline's first open stage.
$SQL -e "INSERT INTO accounts (name, city, owner_id) VALUES ('Acme $RUN', 'Basel', $SAM)"
ACC=$($SQL -e "SELECT id FROM accounts WHERE name = 'Acme $RUN'")
$SQL -e "INSERT INTO contacts (full_name, last_name, account_id, owner_id) VALUES ('Carla $RUN', 'Carla', $ACC, $SAM)"
CON=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Carla $RUN'")
PIPE=$($SQL -e "SELECT id FROM pipelines WHERE is_default LIMIT 1")
OPEN=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $PIPE AND kind = 'open' ORDER BY position LIMIT 1")
WON=$($SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $PIPE AND kind = 'won'")
$SQL -e "INSERT INTO opportunities (name, account_id, contact_id, pipeline_id, stage_id, amount, probability, close_date, owner_id)
	VALUES ('Deal $RUN', $ACC, $CON, $PIPE, $OPEN, 500.00, 10.00, UTC_DATE() + INTERVAL 20 DAY, $SAM)"
OPP=$($SQL -e "SELECT id FROM opportunities WHERE name = 'Deal $RUN'")
$SQL -e "INSERT INTO opportunity_stage_history (opportunity_id, stage_id, entered_at, amount, user_id) VALUES ($OPP, $OPEN, NOW(), 500.00, $SAM)"
$SQL -e "INSERT INTO opportunity_lines (opportunity_id, position, product_id, quantity, unit_price, discount, total) VALUES ($OPP, 1, $PB, 4.000, 85.00, 5.00, 323.00)"

# The double-submit token a signed-out visitor's jar holds (crm_csrf).
jar_csrf() { awk '$6 == "crm_csrf" { print $7 }' "$1" | tail -1; }
# token JAR PAGE: the form token of a page the user can see.
token() { curl -s -b "$TMP/$1" "$BASE$2" -o "$TMP/t.html"; csrf_of "$TMP/t.html"; }
post() { # JAR PATH args...: status in $STATUS, Location in $LOC
	jar=$1 path=$2
	shift 2
	STATUS=$(curl -s -b "$TMP/$jar" -c "$TMP/$jar" -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' \
		--data-urlencode "csrf_token=$(token "$jar" /sales/quotes)" "$@" "$BASE$path")
	LOC=$(grep -i '^location:' "$TMP/h" | tr -d '\r' | sed 's/^[^:]*: //')
}
q() { $SQL -e "$1"; }
VALID=$(date -u -d '+20 days' +%F)

# The lines' money, computed here independently: Python's Decimal with
# half away from zero at each cent, as an invoice rounds.
expect_totals() { # label price_book lines ("qty:price:discount:tax" ...)
	python3 - "$@" <<'PY'
import sys
from decimal import Decimal as D, ROUND_HALF_UP
c = lambda x: x.quantize(D('0.01'), rounding=ROUND_HALF_UP)
sub = dis = tax = tot = D(0)
for l in sys.argv[1:]:
    q, p, d, t = (D(x) for x in l.split(':'))
    g = c(q * p); di = c(g * d / 100); n = g - di; tx = c(n * t / 100)
    sub += n; dis += di; tax += tx; tot += n + tx
print(f"{sub}|{dis}|{tax}|{tot}")
PY
}

# 0. The admin settings carry the company's details and the quote rules.
settings_post() { # extra args override the stored values
	args=()
	for name in company_name base_currency time_zone smtp_relay session_idle_minutes session_max_hours \
		company_address company_email company_phone quote_approval_discount quote_valid_days; do
		args+=(--data-urlencode "$name=$(q "SELECT value FROM settings WHERE name = '$name'")")
	done
	STATUS=$(curl -s -b "$TMP/ada" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(token ada /admin/settings)" \
		"${args[@]}" "$@" "$BASE/admin/settings")
}
expect_status "the settings page has the quote settings" 200 -b "$TMP/ada" "$BASE/admin/settings"
expect_body "the company address is a text area" '<textarea id="company_address"'
expect_body "the approval limit is a setting" 'id="quote_approval_discount"'
settings_post --data-urlencode company_tax_id="CHE-$RUN" --data-urlencode public_url="ftp://crm example.com"
[ "$STATUS" = 422 ] && grep -q 'such as https://crm.example.com' "$TMP/b" && ok "a bad public address is refused" || fail "bad public_url: $STATUS"
settings_post --data-urlencode company_tax_id="CHE-$RUN" --data-urlencode public_url="$BASE/"
[ "$STATUS" = 303 ] && [ "$(q "SELECT value FROM settings WHERE name = 'company_tax_id'")" = "CHE-$RUN" ] &&
	ok "the admin saves the company's tax ID and the public address" || fail "settings: $STATUS $(grep -o 'field-error">[^<]*' "$TMP/b")"

# 1. The form, and a quote from the deal.
expect_status "the new-quote form opens" 200 -b "$TMP/sam" "$BASE/sales/quotes/new"
expect_valid_html "the quote form is valid HTML"
expect_body "the form has the first line's product field" 'name="line_product_1"'
grep -q 'name="line_price_1"' "$TMP/b" && fail "a sales user sees a price field" || ok "a sales user sees no price field"
expect_status "a quote from a deal opens prefilled" 200 -b "$TMP/sam" "$BASE/sales/quotes/new?opportunity_id=$OPP"
expect_body "the deal's account is filled in" "value=\"Acme $RUN #$ACC\""
expect_body "the deal's line is filled in" "value=\"Service $RUN #$PB\""
expect_status "the line's product picker answers" 200 -b "$TMP/sam" "$BASE/api/v1/sales/quotes/products?q=Widget%20$RUN"
expect_body "it offers the active product as Name (SKU) #id" "\"value\":\"Widget $RUN \\(Q$RUN-A\\) #$PA\""
expect_status "the picker leaves inactive products out" 200 -b "$TMP/sam" "$BASE/api/v1/sales/quotes/products?q=Old%20$RUN"
grep -q "#$PC" "$TMP/b" && fail "the picker offers an inactive product" || ok "no inactive product in the picker"
expect_status "a deal out of reach is not found" 404 -b "$TMP/sue" "$BASE/sales/quotes/new?opportunity_id=$OPP"

# 2. Create: two lines, one priced by the book, one at the list price.
post sam /sales/quotes -d account="Acme $RUN #$ACC" -d contact="Carla $RUN #$CON" -d price_book_id=$BOOK \
	-d valid_until=$VALID --data-urlencode title="Office $RUN" -d opportunity_id=$OPP \
	-d line_product_1="Widget $RUN #$PA" -d line_quantity_1=3 -d line_discount_1=10 \
	-d line_product_2="Q$RUN-B" -d line_quantity_2=2.5 -d line_discount_2=0 --data-urlencode line_description_2="On site" \
	-d terms="Net 30"
[ "$STATUS" = 303 ] && ok "a sales user creates a quote" || fail "create: $STATUS $(head -c 400 "$TMP/b")"
Q1=$(q "SELECT id FROM quotes WHERE title = 'Office $RUN'")
case $LOC in */sales/quotes/$Q1\?done=created) ok "the create redirects to the quote" ;; *) fail "location: $LOC" ;; esac
NUM=$(q "SELECT number FROM quotes WHERE id = '$Q1'")
[[ $NUM =~ ^Q-$(date -u +%Y)-[0-9]{5}$ ]] && ok "the number is Q-year-sequence ($NUM)" || fail "number: $NUM"
want=$(expect_totals 3:17.45:10:7.5 2.5:85.00:0:19)
got=$(q "SELECT CONCAT(subtotal, '|', discount_total, '|', tax_total, '|', total) FROM quotes WHERE id = '$Q1'")
[ "$got" = "$want" ] && ok "the stored totals are exact ($got)" || fail "totals: $got, computed $want"
got=$(q "SELECT GROUP_CONCAT(CONCAT(quantity, ':', unit_price, ':', discount, ':', tax_rate, ':', net, ':', tax, ':', total) ORDER BY position SEPARATOR ' ') FROM quote_lines WHERE quote_id = '$Q1'")
[ "$got" = "3.000:17.45:10.00:7.50:47.11:3.53:50.64 2.500:85.00:0.00:19.00:212.50:40.38:252.88" ] &&
	ok "each line is stored with the book's price, the product's tax and rounded amounts" || fail "lines: $got"
[ "$(q "SELECT CONCAT(currency, '|', max_discount, '|', status, '|', owner_id, '|', opportunity_id, '|', contact_id) FROM quotes WHERE id = '$Q1'")" = "$BASECUR|10.00|draft|$SAM|$OPP|$CON" ] &&
	ok "currency, largest discount, status, owner, deal and contact are stored" || fail "quote row: $(q "SELECT currency, max_discount, status FROM quotes WHERE id = '$Q1'")"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'quote' AND entity_id = '$Q1' AND action = 'create' AND user_id = $SAM")" = 1 ] &&
	ok "the create is audited" || fail "no audit row for the create"
expect_status "the quote page opens" 200 -b "$TMP/sam" "$BASE/sales/quotes/$Q1"
expect_valid_html "the quote page is valid HTML"
expect_body "the page shows the total" "id=\"quote-total\">\\\$303\\.52<"
expect_body "the page offers sending (no approval needed)" 'id="quote-send"'

# 3. Bad input is refused, nothing written.
n=$(q "SELECT COUNT(*) FROM quotes")
post sam /sales/quotes -d account="Nobody #999999999" -d price_book_id=$BOOK -d valid_until=2000-01-01 \
	-d line_product_1="Old $RUN #$PC" -d line_quantity_1=1
[ "$STATUS" = 422 ] && ok "bad values are refused with 422" || fail "bad: $STATUS"
expect_valid_html "the form shown again is valid HTML"
expect_body "the account is named" 'Choose an account from the list'
expect_body "the date is named" 'Enter a date from today on'
expect_body "an inactive product is refused on its line" 'Choose an active product'
post sam /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID
[ "$STATUS" = 422 ] && grep -q 'Add at least one line' "$TMP/b" && ok "a quote needs a line" || fail "no lines: $STATUS"
post sam /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID -d line_product_1=$PA -d line_quantity_1=1 -d line_price_1=1.00
[ "$STATUS" = 422 ] && grep -q 'Only a user who approves quotes may change a price' "$TMP/b" &&
	ok "a sales user may not change a price" || fail "price override by sales: $STATUS"
post sam /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID -d line_product_1=$PA -d line_quantity_1=-2 -d line_discount_1=120
[ "$STATUS" = 422 ] && ok "a negative quantity is refused" || fail "negative qty: $STATUS"
[ "$(q "SELECT COUNT(*) FROM quotes")" = "$n" ] && ok "nothing was written" || fail "a quote was written"
post sue /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID -d line_product_1=$PA
[ "$STATUS" = 422 ] && grep -q 'Choose an account from the list' "$TMP/b" &&
	ok "an account out of the user's scope cannot be quoted" || fail "foreign account: $STATUS"

# 4. Edit the draft: a larger discount, above the approval limit (15 %).
expect_status "the edit form opens" 200 -b "$TMP/sam" "$BASE/sales/quotes/$Q1/edit"
expect_body "the edit form has the stored line" "value=\"Widget $RUN #$PA\""
post sam "/sales/quotes/$Q1" -d account="Acme $RUN #$ACC" -d contact="$CON" -d price_book_id=$BOOK \
	-d valid_until=$VALID --data-urlencode title="Office $RUN" \
	-d line_product_1="$PA" -d line_quantity_1=4 -d line_discount_1=20 \
	-d line_product_2="$PB" -d line_quantity_2=1.333 -d line_discount_2=2.5
[ "$STATUS" = 303 ] && ok "the draft is saved" || fail "update: $STATUS $(head -c 300 "$TMP/b")"
want=$(expect_totals 4:17.45:20:7.5 1.333:85.00:2.5:19)
got=$(q "SELECT CONCAT(subtotal, '|', discount_total, '|', tax_total, '|', total) FROM quotes WHERE id = '$Q1'")
[ "$got" = "$want" ] && ok "the edited totals are exact ($got)" || fail "edited totals: $got, computed $want"
[ "$(q "SELECT CONCAT(max_discount, '|', COUNT(l.id), '|', q.opportunity_id) FROM quotes q JOIN quote_lines l ON l.quote_id = q.id WHERE q.id = '$Q1'")" = "20.00|2|$OPP" ] &&
	ok "the lines were replaced and the deal kept" || fail "after edit: $(q "SELECT max_discount FROM quotes WHERE id = '$Q1'")"

# 5. Approval: sending is blocked, a sales user may not approve, the
# manager approves.
post sam "/sales/quotes/$Q1/send"
[ "$STATUS" = 409 ] && ok "a quote above the discount limit cannot be sent" || fail "send unapproved: $STATUS"
expect_body "the refusal says a manager must approve" 'manager must approve'
post sam "/sales/quotes/$Q1/approve"
[ "$STATUS" = 403 ] && ok "a sales user gets 403 on the approve route" || fail "sales approve: $STATUS"
post sam "/sales/quotes/$Q1/request-approval"
[ "$STATUS" = 303 ] && [ "$(q "SELECT status FROM quotes WHERE id = '$Q1'")" = pending_approval ] &&
	ok "the owner asks for approval" || fail "request approval: $STATUS"
expect_status "the manager sees the quote" 200 -b "$TMP/mia" "$BASE/sales/quotes/$Q1"
expect_body "the manager is offered approve and reject" 'id="quote-approve".*|id="quote-reject"'
expect_valid_html "the page with the approval forms is valid HTML"
post mia "/sales/quotes/$Q1/reject" -d note=
[ "$STATUS" = 422 ] && ok "a rejection needs a reason" || fail "reject without note: $STATUS"
post mia "/sales/quotes/$Q1/approve" -d note="OK for $RUN"
[ "$STATUS" = 303 ] && ok "the manager approves" || fail "approve: $STATUS $(head -c 300 "$TMP/b")"
[ "$(q "SELECT CONCAT(status, '|', approved_by, '|', approval_note, '|', approved_at IS NOT NULL) FROM quotes WHERE id = '$Q1'")" = "approved|$MIA|OK for $RUN|1" ] &&
	ok "the approval is recorded" || fail "approval: $(q "SELECT status, approved_by FROM quotes WHERE id = '$Q1'")"
expect_status "a sales user outside the team cannot see the quote" 404 -b "$TMP/sue" "$BASE/sales/quotes/$Q1"

# The owner cannot approve their own quote unless an admin.
post mia /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID --data-urlencode title="Own $RUN" \
	-d line_product_1=$PA -d line_quantity_1=1 -d line_discount_1=30 -d line_price_1=10.00
[ "$STATUS" = 303 ] && ok "a manager may change a price" || fail "manager create: $STATUS $(head -c 300 "$TMP/b")"
QM=$(q "SELECT id FROM quotes WHERE title = 'Own $RUN'")
[ "$(q "SELECT unit_price FROM quote_lines WHERE quote_id = '$QM'")" = "10.00" ] && ok "the typed price is stored" || fail "override not stored"
post mia "/sales/quotes/$QM/approve"
[ "$STATUS" = 403 ] && ok "a manager cannot approve their own quote" || fail "self approve: $STATUS"
post ada /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID --data-urlencode title="Admin $RUN" \
	-d line_product_1=$PA -d line_quantity_1=1 -d line_discount_1=30
QA=$(q "SELECT id FROM quotes WHERE title = 'Admin $RUN'")
post ada "/sales/quotes/$QA/approve"
[ "$STATUS" = 303 ] && [ "$(q "SELECT status FROM quotes WHERE id = '$QA'")" = approved ] &&
	ok "an admin may approve their own quote" || fail "admin self approve: $STATUS"
post ada "/sales/quotes/$QM/reject" -d note="Too cheap $RUN"
[ "$STATUS" = 303 ] && [ "$(q "SELECT CONCAT(status, '|', approval_note) FROM quotes WHERE id = '$QM'")" = "rejected|Too cheap $RUN" ] &&
	ok "a rejection is recorded with its note" || fail "reject: $STATUS"

# 6. Send: frozen, with a secret link.
post sam "/sales/quotes/$Q1/send"
[ "$STATUS" = 303 ] && ok "the approved quote is sent" || fail "send: $STATUS $(head -c 300 "$TMP/b")"
TOK=$(q "SELECT public_token FROM quotes WHERE id = '$Q1'")
[ ${#TOK} = 43 ] && [ "$(q "SELECT CONCAT(status, '|', sent_at IS NOT NULL) FROM quotes WHERE id = '$Q1'")" = "sent|1" ] &&
	ok "sending sets sent_at and a 43-character token" || fail "token: '$TOK'"
expect_status "a sent quote cannot be edited" 409 -b "$TMP/sam" "$BASE/sales/quotes/$Q1/edit"
post sam "/sales/quotes/$Q1" -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID -d line_product_1=$PA
[ "$STATUS" = 409 ] && ok "saving a sent quote is a conflict" || fail "update sent: $STATUS"
post sam "/sales/quotes/$Q1/send"
[ "$STATUS" = 409 ] && ok "a sent quote is not sent twice" || fail "send twice: $STATUS"
expect_status "the quote page shows the link" 200 -b "$TMP/sam" "$BASE/sales/quotes/$Q1"
LINK=$(grep -o 'id="quote-link">[^<]*' "$TMP/b" | sed 's/.*>//')
[ "$LINK" = "$BASE/sales/q/$TOK" ] && ok "the link is public_url/sales/q/<token>" || fail "link: $LINK"
grep -qF -- "$TOK" <<<"$(q "SELECT changes FROM audit_log WHERE entity = 'quote' AND entity_id = '$Q1'")" &&
	fail "the token is in the audit log" || ok "the audit log does not keep the token"

# 7. The customer's page, signed out.
JAR=$TMP/customer
expect_status "the customer's link opens signed out" 200 -c "$JAR" -b "$JAR" "$BASE/sales/q/$TOK"
expect_valid_html "the customer's page is valid HTML"
expect_body "it shows the number" "$NUM v1"
TOTAL=$(q "SELECT total FROM quotes WHERE id = '$Q1'")
expect_body "it shows the total" "id=\"doc-total\">\\\$${TOTAL/./\\.}<"
grep -q 'class="nav"' "$TMP/b" && fail "the customer's page has the staff navigation" || ok "no staff navigation"
grep -q "OK for $RUN" "$TMP/b" && fail "the approval note is shown to the customer" || ok "internal notes are not shown"
expect_body "the accept form is there" 'id="accept-form"'
expect_header "a signed-out visitor gets the form cookie" 'set-cookie: crm_csrf='
PUBCSRF=$(csrf_of "$TMP/b")
expect_status "a made-up token is not found" 404 "$BASE/sales/q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_status "a malformed token is not found" 404 "$BASE/sales/q/x'y"
expect_status "the public API answers too" 200 "$BASE/api/v1/sales/q/$TOK"
grep -q '"owner_id"\|"approval_note"\|"max_discount"' "$TMP/b" && fail "the public JSON has internals" || ok "the public JSON has no internals"

# 8. Print page and PDF (staff and public): number, total, QR = link.
expect_status "the print page opens" 200 -b "$TMP/sam" "$BASE/sales/quotes/$Q1/print"
expect_valid_html "the print page is valid HTML"
expect_body "the print page has its stylesheet" 'css/document.css'
grep -q 'class="nav"' "$TMP/b" && fail "the print page has the navigation" || ok "the print page has no navigation"
expect_body "the print page has the company's tax ID" "CHE-$RUN"
expect_body "the print page has the QR code" 'id="doc-qr"><img src="data:image/svg\+xml;base64,'
for who in staff public; do
	if [ $who = staff ]; then url="$BASE/sales/quotes/$Q1/pdf"; args="-b $TMP/sam"; else url="$BASE/sales/q/$TOK/pdf"; args=""; fi
	curl -s $args -o "$TMP/q.pdf" -D "$TMP/h" "$url"
	expect_header "the $who PDF is a PDF" 'content-type: application/pdf'
	pdftotext "$TMP/q.pdf" "$TMP/q.txt" 2>/dev/null
	grep -q "$NUM" "$TMP/q.txt" && ok "the $who PDF has the number" || fail "$who PDF lacks $NUM"
	grep -q "${TOTAL}" "$TMP/q.txt" && ok "the $who PDF has the total" || fail "$who PDF lacks $TOTAL: $(head -c 300 "$TMP/q.txt")"
	pdftoppm -r 150 -png -f 1 -l 1 "$TMP/q.pdf" "$TMP/page" 2>/dev/null
	got=$(zbarimg -q --raw "$TMP"/page*.png 2>/dev/null | head -1)
	[ "$got" = "$LINK" ] && ok "the $who PDF's QR code is the link" || fail "$who QR: '$got', wanted $LINK"
	rm -f "$TMP"/page*.png
done
expect_status "a sales user out of scope gets no PDF" 404 -b "$TMP/sue" "$BASE/sales/quotes/$Q1/pdf"
# In English the PDF embeds DejaVu Sans; for a user who reads Chinese its
# labels are Chinese and it embeds a font that has them.
pdffonts "$TMP/q.pdf" 2>/dev/null | grep -q DejaVuSans && ok "an English PDF embeds DejaVu Sans" || fail "English PDF fonts: $(pdffonts "$TMP/q.pdf" 2>&1 | tail -1)"
$SQL -e "UPDATE users SET language = 'zh_CN' WHERE id = $SAM"
curl -s -b "$TMP/sam" -o "$TMP/zh.pdf" "$BASE/sales/quotes/$Q1/pdf"
$SQL -e "UPDATE users SET language = 'en' WHERE id = $SAM"
pdftotext "$TMP/zh.pdf" "$TMP/zh.txt" 2>/dev/null
grep -q "报价单" "$TMP/zh.txt" && grep -q "$NUM" "$TMP/zh.txt" && ok "a Chinese reader's PDF is in Chinese" || fail "zh PDF: $(head -c 200 "$TMP/zh.txt")"
pdffonts "$TMP/zh.pdf" 2>/dev/null | grep -q WenQuanYi && ok "... in a font with the Chinese characters" || fail "zh PDF fonts: $(pdffonts "$TMP/zh.pdf" 2>&1 | tail -1)"

# 9. Accept: the form token is required, a name too; then the order.
STATUS=$(curl -s -o "$TMP/b" -w '%{http_code}' -d accepted_name="Carla $RUN" "$BASE/sales/q/$TOK/accept")
[ "$STATUS" = 403 ] && ok "accepting without the form token is refused" || fail "no csrf: $STATUS"
STATUS=$(curl -s -b "$JAR" -c "$JAR" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$PUBCSRF" -d accepted_name= "$BASE/sales/q/$TOK/accept")
[ "$STATUS" = 422 ] && grep -q 'Type your full name' "$TMP/b" && ok "accepting needs a typed name" || fail "no name: $STATUS"
STATUS=$(curl -s -b "$JAR" -c "$JAR" -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' --data-urlencode "csrf_token=$PUBCSRF" \
	--data-urlencode accepted_name="Carla $RUN" "$BASE/sales/q/$TOK/accept")
[ "$STATUS" = 303 ] && ok "the customer accepts" || fail "accept: $STATUS $(head -c 300 "$TMP/b")"
[ "$(q "SELECT CONCAT(status, '|', accepted_name, '|', accepted_ip, '|', accepted_at IS NOT NULL) FROM quotes WHERE id = '$Q1'")" = "accepted|Carla $RUN|127.0.0.1|1" ] &&
	ok "acceptance records the name, address and time" || fail "accepted: $(q "SELECT status, accepted_name, accepted_ip FROM quotes WHERE id = '$Q1'")"
ORD=$(q "SELECT id FROM orders WHERE quote_id = '$Q1'")
[ -n "$ORD" ] && ok "an order was created" || fail "no order"
[ "$(q "SELECT CONCAT(o.subtotal, '|', o.tax_total, '|', o.total, '|', o.total_base, '|', o.status, '|', o.ordered_on = UTC_DATE(), '|', o.owner_id, '|', o.opportunity_id)
	FROM orders o WHERE o.id = '$ORD'")" = "$(q "SELECT CONCAT(subtotal, '|', tax_total, '|', total, '|', total, '|confirmed|1|', owner_id, '|', opportunity_id) FROM quotes WHERE id = '$Q1'")" ] &&
	ok "the order has the quote's totals (base currency: total_base = total)" || fail "order: $(q "SELECT subtotal, total, total_base, status FROM orders WHERE id = '$ORD'")"
[ "$(q "SELECT GROUP_CONCAT(CONCAT(product_id, quantity, unit_price, discount, net, tax, total) ORDER BY position) FROM order_lines WHERE order_id = '$ORD'")" = \
	"$(q "SELECT GROUP_CONCAT(CONCAT(product_id, quantity, unit_price, discount, net, tax, total) ORDER BY position) FROM quote_lines WHERE quote_id = '$Q1'")" ] &&
	ok "the order's lines are the quote's" || fail "order lines differ"
ONUM=$(q "SELECT number FROM orders WHERE id = '$ORD'")
[[ $ONUM =~ ^SO-$(date -u +%Y)-[0-9]{5}$ ]] && ok "the order number is SO-year-sequence ($ONUM)" || fail "order number: $ONUM"
[ "$(q "SELECT CONCAT(stage_id, '|', probability, '|', closed_at IS NOT NULL, '|', close_date = UTC_DATE()) FROM opportunities WHERE id = $OPP")" = "$WON|$(q "SELECT probability FROM pipeline_stages WHERE id = $WON")|1|1" ] &&
	ok "the deal moved to its pipeline's won stage" || fail "deal: $(q "SELECT stage_id, probability, closed_at FROM opportunities WHERE id = $OPP")"
[ "$(q "SELECT CONCAT(SUM(left_at IS NULL), '|', SUM(stage_id = $WON AND left_at IS NULL AND user_id = $SAM AND amount = 500.00), '|', SUM(stage_id = $OPEN AND left_at IS NOT NULL)) FROM opportunity_stage_history WHERE opportunity_id = $OPP")" = "1|1|1" ] &&
	ok "the deal's stage history closed the old row and opened the won one" || fail "history: $(q "SELECT stage_id, left_at, user_id FROM opportunity_stage_history WHERE opportunity_id = $OPP")"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE user_id IS NULL AND ip = '127.0.0.1' AND ((entity = 'quote' AND entity_id = '$Q1' AND action = 'accept') OR (entity = 'order' AND entity_id = '$ORD' AND action = 'create') OR (entity = 'opportunity' AND entity_id = $OPP))")" = 3 ] &&
	ok "acceptance wrote audit rows without a user" || fail "audit of acceptance"
expect_status "the customer's page says it is accepted" 200 -b "$JAR" "$BASE/sales/q/$TOK?done=quote-accepted"
expect_body "the accepted note names the customer" "id=\"public-accepted\">.*Carla $RUN"
grep -q 'id="accept-form"' "$TMP/b" && fail "the accept form is still offered" || ok "the accept form is gone"
STATUS=$(curl -s -b "$JAR" -c "$JAR" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$PUBCSRF" \
	--data-urlencode accepted_name="Carla $RUN" "$BASE/sales/q/$TOK/accept")
[ "$STATUS" = 409 ] && ok "accepting twice is a conflict" || fail "accept twice: $STATUS"
expect_body "the second try explains" 'accepted already'
[ "$(q "SELECT COUNT(*) FROM orders WHERE quote_id = '$Q1'")" = 1 ] && ok "still one order" || fail "two orders"
STATUS=$(curl -s -b "$JAR" -c "$JAR" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$PUBCSRF" "$BASE/sales/q/$TOK/decline")
[ "$STATUS" = 409 ] && ok "an accepted quote cannot be declined" || fail "decline accepted: $STATUS"
expect_status "the quote page links the order" 200 -b "$TMP/sam" "$BASE/sales/quotes/$Q1"
expect_body "the order's number is on the quote" "id=\"quote-order\">$ONUM<"

# 10. Revise a sent quote: version 2, version 1 superseded.
post sam /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID --data-urlencode title="Revise $RUN" \
	-d line_product_1=$PA -d line_quantity_1=2 -d line_product_2=$PB -d line_quantity_2=1
QR1=$(q "SELECT id FROM quotes WHERE title = 'Revise $RUN'")
post sam "/sales/quotes/$QR1/revise"
[ "$STATUS" = 409 ] && ok "a draft is edited, not revised" || fail "revise draft: $STATUS"
post sam "/sales/quotes/$QR1/send"
TOK1=$(q "SELECT public_token FROM quotes WHERE id = '$QR1'")
post sam "/sales/quotes/$QR1/revise"
QR2=$(q "SELECT id FROM quotes WHERE title = 'Revise $RUN' AND version = 2")
[ "$STATUS" = 303 ] && [ -n "$QR2" ] && ok "revising makes version 2" || fail "revise: $STATUS"
case $LOC in */sales/quotes/$QR2\?done=quote-revised) ok "revising opens the new version" ;; *) fail "revise location: $LOC" ;; esac
[ "$(q "SELECT CONCAT(a.status, '|', b.status, '|', a.number = b.number, '|', b.public_token IS NULL, '|', b.total = a.total) FROM quotes a JOIN quotes b ON b.id = '$QR2' WHERE a.id = '$QR1'")" = "superseded|draft|1|1|1" ] &&
	ok "version 1 is superseded, version 2 a draft with the same number and totals" || fail "versions: $(q "SELECT id, version, status FROM quotes WHERE title = 'Revise $RUN'")"
[ "$(q "SELECT COUNT(*) FROM quote_lines WHERE quote_id = '$QR2'")" = 2 ] && ok "the lines were copied" || fail "lines not copied"
post sam "/sales/quotes/$QR1/revise"
[ "$STATUS" = 409 ] && ok "a superseded version is not revised again" || fail "revise twice: $STATUS"
expect_status "the new version's page opens" 200 -b "$TMP/sam" "$BASE/sales/quotes/$QR2"
expect_body "it lists both versions" ">v1<.*|>v2<"
[ "$(grep -o '<a href="/sales/quotes/[0-9]*">v[12]</a>' "$TMP/b" | wc -l)" = 2 ] && ok "the versions table has two rows" || fail "versions table"
expect_status "the old link says superseded" 200 "$BASE/sales/q/$TOK1"
expect_body "the superseded note is shown" 'id="public-superseded"'
curl -s -c "$TMP/c2" -b "$TMP/c2" "$BASE/sales/q/$TOK1" -o "$TMP/p.html"
STATUS=$(curl -s -b "$TMP/c2" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(jar_csrf "$TMP/c2")" -d accepted_name="Late $RUN" "$BASE/sales/q/$TOK1/accept")
[ "$STATUS" = 409 ] && ok "a superseded version cannot be accepted" || fail "accept superseded: $STATUS"
expect_status "the list hides superseded versions" 200 -b "$TMP/sam" "$BASE/sales/quotes"
grep -q "href=\"/sales/quotes/$QR1\"" "$TMP/b" && fail "the list shows the superseded version" || ok "superseded versions are left out"
grep -q "href=\"/sales/quotes/$QR2\"" "$TMP/b" && ok "the list shows the new version" || fail "the list lacks the new version"
expect_status "the status filter finds superseded ones" 200 -b "$TMP/sam" "$BASE/sales/quotes?status=superseded"
expect_body "filtered by status" "href=\"/sales/quotes/$QR1\""
expect_status "the account filter works" 200 -b "$TMP/sam" "$BASE/api/v1/sales/quotes?account=$ACC"
python3 -c "import json,sys; d=json.load(open('$TMP/b')); sys.exit(0 if d['quotes'] and all(r['account_id']==$ACC for r in d['quotes']) else 1)" &&
	ok "the API list has only the account's quotes" || fail "account filter"
expect_status "a bad filter is 400" 400 -b "$TMP/sam" "$BASE/sales/quotes?status=nonsense"

# 11. Expiry: a sent quote past its date cannot be accepted (410).
post sam /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID --data-urlencode title="Expire $RUN" -d line_product_1=$PA
QE=$(q "SELECT id FROM quotes WHERE title = 'Expire $RUN'")
post sam "/sales/quotes/$QE/send"
TOKE=$(q "SELECT public_token FROM quotes WHERE id = '$QE'")
q "UPDATE quotes SET valid_until = UTC_DATE() - INTERVAL 1 DAY WHERE id = '$QE'"
curl -s -c "$TMP/c3" -b "$TMP/c3" "$BASE/sales/q/$TOKE" -o "$TMP/p.html"
grep -q 'id="public-expired"' "$TMP/p.html" && ok "the customer's page says it expired" || fail "no expiry note"
STATUS=$(curl -s -b "$TMP/c3" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(jar_csrf "$TMP/c3")" -d accepted_name="Late $RUN" "$BASE/sales/q/$TOKE/accept")
[ "$STATUS" = 410 ] && ok "an expired quote cannot be accepted (410)" || fail "accept expired: $STATUS"
expect_body "the page explains" 'has expired'
[ "$(q "SELECT CONCAT(status, '|', (SELECT COUNT(*) FROM orders WHERE quote_id = '$QE')) FROM quotes WHERE id = '$QE'")" = "sent|0" ] &&
	ok "nothing changed" || fail "expired quote changed"

# 12. Another currency: the order's total in the base currency divides by
# the rate; the customer declines one quote.
post sam /sales/quotes -d account="$ACC" -d price_book_id=$CHF -d valid_until=$VALID --data-urlencode title="Franken $RUN" \
	-d line_product_1=$PA -d line_quantity_1=7 -d line_discount_1=3.33 -d line_product_2=$PB -d line_quantity_2=0.75
QF=$(q "SELECT id FROM quotes WHERE title = 'Franken $RUN'")
[ "$(q "SELECT currency FROM quotes WHERE id = '$QF'")" = CHF ] && ok "the book decides the currency" || fail "currency"
want=$(expect_totals 7:16.10:3.33:7.5 0.75:77.35:0:19)
got=$(q "SELECT CONCAT(subtotal, '|', discount_total, '|', tax_total, '|', total) FROM quotes WHERE id = '$QF'")
[ "$got" = "$want" ] && ok "the CHF totals are exact ($got)" || fail "CHF totals: $got, computed $want"
post sam "/sales/quotes/$QF/send"
TOKF=$(q "SELECT public_token FROM quotes WHERE id = '$QF'")
curl -s -c "$TMP/c4" -b "$TMP/c4" "$BASE/sales/q/$TOKF" -o "$TMP/p.html"
STATUS=$(curl -s -b "$TMP/c4" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/p.html")" --data-urlencode accepted_name="Franz $RUN" "$BASE/sales/q/$TOKF/accept")
RATE=$(q "SELECT rate FROM exchange_rates WHERE currency = 'CHF'")
TF=$(q "SELECT total FROM quotes WHERE id = '$QF'")
want=$(python3 -c "from decimal import Decimal as D, ROUND_HALF_UP; print((D('$TF') / D('$RATE')).quantize(D('0.01'), rounding=ROUND_HALF_UP))")
[ "$STATUS" = 303 ] && [ "$(q "SELECT CONCAT(currency, '|', total, '|', total_base) FROM orders WHERE quote_id = '$QF'")" = "CHF|$TF|$want" ] &&
	ok "the CHF order's total_base is total / rate ($want)" || fail "total_base: $(q "SELECT total, total_base FROM orders WHERE quote_id = '$QF'"), wanted $want"
post sam /sales/quotes -d account="$ACC" -d price_book_id=$BOOK -d valid_until=$VALID --data-urlencode title="Decline $RUN" -d line_product_1=$PA
QD=$(q "SELECT id FROM quotes WHERE title = 'Decline $RUN'")
post sam "/sales/quotes/$QD/send"
TOKD=$(q "SELECT public_token FROM quotes WHERE id = '$QD'")
curl -s -c "$TMP/c5" -b "$TMP/c5" "$BASE/sales/q/$TOKD" -o "$TMP/p.html"
STATUS=$(curl -s -b "$TMP/c5" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/p.html")" "$BASE/sales/q/$TOKD/decline")
[ "$STATUS" = 303 ] && [ "$(q "SELECT status FROM quotes WHERE id = '$QD'")" = declined ] && ok "the customer declines" || fail "decline: $STATUS"

# 13. Orders: list, filters, page, the allowed moves only.
expect_status "the orders list opens" 200 -b "$TMP/sam" "$BASE/sales/orders"
expect_valid_html "the orders list is valid HTML"
expect_body "it lists the order" "href=\"/sales/orders/$ORD\">$ONUM<"
expect_status "the month filter keeps this month's order" 200 -b "$TMP/sam" "$BASE/sales/orders?month=$(date -u +%Y-%m)&account=$ACC"
expect_body "found by month and account" "href=\"/sales/orders/$ORD\""
expect_status "another month has none of them" 200 -b "$TMP/sam" "$BASE/sales/orders?month=2001-01&account=$ACC"
grep -q "href=\"/sales/orders/$ORD\"" "$TMP/b" && fail "month filter leaks" || ok "the month filter leaves it out"
expect_status "the status filter leaves confirmed orders out of shipped" 200 -b "$TMP/sam" "$BASE/sales/orders?status=shipped&account=$ACC"
grep -q "href=\"/sales/orders/$ORD\"" "$TMP/b" && fail "status filter leaks" || ok "the status filter works"
expect_status "a bad month is 400" 400 -b "$TMP/sam" "$BASE/sales/orders?month=2026-13"
expect_status "the order page opens" 200 -b "$TMP/sam" "$BASE/sales/orders/$ORD"
expect_valid_html "the order page is valid HTML"
expect_body "it offers shipping and cancelling" 'id="order-to-shipped".*id="order-to-cancelled"'
expect_status "a sales user outside the team cannot see the order" 404 -b "$TMP/sue" "$BASE/sales/orders/$ORD"
post sam "/sales/orders/$ORD/status" -d status=delivered
[ "$STATUS" = 409 ] && ok "confirmed → delivered is refused" || fail "skip to delivered: $STATUS"
post sam "/sales/orders/$ORD/status" -d status=shipped -d on=2001-01-01
[ "$STATUS" = 422 ] && ok "a ship date before the order is refused" || fail "early date: $STATUS"
post sam "/sales/orders/$ORD/status" -d status=shipped
[ "$STATUS" = 303 ] && [ "$(q "SELECT CONCAT(status, '|', shipped_on = UTC_DATE()) FROM orders WHERE id = '$ORD'")" = "shipped|1" ] &&
	ok "confirmed → shipped, dated" || fail "ship: $STATUS"
post sam "/sales/orders/$ORD/status" -d status=cancelled
[ "$STATUS" = 409 ] && ok "shipped → cancelled is refused" || fail "cancel shipped: $STATUS"
post rob "/sales/orders/$ORD/status" -d status=delivered
[ "$STATUS" = 403 ] && ok "a read-only user cannot move an order" || fail "read-only move: $STATUS"
post sam "/sales/orders/$ORD/status" -d status=delivered
[ "$STATUS" = 303 ] && [ "$(q "SELECT CONCAT(status, '|', delivered_on IS NOT NULL) FROM orders WHERE id = '$ORD'")" = "delivered|1" ] &&
	ok "shipped → delivered, dated" || fail "deliver: $STATUS"
post sam "/sales/orders/$ORD/status" -d status=shipped
[ "$STATUS" = 409 ] && ok "a delivered order stays delivered" || fail "after delivered: $STATUS"
[ "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'order' AND entity_id = '$ORD' AND action = 'update' AND user_id = $SAM")" = 2 ] &&
	ok "each move is audited" || fail "order audit"
OF=$(q "SELECT id FROM orders WHERE quote_id = '$QF'")
post sam "/sales/orders/$OF/status" -d status=cancelled
[ "$STATUS" = 303 ] && [ "$(q "SELECT CONCAT(status, '|', cancelled_on IS NOT NULL) FROM orders WHERE id = '$OF'")" = "cancelled|1" ] &&
	ok "confirmed → cancelled, dated" || fail "cancel: $STATUS"
expect_status "the CHF order shows its base total" 200 -b "$TMP/sam" "$BASE/sales/orders/$OF"
expect_body "the base-currency total is on the page" 'id="order-total-base"'

# 14. Paging: 55 quotes and 55 orders of one account, 50 a page by keyset.
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Pages $RUN', $SAM)"
ACC2=$(q "SELECT id FROM accounts WHERE name = 'Pages $RUN'")
q "INSERT INTO quotes (number, account_id, price_book_id, currency, valid_until, owner_id, created_at)
	SELECT CONCAT('Q-PAGE-$RUN-', seq), $ACC2, $BOOK, '$BASECUR', UTC_DATE() + INTERVAL 9 DAY, $SAM, NOW() - INTERVAL (seq MOD 7) MINUTE FROM seq_1_to_55"
q "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
	SELECT CONCAT('SO-PAGE-$RUN-', seq), $ACC2, '$BASECUR', UTC_DATE() - INTERVAL (seq MOD 3) DAY, 1, 0, 1, 1, $SAM FROM seq_1_to_55"
for list in quotes orders; do
	expect_status "the $list list's first page" 200 -b "$TMP/sam" "$BASE/api/v1/sales/$list?account=$ACC2"
	python3 -c "import json; d=json.load(open('$TMP/b')); print(' '.join(str(r['id']) for r in d['$list'])); print(d.get('next_url',''))" > "$TMP/p1"
	next=$(sed -n 2p "$TMP/p1")
	[ "$(sed -n 1p "$TMP/p1" | wc -w)" = 50 ] && [ -n "$next" ] && ok "the $list list shows 50 and a next page" || fail "$list page 1: $(sed -n 1p "$TMP/p1" | wc -w) rows, next '$next'"
	expect_status "the $list list's next page" 200 -b "$TMP/sam" "$BASE/api/v1$next"
	python3 -c "import json; d=json.load(open('$TMP/b')); print(' '.join(str(r['id']) for r in d['$list']))" > "$TMP/p2"
	[ "$(wc -w < "$TMP/p2")" = 5 ] && [ "$(echo $(sed -n 1p "$TMP/p1") $(cat "$TMP/p2") | tr ' ' '\n' | sort -u | wc -l)" = 55 ] &&
		ok "the $list list's second page has the other 5" || fail "$list page 2: $(cat "$TMP/p2")"
done
