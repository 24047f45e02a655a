#!/bin/bash
# The customer's side of service: the public ticket form and its defences,
# the status link (public replies only, the customer's reply, revoke and a
# new link, its QR code and the staff's repair slip), the survey (once, a
# score of 1..5, expiry) and the satisfaction results against SQL.
. "$(dirname "$0")/lib.sh"
N=$(( $$ % 50 + 1 ))
IP=127.0.17.$N
IPA=127.0.17.$((N + 50))   # the form's good posts
IPB=127.0.17.$((N + 100))  # the form's refused posts
IPD=127.0.17.$((N + 150))  # ... more of them
IPC=127.0.17.$((N + 200))  # the rate limit
RUN=$$
PW='customers see their tickets 5'
for who in ada:admin sid:support sal:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-sp$RUN@example.com" --name "${who%%:*} sp$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-sp$RUN@example.com"
done
ADA=$($SQL -e "SELECT id FROM users WHERE email = 'ada-sp$RUN@example.com'")
SID=$($SQL -e "SELECT id FROM users WHERE email = 'sid-sp$RUN@example.com'")
$SQL -e "INSERT INTO teams (name) VALUES ('Desk sp$RUN')"
TEAM=$($SQL -e "SELECT id FROM teams WHERE name = 'Desk sp$RUN'")
$SQL -e "INSERT INTO ticket_categories (name, team_id) VALUES ('Repairs sp$RUN', $TEAM), ('Old sp$RUN', NULL)"
CAT=$($SQL -e "SELECT id FROM ticket_categories WHERE name = 'Repairs sp$RUN'")
OLDCAT=$($SQL -e "SELECT id FROM ticket_categories WHERE name = 'Old sp$RUN'")
$SQL -e "UPDATE ticket_categories SET active = FALSE WHERE id = $OLDCAT"
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Acme sp$RUN', $ADA), ('Other sp$RUN', $ADA)"
ACCOUNT=$($SQL -e "SELECT id FROM accounts WHERE name = 'Acme sp$RUN'")
OTHER=$($SQL -e "SELECT id FROM accounts WHERE name = 'Other sp$RUN'")
$SQL -e "INSERT INTO contacts (full_name, email, email_norm, account_id, owner_id)
	VALUES ('Cora sp$RUN', 'Cora.SP$RUN@Example.com', 'cora.sp$RUN@example.com', $ACCOUNT, $ADA)"
CONTACT=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Cora sp$RUN'")
for o in "SP-$RUN:$ACCOUNT" "SPX-$RUN:$OTHER"; do
	$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
		VALUES ('${o%%:*}', ${o#*:}, 'USD', UTC_DATE(), 0, 0, 0, 0, $ADA)"
done
ORDER=$($SQL -e "SELECT id FROM orders WHERE number = 'SP-$RUN'")
LINKBASE=$($SQL -e "SELECT TRIM(TRAILING '/' FROM value) FROM settings WHERE name = 'public_url'")

# form IP JAR: the form page into $TMP/form.html, its token and stamp.
form() {
	curl -s --interface "$1" -c "$TMP/$2" -b "$TMP/$2" "$BASE/service/new" -o "$TMP/form.html"
	TOKEN=$(csrf_of "$TMP/form.html")
	STAMP=$(grep -o 'name="form_stamp" value="[^"]*"' "$TMP/form.html" | sed 's/.*value="//;s/"$//')
}
# send IP JAR args...: posts the form.
send() {
	ip=$1 jar=$2
	shift 2
	STATUS=$(curl -s --interface "$ip" -c "$TMP/$jar" -b "$TMP/$jar" -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' \
		--data-urlencode "csrf_token=$TOKEN" "$@" "$BASE/service/new")
}
fields() { # SUBJECT EMAIL: the good fields in F
	F=(--data-urlencode "name=Cora Customer" --data-urlencode "email=$2" --data-urlencode "subject=$1"
		-d category_id=$CAT --data-urlencode "description=It broke on $RUN")
}

# The page.
expect_status "public form: served without sign-in" 200 --interface $IPA "$BASE/service/new"
expect_body "public form: ... with its form" 'id="ticket-public-form"'
expect_body "public form: ... the active categories" ">Repairs sp$RUN<"
grep -q ">Old sp$RUN<" "$TMP/b" && fail "public form: an inactive category is offered" || ok "public form: ... not the inactive ones"
expect_body "public form: ... a honeypot" 'name="website"'
expect_valid_html "public form: valid HTML"

# A good ticket: contact matched by e-mail, the order theirs.
form $IPA ja
sleep 3
fields "Screen sp$RUN" "cora.sp$RUN@EXAMPLE.com"
send $IPA ja "${F[@]}" --data-urlencode "order_number=SP-$RUN" --data-urlencode "form_stamp=$STAMP" -d website=
[ "$STATUS" = 200 ] && grep -q 'id="ticket-status-link"' "$TMP/b" && ok "public form: a ticket is made, with its status link" || fail "public form: submit: $STATUS $(head -c 300 "$TMP/b")"
T1=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Screen sp$RUN'")
ROW=$($SQL -e "SELECT CONCAT_WS('|', channel, status, IFNULL(created_by, 'null'), contact_id, account_id, order_id, category_id, requester_email) FROM tickets WHERE id = '$T1'")
[ "$ROW" = "web|new|null|$CONTACT|$ACCOUNT|$ORDER|$CAT|cora.sp$RUN@EXAMPLE.com" ] && ok "public form: web, new, by nobody, the contact, account and order linked" || fail "public form: ticket row: $ROW"
TOK1=$($SQL -e "SELECT public_token FROM tickets WHERE id = '$T1'")
[ ${#TOK1} = 43 ] && grep -q "$LINKBASE/service/t/$TOK1" "$TMP/b" && ok "public form: the thank-you page has the link of the ticket's secret" || fail "public form: link '$TOK1'"
[ "$($SQL -e "SELECT CONCAT(kind, '|', body) FROM ticket_messages WHERE ticket_id = '$T1'")" = "customer|It broke on $RUN" ] && ok "public form: the first message is the customer's" || fail "public form: first message"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket' AND entity_id = '$T1' AND action = 'create' AND user_id IS NULL")" = 1 ] && ok "public form: audited with no user" || fail "public form: audit"

# An unknown e-mail: no contact; someone else's order number is not linked.
form $IPA ja
sleep 3
fields "Stranger sp$RUN" "nobody-sp$RUN@example.com"
send $IPA ja "${F[@]}" --data-urlencode "order_number=SPX-$RUN" --data-urlencode "form_stamp=$STAMP"
ROW=$($SQL -e "SELECT CONCAT_WS('|', IFNULL(contact_id, 'null'), IFNULL(order_id, 'null')) FROM tickets WHERE subject = 'Stranger sp$RUN'")
[ "$STATUS" = 200 ] && [ "$ROW" = "null|null" ] && ok "public form: no contact for an unknown e-mail, no order of another account" || fail "public form: stranger: $STATUS $ROW"
$SQL -e "SELECT description FROM tickets WHERE subject = 'Stranger sp$RUN'" | grep -q "SPX-$RUN" && ok "public form: ... the number kept in the description" || fail "public form: order number lost"

# Refused: too fast, no stamp, honeypot, unknown field, bad values, no token.
form $IPB jb
fields "Fast sp$RUN" "x-sp$RUN@example.com"
send $IPB jb "${F[@]}" --data-urlencode "form_stamp=$STAMP"
[ "$STATUS" = 422 ] && grep -q 'id="ticket-public-error"' "$TMP/b" && grep -q 'value="Fast sp' "$TMP/b" && ok "public form: too fast is shown again with what was typed" || fail "public form: too fast: $STATUS"
fields "Nostamp sp$RUN" "x-sp$RUN@example.com"
send $IPB jb "${F[@]}"
[ "$STATUS" = 422 ] && ok "public form: no stamp is refused" || fail "public form: no stamp: $STATUS"
fields "Forged sp$RUN" "x-sp$RUN@example.com"
send $IPB jb "${F[@]}" -d "form_stamp=$(( $(date +%s) - 60 )).$(printf 'a%.0s' $(seq 64))"
[ "$STATUS" = 422 ] && ok "public form: a forged stamp is refused" || fail "public form: forged stamp: $STATUS"
form $IPD jd
sleep 3
fields "Honey sp$RUN" "x-sp$RUN@example.com"
send $IPD jd "${F[@]}" --data-urlencode "form_stamp=$STAMP" -d website=http://spam.example
[ "$STATUS" = 400 ] && ok "public form: the honeypot refuses" || fail "public form: honeypot: $STATUS"
fields "Extra sp$RUN" "x-sp$RUN@example.com"
send $IPD jd "${F[@]}" --data-urlencode "form_stamp=$STAMP" -d priority=urgent
[ "$STATUS" = 422 ] && grep -q 'priority' "$TMP/b" && ok "public form: an unknown field is refused and named" || fail "public form: unknown field: $STATUS"
send $IPD jd --data-urlencode "form_stamp=$STAMP" -d name= -d email=nope -d subject= -d description= -d category_id=$OLDCAT
[ "$STATUS" = 422 ] && grep -q 'id="error-email"' "$TMP/b" && grep -q 'id="error-category_id"' "$TMP/b" && grep -q 'id="error-subject"' "$TMP/b" && ok "public form: bad values and an inactive category are named" || fail "public form: bad values: $STATUS"
# A file with the form: multipart, kept public on the first message.
printf 'screen photo %s' "$RUN" > "$TMP/screen.png"
printf 'MZ' > "$TMP/tool.exe"
sendfile() { # FILE SUBJECT
	STATUS=$(curl -s --interface $IPD -c "$TMP/jd" -b "$TMP/jd" -o "$TMP/b" -w '%{http_code}' -F "csrf_token=$TOKEN" \
		-F "form_stamp=$STAMP" -F "name=Cora Customer" -F "email=cora.sp$RUN@example.com" -F "subject=$2" \
		-F category_id=$CAT -F "description=See the file" -F "file=@$1" "$BASE/service/new")
}
sendfile "$TMP/tool.exe" "Program sp$RUN"
[ "$STATUS" = 422 ] && grep -q 'id="error-file"' "$TMP/b" && ok "public form: a file of a type not allowed is refused and named" || fail "public form: exe: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE subject = 'Program sp$RUN'")" = 0 ] && ok "public form: ... and nothing stored" || fail "public form: exe ticket stored"
sendfile "$TMP/screen.png" "Photo sp$RUN"
TF=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Photo sp$RUN'")
ROW=$($SQL -e "SELECT CONCAT_WS('|', a.filename, a.content_type, a.public, IFNULL(a.created_by, 'null'), m.kind, LOWER(HEX(a.sha256)))
	FROM ticket_attachments a JOIN ticket_messages m ON m.id = a.message_id WHERE a.ticket_id = '$TF'")
[ "$STATUS" = 200 ] && [ "$ROW" = "screen.png|image/png|1|null|customer|$(sha256sum "$TMP/screen.png" | cut -d' ' -f1)" ] &&
	ok "public form: a file comes with the first message, public, by nobody" || fail "public form: file: $STATUS $ROW"
TOKF=$($SQL -e "SELECT public_token FROM tickets WHERE id = '$TF'")
FF=$($SQL -e "SELECT id FROM ticket_attachments WHERE ticket_id = '$TF'")
expect_status "public form: ... the customer downloads it through the status link" 200 "$BASE/service/t/$TOKF/files/$FF"
cmp -s "$TMP/b" "$TMP/screen.png" && ok "public form: ... the same bytes" || fail "public form: file bytes differ"
expect_status "public form: ... another ticket's link does not open it" 404 "$BASE/service/t/$TOK1/files/$FF"
fields "Notoken sp$RUN" "x@example.com"
STATUS=$(curl -s --interface $IPB -b "$TMP/jd" -o /dev/null -w '%{http_code}' "${F[@]}" --data-urlencode "form_stamp=$STAMP" "$BASE/service/new")
[ "$STATUS" = 403 ] && ok "public form: a post without the form token is refused" || fail "public form: no token: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE subject IN ('Fast sp$RUN', 'Nostamp sp$RUN', 'Forged sp$RUN', 'Honey sp$RUN', 'Extra sp$RUN', 'Notoken sp$RUN')")" = 0 ] && ok "public form: nothing refused was stored" || fail "public form: a refused ticket was stored"
# The rate limit: five posts in ten minutes from one address.
form $IPC jc
for i in 1 2 3 4 5 6; do send $IPC jc -d name=; done
[ "$STATUS" = 429 ] && grep -qi '^retry-after: 600' "$TMP/h" && ok "public form: the sixth post from an address is 429" || fail "public form: rate limit: $STATUS"
form $IPA ja
sleep 3
fields "After sp$RUN" "cora.sp$RUN@example.com"
send $IPA ja "${F[@]}" --data-urlencode "form_stamp=$STAMP"
[ "$STATUS" = 200 ] && ok "public form: ... another address is not limited" || fail "public form: other address: $STATUS"

# The status link: public replies and the customer's own, never notes.
$SQL -e "INSERT INTO ticket_messages (ticket_id, kind, body, author_id, author_name) VALUES
	($T1, 'public', 'We will call you sp$RUN', $SID, 'Sid'), ($T1, 'internal', 'SECRET note sp$RUN', $SID, 'Sid')"
PUBMSG=$($SQL -e "SELECT id FROM ticket_messages WHERE ticket_id = $T1 AND kind = 'public'")
NOTEMSG=$($SQL -e "SELECT id FROM ticket_messages WHERE ticket_id = $T1 AND kind = 'internal'")
$SQL -e "INSERT INTO ticket_attachments (ticket_id, message_id, filename, content_type, size, sha256, public) VALUES
	($T1, $PUBMSG, 'photo-sp$RUN.jpg', 'image/jpeg', 10, UNHEX(SHA2('a', 256)), TRUE),
	($T1, $NOTEMSG, 'private-sp$RUN.pdf', 'application/pdf', 10, UNHEX(SHA2('b', 256)), FALSE)"
PHOTO=$($SQL -e "SELECT id FROM ticket_attachments WHERE filename = 'photo-sp$RUN.jpg'")
PRIVATE=$($SQL -e "SELECT id FROM ticket_attachments WHERE filename = 'private-sp$RUN.pdf'")
printf 'photo bytes' > "$CRM_E2E_DIR/attachments/$PHOTO"
printf 'private bytes' > "$CRM_E2E_DIR/attachments/$PRIVATE"
expect_status "status link: served without sign-in" 200 -c "$TMP/cust" -b "$TMP/cust" "$BASE/service/t/$TOK1"
cp "$TMP/b" "$TMP/status.html"
expect_body "status link: the subject" "id=\"ticket-subject\">Screen sp$RUN<"
expect_body "status link: the status" 'data-status="new"'
expect_body "status link: the staff's public reply" "We will call you sp$RUN"
expect_body "status link: the customer's own message" "It broke on $RUN"
grep -q "SECRET note" "$TMP/b" && fail "status link: an internal note is shown" || ok "status link: ... never an internal note"
expect_body "status link: a public attachment" "photo-sp$RUN.jpg"
grep -q "private-sp$RUN" "$TMP/b" && fail "status link: a private attachment is shown" || ok "status link: ... not a private one"
grep -q "href=\"/service/t/$TOK1/files/$PHOTO\"" "$TMP/b" && ok "status link: ... the public one links through the link" || fail "status link: no file link"
expect_status "status link: a public file downloads through the link" 200 "$BASE/service/t/$TOK1/files/$PHOTO"
[ "$(cat "$TMP/b")" = "photo bytes" ] && ok "status link: ... its bytes" || fail "status link: file bytes $(head -c 100 "$TMP/b")"
expect_header "status link: ... as a download" '^content-disposition: attachment; filename="photo-sp'
expect_status "status link: a note's file is 404 through the link" 404 "$BASE/service/t/$TOK1/files/$PRIVATE"
expect_status "status link: ... and a file under a made-up secret" 404 "$BASE/service/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/files/$PHOTO"
expect_valid_html "status link: valid HTML"
expect_status "status link: a made-up secret is 404" 404 "$BASE/service/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_status "status link: a short one is 404" 404 "$BASE/service/t/abc"

# The customer's reply opens a pending ticket again.
$SQL -e "UPDATE tickets SET status = 'pending' WHERE id = $T1"
reply() { # TOKEN BODY
	curl -s -c "$TMP/cust" -b "$TMP/cust" "$BASE/service/t/$1" -o "$TMP/s.html"
	STATUS=$(curl -s -c "$TMP/cust" -b "$TMP/cust" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/s.html")" \
		--data-urlencode "body=$2" "$BASE/service/t/$1/reply")
}
reply "$TOK1" "Here is more sp$RUN"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT status FROM tickets WHERE id = $T1")" = open ] && ok "status link: a reply reopens a pending ticket" || fail "status link: reply: $STATUS $($SQL -e "SELECT status FROM tickets WHERE id = $T1")"
[ "$($SQL -e "SELECT CONCAT(kind, '|', IFNULL(author_id, 'null'), '|', author_name) FROM ticket_messages WHERE ticket_id = $T1 AND body = 'Here is more sp$RUN'")" = "customer|null|Cora Customer" ] && ok "status link: ... stored as the customer's" || fail "status link: reply row"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket' AND entity_id = $T1 AND action = 'customer_reply'")" = 1 ] && ok "status link: ... audited" || fail "status link: reply audit"
$SQL -e "UPDATE tickets SET status = 'resolved' WHERE id = $T1"
reply "$TOK1" "Thanks sp$RUN"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT status FROM tickets WHERE id = $T1")" = resolved ] && ok "status link: a reply to a ticket that is not pending leaves its status" || fail "status link: resolved reply: $STATUS"
reply "$TOK1" ""
[ "$STATUS" = 422 ] && grep -q 'id="error-body"' "$TMP/b" && ok "status link: an empty reply is refused" || fail "status link: empty reply: $STATUS"
# A reply with a file: public, on the customer's message; a bad one stores nothing.
replyfile() { # TOKEN BODY FILE
	curl -s -c "$TMP/cust" -b "$TMP/cust" "$BASE/service/t/$1" -o "$TMP/s.html"
	STATUS=$(curl -s -c "$TMP/cust" -b "$TMP/cust" -o "$TMP/b" -w '%{http_code}' -F "csrf_token=$(csrf_of "$TMP/s.html")" \
		-F "body=$2" -F "file=@$3" "$BASE/service/t/$1/reply")
}
printf 'receipt %s' "$RUN" > "$TMP/receipt.pdf"
replyfile "$TOK1" "Receipt sp$RUN" "$TMP/receipt.pdf"
ROW=$($SQL -e "SELECT CONCAT_WS('|', a.filename, a.public, m.kind) FROM ticket_attachments a JOIN ticket_messages m ON m.id = a.message_id
	WHERE m.ticket_id = $T1 AND m.body = 'Receipt sp$RUN'")
[ "$STATUS" = 303 ] && [ "$ROW" = "receipt.pdf|1|customer" ] && ok "status link: a reply takes a file, public, on the customer's message" || fail "status link: reply file: $STATUS $ROW"
curl -s "$BASE/service/t/$TOK1" -o "$TMP/s.html"
grep -q '>receipt.pdf</a>' "$TMP/s.html" && ok "status link: ... listed under the reply" || fail "status link: reply file not listed"
replyfile "$TOK1" "Program sp$RUN" "$TMP/tool.exe"
[ "$STATUS" = 422 ] && grep -q 'id="error-file"' "$TMP/b" && grep -q "Program sp$RUN" "$TMP/b" && ok "status link: a file of a type not allowed is refused, the reply kept in the form" || fail "status link: exe reply: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $T1 AND body = 'Program sp$RUN'")" = 0 ] && ok "status link: ... and nothing stored" || fail "status link: exe reply stored"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode "body=forged" "$BASE/service/t/$TOK1/reply")
[ "$STATUS" = 403 ] && ok "status link: a reply without the form token is refused" || fail "status link: no token: $STATUS"
$SQL -e "UPDATE tickets SET status = 'closed' WHERE id = $T1"
reply "$TOK1" "Late sp$RUN"
[ "$STATUS" = 409 ] && ok "status link: a closed ticket takes no reply" || fail "status link: closed reply: $STATUS"
$SQL -e "UPDATE tickets SET status = 'open', owner_id = $SID WHERE id = $T1"

# The QR code: an SVG of the link, and the slip's image decodes to it too.
# The SVG's one path (row runs: "M x y h w v 1 h -w z") drawn as a PBM
# for zbarimg, which reads no SVG here.
cat > "$TMP/svgqr.py" <<'PY'
import re, sys
svg = open(sys.argv[1]).read()
n = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
d = re.search(r'<path[^>]* d="([^"]*)"', svg).group(1)
grid = [[0] * n for _ in range(n)]
x = y = sx = sy = 0.0
for cmd, args in re.findall(r'([MmHhVvZz])([^MmHhVvZz]*)', d):
    nums = [float(v) for v in re.findall(r'-?[0-9.]+', args)]
    if cmd in 'Mm':
        x, y = (nums[0], nums[1]) if cmd == 'M' else (x + nums[0], y + nums[1])
        sx, sy, w, h = x, y, None, None
    elif cmd in 'Hh':
        nx = nums[0] if cmd == 'H' else x + nums[0]
        if w is None: w = nx - x
        x = nx
    elif cmd in 'Vv':
        ny = nums[0] if cmd == 'V' else y + nums[0]
        if h is None: h = ny - y
        y = ny
    else:
        for yy in range(int(sy), int(sy + (h or 1))):
            for xx in range(int(sx), int(sx + (w or 0))):
                grid[yy][xx] = 1
        x, y = sx, sy
s = 8
print('P1\n%d %d' % (n * s, n * s))
for row in grid:
    line = ' '.join(str(v) for v in row for _ in range(s))
    for _ in range(s):
        print(line)
PY
decode() { python3 "$TMP/svgqr.py" "$1" > "$1.pbm" && zbarimg -q --raw "$1.pbm" 2>/dev/null | head -1; }
expect_status "qr: served" 200 "$BASE/service/t/$TOK1/qr.svg"
expect_header "qr: ... as SVG" '^content-type: image/svg\+xml'
if command -v zbarimg >/dev/null; then
	cp "$TMP/b" "$TMP/qr.svg"
	GOT=$(decode "$TMP/qr.svg")
	[ "$GOT" = "$LINKBASE/service/t/$TOK1" ] && ok "qr: decodes to the status link" || fail "qr: decoded '$GOT'"
fi
expect_status "slip: the ticket's agent prints it" 200 -b "$TMP/sid" "$BASE/service/tickets/$T1/slip"
expect_body "slip: the number" "id=\"slip-number\">[^<]*#$T1<"
expect_body "slip: the customer" "Cora Customer \\(Cora sp$RUN\\)"
expect_body "slip: the link" "id=\"slip-link\">$LINKBASE/service/t/$TOK1<"
grep -q 'id="main"' "$TMP/b" && ! grep -q 'class="subnav"' "$TMP/b" && grep -q 'document.css' "$TMP/b" && ok "slip: no navigation, the print stylesheet" || fail "slip: layout"
if command -v zbarimg >/dev/null; then
	grep -o 'src="data:image/svg+xml;base64,[^"]*"' "$TMP/b" | head -1 | sed 's/.*base64,//;s/"$//' | base64 -d > "$TMP/slip.svg"
	GOT=$(decode "$TMP/slip.svg")
	[ "$GOT" = "$LINKBASE/service/t/$TOK1" ] && ok "slip: its QR code decodes to the status link" || fail "slip: qr decoded '$GOT'"
fi
expect_valid_html "slip: valid HTML"
expect_status "slip: a sales user may not" 403 -b "$TMP/sal" "$BASE/service/tickets/$T1/slip"
expect_status "slip: a ticket that does not exist is 404" 404 -b "$TMP/ada" "$BASE/service/tickets/999999999/slip"
$SQL -e "UPDATE tickets SET owner_id = $ADA WHERE id = $T1"
expect_status "slip: another agent's ticket is out of support's scope" 404 -b "$TMP/sid" "$BASE/service/tickets/$T1/slip"
$SQL -e "UPDATE tickets SET owner_id = $SID WHERE id = $T1"

# Revoke and a new link.
staff_post() { # JAR PATH
	curl -s -b "$TMP/$1" "$BASE/service/tickets/$T1/slip" -o "$TMP/slip.html"
	STATUS=$(curl -s -b "$TMP/$1" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/slip.html")" "$BASE$2")
}
staff_post sal "/service/tickets/$T1/link/revoke"
[ "$STATUS" = 403 ] && ok "revoke: a sales user may not" || fail "revoke: sales: $STATUS"
staff_post sid "/service/tickets/$T1/link/revoke"
[ "$STATUS" = 303 ] && ok "revoke: the agent revokes the link" || fail "revoke: $STATUS"
expect_status "revoke: the link is 404 now" 404 "$BASE/service/t/$TOK1"
expect_status "revoke: ... and its QR code" 404 "$BASE/service/t/$TOK1/qr.svg"
expect_status "revoke: the slip has no link now" 200 -b "$TMP/sid" "$BASE/service/tickets/$T1/slip"
expect_body "revoke: ... it says so" 'id="slip-no-link"'
staff_post sid "/service/tickets/$T1/link/new"
TOK2=$($SQL -e "SELECT public_token FROM tickets WHERE id = $T1")
[ "$STATUS" = 303 ] && [ ${#TOK2} = 43 ] && [ "$TOK2" != "$TOK1" ] && ok "new link: a new secret" || fail "new link: $STATUS"
expect_status "new link: it opens the ticket" 200 "$BASE/service/t/$TOK2"
expect_status "new link: the old one stays dead" 404 "$BASE/service/t/$TOK1"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket' AND entity_id = $T1 AND action IN ('revoke_link', 'new_link') AND user_id = $SID")" = 2 ] && ok "revoke, new link: both audited with the agent" || fail "revoke/new audit"
staff_post sid "/service/tickets/$T1/link/revoke"
staff_post sid "/service/tickets/$T1/link/new"
TOK3=$($SQL -e "SELECT public_token FROM tickets WHERE id = $T1")
expect_status "new link: a new link after a revoke opens" 200 "$BASE/service/t/$TOK3"
expect_status "new link: ... the one before is dead" 404 "$BASE/service/t/$TOK2"

# The survey: sent again by the agent on a resolved ticket.
staff_post sid "/service/tickets/$T1/survey"
[ "$STATUS" = 409 ] && [ "$($SQL -e "SELECT csat_token IS NULL FROM tickets WHERE id = $T1")" = 1 ] && ok "survey: not for a ticket that is not resolved" || fail "survey: open ticket: $STATUS"
$SQL -e "UPDATE tickets SET status = 'resolved', team_id = $TEAM, category_id = $CAT WHERE id = $T1"
staff_post sid "/service/tickets/$T1/survey"
CS=$($SQL -e "SELECT csat_token FROM tickets WHERE id = $T1")
[ "$STATUS" = 303 ] && [ ${#CS} = 43 ] && ok "survey: issued for a resolved ticket" || fail "survey: issue: $STATUS '$CS'"
expect_status "survey: the page" 200 -c "$TMP/sv" -b "$TMP/sv" "$BASE/service/s/$CS"
expect_body "survey: ... a score of 1 to 5" 'id="survey-score-5"'
expect_valid_html "survey: valid HTML"
expect_status "survey: a made-up secret is 404" 404 "$BASE/service/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
answer() { # TOKEN args...
	tok=$1
	shift
	curl -s -c "$TMP/sv" -b "$TMP/sv" "$BASE/service/s/$tok" -o "$TMP/sv.html"
	STATUS=$(curl -s -c "$TMP/sv" -b "$TMP/sv" -o "$TMP/b" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/sv.html")" "$@" "$BASE/service/s/$tok")
}
for bad in 0 6 abc ""; do
	answer "$CS" -d "score=$bad"
	[ "$STATUS" = 422 ] && grep -q 'id="error-score"' "$TMP/b" || { fail "survey: score '$bad': $STATUS"; continue; }
	ok "survey: a score of '$bad' is refused"
done
$SQL -e "UPDATE tickets SET owner_id = $ADA WHERE id = $T1"
answer "$CS" -d score=4 --data-urlencode "comment=Quick sp$RUN"
[ "$STATUS" = 200 ] && grep -q 'id="survey-thanks"' "$TMP/b" && ok "survey: answered" || fail "survey: answer: $STATUS"
[ "$($SQL -e "SELECT CONCAT_WS('|', score, comment, agent_id, team_id, category_id) FROM csat_responses WHERE ticket_id = $T1")" = "4|Quick sp$RUN|$ADA|$TEAM|$CAT" ] &&
	ok "survey: the score, with the agent, team and category of the moment" || fail "survey: row $($SQL -e "SELECT * FROM csat_responses WHERE ticket_id = $T1")"
answer "$CS" -d score=1
[ "$STATUS" = 409 ] && [ "$($SQL -e "SELECT score FROM csat_responses WHERE ticket_id = $T1")" = 4 ] && ok "survey: one answer per ticket" || fail "survey: second answer: $STATUS"
expect_status "survey: the page says it was answered" 409 "$BASE/service/s/$CS"
staff_post ada "/service/tickets/$T1/survey"
[ "$STATUS" = 409 ] && ok "survey: not sent again once answered" || fail "survey: resend answered: $STATUS"
# Expiry after csat_days (7 by default) from when it was sent.
$SQL -e "INSERT INTO tickets (subject, status, requester_name, public_token) VALUES ('Late sp$RUN', 'resolved', 'Lee', NULL)"
T2=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Late sp$RUN'")
staff_post ada "/service/tickets/$T2/survey"
CS2=$($SQL -e "SELECT csat_token FROM tickets WHERE id = $T2")
[ "$STATUS" = 303 ] && ok "survey: an admin sends one" || fail "survey: admin send: $STATUS"
$SQL -e "UPDATE tickets SET csat_sent_at = NOW() - INTERVAL 6 DAY WHERE id = $T2"
expect_status "survey: still open on day 6" 200 "$BASE/service/s/$CS2"
$SQL -e "UPDATE tickets SET csat_sent_at = NOW() - INTERVAL 8 DAY WHERE id = $T2"
expect_status "survey: expired on day 8" 410 "$BASE/service/s/$CS2"
expect_body "survey: ... it says so" 'id="survey-expired"'
answer "$CS2" -d score=5
[ "$STATUS" = 410 ] && [ -z "$($SQL -e "SELECT score FROM csat_responses WHERE ticket_id = $T2")" ] && ok "survey: an expired survey takes no answer" || fail "survey: expired answer: $STATUS"

# Satisfaction results against SQL, in a month of their own (2001-03).
$SQL -e "INSERT INTO ticket_categories (name) VALUES ('Cat2 sp$RUN')"
CAT2=$($SQL -e "SELECT id FROM ticket_categories WHERE name = 'Cat2 sp$RUN'")
i=0
for r in "$ADA:5:$CAT:03-02" "$ADA:4:$CAT:03-10" "$ADA:1:$CAT2:03-31" "$SID:3:$CAT2:03-05" "$SID:2:$CAT:04-01" "$SID:5:$CAT:02-28"; do
	i=$((i + 1))
	IFS=: read -r agent score cat day <<< "$r"
	$SQL -e "INSERT INTO tickets (subject, status, requester_name) VALUES ('Sat $i sp$RUN', 'closed', 'X')"
	t=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Sat $i sp$RUN'")
	$SQL -e "INSERT INTO csat_responses (ticket_id, score, agent_id, team_id, category_id, created_at)
		VALUES ($t, $score, $agent, $TEAM, $cat, '2001-$day 12:00:00')"
done
expect_status "satisfaction: support sees the results" 200 -b "$TMP/sid" "$BASE/service/satisfaction?from=2001-03-01&to=2001-03-31"
expect_valid_html "satisfaction: valid HTML"
row() { # TABLE NAME: the row's answers and average
	sed -n "/id=\"satisfaction-$1\"/,/<\/table>/p" "$TMP/b" | grep -o "<td>2001-03</td><td>$2</td><td class=\"num\">[0-9]*</td><td class=\"num\">[0-9.]*</td>" |
		sed 's/.*num">\([0-9]*\)<\/td><td class="num">\([0-9.]*\)<.*/\1 \2/'
}
sqlrow() { # WHERE
	$SQL -e "SELECT CONCAT(COUNT(*), ' ', ROUND(AVG(score), 2)) FROM csat_responses WHERE created_at >= '2001-03-01' AND created_at < '2001-04-01' AND $1"
}
[ "$(row agent "ada sp$RUN")" = "$(sqlrow "agent_id = $ADA")" ] && ok "satisfaction: an agent's count and average as SQL's ($(row agent "ada sp$RUN"))" || fail "satisfaction: agent ada: '$(row agent "ada sp$RUN")' vs '$(sqlrow "agent_id = $ADA")'"
[ "$(row agent "sid sp$RUN")" = "1 3.00" ] && ok "satisfaction: ... the range leaves out other months" || fail "satisfaction: agent sid: '$(row agent "sid sp$RUN")'"
[ "$(row team "Desk sp$RUN")" = "$(sqlrow "team_id = $TEAM")" ] && ok "satisfaction: a team's as SQL's ($(row team "Desk sp$RUN"))" || fail "satisfaction: team: '$(row team "Desk sp$RUN")' vs '$(sqlrow "team_id = $TEAM")'"
[ "$(row category "Cat2 sp$RUN")" = "$(sqlrow "category_id = $CAT2")" ] && ok "satisfaction: a category's as SQL's ($(row category "Cat2 sp$RUN"))" || fail "satisfaction: category: '$(row category "Cat2 sp$RUN")'"
expect_status "satisfaction: the months side by side" 200 -b "$TMP/ada" "$BASE/service/satisfaction?from=2001-02-01&to=2001-04-30"
sed -n '/id="satisfaction-agent"/,/<\/table>/p' "$TMP/b" | grep -o "<td>200[0-9-]*</td><td>sid sp$RUN</td>" > "$TMP/months"
[ "$(tr -d '\n' < "$TMP/months")" = "<td>2001-02</td><td>sid sp$RUN</td><td>2001-03</td><td>sid sp$RUN</td><td>2001-04</td><td>sid sp$RUN</td>" ] && ok "satisfaction: ... one row per month, in order" || fail "satisfaction: months for sid: $(cat "$TMP/months")"
# The trend as charts drawn on the server, their figures as a table too.
grep -q '<svg[^>]*id="satisfaction-trend"\|id="satisfaction-trend"' "$TMP/b" && grep -q 'id="satisfaction-answers"' "$TMP/b" &&
	ok "satisfaction: the average and the answers by month are drawn as charts" || fail "satisfaction: no charts"
for m in 02 03 04; do
	want=$($SQL -e "SELECT CONCAT(COUNT(*), ' ', ROUND(AVG(score), 2)) FROM csat_responses WHERE created_at >= '2001-$m-01' AND created_at < '2001-$m-01' + INTERVAL 1 MONTH")
	got=$(sed -n '/id="satisfaction-answers"/,/<\/table>/p' "$TMP/b" | grep -o "<th scope=\"row\">2001-$m</th><td class=\"num\">[0-9]*</td>" | grep -o '[0-9]*</td>' | tr -d '</td>')
	avg=$(sed -n '/id="satisfaction-trend"/,/<\/table>/p' "$TMP/b" | grep -o "<th scope=\"row\">2001-$m</th><td class=\"num\">[0-9.]*</td>" | grep -o '>[0-9.]*</td>' | tr -d '<>/td')
	[ "$got $avg" = "$want" ] && ok "satisfaction: 2001-$m in the charts' tables: $want" || fail "satisfaction: chart 2001-$m: '$got $avg', SQL '$want'"
done
expect_status "satisfaction: a bad date is 422" 422 -b "$TMP/ada" "$BASE/service/satisfaction?from=2001-13-01"
expect_status "satisfaction: an end before the start is 422" 422 -b "$TMP/ada" "$BASE/service/satisfaction?from=2001-03-01&to=2001-02-01"
expect_status "satisfaction: a sales user may not" 403 -b "$TMP/sal" "$BASE/service/satisfaction"
