#!/bin/bash
# The service parts working together: a ticket from the public form goes
# through the assignment rules and gets its SLA due times; an agent's
# public reply queues a mail with the status link; pending pauses the SLA
# and the customer's answer resumes it; resolving issues the survey and
# mails its link; the ticket page suggests a matching article.
. "$(dirname "$0")/lib.sh"
IP=127.0.20.$(( $$ % 250 + 1 ))
IPF=127.0.21.$(( $$ % 250 + 1 ))
RUN=$$
PW='the parts meet here 8'
q() { $SQL -e "$1"; }
for who in amy:support bo:support ada:admin; do
	echo "$PW" | $CTL user add --email "${who%%:*}-fl$RUN@example.com" --name "${who%%:*} fl$RUN" --role "${who#*:}" --password-stdin >/dev/null
done
q "INSERT INTO teams (name) VALUES ('Flow fl$RUN')"
TEAM=$(q "SELECT id FROM teams WHERE name = 'Flow fl$RUN'")
q "UPDATE users SET team_id = $TEAM WHERE email IN ('amy-fl$RUN@example.com', 'bo-fl$RUN@example.com')"
AMY=$(q "SELECT id FROM users WHERE email = 'amy-fl$RUN@example.com'")
BO=$(q "SELECT id FROM users WHERE email = 'bo-fl$RUN@example.com'")
q "INSERT INTO ticket_categories (name, team_id) VALUES ('Flow fl$RUN', $TEAM)"
CAT=$(q "SELECT id FROM ticket_categories WHERE name = 'Flow fl$RUN'")
q "INSERT INTO ticket_rules (position, name, category_id, team_id, method) VALUES (-1000, 'Flow fl$RUN', $CAT, $TEAM, 'round_robin')"
for who in amy bo ada; do signin "$TMP/$who" "$who-fl$RUN@example.com"; done
q "INSERT INTO kb_articles (title, body, status, author_id, published_at) VALUES ('Espresso grinder jams fl$RUN', 'Clean the burrs.', 'published', $AMY, NOW())"
ART=$(q "SELECT id FROM kb_articles WHERE title = 'Espresso grinder jams fl$RUN'")
q "INSERT INTO kb_search (article_id, published, title, body) VALUES ($ART, 1, 'Espresso grinder jams fl$RUN', 'Clean the burrs.')"

# 1. The customer opens a ticket on the public form.
curl -s --interface $IPF -c "$TMP/cust" -b "$TMP/cust" "$BASE/service/new" -o "$TMP/form.html"
sleep 3
STATUS=$(curl -s --interface $IPF -c "$TMP/cust" -b "$TMP/cust" -o "$TMP/b" -w '%{http_code}' \
	--data-urlencode "csrf_token=$(csrf_of "$TMP/form.html")" \
	--data-urlencode "form_stamp=$(grep -o 'name="form_stamp" value="[^"]*"' "$TMP/form.html" | sed 's/.*value="//;s/"$//')" \
	--data-urlencode "name=Gus Grinder" --data-urlencode "email=gus.fl$RUN@example.com" \
	--data-urlencode "subject=Espresso grinder jams fl$RUN" -d category_id=$CAT \
	--data-urlencode "description=It stops after a second." -d website= "$BASE/service/new")
T=$(q "SELECT id FROM tickets WHERE subject = 'Espresso grinder jams fl$RUN'")
[ -n "$T" ] && ok "flow: the public form opens a ticket ($STATUS)" || fail "flow: no ticket: $STATUS $(head -c 300 "$TMP/b")"
owner=$(q "SELECT owner_id FROM tickets WHERE id = '$T'")
{ [ "$owner" = "$AMY" ] || [ "$owner" = "$BO" ]; } && [ "$(q "SELECT team_id FROM tickets WHERE id = '$T'")" = "$TEAM" ] &&
	ok "flow: ... assigned by the category's rule to an agent of its team" || fail "flow: owner $owner, team $(q "SELECT team_id FROM tickets WHERE id = '$T'")"
[ "$(q "SELECT sla_policy_id IS NOT NULL AND first_response_due > created_at AND resolution_due > first_response_due FROM tickets WHERE id = '$T'")" = 1 ] &&
	ok "flow: ... with its SLA due times" || fail "flow: due times: $(q "SELECT sla_policy_id, first_response_due, resolution_due FROM tickets WHERE id = '$T'")"
AGENT=amy; [ "$owner" = "$BO" ] && AGENT=bo
LINK=$(q "SELECT public_token FROM tickets WHERE id = '$T'")

# 2. The agent's page: time left and a matching article.
expect_status "flow: the agent opens the ticket" 200 -b "$TMP/$AGENT" "$BASE/service/tickets/$T"
expect_body "flow: ... the time left to the first response" 'id="ticket-first-response-left">[^<]+<'
expect_body "flow: ... and the article that may help" "id=\"suggestion-$ART\""
expect_valid_html "flow: the ticket page is valid HTML"
TOK=$(csrf_of "$TMP/b")

# 3. A public reply: answered, and mailed with the status link.
fetch -b "$TMP/$AGENT" --data-urlencode "csrf_token=$TOK" -d kind=public --data-urlencode "body=Please clean the burrs fl$RUN." "$BASE/service/tickets/$T/messages"
[ "$STATUS" = 303 ] && ok "flow: the agent replies" || fail "flow: reply: $STATUS $(head -c 200 "$TMP/b")"
row=$(q "SELECT CONCAT(to_addr, '|', status, '|', LOCATE('/service/t/$LINK', body) > 0, '|', LOCATE('burrs fl$RUN', body) > 0) FROM mail_queue WHERE ticket_id = $T ORDER BY id LIMIT 1")
[ "$row" = "gus.fl$RUN@example.com|queued|1|1" ] && ok "flow: ... the reply is queued to the customer with the status link" || fail "flow: mail: $row"
fetch -b "$TMP/$AGENT" --data-urlencode "csrf_token=$TOK" -d kind=internal --data-urlencode "body=Burr set worn fl$RUN" "$BASE/service/tickets/$T/messages"
[ "$(q "SELECT COUNT(*) FROM mail_queue WHERE ticket_id = $T")" = 1 ] && ok "flow: an internal note mails nobody" || fail "flow: a note was mailed"

# 4. Pending pauses the clock; the customer's answer resumes it later.
edit() { # STATUS
	curl -s -b "$TMP/$AGENT" "$BASE/service/tickets/$T/edit" -o "$TMP/e.html"
	fetch -b "$TMP/$AGENT" --data-urlencode "csrf_token=$(csrf_of "$TMP/e.html")" \
		--data-urlencode "subject=Espresso grinder jams fl$RUN" -d category_id=$CAT -d priority=normal -d channel=web \
		-d status="$1" "$BASE/service/tickets/$T"
}
edit pending
[ "$STATUS" = 303 ] && [ "$(q "SELECT paused_at IS NOT NULL FROM tickets WHERE id = $T")" = 1 ] &&
	ok "flow: pending on the customer pauses the SLA" || fail "flow: pause: $STATUS $(head -c 200 "$TMP/b")"
expect_status "flow: the paused ticket's page" 200 -b "$TMP/$AGENT" "$BASE/service/tickets/$T"
expect_body "flow: ... says it waits for the customer" 'id="ticket-paused"'
before=$(q "SELECT resolution_due FROM tickets WHERE id = $T")
# The ticket has waited three working days (moved back in time).
q "UPDATE tickets SET paused_at = paused_at - INTERVAL 3 DAY WHERE id = $T"
curl -s -c "$TMP/cust" -b "$TMP/cust" "$BASE/service/t/$LINK" -o "$TMP/s.html"
fetch -c "$TMP/cust" -b "$TMP/cust" --data-urlencode "csrf_token=$(csrf_of "$TMP/s.html")" --data-urlencode "body=Cleaned, still jams." "$BASE/service/t/$LINK/reply"
row=$(q "SELECT CONCAT(status, '|', paused_at IS NULL, '|', paused_minutes > 0, '|', resolution_due > '$before') FROM tickets WHERE id = $T")
[ "$row" = "open|1|1|1" ] && ok "flow: the customer's answer reopens it and the due time moves by the wait" || fail "flow: resume: $row (was $before)"

# 5. Resolved: the survey is issued and its link mailed.
edit resolved
[ "$STATUS" = 303 ] && [ "$(q "SELECT csat_token IS NOT NULL FROM tickets WHERE id = $T")" = 1 ] &&
	ok "flow: resolving issues the survey" || fail "flow: resolve: $STATUS $(head -c 200 "$TMP/b")"
SURVEY=$(q "SELECT csat_token FROM tickets WHERE id = $T")
[ "$(q "SELECT COUNT(*) FROM mail_queue WHERE ticket_id = $T AND LOCATE('/service/s/$SURVEY', body) > 0")" = 1 ] &&
	ok "flow: ... and mails its link" || fail "flow: survey mail missing"
curl -s -c "$TMP/cust" -b "$TMP/cust" "$BASE/service/s/$SURVEY" -o "$TMP/v.html"
fetch -c "$TMP/cust" -b "$TMP/cust" --data-urlencode "csrf_token=$(csrf_of "$TMP/v.html")" -d score=5 --data-urlencode "comment=Works now" "$BASE/service/s/$SURVEY"
[ "$(q "SELECT CONCAT(score, '|', agent_id, '|', category_id) FROM csat_responses WHERE ticket_id = $T")" = "5|$owner|$CAT" ] &&
	ok "flow: the customer answers the survey, credited to the agent" || fail "flow: survey: $STATUS $(q "SELECT score, agent_id FROM csat_responses WHERE ticket_id = $T")"
edit open
edit resolved
[ "$(q "SELECT COUNT(*) FROM mail_queue WHERE ticket_id = $T AND body LIKE '%/service/s/%'")" = 1 ] &&
	ok "flow: resolving again asks no second time" || fail "flow: a second survey went out"

# 6. The runner flags tickets past their due times.
q "INSERT INTO tickets (subject, status, owner_id, first_response_due, resolution_due)
	VALUES ('Late fl$RUN', 'open', $AMY, UTC_TIMESTAMP() - INTERVAL 2 HOUR, UTC_TIMESTAMP() - INTERVAL 1 HOUR)"
"$TOP/cgi-bin/crm-service" --config "$CRM_E2E_DIR/crm.conf" jobs --once >/dev/null 2>&1
[ "$(q "SELECT CONCAT(first_response_breached, resolution_breached) FROM tickets WHERE subject = 'Late fl$RUN'")" = 11 ] &&
	ok "flow: crm-service jobs flags tickets past their due times" || fail "flow: breaches not flagged"
# This script's mail was to be checked, not sent: a later script turns a
# relay on and would deliver it.
q "DELETE FROM ticket_rules WHERE name = 'Flow fl$RUN'; DELETE FROM mail_queue WHERE ticket_id = $T"
