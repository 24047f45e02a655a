#!/bin/sh
# make fuzz: runs every libFuzzer target for FUZZ_SECONDS seconds (the
# first argument; 60 unless given), FUZZ_JOBS targets at a time (2, in
# turns), each from its working corpus in build/fuzz-corpus and the kept
# seeds in tests/fuzz/corpus. Afterwards the new inputs that add coverage are
# merged into tests/fuzz/corpus (libFuzzer's -merge=1 keeps the smallest
# set), so the next run, and make check's smoke, start from them: commit
# them. A crash leaves its input in build/fuzz-<target>-crash-* and the
# run fails. FUZZ_TARGETS="fuzz_csv fuzz_dav" runs only those targets, so
# the hour-long runs can be spread over several sittings.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
secs=${1:-60}
jobs=${FUZZ_JOBS:-2}
OUT=build/fuzz-logs
mkdir -p "$OUT"

one() { # target binary
	f=$1
	name=$(basename "$f")
	corpus=build/fuzz-corpus/$name
	seeds=tests/fuzz/corpus/$name
	mkdir -p "$corpus" "$seeds"
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 $dict \
		-artifact_prefix="build/fuzz-$name-" "$corpus" "$seeds" >"$OUT/$name.log" 2>&1; then
		before=$(ls "$seeds" | wc -l)
		"$f" -merge=1 $dict "$seeds" "$corpus" >"$OUT/$name-merge.log" 2>&1
		echo "ok - $name: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$OUT/$name.log" | tail -1)," \
			"$(grep -o 'cov: [0-9]* ft: [0-9]*' "$OUT/$name.log" | tail -1); kept corpus $before -> $(ls "$seeds" | wc -l) inputs"
	else
		echo "FAIL - $name: $(grep -m1 -E 'ERROR|SUMMARY|deadly' "$OUT/$name.log") (see $OUT/$name.log, build/fuzz-$name-*)"
	fi
}

running=0
rm -f "$OUT"/*.result
for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $(basename "$f") "*) ;; *) continue ;; esac
	fi
	one "$f" > "$OUT/$(basename "$f").result" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
cat "$OUT"/*.result
! grep -q '^FAIL' "$OUT"/*.result
