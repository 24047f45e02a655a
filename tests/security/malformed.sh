#!/bin/bash
# Oversized and malformed requests through nginx to the modules: bodies,
# uploads, multipart and urlencoded forms, headers, JSON to the API and
# CSV files to the import. Each must get a clear 4xx (400, 413, 415 or
# 422) with a readable body (an HTML page with a title, or a JSON error),
# and write nothing: the rows of the tables concerned (contacts, imports,
# ticket messages and attachments, saved reports, the user's audit rows)
# are counted before and after, and no new upload temp file, import spool
# file or attachment may be left on disk.
. "$(dirname "$0")/../e2e/lib.sh"
IP=127.0.20.$(( $$ % 19 + 1 ))
RUN=$$
PW='malformed requests 2026'
PORT=${CRM_E2E_PORT:-18080}
V=$CRM_E2E_DIR

echo "$PW" | $CTL user add --email "bad-$RUN@example.com" --name "Bad $RUN" --role admin \
	--password-stdin >/dev/null
ME=$($SQL -e "SELECT id FROM users WHERE email = 'bad-$RUN@example.com'")
signin "$TMP/jar" "bad-$RUN@example.com"
curl -s -b "$TMP/jar" "$BASE/account" -o "$TMP/account.html"
T=$(csrf_of "$TMP/account.html")
curl -s -b "$TMP/jar" -o "$TMP/token.html" --data-urlencode "csrf_token=$T" -d name=bad -d days=7 "$BASE/account/tokens"
API=$(grep -o 'id="new-token">[^<]*' "$TMP/token.html" | sed 's/.*>//')
SESSION=$(awk '$6 == "crm_session" { print $7 }' "$TMP/jar" | tail -1)
[ -n "$T" ] && [ -n "$API" ] && [ -n "$SESSION" ] || fail "malformed: the admin cannot sign in or get a token"
$SQL -e "INSERT INTO tickets (subject, owner_id, created_by) VALUES ('Bad ticket $RUN', $ME, $ME)"
TICKET=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Bad ticket $RUN'")

# What a request could have written: rows, then files.
state() {
	$SQL -e "SELECT (SELECT COUNT(*) FROM contacts WHERE owner_id = $ME OR last_name LIKE '%$RUN%'),
		(SELECT COUNT(*) FROM imports WHERE user_id = $ME),
		(SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $TICKET),
		(SELECT COUNT(*) FROM ticket_attachments WHERE ticket_id = $TICKET),
		(SELECT COUNT(*) FROM saved_reports WHERE owner_id = $ME),
		(SELECT COUNT(*) FROM audit_log WHERE user_id = $ME AND action <> 'sign-in')"
}
files() {
	{ ls "$V/tmp" | grep '^crm-upload-'; ls "$V/spool" | grep '^import-'; ls "$V/attachments"; } 2>/dev/null | sort
}

# refused NAME CODES curl-args...: the status is one of CODES ("400|413"),
# the body is readable, and nothing was written.
refused() {
	local name=$1 codes=$2 before after
	shift 2
	before=$(state)
	files > "$TMP/files-before"
	fetch "$@"
	after=$(state)
	files > "$TMP/files-after"
	local new
	new=$(comm -13 "$TMP/files-before" "$TMP/files-after" | tr '\n' ' ')
	if ! echo "$STATUS" | grep -qxE "$codes"; then
		fail "malformed: $name: status $STATUS, wanted $codes: $(head -c 200 "$TMP/b")"
	elif ! grep -qiE '<title>[^<]*[a-z]|"errors?" *: *\{' "$TMP/b"; then
		fail "malformed: $name: $STATUS without a readable body: $(head -c 200 "$TMP/b")"
	elif [ "$before" != "$after" ]; then
		fail "malformed: $name: $STATUS but rows were written ($before -> $after)"
	elif [ -n "$new" ]; then
		fail "malformed: $name: $STATUS but files were left: $new"
	else
		ok "malformed: $name: $STATUS, nothing written"
	fi
}
S=(-b "$TMP/jar")
FORM=(-H 'Content-Type: application/x-www-form-urlencoded')
BEARER=(-H "Authorization: Bearer $API")

# --- Bodies and uploads over the limits (crm.conf max_body 16M; nginx
# stops anything over 20m before a module sees it).
head -c 17000000 /dev/zero | tr '\0' a > "$TMP/17m"
refused "a form body over max_body" '413' "${S[@]}" "${FORM[@]}" --data-binary @<(printf 'csrf_token=%s&last_name=Big%s&notes=' "$T" "$RUN"; cat "$TMP/17m") "$BASE/customers/contacts"
refused "a form body over max_body, chunked (no length)" '413' "${S[@]}" "${FORM[@]}" -H 'Transfer-Encoding: chunked' \
	--data-binary @<(printf 'csrf_token=%s&last_name=Big%s&notes=' "$T" "$RUN"; cat "$TMP/17m") "$BASE/customers/contacts"
refused "a body over nginx's client_max_body_size" '413' "${S[@]}" "${FORM[@]}" --data-binary @<(head -c 21000000 /dev/zero) "$BASE/customers/contacts"
refused "an upload over max_file" '413' "${S[@]}" -F "csrf_token=$T" -F "file=@$TMP/17m;filename=big.csv;type=text/csv" "$BASE/customers/imports"
head -c 11000000 /dev/zero | tr '\0' x > "$TMP/11m.txt"
refused "an attachment over the ticket's 10 MB" '413|422' "${S[@]}" -F "csrf_token=$T" -F "body=too big $RUN" \
	-F "file=@$TMP/11m.txt;type=text/plain" "$BASE/service/tickets/$TICKET/messages"
refused "a value over 64 KiB" '413' "${S[@]}" "${FORM[@]}" --data-binary @<(printf 'csrf_token=%s&last_name=Big%s&notes=' "$T" "$RUN"; head -c 70000 "$TMP/17m") "$BASE/customers/contacts"

# --- Malformed multipart/form-data.
mp() { # CONTENT-TYPE BODY-FILE: posts it to the import as is
	refused "$1" '400|415|422' "${S[@]}" -H "Content-Type: $2" --data-binary "@$3" "$BASE/customers/imports"
}
B=xyzBOUNDARY$RUN
printf -- '--%s\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nName,Email\r\nBad%s,b@example.com\r\n--%s--\r\n' \
	"$B" "$T" "$B" "$RUN" "$B" > "$TMP/good.mp"
mp "multipart without a boundary" "multipart/form-data" "$TMP/good.mp"
mp "multipart with an empty boundary" "multipart/form-data; boundary=" "$TMP/good.mp"
mp "multipart with a boundary over 70 bytes" "multipart/form-data; boundary=$(printf 'b%.0s' $(seq 71))" "$TMP/good.mp"
head -c -8 "$TMP/good.mp" > "$TMP/truncated.mp"
mp "multipart truncated before the closing boundary" "multipart/form-data; boundary=$B" "$TMP/truncated.mp"
head -c 150 "$TMP/good.mp" > "$TMP/cut.mp"
mp "multipart cut inside a part's headers" "multipart/form-data; boundary=$B" "$TMP/cut.mp"
printf -- '--%s\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; filename="a.csv"\r\n\r\nName\r\nBad%s\r\n--%s--\r\n' \
	"$B" "$T" "$B" "$RUN" "$B" > "$TMP/noname.mp"
mp "a multipart part without a name" "multipart/form-data; boundary=$B" "$TMP/noname.mp"
printf -- '--%s\r\nContent-Type: text/csv\r\n\r\nName\r\nBad%s\r\n--%s--\r\n' "$B" "$RUN" "$B" > "$TMP/nodisp.mp"
mp "a multipart part without Content-Disposition" "multipart/form-data; boundary=$B" "$TMP/nodisp.mp"
printf -- '--%s\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; name="file"; filename="a\0.csv"\r\n\r\nName\r\nBad%s\r\n--%s--\r\n' \
	"$B" "$T" "$B" "$RUN" "$B" > "$TMP/nul.mp"
mp "a file name with a NUL byte" "multipart/form-data; boundary=$B" "$TMP/nul.mp"
printf -- '--%s\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; name="file"; filename=".."\r\n\r\nName\r\nBad%s\r\n--%s--\r\n' \
	"$B" "$T" "$B" "$RUN" "$B" > "$TMP/dotdot.mp"
mp 'a file name ".."' "multipart/form-data; boundary=$B" "$TMP/dotdot.mp"
printf -- '--%s\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n--inner\r\nContent-Disposition: file; filename="a.csv"\r\n\r\nName\r\nBad%s\r\n--inner--\r\n--%s--\r\n' \
	"$B" "$T" "$B" "$RUN" "$B" > "$TMP/nested.mp"
mp "nested multipart/mixed in place of the file" "multipart/form-data; boundary=$B" "$TMP/nested.mp"
printf -- '--%s\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nName\r\n--%sX\r\nBad\r\n--%s--\r\n' \
	"$B" "$T" "$B" "$B" "$B" > "$TMP/inner.mp"
mp "the boundary inside a part's content" "multipart/form-data; boundary=$B" "$TMP/inner.mp"
# A path in the file name is cut to its last part: the upload is kept
# under the import's own name in the spool, never where the name points.
printf -- '--%s\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; name="file"; filename="../../../../tmp/evil-%s.csv"\r\n\r\nName\r\nBad%s\r\n--%s--\r\n' \
	"$B" "$T" "$B" "$RUN" "$RUN" "$B" > "$TMP/traversal.mp"
fetch "${S[@]}" -H "Content-Type: multipart/form-data; boundary=$B" --data-binary "@$TMP/traversal.mp" "$BASE/customers/imports"
name=$($SQL -e "SELECT filename FROM imports WHERE user_id = $ME ORDER BY id DESC LIMIT 1")
if [ "$STATUS" = 303 ] && [ "$name" = "evil-$RUN.csv" ] && [ ! -e "/tmp/evil-$RUN.csv" ]; then
	ok "malformed: a file name with ../ keeps only its last part ($name), stored in the spool"
else
	fail "malformed: a file name with ../: status $STATUS, stored name '$name'"
fi
rm -f "/tmp/evil-$RUN.csv"

# --- Malformed application/x-www-form-urlencoded (a new contact).
form() { # NAME CODES BODY
	refused "$1" "$2" "${S[@]}" "${FORM[@]}" --data-binary "$3" "$BASE/customers/contacts"
}
form "a bad %-escape" '400' "csrf_token=$T&last_name=Bad$RUN%zz"
form "a %-escape cut short" '400' "csrf_token=$T&last_name=Bad$RUN%4"
form "an encoded NUL" '400' "csrf_token=$T&last_name=Bad$RUN%00x"
form "invalid UTF-8" '400' "csrf_token=$T&last_name=Bad$RUN%C0%AF"
form "a 300-byte field name" '413' "csrf_token=$T&last_name=Bad$RUN&$(printf 'k%.0s' $(seq 300))=1"
form "9000 fields" '413' "csrf_token=$T&last_name=Bad$RUN&$(seq -s '&' 1 9000 | sed 's/\([0-9]*\)/f\1=1/g')"
# The same name twice: the first counts, and one record at most.
before=$($SQL -e "SELECT COUNT(*) FROM contacts WHERE last_name LIKE 'Twice$RUN%'")
fetch "${S[@]}" "${FORM[@]}" --data-binary "csrf_token=$T&last_name=Twice${RUN}a&last_name=Twice${RUN}b" "$BASE/customers/contacts"
got=$($SQL -e "SELECT GROUP_CONCAT(last_name) FROM contacts WHERE last_name LIKE 'Twice$RUN%'")
if [ "$STATUS" = 303 ] && [ "$before" = 0 ] && [ "$got" = "Twice${RUN}a" ]; then
	ok "malformed: a repeated field: the first value is taken, one record"
else
	fail "malformed: a repeated field: status $STATUS, records '$got'"
fi

# --- Headers.
refused "a malformed cookie" '400' -H "Cookie: crm_session=$SESSION; a b=c" "${FORM[@]}" \
	--data-binary "csrf_token=$T&last_name=Bad$RUN" "$BASE/customers/contacts"
refused "a 20 KB cookie" '400|413|431|494' -H "Cookie: crm_session=$SESSION; big=$(head -c 20000 "$TMP/17m")" "${FORM[@]}" \
	--data-binary "csrf_token=$T&last_name=Bad$RUN" "$BASE/customers/contacts"
hdrs=()
for i in $(seq 400); do hdrs+=(-H "X-Pad-$i: $(head -c 100 "$TMP/17m")"); done
refused "40 KB of headers" '400|413|431|494' "${S[@]}" "${hdrs[@]}" "${FORM[@]}" \
	--data-binary "csrf_token=$T&last_name=Bad$RUN" "$BASE/customers/contacts"
refused "a body of a type no page takes" '415' "${S[@]}" -H 'Content-Type: text/plain' \
	--data-binary "csrf_token=$T&last_name=Bad$RUN" "$BASE/customers/contacts"
refused "a malformed Content-Type" '400|415' "${S[@]}" -H 'Content-Type: ;;;=' \
	--data-binary "csrf_token=$T&last_name=Bad$RUN" "$BASE/customers/contacts"
refused "a Content-Type with a repeated boundary" '400|415' "${S[@]}" \
	-H "Content-Type: multipart/form-data; boundary=$B; boundary=other" --data-binary "@$TMP/good.mp" "$BASE/customers/imports"
# Lengths that do not match the body: nginx holds the request, the module
# never sees a body it could half-apply.
raw() { # NAME CASE WANT(regex on the status line)
	local before after line
	before=$(state)
	line=$(python3 "$TOP/tests/security/malformed_raw.py" "$PORT" "$2" "crm_session=$SESSION" \
		"csrf_token=$T&last_name=Raw$RUN&email=raw$RUN@example.com")
	after=$(state)
	if echo "$line" | grep -qE "$3" && [ "$before" = "$after" ]; then
		ok "malformed: $1: $line, nothing written"
	else
		fail "malformed: $1: '$line' (wanted /$3/), rows $before -> $after"
	fi
}
raw "a Content-Length past the end of the body" long-length '^(closed|HTTP/1.1 4[0-9][0-9])'
raw "a Content-Length short of the body" short-length '^HTTP/1.1 (4[0-9][0-9]|303)'
raw "a Content-Length that is not a number" bad-length '^HTTP/1.1 400'
raw "a header line without a colon" no-colon '^HTTP/1.1 400'
# The short length above cuts the last field: whatever it answered, the
# contact it may have created has the e-mail cut off, never a stray row.
n=$($SQL -e "SELECT COUNT(*) FROM contacts WHERE last_name = 'Raw$RUN'")
[ "$n" -le 1 ] && ok "malformed: lengths: at most the one contact the shorter body describes ($n)" ||
	fail "malformed: lengths: $n contacts from one request"

# --- JSON to the API (the report builder reads a JSON body).
json() { # NAME CODES BODY-FILE
	refused "API: $1" "$2" "${BEARER[@]}" -H 'Content-Type: application/json' --data-binary "@$3" "$BASE/api/v1/reports/saved"
}
printf '{"name": "Bad %s", "definition": {"entity": "accounts", "measure": "count"' "$RUN" > "$TMP/j1"
json "truncated JSON" '400|422' "$TMP/j1"
python3 -c 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000)' > "$TMP/j2"
json "JSON nested 100000 deep" '400|422' "$TMP/j2"
python3 -c 'import sys; sys.stdout.write("{\"name\":" + "[" * 5000 + "]" * 5000 + "}")' > "$TMP/j3"
json "a name nested 5000 deep" '400|422' "$TMP/j3"
printf '{"name": 12, "definition": "accounts", "shared_role_id": {"a": 1}}' > "$TMP/j4"
json "wrong types" '400|422' "$TMP/j4"
printf '{"name": "Bad %s", "shared_role_id": 99999999999999999999999, "definition": {"entity": "accounts", "measure": "count"}}' "$RUN" > "$TMP/j5"
json "an integer past 64 bits" '400|422' "$TMP/j5"
printf '{"name": "Bad %s", "shared_role_id": 1e400, "definition": {"entity": "accounts", "measure": "count"}}' "$RUN" > "$TMP/j6"
json "a number past a double" '400|422' "$TMP/j6"
printf '{"name": "Bad %s", "shared_role_id": -5, "definition": {"entity": "accounts", "measure": "count"}}' "$RUN" > "$TMP/j7"
json "a negative id" '400|422' "$TMP/j7"
printf '{"name": "Bad \xc0\xaf %s", "definition": {"entity": "accounts", "measure": "count"}}' "$RUN" > "$TMP/j8"
json "invalid UTF-8 in a string" '400|422' "$TMP/j8"
printf '{"name": "Bad %s", "name": "Twice", "definition": {"entity": "accounts", "measure": "count"}}' "$RUN" > "$TMP/j9"
json "a repeated key" '400|422' "$TMP/j9"
printf '"just a string"' > "$TMP/j10"
json "a string for an object" '400|422' "$TMP/j10"
printf '{"last_name": "Bad%s"}' "$RUN" > "$TMP/j11"
refused "API: JSON to a route that reads a form" '400|415|422' "${BEARER[@]}" -H 'Content-Type: application/json' \
	--data-binary "@$TMP/j11" "$BASE/api/v1/customers/contacts"

# --- CSV files to the import.
csv() { # NAME CODES FILE
	refused "CSV: $1" "$2" "${S[@]}" -F "csrf_token=$T" -F "file=@$3;filename=bad.csv;type=text/csv" "$BASE/customers/imports"
}
printf 'Name,City\nM\xfcller %s,K\xf6ln\n' "$RUN" > "$TMP/latin1.csv"
csv "Latin-1, not UTF-8" '422' "$TMP/latin1.csv"
head -c 4096 /dev/urandom > "$TMP/binary.csv"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' | cat - "$TMP/binary.csv" > "$TMP/png.csv"
csv "a binary file" '422' "$TMP/png.csv"
printf 'Name,Notes\nBad%s,"a quote never closed\nNext,row\n' "$RUN" > "$TMP/quote.csv"
csv "a quote never closed" '422' "$TMP/quote.csv"
{ printf 'Name,Notes\nBad%s,' "$RUN"; head -c 100000 "$TMP/17m"; printf '\n'; } > "$TMP/field.csv"
csv "a 100000-character field" '422' "$TMP/field.csv"
{ seq -s, 1 65; seq -s, 1 65; } > "$TMP/wide.csv"
csv "65 columns (64 at most)" '422' "$TMP/wide.csv"
: > "$TMP/empty.csv"
csv "an empty file" '422' "$TMP/empty.csv"
printf 'Name,Email\n' > "$TMP/heads.csv"
csv "headings and no rows" '422' "$TMP/heads.csv"
printf 'Name,Email\nBad%s,b@example.com\0x\n' "$RUN" > "$TMP/nul.csv"
csv "a NUL byte" '422' "$TMP/nul.csv"
# What is well formed is taken as meant: a BOM is no part of the first
# heading, and CRLF, CR and LF all end a line.
accepted() { # NAME FILE
	fetch "${S[@]}" -F "csrf_token=$T" -F "file=@$2;filename=ok.csv;type=text/csv" "$BASE/customers/imports"
	local h
	h=$($SQL -e "SELECT headers FROM imports WHERE user_id = $ME ORDER BY id DESC LIMIT 1")
	if [ "$STATUS" = 303 ] && [ "$h" = '["Name","Email"]' ]; then
		ok "malformed: CSV: $1: accepted, headings $h"
	else
		fail "malformed: CSV: $1: status $STATUS, headings $h"
	fi
}
printf '\xef\xbb\xbfName,Email\nBom%s,b@example.com\n' "$RUN" > "$TMP/bom.csv"
accepted "a byte-order mark" "$TMP/bom.csv"
printf 'Name,Email\r\nCrlf%s,b@example.com\r\n' "$RUN" > "$TMP/crlf.csv"
accepted "CRLF line ends" "$TMP/crlf.csv"
printf 'Name,Email\rCr%s,b@example.com\r' "$RUN" > "$TMP/cr.csv"
accepted "CR line ends" "$TMP/cr.csv"
# The imports above wait for a mapping: cancel them so no runner takes them.
$SQL -e "UPDATE imports SET status = 'cancelled' WHERE user_id = $ME AND status = 'mapping'" 2>/dev/null
