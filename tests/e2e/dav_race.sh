#!/bin/bash
# The DAV sync race: a record's dav_version is drawn when it is written,
# but is seen only when its transaction commits. A transaction that draws
# a version and commits late, after a later version has committed and a
# client has synced past it, must still reach that client. Two SQL
# sessions make it happen, for the calendar and for the address book:
# session A changes a record and holds its transaction open; session B
# changes another record and commits; the client syncs; A commits; the
# client's next sync must list A's record (and B's must have come in one
# of the two). The getctag a client polls must change too. Also: writers
# do not wait for each other, and a sync does not wait for a writer.
. "$(dirname "$0")/lib.sh"
IP=127.0.50.$(( $$ % 200 + 20 ))
RUN=$$
PW='late commits reach phones 52'

echo "$PW" | $CTL user add --email "race-$RUN@example.com" --name "Race $RUN" --role sales \
	--password-stdin >/dev/null
signin "$TMP/jar" "race-$RUN@example.com"
curl -s -b "$TMP/jar" "$BASE/account" -o "$TMP/account.html"
curl -s -b "$TMP/jar" -o "$TMP/token.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/account.html")" \
	-d name=race -d days=30 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/token.html" | sed 's/.*>//')
[ -n "$TOKEN" ] || { fail "race: no API token"; exit 0; }
ME=$($SQL -e "SELECT id FROM users WHERE email = 'race-$RUN@example.com'")
AUTH=(-u "race-$RUN@example.com:$TOKEN")
CAL="$BASE/dav/calendars/$ME/events/"
BOOK="$BASE/dav/addressbooks/$ME/contacts/"

# Two meetings and two contacts of the user's.
for n in 1 2; do
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:race%s-%s@t\r\nDTSTART:20270110T10%s000Z\r\nDTEND:20270110T11%s000Z\r\nSUMMARY:Race %s %s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' \
		"$n" "$RUN" "$n" "$n" "$n" "$RUN" > "$TMP/e$n.ics"
	curl -s -o /dev/null "${AUTH[@]}" -H "Content-Type: text/calendar" -X PUT --data-binary @"$TMP/e$n.ics" "${CAL}race$n-$RUN.ics"
	printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:race%s-%s\r\nFN:Race Card %s %s\r\nN:Card %s %s;Race;;;\r\nEND:VCARD\r\n' \
		"$n" "$RUN" "$n" "$RUN" "$n" "$RUN" > "$TMP/c$n.vcf"
	curl -s -o /dev/null "${AUTH[@]}" -H "Content-Type: text/vcard" -X PUT --data-binary @"$TMP/c$n.vcf" "${BOOK}race$n-$RUN.vcf"
done
EV1=$($SQL -e "SELECT id FROM activities WHERE dav_uid = 'race1-$RUN@t'")
EV2=$($SQL -e "SELECT id FROM activities WHERE dav_uid = 'race2-$RUN@t'")
C1=$($SQL -e "SELECT id FROM contacts WHERE dav_uid = 'race1-$RUN'")
C2=$($SQL -e "SELECT id FROM contacts WHERE dav_uid = 'race2-$RUN'")
if [ -n "$EV1" ] && [ -n "$EV2" ] && [ -n "$C1" ] && [ -n "$C2" ]; then
	ok "race: two meetings and two cards over DAV"
else
	fail "race: setup: '$EV1' '$EV2' '$C1' '$C2'"
	exit 0
fi

# sync URL TOKEN: every page of the changes since TOKEN (a truncated
# answer marks the collection 507 and gives the token to go on from, RFC
# 6578 3.6) into $TMP/b, the last token in $TOK, the first page's status
# in $STATUS and the seconds the first page took in $TOOK.
sync() {
	local t0 first st
	: > "$TMP/all"
	t0=$(date +%s.%N)
	TOK=$2
	for _ in $(seq 1 200); do
		fetch "${AUTH[@]}" -H "Content-Type: application/xml" -X REPORT --data-binary \
			"<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>$TOK</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>" "$1"
		if [ -z "${first:-}" ]; then
			first=1 st=$STATUS
			TOOK=$(echo "$(date +%s.%N) - $t0" | bc)
		fi
		cat "$TMP/b" >> "$TMP/all"
		TOK=$(grep -o 'urn:crm:sync:[0-9]*' "$TMP/b" | tail -1)
		grep -q 'HTTP/1.1 507' "$TMP/b" || break
	done
	STATUS=$st
	cp "$TMP/all" "$TMP/b"
}
ctag() {
	curl -s "${AUTH[@]}" -X PROPFIND -H "Depth: 0" -H "Content-Type: application/xml" --data-binary \
		'<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/></D:prop></D:propfind>' "$1" |
		grep -o '<CS:getctag>[^<]*' | sed 's/.*>//'
}

# Session A: a client of its own, kept open on a pipe, its answers read
# one line at a time (with a deadline, never a blind sleep).
hold_open() {
	coproc HOLD { mariadb --no-defaults -S "$CRM_E2E_DIR/run/mysql.sock" -u "$(id -un)" -N -B -n crm 2>&1; }
}
hold() { echo "$1" >&"${HOLD[1]}"; }
hold_read() { local line; read -r -t 10 line <&"${HOLD[0]}" && echo "$line"; }

# race NAME URL TABLE ID_A ID_B SET HREF_A HREF_B
race() {
	local name=$1 url=$2 table=$3 a=$4 b=$5 set=$6 href_a=$7 href_b=$8 t0 va vb c_open c_after seen_b
	sync "$url" ""
	t0=$TOK
	[ "$STATUS" = 207 ] && [ -n "$t0" ] || { fail "$name: first sync: $STATUS $(head -c 300 "$TMP/b")"; return; }

	hold_open
	hold "BEGIN; UPDATE $table SET $set WHERE id = $a; SELECT dav_version FROM $table WHERE id = $a;"
	va=$(hold_read)
	[ -n "$va" ] || { fail "$name: session A drew no version"; return; }
	# Session B, meanwhile: a later version, committed at once, and not
	# held up by A.
	local s0
	s0=$(date +%s.%N)
	$SQL -e "UPDATE $table SET $set WHERE id = $b"
	[ "$(echo "$(date +%s.%N) - $s0 < 2" | bc)" = 1 ] && ok "$name: a second writer does not wait for the open transaction" ||
		fail "$name: session B waited $(echo "$(date +%s.%N) - $s0" | bc) s"
	vb=$($SQL -e "SELECT dav_version FROM $table WHERE id = $b")
	[ "$vb" -gt "$va" ] && ok "$name: B's version ($vb) comes after A's uncommitted one ($va)" ||
		fail "$name: versions A $va, B $vb"

	c_open=$(ctag "$url")
	sync "$url" "$t0"
	[ "$STATUS" = 207 ] && [ -n "$TOK" ] && [ "$(echo "$TOOK < 3" | bc)" = 1 ] &&
		ok "$name: a sync while A is open answers at once (${TOOK}s)" ||
		fail "$name: sync during A: $STATUS in ${TOOK}s $(head -c 300 "$TMP/b")"
	seen_b=0
	grep -q "$href_b" "$TMP/b" && seen_b=1
	grep -q "$href_a" "$TMP/b" && fail "$name: the sync listed A's uncommitted change"

	hold "COMMIT; SELECT 'committed';"
	[ "$(hold_read)" = committed ] || fail "$name: session A did not commit"
	hold "quit"
	wait "$HOLD_PID" 2>/dev/null

	c_after=$(ctag "$url")
	[ -n "$c_after" ] && [ "$c_after" != "$c_open" ] && ok "$name: the getctag changes when A commits ($c_open, then $c_after)" ||
		fail "$name: getctag $c_open while A was open, $c_after after"
	sync "$url" "$TOK"
	grep -q "$href_a" "$TMP/b" && ok "$name: the next sync lists the change that committed late" ||
		fail "$name: the late commit is missed: token $TOK, A's version $va: $(head -c 600 "$TMP/b")"
	grep -q "$href_b" "$TMP/b" && seen_b=1
	[ "$seen_b" = 1 ] && ok "$name: and B's change came in one of the two syncs" || fail "$name: B's change was never listed"
	sync "$url" "$TOK"
	! grep -q "$href_a\|$href_b" "$TMP/b" && ok "$name: with the token after that, neither again" ||
		fail "$name: changes listed twice: $(head -c 400 "$TMP/b")"
}

race "race: calendar" "$CAL" activities "$EV1" "$EV2" "subject = CONCAT(subject, '+')" "race1-$RUN.ics" "race2-$RUN.ics"
race "race: address book" "$BOOK" contacts "$C1" "$C2" "title = CONCAT(COALESCE(title, ''), '+')" "race1-$RUN.vcf" "race2-$RUN.vcf"
