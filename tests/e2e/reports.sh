#!/bin/bash
# The reports area's dashboards and analytics runs: each role's dashboard
# reads the totals the database keeps (won against quota, order revenue,
# open tickets, SLA breaches, campaigns), within the reader's scope, with
# the same figures as CSV; an analytics run queued from the page is worked
# by the reports job runner while its page shows the progress; segments
# and the account page show the results; a marketing segment can use them.
. "$(dirname "$0")/lib.sh"
IP=127.0.42.$(( $$ % 250 + 1 ))
RUN=$$
PW='dashboards from kept totals 7'
for who in sam:sales sue:support mo:marketing meg:manager; do
	echo "$PW" | $CTL user add --email "${who%%:*}-rp$RUN@example.com" --name "${who%%:*} rp$RUN" --role "${who##*:}" \
		--password-stdin >/dev/null
done
$SQL -e "INSERT INTO teams (name) VALUES ('Report team $RUN');
	UPDATE users SET team_id = LAST_INSERT_ID() WHERE email IN ('sam-rp$RUN@example.com', 'meg-rp$RUN@example.com')"
for who in sam sue mo meg; do signin "$TMP/$who" "$who-rp$RUN@example.com"; done
uid() { $SQL -e "SELECT id FROM users WHERE email = '$1-rp$RUN@example.com'"; }
SAM=$(uid sam) SUE=$(uid sue) MEG=$(uid meg)
base=$($SQL -e "SELECT value FROM settings WHERE name = 'base_currency'")
month=$($SQL -e "SELECT DATE_FORMAT(UTC_DATE(), '%Y-%m-01')")
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Report acct $RUN', $SAM)"
ACC=$($SQL -e "SELECT id FROM accounts WHERE name = 'Report acct $RUN'")
PIPE=$($SQL -e "SELECT id FROM pipelines WHERE is_default")
stage() { $SQL -e "SELECT id FROM pipeline_stages WHERE pipeline_id = $PIPE AND kind = '$1' ORDER BY position LIMIT 1"; }
$SQL -e "INSERT INTO opportunities (name, account_id, pipeline_id, stage_id, amount, probability, close_date, owner_id) VALUES
	('Won rp$RUN', $ACC, $PIPE, $(stage won), 1234, 100, UTC_DATE(), $SAM),
	('Open rp$RUN', $ACC, $PIPE, $(stage open), 5000, 20, UTC_DATE() + INTERVAL 20 DAY, $SAM);
	INSERT INTO quotas (user_id, month, amount) VALUES ($SAM, '$month', 10000)"
order() { # NUMBER AMOUNT STATUS
	$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, status)
		VALUES ('RP-$RUN-$1', $ACC, '$base', UTC_DATE(), $2, 0, $2, $2, $SAM, '$3')"
}
order 1 777 confirmed
order 2 100 confirmed
order 3 50 cancelled

# The kept totals follow every write, by trigger.
[ "$($SQL -e "SELECT CONCAT(orders, ' ', revenue) FROM order_month_totals WHERE owner_id = $SAM AND month = '$month'")" = "2 877.00" ] &&
	ok "reports: order_month_totals counts this month's orders, cancelled ones left out" ||
	fail "reports: order totals $($SQL -e "SELECT orders, revenue FROM order_month_totals WHERE owner_id = $SAM")"
$SQL -e "UPDATE orders SET status = 'cancelled' WHERE number = 'RP-$RUN-2'"
[ "$($SQL -e "SELECT CONCAT(orders, ' ', revenue) FROM order_month_totals WHERE owner_id = $SAM AND month = '$month'")" = "1 777.00" ] &&
	ok "reports: ... and a cancellation takes the order out" || fail "reports: after cancelling: $($SQL -e "SELECT orders, revenue FROM order_month_totals WHERE owner_id = $SAM")"
[ "$($SQL -e "SELECT COUNT(*) FROM (SELECT ordered_on - INTERVAL (DAYOFMONTH(ordered_on) - 1) DAY m, owner_id, COUNT(*) n, SUM(total_base) r FROM orders WHERE status <> 'cancelled' GROUP BY 1, 2) o
	LEFT JOIN order_month_totals t ON t.month = o.m AND t.owner_id = o.owner_id WHERE t.orders IS NULL OR t.orders <> o.n OR t.revenue <> o.r")" = 0 ] &&
	ok "reports: every month's kept order total equals the orders' own sum" || fail "reports: order_month_totals drifted from orders"
$SQL -e "INSERT INTO tickets (subject, requester_name, requester_email, owner_id, first_response_breached) VALUES
	('Breach rp$RUN', 'R', 'r@example.com', $SUE, TRUE), ('Fine rp$RUN', 'R', 'r@example.com', $SUE, FALSE)"
[ "$($SQL -e "SELECT COUNT(*) FROM (SELECT DATE(created_at) - INTERVAL (DAYOFMONTH(created_at) - 1) DAY m, IFNULL(team_id, 0) tm, COUNT(*) n,
	SUM(first_response_breached OR resolution_breached) b FROM tickets WHERE deleted_at IS NULL GROUP BY 1, 2) o
	LEFT JOIN ticket_month_totals t ON t.month = o.m AND t.team_id = o.tm WHERE t.tickets IS NULL OR t.tickets <> o.n OR t.breached <> o.b")" = 0 ] &&
	ok "reports: ticket_month_totals equals the tickets' own counts, breaches included" || fail "reports: ticket_month_totals drifted"
T1=$($SQL -e "SELECT id FROM tickets WHERE subject = 'Breach rp$RUN'")
$SQL -e "INSERT INTO csat_responses (ticket_id, score, agent_id) VALUES ($T1, 2, $SUE)"
$SQL -e "UPDATE csat_responses SET score = 5 WHERE ticket_id = $T1"
[ "$($SQL -e "SELECT COUNT(*) FROM (SELECT DATE(created_at) - INTERVAL (DAYOFMONTH(created_at) - 1) DAY m, COUNT(*) n, SUM(score) s
	FROM csat_responses GROUP BY 1) o LEFT JOIN csat_month_totals t ON t.month = o.m WHERE t.answers IS NULL OR t.answers <> o.n OR t.score_sum <> o.s")" = 0 ] &&
	ok "reports: csat_month_totals equals the answers' own counts and sums after an insert and a change" || fail "reports: csat_month_totals drifted"

# Each role lands on its own dashboard.
fetch -b "$TMP/sam" "$BASE/reports"
[ "$STATUS" = 200 ] && grep -q 'id="dashboard-title">Sales dashboard<' "$TMP/b" && ok "reports: a seller's /reports is the sales dashboard" ||
	fail "reports: sam /reports: $STATUS $(grep -o '<h1[^<]*<' "$TMP/b")"
expect_valid_html "reports: the sales dashboard is valid HTML"
grep -q 'id="figure-won"><dt>Won this month</dt><dd>1,234</dd>' "$TMP/b" && grep -q 'id="figure-quota"><dt>Quota this month</dt><dd>10,000</dd>' "$TMP/b" &&
	grep -q 'id="figure-attainment"><dt>Of quota</dt><dd>12%</dd>' "$TMP/b" &&
	ok "reports: won this month 1,234 of a 10,000 quota: 12%" || fail "reports: sales figures: $(grep -o 'id="figure-[^"]*"><dt>[^<]*</dt><dd>[^<]*' "$TMP/b" | tr '\n' ' ')"
grep -q 'id="figure-pipeline"><dt>Open pipeline</dt><dd>5,000</dd>' "$TMP/b" && ok "reports: the open pipeline is the seller's own deals only" ||
	fail "reports: pipeline figure $(grep -o 'id="figure-pipeline"[^/]*' "$TMP/b")"
for ch in chart-pipeline chart-won-quota chart-order-months; do
	grep -q "id=\"$ch\"" "$TMP/b" && ok "reports: the sales dashboard draws $ch" || fail "reports: sales dashboard lacks $ch"
done
sed -n '/id="dashboard-charts"/,$p' "$TMP/b" >"$TMP/charts"
grep -q '<svg' "$TMP/charts" && ! grep -q '<script' "$TMP/charts" && ok "reports: charts are inline SVG, no script" || fail "reports: charts are not plain SVG"
fetch -b "$TMP/sam" "$BASE/api/v1/reports"
[ "$(jq -r '.dashboard.name' "$TMP/b")" = sales ] && [ "$(jq -r '[.charts[] | select(.id == "chart-won-quota") | .table.rows[] | .cells[0].text] | join(",")' "$TMP/b")" = "sam rp$RUN" ] &&
	ok "reports: the JSON dashboard lists only the seller in scope" || fail "reports: JSON: $(head -c 300 "$TMP/b")"
# The three charts come from one statement of three parts: each chart
# gets its own part's rows, in their order.
want=$($SQL -e "SELECT GROUP_CONCAT(s.name ORDER BY s.position, s.id SEPARATOR '|') FROM pipeline_stages s
	JOIN pipelines p ON p.id = s.pipeline_id AND p.is_default WHERE s.active AND s.kind = 'open'")
[ "$(jq -r '[.charts[] | select(.id == "chart-pipeline") | .table.rows[] | .cells[0].text] | join("|")' "$TMP/b")" = "$want" ] &&
	ok "reports: the pipeline chart has the default pipeline's open stages in order" ||
	fail "reports: pipeline chart stages: $(jq -c '[.charts[] | select(.id == "chart-pipeline") | .table.rows[] | .cells[0].text]' "$TMP/b"), SQL $want"
rev=$($SQL -e "SELECT IFNULL(SUM(revenue), 0) FROM order_month_totals WHERE owner_id = (SELECT id FROM users WHERE email = 'sam-rp$RUN@example.com')
	AND month = DATE_FORMAT(UTC_DATE(), '%Y-%m-01')")
got=$(jq -r --arg m "$(date -u +%Y-%m)" '.charts[] | select(.id == "chart-order-months") | .table.rows[] | select(.cells[0].text == $m) | .cells[1].text' "$TMP/b" | tr -d ',')
awk -v a="$got" -v b="$rev" 'BEGIN { exit !(a + 0 == b + 0) }' &&
	ok "reports: the order months chart has this month's revenue of the seller's orders ($got)" ||
	fail "reports: order months: this month $got, SQL $rev"

fetch -b "$TMP/sam" "$BASE/reports/dashboards/sales/csv"
[ "$STATUS" = 200 ] && grep -qi '^content-type: text/csv' "$TMP/h" && grep -qi "content-disposition: attachment; filename=\"dashboard-sales-" "$TMP/h" &&
	ok "reports: the dashboard's CSV downloads as a file" || fail "reports: CSV: $STATUS"
tr -d '\r' <"$TMP/b" | grep -q "^sam rp$RUN,\"1,234\",\"10,000\"$" && tr -d '\r' <"$TMP/b" | grep -q '^Won this month against quota$' &&
	ok "reports: the CSV has each chart's table with the same figures" || fail "reports: CSV body: $(tr -d '\r' <"$TMP/b" | head -20)"

fetch -b "$TMP/sue" "$BASE/reports"
grep -q 'id="dashboard-title">Support dashboard<' "$TMP/b" && grep -q 'id="chart-sla"' "$TMP/b" && grep -q 'id="chart-csat"' "$TMP/b" &&
	ok "reports: support staff land on the support dashboard (tickets, SLA, satisfaction)" || fail "reports: sue: $(grep -o '<h1[^<]*<' "$TMP/b")"
open=$($SQL -e "SELECT SUM(tickets) FROM ticket_open_counts WHERE owner_id IN (0, $SUE)")
grep -q "id=\"figure-open-tickets\"><dt>Open tickets</dt><dd>$open</dd>" "$TMP/b" && ok "reports: ... with their own open tickets and the unassigned ($open)" ||
	fail "reports: open tickets $(grep -o 'id="figure-open-tickets"[^/]*/dt><dd>[^<]*' "$TMP/b")"
$CTL analytics sentiment >/dev/null
fetch -b "$TMP/sue" "$BASE/api/v1/reports"
[ "$(jq -r '[.charts[] | select(.id == "chart-sentiment") | .table.rows[] | .cells[1:4][] | .text | gsub(","; "") | tonumber] | add' "$TMP/b")" = \
	"$($SQL -e "SELECT COUNT(*) FROM sentiment_scores WHERE month >= UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY - INTERVAL 11 MONTH")" ] &&
	ok "reports: the support dashboard's sentiment trend counts every text scored in the last 12 months" ||
	fail "reports: sentiment trend: $(jq -c '.charts[] | select(.id == "chart-sentiment") | .table.rows' "$TMP/b" | head -c 300)"
expect_status "reports: a seller may not open the support dashboard" 403 -b "$TMP/sam" "$BASE/reports/dashboards/support"
expect_status "reports: ... nor its CSV" 403 -b "$TMP/sam" "$BASE/reports/dashboards/support/csv"
expect_status "reports: an unknown dashboard is a 404" 404 -b "$TMP/sam" "$BASE/reports/dashboards/finance"
fetch -b "$TMP/mo" "$BASE/reports"
grep -q 'id="dashboard-title">Marketing dashboard<' "$TMP/b" && grep -q 'id="chart-campaign-roi"' "$TMP/b" &&
	ok "reports: marketers land on the campaign results" || fail "reports: mo: $(grep -o '<h1[^<]*<' "$TMP/b")"
fetch -b "$TMP/meg" "$BASE/reports"
grep -q 'id="dashboard-title">Manager dashboard<' "$TMP/b" && grep -q 'id="chart-team-sales"' "$TMP/b" && grep -q 'id="dashboard-tab-support"' "$TMP/b" &&
	ok "reports: a manager lands on the team comparison, with tabs to the others" || fail "reports: meg: $(grep -o '<h1[^<]*<' "$TMP/b")"
fetch -b "$TMP/meg" "$BASE/api/v1/reports"
[ "$(jq -r --arg n "sam rp$RUN" '.charts[] | select(.id == "chart-team-sales") | .table.rows[] | select(.cells[0].text == $n) | [.cells[1].text, .cells[2].text, .cells[3].text] | join(" ")' "$TMP/b")" = "1,234 10,000 5,000" ] &&
	ok "reports: the team comparison shows the teammate's won, quota and pipeline" || fail "reports: team: $(jq -c '.charts[0].table.rows' "$TMP/b" | head -c 300)"
[ "$(jq -r --arg n "sue rp$RUN" '[.charts[] | select(.id == "chart-team-sales") | .table.rows[] | select(.cells[0].text == $n)] | length' "$TMP/b")" = 0 ] &&
	ok "reports: ... and nobody outside the manager's team" || fail "reports: a manager sees another team"
expect_status "reports: signed out, the dashboard is a sign-in" 303 "$BASE/reports"

# Analytics runs: queued from the page, worked by crm-reports jobs.
echo "$PW" | $CTL user add --email "ada-rp$RUN@example.com" --name "ada rp$RUN" --role admin --password-stdin >/dev/null
signin "$TMP/ada" "ada-rp$RUN@example.com"
fetch -b "$TMP/ada" "$BASE/reports/analytics"
T=$(csrf_of "$TMP/b")
grep -q 'id="step-rfm"' "$TMP/b" && grep -q 'id="analytics-run"' "$TMP/b" && ok "reports: the analytics page offers each step and a run button" ||
	fail "reports: analytics page"
expect_status "reports: queueing a run wants the form token" 403 -b "$TMP/ada" -d step=rfm "$BASE/reports/analytics/runs"
expect_status "reports: a seller may not run the analytics" 403 -b "$TMP/sam" --data-urlencode "csrf_token=$(csrf_of "$TMP/b")" -d step=rfm "$BASE/reports/analytics/runs"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d step=rfm -d step=bogus "$BASE/reports/analytics/runs"
[ "$STATUS" = 422 ] && grep -q 'id="error-step"' "$TMP/b" && ok "reports: an unknown step is a 422 on the form" || fail "reports: bogus step $STATUS"
# A run waiting or running already is not queued twice: the answer is its page.
before=$($SQL -e "SELECT COUNT(*) FROM analytics_runs")
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d step=rfm -d step=segments "$BASE/reports/analytics/runs"
run=$(grep -io '^location: .*/reports/analytics/runs/[0-9]*' "$TMP/h" | grep -o '[0-9]*$')
[ "$STATUS" = 303 ] && [ -n "$run" ] && ok "reports: a run is queued and the answer is its page (run $run)" || fail "reports: queue: $STATUS"
[ "$($SQL -e "SELECT CONCAT(steps, ' ', requested_by) FROM analytics_runs WHERE id = ${run:-0}")" = "rfm,segments $($SQL -e "SELECT id FROM users WHERE email = 'ada-rp$RUN@example.com'")" ] &&
	ok "reports: ... recording its steps and who asked" || fail "reports: run row $($SQL -e "SELECT steps, requested_by FROM analytics_runs WHERE id = ${run:-0}")"
[ "$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'analytics_run' AND entity_id = ${run:-0} AND action = 'queue'")" = 1 ] &&
	ok "reports: ... and auditing it" || fail "reports: no audit row for the run"
for i in $(seq 1 60); do
	[ "$($SQL -e "SELECT status FROM analytics_runs WHERE id = ${run:-0}")" = done ] && break
	sleep 0.5
done
fetch -b "$TMP/ada" "$BASE/reports/analytics/runs/${run:-0}"
grep -q 'id="run-status">Done' "$TMP/b" && grep -q 'id="run-progress" max="100" value="100"' "$TMP/b" && grep -q '<span id="run-steps-done">2</span> / 2' "$TMP/b" &&
	ok "reports: the runner worked the run: its page shows Done and a full progress bar" || fail "reports: run page: $(grep -o 'id="run-[a-z-]*"[^<]*' "$TMP/b" | tr '\n' ' ')"
grep -q '<li>segments: [0-9]* customers in [0-9]* segments</li>' "$TMP/b" && ok "reports: ... with what each step did" || fail "reports: run lines"
! grep -qi '^refresh:' "$TMP/h" && ok "reports: a finished run's page stops reloading" || fail "reports: a finished run still refreshes"
$SQL -e "INSERT INTO analytics_runs (steps, steps_total) VALUES ('rfm', 1)"
held=$($SQL -e "SELECT MAX(id) FROM analytics_runs")
$SQL -e "UPDATE analytics_runs SET status = 'running', steps_done = 0, started_at = UTC_TIMESTAMP(), heartbeat_at = UTC_TIMESTAMP() WHERE id = $held"
fetch -b "$TMP/ada" "$BASE/reports/analytics/runs/$held"
grep -qi '^refresh: 2' "$TMP/h" && grep -q 'id="run-status">Running' "$TMP/b" && grep -q 'id="run-refreshing"' "$TMP/b" &&
	ok "reports: a running run's page reloads itself every two seconds" || fail "reports: running page"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" "$BASE/reports/analytics/runs"
grep -qi "^location: .*/reports/analytics/runs/$held\$" <(tr -d '\r' <"$TMP/h") && ok "reports: with a run in progress, asking again shows that run" ||
	fail "reports: second queue went to $(grep -i '^location' "$TMP/h")"
$SQL -e "UPDATE analytics_runs SET heartbeat_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE id = $held"
for i in $(seq 1 20); do
	[ "$($SQL -e "SELECT status FROM analytics_runs WHERE id = $held")" = failed ] && break
	sleep 0.5
done
[ "$($SQL -e "SELECT status FROM analytics_runs WHERE id = $held")" = failed ] && ok "reports: a run whose worker went quiet is marked failed" ||
	fail "reports: stale run is $($SQL -e "SELECT status FROM analytics_runs WHERE id = $held")"
expect_status "reports: an unknown run is a 404" 404 -b "$TMP/ada" "$BASE/reports/analytics/runs/99999999"
out=$($CTL analytics rfm nothing 2>&1); rc=$?
[ "$rc" = 2 ] && ok "reports: crmctl analytics refuses an unknown step" || fail "reports: crmctl unknown step rc $rc: $out"
$CTL analytics --list | grep -q '^segments ' && ok "reports: crmctl analytics --list names the steps" || fail "reports: --list"

# Segments and the account page.
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Seg a rp$RUN', $SAM), ('Seg b rp$RUN', $SAM)"
SA=$($SQL -e "SELECT id FROM accounts WHERE name = 'Seg a rp$RUN'")
$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
	VALUES ('RP-$RUN-S1', $SA, '$base', UTC_DATE() - INTERVAL 3 DAY, 420, 0, 420, 420, $SAM)"
$CTL analytics rfm segments >/dev/null || fail "reports: crmctl analytics rfm segments failed"
seg=$($SQL -e "SELECT segment FROM customer_scores WHERE account_id = $SA")
[ -n "$seg" ] && [ "$seg" != NULL ] && ok "reports: a new customer is put in a segment ($seg)" || fail "reports: no segment for the new customer"
[ "$($SQL -e "SELECT COUNT(*) FROM customer_scores WHERE segment IS NULL")" = 0 ] && [ "$($SQL -e "SELECT SUM(customers) FROM customer_segments")" = "$($SQL -e "SELECT COUNT(*) FROM customer_scores")" ] &&
	ok "reports: every scored customer is in exactly one segment" || fail "reports: segment sizes do not add up"
fetch -b "$TMP/ada" "$BASE/reports/segments"
grep -q "id=\"segment-$seg\"" "$TMP/b" && grep -q 'id="chart-inertia"' "$TMP/b" && grep -q 'id="chart-segments"' "$TMP/b" &&
	ok "reports: the segments page lists the segments, the inertia curve and the scatter" || fail "reports: segments page"
expect_valid_html "reports: the segments page is valid HTML"
fetch -b "$TMP/sam" "$BASE/reports/segments/$seg"
grep -q "id=\"segment-customer-$SA\"" "$TMP/b" && ok "reports: the seller finds their customer in its segment" || fail "reports: segment $seg lacks $SA for sam"
fetch -b "$TMP/sue" "$BASE/reports/segments/$seg"
! grep -q "id=\"segment-customer-$SA\"" "$TMP/b" && ok "reports: ... and support staff, who do not own it, do not" || fail "reports: scope leak in a segment"
$SQL -e "UPDATE customer_scores SET churn_probability = 0.9123, sentiment = -0.5 WHERE account_id = $SA"
fetch -b "$TMP/sam" "$BASE/customers/accounts/$SA"
grep -q 'id="account-clv"[^>]*>420.00 ' "$TMP/b" && grep -q "id=\"account-segment\">Segment $seg<" "$TMP/b" &&
	grep -q 'id="account-churn">91%<' "$TMP/b" && grep -q 'id="account-sentiment"[^>]*>-0.50<' "$TMP/b" &&
	ok "reports: the account page shows lifetime value, segment, churn risk and sentiment" ||
	fail "reports: account scores: $(grep -o 'id="account-[a-z]*"[^<]*' "$TMP/b" | tr '\n' ' ')"

# A marketing segment of the contacts of accounts at risk.
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, account_id, owner_id) VALUES ('Risky', 'rp$RUN', 'Risky rp$RUN', $SA, $SAM)"
fetch -b "$TMP/ada" "$BASE/marketing/segments/new"
T=$(csrf_of "$TMP/b")
grep -q 'value="score.churn"' "$TMP/b" && ok "reports: the segment builder offers the churn risk" || fail "reports: no score fields in the segment builder"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d match=all -d g0_match=all -d g0_c0_field=score.churn -d g0_c0_op=gt -d g0_c0_value=90 \
	-d g1_match=all -d g1_c1_field=contact.full_name -d g1_c1_op=eq -d "g1_c1_value=Risky rp$RUN" "$BASE/marketing/segments/count"
[ "$STATUS" = 200 ] && [ "$(jq -r .count "$TMP/b")" = 1 ] && ok "reports: a segment on churn risk over 90% finds the risky account's contact" ||
	fail "reports: churn segment: $STATUS $(head -c 200 "$TMP/b")"
fetch -b "$TMP/ada" --data-urlencode "csrf_token=$T" -d match=all -d g0_match=all -d g0_c0_field=score.churn -d g0_c0_op=lt -d g0_c0_value=90 \
	-d g1_match=all -d g1_c1_field=contact.full_name -d g1_c1_op=eq -d "g1_c1_value=Risky rp$RUN" "$BASE/marketing/segments/count"
[ "$(jq -r .count "$TMP/b")" = 0 ] && ok "reports: ... and one under 90% does not" || fail "reports: churn under 90: $(head -c 200 "$TMP/b")"
