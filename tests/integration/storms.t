#!/bin/bash
# Every storm runs briefly; the run is well formed and plausible.
. "$(dirname "$0")/../lib.sh"
plan 16

out=$("$LMB" run --profile smoke --out "$TMP/r" 2>"$TMP/err"); rc=$?
run=$(echo "$out" | tail -n1)
check "smoke profile exits 0" [ "$rc" = 0 ]
check "last line is the run directory" [ -f "$run/meta.json" ]
check "check validates the run" "$LMB" check "$run"
check "every case done" [ "$(jqv "$run/meta.json" '[.cases[] | select(.done | not)] | length')" = 0 ]

# c SPEC-PREFIX: the case file of the first case whose spec starts so.
c() { echo "$run/$(jqv "$run/meta.json" "[.cases[] | select(.spec | startswith(\"$1\"))][0].file").json"; }
n_ok=$(cat "$run"/[0-9]*.json | jq -s '[.[] | select(.status == "ok")] | length')
n_mod=$(jqv "$run/meta.json" '[.cases[] | select(.spec | test("^(vmalloc|kcalib) "))] | length')
check "all storms but the module's ($n_mod: vmalloc, kcalib) ok" \
	[ "$n_ok" = "$(($(jqv "$run/meta.json" '.cases | length') - n_mod))" ]
vm=$(c vmalloc)
check "vmalloc without the module: unavailable with a reason" \
	[ "$(jqv "$vm" .status)" = unavailable -a -n "$(jqv "$vm" .reason)" ]
check "samples match iterations" [ "$(grep -vc '^#' "$run/$(jqv "$(c munmap)" .samples.file)")" = 20 ]
check "latency order min <= p50 <= p99 <= max" \
	jqt "$(c fork)" '.latency_ns.op_ns | .min <= .p50 and .p50 <= .p99 and .p99 <= .max and .min > 0'
check "munmap records prep (mmap+touch) separately" jqt "$(c munmap)" '.latency_ns.prep_ns.p50 > 0'
check "region state recorded: region inside its VMA" \
	jqt "$(c mprotect)" '.region.vma_kb >= .region.region_kb and .region.vma_count > 3'
check "metadata: cmdline, release, debug_pagealloc, thp" \
	jqt "$run/meta.json" '.system.release and .system.cmdline and .system.debug_pagealloc.boot and .system.thp.enabled'

pf() { jq -r ".counters[] | select(.label == \"page-faults\") | $2" "$1"; }
if [ "$(pf "$(c fork)" .status)" = ok ]; then
	# fork cow=1 of 1M: the child writes 256 pages -> >= 256 faults per op.
	check "fork cow=1: page faults per op >= pages written" \
		[ "$(pf "$(c 'fork size=1M thp=0 cow=1')" '.phases.measure.per_op >= 256')" = true ]
	check "munmap: prep faults per op >= pages touched, measured phase has none" \
		[ "$(pf "$(c munmap)" '.phases.prep.per_op >= 1024 and .phases.measure.count < 20')" = true ]
	check "madvise: touch after DONTNEED faults again" \
		[ "$(pf "$(c madvise)" '.phases.prep.per_op >= 256')" = true ]
else
	for i in 1 2 3; do skip "page-faults unavailable: $(pf "$(c fork)" .reason)"; done
fi
check "unavailable counters carry a reason and no count" \
	jqt "$(c fork)" '[.counters[] | select(.status != "ok") | (.reason | length > 0) and (.phases == null)] | all'

"$LMB" show "$run" >"$TMP/show"
check "show prints one row per case" [ "$(grep -c '^[a-z]' "$TMP/show")" -ge 8 ]
