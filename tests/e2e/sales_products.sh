#!/bin/bash
# Products, price books and exchange rates: the catalogue's permission,
# exact prices, unique SKUs, a book's own prices and the list price
# converted for a book in another currency, and the audit of each change.
. "$(dirname "$0")/lib.sh"
IP=127.0.13.$(( $$ % 250 + 1 ))
RUN=$$
PW='products have prices 5'

for who in mia:manager sam:sales ada:admin; do
	echo "$PW" | $CTL user add --email "${who%%:*}-p$RUN@example.com" --name "${who%%:*} p$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-p$RUN@example.com"
done
# token JAR PAGE: the form token of a page the user can see.
token() { curl -s -b "$TMP/$1" "$BASE$2" -o "$TMP/t.html"; csrf_of "$TMP/t.html"; }
post() { # JAR PATH args...: status in $STATUS, Location in $LOC
	jar=$1 path=$2
	shift 2
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' \
		--data-urlencode "csrf_token=$(token "$jar" /sales/products)" "$@" "$BASE$path")
	LOC=$(grep -i '^location:' "$TMP/h" | tr -d '\r' | sed 's/^[^:]*: //')
}
SKU="P$RUN"

# A manager creates a product; a sales user may see but not create.
post mia /sales/products -d sku="$SKU-1" --data-urlencode name="Desk 办公桌 $RUN" -d category="Furniture $RUN" \
	-d unit=each -d list_price=249.50 -d tax_rate=7.5 -d active=1 -d description="Oak"
[ "$STATUS" = 303 ] && ok "a manager creates a product" || fail "create: $STATUS $(head -c 300 "$TMP/b")"
P1=$($SQL -e "SELECT id FROM products WHERE sku = '$SKU-1'")
[ "$($SQL -e "SELECT CONCAT(list_price, '|', tax_rate, '|', active) FROM products WHERE id = '$P1'")" = "249.50|7.50|1" ] &&
	ok "the price and tax are stored exactly" || fail "stored: $($SQL -e "SELECT list_price, tax_rate FROM products WHERE id = '$P1'")"
case $LOC in */sales/products/$P1\?done=created) ok "the create redirects to the product" ;; *) fail "location: $LOC" ;; esac
post sam /sales/products -d sku="$SKU-9" -d name=Nope -d list_price=1
[ "$STATUS" = 403 ] && ok "a sales user may not create products" || fail "sales create: $STATUS"
expect_status "a sales user sees the product" 200 -b "$TMP/sam" "$BASE/sales/products/$P1"
expect_body "the page shows the price in the base currency" '\$249\.50'
expect_valid_html "the product page is valid HTML"

# Bad input: each field named, nothing written.
before=$($SQL -e "SELECT COUNT(*) FROM products")
post mia /sales/products -d sku="has space" -d name= -d list_price=1.999 -d tax_rate=101 -d unit=each
[ "$STATUS" = 422 ] && ok "bad values are refused with 422" || fail "bad values: $STATUS"
for f in sku name list_price tax_rate; do
	grep -q "id=\"$f\"" "$TMP/b" && grep -q 'field-error' "$TMP/b" && ok "the form comes back with $f" || fail "no $f on the form"
done
expect_body "the SKU error is explained" 'without spaces'
expect_body "the price error is explained" 'such as 1250 or 19\.99'
[ "$($SQL -e "SELECT COUNT(*) FROM products")" = "$before" ] && ok "nothing was written" || fail "a row was written"
post mia /sales/products -d sku="$SKU-1" -d name="Again" -d list_price=1 -d unit=each
[ "$STATUS" = 409 ] && ok "a second product with the same SKU is a conflict" || fail "dup sku: $STATUS"
expect_body "the conflict names the SKU" 'Another product has this SKU'
post mia /sales/products -d sku="$SKU-2" -d name="Chair $RUN" -d category="Furniture $RUN" -d list_price=80 -d unit=each -d active=1
P2=$($SQL -e "SELECT id FROM products WHERE sku = '$SKU-2'")

# Edit: the change and its audit row; deactivating keeps the record.
post mia "/sales/products/$P1" -d sku="$SKU-1" --data-urlencode name="Desk 办公桌 $RUN" -d category="Furniture $RUN" \
	-d unit=each -d list_price=199 -d tax_rate=7.5
[ "$STATUS" = 303 ] && ok "the product is saved" || fail "update: $STATUS"
[ "$($SQL -e "SELECT CONCAT(list_price, '|', active) FROM products WHERE id = $P1")" = "199.00|0" ] &&
	ok "the new price is stored and the product is inactive" || fail "after update: $($SQL -e "SELECT list_price, active FROM products WHERE id = $P1")"
[ "$($SQL -e "SELECT JSON_UNQUOTE(JSON_EXTRACT(changes, '\$.after.list_price')) FROM audit_log WHERE entity = 'product' AND entity_id = $P1 AND action = 'update'")" = "199.00" ] &&
	ok "the update is audited with the new price" || fail "audit: $($SQL -e "SELECT changes FROM audit_log WHERE entity = 'product' AND entity_id = $P1")"
post mia "/sales/products/$P2" -d sku="$SKU-1" -d name="Chair" -d list_price=80 -d unit=each
[ "$STATUS" = 409 ] && ok "renaming a SKU onto another product is a conflict" || fail "update dup: $STATUS"

# The list: filters, inactive products only when asked.
expect_status "the list filters by category" 200 -b "$TMP/sam" "$BASE/api/v1/sales/products?category=Furniture%20$RUN"
[ "$(python3 -c "import json,sys; print(len(json.load(open('$TMP/b'))['products']))")" = 1 ] &&
	ok "the active list holds only the active product" || fail "active list: $(head -c 300 "$TMP/b")"
expect_status "all statuses" 200 -b "$TMP/sam" "$BASE/api/v1/sales/products?category=Furniture%20$RUN&status=all"
[ "$(python3 -c "import json,sys; print(len(json.load(open('$TMP/b'))['products']))")" = 2 ] &&
	ok "all statuses hold both" || fail "all list: $(head -c 300 "$TMP/b")"
expect_status "an SKU finds its product" 200 -b "$TMP/sam" "$BASE/api/v1/sales/products?q=$SKU-2"
expect_body "by SKU" "\"sku\":\"$SKU-2\""
expect_status "a bad filter is a 400" 400 -b "$TMP/sam" "$BASE/sales/products?status=gone"
expect_status "a missing product is a 404" 404 -b "$TMP/sam" "$BASE/sales/products/999999999"
# Keyset paging: 60 products of one category come in two pages.
$SQL -e "INSERT INTO products (sku, name, category, list_price) SELECT CONCAT('$SKU-k', seq), CONCAT('Bulk $RUN ', LPAD(seq, 3, '0')), 'Bulk $RUN', 1 FROM seq_1_to_60"
expect_status "the first page" 200 -b "$TMP/sam" "$BASE/api/v1/sales/products?category=Bulk%20$RUN"
next=$(python3 -c "import json; v=json.load(open('$TMP/b')); print(len(v['products']), v.get('next_url',''))")
[ "${next%% *}" = 50 ] && ok "a page holds 50" || fail "page 1: $next"
expect_status "the next page" 200 -b "$TMP/sam" "$BASE/api/v1${next#* }"
[ "$(python3 -c "import json; v=json.load(open('$TMP/b')); print(len(v['products']), v['products'][0]['name'], 'next_url' in v)")" = "10 Bulk $RUN 051 False" ] &&
	ok "the second page holds the last 10, in order" || fail "page 2: $(head -c 200 "$TMP/b")"

# Exchange rates: admins only; a rate must be positive.
post mia /sales/rates -d currency=EUR -d rate=0.9
[ "$STATUS" = 403 ] && ok "a manager may not set exchange rates" || fail "manager rate: $STATUS"
post ada /sales/rates -d currency=EUR -d rate=-1
[ "$STATUS" = 422 ] && ok "a negative rate is refused" || fail "negative rate: $STATUS"
post ada /sales/rates -d currency=USD -d rate=1
[ "$STATUS" = 422 ] && ok "the base currency has no rate" || fail "base rate: $STATUS"
post ada /sales/rates -d currency=EUR -d rate=0.92345678
[ "$STATUS" = 303 ] && ok "an admin sets the EUR rate" || fail "rate: $STATUS"
[ "$($SQL -e "SELECT rate FROM exchange_rates WHERE currency = 'EUR'")" = "0.92345678" ] && ok "the rate is stored with 8 decimals" || fail "rate stored"

# Price books: a EUR book, a price of its own for one product, the list
# price converted for the other.
post mia /sales/price-books -d name="Europe $RUN" -d currency=EUR
[ "$STATUS" = 303 ] && ok "a manager creates a EUR price book" || fail "book: $STATUS"
B=$($SQL -e "SELECT id FROM price_books WHERE name = 'Europe $RUN'")
post mia /sales/price-books -d name="Europe $RUN" -d currency=EUR
[ "$STATUS" = 409 ] && ok "a book name is unique" || fail "dup book: $STATUS"
post mia /sales/price-books -d name="X $RUN" -d currency=XYZ
[ "$STATUS" = 422 ] && ok "an unknown currency is refused" || fail "bad currency: $STATUS"
post mia "/sales/price-books/$B/prices" -d product_id="$P2" -d price=70.10
[ "$STATUS" = 303 ] && ok "a price is set in the book" || fail "price: $STATUS"
[ "$($SQL -e "SELECT price FROM prices WHERE price_book_id = $B AND product_id = $P2")" = "70.10" ] && ok "the book's price is stored" || fail "price stored"
post mia "/sales/price-books/$B/prices" -d product_id="$P2" -d price=abc
[ "$STATUS" = 422 ] && ok "a bad price is refused" || fail "bad price: $STATUS"
post sam "/sales/price-books/$B/prices" -d product_id="$P2" -d price=1
[ "$STATUS" = 403 ] && ok "a sales user may not set prices" || fail "sales price: $STATUS"
expect_status "the book's page" 200 -b "$TMP/sam" "$BASE/api/v1/sales/price-books/$B?q=Chair%20$RUN"
expect_body "it shows its own price" '"price":"70.10"'
expect_status "the product lists its price per book" 200 -b "$TMP/sam" "$BASE/api/v1/sales/products/$P2"
expect_body "in the EUR book" "\"name\":\"Europe $RUN\",\"currency\":\"EUR\",\"price\":\"70.10\""
post mia "/sales/price-books/$B/prices" -d product_id="$P2" -d price=
[ "$STATUS" = 303 ] && [ -z "$($SQL -e "SELECT price FROM prices WHERE price_book_id = $B AND product_id = $P2")" ] &&
	ok "an empty price removes the book's own price" || fail "price removal: $STATUS"
# Default book: making the EUR book the default takes it from Standard.
post mia "/sales/price-books/$B" -d name="Europe $RUN" -d currency=EUR -d is_default=1 -d active=1
[ "$($SQL -e "SELECT COUNT(*) FROM price_books WHERE is_default")" = 1 ] &&
	[ "$($SQL -e "SELECT is_default FROM price_books WHERE id = $B")" = 1 ] && ok "one default book" || fail "defaults: $($SQL -e "SELECT id, is_default FROM price_books")"
$SQL -e "UPDATE price_books SET is_default = (name = 'Standard')"
expect_status "the price books page is valid" 200 -b "$TMP/mia" "$BASE/sales/price-books"
expect_valid_html "the price books page is valid HTML"
expect_status "the rates page" 200 -b "$TMP/sam" "$BASE/sales/rates"
expect_body "it lists EUR" '0\.92345678'
expect_valid_html "the rates page is valid HTML"
expect_status "a signed-out visitor is sent to sign in" 303 "$BASE/sales/products"
