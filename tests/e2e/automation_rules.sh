#!/bin/bash
# Rules: permissions and CSRF, 422s for bad definitions (JSON and the
# plain form), each trigger (create, coming to match, delete, days before
# a date and after one), each action (set a field, assign to a user, round
# robin in a team and to the account's owner, a task, an e-mail from a
# template, a notification, a webhook), conditions that keep a record
# out, the edge (no second run while a record still matches), switching
# off, the loop limit with two rules that set a field back and forth, the
# run logs and the JSON API; then a real browser builds a rule and sees
# it fire (automation_rules_browser.mjs).
. "$(dirname "$0")/lib.sh"
IP=127.0.71.$(( $$ % 250 + 1 ))
RUN=$$
PW='rules that run 71'
RUNNER="$TOP/cgi-bin/crm-automation --config $CRM_E2E_DIR/crm.conf jobs --once"

for who in ada:admin mo:manager sam:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-r$RUN@example.com" --name "${who%%:*} r$RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-r$RUN@example.com"
done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-r$RUN@example.com'"; }
ada=$(uid ada)
mo=$(uid mo)
sam=$(uid sam)
# A team of two for round robin, and an account owned by sam.
$SQL -e "INSERT INTO teams (name) VALUES ('Rota $RUN')"
team=$($SQL -e "SELECT id FROM teams WHERE name = 'Rota $RUN'")
for who in t1 t2; do
	echo "$PW" | $CTL user add --email "$who-r$RUN@example.com" --name "$who r$RUN" --role support --password-stdin >/dev/null
	$SQL -e "UPDATE users SET team_id = $team WHERE email = '$who-r$RUN@example.com'"
done
t1=$(uid t1)
t2=$(uid t2)
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Acme $RUN', $sam)"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Acme $RUN'")
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, account_id, owner_id)
	VALUES ('Cleo', 'R$RUN', 'Cleo R$RUN', 'cleo-$RUN@example.com', 'cleo-$RUN@example.com', $acc, $sam)"
cleo=$($SQL -e "SELECT id FROM contacts WHERE full_name = 'Cleo R$RUN'")
$SQL -e "INSERT INTO email_templates (name, subject, body_html, body_text, owner_id) VALUES ('Thanks $RUN',
	'Hello {{contact.first_name}} about {{record.name}}', '<p>x</p>', 'Dear {{contact.full_name}}, rule {{rule.name}}.', $ada)"
tpl=$($SQL -e "SELECT id FROM email_templates WHERE name = 'Thanks $RUN'")
$SQL -e "INSERT INTO webhooks (name, url, events, secret) VALUES ('Hook $RUN', 'http://127.0.0.1:9/hook', 'rule.fired', 'sekrit$RUN')"
hook=$($SQL -e "SELECT id FROM webhooks WHERE name = 'Hook $RUN'")

# wait_for NAME SQL WANT: polls SQL until it prints WANT (20 s at most).
wait_for() {
	name=$1 q=$2 want=$3 got=
	for _ in $(seq 1 80); do
		got=$($SQL -e "$q")
		[ "$got" = "$want" ] && { ok "$name"; return 0; }
		sleep 0.25
	done
	fail "$name: got '$got', wanted '$want'"
	return 1
}
# The runner has read every change made so far.
caught_up() {
	last=$($SQL -e "SELECT MAX(id) FROM audit_log")
	for _ in $(seq 1 80); do
		[ "$($SQL -e "SELECT last_audit_id >= $last FROM automation_cursors WHERE name = 'rules'")" = 1 ] && return 0
		sleep 0.25
	done
	fail "rules: the runner did not catch up with change $last"
}

# Permissions, the pages, CSRF.
expect_status "rules: a sales user may not see the rules" 403 -b "$TMP/sam" "$BASE/automation/rules"
expect_status "rules: ... nor their API" 403 -b "$TMP/sam" "$BASE/api/v1/automation/rules"
expect_status "rules: a manager sees the rules" 200 -b "$TMP/mo" "$BASE/automation/rules"
expect_body "rules: ... in the automation navigation" 'href="/automation/rules" aria-current="page"'
expect_valid_html "rules: the list is valid HTML"
fetch -b "$TMP/ada" "$BASE/automation/rules/new?entity=tickets"
[ "$STATUS" = 200 ] && grep -q 'name="a0_type"' "$TMP/b" && grep -q 'name="c0_field"' "$TMP/b" &&
	grep -q '<option value="quotes"' "$TMP/b" && ok "rules: the form has condition and action rows, and quotes" ||
	fail "rules: form: $STATUS"
expect_valid_html "rules: the form is valid HTML"
T=$(csrf_of "$TMP/b")
expect_status "rules: a POST without the form token is refused" 403 -b "$TMP/ada" -d name=x -d entity=tickets "$BASE/automation/rules"
expect_status "rules: a sales user may not post a rule" 403 -b "$TMP/sam" --data-urlencode "csrf_token=$T" -d name=x "$BASE/automation/rules"

# api NAME JSON-DEFINITION: posts a rule as ada; $STATUS, and $rid when made.
api() {
	fetch -b "$TMP/ada" -H "X-CSRF-Token: $T" -H 'Content-Type: application/json' \
		--data "{\"name\":\"$1\",\"definition\":$2}" "$BASE/api/v1/automation/rules"
	rid=$($SQL -e "SELECT MAX(id) FROM rules WHERE name = '$1'")
}
bad() { # NAME KEY DEFINITION
	api "Bad $RUN" "$3"
	[ "$STATUS" = 422 ] && grep -q "\"$2\"" "$TMP/b" && [ "$rid" = NULL ] && ok "rules: 422 for $1" ||
		fail "rules: $1: $STATUS $(head -c 200 "$TMP/b")"
}
bad "an unknown entity" entity '{"entity":"users","trigger":"create","actions":[{"type":"notify"}]}'
bad "an unknown trigger" trigger '{"entity":"tickets","trigger":"sometimes","actions":[{"type":"notify"}]}'
bad "a time rule without a date" date_field '{"entity":"quotes","trigger":"time","offset_days":-7,"actions":[{"type":"notify"}]}'
bad "a date no index serves" date_field '{"entity":"contacts","trigger":"time","date_field":"birthday","actions":[{"type":"notify"}]}'
bad "an offset past a year" offset_days '{"entity":"quotes","trigger":"time","date_field":"valid_until","offset_days":400,"actions":[{"type":"notify"}]}'
bad "an unknown condition field" conditions '{"entity":"tickets","trigger":"create","conditions":[{"field":"x; DROP TABLE tickets","op":"eq","value":"1"}],"actions":[{"type":"notify"}]}'
bad "a wrong condition value" conditions '{"entity":"tickets","trigger":"create","conditions":[{"field":"priority","op":"eq","value":"whenever"}],"actions":[{"type":"notify"}]}'
bad "no action" actions '{"entity":"tickets","trigger":"create","actions":[]}'
bad "a field not on the whitelist" actions '{"entity":"tickets","trigger":"create","actions":[{"type":"set_field","field":"status","value":"closed"}]}'
bad "a value outside the field's choices" actions '{"entity":"tickets","trigger":"create","actions":[{"type":"set_field","field":"priority","value":"mega"}]}'
bad "changing a deleted record" actions '{"entity":"contacts","trigger":"delete","actions":[{"type":"assign","to":"user","user_id":1}]}'
bad "conditions on a deletion" conditions '{"entity":"contacts","trigger":"delete","conditions":[{"field":"city","op":"eq","value":"x"}],"actions":[{"type":"notify"}]}'
bad "an account owner where there is no account" actions '{"entity":"leads","trigger":"create","actions":[{"type":"assign","to":"account_owner"}]}'
bad "a user who does not exist" actions '{"entity":"tickets","trigger":"create","actions":[{"type":"notify","to":"user","user_id":999999999}]}'
bad "a template that does not exist" actions '{"entity":"tickets","trigger":"create","actions":[{"type":"email","template_id":999999999,"to":"owner"}]}'
bad "an e-mail to a user who does not exist" actions "{\"entity\":\"tickets\",\"trigger\":\"create\",\"actions\":[{\"type\":\"notify\"},{\"type\":\"email\",\"template_id\":$tpl,\"to\":\"user\",\"user_id\":999999999}]}"
grep -q 'Action 2' "$TMP/b" && ok "rules: ... naming the action's place" || fail "rules: the 422 does not name action 2"
bad "a webhook that does not exist" actions '{"entity":"tickets","trigger":"create","actions":[{"type":"webhook","webhook_id":999999999}]}'
bad "an unknown member" entity '{"entity":"tickets","trigger":"create","sql":"1","actions":[{"type":"notify"}]}'
expect_status "rules: the API refuses a body that is not an object (400)" 400 -b "$TMP/ada" -H "X-CSRF-Token: $T" \
	-H 'Content-Type: application/json' --data '[1]' "$BASE/api/v1/automation/rules"
# The plain form: a bad action row is named and marked, what was typed kept.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d entity=tickets -d "name=Form $RUN" -d trigger=create \
	-d c0_field=priority -d c0_op=eq -d c0_value=high -d a0_type=set_field -d a0_field=priority -d a0_value=mega "$BASE/automation/rules"
[ "$STATUS" = 422 ] && grep -q 'id="error-actions"' "$TMP/b" && grep -q 'class="rule-action row-error" id="action-a0"' "$TMP/b" &&
	grep -q 'value="Form '"$RUN"'"' "$TMP/b" && ok "rules: the form shows a bad action on its row, keeping what was typed" ||
	fail "rules: form 422: $STATUS"
expect_valid_html "rules: ... as valid HTML"

# Create: high tickets get a call for ada, and mo hears of it; a low
# ticket does not match.
api "Create $RUN" "{\"entity\":\"tickets\",\"trigger\":\"create\",
	\"conditions\":[{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"high\"},{\"field\":\"subject\",\"op\":\"starts_with\",\"value\":\"C$RUN\"}],
	\"actions\":[{\"type\":\"task\",\"kind\":\"call\",\"subject\":\"Call back $RUN\",\"due_days\":2,\"to\":\"user\",\"user_id\":$ada},
	{\"type\":\"notify\",\"to\":\"user\",\"user_id\":$mo}]}"
r_create=$rid
[ "$STATUS" = 303 ] && [ "$rid" != NULL ] && grep -qi "^location: /automation/rules?done=created" "$TMP/h" &&
	ok "rules: the API saves a rule (303)" || fail "rules: API create: $STATUS $(head -c 300 "$TMP/b")"
ticket() { # SUBJECT PRIORITY [more curl args]: a ticket through the service form
	s=$1 p=$2
	shift 2
	fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" --data-urlencode "subject=$s" -d "priority=$p" -d channel=phone "$@" "$BASE/service/tickets"
	$SQL -e "SELECT MAX(id) FROM tickets WHERE subject = '$s'"
}
edit_ticket() { # ID SUBJECT PRIORITY
	fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" --data-urlencode "subject=$2" -d "priority=$3" -d channel=phone \
		-d status=open "$BASE/service/tickets/$1"
	[ "$STATUS" = 303 ] || fail "rules: editing ticket $1: $STATUS"
}
low=$(ticket "C$RUN low" low)
high=$(ticket "C$RUN high" high)
wait_for "rules: create: a matching ticket gets its task" \
	"SELECT COUNT(*) FROM activities WHERE subject = 'Call back $RUN' AND kind = 'call' AND assignee_id = $ada AND DATE(at) = UTC_DATE() + INTERVAL 2 DAY" 1
wait_for "rules: create: ... and the chosen user a notification" \
	"SELECT COUNT(*) FROM notifications WHERE user_id = $mo AND kind = 'rule' AND entity = 'ticket' AND entity_id = $high AND title = 'Create $RUN: C$RUN high'" 1
[ "$($SQL -e "SELECT notify_unread FROM users WHERE id = $mo")" = 1 ] && ok "rules: ... counted unread on the user's row" ||
	fail "rules: unread count: $($SQL -e "SELECT notify_unread FROM users WHERE id = $mo")"
[ "$($SQL -e "SELECT COUNT(*) FROM rule_runs WHERE rule_id = $r_create")" = 1 ] &&
	[ "$($SQL -e "SELECT CONCAT(record_id, ' ', status, ' ', trigger_kind, ' ', depth) FROM rule_runs WHERE rule_id = $r_create")" = "$high done create 0" ] &&
	ok "rules: create: one run, for the matching ticket only" || fail "rules: create runs: $($SQL -e "SELECT record_id, status FROM rule_runs WHERE rule_id = $r_create")"
[ "$($SQL -e "SELECT depth FROM audit_log WHERE entity = 'activity' AND action = 'create' AND JSON_VALUE(changes, '$.after.subject') = 'Call back $RUN'")" = 1 ] &&
	ok "rules: the task's audit row is one level deeper than the change" || fail "rules: task audit depth"

# Coming to match: urgent tickets go round the team; a change that keeps
# a ticket urgent does not run the rule again; leaving and coming back does.
api "Urgent $RUN" "{\"entity\":\"tickets\",\"trigger\":\"update\",
	\"conditions\":[{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"urgent\"},{\"field\":\"subject\",\"op\":\"starts_with\",\"value\":\"U$RUN\"}],
	\"actions\":[{\"type\":\"assign\",\"to\":\"team\",\"team_id\":$team},{\"type\":\"set_field\",\"field\":\"priority\",\"value\":\"urgent\"}]}"
r_urgent=$rid
x=$(ticket "U$RUN x" normal)
y=$(ticket "U$RUN y" normal)
edit_ticket "$x" "U$RUN x" urgent
wait_for "rules: update: a ticket that becomes urgent is assigned to the team's first member" "SELECT owner_id FROM tickets WHERE id = $x" "$t1"
[ "$($SQL -e "SELECT CONCAT(action, ' ', depth, ' ', JSON_VALUE(changes, '$.after.owner_id')) FROM audit_log WHERE entity = 'ticket' AND entity_id = $x AND action = 'assign'")" = "assign 1 $t1" ] &&
	ok "rules: ... audited as an assignment one level deep" || fail "rules: assign audit"
edit_ticket "$x" "U$RUN x still" urgent
edit_ticket "$y" "U$RUN y" urgent
wait_for "rules: update: the next urgent ticket goes to the next member" "SELECT owner_id FROM tickets WHERE id = $y" "$t2"
[ "$($SQL -e "SELECT COUNT(*) FROM rule_runs WHERE rule_id = $r_urgent AND record_id = $x")" = 1 ] &&
	ok "rules: update: a ticket that stays urgent does not run the rule again" || fail "rules: edge: ran again"
grep -q . <<<"$($SQL -e "SELECT actions FROM rule_runs WHERE rule_id = $r_urgent AND record_id = $x")" &&
	[ "$($SQL -e "SELECT JSON_VALUE(actions, '\$[1].msg') FROM rule_runs WHERE rule_id = $r_urgent AND record_id = $x")" = "The field already had this value." ] &&
	ok "rules: the run log says a field already had its value" || fail "rules: set_field no-op log"
# The runner asks the record as it is when it reads the change: a record
# that left and came back before it looked has not left, for it.
edit_ticket "$x" "U$RUN x" normal
caught_up
edit_ticket "$x" "U$RUN x" urgent
wait_for "rules: update: leaving and coming back runs it again, round the team" \
	"SELECT CONCAT(COUNT(*), ' ', (SELECT owner_id FROM tickets WHERE id = $x)) FROM rule_runs WHERE rule_id = $r_urgent AND record_id = $x" "2 $t1"

# set_field, assign to the account's owner, e-mail to the contact.
api "Mail $RUN" "{\"entity\":\"tickets\",\"trigger\":\"create\",
	\"conditions\":[{\"field\":\"subject\",\"op\":\"starts_with\",\"value\":\"M$RUN\"}],
	\"actions\":[{\"type\":\"set_field\",\"field\":\"priority\",\"value\":\"high\"},{\"type\":\"assign\",\"to\":\"account_owner\"},
	{\"type\":\"email\",\"template_id\":$tpl,\"to\":\"contact\"},{\"type\":\"webhook\",\"webhook_id\":$hook}]}"
r_mail=$rid
m=$(ticket "M$RUN mail" low --data-urlencode "contact=Cleo R$RUN #$cleo")
wait_for "rules: e-mail: the template, filled in, is queued for the ticket's contact" \
	"SELECT CONCAT(to_addr, '|', subject, '|', body) FROM mail_queue WHERE ticket_id = $m" "cleo-$RUN@example.com|Hello Cleo about M$RUN mail|Dear Cleo R$RUN, rule Mail $RUN."
# The message was for this check only: out of the queue before the mail
# runner gives it to the next test's SMTP sink.
for _ in 1 2 3 4 5; do
	$SQL -e "DELETE FROM mail_queue WHERE ticket_id = $m AND status <> 'sending'"
	[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE ticket_id = $m")" = 0 ] && break
	sleep 1
done
# Outside their own ticket, a contact gets a template only with their
# consent to e-mail, as from a campaign; the run says why not.
api "Consent $RUN" "{\"entity\":\"contacts\",\"trigger\":\"create\",
	\"conditions\":[{\"field\":\"full_name\",\"op\":\"starts_with\",\"value\":\"Con$RUN\"}],
	\"actions\":[{\"type\":\"email\",\"template_id\":$tpl,\"to\":\"contact\"}]}"
r_consent=$rid
for who in yes no; do
	fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d "first_name=Con$RUN" -d "last_name=$who" \
		-d "email=con-$who-$RUN@example.com" $([ $who = yes ] && echo -d consent_email=1) "$BASE/customers/contacts"
done
wait_for "rules: e-mail: a contact who agreed gets it, one who did not gets none and the run log says why" \
	"SELECT CONCAT((SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'con-yes-$RUN@example.com'), ' ',
	 (SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'con-no-$RUN@example.com'), ' ',
	 COUNT(*)) FROM rule_runs WHERE rule_id = ${r_consent:-0} AND actions LIKE '%has not agreed to receive e-mail%'" "1 0 1"
for _ in 1 2 3 4 5; do
	$SQL -e "DELETE FROM mail_queue WHERE to_addr LIKE 'con-%-$RUN@example.com' AND status <> 'sending'"
	[ "$($SQL -e "SELECT COUNT(*) FROM mail_queue WHERE to_addr LIKE 'con-%-$RUN@example.com'")" = 0 ] && break
	sleep 1
done
[ "$($SQL -e "SELECT CONCAT(priority, ' ', owner_id) FROM tickets WHERE id = $m")" = "high $sam" ] &&
	ok "rules: set_field set the priority, and assign gave the ticket to its account's owner" ||
	fail "rules: set/assign: $($SQL -e "SELECT priority, owner_id FROM tickets WHERE id = $m")"
[ "$($SQL -e "SELECT CONCAT(event, ' ', JSON_VALUE(payload, '$.rule.name'), ' ', JSON_VALUE(payload, '$.record.id'), ' ', JSON_VALUE(payload, '$.event.action'))
	FROM webhook_deliveries WHERE webhook_id = $hook")" = "rule.fired Mail $RUN $m create" ] &&
	ok "rules: webhook: a delivery with the rule, the record and the event is queued" || fail "rules: webhook payload"
$SQL -e "SELECT payload FROM webhook_deliveries WHERE webhook_id = $hook" | grep -q "sekrit$RUN" &&
	fail "rules: the webhook's secret is in the payload" || ok "rules: ... without the hook's secret"

# Assign to a user: the actions after it see the new owner.
api "Give $RUN" "{\"entity\":\"tickets\",\"trigger\":\"create\",\"conditions\":[{\"field\":\"subject\",\"op\":\"starts_with\",\"value\":\"G$RUN\"}],
	\"actions\":[{\"type\":\"assign\",\"to\":\"user\",\"user_id\":$mo},{\"type\":\"task\",\"kind\":\"meeting\",\"subject\":\"Meet $RUN\",\"to\":\"owner\"}]}"
g=$(ticket "G$RUN give" low)
wait_for "rules: assign: the ticket goes to the chosen user, and a task to its new owner" \
	"SELECT CONCAT((SELECT owner_id FROM tickets WHERE id = $g), ' ', COUNT(*)) FROM activities WHERE subject = 'Meet $RUN' AND kind = 'meeting' AND assignee_id = $mo" "$mo 1"

# Delete: a contact's deletion is told to its owner and to a webhook.
api "Gone $RUN" "{\"entity\":\"contacts\",\"trigger\":\"delete\",\"actions\":[{\"type\":\"notify\",\"to\":\"owner\"},{\"type\":\"webhook\",\"webhook_id\":$hook}]}"
r_gone=$rid
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" "$BASE/customers/contacts/$cleo/delete"
[ "$STATUS" = 303 ] || fail "rules: deleting the contact: $STATUS"
wait_for "rules: delete: the owner is told" \
	"SELECT COUNT(*) FROM notifications WHERE user_id = $sam AND entity = 'contact' AND entity_id = $cleo AND title = 'Gone $RUN: Cleo R$RUN'" 1
[ "$($SQL -e "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $hook AND JSON_VALUE(payload, '$.event.action') = 'delete'")" = 1 ] &&
	ok "rules: delete: ... and the webhook queued" || fail "rules: delete webhook"

# Time: 7 days before a quote's expiry, once per date; 3 days after a
# pending ticket was opened.
api "Expiry $RUN" "{\"entity\":\"quotes\",\"trigger\":\"time\",\"date_field\":\"valid_until\",\"offset_days\":-7,
	\"conditions\":[{\"field\":\"title\",\"op\":\"starts_with\",\"value\":\"Q$RUN\"}],
	\"actions\":[{\"type\":\"task\",\"kind\":\"task\",\"subject\":\"Chase $RUN\",\"due_days\":0,\"to\":\"owner\"},{\"type\":\"notify\",\"to\":\"owner\"}]}"
r_exp=$rid
book=$($SQL -e "SELECT MIN(id) FROM price_books")
[ -z "$book" ] || [ "$book" = NULL ] && { $SQL -e "INSERT INTO price_books (name, currency) VALUES ('Book $RUN', 'USD')"; book=$($SQL -e "SELECT MAX(id) FROM price_books"); }
quote() { # NUMBER DAYS: a quote of sam's expiring in DAYS days
	$SQL -e "INSERT INTO quotes (number, account_id, price_book_id, currency, title, valid_until, owner_id)
		VALUES ('$1', $acc, $book, 'USD', 'Q$RUN $1', UTC_DATE() + INTERVAL $2 DAY, $sam)"
	$SQL -e "SELECT id FROM quotes WHERE number = '$1'"
}
q7=$(quote "Q7-$RUN" 7)
q30=$(quote "Q30-$RUN" 30)
$SQL -e "INSERT INTO tickets (subject, priority, status, channel, owner_id, created_at) VALUES
	('P$RUN old', 'normal', 'pending', 'phone', $ada, UTC_TIMESTAMP() - INTERVAL 3 DAY),
	('P$RUN open', 'normal', 'open', 'phone', $ada, UTC_TIMESTAMP() - INTERVAL 3 DAY),
	('P$RUN new', 'normal', 'pending', 'phone', $ada, UTC_TIMESTAMP())"
api "Pending $RUN" "{\"entity\":\"tickets\",\"trigger\":\"time\",\"date_field\":\"created_at\",\"offset_days\":3,
	\"conditions\":[{\"field\":\"status\",\"op\":\"eq\",\"value\":\"pending\"},{\"field\":\"subject\",\"op\":\"starts_with\",\"value\":\"P$RUN\"}],
	\"actions\":[{\"type\":\"notify\",\"to\":\"user\",\"user_id\":$mo}]}"
r_pend=$rid
$RUNNER 2>/dev/null
[ "$($SQL -e "SELECT GROUP_CONCAT(record_id ORDER BY record_id) FROM rule_runs WHERE rule_id = $r_exp")" = "$q7" ] &&
	ok "rules: time: the quote expiring in 7 days is due, the one in 30 is not" ||
	fail "rules: time runs: $($SQL -e "SELECT GROUP_CONCAT(record_id) FROM rule_runs WHERE rule_id = $r_exp")"
[ "$($SQL -e "SELECT COUNT(*) FROM activities WHERE subject = 'Chase $RUN' AND assignee_id = $sam")" = 1 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM notifications WHERE user_id = $sam AND entity = 'quote' AND entity_id = $q7")" = 1 ] &&
	ok "rules: time: the owner gets the task and the notification" || fail "rules: time actions"
[ "$($SQL -e "SELECT (SELECT subject FROM tickets WHERE id = r.record_id) FROM rule_runs r WHERE rule_id = $r_pend")" = "P$RUN old" ] &&
	ok "rules: time: 3 days after a pending ticket opened (not an open one, not a new one)" ||
	fail "rules: pending: $($SQL -e "SELECT record_id FROM rule_runs WHERE rule_id = $r_pend")"
# A run older than the log keeps goes at the next pass.
$SQL -e "INSERT INTO rule_runs (rule_id, entity, record_id, trigger_kind, status, actions, created_at)
	VALUES ($r_exp, 'quote', $q30, 'time', 'done', '[]', UTC_TIMESTAMP() - INTERVAL 181 DAY)"
$RUNNER 2>/dev/null
[ "$($SQL -e "SELECT COUNT(*) FROM rule_runs WHERE rule_id = $r_exp AND record_id = $q30")" = 0 ] &&
	ok "rules: the run log drops runs older than 180 days" || fail "rules: old runs kept"
[ "$($SQL -e "SELECT COUNT(*) FROM rule_runs WHERE rule_id IN ($r_exp, $r_pend)")" = 2 ] &&
	ok "rules: time: a second pass fires nothing again" || fail "rules: time fired twice"
$SQL -e "UPDATE quotes SET valid_until = valid_until - INTERVAL 1 DAY WHERE id = $q7"
$RUNNER 2>/dev/null
[ "$($SQL -e "SELECT COUNT(*) FROM rule_runs WHERE rule_id = $r_exp AND record_id = $q7")" = 2 ] &&
	ok "rules: time: a new date fires once more" || fail "rules: time new date"
$SQL -e "EXPLAIN SELECT x.id FROM quotes x STRAIGHT_JOIN users o ON o.id = x.owner_id WHERE 1 AND x.valid_until >= UTC_DATE() AND x.valid_until < UTC_DATE() + INTERVAL 1 DAY" |
	head -1 | grep -q "quotes_valid_until" && ok "rules: time: the date is read through its index" || fail "rules: time: no index on valid_until"

fetch -b "$TMP/ada" "$BASE/automation/rules?after=Expiry%20$RUN&after_id=1"
grep -q "<span class=\"rule-date\">Valid until, -7 days</span>" "$TMP/b" && ok "rules: the list says which date and how many days" ||
	fail "rules: list: time rule's date"

# Off: a rule switched off does nothing; on again, it does.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" "$BASE/automation/rules/$r_create/disable"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT enabled FROM rules WHERE id = $r_create")" = 0 ] && ok "rules: a rule is switched off" || fail "rules: disable: $STATUS"
off=$(ticket "C$RUN off" high)
caught_up
[ "$($SQL -e "SELECT COUNT(*) FROM rule_runs WHERE rule_id = $r_create AND record_id = $off")" = 0 ] &&
	ok "rules: ... and does nothing while off" || fail "rules: an off rule ran"
fetch -b "$TMP/ada" "$BASE/automation/rules"
grep -q "id=\"enable-$r_create\"" "$TMP/b" && ok "rules: the list shows it off, with a button to switch it on" || fail "rules: list off"
expect_status "rules: ... switched on again" 303 -b "$TMP/ada" --data-urlencode "csrf_token=$T" "$BASE/automation/rules/$r_create/enable"

# The loop limit: two rules set a ticket's priority back and forth.
api "Ping $RUN" "{\"entity\":\"tickets\",\"trigger\":\"update\",\"conditions\":[{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"high\"},
	{\"field\":\"subject\",\"op\":\"starts_with\",\"value\":\"L$RUN\"}],\"actions\":[{\"type\":\"set_field\",\"field\":\"priority\",\"value\":\"low\"}]}"
r_ping=$rid
api "Pong $RUN" "{\"entity\":\"tickets\",\"trigger\":\"update\",\"conditions\":[{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"low\"},
	{\"field\":\"subject\",\"op\":\"starts_with\",\"value\":\"L$RUN\"}],\"actions\":[{\"type\":\"set_field\",\"field\":\"priority\",\"value\":\"high\"}]}"
r_pong=$rid
loop=$(ticket "L$RUN loop" normal)
caught_up
edit_ticket "$loop" "L$RUN loop" high
wait_for "rules: loop: the chain stops with a run-log row saying the limit was hit" \
	"SELECT COUNT(*) FROM rule_runs WHERE rule_id IN ($r_ping, $r_pong) AND record_id = $loop AND status = 'loop'" 1
caught_up
[ "$($SQL -e "SELECT MAX(depth) FROM audit_log WHERE entity = 'ticket' AND entity_id = $loop")" = 6 ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM rule_runs WHERE rule_id IN ($r_ping, $r_pong) AND record_id = $loop AND status = 'done'")" = 6 ] &&
	ok "rules: loop: six changes by rules, the deepest not acted on" ||
	fail "rules: loop depth: $($SQL -e "SELECT MAX(depth) FROM audit_log WHERE entity = 'ticket' AND entity_id = $loop")"
fetch -b "$TMP/ada" "$BASE/automation/rules/$r_ping/runs"
[ "$STATUS" = 200 ] && grep -q "Loop limit" "$TMP/b" && grep -q "L$RUN loop" "$TMP/b" && grep -q "href=\"/service/tickets/$loop\"" "$TMP/b" &&
	ok "rules: the run log shows the loop limit, linking to the ticket" ||
	fail "rules: run log: $STATUS"
expect_valid_html "rules: the run log is valid HTML"

# The run logs and the API.
fetch -b "$TMP/mo" "$BASE/api/v1/automation/rules/$r_create/runs"
[ "$STATUS" = 200 ] && python3 -c "import json,sys; d=json.load(open('$TMP/b')); r=d['runs'][0]; assert r['record_id']==$high and r['actions'][0]['type']=='task' and r['actions'][0]['ok']" &&
	ok "rules: the API gives a rule's runs with each action" || fail "rules: API runs: $STATUS"
fetch -b "$TMP/mo" "$BASE/automation/runs"
[ "$STATUS" = 200 ] && grep -q "Expiry $RUN" "$TMP/b" && grep -q "Create $RUN" "$TMP/b" && ok "rules: the recent runs of all rules" || fail "rules: recent runs: $STATUS"
expect_valid_html "rules: ... valid HTML"
# A page from the rule's own name on (the list pages by name and id).
fetch -b "$TMP/mo" "$BASE/api/v1/automation/rules?after=Urgent%20$RUN&after_id=1"
[ "$STATUS" = 200 ] && python3 -c "import json; d=json.load(open('$TMP/b')); assert d['rules'][0]['name']=='Urgent $RUN'" &&
	grep -q "\"Urgent $RUN\"" "$TMP/b" && ! grep -q '"definition"' "$TMP/b" && ok "rules: the API lists the rules" || fail "rules: API list: $STATUS"
fetch -b "$TMP/ada" "$BASE/api/v1/automation/rules/$r_urgent/edit"
[ "$STATUS" = 200 ] && python3 -c "import json; d=json.load(open('$TMP/b')); assert d['definition']['actions'][0]['team_id']==$team" &&
	ok "rules: the API gives a rule's definition" || fail "rules: API definition: $STATUS"
expect_status "rules: a missing rule is 404" 404 -b "$TMP/ada" "$BASE/automation/rules/999999999/runs"
expect_status "rules: a malformed page key is 400" 400 -b "$TMP/ada" "$BASE/automation/runs?after_id=x"

# Edit through the form, delete, and every write audited.
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d entity=tickets -d "name=Urgent $RUN renamed" -d trigger=update -d enabled=1 \
	-d c0_field=priority -d c0_op=eq -d c0_value=urgent -d c1_field=subject -d c1_op=starts_with -d "c1_value=U$RUN" \
	-d a0_type=notify -d a0_to=owner "$BASE/automation/rules/$r_urgent"
[ "$STATUS" = 303 ] && [ "$($SQL -e "SELECT CONCAT(name, ' ', JSON_VALUE(definition, '$.actions[0].type'), ' ', JSON_LENGTH(definition, '$.actions'))
	FROM rules WHERE id = $r_urgent")" = "Urgent $RUN renamed notify 1" ] && ok "rules: the form saves an edit" || fail "rules: edit: $STATUS"
expect_status "rules: a rule is deleted" 303 -b "$TMP/ada" --data-urlencode "csrf_token=$T" "$BASE/automation/rules/$r_gone/delete"
[ "$($SQL -e "SELECT COUNT(*) FROM rules WHERE id = $r_gone")" = 0 ] && ok "rules: ... with its runs" || fail "rules: delete"
[ "$($SQL -e "SELECT GROUP_CONCAT(DISTINCT action ORDER BY action) FROM audit_log WHERE entity = 'rule' AND entity_id IN ($r_create, $r_urgent, $r_gone)")" = "create,delete,disable,enable,update" ] &&
	ok "rules: every write to a rule is audited" || fail "rules: audit: $($SQL -e "SELECT GROUP_CONCAT(DISTINCT action) FROM audit_log WHERE entity = 'rule'")"

# The report builder has quotes now.
fetch -b "$TMP/ada" "$BASE/reports/saved/new?entity=quotes"
[ "$STATUS" = 200 ] && grep -q 'value="valid_until"' "$TMP/b" && ok "rules: the report builder reports on quotes too" || fail "rules: reports quotes: $STATUS"

# A real browser builds a rule and sees it fire.
if [ -d "$TOP/tests/e2e/node_modules/playwright-core" ]; then
	(cd "$TOP/tests/e2e" && node automation_rules_browser.mjs "$TMP/ada" "B$RUN" "ada r$RUN")
else
	fail "rules: playwright-core is not installed (scripts/deps.sh)"
fi

# What this test made acts on nothing of the other tests.
$SQL -e "UPDATE rules SET enabled = FALSE WHERE name LIKE '%$RUN%'"
$SQL -e "UPDATE webhooks SET enabled = FALSE WHERE id = $hook; DELETE FROM webhook_deliveries WHERE webhook_id = $hook"
$SQL -e "DELETE q FROM mail_queue q JOIN tickets t ON t.id = q.ticket_id WHERE t.subject LIKE '%$RUN%' AND q.status <> 'sending'"
