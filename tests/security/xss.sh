#!/bin/bash
# XSS: a corpus of payloads (xss-payloads.txt) through every text field of
# every form a signed-in admin can reach, and through the JSON API; then
# every page that shows them in Chromium (xss_browser.mjs): no payload
# runs, none arrives unescaped, and CSV exports neutralise formulas.
# make check runs one payload per field (its "security" suite); XSS_FULL=1 or
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
export XSS_CONTACT_EMAIL="xss-base-$RUN@example.com"
# A contact for the bounce form (which marks its address bounced), and an
# order with no invoice yet for the invoice form.
$SQL -e "INSERT INTO contacts (full_name, first_name, last_name, account_id, email, email_norm, owner_id)
	SELECT 'Xss Bounce $RUN', 'Xss', 'Bounce $RUN', $acc, 'xss-bounce-$RUN@example.com', 'xss-bounce-$RUN@example.com', id
	FROM users WHERE email = 'xss-$RUN@example.com'"
export XSS_BOUNCE="xss-bounce-$RUN@example.com"
# A stack of its own (xss-full.sh) starts with no orders: one is made.
$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
	SELECT 'XSS-$RUN', $acc, 'USD', CURDATE(), 100, 0, 100, 100, id FROM users WHERE email = 'xss-$RUN@example.com'
	AND NOT EXISTS (SELECT 1 FROM orders o WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.id))"
XSS_ORDER=$($SQL -e "SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.id)
	ORDER BY o.id DESC LIMIT 1")
export XSS_ORDER
# A cell the CSV exports must guard (written as '=1+2), whatever the
# payload rounds put into exported fields: a contact of its own, whose
# forms the crawl leaves alone (the base contact's title is a payload
# after the first round).
$SQL -e "INSERT INTO contacts (full_name, first_name, last_name, account_id, title, owner_id)
	SELECT 'Xss Csv $RUN', 'Xss', 'Csv $RUN', $acc, '=1+2', id FROM users WHERE email = 'xss-$RUN@example.com'"
csvcont=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Xss Csv $RUN'")
export XSS_KEEP="^/customers/contacts/$csvcont(/|\$)"

# The public forms count sends per address, and the browser's is 127.0.0.1,
# which other tests may have used up.
$SQL -e "DELETE FROM service_form_hits WHERE ip = '127.0.0.1'; DELETE FROM lead_form_hits WHERE ip = '127.0.0.1'"

# A customer with no account attaches files through the public ticket
# form. Types come from an allow-list of extensions: an HTML page or an SVG
# (which can carry scripts) is refused, with nothing stored; a .txt that
# is HTML inside, under a name that is a payload, is taken and comes back
# to staff and customer alike as a download (attachment, text/plain,
# nosniff, the CSP), never as a page of this site. The ticket pages that
# list it are crawled below.
printf '<!DOCTYPE html><script>alert(1)</script><img src=x onerror=alert(1)>' >"$TMP/x.html"
cp "$TMP/x.html" "$TMP/x.txt"
printf '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>' >"$TMP/x.svg"
# public_send SUBJECT FILE-ARGS...: the form as a person sends it, 4 s after
# it was shown (it refuses a send within 3 s: a person takes longer).
public_send() {
	subject=$1
	shift
	curl -s -c "$TMP/pub" -b "$TMP/pub" --interface $IP "$BASE/service/new" -o "$TMP/new.html"
	stamp=$(grep -o 'name="form_stamp" value="[^"]*"' "$TMP/new.html" | sed 's/.*value="//;s/"$//')
	cat=$(grep -o '<option value="[0-9][0-9]*"' "$TMP/new.html" | head -1 | grep -o '[0-9][0-9]*')
	sleep 4
	fetch -c "$TMP/pub" -b "$TMP/pub" --interface $IP -F "csrf_token=$(csrf_of "$TMP/new.html")" -F "form_stamp=$stamp" \
		-F "category_id=$cat" --form-string "name=<img src=x onerror=alert(1)>" -F "email=xss-pub-$RUN@example.com" \
		--form-string "subject=$subject" --form-string "description=<script>alert(1)</script>" "$@" "$BASE/service/new"
}
$SQL -e "DELETE FROM service_form_hits WHERE ip = '$IP'"
for kind in html svg; do
	type=text/html
	[ $kind = svg ] && type=image/svg+xml
	public_send "Refused $kind $RUN" -F "file=@$TMP/x.$kind;type=$type;filename=x.$kind"
	if [ "$STATUS" = 422 ] && grep -q 'id="error-file"' "$TMP/b" &&
		[ "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE subject = 'Refused $kind $RUN'")" = 0 ]; then
		ok "xss: an uploaded .$kind is refused, nothing stored"
	else
		fail "xss: an uploaded .$kind: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b" | head -3)"
	fi
done
public_send "Files $RUN" -F "file=@$TMP/x.txt;type=text/html;filename=\"><svg onload=alert(1)>.txt"
link=$(grep -o 'id="ticket-status-link">[^<]*' "$TMP/b" | sed 's/.*>//')
token=${link##*/service/t/}
tid=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Files $RUN'")
if [ -n "$tid" ] && [ -n "$token" ]; then ok "xss: the public form takes a ticket with a .txt of HTML"
else fail "xss: public ticket with a file: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b" | head -3)"; fi
for aid in $($SQL -e "SELECT id FROM ticket_attachments WHERE ticket_id = ${tid:-0}"); do
	for url in "/service/attachments/$aid" "/service/t/$token/files/$aid"; do
		jar=$TMP/admin
		[ "${url#/service/t/}" != "$url" ] && jar=$TMP/pub
		fetch -b "$jar" "$BASE$url"
		if [ "$STATUS" = 200 ] && grep -qi '^content-disposition: attachment' "$TMP/h" && grep -qi '^x-content-type-options: nosniff' "$TMP/h" &&
			grep -qi '^content-type: text/plain' "$TMP/h" && grep -qi "^content-security-policy: .*script-src 'self'" "$TMP/h"; then
			ok "xss: an uploaded page comes back as a text/plain download ($url)"
		else
			fail "xss: upload $url: $STATUS $(grep -i '^content-\(type\|disposition\)' "$TMP/h" | tr -d '\r' | tr '\n' ' ')"
		fi
	done
done
[ "$($SQL -e "SELECT COUNT(*) FROM ticket_attachments WHERE ticket_id = ${tid:-0}")" -ge 1 ] &&
	ok "xss: the upload was stored, so the checks above ran" || fail "xss: no attachment stored for ticket ${tid:-none}"
export XSS_EXTRA="/service/tickets/$tid /service/t/$token"
# Pages customers open from an e-mail, for records the crawl has filled
# with payloads by then: the survey of the ticket above, and the
# unsubscribe page of a message of the newest campaign (a send already
# done, so the runner sends nothing), the newest quote as its customer
# sees it once sent. The crawl runs this before its last
# round of visits and visits what it prints.
cat > "$TMP/late.sh" <<LATE
tok() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }
s=\$(tok)
$SQL -e "UPDATE tickets SET csat_token = '\$s', csat_sent_at = NOW() WHERE id = ${tid:-0}" && echo "/service/s/\$s"
u=\$(tok)
$SQL -e "INSERT INTO campaign_sends (campaign_id, template_id, status)
	SELECT (SELECT MAX(id) FROM campaigns), (SELECT MAX(id) FROM email_templates), 'done';
	INSERT INTO campaign_messages (send_id, campaign_id, contact_id, to_addr, token, status)
	SELECT s.id, s.campaign_id, $cont, 'xss-base-$RUN@example.com', '\$u', 'sent' FROM campaign_sends s
	WHERE s.id = LAST_INSERT_ID()" && echo "/u/\$u"
q=\$(tok)
$SQL -e "UPDATE quotes SET status = 'sent', sent_at = NOW(), public_token = '\$q' ORDER BY id DESC LIMIT 1" && echo "/sales/q/\$q"
LATE
export XSS_BEFORE_REVISIT="bash $TMP/late.sh"

# The forms that must have taken payloads: the main record of each module.
export XSS_MUST="${XSS_MUST:-/customers/accounts /customers/contacts /customers/activities /sales/leads
	/sales/opportunities /sales/quotes /sales/products /service/tickets /service/kb /marketing/campaigns
	/marketing/templates /automation/webhooks /automation/mailboxes /admin/users /admin/teams /admin/fields
	/admin/settings /marketing/segments /marketing/lists/import /marketing/bounces /automation/rules /sales/invoices
	/sales/quotas /service/sla/calendars}"
export XSS_REPORT=${XSS_REPORT:-$CRM_E2E_DIR/xss-report.txt}
node "$HERE/xss_browser.mjs" "$TMP/admin" "$RUN"
