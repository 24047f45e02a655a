#!/bin/sh
# make fuzz: runs every libFuzzer target for FUZZ_TIME seconds, keeping its
# corpus in build/fuzz-corpus so later runs start where this one stopped.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
secs=${1:-60}
rc=0
for f in build/fuzz/fuzz_*; do
	name=$(basename "$f")
	corpus=build/fuzz-corpus/$name
	mkdir -p "$corpus"
	seeds=tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=""
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	echo "== $name for ${secs}s"
	if "$f" -max_total_time="$secs" $dict -artifact_prefix=build/ "$corpus" $seeds 2>&1 | tail -3; then :; else rc=1; fi
done
exit $rc
