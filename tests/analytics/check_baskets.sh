#!/bin/sh
# The baskets reference check (issue 8): our Apriori rules and item
# cosine (lib/analytics/basket.c) against a pandas/itertools/numpy
# implementation and sklearn's cosine on the same synthetic baskets, which
# hold planted pairs and a triple. Prints "ok - ..." or "FAIL - ..."
# lines. Usage: check_baskets.sh OUTDIR
set -u
OUT=$1/baskets
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER=$TOP/build/analytics/baskets_ref
PY=${CRM_PYTHON:-/usr/bin/python3}
MIN_SUPPORT=0.01 MIN_CONFIDENCE=0.1 TOPN=5
mkdir -p "$OUT"
if [ ! -x "$DRIVER" ]; then
	echo "FAIL - baskets: $DRIVER is not built (make all)"
	exit 0
fi
"$PY" "$TOP/tests/analytics/gen_baskets.py" "$OUT" &&
	"$DRIVER" "$OUT/baskets.csv" $MIN_SUPPORT $MIN_CONFIDENCE $TOPN \
		"$OUT/baskets_rules_ours.csv" "$OUT/baskets_similar_ours.csv" > "$OUT/baskets_ours.txt" &&
	"$PY" "$TOP/tests/analytics/compare_baskets.py" "$OUT" $MIN_SUPPORT $MIN_CONFIDENCE $TOPN ||
	echo "FAIL - baskets: the reference check did not run to the end (exit $?)"
