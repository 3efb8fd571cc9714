#!/bin/bash
# lazymmu-bench compare: real run directories whose samples are replaced
# by known values, so the table is exact (the bootstrap is seeded) and is
# checked against a golden file; the run is the replicate (four runs a
# cell for a test, one run: figures and no mark); the per-case null test
# on lab runs with exact known counts; then bad input (one run given
# twice among them).
. "$(dirname "$0")/../lib.sh"
plan 45
mkrun() { # mkrun NAME: a real 2-case run, its samples replaced below
	"$LMB" run --case 'mprotect size=4K' --case 'munmap size=1M' \
		--iterations 20 --warmup 1 --pmu none --out "$TMP/$1" --quiet 2>/dev/null | tail -n1
}
copyrun() { # copyrun RUN DIR: a copy of RUN that is a run of its own (its own run_id)
	local f id
	cp -r "$1" "$2" && jq --arg s "${2##*/}" '.run_id += "-" + $s' "$1/meta.json" > "$2/meta.json" &&
	id=$(jq -r .run_id "$2/meta.json") &&
	for f in "$2"/[0-9]*.json; do
		jq --arg id "$id" 'if .run_id then .run_id = $id else . end' "$f" > "$f.new" && mv "$f.new" "$f"
	done
}
samples() { # samples FILE v1 v2 ...: overwrite op_ns, keep the header's column list
	local f=$1 h
	shift
	h=$(head -n1 "$f" | sed 's/columns=[^ ]*/columns=op_ns/; s/n=[0-9]*/n='$#'/')
	{ echo "$h"; printf '%s\n' "$@"; } > "$f"
}
A=$(mkrun a) B=$(mkrun b) C=$(mkrun c)
{ [ -f "$A/meta.json" ] && [ -f "$B/meta.json" ] && [ -f "$C/meta.json" ]; }; verdict "three runs made"
# base: 1000..1019 ns; slow: twice that; same: base shuffled plus noise
for f in "$A"/*.samples; do samples "$f" $(seq 1000 1019); done
for f in "$B"/*.samples; do samples "$f" $(seq 2000 2 2038); done
for f in "$C"/*.samples; do samples "$f" $(seq 1019 -1 1000 | awk '{ print $1 + (NR % 3) }'); done
# Four runs a cell (copies of the runs above, each a run of its own: one
# run given twice is refused), each run shifted by its own
# offset: the spread between runs.  base4 and same4 have the same run
# offsets in another order; slow4 is twice base4.
off=(0 4 -3 7)
four=()
for k in 0 1 2 3; do
	o=${off[$k]} r=${off[3 - k]}
	for x in base slow same; do
		copyrun "$A" "$TMP/$x$k" || exit 1
	done
	for f in "$TMP"/base$k/*.samples; do samples "$f" $(seq $((1000 + o)) $((1019 + o))); done
	for f in "$TMP"/slow$k/*.samples; do samples "$f" $(seq $((2000 + 2 * o)) 2 $((2038 + 2 * o))); done
	for f in "$TMP"/same$k/*.samples; do samples "$f" $(seq $((1019 + r)) -1 $((1000 + r)) | awk '{ print $1 + (NR % 3) }'); done
	four+=(base="$TMP/base$k" slow="$TMP/slow$k" same="$TMP/same$k")
done
"$LMB" compare "${four[@]}" one="$C" > "$TMP/full" 2>"$TMP/err"
check "compare exits 0" [ $? = 0 ]
# the environment block (this machine's) comes first; the rest is exact
sed -n '/^op_ns per op/,$p' "$TMP/full" > "$TMP/out"
[ -z "${GOLDEN_UPDATE:-}" ] || cp "$TMP/out" tests/golden/compare.txt
check "the table matches tests/golden/compare.txt" diff -u tests/golden/compare.txt "$TMP/out"
check "four runs a side, twice as slow: significant, *+100.x%*" grep -qE '^  slow +4x1 .*\*\+10[0-9]\.[0-9]%\*' "$TMP/out"
check "four runs a side, the same runs shuffled: ~" grep -qE '^  same +4x1 .* ~ \(' "$TMP/out"
check "one run against four: the change unmarked, and the runs a test needs" grep -qE '^  one +1x1 .* \([-+][0-9.]+%\) +needs 4\+4 runs$' "$TMP/out"
check "the median is the median of the runs' medians (1006.5 1009.5 1013.5 1016.5)" bash -c \
	"'$LMB' compare --format csv ${four[*]} | grep -q '^\"mprotect[^\"]*\",base,op_ns,4,1,80,1011.5,'"
check "no line wider than 80 columns" bash -c "! awk 'length > 80' $TMP/full | grep -q ."
"$LMB" compare --format csv --baseline slow base="$A" slow="$B" > "$TMP/csv"
check "csv: the environment as # lines, a header, one row per case and cell" bash -c "grep -q '^# environment:' $TMP/csv && [ \$(grep -vc '^#' $TMP/csv) = 5 ] && grep -v '^#' $TMP/csv | head -n1 | grep -q '^case,cell,metric,runs,boots,ops,run_median,run_cov,run_p99,ratio,ci_lo,ci_hi,p,significant\$'"
check "csv: every row has the header's 14 fields" bash -c "grep -v '^#' $TMP/csv | sed 's/\"[^\"]*\"/x/' | awk -F, 'NF != 14 { exit 1 }'"
check "csv: --baseline slow puts base against it at -50%, one run a side: runs<4" grep -qE '^"mprotect[^"]*",base,op_ns,1,1,20,1009.5,,1018.8,0\.50[0-9]*,,,,runs<4$' "$TMP/csv"
check "two runs of one cell, one boot: 2 runs x 1 boot, 40 ops, the median of the two run medians" bash -c \
	"'$LMB' compare base=$A two=$B two=$C | grep -qE '^  two +2x1 +1515 ns ' &&
	 '$LMB' compare --format csv base=$A two=$B two=$C | grep -q '^\"mprotect[^\"]*\",two,op_ns,2,1,40,1515.0,'"
# --counters: every counter of the case is shown, an unavailable one as
# "unavailable: <reason>", never as a number
D=$("$LMB" run --case 'mprotect size=4K' --iterations 20 --warmup 1 --out "$TMP/d" --quiet 2>/dev/null | tail -n1)
nun=$(jq '[.counters[] | select(.status != "ok")] | length' "$D"/00-mprotect.json)
nall=$(jq '.counters | length' "$D"/00-mprotect.json)
"$LMB" compare --counters d="$D" > "$TMP/cout"
check "--counters: $nall counters shown, the $nun unavailable ones as unavailable" bash -c \
	"[ \$(grep -cE '^    [^ ]' $TMP/cout) = $nall ] && [ \$(grep -cE '^    [^ ].* unavailable: ' $TMP/cout) = $nun ]"
check "one environment paragraph for four cells of one machine" bash -c \
	"grep -q '^  base, slow, same, one: Linux ' $TMP/full"
"$LMB" compare --aa same "${four[@]}" > "$TMP/aa"
check "--aa: the noise floor from the A/A cell is stated" grep -qE '^  changes up to \+-[0-9.]+% cannot be told from noise here' "$TMP/aa"
copyrun "$D" "$TMP/d2"
"$LMB" compare --format md --counters base="$D" other="$TMP/d2" > "$TMP/md"
check "markdown: the environment in a fenced block, every table row 14 cells (counters too)" bash -c \
	"head -n1 $TMP/md | grep -qx '\`\`\`' && [ \$(grep -c '^| ' $TMP/md) -gt 3 ] && grep '^|' $TMP/md | awk -F'|' 'NF != 16 { exit 1 }'"
# a case the baseline cell did not run: said, not compared
E=$("$LMB" run --case 'mremap size=1M' --iterations 20 --warmup 1 --pmu none --out "$TMP/ee" --quiet 2>/dev/null | tail -n1)
check "a case the baseline did not run: 'no baseline'" bash -c "'$LMB' compare base=$A other=$E | grep -qE '^  other .* no baseline\$'"
# The null test (--aa): lab runs with exact known counts, made by the real
# importer (lab-import) from a synthetic plugin.json over a real 3-case
# run.  mklab NAME VARIANT "D I T" "D I T" "D I T" L0 L1 L2: per case, D
# "dsb ishst", I "isb" and T "tlbi vale1is" per op in the measured phase,
# kernel mode, on the storm's vCPU (and one "dsb ish" per op); counts the
# report must leave out (another vCPU, the warm-up, user mode); the
# case's op_ns samples are L..L+19.
mklab() {
	local name=$1 variant=$2 run k r f rounds
	local -a cnt=("$3" "$4" "$5") lat=("$6" "$7" "$8")
	run=$("$LMB" run --case 'mprotect size=4K' --case 'munmap size=1M' --case 'mremap size=1M' \
		--iterations 20 --warmup 1 --pmu none --out "$TMP/$name" --quiet 2>/dev/null | tail -n1)
	[ -f "$run/meta.json" ] || return 1
	for k in 0 1 2; do
		f=$(echo "$run"/0$k-*.samples)
		samples "$f" $(seq "${lat[$k]}" $((lat[k] + 19)))
	done
	rounds=$(jq .calibration.rounds "$run/meta.json")
	row() { # row CASE PHASE VCPU EL CLASS INSN N
		printf '  {"case": %s, "phase": "%s", "vcpu": %s, "el": "%s", "class": "%s", "insn": "%s", "n": %s},\n' "$@"
	}
	{
		echo '{"format": "lmbcount", "version": 1, "complete": true, "symbols": "none",'
		echo ' "cases": [{"case": 0, "vcpu": 0}, {"case": 1, "vcpu": 0}, {"case": 2, "vcpu": 0}],'
		echo ' "markers": [], "functions": [], "counts": ['
		# the harness's calibration, exact, or nothing is imported
		row null calib 0 user dsb "dsb ish" "$rounds"
		row null calib 0 user dmb "dmb ish" "$rounds"
		row null calib 0 user isb isb "$rounds"
		for k in 0 1 2; do
			set -- ${cnt[$k]}
			row $k measure 0 kernel dsb "dsb ishst" $(($1 * 20))
			row $k measure 0 kernel dsb "dsb ish" 20
			row $k measure 0 kernel isb isb $(($2 * 20))
			row $k measure 0 kernel tlbi "tlbi vale1is" $(($3 * 20))
			row $k measure 1 kernel dsb "dsb ishst" 99999
			row $k warmup 0 kernel isb isb 5555
			row $k measure 0 user tlbi "tlbi vale1is" 777
		done
		echo '  {"case": null, "phase": "idle", "vcpu": 0, "el": "kernel", "class": "dsb", "insn": "dsb ishst", "n": 1}'
		echo ' ]}'
	} > "$TMP/$name.plugin.json"
	"$LMB" lab-import "$run" "$TMP/$name.plugin.json" variant="$variant" dpa=on >/dev/null || return 1
	echo "$run"
}
# case by case, dsb ishst per op (base, aa, cell): mprotect 10, 10, 11
# (exceeds its A/A range of 0); munmap 100, 105, 103 (within its range of
# 5); mremap 7, -, 8 (the A/A run lacks the case).  The largest cell
# difference anywhere (3) is below the largest A/A one (5): a test of
# pooled maxima would pass them all.
LA=$(mklab la stock "10 3 2" "100 4 8" "7 1 1" 1000 1000 1000)
LB=$(mklab lb stock "10 3 2" "105 4 8" "7 1 1" 1001 1100 1000)
LC=$(mklab lc tlb-pause "11 3 2" "103 4 8" "8 1 1" 2000 1050 1000)
{ [ -f "$LA/meta.json" ] && [ -f "$LB/meta.json" ] && [ -f "$LC/meta.json" ] &&
	jq '.cases[2].status = "unavailable"' "$LB/meta.json" > "$TMP/m" && mv "$TMP/m" "$LB/meta.json" &&
	f=$LB/$(jq -r '.cases[2].file' "$LB/meta.json").json &&
	jq '.status = "unavailable" | .reason = "left out of the A/A run"' "$f" > "$TMP/m" && mv "$TMP/m" "$f"; }
verdict "three lab runs imported from known counts (the A/A run without mremap)"
"$LMB" compare --counters "$LA" > "$TMP/lcnt"
check "--counters: lab:kernel dsb, dsb ishst, isb, tlbi per op, storm vCPU, measure only, isb once" bash -c \
	"sed -n '/^mprotect/,/^\$/p' $TMP/lcnt | grep -E '^    lab:kernel' | awk '{ \$1 = \"\"; print }' | tr -s ' ' |
	 diff - <(printf ' dsb 11.00\n dsb ishst 10.00\n isb 3.00\n tlbi 2.00\n')"
"$LMB" compare --null-test --aa aa "$LA" aa="$LB" "$LC" > "$TMP/null" 2>"$TMP/err"
check "--null-test exits 0" [ $? = 0 ]
[ -z "${GOLDEN_UPDATE:-}" ] || cp "$TMP/null" tests/golden/compare-null.txt
check "the null test matches tests/golden/compare-null.txt" diff -u tests/golden/compare-null.txt "$TMP/null"
"$LMB" compare --null-test --format csv --aa aa "$LA" aa="$LB" "$LC" > "$TMP/ncsv"
check "per case: mprotect dsb ishst 10, 10, 11 exceeds its own A/A range, though the largest difference (3) is below the largest A/A one (5)" bash -c "
	grep -qx '\"mprotect size=4K thp=0\",tlb-pause-on,lab:kernel dsb ishst,10,10,11,exceeds A/A' $TMP/ncsv &&
	awk -F, '\$3 == \"lab:kernel dsb ishst\" && \$5 != \"\" { d = \$6 - \$4; a = \$5 - \$4; if (d < 0) d = -d; if (a < 0) a = -a
		if (d > md) md = d; if (a > ma) ma = a } END { exit !(md == 3 && ma == 5) }' $TMP/ncsv"
check "per case: munmap dsb ishst 100, 105, 103 is within its A/A range" grep -qx \
	'"munmap size=1M thp=0",tlb-pause-on,lab:kernel dsb ishst,100,105,103,within A/A' "$TMP/ncsv"
check "a case the A/A cell lacks: no A/A; a value identical to the baseline: same" bash -c "
	grep -qx '\"mremap size=1M thp=0\",tlb-pause-on,lab:kernel dsb ishst,7,,8,no A/A' $TMP/ncsv &&
	grep -qx '\"mremap size=1M thp=0\",tlb-pause-on,lab:kernel isb,1,,1,same' $TMP/ncsv &&
	grep -qx '\"munmap size=1M thp=0\",tlb-pause-on,lab:kernel tlbi,8,8,8,same' $TMP/ncsv"
check "a lab cell's latency (emulated time) gets no null-test verdict, its counts do" bash -c "
	! grep -q 'op_ns median' $TMP/ncsv && ! grep -q 'op_ns median' $TMP/null && grep -q 'lab:kernel' $TMP/ncsv"
# The same runs as host runs: the latency median is tested too.
for r in "$LA" "$LB" "$LC"; do
	h=$TMP/host-$(basename "$(dirname "$r")")
	cp -r "$r" "$h" && jq '.backend = "host"' "$r/meta.json" > "$h/meta.json"
done
"$LMB" compare --null-test --format csv --aa aa "$TMP/host-la" aa="$TMP/host-lb" "$TMP/host-lc" > "$TMP/hcsv"
check "outside the lab the latency median gets its verdict too: mprotect exceeds, munmap within" bash -c "
	grep -qx '\"mprotect size=4K thp=0\",tlb-pause-on,op_ns median,1009.5,1010.5,2009.5,exceeds A/A' $TMP/hcsv &&
	grep -qx '\"munmap size=1M thp=0\",tlb-pause-on,op_ns median,1009.5,1109.5,1059.5,within A/A' $TMP/hcsv"
check "the final list: mprotect with its counts (base, aa, cell), not munmap" bash -c "
	sed -n '/^cases whose difference exceeds their A\/A range: 1 (2 differences)\$/,\$p' $TMP/null > $TMP/list &&
	grep -qx '    tlb-pause-on lab:kernel dsb ishst: base 10, aa 10, cell 11' $TMP/list &&
	grep -qx '  mprotect size=4K thp=0' $TMP/list && ! grep -q munmap $TMP/list"
"$LMB" compare --aa aa "$LA" aa="$LB" "$LC" > "$TMP/lfull"
check "--aa: the text report ends with the null test, the table before it" bash -c "
	grep -q '^  tlb-pause-on  *1x1 ' $TMP/lfull && sed -n '/^null test: /,\$p' $TMP/lfull | diff - $TMP/null"
check "no line of the null test wider than 80 columns" bash -c "! awk 'length > 80' $TMP/lfull | grep -q ."
# Lab times are emulated: never marked, however many runs (four copies of
# a run a side: a host run would be marked at +99%), and labelled so.
lab4=(x="$LA" y="$LC")
for k in 1 2 3; do
	copyrun "$LA" "$TMP/la-$k" && copyrun "$LC" "$TMP/lc-$k" || exit 1
	lab4+=(x="$TMP/la-$k" y="$TMP/lc-$k")
done
"$LMB" compare "${lab4[@]}" > "$TMP/lemu"
check "lab latencies: no mark with 4 runs a side, labelled emulated" bash -c "
	sed -n '/^mprotect/,/^\$/p' $TMP/lemu | grep -qE '^  y +4x[0-9]+ .* \(\+99\.1%\) +emulated\$' &&
	sed -n '/^mprotect/,/^\$/p' $TMP/lemu | grep -qE '^  x +4x[0-9]+ .* base +emulated\$' &&
	! grep -qE '^  [xy] .*\*[-+][0-9.]+%\*' $TMP/lemu"
# Counters are per run already: with 4 runs a side they are tested the same
# way (exact lab counts, 10 against 11 dsb ishst per op in every run).
"$LMB" compare --counters "${lab4[@]}" > "$TMP/lctr"
check "--counters, 4 runs a side: the runs' values tested, *+10.0%* [+10.0,+10.0]; 1 run: unmarked" bash -c "
	sed -n '/^mprotect/,/^\$/p' $TMP/lctr | grep -qE '^    lab:kernel dsb ishst +11\.00 \*\+10\.0%\* \[\+10\.0,\+10\.0\]\$' &&
	sed -n '/^mprotect/,/^\$/p' $TMP/lctr | grep -qE '^    lab:kernel isb +3\.00 \(same\)|^    lab:kernel isb +3\.00 ~ \(\+0\.0%\)' &&
	'$LMB' compare --counters x=$LA y=$LC | sed -n '/^mprotect/,/^\$/p' | grep -qE '^    lab:kernel dsb ishst +11\.00 \(\+10\.0%\)\$'"
"$LMB" compare --format csv --counters --aa aa "$LA" aa="$LB" "$LC" > "$TMP/lcsv"
check "csv with --aa: a null column, every row 15 fields, each row's verdict" bash -c "
	grep -v '^#' $TMP/lcsv | head -n1 | grep -q ',significant,null\$' &&
	grep -v '^#' $TMP/lcsv | sed 's/\"[^\"]*\"/x/' | awk -F, 'NF != 15 { exit 1 }' &&
	grep -q '^\"mprotect size=4K thp=0\",tlb-pause-on,lab:kernel dsb ishst,.*,exceeds A/A\$' $TMP/lcsv &&
	grep -q '^\"munmap size=1M thp=0\",aa,op_ns,.*,aa\$' $TMP/lcsv &&
	grep -qx '#     tlb-pause-on lab:kernel dsb ishst: base 10, aa 10, cell 11' $TMP/lcsv"
"$LMB" compare --format md --aa aa "$LA" aa="$LB" "$LC" > "$TMP/lmd"
check "markdown with --aa: every table row 15 cells, the list after it" bash -c "
	grep '^|' $TMP/lmd | awk -F'|' 'NF != 17 { exit 1 }' &&
	grep -qx -- '- \`mprotect size=4K thp=0\`, tlb-pause-on, lab:kernel dsb ishst: base 10, aa 10, cell 11' $TMP/lmd"
"$LMB" compare --null-test --format md --aa aa "$LA" aa="$LB" "$LC" > "$TMP/nmd"
check "--null-test --format md: only the table (7 cells a row) and the list" bash -c "
	head -n1 $TMP/nmd | grep -qx '| case | cell | quantity | base | aa | value | verdict |' &&
	grep '^|' $TMP/nmd | awk -F'|' 'NF != 9 { exit 1 }' && ! grep -q environment $TMP/nmd"
# results of schema 1 (lab layout 1: one map, every isb in it twice) read
# through lab_per_op() give the same figures
cp -r "$LC" "$TMP/lc1"
for f in "$TMP"/lc1/0*.json; do
	jq '.schema_version = 1 | del(.lab.layout) | .lab.phases |= map_values(with_entries(
		if (.value | type) == "object" then .value |= map_values(
			reduce ((.insn // {}), (.class // {}) | to_entries[]) as $e ({}; .[$e.key] += $e.value))
		else . end))' "$f" > "$TMP/l1.json" && mv "$TMP/l1.json" "$f"
done
check "layout 1 (isb held twice) gives the same null test" bash -c "
	jq -e '.lab.phases.measure.storm_vcpu.kernel.isb == 120' $TMP/lc1/00-mprotect.json &&
	'$LMB' compare --null-test --format csv --aa aa '$LA' aa='$LB' '$TMP/lc1' | diff $TMP/ncsv -"
refused "--null-test without --aa: one line, exit 2" "'$LMB' compare --null-test '$LA' '$LC'" \
	'--null-test needs --aa CELL'
check "the report without --aa has no null column or section" bash -c "
	'$LMB' compare --format csv '$LA' '$LC' | grep -v '^#' | sed 's/\"[^\"]*\"/x/' | awk -F, 'NF != 14 { exit 1 }' &&
	! '$LMB' compare '$LA' '$LC' | grep -q 'null test'"
# bad input
cp -r "$C" "$TMP/mixed"
cp "$C/01-munmap.json" "$TMP/mixed/00-mprotect.json"
check "mixed storms: a case file holding another case, the file named" bash -c \
	"'$LMB' compare $TMP/mixed 2>&1 >/dev/null | grep -q \"$TMP/mixed/00-mprotect.json: holds case 'munmap size=1M thp=0', but meta.json lists 'mprotect size=4K thp=0' there\""
err1() { "$LMB" compare "$@" >/dev/null 2>"$TMP/e"; [ $? = 2 ] && [ "$(wc -l < "$TMP/e")" = 1 ]; }
check "unknown baseline: the cells are listed" bash -c "'$LMB' compare --baseline nope a=$A b=$B 2>&1 >/dev/null | grep -q \"unknown baseline cell 'nope' (cells: a, b)\""
check "not a run directory: the error names meta.json" bash -c "'$LMB' compare $TMP 2>&1 >/dev/null | grep -q '$TMP/meta.json'"
# one run given twice would count as two replicates ("2x1")
refused "one run twice on one side: one line naming both arguments, exit 2" \
	"'$LMB' compare base='$A' base='$A' other='$B'" "'base=$A' and 'base=$A': one run given twice"
refused "one run on both sides (spelt otherwise): refused" \
	"'$LMB' compare base='$A' other='$B' other='$A/'" "'base=$A' and 'other=$A/': one run given twice \(the same directory\)"
cp -r "$A" "$TMP/acopy"
refused "a copy of a run (the same meta.json): the same run" \
	"'$LMB' compare '$TMP/acopy' '$B' '$A'" "'$TMP/acopy' and '$A': one run given twice \(copies"
jq '.schema_version = 99' "$A/meta.json" > "$TMP/m" && mv "$TMP/m" "$A/meta.json"
check "a results file of another schema version" err1 "$A"
head -c 100 "$B/meta.json" > "$TMP/m" && mv "$TMP/m" "$B/meta.json"
check "truncated JSON" err1 "$B"
