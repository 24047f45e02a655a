#!/bin/bash
# The route walk: every route of every module (from --routes), as every
# seeded role, signed out, and through the API with each role's token,
# must get the status its permission implies. New routes are covered as
# soon as they are in a route table.
. "$(dirname "$0")/lib.sh"
ROLES="admin manager sales support marketing read-only"
PW='walk the routes 2026'


# One account and one cookie jar per role, signed in through the form,
# each from its own loopback address so nginx's per-address sign-in limit
# (nginx.conf) sees six clients, as it would in an office.
n=20
for r in $ROLES; do
	n=$((n + 1))
	echo "$PW" | $CTL user add --email "walk-$r@example.com" --name "Walk $r" --role "$r" \
		--password-stdin >/dev/null 2>&1
	jar=$TMP/jar-$r
	curl -s -c "$jar" -b "$jar" "$BASE/login" -o "$TMP/login.html"
	code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --interface "127.0.1.$n" \
		--data-urlencode "csrf_token=$(csrf_of "$TMP/login.html")" \
		--data-urlencode "email=walk-$r@example.com" --data-urlencode "password=$PW" "$BASE/login")
	[ "$code" = 303 ] || fail "route walk: $r cannot sign in ($code)"
	curl -s -b "$jar" "$BASE/account" -o "$TMP/account.html"
	curl -s -b "$jar" -o "$TMP/token.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/account.html")" \
		-d name=walk -d days=7 "$BASE/account/tokens"
	grep -o 'id="new-token">[^<]*' "$TMP/token.html" | sed 's/.*>//' > "$TMP/token-$r"
	[ -s "$TMP/token-$r" ] || fail "route walk: $r got no API token"
	# The session's form token, for the foreign-id POSTs below.
	csrf_of "$TMP/account.html" > "$TMP/csrf-$r"
done

# may ROLE PERM: 0 when the role holds the permission.
may() {
	case $2 in
	public|signed-in|cross-site) return 0 ;;
	second-factor) return 1 ;;
	esac
	[ -n "$($SQL -e "SELECT 1 FROM role_permissions p JOIN roles r ON r.id = p.role_id
		WHERE r.name = '$1' AND p.permission IN ('*', '$2')")" ]
}

# Real ids for the :id parts: the walk's own admin account for user
# routes, and an account it owns for customer routes. walk-admin is in no
# team, so that account is a foreign record to every role whose scope is
# own or team: they must get 404, as if it did not exist.
ID=$($SQL -e "SELECT id FROM users WHERE email = 'walk-admin@example.com'")
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Walk Account', $ID)"
ACCOUNT=$($SQL -e "SELECT MAX(id) FROM accounts WHERE name = 'Walk Account'")
$SQL -e "INSERT INTO contacts (full_name, last_name, account_id, owner_id) VALUES ('Walk Contact', 'Contact', $ACCOUNT, $ID)"
CONTACT=$($SQL -e "SELECT MAX(id) FROM contacts WHERE full_name = 'Walk Contact'")
$SQL -e "INSERT INTO activities (kind, subject, account_id, contact_id, at, assignee_id, created_by)
	VALUES ('task', 'Walk task', $ACCOUNT, $CONTACT, UTC_TIMESTAMP(), $ID, $ID)"
ACTIVITY=$($SQL -e "SELECT MAX(id) FROM activities WHERE subject = 'Walk task'")
# An import is its uploader's alone, whatever the role's scope.
$SQL -e "INSERT INTO imports (user_id, filename, file_size, headers, mapping, status, total_rows)
	VALUES ($ID, 'walk.csv', 10, '[\"Name\"]', '[\"name\"]', 'done', 1)"
IMPORT=$($SQL -e "SELECT MAX(id) FROM imports WHERE filename = 'walk.csv'")
# A custom field for the /admin/fields/:id routes, inactive so it stays
# off the other tests' forms.
$SQL -e "INSERT INTO custom_fields (entity, label, type, active) VALUES ('contact', 'Walk field', 'text', FALSE)"
FIELD=$($SQL -e "SELECT MAX(id) FROM custom_fields WHERE label = 'Walk field'")
# Sales: a product and a price book (the catalogue has no owner: every
# role with sales.read sees them).
$SQL -e "INSERT INTO products (sku, name, list_price) VALUES ('WALK-$$', 'Walk product', 10)"
PRODUCT=$($SQL -e "SELECT id FROM products WHERE sku = 'WALK-$$'")
$SQL -e "INSERT INTO price_books (name) VALUES ('Walk book $$')"
BOOK=$($SQL -e "SELECT id FROM price_books WHERE name = 'Walk book $$'")
# A draft quote and an order of walk-admin's: foreign to own/team scopes.
$SQL -e "INSERT INTO quotes (number, account_id, price_book_id, currency, valid_until, owner_id)
	VALUES ('Q-WALK-$$', $ACCOUNT, $BOOK, 'USD', UTC_DATE() + INTERVAL 30 DAY, $ID)"
QUOTE=$($SQL -e "SELECT id FROM quotes WHERE number = 'Q-WALK-$$'")
$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
	VALUES ('SO-WALK-$$', $ACCOUNT, 'USD', UTC_DATE(), 0, 0, 0, 0, $ID)"
ORDER=$($SQL -e "SELECT id FROM orders WHERE number = 'SO-WALK-$$'")
# Sales, leads: a lead of walk-admin's (out of reach for own and team
# scopes), a web form (inactive, so its page is a 404 to the public) and
# an assignment rule that matches no real country.
$SQL -e "INSERT INTO leads (full_name, owner_id) VALUES ('Walk Lead', $ID)"
LEAD=$($SQL -e "SELECT MAX(id) FROM leads WHERE full_name = 'Walk Lead'")
$SQL -e "INSERT INTO lead_forms (name, token, stamp_key, fields, owner_id, active)
	VALUES ('Walk form', REPEAT('w', 43), RANDOM_BYTES(32), 'last_name', $ID, FALSE)
	ON DUPLICATE KEY UPDATE name = 'Walk form'"
LEADFORM=$($SQL -e "SELECT id FROM lead_forms WHERE token = REPEAT('w', 43)")
$SQL -e "INSERT INTO lead_rules (name, country, user_id, active) VALUES ('Walk rule', 'ZZ', $ID, FALSE)"
LEADRULE=$($SQL -e "SELECT MAX(id) FROM lead_rules WHERE name = 'Walk rule'")
# A deal of walk-admin's in the default pipeline, for the /sales/opportunities/:id
# routes (out of reach of own and team scopes), and that pipeline.
PIPELINE=$($SQL -e "SELECT id FROM pipelines WHERE is_default")
$SQL -e "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id)
	SELECT 'Walk deal', $ACCOUNT, $PIPELINE, id, 0, probability, '2030-01-01', $ID FROM pipeline_stages
	WHERE pipeline_id = $PIPELINE AND kind = 'open' ORDER BY position LIMIT 1"
OPPORTUNITY=$($SQL -e "SELECT MAX(id) FROM opportunities WHERE name = 'Walk deal'")
# An invoice of walk-admin's (out of reach of own and team scopes), of an
# order entered directly, in a year of its own so that the real years'
# numbering stays gap-free. (Public :token routes get a made-up secret
# and must answer 404; sales_invoices.sh walks the real link.)
$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
	VALUES ('WALK-SO-$$', $ACCOUNT, 'USD', CURRENT_DATE, 10, 0, 10, 10, $ID)"
ORDER=$($SQL -e "SELECT id FROM orders WHERE number = 'WALK-SO-$$'")
$SQL -e "INSERT INTO invoices (number, year, sequence, order_id, account_id, currency, issued_on, due_on, subtotal,
	tax_total, total, owner_id) VALUES ('WALK-INV-$$', 1901, $$, $ORDER, $ACCOUNT, 'USD', CURRENT_DATE,
	CURRENT_DATE, 10, 0, 10, $ID)"
INVOICE=$($SQL -e "SELECT id FROM invoices WHERE number = 'WALK-INV-$$'")
# Service, kb: a draft (staff with service.read see it; the help centre
# answers 404, which the public :id walk below does not ask) and a
# published article for /service/help/:id.
$SQL -e "INSERT INTO kb_articles (title, body, status, author_id) VALUES ('Walk draft $$', 'x', 'draft', $ID)"
KB_DRAFT=$($SQL -e "SELECT id FROM kb_articles WHERE title = 'Walk draft $$'")
$SQL -e "INSERT INTO kb_articles (title, body, status, author_id, published_at)
	VALUES ('Walk article $$', 'x', 'published', $ID, NOW())"
KB_PUBLISHED=$($SQL -e "SELECT id FROM kb_articles WHERE title = 'Walk article $$'")
# A ticket of walk-admin's with a file on disk: own and team scopes get 404.
$SQL -e "INSERT INTO tickets (subject, owner_id, created_by) VALUES ('Walk ticket $$', $ID, $ID)"
TICKET=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Walk ticket $$'")
$SQL -e "INSERT INTO ticket_attachments (ticket_id, filename, content_type, size, sha256)
	VALUES ($TICKET, 'walk.txt', 'text/plain', 5, UNHEX(SHA2('walk\n', 256)))"
TICKETFILE=$($SQL -e "SELECT MAX(id) FROM ticket_attachments WHERE ticket_id = $TICKET")
echo walk > "$CRM_E2E_DIR/attachments/$TICKETFILE"
$SQL -e "INSERT INTO teams (name) VALUES ('Walk team $$');
	INSERT INTO ticket_rules (name, team_id, active) SELECT 'Walk rule $$', id, FALSE FROM teams WHERE name = 'Walk team $$'"
TICKETRULE=$($SQL -e "SELECT MAX(id) FROM ticket_rules WHERE name = 'Walk rule $$'")
$SQL -e "INSERT INTO business_calendars (name) VALUES ('Walk calendar $$')"
SLA_CALENDAR=$($SQL -e "SELECT id FROM business_calendars WHERE name = 'Walk calendar $$'")
$SQL -e "INSERT INTO tickets (subject, owner_id) VALUES ('Walk SLA ticket $$', $ID)"
SLA_TICKET=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Walk SLA ticket $$'")
# Marketing, links: a print campaign of walk-admin's (out of reach of own
# and team scopes) and a tracked link of the same id, since the walk puts
# one id in every :part (.../links/:link_id/qr.png); consent pages use
# the walk's contact.
MK_LINKS=$($SQL -e "SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM campaigns), (SELECT COALESCE(MAX(id), 0) FROM tracked_links)) + 1")
$SQL -e "INSERT INTO campaigns (id, name, type, currency, owner_id) VALUES ($MK_LINKS, 'Walk print $$', 'print', 'USD', $ID);
	INSERT INTO tracked_links (id, campaign_id, token, url, url_hash) VALUES ($MK_LINKS, $MK_LINKS,
	LEFT(REPLACE(UUID(), '-', ''), 22), 'https://example.com/walk', UNHEX(SHA2('https://example.com/walk', 256)))"
# Marketing, campaigns: an SMS campaign of walk-admin's with the walk
# contact as a member: own and team scopes get 404.
$SQL -e "INSERT INTO campaigns (name, type, currency, owner_id) VALUES ('Walk campaign $$', 'sms', 'USD', $ID)"
CAMPAIGN=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Walk campaign $$'")
$SQL -e "INSERT INTO campaign_members (campaign_id, contact_id) VALUES ($CAMPAIGN, $CONTACT)"
# Marketing e-mail: a template, an e-mail campaign and a finished send,
# all walk-admin's (out of scope for own and team roles).
$SQL -e "INSERT INTO email_templates (name, subject, body_html, body_text, owner_id) VALUES ('Walk template $$', 'Hi', '<p>Hi</p>', 'Hi', $ID)"
MK_TEMPLATE=$($SQL -e "SELECT id FROM email_templates WHERE name = 'Walk template $$'")
$SQL -e "INSERT INTO campaigns (name, type, currency, owner_id) VALUES ('Walk mail $$', 'email', 'USD', $ID)"
MK_CAMPAIGN=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Walk mail $$'")
$SQL -e "INSERT INTO campaign_sends (campaign_id, template_id, status) VALUES ($MK_CAMPAIGN, $MK_TEMPLATE, 'done')"
MK_SEND=$($SQL -e "SELECT MAX(id) FROM campaign_sends WHERE campaign_id = $MK_CAMPAIGN")
# Marketing, segments: a segment and a target list of walk-admin's (out
# of reach of own and team scopes).
$SQL -e "INSERT INTO segments (name, conditions, owner_id) VALUES ('Walk segment $$',
	'{\"match\":\"all\",\"groups\":[{\"conditions\":[{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"Walk\"}]}]}', $ID)"
MK_SEGMENT=$($SQL -e "SELECT id FROM segments WHERE name = 'Walk segment $$'")
$SQL -e "INSERT INTO target_lists (name, owner_id) VALUES ('Walk list $$', $ID)"
MK_LIST=$($SQL -e "SELECT id FROM target_lists WHERE name = 'Walk list $$'")
# reports: a finished analytics run, and a segment to open.
$SQL -e "INSERT INTO analytics_runs (status, steps, steps_total, steps_done) VALUES ('done', 'rfm', 1, 1)"
RP_RUN=$($SQL -e "SELECT MAX(id) FROM analytics_runs")
$SQL -e "INSERT IGNORE INTO customer_segments (segment, customers, recency_days, orders, revenue, tickets) VALUES (1, 0, 0, 0, 0, 0)"
# reports builder: a saved report of walk-admin's, shared with no role,
# so it exists only for its owner (everyone else gets 404).
$SQL -e "INSERT INTO saved_reports (owner_id, name, definition) VALUES ($ID, 'Walk report $$',
	'{\"entity\":\"accounts\",\"measure\":\"count\",\"group_by\":[\"city\"]}')"
SAVED_REPORT=$($SQL -e "SELECT id FROM saved_reports WHERE name = 'Walk report $$'")
# reports (forecast): a labelled training text for /reports/sentiment/labels/:id.
$SQL -e "INSERT INTO sentiment_labels (body, label, labelled_by) VALUES ('Walk label $$', 'neutral', $ID)"
RP_LABEL=$($SQL -e "SELECT id FROM sentiment_labels WHERE body = 'Walk label $$'")
# automation rules: a rule for /automation/rules/:id/edit and /runs, off
# so that it acts on no other test's tickets.
$SQL -e "INSERT INTO rules (name, entity, trigger_kind, enabled, definition, created_by) VALUES ('Walk rule $$', 'tickets', 'create', FALSE,
	'{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"notify\",\"to\":\"owner\"}]}', $ID)"
AU_RULE=$($SQL -e "SELECT id FROM rules WHERE name = 'Walk rule $$'")
# automation, webhooks: a hook for /automation/webhooks/:id, switched off
# so that it never posts anything.
$SQL -e "INSERT INTO webhooks (name, url, events, secret, enabled) VALUES ('Walk hook $$', 'http://127.0.0.1:9/walk',
	'contact.created', 'whsec_walk', FALSE)"
AU_WEBHOOK=$($SQL -e "SELECT id FROM webhooks WHERE name = 'Walk hook $$'")
# automation mail: a mailbox to open, disabled so the runner never reads it.
$SQL -e "INSERT INTO mailboxes (name, url, username, password, purpose, enabled)
	VALUES ('Walk mailbox $$', 'imap://127.0.0.1:9/INBOX', 'walk', 'walk', 'support', FALSE)"
AU_MAILBOX=$($SQL -e "SELECT id FROM mailboxes WHERE name = 'Walk mailbox $$'")
id_for() {
	case $1 in
	/customers/contacts/*) echo "$CONTACT" ;;
	/customers/activities/*) echo "$ACTIVITY" ;;
	/customers/imports/*) echo "$IMPORT" ;;
	/customers/*) echo "$ACCOUNT" ;;
	/admin/fields/*) echo "$FIELD" ;;
	/sales/products/*) echo "$PRODUCT" ;;
	/sales/price-books/*) echo "$BOOK" ;;
	/sales/quotes/*) echo "$QUOTE" ;;
	/sales/orders/*) echo "$ORDER" ;;
	/sales/leads/*) echo "$LEAD" ;;
	/sales/lead-forms/*) echo "$LEADFORM" ;;
	/sales/lead-rules/*) echo "$LEADRULE" ;;
	/sales/opportunities/*) echo "$OPPORTUNITY" ;;
	/sales/board/*|/sales/pipelines/*) echo "$PIPELINE" ;;
	/sales/invoices/*) echo "$INVOICE" ;;
	/service/kb/*) echo "$KB_DRAFT" ;;
	/service/help/*) echo "$KB_PUBLISHED" ;;
	/service/tickets/*) echo "$TICKET" ;;
	/service/attachments/*) echo "$TICKETFILE" ;;
	/service/rules/*) echo "$TICKETRULE" ;;
	/service/sla/calendars/*) echo "$SLA_CALENDAR" ;;
	/service/sla/tickets/*) echo "$SLA_TICKET" ;;
	/marketing/campaigns/*/links*) echo "$MK_LINKS" ;;
	/marketing/campaigns/:id/send) echo "$MK_CAMPAIGN" ;;
	/marketing/campaigns/*) echo "$CAMPAIGN" ;;
	/marketing/contacts/*) echo "$CONTACT" ;;
	/marketing/templates/*) echo "$MK_TEMPLATE" ;;
	/marketing/sends/*) echo "$MK_SEND" ;;
	/marketing/segments/*) echo "$MK_SEGMENT" ;;
	/marketing/lists/*) echo "$MK_LIST" ;;
	/reports/dashboards/*) echo sales ;;
	/reports/analytics/runs/*) echo "$RP_RUN" ;;
	/reports/segments/*) echo 1 ;;
	# reports baskets: /reports/recommendations and /reports/quality take no record id
	/reports/recommendations|/reports/quality) echo "" ;;
	/reports/saved/*) echo "$SAVED_REPORT" ;;
	/reports/sentiment/labels/*) echo "$RP_LABEL" ;;
	# automation rules
	/automation/rules/*) echo "$AU_RULE" ;;
	# automation, webhooks (notifications have no GET route with an id)
	/automation/webhooks/*) echo "$AU_WEBHOOK" ;;
	# automation mail
	/automation/mailboxes/*) echo "$AU_MAILBOX" ;;
	*) echo "$ID" ;;
	esac
}
# want_for ROLE PATTERN: 200, or 404 for a record out of the role's scope.
want_for() {
	case $2 in
	/customers/imports/:id*)
		[ "$1" = admin ] && echo 200 || echo 404 ;;
	/customers/*:id*)
		[ "$($SQL -e "SELECT scope FROM roles WHERE name = '$1'")" = all ] && echo 200 || echo 404 ;;
	/sales/leads/:id*|/sales/opportunities/:id*|/sales/quotes/:id*|/sales/orders/:id*)
		[ "$($SQL -e "SELECT scope FROM roles WHERE name = '$1'")" = all ] && echo 200 || echo 404 ;;
	/sales/invoices/:id*)
		[ "$($SQL -e "SELECT scope FROM roles WHERE name = '$1'")" = all ] && echo 200 || echo 404 ;;
	/service/tickets/:id*|/service/attachments/:id*)
		[ "$($SQL -e "SELECT scope FROM roles WHERE name = '$1'")" = all ] && echo 200 || echo 404 ;;
	/service/sla/tickets/:id)
		[ "$($SQL -e "SELECT scope FROM roles WHERE name = '$1'")" = all ] && echo 200 || echo 404 ;;
	/marketing/campaigns/:id*|/marketing/contacts/:id/*|/marketing/templates/:id*|/marketing/sends/:id*|/marketing/segments/:id*|/marketing/lists/:id*)
		[ "$($SQL -e "SELECT scope FROM roles WHERE name = '$1'")" = all ] && echo 200 || echo 404 ;;
	/reports/dashboards/:name*)
		# The sales dashboard: for the roles that may see sales.
		may "$1" sales.read && echo 200 || echo 403 ;;
	# reports baskets: aggregate pages every reports.read role opens; the
	# quality examples are narrowed to the reader's records, never refused
	/reports/recommendations|/reports/quality) echo 200 ;;
	/reports/saved/csv)
		echo 422 ;;     # no definition in the address
	/reports/saved/:id*)
		[ "$1" = admin ] && echo 200 || echo 404 ;;
	# reports, churn: every reader of reports opens both pages; their
	# lists hold only what the role's scope reaches (reports_churn.sh).
	/reports/churn|/reports/leads) echo 200 ;;
	*) echo 200 ;;
	esac
}
# Foreign ids, written to: every POST route with an :id, sent with a
# valid form token (and through the API with the role's token) by each
# role whose scope is own or team, at the walk's records above, which are
# walk-admin's: accounts, contacts, activities, imports, leads, deals,
# quotes, orders, invoices, tickets and their files, campaigns, e-mail
# templates and sends, segments, target lists and saved reports. The
# answer must be 403 or 404, and none of those rows may change (their
# digests below, before and after), nor may the walk's users write a
# single audit row (every write writes one).
scoped_roles=$($SQL -e "SELECT GROUP_CONCAT(name SEPARATOR ' ') FROM roles WHERE scope <> 'all'
	AND name IN ('$(echo $ROLES | sed "s/ /','/g")')")
walk_users=$($SQL -e "SELECT GROUP_CONCAT(id) FROM users WHERE email LIKE 'walk-%@example.com'")
foreign_rows() {
	for t in accounts:$ACCOUNT contacts:$CONTACT activities:$ACTIVITY imports:$IMPORT leads:$LEAD \
		opportunities:$OPPORTUNITY quotes:$QUOTE orders:$ORDER invoices:$INVOICE tickets:$TICKET \
		ticket_attachments:$TICKETFILE campaigns:$CAMPAIGN campaigns:$MK_CAMPAIGN \
		email_templates:$MK_TEMPLATE campaign_sends:$MK_SEND segments:$MK_SEGMENT \
		target_lists:$MK_LIST saved_reports:$SAVED_REPORT; do
		$SQL -e "SELECT * FROM ${t%%:*} WHERE id = ${t#*:}"
	done
	$SQL -e "SELECT COUNT(*) FROM activities WHERE account_id = $ACCOUNT OR contact_id = $CONTACT"
	$SQL -e "SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = $TICKET"
	$SQL -e "SELECT COUNT(*) FROM campaign_members WHERE campaign_id IN ($CAMPAIGN, $MK_CAMPAIGN)"
	# (GET exports are audited: they read, and are not counted here.)
	$SQL -e "SELECT COUNT(*) FROM audit_log WHERE user_id IN ($walk_users) AND action NOT LIKE '%export'"
}
# Routes of records that have an owner (the rest: catalogue, pipelines,
# rules, settings belong to no one, and their scope is the permission).
owned() {
	case $1 in
	/customers/accounts/:id*|/customers/contacts/:id*|/customers/activities/:id*|/customers/imports/:id*) return 0 ;;
	/sales/leads/:id*|/sales/opportunities/:id*|/sales/quotes/:id*|/sales/orders/:id*|/sales/invoices/:id*) return 0 ;;
	/service/tickets/:id*|/service/attachments/:id*) return 0 ;;
	/marketing/campaigns/:id*|/marketing/templates/:id*|/marketing/sends/:id*|/marketing/segments/:id*|/marketing/lists/:id*) return 0 ;;
	/reports/saved/:id*) return 0 ;;
	esac
	return 1
}
foreign_rows > "$TMP/foreign-before"
foreign_checks=0
checks=0
for bin in "$TOP"/cgi-bin/crm-*; do
	# crm-dav answers WebDAV methods to Basic authentication only: its
	# own walk is below.
	[ "$(basename "$bin")" = crm-dav ] && continue
	"$bin" --routes > "$TMP/routes"
	while read -r method pattern perm template; do
		path=$(echo "$pattern" | sed "s/:[a-z_]*/$(id_for "$pattern")/g")
		name="$(basename "$bin") $method $pattern"
		for who in signed-out $ROLES; do
			jar=$TMP/jar-$who
			[ "$who" = signed-out ] && jar=/dev/null
			if [ "$method" = GET ]; then
				out=$(curl -s -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' "$BASE$path")
				code=${out%% *}; to=${out#* }
				if [ "$perm" = public ] && [ "${pattern#*:token}" != "$pattern" ]; then
					# A secret link with a made-up secret does not exist.
					want="404"; [ "$code" = 404 ] && good=1 || good=0
				elif [ "$perm" = public ]; then
					want="200 or 303"; case $code in 200|303) good=1 ;; *) good=0 ;; esac
				elif [ "$who" = signed-out ]; then
					want="303 to /login"; case "$code $to" in "303 $BASE/login"*) good=1 ;; *) good=0 ;; esac
				elif [ "$perm" = second-factor ]; then
					want="303 (signed in already)"; [ "$code" = 303 ] && good=1 || good=0
				elif may "$who" "$perm"; then
					want=$(want_for "$who" "$pattern")
					case "$code $to" in "$want"*|"303 $BASE/account"*) good=1 ;; *) good=0 ;; esac
				else
					want="403"; [ "$code" = 403 ] && good=1 || good=0
				fi
			else
				# State-changing routes: never run for real here; a request
				# without the form token is refused before the handler, and
				# so is one from a role without the permission.
				code=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' -X "$method" -d x=1 "$BASE$path")
				if [ "$perm" = cross-site ]; then
					# Posted from any site, so no form token is asked:
					# a made-up secret in the address is simply not found.
					want="404 (no such secret)"; [ "$code" = 404 ] && good=1 || good=0
				elif [ "$who" = signed-out ] && [ "$perm" != public ]; then
					want="303 to /login"; [ "$code" = 303 ] && good=1 || good=0
				elif [ "$who" != signed-out ] && [ "$perm" = second-factor ]; then
					want="303 (signed in already)"; [ "$code" = 303 ] && good=1 || good=0
				elif [ "$who" != signed-out ] && [ "$perm" != public ] && [ "$perm" != signed-in ] &&
					! may "$who" "$perm"; then
					want="403"; [ "$code" = 403 ] && good=1 || good=0
				else
					want="403 (no form token)"; [ "$code" = 403 ] && good=1 || good=0
				fi
			fi
			checks=$((checks + 1))
			[ $good = 1 ] || fail "route walk: $name as $who: $code, wanted $want"
			# A foreign record, written to with a valid token.
			if [ "$method" != GET ] && owned "$pattern" &&
				[ "${scoped_roles#*"$who"}" != "$scoped_roles" ] && [ "$perm" != public ] &&
				[ "$perm" != cross-site ] && [ "$perm" != signed-in ] && [ "$perm" != second-factor ]; then
				code=$(curl -s -b "$jar" -o "$TMP/foreign.html" -w '%{http_code}' -X "$method" \
					--data-urlencode "csrf_token=$(cat "$TMP/csrf-$who")" -d x=1 "$BASE$path")
				api=$(curl -s -o /dev/null -w '%{http_code}' -X "$method" -d x=1 \
					-H "Authorization: Bearer $(cat "$TMP/token-$who")" "$BASE/api/v1$path")
				foreign_checks=$((foreign_checks + 2))
				case $code in 403|404) ;; *) fail "route walk: $name as $who with a form token: $code, wanted 403 or 404" ;; esac
				case $api in 403|404) ;; *) fail "route walk: API $name as $who: $api, wanted 403 or 404" ;; esac
			fi
			# The same route through the API, with the role's token.
			[ "$method" = GET ] || continue
			[ "$perm" = second-factor ] && continue
			if [ "$who" = signed-out ]; then
				code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1$path")
				case $perm in public) wantc="200" ;; *) wantc=401 ;; esac
			else
				code=$(curl -s -o /dev/null -w '%{http_code}' \
					-H "Authorization: Bearer $(cat "$TMP/token-$who")" "$BASE/api/v1$path")
				if may "$who" "$perm"; then wantc=$(want_for "$who" "$pattern"); else wantc=403; fi
			fi
			case "$path" in /login) [ "$who" != signed-out ] && wantc=303 ;; esac
			case "$pattern" in *:token*) wantc=404 ;; esac
			checks=$((checks + 1))
			[ "$code" = "$wantc" ] || fail "route walk: API $name as $who: $code, wanted $wantc"
		done
	done < "$TMP/routes"
done
ok "route walk: $checks checks over every route, role and the API"
foreign_rows > "$TMP/foreign-after"
if [ "$foreign_checks" -gt 0 ] && cmp -s "$TMP/foreign-before" "$TMP/foreign-after"; then
	ok "route walk: $foreign_checks POSTs to foreign records as $scoped_roles (form token and API): nothing changed"
else
	fail "route walk: POSTs to foreign records ($foreign_checks): $(diff "$TMP/foreign-before" "$TMP/foreign-after" | head -5)"
fi

# dav: crm-dav's routes with each role's API token over HTTP Basic (a
# cookie is no one there). The :name parts are the walk's task (in
# walk-admin's tasks calendar: every other role's calendar lacks it) and
# contact (walk-admin's: 404 to own and team scopes). Nothing is written:
# PUT sends a form (415) and DELETE an ETag that never matches (412).
dav_checks=0
"$TOP/cgi-bin/crm-dav" --routes > "$TMP/routes"
while read -r method pattern perm template; do
	for who in signed-out $ROLES; do
		user=$ID auth=()
		if [ "$who" != signed-out ]; then
			user=$($SQL -e "SELECT id FROM users WHERE email = 'walk-$who@example.com'")
			auth=(-u "walk-$who@example.com:$(cat "$TMP/token-$who")")
		fi
		name=activity-$ACTIVITY.ics seen=no
		[ "$who" = admin ] && seen=yes
		case $pattern in /dav/addressbooks/*)
			name=contact-$CONTACT.vcf seen=no
			[ "$($SQL -e "SELECT scope FROM roles WHERE name = '$who'")" = all ] && seen=yes ;;
		esac
		path=$(echo "$pattern" | sed "s/:user/$user/; s/:calendar/tasks/; s/:book/contacts/; s/:name/$name/")
		case $method in
		PROPFIND) args=(-H "Depth: 1") ;;
		REPORT) args=(-H "Content-Type: application/xml" --data-binary '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:prop><D:getetag/></D:prop></D:sync-collection>') ;;
		PUT) args=(-d x=1) ;;
		DELETE) args=(-H 'If-Match: "0-0"') ;;
		*) args=() ;;
		esac
		code=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "${args[@]}" -X "$method" "$BASE$path")
		if [ "$perm" = public ]; then want=200
		elif [ "$who" = signed-out ]; then want=401
		elif ! may "$who" "$perm"; then want=403
		else
			case "$method $seen" in
			"PROPFIND yes"|"REPORT "*) want=207 ;;
			"PROPFIND no") case $pattern in *:name) want=404 ;; *) want=207 ;; esac ;;
			"GET yes") want=200 ;;
			"PUT "*) want=415 ;;
			"DELETE yes") want=412 ;;
			*) want=404 ;;
			esac
		fi
		dav_checks=$((dav_checks + 1))
		[ "$code" = "$want" ] || fail "route walk: crm-dav $method $pattern as $who: $code, wanted $want"
	done
done < "$TMP/routes"
ok "route walk: crm-dav, $dav_checks checks over every route and role with Basic authentication"

# A token that was revoked, or never existed, opens nothing.
expect_status "a made-up API token is refused" 401 -H "Authorization: Bearer crm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$BASE/api/v1/account"
