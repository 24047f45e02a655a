#!/bin/bash
# Disk full where uploads go, each directory in turn on a 64 KB tmpfs
# (the real code path, the real ENOSPC): the ticket attachments
# ([service] attachments), from staff, from the public ticket form and
# from a support mailbox, the CSV import spool ([jobs] spool) and the
# upload directory ([server] tmpdir). A file that does not fit gets a 507
# with a readable message (the form again, with what was typed, where the
# handler has a form), and nothing is half kept: no message or attachment
# row without its file, no import job without its file, no file left
# behind. A small file that fits then goes through, so the mount was
# usable all along.
. "$(dirname "$0")/lib.sh"
IP=127.0.10.$(( $$ % 40 + 210 ))
RUN=$$
PW='no room at the inn 10'
MOUNTED=
full() { # DIR: a 64 KB tmpfs over it
	mount -t tmpfs -o size=64k,mode=0700 tmpfs "$1" && MOUNTED="$MOUNTED $1"
}
unfull() {
	for d in $MOUNTED; do umount "$d"; done
	MOUNTED=
}
cleanup() { unfull; [ -n "${DV:-}" ] && dovecot_stop; rm -rf "$TMP"; }
trap cleanup EXIT
if [ "$(id -u)" != 0 ]; then
	fail "disk full: needs root to mount a small tmpfs"
	exit 0
fi
new_admin df
me=$($SQL -e "SELECT id FROM users WHERE email = 'df-$RUN@example.com'")
head -c 200000 /dev/urandom | base64 > "$TMP/big.txt"     # ~270 KB: over 64 KB
echo "a small note $RUN" > "$TMP/small.txt"
page() { curl -s -b "$TMP/df" "$BASE$1" -o "$TMP/page.html"; csrf_of "$TMP/page.html"; }
leftovers() { # DIR: files in it, hidden ones too
	find "$1" -mindepth 1 2>/dev/null | wc -l
}

# --- Ticket attachments -------------------------------------------------
T=$(page /service/tickets/new)
fetch -b "$TMP/df" --data-urlencode "csrf_token=$T" --data-urlencode "subject=Disk full $RUN" \
	--data-urlencode "description=Where do files go" -d priority=normal -d channel=phone "$BASE/service/tickets"
ticket=$(sed -n 's/^location: .*\/service\/tickets\/\([0-9]*\).*/\1/ip' "$TMP/h" | tr -d '\r')
[ -n "$ticket" ] || fail "disk full: no ticket to reply to: $STATUS $(head -c 200 "$TMP/b")"
full "$V/attachments"
T=$(page "/service/tickets/$ticket")
fetch -b "$TMP/df" -F "csrf_token=$T" -F kind=public -F "body=Reply with a big file $RUN" \
	-F "file=@$TMP/big.txt;type=text/plain" "$BASE/service/tickets/$ticket/messages"
[ "$STATUS" = 507 ] && ok "disk full: attachments: a file that does not fit gets 507" ||
	fail "disk full: attachments: status $STATUS, wanted 507"
expect_body "disk full: ... saying so next to the file field" 'id="error-file">The server has no room left to keep this file'
expect_body "disk full: ... with the reply form again and what was typed" "Reply with a big file $RUN</textarea>"
rows=$($SQL -e "SELECT (SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $ticket AND body LIKE 'Reply with a big file%'),
	(SELECT COUNT(*) FROM ticket_attachments WHERE ticket_id = $ticket),
	(SELECT COUNT(*) FROM audit_log WHERE entity = 'ticket' AND entity_id = '$ticket' AND action IN ('reply', 'attach'))")
[ "$rows" = "$(printf '0\t0\t0')" ] && ok "disk full: ... no message, attachment or audit row was kept" ||
	fail "disk full: rows left (messages, attachments, audit): $rows"
[ "$(leftovers "$V/attachments")" = 0 ] && ok "disk full: ... and no file, whole or partial, in the attachments directory" ||
	fail "disk full: left in attachments: $(ls -la "$V/attachments" | tail -n +4 | tr '\n' ' ')"
[ "$(find "$V/tmp" -name 'crm-upload-*' | wc -l)" = 0 ] && ok "disk full: ... nor the upload's temporary file" ||
	fail "disk full: upload temp files left: $(find "$V/tmp" -name 'crm-upload-*' | tr '\n' ' ')"
fetch -b "$TMP/df" -F "csrf_token=$T" -F kind=public -F "body=Reply with a small file $RUN" \
	-F "file=@$TMP/small.txt;type=text/plain" "$BASE/service/tickets/$ticket/messages"
att=$($SQL -e "SELECT id FROM ticket_attachments WHERE ticket_id = $ticket")
[ "$STATUS" = 303 ] && [ -n "$att" ] && cmp -s "$TMP/small.txt" "$V/attachments/$att" &&
	ok "disk full: attachments: a file that fits is kept on the same disk" || fail "disk full: small file: $STATUS, attachment ${att:-none}"
unfull

# --- The public ticket form ----------------------------------------------
# A customer's own form, with no session: the same 507 and nothing kept.
# (It refuses a send within 3 s of showing the form: a person takes that
# long, so the test does.)
$SQL -e "DELETE FROM service_form_hits WHERE ip = '$IP'"
public_send() { # SUBJECT FILE
	curl -s -c "$TMP/pub" -b "$TMP/pub" --interface $IP "$BASE/service/new" -o "$TMP/new.html"
	stamp=$(grep -o 'name="form_stamp" value="[^"]*"' "$TMP/new.html" | sed 's/.*value="//;s/"$//')
	cat=$(grep -o '<option value="[0-9][0-9]*"' "$TMP/new.html" | head -1 | grep -o '[0-9][0-9]*')
	sleep 3.2
	fetch -c "$TMP/pub" -b "$TMP/pub" --interface $IP -F "csrf_token=$(csrf_of "$TMP/new.html")" -F "form_stamp=$stamp" \
		-F "category_id=$cat" -F "name=Customer $RUN" -F "email=df-pub-$RUN@example.com" \
		-F "subject=$1" -F "description=A file for you" -F "file=@$2;type=text/plain" "$BASE/service/new"
}
full "$V/attachments"
public_send "Public big $RUN" "$TMP/big.txt"
[ "$STATUS" = 507 ] && ok "disk full: the public ticket form: a file that does not fit gets 507" ||
	fail "disk full: public form: status $STATUS, wanted 507"
expect_body "disk full: ... saying so next to the file field" 'id="error-file">The server has no room left to keep this file'
[ "$($SQL -e "SELECT COUNT(*) FROM tickets WHERE subject = 'Public big $RUN'")" = 0 ] && [ "$(leftovers "$V/attachments")" = 0 ] &&
	ok "disk full: ... no ticket kept, no file left" ||
	fail "disk full: public form left a ticket or a file: $(ls -A "$V/attachments" | tr '\n' ' ')"
public_send "Public small $RUN" "$TMP/small.txt"
pt=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Public small $RUN'")
[ "$STATUS" = 200 ] && [ -n "$pt" ] && [ "$($SQL -e "SELECT COUNT(*) FROM ticket_attachments WHERE ticket_id = $pt")" = 1 ] &&
	ok "disk full: the public ticket form: a file that fits is kept" ||
	fail "disk full: public small file: $STATUS, ticket ${pt:-none}"
unfull

# --- The import spool ---------------------------------------------------
{ echo "Name,Email"; for i in $(seq 1 4000); do echo "Spool $i $RUN,spool-$i-$RUN@example.com"; done; } > "$TMP/big.csv"
printf 'Name,Email\nSpool small %s,spool-small-%s@example.com\n' "$RUN" "$RUN" > "$TMP/small.csv"
full "$V/spool"
T=$(page /customers/imports)
fetch -b "$TMP/df" -F "csrf_token=$T" -F "file=@$TMP/big.csv;type=text/csv" "$BASE/customers/imports"
[ "$STATUS" = 507 ] && ok "disk full: import spool: a CSV that does not fit gets 507" ||
	fail "disk full: import spool: status $STATUS, wanted 507"
expect_body "disk full: ... saying so on the import page" 'field-error">The server has no room left to keep this file'
[ "$($SQL -e "SELECT COUNT(*) FROM imports WHERE user_id = $me")" = 0 ] && ok "disk full: ... no import job was recorded" ||
	fail "disk full: an import job was recorded without its file"
[ "$(leftovers "$V/spool")" = 0 ] && ok "disk full: ... and nothing was left in the spool" ||
	fail "disk full: left in the spool: $(ls -la "$V/spool" | tail -n +4 | tr '\n' ' ')"
fetch -b "$TMP/df" -F "csrf_token=$T" -F "file=@$TMP/small.csv;type=text/csv" "$BASE/customers/imports"
job=$(grep -i '^location:' "$TMP/h" | sed 's|.*/customers/imports/||' | tr -d '\r')
[ "$STATUS" = 303 ] && [ -f "$V/spool/import-$job.csv" -o "$(leftovers "$V/spool")" = 1 ] &&
	ok "disk full: import spool: a CSV that fits is queued" || fail "disk full: small CSV: $STATUS $(ls "$V/spool")"
unfull

# --- Mail in: a support mailbox's files --------------------------------
# crm-automation's runner stores a mailed file in the attachments
# directory too. With no room the message is neither stored nor passed
# over: no ticket, no row, no file, the mailbox says why, and the next poll
# with room again stores it whole.
BOXPW="imap-secret-$RUN-df"
. "$TOP/tests/e2e/dovecot.bash"
if dovecot_start support; then
	stop_runner automation
	box=$($SQL -e "INSERT INTO mailboxes (name, url, username, password, purpose, support_address, created_by)
		VALUES ('Full $RUN', 'imap://127.0.0.1:$IMAP_PORT/INBOX', 'support$RUN', '$BOXPW', 'support',
		'help$RUN@example.com', $me); SELECT LAST_INSERT_ID()")
	head -c 150000 /dev/urandom > "$TMP/scan.pdf"
	{
		printf 'From: "Dee Full" <dee%s@example.net>\r\nTo: help%s@example.com\r\nSubject: Full disk %s\r\n' "$RUN" "$RUN" "$RUN"
		printf 'Message-ID: <full.%s@client.example>\r\nMIME-Version: 1.0\r\n' "$RUN"
		printf 'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\n'
		printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nThe scan is attached, %s.\r\n--XX\r\n' "$RUN"
		printf 'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="scan %s.pdf"\r\n' "$RUN"
		printf 'Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--XX--\r\n' "$(base64 -w76 "$TMP/scan.pdf" | sed 's/$/\r/')"
	} > "$TMP/full.eml"
	deliver support "$TMP/full.eml"
	poll() {
		$SQL -e "UPDATE mailboxes SET next_poll_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = $box"
		"$TOP/cgi-bin/crm-automation" --config "$V/crm.conf" jobs --once >>"$TMP/mail-runner.log" 2>&1
	}
	full "$V/attachments"
	poll
	rows=$($SQL -e "SELECT CONCAT((SELECT COUNT(*) FROM tickets WHERE subject = 'Full disk $RUN'), '/',
		(SELECT COUNT(*) FROM mailbox_messages WHERE mailbox_id = $box))")
	err=$($SQL -e "SELECT last_error FROM mailboxes WHERE id = $box")
	[ "$rows" = 0/0 ] && [ -z "${err##*No space left on device*}" ] && [ -n "$err" ] &&
		ok "disk full: mail in: a message whose file does not fit makes no ticket and is not passed over" ||
		fail "disk full: mail in: tickets/handled $rows, mailbox error '$err'"
	[ "$(leftovers "$V/attachments")" = 0 ] && ok "disk full: ... no file, whole or partial, is left" ||
		fail "disk full: mail in left: $(ls -A "$V/attachments" | tr '\n' ' ')"
	unfull
	poll
	att=$($SQL -e "SELECT a.id FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id
		WHERE t.subject = 'Full disk $RUN' AND a.filename = 'scan $RUN.pdf'")
	[ -n "$att" ] && cmp -s "$V/attachments/$att" "$TMP/scan.pdf" &&
	    [ "$($SQL -e "SELECT CONCAT(COUNT(*), '/', MAX(outcome)) FROM mailbox_messages WHERE mailbox_id = $box")" = 1/ticket ] &&
		ok "disk full: ... with room again the next poll makes the ticket with its file, once" ||
		fail "disk full: mail in after: attachment '$att', log $($SQL -e "SELECT outcome, detail FROM mailbox_messages WHERE mailbox_id = $box")"
	$SQL -e "UPDATE mailboxes SET enabled = FALSE WHERE id = $box"
	dovecot_stop
	start_runner automation
fi

# --- The upload directory itself ---------------------------------------
# nginx keeps its own request bodies under tmp/ too (client_body_temp_path),
# and with that full it is nginx that answers (a 500 of its own): the CRM's
# tmpdir gets a directory of its own here, through a reload.
reload_service() {
	master=$(master_of service)
	old=$(workers_of "$master")
	kill -HUP "$master"
	for _ in $(seq 100); do
		[ "$(workers_of "$master" | wc -l)" = 2 ] && [ -z "$(comm -12 <(echo "$old") <(workers_of "$master"))" ] && return 0
		sleep 0.05
	done
	fail "disk full: crm-service did not reload"
}
mkdir -p "$V/uploads"
cp "$V/crm.conf" "$TMP/crm.conf.saved"
sed -i "s|^tmpdir = .*|tmpdir = $V/uploads|" "$V/crm.conf"
reload_service
full "$V/uploads"
T=$(page "/service/tickets/$ticket")
fetch -b "$TMP/df" -F "csrf_token=$T" -F kind=internal -F "body=Note with a big file $RUN" \
	-F "file=@$TMP/big.txt;type=text/plain" "$BASE/service/tickets/$ticket/messages"
[ "$STATUS" = 507 ] && ok "disk full: tmpdir: an upload that cannot be received gets 507" ||
	fail "disk full: tmpdir: status $STATUS, wanted 507"
expect_body "disk full: ... with a readable page" 'The server has no room to receive this file just now'
[ "$($SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $ticket AND body LIKE 'Note with a big file%'")" = 0 ] &&
	[ "$(leftovers "$V/uploads")" = 0 ] && ok "disk full: ... no message kept, no partial upload left" ||
	fail "disk full: tmpdir: left $(ls -A "$V/uploads" | tr '\n' ' ')"
unfull
cp "$TMP/crm.conf.saved" "$V/crm.conf"
reload_service
expect_status "disk full: with room again the ticket page serves" 200 -b "$TMP/df" "$BASE/service/tickets/$ticket"
