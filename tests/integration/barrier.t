#!/bin/bash
# The barrier storm on this machine: the overhead loop and this
# architecture's instructions run and give well-formed results; the other
# architecture's are unavailable with the reason; the costs profile runs
# whole; bad option values are refused.  Nothing here depends on timing.
. "$(dirname "$0")/../lib.sh"
plan 15

a64="dsb-ish dsb-ishst dmb-ish dmb-ishst dmb-ishld isb"
x86="mfence sfence lfence cpuid"
m=$(uname -m)
case "$m" in
x86_64) native=$x86 foreign=$a64 farch=arm64 ;;
aarch64) native=$a64 foreign=$x86 farch=x86_64 ;;
*) native="" foreign="$a64 $x86" farch="(arm64|x86_64)" ;;
esac

args=(--case barrier --case 'barrier insn=none stores=64 loops=3')
for i in $native; do args+=(--case "barrier insn=$i stores=8 loops=100"); done
for i in $foreign; do args+=(--case "barrier insn=$i"); done
out=$("$LMB" run "${args[@]}" --iterations 20 --warmup 2 --out "$TMP/r" --quiet 2>"$TMP/err")
check "the barrier cases run, exit 0" [ $? = 0 ]
run=$(echo "$out" | tail -n1)
check "check validates the run" "$LMB" check "$run"
# c SPEC: the case file of the case with that spec.
c() { echo "$run/$(jqv "$run/meta.json" "[.cases[] | select(.spec == \"$1\")][0].file").json"; }
check "defaults: insn=none stores=0 loops=1000" jqt "$run/meta.json" \
	'.cases[0].spec == "barrier insn=none stores=0 loops=1000"'
for s in 'barrier insn=none stores=0 loops=1000' 'barrier insn=none stores=64 loops=3'; do
	check "$s: ok, 20 ops timed" jqt "$(c "$s")" \
		'.status == "ok" and .iterations == 20 and .latency_ns.op_ns.n == 20 and .latency_ns.op_ns.min > 0'
done
check "the buffer is the footprint: 4K, touched" jqt "$(c 'barrier insn=none stores=0 loops=1000')" \
	'.region.region_kb == 4 and .region.rss_kb >= 4'
if [ -n "$native" ]; then
	bad=0
	for i in $native; do
		jqt "$(c "barrier insn=$i stores=8 loops=100")" \
			'.status == "ok" and .iterations == 20 and .latency_ns.op_ns.min > 0 and .latency_ns.op_ns.min <= .latency_ns.op_ns.p50' || bad=1
	done
	check "$m's instructions ($native) run, ok" [ $bad = 0 ]
else
	skip "no barrier instruction of this architecture ($m)"
fi
{
	for i in $foreign; do
		[ "$(jqv "$run/meta.json" ".cases[] | select(.spec == \"barrier insn=$i stores=0 loops=1000\") | .status")" = unavailable ] &&
		jq -e --arg re "^${i/-/ } is an? $farch instruction \\(this is $m\\)\$" \
			'.status == "unavailable" and (.reason | test($re)) and .latency_ns == null' \
			"$(c "barrier insn=$i stores=0 loops=1000")" >/dev/null || exit 1
	done
}; verdict "the other architecture's ($foreign): unavailable, the reason names it and this machine"

# The costs profile: every instruction with 0 and 8 stores, on any machine.
out=$("$LMB" run --profile costs --iterations 3 --warmup 1 --pmu none --out "$TMP/p" --quiet 2>"$TMP/err")
check "the costs profile runs, exit 0" [ $? = 0 ]
p=$(echo "$out" | tail -n1)
check "costs: kcalib, 22 barrier cases (each insn with stores=0 and stores=8, loops=1000), 5 kcost sequences" jqt "$p/meta.json" \
	'[.cases[].spec] == (["kcalib rounds=1000"] + [("none", "dsb-ish", "dsb-ishst", "dmb-ish", "dmb-ishst", "dmb-ishld", "isb", "mfence", "sfence", "lfence", "cpuid") as $i | (0, 8) as $s | "barrier insn=\($i) stores=\($s) loops=1000"] + [("pte", "pte0", "tlbi-vaale1is", "tlbi-vale1is", "loop") as $q | "kcost seq=\($q) iterations=1000"])'
n_ok=$(jq '[.cases[] | select(.status == "ok")] | length' "$p/meta.json")
check "costs: none and this machine's instructions ok ($n_ok), the rest unavailable" jqt "$p/meta.json" \
	"([.cases[] | select(.status == \"ok\")] | length) == $((2 + 2 * $(echo $native | wc -w))) and ([.cases[] | select(.status != \"ok\" and .status != \"unavailable\")] | length) == 0"

refused "insn=bogus refused: exit 2, one line" "'$LMB' run --case 'barrier insn=bogus' --out $TMP/x" \
	"barrier: insn: unknown value 'bogus'"
refused "loops=0 refused: exit 2, one line" "'$LMB' run --case 'barrier loops=0' --out $TMP/x" \
	"barrier: loops 0 is out of range \(1 to 1000000\)"
refused "stores=65 refused: exit 2, one line" "'$LMB' run --case 'barrier stores=65' --out $TMP/x" \
	"barrier: stores 65 is out of range \(0 to 64\)"
check "nothing written for a refused case" [ ! -e "$TMP/x" ]
