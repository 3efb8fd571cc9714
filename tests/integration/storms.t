#!/bin/bash
# Every storm runs briefly; the run is well formed and plausible.
. "$(dirname "$0")/../lib.sh"
plan 23

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

# The storms that load a kernel module (test_vmalloc, modload): no module
# file here (this kernel has none, or not these) means unavailable, with
# the reason; test_vmalloc's cases are counted over all vCPUs.
mkdir -p "$TMP/nomods"
out=$(LMB_MODULE_DIR=$TMP/nomods "$LMB" run --case 'test_vmalloc test=none' --case modload \
	--iterations 2 --warmup 0 --pmu none --out "$TMP/m" 2>"$TMP/merr"); rc=$?
mrun=$(echo "$out" | tail -n1)
check "test_vmalloc and modload without their modules: the run exits 0" [ "$rc" = 0 ]
check "both unavailable, each with its reason" \
	[ "$(cat "$mrun"/0[01]-*.json | jq -s '[.[] | select(.status == "unavailable" and (.reason | length > 0))] | length')" = 2 ]
check "test_vmalloc's case says it is counted on all vCPUs" \
	jqt "$mrun/00-test_vmalloc.json" '.vcpus == "all"'
# A module file the kernel refuses: one line naming the call, exit != 0
# (as root; otherwise the case is unavailable, needing root).
echo 'not a module' > "$TMP/nomods/lmb_payload.ko"
LMB_MODULE_DIR=$TMP/nomods "$LMB" run --case modload --iterations 2 --warmup 0 --pmu none \
	--out "$TMP/m2" >/dev/null 2>"$TMP/m2err"; rc=$?
if [ "$(id -u)" = 0 ]; then
	check "modload of a file the kernel refuses: exit != 0, finit_module named" \
		sh -c '[ "$1" != 0 ] && grep -q "finit_module lmb_payload: " "$2"' _ "$rc" "$TMP/m2err"
else
	check "modload without root: unavailable" grep -q 'needs root' "$TMP"/m2/*/00-modload.json
fi

# stress-ng's stressors: one run of one worker per op, counted over all
# vCPUs; without stress-ng, unavailable.
if command -v stress-ng >/dev/null; then
	out=$("$LMB" run --case 'stressng stressor=vm ops=2 size=1M' --case 'stressng stressor=exec ops=1' \
		--iterations 2 --warmup 0 --pmu none --out "$TMP/s" 2>"$TMP/serr"); rc=$?
	srun=$(echo "$out" | tail -n1)
	check "stressng vm and exec (as nobody, when root) run" \
		sh -c '[ "$1" = 0 ] && [ "$(cat "$2"/0[01]-*.json | jq -s "[.[] | select(.status == \"ok\" and .vcpus == \"all\")] | length")" = 2 ]' _ "$rc" "$srun"
else
	skip "stress-ng is not installed"
fi
LMB_STRESS_NG=$TMP/none "$LMB" run --case 'stressng stressor=vm' --iterations 2 --warmup 0 --pmu none \
	--out "$TMP/s2" >/dev/null 2>&1
check "stressng without stress-ng: unavailable, saying so" \
	grep -q 'stress-ng not found' "$TMP"/s2/*/00-stressng.json
check "stressng with an unknown stressor: refused" \
	sh -c '! "$1" run --case "stressng stressor=nosuch" --dry-run --pmu none >/dev/null 2>&1' _ "$LMB"
