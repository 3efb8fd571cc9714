#!/bin/bash
# The barrier storm counted exactly: the aarch64 build under qemu-aarch64
# with the lab's plugin, imported with lab-import and read back with
# lab-counts (lab_per_op(), the reader every report uses): each measured
# op executed exactly `loops` of its instruction and no other instruction
# the plugin counts, and the overhead loop (insn=none) none at all.
. "$(dirname "$0")/../lib.sh"
PLUGIN=build/lab/lmbcount.so
A64=build/aarch64/lazymmu-bench
plan 9

# spec and the counts its measured op must show, nothing else
cases=(
	'barrier insn=dsb-ish stores=0 loops=1000|dsb=1000 dsb ish=1000'
	'barrier insn=dsb-ishst stores=64 loops=7|dsb=7 dsb ishst=7'
	'barrier insn=dmb-ish stores=0 loops=1000|dmb=1000 dmb ish=1000'
	'barrier insn=dmb-ishst stores=1 loops=999|dmb=999 dmb ishst=999'
	'barrier insn=dmb-ishld stores=8 loops=500|dmb=500 dmb ishld=500'
	'barrier insn=isb stores=0 loops=1000|isb=1000'
	'barrier insn=none stores=0 loops=1000|'
	'barrier insn=none stores=8 loops=1000|'
)
args=()
for c in "${cases[@]}"; do args+=(--case "${c%%|*}"); done
args+=(--case 'barrier insn=mfence')

qemu-aarch64 -plugin "$PLUGIN,out=$TMP/p.json" "$A64" run "${args[@]}" \
	--iterations 20 --warmup 2 --pmu none --calib-barriers 20000 \
	--out "$TMP/r" --quiet >"$TMP/out" 2>&1
check "the barrier cases run under the plugin, exit 0" [ $? = 0 ]
run=$(tail -n1 "$TMP/out")
cp -r "$run" "$TMP/pre"
check "lab-import accepts the run (user-mode calibration exact)" \
	"$LMB" lab-import "$run" "$TMP/p.json" variant=user-mode
check "imported: valid, calibration ok" jqt "$run/meta.json" \
	'.backend == "lab" and .lab.valid and .calibration.result == "ok"'

# counts RUN [PHASE]: lab-counts' user-mode figures into $TMP/lc.
counts() { "$LMB" lab-counts --user --phase "${2:-measure}" "$1" > "$TMP/lc"; }
# got SPEC: that case's non-zero kinds as "kind=per_op", in lab-counts'
# order ("-" when it has no counts there); kinds SPEC: how many it lists.
got() {
	awk -F'\t' -v s="$1" '$1 == s { if ($2 == "-") { print "-"; exit }
		if ($3 != 0) o = o (o == "" ? "" : " ") $2 "=" $3 } END { print o }' "$TMP/lc"
}
kinds() { awk -F'\t' -v s="$1" '$1 == s && $2 != "-" { n++ } END { print n + 0 }' "$TMP/lc"; }
# exact RUN PHASE: every case shows exactly its counts, and at least the
# six classes (a case without counts would show "-", not zeros).  Only the
# measured phase reads 0 where nothing counted ran: in the others a case
# without counts has none to read.
exact() {
	local c spec want
	counts "$1" "$2" || return 1
	for c in "${cases[@]}"; do
		spec=${c%%|*} want=${c#*|}
		if [ "$(got "$spec")" != "$want" ] || [ "$(kinds "$spec")" -lt 6 ]; then
			echo "$2: $spec: '$(got "$spec")', want '$want'" >"$TMP/err"
			return 1
		fi
	done
}
check "measured op: exactly loops of its instruction, no other counted (lab-counts)" exact "$run" measure
counts "$run"
check "insn=none: every class read as 0 per op, not missing" bash -c "
	awk -F'\t' '\$1 == \"barrier insn=none stores=0 loops=1000\" { n++; if (\$3 != \"0\") bad = 1 }
		END { exit bad || n != 6 }' $TMP/lc"
check "the x86_64 stand-in is unavailable here and has no counts" bash -c "
	grep -qx 'barrier insn=mfence stores=0 loops=1000	-	-' $TMP/lc &&
	jq -e '.status == \"unavailable\" and .lab == null' $run/08-barrier.json >/dev/null"
check "a measured value is per op: 20 ops counted (dsb-ish)" \
	jqt "$run/00-barrier.json" '.lab.phases.measure.ops == 20 and .lab.phases.measure.storm_vcpu.user.insn["dsb ish"] == 20000'

# The check has teeth: one foreign dmb ish in the none loop's measured
# phase, or one dsb ish missing from dsb-ish's, and it fails.
# tampered NAME JQ: the plugin's counts edited by JQ, imported into a copy
# of the run as NAME; true when the exactness check then fails.
tampered() {
	jq "$2" "$TMP/p.json" > "$TMP/$1.json"
	cp -r "$TMP/pre" "$TMP/$1"
	"$LMB" lab-import "$TMP/$1" "$TMP/$1.json" >/dev/null 2>&1
	! exact "$TMP/$1" measure
}
{ tampered r1 '.counts += [{"case": 6, "phase": "measure", "vcpu": 0, "el": "user", "class": "dmb", "insn": "dmb ish", "n": 1}]' &&
  grep -q "insn=none stores=0 .*'dmb=0\.05[0-9]* dmb ish=0\.05[0-9]*', want ''" "$TMP/err"; }
verdict "one dmb ish more in insn=none's measured phase: caught"
{ tampered r2 '(.counts[] | select(.case == 0 and .phase == "measure" and .insn == "dsb ish") | .n) -= 1' &&
  grep -q "insn=dsb-ish .*'dsb=999\.95[0-9]* dsb ish=999\.95[0-9]*', want 'dsb=1000 dsb ish=1000'" "$TMP/err"; }
verdict "one dsb ish fewer in insn=dsb-ish's measured phase: caught"
