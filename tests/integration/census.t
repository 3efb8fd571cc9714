#!/bin/bash
# tests/integration/census.t: `lazymmu-bench census` without a census
# kernel (tests/lab-boot/census.t has the real one): a run made with the
# census PMU profile on a kernel without the census says unavailable, with
# the reason, never 0; a recorded census (LMB_SYSROOT: its counts and
# sites files) is read per phase and per case, its still counts give 0 and
# no site; tsv for scripts; bad input.
. "$(dirname "$0")/../lib.sh"
plan 8
"$LMB" run --case 'mprotect size=4K' --iterations 5 --warmup 1 --pmu census --out "$TMP/plain" --quiet > /dev/null
"$LMB" census "$TMP"/plain/*/ > "$TMP/p.txt" 2> "$TMP/err"
check "census: exit 0 on a run without the census" [ $? = 0 ]
check "no census kernel: the counters are unavailable, with the reason, never 0" bash -c \
	"grep -qE '^  \S+ +1 +unavailable +unavailable +unavailable +unavailable$' $TMP/p.txt &&
	 grep -q 'census-nested unavailable: /sys/kernel/debug/lazy_mmu_census/counts: No such file or directory' $TMP/p.txt"
# A recorded census: counts and sites that do not move during the run.
S=$TMP/sys
mkdir -p "$S/sys/kernel/debug/lazy_mmu_census" "$S/proc/sys/kernel/random"
for f in stat interrupts meminfo loadavg cpuinfo cmdline; do ln -s /proc/$f "$S/proc/$f"; done
cp /proc/sys/kernel/osrelease "$S/proc/sys/kernel/osrelease"
cat /proc/sys/kernel/random/boot_id > "$S/proc/sys/kernel/random/boot_id"
printf 'sections 5\nnested 3\nc_writes 7\nunpaired_enables 0\nunmatched_disables 0\ndepth_overflows 0\nsite_overflows 0\n' \
	> "$S/sys/kernel/debug/lazy_mmu_census/counts"
printf 'nested=3 c=7 outer=f+0x1/0x9 inner=g+0x1/0x9 stack=g+0x1/0x9,f+0x1/0x9\n' > "$S/sys/kernel/debug/lazy_mmu_census/sites"
# the collector opens the real path: point it at the record
sed "s|/sys/kernel/debug/lazy_mmu_census|$S/sys/kernel/debug/lazy_mmu_census|" configs/pmu/census.conf > "$TMP/census.conf"
cp configs/pmu/generic.conf "$TMP/"
LMB_SYSROOT=$S "$LMB" run --case 'mprotect size=4K' --iterations 5 --warmup 1 --pmu "$TMP/census.conf" \
	--out "$TMP/rec" --quiet > /dev/null
run=$(ls -d "$TMP"/rec/*/)
check "a census kernel's run: the case has its census object (phase, ops, sites)" \
	jqt "$run"/00-mprotect.json '.census.phase == "measure" and .census.ops == 5 and .census.sites == []'
"$LMB" census --format tsv "$run" > "$TMP/r.tsv" 2> "$TMP/err"
check "tsv: counts that did not move are 0 per op and per run, for each counter" \
	grep -qP '^count\tmprotect size=4K thp=0\t\S+\t1\t0\t0\t0\t0\t0\t0\t0\t0$' "$TMP/r.tsv"
check "tsv: the header names every column" \
	grep -qxP 'count\tcase\tcell\truns\tnested_per_op\tnested_per_run\tc-writes_per_op\tc-writes_per_run\tunpaired_per_op\tunpaired_per_run\tunmatched_per_op\tunmatched_per_run' "$TMP/r.tsv"
refused "an unknown format" "$LMB census --format html $run" "unknown format 'html' \(text, tsv\)"
refused "no run" "$LMB census" "usage: census"
refused "a directory that is not a run" "$LMB census $TMP/nonexistent" "nonexistent"
