#!/bin/bash
# make lab-test: the kprobes that stand in for TLBI counts on arm64
# (scripts/server/kprobes names, configs/pmu/generic.conf's kp-* events),
# counted by the collector per phase on a real arm64 kernel.  One cell,
# stock kernel with DEBUG_PAGEALLOC on, one vCPU; the guest's init creates
# the probes (lmb:EVENT=FUNCTION lines) before the run.  Each storm's op
# calls its function a known number of times: mprotect one
# change_protection and, through its mmu_gather, one tlb_finish_mmu;
# munmap one tlb_finish_mmu; fork one dup_mmap.  A forked child's exit
# (exit_mmap: its own tlb_finish_mmu) is NOT counted: 7.2's do_exit()
# flushes the child's inherited counters (perf_event_exit_task) before
# exit_mm() tears the mm down.  The test pins that down, so a kernel that
# changes it is noticed.
. "$(dirname "$0")/../lib.sh"
plan 8
n=50
kernels/build stock dpa > /dev/null 2>&1 || { not_ok "stock dpa kernel builds"; exit 0; }
k=build/kernel/stock/dpa/obj
printf -- '%s\n' --case 'mprotect size=4K' --case 'munmap size=64K' --case 'fork size=1M' \
	--iterations $n --warmup 2 --pmu generic --quiet > "$TMP/args"
printf '%s\n' tlb_finish_mmu=tlb_finish_mmu change_protection=change_protection \
	dup_mmap=dup_mmap purge_vmap_area_lazy=__purge_vmap_area_lazy \
	kernel_map_pages=__kernel_map_pages > "$TMP/kprobes"
scripts/lab/mkinitramfs "$TMP/initramfs" "$TMP/args" "$TMP/kprobes" > /dev/null
scripts/lab/run-cell --kernel "$k" --dpa on --smp 1 --initramfs "$TMP/initramfs" \
	--out "$TMP/cell" --timeout 900 --cell variant=stock > "$TMP/out" 2>&1
check "the cell ran" [ -f "$TMP/cell/meta.json" ]
m() { # m STORM LABEL: the counter's count in the measured phase
	jq -r --arg l "$2" '.counters[] | select(.label == $l) |
		if .status == "ok" then .phases.measure.count else .status end' "$TMP/cell/"*-"$1".json
}
echo "# measured phase, $n ops: mprotect change_protection $(m mprotect kp-change-protection)," \
	"munmap tlb_finish_mmu $(m munmap kp-tlb-finish-mmu), fork dup_mmap $(m fork kp-dup-mmap)," \
	"fork tlb_finish_mmu $(m fork kp-tlb-finish-mmu), munmap __kernel_map_pages $(m munmap kp-kernel-map-pages)"
check "every kp-* counter opened in the guest" bash -c \
	"jq -s -e '[.[] | .counters[] | select(.label | startswith(\"kp-\")) | .status == \"ok\"] | all and length == 15' $TMP/cell/0*.json"
check "mprotect: one change_protection per op" [ "$(m mprotect kp-change-protection)" = $n ]
check "mprotect: one tlb_finish_mmu per op (mprotect gathers its flush)" [ "$(m mprotect kp-tlb-finish-mmu)" = $n ]
check "munmap: one tlb_finish_mmu per op" [ "$(m munmap kp-tlb-finish-mmu)" = $n ]
check "fork: one dup_mmap per op" [ "$(m fork kp-dup-mmap)" = $n ]
check "fork: the children's exit teardown is not counted (flushed before exit_mm)" [ "$(m fork kp-tlb-finish-mmu)" = 0 ]
check "munmap with debug_pagealloc=on: __kernel_map_pages called" [ "$(m munmap kp-kernel-map-pages)" -gt 0 ]
