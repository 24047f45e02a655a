#!/bin/sh
# The forecast reference check: our seasonal least squares
# (lib/analytics/ols.c) against scikit-learn's LinearRegression and the
# textbook prediction interval in numpy/scipy, on synthetic monthly series
# with a trend, a seasonal shape and noise. Usage: check_forecast.sh OUTDIR
set -u
OUT=$1/forecast
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER=$TOP/build/analytics/forecast_ref
PY=${CRM_PYTHON:-/usr/bin/python3}
HORIZON=12
mkdir -p "$OUT"
if ! "$PY" -c 'import sklearn, numpy, scipy' 2>/dev/null; then
	echo "FAIL - forecast: scikit-learn, numpy or scipy missing for $PY (scripts/deps.sh)"
	exit 0
fi
if [ ! -x "$DRIVER" ]; then
	echo "FAIL - forecast: $DRIVER is not built (make all)"
	exit 0
fi
"$PY" "$TOP/tests/analytics/forecast_gen.py" "$OUT" || {
	echo "FAIL - forecast: the generator failed"
	exit 0
}
while read -r name first; do
	"$DRIVER" "$OUT/forecast_$name.csv" "$first" $HORIZON "$OUT/forecast_${name}_ours.txt" ||
		echo "FAIL - forecast: $name: forecast_ref exited $?"
done < "$OUT/forecast_cases.txt"
"$PY" "$TOP/tests/analytics/forecast_compare.py" "$OUT" $HORIZON ||
	echo "FAIL - forecast: the comparison did not run to the end (exit $?)"
