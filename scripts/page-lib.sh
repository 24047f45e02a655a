# Shared by profile-page.sh and page-diff.sh: a user of a role signed in
# on the dev stack, and one request straight to a module's socket.
# Needs TOP, V (the stack's directory), PORT, ROLE and OUT set.

# Signs profile-ROLE in (made on first use), or PROFILE_EMAIL with
# PROFILE_PASSWORD (a user who exists: make bench's screens-agent has the
# largest queue); sets session.
page_signin() {
	pw=${PROFILE_PASSWORD:-profile a page 2026}
	email=${PROFILE_EMAIL:-profile-$ROLE@example.com}
	mkdir -p "$OUT"
	[ -n "${PROFILE_EMAIL:-}" ] ||
		echo "$pw" | "$TOP/cgi-bin/crmctl" --config "$V/crm.conf" user add --email "$email" \
			--name "Profile $ROLE" --role "$ROLE" --password-stdin >/dev/null 2>&1 || true
	curl -s -c "$OUT/jar" "http://127.0.0.1:$PORT/login" -o "$OUT/login.html"
	csrf=$(grep -o 'name="csrf_token" value="[^"]*"' "$OUT/login.html" | head -1 | sed 's/.*value="//;s/"$//')
	curl -s -b "$OUT/jar" -c "$OUT/jar" --data-urlencode "csrf_token=$csrf" \
		--data-urlencode "email=$email" --data-urlencode "password=$pw" \
		"http://127.0.0.1:$PORT/login" -o /dev/null
	session=$(awk '$6 == "crm_session" { print $7 }' "$OUT/jar" | tail -1)
	[ -n "$session" ] || { echo "$(basename "$0"): cannot sign in at port $PORT (is the stack running?)" >&2; exit 1; }
}

# page_ask SOCKET PATH ACCEPT OUTFILE: a GET as the signed-in user.
page_ask() {
	path=${2%%\?*}
	query=
	case $2 in *\?*) query=${2#*\?} ;; esac
	env -i REQUEST_METHOD=GET DOCUMENT_URI="$path" REQUEST_URI="$2" QUERY_STRING="$query" \
		HTTP_COOKIE="crm_session=$session" HTTP_ACCEPT="$3" \
		REMOTE_ADDR=127.0.0.1 cgi-fcgi -bind -connect "$1" > "$4" 2>/dev/null
}

# page_wait SOCKET PID: until the module listens (or gives up).
page_wait() {
	i=0
	until [ -S "$1" ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "$(basename "$0"): the module did not start" >&2; kill "$2"; exit 1; }
		sleep 0.1
	done
}
