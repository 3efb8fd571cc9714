#!/bin/bash
# make lab-test: the lab end to end on real kernels (not part of `make
# test`: it builds two kernels, ~15 minutes at -j2 the first time).
# Boots the stock kernel in its three DEBUG_PAGEALLOC states with the smoke
# profile, checks each cell's calibration is exact and its metadata shows
# the state it was booted in, that DEBUG_PAGEALLOC=on shows up in the
# counts, that the module's kernel-mode calibration (kcalib) and its
# marked windows come out exact in the plugin's raw counts, and runs the
# kprobe cross-check.
. "$(dirname "$0")/../lib.sh"
plan 16
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
# case CELL STORM: the case file of the cell's first case of STORM.
case_file() {
	local d=$labrun/stock-$1
	echo "$d/$(jqv "$d/meta.json" "[.cases[] | select(.spec | startswith(\"$2 \"))][0].file").json"
}
# kcal CELL: the plugin's raw counts (plugin.json) for the kcalib case on
# its vCPU are what the module executed: per phase (measure: iterations
# ops, warmup: warmup ops) rounds times each kind of bench/kmod/kcalib.h
# (1 dsb ish, 2 dsb ishst, 3 dmb ish, 4 dmb ishld, 5 isb, 6 tlbi vale1is)
# in kernel mode, and nothing else, in either mode.
kcal() {
	jq -e --slurpfile c "$(case_file "$1" kcalib)" '
		$c[0] as $c | $c.index as $i | $c.params.rounds as $r |
		(.cases[] | select(.case == $i) | .vcpu) as $v |
		def got($p): [.counts[] | select(.case == $i and .phase == $p and .vcpu == $v)]
			| group_by(.el + " " + .insn)
			| map({key: (.[0].el + " " + .[0].insn), value: (map(.n) | add)})
			| from_entries;
		def want($ops): {"kernel dsb ish": 1, "kernel dsb ishst": 2,
			"kernel dmb ish": 3, "kernel dmb ishld": 4, "kernel isb": 5,
			"kernel tlbi vale1is": 6} | map_values(. * $ops * $r);
		got("measure") == want($c.iterations) and got("warmup") == want($c.warmup)' \
		"$labrun/stock-$1/lab/plugin.json"
}
for c in none off on; do
	check "stock-$c: kcalib's measure and warmup phases on its vCPU hold exactly its rounds" kcal "$c"
done
# The vmalloc case's measure phase on its vCPU is the module's timed
# windows (kernel only); the rest of its ops, the harness's user-mode loop
# included, is "untimed".
vmw() {
	jq -e --slurpfile c "$(case_file on vmalloc)" '
		$c[0].index as $i | (.cases[] | select(.case == $i) | .vcpu) as $v |
		[.counts[] | select(.case == $i and .vcpu == $v)] as $r |
		([$r[] | select(.phase == "measure")] | length > 0 and all(.el == "kernel")) and
		([$r[] | select(.phase == "untimed" and .el == "user")] | length > 0)' \
		"$labrun/stock-on/lab/plugin.json"
}
check "stock-on: vmalloc's measure phase is kernel only, its untimed phase has the user-mode loop" vmw
# Per-op counts as every report reads them (lab-counts: measure phase, the
# storm's vCPU, kernel mode): SPEC<TAB>KIND<TAB>PER_OP.
kdsb() {
	local c
	for c in none off on; do
		"$LMB" lab-counts "$labrun/stock-$c" | awk -F'\t' '$2 == "dsb" { n++; if (!($3 > 0)) bad++ }
			END { exit !(n >= 8 && !bad) }' || return 1
	done
}
check "every ok case has kernel DSBs in its measured phase" kdsb
# DEBUG_PAGEALLOC=on unmaps freed pages from the linear map (a TLBI each):
# the munmap storm must show more kernel TLBIs per op than with it off.
tl() { "$LMB" lab-counts "$labrun/stock-$1" | awk -F'\t' '$1 ~ /^munmap / && $2 == "tlbi" { print $3 }'; }
check "munmap: more kernel TLBIs per op with debug_pagealloc=on ($(tl on)) than off ($(tl off))" \
	awk -v a="$(tl on)" -v b="$(tl off)" 'BEGIN { exit !(a > b) }'
check "functions attributed through System.map" bash -c \
	"jq -e '.lab.functions.measure | length > 0 and (map(.function) | any(test(\"^[a-z_]\")))' $labrun/stock-on/*-munmap.json"
check "summary.txt lists the cells" grep -q "stock-on" "$labrun/summary.txt"
check "kprobe cross-check of __kernel_map_pages" scripts/lab/kprobe-check stock __kernel_map_pages
