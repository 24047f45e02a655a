#!/bin/bash
# crmctl demo: the data make run starts with is consistent, so the screens
# work on it: every deal's stage history is one unbroken chain ending in
# its stage, documents add up, invoice numbers have no gap, and the next
# quote or order the module numbers does not collide with a demo one.
. "$(dirname "$0")/lib.sh"
q() { $SQL -e "$1"; }
before() { q "SELECT (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM opportunities),
	(SELECT COUNT(*) FROM quotes), (SELECT COUNT(*) FROM orders)"; }
b=$(before)
# Only what this run adds is checked: other tests' rows are their own.
read -r OPP QUO ORD INV TIC KB <<< "$(q "SELECT (SELECT COALESCE(MAX(id), 0) FROM opportunities), (SELECT COALESCE(MAX(id), 0) FROM quotes),
	(SELECT COALESCE(MAX(id), 0) FROM orders), (SELECT COALESCE(MAX(id), 0) FROM invoices), (SELECT COALESCE(MAX(id), 0) FROM tickets),
	(SELECT COALESCE(MAX(id), 0) FROM kb_articles)")"
read -r CAMP CT0 TPL SEG LST <<< "$(q "SELECT (SELECT COALESCE(MAX(id), 0) FROM campaigns), (SELECT COALESCE(MAX(id), 0) FROM contacts),
	(SELECT COALESCE(MAX(id), 0) FROM email_templates), (SELECT COALESCE(MAX(id), 0) FROM segments), (SELECT COALESCE(MAX(id), 0) FROM target_lists)")"
out=$($CTL demo --accounts 40 --contacts 80 --activities 1 --leads 25 --opportunities 60 --quotes 20 --orders 90 --tickets 70 --campaigns 6 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "added .* 25 leads, 60 opportunities, 20 quotes and 90 orders" &&
	ok "crmctl demo loads the sales area" || fail "demo: rc=$rc $out"
read -r p0 l0 o0 q0 r0 <<< "$b"
read -r p1 l1 o1 q1 r1 <<< "$(before)"
[ $((l1 - l0)) = 25 ] && [ $((o1 - o0)) = 60 ] && [ $((q1 - q0)) = 20 ] && [ $((r1 - r0)) = 90 ] && [ "$p1" -ge 40 ] &&
	ok "the sizes asked for" || fail "counts: $b -> $(before)"

# Every deal: exactly one open history row, in its current stage, and no
# row that does not end where the next begins.
[ "$(q "SELECT COUNT(*) FROM opportunities o WHERE o.id > $OPP AND 1 <> (SELECT COUNT(*) FROM opportunity_stage_history h
	WHERE h.opportunity_id = o.id AND h.left_at IS NULL AND h.stage_id = o.stage_id)")" = 0 ] &&
	ok "each deal's history ends in its stage" || fail "open history rows do not match the deals' stages"
[ "$(q "SELECT COUNT(*) FROM opportunity_stage_history h WHERE h.opportunity_id > $OPP AND h.left_at IS NOT NULL AND NOT EXISTS
	(SELECT 1 FROM opportunity_stage_history n WHERE n.opportunity_id = h.opportunity_id AND n.entered_at = h.left_at)")" = 0 ] &&
	ok "each left stage is where the next began" || fail "a history chain is broken"
[ "$(q "SELECT COUNT(*) FROM opportunities o JOIN pipeline_stages s ON s.id = o.stage_id
	WHERE o.id > $OPP AND (s.kind = 'open') <> (o.closed_at IS NULL)")" = 0 ] && ok "closed deals, and only they, have closed_at" ||
	fail "closed_at disagrees with the stage"

# Documents add up to the cent.
[ "$(q "SELECT COUNT(*) FROM quotes x WHERE x.id > $QUO AND x.total <> x.subtotal + x.tax_total
	OR x.id > $QUO AND x.subtotal <> (SELECT COALESCE(SUM(net), 0) FROM quote_lines l WHERE l.quote_id = x.id)
	OR x.id > $QUO AND x.tax_total <> (SELECT COALESCE(SUM(tax), 0) FROM quote_lines l WHERE l.quote_id = x.id)")" = 0 ] &&
	ok "every quote's totals are its lines'" || fail "a quote's totals differ from its lines"
[ "$(q "SELECT COUNT(*) FROM orders x WHERE x.id > $ORD AND (x.total <> x.subtotal + x.tax_total
	OR x.total <> (SELECT COALESCE(SUM(total), 0) FROM order_lines l WHERE l.order_id = x.id))")" = 0 ] &&
	ok "every order's total is its lines'" || fail "an order's total differs from its lines"
[ "$(q "SELECT COUNT(*) FROM invoices i WHERE i.id > $INV AND (i.paid <> (SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.invoice_id = i.id)
	OR i.status <> IF(i.paid = 0, 'unpaid', IF(i.paid < i.total, 'partly_paid', 'paid')))")" = 0 ] &&
	ok "every invoice's paid amount and status follow its payments" || fail "invoice payments disagree"

# Numbers: invoices gap-free per year and the counters at the last one;
# the module's next quote and order numbers are free.
[ "$(q "SELECT COUNT(*) FROM (SELECT year, COUNT(*) n, MAX(sequence) m FROM invoices
	WHERE year IN (SELECT year FROM invoices WHERE id > $INV) GROUP BY year) y
	LEFT JOIN invoice_counters c ON c.year = y.year WHERE y.n <> y.m OR c.last_number IS NULL OR c.last_number < y.m")" = 0 ] &&
	ok "invoice numbers have no gap and the counters follow" || fail "invoice numbering: $(q "SELECT year, COUNT(*), MAX(sequence) FROM invoices GROUP BY year")"
[ "$(q "SELECT COUNT(*) FROM quotes x WHERE x.id > $QUO AND CAST(SUBSTRING_INDEX(x.number, '-', -1) AS UNSIGNED) >
	(SELECT COALESCE(MAX(last_number), 0) FROM sales_counters c WHERE c.kind = 'quote' AND c.year = SUBSTRING(x.number, 3, 4))")" = 0 ] &&
	ok "the next quote number is past every demo quote's" || fail "a demo quote number is ahead of sales_counters"
[ "$(q "SELECT COUNT(*) FROM orders x WHERE x.id > $ORD AND CAST(SUBSTRING_INDEX(x.number, '-', -1) AS UNSIGNED) >
	(SELECT COALESCE(MAX(last_number), 0) FROM sales_counters c WHERE c.kind = 'order' AND c.year = SUBSTRING(x.number, 4, 4))")" = 0 ] &&
	ok "the next order number is past every demo order's" || fail "a demo order number is ahead of sales_counters"

# The board's kept totals (018_board_totals.sql) agree with the deals
# after a bulk load.
totals_drift() {
	q "SELECT COUNT(*) FROM (SELECT stage_id, close_date - INTERVAL (DAYOFMONTH(close_date) - 1) DAY AS m, owner_id,
		COUNT(*) AS n, SUM(amount) AS a, SUM(amount * probability) AS w FROM opportunities WHERE deleted_at IS NULL
		GROUP BY 1, 2, 3) d
		LEFT JOIN opportunity_totals t ON t.stage_id = d.stage_id AND t.close_month = d.m AND t.owner_id = d.owner_id
		WHERE t.deals IS NULL OR t.deals <> d.n OR t.amount <> d.a OR t.weighted <> d.w"
}
[ "$(totals_drift)" = 0 ] && [ "$(q "SELECT COALESCE(SUM(deals), 0) FROM opportunity_totals")" = "$(q "SELECT COUNT(*) FROM opportunities WHERE deleted_at IS NULL")" ] &&
	ok "the board's kept totals match the deals" || fail "opportunity_totals drifted: $(totals_drift) groups"

# The stages' kept conversion counts (triggers, 020_stage_conversion.sql)
# agree with the history they summarise.
conversion_drift() {
	$SQL -e "SELECT COUNT(*) FROM (SELECT x.stage_id, COUNT(*) AS closed, SUM(x.won) AS won FROM (
		SELECT DISTINCT h.opportunity_id, h.stage_id, f.kind = 'won' AS won
		FROM opportunity_stage_history h JOIN opportunities t ON t.id = h.opportunity_id
		JOIN pipeline_stages f ON f.id = t.stage_id WHERE f.kind <> 'open' AND t.deleted_at IS NULL) x
		GROUP BY x.stage_id) d
		RIGHT JOIN stage_conversion c ON c.stage_id = d.stage_id
		WHERE COALESCE(d.closed, 0) <> c.closed OR COALESCE(d.won, 0) <> c.won"
}
[ "$(conversion_drift)" = 0 ] && ok "the stages' kept conversion to won agrees with the history" ||
	fail "stage_conversion drifted: $(conversion_drift) stages"

# Service: the tickets asked for, each opened by the customer's message,
# answered ones with an agent and a reply, survey answers only for
# finished tickets.
[ "$(q "SELECT COUNT(*) FROM tickets WHERE id > $TIC")" = 70 ] && echo "$out" | grep -q "added 70 tickets" &&
	ok "the service demo adds the tickets asked for" || fail "tickets: $(q "SELECT COUNT(*) FROM tickets WHERE id > $TIC") $out"
[ "$(q "SELECT COUNT(*) FROM tickets t WHERE t.id > $TIC AND NOT EXISTS (SELECT 1 FROM ticket_messages m
	WHERE m.ticket_id = t.id AND m.kind = 'customer')")" = 0 ] && ok "every demo ticket starts with the customer's message" || fail "a demo ticket has no first message"
[ "$(q "SELECT COUNT(*) FROM tickets t WHERE t.id > $TIC AND t.status <> 'new' AND (t.owner_id IS NULL
	OR t.first_responded_at IS NULL OR NOT EXISTS (SELECT 1 FROM ticket_messages m WHERE m.ticket_id = t.id AND m.kind = 'public'))")" = 0 ] &&
	ok "answered demo tickets have an agent and a public reply" || fail "an answered demo ticket lacks its agent or reply"
[ "$(q "SELECT COUNT(*) FROM csat_responses c JOIN tickets t ON t.id = c.ticket_id WHERE t.id > $TIC
	AND (t.status NOT IN ('resolved', 'closed') OR c.score NOT BETWEEN 1 AND 5)")" = 0 ] &&
	ok "survey answers belong to finished tickets, scored 1 to 5" || fail "a survey answer is out of place"
[ "$(q "SELECT COUNT(*) FROM kb_articles a LEFT JOIN kb_search s ON s.article_id = a.id
	WHERE a.id > $KB AND (s.article_id IS NULL OR s.published <> (a.status = 'published'))")" = 0 ] &&
	[ "$(q "SELECT COUNT(*) FROM kb_articles WHERE id > $KB")" -gt 0 ] &&
	ok "every demo article is in the knowledge base's search" || fail "demo articles missing from kb_search"

# Marketing: six campaigns, one of each type and of each status, their
# kept member counts exact, every member's response times in order, e-mail
# sent only to those who agreed, and a consent record behind every
# consent flag of this run's contacts.
[ "$(q "SELECT COUNT(*), COUNT(DISTINCT type), COUNT(DISTINCT status) FROM campaigns WHERE id > $CAMP")" = "$(printf '6\t5\t3')" ] &&
	echo "$out" | grep -q "added 6 campaigns" && ok "the marketing demo adds campaigns of every type and status" ||
	fail "campaigns: $(q "SELECT type, status FROM campaigns WHERE id > $CAMP") $out"
[ "$(q "SELECT COUNT(*) FROM campaigns c WHERE c.id > $CAMP AND c.members <> (SELECT COUNT(*) FROM campaign_members m WHERE m.campaign_id = c.id)")" = 0 ] &&
	[ "$(q "SELECT COUNT(*) FROM campaign_members WHERE campaign_id > $CAMP")" -gt 0 ] &&
	ok "each demo campaign's kept member count is its members'" || fail "campaigns.members disagrees with campaign_members"
[ "$(q "SELECT COUNT(*) FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id WHERE c.id > $CAMP AND (
	(m.status = 'targeted') <> (m.sent_at IS NULL) OR (c.status = 'planned') <> (m.status = 'targeted')
	OR m.opened_at < m.sent_at OR m.clicked_at < m.opened_at OR m.converted_at < m.responded_at
	OR (m.status = 'converted' AND m.converted_at IS NULL) OR (m.status IN ('responded', 'converted')) <> (m.responded_at IS NOT NULL)
	OR (m.status = 'bounced') <> (m.bounced_at IS NOT NULL) OR (m.status = 'unsubscribed') <> (m.unsubscribed_at IS NOT NULL))")" = 0 ] &&
	ok "every demo member's status and response times agree, in order" || fail "a demo member's times are out of order"
[ "$(q "SELECT COUNT(*) FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id JOIN contacts ct ON ct.id = m.contact_id
	WHERE c.id > $CAMP AND c.type = 'email' AND m.sent_at IS NOT NULL AND NOT ct.consent_email")" = 0 ] &&
	ok "demo e-mail went only to contacts who agreed" || fail "a demo e-mail member has no consent"
[ "$(q "SELECT COUNT(*) FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id WHERE c.id > $CAMP
	AND c.type <> 'email' AND (m.opened_at IS NOT NULL OR m.clicked_at IS NOT NULL)")" = 0 ] &&
	ok "only e-mail campaigns record opens and clicks" || fail "a non-e-mail member has an open or click"
[ "$(q "SELECT COUNT(*) FROM contacts c WHERE c.id > $CT0 AND (c.consent_email <> EXISTS (SELECT 1 FROM consents x
	WHERE x.contact_id = c.id AND x.purpose = 'email' AND x.granted) OR c.consent_sms <> EXISTS (SELECT 1 FROM consents x
	WHERE x.contact_id = c.id AND x.purpose = 'sms' AND x.granted))")" = 0 ] &&
	[ "$(q "SELECT COUNT(*) FROM consents x WHERE x.contact_id > $CT0 AND x.purpose = 'sms'")" -gt 0 ] &&
	ok "a consent record stands behind every e-mail and SMS consent flag" || fail "consent flags and records disagree"
[ "$(q "SELECT COUNT(*) FROM campaigns c WHERE c.id > $CAMP AND c.actual_cost > 0 AND c.status = 'planned'")" = 0 ] &&
	[ "$(q "SELECT COUNT(*) FROM campaigns c WHERE c.id > $CAMP AND c.status = 'completed' AND (c.actual_cost = 0 OR c.budget = 0)")" = 0 ] &&
	ok "planned campaigns cost nothing yet, completed ones have their cost" || fail "demo campaign costs"
[ "$(q "SELECT COUNT(*) FROM email_templates WHERE id > $TPL")" = 1 ] &&
	[ "$(q "SELECT COUNT(*) FROM segments WHERE id > $SEG AND JSON_VALUE(conditions, '$.groups[0].conditions[0].field') = 'contact.city'")" = 1 ] &&
	ok "the demo adds an e-mail template and a segment with valid conditions" || fail "demo template or segment"
[ "$(q "SELECT COUNT(*) FROM target_lists l WHERE l.id > $LST AND l.members = (SELECT COUNT(*) FROM target_list_members m WHERE m.list_id = l.id)
	AND NOT EXISTS (SELECT 1 FROM target_list_members m JOIN contacts ct ON ct.id = m.contact_id WHERE m.list_id = l.id AND ct.city <> 'Berlin')")" = 1 ] &&
	[ "$(q "SELECT COUNT(*) FROM campaign_targets t WHERE t.campaign_id > $CAMP AND t.list_id > $LST")" = 6 ] &&
	ok "the demo's target list is its segment's members, the target of every demo campaign" || fail "demo target list"

# Automation: the demo's rules are there, enabled, once each however often
# the demo runs.
[ "$(q "SELECT COUNT(*) FROM rules WHERE enabled AND name IN ('Urgent tickets: tell the agent',
	'Quotes a week from expiry: a call for the owner', 'Won deals: a thank-you task')")" = 3 ] &&
	ok "demo: three automation rules, enabled" ||
	fail "demo: rules: $(q "SELECT GROUP_CONCAT(name, ':', enabled) FROM rules")"
