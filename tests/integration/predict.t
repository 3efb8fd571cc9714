#!/bin/bash
# tests/integration/predict.t: compare --predict on the committed reference
# run with the committed example cost file, checked against a hand
# calculation from the same counts (lab-counts, the reader every report
# uses): the nested storm at K = 16 and munmap size=64M, permissive
# nesting and flag-restore against stock, DEBUG_PAGEALLOC on.  Then the
# labelling and bad input.
. "$(dirname "$0")/../lib.sh"
plan 12
tar -xJf results/reference/run.tar.xz -C "$TMP"
R=$(ls -d "$TMP"/*/ | head -n1)
C=configs/costs/example.json
"$LMB" compare --baseline stock-on --predict "$C" "$R/stock-on" "$R/permissive-nesting-on" \
	"$R/flag-restore-on" > "$TMP/p.txt" 2> "$TMP/err"
check "compare --predict on the reference run: exit 0" [ $? = 0 ]
# hand VARIANT SPEC: sum over the cost file's kinds of (count per op in
# the cell - in stock-on) x cost, from lab-counts and the JSON by jq.
hand() {
	"$LMB" lab-counts "$R/stock-on" > "$TMP/base.tsv"
	"$LMB" lab-counts "$R/$1-on" > "$TMP/cell.tsv"
	jq -r '.kinds | to_entries[] | "\(.key)\t\(.value.ns)"' "$C" > "$TMP/cost.tsv"
	awk -F'\t' -v spec="$2" '
		FILENAME ~ /cost/ { cost[$1] = $2; next }
		$1 != spec { next }
		FILENAME ~ /base/ { base[$2] = $3; next }
		{ cell[$2] = $3 }
		END { for (k in cost) s += (cell[k] - base[k]) * cost[k]; printf "%+.1f\n", s }' \
		"$TMP/cost.tsv" "$TMP/base.tsv" "$TMP/cell.tsv"
}
# got VARIANT SPEC: the predicted figure compare printed for that cell.
got() {
	awk -v spec="$2" -v cell="$1-on" '
		/^predicted from counts/ { on = 1 }
		on && $0 == spec { in_case = 1; next }
		on && in_case && /^[^ ]/ { in_case = 0 }
		on && in_case && $1 == cell { print $2; exit }' "$TMP/p.txt"
}
for v in permissive-nesting flag-restore; do
	for spec in 'vmalloc size=64K mode=nested huge=0 writes=16' 'munmap size=64M thp=0'; do
		h=$(hand "$v" "$spec") g=$(got "$v" "$spec")
		check "$v, $spec: predicted $g ns = the hand calculation $h ns" [ -n "$g" -a "$g" = "$h" ]
	done
done
check "the nested storm at K = 16 costs permissive nesting about 16 + 1 extra pairs per page (271 dsb ishst, 271.4 isb per op)" \
	grep -q 'counts per op: +271 dsb ishst, .*+271.4 isb' "$TMP/p.txt"
check "labelled a prediction, with the cost file's CPU and label, apart from the measured table" bash -c \
	"grep -q '^predicted from counts x an example CPU (invented, not measured) costs$' $TMP/p.txt &&
	 grep -q '^(example cost file configs/costs/example.json, kernel none)$' $TMP/p.txt &&
	 grep -q 'a prediction, not a measurement' $TMP/p.txt"
check "kinds outside the model are named, not costed (dc zva)" grep -q 'left out: .*dc zva (not modelled)' "$TMP/p.txt"
"$LMB" compare --baseline stock-on --predict "$C" --format csv "$R/stock-on" "$R/permissive-nesting-on" > "$TMP/p.csv" 2>/dev/null
check "csv: a table of its own, with label and CPU on every row" bash -c \
	"grep -q '^predict_case,cell,predicted_ns,lo_ns,hi_ns,counts,left_out,label,cpu,measured_cell,measured_ns,measured_lo_ns,measured_hi_ns,measured_over_predicted$' $TMP/p.csv &&
	 grep -q '^\"munmap size=64M thp=0\",\"permissive-nesting-on\",' $TMP/p.csv"
refused "a cost file that is not there" "$LMB compare --predict $TMP/none.json $R/stock-on" "none.json: not readable as JSON"
printf '{"format": "lazymmu-bench costs 1", "label": "measured", "cpu": "x", "kernel": "y", "kinds": {"dsb sy": {"ns": 1, "lo": 1, "hi": 1}}}' > "$TMP/bad.json"
refused "a cost file with an unknown kind" "$LMB compare --predict $TMP/bad.json $R/stock-on" "unknown kind \"dsb sy\""
refused "--predict with --null-test" "$LMB compare --aa x --null-test --predict $C $R/stock-on" "--predict goes with the full report"
