#!/bin/bash
# The static aarch64 build runs every storm under qemu-aarch64 (user mode)
# and writes a run the host build validates.  The harness's phase markers
# (HINT instructions) must execute as NOPs.
. "$(dirname "$0")/../lib.sh"
A64=build/aarch64/lazymmu-bench
plan 5

if [ "$(uname -m)" = aarch64 ]; then run_a64() { "$A64" "$@"; }; else run_a64() { qemu-aarch64 "$A64" "$@"; }; fi
out=$(run_a64 run --profile smoke --out "$TMP/r" --quiet 2>"$TMP/err")
check "smoke profile under qemu-aarch64 exits 0" [ $? = 0 ]
run=$(echo "$out" | tail -n1)
check "host build validates the aarch64 run" "$LMB" check "$run"
check "it ran on aarch64" jqt "$run/meta.json" '.system.machine == "aarch64"'
check "all storms but the module's (vmalloc, kcalib) ok" jqt "$run/meta.json" \
	'[.cases[] | select(.status != "ok") | .spec | test("^(vmalloc|kcalib) ")] | all'
check "the barrier calibration loop ran, and says what it could check" jqt "$run/meta.json" \
	'.calibration.dsb == .calibration.rounds and (.calibration.result | test("^(ok|failed|n/a: .+)$"))'
