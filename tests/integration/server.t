#!/bin/bash
# scripts/server/matrix and install-kernel without a reboot: the machine
# is a fake /proc under LMB_SYSROOT, kexec and systemctl are fakes
# (tests/server/) that "boot" by rewriting its release, command line and
# boot id, and each `matrix step` is what the systemd unit runs after a
# boot.  Checked: the plan and its interleaved order, the kexec command
# lines, every cell run on its own kernel, a crash or power loss in the
# middle of a cell (lost, the rest goes on), a kernel that does not come
# up, a hung cell, a torn log line, random kills, status, the unit; bad
# input (the matrix, the options, the bench's arguments) refused at start
# with one line and nothing written.
. "$(dirname "$0")/../lib.sh"
plan 64

M=scripts/server/matrix
export FAKE=$TMP/fake LMB_SYSROOT=$TMP/sys LMB_STATE=$TMP/state
export KEXEC=$PWD/tests/server/fake-kexec SYSTEMCTL=$PWD/tests/server/fake-systemctl
export LMB_SYSTEMD_DIR=$TMP/systemd REAL_LMB=$PWD/$LMB LMB=$PWD/tests/server/fake-bench
mkdir -p "$FAKE" "$LMB_SYSROOT/proc/sys/kernel/random" "$LMB_STATE/kernels" "$TMP/boot" "$LMB_SYSTEMD_DIR"
for f in stat interrupts meminfo loadavg; do ln -s /proc/$f "$LMB_SYSROOT/proc/$f"; done
echo 6.1.0-18-arm64 > "$FAKE/default-release"
echo "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-arm64 root=/dev/nvme0n1p1 ro console=ttyS0 debug_pagealloc=on" > "$FAKE/default-cmdline"
# bg_step: a step in a session of its own, not a job of this shell (so
# killing it prints nothing); its pid in $pid.
bg_step() { pid=$(setsid "$M" step > /dev/null 2>&1 & echo $!); }
crash() { pkill -9 -s "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done; }
# A crash kills the whole session: timeout(1) makes a process group of its own.
power_cycle() { # the machine comes back in its default kernel
	cp "$FAKE/default-release" "$LMB_SYSROOT/proc/sys/kernel/osrelease"
	cp "$FAKE/default-cmdline" "$LMB_SYSROOT/proc/cmdline"
	cat /proc/sys/kernel/random/uuid > "$LMB_SYSROOT/proc/sys/kernel/random/boot_id"
}
power_cycle
for k in stock-nodpa stock-dpa permissive-nesting-dpa flag-restore-dpa; do
	rel=7.2.13-lmb-$k
	touch "$TMP/boot/vmlinuz-$rel"
	printf 'image=%s\ninitrd=\nrelease=%s\n' "$TMP/boot/vmlinuz-$rel" "$rel" > "$LMB_STATE/kernels/$k.conf"
done
cat > "$TMP/m.matrix" <<'EOF'
profile smoke
rounds 2
cell stock off
cell stock on
cell permissive-nesting on
EOF
BENCH=(-- --case 'mprotect size=4K' --iterations 20 --warmup 1 --pmu none)
steps() { # steps N: up to N boots' worth of steps, until the plan is finished
	local i
	for ((i = 0; i < $1; i++)); do
		grep -q ' finished$' "$run/log" && return 0
		"$M" step > /dev/null 2>>"$TMP/steps.err" || return 1
	done
	grep -q ' finished$' "$run/log"
}
events() { awk -v e="$1" '$3 == e' "$run/log" | wc -l; }

# --- bad input: one line, exit 2, nothing started ---------------------------
"$M" start nosuch "${BENCH[@]}" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "unknown matrix 'nosuch'" "$TMP/err"; }; verdict "unknown matrix: exit 2, one line"
printf 'cell stock maybe\n' > "$TMP/bad.matrix"
"$M" start "$TMP/bad.matrix" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "bad.matrix:1: DEBUG_PAGEALLOC state must be none, off or on, not 'maybe'" "$TMP/err"; }; verdict "bad DEBUG_PAGEALLOC state: names file:line"
printf 'cell stock on\ncell nosuch on\n' > "$TMP/bad.matrix"
"$M" start "$TMP/bad.matrix" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "bad.matrix:2: unknown variant 'nosuch'" "$TMP/err"; }; verdict "unknown variant: names file:line"
printf 'cell no-batching on\n' > "$TMP/bad.matrix"
"$M" start "$TMP/bad.matrix" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "install-kernel no-batching dpa" "$TMP/err"; }; verdict "a kernel not installed: says how to install it"
"$M" start "$TMP/m.matrix" --rounds 0 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "--rounds 0 refused"
"$M" step 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "no matrix started" "$TMP/err"; }; verdict "step with no matrix started: exit 2"
# the bench's arguments and the overrides, checked at start by the real
# binary (`run --dry-run`, through fake-bench) and the matrix parser: not
# after a kexec into each cell
refused "bench arguments: --iterations 0 refused at start" "$M start $TMP/m.matrix --out $TMP/out -- --iterations 0" "bench arguments: iterations must be at least 1"
refused "bench arguments: an unknown option refused at start" "$M start $TMP/m.matrix --out $TMP/out --kexec -- --bogus" "bench arguments: bad option '--bogus'"
refused "bench arguments: an unknown storm refused at start" "$M start $TMP/m.matrix --out $TMP/out -- --storms nosuch" "bench arguments: unknown storm 'nosuch'"
refused "bench arguments: --out is the matrix's own" "$M start $TMP/m.matrix --out $TMP/out -- --iterations 5 --out $TMP/elsewhere" "bench arguments: '--out' is the matrix's own"
refused "--cell-timeout checked as the file's timeout" "$M start $TMP/m.matrix --out $TMP/out --cell-timeout 1e3" "--set timeout=1e3: timeout must be seconds, not '1e3'"
refused "an option without its value" "$M start $TMP/m.matrix --out" "--out needs a value"
refused "a newline in a bench argument (bench-args keeps one a line)" "$M start $TMP/m.matrix --out $TMP/out -- \$'--case\\nmprotect'" "bench arguments: a newline in '--case\\\\x0amprotect'"
{ [ "$(ls -A "$LMB_STATE")" = kernels ] && [ ! -e "$LMB_SYSTEMD_DIR/lazymmu-bench-matrix.service" ] && [ ! -e "$FAKE/calls" ]; }
verdict "refused bench arguments: no state, no unit, no kexec"
{ [ ! -e "$LMB_STATE/current" ] && [ ! -e "$TMP/out" ]; }; verdict "nothing started by bad input"

# --- a plan, dry run ----------------------------------------------------------
# the default order: each round a seeded shuffle of the cells, the same
# from the same seed (other state directories: one matrix runs at a time)
for st in s1 s2; do
	mkdir -p "$TMP/$st" && cp -r "$LMB_STATE/kernels" "$TMP/$st/"
	LMB_STATE=$TMP/$st "$M" start "$TMP/m.matrix" --out "$TMP/$st-out" "${BENCH[@]}" 2>/dev/null > "$TMP/$st.run"
done
shuf_plan() { awk '{ print $2 "-" $3 "-r" $5 }' "$(cat "$TMP/$1.run")/plan" | paste -sd' '; }
round() { awk -v r="$2" '$5 == r { print $2 "-" $3 }' "$(cat "$TMP/$1.run")/plan" | sort | paste -sd' '; }
{ [ "$(round s1 1)" = "permissive-nesting-on stock-off stock-on" ] && [ "$(round s1 2)" = "$(round s1 1)" ] &&
  grep -qx 'shuffled within each round, seed 1' "$(cat "$TMP/s1.run")/order"; }
verdict "default plan: each round holds every cell once, the order recorded with its seed"
check "default plan: the same seed gives the same order" [ "$(shuf_plan s1)" = "$(shuf_plan s2)" ]
run=$("$M" start "$TMP/m.matrix" --seed 0 --out "$TMP/out" "${BENCH[@]}" 2>/dev/null)
check "start: a run directory with a plan" [ -f "$run/plan" ]
check "plan (--seed 0): 3 cells x 2 rounds, interleaved" [ "$(awk '{ print $2 "-" $3 "-r" $5 }' "$run/plan" | paste -sd' ')" = "stock-off-r1 stock-on-r1 permissive-nesting-on-r1 stock-off-r2 stock-on-r2 permissive-nesting-on-r2" ]
{ [ ! -e "$LMB_SYSTEMD_DIR/lazymmu-bench-matrix.service" ] && [ ! -e "$FAKE/calls" ]; }; verdict "start without --kexec: no unit, no kexec"
"$M" step --dry-run > "$TMP/dry"
check "dry run: the kexec of cell 1's kernel" grep -q "^$KEXEC -l $TMP/boot/vmlinuz-7.2.13-lmb-stock-dpa --append=" "$TMP/dry"
args=$(sed -n 's/.*--append=//p' "$TMP/dry" | sed 's/ $//')
check "dry run: the machine's command line, minus what the matrix sets" [ "$args" = 'root=/dev/nvme0n1p1\ ro\ console=ttyS0\ debug_pagealloc=off\ panic=10\ lmb.cell=1' ]
check "dry run: then systemctl kexec" grep -qx "$SYSTEMCTL kexec" "$TMP/dry"
{ [ "$(events kexec)" = 0 ] && [ ! -e "$FAKE/calls" ]; }; verdict "dry run: nothing logged, nothing booted"
"$M" start "$TMP/m.matrix" --seed 0 --out "$TMP/out" "${BENCH[@]}" 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "a matrix is running" "$TMP/err"; }; verdict "a second start while one runs: refused"

# --- the whole plan, one cell per boot --------------------------------------
check "every cell ran, within 8 boots" steps 8
{ [ "$(events done)" = 6 ] && [ "$(events failed)" = 0 ] && [ "$(events lost)" = 0 ]; }; verdict "6 cells done, none failed or lost"
{ [ "$(events kexec)" = 6 ] && [ "$(wc -l < "$FAKE/boots")" = 6 ]; }; verdict "one kexec per cell"
check "every boot logged with the cell it was for" [ "$(awk '$3 == "boot" { print $NF }' "$run/log" | paste -sd' ')" = "- 1 2 3 4 5 6" ]
ok_kernels=1
while read -r n v d no r; do
	dir=$run/cells/$(awk -v n="$n" '$2 == n && $3 == "done" { print $4 }' "$run/log")
	jqt "$dir/meta.json" ".system.release == \"7.2.13-lmb-$v-dpa\" and .system.debug_pagealloc.boot == \"$d\" and (.system.cmdline | test(\"lmb.cell=$n( |$)\"))" || ok_kernels=0
	"$REAL_LMB" check "$dir" > /dev/null || ok_kernels=0
done < "$run/plan"
check "each cell ran on its kernel, command line and cell number; each run validates" [ $ok_kernels = 1 ]
check "a boot id per cell" [ "$(for d in "$run"/cells/*/*/meta.json; do jq -r .system.boot_id "$d"; done | sort -u | wc -l)" = 6 ]
check "finished: the comparison of the cells" grep -q "stock-on-none" "$run/compare.txt"
"$M" status > "$TMP/status"
check "status: 6 done" grep -q "6 cells: 6 done, 0 failed, 0 lost, 0 to go" "$TMP/status"

# --- a crash in the middle of a cell -----------------------------------------
run=$("$M" start "$TMP/m.matrix" --seed 0 --rounds 1 --out "$TMP/out" "${BENCH[@]}" 2>/dev/null)
"$M" step > /dev/null				# kexec into cell 1
touch "$FAKE/hang"
bg_step
for i in $(seq 600); do [ "$(events start)" = 1 ] && break; sleep 0.1; done
check "crash: cell 1 started" [ "$(events start)" = 1 ]
crash
rm "$FAKE/hang"
power_cycle					# back in the default kernel
"$M" status > "$TMP/status"
check "status during the outage: cell 1 running" grep -qE '^1 .* running$' "$TMP/status"
check "after the crash the plan goes on to its end" steps 6
check "cell 1 lost, the reason recorded" grep -qE ' 1 lost the machine went down during the cell' "$run/log"
{ [ "$(events done)" = 2 ] && [ "$(events lost)" = 1 ]; }; verdict "the other cells done"
"$M" status > "$TMP/status"
check "status names the lost cell" grep -qE '^1 .*lost: the machine went down' "$TMP/status"

# the step killed without a reboot
run=$("$M" start "$TMP/m.matrix" --seed 0 --rounds 1 --out "$TMP/out" "${BENCH[@]}" 2>/dev/null)
"$M" step > /dev/null
touch "$FAKE/hang"
bg_step
for i in $(seq 600); do [ "$(events start)" = 1 ] && break; sleep 0.1; done
crash
rm "$FAKE/hang"
{ steps 6 && grep -q ' 1 lost the step was killed during the cell' "$run/log"; }; verdict "step killed in the same boot: lost, then on"

# --- a kernel that does not come up, a cell that hangs ------------------------
run=$("$M" start "$TMP/m.matrix" --seed 0 --rounds 1 --out "$TMP/out" "${BENCH[@]}" 2>/dev/null)
touch "$FAKE/bad-boot"
"$M" step > /dev/null; "$M" step > /dev/null; "$M" step > /dev/null
rm "$FAKE/bad-boot"
check "kernel not up in 2 boots: cell failed, recorded" grep -qE ' 1 failed kernel 7.2.13-lmb-stock-dpa with lmb.cell=1 did not come up in 2 boots' "$run/log"
{ steps 6 && [ "$(events done)" = 2 ]; }; verdict "... and the rest of the plan runs"

run=$("$M" start "$TMP/m.matrix" --seed 0 --rounds 1 --cell-timeout 2 --out "$TMP/out" "${BENCH[@]}" 2>/dev/null)
"$M" step > /dev/null
touch "$FAKE/hang"
"$M" step > /dev/null
rm "$FAKE/hang"
check "a hung cell: killed by the timeout, failed, recorded" grep -qE ' 1 failed timed out after 2 s' "$run/log"
# a torn last line (power loss while writing it) is not an event
printf '2026-11-30T00:00:00Z 2 done nowhere' >> "$run/log"
{ steps 6 && [ "$(events done)" = 2 ] && ! grep -q ' 2 done nowhere$' "$run/log"; }; verdict "a torn log line is ignored, the rest runs"

# --- random kills and reboots --------------------------------------------------
run=$("$M" start "$TMP/m.matrix" --seed 0 --out "$TMP/out" "${BENCH[@]}" 2>/dev/null)
kills=${KILLS:-12}
for ((k = 0; k < kills; k++)); do
	bg_step
	sleep "0.$((RANDOM % 8))"
	crash
	case $((RANDOM % 3)) in
	0) power_cycle ;;
	1) cat /proc/sys/kernel/random/uuid > "$LMB_SYSROOT/proc/sys/kernel/random/boot_id" ;;	# same kernel
	esac
	rm -f "$FAKE/loaded"
done
check "after $kills random kills the plan finishes" steps 30
whole=1
while read -r n _; do
	c=$(awk -v n="$n" '$2 == n && ($3 == "done" || $3 == "lost" || $3 == "failed")' "$run/log" | wc -l)
	[ "$c" = 1 ] || whole=0
done < "$run/plan"
check "every cell ended exactly once (done, lost or failed)" [ $whole = 1 ]
valid=1
for d in $(awk '$3 == "done" { print $4 }' "$run/log"); do "$REAL_LMB" check "$run/cells/$d" > /dev/null || valid=0; done
check "every done cell's run validates" [ $valid = 1 ]
echo "# random kills: $(events done) done, $(events lost) lost, $(events failed) failed of $(wc -l < "$run/plan")"

# --- the stress-ng cross-check beside each cell ---------------------------------
printf 'profile smoke\ncrosscheck stress-ng 1\ncell stock off\ncell stock on\n' > "$TMP/x.matrix"
run=$("$M" start "$TMP/x.matrix" --seed 0 --out "$TMP/out" -- --case 'fork size=1M' --case 'mprotect size=4K' \
	--case 'munmap size=64K' --iterations 20 --warmup 1 --pmu none 2>/dev/null)
check "crosscheck: the plan runs" steps 6
check "crosscheck: stress-ng's numbers kept with each cell's run" [ "$(ls "$run"/cells/*/*/stress-ng.json | wc -l)" = 2 ]
check "crosscheck: the table of both tools' ratios" grep -qE '^munmap +02-stock-on-none-r1 .* (agree|differ)$' "$run/crosscheck.txt"
printf 'crosscheck perf\ncell stock on\n' > "$TMP/bad.matrix"
"$M" start "$TMP/bad.matrix" --seed 0 2>"$TMP/err"
{ [ $? = 2 ] && one_line; }; verdict "crosscheck with another tool: refused"

# --- stop, no bench arguments, a kexec that fails -------------------------------
run=$("$M" start "$TMP/m.matrix" --seed 0 --rounds 1 --out "$TMP/out" 2>/dev/null)
check "no bench arguments: an empty bench-args" [ ! -s "$run/bench-args" ]
"$M" step > /dev/null
touch "$FAKE/record-argv"
"$M" step > /dev/null 2>&1
rm "$FAKE/record-argv"
{ [ "$(head -n1 "$FAKE/argv")" = 8 ] && ! grep -qx '' "$FAKE/argv"; }; verdict "no bench arguments: the run gets none, no empty one"
"$M" stop > /dev/null
check "stop: the matrix is finished" grep -q ' finished$' "$run/log"
run2=$("$M" start "$TMP/m.matrix" --seed 0 --rounds 1 --out "$TMP/out" "${BENCH[@]}" 2>/dev/null)
{ [ -f "$run2/plan" ] && [ "$run2" != "$run" ]; }; verdict "after stop a new matrix starts"
run=$run2
touch "$FAKE/kexec-fails"
"$M" step > /dev/null 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "systemctl kexec failed" "$TMP/err"; }; verdict "systemctl kexec fails: the step stops, exit 2, one line"
{ [ "$(events kexec)" = 1 ] && [ "$(events failed)" = 0 ] && grep -q ' 1 note systemctl kexec failed' "$run/log"; }; verdict "... no cell failed for it, no loop"
rm "$FAKE/kexec-fails"
check "... the next step goes on" steps 8

# --- with --kexec: the unit ----------------------------------------------------
: > "$FAKE/calls"
run=$("$M" start "$TMP/m.matrix" --seed 0 --rounds 1 --kexec --out "$TMP/out" "${BENCH[@]}" 2>/dev/null)
u=$LMB_SYSTEMD_DIR/lazymmu-bench-matrix.service
check "--kexec: the unit runs step at boot" grep -qx "ExecStart=$PWD/scripts/server/matrix step" "$u"
{ grep -qx "systemctl enable lazymmu-bench-matrix.service" "$FAKE/calls" && grep -qx "systemctl kexec" "$FAKE/calls"; }; verdict "--kexec: enabled, and the first step kexecs"
steps 6 > /dev/null
check "at the end the unit is disabled" grep -qx "systemctl disable lazymmu-bench-matrix.service" "$FAKE/calls"

# --- install-kernel -------------------------------------------------------------
scripts/server/install-kernel stock dpa --dry-run 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "BASE=defconfig FRAGMENT=server kernels/build stock dpa" "$TMP/err"; }; verdict "install-kernel with no built server kernel: exit 2, says how to build it"
o=$TMP/obj
mkdir -p "$o/arch/arm64/boot"
echo image > "$o/arch/arm64/boot/Image"; : > "$o/System.map"; : > "$o/.config"
echo kernelrelease=7.2.13-lmb-stock-dpa > "$o/lmb-build-info"
OBJ=$o scripts/server/install-kernel stock dpa --dry-run > "$TMP/dry" 2>"$TMP/err"
{ grep -q "^install -D -m 644 $o/arch/arm64/boot/Image /boot/vmlinuz-7.2.13-lmb-stock-dpa" "$TMP/dry" && grep -q "modules_install" "$TMP/dry" && grep -q "extra/lazymmu_bench.ko" "$TMP/dry" && grep -qx "release=7.2.13-lmb-stock-dpa" "$TMP/dry"; }; verdict "install-kernel --dry-run: Image, modules, module, registry"
echo kernelrelease=7.2.13 > "$o/lmb-build-info"
OBJ=$o scripts/server/install-kernel stock dpa --dry-run > /dev/null 2>"$TMP/err"
{ [ $? = 2 ] && one_line && grep -q "lacks -lmb-stock-dpa" "$TMP/err"; }; verdict "install-kernel: a release without its variant is refused"
