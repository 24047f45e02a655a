#!/bin/bash
# Marketing, consent and privacy: a contact's consent history and the form
# recording a grant or a withdrawal (within the reader's scope, also as
# JSON), the export of everything held about a contact, and the erasure
# that anonymises the person while orders, tickets and campaign results
# stay and still count.
. "$(dirname "$0")/lib.sh"
IP=127.0.34.20
RUN=$$
PW='consent is kept 34'

for who in ad:admin mk:marketing mg:manager ro:read-only; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
mk=$($SQL -e "SELECT id FROM users WHERE email = 'mk-$RUN@example.com'")

# A contact of mk's with something in every place personal data lives.
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Privacy Co $RUN', $mk)"
acct=$($SQL -e "SELECT id FROM accounts WHERE name = 'Privacy Co $RUN'")
$SQL -e "INSERT INTO contacts (account_id, first_name, last_name, full_name, title, email, email_norm, phone, phone_e164, mobile,
	street, city, postcode, country, birthday, notes, consent_email, owner_id) VALUES ($acct, 'Pia', 'Private$RUN',
	'Pia Private$RUN', 'Buyer', 'pia-$RUN@example.com', 'pia-$RUN@example.com', '+44 20 7946 0$((RUN % 1000))', '+44207946$RUN',
	'07700 900$((RUN % 1000))', '1 Hidden Lane', 'Secretville', 'AB1 2CD', 'GB', '1980-02-03', 'likes tea $RUN', TRUE, $mk)"
pia=$($SQL -e "SELECT id FROM contacts WHERE last_name = 'Private$RUN'")
$SQL -e "INSERT INTO custom_fields (entity, label, type, active) VALUES ('contact', 'Shoe size $RUN', 'text', FALSE)"
field=$($SQL -e "SELECT id FROM custom_fields WHERE label = 'Shoe size $RUN'")
$SQL -e "INSERT INTO custom_values (entity, record_id, field_id, value_text) VALUES ('contact', $pia, $field, 'size-$RUN')"
$SQL -e "INSERT INTO tags (name) VALUES ('vip-$RUN'); INSERT INTO tag_links (entity, record_id, tag_id)
	SELECT 'contact', $pia, id FROM tags WHERE name = 'vip-$RUN'"
$SQL -e "INSERT INTO activities (kind, subject, account_id, contact_id, at, assignee_id, created_by)
	VALUES ('call', 'Called Pia $RUN', $acct, $pia, NOW(), $mk, $mk)"
$SQL -e "INSERT INTO tickets (subject, contact_id, account_id, requester_name, requester_email, owner_id)
	VALUES ('Broken kettle $RUN', $pia, $acct, 'Pia Private$RUN', 'pia-$RUN@example.com', $mk)"
ticket=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Broken kettle $RUN'")
$SQL -e "INSERT INTO ticket_messages (ticket_id, kind, body, author_name) VALUES ($ticket, 'customer', 'It leaks $RUN', 'Pia Private$RUN')"
$SQL -e "INSERT INTO price_books (name) VALUES ('Privacy book $RUN')"
book=$($SQL -e "SELECT id FROM price_books WHERE name = 'Privacy book $RUN'")
$SQL -e "INSERT INTO quotes (number, account_id, contact_id, price_book_id, currency, valid_until, total, owner_id)
	VALUES ('Q-PRIV-$RUN', $acct, $pia, $book, 'USD', UTC_DATE() + INTERVAL 30 DAY, 99, $mk)"
$SQL -e "INSERT INTO orders (number, account_id, contact_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
	VALUES ('SO-PRIV-$RUN', $acct, $pia, 'USD', UTC_DATE(), 120, 0, 120, 120, $mk)"
$SQL -e "INSERT INTO campaigns (name, type, status, currency, owner_id) VALUES ('Privacy camp $RUN', 'email', 'active', 'USD', $mk)"
camp=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Privacy camp $RUN'")
$SQL -e "INSERT INTO campaign_members (campaign_id, contact_id, status) VALUES ($camp, $pia, 'clicked')"
$SQL -e "INSERT INTO tracked_links (campaign_id, token, url, url_hash) VALUES ($camp, LEFT(REPLACE(UUID(), '-', ''), 22),
	'https://example.com/priv$RUN', UNHEX(SHA2('https://example.com/priv$RUN', 256)))"
link=$($SQL -e "SELECT id FROM tracked_links WHERE campaign_id = $camp")
$SQL -e "INSERT INTO link_clicks (link_id, campaign_id, contact_id, user_agent) VALUES ($link, $camp, $pia, 'PiaPhone $RUN')"
# A duplicate merged into it earlier (in the trash, with its own copy of
# the data and a ticket of its own), and a row an import skipped as its
# duplicate.
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, phone, street, owner_id, deleted_at, merged_into)
	VALUES ('Pia', 'Dupe$RUN', 'Pia Dupe$RUN', 'pia.old-$RUN@example.com', '555-$RUN', '2 Old Road', $mk, NOW(), $pia)"
dupe=$($SQL -e "SELECT id FROM contacts WHERE last_name = 'Dupe$RUN'")
$SQL -e "INSERT INTO custom_values (entity, record_id, field_id, value_text) VALUES ('contact', $dupe, $field, 'old-size-$RUN')"
$SQL -e "INSERT INTO tickets (subject, contact_id, requester_name, requester_email, owner_id)
	VALUES ('Old kettle $RUN', $dupe, 'Pia Dupe$RUN', 'pia.old-$RUN@example.com', $mk)"
$SQL -e "INSERT INTO imports (user_id, filename, file_size, headers, mapping, status, total_rows)
	VALUES ($mk, 'pia-$RUN.csv', 10, '[\"Email\"]', '[\"email\"]', 'done', 1)"
imp=$($SQL -e "SELECT id FROM imports WHERE filename = 'pia-$RUN.csv'")
$SQL -e "INSERT INTO import_problems (import_id, line, problems, duplicate_of, raw)
	VALUES ($imp, 2, '[]', $pia, '[\"pia-$RUN@example.com\"]')"
# Its row of the search index, as the customers module writes it.
$SQL -e "REPLACE INTO search_index (entity, id, owner_id, team_id, body) VALUES (1, $pia, $mk, 0, 'Pia Private$RUN Secretville')"

# Consent: the page, then a grant and a withdrawal with the form.
fetch -b "$TMP/mk" "$BASE/marketing/contacts/$pia/consent"
[ "$STATUS" = 200 ] && ok "consent: the contact's consent page opens" || fail "consent: page: $STATUS"
expect_valid_html "consent: the page is valid HTML"
expect_body "consent: ... with no history yet" 'id="consent-none"'
expect_body "consent: ... e-mail consent as granted now (the contact's flag)" 'id="consent-now-email"><th scope="row">Marketing e-mail</th><td>Granted'
if grep -q 'id="erase-form"' "$TMP/b"; then fail "consent: a marketer sees the erasure form"; else ok "consent: a marketer sees no erasure form"; fi
T=$(csrf_of "$TMP/b")
fetch -b "$TMP/mk" --data-urlencode "csrf_token=$T" -d purpose=email -d granted=0 -d source=phone --data-urlencode "note=Asked on the phone $RUN" \
	"$BASE/marketing/contacts/$pia/consent"
[ "$STATUS" = 303 ] && ok "consent: a withdrawal is recorded" || fail "consent: withdraw: $STATUS $(head -c 300 "$TMP/b")"
[ "$($SQL -e "SELECT consent_email FROM contacts WHERE id = $pia")" = 0 ] && ok "consent: ... and the contact's e-mail flag is off" || fail "consent: flag still on"
fetch -b "$TMP/mk" --data-urlencode "csrf_token=$T" -d purpose=sms -d granted=1 -d source=form "$BASE/marketing/contacts/$pia/consent"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT consent_sms FROM contacts WHERE id = $pia")" = 1 ] && ok "consent: an SMS grant sets the SMS flag" ||
	fail "consent: sms: $STATUS"
for bad in "purpose=post -d granted=1 -d source=form" "purpose=email -d granted=maybe -d source=form" "purpose=email -d granted=1 -d source=rumour"; do
	# shellcheck disable=SC2086
	fetch -b "$TMP/mk" --data-urlencode "csrf_token=$T" -d $bad "$BASE/marketing/contacts/$pia/consent"
	[ "$STATUS" = 422 ] && grep -q 'class="field-error"' "$TMP/b" && ok "consent: '$bad' is refused with 422 and a field error" || fail "consent: '$bad': $STATUS"
done
[ "$($SQL -e "SELECT COUNT(*) FROM consents WHERE contact_id = $pia")" = 2 ] && ok "consent: ... and nothing half-written" || fail "consent: rows"
fetch -b "$TMP/mk" "$BASE/marketing/contacts/$pia/consent"
tr -d '\n' < "$TMP/b" > "$TMP/flat"
grep -qE "<td class=\"consent-change\">Withdrawn</td>[[:space:]]*<td>On the phone</td>[[:space:]]*<td>Asked on the phone $RUN</td>[[:space:]]*<td>mk $RUN</td>" "$TMP/flat" &&
	ok "consent: the history shows the withdrawal with its source, note and who" || fail "consent: history row"
first=$(grep -o 'id="consent-[0-9]*"' "$TMP/b" | head -1)
[ "$first" = "id=\"consent-$($SQL -e "SELECT MAX(id) FROM consents WHERE contact_id = $pia")\"" ] && ok "consent: ... newest first" || fail "consent: order: $first"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact' AND entity_id = $pia AND action IN ('consent_grant', 'consent_withdraw')")" = 2 ] &&
	ok "consent: each change is audited" || fail "consent: audit"
expect_status "consent: a user without marketing.read is refused" 403 -b "$TMP/ro" "$BASE/marketing/contacts/$pia/consent"
expect_status "consent: a manager who cannot see the contact gets 404" 404 -b "$TMP/mg" "$BASE/marketing/contacts/$pia/consent"
expect_status "consent: an unknown contact is a 404" 404 -b "$TMP/mk" "$BASE/marketing/contacts/999999999/consent"

# The same page as JSON, through the API with a token.
curl -s -b "$TMP/ad" "$BASE/account" -o "$TMP/acct.html"
curl -s -b "$TMP/ad" -o "$TMP/tok.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/acct.html")" -d name=e2e -d days=7 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/tok.html" | sed 's/.*>//')
fetch -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/marketing/contacts/$pia/consent"
got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["history"]), d["history"][0]["purpose"], d["history"][0]["granted"], d["current"][0]["granted"])' "$TMP/b" 2>&1)
[ "$STATUS $got" = "200 2 sms True False" ] && ok "consent: the API answers the same as JSON" || fail "consent: API: $STATUS $got"

# The contact page links here for those with marketing.read only.
fetch -b "$TMP/mk" "$BASE/customers/contacts/$pia"
expect_body "contact page: a marketer gets the link to consent" "href=\"/marketing/contacts/$pia/consent\" id=\"contact-consent-link\""
fetch -b "$TMP/ro" "$BASE/customers/contacts/$pia"
if [ "$STATUS" = 200 ] && ! grep -q 'contact-consent-link' "$TMP/b"; then ok "contact page: a read-only user gets no such link"; else fail "contact page: read-only: $STATUS"; fi

# The export: admins only, everything in one JSON file.
expect_status "export: a marketer may not export" 403 -b "$TMP/mk" "$BASE/marketing/contacts/$pia/export"
fetch -b "$TMP/ad" "$BASE/marketing/contacts/$pia/export"
[ "$STATUS" = 200 ] && ok "export: an admin downloads the export" || fail "export: $STATUS"
expect_header "export: ... as JSON" '^content-type: application/json'
expect_header "export: ... as an attachment" "^content-disposition: attachment; filename=\"contact-$pia.json\""
cp "$TMP/b" "$TMP/export.json"
check_export() {
	python3 - "$TMP/export.json" "$RUN" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); run = sys.argv[2]
c = d["contact"]
checks = [
	("contact row", c["email"] == "pia-%s@example.com" % run and c["city"] == "Secretville" and c["birthday"] == "1980-02-03"),
	("account name", c["account"] == "Privacy Co %s" % run),
	("custom values", [v["value_text"] for v in d["custom_fields"]] == ["size-%s" % run]),
	("tags", [t["name"] for t in d["tags"]] == ["vip-%s" % run]),
	("activities", [a["subject"] for a in d["activities"]] == ["Called Pia %s" % run]),
	("tickets and messages", d["tickets"][0]["requester_email"] == "pia-%s@example.com" % run and d["tickets"][0]["messages"][0]["body"] == "It leaks %s" % run),
	("quotes", [q["number"] for q in d["quotes"]] == ["Q-PRIV-%s" % run]),
	("orders", [o["number"] for o in d["orders"]] == ["SO-PRIV-%s" % run] and d["orders"][0]["total"] == "120.00"),
	("campaign memberships", [m["campaign"] for m in d["campaign_memberships"]] == ["Privacy camp %s" % run]),
	("clicks", [k["user_agent"] for k in d["link_clicks"]] == ["PiaPhone %s" % run]),
	("consents", [(k["purpose"], k["granted"]) for k in d["consents"]] == [("email", False), ("sms", True)]),
	("merged duplicates", [m["contact"]["email"] for m in d["merged_contacts"]] == ["pia.old-%s@example.com" % run] and [t["subject"] for t in d["merged_contacts"][0]["tickets"]] == ["Old kettle %s" % run]),
	("audit entries", sorted(a["action"] for a in d["audit_log"]) == ["consent_grant", "consent_withdraw"] and isinstance(d["audit_log"][0]["changes"], dict)),
]
for name, good in checks:
	print(("ok - export: " if good else "FAIL - export: lacks ") + name)
PY
}
check_export

# The erasure: a typed confirmation, then anonymised in place.
fetch -b "$TMP/ad" "$BASE/marketing/contacts/$pia/consent"
expect_body "erase: an admin sees the privacy card with the erasure form" 'id="erase-form"'
T=$(csrf_of "$TMP/b")
expect_status "erase: a marketer may not erase" 403 -b "$TMP/mk" -d "csrf_token=$T" -d "confirm=$pia" "$BASE/marketing/contacts/$pia/erase"
fetch -b "$TMP/ad" -d "csrf_token=$T" -d "confirm=yes" "$BASE/marketing/contacts/$pia/erase"
[ "$STATUS" = 422 ] && grep -q 'id="erase-confirm-error"' "$TMP/b" && ok "erase: a wrong confirmation is refused with 422" || fail "erase: wrong confirm: $STATUS"
[ "$($SQL -e "SELECT email FROM contacts WHERE id = $pia")" = "pia-$RUN@example.com" ] && ok "erase: ... and nothing was erased" || fail "erase: erased without confirmation"
fetch -b "$TMP/ad" -d "csrf_token=$T" -d "confirm=$pia" "$BASE/marketing/contacts/$pia/erase"
[ "$STATUS" = 303 ] && ok "erase: the typed number erases" || fail "erase: $STATUS $(head -c 300 "$TMP/b")"
row=$($SQL -e "SELECT CONCAT_WS('|', full_name, first_name, email, email2, email_norm, phone, phone_e164, mobile, street, city, postcode,
	country, title, COALESCE(birthday, 'null'), COALESCE(notes, 'null'), consent_email, consent_sms, erased_at IS NOT NULL, account_id = $acct)
	FROM contacts WHERE id = $pia")
[ "$row" = "Erased contact $pia|||||||||||||null|null|0|0|1|1" ] && ok "erase: the contact's personal data is gone, its row and account stay" ||
	fail "erase: contact '$row'"
[ "$($SQL -e "SELECT COUNT(*) FROM custom_values WHERE entity = 'contact' AND record_id = $pia")$($SQL -e "SELECT COUNT(*) FROM tag_links WHERE entity = 'contact' AND record_id = $pia")" = 00 ] &&
	ok "erase: custom values and tags are removed" || fail "erase: custom values or tags left"
[ "$($SQL -e "SELECT CONCAT(COUNT(*), ':', MAX(user_agent), ':', MAX(contact_id)) FROM link_clicks WHERE link_id = $link")" = "1::$pia" ] &&
	ok "erase: the click stays, its user agent blanked" || fail "erase: clicks"
[ "$($SQL -e "SELECT CONCAT_WS('|', requester_name, requester_email, contact_id, subject) FROM tickets WHERE id = $ticket")" = "||$pia|Broken kettle $RUN" ] &&
	ok "erase: the ticket stays, without the requester's name and address" || fail "erase: ticket"
[ "$($SQL -e "SELECT CONCAT('[', author_name, ']') FROM ticket_messages WHERE ticket_id = $ticket")" = "[]" ] && ok "erase: ... and the customer's message without their name" ||
	fail "erase: ticket message author"
[ "$($SQL -e "SELECT CONCAT(COUNT(*), ':', SUM(total)) FROM orders WHERE contact_id = $pia")" = "1:120.00" ] && ok "erase: the order stays, with its total" || fail "erase: orders"
[ "$($SQL -e "SELECT status FROM campaign_members WHERE campaign_id = $camp AND contact_id = $pia")" = clicked ] && ok "erase: the campaign membership stays" || fail "erase: member"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact' AND entity_id = $pia AND action = 'erase'")" = 1 ] && ok "erase: it is audited" || fail "erase: audit"
[ "$($SQL -e "SELECT COUNT(*) FROM consents WHERE contact_id = $pia AND source = 'erasure' AND NOT granted")" = 3 ] &&
	ok "erase: every purpose's consent is withdrawn in the history" || fail "erase: consent history"
[ "$($SQL -e "SELECT COUNT(*) FROM search_index WHERE entity = 1 AND id = $pia AND body LIKE '%Secretville%'")" = 0 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM search_index WHERE entity = 1 AND id = $pia AND body LIKE 'Erased contact%'")" = 1 ] &&
	ok "erase: the search index no longer holds the address" || fail "erase: search index"
row=$($SQL -e "SELECT CONCAT_WS('|', full_name, email, phone, street, erased_at IS NOT NULL, merged_into = $pia) FROM contacts WHERE id = $dupe")
[ "$row" = "Erased contact $dupe||||1|1" ] && ok "erase: the duplicate merged into it is erased too" || fail "erase: merged duplicate '$row'"
[ "$($SQL -e "SELECT CONCAT(COUNT(*), ':', MAX(requester_email)) FROM tickets WHERE contact_id = $dupe")" = "1:" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM custom_values WHERE entity = 'contact' AND record_id = $dupe")" = 0 ] &&
	ok "erase: ... with its custom values and its ticket's requester" || fail "erase: merged duplicate's ticket or values"
[ "$($SQL -e "SELECT COUNT(*) FROM import_problems WHERE import_id = $imp")" = 0 ] && ok "erase: the import's skipped row of the contact is gone" ||
	fail "erase: import problem row left"
fetch -b "$TMP/ad" "$BASE/marketing/contacts/$pia/consent?done=contact-erased"
expect_body "erase: the page says the data was erased" 'id="consent-erased"'
if grep -q 'id="erase-form"' "$TMP/b"; then fail "erase: the form is still offered"; else ok "erase: ... and offers the erasure no more"; fi
fetch -b "$TMP/ad" -d "csrf_token=$T" -d "confirm=$pia" "$BASE/marketing/contacts/$pia/erase"
[ "$STATUS" = 409 ] && ok "erase: erasing again is a 409" || fail "erase: again: $STATUS"
fetch -b "$TMP/ad" --data-urlencode "csrf_token=$T" -d purpose=email -d granted=1 -d source=staff "$BASE/marketing/contacts/$pia/consent"
[ "$STATUS" = 422 ] && [ "$($SQL -e "SELECT consent_email FROM contacts WHERE id = $pia")" = 0 ] &&
	ok "erase: an erased contact cannot be given e-mail consent again" || fail "erase: consent after erasure: $STATUS"
$SQL -e "UPDATE contacts SET consent_email = TRUE WHERE id = $pia"
[ "$($SQL -e "SELECT consent_email FROM contacts WHERE id = $pia")" = 0 ] && ok "erase: ... nor by any other write to the contact's row" ||
	fail "erase: an erased contact's e-mail flag could be set again"
fetch -b "$TMP/ad" "$BASE/marketing/contacts/$pia/export"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["contact"]; sys.exit(0 if c["email"] == "" and c["full_name"].startswith("Erased contact") and d["custom_fields"] == [] else 1)' "$TMP/b" &&
	ok "export: after erasure it holds only the anonymised contact" || fail "export: after erasure"
