# A private dovecot for a test (sourced; not a test of its own, hence not
# *.sh): its own directory, port and passwd-file users, stopped by the
# test. Needs RUN, BOXPW and TMP, and ok/fail from lib.sh.
#
#   dovecot_start USER...   starts it in $DV on 127.0.0.1:$IMAP_PORT, each
#                           USER$RUN with the password $BOXPW; 1 (after a
#                           FAIL line) when dovecot is missing or silent
#   deliver USER FILE       IMAP APPEND of FILE into USER$RUN's INBOX
#   dovecot_stop            stops it and removes $DV
DOVECOT=/usr/sbin/dovecot
DV=

dovecot_start() {
	local muid mgid internal login group u up=
	if [ ! -x "$DOVECOT" ]; then
		fail "mail: dovecot is not installed (dovecot-imapd, scripts/deps.sh)"
		return 1
	fi
	DV=$(mktemp -d /tmp/crm-dovecot.XXXXXX)
	IMAP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	IMAP_PORT=${IMAP_PORT:-14313}
	mkdir -p "$DV/run" "$DV/state" "$DV/mail"
	chmod 755 "$DV"
	if [ "$(id -u)" = 0 ]; then
		# Dovecot never reads mail as root: the mail belongs to nobody.
		muid=$(id -u nobody) mgid=$(id -g nobody) internal=dovecot login=dovenull group=dovecot
		chown "$muid:$mgid" "$DV/mail"
	else
		muid=$(id -u) mgid=$(id -g) internal=$(id -un) login=$(id -un) group=$(id -gn)
	fi
	cat >"$DV/dovecot.conf" <<EOF
base_dir = $DV/run
state_dir = $DV/state
log_path = $DV/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = $internal
default_internal_group = $group
default_login_user = $login
first_valid_uid = 1
mail_location = maildir:$DV/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DV/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $DV/passwd
}
# No chroot: a user other than root cannot, and this dovecot is a test's.
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
	for u in "$@"; do
		echo "$u$RUN:{PLAIN}$BOXPW:$muid:$mgid::$DV/mail/$u$RUN" >>"$DV/passwd"
	done
	chmod 644 "$DV/passwd"
	$DOVECOT -c "$DV/dovecot.conf" 2>"$TMP/dovecot.err"
	for _ in $(seq 1 100); do
		if curl -s --max-time 2 --user "$1$RUN:$BOXPW" "imap://127.0.0.1:$IMAP_PORT/" -X 'STATUS "INBOX" (UIDNEXT)' |
		    grep -q UIDNEXT; then
			up=1
			break
		fi
		sleep 0.1
	done
	if [ -z "$up" ]; then
		fail "mail: dovecot did not start: $(cat "$TMP/dovecot.err" "$DV/dovecot.log" 2>/dev/null | tail -5)"
		return 1
	fi
}

deliver() { curl -s --user "$1$RUN:$BOXPW" -T "$2" "imap://127.0.0.1:$IMAP_PORT/INBOX" || fail "mail: APPEND of $2 failed"; }

dovecot_stop() {
	[ -n "$DV" ] || return 0
	[ -f "$DV/run/master.pid" ] && kill "$(cat "$DV/run/master.pid")" 2>/dev/null
	for _ in $(seq 1 100); do
		[ -f "$DV/run/master.pid" ] && kill -0 "$(cat "$DV/run/master.pid")" 2>/dev/null || break
		sleep 0.05
	done
	rm -rf "$DV"
	DV=
}
