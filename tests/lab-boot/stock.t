#!/bin/bash
# make lab-test: the lab end to end on real kernels (not part of `make
# test`: it builds two kernels, ~15 minutes at -j2 the first time).
# Boots the stock kernel in its three DEBUG_PAGEALLOC states with the smoke
# profile, checks each cell's calibration is exact and its metadata shows
# the state it was booted in, that DEBUG_PAGEALLOC=on shows up in the
# counts, and runs the kprobe cross-check.
. "$(dirname "$0")/../lib.sh"
plan 12
cat > "$TMP/m.matrix" <<'M'
profile smoke
smp 2
mem 1G
timeout 600
cell stock none
cell stock off
cell stock on
M
scripts/lab/lab "$TMP/m.matrix" --out "$TMP/labs" > "$TMP/out" 2>"$TMP/err"
rc=$?
labrun=$(tail -n1 "$TMP/out")
check "the three cells ran (exit 0)" [ "$rc" = 0 ]
for c in none off on; do
	check "stock-$c: calibration exact, counts imported" jqt "$labrun/stock-$c/meta.json" \
		'.backend == "lab" and .lab.valid and .calibration.result == "ok" and .calibration.counted.other == 0'
done
check "stock-none: DEBUG_PAGEALLOC not built" jqt "$labrun/stock-none/meta.json" '.system.debug_pagealloc.built == "n"'
check "stock-off: built, booted off" jqt "$labrun/stock-off/meta.json" '.system.debug_pagealloc == {"built": "y", "enable_default": "n", "boot": "off"}'
check "stock-on: built, booted on" jqt "$labrun/stock-on/meta.json" '.system.debug_pagealloc.boot == "on"'
check "every ok case has kernel counts for its measured phase" bash -c \
	"jq -s -e '[.[] | select(.status == \"ok\") | .lab.phases.measure.kernel_per_op.dsb > 0] | all' $labrun/stock-*/0*.json"
# DEBUG_PAGEALLOC=on unmaps freed pages from the linear map (a TLBI each):
# the munmap storm must show more kernel TLBIs per op than with it off.
tl() { jq '.lab.phases.measure.kernel_per_op.tlbi' "$labrun/stock-$1/"*-munmap.json; }
check "munmap: more kernel TLBIs per op with debug_pagealloc=on ($(tl on)) than off ($(tl off))" \
	awk -v a="$(tl on)" -v b="$(tl off)" 'BEGIN { exit !(a > b) }'
check "functions attributed through System.map" bash -c \
	"jq -e '.lab.functions.measure | length > 0 and (map(.function) | any(test(\"^[a-z_]\")))' $labrun/stock-on/*-munmap.json"
check "summary.txt lists the cells" grep -q "stock-on" "$labrun/summary.txt"
check "kprobe cross-check of __kernel_map_pages" scripts/lab/kprobe-check stock __kernel_map_pages
