#!/bin/bash
# The lab plugin's all-instruction counts (insns=tb and insns=insn) in
# user mode: a program with known counts per case and phase, markers in
# the middle of translation blocks and blocks longer than QEMU's limit
# (tests/lab/insns-prog.c), counted exactly by both methods; the option
# changes nothing else the plugin writes; bare-mprotect marks its loop
# as the harness does, with no per-op work added.
. "$(dirname "$0")/../lib.sh"
PLUGIN=build/lab/lmbcount.so
BARE=build/aarch64/bare-mprotect
plan 12

qemu_plugin() { local args=$1; shift; qemu-aarch64 -plugin "$PLUGIN,$args" "$@"; }

for m in tb insn; do
	qemu_plugin "out=$TMP/$m.json,insns=$m" build/lab/insns-prog
	# the counts of case 0xabc (2748), per phase, user mode, vCPU 0
	check "insns=$m: case 0xabc counted exactly (measure 2203, setup 200, calib 400, prep 8, idle 10)" jqt "$TMP/$m.json" '
		.insns_method == "'$m'" and
		([.insns[] | select(.case == 2748) | {key: .phase, value: .n}] | from_entries) ==
		{"measure": 2203, "setup": 200, "calib": 400, "prep": 8, "idle": 10} and
		([.insns[] | select(.case == 2748) | .el == "user" and .vcpu == 0] | all)'
done
check "insns=tb and insns=insn agree on every count" bash -c \
	"cmp <(jq -c .insns $TMP/tb.json) <(jq -c .insns $TMP/insn.json)"
qemu_plugin "out=$TMP/off.json" build/lab/insns-prog
check "without insns= the output has no insns" jqt "$TMP/off.json" 'has("insns") or has("insns_method") | not'
# The barrier program of plugin.t: every other figure is the same.
qemu_plugin "out=$TMP/p-off.json" build/lab/plugin-prog
qemu_plugin "out=$TMP/p-tb.json,insns=on" build/lab/plugin-prog
check "insns=on changes nothing else the plugin writes" bash -c \
	"cmp <(jq -S 'del(.insns, .insns_method)' $TMP/p-tb.json) <(jq -S . $TMP/p-off.json)"
check "insns=on is insns=tb" jqt "$TMP/p-tb.json" '.insns_method == "tb" and (.insns | length > 0)'
check "every case, phase, vCPU and EL: all instructions >= the barriers counted" jq -e '
	def key: "\(.case) \(.phase) \(.vcpu) \(.el)";
	([.insns[] | {key: key, value: .n}] | from_entries) as $all |
	[.counts[]] | group_by(key) | all(($all[.[0] | key] // 0) >= (map(.n) | add))' "$TMP/p-tb.json"
if qemu_plugin "insns=maybe" build/lab/insns-prog 2>"$TMP/err"; then
	not_ok "a bad insns= value is refused"
else
	check "a bad insns= value is refused" grep -q 'bad insns=maybe' "$TMP/err"
fi

# bare-mprotect: its loop is case --case-id, measure phase; the user
# instructions per op, from two batch sizes, are the loop and the
# syscall wrapper alone (16 with this compiler; at most 20 allowed).
for b in 100 200; do
	qemu_plugin "out=$TMP/bare$b.json,insns=tb" "$BARE" --batch $b --batches 4 \
		--warmup 1 --cpu none --case-id 0x1234 > "$TMP/bare$b.out"
done
check "bare-mprotect prints its case id" jqt "$TMP/bare100.out" '.case_id == 4660'
check "bare-mprotect names its case (0x1234) once" jqt "$TMP/bare100.json" '[.cases[].case] == [4660]'
check "its setup, warmup and measure phases are marked" jqt "$TMP/bare100.json" \
	'[.insns[] | select(.case == 4660 and .n > 0) | .phase] | contains(["setup", "warmup", "measure"])'
m() { jq --arg p "$2" '[.insns[] | select(.case == 4660 and .phase == $p) | .n] | add' "$TMP/bare$1.json"; }
k=$(( ($(m 200 measure) - $(m 100 measure)) / 400 ))
echo "# bare-mprotect: $k user instructions per op in its measured loop"
check "bare-mprotect adds nothing per op: $k user instructions per op (<= 20), the same in warmup" \
	bash -c "[ $k -ge 1 ] && [ $k -le 20 ] && [ $(( $(m 200 warmup) - $(m 100 warmup) )) = $((k * 100)) ] &&
		[ $(( ($(m 200 measure) - $(m 100 measure)) % 400 )) = 0 ]"
