#!/bin/bash
# The committed reference run: its data re-derive the committed report
# (scripts/lab/reference-report on run.tar.xz and aa-run.tar.xz gives
# report.md byte for byte, scripts/lab/summary gives summary.txt), its
# controls hold, and the report script refuses bad input.
. "$(dirname "$0")/../lib.sh"
plan 19
R=results/reference
tar -xJf "$R/run.tar.xz" -C "$TMP" && tar -xJf "$R/aa-run.tar.xz" -C "$TMP"
check "both runs unpack" [ "$(ls -d "$TMP"/*-lab-reference | wc -l)" = 2 ]
runs=($(ls -d "$TMP"/*-lab-reference | sort))
scripts/lab/reference-report "${runs[0]}" "${runs[1]}" > "$TMP/report.md" 2>"$TMP/err"
check "reference-report re-derives report.md exactly" cmp "$TMP/report.md" "$R/report.md"
scripts/lab/summary "${runs[0]}" > "$TMP/summary.txt"
check "summary re-derives summary.txt exactly" cmp "$TMP/summary.txt" "$R/summary.txt"
# One definition of per op, named: on every vCPU the kcalib case counts
# more (3001.9 dsb, 5018.9 isb in stock-on); on the storm's vCPU exactly
# what the module executed, in all 15 cells.
check "summary names its per-op definition (the storm's vCPU: kcalib exact in all 15 cells)" bash -c "
	grep -qx \"per op: kernel mode, measure phase, the storm's vCPU (lazymmu-bench lab-counts)\" $TMP/summary.txt &&
	[ \$(grep '^kcalib rounds=1000 ' $TMP/summary.txt | grep -o '3000/5000/6000' | wc -l) = 15 ]"
check "every cell ok, both calibrations exact, selfcheck ok (both runs)" bash -c \
	"[ \$(cat ${runs[0]}/*/lab/selfcheck.result ${runs[1]}/*/lab/selfcheck.result | grep -c '^ok:') = 30 ] &&
	 jq -s -e 'length == 30 and all(.calibration.result == \"ok\" and .calibration.kernel.result == \"ok\" and .lab.valid)' ${runs[0]}/*/meta.json ${runs[1]}/*/meta.json"
# The kernel calibration, read back through the import: kcalib rounds=1000
# is 1000/2000/3000/4000/5000/6000 of each kind per op in every cell.
check "kcalib read back exactly in all 30 cells (lab-counts, the reports' reader)" bash -c "
	for d in ${runs[0]}/*/ ${runs[1]}/*/; do build/host/lazymmu-bench lab-counts \$d; done |
	awk -F'\t' '\$1 == \"kcalib rounds=1000\" { n++; if (\$2 == \"dsb ish\" && \$3 != 1000 || \$2 == \"dsb ishst\" && \$3 != 2000 ||
		\$2 == \"dmb ish\" && \$3 != 3000 || \$2 == \"dmb ishld\" && \$3 != 4000 || \$2 == \"isb\" && \$3 != 5000 ||
		\$2 == \"tlbi vale1is\" && \$3 != 6000) bad++ } END { exit !(n == 30 * 11 && !bad) }'"
# With debug_pagealloc=on every freed page is unmapped from the linear map
# (dsb ishst; tlbi vaale1is; dsb ish; isb): about one isb per freed page
# of munmap 64M (16384 pages), not two.
check "munmap 64M, stock, debug_pagealloc=on: about one isb per freed page (16384 .. 16384 x 1.02)" bash -c "
	build/host/lazymmu-bench lab-counts ${runs[0]}/stock-on |
	awk -F'\t' '\$1 == \"munmap size=64M thp=0\" && \$2 == \"isb\" { v = \$3 } END { exit !(v >= 16384 && v <= 16384 * 1.02) }'"
# The headline: with debug_pagealloc=on, permissive nesting's excess over
# stock in the nested storm is K + 1 - 1/16 dsb ishst per allocation, and
# flag-restore's is zero, for every K.
check "nested storm: permissive pays K + 0.94 more per allocation, flag-restore 0" bash -c "
	sed -n '/lost deferral against K/,/DEBUG_PAGEALLOC off/p' $R/report.md |
	awk -F'|' '/^\| [0-9]+ \|/ { k = \$2 + 0; n++
		if (\$4 !~ \"[(][+]\" sprintf(\"%.2f\", k + 0.9375) \"[)]\") bad++
		if (\$5 !~ /[(][+]0[.]00[)]/) bad++ }
		END { exit !(n == 7 && bad == 0) }'"
check "usage error without a run" bash -c 'scripts/lab/reference-report 2>&1 >/dev/null | grep -q usage'
check "a directory that is not a lab run" bash -c "scripts/lab/reference-report $TMP 2>/dev/null; [ \$? = 2 ]"
check "an A/A argument that is not a lab run" bash -c "scripts/lab/reference-report ${runs[0]} /nonexistent 2>&1 >/dev/null | grep -q 'not a lab run'"
check "compare --counters: the nested storm's kernel dsb ishst, stock 17 against permissive 288 (+1594%)" bash -c \
	"build/host/lazymmu-bench compare --counters ${runs[0]}/stock-on ${runs[0]}/permissive-nesting-on |
	 sed -n '/nested huge=0 writes=16/,/^\$/p' | grep -qE '^    lab:kernel dsb ishst +288.00 \(\+1594%\)'"
check "the per-case null test is in the report, with the differences that repeat in both runs" bash -c "
	grep -q '^### Null test, case by case' $R/report.md &&
	grep -q '^#### Differences that exceed their A/A range in both runs' $R/report.md &&
	grep -q 'vmalloc size=64K mode=nested huge=0 writes=16, permissive-nesting-on, lab:kernel dsb ishst: +271 in the first run, +271 in the A/A run' $R/report.md"

# The kernel's own test_vmalloc (issue 16): the committed runs re-derive
# workloads.md, which results/reference/README.md carries verbatim, and
# the counts say what batching is: N pairs per call become one.
W=$R/workloads
# scripts/lab/workloads --report remakes workloads.md from the tarballs a
# directory holds, as every run of it does at its end.
mkdir -p "$TMP/w" && cp "$W"/census-*.tar.xz "$W"/kasan-*.tar.xz "$W"/tvm-*.tar.xz "$TMP/w/"
scripts/lab/workloads --report "$TMP/w" > /dev/null 2>"$TMP/werr"
check "workloads re-derives workloads.md exactly from the committed runs, running nothing (census, KASAN census, test_vmalloc)" \
	bash -c "cmp '$TMP/w/workloads.md' '$W/workloads.md' && [ ! -e '$TMP/w/runs' ]"
check "README.md carries workloads.md verbatim between its markers" bash -c "
	sed -n '/^<!-- workloads-report: begin -->\$/,/^<!-- workloads-report: end -->\$/p' $R/README.md | sed '1d;\$d' |
	cmp - $W/workloads.md"
# The census's real-path control: munmap of 64M with debug_pagealloc=on
# nests 19 times per op (tlb_next_batch()'s page) with no C write after,
# on every variant, with KASAN too, and nothing nests with it off.
check "census: munmap 64M nests 19 times per op with 0 C writes in all 6 -on cells (3 KASAN), never in the 4 -off cells" bash -c "
	awk -F'|' '\$2 ~ /^ munmap size=64M/ && \$3 ~ /census-on/ { on++; if (\$4 + 0 == 19 && \$5 + 0 == 0) good++ }
		\$2 ~ /^ munmap size=64M/ && \$3 ~ /census-off/ { off++; if (\$4 + 0 == 0) good++ }
		END { exit !(on == 6 && off == 4 && good == 10) }' $W/workloads.md"
# KASAN's vmalloc shadow: 7.2 allocates the shadow pages before its
# apply_to_page_range() walk and pauses the mode around each shadow PTE,
# so the kernel's own vmalloc test nests in no KASAN cell.
check "census: test_vmalloc (1 and 2 workers) nests nowhere in the 4 KASAN cells, vmalloc shadow and all" bash -c "
	awk -F'|' '\$2 ~ /^ test_vmalloc / && \$3 ~ /\\+kasan\\+census-/ { n++; if (\$4 + 0 == 0 && \$5 + 0 == 0) good++ }
		END { exit !(n == 8 && good == 8) }' $W/workloads.md"
check "census: the verdict finds no C write and no paying variant on a real workload" bash -c "
	grep -q '^No real workload measured has a C write' $W/workloads.md &&
	grep -q '^No nesting variant pays on a real workload measured.\$' $W/workloads.md"
# fix_size_alloc_test: 512 pages cost no-batching 512 dsb ishst per call
# and stock about 2; one page costs both one.
check "test_vmalloc fix_size: 512 pages, no-batching 512 dsb ishst per call, stock < 3; 1 page, both 1" bash -c "
	awk -F'|' '/fix_size_alloc_test loops=100 pages=512 huge=0/ { split(\$3, s, \" / \"); split(\$4, n, \" / \")
			if (n[1] + 0 >= 512 && n[1] + 0 < 513 && s[1] + 0 < 3) a = 1 }
		/fix_size_alloc_test loops=1000 pages=0 huge=0/ { split(\$3, s, \" / \"); split(\$4, n, \" / \")
			if (s[1] + 0 == 1 && n[1] + 0 == 1) b = 1 }
		END { exit !(a && b) }' $W/workloads.md"
