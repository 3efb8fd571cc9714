#!/bin/bash
# The workloads verdict's paying branch, which no real workload reaches:
# the committed census runs, doctored in one cell and one case, must make
# scripts/lab/workloads-report name a paying workload only when both
# halves hold (C writes after a nested exit, and a dsb ishst excess over
# stock beyond the noise), and never on one half alone.
. "$(dirname "$0")/../lib.sh"
plan 6
W=results/reference/workloads
mkdir "$TMP/run" "$TMP/aa"
tar -xJf "$W/census-run.tar.xz" -C "$TMP/run" && tar -xJf "$W/census-aa.tar.xz" -C "$TMP/aa"
run=$(ls -d "$TMP"/run/*-lab-census) aa=$(ls -d "$TMP"/aa/*-lab-census)
cell=$run/permissive-nesting+census-on
case=$(grep -l '"spec":"stressng stressor=mmap ' "$cell"/[0-9]*.json)
check "the fixture: one stress-ng mmap case in permissive-nesting+census-on" [ -f "$case" ]
cp "$case" "$TMP/case.orig"

# doctor CWRITES EXTRA: the case's measured phase gets CWRITES census C
# writes per op and EXTRA more kernel dsb ishst per op (all vCPUs, which
# stress-ng's counts are read from), written over the case's file.
doctor() {
	jq --argjson c "$1" --argjson x "$2" '
		.census.ops as $n
		| (.counters[] | select(.label == "census-c-writes") | .phases.measure) |= (.count = $c * $n | .per_op = $c)
		| .lab.phases.measure.all_vcpus.kernel.insn["dsb ishst"] += $x * $n
		| .lab.phases.measure.all_vcpus.kernel.class.dsb += $x * $n' "$TMP/case.orig" > "$TMP/case.new" &&
	mv "$TMP/case.new" "$case"
}
report() { scripts/lab/workloads-report --census "$run" "$aa" > "$TMP/out.md" 2>"$TMP/err"; }
verdict_line() { sed -n '/^### Verdict$/,$p' "$TMP/out.md"; }

doctor 0 0 && report
# The cell's own dsb ishst excess over stock, as committed (its row's
# eighth column): the third case doctors it away, to exactly 0.
excess=$(awk -F' [|] ' '$1 == "| stressng stressor=mmap ops=2 size=1M" && $2 == "permissive-nesting+census-on" { print $8 }' "$TMP/out.md")
{ verdict_line | grep -q '^No real workload measured has a C write' &&
  verdict_line | grep -qx 'No nesting variant pays on a real workload measured.'; }
verdict "undoctored: no C write, nobody pays (the committed answer)"

doctor 0 100000 && report
{ verdict_line | grep -q '^No real workload measured has a C write' &&
  verdict_line | grep -qx 'No nesting variant pays on a real workload measured.'; }
verdict "a large dsb ishst excess without C writes does not pay (boot-to-boot variation, not nesting)"

doctor 5 "$(awk -v e="${excess:-x}" 'BEGIN { print -e }')" && report
{ [ -n "$excess" ] &&
  grep -q '^| stressng stressor=mmap ops=2 size=1M | permissive-nesting+census-on | 68 | 5 | 0 | 340 | 25 | 0 | ' "$TMP/out.md" &&
  verdict_line | grep -qx -- '- stressng stressor=mmap ops=2 size=1M in permissive-nesting+census-on: 5 C writes per op (25 per run)' &&
  verdict_line | grep -qx 'No nesting variant pays on a real workload measured.'; }
verdict "C writes within the noise: named as C writes, but nobody pays"

# 100000 per op is beyond mmap's noise, the larger of its A/A difference
# and its debug_pagealloc-off cells' differences.
doctor 5 100000 && report
{ verdict_line | grep -q '^Where a nesting variant pays: ' &&
  verdict_line | grep -q -- '^- stressng stressor=mmap ops=2 size=1M in permissive-nesting+census-on: +10[0-9][0-9][0-9][0-9]\(\.[0-9]*\)\? dsb ishst per op against stock (noise [0-9.]*)$' &&
  [ "$(verdict_line | grep -c ' dsb ishst per op against stock (noise ')" = 1 ]; }
verdict "C writes and an excess beyond the noise: that workload and cell pay, and only they"

# The row carries the doctored figures, so the table and the verdict agree.
grep -q '^| stressng stressor=mmap ops=2 size=1M | permissive-nesting+census-on | 68 | 5 | ' "$TMP/out.md"
verdict "the census table shows the doctored cell's 68 nested and 5 C writes per op"
