#!/bin/bash
# Leads: create, list, show, edit, reassign, activities and history; the
# record scope; web-to-lead forms (the public page and its protections:
# honeypot, time to submit, unknown fields, rate limit); assignment rules
# (round-robin in a team, territory); and conversion to an account, a
# contact and an opportunity, with duplicates offered and no second
# conversion.
. "$(dirname "$0")/lib.sh"
IP=127.0.8.$(( $$ % 50 + 1 ))
RUN=$$
PW='leads become deals 7'

for who in ann:sales bob:sales adm:admin carl:sales dora:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
done
for who in ann bob adm; do signin "$TMP/$who" "$who-$RUN@example.com"; done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-$RUN@example.com'"; }
ann=$(uid ann) bob=$(uid bob) adm=$(uid adm) carl=$(uid carl) dora=$(uid dora)
token_of() { curl -s -b "$TMP/$1" "$BASE$2" -o "$TMP/page.html"; csrf_of "$TMP/page.html"; }
A=$(token_of ann /sales/leads/new)
B=$(token_of bob /sales/leads/new)
D=$(token_of adm /sales/lead-forms)

# Create: normalised e-mail and phone, the score from what the lead has.
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d first_name=Ann -d last_name="Lee" \
	--data-urlencode "company=Acme $RUN" -d "title=Sales Director" -d "email=Ann.Lee-$RUN@Acme.COM" \
	--data-urlencode "phone=+1 415 555 0100" -d source=referral -d country=us -d city=Boston "$BASE/sales/leads"
[ "$STATUS" = 303 ] && ok "leads: a sales user creates a lead" || fail "leads: create: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b")"
l1=$($SQL -e "SELECT id FROM leads WHERE email = 'Ann.Lee-$RUN@Acme.COM'")
row=$($SQL -e "SELECT full_name, email_norm, phone_e164, country, status, owner_id, score FROM leads WHERE id = $l1")
# company 15 + e-mail 10 + phone 15 + director 25 + referral 25 = 90
[ "$row" = "$(printf 'Ann Lee\tann.lee-%s@acme.com\t+14155550100\tUS\tnew\t%s\t90' "$RUN" "$ann")" ] &&
	ok "leads: stored normalised, owned by its creator, score 90 by the rule" || fail "leads: stored as: $row"
fetch -b "$TMP/ann" "$BASE/sales/leads/$l1?done=created"
expect_body "leads: the page shows the name" 'id="lead-name">Ann Lee'
expect_body "leads: ... the score" 'id="lead-score">90<'
expect_body "leads: ... the conversion form" 'id="lead-convert-form"'
expect_body "leads: ... and the created flash" 'flash'
expect_valid_html "leads: the lead page is valid HTML"

# A Chinese name reads family name first; a manager's title and a web
# source score less.
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d first_name=秀英 -d last_name=张 -d "title=销售经理" \
	-d source=web --data-urlencode "company=上海 $RUN" "$BASE/sales/leads"
l2=$($SQL -e "SELECT id FROM leads WHERE company = '上海 $RUN'")
row=$($SQL -e "SELECT full_name, score FROM leads WHERE id = $l2")
# company 15 + manager 15 + web 15 = 45
[ "$row" = "$(printf '张秀英\t45')" ] && ok "leads: Chinese name order; 经理 scores as a manager" || fail "leads: second lead: $row"

# The list: prefix filters, status, source, order by score, keyset.
fetch -b "$TMP/ann" "$BASE/sales/leads?q=Acme%20$RUN"
expect_body "leads: the list finds a lead by company prefix" "href=\"/sales/leads/$l1\""
grep -q "href=\"/sales/leads/$l2\"" "$TMP/b" && fail "leads: the prefix filter let another lead through" || ok "leads: ... and only that lead"
fetch -b "$TMP/ann" "$BASE/sales/leads?q=ann.lee-$RUN"
expect_body "leads: ... or by e-mail prefix" "href=\"/sales/leads/$l1\""
fetch -b "$TMP/ann" "$BASE/sales/leads?status=contacted&owner=$ann"
grep -q "href=\"/sales/leads/$l1\"" "$TMP/b" && fail "leads: status filter shows a new lead as contacted" || ok "leads: the status filter leaves out other statuses"
fetch -b "$TMP/ann" "$BASE/sales/leads?owner=$ann&sort=score"
p1=$(grep -n "href=\"/sales/leads/$l1\"" "$TMP/b" | cut -d: -f1) p2=$(grep -n "href=\"/sales/leads/$l2\"" "$TMP/b" | cut -d: -f1)
[ -n "$p1" ] && [ -n "$p2" ] && [ "$p1" -lt "$p2" ] && ok "leads: best score first puts 90 before 45" || fail "leads: score order: $p1 $p2"
fetch -b "$TMP/ann" "$BASE/sales/leads?owner=$ann&source=web"
grep -q "href=\"/sales/leads/$l1\"" "$TMP/b" && fail "leads: source filter" || ok "leads: the source filter leaves out a referral"
expect_status "leads: a nonsense filter is a 400" 400 -b "$TMP/ann" "$BASE/sales/leads?status=hot"
fetch -b "$TMP/ann" "$BASE/api/v1/sales/leads?q=Acme%20$RUN"
[ "$(jq -r '.leads[0].score' "$TMP/b" 2>/dev/null)" = 90 ] && ok "leads: the list is an API too" || fail "leads: API list: $(head -c 200 "$TMP/b")"

# Keyset pages: 55 leads of one owner are 50 and then 5, none twice.
$SQL -e "INSERT INTO leads (full_name, company, owner_id, score, created_at)
	WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 55)
	SELECT CONCAT('Paged ', i), 'Paged $RUN', $carl, i, '2026-01-01 00:00:00' - INTERVAL (i DIV 2) HOUR FROM n"
for sort in newest score; do
	fetch -b "$TMP/adm" "$BASE/sales/leads?owner=$carl&sort=$sort"
	n1=$(grep -c 'href="/sales/leads/[0-9]*"' "$TMP/b")
	grep -o 'href="/sales/leads/[0-9]*"' "$TMP/b" > "$TMP/page1"
	next=$(grep -o 'id="next-page"' "$TMP/b" >/dev/null && grep -o 'href="[^"]*" id="next-page"' "$TMP/b" | sed 's/href="//;s/" id.*//;s/&amp;/\&/g')
	fetch -b "$TMP/adm" "$BASE$next"
	n2=$(grep -c 'href="/sales/leads/[0-9]*"' "$TMP/b")
	dup=$(grep -o 'href="/sales/leads/[0-9]*"' "$TMP/b" | grep -cxFf "$TMP/page1")
	[ "$n1/$n2/$dup" = "50/5/0" ] && ok "leads: keyset pages by $sort: 50, then 5, none twice" || fail "leads: pages by $sort: $n1/$n2/$dup ($next)"
done

# Edit: the score follows the fields; history records the change.
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d first_name=Ann -d last_name=Lee \
	--data-urlencode "company=Acme $RUN" -d "title=Engineer" -d "email=Ann.Lee-$RUN@Acme.COM" \
	--data-urlencode "phone=+1 415 555 0100" -d source=referral -d country=US -d city=Boston -d status=contacted \
	"$BASE/sales/leads/$l1"
[ "$STATUS" = 303 ] && ok "leads: the owner edits the lead" || fail "leads: edit: $STATUS"
row=$($SQL -e "SELECT status, score, title FROM leads WHERE id = $l1")
[ "$row" = "$(printf 'contacted\t65\tEngineer')" ] && ok "leads: status saved, score recomputed (65 without the title)" || fail "leads: after edit: $row"
fetch -b "$TMP/ann" "$BASE/sales/leads/$l1"
expect_body "leads: the history shows the update" '<code>update</code>: .*status'
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d first_name=Ann -d last_name=Lee -d status=disqualified "$BASE/sales/leads/$l1"
[ "$STATUS" = 422 ] && ok "leads: disqualified without a reason is refused (422)" || fail "leads: no reason: $STATUS"
expect_body "leads: ... saying why" 'id="error-reason">'
[ "$($SQL -e "SELECT status FROM leads WHERE id = $l1")" = contacted ] && ok "leads: ... and nothing changed" || fail "leads: half-written"

# Bad input: each field says what is wrong; nothing is stored.
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d email=not-an-address -d phone=12 -d country=China \
	-d "company=Bad $RUN" -d source=tv "$BASE/sales/leads"
[ "$STATUS" = 422 ] && ok "leads: bad values are refused with 422" || fail "leads: bad values: $STATUS"
expect_body "leads: ... the name's message" 'id="error-last_name">Enter a first or last name'
expect_body "leads: ... the e-mail's" 'id="error-email">Enter an e-mail address'
expect_body "leads: ... the phone's" 'id="error-phone">Enter the number with its country code'
expect_body "leads: ... the country's" 'id="error-country">Enter the country as two letters'
expect_body "leads: ... with the input kept" 'value="not-an-address"'
[ "$($SQL -e "SELECT COUNT(*) FROM leads WHERE company = 'Bad $RUN'")" = 0 ] && ok "leads: ... and no lead stored" || fail "leads: a bad lead was stored"
expect_status "leads: a POST without the form token is refused (403)" 403 -b "$TMP/ann" -d first_name=X "$BASE/sales/leads"

# Activities on a lead.
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d kind=call -d "subject=Called $RUN" -d "body=Wants a demo" "$BASE/sales/leads/$l1/activities"
[ "$STATUS" = 303 ] && ok "leads: a call is logged on the lead" || fail "leads: activity: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM activities WHERE lead_id = $l1 AND kind = 'call' AND done_at IS NOT NULL")" = 1 ] &&
	ok "leads: ... stored with lead_id, done" || fail "leads: activity row missing"
fetch -b "$TMP/ann" "$BASE/sales/leads/$l1"
expect_body "leads: ... and shown on its page" "Called $RUN"
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d kind=note -d subject= "$BASE/sales/leads/$l1/activities"
[ "$STATUS" = 422 ] && ok "leads: an activity without a subject is refused (422)" || fail "leads: empty activity: $STATUS"

# Scope: another sales user neither sees nor changes the lead.
expect_status "leads: another sales user gets 404 for the lead" 404 -b "$TMP/bob" "$BASE/sales/leads/$l1"
expect_status "leads: ... and cannot edit it" 404 -b "$TMP/bob" --data-urlencode "csrf_token=$B" -d first_name=Hacked "$BASE/sales/leads/$l1"
expect_status "leads: ... nor convert it" 404 -b "$TMP/bob" --data-urlencode "csrf_token=$B" -d account=new -d account_name=X -d contact=new "$BASE/sales/leads/$l1/convert"
fetch -b "$TMP/bob" "$BASE/sales/leads?q=Acme%20$RUN"
grep -q "/sales/leads/$l1\"" "$TMP/b" && fail "leads: another's lead is in bob's list" || ok "leads: ... nor lists it"
expect_status "leads: an admin sees it" 200 -b "$TMP/adm" "$BASE/sales/leads/$l1"

# Reassign: the lead goes to bob, out of ann's reach.
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d new_owner_id=$bob "$BASE/sales/leads/$l2/reassign"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT owner_id FROM leads WHERE id = $l2")" = "$bob" ] &&
	ok "leads: reassigned to another user" || fail "leads: reassign: $STATUS"
expect_status "leads: ... who now sees it" 200 -b "$TMP/bob" "$BASE/sales/leads/$l2"
expect_status "leads: ... and the old owner does not" 404 -b "$TMP/ann" "$BASE/sales/leads/$l2"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'lead' AND entity_id = $l2 AND action = 'reassign' AND user_id = $ann")" = 1 ] &&
	ok "leads: ... audited" || fail "leads: no reassign audit row"

# Assignment rules: a team in turns for Germany, bob for Paris.
$SQL -e "DELETE FROM lead_rules WHERE name LIKE 'e2e-leads %'"
$SQL -e "INSERT INTO teams (name) VALUES ('Leads RR $RUN')"
team=$($SQL -e "SELECT id FROM teams WHERE name = 'Leads RR $RUN'")
$SQL -e "UPDATE users SET team_id = $team WHERE id IN ($carl, $dora)"
expect_status "rules: a sales user may not open them (403)" 403 -b "$TMP/ann" "$BASE/sales/lead-rules"
fetch -b "$TMP/adm" --data-urlencode "csrf_token=$D" -d position=1 -d "name=e2e-leads DE $RUN" -d country=de -d target=team:$team -d active=1 "$BASE/sales/lead-rules"
[ "$STATUS" = 303 ] && ok "rules: an admin adds a round-robin rule" || fail "rules: create: $STATUS"
fetch -b "$TMP/adm" --data-urlencode "csrf_token=$D" -d position=2 -d "name=e2e-leads Paris $RUN" -d country=FR -d city=paris -d target=user:$bob -d active=1 "$BASE/sales/lead-rules"
[ "$STATUS" = 303 ] && ok "rules: ... and a territory rule" || fail "rules: create 2: $STATUS"
fetch -b "$TMP/adm" --data-urlencode "csrf_token=$D" -d position=x -d name= -d target=user:0 "$BASE/sales/lead-rules"
[ "$STATUS" = 422 ] && ok "rules: a rule without name or target is refused (422)" || fail "rules: bad rule: $STATUS"
fetch -b "$TMP/adm" "$BASE/sales/lead-rules"
expect_body "rules: the page lists them" "e2e-leads Paris $RUN"
expect_valid_html "rules: the rules page is valid HTML"

# A web form: admins only; a name field must be shown.
expect_status "forms: a sales user may not manage web forms (403)" 403 -b "$TMP/ann" "$BASE/sales/lead-forms"
fetch -b "$TMP/adm" --data-urlencode "csrf_token=$D" -d "name=Nameless $RUN" -d show_email=1 -d source=web -d owner_id=$adm "$BASE/sales/lead-forms"
[ "$STATUS" = 422 ] && ok "forms: a form without a name field is refused (422)" || fail "forms: nameless: $STATUS"
expect_body "forms: ... saying why" 'id="error-fields">'
fetch -b "$TMP/adm" --data-urlencode "csrf_token=$D" -d "name=Contact us $RUN" -d show_first_name=1 -d show_last_name=1 \
	-d require_last_name=1 -d show_company=1 -d show_email=1 -d require_email=1 -d show_city=1 -d show_country=1 \
	-d show_message=1 -d source=event -d use_rules=1 -d owner_id=$adm -d "thanks=Thanks $RUN!" -d active=1 "$BASE/sales/lead-forms"
[ "$STATUS" = 303 ] && ok "forms: an admin creates a web form" || fail "forms: create: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b")"
form=$($SQL -e "SELECT id FROM lead_forms WHERE name = 'Contact us $RUN'")
ftok=$($SQL -e "SELECT token FROM lead_forms WHERE id = $form")
[ ${#ftok} = 43 ] && ok "forms: its address holds a 43-character random secret" || fail "forms: token: $ftok"
fetch -b "$TMP/adm" "$BASE/sales/lead-forms/$form"
expect_body "forms: the admin sees the snippet, escaped" "&lt;form method=&quot;post&quot; action=&quot;[^&]*/sales/forms/$ftok&quot;"
expect_body "forms: ... with the honeypot in it" '&lt;input name=&quot;website&quot;'
grep -q '<input name="email"' "$TMP/b" && fail "forms: the snippet is not escaped" || ok "forms: ... never as live HTML"
expect_valid_html "forms: the form's page is valid HTML"

# The public page, signed out.
fetch "$BASE/sales/forms/$ftok"
expect_body "public: anyone opens the form" 'id="lead-public-form"'
expect_body "public: ... which carries a signed stamp" 'name="form_stamp" value="[0-9]+\.[0-9a-f]{64}"'
grep -q 'name="phone"' "$TMP/b" && fail "public: a field the form does not show is on the page" || ok "public: ... and only its own fields"
expect_valid_html "public: the public page is valid HTML"
expect_status "public: a made-up secret is a 404" 404 "$BASE/sales/forms/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
stamp() { curl -s "$BASE/sales/forms/$ftok" | grep -o 'name="form_stamp" value="[^"]*"' | sed 's/.*value="//;s/"$//'; }
# pub IP ARGS...: a POST to the public form from loopback address IP, no cookie, no form token.
pub() { ip=$1; shift; fetch --interface "$ip" "$@" "$BASE/sales/forms/$ftok"; }
leads_of_form() { $SQL -e "SELECT COUNT(*) FROM leads WHERE form_id = $form"; }

s=$(stamp)
pub 127.0.8.101 --data-urlencode "form_stamp=$s" -d last_name=Fast -d "email=fast-$RUN@example.com"
[ "$STATUS" = 422 ] && ok "public: sent within a second of the page: refused (422)" || fail "public: too fast: $STATUS"
expect_body "public: ... the form comes back to send again" 'id="lead-public-error"'
pub 127.0.8.101 -d last_name=Snippet -d "email=snip-$RUN@example.com"
[ "$STATUS" = 422 ] && ok "public: without a stamp (the pasted snippet): confirm on our page (422)" || fail "public: no stamp: $STATUS"
expect_body "public: ... with what was typed" "value=\"snip-$RUN@example.com\""
[ "$(leads_of_form)" = 0 ] && ok "public: ... and nothing stored so far" || fail "public: a lead was stored too soon"

s1=$(stamp); s2=$(stamp); s3=$(stamp); s4=$(stamp); s5=$(stamp); s6=$(stamp); s7=$(stamp); s8=$(stamp); s9=$(stamp); s10=$(stamp)
sleep 3
pub 127.0.8.102 --data-urlencode "form_stamp=$s1" -d first_name=Hans -d last_name=Muster \
	--data-urlencode "company=Muster GmbH $RUN" -d "email=hans-$RUN@example.de" -d country=DE -d city=Berlin \
	-d "message=We need forty seats by March, please call."
[ "$STATUS" = 200 ] && ok "public: a person's submission is taken" || fail "public: submit: $STATUS $(grep -o 'form-error[^<]*\|field-error[^<]*' "$TMP/b")"
expect_body "public: ... with the form's thank-you message" "id=\"lead-thanks\">Thanks $RUN!"
row=$($SQL -e "SELECT source, status, form_id, country FROM leads WHERE email = 'hans-$RUN@example.de'")
[ "$row" = "$(printf 'event\tnew\t%s\tDE' "$form")" ] && ok "public: the lead has the form's source and is new" || fail "public: lead: $row"
o1=$($SQL -e "SELECT owner_id FROM leads WHERE email = 'hans-$RUN@example.de'")
h=$($SQL -e "SELECT id FROM leads WHERE email = 'hans-$RUN@example.de'")
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'lead' AND entity_id = $h AND action = 'create' AND user_id IS NULL")" = 1 ] &&
	ok "public: ... audited with no user" || fail "public: audit row"
pub 127.0.8.102 --data-urlencode "form_stamp=$s2" -d last_name=Zwei -d "email=zwei-$RUN@example.de" -d country=DE
o2=$($SQL -e "SELECT owner_id FROM leads WHERE email = 'zwei-$RUN@example.de'")
pub 127.0.8.102 --data-urlencode "form_stamp=$s3" -d last_name=Drei -d "email=drei-$RUN@example.de" -d country=de
o3=$($SQL -e "SELECT owner_id FROM leads WHERE email = 'drei-$RUN@example.de'")
case "$o1 $o2" in "$carl $dora"|"$dora $carl") ok "rules: round-robin gives the team's two members a turn each" ;;
	*) fail "rules: round-robin owners: $o1 $o2 (team $carl $dora)" ;; esac
[ "$o3" = "$o1" ] && ok "rules: ... then starts again with the first" || fail "rules: third turn went to $o3"
[ "$($SQL -e "SELECT last_user_id FROM lead_rules WHERE name = 'e2e-leads DE $RUN'")" = "$o3" ] &&
	ok "rules: ... the rule remembers whose turn it was" || fail "rules: pointer not moved"
# Two workers at once: the locked pointer hands out two different turns.
pub 127.0.8.103 --data-urlencode "form_stamp=$s4" -d last_name=Vier -d "email=vier-$RUN@example.de" -d country=DE &
pub 127.0.8.104 --data-urlencode "form_stamp=$s5" -d last_name=Fuenf -d "email=fuenf-$RUN@example.de" -d country=DE
wait
n=$($SQL -e "SELECT COUNT(DISTINCT owner_id) FROM leads WHERE email IN ('vier-$RUN@example.de', 'fuenf-$RUN@example.de')")
[ "$n" = 2 ] && ok "rules: two submissions at once go to two different members" || fail "rules: concurrent turns: $n owners"
pub 127.0.8.103 --data-urlencode "form_stamp=$s6" -d last_name=Paris -d "email=paris-$RUN@example.fr" -d country=FR -d city=Paris
[ "$($SQL -e "SELECT owner_id FROM leads WHERE email = 'paris-$RUN@example.fr'")" = "$bob" ] &&
	ok "rules: a Paris lead goes to the territory's user" || fail "rules: territory"
pub 127.0.8.103 --data-urlencode "form_stamp=$s7" -d last_name=Lyon -d "email=lyon-$RUN@example.fr" -d country=FR -d city=Lyon
[ "$($SQL -e "SELECT owner_id FROM leads WHERE email = 'lyon-$RUN@example.fr'")" = "$adm" ] &&
	ok "rules: a lead no rule takes goes to the form's default owner" || fail "rules: fallback"

# The protections.
before=$(leads_of_form)
pub 127.0.8.105 --data-urlencode "form_stamp=$s8" -d last_name=Bot -d "email=bot-$RUN@example.com" -d website=http://spam.example
[ "$STATUS" = 400 ] && ok "public: the honeypot filled in: refused (400)" || fail "public: honeypot: $STATUS"
pub 127.0.8.105 --data-urlencode "form_stamp=$s9" -d last_name=Extra -d "email=extra-$RUN@example.com" -d phone=123 -d owner_id=1
[ "$STATUS" = 422 ] && ok "public: a field the form does not have: refused (422)" || fail "public: unknown field: $STATUS"
expect_body "public: ... naming it" 'id="lead-public-error">[^<]*\(phone owner_id \)'
pub 127.0.8.105 --data-urlencode "form_stamp=$s10" -d last_name=NoMail
[ "$STATUS" = 422 ] && ok "public: a required field left empty: refused (422)" || fail "public: required: $STATUS"
expect_body "public: ... saying which" 'id="error-email">This field is required'
[ "$(leads_of_form)" = "$before" ] && ok "public: ... none of them stored" || fail "public: a refused submission was stored"
for i in 1 2 3 4 5; do pub 127.0.8.106 -d last_name=Flood -d "email=flood-$RUN@example.com"; done
[ "$STATUS" = 422 ] && ok "public: five POSTs from one address are still answered" || fail "public: fifth POST: $STATUS"
pub 127.0.8.106 -d last_name=Flood -d "email=flood-$RUN@example.com"
[ "$STATUS" = 429 ] && ok "public: the sixth in ten minutes gets 429" || fail "public: rate limit: $STATUS"
expect_body "public: ... with a page that says why" 'Too many forms were sent from your address'
expect_header "public: ... and when to come back" '^Retry-After: 600'
pub 127.0.8.107 -d last_name=Other -d "email=other-$RUN@example.com"
[ "$STATUS" = 422 ] && ok "public: ... while another address is still served" || fail "public: other address: $STATUS"
# A staff cookie sent along (a forged cross-site POST) acts as nobody.
s=$(stamp); sleep 3
pub 127.0.8.108 -b "$TMP/ann" --data-urlencode "form_stamp=$s" -d last_name=Cookie -d "email=cookie-$RUN@example.com"
c=$($SQL -e "SELECT id FROM leads WHERE email = 'cookie-$RUN@example.com'")
[ -n "$c" ] && [ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'lead' AND entity_id = $c AND user_id IS NULL")" = 1 ] &&
	ok "public: a POST carrying a staff session still runs as nobody" || fail "public: cookie POST: $STATUS lead '$c'"

# Conversion: a new account, contact and opportunity.
stage=$($SQL -e "SELECT s.id FROM pipelines p JOIN pipeline_stages s ON s.pipeline_id = p.id WHERE p.is_default AND s.kind = 'open' ORDER BY s.position LIMIT 1")
fetch -b "$TMP/ann" "$BASE/sales/leads/$l1"
expect_body "convert: with no duplicate, a new account is the default" 'id="convert-account-new" checked'
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d account=new --data-urlencode "account_name=Acme $RUN" -d contact=new \
	-d create_opportunity=1 --data-urlencode "opportunity_name=Acme seats $RUN" -d amount=abc -d close_date=2026-13-01 "$BASE/sales/leads/$l1/convert"
[ "$STATUS" = 422 ] && ok "convert: a bad amount and date are refused (422)" || fail "convert: bad: $STATUS"
expect_body "convert: ... the amount's message" 'id="error-amount">'
expect_body "convert: ... the date's" 'id="error-close_date">'
[ -z "$($SQL -e "SELECT converted_at FROM leads WHERE id = $l1 AND converted_at IS NOT NULL")" ] && ok "convert: ... and the lead is not converted" || fail "convert: half converted"
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d account=new --data-urlencode "account_name=Acme $RUN" -d contact=new \
	-d create_opportunity=1 --data-urlencode "opportunity_name=Acme seats $RUN" -d amount=1250.50 -d close_date=2026-12-31 "$BASE/sales/leads/$l1/convert"
[ "$STATUS" = 303 ] && ok "convert: the owner converts the lead" || fail "convert: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b")"
read -r acc ct opp st < <($SQL -e "SELECT account_id, contact_id, opportunity_id, status FROM leads WHERE id = $l1 AND converted_at IS NOT NULL")
[ "$st" = qualified ] && ok "convert: the lead is qualified and converted" || fail "convert: lead: $acc $ct $opp $st"
[ "$($SQL -e "SELECT CONCAT(name, '|', owner_id) FROM accounts WHERE id = '$acc'")" = "Acme $RUN|$ann" ] && ok "convert: ... a new account owned by the lead's owner" || fail "convert: account"
[ "$($SQL -e "SELECT CONCAT(full_name, '|', email_norm, '|', phone_e164, '|', account_id) FROM contacts WHERE id = '$ct'")" = "Ann Lee|ann.lee-$RUN@acme.com|+14155550100|$acc" ] &&
	ok "convert: ... a contact with the normalised e-mail and phone, in the account" || fail "convert: contact"
row=$($SQL -e "SELECT stage_id, amount, probability, close_date, account_id, contact_id, lead_id FROM opportunities WHERE id = '$opp'")
[ "$row" = "$(printf '%s\t1250.50\t10.00\t2026-12-31\t%s\t%s\t%s' "$stage" "$acc" "$ct" "$l1")" ] &&
	ok "convert: ... an opportunity in the default pipeline's first open stage at its probability" || fail "convert: opportunity: $row"
[ "$($SQL -e "SELECT CONCAT(COUNT(*), '|', MAX(stage_id), '|', MAX(amount), '|', SUM(left_at IS NULL), '|', MAX(user_id)) FROM opportunity_stage_history WHERE opportunity_id = '$opp'")" = "1|$stage|1250.50|1|$ann" ] &&
	ok "convert: ... with its stage history row" || fail "convert: stage history"
[ "$($SQL -e "SELECT CONCAT(contact_id, '|', lead_id) FROM activities WHERE lead_id = $l1")" = "$ct|$l1" ] &&
	ok "convert: the lead's activities move to the contact and keep the lead" || fail "convert: activities"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE (entity, entity_id, action) IN (('account', '$acc', 'create'), ('contact', '$ct', 'create'), ('opportunity', '$opp', 'create'), ('lead', $l1, 'convert'))")" = 4 ] &&
	ok "convert: ... an audit row for each record" || fail "convert: audit rows"
[ "$($SQL -e "SELECT COUNT(*) FROM search_index WHERE (entity = 1 AND id = '$ct') OR (entity = 2 AND id = '$acc')")" = 2 ] &&
	ok "convert: the customers search index has the account and the contact" || fail "convert: search index"
fetch -b "$TMP/ann" "$BASE/customers/search?q=Acme%20$RUN"
expect_body "convert: ... and the search box finds the contact" "/customers/contacts/$ct"
fetch -b "$TMP/ann" "$BASE/sales/leads/$l1"
expect_body "convert: the lead links to its account" "id=\"lead-account\">Acme $RUN<"
expect_body "convert: ... contact" 'id="lead-contact">Ann Lee<'
expect_body "convert: ... and opportunity" "id=\"lead-opportunity\">Acme seats $RUN<"
grep -q 'id="lead-convert-form"' "$TMP/b" && fail "convert: a converted lead still offers conversion" || ok "convert: ... and offers no second conversion"
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d account=new -d "account_name=Again" -d contact=new "$BASE/sales/leads/$l1/convert"
[ "$STATUS" = 409 ] && ok "convert: converting twice is a 409" || fail "convert: twice: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM accounts WHERE name = 'Again'")" = 0 ] && ok "convert: ... creating nothing" || fail "convert: second conversion created an account"

# Duplicates: an account of the same name (any case) and a contact with
# the same e-mail are offered first, and linked rather than copied.
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Globex $RUN', $ann)"
gacc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Globex $RUN'")
$SQL -e "INSERT INTO contacts (full_name, last_name, email, email_norm, account_id, owner_id) VALUES ('Hank Scorpio', 'Scorpio', 'hank-$RUN@globex.com', 'hank-$RUN@globex.com', $gacc, $ann)"
gct=$($SQL -e "SELECT id FROM contacts WHERE email_norm = 'hank-$RUN@globex.com'")
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d first_name=Hank -d last_name=Scorpio --data-urlencode "company=GLOBEX $RUN" \
	-d "email=Hank-$RUN@Globex.com" -d source=partner "$BASE/sales/leads"
l3=$($SQL -e "SELECT id FROM leads WHERE email = 'Hank-$RUN@Globex.com'")
fetch -b "$TMP/ann" "$BASE/sales/leads/$l3"
expect_body "convert: the same-named account is offered and chosen" "id=\"convert-account-$gacc\" checked"
expect_body "convert: ... and the contact with the same e-mail" "id=\"convert-contact-$gct\" checked"
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d account=$gacc -d account_name=x -d contact=$gct "$BASE/sales/leads/$l3/convert"
[ "$STATUS" = 303 ] && ok "convert: converted onto the existing account and contact" || fail "convert: dup: $STATUS $(grep -o 'field-error[^<]*' "$TMP/b")"
[ "$($SQL -e "SELECT CONCAT(account_id, '|', contact_id, '|', opportunity_id IS NULL) FROM leads WHERE id = $l3")" = "$gacc|$gct|1" ] &&
	ok "convert: ... the lead links them, with no opportunity asked for" || fail "convert: dup links"
[ "$($SQL -e "SELECT COUNT(*) FROM accounts WHERE name = 'Globex $RUN'")$($SQL -e "SELECT COUNT(*) FROM contacts WHERE email_norm = 'hank-$RUN@globex.com'")" = 11 ] &&
	ok "convert: ... and no copy of either was made" || fail "convert: duplicate records created"
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d first_name=Out -d "company=Reach $RUN" "$BASE/sales/leads"
l4=$($SQL -e "SELECT id FROM leads WHERE company = 'Reach $RUN'")
bacc=$($SQL -e "SELECT id FROM accounts WHERE owner_id = $bob LIMIT 1")
[ -z "$bacc" ] && { $SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Bob $RUN', $bob)"; bacc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Bob $RUN'"); }
fetch -b "$TMP/ann" --data-urlencode "csrf_token=$A" -d account=$bacc -d contact=new "$BASE/sales/leads/$l4/convert"
[ "$STATUS" = 422 ] && ok "convert: an account out of the user's reach cannot be linked (422)" || fail "convert: foreign account: $STATUS"

$SQL -e "DELETE FROM lead_rules WHERE name LIKE 'e2e-leads %'"
