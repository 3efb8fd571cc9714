#!/bin/bash
# scripts/server/stressng-check: stress-ng's stressors kept with a run,
# and the table that compares how both tools move between runs.
. "$(dirname "$0")/../lib.sh"
plan 10
S=scripts/server/stressng-check
mk() { "$LMB" run --case 'fork size=1M' --case 'mprotect size=4K' --case 'munmap size=64K' \
	--iterations 20 --warmup 1 --pmu none --out "$TMP/r" --quiet | tail -n1; }
A=$(mk) B=$(mk)
$S run "$A" --seconds 1 > /dev/null
check "run: stress-ng.json with the three stressors" jqt "$A/stress-ng.json" '.schema == "lazymmu-bench/stress-ng" and ([.stressors[] | .ns_per_op > 0 and .bogo_ops > 0] | all and length == 3)'
check "run: on the CPU the run was pinned to" [ "$(jqv "$A/stress-ng.json" .cpu)" = "$(jqv "$A/meta.json" .pinned_cpu)" ]
$S run "$B" --seconds 1 --stressors mprotect > /dev/null
check "run --stressors: only those" jqt "$B/stress-ng.json" '.stressors | keys == ["mprotect"]'
$S table a="$A" b="$B" > "$TMP/t"
check "table: ours and stress-ng's ratios, with a verdict" grep -qE '^mprotect +b +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+  (agree|differ)$' "$TMP/t"
check "table: a stressor b lacks is left out for b" [ "$(grep -c '^fork ' "$TMP/t")" = 1 ]
# Known ratios: copies of A whose mprotect figures moved by a known amount.
scaled() { # scaled DIR OURS SN: A with mprotect's p50 x OURS, its stress-ng ns x SN
	local f
	cp -r "$A" "$1"
	f=$(ls "$1"/*-mprotect.json)
	jq --argjson k "$2" '.latency_ns.op_ns |= (.min *= $k | .p50 *= $k | .p90 *= $k | .p99 *= $k | .max *= $k | .mean *= $k | .stddev *= $k)' "$f" > "$f.new" && mv "$f.new" "$f"
	jq --argjson k "$3" '.stressors.mprotect.ns_per_op *= $k' "$1/stress-ng.json" > "$1/s.new" && mv "$1/s.new" "$1/stress-ng.json"
}
scaled "$TMP/up" 1.1 1.08
scaled "$TMP/split" 1.1 0.9
$S table a="$A" up="$TMP/up" split="$TMP/split" > "$TMP/t"
check "table: both 8-10 % slower agree, ratios from stats" grep -qE '^mprotect +up +[0-9.]+ +1[.]100 +[0-9.]+ +1[.]080  agree$' "$TMP/t"
check "table: one slower, one faster differ" grep -qE '^mprotect +split +[0-9.]+ +1[.]100 +[0-9.]+ +0[.]900  differ$' "$TMP/t"
$S run "$TMP/none" 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "run on no run: exit 2, one line"
$S run "$A" --stressors fork,brk 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "unknown stressor 'brk'" "$TMP/err"; }; verdict "unknown stressor: exit 2, one line"
$S table "$A" 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "table without LABEL=: exit 2, one line"
