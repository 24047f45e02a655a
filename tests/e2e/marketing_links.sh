#!/bin/bash
# Marketing, tracked links: the /r/<token> redirect (the click recorded,
# with the recipient when ?m= is a message of the same campaign; UTM
# suffix appended; only the stored address), the open pixel, a campaign's
# links page with the form, and a print campaign's QR code read back by
# zbarimg as the tracked address.
. "$(dirname "$0")/lib.sh"
IP=127.0.34.10
RUN=$$
PW='links lead somewhere 34'

for who in mk:marketing mg:manager ro:read-only; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
mk=$($SQL -e "SELECT id FROM users WHERE email = 'mk-$RUN@example.com'")
PUBLIC=$($SQL -e "SELECT value FROM settings WHERE name = 'public_url'")
PUBLIC=${PUBLIC%/}
# tok N: N characters of base64url, as our tokens are.
tok() { head -c 48 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=' | head -c "$1"; }

# Two campaigns of mk's: a print one (its links get QR codes) and an
# e-mail one, each with a UTM suffix; a send of the e-mail one to two
# members, each with a message token.
$SQL -e "INSERT INTO campaigns (name, type, status, currency, utm_suffix, owner_id)
	VALUES ('Links print $RUN', 'print', 'active', 'USD', 'utm_source=print&utm_campaign=p$RUN', $mk),
	('Links mail $RUN', 'email', 'active', 'USD', '?utm_source=mail', $mk),
	('Links other $RUN', 'email', 'active', 'USD', '', $mk)"
print=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Links print $RUN'")
mail=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Links mail $RUN'")
other=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Links other $RUN'")
$SQL -e "INSERT INTO contacts (full_name, last_name, email, owner_id) VALUES
	('Ann Links $RUN', 'Links $RUN', 'ann-$RUN@example.com', $mk), ('Bo Links $RUN', 'Links $RUN', 'bo-$RUN@example.com', $mk)"
ann=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Ann Links $RUN'")
bo=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Bo Links $RUN'")
$SQL -e "INSERT INTO email_templates (name, subject, body_html, body_text, owner_id) VALUES ('Links tpl $RUN', 's', 'h', 't', $mk)"
tpl=$($SQL -e "SELECT id FROM email_templates WHERE name = 'Links tpl $RUN'")
$SQL -e "INSERT INTO campaign_sends (campaign_id, template_id, status) VALUES ($mail, $tpl, 'done'), ($other, $tpl, 'done')"
send=$($SQL -e "SELECT id FROM campaign_sends WHERE campaign_id = $mail")
osend=$($SQL -e "SELECT id FROM campaign_sends WHERE campaign_id = $other")
$SQL -e "INSERT INTO campaign_members (campaign_id, contact_id, status, sent_at) VALUES
	($mail, $ann, 'sent', NOW()), ($mail, $bo, 'sent', NOW()), ($other, $ann, 'sent', NOW())"
m_ann=$(tok 43); m_bo=$(tok 43); m_other=$(tok 43)
$SQL -e "INSERT INTO campaign_messages (send_id, campaign_id, contact_id, to_addr, token, status, sent_at) VALUES
	($send, $mail, $ann, 'ann-$RUN@example.com', '$m_ann', 'sent', NOW()),
	($send, $mail, $bo, 'bo-$RUN@example.com', '$m_bo', 'sent', NOW()),
	($osend, $other, $ann, 'ann-$RUN@example.com', '$m_other', 'sent', NOW())"
# The e-mail campaign's link, as the sender makes it: a query and a fragment.
mtok=$(tok 22)
$SQL -e "INSERT INTO tracked_links (campaign_id, token, url, url_hash, label)
	VALUES ($mail, '$mtok', 'https://shop.example.com/p?x=1#top', UNHEX(SHA2('https://shop.example.com/p?x=1#top', 256)), 'Shop')"
mlink=$($SQL -e "SELECT id FROM tracked_links WHERE token = '$mtok'")

# The links page and its form.
fetch -b "$TMP/mk" "$BASE/marketing/campaigns/$print/links"
[ "$STATUS" = 200 ] && ok "links: the print campaign's links page opens" || fail "links: page: $STATUS"
expect_valid_html "links: the page is valid HTML"
expect_body "links: ... with no link yet" 'id="links-none"'
expect_body "links: ... and the subnav marks it" 'aria-current="page" id="subnav-links"'
T=$(csrf_of "$TMP/b")
for bad in 'javascript:alert(1)' 'ftp://files.example.com/a' 'https://' 'https://a b.example.com/' '/r/elsewhere'; do
	fetch -b "$TMP/mk" --data-urlencode "csrf_token=$T" --data-urlencode "url=$bad" -d label=Bad "$BASE/marketing/campaigns/$print/links"
	[ "$STATUS" = 422 ] && grep -q 'id="link-url-error"' "$TMP/b" && ok "links: '$bad' is refused with 422 and a field error" ||
		fail "links: '$bad': $STATUS"
done
[ "$($SQL -e "SELECT COUNT(*) FROM tracked_links WHERE campaign_id = $print")" = 0 ] && ok "links: ... and none was stored" ||
	fail "links: a refused address was stored"
fetch -b "$TMP/mk" --data-urlencode "csrf_token=$T" --data-urlencode "url=https://example.com/offer" -d "label=Spring offer $RUN" "$BASE/marketing/campaigns/$print/links"
[ "$STATUS" = 303 ] && ok "links: a link is added by hand" || fail "links: add: $STATUS $(head -c 300 "$TMP/b")"
fetch -b "$TMP/mk" --data-urlencode "csrf_token=$T" --data-urlencode "url=https://example.com/offer" -d "label=Again" "$BASE/marketing/campaigns/$print/links"
[ "$($SQL -e "SELECT COUNT(*) FROM tracked_links WHERE campaign_id = $print")" = 1 ] && ok "links: the same address again makes no second link" ||
	fail "links: the same address made two links"
ptok=$($SQL -e "SELECT token FROM tracked_links WHERE campaign_id = $print")
plink=$($SQL -e "SELECT id FROM tracked_links WHERE campaign_id = $print")
[ "${#ptok}" = 22 ] && ok "links: its token has 22 characters" || fail "links: token '$ptok'"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE action = 'link_create' AND entity = 'campaign' AND entity_id = $print")" = 1 ] &&
	ok "links: adding it was audited" || fail "links: no audit row"
expect_status "links: a user without marketing.read is refused" 403 -b "$TMP/ro" "$BASE/marketing/campaigns/$print/links"
expect_status "links: a manager without the campaign in scope gets 404" 404 -b "$TMP/mg" "$BASE/marketing/campaigns/$print/links"
expect_status "links: a manager may not add links" 403 -b "$TMP/mg" -d "csrf_token=$T" -d url=https://example.com/x "$BASE/marketing/campaigns/$print/links"

# The redirect: 302 to the stored address with the UTM suffix.
fetch -A "Links test agent $RUN" "$BASE/r/$ptok"
loc=$(grep -i '^location:' "$TMP/h" | sed 's/^[^:]*: //' | tr -d '\r')
[ "$STATUS" = 302 ] && ok "redirect: a tracked link answers 302" || fail "redirect: $STATUS"
[ "$loc" = "https://example.com/offer?utm_source=print&utm_campaign=p$RUN" ] && ok "redirect: ... to the stored address with the UTM suffix after ?" ||
	fail "redirect: Location '$loc'"
row=$($SQL -e "SELECT campaign_id, COALESCE(contact_id, 'null'), COALESCE(message_id, 'null'), user_agent FROM link_clicks WHERE link_id = $plink")
[ "$row" = "$(printf '%s\tnull\tnull\tLinks test agent %s' "$print" "$RUN")" ] && ok "redirect: the click is recorded with campaign and user agent, no contact" ||
	fail "redirect: click row '$row'"
[ "$($SQL -e "SELECT clicks FROM tracked_links WHERE id = $plink")" = 1 ] && ok "redirect: the link's clicks went up" || fail "redirect: clicks"
long=$(printf 'L%.0s' $(seq 1 400))
fetch -A "$long" "$BASE/r/$ptok?next=https://evil.example.com/&url=https://evil.example.com/"
loc=$(grep -i '^location:' "$TMP/h" | sed 's/^[^:]*: //' | tr -d '\r')
[ "$loc" = "https://example.com/offer?utm_source=print&utm_campaign=p$RUN" ] && ok "redirect: addresses in the request are ignored" || fail "redirect: went to '$loc'"
[ "$($SQL -e "SELECT MAX(LENGTH(user_agent)) FROM link_clicks WHERE link_id = $plink")" = 300 ] && ok "redirect: a long user agent is cut to 300 characters" ||
	fail "redirect: user agent length"

# The e-mail campaign's link: & before the suffix, the fragment last, and
# the recipient known from ?m=.
fetch "$BASE/r/$mtok?m=$m_ann"
loc=$(grep -i '^location:' "$TMP/h" | sed 's/^[^:]*: //' | tr -d '\r')
[ "$STATUS $loc" = "302 https://shop.example.com/p?x=1&utm_source=mail#top" ] && ok "redirect: the suffix goes after & and before the #fragment" ||
	fail "redirect: $STATUS '$loc'"
row=$($SQL -e "SELECT k.contact_id, k.message_id = m.id FROM link_clicks k JOIN campaign_messages m ON m.token = '$m_ann' WHERE k.link_id = $mlink")
[ "$row" = "$(printf '%s\t1' "$ann")" ] && ok "redirect: with ?m= the click names the contact and the message" || fail "redirect: click '$row'"
row=$($SQL -e "SELECT status, clicked_at IS NOT NULL FROM campaign_members WHERE campaign_id = $mail AND contact_id = $ann")
[ "$row" = "$(printf 'clicked\t1')" ] && ok "redirect: ... and the member is marked clicked" || fail "redirect: member '$row'"
for m in "$m_other" "not-a-token" "$(tok 43)"; do
	fetch "$BASE/r/$mtok?m=$m"
	[ "$STATUS" = 302 ] || fail "redirect: ?m=$m: $STATUS"
done
[ "$($SQL -e "SELECT COUNT(*), COUNT(contact_id) FROM link_clicks WHERE link_id = $mlink")" = "$(printf '4\t1')" ] &&
	ok "redirect: a message of another campaign or a bad ?m= is an anonymous click, not an error" ||
	fail "redirect: $($SQL -e "SELECT COUNT(*), COUNT(contact_id) FROM link_clicks WHERE link_id = $mlink")"
[ "$($SQL -e "SELECT status FROM campaign_members WHERE campaign_id = $other AND contact_id = $ann")" = sent ] &&
	ok "redirect: ... and the other campaign's member is untouched" || fail "redirect: other campaign's member changed"
# A suffix that would break the address is left off; an address that ends
# in ? takes it with no separator.
$SQL -e "UPDATE campaigns SET utm_suffix = 'utm_source=a b' WHERE id = $other"
btok=$(tok 22); qtok=$(tok 22)
$SQL -e "INSERT INTO tracked_links (campaign_id, token, url, url_hash) VALUES
	($other, '$btok', 'https://example.com/b', UNHEX(SHA2('https://example.com/b', 256))),
	($mail, '$qtok', 'https://example.com/q?', UNHEX(SHA2('https://example.com/q?', 256)))"
fetch "$BASE/r/$btok"
loc=$(grep -i '^location:' "$TMP/h" | sed 's/^[^:]*: //' | tr -d '\r')
[ "$STATUS $loc" = "302 https://example.com/b" ] && ok "redirect: an unusable UTM suffix is left off, the visitor still goes on" || fail "redirect: bad suffix: $STATUS '$loc'"
fetch "$BASE/r/$qtok"
loc=$(grep -i '^location:' "$TMP/h" | sed 's/^[^:]*: //' | tr -d '\r')
[ "$loc" = "https://example.com/q?utm_source=mail" ] && ok "redirect: an address ending in ? takes the suffix as it is" || fail "redirect: '$loc'"
expect_status "redirect: a made-up token is a 404" 404 "$BASE/r/$(tok 22)"
expect_body "redirect: ... with a readable page" 'This link does not exist'
expect_status "redirect: a malformed token is a 404" 404 "$BASE/r/abc"

# The open pixel: the first open recorded, never a status further along
# moved back.
fetch "$BASE/r/o/$m_bo"
[ "$STATUS" = 200 ] && ok "pixel: a message's pixel answers 200" || fail "pixel: $STATUS"
expect_header "pixel: ... as a GIF" '^content-type: image/gif'
expect_header "pixel: ... that is not cached" '^cache-control: no-store'
[ "$(head -c 6 "$TMP/b")" = GIF89a ] && [ "$(wc -c < "$TMP/b")" = 43 ] && ok "pixel: ... 43 bytes of GIF89a" || fail "pixel: body"
row=$($SQL -e "SELECT m.opened_at IS NOT NULL, b.status, b.opened_at IS NOT NULL FROM campaign_messages m
	JOIN campaign_members b ON b.campaign_id = m.campaign_id AND b.contact_id = m.contact_id WHERE m.token = '$m_bo'")
[ "$row" = "$(printf '1\topened\t1')" ] && ok "pixel: the open is recorded on the message and the member" || fail "pixel: '$row'"
$SQL -e "UPDATE campaign_messages SET opened_at = '2026-01-02 03:04:05' WHERE token = '$m_bo'"
fetch "$BASE/r/o/$m_bo"
[ "$($SQL -e "SELECT opened_at FROM campaign_messages WHERE token = '$m_bo'")" = "2026-01-02 03:04:05" ] &&
	ok "pixel: only the first open is kept" || fail "pixel: a second open moved opened_at"
fetch "$BASE/r/o/$m_ann"
row=$($SQL -e "SELECT status, opened_at IS NOT NULL FROM campaign_members WHERE campaign_id = $mail AND contact_id = $ann")
[ "$row" = "$(printf 'clicked\t1')" ] && ok "pixel: a member who clicked stays clicked" || fail "pixel: '$row'"
before=$($SQL -e "SELECT COUNT(*) FROM campaign_messages WHERE opened_at IS NOT NULL")
fetch "$BASE/r/o/$(tok 43)"
[ "$STATUS" = 404 ] && [ "$(head -c 6 "$TMP/b")" = GIF89a ] && ok "pixel: an unknown token still gets the GIF, with 404" || fail "pixel: unknown: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM campaign_messages WHERE opened_at IS NOT NULL")" = "$before" ] && ok "pixel: ... and nothing is recorded" ||
	fail "pixel: an unknown token recorded an open"

# The QR code of the print campaign's link, read back by zbarimg.
fetch -b "$TMP/mk" "$BASE/marketing/campaigns/$print/links/$plink/qr.png"
[ "$STATUS" = 200 ] && ok "qr: the PNG downloads" || fail "qr: png: $STATUS"
expect_header "qr: ... as image/png" '^content-type: image/png'
expect_header "qr: ... as an attachment" "^content-disposition: attachment; filename=\"link-$plink-qr.png\""
cp "$TMP/b" "$TMP/qr.png"
got=$(zbarimg --raw -q --nodbus "$TMP/qr.png" 2>/dev/null)
[ "$got" = "$PUBLIC/r/$ptok" ] && ok "qr: zbarimg reads the PNG as the tracked address" || fail "qr: zbarimg read '$got', wanted $PUBLIC/r/$ptok"
fetch -b "$TMP/mk" "$BASE/marketing/campaigns/$print/links/$plink/qr.svg"
[ "$STATUS" = 200 ] && ok "qr: the SVG downloads" || fail "qr: svg: $STATUS"
expect_header "qr: ... as image/svg+xml" '^content-type: image/svg\+xml'
expect_body "qr: ... an SVG" '^<svg xmlns="http://www.w3.org/2000/svg"'
expect_status "qr: an e-mail campaign's link has no QR code" 404 -b "$TMP/mk" "$BASE/marketing/campaigns/$mail/links/$mlink/qr.png"
expect_status "qr: a link through another campaign's address is a 404" 404 -b "$TMP/mk" "$BASE/marketing/campaigns/$mail/links/$plink/qr.png"
expect_status "qr: out of the manager's scope it is a 404" 404 -b "$TMP/mg" "$BASE/marketing/campaigns/$print/links/$plink/qr.png"

# The page now lists the link with its short address, clicks and QR codes.
fetch -b "$TMP/mk" "$BASE/marketing/campaigns/$print/links"
expect_body "links: the page lists the link's short address" "<code class=\"link-short\">$PUBLIC/r/$ptok</code>"
expect_body "links: ... its clicks" '<td class="num link-clicks">2</td>'
expect_body "links: ... and its QR downloads" "id=\"link-qr-png-$plink\""
expect_body "links: ... with the label" "Spring offer $RUN"
fetch -b "$TMP/mk" "$BASE/marketing/campaigns/$mail/links"
if grep -q 'link-qr-png' "$TMP/b"; then fail "links: an e-mail campaign's page offers QR codes"; else ok "links: an e-mail campaign's page offers no QR code"; fi
expect_status "links: an unknown campaign is a 404" 404 -b "$TMP/mk" "$BASE/marketing/campaigns/999999999/links"
