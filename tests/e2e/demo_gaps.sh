#!/bin/bash
# crmctl demo on a database whose account ids have gaps (deleted
# accounts) and soft-deleted accounts: every contact, deal and order it
# adds belongs to a live account, and none fails on a foreign key.
. "$(dirname "$0")/lib.sh"
RUN=$$
q() { $SQL -e "$1"; }
echo 'gaps are not accounts 40' | $CTL user add --email "gp$RUN@example.com" --name "Gp $RUN" --role sales --password-stdin >/dev/null
OWNER=$(q "SELECT id FROM users WHERE email = 'gp$RUN@example.com'")
# Many accounts of which only the first and the last stay, and 20 more
# marked deleted: most ids between the lowest and the highest are gone.
N=$(( $(q "SELECT COUNT(*) FROM accounts") * 6 + 3000 ))
q "INSERT INTO accounts (name, owner_id) SELECT CONCAT('Gap gp$RUN ', seq), $OWNER FROM seq_1_to_$N"
read -r LO HI <<< "$(q "SELECT MIN(id), MAX(id) FROM accounts WHERE name LIKE 'Gap gp$RUN %'")"
q "DELETE FROM accounts WHERE id > $LO AND id < $HI AND name LIKE 'Gap gp$RUN %'"
q "INSERT INTO accounts (name, owner_id, deleted_at) SELECT CONCAT('Gone gp$RUN ', seq), $OWNER, UTC_TIMESTAMP() FROM seq_1_to_20"
live=$(q "SELECT COUNT(*) FROM accounts WHERE deleted_at IS NULL")
span=$(q "SELECT MAX(id) - MIN(id) + 1 FROM accounts")
[ $((span)) -gt $((live * 5)) ] && ok "demo: the accounts' ids have gaps ($live live accounts over $span ids)" ||
	fail "demo: no gaps made: $live live over $span ids"
read -r CT0 OPP0 ORD0 <<< "$(q "SELECT (SELECT COALESCE(MAX(id), 0) FROM contacts), (SELECT COALESCE(MAX(id), 0) FROM opportunities),
	(SELECT COALESCE(MAX(id), 0) FROM orders)")"
out=$($CTL demo --accounts 0 --contacts 60 --activities 0 --leads 0 --opportunities 40 --quotes 5 --orders 40 --tickets 0 --campaigns 0 2>&1); rc=$?
[ $rc = 0 ] && ok "demo: crmctl demo runs on accounts with gaps" || fail "demo: gaps: rc=$rc $(echo "$out" | tail -3)"
[ "$(q "SELECT COUNT(*) FROM contacts WHERE id > $CT0")" = 60 ] && [ "$(q "SELECT COUNT(*) FROM contacts WHERE id > $CT0 AND account_id IS NOT NULL")" -gt 20 ] &&
	ok "demo: ... adding the contacts asked for, most in an account" || fail "demo: contacts $(q "SELECT COUNT(*), COUNT(account_id) FROM contacts WHERE id > $CT0")"
[ "$(q "SELECT (SELECT COUNT(*) FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE c.id > $CT0 AND c.account_id IS NOT NULL
	AND (a.id IS NULL OR a.deleted_at IS NOT NULL))
	+ (SELECT COUNT(*) FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id WHERE o.id > $OPP0 AND (a.id IS NULL OR a.deleted_at IS NOT NULL))
	+ (SELECT COUNT(*) FROM orders o LEFT JOIN accounts a ON a.id = o.account_id WHERE o.id > $ORD0 AND (a.id IS NULL OR a.deleted_at IS NOT NULL))")" = 0 ] &&
	[ "$(q "SELECT COUNT(*) FROM orders WHERE id > $ORD0")" = 40 ] && [ "$(q "SELECT COUNT(*) FROM opportunities WHERE id > $OPP0")" = 40 ] &&
	ok "demo: every new contact, deal and order is in a live account" || fail "demo: a demo record points at a deleted account"
