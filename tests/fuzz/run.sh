#!/bin/sh
# Runs each libFuzzer harness for SECONDS seconds, one after another:
#   sh tests/fuzz/run.sh SECONDS build/fuzz/bin/fuzz_NAME...
# Seeds come from tests/fuzz/corpus/NAME (committed, read-only here); what
# the fuzzer finds grows tests/fuzz/corpus-run/NAME (not committed).  A
# crash, leak, timeout or failed property leaves its input in
# build/fuzz/artifacts/ and makes the run fail.  Prints one line per
# harness with its exec count, for tests/fuzz/README.md.
set -u
secs=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
mkdir -p build/fuzz/artifacts build/fuzz/logs
status=0
summary=""
for bin in "$@"; do
	name=$(basename "$bin" | sed 's/^fuzz_//')
	seeds=tests/fuzz/corpus/$name
	work=tests/fuzz/corpus-run/$name
	log=build/fuzz/logs/$name.log
	mkdir -p "$work"
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb: memory
	# growth past 2 GiB is a finding; -max_len: room for the size and
	# line limits (4 KiB lines, 64 KiB files) to be crossed.
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=70000 -print_final_stats=1 \
	    -artifact_prefix="build/fuzz/artifacts/$name-" \
	    "$work" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	corpus=$(ls "$work" | wc -l)
	if [ "$rc" -ne 0 ]; then
		status=1
		line="fuzz_$name: FAILED (exit $rc) after ${execs:-?} execs; see $log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*property failed)' "$log" |
		    head -5
	else
		line="fuzz_$name: ${execs:-?} execs in ${secs} s (${rate:-?}/s), corpus $corpus"
	fi
	echo "$line"
	summary="$summary$line
"
done
echo "fuzz $(date -u +%Y-%m-%dT%H:%M:%SZ), ${secs} s each:"
printf '%s' "$summary"
exit $status
