#!/bin/bash
# make lab-test: scripts/lab/overhead on the stock kernel (no
# DEBUG_PAGEALLOC), 2000 ops: the cell's calibrations are exact, the
# harness and the bare loop each enter the kernel once per op, every
# figure is present and plausible, the ratios follow from the counts,
# and the all-instruction counts hold every barrier the plugin counted.
. "$(dirname "$0")/../lib.sh"
plan 9
n=2000
scripts/lab/overhead --ops $n --batch 1000 --out "$TMP/o" > "$TMP/out" 2>"$TMP/err"
rc=$?
d=$(tail -n1 "$TMP/out")
J=$d/overhead.json
sed 's/^/# /' "$TMP/out"
check "overhead ran (exit 0) and wrote overhead.json" bash -c "[ $rc = 0 ] && jq -e '.schema == \"lazymmu-bench/lab-overhead\" and .ops == $n and .exact' '$J'"
check "the cell's calibrations are exact (user and kernel)" jqt "$d/cell/meta.json" \
	'.lab.valid and .calibration.result == "ok" and .calibration.kernel.result == "ok"'
check "harness and bare loop: one kernel entry per op (the mprotect), on one vCPU" jqt "$J" \
	'[.harness, .bare_before, .bare_after] | all(.kernel_entries == '$n') and (map(.vcpu) | unique | length == 1)'
check "user instructions per op: bare 10..30, the harness more, under 1000" jqt "$J" \
	'[.bare_before, .bare_after] | all(.per_op.user >= 10 and .per_op.user <= 30)' 
check "the harness adds user instructions" jqt "$J" \
	'.harness.per_op.user > .bare_before.per_op.user and .harness.per_op.user < 1000'
# The kernel side also holds the timer interrupts that land in a run, and
# their number follows wall time, so the machine's load: the two bare
# runs are compared where they are deterministic, in user mode.
check "kernel instructions per op 1000..10000, the two bare runs' user instructions equal" jqt "$J" \
	'([.harness, .bare_before, .bare_after] | all(.per_op.kernel >= 1000 and .per_op.kernel <= 10000)) and
	 .bare_before.per_op.user == .bare_after.per_op.user'
check "the ratios follow from the counts, the verdict from the like-for-like one" jqt "$J" '
	def close($a; $b): (($a - $b) | fabs) < 1e-9;
	.bare_per_op.total as $b | .harness.per_op.total as $h | .extra_per_op.user as $x |
	close(.ratio_measured; $h / $b) and close(.ratio; $h / ($h - $x)) and .ratio > 1 and
	.met == (.ratio <= 1.02)'
check "both ratios printed, with the verdict" bash -c \
	"grep -q '^ratio harness / bare, measured' '$TMP/out' && grep -qE '^ratio harness / bare, like for like .*target <= 1.02: (met|NOT met)' '$TMP/out'"
# every (case, phase, vCPU, EL): all instructions >= the barriers, TLBIs
# and cache operations counted among them
check "all-instruction counts hold every counted instruction" jq -e '
	def key: "\(.case) \(.phase) \(.vcpu) \(.el)";
	([.insns[] | {key: key, value: .n}] | from_entries) as $all |
	[.counts[] | select(.class != "call")] | group_by(key) |
	all(($all[.[0] | key] // 0) >= (map(.n) | add))' "$d/cell/lab/plugin.json"
