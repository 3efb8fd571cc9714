#!/bin/bash
# make lab-test: the module's kernel-mode cost loops (the kcost storm,
# bench/kmod/kcost.h) execute exactly what they claim.  One cell: the
# stock kernel with DEBUG_PAGEALLOC, booted with debug_pagealloc=on, two
# vCPUs, the module and the kcosts profile.  The plugin's counts, imported
# by run-cell (lab-import) and read back with `lazymmu-bench lab-counts`
# as every report reads them (kernel mode, the storm's vCPU, per op), must
# be, in the measure phase and in the warmup phase, with N the case's
# iterations (per op):
#   pte            N dsb ishst, N isb, and no other barrier, TLBI or cache op
#   pte0           nothing
#   tlbi-vaale1is  N tlbi vaale1is, N dsb ish, nothing else
#   tlbi-vale1is   N tlbi vale1is, N dsb ish, nothing else
#   loop           nothing
# and nothing in user mode (the window is the loop).  pte0's and loop's
# "nothing" is the reader's "no counted instruction in that phase"; the
# plugin's all-instruction counts (insns=tb) show that their windows ran.
. "$(dirname "$0")/../lib.sh"
plan 14
seqs="pte pte0 tlbi-vaale1is tlbi-vale1is loop"
k=build/kernel/stock/dpa
{ kernels/build stock dpa > "$TMP/kbuild" 2>&1 &&
  bench/kmod/build "$k/obj" "$k/kmod" > /dev/null; } ||
	{ not_ok "stock dpa kernel and module build" "$(tail -n3 "$TMP/kbuild")"; exit 0; }
printf -- '--profile\nkcosts\n--pmu\nnone\n--quiet\n' > "$TMP/args"
scripts/lab/mkinitramfs "$TMP/initramfs" "$TMP/args" > /dev/null
scripts/lab/run-cell --kernel "$k/obj" --dpa on --smp 2 --initramfs "$TMP/initramfs" \
	--out "$TMP/cell" --timeout 900 --cell variant=stock --plugin-args insns=tb \
	--module "$k/kmod/lazymmu_bench.ko" > "$TMP/out" 2>&1
sed 's/^/# /' "$TMP/out"
check "the cell ran; both calibrations exact (user loop, kcalib)" jqt "$TMP/cell/meta.json" \
	'.lab.valid and .calibration.result == "ok" and .calibration.kernel.result == "ok"'
check "the module's selfcheck: stock nesting, debug_pagealloc=on" \
	scripts/lab/selfcheck stock on "$TMP/cell/lab/selfcheck.txt"

# case_file SEQ: the case file of the kcost case of SEQ.
case_file() {
	echo "$TMP/cell/$(jqv "$TMP/cell/meta.json" \
		"[.cases[] | select(.spec | startswith(\"kcost seq=$1 \"))][0].file").json"
}
# want SEQ N: the counted kinds one op of SEQ at N iterations executes,
# "kind<TAB>per op" as lab-counts names them, the non-zero ones, sorted.
want() {
	case $1 in
	pte) printf '%s\t%s\n' dsb "$2" "dsb ishst" "$2" isb "$2" ;;
	tlbi-vaale1is) printf '%s\t%s\n' dsb "$2" "dsb ish" "$2" tlbi "$2" "tlbi vaale1is" "$2" ;;
	tlbi-vale1is) printf '%s\t%s\n' dsb "$2" "dsb ish" "$2" tlbi "$2" "tlbi vale1is" "$2" ;;
	esac | LC_ALL=C sort
}
# got SEQ [lab-counts options]: SEQ's counts per op the same way, from
# lazymmu-bench lab-counts (the shared reader, lab_per_op()): kinds at 0
# per op (a measured phase with nothing counted) and "spec - -" (another
# phase without counts) are both nothing.
got() {
	local spec
	spec=$(jqv "$(case_file "$1")" .spec)
	shift
	"$LMB" lab-counts "$@" "$TMP/cell" | awk -F'\t' -v s="$spec" '
		$1 == s && $3 != "-" && $3 != 0 { print $2 "\t" $3 }' | LC_ALL=C sort
}
# listed SEQ: lab-counts lists SEQ's case
listed() {
	"$LMB" lab-counts "$TMP/cell" |
		awk -F'\t' -v s="$(jqv "$(case_file "$1")" .spec)" '$1 == s { f = 1 } END { exit !f }'
}
iters() { jqv "$(case_file "$1")" .params.iterations; }
# exact SEQ: measure and warmup phases both as claimed
exact() {
	local n
	n=$(iters "$1")
	[ "$(jqv "$(case_file "$1")" .status)" = ok ] && [ "$n" -gt 0 ] && listed "$1" &&
	[ "$(got "$1")" = "$(want "$1" "$n")" ] &&
	[ "$(got "$1" --phase warmup)" = "$(want "$1" "$n")" ]
}
for s in $seqs; do
	echo "# $s ($(iters "$s") iterations), per op, measure: $(got "$s" | tr '\t\n' '= ')"
	case $s in
	pte) what="1 dsb ishst + 1 isb per iteration, nothing else" ;;
	tlbi-*) what="1 tlbi ${s#tlbi-} + 1 dsb ish per iteration, nothing else" ;;
	*) what="no barrier, TLBI or cache op" ;;
	esac
	check "$s: measure and warmup per op exactly $what" exact "$s"
done
# The comparison is not vacuous: each loop's counts fail another's claim.
differ() {
	[ "$(got pte)" != "$(want pte0 "$(iters pte)")" ] &&
	[ "$(got pte0)" != "$(want pte "$(iters pte0)")" ] &&
	[ "$(got tlbi-vale1is)" != "$(want tlbi-vaale1is "$(iters tlbi-vale1is)")" ] &&
	[ "$(got loop)" != "$(want tlbi-vale1is "$(iters loop)")" ]
}
check "the check tells the loops apart (pte vs pte0, vale1is vs vaale1is, loop vs a TLBI loop)" differ
user0() {
	local s
	for s in $seqs; do
		[ -z "$(got "$s" --user)" ] && [ -z "$(got "$s" --user --phase warmup)" ] || return 1
	done
}
check "no counted instruction in user mode in any kcost case's measure or warmup phase" user0
# pte and pte0 leave no mapping: after each op (untimed) the PTE is
# cleared and the page flushed, flush_tlb_kernel_range(): one tlbi vaale1is
# per op, warm-up ops included, and no other TLBI.
flushed() {
	local s
	for s in pte pte0; do
		[ "$(got "$s" --phase untimed | grep '^tlbi')" = "$(printf 'tlbi\t1\ntlbi vaale1is\t1')" ] || return 1
	done
}
check "pte, pte0: the page cleared and flushed after every op (1 tlbi vaale1is per op, untimed)" flushed
# "Nothing counted" is not "nothing ran": with insns=tb the plugin also
# counts every instruction, which the import leaves out; from its raw
# output, each case's measure phase on its vCPU holds kernel instructions
# only, at least one per iteration of every op.
window() { # window SEQ: kernel instructions in SEQ's measure phase on its vCPU, per op and iteration
	jq -r --slurpfile c "$(case_file "$1")" '
		$c[0] as $c | (.cases[] | select(.case == $c.index) | .vcpu) as $v |
		[.insns[] | select(.case == $c.index and .phase == "measure" and .vcpu == $v)] as $r |
		if ([$r[] | select(.el != "kernel" and .n > 0)] | length) > 0 then "user"
		else ([$r[] | .n] | add // 0) / $c.iterations / $c.params.iterations end' \
		"$TMP/cell/lab/plugin.json"
}
echo "# all instructions in the measure phase, kernel, per op and iteration: $(for s in $seqs; do
	printf '%s %.2f ' "$s" "$(window "$s")"; done)"
windows() {
	local s w
	for s in $seqs; do
		w=$(window "$s")
		[ "$w" != user ] && awk -v w="$w" 'BEGIN { exit !(w >= 1) }' || return 1
	done
}
check "every kcost case's window ran: kernel only, >= 1 instruction per iteration (insns=tb)" windows
# kernel_ns: every measured op has the loop's time (emulated: TCG time,
# not a CPU's).  Per iteration, and over the overhead loop (the cost the
# loops exist for), printed for the record only.
ns() { jqv "$(case_file "$1")" .latency_ns.kernel_ns.p50; }
per() { awk -v a="$(ns "$1")" -v n="$(iters "$1")" 'BEGIN { printf "%.2f", a / n }'; }
echo "# kernel_ns p50 per iteration (TCG, not hardware time): $(for s in $seqs; do printf '%s %s ' "$s" "$(per "$s")"; done)"
echo "# over the overhead loop: pte - pte0 $(awk -v a="$(per pte)" -v b="$(per pte0)" 'BEGIN { printf "%.2f", a - b }')," \
	"tlbi-vaale1is - loop $(awk -v a="$(per tlbi-vaale1is)" -v b="$(per loop)" 'BEGIN { printf "%.2f", a - b }')," \
	"tlbi-vale1is - loop $(awk -v a="$(per tlbi-vale1is)" -v b="$(per loop)" 'BEGIN { printf "%.2f", a - b }') ns"
kns() {
	local s
	for s in $seqs; do
		jqt "$(case_file "$s")" '.latency_ns.kernel_ns | .n == 20 and .min > 0' || return 1
	done
}
check "kernel_ns recorded for every kcost op (20 measured, > 0)" kns

# The whole costs profile in a guest (the barrier storm's EL0 loops and
# the kcost sequences in one run), then `lazymmu-bench costs --label
# emulated`: the plumbing of make costs end to end, with every kind solved
# (emulated figures: TCG time, labelled so, not a CPU's costs).
printf -- '--profile\ncosts\n--iterations\n20\n--pmu\nnone\n--quiet\n' > "$TMP/args2"
scripts/lab/mkinitramfs "$TMP/initramfs2" "$TMP/args2" > /dev/null
scripts/lab/run-cell --kernel "$k/obj" --dpa on --smp 2 --initramfs "$TMP/initramfs2" \
	--out "$TMP/cell2" --timeout 900 --cell variant=stock \
	--module "$k/kmod/lazymmu_bench.ko" > "$TMP/out2" 2>&1
"$LMB" costs --label emulated "$TMP/cell2" > "$TMP/costs.json" 2> "$TMP/err"
check "costs --label emulated on the guest's costs run: all 8 kinds, each with its interval" jqt "$TMP/costs.json" \
	'.label == "emulated" and (.kinds | keys | length) == 8 and all(.kinds[]; .lo <= .ns and .ns <= .hi) and
	 ([.equations[] | select(.model)] | length) == 9'
tar -xJf results/reference/run.tar.xz -C "$TMP"
R=$(ls -d "$TMP"/*-lab-reference/ | head -n1)
check "compare --predict with it: the TLBI differences costed too (nothing 'no cost')" bash -c \
	"$LMB compare --baseline stock-on --predict $TMP/costs.json $R/stock-on $R/flag-restore-on > $TMP/p.txt &&
	 grep -q 'tlbi vaale1is' $TMP/p.txt && ! grep -q 'no cost' $TMP/p.txt"
