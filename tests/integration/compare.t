#!/bin/bash
# lazymmu-bench compare: real run directories whose samples are replaced
# by known values, so the table is exact (the bootstrap is seeded) and is
# checked against a golden file; then bad input.
. "$(dirname "$0")/../lib.sh"
plan 20
mkrun() { # mkrun NAME: a real 2-case run, its samples replaced below
	"$LMB" run --case 'mprotect size=4K' --case 'munmap size=1M' \
		--iterations 20 --warmup 1 --pmu none --out "$TMP/$1" --quiet 2>/dev/null | tail -n1
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
"$LMB" compare base="$A" slow="$B" same="$C" > "$TMP/full" 2>"$TMP/err"
check "compare exits 0" [ $? = 0 ]
# the environment block (this machine's) comes first; the rest is exact
sed -n '/^op_ns per op/,$p' "$TMP/full" > "$TMP/out"
[ -z "${GOLDEN_UPDATE:-}" ] || cp "$TMP/out" tests/golden/compare.txt
check "the table matches tests/golden/compare.txt" diff -u tests/golden/compare.txt "$TMP/out"
check "twice as slow is significant: *+100.x%*" grep -qE '^  slow .*\*\+10[0-9]\.[0-9]%\*' "$TMP/out"
check "the shuffled copy is not: ~" grep -qE '^  same .* ~ \(' "$TMP/out"
check "no line wider than 80 columns" bash -c "! awk 'length > 80' $TMP/full | grep -q ."
"$LMB" compare --format csv --baseline slow base="$A" slow="$B" > "$TMP/csv"
check "csv: the environment as # lines, a header, one row per case and cell" bash -c "grep -q '^# environment:' $TMP/csv && [ \$(grep -vc '^#' $TMP/csv) = 5 ] && grep -v '^#' $TMP/csv | head -n1 | grep -q '^case,cell,metric,runs,boots,n,median'"
check "csv: every row has the header's 17 fields" bash -c "grep -v '^#' $TMP/csv | sed 's/\"[^\"]*\"/x/' | awk -F, 'NF != 17 { exit 1 }'"
check "csv: --baseline slow puts base against it at -50%" grep -qE '^"mprotect[^"]*",base,op_ns,1,1,20,1009.5,.*,0\.50[0-9]*,' "$TMP/csv"
check "two runs of one cell, one boot: pooled, 2 runs x 1 boot, 40 samples" bash -c \
	"'$LMB' compare base=$A two=$B two=$C | grep -qE '^  two +2x1 +40 '"
# --counters: every counter of the case is shown, an unavailable one as
# "unavailable: <reason>", never as a number
D=$("$LMB" run --case 'mprotect size=4K' --iterations 20 --warmup 1 --out "$TMP/d" --quiet 2>/dev/null | tail -n1)
nun=$(jq '[.counters[] | select(.status != "ok")] | length' "$D"/00-mprotect.json)
nall=$(jq '.counters | length' "$D"/00-mprotect.json)
"$LMB" compare --counters d="$D" > "$TMP/cout"
check "--counters: $nall counters shown, the $nun unavailable ones as unavailable" bash -c \
	"[ \$(grep -cE '^    [^ ]' $TMP/cout) = $nall ] && [ \$(grep -cE '^    [^ ].* unavailable: ' $TMP/cout) = $nun ]"
check "one environment paragraph for three cells of one machine" bash -c \
	"grep -q '^  base, slow, same: Linux ' $TMP/full"
"$LMB" compare --aa same base="$A" slow="$B" same="$C" > "$TMP/aa"
check "--aa: the noise floor from the A/A cell is stated" grep -qE '^  changes up to \+-[0-9.]+% cannot be told from noise here' "$TMP/aa"
"$LMB" compare --format md --counters base="$D" other="$D" > "$TMP/md"
check "markdown: the environment in a fenced block, every table row 17 cells (counters too)" bash -c \
	"head -n1 $TMP/md | grep -qx '\`\`\`' && [ \$(grep -c '^| ' $TMP/md) -gt 3 ] && grep '^|' $TMP/md | awk -F'|' 'NF != 19 { exit 1 }'"
# a case the baseline cell did not run: said, not compared
E=$("$LMB" run --case 'mremap size=1M' --iterations 20 --warmup 1 --pmu none --out "$TMP/ee" --quiet 2>/dev/null | tail -n1)
check "a case the baseline did not run: 'no baseline'" bash -c "'$LMB' compare base=$A other=$E | grep -qE '^  other .* no baseline\$'"
# bad input
cp -r "$C" "$TMP/mixed"
cp "$C/01-munmap.json" "$TMP/mixed/00-mprotect.json"
check "mixed storms: a case file holding another case, the file named" bash -c \
	"'$LMB' compare $TMP/mixed 2>&1 >/dev/null | grep -q \"$TMP/mixed/00-mprotect.json: holds case 'munmap size=1M thp=0', but meta.json lists 'mprotect size=4K thp=0' there\""
err1() { "$LMB" compare "$@" >/dev/null 2>"$TMP/e"; [ $? = 2 ] && [ "$(wc -l < "$TMP/e")" = 1 ]; }
check "unknown baseline: the cells are listed" bash -c "'$LMB' compare --baseline nope a=$A b=$B 2>&1 >/dev/null | grep -q \"unknown baseline cell 'nope' (cells: a, b)\""
check "not a run directory: the error names meta.json" bash -c "'$LMB' compare $TMP 2>&1 >/dev/null | grep -q '$TMP/meta.json'"
jq '.schema_version = 99' "$A/meta.json" > "$TMP/m" && mv "$TMP/m" "$A/meta.json"
check "a results file of another schema version" err1 "$A"
head -c 100 "$B/meta.json" > "$TMP/m" && mv "$TMP/m" "$B/meta.json"
check "truncated JSON" err1 "$B"
