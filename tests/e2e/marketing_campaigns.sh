#!/bin/bash
# Marketing campaigns: the form (exact money, field errors, unique
# names), the list's filters and pages, status moves, targets and "fill
# members", members with responses recorded by hand, the SMS export,
# results (funnel, attributed orders and deals, revenue, ROI, cost per
# lead) with the chart, the comparison, scope and the audit.
. "$(dirname "$0")/lib.sh"
IP=127.0.32.$(( $$ % 250 + 1 ))
RUN=$$
PW='campaigns bring leads 7'

for who in mia:marketing max:manager sam:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
mia=$($SQL -e "SELECT id FROM users WHERE email = 'mia-$RUN@example.com'")
$SQL -e "INSERT INTO teams (name) VALUES ('Camp team $RUN'); UPDATE users SET team_id = LAST_INSERT_ID() WHERE email = 'max-$RUN@example.com'"
base=$($SQL -e "SELECT COALESCE((SELECT value FROM settings WHERE name = 'base_currency'), 'USD')")

# The form: field errors come back with what was typed, nothing stored.
curl -s -b "$TMP/mia" "$BASE/marketing/campaigns/new" -o "$TMP/new.html"
T=$(csrf_of "$TMP/new.html")
grep -q "name=\"currency\" required maxlength=\"3\" value=\"$base\"" "$TMP/new.html" &&
	ok "campaigns: the form starts in the base currency" || fail "campaigns: currency not defaulted"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "name=Spring $RUN" -d type=fax -d currency=eur \
	-d budget=12.345 -d actual_cost=-1 -d attribution_days=0 -d starts_on=2026-05-01 -d ends_on=2026-04-01 \
	--data-urlencode "utm_suffix=a b" "$BASE/marketing/campaigns"
[ "$STATUS" = 422 ] && [ "$(grep -c 'class="field-error"' "$TMP/b")" = 7 ] && grep -q "value=\"Spring $RUN\"" "$TMP/b" &&
	ok "campaigns: seven bad values, seven field errors (422), the form shown again" ||
	fail "campaigns: bad form: $STATUS $(grep -o 'field-error">[^<]*' "$TMP/b" | tr '\n' ' ')"
[ "$($SQL -e "SELECT COUNT(*) FROM campaigns WHERE name = 'Spring $RUN'")" = 0 ] && ok "campaigns: ... and nothing is stored" ||
	fail "campaigns: a bad form stored a campaign"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "name=Spring $RUN" -d type=email -d currency=$base \
	-d budget=2000 -d actual_cost=500.10 -d attribution_days=30 -d starts_on=2026-01-01 -d ends_on=2026-12-31 \
	--data-urlencode "objective=Win back <lapsed> customers" --data-urlencode "utm_suffix=utm_source=mail&utm_medium=email" \
	"$BASE/marketing/campaigns"
camp=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Spring $RUN'")
[ "$STATUS" = 303 ] && [ -n "$camp" ] && ok "campaigns: a marketer creates a campaign" || fail "campaigns: create: $STATUS"
row=$($SQL -e "SELECT type, status, currency, budget, actual_cost, attribution_days, utm_suffix, owner_id FROM campaigns WHERE id = $camp")
[ "$row" = "$(printf 'email\tplanned\t%s\t2000.00\t500.10\t30\tutm_source=mail&utm_medium=email\t%s' "$base" "$mia")" ] &&
	ok "campaigns: stored with exact decimals, planned, owned by its creator" || fail "campaigns: stored as: $row"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $camp AND action = 'create'")" = 1 ] &&
	ok "campaigns: the creation is audited" || fail "campaigns: no audit row for the creation"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "name=Spring $RUN" -d type=sms -d currency=$base "$BASE/marketing/campaigns"
[ "$STATUS" = 409 ] && expect_body "campaigns: a second campaign of the same name is refused (409)" 'Another campaign has this name' ||
	fail "campaigns: duplicate name: $STATUS"
fetch -b "$TMP/mia" "$BASE/marketing/campaigns/$camp"
expect_body "campaigns: the page shows the objective, escaped" 'Win back &lt;lapsed&gt; customers'
expect_body "campaigns: ... and links to tracked links and the mass e-mail" "href=\"/marketing/campaigns/$camp/links\".*|href=\"/marketing/campaigns/$camp/send\""
expect_valid_html "campaigns: the campaign page is valid HTML"

# Edit: the form again, 422 on a bad value, then saved and audited.
curl -s -b "$TMP/mia" "$BASE/marketing/campaigns/$camp/edit" -o "$TMP/edit.html"
grep -q "value=\"Spring $RUN\"" "$TMP/edit.html" && ok "campaigns: the edit form holds the campaign" || fail "campaigns: edit form"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "name=Spring $RUN" -d type=sms -d currency=$base -d budget=abc "$BASE/marketing/campaigns/$camp"
[ "$STATUS" = 422 ] && ok "campaigns: a bad budget on edit is a 422" || fail "campaigns: edit bad budget: $STATUS"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "name=Spring $RUN" -d type=sms -d currency=$base \
	-d budget=2000 -d actual_cost=500 -d attribution_days=30 -d starts_on=2026-01-01 "$BASE/marketing/campaigns/$camp"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(type, ' ', actual_cost, ' ', COALESCE(ends_on, '-')) FROM campaigns WHERE id = $camp")" = "sms 500.00 -" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $camp AND action = 'update'")" = 1 ] &&
	ok "campaigns: an edit is saved and audited" || fail "campaigns: edit: $STATUS"

# Targets: a list of three contacts (one deleted) and a segment.
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Camp Account $RUN', $mia)"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Camp Account $RUN'")
for n in ann bob cid; do
	$SQL -e "INSERT INTO contacts (full_name, last_name, account_id, owner_id, email, mobile) VALUES ('$n $RUN', '$n', $acc, $mia, '$n-$RUN@example.com', '')"
done
ann=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'ann $RUN'")
bob=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'bob $RUN'")
cid=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'cid $RUN'")
$SQL -e "UPDATE contacts SET deleted_at = NOW() WHERE id = $cid;
	UPDATE contacts SET consent_sms = TRUE, mobile = '=HYPERLINK(\"x\")' WHERE id = $ann;
	UPDATE contacts SET consent_sms = FALSE, mobile = '+4930123456', city = 'Camptown$RUN' WHERE id = $bob;
	INSERT INTO target_lists (name, members, owner_id) VALUES ('Camp list $RUN', 3, $mia);
	INSERT INTO target_list_members (list_id, contact_id) SELECT LAST_INSERT_ID(), id FROM contacts WHERE full_name LIKE '% $RUN' AND account_id = $acc;
	INSERT INTO segments (name, conditions, owner_id) VALUES ('Camp segment $RUN',
	'{\"match\":\"all\",\"groups\":[{\"match\":\"all\",\"conditions\":[{\"field\":\"contact.city\",\"op\":\"eq\",\"value\":\"Camptown$RUN\"}]}]}', $mia)"
list=$($SQL -e "SELECT id FROM target_lists WHERE name = 'Camp list $RUN'")
seg=$($SQL -e "SELECT id FROM segments WHERE name = 'Camp segment $RUN'")
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "list_id=$list" "$BASE/marketing/campaigns/$camp/targets"
[ "$STATUS" = 303 ] && ok "campaigns: a target list is added" || fail "campaigns: add list: $STATUS"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "list_id=$list" "$BASE/marketing/campaigns/$camp/targets"
[ "$STATUS" = 409 ] && grep -q 'id="target-error">The campaign has this target already' "$TMP/b" &&
	ok "campaigns: ... but not twice (409, the page again with the reason)" || fail "campaigns: add list twice: $STATUS"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "segment_id=$seg" "$BASE/marketing/campaigns/$camp/targets"
[ "$STATUS" = 303 ] && ok "campaigns: a segment is added" || fail "campaigns: add segment: $STATUS"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "list_id=999999999" "$BASE/marketing/campaigns/$camp/targets"
[ "$STATUS" = 422 ] && grep -q 'id="target-error">Choose a target list or a segment' "$TMP/b" &&
	ok "campaigns: a list that does not exist is a 422 with the reason" || fail "campaigns: missing list: $STATUS"
fetch -b "$TMP/mia" "$BASE/marketing/campaigns/$camp"
expect_body "campaigns: the page lists both targets" "Camp list $RUN \(3\).*|Camp segment $RUN"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" "$BASE/marketing/campaigns/$camp/fill"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT COUNT(*) FROM campaign_members WHERE campaign_id = $camp")" = 2 ] &&
	[ "$($SQL -e "SELECT members FROM campaigns WHERE id = $camp")" = 2 ] &&
	ok "campaigns: fill adds the list's two live contacts and the segment's one (already in the list) once, and keeps the count" || fail "campaigns: fill: $STATUS $($SQL -e "SELECT members FROM campaigns WHERE id = $camp")"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" "$BASE/marketing/campaigns/$camp/fill"
[ "$($SQL -e "SELECT COUNT(*) FROM campaign_members WHERE campaign_id = $camp")" = 2 ] && [ "$($SQL -e "SELECT members FROM campaigns WHERE id = $camp")" = 2 ] &&
	grep -q 'done=filled&added=0' "$TMP/h" && ok "campaigns: a second fill adds no one twice" || fail "campaigns: refill: $(grep -i location "$TMP/h")"
# A campaign aimed at the segment alone gets its member from the segment.
$SQL -e "INSERT INTO campaigns (name, type, currency, owner_id) VALUES ('Seg only $RUN', 'event', 'USD', $mia)"
segcamp=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Seg only $RUN'")
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d "segment_id=$seg" "$BASE/marketing/campaigns/$segcamp/targets"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" "$BASE/marketing/campaigns/$segcamp/fill"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT GROUP_CONCAT(contact_id) FROM campaign_members WHERE campaign_id = $segcamp")" = "$bob" ] &&
	[ "$($SQL -e "SELECT members FROM campaigns WHERE id = $segcamp")" = 1 ] &&
	ok "campaigns: fill takes a segment target's members through its conditions" || fail "campaigns: segment fill: $STATUS $($SQL -e "SELECT GROUP_CONCAT(contact_id) FROM campaign_members WHERE campaign_id = $segcamp")"
# A segment whose conditions no longer compile: the page says so, nothing is added.
$SQL -e "UPDATE segments SET conditions = '{\"match\":\"all\",\"groups\":[{\"match\":\"all\",\"conditions\":[{\"field\":\"custom.999999999\",\"op\":\"eq\",\"value\":\"x\"}]}]}' WHERE id = $seg"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" "$BASE/marketing/campaigns/$segcamp/fill"
[ "$STATUS" = 422 ] && grep -q 'id="target-error"' "$TMP/b" && [ "$($SQL -e "SELECT members FROM campaigns WHERE id = $segcamp")" = 1 ] &&
	ok "campaigns: a segment that no longer compiles is named, and nothing is added" || fail "campaigns: broken segment fill: $STATUS"
t2=$($SQL -e "SELECT id FROM campaign_targets WHERE campaign_id = $camp AND segment_id = $seg")
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" "$BASE/marketing/campaigns/$camp/targets/$t2/delete"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT COUNT(*) FROM campaign_targets WHERE campaign_id = $camp")" = 1 ] &&
	ok "campaigns: a target is removed" || fail "campaigns: remove target: $STATUS"

# Members: the page, the status filter, responses recorded by hand.
fetch -b "$TMP/mia" "$BASE/marketing/campaigns/$camp/members"
expect_body "campaigns: the members page lists both members" "id=\"member-$ann\".*|id=\"member-$bob\""
expect_valid_html "campaigns: the members page is valid HTML"
$SQL -e "UPDATE campaign_members SET status = 'sent', sent_at = '2026-02-01 10:00:00' WHERE campaign_id = $camp"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d response=responded "$BASE/marketing/campaigns/$camp/members/$ann/response"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d response=converted "$BASE/marketing/campaigns/$camp/members/$bob/response"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT GROUP_CONCAT(status ORDER BY contact_id) FROM campaign_members WHERE campaign_id = $camp")" = "responded,converted" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM campaign_members WHERE campaign_id = $camp AND responded_at IS NOT NULL")" = 2 ] &&
	ok "campaigns: responded and converted are recorded by hand (converted implies responded)" || fail "campaigns: responses: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $camp AND action = 'response'")" = 2 ] &&
	ok "campaigns: ... each response audited" || fail "campaigns: responses not audited"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d response=responded "$BASE/marketing/campaigns/$camp/members/$bob/response"
[ "$($SQL -e "SELECT status FROM campaign_members WHERE campaign_id = $camp AND contact_id = $bob")" = converted ] &&
	ok "campaigns: a response never moves a member back" || fail "campaigns: converted went back"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d response=won "$BASE/marketing/campaigns/$camp/members/$bob/response"
[ "$STATUS" = 422 ] && grep -q 'id="response-error">' "$TMP/b" && grep -q "id=\"member-$bob\"" "$TMP/b" &&
	ok "campaigns: an unknown response is a 422, the members shown again" || fail "campaigns: bad response: $STATUS"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d response=responded "$BASE/marketing/campaigns/$camp/members/$cid/response"
[ "$STATUS" = 404 ] && ok "campaigns: a contact who is not a member is a 404" || fail "campaigns: non-member: $STATUS"
fetch -b "$TMP/mia" "$BASE/marketing/campaigns/$camp/members?status=converted"
grep -q "id=\"member-$bob\"" "$TMP/b" && ! grep -q "id=\"member-$ann\"" "$TMP/b" &&
	ok "campaigns: the status filter shows only converted members" || fail "campaigns: status filter"
expect_status "campaigns: a made-up member status is a 400" 400 -b "$TMP/mia" "$BASE/marketing/campaigns/$camp/members?status=gone"

# The SMS export: members with SMS consent and a number, formula-safe.
fetch -b "$TMP/mia" "$BASE/marketing/campaigns/$camp/sms-export"
expect_header "campaigns: the SMS export is a CSV download" '^Content-Disposition: attachment; filename="campaign-[0-9]+-sms.csv"'
grep -q "^\"ann $RUN\",\"'=HYPERLINK(\"\"x\"\")\"" "$TMP/b" || grep -q "^ann $RUN,\"'=HYPERLINK(\"\"x\"\")\"" "$TMP/b" &&
	ok "campaigns: ... a formula in a cell is defused" || fail "campaigns: sms csv: $(cat "$TMP/b")"
! grep -q "4930123456" "$TMP/b" && ok "campaigns: ... members without SMS consent are left out" || fail "campaigns: bob exported without consent"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $camp AND action = 'sms_export'")" = 1 ] &&
	ok "campaigns: ... and the export is audited" || fail "campaigns: sms export not audited"

# Results: orders and a deal within the 30-day window after the message
# count once each; one too late, one cancelled and one of another
# account do not. Cost 500 in the base currency.
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Other $RUN', $mia)"
other=$($SQL -e "SELECT id FROM accounts WHERE name = 'Other $RUN'")
$SQL -e "INSERT INTO orders (number, account_id, contact_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, created_at, status) VALUES
	('CA-$RUN-1', $acc, $ann, '$base', '2026-02-10', 1500, 0, 1500, 1500, $mia, '2026-02-10 09:00:00', 'confirmed'),
	('CA-$RUN-2', $acc, NULL, '$base', '2026-04-10', 900, 0, 900, 900, $mia, '2026-04-10 09:00:00', 'confirmed'),
	('CA-$RUN-3', $acc, NULL, '$base', '2026-02-11', 700, 0, 700, 700, $mia, '2026-02-11 09:00:00', 'cancelled'),
	('CA-$RUN-4', $other, $bob, '$base', '2026-02-12', 250.50, 0, 250.50, 250.50, $mia, '2026-02-12 09:00:00', 'delivered'),
	('CA-$RUN-5', $other, NULL, '$base', '2026-02-12', 99, 0, 99, 99, $mia, '2026-02-12 09:00:00', 'confirmed')"
pipe=$($SQL -e "SELECT pipeline_id, id FROM pipeline_stages ORDER BY id LIMIT 1")
$SQL -e "INSERT INTO opportunities (name, account_id, contact_id, pipeline_id, stage_id, amount, probability, close_date, owner_id, created_at)
	VALUES ('Camp deal $RUN', $other, $bob, ${pipe%%	*}, ${pipe##*	}, 3000, 50, '2026-06-01', $mia, '2026-02-05 12:00:00')"
# The attribution is the job runner's: asked for from the page, worked
# out by crm-marketing jobs (this one-off, or the stack's own).
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" "$BASE/marketing/campaigns/$camp/results/refresh"
[ "$STATUS" = 303 ] && grep -q 'done=attribution_requested' "$TMP/h" && [ "$($SQL -e "SELECT requested_at IS NOT NULL FROM campaign_attribution WHERE campaign_id = $camp")" = 1 ] &&
	ok "campaigns: the attribution is asked for again from the page" || fail "campaigns: refresh: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $camp AND action = 'attribution_refresh'")" = 1 ] &&
	ok "campaigns: ... audited" || fail "campaigns: refresh not audited"
"$TOP/cgi-bin/crm-marketing" --config "$CRM_E2E_DIR/crm.conf" jobs --once 2>>"$TMP/jobs.log"
[ "$($SQL -e "SELECT computed_at >= requested_at FROM campaign_attribution WHERE campaign_id = $camp")" = 1 ] &&
	ok "campaigns: ... and the job runner works it out" || fail "campaigns: attribution not worked out: $(cat "$TMP/jobs.log")"
fetch -b "$TMP/mia" "$BASE/api/v1/marketing/campaigns/$camp/results"
grep -q '"attribution_at"' "$TMP/b" && ! grep -q '"attribution_pending"' "$TMP/b" && ok "campaigns: ... the page says when" || fail "campaigns: attribution time: $(head -c 300 "$TMP/b")"
fetch -b "$TMP/mia" "$BASE/api/v1/marketing/campaigns/$camp/results"
[ "$STATUS" = 200 ] && python3 - "$TMP/b" <<'PY' && ok "campaigns: results (SMS: no opens or clicks): 2 reached, 2 responded, 1 converted, 2 orders worth 1750.50, 1 deal, ROI 250.10 %, cost per lead 250.00 and per conversion 500.00" || fail "campaigns: results: $(cat "$TMP/b")"
import json, sys
r = json.load(open(sys.argv[1]))["results"]
want = {"members": 2, "reached": 2, "opened": 0, "clicked": 0, "responded": 2, "converted": 1, "unsubscribed": 0,
	"bounced": 0, "orders": 2, "revenue": "1750.50", "opportunities": 1, "opportunity_amount": "3000.00",
	"cost": "500.00", "roi": "250.10", "cost_per_lead": "250.00", "cost_per_conversion": "500.00"}
bad = {k: (r.get(k), v) for k, v in want.items() if r.get(k) != v}
sys.exit(1 if bad else 0)
PY
fetch -b "$TMP/mia" "$BASE/marketing/campaigns/$camp"
expect_body "campaigns: the page draws the funnel as SVG" '<svg xmlns="http://www.w3.org/2000/svg"'
expect_body "campaigns: ... with the figures as a table too" 'id="funnel-converted"><td>Converted</td><td class="num">1</td><td class="num">50.0 %</td>'
expect_body "campaigns: ... and the ROI" 'id="result-roi">250.10 %'
expect_valid_html "campaigns: the page with results is valid HTML"
# Cost in another currency goes through the exchange rate, or ROI waits.
$SQL -e "UPDATE campaigns SET currency = 'XTS' WHERE id = $camp"
fetch -b "$TMP/mia" "$BASE/api/v1/marketing/campaigns/$camp/results"
grep -q '"no_rate": *true' "$TMP/b" && ! grep -q '"roi"' "$TMP/b" && ok "campaigns: no rate for the currency, no ROI" || fail "campaigns: no rate: $(cat "$TMP/b")"
$SQL -e "INSERT INTO exchange_rates (currency, rate) VALUES ('XTS', 2) ON DUPLICATE KEY UPDATE rate = 2"
fetch -b "$TMP/mia" "$BASE/api/v1/marketing/campaigns/$camp/results"
grep -q '"cost_base": *"250.00"' "$TMP/b" && grep -q '"roi": *"600.20"' "$TMP/b" && ok "campaigns: 500 XTS at 2 per unit is 250 of the base currency: ROI 600.20 %" ||
	fail "campaigns: rate: $(cat "$TMP/b")"
$SQL -e "UPDATE campaigns SET currency = '$base' WHERE id = $camp; DELETE FROM exchange_rates WHERE currency = 'XTS'"

# An e-mail campaign's funnel counts opens and clicks before responses;
# its members page by 50, by contact id, through the API too.
$SQL -e "INSERT INTO campaigns (name, type, currency, owner_id) VALUES ('Mail $RUN', 'email', '$base', $mia)"
mail=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Mail $RUN'")
$SQL -e "INSERT INTO campaign_members (campaign_id, contact_id, status) SELECT $mail, id, ELT(1 + MOD(id, 5), 'sent', 'opened', 'clicked', 'responded', 'bounced')
	FROM contacts ORDER BY id DESC LIMIT 60; UPDATE campaigns SET members = 60 WHERE id = $mail"
want=$($SQL -e "SELECT CONCAT_WS(' ', COUNT(*), SUM(status <> 'bounced'), SUM(status IN ('opened', 'clicked', 'responded')),
	SUM(status IN ('clicked', 'responded')), SUM(status = 'responded'), SUM(status = 'bounced')) FROM campaign_members WHERE campaign_id = $mail")
fetch -b "$TMP/mia" "$BASE/api/v1/marketing/campaigns/$mail/results"
got=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join(str(r[k]) for k in ('members','reached','opened','clicked','responded','bounced')))" "$TMP/b")
[ "$got" = "$want" ] && ok "campaigns: an e-mail funnel: members, reached, opened, clicked, responded, bounced ($got)" || fail "campaigns: e-mail funnel: $got, wanted $want"
w0=$(grep -o '"width":[0-9]*' "$TMP/b" | sed -n 1p); w2=$(grep -o '"width":[0-9]*' "$TMP/b" | sed -n 3p)
set -- $want
[ "${w0#*:}" = 380 ] && [ "${w2#*:}" = $(( $3 * 380 / $1 )) ] && ok "campaigns: the chart's bars are to scale" || fail "campaigns: bars $w0 $w2"
fetch -b "$TMP/mia" "$BASE/api/v1/marketing/campaigns/$mail/members"
n1=$(python3 -c "import json,sys; v=json.load(open(sys.argv[1])); print(len(v['members']), v.get('next_url', ''))" "$TMP/b")
fetch -b "$TMP/mia" "$BASE/api/v1${n1#* }"
n2=$(python3 -c "import json,sys; v=json.load(open(sys.argv[1])); print(len(v['members']), 'next_url' in v)" "$TMP/b")
[ "${n1%% *}" = 50 ] && [ "$n2" = "10 False" ] && ok "campaigns: members page by 50 and end" || fail "campaigns: members pages: $n1 / $n2"

# Status moves one step at a time, audited.
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d status=completed "$BASE/marketing/campaigns/$camp/status"
[ "$STATUS" = 409 ] && grep -q 'id="status-error">A campaign moves from planned' "$TMP/b" &&
	ok "campaigns: planned cannot jump to completed (409, with the reason)" || fail "campaigns: jump: $STATUS"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d status=active "$BASE/marketing/campaigns/$camp/status"
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" -d status=completed "$BASE/marketing/campaigns/$camp/status"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT status FROM campaigns WHERE id = $camp")" = completed ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $camp AND action = 'status'")" = 2 ] &&
	ok "campaigns: planned -> active -> completed, each move audited" || fail "campaigns: status: $STATUS"

# The list: filters, newest first, pages of 50 by id.
$SQL -e "INSERT INTO campaigns (name, type, status, currency, owner_id) SELECT CONCAT('Bulk $RUN ', seq), 'web', 'planned', '$base', $mia FROM seq_1_to_55"
fetch -b "$TMP/mia" "$BASE/marketing/campaigns?type=web&status=planned"
n1=$(grep -c 'id="campaign-' "$TMP/b")
next=$(grep -o 'id="next-page"' "$TMP/b")
url=$(grep -o 'href="[^"]*" id="next-page"' "$TMP/b" | sed 's/href="//;s/" id.*//;s/&amp;/\&/g')
fetch -b "$TMP/mia" "$BASE$url"
n2=$(grep -c "Bulk $RUN" "$TMP/b")
[ "$n1" = 50 ] && [ -n "$next" ] && [ "$n2" -ge 5 ] && ! grep -q "Bulk $RUN 55<" "$TMP/b" && ok "campaigns: the list pages by 50, newest first, keeping the filters" ||
	fail "campaigns: paging: $n1 then $n2 ($url)"
fetch -b "$TMP/mia" "$BASE/marketing/campaigns?type=sms"
grep -q "Spring $RUN" "$TMP/b" && ! grep -q "Bulk $RUN" "$TMP/b" && ok "campaigns: the type filter" || fail "campaigns: type filter"
expect_status "campaigns: a made-up status filter is a 400" 400 -b "$TMP/mia" "$BASE/marketing/campaigns?status=lost"
expect_valid_html "campaigns: the list is valid HTML"

# Compare: two side by side; one shows the picker; six are too many.
b1=$($SQL -e "SELECT id FROM campaigns WHERE name = 'Bulk $RUN 1'")
fetch -b "$TMP/mia" "$BASE/marketing/campaigns/compare?id=$camp&id=$b1"
expect_body "campaigns: the comparison shows both campaigns" "id=\"compare-campaign-$camp\".*id=\"compare-campaign-$b1\""
expect_body "campaigns: ... with the revenue of each" 'id="compare-revenue_text"><th scope="row">Revenue</th><td class="num">[^<]*1,750.50[^<]*</td><td class="num">[^<]*0.00'
expect_valid_html "campaigns: the comparison is valid HTML"
fetch -b "$TMP/mia" "$BASE/marketing/campaigns/compare?id=$camp"
expect_body "campaigns: one campaign asks for more" 'Choose at least two campaigns'
ids=$($SQL -e "SELECT GROUP_CONCAT(CONCAT('id=', id) SEPARATOR '&') FROM campaigns WHERE name LIKE 'Bulk $RUN %' AND id <= $b1 + 5")
expect_status "campaigns: six campaigns are too many (422)" 422 -b "$TMP/mia" "$BASE/marketing/campaigns/compare?$ids"

# Scope and permissions: a team manager reads only their team's
# campaigns; a seller has no marketing at all.
expect_status "campaigns: a manager outside the owner's team gets 404" 404 -b "$TMP/max" "$BASE/marketing/campaigns/$camp"
expect_status "campaigns: ... also for its members" 404 -b "$TMP/max" "$BASE/marketing/campaigns/$camp/members"
fetch -b "$TMP/max" "$BASE/marketing/campaigns?type=sms"
! grep -q "Spring $RUN" "$TMP/b" && ok "campaigns: ... and does not see it in the list" || fail "campaigns: manager sees a foreign campaign"
expect_status "campaigns: a manager may not create one (403)" 403 -b "$TMP/max" --data-urlencode "csrf_token=$T" -d name=x "$BASE/marketing/campaigns"
expect_status "campaigns: a seller has no campaigns (403)" 403 -b "$TMP/sam" "$BASE/marketing/campaigns"

# Soft delete: gone from the page and the list, the row and its members kept.
fetch -b "$TMP/mia" --data-urlencode "csrf_token=$T" "$BASE/marketing/campaigns/$camp/delete"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT deleted_at IS NOT NULL FROM campaigns WHERE id = $camp")" = 1 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM campaign_members WHERE campaign_id = $camp")" = 2 ] &&
	ok "campaigns: a deletion hides the campaign and keeps its members" || fail "campaigns: delete: $STATUS"
expect_status "campaigns: a deleted campaign's page is a 404" 404 -b "$TMP/mia" "$BASE/marketing/campaigns/$camp"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $camp AND action = 'delete'")" = 1 ] &&
	ok "campaigns: ... audited" || fail "campaigns: delete not audited"
