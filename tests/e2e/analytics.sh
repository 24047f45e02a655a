#!/bin/bash
# crmctl analytics rfm: every account that has ordered gets recency,
# frequency and money scores of 1 to 5 by quintile, identical to pandas'
# qcut of rank(method='first') on the same aggregates (an independent
# implementation), cancelled orders left out; the account page shows them.
. "$(dirname "$0")/lib.sh"
IP=127.0.41.$(( $$ % 250 + 1 ))   # its own client address: nginx limits sign-ins per address
RUN=$$
PY=${CRM_PYTHON:-/usr/bin/python3}
PW='scores by quintile 5'
echo "$PW" | $CTL user add --email "ann-an$RUN@example.com" --name "ann an$RUN" --role sales --password-stdin >/dev/null
signin "$TMP/ann" "ann-an$RUN@example.com"
ANN=$($SQL -e "SELECT id FROM users WHERE email = 'ann-an$RUN@example.com'")
base=$($SQL -e "SELECT value FROM settings WHERE name = 'base_currency'")
# Seven accounts: ties in recency and in money, one with a cancelled order
# only, one with no orders at all.
for i in 1 2 3 4 5 6 7; do
	$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Score $i an$RUN', $ANN)"
done
acc() { $SQL -e "SELECT id FROM accounts WHERE name = 'Score $1 an$RUN'"; }
order() { # ACCOUNT DAYS_AGO AMOUNT STATUS
	$SQL -e "INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id, status)
		VALUES ('AN-$RUN-$((++N))', $1, '$base', UTC_DATE() - INTERVAL $2 DAY, $3, 0, $3, $3, $ANN, '$4')"
}
N=0
order "$(acc 1)" 3 100 confirmed; order "$(acc 1)" 40 250.50 delivered; order "$(acc 1)" 90 80 shipped
order "$(acc 2)" 3 900 confirmed
order "$(acc 3)" 400 100 confirmed; order "$(acc 3)" 380 100 confirmed
order "$(acc 4)" 10 5000 confirmed; order "$(acc 4)" 11 5000 cancelled
order "$(acc 5)" 2 75 cancelled
order "$(acc 6)" 700 12.25 delivered

out=$($CTL analytics rfm)
case $out in "rfm: "*" customers scored in "*) ok "analytics: crmctl analytics rfm ($out)" ;; *) fail "analytics: rfm: $out" ;; esac
n=$($SQL -e "SELECT COUNT(DISTINCT account_id) FROM orders WHERE status <> 'cancelled'")
[ "$($SQL -e "SELECT COUNT(*) FROM customer_scores")" = "$n" ] && ok "analytics: one row per account that has ordered ($n)" || fail "analytics: rows $($SQL -e "SELECT COUNT(*) FROM customer_scores") for $n accounts"
[ "$($SQL -e "SELECT COUNT(*) FROM customer_scores WHERE account_id IN ($(acc 5), $(acc 7))")" = 0 ] &&
	ok "analytics: an account with only a cancelled order, or none, is not scored" || fail "analytics: unscored accounts have scores"
[ "$($SQL -e "SELECT CONCAT_WS('|', recency_days, orders, revenue) FROM customer_scores WHERE account_id = $(acc 1)")" = "3|3|430.50" ] &&
	ok "analytics: an account's recency, orders and money from its orders" || fail "analytics: account 1: $($SQL -e "SELECT recency_days, orders, revenue FROM customer_scores WHERE account_id = $(acc 1)")"
[ "$($SQL -e "SELECT CONCAT_WS('|', orders, revenue) FROM customer_scores WHERE account_id = $(acc 4)")" = "1|5000.00" ] &&
	ok "analytics: ... cancelled orders left out" || fail "analytics: account 4 counts its cancelled order"

# Every score as pandas gives it on the same aggregates, in account order.
$SQL -e "SELECT account_id, DATEDIFF(UTC_DATE(), MAX(ordered_on)), COUNT(*), SUM(total_base) FROM orders
	WHERE status <> 'cancelled' GROUP BY account_id ORDER BY account_id" > "$TMP/input.tsv"
$SQL -e "SELECT account_id, r, f, m FROM customer_scores ORDER BY account_id" > "$TMP/ours.tsv"
if "$PY" -c 'import pandas' 2>/dev/null; then
	res=$("$PY" - "$TMP/input.tsv" "$TMP/ours.tsv" <<'PY'
import sys
import pandas as pd
x = pd.read_csv(sys.argv[1], sep="\t", header=None, names=["id", "rec", "freq", "money"])
ours = pd.read_csv(sys.argv[2], sep="\t", header=None, names=["id", "r", "f", "m"])
def q(s, labels):
    if len(s) == 1:
        return pd.Series([labels[0]], index=s.index)
    return pd.qcut(s.rank(method="first"), 5, labels=labels).astype(int)
want = pd.DataFrame({"id": x["id"], "r": q(x["rec"], [5, 4, 3, 2, 1]), "f": q(x["freq"], [1, 2, 3, 4, 5]),
                     "m": q(x["money"], [1, 2, 3, 4, 5])})
if len(want) == 1:
    want.loc[:, ["r", "f", "m"]] = [5, 1, 1]
bad = (want.reset_index(drop=True) != ours.reset_index(drop=True)).any(axis=1).sum()
print("%d %d" % (len(want), bad))
PY
)
	[ "${res#* }" = 0 ] && ok "analytics: RFM scores identical to pandas qcut for all ${res% *} scored accounts" || fail "analytics: RFM differs from pandas for ${res#* } of ${res% *}"
else
	fail "analytics: pandas missing for $PY (scripts/deps.sh)"
fi

# The account page shows the score.
fetch -b "$TMP/ann" "$BASE/customers/accounts/$(acc 1)"
want=$($SQL -e "SELECT CONCAT(r, '-', f, '-', m) FROM customer_scores WHERE account_id = $(acc 1)")
grep -q "id=\"account-rfm-score\"[^>]*>$want<" "$TMP/b" && ok "analytics: the account page shows its score ($want)" || fail "analytics: account page lacks $want"
fetch -b "$TMP/ann" "$BASE/customers/accounts/$(acc 7)"
grep -q 'id="account-rfm"' "$TMP/b" && fail "analytics: an unscored account shows a score" || ok "analytics: ... and an unscored one shows none"
# A second run replaces the scores whole.
order "$(acc 7)" 1 10 confirmed
$CTL analytics rfm >/dev/null
[ "$($SQL -e "SELECT COUNT(*) FROM customer_scores")" = "$((n + 1))" ] && [ "$($SQL -e "SELECT recency_days FROM customer_scores WHERE account_id = $(acc 7)")" = 1 ] &&
	ok "analytics: a second run scores the new customer too" || fail "analytics: second run"
out=$($CTL analytics nothing 2>&1); rc=$?
[ "$rc" = 2 ] && ok "analytics: an unknown method is a usage error" || fail "analytics: unknown method rc $rc: $out"
