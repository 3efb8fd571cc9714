#!/bin/bash
# Malformed runs, resumes that would mix data, empty values: every
# consumer reads runs through one reader (bench/results.c), so `check`,
# `show` and `run --resume` refuse the same runs, each with one line and
# exit status 2, nothing written.
. "$(dirname "$0")/../lib.sh"
plan 51

R=$("$LMB" run --case 'mprotect size=4K' --case 'munmap size=1M' --iterations 20 \
	--warmup 1 --out "$TMP/good" --quiet 2>/dev/null | tail -n1)

# mutate NAME FILE FILTER: a copy of the good run with FILE put through jq.
mutate() {
	rm -rf "$TMP/$1"
	cp -r "$R" "$TMP/$1"
	jq "$3" "$R/$2" > "$TMP/$1/$2"
}

# bad NAME FILE FILTER WANT: check and show refuse the mutated copy with
# one line matching WANT; 2 tests.
bad() {
	mutate "$1" "$2" "$3"
	refused "$1: check refuses it" "'$LMB' check '$TMP/$1'" "$4"
	refused "$1: show refuses it" "'$LMB' show '$TMP/$1'" "$4"
}

check "the good run is one" "$LMB" check "$R"
bad no-cases meta.json 'del(.cases)' 'no cases array'
bad counters-5 00-mprotect.json '.counters = 5' 'counters is not an array'
bad counter-no-label 00-mprotect.json '.counters[0] |= del(.label)' 'counter 0 has no label'
bad counter-phase-text 00-mprotect.json '(.counters[] | select(.status == "ok") | .phases.measure.count) = "many"' 'count or per_op is not a number'
bad latency-text 00-mprotect.json '.latency_ns.op_ns = "x"' 'latency_ns.op_ns has no count'
bad latency-empty 00-mprotect.json '.latency_ns = {}' 'latency_ns has no op_ns'
bad latency-negative 00-mprotect.json '.latency_ns.op_ns.p50 = -1' 'latency_ns.op_ns.p50 is missing, negative or out of order'
bad latency-order 00-mprotect.json '.latency_ns.op_ns.min = 1e12' 'out of order'
bad spec-unparsed meta.json '.cases[0].spec = "mprotect size=4Q"' "size '4Q' does not parse"
bad duplicate-entry meta.json '.cases += [.cases[0]]' 'case 2 has index 0'
bad file-outside meta.json '.cases[0].file = "../../etc/passwd"' "file '../../etc/passwd', not '00-mprotect'"
bad other-index 00-mprotect.json '.index = 1' 'index or storm is not meta.json'
bad other-run 00-mprotect.json '.run_id = "another"' "belongs to run 'another'"
bad other-status 00-mprotect.json '.status = "failed" | .reason = "x"' 'status failed, but meta.json says ok'
bad no-run-id meta.json 'del(.run_id)' 'no run_id'

# --resume refuses what would mix data, and writes nothing.
mutate other-kernel meta.json '.system.release = "5.0-other" | .cases[1].done = false | del(.cases[1].status)'
sum=$(cat "$TMP/other-kernel"/* | sha256sum)
refused "resume on another kernel: refused" "'$LMB' run --resume '$TMP/other-kernel' --quiet" \
	'made on another machine, kernel or build, not resumed here: system.release: "5.0-other"'
check "...nothing written" [ "$sum" = "$(cat "$TMP/other-kernel"/* | sha256sum)" ]
mutate other-build meta.json '.tool_version = "0000000" | .cases[1].done = false | del(.cases[1].status)'
refused "resume by another build: refused" "'$LMB' run --resume '$TMP/other-build' --quiet" \
	'tool_version: "0000000" \(run\)'
mutate unfinished meta.json '.cases[1].done = false | del(.cases[1].status)'
for opt in "--iterations 5" "--size 8K" "--storms munmap" "--pmu none" "--out $TMP/x" "--profile quick"; do
	refused "resume with ${opt%% *}: refused" "'$LMB' run --resume '$TMP/unfinished' $opt --quiet" \
		"^lazymmu-bench: ${opt%% *}: not with --resume"
done
mutate min-time meta.json '.options.min_time_s = -1 | .cases[1].done = false | del(.cases[1].status)'
refused "resume of options edited out of range: refused" "'$LMB' run --resume '$TMP/min-time' --quiet" \
	'options.min_time_s: min-time'
refused "resume of a run without a cases array: refused" \
	"'$LMB' run --resume '$TMP/no-cases' --quiet" 'no cases array'
refused "resume of a run with a broken case file: refused" \
	"'$LMB' run --resume '$TMP/counters-5' --quiet" 'counters is not an array'
{ [ ! -e "$TMP/x" ] && [ "$(jq -r '.cases[1].done' "$TMP/unfinished/meta.json")" = false ]; }
verdict "...and none of them was written to"
"$LMB" run --resume "$TMP/unfinished" --cpu none --quiet >/dev/null 2>"$TMP/err"
check "resume with this session's --cpu goes on" [ "$(jq -r '.cases[1].done' "$TMP/unfinished/meta.json")" = true ]

# One writer per run: a resume while the run is being written is refused.
"$LMB" run --case 'mprotect size=4K' --iterations 100000000 --warmup 1 --pmu none \
	--out "$TMP/long" --quiet >/dev/null 2>&1 &
pid=$!
wait_for "$TMP/long/*/meta.json" $pid
long=$(ls -d "$TMP"/long/*/ 2>/dev/null | head -n1)
refused "a second writer of a run being written: refused" \
	"'$LMB' run --resume '${long%/}' --quiet" 'another lazymmu-bench run is writing it'
kill $pid 2>/dev/null
wait $pid 2>/dev/null

# A run directory appears whole or not at all: a write that fails at the
# start (here the file size limit, as a full disk would) leaves nothing.
(trap '' XFSZ; ulimit -f 2; exec "$LMB" run --case 'mprotect size=4K' --iterations 2 \
	--out "$TMP/full" --quiet) >/dev/null 2>"$TMP/err"
rc=$?
{ [ $rc = 2 ] && one_line && [ -z "$(ls -A "$TMP/full")" ]; }
verdict "a failed start: exit 2, one line, no run directory at all"

# --dry-run checks what a run would and writes nothing.
"$LMB" run --dry-run --case 'fork size=1M' --iterations 3 --out "$TMP/dry" >"$TMP/out" 2>"$TMP/err"
{ [ $? = 0 ] && grep -qx 'case fork size=1M thp=0 cow=0' "$TMP/out" && [ ! -e "$TMP/dry" ]; }
verdict "--dry-run: the cases, nothing written"
refused "--dry-run: bad options refused" "'$LMB' run --dry-run --iterations 0" 'iterations must be at least 1'

# Messages: input echoed escaped and cut, one line.
"$LMB" run --case "$(printf 'fo\033[31mo')" >/dev/null 2>"$TMP/err"
{ one_line && grep -qF "'fo\\x1b[31mo'" "$TMP/err"; }
verdict "control characters in a message are escaped"
"$LMB" run --case "fork $(head -c 100000 /dev/zero | tr '\0' x)=1" >/dev/null 2>"$TMP/err"
{ one_line && [ "$(wc -c < "$TMP/err")" -lt 500 ]; }
verdict "a long input is cut in the message"
