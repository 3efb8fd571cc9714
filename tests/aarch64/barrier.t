#!/bin/bash
# The barrier storm in the static aarch64 build under qemu-aarch64: the
# overhead loop and every arm64 barrier EL0 may execute run, with and
# without pending stores; the x86_64 stand-ins are unavailable with the
# reason; the host build validates the run.
. "$(dirname "$0")/../lib.sh"
A64=build/aarch64/lazymmu-bench
plan 6

if [ "$(uname -m)" = aarch64 ]; then run_a64() { "$A64" "$@"; }; else run_a64() { qemu-aarch64 "$A64" "$@"; }; fi
a64="none dsb-ish dsb-ishst dmb-ish dmb-ishst dmb-ishld isb"
out=$(run_a64 run --profile costs --iterations 5 --warmup 1 --out "$TMP/r" --quiet 2>"$TMP/err")
check "costs profile under qemu-aarch64 exits 0" [ $? = 0 ]
run=$(echo "$out" | tail -n1)
check "host build validates the aarch64 run" "$LMB" check "$run"
check "it ran on aarch64" jqt "$run/meta.json" '.system.machine == "aarch64"'
# st INSN STORES: the status of that case.
st() { jqv "$run/meta.json" ".cases[] | select(.spec == \"barrier insn=$1 stores=$2 loops=1000\") | .status"; }
{
	for i in $a64; do for s in 0 8; do [ "$(st "$i" "$s")" = ok ] || exit 1; done; done
}; verdict "none and every arm64 insn ok, stores=0 and stores=8 (14 cases)"
check "each ok case timed 5 ops" bash -c "cat $run/[0-9]*.json | jq -se '[.[] | select(.status == \"ok\") | .iterations == 5 and .latency_ns.op_ns.n == 5 and .latency_ns.op_ns.min > 0] | length == 14 and all'"
check "mfence, sfence, lfence, cpuid: unavailable, 'is an x86_64 instruction (this is aarch64)'" bash -c "
	cat $run/[0-9]*.json | jq -se '[.[] | select(.spec | test(\"insn=(mfence|sfence|lfence|cpuid) \")) |
		.status == \"unavailable\" and (.reason | test(\"^(mfence|sfence|lfence|cpuid) is an x86_64 instruction \\\\(this is aarch64\\\\)$\"))] |
		length == 8 and all'"
