#!/bin/sh
# The churn and lead-scoring reference check (issue 8): our logistic
# regression, AUC, accuracy and decision tree against scikit-learn on the
# same synthetic data and the same held-out split. Prints "ok - churn: ..."
# and "FAIL - churn: ..." lines. Usage: check_churn.sh OUTDIR
set -u
OUT=$1/churn
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER=$TOP/build/analytics/churn_ref
PY=${CRM_PYTHON:-/usr/bin/python3}
SEED=8 DEPTH=3 MINLEAF=40
mkdir -p "$OUT"
if ! "$PY" -c 'import sklearn, pandas, numpy' 2>/dev/null; then
	echo "FAIL - churn: scikit-learn, pandas or numpy missing for $PY (scripts/deps.sh)"
	exit 0
fi
if [ ! -x "$DRIVER" ]; then
	echo "FAIL - churn: $DRIVER is not built (make all)"
	exit 0
fi
"$PY" "$TOP/tests/analytics/gen_churn.py" "$OUT" &&
	"$DRIVER" logit "$OUT/churn.csv" $SEED "$OUT/churn_logit.csv" > "$OUT/churn_logit.txt" &&
	"$DRIVER" tree "$OUT/leads.csv" $SEED $DEPTH $MINLEAF "$OUT/leads_tree.csv" > "$OUT/leads_tree.txt" &&
	"$PY" "$TOP/tests/analytics/compare_churn.py" "$OUT" $DEPTH $MINLEAF ||
	echo "FAIL - churn: the reference check did not run to the end (exit $?)"
