#!/bin/bash
# XSS: a corpus of payloads (xss-payloads.txt) through every text field of
# every form a signed-in admin can reach, and through the JSON API; then
# every page that shows them in Chromium (xss_browser.mjs): no payload
# runs, none arrives unescaped, and CSV exports neutralise formulas.
# make check runs one payload per field (tests/e2e/xss.sh); XSS_FULL=1 or
# `make security-xss` sends every payload through every field.
# Environment as the e2e tests: CRM_E2E_PORT, CRM_E2E_DIR.
. "$(dirname "$0")/../e2e/lib.sh"
IP=127.0.30.$(( $$ % 250 + 1 ))
RUN=$$
PW='cross site scripting 30'
HERE=$(cd "$(dirname "$0")" && pwd)

echo "$PW" | $CTL user add --email "xss-$RUN@example.com" --name "Xss $RUN" --role admin --password-stdin >/dev/null
signin "$TMP/admin" "xss-$RUN@example.com"
fetch -b "$TMP/admin" "$BASE/customers"
[ "$STATUS" = 200 ] && ok "xss: the admin signs in" || fail "xss: the admin signs in: $STATUS"

# Records the crawl needs to reach every form: an account and a contact to
# hang notes, deals and quotes on, a product for quote lines, a ticket.
$SQL -e "INSERT INTO accounts (name, owner_id) SELECT 'Xss base $RUN', id FROM users WHERE email = 'xss-$RUN@example.com'"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Xss base $RUN'")
$SQL -e "INSERT INTO contacts (full_name, first_name, last_name, account_id, email, email_norm, consent_email, owner_id)
	SELECT 'Xss Base $RUN', 'Xss', 'Base $RUN', $acc, 'xss-base-$RUN@example.com', 'xss-base-$RUN@example.com', 1, id
	FROM users WHERE email = 'xss-$RUN@example.com'"

cont=$($SQL -e "SELECT id FROM contacts WHERE email = 'xss-base-$RUN@example.com'")
$SQL -e "INSERT INTO products (sku, name, category, list_price) VALUES ('XSS-$RUN', 'Xss product $RUN', 'Xss', 100)"
prod=$($SQL -e "SELECT id FROM products WHERE sku = 'XSS-$RUN'")
export XSS_ACCOUNT="Xss base $RUN #$acc" XSS_CONTACT="Xss Base $RUN #$cont" XSS_PRODUCT="Xss product $RUN #$prod"

# The forms that must have taken payloads: the main record of each module.
export XSS_MUST="${XSS_MUST:-/customers/accounts /customers/contacts /customers/activities /sales/leads
	/sales/opportunities /sales/quotes /sales/products /service/tickets /service/kb /marketing/campaigns
	/marketing/templates /automation/webhooks /automation/mailboxes /admin/users /admin/teams /admin/fields}"
export XSS_REPORT=${XSS_REPORT:-$CRM_E2E_DIR/xss-report.txt}
node "$HERE/xss_browser.mjs" "$TMP/admin" "$RUN"
