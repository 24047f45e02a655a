#!/bin/bash
# sqlmap against the routes, signed in as a sales user (scope "own"; or
# SQLMAP_ROLE) with a session cookie, and through the API with the
# user's token.
#
#   sqlmap.sh          the short form (make check): level 1, risk 1, on a
#                      search list, a :id page, a form POST and an API call
#   sqlmap.sh --full   make security: level 3, risk 2, on every route the
#                      user may reach that has a parameter (path ids, the
#                      query and form names its handler reads, the fields
#                      of the forms that post to it), each capped at
#                      SQLMAP_CAP seconds (default 240), then the front
#                      door (session cookie, API token, User-Agent,
#                      Referer, Host) once at level 5, then crm-dav's XML
#                      reports and resource names; SQLMAP_ONLY (a
#                      regular expression on the route names, or "front
#                      door" or "dav") narrows it
#
# Each target is one line, "ok - ..." or "FAIL - ..."; a target fails when
# sqlmap reports an injection point, or when it cannot reach the route
# (the baseline request is refused). The summary (route, baseline status,
# requests sent, seconds, result) is written to $SQLMAP_OUT/summary.tsv,
# sqlmap's own logs and traffic beside it.
. "$(dirname "$0")/../e2e/lib.sh"
MODE=short
[ "${1:-}" = --full ] && MODE=full
IP=127.0.20.$(( $$ % 200 + 20 ))
RUN=$$
PW='sqlmap finds nothing 2026'
ROLE=${SQLMAP_ROLE:-sales}
OUT=${SQLMAP_OUT:-$TOP/build/security/sqlmap-$MODE}
CAP=${SQLMAP_CAP:-240}
rm -rf "$OUT"
mkdir -p "$OUT"
if ! command -v sqlmap >/dev/null; then
	fail "sqlmap: the sqlmap package is not installed (scripts/deps.sh)"
	exit 0
fi

# The user, signed in through the form, and an API token of theirs.
echo "$PW" | $CTL user add --email "sqlmap-$RUN@example.com" --name "Sqlmap $RUN" --role "$ROLE" \
	--password-stdin >/dev/null
ME=$($SQL -e "SELECT id FROM users WHERE email = 'sqlmap-$RUN@example.com'")
signin "$TMP/jar" "sqlmap-$RUN@example.com"
SESSION=$(awk '$6 == "crm_session" { print $7 }' "$TMP/jar" | tail -1)
curl -s -b "$TMP/jar" "$BASE/account" -o "$TMP/account.html"
curl -s -b "$TMP/jar" -o "$TMP/token.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/account.html")" \
	-d name=sqlmap -d days=7 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/token.html" | sed 's/.*>//')
if [ -z "$SESSION" ] || [ -z "$TOKEN" ]; then
	fail "sqlmap: the $ROLE user cannot sign in or get an API token"
	exit 0
fi

# Records of the user's own, so that every :id page answers 200 and
# sqlmap has a true page to compare its guesses with.
$SQL -e "INSERT INTO accounts (name, city, owner_id) VALUES ('Sqlmap $RUN', 'Basel', $ME)"
ACCOUNT=$($SQL -e "SELECT id FROM accounts WHERE name = 'Sqlmap $RUN'")
$SQL -e "INSERT INTO contacts (full_name, first_name, last_name, email, account_id, owner_id)
	VALUES ('Sam Sqlmap$RUN', 'Sam', 'Sqlmap$RUN', 'sam-$RUN@example.com', $ACCOUNT, $ME)"
CONTACT=$($SQL -e "SELECT id FROM contacts WHERE last_name = 'Sqlmap$RUN'")
$SQL -e "INSERT INTO activities (kind, subject, account_id, contact_id, at, assignee_id, created_by)
	VALUES ('task', 'Sqlmap task $RUN', $ACCOUNT, $CONTACT, UTC_TIMESTAMP(), $ME, $ME)"
ACTIVITY=$($SQL -e "SELECT id FROM activities WHERE subject = 'Sqlmap task $RUN'")
$SQL -e "INSERT INTO leads (full_name, last_name, owner_id) VALUES ('Lee Sqlmap$RUN', 'Sqlmap$RUN', $ME)"
LEAD=$($SQL -e "SELECT id FROM leads WHERE full_name = 'Lee Sqlmap$RUN'")
PIPELINE=$($SQL -e "SELECT id FROM pipelines WHERE is_default LIMIT 1")
$SQL -e "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id)
	SELECT 'Sqlmap deal $RUN', $ACCOUNT, $PIPELINE, id, 100, probability, '2030-01-01', $ME FROM pipeline_stages
	WHERE pipeline_id = $PIPELINE AND kind = 'open' ORDER BY position LIMIT 1"
OPPORTUNITY=$($SQL -e "SELECT id FROM opportunities WHERE name = 'Sqlmap deal $RUN'")
$SQL -e "INSERT INTO products (sku, name, list_price) VALUES ('SQLMAP-$RUN', 'Sqlmap product', 10)"
PRODUCT=$($SQL -e "SELECT id FROM products WHERE sku = 'SQLMAP-$RUN'")
$SQL -e "INSERT INTO price_books (name) VALUES ('Sqlmap book $RUN')"
BOOK=$($SQL -e "SELECT id FROM price_books WHERE name = 'Sqlmap book $RUN'")
$SQL -e "INSERT INTO quotes (number, account_id, price_book_id, currency, valid_until, owner_id)
	VALUES ('Q-SQLMAP-$RUN', $ACCOUNT, $BOOK, 'USD', UTC_DATE() + INTERVAL 30 DAY, $ME)"
QUOTE=$($SQL -e "SELECT id FROM quotes WHERE number = 'Q-SQLMAP-$RUN'")
$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
	VALUES ('SO-SQLMAP-$RUN', $ACCOUNT, 'USD', UTC_DATE(), 10, 0, 10, 10, $ME)"
ORDER=$($SQL -e "SELECT id FROM orders WHERE number = 'SO-SQLMAP-$RUN'")
$SQL -e "INSERT INTO invoices (number, year, sequence, order_id, account_id, currency, issued_on, due_on, subtotal,
	tax_total, total, owner_id) VALUES ('SQLMAP-INV-$RUN', 1902, $RUN, $ORDER, $ACCOUNT, 'USD', CURRENT_DATE,
	CURRENT_DATE, 10, 0, 10, $ME)"
INVOICE=$($SQL -e "SELECT id FROM invoices WHERE number = 'SQLMAP-INV-$RUN'")
$SQL -e "INSERT INTO saved_reports (owner_id, name, definition) VALUES ($ME, 'Sqlmap report $RUN',
	'{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"city\"]}')"
SAVED=$($SQL -e "SELECT id FROM saved_reports WHERE name = 'Sqlmap report $RUN'")
$SQL -e "INSERT INTO tickets (subject, owner_id, created_by) VALUES ('Sqlmap ticket $RUN', $ME, $ME)"
TICKET=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Sqlmap ticket $RUN'")
$SQL -e "INSERT INTO kb_articles (title, body, status, author_id, published_at)
	VALUES ('Sqlmap article $RUN', 'x', 'published', $ME, NOW())"
ARTICLE=$($SQL -e "SELECT id FROM kb_articles WHERE title = 'Sqlmap article $RUN'")
IDS=$(cat <<JSON
[["^/customers/contacts/", "$CONTACT"], ["^/customers/activities/", "$ACTIVITY"],
 ["^/customers/", "$ACCOUNT"], ["^/sales/leads/", "$LEAD"], ["^/sales/opportunities/", "$OPPORTUNITY"],
 ["^/sales/(board|pipelines)/", "$PIPELINE"], ["^/sales/products/", "$PRODUCT"],
 ["^/sales/price-books/", "$BOOK"], ["^/sales/quotes/", "$QUOTE"], ["^/sales/orders/", "$ORDER"],
 ["^/sales/invoices/", "$INVOICE"], ["^/reports/saved/", "$SAVED"], ["^/reports/dashboards/", "sales"],
 ["^/service/help/", "$ARTICLE"], ["^/service/tickets/", "$TICKET"], [":token", "sqlmap$RUN"]]
JSON
)
if ! python3 "$TOP/tests/security/sqlmap_targets.py" "$TOP" "$BASE" "crm_session=$SESSION" \
	"$($SQL -e "SELECT GROUP_CONCAT(p.permission) FROM role_permissions p JOIN roles r ON r.id = p.role_id
		WHERE r.name = '$ROLE'")" "$IDS" > "$OUT/targets.tsv" 2>"$OUT/targets.err"; then
	fail "sqlmap: the route list cannot be built: $(tail -1 "$OUT/targets.err")"
	exit 0
fi

if [ -n "${SQLMAP_TARGETS:-}" ]; then
	# A list of one's own (the same columns), e.g. to see that a route
	# made injectable on purpose is reported.
	cp "$SQLMAP_TARGETS" "$OUT/run.tsv"
	LEVEL=1 RISK=1
	[ $MODE = full ] && LEVEL=3 RISK=2
elif [ $MODE = short ]; then
	# A search list, a :id page, a form POST and a JSON API call.
	grep -E $'^customers (GET /customers/contacts|GET /customers/contacts/:id|POST /customers/contacts/:id|GET /customers/contacts \\(API\\))\t' \
		"$OUT/targets.tsv" > "$OUT/run.tsv"
	LEVEL=1 RISK=1
	# Boolean, error and UNION techniques only: time-based blind tests
	# wait seconds per payload and made this form most of a minute per
	# target in make check; the full form tries every technique.
	TECH=BEU
else
	# SQLMAP_ONLY: a regular expression on the route names, to rerun some.
	grep -v $'^skip\t' "$OUT/targets.tsv" | grep -E "^(${SQLMAP_ONLY:-.})" > "$OUT/run.tsv"
	# Deletions and hand-overs last, so that every other route still
	# finds a record of the user's.
	{ grep -v -E $'/(delete|merge|cancel|owner|reassign)\t' "$OUT/run.tsv"
		grep -E $'/(delete|merge|cancel|owner|reassign)\t' "$OUT/run.tsv"; } \
		> "$OUT/ordered.tsv"
	mv "$OUT/ordered.tsv" "$OUT/run.tsv"
	LEVEL=3 RISK=2
fi

printf 'route\tbaseline\trequests\tseconds\tresult\n' > "$OUT/summary.tsv"
total_requests=0 total_targets=0 t_start=$(date +%s)
# attack NAME METHOD URL DATA KIND [sqlmap args...]
attack() {
	local name=$1 method=$2 url=$3 data=$4 kind=$5 n=$((total_targets + 1))
	shift 5
	local auth=(--cookie "crm_session=$SESSION") curlauth=(-b "crm_session=$SESSION")
	if [ "$kind" = api ]; then
		auth=(-H "Authorization: Bearer $TOKEN") curlauth=(-H "Authorization: Bearer $TOKEN")
	elif [ "$kind" = dav ]; then
		auth=(--auth-type Basic --auth-cred "sqlmap-$RUN@example.com:$TOKEN" -H "Content-Type: application/xml" -H "Depth: 1")
		curlauth=(-u "sqlmap-$RUN@example.com:$TOKEN" -H "Content-Type: application/xml" -H "Depth: 1")
		[ "$method" != GET ] && auth+=(--method "$method") curlauth+=(-X "$method")
	elif [ "$kind" = none ]; then
		auth=() curlauth=()
	fi
	local body=() curlbody=()
	# "-": no body (a tab-separated file cannot hold an empty field).
	[ "$data" != - ] && body=(--data "$data") curlbody=(--data "${data//\*/}")
	# The request as sqlmap will first send it: must be answered, not
	# refused (a 4xx here means the attack would test nothing).
	local base
	base=$(curl -s -o /dev/null -w '%{http_code}' "${curlauth[@]}" "${curlbody[@]}" "${url//\*/}")
	# A made-up secret link, or a record that is not the user's, is a 404
	# by design: attack it all the same (a guess that reached another
	# record would answer differently). A deletion's record is gone after
	# this first request, so its attack meets the same 404.
	if [ "$base" = 404 ] || echo "$name" | grep -qE '/(delete|merge|cancel|owner|reassign)( \(API\))?$'; then
		set -- --ignore-code 404 "$@"
	fi
	local t0
	t0=$(date +%s)
	timeout "$CAP" sqlmap -u "$url" "${body[@]}" "${auth[@]}" --batch --level "$LEVEL" --risk "$RISK" \
		--flush-session --drop-set-cookie --disable-coloring --output-dir "$OUT/out" \
		-t "$OUT/traffic-$n.txt" --skip "csrf_token,crm_session,crm_csrf,crm_lang,user-agent,referer" \
		--timeout 15 --retries 1 --time-sec 3 ${TECH:+--technique=$TECH} "$@" > "$OUT/sqlmap-$n.log" 2>&1
	local rc=$? secs=$(( $(date +%s) - t0 ))
	local reqs
	reqs=$(grep -c '^HTTP request \[#' "$OUT/traffic-$n.txt" 2>/dev/null)
	reqs=${reqs:-0}
	total_requests=$((total_requests + reqs)) total_targets=$n
	local result
	# A confirmed injection, or one that sqlmap's first checks saw and did
	# not later call a false positive (a capped run may stop in between).
	if grep -qE 'identified the following injection point|is vulnerable' "$OUT/sqlmap-$n.log" ||
		{ grep -qE "parameter '[^']*' appears to be '[^']*' injectable" "$OUT/sqlmap-$n.log" &&
		! grep -q 'false positive or unexploitable' "$OUT/sqlmap-$n.log"; }; then
		result=injectable
		fail "sqlmap: $name: INJECTABLE (see $OUT/sqlmap-$n.log)"
	elif [ "$reqs" -lt 2 ] || grep -qE 'no parameter\(s\) found|unable to connect|page not found \(404\)' "$OUT/sqlmap-$n.log"; then
		result=unreached
		fail "sqlmap: $name: not tested, baseline $base, $reqs requests (see $OUT/sqlmap-$n.log)"
	elif [ $MODE = short ] && { [ "$base" -ge 400 ] || ! grep -q 'do not appear to be injectable' "$OUT/sqlmap-$n.log"; }; then
		result=unreached
		fail "sqlmap: $name: baseline $base, sqlmap did not finish (see $OUT/sqlmap-$n.log)"
	elif [ $rc = 124 ]; then
		result="capped at ${CAP}s"
		ok "sqlmap level $LEVEL risk $RISK: $name: nothing injectable in $reqs requests (capped at ${CAP}s)"
	else
		result="not injectable"
		ok "sqlmap level $LEVEL risk $RISK: $name: nothing injectable in $reqs requests"
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$base" "$reqs" "$secs" "$result" >> "$OUT/summary.tsv"
}

while IFS=$'\t' read -r name method url data kind; do
	attack "$name" "$method" "$url" "$data" "$kind"
done < "$OUT/run.tsv"

# extra NAME: whether SQLMAP_ONLY lets the targets outside the route list run.
extra() { [ $MODE = full ] && echo "$1" | grep -qE "^(${SQLMAP_ONLY:-.})"; }
if extra "front door"; then
	# The front door, the same code for every route: the session cookie,
	# the API token and the headers every request carries.
	attack "front door: cookie, User-Agent, Referer" GET "$BASE/customers/contacts?q=sam" - page \
		--level 5 -p "crm_session,user-agent,referer,host" --skip csrf_token
	attack "front door: API token" GET "$BASE/api/v1/customers/contacts?q=sam" - none \
		-H "Authorization: Bearer ${TOKEN}*" --skip csrf_token
fi
if extra "dav"; then
	# crm-dav: XML bodies over Basic authentication (the e-mail and an API
	# token), the marker in the XML and in the path. Sync tokens, hrefs
	# and time ranges reach statements; resource names are looked up.
	AB=$BASE/dav/addressbooks/$ME/contacts CAL=$BASE/dav/calendars/$ME/events
	attack "dav: REPORT sync-collection, the sync token" REPORT "$AB/" \
		'<D:sync-collection xmlns:D="DAV:"><D:sync-token>urn:crm:sync:1*</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>' \
		dav
	attack "dav: REPORT addressbook-multiget, an href" REPORT "$AB/" \
		"<C:addressbook-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\"><D:prop><D:getetag/><C:address-data/></D:prop><D:href>/dav/addressbooks/$ME/contacts/contact-$CONTACT*.vcf</D:href></C:addressbook-multiget>" \
		dav
	attack "dav: REPORT calendar-query, a time range" REPORT "$CAL/" \
		'<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20200101T000000Z*" end="20400101T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>' \
		dav
	attack "dav: GET a card, the resource name" GET "$AB/contact-$CONTACT*.vcf" - dav
	attack "dav: PROPFIND a task, the resource name" PROPFIND "$BASE/dav/calendars/$ME/tasks/activity-$ACTIVITY*.ics" \
		'<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>' dav
fi
if [ $MODE = full ]; then
	grep $'^skip\t' "$OUT/targets.tsv" | while IFS=$'\t' read -r _ method pattern why _; do
		printf '%s %s\t-\t0\t0\tskipped: %s\n' "$method" "$pattern" "$why" >> "$OUT/summary.tsv"
	done
fi
secs=$(( $(date +%s) - t_start ))
injectable=$(grep -c $'\tinjectable$' "$OUT/summary.tsv")
unreached=$(grep -c $'\tunreached$' "$OUT/summary.tsv")
printf '# %s targets, %s requests, %s s, level %s risk %s, %s injectable\n' "$total_targets" \
	"$total_requests" "$secs" "$LEVEL" "$RISK" "$injectable" >> "$OUT/summary.tsv"
if [ "$total_targets" -gt 0 ] && [ "$injectable" = 0 ] && { [ $MODE = full ] || [ "$unreached" = 0 ]; }; then
	ok "sqlmap ($MODE): $total_targets targets, $total_requests requests in ${secs}s: nothing injectable (summary: $OUT/summary.tsv)"
else
	fail "sqlmap ($MODE): $total_targets targets, $injectable injectable, $unreached not tested (summary: $OUT/summary.tsv)"
fi
