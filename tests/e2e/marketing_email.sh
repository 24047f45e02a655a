#!/bin/bash
# Marketing e-mail: templates with merge fields, the preview and a test
# send to oneself; a campaign's mass send to a local SMTP sink, each
# message checked (merge fields, both parts, tracked links, the open
# pixel, the unsubscribe link and headers); who is skipped and why;
# unsubscribing without signing in; bounces; pause and resume; retries;
# and crm-marketing jobs killed with -9 half way, then restarted, with no
# message lost or repeated (by Message-ID and by recipient).
. "$(dirname "$0")/lib.sh"
IP=127.0.33.$(( $$ % 250 + 1 ))
RUN=$$
PW='mail for many people 33'
PY=/usr/bin/python3
MKT="$TOP/cgi-bin/crm-marketing --config $CRM_E2E_DIR/crm.conf"
STACK_PIDF="$CRM_E2E_DIR/run/crm-marketing-jobs.pid"
SINK_PORT=$((12513 + RUN % 6))      # 12519 is the bench's
PUB="https://crm-$RUN.example.com"
setting() { $SQL -e "SELECT value FROM settings WHERE name = '$1'"; }
OLD_RELAY=$(setting smtp_relay) OLD_PUB=$(setting public_url) OLD_FROM=$(setting marketing_from) OLD_RATE=$(setting marketing_rate_per_minute)
SINK_PID= RUNNER_PID=

sink_start() { # LOG DIR [--delay S]
	log=$1 dir=$2
	shift 2
	: >"$log"
	$PY "$TOP/tests/e2e/marketing_sink.py" 127.0.0.1 "$SINK_PORT" "$log" --save "$dir" "$@" >"$TMP/sink.out" 2>&1 &
	SINK_PID=$!
	for _ in $(seq 1 100); do grep -q ready "$TMP/sink.out" 2>/dev/null && return; sleep 0.05; done
	fail "email: the SMTP sink did not start: $(cat "$TMP/sink.out")"
}
sink_stop() {
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
	SINK_PID=
}
stack_runner() {
	setsid $MKT jobs --pidfile "$STACK_PIDF" </dev/null >>"$CRM_E2E_DIR/log/crm-marketing-jobs.log" 2>&1 &
}
set_setting() { $SQL -e "UPDATE settings SET value = '$2' WHERE name = '$1'"; }
cleanup() {
	sink_stop
	[ -n "$RUNNER_PID" ] && kill -9 "$RUNNER_PID" 2>/dev/null
	set_setting smtp_relay "$OLD_RELAY"
	set_setting public_url "$OLD_PUB"
	set_setting marketing_from "$OLD_FROM"
	set_setting marketing_rate_per_minute "$OLD_RATE"
	[ -n "$STACK_RUNNER" ] && stack_runner
	rm -rf "$TMP"
}
trap cleanup EXIT
once() { $MKT jobs --once >>"$TMP/runner.log" 2>&1; }

# The stack's own runner would race this script's --once runs.
STACK_RUNNER=
if [ -f "$STACK_PIDF" ] && kill -0 "$(cat "$STACK_PIDF")" 2>/dev/null; then
	kill -TERM "$(cat "$STACK_PIDF")"
	for _ in $(seq 1 100); do [ -f "$STACK_PIDF" ] || break; sleep 0.05; done
	STACK_RUNNER=1
fi
set_setting smtp_relay "127.0.0.1:$SINK_PORT"
set_setting public_url "$PUB/"
set_setting marketing_from "news-$RUN@example.com"
set_setting marketing_rate_per_minute 100000

for who in ada:admin mo:marketing sam:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-me$RUN@example.com" --name "${who%%:*} me$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-me$RUN@example.com"
done
mo_id=$($SQL -e "SELECT id FROM users WHERE email = 'mo-me$RUN@example.com'")
ada_id=$($SQL -e "SELECT id FROM users WHERE email = 'ada-me$RUN@example.com'")

# post JAR PAGE PATH args...: a form posted with the token of PAGE.
post() {
	jar=$1 page=$2 path=$3
	shift 3
	curl -s -b "$TMP/$jar" "$BASE$page" -o "$TMP/t.html"
	STATUS=$(curl -s -b "$TMP/$jar" -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" "$@" "$BASE$path")
}
location() { grep -i '^location:' "$TMP/h" | sed 's/^[Ll]ocation: *//' | tr -d '\r'; }

# Contacts of this run, each a case: who gets mail and who is skipped.
acct=$($SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Acme $RUN', $mo_id); SELECT LAST_INSERT_ID()")
contact() { # NAME LAST EMAIL CONSENT [more columns=values]
	$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, consent_email, city, account_id, owner_id)
		VALUES ('$1', '$2', CONCAT('$1 ', '$2'), '$3', LOWER('$3'), $4, 'Springfield', $acct, $mo_id); SELECT LAST_INSERT_ID()"
}
ann=$(contact Ann Lee "ann-me$RUN@example.org" 1)
bob=$(contact Bob "O''Brien <&>" "bob-me$RUN@example.org" 1)
cid=$(contact Cid Ng "cid-me$RUN@example.org" 0)
dee=$(contact Dee Ho "dee-me$RUN@example.org" 1)
eve=$(contact Eve Wu "eve-me$RUN@example.org" 0)
fay=$(contact Fay Li "" 1)
gus=$(contact Gus Yu "gus-me$RUN@example.org" 1)
$SQL -e "UPDATE contacts SET email_bounced_at = UTC_TIMESTAMP() WHERE id = $dee;
	UPDATE contacts SET erased_at = UTC_TIMESTAMP() WHERE id = $gus"
field=$($SQL -e "INSERT INTO custom_fields (entity, label, type) VALUES ('contact', 'Tier me$RUN', 'text'); SELECT LAST_INSERT_ID()")
$SQL -e "INSERT INTO custom_values (entity, record_id, field_id, value_text) VALUES ('contact', $ann, $field, 'Gold'), ('contact', $bob, $field, 'Silver')"
campaign() { # NAME
	$SQL -e "INSERT INTO campaigns (name, type, status, currency, owner_id) VALUES ('$1', 'email', 'active', 'USD', $mo_id); SELECT LAST_INSERT_ID()"
}
camp=$(campaign "Spring me$RUN")
prev=$(campaign "Winter me$RUN")
for c in $ann $bob $cid $dee $eve $fay $gus; do $SQL -e "INSERT INTO campaign_members (campaign_id, contact_id) VALUES ($camp, $c)"; done
# Eve unsubscribed from an earlier campaign.
$SQL -e "INSERT INTO campaign_members (campaign_id, contact_id, status, unsubscribed_at) VALUES ($prev, $eve, 'unsubscribed', UTC_TIMESTAMP())"

# --- Templates -------------------------------------------------------
expect_status "email: a sales user may not see the templates" 403 -b "$TMP/sam" "$BASE/marketing/templates"
expect_status "email: a marketer sees the templates" 200 -b "$TMP/mo" "$BASE/marketing/templates"
expect_valid_html "email: the template list is valid HTML"
expect_status "email: the new template form" 200 -b "$TMP/mo" "$BASE/marketing/templates/new"
expect_valid_html "email: ... is valid HTML"
expect_body "email: ... lists the custom field as a merge field" "\{\{custom.tier_me$RUN\}\}"
HTML='<html><body><p>Dear {{contact.first_name}} {{contact.last_name}} of {{account.name}} ({{custom.tier_me'$RUN'}}),</p>
<p><a href="https://example.org/offer?a=1&amp;b=2">Our offer</a> and <a href="http://example.org/shop">the shop</a>.</p>
<p>{{owner.name}}</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>'
TEXT='Dear {{contact.first_name}} {{contact.last_name}} of {{account.name}} ({{custom.tier_me'$RUN'}}),
Our offer: https://example.org/offer?a=1&b=2.
Only here: https://example.org/text-only
{{owner.name}}
Unsubscribe: {{unsubscribe_url}}'
SUBJ='Hello {{contact.first_name}} from {{account.name}}'
post sam /marketing/templates /marketing/templates --data-urlencode "name=T me$RUN" --data-urlencode "subject=$SUBJ" --data-urlencode "body_html=$HTML" --data-urlencode "body_text=$TEXT"
[ "$STATUS" = 403 ] && ok "email: a sales user may not create a template" || fail "email: sales create: $STATUS"
post mo /marketing/templates/new /marketing/templates --data-urlencode "name=Spring me$RUN" --data-urlencode "subject=$SUBJ" --data-urlencode "body_html=$HTML" --data-urlencode "body_text=$TEXT"
tpl=$(location | sed 's|.*/marketing/templates/||; s|?.*||')
[ "$STATUS" = 303 ] && [ -n "$tpl" ] && ok "email: a marketer creates a template" || fail "email: create: $STATUS $(head -c 300 "$TMP/b")"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'email_template' AND entity_id = '$tpl' AND action = 'create'")" = 1 ] &&
	ok "email: ... audited" || fail "email: create not audited"
n0=$($SQL -e "SELECT COUNT(*) FROM email_templates")
post mo /marketing/templates/new /marketing/templates --data-urlencode "name=Raw me$RUN" --data-urlencode "subject=x" --data-urlencode "body_html=<p>{{{contact.first_name}}}</p>" -d body_text=x
[ "$STATUS" = 422 ] && grep -q 'id="error-body_html"' "$TMP/b" && ok "email: a raw {{{merge field}}} in the HTML body is refused" || fail "email: raw: $STATUS"
post mo /marketing/templates/new /marketing/templates --data-urlencode "name=Bad me$RUN" --data-urlencode "subject=x" --data-urlencode "body_html=<p>{{#contact}}x</p>" -d body_text=x
[ "$STATUS" = 422 ] && grep -q 'id="template-error"' "$TMP/b" && ok "email: a template that does not compile is refused" || fail "email: bad: $STATUS"
post mo /marketing/templates/new /marketing/templates --data-urlencode "name=Spring me$RUN" -d subject=x -d body_html=x -d body_text=x
[ "$STATUS" = 409 ] && ok "email: a second template of the same name is a 409" || fail "email: dup: $STATUS"
post mo /marketing/templates/new /marketing/templates -d name= -d subject=x -d body_html=x -d body_text=x
[ "$STATUS" = 422 ] && grep -q 'id="error-name"' "$TMP/b" && ok "email: a template without a name is refused" || fail "email: no name: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM email_templates")" = "$n0" ] && ok "email: ... and none of them was saved" || fail "email: a refused template was saved"
expect_status "email: the template's page" 200 -b "$TMP/mo" "$BASE/marketing/templates/$tpl"
expect_valid_html "email: ... is valid HTML"
expect_status "email: a missing template is a 404" 404 -b "$TMP/mo" "$BASE/marketing/templates/999999999"
expect_status "email: the templates as JSON" 200 -b "$TMP/mo" "$BASE/api/v1/marketing/templates"
grep -q "\"Spring me$RUN\"" "$TMP/b" && ok "email: ... include the new one" || fail "email: JSON: $(head -c 200 "$TMP/b")"

# --- Preview ---------------------------------------------------------
expect_status "email: the preview for a contact chosen by address" 200 -b "$TMP/mo" "$BASE/marketing/templates/$tpl/preview?contact=bob-me$RUN@example.org"
expect_valid_html "email: ... is valid HTML"
expect_body "email: ... the subject merged" "id=\"preview-subject\">Hello Bob from Acme $RUN<"
grep -A3 'id="preview-text"' "$TMP/b" | grep -qF "Dear Bob O&#39;Brien &lt;&amp;&gt; of Acme $RUN (Silver)," &&
	ok "email: ... the text part merged, the name as it is (escaped once by the page)" || fail "email: preview text: $(grep -A2 preview-text "$TMP/b")"
grep -A3 'id="preview-html-source"' "$TMP/b" | grep -qF "Bob O&amp;#39;Brien &amp;lt;&amp;amp;&amp;gt;" &&
	ok "email: ... the HTML part merged with the name escaped" || fail "email: preview html: $(grep -A2 preview-html-source "$TMP/b")"
grep -q '<iframe id="preview-html"[^>]* sandbox="" srcdoc="&lt;html&gt;' "$TMP/b" && ok "email: ... shown in a sandboxed iframe" || fail "email: no sandboxed iframe"
grep -q "<&>" "$TMP/b" && fail "email: raw markup from a contact on the page" || ok "email: ... and no contact's markup reaches the page raw"
expect_status "email: the preview with a sample contact" 200 -b "$TMP/mo" "$BASE/marketing/templates/$tpl/preview"
expect_body "email: ... says so" 'id="preview-sample"'
expect_status "email: the preview for an unknown contact is a 422" 422 -b "$TMP/mo" "$BASE/marketing/templates/$tpl/preview?contact=nobody-$RUN@example.org"

# --- Test send to oneself ----------------------------------------------
mkdir -p "$TMP/in0"
sink_start "$TMP/s0.log" "$TMP/in0"
post mo "/marketing/templates/$tpl" "/marketing/templates/$tpl/test" -d "contact=$ann"
[ "$STATUS" = 303 ] && ok "email: a test send is queued" || fail "email: test send: $STATUS $(head -c 200 "$TMP/b")"
[ "$($SQL -e "SELECT CONCAT(to_addr, '|', status) FROM email_test_sends WHERE template_id = $tpl")" = "mo-me$RUN@example.com|queued" ] &&
	ok "email: ... to the user's own address, waiting for the runner" || fail "email: test row: $($SQL -e "SELECT to_addr, status FROM email_test_sends WHERE template_id = $tpl")"
[ ! -s "$TMP/s0.log" ] && ok "email: ... and the request sent nothing itself" || fail "email: the request sent mail"
once
[ "$($SQL -e "SELECT status FROM email_test_sends WHERE template_id = $tpl")" = sent ] && ok "email: the runner sends the test" || fail "email: test status: $($SQL -e "SELECT status, last_error FROM email_test_sends WHERE template_id = $tpl")"
grep -q "mo-me$RUN@example.com" "$TMP/s0.log" && grep -q "^Subject: Hello Ann from Acme $RUN" "$TMP"/in0/1.eml && ok "email: ... the sink got it, merged for Ann" || fail "email: test mail: $(cat "$TMP/s0.log")"
sink_stop

# --- Who gets the send --------------------------------------------------
expect_status "email: the send page" 200 -b "$TMP/mo" "$BASE/marketing/campaigns/$camp/send"
expect_valid_html "email: ... is valid HTML"
cnt() { grep -o "id=\"$1\">[0-9]*" "$TMP/b" | grep -o '[0-9]*$'; }
[ "$(cnt will-get)" = 2 ] && [ "$(cnt skipped)" = 5 ] && ok "email: 2 members will get it, 5 are skipped" || fail "email: audience $(cnt will-get)/$(cnt skipped)"
[ "$(cnt skip-no_consent)|$(cnt skip-unsubscribed)|$(cnt skip-bounced)|$(cnt skip-no_address)|$(cnt skip-erased)" = "1|1|1|1|1" ] &&
	ok "email: ... each skip with its reason" || fail "email: reasons: $(grep -o 'id="skip-[a-z_]*">[0-9]*' "$TMP/b" | tr '\n' ' ')"
expect_status "email: a sales user may not see the send page" 403 -b "$TMP/sam" "$BASE/marketing/campaigns/$camp/send"
post mo "/marketing/campaigns/$camp/send" "/marketing/campaigns/$camp/send" -d template_id=999999999
[ "$STATUS" = 422 ] && ok "email: a send without a valid template is refused" || fail "email: bad template: $STATUS"

# --- The send ----------------------------------------------------------
mkdir -p "$TMP/in1"
sink_start "$TMP/s1.log" "$TMP/in1"
post mo "/marketing/campaigns/$camp/send" "/marketing/campaigns/$camp/send" -d "template_id=$tpl"
send=$(location | sed 's|.*/marketing/sends/||; s|?.*||')
[ "$STATUS" = 303 ] && [ -n "$send" ] && ok "email: the send starts" || fail "email: start: $STATUS $(head -c 300 "$TMP/b")"
[ "$($SQL -e "SELECT CONCAT(status, '|', total, '|', skipped, '|', sent) FROM campaign_sends WHERE id = $send")" = "queued|7|5|0" ] &&
	ok "email: ... queued, 7 members of which 5 skipped" || fail "email: send row: $($SQL -e "SELECT status, total, skipped FROM campaign_sends WHERE id = $send")"
[ "$($SQL -e "SELECT GROUP_CONCAT(CONCAT(contact_id, ':', status, ':', skip_reason) ORDER BY contact_id) FROM campaign_messages WHERE send_id = $send")" = \
  "$ann:queued:,$bob:queued:,$cid:skipped:no_consent,$dee:skipped:bounced,$eve:skipped:unsubscribed,$fay:skipped:no_address,$gus:skipped:erased" ] &&
	ok "email: ... one message row per member, queued or skipped with its reason" || fail "email: rows: $($SQL -e "SELECT GROUP_CONCAT(CONCAT(contact_id, ':', status, ':', skip_reason)) FROM campaign_messages WHERE send_id = $send")"
[ "$($SQL -e "SELECT COUNT(DISTINCT token) FROM campaign_messages WHERE send_id = $send AND token REGEXP '^[A-Za-z0-9_-]{43}\$'")" = 7 ] &&
	ok "email: ... each with its own 43-character token" || fail "email: tokens"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = $camp AND action = 'send_start'")" = 1 ] &&
	ok "email: ... audited" || fail "email: send not audited"
post mo "/marketing/campaigns/$camp/send" "/marketing/campaigns/$camp/send" -d "template_id=$tpl"
[ "$STATUS" = 409 ] && ok "email: a second send while one is open is a 409" || fail "email: second send: $STATUS"
expect_status "email: the progress page" 200 -b "$TMP/mo" "$BASE/marketing/sends/$send"
expect_valid_html "email: ... is valid HTML"
expect_body "email: ... with a progress bar" '<progress id="send-progress" max="100" value="71"'
once
[ "$($SQL -e "SELECT CONCAT(status, '|', sent, '|', failed) FROM campaign_sends WHERE id = $send")" = "done|2|0" ] &&
	ok "email: the runner sends it: done, 2 sent" || fail "email: after: $($SQL -e "SELECT status, sent, failed, last_error FROM campaign_sends WHERE id = $send")"
[ "$($SQL -e "SELECT GROUP_CONCAT(CONCAT(status, ':', sent_at IS NOT NULL) ORDER BY contact_id) FROM campaign_members WHERE campaign_id = $camp AND contact_id IN ($ann, $bob)")" = "sent:1,sent:1" ] &&
	ok "email: ... the members are marked sent" || fail "email: members"
[ "$(cut -f2 "$TMP/s1.log" | sort | tr '\n' ' ')" = "ann-me$RUN@example.org bob-me$RUN@example.org " ] &&
	ok "email: the sink got exactly the two consenting members: nothing to the unconsented, unsubscribed, bounced or erased" || fail "email: recipients: $(cat "$TMP/s1.log")"
tokens=$($SQL -e "SELECT GROUP_CONCAT(CONCAT(to_addr, '=', id, '=', token)) FROM campaign_messages WHERE send_id = $send AND status = 'sent'")
# Each message as a reader's mail program sees it.
$PY - "$TMP/in1" "$PUB" "$tokens" "$send" "$RUN" "Acme $RUN" "mo me$RUN" >"$TMP/check1" 2>&1 <<'PY'
import email, email.policy, glob, re, sys
d, pub, tokens, send, run, acct, owner = sys.argv[1:]
tok = {t.split("=")[0]: (t.split("=")[1], t.split("=")[2]) for t in tokens.split(",")}
want = {"ann": ("Ann", "Lee", "Gold"), "bob": ("Bob", "O'Brien <&>", "Silver")}
for f in sorted(glob.glob(d + "/*.eml")):
    raw = open(f, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    to = m["To"]
    who = to.split("-")[0]
    mid, t = tok[to]
    first, last, tier = want[who]
    def check(name, cond):
        print(("ok" if cond else "FAIL") + " - email: %s: %s" % (who, name))
    check("Message-ID comes from the message row", m["Message-ID"] == "<crm.mkt.%s.%s@example.com>" % (send, mid))
    check("the subject merged", m["Subject"] == "Hello %s from %s" % (first, acct))
    check("List-Unsubscribe is the https one-click link", m["List-Unsubscribe"] == "<%s/u/%s>" % (pub, t))
    check("List-Unsubscribe-Post is One-Click (RFC 8058)", m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
    check("multipart/alternative", m.get_content_type() == "multipart/alternative")
    text = m.get_body(("plain",)).get_content()
    html = m.get_body(("html",)).get_content()
    check("a text/plain and a text/html part", text and html)
    check("the text part merged, the name as it is", "Dear %s %s of %s (%s)," % (first, last, acct, tier) in text)
    esc = last.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
    check("the HTML part merged, the name escaped", "Dear %s %s of %s (%s)," % (first, esc, acct, tier) in html)
    check("the owner's name", owner in text and owner in html)
    check("no original link is left", "example.org" not in text and "example.org" not in html)
    links_t = re.findall(re.escape(pub) + r"/r/([A-Za-z0-9_-]{22})\?m=([A-Za-z0-9_-]{43})", text)
    links_h = re.findall(re.escape(pub) + r"/r/([A-Za-z0-9_-]{22})\?m=([A-Za-z0-9_-]{43})", html)
    check("the text part's two links are tracked with the message's token", len(links_t) == 2 and all(x[1] == t for x in links_t))
    check("the HTML part's two links are tracked with the message's token", len(links_h) == 2 and all(x[1] == t for x in links_h))
    check("the same target has the same tracked link in both parts", links_t[0][0] == links_h[0][0])
    print("links:%s:%s" % (who, " ".join(sorted(set(x[0] for x in links_t + links_h)))))
    check("the open pixel before </body>", ('<img src="%s/r/o/%s" width="1" height="1" alt=""></body>' % (pub, t)) in html)
    check("the unsubscribe link in the text part", "Unsubscribe: %s/u/%s" % (pub, t) in text)
    check("the unsubscribe link in the HTML part", 'href="%s/u/%s"' % (pub, t) in html)
PY
grep -v '^links:' "$TMP/check1"
[ "$(grep -c '^ok' "$TMP/check1")" = 32 ] && ok "email: every check of both messages ran and passed" || fail "email: message checks: $(grep -c '^ok' "$TMP/check1") of 32: $(grep -v '^ok\|^links:' "$TMP/check1" | head -5)"
[ "$($SQL -e "SELECT GROUP_CONCAT(url ORDER BY url SEPARATOR ' ') FROM tracked_links WHERE campaign_id = $camp")" = \
  "http://example.org/shop https://example.org/offer?a=1&b=2 https://example.org/text-only" ] &&
	ok "email: the campaign's tracked links hold the targets (&amp; read as &)" || fail "email: links: $($SQL -e "SELECT GROUP_CONCAT(url) FROM tracked_links WHERE campaign_id = $camp")"
for l in $(grep '^links:ann' "$TMP/check1" | cut -d: -f3); do
	[ "$($SQL -e "SELECT COUNT(*) FROM tracked_links WHERE campaign_id = $camp AND token = '$l'")" = 1 ] || fail "email: link $l is not the campaign's"
done
sink_stop

# --- Unsubscribing without signing in ----------------------------------
ann_tok=$($SQL -e "SELECT token FROM campaign_messages WHERE send_id = $send AND contact_id = $ann")
bob_tok=$($SQL -e "SELECT token FROM campaign_messages WHERE send_id = $send AND contact_id = $bob")
expect_status "email: the unsubscribe page opens without signing in" 200 "$BASE/u/$ann_tok"
expect_valid_html "email: ... is valid HTML"
expect_body "email: ... names the address and asks to confirm" "ann-me$RUN@example.org.*|id=\"unsubscribe-confirm\""
grep -q 'id="unsubscribe-confirm"' "$TMP/b" && ok "email: ... with a confirm button" || fail "email: no button"
[ "$($SQL -e "SELECT consent_email FROM contacts WHERE id = $ann")" = 1 ] && ok "email: ... and opening it changes nothing" || fail "email: GET unsubscribed"
expect_status "email: a made-up token is a 404" 404 "$BASE/u/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_status "email: ... and so is a malformed one" 404 "$BASE/u/x"
expect_status "email: a one-click POST from a mail program (no session, no form token)" 200 -H 'Content-Type: application/x-www-form-urlencoded' -d 'List-Unsubscribe=One-Click' "$BASE/u/$ann_tok"
expect_body "email: ... says it is done" 'id="unsubscribed"'
[ "$($SQL -e "SELECT consent_email FROM contacts WHERE id = $ann")" = 0 ] && ok "email: ... consent to e-mail is withdrawn" || fail "email: consent still on"
[ "$($SQL -e "SELECT CONCAT(granted, '|', source, '|', recorded_by IS NULL) FROM consents WHERE contact_id = $ann AND purpose = 'email'")" = "0|unsubscribe_link|1" ] &&
	ok "email: ... recorded as the contact's own withdrawal by the link" || fail "email: consent row: $($SQL -e "SELECT granted, source FROM consents WHERE contact_id = $ann")"
[ "$($SQL -e "SELECT CONCAT(status, '|', unsubscribed_at IS NOT NULL) FROM campaign_members WHERE campaign_id = $camp AND contact_id = $ann")" = "unsubscribed|1" ] &&
	ok "email: ... the member is unsubscribed" || fail "email: member not unsubscribed"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact' AND entity_id = $ann AND action = 'consent_withdraw'")" = 1 ] &&
	ok "email: ... audited" || fail "email: unsubscribe not audited"
expect_status "email: unsubscribing twice is fine" 200 -d 'List-Unsubscribe=One-Click' "$BASE/u/$ann_tok"
[ "$($SQL -e "SELECT COUNT(*) FROM consents WHERE contact_id = $ann")" = 1 ] && ok "email: ... and records nothing twice" || fail "email: second consent row"
expect_status "email: a POST to a made-up token is a 404" 404 -d 'List-Unsubscribe=One-Click' "$BASE/u/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_status "email: the page after unsubscribing says so" 200 "$BASE/u/$ann_tok"
expect_body "email: ... without a button" 'id="unsubscribed"'

# --- Bounces -----------------------------------------------------------
expect_status "email: a sales user may not record bounces" 403 -b "$TMP/sam" "$BASE/marketing/bounces"
expect_status "email: the bounce page" 200 -b "$TMP/mo" "$BASE/marketing/bounces"
expect_valid_html "email: ... is valid HTML"
post mo /marketing/bounces /marketing/bounces -d "what=$bob_tok"
[ "$STATUS" = 303 ] && ok "email: a bounce recorded by the message's token" || fail "email: bounce: $STATUS $(head -c 200 "$TMP/b")"
[ "$($SQL -e "SELECT status FROM campaign_messages WHERE token = '$bob_tok'")" = bounced ] && ok "email: ... the message is bounced" || fail "email: message not bounced"
[ "$($SQL -e "SELECT email_bounced_at IS NOT NULL FROM contacts WHERE id = $bob")" = 1 ] && ok "email: ... the contact's address is marked bounced" || fail "email: contact not bounced"
[ "$($SQL -e "SELECT CONCAT(status, '|', bounced_at IS NOT NULL) FROM campaign_members WHERE campaign_id = $camp AND contact_id = $bob")" = "bounced|1" ] &&
	ok "email: ... and the member" || fail "email: member not bounced"
post mo /marketing/bounces /marketing/bounces -d "what=nobody-$RUN@example.org"
[ "$STATUS" = 422 ] && ok "email: a bounce for an unknown address is refused" || fail "email: unknown bounce: $STATUS"
post mo /marketing/bounces /marketing/bounces -d "what=nonsense"
[ "$STATUS" = 422 ] && ok "email: ... and one that is neither an address nor a token" || fail "email: nonsense bounce: $STATUS"

# The next send skips both.
hal=$(contact Hal Ko "hal-me$RUN@example.org" 1)
$SQL -e "INSERT INTO campaign_members (campaign_id, contact_id) VALUES ($camp, $hal)"
mkdir -p "$TMP/in2"
sink_start "$TMP/s2.log" "$TMP/in2"
post mo "/marketing/campaigns/$camp/send" "/marketing/campaigns/$camp/send" -d "template_id=$tpl"
send2=$(location | sed 's|.*/marketing/sends/||; s|?.*||')
[ "$($SQL -e "SELECT GROUP_CONCAT(CONCAT(status, ':', skip_reason) ORDER BY contact_id) FROM campaign_messages WHERE send_id = $send2 AND contact_id IN ($ann, $bob, $hal)")" = "skipped:unsubscribed,skipped:bounced,queued:" ] &&
	ok "email: the next send skips the unsubscribed and the bounced" || fail "email: next send: $($SQL -e "SELECT GROUP_CONCAT(CONCAT(contact_id, status, skip_reason)) FROM campaign_messages WHERE send_id = $send2")"
once
[ "$(cut -f2 "$TMP/s2.log")" = "hal-me$RUN@example.org" ] && ok "email: ... and only the new member gets it" || fail "email: second send went to: $(cat "$TMP/s2.log")"

# --- Pause, resume, cancel ------------------------------------------------
big=$(campaign "Big me$RUN")
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, consent_email, owner_id)
	SELECT 'P', CONCAT('n', seq), CONCAT('P n', seq), CONCAT('p', seq, '-me$RUN@example.org'), CONCAT('p', seq, '-me$RUN@example.org'), 1, $mo_id FROM seq_1_to_30;
	INSERT INTO campaign_members (campaign_id, contact_id) SELECT $big, id FROM contacts WHERE email_norm LIKE 'p%-me$RUN@example.org'"
post mo "/marketing/campaigns/$big/send" "/marketing/campaigns/$big/send" -d "template_id=$tpl"
send3=$(location | sed 's|.*/marketing/sends/||; s|?.*||')
post sam "/marketing/sends/$send3" "/marketing/sends/$send3/pause"
[ "$STATUS" = 403 ] && ok "email: a sales user may not pause a send" || fail "email: sales pause: $STATUS"
post mo "/marketing/sends/$send3" "/marketing/sends/$send3/pause"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT status FROM campaign_sends WHERE id = $send3")" = paused ] && ok "email: a send is paused" || fail "email: pause: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign_send' AND entity_id = $send3 AND action = 'send_pause'")" = 1 ] && ok "email: ... audited" || fail "email: pause not audited"
: >"$TMP/s2.log"
once
[ ! -s "$TMP/s2.log" ] && [ "$($SQL -e "SELECT sent FROM campaign_sends WHERE id = $send3")" = 0 ] && ok "email: ... and the runner sends nothing of it" || fail "email: paused send went: $(wc -l < "$TMP/s2.log")"
expect_status "email: the paused send's page" 200 -b "$TMP/mo" "$BASE/marketing/sends/$send3"
expect_body "email: ... offers to resume" 'id="send-resume"'
post mo "/marketing/sends/$send3" "/marketing/sends/$send3/pause"
[ "$STATUS" = 409 ] && ok "email: pausing a paused send is a 409" || fail "email: pause twice: $STATUS"
post mo "/marketing/sends/$send3" "/marketing/sends/$send3/resume"
[ "$STATUS" = 303 ] && ok "email: the send is resumed" || fail "email: resume: $STATUS"
once
[ "$($SQL -e "SELECT CONCAT(status, '|', sent) FROM campaign_sends WHERE id = $send3")" = "done|30" ] && [ "$(wc -l < "$TMP/s2.log")" = 30 ] &&
	ok "email: ... and all 30 go out" || fail "email: after resume: $($SQL -e "SELECT status, sent FROM campaign_sends WHERE id = $send3") $(wc -l < "$TMP/s2.log")"
post mo "/marketing/sends/$send3" "/marketing/sends/$send3/cancel"
[ "$STATUS" = 409 ] && ok "email: a finished send cannot be cancelled" || fail "email: cancel done: $STATUS"
# A bounce by address: every contact with it is marked, and its latest message.
p1=$($SQL -e "SELECT id FROM contacts WHERE email_norm = 'p1-me$RUN@example.org'")
post ada /marketing/bounces /marketing/bounces -d "what=P1-me$RUN@Example.org"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(m.status, '|', c.email_bounced_at IS NOT NULL, '|', cm.status)
	FROM campaign_messages m JOIN contacts c ON c.id = m.contact_id JOIN campaign_members cm ON cm.campaign_id = m.campaign_id AND cm.contact_id = m.contact_id
	WHERE m.send_id = $send3 AND m.contact_id = $p1")" = "bounced|1|bounced" ] &&
	ok "email: an admin records a bounce by address (any case): message, contact and member marked" || fail "email: bounce by address: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE action = 'bounce' AND changes LIKE '%p1-me$RUN@example.org%'")" = 1 ] &&
	ok "email: ... audited" || fail "email: bounce not audited"
# Cancel: the rest of the send never goes.
$SQL -e "UPDATE contacts SET email_bounced_at = NULL WHERE id = $p1"
post mo "/marketing/campaigns/$big/send" "/marketing/campaigns/$big/send" -d "template_id=$tpl"
send3b=$(location | sed 's|.*/marketing/sends/||; s|?.*||')
post mo "/marketing/sends/$send3b" "/marketing/sends/$send3b/cancel"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(status, '|', finished_at IS NOT NULL) FROM campaign_sends WHERE id = $send3b")" = "cancelled|1" ] &&
	ok "email: an open send is cancelled" || fail "email: cancel: $STATUS"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign_send' AND entity_id = $send3b AND action = 'send_cancel'")" = 1 ] &&
	ok "email: ... audited" || fail "email: cancel not audited"
[ "$($SQL -e "SELECT CONCAT(COUNT(*), '|', SUM(status = 'skipped' AND skip_reason = 'cancelled')) FROM campaign_messages WHERE send_id = $send3b AND status NOT IN ('sent', 'failed')")" = "$($SQL -e "SELECT CONCAT(skipped, '|', skipped - (SELECT COUNT(*) FROM campaign_messages WHERE send_id = $send3b AND status = 'skipped' AND skip_reason <> 'cancelled')) FROM campaign_sends WHERE id = $send3b")" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM campaign_messages WHERE send_id = $send3b AND status = 'queued'")" = 0 ] &&
	ok "email: ... its queued messages are skipped as cancelled, and counted so" || fail "email: cancelled messages: $($SQL -e "SELECT status, skip_reason, COUNT(*) FROM campaign_messages WHERE send_id = $send3b GROUP BY 1, 2")"
: >"$TMP/s2.log"
once
[ ! -s "$TMP/s2.log" ] && ok "email: ... and the runner sends nothing of it" || fail "email: a cancelled send went out"
post mo "/marketing/sends/$send3b" "/marketing/sends/$send3b/resume"
[ "$STATUS" = 409 ] && ok "email: a cancelled send cannot be resumed" || fail "email: resume cancelled: $STATUS"
sink_stop

# --- Failures are retried with a backoff --------------------------------
one=$(campaign "Retry me$RUN")
$SQL -e "INSERT INTO campaign_members (campaign_id, contact_id) VALUES ($one, $hal)"
post mo "/marketing/campaigns/$one/send" "/marketing/campaigns/$one/send" -d "template_id=$tpl"
send4=$(location | sed 's|.*/marketing/sends/||; s|?.*||')
once      # no sink: the relay refuses the connection
[ "$($SQL -e "SELECT CONCAT(status, '|', attempts, '|', last_error <> '') FROM campaign_messages WHERE send_id = $send4")" = "queued|1|1" ] &&
	ok "email: with the relay down the message waits, with its error" || fail "email: down: $($SQL -e "SELECT status, attempts, last_error FROM campaign_messages WHERE send_id = $send4")"
d=$($SQL -e "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), next_attempt_at) FROM campaign_messages WHERE send_id = $send4")
[ "$d" -ge 50 ] && [ "$d" -le 61 ] && ok "email: ... retried in a minute" || fail "email: backoff $d s"
expect_status "email: the progress page shows the error" 200 -b "$TMP/mo" "$BASE/marketing/sends/$send4"
expect_body "email: ... as the send's last error" 'id="send-last-error"'
$SQL -e "UPDATE campaign_messages SET attempts = 4, next_attempt_at = UTC_TIMESTAMP() WHERE send_id = $send4"
once
[ "$($SQL -e "SELECT CONCAT(s.status, '|', s.failed, '|', m.status) FROM campaign_sends s JOIN campaign_messages m ON m.send_id = s.id WHERE s.id = $send4")" = "done|1|failed" ] &&
	ok "email: after the last attempt it is failed and counted" || fail "email: final failure: $($SQL -e "SELECT status, failed FROM campaign_sends WHERE id = $send4")"
expect_status "email: the progress page lists the failure" 200 -b "$TMP/mo" "$BASE/marketing/sends/$send4"
expect_body "email: ... with the address" "id=\"failure-[0-9]+\"><td>hal-me$RUN@example.org"

# --- kill -9 half way, then a restart -------------------------------------
N=200
kcamp=$(campaign "Kill me$RUN")
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, consent_email, owner_id)
	SELECT 'K', CONCAT('n', seq), CONCAT('K n', seq), CONCAT('k', seq, '-me$RUN@example.org'), CONCAT('k', seq, '-me$RUN@example.org'), 1, $mo_id FROM seq_1_to_$N;
	INSERT INTO campaign_members (campaign_id, contact_id) SELECT $kcamp, id FROM contacts WHERE email_norm LIKE 'k%-me$RUN@example.org'"
mkdir -p "$TMP/in3"
sink_start "$TMP/s3.log" "$TMP/in3" --delay 0.01
post mo "/marketing/campaigns/$kcamp/send" "/marketing/campaigns/$kcamp/send" -d "template_id=$tpl"
send5=$(location | sed 's|.*/marketing/sends/||; s|?.*||')
$MKT jobs --stale 2 >>"$TMP/runner.log" 2>&1 &
RUNNER_PID=$!
for _ in $(seq 1 200); do [ "$(wc -l < "$TMP/s3.log")" -ge 60 ] && break; sleep 0.05; done
{ kill -9 $RUNNER_PID; wait $RUNNER_PID; } 2>/dev/null
RUNNER_PID=
got=$(wc -l < "$TMP/s3.log")
sent=$($SQL -e "SELECT sent FROM campaign_sends WHERE id = $send5")
[ "$got" -ge 60 ] && [ "$got" -lt $N ] && ok "email: the runner was killed with -9 half way ($got of $N delivered, $sent recorded sent)" || fail "email: kill: $got delivered"
[ "$($SQL -e "SELECT COUNT(*) FROM campaign_messages WHERE send_id = $send5 AND status = 'sending'")" -le 1 ] &&
	ok "email: ... at most one message was in flight" || fail "email: in flight: $($SQL -e "SELECT COUNT(*) FROM campaign_messages WHERE send_id = $send5 AND status = 'sending'")"
# The window itself: a message the relay accepted whose 'sent' was never
# recorded (what a kill between the two leaves) is sent again, the same message.
win=$($SQL -e "SELECT id FROM campaign_messages WHERE send_id = $send5 AND status = 'sent' ORDER BY id LIMIT 1")
$SQL -e "UPDATE campaign_messages SET status = 'sending', heartbeat_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE id = $win;
	UPDATE campaign_sends SET sent = sent - 1 WHERE id = $send5"
$MKT jobs --stale 2 >>"$TMP/runner.log" 2>&1 &
RUNNER_PID=$!
for _ in $(seq 1 300); do [ "$($SQL -e "SELECT status FROM campaign_sends WHERE id = $send5")" = done ] && break; sleep 0.1; done
kill -TERM $RUNNER_PID
wait $RUNNER_PID 2>/dev/null
RUNNER_PID=
[ "$($SQL -e "SELECT CONCAT(status, '|', sent, '|', failed) FROM campaign_sends WHERE id = $send5")" = "done|$N|0" ] &&
	ok "email: after a restart the send is done: $N sent" || fail "email: after restart: $($SQL -e "SELECT status, sent, failed FROM campaign_sends WHERE id = $send5")"
grep "crm.mkt.$send5\." "$TMP/s3.log" | sort -u > "$TMP/s3.uniq"
[ "$(cut -f1 "$TMP/s3.uniq" | sort -u | wc -l)" = $N ] && ok "email: ... $N distinct Message-IDs reached the sink: none lost" || fail "email: distinct Message-IDs: $(cut -f1 "$TMP/s3.uniq" | sort -u | wc -l)"
[ "$(cut -f2 "$TMP/s3.uniq" | sort | uniq -d | wc -l)" = 0 ] && [ "$(cut -f2 "$TMP/s3.uniq" | sort -u | wc -l)" = $N ] &&
	ok "email: ... each of the $N recipients got exactly one message (one Message-ID)" || fail "email: recipients with two messages: $(cut -f2 "$TMP/s3.uniq" | sort | uniq -d | head -3)"
$SQL -e "SELECT id, to_addr FROM campaign_messages WHERE send_id = $send5" |
	awk -v s="$send5" '{ printf "<crm.mkt.%s.%s@example.com>\t%s\n", s, $1, $2 }' | sort > "$TMP/s3.want"
cmp -s "$TMP/s3.want" "$TMP/s3.uniq" && ok "email: ... and each message's Message-ID went to its own member" || fail "email: Message-ID/recipient pairs differ: $(diff "$TMP/s3.want" "$TMP/s3.uniq" | head -3)"
redelivered=$(( $(grep -c "crm.mkt.$send5\." "$TMP/s3.log") - N ))
[ "$(grep -c "<crm.mkt.$send5.$win@" "$TMP/s3.log")" = 2 ] && [ "$redelivered" -le 2 ] &&
	ok "email: the message of the window went twice with one Message-ID ($redelivered redelivered in all)" || fail "email: window: $(grep -c "<crm.mkt.$send5.$win@" "$TMP/s3.log") deliveries, $redelivered extra"
sink_stop

# The daemon stops on TERM and removes its pid file.
$MKT jobs --pidfile "$TMP/jobs.pid" >>"$TMP/runner.log" 2>&1 &
for _ in $(seq 1 50); do [ -f "$TMP/jobs.pid" ] && break; sleep 0.1; done
kill -TERM "$(cat "$TMP/jobs.pid" 2>/dev/null)" 2>/dev/null
for _ in $(seq 1 50); do [ -f "$TMP/jobs.pid" ] || break; sleep 0.1; done
[ ! -f "$TMP/jobs.pid" ] && ok "email: crm-marketing jobs stops on TERM" || fail "email: the runner did not stop"
