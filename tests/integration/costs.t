#!/bin/bash
# tests/integration/costs.t: make costs' script end to end on this machine
# (two runs of the costs profile, then `lazymmu-bench costs`): the cost
# file is what compare --predict reads, its label says what it is, the
# runs are ordinary runs; and bad input.
. "$(dirname "$0")/../lib.sh"
plan 10
scripts/costs --runs 2 --out "$TMP/c" > "$TMP/out" 2> "$TMP/err"
check "scripts/costs --runs 2: exit 0" [ $? = 0 ]
check "it says what it left out (the kernel half)" grep -q '^costs: left out: the kernel half' "$TMP/out"
check "both runs validate" bash -c "for r in \$(ls -d $TMP/c/*/); do $LMB check \$r || exit 1; done && [ \$(ls -d $TMP/c/*/ | wc -l) = 2 ]"
if [ "$(uname -m)" = x86_64 ]; then
	check "x86_64: labelled stand-in, with the stand-ins named" jqt "$TMP/c/costs.json" \
		'.label == "stand-in" and (.note | test("mfence for dsb ish"))'
else
	check "arm64: labelled measured" jqt "$TMP/c/costs.json" '.label == "measured"'
fi
check "per kind: a median over the 2 runs with its interval (the runs' min and max, said so)" jqt "$TMP/c/costs.json" \
	'(.kinds | length) >= 4 and all(.kinds[]; .runs == 2 and .lo <= .ns and .ns <= .hi) and (.note | test("minimum and maximum"))'
r1=$(ls -d "$TMP"/c/*/ | head -n 1)
cpu=$(jq -r '(if .system.cpu.midr then "MIDR " + .system.cpu.midr else .system.cpu.model // "unknown CPU" end) + " " + .system.machine' "$r1/meta.json")
check "the file names the CPU as compare names a hardware run's ($cpu) and the kernel by its release" \
	jqt "$TMP/c/costs.json" ".cpu == \"$cpu\" and .kernel == \"$(uname -r)\""
tar -xJf results/reference/run.tar.xz -C "$TMP"
R=$(ls -d "$TMP"/*-lab-reference/ | head -n1)
check "compare --predict reads it" bash -c "$LMB compare --baseline stock-on --predict $TMP/c/costs.json $R/stock-on $R/permissive-nesting-on | grep -q '^predicted from counts x '"
refused "--runs 0" "scripts/costs --runs 0 --out $TMP/bad" "--runs must be 1..64"
refused "an unknown option" "scripts/costs --fast" "unknown option '--fast'"
refused "costs over a run that has no cost loop" "$LMB costs $R/stock-on" "no cost loop with its overhead loop"
