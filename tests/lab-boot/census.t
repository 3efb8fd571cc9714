#!/bin/bash
# make lab-test: the nest census (kernels/overlays/census) counts exactly
# what the module makes, on every nesting variant, and sees the real path.
# Census kernels of stock, permissive-nesting and flag-restore, each booted
# with debug_pagealloc=on, run the census profile (configs/profiles/
# census.conf) with the census PMU profile; stock once more with
# debug_pagealloc=off.  Read per op in the measured phase through compare
# --counters (the reader every report uses), they must give:
#   the module's nested walk, 16 pages, K rewrites (writes=K):
#     16 nested sections, 16 (K + 1) C writes per op on every variant
#     (the census follows the code's sections, not the mode's state);
#     no unpaired enable on stock and permissive nesting, 16 on
#     flag-restore (its re-enable in __kernel_map_pages() per page); every
#     disable paired with its enable (none unmatched);
#   munmap and MADV_DONTNEED of 64M (tlb_next_batch() allocates inside
#     zap's section): nested sections, and no C write after them;
#   with debug_pagealloc=off: no nested section anywhere.
# And each case's sites name the outer and nested code; the real
# workloads (test_vmalloc, modload, stress-ng's stressors) run in the
# census cell with their census counts.
. "$(dirname "$0")/../lib.sh"
plan 15
printf -- '--profile\ncensus\n--quiet\n' > "$TMP/args"
LMB_GUEST_ROOT=$(scripts/lab/stress-ng 2>"$TMP/stress-ng.err") || echo "# stress-ng not staged: $(tail -n 1 "$TMP/stress-ng.err")"
LMB_GUEST_ROOT=$LMB_GUEST_ROOT scripts/lab/mkinitramfs "$TMP/initramfs" "$TMP/args" > /dev/null
# boot VARIANT DPA: a census cell of VARIANT into $TMP/VARIANT-DPA
boot() {
	local k=build/kernel/$1+census/dpa
	{ kernels/build "$1+census" dpa > "$TMP/kbuild-$1" 2>&1 &&
	  bench/kmod/build "$k/obj" "$k/kmod" > /dev/null; } ||
		{ echo "# $1+census did not build: $(tail -n 1 "$TMP/kbuild-$1")"; return 1; }
	scripts/lab/run-cell --kernel "$k/obj" --dpa "$2" --smp 2 --initramfs "$TMP/initramfs" \
		--out "$TMP/$1-$2" --timeout 900 --cell "variant=$1+census" \
		--module "$k/kmod/lazymmu_bench.ko" > "$TMP/out-$1-$2" 2>&1
	sed 's/^/# /' "$TMP/out-$1-$2"
	"$LMB" compare --counters --format csv "$TMP/$1-$2" > "$TMP/$1-$2.csv" 2> /dev/null
}
# ctr VARIANT-DPA SPEC LABEL: the counter per op (the runs' median)
ctr() {
	awk -F, -v s="\"$2\"" -v l="$3" '$1 == s && $3 == l { print $7 }' "$TMP/$1.csv"
}
NESTED='vmalloc size=64K mode=nested huge=0 writes='
REAL=('munmap size=64M thp=0' 'madvise size=64M thp=0')
# nested_exact CELL UNPAIRED: the module's counts, exactly
nested_exact() {
	local k
	for k in 0 1 16; do
		[ "$(ctr "$1" "$NESTED$k" census-nested)" = 16 ] &&
		[ "$(ctr "$1" "$NESTED$k" census-c-writes)" = $((16 * (k + 1))) ] &&
		[ "$(ctr "$1" "$NESTED$k" census-unpaired)" = "$2" ] &&
		[ "$(ctr "$1" "$NESTED$k" census-unmatched)" = 0 ] || return 1
	done
}
# real_path CELL: the real path nests, and no C write follows
real_path() {
	local s n
	for s in "${REAL[@]}"; do
		n=$(ctr "$1" "$s" census-nested)
		awk -v n="$n" 'BEGIN { exit !(n > 0) }' && [ "$(ctr "$1" "$s" census-c-writes)" = 0 ] &&
		[ "$(ctr "$1" "$s" census-unmatched)" = 0 ] || return 1
	done
}
show() {
	local s
	for s in "$NESTED"{0,1,16} "${REAL[@]}"; do
		echo "# $1 $s: nested $(ctr "$1" "$s" census-nested), C $(ctr "$1" "$s" census-c-writes)," \
			"unpaired $(ctr "$1" "$s" census-unpaired), unmatched $(ctr "$1" "$s" census-unmatched) per op"
	done
}
# site CELL SPEC: "outer inner nested_per_op c_per_op" of the case's
# sites, as `lazymmu-bench census --format tsv` gives them
site() {
	"$LMB" census --format tsv "$TMP/$1" | awk -F'\t' -v s="$2" \
		'$1 == "site" && $2 == s { print $4, $5, $6, $7 }'
}
unpaired=(stock:0 permissive-nesting:0 flag-restore:16)
for vu in "${unpaired[@]}"; do
	v=${vu%%:*}
	boot "$v" on
	check "$v+census, debug_pagealloc=on: the cell ran" jqt "$TMP/$v-on/meta.json" '.lab.valid'
	show "$v-on"
	check "$v: the nested walk, per op: 16 nested, 16 (K + 1) C writes (K = 0, 1, 16), ${vu#*:} unpaired enables, 0 unmatched" \
		nested_exact "$v-on" "${vu#*:}"
	check "$v: munmap and MADV_DONTNEED of 64M nest (tlb_next_batch()), with no C write after" real_path "$v-on"
done
# The real workloads: every case of them ran, and has its census counts
# (a number per op, never a missing figure).
real_workloads() {
	local f n=0
	for f in "$TMP"/stock-on/[0-9]*.json; do
		jq -e '.storm | test("^(test_vmalloc|modload|stressng)$")' "$f" > /dev/null || continue
		jq -e '.status == "ok" and (.census.sites | type == "array")' "$f" > /dev/null || return 1
		n=$((n + 1))
	done
	"$LMB" census --format tsv "$TMP/stock-on" | awk -F'\t' '$1 == "count" && $2 ~ /^(test_vmalloc|modload|stressng) / { print "# " $0 }'
	[ "$n" = 10 ]
}
check "the real workloads (2 test_vmalloc, modload, 7 stress-ng stressors) ran in stock+census-on, with census counts" real_workloads
site stock-on "${NESTED}16" > "$TMP/site16"
echo "# stock, writes=16: $(cat "$TMP/site16")"
"$LMB" census --format tsv "$TMP/stock-on" | awk -F'\t' -v s="${NESTED}16" '$1 == "count" && $2 == s { print $5, $7 }' > "$TMP/cnt16"
check "census --format tsv (the report's reader) agrees: 16 nested and 272 C writes per op at K = 16" \
	[ "$(cat "$TMP/cnt16")" = "16 272" ]
check "the nested walk's site: the walk (__apply_to_page_range) around set_memory_valid's (update_range_prot), 16 and 272 per op" \
	[ "$(cat "$TMP/site16")" = "__apply_to_page_range update_range_prot 16 272" ]
site stock-on 'munmap size=64M thp=0' > "$TMP/sitez"
echo "# stock, munmap 64M: $(cat "$TMP/sitez")"
check "munmap's site: zap's section around the batch page's set_memory_valid, no C write" \
	awk '$1 ~ /zap/ && $2 == "update_range_prot" && $3 > 0 && $4 == 0 { f = 1 } END { exit !f }' "$TMP/sitez"
boot stock off
check "stock+census, debug_pagealloc=off: the cell ran" jqt "$TMP/stock-off/meta.json" '.lab.valid'
show stock-off
nonested() {
	local s
	for s in "$NESTED"{0,1,16} "${REAL[@]}"; do
		[ "$(ctr stock-off "$s" census-nested)" = 0 ] && [ "$(ctr stock-off "$s" census-c-writes)" = 0 ] || return 1
	done
}
check "stock, debug_pagealloc=off: no nested section, no C write, in any case" nonested
