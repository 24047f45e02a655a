#!/bin/sh
# The sentiment reference check: our tokeniser and multinomial naive Bayes
# (lib/analytics/tokens.c, bayes.c) against scikit-learn's MultinomialNB on
# a CountVectorizer with the same tokenisation, on synthetic labelled text
# in English and Chinese. Usage: check_sentiment.sh OUTDIR
set -u
OUT=$1/sentiment
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER=$TOP/build/analytics/sentiment_ref
PY=${CRM_PYTHON:-/usr/bin/python3}
mkdir -p "$OUT"
if ! "$PY" -c 'import sklearn, numpy' 2>/dev/null; then
	echo "FAIL - sentiment: scikit-learn or numpy missing for $PY (scripts/deps.sh)"
	exit 0
fi
if [ ! -x "$DRIVER" ]; then
	echo "FAIL - sentiment: $DRIVER is not built (make all)"
	exit 0
fi
"$PY" "$TOP/tests/analytics/sentiment_gen.py" "$OUT" &&
	"$DRIVER" "$OUT/sentiment_train.tsv" "$OUT/sentiment_test.tsv" "$OUT/sentiment_ours.txt" &&
	"$PY" "$TOP/tests/analytics/sentiment_compare.py" "$OUT" ||
	echo "FAIL - sentiment: the reference check did not run to the end (exit $?)"
