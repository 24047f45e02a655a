#!/bin/sh
# The analytics reference check (issue 8): our RFM and k-means against
# pandas and scikit-learn on the same synthetic data. Prints "ok - ..." or
# "FAIL - ..." lines for scripts/check.sh. Usage: run.sh OUTDIR
set -u
OUT=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER=$TOP/build/analytics/analytics_ref
# Debian's interpreter, where python3-sklearn installs: a python3 earlier
# on PATH (pyenv, a virtualenv) would not see it.
PY=${CRM_PYTHON:-/usr/bin/python3}
K=5 N_INIT=10 SEED=1
mkdir -p "$OUT"
if ! "$PY" -c 'import sklearn, pandas, numpy' 2>/dev/null; then
	echo "FAIL - analytics: scikit-learn, pandas or numpy missing for $PY (scripts/deps.sh)"
	exit 0
fi
if [ ! -x "$DRIVER" ]; then
	echo "FAIL - analytics: $DRIVER is not built (make all)"
	exit 0
fi
"$PY" "$TOP/tests/analytics/gen.py" "$OUT" &&
	"$DRIVER" rfm "$OUT/rfm.csv" "$OUT/rfm_ours.csv" &&
	"$DRIVER" kmeans "$OUT/blobs.csv" $K $N_INIT $SEED "$OUT/kmeans_ours.csv" > "$OUT/kmeans_ours.txt" &&
	"$PY" "$TOP/tests/analytics/compare.py" "$OUT" $K $N_INIT ||
	echo "FAIL - analytics: the reference check did not run to the end (exit $?)"
# Each further method brings its own check: check_<name>.sh OUTDIR, which
# prints its own "ok - " and "FAIL - " lines.
for check in "$TOP"/tests/analytics/check_*.sh; do
	[ -e "$check" ] || continue
	CRM_PYTHON=$PY sh "$check" "$OUT" || echo "FAIL - analytics: $(basename "$check") exited $?"
done
