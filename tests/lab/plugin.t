#!/bin/bash
# The lab's TCG plugin in user mode (qemu-aarch64 -plugin): exact counts
# of a program with known barriers per case and phase, the phase markers
# attributed to the right phase, the real harness's calibration phase
# counted exactly, and lab-import's checks on the result.
. "$(dirname "$0")/../lib.sh"
PLUGIN=build/lab/lmbcount.so
PROG=build/lab/plugin-prog
A64=build/aarch64/lazymmu-bench
plan 17

qemu_plugin() { local args=$1; shift; qemu-aarch64 -plugin "$PLUGIN,$args" "$@"; }

check "the known-count program runs under the plugin" qemu_plugin "out=$TMP/p.json" "$PROG"
P=$TMP/p.json
# n CASE PHASE INSN: the count over all vCPUs, user mode
n() { jq --argjson c "$1" --arg p "$2" --arg i "$3" \
	'[.counts[] | select(.case == $c and .phase == $p and .el == "user" and .insn == $i) | .n] | add // 0' "$P"; }
check "case ids decoded (0x12345678 and 2)" jqt "$P" '[.cases[].case] == [305419896, 2]'
check "setup: 5 dsb ishst" [ "$(n 305419896 setup 'dsb ishst')" = 5 ]
check "measure: 7 dmb ishld, 11 dc cvau, 13 ic ivau" [ "$(n 305419896 measure 'dmb ishld') $(n 305419896 measure 'dc cvau') $(n 305419896 measure 'ic ivau')" = "7 11 13" ]
check "calib: 1000 each of dsb ish, dmb ish, isb" [ "$(n 305419896 calib 'dsb ish') $(n 305419896 calib 'dmb ish') $(n 305419896 calib isb)" = "1000 1000 1000" ]
check "second case: measure 17 dsb sy and 19 isb, prep 3 dmb st" [ "$(n 2 measure 'dsb sy') $(n 2 measure isb) $(n 2 prep 'dmb st')" = "17 19 3" ]
check "nothing else is attributed to the two cases" jqt "$P" \
	'[.counts[] | select(.case != null) | .n] | add == 5 + 7 + 11 + 13 + 3000 + 17 + 19 + 3'
check "25 marker instructions seen (2 ids of 9, 7 phase marks)" jqt "$P" '[.markers[].n] | add == 25'

# Case slots (bench/phase.h): every case a run may hold and the lab's fixed
# ids fit; one id more leaves the counts incomplete, and says so.
def() { sed -n "s/^#define[[:space:]]*$1[[:space:]]*\([0-9]*\).*/\1/p" bench/phase.h; }
ids=$(($(def LMB_MAX_CASES) + $(def LMB_FIXED_CASE_IDS)))
qemu_plugin "out=$TMP/ids.json" "$PROG" ids "$ids"
check "$ids case ids (LMB_MAX_CASES + LMB_FIXED_CASE_IDS) kept apart, each counted" jqt "$TMP/ids.json" \
	".complete and (.cases | length) == $ids and ([.counts[] | select(.case != null and .insn == \"dsb sy\") | .n] | add) == $ids"
qemu_plugin "out=$TMP/ids1.json" "$PROG" ids "$((ids + 1))"
check "one id more: \"complete\": false" jqt "$TMP/ids1.json" '.complete == false'

if qemu_plugin "bogus=1" "$PROG" 2>"$TMP/err"; then
	not_ok "an unknown plugin argument is refused"
else
	check "an unknown plugin argument is refused" grep -q "unknown argument 'bogus=1'" "$TMP/err"
fi

# The real harness under the plugin: its calibration phase must count
# exactly, and lab-import must accept the run.
qemu_plugin "out=$TMP/run.json" "$A64" run --profile smoke --pmu none \
	--calib-barriers 20000 --out "$TMP/r" --quiet >"$TMP/out" 2>&1
check "smoke run under the plugin exits 0" [ $? = 0 ]
run=$(tail -n1 "$TMP/out")
cp -r "$run" "$TMP/pre"
check "lab-import accepts it" "$LMB" lab-import "$run" "$TMP/run.json" variant=user-mode
check "calibration counted exactly by the plugin" jqt "$run/meta.json" \
	'.backend == "lab" and .lab.valid and .calibration.result == "ok" and .calibration.counted == {"dsb": 20000, "dmb": 20000, "isb": 20000, "other": 0}'
check "the imported run still validates" "$LMB" check "$run"

# The lab's init may set a case id around the whole run (the kprobe
# window): the calibration is found by its phase, whatever the case id.
jq '.counts |= map(if .case == null then .case = 4294967280 else . end)' "$TMP/run.json" > "$TMP/run-id.json"
check "calibration found under an init-set case id" bash -c "
	'$LMB' lab-import '$TMP/pre' '$TMP/run-id.json' >/dev/null &&
	jq -e '.calibration.result == \"ok\" and .calibration.counted.dsb == 20000' '$TMP/pre/meta.json'"

# A calibration that does not match is refused: a run whose meta claims
# more barriers than were executed.
cp -r "$run" "$TMP/bad"
jq '.calibration.rounds = 20001' "$run/meta.json" > "$TMP/bad/meta.json"
"$LMB" lab-import "$TMP/bad" "$TMP/run.json" >/dev/null 2>"$TMP/err"
rc=$?
check "a calibration mismatch exits non-zero and marks the run invalid" \
	bash -c "[ $rc != 0 ] && grep -q 'calibration failed' '$TMP/err' && jq -e '.lab.valid == false and .calibration.result == \"failed\"' '$TMP/bad/meta.json'"
