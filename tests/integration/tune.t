#!/bin/bash
# The machine's controls (bench/tune.c) and the neighbour load (bench/neighbour.c).
# The controls that write run against a fake machine under LMB_SYSROOT
# (its /proc/stat, /proc/interrupts and /proc/meminfo are the real ones),
# so they can be set, checked and put back without changing this one;
# privilege is tested for real, as user nobody.
. "$(dirname "$0")/../lib.sh"
plan 41

root=$TMP/machine
gov=$root/sys/devices/system/cpu/cpu1/cpufreq
mkdir -p "$gov" "$root/sys/kernel/mm/transparent_hugepage" "$root/proc/sys/vm" \
	"$root/proc/sys/kernel" "$root/sys/devices/system/cpu"
echo schedutil > "$gov/scaling_governor"
echo "performance schedutil powersave" > "$gov/scaling_available_governors"
echo "[always] madvise never" > "$root/sys/kernel/mm/transparent_hugepage/enabled"
echo "always defer [madvise] never" > "$root/sys/kernel/mm/transparent_hugepage/defrag"
: > "$root/proc/sys/vm/drop_caches"
echo 2 > "$root/proc/sys/kernel/randomize_va_space"
echo 1 > "$root/sys/devices/system/cpu/isolated"
for f in stat interrupts meminfo loadavg cmdline; do ln -s /proc/$f "$root/proc/$f"; done
chmod -R a+rX "$TMP"
# where nobody may write, so "nothing written" means something
pub=$TMP/pub
mkdir -m 1777 "$pub"
ncpu=$(nproc)

run() { # run OUT ARGS...: a short run on the fake machine; prints its dir
	LMB_SYSROOT=$root "$LMB" run --case 'mprotect size=4K' --iterations 200 \
		--warmup 1 --pmu none --out "$@" --quiet 2>"$TMP/err" | tail -n1
}

# --- nothing asked: every control recorded, what was left said ------------
R=$(LMB_SYSROOT=$root "$LMB" run --case 'mprotect size=4K' --iterations 200 \
	--warmup 1 --pmu none --out "$TMP/plain" 2>&1 | tee "$TMP/plain.out" | tail -n1)
check "plain run finished" [ -f "$R/meta.json" ]
check "governor recorded, left" jqt "$R/meta.json" '.controls.governor.value == "schedutil" and (.controls.governor.left | test("--tune governor"))'
check "governor file untouched" [ "$(cat "$gov/scaling_governor")" = schedutil ]
check "thp recorded, left" jqt "$R/meta.json" '.controls.thp.enabled == "always" and (.controls.thp.left | test("--tune thp"))'
check "aslr recorded as randomized" jqt "$R/meta.json" '.controls.aslr.process == "randomized" and .controls.aslr.randomize_va_space == "2"'
check "the report says what was left and why" grep -q '^controls: governor: left as it is: --tune governor' "$TMP/plain.out"
check "the report names the caches control" grep -q '^controls: caches: left as it is' "$TMP/plain.out"
if [ "$ncpu" -ge 2 ]; then
	check "--cpu auto takes the isolated CPU" jqt "$R/meta.json" '.pinned_cpu == 1 and .controls.isolation.pinned_isolated == true and .controls.isolation.isolated == "1"'
else
	skip "--cpu auto takes the isolated CPU (one CPU here)"
fi
check "each case records other load and interrupts" jqt "$R/00-mprotect.json" '(.controls.pinned_cpu_busy | type) == "number" and (.controls.irqs_on_cpu | type) == "number" and (.controls.top_device_irqs | type) == "array"'
check "the run validates" "$LMB" check "$R"

# --- asked: set, checked, put back ----------------------------------------
R=$(run "$TMP/tuned" --tune governor,thp,caches)
check "tuned run finished" [ -f "$R/meta.json" ]
check "governor set and read back" jqt "$R/meta.json" '.controls.governor.was == "schedutil" and .controls.governor.value == "performance" and .controls.governor.action == "set"'
check "governor put back at the end" [ "$(cat "$gov/scaling_governor")" = schedutil ]
check "thp enabled set to madvise, was always" jqt "$R/meta.json" '.controls.thp.enabled == "madvise" and .controls.thp.enabled_was == "always"'
check "thp defrag already madvise: not rewritten" jqt "$R/meta.json" '.controls.thp.defrag == "madvise" and (.controls.thp | has("defrag_was") | not)'
check "thp put back" [ "$(cat "$root/sys/kernel/mm/transparent_hugepage/enabled")" = always ]
check "caches dropped before the case" [ "$(cat "$root/proc/sys/vm/drop_caches")" = 3 ]
check "the case records the drop" jqt "$R/00-mprotect.json" '(.controls.caches_dropped.cached_kb_before | type) == "number" and (.controls.caches_dropped | has("failed") | not)'
check "options record what was asked" jqt "$R/meta.json" '.options.tune == "governor,thp,caches"'

# put back on SIGTERM in the middle of a run
LMB_SYSROOT=$root "$LMB" run --case 'mprotect size=4K' --min-time 30 --pmu none \
	--tune governor --out "$TMP/term" --quiet > /dev/null 2>&1 &
pid=$!
for i in $(seq 600); do
	[ "$(cat "$gov/scaling_governor")" = performance ] && break
	sleep 0.1
done
check "governor set while the run runs" [ "$(cat "$gov/scaling_governor")" = performance ]
kill -TERM $pid
wait $pid
check "SIGTERM: governor put back" [ "$(cat "$gov/scaling_governor")" = schedutil ]

# --- what cannot be had stops the run before anything is written ----------
asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
chmod 644 "$gov/scaling_governor"
R=$(asnobody env LMB_SYSROOT=$root "$LMB" run --case mprotect --pmu none \
	--tune governor --out "$pub/nobody" 2>"$TMP/err")
check "nobody: --tune governor exits 2" [ $? = 2 ]
check "nobody: one line naming the file and root" grep -q "cannot write /sys/devices/system/cpu/cpu1/cpufreq/scaling_governor: Permission denied (run as root)" "$TMP/err"
check "nobody: nothing written" [ ! -e "$pub/nobody" ]
asnobody "$LMB" run --case mprotect --pmu none --tune caches --out "$pub/nobody" 2>"$TMP/err"
{ [ $? = 2 ] && grep -q "drop_caches: Permission denied (run as root)" "$TMP/err" && one_line; }; verdict "nobody, real machine: --tune caches refused"
R=$(asnobody "$LMB" run --case 'mprotect size=4K' --iterations 50 --pmu none \
	--tune aslr --out "$pub/aslr" --quiet 2>"$TMP/err" | tail -n1)
check "--tune aslr needs no root: not randomized" jqt "$R/meta.json" '.controls.aslr.process == "not randomized"'

rm -rf "$gov"
run "$TMP/nocpufreq" --tune governor > /dev/null
{ grep -q "^lazymmu-bench: --tune governor: no cpufreq here" "$TMP/err" && one_line; }; verdict "--tune governor with no cpufreq: exit 2, one line"
check "... nothing written" [ ! -e "$TMP/nocpufreq" ]
R=$(run "$TMP/all" --tune all)
check "--tune all: what is missing is recorded, the run goes on" jqt "$R/meta.json" '(.controls.governor.unavailable | test("scaling_governor")) and .controls.thp.enabled == "madvise"'

printf 'set tune governor\ncase mprotect\n' > "$TMP/prof.conf"
"$LMB" run --profile "$TMP/prof.conf" --out "$TMP/prof" 2>"$TMP/err"
{ [ $? = 2 ] && grep -q "tune: only on the command line" "$TMP/err" && one_line; }; verdict "--tune in a profile is refused"
"$LMB" run --tune governor,turbo --out "$TMP/bad" 2>"$TMP/err"
{ [ $? = 2 ] && grep -q "unknown control 'turbo'" "$TMP/err" && one_line; }; verdict "unknown control: exit 2, one line"
"$LMB" run --load-module "$TMP/none.ko" --case mprotect --out "$TMP/bad" 2>"$TMP/err"
{ [ $? = 2 ] && grep -q "none.ko: No such file" "$TMP/err" && one_line; }; verdict "--load-module of a missing file: exit 2, one line"
echo garbage > "$TMP/junk.ko"
"$LMB" run --load-module "$TMP/junk.ko" --case mprotect --pmu none --out "$TMP/bad" 2>"$TMP/err"
{ [ $? = 2 ] && grep -q "junk.ko: " "$TMP/err" && one_line; }; verdict "--load-module of garbage: exit 2, one line"
check "... nothing written" [ ! -e "$TMP/bad" ]

# --- the neighbour load ---------------------------------------------------
"$LMB" run --neighbour nope --case mprotect --out "$TMP/bad" 2>"$TMP/err"
{ [ $? = 2 ] && grep -q "unknown neighbour load 'nope'" "$TMP/err" && one_line; }; verdict "unknown neighbour load: exit 2, one line"
"$LMB" run --noise vm --cpu none --case mprotect --pmu none --out "$TMP/bad" 2>"$TMP/err"
{ [ $? = 2 ] && grep -q "needs the run pinned" "$TMP/err" && one_line; }; verdict "a neighbour load without pinning: exit 2, one line"
if [ "$ncpu" -ge 2 ] && command -v stress-ng > /dev/null; then
	# stress-ng that was running before (another user's load) is not ours
	pgrep stress-ng | sort > "$TMP/sng-before" || true
	R=$("$LMB" run --case 'mprotect size=4K' --min-time 1 --pmu generic --neighbour vm \
		--out "$TMP/noise" --quiet 2>"$TMP/err" | tail -n1)
	check "neighbour vm: stress-ng ran and reported bogo ops" jqt "$R/meta.json" '.neighbour.name == "vm" and .neighbour.bogo_ops.vm > 0 and .options.neighbour == "vm"'
	check "neighbour vm: the other CPUs were busy during the case" jqt "$R/00-mprotect.json" '.controls.other_cpus_busy > 0.5'
	# stress-ng renames its stressors (stress-ng-vm [run]): look for any
	# that was not there before the run
	check "neighbour vm: no stress-ng of ours left running" bash -c \
		"[ -z \"\$(pgrep stress-ng | sort | comm -13 $TMP/sng-before -)\" ]"
	check "neighbour vm: the run validates" "$LMB" check "$R"
	# the neighbour is forked before the counters: its work is not ours
	check "neighbour vm: our task-clock in the case is no more than its wall time" jqt "$R/00-mprotect.json" \
		'([.counters[] | select(.label == "task-clock") | .phases[] | .count] | add) <= .wall_ns * 1.05'
else
	for i in 1 2 3 4 5; do skip "neighbour vm (needs 2 CPUs and stress-ng)"; done
fi
