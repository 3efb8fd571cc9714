#!/bin/bash
# tests/integration/measured.t: compare --predict with hardware runs of
# the same kernels beside the lab's: each lab cell's prediction gets the
# measured difference of the hardware cell that ran its kernel (its
# release's -lmb-VARIANT-CONFIG and DEBUG_PAGEALLOC state), against the
# baseline's kernel on that machine, and the ratio measured/predicted.
# The "hardware" is this machine under a recorded Graviton 2's /proc
# (LMB_SYSROOT, tests/machines/), its release and command line written as
# a kexec'd variant kernel would have them.  Checked: the arithmetic of
# the measured column and the ratio against compare's own main table,
# that emulated time is never set against real time, the CPU note, and
# the cells that are put beside nothing.
. "$(dirname "$0")/../lib.sh"
plan 15
tar -xJf results/reference/run.tar.xz -C "$TMP"
R=$(ls -d "$TMP"/*/ | head -n1)
C=configs/costs/example.json
SPEC='munmap size=64M thp=0'
S=$TMP/sys
mkdir -p "$S/proc/sys/kernel/random"
cp -r tests/machines/graviton2/. "$S/"
for f in stat interrupts meminfo loadavg; do ln -s /proc/$f "$S/proc/$f"; done
echo 'root=/dev/nvme0n1p1 ro debug_pagealloc=on' > "$S/proc/cmdline"
# hw RELEASE OUT N: N runs of the munmap case in one "boot" of RELEASE
hw() {
	echo "$1" > "$S/proc/sys/kernel/osrelease"
	cat /proc/sys/kernel/random/uuid > "$S/proc/sys/kernel/random/boot_id"
	for ((i = 0; i < $3; i++)); do
		LMB_SYSROOT=$S "$LMB" run --case "$SPEC" --iterations 3 --warmup 1 \
			--out "$2" --quiet > /dev/null || return 1
	done
}
hw 7.2.13-lmb-stock-dpa "$TMP/hw-stock" 4 &&
	hw 7.2.13-lmb-permissive-nesting-dpa "$TMP/hw-perm" 4 &&
	hw 6.1.0-18-arm64 "$TMP/hw-other" 1
verdict "hardware runs of stock and permissive nesting, DEBUG_PAGEALLOC on (4 each), and of a kernel not ours"
LAB="$R/stock-on $R/permissive-nesting-on"
HW="$(ls -d "$TMP"/hw-stock/*/ "$TMP"/hw-perm/*/ | tr '\n' ' ')"
"$LMB" compare --baseline stock-on --predict "$C" $LAB $HW "$TMP"/hw-other/*/ > "$TMP/t.txt" 2> "$TMP/err"
check "compare --predict on lab and hardware runs together: exit 0" [ $? = 0 ]
"$LMB" compare --baseline stock-on --predict "$C" --format csv $LAB $HW > "$TMP/c.csv" 2> "$TMP/err"
check "the same as csv: exit 0" [ $? = 0 ]
# The main table: each kind against its own baseline.
check "hardware cells are compared with the hardware stock cell, never with emulated time" \
	grep -q "^hardware cells against .*/7.2.13-lmb-stock-dpa/on, the baseline's kernel (stock-on):$" "$TMP/t.txt"
# main CELL_RE FIELD: a field of the munmap row of the csv's main table
main() {
	awk -F, -v c="$1" -v f="$2" '/^predict_case,/ { exit }
		/^case,/ { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == "\"munmap size=64M thp=0\"" && $2 ~ c { print $(col[f]) }' "$TMP/c.csv"
}
# pred FIELD: that field of permissive nesting's prediction row
pred() {
	awk -v f="$1" 'BEGIN { FPAT = "([^,]*)|(\"[^\"]*\")" }
		/^predict_case,/ { on = 1; for (i = 1; i <= NF; i++) col[$i] = i; next }
		on && $1 == "\"munmap size=64M thp=0\"" && $2 == "\"permissive-nesting-on\"" { print $(col[f]) }' "$TMP/c.csv"
}
bm=$(main 'lmb-stock-dpa' run_median) pm=$(main 'lmb-permissive-nesting-dpa' run_median)
lo=$(main 'lmb-permissive-nesting-dpa' ci_lo) hi=$(main 'lmb-permissive-nesting-dpa' ci_hi)
check "the hardware permissive cell is tested against the hardware stock cell (4 runs a side: a CI)" \
	[ -n "$lo" -a -n "$hi" -a "$(main 'lmb-permissive-nesting-dpa' significant)" != emulated ]
m=$(pred measured_ns) mlo=$(pred measured_lo_ns) mhi=$(pred measured_hi_ns)
p=$(pred predicted_ns) r=$(pred measured_over_predicted)
check "measured = the hardware cells' difference of medians ($pm - $bm = $m ns)" \
	awk -v a="$pm" -v b="$bm" -v m="$m" 'BEGIN { exit !(m != "" && (a - b - m)^2 <= 0.01) }'
check "its interval = the baseline median x (the ratio's CI - 1) ([$mlo, $mhi])" \
	awk -v b="$bm" -v l="$lo" -v h="$hi" -v x="$mlo" -v y="$mhi" \
	'BEGIN { t = b * 1e-4 + 0.1; exit !(x != "" && (b * (l - 1) - x)^2 <= t^2 && (b * (h - 1) - y)^2 <= t^2) }'
check "measured/predicted = $m / $p = $r" \
	awk -v m="$m" -v p="$p" -v r="$r" 'function abs(x) { return x < 0 ? -x : x }
	BEGIN { if (m == 0) exit !(p != 0 && r == 0); exit !(p != 0 && abs(m / p - r) <= 0.006 + abs(m / p) * (0.05 / abs(p) + 0.05 / abs(m))) }'
"$LMB" compare --baseline stock-on --predict "$C" --format csv $LAB > "$TMP/lab.csv" 2> /dev/null
check "the prediction is the lab's alone: the same with and without hardware runs ($p ns)" \
	grep -q "^\"$SPEC\",\"permissive-nesting-on\",$p," "$TMP/lab.csv"
# The text report: the measured line under the lab cell it belongs to.
awk -v spec="$SPEC" '/^predicted from counts/ { on = 1 } on && $0 == spec { c = 1; next }
	on && c && /^[^ ]/ { exit } on && c' "$TMP/t.txt" > "$TMP/case.txt"
{ grep -q '^    measured on .*/7.2.13-lmb-permissive-nesting-dpa/on:$' "$TMP/case.txt" &&
	grep -q "^      $m ns \[$mlo \.\. $mhi\] (4 runs against 4), measured/predicted $r$" "$TMP/case.txt" &&
	grep -q "^      (a CPU other than the costs': MIDR 0x413fd0c1 " "$TMP/case.txt"; }
verdict "text: measured beside predicted, with runs, ratio and the CPU that is not the costs'"
# costs of the hardware runs' own CPU, named as `costs` names it: no note
jq --arg c "MIDR 0x413fd0c1 $(uname -m)" '.cpu = $c' "$C" > "$TMP/own.json"
"$LMB" compare --baseline stock-on --predict "$TMP/own.json" $LAB $HW > "$TMP/own.txt" 2> /dev/null
check "costs of the hardware's own CPU: measured beside predicted, with no CPU note" \
	bash -c "grep -q 'measured/predicted' $TMP/own.txt && ! grep -q 'a CPU other than' $TMP/own.txt"
check "a kernel the lab does not name (6.1.0-18-arm64) is put beside nothing" \
	bash -c "! grep -q 'measured on .*6.1.0-18-arm64' $TMP/t.txt"
"$LMB" compare --baseline "$(main 'lmb-stock-dpa' cell | tr -d '"')" --predict "$C" --format csv $LAB $HW > "$TMP/hb.csv" 2> /dev/null
check "the hardware stock cell as the baseline: the same prediction and measurement" \
	grep -q "^\"$SPEC\",\"permissive-nesting-on\",$p,.*,$m,$mlo,$mhi,$r$" "$TMP/hb.csv"
# Two runs a side: no interval.
set -- "$TMP"/hw-perm/*/
"$LMB" compare --baseline stock-on --predict "$C" $LAB "$TMP"/hw-stock/*/ "$1" "$2" > "$TMP/two.txt" 2> /dev/null
check "below 4 runs a side the measured difference has no interval, and says so" \
	grep -q '(2 runs against 4: no interval below 4 a side), measured/predicted' "$TMP/two.txt"
# The stock runs as two labelled cells on one machine: which is the baseline?
set -- "$TMP"/hw-stock/*/
"$LMB" compare --baseline stock-on --predict "$C" $LAB a="$1" a="$2" b="$3" b="$4" "$TMP"/hw-perm/*/ > "$TMP/amb.txt" 2> /dev/null
{ grep -q "^.*/7.2.13-lmb-permissive-nesting-dpa/on: no single hardware cell ran the baseline's kernel stock-on, so no change is shown$" "$TMP/amb.txt" &&
	! grep -q 'measured on' "$TMP/amb.txt"; }
verdict "two hardware cells of the baseline's kernel on one machine: neither is guessed"
